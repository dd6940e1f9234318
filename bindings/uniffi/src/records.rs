//! Records the binding takes in (requests, the engine's limits) and the few it gives out beside
//! booking-front's views: the views themselves (holds, bookings, quotes, seat maps, events,
//! theatres, screens, shows...) are the one front model every front hands out, exported as
//! Kotlin data classes and Swift structs by booking-front. Instants are `SystemTime`
//! (`java.time.Instant`, Swift `Date`), durations `Duration`; ids are `Long`/`Int64`, as in the
//! views.

use booking_core as bc;
use std::time::{Duration, SystemTime};

/// A seat's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SeatFlags {
    /// A wheelchair place.
    pub wheelchair: bool,
    /// A companion seat next to a wheelchair place.
    pub companion: bool,
    /// Not for sale.
    pub blocked: bool,
    /// A place of a general-admission zone.
    pub general_admission: bool,
}

/// One seat asked for, by label, with an optional ticket type (the policy's default otherwise).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SeatChoice {
    /// Seat label, e.g. `F12`.
    pub label: String,
    /// Ticket type, e.g. `child`.
    #[uniffi(default = None)]
    pub ticket_type: Option<String>,
}

/// A request to hold seats and general-admission places: all of them or none.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HoldRequest {
    /// The show.
    pub show: i64,
    /// Who holds (a user, a session, a box-office terminal).
    pub owner: String,
    /// The seats.
    pub seats: Vec<SeatChoice>,
    /// A promo code for the quote.
    #[uniffi(default = None)]
    pub promo_code: Option<String>,
    /// The buyer asks for an accessible place: while the show keeps them, only such a buyer
    /// may hold wheelchair places and companion seats.
    #[uniffi(default = false)]
    pub accessible: bool,
    /// Places of general-admission zones by quantity, beside the seats: the store picks them.
    #[uniffi(default = [])]
    pub places: Vec<PlaceChoice>,
}

/// A number of places of a general-admission zone, asked for by the zone's name.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlaceChoice {
    /// The zone's name, e.g. `Standing`.
    pub zone: String,
    /// How many places.
    pub quantity: u32,
    /// Ticket type of every place (the policy's default otherwise).
    #[uniffi(default = None)]
    pub ticket_type: Option<String>,
}

/// A transition of the booking state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BookingAction {
    /// Pending → Confirmed.
    Confirm,
    /// Confirmed → CheckedIn.
    CheckIn,
    /// Pending → Expired.
    Expire,
    /// Pending or Confirmed → Cancelled.
    Cancel,
    /// Confirmed → Refunded.
    Refund,
}

/// What is needed to schedule a show (its prices are passed beside it).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScheduleShow {
    /// The screen.
    pub screen: i64,
    /// What plays.
    pub title: String,
    /// Start.
    pub starts_at: SystemTime,
    /// End (after the start, at most 24 hours later).
    pub ends_at: SystemTime,
    /// Sales open; now when absent.
    #[uniffi(default = None)]
    pub sales_open_at: Option<SystemTime>,
    /// Sales close; the start of the show when absent.
    #[uniffi(default = None)]
    pub sales_close_at: Option<SystemTime>,
    /// Whether the no-orphan rule applies.
    #[uniffi(default = true)]
    pub no_orphan: bool,
    /// Most tickets one owner may have on the show, held, pending and paid; the engine's
    /// `ticketsPerOwnerMax` when absent.
    #[uniffi(default = None)]
    pub tickets_per_owner_max: Option<u32>,
    /// How long before the start unsold wheelchair places and companion seats go to general
    /// sale (0 to 30 days); 48 hours when absent.
    #[uniffi(default = None)]
    pub accessible_release_before: Option<Duration>,
}

/// Which shows to list; every criterion is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ShowFilter {
    /// Only shows of this theatre.
    #[uniffi(default = None)]
    pub theatre: Option<i64>,
    /// Only shows on this screen.
    #[uniffi(default = None)]
    pub screen: Option<i64>,
    /// Only shows starting at or after this instant.
    #[uniffi(default = None)]
    pub starts_from: Option<SystemTime>,
    /// Only shows starting before this instant.
    #[uniffi(default = None)]
    pub starts_before: Option<SystemTime>,
    /// Include cancelled shows.
    #[uniffi(default = false)]
    pub include_cancelled: bool,
}

/// The engine's limits; start from `defaultEngineConfig()`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EngineConfig {
    /// Time to live of a new hold and of each extension.
    pub hold_ttl: Duration,
    /// A hold never lives longer than this, extensions included.
    pub hold_lifetime_max: Duration,
    /// Time a pending booking has to be paid.
    pub payment_window: Duration,
    /// Most seats in one hold.
    pub hold_seats_max: u32,
    /// Most live holds of one owner on one show.
    pub holds_per_owner_max: u32,
    /// Most tickets of one owner on one show (held, pending and paid) for shows without their
    /// own cap; none when absent.
    #[uniffi(default = None)]
    pub tickets_per_owner_max: Option<u32>,
    /// Most items one sweep tidies.
    pub sweep_batch_max: u32,
}

/// The core's default limits (10-minute holds, 30-minute lifetime, 10 seats per hold...).
#[uniffi::export]
pub fn default_engine_config() -> EngineConfig {
    EngineConfig::from(bc::EngineConfig::default())
}

/// One problem of a refused layout.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LayoutIssue {
    /// 1-based line in the text form (0 otherwise).
    pub line: u32,
    /// 1-based column in the text form (0 otherwise).
    pub column: u32,
    /// Where in the structure, e.g. a seat label; may be empty.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Which selection rule a selection breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SelectionRuleKind {
    /// A single free seat would be stranded where a better choice exists.
    OrphanSeat,
    /// Part of a loveseat pair without the rest.
    PairSplit,
    /// Wheelchair places and companion seats, kept for buyers who ask for an accessible place.
    AccessibleOnly,
    /// A companion seat without an adjacent wheelchair place in the selection or the buyer's.
    CompanionAlone,
}

/// Where to read one show's log from (`eventsSinceEach`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct EventCursor {
    /// The show.
    pub show: i64,
    /// The last sequence number already read (0 for the whole log).
    pub after: i64,
}
