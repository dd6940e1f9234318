//! A ticket as every front reads it.

use crate::num;
use booking_core::Ticket;
use serde::{Deserialize, Serialize};

/// One ticket: a seat of a confirmed booking, with the signed code a door scanner verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Ticket))]
#[cfg_attr(feature = "napi", napi_derive::napi(object, js_name = "Ticket"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Ticket"))]
pub struct TicketView {
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

impl From<&Ticket> for TicketView {
    fn from(t: &Ticket) -> Self {
        TicketView {
            booking: num(t.booking.0),
            show: num(t.show.0),
            seat: t.label.clone(),
            code: t.code.clone(),
            checked_in: t.checked_in,
        }
    }
}
