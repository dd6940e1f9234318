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
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{PgConnection, PgPool};
use std::future::Future;
use std::pin::Pin;

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
///
/// Each step on the transaction's connection is a boxed `Send` future: sqlx's executors are
/// generic over the connection's lifetime, which leaves rustc unable to prove a caller's future
/// `Send` (rust-lang/rust#102211), and the Node binding connects on tokio, which needs `Send`.
pub(crate) async fn migrate(pool: &PgPool) -> StoreResult<()> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    run_sql(&mut tx, LOCK).await.map_err(store_error)?;
    let mut migrator = migrator();
    migrator.set_locking(false);
    run_migrations(&migrator, &mut tx).await.map_err(|e| match e {
        MigrateError::Execute(e) => store_error(e),
        other => StoreError::Backend { message: other.to_string() },
    })?;
    for (file, sql) in FUNCTIONS {
        run_sql(&mut tx, sql).await.map_err(|e| match store_error(e) {
            StoreError::Backend { message } => {
                StoreError::Backend { message: format!("functions/{file}: {message}") }
            }
            other => other,
        })?;
    }
    tx.commit().await.map_err(store_error)
}

/// A future that erases the connection's lifetime from the caller's `Send` check.
type SendFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Runs `sql` (one or more statements, by the simple query protocol) on the transaction's
/// connection: the executor's own boxed future, which is `Send` as written.
fn run_sql<'c>(conn: &'c mut PgConnection, sql: &'c str) -> SendFuture<'c, Result<(), sqlx::Error>> {
    let run = sqlx::Executor::execute(conn, sql);
    Box::pin(async move { run.await.map(|_| ()) })
}

/// Runs the migrations the schema lacks on the transaction's connection (`run_direct`: `run`,
/// generic over `Acquire`, meets the same rustc limitation).
fn run_migrations<'c>(
    migrator: &'c Migrator,
    conn: &'c mut PgConnection,
) -> SendFuture<'c, Result<(), MigrateError>> {
    Box::pin(migrator.run_direct(conn))
}
