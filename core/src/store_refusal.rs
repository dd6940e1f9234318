//! One refusal vocabulary for every store: a store that decides inside its backend (PL/pgSQL,
//! Lua) answers a refusal as a code and a JSON object of details, and [`StoreError::from_refusal`]
//! turns it back into the typed error. [`StoreError::refusal_code`] and
//! [`StoreError::refusal_details`] give the same pair for a typed error, so a test can hold every
//! store's words to these: `from_refusal(e.refusal_code(), &e.refusal_details()) == e`.
//!
//! | code | details |
//! |---|---|
//! | `not_found` | `entity` (`show`, `hold`, `booking`, ...), `id` (its number or its name) |
//! | `seat_unavailable` | `seats`: seat indices |
//! | `places_unavailable` | `zone` (its id in the layout), `wanted` |
//! | `hold_expired`, `not_owner` | one of `hold`, `booking`, `show` (a number), or `what` (a name) |
//! | `stale_fence` | `presented`, `current` |
//! | `limit_exceeded` | `limit` (one of [`LIMIT_NAMES`]), `max` |
//! | `invalid_transition` | `from` (a booking status), `action` (a booking action) |
//! | `show_overlap` | `other` |
//! | `show_cancelled` | `show` |
//! | `idempotency_conflict` | none |
//! | `already_checked_in` | `booking`, `seat` (an index) |
//! | `promo_exhausted` | `code` |
//! | `invalid_request` | `field`, `reason` |
//! | `repriced` | `taken` |
//! | `unavailable`, `backend` | `message` |

use crate::booking_status::InvalidTransition;
use crate::ids::{BookingId, HoldId, ScreenId, SeatIdx, ShowId, TheatreId};
use crate::store_error::StoreError;
use serde_json::{Map, Value, json};

/// Every limit a store or the engine can report in `LIMIT_EXCEEDED`, by its stable name.
pub const LIMIT_NAMES: [&str; 7] = [
    "seats_per_hold",
    "holds_per_owner",
    "tickets_per_owner",
    "hold_lifetime_ms",
    "leases_per_show",
    "hold_changes_per_show",
    "shows",
];

/// Every kind of entity a `NOT_FOUND` can name, by its stable name.
pub const ENTITY_NAMES: [&str; 8] =
    ["theatre", "screen", "show", "hold", "booking", "seat", "ticket", "record"];

/// The static name of a limit, or `"limit"` for a name this version does not know.
pub fn limit_name(name: &str) -> &'static str {
    LIMIT_NAMES.iter().find(|n| **n == name).copied().unwrap_or("limit")
}

/// The static name of an entity, or `"record"` for one this version does not know.
pub fn entity_name(name: &str) -> &'static str {
    ENTITY_NAMES.iter().find(|n| **n == name).copied().unwrap_or("record")
}

/// The name an id of `entity` is shown with, e.g. `hold-7` (a number for other entities).
fn id_name(entity: &str, id: u64) -> String {
    match entity {
        "theatre" => TheatreId(id).to_string(),
        "screen" => ScreenId(id).to_string(),
        "show" => ShowId(id).to_string(),
        "hold" => HoldId(id).to_string(),
        "booking" => BookingId(id).to_string(),
        _ => id.to_string(),
    }
}

impl StoreError {
    /// Whether the error names seats by index, which the engine turns into labels.
    pub fn names_seats(&self) -> bool {
        matches!(self, StoreError::SeatUnavailable { .. } | StoreError::AlreadyCheckedIn { .. })
    }

