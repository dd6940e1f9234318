//! The booking flow end to end over HTTP on the in-memory store.

mod common;

use common::*;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn a_customer_browses_holds_books_pays_and_gets_in_once() {
    let t = TestServer::start().await;
    let show =
        t.show_with("section Stalls category=standard\nrow A: w1 c2 3-8\nrow B: 1-4 (5 6) 7-10\n").await;
    let (ann, _) = t.customer("ann").await;

    let listed = t.get("/v1/shows?city=lisbon", None).await.expect(200);
    assert_eq!(listed.as_array().map(|l| l.len()), Some(1));
    assert_eq!(listed[0]["title"], "Metropolis");
    assert!(t.get("/v1/shows?city=Porto", None).await.expect(200).as_array().is_some_and(|l| l.is_empty()));
    let movie = listed[0]["movie"].as_u64().unwrap_or(0);
    assert_eq!(
        t.get(&format!("/v1/shows?movie={movie}"), None).await.expect(200).as_array().map(|l| l.len()),
        Some(1)
    );

    let map = t.get(&format!("/v1/shows/{show}/seats"), None).await.expect(200);
    assert_eq!(map["available"], 18);
    let a1 = &map["seats"][0];
    assert_eq!((a1["label"].as_str(), &a1["flags"]), (Some("A1"), &json!(["wheelchair"])));
    assert_eq!((map["currency"].as_str(), a1["price"].as_i64().is_some_and(|p| p > 0)), (Some("EUR"), true));
    let b5 = map["seats"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["label"] == "B5"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(b5["pair"], json!(["B6"]));
    assert_eq!(map["categories"][0]["name"], "standard");

    let best = t.get(&format!("/v1/shows/{show}/best-available?count=2"), None).await.expect(200);
    assert_eq!(best["seats"].as_array().map(|s| s.len()), Some(2));
    let quote = t
        .post(
            &format!("/v1/shows/{show}/quote"),
            None,
            json!({ "seats": ["A4", {"label": "A5", "ticket_type": "child"}] }),
        )
        .await
        .expect(200);
    assert_eq!(quote["lines"].as_array().map(|l| l.len()), Some(2));

    let hold = t.hold(&ann, show, &["A4", "A5"]).await.expect(201);
    assert_eq!(hold["seats"], json!(["A4", "A5"]));
    assert!(hold["remaining_ms"].as_i64().is_some_and(|ms| ms > 0));
    assert_eq!(t.statuses(show).await["A4"], "held");

    let key = "order-1";
    let booking = t
        .post_key("/v1/bookings", &ann, key, json!({ "hold": hold["id"], "fence": hold["fence"] }))
        .await
        .expect(201);
    assert_eq!(booking["status"], "pending");
    let again = t.post_key("/v1/bookings", &ann, key, json!({ "hold": hold["id"] })).await.expect(201);
    assert_eq!(again["id"], booking["id"], "the same Idempotency-Key gives the same booking");
    let missing_key = t.post("/v1/bookings", Some(&ann), json!({ "hold": hold["id"] })).await;
    assert_eq!((missing_key.status.as_u16(), missing_key.code()), (400, "INVALID_INPUT"));

    let id = booking["id"].as_u64().unwrap_or(0);
    let paid = t
        .post(&format!("/v1/bookings/{id}/pay"), Some(&ann), json!({ "payment_token": "tok_visa" }))
        .await
        .expect(200);
    assert_eq!(paid["booking"]["status"], "confirmed");
    let tickets = paid["tickets"].as_array().cloned().unwrap_or_default();
    assert_eq!(tickets.len(), 2);
    let replay = t
        .post(&format!("/v1/bookings/{id}/pay"), Some(&ann), json!({ "payment_token": "tok_visa" }))
        .await
        .expect(200);
    assert_eq!(
        replay["booking"]["payment_ref"], paid["booking"]["payment_ref"],
        "a retried payment charges once"
    );
    assert_eq!(t.statuses(show).await["A5"], "booked");

    let svg =
        t.http.get(t.url(&format!("/v1/bookings/{id}/tickets/A4/qr.svg"))).bearer_auth(&ann).send().await;
    let svg = svg.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap_or_default().contains("<svg"));
    let png =
        t.http.get(t.url(&format!("/v1/bookings/{id}/tickets/A5/qr.png"))).bearer_auth(&ann).send().await;
    let png = png.unwrap_or_else(|e| panic!("{e}")).bytes().await.unwrap_or_default();
    assert!(png.starts_with(b"\x89PNG"));
    let listed = t.get(&format!("/v1/bookings/{id}/tickets"), Some(&ann)).await.expect(200);
    assert_eq!(listed.as_array().map(|l| l.len()), Some(2));

    // At the door: staff check the first ticket in once.
    let code = tickets[0]["code"].as_str().unwrap_or_default();
    let (bob, _) = t.customer("bob").await;
    assert_eq!(t.post("/v1/check-in", Some(&bob), json!({ "code": code })).await.code(), "FORBIDDEN");
    let done = t.post("/v1/check-in", Some(&t.admin), json!({ "code": code })).await.expect(200);
    assert_eq!(done["ticket"]["checked_in"], true);
    let twice = t.post("/v1/check-in", Some(&t.admin), json!({ "code": code })).await;
    assert_eq!((twice.status.as_u16(), twice.code()), (409, "ALREADY_CHECKED_IN"));
    let forged = format!("{}x", &code[..code.len() - 1]);
    assert_eq!(
        t.post("/v1/check-in", Some(&t.admin), json!({ "code": forged })).await.code(),
        "INVALID_TICKET"
    );

    let mine = t.get("/v1/bookings", Some(&ann)).await.expect(200);
    assert_eq!(mine.as_array().map(|l| l.len()), Some(1));
    assert_eq!(mine[0]["status"], "checked_in");
    t.server.shutdown().await;
}

