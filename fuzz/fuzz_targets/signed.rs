//! signing::open on any text: a signature found is the file's last member,
//! and the body is the text before it; then the check against the key the
//! signature names (base64 and Ed25519 decoding on hostile values).
#![no_main]
use dealreg::signing;
use libfuzzer_sys::fuzz_target;

const KIND: dealreg::exchange::Kind = dealreg::files::SUBMISSION_KIND;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(opened) = signing::open(text, KIND) else { return };
    match &opened.signature {
        None => assert_eq!(opened.body, text),
        Some(signature) => {
            let open = opened.body.strip_suffix("\n}").expect("a signed body ends as an object");
            assert!(text.starts_with(open), "the body is not the text before the signature");
            assert!(text.len() > opened.body.len());
            let key = signature.key.clone();
            let _ = signing::expect(&opened, Some(&key), "the fuzzer", KIND);
        }
    }
    let _ = signing::expect(&opened, None, "the fuzzer", KIND);
});
