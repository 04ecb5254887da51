//! Leads and the campaigns they come from. A lead is a potential customer with
//! a profile, activities, a status, and an offer to one partner at a time; a
//! campaign is the demand-generation activity (with its cost) that closed-loop
//! reports start from. The submodules score leads ([`scoring`]), choose the
//! partner to offer one to ([`routing`]), learn weights from won and lost
//! history ([`calibration`]) and read leads from CSV or JSON ([`import`]);
//! the changes people make to leads are in `nurture.rs`.

pub mod calibration;
pub mod import;
mod nurture;
pub mod routing;
pub mod scoring;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::check::Problems;

pub use nurture::LeadInsight;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lead {
    pub id: String,
    pub revision: u32,
    pub campaign_id: String,
    pub company: String,
    #[serde(default)]
    pub domain: Option<String>,
    pub contact_name: String,
    #[serde(default)]
    pub email: Option<String>,
    pub country: String,
    /// A sales region within or across countries ("Nordics", "Bavaria").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    /// The company's size, in employees.
    #[serde(default)]
    pub employees: Option<u32>,
    /// What the customer means to spend, in the programme currency.
    #[serde(default)]
    pub budget: Option<f64>,
    /// When the customer means to buy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
    /// The need in the customer's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    /// The product line the need is for: routing prefers partners specialised in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_line: Option<String>,
    pub status: LeadStatus,
    /// Why the lead was disqualified (required then), or a note on the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The partner the lead is offered or assigned to, if any.
    #[serde(default)]
    pub assigned_to: Option<String>,
    /// Where the lead stands with `assignedTo`. Absent on a lead assigned
    /// before offers existed: that lead counts as accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
    /// Partners who declined the lead or let its offer lapse: it is not offered to them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined_by: Vec<String>,
    /// Vendor desks: every partner the lead has been offered to, so a file
    /// from one that held it before a recall it has not read yet is told
    /// apart from a file that names another partner's lead. Never sent to a partner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered_to: Vec<String>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// The day the partner means to touch the lead next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_touch: Option<NaiveDate>,
    /// The registration the lead was converted into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
    /// An earlier lead the customer matcher takes for the same customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Vendor desks: the partner's revision of this lead last read from a
    /// submission file, so an older file never undoes a newer status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_revision: Option<u32>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum LeadStatus {
    New,
    Working,
    Nurturing,
    Qualified,
    Converted,
    Disqualified,
}

/// When the customer means to buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Timing {
    ThisQuarter,
    NextQuarter,
    ThisYear,
    Later,
}

/// An offer of a lead to its partner, and the partner's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Offer {
    pub state: OfferState,
    /// When the vendor made the offer: the acceptance SLA runs from here.
    pub offered_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
    /// How routing chose the partner, for both sides to read.
    #[serde(default)]
    pub why: String,
    /// The partner's reason, when it declined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OfferState {
    Offered,
    Accepted,
    Declined,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Activity {
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum ActivityKind {
    EmailOpened,
    Visit,
    Webinar,
    DemoRequest,
    Call,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub channel: String,
    pub cost: f64,
    pub currency: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 6] = [
        LeadStatus::New,
        LeadStatus::Working,
        LeadStatus::Nurturing,
        LeadStatus::Qualified,
        LeadStatus::Converted,
        LeadStatus::Disqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Working => "working",
            LeadStatus::Nurturing => "nurturing",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Converted => "converted",
            LeadStatus::Disqualified => "disqualified",
        }
    }

    /// Still being worked: it counts against a partner's capacity and can be routed.
    pub fn is_open(self) -> bool {
        !matches!(self, LeadStatus::Converted | LeadStatus::Disqualified)
    }
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::EmailOpened,
        ActivityKind::Visit,
        ActivityKind::Webinar,
        ActivityKind::DemoRequest,
        ActivityKind::Call,
    ];

    /// For people: "e-mail opened".
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::EmailOpened => "e-mail opened",
            ActivityKind::Visit => "web visit",
            ActivityKind::Webinar => "webinar",
            ActivityKind::DemoRequest => "demo request",
            ActivityKind::Call => "call",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::EmailOpened => "emailOpened",
            ActivityKind::Visit => "visit",
            ActivityKind::Webinar => "webinar",
            ActivityKind::DemoRequest => "demoRequest",
            ActivityKind::Call => "call",
        }
    }
}

