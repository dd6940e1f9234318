//! What the API answers: core values as clients read them, with seats by label and times as
//! RFC 3339 strings.

use booking_core::{
    Booking, BookingStatus, Hold, Money, Quote, SeatIdx, SeatStatus, Show, ShowStatus, Theatre, Ticket,
    Timestamp,
};
use serde::Serialize;

/// RFC 3339 in UTC, e.g. `2026-11-27T21:00:00Z`.
pub fn iso(t: Timestamp) -> String {
    t.to_jiff().map_or_else(|| t.0.to_string(), |t| t.to_string())
}

/// A time as people in `zone` read it, e.g. `Fri 27 Nov 2026 21:00`.
pub fn local_time(t: Timestamp, zone: &str) -> String {
    let Some(ts) = t.to_jiff() else { return iso(t) };
    match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => ts.to_zoned(tz).strftime("%a %-d %b %Y %H:%M").to_string(),
        Err(_) => iso(t),
    }
}

/// Labels of seats of `show`.
pub fn labels(show: &Show, seats: &[SeatIdx]) -> Vec<String> {
    seats.iter().filter_map(|i| show.layout.seat(*i)).map(|s| s.label.to_string()).collect()
}

/// A show in listings.
#[derive(Debug, Clone, Serialize)]
pub struct ShowView {
    /// Id.
    pub id: u64,
    /// What plays.
    pub title: String,
    /// The movie, when scheduled from the catalogue.
    pub movie: Option<u64>,
    /// Theatre id.
    pub theatre: u64,
    /// Theatre name.
    pub theatre_name: String,
    /// City.
    pub city: String,
    /// Screen id.
    pub screen: u64,
    /// Screen name.
    pub screen_name: String,
    /// Ticket types on sale (the first is the default).
    pub ticket_types: Vec<String>,
    /// Start.
    pub starts_at: String,
    /// End.
    pub ends_at: String,
    /// Start in the theatre's time.
    pub starts_local: String,
    /// Sales open.
    pub sales_open_at: String,
    /// Sales close.
    pub sales_close_at: String,
    /// `scheduled` or `cancelled`.
    pub status: ShowStatus,
    /// Whether the no-orphan rule applies.
    pub no_orphan: bool,
    /// Time zone.
    pub time_zone: String,
    /// Currency of its prices.
    pub currency: String,
    /// Seats in its layout.
    pub seats: usize,
}

impl ShowView {
    /// A show with its theatre and movie.
    pub fn new(show: &Show, theatre: Option<&Theatre>, movie: Option<u64>) -> ShowView {
        ShowView {
            id: show.id.0,
            title: show.title.clone(),
            movie,
            theatre: show.theatre.0,
            theatre_name: theatre.map(|t| t.name.clone()).unwrap_or_default(),
            city: theatre.map(|t| t.city.clone()).unwrap_or_default(),
            screen: show.screen.0,
            screen_name: String::new(),
            ticket_types: ticket_types(show),
            starts_at: iso(show.starts_at),
            ends_at: iso(show.ends_at),
            starts_local: local_time(show.starts_at, &show.time_zone),
            sales_open_at: iso(show.sales_open_at),
            sales_close_at: iso(show.sales_close_at),
            status: show.status,
            no_orphan: show.no_orphan,
            time_zone: show.time_zone.clone(),
            currency: show.pricing.currency().code().to_string(),
            seats: show.layout.seat_count(),
        }
    }
}

/// The ticket types a show sells, the default first.
fn ticket_types(show: &Show) -> Vec<String> {
    let rules = &show.pricing.rules().ticket_types;
    if rules.is_empty() {
        return vec!["adult".into()];
    }
    let mut names: Vec<String> = rules.iter().map(|t| t.name.clone()).collect();
    if let Some(i) = names.iter().position(|n| n == "adult") {
        names.swap(0, i);
    }
    names
}

/// A hold.
#[derive(Debug, Clone, Serialize)]
pub struct HoldView {
    /// Id.
    pub id: u64,
    /// Show.
    pub show: u64,
    /// Seat labels.
    pub seats: Vec<String>,
    /// Placed at.
    pub placed_at: String,
    /// Expires at.
    pub expires_at: String,
    /// Milliseconds left by the server's clock.
    pub remaining_ms: i64,
    /// Fencing token to present on the next change.
    pub fence: u64,
    /// The price, fixed when the hold was placed.
    pub quote: Quote,
}

impl HoldView {
    /// A hold of `show`, at `now`.
    pub fn new(hold: &Hold, show: &Show, now: Timestamp) -> HoldView {
        HoldView {
            id: hold.id.0,
            show: hold.show.0,
            seats: labels(show, &hold.seats),
            placed_at: iso(hold.placed_at),
            expires_at: iso(hold.expires_at),
            remaining_ms: hold.remaining_millis(now),
            fence: hold.fence,
            quote: (*hold.quote).clone(),
        }
    }
}

/// A booking.
#[derive(Debug, Clone, Serialize)]
pub struct BookingView {
    /// Id.
    pub id: u64,
    /// Show.
    pub show: u64,
    /// What plays.
    pub title: String,
    /// When, in the theatre's time.
    pub starts_local: String,
    /// The hold it came from.
    pub hold: u64,
    /// Seat labels.
    pub seats: Vec<String>,
    /// Status now (a pending booking past its deadline reads `expired`).
    pub status: BookingStatus,
    /// Total to pay.
    pub total: Money,
    /// The quote.
    pub quote: Quote,
    /// Created at.
    pub created_at: String,
    /// Pay before this.
    pub payment_deadline: String,
    /// The gateway's charge id, once paid.
    pub payment_ref: Option<String>,
    /// Seats checked in.
    pub checked_in: Vec<String>,
}

