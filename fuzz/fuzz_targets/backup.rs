//! Workspace::from_json (a backup file, and the desk kept in storage) on any
//! text; a workspace it takes reads back once written.
#![no_main]
use dealreg::workspace::{Workspace, KIND};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(workspace) = Workspace::from_json(text, KIND.what) {
        let _ = workspace.summary();
        if let Err(e) = Workspace::from_json(&workspace.to_json(), KIND.what) {
            panic!("a backup that was read does not read back once written: {e:?}");
        }
    }
});
