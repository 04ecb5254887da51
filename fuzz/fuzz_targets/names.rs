//! The name normaliser and the domain reducer on any UTF-8: no panic,
//! normalising is idempotent, and the registrable domain of a registrable
//! domain is itself.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dealreg_fuzz::names(data));
