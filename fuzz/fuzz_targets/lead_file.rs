//! The lead file reader (CSV or a JSON array) and the import preview with the
//! default options on a vendor desk (demo programme, small data set).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::lead_file(data));
