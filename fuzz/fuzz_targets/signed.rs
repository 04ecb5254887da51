//! signing::open on any text: a signature found is the file's last member,
//! and the body is the text before it; then the check against the key the
//! signature names (base64 and Ed25519 decoding on hostile values).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::signed(data));
