//! A small cache of resolved time zones: resolving a name parses tz data, which is too slow for
//! every quote. Bounded by the number of IANA zones (invalid names are never cached).

use crate::error::BookingError;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;

/// Most zones cached; far above the ~600 IANA names, so it only guards against misuse.
const TIME_ZONES_CACHED_MAX: usize = 1_024;

#[derive(Clone, Default)]
pub(crate) struct TimeZoneCache(Arc<RwLock<HashMap<String, jiff::tz::TimeZone>>>);

impl TimeZoneCache {
    pub(crate) fn get(&self, field: &str, name: &str) -> Result<jiff::tz::TimeZone, BookingError> {
        if let Some(tz) = self.0.read().get(name) {
            return Ok(tz.clone());
        }
        let tz = crate::venue::time_zone(field, name)?;
        let mut map = self.0.write();
        if map.len() < TIME_ZONES_CACHED_MAX {
            map.insert(name.to_string(), tz.clone());
        }
        Ok(tz)
    }
}
