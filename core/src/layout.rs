//! A validated, compiled seat layout: a dense seat index, so seat state is an array, not a map.
//!
//! Seat index order: sections in order, rows in order, seats of a row by `x`; then the places of
//! general-admission zones. Two consecutive seats of a row are **adjacent** iff their `x` differs
//! by exactly 1; a larger jump is an aisle.

use crate::ids::SeatIdx;
use crate::layout_error::LayoutError;
use crate::layout_spec::{LayoutSpec, RowSpec, SeatSpec};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Seat flags in one byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SeatFlags(u8);

impl SeatFlags {
    /// A wheelchair place.
    pub const WHEELCHAIR: SeatFlags = SeatFlags(1);
    /// A companion seat next to a wheelchair place.
    pub const COMPANION: SeatFlags = SeatFlags(2);
    /// Not for sale.
    pub const BLOCKED: SeatFlags = SeatFlags(4);
    /// A place of a general-admission zone.
    pub const GENERAL_ADMISSION: SeatFlags = SeatFlags(8);

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: SeatFlags) -> bool {
        self.0 & other.0 == other.0
    }
    /// With `other` set too.
    pub fn with(self, other: SeatFlags) -> SeatFlags {
        SeatFlags(self.0 | other.0)
    }
    /// Not for sale.
    pub fn is_blocked(self) -> bool {
        self.contains(SeatFlags::BLOCKED)
    }
    /// A wheelchair place.
    pub fn is_wheelchair(self) -> bool {
        self.contains(SeatFlags::WHEELCHAIR)
    }
    /// A companion seat.
    pub fn is_companion(self) -> bool {
        self.contains(SeatFlags::COMPANION)
    }
    /// A general-admission place.
    pub fn is_general_admission(self) -> bool {
        self.contains(SeatFlags::GENERAL_ADMISSION)
    }
}

/// Flags travel as named booleans in JSON.
#[derive(Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct FlagsJson {
    wheelchair: bool,
    companion: bool,
    blocked: bool,
    general_admission: bool,
}

impl Serialize for SeatFlags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        FlagsJson {
            wheelchair: self.is_wheelchair(),
            companion: self.is_companion(),
            blocked: self.is_blocked(),
            general_admission: self.is_general_admission(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for SeatFlags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = FlagsJson::deserialize(d)?;
        let pick = |on: bool, flag: SeatFlags| if on { flag } else { SeatFlags(0) };
        Ok(pick(f.wheelchair, SeatFlags::WHEELCHAIR)
            .with(pick(f.companion, SeatFlags::COMPANION))
            .with(pick(f.blocked, SeatFlags::BLOCKED))
            .with(pick(f.general_admission, SeatFlags::GENERAL_ADMISSION)))
    }
}

/// One seat of a compiled layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    /// Label, e.g. `F12`.
    pub label: Arc<str>,
    /// Column for drawing.
    pub x: i32,
    /// Row position for drawing.
    pub y: i32,
    /// Category id: index into [`SeatLayout::categories`].
    pub category: u16,
    /// Flags.
    pub flags: SeatFlags,
    /// Index of its row in [`SeatLayout::rows`], or `u32::MAX` for a general-admission place.
    pub row: u32,
    /// Its pair group, if any.
    pub pair_group: Option<u32>,
    /// Desirability for best-available: lower is better (centre of the section, two thirds back).
    pub score: u32,
}

/// A row: a contiguous range of the dense index, ordered by `x`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Index of its section.
    pub section: u32,
    /// Name, e.g. `F`.
    pub name: String,
    /// Its seats in the dense index.
    pub seats: Range<u32>,
}

/// A general-admission zone compiled into `capacity` places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Name.
    pub name: String,
    /// Category id.
    pub category: u16,
    /// Number of places.
    pub capacity: u32,
    /// Its places in the dense index.
    pub seats: Range<u32>,
}

/// A validated and compiled seat layout. Immutable; hosts share it in an `Arc`.
#[derive(Debug, Clone)]
pub struct SeatLayout {
    pub(crate) spec: LayoutSpec,
    pub(crate) seats: Vec<Seat>,
    pub(crate) rows: Vec<Row>,
    pub(crate) sections: Vec<String>,
    pub(crate) categories: Vec<String>,
    pub(crate) zones: Vec<Zone>,
    pub(crate) pair_groups: Vec<Vec<SeatIdx>>,
    pub(crate) by_label: HashMap<Arc<str>, SeatIdx>,
}

