//! Fuzz target `ticket_codes`: see `booking_fuzz::ticket_codes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| booking_fuzz::ticket_codes(data));
