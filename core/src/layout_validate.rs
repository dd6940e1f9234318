//! Layout validation: collects every problem, each located by text position or by path.

use crate::layout_error::{LayoutError, LayoutIssue};
use crate::layout_spec::{LayoutSpec, RowSpec, SeatSpec};
use std::collections::{HashMap, HashSet};

/// Most places in a layout, general-admission capacity included.
pub const LAYOUT_SEATS_MAX: usize = 100_000;
/// Most rows in a layout.
pub const LAYOUT_ROWS_MAX: usize = 2_000;
/// Most seats in one row.
pub const ROW_SEATS_MAX: usize = 1_000;
/// Most sections in a layout.
pub const LAYOUT_SECTIONS_MAX: usize = 100;
/// Most distinct categories in a layout.
pub const LAYOUT_CATEGORIES_MAX: usize = 64;
/// Most general-admission zones in a layout.
pub const LAYOUT_ZONES_MAX: usize = 64;
/// Most seats in one pair group.
pub const PAIR_GROUP_SEATS_MAX: usize = 4;
/// Longest seat label, in bytes.
pub const SEAT_LABEL_BYTES_MAX: usize = 16;
/// Longest section, row, zone, category or layout name, in bytes.
pub const LAYOUT_NAME_BYTES_MAX: usize = 64;
/// Largest absolute seat coordinate.
pub const LAYOUT_COORDINATE_MAX: i32 = 100_000;

struct Issues(Vec<LayoutIssue>);

impl Issues {
    fn at(&mut self, (line, column): (u32, u32), path: String, message: impl Into<String>) {
        self.0.push(LayoutIssue { line, column, path, message: message.into() });
    }
}

fn name_problem(name: &str, max: usize) -> Option<String> {
    if name.trim().is_empty() {
        Some("must not be empty".into())
    } else if name.len() > max {
        Some(format!("must be at most {max} bytes"))
    } else if name.chars().any(|c| c.is_control()) {
        Some("must not contain control characters".into())
    } else {
        None
    }
}

/// Checks a spec; `Err` lists every problem in source order.
pub(crate) fn validate(spec: &LayoutSpec) -> Result<(), LayoutError> {
    let mut issues = Issues(Vec::new());
    let seats: usize = spec.sections.iter().flat_map(|s| &s.rows).map(|r| r.seats.len()).sum();
    let places = spec.zones.iter().fold(seats, |n, z| n.saturating_add(z.capacity as usize));
    if places == 0 {
        issues.at((0, 0), String::new(), "the layout has no seats");
    }
    if places > LAYOUT_SEATS_MAX {
        issues.at((0, 0), String::new(), format!("{places} places exceed the limit of {LAYOUT_SEATS_MAX}"));
    }
    let rows: usize = spec.sections.iter().map(|s| s.rows.len()).sum();
    if rows > LAYOUT_ROWS_MAX {
        issues.at((0, 0), String::new(), format!("{rows} rows exceed the limit of {LAYOUT_ROWS_MAX}"));
    }
    if spec.sections.len() > LAYOUT_SECTIONS_MAX {
        issues.at((0, 0), "sections".into(), format!("more than {LAYOUT_SECTIONS_MAX} sections"));
    }
    if spec.zones.len() > LAYOUT_ZONES_MAX {
        issues.at((0, 0), "zones".into(), format!("more than {LAYOUT_ZONES_MAX} zones"));
    }
    if let Some(p) = spec.name.as_deref().and_then(|n| name_problem(n, LAYOUT_NAME_BYTES_MAX)) {
        issues.at((0, 0), "name".into(), format!("layout name {p}"));
    }
    if issues.0.is_empty() || places <= LAYOUT_SEATS_MAX {
        check_sections(spec, &mut issues);
    }
    if issues.0.is_empty() { Ok(()) } else { Err(LayoutError { issues: issues.0 }) }
}

fn check_sections(spec: &LayoutSpec, issues: &mut Issues) {
    let mut labels: HashMap<&str, String> = HashMap::new();
    let mut categories: HashSet<&str> = HashSet::new();
    let mut groups: HashMap<&str, Vec<(usize, usize, &SeatSpec)>> = HashMap::new();
    let mut row_no = 0usize;
    for (si, section) in spec.sections.iter().enumerate() {
        if let Some(p) = name_problem(&section.name, LAYOUT_NAME_BYTES_MAX) {
            issues.at((0, 0), format!("sections[{si}].name"), format!("section name {p}"));
        }
        for (ri, row) in section.rows.iter().enumerate() {
            let path = format!("sections[{si}].rows[{ri}]");
            if let Some(p) = name_problem(&row.name, LAYOUT_NAME_BYTES_MAX) {
                issues.at((row.line, 1), format!("{path}.name"), format!("row name {p}"));
            }
            if row.seats.len() > ROW_SEATS_MAX {
                issues.at((row.line, 1), path.clone(), format!("more than {ROW_SEATS_MAX} seats in a row"));
            }
            if row.seats.is_empty() {
                issues.at((row.line, 1), path.clone(), format!("row {} has no seats", row.name));
            }
            check_row(row, &path, issues);
            for (i, seat) in row.seats.iter().enumerate() {
                let spath = format!("{path}.seats[{i}]");
                categories.insert(seat.category.as_str());
                if let Some(first) = labels.insert(seat.label.as_str(), spath.clone()) {
                    issues.at(
                        seat.at,
                        spath.clone(),
                        format!("duplicate seat label {:?} (first at {first})", seat.label),
                    );
                }
                if let Some(g) = &seat.pair {
                    groups.entry(g.as_str()).or_default().push((row_no, i, seat));
                }
            }
            row_no += 1;
        }
    }
    for (zi, zone) in spec.zones.iter().enumerate() {
        let path = format!("zones[{zi}]");
        categories.insert(zone.category.as_str());
        if let Some(p) = name_problem(&zone.name, LAYOUT_NAME_BYTES_MAX) {
            issues.at((zone.line, 1), format!("{path}.name"), format!("zone name {p}"));
        }
        if zone.capacity == 0 {
            issues.at((zone.line, 1), format!("{path}.capacity"), "zone capacity must be at least 1");
        }
        if spec.zones[..zi].iter().any(|z| z.name == zone.name) {
            issues.at((zone.line, 1), format!("{path}.name"), format!("duplicate zone {:?}", zone.name));
        }
        // Zone places are labelled `<zone>-<n>`: they must not collide with seat labels.
        let prefix = format!("{}-", zone.name);
        if let Some((label, _)) = labels.iter().find(|(l, _)| l.starts_with(&prefix)) {
            issues.at((zone.line, 1), path, format!("zone places would clash with seat {label:?}"));
        }
    }
    if categories.len() > LAYOUT_CATEGORIES_MAX {
        issues.at((0, 0), String::new(), format!("more than {LAYOUT_CATEGORIES_MAX} categories"));
    }
    check_pairs(groups, issues);
}

