//! Native integration tests of the core: one binary, driven by JSON fixtures.
//!
//! - `backups`: every file in tests/fixtures/backups/ is read through
//!   `Desk::import_backup` and checked against the outcome it expects.
//! - `desk`: a desk over storage that can be full, for atomicity and roles.
//! - `demo`: the demo data shipped in www/demo/ is what the generator makes.
//! - `leads` (tests/native/leads.rs): scoring and routing fixtures, lead
//!   files, the offer and nurture loop, calibration.
//! - `reports` (tests/native/reports.rs): report figures worked out by hand.
//! - `fuzz` (tests/native/fuzz.rs): the inputs fuzzing found (tests/fixtures/fuzz/).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use dealreg::workspace::{Change, Desk, MemoryStorage, Role, Summary, Workspace, STORAGE_KEY};
use dealreg::Error;
use serde_json::Value;

#[path = "native/account.rs"]
mod account;
#[path = "native/fuzz.rs"]
mod fuzz;
#[path = "../examples/demo_data/generator.rs"]
mod generator;
#[path = "native/leads.rs"]
mod leads;
#[path = "native/reports.rs"]
mod reports;
#[path = "native/trust.rs"]
mod trust;

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir)
}

/// Runs every case file in tests/fixtures/`dir` (all but `base`) through
/// `check`, and fails listing every case that does not give its outcome.
fn run_cases(dir: &str, base: &str, at_least: usize, check: impl Fn(&Value) -> Result<(), String>) {
    let dir = fixtures(dir);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != base)
        .collect();
    cases.sort();
    assert!(cases.len() >= at_least, "only {} cases in {}", cases.len(), dir.display());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|path| {
            let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            check(&case).err().map(|why| {
                format!("{} ({}): {why}", path.file_name().unwrap().to_string_lossy(), case["about"])
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The desk as stored, inflated: what the backup file holds.
fn stored_document(desk: &Desk<MemoryStorage>) -> String {
    use dealreg::workspace::Storage as _;
    dealreg::workspace::stored_document(&desk.storage().get(STORAGE_KEY).unwrap().unwrap()).unwrap()
}

/// Fresh random bytes for a new record's id, as the page hands them in:
/// distinct at every call, as `crypto.getRandomValues` gives.
fn random() -> dealreg::ids::Random {
    use std::sync::atomic::{AtomicU64, Ordering};
    static DRAWN: AtomicU64 = AtomicU64::new(1);
    let n = DRAWN.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0x5a; 16];
    bytes[8..].copy_from_slice(&n.to_be_bytes());
    bytes
}

fn now(text: &str) -> DateTime<Utc> {
    text.parse().expect("a test time")
}

const PROGRAMME: &str = include_str!("../www/demo/programme.json");
/// The passphrase the tests lock key files with.
const PASSPHRASE: &str = "fjord maple window 42";
const DATASET: &str = include_str!("../www/demo/dataset.json");

/// Sets `value` at a JSON pointer, adding an object key or appending to an
/// array when the last step does not exist yet.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, last) = pointer.rsplit_once('/').expect("a JSON pointer");
    match doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent} in the base")) {
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

mod backups {
    use super::*;

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
            case["text"].as_str().expect("a case has base or text").to_string()
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
                assert_eq!(desk.workspace(), &Workspace::from_json(&text, "backup file").unwrap());
                let after = desk.export_backup();
                desk.import_backup(&text).unwrap();
                assert_eq!(desk.export_backup(), after, "a second import changed the desk");
                Ok(())
            }
            (Ok(_), None) => Err("imported, but problems were expected".into()),
            (Err(error), Some(_)) => Err(format!("expected success, got: {error}")),
            (Err(error), None) => {
                if desk.export_backup() != before || stored_document(&desk) != before {
                    return Err("a refused import changed the desk".into());
                }
                let Error::Invalid { what, problems } = &error else {
                    return Err(format!("expected an invalid-file error, got: {error}"));
                };
                assert_eq!(what, "backup file");
                let wanted = expect["problems"].as_array().unwrap();
                for want in wanted {
                    let (path, fragment) = (want[0].as_str().unwrap(), want[1].as_str().unwrap());
                    if !problems.iter().any(|p| p.path == path && p.message.contains(fragment)) {
                        return Err(format!(
                            "no problem at {path} containing {fragment:?}; got {problems:?}"
                        ));
                    }
                }
                if problems.len() != wanted.len() {
                    return Err(format!("expected {} problems, got {problems:?}", wanted.len()));
                }
                Ok(())
            }
        }
    }

    #[test]
    fn every_backup_fixture_gives_its_expected_outcome() {
        let base = std::fs::read_to_string(fixtures("backups").join("base.json")).unwrap();
        run_cases("backups", "base.json", 20, |case| check(case, &base));
    }
}

mod scenarios {
    //! tests/fixtures/evaluate/: one scenario per file, against programme.json
    //! (patched by `programme`), with registrations and a candidate written as
    //! the fields that matter, filled from the defaults below.
    use super::*;
    use dealreg::conflict::Known;
    use dealreg::decision::{evaluate, evaluate_known};
    use dealreg::leads::Lead;
    use dealreg::lifecycle::extension_until;
    use dealreg::programme::Programme;
    use dealreg::registration::{Draft, Registration, Status};
    use serde_json::json;

    fn lead(given: &Value) -> Lead {
        let mut l = json!({
            "id": "L-1", "revision": 1, "campaignId": "C-1", "company": "Volvo Cars",
            "contactName": "Anna", "country": "SE", "status": "working",
            "createdAt": "2026-01-10T09:00:00Z"
        });
        merge(&mut l, given);
        serde_json::from_value(l.clone()).unwrap_or_else(|e| panic!("{e}: {l}"))
    }

