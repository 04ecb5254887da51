//! The registration lifecycle as changes to a workspace: a partner registers,
//! submits, asks for an extension and closes; the vendor decides and grants;
//! protection runs out. Each change checks who may make it and whether the
//! lifecycle allows it, and appends who, when and why to the audit log.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::conflict::Known;
use crate::decision::{evaluate_known, Decision};
use crate::error::{Error, Problem};
use crate::programme::Programme;
use crate::registration::{DecisionNote, Draft, Registration, Status};
use crate::workspace::{Change, Role, Workspace};

/// What the partner's form shows while typing: problems by field, and the
/// evaluation once the draft is complete enough to evaluate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub problems: Vec<Problem>,
    pub decision: Option<Decision>,
}

impl Workspace {
    pub(crate) fn programme_or_refuse(&self) -> Result<&Programme, Error> {
        self.programme.as_ref().ok_or_else(|| Error::Refused("this desk holds no programme yet".into()))
    }

    pub(crate) fn partner_or_refuse(&self, what: &str) -> Result<String, Error> {
        match &self.role {
            Some(Role::Partner { partner_id }) => Ok(partner_id.clone()),
            _ => Err(Error::Refused(format!("only a partner desk can {what}"))),
        }
    }

    pub(crate) fn vendor_or_refuse(&self, what: &str) -> Result<(), Error> {
        match &self.role {
            Some(Role::Vendor) => Ok(()),
            _ => Err(Error::Refused(format!("only the vendor's desk can {what}"))),
        }
    }

    pub fn registration(&self, id: &str) -> Option<&Registration> {
        self.registrations.iter().find(|r| r.id == id)
    }

