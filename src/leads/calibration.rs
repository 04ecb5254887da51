//! Calibration: learning lead-scoring weights from the desk's won and lost
//! history with naive Bayes (as Odoo's predictive lead scoring does), and
//! measuring on a held-out split how well it ranks (AUC), next to the
//! programme's hand-written model on the same leads.
//!
//! A lead is **won** when the registration it converted into was won, and
//! **lost** when that registration was lost or the lead was disqualified.
//! Open leads and open registrations teach nothing yet.

use serde::Serialize;

use super::routing::unit;
use super::scoring::{business_email, LeadScoring};
use super::{Lead, LeadStatus};
use crate::registration::{Registration, Status};

/// Share of the history held out to measure the models on.
pub const HELD_OUT: f64 = 0.3;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Calibration {
    pub won: usize,
    pub lost: usize,
    /// Leads the weights were learned from, and leads they were measured on.
    pub trained_on: usize,
    pub tested_on: usize,
    /// Area under the ROC curve on the held-out leads (0.5 is a coin, 1 a
    /// perfect ranking); none when they are not both won and lost.
    pub learned_auc: Option<f64>,
    pub programme_auc: Option<f64>,
    /// Learned log-odds of each attribute value, strongest first.
    pub weights: Vec<LearnedWeight>,
    /// Why the figures are missing or shaky, if they are.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LearnedWeight {
    pub attribute: &'static str,
    pub value: String,
    /// ln(P(value | won) / P(value | lost)), with add-one smoothing: above
    /// zero the value speaks for a win.
    pub weight: f64,
    pub won: usize,
    pub lost: usize,
}

