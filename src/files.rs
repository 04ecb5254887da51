//! The files partners and vendor exchange. A partner sends a **submission**
//! (its registrations: new ones, closes, extension requests); the vendor reads
//! it, stamps new registrations with its own receipt time, evaluates them, and
//! sends back a **decision file** (status, protection, incentive and reason of
//! each of that partner's registrations). Importing a file twice changes nothing,
//! and an older record never overwrites a newer one. The files are signed when
//! the programme names the sender's key (see [`crate::signing`]); the exports
//! here are the documents, and [`crate::workspace::Desk`] signs them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::account::{AccountPlan, RequestState, SupportRequest};
use crate::conflict::{Known, Profile};
use crate::decision::{evaluate_known, Outcome};
use crate::error::{Error, Problem};
use crate::exchange::{self, Kind};
use crate::leads::{Campaign, Lead, OfferState};
use crate::programme::Programme;
use crate::registration::{DecisionNote, Registration, Status, Terms};
use crate::signing;
use crate::workspace::{Role, Workspace};

/// Version 2 may carry a signature; version 3 leads' offers, answers and
/// nurturing; version 4 registrations' qualification, business case and
/// support requests; version 5 leads' `offeredTo` (which a partner's own never holds).
pub const SUBMISSION_KIND: Kind = Kind { what: "submission file", format: "dealreg.submission", version: 5 };
/// Version 2 added each entry's `revision` and the signature; version 3 leads'
/// offers and profiles, and the programme's lead models; version 4 each
/// entry's answered requests and account plan; version 5 each entry's `deal`.
pub const DECISION_KIND: Kind = Kind { what: "decision file", format: "dealreg.decision", version: 5 };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Submission {
    pub format: String,
    pub version: u32,
    pub programme_id: String,
    pub partner_id: String,
    /// The partner's clock: shown, never trusted for who registered first.
    pub created_at: DateTime<Utc>,
    pub registrations: Vec<Registration>,
    /// The leads assigned to the partner, with its statuses and activities.
    #[serde(default)]
    pub leads: Vec<Lead>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionFile {
    pub format: String,
    pub version: u32,
    pub programme_id: String,
    pub partner_id: String,
    pub created_at: DateTime<Utc>,
    pub decisions: Vec<DecisionEntry>,
    /// Every lead assigned to the partner now, as the vendor has it: a lead
    /// the partner holds that is not here has been recalled.
    #[serde(default)]
    pub leads: Vec<Lead>,
    /// The campaigns those leads come from.
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// The partner's own record as the vendor keeps it (tier, countries,
    /// status, key): how a change of tier or status reaches the partner's
    /// desk, signed. Absent in files before version 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<crate::programme::Partner>,
}

/// The vendor's side of one registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionEntry {
    pub registration_id: String,
    /// Which deal this decides ([`Registration::deal_digest`]): a partner
    /// desk applies the entry only to the registration of that deal, never to
    /// another that shares its id. Absent in files before version 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    /// The vendor's revision of the record: a partner desk never lets an
    /// older entry overwrite a newer one it has read (0 in version 1 files).
    #[serde(default)]
    pub revision: u32,
    pub status: Status,
    pub received_at: Option<DateTime<Utc>>,
    pub protected_until: Option<NaiveDate>,
    pub extensions_used: u32,
    pub incentive: Option<f64>,
    pub decision: Option<DecisionNote>,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// The partner's requests as the vendor has them, with its answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<SupportRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_plan: Option<AccountPlan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Terms>,
}

/// What an import did, record by record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Records left out, each with the reason.
    pub refused: Vec<Problem>,
    /// Whether the file was signed with the key the programme names for its sender.
    pub signed: bool,
}

impl Workspace {
    /// The vendor key files from the vendor must be signed with: the desk's
    /// trust anchor, kept apart from the workspace; a desk with none (one from
    /// before anchors, restored from a backup, say) expects the key its
    /// programme names, as it always did.
    fn vendor_key<'a>(&'a self, trusted: Option<&'a str>) -> Option<&'a str> {
        trusted.or_else(|| self.programme.as_ref()?.vendor_key.as_deref())
    }

    fn own_partner(&self) -> Option<&str> {
        match &self.role {
            Some(Role::Partner { partner_id }) => Some(partner_id),
            _ => None,
        }
    }

    /// Partner: every registration that left the drafts, for the vendor.
    pub fn submission(&self, now: DateTime<Utc>) -> Result<Submission, Error> {
        let partner_id = self
            .own_partner()
            .ok_or_else(|| Error::Refused("only a partner desk sends submissions".into()))?;
        let programme = self
            .programme
            .as_ref()
            .ok_or_else(|| Error::Refused("this desk holds no programme yet".into()))?;
        let file = Submission {
            format: SUBMISSION_KIND.format.into(),
            version: SUBMISSION_KIND.version,
            programme_id: programme.id.clone(),
            partner_id: partner_id.to_string(),
            created_at: now,
            registrations: self.registrations.iter().filter(|r| r.status != Status::Draft).cloned().collect(),
            leads: self
                .leads
                .iter()
                .filter(|l| l.assigned_to.as_deref() == Some(partner_id))
                .cloned()
                .collect(),
        };
        Ok(file)
    }

