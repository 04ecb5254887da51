//! The programme sandbox: every registration re-run, in vendor receipt
//! order, under two programmes (A, the current one, and B, an edited copy)
//! on a copy of the data, with the same rules as a real desk. Each side's
//! approvals, rejections by rule, conflicts, expiries, protected pipeline,
//! incentive cost and budget; the partners most affected; and every
//! registration whose outcome differs, with both explanations.
//!
//! A deal's fate is not the programme's: a registration approved in the
//! sandbox keeps its real win, loss or withdrawal, at its real time, if that
//! came within its protection under the side's rules; otherwise its
//! protection (receipt + the side's protection days, and the extensions it
//! really had, up to the side's limit) runs out. A registration that goes
//! to review stays there: nobody decides in a sandbox.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::charts::{bars as bars_chart, Bar};
use crate::conflict::index::CustomerIndex;
use crate::conflict::sort::sort_by;
use crate::conflict::{named_account_profiles, FuzzyMatcher, Profile};
use crate::decision::{evaluate_among, Others, Outcome, Rule};
use crate::programme::Programme;
use crate::registration::{Registration, Status};
use crate::reports::{burn, cents};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    pub as_of: DateTime<Utc>,
    /// Registrations received by `as_of`, re-run.
    pub registrations: usize,
    pub currency: String,
    pub a: Side,
    pub b: Side,
    /// Partners whose approvals or incentives differ, the most affected first.
    pub partners: Vec<PartnerShift>,
    /// Registrations whose outcome differs, in receipt order.
    pub differences: Vec<Difference>,
    /// A and B side by side, as SVG text (see [`crate::charts`]).
    pub chart: String,
}

/// One programme's run, as of the simulation's time.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    pub approved: usize,
    pub in_review: usize,
    pub rejected: usize,
    /// Rejections by the first rule that failed, in rule order.
    pub rejected_by_rule: Vec<RuleCount>,
    /// Registrations that found another partner's registration of their customer.
    pub conflicts: usize,
    pub expired: usize,
    /// Value of the approved registrations still protected.
    pub protected_pipeline: f64,
    /// Incentives committed (approved, extended or won).
    pub incentive_cost: f64,
    pub budget_left: f64,
    /// When the budget runs out at the last 90 days' rate; none if it does not.
    pub budget_runs_out_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCount {
    pub rule: Rule,
    pub title: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerShift {
    pub partner_id: String,
    pub name: String,
    pub approved_a: usize,
    pub approved_b: usize,
    pub incentive_a: f64,
    pub incentive_b: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub registration_id: String,
    pub partner_id: String,
    pub customer: String,
    pub value: f64,
    pub received_at: DateTime<Utc>,
    pub a: Verdict,
    pub b: Verdict,
}

/// One side's outcome of a registration, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub outcome: Outcome,
    pub first_failure: Option<Rule>,
    pub summary: String,
}

/// What one run gives for each registration, and the records it leaves.
struct Run {
    verdicts: Vec<Verdict>,
    conflicts: Vec<bool>,
    state: Vec<Registration>,
    committed: f64,
}

