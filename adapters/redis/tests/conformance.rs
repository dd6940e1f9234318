//! The core's store conformance suite on the hybrid store: holds on one Redis server.

mod common;

booking_core::store_conformance_tests!(common::store().await);
