//! The rules of core that the SQL applies itself (`functions/02_rules.sql`, `functions/01_ids.sql`)
//! fed the same cases as core's definitions, failing on any difference; and the state machine,
//! which the SQL takes from core as edges, checked end to end through the store for every
//! (status, action) pair.

mod common;

use booking_core::testkit::{actor, owner};
use booking_core::*;
use booking_postgres::PgStore;
use std::sync::Arc;

/// Instants and durations at the edges: the ends of i64, around zero, and a small neighbourhood
/// where sums and comparisons meet (1_000 + 1_000 = 2_000, 999 < 1_000 < 1_001).
const EDGES: [i64; 12] =
    [i64::MIN, i64::MIN + 1, -1_000, -1, 0, 1, 999, 1_000, 1_001, 2_000, i64::MAX - 1, i64::MAX];

/// A migrated store, its pool, and a fixture with a pending booking of A1 and A2 on it.
async fn setup() -> (PgStore, testkit::Fixture, Booking) {
    let pg = common::pg_store_with(4).await;
    let f = testkit::fixture(Arc::new(pg.clone())).await;
    let hold = f.hold("ann", &["A1", "A2"]).await.unwrap_or_else(|e| panic!("{e}"));
    let booking =
        f.engine.create_booking(hold.id, actor("ann"), "k", None).await.unwrap_or_else(|e| panic!("{e}"));
    (pg, f, booking)
}

/// Every pair of `EDGES`, as two columns.
fn pairs() -> (Vec<i64>, Vec<i64>) {
    EDGES.iter().flat_map(|&a| EDGES.iter().map(move |&b| (a, b))).unzip()
}

#[tokio::test]
async fn the_id_layout_is_the_same_in_rust_and_sql() {
    let pg = common::pg_store_with(2).await;
    let (bits, show, id): (i32, i64, i64) =
        sqlx::query_as("SELECT bc_lease_bits(), bc_show_of($1), bc_lease_id($2, $3)")
            .bind((77_i64 << booking_postgres::LEASE_BITS) + 5)
            .bind(77_i64)
            .bind(5_i64)
            .fetch_one(pg.pool())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(u32::try_from(bits).ok(), Some(booking_postgres::LEASE_BITS));
    assert_eq!((show, id), (77, (77 << booking_postgres::LEASE_BITS) + 5));
}

#[tokio::test]
async fn bc_live_is_hold_is_live() {
    let (pg, f, _) = setup().await;
    let hold = f.hold("bob", &["A5"]).await.unwrap_or_else(|e| panic!("{e}"));
    let (untils, nows) = pairs();
    let sql: Vec<bool> = sqlx::query_scalar(
        "SELECT bc_live(u, n) FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS t (u, n, i) \
         ORDER BY i",
    )
    .bind(&untils)
    .bind(&nows)
    .fetch_all(pg.pool())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sql.len(), untils.len());
    for ((until, now), live) in untils.iter().zip(&nows).zip(sql) {
        let core = Hold { expires_at: Timestamp(*until), ..hold.clone() }.is_live(Timestamp(*now));
        assert_eq!(live, core, "until {until}, now {now}");
    }
}

#[tokio::test]
async fn bc_status_at_is_booking_status_at() {
    let (pg, _, booking) = setup().await;
    let (mut statuses, mut deadlines, mut nows) = (Vec::new(), Vec::new(), Vec::new());
    for status in BookingStatus::ALL {
        for (deadline, now) in pairs().0.into_iter().zip(pairs().1) {
            statuses.push(status.as_str());
            deadlines.push(deadline);
            nows.push(now);
        }
    }
    let sql: Vec<String> = sqlx::query_scalar(
        "SELECT bc_status_at(s, d, n) \
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS t (s, d, n, i) ORDER BY i",
    )
    .bind(&statuses)
    .bind(&deadlines)
    .bind(&nows)
    .fetch_all(pg.pool())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sql.len(), statuses.len());
    for (i, read) in sql.iter().enumerate() {
        let status = BookingStatus::ALL[i / EDGES.len().pow(2)];
        let b = Booking { status, payment_deadline: Timestamp(deadlines[i]), ..booking.clone() };
        assert_eq!(read, b.status_at(Timestamp(nows[i])).as_str(), "{status:?} {} {}", deadlines[i], nows[i]);
    }
}

#[tokio::test]
async fn bc_plus_millis_is_timestamp_plus_millis() {
    let pg = common::pg_store_with(2).await;
    let (ts, ms) = pairs();
    let sql: Vec<i64> = sqlx::query_scalar(
        "SELECT bc_plus_millis(t, m) FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS x (t, m, i) \
         ORDER BY i",
    )
    .bind(&ts)
    .bind(&ms)
    .fetch_all(pg.pool())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sql.len(), ts.len());
    for ((t, m), sum) in ts.iter().zip(&ms).zip(sql) {
        assert_eq!(sum, Timestamp(*t).plus_millis(*m).0, "{t} + {m}");
    }
}

