//! One refusal vocabulary: every refusal code the SQL can raise (every `bc_fail('<code>'` in
//! `functions/`, every limit and entity it names), made to happen by a real call, reaches the
//! caller as exactly the typed `StoreError` that core's `StoreError::from_refusal` gives, batched
//! and unbatched.

mod common;

use booking_core::testkit::{actor, owner, place};
use booking_core::*;
use booking_postgres::{LedgerBooking, PgStore, PgStoreOptions};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Every single-quoted word that follows `marker` in `text`.
fn quoted_after(text: &str, marker: &str) -> Vec<String> {
    text.match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &text[i + marker.len()..];
            rest.find('\'').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// The text of every file in `functions/`.
fn functions_sql() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("functions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{e}"))).collect()
}

/// What the SQL can refuse with: codes, limit names and entity names.
fn raised() -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let sql = functions_sql();
    let codes = quoted_after(&sql, "bc_fail('").into_iter().collect();
    let limits = quoted_after(&sql, "'limit', '").into_iter().collect();
    let mut entities: BTreeSet<String> = quoted_after(&sql, "'entity', '").into_iter().collect();
    // bc_take_show(show, '<entity>', id, ...) names the entity a missing show is reported as.
    for (i, _) in sql.match_indices("bc_take_show(") {
        let call = &sql[i..];
        let args = &call[..call.find(')').unwrap_or(0)];
        if let Some(entity) = quoted_after(args, ", '").first() {
            entities.insert(entity.clone());
        }
    }
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

/// The request to schedule `show` again, on `screen` and at `day` days after its start.
fn reschedule(show: &Show, screen: ScreenId, day: i64) -> NewShow {
    let shift = day * 86_400_000;
    NewShow {
        screen,
        theatre: show.theatre,
        title: show.title.clone(),
        starts_at: show.starts_at.plus_millis(shift),
        ends_at: show.ends_at.plus_millis(shift),
        sales_open_at: show.sales_open_at,
        sales_close_at: show.sales_close_at.plus_millis(shift),
        no_orphan: show.no_orphan,
        tickets_per_owner_max: show.tickets_per_owner_max,
        accessible_until: show.accessible_until,
        time_zone: show.time_zone.clone(),
        layout: show.layout.clone(),
        pricing: show.pricing.clone(),
    }
}

