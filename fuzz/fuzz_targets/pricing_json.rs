//! Fuzz target `pricing_json`: see `booking_fuzz::pricing_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::pricing_json(data));
