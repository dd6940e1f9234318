//! Live seat updates over Server-Sent Events, and races through HTTP.

mod common;

use common::*;
use serde_json::{Value, json};
use std::time::Duration;

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
        let mut req = t.http.get(t.url(&format!("/v1/shows/{show}/events")));
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

#[tokio::test]
async fn seat_changes_stream_live_and_a_stream_resumes_after_its_last_event() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let map = t.get(&format!("/v1/shows/{show}/seats"), None).await.expect(200);
    let head = map["seq"].as_u64().unwrap_or(0);
    assert!(head >= 1, "the log holds show_scheduled");

    let mut live = Sse::open(&t, show, None).await;
    let hold = t.hold(&ann, show, &["A3", "A4"]).await.expect(201);
    let m = live.next().await;
    assert_eq!(m.event, "hold_placed");
    assert_eq!(m.id, head + 1);
    assert_eq!(
        (m.data["labels"].clone(), m.data["seat_status"].clone()),
        (json!(["A3", "A4"]), json!("held"))
    );
    t.delete(&format!("/v1/holds/{}", hold["id"]), Some(&ann)).await.expect(200);
    let m = live.next().await;
    assert_eq!((m.event.as_str(), m.data["seat_status"].as_str()), ("hold_released", Some("available")));

    // A new stream from the seat map's seq sees both, in order, with nothing before them.
    let mut resumed = Sse::open(&t, show, Some(head)).await;
    let (a, b) = (resumed.next().await, resumed.next().await);
    assert_eq!(
        (a.id, a.event.as_str(), b.id, b.event.as_str()),
        (head + 1, "hold_placed", head + 2, "hold_released")
    );
    let bad = t
        .send(t.http.get(t.url(&format!("/v1/shows/{show}/events"))).header("Last-Event-ID", "x"), None)
        .await;
    assert_eq!(bad.code(), "INVALID_INPUT");
    t.server.shutdown().await;
}

#[tokio::test]
async fn expiry_found_by_the_sweeper_reaches_the_stream() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let mut live = Sse::open(&t, show, None).await;
    t.hold(&ann, show, &["B1"]).await.expect(201);
    assert_eq!(live.next().await.event, "hold_placed");
    t.clock.advance_millis(11 * 60_000);
    let m = live.next().await;
    assert_eq!((m.event.as_str(), m.data["labels"].clone()), ("hold_expired", json!(["B1"])));
    t.server.shutdown().await;
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

#[tokio::test]
async fn many_clients_on_the_same_seats_through_http_win_each_seat_once() {
    let t = TestServer::start().await;
    let show = t.show().await;
    race(&[&t], show, 24).await;
    t.server.shutdown().await;
}
