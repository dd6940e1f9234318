//! The hybrid store on a real three-node Redis Cluster (`./scripts/services up` starts one): the
//! conformance suite, and a race over many shows at once whose keys land on every node.

mod common;

use booking_core::Booking;
use std::sync::Arc;

mod conformance {
    booking_core::store_conformance_tests!(super::common::cluster_store().await);
}

const SHOWS: usize = 12;

/// Keys under `prefix` on the node at `url`.
async fn keys_on(url: &str, prefix: &str) -> usize {
    let client = redis::Client::open(url).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    keys.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_race_over_many_shows_spread_over_the_nodes_never_sells_a_seat_twice() {
    let url = common::cluster_url();
    let store = common::hybrid(&url, 32).await;
    let pool = store.postgres().pool().clone();
    let prefix = store.options().key_prefix.clone();
    let store: booking_core::DynStore = Arc::new(store);
    let mut shows = Vec::new();
    for _ in 0..SHOWS {
        shows.push(common::pg::rush_show(store.clone()).await);
    }
    let races = shows.iter().map(|(engine, show, labels)| {
        let (engine, show, labels) = (engine.clone(), show.clone(), labels.clone());
        tokio::spawn(async move { common::pg::race_for_seats(&engine, &show, &labels, 8, 20).await })
    });
    let mut results: Vec<(Vec<Booking>, usize)> = Vec::new();
    for r in races.collect::<Vec<_>>() {
        results.push(r.await.unwrap_or_else(|e| panic!("{e}")));
    }
    for ((engine, show, _), (confirmed, refused)) in shows.iter().zip(&results) {
        assert!(!confirmed.is_empty() && *refused > 0, "{}: the tasks did not race", show.id);
        common::pg::assert_sold_once(&pool, engine, show, confirmed).await;
    }
    // Every node serves some of the shows.
    let nodes = url.trim_start_matches(booking_redis::CLUSTER_SCHEME).split(',');
    for node in nodes {
        let n = keys_on(&format!("redis://{node}"), &prefix).await;
        assert!(n > 0, "node {node} has none of the shows' keys: the keys did not spread");
    }
}
