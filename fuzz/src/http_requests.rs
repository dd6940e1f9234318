//! The server's requests: every operation of booking-server's OpenAPI document (so every route
//! the router has, since both are built from one list), with fuzzed path parameters, the headers
//! `Authorization`, `Idempotency-Key` and `Last-Event-ID`, a query string and a body, sent
//! in-process through the server's whole router on the in-memory store, as nobody, a customer,
//! another customer, door staff, an admin or a forger. Whatever the bytes, the answer is never a
//! 5xx, an error has the one JSON shape with a code and a message, and a refused request leaves
//! the show's log as it was.
//!
//! The input is fields split by the byte `0xFF` (never part of UTF-8 text):
//!
//! | field | empty means | otherwise |
//! |---|---|---|
//! | operation | the first operation | `METHOD /path` as the document names it, or its first byte picks one |
//! | caller | a customer | its first byte picks one of [`CALLERS`] |
//! | one per path parameter | the stage's object (its show, hold, booking...) | the bytes, percent-encoded |
//! | `Idempotency-Key` | a fixed key when a caller signs in | the header's value |
//! | `Last-Event-ID` | no header | the header's value |
//! | `Authorization` | the caller's bearer token | the header's value |
//! | query | no query | the query string (bytes outside a URI's alphabet become `_`) |
//! | body | an empty body | the rest of the input, `0xFF` included |

use booking_server::app::{self, AppState, Parts};
use booking_server::config::Config;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tower::ServiceExt;

/// Who sends the request, by the caller field's first byte.
pub const CALLERS: [&str; 6] = ["nobody", "ann", "bob", "staff", "admin", "forger"];

pub use crate::SEPARATOR;
use crate::split_field;

/// One operation of the document: its method, its path template and the names of its path
/// parameters, in order.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `GET`, `POST`, `PUT`, `DELETE` or `PATCH`.
    pub method: &'static str,
    /// As the document writes it, e.g. `/v1/shows/{id}/holds`.
    pub path: String,
    /// The `{...}` names of the path, in order.
    pub params: Vec<String>,
}

impl Operation {
    /// `METHOD /path`, as the operation field of an input names it.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Every operation of the server's OpenAPI document, sorted by path then method.
pub fn operations() -> &'static [Operation] {
    static OPS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPS.get_or_init(|| {
        let mut ops = Vec::new();
        for (path, item) in &booking_server::routes::openapi().paths.paths {
            let params: Vec<String> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            let methods = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ];
            for (method, op) in methods {
                if op.is_some() {
                    ops.push(Operation { method, path: path.clone(), params: params.clone() });
                }
            }
        }
        ops
    })
}

/// The objects the stage's requests act on, made again when an input used them up.
#[derive(Debug, Clone, Copy)]
struct Ids {
    theatre: u64,
    screen: u64,
    movie: u64,
    show: u64,
    hold: u64,
    booking: u64,
}

/// What every input reuses: one runtime, one server state and its users' tokens.
struct Stage {
    runtime: tokio::runtime::Runtime,
    state: Arc<AppState>,
    router: axum::Router,
    tokens: Mutex<[String; CALLERS.len()]>,
    ids: Mutex<Ids>,
}

const ADMIN_PASSWORD: &str = "fuzz-admin-password";
const PASSWORD: &str = "correct horse battery";

type Request = axum::http::Request<axum::body::Body>;

async fn call(router: &axum::Router, req: Request) -> (u16, Vec<u8>) {
    let res = router.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22).await.map(|b| b.to_vec()).unwrap_or_default();
    (status, body)
}

fn json_request(method: &str, path: &str, token: &str, body: &serde_json::Value) -> Request {
    let mut b =
        axum::http::Request::builder().method(method).uri(path).header("content-type", "application/json");
    if !token.is_empty() {
        // A key of its own for each of the stage's calls: a new sale is never an old one replayed.
        static KEYS: AtomicU64 = AtomicU64::new(0);
        let key = KEYS.fetch_add(1, Ordering::Relaxed);
        b = b
            .header("authorization", format!("Bearer {token}"))
            .header("idempotency-key", format!("stage-{key}"));
    }
    b.body(axum::body::Body::from(body.to_string())).unwrap_or_else(|e| panic!("request {path}: {e}"))
}

