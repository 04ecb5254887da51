//! Reports over fixtures whose every expected figure is worked out by hand
//! in the fixture (tests/fixtures/reports/), and properties of the reports
//! on the demo desk.

use dealreg::reports::build_report;
use dealreg::workspace::{Change, Desk, MemoryStorage, Role};
use serde_json::Value;

use super::{now, run_cases, PROGRAMME};

/// Every key of `want` is in `got` with the same value (numbers to 1e-9);
/// arrays match element by element as far as `want` lists them.
fn contains(got: &Value, want: &Value, path: &str) -> Result<(), String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, value) in w {
                let inner = g.get(key).ok_or_else(|| format!("{path}.{key} is missing"))?;
                contains(inner, value, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(w)) => {
            if w.len() > g.len() {
                return Err(format!("{path} has {} items, expected at least {}", g.len(), w.len()));
            }
            w.iter().zip(g).enumerate().try_for_each(|(i, (w, g))| contains(g, w, &format!("{path}[{i}]")))
        }
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            if (g - w).abs() > 1e-9 {
                return Err(format!("{path} is {g}, expected {w}"));
            }
            Ok(())
        }
        (g, w) if g == w => Ok(()),
        (g, w) => Err(format!("{path} is {g}, expected {w}")),
    }
}

fn vendor_desk(dataset: &str, at: &str) -> Desk<MemoryStorage> {
    let mut desk = Desk::open(MemoryStorage::default()).unwrap();
    desk.apply(Change::ChooseRole { role: Role::Vendor }, now(at)).unwrap();
    desk.load_dataset(PROGRAMME, dataset, now(at)).unwrap();
    desk
}

#[test]
fn every_report_fixture_gives_the_figures_worked_out_by_hand() {
    run_cases("reports", "-", 1, |case| {
        let at = case["asOf"].as_str().unwrap();
        let desk = vendor_desk(&case["dataset"].to_string(), at);
        let report = build_report(desk.workspace(), now(at)).map_err(|e| e.to_string())?;
        contains(&serde_json::to_value(&report).unwrap(), &case["expect"], "$")
    });
}

#[test]
fn the_demo_report_adds_up() {
    let at = "2026-11-27T09:00:00Z";
    let desk = vendor_desk(super::DATASET, at);
    let w = desk.workspace();
    let report = build_report(w, now(at)).unwrap();
    // The stages and the months share out the same open pipeline.
    let stages: f64 = report.pipeline.by_stage.iter().map(|s| s.value).sum();
    let months: f64 = report.pipeline.forecast.iter().map(|m| m.value).sum();
    assert!((stages - report.pipeline.value).abs() < 0.01 && (months - report.pipeline.value).abs() < 0.01);
    let weighted: f64 = report.pipeline.forecast.iter().map(|m| m.weighted).sum();
    assert!((weighted - report.pipeline.weighted).abs() < 0.05);
    assert!(report.pipeline.forecast.windows(2).all(|m| m[0].month < m[1].month));
    // Every partner's registrations add up to those received; every won deal is someone's revenue.
    let r = &report.registrations;
    assert_eq!(report.partners.iter().map(|p| p.registrations).sum::<usize>(), r.received);
    let won: usize = report.partners.iter().map(|p| p.won).sum();
    assert_eq!(
        won,
        w.registrations.iter().filter(|x| x.status == dealreg::registration::Status::Won).count()
    );
    assert!(r.approved + r.rejected + r.pending <= r.received);
    // Rebates and bounties share out what the tiers committed.
    let by_tier: f64 = report.incentives.by_tier.iter().map(|t| t.committed).sum();
    let by_kind: f64 = report.incentives.by_kind.iter().map(|k| k.committed).sum();
    assert!((by_tier - by_kind).abs() < 0.05 && (by_tier - report.funding.committed).abs() < 0.05);
    // Converted leads carried their campaigns into registrations: the loop is closed.
    assert!(
        report.campaigns.iter().any(|c| c.opportunities > 0 && c.won > 0 && c.revenue > 0.0),
        "{:?}",
        report.campaigns
    );
    // The same desk as of an earlier day reports fewer registrations received.
    let earlier = build_report(w, now("2026-09-01T00:00:00Z")).unwrap();
    assert!(earlier.registrations.received < r.received);
}

