//! Sessions: short access tokens renewed by rotating refresh tokens, a reused refresh token ends
//! its sign-in, and logout revokes at once on this instance and within a sweep on every other.

mod common;

use common::*;
use serde_json::{Value, json};
use std::time::Duration;

async fn login(t: &TestServer, email: &str, password: &str) -> Value {
    t.post("/v1/auth/login", None, json!({ "email": email, "password": password })).await.expect(200)
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_sign_in() {
    let t = TestServer::start().await;
    let first = login(&t, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(first["expires_in"], 900, "access tokens are short by default");
    assert!(first["refresh_expires_in"].as_u64() > first["expires_in"].as_u64());
    let refresh = |token: &str| t.post("/v1/auth/refresh", None, json!({ "refresh_token": token }));
    let second = refresh(text(&first, "refresh_token")).await.expect(200);
    assert_ne!(text(&second, "refresh_token"), text(&first, "refresh_token"));
    assert_eq!(t.get("/v1/me", Some(text(&second, "access_token"))).await.expect(200)["email"], ADMIN_EMAIL);
    // The first refresh token was used: presented again, it is refused, and the whole sign-in
    // ends (a thief and the owner cannot both go on).
    let reused = refresh(text(&first, "refresh_token")).await;
    assert_eq!((reused.status.as_u16(), reused.code()), (401, "UNAUTHORIZED"));
    assert_eq!(t.get("/v1/me", Some(text(&second, "access_token"))).await.status.as_u16(), 401);
    assert_eq!(refresh(text(&second, "refresh_token")).await.status.as_u16(), 401);
    // Another sign-in of the same account is untouched.
    let other = login(&t, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(t.get("/v1/me", Some(text(&other, "access_token"))).await.status.as_u16(), 200);
    // Nonsense is refused the same way.
    assert_eq!(refresh("nope").await.status.as_u16(), 401);
    assert_eq!(refresh(&"f".repeat(10_000)).await.status.as_u16(), 401);
    t.server.shutdown().await;
}

#[tokio::test]
async fn logout_revokes_the_token_and_its_sign_in_at_once() {
    let t = TestServer::start().await;
    let (_, _) = t.customer("ann").await;
    let session = login(&t, "ann@example.com", "correct horse battery").await;
    let token = text(&session, "access_token");
    assert_eq!(t.get("/v1/me", Some(token)).await.status.as_u16(), 200);
    assert_eq!(t.post("/v1/auth/logout", Some(token), json!({})).await.status.as_u16(), 204);
    let after = t.get("/v1/me", Some(token)).await;
    assert_eq!((after.status.as_u16(), after.code()), (401, "UNAUTHORIZED"));
    let renewed =
        t.post("/v1/auth/refresh", None, json!({ "refresh_token": text(&session, "refresh_token") })).await;
    assert_eq!(renewed.status.as_u16(), 401, "the sign-in's refresh token went with it");
    assert_eq!(t.post("/v1/auth/logout", None, json!({})).await.status.as_u16(), 401);
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_logout_on_one_instance_holds_on_the_other() {
    let schema = fresh_schema().await;
    let a = TestServer::start_with(pg_config(&schema)).await;
    let b = TestServer::start_with(pg_config(&schema)).await;
    let session = login(&a, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = text(&session, "access_token");
    assert_eq!(b.get("/v1/me", Some(token)).await.status.as_u16(), 200, "tokens work on every instance");
    // A refresh token works once, whichever instance it reaches.
    let renewed = b
        .post("/v1/auth/refresh", None, json!({ "refresh_token": text(&session, "refresh_token") }))
        .await
        .expect(200);
    let reused =
        a.post("/v1/auth/refresh", None, json!({ "refresh_token": text(&session, "refresh_token") })).await;
    assert_eq!(reused.status.as_u16(), 401);
    // That reuse ended the sign-in on instance a; b learns within a sweep (50 ms in tests).
    let fresh = login(&a, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let fresh_token = text(&fresh, "access_token");
    assert_eq!(b.get("/v1/me", Some(fresh_token)).await.status.as_u16(), 200);
    assert_eq!(a.post("/v1/auth/logout", Some(fresh_token), json!({})).await.status.as_u16(), 204);
    let mut refused = (0, 0);
    for _ in 0..100 {
        refused = (
            b.get("/v1/me", Some(fresh_token)).await.status.as_u16(),
            b.get("/v1/me", Some(text(&renewed, "access_token"))).await.status.as_u16(),
        );
        if refused == (401, 401) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(refused, (401, 401), "logout and the reused sign-in hold on the other instance");
    a.server.shutdown().await;
    b.server.shutdown().await;
}
