//! The one error file: a `BookingError` (or a panic) as a JavaScript `Error`.
//!
//! The error's `name` is `BookingError`, its `code` the core's stable code (`SEAT_UNAVAILABLE`,
//! ...), `retryable` whether the same call may succeed later, and `details` the object
//! every front hands out for that code (`BookingError::details` in the core: the field and the
//! reason, the seats by label, the limit...), as the `BookingError` interface of `index.d.ts`
//! (`types-header.d.ts`) declares it.

use booking_core::BookingError;
use napi::bindgen_prelude::{JsObjectValue, Object};
use napi::{Env, JsValue, Status};

/// A refusal as a JavaScript `Error` object with its code and details.
pub(crate) fn to_js<'env>(env: &'env Env, e: &BookingError) -> napi::Result<Object<'env>> {
    let mut error = env.create_error(napi::Error::new(Status::GenericFailure, e.to_string()))?;
    error.set_named_property("name", "BookingError")?;
    error.set_named_property("code", e.code().as_str())?;
    error.set_named_property("retryable", e.is_retryable())?;
    error.set_named_property("details", e.details())?;
    Ok(error)
}

/// The same, as the `napi::Error` that rejects a Promise or throws with that very object.
pub(crate) fn to_napi(env: &Env, e: &BookingError) -> napi::Error {
    match to_js(env, e) {
        Ok(object) => napi::Error::from(object.to_unknown()),
        Err(failed) => failed,
    }
}
