//! Closed-loop reports: pure functions of a workspace and an "as of" time.
//! The pipeline by stage with a forecast by month of expected close; how
//! registrations were decided; each partner's effectiveness; each campaign's
//! return, followed through the lead and campaign ids a converted lead
//! leaves on its registration; incentives against the revenue they came
//! with; and the incentive budget, with the day it runs out at the current
//! rate. Amounts are in the programme currency.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::charts::{bars, Bar};
use crate::conflict::count_conflicts;
use crate::conflict::sort::sort_by;
use crate::error::Error;
use crate::leads::{LeadStatus, OfferState};
use crate::programme::Programme;
use crate::registration::{Registration, Stage, Status};
use crate::workspace::Workspace;

/// Days of approvals the funding report's rate is measured over.
pub const RATE_WINDOW_DAYS: i64 = 90;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub as_of: DateTime<Utc>,
    pub currency: String,
    pub pipeline: Pipeline,
    pub registrations: RegistrationReport,
    pub partners: Vec<PartnerRow>,
    pub campaigns: Vec<CampaignRow>,
    pub incentives: Incentives,
    pub funding: Funding,
    /// The fair-pricing audit: every discount granted, and the partners whose
    /// discounts differ from their tier's without a recorded reason.
    pub pricing: crate::pricing::PricingAudit,
    /// The charts, as SVG text (see [`crate::charts`]); each has a table above.
    pub charts: Charts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Charts {
    /// Open pipeline value by stage, in stage order: the funnel.
    pub funnel: String,
    /// Weighted value by month of expected close.
    pub forecast: String,
    /// Won revenue by partner, highest first.
    pub leaderboard: String,
    /// Return on each campaign's cost.
    pub campaigns: String,
}

