//! Rounding of each seat price to a cash-friendly increment (1, 5, 10, 50 minor units...).

use serde::{Deserialize, Serialize};

/// Largest rounding increment, in minor units (100.00 in a two-decimal currency).
pub const ROUNDING_INCREMENT_MINOR_MAX: i64 = 10_000;

/// Which way a price moves to reach a multiple of the increment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// The closest multiple; an exact half goes up.
    #[default]
    Nearest,
    /// The next multiple at or above the price.
    Up,
    /// The next multiple at or below the price.
    Down,
}

/// The rounding rule of a policy. The default (increment 1) changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// The increment in minor units, `1..=ROUNDING_INCREMENT_MINOR_MAX`.
    pub increment_minor: i64,
    /// Nearest, up or down.
    pub mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding { increment_minor: 1, mode: RoundingMode::Nearest }
    }
}

impl Rounding {
    /// `minor` rounded to a multiple of the increment: with increment 50, nearest takes 1225 to
    /// 1250 and 1224 to 1200; up takes 1201 to 1250; down takes 1249 to 1200.
    ///
    /// `None` if the increment is not positive or the result overflows.
    pub fn apply(self, minor: i64) -> Option<i64> {
        let inc = self.increment_minor;
        if inc <= 0 {
            return None;
        }
        let rem = minor.rem_euclid(inc);
        let down = minor.checked_sub(rem)?;
        let round_up = match self.mode {
            RoundingMode::Down => false,
            RoundingMode::Up => rem != 0,
            RoundingMode::Nearest => rem != 0 && rem >= inc - rem,
        };
        if round_up { down.checked_add(inc) } else { Some(down) }
    }
}
