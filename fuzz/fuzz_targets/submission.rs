//! A vendor desk (demo programme, small data set) importing any text as a
//! partner's submission file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::submission(data));
