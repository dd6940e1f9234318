//! The one error of the binding: a variant per stable core error code, with the code's details.
//!
//! Kotlin sees `BookingException` with one subclass per variant (`BookingException.SeatUnavailable`
//! with its `seats`), Swift `BookingError` with one case per variant: both can `catch` and branch.
//! `errorCode()` gives the stable machine code (`SEAT_UNAVAILABLE`) that HTTP and every binding share.

use crate::records::{BookingAction, LayoutIssue, SelectionRuleKind};
use booking_core as bc;
use booking_core::ErrorCode;
use booking_front::BookingStatus;

/// Everything the engine can refuse, with the details a caller acts on. Seats are named by label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum BookingError {
    /// `INVALID_INPUT`: a field of the request is malformed or out of range.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, e.g. `seats[2]` or `owner`.
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// `INVALID_LAYOUT`: a seat layout was refused; every problem is listed.
    #[error("invalid layout ({} problem(s))", issues.len())]
    InvalidLayout {
        /// Every problem, in source order.
        issues: Vec<LayoutIssue>,
    },
    /// `INVALID_PRICING`: a pricing policy was refused, or a quote could not be made.
    #[error("invalid pricing: {reason}")]
    InvalidPricing {
        /// Why, naming the field.
        reason: String,
    },
    /// `PROMO_REJECTED`: the promo code does not apply.
    #[error("promo code {promo_code:?} rejected: {reason}")]
    PromoRejected {
        /// The code as given.
        promo_code: String,
        /// Why it does not apply.
        reason: String,
    },
    /// `NOT_FOUND`: the thing named does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What kind of thing: `show`, `hold`, `booking`, `seat`...
        entity: String,
        /// The id or label looked up.
        id: String,
    },
    /// `SEAT_UNAVAILABLE`: seats are held or booked by someone else, or not for sale.
    #[error("seats unavailable: {}", seats.join(", "))]
    SeatUnavailable {
        /// Labels of every seat that could not be taken (empty when best-available found too few;
        /// a zone's name when it has fewer free places than asked for).
        seats: Vec<String>,
    },
    /// `SELECTION_RULE`: the selection breaks a selection rule.
    #[error("selection refused ({rule:?}): {}", seats.join(", "))]
    SelectionRule {
        /// Which rule.
        rule: SelectionRuleKind,
        /// For an orphan: the stranded seats; for a pair: the missing partners.
        seats: Vec<String>,
    },
    /// `HOLD_EXPIRED`: the hold, or the pending booking's payment deadline, has expired.
    #[error("{what} has expired")]
    HoldExpired {
        /// What expired, e.g. `hold-4`.
        what: String,
    },
    /// `NOT_OWNER`: the caller does not own the hold or booking.
    #[error("not the owner of {what}")]
    NotOwner {
        /// What was acted on.
        what: String,
    },
    /// `STALE_FENCE`: the fencing token presented is not the hold's current one.
    #[error("stale fencing token: presented {presented}, current {current}")]
    StaleFence {
        /// The token presented.
        presented: u64,
        /// The current token.
        current: u64,
    },
    /// `LIMIT_EXCEEDED`: a limit was reached.
    #[error("limit exceeded: {limit} (max {max})")]
    LimitExceeded {
        /// Which limit, e.g. `seats_per_hold` or `holds_per_owner`.
        limit: String,
        /// Its value.
        max: u64,
    },
    /// `INVALID_TRANSITION`: the booking state machine does not allow this.
    #[error("cannot {action:?} a booking that is {from:?}")]
    InvalidTransition {
        /// The booking's state.
        from: BookingStatus,
        /// What was attempted.
        action: BookingAction,
    },
    /// `SHOW_OVERLAP`: the show would overlap another on the same screen.
    #[error("show overlaps show-{other_show_id} on the same screen")]
    ShowOverlap {
        /// The show already scheduled there.
        other_show_id: u64,
    },
    /// `SALES_CLOSED`: the show is not on sale.
    #[error("sales closed: {reason}")]
    SalesClosed {
        /// Why, e.g. the show is cancelled or the sales window ended.
        reason: String,
    },
    /// `IDEMPOTENCY_CONFLICT`: the idempotency key was used before for a different request.
    #[error("idempotency key reused for a different request")]
    IdempotencyConflict,
    /// `ALREADY_CHECKED_IN`: the ticket was already checked in.
    #[error("ticket {seat} of {booking} already checked in")]
    AlreadyCheckedIn {
        /// The booking, e.g. `booking-9`.
        booking: String,
        /// The seat label.
        seat: String,
    },
    /// `INVALID_TICKET`: the ticket code is forged, malformed or for something else.
    #[error("invalid ticket: {reason}")]
    InvalidTicket {
        /// Why.
        reason: String,
    },
    /// `STORE_UNAVAILABLE`: the store is unavailable; the same call may succeed if retried.
    #[error("store unavailable: {reason}")]
    StoreUnavailable {
        /// What failed.
        reason: String,
    },
    /// `STORE_FAILURE`: the store failed, or an internal error (a caught panic); retrying will not help.
    #[error("store failure: {reason}")]
    StoreFailure {
        /// What failed.
        reason: String,
    },
    /// `PAYMENT_DECLINED`: the payment gateway refused the card; nothing was charged.
    #[error("the payment was declined: {reason}")]
    PaymentDeclined {
        /// As the gateway says.
        reason: String,
    },
    /// `PAYMENT_TIMEOUT`: the gateway did not answer in time; paying again with the same key settles it.
    #[error("the payment gateway did not answer in time")]
    PaymentTimeout,
    /// `PAYMENT_FAILED`: the payment gateway failed; nothing was confirmed.
    #[error("the payment gateway failed: {reason}")]
    PaymentFailed {
        /// What the gateway said.
        reason: String,
    },
}

