//! The model-based property test on the memory store (`booking_core::testkit::run_model`): random
//! operation sequences against the engine and a small reference model, every invariant of
//! DESIGN.md section 4 after every step. The other stores run the same test with fewer cases.

use booking_core::{DynStore, MemoryStore};
use std::sync::Arc;

booking_core::model_tests!(96, Arc::new(MemoryStore::new()) as DynStore);
