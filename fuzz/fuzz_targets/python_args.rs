//! Fuzz target `python_args`: see `booking_fuzz::python_args`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::python_args(data));
