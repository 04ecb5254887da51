//! A registration: one partner's claim on one opportunity (end customer,
//! products, value, expected close, stage) and where it stands in the lifecycle
//! draft → submitted → in review | approved | rejected → extended → won | lost |
//! expired | withdrawn. This module owns the record, the [`Draft`] a partner
//! fills in, their validation, and which status may follow which.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::account::{AccountPlan, BusinessCase, SupportRequest};
use crate::check::Problems;
use crate::error::{Error, Problem};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// False when the partner says the customer already buys this: some programmes register new business only.
    #[serde(default = "yes")]
    pub new_business: bool,
    /// The incentive committed against the budget when it was approved, in the programme currency.
    #[serde(default)]
    pub incentive: Option<f64>,
    /// The partner asked for more protection; the vendor grants or refuses it.
    #[serde(default)]
    pub extension_requested: bool,
    /// The days of extension asked for, when fewer than the programme's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_days: Option<u32>,
    /// The last decision on it, with the reason the partner reads.
    #[serde(default)]
    pub decision: Option<DecisionNote>,
    /// When it was rejected, won, lost, expired or withdrawn: whether it held its
    /// customer on a past day depends on it.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Partner desks: the vendor's revision of this record last read from a
    /// decision file, so an older decision file never undoes a newer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_revision: Option<u32>,
    /// Vendor desks: the partner's revision of this record last read from a
    /// submission file, so an older submission never undoes a newer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_revision: Option<u32>,
    /// The programme's qualification items the partner has confirmed (their ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualification: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_case: Option<BusinessCase>,
    /// The vendor's account notes and the joint plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_plan: Option<AccountPlan>,
    /// The partner's requests for support, with the vendor's answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<SupportRequest>,
    /// The terms granted at approval: the tier then and its discount, rebate and share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Terms>,
}

/// What an approval granted, kept for the fair-pricing audit: the tier and its
/// terms may change later, what was granted does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Terms {
    pub tier: String,
    pub extra_discount_points: f64,
    pub rebate_percent: f64,
    /// 1, or the second-registrant share.
    pub share: f64,
}

fn yes() -> bool {
    true
}

/// A decision as the partner reads it: what, why, by whom, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionNote {
    pub status: Status,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What a partner fills in to register a deal: a registration before it has
/// an id, a status or a vendor receipt time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Draft {
    pub partner_id: String,
    pub customer: Customer,
    pub products: Vec<LineItem>,
    /// Required; None while the partner has not typed it.
    #[serde(default)]
    pub value: Option<f64>,
    pub currency: String,
    /// Required; None while the partner has not chosen it (the form's preview still evaluates).
    #[serde(default)]
    pub expected_close: Option<NaiveDate>,
    pub stage: Stage,
    #[serde(default = "yes")]
    pub new_business: bool,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub lead_id: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// The qualification items confirmed (ids from the programme's checklist).
    #[serde(default)]
    pub qualification: Vec<String>,
    #[serde(default)]
    pub business_case: Option<BusinessCase>,
}

/// The end customer as the partner wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Customer {
    pub name: String,
    #[serde(default)]
    pub domain: Option<String>,
    pub country: String,
    #[serde(default)]
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineItem {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Where the opportunity is in the sale. Closing is recorded by the status (won or lost).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
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
    pub const ALL: [Stage; 6] =
        [Stage::Identify, Stage::Qualify, Stage::Scope, Stage::Price, Stage::Propose, Stage::Close];

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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

impl Status {
    /// Whether the registration still claims its customer (before any expiry date is applied).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Submitted | Status::InReview | Status::Approved | Status::Extended)
    }

    /// Approved, with protection running.
    pub fn is_protected(self) -> bool {
        matches!(self, Status::Approved | Status::Extended)
    }

    /// The lifecycle: which statuses may follow this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Draft => &[Submitted, Withdrawn],
            Submitted => &[InReview, Approved, Rejected, Withdrawn],
            InReview => &[Approved, Rejected, Withdrawn],
            Approved | Extended => &[Extended, Won, Lost, Expired, Withdrawn],
            Rejected | Won | Lost | Expired | Withdrawn => &[],
        }
    }

    pub const ALL: [Status; 10] = [
        Status::Draft,
        Status::Submitted,
        Status::InReview,
        Status::Approved,
        Status::Rejected,
        Status::Extended,
        Status::Won,
        Status::Lost,
        Status::Expired,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::InReview => "inReview",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Extended => "extended",
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Expired => "expired",
            Status::Withdrawn => "withdrawn",
        }
    }
}

