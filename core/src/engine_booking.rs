//! Booking: create from a hold, confirm with a payment, cancel, refund, tickets and check-in,
//! plus the sweeper and the event log.

use crate::booking::{Booking, PAYMENT_REF_BYTES_MAX, check_idempotency_key};
use crate::booking_status::{BookingAction, BookingStatus};
use crate::engine::BookingEngine;
use crate::engine_sell::store_error;
use crate::error::BookingError;
use crate::event::{EVENTS_EACH_MAX, EVENTS_PAGE_MAX, EVENTS_SHOWS_MAX, Event};
use crate::ids::{BookingId, HoldId, OwnerId, ShowId};
use crate::store::{Actor, ConfirmBooking, CreateBooking, EndBooking, SweepReport};
use crate::store_error::StoreError;
use crate::ticket::{Ticket, TicketClaims};
use serde::{Deserialize, Serialize};

/// A confirmed booking with its tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    /// The booking, now confirmed.
    pub booking: Booking,
    /// One ticket per seat.
    pub tickets: Vec<Ticket>,
}

/// A ticket that was just checked in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    /// The ticket.
    pub ticket: Ticket,
    /// Its booking after the check-in.
    pub booking: Booking,
}

impl BookingEngine {
    /// Turns a live hold into a pending booking that must be paid before its deadline.
    ///
    /// The same `idempotency_key` with the same hold returns the first answer.
    pub async fn create_booking(
        &self,
        hold: HoldId,
        actor: Actor,
        idempotency_key: &str,
        expected_fence: Option<u64>,
    ) -> Result<Booking, BookingError> {
        check_idempotency_key(idempotency_key)?;
        let req = CreateBooking {
            hold,
            actor,
            now: self.now(),
            idempotency_key: idempotency_key.to_string(),
            payment_window_ms: self.config.payment_window_ms,
            expected_fence,
        };
        let now = req.now;
        match self.store.create_booking(req).await {
            Ok(b) => {
                self.payables.remember(&b, now);
                Ok(b)
            }
            Err(e) if e.names_seats() => {
                let show = self.store.hold(hold).await.ok().map(|h| h.show);
                Err(self.labelled(e, show).await)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A store error with its seats named by label: the show is read on this error path only.
    async fn labelled(&self, e: StoreError, show: Option<ShowId>) -> BookingError {
        match show {
            Some(show) => match self.store.show(show).await {
                Ok(show) => store_error(&show, e),
                Err(_) => e.into(),
            },
            None => e.into(),
        }
    }

    /// A store error of an operation on `booking`, with its seats named by label.
    async fn booking_error(&self, e: StoreError, booking: BookingId) -> BookingError {
        if !e.names_seats() {
            return e.into();
        }
        let show = self.store.booking(booking).await.ok().map(|b| b.show);
        self.labelled(e, show).await
    }

    /// Confirms a pending booking with a payment reference and issues its tickets.
    ///
    /// Refused with `HOLD_EXPIRED` after the payment deadline: a late payment never gets a ticket.
    pub async fn confirm_booking(
        &self,
        booking: BookingId,
        actor: Actor,
        payment_ref: &str,
        idempotency_key: &str,
    ) -> Result<Confirmation, BookingError> {
        check_idempotency_key(idempotency_key)?;
        if payment_ref.trim().is_empty() || payment_ref.len() > PAYMENT_REF_BYTES_MAX {
            return Err(BookingError::invalid("payment_ref", "must be 1 to 200 bytes"));
        }
        let req = ConfirmBooking {
            booking,
            actor,
            now: self.now(),
            payment_ref: payment_ref.to_string(),
            idempotency_key: idempotency_key.to_string(),
        };
        let id = req.booking;
        let booking = match self.store.confirm_booking(req).await {
            Ok(b) => b,
            Err(e) => return Err(self.booking_error(e, id).await),
        };
        self.payables.forget(id);
        let tickets = self.issue_tickets(&booking).await?;
        Ok(Confirmation { booking, tickets })
    }

    /// Cancels a pending or confirmed booking; its seats are free at once.
    pub async fn cancel_booking(&self, booking: BookingId, actor: Actor) -> Result<Booking, BookingError> {
        let req = EndBooking { booking, actor, now: self.now(), action: BookingAction::Cancel };
        self.payables.forget(booking);
        match self.store.end_booking(req).await {
            Ok(b) => Ok(b),
            Err(e) => Err(self.booking_error(e, booking).await),
        }
    }

    /// Refunds a confirmed booking; its seats are free at once.
    pub async fn refund_booking(&self, booking: BookingId, actor: Actor) -> Result<Booking, BookingError> {
        let req = EndBooking { booking, actor, now: self.now(), action: BookingAction::Refund };
        match self.store.end_booking(req).await {
            Ok(b) => Ok(b),
            Err(e) => Err(self.booking_error(e, booking).await),
        }
    }

    /// One booking, if `actor` may see it.
    pub async fn booking(&self, booking: BookingId, actor: &Actor) -> Result<Booking, BookingError> {
        let b = self.store.booking(booking).await?;
        if actor.may_act_for(&b.owner) {
            Ok(b)
        } else {
            Err(BookingError::NotOwner { what: booking.to_string() })
        }
    }

    /// An owner's bookings, newest first (at most 1,000).
    pub async fn bookings_of(&self, owner: &OwnerId) -> Result<Vec<Booking>, BookingError> {
        Ok(self.store.bookings_of(owner, 1_000).await?)
    }

    /// The tickets of a confirmed (or checked-in) booking.
    pub async fn tickets(&self, booking: BookingId, actor: &Actor) -> Result<Vec<Ticket>, BookingError> {
        let b = self.booking(booking, actor).await?;
        match b.status_at(self.now()) {
            BookingStatus::Confirmed | BookingStatus::CheckedIn => self.issue_tickets(&b).await,
            from => Err(crate::InvalidTransition { from, action: BookingAction::CheckIn }.into()),
        }
    }

    async fn issue_tickets(&self, b: &Booking) -> Result<Vec<Ticket>, BookingError> {
        let show = self.store.show(b.show).await?;
        Ok(b.seats
            .iter()
            .map(|seat| {
                let claims = TicketClaims { show: b.show, booking: b.id, seat: *seat };
                Ticket {
                    booking: b.id,
                    show: b.show,
                    seat: *seat,
                    label: show.layout.seat(*seat).map_or_else(String::new, |s| s.label.to_string()),
                    code: self.signer.sign(&claims),
                    checked_in: b.checked_in.contains(seat),
                }
            })
            .collect())
    }

    /// Checks in a ticket by its code: verified offline first, then recorded once.
    pub async fn check_in(&self, code: &str) -> Result<CheckIn, BookingError> {
        let claims = self.signer.verify(code)?;
        let show = self.store.show(claims.show).await?;
        let b = self.store.booking(claims.booking).await?;
        if b.show != claims.show {
            return Err(BookingError::InvalidTicket { reason: "ticket does not match its booking".into() });
        }
        let booking = self
            .store
            .check_in(claims.booking, claims.seat, self.now())
            .await
            .map_err(|e| store_error(&show, e))?;
        let label = show.layout.seat(claims.seat).map_or_else(String::new, |s| s.label.to_string());
        let ticket = Ticket {
            booking: booking.id,
            show: booking.show,
            seat: claims.seat,
            label,
            code: code.to_string(),
            checked_in: true,
        };
        Ok(CheckIn { ticket, booking })
    }

    /// Tidies expired holds and overdue pending bookings (up to `sweep_batch_max` of each),
    /// emitting their events. Correctness never waits for it.
    pub async fn sweep_expired(&self) -> Result<SweepReport, BookingError> {
        Ok(self.store.sweep_expired(self.now(), self.config.sweep_batch_max).await?)
    }

    /// Events of a show after `after`, in order (at most `limit`, capped at 10,000).
    pub async fn events_since(
        &self,
        show: ShowId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Event>, BookingError> {
        if limit == 0 {
            return Err(BookingError::invalid("limit", "must be at least 1"));
        }
        Ok(self.store.events_since(show, after, limit.min(EVENTS_PAGE_MAX)).await?)
    }

    /// The logs of several shows after their cursors, in one call to the store (see
    /// [`crate::EventLog::events_since_each`]): for each `(show, after)` of `from`, in that
    /// order, at most `limit` events of the show (capped at 10,000 as in
    /// [`BookingEngine::events_since`]). At most [`EVENTS_SHOWS_MAX`] shows, and at most
    /// [`EVENTS_EACH_MAX`] events in all (shows times `limit`).
    pub async fn events_since_each(
        &self,
        from: &[(ShowId, u64)],
        limit: usize,
    ) -> Result<Vec<Event>, BookingError> {
        if limit == 0 {
            return Err(BookingError::invalid("limit", "must be at least 1"));
        }
        if from.len() > EVENTS_SHOWS_MAX {
            return Err(BookingError::invalid("from", format!("at most {EVENTS_SHOWS_MAX} shows")));
        }
        let limit = limit.min(EVENTS_PAGE_MAX);
        if from.len().saturating_mul(limit) > EVENTS_EACH_MAX {
            return Err(BookingError::invalid(
                "limit",
                format!("shows times limit must be at most {EVENTS_EACH_MAX}"),
            ));
        }
        if from.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.events_since_each(from, limit).await?)
    }
}
