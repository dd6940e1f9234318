//! Public-key tickets: the service publishes the keys that verify its tickets, a scanner verifies
//! with them alone, and rotation keeps the previous key's tickets valid until it is retired.

mod common;

use common::{TestServer, test_config};
use serde_json::Value;

const NEW_KEY_HEX: &str = "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0";

fn xs(keys: &Value) -> Vec<String> {
    keys["keys"]
        .as_array()
        .map(|k| k.iter().filter_map(|k| k["x"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_scanner_verifies_with_the_published_keys_and_rotation_keeps_old_tickets() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let paid = t.buy(&ann, show, &["A1"]).await;
    let code = paid["tickets"][0]["code"].as_str().unwrap_or_default().to_string();
    // Public, and a JSON Web Key Set.
    let keys = t.get("/v1/ticket-keys", None).await.expect(200);
    assert_eq!(
        (keys["keys"][0]["kty"].as_str(), keys["keys"][0]["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    assert_eq!(keys["keys"][0]["signing"], true);
    let old_public = xs(&keys);
    let claims = booking_front::verify_ticket(&code, &old_public).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claims.show, i64::try_from(show).unwrap_or(0));
    t.server.shutdown().await;

    // A new key signs; the old public key is still accepted: the old ticket's signature holds
    // (this server's store does not have its booking, hence NOT_FOUND and not INVALID_TICKET).
    let mut rotated = test_config();
    rotated.ticket_key = Some(NEW_KEY_HEX.into());
    rotated.ticket_previous_keys = old_public.clone();
    let r = TestServer::start_with(rotated).await;
    let listed = r.get("/v1/ticket-keys", None).await.expect(200);
    assert_eq!(xs(&listed).len(), 2);
    assert_eq!(xs(&listed)[1], old_public[0]);
    assert_eq!(
        (listed["keys"][0]["signing"].as_bool(), listed["keys"][1]["signing"].as_bool()),
        (Some(true), Some(false))
    );
    let scanned = r.post("/v1/check-in", Some(&r.admin), serde_json::json!({ "code": code })).await;
    assert_eq!(scanned.code(), "NOT_FOUND", "{}", scanned.body);
    r.server.shutdown().await;

    // Retired: the old key's tickets are refused as forged.
    let mut retired = test_config();
    retired.ticket_key = Some(NEW_KEY_HEX.into());
    let n = TestServer::start_with(retired).await;
    let scanned = n.post("/v1/check-in", Some(&n.admin), serde_json::json!({ "code": code })).await;
    assert_eq!(scanned.code(), "INVALID_TICKET", "{}", scanned.body);
    n.server.shutdown().await;

    // A previous key that cannot be read stops the start, naming the flag.
    let mut bad = test_config();
    bad.ticket_previous_keys = vec!["nope".into()];
    let refused =
        booking_server::app::build(booking_server::app::Parts::new(bad)).await.err().map(|e| e.to_string());
    assert!(refused.is_some_and(|e| e.contains("ticket_previous_keys")));
}
