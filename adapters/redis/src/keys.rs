//! Key names and ids. Every key of a show carries the hash tag `{<show>}`, so one script touches
//! one cluster slot; hold and booking ids carry their show in booking-postgres's id layout
//! (`show * 2^LEASE_BITS + number`, [`booking_postgres::LEASE_BITS`]), where the bookings of the
//! hybrid store are.

use booking_core::{HoldId, ShowId};
use booking_postgres::LEASE_BITS as NUMBER_BITS;

/// The id of hold `number` of `show`.
pub(crate) fn hold_id(show: ShowId, number: u64) -> HoldId {
    HoldId((show.0 << NUMBER_BITS) | number)
}

/// The show of a hold or booking id, and its number within the show.
pub(crate) fn split_id(id: u64) -> (ShowId, u64) {
    (ShowId(id >> NUMBER_BITS), id & ((1 << NUMBER_BITS) - 1))
}

/// The state hash of a show, from which the scripts name the show's other keys. The `5` is the
/// key layout's version: a store of another layout finds no state under these names and seeds
/// the show again from PostgreSQL (holds are lost, as when Redis restarts, never a booking).
pub(crate) fn state_key(prefix: &str, show: ShowId) -> String {
    format!("{prefix}{{{}}}:5:S", show.0)
}

/// The set of shows this Redis has state for (what the sweeper visits).
pub(crate) fn registry_key(prefix: &str) -> String {
    format!("{prefix}shows")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_show() {
        let id = hold_id(ShowId(42), 7);
        assert_eq!(split_id(id.0), (ShowId(42), 7));
        assert_eq!(state_key("bc:", ShowId(42)), "bc:{42}:5:S");
    }
}
