//! One refusal vocabulary: every refusal the Lua scripts can answer (every `refuse('<code>'` in
//! `lua/`, every limit and entity they name), made to happen by a real call on a real Redis,
//! reaches the caller as exactly the typed `StoreError` that core's `StoreError::from_refusal`
//! gives; and every other reply a script gives is `ok` or one of the signals the store acts on.

mod common;

use booking_core::testkit::{actor, place};
use booking_core::*;
use booking_redis::HybridStore;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The replies that are not answers: the store acts on each and calls again (`src/reply.rs`).
const SIGNALS: [&str; 4] = ["not_ready", "ticks", "backlog", "seeded"];

/// Every word between `open` and the next `close` in `text`.
fn between(text: &str, open: &str, close: char) -> Vec<String> {
    text.match_indices(open)
        .filter_map(|(i, _)| {
            let rest = &text[i + open.len()..];
            rest.find(close).map(|end| rest[..end].to_string())
        })
        .collect()
}

/// The text of every script in `lua/`.
fn scripts() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lua");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{e}"))).collect()
}

/// What the scripts can refuse with: codes, limit names and entity names.
fn raised() -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let lua = scripts();
    let codes = between(&lua, "refuse('", '\'').into_iter().collect();
    let limits = between(&lua, r#""limit":""#, '"').into_iter().collect();
    let entities = between(&lua, r#""entity":""#, '"').into_iter().collect();
    (codes, limits, entities)
}

/// A refusal the store must answer, and the error it must answer with.
struct Case {
    what: &'static str,
    got: Result<(), StoreError>,
    want: StoreError,
}

fn case<T>(what: &'static str, got: StoreResult<T>, want: StoreError) -> Case {
    Case { what, got: got.map(|_| ()), want }
}

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// A second hybrid store on `store`'s schema and Redis keys whose PostgreSQL pool is closed: a
/// booking through it locks its hold on Redis and never hears PostgreSQL's answer.
async fn doomed_twin(store: &HybridStore) -> HybridStore {
    let (schema,): (String,) =
        ok(sqlx::query_as("SELECT current_schema()").fetch_one(store.postgres().pool()).await, "schema");
    let options = booking_postgres::PgStoreOptions { schema: Some(schema), ..Default::default() };
    let pg = ok(booking_postgres::PgStore::connect(&common::pg::database_url(), options).await, "connect");
    // The twin's own key prefix, as the store makes it: the options' prefix and the database's name.
    let mut redis = store.options().clone();
    let instance = ok(pg.ledger_instance().await, "instance");
    redis.key_prefix = ok(
        redis.key_prefix.strip_suffix(&format!("{instance}:")).map(str::to_string).ok_or("prefix"),
        "prefix",
    );
    let twin = ok(HybridStore::connect(pg.clone(), &common::redis_url(), redis).await, "connect twin");
    pg.pool().close().await;
    twin
}

/// Makes every refusal the scripts can answer happen on `hybrid`, one real call each.
async fn every_refusal(hybrid: HybridStore) -> Vec<Case> {
    let doomed = doomed_twin(&hybrid).await;
    let f = testkit::fixture(Arc::new(hybrid.clone())).await;
    let (store, show, now) = (f.engine.store().clone(), f.show.clone(), testkit::T0);
    let seat = |label: &str| {
        let i = show.layout.seats().iter().position(|s| s.label.to_string() == label);
        SeatIdx(i.and_then(|i| u32::try_from(i).ok()).unwrap_or_else(|| panic!("no seat {label}")))
    };
    let lease = |n: u64| HoldId((show.id.0 << booking_postgres::LEASE_BITS) + n);
    let mut cases = Vec::new();

    let held = ok(f.hold("ann", &["A1", "A2"]).await, "hold");
    let quote = held.quote.clone();
    let release = |hold: HoldId, who: &str, fence: Option<u64>| ReleaseHold {
        hold,
        actor: actor(who),
        now,
        expected_fence: fence,
    };
    let missing = lease(999);
    cases.push(case(
        "releasing a hold that is not there",
        store.release_hold(release(missing, "ann", None)).await,
        StoreError::NotFound { entity: "hold", id: missing.to_string() },
    ));
    cases.push(case(
        "reading a hold that is not there",
        store.hold(missing).await,
        StoreError::NotFound { entity: "hold", id: missing.to_string() },
    ));
    let create = |hold: HoldId, now: Timestamp, key: &str| CreateBooking {
        hold,
        actor: actor("ann"),
        now,
        idempotency_key: key.into(),
        payment_window_ms: 600_000,
        expected_fence: None,
    };
    cases.push(case(
        "booking a hold that is not there",
        store.create_booking(create(missing, now, "k-missing")).await,
        StoreError::NotFound { entity: "hold", id: missing.to_string() },
    ));
    cases.push(case(
        "a hold on a held seat",
        store.place_hold(place(show.id, "bob", &[seat("A2").0, seat("A3").0], now, &quote)).await,
        StoreError::SeatUnavailable { seats: vec![seat("A2")] },
    ));
    cases.push(case(
        "a seat outside the layout",
        store.place_hold(place(show.id, "bob", &[9_999], now, &quote)).await,
        StoreError::InvalidRequest {
            field: "seats".into(),
            reason: "seat index 9999 is outside the layout".into(),
        },
    ));
    cases.push(case(
        "a seat twice",
        store.place_hold(place(show.id, "bob", &[seat("A5").0, seat("A5").0], now, &quote)).await,
        StoreError::InvalidRequest {
            field: "seats".into(),
            reason: format!("seat index {} is named twice", seat("A5").0),
        },
    ));
    cases.push(case(
        "a second hold past the owner's limit",
        store
            .place_hold(PlaceHold {
                holds_per_owner_max: 1,
                ..place(show.id, "ann", &[seat("A7").0], now, &quote)
            })
            .await,
        StoreError::LimitExceeded { limit: "holds_per_owner", max: 1 },
    ));
    cases.push(case(
        "a hold past the owner's cap of tickets",
        store
            .place_hold(PlaceHold {
                tickets_per_owner_max: Some(1),
                ..place(show.id, "ann", &[seat("A7").0], now, &quote)
            })
            .await,
        StoreError::LimitExceeded { limit: "tickets_per_owner", max: 1 },
    ));
    cases.push(case(
        "a hold of more places than are free",
        store
            .place_hold(PlaceHold {
                places: vec![ZonePick { zone: 0, first: seat("A1"), capacity: 3, quantity: 2 }],
                ..place(show.id, "bob", &[], now, &quote)
            })
            .await,
        StoreError::PlacesUnavailable { zone: 0, wanted: 2 },
    ));
    cases.push(case(
        "a hold whose no-orphan witness has a taken seat as free",
        store
            .place_hold(PlaceHold {
                witness: SeatWitness { free: vec![seat("A2"), seat("B6")], taken: vec![] },
                ..place(show.id, "bob", &[seat("B5").0], now, &quote)
            })
            .await,
        StoreError::SeatsChanged { seats: vec![seat("A2")] },
    ));
    let taken = ok(store.seats_taken(show.id, now).await, "seats taken");
    cases.push(case(
        "a quote for another count of seats taken",
        store
            .place_hold(PlaceHold {
                taken_band: Some((taken + 1, taken + 10)),
                ..place(show.id, "bob", &[seat("A8").0], now, &quote)
            })
            .await,
        StoreError::Repriced { taken },
    ));
    cases.push(case(
        "releasing someone else's hold",
        store.release_hold(release(held.id, "bob", None)).await,
        StoreError::NotOwner { what: held.id.to_string() },
    ));
    cases.push(case(
        "releasing with a stale fence",
        store.release_hold(release(held.id, "ann", Some(held.fence + 1))).await,
        StoreError::StaleFence { presented: held.fence + 1, current: held.fence },
    ));
    let extend =
        ExtendHold { hold: held.id, actor: actor("ann"), now, extend_by_ms: i64::MAX, expected_fence: None };
    ok(store.extend_hold(extend.clone()).await, "extend to the most");
    cases.push(case(
        "extending a hold at its longest",
        store.extend_hold(extend).await,
        StoreError::LimitExceeded { limit: "hold_lifetime_ms", max: 1_800_000 },
    ));
    let late = ok(f.hold("ann", &["B1"]).await, "hold");
    cases.push(case(
        "booking an expired hold",
        store.create_booking(create(late.id, late.expires_at, "k-late")).await,
        StoreError::HoldExpired { what: late.id.to_string() },
    ));
    let locked = ok(f.hold("ann", &["B2"]).await, "hold");
    let lost = doomed.create_booking(create(locked.id, now, "k-lost")).await;
    assert!(matches!(lost, Err(StoreError::Unavailable { .. })), "{lost:?}");
    cases.push(case(
        "releasing a hold that a booking has locked",
        store.release_hold(release(locked.id, "ann", None)).await,
        StoreError::Unavailable { message: format!("{} is being booked; retry", locked.id) },
    ));

    let second =
        ok(f.engine.schedule_show(testkit::schedule(show.screen, 3)).await.map(|s| s.id), "second show");
    ok(store.cancel_show(second, now).await, "cancel");
    cases.push(case(
        "a hold on a cancelled show",
        store.place_hold(place(second, "ann", &[0], now, &quote)).await,
        StoreError::ShowCancelled { show: second },
    ));
    cases
}

#[tokio::test]
async fn every_refusal_the_scripts_answer_reaches_the_caller_typed() {
    let cases = every_refusal(common::hybrid(&common::redis_url(), 4).await).await;
    for c in &cases {
        assert_eq!(c.got, Err(c.want.clone()), "{}", c.what);
        // The answer is core's reading of the code and details: nothing this crate made up.
        assert_eq!(StoreError::from_refusal(c.want.refusal_code(), &c.want.refusal_details()), c.want);
    }
    let (codes, limits, entities) = raised();
    let tested: BTreeSet<String> = cases.iter().map(|c| c.want.refusal_code().to_string()).collect();
    assert_eq!(tested, codes, "refusal codes the scripts answer and the cases that make them happen");
    let tested: BTreeSet<String> = cases
        .iter()
        .filter_map(|c| match &c.want {
            StoreError::LimitExceeded { limit, .. } => Some(limit.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(tested, limits, "limits the scripts name and the cases that reach them");
    let tested: BTreeSet<String> = cases
        .iter()
        .filter_map(|c| match &c.want {
            StoreError::NotFound { entity, .. } => Some(entity.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(tested, entities, "entities the scripts report missing and the cases that miss them");
}

#[test]
fn every_other_reply_is_ok_or_a_signal() {
    let lua = scripts();
    let words: BTreeSet<String> = between(&lua, "return { '", '\'').into_iter().collect();
    let known: BTreeSet<String> = SIGNALS.iter().chain(&["ok"]).map(|s| s.to_string()).collect();
    assert_eq!(words, known, "a script answers a word that is neither a refusal (refuse) nor a signal");
    // (That each refusal code is core's is the test above: each one reads back as its error.)
    for code in raised().0 {
        assert!(!SIGNALS.contains(&code.as_str()), "{code} is both a refusal and a signal");
    }
}
