//! Errors: malformed input and failed storage. Business outcomes (a rejected
//! registration, a conflict) are never errors; they are returned data.

use std::fmt;

/// One thing wrong with a file or a stored value, at a JSON path such as
/// `$.registrations[3].value`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A file, or the value kept in storage, is not what it should be. `what`
    /// names it for a person ("backup file"); every problem found is listed.
    #[error("{what} is not valid: {}", list(.problems))]
    Invalid { what: String, problems: Vec<Problem> },
    /// Storage refused a read or a write (full, disabled, unavailable).
    #[error("storage failed: {0}")]
    Storage(String),
    /// A change that cannot be applied to the desk as it is now.
    #[error("{0}")]
    Refused(String),
    /// The stored desk was changed by another tab or window since this one
    /// read it: the change was not made; read the desk again and redo it.
    #[error("{0}")]
    Stale(String),
}

impl Error {
    pub fn invalid(what: &str, problems: Vec<Problem>) -> Error {
        Error::Invalid { what: what.to_string(), problems }
    }

    /// The problems behind an `Invalid` error, empty for the other kinds.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// The first few problems in one line; a person reads the rest in the list.
fn list(problems: &[Problem]) -> String {
    const SHOWN: usize = 3;
    let mut text = problems.iter().take(SHOWN).map(Problem::to_string).collect::<Vec<_>>().join("; ");
    if problems.len() > SHOWN {
        text.push_str(&format!(" (and {} more)", problems.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lists_the_first_problems_and_counts_the_rest() {
        let problems = (0..5).map(|i| Problem::new(format!("$.a[{i}]"), "bad")).collect();
        let text = Error::invalid("backup file", problems).to_string();
        assert_eq!(text, "backup file is not valid: $.a[0]: bad; $.a[1]: bad; $.a[2]: bad (and 2 more)");
    }
}
