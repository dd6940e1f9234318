//! Identifiers. Numeric ids are assigned by the store; owners are named by the host.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }
    };
}

numeric_id!(
    /// A theatre (a venue with screens).
    TheatreId, "theatre-"
);
numeric_id!(
    /// A screen (an auditorium) of a theatre.
    ScreenId, "screen-"
);
numeric_id!(
    /// One show: a screening of a title on a screen at a time.
    ShowId, "show-"
);
numeric_id!(
    /// A seat hold (a lock lease on seats of one show).
    HoldId, "hold-"
);
numeric_id!(
    /// A booking made from a hold.
    BookingId, "booking-"
);

/// A seat's position in its layout's dense seat index (0-based).
///
/// Seat state is an array indexed by this, never a map of labels.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Debug)]
#[serde(transparent)]
pub struct SeatIdx(pub u32);

impl SeatIdx {
    /// As a `usize` array index.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Longest owner id accepted, in bytes.
pub const OWNER_ID_BYTES_MAX: usize = 128;

/// Who holds seats and owns bookings: a user id, a session id, a box-office terminal...
///
/// Cheap to clone (shared string). Non-empty, at most [`OWNER_ID_BYTES_MAX`] bytes, no control
/// characters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct OwnerId(Arc<str>);

impl OwnerId {
    /// Validates and wraps an owner id.
    ///
    /// ```
    /// # use booking_core::OwnerId;
    /// assert!(OwnerId::new("user-42").is_ok());
    /// assert!(OwnerId::new("").is_err());
    /// ```
    pub fn new(id: &str) -> Result<Self, crate::BookingError> {
        let reason = if id.is_empty() {
            Some("must not be empty")
        } else if id.len() > OWNER_ID_BYTES_MAX {
            Some("must be at most 128 bytes")
        } else if id.chars().any(char::is_control) {
            Some("must not contain control characters")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(crate::BookingError::invalid("owner", reason)),
            None => Ok(OwnerId(Arc::from(id))),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for OwnerId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        OwnerId::new(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for OwnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OwnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_ids_are_validated() {
        assert_eq!(OwnerId::new("alice").map(|o| o.to_string()).ok().as_deref(), Some("alice"));
        for bad in [String::new(), "a\nb".to_string(), "x".repeat(129)] {
            let err = OwnerId::new(&bad).err();
            assert_eq!(err.map(|e| e.code()), Some(crate::ErrorCode::InvalidInput), "{bad:?}");
        }
        assert!(serde_json::from_str::<OwnerId>("\"\"").is_err());
    }

    #[test]
    fn ids_display_with_prefix() {
        assert_eq!(ShowId(7).to_string(), "show-7");
        assert_eq!(serde_json::to_string(&HoldId(3)).ok().as_deref(), Some("3"));
    }
}