#[tokio::test]
async fn payments_that_fail_change_nothing_and_a_late_one_never_gets_a_ticket() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let hold = t.hold(&ann, show, &["A1", "A2"]).await.expect(201);
    let booking = t.post_key("/v1/bookings", &ann, "k1", json!({ "hold": hold["id"] })).await.expect(201);
    let pay = format!("/v1/bookings/{}/pay", booking["id"]);

    let declined = t.post(&pay, Some(&ann), json!({ "payment_token": "tok_decline" })).await;
    assert_eq!((declined.status.as_u16(), declined.code()), (402, "PAYMENT_DECLINED"));
    let timeout = t.post(&pay, Some(&ann), json!({ "payment_token": "tok_timeout" })).await;
    assert_eq!((timeout.status.as_u16(), timeout.code()), (504, "PAYMENT_TIMEOUT"));
    let still = t.get(&format!("/v1/bookings/{}", booking["id"]), Some(&ann)).await.expect(200);
    assert_eq!(still["status"], "pending");

    // The deadline passes: the payment is refused and no ticket exists.
    t.clock.advance_millis(31 * 60_000);
    let late = t.post(&pay, Some(&ann), json!({ "payment_token": "tok_visa" })).await;
    assert_eq!((late.status.as_u16(), late.code()), (409, "HOLD_EXPIRED"));
    let tickets = t.get(&format!("/v1/bookings/{}/tickets", booking["id"]), Some(&ann)).await;
    assert_eq!(tickets.code(), "INVALID_TRANSITION");
    assert_eq!(t.statuses(show).await["A1"], "available");
    t.server.shutdown().await;
}

