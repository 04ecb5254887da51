//! The boundary between the core and JavaScript, and the only module that names
//! wasm-bindgen, js-sys, web-sys or gloo. It converts values through JSON text
//! (serde_json one way, `JSON.parse`/`JSON.stringify` the other: plain objects,
//! `null`), turns every core error into a JS `Error` with a readable message,
//! and adapts localStorage to the core's [`Storage`] trait. Start-up touches no
//! browser API, so the stateless functions also run under Node; only [`Desk`]
//! needs a browser.

use chrono::{DateTime, Utc};
use gloo_storage::Storage as _;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::decision::evaluate;
use crate::error::{Error, Problem};
use crate::leads::calibration::calibrate;
use crate::leads::import::ImportOptions;
use crate::leads::routing::route;
use crate::leads::Lead;
use crate::lifecycle::extension_until;
use crate::programme::Programme;
use crate::registration::{Draft, Registration, Status};
use crate::reports::build_report;
use crate::sandbox::Prepared;
use crate::workspace::{self, Change, Storage, Workspace};

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Every core error becomes an `Error` whose `message` a person can read, with
/// `name` "DealregError", `kind` ("invalid" | "storage" | "refused") and
/// `problems` (each `{ path, message }`) for code that wants the details.
fn into_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("DealregError");
    let kind = match &error {
        Error::Invalid { .. } => "invalid",
        Error::Storage(_) => "storage",
        Error::Refused(_) => "refused",
        Error::Stale(_) => "stale",
    };
    let problems = to_js(error.problems()).unwrap_or(JsValue::NULL);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&js, &"problems".into(), &problems);
    js.into()
}

/// A value as a plain JS object, through JSON text: written by serde_json, the
/// serializer the files already use, and read by `JSON.parse`. A serializer
/// into JS values (serde-wasm-bindgen's) compiled every output type's
/// `Serialize` a second time: 9.5 KB gzipped. Finite numbers come back exactly
/// (shortest round-trip digits); a non-finite one, which only an overflow of
/// amounts near 1.8e308 could give, comes out `null` as in the files.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| into_error(Error::Refused(format!("cannot hand a value to JavaScript: {e}"))))?;
    js_sys::JSON::parse(&text)
}

/// A JS value as JSON text, so that it is read by the same code as files: a
/// second deserializer for JS values would double the module's serde code
/// (measured: 98 KB gzipped).
fn json_of(value: &JsValue, what: &str) -> Result<String, JsValue> {
    js_sys::JSON::stringify(value).map(String::from).map_err(|e| {
        into_error(Error::invalid(
            what,
            vec![Problem::new(what, format!("cannot be read as JSON ({})", describe(e)))],
        ))
    })
}

/// A JS value as `T`; an error names `what` and the path of the field that does not fit.
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let text = json_of(&value, what)?;
    crate::exchange::read_value(&text, what).map_err(into_error)
}

/// A programme (checked as a programme file would be) and registrations, from JS.
fn programme_and_registrations(
    programme: JsValue,
    registrations: JsValue,
) -> Result<(Programme, Vec<Registration>), JsValue> {
    Ok((checked_programme(programme)?, from_js(registrations, "registrations")?))
}

/// A programme from JS, checked as a programme file would be.
fn checked_programme(programme: JsValue) -> Result<Programme, JsValue> {
    let programme: Programme = from_js(programme, "programme")?;
    programme.validate("programme").map_err(|problems| into_error(Error::invalid("programme", problems)))?;
    Ok(programme)
}

fn parse_now(now: &str) -> Result<DateTime<Utc>, JsValue> {
    DateTime::parse_from_rfc3339(now).map(|t| t.with_timezone(&Utc)).map_err(|e| {
        into_error(Error::invalid(
            "now",
            vec![Problem::new(
                "now",
                format!("{now:?} is not an ISO 8601 time such as 2026-03-01T09:00:00Z ({e})"),
            )],
        ))
    })
}

/// Random bytes from `crypto.getRandomValues` (the browser's, or Node's),
/// for the ids a change makes and a key file's lock: the core takes
/// randomness as it takes the time, from outside, and this is where it comes from.
fn random<const N: usize>() -> Result<[u8; N], JsValue> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get = js_sys::Reflect::get(&crypto, &"getRandomValues".into())?;
    let Some(get) = get.dyn_ref::<js_sys::Function>() else {
        return Err(into_error(Error::Refused(
            "this JavaScript engine has no crypto.getRandomValues, which ids and keys are made from".into(),
        )));
    };
    let bytes = js_sys::Uint8Array::new_with_length(N as u32);
    get.call1(&crypto, &bytes)?;
    let mut out = [0u8; N];
    bytes.copy_to(&mut out);
    Ok(out)
}

/// localStorage, through gloo-storage.
struct BrowserStorage;

impl BrowserStorage {
    fn raw() -> Result<web_sys::Storage, Error> {
        // gloo's `raw()` throws when there is no window or storage is disabled;
        // asking first gives the user a message instead.
        let available = web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))));
        if !available {
            return Err(Error::Storage(
                "localStorage is not available here: a Desk needs a browser page with storage allowed".into(),
            ));
        }
        Ok(gloo_storage::LocalStorage::raw())
    }
}

fn describe(js: JsValue) -> String {
    match js.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => format!("{js:?}"),
    }
}

impl Storage for BrowserStorage {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        Self::raw()?.get_item(key).map_err(|e| Error::Storage(format!("reading {key:?}: {}", describe(e))))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        Self::raw()?.set_item(key, value).map_err(|e| {
            Error::Storage(format!(
                "saving {key:?} ({} KB) was refused ({}); nothing was changed. Export a backup to keep your work",
                value.len() / 1024,
                describe(e)
            ))
        })
    }

    fn head(&self, key: &str, chars: usize) -> Result<Option<String>, Error> {
        // Sliced in JS: `get` would copy a value of megabytes into the module.
        let raw = Self::raw()?;
        let storage: &JsValue = raw.as_ref();
        let get = js_sys::Reflect::get(storage, &"getItem".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
            .and_then(|f| f.call1(storage, &key.into()))
            .map_err(|e| Error::Storage(format!("reading {key:?}: {}", describe(e))))?;
        Ok(get.dyn_ref::<js_sys::JsString>().map(|text| String::from(text.slice(0, chars as u32))))
    }

    fn remove(&mut self, key: &str) -> Result<(), Error> {
        Self::raw()?
            .remove_item(key)
            .map_err(|e| Error::Storage(format!("removing {key:?}: {}", describe(e))))
    }
}

