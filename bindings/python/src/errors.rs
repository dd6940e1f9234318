//! A `BookingError` as the Python side's `NativeError(code, message, details_json)`.

use crate::NativeError;
use booking_core::BookingError;
use pyo3::PyErr;
use serde_json::{Value, json};

/// Details naming a field and the reason.
pub(crate) fn field(field: &str, reason: &str) -> String {
    json!({"field": field, "reason": reason}).to_string()
}

/// The details of an error, as Python exceptions expose them.
fn details(e: &BookingError) -> Value {
    match e {
        BookingError::InvalidInput { field, reason } => json!({"field": field, "reason": reason}),
        BookingError::InvalidLayout(layout) => json!({"reason": layout.to_string()}),
        BookingError::Pricing(p) => json!({"reason": p.to_string()}),
        BookingError::NotFound { entity, id } => json!({"entity": entity, "id": id}),
        BookingError::SeatUnavailable { seats } => json!({"seats": seats}),
        BookingError::SelectionRule { rule, seats } => json!({"rule": rule, "seats": seats}),
        BookingError::HoldExpired { what } | BookingError::NotOwner { what } => json!({"what": what}),
        BookingError::StaleFence { presented, current } => {
            json!({"presented": presented, "current": current})
        }
        BookingError::LimitExceeded { limit, max } => json!({"limit": limit, "max": max}),
        BookingError::InvalidTransition(t) => json!({"from": t.from.as_str(), "action": t.action.as_str()}),
        BookingError::ShowOverlap { other } => json!({"other": other.0}),
        BookingError::SalesClosed { reason }
        | BookingError::InvalidTicket { reason }
        | BookingError::PaymentDeclined { reason }
        | BookingError::PaymentFailed { reason } => json!({"reason": reason}),
        BookingError::AlreadyCheckedIn { booking, seat } => json!({"booking": booking, "seat": seat}),
        BookingError::StoreUnavailable { message } | BookingError::StoreFailure { message } => {
            json!({"message": message})
        }
        // IdempotencyConflict, and variants added later: the code and message say it all.
        _ => json!({}),
    }
}

pub(crate) fn to_py(e: &BookingError) -> PyErr {
    let mut d = details(e);
    if let Value::Object(map) = &mut d {
        map.insert("retryable".into(), Value::Bool(e.is_retryable()));
    }
    NativeError::new_err((e.code().as_str().to_string(), e.to_string(), d.to_string()))
}
