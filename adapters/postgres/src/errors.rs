//! From PostgreSQL's answers to the core's typed [`StoreError`]: a caller never sees a raw sqlx
//! error.
//!
//! The functions (`functions/`) refuse a request by raising SQLSTATE `BC000` with a refusal code
//! of the core as the message and its details as a JSON object in the detail field (see
//! `functions/00_refusals.sql`); [`StoreError::from_refusal`] turns the pair into the typed error,
//! as it does for every store. Connection trouble and pool exhaustion become the retryable
//! [`StoreError::Unavailable`]; serialization failures and deadlocks are retried by
//! [`crate::retry`] before they get here.

use booking_core::StoreError;
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
            refusal(db.message(), db.try_downcast_ref::<PgDatabaseError>().and_then(|p| p.detail()))
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

/// The typed error of a refusal, raised or answered by a batch function for one item: its code
/// and JSON details. Details that are not JSON are a backend failure naming them.
pub(crate) fn refusal(code: &str, detail: Option<&str>) -> StoreError {
    let detail = detail.unwrap_or("{}");
    match serde_json::from_str::<Value>(detail) {
        Ok(details) => StoreError::from_refusal(code, &details),
        Err(e) => {
            StoreError::Backend { message: format!("refusal {code} with unreadable details {detail}: {e}") }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::{BookingAction, BookingStatus, HoldId, InvalidTransition, SeatIdx};

    #[test]
    fn refusals_become_typed_errors() {
        assert_eq!(
            refusal("seat_unavailable", Some(r#"{"seats": [3, 9]}"#)),
            StoreError::SeatUnavailable { seats: vec![SeatIdx(3), SeatIdx(9)] }
        );
        assert_eq!(
            refusal("invalid_transition", Some(r#"{"from": "refunded", "action": "cancel"}"#)),
            StoreError::InvalidTransition(InvalidTransition {
                from: BookingStatus::Refunded,
                action: BookingAction::Cancel
            })
        );
        assert_eq!(
            refusal("not_found", Some(r#"{"entity": "hold", "id": 7}"#)),
            StoreError::NotFound { entity: "hold", id: HoldId(7).to_string() }
        );
        assert_eq!(refusal("idempotency_conflict", None), StoreError::IdempotencyConflict);
        assert!(matches!(refusal("no_such_code", Some("{}")), StoreError::Backend { .. }));
        assert!(matches!(refusal("not_found", Some("not json")), StoreError::Backend { .. }));
    }
}