/// Where a [`Desk`] keeps its values: this browser's localStorage, or a
/// map in memory for a copy the page's worker works on (workers have no
/// localStorage).
enum PageStorage {
    Browser,
    Memory(workspace::MemoryStorage),
}

impl Storage for PageStorage {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        match self {
            PageStorage::Browser => BrowserStorage.get(key),
            PageStorage::Memory(m) => m.get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        match self {
            PageStorage::Browser => BrowserStorage.set(key, value),
            PageStorage::Memory(m) => m.set(key, value),
        }
    }

    fn head(&self, key: &str, chars: usize) -> Result<Option<String>, Error> {
        match self {
            PageStorage::Browser => BrowserStorage.head(key, chars),
            PageStorage::Memory(m) => m.head(key, chars),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), Error> {
        match self {
            PageStorage::Browser => BrowserStorage.remove(key),
            PageStorage::Memory(m) => m.remove(key),
        }
    }
}

/// The desk kept in this browser's localStorage, or a copy of it in memory (`copyOf`).
#[wasm_bindgen]
pub struct Desk {
    inner: workspace::Desk<PageStorage>,
}

/// A desk being put together from the parts another copy handed over
/// (`Desk.handOver`), a batch at a time, then made the desk by `Desk.adopt`.
#[wasm_bindgen]
pub struct Assembly {
    inner: crate::handover::Assembly,
}

#[wasm_bindgen]
impl Assembly {
    /// Starts from the desk's head (`handOver().head`).
    #[wasm_bindgen(constructor)]
    pub fn new(head: &str) -> Result<Assembly, JsValue> {
        crate::handover::Assembly::new(head).map(|inner| Assembly { inner }).map_err(into_error)
    }

    /// Adds a batch of registrations (a JSON array, UTF-8).
    #[wasm_bindgen(js_name = addRegistrations)]
    pub fn add_registrations(&mut self, batch: &[u8]) -> Result<(), JsValue> {
        self.inner.add_registrations(utf8(batch)?).map_err(into_error)
    }

    /// Adds a batch of leads (a JSON array, UTF-8).
    #[wasm_bindgen(js_name = addLeads)]
    pub fn add_leads(&mut self, batch: &[u8]) -> Result<(), JsValue> {
        self.inner.add_leads(utf8(batch)?).map_err(into_error)
    }

    /// The desk's whole document (`handOver().document`).
    #[wasm_bindgen(js_name = setDocument)]
    pub fn set_document(&mut self, document: Vec<u8>) -> Result<(), JsValue> {
        let document = String::from_utf8(document).map_err(|e| utf8_error(e.utf8_error()))?;
        self.inner.set_document(document);
        Ok(())
    }

    /// The desk's stored text (`handOver().stored`).
    #[wasm_bindgen(js_name = setStored)]
    pub fn set_stored(&mut self, stored: String) {
        self.inner.set_stored(stored);
    }
}

fn utf8_error(e: std::str::Utf8Error) -> JsValue {
    into_error(Error::invalid("handed-over desk", vec![Problem::new("$", format!("is not UTF-8 ({e})"))]))
}

fn utf8(bytes: &[u8]) -> Result<&str, JsValue> {
    std::str::from_utf8(bytes).map_err(utf8_error)
}

#[wasm_bindgen]
impl Desk {
    /// Opens the desk kept in this browser, or an empty one. Throws if the kept
    /// value cannot be read; it is then left as it was (see `storedText`, `startOver`).
    pub fn open() -> Result<Desk, JsValue> {
        workspace::Desk::open(PageStorage::Browser).map(|inner| Desk { inner }).map_err(into_error)
    }

    /// A copy of a desk, in memory: opened from `items`, the values of its
    /// storage by key (`dealreg.workspace`, and `dealreg.key` and
    /// `dealreg.trust` where a change needs them). What the page's worker
    /// works on; `handOver` gives the result back.
    #[wasm_bindgen(js_name = copyOf)]
    pub fn copy_of(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] items: JsValue,
    ) -> Result<Desk, JsValue> {
        let items: std::collections::BTreeMap<String, String> = from_js(items, "items")?;
        let storage = PageStorage::Memory(workspace::MemoryStorage { items, quota: None });
        workspace::Desk::open(storage).map(|inner| Desk { inner }).map_err(into_error)
    }

