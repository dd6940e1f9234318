//! What the engine answers, as plain JavaScript objects typed in `index.d.ts`.
//!
//! Times are `Date`s. Money is integer minor units in a `number`, always exact: a seat price is at
//! most `PRICE_MINOR_MAX` (10^10) and a hold at most 100 seats, so every amount stays far below
//! 2^53. Ids and fencing tokens are `number`s too (stores count them up from 1). Seats are named
//! by their labels (`"F12"`); tickets and events keep the seat index beside the label.

use crate::layout::Layout;
use booking_core::{
    Booking as CoreBooking, Event as CoreEvent, EventKind, Hold as CoreHold, LayoutIssue, Money as CoreMoney,
    Quote as CoreQuote, SeatIdx, SeatLayout, SeatMap as CoreSeatMap, Show as CoreShow, TaxMode, Timestamp,
};
use chrono::{DateTime, Utc};
use napi_derive::napi;

/// A time as a JavaScript `Date` (clamped to what a `Date` can hold).
pub(crate) fn date(t: Timestamp) -> DateTime<Utc> {
    const JS_DATE_MS_MAX: i64 = 8_640_000_000_000_000;
    DateTime::from_timestamp_millis(t.millis().clamp(-JS_DATE_MS_MAX, JS_DATE_MS_MAX)).unwrap_or_default()
}

/// An id or counter as a JavaScript number (exact below 2^53, which stores never reach).
pub(crate) fn num(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// One problem found in a layout: where it is and what is wrong.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct LayoutProblem {
    /// 1-based line in the text form; 0 when the layout did not come from text.
    pub line: u32,
    /// 1-based column in the text form; 0 when the layout did not come from text.
    pub column: u32,
    /// Where in the structure, e.g. `sections[0].rows[2].seats[5]`; may be empty.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl From<&LayoutIssue> for LayoutProblem {
    fn from(i: &LayoutIssue) -> Self {
        LayoutProblem { line: i.line, column: i.column, path: i.path.clone(), message: i.message.clone() }
    }
}

/// An exact amount: integer minor units (cents for EUR) of an ISO 4217 currency.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Money {
    /// Amount in minor units; an integer, never a fraction.
    pub minor: i64,
    /// Three-letter currency code, e.g. `EUR`.
    pub currency: String,
}

impl From<CoreMoney> for Money {
    fn from(m: CoreMoney) -> Self {
        Money { minor: m.minor, currency: m.currency.code().to_string() }
    }
}

/// A named change to a seat price.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct QuoteAdjustment {
    /// The rule that made it, e.g. `ticket type child` or `promo SUMMER10`.
    pub rule: String,
    /// Added to the price (negative for a discount), in minor units.
    pub amount_minor: i64,
}

/// One seat of a quote, in minor units of the quote's currency.
#[napi(object)]
#[derive(Debug, Clone)]
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

/// The price of seats, explained line by line; the totals are the sums of the lines.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Quote {
    /// Currency of every amount.
    pub currency: String,
    /// One line per seat, in the order asked.
    pub lines: Vec<QuoteLine>,
    /// Seat prices before fees and tax.
    pub subtotal: Money,
    /// Fees.
    pub fees: Money,
    /// Tax (included in or added to the total, per `taxMode`).
    pub tax: Money,
    /// What the customer pays.
    pub total: Money,
    /// Tax rate in basis points.
    pub tax_rate_bp: u32,
    /// Whether the tax is included in prices or added to them.
    #[napi(ts_type = "'inclusive' | 'exclusive'")]
    pub tax_mode: String,
    /// The promo code applied.
    pub promo_code: Option<String>,
}

