//! Tax on a seat: a rate in basis points, either included in the price or added to it.

use serde::{Deserialize, Serialize};

/// Highest tax rate, in basis points (100 %).
pub const TAX_RATE_BP_MAX: u32 = 10_000;

/// Whether prices already include the tax.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaxMode {
    /// Prices include the tax (VAT style): the quote shows the tax portion, the total is unchanged.
    #[default]
    Inclusive,
    /// Tax is added on top of the price and the fee (sales-tax style).
    Exclusive,
}

/// The tax rule of a policy. The default is no tax.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tax {
    /// Rate in basis points, `0..=TAX_RATE_BP_MAX` (2000 = 20 %).
    pub rate_bp: u32,
    /// Included in prices or added to them.
    pub mode: TaxMode,
}

impl Tax {
    /// The tax on `gross` minor units (a seat's price plus its fee), rounded half away from zero.
    ///
    /// Inclusive: the portion of `gross` that is tax, `gross * rate / (10000 + rate)`; 12.00 at
    /// 20 % holds 2.00 of tax. Exclusive: the amount to add, `gross * rate / 10000`; 10.00 at 20 %
    /// adds 2.00. `None` only on overflow, which the policy limits rule out.
    pub fn on(self, gross: i64) -> Option<i64> {
        let rate = i64::from(self.rate_bp);
        let divisor = match self.mode {
            TaxMode::Inclusive => 10_000 + rate,
            TaxMode::Exclusive => 10_000,
        };
        div_round_half_away(i128::from(gross) * i128::from(rate), i128::from(divisor))
    }

    /// Whether the tax is added to the total (exclusive) rather than contained in it.
    pub fn is_added(self) -> bool {
        self.mode == TaxMode::Exclusive
    }
}

/// `n / d` rounded half away from zero, for `d > 0`; the same rule as `Money::mul_bp`.
///
/// In 64 bits when `n` fits (always, within the policy limits): 128-bit division is slow enough
/// to dominate a quote.
fn div_round_half_away(n: i128, d: i128) -> Option<i64> {
    // For an odd `d` (an inclusive rate such as 2_001 bp) no remainder is exactly half, so the
    // truncated `d / 2` still rounds every case correctly.
    let narrow = match (u64::try_from(n.unsigned_abs()), u64::try_from(d)) {
        (Ok(n), Ok(d)) if d > 0 => n.checked_add(d / 2).map(|s| i128::from(s / d)),
        _ => None,
    };
    let q = narrow.or_else(|| n.abs().checked_add(d / 2)?.checked_div(d))?;
    i64::try_from(if n < 0 { -q } else { q }).ok()
}