    /// Vendor: reads a partner's submission. New registrations get the vendor's
    /// receipt time (`now`) and are evaluated; known ones take the partner's
    /// closes, extension requests and deal updates.
    pub fn import_submission(&mut self, text: &str, now: DateTime<Utc>) -> Result<ImportReport, Error> {
        if self.role != Some(Role::Vendor) {
            return Err(Error::Refused("only the vendor's desk reads submissions".into()));
        }
        let opened = signing::open(text, SUBMISSION_KIND)?;
        let file: Submission = exchange::read(&opened.body, SUBMISSION_KIND)?;
        let programme = self
            .programme
            .clone()
            .ok_or_else(|| Error::Refused("this desk holds no programme yet".into()))?;
        let mut problems = Vec::new();
        if file.programme_id != programme.id {
            problems.push(Problem::new(
                "$.programmeId",
                format!("is {:?}, but this desk runs programme {:?}", file.programme_id, programme.id),
            ));
        }
        let Some(sender) = programme.partner(&file.partner_id) else {
            problems.push(Problem::new(
                "$.partnerId",
                format!("{:?} is not a partner of the programme", file.partner_id),
            ));
            return Err(Error::invalid(SUBMISSION_KIND.what, problems));
        };
        if !problems.is_empty() {
            return Err(Error::invalid(SUBMISSION_KIND.what, problems));
        }
        let whom = format!("partner {}", sender.name);
        let verified = signing::expect(&opened, sender.signing_key.as_deref(), &whom, SUBMISSION_KIND)?;
        if let Some(problem) =
            duplicate_id(file.registrations.iter().map(|r| r.id.as_str()), "registrations", "id")
        {
            return Err(Error::invalid(SUBMISSION_KIND.what, vec![problem]));
        }

        // Every record is checked before any is read: a file with a bad one is refused whole.
        // A partner's file creates and changes only that partner's records:
        // the stored record an id names must be the sender's, and the same deal.
        let mut p = crate::check::Problems::default();
        let name_of =
            |partner: &str| programme.partner(partner).map_or(partner, |x| x.name.as_str()).to_string();
        let stored_by_id: std::collections::HashMap<&str, &Registration> =
            self.registrations.iter().map(|r| (r.id.as_str(), r)).collect();
        for (idx, incoming) in file.registrations.iter().enumerate() {
            let path = format!("$.registrations[{idx}]");
            if incoming.partner_id != file.partner_id {
                p.add(
                    format!("{path}.partnerId"),
                    format!(
                        "{} belongs to {}, not to the sender {}: a partner's file changes only its own registrations",
                        incoming.id,
                        name_of(&incoming.partner_id),
                        sender.name
                    ),
                );
            }
            match stored_by_id.get(incoming.id.as_str()) {
                Some(stored) if stored.partner_id != file.partner_id => p.add(
                    format!("{path}.id"),
                    format!(
                        "{} is a registration of {}, not of the sender {}: a partner's file changes only its own registrations",
                        incoming.id,
                        name_of(&stored.partner_id),
                        sender.name
                    ),
                ),
                Some(stored) if !stored.same_deal(incoming) => p.add(
                    format!("{path}.id"),
                    format!(
                        "{} in this file is {} registered {}, but the vendor holds {} registered {} under that id: \
                         two deals met on one id (an id counted by an older dealreg); register this deal again",
                        incoming.id,
                        incoming.customer.name,
                        incoming.created_at.date_naive(),
                        stored.customer.name,
                        stored.created_at.date_naive()
                    ),
                ),
                Some(_) => {}
                // A desk names its registrations after its partner: a rival
                // cannot take an id another partner's desk may still send (a
                // draft's, say). Ids from before that carry no partner's name.
                None => {
                    let own = incoming.id.starts_with(&format!("{}-", file.partner_id));
                    let named = programme.partners.iter().find(|x| incoming.id.starts_with(&format!("{}-", x.id)));
                    if let Some(other) = named.filter(|_| !own) {
                        p.add(
                            format!("{path}.id"),
                            format!(
                                "{} is named after {}, not the sender {}: a partner's file creates only its own registrations",
                                incoming.id, other.name, sender.name
                            ),
                        );
                    }
                }
            }
            incoming.check(&path, &mut p);
            // The desk holds no registration of a product the programme does not
            // sell (Workspace::validate): one would leave a desk that does not
            // read back. Found by fuzzing (tests/fixtures/fuzz/submission/).
            for (item_idx, item) in incoming.products.iter().enumerate() {
                if programme.product(&item.sku).is_none() {
                    p.add(
                        format!("{path}.products[{item_idx}].sku"),
                        format!("{:?} is not in the programme's catalogue", item.sku),
                    );
                }
            }
        }
        for (idx, lead) in file.leads.iter().enumerate() {
            let path = format!("$.leads[{idx}]");
            lead.check(&path, &mut p);
            if lead.assigned_to.as_deref() != Some(file.partner_id.as_str()) {
                p.add(format!("{path}.assignedTo"), format!("{} is not assigned to the sender", lead.id));
            }
            // The vendor's lead must be one the sender holds or held (a recall
            // or a lapse it has not read yet): never another partner's.
            match self.lead(&lead.id) {
                None => p.add(format!("{path}.id"), format!("{} is not a lead the vendor gave the sender", lead.id)),
                Some(stored) if !stored.ever_held_by(&file.partner_id) => p.add(
                    format!("{path}.id"),
                    format!(
                        "{} is a lead of {}, not of the sender {}: a partner's file changes only its own leads",
                        lead.id,
                        stored.assigned_to.as_deref().map_or_else(|| "no partner".to_string(), name_of),
                        sender.name
                    ),
                ),
                Some(_) => {}
            }
        }
        if let Some(problem) = duplicate_id(file.leads.iter().map(|l| l.id.as_str()), "leads", "id") {
            p.0.push(problem);
        }
        if !p.0.is_empty() {
            return Err(Error::invalid(SUBMISSION_KIND.what, p.0));
        }

        let mut report = ImportReport { signed: verified == signing::Verified::Signed, ..Default::default() };
        // Leads first: a registration converting one is judged with the partner's acceptance read.
        for (idx, incoming) in file.leads.into_iter().enumerate() {
            self.merge_lead_from_partner(idx, incoming, &file.partner_id, now, &mut report);
        }
        // Every customer profiled once for the whole file, not once for each
        // registration received (10,000 stored took 22 ms an evaluation to
        // profile afresh): the registrations' kept in step as they are
        // received or updated; leads do not change while registrations are read.
        let mut known = Known::of(&self.registrations);
        let lead_known = Known::of_leads(&self.leads);
        for (idx, incoming) in file.registrations.into_iter().enumerate() {
            let path = format!("$.registrations[{idx}]");
            let id = incoming.id.clone();
            match self.registrations.iter().position(|r| r.id == id) {
                None => {
                    self.receive(incoming, now, &mut report, &path, (&known, &lead_known));
                    if let Some(received) = self.registrations.get(known.len()) {
                        known.push(Profile::of(&received.customer));
                    }
                }
                Some(idx) => {
                    self.merge_from_partner(idx, incoming, now, &mut report);
                    known.replace(idx, Profile::of(&self.registrations[idx].customer));
                }
            }
        }
        if report.added.is_empty() && report.updated.is_empty() {
            return Ok(report);
        }
        self.record(
            now,
            "importSubmission",
            format!(
                "submission of {}: {} added, {} updated, {} unchanged, {} refused",
                file.partner_id,
                report.added.len(),
                report.updated.len(),
                report.unchanged.len(),
                report.refused.len()
            ),
        );
        Ok(report)
    }

