//! Copies the word lists of data/ into the build without their comment
//! headers. The module needs the entries; the headers (each list's source,
//! licence and how to regenerate it, 16 KB, a licence text among them) stay
//! in data/ and are served beside the page in www/NOTICES.txt, which a test
//! keeps equal to them.

use std::{env, fs, path::Path};

/// Each list and how its comment lines start.
const LISTS: &[(&str, &str)] = &[
    ("free-mail-domains.txt", "#"),
    ("legal-forms.txt", "#"),
    ("legal-form-equivalents.txt", "#"),
    ("fold.tsv", "#"),
    ("public-suffix-list.tree", "//"),
];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for (name, comment) in LISTS {
        let source = format!("data/{name}");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let entries: String =
            text.lines().filter(|l| !l.starts_with(comment)).flat_map(|l| [l, "\n"]).collect();
        fs::write(Path::new(&out).join(name), entries).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
