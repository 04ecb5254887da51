//! Lead scoring: the programme's model (fit rules on the profile, points per
//! activity with a daily cap and a half-life, grade thresholds) and the score
//! of one lead with every contribution, so a person sees why.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ActivityKind, Lead};
use crate::check::Problems;
use crate::conflict::domains::registrable_domain;

/// The scoring model, part of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeadScoring {
    /// Points for what the lead is: every rule that holds adds its points.
    pub fit: Vec<FitRule>,
    pub engagement: Engagement,
    /// From the highest: a lead takes the first grade whose `minScore` it reaches.
    pub grades: Vec<Grade>,
}

/// One fit rule: `attribute` in `values` (text attributes), or between `min`
/// and `max` inclusive (numbers), or true (`businessEmail`), gives `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FitRule {
    pub attribute: Attribute,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// May be negative: a poor fit takes points away.
    pub points: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Attribute {
    Country,
    Region,
    Industry,
    ProductLine,
    Timing,
    Campaign,
    Employees,
    Budget,
    /// The e-mail address is at the company's own domain, not a free-mail one.
    BusinessEmail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Engagement {
    /// Points for one activity of each kind; a kind not listed gives none.
    pub points: ActivityPoints,
    /// The most engagement points one day (UTC) can give: a burst of e-mail
    /// opens does not make a lead hot.
    pub daily_cap: f64,
    /// Days after which an activity's points count half.
    pub half_life_days: f64,
}

/// Points per activity kind. A struct rather than a map keyed by kind: the
/// same JSON, without a map type compiled into the wasm module for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityPoints {
    #[serde(default)]
    pub email_opened: f64,
    #[serde(default)]
    pub visit: f64,
    #[serde(default)]
    pub webinar: f64,
    #[serde(default)]
    pub demo_request: f64,
    #[serde(default)]
    pub call: f64,
}

impl ActivityPoints {
    pub fn of(&self, kind: ActivityKind) -> f64 {
        match kind {
            ActivityKind::EmailOpened => self.email_opened,
            ActivityKind::Visit => self.visit,
            ActivityKind::Webinar => self.webinar,
            ActivityKind::DemoRequest => self.demo_request,
            ActivityKind::Call => self.call,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Grade {
    /// "SQL", "MQL", ...
    pub name: String,
    pub min_score: f64,
}

/// A lead's score as of a time, with what made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadScore {
    /// `fit + engagement`, to one decimal.
    pub score: f64,
    pub fit: f64,
    pub engagement: f64,
    /// The grade reached, if any.
    pub grade: Option<String>,
    pub contributions: Vec<Contribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contribution {
    /// "fit" or "engagement".
    pub kind: &'static str,
    /// What it is, for a person: "employees from 250", "2 × webinar".
    pub signal: String,
    /// To one decimal.
    pub points: f64,
}

impl Default for LeadScoring {
    /// A model for programmes that bring none: firmographics worth up to 50
    /// points, engagement the rest; MQL from 30, SQL from 60.
    fn default() -> LeadScoring {
        let rule = |attribute, min, points| FitRule { attribute, values: Vec::new(), min, max: None, points };
        LeadScoring {
            fit: vec![
                rule(Attribute::BusinessEmail, None, 10.0),
                rule(Attribute::Employees, Some(250.0), 15.0),
                rule(Attribute::Budget, Some(20_000.0), 15.0),
                FitRule {
                    attribute: Attribute::Timing,
                    values: vec!["thisQuarter".into(), "nextQuarter".into()],
                    min: None,
                    max: None,
                    points: 10.0,
                },
            ],
            engagement: Engagement {
                points: ActivityPoints {
                    email_opened: 1.0,
                    visit: 3.0,
                    webinar: 8.0,
                    demo_request: 20.0,
                    call: 10.0,
                },
                daily_cap: 25.0,
                half_life_days: 30.0,
            },
            grades: vec![
                Grade { name: "SQL".into(), min_score: 60.0 },
                Grade { name: "MQL".into(), min_score: 30.0 },
            ],
        }
    }
}

/// Points and scores beyond this are typos.
const MAX_POINTS: f64 = 10_000.0;

impl Attribute {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Country => "country",
            Attribute::Region => "region",
            Attribute::Industry => "industry",
            Attribute::ProductLine => "productLine",
            Attribute::Timing => "timing",
            Attribute::Campaign => "campaign",
            Attribute::Employees => "employees",
            Attribute::Budget => "budget",
            Attribute::BusinessEmail => "businessEmail",
        }
    }

    fn is_number(self) -> bool {
        matches!(self, Attribute::Employees | Attribute::Budget)
    }

    /// The lead's value of a text attribute.
    pub fn text(self, lead: &Lead) -> Option<&str> {
        match self {
            Attribute::Country => Some(&lead.country),
            Attribute::Region => lead.region.as_deref(),
            Attribute::Industry => lead.industry.as_deref(),
            Attribute::ProductLine => lead.product_line.as_deref(),
            Attribute::Timing => lead.timing.map(|t| t.as_str()),
            Attribute::Campaign => Some(&lead.campaign_id),
            _ => None,
        }
    }

    fn number(self, lead: &Lead) -> Option<f64> {
        match self {
            Attribute::Employees => lead.employees.map(f64::from),
            Attribute::Budget => lead.budget,
            _ => None,
        }
    }
}

/// Whether the lead's e-mail address is at a company domain.
pub fn business_email(lead: &Lead) -> bool {
    lead.email.as_deref().is_some_and(|e| e.contains('@') && registrable_domain(e).is_some())
}

impl FitRule {
    pub fn holds(&self, lead: &Lead) -> bool {
        match self.attribute {
            Attribute::BusinessEmail => business_email(lead),
            a if a.is_number() => a
                .number(lead)
                .is_some_and(|n| self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)),
            a => a.text(lead).is_some_and(|v| self.values.iter().any(|w| w.eq_ignore_ascii_case(v.trim()))),
        }
    }