/// A programme with no budget (the template's, and every partner desk's) or
/// one the recent rate would not spend before chrono's last day has no day
/// it runs out: the reports and the sandbox say so rather than panic.
#[test]
fn a_budget_that_never_runs_out_has_no_day() {
    use dealreg::programme::Programme;
    use dealreg::sandbox::simulate;
    let at = "2026-11-27T09:00:00Z";
    let dataset: Value = serde_json::from_str(super::DATASET).unwrap();
    let registrations: Vec<dealreg::registration::Registration> =
        serde_json::from_value(dataset["registrations"].clone()).unwrap();
    let demo = Programme::from_json(PROGRAMME).unwrap();
    for (budget, left) in [(None, None), (Some(1e12), Some(true))] {
        let mut programme = demo.clone();
        programme.incentive_budget = budget;
        let mut w = vendor_desk(super::DATASET, at).workspace().clone();
        w.programme = Some(programme.clone());
        let funding = build_report(&w, now(at)).unwrap().funding;
        assert!(funding.rate_per_day > 0.0, "the demo commits incentives every day");
        assert_eq!(funding.left.is_some(), left.is_some());
        assert_eq!(funding.runs_out_on, None, "budget {budget:?}");
        let s = simulate(&programme, &programme, &registrations, now(at));
        assert_eq!(s.a.budget_runs_out_on, None, "budget {budget:?}");
    }
}

mod sandbox {
    //! The sandbox's invariants on the demo desk.
    use dealreg::decision::Rule;
    use dealreg::programme::Programme;
    use dealreg::sandbox::simulate;

    use super::super::{now, DATASET, PROGRAMME};

    fn demo() -> (Programme, Vec<dealreg::registration::Registration>) {
        let programme = Programme::from_json(PROGRAMME).unwrap();
        let dataset: serde_json::Value = serde_json::from_str(DATASET).unwrap();
        (programme, serde_json::from_value(dataset["registrations"].clone()).unwrap())
    }

    #[test]
    fn a_programme_against_itself_changes_nothing() {
        let (a, registrations) = demo();
        let s = simulate(&a, &a.clone(), &registrations, now("2026-11-27T09:00:00Z"));
        assert!(s.registrations > 90, "{}", s.registrations);
        assert_eq!(s.a, s.b);
        assert!(s.differences.is_empty() && s.partners.is_empty());
        assert_eq!(s.a.approved + s.a.in_review + s.a.rejected, s.registrations);
        assert!(s.a.approved > 0 && s.a.rejected > 0 && s.a.conflicts > 0, "{:?}", s.a);
    }

    /// Shorter protection: more registrations expire, and what differs is
    /// only what depended on whether a registration still held the customer:
    /// another partner's (a conflict) or the partner's own (a duplicate).
    #[test]
    fn changing_only_the_protection_window_changes_only_expiries_and_the_conflicts_that_depend_on_them() {
        let (a, registrations) = demo();
        let mut b = a.clone();
        b.protection_days = 7;
        let s = simulate(&a, &b, &registrations, now("2026-11-27T09:00:00Z"));
        assert!(s.b.expired > s.a.expired, "{} then {}", s.a.expired, s.b.expired);
        assert!(!s.differences.is_empty());
        for d in &s.differences {
            let rules = [d.a.first_failure, d.b.first_failure];
            let held = |r: &Option<Rule>| matches!(r, Some(Rule::Conflict | Rule::Duplicate));
            assert!(rules.iter().any(held), "{d:?}");
        }
        // A shorter window protects less pipeline and frees budget sooner.
        assert!(s.b.protected_pipeline < s.a.protected_pipeline);
        assert!(s.b.incentive_cost <= s.a.incentive_cost);
    }

    #[test]
    fn a_higher_minimum_rejects_the_small_deals_by_that_rule() {
        let (a, registrations) = demo();
        let mut b = a.clone();
        b.minimum_deal_value = 20_000.0;
        let s = simulate(&a, &b, &registrations, now("2026-11-27T09:00:00Z"));
        let small = |rule: &dealreg::sandbox::RuleCount| rule.rule == Rule::MinimumValue;
        let before = s.a.rejected_by_rule.iter().find(|r| small(r)).map_or(0, |r| r.count);
        let after = s.b.rejected_by_rule.iter().find(|r| small(r)).map_or(0, |r| r.count);
        assert!(after > before, "{before} then {after}");
        assert!(s
            .differences
            .iter()
            .any(|d| d.b.first_failure == Some(Rule::MinimumValue) && d.value < 20_000.0));
        assert!(!s.partners.is_empty());
    }
}
