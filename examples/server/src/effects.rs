//! What a change made through this instance sets off, in one place: the wake-up of the show's
//! live seat-map streams (and of the notification worker) and the booking flow's counters.
//!
//! A handler never does these itself: it answers [`Changed`], naming the change with its body,
//! and the edge middleware (`edge.rs`), which every request passes, applies the change's
//! effects after the handler; the sweeper applies its sweeps' the same way. So no route can
//! forget one, and adding one is one line here.

use crate::app::AppState;
use axum::response::{IntoResponse, Response};
use booking_core::{ShowId, SweepReport};

/// A change of the booking state made through this instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Seats of the show were held.
    HoldPlaced(ShowId),
    /// A hold of the show got a later expiry.
    HoldExtended(ShowId),
    /// A hold of the show was released by its owner.
    HoldReleased(ShowId),
    /// A hold of the show became a pending booking.
    BookingCreated(ShowId),
    /// A booking of the show was paid.
    BookingConfirmed(ShowId),
    /// A booking of the show was cancelled or refunded.
    BookingEnded(ShowId),
    /// A payment failed (declined, timed out, or the gateway failed); nothing changed.
    PaymentFailed,
    /// A show was cancelled with its holds and bookings.
    ShowCancelled(ShowId),
    /// The sweeper tidied expired holds and overdue bookings of any show.
    Swept(SweepReport),
}

/// Applies the effects of `effect`.
pub fn apply(state: &AppState, effect: &Effect) {
    let m = &state.metrics;
    let show = match effect {
        Effect::HoldPlaced(show) => {
            m.holds_placed.inc();
            *show
        }
        Effect::HoldReleased(show) => {
            m.holds_released.inc();
            *show
        }
        Effect::BookingCreated(show) => {
            m.bookings_created.inc();
            *show
        }
        Effect::BookingConfirmed(show) => {
            m.bookings_confirmed.inc();
            *show
        }
        Effect::HoldExtended(show) | Effect::BookingEnded(show) | Effect::ShowCancelled(show) => *show,
        Effect::PaymentFailed => {
            m.payments_failed.inc();
            return;
        }
        Effect::Swept(report) => {
            m.holds_expired.inc_by(u64::from(report.holds_expired));
            m.bookings_expired.inc_by(u64::from(report.bookings_expired));
            if report.total() > 0 {
                state.live.touch_all();
            }
            return;
        }
    };
    state.live.touch(show);
}

/// A handler's answer together with the change it made: the body answers the client, the
/// change goes with the response to the edge, which applies it.
#[derive(Debug)]
pub struct Changed<T>(pub Effect, pub T);

impl<T: IntoResponse> IntoResponse for Changed<T> {
    fn into_response(self) -> Response {
        let mut res = self.1.into_response();
        res.extensions_mut().insert(self.0);
        res
    }
}

/// Takes the change a response carries, if any, and applies it.
pub fn after_response(state: &AppState, res: &mut Response) {
    if let Some(effect) = res.extensions_mut().remove::<Effect>() {
        apply(state, &effect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_rides_with_its_response_and_is_taken_once() {
        let mut res = Changed(Effect::HoldPlaced(ShowId(3)), "{}").into_response();
        assert_eq!(res.extensions().get::<Effect>(), Some(&Effect::HoldPlaced(ShowId(3))));
        assert_eq!(res.extensions_mut().remove::<Effect>(), Some(Effect::HoldPlaced(ShowId(3))));
        assert!(res.extensions().get::<Effect>().is_none());
    }
}
