//! The engine's error: one enum, each variant with a stable machine code that bindings and HTTP reuse.

use crate::booking_status::InvalidTransition;
use crate::ids::ShowId;
use crate::layout_error::LayoutError;
use crate::money::MoneyError;
use crate::pricing_error::PricingError;
use crate::store_error::StoreError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable machine codes. Their spelling (`as_str`) is a public contract: never change one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    /// A field of the request is malformed or out of range.
    InvalidInput,
    /// A seat layout was refused (every issue is listed).
    InvalidLayout,
    /// A pricing policy was refused, or a quote could not be made.
    InvalidPricing,
    /// A promo code does not apply (unknown, out of its validity, limits).
    PromoRejected,
    /// The thing named does not exist.
    NotFound,
    /// One or more seats are held or booked by someone else (or blocked).
    SeatUnavailable,
    /// The selection breaks a selection rule (orphan seat, split pair).
    SelectionRule,
    /// The hold (or the pending booking's deadline) has expired.
    HoldExpired,
    /// The caller does not own the hold or booking.
    NotOwner,
    /// The fencing token presented is not the current one.
    StaleFence,
    /// A limit was reached (seats per hold, holds per owner, hold lifetime...).
    LimitExceeded,
    /// The booking state machine does not allow this transition.
    InvalidTransition,
    /// The show would overlap another show on the same screen.
    ShowOverlap,
    /// The show is not on sale (cancelled, sales window closed).
    SalesClosed,
    /// The idempotency key was already used for a different request.
    IdempotencyConflict,
    /// The ticket was already checked in.
    AlreadyCheckedIn,
    /// The ticket code is not genuine or does not match a booking.
    InvalidTicket,
    /// The store is unreachable or overloaded; the same call may succeed if retried.
    StoreUnavailable,
    /// The store failed in a way a retry will not fix.
    StoreFailure,
    /// The payment gateway refused the card; nothing was charged.
    PaymentDeclined,
    /// The payment gateway did not answer in time; paying again with the same key settles it.
    PaymentTimeout,
    /// The payment gateway failed; nothing was confirmed.
    PaymentFailed,
}

impl ErrorCode {
    /// The code as text, e.g. `"SEAT_UNAVAILABLE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::InvalidLayout => "INVALID_LAYOUT",
            ErrorCode::InvalidPricing => "INVALID_PRICING",
            ErrorCode::PromoRejected => "PROMO_REJECTED",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::SeatUnavailable => "SEAT_UNAVAILABLE",
            ErrorCode::SelectionRule => "SELECTION_RULE",
            ErrorCode::HoldExpired => "HOLD_EXPIRED",
            ErrorCode::NotOwner => "NOT_OWNER",
            ErrorCode::StaleFence => "STALE_FENCE",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::ShowOverlap => "SHOW_OVERLAP",
            ErrorCode::SalesClosed => "SALES_CLOSED",
            ErrorCode::IdempotencyConflict => "IDEMPOTENCY_CONFLICT",
            ErrorCode::AlreadyCheckedIn => "ALREADY_CHECKED_IN",
            ErrorCode::InvalidTicket => "INVALID_TICKET",
            ErrorCode::StoreUnavailable => "STORE_UNAVAILABLE",
            ErrorCode::StoreFailure => "STORE_FAILURE",
            ErrorCode::PaymentDeclined => "PAYMENT_DECLINED",
            ErrorCode::PaymentTimeout => "PAYMENT_TIMEOUT",
            ErrorCode::PaymentFailed => "PAYMENT_FAILED",
        }
    }

    /// Every code, for bindings that generate one exception class per code.
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::InvalidInput,
        ErrorCode::InvalidLayout,
        ErrorCode::InvalidPricing,
        ErrorCode::PromoRejected,
        ErrorCode::NotFound,
        ErrorCode::SeatUnavailable,
        ErrorCode::SelectionRule,
        ErrorCode::HoldExpired,
        ErrorCode::NotOwner,
        ErrorCode::StaleFence,
        ErrorCode::LimitExceeded,
        ErrorCode::InvalidTransition,
        ErrorCode::ShowOverlap,
        ErrorCode::SalesClosed,
        ErrorCode::IdempotencyConflict,
        ErrorCode::AlreadyCheckedIn,
        ErrorCode::InvalidTicket,
        ErrorCode::StoreUnavailable,
        ErrorCode::StoreFailure,
        ErrorCode::PaymentDeclined,
        ErrorCode::PaymentTimeout,
        ErrorCode::PaymentFailed,
    ];
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which selection rule a selection breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionRuleKind {
    /// The selection would strand a single free seat where a better choice exists.
    OrphanSeat,
    /// The selection takes part of a loveseat pair but not all of it.
    PairSplit,
    /// The selection takes wheelchair places or companion seats, which the show keeps for buyers
    /// who ask for an accessible place until its `accessible_until`.
    AccessibleOnly,
    /// The selection takes a companion seat without an adjacent wheelchair place (in the
    /// selection or already the buyer's).
    CompanionAlone,
}