    fn receive(
        &mut self,
        mut incoming: Registration,
        now: DateTime<Utc>,
        report: &mut ImportReport,
        path: &str,
        (known, lead_known): (&Known, &Known),
    ) {
        if !matches!(incoming.status, Status::Submitted | Status::Withdrawn) {
            report.refused.push(Problem::new(
                format!("{path}.status"),
                format!(
                    "{} is new to the vendor, so it must be submitted, not {}",
                    incoming.id,
                    incoming.status.as_str()
                ),
            ));
            return;
        }
        incoming.received_at = Some(now);
        incoming.vendor_revision = None;
        incoming.partner_revision = Some(incoming.revision);
        incoming.protected_until = None;
        incoming.incentive = None;
        incoming.decision = None;
        // The vendor's to give: nothing is asked or granted before approval.
        incoming.account_plan = None;
        incoming.requests.clear();
        incoming.terms = None;
        let id = incoming.id.clone();
        if incoming.status == Status::Submitted {
            let programme = self.programme.as_ref().expect("checked by the caller");
            let decision = evaluate_known(
                programme,
                &self.registrations,
                &self.leads,
                Some(known),
                Some(lead_known),
                &incoming,
                now,
            );
            incoming.status = decision.outcome.status();
            incoming.revision += 1;
            if incoming.status == Status::Rejected {
                incoming.closed_at = Some(now);
            }
            match decision.outcome {
                Outcome::Approved => {
                    incoming.protected_until = decision.protected_until;
                    incoming.incentive = decision.incentive.as_ref().map(|i| i.cost);
                    incoming.terms = decision.terms();
                }
                Outcome::Rejected | Outcome::InReview => {}
            }
            if decision.outcome != Outcome::InReview {
                incoming.decision = Some(DecisionNote {
                    status: incoming.status,
                    reason: decision.summary.clone(),
                    by: "rules".into(),
                    at: now,
                });
            }
            self.record(
                now,
                "receive",
                format!("{id} received from {}: {}", incoming.partner_id, decision.summary),
            );
        }
        self.registrations.push(incoming);
        report.added.push(id);
    }

    fn merge_from_partner(
        &mut self,
        idx: usize,
        incoming: Registration,
        now: DateTime<Utc>,
        report: &mut ImportReport,
    ) {
        let id = incoming.id.clone();
        let stored = &mut self.registrations[idx];
        let mut changes = Vec::new();
        // What the partner can change is taken from a newer revision of its record
        // only, so an old file read late never undoes a later one.
        let newer = incoming.revision > stored.partner_revision.unwrap_or(0);
        if matches!(incoming.status, Status::Won | Status::Lost | Status::Withdrawn)
            && stored.status != incoming.status
        {
            match stored.transition(incoming.status, now) {
                Ok(()) => changes.push(format!("marked {}", incoming.status.as_str())),
                Err(e) => {
                    report.refused.push(Problem::new(format!("registration {id}"), e.to_string()));
                    return;
                }
            }
        }
        if newer
            && incoming.extension_requested
            && !stored.extension_requested
            && stored.status.is_protected()
        {
            stored.extension_requested = true;
            // Fewer days than the programme's, if the partner asked for fewer.
            stored.extension_days = incoming.extension_days;
            changes.push(match incoming.extension_days {
                Some(days) => format!("extension of {days} days requested"),
                None => "extension requested".into(),
            });
        }
        if (&incoming.stage, incoming.expected_close, &incoming.notes, &incoming.contact)
            != (&stored.stage, stored.expected_close, &stored.notes, &stored.contact)
            && newer
        {
            stored.stage = incoming.stage;
            stored.expected_close = incoming.expected_close;
            stored.notes = incoming.notes;
            stored.contact = incoming.contact;
            changes.push("deal updated".into());
        }
        if newer
            && (&incoming.qualification, &incoming.business_case)
                != (&stored.qualification, &stored.business_case)
        {
            stored.qualification = incoming.qualification;
            stored.business_case = incoming.business_case;
            changes.push("qualification updated".into());
        }
        // New requests only: the answers are the vendor's.
        for request in incoming.requests {
            if stored.requests.iter().any(|q| q.id == request.id) {
                continue;
            }
            if request.state != RequestState::Requested || !stored.status.is_protected() {
                report.refused.push(Problem::new(
                    format!("registration {id}"),
                    format!("{} is not a new request on an approved deal; left out", request.id),
                ));
                continue;
            }
            changes.push(format!("{} asks for {}", request.id, request.kind.label()));
            stored.requests.push(request);
        }
        if changes.is_empty() {
            report.unchanged.push(id);
        } else {
            stored.revision += 1;
            stored.partner_revision = stored.partner_revision.max(Some(incoming.revision));
            self.record(now, "update", format!("{id}: {}", changes.join(", ")));
            report.updated.push(id);
        }
    }

