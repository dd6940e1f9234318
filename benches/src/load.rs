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
    /// Busy CPU time of the whole machine during the phase ([`machine_busy`]), where known.
    pub cpu: Option<Duration>,
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

    /// Busy CPU time of the machine per completed operation, in microseconds: what an
    /// operation cost every process together (generator, servers, kernel). A shared machine's
    /// speed changes from minute to minute; this moves much less than the rate does.
    pub fn cpu_micros_per_op(&self) -> Option<f64> {
        let cpu = self.cpu?;
        (self.done > 0).then(|| cpu.as_secs_f64() * 1e6 / self.done as f64)
    }

    /// Prints `| phase | clients | rate | p50 | p99 | refused | cpu/op |` and the extra cells
    /// given.
    pub fn print(mut self, phase: &str, clients: usize, extra: &[String]) {
        self.micros.sort_unstable();
        let cpu = self.cpu_micros_per_op().map_or("?".to_string(), |c| format!("{c:.0} µs"));
        let mut row = format!(
            "| {phase} | {clients} | {:.0}/s | {:.2} ms | {:.2} ms | {} | {cpu} |",
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

/// The busy CPU time of the whole machine so far, from `/proc/stat`: user, nice, system, irq and
/// softirq time of every core (not idle, I/O wait or steal); `None` where it cannot be read.
pub fn machine_busy() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let mut fields = stat.lines().next()?.split_whitespace();
    if fields.next()? != "cpu" {
        return None;
    }
    let ticks: Vec<u64> = fields.take(7).map(|f| f.parse().ok()).collect::<Option<_>>()?;
    let busy = [0, 1, 2, 5, 6].iter().map(|&i| ticks.get(i).copied()).sum::<Option<u64>>()?;
    // USER_HZ, the unit of /proc/stat, is 100 on every Linux target.
    Some(Duration::from_millis(busy.saturating_mul(10)))
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
    let cpu_before = machine_busy();
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
    all.cpu = cpu_before.zip(machine_busy()).map(|(before, after)| after.saturating_sub(before));
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
    fn the_machine_s_busy_time_grows_while_a_core_spins() {
        let before = machine_busy().unwrap_or_else(|| panic!("/proc/stat unreadable"));
        let spin = Instant::now();
        let mut x = 0u64;
        while spin.elapsed() < Duration::from_millis(300) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let after = machine_busy().unwrap_or_else(|| panic!("/proc/stat unreadable"));
        assert!(after >= before + Duration::from_millis(100), "{before:?} then {after:?}");
        let s = Stats { done: 4, cpu: Some(Duration::from_millis(2)), ..Stats::default() };
        assert_eq!(s.cpu_micros_per_op(), Some(500.0));
        assert_eq!(Stats::default().cpu_micros_per_op(), None);
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