/// Everything the engine can refuse, with the details a caller acts on.
///
/// Seats are named by their labels (`"F12"`), never by internal indices.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BookingError {
    /// A request field is malformed or out of range.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, e.g. `seats[2]` or `owner`.
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// The seat layout was refused.
    #[error(transparent)]
    InvalidLayout(#[from] LayoutError),
    /// The pricing policy was refused or a quote could not be made.
    #[error(transparent)]
    Pricing(PricingError),
    /// The entity does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What kind of thing: `show`, `hold`, `booking`, `seat`...
        entity: &'static str,
        /// The id or label that was looked up.
        id: String,
    },
    /// Seats are held or booked by someone else, or not for sale.
    #[error("seats unavailable: {}", seats.join(", "))]
    SeatUnavailable {
        /// Labels of every seat that could not be taken.
        seats: Vec<String>,
    },
    /// The selection breaks a selection rule.
    #[error("selection refused ({rule:?}): seats {}", seats.join(", "))]
    SelectionRule {
        /// Which rule.
        rule: SelectionRuleKind,
        /// For an orphan: the stranded seats; for a pair: the missing partners.
        seats: Vec<String>,
    },
    /// The hold, or the pending booking's payment deadline, has expired.
    #[error("{what} has expired")]
    HoldExpired {
        /// What expired, e.g. `hold-4` or `booking-9`.
        what: String,
    },
    /// The caller does not own the hold or booking.
    #[error("not the owner of {what}")]
    NotOwner {
        /// What was acted on, e.g. `hold-4`.
        what: String,
    },
    /// The fencing token presented is not the hold's current one.
    #[error("stale fencing token: presented {presented}, current {current}")]
    StaleFence {
        /// The token the caller presented.
        presented: u64,
        /// The hold's current token.
        current: u64,
    },
    /// A limit was reached.
    #[error("limit exceeded: {limit} (max {max})")]
    LimitExceeded {
        /// Which limit, e.g. `seats_per_hold` or `holds_per_owner`.
        limit: &'static str,
        /// Its value.
        max: u64,
    },
    /// The state machine refuses the transition.
    #[error(transparent)]
    InvalidTransition(#[from] InvalidTransition),
    /// The show would overlap another on the same screen.
    #[error("show overlaps {other} on the same screen")]
    ShowOverlap {
        /// The show already scheduled there.
        other: ShowId,
    },
    /// The show is not on sale.
    #[error("sales closed: {reason}")]
    SalesClosed {
        /// Why, e.g. `show cancelled` or `sales window ended`.
        reason: String,
    },
    /// The idempotency key was used before for a different request.
    #[error("idempotency key reused for a different request")]
    IdempotencyConflict,
    /// The ticket was already checked in.
    #[error("ticket {seat} of {booking} already checked in")]
    AlreadyCheckedIn {
        /// The booking, e.g. `booking-9`.
        booking: String,
        /// The seat label.
        seat: String,
    },
    /// The ticket code is forged, malformed or for something else.
    #[error("invalid ticket: {reason}")]
    InvalidTicket {
        /// Why.
        reason: String,
    },
    /// The store is unavailable; retrying may succeed.
    #[error("store unavailable: {message}")]
    StoreUnavailable {
        /// What failed (no personal data).
        message: String,
    },
    /// The store failed; retrying will not help.
    #[error("store failure: {message}")]
    StoreFailure {
        /// What failed (no personal data).
        message: String,
    },
    /// The payment gateway refused the card; nothing was charged and nothing changed.
    #[error("the payment was declined: {reason}")]
    PaymentDeclined {
        /// As the gateway says, e.g. `insufficient funds`.
        reason: String,
    },
    /// The gateway did not answer in time: the charge may or may not have been made, and
    /// paying again with the same idempotency key settles it (a booking is charged once).
    #[error("the payment gateway did not answer in time; pay again with the same idempotency key")]
    PaymentTimeout,
    /// The gateway failed; nothing was confirmed.
    #[error("the payment gateway failed: {reason}")]
    PaymentFailed {
        /// What the gateway said (no card data).
        reason: String,
    },
}

