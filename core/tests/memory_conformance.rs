//! The store conformance suite on the in-memory store.

use booking_core::{DynStore, MemoryStore};
use std::sync::Arc;

fn fresh_store() -> DynStore {
    Arc::new(MemoryStore::new())
}

booking_core::store_conformance_tests!(fresh_store());
