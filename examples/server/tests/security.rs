//! Authorization on every route that touches an owner's data, token tampering and expiry,
//! password hashing, rate limits, input limits, and bad input that changes nothing.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_customer_cannot_act_on_another_customers_hold_or_booking() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let (bob, _) = t.customer("bob").await;
    let hold = t.hold(&ann, show, &["A1", "A2"]).await.expect(201);
    let h = hold["id"].as_u64().unwrap_or(0);
    let refused = [
        t.get(&format!("/v1/holds/{h}"), Some(&bob)).await,
        t.post(&format!("/v1/holds/{h}/extend"), Some(&bob), json!({})).await,
        t.delete(&format!("/v1/holds/{h}"), Some(&bob)).await,
        t.post_key("/v1/bookings", &bob, "steal", json!({ "hold": h })).await,
    ];
    // Not yours answers exactly as not found: nothing confirms that Ann's hold exists.
    let missing = |entity: &str, id: u64| {
        json!({ "code": "NOT_FOUND", "message": format!("{entity} {id} not found"),
                "details": { "entity": entity, "id": id.to_string() } })
    };
    for a in refused {
        assert_eq!((a.status.as_u16(), &a.body), (404, &missing("hold", h)));
    }
    let nobody = t.get(&format!("/v1/holds/{}", h ^ 1), Some(&bob)).await;
    assert_eq!((nobody.status.as_u16(), &nobody.body), (404, &missing("hold", h ^ 1)));
    let booking = t.post_key("/v1/bookings", &ann, "mine", json!({ "hold": h })).await.expect(201);
    let b = booking["id"].as_u64().unwrap_or(0);
    let refused = [
        t.get(&format!("/v1/bookings/{b}"), Some(&bob)).await,
        t.post(&format!("/v1/bookings/{b}/pay"), Some(&bob), json!({ "payment_token": "tok_visa" })).await,
        t.post(&format!("/v1/bookings/{b}/cancel"), Some(&bob), json!({})).await,
        t.get(&format!("/v1/bookings/{b}/tickets"), Some(&bob)).await,
    ];
    for a in refused {
        assert_eq!((a.status.as_u16(), &a.body), (404, &missing("booking", b)));
    }
    let others = t.get(&format!("/v1/bookings?user={}", 1), Some(&bob)).await;
    assert_eq!(others.code(), "FORBIDDEN");
    // Nothing happened to Ann's booking; an admin may read it.
    let seen = t.get(&format!("/v1/bookings/{b}"), Some(&t.admin)).await.expect(200);
    assert_eq!(seen["status"], "pending");
    // Paid, its refund and its tickets' codes are Ann's alone too.
    t.post(&format!("/v1/bookings/{b}/pay"), Some(&ann), json!({ "payment_token": "tok_visa" }))
        .await
        .expect(200);
    let refused = [
        t.post(&format!("/v1/bookings/{b}/refund"), Some(&bob), json!({})).await,
        t.post(&format!("/v1/bookings/{b}/cancel"), Some(&bob), json!({})).await,
        t.get(&format!("/v1/bookings/{b}/tickets/A1/qr.svg"), Some(&bob)).await,
        t.get(&format!("/v1/bookings/{b}/tickets/A1/qr.png"), Some(&bob)).await,
    ];
    for a in refused {
        assert_eq!((a.status.as_u16(), &a.body), (404, &missing("booking", b)));
    }
    let seen = t.get(&format!("/v1/bookings/{b}"), Some(&ann)).await.expect(200);
    assert_eq!(seen["status"], "confirmed");
    let qr = t.http.get(t.url(&format!("/v1/bookings/{b}/tickets/A1/qr.svg"))).bearer_auth(&ann).send().await;
    assert_eq!(qr.map(|r| r.status().as_u16()).ok(), Some(200));
    t.server.shutdown().await;
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn sign(secret: &[u8], claims: &serde_json::Value) -> String {
    use hmac::{Hmac, Mac};
    let head = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = b64(claims.to_string().as_bytes());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap_or_else(|e| panic!("{e}"));
    mac.update(format!("{head}.{body}").as_bytes());
    format!("{head}.{body}.{}", b64(&mac.finalize().into_bytes()))
}

