//! Tables as CSV files: RFC 4180 (commas, double quotes, CRLF), UTF-8, with
//! an optional byte-order mark so spreadsheet programs read the encoding
//! right. The registration and lead exports use the column names CRM imports
//! map by themselves (Salesforce's and HubSpot's opportunity and lead fields).
//! Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
//! carriage return first) gets a leading apostrophe: a partner's file must not
//! become a formula on the vendor's machine.

use crate::leads::Lead;
use crate::registration::Registration;
use crate::workspace::Workspace;

/// The byte-order mark some spreadsheet programs need to read UTF-8.
const BOM: &str = "\u{feff}";

/// One cell: text is protected against formulas, numbers are written as they are.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn render(&self) -> String {
        match self {
            Cell::Text(text) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{text}"),
            Cell::Text(text) => text.clone(),
            // serde_json's shortest float form: the module has it already, where
            // `f64::to_string` would add core's float formatting (measured ~20 KB gzipped).
            Cell::Number(n) if n.is_finite() => {
                let text = serde_json::to_string(n).expect("a finite number serialises");
                text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
            }
            Cell::Number(_) | Cell::Empty => String::new(),
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn optional(value: Option<impl ToString>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}

/// One field as RFC 4180 writes it: quoted when it holds a comma, a quote or
/// a line break, with quotes doubled.
fn field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn record<'a>(out: &mut String, values: impl IntoIterator<Item = &'a str>) {
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, value);
    }
    out.push_str("\r\n");
}

/// A header and rows as a CSV file.
pub fn to_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>, bom: bool) -> String {
    write_csv(header, rows.into_iter().collect(), bom)
}

/// The writer, compiled once whatever the rows come from.
fn write_csv(header: &[&str], rows: Vec<Vec<Cell>>, bom: bool) -> String {
    let mut out = String::from(if bom { BOM } else { "" });
    record(&mut out, header.iter().copied());
    for row in rows {
        let cells: Vec<String> = row.iter().map(Cell::render).collect();
        record(&mut out, cells.iter().map(String::as_str));
    }
    out
}

pub const REGISTRATION_COLUMNS: [&str; 19] = [
    "Opportunity ID",
    "Account Name",
    "Website",
    "Billing Country",
    "Billing City",
    "Partner ID",
    "Partner Name",
    "Amount",
    "Currency",
    "Close Date",
    "Stage",
    "Registration Status",
    "Received Date",
    "Protected Until",
    "Products",
    "Contact Name",
    "Contact Email",
    "Lead ID",
    "Campaign ID",
];

fn registration_row(ws: &Workspace, r: &Registration) -> Vec<Cell> {
    let partner = ws.programme.as_ref().and_then(|p| p.partner(&r.partner_id)).map(|p| p.name.clone());
    let products: Vec<String> = r.products.iter().map(|i| format!("{} x{}", i.sku, i.quantity)).collect();
    vec![
        text(&r.id),
        text(&r.customer.name),
        optional(r.customer.domain.as_ref()),
        text(&r.customer.country),
        optional(r.customer.city.as_ref()),
        text(&r.partner_id),
        optional(partner),
        Cell::Number(r.value),
        text(&r.currency),
        text(r.expected_close.to_string()),
        text(r.stage.as_str()),
        text(r.status.as_str()),
        optional(r.received_at.map(|t| t.date_naive())),
        optional(r.protected_until),
        text(products.join("; ")),
        optional(r.contact.as_ref().map(|c| &c.name)),
        optional(r.contact.as_ref().and_then(|c| c.email.as_ref())),
        optional(r.lead_id.as_ref()),
        optional(r.campaign_id.as_ref()),
    ]
}

pub const LEAD_COLUMNS: [&str; 14] = [
    "Lead ID",
    "Company",
    "Website",
    "First Name",
    "Last Name",
    "Email",
    "Country",
    "Industry",
    "No. of Employees",
    "Budget",
    "Lead Status",
    "Lead Source",
    "Assigned Partner",
    "Created Date",
];

fn lead_row(ws: &Workspace, l: &Lead) -> Vec<Cell> {
    // CRMs want the contact's name in two parts; the last word is the family name.
    let (first, last) = match l.contact_name.trim().rsplit_once(' ') {
        Some((first, last)) => (first.to_string(), last.to_string()),
        None => (String::new(), l.contact_name.trim().to_string()),
    };
    let campaign =
        ws.campaigns.iter().find(|c| c.id == l.campaign_id).map_or(l.campaign_id.clone(), |c| c.name.clone());
    vec![
        text(&l.id),
        text(&l.company),
        optional(l.domain.as_ref()),
        text(first),
        text(last),
        optional(l.email.as_ref()),
        text(&l.country),
        optional(l.industry.as_ref()),
        l.employees.map_or(Cell::Empty, |n| Cell::Number(f64::from(n))),
        l.budget.map_or(Cell::Empty, Cell::Number),
        text(l.status.as_str()),
        text(campaign),
        optional(l.assigned_to.as_ref()),
        text(l.created_at.date_naive().to_string()),
    ]
}

impl Workspace {
    /// Every registration on this desk as CSV.
    pub fn registrations_csv(&self, bom: bool) -> String {
        to_csv(&REGISTRATION_COLUMNS, self.registrations.iter().map(|r| registration_row(self, r)), bom)
    }

    /// Every lead on this desk as CSV.
    pub fn leads_csv(&self, bom: bool) -> String {
        to_csv(&LEAD_COLUMNS, self.leads.iter().map(|l| lead_row(self, l)), bom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_newlines_and_formulas_as_rfc_4180_says() {
        let csv = to_csv(
            &["Name", "Amount"],
            [
                vec![text("Smith, Jones & \"Partners\""), Cell::Number(1250.5)],
                vec![text("two\nlines"), Cell::Empty],
                vec![text("=HYPERLINK(\"http://x\")"), Cell::Number(-3.0)],
                vec![text("Ærø Ølbryggeri"), Cell::Number(f64::NAN)],
            ],
            false,
        );
        assert_eq!(
            csv,
            "Name,Amount\r\n\"Smith, Jones & \"\"Partners\"\"\",1250.5\r\n\"two\nlines\",\r\n\
             \"'=HYPERLINK(\"\"http://x\"\")\",-3\r\nÆrø Ølbryggeri,\r\n"
        );
        assert!(to_csv(&["A"], [], true).starts_with('\u{feff}'));
        assert!(!to_csv(&["A"], [], false).starts_with('\u{feff}'));
    }
}
