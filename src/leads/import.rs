//! Reading leads from a campaign's CSV export or a JSON array of objects:
//! columns are mapped to lead fields (a mapping is suggested from the
//! headers, and previewed), every row is checked, and each bad cell is named
//! by its line and column. All or nothing, unless the user chooses to skip
//! the bad rows. Leads the customer matcher takes for known ones are flagged.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Lead, LeadStatus, Timing};
use crate::check::MAX_AMOUNT;
use crate::conflict::index::CustomerIndex;
use crate::conflict::{FuzzyMatcher, Profile, Verdict};
use crate::error::{Error, Problem};
use crate::ids::Random;
use crate::programme::Programme;
use crate::workspace::{Role, Workspace};

/// What a person calls a lead file in messages.
const WHAT: &str = "lead file";
/// More rows than a campaign export has; a bigger file is a mistake.
pub const MAX_ROWS: usize = 50_000;
/// Longer cells are not a field of a lead.
const MAX_CELL: usize = 2_000;

/// A lead field a column can fill: its name, what the form calls it, whether
/// it is required, and header names it is suggested for (compared without
/// case, spaces or punctuation).
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    aliases: &'static [&'static str],
}

const fn field(
    name: &'static str,
    label: &'static str,
    required: bool,
    aliases: &'static [&'static str],
) -> Field {
    Field { name, label, required, aliases }
}

pub const FIELDS: &[Field] = &[
    field(
        "company",
        "Company",
        true,
        &["company", "companyname", "account", "accountname", "organisation", "organization"],
    ),
    field("country", "Country (ISO code)", true, &["country", "countrycode", "billingcountry"]),
    field("contactName", "Contact name", false, &["contact", "contactname", "name", "fullname", "leadname"]),
    field("email", "E-mail", false, &["email", "emailaddress", "mail", "contactemail"]),
    field("domain", "Web site or domain", false, &["domain", "website", "web", "url", "site"]),
    field("region", "Region", false, &["region", "territory", "area"]),
    field("industry", "Industry", false, &["industry", "sector", "vertical"]),
    field(
        "employees",
        "Employees",
        false,
        &["employees", "size", "companysize", "headcount", "numberofemployees"],
    ),
    field("budget", "Budget", false, &["budget", "estimatedbudget", "value"]),
    field("timing", "Timing", false, &["timing", "timeframe", "purchasetimeframe", "when"]),
    field("need", "Need", false, &["need", "needs", "interest", "comments", "notes", "description"]),
    field("productLine", "Product line", false, &["productline", "product", "line", "productinterest"]),
    field("campaign", "Campaign", false, &["campaign", "campaignid", "campaignname", "source", "leadsource"]),
    field("createdAt", "Created", false, &["createdat", "created", "createddate", "date"]),
    field("id", "Lead id", false, &["id", "leadid"]),
];

/// How to read a lead file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportOptions {
    /// Lead field → column header. Missing: the suggested mapping.
    #[serde(default)]
    pub mapping: Option<BTreeMap<String, String>>,
    /// The campaign of rows that name none.
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// Import the good rows and report the bad ones, rather than refuse the file.
    #[serde(default)]
    pub skip_bad_rows: bool,
}

/// One bad cell (or row, when `column` is empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowProblem {
    /// The line in the CSV file (1 is the header), or the object's number in a JSON array.
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// A new lead the matcher takes for a lead already known (or earlier in the file).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    pub line: u64,
    pub id: String,
    pub company: String,
    pub of: String,
    pub of_company: String,
    pub score: f64,
}

/// What importing the file would do, for the mapping dialog.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub columns: Vec<String>,
    /// The first rows as read, for a person to check the columns.
    pub sample: Vec<Vec<String>>,
    pub rows: usize,
    /// The mapping used: the one given, or the one suggested.
    pub mapping: BTreeMap<String, String>,
    pub fields: Vec<FieldInfo>,
    /// What is wrong with the mapping or the chosen campaign; nothing is
    /// read from the rows until it is mended.
    pub mapping_problems: Vec<Problem>,
    /// Rows that would be imported.
    pub ready: usize,
    pub problems: Vec<RowProblem>,
    pub duplicates: Vec<Duplicate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadImport {
    pub added: Vec<String>,
    pub skipped: Vec<RowProblem>,
    pub duplicates: Vec<Duplicate>,
}

