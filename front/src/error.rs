//! An error as every front hands it out: the stable code, a message for people, and the
//! details a caller acts on.

use booking_core::BookingError;
use serde::{Deserialize, Serialize};

/// One error shape for every refusal of every front: `{ "code", "message", "details" }`.
///
/// `details` is [`BookingError::details`]: always a JSON object (empty when there is nothing
/// more to say), never `null`.
///
/// ```
/// use booking_core::BookingError;
/// use booking_front::ErrorView;
/// let e = ErrorView::from(&BookingError::invalid("seats", "must not be empty"));
/// assert_eq!(e.code, "INVALID_INPUT");
/// assert_eq!(e.details, serde_json::json!({ "field": "seats", "reason": "must not be empty" }));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Error))]
pub struct ErrorView {
    /// Stable machine code, e.g. `SEAT_UNAVAILABLE`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
    /// What a caller acts on (the field and the reason, the seats, the limit...); an object.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

impl ErrorView {
    /// An error of a front's own (an HTTP-only code such as `UNAUTHORIZED`), with its details.
    pub fn new(code: &str, message: impl Into<String>, details: serde_json::Value) -> ErrorView {
        let details = if details.is_object() { details } else { serde_json::json!({}) };
        ErrorView { code: code.to_string(), message: message.into(), details }
    }
}

impl From<&BookingError> for ErrorView {
    fn from(e: &BookingError) -> Self {
        ErrorView { code: e.code().as_str().to_string(), message: e.to_string(), details: e.details() }
    }
}