/// Open registrations (submitted, in review, approved or extended).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    pub open: usize,
    pub value: f64,
    pub weighted: f64,
    /// Every stage, in order, even when empty.
    pub by_stage: Vec<StageRow>,
    /// By month of expected close (`2027-01`), in order.
    pub forecast: Vec<MonthRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageRow {
    pub stage: Stage,
    pub count: usize,
    pub value: f64,
    /// The programme's win probability of the stage.
    pub probability: f64,
    pub weighted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthRow {
    pub month: String,
    pub count: usize,
    pub value: f64,
    pub weighted: f64,
}

/// Registrations the vendor received, and what became of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationReport {
    pub received: usize,
    pub approved: usize,
    pub rejected: usize,
    pub pending: usize,
    /// approved / (approved + rejected), or none before any decision.
    pub approval_rate: Option<f64>,
    /// From receipt to the vendor's decision, in days (to a tenth).
    pub median_days_to_decision: Option<f64>,
    /// Decided after the review SLA, or still waiting past it.
    pub sla_breaches: usize,
    /// Cross-partner conflicts standing as of the report: customers, and pairs.
    pub conflict_customers: usize,
    pub conflict_pairs: usize,
    pub expired: usize,
    /// Extensions granted, and requests waiting.
    pub extensions: u32,
    pub extension_requests: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerRow {
    pub partner_id: String,
    pub name: String,
    pub tier: String,
    pub registrations: usize,
    pub won: usize,
    pub lost: usize,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    pub revenue: f64,
    pub average_deal: Option<f64>,
    /// Median days from receipt to a win.
    pub median_days_to_close: Option<f64>,
    /// Leads offered to it (held now, or declined or let lapse), accepted, and converted.
    pub leads_offered: usize,
    pub leads_accepted: usize,
    pub leads_converted: usize,
    /// accepted / offered, converted / accepted.
    pub acceptance_rate: Option<f64>,
    pub conversion_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignRow {
    pub campaign_id: String,
    pub name: String,
    pub cost: f64,
    pub leads: usize,
    /// Leads qualified or converted.
    pub qualified: usize,
    /// Registrations that carry the campaign.
    pub opportunities: usize,
    pub won: usize,
    pub revenue: f64,
    /// (revenue − cost) / cost; none for a campaign that cost nothing.
    pub roi: Option<f64>,
}

/// Incentives committed (approved, extended or won registrations) and paid
/// (won ones), against the revenue of the registrations they were paid on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incentives {
    pub by_tier: Vec<IncentiveRow>,
    /// Rebates and bounties, each registration's incentive split as its tier
    /// splits it, and the special prices in force.
    pub by_kind: Vec<IncentiveRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncentiveRow {
    /// A tier's id, or `rebate` / `bounty`.
    pub key: String,
    pub name: String,
    pub committed: f64,
    pub paid: f64,
    /// Revenue of the won registrations the paid incentives came with.
    pub revenue: f64,
    /// Revenue per unit of incentive paid.
    pub return_per_unit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Funding {
    /// None where the desk knows no budget (a vendor's without one).
    pub budget: Option<f64>,
    pub committed: f64,
    pub paid: f64,
    pub left: Option<f64>,
    /// Committed per day by the approvals received in the last 90 days.
    pub rate_per_day: f64,
    /// When what is left runs out at that rate; none if nothing is being committed.
    pub runs_out_on: Option<NaiveDate>,
}

/// What approved registrations received in the last 90 days committed per
/// day, and the day `left` runs out at that rate: today if nothing is left,
/// none if nothing is being committed, there is no budget, or the day is
/// past the calendar. Also the sandbox's.
pub(crate) fn burn<'a>(
    approved: impl Iterator<Item = &'a Registration>,
    left: Option<f64>,
    as_of: DateTime<Utc>,
) -> (f64, Option<NaiveDate>) {
    let since = as_of - Duration::days(RATE_WINDOW_DAYS);
    let recent: f64 =
        approved.filter(|r| r.received_at.is_some_and(|t| t > since)).filter_map(|r| r.incentive).sum();
    let rate = recent / RATE_WINDOW_DAYS as f64;
    let day = as_of.date_naive();
    let runs_out = match left {
        Some(left) if left <= 0.0 => Some(day),
        // A large budget spent by the cent runs out after chrono's last day (year 262,143).
        Some(left) if rate > 0.0 => Duration::try_days((left / rate).ceil().min(1e9) as i64)
            .and_then(|days| day.checked_add_signed(days)),
        _ => None,
    };
    (rate, runs_out)
}

/// To the cent: amounts are shown to people and compared in tests. Adding
/// zero turns the -0 that an empty float sum starts from into 0 ("-€0").
pub(crate) fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// To a thousandth: rates and ratios.
fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 1000.0).round() / 1000.0)
}