    /// This desk in parts of at most `batch` records (for `Assembly`), with
    /// its whole `document` (JSON) and the `stored` text (compact) it is kept as.
    #[wasm_bindgen(js_name = handOver, unchecked_return_type = "HandOver")]
    pub fn hand_over(&self, batch: u32) -> Result<JsValue, JsValue> {
        let parts = crate::handover::parts(self.inner.workspace(), batch as usize);
        let stored = self.inner.storage().get(workspace::STORAGE_KEY).map_err(into_error)?;
        // As UTF-8 bytes: a worker transfers them to the page without a copy,
        // and the page's module reads them without decoding them first.
        let bytes = |text: &str| JsValue::from(js_sys::Uint8Array::from(text.as_bytes()));
        let list = |texts: &[String]| texts.iter().map(|t| bytes(t)).collect::<js_sys::Array>();
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"head".into(), &parts.head.into())?;
        js_sys::Reflect::set(&out, &"registrations".into(), &list(&parts.registrations))?;
        js_sys::Reflect::set(&out, &"leads".into(), &list(&parts.leads))?;
        js_sys::Reflect::set(&out, &"document".into(), &bytes(self.inner.document()))?;
        js_sys::Reflect::set(&out, &"stored".into(), &stored.map_or(JsValue::NULL, JsValue::from))?;
        Ok(out.into())
    }

    /// Makes the desk an `Assembly` put together from `handOver`: saved and
    /// current, as a change is. Whether it still follows from this desk is
    /// the caller's to know.
    pub fn adopt(&mut self, assembly: Assembly) -> Result<(), JsValue> {
        self.inner.adopt(assembly.inner).map_err(into_error)
    }

    /// Sets an unreadable kept desk aside under a `dealreg.workspace.set-aside.*`
    /// key and starts an empty one.
    #[wasm_bindgen(js_name = startOver)]
    pub fn start_over(now: &str) -> Result<Desk, JsValue> {
        let now = parse_now(now)?;
        workspace::Desk::start_over(PageStorage::Browser, now).map(|inner| Desk { inner }).map_err(into_error)
    }

    /// When the copy kept from before the last save was saved (`null` if it
    /// has no time), or `undefined` if no readable copy is kept.
    #[wasm_bindgen(js_name = previousCopy, unchecked_return_type = "string | null | undefined")]
    pub fn previous_copy() -> Result<JsValue, JsValue> {
        match workspace::Desk::previous_copy(&PageStorage::Browser).map_err(into_error)? {
            Some(at) => to_js(&at),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Sets a damaged kept desk aside and puts the copy from before the last save in its place.
    #[wasm_bindgen(js_name = restorePrevious)]
    pub fn restore_previous(now: &str) -> Result<Desk, JsValue> {
        let now = parse_now(now)?;
        workspace::Desk::restore_previous(PageStorage::Browser, now)
            .map(|inner| Desk { inner })
            .map_err(into_error)
    }

    /// Why the desk in memory is not saved (storage full), or `undefined` when it is.
    #[wasm_bindgen(getter)]
    pub fn unsaved(&self) -> Option<String> {
        self.inner.unsaved().map(str::to_string)
    }

    /// Whether another tab or window saved the desk since this one read or
    /// saved it (from the stored header alone): read it again before a change.
    #[wasm_bindgen(getter)]
    pub fn stale(&self) -> Result<bool, JsValue> {
        self.inner.stale().map_err(into_error)
    }

    /// Whether a registration's protection has run out by `now` without its
    /// being marked expired: whether `{ type: "expireDue" }` would change anything.
    #[wasm_bindgen(js_name = expiryDue)]
    pub fn expiry_due(&self, now: &str) -> Result<bool, JsValue> {
        Ok(self.inner.expiry_due(parse_now(now)?))
    }

    /// The revision of the stored desk this one read or last saved: every
    /// save adds one.
    #[wasm_bindgen(getter)]
    pub fn revision(&self) -> f64 {
        self.inner.revision() as f64
    }

    /// The revision of the desk in this tab's view of localStorage now (0 if
    /// none), from its header alone.
    #[wasm_bindgen(js_name = storedRevision)]
    pub fn stored_revision() -> Result<f64, JsValue> {
        workspace::Desk::stored_revision(&PageStorage::Browser).map(|r| r as f64).map_err(into_error)
    }

    /// The kept desk as text, or `null`: its JSON document (with its seal)
    /// when the compact form inflates, else exactly what is stored. For
    /// saving an unreadable desk to a file, and for tests.
    #[wasm_bindgen(js_name = storedText)]
    pub fn stored_text() -> Result<Option<String>, JsValue> {
        let stored = BrowserStorage.get(workspace::STORAGE_KEY).map_err(into_error)?;
        Ok(stored.map(|text| workspace::stored_document(&text).unwrap_or(text)))
    }

    /// The desk without its records, and the overview's figures of them:
    /// what the page's header and overview draw (cheap at any size).
    #[wasm_bindgen(unchecked_return_type = "Overview")]
    pub fn overview(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.workspace().overview())
    }

    /// The latest `limit` events of the audit log, newest first: for pages
    /// that show the log without handing over the whole desk.
    #[wasm_bindgen(js_name = auditLog, unchecked_return_type = "AuditEvent[]")]
    pub fn audit_log(&self, limit: u32) -> Result<JsValue, JsValue> {
        let audit = &self.inner.workspace().audit;
        let latest: Vec<_> = audit.iter().rev().take(limit as usize).collect();
        to_js(&latest)
    }

    /// The whole desk as a plain object (from the JSON the desk keeps: not
    /// written again for every render).
    #[wasm_bindgen(unchecked_return_type = "Workspace")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(self.inner.document())
    }

    /// Applies one change and saves; throws and changes nothing if refused.
    /// Returns the id of the registration a `register` change created
    /// (random: `crypto.getRandomValues`, never counted), else `undefined`.
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Change")] change: JsValue,
        now: &str,
    ) -> Result<Option<String>, JsValue> {
        let now = parse_now(now)?;
        let change = Change::from_json(&json_of(&change, "change")?, random()?).map_err(into_error)?;
        self.inner.apply(change, now).map_err(into_error)
    }

    /// What the registration form shows while the partner types: problems by
    /// field, and the evaluation as if the vendor received the draft `now`.
    #[wasm_bindgen(unchecked_return_type = "Preview")]
    pub fn preview(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Draft")] draft: JsValue,
        now: &str,
    ) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let draft: Draft = from_js(draft, "draft")?;
        to_js(&self.inner.preview(&draft, now).map_err(into_error)?)
    }

    /// The rule-by-rule evaluation of a registration on this desk, as of its vendor receipt.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn explain(&self, id: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.explain(id, now).map_err(into_error)?)
    }

    /// The cross-partner conflicts on this desk as of `now`, grouped by customer.
    #[wasm_bindgen(unchecked_return_type = "ConflictGroup[]")]
    pub fn conflicts(&self, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let ws = self.inner.workspace();
        let Some(programme) = &ws.programme else { return to_js(&Vec::<()>::new()) };
        to_js(&crate::conflict::find_conflicts(programme, &ws.registrations, now))
    }

    /// Whether a registration can be extended `now`: the new protection date, or why not.
    #[wasm_bindgen(js_name = extensionCheck, unchecked_return_type = "ExtensionCheck")]
    pub fn extension_check(&self, id: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let ws = self.inner.workspace();
        let (Some(programme), Some(registration)) = (&ws.programme, ws.registration(id)) else {
            return Err(into_error(Error::Refused(format!(
                "there is no registration {id:?} with a programme on this desk"
            ))));
        };
        #[derive(Serialize)]
        struct ExtensionCheck {
            until: Option<String>,
            reason: Option<String>,
        }
        let check = match extension_until(programme, registration, now.date_naive()) {
            Ok(until) => ExtensionCheck { until: Some(until.to_string()), reason: None },
            Err(reason) => ExtensionCheck { until: None, reason: Some(reason) },
        };
        to_js(&check)
    }

    /// Replaces the programme with a programme file (vendor desk): its
    /// revision and what changed, in words.
    #[wasm_bindgen(js_name = setProgramme, unchecked_return_type = "ProgrammeSaved")]
    pub fn set_programme(&mut self, text: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.set_programme(text, now).map_err(into_error)?)
    }

    /// Partner desk: the submission file for the vendor (JSON text).
    #[wasm_bindgen(js_name = exportSubmission)]
    pub fn export_submission(&self, now: &str) -> Result<String, JsValue> {
        let now = parse_now(now)?;
        self.inner.export_submission(now).map_err(into_error)
    }

    /// Vendor desk: reads a partner's submission file; `now` is the vendor's receipt time.
    #[wasm_bindgen(js_name = importSubmission, unchecked_return_type = "ImportReport")]
    pub fn import_submission(&mut self, text: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.import_submission(text, now).map_err(into_error)?)
    }

    /// Vendor desk: the decision file for one partner (JSON text).
    #[wasm_bindgen(js_name = exportDecisions)]
    pub fn export_decisions(&self, partner_id: &str, now: &str) -> Result<String, JsValue> {
        let now = parse_now(now)?;
        self.inner.export_decisions(partner_id, now).map_err(into_error)
    }

    /// The desk's registrations or leads as CSV (RFC 4180, UTF-8), with a
    /// byte-order mark if `bom` (for spreadsheet programs), headed with the
    /// column names CRM imports expect.
    /// The closed-loop reports of this desk as of `now` ([`build_report`]).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&build_report(self.inner.workspace(), now).map_err(into_error)?)
    }

    /// This desk's registrations made ready for the sandbox as of `asOf`
    /// ([`Sandbox`]), without handing them over as a data set.
    #[wasm_bindgen(js_name = sandbox)]
    pub fn sandbox(&self, #[wasm_bindgen(js_name = asOf)] as_of: &str) -> Result<Sandbox, JsValue> {
        let as_of = parse_now(as_of)?;
        Ok(Sandbox {
            prepared: Prepared::new(self.inner.workspace().registrations.clone(), as_of),
            programme: None,
        })
    }

    /// Every lead's score, grade and flags in figures alone, in the order of
    /// the desk's leads: `score`; `grade` (0 none, `i + 1` the programme's
    /// `i`-th grade); `flags` (1 offer overdue, 2 idle, 4 touch due);
    /// `daysUntouched`. What an inbox of 50,000 leads sorts by.
    #[wasm_bindgen(js_name = leadMarks, unchecked_return_type = "LeadMarks")]
    pub fn lead_marks(&self, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let marks = self.inner.workspace().lead_marks(now).map_err(into_error)?;
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"score".into(), &js_sys::Float64Array::from(&marks.score[..]))?;
        js_sys::Reflect::set(&out, &"grade".into(), &js_sys::Uint8Array::from(&marks.grade[..]))?;
        js_sys::Reflect::set(&out, &"flags".into(), &js_sys::Uint8Array::from(&marks.flags[..]))?;
        js_sys::Reflect::set(
            &out,
            &"daysUntouched".into(),
            &js_sys::Int32Array::from(&marks.days_untouched[..]),
        )?;
        Ok(out.into())
    }

    /// One lead's score with every contribution, grade and flags as of `now`.
    #[wasm_bindgen(js_name = leadInsight, unchecked_return_type = "LeadInsight")]
    pub fn lead_insight(&self, id: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.workspace().lead_insight(id, now).map_err(into_error)?)
    }

    /// Every lead's score, grade and flags (offer overdue, idle, due) as of `now`.
    #[wasm_bindgen(js_name = leadInsights, unchecked_return_type = "LeadInsight[]")]
    pub fn lead_insights(&self, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.workspace().lead_insights(now).map_err(into_error)?)
    }

    /// Where routing would send a lead now, with every candidate; changes nothing.
    #[wasm_bindgen(unchecked_return_type = "Routing")]
    pub fn routing(&self, id: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.workspace().routing(id).map_err(into_error)?)
    }

    /// The registration draft a lead converts into, prefilled with its lead and campaign ids.
    #[wasm_bindgen(js_name = leadDraft, unchecked_return_type = "Draft")]
    pub fn lead_draft(&self, id: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.workspace().lead_draft(id).map_err(into_error)?)
    }

    /// What importing a CSV or JSON lead file would do; changes nothing.
    #[wasm_bindgen(js_name = previewLeadImport, unchecked_return_type = "LeadImportPreview")]
    pub fn preview_lead_import(
        &self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "LeadImportOptions")] options: JsValue,
        now: &str,
    ) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let options: ImportOptions = from_js(options, "options")?;
        let preview = self.inner.workspace().preview_lead_import(text, &options, now, random()?);
        to_js(&preview.map_err(into_error)?)
    }

    /// Vendor: imports a CSV or JSON lead file, all or nothing unless `skipBadRows`.
    #[wasm_bindgen(js_name = importLeads, unchecked_return_type = "LeadImport")]
    pub fn import_leads(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "LeadImportOptions")] options: JsValue,
        now: &str,
    ) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let options: ImportOptions = from_js(options, "options")?;
        to_js(&self.inner.import_leads(text, &options, now, random()?).map_err(into_error)?)
    }

    /// Naive-Bayes weights learned from the desk's won and lost leads, and
    /// how well they and the programme's model rank held-out leads (AUC).
    #[wasm_bindgen(unchecked_return_type = "Calibration")]
    pub fn calibration(&self) -> Result<JsValue, JsValue> {
        let w = self.inner.workspace();
        let programme = w.programme_or_refuse().map_err(into_error)?;
        to_js(&calibrate(&programme.lead_scoring, &w.leads, &w.registrations))
    }

    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "\"registrations\" | \"leads\"")] table: &str,
        bom: bool,
    ) -> Result<String, JsValue> {
        let ws = self.inner.workspace();
        match table {
            "registrations" => Ok(ws.registrations_csv(bom)),
            "leads" => Ok(ws.leads_csv(bom)),
            other => Err(into_error(Error::Refused(format!(
                "{other:?} is not a table; choose \"registrations\" or \"leads\""
            )))),
        }
    }

    /// Vendor desk: the programme file for partners (JSON text), signed with the desk's key.
    #[wasm_bindgen(js_name = exportProgramme)]
    pub fn export_programme(&self) -> Result<String, JsValue> {
        self.inner.export_programme().map_err(into_error)
    }

    /// Partner desk: what adopting a programme file would change, without adopting it.
    /// Throws if the file is forged, edited, older, or another programme.
    #[wasm_bindgen(js_name = programmeUpdate, unchecked_return_type = "ProgrammeUpdate")]
    pub fn programme_update(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.programme_update(text).map_err(into_error)?)
    }

    /// Partner desk: adopts a programme file the vendor published.
    #[wasm_bindgen(js_name = adoptProgramme, unchecked_return_type = "ProgrammeUpdate")]
    pub fn adopt_programme(&mut self, text: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.adopt_programme(text, now).map_err(into_error)?)
    }

    /// The public half of this desk's signing key (base64), or `undefined`.
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> Option<String> {
        self.inner.public_key()
    }

    /// Why the signing key kept in this browser cannot be read, or `undefined`:
    /// the desk works, but signs nothing until the key file is imported.
    #[wasm_bindgen(getter, js_name = keyProblem)]
    pub fn key_problem(&self) -> Option<String> {
        self.inner.key_problem().map(str::to_string)
    }

    /// Vendor desk: invites a partner of the roster: its signing key is made
    /// (from `crypto.getRandomValues`) and named in the roster; returns the
    /// invitation file (JSON text), signed. `invitationLink` makes a link of it.
    pub fn invite(
        &mut self,
        #[wasm_bindgen(js_name = partnerId)] partner_id: &str,
        now: &str,
    ) -> Result<String, JsValue> {
        let now = parse_now(now)?;
        let seed: [u8; 32] = random()?;
        self.inner.invite(partner_id, &seed, now).map_err(into_error)
    }

    /// What an invitation file says (partner, tier, programme, vendor and the
    /// vendor key it is signed with), checked as `join` checks it; changes nothing.
    #[wasm_bindgen(unchecked_return_type = "Welcome")]
    pub fn invitation(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.invitation(text).map_err(into_error)?)
    }

    /// Sets this desk up as the invited partner's: its programme, its key and
    /// the vendor key it trusts come from the invitation; nothing is chosen.
    #[wasm_bindgen(unchecked_return_type = "Welcome")]
    pub fn join(&mut self, text: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.join(text, now).map_err(into_error)?)
    }

    /// Partner desk: the vendor key this browser trusts (`vendorKey`, and the
    /// `vendor`, `programmeId` and time it was first trusted for), or
    /// `undefined` while it trusts none. Kept beside the desk, not in it:
    /// loading data, restoring a backup or starting over leaves it as it is.
    #[wasm_bindgen(getter, js_name = trustedVendorKey, unchecked_return_type = "TrustedKey | undefined")]
    pub fn trusted_vendor_key(&self) -> Result<JsValue, JsValue> {
        self.inner.trusted().map_or(Ok(JsValue::UNDEFINED), to_js)
    }

    /// The key a programme file is signed with, checked against the key the
    /// file names, with the key trusted now; changes nothing.
    #[wasm_bindgen(js_name = programmeSigner, unchecked_return_type = "ProgrammeSigner")]
    pub fn programme_signer(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.programme_signer(text).map_err(into_error)?)
    }

    /// Partner desk: trusts the key a programme file is signed with in place
    /// of the one trusted now (the partner's explicit choice). Adopts nothing.
    #[wasm_bindgen(js_name = trustKeyOf, unchecked_return_type = "ProgrammeSigner")]
    pub fn trust_key_of(&mut self, text: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.trust_key_of(text, now).map_err(into_error)?)
    }

    /// Makes the desk's signing key from 32 random bytes (`crypto.getRandomValues`);
    /// returns the public key.
    #[wasm_bindgen(js_name = createKey)]
    pub fn create_key(&mut self, seed: &[u8], now: &str) -> Result<String, JsValue> {
        let now = parse_now(now)?;
        self.inner.create_key(seed, now).map_err(into_error)
    }

    /// The key file (JSON text), its secret key locked with `passphrase`
    /// (Argon2id and XChaCha20-Poly1305): the only export that holds it.
    #[wasm_bindgen(js_name = exportKey)]
    pub fn export_key(&self, passphrase: &str, now: &str) -> Result<String, JsValue> {
        let now = parse_now(now)?;
        self.inner.export_key(passphrase, random()?, now).map_err(into_error)
    }

    /// Reads a key file into this desk, with its passphrase if it is locked
    /// (`keyFileIsLocked`); returns the public key.
    #[wasm_bindgen(js_name = importKey)]
    pub fn import_key(
        &mut self,
        text: &str,
        passphrase: Option<String>,
        now: &str,
    ) -> Result<String, JsValue> {
        let now = parse_now(now)?;
        self.inner.import_key(text, passphrase.as_deref(), now).map_err(into_error)
    }

    /// Partner desk: reads the vendor's decision file.
    #[wasm_bindgen(js_name = importDecisions, unchecked_return_type = "ImportReport")]
    pub fn import_decisions(&mut self, text: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        to_js(&self.inner.import_decisions(text, now).map_err(into_error)?)
    }

    /// Loads a programme file and a data set file (as text), replacing the desk's data.
    #[wasm_bindgen(js_name = loadDataset, unchecked_return_type = "Summary")]
    pub fn load_dataset(&mut self, programme: &str, dataset: &str, now: &str) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let summary = self.inner.load_dataset(programme, dataset, now).map_err(into_error)?;
        to_js(&summary)
    }

    /// The whole desk as a backup file (JSON text).
    #[wasm_bindgen(js_name = exportBackup)]
    pub fn export_backup(&self) -> String {
        self.inner.export_backup()
    }

    /// Replaces the desk with a backup file, all or nothing.
    #[wasm_bindgen(js_name = importBackup, unchecked_return_type = "Summary")]
    pub fn import_backup(&mut self, text: &str) -> Result<JsValue, JsValue> {
        let summary = self.inner.import_backup(text).map_err(into_error)?;
        to_js(&summary)
    }
}

