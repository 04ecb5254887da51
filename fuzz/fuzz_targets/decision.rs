//! A partner desk (p-nordlys, demo programme, small data set) importing any
//! text as the vendor's decision file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::decision(data));
