//! The Python binding's argument decoder: `booking_front::by_name`, which turns an operation's
//! name and its keyword arguments (as the JSON object the Python layer writes) into an engine
//! call. Each input runs on a fresh engine over the memory store, with a show, a hold and a
//! pending booking of ann's, so that a failing input replays alone.
//!
//! The input: the operation (its name, or a first byte that picks one of
//! [`booking_front::by_name::OPERATIONS`]), the byte `0xFF`, then the arguments. Whatever the
//! bytes: no panic, an answer is JSON, a refusal is typed (bad input names its field and the
//! reason) and leaves the show's log as it was.

use crate::{assert_typed, ready, split_field};
use booking_core::testkit;
use booking_core::{HoldRequest, MemoryStore, SeatChoice, ShowId};
use booking_front::by_name::{OPERATIONS, call};
use std::sync::Arc;

/// The operation an input names.
fn operation(field: &[u8]) -> &'static str {
    let named = std::str::from_utf8(field).ok().and_then(|n| OPERATIONS.iter().find(|o| **o == n));
    named
        .copied()
        .unwrap_or_else(|| OPERATIONS[usize::from(field.first().copied().unwrap_or(0)) % OPERATIONS.len()])
}

/// The target.
pub fn python_args(data: &[u8]) {
    let (op, args) = split_field(data).unwrap_or((data, &[]));
    let op = operation(op);
    let Ok(args) = std::str::from_utf8(args) else { return };
    ready(async {
        let f = testkit::fixture(Arc::new(MemoryStore::new())).await;
        let hold = |labels: &[&str]| HoldRequest {
            places: Vec::new(),
            show: f.show.id,
            owner: testkit::owner("ann"),
            seats: labels.iter().map(|l| SeatChoice::new(l)).collect(),
            promo_code: None,
            accessible: false,
        };
        let staged = async {
            f.engine.hold(hold(&["A1", "A2"])).await?;
            let booked = f.engine.hold(hold(&["A5"])).await?;
            f.engine.create_booking(booked.id, testkit::actor("ann"), "stage", None).await
        };
        staged.await.unwrap_or_else(|e| panic!("setting the stage: {e}"));
        let engine = &f.engine;
        let log =
            |show: ShowId| async move { engine.events_since(show, 0, 10_000).await.map(|e| e.len()).ok() };
        let before = log(f.show.id).await;
        match call(&f.engine, op, args).await {
            Ok(answer) => {
                let parsed = serde_json::from_str::<serde_json::Value>(&answer);
                assert!(parsed.is_ok(), "{op}({args}) answered what is not JSON: {answer}");
            }
            Err(e) => {
                assert_typed(&e, &format!("{op}({args})"));
                assert_eq!(
                    log(f.show.id).await,
                    before,
                    "{op}({args}) was refused ({e}) but changed the log"
                );
            }
        }
    });
}