/// Any table as CSV (RFC 4180, UTF-8, optional byte-order mark): for the
/// page's report tables. Text cells that would start a spreadsheet formula get
/// a leading apostrophe. Cells are read straight from the JS arrays: reading
/// them as JSON values cost 4 KB gzipped of the module.
#[wasm_bindgen(js_name = tableCsv)]
pub fn table_csv(
    #[wasm_bindgen(unchecked_param_type = "string[]")] header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "(string | number | null)[][]")] rows: JsValue,
    bom: bool,
) -> Result<String, JsValue> {
    use crate::tables::Cell;
    let cell = |value: JsValue| match (value.as_f64(), value.as_string()) {
        (Some(n), _) => Some(Cell::Number(n)),
        (_, Some(text)) => Some(Cell::Text(text)),
        _ if value.is_null() || value.is_undefined() => Some(Cell::Empty),
        _ => None,
    };
    let cells =
        |row: &JsValue| -> Option<Vec<Cell>> { row.dyn_ref::<js_sys::Array>()?.iter().map(cell).collect() };
    let header: Option<Vec<String>> =
        header.dyn_ref::<js_sys::Array>().and_then(|h| h.iter().map(|v| v.as_string()).collect());
    let table: Option<Vec<Vec<Cell>>> =
        rows.dyn_ref::<js_sys::Array>().and_then(|r| r.iter().map(|row| cells(&row)).collect());
    let (Some(header), Some(table)) = (header, table) else {
        return Err(into_error(Error::invalid(
            "table",
            vec![Problem::new(
                "header, rows",
                "must be an array of strings, and arrays of strings, numbers or null",
            )],
        )));
    };
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(crate::tables::to_csv(&header, table, bom))
}

