//! Records and enums of the domain, as Kotlin data classes and Swift structs, with their
//! conversions from the core. Seats are named by label; instants are `SystemTime`
//! (`java.time.Instant`, Swift `Date`) and durations `Duration` (`java.time.Duration`,
//! `TimeInterval`); ids are the core's numbers.

use booking_core as bc;
use std::time::{Duration, SystemTime};

/// An amount in integer minor units (cents for EUR) of an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Money {
    /// Amount in minor units; negative for discounts.
    pub minor: i64,
    /// Three-letter currency code, e.g. `EUR`.
    pub currency: String,
}

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

/// What a seat looks like to a customer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SeatStatus {
    /// Can be held.
    Available,
    /// Held by a live hold.
    Held,
    /// Booked (pending payment or sold).
    Booked,
    /// Not for sale.
    Blocked,
}

/// One seat of a show's seat map.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SeatView {
    /// Label, e.g. `F12`.
    pub label: String,
    /// Column, for drawing.
    pub x: i32,
    /// Row position, for drawing.
    pub y: i32,
    /// Price category.
    pub category: String,
    /// Flags.
    pub flags: SeatFlags,
    /// Status now.
    pub status: SeatStatus,
    /// Current price of one default ticket for this seat.
    pub price: Option<Money>,
}

/// Every seat of a show with its status and price at one instant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SeatMap {
    /// The show.
    pub show_id: u64,
    /// The instant it describes.
    pub at: SystemTime,
    /// Seats in layout order.
    pub seats: Vec<SeatView>,
    /// How many seats are available now.
    pub available: u32,
}

/// A named change to a seat price.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteAdjustment {
    /// What made it, e.g. `ticket type child` or `promo SUMMER10`.
    pub rule: String,
    /// Amount added to the price (negative for a discount), in minor units.
    pub amount_minor: i64,
}

/// One seat of a quote; amounts in minor units of the quote's currency.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteLine {
    /// Seat label.
    pub seat: String,
    /// Ticket type priced.
    pub ticket_type: String,
    /// The category's base price.
    pub base_minor: i64,
    /// Every rule that changed the price, in order.
    pub adjustments: Vec<QuoteAdjustment>,
    /// Per-ticket fee.
    pub fee_minor: i64,
    /// Tax of this seat.
    pub tax_minor: i64,
    /// What this seat costs.
    pub total_minor: i64,
}

/// Whether the tax is included in prices or added to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TaxMode {
    /// Prices include the tax.
    Inclusive,
    /// Tax is added on top.
    Exclusive,
}

/// The price of a set of seats, explained line by line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Quote {
    /// Currency of every amount.
    pub currency: String,
    /// One line per seat, in request order.
    pub lines: Vec<QuoteLine>,
    /// Sum of the seat prices before fees and tax.
    pub subtotal: Money,
    /// Sum of the fees.
    pub fees: Money,
    /// Sum of the taxes (included or added, per `tax_mode`).
    pub tax: Money,
    /// What the customer pays.
    pub total: Money,
    /// Tax rate in basis points.
    pub tax_rate_bp: u32,
    /// Tax mode.
    pub tax_mode: TaxMode,
    /// The promo code applied.
    pub promo_code: Option<String>,
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

/// A request to hold seats: all of them or none.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HoldRequest {
    /// The show.
    pub show_id: u64,
    /// Who holds (a user, a session, a box-office terminal).
    pub owner: String,
    /// The seats.
    pub seats: Vec<SeatChoice>,
    /// A promo code for the quote.
    #[uniffi(default = None)]
    pub promo_code: Option<String>,
}

