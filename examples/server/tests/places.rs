//! General admission by quantity over HTTP: a hold asks for places of a zone by number, the
//! store picks them, and the hold, its quote and the tickets name them.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_customer_holds_and_buys_standing_places_by_quantity() {
    let t = TestServer::start().await;
    let show = t
        .show_with("section Main category=standard\nrow A: 1-4\nzone Standing capacity=3 category=standard\n")
        .await;
    let (ann, _) = t.customer("ann").await;
    let (bob, _) = t.customer("bob").await;
    let holds = format!("/v1/shows/{show}/holds");

    let body = json!({ "seats": ["A1"], "places": [{ "zone": "Standing", "quantity": 2 }] });
    let hold = t.post(&holds, Some(&ann), body).await.expect(201);
    let seats: Vec<String> =
        hold["seats"].as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect();
    assert_eq!(seats.len(), 3, "{hold}");
    assert_eq!(seats[0], "A1");
    assert!(seats[1..].iter().all(|s| s.starts_with("Standing-")), "{seats:?}");
    let quoted: Vec<&str> =
        hold["quote"]["lines"].as_array().into_iter().flatten().filter_map(|l| l["seat"].as_str()).collect();
    assert_eq!(quoted, seats.iter().map(String::as_str).collect::<Vec<_>>(), "the quote names the places");

    let short = json!({ "seats": [], "places": [{ "zone": "Standing", "quantity": 2 }] });
    let refused = t.post(&holds, Some(&bob), short).await.expect(409);
    assert_eq!(
        (refused["code"].as_str(), &refused["details"]["seats"]),
        (Some("SEAT_UNAVAILABLE"), &json!(["Standing"]))
    );
    let unknown = json!({ "seats": [], "places": [{ "zone": "Balcony", "quantity": 1 }] });
    let refused = t.post(&holds, Some(&bob), unknown).await.expect(422);
    assert_eq!(refused["details"]["field"], "places[0].zone", "{refused}");
    let none = json!({ "seats": [], "places": [{ "zone": "Standing", "quantity": 0 }] });
    let refused = t.post(&holds, Some(&bob), none).await.expect(422);
    assert_eq!(refused["details"]["field"], "places[0].quantity", "{refused}");

    let last = json!({ "seats": [], "places": [{ "zone": "Standing", "quantity": 1 }] });
    let bobs = t.post(&holds, Some(&bob), last).await.expect(201);
    let key = format!("create-{}", bobs["id"]);
    let booking = t.post_key("/v1/bookings", &bob, &key, json!({ "hold": bobs["id"] })).await.expect(201);
    let paid = t
        .post(
            &format!("/v1/bookings/{}/pay", booking["id"]),
            Some(&bob),
            json!({ "payment_token": "tok_visa" }),
        )
        .await
        .expect(200);
    let tickets = paid["tickets"].as_array().cloned().unwrap_or_default();
    assert_eq!(tickets.len(), 1, "{paid}");
    assert_eq!(tickets[0]["seat"].as_str().map(|s| s.starts_with("Standing-")), Some(true), "{paid}");
    let statuses = t.statuses(show).await;
    assert_eq!(statuses.iter().filter(|(l, s)| l.starts_with("Standing-") && *s == "available").count(), 0);
}