/// A call the stage needs to succeed: its answer, or the status and answer it got.
async fn json_call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let (status, bytes) = call(router, json_request(method, path, token, &body)).await;
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if status < 300 { Ok(value) } else { Err(format!("{method} {path}: {status} {value}")) }
}

fn id_of(v: &serde_json::Value) -> u64 {
    v["id"].as_u64().unwrap_or(0)
}

async fn login(router: &axum::Router, email: &str, password: &str) -> String {
    let body = serde_json::json!({ "email": email, "password": password });
    let answer = json_call(router, "POST", "/v1/auth/login", "", body).await;
    let answer = answer.unwrap_or_else(|e| panic!("setting the stage: {e}"));
    answer["access_token"].as_str().unwrap_or_default().to_string()
}

/// The caller's account: email and password, none for the nobody and the forger.
fn account(caller: usize) -> Option<(String, &'static str)> {
    match CALLERS[caller] {
        "admin" => Some(("admin@example.com".into(), ADMIN_PASSWORD)),
        "nobody" | "forger" => None,
        name => Some((format!("{name}@example.com"), PASSWORD)),
    }
}

/// A theatre with a screen of the stage's layout.
async fn venue(router: &axum::Router, admin: &str) -> Result<(u64, u64), String> {
    let theatre = serde_json::json!({ "name": "Rex", "city": "Lisbon", "time_zone": "Europe/Lisbon" });
    let theatre = id_of(&json_call(router, "POST", "/v1/admin/theatres", admin, theatre).await?);
    let screen = serde_json::json!({ "name": "One", "layout_text": "section M category=standard\nrow A: 1-10\nrow B: w1 c2 3-6 (7 8)\n" });
    let screens = format!("/v1/admin/theatres/{theatre}/screens");
    let screen = id_of(&json_call(router, "POST", &screens, admin, screen).await?);
    Ok((theatre, screen))
}

/// A show on the stage's screen two days ahead, with a hold (A1, A2) and a pending booking (A9)
/// of ann's.
async fn show_with_a_sale(router: &axum::Router, admin: &str, ann: &str, screen: u64) -> Result<Ids, String> {
    let starts = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48);
    let show = serde_json::json!({ "screen": screen, "title": "Fuzz", "starts_at": starts.to_string(),
        "ends_at": (starts + jiff::SignedDuration::from_hours(2)).to_string(), "no_orphan": false });
    let show = id_of(&json_call(router, "POST", "/v1/admin/shows", admin, show).await?);
    let mut ids = Ids { theatre: 0, screen, movie: 0, show, hold: 0, booking: 0 };
    sale(router, ann, &mut ids).await?;
    Ok(ids)
}

/// A new hold and pending booking of ann's on the stage's show.
async fn sale(router: &axum::Router, ann: &str, ids: &mut Ids) -> Result<(), String> {
    let holds = format!("/v1/shows/{}/holds", ids.show);
    let hold = json_call(router, "POST", &holds, ann, serde_json::json!({ "seats": ["A1", "A2"] })).await?;
    let booked = json_call(router, "POST", &holds, ann, serde_json::json!({ "seats": ["A9"] })).await?;
    let booking =
        json_call(router, "POST", "/v1/bookings", ann, serde_json::json!({ "hold": id_of(&booked) })).await?;
    ids.hold = id_of(&hold);
    ids.booking = id_of(&booking);
    Ok(())
}

