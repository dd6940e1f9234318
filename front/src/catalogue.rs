//! Theatres, screens and shows as every front reads them.

use crate::instant::Instant;
use crate::num;
use booking_core as bc;
use serde::{Deserialize, Serialize};

/// A venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Theatre {
    /// Theatre id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// City, for listings.
    pub city: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
}

impl From<&bc::Theatre> for Theatre {
    fn from(t: &bc::Theatre) -> Self {
        Theatre {
            id: num(t.id.0),
            name: t.name.clone(),
            city: t.city.clone(),
            time_zone: t.time_zone.clone(),
        }
    }
}

/// A screen (an auditorium) of a theatre. Its layout, a rich value, is read on its own (each
/// front has a layout type that parses it and checks selections offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Screen {
    /// Screen id.
    pub id: i64,
    /// Its theatre.
    pub theatre: i64,
    /// Display name, e.g. `Screen 3`.
    pub name: String,
    /// Places in its layout.
    pub seat_count: u32,
    /// Its price categories, in layout order.
    pub categories: Vec<String>,
    /// The layout in its text form, when it can be written as text.
    pub layout_text: Option<String>,
    /// The layout in its JSON form (`LayoutSpec`), as JSON text: every layout has one.
    pub layout_json: String,
}

impl From<&bc::Screen> for Screen {
    fn from(s: &bc::Screen) -> Self {
        Screen {
            id: num(s.id.0),
            theatre: num(s.theatre.0),
            name: s.name.clone(),
            seat_count: u32::try_from(s.layout.seat_count()).unwrap_or(u32::MAX),
            categories: s.layout.categories().to_vec(),
            layout_text: s.layout.to_text(),
            layout_json: s.layout.to_json(),
        }
    }
}

/// Whether a show can still be sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(string_enum = "snake_case"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ShowStatus {
    /// On sale inside its sales window.
    Scheduled,
    /// Cancelled: nothing more is sold; its bookings were cancelled.
    Cancelled,
}

impl From<booking_core::ShowStatus> for ShowStatus {
    fn from(s: booking_core::ShowStatus) -> Self {
        match s {
            booking_core::ShowStatus::Scheduled => ShowStatus::Scheduled,
            booking_core::ShowStatus::Cancelled => ShowStatus::Cancelled,
        }
    }
}

/// One show: a screening of a title on a screen at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Show {
    /// Show id.
    pub id: i64,
    /// What plays.
    pub title: String,
    /// Its theatre.
    pub theatre: i64,
    /// Its screen.
    pub screen: i64,
    /// When it starts.
    pub starts_at: Instant,
    /// When it ends.
    pub ends_at: Instant,
    /// Holds are accepted from this instant...
    pub sales_open_at: Instant,
    /// ...until this one.
    pub sales_close_at: Instant,
    /// Scheduled or cancelled.
    pub status: ShowStatus,
    /// Whether the no-orphan selection rule applies.
    pub no_orphan: bool,
    /// Most tickets one customer may have on the show, held, pending and paid together; absent:
    /// no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets_per_owner_max: Option<u32>,
    /// Before this instant wheelchair places and companion seats are sold only to buyers who ask
    /// for an accessible place; from it, unsold ones are on general sale. Absent: never kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible_until: Option<Instant>,
    /// The theatre's IANA time zone.
    pub time_zone: String,
    /// ISO 4217 code of its prices.
    pub currency: String,
    /// Decimal places of the currency's minor unit.
    pub exponent: u8,
    /// Places in its layout.
    pub seat_count: u32,
    /// Ticket types on sale, the default first.
    pub ticket_types: Vec<String>,
}

impl From<&bc::Show> for Show {
    fn from(s: &bc::Show) -> Self {
        let currency = s.pricing.currency();
        Show {
            id: num(s.id.0),
            title: s.title.clone(),
            theatre: num(s.theatre.0),
            screen: num(s.screen.0),
            starts_at: s.starts_at.into(),
            ends_at: s.ends_at.into(),
            sales_open_at: s.sales_open_at.into(),
            sales_close_at: s.sales_close_at.into(),
            status: s.status.into(),
            no_orphan: s.no_orphan,
            tickets_per_owner_max: s.tickets_per_owner_max,
            accessible_until: s.accessible_until.map(Instant::from),
            time_zone: s.time_zone.clone(),
            currency: currency.code().to_string(),
            exponent: currency.exponent(),
            seat_count: u32::try_from(s.layout.seat_count()).unwrap_or(u32::MAX),
            ticket_types: s.pricing.ticket_types(),
        }
    }
}

/// What cancelling a show released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShowCancellation {
    /// Holds released.
    pub holds: Vec<i64>,
    /// Bookings cancelled (their owners should be told).
    pub bookings: Vec<i64>,
}

impl From<&bc::ShowCancellation> for ShowCancellation {
    fn from(c: &bc::ShowCancellation) -> Self {
        ShowCancellation {
            holds: c.holds.iter().map(|h| num(h.0)).collect(),
            bookings: c.bookings.iter().map(|b| num(b.0)).collect(),
        }
    }
}

/// What a sweep tidied up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SweepReport {
    /// Expired holds removed (one `hold_expired` event each).
    pub holds_expired: u32,
    /// Pending bookings past their deadline (one `booking_expired` event each).
    pub bookings_expired: u32,
}

impl From<&bc::SweepReport> for SweepReport {
    fn from(r: &bc::SweepReport) -> Self {
        SweepReport { holds_expired: r.holds_expired, bookings_expired: r.bookings_expired }
    }
}
