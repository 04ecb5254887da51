//! Native integration tests of the core: one binary, driven by JSON fixtures.
//!
//! - `backups`: every file in tests/fixtures/backups/ is read through
//!   `Desk::import_backup` and checked against the outcome it expects.
//! - `desk`: a desk over storage that can be full, for atomicity and roles.
//! - `demo`: the demo data shipped in www/demo/ is what the generator makes.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use dealreg::workspace::{Change, Desk, MemoryStorage, Role, Summary, Workspace, STORAGE_KEY};
use dealreg::Error;
use serde_json::Value;

#[path = "../examples/demo_data/generator.rs"]
mod generator;

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
}

fn now(text: &str) -> DateTime<Utc> {
    text.parse().expect("a test time")
}

const PROGRAMME: &str = include_str!("../www/demo/programme.json");
const DATASET: &str = include_str!("../www/demo/dataset.json");

mod backups {
    use super::*;

    /// Sets `value` at a JSON pointer, adding an object key or appending to an
    /// array when the last step does not exist yet.
    fn set(doc: &mut Value, pointer: &str, value: Value) {
        let (parent, last) = pointer.rsplit_once('/').expect("a JSON pointer");
        match doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent} in the base"))
        {
            Value::Object(map) => {
                map.insert(last.to_string(), value);
            }
            Value::Array(items) => {
                let idx: usize = last.parse().expect("an array index");
                if idx == items.len() {
                    items.push(value);
                } else {
                    items[idx] = value;
                }
            }
            other => panic!("{parent} is {other}, not an object or array"),
        }
    }

    /// Builds the case's input, imports it into a desk that already holds the
    /// base, and checks the outcome; a refused import must leave the desk as it was.
    fn check(case: &Value, base: &str) -> Result<(), String> {
        let text = if case["base"] == true {
            let mut doc: Value = serde_json::from_str(base).unwrap();
            for step in case["set"].as_array().into_iter().flatten() {
                set(&mut doc, step[0].as_str().unwrap(), step[1].clone());
            }
            serde_json::to_string(&doc).unwrap()
        } else {
            case["text"]
                .as_str()
                .expect("a case has base or text")
                .to_string()
        };

        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.import_backup(base).expect("the base imports");
        let before = desk.export_backup();
        let result = desk.import_backup(&text);
        let expect = &case["expect"];
        match (result, expect.get("summary")) {
            (Ok(summary), Some(want)) => {
                let got = serde_json::to_value(summary).unwrap();
                if &got != want {
                    return Err(format!("summary {got} != {want}"));
                }
                // The desk is now exactly the file, and a second import changes nothing.
                assert_eq!(
                    desk.workspace(),
                    &Workspace::from_json(&text, "backup file").unwrap()
                );
                let after = desk.export_backup();
                desk.import_backup(&text).unwrap();
                assert_eq!(
                    desk.export_backup(),
                    after,
                    "a second import changed the desk"
                );
                Ok(())
            }
            (Ok(_), None) => Err("imported, but problems were expected".into()),
            (Err(error), Some(_)) => Err(format!("expected success, got: {error}")),
            (Err(error), None) => {
                if desk.export_backup() != before
                    || desk.storage().get(STORAGE_KEY).unwrap().unwrap() != before
                {
                    return Err("a refused import changed the desk".into());
                }
                let Error::Invalid { what, problems } = &error else {
                    return Err(format!("expected an invalid-file error, got: {error}"));
                };
                assert_eq!(what, "backup file");
                let wanted = expect["problems"].as_array().unwrap();
                for want in wanted {
                    let (path, fragment) = (want[0].as_str().unwrap(), want[1].as_str().unwrap());
                    if !problems
                        .iter()
                        .any(|p| p.path == path && p.message.contains(fragment))
                    {
                        return Err(format!(
                            "no problem at {path} containing {fragment:?}; got {problems:?}"
                        ));
                    }
                }
                if problems.len() != wanted.len() {
                    return Err(format!(
                        "expected {} problems, got {problems:?}",
                        wanted.len()
                    ));
                }
                Ok(())
            }
        }
    }

    use dealreg::workspace::Storage as _;

    #[test]
    fn every_backup_fixture_gives_its_expected_outcome() {
        let dir = fixtures("backups");
        let base = std::fs::read_to_string(dir.join("base.json")).unwrap();
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap() != "base.json")
            .collect();
        cases.sort();
        assert!(cases.len() >= 20, "only {} cases", cases.len());
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|path| {
                let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                check(&case, &base).err().map(|why| {
                    format!(
                        "{} ({}): {why}",
                        path.file_name().unwrap().to_string_lossy(),
                        case["about"]
                    )
                })
            })
            .collect();
        assert!(
            failures.is_empty(),
            "failing cases:\n{}",
            failures.join("\n")
        );
    }
}