    /// Vendor: a partner's copy of a lead. Activities are facts and are
    /// always added; the status, its reason, the next touch and the answer to
    /// the vendor's current offer are the partner's word only while the lead
    /// is assigned to it, and only from a newer revision than the last one read.
    /// A declined lead comes back to the vendor, never to be offered to that partner again.
    fn merge_lead_from_partner(
        &mut self,
        idx: usize,
        incoming: Lead,
        sender: &str,
        now: DateTime<Utc>,
        report: &mut ImportReport,
    ) {
        let id = incoming.id.clone();
        let Some(stored) = self.leads.iter_mut().find(|l| l.id == id) else {
            report.refused.push(Problem::new(
                format!("$.leads[{idx}].id"),
                format!("{id:?} is not a lead of this desk"),
            ));
            return;
        };
        let before = stored.clone();
        for activity in incoming.activities {
            if !stored.activities.contains(&activity) {
                // Kept in time order by inserting in place (a sort would add its code to the module).
                let at = stored.activities.partition_point(|a| a.at <= activity.at);
                stored.activities.insert(at, activity);
            }
        }
        let mut declined = None;
        if stored.assigned_to.as_deref() != Some(sender) {
            report.refused.push(Problem::new(
                format!("$.leads[{idx}].status"),
                format!("{id} was recalled from {sender}: its activities were kept, its status was not"),
            ));
        } else if incoming.revision > stored.partner_revision.unwrap_or(0) {
            stored.status = incoming.status;
            stored.status_reason = incoming.status_reason;
            stored.next_touch = incoming.next_touch;
            if incoming.registration_id.is_some() {
                stored.registration_id = incoming.registration_id;
            }
            stored.partner_revision = Some(incoming.revision);
            // An answer counts only for the offer the vendor holds now, not an older one.
            if let (Some(offer), Some(answer)) = (stored.offer.as_mut(), incoming.offer) {
                if offer.state == OfferState::Offered && answer.offered_at == offer.offered_at {
                    match answer.state {
                        OfferState::Offered => {}
                        OfferState::Accepted => {
                            offer.state = OfferState::Accepted;
                            offer.answered_at = answer.answered_at;
                        }
                        OfferState::Declined => {
                            stored.assigned_to = None;
                            stored.offer = None;
                            stored.declined_by.push(sender.to_string());
                            declined = Some(answer.reason.unwrap_or_default());
                        }
                    }
                }
            }
        }
        if *stored != before {
            stored.revision = before.revision + 1;
            report.updated.push(id.clone());
        } else {
            report.unchanged.push(id.clone());
        }
        if let Some(reason) = declined {
            self.record(now, "leadDeclined", format!("{sender} declined {id}: {reason}"));
        }
    }

    /// Partner: the vendor's list of the leads assigned to this desk, read
    /// from a decision file newer than the last one read. New leads are
    /// added; known ones take the vendor's profile and keep this desk's status
    /// and activities; a lead missing from the list was recalled, and is kept,
    /// unassigned, with what was done on it.
    fn read_lead_list(
        &mut self,
        file: &DecisionFile,
        partner_id: &str,
        now: DateTime<Utc>,
        report: &mut ImportReport,
    ) {
        if self.leads_as_of.is_some_and(|read| file.created_at <= read) {
            if self.leads_as_of != Some(file.created_at) {
                report.refused.push(Problem::new(
                    "$.leads",
                    "the list is older than the one already read from a newer decision file; kept the newer",
                ));
            }
            return;
        }
        for campaign in &file.campaigns {
            match self.campaigns.iter_mut().find(|c| c.id == campaign.id) {
                Some(stored) => stored.clone_from(campaign),
                None => self.campaigns.push(campaign.clone()),
            }
        }
        for lead in &file.leads {
            match self.leads.iter_mut().find(|l| l.id == lead.id) {
                None => {
                    self.leads.push(Lead { partner_revision: None, ..lead.clone() });
                    report.added.push(lead.id.clone());
                }
                Some(stored) => {
                    // The vendor's profile and assignment; this desk's status, nurturing,
                    // activities and count, and its answer to the same offer.
                    let kept = std::mem::take(&mut stored.activities);
                    let mut from_vendor = lead.clone();
                    from_vendor.partner_revision = None;
                    from_vendor.status = stored.status;
                    from_vendor.status_reason.clone_from(&stored.status_reason);
                    from_vendor.next_touch = stored.next_touch;
                    from_vendor.registration_id.clone_from(&stored.registration_id);
                    if let (Some(ours), Some(theirs)) = (&stored.offer, &mut from_vendor.offer) {
                        if ours.offered_at == theirs.offered_at && theirs.state == OfferState::Offered {
                            theirs.clone_from(ours);
                        }
                    }
                    from_vendor.activities = Vec::new();
                    from_vendor.revision = stored.revision;
                    // Compared as JSON, which the module writes anyway, not by a derived `PartialEq`.
                    let same =
                        serde_json::to_string(&*stored).ok() == serde_json::to_string(&from_vendor).ok();
                    if !same {
                        from_vendor.revision += 1;
                    }
                    from_vendor.activities = kept;
                    *stored = from_vendor;
                    let list = if same { &mut report.unchanged } else { &mut report.updated };
                    list.push(lead.id.clone());
                }
            }
        }
        for stored in &mut self.leads {
            let listed = file.leads.iter().any(|l| l.id == stored.id);
            if stored.assigned_to.as_deref() == Some(partner_id) && !listed {
                stored.assigned_to = None;
                if stored.offer.take().is_some_and(|o| o.state == OfferState::Declined) {
                    stored.declined_by.push(partner_id.to_string());
                }
                stored.revision += 1;
                report.updated.push(stored.id.clone());
            }
        }
        self.leads_as_of = Some(file.created_at);
        let leads = |ids: &[String]| ids.iter().filter(|id| self.leads.iter().any(|l| &l.id == *id)).count();
        let (added, updated) = (leads(&report.added), leads(&report.updated));
        if added + updated > 0 {
            self.record(
                now,
                "leads",
                format!("the vendor's lead list: {added} added, {updated} updated or recalled"),
            );
        }
    }