impl Timing {
    pub fn as_str(self) -> &'static str {
        match self {
            Timing::ThisQuarter => "thisQuarter",
            Timing::NextQuarter => "nextQuarter",
            Timing::ThisYear => "thisYear",
            Timing::Later => "later",
        }
    }
}

impl Lead {
    /// The lead as its partner's desk keeps it: who else was offered it,
    /// declined it, or could have had it, is the vendor's to know.
    pub fn as_sent_to_partner(&self) -> Lead {
        let mut lead = Lead { offered_to: Vec::new(), declined_by: Vec::new(), ..self.clone() };
        if let Some(offer) = lead.offer.as_mut() {
            offer.why = "offered to you by the vendor's routing".into();
        }
        lead
    }

    /// Whether `partner` holds the lead or has held it (see [`Lead::offered_to`]):
    /// whose file may carry it.
    pub fn ever_held_by(&self, partner: &str) -> bool {
        self.assigned_to.as_deref() == Some(partner)
            || self.offered_to.iter().chain(&self.declined_by).any(|p| p == partner)
    }

    pub fn check(&self, path: &str, p: &mut Problems) {
        p.id(&format!("{path}.id"), &self.id);
        p.not_blank(&format!("{path}.company"), &self.company);
        p.country(&format!("{path}.country"), &self.country);
        if let Some(budget) = self.budget {
            p.amount(&format!("{path}.budget"), budget);
        }
        if self.offer.is_some() && self.assigned_to.is_none() {
            p.add(format!("{path}.offer"), "an offer needs the partner it is made to (assignedTo)");
        }
    }

    /// The offer's state: a lead assigned before offers existed counts as accepted.
    pub fn offer_state(&self) -> Option<OfferState> {
        self.assigned_to.as_ref()?;
        Some(self.offer.as_ref().map_or(OfferState::Accepted, |o| o.state))
    }

    /// Whether `partner` holds the lead (offered or accepted): it counts against its capacity.
    pub fn held_by(&self, partner: &str) -> bool {
        self.assigned_to.as_deref() == Some(partner)
            && self.status.is_open()
            && self.offer_state() != Some(OfferState::Declined)
    }

    /// The customer as the matcher sees it: the company, its domain and e-mail, the country.
    pub fn profile(&self) -> crate::conflict::Profile {
        let sites = [self.domain.as_deref().unwrap_or(""), self.email.as_deref().unwrap_or("")];
        crate::conflict::Profile::new(&self.company, &sites, &self.country, "")
    }

    /// When someone last did something with the lead: its last activity, else
    /// the partner's acceptance, else its creation.
    pub fn last_touched(&self) -> DateTime<Utc> {
        let answered = self.offer.as_ref().and_then(|o| o.answered_at);
        let last = self.activities.iter().map(|a| a.at).max();
        [Some(self.created_at), answered, last].into_iter().flatten().max().expect("created_at is there")
    }
}

impl Campaign {
    pub fn check(&self, path: &str, p: &mut Problems) {
        p.id(&format!("{path}.id"), &self.id);
        p.not_blank(&format!("{path}.name"), &self.name);
        p.amount(&format!("{path}.cost"), self.cost);
        p.currency(&format!("{path}.currency"), &self.currency);
        if self.ends < self.starts {
            p.add(format!("{path}.ends"), format!("{} is before starts {}", self.ends, self.starts));
        }
    }
}