impl Registration {
    /// Protected, with its protection ended before `today`: due to expire.
    pub fn protection_ran_out(&self, today: NaiveDate) -> bool {
        self.status.is_protected() && self.protected_until.is_some_and(|until| until < today)
    }

    /// A new registration from a draft, with the partner's clock as `created_at`.
    pub fn from_draft(id: String, draft: Draft, status: Status, created_at: DateTime<Utc>) -> Registration {
        Registration {
            id,
            revision: 1,
            partner_id: draft.partner_id,
            customer: draft.customer,
            products: draft.products,
            value: draft.value.unwrap_or(0.0),
            currency: draft.currency,
            expected_close: draft.expected_close.unwrap_or(created_at.date_naive()),
            stage: draft.stage,
            status,
            contact: draft.contact,
            notes: draft.notes,
            created_at,
            received_at: None,
            protected_until: None,
            extensions_used: 0,
            lead_id: draft.lead_id,
            campaign_id: draft.campaign_id,
            new_business: draft.new_business,
            incentive: None,
            extension_requested: false,
            extension_days: None,
            decision: None,
            closed_at: None,
            vendor_revision: None,
            partner_revision: None,
            qualification: draft.qualification,
            business_case: draft.business_case.filter(|c| !c.is_empty()),
            account_plan: None,
            requests: Vec::new(),
            terms: None,
        }
    }

    /// What identifies the deal, whatever its id: who registered it, when (the
    /// partner's clock, kept as it was), for which customer; as 128 bits of
    /// SHA-512 in base64. A decision carries the digest of the deal it decides,
    /// and a submission's record must have the digest of the one the vendor
    /// holds under its id, so a decision never lands on another deal that
    /// happens to share an id (ids counted before [`crate::ids`] could).
    pub fn deal_digest(&self) -> String {
        use base64ct::{Base64Unpadded, Encoding};
        use sha2::{Digest, Sha512};
        let identity =
            (&self.id, &self.partner_id, self.created_at, &self.customer.name, &self.customer.country);
        let text = serde_json::to_string(&identity).expect("an identity serialises");
        Base64Unpadded::encode_string(&Sha512::digest(text.as_bytes())[..16])
    }

    /// The same deal as `other`: see [`Self::deal_digest`].
    pub fn same_deal(&self, other: &Registration) -> bool {
        (&self.id, &self.partner_id, self.created_at, &self.customer.name, &self.customer.country)
            == (&other.id, &other.partner_id, other.created_at, &other.customer.name, &other.customer.country)
    }

    /// Moves to `to` at `at` if the lifecycle allows it, or says why not.
    pub fn transition(&mut self, to: Status, at: DateTime<Utc>) -> Result<(), Error> {
        if !self.status.next().contains(&to) {
            let allowed: Vec<&str> = self.status.next().iter().map(|s| s.as_str()).collect();
            return Err(Error::Refused(format!(
                "registration {} is {}; it cannot become {} (from {} it can become {})",
                self.id,
                self.status.as_str(),
                to.as_str(),
                self.status.as_str(),
                if allowed.is_empty() {
                    "nothing else: it is closed".to_string()
                } else {
                    allowed.join(", ")
                }
            )));
        }
        self.status = to;
        self.revision += 1;
        if to.next().is_empty() {
            self.closed_at = Some(at);
        }
        Ok(())
    }

    /// Whether it held its customer at `at`: approved, within its protection,
    /// and not yet won, lost, withdrawn or expired. Judged from the record's
    /// dates, so a registration expired since still held it on an earlier day.
    pub fn held_at(&self, at: DateTime<Utc>) -> bool {
        let was_approved = matches!(
            self.status,
            Status::Approved
                | Status::Extended
                | Status::Won
                | Status::Lost
                | Status::Expired
                | Status::Withdrawn
        );
        was_approved
            && self.protected_until.is_some_and(|until| at.date_naive() <= until)
            && self.closed_at.is_none_or(|closed| at < closed)
    }

