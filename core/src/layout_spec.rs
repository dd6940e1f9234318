//! The source form of a seat layout: plain data, read from JSON or from the text form.

use serde::{Deserialize, Serialize};

/// A layout as written: sections of rows of seats, plus general-admission zones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    /// Optional display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seated sections, front to back.
    #[serde(default)]
    pub sections: Vec<SectionSpec>,
    /// General-admission zones (standing areas) with a capacity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<ZoneSpec>,
}

/// A named block of rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// Name, e.g. `Stalls`.
    pub name: String,
    /// Rows, front to back.
    pub rows: Vec<RowSpec>,
}

/// A row of seats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    /// Name, e.g. `F`.
    pub name: String,
    /// Seats in any order (they are sorted by `x`).
    pub seats: Vec<SeatSpec>,
    /// Where the row was written in the text form (line), for error messages.
    #[serde(skip)]
    pub line: u32,
}

/// One seat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SeatSpec {
    /// Label printed on the seat and the ticket, e.g. `F12`.
    pub label: String,
    /// Column, for drawing; seats of a row with `x` differing by 1 are side by side.
    pub x: i32,
    /// Row position, for drawing.
    pub y: i32,
    /// Price category.
    pub category: String,
    /// A wheelchair place.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wheelchair: bool,
    /// A companion seat, next to a wheelchair place.
    #[serde(default, skip_serializing_if = "is_false")]
    pub companion: bool,
    /// Not for sale.
    #[serde(default, skip_serializing_if = "is_false")]
    pub blocked: bool,
    /// Pair group name (a loveseat): every seat of a group is sold together or not at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<String>,
    /// Where the seat was written in the text form (line, column), for error messages.
    #[serde(skip)]
    pub at: (u32, u32),
}

/// A general-admission zone: `capacity` interchangeable places.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ZoneSpec {
    /// Name, e.g. `Standing`; places are labelled `Standing-1` to `Standing-<capacity>`.
    pub name: String,
    /// Price category.
    pub category: String,
    /// Number of places.
    pub capacity: u32,
    /// Where the zone was written in the text form (line).
    #[serde(skip)]
    pub line: u32,
}

fn is_false(b: &bool) -> bool {
    !*b
}