impl SeatLayout {
    /// Validates and compiles a layout, reporting every problem found.
    pub fn from_spec(spec: LayoutSpec) -> Result<SeatLayout, LayoutError> {
        crate::layout_validate::validate(&spec)?;
        Ok(compile(spec))
    }

    /// Parses the JSON form (see [`LayoutSpec`]); syntax errors carry line and column.
    pub fn from_json(json: &str) -> Result<SeatLayout, LayoutError> {
        let spec: LayoutSpec = serde_json::from_str(json).map_err(|e| LayoutError {
            issues: vec![crate::LayoutIssue {
                line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                path: String::new(),
                message: e.to_string(),
            }],
        })?;
        SeatLayout::from_spec(spec)
    }

    /// The source form.
    pub fn to_spec(&self) -> LayoutSpec {
        self.spec.clone()
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.spec).unwrap_or_default()
    }

    /// Display name, if any.
    pub fn name(&self) -> Option<&str> {
        self.spec.name.as_deref()
    }
    /// Number of places (seats and general-admission places).
    pub fn seat_count(&self) -> usize {
        self.seats.len()
    }
    /// Every place in index order.
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }
    /// One place.
    pub fn seat(&self, idx: SeatIdx) -> Option<&Seat> {
        self.seats.get(idx.index())
    }
    /// The place with this label.
    pub fn find(&self, label: &str) -> Option<SeatIdx> {
        self.by_label.get(label).copied()
    }
    /// Rows in index order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }
    /// The row of a seat (`None` for general-admission places).
    pub fn row_of(&self, idx: SeatIdx) -> Option<&Row> {
        self.seat(idx).and_then(|s| self.rows.get(s.row as usize))
    }
    /// Section names.
    pub fn sections(&self) -> &[String] {
        &self.sections
    }
    /// Category names; a seat's `category` indexes this.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }
    /// The id of a category name.
    pub fn category_id(&self, name: &str) -> Option<u16> {
        self.categories.iter().position(|c| c == name).and_then(|p| u16::try_from(p).ok())
    }
    /// General-admission zones.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }
    /// The id of a zone name.
    pub fn zone_id(&self, name: &str) -> Option<u32> {
        self.zones.iter().position(|z| z.name == name).and_then(|p| u32::try_from(p).ok())
    }
    /// Every seat of `idx`'s pair group (itself included), or empty.
    pub fn pair_partners(&self, idx: SeatIdx) -> &[SeatIdx] {
        self.seat(idx)
            .and_then(|s| s.pair_group)
            .and_then(|g| self.pair_groups.get(g as usize))
            .map_or(&[], Vec::as_slice)
    }
}

impl SeatLayout {
    /// Calls `f` with every maximal run of adjacent seats of `row` for which `keep` holds
    /// (runs end at seats that fail `keep`, at aisles and at the row's ends).
    pub(crate) fn adjacent_runs(&self, row: &Row, keep: &dyn Fn(u32) -> bool, mut f: impl FnMut(Range<u32>)) {
        let adjacent = |i: u32| self.seats[i as usize + 1].x - self.seats[i as usize].x == 1;
        let mut i = row.seats.start;
        while i < row.seats.end {
            if keep(i) {
                let start = i;
                while i + 1 < row.seats.end && keep(i + 1) && adjacent(i) {
                    i += 1;
                }
                f(start..i + 1);
            }
            i += 1;
        }
    }
}

fn intern(categories: &mut Vec<String>, name: &str) -> u16 {
    let pos = categories.iter().position(|c| c == name).unwrap_or_else(|| {
        categories.push(name.to_string());
        categories.len() - 1
    });
    u16::try_from(pos).unwrap_or(u16::MAX)
}

