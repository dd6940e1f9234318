//! Production mode and trusted proxies: a server on a database refuses to start without the
//! keys that must outlive it, never loads demo data or takes money through the simulated
//! gateway, and keys its rate limits on the client address that only trusted proxies forward.

mod common;

use booking_server::config::Mode;
use common::{TestServer, test_config};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn on_a_database_the_binary_refuses_to_start_without_its_keys_naming_the_flags() {
    // Nothing listens on port 1: the refusal must come before any connection is tried.
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_booking-server"))
        .args(["--listen", "127.0.0.1:0", "--database-url", "postgres://postgres@127.0.0.1:1/none"])
        .env_remove("BOOKING_TICKET_KEY")
        .env_remove("BOOKING_JWT_SECRET")
        .env_remove("BOOKING_MODE")
        .output()
        .unwrap_or_else(|e| panic!("start: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it started: {stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
    for flag in ["--ticket-key", "--jwt-secret", "--mode demo"] {
        assert!(stderr.contains(flag), "{flag} not named in: {stderr}");
    }
    let demo = Command::new(env!("CARGO_BIN_EXE_booking-server"))
        .args(["--listen", "127.0.0.1:0", "--mode", "production", "--demo-data", "true"])
        .args(["--ticket-key", common::TICKET_KEY_HEX, "--jwt-secret", common::JWT_SECRET_HEX])
        .output()
        .unwrap_or_else(|e| panic!("start: {e}"));
    assert!(!demo.status.success());
    assert!(String::from_utf8_lossy(&demo.stderr).contains("--demo-data true needs --mode demo"));
}

#[tokio::test]
async fn production_loads_no_demo_data_and_takes_no_money_without_a_gateway() {
    let mut config = test_config();
    config.mode = Some(Mode::Production);
    config.demo_data = None;
    let t = TestServer::start_with(config).await;
    assert_eq!(t.get("/v1/theatres", None).await.expect(200).as_array().map(Vec::len), Some(0));
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let hold = t.hold(&ann, show, &["A1"]).await.expect(201);
    let booking = t.post_key("/v1/bookings", &ann, "b-1", json!({ "hold": hold["id"] })).await.expect(201);
    let pay = t
        .post(
            &format!("/v1/bookings/{}/pay", booking["id"]),
            Some(&ann),
            json!({ "payment_token": "tok_visa" }),
        )
        .await;
    assert_eq!(pay.code(), "PAYMENT_FAILED", "{}", pay.body);
    assert!(
        pay.body["details"]["reason"].as_str().is_some_and(|r| r.contains("--mode demo")),
        "{}",
        pay.body
    );
    // Refused, it changed nothing: the booking still waits for a payment.
    let read = t.get(&format!("/v1/bookings/{}", booking["id"]), Some(&ann)).await.expect(200);
    assert_eq!(read["status"], "pending");
    t.server.shutdown().await;
}

/// Statuses of `n` reads of the theatres, each forwarded for `client`.
async fn reads_for(t: &TestServer, client: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        let req = t.http.get(t.url("/v1/theatres")).header("x-forwarded-for", client);
        statuses.push(t.send(req, None).await.status.as_u16());
    }
    statuses
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let mut config = test_config();
    config.rate_limit_per_sec = 1;
    config.rate_limit_burst = 2;
    config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap_or_else(|e| panic!("{e}"))];
    let t = TestServer::start_with(config).await;
    assert_eq!(reads_for(&t, "203.0.113.5", 3).await, [200, 200, 429]);
    // Another client behind the same proxy is not slowed down by the first.
    assert_eq!(reads_for(&t, "198.51.100.7", 2).await, [200, 200]);
    // A client's own forged entry is left of the proxy's, and the proxy's is believed.
    assert_eq!(reads_for(&t, "198.51.100.99, 203.0.113.5", 1).await, [429]);
    t.server.shutdown().await;
}

#[tokio::test]
async fn without_trusted_proxies_the_header_is_ignored() {
    let mut config = test_config();
    config.rate_limit_per_sec = 1;
    config.rate_limit_burst = 2;
    let t = TestServer::start_with(config).await;
    // Starting logged the admin in once from this address: one request of the burst is gone,
    // and a new forged address each time does not buy another.
    let statuses = [reads_for(&t, "203.0.113.5", 1).await, reads_for(&t, "198.51.100.7", 2).await].concat();
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2, "{statuses:?}");
    t.server.shutdown().await;
}