/// The normal form of a company name, as the matcher compares it: folded to
/// ASCII, lower case, punctuation, "and", a leading "the" and legal forms gone.
#[wasm_bindgen(js_name = normaliseCompanyName)]
pub fn normalise_company_name(name: &str) -> String {
    crate::conflict::names::normalise(name)
}

/// How sure it is that two customers are one: `score` (0..1), `verdict`
/// ("same", "possible", "different") at the default thresholds, and the
/// `evidence`, each signal with its value and weight.
#[wasm_bindgen(js_name = compareCustomers, unchecked_return_type = "Match")]
pub fn compare_customers(
    #[wasm_bindgen(unchecked_param_type = "Party")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Party")] b: JsValue,
) -> Result<JsValue, JsValue> {
    let a: crate::conflict::Party = from_js(a, "a")?;
    let b: crate::conflict::Party = from_js(b, "b")?;
    let matcher = crate::conflict::FuzzyMatcher::default();
    to_js(&matcher.compare_profiles(&a.profile(), &b.profile()))
}

/// Every cross-partner conflict among the registrations that claim their
/// customer at `asOf`, grouped by customer, first registrant first.
#[wasm_bindgen(js_name = findConflicts, unchecked_return_type = "ConflictGroup[]")]
pub fn find_conflicts(
    #[wasm_bindgen(unchecked_param_type = "Programme")] programme: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Registration[]")] registrations: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: &str,
) -> Result<JsValue, JsValue> {
    let as_of = parse_now(as_of)?;
    let (programme, registrations) = programme_and_registrations(programme, registrations)?;
    to_js(&crate::conflict::find_conflicts(&programme, &registrations, as_of))
}

