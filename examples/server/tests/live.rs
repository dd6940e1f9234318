//! Live seat updates over Server-Sent Events, and races through HTTP.

mod common;

use common::*;
use serde_json::json;

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
        (m.data["seats"].clone(), m.data["seat_status"].clone()),
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
    assert_eq!((m.event.as_str(), m.data["seats"].clone()), ("hold_expired", json!(["B1"])));
    t.server.shutdown().await;
}

#[tokio::test]
async fn many_clients_on_the_same_seats_through_http_win_each_seat_once() {
    let t = TestServer::start().await;
    let show = t.show().await;
    race(&[&t], show, 24).await;
    t.server.shutdown().await;
}

/// Without `Accept: text/event-stream` the log reads as a page of JSON: the same public events
/// as the stream, who holds and who paid left out.
#[tokio::test]
async fn the_log_reads_as_json_too_and_never_says_who_paid() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let paid = t.buy(&ann, show, &["A1", "A2"]).await;
    let page = t.get(&format!("/v1/shows/{show}/events"), None).await.expect(200);
    let kinds: Vec<&str> = page.as_array().into_iter().flatten().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["show_scheduled", "hold_placed", "booking_created", "booking_confirmed"]);
    let confirmed = &page[3];
    assert_eq!(confirmed["booking"], paid["booking"]["id"]);
    assert_eq!(confirmed["total"], paid["booking"]["total"]);
    assert!(confirmed["payment_ref"].is_null() && page[1]["owner"].is_null(), "{page}");
    assert_eq!(
        (page[1]["seats"].clone(), page[1]["seat_status"].clone()),
        (json!(["A1", "A2"]), json!("held"))
    );
    let after = t.get(&format!("/v1/shows/{show}/events?after=3"), None).await.expect(200);
    assert_eq!(after.as_array().map(Vec::len), Some(1));
    t.server.shutdown().await;
}
