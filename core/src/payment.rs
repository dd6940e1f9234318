//! Payments: the gateway a host plugs in (a card processor, or a simulated one), seen by the
//! engine only through [`PaymentGateway`]. The saga that charges and confirms is
//! [`crate::BookingEngine::pay`].

use crate::error::BookingError;
use crate::money::Money;
use async_trait::async_trait;

/// Longest payment token a client may send, in bytes (a card processor's tokens are short).
pub const PAYMENT_TOKEN_BYTES_MAX: usize = 200;

/// A charge to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRequest {
    /// The same key always gives the same charge: the engine uses the booking, so that a
    /// retried payment, or two payments of one booking racing, are charged once.
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

impl From<PaymentError> for BookingError {
    fn from(e: PaymentError) -> Self {
        match e {
            PaymentError::Declined { reason } => BookingError::PaymentDeclined { reason },
            PaymentError::Timeout => BookingError::PaymentTimeout,
            PaymentError::Failure(reason) => BookingError::PaymentFailed { reason },
        }
    }
}

/// A payment service provider.
///
/// A gateway answers within its own time limit: one that cannot reach its provider in time
/// answers [`PaymentError::Timeout`] (the engine runs on any executor and keeps no timer).
/// A gateway also reports its own failures to give money back (a log line, an alert): the
/// engine cannot do more than ask.
#[async_trait]
pub trait PaymentGateway: Send + Sync + 'static {
    /// Takes the money, once per idempotency key.
    async fn charge(&self, req: &ChargeRequest) -> Result<Charge, PaymentError>;
    /// Gives it back: a refund, or the void of a charge whose booking could not be confirmed.
    async fn refund(&self, charge_id: &str, amount: Money) -> Result<(), PaymentError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn payment_errors_have_their_codes_and_details() {
        let declined: BookingError = PaymentError::Declined { reason: "insufficient funds".into() }.into();
        assert_eq!(declined.code(), ErrorCode::PaymentDeclined);
        assert_eq!(declined.details(), serde_json::json!({ "reason": "insufficient funds" }));
        let timeout: BookingError = PaymentError::Timeout.into();
        assert_eq!((timeout.code(), timeout.details()), (ErrorCode::PaymentTimeout, serde_json::json!({})));
        let failed: BookingError = PaymentError::Failure("503 from the processor".into()).into();
        assert_eq!(failed.code().as_str(), "PAYMENT_FAILED");
        assert_eq!(failed.details()["reason"], "503 from the processor");
    }
}