    /// Deep merge: objects merge key by key, anything else (an explicit null too) replaces.
    fn merge(base: &mut Value, over: &Value) {
        match (base, over) {
            (Value::Object(b), Value::Object(o)) => {
                for (k, v) in o {
                    match b.get_mut(k) {
                        Some(slot) if v.is_object() => merge(slot, v),
                        _ => {
                            b.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            (b, o) => *b = o.clone(),
        }
    }

    fn registration(given: &Value) -> Registration {
        let mut r = json!({
            "id": "H-1", "revision": 1, "partnerId": "p-gold",
            "customer": { "name": "Volvo Cars", "country": "SE" },
            "products": [{ "sku": "SW", "quantity": 10 }],
            "value": 10000, "currency": "EUR", "expectedClose": "2026-12-31",
            "stage": "qualify", "status": "approved", "createdAt": "2024-01-01T00:00:00Z",
            "receivedAt": "2026-02-01T09:00:00Z"
        });
        merge(&mut r, given);
        let mut registration: Registration =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{e}: {r}"));
        // A protected registration without a date given runs 90 days from receipt.
        if registration.status.is_protected() && given.get("protectedUntil").is_none() {
            registration.protected_until =
                registration.received_at.map(|t| t.date_naive() + chrono::Duration::days(90));
        }
        registration
    }

    fn candidate(given: &Value, as_of: DateTime<Utc>) -> Registration {
        let mut d = json!({
            "partnerId": "p-gold",
            "customer": { "name": "Volvo Cars", "country": "SE" },
            "products": [{ "sku": "SW", "quantity": 10 }],
            "value": 10000, "currency": "EUR", "expectedClose": "2026-12-31", "stage": "qualify"
        });
        merge(&mut d, given);
        let draft: Draft = serde_json::from_value(d.clone()).unwrap_or_else(|e| panic!("{e}: {d}"));
        Registration::from_draft("CANDIDATE".into(), draft, Status::Submitted, as_of)
    }

    fn check(case: &Value, base: &Value) -> Result<(), String> {
        let mut programme = base.clone();
        for step in case["programme"].as_array().into_iter().flatten() {
            set(&mut programme, step[0].as_str().unwrap(), step[1].clone());
        }
        let programme = Programme::from_json(&programme.to_string()).map_err(|e| e.to_string())?;
        let as_of = now(case["asOf"].as_str().unwrap());
        let expect = &case["expect"];

        if case["kind"] == "extension" {
            let registration = registration(&case["registration"]);
            return match (extension_until(&programme, &registration, as_of.date_naive()), expect) {
                (Ok(until), e) if e["until"] == until.to_string() => Ok(()),
                (Err(reason), e) if e["reason"].as_str().is_some_and(|want| reason.contains(want)) => Ok(()),
                (got, e) => Err(format!("got {got:?}, expected {e}")),
            };
        }

        let registrations: Vec<Registration> =
            case["registrations"].as_array().into_iter().flatten().map(registration).collect();
        let leads: Vec<Lead> = case["leads"].as_array().into_iter().flatten().map(lead).collect();
        let candidate = candidate(&case["candidate"], as_of);
        let decision = evaluate_known(&programme, &registrations, &leads, None, None, &candidate, as_of);
        // With every customer profiled beforehand, as a desk keeps them: the same decision.
        let (known, lead_known) = (Known::of(&registrations), Known::of_leads(&leads));
        let kept = evaluate_known(
            &programme,
            &registrations,
            &leads,
            Some(&known),
            Some(&lead_known),
            &candidate,
            as_of,
        );
        assert_eq!(kept, decision, "profiles kept beforehand changed the decision");
        if leads.is_empty() {
            assert_eq!(decision, evaluate(&programme, &registrations, &candidate, as_of));
        }
        let got = serde_json::to_value(&decision).unwrap();
        let mut wrong = Vec::new();
        let mut expect_eq = |what: &str, got: &Value, want: &Value| {
            if got != want {
                wrong.push(format!("{what}: got {got}, expected {want}"));
            }
        };
        expect_eq("outcome", &got["outcome"], &expect["outcome"]);
        expect_eq("firstFailure", &got["firstFailure"], expect.get("firstFailure").unwrap_or(&Value::Null));
        for key in ["protectedUntil", "reviewDue"] {
            if let Some(want) = expect.get(key) {
                expect_eq(key, &got[key], want);
            }
        }
        if let Some(want) = expect.get("incentiveCost") {
            let cost = got["incentive"]["cost"].as_f64().map(|c| json!(c));
            expect_eq("incentive.cost", &cost.unwrap_or_default(), &json!(want.as_f64()));
        }
        let rule = |name: &str| {
            got["rules"].as_array().unwrap().iter().find(|r| r["rule"] == name).cloned().unwrap_or_default()
        };
        for (field, key) in [("check", "checks"), ("detail", "detail"), ("wouldPass", "wouldPass")] {
            for (name, want) in expect.get(key).and_then(Value::as_object).into_iter().flatten() {
                expect_eq(&format!("{name}.{field}"), &rule(name)[field], want);
            }
        }
        // Every rule is reported, in the decision order, whatever the outcome.
        let order: Vec<&str> =
            got["rules"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect();
        expect_eq(
            "rule order",
            &json!(order),
            &json!([
                "partner",
                "period",
                "products",
                "minimumValue",
                "newBusiness",
                "qualification",
                "namedAccount",
                "duplicate",
                "conflict",
                "leadAssignment",
                "autoApprove",
                "budget"
            ]),
        );
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(wrong.join("; "))
        }
    }

    #[test]
    fn every_scenario_gives_its_expected_decision() {
        let text = std::fs::read_to_string(fixtures("evaluate").join("programme.json")).unwrap();
        let base: Value = serde_json::from_str(&text).unwrap();
        run_cases("evaluate", "programme.json", 40, |case| check(case, &base));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]
        /// Incentives to the cent, in any order: the budget's outcome is the
        /// same, approved exactly when what is left covers the candidate's
        /// 700.00 EUR (10,000 EUR × 2% + 500) to the cent.
        #[test]
        fn a_budgets_outcome_never_depends_on_the_order(
            cents in proptest::collection::vec(1i64..400_000, 1..12),
            slack in -1i64..=1,
            seed in proptest::prelude::any::<u64>(),
        ) {
            let committed: i64 = cents.iter().sum();
            let text = std::fs::read_to_string(fixtures("evaluate").join("programme.json")).unwrap();
            let mut programme = Programme::from_json(&text).unwrap();
            programme.incentive_budget = Some((committed + 70_000 + slack) as f64 / 100.0);
            let mut registrations: Vec<Registration> = cents
                .iter()
                .enumerate()
                .map(|(i, c)| registration(&json!({
                    "id": format!("B-{i}"), "partnerId": "p-silver",
                    "customer": { "name": format!("Customer {i}") }, "incentive": *c as f64 / 100.0
                })))
                .collect();
            let as_of = now("2026-03-02T10:00:00Z");
            let candidate = candidate(&json!({}), as_of);
            let want = if slack >= 0 { "approved" } else { "inReview" };
            let mut state = seed;
            for _ in 0..4 {
                // A seeded Fisher-Yates, so a failure names its order.
                for i in (1..registrations.len()).rev() {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    registrations.swap(i, (state >> 33) as usize % (i + 1));
                }
                let decision = serde_json::to_value(evaluate(&programme, &registrations, &candidate, as_of)).unwrap();
                proptest::prop_assert_eq!(decision["outcome"].as_str(), Some(want));
            }
        }
    }

    /// The page's overview, worked out by hand (stage probabilities of the
    /// fixture programme: identify 0.1, qualify 0.2, scope 0.35, propose 0.7).
    #[test]
    fn the_overview_counts_what_the_page_shows() {
        let text = std::fs::read_to_string(fixtures("evaluate").join("programme.json")).unwrap();
        let registrations = [
            json!({ "id": "A", "status": "approved", "value": 10000, "stage": "qualify" }), // open: 2,000 weighted
            json!({ "id": "B", "status": "inReview", "value": 20000, "stage": "propose" }), // open, awaiting: 14,000
            json!({ "id": "C", "status": "submitted", "value": 5000, "stage": "identify" }), // open, awaiting: 500
            json!({ "id": "D", "status": "won", "value": 7000 }),
            json!({ "id": "E", "status": "extended", "value": 1000, "stage": "scope", "extensionRequested": true }), // open, to review: 350
            json!({ "id": "F", "status": "lost", "value": 3000 }),
        ];
        let offer = json!({ "state": "offered", "offeredAt": "2026-02-01T09:00:00Z" });
        let leads = [
            json!({ "id": "L-1", "status": "working" }), // active, waiting for a partner
            json!({ "id": "L-2", "status": "new", "assignedTo": "p-gold", "offer": offer }), // active, an offer to answer
            json!({ "id": "L-3", "status": "converted", "assignedTo": "p-gold" }),
            json!({ "id": "L-4", "status": "qualified", "assignedTo": "p-gold" }), // active
        ];
        let workspace = Workspace {
            programme: Some(Programme::from_json(&text).unwrap()),
            registrations: registrations.iter().map(registration).collect(),
            leads: leads.iter().map(lead).collect(),
            ..Workspace::default()
        };
        let o = workspace.overview();
        assert_eq!((o.registrations, o.open, o.awaiting_decision, o.to_review, o.won), (6, 4, 2, 3, 1));
        assert_eq!((o.pipeline, o.weighted, o.won_value), (36000.0, 16850.0, 7000.0));
        assert_eq!((o.leads, o.active_leads, o.unassigned_leads, o.offers_to_answer), (4, 3, 1, 1));
        assert_eq!(
            o.programme.map(|p| p.name.as_str()),
            workspace.programme.as_ref().map(|p| p.name.as_str())
        );
    }
}

mod desk {
    use super::*;
    use dealreg::registration::Draft;
    use dealreg::workspace::Storage as _;
    use serde_json::json;

    fn vendor_desk() -> Desk<MemoryStorage> {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(Change::ChooseRole { role: Role::Vendor }, now("2026-11-02T09:00:00Z")).unwrap();
        desk
    }

    /// The desk keeps its customers profiled between evaluations: the same
    /// decisions as evaluating afresh, and a change is seen at once.
    #[test]
    fn kept_profiles_give_the_same_decisions_and_follow_changes() {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        let role = Role::Partner { partner_id: "p-nordlys".into() };
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:00:00Z")).unwrap();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let at = now("2026-12-20T10:00:00Z");
        let ids: Vec<String> = desk.workspace().registrations.iter().map(|r| r.id.clone()).collect();
        let mut conflicts = 0;
        for id in &ids {
            let kept = desk.explain(id, at).unwrap();
            assert_eq!(kept, desk.workspace().explain(id, at).unwrap(), "{id}");
            conflicts += kept.conflicts.len() + kept.duplicates.len();
        }
        assert!(conflicts >= 1, "the demo has customers registered twice: {conflicts}");

        let draft = |name: &str| -> Draft {
            serde_json::from_value(json!({
                "partnerId": "p-nordlys",
                "customer": { "name": name, "country": "NO" },
                "products": [{ "sku": "NX-SW24", "quantity": 3 }],
                "value": 9000.0, "currency": "EUR", "expectedClose": "2027-02-01", "stage": "qualify"
            }))
            .unwrap()
        };
        let findings = |desk: &Desk<MemoryStorage>, name: &str| {
            let preview = desk.preview(&draft(name), at).unwrap();
            assert_eq!(preview, desk.workspace().preview(&draft(name), at).unwrap());
            let decision = preview.decision.unwrap();
            decision.conflicts.len() + decision.duplicates.len()
        };
        assert!(findings(&desk, "Equinorr ASA") > 0);
        assert_eq!(findings(&desk, "Fjordbris Maskin AS"), 0);
        // A change drops the kept profiles: the next preview sees the new registration.
        desk.apply(
            Change::Register { draft: draft("Fjordbris Maskin AS"), submit: true, random: random() },
            at,
        )
        .unwrap();
        assert_eq!(findings(&desk, "Fjordbris Maskin AB"), 1);
    }

    #[test]
    fn a_vendor_desk_loads_the_whole_demo() {
        let mut desk = vendor_desk();
        let summary = desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        assert_eq!(summary, Summary { partners: 6, registrations: 109, leads: 240, campaigns: 5 });
        let audit = &desk.workspace().audit;
        // Loaded as of its time: what ran out of protection by then has expired,
        // so opening the desk again at that time changes nothing.
        assert_eq!(
            audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["chooseRole", "loadDataset", "expire"]
        );
        assert_eq!(audit[1].seq, 2);
        assert_eq!(audit[1].actor, "vendor");
        let loaded = desk.export_backup();
        desk.apply(Change::ExpireDue, now("2026-11-02T09:01:00Z")).unwrap();
        assert_eq!(desk.export_backup(), loaded);
    }

    #[test]
    fn a_partner_desk_keeps_only_its_own_records() {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        let role = Role::Partner { partner_id: "p-nordlys".into() };
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:00:00Z")).unwrap();
        let summary = desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let workspace = desk.workspace();
        assert!(summary.registrations > 0 && summary.registrations < 60);
        assert!(workspace.registrations.iter().all(|r| r.partner_id == "p-nordlys"));
        assert!(workspace.leads.iter().all(|l| l.assigned_to.as_deref() == Some("p-nordlys")));
        let used: Vec<&str> = workspace.leads.iter().map(|l| l.campaign_id.as_str()).collect();
        assert!(workspace.campaigns.iter().all(|c| used.contains(&c.id.as_str())));
        assert_eq!(workspace.audit[1].actor, "p-nordlys");
        // What it keeps still validates as a partner desk.
        assert!(workspace.validate().is_ok());
    }

    #[test]
    fn loading_needs_a_role_and_a_known_partner() {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        let err = desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:00:00Z")).unwrap_err();
        assert!(err.to_string().contains("choose a role"), "{err}");

        let role = Role::Partner { partner_id: "p-nobody".into() };
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:00:00Z")).unwrap();
        let err = desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap_err();
        assert!(err.to_string().contains("\"p-nobody\", who is not in the programme"), "{err}");
        assert!(desk.workspace().registrations.is_empty());
    }

    #[test]
    fn a_bad_data_set_names_its_field_and_changes_nothing() {
        let mut desk = vendor_desk();
        let before = desk.export_backup();
        let bad = DATASET.replacen("\"partnerId\": \"p-", "\"partnerId\": \"x-", 1);
        let err = desk.load_dataset(PROGRAMME, &bad, now("2026-11-02T09:01:00Z")).unwrap_err();
        assert_eq!(err.problems()[0].path, "$.registrations[0].partnerId");
        assert!(err.to_string().starts_with("data set is not valid"), "{err}");
        let err = desk.load_dataset("{}", DATASET, now("2026-11-02T09:01:00Z")).unwrap_err();
        assert!(err.to_string().starts_with("programme file is not valid: $.format"), "{err}");
        assert_eq!(desk.export_backup(), before);
    }

    #[test]
    fn a_full_storage_keeps_the_change_in_memory_and_loses_nothing_stored() {
        let desk = vendor_desk();
        let before = desk.export_backup();
        let storage = MemoryStorage { quota: Some(before.len() + 1000), ..desk.storage().clone() };
        let mut desk = Desk::open(storage).unwrap();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        // The change is on the desk in memory, the stored desk is as it was, and the desk says why.
        assert_eq!(desk.workspace().registrations.len(), 109);
        assert_eq!(stored_document(&desk), before);
        assert!(desk.unsaved().unwrap().contains("quota"), "{:?}", desk.unsaved());
        // Later changes are kept too; once there is room, one save stores them all.
        desk.apply(Change::ExpireDue, now("2026-11-03T09:00:00Z")).unwrap();
        assert!(desk.unsaved().is_some());
        let mut storage = desk.storage().clone();
        storage.quota = None;
        let held = desk.export_backup();
        let mut desk = Desk::open(storage).unwrap();
        assert_eq!(stored_document(&desk), before, "reopened: only what was stored");
        desk.import_backup(&held).unwrap();
        assert!(desk.unsaved().is_none());
        assert_eq!(stored_document(&desk), held);
    }

    #[test]
    fn a_damaged_stored_desk_is_found_and_the_copy_before_the_last_save_restores_it() {
        let mut desk = vendor_desk();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let good = desk.export_backup();
        desk.apply(Change::RouteAll, now("2026-11-03T09:00:00Z")).unwrap();
        let mut storage = desk.storage().clone();
        // One packed character damaged: the stream does not inflate, or fails
        // its Adler-32 (every position: tests in src/compact.rs).
        let stored = storage.items[STORAGE_KEY].clone();
        assert!(dealreg::compact::revision(&stored).is_some(), "kept compact");
        let mut chars: Vec<char> = stored.chars().collect();
        let middle = chars.len() / 2;
        chars[middle] = if chars[middle] == 'x' { 'y' } else { 'x' };
        let damaged: String = chars.into_iter().collect();
        storage.items.insert(STORAGE_KEY.into(), damaged.clone());
        let err = Desk::open(storage.clone()).unwrap_err();
        assert_eq!(err.problems()[0].path, "$");
        assert!(err.to_string().contains("changed outside dealreg, or damaged"), "{err}");
        assert_eq!(storage.items[STORAGE_KEY], damaged, "left as it was");
        assert!(Desk::previous_copy(&storage).unwrap().is_some());
        let restored = Desk::restore_previous(storage, now("2026-11-04T09:00:00Z")).unwrap();
        let aside: Vec<_> = restored
            .storage()
            .items
            .keys()
            .filter(|k| k.starts_with(dealreg::workspace::SET_ASIDE_PREFIX))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(restored.storage().items[aside[0].as_str()], damaged);
        // The desk as it was before the last save, with the restore in its log.
        let mut want = Workspace::from_json(&good, "x").unwrap();
        let got = restored.workspace().clone();
        assert_eq!(got.audit.last().unwrap().action, "restore");
        want.audit.push(got.audit.last().unwrap().clone());
        want.updated_at = got.updated_at;
        assert!(got == want, "the restored desk is the one before the last save");
        Desk::open(restored.storage().clone()).unwrap();
    }

    #[test]
    fn a_desk_kept_as_json_before_the_compact_form_opens_and_is_saved_compact() {
        let mut desk = vendor_desk();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let json = stored_document(&desk);
        let sealed = dealreg::seal::seal(&json, 5);
        let held = desk.export_backup();
        for plain in [sealed.clone(), json] {
            let mut storage = MemoryStorage::default();
            storage.items.insert(STORAGE_KEY.into(), plain.clone());
            let mut desk = Desk::open(storage).unwrap();
            assert_eq!(desk.export_backup(), held);
            desk.apply(Change::RouteAll, now("2026-11-03T09:00:00Z")).unwrap();
            let stored = &desk.storage().items[STORAGE_KEY];
            assert!(dealreg::compact::revision(stored).is_some(), "saved compact");
            assert!(stored.chars().count() * 5 < plain.len(), "and at least 5x smaller");
            assert_eq!(
                desk.storage().items[dealreg::workspace::PREVIOUS_KEY],
                plain,
                "the JSON kept as the previous copy"
            );
            let reopened = Desk::open(desk.storage().clone()).unwrap();
            assert_eq!(reopened.export_backup(), desk.export_backup());
            // What the page is handed is the stored JSON, and that is what this version writes.
            assert_eq!(reopened.document(), reopened.workspace().to_json());
            assert_eq!(desk.document(), desk.workspace().to_json());
        }
        // Kept as JSON with a seal, and edited outside dealreg: still a valid desk, but not what was saved.
        let mut storage = MemoryStorage::default();
        storage.items.insert(STORAGE_KEY.into(), sealed.replacen("\"value\":", "\"value\":1", 1));
        assert_eq!(Desk::open(storage).unwrap_err().problems()[0].path, "$.stored.checksum");
    }

    #[test]
    fn a_change_made_in_another_tab_is_never_silently_overwritten() {
        use std::cell::RefCell;
        use std::rc::Rc;
        /// One storage seen by two desks, as two tabs see one origin's localStorage.
        #[derive(Clone, Default)]
        struct Shared(Rc<RefCell<MemoryStorage>>);
        impl dealreg::workspace::Storage for Shared {
            fn get(&self, key: &str) -> Result<Option<String>, Error> {
                self.0.borrow().get(key)
            }
            fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
                self.0.borrow_mut().set(key, value)
            }
            fn remove(&mut self, key: &str) -> Result<(), Error> {
                self.0.borrow_mut().remove(key)
            }
        }
        let shared = Shared::default();
        let mut one = Desk::open(shared.clone()).unwrap();
        one.apply(Change::ChooseRole { role: Role::Vendor }, now("2026-11-02T09:00:00Z")).unwrap();
        one.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let mut two = Desk::open(shared.clone()).unwrap();
        one.apply(Change::RouteAll, now("2026-11-03T09:00:00Z")).unwrap();
        let saved = shared.0.borrow().items[STORAGE_KEY].clone();
        let err = two.apply(Change::RecallOverdue, now("2026-11-03T09:01:00Z")).unwrap_err();
        assert!(matches!(err, Error::Stale(_)), "{err}");
        assert_eq!(shared.0.borrow().items[STORAGE_KEY], saved, "tab one's change stands");
        // Read again, tab two makes its change on top of tab one's.
        let mut two = Desk::open(shared.clone()).unwrap();
        two.apply(Change::RecallOverdue, now("2026-11-03T09:01:00Z")).unwrap();
        let last: Vec<_> = two.workspace().audit.iter().rev().take(2).map(|e| e.action.clone()).collect();
        assert_eq!(last, ["recallOverdue", "routeAll"]);
    }

    #[test]
    fn the_role_of_a_desk_with_data_does_not_change() {
        let mut desk = vendor_desk();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let role = Role::Partner { partner_id: "p-lagom".into() };
        let err =
            desk.apply(Change::ChooseRole { role: role.clone() }, now("2026-11-02T09:02:00Z")).unwrap_err();
        assert!(err.to_string().contains("cannot change"), "{err}");
        assert_eq!(desk.workspace().role, Some(Role::Vendor));

        // Choosing the role it has is no change at all.
        let n_events = desk.workspace().audit.len();
        desk.apply(Change::ChooseRole { role: Role::Vendor }, now("2026-11-02T09:03:00Z")).unwrap();
        assert_eq!(desk.workspace().audit.len(), n_events);

        // After a reset, the role can change; the reset is the first event of the new desk.
        desk.apply(Change::Reset, now("2026-11-02T09:04:00Z")).unwrap();
        assert_eq!(desk.workspace().audit.len(), 1);
        assert!(desk.workspace().audit[0].detail.contains("109 registrations"));
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:05:00Z")).unwrap();
        assert_eq!(desk.workspace().audit[1].seq, 2);
    }

    #[test]
    fn a_partner_role_must_be_in_the_loaded_programme() {
        let mut desk = vendor_desk();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        desk.apply(Change::Reset, now("2026-11-02T09:02:00Z")).unwrap();
        // Reset keeps no programme, so any partner id is accepted until one is loaded.
        let role = Role::Partner { partner_id: "p-unknown".into() };
        assert!(desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:03:00Z")).is_ok());
    }

    #[test]
    fn an_unreadable_stored_desk_is_set_aside_never_lost() {
        let mut storage = MemoryStorage::default();
        storage.set(STORAGE_KEY, "{\"format\":\"dealreg.workspace\",\"version\":1,\"role\":").unwrap();
        let err = Desk::open(storage.clone()).unwrap_err();
        assert!(
            err.to_string().starts_with("the desk stored in this browser is not valid: $: is not JSON"),
            "{err}"
        );

        let desk = Desk::start_over(storage, now("2026-11-02T09:00:00.250Z")).unwrap();
        let items = &desk.storage().items;
        assert_eq!(
            items["dealreg.workspace.set-aside.20261102T090000.250Z"],
            "{\"format\":\"dealreg.workspace\",\"version\":1,\"role\":"
        );
        assert_eq!(Desk::open(desk.storage().clone()).unwrap().workspace().audit[0].action, "startOver");
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
        assert!(dataset == DATASET, "www/demo/dataset.json is stale: run `cargo run --example demo_data`");
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
        assert!(volvo.iter().map(|r| &r.partner_id).collect::<std::collections::HashSet<_>>().len() >= 2);
        // A different seed gives different data: the seed really drives it.
        assert_ne!(generator::generate(7).1, dataset);
    }

    #[test]
    fn the_reports_count_of_conflicts_is_that_of_the_conflicts_view() {
        use dealreg::conflict::{count_conflicts, find_conflicts};
        let mut seen = 0;
        for seed in [generator::SEED, 7, 11, 12] {
            let (programme, dataset) = generator::generate(seed);
            for at in ["2026-08-01T09:00:00Z", "2026-10-01T09:00:00Z", "2026-11-02T09:00:00Z"] {
                let groups = find_conflicts(&programme, &dataset.registrations, now(at));
                let pairs = groups.iter().map(|g| g.pairs.len()).sum();
                assert_eq!(
                    count_conflicts(&programme, &dataset.registrations, now(at)),
                    (groups.len(), pairs)
                );
                seen += pairs;
            }
        }
        assert!(seen > 0, "no conflicts to count");
    }
}

mod schemas {
    use dealreg::files::json_schemas;

    /// The schemas served in www/schemas/ are what the Rust types generate.
    /// `DEALREG_BLESS=1 cargo test schemas` rewrites them after a format change.
    #[test]
    fn the_served_schemas_match_the_types() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/schemas");
        let schemas = json_schemas();
        for (name, generated) in &schemas {
            let path = dir.join(format!("{name}.schema.json"));
            if std::env::var_os("DEALREG_BLESS").is_some() {
                std::fs::write(&path, generated).unwrap();
            }
            let served = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                served == *generated,
                "{} is stale: run DEALREG_BLESS=1 cargo test schemas",
                path.display()
            );
        }
        let mut served: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        served.sort();
        let mut expected: Vec<String> =
            schemas.iter().map(|(name, _)| format!("{name}.schema.json")).collect();
        expected.sort();
        assert_eq!(served, expected, "www/schemas/ holds a schema of no format");
    }

    fn schema(name: &str) -> serde_json::Value {
        let (_, text) = json_schemas().into_iter().find(|(n, _)| *n == name).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn the_schema_describes_the_programme_fields() {
        let schema = schema("programme");
        let properties = schema["properties"].as_object().unwrap();
        for field in [
            "protectionDays",
            "minimumDealValue",
            "exchangeRates",
            "tiers",
            "partners",
            "namedAccounts",
            "conflict",
            "vendorKey",
            "signature",
        ] {
            assert!(properties.contains_key(field), "no {field} in the schema");
        }
        assert_eq!(schema["additionalProperties"], false);
        let required: Vec<&str> =
            schema["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(required.contains(&"protectionDays") && !required.contains(&"namedAccounts"));
    }

    #[test]
    fn signed_formats_have_a_signature_and_the_others_do_not() {
        for (name, signed) in
            [("submission", true), ("decision", true), ("backup", false), ("dataset", false), ("key", false)]
        {
            let schema = schema(name);
            assert_eq!(schema["properties"].get("signature").is_some(), signed, "{name}");
            assert_eq!(schema["additionalProperties"], false, "{name}");
        }
        assert!(schema("decision")["$defs"]["DecisionEntry"]["properties"]["revision"].is_object());
        assert!(schema("backup")["$defs"]["Registration"]["properties"]["vendorRevision"].is_object());
    }
}

mod file_loop {
    //! The partner → vendor → partner loop on two desks with the demo programme.
    use super::*;
    use dealreg::registration::{Draft, Status};
    use serde_json::json;

    fn desk(role: Role) -> Desk<MemoryStorage> {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(Change::ChooseRole { role }, now("2026-11-02T09:00:00Z")).unwrap();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        desk
    }

    fn draft(customer: &str, value: f64, stage: &str) -> Draft {
        let domain = format!("{}.example", customer.split(' ').next().unwrap().to_lowercase());
        serde_json::from_value(json!({
            "partnerId": "",
            "customer": { "name": customer, "country": "NO", "domain": domain },
            "products": [{ "sku": "NX-SW24", "quantity": 3 }],
            "value": value, "currency": "EUR", "expectedClose": "2027-02-01", "stage": stage,
            // Enough of the demo's checklist to be approved and extended.
            "qualification": ["budget", "decisionMaker", "need", "timeline"]
        }))
        .unwrap()
    }

    /// Registers a deal on a partner desk and returns its id.
    /// Nordlys's submission read by the vendor, and the vendor's decisions
    /// read back by Nordlys, on `day` between 09:30 and 11:00.
    fn round_trip(partner: &mut Desk<MemoryStorage>, vendor: &mut Desk<MemoryStorage>, day: &str) {
        let at = |time: &str| now(&format!("{day}T{time}Z"));
        vendor
            .import_submission(&partner.export_submission(at("09:30:00")).unwrap(), at("10:00:00"))
            .unwrap();
        let decisions = vendor.export_decisions("p-nordlys", at("10:30:00")).unwrap();
        partner.import_decisions(&decisions, at("11:00:00")).unwrap();
    }

    fn register(
        partner: &mut Desk<MemoryStorage>,
        customer: &str,
        value: f64,
        stage: &str,
        submit: bool,
        at: &str,
    ) -> String {
        partner
            .apply(
                Change::Register { draft: draft(customer, value, stage), submit, random: random() },
                now(at),
            )
            .unwrap();
        partner.workspace().registrations.last().unwrap().id.clone()
    }

    fn status_of(desk: &Desk<MemoryStorage>, id: &str) -> Status {
        desk.workspace().registration(id).unwrap().status
    }

    /// The vendor profiles the stored customers once per submission and keeps
    /// the profiles in step as registrations arrive: the second registration of
    /// a customer in the same file is judged against the first, and each
    /// decision is the one made with every customer profiled afresh.
    #[test]
    fn registrations_in_one_file_are_judged_against_each_other() {
        let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() });
        let mut vendor = desk(Role::Vendor);
        let first =
            register(&mut partner, "Fjord Shipping AS", 7200.0, "qualify", true, "2026-11-27T09:00:00Z");
        let again =
            register(&mut partner, "Fjord Shipping A/S", 8100.0, "qualify", true, "2026-11-27T09:01:00Z");
        let submission = partner.export_submission(now("2026-11-27T09:12:00Z")).unwrap();
        let report = vendor.import_submission(&submission, now("2026-11-27T10:00:00Z")).unwrap();
        assert_eq!(report.added, vec![first.clone(), again.clone()]);
        assert_eq!(status_of(&vendor, &first), Status::Approved);
        let second = vendor.workspace().registration(&again).unwrap();
        assert_ne!(second.status, Status::Approved, "the first of the same file holds the customer");
        assert!(second.decision.as_ref().unwrap().reason.contains(&first), "{:?}", second.decision);
        // Explained afresh (no kept profiles), the decision is the one made on import.
        let explained = vendor.workspace().explain(&again, now("2026-11-27T11:00:00Z")).unwrap();
        assert_eq!(explained.outcome.status(), second.status);
    }

    #[test]
    fn a_registration_goes_to_the_vendor_and_its_decision_comes_back() {
        let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() });
        let mut vendor = desk(Role::Vendor);
        let t = |s: &str| now(&format!("2026-11-{s}Z"));