#[tokio::test]
async fn two_payments_of_one_booking_at_once_confirm_it_once_and_refund_nothing() {
    let gateway = std::sync::Arc::new(RecordingGateway::new(std::time::Duration::from_millis(100)));
    let t = TestServer::start_with_gateway(
        test_config(),
        booking_core::ManualClock::new(wall_now()),
        Some(gateway.clone()),
    )
    .await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let hold = t.hold(&ann, show, &["A1", "A2"]).await.expect(201);
    let booking = t.post_key("/v1/bookings", &ann, "k1", json!({ "hold": hold["id"] })).await.expect(201);
    let pay = t.url(&format!("/v1/bookings/{}/pay", booking["id"]));
    // Every payment reads the booking as pending before the first one confirms it.
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let req = t.http.post(&pay).bearer_auth(&ann).header("Idempotency-Key", format!("pay-{i}"));
            tokio::spawn(async move {
                let res = req.json(&json!({ "payment_token": "tok_visa" })).send().await;
                let res = res.unwrap_or_else(|e| panic!("{e}"));
                let status = res.status().as_u16();
                (status, res.json::<serde_json::Value>().await.unwrap_or_default())
            })
        })
        .collect();
    let mut paid = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap_or_else(|e| panic!("{e}"));
        match status {
            200 => paid += 1,
            // Confirmed already (by another key).
            409 => assert!(
                body["code"] == "INVALID_TRANSITION" || body["code"] == "IDEMPOTENCY_CONFLICT",
                "{body}"
            ),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(paid, 1, "one payment confirms the booking");
    assert_eq!(gateway.refunds(), Vec::<String>::new(), "the charge that paid the booking was refunded");
    let now = t.get(&format!("/v1/bookings/{}", booking["id"]), Some(&ann)).await.expect(200);
    assert_eq!(now["status"], "confirmed");
    let tickets = t.get(&format!("/v1/bookings/{}/tickets", booking["id"]), Some(&ann)).await.expect(200);
    assert_eq!(tickets.as_array().map(Vec::len), Some(2));
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_hold_expires_on_the_clock_and_its_seats_go_to_the_next_customer() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let (bob, _) = t.customer("bob").await;
    let hold = t.hold(&ann, show, &["B3", "B4"]).await.expect(201);
    assert_eq!(t.hold(&bob, show, &["B4"]).await.code(), "SEAT_UNAVAILABLE");
    t.clock.advance_millis(60_000);
    let extended =
        t.post(&format!("/v1/holds/{}/extend", hold["id"]), Some(&ann), json!({})).await.expect(200);
    assert!(extended["expires_at"].as_str() > hold["expires_at"].as_str());

    t.clock.advance_millis(10 * 60_000 + 1);
    assert_eq!(t.statuses(show).await["B3"], "available", "expired at once, swept or not");
    let late = t.post_key("/v1/bookings", &ann, "late", json!({ "hold": hold["id"] })).await;
    assert!(matches!(late.code(), "HOLD_EXPIRED" | "NOT_FOUND"), "{}", late.body);
    t.hold(&bob, show, &["B3", "B4"]).await.expect(201);
    t.server.shutdown().await;
}

#[tokio::test]
async fn releasing_cancelling_and_refunding_free_the_seats() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let hold = t.hold(&ann, show, &["A1"]).await.expect(201);
    let released =
        t.delete(&format!("/v1/holds/{}?fence={}", hold["id"], hold["fence"]), Some(&ann)).await.expect(200);
    assert_eq!(released["seats"], json!(["A1"]));
    assert_eq!(t.statuses(show).await["A1"], "available");

    let paid = t.buy(&ann, show, &["A1", "A2"]).await;
    let id = paid["booking"]["id"].as_u64().unwrap_or(0);
    let refunded = t.post(&format!("/v1/bookings/{id}/refund"), Some(&ann), json!({})).await.expect(200);
    assert_eq!(refunded["status"], "refunded");
    assert_eq!(t.statuses(show).await["A2"], "available");
    let again = t.post(&format!("/v1/bookings/{id}/cancel"), Some(&ann), json!({})).await;
    assert_eq!((again.status.as_u16(), again.code()), (409, "INVALID_TRANSITION"));
    t.server.shutdown().await;
}