    /// Vendor: the decision file for one partner, covering every registration
    /// of theirs this desk has received.
    pub fn decisions_for(&self, partner_id: &str, now: DateTime<Utc>) -> Result<DecisionFile, Error> {
        if self.role != Some(Role::Vendor) {
            return Err(Error::Refused("only the vendor's desk sends decisions".into()));
        }
        let programme = self
            .programme
            .as_ref()
            .ok_or_else(|| Error::Refused("this desk holds no programme yet".into()))?;
        if programme.partner(partner_id).is_none() {
            return Err(Error::Refused(format!("{partner_id:?} is not a partner of the programme")));
        }
        // Who else was offered a lead, declined it, or could have had it, is
        // the vendor's to know, not the partner's.
        let leads: Vec<Lead> = self
            .leads
            .iter()
            .filter(|l| l.assigned_to.as_deref() == Some(partner_id))
            .map(Lead::as_sent_to_partner)
            .collect();
        let campaigns =
            self.campaigns.iter().filter(|c| leads.iter().any(|l| l.campaign_id == c.id)).cloned().collect();
        Ok(DecisionFile {
            format: DECISION_KIND.format.into(),
            version: DECISION_KIND.version,
            programme_id: programme.id.clone(),
            partner_id: partner_id.to_string(),
            created_at: now,
            decisions: self
                .registrations
                .iter()
                .filter(|r| r.partner_id == partner_id && r.received_at.is_some())
                .map(|r| DecisionEntry {
                    registration_id: r.id.clone(),
                    deal: Some(r.deal_digest()),
                    revision: r.revision,
                    status: r.status,
                    received_at: r.received_at,
                    protected_until: r.protected_until,
                    extensions_used: r.extensions_used,
                    incentive: r.incentive,
                    decision: r.decision.clone(),
                    closed_at: r.closed_at,
                    requests: r.requests.clone(),
                    account_plan: r.account_plan.clone(),
                    terms: r.terms.clone(),
                })
                .collect(),
            leads,
            campaigns,
            membership: programme.partner(partner_id).cloned(),
        })
    }

    /// Partner: reads the vendor's decisions on its registrations. A deal the
    /// partner has closed since stays closed; everything else is the vendor's
    /// word. `trusted`: the desk's trust anchor, as for [`Self::programme_update`].
    pub fn import_decisions(
        &mut self,
        text: &str,
        trusted: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ImportReport, Error> {
        let partner_id = self
            .own_partner()
            .ok_or_else(|| Error::Refused("only a partner desk reads decision files".into()))?
            .to_string();
        let opened = signing::open(text, DECISION_KIND)?;
        let file: DecisionFile = exchange::read(&opened.body, DECISION_KIND)?;
        let programme_id = self.programme.as_ref().map(|p| p.id.clone()).unwrap_or_default();
        let mut problems = Vec::new();
        if file.partner_id != partner_id {
            problems.push(Problem::new(
                "$.partnerId",
                format!("is {:?}; this is the desk of {partner_id:?}", file.partner_id),
            ));
        }
        if file.programme_id != programme_id {
            problems.push(Problem::new(
                "$.programmeId",
                format!("is {:?}, but this desk runs programme {programme_id:?}", file.programme_id),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::invalid(DECISION_KIND.what, problems));
        }
        let verified = signing::expect(&opened, self.vendor_key(trusted), "the vendor", DECISION_KIND)?;
        let ids = file.decisions.iter().map(|d| d.registration_id.as_str());
        let mut p = crate::check::Problems::default();
        p.0.extend(duplicate_id(ids, "decisions", "registrationId"));
        p.0.extend(duplicate_id(file.leads.iter().map(|l| l.id.as_str()), "leads", "id"));
        for (idx, lead) in file.leads.iter().enumerate() {
            let path = format!("$.leads[{idx}]");
            lead.check(&path, &mut p);
            if lead.assigned_to.as_deref() != Some(partner_id.as_str()) {
                p.add(format!("{path}.assignedTo"), format!("{} is not assigned to this desk", lead.id));
            }
            if !file.campaigns.iter().any(|c| c.id == lead.campaign_id) {
                p.add(
                    format!("{path}.campaignId"),
                    format!("{:?} is not one of the file's campaigns", lead.campaign_id),
                );
            }
        }
        for (idx, campaign) in file.campaigns.iter().enumerate() {
            campaign.check(&format!("$.campaigns[{idx}]"), &mut p);
        }
        for (idx, entry) in file.decisions.iter().enumerate() {
            let path = format!("$.decisions[{idx}]");
            p.unique(&format!("{path}.requests"), "id", entry.requests.iter().map(|q| q.id.as_str()));
            for (q_idx, q) in entry.requests.iter().enumerate() {
                q.check(&format!("{path}.requests[{q_idx}]"), &mut p);
            }
            if let Some(plan) = &entry.account_plan {
                plan.check(&format!("{path}.accountPlan"), &mut p);
            }
        }
        if !p.0.is_empty() {
            return Err(Error::invalid(DECISION_KIND.what, p.0));
        }
        let mut report = ImportReport { signed: verified == signing::Verified::Signed, ..Default::default() };
        self.read_lead_list(&file, &partner_id, now, &mut report);
        if let Some(membership) = file.membership.as_ref().filter(|m| m.id == partner_id) {
            self.read_membership(membership, now)?;
        }
        for (idx, entry) in file.decisions.into_iter().enumerate() {
            let id = entry.registration_id.clone();
            let Some(stored) = self.registrations.iter_mut().find(|r| r.id == id) else {
                report.refused.push(Problem::new(
                    format!("$.decisions[{idx}].registrationId"),
                    format!("{id:?} is not a registration on this desk"),
                ));
                continue;
            };
            if entry.deal.as_ref().is_some_and(|deal| *deal != stored.deal_digest()) {
                report.refused.push(Problem::new(
                    format!("$.decisions[{idx}].deal"),
                    format!(
                        "the vendor's decision on {id} is for another deal than this desk's {id} ({}, \
                         registered {}): it was not applied. Register the deal again to send it to the vendor",
                        stored.customer.name,
                        stored.created_at.date_naive()
                    ),
                ));
                continue;
            }
            if let Some(read) = stored.vendor_revision.filter(|&read| entry.revision < read) {
                report.refused.push(Problem::new(
                    format!("$.decisions[{idx}].revision"),
                    format!(
                        "{id}: revision {} is older than revision {read} already read; kept the newer",
                        entry.revision
                    ),
                ));
                continue;
            }
            let closed_here = matches!(stored.status, Status::Won | Status::Lost | Status::Withdrawn);
            let before = stored.clone();
            if !closed_here {
                stored.status = entry.status;
                stored.closed_at = entry.closed_at;
            }
            stored.received_at = entry.received_at;
            stored.protected_until = entry.protected_until;
            stored.incentive = entry.incentive;
            stored.decision = entry.decision;
            if entry.extensions_used > before.extensions_used || !entry.status.is_protected() {
                stored.extension_requested = false;
                stored.extension_days = None;
            }
            stored.extensions_used = entry.extensions_used;
            stored.vendor_revision = Some(entry.revision);
            stored.account_plan = entry.account_plan;
            stored.terms = entry.terms;
            // The vendor's answers replace the partner's copies; requests made
            // since the vendor wrote the file stay.
            let asked_since: Vec<SupportRequest> =
                stored.requests.drain(..).filter(|q| !entry.requests.iter().any(|v| v.id == q.id)).collect();
            stored.requests = entry.requests;
            stored.requests.extend(asked_since);
            if *stored == before {
                report.unchanged.push(id);
            } else {
                stored.revision += 1;
                let detail = format!(
                    "{id}: the vendor says {}{}",
                    stored.status.as_str(),
                    stored.protected_until.map_or(String::new(), |d| format!(", protected until {d}"))
                );
                self.record(now, "decision", detail);
                report.updated.push(id);
            }
        }
        Ok(report)
    }
}

impl Workspace {
    /// Partner: the vendor's record of this desk's partner, from a decision
    /// file: a new tier, status or key takes effect here, in the audit log.
    fn read_membership(
        &mut self,
        membership: &crate::programme::Partner,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let Some(programme) = self.programme.as_mut() else { return Ok(()) };
        let Some(own) = programme.partners.iter_mut().find(|p| p.id == membership.id) else { return Ok(()) };
        if own == membership {
            return Ok(());
        }
        if programme.tiers.iter().all(|t| t.id != membership.tier) {
            let problem = Problem::new(
                "$.membership.tier",
                format!("{:?} is not a tier of the programme", membership.tier),
            );
            return Err(Error::invalid(DECISION_KIND.what, vec![problem]));
        }
        let tier =
            |id: &str| programme.tiers.iter().find(|t| t.id == id).map_or(id.to_string(), |t| t.name.clone());
        let mut changes = Vec::new();
        if own.tier != membership.tier {
            changes.push(format!("tier {} → {}", tier(&own.tier), tier(&membership.tier)));
        }
        if own.status != membership.status {
            changes.push(format!("status {:?} → {:?}", own.status, membership.status).to_lowercase());
        }
        if own.countries != membership.countries {
            changes.push(format!(
                "countries {} → {}",
                own.countries.join(", "),
                membership.countries.join(", ")
            ));
        }
        if own.signing_key != membership.signing_key {
            changes.push("a new signing key".into());
        }
        *own = membership.clone();
        let detail = if changes.is_empty() { "its record updated".to_string() } else { changes.join("; ") };
        self.record(now, "membership", format!("the vendor changed this desk's membership: {detail}"));
        Ok(())
    }
}

/// The first id that occurs twice in a list, as a problem at its second place.
fn duplicate_id<'a>(ids: impl Iterator<Item = &'a str>, list: &str, field: &str) -> Option<Problem> {
    let mut seen = std::collections::HashSet::new();
    ids.enumerate().find(|(_, id)| !seen.insert(*id)).map(|(idx, id)| {
        Problem::new(
            format!("$.{list}[{idx}].{field}"),
            format!("{id:?} occurs twice; each record once per file"),
        )
    })
}

/// What adopting a programme file would do on a partner desk: shown before it is adopted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammeUpdate {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub revision: u32,
    /// The revision this desk holds, if it holds this programme.
    pub current_revision: Option<u32>,
    /// Signed with the vendor key it names (and, for an update, the key this desk already trusts).
    pub signed: bool,
    /// The vendor's public key the file names, shown so a partner can compare it with the vendor.
    pub vendor_key: Option<String>,
    /// What differs from the programme this desk holds, one line each ("protectionDays: 90 → 120").
    pub changes: Vec<String>,
    /// False when the file is the programme this desk already holds.
    pub newer: bool,
}