/// Re-runs every registration received by `as_of` under `a` and under `b`.
/// Both sides see the same customers: the index is built once.
pub fn simulate(
    a: &Programme,
    b: &Programme,
    registrations: &[Registration],
    as_of: DateTime<Utc>,
) -> Simulation {
    let mut order: Vec<&Registration> =
        registrations.iter().filter(|r| r.received_at.is_some_and(|t| t <= as_of)).collect();
    sort_by(&mut order, |x, y| (x.received_at, &x.id) < (y.received_at, &y.id));
    let index = CustomerIndex::new(order.iter().map(|r| Profile::of(&r.customer)).collect());
    let common = index.common_words();
    let run_a = run(a, &order, &index, &common, as_of);
    let run_b = run(b, &order, &index, &common, as_of);

    let differences = (0..order.len())
        .filter(|&i| run_a.verdicts[i].outcome != run_b.verdicts[i].outcome)
        .map(|i| Difference {
            registration_id: order[i].id.clone(),
            partner_id: order[i].partner_id.clone(),
            customer: order[i].customer.name.clone(),
            value: order[i].value,
            received_at: order[i].received_at.expect("received"),
            a: run_a.verdicts[i].clone(),
            b: run_b.verdicts[i].clone(),
        })
        .collect();
    let mut partners: Vec<PartnerShift> = a
        .partners
        .iter()
        .map(|p| {
            let side = |run: &Run| {
                let mine = run.state.iter().filter(|r| r.partner_id == p.id);
                let approved: Vec<&Registration> = mine.filter(|r| r.incentive.is_some()).collect();
                (approved.len(), cents(approved.iter().filter_map(|r| r.incentive).sum()))
            };
            let ((approved_a, incentive_a), (approved_b, incentive_b)) = (side(&run_a), side(&run_b));
            PartnerShift {
                partner_id: p.id.clone(),
                name: p.name.clone(),
                approved_a,
                approved_b,
                incentive_a,
                incentive_b,
            }
        })
        .filter(|s| s.approved_a != s.approved_b || s.incentive_a != s.incentive_b)
        .collect();
    let shift =
        |s: &PartnerShift| (s.approved_a.abs_diff(s.approved_b), (s.incentive_a - s.incentive_b).abs());
    sort_by(&mut partners, |x, y| shift(x) > shift(y));
    let (side_a, side_b) = (side(a, &run_a, as_of), side(b, &run_b, as_of));
    let chart = comparison(&side_a, &side_b);
    Simulation {
        as_of,
        registrations: order.len(),
        currency: a.currency.clone(),
        a: side_a,
        b: side_b,
        partners,
        differences,
        chart,
    }
}

/// The counts of both sides, each measure's A bar above its B bar.
fn comparison(a: &Side, b: &Side) -> String {
    let measures = [
        ("approved", a.approved, b.approved),
        ("in review", a.in_review, b.in_review),
        ("rejected", a.rejected, b.rejected),
        ("conflicts", a.conflicts, b.conflicts),
        ("expired", a.expired, b.expired),
    ];
    let bars: Vec<Bar> = measures
        .iter()
        .flat_map(|&(name, in_a, in_b)| {
            [("A", in_a), ("B", in_b)].map(|(side, n)| Bar {
                label: format!("{name}, {side}"),
                value: n as f64,
                text: n.to_string(),
            })
        })
        .collect();
    bars_chart(
        "chart-sandbox",
        "Programme A and programme B on the same registrations",
        "For each measure, the count under programme A, then under programme B.",
        &bars,
    )
}