fn stage() -> &'static Stage {
    static STAGE: OnceLock<Stage> = OnceLock::new();
    STAGE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let (state, router, tokens, ids) = runtime.block_on(async {
            let mut config = Config::defaults();
            config.demo_data = Some(false);
            config.admin_password = Some(ADMIN_PASSWORD.into());
            config.rate_limit_per_sec = 0;
            config.login_per_min = 0;
            let (state, _) = app::build(Parts::new(config)).await.unwrap_or_else(|e| panic!("build: {e}"));
            let router = app::router(state.clone());
            let admin = login(&router, "admin@example.com", ADMIN_PASSWORD).await;
            for name in ["ann", "bob"] {
                let register = serde_json::json!({ "email": format!("{name}@example.com"), "password": PASSWORD, "name": name });
                json_call(&router, "POST", "/v1/auth/register", "", register).await.unwrap_or_else(|e| panic!("{e}"));
            }
            let staff = serde_json::json!({ "email": "staff@example.com", "password": PASSWORD, "name": "Door", "role": "staff" });
            json_call(&router, "POST", "/v1/admin/users", &admin, staff).await.unwrap_or_else(|e| panic!("{e}"));
            let mut tokens: [String; CALLERS.len()] = Default::default();
            for (caller, token) in tokens.iter_mut().enumerate() {
                if let Some((email, password)) = account(caller) {
                    *token = login(&router, &email, password).await;
                }
            }
            // A token no server signed, in the shape of one.
            tokens[5] = format!("{}.e30.c2lnbmF0dXJl", tokens[1].split('.').next().unwrap_or(""));
            let setup = async {
                let (theatre, screen) = venue(&router, &admin).await?;
                let movie = serde_json::json!({ "title": "Fuzz", "runtime_minutes": 100 });
                let movie = id_of(&json_call(&router, "POST", "/v1/admin/movies", &admin, movie).await?);
                let ids = show_with_a_sale(&router, &admin, &tokens[1], screen).await?;
                Ok::<_, String>(Ids { theatre, movie, ..ids })
            };
            let ids = setup.await.unwrap_or_else(|e| panic!("setting the stage: {e}"));
            (state, router, tokens, ids)
        });
        Stage { runtime, state, router, tokens: Mutex::new(tokens), ids: Mutex::new(ids) }
    })
}

/// The stage's object a path parameter names by default, from the segment before it.
fn default_param(path: &str, param: &str, ids: &Ids) -> String {
    let before = path.split('{').next().unwrap_or("");
    let segment = before.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    match (segment, param) {
        (_, "name") => "app.js".into(),
        (_, "seat") => "A9".into(),
        ("shows", _) => ids.show.to_string(),
        ("holds", _) => ids.hold.to_string(),
        ("bookings", _) => ids.booking.to_string(),
        ("theatres", _) => ids.theatre.to_string(),
        ("screens", _) => ids.screen.to_string(),
        ("movies", _) => ids.movie.to_string(),
        _ => "1".into(),
    }
}

/// Bytes as one path segment: unreserved bytes as they are, every other byte percent-encoded.
fn path_segment(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether a byte may stand in a URI's query as it is (RFC 3986: unreserved, sub-delims, `:@/?`
/// and `%`, for the escapes the server must decode or refuse).
fn query_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b)
}

/// The fields of an input: `0xFF`-separated, the last one (the body) taking the rest.
fn fields(data: &[u8], count: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(count);
    let mut rest = data;
    while out.len() + 1 < count {
        let Some((field, after)) = split_field(rest) else { break };
        out.push(field);
        rest = after;
    }
    out.push(rest);
    out
}

