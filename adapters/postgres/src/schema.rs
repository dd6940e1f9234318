//! The schema: the tables, from the embedded migrations (`migrations/`, `sqlx::migrate!`), and the
//! one current body of every function (`functions/`, in file-name order), applied together by
//! [`crate::PgStore::migrate`].
//!
//! Migrations are forward only and recorded in `_sqlx_migrations`; a change of a table is a new
//! migration. Functions are `CREATE OR REPLACE` and applied again on every migrate, so a function
//! is changed in its file, in place, and its file is the only place its body is written. A
//! migration drops a function only when its signature or result type changes (PostgreSQL will not
//! replace those) or when it goes.

use crate::errors::store_error;
use booking_core::{StoreError, StoreResult};
use sqlx::PgPool;
use sqlx::migrate::{MigrateError, Migrator};

include!(concat!(env!("OUT_DIR"), "/functions.rs"));

/// One migration at a time per schema, whichever process runs it: sqlx's own lock is per
/// database and outside the transaction, this one covers the migrations and the functions
/// together, and lets the schemas of one database (the tests') migrate side by side.
const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended('booking-postgres migrate ' \
                    || coalesce(current_schema(), ''), 0))";

/// The migrator of the embedded migrations; sqlx records what it applied in `_sqlx_migrations`.
///
/// It makes the tables only: [`crate::PgStore::migrate`] runs it and applies the functions after
/// it, in the same transaction.
pub fn migrator() -> Migrator {
    sqlx::migrate!("./migrations")
}

/// Brings the schema of `pool`'s connections up to date in one transaction: the migrations it
/// lacks, then every function file.
pub(crate) async fn migrate(pool: &PgPool) -> StoreResult<()> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    sqlx::query(LOCK).execute(&mut *tx).await.map_err(store_error)?;
    let mut migrator = migrator();
    migrator.set_locking(false);
    migrator.run(&mut *tx).await.map_err(|e| match e {
        MigrateError::Execute(e) => store_error(e),
        other => StoreError::Backend { message: other.to_string() },
    })?;
    for (file, sql) in FUNCTIONS {
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| match store_error(e) {
            StoreError::Backend { message } => {
                StoreError::Backend { message: format!("functions/{file}: {message}") }
            }
            other => other,
        })?;
    }
    tx.commit().await.map_err(store_error)
}
