//! Fuzz target `http_requests`: see `booking_fuzz::http_requests`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::http_requests(data));