        let small =
            register(&mut partner, "Fjord Shipping AS", 7200.0, "qualify", true, "2026-11-27T09:00:00Z");
        let big =
            register(&mut partner, "Nordkapp Kraft AS", 60000.0, "price", false, "2026-11-27T09:05:00Z");
        // The partner's id and 128 random bits: never counted, so never met again.
        assert!(small.starts_with("p-nordlys-") && small.len() == "p-nordlys-".len() + 26, "{small}");
        assert_ne!(small, big);
        assert_eq!(status_of(&partner, &big), Status::Draft);

        // A draft is not sent; once submitted it is.
        let submission = partner.export_submission(t("27T09:10:00")).unwrap();
        assert!(!submission.contains(&big));
        partner.apply(Change::Submit { id: big.clone() }, t("27T09:11:00")).unwrap();
        let submission = partner.export_submission(t("27T09:12:00")).unwrap();

        // The vendor's receipt time decides; the small deal is approved at once, the big one waits.
        let report = vendor.import_submission(&submission, t("27T10:00:00")).unwrap();
        assert_eq!(report.added, vec![small.clone(), big.clone()]);
        assert!(report.refused.is_empty(), "{:?}", report.refused);
        let received = vendor.workspace().registration(&small).unwrap();
        assert_eq!(received.status, Status::Approved);
        assert_eq!(received.received_at, Some(t("27T10:00:00")));
        assert_eq!(received.protected_until.unwrap().to_string(), "2027-02-25");
        assert_eq!(status_of(&vendor, &big), Status::InReview);

        // The same file again changes nothing.
        let before = vendor.export_backup();
        let again = vendor.import_submission(&submission, t("27T11:00:00")).unwrap();
        assert_eq!(again.added.len() + again.updated.len(), 0);
        assert_eq!(vendor.export_backup(), before);

        // The review queue explains, then the vendor approves with a reason.
        let explained = vendor.workspace().explain(&big, t("27T12:00:00")).unwrap();
        assert_eq!(serde_json::to_value(explained.first_failure).unwrap(), "autoApprove");
        let err = vendor
            .apply(Change::Decide { id: big.clone(), approve: true, reason: " ".into() }, t("27T12:00:00"))
            .unwrap_err();
        assert_eq!(err.problems()[0].path, "reason");
        vendor
            .apply(
                Change::Decide { id: big.clone(), approve: true, reason: "Strategic account".into() },
                t("27T12:00:00"),
            )
            .unwrap();
        let approved = vendor.workspace().registration(&big).unwrap();
        assert_eq!(approved.protected_until.unwrap().to_string(), "2027-02-25");
        assert!(approved.incentive.unwrap() > 0.0);
        let err = vendor
            .apply(Change::Decide { id: big.clone(), approve: false, reason: "no".into() }, t("27T12:01:00"))
            .unwrap_err();
        assert!(err.to_string().contains("is approved; it cannot become rejected"), "{err}");

        // The decision file brings both back to the partner, once.
        let decisions = vendor.export_decisions("p-nordlys", t("27T13:00:00")).unwrap();
        let report = partner.import_decisions(&decisions, t("27T14:00:00")).unwrap();
        assert!(report.updated.contains(&small) && report.updated.contains(&big), "{report:?}");
        let mine = partner.workspace().registration(&big).unwrap();
        assert_eq!(mine.status, Status::Approved);
        assert_eq!(mine.protected_until.unwrap().to_string(), "2027-02-25");
        assert_eq!(mine.decision.as_ref().unwrap().reason, "Strategic account");
        let before = partner.export_backup();
        let again = partner.import_decisions(&decisions, t("27T15:00:00")).unwrap();
        assert!(again.updated.is_empty(), "{again:?}");
        assert_eq!(partner.export_backup(), before);

