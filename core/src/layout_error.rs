//! Errors found in a seat layout: every one of them, each with where it is.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem in a layout, located by line and column (text form, 1-based) or by path (JSON form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutIssue {
    /// 1-based line in the text form; 0 when the layout did not come from text.
    pub line: u32,
    /// 1-based column in the text form; 0 when the layout did not come from text.
    pub column: u32,
    /// Where in the structure, e.g. `sections[0].rows[2].seats[5]` or a seat label; may be empty.
    pub path: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for LayoutIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// A layout was refused; `issues` lists every problem found, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct LayoutError {
    /// Every problem found (never empty).
    pub issues: Vec<LayoutIssue>,
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid layout ({} problem(s))", self.issues.len())?;
        for issue in self.issues.iter().take(20) {
            write!(f, "; {issue}")?;
        }
        Ok(())
    }
}
