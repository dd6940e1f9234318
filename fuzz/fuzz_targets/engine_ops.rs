//! Fuzz target `engine_ops`: see `booking_fuzz::engine_ops`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::engine_ops(data));