/// Customers indexed for repeated checks: built once from a list, then
/// `search` finds the ones that are or may be a given customer without
/// comparing it with every entry.
#[wasm_bindgen(js_name = CustomerIndex)]
pub struct JsCustomerIndex {
    index: crate::conflict::index::CustomerIndex,
    matcher: crate::conflict::FuzzyMatcher,
}

#[wasm_bindgen(js_class = CustomerIndex)]
impl JsCustomerIndex {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Party[]")] customers: JsValue,
    ) -> Result<JsCustomerIndex, JsValue> {
        let parties: Vec<crate::conflict::Party> = from_js(customers, "customers")?;
        let index = crate::conflict::index::CustomerIndex::new(parties.iter().map(|p| p.profile()).collect());
        let matcher = crate::conflict::FuzzyMatcher { common: index.common_words(), ..Default::default() };
        Ok(JsCustomerIndex { index, matcher })
    }

    /// How many customers are indexed.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.index.len()
    }

    /// The indexed customers that are or may be `party`: each with its
    /// position in the list the index was built from, and the match.
    #[wasm_bindgen(unchecked_return_type = "{ position: number; match: Match }[]")]
    pub fn search(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Party")] party: JsValue,
    ) -> Result<JsValue, JsValue> {
        let party: crate::conflict::Party = from_js(party, "party")?;
        #[derive(Serialize)]
        struct Found {
            position: usize,
            #[serde(rename = "match")]
            matched: crate::conflict::Match,
        }
        let found: Vec<Found> = self
            .matcher
            .search(&self.index, &party.profile())
            .into_iter()
            .map(|(position, matched)| Found { position, matched })
            .collect();
        to_js(&found)
    }

    /// Every pair of indexed customers that is or may be one, each once,
    /// without comparing every pair: `pairs` holds positions two by two
    /// (`pairs[2k] < pairs[2k + 1]`), `scores[k]` is that pair's score; ask
    /// `compare` for the evidence of the pairs someone looks at.
    #[wasm_bindgen(unchecked_return_type = "{ pairs: Uint32Array; scores: Float64Array }")]
    pub fn scan(&self) -> Result<JsValue, JsValue> {
        let found = self.matcher.scan(&self.index, &|_, _| true);
        let pairs: Vec<u32> = found.iter().flat_map(|&(i, j, _)| [i as u32, j as u32]).collect();
        let scores: Vec<f64> = found.iter().map(|&(_, _, score)| score).collect();
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"pairs".into(), &js_sys::Uint32Array::from(&pairs[..]))?;
        js_sys::Reflect::set(&out, &"scores".into(), &js_sys::Float64Array::from(&scores[..]))?;
        Ok(out.into())
    }

    /// The match of the customers at two positions, with its evidence.
    #[wasm_bindgen(unchecked_return_type = "Match")]
    pub fn compare(&self, a: usize, b: usize) -> Result<JsValue, JsValue> {
        if a >= self.index.len() || b >= self.index.len() {
            return Err(into_error(crate::Error::Refused(format!(
                "positions {a} and {b}: the index holds {} customers",
                self.index.len()
            ))));
        }
        to_js(&self.matcher.compare_profiles(self.index.profile(a), self.index.profile(b)))
    }
}

