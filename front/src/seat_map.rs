//! A show's seat map as every front reads it: each seat with what never changes (label, row,
//! section, position, category, flags, loveseat partners) and what does (status, price).

use crate::instant::Instant;
use crate::num;
use booking_core as bc;
use booking_core::{SeatFlags, SeatIdx, SeatStates};
use serde::{Deserialize, Serialize};

/// What a seat looks like to a customer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(string_enum = "snake_case"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SeatStatus {
    /// Can be held.
    Available,
    /// Held by a live hold.
    Held,
    /// Booked, awaiting payment until its deadline.
    Pending,
    /// Booked and paid.
    Booked,
    /// Not for sale.
    Blocked,
}

impl From<booking_core::SeatStatus> for SeatStatus {
    fn from(s: booking_core::SeatStatus) -> Self {
        match s {
            booking_core::SeatStatus::Available => SeatStatus::Available,
            booking_core::SeatStatus::Held => SeatStatus::Held,
            booking_core::SeatStatus::Pending => SeatStatus::Pending,
            booking_core::SeatStatus::Booked => SeatStatus::Booked,
            booking_core::SeatStatus::Blocked => SeatStatus::Blocked,
        }
    }
}

impl SeatStatus {
    /// The name in JSON, e.g. `available`.
    pub fn as_str(self) -> &'static str {
        match self {
            SeatStatus::Available => "available",
            SeatStatus::Held => "held",
            SeatStatus::Pending => "pending",
            SeatStatus::Booked => "booked",
            SeatStatus::Blocked => "blocked",
        }
    }
}

/// The names of the flags set, in a fixed order: `wheelchair`, `companion`, `blocked`,
/// `general_admission`.
pub fn flag_names(flags: SeatFlags) -> Vec<&'static str> {
    [
        (flags.is_wheelchair(), "wheelchair"),
        (flags.is_companion(), "companion"),
        (flags.is_blocked(), "blocked"),
        (flags.is_general_admission(), "general_admission"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

/// One seat of a seat map; prices in minor units of the map's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeatMapSeat {
    /// Label, e.g. `F12`.
    pub label: String,
    /// Row name (empty for a general-admission place).
    pub row: String,
    /// Section name.
    pub section: String,
    /// Column, for drawing.
    pub x: i32,
    /// Row position from the front, for drawing.
    pub y: i32,
    /// Price category.
    pub category: String,
    /// The flags set: `wheelchair`, `companion`, `blocked`, `general_admission`.
    pub flags: Vec<String>,
    /// Labels of the other seats of its loveseat pair (absent when it is not one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<Vec<String>>,
    /// Status now.
    pub status: SeatStatus,
    /// Price of one default ticket now, in minor units of the map's currency (absent when the
    /// pricing cannot price it).
    pub price: Option<i64>,
}

/// A price category of a seat map, with its current price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Category {
    /// Name.
    pub name: String,
    /// Price of one default ticket now, in minor units of the map's currency.
    pub price: Option<i64>,
}

/// A general-admission zone of a seat map: how many of its places are free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeatMapZone {
    /// Name, e.g. `Standing`: holds ask for its places by quantity.
    pub name: String,
    /// Its category.
    pub category: String,
    /// Its number of places.
    pub capacity: u32,
    /// Places available now.
    pub available: u32,
}

impl SeatMapZone {
    /// The zones of `show`'s layout with their places available in `statuses` (a status a seat).
    pub fn of(show: &bc::Show, statuses: &[bc::SeatStatus]) -> Vec<SeatMapZone> {
        let layout = &show.layout;
        layout
            .zones()
            .iter()
            .map(|z| SeatMapZone {
                name: z.name.clone(),
                category: layout.categories().get(usize::from(z.category)).cloned().unwrap_or_default(),
                capacity: z.capacity,
                available: statuses
                    .get(z.seats.start as usize..z.seats.end as usize)
                    .map_or(0, |s| s.iter().filter(|s| **s == bc::SeatStatus::Available).count() as u32),
            })
            .collect()
    }
}

