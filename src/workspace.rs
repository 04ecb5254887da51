//! The workspace: the whole state of one desk (its role, the programme,
//! registrations, leads, campaigns and an append-only audit log), kept in
//! storage as one document (`format: "dealreg.workspace"`), which is also the
//! backup file. [`Desk`] is the stateful handle over a [`Storage`]: every change
//! is applied to a copy, saved, and only then made current, so a refused change
//! or a failed save leaves both memory and storage exactly as they were.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::account::{AccountPlan, BusinessCase, RequestDraft};
use crate::check::Problems;
use crate::conflict::Known;
use crate::decision::Decision;
use crate::error::{Error, Problem};
use crate::exchange::{self, Kind};
use crate::files::{ImportReport, ProgrammeUpdate};
use crate::leads::{Activity, Campaign, Lead, LeadStatus};
use crate::lifecycle::Preview;
use crate::programme::Programme;
use crate::registration::{Draft, Registration, Status};
use crate::signing::{KeyPair, TrustedKey, KEY_STORAGE, TRUST_STORAGE};

/// Version 2: the programme's key and revision, records' revisions from the other side
/// (vendorRevision, partnerRevision) and the partner's lead list time (leadsAsOf).
/// Version 3: leads' offers and nurturing, the programme's lead models, `leadRoutings`.
/// Version 4: registrations' qualification, business case, account plan,
/// support requests and granted terms; the programme's checklist and pricing.
/// Version 5: leads' `offeredTo`.
pub const KIND: Kind = Kind { what: "backup file", format: "dealreg.workspace", version: 5 };
/// Version 2: leads' offers and nurturing. Version 3: as backup version 4.
/// Version 4: as backup version 5.
pub const DATASET_KIND: Kind = Kind { what: "data set", format: "dealreg.dataset", version: 4 };

/// The storage key of the desk.
pub const STORAGE_KEY: &str = "dealreg.workspace";
/// A stored desk that could not be read is moved here (plus a timestamp), never deleted.
pub const SET_ASIDE_PREFIX: &str = "dealreg.workspace.set-aside.";
/// The stored desk before the last save, kept while there is room: what a
/// damaged desk is restored from.
pub const PREVIOUS_KEY: &str = "dealreg.workspace.previous";

/// What the desk stored in the browser is called in messages.
const STORED: &str = "the desk stored in this browser";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Workspace {
    pub format: String,
    pub version: u32,
    /// None until the user chooses.
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub programme: Option<Programme>,
    #[serde(default)]
    pub registrations: Vec<Registration>,
    #[serde(default)]
    pub leads: Vec<Lead>,
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// Append-only: every change adds one event.
    #[serde(default)]
    pub audit: Vec<AuditEvent>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Partner desks: when the vendor wrote the lead list last read (its
    /// decision file's `createdAt`), so an older list never undoes a newer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads_as_of: Option<DateTime<Utc>>,
    /// Vendor desks: how many leads were routed; the seed of the next routing.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lead_routings: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Whose desk this is. A partner desk holds only that partner's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Role {
    Vendor,
    #[serde(rename_all = "camelCase")]
    Partner {
        partner_id: String,
    },
}

/// Read by hand: serde's derived reader for an internally tagged enum buffers
/// the object first, which cost 2.6 KB gzipped of the wasm module. Same JSON,
/// same messages: an unknown `kind` is named at `$.role.kind`.
impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
        use serde::de::Error as _;
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        enum Kind {
            Vendor,
            Partner,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Fields {
            kind: Kind,
            #[serde(default)]
            partner_id: Option<String>,
        }
        let fields = Fields::deserialize(deserializer)?;
        match (fields.kind, fields.partner_id) {
            (Kind::Vendor, None) => Ok(Role::Vendor),
            (Kind::Vendor, Some(_)) => Err(D::Error::unknown_field("partnerId", &["kind"])),
            (Kind::Partner, Some(partner_id)) => Ok(Role::Partner { partner_id }),
            (Kind::Partner, None) => Err(D::Error::missing_field("partnerId")),
        }
    }
}

