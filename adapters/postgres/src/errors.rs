//! From PostgreSQL's answers to the core's typed [`StoreError`]: a caller never sees a raw sqlx
//! error.
//!
//! The operation functions (migration `0002_operations.sql`) refuse a request by raising SQLSTATE
//! `BC000` with the error code as the message and its details as JSON in the detail field.
//! Connection trouble and pool exhaustion become the retryable [`StoreError::Unavailable`];
//! serialization failures and deadlocks are retried by [`crate::retry`] before they get here.

use booking_core::{
    BookingAction, BookingId, BookingStatus, HoldId, InvalidTransition, SeatIdx, ShowId, StoreError,
};
use serde_json::Value;
use sqlx::error::DatabaseError;
use sqlx::postgres::PgDatabaseError;

/// The SQLSTATE of a refusal raised by an operation function.
const REFUSAL: &str = "BC000";

/// Whether the error is one that running the same call again may cure: a serialization failure
/// or a deadlock.
pub(crate) fn is_transient(e: &sqlx::Error) -> bool {
    matches!(e.as_database_error().and_then(|d| d.code()).as_deref(), Some("40001" | "40P01"))
}

/// The store error for a failed call.
pub(crate) fn store_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) => database_error(db.as_ref()),
        sqlx::Error::PoolTimedOut => {
            StoreError::Unavailable { message: "no database connection free in time".into() }
        }
        sqlx::Error::PoolClosed => {
            StoreError::Unavailable { message: "the connection pool is closed".into() }
        }
        sqlx::Error::Io(io) => StoreError::Unavailable { message: format!("database connection: {io}") },
        sqlx::Error::Tls(t) => StoreError::Unavailable { message: format!("database connection: {t}") },
        sqlx::Error::Protocol(p) => StoreError::Unavailable { message: format!("database protocol: {p}") },
        sqlx::Error::WorkerCrashed => StoreError::Unavailable { message: "database worker crashed".into() },
        _ => StoreError::Backend { message: e.to_string() },
    }
}

fn database_error(db: &dyn DatabaseError) -> StoreError {
    let code = db.code();
    match code.as_deref() {
        Some(REFUSAL) => {
            let detail = db.try_downcast_ref::<PgDatabaseError>().and_then(|p| p.detail()).unwrap_or("{}");
            let detail: Value = serde_json::from_str(detail).unwrap_or(Value::Null);
            refusal(db.message(), &detail)
        }
        // A constraint refused the write: the schema's own guarantee against a double booking.
        Some("23505") if db.constraint().is_some_and(|c| c.starts_with("bc_seat_claims")) => {
            tracing::error!(constraint = ?db.constraint(), "a seat constraint refused a write");
            StoreError::SeatUnavailable { seats: Vec::new() }
        }
        // Admin shutdown, crash shutdown, cannot connect now, too many connections.
        Some("57P01" | "57P02" | "57P03" | "53300") => {
            StoreError::Unavailable { message: db.message().to_string() }
        }
        Some(c) if c.starts_with("08") => StoreError::Unavailable { message: db.message().to_string() },
        _ => StoreError::Backend { message: db.message().to_string() },
    }
}

/// The error of an item that a batch function refused: its code and JSON details.
pub(crate) fn refused_item(code: &str, detail: Option<&str>) -> StoreError {
    let detail: Value = serde_json::from_str(detail.unwrap_or("{}")).unwrap_or(Value::Null);
    refusal(code, &detail)
}

fn refusal(code: &str, d: &Value) -> StoreError {
    let int = |k: &str| d.get(k).and_then(Value::as_i64).unwrap_or(0);
    let text = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    // What a hold or booking error names, the way the memory store names it.
    let what = || match (d.get("hold"), d.get("booking")) {
        (Some(h), _) => HoldId(h.as_u64().unwrap_or(0)).to_string(),
        (_, Some(b)) => BookingId(b.as_u64().unwrap_or(0)).to_string(),
        _ => String::new(),
    };
    match code {
        "not_found" => {
            StoreError::NotFound { entity: entity(&text("entity")), id: id_text(&text("entity"), int("id")) }
        }
        "seat_unavailable" => StoreError::SeatUnavailable {
            seats: d
                .get("seats")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).map(|s| SeatIdx(s as u32)).collect())
                .unwrap_or_default(),
        },
        "hold_expired" => StoreError::HoldExpired { what: what() },
        "not_owner" => StoreError::NotOwner { what: what() },
        "stale_fence" => {
            StoreError::StaleFence { presented: int("presented") as u64, current: int("current") as u64 }
        }
        "limit_exceeded" => {
            StoreError::LimitExceeded { limit: limit(&text("limit")), max: int("max") as u64 }
        }
        "invalid_transition" => match (status(&text("from")), action(&text("action"))) {
            (Some(from), Some(action)) => StoreError::InvalidTransition(InvalidTransition { from, action }),
            _ => StoreError::Backend { message: format!("invalid transition {d}") },
        },
        "show_overlap" => StoreError::ShowOverlap { other: ShowId(int("other") as u64) },
        "show_cancelled" => StoreError::ShowCancelled { show: ShowId(int("show") as u64) },
        "idempotency_conflict" => StoreError::IdempotencyConflict,
        "already_checked_in" => StoreError::AlreadyCheckedIn {
            booking: BookingId(int("booking") as u64),
            seat: SeatIdx(int("seat") as u32),
        },
        "promo_exhausted" => StoreError::PromoExhausted { code: text("code") },
        "invalid_request" => StoreError::InvalidRequest { field: text("field"), reason: text("reason") },
        other => StoreError::Backend { message: format!("unknown refusal {other}: {d}") },
    }
}

fn entity(name: &str) -> &'static str {
    match name {
        "theatre" => "theatre",
        "screen" => "screen",
        "show" => "show",
        "hold" => "hold",
        "booking" => "booking",
        _ => "record",
    }
}

fn id_text(entity: &str, id: i64) -> String {
    let id = id as u64;
    match entity {
        "show" => ShowId(id).to_string(),
        "hold" => HoldId(id).to_string(),
        "booking" => BookingId(id).to_string(),
        _ => id.to_string(),
    }
}

fn limit(name: &str) -> &'static str {
    match name {
        "holds_per_owner" => "holds_per_owner",
        "hold_lifetime_ms" => "hold_lifetime_ms",
        "leases_per_show" => "leases_per_show",
        "hold_changes_per_show" => "hold_changes_per_show",
        "shows" => "shows",
        _ => "limit",
    }
}

pub(crate) fn status(s: &str) -> Option<BookingStatus> {
    serde_json::from_value(Value::String(s.to_string())).ok()
}

fn action(s: &str) -> Option<BookingAction> {
    serde_json::from_value(Value::String(s.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_become_typed_errors() {
        let d = serde_json::json!({"seats": [3, 9]});
        assert_eq!(
            refusal("seat_unavailable", &d),
            StoreError::SeatUnavailable { seats: vec![SeatIdx(3), SeatIdx(9)] }
        );
        let d = serde_json::json!({"from": "refunded", "action": "cancel"});
        assert_eq!(
            refusal("invalid_transition", &d),
            StoreError::InvalidTransition(InvalidTransition {
                from: BookingStatus::Refunded,
                action: BookingAction::Cancel
            })
        );
        let d = serde_json::json!({"entity": "hold", "id": 7});
        assert_eq!(
            refusal("not_found", &d),
            StoreError::NotFound { entity: "hold", id: HoldId(7).to_string() }
        );
        assert!(matches!(refusal("no_such_code", &d), StoreError::Backend { .. }));
    }
}