/// The request an input stands for, with the operation and caller it chose; `None` when the
/// bytes cannot make an HTTP request at all (a header value with a control byte, say).
fn request_of(data: &[u8], ids: &Ids, tokens: &[String]) -> Option<(Operation, usize, Request)> {
    let ops = operations();
    let (op_field, rest) = split_field(data).unwrap_or((data, &[]));
    let op = std::str::from_utf8(op_field)
        .ok()
        .and_then(|name| ops.iter().find(|o| o.name() == name))
        .or_else(|| ops.get(usize::from(op_field.first().copied().unwrap_or(0)) % ops.len()))?
        .clone();
    let f = fields(rest, 1 + op.params.len() + 5);
    let field = |i: usize| f.get(i).copied().unwrap_or(&[]);
    let caller = field(0).first().map_or(1, |b| usize::from(*b) % CALLERS.len());
    let mut path = op.path.clone();
    for (i, param) in op.params.iter().enumerate() {
        let value = match field(1 + i) {
            [] => default_param(&op.path, param, ids),
            bytes => path_segment(bytes),
        };
        path = path.replacen(&format!("{{{param}}}"), &value, 1);
    }
    let at = 1 + op.params.len();
    let (idempotency, last_event, authorization, query, body) =
        (field(at), field(at + 1), field(at + 2), field(at + 3), field(at + 4));
    if !query.is_empty() {
        // Bytes that are not a valid query are a client's mistake too; keep them in the URI's
        // alphabet so the request can be built at all.
        let q: String = query.iter().map(|b| if query_byte(*b) { char::from(*b) } else { '_' }).collect();
        path = format!("{path}?{q}");
    }
    let mut b = axum::http::Request::builder()
        .method(op.method)
        .uri(&path)
        .header("content-type", "application/json");
    let token = &tokens[caller];
    if !authorization.is_empty() {
        b = b.header("authorization", axum::http::HeaderValue::from_bytes(authorization).ok()?);
    } else if !token.is_empty() {
        b = b.header("authorization", format!("Bearer {token}"));
    }
    if !idempotency.is_empty() {
        b = b.header("idempotency-key", axum::http::HeaderValue::from_bytes(idempotency).ok()?);
    } else if !token.is_empty() {
        b = b.header("idempotency-key", "fuzz-key");
    }
    if !last_event.is_empty() {
        b = b.header("last-event-id", axum::http::HeaderValue::from_bytes(last_event).ok()?);
    }
    let req = b.body(axum::body::Body::from(body.to_vec())).ok()?;
    Some((op, caller, req))
}

/// After an input that may have used the stage up: ann's hold and pending booking are placed
/// again (on a new show when the old one can no longer sell), and a caller who signed out signs
/// in again, so that every input meets the same kind of stage.
async fn restore(stage: &Stage, op: &Operation, caller: usize) {
    let Ok(mut tokens) = stage.tokens.lock().map(|t| t.clone()) else { return };
    if op.path.ends_with("/auth/logout") {
        if let Some((email, password)) = account(caller) {
            tokens[caller] = login(&stage.router, &email, password).await;
        }
    }
    let Ok(mut ids) = stage.ids.lock().map(|i| *i) else { return };
    let (ann, admin) = (&tokens[1], &tokens[4]);
    let _ =
        json_call(&stage.router, "DELETE", &format!("/v1/holds/{}", ids.hold), ann, serde_json::Value::Null)
            .await;
    let cancel = format!("/v1/bookings/{}/cancel", ids.booking);
    let _ = json_call(&stage.router, "POST", &cancel, ann, serde_json::json!({})).await;
    if sale(&stage.router, ann, &mut ids).await.is_err() {
        // The show can no longer sell (cancelled, or its seats taken): a new one; and when the
        // input changed the screen or removed the theatre, a new venue for it.
        let fresh = match show_with_a_sale(&stage.router, admin, ann, ids.screen).await {
            Ok(fresh) => Ok(Ids { theatre: ids.theatre, ..fresh }),
            Err(_) => match venue(&stage.router, admin).await {
                Ok((theatre, screen)) => {
                    show_with_a_sale(&stage.router, admin, ann, screen).await.map(|f| Ids { theatre, ..f })
                }
                Err(e) => Err(e),
            },
        };
        ids = fresh
            .map(|f| Ids { movie: ids.movie, ..f })
            .unwrap_or_else(|e| panic!("the stage cannot be set again: {e}"));
    }
    if let Ok(mut t) = stage.tokens.lock() {
        *t = tokens;
    }
    if let Ok(mut i) = stage.ids.lock() {
        *i = ids;
    }
}

