//! Change::from_json on any text; a change it reads is applied to a copy of a
//! vendor and of a partner desk (demo programme, small data set): refused, the
//! copy is unchanged; applied, the desk reads back.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::change(data));