        // A decision file for someone else, or a submission read by a partner, is refused.
        let err = vendor.export_decisions("p-lagom", t("27T13:00:00")).unwrap();
        assert!(partner
            .import_decisions(&err, t("27T16:00:00"))
            .unwrap_err()
            .to_string()
            .contains("$.partnerId"));
        assert!(partner.import_submission(&submission, t("27T16:00:00")).is_err());
    }

    #[test]
    fn extensions_follow_the_programme_and_closes_travel_to_the_vendor() {
        let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() });
        let mut vendor = desk(Role::Vendor);
        let t = |s: &str| now(&format!("2026-11-{s}Z"));
        let early =
            register(&mut partner, "Fjord Shipping AS", 7200.0, "qualify", true, "2026-11-27T09:00:00Z");
        let late = register(&mut partner, "Vik Bygg AS", 8000.0, "propose", true, "2026-11-27T09:01:00Z");
        round_trip(&mut partner, &mut vendor, "2026-11-27");

        // Stage qualify is before the programme's minimum stage (price) for an extension.
        let err = partner
            .apply(
                Change::RequestExtension { id: early.clone(), reason: "slow".into(), days: None },
                t("28T09:00:00"),
            )
            .unwrap_err();
        assert!(err.to_string().contains("extensions need stage price or later"), "{err}");
        partner
            .apply(
                Change::RequestExtension {
                    id: late.clone(),
                    reason: "board meets in March".into(),
                    days: None,
                },
                t("28T09:00:00"),
            )
            .unwrap();
        partner
            .apply(
                Change::Close {
                    id: early.clone(),
                    status: Status::Lost,
                    reason: "went with a competitor".into(),
                },
                t("28T09:05:00"),
            )
            .unwrap();
        let err = partner
            .apply(
                Change::Close { id: early.clone(), status: Status::Won, reason: "".into() },
                t("28T09:06:00"),
            )
            .unwrap_err();
        assert!(
            err.to_string().contains(
                "is lost; it cannot become won (from lost it can become nothing else: it is closed)"
            ),
            "{err}"
        );

        let with_request = partner.export_submission(t("28T09:30:00")).unwrap();
        let report = vendor.import_submission(&with_request, t("28T10:00:00")).unwrap();
        assert_eq!(report.updated.len(), 2, "{report:?}");
        assert_eq!(status_of(&vendor, &early), Status::Lost);
        let request = vendor.workspace().registration(&late).unwrap();
        assert!(request.extension_requested);
        vendor
            .apply(
                Change::DecideExtension { id: late.clone(), grant: true, reason: "fine".into(), days: None },
                t("28T11:00:00"),
            )
            .unwrap();
        let extended = vendor.workspace().registration(&late).unwrap();
        assert_eq!(extended.status, Status::Extended);
        assert_eq!(extended.protected_until.unwrap().to_string(), "2027-03-27");
        assert_eq!(extended.extensions_used, 1);

        // The file with the request, read again after the decision, asks for nothing more.
        let before = vendor.export_backup();
        let again = vendor.import_submission(&with_request, t("28T11:30:00")).unwrap();
        assert!(again.updated.is_empty(), "{again:?}");
        assert_eq!(vendor.export_backup(), before);

        partner
            .import_decisions(
                &vendor.export_decisions("p-nordlys", t("28T12:00:00")).unwrap(),
                t("28T13:00:00"),
            )
            .unwrap();
        let mine = partner.workspace().registration(&late).unwrap();
        assert_eq!(
            (mine.status, mine.extensions_used, mine.extension_requested),
            (Status::Extended, 1, false)
        );
        assert_eq!(status_of(&partner, &early), Status::Lost, "a close made on the partner desk stays");

        // Protection runs out: the next day after the date, it expires.
        vendor.apply(Change::ExpireDue, now("2027-03-27T12:00:00Z")).unwrap();
        assert_eq!(status_of(&vendor, &late), Status::Extended);
        vendor.apply(Change::ExpireDue, now("2027-03-28T00:00:00Z")).unwrap();
        assert_eq!(status_of(&vendor, &late), Status::Expired);
        assert!(vendor.workspace().audit.last().unwrap().detail.contains(&late));
    }

    /// A partner asks for fewer days than the programme's extension (30);
    /// the vendor grants at most what was asked.
    #[test]
    fn an_extension_is_asked_and_granted_by_the_day() {
        let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() });
        let mut vendor = desk(Role::Vendor);
        let t = |s: &str| now(&format!("2026-11-{s}Z"));
        let id = register(&mut partner, "Vik Bygg AS", 8000.0, "propose", true, "2026-11-27T09:01:00Z");
        round_trip(&mut partner, &mut vendor, "2026-11-27");
        let until = partner.workspace().registration(&id).unwrap().protected_until.unwrap();

        let ask = |days| Change::RequestExtension {
            id: id.clone(),
            reason: "board meets".into(),
            days: Some(days),
        };
        let err = partner.apply(ask(45), t("28T09:00:00")).unwrap_err();
        assert!(
            err.to_string().contains("an extension is 1 to 30 days, the most the programme allows; not 45"),
            "{err}"
        );
        partner.apply(ask(10), t("28T09:00:00")).unwrap();
        let report = vendor
            .import_submission(&partner.export_submission(t("28T09:30:00")).unwrap(), t("28T10:00:00"))
            .unwrap();
        assert_eq!(report.updated, std::slice::from_ref(&id));
        let said = vendor.workspace().audit.iter().map(|e| e.detail.clone()).collect::<Vec<_>>().join(" | ");
        assert!(said.contains("extension of 10 days requested"), "{said}");
        assert_eq!(vendor.workspace().registration(&id).unwrap().extension_days, Some(10));

        let grant = |days| Change::DecideExtension {
            id: id.clone(),
            grant: true,
            reason: "fine".into(),
            days: Some(days),
        };
        let err = vendor.apply(grant(20), t("28T11:00:00")).unwrap_err();
        assert!(err.to_string().contains("grant 1 to the 10 days the partner asked for; not 20"), "{err}");
        vendor.apply(grant(7), t("28T11:00:00")).unwrap();
        let extended = vendor.workspace().registration(&id).unwrap();
        assert_eq!(extended.protected_until, Some(until + chrono::Duration::days(7)));
        assert_eq!(
            (extended.status, extended.extension_days, extended.extension_requested),
            (Status::Extended, None, false)
        );
        partner
            .import_decisions(
                &vendor.export_decisions("p-nordlys", t("28T12:00:00")).unwrap(),
                t("28T13:00:00"),
            )
            .unwrap();
        assert_eq!(
            partner.workspace().registration(&id).unwrap().protected_until,
            Some(until + chrono::Duration::days(7))
        );

        // Read as a change from JSON, as the page sends it.
        let change = Change::from_json(
            r#"{"type":"decideExtension","id":"x","grant":true,"reason":"ok","days":5}"#,
            [0; 16],
        )
        .unwrap();
        assert!(matches!(change, Change::DecideExtension { days: Some(5), .. }));
    }

    #[test]
    fn roles_guard_their_changes_and_a_programme_must_fit_the_desk() {
        let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() });
        let mut vendor = desk(Role::Vendor);
        let at = now("2026-11-27T09:00:00Z");
        let err = vendor
            .apply(
                Change::Register { draft: draft("X", 7200.0, "qualify"), submit: true, random: random() },
                at,
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "only a partner desk can register deals");
        let id = partner.workspace().registrations[0].id.clone();
        let err = partner.apply(Change::Decide { id, approve: true, reason: "me".into() }, at).unwrap_err();
        assert_eq!(err.to_string(), "only the vendor's desk can decide on registrations");

        let err = partner
            .apply(Change::Register { draft: draft("", -5.0, "qualify"), submit: true, random: random() }, at)
            .unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$.customer.name", "$.value"]);

        // Dropping a product that registrations use would orphan them: refused, by path.
        let mut programme: Value = serde_json::from_str(PROGRAMME).unwrap();
        programme["products"].as_array_mut().unwrap().retain(|p| p["sku"] != "NX-SW24");
        let before = vendor.export_backup();
        let err = vendor.set_programme(&programme.to_string(), at).unwrap_err();
        assert!(
            err.problems()
                .iter()
                .all(|p| p.message.contains("\"NX-SW24\" is not in the programme's catalogue")),
            "{err}"
        );
        assert_eq!(vendor.export_backup(), before);
        let mut programme: Value = serde_json::from_str(PROGRAMME).unwrap();
        programme["protectionDays"] = json!(120);
        vendor.set_programme(&programme.to_string(), at).unwrap();
        assert_eq!(vendor.workspace().programme.as_ref().unwrap().protection_days, 120);
        assert!(partner.set_programme(&programme.to_string(), at).is_err());
    }
}

mod signed_files {
    //! Signatures, revisions and hostile files on the partner ↔ vendor loop.
    use super::*;
    use base64ct::{Base64, Encoding};
    use dealreg::files::DecisionFile;
    use dealreg::registration::{Draft, Status};
    use dealreg::signing::{KeyPair, KEY_STORAGE};
    use serde_json::json;

    const PARTNER: &str = "p-nordlys";

    pub(super) fn t(s: &str) -> DateTime<Utc> {
        now(&format!("2026-11-{s}Z"))
    }

    /// A desk of `role` with the demo loaded on 2 November.
    pub(super) fn desk(role: Role) -> Desk<MemoryStorage> {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(Change::ChooseRole { role }, t("02T09:00:00")).unwrap();
        desk.load_dataset(PROGRAMME, DATASET, t("02T09:01:00")).unwrap();
        desk
    }

    fn partner() -> Desk<MemoryStorage> {
        desk(Role::Partner { partner_id: PARTNER.into() })
    }

    fn register(partner: &mut Desk<MemoryStorage>, customer: &str, value: f64, at: &str) -> String {
        let draft: Draft = serde_json::from_value(json!({
            "partnerId": "",
            "customer": { "name": customer, "country": "NO", "domain": format!("{}.example", customer.len()) },
            "products": [{ "sku": "NX-SW24", "quantity": 3 }],
            "value": value, "currency": "EUR", "expectedClose": "2027-02-01", "stage": "price",
            "qualification": ["budget", "decisionMaker", "need"]
        }))
        .unwrap();
        partner.apply(Change::Register { draft, submit: true, random: random() }, t(at)).unwrap();
        partner.workspace().registrations.last().unwrap().id.clone()
    }

    /// A vendor desk with a key, and a partner desk that adopted its signed programme.
    fn signed_pair() -> (Desk<MemoryStorage>, Desk<MemoryStorage>) {
        let mut vendor = desk(Role::Vendor);
        vendor.create_key(&[7; 32], t("03T09:00:00")).unwrap();
        let mut partner = partner();
        partner.adopt_programme(&vendor.export_programme().unwrap(), t("03T10:00:00")).unwrap();
        (vendor, partner)
    }

    fn problem_paths(error: &Error) -> Vec<String> {
        error.problems().iter().map(|p| p.path.clone()).collect()
    }

    #[test]
    fn a_partner_adopts_the_signed_programme_and_sees_what_changed() {
        let mut vendor = desk(Role::Vendor);
        let before = vendor.workspace().programme.clone().unwrap();
        let key = vendor.create_key(&[7; 32], t("03T09:00:00")).unwrap();
        let programme = vendor.workspace().programme.clone().unwrap();
        assert_eq!(programme.vendor_key.as_deref(), Some(key.as_str()));
        assert_eq!(programme.revision, before.revision + 1);
        let file = vendor.export_programme().unwrap();
        assert!(file.contains("\"signature\": {\"algorithm\":\"ed25519\""), "{file}");

        let mut partner = partner();
        let update = partner.programme_update(&file).unwrap();
        assert!(update.signed && update.newer, "{update:?}");
        assert_eq!(update.current_revision, Some(1));
        assert_eq!(update.changes, vec![format!("Vendor's signing key: none → {key}")]);
        partner.adopt_programme(&file, t("03T10:00:00")).unwrap();
        assert_eq!(partner.workspace().programme.as_ref().unwrap().vendor_key.as_deref(), Some(key.as_str()));
        assert!(!partner.programme_update(&file).unwrap().newer);

        // The vendor changes a rule: a newer revision, and the change by name.
        let mut edited = serde_json::to_value(vendor.workspace().programme.as_ref().unwrap()).unwrap();
        edited["protectionDays"] = json!(120);
        vendor.set_programme(&edited.to_string(), t("04T09:00:00")).unwrap();
        let newer = vendor.export_programme().unwrap();
        let update = partner.programme_update(&newer).unwrap();
        assert_eq!((update.revision, update.current_revision), (3, Some(2)));
        assert_eq!(update.changes, vec!["Protection window (days): 90 → 120"]);
        partner.adopt_programme(&newer, t("04T10:00:00")).unwrap();

        // The older file is refused now, and so is one signed by anyone else.
        let stale = partner.adopt_programme(&file, t("04T11:00:00")).unwrap_err();
        assert_eq!(problem_paths(&stale), ["$.revision"]);
        let mut forged = serde_json::to_value(vendor.workspace().programme_file().unwrap()).unwrap();
        forged["revision"] = json!(9);
        forged["protectionDays"] = json!(365);
        let mallory = KeyPair::from_seed(&[66; 32]).unwrap();
        forged["vendorKey"] = json!(mallory.public_key());
        let before = partner.export_backup();
        let refused = partner.adopt_programme(&mallory.sign(&forged), t("04T12:00:00")).unwrap_err();
        assert_eq!(problem_paths(&refused), ["$.signature.key"]);
        let unsigned = partner.adopt_programme(&forged.to_string(), t("04T12:00:00")).unwrap_err();
        assert!(unsigned.to_string().contains("$.signature: is missing"), "{unsigned}");
        assert_eq!(partner.export_backup(), before);
    }

