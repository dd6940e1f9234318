//! Conversions between the core's types and the records the binding takes in, and the time and
//! id helpers. The views it gives out are booking-front's, converted there.

use crate::records::*;
use booking_core as bc;
use booking_front::Instant;
use std::time::{Duration, SystemTime};

/// A core instant as `SystemTime`.
pub(crate) fn instant(t: bc::Timestamp) -> SystemTime {
    Instant(t).to_system_time()
}

/// A `SystemTime` as a core instant, to the millisecond (saturating).
pub(crate) fn timestamp(t: SystemTime) -> bc::Timestamp {
    Instant::from_system_time(t).timestamp()
}

/// A `Duration` in milliseconds (saturating).
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Milliseconds as a `Duration` (negative as zero).
fn duration(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// An id from Kotlin or Swift (`Long`, `Int64`): a non-negative integer, or `INVALID_INPUT`
/// naming `field`.
pub(crate) fn id(field: &str, v: i64) -> Result<u64, bc::BookingError> {
    u64::try_from(v).map_err(|_| bc::BookingError::invalid(field, "must be a non-negative integer"))
}

impl From<bc::SeatFlags> for SeatFlags {
    fn from(f: bc::SeatFlags) -> Self {
        SeatFlags {
            wheelchair: f.is_wheelchair(),
            companion: f.is_companion(),
            blocked: f.is_blocked(),
            general_admission: f.is_general_admission(),
        }
    }
}

impl From<SeatChoice> for bc::SeatChoice {
    fn from(c: SeatChoice) -> Self {
        bc::SeatChoice { label: c.label, ticket_type: c.ticket_type }
    }
}

impl From<PlaceChoice> for bc::PlaceChoice {
    fn from(c: PlaceChoice) -> Self {
        bc::PlaceChoice { zone: c.zone, quantity: c.quantity, ticket_type: c.ticket_type }
    }
}

impl From<bc::BookingAction> for BookingAction {
    fn from(a: bc::BookingAction) -> Self {
        match a {
            bc::BookingAction::Confirm => BookingAction::Confirm,
            bc::BookingAction::CheckIn => BookingAction::CheckIn,
            bc::BookingAction::Expire => BookingAction::Expire,
            bc::BookingAction::Cancel => BookingAction::Cancel,
            bc::BookingAction::Refund => BookingAction::Refund,
        }
    }
}

impl TryFrom<ShowFilter> for bc::ShowFilter {
    type Error = bc::BookingError;
    fn try_from(f: ShowFilter) -> Result<Self, Self::Error> {
        Ok(bc::ShowFilter {
            theatre: f.theatre.map(|t| id("theatre", t).map(bc::TheatreId)).transpose()?,
            screen: f.screen.map(|s| id("screen", s).map(bc::ScreenId)).transpose()?,
            starts_from: f.starts_from.map(timestamp),
            starts_before: f.starts_before.map(timestamp),
            include_cancelled: f.include_cancelled,
        })
    }
}

impl From<bc::EngineConfig> for EngineConfig {
    fn from(c: bc::EngineConfig) -> Self {
        EngineConfig {
            hold_ttl: duration(c.hold_ttl_ms),
            hold_lifetime_max: duration(c.hold_lifetime_ms_max),
            payment_window: duration(c.payment_window_ms),
            hold_seats_max: c.hold_seats_max,
            holds_per_owner_max: c.holds_per_owner_max,
            tickets_per_owner_max: c.tickets_per_owner_max,
            sweep_batch_max: c.sweep_batch_max,
        }
    }
}

impl From<EngineConfig> for bc::EngineConfig {
    fn from(c: EngineConfig) -> Self {
        bc::EngineConfig {
            hold_ttl_ms: millis(c.hold_ttl),
            hold_lifetime_ms_max: millis(c.hold_lifetime_max),
            payment_window_ms: millis(c.payment_window),
            hold_seats_max: c.hold_seats_max,
            holds_per_owner_max: c.holds_per_owner_max,
            tickets_per_owner_max: c.tickets_per_owner_max,
            sweep_batch_max: c.sweep_batch_max,
        }
    }
}

impl From<bc::LayoutIssue> for LayoutIssue {
    fn from(i: bc::LayoutIssue) -> Self {
        LayoutIssue { line: i.line, column: i.column, path: i.path, message: i.message }
    }
}

impl From<bc::SelectionRuleKind> for SelectionRuleKind {
    fn from(k: bc::SelectionRuleKind) -> Self {
        match k {
            bc::SelectionRuleKind::OrphanSeat => SelectionRuleKind::OrphanSeat,
            bc::SelectionRuleKind::PairSplit => SelectionRuleKind::PairSplit,
            bc::SelectionRuleKind::AccessibleOnly => SelectionRuleKind::AccessibleOnly,
            bc::SelectionRuleKind::CompanionAlone => SelectionRuleKind::CompanionAlone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_to_the_millisecond_on_both_sides_of_the_epoch() {
        for ms in [0, 1, 1_700_000_000_123, -86_400_001] {
            let t = bc::Timestamp::from_millis(ms);
            assert_eq!(timestamp(instant(t)), t);
        }
    }

    #[test]
    fn engine_config_round_trips() {
        let c = bc::EngineConfig::default();
        assert_eq!(bc::EngineConfig::from(EngineConfig::from(c.clone())), c);
    }

    #[test]
    fn negative_ids_are_refused_naming_their_field() {
        assert_eq!(id("show", 3).ok(), Some(3));
        let e = id("show", -1).err().map(|e| e.details()["field"].clone());
        assert_eq!(e, Some("show".into()));
    }
}
