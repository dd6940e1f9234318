//! The id layout: hold and booking ids carry their show, `id = show << LEASE_BITS | n`, so a call
//! that names only a hold or a booking finds its show without a lookup. The SQL side's twin is
//! `functions/01_ids.sql` (`bc_lease_bits()`); tests/rules.rs holds the two equal.

use booking_core::ShowId;

/// Bits of a hold or booking id below its show: `id = show * 2^LEASE_BITS + n`.
pub const LEASE_BITS: u32 = 24;

/// The show of a hold or booking id, as the database keys it.
pub(crate) fn show_of(id: i64) -> i64 {
    id >> LEASE_BITS
}

/// The show of a hold or booking id.
pub(crate) fn show_id_of(id: u64) -> ShowId {
    ShowId(id >> LEASE_BITS)
}