impl BookingError {
    /// Shorthand for [`BookingError::InvalidInput`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        BookingError::InvalidInput { field: field.into(), reason: reason.into() }
    }

    /// The refusal of a selection that breaks a rule, its seats named by label in `layout`:
    /// what the engine answers a hold with (and what a front that checks selections offline
    /// shows).
    pub fn selection(layout: &crate::SeatLayout, v: &crate::SelectionViolation) -> Self {
        let rule = match v.kind {
            crate::SelectionViolationKind::OrphanSeat => SelectionRuleKind::OrphanSeat,
            crate::SelectionViolationKind::PairSplit => SelectionRuleKind::PairSplit,
            crate::SelectionViolationKind::AccessibleOnly => SelectionRuleKind::AccessibleOnly,
            crate::SelectionViolationKind::CompanionAlone => SelectionRuleKind::CompanionAlone,
        };
        let seats = v
            .seats
            .iter()
            .map(|i| layout.seat(*i).map_or_else(|| format!("#{}", i.0), |s| s.label.to_string()))
            .collect();
        BookingError::SelectionRule { rule, seats }
    }

    /// Shorthand for [`BookingError::NotFound`].
    pub fn not_found(entity: &'static str, id: impl fmt::Display) -> Self {
        BookingError::NotFound { entity, id: id.to_string() }
    }

    /// The stable machine code of this error.
    ///
    /// ```
    /// # use booking_core::{BookingError, ErrorCode};
    /// let e = BookingError::invalid("seats", "must not be empty");
    /// assert_eq!(e.code().as_str(), "INVALID_INPUT");
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            BookingError::InvalidInput { .. } => ErrorCode::InvalidInput,
            BookingError::InvalidLayout(_) => ErrorCode::InvalidLayout,
            BookingError::Pricing(PricingError::PromoRejected { .. }) => ErrorCode::PromoRejected,
            BookingError::Pricing(_) => ErrorCode::InvalidPricing,
            BookingError::NotFound { .. } => ErrorCode::NotFound,
            BookingError::SeatUnavailable { .. } => ErrorCode::SeatUnavailable,
            BookingError::SelectionRule { .. } => ErrorCode::SelectionRule,
            BookingError::HoldExpired { .. } => ErrorCode::HoldExpired,
            BookingError::NotOwner { .. } => ErrorCode::NotOwner,
            BookingError::StaleFence { .. } => ErrorCode::StaleFence,
            BookingError::LimitExceeded { .. } => ErrorCode::LimitExceeded,
            BookingError::InvalidTransition(_) => ErrorCode::InvalidTransition,
            BookingError::ShowOverlap { .. } => ErrorCode::ShowOverlap,
            BookingError::SalesClosed { .. } => ErrorCode::SalesClosed,
            BookingError::IdempotencyConflict => ErrorCode::IdempotencyConflict,
            BookingError::AlreadyCheckedIn { .. } => ErrorCode::AlreadyCheckedIn,
            BookingError::InvalidTicket { .. } => ErrorCode::InvalidTicket,
            BookingError::StoreUnavailable { .. } => ErrorCode::StoreUnavailable,
            BookingError::StoreFailure { .. } => ErrorCode::StoreFailure,
            BookingError::PaymentDeclined { .. } => ErrorCode::PaymentDeclined,
            BookingError::PaymentTimeout => ErrorCode::PaymentTimeout,
            BookingError::PaymentFailed { .. } => ErrorCode::PaymentFailed,
        }
    }

    /// Whether the same call may succeed if simply retried.
    pub fn is_retryable(&self) -> bool {
        matches!(self, BookingError::StoreUnavailable { .. })
    }

    /// What a caller acts on, as one JSON object for every code: the field and the reason, the
    /// seats by label, the limit and its value... Every front (HTTP, Python, Node, Kotlin, Swift)
    /// hands out exactly this object beside the code and the message.
    ///
    /// ```
    /// # use booking_core::BookingError;
    /// let e = BookingError::SeatUnavailable { seats: vec!["F12".into()] };
    /// assert_eq!(e.details(), serde_json::json!({ "seats": ["F12"] }));
    /// assert_eq!(BookingError::IdempotencyConflict.details(), serde_json::json!({}));
    /// ```
    pub fn details(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            BookingError::InvalidInput { field, reason } => json!({ "field": field, "reason": reason }),
            BookingError::InvalidLayout(layout) => json!({ "issues": layout.issues }),
            BookingError::Pricing(p) => pricing_details(p),
            BookingError::NotFound { entity, id } => json!({ "entity": entity, "id": id }),
            BookingError::SeatUnavailable { seats } => json!({ "seats": seats }),
            BookingError::SelectionRule { rule, seats } => json!({ "rule": rule, "seats": seats }),
            BookingError::HoldExpired { what } | BookingError::NotOwner { what } => json!({ "what": what }),
            BookingError::StaleFence { presented, current } => {
                json!({ "presented": presented, "current": current })
            }
            BookingError::LimitExceeded { limit, max } => json!({ "limit": limit, "max": max }),
            BookingError::InvalidTransition(t) => json!({ "from": t.from, "action": t.action }),
            BookingError::ShowOverlap { other } => json!({ "other": other.0 }),
            BookingError::SalesClosed { reason } | BookingError::InvalidTicket { reason } => {
                json!({ "reason": reason })
            }
            BookingError::IdempotencyConflict | BookingError::PaymentTimeout => json!({}),
            BookingError::PaymentDeclined { reason } | BookingError::PaymentFailed { reason } => {
                json!({ "reason": reason })
            }
            BookingError::AlreadyCheckedIn { booking, seat } => json!({ "booking": booking, "seat": seat }),
            BookingError::StoreUnavailable { message } | BookingError::StoreFailure { message } => {
                json!({ "message": message })
            }
        }
    }
}

