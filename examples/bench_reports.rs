//! How long the reports and the sandbox take over 100,000 registrations,
//! natively: `cargo run --release --example bench_reports`. It also writes
//! the workspace it measures to target/bench/workspace-100k.json, which
//! bench/reports.mjs times in Chromium. The figures are in BENCHMARKS.md.
use std::time::Instant;

use dealreg::reports::build_report;
use dealreg::sandbox::{simulate, Prepared};
use dealreg::workspace::Workspace;

fn main() {
    let workspace = big_workspace(100_000);
    let as_of = "2026-11-27T09:00:00Z".parse().unwrap();
    let programme = workspace.programme.clone().unwrap();
    let mut b = programme.clone();
    b.protection_days = 60;
    let median = |f: &dyn Fn()| {
        let mut ms: Vec<f64> = (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        ms[1]
    };
    let report = median(&|| drop(build_report(&workspace, as_of).unwrap()));
    let sandbox = median(&|| drop(simulate(&programme, &b, &workspace.registrations, as_of)));
    // The page's sandbox: the data set prepared once, then one change after another.
    let prepare = median(&|| drop(Prepared::new(workspace.registrations.clone(), as_of)));
    let mut prepared = Prepared::new(workspace.registrations.clone(), as_of);
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        t.elapsed().as_secs_f64() * 1e3
    };
    // As the page does while the data loads: side A decided ahead.
    let keep = time(&mut || prepared.keep_side_a(&programme));
    let first = time(&mut || drop(prepared.simulate(&programme, &b)));
    // Other protection windows, as someone trying them one after another would.
    let windows = [45, 75, 30].map(|days| {
        let mut c = programme.clone();
        c.protection_days = days;
        c
    });
    let mut again: Vec<f64> =
        windows.iter().map(|c| time(&mut || drop(prepared.simulate(&programme, c)))).collect();
    again.sort_by(f64::total_cmp);
    // A change that decides many otherwise: each difference is explained under both.
    let mut higher = programme.clone();
    higher.minimum_deal_value = 20_000.0;
    let mut differing = 0;
    let minimum = time(&mut || differing = prepared.simulate(&programme, &higher).differences.len());
    // As the page asks for it: the first hundred explained, the others when shown.
    let outline = time(&mut || drop(prepared.simulate_explaining(&programme, &higher, 100)));
    let json = workspace.to_json();
    // What `buildReport` does with the workspace JS hands it before reporting:
    // read the JSON text and check it.
    let reading = median(&|| {
        let read: Workspace = dealreg::exchange::read_value(&json, "workspace").unwrap();
        read.validate().unwrap();
    });
    println!("report over {} registrations: {report:.0} ms (median of 3)", workspace.registrations.len());
    println!("sandbox, 90 against 60 days, over them: {sandbox:.0} ms (median of 3)");
    println!("preparing them for the sandbox (index, candidates): {prepare:.0} ms (median of 3)");
    println!("then side A decided ahead: {keep:.0} ms; a first run, 90 against 60 days: {first:.0} ms; each other window after it (45, 75, 30 days), side A kept: {:.0} ms (median of 3)", again[1]);
    println!("a minimum deal value of 20,000 after it, side A kept: {minimum:.0} ms, {differing} registrations decided otherwise, each explained; {outline:.0} ms with the first 100 explained");
    println!(
        "reading and checking the workspace as JSON ({:.0} MB), as buildReport does first: {reading:.0} ms (median of 3)",
        json.len() as f64 / 1e6
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("workspace-100k.json"), json).unwrap();
}

/// The demo desk's registrations, copied over and over with other customers
/// (the 20,000 real company names of bench/company-names.txt, so each
/// customer is registered about five times, by several partners: a heavy
/// load of conflicts) and receipt times spread over the programme year.
fn big_workspace(n: usize) -> Workspace {
    let programme = include_str!("../www/demo/programme.json");
    let dataset: serde_json::Value = serde_json::from_str(include_str!("../www/demo/dataset.json")).unwrap();
    let names: Vec<&str> = include_str!("../bench/company-names.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let demo: Vec<dealreg::registration::Registration> =
        serde_json::from_value(dataset["registrations"].clone()).unwrap();
    let start: chrono::DateTime<chrono::Utc> = "2026-07-01T08:00:00Z".parse().unwrap();
    let registrations = (0..n)
        .map(|i| {
            let mut r = demo[i % demo.len()].clone();
            r.id = format!("R-{i:06}");
            // Every fourth customer comes back under another partner's spelling of it.
            let name = names[(i / 4 * 3 + i % 4 / 3) % names.len()];
            r.customer.name = name.to_string();
            r.customer.domain = None;
            let shift = chrono::Duration::minutes((i as i64 * 7) % (300 * 24 * 60));
            if let Some(received) = r.received_at {
                let delta = (start + shift) - received;
                r.received_at = Some(received + delta);
                r.created_at += delta;
                r.closed_at = r.closed_at.map(|t| t + delta);
                r.protected_until = r.protected_until.map(|d| d + delta);
                r.decision.iter_mut().for_each(|d| d.at += delta);
            }
            r.lead_id = None;
            r.campaign_id = None;
            r
        })
        .collect();
    let mut workspace = Workspace::default();
    workspace.role = Some(dealreg::workspace::Role::Vendor);
    workspace.programme = Some(dealreg::programme::Programme::from_json(programme).unwrap());
    workspace.registrations = registrations;
    workspace.campaigns = serde_json::from_value(dataset["campaigns"].clone()).unwrap();
    workspace
}