/// Whether a key file's secret key is locked with a passphrase (every key
/// file dealreg exports is); throws if it is not a key file.
#[wasm_bindgen(js_name = keyFileIsLocked)]
pub fn key_file_is_locked(text: &str) -> Result<bool, JsValue> {
    crate::signing::is_locked_key_file(text).map_err(into_error)
}

/// An invitation file as the part of a link after `#` (`join=…`): the
/// invitation compressed, in base64url. The fragment never reaches a server.
#[wasm_bindgen(js_name = invitationLink)]
pub fn invitation_link(text: &str) -> String {
    format!("{}{}", crate::invitation::LINK_MARKER, crate::invitation::to_link(text))
}

/// The invitation file a link (or its fragment) carries; throws if the link
/// was cut short or changed.
#[wasm_bindgen(js_name = invitationFromLink)]
pub fn invitation_from_link(link: &str) -> Result<String, JsValue> {
    crate::invitation::from_link(link).map_err(into_error)
}

/// Reads and validates a backup file without touching any desk.
#[wasm_bindgen(js_name = readBackup, unchecked_return_type = "Workspace")]
pub fn read_backup(text: &str) -> Result<JsValue, JsValue> {
    let workspace = Workspace::from_json(text, workspace::KIND.what).map_err(into_error)?;
    to_js(&workspace)
}

/// Evaluates a candidate registration against a programme and the
/// registrations already there, as if the vendor received it at `asOf`. The
/// candidate is a registration (it has a `status`) or a draft (what a partner
/// fills in). Returns the outcome and every rule, in order, with its numbers.
#[wasm_bindgen(js_name = evaluateRegistration, unchecked_return_type = "Decision")]
pub fn evaluate_registration(
    #[wasm_bindgen(unchecked_param_type = "Programme")] programme: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Registration[]")] registrations: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Registration | Draft")] candidate: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: &str,
) -> Result<JsValue, JsValue> {
    let as_of = parse_now(as_of)?;
    let (programme, registrations) = programme_and_registrations(programme, registrations)?;
    let is_registration = js_sys::Reflect::has(&candidate, &"status".into()).unwrap_or(false);
    let candidate = if is_registration {
        from_js::<Registration>(candidate, "candidate")?
    } else {
        let draft: Draft = from_js(candidate, "candidate")?;
        Registration::from_draft("(candidate)".into(), draft, Status::Submitted, as_of)
    };
    to_js(&evaluate(&programme, &registrations, &candidate, as_of))
}

/// Reads and validates a programme file, signed or not; throws with every
/// problem by JSON path. The signature is not checked here: only a desk knows
/// which key to trust (see `Desk.programmeUpdate`).
#[wasm_bindgen(js_name = readProgramme, unchecked_return_type = "Programme")]
pub fn read_programme(text: &str) -> Result<JsValue, JsValue> {
    let opened = crate::signing::open(text, crate::programme::KIND).map_err(into_error)?;
    let programme = Programme::from_json(&opened.body).map_err(into_error)?;
    to_js(&programme)
}

/// The programme a new vendor starts from: a typical 90-day programme named
/// `name`, run by `vendor` in `currency`, for the year from `starts` (a date).
#[wasm_bindgen(js_name = programmeTemplate, unchecked_return_type = "Programme")]
pub fn programme_template(
    name: &str,
    vendor: &str,
    currency: &str,
    starts: &str,
) -> Result<JsValue, JsValue> {
    let starts = starts.parse().map_err(|_| {
        into_error(Error::invalid(
            "date",
            vec![Problem::new("starts", format!("{starts:?} is not a date such as 2026-12-07"))],
        ))
    })?;
    to_js(&crate::template::template(name, vendor, currency, starts))
}

/// A CSV file (comma, semicolon or tab separated) or a JSON array of flat
/// objects as its column names and rows of text, each with its line; throws
/// naming the file as `what` ("price list").
#[wasm_bindgen(js_name = readTable, unchecked_return_type = "TextTable")]
pub fn read_table(text: &str, what: &str) -> Result<JsValue, JsValue> {
    let table = crate::leads::import::read_table(text, what).map_err(into_error)?;
    to_js(&table)
}

/// The closed-loop reports of a workspace (a backup file's document, as an
/// object) as of `asOf`: pipeline and forecast, registrations, partners,
/// campaigns, incentives, funding, and the charts as SVG text.
#[wasm_bindgen(js_name = buildReport, unchecked_return_type = "Report")]
pub fn build_report_js(
    #[wasm_bindgen(unchecked_param_type = "Workspace")] workspace: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: &str,
) -> Result<JsValue, JsValue> {
    let as_of = parse_now(as_of)?;
    // Read as the other stateless functions read their objects: no file-size
    // limit (a script may report on more than a browser's storage holds), the same checks.
    let workspace: Workspace = from_js(workspace, "workspace")?;
    workspace.validate().map_err(|problems| into_error(Error::invalid("workspace", problems)))?;
    to_js(&build_report(&workspace, as_of).map_err(into_error)?)
}