impl From<&CoreQuote> for Quote {
    fn from(q: &CoreQuote) -> Self {
        let lines = q
            .lines
            .iter()
            .map(|l| QuoteLine {
                seat: l.seat.to_string(),
                ticket_type: l.ticket_type.to_string(),
                base_minor: l.base_minor,
                adjustments: l
                    .adjustments
                    .iter()
                    .map(|a| QuoteAdjustment { rule: a.rule.to_string(), amount_minor: a.amount_minor })
                    .collect(),
                fee_minor: l.fee_minor,
                tax_minor: l.tax_minor,
                total_minor: l.total_minor,
            })
            .collect();
        let tax_mode = match q.tax_mode {
            TaxMode::Inclusive => "inclusive",
            TaxMode::Exclusive => "exclusive",
        };
        Quote {
            currency: q.currency.code().to_string(),
            lines,
            subtotal: q.subtotal().into(),
            fees: q.fees().into(),
            tax: q.tax().into(),
            total: q.total().into(),
            tax_rate_bp: q.tax_rate_bp,
            tax_mode: tax_mode.to_string(),
            promo_code: q.promo_code.as_deref().map(str::to_string),
        }
    }
}

/// The label of each seat of a hold or booking: its quote has one line per seat, in seat order.
fn seat_labels(seats: &[SeatIdx], quote: &CoreQuote) -> Vec<String> {
    seats
        .iter()
        .enumerate()
        .map(|(i, s)| quote.lines.get(i).map_or_else(|| format!("#{}", s.0), |l| l.seat.to_string()))
        .collect()
}

/// A hold as a plain object: what `Hold.toJSON()` gives.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct HoldFields {
    /// Hold id.
    pub id: i64,
    /// Show id.
    pub show: i64,
    /// Who holds the seats.
    pub owner: String,
    /// Seat labels, in the order asked.
    pub seats: Vec<String>,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
    /// When it expires unless extended.
    pub expires_at: DateTime<Utc>,
    /// Extensions never go past this.
    pub max_expires_at: DateTime<Utc>,
    /// Fencing token: grows with every change to the show.
    pub fence: i64,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
}

/// A hold: seats of one show, all or none, owned by one owner until it expires.
///
/// The hold stays native and each field is converted when read (`hold.id` costs a call, the
/// quote is built each time `hold.quote` is read), so that placing and releasing holds costs no
/// conversion nobody asked for. `toJSON()` gives the plain object (`JSON.stringify` uses it).
#[napi]
pub struct Hold {
    inner: CoreHold,
}

impl From<CoreHold> for Hold {
    fn from(inner: CoreHold) -> Self {
        Hold { inner }
    }
}

#[napi]
impl Hold {
    /// Hold id.
    #[napi(catch_unwind, getter)]
    pub fn id(&self) -> i64 {
        num(self.inner.id.0)
    }

    /// Show id.
    #[napi(catch_unwind, getter)]
    pub fn show(&self) -> i64 {
        num(self.inner.show.0)
    }

    /// Who holds the seats.
    #[napi(catch_unwind, getter)]
    pub fn owner(&self) -> String {
        self.inner.owner.as_str().to_string()
    }

    /// Seat labels, in the order asked.
    #[napi(catch_unwind, getter)]
    pub fn seats(&self) -> Vec<String> {
        seat_labels(&self.inner.seats, &self.inner.quote)
    }

    /// When it was placed.
    #[napi(catch_unwind, getter)]
    pub fn placed_at(&self) -> DateTime<Utc> {
        date(self.inner.placed_at)
    }

    /// When it expires unless extended.
    #[napi(catch_unwind, getter)]
    pub fn expires_at(&self) -> DateTime<Utc> {
        date(self.inner.expires_at)
    }

    /// Extensions never go past this.
    #[napi(catch_unwind, getter)]
    pub fn max_expires_at(&self) -> DateTime<Utc> {
        date(self.inner.max_expires_at)
    }

    /// Fencing token: grows with every change to the show.
    #[napi(catch_unwind, getter)]
    pub fn fence(&self) -> i64 {
        num(self.inner.fence)
    }

    /// The price, fixed when the hold was placed (a new object at each read).
    #[napi(catch_unwind, getter)]
    pub fn quote(&self) -> Quote {
        Quote::from(&*self.inner.quote)
    }