impl Role {
    /// Who acts, in the audit log: "vendor" or the partner id.
    pub fn actor(&self) -> &str {
        match self {
            Role::Vendor => "vendor",
            Role::Partner { partner_id } => partner_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditEvent {
    /// 1, 2, 3, ... in the order the events happened on this desk.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// A data set to load into a desk: what a vendor has, or a sandbox starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dataset {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub registrations: Vec<Registration>,
    #[serde(default)]
    pub leads: Vec<Lead>,
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
}

/// A change a person makes to the desk. In JSON (and from JS) it is an object
/// with its `type` and fields: `{"type": "decide", "id": "R-1", "approve": true, "reason": "..."}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Choose whose desk this is. Refused once the desk holds data of another role.
    ChooseRole { role: Role },
    /// Start an empty desk, whose role is chosen again. The caller should offer a backup first.
    Reset,
    /// Partner: a new registration, kept as a draft or submitted at once.
    /// `random`: the bytes of its id ([`crate::ids`]), handed in by the caller
    /// (a change read from JSON gets the reader's).
    Register { draft: Draft, submit: bool, random: crate::ids::Random },
    /// Partner: change a registration that is still a draft.
    EditDraft { id: String, draft: Draft },
    /// Partner: send a draft to the vendor (with the next submission file).
    Submit { id: String },
    /// Partner: ask for more protection: `days` of it, at most the
    /// programme's extension (none: all of it).
    RequestExtension { id: String, reason: String, days: Option<u32> },
    /// Partner: the deal is won, lost, or withdrawn.
    Close { id: String, status: Status, reason: String },
    /// Vendor: approve or reject a registration awaiting a decision.
    Decide { id: String, approve: bool, reason: String },
    /// Vendor: grant or refuse a requested extension; granted, `days` of it,
    /// at most what was asked (none: all that was asked).
    DecideExtension { id: String, grant: bool, reason: String, days: Option<u32> },
    /// Either side: registrations whose protection has run out become expired.
    ExpireDue,
    /// Vendor: offer an unassigned lead to the partner routing chooses.
    RouteLead { id: String },
    /// Vendor: route every open lead that is with no partner.
    RouteAll,
    /// Vendor: take a lead back from its partner.
    RecallLead { id: String, reason: String },
    /// Vendor: offers not accepted in time lapse (the partner is not offered
    /// the lead again) and their leads are routed again.
    RecallOverdue,
    /// Partner: accept or decline a lead offered to it (a decline needs the reason).
    AnswerLead { id: String, accept: bool, reason: String },
    /// Either side: something happened with the lead.
    LogActivity { id: String, activity: Activity },
    /// Either side, on a lead it works: new, working, nurturing, qualified, or
    /// disqualified with the reason.
    SetLeadStatus { id: String, status: LeadStatus, reason: String },
    /// Either side, on a lead it works: the day to touch it next, or none.
    SetNextTouch { id: String, date: Option<NaiveDate> },
    /// Partner: the qualification items confirmed and the business case of a registration.
    Qualify { id: String, qualification: Vec<String>, business_case: Option<BusinessCase> },
    /// Partner: ask for presales help, a demo unit or a special price on an approved registration.
    RequestSupport { id: String, request: RequestDraft },
    /// Vendor: approve or decline a request, with the reason; an approved
    /// special price applies until `expiresOn` (the protection's end if none).
    AnswerRequest {
        id: String,
        request: String,
        approve: bool,
        reason: String,
        expires_on: Option<NaiveDate>,
    },
    /// Vendor: the account notes and the joint plan of a registration.
    SetAccountPlan { id: String, plan: AccountPlan },
}

impl Change {
    /// The `type` of each change, as JSON and JS write it.
    pub const KINDS: [&'static str; 22] = [
        "chooseRole",
        "reset",
        "register",
        "editDraft",
        "submit",
        "requestExtension",
        "close",
        "decide",
        "decideExtension",
        "expireDue",
        "routeLead",
        "routeAll",
        "recallLead",
        "recallOverdue",
        "answerLead",
        "logActivity",
        "setLeadStatus",
        "setNextTouch",
        "qualify",
        "requestSupport",
        "answerRequest",
        "setAccountPlan",
    ];

    /// Reads a change from JSON; `random` makes the id of a record it
    /// creates. Hand-written rather than an internally tagged serde enum,
    /// whose buffering adds a second deserializer for every field type to
    /// the wasm module.
    pub fn from_json(text: &str, random: crate::ids::Random) -> Result<Change, Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Fields {
            #[serde(rename = "type")]
            kind: String,
            role: Option<Role>,
            draft: Option<Draft>,
            submit: Option<bool>,
            id: Option<String>,
            reason: Option<String>,
            /// A registration's or a lead's, read once the kind is known.
            status: Option<String>,
            approve: Option<bool>,
            grant: Option<bool>,
            accept: Option<bool>,
            activity: Option<Activity>,
            date: Option<NaiveDate>,
            qualification: Option<Vec<String>>,
            business_case: Option<BusinessCase>,
            request: Option<RequestDraft>,
            request_id: Option<String>,
            expires_on: Option<NaiveDate>,
            plan: Option<AccountPlan>,
            days: Option<u32>,
        }
        let f: Fields = exchange::read_value(text, "change")?;
        let given: Vec<&str> = [
            ("role", f.role.is_some()),
            ("draft", f.draft.is_some()),
            ("submit", f.submit.is_some()),
            ("id", f.id.is_some()),
            ("reason", f.reason.is_some()),
            ("status", f.status.is_some()),
            ("approve", f.approve.is_some()),
            ("grant", f.grant.is_some()),
            ("accept", f.accept.is_some()),
            ("activity", f.activity.is_some()),
            ("date", f.date.is_some()),
            ("qualification", f.qualification.is_some()),
            ("businessCase", f.business_case.is_some()),
            ("request", f.request.is_some()),
            ("requestId", f.request_id.is_some()),
            ("expiresOn", f.expires_on.is_some()),
            ("plan", f.plan.is_some()),
            ("days", f.days.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        let kind = f.kind.clone();
        let fields: Option<&[&str]> = match kind.as_str() {
            "chooseRole" => Some(&["role"]),
            "reset" | "expireDue" | "routeAll" | "recallOverdue" => Some(&[]),
            "routeLead" => Some(&["id"]),
            "recallLead" => Some(&["id", "reason"]),
            "answerLead" => Some(&["id", "accept", "reason"]),
            "logActivity" => Some(&["id", "activity"]),
            "setLeadStatus" => Some(&["id", "status", "reason"]),
            // `date` may be left out: no next touch.
            "setNextTouch" => Some(&["id"]),
            "register" => Some(&["draft", "submit"]),
            "editDraft" => Some(&["id", "draft"]),
            "submit" => Some(&["id"]),
            "requestExtension" => Some(&["id", "reason"]),
            "close" => Some(&["id", "status", "reason"]),
            "decide" => Some(&["id", "approve", "reason"]),
            "decideExtension" => Some(&["id", "grant", "reason"]),
            "qualify" => Some(&["id", "qualification"]),
            "requestSupport" => Some(&["id", "request"]),
            "answerRequest" => Some(&["id", "requestId", "approve", "reason"]),
            "setAccountPlan" => Some(&["id", "plan"]),
            _ => None,
        };
        let Some(fields) = fields else {
            let message = format!("{kind:?} is not a change; expected one of {}", Change::KINDS.join(", "));
            return Err(Error::invalid("change", vec![Problem::new("$.type", message)]));
        };
        let optional: &[&str] = match kind.as_str() {
            "setNextTouch" => &["date"],
            "qualify" => &["businessCase"],
            "answerRequest" => &["expiresOn"],
            "requestExtension" | "decideExtension" => &["days"],
            _ => &[],
        };
        let mut problems: Vec<Problem> = given
            .iter()
            .filter(|name| !fields.contains(name) && !optional.contains(name))
            .map(|name| Problem::new(format!("$.{name}"), format!("is not a field of a {kind} change")))
            .collect();
        problems.extend(
            fields.iter().filter(|name| !given.contains(name)).map(|name| {
                Problem::new(format!("$.{name}"), format!("is missing; a {kind} change needs it"))
            }),
        );
        if !problems.is_empty() {
            return Err(Error::invalid("change", problems));
        }
        let id = || f.id.clone().unwrap_or_default();
        let reason = || f.reason.clone().unwrap_or_default();
        let status = || f.status.clone().unwrap_or_default();
        Ok(match kind.as_str() {
            "chooseRole" => Change::ChooseRole { role: f.role.expect("checked") },
            "reset" => Change::Reset,
            "expireDue" => Change::ExpireDue,
            "register" => {
                let (draft, submit) = (f.draft.expect("checked"), f.submit.expect("checked"));
                Change::Register { draft, submit, random }
            }
            "editDraft" => Change::EditDraft { id: id(), draft: f.draft.expect("checked") },
            "submit" => Change::Submit { id: id() },
            "requestExtension" => Change::RequestExtension { id: id(), reason: reason(), days: f.days },
            "close" => Change::Close {
                id: id(),
                status: read_status(&status(), &Status::ALL, Status::as_str)?,
                reason: reason(),
            },
            "routeLead" => Change::RouteLead { id: id() },
            "routeAll" => Change::RouteAll,
            "recallLead" => Change::RecallLead { id: id(), reason: reason() },
            "recallOverdue" => Change::RecallOverdue,
            "answerLead" => {
                Change::AnswerLead { id: id(), accept: f.accept.expect("checked"), reason: reason() }
            }
            "logActivity" => Change::LogActivity { id: id(), activity: f.activity.clone().expect("checked") },
            "setLeadStatus" => Change::SetLeadStatus {
                id: id(),
                status: read_status(&status(), &LeadStatus::ALL, LeadStatus::as_str)?,
                reason: reason(),
            },
            "setNextTouch" => Change::SetNextTouch { id: id(), date: f.date },
            "decide" => Change::Decide { id: id(), approve: f.approve.expect("checked"), reason: reason() },
            "decideExtension" => Change::DecideExtension {
                id: id(),
                grant: f.grant.expect("checked"),
                reason: reason(),
                days: f.days,
            },
            "qualify" => Change::Qualify {
                id: id(),
                qualification: f.qualification.clone().expect("checked"),
                business_case: f.business_case.clone(),
            },
            "requestSupport" => {
                Change::RequestSupport { id: id(), request: f.request.clone().expect("checked") }
            }
            "answerRequest" => Change::AnswerRequest {
                id: id(),
                request: f.request_id.clone().expect("checked"),
                approve: f.approve.expect("checked"),
                reason: reason(),
                expires_on: f.expires_on,
            },
            "setAccountPlan" => Change::SetAccountPlan { id: id(), plan: f.plan.clone().expect("checked") },
            _ => unreachable!("every kind is matched above"),
        })
    }
}

/// A registration's or a lead's status by its name, or a problem at `$.status` naming them all.
fn read_status<T: Copy>(text: &str, all: &[T], name: fn(T) -> &'static str) -> Result<T, Error> {
    all.iter().copied().find(|s| name(*s) == text).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|s| name(*s)).collect();
        let message = format!("{text:?} is not a status; expected one of {}", names.join(", "));
        Error::invalid("change", vec![Problem::new("$.status", message)])
    })
}

/// What an import or a load put on the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub partners: usize,
    pub registrations: usize,
    pub leads: usize,
    pub campaigns: usize,
}

/// What the page's header, navigation and overview show: the desk without
/// its records, and the figures the overview gives of them. Drawn at every
/// opening, so that a desk of 10,000 registrations does not have to be handed
/// to the page whole before anything shows (`Desk::state` does that for the
/// views that list records).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview<'a> {
    pub role: Option<&'a Role>,
    pub programme: Option<&'a Programme>,
    pub campaigns: &'a [Campaign],
    /// The latest events on the desk, newest first, and how many it holds.
    pub latest: Vec<&'a AuditEvent>,
    pub audit_events: usize,
    pub registrations: usize,
    /// Partner desks: registrations submitted that the vendor has not received yet.
    pub unsent: usize,
    /// Open registrations (submitted, in review, approved, extended), their
    /// value, and that value weighted by the programme's stage probabilities.
    pub open: usize,
    pub pipeline: f64,
    pub weighted: f64,
    /// Submitted or in review.
    pub awaiting_decision: usize,
    /// Awaiting decision or asking for an extension: the review queue.
    pub to_review: usize,
    pub won: usize,
    pub won_value: f64,
    pub leads: usize,
    /// Leads still being worked, those of them with no partner yet, and the
    /// offers a partner has not answered.
    pub active_leads: usize,
    pub unassigned_leads: usize,
    pub offers_to_answer: usize,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace {
            format: KIND.format.to_string(),
            version: KIND.version,
            role: None,
            programme: None,
            registrations: Vec::new(),
            leads: Vec::new(),
            campaigns: Vec::new(),
            audit: Vec::new(),
            updated_at: None,
            leads_as_of: None,
            lead_routings: 0,
        }
    }
}

