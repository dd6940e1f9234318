//! The server's requests: bytes as the body (or query) of any route, sent in-process through
//! booking-server's whole router on the in-memory store, as a customer, an admin, a stranger or
//! a forger. Whatever the bytes, the answer is never a 5xx, an error has the one JSON shape with
//! a code and a message, and a refused request leaves the show's log as it was.

use booking_server::app::{self, AppState, Parts};
use booking_server::config::Config;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// Who sends the request, by the input's second byte.
const CALLERS: usize = 4;

/// The routes a body or query reaches, by the input's first byte: method, path (`{show}`,
/// `{hold}`, `{booking}` filled in), and whether the rest of the input is the query string.
const ROUTES: [(&str, &str, bool); 20] = [
    ("POST", "/v1/shows/{show}/holds", false),
    ("POST", "/v1/holds/{hold}/extend", false),
    ("DELETE", "/v1/holds/{hold}", true),
    ("POST", "/v1/bookings", false),
    ("POST", "/v1/bookings/{booking}/pay", false),
    ("POST", "/v1/bookings/{booking}/cancel", false),
    ("POST", "/v1/check-in", false),
    ("POST", "/v1/shows/{show}/quote", false),
    ("GET", "/v1/shows/{show}/best-available", true),
    ("GET", "/v1/shows", true),
    ("GET", "/v1/theatres", true),
    ("POST", "/v1/admin/theatres", false),
    ("POST", "/v1/admin/theatres/1/screens", false),
    ("POST", "/v1/admin/layouts/preview", false),
    ("POST", "/v1/admin/shows", false),
    ("POST", "/v1/admin/movies", false),
    ("PUT", "/v1/admin/movies/1", false),
    ("POST", "/v1/auth/register", false),
    ("POST", "/v1/auth/login", false),
    ("GET", "/v1/shows/{show}/events", true),
];

/// What every input reuses: one runtime, one server state, a show with a hold and a booking.
struct Stage {
    runtime: tokio::runtime::Runtime,
    state: Arc<AppState>,
    router: axum::Router,
    tokens: [String; CALLERS],
    show: u64,
    hold: u64,
    booking: u64,
}

const ADMIN_PASSWORD: &str = "fuzz-admin-password";

async fn call(router: &axum::Router, req: axum::http::Request<axum::body::Body>) -> (u16, Vec<u8>) {
    let res = router.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.map(|b| b.to_vec()).unwrap_or_default();
    (status, body)
}

fn try_request(
    method: &str,
    path: &str,
    token: &str,
    body: Vec<u8>,
) -> Result<axum::http::Request<axum::body::Body>, axum::http::Error> {
    let mut b =
        axum::http::Request::builder().method(method).uri(path).header("content-type", "application/json");
    if !token.is_empty() {
        b = b.header("authorization", format!("Bearer {token}")).header("idempotency-key", "fuzz-key");
    }
    b.body(axum::body::Body::from(body))
}

fn request(method: &str, path: &str, token: &str, body: Vec<u8>) -> axum::http::Request<axum::body::Body> {
    try_request(method, path, token, body).unwrap_or_else(|e| panic!("request {path}: {e}"))
}

/// Whether a byte may stand in a URI's query as it is (RFC 3986: unreserved, sub-delims, `:@/?`
/// and `%`, for the escapes the server must decode or refuse).
fn query_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b)
}

async fn json_call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let (status, bytes) = call(router, request(method, path, token, body.to_string().into_bytes())).await;
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    assert!(status < 300, "setting the stage: {method} {path}: {status} {value}");
    value
}