    /// The refusal code of this error, e.g. `"seat_unavailable"`.
    pub fn refusal_code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::SeatUnavailable { .. } => "seat_unavailable",
            StoreError::PlacesUnavailable { .. } => "places_unavailable",
            StoreError::HoldExpired { .. } => "hold_expired",
            StoreError::NotOwner { .. } => "not_owner",
            StoreError::StaleFence { .. } => "stale_fence",
            StoreError::LimitExceeded { .. } => "limit_exceeded",
            StoreError::InvalidTransition(_) => "invalid_transition",
            StoreError::ShowOverlap { .. } => "show_overlap",
            StoreError::ShowCancelled { .. } => "show_cancelled",
            StoreError::IdempotencyConflict => "idempotency_conflict",
            StoreError::AlreadyCheckedIn { .. } => "already_checked_in",
            StoreError::PromoExhausted { .. } => "promo_exhausted",
            StoreError::InvalidRequest { .. } => "invalid_request",
            StoreError::Repriced { .. } => "repriced",
            StoreError::SeatsChanged { .. } => "seats_changed",
            StoreError::Unavailable { .. } => "unavailable",
            StoreError::Backend { .. } => "backend",
        }
    }

    /// The details of this error in the refusal vocabulary (always a JSON object).
    pub fn refusal_details(&self) -> Value {
        match self {
            StoreError::NotFound { entity, id } => json!({ "entity": entity, "id": id }),
            StoreError::SeatUnavailable { seats } => json!({ "seats": seats }),
            StoreError::PlacesUnavailable { zone, wanted } => json!({ "zone": zone, "wanted": wanted }),
            StoreError::HoldExpired { what } | StoreError::NotOwner { what } => json!({ "what": what }),
            StoreError::StaleFence { presented, current } => {
                json!({ "presented": presented, "current": current })
            }
            StoreError::LimitExceeded { limit, max } => json!({ "limit": limit, "max": max }),
            StoreError::InvalidTransition(t) => json!({ "from": t.from, "action": t.action }),
            StoreError::ShowOverlap { other } => json!({ "other": other }),
            StoreError::ShowCancelled { show } => json!({ "show": show }),
            StoreError::IdempotencyConflict => json!({}),
            StoreError::AlreadyCheckedIn { booking, seat } => json!({ "booking": booking, "seat": seat }),
            StoreError::PromoExhausted { code } => json!({ "code": code }),
            StoreError::InvalidRequest { field, reason } => json!({ "field": field, "reason": reason }),
            StoreError::Repriced { taken } => json!({ "taken": taken }),
            StoreError::SeatsChanged { seats } => json!({ "seats": seats }),
            StoreError::Unavailable { message } | StoreError::Backend { message } => {
                json!({ "message": message })
            }
        }
    }

    /// The typed error of a refusal that a store's backend answered with `code` and `details`.
    ///
    /// A code this version does not know, or details that do not fit it, is a
    /// [`StoreError::Backend`] naming both: never a silent success, never a panic.
    ///
    /// ```
    /// # use booking_core::{SeatIdx, StoreError};
    /// let e = StoreError::from_refusal("seat_unavailable", &serde_json::json!({ "seats": [3, 9] }));
    /// assert_eq!(e, StoreError::SeatUnavailable { seats: vec![SeatIdx(3), SeatIdx(9)] });
    /// assert_eq!(StoreError::from_refusal(e.refusal_code(), &e.refusal_details()), e);
    /// ```
    pub fn from_refusal(code: &str, details: &Value) -> StoreError {
        let empty = Map::new();
        let d = details.as_object().unwrap_or(&empty);
        Refusal { d }
            .decode(code)
            .unwrap_or_else(|| StoreError::Backend { message: format!("unknown refusal {code}: {details}") })
    }
}

/// The details of one refusal, read field by field.
struct Refusal<'a> {
    d: &'a Map<String, Value>,
}

