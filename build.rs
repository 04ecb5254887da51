//! Copies the word lists of data/ into the build without their comment
//! headers, and gathers those headers (each list's source, licence and how to
//! regenerate it) into NOTICES.txt. The module needs the entries; the notices
//! are served beside the page as www/NOTICES.txt, which a test keeps equal to
//! the one made here.

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
    let mut notices = String::from(
        "Third-party data compiled into dealreg_bg.wasm\n\
         ==============================================\n\n\
         The customer matcher compiles in these word lists from data/ in the\n\
         repository. Their sources, licences and notices, as each list's header\n\
         states them:\n",
    );
    for (name, comment) in LISTS {
        let source = format!("data/{name}");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let (header, entries): (Vec<&str>, Vec<&str>) = text.lines().partition(|l| l.starts_with(comment));
        let entries: String = entries.into_iter().flat_map(|l| [l, "\n"]).collect();
        fs::write(Path::new(&out).join(name), entries).unwrap_or_else(|e| panic!("{name}: {e}"));
        notices += &format!("\n--- data/{name} ---\n{}\n", header.join("\n"));
    }
    fs::write(Path::new(&out).join("NOTICES.txt"), notices).expect("NOTICES.txt");
}