    #[test]
    fn programme_changes_name_each_change_in_words_and_records_by_name() {
        let old = vendor_programme();
        let mut new = old.clone();
        new.partners.remove(1);
        new.partners[0].countries.push("DK".into());
        new.named_accounts.clear();
        new.protection_days = 60;
        new.conflict.related_companies = dealreg::programme::RelatedCompanies::Same;
        // In the order of the fields' names; lists of records by id, lists of values whole.
        assert_eq!(
            dealreg::files::programme_changes(&old, &new),
            [
                "Companies with the same first word: reviewed → one customer",
                "Named account Ericsson: removed",
                "Named account Siemens AG: removed",
                "Named account Unilever PLC: removed",
                "Partner Nordlys IT AS, countries: [NO, SE] → [NO, SE, DK]",
                "Partner Kronberg Systemhaus GmbH: removed",
                "Protection window (days): 90 → 60",
            ]
        );
        assert!(dealreg::files::programme_changes(&old, &old.clone()).is_empty());

        // A value in a record is named after the record; nested values by their own label.
        let mut new = old.clone();
        new.tiers[0].rebate_percent = 4.0;
        let mut product = new.products[0].clone();
        product.sku = "NX-NEW".into();
        product.name = "NX new thing".into();
        new.products.push(product);
        new.extension.days = 45;
        new.stage_probabilities.insert(dealreg::registration::Stage::Close, 0.95);
        assert_eq!(
            dealreg::files::programme_changes(&old, &new),
            [
                "Days an extension adds: 30 → 45",
                "Product NX-NEW (NX new thing): added",
                "Win probability at stage close: 0.9 → 0.95",
                "Tier Platinum, rebate (%): 3 → 4",
            ]
        );
    }

    fn vendor_programme() -> dealreg::programme::Programme {
        desk(Role::Vendor).workspace().programme.clone().unwrap()
    }

    /// A desk with the demo data as changed by `edit` (the vendor routing leads, say).
    fn desk_with(role: Role, edit: impl Fn(&mut Value)) -> Desk<MemoryStorage> {
        let mut dataset: Value = serde_json::from_str(DATASET).unwrap();
        edit(&mut dataset);
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(Change::ChooseRole { role }, t("02T09:00:00")).unwrap();
        desk.load_dataset(PROGRAMME, &dataset.to_string(), t("02T09:01:00")).unwrap();
        desk
    }

    fn assign(dataset: &mut Value, lead: &str, partner: Option<&str>) {
        let leads = dataset["leads"].as_array_mut().unwrap();
        let lead = leads.iter_mut().find(|l| l["id"] == lead).unwrap();
        lead["assignedTo"] = partner.map_or(Value::Null, Value::from);
        // Assigned by hand: no offer to answer (it counts as accepted).
        lead.as_object_mut().unwrap().remove("offer");
    }

