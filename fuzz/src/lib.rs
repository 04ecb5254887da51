//! The fuzz targets' bodies, one function per target (fuzz_targets/ holds
//! only the libFuzzer entry points), with what they share: the fixed time and
//! the base desks (built once per process, cloned per input). The native
//! tests include this file (tests/native/fuzz.rs) and run every regression
//! input in tests/fixtures/fuzz/<target>/ through [`run`], so a fixed crash
//! is checked by `cargo test` with the fuzzer's own invariants.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use dealreg::conflict::domains::{registrable_domain, registrable_domains};
use dealreg::conflict::names::{normalise, Name};
use dealreg::conflict::Profile;
use dealreg::files::SUBMISSION_KIND;
use dealreg::leads::import::{read_table, ImportOptions};
use dealreg::programme::Programme;
use dealreg::signing::{self, KeyPair};
use dealreg::workspace::{Change, Dataset, Role, Workspace, DATASET_KIND, KIND};

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
    let programme = Programme::from_json(DEMO_PROGRAMME).expect("the demo programme");
    let dataset = dealreg::exchange::read(SMALL_DATASET, DATASET_KIND).expect("the small data set");
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

/// Runs `data` through the target named `target`; false for an unknown name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "programme" => programme(data),
        "backup" => backup(data),
        "dataset" => dataset(data),
        "submission" => submission(data),
        "decision" => decision(data),
        "signed" => signed(data),
        "key" => key(data),
        "change" => change(data),
        "lead_file" => lead_file(data),
        "names" => names(data),
        "stored" => stored(data),
        _ => return false,
    }
    true
}

/// Programme::from_json on any text; a programme it takes, written as the
/// vendor's file, reads back.
pub fn programme(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(programme) = Programme::from_json(text) {
        let written = dealreg::exchange::pretty(&programme);
        if let Err(e) = Programme::from_json(&written) {
            panic!("a programme that was read does not read back once written: {e:?}");
        }
    }
}

/// Workspace::from_json (a backup file, and the desk kept in storage) on any
/// text; a workspace it takes reads back once written.
pub fn backup(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(workspace) = Workspace::from_json(text, KIND.what) {
        let _ = workspace.summary();
        if let Err(e) = Workspace::from_json(&workspace.to_json(), KIND.what) {
            panic!("a backup that was read does not read back once written: {e:?}");
        }
    }
}

/// A data set file (`dealreg.dataset`) loaded with the demo programme on an
/// empty vendor desk: the reader, the checks of the whole, and the load.
pub fn dataset(data: &[u8]) {
    static PROGRAMME: OnceLock<Programme> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(dataset) = dealreg::exchange::read::<Dataset>(text, DATASET_KIND) else { return };
    let programme = PROGRAMME.get_or_init(|| Programme::from_json(DEMO_PROGRAMME).unwrap()).clone();
    let before = empty_vendor();
    let mut desk = before.clone();
    let result = desk.load_dataset(programme, dataset, now());
    check_outcome(before, &desk, &result);
}

/// A vendor desk (demo programme, small data set) importing any text as a
/// partner's submission file.
pub fn submission(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let before = vendor();
    let mut desk = before.clone();
    let result = desk.import_submission(text, now());
    check_outcome(before, &desk, &result);
}

/// A partner desk (p-nordlys, demo programme, small data set) importing any
/// text as the vendor's decision file.
pub fn decision(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let before = partner();
    let mut desk = before.clone();
    let result = desk.import_decisions(text, None, now());
    check_outcome(before, &desk, &result);
}

/// signing::open on any text: a signature found is the file's last member,
/// and the body is the text before it; then the check against the key the
/// signature names (base64 and Ed25519 decoding on hostile values).
pub fn signed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(opened) = signing::open(text, SUBMISSION_KIND) else { return };
    match &opened.signature {
        None => assert_eq!(opened.body, text),
        Some(signature) => {
            let open = opened.body.strip_suffix("\n}").expect("a signed body ends as an object");
            assert!(text.starts_with(open), "the body is not the text before the signature");
            assert!(text.len() > opened.body.len());
            let key = signature.key.clone();
            let _ = signing::expect(&opened, Some(&key), "the fuzzer", SUBMISSION_KIND);
        }
    }
    let _ = signing::expect(&opened, None, "the fuzzer", SUBMISSION_KIND);
}

/// The key file reader (KeyPair::from_file) on any text; a key it reads
/// writes a key file that reads back as the same key.
pub fn key(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(key) = KeyPair::from_file(text, Some("fuzzing passphrase")) {
        let again = KeyPair::from_file(&key.to_file(now()), None).expect("a key file we write reads back");
        assert_eq!(again.public_key(), key.public_key());
    }
}

/// Change::from_json on any text; a change it reads is applied to a copy of a
/// vendor and of a partner desk (demo programme, small data set): refused, the
/// copy is unchanged; applied, the desk reads back.
pub fn change(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(change) = Change::from_json(text, [3; 16]) else { return };
    for before in [vendor(), partner()] {
        let mut desk = before.clone();
        let result = desk.apply(change.clone(), now());
        // Workspace::apply is not atomic by itself (Desk::apply runs it on a
        // copy); what it leaves after Ok must still be a readable desk.
        if result.is_ok() {
            check_outcome(before, &desk, &result);
        }
    }
}

/// The lead file reader (CSV or a JSON array) and the import preview with the
/// default options on a vendor desk (demo programme, small data set).
pub fn lead_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let table = read_table(text, "lead file");
    let preview = vendor().preview_lead_import(text, &ImportOptions::default(), now(), [3; 16]);
    assert_eq!(table.is_ok(), preview.is_ok(), "the preview and the reader disagree");
    if let (Ok(table), Ok(preview)) = (table, preview) {
        assert_eq!(preview.rows, table.rows.len());
        assert!(preview.ready <= preview.rows);
        for (_, row) in &table.rows {
            assert_eq!(row.len(), table.columns.len(), "a row is not as wide as the header");
        }
    }
}

/// The name normaliser and the domain reducer on any UTF-8: no panic,
/// normalising is idempotent, and the registrable domain of a registrable
/// domain is itself.
pub fn names(data: &[u8]) {
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
}

/// The desk kept in storage (`Desk::open` over a map): any text as the stored
/// value, any text's compact form (the read of a desk dealreg wrote, without
/// the file checks), and any bytes as the zlib stream of a compact one.
/// Opening never panics; a desk that opens reads back, and hands the page the
/// JSON `to_json` writes; any text's compact form decodes to it.
pub fn stored(data: &[u8]) {
    use dealreg::workspace::{Desk, MemoryStorage, STORAGE_KEY};
    let open = |text: String| {
        let mut storage = MemoryStorage::default();
        storage.items.insert(STORAGE_KEY.into(), text);
        if let Ok(desk) = Desk::open(storage) {
            assert_eq!(
                desk.document(),
                desk.workspace().to_json(),
                "the page is handed another JSON than the desk's"
            );
            if let Err(e) = Workspace::from_json(&desk.export_backup(), KIND.what) {
                panic!("a stored desk that opened does not read back as a backup: {e:?}");
            }
        }
    };
    open(dealreg::compact::pack(data, 1));
    if let Ok(text) = std::str::from_utf8(data) {
        let packed = dealreg::compact::encode(text, 7);
        assert_eq!(dealreg::compact::decode(&packed), Some(Ok((text.to_string(), 7))));
        open(packed);
        open(text.to_string());
    }
}