/// Makes every refusal happen on `pg`, one real call each.
async fn every_refusal(pg: PgStore) -> Vec<Case> {
    let f = testkit::fixture(Arc::new(pg.clone())).await;
    let (store, show, now) = (f.engine.store().clone(), f.show.clone(), testkit::T0);
    let seat = |label: &str| {
        let i = show.layout.seats().iter().position(|s| s.label.to_string() == label);
        SeatIdx(i.and_then(|i| u32::try_from(i).ok()).unwrap_or_else(|| panic!("no seat {label}")))
    };
    let lease = |n: u64| (show.id.0 << booking_postgres::LEASE_BITS) + n;
    let mut cases = Vec::new();

    let held = ok(f.hold("ann", &["A1", "A2"]).await, "hold");
    let quote = held.quote.clone();
    let fence = Some(held.fence + 1);
    let release = |who: &str, fence: Option<u64>| ReleaseHold {
        hold: held.id,
        actor: actor(who),
        now,
        expected_fence: fence,
    };
    let missing = ShowId(999_999);
    cases.push(case(
        "a hold on a show that is not there",
        store.place_hold(place(missing, "ann", &[0], now, &quote)).await,
        StoreError::NotFound { entity: "show", id: missing.to_string() },
    ));
    cases.push(case(
        "releasing a hold that is not there",
        store.release_hold(ReleaseHold { hold: HoldId(lease(999)), ..release("ann", None) }).await,
        StoreError::NotFound { entity: "hold", id: HoldId(lease(999)).to_string() },
    ));
    let unknown = BookingId(lease(998));
    let confirm = |booking: BookingId, now: Timestamp, key: &str| ConfirmBooking {
        booking,
        actor: actor("ann"),
        now,
        payment_ref: "pay".into(),
        idempotency_key: key.into(),
    };
    cases.push(case(
        "confirming a booking that is not there",
        store.confirm_booking(confirm(unknown, now, "c0")).await,
        StoreError::NotFound { entity: "booking", id: unknown.to_string() },
    ));
    cases.push(case(
        "a show on a screen that is not there",
        store.schedule_show(reschedule(&show, ScreenId(999_999), 3), now).await,
        StoreError::NotFound { entity: "screen", id: ScreenId(999_999).to_string() },
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
    cases.push(case(
        "releasing someone else's hold",
        store.release_hold(release("bob", None)).await,
        StoreError::NotOwner { what: held.id.to_string() },
    ));
    cases.push(case(
        "releasing with a stale fence",
        store.release_hold(release("ann", fence)).await,
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
    let create = |hold: &Hold, now: Timestamp, key: &str| CreateBooking {
        hold: hold.id,
        actor: actor("ann"),
        now,
        idempotency_key: key.into(),
        payment_window_ms: 600_000,
        expected_fence: None,
    };
    let late = ok(f.hold("ann", &["B1"]).await, "hold");
    cases.push(case(
        "booking an expired hold",
        store.create_booking(create(&late, late.expires_at, "k-late")).await,
        StoreError::HoldExpired { what: late.id.to_string() },
    ));
    let b = ok(store.create_booking(create(&held, now, "k1")).await, "create");
    let other = ok(f.hold("ann", &["B2"]).await, "hold");
    cases.push(case(
        "a create key used again for another hold",
        store.create_booking(create(&other, now, "k1")).await,
        StoreError::IdempotencyConflict,
    ));
    cases.push(case(
        "paying past the deadline",
        store.confirm_booking(confirm(b.id, b.payment_deadline, "c-late")).await,
        StoreError::HoldExpired { what: b.id.to_string() },
    ));
    let end = |booking: BookingId, who: &str, action: BookingAction| EndBooking {
        booking,
        actor: actor(who),
        now,
        action,
    };
    cases.push(case(
        "cancelling someone else's booking",
        store.end_booking(end(b.id, "bob", BookingAction::Cancel)).await,
        StoreError::NotOwner { what: b.id.to_string() },
    ));
    cases.push(case(
        "refunding an unpaid booking",
        store.end_booking(end(b.id, "ann", BookingAction::Refund)).await,
        StoreError::InvalidTransition(InvalidTransition {
            from: BookingStatus::Pending,
            action: BookingAction::Refund,
        }),
    ));
    ok(store.confirm_booking(confirm(b.id, now, "c1")).await, "confirm");
    ok(store.check_in(b.id, seat("A1"), now).await, "check in");
    cases.push(case(
        "checking a ticket in twice",
        store.check_in(b.id, seat("A1"), now).await,
        StoreError::AlreadyCheckedIn { booking: b.id, seat: seat("A1") },
    ));
    cases.push(case(
        "checking in a seat of another booking",
        store.check_in(b.id, seat("A9"), now).await,
        StoreError::InvalidRequest {
            field: "seat".into(),
            reason: format!("seat index {} is not part of {}", seat("A9").0, b.id),
        },
    ));
    cases.push(case(
        "a show over another on its screen",
        store.schedule_show(reschedule(&show, show.screen, 0), now).await,
        StoreError::ShowOverlap { other: show.id },
    ));
    let promo = LedgerBooking {
        show: show.id,
        hold: HoldId(lease(990)),
        owner: &owner("ann"),
        seats: &[seat("C8")],
        quote: &quote,
        hold_expires_at: now.plus_millis(600_000),
        max_expires_at: now.plus_millis(1_800_000),
        now,
        idempotency_key: "k-promo",
        payment_window_ms: 600_000,
        promo: Some(("SPRING", 0)),
        epoch: 0,
        events: &[],
    };
    cases.push(case(
        "a promo code used up",
        pg.ledger_book(promo).await,
        StoreError::PromoExhausted { code: "SPRING".into() },
    ));
    cases.push(case(
        "too many ticks of a show's holds",
        pg.ledger_ticks(show.id, 1 << booking_postgres::LEASE_BITS).await,
        StoreError::LimitExceeded {
            limit: "hold_changes_per_show",
            max: (1 << booking_postgres::LEASE_BITS) - 1,
        },
    ));

    // Refusals that need a show of their own, or the table's counters moved.
    let second = ok(store.schedule_show(reschedule(&show, show.screen, 3), now).await, "second show");
    ok(store.cancel_show(second.id, now).await, "cancel");
    cases.push(case(
        "a hold on a cancelled show",
        store.place_hold(place(second.id, "ann", &[0], now, &quote)).await,
        StoreError::ShowCancelled { show: second.id },
    ));
    cases.push(case(
        "cancelling a show twice",
        store.cancel_show(second.id, now).await,
        StoreError::InvalidRequest {
            field: "show".into(),
            reason: format!("{} is already cancelled", second.id),
        },
    ));
    let third = ok(store.schedule_show(reschedule(&show, show.screen, 6), now).await, "third show");
    let last = 1_i64 << booking_postgres::LEASE_BITS;
    ok(
        sqlx::query("UPDATE bc_show_state SET next_lease = $2 WHERE show_id = $1")
            .bind(third.id.0 as i64)
            .bind(last)
            .execute(pg.pool())
            .await,
        "use up the leases",
    );
    cases.push(case(
        "a hold past the show's last lease number",
        store.place_hold(place(third.id, "ann", &[0], now, &quote)).await,
        StoreError::LimitExceeded { limit: "leases_per_show", max: (1 << booking_postgres::LEASE_BITS) - 1 },
    ));
    ok(
        sqlx::query("ALTER TABLE bc_shows ALTER COLUMN id RESTART WITH 549755813888")
            .execute(pg.pool())
            .await,
        "use up the show ids",
    );
    cases.push(case(
        "a show past the last show id",
        store.schedule_show(reschedule(&show, show.screen, 9), now).await,
        StoreError::LimitExceeded { limit: "shows", max: 549_755_813_887 },
    ));
    cases
}

/// Runs every case on `pg` and checks each answer and that the cases cover what the SQL raises.
async fn check(pg: PgStore) {
    let cases = every_refusal(pg).await;
    for c in &cases {
        assert_eq!(c.got, Err(c.want.clone()), "{}", c.what);
        // The answer is core's reading of the code and details: nothing this crate made up.
        assert_eq!(StoreError::from_refusal(c.want.refusal_code(), &c.want.refusal_details()), c.want);
    }
    let (codes, limits, entities) = raised();
    let code_of = |e: &StoreError| e.refusal_code().to_string();
    let tested: BTreeSet<String> = cases.iter().map(|c| code_of(&c.want)).collect();
    assert_eq!(tested, codes, "refusal codes the SQL raises and the cases that make them happen");
    let tested: BTreeSet<String> = cases
        .iter()
        .filter_map(|c| match &c.want {
            StoreError::LimitExceeded { limit, .. } => Some(limit.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(tested, limits, "limits the SQL names and the cases that reach them");
    let tested: BTreeSet<String> = cases
        .iter()
        .filter_map(|c| match &c.want {
            StoreError::NotFound { entity, .. } => Some(entity.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(tested, entities, "entities the SQL reports missing and the cases that miss them");
}

#[tokio::test]
async fn every_refusal_the_sql_raises_reaches_the_caller_typed_batched() {
    check(common::pg_store_lanes(4, PgStoreOptions::default().batch_lanes).await).await;
}

#[tokio::test]
async fn every_refusal_the_sql_raises_reaches_the_caller_typed_unbatched() {
    check(common::pg_store_unbatched(4).await).await;
}
