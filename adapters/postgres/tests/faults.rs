//! Faults on a real server: PostgreSQL kills the store's connections again and again in the middle
//! of a rush of bookings. Calls that lose their connection fail with the retryable
//! `STORE_UNAVAILABLE`, retries with the same idempotency key get the first answer, no booking is
//! left half made, no seat gets two tickets, the log still replays, and the store keeps serving.

mod common;

use booking_core::testkit::{actor, owner};
use booking_core::*;
use booking_postgres::{PgStore, PgStoreOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const TASKS: usize = 24;

/// Runs `call` until it answers something other than `STORE_UNAVAILABLE`, counting those.
async fn with_retries<T, F, Fut>(unavailable: &AtomicUsize, mut call: F) -> Result<T, BookingError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BookingError>>,
{
    for _ in 0..50 {
        match call().await {
            Err(e) if e.is_retryable() => {
                unavailable.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            other => return other,
        }
    }
    call().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_connections_leave_no_half_booking_and_no_double_sale() {
    let schema = common::fresh_schema();
    common::create_schema(&schema).await;
    let app = format!("bc-faults-{}", std::process::id());
    let options = PgStoreOptions {
        max_connections: 16,
        migrate_on_connect: true,
        schema: Some(schema),
        application_name: app.clone(),
        acquire_timeout: Duration::from_secs(5),
        ..PgStoreOptions::default()
    };
    let pg = PgStore::connect(&common::database_url(), options).await.unwrap_or_else(|e| panic!("{e}"));
    let pool = pg.pool().clone();
    let (engine, show, labels) = common::rush_show(Arc::new(pg)).await;

    // The killer: terminates one of this test's connections, at random, 25 times a second (at 100
    // a second, each of the 16 killed six times a second, some runs sold next to nothing, and
    // one sold nothing at all; at 25 the rush sells out and still meets a few dozen failures).
    // (Killing all of them each time left the pool too few live connections to sell anything on
    // a slow host: the test then proved nothing.)
    let killing = Arc::new(AtomicBool::new(true));
    let admin = sqlx::PgPool::connect(&common::database_url()).await.unwrap_or_else(|e| panic!("{e}"));
    let killer = {
        let (killing, app) = (killing.clone(), app.clone());
        tokio::spawn(async move {
            let mut killed = 0i64;
            while killing.load(Ordering::Relaxed) {
                let n: (i64,) = sqlx::query_as(
                    "SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity \
                     WHERE application_name = $1 ORDER BY random() LIMIT 1) victim",
                )
                .bind(&app)
                .fetch_one(&admin)
                .await
                .unwrap_or((0,));
                killed += n.0;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            killed
        })
    };

    let unavailable = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (engine, labels, unavailable, show) =
            (engine.clone(), labels.clone(), unavailable.clone(), show.id);
        tasks.push(tokio::spawn(async move {
            let who = format!("buyer-{t}");
            let mut sold = Vec::new();
            for a in 0..16 {
                let seats = vec![
                    SeatChoice::new(&labels[(t * 2 + a * 5) % 50]),
                    SeatChoice::new(&labels[(t * 2 + a * 5 + 1) % 50]),
                ];
                let hold = with_retries(&unavailable, || {
                    let req = HoldRequest {
                        places: Vec::new(),
                        show,
                        owner: owner(&who),
                        seats: seats.clone(),
                        promo_code: None,
                        accessible: false,
                    };
                    engine.hold(req)
                })
                .await;
                let Ok(hold) = hold else { continue };
                let (create_key, pay_key) = (format!("{who}-{a}-create"), format!("{who}-{a}-pay"));
                let booking = with_retries(&unavailable, || {
                    engine.create_booking(hold.id, actor(&who), &create_key, None)
                })
                .await;
                let Ok(booking) = booking else { continue };
                let done = with_retries(&unavailable, || {
                    engine.confirm_booking(booking.id, actor(&who), "pay", &pay_key)
                })
                .await;
                if let Ok(done) = done {
                    sold.push(done.booking);
                }
            }
            sold
        }));
    }
    let mut sold = Vec::new();
    for t in tasks {
        sold.extend(t.await.unwrap_or_else(|e| panic!("{e}")));
    }
    killing.store(false, Ordering::Relaxed);
    let killed = killer.await.unwrap_or(0);
    assert!(killed > 0, "no connection was killed: the test injected no fault");
    assert!(unavailable.load(Ordering::Relaxed) > 0, "no call met a killed connection");
    assert!(!sold.is_empty(), "nothing was sold");

    common::assert_sold_once(&pool, &engine, &show, &sold).await;
    println!(
        "faults: {killed} connections killed, {} calls got STORE_UNAVAILABLE and were retried, {} bookings sold",
        unavailable.load(Ordering::Relaxed),
        sold.len()
    );
}
