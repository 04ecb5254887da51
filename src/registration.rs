//! A registration: one partner's claim on one opportunity (end customer,
//! products, value, expected close, stage) and where it stands in the lifecycle
//! draft → submitted → in review | approved | rejected → extended → won | lost |
//! expired | withdrawn. Evaluation and transitions arrive with the
//! programme-rules issue; this module owns the record and its validation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::check::Problems;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Registration {
    pub id: String,
    /// Grows with every change, so a newer record is never overwritten by an older one.
    pub revision: u32,
    pub partner_id: String,
    pub customer: Customer,
    pub products: Vec<LineItem>,
    pub value: f64,
    pub currency: String,
    pub expected_close: NaiveDate,
    pub stage: Stage,
    pub status: Status,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub notes: String,
    pub created_at: DateTime<Utc>,
    /// When the vendor received it: what "first to register" is decided by.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub protected_until: Option<NaiveDate>,
    #[serde(default)]
    pub extensions_used: u32,
    /// The lead it was converted from, kept for closed-loop attribution.
    #[serde(default)]
    pub lead_id: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
}

/// The end customer as the partner wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Customer {
    pub name: String,
    #[serde(default)]
    pub domain: Option<String>,
    pub country: String,
    #[serde(default)]
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineItem {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Where the opportunity is in the sale. Closing is recorded by the status (won or lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    Identify,
    Qualify,
    Scope,
    Price,
    Propose,
    Close,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Identify,
        Stage::Qualify,
        Stage::Scope,
        Stage::Price,
        Stage::Propose,
        Stage::Close,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Identify => "identify",
            Stage::Qualify => "qualify",
            Stage::Scope => "scope",
            Stage::Price => "price",
            Stage::Propose => "propose",
            Stage::Close => "close",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Draft,
    Submitted,
    InReview,
    Approved,
    Rejected,
    Extended,
    Won,
    Lost,
    Expired,
    Withdrawn,
}

impl Registration {
    /// Problems with this record's own fields, under `path`.
    pub fn check(&self, path: &str, p: &mut Problems) {
        p.id(&format!("{path}.id"), &self.id);
        p.not_blank(&format!("{path}.customer.name"), &self.customer.name);
        p.country(&format!("{path}.customer.country"), &self.customer.country);
        p.amount(&format!("{path}.value"), self.value);
        p.currency(&format!("{path}.currency"), &self.currency);
        if self.products.is_empty() {
            p.add(format!("{path}.products"), "must name at least one product");
        }
    }
}
