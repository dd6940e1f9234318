//! One JSON error shape for every refusal: `{ "code": ..., "message": ..., "details": ... }`.
//!
//! Core errors keep their stable codes (`SEAT_UNAVAILABLE`, `HOLD_EXPIRED`, ...); the server adds
//! its own for what only HTTP has (`UNAUTHORIZED`, `RATE_LIMITED`, `PAYLOAD_TOO_LARGE`, ...).
//! A client's mistake is always a 4xx; only a store that fails for good gives a 5xx.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use booking_core::{BookingError, ErrorCode, PricingError};
use serde_json::{Value, json};

/// An error answered to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine code.
    pub code: &'static str,
    /// For people.
    pub message: String,
    /// What a client acts on (the field, the unavailable seats...); `null` when nothing.
    pub details: Value,
    /// Seconds after which a retry may succeed.
    pub retry_after_secs: Option<u64>,
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with no details.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), details: Value::Null, retry_after_secs: None }
    }

    /// With details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// With a `Retry-After`.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    /// A malformed request (syntax, type, missing field): 400 `INVALID_INPUT` naming the field.
    pub fn bad_request(field: impl Into<String>, reason: impl Into<String>) -> Self {
        let (field, reason) = (field.into(), reason.into());
        ApiError::new(StatusCode::BAD_REQUEST, "INVALID_INPUT", format!("invalid {field}: {reason}"))
            .with_details(json!({ "field": field, "reason": reason }))
    }

    /// A well-formed request whose values are refused: 422 `INVALID_INPUT` naming the field.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        let mut e = ApiError::bad_request(field, reason);
        e.status = StatusCode::UNPROCESSABLE_ENTITY;
        e
    }

    /// 401: no credentials, or credentials that are not genuine or have expired.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }

    /// 403: authenticated, but not allowed.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", message)
    }

    /// 404 for an entity of the server's own (users, movies...).
    pub fn not_found(entity: &'static str, id: impl std::fmt::Display) -> Self {
        let id = id.to_string();
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", format!("{entity} {id} not found"))
            .with_details(json!({ "entity": entity, "id": id }))
    }

    /// 409 for a conflict with the server's own data (an email already registered...).
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    /// 503: a dependency is unavailable; retrying may succeed.
    pub fn unavailable(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "STORE_UNAVAILABLE", message).retry_after(1)
    }

    /// 500 for a failure a retry will not fix; the message is for logs, the client sees a
    /// generic one.
    pub fn internal(message: impl Into<String>) -> Self {
        let message = message.into();
        tracing::error!(%message, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "STORE_FAILURE", "the server failed; see its logs")
    }
}

/// The HTTP status of each core code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidInput
        | ErrorCode::InvalidLayout
        | ErrorCode::InvalidPricing
        | ErrorCode::PromoRejected
        | ErrorCode::SelectionRule
        | ErrorCode::LimitExceeded
        | ErrorCode::InvalidTicket => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::NotOwner => StatusCode::FORBIDDEN,
        ErrorCode::SeatUnavailable
        | ErrorCode::HoldExpired
        | ErrorCode::StaleFence
        | ErrorCode::InvalidTransition
        | ErrorCode::ShowOverlap
        | ErrorCode::SalesClosed
        | ErrorCode::IdempotencyConflict
        | ErrorCode::AlreadyCheckedIn => StatusCode::CONFLICT,
        ErrorCode::StoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn details_of(e: &BookingError) -> Value {
    match e {
        BookingError::InvalidInput { field, reason } => json!({ "field": field, "reason": reason }),
        BookingError::InvalidLayout(layout) => json!({ "issues": layout.issues }),
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
        BookingError::AlreadyCheckedIn { booking, seat } => json!({ "booking": booking, "seat": seat }),
        BookingError::Pricing(p) => pricing_details(p),
        _ => Value::Null,
    }
}

fn pricing_details(e: &PricingError) -> Value {
    match e {
        PricingError::InvalidPolicy { field, reason } => json!({ "field": field, "reason": reason }),
        PricingError::UnknownCategory { category } => json!({ "category": category }),
        PricingError::UnknownTicketType { ticket_type } => json!({ "ticket_type": ticket_type }),
        PricingError::PromoRejected { code, reason } => json!({ "promo_code": code, "reason": reason }),
        PricingError::Money(m) => json!({ "reason": m.to_string() }),
    }
}

impl From<BookingError> for ApiError {
    fn from(e: BookingError) -> Self {
        let code = e.code();
        if code == ErrorCode::StoreFailure {
            return ApiError::internal(e.to_string());
        }
        let mut api =
            ApiError::new(status_of(code), code.as_str(), e.to_string()).with_details(details_of(&e));
        if e.is_retryable() {
            api.retry_after_secs = Some(1);
        }
        api
    }
}

impl From<crate::directory::DirectoryError> for ApiError {
    fn from(e: crate::directory::DirectoryError) -> Self {
        use crate::directory::DirectoryError;
        match e {
            DirectoryError::EmailTaken => {
                ApiError::conflict("EMAIL_TAKEN", "an account with this email exists")
                    .with_details(json!({ "field": "email" }))
            }
            DirectoryError::Unavailable(m) => ApiError::unavailable(m),
            DirectoryError::Failure(m) => ApiError::internal(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "code": self.code, "message": self.message, "details": self.details });
        let mut res = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_but_failure_is_not_a_500() {
        for code in ErrorCode::ALL {
            let status = status_of(code);
            assert_eq!(
                status.is_server_error(),
                matches!(code, ErrorCode::StoreUnavailable | ErrorCode::StoreFailure),
                "{code}"
            );
        }
    }

    #[test]
    fn unavailable_seats_are_named_in_details() {
        let e: ApiError = BookingError::SeatUnavailable { seats: vec!["A1".into()] }.into();
        assert_eq!((e.status, e.code), (StatusCode::CONFLICT, "SEAT_UNAVAILABLE"));
        assert_eq!(e.details, json!({ "seats": ["A1"] }));
    }
}
