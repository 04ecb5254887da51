//! The account work around a registration, beyond the claim itself: the
//! partner's answers to the programme's qualification checklist and its
//! business case (sent in the submission file); the vendor's account notes
//! and the joint plan (sent back in the decision file); and the partner's
//! requests for support on an approved deal (presales help, a demo unit, a
//! special price), each approved or declined by the vendor with a reason.
//! An approved special price carries its cost, counted against the
//! incentive budget until it expires unused.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::check::Problems;
use crate::decision::money;
use crate::error::{Error, Problem};
use crate::programme::Programme;
use crate::registration::{Registration, Status};
use crate::workspace::{Change, Workspace};

/// Longest text a business case, plan or request field holds.
pub const MAX_TEXT: usize = 2000;

/// Why the customer should buy, in the partner's words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BusinessCase {
    /// The customer's problem.
    #[serde(default)]
    pub problem: String,
    /// What the partner proposes.
    #[serde(default)]
    pub solution: String,
    /// What it is worth to the customer.
    #[serde(default)]
    pub value: String,
    /// Who else is bidding.
    #[serde(default)]
    pub competitors: String,
    /// When the customer decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<NaiveDate>,
}

/// The vendor's notes on the account and the plan both sides work to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountPlan {
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub steps: Vec<PlanStep>,
}

/// One next step of the joint plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanStep {
    pub what: String,
    /// Who does it: a person or a side ("vendor", "partner").
    pub owner: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    Presales,
    DemoUnit,
    SpecialPrice,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] =
        [RequestKind::Presales, RequestKind::DemoUnit, RequestKind::SpecialPrice];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Presales => "presales",
            RequestKind::DemoUnit => "demoUnit",
            RequestKind::SpecialPrice => "specialPrice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Presales => "presales help",
            RequestKind::DemoUnit => "a demo unit",
            RequestKind::SpecialPrice => "a special price",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RequestState {
    Requested,
    Approved,
    Declined,
}

/// What a partner asks for (the `request` of a `requestSupport` change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestDraft {
    pub kind: RequestKind,
    /// Why: the justification the vendor weighs.
    pub note: String,
    /// A special price: the extra discount asked for, in percentage points of the deal value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_discount_points: Option<f64>,
    /// A special price: the competing offer it must beat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competing_offer: Option<String>,
}

/// A partner's request on an approved registration, and the vendor's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SupportRequest {
    /// `<registration id>-Q1`, `-Q2`, ...
    pub id: String,
    pub kind: RequestKind,
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_discount_points: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competing_offer: Option<String>,
    /// The partner's clock.
    pub requested_at: DateTime<Utc>,
    pub state: RequestState,
    /// The vendor's reason, required with every answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
    /// An approved special price: the last day it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    /// An approved special price: what it costs the vendor (deal value in the
    /// programme currency × points / 100), counted against the incentive budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}

impl SupportRequest {
    /// An approved special price that applies at `at`: before its expiry, on a
    /// deal still protected, or won by then.
    pub fn special_price_at(&self, registration: &Registration, at: DateTime<Utc>) -> bool {
        let Some(expires) = self.expires_on.filter(|_| self.state == RequestState::Approved) else {
            return false;
        };
        match registration.status {
            Status::Won => registration.closed_at.is_some_and(|c| c.date_naive() <= expires),
            Status::Approved | Status::Extended => at.date_naive() <= expires,
            _ => false,
        }
    }

    pub fn check(&self, path: &str, p: &mut Problems) {
        p.not_blank(&format!("{path}.id"), &self.id);
        text(p, &format!("{path}.note"), &self.note);
        if let Some(points) = self.extra_discount_points {
            points_in_range(p, &format!("{path}.extraDiscountPoints"), points);
        }
        if let Some(cost) = self.cost {
            p.amount(&format!("{path}.cost"), cost);
        }
        if self.state != RequestState::Requested && self.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            p.add(format!("{path}.reason"), "an answered request needs the vendor's reason");
        }
    }
}