    /// The hold as a plain object.
    #[napi(catch_unwind, js_name = "toJSON")]
    pub fn to_json(&self) -> HoldFields {
        let h = &self.inner;
        HoldFields {
            id: self.id(),
            show: self.show(),
            owner: self.owner(),
            seats: self.seats(),
            placed_at: date(h.placed_at),
            expires_at: date(h.expires_at),
            max_expires_at: date(h.max_expires_at),
            fence: self.fence(),
            quote: self.quote(),
        }
    }
}

/// A booking of the seats of one hold.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Booking {
    /// Booking id.
    pub id: i64,
    /// Show id.
    pub show: i64,
    /// Who booked.
    pub owner: String,
    /// The hold it was made from.
    pub hold: i64,
    /// Seat labels.
    pub seats: Vec<String>,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
    /// Stored state (a pending booking past its deadline is expired, swept or not).
    #[napi(ts_type = "'pending' | 'confirmed' | 'checked_in' | 'expired' | 'cancelled' | 'refunded'")]
    pub status: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// A pending booking must be confirmed before this.
    pub payment_deadline: DateTime<Utc>,
    /// The payment reference given at confirmation.
    pub payment_ref: Option<String>,
    /// When the last transition happened.
    pub updated_at: DateTime<Utc>,
    /// Labels of the seats whose tickets were checked in.
    pub checked_in: Vec<String>,
}

impl From<CoreBooking> for Booking {
    fn from(b: CoreBooking) -> Self {
        let labels = seat_labels(&b.seats, &b.quote);
        let checked_in = b
            .checked_in
            .iter()
            .map(|s| {
                b.seats.iter().position(|x| x == s).and_then(|i| labels.get(i)).cloned().unwrap_or_default()
            })
            .collect();
        Booking {
            id: num(b.id.0),
            show: num(b.show.0),
            owner: b.owner.as_str().to_string(),
            hold: num(b.hold.0),
            seats: labels,
            quote: Quote::from(&*b.quote),
            status: b.status.as_str().to_string(),
            created_at: date(b.created_at),
            payment_deadline: date(b.payment_deadline),
            payment_ref: b.payment_ref,
            updated_at: date(b.updated_at),
            checked_in,
        }
    }
}

/// One ticket: one seat of a confirmed booking, with its signed code.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Ticket {
    /// Booking id.
    pub booking: i64,
    /// Show id.
    pub show: i64,
    /// Seat label.
    pub seat: String,
    /// Seat index in the layout.
    pub seat_index: u32,
    /// The signed code to print or show as a QR code; `checkIn` verifies it offline.
    pub code: String,
    /// Whether it was checked in.
    pub checked_in: bool,
}

impl From<booking_core::Ticket> for Ticket {
    fn from(t: booking_core::Ticket) -> Self {
        Ticket {
            booking: num(t.booking.0),
            show: num(t.show.0),
            seat: t.label,
            seat_index: t.seat.0,
            code: t.code,
            checked_in: t.checked_in,
        }
    }
}

/// A confirmed booking and its tickets.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Confirmation {
    /// The booking, now confirmed.
    pub booking: Booking,
    /// One ticket per seat.
    pub tickets: Vec<Ticket>,
}

/// A ticket just checked in, and its booking after it.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct CheckIn {
    /// The ticket.
    pub ticket: Ticket,
    /// Its booking.
    pub booking: Booking,
}

/// A venue.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Theatre {
    /// Theatre id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// City.
    pub city: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
}

impl From<booking_core::Theatre> for Theatre {
    fn from(t: booking_core::Theatre) -> Self {
        Theatre { id: num(t.id.0), name: t.name, city: t.city, time_zone: t.time_zone }
    }
}

/// An auditorium of a theatre, with its seat layout.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Screen {
    /// Screen id.
    pub id: i64,
    /// Theatre id.
    pub theatre: i64,
    /// Display name.
    pub name: String,
    /// The seat layout shows scheduled on this screen from now on sell (a show keeps the layout
    /// it was scheduled with).
    pub layout: Layout,
}

