//! A `BookingError` as the Python side's `NativeError(code, message, details_json)`: the details
//! are the core's `BookingError::details()`, the object every front gives for the code.

use crate::NativeError;
use booking_core::BookingError;
use pyo3::PyErr;
use serde_json::{Value, json};

/// Details naming a field and the reason.
pub(crate) fn field(field: &str, reason: &str) -> String {
    json!({"field": field, "reason": reason}).to_string()
}

pub(crate) fn to_py(e: &BookingError) -> PyErr {
    let mut d = e.details();
    if let Value::Object(map) = &mut d {
        map.insert("retryable".into(), Value::Bool(e.is_retryable()));
    }
    NativeError::new_err((e.code().as_str().to_string(), e.to_string(), d.to_string()))
}
