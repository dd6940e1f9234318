//! A Redis Cluster primary dies mid-rush: a throwaway cluster of three primaries with a replica
//! each; the primary that holds the show's keys is killed with SIGKILL while customers hold, book
//! and pay on the hybrid store; its replica takes over. Then, as after a PostgreSQL crash
//! (`common::rush`): every acknowledged confirmation is still confirmed with its seats, no seat is
//! sold twice, the log replays, callers met only retryable errors while the cluster failed over,
//! and the same store object serves again. Holds the dead primary had not yet passed to its
//! replica are lost (Redis replicates asynchronously): they are counted, never sold twice.

mod common;

use common::rush::Rush;
use common::throwaway_cluster::ThrowawayCluster;
use std::sync::Arc;
use std::time::Duration;

/// The primary holding the most keys: the show's, all in one slot.
fn busiest_primary(cluster: &ThrowawayCluster) -> u16 {
    cluster.primaries().into_iter().max_by_key(|p| cluster.keys(*p)).unwrap_or_else(|| panic!("no primary"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hybrid_store_survives_a_cluster_failover() {
    let cluster = Arc::new(ThrowawayCluster::start());
    let store = common::hybrid(&cluster.url(), 8).await;
    let pool = store.postgres().pool().clone();
    let mut rush = Rush::start("cluster failover", Arc::new(store)).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let victim = busiest_primary(&cluster);
    cluster.kill(victim);
    rush.out();
    let c = cluster.clone();
    let took = tokio::task::spawn_blocking(move || c.wait_for_failover(victim))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("cluster failover: primary {victim} killed, a replica took over in {} ms", took.as_millis());
    rush.back();
    rush.finish(&pool).await;
}
