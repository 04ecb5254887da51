//! Regression inputs found by fuzzing (FUZZING.md): every file in
//! tests/fixtures/fuzz/<target>/ is run through that fuzz target's own body
//! (fuzz/src/lib.rs, included here), so it is checked with the same entry
//! point and the same invariants: no panic, refused imports change nothing,
//! accepted ones leave a desk that reads back, normalising is idempotent.

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use super::fixtures;

#[test]
fn every_crash_found_by_fuzzing_stays_fixed() {
    let root = fixtures("fuzz");
    let mut ran = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        inputs.sort();
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            // A panic names the input; the target's assertion says what broke.
            eprintln!("fuzz regression: {}", input.display());
            assert!(targets::run(&target, &data), "{} is no fuzz target", dir.display());
            ran += 1;
        }
    }
    assert!(ran > 0, "no regression input in {}", root.display());
}