#[tokio::test]
async fn public_ids_are_not_sequential_and_map_to_the_engines() {
    use booking_server::public_ids::IdKind;
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let ids: Vec<u64> = [
        t.hold(&ann, show, &["A1"]).await.expect(201),
        t.hold(&ann, show, &["A2"]).await.expect(201),
        t.hold(&ann, show, &["A3"]).await.expect(201),
    ]
    .iter()
    .map(|h| h["id"].as_u64().unwrap_or(0))
    .collect();
    let internal: Vec<u64> = ids.iter().map(|p| t.server.state.ids.reveal(IdKind::Hold, *p)).collect();
    // The engine numbered them in a row; HTTP shows unrelated numbers, each below 2^53.
    assert_eq!((internal[1] - internal[0], internal[2] - internal[1]), (1, 1), "{internal:?}");
    assert!(ids.iter().all(|p| *p < 1 << 53));
    assert!(ids.windows(2).all(|w| w[0].abs_diff(w[1]) > 1 << 20), "{ids:?}");
    let hold = t.server.state.engine.hold_info(booking_core::HoldId(internal[0])).await;
    assert_eq!(hold.map(|h| h.seats.len()).ok(), Some(1));
    // The owner is named by the account's public id, the one /v1/me answers.
    let me = t.get("/v1/me", Some(&ann)).await.expect(200);
    let read = t.get(&format!("/v1/holds/{}", ids[0]), Some(&ann)).await.expect(200);
    assert_eq!(read["owner"], format!("user-{}", me["id"]));
    t.server.shutdown().await;
}

#[tokio::test]
async fn forged_tampered_and_expired_tokens_are_refused() {
    let t = TestServer::start().await;
    let (ann, ann_public) = t.customer("ann").await;
    // Tokens name the account by its internal id; HTTP shows its public one.
    let ann_id = t.server.state.ids.reveal(booking_server::public_ids::IdKind::User, ann_public);
    let secret = booking_server::secrets::from_hex("jwt", JWT_SECRET_HEX).unwrap_or_default();
    let now = booking_server::auth::unix_now_secs();
    let claims = |role: &str, exp: u64| json!({ "sub": ann_id.to_string(), "role": role, "iss": "booking-server", "iat": now, "exp": exp, "jti": "j1", "fam": "f1" });

    assert_eq!(
        t.get("/v1/me", Some(&sign(&secret, &claims("customer", now + 60)))).await.status.as_u16(),
        200
    );
    let cases = [
        ("no token", None),
        ("garbage", Some("not-a-token".to_string())),
        ("expired", Some(sign(&secret, &claims("customer", now - 120)))),
        (
            "forged with another key",
            Some(sign(b"another secret of 32 bytes......", &claims("admin", now + 60))),
        ),
        (
            "unsigned",
            Some(format!(
                "{}.{}.",
                b64(br#"{"alg":"none","typ":"JWT"}"#),
                b64(claims("admin", now + 60).to_string().as_bytes())
            )),
        ),
    ];
    for (what, token) in cases {
        let a = t.get("/v1/me", token.as_deref()).await;
        assert_eq!((a.status.as_u16(), a.code()), (401, "UNAUTHORIZED"), "{what}");
    }
    // A customer's token with its payload swapped for an admin's: the signature no longer holds.
    let parts: Vec<&str> = ann.split('.').collect();
    let tampered =
        format!("{}.{}.{}", parts[0], b64(claims("admin", now + 60).to_string().as_bytes()), parts[2]);
    let a = t.get("/v1/admin/analytics/revenue", Some(&tampered)).await;
    assert_eq!(a.status.as_u16(), 401);
    let a = t.get("/v1/admin/analytics/revenue", Some(&ann)).await;
    assert_eq!(a.status.as_u16(), 403);
    t.server.shutdown().await;
}

#[tokio::test]
async fn passwords_are_argon2id_and_logins_do_not_tell_accounts_apart() {
    let t = TestServer::start().await;
    t.customer("ann").await;
    let user = t.server.state.directory.user_by_email("ann@example.com").await.ok().flatten();
    let hash = user.map(|u| u.password_hash).unwrap_or_default();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    assert!(!hash.contains("correct horse"));
    let wrong = t
        .post("/v1/auth/login", None, json!({ "email": "ann@example.com", "password": "wrong password!" }))
        .await;
    let unknown = t
        .post("/v1/auth/login", None, json!({ "email": "nobody@example.com", "password": "wrong password!" }))
        .await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.body["message"].clone()),
        (401, unknown.body["message"].clone())
    );
    let short = t
        .post(
            "/v1/auth/register",
            None,
            json!({ "email": "b@example.com", "password": "short", "name": "B" }),
        )
        .await;
    assert_eq!((short.status.as_u16(), short.body["details"]["field"].as_str()), (422, Some("password")));
    let taken = t
        .post(
            "/v1/auth/register",
            None,
            json!({ "email": "ANN@example.com", "password": "long enough pw", "name": "A" }),
        )
        .await;
    assert_eq!((taken.status.as_u16(), taken.code()), (409, "EMAIL_TAKEN"));
    t.server.shutdown().await;
}

