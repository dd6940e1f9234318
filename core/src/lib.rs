//! # booking-core
//!
//! A storage-agnostic seat-booking engine: theatres, screens and seat layouts, shows, pricing
//! rules, seat holds (time-limited lock leases), the booking state machine, signed tickets and an
//! ordered event log per show, behind store traits with an in-memory store included.
//!
//! The promise: a seat is never sold twice, holds expire on time, and a failed call changes nothing.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod booking_status;
mod error;
mod ids;
mod layout_error;
mod money;
mod pricing_error;
mod store_error;
mod time;

pub use booking_status::{BookingAction, BookingStatus, InvalidTransition};
pub use error::{BookingError, ErrorCode, SelectionRuleKind};
pub use ids::{BookingId, HoldId, OWNER_ID_BYTES_MAX, OwnerId, ScreenId, SeatIdx, ShowId, TheatreId};
pub use layout_error::{LayoutError, LayoutIssue};
pub use money::{Currency, Money, MoneyError};
pub use pricing_error::PricingError;
pub use store_error::StoreError;
pub use time::{Clock, ManualClock, SystemClock, Timestamp};
