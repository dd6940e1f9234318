//! One JSON error shape for every refusal: booking-front's [`ErrorView`],
//! `{ "code": ..., "message": ..., "details": {...} }`, `details` always an object.
//!
//! Core errors keep their stable codes (`SEAT_UNAVAILABLE`, `HOLD_EXPIRED`, ...) and their
//! [`BookingError::details`]; the server adds its own codes for what only HTTP has
//! (`UNAUTHORIZED`, `RATE_LIMITED`, `PAYLOAD_TOO_LARGE`, ...). A client's mistake is always a
//! 4xx; only a store or a payment gateway that fails gives a 5xx.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use booking_core::{BookingError, ErrorCode};
use booking_front::ErrorView;
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
    /// What a client acts on (the field, the unavailable seats...): an object, empty when there
    /// is nothing more to say.
    pub details: Value,
    /// Seconds after which a retry may succeed.
    pub retry_after_secs: Option<u64>,
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with no details (an empty object).
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), details: json!({}), retry_after_secs: None }
    }

    /// With details: an object (anything else is taken as none).
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = if details.is_object() { details } else { json!({}) };
        self
    }

    /// The body: booking-front's error shape.
    pub fn view(&self) -> ErrorView {
        ErrorView::new(self.code, self.message.clone(), self.details.clone())
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
        ErrorCode::PaymentDeclined => StatusCode::PAYMENT_REQUIRED,
        ErrorCode::PaymentTimeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::PaymentFailed => StatusCode::BAD_GATEWAY,
        ErrorCode::StoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<BookingError> for ApiError {
    fn from(e: BookingError) -> Self {
        let code = e.code();
        if code == ErrorCode::StoreFailure {
            return ApiError::internal(e.to_string());
        }
        let mut api = ApiError::new(status_of(code), code.as_str(), e.to_string()).with_details(e.details());
        // A timed-out payment settles when paid again with the same key.
        if e.is_retryable() || code == ErrorCode::PaymentTimeout {
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
        let mut res = (self.status, axum::Json(self.view())).into_response();
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
    fn only_a_failing_store_or_gateway_is_a_5xx() {
        for code in ErrorCode::ALL {
            let status = status_of(code);
            assert_eq!(
                status.is_server_error(),
                matches!(
                    code,
                    ErrorCode::StoreUnavailable
                        | ErrorCode::StoreFailure
                        | ErrorCode::PaymentTimeout
                        | ErrorCode::PaymentFailed
                ),
                "{code}"
            );
        }
        assert_eq!(status_of(ErrorCode::PaymentDeclined), StatusCode::PAYMENT_REQUIRED);
    }

    #[test]
    fn every_error_body_has_details_as_an_object() {
        let http_only = ApiError::forbidden("no");
        assert_eq!(
            serde_json::to_value(http_only.view()).ok().map(|v| v["details"].clone()),
            Some(json!({}))
        );
        let odd = ApiError::unauthorized("no").with_details(Value::Null);
        assert_eq!(odd.details, json!({}));
        let core: ApiError = BookingError::IdempotencyConflict.into();
        assert_eq!((core.code, core.details), ("IDEMPOTENCY_CONFLICT", json!({})));
    }

    #[test]
    fn unavailable_seats_are_named_in_details() {
        let e: ApiError = BookingError::SeatUnavailable { seats: vec!["A1".into()] }.into();
        assert_eq!((e.status, e.code), (StatusCode::CONFLICT, "SEAT_UNAVAILABLE"));
        assert_eq!(e.details, json!({ "seats": ["A1"] }));
    }
}
