//! Script replies: `{'ok', ...}` or a refusal code with its details, as typed values and errors.

use crate::keys::{hold_id, split_id};
use booking_core::{Hold, HoldId, OwnerId, SeatIdx, ShowId, StoreError, StoreResult, Timestamp};
use std::sync::Arc;

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

    /// The store error for a refusal about `hold` (or about the show when `hold` is `None`).
    pub(crate) fn refusal(&self, show: ShowId, hold: Option<HoldId>) -> StoreError {
        let what = || hold.map_or_else(|| show.to_string(), |h| h.to_string());
        let int = |i: usize| self.int(i).unwrap_or(0).max(0) as u64;
        match self.code() {
            "show_cancelled" => StoreError::ShowCancelled { show },
            "invalid_seat" => StoreError::InvalidRequest {
                field: "seats".into(),
                reason: format!("seat index {} is outside the layout", self.text(1).unwrap_or("?")),
            },
            "limit" => StoreError::LimitExceeded { limit: "holds_per_owner", max: int(1) },
            "lifetime" => StoreError::LimitExceeded { limit: "hold_lifetime_ms", max: int(1) },
            "seat_unavailable" => match seat_list(&self.rest(1).join(",")) {
                Ok(seats) => StoreError::SeatUnavailable { seats },
                Err(e) => e,
            },
            "not_found" => StoreError::NotFound { entity: "hold", id: what() },
            "not_owner" => StoreError::NotOwner { what: what() },
            "expired" => StoreError::HoldExpired { what: what() },
            "stale_fence" => StoreError::StaleFence { presented: int(1), current: int(2) },
            "busy" => StoreError::Unavailable { message: format!("{} is being booked; retry", what()) },
            "repriced" => StoreError::Repriced { taken: u32::try_from(int(1)).unwrap_or(u32::MAX) },
            "backlog" => StoreError::Unavailable {
                message: format!("events of {show} are waiting for PostgreSQL; retry"),
            },
            other => StoreError::Backend { message: format!("redis: unknown reply {other:?}") },
        }
    }
}

/// The show of a hold id and the hold's number within it.
pub(crate) fn hold_number(id: HoldId) -> (ShowId, u64) {
    split_id(id.0)
}
