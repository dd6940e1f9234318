//! A Redis Cluster of the test's own: three primaries with a replica each, from the local
//! `redis-server` and `redis-cli`, on free ports, with a short node timeout so that a replica takes
//! over a killed primary within seconds. Stopped and removed when dropped.

use parking_lot::Mutex;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Nodes: three primaries and their replicas.
const NODES: usize = 6;

/// A running throwaway cluster.
pub struct ThrowawayCluster {
    dir: PathBuf,
    ports: Vec<u16>,
    nodes: Mutex<Vec<Option<Child>>>,
}

/// A port that is free, and whose cluster bus port (+10,000) is free too.
fn free_port(taken: &[u16]) -> u16 {
    for _ in 0..1_000 {
        let Ok(l) = TcpListener::bind("127.0.0.1:0") else { continue };
        let Ok(port) = l.local_addr().map(|a| a.port()) else { continue };
        if !(20_000..=55_000).contains(&port) || taken.contains(&port) {
            continue;
        }
        if TcpListener::bind(("127.0.0.1", port + 10_000)).is_ok() {
            return port;
        }
    }
    panic!("no free port pair for a cluster node")
}

/// `redis-cli -p port args...`, its output.
fn cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("redis-cli (is redis-tools installed?): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < limit, "{what}: not after {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl ThrowawayCluster {
    /// Starts six nodes and joins them into a cluster of three primaries with a replica each;
    /// answers once every primary has its replica in sync.
    pub fn start() -> ThrowawayCluster {
        let dir =
            std::env::temp_dir().join(format!("booking-cluster-{}-{}", std::process::id(), free_port(&[])));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut ports = Vec::with_capacity(NODES);
        while ports.len() < NODES {
            let p = free_port(&ports);
            ports.push(p);
        }
        let nodes = ports
            .iter()
            .map(|port| {
                let child = Command::new("redis-server")
                    .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--cluster-enabled", "yes"])
                    .args([
                        "--cluster-config-file",
                        &format!("nodes-{port}.conf"),
                        "--cluster-node-timeout",
                        "1000",
                    ])
                    .args(["--save", "", "--appendonly", "no", "--dir"])
                    .arg(&dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap_or_else(|e| panic!("redis-server: {e}"));
                Some(child)
            })
            .collect();
        let cluster = ThrowawayCluster { dir, ports, nodes: Mutex::new(nodes) };
        for &port in &cluster.ports {
            wait_for(&format!("node {port} answers"), Duration::from_secs(10), || {
                cli(port, &["ping"]).contains("PONG")
            });
        }
        let addrs: Vec<String> = cluster.ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
        let created = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addrs)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("redis-cli --cluster create: {e}"));
        assert!(created.success(), "redis-cli --cluster create failed");
        wait_for("the cluster is ready with a replica per primary", Duration::from_secs(30), || {
            cluster.ports.iter().all(|&p| cli(p, &["cluster", "info"]).contains("cluster_state:ok"))
                && cluster.primaries().len() == 3
                && cluster.primaries().iter().all(|&p| {
                    let info = cli(p, &["info", "replication"]);
                    info.contains("connected_slaves:1") && info.contains("state=online")
                })
        });
        cluster
    }

    /// The URL the store connects to: every node.
    pub fn url(&self) -> String {
        let nodes: Vec<String> = self.ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
        format!("redis+cluster://{}", nodes.join(","))
    }

    /// The ports of the nodes that are primaries now, as a live node sees them.
    pub fn primaries(&self) -> Vec<u16> {
        let Some(&seen_from) = self.live().first() else { return Vec::new() };
        cli(seen_from, &["cluster", "nodes"])
            .lines()
            .filter(|l| l.contains("master") && !l.contains("fail"))
            .filter_map(|l| l.split_whitespace().nth(1))
            .filter_map(|addr| addr.split('@').next()?.rsplit(':').next()?.parse().ok())
            .collect()
    }

    fn live(&self) -> Vec<u16> {
        let nodes = self.nodes.lock();
        self.ports.iter().zip(nodes.iter()).filter(|(_, c)| c.is_some()).map(|(p, _)| *p).collect()
    }

    /// How many keys the node on `port` holds.
    pub fn keys(&self, port: u16) -> u64 {
        cli(port, &["dbsize"]).trim().parse().unwrap_or(0)
    }

    /// Kills the node on `port` with SIGKILL.
    pub fn kill(&self, port: u16) {
        let mut nodes = self.nodes.lock();
        let at = self.ports.iter().position(|p| *p == port).unwrap_or_else(|| panic!("no node {port}"));
        if let Some(mut child) = nodes[at].take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits until a replica has taken over the slots of `killed`: three primaries again, none
    /// of them `killed`, and every live node sees the cluster whole.
    pub fn wait_for_failover(&self, killed: u16) -> Duration {
        let start = Instant::now();
        wait_for("a replica takes over", Duration::from_secs(30), || {
            let primaries = self.primaries();
            primaries.len() == 3
                && !primaries.contains(&killed)
                && self.live().iter().all(|&p| cli(p, &["cluster", "info"]).contains("cluster_state:ok"))
        });
        start.elapsed()
    }
}

impl Drop for ThrowawayCluster {
    fn drop(&mut self) {
        for child in self.nodes.lock().iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
