//! An event of a show's log as every front reads it: one flat record, its kind named, its seats
//! by label, and the status those seats now have.

use crate::booking::BookingStatus;
use crate::instant::Instant;
use crate::money::Money;
use crate::seat_map::SeatStatus;
use crate::{labels, num};
use booking_core as bc;
use booking_core::SeatLayout;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(string_enum = "snake_case"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum EventKind {
    /// The show was scheduled.
    ShowScheduled,
    /// The show was cancelled (its holds and bookings were released just before).
    ShowCancelled,
    /// Seats were held.
    HoldPlaced,
    /// A hold got a later expiry.
    HoldExtended,
    /// A hold was released.
    HoldReleased,
    /// A hold expired.
    HoldExpired,
    /// A hold became a pending booking.
    BookingCreated,
    /// A booking was paid.
    BookingConfirmed,
    /// A pending booking missed its payment deadline.
    BookingExpired,
    /// A booking was cancelled.
    BookingCancelled,
    /// A booking was refunded.
    BookingRefunded,
    /// A ticket was checked in at the door.
    TicketCheckedIn,
}

/// One entry of a show's log. The fields a kind does not have are absent (`seats` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Event {
    /// The show whose log it is.
    pub show: i64,
    /// Its position in the log: 1, 2, 3... without gaps.
    pub seq: i64,
    /// When it happened.
    pub at: Instant,
    /// What happened.
    pub kind: EventKind,
    /// The hold.
    pub hold: Option<i64>,
    /// The booking.
    pub booking: Option<i64>,
    /// Who holds or booked (absent from public streams).
    pub owner: Option<String>,
    /// Labels of the seats it concerns.
    pub seats: Vec<String>,
    /// The status those seats have after it, when it changed them.
    pub seat_status: Option<SeatStatus>,
    /// A hold's new expiry.
    pub expires_at: Option<Instant>,
    /// A new booking's payment deadline.
    pub payment_deadline: Option<Instant>,
    /// A booking's total, paid or refunded.
    pub total: Option<Money>,
    /// The payment's reference (absent from public streams).
    pub payment_ref: Option<String>,
    /// The status a cancelled booking was cancelled from.
    pub from: Option<BookingStatus>,
}

impl Event {
    /// The view of `e`, an event of a show with `layout`.
    pub fn new(e: &bc::Event, layout: &SeatLayout) -> Event {
        use booking_core::EventKind as K;
        let mut v = Event {
            show: num(e.show.0),
            seq: num(e.seq),
            at: e.at.into(),
            kind: EventKind::ShowScheduled,
            hold: None,
            booking: None,
            owner: None,
            seats: Vec::new(),
            seat_status: None,
            expires_at: None,
            payment_deadline: None,
            total: None,
            payment_ref: None,
            from: None,
        };
        let freed = Some(SeatStatus::Available);
        match &e.kind {
            K::ShowScheduled => {}
            K::ShowCancelled => v.kind = EventKind::ShowCancelled,
            K::HoldPlaced { hold, owner, seats, expires_at } => {
                v.kind = EventKind::HoldPlaced;
                v.hold = Some(num(hold.0));
                v.owner = Some(owner.to_string());
                v.seats = labels(layout, seats);
                v.seat_status = Some(SeatStatus::Held);
                v.expires_at = Some((*expires_at).into());
            }
            K::HoldExtended { hold, expires_at } => {
                v.kind = EventKind::HoldExtended;
                v.hold = Some(num(hold.0));
                v.expires_at = Some((*expires_at).into());
            }
            K::HoldReleased { hold, seats } | K::HoldExpired { hold, seats } => {
                v.kind = if matches!(e.kind, K::HoldReleased { .. }) {
                    EventKind::HoldReleased
                } else {
                    EventKind::HoldExpired
                };
                v.hold = Some(num(hold.0));
                v.seats = labels(layout, seats);
                v.seat_status = freed;
            }
            K::BookingCreated { booking, hold, owner, seats, payment_deadline, total } => {
                v.kind = EventKind::BookingCreated;
                v.booking = Some(num(booking.0));
                v.hold = Some(num(hold.0));
                v.owner = Some(owner.to_string());
                v.seats = labels(layout, seats);
                v.seat_status = Some(SeatStatus::Pending);
                v.payment_deadline = Some((*payment_deadline).into());
                v.total = Some((*total).into());
            }
            K::BookingConfirmed { booking, seats, payment_ref, total } => {
                v.kind = EventKind::BookingConfirmed;
                v.booking = Some(num(booking.0));
                v.seats = labels(layout, seats);
                v.seat_status = (!seats.is_empty()).then_some(SeatStatus::Booked);
                v.payment_ref = Some(payment_ref.clone());
                v.total = Some((*total).into());
            }
            K::BookingExpired { booking, seats } => {
                v.kind = EventKind::BookingExpired;
                v.booking = Some(num(booking.0));
                v.seats = labels(layout, seats);
                v.seat_status = freed;
            }
            K::BookingCancelled { booking, seats, from } => {
                v.kind = EventKind::BookingCancelled;
                v.booking = Some(num(booking.0));
                v.seats = labels(layout, seats);
                v.seat_status = freed;
                v.from = Some((*from).into());
            }
            K::BookingRefunded { booking, seats, total } => {
                v.kind = EventKind::BookingRefunded;
                v.booking = Some(num(booking.0));
                v.seats = labels(layout, seats);
                v.seat_status = freed;
                v.total = Some((*total).into());
            }
            K::TicketCheckedIn { booking, seat } => {
                v.kind = EventKind::TicketCheckedIn;
                v.booking = Some(num(booking.0));
                v.seats = labels(layout, &[*seat]);
            }
        }
        v
    }

    /// The views of events of one or more shows (what `events_since` and `events_since_each`
    /// answer), each show read once for its layout.
    pub async fn all_of(
        engine: &bc::BookingEngine,
        events: &[bc::Event],
    ) -> Result<Vec<Event>, bc::BookingError> {
        let mut shows: Vec<std::sync::Arc<bc::Show>> = Vec::new();
        let mut views = Vec::with_capacity(events.len());
        for e in events {
            let show = match shows.iter().find(|s| s.id == e.show) {
                Some(s) => s.clone(),
                None => {
                    let s = engine.show(e.show).await?;
                    shows.push(s.clone());
                    s
                }
            };
            views.push(Event::new(e, &show.layout));
        }
        Ok(views)
    }

    /// The same event without who holds or paid what: what a public stream may show.
    pub fn public(mut self) -> Event {
        self.owner = None;
        self.payment_ref = None;
        self
    }
}
