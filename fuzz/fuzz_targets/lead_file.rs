//! The lead file reader (CSV or a JSON array) and the import preview with the
//! default options on a vendor desk (demo programme, small data set).
#![no_main]
use dealreg::leads::import::{read_table, ImportOptions};
use dealreg_fuzz::{now, vendor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let table = read_table(text);
    let preview = vendor().preview_lead_import(text, &ImportOptions::default(), now());
    assert_eq!(table.is_ok(), preview.is_ok(), "the preview and the reader disagree");
    if let (Ok(table), Ok(preview)) = (table, preview) {
        assert_eq!(preview.rows, table.rows.len());
        assert!(preview.ready <= preview.rows);
        for (_, row) in &table.rows {
            assert_eq!(row.len(), table.columns.len(), "a row is not as wide as the header");
        }
    }
});