async fn login(router: &axum::Router, email: &str, password: &str) -> String {
    let body = serde_json::json!({ "email": email, "password": password });
    json_call(router, "POST", "/v1/auth/login", "", body).await["access_token"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn stage() -> &'static Stage {
    static STAGE: OnceLock<Stage> = OnceLock::new();
    STAGE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let built = runtime.block_on(async {
            let mut config = Config::defaults();
            config.demo_data = Some(false);
            config.admin_password = Some(ADMIN_PASSWORD.into());
            config.rate_limit_per_sec = 0;
            config.login_per_min = 0;
            let (state, _) = app::build(Parts::new(config)).await.unwrap_or_else(|e| panic!("build: {e}"));
            let router = app::router(state.clone());
            let admin = login(&router, "admin@example.com", ADMIN_PASSWORD).await;
            let register = serde_json::json!({ "email": "ann@example.com", "password": "correct horse battery", "name": "Ann" });
            json_call(&router, "POST", "/v1/auth/register", "", register).await;
            let ann = login(&router, "ann@example.com", "correct horse battery").await;
            let theatre = serde_json::json!({ "name": "Rex", "city": "Lisbon", "time_zone": "Europe/Lisbon" });
            json_call(&router, "POST", "/v1/admin/theatres", &admin, theatre).await;
            let screen = serde_json::json!({ "name": "One", "layout_text": "section M category=standard\nrow A: 1-10\nrow B: w1 c2 3-6 (7 8)\n" });
            let screen = json_call(&router, "POST", "/v1/admin/theatres/1/screens", &admin, screen).await;
            let starts = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48);
            let show = serde_json::json!({ "screen": screen["id"], "title": "Fuzz", "starts_at": starts.to_string(),
                "ends_at": (starts + jiff::SignedDuration::from_hours(2)).to_string(), "no_orphan": false });
            let show = json_call(&router, "POST", "/v1/admin/shows", &admin, show).await["id"].as_u64().unwrap_or(0);
            let hold = json_call(&router, "POST", &format!("/v1/shows/{show}/holds"), &ann, serde_json::json!({ "seats": ["A1", "A2"] })).await;
            let booked = json_call(&router, "POST", &format!("/v1/shows/{show}/holds"), &ann, serde_json::json!({ "seats": ["A9"] })).await;
            let booking = json_call(&router, "POST", "/v1/bookings", &ann, serde_json::json!({ "hold": booked["id"] })).await;
            // A token no server signed, in the shape of one.
            let forged = format!("{}.e30.c2lnbmF0dXJl", ann.split('.').next().unwrap_or(""));
            let ids = (show, hold["id"].as_u64().unwrap_or(0), booking["id"].as_u64().unwrap_or(0));
            (state, router, [String::new(), ann, admin, forged], ids)
        });
        let (state, router, tokens, (show, hold, booking)) = built;
        Stage { runtime, state, router, tokens, show, hold, booking }
    })
}

/// The target.
pub fn http_bodies(data: &[u8]) {
    let [route, caller, rest @ ..] = data else { return };
    let stage = stage();
    let (method, template, query) = ROUTES[usize::from(*route) % ROUTES.len()];
    let path = template
        .replace("{show}", &stage.show.to_string())
        .replace("{hold}", &stage.hold.to_string())
        .replace("{booking}", &stage.booking.to_string());
    let (path, body) = if query {
        // Bytes that are not a valid query are a client's mistake too; keep them in the URI's
        // alphabet so the request can be built at all.
        let q: String = rest.iter().map(|b| if query_byte(*b) { *b as char } else { '_' }).collect();
        (format!("{path}?{q}"), Vec::new())
    } else {
        (path, rest.to_vec())
    };
    let token = &stage.tokens[usize::from(*caller) % CALLERS];
    // libFuzzer aborts on any panic, so a request the builder refuses is left out, not caught.
    let Ok(req) = try_request(method, &path, token, body) else { return };
    let engine = &stage.state.engine;
    stage.runtime.block_on(async {
        let before = engine.events_since(booking_core::ShowId(stage.show), 0, 10_000).await.map(|e| e.len());
        if method == "GET" && template.ends_with("/events") {
            // A live stream never ends by itself: only its opening is checked.
            let res = stage.router.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
            assert!(res.status().as_u16() < 500, "{method} {path}: {}", res.status());
            return;
        }
        let (status, answer) = call(&stage.router, req).await;
        assert!(status < 500, "{method} {path} answered {status}: {}", String::from_utf8_lossy(&answer));
        if status >= 400 {
            let error: serde_json::Value = serde_json::from_slice(&answer)
                .unwrap_or_else(|e| panic!("{method} {path}: {status} without a JSON error ({e})"));
            assert!(error["code"].as_str().is_some_and(|c| !c.is_empty()), "{method} {path}: {error}");
            assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{method} {path}: {error}");
            let after =
                engine.events_since(booking_core::ShowId(stage.show), 0, 10_000).await.map(|e| e.len());
            assert_eq!(
                before.ok(),
                after.ok(),
                "{method} {path} was refused ({status}) but changed the show's log"
            );
        }
    });
}
