//! The programme sandbox: every registration re-run, in vendor receipt
//! order, under two programmes (A, the current one, and B, an edited copy)
//! on a copy of the data, with the same rules as a real desk. Each side's
//! approvals, rejections by rule, conflicts, expiries, protected pipeline,
//! incentive cost and budget; the partners most affected; and every
//! registration whose outcome differs, with both explanations. A data set is
//! prepared once ([`Prepared`]) for someone trying one change after another.
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

use rustc_hash::{FxHashMap, FxHashSet};

use crate::charts::{bars as bars_chart, Bar};
use crate::conflict::bound::Sketch;
use crate::conflict::index::CustomerIndex;
use crate::conflict::sort::sort_by;
use crate::conflict::{named_account_profiles, profiles_of, FuzzyMatcher, Profile, Verdict as Likeness};
use crate::decision::{evaluate_among, Check, Others, Outcome, Rule};
use crate::exchange;
use crate::programme::{PartnerStatus, Programme};
use crate::registration::{Registration, Status};
use crate::reports::{burn, cents};
use crate::workspace::{self, Dataset, Workspace};
use crate::Error;

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
    /// None where the desk knows no budget (a partner's).
    pub budget_left: Option<f64>,
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
    /// Every rule's finding in a sentence; `None` until asked for
    /// ([`Prepared::simulate_explaining`], [`Prepared::explain`]).
    pub summary: Option<String>,
}

/// What one run gives for each registration, and the records it leaves.
struct Run {
    /// Each registration's outcome and the rule behind it, in receipt order.
    decided: Vec<(Outcome, Option<Rule>)>,
    conflicts: Vec<bool>,
    state: Vec<Registration>,
    committed: f64,
    /// The budget committed when each registration arrived, to explain it again.
    committed_at: Vec<f64>,
    matcher: FuzzyMatcher,
    named: Vec<Vec<Profile>>,
    masks: Option<Vec<u64>>,
}

/// What both sides see: the registrations in receipt order, their customers
/// indexed, and each one's candidates from the index. A customer's
/// candidates depend only on its keys, made of its name's words and its
/// domains, and the same names come back again and again: each list is made
/// once, for the first customer keyed alike ([`CustomerIndex::keyed_like`]),
/// and holds every position; a registration reads the part before its own.
struct Shared {
    /// The registrations received by the simulation's date, in receipt order.
    order: Vec<Registration>,
    index: CustomerIndex,
    /// Each registration's id and partner, as numbers: equal numbers, equal ids.
    ids: Vec<u32>,
    partners: Vec<u32>,
    /// Each registration's list, as a number.
    list: Vec<u32>,
    /// List `k` is `positions[starts[k]..starts[k + 1]]`, ascending.
    starts: Vec<u32>,
    positions: Vec<u32>,
    /// Where each registration's earlier candidates begin among all registrations' (a prefix sum).
    slots: Vec<u32>,
    /// Words too common among these customers to suggest one group of companies.
    common: FxHashSet<String>,
}

impl Shared {
    fn new(order: Vec<Registration>) -> Shared {
        let profiles = profiles_of(order.iter().map(|r| &r.customer));
        let index = CustomerIndex::new(profiles);
        // List numbers by the first profile keyed alike.
        let mut lists = vec![u32::MAX; order.len()];
        let (mut starts, mut positions) = (vec![0u32], Vec::new());
        let list: Vec<u32> = (0..order.len())
            .map(|i| {
                let like = index.keyed_like(i);
                if lists[like] == u32::MAX {
                    lists[like] = starts.len() as u32 - 1;
                    positions.extend(index.candidates_of(like).into_iter().map(|j| j as u32));
                    starts.push(positions.len() as u32);
                }
                lists[like]
            })
            .collect();
        let mut slots = Vec::with_capacity(order.len() + 1);
        slots.push(0u32);
        for (i, &k) in list.iter().enumerate() {
            let before = positions[starts[k as usize] as usize..starts[k as usize + 1] as usize]
                .partition_point(|&j| (j as usize) < i);
            slots.push(slots[i] + before as u32);
        }
        let ids = crate::conflict::numbered(order.iter().map(|r| r.id.as_str()));
        let partners = crate::conflict::numbered(order.iter().map(|r| r.partner_id.as_str()));
        let common = index.common_words();
        Shared { order, index, ids, partners, list, starts, positions, slots, common }
    }

    /// The positions before `i` that may hold its customer, ascending.
    fn earlier(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let k = self.list[i] as usize;
        let list = &self.positions[self.starts[k] as usize..self.starts[k + 1] as usize];
        list.iter().map(|&j| j as usize).take_while(move |&j| j < i)
    }
}

/// Re-runs every registration received by `as_of` under `a` and under `b`.
/// Both sides see the same customers: the index is built once.
pub fn simulate(
    a: &Programme,
    b: &Programme,
    registrations: &[Registration],
    as_of: DateTime<Utc>,
) -> Simulation {
    Prepared::new(registrations.to_vec(), as_of).simulate(a, b)
}