/// A file's rows as text, with their lines.
#[derive(Debug, Default, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

fn fail(what: &str, path: &str, message: impl Into<String>) -> Error {
    Error::invalid(what, vec![Problem::new(path, message)])
}

/// Reads CSV (comma, semicolon or tab separated, as spreadsheets write it) or
/// a JSON array of flat objects; problems name the file as `what` ("lead file").
pub fn read_table(text: &str, what: &str) -> Result<Table, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > crate::exchange::MAX_DOCUMENT_BYTES {
        let limit = crate::exchange::MAX_DOCUMENT_BYTES / (1024 * 1024);
        return Err(fail(what, "$", format!("is larger than the {limit} MB this page reads")));
    }
    if text.trim().is_empty() {
        return Err(fail(what, "$", "is empty"));
    }
    let start = text.trim_start();
    if start.starts_with('{') {
        // Never read as CSV: its lines (a key file's secret among them) would be shown as rows.
        let known =
            crate::exchange::known_format(text).map_or_else(String::new, |name| format!(" (that is {name})"));
        return Err(fail(
            what,
            "$",
            format!("is a JSON object{known}; a {what} is CSV, or a JSON array of rows"),
        ));
    }
    if start.starts_with('[') {
        let items = crate::exchange::top_level_items(text);
        if items > MAX_ROWS {
            return Err(too_many(what, items));
        }
        return read_json(text, what);
    }
    read_csv(text, what)
}

fn too_many(what: &str, rows: usize) -> Error {
    fail(what, "$", format!("has {rows} rows or more; at most {MAX_ROWS} are read at once: split the file"))
}

fn read_csv(text: &str, what: &str) -> Result<Table, Error> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .expect("three candidates");
    let mut records = Records::new(text, delimiter);
    let Some((_, header)) = records.next() else {
        return Err(fail(what, "line 1", "has no column names"));
    };
    let columns: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
    if columns.iter().all(String::is_empty) {
        return Err(fail(what, "line 1", "has no column names"));
    }
    let mut rows = Vec::new();
    for (line, record) in records {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            return Err(fail(
                what,
                &format!("line {line}"),
                format!("has {} cells; the header has {} columns", record.len(), columns.len()),
            ));
        }
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
        if rows.len() > MAX_ROWS {
            // Refused as soon as it is known, not after reading the rest.
            return Err(too_many(what, rows.len()));
        }
    }
    Ok(Table { columns, rows })
}

/// The records of a CSV text with the line each starts on, read by csv_core's
/// state machine (BurntSushi's, under the csv crate): quotes, doubled quotes,
/// separators and line breaks in quoted cells, CRLF or LF. Without the csv
/// crate's reader on top, which reads through `std::io` and brought its error
/// texts into the module; any text is some CSV, so there is nothing to fail.
struct Records<'a> {
    reader: csv_core::Reader,
    input: &'a [u8],
    done: bool,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: u8) -> Records<'a> {
        let reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        Records { reader, input: text.as_bytes(), done: false }
    }
}