/// The median of `days`, to a tenth of a day.
fn median(mut days: Vec<f64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    sort_by(&mut days, |a, b| a < b);
    let mid = days.len() / 2;
    let m = if days.len() % 2 == 1 { days[mid] } else { (days[mid - 1] + days[mid]) / 2.0 };
    Some((m * 10.0).round() / 10.0)
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

/// Ever approved: what approval committed stays in the record's history.
fn was_approved(r: &Registration) -> bool {
    r.decision.as_ref().is_some_and(|d| d.status == Status::Approved)
        || matches!(
            r.status,
            Status::Approved | Status::Extended | Status::Won | Status::Lost | Status::Expired
        )
}

/// The registration's value in the programme currency (0 without a rate).
fn value(p: &Programme, r: &Registration) -> f64 {
    p.convert(r.value, &r.currency).unwrap_or(0.0)
}

/// The reports of a workspace as of a time. Registrations received after
/// `as_of` are left out, so a report of the past reads as it would have.
pub fn build_report(workspace: &Workspace, as_of: DateTime<Utc>) -> Result<Report, Error> {
    let p = workspace.programme_or_refuse()?;
    let received: Vec<&Registration> =
        workspace.registrations.iter().filter(|r| r.received_at.is_some_and(|t| t <= as_of)).collect();
    let pipeline = pipeline(p, &received);
    let partners = partners(p, workspace, &received);
    let campaigns = campaigns(p, workspace, &received);
    let charts = charts(p, &pipeline, &partners, &campaigns);
    Ok(Report {
        as_of,
        currency: p.currency.clone(),
        pipeline,
        registrations: registration_report(p, workspace, &received, as_of),
        partners,
        campaigns,
        incentives: incentives(p, &received, as_of),
        pricing: crate::pricing::audit(workspace, p, as_of),
        funding: funding(p, &received, as_of),
        charts,
    })
}

fn charts(p: &Programme, pipeline: &Pipeline, partners: &[PartnerRow], campaigns: &[CampaignRow]) -> Charts {
    let money = |v: f64| crate::decision::money(v.round(), &p.currency);
    let bar = |label: &str, value: f64, text: String| Bar { label: label.to_string(), value, text };
    let funnel: Vec<Bar> = pipeline
        .by_stage
        .iter()
        .map(|s| bar(s.stage.as_str(), s.value, format!("{} ({})", money(s.value), s.count)))
        .collect();
    let forecast: Vec<Bar> =
        pipeline.forecast.iter().map(|m| bar(&m.month, m.weighted, money(m.weighted))).collect();
    let mut ranked: Vec<&PartnerRow> = partners.iter().collect();
    sort_by(&mut ranked, |a, b| a.revenue > b.revenue);
    let leaderboard: Vec<Bar> = ranked.iter().map(|r| bar(&r.name, r.revenue, money(r.revenue))).collect();
    let returns: Vec<Bar> = campaigns
        .iter()
        .filter_map(|c| c.roi.map(|roi| bar(&c.name, roi, format!("{:+.0}%", roi * 100.0))))
        .collect();
    Charts {
        funnel: bars(
            "chart-funnel",
            "Open pipeline by stage",
            "The value of open registrations at each stage, in stage order.",
            &funnel,
        ),
        forecast: bars(
            "chart-forecast",
            "Weighted forecast by month",
            "Open value by month of expected close, times the stage's win probability.",
            &forecast,
        ),
        leaderboard: bars(
            "chart-leaderboard",
            "Partner leaderboard",
            "Won revenue by partner, highest first.",
            &leaderboard,
        ),
        campaigns: bars(
            "chart-campaigns",
            "Campaign return",
            "Won revenue minus cost, as a share of cost, by campaign.",
            &returns,
        ),
    }
}

fn pipeline(p: &Programme, received: &[&Registration]) -> Pipeline {
    let open: Vec<&&Registration> = received.iter().filter(|r| r.status.is_open()).collect();
    let probability = |s: Stage| p.stage_probabilities.get(&s).copied().unwrap_or(0.0);
    let by_stage: Vec<StageRow> = Stage::ALL
        .into_iter()
        .map(|stage| {
            let mine: Vec<f64> = open.iter().filter(|r| r.stage == stage).map(|r| value(p, r)).collect();
            let total: f64 = mine.iter().sum();
            StageRow {
                stage,
                count: mine.len(),
                value: cents(total),
                probability: probability(stage),
                weighted: cents(total * probability(stage)),
            }
        })
        .collect();
    let mut forecast: Vec<MonthRow> = Vec::new();
    for r in &open {
        // Not chrono's `format`: its format-string interpreter costs the module 4.9 KB gzipped.
        let month = format!("{:04}-{:02}", r.expected_close.year(), r.expected_close.month());
        let v = value(p, r);
        let at = match forecast.iter().position(|m| m.month == month) {
            Some(at) => at,
            None => {
                forecast.push(MonthRow { month, count: 0, value: 0.0, weighted: 0.0 });
                forecast.len() - 1
            }
        };
        let row = &mut forecast[at];
        row.count += 1;
        row.value += v;
        row.weighted += v * probability(r.stage);
    }
    sort_by(&mut forecast, |a, b| a.month < b.month);
    for row in &mut forecast {
        row.value = cents(row.value);
        row.weighted = cents(row.weighted);
    }
    Pipeline {
        open: open.len(),
        value: cents(open.iter().map(|r| value(p, r)).sum()),
        weighted: cents(by_stage.iter().map(|s| s.weighted).sum()),
        by_stage,
        forecast,
    }
}

fn registration_report(
    p: &Programme,
    workspace: &Workspace,
    received: &[&Registration],
    as_of: DateTime<Utc>,
) -> RegistrationReport {
    let decided_at =
        |r: &Registration| r.decision.as_ref().filter(|d| d.at <= as_of).map(|d| (d.status, d.at));
    let approved = received.iter().filter(|r| was_approved(r)).count();
    let rejected = received.iter().filter(|r| r.status == Status::Rejected).count();
    let pending = received.iter().filter(|r| r.is_pending()).count();
    let days: Vec<f64> =
        received.iter().filter_map(|r| Some(days_between(r.received_at?, decided_at(r)?.1))).collect();
    let due =
        |r: &Registration| r.received_at.map(|t| p.approval.review_due(t.date_naive(), &r.customer.country));
    let sla_breaches = received
        .iter()
        .filter(|r| match (due(r), decided_at(r)) {
            (Some(due), Some((_, at))) => at.date_naive() > due,
            (Some(due), None) => r.is_pending() && as_of.date_naive() > due,
            _ => false,
        })
        .count();
    let (conflict_customers, conflict_pairs) = count_conflicts(p, &workspace.registrations, as_of);
    RegistrationReport {
        received: received.len(),
        approved,
        rejected,
        pending,
        approval_rate: ratio(approved, approved + rejected),
        median_days_to_decision: median(days),
        sla_breaches,
        conflict_customers,
        conflict_pairs,
        expired: received.iter().filter(|r| r.status == Status::Expired).count(),
        extensions: received.iter().map(|r| r.extensions_used).sum(),
        extension_requests: received.iter().filter(|r| r.extension_requested).count(),
    }
}

fn partners(p: &Programme, workspace: &Workspace, received: &[&Registration]) -> Vec<PartnerRow> {
    p.partners
        .iter()
        .map(|partner| {
            let mine: Vec<&&Registration> = received.iter().filter(|r| r.partner_id == partner.id).collect();
            let won: Vec<&&&Registration> = mine.iter().filter(|r| r.status == Status::Won).collect();
            let lost = mine.iter().filter(|r| r.status == Status::Lost).count();
            let revenue: f64 = won.iter().map(|r| value(p, r)).sum();
            let closes: Vec<f64> =
                won.iter().filter_map(|r| Some(days_between(r.received_at?, r.closed_at?))).collect();
            let held = |l: &&crate::leads::Lead| l.assigned_to.as_deref() == Some(partner.id.as_str());
            let offered =
                workspace.leads.iter().filter(|l| held(l) || l.declined_by.contains(&partner.id)).count();
            let accepted: Vec<_> = workspace
                .leads
                .iter()
                .filter(|l| held(l) && l.offer_state() == Some(OfferState::Accepted))
                .collect();
            let converted = accepted.iter().filter(|l| l.status == LeadStatus::Converted).count();
            PartnerRow {
                partner_id: partner.id.clone(),
                name: partner.name.clone(),
                tier: partner.tier.clone(),
                registrations: mine.len(),
                won: won.len(),
                lost,
                win_rate: ratio(won.len(), won.len() + lost),
                revenue: cents(revenue),
                average_deal: (!won.is_empty()).then(|| cents(revenue / won.len() as f64)),
                median_days_to_close: median(closes),
                leads_offered: offered,
                leads_accepted: accepted.len(),
                leads_converted: converted,
                acceptance_rate: ratio(accepted.len(), offered),
                conversion_rate: ratio(converted, accepted.len()),
            }
        })
        .collect()
}

fn campaigns(p: &Programme, workspace: &Workspace, received: &[&Registration]) -> Vec<CampaignRow> {
    workspace
        .campaigns
        .iter()
        .map(|c| {
            let leads: Vec<_> = workspace.leads.iter().filter(|l| l.campaign_id == c.id).collect();
            let qualified = leads
                .iter()
                .filter(|l| matches!(l.status, LeadStatus::Qualified | LeadStatus::Converted))
                .count();
            let opportunities: Vec<&&Registration> =
                received.iter().filter(|r| r.campaign_id.as_deref() == Some(c.id.as_str())).collect();
            let won: Vec<_> = opportunities.iter().filter(|r| r.status == Status::Won).collect();
            let revenue: f64 = won.iter().map(|r| value(p, r)).sum();
            let cost = p.convert(c.cost, &c.currency).unwrap_or(c.cost);
            CampaignRow {
                campaign_id: c.id.clone(),
                name: c.name.clone(),
                cost: cents(cost),
                leads: leads.len(),
                qualified,
                opportunities: opportunities.len(),
                won: won.len(),
                revenue: cents(revenue),
                roi: (cost > 0.0).then(|| ((revenue - cost) / cost * 1000.0).round() / 1000.0),
            }
        })
        .collect()
}

fn incentive_row(key: &str, name: &str, committed: f64, paid: f64, revenue: f64) -> IncentiveRow {
    IncentiveRow {
        key: key.to_string(),
        name: name.to_string(),
        committed: cents(committed),
        paid: cents(paid),
        revenue: cents(revenue),
        return_per_unit: (paid > 0.0).then(|| (revenue / paid * 100.0).round() / 100.0),
    }
}

fn committing(r: &Registration) -> bool {
    matches!(r.status, Status::Approved | Status::Extended | Status::Won)
}

fn incentives(p: &Programme, received: &[&Registration], as_of: DateTime<Utc>) -> Incentives {
    let tier_of = |r: &Registration| p.partner(&r.partner_id).and_then(|x| p.tier(&x.tier));
    let by_tier = p
        .tiers
        .iter()
        .map(|t| {
            let mine: Vec<&&Registration> =
                received.iter().filter(|r| tier_of(r).is_some_and(|x| x.id == t.id)).collect();
            let committed: f64 = mine.iter().map(|r| r.commitment(as_of)).sum();
            let won: Vec<_> = mine.iter().filter(|r| r.status == Status::Won).collect();
            let paid: f64 = won.iter().map(|r| r.commitment(as_of)).sum();
            let revenue: f64 = won.iter().filter(|r| r.incentive.is_some()).map(|r| value(p, r)).sum();
            incentive_row(&t.id, &t.name, committed, paid, revenue)
        })
        .collect();
    // Each incentive split between rebate and bounty as its tier's terms split it.
    let (mut rebate, mut bounty) = ([0.0; 3], [0.0; 3]);
    for r in received.iter().filter(|r| committing(r)) {
        let (Some(total), Some(tier)) = (r.incentive, tier_of(r)) else { continue };
        let rebate_terms = value(p, r) * tier.rebate_percent / 100.0;
        let terms = rebate_terms + tier.bounty;
        let share = if terms > 0.0 { rebate_terms / terms } else { 0.0 };
        let won = r.status == Status::Won;
        for (sums, part) in [(&mut rebate, total * share), (&mut bounty, total * (1.0 - share))] {
            sums[0] += part;
            if won {
                sums[1] += part;
                sums[2] += value(p, r);
            }
        }
    }
    let mut special = [0.0; 3];
    for r in received {
        let cost: f64 =
            r.requests.iter().filter(|q| q.special_price_at(r, as_of)).filter_map(|q| q.cost).sum();
        special[0] += cost;
        if r.status == Status::Won && cost > 0.0 {
            special[1] += cost;
            special[2] += value(p, r);
        }
    }
    let by_kind = vec![
        incentive_row("rebate", "Rebates", rebate[0], rebate[1], rebate[2]),
        incentive_row("bounty", "Bounties", bounty[0], bounty[1], bounty[2]),
        incentive_row("specialPrice", "Special prices", special[0], special[1], special[2]),
    ];
    Incentives { by_tier, by_kind }
}

fn funding(p: &Programme, received: &[&Registration], as_of: DateTime<Utc>) -> Funding {
    // Incentives and the special prices in force.
    let committed: f64 = received.iter().map(|r| r.commitment(as_of)).sum();
    let paid: f64 = received.iter().filter(|r| r.status == Status::Won).map(|r| r.commitment(as_of)).sum();
    let left = p.incentive_budget.map(|budget| budget - committed);
    let approved = received.iter().copied().filter(|r| was_approved(r));
    let (rate, runs_out_on) = burn(approved, left, as_of);
    Funding {
        budget: p.incentive_budget,
        committed: cents(committed),
        paid: cents(paid),
        left: left.map(cents),
        rate_per_day: cents(rate),
        runs_out_on,
    }
}
