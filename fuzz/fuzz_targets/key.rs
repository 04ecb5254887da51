//! The key file reader (KeyPair::from_file) on any text; a key it reads
//! writes a key file that reads back as the same key.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::key(data));
