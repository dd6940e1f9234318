//! A booking as every front reads it: seats by label, the status at `now`, and the show it is for.

use crate::instant::Instant;
use crate::money::Money;
use crate::quote::Quote;
use crate::{labels, num};
use booking_core as bc;
use booking_core::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(string_enum = "snake_case"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum BookingStatus {
    /// Awaiting payment until its deadline.
    Pending,
    /// Paid; tickets issued.
    Confirmed,
    /// At least one ticket was scanned at the door.
    CheckedIn,
    /// Not paid in time; its seats are free.
    Expired,
    /// Cancelled; its seats are free.
    Cancelled,
    /// Refunded; its seats are free.
    Refunded,
}

impl From<booking_core::BookingStatus> for BookingStatus {
    fn from(s: booking_core::BookingStatus) -> Self {
        use booking_core::BookingStatus as S;
        match s {
            S::Pending => BookingStatus::Pending,
            S::Confirmed => BookingStatus::Confirmed,
            S::CheckedIn => BookingStatus::CheckedIn,
            S::Expired => BookingStatus::Expired,
            S::Cancelled => BookingStatus::Cancelled,
            S::Refunded => BookingStatus::Refunded,
        }
    }
}

/// A booking of the seats of one hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Booking {
    /// Booking id.
    pub id: i64,
    /// The show.
    pub show: i64,
    /// What plays.
    pub title: String,
    /// When the show starts.
    pub starts_at: Instant,
    /// The theatre's IANA time zone, to show times as the audience reads them.
    pub time_zone: String,
    /// Who booked.
    pub owner: String,
    /// The hold it was made from.
    pub hold: i64,
    /// Seat labels (one ticket each once confirmed).
    pub seats: Vec<String>,
    /// The status at the instant the view was made: a pending booking past its deadline reads
    /// `expired`, swept or not.
    pub status: BookingStatus,
    /// What the customer pays.
    pub total: Money,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
    /// When it was created.
    pub created_at: Instant,
    /// A pending booking must be paid before this instant.
    pub payment_deadline: Instant,
    /// The payment's reference, once paid.
    pub payment_ref: Option<String>,
    /// When its status last changed.
    pub updated_at: Instant,
    /// Labels of the seats whose tickets were checked in.
    pub checked_in: Vec<String>,
}

impl Booking {
    /// The view of `b`, a booking of `show`, at `now`.
    pub fn new(b: &bc::Booking, show: &bc::Show, now: Timestamp) -> Booking {
        Booking {
            id: num(b.id.0),
            show: num(b.show.0),
            title: show.title.clone(),
            starts_at: show.starts_at.into(),
            time_zone: show.time_zone.clone(),
            owner: b.owner.to_string(),
            hold: num(b.hold.0),
            seats: labels(&show.layout, &b.seats),
            status: b.status_at(now).into(),
            total: b.quote.total().into(),
            quote: (&*b.quote).into(),
            created_at: b.created_at.into(),
            payment_deadline: b.payment_deadline.into(),
            payment_ref: b.payment_ref.clone(),
            updated_at: b.updated_at.into(),
            checked_in: labels(&show.layout, &b.checked_in),
        }
    }
}