#[tokio::test]
async fn cancelling_a_show_cancels_its_bookings_and_tells_their_owners() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let paid = t.buy(&ann, show, &["A5", "A6"]).await;
    let customer = t.post(&format!("/v1/admin/shows/{show}/cancel"), Some(&ann), json!({})).await;
    assert_eq!((customer.status.as_u16(), customer.code()), (403, "FORBIDDEN"));
    let done = t.post(&format!("/v1/admin/shows/{show}/cancel"), Some(&t.admin), json!({})).await.expect(200);
    assert_eq!(done["bookings_cancelled"], json!([paid["booking"]["id"]]));
    let b = t.get(&format!("/v1/bookings/{}", paid["booking"]["id"]), Some(&ann)).await.expect(200);
    assert_eq!(b["status"], "cancelled");
    assert_eq!(t.hold(&ann, show, &["A1"]).await.code(), "SALES_CLOSED");
    let kinds =
        wait_for_notifications(&t, &ann, |n| n.iter().any(|n| n["kind"] == "booking_cancelled")).await;
    assert!(kinds.iter().any(|n| n["kind"] == "booking_confirmed"));
    t.server.shutdown().await;
}

/// Polls the caller's notifications until `done` holds (at most 5 s).
async fn wait_for_notifications(
    t: &TestServer,
    token: &str,
    done: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    for _ in 0..100 {
        let list = t.get("/v1/me/notifications", Some(token)).await.expect(200);
        let list = list.as_array().cloned().unwrap_or_default();
        if done(&list) {
            return list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("notifications never arrived");
}

#[tokio::test]
async fn notifications_go_once_per_event_and_channel() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let body = json!({ "email": "cy@example.com", "password": "correct horse battery", "name": "Cy", "phone": "+351912345678" });
    t.post("/v1/auth/register", None, body).await.expect(201);
    let cy = t.login("cy@example.com", "correct horse battery").await;
    t.buy(&cy, show, &["B1", "B2"]).await;
    let list = wait_for_notifications(&t, &cy, |n| n.len() >= 3).await;
    // Let the worker run a few more rounds: nothing may be recorded twice.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let list_after = t.get("/v1/me/notifications", Some(&cy)).await.expect(200);
    assert_eq!(list_after.as_array().map(|l| l.len()), Some(list.len()));
    let mut channels: Vec<&str> = list
        .iter()
        .filter(|n| n["kind"] == "booking_confirmed")
        .filter_map(|n| n["channel"].as_str())
        .collect();
    channels.sort_unstable();
    assert_eq!(channels, ["email", "push", "sms"]);
    assert!(list.iter().all(|n| n["delivered_at"].is_string()));
    assert!(list[0]["body"].as_str().is_some_and(|b| b.contains("B1, B2")));

    // A reminder goes out once the show is within the reminder window.
    t.clock.advance_millis(2 * 86_400_000 - 60 * 60_000);
    let list = wait_for_notifications(&t, &cy, |n| n.iter().any(|n| n["kind"] == "show_reminder")).await;
    assert_eq!(list.iter().filter(|n| n["kind"] == "show_reminder").count(), 3);
    t.server.shutdown().await;
}

/// A channel whose first sends fail.
struct FlakySms {
    failures_left: std::sync::atomic::AtomicUsize,
    sent: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl booking_server::notify::Notifier for FlakySms {
    async fn send(&self, _to: &str, _subject: &str, _body: &str) -> Result<(), String> {
        use std::sync::atomic::Ordering::SeqCst;
        if self.failures_left.fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1)).is_ok() {
            return Err("gateway down".into());
        }
        self.sent.fetch_add(1, SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn a_failed_delivery_stays_pending_and_is_retried_once_later() {
    let sms = Arc::new(FlakySms { failures_left: 1.into(), sent: 0.into() });
    let notifiers =
        booking_server::notify::Notifiers { sms: sms.clone(), ..booking_server::notify::Notifiers::log() };
    let t = TestServer::start_with_notifiers(test_config(), notifiers).await;
    let show = t.show().await;
    let body = json!({ "email": "di@example.com", "password": "correct horse battery", "name": "Di", "phone": "+351912345679" });
    t.post("/v1/auth/register", None, body).await.expect(201);
    let di = t.login("di@example.com", "correct horse battery").await;
    t.buy(&di, show, &["B3"]).await;
    let list = wait_for_notifications(&t, &di, |n| {
        n.len() >= 3 && n.iter().filter(|n| n["delivered_at"].is_string()).count() == 2
    })
    .await;
    let sms_note = list.iter().find(|n| n["channel"] == "sms").unwrap_or_else(|| panic!("{list:?}"));
    assert!(sms_note["delivered_at"].is_null(), "{sms_note}");
    assert_eq!(sms.sent.load(std::sync::atomic::Ordering::SeqCst), 0);
    // Past the retry delay the worker sends it again, once.
    t.clock.advance_millis(31_000);
    let list = wait_for_notifications(&t, &di, |n| n.iter().all(|n| n["delivered_at"].is_string())).await;
    assert_eq!(list.len(), 3, "recorded twice: {list:?}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sms.sent.load(std::sync::atomic::Ordering::SeqCst), 1);
    t.server.shutdown().await;
}

#[tokio::test]
async fn analytics_add_up_from_the_log() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let first = t.buy(&ann, show, &["A1", "A2"]).await;
    let second = t.buy(&ann, show, &["B5"]).await;
    let total = |v: &serde_json::Value| v["booking"]["total"]["minor"].as_i64().unwrap_or(0);
    let customer = t.get("/v1/admin/analytics/revenue", Some(&ann)).await;
    assert_eq!(customer.status.as_u16(), 403);

    let revenue = t.get("/v1/admin/analytics/revenue?period=month", Some(&t.admin)).await.expect(200);
    assert_eq!(revenue[0]["net_minor"].as_i64(), Some(total(&first) + total(&second)));
    assert_eq!(revenue[0]["confirmations"], 2);
    let occupancy = t.get("/v1/admin/analytics/occupancy", Some(&t.admin)).await.expect(200);
    assert_eq!(
        (occupancy[0]["seats_sold"].as_u64(), occupancy[0]["seats_sellable"].as_u64()),
        (Some(3), Some(20))
    );
    assert_eq!(occupancy[0]["occupancy_bp"], 1_500);
    let movies = t.get("/v1/admin/analytics/top-movies", Some(&t.admin)).await.expect(200);
    assert_eq!((movies[0]["name"].as_str(), movies[0]["tickets"].as_u64()), (Some("Metropolis"), Some(3)));
    let theatres = t.get("/v1/admin/analytics/theatres", Some(&t.admin)).await.expect(200);
    assert_eq!(theatres[0]["net_minor"].as_i64(), Some(total(&first) + total(&second)));
    assert!(t.get("/v1/admin/analytics/revenue?period=year", Some(&t.admin)).await.status.is_client_error());
    t.server.shutdown().await;
}

#[tokio::test]
async fn shows_on_one_screen_may_not_overlap_and_the_catalogue_is_admin_only() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let s = t.get(&format!("/v1/shows/{show}"), None).await.expect(200);
    let body = json!({ "screen": s["screen"], "movie": s["movie"], "starts_at": s["starts_at"] });
    let overlap = t.post("/v1/admin/shows", Some(&t.admin), body).await;
    assert_eq!((overlap.status.as_u16(), overlap.code()), (409, "SHOW_OVERLAP"));
    let (ann, _) = t.customer("ann").await;
    for (path, body) in [
        ("/v1/admin/theatres", json!({ "name": "X", "city": "Y", "time_zone": "Europe/Lisbon" })),
        ("/v1/admin/movies", json!({ "title": "X", "runtime_minutes": 90 })),
        (
            "/v1/admin/users",
            json!({ "email": "s@example.com", "password": "0123456789", "name": "S", "role": "admin" }),
        ),
    ] {
        let a = t.post(path, Some(&ann), body).await;
        assert_eq!((a.status.as_u16(), a.code()), (403, "FORBIDDEN"), "{path}");
    }
    let movie = s["movie"].as_u64().unwrap_or(0);
    let updated = t
        .send(
            t.http
                .put(t.url(&format!("/v1/admin/movies/{movie}")))
                .json(&json!({ "title": "Metropolis (restored)", "runtime_minutes": 150 })),
            Some(&t.admin),
        )
        .await
        .expect(200);
    assert_eq!(updated["title"], "Metropolis (restored)");
    t.delete(&format!("/v1/admin/movies/{movie}"), Some(&t.admin)).await.expect(204);
    assert_eq!(t.get(&format!("/v1/movies/{movie}"), None).await.status.as_u16(), 404);
    let preview = t
        .post("/v1/admin/layouts/preview", Some(&t.admin), json!({ "layout_text": "row A: 1-3\nrow B 1-3" }))
        .await;
    assert_eq!((preview.status.as_u16(), preview.code()), (422, "INVALID_LAYOUT"));
    assert_eq!(preview.body["details"]["issues"][0]["line"], 2);
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_admin_edits_and_removes_theatres_and_screens_and_history_stays() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let s = t.get(&format!("/v1/shows/{show}"), None).await.expect(200);
    let (screen, theatre) = (s["screen"].as_u64().unwrap_or(0), s["theatre"].as_u64().unwrap_or(0));
    let admin = Some(t.admin.as_str());

    let moved = json!({ "name": "Rex Lisboa", "city": "Lisboa", "time_zone": "Europe/Lisbon" });
    let theatre_now = t.put(&format!("/v1/admin/theatres/{theatre}"), admin, moved.clone()).await.expect(200);
    assert_eq!(theatre_now["name"], "Rex Lisboa");
    assert_eq!(t.get(&format!("/v1/theatres/{theatre}"), None).await.expect(200)["city"], "Lisboa");
    let bad = json!({ "name": "Rex", "city": "Lisboa", "time_zone": "Nowhere/Else" });
    let refused = t.put(&format!("/v1/admin/theatres/{theatre}"), admin, bad).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "INVALID_INPUT"));
    assert_eq!(refused.body["details"]["field"], "time_zone");

    let layout = json!({ "name": "Sala Nova", "layout_text": "section M category=standard\nrow A: 1-4\n" });
    let screen_now = t.put(&format!("/v1/admin/screens/{screen}"), admin, layout).await.expect(200);
    assert_eq!(
        (screen_now["name"].as_str(), screen_now["seat_count"].as_u64()),
        (Some("Sala Nova"), Some(4))
    );
    // The show scheduled before keeps its twenty seats and its sales.
    assert_eq!(t.statuses(show).await.len(), 20);
    let broken = json!({ "name": "Sala", "layout_text": "row A 1-4" });
    let refused = t.put(&format!("/v1/admin/screens/{screen}"), admin, broken).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "INVALID_LAYOUT"));

    let (ann, _) = t.customer("ann").await;
    for a in [
        t.put(&format!("/v1/admin/theatres/{theatre}"), Some(&ann), moved).await,
        t.delete(&format!("/v1/admin/screens/{screen}"), Some(&ann)).await,
        t.delete(&format!("/v1/admin/theatres/{theatre}"), Some(&ann)).await,
    ] {
        assert_eq!((a.status.as_u16(), a.code()), (403, "FORBIDDEN"), "{}", a.body);
    }
    let in_use = t.delete(&format!("/v1/admin/screens/{screen}"), admin).await;
    assert_eq!((in_use.status.as_u16(), in_use.body["details"]["field"].as_str()), (422, Some("screen")));
    let in_use = t.delete(&format!("/v1/admin/theatres/{theatre}"), admin).await;
    assert_eq!((in_use.status.as_u16(), in_use.body["details"]["field"].as_str()), (422, Some("theatre")));

    let spare = t
        .post(
            &format!("/v1/admin/theatres/{theatre}/screens"),
            admin,
            json!({ "name": "Spare", "layout_text": "row A: 1-2\n" }),
        )
        .await
        .expect(201);
    t.delete(&format!("/v1/admin/screens/{}", spare["id"]), admin).await.expect(204);
    assert_eq!(t.get(&format!("/v1/screens/{}", spare["id"]), None).await.status.as_u16(), 404);
    let lone = t
        .post(
            "/v1/admin/theatres",
            admin,
            json!({ "name": "Lone", "city": "Porto", "time_zone": "Europe/Lisbon" }),
        )
        .await
        .expect(201);
    t.delete(&format!("/v1/admin/theatres/{}", lone["id"]), admin).await.expect(204);
    assert_eq!(t.delete(&format!("/v1/admin/theatres/{}", lone["id"]), admin).await.code(), "NOT_FOUND");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_show_capped_per_customer_refuses_a_hold_past_the_cap_and_says_which_limit() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let s = t.get(&format!("/v1/shows/{show}"), None).await.expect(200);
    let later = days_later(&s["starts_at"], 1);
    let body = |cap: serde_json::Value| json!({ "screen": s["screen"], "movie": s["movie"], "starts_at": later, "tickets_per_owner_max": cap });
    let bad = t.post("/v1/admin/shows", Some(&t.admin), body(json!(0))).await;
    assert_eq!((bad.status.as_u16(), bad.code()), (422, "INVALID_INPUT"));
    assert_eq!(bad.body["details"]["field"], "tickets_per_owner_max");
    let capped = t.post("/v1/admin/shows", Some(&t.admin), body(json!(2))).await.expect(201);
    assert_eq!(capped["tickets_per_owner_max"], 2);
    let capped = capped["id"].as_u64().unwrap_or(0);
    let (ann, _) = t.customer("ann").await;
    t.buy(&ann, capped, &["A1"]).await;
    let past = t.hold(&ann, capped, &["A2", "A3"]).await;
    assert_eq!(past.code(), "LIMIT_EXCEEDED", "{:?}", past.body);
    assert_eq!(past.body["details"], json!({ "limit": "tickets_per_owner", "max": 2 }));
    t.hold(&ann, capped, &["A2"]).await.expect(201);
    t.server.shutdown().await;
}