/// What the sandbox reads from a file: its registrations, and the programme
/// a backup brings (a data set brings none: it is tried under the desk's).
#[derive(Debug)]
pub struct Data {
    pub programme: Option<Programme>,
    pub registrations: Vec<Registration>,
}

/// A backup (read and checked whole, as restoring it would) or a data set
/// file, from its text: the page hands the text over as it is, so that 100,000
/// registrations are read once, not parsed in JS and handed over again.
pub fn read_data(text: &str) -> Result<Data, Error> {
    let (backup, dataset) = (workspace::KIND, workspace::DATASET_KIND);
    let kind = exchange::check_kinds(text, "backup or data set", &[backup, dataset])?;
    if kind.format == dataset.format {
        let dataset: Dataset = exchange::read_value(text, dataset.what)?;
        return Ok(Data { programme: None, registrations: dataset.registrations });
    }
    let backup = Workspace::validated(exchange::read_value(text, backup.what)?, backup.what)?;
    if backup.programme.is_none() {
        return Err(Error::Refused("the backup holds no programme to try changes to".into()));
    }
    Ok(Data { programme: backup.programme, registrations: backup.registrations })
}

/// A data set made ready for the sandbox, for someone trying one change
/// after another on it: its registrations received by `as_of`, in receipt
/// order, with their customers indexed and each one's candidates listed
/// (none of which depends on the programmes); the name signals measured so
/// far (nor does that); and the last run of side A, kept while A stays the
/// same, as it does while B is edited. Over 100,000 registrations the
/// preparation is about a third of a first run, and side A most of the rest.
pub struct Prepared {
    shared: Shared,
    as_of: DateTime<Utc>,
    names: FxHashMap<(u32, u32), f64>,
    /// Side A's programme and run, with its verdict on each pair it compared (by slot).
    last_a: Option<(Programme, Run, Vec<Option<Likeness>>)>,
    /// Side B's programme and run, and the positions decided otherwise, to explain them later.
    last_b: Option<(Programme, Run, Vec<usize>)>,
}

impl Prepared {
    pub fn new(mut registrations: Vec<Registration>, as_of: DateTime<Utc>) -> Prepared {
        registrations.retain(|r| r.received_at.is_some_and(|t| t <= as_of));
        sort_by(&mut registrations, |x, y| (x.received_at, &x.id) < (y.received_at, &y.id));
        let shared = Shared::new(registrations);
        Prepared { shared, as_of, names: FxHashMap::default(), last_a: None, last_b: None }
    }

    /// The date the registrations are taken and judged as of.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    /// How many registrations are run.
    pub fn len(&self) -> usize {
        self.shared.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shared.order.is_empty()
    }

    /// [`simulate`] on the prepared registrations.
    pub fn simulate(&mut self, a: &Programme, b: &Programme) -> Simulation {
        self.simulate_checked(a, b, usize::MAX, false)
    }

    /// [`Prepared::simulate`], with the summaries of only the first `explain`
    /// differences: a change can decide tens of thousands otherwise, and
    /// explaining one under both programmes costs as much as deciding a
    /// hundred. [`Prepared::explain`] gives the others when they are wanted.
    pub fn simulate_explaining(&mut self, a: &Programme, b: &Programme, explain: usize) -> Simulation {
        self.simulate_checked(a, b, explain, false)
    }

    /// The differences `from..to` of the last simulation, explained; `None`
    /// before any.
    pub fn explain(&self, from: usize, to: usize) -> Option<Vec<Difference>> {
        let ((a, run_a, _), (b, run_b, differing)) = (self.last_a.as_ref()?, self.last_b.as_ref()?);
        let range = from.min(differing.len())..to.min(differing.len());
        Some(
            differing[range]
                .iter()
                .map(|&i| difference(&self.shared, [(a, run_a), (b, run_b)], i, true))
                .collect(),
        )
    }

    /// [`Prepared::simulate_explaining`]; with `check` (in tests), every
    /// registration is also evaluated by [`evaluate_among`] on the same
    /// records, which must decide as [`Judge::decide`] did.
    fn simulate_checked(&mut self, a: &Programme, b: &Programme, explain: usize, check: bool) -> Simulation {
        let (kept_a, run_a, pairs) = self.side_a(a, check);
        let (shared, as_of) = (&self.shared, self.as_of);
        // Side B reads side A's verdict on each pair when both match customers alike.
        let b_matcher = FuzzyMatcher { common: shared.common.clone(), ..FuzzyMatcher::for_programme(b) };
        let reading = same_matching(&run_a.matcher, &b_matcher);
        let mut memo = Memo { names: std::mem::take(&mut self.names), pairs, reading, writing: false };
        let run_b = run(b, shared, &mut memo, as_of, check);
        let order = &shared.order;

        let differing: Vec<usize> =
            (0..order.len()).filter(|&i| run_a.decided[i].0 != run_b.decided[i].0).collect();
        let differences = differing
            .iter()
            .enumerate()
            .map(|(k, &i)| difference(shared, [(a, &run_a), (b, &run_b)], i, k < explain))
            .collect();
        let partners = partner_shifts(a, &run_a.state, &run_b.state);
        let tally = |p, run: &Run| side(p, &run.decided, &run.conflicts, &run.state, run.committed, as_of);
        let (side_a, side_b) = (tally(a, &run_a), tally(b, &run_b));
        let chart = comparison(&side_a, &side_b);
        let simulation = Simulation {
            as_of,
            registrations: order.len(),
            currency: a.currency.clone(),
            a: side_a,
            b: side_b,
            partners,
            differences,
            chart,
        };
        self.names = memo.names;
        self.last_a = Some((kept_a, run_a, memo.pairs));
        self.last_b = Some((b.clone(), run_b, differing));
        simulation
    }