impl Workspace {
    /// Reads and validates a workspace document; `what` names it in errors.
    pub fn from_json(text: &str, what: &'static str) -> Result<Workspace, Error> {
        let kind = Kind { what, ..KIND };
        Workspace::validated(exchange::read(text, kind)?, what)
    }

    /// A workspace whose document was checked ([`exchange::check_kinds`])
    /// and read, validated as [`Self::from_json`] validates it.
    pub fn validated(mut workspace: Workspace, what: &'static str) -> Result<Workspace, Error> {
        workspace.validate().map_err(|problems| Error::invalid(what, problems))?;
        // Read, an older desk is this version's: what it writes next is in this version's format.
        workspace.version = KIND.version;
        // A partner's desk from before programme version 5 held the whole
        // roster and the budget: it keeps its own record now, as desks set up
        // by invitation do.
        if let Some(Role::Partner { partner_id }) = workspace.role.clone() {
            let roster = workspace
                .programme
                .as_ref()
                .is_some_and(|p| p.partners.len() > 1 || p.incentive_budget.is_some());
            if roster {
                workspace.keep_to_partner(&partner_id);
            }
        }
        Ok(workspace)
    }

    /// What a partner's desk holds of the programme and its leads: its own
    /// record, never the roster or the budget; leads as sent to it, without
    /// whom else they were offered to.
    fn keep_to_partner(&mut self, partner_id: &str) {
        if let Some(programme) = &mut self.programme {
            if let Some(own) = programme.partner(partner_id).cloned() {
                *programme = programme.for_partner(own);
            }
        }
        for lead in &mut self.leads {
            *lead = lead.as_sent_to_partner();
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a workspace always serialises")
    }

    /// The figures of the page's overview; see [`Overview`].
    pub fn overview(&self) -> Overview<'_> {
        use crate::registration::Status;
        let probabilities = self.programme.as_ref().map(|p| &p.stage_probabilities);
        let mut o = Overview {
            role: self.role.as_ref(),
            programme: self.programme.as_ref(),
            campaigns: &self.campaigns,
            latest: self.audit.iter().rev().take(8).collect(),
            audit_events: self.audit.len(),
            registrations: self.registrations.len(),
            unsent: 0,
            open: 0,
            pipeline: 0.0,
            weighted: 0.0,
            awaiting_decision: 0,
            to_review: 0,
            won: 0,
            won_value: 0.0,
            leads: self.leads.len(),
            active_leads: 0,
            unassigned_leads: 0,
            offers_to_answer: 0,
        };
        for r in &self.registrations {
            o.unsent += usize::from(r.status == Status::Submitted && r.received_at.is_none());
            let awaiting = matches!(r.status, Status::Submitted | Status::InReview);
            o.awaiting_decision += usize::from(awaiting);
            o.to_review += usize::from(awaiting || r.extension_requested);
            if r.status.is_open() {
                o.open += 1;
                o.pipeline += r.value;
                o.weighted += r.value * probabilities.and_then(|p| p.get(&r.stage)).copied().unwrap_or(0.0);
            }
            if r.status == Status::Won {
                o.won += 1;
                o.won_value += r.value;
            }
        }
        for lead in &self.leads {
            let open = lead.status.is_open();
            o.active_leads += usize::from(open);
            o.unassigned_leads += usize::from(open && lead.assigned_to.is_none());
            let offered = lead.offer.as_ref().is_some_and(|x| x.state == crate::leads::OfferState::Offered);
            o.offers_to_answer += usize::from(lead.assigned_to.is_some() && offered);
        }
        o
    }

    pub fn summary(&self) -> Summary {
        Summary {
            partners: self.programme.as_ref().map_or(0, |p| p.partners.len()),
            registrations: self.registrations.len(),
            leads: self.leads.len(),
            campaigns: self.campaigns.len(),
        }
    }

    pub(crate) fn holds_data(&self) -> bool {
        !(self.registrations.is_empty() && self.leads.is_empty() && self.campaigns.is_empty())
    }

    /// Every problem with the content, each under its JSON path.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        let programme = self.programme.as_ref();
        if let Some(programme) = programme {
            if let Err(problems) = programme.validate("$.programme") {
                p.0.extend(problems);
            }
        }
        let own_partner = match &self.role {
            Some(Role::Partner { partner_id }) => {
                p.id("$.role.partnerId", partner_id);
                if programme.is_some_and(|pr| pr.partner(partner_id).is_none()) {
                    p.add("$.role.partnerId", format!("{partner_id:?} is not a partner of the programme"));
                }
                Some(partner_id.as_str())
            }
            _ => None,
        };
        let known_partner = |id: &str| programme.is_none_or(|pr| pr.partner(id).is_some());

        p.unique("$.registrations", "id", self.registrations.iter().map(|r| r.id.as_str()));
        for (idx, reg) in self.registrations.iter().enumerate() {
            let path = format!("$.registrations[{idx}]");
            reg.check(&path, &mut p);
            if !known_partner(&reg.partner_id) {
                p.add(
                    format!("{path}.partnerId"),
                    format!("{:?} is not a partner of the programme", reg.partner_id),
                );
            }
            if let Some(own) = own_partner.filter(|own| *own != reg.partner_id) {
                p.add(
                    format!("{path}.partnerId"),
                    format!("is {:?}, but this is the desk of partner {own:?}", reg.partner_id),
                );
            }
            if let Some(programme) = programme {
                for (item_idx, item) in reg.products.iter().enumerate() {
                    if programme.product(&item.sku).is_none() {
                        p.add(
                            format!("{path}.products[{item_idx}].sku"),
                            format!("{:?} is not in the programme's catalogue", item.sku),
                        );
                    }
                }
            }
        }

        p.unique("$.campaigns", "id", self.campaigns.iter().map(|c| c.id.as_str()));
        for (idx, campaign) in self.campaigns.iter().enumerate() {
            campaign.check(&format!("$.campaigns[{idx}]"), &mut p);
        }
        let campaign_ids: HashSet<&str> = self.campaigns.iter().map(|c| c.id.as_str()).collect();

        p.unique("$.leads", "id", self.leads.iter().map(|l| l.id.as_str()));
        for (idx, lead) in self.leads.iter().enumerate() {
            let path = format!("$.leads[{idx}]");
            lead.check(&path, &mut p);
            if !campaign_ids.contains(lead.campaign_id.as_str()) {
                p.add(
                    format!("{path}.campaignId"),
                    format!("{:?} is not one of the campaigns", lead.campaign_id),
                );
            }
            if let (Some(line), Some(programme)) = (&lead.product_line, programme) {
                if !programme.product_lines.iter().any(|l| &l.id == line) {
                    p.add(format!("{path}.productLine"), format!("{line:?} is not one of the product lines"));
                }
            }
            if let Some(partner) = &lead.assigned_to {
                if !known_partner(partner) {
                    p.add(
                        format!("{path}.assignedTo"),
                        format!("{partner:?} is not a partner of the programme"),
                    );
                }
            }
        }