mod desk {
    use super::*;
    use dealreg::workspace::Storage as _;

    fn vendor_desk() -> Desk<MemoryStorage> {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(
            Change::ChooseRole { role: Role::Vendor },
            now("2026-11-02T09:00:00Z"),
        )
        .unwrap();
        desk
    }

    #[test]
    fn a_vendor_desk_loads_the_whole_demo() {
        let mut desk = vendor_desk();
        let summary = desk
            .load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap();
        assert_eq!(
            summary,
            Summary {
                partners: 6,
                registrations: 60,
                leads: 150,
                campaigns: 5
            }
        );
        let audit = &desk.workspace().audit;
        assert_eq!(
            audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["chooseRole", "loadDataset"]
        );
        assert_eq!(audit[1].seq, 2);
        assert_eq!(audit[1].actor, "vendor");
    }

    #[test]
    fn a_partner_desk_keeps_only_its_own_records() {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        let role = Role::Partner {
            partner_id: "p-nordlys".into(),
        };
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:00:00Z"))
            .unwrap();
        let summary = desk
            .load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap();
        let workspace = desk.workspace();
        assert!(summary.registrations > 0 && summary.registrations < 60);
        assert!(workspace
            .registrations
            .iter()
            .all(|r| r.partner_id == "p-nordlys"));
        assert!(workspace
            .leads
            .iter()
            .all(|l| l.assigned_to.as_deref() == Some("p-nordlys")));
        let used: Vec<&str> = workspace
            .leads
            .iter()
            .map(|l| l.campaign_id.as_str())
            .collect();
        assert!(workspace
            .campaigns
            .iter()
            .all(|c| used.contains(&c.id.as_str())));
        assert_eq!(workspace.audit[1].actor, "p-nordlys");
        // What it keeps still validates as a partner desk.
        assert!(workspace.validate().is_ok());
    }