    /// Awaiting the vendor's decision now.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, Status::Submitted | Status::InReview)
    }

    /// Days of protection left on `day` (0 on the last day), if protected.
    pub fn days_left(&self, day: NaiveDate) -> Option<i64> {
        let until = self.protected_until.filter(|_| self.status.is_protected())?;
        Some((until - day).num_days().max(-1))
    }

    /// What it holds of the incentive budget at `at`: its incentive once won,
    /// or while approved or extended and protected on `at`'s day, and its
    /// special prices in force.
    pub fn commitment(&self, at: DateTime<Utc>) -> f64 {
        let incentive = match self.status {
            Status::Won => self.incentive.unwrap_or(0.0),
            // Judged by date, as conflicts are: a protection that ran out
            // releases its incentive whether or not it is marked expired yet.
            Status::Approved | Status::Extended if self.held_at(at) => self.incentive.unwrap_or(0.0),
            _ => 0.0,
        };
        let special: f64 =
            self.requests.iter().filter(|q| q.special_price_at(self, at)).filter_map(|q| q.cost).sum();
        incentive + special
    }

    /// Problems with this record's own fields, under `path`.
    pub fn check(&self, path: &str, p: &mut Problems) {
        p.id(&format!("{path}.id"), &self.id);
        check_deal(path, &self.customer, &self.products, self.value, &self.currency, p);
        if let Some(case) = &self.business_case {
            case.check(&format!("{path}.businessCase"), p);
        }
        if let Some(plan) = &self.account_plan {
            plan.check(&format!("{path}.accountPlan"), p);
        }
        p.unique(&format!("{path}.requests"), "id", self.requests.iter().map(|q| q.id.as_str()));
        for (idx, q) in self.requests.iter().enumerate() {
            q.check(&format!("{path}.requests[{idx}]"), p);
        }
    }
}

impl Draft {
    /// Every problem with what the partner typed, by field (`customer.name`,
    /// `products[1].quantity`), for the form to show beside each field.
    pub fn problems(&self, today: NaiveDate) -> Vec<Problem> {
        let mut p = Problems::default();
        let value = self.value.unwrap_or(0.0);
        check_deal("$", &self.customer, &self.products, value, &self.currency, &mut p);
        match self.value {
            None => p.add("$.value", "enter the deal value"),
            Some(0.0) => p.add("$.value", "must be more than 0"),
            Some(_) => {}
        }
        match self.expected_close {
            None => p.add("$.expectedClose", "choose the expected close date"),
            Some(day) if day < today => p.add("$.expectedClose", format!("{day} is in the past")),
            Some(_) => {}
        }
        if let Some(email) = self.contact.as_ref().and_then(|c| c.email.as_deref()) {
            if !email.is_empty() && !email.contains('@') {
                p.add("$.contact.email", format!("{email:?} is not an e-mail address"));
            }
        }
        p.0
    }
}

fn check_deal(
    path: &str,
    customer: &Customer,
    products: &[LineItem],
    value: f64,
    currency: &str,
    p: &mut Problems,
) {
    p.not_blank(&format!("{path}.customer.name"), &customer.name);
    p.country(&format!("{path}.customer.country"), &customer.country);
    p.amount(&format!("{path}.value"), value);
    p.currency(&format!("{path}.currency"), currency);
    if products.is_empty() {
        p.add(format!("{path}.products"), "must name at least one product");
    }
    for (idx, item) in products.iter().enumerate() {
        if item.quantity == 0 {
            p.add(format!("{path}.products[{idx}].quantity"), "must be 1 or more");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_allows_only_its_edges() {
        use Status::*;
        let all = [Draft, Submitted, InReview, Approved, Rejected, Extended, Won, Lost, Expired, Withdrawn];
        let mut edges = Vec::new();
        for from in all {
            for to in all {
                if from.next().contains(&to) {
                    edges.push(format!("{}>{}", from.as_str(), to.as_str()));
                }
            }
        }
        assert_eq!(
            edges.join(" "),
            "draft>submitted draft>withdrawn submitted>inReview submitted>approved submitted>rejected \
             submitted>withdrawn inReview>approved inReview>rejected inReview>withdrawn approved>extended \
             approved>won approved>lost approved>expired approved>withdrawn extended>extended extended>won \
             extended>lost extended>expired extended>withdrawn"
        );
    }
}
