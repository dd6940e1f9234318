//! One event encoder: for every kind of core's `EventKind`, the SQL constructor
//! (`functions/03_events.sql`) builds the JSON that core's serde writes for the same values, and
//! it reads back as the same `EventKind`. No other function file builds an event by hand.

mod common;

use booking_core::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

/// One event of each kind, with values at their edges: large ids, an owner and a payment reference
/// that need escaping, a negative total, a seat list of one and of several.
fn samples() -> Vec<EventKind> {
    let last = (1 << booking_postgres::LEASE_BITS) - 1;
    let hold = HoldId((549_755_813_887 << booking_postgres::LEASE_BITS) + last);
    let booking = BookingId((3 << booking_postgres::LEASE_BITS) + 1);
    let owner = OwnerId::new("ann \"the\" \\ buyer é").unwrap_or_else(|e| panic!("{e}"));
    let seats: Arc<[SeatIdx]> = vec![SeatIdx(0), SeatIdx(7), SeatIdx(4_000_000)].into();
    let one: Arc<[SeatIdx]> = vec![SeatIdx(12)].into();
    let total = Money::new(-1_234, Currency::EUR);
    vec![
        EventKind::ShowScheduled,
        EventKind::ShowCancelled,
        EventKind::HoldPlaced {
            hold,
            owner: owner.clone(),
            seats: seats.clone(),
            expires_at: Timestamp(i64::MAX),
        },
        EventKind::HoldExtended { hold, expires_at: Timestamp(-1) },
        EventKind::HoldReleased { hold, seats: one.clone() },
        EventKind::HoldExpired { hold, seats: seats.clone() },
        EventKind::BookingCreated {
            booking,
            hold,
            owner,
            seats: seats.clone(),
            payment_deadline: Timestamp(1_893_456_000_000),
            total,
        },
        EventKind::BookingConfirmed {
            booking,
            seats: seats.clone(),
            payment_ref: "pay \"42\" ✓".into(),
            total,
        },
        EventKind::BookingExpired { booking, seats: one },
        EventKind::BookingCancelled { booking, seats: seats.clone(), from: BookingStatus::Confirmed },
        EventKind::BookingRefunded {
            booking,
            seats,
            total: Money::new(0, Currency::new("JPY").unwrap_or_else(|e| panic!("{e}"))),
        },
        EventKind::TicketCheckedIn { booking, seat: SeatIdx(4_000_000) },
    ]
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or_else(|e| panic!("{e}"))
}

fn seats_of(seats: &[SeatIdx]) -> Vec<i32> {
    seats.iter().map(|s| i32::try_from(s.0).unwrap_or_else(|e| panic!("{e}"))).collect()
}

fn json_text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| panic!("{e}"))
}

