//! A vendor desk (demo programme, small data set) importing any text as a
//! partner's submission file.
#![no_main]
use dealreg_fuzz::{check_outcome, now, vendor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let before = vendor();
    let mut desk = before.clone();
    let result = desk.import_submission(text, now());
    check_outcome(before, &desk, &result);
});