impl Workspace {
    /// Vendor: the programme as a file for partners, at the current format version.
    /// Published: without the roster and the budget ([`Programme::published`]).
    pub fn programme_file(&self) -> Result<Programme, Error> {
        self.vendor_or_refuse("publish the programme")?;
        let mut programme = self.programme_or_refuse()?.published();
        programme.format = crate::programme::KIND.format.into();
        programme.version = crate::programme::KIND.version;
        Ok(programme)
    }

    /// Partner: reads a programme file the vendor published and says what
    /// adopting it would change. Refused if it is forged or edited, signed by
    /// another key than the one this desk trusts, unsigned when this desk
    /// trusts a key, another programme, or older than the one held.
    /// `trusted` is the desk's trust anchor ([`signing::TrustedKey`]), kept apart
    /// from the workspace; without one, the key its programme names.
    pub fn programme_update(
        &self,
        text: &str,
        trusted: Option<&str>,
    ) -> Result<(ProgrammeUpdate, Programme), Error> {
        let what = crate::programme::KIND;
        if self.role == Some(Role::Vendor) {
            return Err(Error::Refused(
                "a vendor desk changes its programme in the editor; partner desks adopt programme files"
                    .into(),
            ));
        }
        let opened = signing::open(text, what)?;
        let programme = Programme::from_json(&opened.body)?;
        let fail = |path: &str, message: String| Error::invalid(what.what, vec![Problem::new(path, message)]);
        let current = self.programme.as_ref();
        // A partner's desk keeps its own record only: the one it holds (from
        // its invitation), else the one a file from before version 5 lists.
        let own = self
            .own_partner()
            .and_then(|id| current.and_then(|c| c.partner(id)).or_else(|| programme.partner(id)).cloned());
        let programme = match own {
            Some(own) => programme.for_partner(own),
            None => {
                return Err(fail(
                    "$.partners",
                    "names no record of this desk's partner: join the programme with your invitation".into(),
                ))
            }
        };
        // Trust on first use: a desk trusting no key trusts the key the file names;
        // once it trusts one, only files signed with that key are adopted.
        let held = self.vendor_key(trusted);
        let expected = held.or(programme.vendor_key.as_deref());
        let verified = signing::expect(&opened, expected, &format!("the vendor {}", programme.vendor), what)
            .map_err(|e| match e {
                // The one refusal a partner can mend, once the vendor confirms its new key.
                Error::Invalid { what, mut problems } if problems.iter().any(|p| p.path == "$.signature.key") => {
                    for p in problems.iter_mut().filter(|p| p.path == "$.signature.key") {
                        p.message.push_str(
                            ". If the vendor has told you its key changed, trust the new key in Files, Vendor key",
                        );
                    }
                    Error::Invalid { what, problems }
                }
                other => other,
            })?;
        // Once a key is trusted, a programme must keep naming it: one naming
        // another key, or none (which would let unsigned files in), is refused.
        if let Some(held) = held {
            if programme.vendor_key.as_deref() != Some(held) {
                return Err(fail(
                    "$.vendorKey",
                    "is not the vendor key this desk trusts: a programme cannot change or drop it".into(),
                ));
            }
        }
        if let Some(current) = current {
            if current.id != programme.id {
                return Err(fail(
                    "$.id",
                    format!("is {:?}, but this desk runs programme {:?}", programme.id, current.id),
                ));
            }
            if programme.revision < current.revision {
                return Err(fail(
                    "$.revision",
                    format!(
                        "is {}, older than revision {} this desk holds; nothing was changed",
                        programme.revision, current.revision
                    ),
                ));
            }
        }
        let changes = current.map(|c| programme_changes(c, &programme)).unwrap_or_default();
        let newer = current.is_none_or(|c| programme.revision > c.revision || !changes.is_empty());
        let update = ProgrammeUpdate {
            id: programme.id.clone(),
            name: programme.name.clone(),
            vendor: programme.vendor.clone(),
            revision: programme.revision,
            current_revision: current.map(|c| c.revision),
            signed: verified == signing::Verified::Signed,
            vendor_key: programme.vendor_key.clone(),
            changes,
            newer,
        };
        Ok((update, programme))
    }

