//! Writes the demo data shipped with the page: `www/demo/programme.json` and
//! `www/demo/dataset.json`, generated from a fixed seed so every run gives the
//! same bytes. `tests/native.rs` checks the shipped files equal this output.
//!
//!     cargo run --example demo_data

mod generator;

fn main() -> std::io::Result<()> {
    let (programme, dataset) = generator::files(generator::SEED);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("programme.json"), programme)?;
    std::fs::write(dir.join("dataset.json"), dataset)?;
    println!("wrote {}", dir.display());
    Ok(())
}
