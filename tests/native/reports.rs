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
