//! Theatres, screens and shows as every front reads them.

use crate::instant::Instant;
use crate::num;
use booking_core::{Screen, Show, Theatre};
use serde::{Deserialize, Serialize};

/// A venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Theatre))]
#[cfg_attr(feature = "napi", napi_derive::napi(object, js_name = "Theatre"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Theatre"))]
pub struct TheatreView {
    /// Theatre id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// City, for listings.
    pub city: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
}

impl From<&Theatre> for TheatreView {
    fn from(t: &Theatre) -> Self {
        TheatreView {
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Screen))]
#[cfg_attr(feature = "napi", napi_derive::napi(object, js_name = "Screen"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Screen"))]
pub struct ScreenView {
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
}

impl From<&Screen> for ScreenView {
    fn from(s: &Screen) -> Self {
        ScreenView {
            id: num(s.id.0),
            theatre: num(s.theatre.0),
            name: s.name.clone(),
            seat_count: u32::try_from(s.layout.seat_count()).unwrap_or(u32::MAX),
            categories: s.layout.categories().to_vec(),
            layout_text: s.layout.to_text(),
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Show))]
#[cfg_attr(feature = "napi", napi_derive::napi(object, js_name = "Show"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Show"))]
pub struct ShowView {
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

impl From<&Show> for ShowView {
    fn from(s: &Show) -> Self {
        let currency = s.pricing.currency();
        ShowView {
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
            time_zone: s.time_zone.clone(),
            currency: currency.code().to_string(),
            exponent: currency.exponent(),
            seat_count: u32::try_from(s.layout.seat_count()).unwrap_or(u32::MAX),
            ticket_types: s.pricing.ticket_types(),
        }
    }
}