    pub(crate) fn registration_mut(&mut self, id: &str) -> Result<&mut Registration, Error> {
        self.registrations
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::Refused(format!("there is no registration {id:?} on this desk")))
    }

    /// The evaluation of a draft as if the vendor received it `now`, with the
    /// problems of each field. What the partner's form shows while typing.
    pub fn preview(&self, draft: &Draft, now: DateTime<Utc>) -> Result<Preview, Error> {
        self.preview_known(draft, now, None, None)
    }

    /// [`Self::preview`] with this desk's customers (registrations', leads')
    /// already profiled.
    pub fn preview_known(
        &self,
        draft: &Draft,
        now: DateTime<Utc>,
        known: Option<&Known>,
        lead_known: Option<&Known>,
    ) -> Result<Preview, Error> {
        let programme = self.programme_or_refuse()?;
        let problems = draft.problems(now.date_naive());
        let evaluable = !problems.iter().any(|p| p.path == "$.customer.name" || p.path == "$.products");
        let decision = evaluable.then(|| {
            let candidate = Registration::from_draft("(draft)".into(), draft.clone(), Status::Submitted, now);
            evaluate_known(programme, &self.registrations, &self.leads, known, lead_known, &candidate, now)
        });
        Ok(Preview { problems, decision })
    }

    /// The evaluation of a registration on this desk as of its vendor receipt
    /// (or `now` if not yet received): what the review queue explains.
    pub fn explain(&self, id: &str, now: DateTime<Utc>) -> Result<Decision, Error> {
        self.explain_known(id, now, None, None)
    }

    /// [`Self::explain`] with this desk's customers (registrations', leads')
    /// already profiled.
    pub fn explain_known(
        &self,
        id: &str,
        now: DateTime<Utc>,
        known: Option<&Known>,
        lead_known: Option<&Known>,
    ) -> Result<Decision, Error> {
        let programme = self.programme_or_refuse()?;
        let registration = self
            .registration(id)
            .ok_or_else(|| Error::Refused(format!("there is no registration {id:?} on this desk")))?;
        let received_at = registration.received_at.unwrap_or(now);
        Ok(evaluate_known(
            programme,
            &self.registrations,
            &self.leads,
            known,
            lead_known,
            registration,
            received_at,
        ))
    }

    /// Replaces the programme (vendor). Refused, listing every problem, if the
    /// desk's records would no longer fit it. A changed programme gets the next
    /// revision; the vendor's key, once named, stays.
    pub fn set_programme(&mut self, programme: Programme, now: DateTime<Utc>) -> Result<(), Error> {
        self.vendor_or_refuse("change the programme")?;
        let mut programme = programme;
        if let Some(current) = &self.programme {
            match (&current.vendor_key, &programme.vendor_key) {
                (Some(_), None) => programme.vendor_key.clone_from(&current.vendor_key),
                (Some(kept), Some(new)) if kept != new => {
                    return Err(Error::invalid(
                        "programme file",
                        vec![Problem::new(
                            "$.vendorKey",
                            "is the public half of this desk's signing key: it changes only with the key",
                        )],
                    ))
                }
                _ => {}
            }
            programme.revision = current.revision;
            // Compared as JSON, which the module already writes, not by a derived `PartialEq`.
            if serde_json::to_string(&programme).ok() == serde_json::to_string(current).ok() {
                return Ok(());
            }
            programme.revision = current.revision + 1;
        }
        let name = programme.name.clone();
        let previous = self.programme.replace(programme);
        if let Err(problems) = self.validate() {
            self.programme = previous;
            return Err(Error::invalid("programme file", problems));
        }
        self.record(now, "setProgramme", format!("programme {name:?} saved"));
        Ok(())
    }

    pub(crate) fn apply_to_registrations(&mut self, change: Change, now: DateTime<Utc>) -> Result<(), Error> {
        let today = now.date_naive();
        match change {
            Change::ChooseRole { .. }
            | Change::Reset
            | Change::RouteLead { .. }
            | Change::RouteAll
            | Change::RecallLead { .. }
            | Change::RecallOverdue
            | Change::AnswerLead { .. }
            | Change::LogActivity { .. }
            | Change::SetLeadStatus { .. }
            | Change::SetNextTouch { .. }
            | Change::Qualify { .. }
            | Change::RequestSupport { .. }
            | Change::AnswerRequest { .. }
            | Change::SetAccountPlan { .. } => {
                unreachable!("handled by Workspace::apply")
            }
            Change::Register { mut draft, submit, random } => {
                let partner_id = self.partner_or_refuse("register deals")?;
                let programme = self.programme_or_refuse()?;
                draft.partner_id = partner_id.clone();
                let mut problems = draft.problems(today);
                if let Some(sku) =
                    draft.products.iter().map(|i| &i.sku).find(|s| programme.product(s).is_none())
                {
                    problems.push(Problem::new(
                        "$.products",
                        format!("{sku:?} is not in the programme's catalogue"),
                    ));
                }
                problems.extend(crate::account::check_answers(
                    programme,
                    &draft.qualification,
                    draft.business_case.as_ref(),
                    "$",
                ));
                if !problems.is_empty() {
                    return Err(Error::invalid("registration", problems));
                }
                let lead = draft.lead_id.clone();
                if let Some(lead) = &lead {
                    self.convertible_lead(lead, &partner_id)?;
                    // Attribution follows the lead, whatever the form said.
                    draft.campaign_id = self.lead(lead).map(|l| l.campaign_id.clone());
                }
                let id = crate::ids::fresh(&partner_id, random);
                if self.registration(&id).is_some() {
                    // Only bytes handed in twice can do this: refused, never overwritten.
                    return Err(Error::Refused(format!("{id} is already a registration on this desk")));
                }
                let status = if submit { Status::Submitted } else { Status::Draft };
                let customer = draft.customer.name.clone();
                self.registrations.push(Registration::from_draft(id.clone(), draft, status, now));
                let what = if submit { "registered and submitted" } else { "saved as a draft" };
                let converted = match &lead {
                    Some(lead) => {
                        self.mark_converted(lead, &id)?;
                        format!(", converted from lead {lead}")
                    }
                    None => String::new(),
                };
                self.record(now, "register", format!("{id} ({customer}) {what}{converted}"));
            }
            Change::EditDraft { id, mut draft } => {
                let partner_id = self.partner_or_refuse("edit registrations")?;
                draft.partner_id = partner_id;
                let mut problems = draft.problems(today);
                problems.extend(crate::account::check_answers(
                    self.programme_or_refuse()?,
                    &draft.qualification,
                    draft.business_case.as_ref(),
                    "$",
                ));
                if !problems.is_empty() {
                    return Err(Error::invalid("registration", problems));
                }
                let registration = self.registration_mut(&id)?;
                if registration.status != Status::Draft {
                    return Err(Error::Refused(format!(
                        "registration {id} is {}; only a draft can be edited",
                        registration.status.as_str()
                    )));
                }
                let keep = registration.clone();
                *registration = Registration {
                    revision: keep.revision + 1,
                    ..Registration::from_draft(id.clone(), draft, Status::Draft, keep.created_at)
                };
                self.record(now, "editDraft", format!("{id} edited"));
            }
            Change::Submit { id } => {
                self.partner_or_refuse("submit registrations")?;
                self.registration_mut(&id)?.transition(Status::Submitted, now)?;
                self.record(now, "submit", format!("{id} submitted"));
            }
            Change::RequestExtension { id, reason, days } => {
                self.partner_or_refuse("request extensions")?;
                let programme = self.programme_or_refuse()?.clone();
                let registration = self.registration_mut(&id)?;
                let days = extension_days(&programme, days, programme.extension.days)?;
                let until = extended_by(&programme, registration, today, days)?;
                registration.extension_requested = true;
                registration.extension_days = (days < programme.extension.days).then_some(days);
                registration.revision += 1;
                self.record(
                    now,
                    "requestExtension",
                    format!("{id}: extension to {until} requested: {reason}"),
                );
            }
            Change::Close { id, status, reason } => {
                if !matches!(status, Status::Won | Status::Lost | Status::Withdrawn) {
                    return Err(Error::Refused(format!(
                        "a registration is closed as won, lost or withdrawn, not {}",
                        status.as_str()
                    )));
                }
                let actor = self.role.as_ref().map_or("desk", Role::actor).to_string();
                let registration = self.registration_mut(&id)?;
                registration.transition(status, now)?;
                registration.extension_requested = false;
                self.record(now, "close", format!("{id} marked {} by {actor}: {reason}", status.as_str()));
            }
            Change::Decide { id, approve, reason } => {
                self.vendor_or_refuse("decide on registrations")?;
                if reason.trim().is_empty() {
                    return Err(Error::invalid(
                        "decision",
                        vec![Problem::new("reason", "give the partner a reason")],
                    ));
                }
                let decision = self.explain(&id, now)?;
                let programme = self.programme_or_refuse()?.clone();
                let registration = self.registration_mut(&id)?;
                let status = if approve { Status::Approved } else { Status::Rejected };
                registration.transition(status, now)?;
                let received = registration.received_at.unwrap_or(now).date_naive();
                if approve {
                    registration.protected_until =
                        Some(received + Duration::days(i64::from(programme.protection_days)));
                    registration.terms = decision.terms();
                    registration.incentive = decision.incentive.map(|i| i.cost);
                }
                registration.decision =
                    Some(DecisionNote { status, reason: reason.clone(), by: "vendor".into(), at: now });
                let until = registration.protected_until;
                let detail = match until {
                    Some(until) if approve => {
                        format!("{id} approved, protected until {until}: {reason}")
                    }
                    _ => format!("{id} rejected: {reason}"),
                };
                self.record(now, "decide", detail);
            }
            Change::DecideExtension { id, grant, reason, days } => {
                self.vendor_or_refuse("decide on extensions")?;
                let programme = self.programme_or_refuse()?.clone();
                let registration = self.registration_mut(&id)?;
                if !registration.extension_requested {
                    return Err(Error::Refused(format!("registration {id} has no extension request")));
                }
                let asked = registration
                    .extension_days
                    .unwrap_or(programme.extension.days)
                    .min(programme.extension.days);
                let detail = if grant {
                    let days = extension_days(&programme, days, asked)?;
                    let until = extended_by(&programme, registration, today, days)?;
                    registration.transition(Status::Extended, now)?;
                    registration.protected_until = Some(until);
                    registration.extensions_used += 1;
                    format!("{id} extended to {until}: {reason}")
                } else {
                    registration.revision += 1;
                    format!("{id}: extension refused: {reason}")
                };
                registration.extension_requested = false;
                registration.extension_days = None;
                let status = registration.status;
                registration.decision = Some(DecisionNote { status, reason, by: "vendor".into(), at: now });
                self.record(now, "decideExtension", detail);
            }
            Change::ExpireDue => {
                let mut expired = Vec::new();
                for registration in &mut self.registrations {
                    if registration.protection_ran_out(today) {
                        registration.transition(Status::Expired, now)?;
                        registration.extension_requested = false;
                        expired.push(registration.id.clone());
                    }
                }
                if !expired.is_empty() {
                    self.record(now, "expire", format!("protection ran out: {}", expired.join(", ")));
                }
            }
        }
        Ok(())
    }
}