impl Iterator for Records<'_> {
    type Item = (u64, Vec<String>);

    fn next(&mut self) -> Option<(u64, Vec<String>)> {
        use csv_core::ReadRecordResult::*;
        if self.done {
            return None;
        }
        let line = self.reader.line();
        let (mut out, mut ends) = (vec![0u8; 256], vec![0usize; 16]);
        let (mut filled, mut fields) = (0, 0);
        loop {
            let (result, read, written, ended) =
                self.reader.read_record(self.input, &mut out[filled..], &mut ends[fields..]);
            self.input = &self.input[read..];
            filled += written;
            fields += ended;
            match result {
                InputEmpty => {}
                OutputFull => out.resize(out.len() * 2, 0),
                OutputEndsFull => ends.resize(ends.len() * 2, 0),
                Record => break,
                End => {
                    self.done = true;
                    return None;
                }
            }
        }
        let mut start = 0;
        let cells = ends[..fields]
            .iter()
            .map(|&end| {
                // Cells of a UTF-8 text split at ASCII separators are UTF-8.
                let cell = String::from_utf8_lossy(&out[start..end]).into_owned();
                start = end;
                cell
            })
            .collect();
        Some((line, cells))
    }
}

fn read_json(text: &str, what: &str) -> Result<Table, Error> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| fail(what, "$", format!("is not JSON: {e}")))?;
    let items = value.as_array().expect("starts with [");
    let mut table = Table::default();
    for (idx, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            return Err(fail(what, &format!("$[{idx}]"), "is not an object with one row's fields"));
        };
        for key in object.keys() {
            if !table.columns.contains(key) {
                table.columns.push(key.clone());
            }
        }
    }
    for (idx, item) in items.iter().enumerate() {
        let object = item.as_object().expect("checked above");
        let mut row = Vec::with_capacity(table.columns.len());
        for column in &table.columns {
            row.push(match object.get(column) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.trim().to_string(),
                // Not `Value::to_string`, which compiles a serializer of values into the module.
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(serde_json::Value::Bool(b)) => b.to_string(),
                Some(_) => return Err(fail(what, &format!("$[{idx}].{column}"), "must be text or a number")),
            });
        }
        table.rows.push((idx as u64 + 1, row));
    }
    Ok(table)
}

/// Letters and digits only, lower case: how headers are compared.
fn plain(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The mapping suggested for these headers: each field to the first column whose
/// plain name is one of its aliases (or its own name).
pub fn suggest(columns: &[String]) -> BTreeMap<String, String> {
    let mut mapping = BTreeMap::new();
    let mut used = HashSet::new();
    for field in FIELDS {
        let own = plain(field.name);
        if let Some(column) = columns.iter().find(|c| {
            let p = plain(c);
            !used.contains(c.as_str()) && (p == own || field.aliases.contains(&p.as_str()))
        }) {
            used.insert(column.as_str());
            mapping.insert(field.name.to_string(), column.clone());
        }
    }
    mapping
}

/// The leads a table makes, the problems of its rows, and the duplicates.
struct Plan {
    leads: Vec<(u64, Lead)>,
    problems: Vec<RowProblem>,
    duplicates: Vec<Duplicate>,
}

/// A number as spreadsheets write it: "12000", "12,000", "12 000", "1.5e3".
/// Read by serde_json's number reader, which the module has anyway (core's
/// float parser would add its tables).
fn number(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '_')).collect();
    let cleaned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    serde_json::from_str::<f64>(cleaned).ok().filter(|n| n.is_finite())
}

fn timing(text: &str) -> Option<Timing> {
    match plain(text).as_str() {
        "thisquarter" | "now" | "03months" => Some(Timing::ThisQuarter),
        "nextquarter" | "36months" => Some(Timing::NextQuarter),
        "thisyear" | "612months" => Some(Timing::ThisYear),
        "later" | "12months" => Some(Timing::Later),
        _ => None,
    }
}