/// Every seat of a show with its status and price at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeatMap {
    /// The show.
    pub show: i64,
    /// Seats available now.
    pub available: u32,
    /// ISO 4217 code of every price of the map.
    pub currency: String,
    /// Decimal places of the currency's minor unit.
    pub exponent: u8,
    /// The categories in layout order, with their current default price.
    pub categories: Vec<Category>,
    /// Every seat, in layout order (the places of general-admission zones last).
    pub seats: Vec<SeatMapSeat>,
    /// The general-admission zones, in layout order, with their free places.
    pub zones: Vec<SeatMapZone>,
    /// The last event of the show's log it reflects (a live stream resumes after it); 0 when
    /// the reader did not ask the log.
    pub seq: i64,
    /// The instant it describes.
    pub at: Instant,
}

impl SeatMap {
    /// The seat map of `show` in `states`, reflecting its log up to `seq`.
    pub fn new(show: &bc::Show, states: &SeatStates, seq: u64) -> SeatMap {
        let layout = &show.layout;
        let category = |i: u16| layout.categories().get(usize::from(i)).cloned().unwrap_or_default();
        let seats = layout
            .seats()
            .iter()
            .enumerate()
            .zip(&states.statuses)
            .map(|((i, seat), status)| {
                let idx = SeatIdx(u32::try_from(i).unwrap_or(u32::MAX));
                let row = layout.row_of(idx);
                let partners: Vec<String> = layout
                    .pair_partners(idx)
                    .iter()
                    .filter(|p| **p != idx)
                    .filter_map(|p| layout.seat(*p))
                    .map(|s| s.label.to_string())
                    .collect();
                SeatMapSeat {
                    label: seat.label.to_string(),
                    row: row.map(|r| r.name.clone()).unwrap_or_default(),
                    section: row
                        .and_then(|r| layout.sections().get(r.section as usize))
                        .cloned()
                        .unwrap_or_default(),
                    x: seat.x,
                    y: seat.y,
                    category: category(seat.category),
                    flags: flag_names(seat.flags).into_iter().map(str::to_string).collect(),
                    pair: (!partners.is_empty()).then_some(partners),
                    status: (*status).into(),
                    price: states
                        .category_prices
                        .get(usize::from(seat.category))
                        .copied()
                        .flatten()
                        .map(|m| m.minor),
                }
            })
            .collect();
        let categories = layout
            .categories()
            .iter()
            .zip(&states.category_prices)
            .map(|(name, price)| Category { name: name.clone(), price: price.map(|m| m.minor) })
            .collect();
        let zones = SeatMapZone::of(show, &states.statuses);
        let currency = show.pricing.currency();
        SeatMap {
            zones,
            show: num(show.id.0),
            available: states.available,
            currency: currency.code().to_string(),
            exponent: currency.exponent(),
            categories,
            seats,
            seq: num(seq),
            at: states.at.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The views' enums are the core's, spelled the same in JSON: a new core variant fails to
    /// compile here (the `From` matches are exhaustive) and a renamed one fails this test.
    #[test]
    fn the_enums_are_spelled_as_the_core_spells_them() {
        use booking_core as bc;
        let same = |core: serde_json::Value, front: serde_json::Value| assert_eq!(core, front);
        for s in [
            bc::SeatStatus::Available,
            bc::SeatStatus::Held,
            bc::SeatStatus::Pending,
            bc::SeatStatus::Booked,
            bc::SeatStatus::Blocked,
        ] {
            same(serde_json::json!(s), serde_json::json!(SeatStatus::from(s)));
            assert_eq!(serde_json::json!(s), SeatStatus::from(s).as_str());
        }
        for s in bc::BookingStatus::ALL {
            same(serde_json::json!(s), serde_json::json!(crate::BookingStatus::from(s)));
        }
        for m in [bc::TaxMode::Inclusive, bc::TaxMode::Exclusive] {
            same(serde_json::json!(m), serde_json::json!(crate::TaxMode::from(m)));
        }
        for s in [bc::ShowStatus::Scheduled, bc::ShowStatus::Cancelled] {
            same(serde_json::json!(s), serde_json::json!(crate::ShowStatus::from(s)));
        }
    }
}
