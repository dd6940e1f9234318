//! Fuzz target `layout_text`: see `booking_fuzz::layout_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::layout_text(data));
