//! The booking state machine: every transition is a function returning the next state or an error.
//!
//! ```text
//! Pending ──confirm──▶ Confirmed ──check_in──▶ CheckedIn
//!    │                     │
//!    ├──expire──▶ Expired  ├──cancel──▶ Cancelled
//!    └──cancel──▶ Cancelled└──refund──▶ Refunded
//! ```
//! Expired, Cancelled, Refunded and CheckedIn are terminal: no transition leaves them (a checked-in
//! booking may still check in its remaining tickets, which does not change its state).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Created from a hold; the seats are reserved until payment or the deadline.
    Pending,
    /// Paid; tickets issued.
    Confirmed,
    /// At least one ticket was scanned at the door.
    CheckedIn,
    /// Payment did not arrive before the deadline; seats were freed.
    Expired,
    /// Cancelled before or after payment; seats were freed.
    Cancelled,
    /// Cancelled after payment with the money returned; seats were freed.
    Refunded,
}

/// What is being done to a booking; names the transition in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingAction {
    /// Pending → Confirmed.
    Confirm,
    /// Confirmed → CheckedIn (first ticket), or CheckedIn → CheckedIn (further tickets).
    CheckIn,
    /// Pending → Expired.
    Expire,
    /// Pending or Confirmed → Cancelled.
    Cancel,
    /// Confirmed → Refunded.
    Refund,
}

impl BookingAction {
    /// Lower-case name, e.g. `"confirm"`.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingAction::Confirm => "confirm",
            BookingAction::CheckIn => "check_in",
            BookingAction::Expire => "expire",
            BookingAction::Cancel => "cancel",
            BookingAction::Refund => "refund",
        }
    }
}

/// A transition that the state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a booking that is {}", action.as_str(), from.as_str())]
pub struct InvalidTransition {
    /// The state the booking was in.
    pub from: BookingStatus,
    /// What was attempted.
    pub action: BookingAction,
}

impl BookingStatus {
    /// Lower-case name, e.g. `"checked_in"`.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "pending",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::Expired => "expired",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Refunded => "refunded",
        }
    }

    /// No transition leaves a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            BookingStatus::CheckedIn
                | BookingStatus::Expired
                | BookingStatus::Cancelled
                | BookingStatus::Refunded
        )
    }

    /// The refund rule: whether cancelling a booking in this state gives the customer's money
    /// back. A confirmed booking is paid, so a customer's cancellation of it is a refund, and a
    /// show's cancellation refunds it too; a pending one was never charged. Every place that
    /// decides or counts a refund asks this (the engine's customer cancellation, analytics).
    ///
    /// ```
    /// # use booking_core::BookingStatus;
    /// assert!(BookingStatus::Confirmed.refunds_when_cancelled());
    /// assert!(!BookingStatus::Pending.refunds_when_cancelled());
    /// ```
    pub fn refunds_when_cancelled(self) -> bool {
        self == BookingStatus::Confirmed
    }

    /// Whether the booking's seats are taken (pending or sold).
    pub fn holds_seats(self) -> bool {
        matches!(self, BookingStatus::Pending | BookingStatus::Confirmed | BookingStatus::CheckedIn)
    }

    /// The state after `action`, or why it is not allowed.
    ///
    /// ```
    /// # use booking_core::{BookingStatus as S, BookingAction as A};
    /// assert_eq!(S::Pending.apply(A::Confirm), Ok(S::Confirmed));
    /// assert!(S::Refunded.apply(A::Cancel).is_err());
    /// ```
    pub fn apply(self, action: BookingAction) -> Result<BookingStatus, InvalidTransition> {
        use BookingAction as A;
        use BookingStatus as S;
        let next = match (self, action) {
            (S::Pending, A::Confirm) => S::Confirmed,
            (S::Pending, A::Expire) => S::Expired,
            (S::Pending, A::Cancel) => S::Cancelled,
            (S::Confirmed, A::Cancel) => S::Cancelled,
            (S::Confirmed, A::Refund) => S::Refunded,
            (S::Confirmed, A::CheckIn) | (S::CheckedIn, A::CheckIn) => S::CheckedIn,
            (from, action) => return Err(InvalidTransition { from, action }),
        };
        Ok(next)
    }
}

impl BookingStatus {
    /// Every state, in the order of the state machine.
    pub const ALL: [BookingStatus; 6] = [
        BookingStatus::Pending,
        BookingStatus::Confirmed,
        BookingStatus::CheckedIn,
        BookingStatus::Expired,
        BookingStatus::Cancelled,
        BookingStatus::Refunded,
    ];
}

impl BookingAction {
    /// Every action.
    pub const ALL: [BookingAction; 5] = [
        BookingAction::Confirm,
        BookingAction::CheckIn,
        BookingAction::Expire,
        BookingAction::Cancel,
        BookingAction::Refund,
    ];

    /// The states this action may leave, derived from [`BookingStatus::apply`]: what a store
    /// checks a booking's stored state against, atomically, instead of a copy of the machine.
    pub fn allowed_from(self) -> impl Iterator<Item = BookingStatus> {
        BookingStatus::ALL.into_iter().filter(move |s| s.apply(self).is_ok())
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BookingAction as A;
    use BookingStatus as S;

    const ALL: [S; 6] = S::ALL;
    const ACTIONS: [A; 5] = A::ALL;

    #[test]
    fn the_allowed_transitions_are_exactly_the_documented_ones() {
        let mut allowed = Vec::new();
        for s in ALL {
            for a in ACTIONS {
                if let Ok(next) = s.apply(a) {
                    allowed.push((s, a, next));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                (S::Pending, A::Confirm, S::Confirmed),
                (S::Pending, A::Expire, S::Expired),
                (S::Pending, A::Cancel, S::Cancelled),
                (S::Confirmed, A::CheckIn, S::CheckedIn),
                (S::Confirmed, A::Cancel, S::Cancelled),
                (S::Confirmed, A::Refund, S::Refunded),
                (S::CheckedIn, A::CheckIn, S::CheckedIn),
            ]
        );
    }

    #[test]
    fn allowed_from_is_what_apply_allows() {
        let from: Vec<Vec<S>> = ACTIONS.iter().map(|a| a.allowed_from().collect()).collect();
        assert_eq!(
            from,
            vec![
                vec![S::Pending],
                vec![S::Confirmed, S::CheckedIn],
                vec![S::Pending],
                vec![S::Pending, S::Confirmed],
                vec![S::Confirmed],
            ]
        );
    }

    #[test]
    fn terminal_states_never_change() {
        for s in ALL.into_iter().filter(|s| s.is_terminal()) {
            for a in ACTIONS {
                if let Ok(next) = s.apply(a) {
                    assert_eq!(next, s, "{s:?} left by {a:?}");
                }
            }
        }
    }

    #[test]
    fn errors_name_state_and_action() {
        let err = S::Expired.apply(A::Confirm).err();
        assert_eq!(err.map(|e| e.to_string()).as_deref(), Some("cannot confirm a booking that is expired"));
    }
}