/// The JSON text the SQL constructor of `kind`'s kind builds from `kind`'s values. The match has
/// no wildcard: a kind added to core fails to compile here until it has its constructor.
async fn sql_json(pool: &sqlx::PgPool, kind: &EventKind) -> String {
    let q = |sql: &'static str| sqlx::query_scalar::<_, String>(sql);
    let query = match kind {
        EventKind::ShowScheduled => q("SELECT bc_ev_show_scheduled()::text"),
        EventKind::ShowCancelled => q("SELECT bc_ev_show_cancelled()::text"),
        EventKind::HoldPlaced { hold, owner, seats, expires_at } => {
            q("SELECT bc_ev_hold_placed($1, $2, $3, $4)::text")
                .bind(i64_of(hold.0))
                .bind(owner.as_str().to_string())
                .bind(seats_of(seats))
                .bind(expires_at.0)
        }
        EventKind::HoldExtended { hold, expires_at } => {
            q("SELECT bc_ev_hold_extended($1, $2)::text").bind(i64_of(hold.0)).bind(expires_at.0)
        }
        EventKind::HoldReleased { hold, seats } => {
            q("SELECT bc_ev_hold_released($1, $2)::text").bind(i64_of(hold.0)).bind(seats_of(seats))
        }
        EventKind::HoldExpired { hold, seats } => {
            q("SELECT bc_ev_hold_expired($1, $2)::text").bind(i64_of(hold.0)).bind(seats_of(seats))
        }
        EventKind::BookingCreated { booking, hold, owner, seats, payment_deadline, total } => {
            q("SELECT bc_ev_booking_created($1, $2, $3, $4, $5, $6::json)::text")
                .bind(i64_of(booking.0))
                .bind(i64_of(hold.0))
                .bind(owner.as_str().to_string())
                .bind(seats_of(seats))
                .bind(payment_deadline.0)
                .bind(json_text(total))
        }
        EventKind::BookingConfirmed { booking, seats, payment_ref, total } => {
            q("SELECT bc_ev_booking_confirmed($1, $2, $3, $4::json)::text")
                .bind(i64_of(booking.0))
                .bind(seats_of(seats))
                .bind(payment_ref.clone())
                .bind(json_text(total))
        }
        EventKind::BookingExpired { booking, seats } => {
            q("SELECT bc_ev_booking_expired($1, $2)::text").bind(i64_of(booking.0)).bind(seats_of(seats))
        }
        EventKind::BookingCancelled { booking, seats, from } => {
            q("SELECT bc_ev_booking_cancelled($1, $2, $3)::text")
                .bind(i64_of(booking.0))
                .bind(seats_of(seats))
                .bind(from.as_str())
        }
        EventKind::BookingRefunded { booking, seats, total } => {
            q("SELECT bc_ev_booking_refunded($1, $2, $3::json)::text")
                .bind(i64_of(booking.0))
                .bind(seats_of(seats))
                .bind(json_text(total))
        }
        EventKind::TicketCheckedIn { booking, seat } => q("SELECT bc_ev_ticket_checked_in($1, $2)::text")
            .bind(i64_of(booking.0))
            .bind(seats_of(&[*seat])[0]),
    };
    query.fetch_one(pool).await.unwrap_or_else(|e| panic!("{}: {e}", kind.name()))
}

/// The function files, by name.
fn function_files() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("functions");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            (name, std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}")))
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn every_sql_event_constructor_builds_cores_serde_form() {
    let pg = common::pg_store_with(2).await;
    let samples = samples();
    for kind in &samples {
        let text = sql_json(pg.pool(), kind).await;
        let sql: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let core = serde_json::to_value(kind).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sql, core, "{}", kind.name());
        let decoded: EventKind = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(&decoded, kind);
        // Keys in serde's order too: the log keeps the JSON text as built.
        let keys =
            |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let core_text: Value = serde_json::from_str(&json_text(kind)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(keys(&sql), keys(&core_text), "{}", kind.name());
    }
    // One sample per constructor, one constructor per sample.
    let sampled: BTreeSet<String> = samples.iter().map(|k| format!("bc_ev_{}", k.name())).collect();
    let constructors: BTreeSet<String> = function_files()
        .iter()
        .flat_map(|(_, sql)| {
            sql.match_indices("FUNCTION bc_ev_")
                .map(|(i, _)| sql[i + "FUNCTION ".len()..].split('(').next().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(sampled, constructors);
}

#[tokio::test]
async fn no_function_builds_an_event_by_hand() {
    for (name, sql) in function_files() {
        if name.ends_with("_events.sql") {
            continue;
        }
        for hand_built in ["'type',", "\"type\""] {
            assert!(!sql.contains(hand_built), "functions/{name} builds an event by hand ({hand_built})");
        }
    }
}

#[tokio::test]
async fn the_log_holds_what_the_constructors_build() {
    // Every event a store appends reads back through serde: a round of operations of each kind.
    let pg = common::pg_store_with(4).await;
    let f = testkit::fixture(Arc::new(pg)).await;
    let hold = f.hold("ann", &["A1", "A2"]).await.unwrap_or_else(|e| panic!("{e}"));
    let b = f.engine.create_booking(hold.id, testkit::actor("ann"), "k", None).await;
    let b = b.unwrap_or_else(|e| panic!("{e}"));
    let done = f.engine.confirm_booking(b.id, testkit::actor("ann"), "pay", "c").await;
    let done = done.unwrap_or_else(|e| panic!("{e}"));
    f.engine.check_in(&done.tickets[0].code).await.unwrap_or_else(|e| panic!("{e}"));
    let events = f.events().await;
    let names: Vec<&str> = events.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        names,
        ["show_scheduled", "hold_placed", "booking_created", "booking_confirmed", "ticket_checked_in"]
    );
    f.assert_log_replays().await;
}
