//! Exact money: integer minor units plus an ISO 4217 currency. No floats anywhere.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency code: three upper-case ASCII letters, e.g. `EUR`.
///
/// Stored inline (3 bytes) so that `Money` is `Copy` and allocation free.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Why a currency code or an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The code is not three upper-case ASCII letters.
    #[error("currency code {0:?} is not three upper-case letters (ISO 4217)")]
    InvalidCurrency(String),
    /// Two amounts of different currencies were combined.
    #[error("currency mismatch: {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
    /// The result does not fit in 64-bit minor units.
    #[error("amount overflow")]
    Overflow,
}

impl Currency {
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");

    /// Parses a code such as `"EUR"`.
    ///
    /// ```
    /// # use booking_core::Currency;
    /// assert_eq!(Currency::new("EUR").unwrap(), Currency::EUR);
    /// assert!(Currency::new("eur").is_err());
    /// ```
    pub fn new(code: &str) -> Result<Self, MoneyError> {
        let bytes = code.as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_uppercase) => Ok(Currency([*a, *b, *c])),
            _ => Err(MoneyError::InvalidCurrency(code.chars().take(16).collect())),
        }
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // Construction guarantees ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Its ISO 4217 exponent: how many decimal places its minor unit has (2 for EUR, 0 for
    /// JPY, 3 for BHD). A code ISO 4217 does not list is taken as 2. Every front formats
    /// amounts through this, never by assuming cents.
    ///
    /// ```
    /// # use booking_core::Currency;
    /// assert_eq!(Currency::EUR.exponent(), 2);
    /// assert_eq!(Currency::new("JPY").unwrap().exponent(), 0);
    /// assert_eq!(Currency::new("BHD").unwrap().exponent(), 3);
    /// ```
    pub fn exponent(&self) -> u8 {
        match &self.0 {
            b"BIF" | b"CLP" | b"DJF" | b"GNF" | b"ISK" | b"JPY" | b"KMF" | b"KRW" | b"PYG" | b"RWF"
            | b"UGX" | b"UYI" | b"VND" | b"VUV" | b"XAF" | b"XOF" | b"XPF" => 0,
            b"BHD" | b"IQD" | b"JOD" | b"KWD" | b"LYD" | b"OMR" | b"TND" => 3,
            b"CLF" | b"UYW" => 4,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::new(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::new(&s).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in integer minor units (cents for EUR).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Amount in minor units; may be negative for discounts and refunds.
    pub minor: i64,
    /// The currency of the amount.
    pub currency: Currency,
}

impl Money {
    /// An amount in minor units.
    ///
    /// ```
    /// # use booking_core::{Money, Currency};
    /// let ticket = Money::new(1250, Currency::EUR);
    /// assert_eq!(ticket.to_string(), "12.50 EUR");
    /// ```
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// Checked addition; refuses mixed currencies and overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    /// Checked subtraction; refuses mixed currencies and overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self.minor.checked_sub(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    /// Checked multiplication by a count.
    pub fn checked_mul(self, n: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(n).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    /// `self * bp / 10_000`, rounded half away from zero, computed in 128 bits.
    ///
    /// ```
    /// # use booking_core::{Money, Currency};
    /// assert_eq!(Money::new(1001, Currency::EUR).mul_bp(5_000).unwrap().minor, 501);
    /// ```
    pub fn mul_bp(self, bp: i64) -> Result<Money, MoneyError> {
        let product = i128::from(self.minor) * i128::from(bp);
        let half = 5_000i128 * product.signum();
        let q = (product + half) / 10_000;
        let minor = i64::try_from(q).map_err(|_| MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    /// Sums amounts of one currency; an empty sum is zero in `currency`.
    pub fn sum<I: IntoIterator<Item = Money>>(currency: Currency, items: I) -> Result<Money, MoneyError> {
        items.into_iter().try_fold(Money::zero(currency), Money::checked_add)
    }

    /// The amount in major units as exact decimal text, with as many decimals as the currency's
    /// exponent: `"12.50"` for 1250 EUR, `"1250"` for 1250 JPY, `"1.250"` for 1250 BHD.
    ///
    /// ```
    /// # use booking_core::{Currency, Money};
    /// assert_eq!(Money::new(-5, Currency::EUR).amount_text(), "-0.05");
    /// assert_eq!(Money::new(1250, Currency::new("JPY").unwrap()).amount_text(), "1250");
    /// ```
    pub fn amount_text(&self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let digits = u32::from(self.currency.exponent());
        if digits == 0 {
            return format!("{sign}{abs}");
        }
        let unit = 10u64.pow(digits);
        format!("{sign}{}.{:0width$}", abs / unit, abs % unit, width = digits as usize)
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

impl fmt::Display for Money {
    /// The amount with its currency's decimals, then the code: `12.50 EUR`, `1250 JPY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_text(), self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes_are_validated() {
        assert_eq!(Currency::new("USD"), Ok(Currency::USD));
        for bad in ["", "EU", "EURO", "eur", "E1R", "ÉUR"] {
            assert!(matches!(Currency::new(bad), Err(MoneyError::InvalidCurrency(_))), "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Money::new(i64::MAX, Currency::EUR);
        assert_eq!(a.checked_add(Money::new(1, Currency::EUR)), Err(MoneyError::Overflow));
        assert_eq!(
            Money::new(1, Currency::EUR).checked_add(Money::new(1, Currency::USD)),
            Err(MoneyError::CurrencyMismatch(Currency::EUR, Currency::USD))
        );
        assert_eq!(a.checked_mul(2), Err(MoneyError::Overflow));
        assert_eq!(Money::new(-1001, Currency::EUR).mul_bp(5_000).map(|m| m.minor), Ok(-501));
        assert_eq!(Money::new(999, Currency::EUR).mul_bp(0).map(|m| m.minor), Ok(0));
    }

    #[test]
    fn serde_round_trip() {
        let m = Money::new(-250, Currency::GBP);
        let json = serde_json::to_string(&m).unwrap_or_default();
        assert_eq!(json, r#"{"minor":-250,"currency":"GBP"}"#);
        let back: Money = serde_json::from_str(&json).unwrap_or(Money::zero(Currency::EUR));
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"gbp"}"#).is_err());
        assert_eq!(m.to_string(), "-2.50 GBP");
    }

    #[test]
    fn amounts_are_written_with_the_currency_exponent() {
        let cur = |c: &str| Currency::new(c).unwrap_or(Currency::EUR);
        assert_eq!(Money::new(1250, cur("JPY")).to_string(), "1250 JPY");
        assert_eq!(Money::new(1250, cur("BHD")).to_string(), "1.250 BHD");
        assert_eq!(Money::new(-7, cur("BHD")).amount_text(), "-0.007");
        assert_eq!(Money::new(12345, cur("CLF")).amount_text(), "1.2345");
        assert_eq!(Money::new(i64::MIN, Currency::EUR).amount_text(), "-92233720368547758.08");
        assert_eq!(Money::new(0, Currency::USD).amount_text(), "0.00");
    }
}