    /// Partner: adopts a programme file (see [`Workspace::programme_update`]).
    /// Adopting the programme already held changes nothing.
    pub fn adopt_programme(
        &mut self,
        text: &str,
        trusted: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ProgrammeUpdate, Error> {
        let (update, programme) = self.programme_update(text, trusted)?;
        if !update.newer {
            return Ok(update);
        }
        let previous = self.programme.replace(programme);
        if let Err(problems) = self.validate() {
            self.programme = previous;
            return Err(Error::invalid(crate::programme::KIND.what, problems));
        }
        let signed = if update.signed { ", signed by the vendor" } else { ", unsigned" };
        self.record(
            now,
            "adoptProgramme",
            format!("programme {:?} revision {} adopted{signed}", update.name, update.revision),
        );
        Ok(update)
    }
}

/// What differs between two programmes, one line per changed value, in the
/// words the programme builder uses ("Protection window (days): 90 → 60");
/// lists of records are compared record by record, by id ("Partner Nordlys
/// IT AS: added", "Tier Gold, rebate (%): 2 → 3").
pub fn programme_changes(old: &Programme, new: &Programme) -> Vec<String> {
    let as_value = |p: &Programme| {
        // Through text: the desk already serialises programmes to text and parses
        // values, while `to_value` would add a serializer to the wasm module.
        let text = serde_json::to_string(p).expect("a programme serialises");
        let mut value: serde_json::Value = serde_json::from_str(&text).expect("our own JSON reads");
        // Not `remove`: that would add the map's rebalancing code to the module.
        for ignored in ["format", "version", "revision"] {
            if let Some(field) = value.get_mut(ignored) {
                *field = serde_json::Value::Null;
            }
        }
        value
    };
    let mut lines = Vec::new();
    diff("", "", &as_value(old), &as_value(new), &mut lines);
    lines
}

/// `key` is the path with each record's place as `[]` (`partners[].tier`),
/// to name the value; `words` is what is said so far ("Partner Nordlys IT AS").
fn diff(words: &str, key: &str, old: &serde_json::Value, new: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    // A list of records that was not there (an optional one) is an empty list:
    // its records are said one by one.
    let empty = Value::Array(Vec::new());
    let records = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(|r| id_of(r).is_some()));
    let (old, new) = match (old, new) {
        (Value::Null, b) if records(b) => (&empty, b),
        (a, Value::Null) if records(a) => (a, &empty),
        _ => (old, new),
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for k in keys {
                let child = if key.is_empty() { k.clone() } else { format!("{key}.{k}") };
                // A labelled value outside a record is named by its label alone;
                // in a record, after the record ("Tier Gold, rebate (%)").
                let said = match label(&child) {
                    Some(named) if !child.contains("[]") => named.to_string(),
                    named if words.is_empty() => named.map_or_else(|| humane(k), str::to_string),
                    _ if key == "stageProbabilities" => format!("{words} {k}"),
                    named => {
                        format!("{words}, {}", lower_first(&named.map_or_else(|| humane(k), str::to_string)))
                    }
                };
                diff(&said, &child, a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null), out);
            }
        }
        // Lists of records (partners, products, ...) are compared record by record, by id.
        (Value::Array(a), Value::Array(b)) if a.iter().chain(b).all(|v| id_of(v).is_some()) => {
            let noun = record_noun(key).map_or_else(|| words.to_string(), str::to_string);
            let record = format!("{key}[]");
            let named = |v: &Value| {
                let id = id_of(v).unwrap_or_default();
                match ["name", "label"].iter().find_map(|k| v.get(*k)?.as_str().filter(|n| !n.is_empty())) {
                    Some(name) if name != id && key == "products" => format!("{noun} {id} ({name})"),
                    Some(name) => format!("{noun} {name}"),
                    None => format!("{noun} {id}"),
                }
            };
            for va in a {
                let id = id_of(va).unwrap_or_default();
                match b.iter().find(|v| id_of(v) == Some(id)) {
                    Some(vb) => diff(&named(vb), &record, va, vb, out),
                    None => out.push(format!("{}: removed", named(va))),
                }
            }
            for vb in b.iter().filter(|vb| !a.iter().any(|v| id_of(v) == id_of(vb))) {
                out.push(format!("{}: added", named(vb)));
            }
        }
        _ => {
            let (was, now) = (said_as(key, old), said_as(key, new));
            if was != now {
                out.push(format!("{words}: {was} → {now}"));
            }
        }
    }
}

