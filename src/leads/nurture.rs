//! The changes people make to leads, as changes to a workspace: the vendor
//! routes, recalls and re-routes lapsed offers; the partner accepts or
//! declines, logs activities, sets the next touch and the status, and
//! converts a qualified lead by registering it. Also what the inboxes show of
//! each lead ([`LeadInsight`]) and the registration draft a lead converts into.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::routing::{self, Loads, Routing};
use super::scoring::LeadScore;
use super::{Activity, Lead, LeadStatus, Offer, OfferState};
use crate::error::Error;
use crate::registration::{Contact, Customer, Draft, Stage};
use crate::workspace::{Change, Role, Workspace};

/// What an inbox shows of one lead as of a time.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadInsight {
    pub id: String,
    pub score: LeadScore,
    /// Offered, and not answered within the programme's hours.
    pub offer_overdue: bool,
    /// Accepted, open, and untouched for the programme's idle days or more.
    pub idle: bool,
    /// Whole days since anyone touched it.
    pub days_untouched: i64,
    /// Open, with its next touch today or earlier.
    pub due: bool,
}

/// Every lead's insight in figures, one entry per lead in the desk's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadMarks {
    pub score: Vec<f64>,
    /// 0: no grade; `i + 1`: the programme's `i`-th grade.
    pub grade: Vec<u8>,
    /// Bit 0: the offer is overdue; bit 1: idle; bit 2: a touch is due.
    pub flags: Vec<u8>,
    pub days_untouched: Vec<i32>,
}

/// What an insight's flags are judged by, as of a time.
struct Flags {
    now: DateTime<Utc>,
    sla: Duration,
    idle_days: i64,
}

impl Flags {
    fn new(programme: &crate::programme::Programme, now: DateTime<Utc>) -> Flags {
        let routing = &programme.lead_routing;
        Flags {
            now,
            sla: Duration::hours(i64::from(routing.accept_within_hours)),
            idle_days: i64::from(routing.idle_days),
        }
    }

    /// The offer overdue, idle, whole days untouched, a touch due.
    fn of(&self, lead: &Lead) -> (bool, bool, i64, bool) {
        let days_untouched = (self.now - lead.last_touched()).num_days();
        let state = lead.offer_state();
        let overdue = state == Some(OfferState::Offered)
            && lead.offer.as_ref().is_some_and(|o| self.now - o.offered_at > self.sla);
        let idle =
            state == Some(OfferState::Accepted) && lead.status.is_open() && days_untouched >= self.idle_days;
        let due = lead.status.is_open() && lead.next_touch.is_some_and(|d| d <= self.now.date_naive());
        (overdue, idle, days_untouched, due)
    }
}

fn insight(programme: &crate::programme::Programme, flags: &Flags, lead: &Lead) -> LeadInsight {
    let (offer_overdue, idle, days_untouched, due) = flags.of(lead);
    let score = programme.lead_scoring.score(lead, flags.now);
    LeadInsight { id: lead.id.clone(), score, offer_overdue, idle, days_untouched, due }
}

/// Leads changed by the same change in the same way: "L-0001, L-0002".
fn ids(leads: &[String]) -> String {
    leads.join(", ")
}

impl Workspace {
    pub fn lead(&self, id: &str) -> Option<&Lead> {
        self.leads.iter().find(|l| l.id == id)
    }

    fn lead_mut(&mut self, id: &str) -> Result<&mut Lead, Error> {
        self.leads
            .iter_mut()
            .find(|l| l.id == id)
            .ok_or_else(|| Error::Refused(format!("there is no lead {id:?} on this desk")))
    }

    /// Open leads each partner holds (offered or accepted).
    pub fn partner_loads(&self) -> Loads {
        let mut loads = Loads::default();
        for lead in &self.leads {
            if let Some(partner) = lead.assigned_to.as_deref().filter(|p| lead.held_by(p)) {
                *loads.entry(partner.to_string()).or_insert(0) += 1;
            }
        }
        loads
    }

    /// Where routing would send a lead now, without sending it.
    pub fn routing(&self, id: &str) -> Result<Routing, Error> {
        let programme = self.programme_or_refuse()?;
        let lead =
            self.lead(id).ok_or_else(|| Error::Refused(format!("there is no lead {id:?} on this desk")))?;
        Ok(routing::route(programme, lead, &self.partner_loads(), self.lead_routings))
    }

    /// Every lead's score and flags as of `now`, in the desk's order.
    pub fn lead_insights(&self, now: DateTime<Utc>) -> Result<Vec<LeadInsight>, Error> {
        let programme = self.programme_or_refuse()?;
        let flags = Flags::new(programme, now);
        Ok(self.leads.iter().map(|lead| insight(programme, &flags, lead)).collect())
    }