#[tokio::test]
async fn admins_can_require_a_totp_code() {
    let t = TestServer::start().await;
    let setup = t.post("/v1/me/totp", Some(&t.admin), json!({})).await.expect(200);
    let secret = setup["secret"].as_str().unwrap_or_default().to_string();
    assert!(setup["otpauth_url"].as_str().is_some_and(|u| u.starts_with("otpauth://totp/")));
    let now = booking_server::auth::unix_now_secs();
    let code = booking_server::auth::totp::code_at(&secret, ADMIN_EMAIL, now).unwrap_or_default();
    assert_eq!(
        t.post("/v1/me/totp/confirm", Some(&t.admin), json!({ "code": "000000x" })).await.status.as_u16(),
        422
    );
    t.post("/v1/me/totp/confirm", Some(&t.admin), json!({ "code": code })).await.expect(200);
    let plain =
        t.post("/v1/auth/login", None, json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD })).await;
    assert_eq!((plain.status.as_u16(), plain.body["details"]["field"].as_str()), (401, Some("totp_code")));
    let wrong = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "totp_code": "123456" }),
        )
        .await;
    if code != "123456" {
        assert_eq!(wrong.status.as_u16(), 401);
    }
    // The confirmation used this code: it counts once, so the login takes the next one (one step
    // of skew is allowed), and that one only once too.
    let replayed = json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "totp_code": code });
    let again = t.post("/v1/auth/login", None, replayed).await;
    assert_eq!((again.status.as_u16(), again.body["details"]["field"].as_str()), (401, Some("totp_code")));
    assert!(again.body["message"].as_str().is_some_and(|m| m.contains("used already")), "{}", again.body);
    let next = booking_server::auth::totp::code_at(&secret, ADMIN_EMAIL, now + 30).unwrap_or_default();
    let body = json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "totp_code": next });
    t.post("/v1/auth/login", None, body.clone()).await.expect(200);
    let replay = t.post("/v1/auth/login", None, body).await;
    assert_eq!(replay.status.as_u16(), 401, "a TOTP code is accepted once: {}", replay.body);
    let (ann, _) = t.customer("ann").await;
    assert_eq!(t.post("/v1/me/totp", Some(&ann), json!({})).await.status.as_u16(), 403);
    t.server.shutdown().await;
}