/// Builds the dense index from a spec that passed validation.
fn compile(spec: LayoutSpec) -> SeatLayout {
    let mut out = SeatLayout {
        spec: LayoutSpec::default(),
        seats: Vec::new(),
        rows: Vec::new(),
        sections: Vec::new(),
        categories: Vec::new(),
        zones: Vec::new(),
        pair_groups: Vec::new(),
        by_label: HashMap::new(),
    };
    let mut groups: HashMap<&str, u32> = HashMap::new();
    for (si, section) in spec.sections.iter().enumerate() {
        out.sections.push(section.name.clone());
        let start_section = out.seats.len();
        for row in &section.rows {
            compile_row(&mut out, &mut groups, si as u32, row);
        }
        score_section(&mut out.seats[start_section..]);
    }
    let back = out.seats.iter().map(|s| s.y).max().unwrap_or(0);
    for (zi, zone) in spec.zones.iter().enumerate() {
        let category = intern(&mut out.categories, &zone.category);
        let start = out.seats.len() as u32;
        for n in 1..=zone.capacity {
            out.seats.push(Seat {
                label: format!("{}-{n}", zone.name).into(),
                x: n as i32,
                y: back + 2 + zi as i32,
                category,
                flags: SeatFlags::GENERAL_ADMISSION,
                row: u32::MAX,
                pair_group: None,
                score: n,
            });
        }
        let seats = start..out.seats.len() as u32;
        out.zones.push(Zone { name: zone.name.clone(), category, capacity: zone.capacity, seats });
    }
    out.by_label = out.seats.iter().enumerate().map(|(i, s)| (s.label.clone(), SeatIdx(i as u32))).collect();
    out.spec = spec;
    out
}

fn compile_row<'a>(out: &mut SeatLayout, groups: &mut HashMap<&'a str, u32>, section: u32, row: &'a RowSpec) {
    let mut seats: Vec<&SeatSpec> = row.seats.iter().collect();
    seats.sort_by_key(|s| s.x);
    let start = out.seats.len() as u32;
    let row_idx = out.rows.len() as u32;
    for s in seats {
        let flags = [
            (s.wheelchair, SeatFlags::WHEELCHAIR),
            (s.companion, SeatFlags::COMPANION),
            (s.blocked, SeatFlags::BLOCKED),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(SeatFlags::default(), |acc, (_, f)| acc.with(*f));
        let idx = SeatIdx(out.seats.len() as u32);
        let pair_group = s.pair.as_deref().map(|name| {
            let next = out.pair_groups.len() as u32;
            let g = *groups.entry(name).or_insert(next);
            if g == next {
                out.pair_groups.push(Vec::new());
            }
            out.pair_groups[g as usize].push(idx);
            g
        });
        let category = intern(&mut out.categories, &s.category);
        out.seats.push(Seat {
            label: s.label.as_str().into(),
            x: s.x,
            y: s.y,
            category,
            flags,
            row: row_idx,
            pair_group,
            score: 0,
        });
    }
    out.rows.push(Row { section, name: row.name.clone(), seats: start..out.seats.len() as u32 });
}

/// Centre-weighted score: horizontal distance from the section's centre and vertical distance
/// from two thirds of the way back, in half-seat units (no floats).
fn score_section(seats: &mut [Seat]) {
    let (Some(min_x), Some(max_x)) = (seats.iter().map(|s| s.x).min(), seats.iter().map(|s| s.x).max())
    else {
        return;
    };
    let min_y = seats.iter().map(|s| s.y).min().unwrap_or(0);
    let max_y = seats.iter().map(|s| s.y).max().unwrap_or(0);
    for s in seats {
        let dx2 = (2 * i64::from(s.x) - i64::from(min_x) - i64::from(max_x)).unsigned_abs();
        let dy3 = (3 * i64::from(s.y) - i64::from(min_y) - 2 * i64::from(max_y)).unsigned_abs();
        s.score = u32::try_from(dx2 * 3 + dy3 * 2).unwrap_or(u32::MAX);
    }
}

impl Serialize for SeatLayout {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.spec.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SeatLayout {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spec = LayoutSpec::deserialize(d)?;
        SeatLayout::from_spec(spec).map_err(serde::de::Error::custom)
    }
}

/// Two layouts are equal when their JSON forms are (text positions of the source do not count).
impl PartialEq for SeatLayout {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}

impl Eq for SeatLayout {}
