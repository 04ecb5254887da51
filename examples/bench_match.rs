//! Native matching benchmarks (run by scripts/bench, figures in BENCHMARKS.md).
//!
//! 1. The pair kernel: Jaro-Winkler over the same 5,000 x 5,000 real company
//!    names as bench/rapidfuzz_peer.py (RapidFuzz, C++), one thread, with the
//!    same checksum, so the two runs are known to compute the same thing;
//!    ours (`metrics::Pattern`), then rapidfuzz-rs's for comparison.
//! 2. The whole matcher (all signals) on precomputed profiles.
//! 3. The index at 100,000 customers (5 spellings of each of 20,000 names):
//!    build time, one check (median and p99 over 1,000 queries), the full
//!    scan, and the recall of the index against comparing with everything.
//! 4. The full scan of a register-like 100,000 (60,000 customers).
//! 5. The partner form's check on a desk of 10,000 registrations, with the
//!    profiles the desk keeps and afresh.
//!
//! Parts 3 and 4 write their customer lists to target/bench/ for bench/browser.mjs.
//! Run `cargo run --release --example bench_match`; with `DEALREG_ONLY_INDEX=1`
//! parts 1 and 2 are skipped, with `DEALREG_ONLY_KERNEL=1` only part 1 runs,
//! and `DEALREG_SHOW_MISSES=1` prints what the index misses.
use std::time::Instant;

use dealreg::conflict::index::CustomerIndex;
use dealreg::conflict::metrics::Pattern;
use dealreg::conflict::{FuzzyMatcher, Profile, Verdict};
use dealreg::lifecycle::Preview;
use dealreg::registration::Draft;
use dealreg::workspace::{Change, Desk, MemoryStorage, Role};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn names() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/company-names.txt");
    std::fs::read_to_string(path)
        .expect("bench/company-names.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed().as_secs_f64());
        out = Some(value);
    }
    (best, out.expect("at least one run"))
}

/// rapidfuzz-rs's kernel over characters.
fn kernel(names: &[String]) -> f64 {
    let mut sum = 0.0;
    for a in names {
        let batch = rapidfuzz::distance::jaro_winkler::BatchComparator::new(a.chars());
        for b in names {
            sum += batch.normalized_similarity(b.chars());
        }
    }
    sum
}

/// rapidfuzz-rs's kernel over bytes where both names are ASCII (the same result there,
/// since a byte is a character), over characters otherwise.
fn kernel_bytes(names: &[String]) -> f64 {
    use rapidfuzz::distance::jaro_winkler::{normalized_similarity, BatchComparator};
    let mut sum = 0.0;
    for a in names {
        if a.is_ascii() {
            let batch = BatchComparator::new(a.bytes());
            for b in names {
                sum += if b.is_ascii() {
                    batch.normalized_similarity(b.bytes())
                } else {
                    normalized_similarity(a.chars(), b.chars())
                };
            }
        } else {
            let batch = BatchComparator::new(a.chars());
            for b in names {
                sum += batch.normalized_similarity(b.chars());
            }
        }
    }
    sum
}

/// The kernel as the matcher computes it ([`metrics::Pattern`], one table
/// per row, bytes), over characters where a name is not ASCII, as RapidFuzz's
/// cdist does.
fn kernel_ours(names: &[String]) -> f64 {
    use rapidfuzz::distance::jaro_winkler::normalized_similarity;
    let ascii: Vec<bool> = names.iter().map(|n| n.is_ascii()).collect();
    let mut sum = 0.0;
    for a in names {
        match a.is_ascii().then(|| Pattern::new(a.as_bytes())).flatten() {
            Some(pattern) => {
                for (b, &ascii) in names.iter().zip(&ascii) {
                    sum += if ascii {
                        pattern.jaro_winkler(b.as_bytes())
                    } else {
                        normalized_similarity(a.chars(), b.chars())
                    };
                }
            }
            None => {
                for b in names {
                    sum += normalized_similarity(a.chars(), b.chars());
                }
            }
        }
    }
    sum
}