    /// "employees from 250", "industry is retail or finance".
    pub fn describe(&self) -> String {
        let name = self.attribute.as_str();
        match (self.attribute, self.min, self.max) {
            (Attribute::BusinessEmail, ..) => "business e-mail address".into(),
            (a, Some(min), Some(max)) if a.is_number() => format!("{name} {min} to {max}"),
            (a, Some(min), None) if a.is_number() => format!("{name} from {min}"),
            (a, None, Some(max)) if a.is_number() => format!("{name} up to {max}"),
            _ => format!("{name} is {}", self.values.join(" or ")),
        }
    }

    fn check(&self, path: &str, p: &mut Problems) {
        points(p, &format!("{path}.points"), self.points);
        let numeric = self.attribute.is_number();
        let bounded = self.min.is_some() || self.max.is_some();
        match self.attribute {
            Attribute::BusinessEmail if bounded || !self.values.is_empty() => {
                p.add(path, "businessEmail takes neither values nor min and max")
            }
            Attribute::BusinessEmail => {}
            _ if numeric && (!bounded || !self.values.is_empty()) => {
                p.add(path, format!("{} rules need min or max, and no values", self.attribute.as_str()))
            }
            _ if !numeric && (bounded || self.values.is_empty()) => p.add(
                format!("{path}.values"),
                format!("{} rules need the values that match", self.attribute.as_str()),
            ),
            _ => {}
        }
        if let (Some(min), Some(max)) = (self.min, self.max) {
            if min > max {
                p.add(format!("{path}.max"), format!("{max} is below min {min}"));
            }
        }
        for (name, bound) in [("min", self.min), ("max", self.max)] {
            if bound.is_some_and(|b| !b.is_finite()) {
                p.add(format!("{path}.{name}"), "must be a number");
            }
        }
    }
}

fn points(p: &mut Problems, path: &str, value: f64) {
    if !value.is_finite() || value.abs() > MAX_POINTS {
        p.add(path, format!("must be a number from -{MAX_POINTS} to {MAX_POINTS}"));
    }
}