    fn lead<'a>(desk: &'a Desk<MemoryStorage>, id: &str) -> Option<&'a dealreg::leads::Lead> {
        desk.workspace().leads.iter().find(|l| l.id == id)
    }

    #[test]
    fn leads_assigned_and_recalled_travel_in_decision_files_newest_list_first() {
        let mut partner = partner();
        assert_eq!(lead(&partner, "L-0006").unwrap().assigned_to.as_deref(), Some(PARTNER));
        assert!(lead(&partner, "L-0018").is_none());
        let before = desk(Role::Vendor).export_decisions(PARTNER, t("04T09:00:00")).unwrap();

        // The vendor routes L-0002 to the partner and recalls L-0003.
        let vendor = desk_with(Role::Vendor, |d| {
            assign(d, "L-0018", Some(PARTNER));
            assign(d, "L-0006", None);
        });
        let after = vendor.export_decisions(PARTNER, t("05T09:00:00")).unwrap();
        let report = partner.import_decisions(&after, t("05T10:00:00")).unwrap();
        assert!(report.added.contains(&"L-0018".to_string()), "{report:?}");
        assert!(report.updated.contains(&"L-0006".to_string()), "{report:?}");
        let recalled = lead(&partner, "L-0006").unwrap();
        assert_eq!(
            (recalled.assigned_to.as_deref(), recalled.activities.len()),
            (None, 1),
            "kept, with its activity"
        );
        assert_eq!(lead(&partner, "L-0018").unwrap().assigned_to.as_deref(), Some(PARTNER));

        // The older list, read late, changes no lead; the same file again changes nothing.
        let leads = partner.workspace().leads.clone();
        let late = partner.import_decisions(&before, t("05T11:00:00")).unwrap();
        assert!(late.refused.iter().any(|p| p.path == "$.leads" && p.message.contains("older")), "{late:?}");
        assert_eq!(partner.workspace().leads, leads);
        let snapshot = partner.export_backup();
        partner.import_decisions(&after, t("05T12:00:00")).unwrap();
        assert_eq!(partner.export_backup(), snapshot);

        // A newer list with nothing new for a lead leaves it as it is.
        let again = vendor.export_decisions(PARTNER, t("06T09:00:00")).unwrap();
        let report = partner.import_decisions(&again, t("06T10:00:00")).unwrap();
        assert!(report.unchanged.contains(&"L-0018".to_string()), "{report:?}");
        assert_eq!(partner.workspace().leads, leads);
    }

    #[test]
    fn a_partners_lead_work_reaches_the_vendor_status_only_while_assigned() {
        let mut vendor = desk(Role::Vendor);
        let partner = partner();
        let mut submission: Value =
            serde_json::from_str(&partner.export_submission(t("05T09:00:00")).unwrap()).unwrap();
        let lead_at = |s: &mut Value, id: &str| -> usize {
            s["leads"].as_array().unwrap().iter().position(|l| l["id"] == id).unwrap()
        };
        // The partner called L-0003 and qualified it (a newer revision of its copy).
        let at = lead_at(&mut submission, "L-0006");
        submission["leads"][at]["status"] = "qualified".into();
        submission["leads"][at]["revision"] = 2.into();
        submission["leads"][at]["activities"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"kind": "call", "at": "2026-11-04T10:00:00Z"}));
        let report = vendor.import_submission(&submission.to_string(), t("05T10:00:00")).unwrap();
        assert!(report.updated.contains(&"L-0006".to_string()), "{report:?}");
        let stored = lead(&vendor, "L-0006").unwrap();
        assert_eq!((stored.status.as_str(), stored.activities.len()), ("qualified", 2));
        let snapshot = vendor.export_backup();
        vendor.import_submission(&submission.to_string(), t("05T11:00:00")).unwrap();
        assert_eq!(vendor.export_backup(), snapshot, "the same file twice");

        // Recalled meanwhile: the activity is a fact and is kept, the status
        // is not the partner's to set.
        let mut vendor = desk(Role::Vendor);
        let recall = Change::RecallLead { id: "L-0006".into(), reason: "idle".into() };
        vendor.apply(recall, t("05T09:30:00")).unwrap();
        let report = vendor.import_submission(&submission.to_string(), t("05T10:00:00")).unwrap();
        assert!(report.refused.iter().any(|p| p.message.contains("recalled from p-nordlys")), "{report:?}");
        let stored = lead(&vendor, "L-0006").unwrap();
        assert_eq!((stored.status.as_str(), stored.activities.len()), ("nurturing", 2));

        // A lead of someone else's in the file spoils the file.
        let mut foreign = submission.clone();
        foreign["leads"][at]["assignedTo"] = "p-lagom".into();
        let error = desk(Role::Vendor).import_submission(&foreign.to_string(), t("05T10:00:00")).unwrap_err();
        assert_eq!(problem_paths(&error), [format!("$.leads[{at}].assignedTo")]);

        // So does a lead the vendor gave another partner, and never this one,
        // whatever the file says of it: nothing of the file is read.
        let mut vendor = desk_with(Role::Vendor, |d| assign(d, "L-0006", Some("p-lagom")));
        let before = vendor.export_backup();
        let error = vendor.import_submission(&submission.to_string(), t("05T10:00:00")).unwrap_err();
        assert_eq!(problem_paths(&error), [format!("$.leads[{at}].id")]);
        assert!(error.to_string().contains("is a lead of Lagom"), "{error}");
        assert_eq!(vendor.export_backup(), before);
    }

    #[test]
    fn a_file_of_another_of_our_formats_is_named() {
        let (vendor, mut partner) = signed_pair();
        let decisions = vendor.export_decisions(PARTNER, t("05T11:00:00")).unwrap();
        let submission = partner.export_submission(t("05T11:00:00")).unwrap();
        let key = vendor.export_key(PASSPHRASE, [4; 40], t("05T11:00:00")).unwrap();
        let mut other_vendor = desk(Role::Vendor);
        for (text, name) in [(&decisions, "decision file"), (&key, "key file")] {
            let error = other_vendor.import_submission(text, t("05T12:00:00")).unwrap_err();
            assert!(error.to_string().contains(&format!("(that is a dealreg {name})")), "{error}");
        }
        let error = partner.import_decisions(&submission, t("05T12:00:00")).unwrap_err();
        assert!(error.to_string().contains("(that is a dealreg submission file)"), "{error}");
    }

    #[test]
    fn an_edited_or_forged_decision_file_is_refused_and_changes_nothing() {
        let (mut vendor, mut partner) = signed_pair();
        let id = register(&mut partner, "Fjord Shipping AS", 7200.0, "05T09:00:00");
        vendor
            .import_submission(&partner.export_submission(t("05T09:10:00")).unwrap(), t("05T10:00:00"))
            .unwrap();
        assert_eq!(vendor.workspace().registration(&id).unwrap().status, Status::Approved);
        let genuine = vendor.export_decisions(PARTNER, t("05T11:00:00")).unwrap();
        let before = partner.export_backup();

        // One changed character: the protection date moves a year.
        let edited = genuine.replacen("\"protectedUntil\": \"2027", "\"protectedUntil\": \"2028", 1);
        assert_ne!(edited, genuine);
        let error = partner.import_decisions(&edited, t("05T12:00:00")).unwrap_err();
        assert_eq!(problem_paths(&error), ["$.signature"]);
        assert!(error.to_string().contains("changed after the vendor signed it"), "{error}");

        // Another key signing a well-formed file; the file without its signature.
        let body = genuine[..genuine.rfind(",\n  \"signature\"").unwrap()].to_string() + "\n}";
        let file: DecisionFile = serde_json::from_str(&body).unwrap();
        let forged = KeyPair::from_seed(&[66; 32]).unwrap().sign(&file);
        assert_eq!(
            problem_paths(&partner.import_decisions(&forged, t("05T12:00:00")).unwrap_err()),
            ["$.signature.key"]
        );
        assert_eq!(
            problem_paths(&partner.import_decisions(&body, t("05T12:00:00")).unwrap_err()),
            ["$.signature"]
        );
        assert_eq!(partner.export_backup(), before, "a refused file changed the desk");

        let report = partner.import_decisions(&genuine, t("05T12:00:00")).unwrap();
        assert!(report.signed && report.updated.contains(&id) && report.refused.is_empty(), "{report:?}");
    }

    #[test]
    fn the_secret_key_is_in_the_key_file_and_nowhere_else() {
        let (mut vendor, mut partner) = signed_pair();
        register(&mut partner, "Fjord Shipping AS", 7200.0, "05T09:00:00");
        let submission = partner.export_submission(t("05T09:10:00")).unwrap();
        vendor.import_submission(&submission, t("05T10:00:00")).unwrap();
        let secret = Base64::encode_string(&[7u8; 32]);
        let hex: String = [7u8; 32].iter().map(|b| format!("{b:02x}")).collect();
        let key_file = vendor.export_key(PASSPHRASE, [4; 40], t("05T11:00:00")).unwrap();
        // Locked: the file travels without the secret in it as it is.
        assert!(key_file.contains("Keep it offline") && key_file.contains("argon2id"));
        let kept = vendor.storage().items[KEY_STORAGE].clone();
        assert!(kept.contains(&secret), "the browser's own copy is the one place it is as it is");

        let mut exported = vec![
            ("programme", vendor.export_programme().unwrap()),
            ("decisions", vendor.export_decisions(PARTNER, t("05T11:00:00")).unwrap()),
            ("backup", vendor.export_backup()),
            ("submission", submission),
            ("partner backup", partner.export_backup()),
            ("registrations CSV", vendor.workspace().registrations_csv(true)),
            ("leads CSV", vendor.workspace().leads_csv(true)),
            ("public key", vendor.public_key().unwrap()),
            ("debug", format!("{:?}", KeyPair::from_file(&key_file, Some(PASSPHRASE)).unwrap())),
            ("key file", key_file.clone()),
        ];
        for (name, value) in &vendor.storage().items {
            if name != KEY_STORAGE {
                exported.push(("stored", value.clone()));
            }
        }
        for error in [
            vendor.create_key(&[8; 32], t("05T12:00:00")).unwrap_err(),
            partner
                .import_key(
                    &key_file.replace(&vendor.public_key().unwrap(), "AAAA"),
                    Some(PASSPHRASE),
                    t("05T12:00:00"),
                )
                .unwrap_err(),
            {
                // A broken kept key: the desk opens, says why it cannot sign, and makes no other key.
                let broken = kept.replace("\"publicKey\"", "\"publicKey \"");
                let storage =
                    MemoryStorage { items: [(KEY_STORAGE.to_string(), broken.clone())].into(), quota: None };
                let mut desk = Desk::open(storage).unwrap();
                assert!(desk.key_problem().unwrap().contains("cannot be read"));
                exported.push(("key problem", desk.key_problem().unwrap().to_string()));
                let refused = desk.create_key(&[9; 32], t("05T12:00:00")).unwrap_err();
                assert_eq!(desk.storage().items[KEY_STORAGE], broken, "the kept key was overwritten");
                desk.import_key(&key_file, Some(PASSPHRASE), t("05T12:00:00")).unwrap();
                assert_eq!(desk.key_problem(), None);
                refused
            },
        ] {
            exported.push(("error", format!("{error} {error:?}")));
        }
        for (what, text) in exported {
            assert!(!text.contains(&secret) && !text.contains(&hex), "the secret key is in the {what}");
        }
    }

    #[test]
    fn a_vendor_in_a_new_browser_signs_again_after_importing_its_key() {
        let (vendor, _) = signed_pair();
        let key_file = vendor.export_key(PASSPHRASE, [4; 40], t("05T09:00:00")).unwrap();
        let mut moved = Desk::open(MemoryStorage::default()).unwrap();
        moved.import_backup(&vendor.export_backup()).unwrap();
        let error = moved.export_decisions(PARTNER, t("05T10:00:00")).unwrap_err();
        assert!(error.to_string().contains("import the key file first"), "{error}");
        let other = KeyPair::from_seed(&[9; 32]).unwrap().to_file(t("05T10:00:00"));
        assert!(moved
            .import_key(&other, None, t("05T10:00:00"))
            .unwrap_err()
            .to_string()
            .contains("not the key the programme names"));
        let wrong = moved.import_key(&key_file, Some("not the passphrase"), t("05T10:00:00")).unwrap_err();
        assert!(wrong.to_string().contains("the passphrase is not the one"), "{wrong}");
        assert!(moved.public_key().is_none(), "a wrong passphrase changes nothing");
        let read = moved.import_key(&key_file, Some(PASSPHRASE), t("05T10:00:00")).unwrap();
        assert_eq!(read, vendor.public_key().unwrap());
        assert_eq!(
            moved.export_decisions(PARTNER, t("05T10:00:00")).unwrap(),
            vendor.export_decisions(PARTNER, t("05T10:00:00")).unwrap()
        );
    }

    #[test]
    fn a_partner_listed_with_a_key_must_sign_its_submissions() {
        let (mut vendor, mut partner) = signed_pair();
        let partner_key = partner.create_key(&[21; 32], t("04T09:00:00")).unwrap();
        let mut programme = serde_json::to_value(vendor.workspace().programme.as_ref().unwrap()).unwrap();
        let idx = programme["partners"].as_array().unwrap().iter().position(|p| p["id"] == PARTNER).unwrap();
        programme["partners"][idx]["signingKey"] = json!(partner_key);
        vendor.set_programme(&programme.to_string(), t("04T10:00:00")).unwrap();
        partner.adopt_programme(&vendor.export_programme().unwrap(), t("04T11:00:00")).unwrap();

        register(&mut partner, "Fjord Shipping AS", 7200.0, "05T09:00:00");
        let signed = partner.export_submission(t("05T09:10:00")).unwrap();
        let unsigned = signed[..signed.rfind(",\n  \"signature\"").unwrap()].to_string() + "\n}";
        let error = vendor.import_submission(&unsigned, t("05T10:00:00")).unwrap_err();
        assert!(error.to_string().contains("$.signature: is missing"), "{error}");
        let report = vendor.import_submission(&signed, t("05T10:00:00")).unwrap();
        assert!(report.signed && report.added.len() == 1, "{report:?}");
    }

    /// Decision files read in any order leave the partner's records the same:
    /// an older entry never overwrites a newer one.
    #[test]
    fn decision_files_read_in_any_order_give_the_same_records() {
        let (mut vendor, mut partner) = signed_pair();
        let id = register(&mut partner, "Nordkapp Kraft AS", 60000.0, "05T09:00:00");
        vendor
            .import_submission(&partner.export_submission(t("05T09:10:00")).unwrap(), t("05T10:00:00"))
            .unwrap();
        let first = vendor.export_decisions(PARTNER, t("05T11:00:00")).unwrap();
        vendor
            .apply(
                Change::Decide { id: id.clone(), approve: true, reason: "Strategic".into() },
                t("06T09:00:00"),
            )
            .unwrap();
        let second = vendor.export_decisions(PARTNER, t("06T10:00:00")).unwrap();

        let mut in_order = partner.clone_for_test();
        in_order.import_decisions(&first, t("07T09:00:00")).unwrap();
        in_order.import_decisions(&second, t("07T09:01:00")).unwrap();
        let mut reversed = partner.clone_for_test();
        reversed.import_decisions(&second, t("07T09:00:00")).unwrap();
        let report = reversed.import_decisions(&first, t("07T09:01:00")).unwrap();
        // The registration's older entry, and the older lead list.
        let paths: Vec<&str> = report.refused.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$.leads", "$.decisions[23].revision"], "{report:?}");
        assert!(report.refused[1].message.contains("older than revision"), "{report:?}");
        // The same records, but for the partner desk's own count of changes.
        let records = |desk: &Desk<MemoryStorage>| {
            let mut records = desk.workspace().registrations.clone();
            records.iter_mut().for_each(|r| r.revision = 0);
            records
        };
        assert_eq!(records(&in_order), records(&reversed));
        assert_eq!(reversed.workspace().registration(&id).unwrap().status, Status::Approved);
    }

    /// Several partners' submission files, read by the vendor in any order,
    /// give the same records; reading them all again changes nothing; and the
    /// vendor's backup brings back the same desk.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        const PARTNERS: [(&str, &str); 4] =
            [("p-nordlys", "NO"), ("p-kronberg", "DE"), ("p-lagom", "SE"), ("p-thames", "GB")];
        const CUSTOMERS: [&str; 8] = [
            "Aurora Bakeries",
            "Granite Shipping",
            "Copperleaf Dental",
            "Meridian Optics",
            "Nimbus Textiles",
            "Quarry Logistics",
            "Saffron Foods",
            "Tundra Mining",
        ];

        fn files(deals: &[(usize, u32)]) -> Vec<String> {
            let mut out = Vec::new();
            for (p, (partner_id, country)) in PARTNERS.iter().enumerate() {
                let mut desk = desk(Role::Partner { partner_id: (*partner_id).into() });
                let before = desk.workspace().registrations.len();
                for (n, (_, value)) in deals.iter().enumerate().filter(|(_, (owner, _))| *owner == p) {
                    let draft: Draft = serde_json::from_value(json!({
                        "partnerId": "",
                        "customer": { "name": CUSTOMERS[n], "country": country, "domain": format!("c{n}-deal.example") },
                        "products": [{ "sku": "NX-SW24", "quantity": 2 }],
                        "value": value, "currency": "EUR", "expectedClose": "2027-02-01", "stage": "price"
                    }))
                    .unwrap();
                    desk.apply(Change::Register { draft, submit: true, random: random() }, t("05T09:00:00"))
                        .unwrap();
                }
                if desk.workspace().registrations.len() > before {
                    out.push(desk.export_submission(t("05T10:00:00")).unwrap());
                }
            }
            out
        }

        fn read_all(files: &[String], order: &[usize]) -> Desk<MemoryStorage> {
            let mut vendor = desk(Role::Vendor);
            for &i in order {
                vendor.import_submission(&files[i], t("06T09:00:00")).unwrap();
            }
            vendor
        }

        fn records(desk: &Desk<MemoryStorage>) -> Vec<dealreg::registration::Registration> {
            let mut records = desk.workspace().registrations.clone();
            records.sort_by(|a, b| a.id.cmp(&b.id));
            records
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
            #[test]
            fn submissions_read_in_any_order_give_the_same_desk(
                deals in proptest::collection::vec((0..4usize, prop_oneof![Just(6_000u32), Just(9_500), Just(40_000)]), 1..8),
                seed in any::<u64>(),
            ) {
                let files = files(&deals);
                let in_order: Vec<usize> = (0..files.len()).collect();
                let mut shuffled = in_order.clone();
                // A seeded Fisher-Yates, so a failure names its order.
                let mut state = seed;
                for i in (1..shuffled.len()).rev() {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    shuffled.swap(i, (state >> 33) as usize % (i + 1));
                }
                let a = read_all(&files, &in_order);
                let mut b = read_all(&files, &shuffled);
                prop_assert_eq!(records(&a), records(&b));

                let before = b.storage().items.clone();
                for file in &files {
                    let again = b.import_submission(file, t("07T09:00:00")).unwrap();
                    prop_assert!(again.added.is_empty() && again.updated.is_empty(), "{:?}", again);
                }
                prop_assert!(b.storage().items == before, "reading the files again changed the desk");

                let mut restored = Desk::open(MemoryStorage::default()).unwrap();
                restored.import_backup(&b.export_backup()).unwrap();
                prop_assert_eq!(restored.export_backup(), b.export_backup());
                prop_assert_eq!(restored.workspace(), b.workspace());
            }
        }
    }

    #[test]
    fn a_trusted_vendor_key_cannot_be_dropped_and_a_vendor_desk_keeps_naming_its_own() {
        let (mut vendor, mut partner) = signed_pair();
        let key = vendor.public_key().unwrap();

        // Signed by the trusted key, but dropping it would let unsigned files in: refused.
        let mut without = vendor.workspace().programme_file().unwrap();
        without.vendor_key = None;
        without.revision += 1;
        let signed = KeyPair::from_seed(&[7; 32]).unwrap().sign(&without);
        let error = partner.adopt_programme(&signed, t("04T09:00:00")).unwrap_err();
        assert_eq!(problem_paths(&error), ["$.vendorKey"]);

        // The vendor starts an empty desk and loads the demo again: its programme names the key.
        vendor.apply(Change::Reset, t("04T10:00:00")).unwrap();
        assert_eq!(vendor.workspace().role, None, "the role is chosen again");
        vendor.apply(Change::ChooseRole { role: Role::Vendor }, t("04T10:00:30")).unwrap();
        vendor.load_dataset(PROGRAMME, DATASET, t("04T10:01:00")).unwrap();
        assert_eq!(vendor.workspace().programme.as_ref().unwrap().vendor_key.as_deref(), Some(key.as_str()));
        let mut edited = serde_json::to_value(vendor.workspace().programme.as_ref().unwrap()).unwrap();
        edited.as_object_mut().unwrap().remove("vendorKey");
        edited["protectionDays"] = json!(100);
        vendor.set_programme(&edited.to_string(), t("04T11:00:00")).unwrap();
        assert_eq!(vendor.workspace().programme.as_ref().unwrap().vendor_key.as_deref(), Some(key.as_str()));
    }

    trait CloneForTest {
        fn clone_for_test(&self) -> Self;
    }
    impl CloneForTest for Desk<MemoryStorage> {
        fn clone_for_test(&self) -> Self {
            Desk::open(self.storage().clone()).unwrap()
        }
    }
}

mod matching {
    //! The customer matcher: verdicts with evidence from tests/fixtures/matching/verdicts.json,
    //! known answers of the metric, and properties that must hold for any input.
    use dealreg::conflict::bound::Sketch;
    use dealreg::conflict::index::CustomerIndex;
    use dealreg::conflict::names::normalise;
    use dealreg::conflict::{FuzzyMatcher, Party, Profile, Verdict};
    use dealreg::programme::RelatedCompanies;
    use proptest::prelude::*;

    #[test]
    fn verdicts_come_with_their_evidence() {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("fixtures/matching/verdicts.json")).unwrap();
        let matcher = FuzzyMatcher::default();
        let mut wrong = Vec::new();
        for case in &cases {
            let party = |v: &serde_json::Value| -> Party { serde_json::from_value(v.clone()).unwrap() };
            let (a, b) = (party(&case["a"]), party(&case["b"]));
            let got = matcher.compare_profiles(&a.profile(), &b.profile());
            let verdict = serde_json::to_value(got.verdict).unwrap();
            if verdict != case["verdict"] {
                wrong.push(format!(
                    "{} / {}: {verdict}, expected {} ({})",
                    a.name,
                    b.name,
                    case["verdict"],
                    got.summary()
                ));
            }
            for signal in case["signals"].as_array().unwrap() {
                if !got.evidence.iter().any(|s| s.signal == signal.as_str().unwrap()) {
                    wrong.push(format!("{} / {}: no {signal} signal in {:?}", a.name, b.name, got.evidence));
                }
            }
        }
        assert!(cases.len() >= 15);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn jaro_winkler_known_answers() {
        // The matcher's kernel, and RapidFuzz's, which it reproduces.
        let ours = |a: &str, b: &str| dealreg::conflict::metrics::measure(a.as_bytes(), b.as_bytes()).0;
        let rapidfuzz =
            |a: &str, b: &str| rapidfuzz::distance::jaro_winkler::normalized_similarity(a.chars(), b.chars());
        for (a, b, want) in
            [("MARTHA", "MARHTA", 0.9611), ("DWAYNE", "DUANE", 0.8400), ("DIXON", "DICKSONX", 0.8133)]
        {
            assert!((ours(a, b) - want).abs() < 5e-5, "{a}/{b}: {}", ours(a, b));
            assert_eq!(ours(a, b), rapidfuzz(a, b), "{a}/{b}");
        }
    }