/// A hold: a time-limited lease on seats of one show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Hold {
    /// Hold id.
    pub id: u64,
    /// The show.
    pub show_id: u64,
    /// Its owner.
    pub owner: String,
    /// Seat labels, in the order asked for.
    pub seats: Vec<String>,
    /// When it was placed.
    pub placed_at: SystemTime,
    /// When it expires unless extended.
    pub expires_at: SystemTime,
    /// Extensions never go past this instant.
    pub max_expires_at: SystemTime,
    /// Fencing token: grows with every change to the show.
    pub fence: u64,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BookingStatus {
    /// Awaiting payment until its deadline.
    Pending,
    /// Paid; tickets issued.
    Confirmed,
    /// At least one ticket was scanned.
    CheckedIn,
    /// Not paid in time.
    Expired,
    /// Cancelled.
    Cancelled,
    /// Refunded.
    Refunded,
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

/// A booking of the seats of one hold.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Booking {
    /// Booking id.
    pub id: u64,
    /// The show.
    pub show_id: u64,
    /// Who booked.
    pub owner: String,
    /// The hold it was made from.
    pub hold_id: u64,
    /// Seat labels.
    pub seats: Vec<String>,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
    /// The state when this record was made (a pending booking past its deadline is expired).
    pub status: BookingStatus,
    /// When it was created.
    pub created_at: SystemTime,
    /// A pending booking must be confirmed before this instant.
    pub payment_deadline: SystemTime,
    /// The payment reference given at confirmation.
    pub payment_ref: Option<String>,
    /// When the last transition happened.
    pub updated_at: SystemTime,
    /// Labels of the seats whose tickets were checked in.
    pub checked_in: Vec<String>,
}

/// A ticket: one seat of a confirmed booking, with a code to verify offline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Ticket {
    /// The booking.
    pub booking_id: u64,
    /// The show.
    pub show_id: u64,
    /// The seat label.
    pub seat: String,
    /// The signed code to show as a QR code.
    pub code: String,
    /// Whether it was checked in.
    pub checked_in: bool,
}

/// What a genuine ticket code says (verified offline with the signing key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TicketClaims {
    /// The show.
    pub show_id: u64,
    /// The booking.
    pub booking_id: u64,
    /// The seat's index in the show's layout.
    pub seat_index: u32,
}

/// A confirmed booking with its tickets.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Confirmation {
    /// The booking, now confirmed.
    pub booking: Booking,
    /// One ticket per seat.
    pub tickets: Vec<Ticket>,
}

/// A ticket that was just checked in.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckIn {
    /// The ticket.
    pub ticket: Ticket,
    /// Its booking after the check-in.
    pub booking: Booking,
}

/// What a sweep tidied up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SweepReport {
    /// Expired holds removed.
    pub holds_expired: u32,
    /// Pending bookings past their deadline.
    pub bookings_expired: u32,
}

/// What cancelling a show released.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ShowCancellation {
    /// Holds released.
    pub hold_ids: Vec<u64>,
    /// Bookings cancelled.
    pub booking_ids: Vec<u64>,
}

/// A venue.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Theatre {
    /// Theatre id.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// City.
    pub city: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
}

/// An auditorium of a theatre.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Screen {
    /// Screen id.
    pub id: u64,
    /// Its theatre.
    pub theatre_id: u64,
    /// Display name.
    pub name: String,
    /// Number of places of its layout.
    pub seat_count: u32,
}

/// Whether a show can still be sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ShowStatus {
    /// On sale inside its sales window.
    Scheduled,
    /// Cancelled.
    Cancelled,
}

/// What is needed to schedule a show (its prices are passed beside it).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScheduleShow {
    /// The screen.
    pub screen_id: u64,
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
}

/// A scheduled show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Show {
    /// Show id.
    pub id: u64,
    /// Its screen.
    pub screen_id: u64,
    /// Its theatre.
    pub theatre_id: u64,
    /// What plays.
    pub title: String,
    /// Start.
    pub starts_at: SystemTime,
    /// End.
    pub ends_at: SystemTime,
    /// Sales open.
    pub sales_open_at: SystemTime,
    /// Sales close (exclusive).
    pub sales_close_at: SystemTime,
    /// Scheduled or cancelled.
    pub status: ShowStatus,
    /// Whether the no-orphan rule applies.
    pub no_orphan: bool,
    /// The theatre's time zone.
    pub time_zone: String,
}

/// Which shows to list; every criterion is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ShowFilter {
    /// Only shows of this theatre.
    #[uniffi(default = None)]
    pub theatre_id: Option<u64>,
    /// Only shows on this screen.
    #[uniffi(default = None)]
    pub screen_id: Option<u64>,
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
}