impl From<&booking_core::Screen> for Screen {
    fn from(s: &booking_core::Screen) -> Self {
        Screen {
            id: num(s.id.0),
            theatre: num(s.theatre.0),
            name: s.name.clone(),
            layout: Layout::from(&*s.layout),
        }
    }
}

/// A scheduled show.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Show {
    /// Show id.
    pub id: i64,
    /// Screen id.
    pub screen: i64,
    /// Theatre id.
    pub theatre: i64,
    /// What plays.
    pub title: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Sales open.
    pub sales_open_at: DateTime<Utc>,
    /// Sales close (exclusive).
    pub sales_close_at: DateTime<Utc>,
    /// Scheduled or cancelled.
    #[napi(ts_type = "'scheduled' | 'cancelled'")]
    pub status: String,
    /// Whether the no-orphan rule applies.
    pub no_orphan: bool,
    /// The theatre's time zone.
    pub time_zone: String,
    /// Number of places (seats and general-admission places).
    pub seat_count: u32,
}

impl From<&CoreShow> for Show {
    fn from(s: &CoreShow) -> Self {
        let status = match s.status {
            booking_core::ShowStatus::Scheduled => "scheduled",
            booking_core::ShowStatus::Cancelled => "cancelled",
        };
        Show {
            id: num(s.id.0),
            screen: num(s.screen.0),
            theatre: num(s.theatre.0),
            title: s.title.clone(),
            starts_at: date(s.starts_at),
            ends_at: date(s.ends_at),
            sales_open_at: date(s.sales_open_at),
            sales_close_at: date(s.sales_close_at),
            status: status.to_string(),
            no_orphan: s.no_orphan,
            time_zone: s.time_zone.clone(),
            seat_count: u32::try_from(s.layout.seat_count()).unwrap_or(u32::MAX),
        }
    }
}

/// What cancelling a show released.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct ShowCancellation {
    /// Holds released.
    pub holds: Vec<i64>,
    /// Bookings cancelled.
    pub bookings: Vec<i64>,
}

/// What a sweep tidied up.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SweepReport {
    /// Expired holds removed.
    pub holds_expired: u32,
    /// Pending bookings past their deadline expired.
    pub bookings_expired: u32,
}

/// One seat of a seat map: where, what, and whether it can be had now, at what price.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SeatView {
    /// Label.
    pub label: String,
    /// Drawing position.
    pub x: i32,
    /// Drawing position.
    pub y: i32,
    /// Category.
    pub category: String,
    /// A wheelchair place.
    pub wheelchair: bool,
    /// A companion seat.
    pub companion: bool,
    /// Not for sale.
    pub blocked: bool,
    /// A general-admission place.
    pub general_admission: bool,
    /// Status now.
    #[napi(ts_type = "'available' | 'held' | 'booked' | 'blocked'")]
    pub status: String,
    /// Price of one default ticket now.
    pub price: Option<Money>,
}

/// Every seat of a show with its status and price at one instant.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SeatMap {
    /// Show id.
    pub show: i64,
    /// The instant it describes.
    pub at: DateTime<Utc>,
    /// Seats in index order.
    pub seats: Vec<SeatView>,
    /// Seats available now.
    pub available: u32,
}

impl From<CoreSeatMap> for SeatMap {
    fn from(m: CoreSeatMap) -> Self {
        let seats = m
            .seats
            .into_iter()
            .map(|s| SeatView {
                label: s.label,
                x: s.x,
                y: s.y,
                category: s.category,
                wheelchair: s.flags.is_wheelchair(),
                companion: s.flags.is_companion(),
                blocked: s.flags.is_blocked(),
                general_admission: s.flags.is_general_admission(),
                status: match s.status {
                    booking_core::SeatStatus::Available => "available",
                    booking_core::SeatStatus::Held => "held",
                    booking_core::SeatStatus::Booked => "booked",
                    booking_core::SeatStatus::Blocked => "blocked",
                }
                .to_string(),
                price: s.price.map(Money::from),
            })
            .collect();
        SeatMap { show: num(m.show.0), at: date(m.at), seats, available: m.available }
    }
}

