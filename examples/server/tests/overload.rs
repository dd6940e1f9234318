//! Back-pressure: past its concurrency and a queue as long, the server refuses at once with 503
//! instead of queueing without bound, and serves again as soon as the load passes.

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn requests_beyond_the_running_and_the_queued_are_refused_at_once() {
    let mut config = test_config();
    config.concurrency = 2;
    // A payment with `tok_timeout` holds its slot until the gateway timeout.
    config.gateway_timeout_ms = 1_500;
    let t = TestServer::start_with(config).await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let hold = t.hold(&ann, show, &["A1", "A2"]).await.expect(201);
    let booking = t.post_key("/v1/bookings", &ann, "k1", json!({ "hold": hold["id"] })).await.expect(201);
    let pay = t.url(&format!("/v1/bookings/{}/pay", booking["id"]));

    let started = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let req = t.http.post(&pay).bearer_auth(&ann).json(&json!({ "payment_token": "tok_timeout" }));
            tokio::spawn(async move {
                let res = req.send().await.unwrap_or_else(|e| panic!("{e}"));
                let status = res.status().as_u16();
                let retry_after = res.headers().get("retry-after").is_some();
                let body: serde_json::Value = res.json().await.unwrap_or_default();
                (status, body["code"].as_str().unwrap_or("").to_string(), retry_after, started.elapsed())
            })
        })
        .collect();
    let (mut timed_out, mut refused) = (0, 0);
    for task in tasks {
        let (status, code, retry_after, took) = task.await.unwrap_or_else(|e| panic!("{e}"));
        match (status, code.as_str()) {
            (504, "PAYMENT_TIMEOUT") => timed_out += 1,
            (503, "OVERLOADED") => {
                refused += 1;
                assert!(retry_after, "a refusal says when to retry");
                assert!(took < Duration::from_millis(1_000), "refused at once, not after waiting: {took:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((timed_out, refused), (4, 4), "2 ran, 2 waited their turn, 4 were refused");
    assert_eq!(t.server.state.admission.admitted(), 0, "every place was given back");

    // The load has passed: the server serves, and what failed changed nothing.
    let again = t.get(&format!("/v1/bookings/{}", booking["id"]), Some(&ann)).await.expect(200);
    assert_eq!(again["status"], "pending");
    let metrics = t.get("/metrics", None).await;
    let text = metrics.body.as_str().unwrap_or_default().to_string();
    assert!(text.lines().any(|l| l == "booking_overloaded_total 4"), "{text}");
    t.server.shutdown().await;
}