/// A misspelling as partners make them: one of a typo, a dropped legal form,
/// a case or punctuation change, or a word-order swap.
fn variant(rng: &mut ChaCha8Rng, name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match rng.random_range(0..5) {
        0 if chars.len() > 4 => {
            let i = rng.random_range(1..chars.len() - 1);
            let mut c = chars.clone();
            c.swap(i, i + 1);
            c.into_iter().collect()
        }
        1 if chars.len() > 4 => {
            let i = rng.random_range(1..chars.len());
            chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| c).collect()
        }
        2 => name.to_uppercase().replace(['.', ','], ""),
        3 => {
            let mut words: Vec<&str> = name.split_whitespace().collect();
            if words.len() > 2 {
                words.swap(0, 1);
            }
            words.join(" ")
        }
        _ => format!("{} {}", name, ["AB", "GmbH", "Inc.", "Ltd", "S.A."].choose(rng).unwrap()),
    }
}

/// 100,000 registrations as a programme sees them: 60,000 customers (the
/// 20,000 real names, and 40,000 made up: a made-up word, then up to two words
/// of real names, like "Takazenmi Electric Holdings"), each registered once,
/// and 40,000 more registrations of customers drawn at random, half of them
/// spelt another way.
fn register(rng: &mut ChaCha8Rng, all: &[String]) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "den", "bar", "tor", "lin", "sa", "qu", "zen", "ri",
    ];
    let mut customers: Vec<String> = all.iter().take(20_000).cloned().collect();
    while customers.len() < 60_000 {
        let word: String = (0..rng.random_range(4..6)).map(|_| *SYLLABLES.choose(rng).unwrap()).collect();
        let mut name = format!("{}{}", word[..1].to_uppercase(), &word[1..]);
        for _ in 0..rng.random_range(0..3) {
            let other: Vec<&str> = all[rng.random_range(0..20_000)].split_whitespace().skip(1).collect();
            if let Some(w) = other.choose(rng) {
                name = format!("{name} {w}");
            }
        }
        customers.push(name);
    }
    let mut registrations = customers.clone();
    while registrations.len() < 100_000 {
        let customer = &customers[rng.random_range(0..customers.len())];
        registrations.push(if rng.random_bool(0.5) { variant(rng, customer) } else { customer.clone() });
    }
    registrations
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let all = names();
    println!(
        "machine: {} cores; names: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        all.len()
    );

    if std::env::var_os("DEALREG_ONLY_INDEX").is_none() {
        // 1. The kernel, as RapidFuzz's cdist computes it.
        let first: Vec<String> = all.iter().take(5000).cloned().collect();
        let lower: Vec<String> = first.iter().map(|n| n.to_lowercase()).collect();
        // Ours, then rapidfuzz-rs (which the matcher used before, and still
        // uses for names past 64 bytes) over bytes and over characters.
        type Kernel = fn(&[String]) -> f64;
        let kernels: [(&str, Kernel); 3] = [
            ("dealreg (metrics::Pattern, bytes where ASCII)", kernel_ours),
            ("rapidfuzz-rs 0.5 (bytes where ASCII)", kernel_bytes),
            ("rapidfuzz-rs 0.5", kernel),
        ];
        for (label, set) in [("raw", &first), ("lower", &lower)] {
            for (name, run) in kernels {
                let (secs, sum) = best_of(3, || run(set));
                let pairs = (set.len() * set.len()) as f64;
                println!(
                    "{name} jaro-winkler 5000x5000 [{label}]: {secs:.3} s, {:.0} pairs/s, checksum {sum:.3}",
                    pairs / secs
                );
            }
        }

        if std::env::var_os("DEALREG_ONLY_KERNEL").is_some() {
            return;
        }

        // 2. The whole matcher on precomputed profiles.
        let matcher = FuzzyMatcher::default();
        let profiles: Vec<Profile> = first.iter().map(|n| Profile::new(n, &[""], "", "")).collect();
        let (secs, same) = best_of(3, || {
            let mut same = 0u32;
            for a in profiles.iter().take(1000) {
                for b in &profiles {
                    same += u32::from(matcher.compare_profiles(a, b).verdict == Verdict::Same);
                }
            }
            same
        });
        println!(
            "dealreg full matcher (all signals) 1000x5000: {secs:.3} s, {:.0} pairs/s ({same} same)",
            5_000_000.0 / secs
        );
        let (secs, _) = best_of(3, || {
            std::hint::black_box(first.iter().map(|n| Profile::new(n, &[""], "", "")).collect::<Vec<_>>())
        });
        println!(
            "dealreg profiles (normalise, tokens, keys' inputs) of 5000 names: {:.1} µs each",
            secs / 5000.0 * 1e6
        );
    }

    // 3. The index at 100,000 customers.
    let mut rng = ChaCha8Rng::seed_from_u64(100_000);
    let mut customers: Vec<String> = Vec::with_capacity(100_000);
    for name in all.iter().take(20_000) {
        customers.push(name.clone());
        for _ in 0..4 {
            customers.push(variant(&mut rng, name));
        }
    }
    let (secs, index) =
        best_of(1, || CustomerIndex::new(customers.iter().map(|n| Profile::new(n, &[""], "", "")).collect()));
    println!("index of {} customers built in {secs:.3} s", index.len());
    let matcher = FuzzyMatcher { common: index.common_words(), ..FuzzyMatcher::default() };
    println!("{} common words (in more than 100 of 100,000)", matcher.common.len());

    let queries: Vec<Profile> = (0..1000)
        .map(|_| {
            let name = all[rng.random_range(0..20_000)].clone();
            Profile::new(&variant(&mut rng, &name), &[""], "", "")
        })
        .collect();
    let check =
        |q: &Profile| -> Vec<usize> { matcher.search(&index, q).into_iter().map(|(j, _)| j).collect() };
    let mut times: Vec<f64> = Vec::new();
    let mut n_candidates = 0usize;
    for q in &queries {
        let start = Instant::now();
        let found = check(q);
        times.push(start.elapsed().as_secs_f64() * 1e3);
        n_candidates += index.candidates(q).len();
        std::hint::black_box(found);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "one check against 100,000 (1,000 queries): median {:.3} ms, p99 {:.3} ms, {:.0} candidates compared on average",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        n_candidates as f64 / queries.len() as f64
    );

    let (secs, found) = best_of(1, || matcher.scan(&index, &|_, _| true));
    let same = found.iter().filter(|&&(_, _, score)| matcher.verdict(score) == Verdict::Same).count();
    let mut visited = 0usize;
    index.pairs(&mut |_, _| visited += 1);
    println!(
        "full scan of 100,000 through the index: {secs:.3} s, {} matching pairs ({same} same) of {visited} pairs of distinct customers sharing a key",
        found.len()
    );

    // Recall of the index: what comparing with all 100,000 finds, does the index find?
    let (mut found, mut exhaustive) = ([0usize; 2], [0usize; 2]);
    let recall_queries = 500;
    for q in queries.iter().take(recall_queries) {
        let via_index: std::collections::HashSet<usize> = check(q).into_iter().collect();
        // Every customer, no index and no sketch: the exact scores.
        for j in 0..index.len() {
            let other = index.profile(j);
            let score = matcher.score(q, other);
            let slot = match matcher.verdict(score) {
                Verdict::Same => 0,
                Verdict::Possible => 1,
                Verdict::Different => continue,
            };
            exhaustive[slot] += 1;
            found[slot] += usize::from(via_index.contains(&j));
            if !via_index.contains(&j) && std::env::var_os("DEALREG_SHOW_MISSES").is_some() {
                let m = matcher.compare_profiles(q, other);
                println!("  missed: {:?} / {:?}: {}", q.name.normal, other.name.normal, m.summary());
            }
        }
    }
    for (slot, label) in [(0, "same"), (1, "possible")] {
        println!(
            "index recall against comparing with all 100,000 ({recall_queries} queries), {label} matches: {} of {} = {:.4}",
            found[slot],
            exhaustive[slot],
            found[slot] as f64 / exhaustive[slot].max(1) as f64
        );
    }

    // 4. A register as a programme has it, scanned the same way.
    let registrations = register(&mut rng, &all);
    let (build, index) = best_of(1, || {
        CustomerIndex::new(registrations.iter().map(|n| Profile::new(n, &[""], "", "")).collect())
    });
    let matcher = FuzzyMatcher { common: index.common_words(), ..FuzzyMatcher::default() };
    let (secs, found) = best_of(1, || matcher.scan(&index, &|_, _| true));
    let same = found.iter().filter(|&&(_, _, score)| matcher.verdict(score) == Verdict::Same).count();
    println!(
        "register of 100,000 (60,000 customers): index built in {build:.3} s, full scan {secs:.3} s, {} matching pairs ({same} same)",
        found.len()
    );

    // The same two sets for bench/browser.mjs, so that Chromium sees the same data.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench");
    std::fs::create_dir_all(dir).expect("target/bench");
    std::fs::write(format!("{dir}/customers-dense.txt"), customers.join("\n")).expect("write");
    std::fs::write(format!("{dir}/customers-register.txt"), registrations.join("\n")).expect("write");

    // 5. The partner form's live check on a desk of 10,000 registrations: the
    // desk keeps its customers profiled (`Desk::preview`) or evaluates afresh
    // (`Workspace::preview`), with the demo programme and the demo registrations
    // copied under real company names.
    let demo =
        |file: &str| std::fs::read_to_string(format!("{}/www/demo/{file}", env!("CARGO_MANIFEST_DIR")));
    let (programme, dataset) = (demo("programme.json").expect("demo"), demo("dataset.json").expect("demo"));
    let mut data: serde_json::Value = serde_json::from_str(&dataset).expect("demo data set");
    let template = data["registrations"].as_array().expect("registrations").clone();
    let copies: Vec<serde_json::Value> = (0..10_000)
        .map(|k| {
            let mut r = template[k % template.len()].clone();
            r["id"] = format!("B-{k:05}").into();
            r["customer"]["name"] = all[k].clone().into();
            r["customer"]["domain"] = serde_json::Value::Null;
            r
        })
        .collect();
    data["registrations"] = copies.into();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z").expect("time").to_utc();
    let mut desk = Desk::open(MemoryStorage::default()).expect("desk");
    desk.apply(Change::ChooseRole { role: Role::Vendor }, at).expect("role");
    desk.load_dataset(&programme, &data.to_string(), at).expect("load");
    let draft: Draft = serde_json::from_value(serde_json::json!({
        "partnerId": "p-lagom", "customer": { "name": all[4_321].to_uppercase(), "country": "SE" },
        "products": [{ "sku": "NX-SW24", "quantity": 3 }], "value": 9000.0, "currency": "EUR",
        "expectedClose": "2027-02-01", "stage": "qualify"
    }))
    .expect("draft");
    let time = |f: &dyn Fn() -> Preview| {
        let mut ms: Vec<f64> = (0..50)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        percentile(&ms, 0.5)
    };
    let kept = time(&|| desk.preview(&draft, at).expect("preview"));
    let afresh = time(&|| desk.workspace().preview(&draft, at).expect("preview"));
    println!(
        "partner form check on a desk of {} registrations: {kept:.2} ms with the desk's kept profiles, {afresh:.2} ms profiling afresh (medians of 50)",
        desk.workspace().registrations.len()
    );
}
