//! What every load generator here shares: clients that run an operation until a deadline, the
//! latencies they collect, and how a phase is printed (one row of a markdown table).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one call of a client's operation came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Completed; its latency is the whole call's.
    Done,
    /// Completed; the operation measured the latency that counts itself (e.g. one request of
    /// several).
    Timed(Duration),
    /// Refused for a reason the phase expects (a seat taken by another client).
    Refused,
    /// Nothing left to do: the client stops.
    Stop,
}

/// Latencies of one phase, and how many operations completed in how long.
#[derive(Debug, Default)]
pub struct Stats {
    /// Operations completed.
    pub done: u64,
    /// Operations refused as the phase expects.
    pub refused: u64,
    /// Wall time of the phase.
    pub elapsed: Duration,
    /// Latency of every completed operation, in microseconds.
    pub micros: Vec<u32>,
}

impl Stats {
    /// Completed operations per second.
    pub fn rate(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `p`-quantile latency (0 to 1) in milliseconds; `micros` must be sorted.
    fn quantile_ms(&self, p: f64) -> f64 {
        let i = ((self.micros.len() as f64 * p) as usize).min(self.micros.len().saturating_sub(1));
        self.micros.get(i).map_or(0.0, |m| f64::from(*m) / 1000.0)
    }

    /// Prints `| phase | clients | rate | p50 | p99 | refused |` and the extra cells given.
    pub fn print(mut self, phase: &str, clients: usize, extra: &[String]) {
        self.micros.sort_unstable();
        let mut row = format!(
            "| {phase} | {clients} | {:.0}/s | {:.2} ms | {:.2} ms | {} |",
            self.rate(),
            self.quantile_ms(0.5),
            self.quantile_ms(0.99),
            self.refused
        );
        for cell in extra {
            row.push_str(&format!(" {cell} |"));
        }
        println!("{row}");
    }
}

/// A small seeded generator, one per client.
#[derive(Debug, Clone)]
pub struct XorShift(pub u64);

impl XorShift {
    /// A generator for call `i` of client `c`.
    pub fn for_call(c: usize, i: u64) -> XorShift {
        XorShift(0x9E37_79B9_7F4A_7C15 ^ (((c as u64) << 32) | i))
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Runs `clients` copies of `op` (called with the client's number and its call's number) until
/// `seconds` pass, each client one call at a time, and collects what they did.
pub async fn run<F, Fut>(clients: usize, seconds: f64, op: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Step> + Send,
{
    let op = Arc::new(op);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut stats = Stats::default();
                let mut i = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let step = op(c, i).await;
                    i += 1;
                    let took = match step {
                        Step::Done => t.elapsed(),
                        Step::Timed(d) => d,
                        Step::Refused => {
                            stats.refused += 1;
                            continue;
                        }
                        Step::Stop => break,
                    };
                    stats.done += 1;
                    stats.micros.push(took.as_micros().min(u128::from(u32::MAX)) as u32);
                }
                stats
            })
        })
        .collect();
    let mut all = Stats::default();
    for t in tasks {
        let s = t.await.unwrap_or_else(|e| panic!("client: {e}"));
        all.done += s.done;
        all.refused += s.refused;
        all.micros.extend(s.micros);
    }
    all.elapsed = started.elapsed();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn clients_count_what_they_did_and_stop_when_told() {
        let stats = run(3, 5.0, |c, i| async move {
            match (c, i) {
                (_, 4..) => Step::Stop,
                (0, _) => Step::Refused,
                (_, _) => Step::Timed(Duration::from_micros(1_500)),
            }
        })
        .await;
        assert_eq!(stats.done, 8);
        assert_eq!(stats.refused, 4);
        assert!(stats.micros.iter().all(|m| *m == 1_500));
        assert!(stats.elapsed < Duration::from_secs(5), "stopped early, not at the deadline");
    }

    #[test]
    fn quantiles_come_from_the_sorted_latencies() {
        let mut s = Stats { micros: (1..=100).rev().map(|m| m * 1_000).collect(), ..Stats::default() };
        s.micros.sort_unstable();
        assert_eq!(s.quantile_ms(0.5), 51.0);
        assert_eq!(s.quantile_ms(0.99), 100.0);
        assert_eq!(Stats::default().quantile_ms(0.99), 0.0);
    }
}
