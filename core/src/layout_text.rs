//! The compact text form of a layout, written by hand in a few lines per row.
//!
//! ```text
//! # Screen 1: a comment runs to the end of the line
//! layout "Screen 1"                      # optional display name
//! section Stalls category=standard       # rows below belong to Stalls; default category
//! row A: 1-4 _ 5-12                      # seats A1..A12; `_` is an aisle (one seat wide)
//! row B: w1 c2 3-10 c11 w12              # w wheelchair, c companion, x blocked (combine: wx3)
//! row C offset=1: 1-4 (5 6) 7-10@vip     # (..) a loveseat pair; @cat a category per token
//! row D: 12-1                            # descending numbers are fine
//! section Balcony category=premium
//! row E category=vip: x1 2-8             # a row may set its own category
//! zone Standing capacity=200 category=ga # general admission: places Standing-1..Standing-200
//! ```
//!
//! Grammar (one statement per line, blank lines and `#` comments ignored, indentation free):
//! ```text
//! layout   := "layout" NAME
//! section  := "section" NAME ("category=" CAT)?
//! row      := "row" NAME ("category=" CAT | "offset=" INT)* ":" item+
//! item     := "_" | "("? seat ")"?
//! seat     := [wcx]* NUM ("-" NUM)? ("@" CAT)?
//! zone     := "zone" NAME "capacity=" NUM ("category=" CAT)?
//! ```
//! A seat's label is the row name followed by its number. Its `x` is its column: the row starts
//! at `offset + 1` and every seat and `_` takes one column. Its `y` counts rows from the front,
//! with one empty row between sections. Rows before any section belong to a section `Main` whose
//! category is `standard`. Parse errors carry line and column, and every error is reported.

use crate::layout::SeatLayout;
use crate::layout_error::{LayoutError, LayoutIssue};
use crate::layout_spec::{LayoutSpec, RowSpec, SeatSpec, SectionSpec, ZoneSpec};
use crate::layout_validate::ROW_SEATS_MAX;

/// Longest layout text accepted, in bytes.
pub const LAYOUT_TEXT_BYTES_MAX: usize = 4 * 1024 * 1024;

impl SeatLayout {
    /// Parses the text form (see the module documentation of `layout_text`), then validates.
    ///
    /// ```
    /// # use booking_core::SeatLayout;
    /// let layout = SeatLayout::parse_text("row A: 1-3 _ 4-6").unwrap();
    /// assert_eq!(layout.seat_count(), 6);
    /// let err = SeatLayout::parse_text("row A: 1-3\nrow B 1-3").unwrap_err();
    /// assert_eq!((err.issues[0].line, err.issues[0].column), (2, 1));
    /// ```
    pub fn parse_text(text: &str) -> Result<SeatLayout, LayoutError> {
        if text.len() > LAYOUT_TEXT_BYTES_MAX {
            let message = format!("layout text exceeds {LAYOUT_TEXT_BYTES_MAX} bytes");
            return Err(LayoutError {
                issues: vec![LayoutIssue { line: 1, column: 1, path: String::new(), message }],
            });
        }
        let mut p = Parser::default();
        for (n, line) in text.lines().enumerate() {
            p.line(u32::try_from(n + 1).unwrap_or(u32::MAX), line);
        }
        if !p.issues.is_empty() {
            return Err(LayoutError { issues: p.issues });
        }
        SeatLayout::from_spec(p.spec)
    }

    /// The text form, when this layout can be written in it (`Some(text)` always parses back
    /// to an equal layout; layouts from JSON with free-form labels, positions or pair names may
    /// give `None`).
    pub fn to_text(&self) -> Option<String> {
        let text = write_text(&self.spec)?;
        let back = SeatLayout::parse_text(&text).ok()?;
        (back == *self).then_some(text)
    }
}

#[derive(Default)]
struct Parser {
    spec: LayoutSpec,
    issues: Vec<LayoutIssue>,
    section_category: String,
    y: i32,
}

/// A token with its 1-based column.
type Tok<'a> = (u32, &'a str);

