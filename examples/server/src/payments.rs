//! Payments behind a [`PaymentGateway`], with a simulated gateway whose test tokens succeed,
//! decline or time out, so the whole flow runs with no outside service.

use async_trait::async_trait;
use booking_core::Money;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// A charge to make.
#[derive(Debug, Clone)]
pub struct ChargeRequest {
    /// The same key always gives the same charge (a retried payment never charges twice).
    pub idempotency_key: String,
    /// How much.
    pub amount: Money,
    /// The card token the client got from the gateway's own form.
    pub token: String,
}

/// A charge the gateway made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// The gateway's id for it: the booking's payment reference.
    pub id: String,
}

/// Why a payment failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The card was refused.
    #[error("payment declined: {reason}")]
    Declined {
        /// As the gateway says.
        reason: String,
    },
    /// The gateway did not answer in time; the payment may or may not have happened, and a
    /// retry with the same idempotency key settles it.
    #[error("the payment gateway did not answer in time")]
    Timeout,
    /// The gateway failed.
    #[error("payment gateway failure: {0}")]
    Failure(String),
}

/// A payment service provider.
#[async_trait]
pub trait PaymentGateway: Send + Sync + 'static {
    /// Takes the money, once per idempotency key.
    async fn charge(&self, req: &ChargeRequest) -> Result<Charge, PaymentError>;
    /// Gives it back (a refund, or the void of a charge whose booking could not be confirmed).
    async fn refund(&self, charge_id: &str, amount: Money) -> Result<(), PaymentError>;
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
