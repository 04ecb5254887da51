//! Browser tests of the wasm boundary, in headless Chromium through
//! wasm-bindgen-test: the Desk over real localStorage, and errors as JS `Error`s.
//! Run by `scripts/test` as `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use dealreg::wasm::{read_programme, Desk};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PROGRAMME: &str = include_str!("../www/demo/programme.json");
const DATASET: &str = include_str!("../www/demo/dataset.json");
const NOW: &str = "2026-11-02T10:00:00Z";
const KEY: &str = "dealreg.workspace";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn change(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The thrown value is a real `Error` with our name, kind and a readable message.
fn error_of(thrown: JsValue) -> (js_sys::Error, String, String) {
    let error = thrown.dyn_into::<js_sys::Error>().expect("an Error object, not a string");
    let kind = js_sys::Reflect::get(&error, &"kind".into()).unwrap().as_string().unwrap();
    assert_eq!(String::from(error.name()), "DealregError");
    let message = String::from(error.message());
    (error, kind, message)
}

fn vendor_desk_with_demo() -> Desk {
    storage().clear().unwrap();
    let mut desk = Desk::open().unwrap();
    desk.apply(change(r#"{"type":"chooseRole","role":{"kind":"vendor"}}"#), NOW).unwrap();
    desk.load_dataset(PROGRAMME, DATASET, NOW).unwrap();
    desk
}

/// The stored desk, inflated.
fn stored_document() -> String {
    let stored = storage().get_item(KEY).unwrap().unwrap();
    assert!(dealreg::compact::revision(&stored).is_some(), "kept in the compact form");
    dealreg::workspace::stored_document(&stored).unwrap()
}

#[wasm_bindgen_test]
fn a_desk_survives_reopening_from_local_storage() {
    let desk = vendor_desk_with_demo();
    let saved = desk.export_backup();
    // Stored with its seal (revision and checksum) after the document the backup holds.
    assert_eq!(stored_document(), saved);

    let reopened = Desk::open().unwrap();
    assert_eq!(reopened.export_backup(), saved);
    let state = reopened.state().unwrap();
    let registrations = js_sys::Reflect::get(&state, &"registrations".into()).unwrap();
    assert_eq!(js_sys::Array::from(&registrations).length(), 109);
    let role = js_sys::Reflect::get(&state, &"role".into()).unwrap();
    assert_eq!(js_sys::Reflect::get(&role, &"kind".into()).unwrap(), "vendor");
}

/// Outputs are JSON values: plain objects (maps too), `null` for a missing
/// value, numbers exactly as the core holds them.
#[wasm_bindgen_test]
fn outputs_are_plain_json_values() {
    let desk = vendor_desk_with_demo();
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let object_prototype = JsValue::from(js_sys::Object::get_prototype_of(&js_sys::Object::new()));
    let plain = |v: &JsValue| JsValue::from(js_sys::Object::get_prototype_of(v)) == object_prototype;
    let state = desk.state().unwrap();
    let rates = get(&get(&state, "programme"), "exchangeRates");
    assert!(plain(&state) && plain(&rates));
    assert_eq!(get(&rates, "GBP").as_f64(), Some(1.17));
    let first = js_sys::Array::from(&get(&state, "registrations")).get(0);
    assert_eq!(get(&first, "value").as_f64(), Some(58600.0));
    assert!(get(&first, "leadId").is_null(), "None is null, not undefined");
    assert!(js_sys::Array::is_array(&get(&first, "products")));
    let decision = desk.explain("R-0001", NOW).unwrap();
    assert!(plain(&decision) && get(&decision, "outcome").is_string());
}

#[wasm_bindgen_test]
fn a_backup_imported_elsewhere_gives_the_same_desk() {
    let backup = vendor_desk_with_demo().export_backup();
    storage().clear().unwrap();
    let mut desk = Desk::open().unwrap();
    desk.import_backup(&backup).unwrap();
    assert_eq!(Desk::open().unwrap().export_backup(), backup);
}

#[wasm_bindgen_test]
fn errors_reach_js_as_error_objects_naming_the_field() {
    let mut desk = vendor_desk_with_demo();
    let before = desk.export_backup();

    let (_, kind, message) = error_of(desk.apply(change(r#"{"type":"fly"}"#), NOW).err().unwrap());
    assert_eq!(kind, "invalid");
    assert!(message.contains("change") && message.contains("fly"), "{message}");

    let (_, kind, message) = error_of(desk.apply(change(r#"{"type":"reset"}"#), "yesterday").err().unwrap());
    assert_eq!(kind, "invalid");
    assert!(message.contains("now") && message.contains("yesterday"), "{message}");

    let foreign = PROGRAMME;
    let (error, kind, message) = error_of(desk.import_backup(foreign).err().unwrap());
    assert_eq!(kind, "invalid");
    assert!(message.contains("$.format") && message.contains("programme file"), "{message}");
    let problems = js_sys::Reflect::get(&error, &"problems".into()).unwrap();
    let first = js_sys::Array::from(&problems).get(0);
    assert_eq!(js_sys::Reflect::get(&first, &"path".into()).unwrap(), "$.format");

    let (_, kind, message) = error_of(read_programme("{}").err().unwrap());
    assert_eq!(kind, "invalid");
    assert!(message.starts_with("programme file is not valid: $.format"), "{message}");

    // Nothing above touched the desk or its storage.
    assert_eq!(desk.export_backup(), before);
    assert_eq!(stored_document(), before);
}

#[wasm_bindgen_test]
fn a_corrupted_stored_desk_is_reported_and_left_as_it_was() {
    storage().clear().unwrap();
    let corrupt = r#"{"format":"dealreg.workspace","version":1,"registrations":[{"id":"#;
    storage().set_item(KEY, corrupt).unwrap();

    let (_, kind, message) = error_of(Desk::open().err().unwrap());
    assert_eq!(kind, "invalid");
    assert!(message.starts_with("the desk stored in this browser is not valid"), "{message}");
    assert_eq!(storage().get_item(KEY).unwrap().as_deref(), Some(corrupt));
    assert_eq!(Desk::stored_text().unwrap().as_deref(), Some(corrupt));

    // Starting over keeps the unreadable value under a set-aside key.
    let desk = Desk::start_over(NOW).unwrap();
    let aside = storage().get_item("dealreg.workspace.set-aside.20261102T100000.000Z").unwrap();
    assert_eq!(aside.as_deref(), Some(corrupt));
    assert_eq!(Desk::open().unwrap().export_backup(), desk.export_backup());
}

#[wasm_bindgen_test]
fn a_full_storage_keeps_the_change_in_memory_and_loses_nothing_stored() {
    storage().clear().unwrap();
    let mut desk = Desk::open().unwrap();
    desk.apply(change(r#"{"type":"chooseRole","role":{"kind":"vendor"}}"#), NOW).unwrap();
    let before = storage().get_item(KEY).unwrap().unwrap();

    // Fill the origin's quota with other keys, coarsely then finely, until under 16 characters are left.
    let mut n_chunks = 0;
    for size in [256 * 1024, 1024, 16] {
        let chunk = "x".repeat(size);
        while storage().set_item(&format!("filler.{n_chunks}"), &chunk).is_ok() {
            n_chunks += 1;
        }
    }
    let result = desk.load_dataset(PROGRAMME, DATASET, NOW);
    let stored = storage().get_item(KEY).unwrap();
    for i in 0..n_chunks {
        storage().remove_item(&format!("filler.{i}")).unwrap();
    }

    result.expect("the change is kept in memory");
    let why = desk.unsaved().expect("the desk says it is not saved");
    assert!(why.contains("QuotaExceededError"), "{why}");
    assert_eq!(stored.as_deref(), Some(before.as_str()), "what was stored is untouched");
    assert!(desk.export_backup().contains("R-0001"), "the data set is on the desk in memory");
}

#[wasm_bindgen_test]
fn evaluate_registration_takes_plain_objects_and_names_bad_fields() {
    use dealreg::wasm::evaluate_registration;
    let programme = js_sys::JSON::parse(PROGRAMME).unwrap();
    let dataset = js_sys::JSON::parse(DATASET).unwrap();
    let registrations = js_sys::Reflect::get(&dataset, &"registrations".into()).unwrap();
    let draft = || {
        js_sys::JSON::parse(
            r#"{"partnerId":"p-nordlys","customer":{"name":"VOLVO CAR CORPORATION","country":"SE","domain":"volvocars.com"},
                "products":[{"sku":"NX-RT10","quantity":1}],"value":4200,"currency":"EUR","expectedClose":"2026-09-30","stage":"qualify"}"#,
        )
        .unwrap()
    };
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();

    let decision =
        evaluate_registration(programme.clone(), registrations.clone(), draft(), "2026-08-01T10:00:00Z")
            .unwrap();
    assert_eq!(get(&decision, "outcome"), "rejected");
    assert_eq!(get(&decision, "firstFailure"), "minimumValue");
    let rules = js_sys::Array::from(&get(&decision, "rules"));
    assert_eq!(rules.length(), 12);
    let minimum = rules.get(3);
    assert_eq!(get(&minimum, "check"), "failed");
    assert_eq!(get(&minimum, "detail"), "deal value 4,200 EUR is below the minimum 5,000 EUR");
    // Nordlys's own Volvo registration is open on that day: the duplicate rule says so too.
    assert_eq!(get(&rules.get(7), "rule"), "duplicate");
    assert_eq!(get(&rules.get(7), "check"), "failed");

    let bad = draft();
    js_sys::Reflect::set(&bad, &"value".into(), &"lots".into()).unwrap();
    let (_, kind, message) = error_of(
        evaluate_registration(programme.clone(), registrations.clone(), bad, "2026-08-01T10:00:00Z")
            .unwrap_err(),
    );
    assert_eq!(kind, "invalid");
    assert!(
        message.starts_with("candidate is not valid: $.value: invalid type: string \"lots\""),
        "{message}"
    );

    let broken = js_sys::JSON::parse(r#"[{"id":"R-1"}]"#).unwrap();
    let (_, _, message) =
        error_of(evaluate_registration(programme, broken, draft(), "2026-08-01T10:00:00Z").unwrap_err());
    assert!(message.starts_with("registrations is not valid: $[0]: missing field `revision`"), "{message}");
}

#[wasm_bindgen_test]
fn the_partner_form_preview_reports_problems_by_field() {
    storage().clear().unwrap();
    let mut desk = Desk::open().unwrap();
    desk.apply(change(r#"{"type":"chooseRole","role":{"kind":"partner","partnerId":"p-lagom"}}"#), NOW)
        .unwrap();
    desk.load_dataset(PROGRAMME, DATASET, NOW).unwrap();
    let draft = js_sys::JSON::parse(
        r#"{"partnerId":"p-lagom","customer":{"name":"","country":"se"},"products":[],"value":null,"currency":"EUR","expectedClose":null,"stage":"qualify"}"#,
    )
    .unwrap();
    let preview = desk.preview(draft, NOW).unwrap();
    let problems = js_sys::Array::from(&js_sys::Reflect::get(&preview, &"problems".into()).unwrap());
    let paths: Vec<String> = problems
        .iter()
        .map(|p| js_sys::Reflect::get(&p, &"path".into()).unwrap().as_string().unwrap())
        .collect();
    assert_eq!(paths, ["$.customer.name", "$.customer.country", "$.products", "$.value", "$.expectedClose"]);
    assert!(js_sys::Reflect::get(&preview, &"decision".into()).unwrap().is_null());
}

#[wasm_bindgen_test]
fn the_signing_key_is_kept_beside_the_desk_and_survives_reopening() {
    let mut desk = vendor_desk_with_demo();
    assert_eq!(desk.public_key(), None);
    let public = desk.create_key(&[3; 32], NOW).unwrap();
    let kept = storage().get_item("dealreg.key").unwrap().expect("the key file is kept");
    assert!(kept.contains(&public));
    // The desk names the key; the backup does not hold the secret.
    assert!(stored_document().contains(&format!("\"vendorKey\":\"{public}\"")));
    let secret = kept.split("\"secretKey\": \"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert!(!desk.export_backup().contains(&secret));

    let reopened = Desk::open().unwrap();
    assert_eq!(reopened.public_key(), Some(public.clone()));
    let programme = reopened.export_programme().unwrap();
    assert!(programme.contains(&format!("\"key\":\"{public}\"")));

    // A second key is refused; a broken kept key is reported without its text.
    let (_, kind, message) = error_of(desk.create_key(&[4; 32], NOW).unwrap_err());
    assert_eq!(kind, "refused");
    assert!(message.contains("already has a signing key"), "{message}");
    storage().set_item("dealreg.key", &kept.replace("publicKey", "publicKay")).unwrap();
    let reopened = Desk::open().unwrap();
    let problem = reopened.key_problem().expect("the broken key is reported");
    assert!(
        problem.contains("signing key kept in this browser cannot be read") && !problem.contains(&secret),
        "{problem}"
    );
    assert_eq!(reopened.public_key(), None);
}

/// Leads over the boundary: a CSV file's preview and import (kept in
/// localStorage), a routing preview, and insights with plain numbers.
#[wasm_bindgen_test]
fn leads_import_through_the_desk_and_persist() {
    let mut desk = vendor_desk_with_demo();
    let csv =
        "Company,Country,Campaign,Employees\nFjordbris Maskin AS,NO,C-EDGE,420\nNo Country AB,,C-EDGE,10\n";
    let preview = desk.preview_lead_import(csv, change("{}"), NOW).unwrap();
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    assert_eq!(get(&preview, "ready").as_f64(), Some(1.0));
    let problem = js_sys::Array::from(&get(&preview, "problems")).get(0);
    assert_eq!(
        (get(&problem, "line").as_f64(), get(&problem, "column").as_string()),
        (Some(3.0), Some("Country".into()))
    );

    // All or nothing: refused whole, and storage holds what it held.
    let before = storage().get_item(KEY).unwrap();
    let (_, kind, message) = error_of(desk.import_leads(csv, change("{}"), NOW).unwrap_err());
    assert_eq!(kind, "invalid");
    assert!(message.contains("line 3, Country"), "{message}");
    assert_eq!(storage().get_item(KEY).unwrap(), before);

    let report = desk.import_leads(csv, change(r#"{"skipBadRows":true}"#), NOW).unwrap();
    let id = js_sys::Array::from(&get(&report, "added")).get(0).as_string().unwrap();
    let reopened = Desk::open().unwrap();
    assert!(reopened.export_backup().contains("Fjordbris Maskin AS"), "kept in localStorage");

    let routing = reopened.routing(&id).unwrap();
    assert_eq!(get(&routing, "chosen").as_string().as_deref(), Some("p-nordlys"));
    let insights = js_sys::Array::from(&reopened.lead_insights(NOW).unwrap());
    let mine = insights.iter().find(|i| get(i, "id").as_string().as_deref() == Some(id.as_str())).unwrap();
    // 420 employees: +10 in the demo's model, nothing else yet.
    assert_eq!(get(&get(&mine, "score"), "score").as_f64(), Some(10.0));
}

#[wasm_bindgen_test]
fn a_registration_gets_a_random_id_and_a_second_tab_sees_the_save() {
    storage().clear().unwrap();
    let mut desk = Desk::open().unwrap();
    desk.apply(change(r#"{"type":"chooseRole","role":{"kind":"partner","partnerId":"p-lagom"}}"#), NOW)
        .unwrap();
    desk.load_dataset(PROGRAMME, DATASET, NOW).unwrap();
    // Another tab's desk, read from the same localStorage.
    let other = Desk::open().unwrap();
    assert!(!other.stale().unwrap());
    assert_eq!(Desk::stored_revision().unwrap(), desk.revision());

    let register = |desk: &mut Desk| {
        let draft = r#"{"partnerId":"","customer":{"name":"Fjordbris AS","country":"SE"},
            "products":[{"sku":"NX-SW24","quantity":2}],"value":9000,"currency":"EUR",
            "expectedClose":"2027-01-15","stage":"qualify"}"#;
        let text = format!(r#"{{"type":"register","draft":{draft},"submit":false}}"#);
        desk.apply(change(&text), NOW).unwrap().expect("the new registration's id")
    };
    let (a, b) = (register(&mut desk), register(&mut desk));
    assert_ne!(a, b);
    for id in [&a, &b] {
        let code = id.strip_prefix("p-lagom-").expect("named after its partner");
        assert_eq!(code.len(), 26, "{id}");
    }
    // The other tab's desk is behind now, and says so from the header alone.
    assert!(other.stale().unwrap());
    assert_eq!(Desk::stored_revision().unwrap(), desk.revision());
}