/// The days of an extension asked or granted: `days` if given, from 1 to
/// `most`, else `most`.
fn extension_days(programme: &Programme, days: Option<u32>, most: u32) -> Result<u32, Error> {
    match days {
        None => Ok(most),
        Some(d) if (1..=most).contains(&d) => Ok(d),
        // Said in words: the page shows it as it is.
        Some(d) if most == programme.extension.days => Err(Error::Refused(format!(
            "an extension is 1 to {most} days, the most the programme allows; not {d}"
        ))),
        Some(d) => Err(Error::Refused(format!("grant 1 to the {most} days the partner asked for; not {d}"))),
    }
}

/// The protection date an extension of `days` (at most the programme's) gives.
fn extended_by(
    programme: &Programme,
    r: &Registration,
    today: NaiveDate,
    days: u32,
) -> Result<NaiveDate, Error> {
    let full = extension_until(programme, r, today).map_err(Error::Refused)?;
    Ok(full - Duration::days(i64::from(programme.extension.days - days)))
}

/// The protection date the programme's full extension would give, or why
/// it allows none.
pub fn extension_until(
    programme: &Programme,
    registration: &Registration,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    let policy = &programme.extension;
    let id = &registration.id;
    let Some(until) = registration.protected_until.filter(|_| registration.status.is_protected()) else {
        return Err(format!(
            "registration {id} is {}; only a protected registration can be extended",
            registration.status.as_str()
        ));
    };
    if today > until {
        return Err(format!("registration {id}'s protection ran out on {until}"));
    }
    if registration.extensions_used >= policy.max_extensions {
        return Err(format!(
            "registration {id} has had {} of the {} extensions the programme allows",
            registration.extensions_used, policy.max_extensions
        ));
    }
    if registration.stage < policy.minimum_stage {
        return Err(format!(
            "registration {id} is at stage {}; extensions need stage {} or later",
            registration.stage.as_str(),
            policy.minimum_stage.as_str()
        ));
    }
    let need = programme.qualification.to_extend;
    if crate::account::confirmed_count(programme, &registration.qualification) < need {
        let missing = crate::account::missing_items(programme, &registration.qualification);
        return Err(format!(
            "registration {id} confirms {} of the {need} qualification items an extension needs; not confirmed: {}",
            crate::account::confirmed_count(programme, &registration.qualification),
            missing.join(", ")
        ));
    }
    Ok(until + Duration::days(i64::from(policy.days)))
}
