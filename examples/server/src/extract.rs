//! Extractors that refuse bad requests with the server's error shape and name the field:
//! malformed JSON, a wrong type, a missing field, a bad path or query parameter, a body over
//! the limit or of the wrong media type.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// A JSON body, parsed with the path of the offending field in any error.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "the body must be JSON (Content-Type: application/json)",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A JSON body that may be left out entirely (then `T::default()`).
#[derive(Debug, Clone)]
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        if !has_type {
            let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
            return if bytes.iter().all(u8::is_ascii_whitespace) {
                Ok(OptionalJson(T::default()))
            } else {
                Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "the body must be JSON (Content-Type: application/json)",
                ))
            };
        }
        ApiJson::<T>::from_request(req, state).await.map(|ApiJson(v)| OptionalJson(v))
    }
}

/// Parses JSON, naming the field at fault (`seats[1].label`) or `body` for a syntax error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field =
            if inner.is_syntax() || inner.is_eof() || path == "." { "body".to_string() } else { path };
        ApiError::bad_request(field, inner.to_string())
    })?;
    de.end().map_err(|e| ApiError::bad_request("body", e.to_string()))?;
    Ok(value)
}

fn body_error(e: BytesRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "the body is over the size limit")
    } else {
        ApiError::bad_request("body", e.body_text())
    }
}

/// Path parameters, refused with 400 naming the parameter.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let field = match e.kind() {
                    axum::extract::path::ErrorKind::ParseErrorAtKey { key, .. }
                    | axum::extract::path::ErrorKind::InvalidUtf8InPathParam { key } => key.clone(),
                    _ => "path".to_string(),
                };
                Err(ApiError::bad_request(field, e.body_text()))
            }
            Err(e) => Err(ApiError::bad_request("path", e.body_text())),
        }
    }
}

/// Query parameters, refused with 400 naming the problem.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e: QueryRejection| ApiError::bad_request("query", e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Seat {
        label: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Req {
        seats: Vec<Seat>,
    }

    #[test]
    fn the_field_at_fault_is_named() {
        let e = parse_json::<Req>(br#"{"seats":[{"label":"A1"},{"label":7}]}"#).err();
        let field = e.map(|e| e.details["field"].clone());
        assert_eq!(field, Some(serde_json::json!("seats[1].label")));
        let e = parse_json::<Req>(b"{\"seats\":").err().map(|e| e.details["field"].clone());
        assert_eq!(e, Some(serde_json::json!("body")));
        let e = parse_json::<Req>(b"{}").err().map(|e| (e.status, e.code));
        assert_eq!(e, Some((StatusCode::BAD_REQUEST, "INVALID_INPUT")));
    }
}
