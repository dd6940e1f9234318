//! Fuzz target `http_bodies`: see `booking_fuzz::http_bodies`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::http_bodies(data));