impl BookingView {
    /// A booking of `show`, at `now`.
    pub fn new(b: &Booking, show: &Show, now: Timestamp) -> BookingView {
        BookingView {
            id: b.id.0,
            show: b.show.0,
            title: show.title.clone(),
            starts_local: local_time(show.starts_at, &show.time_zone),
            hold: b.hold.0,
            seats: labels(show, &b.seats),
            status: b.status_at(now),
            total: b.quote.total(),
            quote: (*b.quote).clone(),
            created_at: iso(b.created_at),
            payment_deadline: iso(b.payment_deadline),
            payment_ref: b.payment_ref.clone(),
            checked_in: labels(show, &b.checked_in),
        }
    }
}

/// A ticket with where to fetch its QR code.
#[derive(Debug, Clone, Serialize)]
pub struct TicketView {
    /// Booking.
    pub booking: u64,
    /// Show.
    pub show: u64,
    /// Seat label.
    pub seat: String,
    /// The signed code (what the QR code carries).
    pub code: String,
    /// Whether it was checked in.
    pub checked_in: bool,
    /// QR code as SVG.
    pub qr_svg: String,
    /// QR code as PNG.
    pub qr_png: String,
}

impl TicketView {
    /// A ticket.
    pub fn new(t: &Ticket) -> TicketView {
        let base = format!("/v1/bookings/{}/tickets/{}", t.booking.0, t.label);
        TicketView {
            booking: t.booking.0,
            show: t.show.0,
            seat: t.label.clone(),
            code: t.code.clone(),
            checked_in: t.checked_in,
            qr_svg: format!("{base}/qr.svg"),
            qr_png: format!("{base}/qr.png"),
        }
    }
}

/// One seat of a seat map. Compact, as a rush reads it thousands of times a second: flags by
/// name (only those set), the loveseat partners only for a loveseat, the price in minor units of
/// the map's currency.
#[derive(Debug, Clone, Serialize)]
pub struct SeatMapSeat {
    /// Label.
    pub label: String,
    /// Row name (empty for a general-admission place).
    pub row: String,
    /// Section name.
    pub section: String,
    /// Column.
    pub x: i32,
    /// Row position.
    pub y: i32,
    /// Category.
    pub category: String,
    /// The flags set: `wheelchair`, `companion`, `blocked`, `general_admission`.
    pub flags: Vec<&'static str>,
    /// Labels of the other seats of its loveseat pair (absent when it is not one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<Vec<String>>,
    /// Status now.
    pub status: SeatStatus,
    /// Price of one default ticket now, in minor units of the map's currency (`null` when it
    /// cannot be priced).
    pub price: Option<i64>,
}

/// The names of the flags set in `flags`, in a fixed order.
pub fn flag_names(flags: booking_core::SeatFlags) -> Vec<&'static str> {
    [
        (flags.is_wheelchair(), "wheelchair"),
        (flags.is_companion(), "companion"),
        (flags.is_blocked(), "blocked"),
        (flags.is_general_admission(), "general_admission"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

/// A show's seat map.
#[derive(Debug, Clone, Serialize)]
pub struct SeatMapView {
    /// Show.
    pub show: u64,
    /// Seats available.
    pub available: u32,
    /// The currency of every price of the map (ISO 4217).
    pub currency: String,
    /// Categories with their current default price.
    pub categories: Vec<CategoryView>,
    /// Every seat.
    pub seats: Vec<SeatMapSeat>,
    /// The last event of the show's log it reflects (a live stream resumes after it).
    pub seq: u64,
    /// When it was read.
    pub at: String,
}

/// The seat map of `show` in `states`, reflecting its log up to `seq`, as plain values (the
/// route renders the same JSON faster with [`crate::seat_map_json::SeatMapRenderer`]).
pub fn seat_map_view(show: &Show, seq: u64, states: &booking_core::SeatStates) -> SeatMapView {
    let layout = &show.layout;
    let category = |i: u16| layout.categories().get(usize::from(i)).cloned().unwrap_or_default();
    let seats = layout
        .seats()
        .iter()
        .enumerate()
        .zip(&states.statuses)
        .map(|((i, seat), status)| {
            let idx = booking_core::SeatIdx(u32::try_from(i).unwrap_or(u32::MAX));
            let row = layout.row_of(idx);
            let partners: Vec<String> = layout
                .pair_partners(idx)
                .iter()
                .filter(|p| **p != idx)
                .filter_map(|p| layout.seat(*p))
                .map(|s| s.label.to_string())
                .collect();
            SeatMapSeat {
                label: seat.label.to_string(),
                row: row.map(|r| r.name.clone()).unwrap_or_default(),
                section: row
                    .and_then(|r| layout.sections().get(r.section as usize))
                    .cloned()
                    .unwrap_or_default(),
                x: seat.x,
                y: seat.y,
                category: category(seat.category),
                flags: flag_names(seat.flags),
                pair: (!partners.is_empty()).then_some(partners),
                status: *status,
                price: states
                    .category_prices
                    .get(usize::from(seat.category))
                    .copied()
                    .flatten()
                    .map(|m| m.minor),
            }
        })
        .collect();
    let categories = layout
        .categories()
        .iter()
        .zip(&states.category_prices)
        .map(|(name, price)| CategoryView { name: name.clone(), price: price.map(|m| m.minor) })
        .collect();
    SeatMapView {
        show: show.id.0,
        available: states.available,
        currency: show.pricing.currency().code().to_string(),
        categories,
        seats,
        seq,
        at: iso(states.at),
    }
}

/// A category in the legend.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    /// Name.
    pub name: String,
    /// Current price of one default ticket, in minor units of the map's currency.
    pub price: Option<i64>,
}
