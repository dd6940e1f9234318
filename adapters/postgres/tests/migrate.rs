//! Migrations and functions: on an empty schema, twice in a row, and by two processes at once;
//! every migration file is embedded and every function file applied, each function's body
//! written once.

mod common;

use booking_postgres::{PgStore, PgStoreOptions};
use std::collections::BTreeSet;
use std::path::Path;

/// A store on a fresh, empty schema, not migrated.
async fn empty_store() -> (PgStore, String) {
    let schema = common::fresh_schema();
    common::create_schema(&schema).await;
    let options = PgStoreOptions { schema: Some(schema.clone()), ..PgStoreOptions::default() };
    let store = PgStore::connect(&common::database_url(), options).await.unwrap_or_else(|e| panic!("{e}"));
    (store, schema)
}

/// The files of `dir` in this crate, by name, with their text.
fn files(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            (name, std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}")))
        })
        .collect();
    out.sort();
    out
}

/// The names of the functions `sql` creates, in order.
fn created(sql: &str, statement: &str) -> Vec<String> {
    sql.match_indices(statement)
        .map(|(i, _)| sql[i + statement.len()..].split('(').next().unwrap_or("").trim().to_string())
        .collect()
}

/// Tables and `bc_` functions (with their overloads) of `schema`.
async fn counts(store: &PgStore, schema: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = $1), \
                (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname = $1 AND p.proname LIKE 'bc\\_%')",
    )
    .bind(schema)
    .fetch_one(store.pool())
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn migrating_twice_changes_nothing_the_second_time() {
    let (store, schema) = empty_store().await;
    store.migrate().await.unwrap_or_else(|e| panic!("first migration: {e}"));
    let first = counts(&store, &schema).await;
    assert!(first.0 >= 10 && first.1 >= 20, "the schema has its tables and functions: {first:?}");
    store.migrate().await.unwrap_or_else(|e| panic!("second migration: {e}"));
    assert_eq!(counts(&store, &schema).await, first);
    let applied: (i64,) = sqlx::query_as("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        applied.0,
        booking_postgres::migrator().migrations.len() as i64,
        "each migration is recorded once"
    );
}

#[tokio::test]
async fn every_migration_file_is_embedded() {
    let on_disk: Vec<i64> = files("migrations")
        .iter()
        .map(|(name, _)| {
            assert!(name.ends_with(".sql"), "migrations/{name} is not a migration");
            name.split('_').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("migrations/{name}"))
        })
        .collect();
    let embedded: Vec<i64> = booking_postgres::migrator().migrations.iter().map(|m| m.version).collect();
    assert_eq!(embedded, on_disk);
}

#[tokio::test]
async fn every_function_file_is_applied_and_each_body_is_written_once() {
    let mut in_files = Vec::new();
    for (name, sql) in files("functions") {
        assert!(name.ends_with(".sql"), "functions/{name} is not SQL");
        assert!(
            created(&sql, "CREATE FUNCTION").is_empty(),
            "functions/{name}: every function is CREATE OR REPLACE, so that migrate can apply it again"
        );
        in_files.extend(created(&sql, "CREATE OR REPLACE FUNCTION "));
    }
    let unique: BTreeSet<String> = in_files.iter().cloned().collect();
    assert_eq!(unique.len(), in_files.len(), "a function has two bodies in functions/: {in_files:?}");
    for (name, sql) in files("migrations") {
        let upper = sql.to_uppercase();
        assert!(
            created(&upper, "CREATE FUNCTION").is_empty()
                && created(&upper, "CREATE OR REPLACE FUNCTION").is_empty(),
            "migrations/{name} defines a function: its body belongs in functions/"
        );
    }
    let pg = common::pg_store_with(2).await;
    let in_schema: Vec<String> = sqlx::query_scalar(
        "SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace \
         AND p.proname LIKE 'bc\\_%' ORDER BY 1",
    )
    .fetch_all(pg.pool())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    // Equal as lists: every file's functions are there, nothing else, and no stale overload.
    assert_eq!(in_schema, unique.into_iter().collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_migrating_at_once_do_not_race() {
    let (first, schema) = empty_store().await;
    let options = PgStoreOptions { schema: Some(schema.clone()), ..PgStoreOptions::default() };
    let second = PgStore::connect(&common::database_url(), options).await.unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = tokio::join!(first.migrate(), second.migrate());
    a.unwrap_or_else(|e| panic!("first: {e}"));
    b.unwrap_or_else(|e| panic!("second: {e}"));
    let (tables, functions) = counts(&first, &schema).await;
    assert!(tables >= 10 && functions >= 20, "{tables} tables, {functions} functions");
    // And again, with stores in use: replacing the functions under a running store is harmless.
    let f = booking_core::testkit::fixture(std::sync::Arc::new(first.clone())).await;
    let (a, b, hold) = tokio::join!(first.migrate(), second.migrate(), f.hold("ann", &["A1"]));
    a.unwrap_or_else(|e| panic!("first, again: {e}"));
    b.unwrap_or_else(|e| panic!("second, again: {e}"));
    hold.unwrap_or_else(|e| panic!("a hold while migrating: {e}"));
    assert_eq!(counts(&first, &schema).await, (tables, functions));
}
