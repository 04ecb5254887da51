//! The files partners and vendor exchange. A partner sends a **submission**
//! (its registrations: new ones, closes, extension requests); the vendor reads
//! it, stamps new registrations with its own receipt time, evaluates them, and
//! sends back a **decision file** (status, protection, incentive and reason of
//! each of that partner's registrations). Importing a file twice changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::decision::{evaluate, Outcome};
use crate::error::{Error, Problem};
use crate::exchange::{self, Kind};
use crate::registration::{DecisionNote, Registration, Status};
use crate::workspace::{Role, Workspace};

pub const SUBMISSION_KIND: Kind = Kind { what: "submission file", format: "dealreg.submission", version: 1 };
pub const DECISION_KIND: Kind = Kind { what: "decision file", format: "dealreg.decision", version: 1 };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Submission {
    pub format: String,
    pub version: u32,
    pub programme_id: String,
    pub partner_id: String,
    /// The partner's clock: shown, never trusted for who registered first.
    pub created_at: DateTime<Utc>,
    pub registrations: Vec<Registration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionFile {
    pub format: String,
    pub version: u32,
    pub programme_id: String,
    pub partner_id: String,
    pub created_at: DateTime<Utc>,
    pub decisions: Vec<DecisionEntry>,
}

/// The vendor's side of one registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionEntry {
    pub registration_id: String,
    pub status: Status,
    pub received_at: Option<DateTime<Utc>>,
    pub protected_until: Option<NaiveDate>,
    pub extensions_used: u32,
    pub incentive: Option<f64>,
    pub decision: Option<DecisionNote>,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
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
}

impl Workspace {
    fn own_partner(&self) -> Option<&str> {
        match &self.role {
            Some(Role::Partner { partner_id }) => Some(partner_id),
            _ => None,
        }
    }

    /// Partner: every registration that left the drafts, for the vendor.
    pub fn export_submission(&self, now: DateTime<Utc>) -> Result<String, Error> {
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
        };
        Ok(serde_json::to_string_pretty(&file).expect("a submission serialises"))
    }

    /// Vendor: reads a partner's submission. New registrations get the vendor's
    /// receipt time (`now`) and are evaluated; known ones take the partner's
    /// closes, extension requests and deal updates.
    pub fn import_submission(&mut self, text: &str, now: DateTime<Utc>) -> Result<ImportReport, Error> {
        if self.role != Some(Role::Vendor) {
            return Err(Error::Refused("only the vendor's desk reads submissions".into()));
        }
        let file: Submission = exchange::read(text, SUBMISSION_KIND)?;
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
        if programme.partner(&file.partner_id).is_none() {
            problems.push(Problem::new(
                "$.partnerId",
                format!("{:?} is not a partner of the programme", file.partner_id),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::invalid(SUBMISSION_KIND.what, problems));
        }

        let mut report = ImportReport::default();
        for (idx, incoming) in file.registrations.into_iter().enumerate() {
            let path = format!("$.registrations[{idx}]");
            if incoming.partner_id != file.partner_id {
                report.refused.push(Problem::new(
                    format!("{path}.partnerId"),
                    format!(
                        "{} belongs to {:?}, not to the sender {:?}",
                        incoming.id, incoming.partner_id, file.partner_id
                    ),
                ));
                continue;
            }
            let mut p = crate::check::Problems::default();
            incoming.check(&path, &mut p);
            if let Some(problem) = p.0.into_iter().next() {
                report.refused.push(problem);
                continue;
            }
            let id = incoming.id.clone();
            match self.registrations.iter().position(|r| r.id == id) {
                None => self.receive(incoming, now, &mut report, &path),
                Some(idx) => self.merge_from_partner(idx, incoming, now, &mut report),
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
        incoming.protected_until = None;
        incoming.incentive = None;
        incoming.decision = None;
        let id = incoming.id.clone();
        if incoming.status == Status::Submitted {
            let programme = self.programme.as_ref().expect("checked by the caller");
            let decision = evaluate(programme, &self.registrations, &incoming, now);
            incoming.status = decision.outcome.status();
            incoming.revision += 1;
            if incoming.status == Status::Rejected {
                incoming.closed_at = Some(now);
            }
            match decision.outcome {
                Outcome::Approved => {
                    incoming.protected_until = decision.protected_until;
                    incoming.incentive = decision.incentive.as_ref().map(|i| i.cost);
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
        if incoming.extension_requested && !stored.extension_requested && stored.status.is_protected() {
            stored.extension_requested = true;
            changes.push("extension requested".into());
        }
        if (&incoming.stage, incoming.expected_close, &incoming.notes, &incoming.contact)
            != (&stored.stage, stored.expected_close, &stored.notes, &stored.contact)
            && incoming.revision > stored.revision
        {
            stored.stage = incoming.stage;
            stored.expected_close = incoming.expected_close;
            stored.notes = incoming.notes;
            stored.contact = incoming.contact;
            changes.push("deal updated".into());
        }
        if changes.is_empty() {
            report.unchanged.push(id);
        } else {
            stored.revision = stored.revision.max(incoming.revision) + 1;
            self.record(now, "update", format!("{id}: {}", changes.join(", ")));
            report.updated.push(id);
        }
    }

    /// Vendor: the decision file for one partner, covering every registration
    /// of theirs this desk has received.
    pub fn export_decisions(&self, partner_id: &str, now: DateTime<Utc>) -> Result<String, Error> {
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
        let file = DecisionFile {
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
                    status: r.status,
                    received_at: r.received_at,
                    protected_until: r.protected_until,
                    extensions_used: r.extensions_used,
                    incentive: r.incentive,
                    decision: r.decision.clone(),
                    closed_at: r.closed_at,
                })
                .collect(),
        };
        Ok(serde_json::to_string_pretty(&file).expect("a decision file serialises"))
    }

    /// Partner: reads the vendor's decisions on its registrations. A deal the
    /// partner has closed since stays closed; everything else is the vendor's word.
    pub fn import_decisions(&mut self, text: &str, now: DateTime<Utc>) -> Result<ImportReport, Error> {
        let partner_id = self
            .own_partner()
            .ok_or_else(|| Error::Refused("only a partner desk reads decision files".into()))?
            .to_string();
        let file: DecisionFile = exchange::read(text, DECISION_KIND)?;
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
        let mut report = ImportReport::default();
        for (idx, entry) in file.decisions.into_iter().enumerate() {
            let id = entry.registration_id.clone();
            let Some(stored) = self.registrations.iter_mut().find(|r| r.id == id) else {
                report.refused.push(Problem::new(
                    format!("$.decisions[{idx}].registrationId"),
                    format!("{id:?} is not a registration on this desk"),
                ));
                continue;
            };
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
            }
            stored.extensions_used = entry.extensions_used;
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
