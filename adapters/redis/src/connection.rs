//! One Redis server or a Redis Cluster, behind one connection type, with every call bounded in
//! time and every failure mapped to a typed store error.

use crate::options::RedisOptions;
use crate::scripts::{Call, scripts};
use booking_core::{StoreError, StoreResult};
use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, FromRedisValue, Pipeline, RedisError, RedisFuture, Value};
use std::time::Duration;

/// URL scheme that names a Redis Cluster by its nodes: `redis+cluster://h1:p1,h2:p2,h3:p3`.
pub const CLUSTER_SCHEME: &str = "redis+cluster://";

/// A connection to one server (reconnecting by itself) or to a cluster (routing by key slot).
#[derive(Clone)]
pub(crate) enum Conn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Conn::Single(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Conn::Single(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

fn invalid_url(e: impl std::fmt::Display) -> StoreError {
    StoreError::InvalidRequest { field: "redis_url".into(), reason: e.to_string() }
}

/// Connects to `url`: `redis://host:port[/db]` for one server, [`CLUSTER_SCHEME`] for a cluster.
pub(crate) async fn connect(url: &str, options: &RedisOptions) -> StoreResult<Conn> {
    let connecting = async {
        if let Some(nodes) = url.strip_prefix(CLUSTER_SCHEME) {
            let nodes: Vec<String> = nodes.split(',').map(|n| format!("redis://{n}")).collect();
            let client = redis::cluster::ClusterClientBuilder::new(nodes)
                .connection_timeout(options.connect_timeout)
                .response_timeout(options.response_timeout)
                .retries(2)
                .build()
                .map_err(invalid_url)?;
            client.get_async_connection().await.map(Conn::Cluster).map_err(unavailable)
        } else {
            let client = redis::Client::open(url).map_err(invalid_url)?;
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(options.connect_timeout))
                .set_response_timeout(Some(options.response_timeout))
                .set_number_of_retries(2)
                .set_max_delay(Duration::from_millis(200));
            ConnectionManager::new_with_config(client, config).await.map(Conn::Single).map_err(unavailable)
        }
    };
    bounded(options.connect_timeout * 3, connecting).await
}

async fn load_library(conn: &mut Conn) -> Result<(), RedisError> {
    let load = redis::cmd("FUNCTION").arg("LOAD").arg("REPLACE").arg(&scripts().library).to_owned();
    load.query_async::<Value>(conn).await.map(drop)
}

/// Whether Redis refused a call because it does not have the function library.
fn function_missing(e: &RedisError) -> bool {
    e.to_string().contains("Function not found")
}

/// Redis failures are all retryable from the caller's side: the store's state is unchanged
/// unless a script ran to its end, and a script's effects are all or nothing.
pub(crate) fn unavailable(e: RedisError) -> StoreError {
    StoreError::Unavailable { message: format!("redis: {e}") }
}

async fn bounded<T>(limit: Duration, f: impl Future<Output = StoreResult<T>>) -> StoreResult<T> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r,
        Err(_) => Err(StoreError::Unavailable { message: format!("redis: no answer within {limit:?}") }),
    }
}

impl Conn {
    /// Runs a function of the library within `limit`, loading the library first when this
    /// server does not have it (a new or restarted server; in a cluster the load goes to every
    /// primary).
    pub(crate) async fn fcall<T: FromRedisValue>(&self, call: &Call, limit: Duration) -> StoreResult<T> {
        let mut conn = self.clone();
        bounded(limit, async move {
            match call.cmd.query_async(&mut conn).await {
                Err(e) if function_missing(&e) => {
                    load_library(&mut conn).await.map_err(unavailable)?;
                    call.cmd.query_async(&mut conn).await.map_err(unavailable)
                }
                r => r.map_err(unavailable),
            }
        })
        .await
    }

    /// Loads the function library (on every primary of a cluster), within `limit`. A server
    /// older than Redis 7.0 has no functions: that is a configuration error, said as such.
    pub(crate) async fn load_library(&self, limit: Duration) -> StoreResult<()> {
        let mut conn = self.clone();
        bounded(limit, async move {
            load_library(&mut conn).await.map_err(|e| match e.kind() {
                redis::ErrorKind::Server(_) => StoreError::InvalidRequest {
                    field: "redis_url".into(),
                    reason: format!(
                        "the server refused the function library (booking-redis needs Redis 7.0 or later): {e}"
                    ),
                },
                _ => unavailable(e),
            })
        })
        .await
    }

    /// Runs one command within `limit`.
    pub(crate) async fn query<T: FromRedisValue>(&self, cmd: &Cmd, limit: Duration) -> StoreResult<T> {
        let mut conn = self.clone();
        bounded(limit, async move { cmd.query_async(&mut conn).await.map_err(unavailable) }).await
    }
}