#[tokio::test]
async fn bc_payment_deadline_is_hold_deadline_of() {
    let pg = common::pg_store_with(2).await;
    let mut cases: [Vec<i64>; 4] = Default::default();
    for e in EDGES {
        for m in EDGES {
            for n in EDGES {
                for w in EDGES {
                    for (column, v) in cases.iter_mut().zip([e, m, n, w]) {
                        column.push(v);
                    }
                }
            }
        }
    }
    let [expires, maxes, nows, windows] = &cases;
    let sql: Vec<i64> = sqlx::query_scalar(
        "SELECT bc_payment_deadline(e, m, n, w) \
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) \
         WITH ORDINALITY AS t (e, m, n, w, i) \
         ORDER BY i",
    )
    .bind(expires)
    .bind(maxes)
    .bind(nows)
    .bind(windows)
    .fetch_all(pg.pool())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sql.len(), EDGES.len().pow(4));
    for (i, deadline) in sql.into_iter().enumerate() {
        let (e, m, n, w) = (expires[i], maxes[i], nows[i], windows[i]);
        let core = Hold::deadline_of(Timestamp(e), Timestamp(m), Timestamp(n), w);
        assert_eq!(deadline, core.0, "expires {e}, max {m}, now {n}, window {w}");
    }
}

/// The edges of `action` as the store passes them: from core's state machine.
fn edges(action: BookingAction) -> (Vec<&'static str>, Vec<&'static str>) {
    action.allowed_from().filter_map(|s| s.apply(action).ok().map(|n| (s.as_str(), n.as_str()))).unzip()
}

/// The typed error of a failed call, decoded as the store decodes refusals.
fn refusal(e: &sqlx::Error) -> StoreError {
    let db = e.as_database_error().unwrap_or_else(|| panic!("not a database error: {e}"));
    assert_eq!(db.code().as_deref(), Some("BC000"), "{e}");
    let detail = db
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .and_then(|p| p.detail())
        .unwrap_or_else(|| panic!("a refusal without details: {e}"));
    let details = serde_json::from_str(detail).unwrap_or_else(|e| panic!("{e}"));
    StoreError::from_refusal(db.message(), &details)
}

#[tokio::test]
async fn bc_transition_given_core_edges_is_booking_status_apply_for_all_30_pairs() {
    let pg = common::pg_store_with(2).await;
    let mut pairs = 0;
    for from in BookingStatus::ALL {
        for action in BookingAction::ALL {
            let (allowed, to) = edges(action);
            let sql: Result<String, _> = sqlx::query_scalar("SELECT bc_transition($1, $2, $3, $4)")
                .bind(from.as_str())
                .bind(action.as_str())
                .bind(&allowed)
                .bind(&to)
                .fetch_one(pg.pool())
                .await;
            let sql = sql.map_err(|e| refusal(&e));
            let core =
                from.apply(action).map(|s| s.as_str().to_string()).map_err(StoreError::InvalidTransition);
            assert_eq!(sql, core, "{from:?} {action:?}");
            pairs += 1;
        }
    }
    assert_eq!(pairs, 30);
}