/// To one decimal: points are shown to people.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl LeadScoring {
    pub fn check(&self, path: &str, p: &mut Problems) {
        for (idx, rule) in self.fit.iter().enumerate() {
            rule.check(&format!("{path}.fit[{idx}]"), p);
        }
        for kind in ActivityKind::ALL {
            points(
                p,
                &format!("{path}.engagement.points.{}", kind.as_str()),
                self.engagement.points.of(kind),
            );
        }
        let e = &self.engagement;
        if !(e.daily_cap.is_finite() && (0.0..=MAX_POINTS).contains(&e.daily_cap)) {
            p.add(format!("{path}.engagement.dailyCap"), format!("must be from 0 to {MAX_POINTS}"));
        }
        if !(e.half_life_days.is_finite() && e.half_life_days >= 1.0 && e.half_life_days <= 3650.0) {
            p.add(format!("{path}.engagement.halfLifeDays"), "must be from 1 to 3650 days");
        }
        for (idx, grade) in self.grades.iter().enumerate() {
            p.not_blank(&format!("{path}.grades[{idx}].name"), &grade.name);
            points(p, &format!("{path}.grades[{idx}].minScore"), grade.min_score);
        }
        if self.grades.windows(2).any(|g| g[1].min_score >= g[0].min_score) {
            p.add(format!("{path}.grades"), "list the grades from the highest minScore down");
        }
    }

    /// The grade a score reaches.
    pub fn grade(&self, score: f64) -> Option<&str> {
        self.grades.iter().find(|g| score >= g.min_score).map(|g| g.name.as_str())
    }

    /// The lead's score as of `as_of`: activities after it do not count yet.
    pub fn score(&self, lead: &Lead, as_of: DateTime<Utc>) -> LeadScore {
        let mut contributions = Vec::new();
        let (fit, engagement) = self.tally(lead, as_of, Some(&mut contributions));
        let score = tenth(fit + engagement);
        LeadScore {
            score,
            fit: tenth(fit),
            engagement: tenth(engagement),
            grade: self.grade(score).map(str::to_string),
            contributions,
        }
    }

    /// [`Self::score`]'s number alone, without the words of its contributions:
    /// what an inbox of 50,000 leads sorts by.
    pub fn score_number(&self, lead: &Lead, as_of: DateTime<Utc>) -> f64 {
        let (fit, engagement) = self.tally(lead, as_of, None);
        tenth(fit + engagement)
    }

    /// The fit and the engagement, each contribution described in `explain` if asked.
    fn tally(
        &self,
        lead: &Lead,
        as_of: DateTime<Utc>,
        mut explain: Option<&mut Vec<Contribution>>,
    ) -> (f64, f64) {
        let mut fit = 0.0;
        for rule in self.fit.iter().filter(|rule| rule.holds(lead)) {
            fit += rule.points;
            if let Some(out) = explain.as_deref_mut() {
                out.push(Contribution { kind: "fit", signal: rule.describe(), points: rule.points });
            }
        }

        // Each day's points, in time order, up to the cap; each decays by its own age.
        let e = &self.engagement;
        // Per kind, in `ActivityKind::ALL` order: how many, points given (decayed), points capped.
        let mut by_kind = [(0u32, 0.0f64, 0.0f64); ActivityKind::ALL.len()];
        let mut day = None;
        let mut left = e.daily_cap;
        let mut past: Vec<_> = lead.activities.iter().filter(|a| a.at <= as_of).collect();
        crate::conflict::sort::sort_by(&mut past, |a, b| a.at < b.at);
        for activity in past {
            if day != Some(activity.at.date_naive()) {
                day = Some(activity.at.date_naive());
                left = e.daily_cap;
            }
            let full = e.points.of(activity.kind);
            let given = full.min(left).max(0.0);
            left -= given;
            let age_days = (as_of - activity.at).num_seconds() as f64 / 86_400.0;
            let entry = &mut by_kind[activity.kind as usize];
            entry.0 += 1;
            entry.1 += given * 0.5f64.powf(age_days / e.half_life_days);
            entry.2 += full - given;
        }
        let mut engagement = 0.0;
        for (kind, (count, value, capped)) in ActivityKind::ALL.into_iter().zip(by_kind) {
            if count == 0 {
                continue;
            }
            engagement += value;
            if let Some(out) = explain.as_deref_mut() {
                let capped = if capped > 0.0 {
                    format!(", {} over the daily cap", tenth(capped))
                } else {
                    String::new()
                };
                out.push(Contribution {
                    kind: "engagement",
                    signal: format!("{count} × {}{capped}", kind.label()),
                    points: tenth(value),
                });
            }
        }
        (fit, engagement)
    }
}
