//! Programme::from_json on any text; a programme it takes, written as the
//! vendor's file, reads back.
#![no_main]
use dealreg::programme::Programme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(programme) = Programme::from_json(text) {
        let written = dealreg::exchange::pretty(&programme);
        if let Err(e) = Programme::from_json(&written) {
            panic!("a programme that was read does not read back once written: {e:?}");
        }
    }
});
