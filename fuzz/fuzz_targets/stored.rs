//! The desk kept in localStorage: Desk::open on any stored text, on any
//! text's compact form, and on any bytes as a compact form's zlib stream.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::stored(data));
