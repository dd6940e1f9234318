//! The OpenAPI document, generated: each handler's `#[utoipa::path]` gives its operation, with
//! the statuses only it answers, and the body types' `ToSchema` give the schemas; then
//! [`complete`] adds what every route of a kind answers, because it comes from the layer or the
//! extractor that route goes through, not from the handler:
//!
//! - every route: 503 `OVERLOADED` (admission) and 500 `STORE_FAILURE` (a failing store, or a
//!   handler's panic);
//! - every route under `/v1`: 429 `RATE_LIMITED`;
//! - a route with parameters or a JSON body: 400 `INVALID_INPUT` naming the field;
//! - a route with a JSON body: 413 `PAYLOAD_TOO_LARGE` and 415 `UNSUPPORTED_MEDIA_TYPE`;
//! - a route behind a token: 401 `UNAUTHORIZED`.
//!
//! `/openapi.json` serves exactly this document.

use booking_front::ErrorView;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

/// The security scheme of every route behind a token.
pub const BEARER: &str = "bearer";

const DESCRIPTION: &str = "The booking-core example service. Every error has booking-front's shape \
{code, message, details}, details always an object; codes are booking-core's stable codes plus \
UNAUTHORIZED, FORBIDDEN, EMAIL_TAKEN, TOTP_ENABLED, TOTP_NOT_SET_UP, RATE_LIMITED, OVERLOADED, \
STREAMS_EXHAUSTED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, ROUTE_NOT_FOUND and METHOD_NOT_ALLOWED. \
Times are RFC 3339 in UTC with milliseconds; money is integer minor units with its ISO 4217 \
currency and that currency's exponent. This document is generated from the handlers.";

/// The statuses added to an operation, each with the condition it applies under.
const STANDARD: [(&str, &str, Kind); 7] = [
    ("400", "Malformed request: the field and the reason in details (INVALID_INPUT)", Kind::Input),
    ("401", "No token, or one that is not genuine or has expired (UNAUTHORIZED)", Kind::Token),
    ("413", "The body is over the size limit (PAYLOAD_TOO_LARGE)", Kind::Body),
    ("415", "The body is not JSON (UNSUPPORTED_MEDIA_TYPE)", Kind::Body),
    ("429", "Over the client's rate limit, see Retry-After (RATE_LIMITED)", Kind::Api),
    ("500", "The store failed; the call changed nothing it reported (STORE_FAILURE)", Kind::Any),
    ("503", "Busy (OVERLOADED) or the store is unreachable (STORE_UNAVAILABLE); retry", Kind::Any),
];

/// Which operations a standard status applies to.
#[derive(Clone, Copy)]
enum Kind {
    Any,
    Api,
    Input,
    Body,
    Token,
}

/// `api` with the info, the security scheme, the error schema and the standard statuses.
pub fn complete(mut api: OpenApi) -> OpenApi {
    api.info.title = "booking-server".into();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    api.info.description = Some(DESCRIPTION.into());
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
    );
    components.schemas.insert(ErrorView::name().into_owned(), ErrorView::schema());
    for (path, item) in api.paths.paths.iter_mut() {
        let under_api = path.starts_with("/v1/");
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for op in operations.into_iter().flatten() {
            add_standard(op, under_api);
        }
    }
    api
}

fn add_standard(op: &mut Operation, under_api: bool) {
    let has_body = op.request_body.is_some();
    let has_input = has_body || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_token = op.security.as_ref().is_some_and(|s| !s.is_empty());
    for (status, description, kind) in STANDARD {
        let applies = match kind {
            Kind::Any => true,
            Kind::Api => under_api,
            Kind::Input => has_input,
            Kind::Body => has_body,
            Kind::Token => has_token,
        };
        if applies && !op.responses.responses.contains_key(status) {
            op.responses.responses.insert(status.into(), error_response(description));
        }
    }
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(ErrorView::name()))).build();
    RefOr::T(ResponseBuilder::new().description(description).content("application/json", content).build())
}