fn run(
    p: &Programme,
    order: &[&Registration],
    index: &CustomerIndex,
    common: &rustc_hash::FxHashSet<String>,
    as_of: DateTime<Utc>,
) -> Run {
    let matcher = FuzzyMatcher { common: common.clone(), ..FuzzyMatcher::for_programme(p) };
    let named: Vec<Vec<Profile>> = p.named_accounts.iter().map(named_account_profiles).collect();
    let masks: Option<Vec<u64>> = order.iter().map(|r| p.line_mask(&r.products)).collect();
    // Every registration as it arrives: submitted, nothing decided yet.
    let mut state: Vec<Registration> = order
        .iter()
        .map(|r| Registration {
            status: Status::Submitted,
            decision: None,
            protected_until: None,
            incentive: None,
            closed_at: None,
            extension_requested: false,
            requests: Vec::new(),
            terms: None,
            ..(*r).clone()
        })
        .collect();
    let mut verdicts = Vec::with_capacity(order.len());
    let mut conflicts = Vec::with_capacity(order.len());
    // Commitments that a loss, a withdrawal or an expiry releases, by when.
    let mut releases: BinaryHeap<Reverse<(DateTime<Utc>, usize)>> = BinaryHeap::new();
    let mut committed = 0.0;
    for i in 0..order.len() {
        let received = order[i].received_at.expect("only received ones are run");
        while let Some(&Reverse((at, j))) = releases.peek() {
            if at > received {
                break;
            }
            releases.pop();
            committed -= state[j].incentive.unwrap_or(0.0);
        }
        let nearby: Vec<usize> = index.candidates(index.profile(i)).into_iter().filter(|&j| j < i).collect();
        let others = Others {
            registrations: &state,
            known: Some(index.known()),
            nearby: Some(&nearby),
            committed: Some(committed),
            named: Some(&named),
            line_masks: masks.as_deref(),
            // Leads stand as they are now, not as they were then: not replayed.
            leads: &[],
        };
        let decision = evaluate_among(p, &others, &state[i], received, &matcher);
        conflicts.push(!decision.conflicts.is_empty());
        let r = &mut state[i];
        match decision.outcome {
            Outcome::Rejected => {
                r.status = Status::Rejected;
                r.closed_at = Some(received);
            }
            Outcome::InReview => r.status = Status::InReview,
            Outcome::Approved => {
                let real = order[i];
                let extensions = real.extensions_used.min(p.extension.max_extensions);
                let until = received.date_naive()
                    + Duration::days(i64::from(p.protection_days + extensions * p.extension.days));
                let ran_out = (until + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight").and_utc();
                let fate = real.closed_at.filter(|c| {
                    matches!(real.status, Status::Won | Status::Lost | Status::Withdrawn)
                        && c.date_naive() <= until
                });
                (r.status, r.closed_at) = match fate {
                    Some(closed) => (real.status, Some(closed)),
                    None if ran_out <= as_of => (Status::Expired, Some(ran_out)),
                    None if extensions > 0 => (Status::Extended, None),
                    None => (Status::Approved, None),
                };
                r.protected_until = Some(until);
                r.extensions_used = extensions;
                r.incentive = decision.incentive.as_ref().map(|x| x.cost);
                committed += r.incentive.unwrap_or(0.0);
                if let (Some(closed), Status::Lost | Status::Withdrawn | Status::Expired) =
                    (r.closed_at, r.status)
                {
                    releases.push(Reverse((closed, i)));
                }
            }
        }
        verdicts.push(Verdict {
            outcome: decision.outcome,
            first_failure: decision.first_failure,
            summary: decision.summary,
        });
    }
    // What is released by the end.
    for Reverse((at, j)) in releases.into_iter() {
        if at <= as_of {
            committed -= state[j].incentive.unwrap_or(0.0);
        }
    }
    Run { verdicts, conflicts, state, committed }
}

fn side(p: &Programme, run: &Run, as_of: DateTime<Utc>) -> Side {
    let count = |o: Outcome| run.verdicts.iter().filter(|v| v.outcome == o).count();
    let rules = [
        Rule::Partner,
        Rule::Period,
        Rule::Products,
        Rule::MinimumValue,
        Rule::NewBusiness,
        Rule::Qualification,
        Rule::NamedAccount,
        Rule::Duplicate,
        Rule::Conflict,
        Rule::LeadAssignment,
        Rule::AutoApprove,
        Rule::Budget,
    ];
    let rejected_by_rule = rules
        .into_iter()
        .map(|rule| RuleCount {
            rule,
            title: rule.title(),
            count: run
                .verdicts
                .iter()
                .filter(|v| v.outcome == Outcome::Rejected && v.first_failure == Some(rule))
                .count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let left = p.incentive_budget - run.committed;
    // Only the side's approvals carry an incentive.
    let (_, runs_out) = burn(run.state.iter(), left, as_of);
    Side {
        approved: count(Outcome::Approved),
        in_review: count(Outcome::InReview),
        rejected: count(Outcome::Rejected),
        rejected_by_rule,
        conflicts: run.conflicts.iter().filter(|c| **c).count(),
        expired: run.state.iter().filter(|r| r.status == Status::Expired).count(),
        protected_pipeline: cents(
            run.state
                .iter()
                .filter(|r| r.held_at(as_of))
                .map(|r| p.convert(r.value, &r.currency).unwrap_or(0.0))
                .sum(),
        ),
        incentive_cost: cents(run.committed),
        budget_left: cents(left),
        budget_runs_out_on: runs_out,
    }
}