#[uniffi::export]
impl BookingError {
    /// The stable machine code, e.g. `SEAT_UNAVAILABLE`.
    pub fn error_code(&self) -> String {
        self.code().as_str().to_string()
    }

    /// Whether the same call may succeed if simply retried.
    pub fn is_retryable(&self) -> bool {
        matches!(self, BookingError::StoreUnavailable { .. })
    }
}

impl BookingError {
    /// The core's code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            BookingError::InvalidInput { .. } => ErrorCode::InvalidInput,
            BookingError::InvalidLayout { .. } => ErrorCode::InvalidLayout,
            BookingError::InvalidPricing { .. } => ErrorCode::InvalidPricing,
            BookingError::PromoRejected { .. } => ErrorCode::PromoRejected,
            BookingError::NotFound { .. } => ErrorCode::NotFound,
            BookingError::SeatUnavailable { .. } => ErrorCode::SeatUnavailable,
            BookingError::SelectionRule { .. } => ErrorCode::SelectionRule,
            BookingError::HoldExpired { .. } => ErrorCode::HoldExpired,
            BookingError::NotOwner { .. } => ErrorCode::NotOwner,
            BookingError::StaleFence { .. } => ErrorCode::StaleFence,
            BookingError::LimitExceeded { .. } => ErrorCode::LimitExceeded,
            BookingError::InvalidTransition { .. } => ErrorCode::InvalidTransition,
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

    /// Shorthand for [`BookingError::InvalidInput`].
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        BookingError::InvalidInput { field: field.to_string(), reason: reason.into() }
    }
}

impl From<bc::BookingError> for BookingError {
    fn from(e: bc::BookingError) -> Self {
        use bc::BookingError as E;
        match e {
            E::InvalidInput { field, reason } => BookingError::InvalidInput { field, reason },
            E::InvalidLayout(layout) => BookingError::from(layout),
            E::Pricing(bc::PricingError::PromoRejected { code, reason }) => {
                BookingError::PromoRejected { promo_code: code, reason }
            }
            E::Pricing(other) => BookingError::InvalidPricing { reason: other.to_string() },
            E::NotFound { entity, id } => BookingError::NotFound { entity: entity.to_string(), id },
            E::SeatUnavailable { seats } => BookingError::SeatUnavailable { seats },
            E::SelectionRule { rule, seats } => BookingError::SelectionRule { rule: rule.into(), seats },
            E::HoldExpired { what } => BookingError::HoldExpired { what },
            E::NotOwner { what } => BookingError::NotOwner { what },
            E::StaleFence { presented, current } => BookingError::StaleFence { presented, current },
            E::LimitExceeded { limit, max } => BookingError::LimitExceeded { limit: limit.to_string(), max },
            E::InvalidTransition(t) => {
                BookingError::InvalidTransition { from: t.from.into(), action: t.action.into() }
            }
            E::ShowOverlap { other } => BookingError::ShowOverlap { other_show_id: other.0 },
            E::SalesClosed { reason } => BookingError::SalesClosed { reason },
            E::IdempotencyConflict => BookingError::IdempotencyConflict,
            E::AlreadyCheckedIn { booking, seat } => BookingError::AlreadyCheckedIn { booking, seat },
            E::InvalidTicket { reason } => BookingError::InvalidTicket { reason },
            E::StoreUnavailable { message } => BookingError::StoreUnavailable { reason: message },
            E::StoreFailure { message } => BookingError::StoreFailure { reason: message },
            E::PaymentDeclined { reason } => BookingError::PaymentDeclined { reason },
            E::PaymentTimeout => BookingError::PaymentTimeout,
            E::PaymentFailed { reason } => BookingError::PaymentFailed { reason },
            // A variant added to the core later: keep its code's meaning visible in the text.
            other => BookingError::StoreFailure { reason: format!("{}: {other}", other.code()) },
        }
    }
}

