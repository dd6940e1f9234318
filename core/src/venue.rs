//! Venues: a theatre (in a city, in a time zone) has screens; a screen has a seat layout.

use crate::SeatLayout;
use crate::ids::{ScreenId, TheatreId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Longest theatre, screen or show title accepted, in bytes.
pub const NAME_BYTES_MAX: usize = 200;

/// A venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theatre {
    /// Assigned by the store.
    pub id: TheatreId,
    /// Display name.
    pub name: String,
    /// City, for listings.
    pub city: String,
    /// IANA time zone name, e.g. `Europe/Paris`; pricing windows use the local time.
    pub time_zone: String,
}

/// What is needed to create a theatre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTheatre {
    /// Display name.
    pub name: String,
    /// City.
    pub city: String,
    /// IANA time zone name.
    pub time_zone: String,
}

/// An auditorium with a fixed seat layout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Screen {
    /// Assigned by the store.
    pub id: ScreenId,
    /// The theatre it belongs to.
    pub theatre: TheatreId,
    /// Display name, e.g. `Screen 3`.
    pub name: String,
    /// The seat layout, shared by every show on this screen.
    pub layout: Arc<SeatLayout>,
}

/// What is needed to add a screen.
#[derive(Debug, Clone)]
pub struct NewScreen {
    /// The theatre.
    pub theatre: TheatreId,
    /// Display name.
    pub name: String,
    /// The validated layout.
    pub layout: Arc<SeatLayout>,
}

/// Checks a display name: non-empty after trimming, bounded, no control characters.
pub(crate) fn check_name(field: &str, value: &str) -> Result<(), crate::BookingError> {
    let reason = if value.trim().is_empty() {
        "must not be empty"
    } else if value.len() > NAME_BYTES_MAX {
        "must be at most 200 bytes"
    } else if value.chars().any(char::is_control) {
        "must not contain control characters"
    } else {
        return Ok(());
    };
    Err(crate::BookingError::invalid(field, reason))
}

/// Resolves an IANA time zone name with the bundled time zone database.
pub(crate) fn time_zone(field: &str, name: &str) -> Result<jiff::tz::TimeZone, crate::BookingError> {
    jiff::tz::TimeZone::get(name)
        .map_err(|_| crate::BookingError::invalid(field, format!("unknown time zone {name:?}")))
}