    /// Decides every registration under `a` now and keeps it, so that the
    /// next [`Prepared::simulate`] with that A decides only B: the page does
    /// it while the data is being prepared, and each run is then one side.
    pub fn keep_side_a(&mut self, a: &Programme) {
        self.last_a = Some(self.side_a(a, false));
    }

    /// Side A under `a`, its run and its verdict on each pair (by slot): the
    /// one kept if it was under `a` (and not checking), else decided now.
    fn side_a(&mut self, a: &Programme, check: bool) -> (Programme, Run, Vec<Option<Likeness>>) {
        match self.last_a.take() {
            Some(kept) if kept.0 == *a && !check => kept,
            _ => {
                let slots = self.shared.slots[self.shared.order.len()] as usize;
                let mut memo = Memo {
                    names: std::mem::take(&mut self.names),
                    pairs: vec![UNKNOWN; slots],
                    reading: false,
                    writing: true,
                };
                let run = run(a, &self.shared, &mut memo, self.as_of, check);
                self.names = memo.names;
                (a.clone(), run, memo.pairs)
            }
        }
    }
}

/// Registration `i` as both sides decided it, explained or not.
fn difference(shared: &Shared, sides: [(&Programme, &Run); 2], i: usize, explained: bool) -> Difference {
    let r = &shared.order[i];
    let [a, b] = sides.map(|(p, run)| match explained {
        true => explain(p, run, shared, i),
        false => Verdict { outcome: run.decided[i].0, first_failure: run.decided[i].1, summary: None },
    });
    Difference {
        registration_id: r.id.clone(),
        partner_id: r.partner_id.clone(),
        customer: r.customer.name.clone(),
        value: r.value,
        received_at: r.received_at.expect("received"),
        a,
        b,
    }
}

