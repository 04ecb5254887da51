//! Small checks shared by every document's validation: each one appends a
//! [`Problem`] at a JSON path instead of stopping, so a person sees all of them.

use std::collections::HashSet;

use crate::error::Problem;

/// Collects problems under JSON paths.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

/// No deal, price or budget comes near a trillion; more is a typo or a hostile file.
pub const MAX_AMOUNT: f64 = 1e12;

impl Problems {
    pub fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem::new(path, message));
    }

    /// Money and other amounts: finite and not negative.
    pub fn amount(&mut self, path: &str, value: f64) {
        if !value.is_finite() || value < 0.0 {
            self.add(path, format!("must be a number 0 or more, got {value}"));
        } else if value > MAX_AMOUNT {
            self.add(path, "is more than any deal or budget: at most 1,000,000,000,000");
        }
    }

    /// A share such as 0.5: from 0 to 1.
    pub fn share(&mut self, path: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.add(path, format!("must be from 0 to 1, got {value}"));
        }
    }

    pub fn not_blank(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(path, "must not be empty");
        }
    }

    /// An id: non-empty, printable, at most 64 characters.
    pub fn id(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(path, "must not be empty");
        } else if value.len() > 64 || value.chars().any(char::is_control) {
            self.add(path, format!("{value:?} is not an id: use 1 to 64 printable characters"));
        }
    }

    /// ISO 4217 code: three capital letters.
    pub fn currency(&mut self, path: &str, value: &str) {
        if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            self.add(path, format!("{value:?} is not a currency code such as \"EUR\""));
        }
    }

    /// ISO 3166-1 alpha-2 code: two capital letters.
    pub fn country(&mut self, path: &str, value: &str) {
        if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            self.add(path, format!("{value:?} is not a country code such as \"SE\""));
        }
    }

    /// Every id in `ids` (listed under `path[i].field`) occurs once.
    pub fn unique<'a>(&mut self, path: &str, field: &str, ids: impl IntoIterator<Item = &'a str>) {
        self.unique_in(path, field, &mut ids.into_iter());
    }

    /// One copy of `unique`'s body for every kind of list (generic, it was compiled per list).
    fn unique_in(&mut self, path: &str, field: &str, ids: &mut dyn Iterator<Item = &str>) {
        let mut seen = HashSet::new();
        for (idx, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.add(format!("{path}[{idx}].{field}"), format!("{id:?} is used twice"));
            }
        }
    }

    pub fn into_result(self) -> Result<(), Vec<Problem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_names_its_path() {
        let mut p = Problems::default();
        p.amount("$.a", -1.0);
        p.amount("$.b", f64::NAN);
        p.amount("$.ok", 0.0);
        p.share("$.c", 1.5);
        p.currency("$.d", "eur");
        p.country("$.e", "SWE");
        p.id("$.f", "");
        p.unique("$.g", "id", ["x", "y", "x"]);
        let paths: Vec<_> = p.0.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$.a", "$.b", "$.c", "$.d", "$.e", "$.f", "$.g[2].id"]);
    }
}
