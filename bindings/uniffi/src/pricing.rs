//! Pricing policies: parsed and validated by the core, passed to the engine to schedule shows.

use crate::call::{Live, guard};
use crate::error::BookingError;
use booking_core as bc;
use std::collections::HashMap;
use std::sync::Arc;

/// A validated pricing policy (category prices, ticket types, windows, promos, fees, tax).
#[derive(Debug, uniffi::Object)]
pub struct PricingPolicy {
    pub(crate) inner: Arc<bc::PricingPolicy>,
    _live: Live,
}

#[uniffi::export]
impl PricingPolicy {
    /// Parses and validates the JSON form; errors name the field, e.g. `tax.rate_bp`.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, BookingError> {
        guard("PricingPolicy.fromJson", || Ok(Self::wrap(bc::PricingPolicy::from_json(&json)?)))
    }

    /// Category prices in minor units and nothing else (one ticket type, `adult`; no fee or tax).
    #[uniffi::constructor]
    pub fn simple(currency: String, prices: HashMap<String, i64>) -> Result<Arc<Self>, BookingError> {
        guard("PricingPolicy.simple", || {
            let currency = bc::Currency::new(&currency)
                .map_err(|e| bc::BookingError::invalid("currency", e.to_string()))?;
            let mut prices: Vec<(&str, i64)> = prices.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            prices.sort_unstable();
            let policy = bc::PricingPolicy::simple(currency, &prices);
            policy.validate()?;
            Ok(Self::wrap(policy))
        })
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The currency of its prices.
    pub fn currency(&self) -> String {
        self.inner.currency().code().to_string()
    }
}

impl PricingPolicy {
    fn wrap(policy: bc::PricingPolicy) -> Arc<Self> {
        Arc::new(PricingPolicy { inner: Arc::new(policy), _live: Live::new() })
    }
}
