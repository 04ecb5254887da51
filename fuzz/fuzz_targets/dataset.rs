//! A data set file (`dealreg.dataset`) loaded with the demo programme on an
//! empty vendor desk: the reader, the checks of the whole, and the load.
#![no_main]
use dealreg::programme::Programme;
use dealreg::workspace::{Dataset, DATASET_KIND};
use dealreg_fuzz::{check_outcome, empty_vendor, now, DEMO_PROGRAMME};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static PROGRAMME: OnceLock<Programme> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(dataset) = dealreg::exchange::read::<Dataset>(text, DATASET_KIND) else { return };
    let programme = PROGRAMME.get_or_init(|| Programme::from_json(DEMO_PROGRAMME).unwrap()).clone();
    let before = empty_vendor();
    let mut desk = before.clone();
    let result = desk.load_dataset(programme, dataset, now());
    check_outcome(before, &desk, &result);
});
