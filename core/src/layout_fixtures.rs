//! Layouts for unit tests: parsed from text, seats named by label.

use crate::ids::SeatIdx;
use crate::layout::SeatLayout;

/// The layout of `text` (panics on an invalid one: test code only).
pub(crate) fn layout(text: &str) -> SeatLayout {
    SeatLayout::parse_text(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The indices of `labels` in `l` (panics on an unknown label).
pub(crate) fn idx(l: &SeatLayout, labels: &[&str]) -> Vec<SeatIdx> {
    labels.iter().map(|s| l.find(s).unwrap_or_else(|| panic!("{s}"))).collect()
}
