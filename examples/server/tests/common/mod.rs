//! A real server on a free port, driven over HTTP, with a clock the test moves.

#![allow(dead_code)]

use booking_core::{ManualClock, Timestamp};
use booking_server::app::{self, Parts, RunningServer};
use booking_server::config::{Config, Mode};
use booking_server::notify::Notifiers;
use booking_server::payments::{Charge, ChargeRequest, PaymentError, PaymentGateway, SimulatedGateway};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// Tokens of every test server are signed with this secret (hex of 32 bytes).
pub const JWT_SECRET_HEX: &str = "4a5b6c7d8e9f00112233445566778899aabbccddeeff00112233445566778899";
pub const TICKET_KEY_HEX: &str = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

/// The configuration of test servers: no demo data, no rate limits, fast workers.
pub fn test_config() -> Config {
    let mut c = Config::defaults();
    c.database_url = None;
    c.redis_url = None;
    // Demo mode (the simulated gateway) on every store; production mode has tests of its own.
    c.mode = Some(Mode::Demo);
    c.demo_data = Some(false);
    c.admin_email = ADMIN_EMAIL.into();
    c.admin_password = Some(ADMIN_PASSWORD.into());
    c.jwt_secret = Some(JWT_SECRET_HEX.into());
    c.ticket_key = Some(TICKET_KEY_HEX.into());
    c.rate_limit_per_sec = 0;
    c.login_per_min = 0;
    c.sweep_ms = 50;
    c.notify_ms = 50;
    c.sse_poll_ms = 100;
    c.gateway_timeout_ms = 300;
    c.holds_per_owner = 10;
    c
}

/// Now by the system clock, rounded to the second.
pub fn wall_now() -> Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    Timestamp(i64::try_from(ms / 1_000 * 1_000).unwrap_or(0))
}

pub struct TestServer {
    pub server: RunningServer,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    pub base: String,
    pub admin: String,
}

