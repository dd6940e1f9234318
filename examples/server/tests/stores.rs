//! The service on PostgreSQL with holds on Redis, and two instances sharing them.
//!
//! The database comes from `BOOKING_TEST_DATABASE_URL`, Redis from `BOOKING_TEST_REDIS_URL`
//! (`./scripts/services` starts throwaway servers when none is running); every test gets a
//! schema of its own. A test that cannot reach them fails: it is never skipped.

mod common;

use booking_core::ManualClock;
use common::*;
use serde_json::json;

#[tokio::test]
async fn the_whole_flow_runs_on_postgres_and_redis() {
    let t = TestServer::start_with(pg_config(&fresh_schema().await)).await;
    assert_eq!(t.get("/readyz", None).await.expect(200)["store"], "postgres+redis");
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let mut live = Sse::open(&t, show, None).await;
    let paid = t.buy(&ann, show, &["A3", "A4"]).await;
    assert_eq!(live.next().await.event, "hold_placed");
    assert_eq!(live.next().await.event, "booking_created");
    assert_eq!(live.next().await.event, "booking_confirmed");
    assert_eq!(t.statuses(show).await["A4"], "booked");
    let code = paid["tickets"][0]["code"].as_str().unwrap_or_default();
    t.post("/v1/check-in", Some(&t.admin), json!({ "code": code })).await.expect(200);
    assert_eq!(
        t.post("/v1/check-in", Some(&t.admin), json!({ "code": code })).await.code(),
        "ALREADY_CHECKED_IN"
    );
    // Someone else's hold on a sold seat is refused; a failed call changes nothing.
    let (bob, _) = t.customer("bob").await;
    assert_eq!(t.hold(&bob, show, &["A4", "A5"]).await.code(), "SEAT_UNAVAILABLE");
    assert_eq!(t.statuses(show).await["A5"], "available");
    let revenue = t.get("/v1/admin/analytics/revenue", Some(&t.admin)).await.expect(200);
    assert_eq!(revenue[0]["net_minor"], paid["booking"]["total"]["minor"]);
    // Notifications are recorded in the database once.
    for _ in 0..100 {
        let list = t.get("/v1/me/notifications", Some(&ann)).await.expect(200);
        if list.as_array().is_some_and(|l| l.len() == 2) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let list = t.get("/v1/me/notifications", Some(&ann)).await.expect(200);
    assert_eq!(list.as_array().map(|l| l.len()), Some(2), "{list}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn two_instances_share_the_database_and_redis() {
    let schema = fresh_schema().await;
    let a = TestServer::start_with(pg_config(&schema)).await;
    let b = TestServer::start_with(pg_config(&schema)).await;
    let show = a.show().await;
    // The catalogue, accounts and tokens are shared.
    assert_eq!(b.get(&format!("/v1/shows/{show}"), None).await.expect(200)["title"], "Metropolis");
    let (ann, _) = a.customer("ann").await;
    assert_eq!(b.get("/v1/me", Some(&ann)).await.expect(200)["name"], "ann");

    // A hold placed on one instance reaches the other's live stream.
    let mut on_b = Sse::open(&b, show, None).await;
    a.hold(&ann, show, &["B9", "B10"]).await.expect(201);
    let m = on_b.next().await;
    assert_eq!((m.event.as_str(), m.data["seats"].clone()), ("hold_placed", json!(["B9", "B10"])));

    // A race across both instances: each seat is won once.
    race(&[&a, &b], show, 16).await;
    a.server.shutdown().await;
    b.server.shutdown().await;
}

/// The instance that created a booking charges its payment without reading it back: a booking
/// cancelled on another instance meanwhile is still refused, and the charge is voided.
#[tokio::test]
async fn a_booking_cancelled_on_another_instance_is_not_paid_and_its_charge_is_voided() {
    let schema = fresh_schema().await;
    let gateway = std::sync::Arc::new(RecordingGateway::new(std::time::Duration::ZERO));
    let a = TestServer::start_with_gateway(
        pg_config(&schema),
        ManualClock::new(wall_now()),
        Some(gateway.clone()),
    )
    .await;
    let b = TestServer::start_with(pg_config(&schema)).await;
    let show = a.show().await;
    let (ann, _) = a.customer("ann").await;
    let hold = a.hold(&ann, show, &["B3", "B4"]).await.expect(201);
    let booking =
        a.post_key("/v1/bookings", &ann, "create-c", json!({ "hold": hold["id"] })).await.expect(201);
    let id = booking["id"].as_u64().unwrap_or_default();
    b.post(&format!("/v1/bookings/{id}/cancel"), Some(&ann), json!({})).await.expect(200);
    let pay = json!({ "payment_token": "tok_visa" });
    let paid = a.post(&format!("/v1/bookings/{id}/pay"), Some(&ann), pay.clone()).await;
    assert_eq!((paid.status.as_u16(), paid.code()), (409, "INVALID_TRANSITION"), "{}", paid.body);
    assert_eq!(gateway.refunds().len(), 1, "the charge of a refused payment is voided");
    assert_eq!(a.get(&format!("/v1/bookings/{id}"), Some(&ann)).await.expect(200)["status"], "cancelled");
    assert_eq!(a.statuses(show).await["B3"], "available");
    // A second attempt reads the booking: refused before any charge.
    let again = a.post(&format!("/v1/bookings/{id}/pay"), Some(&ann), pay).await;
    assert_eq!(again.code(), "INVALID_TRANSITION");
    assert_eq!(gateway.refunds().len(), 1);
    a.server.shutdown().await;
    b.server.shutdown().await;
}

#[tokio::test]
async fn a_second_start_on_the_same_database_keeps_its_data_and_admin() {
    let schema = fresh_schema().await;
    let mut c = pg_config(&schema);
    c.redis_url = None;
    c.demo_data = Some(true);
    let first = TestServer::start_with(c.clone()).await;
    let shows = first.get("/v1/shows", None).await.expect(200).as_array().map_or(0, Vec::len);
    assert!(shows > 10, "demo data: {shows} shows");
    first.server.shutdown().await;
    let second = TestServer::start_with(c).await;
    assert_eq!(second.get("/v1/shows", None).await.expect(200).as_array().map_or(0, Vec::len), shows);
    assert_eq!(second.get("/v1/theatres", None).await.expect(200).as_array().map_or(0, Vec::len), 3);
    assert_eq!(second.get("/readyz", None).await.expect(200)["store"], "postgres");
    second.server.shutdown().await;
}

/// The worker's cursors move in one write for many shows, never back, the furthest of a show's
/// places winning, on PostgreSQL as in memory.
#[tokio::test]
async fn cursors_of_many_shows_move_forward_in_one_write() {
    use booking_core::ShowId;
    use booking_server::directory::Directory;
    use std::str::FromStr;
    let schema = fresh_schema().await;
    let options = sqlx::postgres::PgConnectOptions::from_str(&database_url())
        .unwrap_or_else(|e| panic!("{e}"))
        .options([("search_path", schema.as_str())]);
    let pool = sqlx::PgPool::connect_with(options).await.unwrap_or_else(|e| panic!("{e}"));
    let pg = booking_server::directory_pg::PgDirectory::open(pool).await.unwrap_or_else(|e| panic!("{e}"));
    let memory = booking_server::directory_memory::MemoryDirectory::new();
    let directories: [&dyn Directory; 2] = [&pg, &memory];
    for d in directories {
        let moves = [(ShowId(1), 5), (ShowId(2), 9), (ShowId(1), 7), (ShowId(1), 6)];
        d.advance_cursors(&moves).await.unwrap_or_else(|e| panic!("{e}"));
        d.advance_cursors(&[(ShowId(2), 3), (ShowId(3), 1)]).await.unwrap_or_else(|e| panic!("{e}"));
        d.advance_cursors(&[]).await.unwrap_or_else(|e| panic!("{e}"));
        let mut at = Vec::new();
        for show in 1..=4 {
            at.push(d.cursor(ShowId(show)).await.unwrap_or_else(|e| panic!("{e}")));
        }
        assert_eq!(at, [7, 9, 1, 0]);
    }
}
