//! # dealreg
//!
//! The core of a deal-registration and opportunity desk for channel sales. A
//! vendor publishes a **programme** (its rules); partners **register** deals and
//! work **leads**; the parties exchange JSON files. Everything runs in the
//! browser: this crate is compiled to WebAssembly, and [`workspace::Desk`] keeps
//! one desk's state in browser storage through the [`workspace::Storage`] trait.
//!
//! The core is pure: it does no I/O and reads no clock. Time is a parameter and
//! storage is a trait, so every rule is tested natively. Only `src/wasm.rs`
//! knows about JavaScript.
//!
//! ```
//! use dealreg::workspace::{Change, Desk, MemoryStorage, Role};
//!
//! let now = "2026-03-01T09:00:00Z".parse().unwrap();
//! let mut desk = Desk::open(MemoryStorage::default()).unwrap();
//! desk.apply(Change::ChooseRole { role: Role::Vendor }, now).unwrap();
//!
//! // The desk is saved after every change; a backup is the same document.
//! let backup = desk.export_backup();
//! let reopened = Desk::open(desk.storage().clone()).unwrap();
//! assert_eq!(reopened.export_backup(), backup);
//! assert_eq!(reopened.workspace().audit[0].action, "chooseRole");
//! ```

pub mod account;
pub mod charts;
pub mod check;
pub mod compact;
pub mod conflict;
pub mod decision;
pub mod error;
pub mod exchange;
pub mod files;
pub mod handover;
pub mod ids;
pub mod invitation;
pub mod leads;
pub mod lifecycle;
pub mod money;
pub mod pricing;
pub mod programme;
pub mod registration;
pub mod reports;
pub mod sandbox;
pub mod seal;
pub mod signing;
pub mod tables;
pub mod template;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Problem};
