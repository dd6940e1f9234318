//! Errors of pricing: a policy that cannot be used, or a quote that cannot be made.

use crate::money::MoneyError;

/// Why a pricing policy was refused or a quote could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// The policy itself is invalid (a rule out of range, a missing price...).
    #[error("invalid pricing policy: {field}: {reason}")]
    InvalidPolicy {
        /// The offending field, e.g. `tax.rate_bp` or `promos[2].code`.
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// A seat's category has no base price in the policy.
    #[error("no price for seat category {category:?}")]
    UnknownCategory {
        /// The category without a price.
        category: String,
    },
    /// The ticket type is not offered by the policy.
    #[error("unknown ticket type {ticket_type:?}")]
    UnknownTicketType {
        /// The ticket type asked for.
        ticket_type: String,
    },
    /// The promo code does not exist or does not apply now or to this selection.
    #[error("promo code {code:?} rejected: {reason}")]
    PromoRejected {
        /// The code as given.
        code: String,
        /// Why it does not apply.
        reason: String,
    },
    /// An amount overflowed or currencies were mixed.
    #[error(transparent)]
    Money(#[from] MoneyError),
}
