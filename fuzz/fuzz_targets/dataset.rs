//! A data set file (`dealreg.dataset`) loaded with the demo programme on an
//! empty vendor desk: the reader, the checks of the whole, and the load.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::dataset(data));
