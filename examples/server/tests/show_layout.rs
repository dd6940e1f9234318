//! `GET /v1/shows/{id}/layout`: the layout a show was scheduled with, in the forms the bindings
//! parse, so that an app checks selections offline against the seats this show sells.

mod common;

use booking_core::SeatLayout;
use common::*;
use serde_json::json;

const LAYOUT: &str = "section Stalls category=standard\nrow A: w1 c2 3-6 _ 7-8\nrow B: 1-3 (4 5) x6\n";

#[tokio::test]
async fn a_show_serves_the_layout_it_was_scheduled_with_in_text_and_json() {
    let t = TestServer::start().await;
    let show = t.show_with(LAYOUT).await;
    let answer = t.get(&format!("/v1/shows/{show}/layout"), None).await.expect(200);
    assert_eq!(answer["show"].as_u64(), Some(show));
    let scheduled = SeatLayout::parse_text(LAYOUT).unwrap_or_else(|e| panic!("{e}"));
    // Both forms parse, as the bindings' layout types parse them, to the very seats sold.
    let text = answer["layout_text"].as_str().unwrap_or_default();
    let from_text = SeatLayout::parse_text(text).unwrap_or_else(|e| panic!("text form: {e}\n{text}"));
    let from_json =
        SeatLayout::from_json(&answer["layout"].to_string()).unwrap_or_else(|e| panic!("JSON form: {e}"));
    // Compared as JSON: where a seat was written in the text is not part of the layout.
    let json_of = |l: &SeatLayout| serde_json::to_value(l.to_spec()).unwrap_or_default();
    for layout in [&from_text, &from_json] {
        assert_eq!(json_of(layout), json_of(&scheduled));
    }
    let map = t.get(&format!("/v1/shows/{show}/seats"), None).await.expect(200);
    let labels: Vec<String> = from_json.seats().iter().map(|s| s.label.to_string()).collect();
    let mapped: Vec<String> = map["seats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["label"].as_str().map(str::to_string))
        .collect();
    assert_eq!(labels, mapped, "the layout's seats are the seat map's, in the same order");

    // The screen gets a new layout: the show keeps the one it was scheduled with.
    let screen = t.get(&format!("/v1/shows/{show}"), None).await.expect(200)["screen"].clone();
    let new = json!({ "name": "One", "layout_text": "section M category=standard\nrow A: 1-4\n" });
    t.put(&format!("/v1/admin/screens/{screen}"), Some(&t.admin), new).await.expect(200);
    let after = t.get(&format!("/v1/shows/{show}/layout"), None).await.expect(200);
    assert_eq!(after, answer);
    assert_eq!(t.get("/v1/shows/999999/layout", None).await.code(), "NOT_FOUND");
    t.server.shutdown().await;
}