    /// One lead's [`LeadInsight`].
    pub fn lead_insight(&self, id: &str, now: DateTime<Utc>) -> Result<LeadInsight, Error> {
        let programme = self.programme_or_refuse()?;
        let lead =
            self.lead(id).ok_or_else(|| Error::Refused(format!("there is no lead {id:?} on this desk")))?;
        Ok(insight(programme, &Flags::new(programme, now), lead))
    }

    /// Every lead's [`LeadInsight`] in figures alone, in the desk's order:
    /// what an inbox of 50,000 leads filters and sorts by, made in a few
    /// milliseconds (the insights' words took 40 times longer to hand over).
    pub fn lead_marks(&self, now: DateTime<Utc>) -> Result<LeadMarks, Error> {
        let programme = self.programme_or_refuse()?;
        let scoring = &programme.lead_scoring;
        let flags = Flags::new(programme, now);
        let mut marks = LeadMarks::default();
        for lead in &self.leads {
            let score = scoring.score_number(lead, now);
            let (overdue, idle, days, due) = flags.of(lead);
            let grade = scoring.grades.iter().position(|g| score >= g.min_score).map_or(0, |i| i as u8 + 1);
            marks.score.push(score);
            marks.grade.push(grade);
            marks.flags.push(u8::from(overdue) | (u8::from(idle) << 1) | (u8::from(due) << 2));
            marks.days_untouched.push(days.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
        }
        Ok(marks)
    }

    /// The registration draft a lead converts into: its customer and contact,
    /// and its lead and campaign ids for closed-loop attribution.
    pub fn lead_draft(&self, id: &str) -> Result<Draft, Error> {
        let lead =
            self.lead(id).ok_or_else(|| Error::Refused(format!("there is no lead {id:?} on this desk")))?;
        let partner_id = match &self.role {
            Some(Role::Partner { partner_id }) => partner_id.clone(),
            _ => lead.assigned_to.clone().unwrap_or_default(),
        };
        let currency = self.programme.as_ref().map(|p| p.currency.clone()).unwrap_or_default();
        Ok(Draft {
            partner_id,
            customer: Customer {
                name: lead.company.clone(),
                domain: lead.domain.clone(),
                country: lead.country.clone(),
                city: None,
            },
            products: Vec::new(),
            value: lead.budget,
            currency,
            expected_close: None,
            stage: Stage::Qualify,
            new_business: true,
            contact: Some(Contact {
                name: lead.contact_name.clone(),
                email: lead.email.clone(),
                phone: None,
            }),
            notes: lead.need.clone().unwrap_or_default(),
            lead_id: Some(lead.id.clone()),
            campaign_id: Some(lead.campaign_id.clone()),
            qualification: Vec::new(),
            business_case: None,
        })
    }

    /// Partner: the lead a new registration converts, checked before the
    /// registration is made and marked converted after.
    pub(crate) fn convertible_lead(&self, id: &str, partner_id: &str) -> Result<(), Error> {
        let lead =
            self.lead(id).ok_or_else(|| Error::Refused(format!("there is no lead {id:?} on this desk")))?;
        if lead.assigned_to.as_deref() != Some(partner_id) || lead.offer_state() != Some(OfferState::Accepted)
        {
            return Err(Error::Refused(format!("lead {id} is not accepted by this desk: accept it first")));
        }
        if lead.status != LeadStatus::Qualified {
            return Err(Error::Refused(format!(
                "lead {id} is {}; only a qualified lead converts into a registration",
                lead.status.as_str()
            )));
        }
        Ok(())
    }

    pub(crate) fn mark_converted(&mut self, id: &str, registration_id: &str) -> Result<(), Error> {
        let lead = self.lead_mut(id)?;
        lead.status = LeadStatus::Converted;
        lead.registration_id = Some(registration_id.to_string());
        lead.next_touch = None;
        lead.revision += 1;
        Ok(())
    }

    /// Who may work a lead's status, next touch and activities: the partner
    /// that accepted it, or the vendor while it is with no partner.
    fn workable(&mut self, id: &str, what: &str) -> Result<&mut Lead, Error> {
        let role = self.role.clone();
        let lead = self.lead_mut(id)?;
        let ok = match &role {
            Some(Role::Partner { partner_id }) => {
                lead.assigned_to.as_deref() == Some(partner_id)
                    && lead.offer_state() == Some(OfferState::Accepted)
            }
            Some(Role::Vendor) => lead.assigned_to.is_none(),
            None => false,
        };
        if !ok {
            let whose = match role {
                Some(Role::Partner { .. }) => "accept it first",
                _ => "it is with a partner; recall it first",
            };
            return Err(Error::Refused(format!("lead {id} cannot {what} on this desk: {whose}")));
        }
        Ok(lead)
    }

    /// Offers the unassigned open lead at `idx` to the partner routing
    /// chooses, counting it in `loads`; the reason when none is eligible.
    /// Loads are the caller's, so routing many leads counts them once.
    fn route_one(&mut self, idx: usize, loads: &mut Loads, now: DateTime<Utc>) -> Result<String, String> {
        let programme = self.programme.as_ref().ok_or("this desk holds no programme yet")?;
        let lead = &self.leads[idx];
        let id = &lead.id;
        if let Some(partner) = &lead.assigned_to {
            return Err(format!("lead {id} is already with {partner}: recall it first"));
        }
        if !lead.status.is_open() {
            return Err(format!("lead {id} is {}: only an open lead is routed", lead.status.as_str()));
        }
        let routing = routing::route(programme, lead, loads, self.lead_routings);
        let Some(chosen) = routing.chosen else {
            let why: Vec<String> = routing
                .candidates
                .iter()
                .map(|c| format!("{} {}", c.partner_id, c.reasons.join(", ")))
                .collect();
            return Err(format!("no partner is eligible for lead {id}: {}", why.join("; ")));
        };
        self.lead_routings += 1;
        *loads.entry(chosen.clone()).or_insert(0) += 1;
        let lead = &mut self.leads[idx];
        lead.assigned_to = Some(chosen.clone());
        if !lead.offered_to.contains(&chosen) {
            lead.offered_to.push(chosen.clone());
        }
        let offer = Offer {
            state: OfferState::Offered,
            offered_at: now,
            answered_at: None,
            why: routing.why,
            reason: None,
        };
        lead.offer = Some(offer);
        lead.revision += 1;
        Ok(chosen)
    }

    fn lead_index(&self, id: &str) -> Result<usize, Error> {
        self.leads
            .iter()
            .position(|l| l.id == id)
            .ok_or_else(|| Error::Refused(format!("there is no lead {id:?} on this desk")))
    }

    pub(crate) fn apply_to_leads(&mut self, change: Change, now: DateTime<Utc>) -> Result<(), Error> {
        match change {
            Change::RouteLead { id } => {
                self.vendor_or_refuse("route leads")?;
                let idx = self.lead_index(&id)?;
                let chosen = self.route_one(idx, &mut self.partner_loads(), now).map_err(Error::Refused)?;
                let why =
                    self.lead(&id).and_then(|l| l.offer.as_ref()).map(|o| o.why.clone()).unwrap_or_default();
                self.record(now, "routeLead", format!("{id} offered to {chosen} ({why})"));
            }
            Change::RouteAll => {
                self.vendor_or_refuse("route leads")?;
                let waiting: Vec<usize> = (0..self.leads.len())
                    .filter(|&i| self.leads[i].assigned_to.is_none() && self.leads[i].status.is_open())
                    .collect();
                let mut loads = self.partner_loads();
                let mut routed = Vec::new();
                let mut stuck = Vec::new();
                for idx in waiting {
                    let id = self.leads[idx].id.clone();
                    match self.route_one(idx, &mut loads, now) {
                        Ok(chosen) => routed.push(format!("{id} → {chosen}")),
                        Err(_) => stuck.push(id),
                    }
                }
                if routed.is_empty() && stuck.is_empty() {
                    return Err(Error::Refused("no open lead is waiting for a partner".into()));
                }
                let mut detail = format!("{} leads offered: {}", routed.len(), ids(&routed));
                if !stuck.is_empty() {
                    detail += &format!("; no partner eligible for {}", ids(&stuck));
                }
                self.record(now, "routeAll", detail);
            }
            Change::RecallLead { id, reason } => {
                self.vendor_or_refuse("recall leads")?;
                let lead = self.lead_mut(&id)?;
                let Some(partner) = lead.assigned_to.take() else {
                    return Err(Error::Refused(format!("lead {id} is with no partner")));
                };
                // Held before offers were recorded, it is known to have been held now.
                if !lead.offered_to.contains(&partner) {
                    lead.offered_to.push(partner.clone());
                }
                lead.offer = None;
                lead.revision += 1;
                let reason = if reason.trim().is_empty() { String::new() } else { format!(": {reason}") };
                self.record(now, "recallLead", format!("{id} recalled from {partner}{reason}"));
            }
            Change::RecallOverdue => {
                self.vendor_or_refuse("recall leads")?;
                let programme = self.programme_or_refuse()?;
                let sla = Duration::hours(i64::from(programme.lead_routing.accept_within_hours));
                let lapsed: Vec<usize> = (0..self.leads.len())
                    .filter(|&i| {
                        let l = &self.leads[i];
                        l.offer_state() == Some(OfferState::Offered)
                            && l.offer.as_ref().is_some_and(|o| now - o.offered_at > sla)
                    })
                    .collect();
                if lapsed.is_empty() {
                    return Err(Error::Refused("no offer is past its time to accept".into()));
                }
                // Every lapsed offer is withdrawn first, so the loads routing sees are the ones left.
                let mut from = Vec::new();
                for &idx in &lapsed {
                    let lead = &mut self.leads[idx];
                    let partner = lead.assigned_to.take().expect("offered leads are assigned");
                    lead.offer = None;
                    lead.declined_by.push(partner.clone());
                    lead.revision += 1;
                    from.push(partner);
                }
                let mut loads = self.partner_loads();
                let mut moves = Vec::new();
                for (&idx, partner) in lapsed.iter().zip(from) {
                    let id = self.leads[idx].id.clone();
                    moves.push(match self.route_one(idx, &mut loads, now) {
                        Ok(chosen) => format!("{id} lapsed at {partner}, offered to {chosen}"),
                        Err(_) => format!("{id} lapsed at {partner}, no partner eligible"),
                    });
                }
                self.record(now, "recallOverdue", ids(&moves));
            }
            Change::AnswerLead { id, accept, reason } => {
                let partner_id = self.partner_or_refuse("answer lead offers")?;
                let lead = self.lead_mut(&id)?;
                if lead.assigned_to.as_deref() != Some(partner_id.as_str()) {
                    return Err(Error::Refused(format!("lead {id} is not offered to this desk")));
                }
                let Some(offer) = lead.offer.as_mut().filter(|o| o.state == OfferState::Offered) else {
                    return Err(Error::Refused(format!("lead {id} was already answered")));
                };
                if !accept && reason.trim().is_empty() {
                    return Err(Error::invalid(
                        "answer",
                        vec![crate::error::Problem::new("$.reason", "say why the lead is declined")],
                    ));
                }
                offer.state = if accept { OfferState::Accepted } else { OfferState::Declined };
                offer.answered_at = Some(now);
                offer.reason = (!reason.trim().is_empty()).then(|| reason.trim().to_string());
                if accept && lead.status == LeadStatus::New {
                    lead.status = LeadStatus::Working;
                }
                lead.revision += 1;
                let what =
                    if accept { "accepted".to_string() } else { format!("declined: {}", reason.trim()) };
                self.record(now, "answerLead", format!("{id} {what}"));
            }
            Change::LogActivity { id, activity } => {
                if activity.at > now {
                    return Err(Error::invalid(
                        "activity",
                        vec![crate::error::Problem::new("$.activity.at", "is in the future")],
                    ));
                }
                let vendor = self.role == Some(Role::Vendor);
                // The vendor logs marketing touches on any lead; a partner only on its own.
                let lead = if vendor { self.lead_mut(&id)? } else { self.workable(&id, "take activities")? };
                let at = lead.activities.partition_point(|a| a.at <= activity.at);
                let kind = activity.kind.as_str();
                lead.activities.insert(
                    at,
                    Activity { note: activity.note.filter(|n| !n.trim().is_empty()), ..activity },
                );
                lead.revision += 1;
                self.record(now, "logActivity", format!("{id}: {kind}"));
            }
            Change::SetLeadStatus { id, status, reason } => {
                if status == LeadStatus::Converted {
                    return Err(Error::Refused("a lead is converted by registering it (Convert)".into()));
                }
                if status == LeadStatus::Disqualified && reason.trim().is_empty() {
                    return Err(Error::invalid(
                        "lead status",
                        vec![crate::error::Problem::new("$.reason", "say why the lead is disqualified")],
                    ));
                }
                let lead = self.workable(&id, "change its status")?;
                if lead.status == LeadStatus::Converted {
                    return Err(Error::Refused(format!(
                        "lead {id} is converted; its registration carries it on"
                    )));
                }
                lead.status = status;
                lead.status_reason = (!reason.trim().is_empty()).then(|| reason.trim().to_string());
                if !status.is_open() {
                    lead.next_touch = None;
                }
                lead.revision += 1;
                let because =
                    if reason.trim().is_empty() { String::new() } else { format!(": {}", reason.trim()) };
                self.record(now, "setLeadStatus", format!("{id} is {}{because}", status.as_str()));
            }
            Change::SetNextTouch { id, date } => {
                let lead = self.workable(&id, "be planned")?;
                if !lead.status.is_open() && date.is_some() {
                    return Err(Error::Refused(format!(
                        "lead {id} is {}: nothing to plan",
                        lead.status.as_str()
                    )));
                }
                lead.next_touch = date;
                lead.revision += 1;
                let when = date.map_or("cleared".to_string(), |d| d.to_string());
                self.record(now, "setNextTouch", format!("{id}: next touch {when}"));
            }
            // No `{:?}`: it would compile Debug for every change into the module.
            _ => unreachable!("Workspace::apply sends only lead changes here"),
        }
        Ok(())
    }
}