impl Refusal<'_> {
    fn u64(&self, key: &str) -> Option<u64> {
        self.d.get(key)?.as_u64()
    }

    fn text(&self, key: &str) -> Option<String> {
        self.d.get(key)?.as_str().map(str::to_string)
    }

    fn typed<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_value(self.d.get(key)?.clone()).ok()
    }

    /// What a hold or booking refusal names: `hold-7`, `booking-9`, `show-3`, or a name as given.
    fn what(&self) -> Option<String> {
        if let Some(what) = self.text("what") {
            return Some(what);
        }
        ["hold", "booking", "show"]
            .into_iter()
            .find_map(|entity| self.u64(entity).map(|id| id_name(entity, id)))
    }

    fn decode(&self, code: &str) -> Option<StoreError> {
        Some(match code {
            "not_found" => {
                let entity = entity_name(&self.text("entity")?);
                let id = match self.d.get("id")? {
                    Value::String(s) => s.clone(),
                    other => id_name(entity, other.as_u64()?),
                };
                StoreError::NotFound { entity, id }
            }
            "seat_unavailable" => StoreError::SeatUnavailable { seats: self.typed("seats")? },
            "places_unavailable" => StoreError::PlacesUnavailable {
                zone: u32::try_from(self.u64("zone")?).ok()?,
                wanted: u32::try_from(self.u64("wanted")?).ok()?,
            },
            "hold_expired" => StoreError::HoldExpired { what: self.what()? },
            "not_owner" => StoreError::NotOwner { what: self.what()? },
            "stale_fence" => {
                StoreError::StaleFence { presented: self.u64("presented")?, current: self.u64("current")? }
            }
            "limit_exceeded" => {
                StoreError::LimitExceeded { limit: limit_name(&self.text("limit")?), max: self.u64("max")? }
            }
            "invalid_transition" => StoreError::InvalidTransition(InvalidTransition {
                from: self.typed("from")?,
                action: self.typed("action")?,
            }),
            "show_overlap" => StoreError::ShowOverlap { other: ShowId(self.u64("other")?) },
            "show_cancelled" => StoreError::ShowCancelled { show: ShowId(self.u64("show")?) },
            "idempotency_conflict" => StoreError::IdempotencyConflict,
            "already_checked_in" => StoreError::AlreadyCheckedIn {
                booking: BookingId(self.u64("booking")?),
                seat: SeatIdx(u32::try_from(self.u64("seat")?).ok()?),
            },
            "promo_exhausted" => StoreError::PromoExhausted { code: self.text("code")? },
            "invalid_request" => {
                StoreError::InvalidRequest { field: self.text("field")?, reason: self.text("reason")? }
            }
            "repriced" => StoreError::Repriced { taken: u32::try_from(self.u64("taken")?).ok()? },
            "seats_changed" => StoreError::SeatsChanged { seats: self.typed("seats")? },
            "unavailable" => StoreError::Unavailable { message: self.text("message")? },
            "backend" => StoreError::Backend { message: self.text("message")? },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booking_status::{BookingAction, BookingStatus};

    fn every_kind() -> Vec<StoreError> {
        vec![
            StoreError::NotFound { entity: "hold", id: "hold-7".into() },
            StoreError::SeatUnavailable { seats: vec![SeatIdx(3), SeatIdx(9)] },
            StoreError::PlacesUnavailable { zone: 1, wanted: 4 },
            StoreError::HoldExpired { what: "booking-9".into() },
            StoreError::NotOwner { what: "hold-4".into() },
            StoreError::StaleFence { presented: 3, current: 5 },
            StoreError::LimitExceeded { limit: "holds_per_owner", max: 4 },
            StoreError::InvalidTransition(InvalidTransition {
                from: BookingStatus::Refunded,
                action: BookingAction::Cancel,
            }),
            StoreError::ShowOverlap { other: ShowId(2) },
            StoreError::ShowCancelled { show: ShowId(2) },
            StoreError::IdempotencyConflict,
            StoreError::AlreadyCheckedIn { booking: BookingId(9), seat: SeatIdx(4) },
            StoreError::PromoExhausted { code: "SUMMER".into() },
            StoreError::InvalidRequest { field: "seats".into(), reason: "duplicate".into() },
            StoreError::Repriced { taken: 12 },
            StoreError::SeatsChanged { seats: vec![SeatIdx(4)] },
            StoreError::Unavailable { message: "busy".into() },
            StoreError::Backend { message: "broken".into() },
        ]
    }

    #[test]
    fn every_error_round_trips_through_the_vocabulary() {
        let kinds = every_kind();
        let codes: std::collections::HashSet<_> = kinds.iter().map(StoreError::refusal_code).collect();
        assert_eq!(codes.len(), kinds.len(), "one code per kind");
        for e in kinds {
            let details = e.refusal_details();
            assert!(details.is_object(), "{e:?}");
            assert_eq!(StoreError::from_refusal(e.refusal_code(), &details), e);
        }
    }

    #[test]
    fn backends_may_name_things_by_number() {
        assert_eq!(
            StoreError::from_refusal("not_found", &json!({ "entity": "hold", "id": 7 })),
            StoreError::NotFound { entity: "hold", id: "hold-7".into() }
        );
        assert_eq!(
            StoreError::from_refusal("hold_expired", &json!({ "booking": 9 })),
            StoreError::HoldExpired { what: "booking-9".into() }
        );
        assert_eq!(
            StoreError::from_refusal("not_owner", &json!({ "hold": 4 })),
            StoreError::NotOwner { what: "hold-4".into() }
        );
    }

    #[test]
    fn unknown_codes_and_broken_details_are_backend_failures() {
        for (code, details) in [
            ("no_such_code", json!({})),
            ("seat_unavailable", json!({ "seats": "A1" })),
            ("limit_exceeded", json!({ "max": 3 })),
            ("invalid_transition", json!({ "from": "gone", "action": "cancel" })),
            ("stale_fence", Value::Null),
        ] {
            assert!(
                matches!(StoreError::from_refusal(code, &details), StoreError::Backend { .. }),
                "{code} {details}"
            );
        }
    }

    #[test]
    fn unknown_limit_and_entity_names_are_generic() {
        assert_eq!(limit_name("holds_per_owner"), "holds_per_owner");
        assert_eq!(limit_name("parsecs"), "limit");
        assert_eq!(entity_name("booking"), "booking");
        assert_eq!(entity_name("planet"), "record");
    }
}
