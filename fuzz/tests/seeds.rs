//! The seed corpora of the targets whose inputs name what they reach: one input per operation
//! of the server's OpenAPI document (`http_requests`), per operation of `booking_front::by_name`
//! (`python_args`), and signed ticket codes (`ticket_codes`). They are made from those lists,
//! so a new route or operation gets its seed: `BOOKING_BLESS=1 cargo test -p booking-fuzz --test
//! seeds` writes them, and without it this test fails when the committed ones are out of date.

use booking_fuzz::http_requests::{Operation, operations, seed};
use std::collections::BTreeMap;
use std::path::Path;

/// A body worth starting from for an HTTP operation.
fn http_body(op: &Operation) -> &'static str {
    match (op.method, op.path.as_str()) {
        ("POST", "/v1/shows/{id}/holds") => r#"{"seats":["A3",{"label":"A4","ticket_type":"adult"}]}"#,
        ("POST", "/v1/shows/{id}/quote") => r#"{"seats":["A3"],"promo_code":"X"}"#,
        ("POST", "/v1/bookings") => r#"{"hold":1}"#,
        ("POST", "/v1/bookings/{id}/pay") => r#"{"payment_method":"card","card_token":"tok_ok"}"#,
        ("POST", "/v1/check-in") => r#"{"code":"T2.1.2.3.abcd.sig"}"#,
        ("POST", "/v1/auth/register") => {
            r#"{"email":"x@example.com","password":"long enough pass","name":"X"}"#
        }
        ("POST", "/v1/auth/login") => r#"{"email":"ann@example.com","password":"correct horse battery"}"#,
        ("POST", "/v1/admin/theatres") | ("PUT", "/v1/admin/theatres/{id}") => {
            r#"{"name":"Rex","city":"Lyon","time_zone":"Europe/Paris"}"#
        }
        ("POST", "/v1/admin/theatres/{id}/screens") | ("PUT", "/v1/admin/screens/{id}") => {
            r#"{"name":"Two","layout_text":"row A: 1-4\n"}"#
        }
        ("POST", "/v1/admin/layouts/preview") => {
            r#"{"layout_text":"row A: 1-4 (5 6)\nzone Floor capacity=3\n"}"#
        }
        ("POST", "/v1/admin/movies") | ("PUT", "/v1/admin/movies/{id}") => {
            r#"{"title":"M","runtime_minutes":90}"#
        }
        ("POST", "/v1/admin/shows") => {
            r#"{"screen":1,"title":"S","starts_at":"2031-01-01T20:00:00Z","ends_at":"2031-01-01T22:00:00Z"}"#
        }
        ("POST", "/v1/admin/users") => {
            r#"{"email":"d@example.com","password":"long enough pass","name":"D","role":"staff"}"#
        }
        ("POST", _) | ("PUT", _) => "{}",
        _ => "",
    }
}

/// Arguments worth starting from for an operation by name.
fn python_args(op: &str) -> &'static str {
    match op {
        "parse_layout" => r#"{"text":"row A: 1-4\n"}"#,
        "create_theatre" => r#"{"name":"Rex","city":"Lyon","time_zone":"Europe/Paris"}"#,
        "update_theatre" => r#"{"theatre":1,"name":"Rex","city":"Lyon","time_zone":"Europe/Paris"}"#,
        "add_screen" => r#"{"theatre":1,"name":"Two","layout_text":"row A: 1-4\n"}"#,
        "update_screen" => r#"{"screen":1,"name":"Two","layout_json":{"name":"x","sections":[]}}"#,
        "schedule_show" => {
            r#"{"screen":1,"title":"S","starts_at":1893546000000,"ends_at":1893553200000,"pricing":{"currency":"EUR","base_prices":{"standard":900}}}"#
        }
        "shows" => r#"{"theatre":1}"#,
        "quote" => r#"{"show":1,"seats":[{"label":"A3"}],"promo_code":null}"#,
        "best_available" => r#"{"show":1,"count":2}"#,
        "hold" => r#"{"show":1,"owner":"bob","seats":[{"label":"A3"}]}"#,
        "extend_hold" | "release_hold" => r#"{"hold":1,"owner":"ann","fence":1}"#,
        "create_booking" => r#"{"hold":1,"owner":"ann","idempotency_key":"k"}"#,
        "confirm_booking" => r#"{"booking":1,"owner":"ann","payment_ref":"p","idempotency_key":"k"}"#,
        "cancel_booking" | "refund_booking" | "booking" | "tickets" => r#"{"booking":1,"owner":"ann"}"#,
        "bookings_of" => r#"{"owner":"ann"}"#,
        "check_in" => r#"{"code":"T2.1.2.3.abcd.sig"}"#,
        "events_since" => r#"{"show":1,"after":0,"limit":10}"#,
        "events_since_each" => r#"{"from":[{"show":1,"after":0}],"limit":10}"#,
        _ => r#"{"id":1}"#,
    }
}

/// Every seed file, by target and file name.
fn seeds() -> BTreeMap<(&'static str, String), Vec<u8>> {
    let mut out = BTreeMap::new();
    for (i, op) in operations().iter().enumerate() {
        for caller in [1u8, 4] {
            out.insert(
                ("http_requests", format!("seed-{i:03}-{caller}")),
                seed(op, caller, http_body(op).as_bytes()),
            );
        }
    }
    for (i, op) in booking_front::by_name::OPERATIONS.iter().enumerate() {
        let mut input = op.as_bytes().to_vec();
        input.push(booking_fuzz::SEPARATOR);
        input.extend_from_slice(python_args(op).as_bytes());
        out.insert(("python_args", format!("seed-{i:03}")), input);
    }
    let code = booking_fuzz::signed_code();
    let key = booking_fuzz::ticket_signer().public_key();
    for (name, key) in [("base64url", key.to_base64url()), ("hex", key.to_hex()), ("none", String::new())] {
        let mut input = key.into_bytes();
        input.push(booking_fuzz::SEPARATOR);
        input.extend_from_slice(code.as_bytes());
        out.insert(("ticket_codes", format!("seed-{name}")), input);
    }
    out
}

#[test]
fn seed_corpora_follow_the_operations() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let seeds = seeds();
    let bless = std::env::var_os("BOOKING_BLESS").is_some();
    let mut stale = Vec::new();
    for target in ["http_requests", "python_args", "ticket_codes"] {
        let dir = corpus.join(target);
        let committed: BTreeMap<String, Vec<u8>> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| Some((e.file_name().into_string().ok()?, std::fs::read(e.path()).ok()?)))
                    .filter(|(name, _)| name.starts_with("seed-"))
                    .collect()
            })
            .unwrap_or_default();
        let wanted: BTreeMap<String, Vec<u8>> = seeds
            .iter()
            .filter(|((t, _), _)| *t == target)
            .map(|((_, n), d)| (n.clone(), d.clone()))
            .collect();
        if committed == wanted {
            continue;
        }
        if bless {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for (name, data) in &wanted {
                std::fs::write(dir.join(name), data).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        } else {
            stale.push(target);
        }
    }
    assert!(
        stale.is_empty(),
        "seed corpora out of date: {stale:?}; BOOKING_BLESS=1 cargo test -p booking-fuzz --test seeds"
    );
}