/// An engine with a manual clock over a fresh store, and a show of 120 seats on sale.
async fn big_show() -> (BookingEngine, ShowId, Seats) {
    let pg = common::pg_store_with(4).await;
    let config = EngineConfig { holds_per_owner_max: 1_000, ..EngineConfig::default() };
    let signer = TicketSigner::new(&[5u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let clock = Arc::new(ManualClock::new(testkit::T0));
    let engine = BookingEngine::new(Arc::new(pg), clock, signer, config).unwrap_or_else(|e| panic!("{e}"));
    let theatre = NewTheatre { name: "Rex".into(), city: "Paris".into(), time_zone: "Europe/Paris".into() };
    let theatre = engine.create_theatre(theatre).await.unwrap_or_else(|e| panic!("{e}"));
    let rows: String = ["A", "B", "C", "D"].iter().map(|r| format!("row {r}: 1-30\n")).collect();
    let layout = SeatLayout::parse_text(&format!("section Main category=standard\n{rows}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let screen = engine.add_screen(theatre.id, "One", layout).await.unwrap_or_else(|e| panic!("{e}"));
    let show = engine.schedule_show(testkit::schedule(screen.id, 1)).await.unwrap_or_else(|e| panic!("{e}"));
    let labels = show.layout.seats().iter().map(|s| s.label.to_string()).collect();
    (engine, show.id, Seats { labels, next: 0 })
}

/// Seat labels of a show, two fresh ones at a time.
struct Seats {
    labels: Vec<String>,
    next: usize,
}

impl Seats {
    fn two(&mut self) -> Vec<SeatChoice> {
        self.next += 2;
        self.labels[self.next - 2..self.next].iter().map(|l| SeatChoice::new(l)).collect()
    }
}

/// A booking of two fresh seats brought to `status` through the engine (an expired one by a sweep
/// past its deadline).
async fn booking_in(
    engine: &BookingEngine,
    show: ShowId,
    seats: &mut Seats,
    status: BookingStatus,
) -> Booking {
    let key = format!("{status:?}-{}", seats.next);
    let req = HoldRequest {
        places: Vec::new(),
        show,
        owner: owner("ann"),
        seats: seats.two(),
        promo_code: None,
        accessible: false,
    };
    let hold = engine.hold(req).await.unwrap_or_else(|e| panic!("{e}"));
    let b = engine.create_booking(hold.id, actor("ann"), &key, None).await.unwrap_or_else(|e| panic!("{e}"));
    let store = engine.store();
    match status {
        BookingStatus::Pending => b,
        BookingStatus::Expired => {
            store.sweep_expired(b.payment_deadline, 1_000).await.unwrap_or_else(|e| panic!("{e}"));
            store.booking(b.id).await.unwrap_or_else(|e| panic!("{e}"))
        }
        BookingStatus::Cancelled => {
            engine.cancel_booking(b.id, actor("ann")).await.unwrap_or_else(|e| panic!("{e}"))
        }
        BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Refunded => {
            let done = engine
                .confirm_booking(b.id, actor("ann"), "pay", &format!("{key}-pay"))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            match status {
                BookingStatus::CheckedIn => {
                    store.check_in(b.id, b.seats[0], b.created_at).await.unwrap_or_else(|e| panic!("{e}"))
                }
                BookingStatus::Refunded => {
                    engine.refund_booking(b.id, Actor::Staff).await.unwrap_or_else(|e| panic!("{e}"))
                }
                _ => done.booking,
            }
        }
    }
}

/// `action` on booking `b` at `now`, through the store's own call for it.
async fn act(store: &DynStore, b: &Booking, action: BookingAction, now: Timestamp) -> StoreResult<Booking> {
    let key = format!("{action:?}-{}", b.id.0);
    match action {
        BookingAction::Confirm => {
            let req = ConfirmBooking {
                booking: b.id,
                actor: actor("ann"),
                now,
                payment_ref: "pay".into(),
                idempotency_key: key,
            };
            store.confirm_booking(req).await
        }
        // The seat a checked-in booking has not checked in yet.
        BookingAction::CheckIn => store.check_in(b.id, b.seats[1], now).await,
        BookingAction::Cancel | BookingAction::Refund => {
            store.end_booking(EndBooking { booking: b.id, actor: actor("ann"), now, action }).await
        }
        BookingAction::Expire => {
            store.sweep_expired(now, 1_000).await?;
            store.booking(b.id).await
        }
    }
}

/// What core says `action` does to `b` at `now`: the memory store's reading of the same rules (a
/// payment for a pending booking past its deadline is too late, not a transition).
fn expected(b: &Booking, action: BookingAction, now: Timestamp) -> StoreResult<BookingStatus> {
    let from = b.status_at(now);
    match action {
        BookingAction::Confirm if from != b.status => Err(StoreError::HoldExpired { what: b.id.to_string() }),
        // A sweep stores what a booking reads as; a booking that reads as it is stays.
        BookingAction::Expire => Ok(from),
        _ => from.apply(action).map_err(StoreError::InvalidTransition),
    }
}

#[tokio::test]
async fn every_status_and_action_through_the_store_follows_the_state_machine() {
    let (engine, show, mut seats) = big_show().await;
    let mut pairs = 0;
    for status in BookingStatus::ALL {
        for action in BookingAction::ALL {
            let b = booking_in(&engine, show, &mut seats, status).await;
            assert_eq!(b.status, status);
            // Before the deadline: the booking reads as it is stored.
            let now = b.created_at.plus_millis(1);
            let got = act(engine.store(), &b, action, now).await.map(|b| b.status);
            assert_eq!(got, expected(&b, action, now), "{status:?} {action:?}");
            pairs += 1;
        }
    }
    assert_eq!(pairs, 30);
}

#[tokio::test]
async fn a_pending_booking_at_and_just_before_its_deadline_reads_as_core_says() {
    let (engine, show, mut seats) = big_show().await;
    for action in BookingAction::ALL {
        for before in [1, 0] {
            let b = booking_in(&engine, show, &mut seats, BookingStatus::Pending).await;
            let now = b.payment_deadline.plus_millis(-before);
            let got = act(engine.store(), &b, action, now).await.map(|b| b.status);
            assert_eq!(got, expected(&b, action, now), "{action:?} {before} ms before the deadline");
        }
    }
}

#[tokio::test]
async fn a_sweep_ends_what_core_reads_as_ended() {
    let (pg, f, booking) = setup().await;
    let hold = f.hold("bob", &["A5"]).await.unwrap_or_else(|e| panic!("{e}"));
    let mut instants = vec![
        hold.expires_at.plus_millis(-1),
        hold.expires_at,
        booking.payment_deadline.plus_millis(-1),
        booking.payment_deadline,
    ];
    instants.sort();
    for now in instants {
        f.engine.store().sweep_expired(now, 100).await.unwrap_or_else(|e| panic!("{e}"));
        let kept = pg.hold(hold.id).await.is_ok();
        assert_eq!(kept, hold.is_live(now), "the hold at {now:?}");
        let stored = pg.booking(booking.id).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stored.status, booking.status_at(now), "the booking at {now:?}");
    }
}
