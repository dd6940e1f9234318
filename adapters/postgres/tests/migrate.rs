//! Migrations: on an empty schema, twice in a row.

mod common;

use booking_postgres::{PgStore, PgStoreOptions};

#[tokio::test]
async fn migrating_twice_changes_nothing_the_second_time() {
    let schema = common::fresh_schema();
    common::create_schema(&schema).await;
    let options = PgStoreOptions { schema: Some(schema.clone()), ..PgStoreOptions::default() };
    let store = PgStore::connect(&common::database_url(), options).await.unwrap_or_else(|e| panic!("{e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("first migration: {e}"));
    let count = || async {
        let row: (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = $1), \
                    (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1)",
        )
        .bind(&schema)
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        row
    };
    let first = count().await;
    assert!(first.0 >= 10 && first.1 >= 20, "the schema has its tables and functions: {first:?}");
    store.migrate().await.unwrap_or_else(|e| panic!("second migration: {e}"));
    assert_eq!(count().await, first);
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
