//! How long lead work takes natively on a desk with many leads: importing a
//! 10,000-row CSV (every cell checked, duplicates sought with the matcher),
//! scoring every lead for the inbox, routing every waiting lead, and calibrating. `cargo run --release
//! --example bench_leads`; the figures are in BENCHMARKS.md.
use std::time::Instant;

use dealreg::leads::import::ImportOptions;
use dealreg::workspace::{Change, Desk, MemoryStorage, Role};

fn main() {
    let programme = include_str!("../www/demo/programme.json");
    let dataset = include_str!("../www/demo/dataset.json");
    let now = "2026-11-27T09:00:00Z".parse().unwrap();
    let mut desk = Desk::open(MemoryStorage::default()).unwrap();
    desk.apply(Change::ChooseRole { role: Role::Vendor }, now).unwrap();
    desk.load_dataset(programme, dataset, now).unwrap();

    let countries = ["SE", "NO", "FI", "DE", "AT", "NL", "BE", "GB", "IE", "FR"];
    let words = ["Nord", "Fjell", "Rhein", "Alpen", "Polder", "Severn", "Liffey", "Loire", "Kiruna", "Donau"];
    let kinds = ["Logistik", "Data", "Bygg", "Pharma", "Foods", "Energi", "Media", "Technik"];
    let mut csv = String::from("Company,Country,E-mail,Employees,Budget,Campaign\n");
    for i in 0..10_000 {
        let (a, b, c) = (words[i % 10], kinds[(i / 10) % 8], countries[(i / 80) % 10]);
        let name = format!("{a} {b} {i}");
        csv += &format!(
            "{name} AB,{c},info@{}.example,{},{},C-EDGE\n",
            name.replace(' ', "-").to_lowercase(),
            10 + i % 3000,
            1000 * (i % 200)
        );
    }
    let options = ImportOptions::default();
    let start = Instant::now();
    let preview = desk.workspace().preview_lead_import(&csv, &options, now, [1; 16]).unwrap();
    let previewed = start.elapsed();
    let start = Instant::now();
    desk.import_leads(&csv, &options, now, [1; 16]).unwrap();
    let imported = start.elapsed();
    let start = Instant::now();
    let insights = desk.workspace().lead_insights(now).unwrap();
    let scored = start.elapsed();
    let start = Instant::now();
    desk.apply(Change::RouteAll, now).unwrap();
    let routed = start.elapsed();
    let w = desk.workspace();
    let offered = w.leads.iter().filter(|l| l.offer.as_ref().is_some_and(|o| o.offered_at == now)).count();
    let start = Instant::now();
    let c = dealreg::leads::calibration::calibrate(
        &w.programme.as_ref().unwrap().lead_scoring,
        &w.leads,
        &w.registrations,
    );
    let calibrated = start.elapsed();
    println!(
        "preview of 10,000 rows: {:.0} ms ({} ready, {} duplicates)",
        previewed.as_secs_f64() * 1e3,
        preview.ready,
        preview.duplicates.len()
    );
    println!("import of 10,000 rows (and saving the desk): {:.0} ms", imported.as_secs_f64() * 1e3);
    println!("insights of {} leads: {:.1} ms", insights.len(), scored.as_secs_f64() * 1e3);
    println!(
        "routing every waiting lead ({offered} offered, the rest past every partner's capacity): {:.0} ms",
        routed.as_secs_f64() * 1e3
    );
    println!("calibration over {} won/lost leads: {:.2} ms", c.won + c.lost, calibrated.as_secs_f64() * 1e3);
}