#[tokio::test]
async fn accessible_places_go_to_customers_who_ask_until_their_release() {
    let t = TestServer::start().await;
    let first = t.show_with("section Main category=standard\nrow A: w1 c2 3-8\n").await;
    let s = t.get(&format!("/v1/shows/{first}"), None).await.expect(200);
    let body =
        json!({ "screen": s["screen"], "movie": s["movie"], "starts_at": days_later(&s["starts_at"], 3) });
    let later = t.post("/v1/admin/shows", Some(&t.admin), body).await.expect(201);
    let at = |v: &serde_json::Value| -> jiff::Timestamp {
        v.as_str().unwrap_or_default().parse().unwrap_or_else(|e| panic!("{v}: {e}"))
    };
    assert_eq!(
        at(&later["accessible_until"]) + jiff::SignedDuration::from_hours(48),
        at(&later["starts_at"])
    );
    let later = later["id"].as_u64().unwrap_or(0);
    let (ann, _) = t.customer("ann").await;
    let kept = t.hold(&ann, later, &["A1"]).await;
    assert_eq!((kept.status.as_u16(), kept.code()), (422, "SELECTION_RULE"));
    assert_eq!(kept.body["details"], json!({ "rule": "accessible_only", "seats": ["A1"] }));
    let asked = json!({ "seats": ["A1", "A2"], "accessible": true });
    t.post(&format!("/v1/shows/{later}/holds"), Some(&ann), asked).await.expect(201);
    t.hold(&ann, first, &["A1"]).await.expect(201);
    t.server.shutdown().await;
}

/// `starts_at` (RFC 3339, UTC, as the API writes it) moved `days` days later.
fn days_later(starts_at: &serde_json::Value, days: i64) -> String {
    let at: jiff::Timestamp =
        starts_at.as_str().unwrap_or_default().parse().unwrap_or_else(|e| panic!("{e}"));
    (at + jiff::SignedDuration::from_hours(24 * days)).to_string()
}