/// The partners whose approvals or incentives differ between the records
/// each side left, the most changed first.
fn partner_shifts(a: &Programme, state_a: &[Registration], state_b: &[Registration]) -> Vec<PartnerShift> {
    let mut partners: Vec<PartnerShift> = a
        .partners
        .iter()
        .map(|p| {
            let side = |state: &[Registration]| {
                let mine = state.iter().filter(|r| r.partner_id == p.id);
                let approved: Vec<&Registration> = mine.filter(|r| r.incentive.is_some()).collect();
                (approved.len(), cents(approved.iter().filter_map(|r| r.incentive).sum()))
            };
            let ((approved_a, incentive_a), (approved_b, incentive_b)) = (side(state_a), side(state_b));
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
    partners
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

/// A registration as it arrives: submitted, nothing decided yet.
fn arriving(r: &Registration) -> Registration {
    Registration {
        status: Status::Submitted,
        decision: None,
        protected_until: None,
        incentive: None,
        closed_at: None,
        extension_requested: false,
        requests: Vec::new(),
        terms: None,
        ..r.clone()
    }
}

fn run(p: &Programme, shared: &Shared, memo: &mut Memo, as_of: DateTime<Utc>, check: bool) -> Run {
    let order = &shared.order;
    let matcher = FuzzyMatcher { common: shared.common.clone(), ..FuzzyMatcher::for_programme(p) };
    let named: Vec<Vec<Profile>> = p.named_accounts.iter().map(named_account_profiles).collect();
    let masks: Option<Vec<u64>> = order.iter().map(|r| p.line_mask(&r.products)).collect();
    let mut state: Vec<Registration> = order.iter().map(arriving).collect();
    let mut decided = Vec::with_capacity(order.len());
    let mut conflicts = Vec::with_capacity(order.len());
    let mut committed_at = Vec::with_capacity(order.len());
    let mut standing = vec![Standing::default(); order.len()];
    let judge = Judge {
        p,
        matcher: &matcher,
        named: named.iter().flatten().map(|n| (n, Sketch::of(n))).collect(),
        shared,
        masks: masks.as_deref(),
    };
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
        committed_at.push(committed);
        let decision = judge.decide(&state, &standing, i, received, committed, memo);
        if cfg!(test) && check {
            let nearby: Vec<usize> = shared.earlier(i).collect();
            let others = Others {
                registrations: &state,
                known: Some(shared.index.known()),
                nearby: Some(&nearby),
                committed: Some(committed),
                named: Some(&named),
                line_masks: masks.as_deref(),
                leads: &[],
                lead_known: None,
            };
            let full = evaluate_among(p, &others, &state[i], received, &matcher);
            let incentive = full.incentive.as_ref().map(|x| x.cost);
            assert_eq!(
                (full.outcome, full.first_failure, incentive, !full.conflicts.is_empty()),
                (decision.outcome, decision.first_failure, decision.incentive, decision.conflicts),
                "{} decided otherwise than evaluated: {}",
                state[i].id,
                full.summary
            );
        }
        conflicts.push(decision.conflicts);
        let r = &mut state[i];
        match decision.outcome {
            Outcome::Rejected => {
                r.status = Status::Rejected;
                r.closed_at = Some(received);
            }
            Outcome::InReview => {
                r.status = Status::InReview;
                standing[i].pending = true;
            }
            Outcome::Approved => {
                let real = &order[i];
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
                standing[i] = Standing { pending: false, until: Some(until), closed: r.closed_at };
                r.extensions_used = extensions;
                r.incentive = decision.incentive;
                committed += r.incentive.unwrap_or(0.0);
                if let (Some(closed), Status::Lost | Status::Withdrawn | Status::Expired) =
                    (r.closed_at, r.status)
                {
                    releases.push(Reverse((closed, i)));
                }
            }
        }
        decided.push((decision.outcome, decision.first_failure));
    }
    // What is released by the end.
    for Reverse((at, j)) in releases.into_iter() {
        if at <= as_of {
            committed -= state[j].incentive.unwrap_or(0.0);
        }
    }
    Run { decided, conflicts, state, committed, committed_at, matcher, named, masks }
}

/// A registration's verdict with its explanation: [`evaluate_among`] again,
/// on the records as they stood when it arrived (those before it are decided
/// by then and never change after). Only the registrations whose outcome
/// differs are explained: writing every rule's text for all of them was most
/// of the sandbox's time.
fn explain(p: &Programme, run: &Run, shared: &Shared, i: usize) -> Verdict {
    let nearby: Vec<usize> = shared.earlier(i).collect();
    let others = Others {
        registrations: &run.state,
        known: Some(shared.index.known()),
        nearby: Some(&nearby),
        committed: Some(run.committed_at[i]),
        named: Some(&run.named),
        line_masks: run.masks.as_deref(),
        // Leads stand as they are now, not as they were then: not replayed.
        leads: &[],
        lead_known: None,
    };
    let real = &shared.order[i];
    let received = real.received_at.expect("received");
    let decision = evaluate_among(p, &others, &arriving(real), received, &run.matcher);
    debug_assert_eq!((decision.outcome, decision.first_failure), run.decided[i]);
    Verdict {
        outcome: decision.outcome,
        first_failure: decision.first_failure,
        summary: Some(decision.summary),
    }
}

/// Whether a decided registration held its customer or awaited a decision,
/// read for millions of pairs: kept apart from the records, small. The
/// sandbox approves a registration with its protection end and maybe a
/// close, so it held the customer on the days to `until` before `closed`
/// ([`Registration::held_at`]); a rejected one never held it, and one in
/// review awaits a decision.
#[derive(Debug, Clone, Copy, Default)]
struct Standing {
    pending: bool,
    until: Option<NaiveDate>,
    closed: Option<DateTime<Utc>>,
}

impl Standing {
    fn held_at(&self, at: DateTime<Utc>, day: NaiveDate) -> bool {
        self.until.is_some_and(|until| day <= until) && self.closed.is_none_or(|closed| at < closed)
    }
}

/// What [`evaluate_among`] decides, without the texts.
#[derive(Debug)]
struct Decided {
    outcome: Outcome,
    first_failure: Option<Rule>,
    /// The incentive's cost, unless rejected.
    incentive: Option<f64>,
    /// Another partner's registration of the customer was found.
    conflicts: bool,
}

/// One programme's rules as the sandbox applies them to each registration in
/// turn: the rules of [`evaluate_among`], in its order and with its numbers,
/// deciding without writing what each rule found. The tests hold the two to
/// the same outcome, rule, incentive and conflicts for every registration.
struct Judge<'a> {
    p: &'a Programme,
    matcher: &'a FuzzyMatcher,
    /// Every named account's profiles, sketched.
    named: Vec<(&'a Profile, Sketch)>,
    shared: &'a Shared,
    masks: Option<&'a [u64]>,
}

impl Judge<'_> {
    fn decide(
        &self,
        state: &[Registration],
        standing: &[Standing],
        i: usize,
        received: DateTime<Utc>,
        committed: f64,
        memo: &mut Memo,
    ) -> Decided {
        let (p, matcher, index) = (self.p, self.matcher, &self.shared.index);
        let r = &state[i];
        let day = received.date_naive();
        // 1 and 2: the partner, the period, products, value, new business.
        let partner = p.partner(&r.partner_id);
        let tier = partner.and_then(|x| p.tier(&x.tier));
        let eligible = partner.is_some_and(|x| {
            x.status != PartnerStatus::Suspended
                && tier.is_some_and(|t| t.eligible)
                && p.eligibility.required_certifications.iter().all(|c| x.certifications.contains(c))
                && (!p.eligibility.customer_in_partner_countries || x.countries.contains(&r.customer.country))
        });
        let products = r.products.iter().all(|item| p.product(&item.sku).is_some())
            && r.products.iter().any(|item| p.product(&item.sku).is_some_and(|x| x.registrable));
        let value = p.convert(r.value, &r.currency);
        let first = [
            (Rule::Partner, !eligible),
            (Rule::Period, day < p.starts || day > p.ends),
            (Rule::Products, !products),
            (Rule::MinimumValue, value.is_none_or(|v| v < p.minimum_deal_value)),
            (Rule::NewBusiness, p.new_business_only && !r.new_business),
        ]
        .into_iter()
        .find(|&(_, failed)| failed)
        .map(|(rule, _)| (rule, Check::Failed));

        // 3. Named accounts: the best match decides.
        let (profile, sketch) = (index.profile(i), index.sketch(i));
        let named = match first {
            Some(_) => Likeness::Different,
            None => self
                .named
                .iter()
                .filter(|(_, s)| matcher.could_match(sketch, s))
                .map(|(n, _)| matcher.verdict(matcher.score(profile, n)))
                .fold(Likeness::Different, stronger),
        };

        // 4 and 5. Earlier registrations of the customer that held it or await a decision.
        let lines: Vec<&str> = match self.masks {
            None => p.lines_of(&r.products).collect(),
            Some(_) => Vec::new(),
        };
        let overlaps = |j: usize, other: &Registration| match self.masks {
            Some(masks) => masks[j] & masks[i] != 0,
            None => p.lines_of(&other.products).any(|l| lines.contains(&l)),
        };
        let (mut duplicate, mut conflict, mut any_conflict) = (Likeness::Different, false, false);
        let spelling = index.spelling(i);
        let shared = self.shared;
        // Those before it in receipt order were all received by then.
        let first_slot = shared.slots[i] as usize;
        for (slot, j) in shared.earlier(i).enumerate() {
            let held = standing[j].held_at(received, day);
            if !(held || standing[j].pending) || shared.ids[j] == shared.ids[i] {
                continue;
            }
            let mine = shared.partners[j] == shared.partners[i];
            // A rejection needs only to know whether another partner registered it.
            if (first.is_some() && (mine || any_conflict)) || !overlaps(j, &state[j]) {
                continue;
            }
            let slot = first_slot + slot;
            let known = if memo.reading { memo.pairs[slot] } else { None };
            let verdict = match known {
                Some(verdict) => verdict,
                None => {
                    let verdict = if matcher.could_match(sketch, index.sketch(j)) {
                        let theirs = index.profile(j);
                        let name = *memo
                            .names
                            .entry((spelling, index.spelling(j)))
                            .or_insert_with(|| matcher.name_value(&profile.name, &theirs.name));
                        matcher.verdict(matcher.score_with_name(profile, theirs, name))
                    } else {
                        Likeness::Different
                    };
                    if memo.writing {
                        memo.pairs[slot] = Some(verdict);
                    }
                    verdict
                }
            };
            if verdict == Likeness::Different {
                continue;
            }
            if mine {
                duplicate = stronger(duplicate, verdict);
            } else {
                any_conflict = true;
                conflict |= held && verdict == Likeness::Same;
            }
        }

        // 6 and 7. The auto-approval limit; the incentive against the budget left.
        let share = if any_conflict { p.conflict.second_registrant_share } else { 1.0 };
        let cost = tier.zip(value).map(|(t, v)| crate::decision::incentive_cost(v, t, share, &p.currency));
        // A desk that knows no budget (a partner's) checks none.
        let left = p.incentive_budget.map(|b| {
            crate::money::amount(
                (crate::money::minor(b, &p.currency) - crate::money::minor(committed, &p.currency)).max(0),
                &p.currency,
            )
        });
        // 2d. The checklist, as `evaluate_among` counts it.
        let q = &p.qualification;
        let short = q.to_approve > 0 && crate::account::confirmed_count(p, &r.qualification) < q.to_approve;
        let qualification = match (short, q.when_short) {
            (false, _) => Check::Passed,
            (true, crate::programme::WhenShort::Review) => Check::Review,
            (true, crate::programme::WhenShort::Reject) => Check::Failed,
        };
        // (5b, leads: the sandbox does not replay them, so the rule does not apply.)
        let checks = [
            (Rule::Qualification, qualification),
            (Rule::NamedAccount, found(named, true)),
            (Rule::Duplicate, found(duplicate, true)),
            (Rule::Conflict, found(if conflict { Likeness::Same } else { Likeness::Possible }, any_conflict)),
            (
                Rule::AutoApprove,
                if value.is_some_and(|v| v >= p.approval.auto_approve_below) {
                    Check::Review
                } else {
                    Check::Passed
                },
            ),
            (
                Rule::Budget,
                match (cost, left) {
                    (Some(c), Some(left)) if !crate::decision::fits(c, left, &p.currency) => Check::Review,
                    _ => Check::Passed,
                },
            ),
        ];
        let failed = first.or_else(|| checks.iter().copied().find(|&(_, c)| c == Check::Failed));
        let (outcome, first_failure) = match failed {
            Some((rule, _)) => (Outcome::Rejected, Some(rule)),
            None => match checks.iter().find(|&&(_, c)| c == Check::Review) {
                Some(&(rule, _)) => (Outcome::InReview, Some(rule)),
                None => (Outcome::Approved, None),
            },
        };
        Decided {
            outcome,
            first_failure,
            incentive: cost.filter(|_| outcome != Outcome::Rejected),
            conflicts: any_conflict,
        }
    }
}

/// What one side measured that the other can use: the name signal of two
/// spellings (the same under any programme), and side A's verdict on each
/// pair of registrations it compared, which side B reads when both
/// programmes match customers alike.
struct Memo {
    names: FxHashMap<(u32, u32), f64>,
    /// By slot ([`Shared::slots`]).
    pairs: Vec<Option<Likeness>>,
    reading: bool,
    writing: bool,
}

const UNKNOWN: Option<Likeness> = None;

/// Whether two matchers give every pair the same verdict: every setting equal.
fn same_matching(x: &FuzzyMatcher, y: &FuzzyMatcher) -> bool {
    let FuzzyMatcher { thresholds, common, related } = x;
    *thresholds == y.thresholds && *common == y.common && *related == y.related
}

/// The surer of two verdicts.
fn stronger(x: Likeness, y: Likeness) -> Likeness {
    match (x, y) {
        (Likeness::Same, _) | (_, Likeness::Same) => Likeness::Same,
        (Likeness::Possible, _) | (_, Likeness::Possible) => Likeness::Possible,
        _ => Likeness::Different,
    }
}

/// A rule that found a match: a sure one fails it, a possible one sends it to review.
fn found(verdict: Likeness, any: bool) -> Check {
    match verdict {
        _ if !any => Check::Passed,
        Likeness::Same => Check::Failed,
        Likeness::Possible => Check::Review,
        Likeness::Different => Check::Passed,
    }
}

/// One side's counts from its run: the outcome and the rule behind it for
/// each registration (in receipt order), the conflicts found, the records
/// left and the budget committed.
fn side(
    p: &Programme,
    decided: &[(Outcome, Option<Rule>)],
    conflicts: &[bool],
    state: &[Registration],
    committed: f64,
    as_of: DateTime<Utc>,
) -> Side {
    let count = |o: Outcome| decided.iter().filter(|v| v.0 == o).count();
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
            count: decided.iter().filter(|&&v| v == (Outcome::Rejected, Some(rule))).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let left = p.incentive_budget.map(|b| b - committed);
    // Only the side's approvals carry an incentive.
    let (_, runs_out) = burn(state.iter(), left, as_of);
    Side {
        approved: count(Outcome::Approved),
        in_review: count(Outcome::InReview),
        rejected: count(Outcome::Rejected),
        rejected_by_rule,
        conflicts: conflicts.iter().filter(|c| **c).count(),
        expired: state.iter().filter(|r| r.status == Status::Expired).count(),
        protected_pipeline: cents(
            state
                .iter()
                .filter(|r| r.held_at(as_of))
                .map(|r| p.convert(r.value, &r.currency).unwrap_or(0.0))
                .sum(),
        ),
        incentive_cost: cents(committed),
        budget_left: left.map(cents),
        budget_runs_out_on: runs_out,
    }
}

#[cfg(test)]
mod tests {
    //! The sandbox against the one it replaced (kept here as the reference:
    //! every registration evaluated with [`evaluate_among`], texts and all),
    //! on the demo data and on a larger set made as the benchmark makes its
    //! 100,000, under programmes that differ in each rule; and, at every
    //! registration, [`Judge::decide`] against [`evaluate_among`].
    use super::*;
    use crate::programme::NamedAccount;

    fn demo() -> (Programme, Vec<Registration>) {
        let programme = Programme::from_json(include_str!("../www/demo/programme.json")).unwrap();
        let dataset: serde_json::Value =
            serde_json::from_str(include_str!("../www/demo/dataset.json")).unwrap();
        (programme, serde_json::from_value(dataset["registrations"].clone()).unwrap())
    }

    #[test]
    fn a_file_is_read_as_a_backup_with_its_programme_or_as_a_data_set() {
        let (programme, registrations) = demo();
        let dataset = include_str!("../www/demo/dataset.json");
        let read = read_data(dataset).unwrap();
        assert_eq!((read.programme, read.registrations), (None, registrations.clone()));

        let backup = Workspace {
            role: Some(workspace::Role::Vendor),
            programme: Some(programme.clone()),
            registrations: registrations.clone(),
            ..Workspace::default()
        };
        let read = read_data(&backup.to_json()).unwrap();
        assert_eq!((read.programme, read.registrations.len()), (Some(programme), registrations.len()));

        // A backup without a programme has nothing to try changes to.
        let bare = Workspace { programme: None, ..backup }.to_json();
        assert!(matches!(read_data(&bare), Err(Error::Refused(m)) if m.contains("no programme")));
        // Another of our files is named; a bad registration is named by its path.
        let programme_file = include_str!("../www/demo/programme.json");
        let message = read_data(programme_file).unwrap_err().to_string();
        assert!(
            message.contains(
                "that is a dealreg programme file); expected \"dealreg.workspace\" or \"dealreg.dataset\""
            ),
            "{message}"
        );
        let bad = dataset.replacen("\"value\":", "\"value\":\"much\",\"was\":", 1);
        let message = read_data(&bad).unwrap_err().to_string();
        assert!(message.contains("$.registrations[0]"), "{message}");
    }

    /// `n` registrations: the demo's, copied with the benchmark's company
    /// names (each customer about five times, by several partners, some
    /// under another spelling) and receipt times spread over the year.
    fn generated(n: usize) -> Vec<Registration> {
        let demo = demo().1;
        let names: Vec<&str> = include_str!("../bench/company-names.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let start: DateTime<Utc> = "2026-07-01T08:00:00Z".parse().unwrap();
        (0..n)
            .map(|i| {
                let mut r = demo[i % demo.len()].clone();
                r.id = format!("R-{i:06}");
                // Fewer names than the benchmark's, so that they come back as often.
                r.customer.name = names[(i / 4 * 3 + i % 4 / 3) % (n / 5).max(1)].to_string();
                r.customer.domain = None;
                let shift = Duration::minutes((i as i64 * 7 * 100_000 / n as i64) % (300 * 24 * 60));
                if let Some(received) = r.received_at {
                    let delta = (start + shift) - received;
                    r.received_at = Some(received + delta);
                    r.closed_at = r.closed_at.map(|t| t + delta);
                    r.protected_until = r.protected_until.map(|d| d + delta);
                }
                r
            })
            .collect::<Vec<_>>()
            .into_iter()
            .scan(None, |closed: &mut Option<DateTime<Utc>>, mut r| {
                // Now and then one arrives the very moment an earlier one closed.
                if r.id.ends_with('7') && closed.is_some_and(|c| Some(c) > r.received_at) {
                    r.received_at = *closed;
                }
                *closed = r.closed_at.or(*closed);
                Some(r)
            })
            .collect()
    }

    /// Programme A changed in each rule the sandbox applies; `at` is a
    /// registration of the data, whose value makes limits it sits right on.
    fn variants(a: &Programme, at: &Registration) -> Vec<Programme> {
        let value = a.convert(at.value, &at.currency).unwrap();
        let edit = |f: &dyn Fn(&mut Programme)| {
            let mut b = a.clone();
            f(&mut b);
            b
        };
        vec![
            a.clone(),
            edit(&|b| b.protection_days = 60),
            edit(&|b| b.protection_days = 7),
            edit(&|b| b.extension.max_extensions = 0),
            edit(&|b| b.minimum_deal_value = 20_000.0),
            edit(&|b| b.approval.auto_approve_below = 10_000.0),
            edit(&|b| {
                b.minimum_deal_value = value;
                b.approval.auto_approve_below = value;
            }),
            edit(&|b| {
                b.conflict.match_thresholds.same = 0.85;
                b.conflict.match_thresholds.possible = 0.7;
            }),
            edit(&|b| {
                b.conflict.match_thresholds.same = 0.97;
                b.conflict.match_thresholds.possible = 0.85;
            }),
            edit(&|b| b.conflict.related_companies = crate::programme::RelatedCompanies::Same),
            edit(&|b| b.conflict.related_companies = crate::programme::RelatedCompanies::Separate),
            edit(&|b| {
                b.conflict.second_registrant_share = 0.25;
                b.incentive_budget = Some(1e9);
            }),
            edit(&|b| b.incentive_budget = Some(20_000.0)),
            edit(&|b| b.new_business_only = !b.new_business_only),
            edit(&|b| b.qualification.when_short = crate::programme::WhenShort::Reject),
            edit(&|b| b.qualification.to_approve = 5),
            edit(&|b| b.qualification.to_approve = 0),
            edit(&|b| {
                b.eligibility.customer_in_partner_countries = !b.eligibility.customer_in_partner_countries;
                b.eligibility.required_certifications = vec!["NX Expert".into()];
            }),
            edit(&|b| {
                b.partners[0].status = PartnerStatus::Suspended;
                b.tiers[2].eligible = false;
                b.partners[1].tier = "none".into();
                b.partners.pop();
            }),
            edit(&|b| {
                b.named_accounts.push(NamedAccount {
                    name: at.customer.name.clone(),
                    domains: vec![],
                    country: "SE".into(),
                });
            }),
            edit(&|b| b.ends = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
            edit(&|b| {
                b.products[0].registrable = false;
                b.products.pop();
                b.exchange_rates.clear();
            }),
            // More product lines than a mask holds: lines are compared by name.
            edit(&|b| {
                let line = b.product_lines[0].clone();
                for k in 0..64 {
                    b.product_lines
                        .push(crate::programme::ProductLine { id: format!("x{k}"), ..line.clone() });
                }
            }),
        ]
    }

    fn same_as_the_reference(a: &Programme, registrations: &[Registration], times: &[&str]) {
        // A registration in the middle, of some value.
        let at = registrations.iter().skip(registrations.len() / 2).find(|r| r.value > 10_000.0).unwrap();
        let variants = variants(a, at);
        for at in times {
            let at: DateTime<Utc> = at.parse().unwrap();
            let mut prepared = Prepared::new(registrations.to_vec(), at);
            assert_eq!(prepared.explain(0, 1), None, "nothing to explain before a run");
            let wants: Vec<Simulation> =
                variants.iter().map(|b| reference(a, b, registrations, at)).collect();
            for (k, b) in variants.iter().enumerate() {
                assert_eq!(
                    prepared.simulate_checked(a, b, usize::MAX, true),
                    wants[k],
                    "variant {k}, as of {at}"
                );
                assert_eq!(
                    prepared.simulate_checked(b, a, usize::MAX, true),
                    reference(b, a, registrations, at)
                );
            }
            // One change after another on the same data: side A is kept between runs
            // (decided ahead, as the page does, the last run having been under another A).
            prepared.keep_side_a(a);
            assert!(prepared.last_a.as_ref().is_some_and(|(kept, _, _)| kept == a));
            for (k, b) in variants.iter().enumerate() {
                assert_eq!(prepared.simulate(a, b), wants[k], "again, variant {k}, as of {at}");
                assert!(prepared.last_a.as_ref().is_some_and(|(kept, _, _)| kept == a));
                // Explained later: the same differences, the first one explained at once.
                let outline = prepared.simulate_explaining(a, b, 1);
                let n = wants[k].differences.len();
                assert_eq!(prepared.explain(0, n + 5), Some(wants[k].differences.clone()));
                assert_eq!(prepared.explain(n / 2, n), Some(wants[k].differences[n / 2..].to_vec()));
                let unexplained = |d: &Difference| Difference {
                    a: Verdict { summary: None, ..d.a.clone() },
                    b: Verdict { summary: None, ..d.b.clone() },
                    ..d.clone()
                };
                let want: Vec<Difference> = wants[k].differences.iter().map(unexplained).collect();
                assert_eq!(outline.differences.iter().map(unexplained).collect::<Vec<_>>(), want);
                let explained = outline.differences.iter().filter(|d| d.a.summary.is_some()).count();
                assert_eq!(explained, n.min(1));
                assert_eq!(Simulation { differences: wants[k].differences.clone(), ..outline }, wants[k]);
            }
        }
    }

    #[test]
    fn the_demo_simulates_as_every_registration_evaluated_in_full() {
        let (a, registrations) = demo();
        let times = ["2026-11-27T09:00:00Z", "2026-09-01T00:00:00Z", "2027-08-01T00:00:00Z"];
        same_as_the_reference(&a, &registrations, &times);
    }

    #[test]
    fn a_larger_set_simulates_as_every_registration_evaluated_in_full() {
        let (a, _) = demo();
        let registrations = generated(2_000);
        same_as_the_reference(&a, &registrations, &["2026-11-27T09:00:00Z"]);
        // The set has what the rules look for.
        let s = simulate(&a, &a, &registrations, "2026-11-27T09:00:00Z".parse().unwrap());
        assert!(s.a.conflicts > 100 && s.a.approved > 100 && s.a.in_review > 100, "{:?}", s.a);
    }

    /// What one run gives for each registration, and the records it leaves.
    struct OldRun {
        verdicts: Vec<Verdict>,
        conflicts: Vec<bool>,
        state: Vec<Registration>,
        committed: f64,
    }

    fn reference(
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
        let run_a = old_run(a, &order, &index, &common, as_of);
        let run_b = old_run(b, &order, &index, &common, as_of);

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
        let partners = partner_shifts(a, &run_a.state, &run_b.state);
        let tally = |p, run: &OldRun| {
            let decided: Vec<_> = run.verdicts.iter().map(|v| (v.outcome, v.first_failure)).collect();
            side(p, &decided, &run.conflicts, &run.state, run.committed, as_of)
        };
        let (side_a, side_b) = (tally(a, &run_a), tally(b, &run_b));
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

    fn old_run(
        p: &Programme,
        order: &[&Registration],
        index: &CustomerIndex,
        common: &rustc_hash::FxHashSet<String>,
        as_of: DateTime<Utc>,
    ) -> OldRun {
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
            let nearby: Vec<usize> =
                index.candidates(index.profile(i)).into_iter().filter(|&j| j < i).collect();
            let others = Others {
                registrations: &state,
                known: Some(index.known()),
                nearby: Some(&nearby),
                committed: Some(committed),
                named: Some(&named),
                line_masks: masks.as_deref(),
                leads: &[],
                lead_known: None,
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
                    let ran_out =
                        (until + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight").and_utc();
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
                summary: Some(decision.summary),
            });
        }
        // What is released by the end.
        for Reverse((at, j)) in releases.into_iter() {
            if at <= as_of {
                committed -= state[j].incentive.unwrap_or(0.0);
            }
        }
        OldRun { verdicts, conflicts, state, committed }
    }
}
