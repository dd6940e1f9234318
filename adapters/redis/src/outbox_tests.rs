//! One event encoding: for every kind of event the outbox carries, core's values go through the
//! Lua encoder (`ev_*` in `lua/prelude.lua`, run on a real Redis) and `outbox::decode`, and come
//! out as the same `EventKind`, with core's serde form; no script queues an entry by other means.

use crate::common;
use crate::keys::{hold_id, split_id};
use crate::outbox::decode;
use crate::reply::seat_csv;
use booking_core::{EventKind, HoldId, OwnerId, SeatIdx, ShowId, Timestamp};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The prelude and a function `encode` that runs the encoder named by `ARGV[1]` on the rest.
const ENCODE: &str = r#"
redis.register_function('{LIB}_encode', function(KEYS, ARGV)
  local encoders = { hold_placed = ev_hold_placed, hold_extended = ev_hold_extended,
                     hold_released = ev_hold_released, hold_expired = ev_hold_expired }
  return encoders[ARGV[1]](unpack(ARGV, 2))
end)
"#;

/// The show of the samples: the last show id booking-postgres gives.
const SHOW: ShowId = ShowId(549_755_813_887);

/// One event of each kind the outbox carries, with values at their edges: the show's last hold,
/// an owner that needs escaping in JSON and holds the separator, times at the ends of i64, a
/// seat list of one and of several.
fn samples() -> Vec<EventKind> {
    let last = (1 << booking_postgres::LEASE_BITS) - 1;
    let hold = hold_id(SHOW, last);
    let owner = OwnerId::new("ann \"the\" | \\ buyer é").unwrap_or_else(|e| panic!("{e}"));
    let seats: Arc<[SeatIdx]> = vec![SeatIdx(0), SeatIdx(7), SeatIdx(4_000_000)].into();
    let one: Arc<[SeatIdx]> = vec![SeatIdx(12)].into();
    vec![
        EventKind::HoldPlaced { hold, owner, seats: seats.clone(), expires_at: Timestamp(i64::MAX) },
        EventKind::HoldExtended { hold, expires_at: Timestamp(i64::MIN) },
        EventKind::HoldReleased { hold, seats: one },
        EventKind::HoldExpired { hold, seats },
    ]
}

/// The encoder of `kind` and its arguments after the tick and the time, or `None` for a kind the
/// outbox does not carry. No wildcard: a kind added to core fails to compile here until it is
/// said whether the outbox carries it.
fn encoder(kind: &EventKind) -> Option<(&'static str, Vec<String>)> {
    let number = |h: &HoldId| split_id(h.0).1.to_string();
    Some(match kind {
        EventKind::HoldPlaced { hold, owner, seats, expires_at } => (
            "hold_placed",
            vec![number(hold), expires_at.0.to_string(), seat_csv(seats), owner.as_str().to_string()],
        ),
        EventKind::HoldExtended { hold, expires_at } => {
            ("hold_extended", vec![number(hold), expires_at.0.to_string()])
        }
        EventKind::HoldReleased { hold, seats } => ("hold_released", vec![number(hold), seat_csv(seats)]),
        EventKind::HoldExpired { hold, seats } => ("hold_expired", vec![number(hold), seat_csv(seats)]),
        EventKind::ShowScheduled
        | EventKind::ShowCancelled
        | EventKind::BookingCreated { .. }
        | EventKind::BookingConfirmed { .. }
        | EventKind::BookingExpired { .. }
        | EventKind::BookingCancelled { .. }
        | EventKind::BookingRefunded { .. }
        | EventKind::TicketCheckedIn { .. } => return None,
    })
}

/// The scripts, by name.
fn scripts() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lua");
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
async fn every_outbox_entry_decodes_to_cores_event() {
    let prelude = include_str!("../lua/prelude.lua");
    let code = format!("{prelude}\n{ENCODE}");
    let lib = format!("bct_outbox_{}", &redis::Script::new(&code).get_hash()[..16]);
    let code = format!("#!lua name={lib}\n{}", code.replace("{LIB}", &lib));
    let client = redis::Client::open(common::redis_url()).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("{e}"));
    let loaded: redis::RedisResult<String> =
        redis::cmd("FUNCTION").arg("LOAD").arg("REPLACE").arg(&code).query_async(&mut conn).await;
    loaded.unwrap_or_else(|e| panic!("loading the encoders: {e}"));

    let (tick, at) = (16_777_215_u64, Timestamp(i64::MIN));
    let mut carried = BTreeSet::new();
    for kind in samples() {
        let Some((name, args)) = encoder(&kind) else { panic!("{} is not carried", kind.name()) };
        let entry: String = redis::cmd("FCALL")
            .arg(format!("{lib}_encode"))
            .arg(0)
            .arg(name)
            .arg(tick)
            .arg(at.0)
            .arg(&args)
            .query_async(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let event = decode(SHOW, &entry).unwrap_or_else(|e| panic!("{entry}: {e}"));
        assert_eq!((event.tick, event.at), (tick, at), "{entry}");
        assert_eq!(event.kind, kind, "{entry}");
        let json = |k: &EventKind| serde_json::to_string(k).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json(&event.kind), json(&kind), "{entry}");
        assert_eq!(kind.name(), name);
        carried.insert(name.to_string());
    }
    // One encoder per kind sampled, one sample per encoder.
    let encoders: BTreeSet<String> = prelude
        .match_indices("local function ev_")
        .map(|(i, _)| prelude[i + "local function ev_".len()..].split('(').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(carried, encoders);
}

#[test]
fn no_script_queues_an_entry_by_hand() {
    for (name, lua) in scripts() {
        for (i, _) in lua.match_indices("'RPUSH', Q,") {
            let pushed = lua[i + "'RPUSH', Q,".len()..].trim_start();
            let through_encoder = pushed.starts_with("ev_hold_") || pushed.starts_with("event(");
            assert!(through_encoder, "lua/{name} queues an entry without an encoder: {pushed:.40}");
        }
    }
}