    #[test]
    fn loading_needs_a_role_and_a_known_partner() {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        let err = desk
            .load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:00:00Z"))
            .unwrap_err();
        assert!(err.to_string().contains("choose a role"), "{err}");

        let role = Role::Partner {
            partner_id: "p-nobody".into(),
        };
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:00:00Z"))
            .unwrap();
        let err = desk
            .load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("\"p-nobody\", who is not in the programme"),
            "{err}"
        );
        assert!(desk.workspace().registrations.is_empty());
    }

    #[test]
    fn a_bad_data_set_names_its_field_and_changes_nothing() {
        let mut desk = vendor_desk();
        let before = desk.export_backup();
        let bad = DATASET.replacen("\"partnerId\": \"p-", "\"partnerId\": \"x-", 1);
        let err = desk
            .load_dataset(PROGRAMME, &bad, now("2026-11-02T09:01:00Z"))
            .unwrap_err();
        assert_eq!(err.problems()[0].path, "$.registrations[0].partnerId");
        assert!(
            err.to_string().starts_with("data set is not valid"),
            "{err}"
        );
        let err = desk
            .load_dataset("{}", DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("programme file is not valid: $.format"),
            "{err}"
        );
        assert_eq!(desk.export_backup(), before);
    }

    #[test]
    fn a_full_storage_refuses_the_change_and_loses_nothing() {
        let desk = vendor_desk();
        let before = desk.export_backup();
        let storage = MemoryStorage {
            quota: Some(before.len() + 1000),
            ..desk.storage().clone()
        };
        let mut desk = Desk::open(storage).unwrap();
        let err = desk
            .load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap_err();
        assert!(matches!(err, Error::Storage(_)), "{err}");
        assert_eq!(desk.export_backup(), before);
        assert_eq!(desk.storage().get(STORAGE_KEY).unwrap().unwrap(), before);
    }

    #[test]
    fn the_role_of_a_desk_with_data_does_not_change() {
        let mut desk = vendor_desk();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap();
        let role = Role::Partner {
            partner_id: "p-lagom".into(),
        };
        let err = desk
            .apply(
                Change::ChooseRole { role: role.clone() },
                now("2026-11-02T09:02:00Z"),
            )
            .unwrap_err();
        assert!(err.to_string().contains("cannot change"), "{err}");
        assert_eq!(desk.workspace().role, Some(Role::Vendor));

        // Choosing the role it has is no change at all.
        let n_events = desk.workspace().audit.len();
        desk.apply(
            Change::ChooseRole { role: Role::Vendor },
            now("2026-11-02T09:03:00Z"),
        )
        .unwrap();
        assert_eq!(desk.workspace().audit.len(), n_events);

        // After a reset, the role can change; the reset is the first event of the new desk.
        desk.apply(Change::Reset, now("2026-11-02T09:04:00Z"))
            .unwrap();
        assert_eq!(desk.workspace().audit.len(), 1);
        assert!(desk.workspace().audit[0]
            .detail
            .contains("60 registrations"));
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:05:00Z"))
            .unwrap();
        assert_eq!(desk.workspace().audit[1].seq, 2);
    }

    #[test]
    fn a_partner_role_must_be_in_the_loaded_programme() {
        let mut desk = vendor_desk();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z"))
            .unwrap();
        desk.apply(Change::Reset, now("2026-11-02T09:02:00Z"))
            .unwrap();
        // Reset keeps no programme, so any partner id is accepted until one is loaded.
        let role = Role::Partner {
            partner_id: "p-unknown".into(),
        };
        assert!(desk
            .apply(Change::ChooseRole { role }, now("2026-11-02T09:03:00Z"))
            .is_ok());
    }

    #[test]
    fn an_unreadable_stored_desk_is_set_aside_never_lost() {
        let mut storage = MemoryStorage::default();
        storage
            .set(
                STORAGE_KEY,
                "{\"format\":\"dealreg.workspace\",\"version\":1,\"role\":",
            )
            .unwrap();
        let err = Desk::open(storage.clone()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("the desk stored in this browser is not valid: $: is not JSON"),
            "{err}"
        );

        let desk = Desk::start_over(storage, now("2026-11-02T09:00:00.250Z")).unwrap();
        let items = &desk.storage().items;
        assert_eq!(
            items["dealreg.workspace.set-aside.20261102T090000.250Z"],
            "{\"format\":\"dealreg.workspace\",\"version\":1,\"role\":"
        );
        assert_eq!(
            Desk::open(desk.storage().clone())
                .unwrap()
                .workspace()
                .audit[0]
                .action,
            "startOver"
        );
    }
}

mod demo {
    use super::*;

    #[test]
    fn the_shipped_demo_data_is_what_the_generator_makes() {
        let (programme, dataset) = generator::files(generator::SEED);
        assert!(
            programme == PROGRAMME,
            "www/demo/programme.json is stale: run `cargo run --example demo_data`"
        );
        assert!(
            dataset == DATASET,
            "www/demo/dataset.json is stale: run `cargo run --example demo_data`"
        );
    }

    #[test]
    fn the_demo_has_customers_spelled_differently_by_different_partners() {
        let (_, dataset) = generator::generate(generator::SEED);
        let volvo: Vec<_> = dataset
            .registrations
            .iter()
            .filter(|r| r.customer.name.to_lowercase().starts_with("volvo car"))
            .collect();
        assert!(volvo.len() >= 2, "{volvo:?}");
        assert!(volvo.iter().any(|r| r.customer.name == "VOLVO CARS AB"));
        assert!(
            volvo
                .iter()
                .map(|r| &r.partner_id)
                .collect::<std::collections::HashSet<_>>()
                .len()
                >= 2
        );
        // A different seed gives different data: the seed really drives it.
        assert_ne!(generator::generate(7).1, dataset);
    }
}
