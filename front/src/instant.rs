//! An instant as every front reads it: RFC 3339 text in JSON (HTTP, Python), a `Date` in
//! JavaScript, `java.time.Instant` in Kotlin and `Date` in Swift.

use booking_core::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An instant, to the millisecond. In JSON it is RFC 3339 in UTC with milliseconds, e.g.
/// `2026-11-27T21:00:00.000Z`.
///
/// ```
/// use booking_core::Timestamp;
/// use booking_front::Instant;
/// let t = Instant::from(Timestamp(1_764_277_200_500));
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""2025-11-27T21:00:00.500Z""#);
/// assert_eq!(serde_json::from_str::<Instant>(r#""2025-11-27T22:00:00.5+01:00""#).unwrap(), t);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub Timestamp);

impl Instant {
    /// The core's timestamp.
    pub fn timestamp(self) -> Timestamp {
        self.0
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0.millis()
    }

    /// As a `SystemTime` (what uniffi hands Kotlin and Swift).
    pub fn to_system_time(self) -> SystemTime {
        let ms = self.0.millis();
        let magnitude = Duration::from_millis(ms.unsigned_abs());
        let t = if ms >= 0 { UNIX_EPOCH.checked_add(magnitude) } else { UNIX_EPOCH.checked_sub(magnitude) };
        t.unwrap_or(UNIX_EPOCH)
    }

    /// From a `SystemTime`, to the millisecond (saturating).
    pub fn from_system_time(t: SystemTime) -> Instant {
        let ms = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
        };
        Instant(Timestamp(ms))
    }

    /// RFC 3339 text in UTC with milliseconds; instants past what RFC 3339 can write (around
    /// the years -9999 and 9999) are clamped to its range.
    pub fn to_rfc3339(self) -> String {
        self.jiff().to_string()
    }

    /// The instant as jiff's, clamped to its range, written with exactly three decimals
    /// (`{:.3}`: RFC 3339 in UTC, a third of the time `strftime` takes, and views carry several).
    fn jiff(self) -> impl fmt::Display {
        let t = jiff::Timestamp::from_millisecond(self.0.millis()).unwrap_or(if self.0.millis() < 0 {
            jiff::Timestamp::MIN
        } else {
            jiff::Timestamp::MAX
        });
        Millis(t)
    }

    /// Parses RFC 3339 text with an offset (`Z` or `+01:00`), to the millisecond.
    pub fn parse(text: &str) -> Result<Instant, String> {
        let t: jiff::Timestamp = text.parse().map_err(|e| format!("not an RFC 3339 instant: {e}"))?;
        Ok(Instant(Timestamp(t.as_millisecond())))
    }
}

impl From<Timestamp> for Instant {
    fn from(t: Timestamp) -> Self {
        Instant(t)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// A jiff timestamp written to the millisecond.
struct Millis(jiff::Timestamp);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3}", self.0)
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.jiff())
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Instant::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
mod openapi {
    use super::Instant;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{RefOr, Schema};

    impl utoipa::PartialSchema for Instant {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                .description(Some("An instant in RFC 3339, UTC, to the millisecond."))
                .into()
        }
    }

    impl utoipa::ToSchema for Instant {}
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Instant, SystemTime, {
    lower: |t| t.to_system_time(),
    try_lift: |t| Ok(Instant::from_system_time(t)),
});

/// A `Date` in JavaScript: napi-rs converts `chrono` times, so an instant goes through one.
#[cfg(feature = "napi")]
#[allow(unsafe_code)] // napi-rs's conversion traits are unsafe fns; this only delegates to chrono's.
mod napi_date {
    use super::Instant;
    use booking_core::Timestamp;
    use chrono::{DateTime, Utc};
    use napi::bindgen_prelude::{FromNapiValue, ToNapiValue, TypeName, ValidateNapiValue};
    use napi::{ValueType, sys};

    /// What a JavaScript `Date` can hold, in milliseconds either side of the epoch.
    const JS_DATE_MS_MAX: i64 = 8_640_000_000_000_000;

    fn to_chrono(t: Instant) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(t.millis().clamp(-JS_DATE_MS_MAX, JS_DATE_MS_MAX)).unwrap_or_default()
    }

    impl TypeName for Instant {
        fn type_name() -> &'static str {
            "Date"
        }
        fn value_type() -> ValueType {
            ValueType::Object
        }
    }

    impl ToNapiValue for Instant {
        unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
            // SAFETY: the same contract as the caller's; chrono's conversion does the work.
            unsafe { DateTime::<Utc>::to_napi_value(env, to_chrono(val)) }
        }
    }

    impl FromNapiValue for Instant {
        unsafe fn from_napi_value(env: sys::napi_env, v: sys::napi_value) -> napi::Result<Self> {
            // SAFETY: the same contract as the caller's; chrono's conversion does the work.
            let t = unsafe { DateTime::<Utc>::from_napi_value(env, v) }?;
            Ok(Instant(Timestamp(t.timestamp_millis())))
        }
    }

    impl ValidateNapiValue for Instant {
        unsafe fn validate(env: sys::napi_env, v: sys::napi_value) -> napi::Result<sys::napi_value> {
            // SAFETY: the same contract as the caller's; chrono's check does the work.
            unsafe { DateTime::<Utc>::validate(env, v) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_to_the_millisecond() {
        for ms in [0, 1, 999, 1_764_277_200_123, -1, -86_400_001] {
            let t = Instant(Timestamp(ms));
            assert_eq!(Instant::parse(&t.to_rfc3339()), Ok(t), "{ms}");
            assert_eq!(Instant::from_system_time(t.to_system_time()), t, "{ms}");
        }
        assert_eq!(Instant(Timestamp(0)).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Instant(Timestamp(-1)).to_rfc3339(), "1969-12-31T23:59:59.999Z");
        assert_eq!(Instant(Timestamp(1_764_277_200_000)).to_rfc3339(), "2025-11-27T21:00:00.000Z");
        let json = serde_json::to_string(&Instant(Timestamp(1_764_277_200_070))).unwrap_or_default();
        assert_eq!(json, r#""2025-11-27T21:00:00.070Z""#);
    }

    #[test]
    fn instants_past_rfc3339_are_clamped_not_refused() {
        // jiff's range ends a day short of year 10000, so that every offset can write it.
        let far = Instant(Timestamp::MAX).to_rfc3339();
        assert!(far.starts_with("9999-12-30T") && Instant::parse(&far).is_ok(), "{far}");
        assert!(Instant::parse("tomorrow").is_err());
        assert!(Instant::parse("2026-11-27T21:00:00").is_err(), "an instant needs its offset");
    }
}