/// One entry of a show's event log. `type` says what happened; the other fields are set when
/// that kind of event has them.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// Show id.
    pub show: i64,
    /// Position in the show's log: 1, 2, 3... without gaps.
    pub seq: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    #[napi(
        js_name = "type",
        ts_type = "'show_scheduled' | 'show_cancelled' | 'hold_placed' | 'hold_extended' | 'hold_released' | 'hold_expired' | 'booking_created' | 'booking_confirmed' | 'booking_expired' | 'booking_cancelled' | 'booking_refunded' | 'ticket_checked_in'"
    )]
    pub kind: String,
    /// The hold concerned.
    pub hold: Option<i64>,
    /// The booking concerned.
    pub booking: Option<i64>,
    /// The owner (hold placed, booking created).
    pub owner: Option<String>,
    /// Seat labels concerned.
    pub seats: Option<Vec<String>>,
    /// New expiry (hold placed or extended).
    pub expires_at: Option<DateTime<Utc>>,
    /// Payment deadline (booking created).
    pub payment_deadline: Option<DateTime<Utc>>,
    /// Amount (booking created, confirmed or refunded).
    pub total: Option<Money>,
    /// Payment reference (booking confirmed).
    pub payment_ref: Option<String>,
    /// State a booking was cancelled from.
    pub from: Option<String>,
}

/// An event, naming its seats by label with the show's layout.
pub(crate) fn event(e: CoreEvent, layout: &SeatLayout) -> Event {
    let labels = |seats: &[SeatIdx]| {
        Some(
            seats
                .iter()
                .map(|s| layout.seat(*s).map_or_else(|| format!("#{}", s.0), |seat| seat.label.to_string()))
                .collect::<Vec<_>>(),
        )
    };
    let mut out = Event {
        show: num(e.show.0),
        seq: num(e.seq),
        at: date(e.at),
        kind: e.kind.name().to_string(),
        ..Event::default()
    };
    match e.kind {
        EventKind::ShowScheduled | EventKind::ShowCancelled => {}
        EventKind::HoldPlaced { hold, owner, seats, expires_at } => {
            out.hold = Some(num(hold.0));
            out.owner = Some(owner.as_str().to_string());
            out.seats = labels(&seats);
            out.expires_at = Some(date(expires_at));
        }
        EventKind::HoldExtended { hold, expires_at } => {
            out.hold = Some(num(hold.0));
            out.expires_at = Some(date(expires_at));
        }
        EventKind::HoldReleased { hold, seats } | EventKind::HoldExpired { hold, seats } => {
            out.hold = Some(num(hold.0));
            out.seats = labels(&seats);
        }
        EventKind::BookingCreated { booking, hold, owner, seats, payment_deadline, total } => {
            out.booking = Some(num(booking.0));
            out.hold = Some(num(hold.0));
            out.owner = Some(owner.as_str().to_string());
            out.seats = labels(&seats);
            out.payment_deadline = Some(date(payment_deadline));
            out.total = Some(total.into());
        }
        EventKind::BookingConfirmed { booking, payment_ref, total } => {
            out.booking = Some(num(booking.0));
            out.payment_ref = Some(payment_ref);
            out.total = Some(total.into());
        }
        EventKind::BookingExpired { booking, seats } => {
            out.booking = Some(num(booking.0));
            out.seats = labels(&seats);
        }
        EventKind::BookingCancelled { booking, seats, from } => {
            out.booking = Some(num(booking.0));
            out.seats = labels(&seats);
            out.from = Some(from.as_str().to_string());
        }
        EventKind::BookingRefunded { booking, seats, total } => {
            out.booking = Some(num(booking.0));
            out.seats = labels(&seats);
            out.total = Some(total.into());
        }
        EventKind::TicketCheckedIn { booking, seat } => {
            out.booking = Some(num(booking.0));
            out.seats = labels(&[seat]);
        }
    }
    out
}
