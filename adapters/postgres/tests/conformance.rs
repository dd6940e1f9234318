//! The core's store conformance suite on PostgreSQL.

mod common;

booking_core::store_conformance_tests!(common::store().await);
