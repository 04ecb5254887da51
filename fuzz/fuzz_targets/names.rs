//! The name normaliser and the domain reducer on any UTF-8: no panic,
//! normalising is idempotent, and the registrable domain of a registrable
//! domain is itself.
#![no_main]
use dealreg::conflict::domains::{registrable_domain, registrable_domains};
use dealreg::conflict::names::{normalise, Name};
use dealreg::conflict::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let once = normalise(text);
    let twice = normalise(&once);
    assert_eq!(once, twice, "normalise is not idempotent on {text:?}");
    let name = Name::new(text);
    assert_eq!(name.normal, once);
    assert_eq!(Name::new(&once).normal, once);
    if let Some(domain) = registrable_domain(text) {
        assert_eq!(registrable_domain(&domain).as_deref(), Some(domain.as_str()), "from {text:?}");
    }
    let _ = registrable_domains(text);
    let _ = Profile::new(text, &[text], text, text);
});