impl From<bc::LayoutError> for BookingError {
    fn from(e: bc::LayoutError) -> Self {
        BookingError::InvalidLayout { issues: e.issues.into_iter().map(LayoutIssue::from).collect() }
    }
}

impl From<bc::PricingError> for BookingError {
    fn from(e: bc::PricingError) -> Self {
        BookingError::from(bc::BookingError::from(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One core error of each code.
    fn sample(code: ErrorCode) -> bc::BookingError {
        use bc::BookingError as E;
        let s = || "x".to_string();
        match code {
            ErrorCode::InvalidInput => E::invalid("f", "r"),
            ErrorCode::InvalidLayout => E::InvalidLayout(bc::LayoutError {
                issues: vec![bc::LayoutIssue { line: 1, column: 2, path: s(), message: s() }],
            }),
            ErrorCode::InvalidPricing => bc::PricingError::UnknownCategory { category: s() }.into(),
            ErrorCode::PromoRejected => bc::PricingError::PromoRejected { code: s(), reason: s() }.into(),
            ErrorCode::NotFound => E::not_found("show", 3),
            ErrorCode::SeatUnavailable => E::SeatUnavailable { seats: vec!["A1".into()] },
            ErrorCode::SelectionRule => {
                E::SelectionRule { rule: bc::SelectionRuleKind::PairSplit, seats: vec![s()] }
            }
            ErrorCode::HoldExpired => E::HoldExpired { what: s() },
            ErrorCode::NotOwner => E::NotOwner { what: s() },
            ErrorCode::StaleFence => E::StaleFence { presented: 1, current: 2 },
            ErrorCode::LimitExceeded => E::LimitExceeded { limit: "seats_per_hold", max: 10 },
            ErrorCode::InvalidTransition => E::InvalidTransition(bc::InvalidTransition {
                from: bc::BookingStatus::Cancelled,
                action: bc::BookingAction::Refund,
            }),
            ErrorCode::ShowOverlap => E::ShowOverlap { other: bc::ShowId(4) },
            ErrorCode::SalesClosed => E::SalesClosed { reason: s() },
            ErrorCode::IdempotencyConflict => E::IdempotencyConflict,
            ErrorCode::AlreadyCheckedIn => E::AlreadyCheckedIn { booking: s(), seat: s() },
            ErrorCode::InvalidTicket => E::InvalidTicket { reason: s() },
            ErrorCode::StoreUnavailable => E::StoreUnavailable { message: s() },
            ErrorCode::PaymentDeclined => E::PaymentDeclined { reason: s() },
            ErrorCode::PaymentTimeout => E::PaymentTimeout,
            ErrorCode::PaymentFailed => E::PaymentFailed { reason: s() },
            _ => E::StoreFailure { message: s() },
        }
    }

    #[test]
    fn every_core_code_maps_to_its_own_variant() {
        let mut variants = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let core_error = sample(code);
            assert_eq!(core_error.code(), code, "sample of {code}");
            let ffi = BookingError::from(core_error.clone());
            assert_eq!(ffi.code(), code);
            assert_eq!(ffi.error_code(), code.as_str());
            assert_eq!(ffi.is_retryable(), core_error.is_retryable());
            assert!(variants.insert(std::mem::discriminant(&ffi)), "{code} shares a variant");
        }
    }

    #[test]
    fn details_survive_the_mapping() {
        let e = BookingError::from(bc::BookingError::SeatUnavailable { seats: vec!["F12".into()] });
        assert_eq!(e, BookingError::SeatUnavailable { seats: vec!["F12".into()] });
        let e = BookingError::from(sample(ErrorCode::InvalidTransition));
        let expected =
            BookingError::InvalidTransition { from: BookingStatus::Cancelled, action: BookingAction::Refund };
        assert_eq!(e, expected);
    }
}
