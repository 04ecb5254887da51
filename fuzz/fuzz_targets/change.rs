//! Change::from_json on any text; a change it reads is applied to a copy of a
//! vendor and of a partner desk (demo programme, small data set): refused, the
//! copy is unchanged; applied, the desk reads back.
#![no_main]
use dealreg::workspace::Change;
use dealreg_fuzz::{check_outcome, now, partner, vendor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(change) = Change::from_json(text) else { return };
    for before in [vendor(), partner()] {
        let mut desk = before.clone();
        let result = desk.apply(change.clone(), now());
        // Workspace::apply is not atomic by itself (Desk::apply runs it on a
        // copy); what it leaves after Ok must still be a readable desk.
        if result.is_ok() {
            check_outcome(before, &desk, &result);
        }
    }
});
