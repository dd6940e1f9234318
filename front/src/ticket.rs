//! A ticket as every front reads it.

use crate::booking::Booking;
use crate::num;
use booking_core as bc;
use booking_core::Timestamp;
use serde::{Deserialize, Serialize};

/// One ticket: a seat of a confirmed booking, with the signed code a door scanner verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Ticket {
    /// The booking.
    pub booking: i64,
    /// The show.
    pub show: i64,
    /// The seat's label, e.g. `F12`.
    pub seat: String,
    /// The signed code (what a QR code carries), verified offline at the door.
    pub code: String,
    /// Whether it was checked in.
    pub checked_in: bool,
}

impl From<&bc::Ticket> for Ticket {
    fn from(t: &bc::Ticket) -> Self {
        Ticket {
            booking: num(t.booking.0),
            show: num(t.show.0),
            seat: t.label.clone(),
            code: t.code.clone(),
            checked_in: t.checked_in,
        }
    }
}

/// A booking just paid, with its tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Confirmation {
    /// The booking, now confirmed.
    pub booking: Booking,
    /// One ticket per seat.
    pub tickets: Vec<Ticket>,
}

impl Confirmation {
    /// The view of `c`, a confirmation of a booking of `show`, at `now`.
    pub fn new(c: &bc::Confirmation, show: &bc::Show, now: Timestamp) -> Confirmation {
        Confirmation {
            booking: Booking::new(&c.booking, show, now),
            tickets: c.tickets.iter().map(Ticket::from).collect(),
        }
    }
}

/// A ticket just checked in at the door, with its booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckIn {
    /// The ticket.
    pub ticket: Ticket,
    /// Its booking after the check-in.
    pub booking: Booking,
}

impl CheckIn {
    /// The view of `c`, a check-in at a show `show`, at `now`.
    pub fn new(c: &bc::CheckIn, show: &bc::Show, now: Timestamp) -> CheckIn {
        CheckIn { ticket: (&c.ticket).into(), booking: Booking::new(&c.booking, show, now) }
    }
}
