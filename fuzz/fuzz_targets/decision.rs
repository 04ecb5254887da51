//! A partner desk (p-nordlys, demo programme, small data set) importing any
//! text as the vendor's decision file.
#![no_main]
use dealreg_fuzz::{check_outcome, now, partner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let before = partner();
    let mut desk = before.clone();
    let result = desk.import_decisions(text, now());
    check_outcome(before, &desk, &result);
});
