//! Routing a lead to a partner: who is eligible (active, in the lead's
//! country, specialised in its product line, in a tier that takes leads, not
//! one who declined it, capacity left), and which of them gets the offer, by
//! the programme's method. Deterministic for a given seed, and explained.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::Lead;
use crate::check::Problems;
use crate::programme::{PartnerStatus, Programme};

/// How leads go to partners, part of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeadRouting {
    pub method: RoutingMethod,
    /// Hours a partner has to accept an offer; then it lapses and the lead is routed again.
    pub accept_within_hours: u32,
    /// Days without activity after which an accepted lead is flagged idle and may be recalled.
    pub idle_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RoutingMethod {
    /// A draw weighted by each partner's tier `leadWeight`.
    WeightedByTier,
    /// The eligible partners in programme order, taking turns by the seed.
    RoundRobin,
    /// The partner with the smallest share of its capacity in use.
    LeastLoaded,
}

impl Default for LeadRouting {
    fn default() -> LeadRouting {
        LeadRouting { method: RoutingMethod::WeightedByTier, accept_within_hours: 72, idle_days: 14 }
    }
}

impl LeadRouting {
    pub fn check(&self, path: &str, p: &mut Problems) {
        if !(1..=24 * 90).contains(&self.accept_within_hours) {
            p.add(format!("{path}.acceptWithinHours"), "must be from 1 to 2160 hours (90 days)");
        }
        if !(1..=365).contains(&self.idle_days) {
            p.add(format!("{path}.idleDays"), "must be from 1 to 365 days");
        }
    }
}

impl RoutingMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            RoutingMethod::WeightedByTier => "weightedByTier",
            RoutingMethod::RoundRobin => "roundRobin",
            RoutingMethod::LeastLoaded => "leastLoaded",
        }
    }
}

/// Open leads each partner holds (absent: none). The crate's hash map
/// rather than a new map type in the wasm module.
pub type Loads = FxHashMap<String, u32>;

/// Where one lead goes, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Routing {
    pub lead_id: String,
    pub method: RoutingMethod,
    /// The partner chosen, if any is eligible.
    pub chosen: Option<String>,
    /// Every partner of the programme, eligible or not, in programme order.
    pub candidates: Vec<Candidate>,
    /// One line for a person: the method, the weights and the pick.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub partner_id: String,
    pub eligible: bool,
    /// Why not, when not eligible.
    pub reasons: Vec<String>,
    /// The tier's lead weight.
    pub weight: f64,
    /// The chance of being chosen (0..1) by this method and seed's rules:
    /// its share of the weights, or 1 for the one a rule picks.
    pub chance: f64,
    /// Open leads it holds, and how many it can hold.
    pub load: u32,
    pub capacity: u32,
}

/// Chooses the partner to offer `lead` to. `loads` holds each partner's open
/// leads (absent: none). `seed` makes the choice repeatable: the weighted draw
/// is a function of the seed and the lead id, round robin starts at seed mod n.
pub fn route(programme: &Programme, lead: &Lead, loads: &Loads, seed: u64) -> Routing {
    let candidates: Vec<Candidate> = programme
        .partners
        .iter()
        .map(|partner| {
            let tier = programme.tier(&partner.tier);
            let weight = tier.map_or(0.0, |t| t.lead_weight);
            let load = loads.get(&partner.id).copied().unwrap_or(0);
            let mut reasons = Vec::new();
            if partner.status != PartnerStatus::Active {
                reasons.push("not active".to_string());
            }
            if !partner.countries.contains(&lead.country) {
                reasons.push(format!("does not sell in {}", lead.country));
            }
            if let Some(line) = &lead.product_line {
                if !partner.specialisations.contains(line) {
                    reasons.push(format!("not specialised in {line}"));
                }
            }
            if weight <= 0.0 {
                reasons.push(format!("tier {} takes no leads", partner.tier));
            }
            if lead.declined_by.contains(&partner.id) {
                reasons.push("declined this lead".to_string());
            }
            if load >= partner.lead_capacity {
                reasons.push(format!("at capacity ({load} of {})", partner.lead_capacity));
            }
            Candidate {
                partner_id: partner.id.clone(),
                eligible: reasons.is_empty(),
                reasons,
                weight,
                chance: 0.0,
                load,
                capacity: partner.lead_capacity,
            }
        })
        .collect();
    let method = programme.lead_routing.method;
    let eligible: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].eligible).collect();
    let mut routing =
        Routing { lead_id: lead.id.clone(), method, chosen: None, candidates, why: String::new() };
    if eligible.is_empty() {
        routing.why = "no partner is eligible".into();
        return routing;
    }
    let c = &mut routing.candidates;
    let (pick, how) = match method {
        RoutingMethod::WeightedByTier => {
            let total: f64 = eligible.iter().map(|&i| c[i].weight).sum();
            let draw = unit(seed, &lead.id);
            let mut left = draw * total;
            let mut pick = *eligible.last().expect("not empty");
            for &i in &eligible {
                if left < c[i].weight {
                    pick = i;
                    break;
                }
                left -= c[i].weight;
            }
            for &i in &eligible {
                c[i].chance = c[i].weight / total;
            }
            let shares: Vec<String> = eligible
                .iter()
                .map(|&i| format!("{} {}%", c[i].partner_id, (c[i].chance * 100.0).round()))
                .collect();
            (pick, format!("weighted by tier among {}; drew {:.3}", shares.join(", "), draw))
        }
        RoutingMethod::RoundRobin => {
            let pick = eligible[(seed % eligible.len() as u64) as usize];
            c[pick].chance = 1.0;
            (
                pick,
                format!(
                    "round robin: turn {} of {} eligible",
                    seed % eligible.len() as u64 + 1,
                    eligible.len()
                ),
            )
        }
        RoutingMethod::LeastLoaded => {
            // Fewest open leads per unit of capacity; ties go to the first in the programme.
            let share = |i: usize| f64::from(c[i].load) / f64::from(c[i].capacity.max(1));
            let pick =
                eligible
                    .iter()
                    .copied()
                    .fold(eligible[0], |best, i| if share(i) < share(best) { i } else { best });
            c[pick].chance = 1.0;
            (pick, format!("least loaded: {} of {} open", c[pick].load, c[pick].capacity))
        }
    };
    routing.chosen = Some(routing.candidates[pick].partner_id.clone());
    routing.why = format!("{} → {}", how, routing.candidates[pick].partner_id);
    routing
}

/// A number in [0, 1) that depends only on the seed and the lead id:
/// SplitMix64 over FNV-1a. Written here rather than taken from `rand`, whose
/// generators are not promised to give the same values across versions, and
/// a routed lead must be explainable later from its seed.
pub fn unit(seed: u64, id: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = (seed ^ h).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