fn created_at(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(day) = text.parse::<NaiveDate>() {
        return day.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    text.parse::<DateTime<Utc>>().ok()
}

impl Workspace {
    fn plan_import(
        &self,
        table: &Table,
        options: &ImportOptions,
        now: DateTime<Utc>,
        random: Random,
    ) -> Result<Plan, Error> {
        self.vendor_or_refuse("import leads")?;
        let programme = self.programme_or_refuse()?;
        let mapping = options.mapping.clone().unwrap_or_else(|| suggest(&table.columns));
        let mut mapping_problems = Vec::new();
        for (name, column) in &mapping {
            if !FIELDS.iter().any(|f| f.name == name) {
                mapping_problems.push(Problem::new(format!("mapping.{name}"), "is not a lead field"));
            } else if !table.columns.contains(column) {
                mapping_problems.push(Problem::new(
                    format!("mapping.{name}"),
                    format!("{column:?} is not a column of the file"),
                ));
            }
        }
        for required in FIELDS.iter().filter(|f| f.required) {
            if !mapping.contains_key(required.name) {
                mapping_problems.push(Problem::new(
                    format!("mapping.{}", required.name),
                    "is required: choose its column",
                ));
            }
        }
        if let Some(id) = &options.campaign_id {
            if !self.campaigns.iter().any(|c| &c.id == id) {
                mapping_problems
                    .push(Problem::new("campaignId", format!("{id:?} is not one of the campaigns")));
            }
        }
        if !mapping_problems.is_empty() {
            return Err(Error::invalid(WHAT, mapping_problems));
        }
        let position = |name: &str| mapping.get(name).and_then(|c| table.columns.iter().position(|x| x == c));
        let positions: Vec<(&'static str, usize)> =
            FIELDS.iter().filter_map(|f| position(f.name).map(|p| (f.name, p))).collect();

        let mut problems = Vec::new();
        let mut leads = Vec::new();
        let mut ids_in_file: HashSet<String> = HashSet::new();
        for (line, row) in &table.rows {
            let cell = |name: &str| {
                positions.iter().find(|(n, _)| *n == name).map(|(_, p)| row[*p].as_str()).unwrap_or("")
            };
            let before = problems.len();
            let mut bad = |column: &str, message: String| {
                problems.push(RowProblem { line: *line, column: column.to_string(), message })
            };
            for (name, pos) in &positions {
                if row[*pos].chars().count() > MAX_CELL {
                    bad(mapping[*name].as_str(), format!("is longer than {MAX_CELL} characters"));
                }
            }
            let column = |name: &str| mapping.get(name).cloned().unwrap_or_default();
            let text = |value: &str| (!value.is_empty()).then(|| value.to_string());

            let company = cell("company").to_string();
            if company.is_empty() {
                bad(&column("company"), "is empty; every lead needs its company".into());
            }
            let country = cell("country").to_ascii_uppercase();
            if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                bad(
                    &column("country"),
                    format!("{:?} is not a country code such as \"SE\"", cell("country")),
                );
            }
            let email = text(cell("email"));
            if email.as_deref().is_some_and(|e| !e.contains('@') || e.starts_with('@') || e.ends_with('@')) {
                bad(&column("email"), format!("{:?} is not an e-mail address", cell("email")));
            }
            let employees = match cell("employees") {
                "" => None,
                raw => {
                    match number(raw).filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX)) {
                        Some(n) => Some(n as u32),
                        None => {
                            bad(&column("employees"), format!("{raw:?} is not a whole number of employees"));
                            None
                        }
                    }
                }
            };
            let budget = match cell("budget") {
                "" => None,
                raw => match number(raw).filter(|n| (0.0..=MAX_AMOUNT).contains(n)) {
                    Some(n) => Some(n),
                    None => {
                        bad(
                            &column("budget"),
                            format!("{raw:?} is not an amount from 0 to 1,000,000,000,000"),
                        );
                        None
                    }
                },
            };
            let timing = match cell("timing") {
                "" => None,
                raw => timing(raw).or_else(|| {
                    bad(
                        &column("timing"),
                        format!("{raw:?} is not thisQuarter, nextQuarter, thisYear or later"),
                    );
                    None
                }),
            };
            let product_line = match cell("productLine") {
                "" => None,
                raw => programme_line(programme, raw).or_else(|| {
                    let lines: Vec<&str> = programme.product_lines.iter().map(|l| l.id.as_str()).collect();
                    bad(
                        &column("productLine"),
                        format!("{raw:?} is not a product line ({})", lines.join(", ")),
                    );
                    None
                }),
            };
            let campaign_id = match cell("campaign") {
                "" => options.campaign_id.clone().or_else(|| {
                    bad(
                        &column("campaign"),
                        "names no campaign, and no campaign was chosen for such rows".into(),
                    );
                    None
                }),
                raw => self
                    .campaigns
                    .iter()
                    .find(|c| c.id == raw || c.name.eq_ignore_ascii_case(raw))
                    .map(|c| c.id.clone())
                    .or_else(|| {
                        bad(&column("campaign"), format!("{raw:?} is not one of the campaigns"));
                        None
                    }),
            };
            let created = match cell("createdAt") {
                "" => Some(now),
                raw => created_at(raw).filter(|t| *t <= now).or_else(|| {
                    bad(
                        &column("createdAt"),
                        format!("{raw:?} is not a date (2026-11-27) or a time in the past"),
                    );
                    None
                }),
            };
            let id = match cell("id") {
                "" => None,
                raw => {
                    if raw.len() > 64 || raw.chars().any(char::is_control) {
                        bad(&column("id"), format!("{raw:?} is not an id: use 1 to 64 printable characters"));
                    } else if self.lead(raw).is_some() || !ids_in_file.insert(raw.to_string()) {
                        bad(&column("id"), format!("{raw:?} is already a lead's id"));
                    }
                    Some(raw.to_string())
                }
            };
            if problems.len() > before {
                continue;
            }
            leads.push((
                *line,
                Lead {
                    id: id.unwrap_or_default(),
                    revision: 1,
                    campaign_id: campaign_id.expect("checked"),
                    company,
                    domain: text(cell("domain")),
                    contact_name: cell("contactName").to_string(),
                    email,
                    country,
                    region: text(cell("region")),
                    industry: text(cell("industry")),
                    employees,
                    budget,
                    timing,
                    need: text(cell("need")),
                    product_line,
                    status: LeadStatus::New,
                    status_reason: None,
                    assigned_to: None,
                    offer: None,
                    declined_by: Vec::new(),
                    offered_to: Vec::new(),
                    activities: Vec::new(),
                    next_touch: None,
                    registration_id: None,
                    duplicate_of: None,
                    created_at: created.expect("checked"),
                    partner_revision: None,
                },
            ));
        }
        // Ids for rows without one: random, never counted (see crate::ids).
        let unnamed = leads.iter().filter(|(_, l)| l.id.is_empty()).count();
        let fresh = crate::ids::fresh_batch("L", random, unnamed);
        for ((_, lead), id) in leads.iter_mut().filter(|(_, l)| l.id.is_empty()).zip(fresh) {
            if self.lead(&id).is_some() || ids_in_file.contains(&id) {
                // Only bytes handed in twice can do this: refused, never merged.
                return Err(Error::Refused(format!("{id} is already a lead's id")));
            }
            lead.id = id;
        }
        let duplicates = self.duplicates(programme, &mut leads);
        Ok(Plan { leads, problems, duplicates })
    }

    /// Flags each new lead that the matcher takes for a known one, or an
    /// earlier one of the file: its `duplicateOf` names it.
    fn duplicates(&self, programme: &Programme, leads: &mut [(u64, Lead)]) -> Vec<Duplicate> {
        let known = self.leads.len();
        let profiles: Vec<Profile> =
            self.leads.iter().map(Lead::profile).chain(leads.iter().map(|(_, l)| l.profile())).collect();
        let index = CustomerIndex::new(profiles);
        let mut matcher = FuzzyMatcher::for_programme(programme);
        matcher.common = index.common_words();
        let mut out = Vec::new();
        for i in 0..leads.len() {
            let me = known + i;
            let best = matcher
                .search(&index, index.profile(me))
                .into_iter()
                .filter(|(j, m)| *j < me && m.verdict == Verdict::Same)
                // The best match; of equals, the earliest lead.
                .max_by(|a, b| a.1.score.total_cmp(&b.1.score).then(b.0.cmp(&a.0)));
            if let Some((j, m)) = best {
                let (of, of_company) = if j < known {
                    (self.leads[j].id.clone(), self.leads[j].company.clone())
                } else {
                    (leads[j - known].1.id.clone(), leads[j - known].1.company.clone())
                };
                let (line, lead) = &mut leads[i];
                lead.duplicate_of = Some(of.clone());
                out.push(Duplicate {
                    line: *line,
                    id: lead.id.clone(),
                    company: lead.company.clone(),
                    of,
                    of_company,
                    score: m.score,
                });
            }
        }
        out
    }

    /// What importing a lead file with these options would do; changes nothing.
    /// `random` makes the new leads' ids, as importing would.
    pub fn preview_lead_import(
        &self,
        text: &str,
        options: &ImportOptions,
        now: DateTime<Utc>,
        random: Random,
    ) -> Result<ImportPreview, Error> {
        let table = read_table(text, WHAT)?;
        let mut preview = ImportPreview {
            columns: table.columns.clone(),
            sample: table.rows.iter().take(5).map(|(_, r)| r.clone()).collect(),
            rows: table.rows.len(),
            mapping: options.mapping.clone().unwrap_or_else(|| suggest(&table.columns)),
            fields: FIELDS
                .iter()
                .map(|f| FieldInfo { name: f.name, label: f.label, required: f.required })
                .collect(),
            mapping_problems: Vec::new(),
            ready: 0,
            problems: Vec::new(),
            duplicates: Vec::new(),
        };
        match self.plan_import(&table, options, now, random) {
            Ok(plan) => {
                preview.ready = plan.leads.len();
                preview.problems = plan.problems;
                preview.duplicates = plan.duplicates;
            }
            // A mapping to mend is what the preview is for: shown, not thrown.
            Err(Error::Invalid { problems, .. }) => preview.mapping_problems = problems,
            Err(other) => return Err(other),
        }
        Ok(preview)
    }

    /// Vendor: adds the leads of a file. Refused whole, naming every bad cell,
    /// unless `skipBadRows`; then the good rows are added and the bad reported.
    /// `random` makes the ids of leads the file gives none ([`crate::ids`]).
    pub fn import_leads(
        &mut self,
        text: &str,
        options: &ImportOptions,
        now: DateTime<Utc>,
        random: Random,
    ) -> Result<LeadImport, Error> {
        let table = read_table(text, WHAT)?;
        let plan = self.plan_import(&table, options, now, random)?;
        if !plan.problems.is_empty() && !options.skip_bad_rows {
            let problems = plan
                .problems
                .iter()
                .map(|p| Problem::new(format!("line {}, {}", p.line, p.column), p.message.clone()))
                .collect();
            return Err(Error::invalid(WHAT, problems));
        }
        if plan.leads.is_empty() {
            return Err(Error::Refused("the file holds no lead to import".into()));
        }
        let added: Vec<String> = plan.leads.iter().map(|(_, l)| l.id.clone()).collect();
        self.leads.extend(plan.leads.into_iter().map(|(_, l)| l));
        debug_assert!(self.role == Some(Role::Vendor));
        let mut detail =
            format!("{} leads imported ({} to {})", added.len(), added[0], added[added.len() - 1]);
        if !plan.problems.is_empty() {
            let lines: HashSet<u64> = plan.problems.iter().map(|p| p.line).collect();
            detail += &format!("; {} bad rows skipped", lines.len());
        }
        if !plan.duplicates.is_empty() {
            detail += &format!("; {} flagged as duplicates", plan.duplicates.len());
        }
        self.record(now, "importLeads", detail);
        Ok(LeadImport { added, skipped: plan.problems, duplicates: plan.duplicates })
    }
}

/// A product line by id or name, without case.
fn programme_line(programme: &Programme, text: &str) -> Option<String> {
    programme
        .product_lines
        .iter()
        .find(|l| l.id.eq_ignore_ascii_case(text) || l.name.eq_ignore_ascii_case(text))
        .map(|l| l.id.clone())
}