fn pricing_details(e: &PricingError) -> serde_json::Value {
    use serde_json::json;
    match e {
        PricingError::InvalidPolicy { field, reason } => json!({ "field": field, "reason": reason }),
        PricingError::UnknownCategory { category } => json!({ "category": category }),
        PricingError::UnknownTicketType { ticket_type } => json!({ "ticket_type": ticket_type }),
        PricingError::PromoRejected { code, reason } => json!({ "promo_code": code, "reason": reason }),
        PricingError::Money(m) => json!({ "reason": m.to_string() }),
    }
}

impl From<PricingError> for BookingError {
    fn from(e: PricingError) -> Self {
        BookingError::Pricing(e)
    }
}

impl From<MoneyError> for BookingError {
    fn from(e: MoneyError) -> Self {
        BookingError::Pricing(PricingError::Money(e))
    }
}

/// Store errors that need no seat labels convert directly; the engine maps the rest.
impl From<StoreError> for BookingError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity, id } => BookingError::NotFound { entity, id },
            StoreError::SeatUnavailable { seats } => {
                BookingError::SeatUnavailable { seats: seats.iter().map(|s| format!("#{}", s.0)).collect() }
            }
            StoreError::PlacesUnavailable { zone, .. } => {
                BookingError::SeatUnavailable { seats: vec![format!("zone #{zone}")] }
            }
            StoreError::HoldExpired { what } => BookingError::HoldExpired { what },
            StoreError::NotOwner { what } => BookingError::NotOwner { what },
            StoreError::StaleFence { presented, current } => BookingError::StaleFence { presented, current },
            StoreError::LimitExceeded { limit, max } => BookingError::LimitExceeded { limit, max },
            StoreError::InvalidTransition(t) => BookingError::InvalidTransition(t),
            StoreError::ShowOverlap { other } => BookingError::ShowOverlap { other },
            StoreError::ShowCancelled { show } => {
                BookingError::SalesClosed { reason: format!("{show} is cancelled") }
            }
            StoreError::IdempotencyConflict => BookingError::IdempotencyConflict,
            StoreError::AlreadyCheckedIn { booking, seat } => {
                BookingError::AlreadyCheckedIn { booking: booking.to_string(), seat: format!("#{}", seat.0) }
            }
            StoreError::PromoExhausted { code } => BookingError::Pricing(PricingError::PromoRejected {
                code,
                reason: "no redemptions left".into(),
            }),
            StoreError::InvalidRequest { field, reason } => BookingError::InvalidInput { field, reason },
            StoreError::Unavailable { message } => BookingError::StoreUnavailable { message },
            // The engine prices again on this; it reaches a caller only if demand kept moving.
            StoreError::Repriced { taken } => BookingError::StoreUnavailable {
                message: format!("demand kept changing while pricing ({taken} seats taken); retry"),
            },
            // The engine checks its rules again on this; it reaches a caller only if the seats
            // around the selection kept changing.
            StoreError::SeatsChanged { seats } => BookingError::StoreUnavailable {
                message: format!(
                    "the seats around the selection kept changing ({} seats); retry",
                    seats.len()
                ),
            },
            StoreError::Backend { message } => BookingError::StoreFailure { message },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_screaming_snake_case() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate {s}");
            assert!(s.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{s}");
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{s}\""));
        }
    }

    #[test]
    fn only_unavailability_is_retryable() {
        assert!(BookingError::StoreUnavailable { message: "pool".into() }.is_retryable());
        assert!(!BookingError::IdempotencyConflict.is_retryable());
        let promo: BookingError = PricingError::PromoRejected { code: "X".into(), reason: "r".into() }.into();
        assert_eq!(promo.code(), ErrorCode::PromoRejected);
    }
}
