//! Leads and the campaigns they come from. A lead is a potential customer with
//! a profile, activities, a status and an assignment to a partner; a campaign
//! is the demand-generation activity (with its cost) that closed-loop reports
//! start from. Scoring, routing and nurturing arrive with the lead issue.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::check::Problems;

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
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub employees: Option<u32>,
    #[serde(default)]
    pub budget: Option<f64>,
    pub status: LeadStatus,
    /// The partner the lead is assigned to, if any.
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    pub created_at: DateTime<Utc>,
    /// Vendor desks: the partner's revision of this lead last read from a
    /// submission file, so an older file never undoes a newer status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_revision: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum LeadStatus {
    New,
    Working,
    Nurturing,
    Qualified,
    Converted,
    Disqualified,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Activity {
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
}

impl Lead {
    pub fn check(&self, path: &str, p: &mut Problems) {
        p.id(&format!("{path}.id"), &self.id);
        p.not_blank(&format!("{path}.company"), &self.company);
        p.country(&format!("{path}.country"), &self.country);
        if let Some(budget) = self.budget {
            p.amount(&format!("{path}.budget"), budget);
        }
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
