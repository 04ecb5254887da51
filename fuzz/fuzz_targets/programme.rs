//! Programme::from_json on any text; a programme it takes, written as the
//! vendor's file, reads back.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::programme(data));
