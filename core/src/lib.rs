#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! Every item is exported at the crate root; grouped by what it is for:
//!
//! | area | start with |
//! |---|---|
//! | the engine, one method per user action | [`BookingEngine`], [`EngineConfig`], [`Actor`] |
//! | venues and layouts | [`NewTheatre`], [`Theatre`], [`Screen`], [`SeatLayout`] (text: [`SeatLayout::parse_text`]; JSON: [`LayoutSpec`]), [`LayoutError`] |
//! | shows and seat maps | [`ScheduleShow`], [`Show`], [`SeatMap`], [`SeatStatus`], [`BestRequest`] |
//! | pricing | [`PricingPolicy`], [`Quote`], [`Money`], [`Currency`], [`Tax`], [`Rounding`] |
//! | holds and selection rules | [`HoldRequest`], [`SeatChoice`], [`Hold`], [`SelectionRuleKind`] |
//! | bookings, payment and tickets | [`Booking`], [`BookingStatus`], [`BookingAction`], [`Confirmation`], [`PaymentGateway`], [`Ticket`], [`TicketSigner`], [`TicketVerifier`], [`CheckIn`] |
//! | the event log and replay | [`Event`], [`EventKind`], [`replay`] |
//! | errors | [`BookingError`] (its [`ErrorCode`] and [`BookingError::details`]), [`StoreError`] |
//! | stores | [`Store`], [`CatalogueStore`], [`InventoryStore`], [`BookingStore`], [`EventLog`], [`MemoryStore`]; the conformance suite in `testkit` (feature `testkit`) |
//! | time | [`Clock`], [`SystemClock`], [`ManualClock`], [`Timestamp`] |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod accessible;
mod best_available;
mod booking;
mod booking_status;
mod clock_tz;
mod engine;
mod engine_booking;
mod engine_config;
mod engine_demand;
mod engine_payables;
mod engine_payment;
mod engine_sell;
mod error;
mod event;
mod hold;
mod ids;
mod layout;
mod layout_error;
#[cfg(test)]
mod layout_fixtures;
mod layout_spec;
mod layout_text;
mod layout_validate;
mod memory_places;
mod memory_seats;
mod memory_show;
mod memory_store;
mod money;
mod occupancy;
#[cfg(feature = "openapi")]
mod openapi;
mod payment;
mod places;
mod pricing_adjustment;
mod pricing_compile;
mod pricing_compute;
mod pricing_error;
mod pricing_json;
mod pricing_policy;
#[cfg(test)]
mod pricing_proptest;
mod pricing_quote;
mod pricing_rounding;
mod pricing_rules;
mod pricing_tax;
#[cfg(test)]
mod pricing_tests;
#[cfg(test)]
mod pricing_validation_tests;
mod replay;
mod seat_witness;
mod selection;
mod show;
#[cfg(feature = "testkit")]
pub mod simulation;
#[cfg(feature = "testkit")]
pub mod simulation_turns;
mod store;
mod store_error;
mod store_refusal;
#[cfg(feature = "testkit")]
pub mod testkit;
#[cfg(feature = "testkit")]
mod testkit_hooked;
#[cfg(feature = "testkit")]
mod testkit_model;
#[cfg(feature = "testkit")]
mod testkit_orphans;
#[cfg(feature = "testkit")]
mod testkit_places;
#[cfg(feature = "testkit")]
mod testkit_store;
mod ticket;
mod time;
mod venue;

pub use accessible::{
    ACCESSIBLE_RELEASE_BEFORE_MS_DEFAULT, ACCESSIBLE_RELEASE_BEFORE_MS_MAX, adjacent_wheelchairs,
    check_accessible,
};
pub use best_available::*;
pub use booking::{Booking, IDEMPOTENCY_KEY_BYTES_MAX, PAYMENT_REF_BYTES_MAX};
pub use booking_status::{BookingAction, BookingStatus, InvalidTransition};
pub use engine::{BookingEngine, SHOW_DURATION_MS_MAX, ScheduleShow};
pub use engine_booking::{CheckIn, Confirmation};
pub use engine_config::{CONFIG_DURATION_MS_MAX, EngineConfig, HOLD_SEATS_MAX, TICKETS_PER_OWNER_MAX};
pub use engine_payables::PAYABLES_MAX;
pub use engine_payment::PayBooking;
pub use engine_sell::{
    BestRequest, CHOICE_NAME_BYTES_MAX, HoldRequest, SeatChoice, SeatMap, SeatStates, SeatView,
    WITNESS_ATTEMPTS_MAX,
};
pub use error::{BookingError, ErrorCode, SelectionRuleKind};
pub use event::{EVENTS_EACH_MAX, EVENTS_PAGE_MAX, EVENTS_SHOWS_MAX, Event, EventKind};
pub use hold::Hold;
pub use ids::{BookingId, HoldId, OWNER_ID_BYTES_MAX, OwnerId, ScreenId, SeatIdx, ShowId, TheatreId};
/// Time zones for pricing windows (re-exported from `jiff`).
pub use jiff::tz::TimeZone;
pub use layout::*;
pub use layout_error::{LayoutError, LayoutIssue};
pub use layout_spec::*;
pub use layout_text::LAYOUT_TEXT_BYTES_MAX;
pub use layout_validate::*;
pub use memory_store::{MEMORY_EVENTS_PER_SHOW_MAX, MemoryStore, MemoryStoreConfig};
pub use money::{Currency, Money, MoneyError};
pub use occupancy::{SeatOccupant, SeatStatus};
pub use payment::{Charge, ChargeRequest, PAYMENT_TOKEN_BYTES_MAX, PaymentError, PaymentGateway};
pub use places::{
    PLACES_PER_ZONE_MAX, PlaceChoice, ZonePick, label_places, place_json, place_label, placeholder_json,
    placeholder_label, zone_labels,
};
pub use pricing_adjustment::{ADJUSTMENT_BP_MAX, ADJUSTMENT_BP_MIN, Adjustment, PRICE_MINOR_MAX};
pub use pricing_error::PricingError;
pub use pricing_json::POLICY_JSON_BYTES_MAX;
pub use pricing_policy::PricingPolicy;
pub use pricing_quote::{Quote, QuoteAdjustment, QuoteLine, QuoteRequest, QuoteSeat};
pub use pricing_rounding::{ROUNDING_INCREMENT_MINOR_MAX, Rounding, RoundingMode};
pub use pricing_rules::*;
pub use pricing_tax::{TAX_RATE_BP_MAX, Tax, TaxMode};
pub use replay::{ReplayError, replay};
pub use seat_witness::SeatWitness;
pub use selection::*;
pub use show::{NewShow, Show, ShowFilter, ShowStatus};
pub use store::*;
pub use store_error::StoreError;
pub use store_refusal::{ENTITY_NAMES, LIMIT_NAMES, entity_name, limit_name};
pub use ticket::{
    TICKET_CODE_BYTES_MAX, TICKET_KEY_BYTES_MIN, TICKET_KEYS_MAX, Ticket, TicketClaims, TicketKey,
    TicketSigner, TicketVerifier,
};
pub use time::{Clock, ManualClock, SystemClock, Timestamp};
pub use venue::{NAME_BYTES_MAX, NewScreen, NewTheatre, Screen, Theatre};
