//! `Hold`: booking-front's hold view, read on demand.
//!
//! A rush places and releases holds far more often than anyone reads one in full, and building a
//! hold's plain object (its quote above all: four lines, four amounts) costs JavaScript far more
//! than the hold itself. So a hold stays native: its view (booking-front's `Hold`, the one front
//! model) is built the first time a field is read, and each getter hands out that view's field.
//! `toJSON()` gives the view as a plain object (`HoldView`), which `JSON.stringify` uses; a test
//! holds the getters to the view's fields.

use booking_core::Timestamp;
use booking_front as front;
use napi_derive::napi;
use std::sync::OnceLock;

/// A hold: seats of one show, all or none, owned by one owner until it expires. Its fields are
/// those of `HoldView`, read on demand.
#[napi]
pub struct Hold {
    inner: booking_core::Hold,
    /// The engine's now when the hold was answered (for `remainingMs`).
    now: Timestamp,
    view: OnceLock<front::Hold>,
}

impl Hold {
    pub(crate) fn new(inner: booking_core::Hold, now: Timestamp) -> Self {
        Hold { inner, now, view: OnceLock::new() }
    }

    fn view(&self) -> &front::Hold {
        self.view.get_or_init(|| front::Hold::new(&self.inner, self.now))
    }
}

#[napi]
impl Hold {
    /// Hold id.
    #[napi(catch_unwind, getter)]
    pub fn id(&self) -> i64 {
        self.view().id
    }

    /// The show.
    #[napi(catch_unwind, getter)]
    pub fn show(&self) -> i64 {
        self.view().show
    }

    /// Who holds the seats.
    #[napi(catch_unwind, getter)]
    pub fn owner(&self) -> String {
        self.view().owner.clone()
    }

    /// Seat labels, in the order asked.
    #[napi(catch_unwind, getter)]
    pub fn seats(&self) -> Vec<String> {
        self.view().seats.clone()
    }

    /// When it was placed.
    #[napi(catch_unwind, getter)]
    pub fn placed_at(&self) -> front::Instant {
        self.view().placed_at
    }

    /// When it expires unless extended.
    #[napi(catch_unwind, getter)]
    pub fn expires_at(&self) -> front::Instant {
        self.view().expires_at
    }

    /// Extensions never go past this instant.
    #[napi(catch_unwind, getter)]
    pub fn max_expires_at(&self) -> front::Instant {
        self.view().max_expires_at
    }

    /// Milliseconds left when the hold was answered (0 once expired).
    #[napi(catch_unwind, getter)]
    pub fn remaining_ms(&self) -> i64 {
        self.view().remaining_ms
    }

    /// Fencing token: present it on the next change; it grows with every change to the show.
    #[napi(catch_unwind, getter)]
    pub fn fence(&self) -> i64 {
        self.view().fence
    }

    /// The price, fixed when the hold was placed (a new object at each read).
    #[napi(catch_unwind, getter)]
    pub fn quote(&self) -> front::Quote {
        self.view().quote.clone()
    }

    /// The hold as a plain object (booking-front's `HoldView`).
    #[napi(catch_unwind, js_name = "toJSON")]
    pub fn to_json(&self) -> front::Hold {
        self.view().clone()
    }
}
