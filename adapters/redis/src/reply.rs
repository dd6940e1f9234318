//! Script replies (the prelude of `lua/` has their kinds): `{'ok', ...}` read as typed values; a
//! refusal, `{code, details}` in core's words, read by core's [`StoreError::from_refusal`] and
//! nothing else; or a signal the store acts on ([`SIGNALS`]).

use crate::keys::{hold_id, split_id};
use booking_core::{Hold, HoldId, OwnerId, SeatIdx, ShowId, StoreError, StoreResult, Timestamp};
use std::sync::Arc;

/// The replies that ask the store to act and call again, never an answer to its caller:
/// `not_ready` (seed the show), `ticks` (fetch a block), `backlog` (flush the outbox), `seeded`
/// (another seeding won).
pub(crate) const SIGNALS: [&str; 4] = ["not_ready", "ticks", "backlog", "seeded"];

/// A script's reply: strings only (the scripts format every number).
#[derive(Debug)]
pub(crate) struct Reply(pub(crate) Vec<String>);

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend { message: format!("redis: malformed {what} in a script reply") }
}

/// Seat numbers from a comma-separated list.
pub(crate) fn seat_list(csv: &str) -> StoreResult<Vec<SeatIdx>> {
    csv.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map(SeatIdx).map_err(|_| corrupt("seat")))
        .collect()
}

/// Seat numbers as the scripts take them.
pub(crate) fn seat_csv(seats: &[SeatIdx]) -> String {
    let mut out = String::with_capacity(seats.len() * 4);
    for (i, s) in seats.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&s.0.to_string());
    }
    out
}

impl Reply {
    /// `ok` or the refusal's code.
    pub(crate) fn code(&self) -> &str {
        self.0.first().map_or("", String::as_str)
    }

    pub(crate) fn is_ok(&self) -> bool {
        self.code() == "ok"
    }

    pub(crate) fn text(&self, i: usize) -> StoreResult<&str> {
        self.0.get(i).map(String::as_str).ok_or_else(|| corrupt("field"))
    }

    pub(crate) fn int(&self, i: usize) -> StoreResult<i64> {
        self.text(i)?.parse().map_err(|_| corrupt("number"))
    }

    /// Entries from `i` on.
    pub(crate) fn rest(&self, i: usize) -> &[String] {
        self.0.get(i..).unwrap_or(&[])
    }

    /// The hold the scripts write as `t, owner, seats, placed, expires, max, fence, quote`
    /// starting at index 1.
    pub(crate) fn hold(&self, show: ShowId) -> StoreResult<Hold> {
        let quote = serde_json::from_str(self.text(8)?).map_err(|_| corrupt("quote"))?;
        Ok(Hold {
            id: hold_id(show, self.int(1)? as u64),
            show,
            owner: OwnerId::new(self.text(2)?).map_err(|_| corrupt("owner"))?,
            seats: seat_list(self.text(3)?)?.into(),
            placed_at: Timestamp(self.int(4)?),
            expires_at: Timestamp(self.int(5)?),
            max_expires_at: Timestamp(self.int(6)?),
            fence: self.int(7)? as u64,
            quote: Arc::new(quote),
        })
    }

    /// The error of a reply that is not `ok`. A refusal is a code of core and its details in
    /// core's words, which [`StoreError::from_refusal`] reads as every store's are; a signal that
    /// reaches here (the store acts on each before) is a backend fault, named as such.
    pub(crate) fn error(&self) -> StoreError {
        let code = self.code();
        if SIGNALS.contains(&code) {
            return StoreError::Backend { message: format!("redis: unexpected signal {code:?}") };
        }
        match self.0.get(1).map(|d| serde_json::from_str::<serde_json::Value>(d)) {
            Some(Ok(details)) => StoreError::from_refusal(code, &details),
            _ => StoreError::Backend { message: format!("redis: malformed refusal {:?}", self.0) },
        }
    }
}

/// The show of a hold id and the hold's number within it.
pub(crate) fn hold_number(id: HoldId) -> (ShowId, u64) {
    split_id(id.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(parts: &[&str]) -> Reply {
        Reply(parts.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn refusals_are_cores_and_signals_never_reach_a_caller() {
        assert_eq!(
            reply(&["seat_unavailable", r#"{"seats":[3,9]}"#]).error(),
            StoreError::SeatUnavailable { seats: vec![SeatIdx(3), SeatIdx(9)] }
        );
        assert_eq!(
            reply(&["not_found", r#"{"entity":"hold","id":16777217}"#]).error(),
            StoreError::NotFound { entity: "hold", id: HoldId(16_777_217).to_string() }
        );
        for broken in [&["ticks", "7"][..], &["not_ready"], &["hold_expired"], &["hold_expired", "{"], &[]] {
            assert!(matches!(reply(broken).error(), StoreError::Backend { .. }), "{broken:?}");
        }
    }
}
