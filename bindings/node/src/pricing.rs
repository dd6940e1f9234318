//! Pricing policies: validated once when made, then shared by every show scheduled with them.

use crate::errors;
use booking_core::{BookingError, Currency};
use booking_front as front;
use napi::Env;
use napi_derive::napi;
use std::collections::HashMap;
use std::sync::Arc;

/// A validated pricing policy (category prices, ticket types, time windows, early bird, demand
/// tiers, promo codes, fee, tax, rounding). Its JSON form is the core's, with snake_case keys.
#[napi]
pub struct PricingPolicy {
    pub(crate) inner: Arc<booking_core::PricingPolicy>,
}

fn refused(env: &Env, e: impl Into<BookingError>) -> napi::Error {
    errors::to_napi(env, &e.into())
}

#[napi]
impl PricingPolicy {
    /// Parses and validates a policy's JSON form, as a string or as an object; an
    /// `INVALID_PRICING` error names the offending field (e.g. `promos[2].discount`).
    #[napi(catch_unwind, factory, ts_args_type = "rules: string | Record<string, unknown>")]
    pub fn from_json(env: Env, rules: serde_json::Value) -> napi::Result<Self> {
        let json = match rules {
            serde_json::Value::String(text) => text,
            object => object.to_string(),
        };
        let policy = booking_core::PricingPolicy::from_json(&json).map_err(|e| refused(&env, e))?;
        Ok(PricingPolicy { inner: Arc::new(policy) })
    }

    /// One base price per seat category, in minor units, and nothing else (no rules, fee or tax).
    #[napi(catch_unwind, factory)]
    pub fn simple(env: Env, currency: String, prices: HashMap<String, i64>) -> napi::Result<Self> {
        let currency = Currency::new(&currency).map_err(|e| refused(&env, e))?;
        let prices: Vec<(&str, i64)> = prices.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let policy = booking_core::PricingPolicy::simple(currency, &prices);
        policy.validate().map_err(|e| refused(&env, e))?;
        Ok(PricingPolicy { inner: Arc::new(policy) })
    }

    /// The JSON form (`PricingPolicy.fromJson` reads it back).
    #[napi(catch_unwind)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The currency of every price.
    #[napi(catch_unwind, getter)]
    pub fn currency(&self) -> String {
        self.inner.currency().code().to_string()
    }

    /// The base price of a seat category, if the policy has one.
    #[napi(catch_unwind)]
    pub fn base_price(&self, category: String) -> Option<front::Money> {
        self.inner.base_price(&category).map(front::Money::from)
    }
}
