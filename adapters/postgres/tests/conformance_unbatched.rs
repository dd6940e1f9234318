//! The core's store conformance suite on PostgreSQL with batching off: every request alone.

mod common;

use std::sync::Arc;

booking_core::store_conformance_tests!(Arc::new(common::pg_store_unbatched(8).await));