fn tokens(s: &str, base: usize) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(b)) => {
                out.push((u32::try_from(base + b + 1).unwrap_or(u32::MAX), &s[b..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

impl Parser {
    fn err(&mut self, line: u32, column: u32, message: impl Into<String>) {
        self.issues.push(LayoutIssue { line, column, path: String::new(), message: message.into() });
    }

    fn line(&mut self, n: u32, raw: &str) {
        let code = raw.split('#').next().unwrap_or("");
        let toks = tokens(code, 0);
        let Some(&(col, word)) = toks.first() else { return };
        match word {
            "layout" => {
                let rest = code[col as usize - 1 + word.len()..].trim().trim_matches('"');
                self.spec.name = Some(rest.to_string());
            }
            "section" => self.section(n, &toks[1..]),
            "row" => self.row(n, code),
            "zone" => self.zone(n, &toks[1..]),
            other => self.err(n, col, format!("expected layout, section, row or zone, found {other:?}")),
        }
    }

    fn section(&mut self, n: u32, toks: &[Tok<'_>]) {
        let Some(&(_, name)) = toks.first() else { return self.err(n, 1, "section needs a name") };
        let mut category = "standard".to_string();
        for &(col, t) in &toks[1..] {
            match t.split_once('=') {
                Some(("category", c)) => category = c.to_string(),
                _ => self.err(n, col, format!("unknown section setting {t:?} (expected category=NAME)")),
            }
        }
        if !self.spec.sections.is_empty() {
            self.y += 1;
        }
        self.section_category = category;
        self.spec.sections.push(SectionSpec { name: name.to_string(), rows: Vec::new() });
    }

    fn zone(&mut self, n: u32, toks: &[Tok<'_>]) {
        let Some(&(_, name)) = toks.first() else { return self.err(n, 1, "zone needs a name") };
        let mut zone = ZoneSpec { name: name.to_string(), category: "standard".into(), capacity: 0, line: n };
        for &(col, t) in &toks[1..] {
            match t.split_once('=') {
                Some(("category", c)) => zone.category = c.to_string(),
                Some(("capacity", c)) => match c.parse::<u32>() {
                    Ok(v) => zone.capacity = v,
                    Err(_) => self.err(n, col, format!("capacity {c:?} is not a number")),
                },
                _ => self.err(
                    n,
                    col,
                    format!("unknown zone setting {t:?} (expected capacity=N or category=NAME)"),
                ),
            }
        }
        if zone.capacity == 0 {
            self.err(n, toks[0].0, "zone needs capacity=N with N at least 1");
        }
        self.spec.zones.push(zone);
    }

    fn row(&mut self, n: u32, code: &str) {
        let Some(colon) = code.find(':') else { return self.err(n, 1, "a row needs ':' before its seats") };
        let head = tokens(&code[..colon], 0);
        let Some(&(_, name)) = head.get(1) else { return self.err(n, 1, "row needs a name") };
        let mut category = None;
        let mut x = 0i32;
        for &(col, t) in &head[2..] {
            match t.split_once('=') {
                Some(("category", c)) => category = Some(c.to_string()),
                Some(("offset", o)) => match o.parse::<i32>() {
                    Ok(v) if (0..=10_000).contains(&v) => x = v,
                    _ => self.err(n, col, format!("offset {o:?} must be a number from 0 to 10000")),
                },
                _ => self.err(
                    n,
                    col,
                    format!("unknown row setting {t:?} (expected category=NAME or offset=N)"),
                ),
            }
        }
        if self.spec.sections.is_empty() {
            self.section_category = "standard".into();
            self.spec.sections.push(SectionSpec { name: "Main".into(), rows: Vec::new() });
        }
        let category = category.unwrap_or_else(|| self.section_category.clone());
        let mut row = RowSpec { name: name.to_string(), seats: Vec::new(), line: n };
        self.items(n, name, &category, x, &tokens(&code[colon + 1..], colon + 1), &mut row);
        self.y += 1;
        if let Some(section) = self.spec.sections.last_mut() {
            section.rows.push(row);
        }
    }

    fn items(
        &mut self,
        n: u32,
        row_name: &str,
        category: &str,
        mut x: i32,
        toks: &[Tok<'_>],
        row: &mut RowSpec,
    ) {
        let mut group: Option<String> = None;
        for &(col, raw) in toks {
            let mut t = raw;
            if let Some(rest) = t.strip_prefix('(') {
                if group.is_some() {
                    self.err(n, col, "pair groups cannot nest");
                }
                group = Some(format!("{row_name}:{}", x + 1));
                t = rest;
            }
            let closes = t.ends_with(')');
            t = t.trim_end_matches(')');
            if t == "_" {
                x += 1;
            } else if let Some(seats) = self.seat_token(n, col, t, row_name, category) {
                if seats.len() > ROW_SEATS_MAX {
                    self.err(n, col, format!("more than {ROW_SEATS_MAX} seats in one range"));
                    return;
                }
                for mut s in seats {
                    x += 1;
                    s.x = x;
                    s.y = self.y;
                    s.at = (n, col);
                    s.pair = group.clone();
                    row.seats.push(s);
                }
            }
            if closes {
                if group.is_none() {
                    self.err(n, col, "')' without '('");
                }
                group = None;
            }
        }
        if group.is_some() {
            self.err(n, toks.last().map_or(1, |t| t.0), "pair group is not closed with ')'");
        }
    }

    fn seat_token(&mut self, n: u32, col: u32, t: &str, row: &str, category: &str) -> Option<Vec<SeatSpec>> {
        let (t, cat) = match t.split_once('@') {
            Some((t, c)) => (t, c),
            None => (t, category),
        };
        let flags_end = t.find(|c: char| !matches!(c, 'w' | 'c' | 'x')).unwrap_or(t.len());
        let (flags, nums) = t.split_at(flags_end);
        let num = |s: &str| s.parse::<u32>().ok().filter(|v| *v <= 100_000);
        let (a, b) = match nums.split_once('-') {
            Some((a, b)) => (num(a), num(b)),
            None => (num(nums), num(nums)),
        };
        let (Some(a), Some(b)) = (a, b) else {
            self.err(n, col, format!("expected a seat number or range like 1-12, found {t:?}"));
            return None;
        };
        let numbers: Vec<u32> = if a <= b { (a..=b).collect() } else { (b..=a).rev().collect() };
        Some(
            numbers
                .into_iter()
                .map(|num| SeatSpec {
                    label: format!("{row}{num}"),
                    category: cat.to_string(),
                    wheelchair: flags.contains('w'),
                    companion: flags.contains('c'),
                    blocked: flags.contains('x'),
                    ..SeatSpec::default()
                })
                .collect(),
        )
    }
}

/// Writes a spec as text, or `None` when a label is not `<row><number>`.
fn write_text(spec: &LayoutSpec) -> Option<String> {
    let mut out = String::new();
    if let Some(name) = &spec.name {
        out.push_str(&format!("layout \"{name}\"\n"));
    }
    for section in &spec.sections {
        let category = section.rows.first()?.seats.first()?.category.clone();
        out.push_str(&format!("section {} category={category}\n", section.name));
        for row in &section.rows {
            out.push_str(&write_row(row, &category)?);
        }
    }
    for z in &spec.zones {
        out.push_str(&format!("zone {} capacity={} category={}\n", z.name, z.capacity, z.category));
    }
    Some(out)
}

fn write_row(row: &RowSpec, category: &str) -> Option<String> {
    let mut seats: Vec<&SeatSpec> = row.seats.iter().collect();
    seats.sort_by_key(|s| s.x);
    let first_x = seats.first()?.x;
    let mut line = format!("row {}", row.name);
    if first_x > 1 {
        line.push_str(&format!(" offset={}", first_x - 1));
    }
    line.push(':');
    let mut x = first_x - 1;
    for (i, s) in seats.iter().enumerate() {
        for _ in x + 1..s.x {
            line.push_str(" _");
        }
        x = s.x;
        let number = s.label.strip_prefix(row.name.as_str())?;
        number.parse::<u32>().ok()?;
        let opens = s.pair.is_some() && (i == 0 || seats[i - 1].pair != s.pair);
        let closes = s.pair.is_some() && seats.get(i + 1).is_none_or(|n| n.pair != s.pair);
        line.push(' ');
        line.push_str(if opens { "(" } else { "" });
        for (on, f) in [(s.wheelchair, 'w'), (s.companion, 'c'), (s.blocked, 'x')] {
            if on {
                line.push(f);
            }
        }
        line.push_str(number);
        if s.category != category {
            line.push('@');
            line.push_str(&s.category);
        }
        line.push_str(if closes { ")" } else { "" });
    }
    line.push('\n');
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeatFlags;
    use proptest::prelude::*;

    const SAMPLE: &str = "\
# Screen 1
layout \"Screen 1\"
section Stalls category=standard
  row A: 1-4 _ 5-8
  row B: w1 c2 3-6 c7 w8
  row C offset=1: 1-2 (3 4) 5-6@vip
section Balcony category=premium
  row D category=vip: x1 2-4
  row E: 4-1
zone Standing capacity=3 category=ga
";

    fn parse(text: &str) -> SeatLayout {
        SeatLayout::parse_text(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn issues(text: &str) -> Vec<(u32, u32, String)> {
        match SeatLayout::parse_text(text) {
            Ok(_) => panic!("expected errors for {text:?}"),
            Err(e) => e.issues.into_iter().map(|i| (i.line, i.column, i.message)).collect(),
        }
    }

    #[test]
    fn the_sample_compiles_to_a_dense_index() {
        let l = parse(SAMPLE);
        assert_eq!(l.name(), Some("Screen 1"));
        assert_eq!(l.seat_count(), 8 + 8 + 6 + 4 + 4 + 3);
        let labels: Vec<&str> = l.seats().iter().map(|s| &*s.label).collect();
        assert_eq!(&labels[..9], ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "B1"]);
        assert_eq!(&labels[26..30], ["E4", "E3", "E2", "E1"]);
        assert_eq!(&labels[30..], ["Standing-1", "Standing-2", "Standing-3"]);
        let a5 = &l.seats()[4];
        assert_eq!((a5.x, a5.y), (6, 0), "the aisle takes a column");
        let c1 = l.find("C1").map(|i| l.seats()[i.index()].x);
        assert_eq!(c1, Some(2), "offset shifts the row");
        let d2 = l.find("D2").map(|i| l.seats()[i.index()].y);
        assert_eq!(d2, Some(4), "one empty row between sections");
        let b1 = l.find("B1").map(|i| l.seats()[i.index()].flags);
        assert_eq!(b1, Some(SeatFlags::WHEELCHAIR));
        assert!(l.find("D1").is_some_and(|i| l.seats()[i.index()].flags.is_blocked()));
        assert_eq!(l.categories(), ["standard", "vip", "premium", "ga"]);
        let c3 = l.find("C3").unwrap_or(SEAT_0);
        assert_eq!(l.pair_partners(c3).len(), 2);
        assert_eq!(l.zones()[0].seats, 30..33);
        assert_eq!(l.rows().len(), 5);
        assert_eq!(l.row_of(c3).map(|r| r.name.as_str()), Some("C"));
    }

    const SEAT_0: crate::SeatIdx = crate::SeatIdx(0);

    #[test]
    fn every_error_is_reported_with_its_place() {
        let found = issues("row A: 1-3 zz\nbogus\nrow B 1-2\nrow C: (1 2\nrow D: 1 2)\nzone Z capacity=x\n");
        let places: Vec<(u32, u32)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(places, [(1, 12), (2, 1), (3, 1), (4, 11), (5, 10), (6, 8), (6, 6)], "{found:?}");
    }

    #[test]
    fn validation_finds_every_problem() {
        let found = issues("row A: 1-3\nrow A: 3 c5 (7)\n");
        let msgs: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("duplicate seat label \"A3\"")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("companion seat A5")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("A7 is a pair on its own")), "{msgs:?}");
        let dup = found.iter().find(|(_, _, m)| m.contains("duplicate")).map(|(l, c, _)| (*l, *c));
        assert_eq!(dup, Some((2, 8)));
        assert!(issues("# nothing\n").iter().any(|(_, _, m)| m.contains("no seats")));
        assert!(issues("row A: 1-100000\n").iter().any(|(_, _, m)| m.contains("seats in one range")));
        assert!(issues("row A: 1 (2 _ 3)\n").iter().any(|(_, _, m)| m.contains("side by side")));
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = SeatLayout::from_json("{\n  \"sections\": [}\n").err().map(|e| e.issues);
        assert_eq!(err.map(|i| (i[0].line, i[0].column)), Some((2, 16)));
        let err = SeatLayout::from_json(
            r#"{"sections":[{"name":"S","rows":[{"name":"A","seats":[
            {"label":"A1","x":1,"y":0,"category":"c","pair":"p"}]}]}]}"#,
        );
        let issue = err.err().map(|e| e.issues[0].clone());
        assert_eq!(issue.map(|i| i.path), Some("pair \"p\"".to_string()));
    }

    #[test]
    fn text_and_json_round_trip() {
        let l = parse(SAMPLE);
        let json = l.to_json();
        assert_eq!(SeatLayout::from_json(&json).ok(), Some(l.clone()));
        let text = l.to_text().unwrap_or_else(|| panic!("sample not expressible"));
        assert_eq!(parse(&text), l);
    }

    fn row_text() -> impl Strategy<Value = String> {
        let item =
            prop_oneof![Just("_".to_string()), (1u32..4, "[wx]?").prop_map(|(n, f)| format!("{f}{n}")),];
        prop::collection::vec(item, 1..8).prop_map(|items| items.join(" "))
    }

    proptest! {
        #[test]
        fn generated_layouts_round_trip(rows in prop::collection::vec(row_text(), 1..6)) {
            // Number seats 1.. left to right so labels are unique within a row.
            let mut text = String::from("section S category=standard\n");
            for (r, items) in rows.iter().enumerate() {
                let mut n = 0;
                let seats: Vec<String> = items.split(' ').map(|t| if t == "_" { t.to_string() } else {
                    n += 1;
                    format!("{}{}", t.trim_end_matches(char::is_numeric), n)
                }).collect();
                if n == 0 { continue; }
                text.push_str(&format!("row R{r}: {}\n", seats.join(" ")));
            }
            if let Ok(l) = SeatLayout::parse_text(&text) {
                let again = l.to_text().map(|t| parse(&t));
                prop_assert_eq!(again.as_ref(), Some(&l));
                let from_json = SeatLayout::from_json(&l.to_json()).ok();
                prop_assert_eq!(from_json.as_ref(), Some(&l));
            }
        }
    }
}
