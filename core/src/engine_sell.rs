//! Selling: seat maps, quotes, best-available, and the hold lease operations.

use crate::SeatFlags;
use crate::engine::BookingEngine;
use crate::error::BookingError;
use crate::hold::Hold;
use crate::ids::{HoldId, OwnerId, SeatIdx, ShowId};
use crate::occupancy::{SeatOccupant, SeatStatus};
use crate::places::{PLACES_PER_ZONE_MAX, PlaceChoice, ZonePick, placeholder_label};
use crate::seat_witness::SeatWitness;
use crate::show::Show;
use crate::store::{Actor, ExtendHold, PlaceHold, ReleaseHold};
use crate::store_error::StoreError;
use crate::time::Timestamp;
use crate::{BestFilter, Money, PricingError, Quote, QuoteRequest, QuoteSeat, SelectionViolation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Most times a hold on a show with the no-orphan rule is tried when the seats around it keep
/// changing between the engine's read and the store's step ([`StoreError::SeatsChanged`]);
/// past them the caller gets a retryable `STORE_UNAVAILABLE`.
pub const WITNESS_ATTEMPTS_MAX: u32 = 4;

/// Longest ticket type name or promo code accepted, in bytes.
pub const CHOICE_NAME_BYTES_MAX: usize = 64;

/// One seat asked for, by label, with an optional ticket type (the policy's default otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeatChoice {
    /// Seat label, e.g. `F12`.
    pub label: String,
    /// Ticket type, e.g. `child`.
    #[serde(default)]
    pub ticket_type: Option<String>,
}

impl SeatChoice {
    /// A seat at the default ticket type.
    pub fn new(label: &str) -> Self {
        SeatChoice { label: label.to_string(), ticket_type: None }
    }
}

/// A request to hold seats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldRequest {
    /// The show.
    pub show: ShowId,
    /// Who holds.
    pub owner: OwnerId,
    /// The seats (distinct; with `places`, 1 to `hold_seats_max` in all).
    pub seats: Vec<SeatChoice>,
    /// Places of general-admission zones by quantity, which the store picks (each zone once).
    #[serde(default)]
    pub places: Vec<PlaceChoice>,
    /// A promo code to apply to the quote.
    #[serde(default)]
    pub promo_code: Option<String>,
    /// The buyer asks for an accessible place: while the show keeps them
    /// ([`Show::keeps_accessible`]), only such a buyer may hold wheelchair places and companion
    /// seats ([`crate::check_accessible`]).
    #[serde(default)]
    pub accessible: bool,
}

/// What best-available should look for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestRequest {
    /// How many seats.
    pub count: u32,
    /// Only seats of this category.
    #[serde(default)]
    pub category: Option<String>,
    /// Only places of this general-admission zone.
    #[serde(default)]
    pub zone: Option<String>,
    /// The buyer asks for an accessible place: while the show keeps them, wheelchair places
    /// and companion seats (each next to a wheelchair place picked with it) are offered to such a
    /// buyer only; once released, to everyone.
    #[serde(default)]
    pub accessible: bool,
}

/// One seat as a customer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatView {
    /// Label.
    pub label: String,
    /// Drawing position.
    pub x: i32,
    /// Drawing position.
    pub y: i32,
    /// Category name.
    pub category: String,
    /// Flags (wheelchair, companion, blocked, general admission).
    pub flags: SeatFlags,
    /// Status now.
    pub status: SeatStatus,
    /// Current price of one default ticket for this seat.
    pub price: Option<Money>,
}

/// Every seat of a show with its status and price at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatMap {
    /// The show.
    pub show: ShowId,
    /// The instant it describes.
    pub at: Timestamp,
    /// Seats in index order.
    pub seats: Vec<SeatView>,
    /// Seats available now.
    pub available: u32,
}

/// The state of every seat of a show at one instant, without the layout's text: what a front
/// that renders the layout itself (once per show, it never changes) needs on every read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatStates {
    /// The instant it describes.
    pub at: Timestamp,
    /// Each seat's status, in index order.
    pub statuses: Vec<SeatStatus>,
    /// The current price of one default ticket in each category, in the layout's category
    /// order (`None` where the policy cannot price it).
    pub category_prices: Vec<Option<Money>>,
    /// Seats available now.
    pub available: u32,
}

