//! The booking-server under load: started as a process of its own on a free port, its resident
//! memory read from `/proc`, stopped with SIGTERM (a graceful shutdown) at the end.

use crate::Store;
use crate::client::Http;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const ADMIN_EMAIL: &str = "load-admin@example.com";
const ADMIN_PASSWORD: &str = "load-admin-password";
/// How often memory is sampled during a phase.
const RSS_SAMPLE_MS: u64 = 100;

/// A running booking-server.
pub struct Server {
    /// The process (taken by `stop`; a generator that panics kills it on the way out).
    child: Option<Child>,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// PostgreSQL to tidy at the end: (admin URL, schema).
    schema: Option<(String, String)>,
    /// The Redis whose keys of this run go at the end (hybrid store).
    redis: Option<String>,
}

fn env_or(names: &[&str], default: &str) -> String {
    names.iter().find_map(|n| std::env::var(n).ok()).unwrap_or_else(|| default.to_string())
}

fn default_binary() -> String {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    format!("{target}/release/booking-server")
}

/// `VmRSS` or `VmHWM` of process `pid`, in MiB (0 where unknown).
fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

impl Server {
    /// Starts `binary` (default: the release build) on `store` and waits until it listens.
    pub async fn start(store: Store, binary: Option<&str>) -> Server {
        let binary = binary.map_or_else(default_binary, str::to_string);
        let mut cmd = Command::new(&binary);
        cmd.args([
            "--listen",
            "127.0.0.1:0",
            "--mode",
            "demo",
            "--demo-data",
            "false",
            "--log-format",
            "text",
        ])
        .args(["--admin-email", ADMIN_EMAIL, "--admin-password", ADMIN_PASSWORD])
        .args(["--rate-limit-per-sec", "0", "--login-per-min", "0"])
        .env("BOOKING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
        let mut schema = None;
        if store != Store::Memory {
            let url = env_or(
                &["BOOKING_BENCH_DATABASE_URL", "BOOKING_TEST_DATABASE_URL"],
                "postgres://postgres@127.0.0.1:5432/postgres",
            );
            let name = format!("bc_server_load_{}", std::process::id());
            let admin =
                sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| panic!("cannot reach {url}: {e}"));
            sqlx::query(&format!("CREATE SCHEMA {name}"))
                .execute(&admin)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            cmd.args(["--database-url", &url, "--database-schema", &name]);
            schema = Some((url, name));
        }
        let mut redis = None;
        if store == Store::Hybrid {
            let url =
                env_or(&["BOOKING_BENCH_REDIS_URL", "BOOKING_TEST_REDIS_URL"], "redis://127.0.0.1:6379");
            cmd.args(["--redis-url", &url]);
            redis = Some(url);
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {binary}: {e} (cargo build --release -p booking-server)")
        });
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads the banner, then drains the output so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("booking-server on ") {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or_default().to_string());
                }
            }
        });
        let url = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|_| panic!("{binary} did not start listening within 60 s"));
        Server { child: Some(child), url, schema, redis }
    }

    /// Logs in the admin the server was started with; the access token.
    pub async fn admin_token(&self, http: &Http) -> String {
        let body = json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD });
        let answer = http.expect(0, 200, http.post("/v1/auth/login", None, None, &body)).await;
        answer["access_token"].as_str().unwrap_or_default().to_string()
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The server's resident memory now, in MiB.
    pub fn rss_mib(&self) -> f64 {
        status_mib(self.pid(), "VmRSS:")
    }

    /// The most resident memory the server has had, in MiB.
    pub fn peak_mib(&self) -> f64 {
        status_mib(self.pid(), "VmHWM:")
    }

    /// Runs `phase` while sampling the server's memory; its result and the most seen, in MiB.
    pub async fn sampling<T>(&self, phase: impl Future<Output = T>) -> (T, f64) {
        let pid = self.pid();
        let peak = Arc::new(AtomicU64::new(0));
        let sampler = tokio::spawn({
            let peak = peak.clone();
            async move {
                loop {
                    let kib = (status_mib(pid, "VmRSS:") * 1024.0) as u64;
                    peak.fetch_max(kib, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(RSS_SAMPLE_MS)).await;
                }
            }
        });
        let out = phase.await;
        sampler.abort();
        peak.fetch_max((self.rss_mib() * 1024.0) as u64, Ordering::Relaxed);
        (out, peak.load(Ordering::Relaxed) as f64 / 1024.0)
    }

    /// Stops the server gracefully (SIGTERM) and drops the run's schema.
    pub async fn stop(mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.pid().to_string()]).status();
        let mut child = self.child.take();
        let exited = tokio::task::spawn_blocking(move || {
            let child = child.as_mut()?;
            for _ in 0..200 {
                if let Ok(Some(status)) = child.try_wait() {
                    return Some(status);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            None
        })
        .await
        .ok()
        .flatten();
        assert!(exited.is_some_and(|s| s.success()), "the server did not shut down cleanly: {exited:?}");
        if let Some((url, name)) = self.schema.take() {
            let admin = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| panic!("{e}"));
            if let Some(redis) = self.redis.take() {
                // The hybrid store's keys start with its default prefix and this database's name.
                let (instance,): (String,) =
                    sqlx::query_as(&format!("SELECT name FROM {name}.bc_ledger_instance"))
                        .fetch_one(&admin)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                let prefix = format!("{}{instance}:", booking_redis::RedisOptions::default().key_prefix);
                booking_benches::forget_redis_keys(&redis, &prefix).await;
            }
            sqlx::query(&format!("DROP SCHEMA {name} CASCADE"))
                .execute(&admin)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