impl BusinessCase {
    pub fn check(&self, path: &str, p: &mut Problems) {
        for (field, value) in [
            ("problem", &self.problem),
            ("solution", &self.solution),
            ("value", &self.value),
            ("competitors", &self.competitors),
        ] {
            text(p, &format!("{path}.{field}"), value);
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == BusinessCase::default()
    }
}

impl AccountPlan {
    pub fn check(&self, path: &str, p: &mut Problems) {
        text(p, &format!("{path}.notes"), &self.notes);
        for (idx, step) in self.steps.iter().enumerate() {
            p.not_blank(&format!("{path}.steps[{idx}].what"), &step.what);
            p.not_blank(&format!("{path}.steps[{idx}].owner"), &step.owner);
            text(p, &format!("{path}.steps[{idx}].what"), &step.what);
        }
    }
}

fn text(p: &mut Problems, path: &str, value: &str) {
    if value.chars().count() > MAX_TEXT {
        p.add(path.to_string(), format!("is longer than {MAX_TEXT} characters"));
    }
}

fn points_in_range(p: &mut Problems, path: &str, points: f64) {
    if !(points.is_finite() && points > 0.0 && points <= 100.0) {
        p.add(path.to_string(), format!("must be more than 0 and at most 100 points, got {points}"));
    }
}

/// The qualification items of the programme a registration has not confirmed.
pub fn missing_items<'a>(programme: &'a Programme, confirmed: &[String]) -> Vec<&'a str> {
    programme
        .qualification
        .items
        .iter()
        .filter(|i| !confirmed.contains(&i.id))
        .map(|i| i.label.as_str())
        .collect()
}

/// How many of the programme's items a registration confirmed (unknown ids do not count).
pub fn confirmed_count(programme: &Programme, confirmed: &[String]) -> u32 {
    programme.qualification.items.iter().filter(|i| confirmed.contains(&i.id)).count() as u32
}

/// Every problem with a partner's qualification answers and business case.
pub fn check_answers(
    programme: &Programme,
    qualification: &[String],
    case: Option<&BusinessCase>,
    root: &str,
) -> Vec<Problem> {
    let mut p = Problems::default();
    for (idx, id) in qualification.iter().enumerate() {
        if !programme.qualification.items.iter().any(|i| i.id == *id) {
            p.add(
                format!("{root}.qualification[{idx}]"),
                format!("{id:?} is not an item of the programme's qualification checklist"),
            );
        }
    }
    if let Some(case) = case {
        case.check(&format!("{root}.businessCase"), &mut p);
    }
    p.0
}

