//! Workspace::from_json (a backup file, and the desk kept in storage) on any
//! text; a workspace it takes reads back once written.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::backup(data));