        for (idx, pair) in self.audit.windows(2).enumerate() {
            if pair[1].seq <= pair[0].seq {
                p.add(format!("$.audit[{}].seq", idx + 1), "must be greater than the event before it");
            }
        }
        p.into_result()
    }

    /// Appends one event to the audit log, stamped `now`.
    pub(crate) fn record(&mut self, now: DateTime<Utc>, action: &str, detail: String) {
        let seq = self.audit.last().map_or(1, |e| e.seq + 1);
        let actor = self.role.as_ref().map_or("desk", Role::actor).to_string();
        self.audit.push(AuditEvent { seq, at: now, actor, action: action.to_string(), detail });
        self.updated_at = Some(now);
    }

    /// Applies one change to this workspace, or refuses it and leaves it as it was.
    pub fn apply(&mut self, change: Change, now: DateTime<Utc>) -> Result<(), Error> {
        match change {
            Change::ChooseRole { role } => {
                if self.role.as_ref() == Some(&role) {
                    return Ok(());
                }
                if self.holds_data() {
                    return Err(Error::Refused(
                        "the role of a desk that holds registrations, leads or campaigns cannot change; \
                         export a backup, then start an empty desk"
                            .into(),
                    ));
                }
                if let (Role::Partner { partner_id }, Some(programme)) = (&role, &self.programme) {
                    if programme.partner(partner_id).is_none() {
                        return Err(Error::Refused(format!(
                            "role.partnerId: {partner_id:?} is not a partner of the programme {:?}",
                            programme.name
                        )));
                    }
                }
                let detail = match &role {
                    Role::Vendor => "desk set up for the vendor".to_string(),
                    Role::Partner { partner_id } => format!("desk set up for partner {partner_id}"),
                };
                self.role = Some(role);
                self.record(now, "chooseRole", detail);
            }
            Change::Reset => {
                let before = self.summary();
                // As the page says: the role is chosen again (a partner's by
                // its invitation). The keys beside the desk stay.
                *self = Workspace::default();
                self.record(
                    now,
                    "reset",
                    format!(
                        "started an empty desk; the one before held {} registrations, {} leads and {} campaigns",
                        before.registrations, before.leads, before.campaigns
                    ),
                );
            }
            change @ (Change::RouteLead { .. }
            | Change::RouteAll
            | Change::RecallLead { .. }
            | Change::RecallOverdue
            | Change::AnswerLead { .. }
            | Change::LogActivity { .. }
            | Change::SetLeadStatus { .. }
            | Change::SetNextTouch { .. }) => self.apply_to_leads(change, now)?,
            change @ (Change::Qualify { .. }
            | Change::RequestSupport { .. }
            | Change::AnswerRequest { .. }
            | Change::SetAccountPlan { .. }) => self.apply_to_account(change, now)?,
            other => self.apply_to_registrations(other, now)?,
        }
        Ok(())
    }

    /// Puts a programme and a data set on the desk, replacing what it held. A
    /// partner desk keeps only that partner's registrations and assigned leads.
    pub fn load_dataset(
        &mut self,
        programme: Programme,
        dataset: Dataset,
        now: DateTime<Utc>,
    ) -> Result<Summary, Error> {
        let Some(role) = self.role.clone() else {
            return Err(Error::Refused("choose a role for this desk before loading data".into()));
        };
        let mut candidate = Workspace {
            role: Some(Role::Vendor),
            programme: Some(programme),
            registrations: dataset.registrations,
            leads: dataset.leads,
            campaigns: dataset.campaigns,
            ..Workspace::default()
        };
        // Checked whole, as the vendor sees it, before a partner desk keeps its part.
        candidate.validate().map_err(|problems| Error::invalid(DATASET_KIND.what, problems))?;

        if let Role::Partner { partner_id } = &role {
            let programme = candidate.programme.as_ref().expect("set above");
            if programme.partner(partner_id).is_none() {
                return Err(Error::Refused(format!(
                    "this desk belongs to partner {partner_id:?}, who is not in the programme {:?}",
                    programme.name
                )));
            }
            candidate.registrations.retain(|r| &r.partner_id == partner_id);
            candidate.leads.retain(|l| l.assigned_to.as_ref() == Some(partner_id));
            candidate.keep_to_partner(partner_id);
            let used: HashSet<String> = candidate
                .leads
                .iter()
                .map(|l| l.campaign_id.clone())
                .chain(candidate.registrations.iter().filter_map(|r| r.campaign_id.clone()))
                .collect();
            candidate.campaigns.retain(|c| used.contains(&c.id));
        }
        candidate.role = Some(role);
        candidate.audit = std::mem::take(&mut self.audit);
        candidate.updated_at = self.updated_at;
        let summary = candidate.summary();
        let name = candidate.programme.as_ref().map(|p| p.name.clone()).unwrap_or_default();
        candidate.record(
            now,
            "loadDataset",
            format!(
                "loaded programme {name:?}: {} registrations, {} leads, {} campaigns",
                summary.registrations, summary.leads, summary.campaigns
            ),
        );
        *self = candidate;
        // The data is loaded as of `now`: protection that has run out by then has expired.
        self.apply(Change::ExpireDue, now)?;
        Ok(summary)
    }
}

/// Where a desk is kept: localStorage in the browser, a map in tests.
pub trait Storage {
    fn get(&self, key: &str) -> Result<Option<String>, Error>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), Error>;
    fn remove(&mut self, key: &str) -> Result<(), Error>;
    /// The first `chars` characters of a value: what a header is read from,
    /// without handing over a value of megabytes (the browser's does not).
    fn head(&self, key: &str, chars: usize) -> Result<Option<String>, Error> {
        Ok(self.get(key)?.map(|text| text.chars().take(chars).collect()))
    }
}

/// `now` as chrono's `%Y%m%dT%H%M%S%.3fZ` writes it (20261102T100000.123Z),
/// without chrono's format-string interpreter: it cost 4.9 KB gzipped in the
/// wasm module for this one key.
fn compact_time(now: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let year = now.year();
    let year = if (0..10_000).contains(&year) { format!("{year:04}") } else { format!("{year:+05}") };
    let nanos = now.nanosecond();
    format!(
        "{year}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
        now.month(),
        now.day(),
        now.hour(),
        now.minute(),
        // A leap second is second 60, with its nanoseconds counted from 1e9.
        now.second() + nanos / 1_000_000_000,
        nanos / 1_000_000 % 1000
    )
}

/// Storage in memory, with an optional quota in bytes to stand for a full browser store.
#[derive(Debug, Clone, Default)]
pub struct MemoryStorage {
    pub items: BTreeMap<String, String>,
    pub quota: Option<usize>,
}

impl Storage for MemoryStorage {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(self.items.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        let others: usize =
            self.items.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.len() + v.len()).sum();
        if self.quota.is_some_and(|quota| others + key.len() + value.len() > quota) {
            return Err(Error::Storage(format!("the quota is exceeded while saving {key:?}")));
        }
        self.items.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), Error> {
        self.items.remove(key);
        Ok(())
    }
}

/// A programme saved on the vendor's desk: its revision, and what changed
/// from the one before, in the builder's words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammeSaved {
    pub revision: u32,
    pub changes: Vec<String>,
}

/// The stateful handle of one desk over its storage.
#[derive(Debug)]
pub struct Desk<S: Storage> {
    workspace: Workspace,
    storage: S,
    /// The registrations' customers profiled for evaluations, made at the first
    /// and dropped on every change.
    known: std::cell::OnceCell<Known>,
    /// The leads' customers, likewise.
    lead_known: std::cell::OnceCell<Known>,
    /// The desk's signing key, kept in storage beside the desk (never in it),
    /// or why the kept one cannot be read (the desk still opens: only
    /// signing waits for the key file).
    key: Result<Option<KeyPair>, String>,
    /// Partner desks: the vendor key this desk trusts, kept in storage beside
    /// the desk (never in it), or why the kept one cannot be read (then no
    /// file from the vendor is read until the partner chooses a key again).
    trust: Result<Option<TrustedKey>, String>,
    /// The revision of the stored desk this one was read from or last saved
    /// as: a save finding another means another tab saved in between.
    revision: u64,
    /// Why the last change is not saved (storage full): it is kept in memory
    /// until a later save succeeds.
    unsaved: Option<String>,
    /// The stored text as this desk read or last wrote it: a save copies it
    /// aside as the previous copy only if it is still that (checking it
    /// otherwise would mean inflating it on every save).
    kept: Option<String>,
    /// The workspace as JSON (the page's `state`): what the last save
    /// wrote, else made at the first [`Desk::document`] after opening.
    document: std::cell::OnceCell<String>,
}

/// The revision of a stored text (0 for none, or one from before seals),
/// from its header without reading the document.
fn stored_revision(stored: Option<&str>) -> u64 {
    stored
        .map_or(0, |text| crate::compact::revision(text).unwrap_or_else(|| crate::seal::revision(Some(text))))
}

/// The document a stored text holds, as text: inflated if it is compact,
/// and as it is if it was kept as JSON (before the compact form, or by hand).
pub fn stored_document(text: &str) -> Result<String, String> {
    match crate::compact::decode(text) {
        None => Ok(text.to_string()),
        Some(read) => read.map(|(document, _)| document),
    }
}

/// Reads a stored desk, with its revision.
/// The compact form ([`crate::compact`]) is checked by its zlib stream's
/// Adler-32; a desk kept as JSON before it, by its seal ([`crate::seal`]).
fn read_stored(text: &str, what: &'static str) -> Result<(Workspace, u64), Error> {
    match crate::compact::decode(text) {
        Some(Ok((document, revision))) => {
            // Written by dealreg and intact: read without the file checks
            // (a third of the time), which then only explain a failure.
            let read = exchange::read_value::<Workspace>(&document, what)
                .ok()
                .filter(|w| w.format == KIND.format && w.version <= KIND.version);
            let workspace = match read {
                Some(mut w) => {
                    w.validate().map_err(|problems| Error::invalid(what, problems))?;
                    w.version = KIND.version;
                    w
                }
                None => Workspace::from_json(&document, what)?,
            };
            Ok((workspace, revision))
        }
        Some(Err(why)) => Err(Error::invalid(
            what,
            vec![Problem::new(
                "$",
                format!("cannot be read: {why}; it was changed outside dealreg, or damaged"),
            )],
        )),
        None => read_sealed(text, what),
    }
}

