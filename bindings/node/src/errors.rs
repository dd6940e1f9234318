//! The one error file: a `BookingError` (or a panic) as a JavaScript `Error`.
//!
//! The error's `code` is the core's stable code (`SEAT_UNAVAILABLE`, ...), `name` is
//! `BookingError`, `retryable` says whether the same call may succeed later, and the variant's
//! details are fields (`seats`, `field` and `reason`, `presented` and `current`, ...), as the
//! `BookingError` interface of `index.d.ts` (`types-header.d.ts`) declares them.

use crate::types::LayoutProblem;
use booking_core::BookingError;
use napi::bindgen_prelude::{JsObjectValue, Object, ToNapiValue};
use napi::{Env, JsValue, Status};
use std::any::Any;

/// A refusal as a JavaScript `Error` object with its code and details.
pub(crate) fn to_js<'env>(env: &'env Env, e: &BookingError) -> napi::Result<Object<'env>> {
    let mut error = env.create_error(napi::Error::new(Status::GenericFailure, e.to_string()))?;
    error.set_named_property("name", "BookingError")?;
    error.set_named_property("code", e.code().as_str())?;
    error.set_named_property("retryable", e.is_retryable())?;
    details(&mut error, e)?;
    Ok(error)
}

/// The same, as the `napi::Error` that rejects a Promise or throws with that very object.
pub(crate) fn to_napi(env: &Env, e: &BookingError) -> napi::Error {
    match to_js(env, e) {
        Ok(object) => napi::Error::from(object.to_unknown()),
        Err(failed) => failed,
    }
}

/// A panic caught at the boundary: a `STORE_FAILURE` naming the operation.
pub(crate) fn panicked(op: &str, payload: &(dyn Any + Send)) -> BookingError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    BookingError::StoreFailure { message: format!("internal error in {op}: {what}") }
}

fn set<V: ToNapiValue>(error: &mut Object<'_>, name: &str, value: V) -> napi::Result<()> {
    error.set_named_property(name, value)
}

fn details(error: &mut Object<'_>, e: &BookingError) -> napi::Result<()> {
    match e {
        BookingError::InvalidInput { field, reason } => {
            set(error, "field", field.as_str())?;
            set(error, "reason", reason.as_str())
        }
        BookingError::InvalidLayout(layout) => {
            set(error, "issues", layout.issues.iter().map(LayoutProblem::from).collect::<Vec<_>>())
        }
        BookingError::Pricing(p) => set(error, "reason", p.to_string()),
        BookingError::NotFound { entity, id } => {
            set(error, "entity", *entity)?;
            set(error, "id", id.as_str())
        }
        BookingError::SeatUnavailable { seats } => set(error, "seats", seats.clone()),
        BookingError::SelectionRule { rule, seats } => {
            let rule = match rule {
                booking_core::SelectionRuleKind::OrphanSeat => "orphan_seat",
                booking_core::SelectionRuleKind::PairSplit => "pair_split",
            };
            set(error, "rule", rule)?;
            set(error, "seats", seats.clone())
        }
        BookingError::HoldExpired { what } | BookingError::NotOwner { what } => {
            set(error, "what", what.as_str())
        }
        BookingError::StaleFence { presented, current } => {
            set(error, "presented", *presented as f64)?;
            set(error, "current", *current as f64)
        }
        BookingError::LimitExceeded { limit, max } => {
            set(error, "limit", *limit)?;
            set(error, "max", *max as f64)
        }
        BookingError::InvalidTransition(t) => {
            set(error, "from", t.from.as_str())?;
            set(error, "action", t.action.as_str())
        }
        BookingError::ShowOverlap { other } => set(error, "other", other.0 as f64),
        BookingError::SalesClosed { reason }
        | BookingError::InvalidTicket { reason }
        | BookingError::PaymentDeclined { reason }
        | BookingError::PaymentFailed { reason } => set(error, "reason", reason.as_str()),
        BookingError::AlreadyCheckedIn { booking, seat } => {
            set(error, "booking", booking.as_str())?;
            set(error, "seat", seat.as_str())
        }
        // StoreUnavailable and StoreFailure say it all in the message; IdempotencyConflict and
        // variants added later carry nothing more than their code.
        _ => Ok(()),
    }
}