    /// The scan finds what checking each customer against the others finds.
    #[test]
    fn the_scan_finds_what_the_checks_find() {
        let names = include_str!("fixtures/matching/labelled-dev.tsv");
        let names: Vec<String> = names
            .lines()
            .skip(1)
            .flat_map(|l| {
                let fields: Vec<&str> = l.split('\t').collect();
                [fields[0], fields[3]]
            })
            .take(1200)
            .map(String::from)
            .collect();
        // The same customers again, as registers have them: some spelt as
        // before (equal profiles), some in capitals; and names with no key.
        let mut again: Vec<String> =
            names.iter().step_by(7).flat_map(|n| [n.clone(), n.clone(), n.to_uppercase()]).collect();
        again.extend(["M &", "M &", "AB SA GmbH", "ab sa gmbh"].map(String::from));
        let profiles: Vec<Profile> = names.iter().chain(&again).map(|n| profile(n, "", "")).collect();
        let index = CustomerIndex::new(profiles.clone());
        assert!((0..index.len()).filter(|&i| !index.is_first(i)).count() > 300, "many equal profiles");
        let m = FuzzyMatcher { common: index.common_words(), ..FuzzyMatcher::default() };
        // Every pair, and with a rule that keeps some pairs out.
        let keeps: [&dyn Fn(usize, usize) -> bool; 2] = [&|_, _| true, &|i, j| (i + j) % 3 != 0];
        for keep in keeps {
            let mut scanned: Vec<(usize, usize, f64)> = m.scan(&index, keep);
            scanned.sort_by_key(|&(i, j, _)| (i, j));
            let mut checked: Vec<(usize, usize, f64)> = Vec::new();
            for (i, p) in profiles.iter().enumerate() {
                for (j, found) in m.search(&index, p) {
                    if j > i && keep(i, j) {
                        checked.push((i, j, found.score));
                    }
                }
            }
            assert!(scanned.len() > 300, "the fixture has many matches: {}", scanned.len());
            assert_eq!(scanned, checked);
        }
    }

    fn profile(name: &str, domain: &str, country: &str) -> Profile {
        Profile::new(name, &[domain], country, "")
    }

    proptest! {
        /// The kernel computes RapidFuzz's numbers, to the last bit, on any
        /// bytes of up to 64 and past (few letters, so that they repeat).
        #[test]
        fn the_metrics_are_rapidfuzzs(
            a in proptest::collection::vec(proptest::sample::select(b"abcde xyz".to_vec()), 0..70),
            b in proptest::collection::vec(proptest::sample::select(b"abcde xyz".to_vec()), 0..70),
        ) {
            let rapidfuzz = (
                rapidfuzz::distance::jaro_winkler::normalized_similarity(a.iter().copied(), b.iter().copied()),
                rapidfuzz::fuzz::ratio(a.iter().copied(), b.iter().copied()),
            );
            prop_assert_eq!(dealreg::conflict::metrics::measure(&a, &b), rapidfuzz);
        }

        #[test]
        fn normalising_never_panics_and_is_idempotent(name in "\\PC*") {
            let once = normalise(&name);
            prop_assert_eq!(normalise(&once), once);
        }

        #[test]
        fn normalising_company_like_names_is_idempotent(
            name in "(The |AB |)[A-Za-zÀ-ÿ&.' -]{0,30}( (AB|GmbH|S\\.A\\.|Inc\\.|Ltd|N \\.V\\.|Oy|K\\.K\\.))?"
        ) {
            let once = normalise(&name);
            prop_assert_eq!(normalise(&once), once);
        }

        #[test]
        fn the_score_is_symmetric(
            a in "[A-Za-z0-9Ü&. -]{0,24}", b in "[A-Za-z0-9Ü&. -]{0,24}",
            da in "(|x\\.com|y\\.co\\.uk|gmail\\.com)", db in "(|x\\.com|y\\.co\\.uk|gmail\\.com)",
            ca in "(SE|DE|)", cb in "(SE|DE|)",
        ) {
            let m = FuzzyMatcher::default();
            let (pa, pb) = (profile(&a, &da, &ca), profile(&b, &db, &cb));
            let (ab, ba) = (m.compare_profiles(&pa, &pb), m.compare_profiles(&pb, &pa));
            prop_assert_eq!(ab.score, ba.score);
            prop_assert!((0.0..=1.0).contains(&ab.score));
        }

        /// The sketch's best score never falls below the score, so a scan that
        /// skips the pairs it rules out loses no match. Names share words and
        /// letters here, so most pairs are near the threshold.
        #[test]
        fn the_sketch_never_rules_out_a_match(
            a in "(Nord|Volvo|Bank|Group|Fund 2[34]|the|[a-z]{1,6}|AB|GmbH| )*",
            b in "(Nord|Volvo|Bank|Group|Fund 2[34]|the|[a-z]{1,6}|AB|GmbH| )*",
            da in "(|x\\.com|y\\.co\\.uk)", db in "(|x\\.com|y\\.co\\.uk)",
            ca in "(SE|DE|)", cb in "(SE|DE|)", city in "(|Lund)", related in 0..3usize,
        ) {
            let common = ["bank".to_string()].into_iter().collect();
            let related = [RelatedCompanies::Review, RelatedCompanies::Same, RelatedCompanies::Separate][related];
            let m = FuzzyMatcher { common, related, ..FuzzyMatcher::default() };
            let (pa, pb) = (Profile::new(&a, &[&da], &ca, &city), Profile::new(&b, &[&db], &cb, "Lund"));
            let exact = m.compare_profiles(&pa, &pb);
            if !m.could_match(&Sketch::of(&pa), &Sketch::of(&pb)) {
                prop_assert_eq!(exact.verdict, Verdict::Different, "{}", exact.summary());
            }
        }

        #[test]
        fn a_name_matches_itself(name in "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9&. -]{0,30}", domain in "(|x\\.com)") {
            let m = FuzzyMatcher::default();
            let p = profile(&name, &domain, "SE");
            prop_assume!(!p.name.normal.is_empty());
            prop_assert_eq!(m.compare_profiles(&p, &p).verdict, Verdict::Same);
        }
    }
}

mod hostile {
    //! A hostile corpus against every importer: each item is refused with a
    //! message naming the field, and the desk's storage is unchanged, byte for byte.
    use super::signed_files::{desk, t};
    use super::*;
    use dealreg::signing::KeyPair;

    type Import = fn(&mut Desk<MemoryStorage>, &str) -> Result<(), Error>;

    /// Each importer, the desk it runs on, and a valid file of its kind.
    fn importers() -> Vec<(&'static str, Desk<MemoryStorage>, Import, Value)> {
        let partner = || desk(Role::Partner { partner_id: "p-nordlys".into() });
        let vendor = desk(Role::Vendor);
        let submission = partner().export_submission(t("03T09:00:00")).unwrap();
        let decisions = vendor.export_decisions("p-nordlys", t("03T09:00:00")).unwrap();
        let mut programme: Value = serde_json::from_str(&vendor.export_programme().unwrap()).unwrap();
        programme["revision"] = 2.into();
        let key: Value =
            serde_json::from_str(&KeyPair::from_seed(&[5; 32]).unwrap().to_file(t("03T09:00:00"))).unwrap();
        let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        vec![
            (
                "submission",
                desk(Role::Vendor),
                |d, text| d.import_submission(text, t("04T09:00:00")).map(drop),
                parse(&submission),
            ),
            (
                "decision",
                partner(),
                |d, text| d.import_decisions(text, t("04T09:00:00")).map(drop),
                parse(&decisions),
            ),
            (
                "programme",
                partner(),
                |d, text| d.adopt_programme(text, t("04T09:00:00")).map(drop),
                programme,
            ),
            ("backup", partner(), |d, text| d.import_backup(text).map(drop), parse(&vendor.export_backup())),
            ("key", partner(), |d, text| d.import_key(text, None, t("04T09:00:00")).map(drop), key),
        ]
    }

    /// The first list of records in a file, and the path of its first record.
    fn first_record(kind: &str) -> Option<&'static str> {
        match kind {
            "submission" | "backup" => Some("/registrations"),
            "decision" => Some("/decisions"),
            "programme" => Some("/products"),
            _ => None,
        }
    }

    #[test]
    fn every_hostile_file_is_refused_by_name_and_changes_nothing() {
        let markup = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        let mut checked = 0;
        for (kind, mut desk, import, valid) in importers() {
            // (what, the file's text, the path the message must name, a word it must hold)
            let mut corpus: Vec<(String, String, String, &str)> = Vec::new();
            let mut with = |what: &str, edit: &dyn Fn(&mut Value), path: &str, word: &'static str| {
                let mut doc = valid.clone();
                edit(&mut doc);
                corpus.push((what.into(), serde_json::to_string_pretty(&doc).unwrap(), path.into(), word));
            };
            with("wrong format", &|d| d["format"] = "dealreg.invoice".into(), "$.format", "expected");
            with("unknown version", &|d| d["version"] = 99.into(), "$.version", "newer dealreg");
            with("unknown field", &|d| d["extra"] = true.into(), "$.extra", "unknown field");
            if let Some(list) = first_record(kind) {
                let at = format!("${}[0]", list.replace('/', "."));
                let first = |d: &mut Value| d.pointer_mut(&format!("{list}/0")).unwrap().clone();
                with(
                    "a duplicate record",
                    &|d| {
                        let copy = first(d);
                        d.pointer_mut(list).unwrap().as_array_mut().unwrap().push(copy);
                    },
                    "$",
                    "twice",
                );
                if kind != "programme" && kind != "decision" {
                    with(
                        "an impossible date",
                        &|d| {
                            d.pointer_mut(&format!("{list}/0/expectedClose"))
                                .unwrap()
                                .clone_from(&"2026-02-30".into())
                        },
                        &format!("{at}.expectedClose"),
                        "",
                    );
                    with(
                        "negative money",
                        &|d| *d.pointer_mut(&format!("{list}/0/value")).unwrap() = (-5.0).into(),
                        &format!("{at}.value"),
                        "0 or more",
                    );
                    with(
                        "absurd money",
                        &|d| *d.pointer_mut(&format!("{list}/0/value")).unwrap() = 1e300.into(),
                        &format!("{at}.value"),
                        "more than any deal",
                    );
                }
            }
            let text = serde_json::to_string_pretty(&valid).unwrap();
            let nan = text.replacen("\"version\": ", "\"version\": NaN, \"was\": ", 1);
            assert_ne!(nan, text);
            corpus.push(("NaN".into(), nan, "$".into(), ""));
            corpus.push((
                "over the size limit".into(),
                format!(
                    "{}{}",
                    &text[..text.len() - 1],
                    " ".repeat(dealreg::exchange::MAX_DOCUMENT_BYTES) + "}"
                ),
                "$".into(),
                "MB",
            ));
            corpus.push((
                "nested 10,000 deep".into(),
                "[".repeat(10_000) + &"]".repeat(10_000),
                "$".into(),
                "",
            ));
            corpus.push((
                "deep inside an object".into(),
                format!("{{\"format\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000)),
                "$".into(),
                "deeper",
            ));

            let before = desk.storage().items.clone();
            for (what, file, path, word) in corpus {
                let error = import(&mut desk, &file).expect_err(&format!("{kind}: {what} was accepted"));
                let named =
                    error.problems().iter().any(|p| p.path.starts_with(&path) && p.message.contains(word));
                assert!(named, "{kind}: {what}: expected a problem at {path} with {word:?}, got {error}");
                assert!(desk.storage().items == before, "{kind}: {what} changed the desk");
                checked += 1;
            }

            // Markup is data: stored as the text it is, never refused or rewritten (the page shows it as text).
            if let Some(list) = first_record(kind).filter(|_| kind != "decision") {
                let field = if kind == "programme" { "name" } else { "notes" };
                let mut doc = valid.clone();
                *doc.pointer_mut(&format!("{list}/0/{field}")).unwrap() = markup.into();
                if kind == "programme" {
                    doc["revision"] = 3.into();
                }
                if kind == "submission" {
                    // A new registration, so the vendor takes it in as sent.
                    *doc.pointer_mut(&format!("{list}/0/id")).unwrap() = "p-nordlys-R9999".into();
                    *doc.pointer_mut(&format!("{list}/0/status")).unwrap() = "submitted".into();
                }
                import(&mut desk, &serde_json::to_string_pretty(&doc).unwrap()).unwrap();
                let stored = serde_json::to_string(markup).unwrap();
                assert!(desk.export_backup().contains(&stored), "{kind}: the markup was not kept as sent");
            }
        }
        assert!(checked >= 40, "only {checked} hostile files were tried");
    }
}

mod compatibility {
    //! Files of every released version of every format stay readable.
    //! tests/fixtures/files/v1/ was written by the release before signatures
    //! (commit 928f547); v2/ by the first release with them; v3/ by the first
    //! with lead offers and models (commit 83324a3); v4/ by the first with the
    //! qualification checklist, business case, account plan and special prices
    //! (commit 0b5b5c0); v5/ by the first with random ids, decisions bound to
    //! their deal and the key file locked ([`write_v5`]).
    use super::*;
    use dealreg::programme::Programme;

    fn read(version: &str, name: &str) -> Option<String> {
        std::fs::read_to_string(fixtures(&format!("files/{version}")).join(name)).ok()
    }