/// A desk kept as JSON text, before the compact form: its seal, if it has
/// one, must match its content.
fn read_sealed(text: &str, what: &'static str) -> Result<(Workspace, u64), Error> {
    let (document, seal) = crate::seal::open(text);
    let read = Workspace::from_json(&document, what);
    if seal.is_some_and(|s| !s.intact) {
        // Whatever else is wrong with it is listed too.
        let mut problems = read.err().map(|e| e.problems().to_vec()).unwrap_or_default();
        problems.push(Problem::new(
            "$.stored.checksum",
            "does not match the desk's content: it was changed outside dealreg, or damaged",
        ));
        return Err(Error::invalid(what, problems));
    }
    Ok((read?, seal.map_or(0, |s| s.revision)))
}

impl<S: Storage> Desk<S> {
    /// Opens the desk kept in `storage`, or an empty one if none is kept yet.
    /// A stored value that cannot be read, or fails its checksum, is an
    /// error, and is left untouched.
    pub fn open(storage: S) -> Result<Desk<S>, Error> {
        let kept = storage.get(STORAGE_KEY)?;
        let (workspace, revision) = match &kept {
            None => (Workspace::default(), 0),
            Some(text) => read_stored(text, STORED)?,
        };
        let key = read_key(&storage)?;
        let trust = read_trust(&storage)?;
        // Not the stored text: only what `to_json` wrote is known to be its JSON.
        let document = Default::default();
        let mut desk = Desk {
            workspace,
            storage,
            known: Default::default(),
            lead_known: Default::default(),
            key,
            trust,
            revision,
            unsaved: None,
            kept,
            document,
        };
        desk.pin_trust(None);
        Ok(desk)
    }

    /// When the copy kept from before the last save was saved, if there is
    /// one and it reads: what `restore_previous` would bring back.
    pub fn previous_copy(storage: &S) -> Result<Option<Option<DateTime<Utc>>>, Error> {
        Ok(match storage.get(PREVIOUS_KEY)? {
            Some(text) => {
                read_stored(&text, "the copy kept before the last save").ok().map(|(w, _)| w.updated_at)
            }
            None => None,
        })
    }

    /// Puts the copy kept from before the last save in place of a stored desk
    /// that cannot be read, which is first set aside, so nothing is lost.
    pub fn restore_previous(mut storage: S, now: DateTime<Utc>) -> Result<Desk<S>, Error> {
        let text = storage.get(PREVIOUS_KEY)?.ok_or_else(|| {
            Error::Refused("no copy from before the last save is kept in this browser".into())
        })?;
        let (mut workspace, revision) = read_stored(&text, "the copy kept before the last save")?;
        if let Some(damaged) = storage.get(STORAGE_KEY)? {
            storage.set(&format!("{SET_ASIDE_PREFIX}{}", compact_time(now)), &damaged)?;
        }
        workspace.record(
            now,
            "restore",
            "restored the copy kept before the last save; the damaged one was set aside".into(),
        );
        let revision = revision + 1;
        Desk::saved_anew(storage, workspace, revision)
    }

    /// A desk saved in place of one that could not be read.
    fn saved_anew(mut storage: S, workspace: Workspace, revision: u64) -> Result<Desk<S>, Error> {
        let document = workspace.to_json();
        let kept = crate::compact::encode(&document, revision);
        storage.set(STORAGE_KEY, &kept)?;
        let key = read_key(&storage)?;
        let trust = read_trust(&storage)?;
        let (known, lead_known, unsaved, document) =
            (Default::default(), Default::default(), None, document.into());
        let kept = Some(kept);
        Ok(Desk { workspace, storage, known, lead_known, key, trust, revision, unsaved, kept, document })
    }

    /// The workspace as JSON, as `to_json` writes it (made once per change).
    pub fn document(&self) -> &str {
        self.document.get_or_init(|| self.workspace.to_json())
    }

    /// Why the desk in memory is not saved, if it is not (storage was full):
    /// the page tells the user and offers a backup.
    pub fn unsaved(&self) -> Option<&str> {
        self.unsaved.as_deref()
    }

    /// The revision of the stored desk this one read or last saved.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision of the desk in storage now, from its header alone, so
    /// asking before every change costs little (0 when none is stored).
    pub fn stored_revision(storage: &S) -> Result<u64, Error> {
        let head = storage.head(STORAGE_KEY, 64)?;
        Ok(match head.as_deref().map(crate::compact::revision) {
            Some(Some(revision)) => revision,
            None => 0,
            // Kept as JSON by an earlier version (or by hand): its seal is at the end.
            Some(None) => stored_revision(storage.get(STORAGE_KEY)?.as_deref()),
        })
    }

    /// Whether the desk in storage is no longer the one this desk read or
    /// last saved: another tab or window saved it since.
    pub fn stale(&self) -> Result<bool, Error> {
        Ok(Desk::stored_revision(&self.storage)? != self.revision)
    }

