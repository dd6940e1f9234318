//! The HTTP column of booking-front's parity list is the service's OpenAPI document: every
//! operation it says HTTP offers is a documented route, with its method.

use booking_front::parity::{OPERATIONS, Offer};

#[test]
fn every_operation_http_offers_is_a_documented_route() {
    let doc = serde_json::to_value(booking_server::routes::openapi()).unwrap_or_default();
    let mut missing = Vec::new();
    for o in OPERATIONS {
        let Offer::Named(route) = o.http else { continue };
        let (method, path) = route.split_once(' ').unwrap_or((route, ""));
        let documented = doc["paths"][path][method.to_ascii_lowercase()].is_object();
        if !documented {
            missing.push(format!("{}: {route}", o.engine));
        }
    }
    assert!(missing.is_empty(), "listed as offered over HTTP but not in /openapi.json: {missing:#?}");
}