/// Every registration of `dataset` (anything with `registrations`: a data
/// set, a backup) received by `asOf`, re-run in receipt order under
/// programme A and programme B: both sides' figures, the partners most
/// affected, and each registration whose outcome differs with both
/// explanations. Works on a copy; nothing is stored.
#[wasm_bindgen(unchecked_return_type = "Simulation")]
pub fn simulate(
    #[wasm_bindgen(js_name = programmeA, unchecked_param_type = "Programme")] programme_a: JsValue,
    #[wasm_bindgen(js_name = programmeB, unchecked_param_type = "Programme")] programme_b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ registrations: Registration[] }")] dataset: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: &str,
) -> Result<JsValue, JsValue> {
    let as_of = parse_now(as_of)?;
    let a = checked_programme(programme_a)?;
    let b = checked_programme(programme_b)?;
    let data: Dataset = from_js(dataset, "dataset")?;
    to_js(&Prepared::new(data.registrations, as_of).simulate(&a, &b))
}

/// What the sandbox reads of a data set or a backup: its registrations.
#[derive(serde::Deserialize)]
struct Dataset {
    registrations: Vec<Registration>,
}

/// A data set made ready for the sandbox as of `asOf`, for trying one change
/// after another on it: the registrations are read, ordered and indexed once,
/// and programme A's run is kept while A stays the same, so each run after the
/// first decides only programme B. `simulate` does all of it each time.
#[wasm_bindgen]
pub struct Sandbox {
    prepared: Prepared,
    /// The programme of the backup it was read from ([`Sandbox::from_file`]).
    programme: Option<Programme>,
}

#[wasm_bindgen]
impl Sandbox {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "{ registrations: Registration[] }")] dataset: JsValue,
        #[wasm_bindgen(js_name = asOf)] as_of: &str,
    ) -> Result<Sandbox, JsValue> {
        let as_of = parse_now(as_of)?;
        let data: Dataset = from_js(dataset, "dataset")?;
        Ok(Sandbox { prepared: Prepared::new(data.registrations, as_of), programme: None })
    }

    /// A backup or a data set file, from its text, made ready as the
    /// constructor makes a data set: the text is read once, with no object
    /// made of it in JS. A backup is checked whole and brings its programme
    /// (`programme`); a data set is tried under a programme given to `simulate`.
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(text: &str, #[wasm_bindgen(js_name = asOf)] as_of: &str) -> Result<Sandbox, JsValue> {
        let as_of = parse_now(as_of)?;
        let data = crate::sandbox::read_data(text).map_err(into_error)?;
        Ok(Sandbox { prepared: Prepared::new(data.registrations, as_of), programme: data.programme })
    }

    /// The programme of the backup the sandbox was read from, or `null`.
    #[wasm_bindgen(getter, unchecked_return_type = "Programme | null")]
    pub fn programme(&self) -> Result<JsValue, JsValue> {
        self.programme.as_ref().map_or(Ok(JsValue::NULL), to_js)
    }

    /// How many registrations are run: those received by `asOf`.
    #[wasm_bindgen(getter)]
    pub fn registrations(&self) -> usize {
        self.prepared.len()
    }

    /// The date the registrations are run as of, ISO 8601.
    #[wasm_bindgen(getter, js_name = asOf)]
    pub fn as_of(&self) -> String {
        self.prepared.as_of().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// Decides every registration under programme A now, so that the next
    /// `simulate` with that A decides only B: for doing the slow part while
    /// the data is being loaded.
    #[wasm_bindgen(js_name = keepSideA)]
    pub fn keep_side_a(
        &mut self,
        #[wasm_bindgen(js_name = programmeA, unchecked_param_type = "Programme")] programme_a: JsValue,
    ) -> Result<(), JsValue> {
        self.prepared.keep_side_a(&checked_programme(programme_a)?);
        Ok(())
    }

    /// The registrations re-run under programme A and programme B, as
    /// [`simulate`] gives them; with `explain`, only the first `explain`
    /// differences carry their summaries (the others `null`: see `explain`).
    #[wasm_bindgen(unchecked_return_type = "Simulation")]
    pub fn simulate(
        &mut self,
        #[wasm_bindgen(js_name = programmeA, unchecked_param_type = "Programme")] programme_a: JsValue,
        #[wasm_bindgen(js_name = programmeB, unchecked_param_type = "Programme")] programme_b: JsValue,
        explain: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let a = checked_programme(programme_a)?;
        let b = checked_programme(programme_b)?;
        let explain = explain.map_or(usize::MAX, |n| n as usize);
        to_js(&self.prepared.simulate_explaining(&a, &b, explain))
    }

    /// The last simulation's differences `from` to `to` (not included), with
    /// both summaries.
    #[wasm_bindgen(unchecked_return_type = "Simulation['differences']")]
    pub fn explain(&self, from: u32, to: u32) -> Result<JsValue, JsValue> {
        let explained = self.prepared.explain(from as usize, to as usize);
        let missing = || Error::Refused("nothing to explain yet: run simulate first".into());
        to_js(&explained.ok_or_else(missing).map_err(into_error)?)
    }
}

/// A lead's score as of `asOf`, with its grade and every contribution.
#[wasm_bindgen(js_name = scoreLead, unchecked_return_type = "LeadScore")]
pub fn score_lead(
    #[wasm_bindgen(unchecked_param_type = "Programme")] programme: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lead")] lead: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: &str,
) -> Result<JsValue, JsValue> {
    let as_of = parse_now(as_of)?;
    let programme = checked_programme(programme)?;
    let lead: Lead = from_js(lead, "lead")?;
    to_js(&programme.lead_scoring.score(&lead, as_of))
}

/// The partner to offer a lead to by the programme's method, with every
/// candidate's eligibility and weight. `partnerLoads` maps partner ids to the
/// open leads they hold; the same seed gives the same choice.
#[wasm_bindgen(js_name = routeLead, unchecked_return_type = "Routing")]
pub fn route_lead(
    #[wasm_bindgen(unchecked_param_type = "Programme")] programme: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lead")] lead: JsValue,
    #[wasm_bindgen(js_name = partnerLoads, unchecked_param_type = "Record<string, number>")]
    partner_loads: JsValue,
    seed: u32,
) -> Result<JsValue, JsValue> {
    let programme = checked_programme(programme)?;
    let lead: Lead = from_js(lead, "lead")?;
    let loads: crate::leads::routing::Loads = from_js(partner_loads, "partnerLoads")?;
    to_js(&route(&programme, &lead, &loads, u64::from(seed)))
}

/// The version of this build of dealreg.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("wasm/types.d.ts");
