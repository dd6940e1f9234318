//! The per-show outbox: events of holds queued in Redis, in tick order, on their way into the
//! PostgreSQL log. Entries are `kind|tick|at|hold|...` with the owner last (it may hold a `|`):
//! `P|tick|at|hold|expires|seats|owner`, `X|tick|at|hold|expires`, `R|tick|at|hold|seats`,
//! `E|tick|at|hold|seats`, each written by its one encoder in `lua/prelude.lua` (`ev_*`).
//!
//! A compact form, not core's serde JSON: an entry names its hold by its number within the show,
//! and this decoder makes the id (`keys::hold_id`), since a full id passes 2^53 and Lua's numbers
//! are doubles. JSON in Lua would need the id made there too, and a string escaper written to
//! match serde's (cjson's differs), held to serde by a test all the same; it measured no cheaper
//! in Redis time and takes twice the bytes per queued event (benches/README.md, "Redis scripts
//! against core's words"). `outbox_tests.rs` holds every encoder with this decoder to core's
//! `EventKind` and its serde form.

use crate::keys::hold_id;
use crate::reply::seat_list;
use booking_core::{EventKind, OwnerId, ShowId, StoreError, StoreResult, Timestamp};
use booking_postgres::LedgerEvent;

fn corrupt(entry: &str) -> StoreError {
    StoreError::Backend { message: format!("redis: malformed outbox entry {entry:?}") }
}

/// Decodes one entry.
pub(crate) fn decode(show: ShowId, entry: &str) -> StoreResult<LedgerEvent> {
    let mut f = entry.splitn(7, '|');
    let mut next = || f.next().ok_or_else(|| corrupt(entry));
    let kind = next()?;
    let num = |s: &str| s.parse::<i64>().map_err(|_| corrupt(entry));
    let tick = num(next()?)? as u64;
    let at = Timestamp(num(next()?)?);
    let hold = hold_id(show, num(next()?)? as u64);
    let kind = match kind {
        "P" => {
            let expires_at = Timestamp(num(next()?)?);
            let seats = seat_list(next()?)?.into();
            let owner = OwnerId::new(next()?).map_err(|_| corrupt(entry))?;
            EventKind::HoldPlaced { hold, owner, seats, expires_at }
        }
        "X" => EventKind::HoldExtended { hold, expires_at: Timestamp(num(next()?)?) },
        "R" => EventKind::HoldReleased { hold, seats: seat_list(next()?)?.into() },
        "E" => EventKind::HoldExpired { hold, seats: seat_list(next()?)?.into() },
        _ => return Err(corrupt(entry)),
    };
    Ok(LedgerEvent { tick, at, kind })
}

/// Decodes entries, oldest first.
pub(crate) fn decode_all(show: ShowId, entries: &[String]) -> StoreResult<Vec<LedgerEvent>> {
    entries.iter().map(|e| decode(show, e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::SeatIdx;

    #[test]
    fn entries_decode_to_events() {
        let placed = decode(ShowId(3), "P|9|100|9|500|4,5|ann|x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(placed.tick, 9);
        match placed.kind {
            EventKind::HoldPlaced { hold, owner, seats, expires_at } => {
                assert_eq!(hold, hold_id(ShowId(3), 9));
                assert_eq!(owner.as_str(), "ann|x");
                assert_eq!(&*seats, &[SeatIdx(4), SeatIdx(5)]);
                assert_eq!(expires_at, Timestamp(500));
            }
            other => panic!("{other:?}"),
        }
        assert!(decode(ShowId(3), "Q|1|2|3").is_err());
        assert!(decode(ShowId(3), "R|1|x|3|4").is_err());
    }
}