    /// Starts an empty desk in place of one that cannot be read. The unreadable
    /// value is first copied to a set-aside key, so nothing is lost.
    pub fn start_over(mut storage: S, now: DateTime<Utc>) -> Result<Desk<S>, Error> {
        if let Some(text) = storage.get(STORAGE_KEY)? {
            let key = format!("{SET_ASIDE_PREFIX}{}", compact_time(now));
            storage.set(&key, &text)?;
        }
        let mut workspace = Workspace::default();
        workspace.record(now, "startOver", "started an empty desk; the unreadable one was set aside".into());
        let revision = stored_revision(storage.get(STORAGE_KEY)?.as_deref()) + 1;
        Desk::saved_anew(storage, workspace, revision)
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    fn known(&self) -> &Known {
        self.known.get_or_init(|| Known::of(&self.workspace.registrations))
    }

    fn lead_known(&self) -> &Known {
        self.lead_known.get_or_init(|| Known::of_leads(&self.workspace.leads))
    }

    /// What the partner's form shows while typing ([`Workspace::preview`]),
    /// without profiling every stored customer again on each keystroke.
    pub fn preview(&self, draft: &Draft, now: DateTime<Utc>) -> Result<Preview, Error> {
        self.workspace.preview_known(draft, now, Some(self.known()), Some(self.lead_known()))
    }

    /// [`Workspace::explain`], with the profiles kept.
    pub fn explain(&self, id: &str, now: DateTime<Utc>) -> Result<Decision, Error> {
        self.workspace.explain_known(id, now, Some(self.known()), Some(self.lead_known()))
    }

    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Whether a registration's protection has run out by `now` without its
    /// being marked expired: whether an `expireDue` change would change anything.
    pub fn expiry_due(&self, now: DateTime<Utc>) -> bool {
        let today = now.date_naive();
        self.workspace.registrations.iter().any(|r| r.protection_ran_out(today))
    }

    /// Applies one change and saves it; the id of the registration it
    /// created, if it created one.
    pub fn apply(&mut self, change: Change, now: DateTime<Utc>) -> Result<Option<String>, Error> {
        // The page asks at every opening; most often nothing is due, and a
        // commit would copy and compare the whole desk to find that out.
        if change == Change::ExpireDue && !self.expiry_due(now) {
            return Ok(None);
        }
        let created = match (&change, &self.workspace.role) {
            (Change::Register { random, .. }, Some(Role::Partner { partner_id })) => {
                Some(crate::ids::fresh(partner_id, *random))
            }
            _ => None,
        };
        self.commit(|w| w.apply(change, now))?;
        Ok(created)
    }

    /// Loads a programme file and a data set file (both as text), replacing the desk's data.
    pub fn load_dataset(
        &mut self,
        programme_text: &str,
        dataset_text: &str,
        now: DateTime<Utc>,
    ) -> Result<Summary, Error> {
        let mut programme = Programme::from_json(programme_text)?;
        let dataset: Dataset = exchange::read(dataset_text, DATASET_KIND)?;
        self.name_own_key(&mut programme);
        self.commit(|w| w.load_dataset(programme, dataset, now))
    }

    /// Replaces the programme with a programme file (vendor).
    /// Saves the vendor's programme; answers with its revision and what
    /// changed, in words (nothing when it is the first).
    pub fn set_programme(&mut self, text: &str, now: DateTime<Utc>) -> Result<ProgrammeSaved, Error> {
        let mut programme = Programme::from_json(text)?;
        self.name_own_key(&mut programme);
        let before = self.workspace.programme.clone();
        self.commit(|w| w.set_programme(programme, now))?;
        let after = self.workspace.programme.as_ref().expect("a programme was just saved");
        Ok(ProgrammeSaved {
            revision: after.revision,
            changes: before.map(|b| crate::files::programme_changes(&b, after)).unwrap_or_default(),
        })
    }

    /// A vendor desk with a key names it in any programme it takes that names
    /// none (after starting an empty desk, say), so its files stay checkable.
    fn name_own_key(&self, programme: &mut Programme) {
        if self.workspace.role == Some(Role::Vendor) && programme.vendor_key.is_none() {
            programme.vendor_key = self.public_key();
        }
    }

    /// The public half of this desk's signing key, if it has one.
    pub fn public_key(&self) -> Option<String> {
        self.held_key().map(KeyPair::public_key)
    }

    fn held_key(&self) -> Option<&KeyPair> {
        self.key.as_ref().ok().and_then(Option::as_ref)
    }

    /// Why the signing key kept in this browser cannot be read, if it cannot.
    pub fn key_problem(&self) -> Option<&str> {
        self.key.as_ref().err().map(String::as_str)
    }

    /// Makes this desk's signing key from 32 random bytes. A vendor desk's
    /// programme then names it, and every programme and decision file is
    /// signed with it; a partner desk signs its submissions with it once the
    /// vendor lists it in the programme. A desk has one key: making a second
    /// would orphan every file signed with the first.
    pub fn create_key(&mut self, seed: &[u8], now: DateTime<Utc>) -> Result<String, Error> {
        if let Err(problem) = &self.key {
            return Err(Error::Refused(format!(
                "{problem}: import the key file rather than make another key"
            )));
        }
        if self.held_key().is_some() {
            return Err(Error::Refused(
                "this desk already has a signing key; a second would make partners refuse its files".into(),
            ));
        }
        let key = KeyPair::from_seed(seed)?;
        self.install_key(key, now, "createKey", "made its signing key")
    }

    /// Replaces this desk's key with the one in a key file (a vendor moving to
    /// another browser), opened with its passphrase if it is locked. Refused
    /// if the programme names another key.
    pub fn import_key(
        &mut self,
        text: &str,
        passphrase: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<String, Error> {
        let key = KeyPair::from_file(text, passphrase)?;
        if self.held_key().is_some_and(|held| held.public_key() == key.public_key()) {
            return Ok(key.public_key());
        }
        // An unreadable kept key may be replaced by the key file: that is what it waits for.
        if self.held_key().is_some() {
            return Err(Error::Refused("this desk already has another signing key".into()));
        }
        let named = match &self.workspace.role {
            Some(Role::Vendor) => self.workspace.programme.as_ref().and_then(|p| p.vendor_key.clone()),
            Some(Role::Partner { partner_id }) => self
                .workspace
                .programme
                .as_ref()
                .and_then(|p| p.partner(partner_id))
                .and_then(|p| p.signing_key.clone()),
            None => None,
        };
        if named.is_some_and(|named| named != key.public_key()) {
            return Err(Error::Refused(
                "this is not the key the programme names for this desk; its files would be refused".into(),
            ));
        }
        self.install_key(key, now, "importKey", "read its signing key from a key file")
    }

    fn install_key(
        &mut self,
        key: KeyPair,
        now: DateTime<Utc>,
        action: &str,
        what: &str,
    ) -> Result<String, Error> {
        let public = key.public_key();
        let file = key.to_file(now);
        let detail = format!("this desk {what} (public key {public})");
        self.commit(|w| {
            if let (Some(Role::Vendor), Some(programme)) = (&w.role, &mut w.programme) {
                if programme.vendor_key.is_none() {
                    programme.vendor_key = Some(public.clone());
                    programme.revision += 1;
                }
            }
            w.record(now, action, detail);
            Ok(())
        })?;
        // The desk is saved first: should saving the key fail, the desk names a
        // key it does not hold, and importing the key file (or retrying) mends it.
        self.storage.set(KEY_STORAGE, &file)?;
        self.key = Ok(Some(key));
        Ok(public)
    }

    /// The key file, locked with `passphrase`: the only export that holds
    /// the secret key. `random`: the lock's salt and nonce.
    pub fn export_key(
        &self,
        passphrase: &str,
        random: crate::signing::LockRandom,
        now: DateTime<Utc>,
    ) -> Result<String, Error> {
        let key = self.held_key().ok_or_else(|| Error::Refused("this desk has no signing key".into()))?;
        key.to_locked_file(passphrase, random, now)
    }

    /// `document` as a file, signed when this desk has a key. Refused when
    /// the programme names a key for this desk that it does not hold.
    fn write_signed<T: serde::Serialize>(&self, document: &T, named: Option<&str>) -> Result<String, Error> {
        match (self.held_key(), named) {
            (Some(key), Some(named)) if key.public_key() != named => Err(Error::Refused(
                "this desk's signing key is not the one the programme names; import the right key file"
                    .into(),
            )),
            (Some(key), _) => Ok(key.sign(document)),
            (None, Some(_)) => Err(Error::Refused(
                "the programme names this desk's signing key, but this browser does not hold it: \
                 import the key file first (Files, Signing key)"
                    .into(),
            )),
            (None, None) => Ok(exchange::pretty(document)),
        }
    }

    /// Vendor: the programme file for partners, signed.
    pub fn export_programme(&self) -> Result<String, Error> {
        let programme = self.workspace.programme_file()?;
        self.write_signed(&programme, programme.vendor_key.as_deref())
    }

    /// Vendor: the decision file for one partner, signed.
    pub fn export_decisions(&self, partner_id: &str, now: DateTime<Utc>) -> Result<String, Error> {
        let file = self.workspace.decisions_for(partner_id, now)?;
        let named = self.workspace.programme.as_ref().and_then(|p| p.vendor_key.as_deref());
        self.write_signed(&file, named)
    }

    /// Partner: the submission file for the vendor, signed if this desk has a key.
    pub fn export_submission(&self, now: DateTime<Utc>) -> Result<String, Error> {
        let file = self.workspace.submission(now)?;
        let named = self
            .workspace
            .programme
            .as_ref()
            .and_then(|p| p.partner(&file.partner_id)?.signing_key.as_deref());
        self.write_signed(&file, named)
    }

    /// Partner: what adopting a programme file would change ([`Workspace::programme_update`]).
    pub fn programme_update(&self, text: &str) -> Result<ProgrammeUpdate, Error> {
        let trusted = self.trusted_key()?;
        self.workspace.programme_update(text, trusted).map(|(update, _)| update)
    }

    /// Partner: adopts a programme file the vendor published.
    pub fn adopt_programme(&mut self, text: &str, now: DateTime<Utc>) -> Result<ProgrammeUpdate, Error> {
        let trusted = self.trusted_key()?.map(str::to_string);
        self.commit(|w| w.adopt_programme(text, trusted.as_deref(), now))
    }

    /// Vendor: invites a partner of the roster. Makes the partner's signing
    /// key from `seed` (32 random bytes), names its public half in the
    /// roster, so that the vendor refuses any submission in that partner's
    /// name not signed with it, and returns the invitation, signed (see
    /// [`crate::invitation`]). Inviting a partner again makes it a new key:
    /// a desk set up from an earlier invitation can no longer sign for it.
    pub fn invite(&mut self, partner_id: &str, seed: &[u8], now: DateTime<Utc>) -> Result<String, Error> {
        self.workspace.vendor_or_refuse("invite partners")?;
        let vendor_key = self.held_key().ok_or_else(|| {
            Error::Refused(
                "an invitation is signed: make this desk's signing key first (Files, Signing key)".into(),
            )
        })?;
        let programme = self.workspace.programme_or_refuse()?;
        let partner = programme.partner(partner_id).cloned().ok_or_else(|| {
            Error::Refused(format!("{partner_id:?} is not a partner of the programme {:?}", programme.name))
        })?;
        let key = KeyPair::from_seed(seed)?;
        let invitation =
            crate::invitation::Invitation::new(&self.workspace.programme_file()?, &partner, &key, now);
        let text = vendor_key.sign(&invitation);
        let public = key.public_key();
        let name = partner.name.clone();
        self.commit(|w| {
            let programme = w.programme.as_mut().expect("checked above");
            let record = programme.partners.iter_mut().find(|p| p.id == partner_id).expect("checked above");
            let again = record.signing_key.is_some();
            record.signing_key = Some(public.clone());
            let detail = if again {
                format!("invited {name} again, with a new key ({public}): its earlier desk no longer signs for it")
            } else {
                format!("invited {name}; its desk signs with the key {public}")
            };
            w.record(now, "invite", detail);
            Ok(())
        })?;
        Ok(text)
    }

    /// What an invitation says, checked as `join` checks it; changes nothing.
    pub fn invitation(&self, text: &str) -> Result<crate::invitation::Welcome, Error> {
        let (invitation, _) = crate::invitation::Invitation::read(text, self.trusted_key()?)?;
        let welcome = invitation.welcome();
        self.may_join(&welcome)?;
        Ok(welcome)
    }

    /// Whether this desk may take an invitation: a desk with no role takes
    /// any; a partner's desk only one of its own partner to its own programme.
    fn may_join(&self, welcome: &crate::invitation::Welcome) -> Result<(), Error> {
        match (&self.workspace.role, &self.workspace.programme) {
            (None, _) => Ok(()),
            (Some(Role::Partner { partner_id }), programme)
                if *partner_id == welcome.partner_id
                    && programme.as_ref().is_none_or(|p| p.id == welcome.programme_id) =>
            {
                Ok(())
            }
            (Some(Role::Vendor), _) => Err(Error::Refused(
                "this is a vendor's desk: open the invitation in the partner's own browser".into(),
            )),
            (Some(Role::Partner { partner_id }), programme) => {
                let own =
                    programme.as_ref().and_then(|p| p.partner(partner_id)).map_or(partner_id, |p| &p.name);
                Err(Error::Refused(format!(
                    "this desk is {own}'s already; the invitation of {} to {} sets up a desk of its own \
                     (in another browser, or another browser profile)",
                    welcome.partner, welcome.programme
                )))
            }
        }
    }

    /// Partner: sets this desk up from an invitation: the invited partner's
    /// desk (its identity is never chosen), the programme as published with
    /// the partner's own record, the key it signs with, and the vendor key it
    /// trusts. A desk set up already takes only an invitation of its own
    /// partner to its own programme (a new one, after a new key, say).
    pub fn join(&mut self, text: &str, now: DateTime<Utc>) -> Result<crate::invitation::Welcome, Error> {
        let (invitation, key) = crate::invitation::Invitation::read(text, self.trusted_key()?)?;
        let welcome = invitation.welcome();
        self.may_join(&welcome)?;
        let programme = invitation.programme.for_partner(invitation.partner.clone());
        let role = Role::Partner { partner_id: welcome.partner_id.clone() };
        let detail = format!(
            "joined {} of {} as {}, by the vendor's invitation of {}",
            welcome.programme,
            welcome.vendor,
            welcome.partner,
            welcome.issued_at.date_naive()
        );
        self.commit(|w| {
            if w.role.is_none() && w.holds_data() {
                return Err(Error::Refused(
                    "this desk holds records of another role: export a backup and start an empty desk".into(),
                ));
            }
            w.role = Some(role.clone());
            let previous = w.programme.replace(programme.clone());
            if let Err(problems) = w.validate() {
                w.programme = previous;
                return Err(Error::invalid(crate::invitation::KIND.what, problems));
            }
            w.record(now, "join", detail.clone());
            Ok(())
        })?;
        // The desk is saved first, as for a key made here: should saving the
        // key fail, the desk names a key it does not hold and says so.
        self.storage.set(KEY_STORAGE, &key.to_file(now))?;
        self.key = Ok(Some(key));
        Ok(welcome)
    }

    /// Partner desks: the vendor key this desk trusts, if it trusts one yet.
    pub fn trusted(&self) -> Option<&TrustedKey> {
        self.trust.as_ref().ok().and_then(Option::as_ref)
    }

    /// The trusted vendor key, or why files from the vendor cannot be read now.
    fn trusted_key(&self) -> Result<Option<&str>, Error> {
        match &self.trust {
            Ok(trusted) => Ok(trusted.as_ref().map(|t| t.vendor_key.as_str())),
            Err(problem) => Err(Error::Refused(format!(
                "{problem}: no file from the vendor is read until you choose the vendor key again (Files, Vendor key)"
            ))),
        }
    }

    /// A partner desk that trusts no key yet takes the one its programme
    /// names (adopted, or restored from its own backup): from then on only
    /// [`Desk::trust_key_of`] changes it, and nothing that replaces the
    /// workspace does. `now`: when, if known (not for a desk just opened).
    fn pin_trust(&mut self, now: Option<DateTime<Utc>>) {
        if !matches!(self.trust, Ok(None)) || !matches!(self.workspace.role, Some(Role::Partner { .. })) {
            return;
        }
        let Some(programme) = self.workspace.programme.as_ref() else { return };
        let Some(key) = programme.vendor_key.as_deref() else { return };
        let since = now.or(self.workspace.updated_at).unwrap_or_default();
        let trusted = TrustedKey::new(key, &programme.vendor, &programme.id, since);
        // Trusted in memory whatever storage says. Should storage refuse it
        // (full), the desk still names the key, and the next opening pins it.
        let _ = self.storage.set(TRUST_STORAGE, &exchange::pretty(&trusted));
        self.trust = Ok(Some(trusted));
    }

    /// The key a programme file is signed with, checked against the key the
    /// file itself names, and what the file says of its vendor; changes
    /// nothing. What a partner is shown before trusting a new vendor key.
    pub fn programme_signer(&self, text: &str) -> Result<ProgrammeSigner, Error> {
        let what = crate::programme::KIND;
        let opened = crate::signing::open(text, what)?;
        let programme = Programme::from_json(&opened.body)?;
        let Some(key) = programme.vendor_key.clone() else {
            let problem =
                Problem::new("$.vendorKey", "is missing: an unsigned programme names no key to trust");
            return Err(Error::invalid(what.what, vec![problem]));
        };
        let whom = format!("the vendor {}", programme.vendor);
        crate::signing::expect(&opened, Some(&key), &whom, what)?;
        let current = self.trusted().map(|t| t.vendor_key.clone());
        Ok(ProgrammeSigner {
            vendor_key: key,
            vendor: programme.vendor,
            programme_id: programme.id,
            name: programme.name,
            current,
        })
    }

    /// Partner: trusts the key a programme file is signed with in place of
    /// the one trusted now: the partner's explicit choice, after comparing
    /// both keys with the vendor. Recorded in the audit log.
    pub fn trust_key_of(&mut self, text: &str, now: DateTime<Utc>) -> Result<ProgrammeSigner, Error> {
        if !matches!(self.workspace.role, Some(Role::Partner { .. })) {
            return Err(Error::Refused("only a partner desk trusts a vendor key".into()));
        }
        let signer = self.programme_signer(text)?;
        if signer.current.as_deref() == Some(signer.vendor_key.as_str()) {
            return Ok(signer);
        }
        let trusted = TrustedKey::new(&signer.vendor_key, &signer.vendor, &signer.programme_id, now);
        let detail = match &signer.current {
            Some(old) => format!("trusts the vendor key {} in place of {old}", signer.vendor_key),
            None => format!("trusts the vendor key {}", signer.vendor_key),
        };
        self.commit(|w| {
            w.record(now, "trustKey", detail);
            Ok(())
        })?;
        self.storage.set(TRUST_STORAGE, &exchange::pretty(&trusted))?;
        self.trust = Ok(Some(trusted));
        Ok(signer)
    }

    /// Vendor: adds the leads of a CSV or JSON file ([`Workspace::import_leads`]).
    pub fn import_leads(
        &mut self,
        text: &str,
        options: &crate::leads::import::ImportOptions,
        now: DateTime<Utc>,
        random: crate::ids::Random,
    ) -> Result<crate::leads::import::LeadImport, Error> {
        self.commit(|w| w.import_leads(text, options, now, random))
    }

    /// Vendor: reads a partner's submission file.
    pub fn import_submission(&mut self, text: &str, now: DateTime<Utc>) -> Result<ImportReport, Error> {
        self.commit(|w| w.import_submission(text, now))
    }

    /// Partner: reads the vendor's decision file.
    pub fn import_decisions(&mut self, text: &str, now: DateTime<Utc>) -> Result<ImportReport, Error> {
        let trusted = self.trusted_key()?.map(str::to_string);
        self.commit(|w| w.import_decisions(text, trusted.as_deref(), now))
    }

    /// The whole desk as a backup file.
    pub fn export_backup(&self) -> String {
        self.workspace.to_json()
    }

    /// Replaces the desk with a backup file, all or nothing. The desk becomes
    /// exactly the backup, its audit log included, so importing the same file
    /// twice changes nothing.
    pub fn import_backup(&mut self, text: &str) -> Result<Summary, Error> {
        let restored = Workspace::from_json(text, KIND.what)?;
        let summary = restored.summary();
        self.commit(|w| {
            *w = restored;
            Ok(summary)
        })
    }

    /// Runs `edit` on a copy, saves the copy, then makes it current.
    fn commit<T>(&mut self, edit: impl FnOnce(&mut Workspace) -> Result<T, Error>) -> Result<T, Error> {
        let (mut edit, mut out) = (Some(edit), None);
        self.commit_with(&mut |w| {
            let edit = edit.take().expect("a commit runs its edit once");
            out = Some(edit(w)?);
            Ok(())
        })?;
        Ok(out.expect("the edit ran"))
    }

    /// `commit`'s body, once for every change (generic, it was compiled per change).
    fn commit_with(
        &mut self,
        edit: &mut dyn FnMut(&mut Workspace) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut next = self.workspace.clone();
        edit(&mut next)?;
        if next == self.workspace && self.unsaved.is_none() {
            return Ok(()); // nothing to save: a file read twice changes nothing
        }
        let stored = self.stored_unchanged()?;
        let document = next.to_json();
        let text = crate::compact::encode(&document, self.revision + 1);
        self.store(stored, next, document, text)
    }

    /// Makes a desk prepared elsewhere (by the page's worker, from a copy of
    /// this desk's storage, through the same changes) this desk: saved and
    /// current, as a change is. The assembly's stored text may name any
    /// revision: it is saved at this desk's next one. Whether the desk still
    /// follows from this one is the caller's to know.
    pub fn adopt(&mut self, assembly: crate::handover::Assembly) -> Result<(), Error> {
        let (next, document, text) = assembly.finish();
        let stored = self.stored_unchanged()?;
        let text = crate::compact::with_revision(&text, self.revision + 1).ok_or_else(|| {
            Error::invalid("prepared desk", vec![Problem::new("$", "is not a desk in the compact form")])
        })?;
        self.store(stored, next, document, text)
    }

    /// The stored text, refused as stale if another tab saved since this desk read it.
    fn stored_unchanged(&self) -> Result<Option<String>, Error> {
        let stored = self.storage.get(STORAGE_KEY)?;
        if stored_revision(stored.as_deref()) != self.revision {
            return Err(Error::Stale(
                "this desk was changed in another tab or window since this one read it; nothing was \
                 changed here: read the desk again and make the change again"
                    .into(),
            ));
        }
        Ok(stored)
    }

    /// Saves `text` (the compact form of `document`, which is `next`) over
    /// `stored` and makes `next` current; storage full keeps it in memory only.
    fn store(
        &mut self,
        stored: Option<String>,
        next: Workspace,
        document: String,
        text: String,
    ) -> Result<(), Error> {
        let revision = self.revision + 1;
        let mut saved = self.storage.set(STORAGE_KEY, &text);
        if matches!(saved, Err(Error::Storage(_))) && self.storage.get(PREVIOUS_KEY)?.is_some() {
            // The copy from before the last save gives way to the desk itself.
            self.storage.remove(PREVIOUS_KEY)?;
            saved = self.storage.set(STORAGE_KEY, &text);
        }
        match saved {
            Ok(()) => {
                self.revision = revision;
                self.unsaved = None;
                // The copy to restore a damaged desk from, while there is room
                // for it: the stored desk as this one read or wrote it, never
                // one damaged since.
                if let Some(old) = stored.filter(|old| self.kept.as_ref() == Some(old)) {
                    if self.storage.set(PREVIOUS_KEY, &old).is_err() {
                        self.storage.remove(PREVIOUS_KEY)?;
                    }
                }
                self.kept = Some(text);
            }
            // Storage is full: what was stored stays as it was; the change is
            // kept in memory, and the user is told and offered a backup.
            Err(Error::Storage(why)) => self.unsaved = Some(why),
            Err(e) => return Err(e),
        }
        self.workspace = next;
        self.known = Default::default();
        self.lead_known = Default::default();
        self.document = document.into();
        self.pin_trust(self.workspace.updated_at);
        Ok(())
    }
}

/// A programme file's signer, as [`Desk::programme_signer`] reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammeSigner {
    /// The key the file is signed with (and names).
    pub vendor_key: String,
    pub vendor: String,
    pub programme_id: String,
    pub name: String,
    /// The key this desk trusts now, if any.
    pub current: Option<String>,
}

/// The trust anchor kept beside the desk, if any, or why it cannot be read.
fn read_trust<S: Storage>(storage: &S) -> Result<Result<Option<TrustedKey>, String>, Error> {
    Ok(match storage.get(TRUST_STORAGE)? {
        None => Ok(None),
        Some(text) => TrustedKey::from_json(&text).map(Some).map_err(|e| {
            format!("the vendor key this browser trusts cannot be read ({e}); it was left as it is")
        }),
    })
}

/// The key kept beside the desk, if any, or why it cannot be read. An
/// unreadable one is kept as it is: the desk opens, but does not sign with,
/// or make another key over, a key it cannot read.
fn read_key<S: Storage>(storage: &S) -> Result<Result<Option<KeyPair>, String>, Error> {
    Ok(match storage.get(KEY_STORAGE)? {
        None => Ok(None),
        // Only the paths: a message could quote the text, and the text holds the secret.
        Some(text) => KeyPair::from_file(&text, None).map(Some).map_err(|e| {
            let paths: Vec<&str> = e.problems().iter().map(|p| p.path.as_str()).collect();
            format!(
                "the signing key kept in this browser cannot be read (at {}); it was left as it is",
                paths.join(", ")
            )
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_aside_key_has_the_time_as_chrono_formats_it() {
        use chrono::{NaiveDate, TimeZone};
        let at = |y, mo, d, h, mi, s, nano| {
            Utc.from_utc_datetime(
                &NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_nano_opt(h, mi, s, nano).unwrap(),
            )
        };
        let times = [
            at(2026, 11, 2, 10, 0, 0, 0),
            at(2026, 1, 9, 7, 5, 3, 123_456_789),
            at(1999, 12, 31, 23, 59, 59, 999_999_999),
            at(2016, 12, 31, 23, 59, 59, 1_500_000_000), // a leap second
            at(999, 3, 4, 5, 6, 7, 8_000_000),
            at(0, 1, 1, 0, 0, 0, 1_000_000),
            at(-1, 1, 1, 0, 0, 0, 0),
            at(-12345, 6, 7, 8, 9, 10, 11),
            at(10_000, 1, 1, 0, 0, 0, 0),
            at(262_142, 12, 31, 23, 59, 59, 0),
        ];
        for now in times {
            assert_eq!(compact_time(now), now.format("%Y%m%dT%H%M%S%.3fZ").to_string(), "{now:?}");
        }
        assert_eq!(compact_time(times[1]), "20260109T070503.123Z");
    }

    #[test]
    fn changes_read_from_json_name_what_is_wrong() {
        let change =
            Change::from_json(r#"{"type":"decide","id":"R-1","approve":true,"reason":"ok"}"#, [0; 16])
                .unwrap();
        assert_eq!(change, Change::Decide { id: "R-1".into(), approve: true, reason: "ok".into() });
        assert_eq!(Change::from_json(r#"{"type":"expireDue"}"#, [0; 16]).unwrap(), Change::ExpireDue);
        let role = Change::from_json(
            r#"{"type":"chooseRole","role":{"kind":"partner","partnerId":"p-1"}}"#,
            [0; 16],
        )
        .unwrap();
        assert_eq!(role, Change::ChooseRole { role: Role::Partner { partner_id: "p-1".into() } });

        let problems = |text: &str| -> Vec<String> {
            Change::from_json(text, [0; 16]).unwrap_err().problems().iter().map(|p| p.to_string()).collect()
        };
        assert_eq!(
            problems(r#"{"type":"fly"}"#)[0].split(';').next().unwrap(),
            "$.type: \"fly\" is not a change"
        );
        assert_eq!(
            problems(r#"{"type":"decide","id":"R-1","grant":true}"#),
            [
                "$.grant: is not a field of a decide change",
                "$.approve: is missing; a decide change needs it",
                "$.reason: is missing; a decide change needs it"
            ]
        );
        assert_eq!(
            problems(r#"{"type":"close","id":"R-1","status":"happy","reason":""}"#)[0]
                .split(':')
                .next()
                .unwrap(),
            "$.status"
        );
        assert_eq!(
            problems(r#"{"type":"submit","id":"R-1","colour":"red"}"#)[0].split(':').next().unwrap(),
            "$.colour"
        );
    }
}
