//! The key file reader (KeyPair::from_file) on any text; a key it reads
//! writes a key file that reads back as the same key.
#![no_main]
use dealreg::signing::KeyPair;
use dealreg_fuzz::now;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(key) = KeyPair::from_file(text) {
        let again = KeyPair::from_file(&key.to_file(now())).expect("a key file we write reads back");
        assert_eq!(again.public_key(), key.public_key());
    }
});