fn check_row(row: &RowSpec, path: &str, issues: &mut Issues) {
    let mut by_x: Vec<(i32, usize)> = row.seats.iter().enumerate().map(|(i, s)| (s.x, i)).collect();
    by_x.sort_unstable();
    for w in by_x.windows(2) {
        if w[0].0 == w[1].0 {
            let s = &row.seats[w[1].1];
            issues.at(
                s.at,
                format!("{path}.seats[{}]", w[1].1),
                format!("seat {} has the same position as another", s.label),
            );
        }
    }
    for (i, s) in row.seats.iter().enumerate() {
        let spath = format!("{path}.seats[{i}]");
        if let Some(p) = name_problem(&s.label, SEAT_LABEL_BYTES_MAX) {
            issues.at(s.at, spath.clone(), format!("seat label {p}"));
        }
        if let Some(p) = name_problem(&s.category, LAYOUT_NAME_BYTES_MAX) {
            issues.at(s.at, spath.clone(), format!("category {p}"));
        }
        // unsigned_abs: i32::MIN has no i32 absolute value, and must be refused, not wrapped.
        if s.x.unsigned_abs() > LAYOUT_COORDINATE_MAX.unsigned_abs()
            || s.y.unsigned_abs() > LAYOUT_COORDINATE_MAX.unsigned_abs()
        {
            issues.at(s.at, spath.clone(), format!("position out of range (max {LAYOUT_COORDINATE_MAX})"));
        }
        let beside = |o: &SeatSpec| (i64::from(o.x) - i64::from(s.x)).abs() == 1;
        if s.companion && !row.seats.iter().any(|o| o.wheelchair && beside(o)) {
            issues.at(s.at, spath, format!("companion seat {} has no wheelchair place next to it", s.label));
        }
    }
}

fn check_pairs(groups: HashMap<&str, Vec<(usize, usize, &SeatSpec)>>, issues: &mut Issues) {
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by_key(|(_, seats)| seats.first().map(|(r, i, _)| (*r, *i)));
    for (name, seats) in groups {
        let Some((row, _, first)) = seats.first() else { continue };
        let path = format!("pair {name:?}");
        if seats.len() < 2 {
            issues.at(
                first.at,
                path,
                format!("seat {} is a pair on its own: its partner is missing", first.label),
            );
        } else if seats.len() > PAIR_GROUP_SEATS_MAX {
            issues.at(first.at, path, format!("a pair group has at most {PAIR_GROUP_SEATS_MAX} seats"));
        } else if seats.iter().any(|(r, _, _)| r != row) {
            issues.at(first.at, path, "the seats of a pair must be in one row");
        } else {
            let mut xs: Vec<i32> = seats.iter().map(|(_, _, s)| s.x).collect();
            xs.sort_unstable();
            if xs.windows(2).any(|w| w[1] - w[0] != 1) {
                issues.at(first.at, path, "the seats of a pair must be side by side");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{LayoutSpec, RowSpec, SeatLayout, SeatSpec, SectionSpec};

    fn seat(label: &str, x: i32, y: i32) -> SeatSpec {
        SeatSpec { label: label.into(), x, y, category: "standard".into(), ..SeatSpec::default() }
    }

    fn layout(seats: Vec<SeatSpec>) -> LayoutSpec {
        let row = RowSpec { name: "A".into(), seats, line: 0 };
        LayoutSpec {
            sections: vec![SectionSpec { name: "Main".into(), rows: vec![row] }],
            ..LayoutSpec::default()
        }
    }

    #[test]
    fn extreme_positions_are_refused_not_wrapped() {
        for (x, y) in [(0, i32::MIN), (i32::MIN, 0), (i32::MAX, 1), (100_001, 0)] {
            let mut companion = seat("A2", 1, 0);
            companion.companion = true;
            let mut wheelchair = seat("A1", x, y);
            wheelchair.wheelchair = true;
            let refused = SeatLayout::from_spec(layout(vec![wheelchair, companion])).err();
            let issues = refused.map(|e| e.issues.iter().map(|i| i.message.clone()).collect::<Vec<_>>());
            let out_of_range = issues.iter().flatten().any(|m| m.contains("out of range"));
            assert!(out_of_range, "({x}, {y}): {issues:?}");
        }
        assert!(SeatLayout::from_spec(layout(vec![seat("A1", -100_000, 100_000)])).is_ok());
    }
}
