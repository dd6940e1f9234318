//! The rules of core that the Lua applies itself (the "Rules" of `lua/prelude.lua`: a lease live
//! at `now`, a seat's cell taken at `now`, an owner's live holds, a hold's extension) fed the same
//! cases as core's definitions through a real Redis, edges of i64 included, failing on any
//! difference; and the same edges through the whole store, against the memory store (and the
//! PostgreSQL store, whose SQL has its own copy of the extension).

mod common;

use booking_core::testkit::actor;
use booking_core::*;
use std::sync::Arc;

/// Instants and durations at the edges: the ends of i64, around zero, a small neighbourhood where
/// sums and comparisons meet (1_000 + 1_000 = 2_000, 999 < 1_000 < 1_001), and around 2^53,
/// where doubles stop being exact.
const EDGES: [i64; 16] = [
    i64::MIN,
    i64::MIN + 1,
    -1_000,
    -1,
    0,
    1,
    999,
    1_000,
    1_001,
    2_000,
    (1 << 53) - 1,
    1 << 53,
    (1 << 53) + 1,
    i64::MAX - 2,
    i64::MAX - 1,
    i64::MAX,
];

/// Cases sent in one call.
const BATCH: usize = 4_000;

/// The prelude and a function `rules` that applies one of its rules to each case of a call:
/// `rule, a1, b1, a2, b2, ...`.
const RULES: &str = r#"
redis.register_function('{LIB}_rules', function(KEYS, ARGV)
  local rule, out = ARGV[1], {}
  if rule == 'taken' then
    for i = 2, #ARGV, 2 do out[#out + 1] = taken(ARGV[i], ARGV[i + 1]) and 1 or 0 end
  elseif rule == 'live_count' then
    for i = 2, #ARGV, 2 do out[#out + 1] = live_count(ARGV[i], ARGV[i + 1]) end
  elseif rule == 'extension' then
    for i = 2, #ARGV, 4 do
      local wanted, lifetime = extension(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
      if wanted == false then out[#out + 1] = 'lifetime ' .. lifetime else out[#out + 1] = wanted or 'same' end
    end
  end
  return out
end)
"#;

/// A connection to the test Redis with the rules library loaded, and the function's name.
async fn rules_library() -> (redis::aio::MultiplexedConnection, String) {
    let code = format!("{}\n{RULES}", include_str!("../lua/prelude.lua"));
    // Named after its code, as the store's own library: runs of other versions keep theirs.
    let lib = format!("bct_rules_{}", &redis::Script::new(&code).get_hash()[..16]);
    let code = format!("#!lua name={lib}\n{}", code.replace("{LIB}", &lib));
    let client = redis::Client::open(common::redis_url()).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("{e}"));
    let loaded: redis::RedisResult<String> =
        redis::cmd("FUNCTION").arg("LOAD").arg("REPLACE").arg(&code).query_async(&mut conn).await;
    loaded.unwrap_or_else(|e| panic!("loading the rules: {e}"));
    (conn, format!("{lib}_rules"))
}

/// What the Lua's `rule` answers for each case (each a list of arguments), batch by batch.
async fn lua<T: redis::FromRedisValue>(rule: &str, cases: &[Vec<String>]) -> Vec<T> {
    let (mut conn, function) = rules_library().await;
    let mut out = Vec::with_capacity(cases.len());
    for batch in cases.chunks(BATCH) {
        let mut cmd = redis::cmd("FCALL");
        cmd.arg(&function).arg(0).arg(rule);
        for case in batch {
            cmd.arg(case);
        }
        let answers: Vec<T> = cmd.query_async(&mut conn).await.unwrap_or_else(|e| panic!("{rule}: {e}"));
        assert_eq!(answers.len(), batch.len(), "{rule}: one answer per case");
        out.extend(answers);
    }
    out
}

fn t(ms: i64) -> Timestamp {
    Timestamp(ms)
}

#[tokio::test]
async fn taken_is_seat_occupant_is_taken_and_hold_is_live() {
    let (booking, hold) = (BookingId(7), HoldId(7));
    let mut cases = Vec::new();
    let mut core = Vec::new();
    for until in EDGES {
        for now in EDGES {
            let held = SeatOccupant::Held { hold, until: t(until) };
            // A hold's cell lasts as the hold does.
            assert_eq!(held.is_taken(t(now)), t(now) < t(until));
            cases.push(vec![format!("h7:{until}"), now.to_string()]);
            core.push(held.is_taken(t(now)));
            cases.push(vec![format!("p7:{until}"), now.to_string()]);
            core.push(SeatOccupant::Pending { booking, until: t(until) }.is_taken(t(now)));
        }
        // Cells that do not end by themselves, and free ones, at every instant.
        let now = until;
        for (cell, occupant) in [
            ("s7:", SeatOccupant::Sold { booking }),
            ("s7:m", SeatOccupant::Sold { booking }),
            ("", SeatOccupant::Free),
        ] {
            cases.push(vec![cell.to_string(), now.to_string()]);
            core.push(occupant.is_taken(t(now)));
        }
        // A blocked seat is never for sale, and a hold locked for its booking keeps its seats
        // until PostgreSQL has answered, whatever the time. (Core has no occupant for the
        // latter: `seat_occupancy` shows it as held until `Timestamp::MAX`, "never expires",
        // which `is_taken` reads as free at that one instant.)
        for cell in ["x", "c7:"] {
            cases.push(vec![cell.to_string(), now.to_string()]);
            core.push(true);
        }
    }
    let got: Vec<i64> = lua("taken", &cases).await;
    for ((case, lua), core) in cases.iter().zip(got).zip(core) {
        assert_eq!(lua == 1, core, "cell {:?} at {}", case[0], case[1]);
    }
}

/// A hold that expires at `expires_at`, of `f`'s show.
fn hold_until(f: &Hold, expires_at: i64) -> Hold {
    Hold { expires_at: t(expires_at), ..f.clone() }
}

#[tokio::test]
async fn live_count_counts_the_holds_core_says_are_live() {
    let f = testkit::fixture(Arc::new(MemoryStore::new())).await;
    let sample = f.hold("ann", &["A1"]).await.unwrap_or_else(|e| panic!("{e}"));
    // Owners' lists of every edge, of each edge alone, and of three edges in a row.
    let mut lists: Vec<Vec<i64>> = vec![EDGES.to_vec()];
    lists.extend(EDGES.iter().map(|&e| vec![e]));
    lists.extend(EDGES.windows(3).map(<[i64]>::to_vec));
    let (mut cases, mut core) = (Vec::new(), Vec::new());
    for list in &lists {
        let text: Vec<String> = list.iter().enumerate().map(|(i, e)| format!("{}:{e}", i + 1)).collect();
        for now in EDGES {
            cases.push(vec![text.join(","), now.to_string()]);
            core.push(list.iter().filter(|&&e| hold_until(&sample, e).is_live(t(now))).count() as i64);
        }
    }
    let got: Vec<i64> = lua("live_count", &cases).await;
    for ((case, lua), core) in cases.iter().zip(got).zip(core) {
        assert_eq!(lua, core, "list {:?} at {}", case[0], case[1]);
    }
}

#[tokio::test]
async fn extension_is_hold_extension_of() {
    let (mut cases, mut core) = (Vec::new(), Vec::new());
    for placed in EDGES {
        for expires in EDGES {
            for max in EDGES {
                for now in EDGES {
                    for by in EDGES {
                        // The store passes now + extend_by as core computes it.
                        let until = t(now).plus_millis(by);
                        cases.push(vec![
                            placed.to_string(),
                            expires.to_string(),
                            max.to_string(),
                            until.0.to_string(),
                        ]);
                        core.push(match Hold::extension_of(t(placed), t(expires), t(max), t(now), by) {
                            Ok(Some(to)) => to.0.to_string(),
                            Ok(None) => "same".to_string(),
                            Err(StoreError::LimitExceeded { max, .. }) => format!("lifetime {max}"),
                            Err(e) => panic!("{e}"),
                        });
                    }
                }
            }
        }
    }
    let got: Vec<String> = lua("extension", &cases).await;
    assert_eq!(got.len(), EDGES.len().pow(5));
    for ((case, lua), core) in cases.iter().zip(got).zip(core) {
        assert_eq!(lua, core, "placed, expires, max, now + extend_by: {case:?}");
    }
}

/// What a store answers, with the ids that differ between stores taken out: a hold as its seats
/// and times, an error as its code and details with the hold's name replaced.
fn seen(r: StoreResult<Hold>, id: HoldId) -> String {
    match r {
        Ok(h) => format!("ok {:?} {} {} {}", h.seats, h.placed_at.0, h.expires_at.0, h.max_expires_at.0),
        Err(e) => format!("{} {}", e.refusal_code(), e.refusal_details()).replace(&id.to_string(), "<hold>"),
    }
}

/// Places holds by hand at instants around `base` (the engine would not: its clock is not
/// there), then extends, counts, holds over, releases and limits them as time goes by, on
/// `store`; every answer, in order.
async fn walk(store: DynStore, base: i64) -> Vec<String> {
    let f = testkit::fixture(store.clone()).await;
    let sample = f.hold("zed", &["C8"]).await.unwrap_or_else(|e| panic!("{e}"));
    let seat = |label: &str| {
        let i = f.show.layout.seats().iter().position(|s| s.label.to_string() == label);
        SeatIdx(i.and_then(|i| u32::try_from(i).ok()).unwrap_or_else(|| panic!("no seat {label}")))
    };
    let at = |d: i64| t(base).plus_millis(d);
    let place = |who: &str, label: &str, now: i64, expires: i64, max: i64| PlaceHold {
        expires_at: at(expires),
        max_expires_at: at(max),
        holds_per_owner_max: 2,
        tickets_per_owner_max: None,
        ..testkit::place(f.show.id, who, &[seat(label).0], at(now), &sample.quote)
    };
    let mut out = Vec::new();
    let held = store.place_hold(place("ann", "A1", -4, 2, 6)).await;
    let id = held.as_ref().map(|h| h.id).unwrap_or_else(|e| panic!("{e}"));
    out.push(seen(held, id));
    let extend = |now: i64, by: i64| ExtendHold {
        hold: id,
        actor: actor("ann"),
        now: at(now),
        extend_by_ms: by,
        expected_fence: None,
    };
    let taken_at = async |now: i64, out: &mut Vec<String>| {
        out.push(format!("taken at {now}: {:?}", store.seats_taken(f.show.id, at(now)).await));
    };
    // The sample hold, long expired at these instants, counts nowhere.
    taken_at(-4, &mut out).await;
    for (now, by) in [(-3, 1), (-3, 6)] {
        out.push(seen(store.extend_hold(extend(now, by)).await, id));
    }
    out.push(seen(store.place_hold(place("bob", "A1", 1, 2, 3)).await, id));
    for now in [1, 2, 3] {
        taken_at(now, &mut out).await;
    }
    for (now, by) in [(2, i64::MAX), (2, i64::MAX)] {
        out.push(seen(store.extend_hold(extend(now, by)).await, id));
    }
    // Ann's limit of two live holds, counted at each instant.
    let second = store.place_hold(place("ann", "A3", 3, 5, 5)).await;
    let second_id = second.as_ref().map(|h| h.id).unwrap_or_else(|e| panic!("{e}"));
    out.push(seen(second, id));
    out.push(seen(store.place_hold(place("ann", "A5", 3, 4, 4)).await, id));
    taken_at(4, &mut out).await;
    let release = ReleaseHold { hold: second_id, actor: actor("ann"), now: at(4), expected_fence: None };
    out.push(seen(store.release_hold(release).await, id));
    taken_at(4, &mut out).await;
    out.push(seen(store.place_hold(place("ann", "A5", 4, 5, 5)).await, id));
    out.push(seen(store.extend_hold(extend(5, 1)).await, id));
    for now in [5, 6] {
        taken_at(now, &mut out).await;
    }
    // A sweep ends what has expired, not ann's hold an instant before its end.
    let swept = async |now: i64, out: &mut Vec<String>| {
        let report = store.sweep_expired(at(now), 100).await.map(|r| r.holds_expired);
        out.push(format!("swept at {now}: {report:?}"));
    };
    swept(5, &mut out).await;
    out.push(seen(store.extend_hold(extend(6, 1)).await, id));
    out.push(seen(store.place_hold(place("cy", "A1", 6, 7, 7)).await, id));
    swept(7, &mut out).await;
    out.push(seen(store.extend_hold(extend(7, 1)).await, id));
    out
}

#[tokio::test]
async fn the_store_at_the_edges_answers_as_the_memory_store() {
    // Past 2^53 (where doubles round), and at the very end of time, where sums saturate.
    for base in [(1 << 53) + 1, i64::MAX - 6] {
        let memory = walk(Arc::new(MemoryStore::new()), base).await;
        let hybrid = walk(common::store().await, base).await;
        assert_eq!(hybrid, memory, "at {base}");
        let postgres = walk(Arc::new(common::pg::pg_store_with(4).await), base).await;
        assert_eq!(postgres, memory, "PostgreSQL at {base}");
    }
}