impl BookingEngine {
    /// Every seat with its status and current price.
    pub async fn seat_map(&self, show: ShowId) -> Result<SeatMap, BookingError> {
        let show = self.store.show(show).await?;
        let states = self.seat_states(&show).await?;
        let layout = &show.layout;
        let seats = layout
            .seats()
            .iter()
            .zip(&states.statuses)
            .map(|(seat, status)| SeatView {
                label: seat.label.to_string(),
                x: seat.x,
                y: seat.y,
                category: layout.categories().get(usize::from(seat.category)).cloned().unwrap_or_default(),
                flags: seat.flags,
                status: *status,
                price: states.category_prices.get(usize::from(seat.category)).copied().flatten(),
            })
            .collect();
        Ok(SeatMap { show: show.id, at: states.at, seats, available: states.available })
    }

    /// The status of every seat of `show` and the price of each category, now: the seat map
    /// without the layout (see [`SeatStates`]).
    pub async fn seat_states(&self, show: &Show) -> Result<SeatStates, BookingError> {
        let now = self.now();
        let occupancy = self.store.seat_occupancy(show.id).await?;
        let occupancy_bp = occupancy_bp(show, &occupancy, now);
        let category_prices = show
            .layout
            .categories()
            .iter()
            .map(|c| self.category_price(show, c, now, occupancy_bp).ok())
            .collect();
        let mut available = 0;
        let statuses = show
            .layout
            .seats()
            .iter()
            .zip(&occupancy)
            .map(|(seat, occ)| {
                let status = occ.status(now, seat.flags.is_blocked());
                available += u32::from(status == SeatStatus::Available);
                status
            })
            .collect();
        Ok(SeatStates { at: now, statuses, category_prices, available })
    }

    fn category_price(
        &self,
        show: &Show,
        category: &str,
        now: Timestamp,
        occ: u32,
    ) -> Result<Money, BookingError> {
        let label = Arc::from(category);
        let seat = [QuoteSeat { label: &label, category, ticket_type: None }];
        Ok(self.price(show, &seat, None, now, occ)?.total())
    }