    fn t(s: &str) -> DateTime<Utc> {
        now(&format!("2026-11-{s}Z"))
    }

    fn desk(role: Role, programme: &str) -> Desk<MemoryStorage> {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(Change::ChooseRole { role }, t("10T09:00:00")).unwrap();
        let dataset = read("v1", "dataset.json").unwrap();
        desk.load_dataset(programme, &dataset, t("10T09:01:00")).unwrap();
        desk
    }

    #[test]
    fn every_released_file_is_still_read() {
        for version in ["v1", "v2", "v3", "v4", "v5"] {
            let file = |name: &str| read(version, name).unwrap();
            let programme = file("programme.json");
            Programme::from_json(&signed_body(&programme))
                .unwrap_or_else(|e| panic!("{version} programme: {e}"));

            // Before version 5 a programme file named every partner, and a fresh
            // partner desk could adopt it; since, a partner joins by invitation,
            // and a desk set up with the roster (as the demo is) adopts the file.
            let names_partners = signed_body(&programme).contains("\"p-nordlys\"");
            if names_partners {
                let mut partner = Desk::open(MemoryStorage::default()).unwrap();
                let nordlys = Role::Partner { partner_id: "p-nordlys".into() };
                partner.apply(Change::ChooseRole { role: nordlys }, t("10T09:00:00")).unwrap();
                partner
                    .adopt_programme(&programme, t("10T09:01:00"))
                    .unwrap_or_else(|e| panic!("{version} programme: {e}"));
            }
            let roster = if names_partners { signed_body(&programme) } else { PROGRAMME.to_string() };
            let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() }, &roster);
            if version != "v1" {
                partner.adopt_programme(&programme, t("10T09:02:00")).unwrap();
            }
            let report = partner
                .import_decisions(&file("decision.json"), t("10T10:00:00"))
                .unwrap_or_else(|e| panic!("{version} decision: {e}"));
            assert!(
                report.refused.iter().all(|p| p.message.contains("not a registration on this desk")),
                "{version}: {report:?}"
            );

            let mut vendor = desk(Role::Vendor, &roster);
            vendor
                .import_submission(&file("submission.json"), t("10T10:00:00"))
                .unwrap_or_else(|e| panic!("{version} submission: {e}"));

            for backup in ["backup-vendor.json", "backup-partner.json"] {
                let mut restored = Desk::open(MemoryStorage::default()).unwrap();
                restored.import_backup(&file(backup)).unwrap_or_else(|e| panic!("{version} {backup}: {e}"));
            }
            if let Some(invitation) = read(version, "invitation.json") {
                let mut joined = Desk::open(MemoryStorage::default()).unwrap();
                let welcome = joined
                    .join(&invitation, t("10T11:00:00"))
                    .unwrap_or_else(|e| panic!("{version} invitation: {e}"));
                assert_eq!(welcome.partner_id, "p-lagom");
            }
            if let Some(key) = read(version, "key.json") {
                let mut vendor = Desk::open(MemoryStorage::default()).unwrap();
                vendor.import_backup(&file("backup-vendor.json")).unwrap();
                let passphrase =
                    (version != "v2" && version != "v3" && version != "v4").then_some(PASSPHRASE);
                vendor
                    .import_key(&key, passphrase, t("10T11:00:00"))
                    .unwrap_or_else(|e| panic!("{version} key: {e}"));
                vendor.export_decisions("p-nordlys", t("10T11:00:00")).unwrap();
            }
        }
    }

    /// Writes tests/fixtures/files/v5/ as this release writes every format: a
    /// signed programme with lead models and a checklist, a routed lead, a
    /// partner's answer and activity, a registration with its checklist,
    /// business case and a special-price request, decisions with the answer and
    /// an account plan, and both backups. Run once when a format changes
    /// version (`cargo test --test native write_v5 -- --ignored`), then keep.
    #[test]
    #[ignore = "writes the release's fixtures; run by hand"]
    fn write_v5() {
        use dealreg::leads::{Activity, ActivityKind};
        let programme = PROGRAMME;
        let mut vendor = desk(Role::Vendor, programme);
        vendor.create_key(&[9; 32], t("10T09:02:00")).unwrap();
        vendor.apply(Change::RouteLead { id: "L-0004".into() }, t("10T09:03:00")).unwrap();
        let signed_programme = vendor.export_programme().unwrap();

        let nordlys = Role::Partner { partner_id: "p-nordlys".into() };
        let mut partner = desk(nordlys, programme);
        partner.adopt_programme(&signed_programme, t("10T09:04:00")).unwrap();
        let call = Activity {
            kind: ActivityKind::Call,
            at: t("10T09:30:00"),
            note: Some("Asked for a quote".into()),
        };
        partner.apply(Change::LogActivity { id: "L-0003".into(), activity: call }, t("10T09:31:00")).unwrap();
        let touch = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
        partner.apply(Change::SetNextTouch { id: "L-0003".into(), date: touch }, t("10T09:32:00")).unwrap();
        let draft: dealreg::registration::Draft = serde_json::from_value(serde_json::json!({
            "partnerId": "p-nordlys",
            "customer": { "name": "Fjellvann Kraft AS", "country": "NO", "domain": "fjellvann.example" },
            "products": [{ "sku": "NX-SW24", "quantity": 3 }],
            "value": 9000.0, "currency": "EUR", "expectedClose": "2027-02-01", "stage": "price",
            "qualification": ["budget", "decisionMaker", "need"],
            "businessCase": { "problem": "Ageing core", "decisionDate": "2027-01-15" }
        }))
        .unwrap();
        partner.apply(Change::Register { draft, submit: true, random: random() }, t("10T09:35:00")).unwrap();
        let id = partner.workspace().registrations.last().unwrap().id.clone();
        let submission = partner.export_submission(t("10T09:36:00")).unwrap();
        vendor.import_submission(&submission, t("10T09:37:00")).unwrap();
        partner
            .import_decisions(
                &vendor.export_decisions("p-nordlys", t("10T09:38:00")).unwrap(),
                t("10T09:39:00"),
            )
            .unwrap();
        let request = dealreg::account::RequestDraft {
            kind: dealreg::account::RequestKind::SpecialPrice,
            note: "Competing bid".into(),
            extra_discount_points: Some(3.0),
            competing_offer: None,
        };
        partner.apply(Change::RequestSupport { id: id.clone(), request }, t("10T09:39:30")).unwrap();
        let submission = partner.export_submission(t("10T09:40:00")).unwrap();
        vendor.import_submission(&submission, t("10T10:00:00")).unwrap();
        let answer = Change::AnswerRequest {
            id: id.clone(),
            request: format!("{id}-Q1"),
            approve: true,
            reason: "Matched to the bid".into(),
            expires_on: None,
        };
        vendor.apply(answer, t("10T10:10:00")).unwrap();
        let plan: dealreg::account::AccountPlan = serde_json::from_value(serde_json::json!({
            "notes": "Joint plan", "steps": [{ "what": "Workshop", "owner": "vendor", "due": "2026-12-01" }]
        }))
        .unwrap();
        vendor.apply(Change::SetAccountPlan { id, plan }, t("10T10:20:00")).unwrap();
        let decisions = vendor.export_decisions("p-nordlys", t("10T10:30:00")).unwrap();
        partner.import_decisions(&decisions, t("10T10:40:00")).unwrap();

        let dir = fixtures("files/v5");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in [
            ("programme.json", signed_programme),
            ("submission.json", submission),
            ("decision.json", decisions),
            ("backup-vendor.json", vendor.export_backup()),
            ("backup-partner.json", partner.export_backup()),
            ("key.json", vendor.export_key(PASSPHRASE, [4; 40], t("10T11:00:00")).unwrap()),
            ("invitation.json", vendor.invite("p-lagom", &[5; 32], t("10T11:10:00")).unwrap()),
        ] {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }

    #[test]
    fn a_partner_desk_from_before_invitations_keeps_its_own_record_only() {
        for version in ["v1", "v2", "v3", "v4"] {
            let backup = read(version, "backup-partner.json").unwrap();
            assert!(
                backup.contains("p-lagom") && backup.contains("incentiveBudget"),
                "{version} held the roster"
            );
            let mut restored = Desk::open(MemoryStorage::default()).unwrap();
            restored.import_backup(&backup).unwrap();
            let programme = restored.workspace().programme.as_ref().unwrap();
            let ids: Vec<&str> = programme.partners.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(ids, ["p-nordlys"], "{version}");
            assert_eq!(programme.incentive_budget, None, "{version}");
            let text = restored.export_backup();
            assert!(
                !text.contains("p-lagom") && !text.contains("Lagom"),
                "{version}: another partner is named"
            );
        }
    }

    /// A programme file's document without its signature, for loading as a data set's programme.
    fn signed_body(text: &str) -> String {
        dealreg::signing::open(text, dealreg::programme::KIND).unwrap().body
    }
}

mod csv_export {
    //! CSV exports, read back by the csv crate.
    use super::*;
    use dealreg::tables::{to_csv, Cell, LEAD_COLUMNS, REGISTRATION_COLUMNS};
    use proptest::prelude::*;

    fn read(text: &str) -> Vec<Vec<String>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back_the_same(
            rows in proptest::collection::vec(proptest::collection::vec("[^=+@\t\r-][\\PC\r\n\",]{0,12}", 3), 1..6),
            bom in any::<bool>(),
        ) {
            let text = to_csv(&["a", "b", "c"], rows.iter().map(|r| r.iter().map(|s| Cell::Text(s.clone())).collect()), bom);
            prop_assert_eq!(text.starts_with('\u{feff}'), bom);
            let mut expected = vec![vec!["a".to_string(), "b".into(), "c".into()]];
            expected.extend(rows.iter().cloned());
            prop_assert_eq!(read(&text), expected);
        }
    }

    #[test]
    fn registrations_and_leads_export_with_crm_headers() {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.apply(Change::ChooseRole { role: Role::Vendor }, now("2026-11-02T09:00:00Z")).unwrap();
        desk.load_dataset(PROGRAMME, DATASET, now("2026-11-02T09:01:00Z")).unwrap();
        let ws = desk.workspace();

        let rows = read(&ws.registrations_csv(true));
        assert_eq!(rows[0], REGISTRATION_COLUMNS);
        assert_eq!(rows.len(), ws.registrations.len() + 1);
        let first = &ws.registrations[0];
        let row = &rows[1];
        assert_eq!((row[0].as_str(), row[1].as_str()), (first.id.as_str(), first.customer.name.as_str()));
        assert_eq!(row[7].parse::<f64>().unwrap(), first.value);
        assert_eq!(row[9], first.expected_close.to_string());
        assert!(ws.registrations_csv(true).starts_with('\u{feff}'));
        assert!(ws.registrations_csv(false).starts_with("Opportunity ID,Account Name,"));

        let rows = read(&ws.leads_csv(false));
        assert_eq!(rows[0], LEAD_COLUMNS);
        assert_eq!(rows.len(), ws.leads.len() + 1);
        let lead = &ws.leads[0];
        assert_eq!(format!("{} {}", rows[1][3], rows[1][4]).trim(), lead.contact_name.trim());
    }

    #[test]
    fn a_formula_in_a_partners_text_stays_text() {
        let text = to_csv(
            &["Account Name"],
            [vec![Cell::Text("=cmd|' /C calc'!A0".into())], vec![Cell::Number(-5.0)]],
            false,
        );
        assert_eq!(read(&text), [vec!["Account Name"], vec!["'=cmd|' /C calc'!A0"], vec!["-5"]]);
    }
}

mod pretty_json {
    //! `exchange::pretty` writes exactly what serde_json's pretty printer writes.
    use super::*;
    use dealreg::exchange::pretty;
    use proptest::prelude::*;

    #[test]
    fn pretty_is_serde_jsons_pretty_on_our_documents() {
        for text in [PROGRAMME, DATASET] {
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap());
        }
        let tricky = serde_json::json!({
            "empty": {}, "none": [], "nested": [[], {}, [[]], {"a": {}}],
            "text": "a \"quoted\" {brace}, [bracket]: colon \\ backslash \n newline ünïcödé 🚀",
            "numbers": [0, -1.5, 1e300, 0.1], "flags": [true, false, null]
        });
        assert_eq!(pretty(&tricky), serde_json::to_string_pretty(&tricky).unwrap());
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            "\\PC{0,8}[\"\\\\{}\\[\\]:,]?".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("[a-z{}:,\"]{0,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn pretty_is_serde_jsons_pretty_on_any_value(value in json()) {
            prop_assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }
}

mod notices {
    //! The word lists compiled into the module lose their headers on the way
    //! (build.rs); www/NOTICES.txt, served beside the page, carries them.
    use super::*;

    #[test]
    fn the_served_notices_carry_every_compiled_lists_header() {
        let made = include_str!(concat!(env!("OUT_DIR"), "/NOTICES.txt"));
        // The lists of others name their licence (ours, written for dealreg or
        // made from Python's Unicode tables, need none).
        assert_eq!(made.matches("\n--- data/").count(), 5, "every compiled list");
        for list in made.split("\n--- ").skip(1) {
            let ours =
                list.starts_with("data/legal-form-equivalents.txt") || list.starts_with("data/fold.tsv");
            assert!(ours || list.contains("icen"), "{list}");
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/NOTICES.txt");
        if std::env::var_os("DEALREG_BLESS").is_some() {
            std::fs::write(&path, made).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), made, "run DEALREG_BLESS=1 cargo test notices");
    }
}
