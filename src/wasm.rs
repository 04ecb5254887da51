//! The boundary between the core and JavaScript, and the only module that names
//! wasm-bindgen, js-sys, web-sys or gloo. It converts values with
//! serde-wasm-bindgen (JSON-compatible: plain objects, `null`), turns every core
//! error into a JS `Error` with a readable message, and adapts localStorage to
//! the core's [`Storage`] trait. Start-up touches no browser API, so the
//! stateless functions also run under Node; only [`Desk`] needs a browser.

use chrono::{DateTime, Utc};
use gloo_storage::Storage as _;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, Problem};
use crate::programme::Programme;
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
    };
    let problems = to_js(error.problems()).unwrap_or(JsValue::NULL);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&js, &"problems".into(), &problems);
    js.into()
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            into_error(Error::Refused(format!(
                "cannot hand a value to JavaScript: {e}"
            )))
        })
}

fn parse_now(now: &str) -> Result<DateTime<Utc>, JsValue> {
    DateTime::parse_from_rfc3339(now)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            into_error(Error::invalid(
                "now",
                vec![Problem::new(
                    "now",
                    format!("{now:?} is not an ISO 8601 time such as 2026-03-01T09:00:00Z ({e})"),
                )],
            ))
        })
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
        Self::raw()?
            .get_item(key)
            .map_err(|e| Error::Storage(format!("reading {key:?}: {}", describe(e))))
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
}

/// The desk kept in this browser's localStorage.
#[wasm_bindgen]
pub struct Desk {
    inner: workspace::Desk<BrowserStorage>,
}

#[wasm_bindgen]
impl Desk {
    /// Opens the desk kept in this browser, or an empty one. Throws if the kept
    /// value cannot be read; it is then left as it was (see `storedText`, `startOver`).
    pub fn open() -> Result<Desk, JsValue> {
        workspace::Desk::open(BrowserStorage)
            .map(|inner| Desk { inner })
            .map_err(into_error)
    }

    /// Sets an unreadable kept desk aside under a `dealreg.workspace.set-aside.*`
    /// key and starts an empty one.
    #[wasm_bindgen(js_name = startOver)]
    pub fn start_over(now: &str) -> Result<Desk, JsValue> {
        let now = parse_now(now)?;
        workspace::Desk::start_over(BrowserStorage, now)
            .map(|inner| Desk { inner })
            .map_err(into_error)
    }

    /// The kept desk exactly as stored, or `null`: for saving an unreadable one to a file.
    #[wasm_bindgen(js_name = storedText)]
    pub fn stored_text() -> Result<Option<String>, JsValue> {
        BrowserStorage
            .get(workspace::STORAGE_KEY)
            .map_err(into_error)
    }

    /// The whole desk as a plain object.
    #[wasm_bindgen(unchecked_return_type = "Workspace")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.workspace())
    }

    /// Applies one change, saves, and returns nothing; throws and changes nothing if refused.
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Change")] change: JsValue,
        now: &str,
    ) -> Result<(), JsValue> {
        let now = parse_now(now)?;
        let change: Change = serde_wasm_bindgen::from_value(change).map_err(|e| {
            into_error(Error::invalid(
                "change",
                vec![Problem::new("change", e.to_string())],
            ))
        })?;
        self.inner.apply(change, now).map_err(into_error)
    }

    /// Loads a programme file and a data set file (as text), replacing the desk's data.
    #[wasm_bindgen(js_name = loadDataset, unchecked_return_type = "Summary")]
    pub fn load_dataset(
        &mut self,
        programme: &str,
        dataset: &str,
        now: &str,
    ) -> Result<JsValue, JsValue> {
        let now = parse_now(now)?;
        let summary = self
            .inner
            .load_dataset(programme, dataset, now)
            .map_err(into_error)?;
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

/// Reads and validates a backup file without touching any desk.
#[wasm_bindgen(js_name = readBackup, unchecked_return_type = "Workspace")]
pub fn read_backup(text: &str) -> Result<JsValue, JsValue> {
    let workspace = Workspace::from_json(text, workspace::KIND.what).map_err(into_error)?;
    to_js(&workspace)
}

/// Reads and validates a programme file; throws with every problem by JSON path.
#[wasm_bindgen(js_name = readProgramme, unchecked_return_type = "Programme")]
pub fn read_programme(text: &str) -> Result<JsValue, JsValue> {
    let programme = Programme::from_json(text).map_err(into_error)?;
    to_js(&programme)
}

/// The version of this build of dealreg.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("wasm/types.d.ts");