/// The builder's name for a value of the programme, by its path.
fn label(key: &str) -> Option<&'static str> {
    Some(match key {
        "name" => "Programme name",
        "vendorKey" => "Vendor's signing key",
        "protectionDays" => "Protection window (days)",
        "extension" => "Extensions",
        "extension.days" => "Days an extension adds",
        "extension.maxExtensions" => "Extensions allowed",
        "extension.minimumStage" => "Extension from stage",
        "minimumDealValue" => "Smallest deal registered",
        "newBusinessOnly" => "New business only",
        "eligibility" => "Eligibility",
        "eligibility.customerInPartnerCountries" => "Customer must be in the partner's countries",
        "approval" => "Approval",
        "approval.autoApproveBelow" => "Approved without review below",
        "approval.reviewSlaBusinessDays" => "Reviewed within (business days)",
        "approval.holidays" => "Review holidays",
        "approval.holidays[].countries" => "Countries",
        "conflict" => "Conflicts",
        "conflict.secondRegistrantShare" => "Second registrant's share",
        "conflict.matchThresholds" => "Customer matching",
        "conflict.relatedCompanies" => "Companies with the same first word",
        "incentiveBudget" => "Incentive budget",
        "stageProbabilities" => "Win probability at stage",
        "leadRouting" => "Lead routing",
        "leadRouting.method" => "Leads go to partners",
        "leadRouting.acceptWithinHours" => "Hours to accept a lead",
        "leadRouting.idleDays" => "Days untouched before a lead is idle",
        "leadScoring" => "Lead scoring",
        "qualification" => "Qualification",
        "qualification.toApprove" => "Checklist items to approve without review",
        "qualification.toExtend" => "Checklist items for an extension",
        "qualification.whenShort" => "Short of them",
        "leadPriority.autoApproveBelow" => "Converted leads approved without review below",
        "leadPriority.firstInConflicts" => "Routed leads come first in conflicts",
        "pricing" => "Pricing",
        "pricing.maxSpecialPoints" => "Largest special price (points)",
        "pricing.auditTolerancePoints" => "Audit tolerance (points)",
        "partners[].leadCapacity" => "Lead capacity",
        "partners[].signingKey" => "Signing key",
        "products[].sku" => "SKU",
        "products[].line" => "Product line",
        "products[].listPrice" => "List price",
        "tiers[].eligible" => "May register deals",
        "tiers[].extraDiscountPoints" => "Extra discount (points)",
        "tiers[].rebatePercent" => "Rebate (%)",
        "tiers[].leadWeight" => "Lead weight",
        "namedAccounts[].domains" => "Web domains",
        "leadScoring.grades[].minScore" => "From score",
        _ => return None,
    })
}

/// What one record of a list is called.
fn record_noun(key: &str) -> Option<&'static str> {
    Some(match key {
        "partners" => "Partner",
        "products" => "Product",
        "productLines" => "Product line",
        "tiers" => "Tier",
        "namedAccounts" => "Named account",
        "qualification.items" => "Checklist item",
        "approval.holidays" => "Holiday",
        "leadScoring.grades" => "Grade",
        _ => return None,
    })
}

/// `autoApproveBelow` → "Auto approve below": for values with no label.
fn humane(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    let mut chars = out.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn lower_first(text: &str) -> String {
    // "SKU" stays as it is.
    if text.chars().nth(1).is_some_and(char::is_uppercase) {
        return text.into();
    }
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// The id of a record in a list: its `id`, `sku`, `date` (a holiday) or `name`.
fn id_of(value: &serde_json::Value) -> Option<&str> {
    ["id", "sku", "date", "name"].iter().find_map(|k| value.get(*k)?.as_str())
}

/// A value as the builder offers it: a choice by its words, others as they are.
fn said_as(key: &str, value: &serde_json::Value) -> String {
    let words = match (key, value.as_str()) {
        ("leadRouting.method", Some("weightedByTier")) => "weighted by tier",
        ("leadRouting.method", Some("roundRobin")) => "round robin",
        ("leadRouting.method", Some("leastLoaded")) => "least loaded",
        ("conflict.relatedCompanies", Some("review")) => "reviewed",
        ("conflict.relatedCompanies", Some("same")) => "one customer",
        ("conflict.relatedCompanies", Some("separate")) => "separate customers",
        ("qualification.whenShort", Some("review")) => "a person reviews it",
        ("qualification.whenShort", Some("reject")) => "rejected",
        _ => return plain(value),
    };
    words.into()
}

/// A value as a person reads it in a list of changes.
fn plain(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        // 55.0 is said as 55, as it was typed.
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() && x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
            _ => n.to_string(),
        },
        Value::Array(items) => format!("[{}]", items.iter().map(plain).collect::<Vec<_>>().join(", ")),
        Value::Object(_) => "{…}".into(),
    }
}

/// The JSON Schema of every file format, generated from the types, by the
/// name of its file in www/schemas/ (`programme` → `programme.schema.json`).
/// Signed formats get their optional `signature` member.
pub fn json_schemas() -> Vec<(&'static str, String)> {
    fn signed(mut schema: schemars::Schema) -> schemars::Schema {
        let mut signature =
            serde_json::to_value(schemars::schema_for!(signing::Signature)).expect("a schema serialises");
        signature.as_object_mut().expect("a schema is an object").remove("$schema");
        let object = schema.ensure_object();
        object
            .entry("$defs")
            .or_insert_with(|| serde_json::json!({}))
            .as_object_mut()
            .expect("$defs is an object")
            .insert("Signature".into(), signature);
        object["properties"]["signature"] = serde_json::json!({
            "description": "Ed25519 signature of the file's text without this member; always the last member.",
            "$ref": "#/$defs/Signature"
        });
        schema
    }
    let text =
        |schema: schemars::Schema| serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n";
    vec![
        ("programme", text(signed(schemars::schema_for!(Programme)))),
        ("submission", text(signed(schemars::schema_for!(Submission)))),
        ("decision", text(signed(schemars::schema_for!(DecisionFile)))),
        ("backup", text(schemars::schema_for!(crate::workspace::Workspace))),
        ("dataset", text(schemars::schema_for!(crate::workspace::Dataset))),
        ("key", text(schemars::schema_for!(signing::KeyFile))),
        ("invitation", text(signed(schemars::schema_for!(crate::invitation::Invitation)))),
    ]
}
