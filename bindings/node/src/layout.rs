//! Seat layouts: the text form or the JSON form in, a layout with its compiled seats out.
//!
//! The JSON form's field names are single words, so `LayoutSpec` here is both the typed
//! JavaScript object and the core's JSON form, field for field.

use crate::errors;
use crate::run::guarded;
use booking_core::{
    BookingError, LayoutSpec as CoreSpec, RowSpec, SeatLayout, SeatSpec, SectionSpec, ZoneSpec,
};
use napi::Either;
use napi_derive::napi;

/// One seat of a layout as written.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutSeatSpec {
    /// Label printed on the seat and the ticket, e.g. `F12`.
    pub label: String,
    /// Column, for drawing; seats of a row whose `x` differ by 1 are side by side.
    pub x: i32,
    /// Row position, for drawing.
    pub y: i32,
    /// Price category.
    pub category: String,
    /// A wheelchair place.
    pub wheelchair: Option<bool>,
    /// A companion seat, next to a wheelchair place.
    pub companion: Option<bool>,
    /// Not for sale.
    pub blocked: Option<bool>,
    /// Pair group name (a loveseat): sold together or not at all.
    pub pair: Option<String>,
}

/// A row of seats.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutRowSpec {
    /// Name, e.g. `F`.
    pub name: String,
    /// Seats in any order (sorted by `x`).
    pub seats: Vec<LayoutSeatSpec>,
}

/// A named block of rows.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutSectionSpec {
    /// Name, e.g. `Stalls`.
    pub name: String,
    /// Rows, front to back.
    pub rows: Vec<LayoutRowSpec>,
}

/// A general-admission zone of `capacity` places labelled `<name>-1`, `<name>-2`...
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutZoneSpec {
    /// Name, e.g. `Standing`.
    pub name: String,
    /// Price category.
    pub category: String,
    /// Number of places.
    pub capacity: u32,
}

/// A layout in its JSON form.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutSpec {
    /// Display name.
    pub name: Option<String>,
    /// Seated sections, front to back.
    pub sections: Vec<LayoutSectionSpec>,
    /// General-admission zones.
    pub zones: Option<Vec<LayoutZoneSpec>>,
}

/// One compiled place of a layout, in seat index order.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutSeat {
    /// Label.
    pub label: String,
    /// Drawing position.
    pub x: i32,
    /// Drawing position.
    pub y: i32,
    /// Category.
    pub category: String,
    /// A wheelchair place.
    pub wheelchair: bool,
    /// A companion seat.
    pub companion: bool,
    /// Not for sale.
    pub blocked: bool,
    /// A general-admission place.
    pub general_admission: bool,
    /// Its pair group, if it is part of a loveseat.
    pub pair: Option<u32>,
}

/// A validated layout: its JSON form, its text form when it has one, and its compiled seats.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Layout {
    /// The JSON form (`addScreen` takes it back).
    pub spec: LayoutSpec,
    /// The text form, when the layout can be written in it.
    pub text: Option<String>,
    /// Every place, in seat index order.
    pub seats: Vec<LayoutSeat>,
    /// Category names.
    pub categories: Vec<String>,
}

impl From<LayoutSpec> for CoreSpec {
    fn from(s: LayoutSpec) -> Self {
        let seat = |s: LayoutSeatSpec| SeatSpec {
            label: s.label,
            x: s.x,
            y: s.y,
            category: s.category,
            wheelchair: s.wheelchair.unwrap_or(false),
            companion: s.companion.unwrap_or(false),
            blocked: s.blocked.unwrap_or(false),
            pair: s.pair,
            at: (0, 0),
        };
        let row = |r: LayoutRowSpec| RowSpec {
            name: r.name,
            seats: r.seats.into_iter().map(seat).collect(),
            line: 0,
        };
        CoreSpec {
            name: s.name,
            sections: s
                .sections
                .into_iter()
                .map(|s| SectionSpec { name: s.name, rows: s.rows.into_iter().map(row).collect() })
                .collect(),
            zones: s
                .zones
                .unwrap_or_default()
                .into_iter()
                .map(|z| ZoneSpec { name: z.name, category: z.category, capacity: z.capacity, line: 0 })
                .collect(),
        }
    }
}

impl From<&CoreSpec> for LayoutSpec {
    fn from(s: &CoreSpec) -> Self {
        let flag = |on: bool| on.then_some(true);
        let seat = |s: &SeatSpec| LayoutSeatSpec {
            label: s.label.clone(),
            x: s.x,
            y: s.y,
            category: s.category.clone(),
            wheelchair: flag(s.wheelchair),
            companion: flag(s.companion),
            blocked: flag(s.blocked),
            pair: s.pair.clone(),
        };
        let row =
            |r: &RowSpec| LayoutRowSpec { name: r.name.clone(), seats: r.seats.iter().map(seat).collect() };
        let zones: Vec<LayoutZoneSpec> = s
            .zones
            .iter()
            .map(|z| LayoutZoneSpec {
                name: z.name.clone(),
                category: z.category.clone(),
                capacity: z.capacity,
            })
            .collect();
        LayoutSpec {
            name: s.name.clone(),
            sections: s
                .sections
                .iter()
                .map(|s| LayoutSectionSpec { name: s.name.clone(), rows: s.rows.iter().map(row).collect() })
                .collect(),
            zones: (!zones.is_empty()).then_some(zones),
        }
    }
}

impl From<&SeatLayout> for Layout {
    fn from(l: &SeatLayout) -> Self {
        let categories = l.categories();
        let seats = l
            .seats()
            .iter()
            .map(|s| LayoutSeat {
                label: s.label.to_string(),
                x: s.x,
                y: s.y,
                category: categories.get(usize::from(s.category)).cloned().unwrap_or_default(),
                wheelchair: s.flags.is_wheelchair(),
                companion: s.flags.is_companion(),
                blocked: s.flags.is_blocked(),
                general_admission: s.flags.is_general_admission(),
                pair: s.pair_group,
            })
            .collect();
        Layout {
            spec: LayoutSpec::from(&l.to_spec()),
            text: l.to_text(),
            seats,
            categories: categories.to_vec(),
        }
    }
}

/// A layout from its text form (a string) or its JSON form (an object).
pub(crate) fn compile(layout: Either<String, LayoutSpec>) -> Result<SeatLayout, BookingError> {
    match layout {
        Either::A(text) => Ok(SeatLayout::parse_text(&text)?),
        Either::B(spec) => Ok(SeatLayout::from_spec(spec.into())?),
    }
}

/// Parses and validates a layout from its text form (a string) or its JSON form (an object);
/// an `INVALID_LAYOUT` error lists every problem in `issues`, each with its line and column.
#[napi(catch_unwind)]
pub fn parse_layout(env: napi::Env, layout: Either<String, LayoutSpec>) -> napi::Result<Layout> {
    guarded("parseLayout", || compile(layout).map(|l| Layout::from(&l)))
        .and_then(|r| r)
        .map_err(|e| errors::to_napi(&env, &e))
}