    fn price(
        &self,
        show: &Show,
        seats: &[QuoteSeat<'_>],
        promo: Option<&str>,
        now: Timestamp,
        occupancy_bp: u32,
    ) -> Result<Quote, BookingError> {
        let tz = self.zones.get("time_zone", &show.time_zone)?;
        let req = QuoteRequest {
            seats,
            show_starts_at: show.starts_at,
            time_zone: &tz,
            now,
            occupancy_bp,
            promo_code: promo,
        };
        show.pricing.quote(&req).map_err(|e| match e {
            PricingError::UnknownTicketType { ticket_type } => {
                BookingError::invalid("seats.ticket_type", format!("unknown ticket type {ticket_type:?}"))
            }
            other => other.into(),
        })
    }

    /// The price of seats and general-admission places now, without holding them. A place's
    /// line is labelled with its zone's name: which place a hold gets is the store's pick.
    pub async fn quote(
        &self,
        show: ShowId,
        seats: &[SeatChoice],
        places: &[PlaceChoice],
        promo_code: Option<&str>,
    ) -> Result<Quote, BookingError> {
        let show = self.store.show(show).await?;
        let now = self.now();
        let picks = self.resolve_places(&show, places, seats.len())?;
        let wanted = picks.iter().map(|p| p.quantity as usize).sum();
        let idx = self.resolve_seats(&show, seats, wanted)?;
        let sel = Selection { choices: seats, seats: &idx, places, picks: &picks };
        let quote = self.quote_for(&show, &sel, promo_code, now, None).await?;
        Ok(if picks.is_empty() { quote } else { crate::places::zone_labels(&quote) })
    }

    async fn quote_for(
        &self,
        show: &Show,
        sel: &Selection<'_>,
        promo: Option<&str>,
        now: Timestamp,
        occupancy: Option<&[SeatOccupant]>,
    ) -> Result<Quote, BookingError> {
        let occ = match (show.pricing.uses_occupancy(), occupancy) {
            (false, _) => 0,
            (true, Some(o)) => occupancy_bp(show, o, now),
            (true, None) => share_bp(show, u64::from(self.store.seats_taken(show.id, now).await?)),
        };
        self.quote_at(show, sel, promo, now, occ)
    }

    /// The quote of a selection at a known occupancy (basis points of the sellable seats taken):
    /// a line per seat, then a line per place asked for, labelled with a placeholder that the
    /// store turns into the place it picks ([`crate::places`]).
    pub(crate) fn quote_at(
        &self,
        show: &Show,
        sel: &Selection<'_>,
        promo: Option<&str>,
        now: Timestamp,
        occ: u32,
    ) -> Result<Quote, BookingError> {
        check_promo(promo)?;
        let layout = &show.layout;
        let categories = layout.categories();
        let category = |c: u16| categories.get(usize::from(c)).map_or("", String::as_str);
        let placeholders: Vec<Arc<str>> = sel
            .places
            .iter()
            .zip(sel.picks)
            .flat_map(|(choice, pick)| std::iter::repeat_n(choice.zone.as_str(), pick.quantity as usize))
            .enumerate()
            .map(|(k, zone)| Arc::from(placeholder_label(zone, k + 1)))
            .collect();
        let mut lines = Vec::with_capacity(sel.choices.len() + placeholders.len());
        for (choice, i) in sel.choices.iter().zip(sel.seats) {
            let seat = layout.seat(*i).ok_or_else(|| BookingError::not_found("seat", i.0))?;
            lines.push(QuoteSeat {
                label: &seat.label,
                category: category(seat.category),
                ticket_type: choice.ticket_type.as_deref(),
            });
        }
        let mut labels = placeholders.iter();
        for (choice, pick) in sel.places.iter().zip(sel.picks) {
            let zone = layout.zones().get(pick.zone as usize).map_or(0, |z| z.category);
            for label in labels.by_ref().take(pick.quantity as usize) {
                lines.push(QuoteSeat {
                    label,
                    category: category(zone),
                    ticket_type: choice.ticket_type.as_deref(),
                });
            }
        }
        self.price(show, &lines, promo, now, occ)
    }

    /// Validates general-admission quantities against the layout: known zones, each once, 1 to
    /// [`PLACES_PER_ZONE_MAX`] places and no more than the zone has; `seats` more are asked for.
    pub(crate) fn resolve_places(
        &self,
        show: &Show,
        places: &[PlaceChoice],
        seats: usize,
    ) -> Result<Vec<ZonePick>, BookingError> {
        let zones = show.layout.zones();
        let mut picks: Vec<ZonePick> = Vec::with_capacity(places.len());
        let mut total = seats;
        for (n, choice) in places.iter().enumerate() {
            let (id, zone) =
                zones.iter().enumerate().find(|(_, z)| z.name == choice.zone).ok_or_else(|| {
                    BookingError::invalid(format!("places[{n}].zone"), unknown(&choice.zone))
                })?;
            let id = u32::try_from(id)
                .map_err(|_| BookingError::invalid(format!("places[{n}].zone"), "too many zones"))?;
            if picks.iter().any(|p| p.zone == id) {
                return Err(BookingError::invalid(format!("places[{n}].zone"), "zone named twice"));
            }
            let most = PLACES_PER_ZONE_MAX.min(zone.capacity);
            if choice.quantity == 0 || choice.quantity > most {
                return Err(BookingError::invalid(
                    format!("places[{n}].quantity"),
                    format!("must be between 1 and {most}"),
                ));
            }
            check_ticket_type(choice.ticket_type.as_deref(), || format!("places[{n}].ticket_type"))?;
            total = total.saturating_add(choice.quantity as usize);
            picks.push(ZonePick {
                zone: id,
                first: SeatIdx(zone.seats.start),
                capacity: zone.capacity,
                quantity: choice.quantity,
            });
        }
        let max = self.config.hold_seats_max;
        if total > max as usize {
            return Err(BookingError::LimitExceeded { limit: "seats_per_hold", max: u64::from(max) });
        }
        Ok(picks)
    }

    /// Validates seat choices against the layout: present (unless `places` places are asked for
    /// beside them), known, distinct, within the limit.
    pub(crate) fn resolve_seats(
        &self,
        show: &Show,
        seats: &[SeatChoice],
        places: usize,
    ) -> Result<Vec<SeatIdx>, BookingError> {
        if seats.is_empty() && places == 0 {
            return Err(BookingError::invalid("seats", "must name at least one seat or place"));
        }
        let max = self.config.hold_seats_max;
        if seats.len().saturating_add(places) > max as usize {
            return Err(BookingError::LimitExceeded { limit: "seats_per_hold", max: u64::from(max) });
        }
        let mut idx = Vec::with_capacity(seats.len());
        for (n, choice) in seats.iter().enumerate() {
            let i = show
                .layout
                .find(&choice.label)
                .ok_or_else(|| BookingError::invalid(format!("seats[{n}]"), unknown_seat(&choice.label)))?;
            if idx.contains(&i) {
                return Err(BookingError::invalid(format!("seats[{n}]"), "seat named twice"));
            }
            check_ticket_type(choice.ticket_type.as_deref(), || format!("seats[{n}].ticket_type"))?;
            idx.push(i);
        }
        Ok(idx)
    }

    /// The best `count` free seats now (centre-weighted, together where possible), by label.
    pub async fn best_available(&self, show: ShowId, req: &BestRequest) -> Result<Vec<String>, BookingError> {
        let show = self.store.show(show).await?;
        let max = self.config.hold_seats_max;
        if req.count == 0 || req.count > max {
            return Err(BookingError::invalid("count", format!("must be between 1 and {max}")));
        }
        let layout = &show.layout;
        let category = match &req.category {
            Some(c) => {
                Some(layout.category_id(c).ok_or_else(|| BookingError::invalid("category", unknown(c)))?)
            }
            None => None,
        };
        let zone = match &req.zone {
            Some(z) => Some(layout.zone_id(z).ok_or_else(|| BookingError::invalid("zone", unknown(z)))?),
            None => None,
        };
        let now = self.now();
        let occupancy = self.store.seat_occupancy(show.id).await?;
        let keeps = show.keeps_accessible(now);
        let filter =
            BestFilter { category, zone, accessible: req.accessible || !keeps, no_companions: false };
        let free = |s: SeatIdx| occupancy.get(s.index()).is_some_and(|o| !o.is_taken(now));
        let picked = crate::best_available(layout, req.count as usize, &filter, free)
            .ok_or_else(|| BookingError::SeatUnavailable { seats: Vec::new() })?;
        Ok(picked.iter().filter_map(|i| layout.seat(*i)).map(|s| s.label.to_string()).collect())
    }

    /// Holds seats and general-admission places: all of them or none, priced now, until
    /// `now + hold_ttl_ms`. The store picks the places of each zone asked for by quantity.
    pub async fn hold(&self, req: HoldRequest) -> Result<Hold, BookingError> {
        let show = self.store.show(req.show).await?;
        let now = self.now();
        show.on_sale(now).map_err(|reason| BookingError::SalesClosed { reason })?;
        let picks = self.resolve_places(&show, &req.places, req.seats.len())?;
        let places = picks.iter().map(|p| p.quantity as usize).sum();
        let seats = self.resolve_seats(&show, &req.seats, places)?;
        crate::check_pairs(&show.layout, &seats).map_err(|v| selection_error(&show, v))?;
        if show.keeps_accessible(now)
            && seats.iter().any(|s| crate::accessible::is_accessible(&show.layout, *s))
        {
            self.check_accessible_places(&show, &req.owner, req.accessible, &seats, now).await?;
        }
        if show.no_orphan && !seats.is_empty() {
            return self.place_without_orphans(&show, req, seats, picks, now).await;
        }
        if show.pricing.uses_occupancy() && self.store.counts_taken_at_place() {
            return self.place_at_demand(&show, req, seats, picks, now).await;
        }
        let promo = req.promo_code.as_deref();
        let sel = Selection { choices: &req.seats, seats: &seats, places: &req.places, picks: &picks };
        let quote = self.quote_for(&show, &sel, promo, now, None).await?;
        let place = self.place_request(&show, req.owner, (seats, picks), now, quote, None);
        self.store.place_hold(place).await.map_err(|e| store_error(&show, e))
    }

    /// Checks a selection with accessible places against the rules of a show that keeps them. The
    /// wheelchair places a companion seat may go with are looked up (whose they are) only for a
    /// companion seat without one in the selection. The look-up and the placement are not one
    /// atomic step: a buyer who lets the wheelchair place go meanwhile keeps the companion seat,
    /// as one who lets it go after the sale does.
    async fn check_accessible_places(
        &self,
        show: &Show,
        owner: &OwnerId,
        asks: bool,
        seats: &[SeatIdx],
        now: Timestamp,
    ) -> Result<(), BookingError> {
        let layout = &show.layout;
        let wanted: Vec<SeatIdx> = if asks {
            crate::accessible::lonely_companions(layout, seats)
                .flat_map(|c| crate::adjacent_wheelchairs(layout, c))
                .collect()
        } else {
            Vec::new()
        };
        let mut mine = Vec::new();
        if !wanted.is_empty() {
            let occupancy = self.store.seat_occupancy(show.id).await?;
            for w in wanted {
                let owned_by = match occupancy.get(w.index()) {
                    Some(o) if o.is_taken(now) => self.occupant_owner(o).await,
                    _ => None,
                };
                if owned_by.as_ref() == Some(owner) {
                    mine.push(w);
                }
            }
        }
        crate::check_accessible(layout, seats, asks, |w| mine.contains(&w))
            .map_err(|v| selection_error(show, v))
    }

    /// Who holds or booked a seat's occupant (`None` once it is gone).
    async fn occupant_owner(&self, occupant: &SeatOccupant) -> Option<OwnerId> {
        match occupant {
            SeatOccupant::Held { hold, .. } => self.store.hold(*hold).await.ok().map(|h| h.owner),
            SeatOccupant::Pending { booking, .. } | SeatOccupant::Sold { booking } => {
                self.store.booking(*booking).await.ok().map(|b| b.owner)
            }
            SeatOccupant::Free => None,
        }
    }

    /// Places a hold on a show with the no-orphan rule: the rule is checked against the seats
    /// read now, and the store places the hold only if the seats the verdict rests on (the
    /// [`SeatWitness`]) are unchanged in its atomic step. When they changed, the rule is checked
    /// again on a fresh read, up to [`WITNESS_ATTEMPTS_MAX`] times.
    async fn place_without_orphans(
        &self,
        show: &Show,
        req: HoldRequest,
        seats: Vec<SeatIdx>,
        picks: Vec<ZonePick>,
        now: Timestamp,
    ) -> Result<Hold, BookingError> {
        let promo = req.promo_code.as_deref();
        let sel = Selection { choices: &req.seats, seats: &seats, places: &req.places, picks: &picks };
        let mut attempt = 1;
        loop {
            // One read serves the rule and, where the price follows demand, the quote.
            let occupancy = self.store.seat_occupancy(show.id).await?;
            let taken = |s: SeatIdx| occupancy.get(s.index()).is_none_or(|o| o.is_taken(now));
            crate::check_orphans(&show.layout, &seats, taken).map_err(|v| selection_error(show, v))?;
            let witness = SeatWitness::around(&show.layout, &seats, taken);
            let quote = self.quote_for(show, &sel, promo, now, Some(&occupancy)).await?;
            let what = (seats.clone(), picks.clone());
            let mut place = self.place_request(show, req.owner.clone(), what, now, quote, None);
            place.witness = witness;
            match self.store.place_hold(place).await {
                Err(StoreError::SeatsChanged { .. }) if attempt < WITNESS_ATTEMPTS_MAX => attempt += 1,
                placed => return placed.map_err(|e| store_error(show, e)),
            }
        }
    }

    /// The store's request for a hold of `seats` and places (`picks`) priced `quote`, placed at
    /// `now`.
    pub(crate) fn place_request(
        &self,
        show: &Show,
        owner: OwnerId,
        (seats, places): (Vec<SeatIdx>, Vec<ZonePick>),
        now: Timestamp,
        quote: Quote,
        taken_band: Option<(u32, u32)>,
    ) -> PlaceHold {
        PlaceHold {
            show: show.id,
            owner,
            seats,
            places,
            now,
            expires_at: now.plus_millis(self.config.hold_ttl_ms),
            max_expires_at: now.plus_millis(self.config.hold_lifetime_ms_max),
            holds_per_owner_max: self.config.holds_per_owner_max,
            tickets_per_owner_max: show.tickets_per_owner_max,
            quote: Arc::new(quote),
            taken_band,
            witness: SeatWitness::default(),
        }
    }

    /// Extends a live hold by `hold_ttl_ms` from now, never past its maximum lifetime.
    pub async fn extend_hold(
        &self,
        hold: HoldId,
        actor: Actor,
        expected_fence: Option<u64>,
    ) -> Result<Hold, BookingError> {
        let req = ExtendHold {
            hold,
            actor,
            now: self.now(),
            extend_by_ms: self.config.hold_ttl_ms,
            expected_fence,
        };
        Ok(self.store.extend_hold(req).await?)
    }

    /// Releases a live hold; its seats are free at once.
    pub async fn release_hold(
        &self,
        hold: HoldId,
        actor: Actor,
        expected_fence: Option<u64>,
    ) -> Result<Hold, BookingError> {
        let req = ReleaseHold { hold, actor, now: self.now(), expected_fence };
        Ok(self.store.release_hold(req).await?)
    }

    /// A hold that is live or expired but not yet swept.
    pub async fn hold_info(&self, hold: HoldId) -> Result<Hold, BookingError> {
        Ok(self.store.hold(hold).await?)
    }
}

/// Occupied share of sellable seats in basis points, at `now`.
fn occupancy_bp(show: &Show, occupancy: &[SeatOccupant], now: Timestamp) -> u32 {
    let seats = show.layout.seats();
    let taken = seats.iter().zip(occupancy).filter(|(s, o)| !s.flags.is_blocked() && o.is_taken(now)).count();
    share_bp(show, taken as u64)
}

/// `taken` seats as a share of the show's sellable seats, in basis points.
fn share_bp(show: &Show, taken: u64) -> u32 {
    crate::engine_demand::share_of(taken, crate::engine_demand::sellable(show))
}

fn check_ticket_type(ticket_type: Option<&str>, field: impl FnOnce() -> String) -> Result<(), BookingError> {
    match ticket_type {
        Some(t) if t.is_empty() || t.len() > CHOICE_NAME_BYTES_MAX => {
            Err(BookingError::invalid(field(), "must be 1 to 64 bytes"))
        }
        _ => Ok(()),
    }
}

fn check_promo(promo: Option<&str>) -> Result<(), BookingError> {
    match promo {
        Some(p) if p.is_empty() || p.len() > CHOICE_NAME_BYTES_MAX => {
            Err(BookingError::invalid("promo_code", "must be 1 to 64 bytes"))
        }
        _ => Ok(()),
    }
}

fn unknown_seat(label: &str) -> String {
    format!("unknown seat {:?}", truncate(label))
}

fn unknown(name: &str) -> String {
    format!("unknown {:?}", truncate(name))
}

/// Echoes at most 32 characters of a caller's string back in an error.
fn truncate(s: &str) -> String {
    s.chars().take(32).collect()
}

/// A selection resolved against the layout, beside what the buyer asked for.
pub(crate) struct Selection<'a> {
    /// The seats asked for.
    pub(crate) choices: &'a [SeatChoice],
    /// Their indices.
    pub(crate) seats: &'a [SeatIdx],
    /// The places asked for by quantity.
    pub(crate) places: &'a [PlaceChoice],
    /// Their zones, one per entry of `places`.
    pub(crate) picks: &'a [ZonePick],
}

pub(crate) fn labels(show: &Show, seats: &[SeatIdx]) -> Vec<String> {
    seats
        .iter()
        .map(|i| show.layout.seat(*i).map_or_else(|| format!("#{}", i.0), |s| s.label.to_string()))
        .collect()
}

fn selection_error(show: &Show, v: SelectionViolation) -> BookingError {
    BookingError::selection(&show.layout, &v)
}

/// Maps a store error to the engine's, naming seats by label.
pub(crate) fn store_error(show: &Show, e: StoreError) -> BookingError {
    match e {
        StoreError::SeatUnavailable { seats } => {
            BookingError::SeatUnavailable { seats: labels(show, &seats) }
        }
        StoreError::AlreadyCheckedIn { booking, seat } => BookingError::AlreadyCheckedIn {
            booking: booking.to_string(),
            seat: labels(show, &[seat]).pop().unwrap_or_default(),
        },
        // Places asked by quantity are named by their zone.
        StoreError::PlacesUnavailable { zone, wanted } => match show.layout.zones().get(zone as usize) {
            Some(z) => BookingError::SeatUnavailable { seats: vec![z.name.clone()] },
            None => StoreError::PlacesUnavailable { zone, wanted }.into(),
        },
        other => other.into(),
    }
}