impl Workspace {
    /// The changes of this module: qualification and business case (partner),
    /// support requests (partner) and their answers (vendor), the account plan (vendor).
    pub(crate) fn apply_to_account(&mut self, change: Change, now: DateTime<Utc>) -> Result<(), Error> {
        match change {
            Change::Qualify { id, qualification, business_case } => {
                self.partner_or_refuse("qualify registrations")?;
                let programme = self.programme_or_refuse()?;
                let problems = check_answers(programme, &qualification, business_case.as_ref(), "$");
                if !problems.is_empty() {
                    return Err(Error::invalid("qualification", problems));
                }
                let count = confirmed_count(programme, &qualification);
                let of = programme.qualification.items.len();
                let registration = self.registration_mut(&id)?;
                if !registration.status.is_open() && registration.status != Status::Draft {
                    return Err(Error::Refused(format!(
                        "registration {id} is {}; a closed deal is not qualified again",
                        registration.status.as_str()
                    )));
                }
                let case = business_case.filter(|c| !c.is_empty());
                if (&registration.qualification, &registration.business_case) == (&qualification, &case) {
                    return Ok(());
                }
                registration.qualification = qualification;
                registration.business_case = case;
                registration.revision += 1;
                self.record(now, "qualify", format!("{id}: {count} of {of} qualification items confirmed"));
            }
            Change::RequestSupport { id, request } => {
                self.partner_or_refuse("ask for support")?;
                let mut p = Problems::default();
                p.not_blank("$.request.note", &request.note);
                text(&mut p, "$.request.note", &request.note);
                match (request.kind, request.extra_discount_points) {
                    (RequestKind::SpecialPrice, None) => p.add(
                        "$.request.extraDiscountPoints",
                        "a special price needs the extra discount asked for",
                    ),
                    (RequestKind::SpecialPrice, Some(points)) => {
                        points_in_range(&mut p, "$.request.extraDiscountPoints", points)
                    }
                    (_, Some(_)) => p.add(
                        "$.request.extraDiscountPoints",
                        "only a special-price request asks for an extra discount",
                    ),
                    (_, None) => {}
                }
                if !p.0.is_empty() {
                    return Err(Error::invalid("request", p.0));
                }
                let registration = self.registration_mut(&id)?;
                if !registration.status.is_protected() {
                    return Err(Error::Refused(format!(
                        "registration {id} is {}; support is asked for on an approved deal",
                        registration.status.as_str()
                    )));
                }
                if let Some(open) = registration
                    .requests
                    .iter()
                    .find(|q| q.kind == request.kind && q.state == RequestState::Requested)
                {
                    return Err(Error::Refused(format!(
                        "{} already asks for {}; wait for the vendor's answer",
                        open.id,
                        request.kind.label()
                    )));
                }
                let request_id = format!("{id}-Q{}", registration.requests.len() + 1);
                registration.requests.push(SupportRequest {
                    id: request_id.clone(),
                    kind: request.kind,
                    note: request.note,
                    extra_discount_points: request.extra_discount_points,
                    competing_offer: request.competing_offer.filter(|c| !c.trim().is_empty()),
                    requested_at: now,
                    state: RequestState::Requested,
                    reason: None,
                    answered_at: None,
                    expires_on: None,
                    cost: None,
                });
                registration.revision += 1;
                let kind = request.kind.label();
                self.record(now, "requestSupport", format!("{id}: {request_id} asks for {kind}"));
            }
            Change::AnswerRequest { id, request, approve, reason, expires_on } => {
                self.vendor_or_refuse("answer requests")?;
                if reason.trim().is_empty() {
                    return Err(Error::invalid(
                        "answer",
                        vec![Problem::new(
                            "$.reason",
                            "give the partner the reason; it is kept for the audit",
                        )],
                    ));
                }
                let programme = self.programme_or_refuse()?.clone();
                // No budget on the desk: no limit.
                let left = programme.incentive_budget.map_or(f64::INFINITY, |b| b - self.committed(now));
                let registration = self.registration_mut(&id)?;
                let at =
                    registration.requests.iter().position(|q| q.id == request).ok_or_else(|| {
                        Error::Refused(format!("registration {id} has no request {request:?}"))
                    })?;
                let (kind, state) = (registration.requests[at].kind, registration.requests[at].state);
                if state != RequestState::Requested {
                    return Err(Error::Refused(format!("{request} is already answered")));
                }
                let mut cost = None;
                let mut expires = None;
                if approve {
                    if !registration.status.is_protected() {
                        return Err(Error::Refused(format!(
                            "registration {id} is {}; support goes to an approved deal",
                            registration.status.as_str()
                        )));
                    }
                    if kind == RequestKind::SpecialPrice {
                        let points = registration.requests[at].extra_discount_points.unwrap_or(0.0);
                        let max = programme.pricing.max_special_points;
                        if points > max {
                            return Err(Error::Refused(format!(
                                "{request} asks for {points} extra points; the programme grants at most {max}"
                            )));
                        }
                        let until = expires_on.or(registration.protected_until).ok_or_else(|| {
                            Error::invalid(
                                "answer",
                                vec![Problem::new("$.expiresOn", "choose when the price expires")],
                            )
                        })?;
                        if until < now.date_naive() {
                            return Err(Error::invalid(
                                "answer",
                                vec![Problem::new("$.expiresOn", format!("{until} is in the past"))],
                            ));
                        }
                        let value =
                            programme.convert(registration.value, &registration.currency).unwrap_or(0.0);
                        let price = (value * points).round() / 100.0;
                        if price > left {
                            return Err(Error::Refused(format!(
                                "the special price costs {}; only {} of the incentive budget is left",
                                money(price, &programme.currency),
                                money(left.max(0.0), &programme.currency)
                            )));
                        }
                        (cost, expires) = (Some(price), Some(until));
                    }
                }
                let q = &mut registration.requests[at];
                q.state = if approve { RequestState::Approved } else { RequestState::Declined };
                q.reason = Some(reason.clone());
                q.answered_at = Some(now);
                q.expires_on = expires;
                q.cost = cost;
                registration.revision += 1;
                let verb = if approve { "approved" } else { "declined" };
                let until = expires.map_or(String::new(), |d| format!(" until {d}"));
                self.record(
                    now,
                    "answerRequest",
                    format!("{id}: {request} ({}) {verb}{until}: {reason}", kind.label()),
                );
            }
            Change::SetAccountPlan { id, plan } => {
                self.vendor_or_refuse("keep account plans")?;
                let mut p = Problems::default();
                plan.check("$.plan", &mut p);
                if !p.0.is_empty() {
                    return Err(Error::invalid("account plan", p.0));
                }
                let registration = self.registration_mut(&id)?;
                if registration.received_at.is_none() {
                    return Err(Error::Refused(format!("registration {id} has not reached the vendor")));
                }
                let plan = Some(plan).filter(|p| *p != AccountPlan::default());
                if registration.account_plan == plan {
                    return Ok(());
                }
                let steps = plan.as_ref().map_or(0, |p| p.steps.len());
                registration.account_plan = plan;
                registration.revision += 1;
                self.record(now, "setAccountPlan", format!("{id}: account plan with {steps} steps"));
            }
            _ => unreachable!("handled by Workspace::apply"),
        }
        Ok(())
    }

    /// The incentive budget committed at `at` ([`Registration::commitment`]).
    pub fn committed(&self, at: DateTime<Utc>) -> f64 {
        self.registrations.iter().map(|r| r.commitment(at)).sum()
    }
}
