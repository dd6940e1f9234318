//! Rate limits per client address: one for every request, a stricter one for logins.

use crate::app::AppState;
use crate::client_addr::ClientAddr;
use crate::error::ApiError;
use axum::extract::Request;
use axum::http::StatusCode;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// The limiters; `None` where the limit is off.
#[derive(Debug)]
pub struct RateLimits {
    general: Option<DefaultKeyedRateLimiter<IpAddr>>,
    login: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

fn too_many(wait_secs: u64, what: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", format!("too many {what}; slow down"))
        .retry_after(wait_secs.max(1))
}

fn check(limiter: Option<&DefaultKeyedRateLimiter<IpAddr>>, ip: IpAddr, what: &str) -> Result<(), ApiError> {
    match limiter.map(|l| l.check_key(&ip)) {
        Some(Err(not_until)) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Err(too_many(wait.as_secs() + u64::from(wait.subsec_nanos() > 0), what))
        }
        _ => Ok(()),
    }
}

impl RateLimits {
    /// `per_sec` requests a second with bursts of `burst`, and `login_per_min` logins a minute,
    /// per client address; 0 turns a limit off.
    pub fn new(per_sec: u32, burst: u32, login_per_min: u32) -> RateLimits {
        let general = NonZeroU32::new(per_sec).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(rate);
            DefaultKeyedRateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
        });
        let login = NonZeroU32::new(login_per_min)
            .map(|rate| DefaultKeyedRateLimiter::keyed(Quota::per_minute(rate)));
        RateLimits { general, login }
    }

    /// Counts a login attempt from `ip`.
    pub fn check_login(&self, ip: IpAddr) -> Result<(), ApiError> {
        check(self.login.as_ref(), ip, "login attempts")
    }

    /// Forgets addresses whose limits are back to full, so memory follows the active clients.
    pub fn tidy(&self) {
        for l in [&self.general, &self.login].into_iter().flatten() {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }

    /// Addresses tracked now.
    pub fn tracked(&self) -> usize {
        [&self.general, &self.login].into_iter().flatten().map(|l| l.len()).sum()
    }
}

/// The client address of a request, as the edge middleware found it (`client_addr.rs`).
pub fn client_ip(req: &Request) -> Option<IpAddr> {
    req.extensions().get::<ClientAddr>().map(|c| c.0)
}

/// Counts a request from its client against the general limit; over it, the 429 to answer.
pub fn check_request(state: &AppState, req: &Request) -> Result<(), ApiError> {
    let Some(ip) = client_ip(req) else { return Ok(()) };
    check(state.rate_limits.general.as_ref(), ip, "requests").inspect_err(|_| {
        state.metrics.rate_limited.inc();
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_client_waits() {
        let limits = RateLimits::new(1, 3, 2);
        let ip: IpAddr = [10, 0, 0, 1].into();
        let other: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..3 {
            assert!(check(limits.general.as_ref(), ip, "requests").is_ok());
        }
        let e = check(limits.general.as_ref(), ip, "requests").err();
        assert!(
            matches!(e, Some(e) if e.status == StatusCode::TOO_MANY_REQUESTS && e.retry_after_secs >= Some(1))
        );
        assert!(check(limits.general.as_ref(), other, "requests").is_ok());
        assert!(limits.check_login(ip).is_ok() && limits.check_login(ip).is_ok());
        assert!(limits.check_login(ip).is_err());
        let off = RateLimits::new(0, 0, 0);
        assert!(
            (0..1_000).all(|_| check(off.general.as_ref(), ip, "r").is_ok() && off.check_login(ip).is_ok())
        );
    }
}