/// A JSON answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Panics unless the status is `want`.
    #[track_caller]
    pub fn expect(self, want: u16) -> Value {
        assert_eq!(self.status.as_u16(), want, "body: {}", self.body);
        self.body
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(test_config()).await
    }

    pub async fn start_with(config: Config) -> TestServer {
        TestServer::start_with_clock(config, ManualClock::new(wall_now())).await
    }

    pub async fn start_with_clock(config: Config, clock: ManualClock) -> TestServer {
        TestServer::start_with_gateway(config, clock, None).await
    }

    pub async fn start_with_gateway(
        config: Config,
        clock: ManualClock,
        payments: Option<Arc<dyn PaymentGateway>>,
    ) -> TestServer {
        TestServer::start_with_parts(config, clock, payments, None).await
    }

    pub async fn start_with_notifiers(config: Config, notifiers: Notifiers) -> TestServer {
        TestServer::start_with_parts(config, ManualClock::new(wall_now()), None, Some(notifiers)).await
    }

    async fn start_with_parts(
        config: Config,
        clock: ManualClock,
        payments: Option<Arc<dyn PaymentGateway>>,
        notifiers: Option<Notifiers>,
    ) -> TestServer {
        let parts = Parts { config, clock: Arc::new(clock.clone()), payments, notifiers };
        let (state, _) = app::build(parts).await.unwrap_or_else(|e| panic!("build: {e}"));
        let listener =
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind: {e}"));
        let server = app::start(state, listener).unwrap_or_else(|e| panic!("start: {e}"));
        let base = server.url();
        let http = reqwest::Client::new();
        let mut t = TestServer { server, clock, http, base, admin: String::new() };
        t.admin = t.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        t
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn answer(res: reqwest::Response) -> Answer {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer { status, headers, body }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder, token: Option<&str>) -> Answer {
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        TestServer::answer(req.send().await.unwrap_or_else(|e| panic!("request: {e}"))).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(self.http.get(self.url(path)), token).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(self.http.post(self.url(path)).json(&body), token).await
    }

    pub async fn post_key(&self, path: &str, token: &str, key: &str, body: Value) -> Answer {
        self.send(self.http.post(self.url(path)).header("Idempotency-Key", key).json(&body), Some(token))
            .await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(self.http.put(self.url(path)).json(&body), token).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(self.http.delete(self.url(path)), token).await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = self
            .post("/v1/auth/login", None, json!({ "email": email, "password": password }))
            .await
            .expect(200);
        body["access_token"].as_str().unwrap_or_default().to_string()
    }

    /// Registers a customer and logs in; returns (token, user id).
    pub async fn customer(&self, name: &str) -> (String, u64) {
        let email = format!("{name}@example.com");
        let body = json!({ "email": email, "password": "correct horse battery", "name": name });
        let user = self.post("/v1/auth/register", None, body).await.expect(201);
        (self.login(&email, "correct horse battery").await, user["id"].as_u64().unwrap_or(0))
    }

    /// A theatre, a screen of `layout`, a movie and a show starting in two days; returns the
    /// show id.
    pub async fn show_with(&self, layout: &str) -> u64 {
        let admin = Some(self.admin.as_str());
        let t = self
            .post(
                "/v1/admin/theatres",
                admin,
                json!({ "name": "Rex", "city": "Lisbon", "time_zone": "Europe/Lisbon" }),
            )
            .await
            .expect(201);
        let screen = self
            .post(
                &format!("/v1/admin/theatres/{}/screens", t["id"]),
                admin,
                json!({ "name": "One", "layout_text": layout }),
            )
            .await
            .expect(201);
        let movie = self
            .post(
                "/v1/admin/movies",
                admin,
                json!({ "title": "Metropolis", "runtime_minutes": 153, "rating": "M/12" }),
            )
            .await
            .expect(201);
        let starts = self.clock_now().plus_millis(2 * 86_400_000);
        let starts = starts.to_jiff().map(|t| t.to_string()).unwrap_or_default();
        let show = self
            .post(
                "/v1/admin/shows",
                admin,
                json!({ "screen": screen["id"], "movie": movie["id"], "starts_at": starts }),
            )
            .await
            .expect(201);
        show["id"].as_u64().unwrap_or(0)
    }

    /// A show on a two-row screen of ten seats each, without the no-orphan rule's surprises
    /// for tests that pick seats freely.
    pub async fn show(&self) -> u64 {
        self.show_with("section Main category=standard\nrow A: 1-10\nrow B: 1-10\n").await
    }

    pub fn clock_now(&self) -> Timestamp {
        use booking_core::Clock;
        self.clock.now()
    }

    /// The status of every seat of a show, by label.
    pub async fn statuses(&self, show: u64) -> std::collections::BTreeMap<String, String> {
        let map = self.get(&format!("/v1/shows/{show}/seats"), None).await.expect(200);
        map["seats"]
            .as_array()
            .map(|seats| {
                seats
                    .iter()
                    .map(|s| {
                        (
                            s["label"].as_str().unwrap_or("").to_string(),
                            s["status"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Holds `seats` for `token`.
    pub async fn hold(&self, token: &str, show: u64, seats: &[&str]) -> Answer {
        self.post(&format!("/v1/shows/{show}/holds"), Some(token), json!({ "seats": seats })).await
    }

    /// Holds, books and pays `seats`; returns the pay answer's body.
    pub async fn buy(&self, token: &str, show: u64, seats: &[&str]) -> Value {
        let hold = self.hold(token, show, seats).await.expect(201);
        let key = format!("create-{}", hold["id"]);
        let booking =
            self.post_key("/v1/bookings", token, &key, json!({ "hold": hold["id"] })).await.expect(201);
        self.post(
            &format!("/v1/bookings/{}/pay", booking["id"]),
            Some(token),
            json!({ "payment_token": "tok_visa" }),
        )
        .await
        .expect(200)
    }
}

/// The simulated gateway, slowed down so that payments overlap, recording the refunds asked of it.
pub struct RecordingGateway {
    inner: SimulatedGateway,
    pub charge_delay: Duration,
    pub refunds: std::sync::Mutex<Vec<String>>,
}

impl RecordingGateway {
    pub fn new(charge_delay: Duration) -> RecordingGateway {
        RecordingGateway {
            inner: SimulatedGateway::new(b"recording"),
            charge_delay,
            refunds: Default::default(),
        }
    }

    pub fn refunds(&self) -> Vec<String> {
        self.refunds.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl PaymentGateway for RecordingGateway {
    async fn charge(&self, req: &ChargeRequest) -> Result<Charge, PaymentError> {
        tokio::time::sleep(self.charge_delay).await;
        self.inner.charge(req).await
    }

    async fn refund(&self, charge_id: &str, amount: booking_core::Money) -> Result<(), PaymentError> {
        if let Ok(mut r) = self.refunds.lock() {
            r.push(charge_id.to_string());
        }
        self.inner.refund(charge_id, amount).await
    }
}

/// Reads a Server-Sent Events stream.
pub struct Sse {
    res: reqwest::Response,
    buf: String,
}

/// One event: id, name, data.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: u64,
    pub event: String,
    pub data: Value,
}

impl Sse {
    pub async fn open(t: &TestServer, show: u64, last_id: Option<u64>) -> Sse {
        // What EventSource sends: any other Accept gets a page of the log as JSON.
        let mut req =
            t.http.get(t.url(&format!("/v1/shows/{show}/events"))).header("Accept", "text/event-stream");
        if let Some(id) = last_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("open stream: {e}"));
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap_or("").starts_with("text/event-stream"));
        Sse { res, buf: String::new() }
    }

    /// The next event (keep-alive comments skipped), within 5 s.
    pub async fn next(&mut self) -> Message {
        tokio::time::timeout(Duration::from_secs(5), self.read())
            .await
            .unwrap_or_else(|_| panic!("no event within 5 s"))
    }

    async fn read(&mut self) -> Message {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut m = Message { id: 0, event: String::new(), data: Value::Null };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        m.id = v.trim().parse().unwrap_or(0);
                    } else if let Some(v) = line.strip_prefix("event:") {
                        m.event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        m.data = serde_json::from_str(v.trim()).unwrap_or(Value::Null);
                    }
                }
                if !m.event.is_empty() {
                    return m;
                }
                continue;
            }
            let chunk = self.res.chunk().await.unwrap_or_else(|e| panic!("stream: {e}"));
            let chunk = chunk.unwrap_or_else(|| panic!("stream ended"));
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// Many customers on the same seats at once: every seat is won once, and the seat map agrees.
pub async fn race(servers: &[&TestServer], show: u64, customers: usize) {
    let seats = ["A1", "A2", "A3", "A4", "A5", "A6"];
    let mut tokens = Vec::new();
    for i in 0..customers {
        let t = servers[i % servers.len()];
        tokens.push((i % servers.len(), t.customer(&format!("racer{i}")).await.0));
    }
    let mut tasks = Vec::new();
    for (i, (s, token)) in tokens.into_iter().enumerate() {
        let (http, url) = (servers[s].http.clone(), servers[s].url(&format!("/v1/shows/{show}/holds")));
        // Overlapping pairs: A1+A2, A2+A3, ... so holds collide in every way.
        let pair = [seats[i % 5], seats[i % 5 + 1]];
        tasks.push(tokio::spawn(async move {
            let res = http.post(url).bearer_auth(&token).json(&json!({ "seats": pair })).send().await;
            let res = res.unwrap_or_else(|e| panic!("{e}"));
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (status, body)
        }));
    }
    let mut won: Vec<String> = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap_or_else(|e| panic!("{e}"));
        match status {
            201 => won.extend(
                body["seats"].as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)),
            ),
            409 => assert_eq!(body["code"], "SEAT_UNAVAILABLE", "{body}"),
            // The no-orphan rule may refuse a pair that would strand a seat between holds.
            422 => assert_eq!(body["code"], "SELECTION_RULE", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let mut unique = won.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), won.len(), "a seat was held twice: {won:?}");
    assert!(!won.is_empty());
    let statuses = servers[0].statuses(show).await;
    for seat in seats {
        let held = statuses.get(seat).map(String::as_str) == Some("held");
        assert_eq!(held, won.iter().any(|w| w == seat), "{seat}: map {statuses:?}, won {won:?}");
    }
}

/// The test database (`BOOKING_TEST_DATABASE_URL`; `./scripts/services` starts one when none runs).
pub fn database_url() -> String {
    std::env::var("BOOKING_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("BOOKING_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A fresh schema in the test database.
pub async fn fresh_schema() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let schema = format!("bc_server_{}_{n}_{nanos}", std::process::id());
    let url = database_url();
    let pool = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| {
        panic!("cannot reach the test database at {url} (BOOKING_TEST_DATABASE_URL): {e}")
    });
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.unwrap_or_else(|e| panic!("{e}"));
    pool.close().await;
    schema
}

/// The test configuration on PostgreSQL (in `schema`) with holds on Redis.
pub fn pg_config(schema: &str) -> booking_server::config::Config {
    let mut c = test_config();
    c.database_url = Some(database_url());
    c.database_schema = Some(schema.to_string());
    c.database_connections = 8;
    c.redis_url = Some(redis_url());
    c
}