#[tokio::test]
async fn bad_input_gets_a_typed_error_naming_the_field_and_changes_nothing() {
    let mut config = test_config();
    config.body_limit_bytes = 4_096;
    let t = TestServer::start_with(config).await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let before = t.statuses(show).await;
    let holds = format!("/v1/shows/{show}/holds");
    let raw =
        |body: &'static str| t.http.post(t.url(&holds)).header("content-type", "application/json").body(body);

    let cases: Vec<(Answer, u16, &str, Option<&str>)> = vec![
        (t.send(raw("{\"seats\": [\"A1\""), Some(&ann)).await, 400, "INVALID_INPUT", Some("body")),
        (t.send(raw("{\"seats\": [7]}"), Some(&ann)).await, 400, "INVALID_INPUT", Some("seats[0]")),
        (t.send(raw("{\"seat\": [\"A1\"]}"), Some(&ann)).await, 400, "INVALID_INPUT", None),
        (t.send(raw("[]"), Some(&ann)).await, 400, "INVALID_INPUT", None),
        (t.hold(&ann, show, &["Z99"]).await, 422, "INVALID_INPUT", Some("seats[0]")),
        (t.hold(&ann, show, &[]).await, 422, "INVALID_INPUT", Some("seats")),
        (t.hold(&ann, show, &["A1", "A1"]).await, 422, "INVALID_INPUT", Some("seats[1]")),
        (
            t.hold(&ann, show, &["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "B1"]).await,
            422,
            "LIMIT_EXCEEDED",
            None,
        ),
        (
            t.get(&format!("/v1/shows/{show}/best-available?count=-2"), None).await,
            400,
            "INVALID_INPUT",
            Some("query"),
        ),
        (
            t.get(&format!("/v1/shows/{show}/best-available?count=1000000"), None).await,
            422,
            "INVALID_INPUT",
            Some("count"),
        ),
        (
            t.get(&format!("/v1/shows/{show}/best-available?count=0"), None).await,
            422,
            "INVALID_INPUT",
            Some("count"),
        ),
        (t.get("/v1/shows?city=%20", None).await, 400, "INVALID_INPUT", Some("city")),
        (t.get("/v1/theatres?city=", None).await, 400, "INVALID_INPUT", Some("city")),
        (t.get("/v1/shows?date=2026-13-01", None).await, 400, "INVALID_INPUT", Some("date")),
        (t.get("/v1/shows/abc/seats", None).await, 400, "INVALID_INPUT", None),
        (t.get("/v1/shows/999999/seats", None).await, 404, "NOT_FOUND", None),
        (
            t.post(
                &format!("/v1/shows/{show}/holds"),
                Some(&ann),
                json!({ "seats": ["A1"], "promo_code": "" }),
            )
            .await,
            422,
            "INVALID_INPUT",
            Some("promo_code"),
        ),
        (
            t.send(t.http.post(t.url(&holds)).header("content-type", "text/plain").body("A1"), Some(&ann))
                .await,
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            None,
        ),
        (
            t.send(
                t.http
                    .post(t.url(&holds))
                    .header("content-type", "application/json")
                    .body(format!("{{\"seats\": [\"{}\"]}}", "A".repeat(8_000))),
                Some(&ann),
            )
            .await,
            413,
            "PAYLOAD_TOO_LARGE",
            None,
        ),
        (t.get("/v1/nowhere", None).await, 404, "ROUTE_NOT_FOUND", None),
        (t.send(t.http.put(t.url(&holds)), Some(&ann)).await, 405, "METHOD_NOT_ALLOWED", None),
        (
            t.post(
                "/v1/admin/theatres",
                Some(&t.admin),
                json!({ "name": "X", "city": "Y", "time_zone": "Mars/Olympus" }),
            )
            .await,
            422,
            "INVALID_INPUT",
            Some("time_zone"),
        ),
        (
            t.post("/v1/admin/movies", Some(&t.admin), json!({ "title": "X", "runtime_minutes": 0 })).await,
            422,
            "INVALID_INPUT",
            Some("runtime_minutes"),
        ),
        (
            t.post("/v1/admin/movies", Some(&t.admin), json!({ "title": "X\u{0}", "runtime_minutes": 90 }))
                .await,
            422,
            "INVALID_INPUT",
            Some("title"),
        ),
        (
            t.post(
                "/v1/admin/movies",
                Some(&t.admin),
                json!({ "title": "X", "runtime_minutes": 90, "synopsis": "one\ntwo\u{7}" }),
            )
            .await,
            422,
            "INVALID_INPUT",
            Some("synopsis"),
        ),
        (
            t.post(
                "/v1/admin/shows",
                Some(&t.admin),
                json!({ "screen": 1, "title": "X", "starts_at": "tomorrow" }),
            )
            .await,
            400,
            "INVALID_INPUT",
            Some("starts_at"),
        ),
    ];
    for (i, (answer, status, code, field)) in cases.into_iter().enumerate() {
        assert_eq!((answer.status.as_u16(), answer.code()), (status, code), "case {i}: {}", answer.body);
        assert!(answer.body["message"].as_str().is_some_and(|m| !m.is_empty()), "case {i}");
        assert!(answer.body["details"].is_object(), "case {i}: {}", answer.body);
        if let Some(field) = field {
            assert_eq!(answer.body["details"]["field"].as_str(), Some(field), "case {i}: {}", answer.body);
        }
    }
    assert_eq!(t.statuses(show).await, before, "no refused request changed a seat");
    assert!(t.get("/v1/bookings", Some(&ann)).await.expect(200).as_array().is_some_and(|b| b.is_empty()));
    let movies = t.get("/v1/movies", None).await.expect(200);
    assert_eq!(movies.as_array().map(Vec::len), Some(1), "only the show's movie exists: {movies}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn clients_over_their_rate_get_429_with_retry_after() {
    let mut config = test_config();
    config.rate_limit_per_sec = 1;
    config.rate_limit_burst = 3;
    config.login_per_min = 2;
    let t = TestServer::start_with(config).await;
    // Starting the server logged the admin in once.
    let statuses: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(t.get("/v1/theatres", None).await.status.as_u16());
        }
        v
    };
    assert!(statuses.contains(&429), "{statuses:?}");
    let limited = t.get("/v1/theatres", None).await;
    assert_eq!(limited.code(), "RATE_LIMITED");
    assert!(limited.body["details"].is_object(), "{}", limited.body);
    assert!(limited.headers.get("retry-after").is_some());
    let login = t.post("/v1/auth/login", None, json!({ "email": ADMIN_EMAIL, "password": "x" })).await;
    assert_eq!(login.status.as_u16(), 429);
    // Operations routes are not limited.
    assert_eq!(t.get("/healthz", None).await.status.as_u16(), 200);
    t.server.shutdown().await;
}

#[tokio::test]
async fn operations_routes_answer_and_every_documented_route_exists() {
    let t = TestServer::start().await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    t.hold(&ann, show, &["A1"]).await.expect(201);
    assert_eq!(t.get("/healthz", None).await.expect(200)["status"], "ok");
    assert_eq!(t.get("/readyz", None).await.expect(200)["store"], "memory");
    let res = t.http.get(t.url("/metrics")).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(res.headers().get("x-request-id").is_some());
    let text = res.text().await.unwrap_or_default();
    // A client's own request id is kept (to follow one request across services); an unusable
    // one is replaced by the server's.
    let id_of = |r: &reqwest::Response| {
        r.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from)
    };
    let mine = t.http.get(t.url("/healthz")).header("x-request-id", "trace-42").send().await;
    assert_eq!(mine.as_ref().ok().and_then(id_of).as_deref(), Some("trace-42"));
    let long = t.http.get(t.url("/healthz")).header("x-request-id", "x".repeat(65)).send().await;
    let replaced = long.as_ref().ok().and_then(id_of).unwrap_or_default();
    assert!(!replaced.is_empty() && replaced.len() < 65, "{replaced}");
    assert!(text.contains("booking_holds_placed_total 1"), "{text}");
    assert!(text.contains(r#"route="/v1/shows/{id}/holds",status="201""#), "{text}");
    let docs = t
        .http
        .get(t.url("/docs"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(docs.contains("/openapi.json"));

    let doc = t.get("/openapi.json", None).await.expect(200);
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.len() >= 40, "{} paths", paths.len());
    for (path, ops) in paths {
        let concrete = path.replace("{id}", "1").replace("{seat}", "A1").replace("{name}", "app.js");
        for method in ops.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
            let m =
                reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap_or(reqwest::Method::GET);
            if concrete.ends_with("/events") {
                continue; // a stream: checked by the live tests
            }
            let a = t.send(t.http.request(m, t.url(&concrete)), None).await;
            assert!(
                !matches!(a.code(), "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED"),
                "{method} {path}: {}",
                a.body
            );
        }
    }
    t.server.shutdown().await;
}

/// The document `/openapi.json` serves is the one generated from the handlers, and the router
/// and the document agree: every documented operation is routed (it answers, with anything but
/// `ROUTE_NOT_FOUND` or `METHOD_NOT_ALLOWED`), and on every documented path each method the
/// document does not list is refused with `METHOD_NOT_ALLOWED`. A path the document lacks cannot
/// be routed: routes are registered only through utoipa-axum's `routes!`, from the handlers'
/// `#[utoipa::path]` (clippy refuses a plain `route` in this crate, see its clippy.toml).
#[tokio::test]
async fn every_route_of_the_router_is_in_the_generated_document_and_only_those() {
    let t = TestServer::start().await;
    let served = t.get("/openapi.json", None).await.expect(200);
    let generated: serde_json::Value =
        serde_json::from_str(booking_server::routes::openapi_json()).unwrap_or_default();
    assert_eq!(served, generated, "/openapi.json serves the generated document");
    assert!(served["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", served["openapi"]);
    let paths = served["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.len() >= 50, "{} paths", paths.len());
    let mut operations = 0;
    for (path, item) in &paths {
        let concrete = path.replace("{id}", "1").replace("{seat}", "A1").replace("{name}", "app.js");
        for method in ["get", "post", "put", "delete", "patch"] {
            let documented = item.get(method).is_some();
            let m =
                reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap_or(reqwest::Method::GET);
            let a = t.send(t.http.request(m, t.url(&concrete)), None).await;
            let routed = !matches!(a.code(), "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED");
            assert_eq!(routed, documented, "{method} {path}: {}", a.body);
            operations += usize::from(documented);
            // Every operation lists every status it answered here, with a body of its schema.
            if documented {
                let status = a.status.as_u16().to_string();
                assert!(
                    item[method]["responses"].get(&status).is_some(),
                    "{method} {path} answered {status}, undocumented"
                );
            }
        }
    }
    assert!(operations >= 55, "{operations} operations");
    t.server.shutdown().await;
}

/// Every error answers booking-front's shape, `details` an object, whatever refused the request:
/// the edge (rate limit), an extractor (media type, size), the router (no route, no method), the
/// authentication, the roles, or the engine.
#[tokio::test]
async fn every_error_body_has_details_as_an_object() {
    let mut config = test_config();
    config.body_limit_bytes = 256;
    let t = TestServer::start_with(config).await;
    let show = t.show().await;
    let (ann, _) = t.customer("ann").await;
    let holds = format!("/v1/shows/{show}/holds");
    let answers = vec![
        t.get("/v1/me", None).await,
        t.post("/v1/admin/theatres", Some(&ann), json!({ "name": "X", "city": "Y", "time_zone": "UTC" }))
            .await,
        t.get("/v1/nowhere", None).await,
        t.send(t.http.put(t.url(&holds)), Some(&ann)).await,
        t.send(t.http.post(t.url(&holds)).header("content-type", "text/plain").body("A1"), Some(&ann)).await,
        t.post(&holds, Some(&ann), json!({ "seats": ["A1"], "promo_code": "x".repeat(300) })).await,
        t.post_key("/v1/bookings", &ann, "k", json!({ "hold": 999_999 })).await,
    ];
    let codes: Vec<&str> = answers.iter().map(Answer::code).collect();
    assert_eq!(
        codes,
        [
            "UNAUTHORIZED",
            "FORBIDDEN",
            "ROUTE_NOT_FOUND",
            "METHOD_NOT_ALLOWED",
            "UNSUPPORTED_MEDIA_TYPE",
            "PAYLOAD_TOO_LARGE",
            "NOT_FOUND"
        ]
    );
    for a in &answers {
        assert!(a.body["details"].is_object(), "{}", a.body);
        assert!(a.body["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", a.body);
    }
    t.server.shutdown().await;
}