/// The attributes naive Bayes looks at, each as a category.
fn features(lead: &Lead) -> [(&'static str, String); 9] {
    let or_none = |v: Option<&str>| v.map_or("(none)".to_string(), str::to_string);
    let band = |n: Option<f64>, edges: &[(f64, &str)], below: &str| -> String {
        match n {
            None => "(none)".into(),
            Some(n) => {
                edges.iter().rev().find(|(edge, _)| n >= *edge).map_or(below, |(_, name)| name).to_string()
            }
        }
    };
    let activities = lead.activities.len();
    [
        ("country", lead.country.clone()),
        ("industry", or_none(lead.industry.as_deref())),
        ("productLine", or_none(lead.product_line.as_deref())),
        ("timing", or_none(lead.timing.map(|t| t.as_str()))),
        ("campaign", lead.campaign_id.clone()),
        (
            "employees",
            band(
                lead.employees.map(f64::from),
                &[(50.0, "50-249"), (250.0, "250-999"), (1000.0, "1000+")],
                "under 50",
            ),
        ),
        ("budget", band(lead.budget, &[(20_000.0, "20k-100k"), (100_000.0, "100k+")], "under 20k")),
        ("businessEmail", if business_email(lead) { "yes" } else { "no" }.to_string()),
        (
            "activities",
            match activities {
                0 => "none",
                1..=2 => "1-2",
                3..=5 => "3-5",
                _ => "6+",
            }
            .to_string(),
        ),
    ]
}

/// Won (true), lost (false), or not known yet.
pub fn outcome(lead: &Lead, registrations: &[Registration]) -> Option<bool> {
    match lead.status {
        LeadStatus::Disqualified => Some(false),
        LeadStatus::Converted => {
            let registration = registrations.iter().find(|r| {
                lead.registration_id.as_deref() == Some(r.id.as_str())
                    || r.lead_id.as_deref() == Some(lead.id.as_str())
            })?;
            match registration.status {
                Status::Won => Some(true),
                Status::Lost => Some(false),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The probability-free ranking quality: the chance that a random won lead
/// scores above a random lost one (ties count half).
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, won)| *won).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    crate::conflict::sort::sort_by(&mut sorted, |a, b| a.0 < b.0);
    // Mann-Whitney: sum of the ranks of the won leads, ties sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += mean_rank * sorted[i..j].iter().filter(|(_, won)| *won).count() as f64;
        i = j;
    }
    let p = positives as f64;
    Some(((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64) * 1000.0).round() / 1000.0)
}

/// A feature's value, and how many won and lost leads had it.
type Count = ((&'static str, String), (usize, usize));

/// Naive Bayes over categorical features, with add-one smoothing.
struct Model {
    prior: f64,
    /// (feature, value) → (won, lost) counts, in first-seen order. A list, not
    /// a map: a few dozen entries, and no map type compiled for them.
    counts: Vec<Count>,
    won: usize,
    lost: usize,
}

impl Model {
    fn train(history: &[(&Lead, bool)]) -> Model {
        let mut counts: Vec<Count> = Vec::new();
        for (lead, won) in history {
            for (name, value) in features(lead) {
                let at = match counts.iter().position(|((n, v), _)| *n == name && *v == value) {
                    Some(at) => at,
                    None => {
                        counts.push(((name, value), (0, 0)));
                        counts.len() - 1
                    }
                };
                let entry = &mut counts[at].1;
                if *won {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
        }
        let won = history.iter().filter(|(_, w)| *w).count();
        let lost = history.len() - won;
        let prior = ((won as f64 + 1.0) / (lost as f64 + 1.0)).ln();
        Model { prior, counts, won, lost }
    }

    fn weight(&self, name: &'static str, value: &str) -> f64 {
        let (w, l) = self.counts.iter().find(|((n, v), _)| *n == name && v == value).map_or((0, 0), |e| e.1);
        // Distinct values seen of the feature, and one for a value never seen.
        let k = self.counts.iter().filter(|((n, _), _)| *n == name).count() as f64 + 1.0;
        ((w as f64 + 1.0) / (self.won as f64 + k)).ln() - ((l as f64 + 1.0) / (self.lost as f64 + k)).ln()
    }

    fn score(&self, lead: &Lead) -> f64 {
        self.prior + features(lead).iter().map(|(name, value)| self.weight(name, value)).sum::<f64>()
    }
}

/// Learns from the history and measures both models on the held-out leads.
/// The split is by lead id, so it is the same on every run.
pub fn calibrate(scoring: &LeadScoring, leads: &[Lead], registrations: &[Registration]) -> Calibration {
    let history: Vec<(&Lead, bool)> =
        leads.iter().filter_map(|l| outcome(l, registrations).map(|won| (l, won))).collect();
    let (test, train): (Vec<_>, Vec<_>) = history.iter().partition(|(l, _)| unit(0, &l.id) < HELD_OUT);
    let model = Model::train(&train);
    let learned: Vec<(f64, bool)> = test.iter().map(|(l, won)| (model.score(l), *won)).collect();
    // The hand-written model as it scored each lead when it was last worked,
    // before its outcome: its engagement had not decayed since.
    let hand: Vec<(f64, bool)> =
        test.iter().map(|(l, won)| (scoring.score(l, l.last_touched()).score, *won)).collect();
    let mut weights: Vec<LearnedWeight> = model
        .counts
        .iter()
        .map(|((name, value), (won, lost))| LearnedWeight {
            attribute: name,
            value: value.clone(),
            weight: (model.weight(name, value) * 100.0).round() / 100.0,
            won: *won,
            lost: *lost,
        })
        .collect();
    // Strongest first; the counts list is in first-seen order, which the stable sort keeps for equals.
    crate::conflict::sort::sort_by(&mut weights, |a, b| a.weight.abs() > b.weight.abs());
    let won = history.iter().filter(|(_, w)| *w).count();
    let note = if history.len() < 30 {
        Some(format!("only {} won or lost leads so far: the figures will move as more close", history.len()))
    } else if learned.iter().all(|(_, w)| *w) || learned.iter().all(|(_, w)| !*w) {
        Some("the held-out leads are all won or all lost: no ranking to measure".into())
    } else {
        None
    };
    Calibration {
        won,
        lost: history.len() - won,
        trained_on: train.len(),
        tested_on: test.len(),
        learned_auc: auc(&learned),
        programme_auc: auc(&hand),
        weights,
        note,
    }
}
