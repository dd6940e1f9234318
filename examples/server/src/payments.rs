//! The server's payment gateways, behind booking-core's [`PaymentGateway`] (the engine runs the
//! payment saga): a simulated gateway whose test tokens succeed, decline or time out, so the
//! whole flow runs with no outside service, and the time limit every gateway call gets.

use async_trait::async_trait;
use booking_core::Money;
pub use booking_core::{Charge, ChargeRequest, PaymentError, PaymentGateway};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

/// The gateway of a production server that was given none: it takes no money, so every
/// payment is refused as `PAYMENT_FAILED` and nothing is ever charged by mistake.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoGateway;

/// Why [`NoGateway`] refuses.
pub const NO_GATEWAY: &str =
    "no payment gateway is configured (the simulated one runs only with --mode demo)";

#[async_trait]
impl PaymentGateway for NoGateway {
    async fn charge(&self, _: &ChargeRequest) -> Result<Charge, PaymentError> {
        Err(PaymentError::Failure(NO_GATEWAY.into()))
    }

    async fn refund(&self, _: &str, _: Money) -> Result<(), PaymentError> {
        Err(PaymentError::Failure(NO_GATEWAY.into()))
    }
}

/// A gateway with the server's time limit on every call, which logs the money it could not
/// give back (the engine only asks; an operator settles those by hand from the log).
pub struct TimedGateway {
    inner: Arc<dyn PaymentGateway>,
    limit: Duration,
}

impl std::fmt::Debug for TimedGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimedGateway").field("limit", &self.limit).finish_non_exhaustive()
    }
}

impl TimedGateway {
    /// `inner`, answering within `limit` (a call that takes longer is a [`PaymentError::Timeout`]).
    pub fn new(inner: Arc<dyn PaymentGateway>, limit: Duration) -> TimedGateway {
        TimedGateway { inner, limit }
    }
}

#[async_trait]
impl PaymentGateway for TimedGateway {
    async fn charge(&self, req: &ChargeRequest) -> Result<Charge, PaymentError> {
        tokio::time::timeout(self.limit, self.inner.charge(req)).await.unwrap_or(Err(PaymentError::Timeout))
    }

    async fn refund(&self, charge_id: &str, amount: Money) -> Result<(), PaymentError> {
        let done = tokio::time::timeout(self.limit, self.inner.refund(charge_id, amount))
            .await
            .unwrap_or(Err(PaymentError::Timeout));
        if let Err(e) = &done {
            tracing::error!(charge = charge_id, %amount, error = %e, "money not given back; settle it by hand");
        }
        done
    }
}

/// Test tokens of the simulated gateway.
pub mod tokens {
    /// Succeeds.
    pub const OK: &str = "tok_visa";
    /// Declined: insufficient funds.
    pub const DECLINE: &str = "tok_decline";
    /// Never answers (the server's gateway timeout fires).
    pub const TIMEOUT: &str = "tok_timeout";
}

/// A gateway that needs no network: `tok_visa` (or any token starting `tok_ok`) succeeds,
/// `tok_decline` is declined, `tok_timeout` never answers, anything else is declined as an
/// unknown card. Charge ids are an HMAC of the idempotency key, so it keeps no state and a
/// retry gets the same charge.
#[derive(Clone)]
pub struct SimulatedGateway {
    key: Vec<u8>,
}

impl std::fmt::Debug for SimulatedGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimulatedGateway")
    }
}

impl SimulatedGateway {
    /// A gateway whose charge ids derive from `key`.
    pub fn new(key: &[u8]) -> Self {
        SimulatedGateway { key: key.to_vec() }
    }

    fn charge_id(&self, idempotency_key: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return format!("sim_{idempotency_key}");
        };
        mac.update(idempotency_key.as_bytes());
        let digest = mac.finalize().into_bytes();
        let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        format!("sim_ch_{hex}")
    }
}

#[async_trait]
impl PaymentGateway for SimulatedGateway {
    async fn charge(&self, req: &ChargeRequest) -> Result<Charge, PaymentError> {
        match req.token.as_str() {
            t if t == tokens::OK || t.starts_with("tok_ok") => {
                Ok(Charge { id: self.charge_id(&req.idempotency_key) })
            }
            tokens::DECLINE => Err(PaymentError::Declined { reason: "insufficient funds".into() }),
            tokens::TIMEOUT => {
                // Far beyond any gateway timeout the server allows.
                tokio::time::sleep(Duration::from_secs(3_600)).await;
                Err(PaymentError::Timeout)
            }
            _ => Err(PaymentError::Declined { reason: "unknown card token".into() }),
        }
    }

    async fn refund(&self, _charge_id: &str, _amount: Money) -> Result<(), PaymentError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::Currency;

    fn req(token: &str, key: &str) -> ChargeRequest {
        ChargeRequest {
            idempotency_key: key.into(),
            amount: Money::new(1_000, Currency::EUR),
            token: token.into(),
        }
    }

    #[tokio::test]
    async fn tokens_succeed_decline_and_charges_are_idempotent() {
        let g = SimulatedGateway::new(b"k");
        let a = g.charge(&req(tokens::OK, "booking-1")).await;
        let b = g.charge(&req(tokens::OK, "booking-1")).await;
        let c = g.charge(&req(tokens::OK, "booking-2")).await;
        assert!(a.is_ok());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(matches!(g.charge(&req(tokens::DECLINE, "x")).await, Err(PaymentError::Declined { .. })));
        assert!(matches!(g.charge(&req("tok_stolen", "x")).await, Err(PaymentError::Declined { .. })));
        let timeout =
            tokio::time::timeout(Duration::from_millis(20), g.charge(&req(tokens::TIMEOUT, "x"))).await;
        assert!(timeout.is_err());
    }
}