/// The target.
pub fn http_requests(data: &[u8]) {
    let stage = stage();
    let ids = stage.ids.lock().map(|i| *i).unwrap_or_else(|e| *e.into_inner());
    let tokens = stage.tokens.lock().map(|t| t.clone()).unwrap_or_else(|e| e.into_inner().clone());
    // libFuzzer aborts on any panic, so a request the builder refuses is left out, not caught.
    let Some((op, caller, req)) = request_of(data, &ids, &tokens) else { return };
    let what = format!("{} {}", req.method(), req.uri());
    let engine = &stage.state.engine;
    stage.runtime.block_on(async {
        let show = booking_core::ShowId(ids.show);
        let before = engine.events_since(show, 0, 10_000).await.map(|e| e.len());
        if op.method == "GET" && op.path.ends_with("/events") {
            // A live stream never ends by itself: only its opening is checked.
            let res = stage.router.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
            assert!(res.status().as_u16() < 500, "{what}: {}", res.status());
            return;
        }
        let (status, answer) = call(&stage.router, req).await;
        assert!(status < 500, "{what} answered {status}: {}", String::from_utf8_lossy(&answer));
        if status >= 400 {
            let error: serde_json::Value = serde_json::from_slice(&answer)
                .unwrap_or_else(|e| panic!("{what}: {status} without a JSON error ({e})"));
            assert!(error["code"].as_str().is_some_and(|c| !c.is_empty()), "{what}: {error}");
            assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {error}");
            let after = engine.events_since(show, 0, 10_000).await.map(|e| e.len());
            assert_eq!(before.ok(), after.ok(), "{what} was refused ({status}) but changed the show's log");
        }
        if op.method != "GET" && (status < 400 || op.path.ends_with("/auth/logout")) {
            restore(stage, &op, caller).await;
        }
    });
}

/// A seed input for `op`: its name, the caller, default path parameters and headers, and `body`.
pub fn seed(op: &Operation, caller: u8, body: &[u8]) -> Vec<u8> {
    let mut out = op.name().into_bytes();
    out.push(SEPARATOR);
    out.push(caller);
    // Empty fields up to the body: each path parameter and the four headers-or-query fields.
    out.extend(std::iter::repeat_n(SEPARATOR, op.params.len() + 5));
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_of_the_document_is_an_operation() {
        let ops = operations();
        assert!(ops.len() >= 51, "{} operations", ops.len());
        for name in ["POST /v1/shows/{id}/holds", "GET /v1/shows/{id}/events", "DELETE /v1/holds/{id}"] {
            assert!(ops.iter().any(|o| o.name() == name), "{name} missing");
        }
        let qr = ops.iter().find(|o| o.path.ends_with("qr.png")).map(|o| o.params.clone());
        assert_eq!(qr, Some(vec!["id".to_string(), "seat".to_string()]));
    }

    #[test]
    fn an_input_names_its_fields() {
        let ids = Ids { theatre: 1, screen: 2, movie: 3, show: 4, hold: 5, booking: 6 };
        let tokens: Vec<String> = CALLERS.iter().map(|c| format!("t-{c}")).collect();
        let op = operations().iter().find(|o| o.name() == "POST /v1/shows/{id}/holds").cloned();
        let op = op.unwrap_or_else(|| panic!("no holds route"));
        let seeded = seed(&op, 2, b"{\"seats\":[\"A1\"]}");
        let Some((_, caller, req)) = request_of(&seeded, &ids, &tokens) else { panic!("no request") };
        assert_eq!((caller, req.uri().to_string()), (2, "/v1/shows/4/holds".to_string()));
        assert_eq!(req.headers()["authorization"], "Bearer t-bob");
        let raw = b"POST /v1/shows/{id}/holds\xff\x04\xff7 x\xffkey-1\xff42\xffBasic Zm9v\xffa=b c\xff{\xff}"
            .to_vec();
        let Some((_, caller, req)) = request_of(&raw, &ids, &tokens) else { panic!("no request") };
        assert_eq!((caller, req.uri().to_string()), (4, "/v1/shows/7%20x/holds?a=b_c".to_string()));
        let h = req.headers();
        let value = |name: &str| h[name].to_str().unwrap_or_default().to_string();
        assert_eq!(
            [value("idempotency-key"), value("last-event-id"), value("authorization")],
            ["key-1", "42", "Basic Zm9v"]
        );
        assert!(request_of(b"GET /healthz", &ids, &tokens).is_some());
        assert!(
            request_of(b"GET /healthz\xff\x01\xff\x01bad", &ids, &tokens).is_none(),
            "a control byte in a header"
        );
    }
}
