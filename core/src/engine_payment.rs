//! Paying for a booking and giving money back: the saga that charges once and confirms (voiding
//! the charge of a booking refused for good), and the refund rule of a customer's cancellation.
//! Every front runs these; none re-implements them.

use crate::booking::{Booking, check_idempotency_key};
use crate::engine::BookingEngine;
use crate::engine_booking::Confirmation;
use crate::error::{BookingError, ErrorCode};
use crate::ids::{BookingId, ShowId};
use crate::money::Money;
use crate::payment::{ChargeRequest, PAYMENT_TOKEN_BYTES_MAX, PaymentError, PaymentGateway};
use crate::store::{Actor, ShowCancellation};

/// A payment of a pending booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayBooking {
    /// The booking.
    pub booking: BookingId,
    /// Who pays: its owner, or staff.
    pub actor: Actor,
    /// The card token from the gateway's form.
    pub token: String,
    /// The same key gives the first answer again; `pay-<booking id>` when none is given.
    pub idempotency_key: Option<String>,
}

impl BookingEngine {
    /// Pays a pending booking: charges it once, then confirms it and issues its tickets.
    ///
    /// The charge's idempotency key is the booking, so a retried payment, or two payments of
    /// one booking racing under different keys, make one charge. A booking past its deadline
    /// is refused before any charge. When the confirmation is refused for good (the booking
    /// expired or was cancelled while the card was charged) the charge is voided, unless the
    /// booking stands confirmed by that very charge (a racing payment won with it). A store
    /// that is only unavailable voids nothing: paying again with the same key settles it.
    /// A booking already paid answers as its confirmation did (same key) or as a conflict.
    pub async fn pay(
        &self,
        gateway: &dyn PaymentGateway,
        req: PayBooking,
    ) -> Result<Confirmation, BookingError> {
        let key = req.idempotency_key.unwrap_or_else(|| format!("pay-{}", req.booking.0));
        check_idempotency_key(&key)?;
        if req.token.is_empty() || req.token.len() > PAYMENT_TOKEN_BYTES_MAX {
            return Err(BookingError::invalid(
                "payment_token",
                format!("must be 1 to {PAYMENT_TOKEN_BYTES_MAX} bytes"),
            ));
        }
        let id = req.booking;
        let (due, paid_ref) = self.what_is_due(id, &req.actor).await?;
        let payment_ref = match due {
            Some(amount) => {
                let charge = ChargeRequest { idempotency_key: id.to_string(), amount, token: req.token };
                gateway.charge(&charge).await?.id
            }
            // Not payable now: a retry of a paid booking gets its first answer (or a conflict
            // under another key); any other state is refused by the confirmation.
            None => paid_ref.unwrap_or_else(|| "none".into()),
        };
        match self.confirm_booking(id, req.actor, &payment_ref, &key).await {
            Ok(confirmed) => Ok(confirmed),
            Err(e) => {
                let for_good = e.code() != ErrorCode::StoreUnavailable;
                if for_good {
                    self.payables.forget(id);
                }
                if let Some(amount) = due
                    && for_good
                    && !self.paid_by(id, &payment_ref).await
                {
                    // The gateway reports a void it could not make; the refusal stands.
                    let _ = gateway.refund(&payment_ref, amount).await;
                }
                Err(e)
            }
        }
    }

    /// What to charge for booking `id` (none when it is not pending now) and its payment
    /// reference if it was paid: from what this engine remembers of the bookings it created
    /// (no read of the store), else from the store.
    async fn what_is_due(
        &self,
        id: BookingId,
        actor: &Actor,
    ) -> Result<(Option<Money>, Option<String>), BookingError> {
        let now = self.now();
        if let Some(p) = self.payables.due(id, now).filter(|p| actor.may_act_for(&p.owner)) {
            return Ok((Some(p.total), None));
        }
        let b = self.booking(id, actor).await?;
        let due = (b.status_at(now) == crate::BookingStatus::Pending).then(|| b.quote.total());
        Ok((due, b.payment_ref))
    }

    /// Whether booking `id` stands confirmed by `charge`. When it cannot be read the answer is
    /// yes: a charge left to void by hand is better than a paid seat refunded.
    async fn paid_by(&self, id: BookingId, charge: &str) -> bool {
        match self.store.booking(id).await {
            Ok(now) => now.payment_ref.as_deref() == Some(charge),
            Err(_) => true,
        }
    }

    /// Ends a booking as its customer asks: a paid booking (see
    /// [`crate::BookingStatus::refunds_when_cancelled`]) is refunded and its money given back
    /// through `gateway`; an unpaid one is cancelled.
    pub async fn cancel_for_customer(
        &self,
        gateway: &dyn PaymentGateway,
        booking: BookingId,
        actor: Actor,
    ) -> Result<Booking, BookingError> {
        let b = self.booking(booking, &actor).await?;
        if b.status_at(self.now()).refunds_when_cancelled() {
            self.refund_and_repay(gateway, booking, actor).await
        } else {
            self.cancel_booking(booking, actor).await
        }
    }

    /// Refunds a confirmed booking and gives its money back through `gateway`.
    pub async fn refund_and_repay(
        &self,
        gateway: &dyn PaymentGateway,
        booking: BookingId,
        actor: Actor,
    ) -> Result<Booking, BookingError> {
        let b = self.refund_booking(booking, actor).await?;
        // Refunded in the log whatever the transfer does: an operator retries it from there,
        // and the gateway reports its failure.
        let _ = self.give_back(gateway, &b).await;
        Ok(b)
    }

    /// Cancels a show (see [`BookingEngine::cancel_show`]) and gives the money of every paid
    /// booking it cancelled back through `gateway`.
    pub async fn cancel_show_and_repay(
        &self,
        gateway: &dyn PaymentGateway,
        show: ShowId,
    ) -> Result<ShowCancellation, BookingError> {
        let done = self.cancel_show(show).await?;
        for id in &done.bookings {
            if let Ok(b) = self.store.booking(*id).await {
                let _ = self.give_back(gateway, &b).await;
            }
        }
        Ok(done)
    }

    /// Gives a paid booking's money back through `gateway` (nothing for one never paid).
    async fn give_back(&self, gateway: &dyn PaymentGateway, b: &Booking) -> Result<(), PaymentError> {
        match &b.payment_ref {
            Some(charge) => gateway.refund(charge, b.quote.total()).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
#[path = "engine_payment_tests.rs"]
mod tests;
