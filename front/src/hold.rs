//! A hold as every front reads it.

use crate::instant::Instant;
use crate::quote::Quote;
use crate::{num, quoted_labels};
use booking_core as bc;
use booking_core::Timestamp;
use serde::{Deserialize, Serialize};

/// A hold: seats of one show, all or none, owned by one owner until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// In JavaScript the plain object is `HoldView`: the Node binding hands out a `Hold` class that
// reads it on demand (a hold is the hot path of a rush), whose `toJSON()` is this.
#[cfg_attr(feature = "napi", napi_derive::napi(object, js_name = "HoldView"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Hold {
    /// Hold id.
    pub id: i64,
    /// The show.
    pub show: i64,
    /// Who holds the seats.
    pub owner: String,
    /// Seat labels, in the order asked.
    pub seats: Vec<String>,
    /// When it was placed.
    pub placed_at: Instant,
    /// When it expires unless extended.
    pub expires_at: Instant,
    /// Extensions never go past this instant.
    pub max_expires_at: Instant,
    /// Milliseconds left at the instant the view was made (0 once expired).
    pub remaining_ms: i64,
    /// Fencing token: present it on the next change; it grows with every change to the show.
    pub fence: i64,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
}

impl Hold {
    /// The view of `hold` at `now`. Its seats are named by its quote's lines, one per seat in
    /// seat order, so no read of the show is needed.
    pub fn new(hold: &bc::Hold, now: Timestamp) -> Hold {
        Hold {
            id: num(hold.id.0),
            show: num(hold.show.0),
            owner: hold.owner.to_string(),
            seats: quoted_labels(&hold.seats, &hold.quote),
            placed_at: hold.placed_at.into(),
            expires_at: hold.expires_at.into(),
            max_expires_at: hold.max_expires_at.into(),
            remaining_ms: hold.remaining_millis(now),
            fence: num(hold.fence),
            quote: (&*hold.quote).into(),
        }
    }
}
