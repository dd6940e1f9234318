//! Fuzz target `layout_json`: see `booking_fuzz::layout_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::layout_json(data));
