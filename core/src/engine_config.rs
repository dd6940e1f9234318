//! Limits and durations of the engine. Every limit is explicit, named with its unit last.

use crate::error::BookingError;
use serde::{Deserialize, Serialize};

/// How the engine sells. The defaults suit a cinema; every field is validated by [`EngineConfig::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Time to live of a new hold, and of each extension.
    pub hold_ttl_ms: i64,
    /// A hold never lives longer than this from its placement, extensions included.
    pub hold_lifetime_ms_max: i64,
    /// Time a pending booking has to be paid, counted from its creation (never past the hold's
    /// maximum lifetime, never shorter than what was left of the hold).
    pub payment_window_ms: i64,
    /// Most seats in one hold.
    pub hold_seats_max: u32,
    /// Most live holds one owner may have on one show.
    pub holds_per_owner_max: u32,
    /// Most tickets one owner may have on one show, held, pending and paid together: the cap of
    /// a show scheduled without its own ([`crate::ScheduleShow::tickets_per_owner_max`]).
    /// `None`: no cap.
    pub tickets_per_owner_max: Option<u32>,
    /// Most holds and pending bookings one `sweep_expired` call tidies.
    pub sweep_batch_max: u32,
}

/// Hard ceiling on [`EngineConfig::hold_seats_max`].
pub const HOLD_SEATS_MAX: u32 = 100;
/// Hard ceiling on any duration in the config: one week.
pub const CONFIG_DURATION_MS_MAX: i64 = 7 * 24 * 3_600_000;

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            hold_ttl_ms: 10 * 60_000,
            hold_lifetime_ms_max: 30 * 60_000,
            payment_window_ms: 10 * 60_000,
            hold_seats_max: 10,
            holds_per_owner_max: 4,
            tickets_per_owner_max: None,
            sweep_batch_max: 10_000,
        }
    }
}

impl EngineConfig {
    /// Refuses values that would make the engine unsafe or useless.
    pub fn validate(&self) -> Result<(), BookingError> {
        let duration = |field: &str, v: i64| {
            if (1_000..=CONFIG_DURATION_MS_MAX).contains(&v) {
                Ok(())
            } else {
                Err(BookingError::invalid(field, "must be between 1 second and 7 days"))
            }
        };
        duration("hold_ttl_ms", self.hold_ttl_ms)?;
        duration("hold_lifetime_ms_max", self.hold_lifetime_ms_max)?;
        duration("payment_window_ms", self.payment_window_ms)?;
        if self.hold_lifetime_ms_max < self.hold_ttl_ms {
            return Err(BookingError::invalid("hold_lifetime_ms_max", "must be at least hold_ttl_ms"));
        }
        if !(1..=HOLD_SEATS_MAX).contains(&self.hold_seats_max) {
            return Err(BookingError::invalid("hold_seats_max", "must be between 1 and 100"));
        }
        if !(1..=1_000).contains(&self.holds_per_owner_max) {
            return Err(BookingError::invalid("holds_per_owner_max", "must be between 1 and 1000"));
        }
        check_tickets_per_owner("tickets_per_owner_max", self.tickets_per_owner_max)?;
        if !(1..=1_000_000).contains(&self.sweep_batch_max) {
            return Err(BookingError::invalid("sweep_batch_max", "must be between 1 and 1000000"));
        }
        Ok(())
    }
}

/// Hard ceiling on a cap of tickets per owner: the most seats a layout may have.
pub const TICKETS_PER_OWNER_MAX: u32 = crate::layout_validate::LAYOUT_SEATS_MAX as u32;

/// Checks a cap of tickets per owner: none, or 1 to [`TICKETS_PER_OWNER_MAX`].
pub(crate) fn check_tickets_per_owner(field: &str, cap: Option<u32>) -> Result<(), BookingError> {
    match cap {
        Some(n) if !(1..=TICKETS_PER_OWNER_MAX).contains(&n) => Err(BookingError::invalid(
            field,
            format!("must be between 1 and {TICKETS_PER_OWNER_MAX} (or absent: no cap)"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert_eq!(EngineConfig::default().validate(), Ok(()));
        let bad = EngineConfig { hold_seats_max: 0, ..Default::default() };
        assert!(
            matches!(bad.validate(), Err(BookingError::InvalidInput { field, .. }) if field == "hold_seats_max")
        );
        let bad = EngineConfig { hold_lifetime_ms_max: 5_000, hold_ttl_ms: 10_000, ..Default::default() };
        assert!(
            matches!(bad.validate(), Err(BookingError::InvalidInput { field, .. }) if field == "hold_lifetime_ms_max")
        );
        let bad = EngineConfig { hold_ttl_ms: 10, ..Default::default() };
        assert!(bad.validate().is_err());
    }
}
