//! What the fuzz targets share: the fixed time, the base desks (built once per
//! process, cloned per input) and the invariants every desk target checks.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use dealreg::workspace::{Change, Role, Workspace, KIND};

pub const DEMO_PROGRAMME: &str = include_str!("../../www/demo/programme.json");
/// A small data set for the demo programme (the demo's own is 400 KB, and a
/// desk target clones its base desk for every input).
pub const SMALL_DATASET: &str = include_str!("../../tests/fixtures/files/v1/dataset.json");
pub const PARTNER: &str = "p-nordlys";

pub fn now() -> DateTime<Utc> {
    "2026-11-27T12:00:00Z".parse().expect("a fixed time")
}

/// A workspace of `role` holding the demo programme and the small data set.
fn desk(role: Role) -> Workspace {
    let mut w = Workspace::default();
    w.apply(Change::ChooseRole { role }, now()).expect("a role for an empty desk");
    let programme = dealreg::programme::Programme::from_json(DEMO_PROGRAMME).expect("the demo programme");
    let dataset = dealreg::exchange::read(SMALL_DATASET, dealreg::workspace::DATASET_KIND)
        .expect("the small data set");
    w.load_dataset(programme, dataset, now()).expect("the small data set loads");
    w
}

pub fn vendor() -> &'static Workspace {
    static BASE: OnceLock<Workspace> = OnceLock::new();
    BASE.get_or_init(|| desk(Role::Vendor))
}

pub fn partner() -> &'static Workspace {
    static BASE: OnceLock<Workspace> = OnceLock::new();
    BASE.get_or_init(|| desk(Role::Partner { partner_id: PARTNER.into() }))
}

/// An empty vendor desk (a role, nothing else).
pub fn empty_vendor() -> &'static Workspace {
    static BASE: OnceLock<Workspace> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut w = Workspace::default();
        w.apply(Change::ChooseRole { role: Role::Vendor }, now()).expect("a role for an empty desk");
        w
    })
}

/// What the desk targets assert after an import on a copy of `before`:
/// refused, the workspace is exactly as it was (the same JSON); taken, what
/// the desk would save reads back as a desk (or the next page load would set
/// the desk aside as unreadable).
pub fn check_outcome<T, E: std::fmt::Debug>(before: &Workspace, after: &Workspace, result: &Result<T, E>) {
    match result {
        // Compared as values first (cheap); as JSON when they differ, so a NaN
        // that is still the same NaN does not count as a change.
        Err(_) => assert!(
            after == before || after.to_json() == before.to_json(),
            "a refused import changed the workspace: {result:?}",
            result = result.as_ref().err()
        ),
        Ok(_) => {
            let saved = after.to_json();
            if let Err(e) = Workspace::from_json(&saved, KIND.what) {
                panic!("an accepted import saved a desk that does not read back: {e:?}");
            }
        }
    }
}
