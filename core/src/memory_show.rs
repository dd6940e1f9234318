//! One show's state in the memory store: a dense seat array plus its holds, bookings and log.
//!
//! Every method here runs under the show's lock and is one atomic step: it validates everything
//! first and only then mutates, so an error leaves the state exactly as it was.

use crate::booking::Booking;
use crate::booking_status::{BookingAction, BookingStatus};
use crate::event::{Event, EventKind};
use crate::hold::Hold;
use crate::ids::{BookingId, HoldId, OwnerId, SeatIdx};
use crate::occupancy::SeatOccupant;
use crate::show::{Show, ShowStatus};
use crate::store::{Actor, ConfirmBooking, CreateBooking, EndBooking, ExtendHold, PlaceHold, ReleaseHold};
use crate::store::{ShowCancellation, StoreResult};
use crate::store_error::StoreError;
use crate::time::Timestamp;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// A seat's state in 16 bytes: the lease that occupies it and until when.
///
/// `lease` is 0 when free, a hold id, or a booking id with [`BOOKING_TAG`] set. A sold seat has
/// `until == i64::MAX`; a pending booking has its payment deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SeatCell {
    lease: u64,
    until: i64,
}

const BOOKING_TAG: u64 = 1 << 63;
const FREE: SeatCell = SeatCell { lease: 0, until: 0 };

impl SeatCell {
    #[inline]
    fn taken(self, now: Timestamp) -> bool {
        self.lease != 0 && now.millis() < self.until
    }

    fn held(hold: HoldId, until: Timestamp) -> Self {
        SeatCell { lease: hold.0, until: until.millis() }
    }

    fn booked(booking: BookingId, until: Timestamp) -> Self {
        SeatCell { lease: booking.0 | BOOKING_TAG, until: until.millis() }
    }

    fn occupant(self) -> SeatOccupant {
        let until = Timestamp(self.until);
        match self.lease {
            0 => SeatOccupant::Free,
            l if l & BOOKING_TAG == 0 => SeatOccupant::Held { hold: HoldId(l), until },
            l if self.until == i64::MAX => SeatOccupant::Sold { booking: BookingId(l & !BOOKING_TAG) },
            l => SeatOccupant::Pending { booking: BookingId(l & !BOOKING_TAG), until },
        }
    }
}

/// What an idempotency key was first used for.
#[derive(Debug, Clone, Copy)]
enum Idempotent {
    Create { hold: HoldId, booking: BookingId },
    Confirm { booking: BookingId },
}

/// The state of one show.
#[derive(Debug)]
pub(crate) struct ShowState {
    pub(crate) show: Arc<Show>,
    cells: Vec<SeatCell>,
    blocked: Vec<bool>,
    holds: HashMap<HoldId, Hold>,
    owner_holds: HashMap<OwnerId, Vec<HoldId>>,
    bookings: HashMap<BookingId, Booking>,
    pending: HashSet<BookingId>,
    idempotency: HashMap<Box<str>, Idempotent>,
    promo_uses: HashMap<String, u32>,
    events: VecDeque<Event>,
    next_seq: u64,
    events_max: usize,
    /// No lease of this show expires before this instant; lets the sweeper skip the show.
    pub(crate) next_expiry: Timestamp,
}

impl ShowState {
    pub(crate) fn new(show: Arc<Show>, now: Timestamp, events_max: usize) -> Self {
        let blocked = show.layout.seats().iter().map(|s| s.flags.is_blocked()).collect();
        let mut state = ShowState {
            cells: vec![FREE; show.layout.seat_count()],
            blocked,
            show,
            holds: HashMap::new(),
            owner_holds: HashMap::new(),
            bookings: HashMap::new(),
            pending: HashSet::new(),
            idempotency: HashMap::new(),
            promo_uses: HashMap::new(),
            events: VecDeque::new(),
            next_seq: 1,
            events_max: events_max.max(1),
            next_expiry: Timestamp::MAX,
        };
        state.append(now, EventKind::ShowScheduled);
        state
    }

    fn append(&mut self, at: Timestamp, kind: EventKind) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.events.len() >= self.events_max {
            self.events.pop_front();
        }
        self.events.push_back(Event { show: self.show.id, seq, at, kind });
        seq
    }

    fn check_open(&self) -> StoreResult<()> {
        match self.show.status {
            ShowStatus::Cancelled => Err(StoreError::ShowCancelled { show: self.show.id }),
            ShowStatus::Scheduled => Ok(()),
        }
    }

    fn check_seats(&self, seats: &[SeatIdx]) -> StoreResult<()> {
        let mut seen = HashSet::with_capacity(seats.len());
        for s in seats {
            if s.index() >= self.cells.len() {
                return Err(StoreError::InvalidRequest {
                    field: "seats".into(),
                    reason: format!("seat index {} is outside the layout", s.0),
                });
            }
            if !seen.insert(*s) {
                return Err(StoreError::InvalidRequest {
                    field: "seats".into(),
                    reason: format!("seat index {} is named twice", s.0),
                });
            }
        }
        Ok(())
    }

    fn live_holds_of(&self, owner: &OwnerId, now: Timestamp) -> usize {
        self.owner_holds.get(owner).map_or(0, |ids| {
            ids.iter().filter(|id| self.holds.get(id).is_some_and(|h| h.is_live(now))).count()
        })
    }

    fn set_cells(&mut self, seats: &[SeatIdx], from_lease: u64, to: SeatCell) {
        for s in seats {
            if let Some(cell) = self.cells.get_mut(s.index())
                && cell.lease == from_lease
            {
                *cell = to;
            }
        }
    }

    pub(crate) fn place_hold(&mut self, id: HoldId, req: PlaceHold) -> StoreResult<Hold> {
        self.check_open()?;
        self.check_seats(&req.seats)?;
        let now = req.now;
        let unavailable: Vec<SeatIdx> = req
            .seats
            .iter()
            .copied()
            .filter(|s| self.blocked[s.index()] || self.cells[s.index()].taken(now))
            .collect();
        if !unavailable.is_empty() {
            return Err(StoreError::SeatUnavailable { seats: unavailable });
        }
        if self.live_holds_of(&req.owner, now) >= req.holds_per_owner_max as usize {
            return Err(StoreError::LimitExceeded {
                limit: "holds_per_owner",
                max: u64::from(req.holds_per_owner_max),
            });
        }
        let cell = SeatCell::held(id, req.expires_at);
        for s in &req.seats {
            self.cells[s.index()] = cell;
        }
        let fence = self.append(
            now,
            EventKind::HoldPlaced {
                hold: id,
                owner: req.owner.clone(),
                seats: req.seats.clone(),
                expires_at: req.expires_at,
            },
        );
        self.next_expiry = self.next_expiry.min(req.expires_at);
        let owner_list = self.owner_holds.entry(req.owner.clone()).or_default();
        owner_list.retain(|h| self.holds.contains_key(h));
        owner_list.push(id);
        let hold = Hold {
            id,
            show: self.show.id,
            owner: req.owner,
            seats: req.seats,
            placed_at: now,
            expires_at: req.expires_at,
            max_expires_at: req.max_expires_at,
            fence,
            quote: req.quote,
        };
        self.holds.insert(id, hold.clone());
        Ok(hold)
    }

    /// Finds a hold that `actor` may act on and that is live at `now`, with the right fence.
    fn live_hold(&self, id: HoldId, actor: &Actor, now: Timestamp, fence: Option<u64>) -> StoreResult<&Hold> {
        let hold = self.holds.get(&id).ok_or_else(|| not_found("hold", id))?;
        if !actor.may_act_for(&hold.owner) {
            return Err(StoreError::NotOwner { what: id.to_string() });
        }
        if !hold.is_live(now) {
            return Err(StoreError::HoldExpired { what: id.to_string() });
        }
        match fence {
            Some(presented) if presented != hold.fence => {
                Err(StoreError::StaleFence { presented, current: hold.fence })
            }
            _ => Ok(hold),
        }
    }

    pub(crate) fn extend_hold(&mut self, req: ExtendHold) -> StoreResult<Hold> {
        let hold = self.live_hold(req.hold, &req.actor, req.now, req.expected_fence)?;
        let wanted = req.now.plus_millis(req.extend_by_ms).min(hold.max_expires_at);
        if wanted <= hold.expires_at {
            if hold.expires_at >= hold.max_expires_at {
                let max = hold.max_expires_at.millis_since(hold.placed_at).max(0) as u64;
                return Err(StoreError::LimitExceeded { limit: "hold_lifetime_ms", max });
            }
            return Ok(hold.clone());
        }
        let (id, seats) = (hold.id, hold.seats.clone());
        self.set_cells(&seats, id.0, SeatCell::held(id, wanted));
        let fence = self.append(req.now, EventKind::HoldExtended { hold: id, expires_at: wanted });
        let hold = self.holds.get_mut(&id).ok_or_else(|| not_found("hold", id))?;
        hold.expires_at = wanted;
        hold.fence = fence;
        Ok(hold.clone())
    }

    fn remove_hold(&mut self, id: HoldId) -> Option<Hold> {
        let hold = self.holds.remove(&id)?;
        if let Some(list) = self.owner_holds.get_mut(&hold.owner) {
            list.retain(|h| *h != id);
            if list.is_empty() {
                self.owner_holds.remove(&hold.owner);
            }
        }
        Some(hold)
    }

    pub(crate) fn release_hold(&mut self, req: ReleaseHold) -> StoreResult<Hold> {
        let id = self.live_hold(req.hold, &req.actor, req.now, req.expected_fence)?.id;
        let hold = self.remove_hold(id).ok_or_else(|| not_found("hold", id))?;
        self.set_cells(&hold.seats, id.0, FREE);
        self.append(req.now, EventKind::HoldReleased { hold: id, seats: hold.seats.clone() });
        Ok(hold)
    }

    pub(crate) fn hold(&self, id: HoldId) -> Option<&Hold> {
        self.holds.get(&id)
    }

    pub(crate) fn create_booking(&mut self, id: BookingId, req: CreateBooking) -> StoreResult<Booking> {
        if let Some(existing) = self.replay_create(&req)? {
            return Ok(existing);
        }
        let hold = self.live_hold(req.hold, &req.actor, req.now, req.expected_fence)?;
        if let Some((code, max)) = &req.promo
            && self.promo_uses.get(code).copied().unwrap_or(0) >= *max
        {
            return Err(StoreError::PromoExhausted { code: code.clone() });
        }
        let open_until = req.now.plus_millis(req.payment_window_ms).min(hold.max_expires_at);
        let deadline = hold.expires_at.max(open_until);
        let hold = self.remove_hold(req.hold).ok_or_else(|| not_found("hold", req.hold))?;
        self.set_cells(&hold.seats, hold.id.0, SeatCell::booked(id, deadline));
        if let Some((code, _)) = req.promo {
            *self.promo_uses.entry(code).or_insert(0) += 1;
        }
        self.append(
            req.now,
            EventKind::BookingCreated {
                booking: id,
                hold: hold.id,
                owner: hold.owner.clone(),
                seats: hold.seats.clone(),
                payment_deadline: deadline,
                total: hold.quote.total,
            },
        );
        self.next_expiry = self.next_expiry.min(deadline);
        let booking = Booking {
            id,
            show: self.show.id,
            owner: hold.owner,
            hold: hold.id,
            seats: hold.seats,
            quote: hold.quote,
            status: BookingStatus::Pending,
            created_at: req.now,
            payment_deadline: deadline,
            payment_ref: None,
            updated_at: req.now,
            checked_in: Vec::new(),
        };
        self.pending.insert(id);
        self.idempotency
            .insert(req.idempotency_key.into(), Idempotent::Create { hold: hold.id, booking: id });
        self.bookings.insert(id, booking.clone());
        Ok(booking)
    }

    /// The first answer to a create retried with the same key, or a conflict.
    fn replay_create(&self, req: &CreateBooking) -> StoreResult<Option<Booking>> {
        match self.idempotency.get(req.idempotency_key.as_str()) {
            None => Ok(None),
            Some(Idempotent::Create { hold, booking }) if *hold == req.hold => {
                let b = self.bookings.get(booking).ok_or_else(|| not_found("booking", booking))?;
                if !req.actor.may_act_for(&b.owner) {
                    return Err(StoreError::NotOwner { what: req.hold.to_string() });
                }
                Ok(Some(b.clone()))
            }
            Some(_) => Err(StoreError::IdempotencyConflict),
        }
    }

    fn owned_booking(&self, id: BookingId, actor: &Actor) -> StoreResult<&Booking> {
        let b = self.bookings.get(&id).ok_or_else(|| not_found("booking", id))?;
        if actor.may_act_for(&b.owner) { Ok(b) } else { Err(StoreError::NotOwner { what: id.to_string() }) }
    }

    pub(crate) fn confirm_booking(&mut self, req: ConfirmBooking) -> StoreResult<Booking> {
        match self.idempotency.get(req.idempotency_key.as_str()) {
            Some(Idempotent::Confirm { booking }) if *booking == req.booking => {
                return self.owned_booking(req.booking, &req.actor).cloned();
            }
            Some(_) => return Err(StoreError::IdempotencyConflict),
            None => {}
        }
        let b = self.owned_booking(req.booking, &req.actor)?;
        match b.status_at(req.now) {
            BookingStatus::Expired if b.status == BookingStatus::Pending => {
                return Err(StoreError::HoldExpired { what: req.booking.to_string() });
            }
            status => status.apply(BookingAction::Confirm)?,
        };
        let (id, seats, total) = (b.id, b.seats.clone(), b.quote.total);
        self.set_cells(&seats, id.0 | BOOKING_TAG, SeatCell::booked(id, Timestamp::MAX));
        self.append(
            req.now,
            EventKind::BookingConfirmed { booking: id, payment_ref: req.payment_ref.clone(), total },
        );
        self.pending.remove(&id);
        self.idempotency.insert(req.idempotency_key.into(), Idempotent::Confirm { booking: id });
        let b = self.bookings.get_mut(&id).ok_or_else(|| not_found("booking", id))?;
        b.status = BookingStatus::Confirmed;
        b.payment_ref = Some(req.payment_ref);
        b.updated_at = req.now;
        Ok(b.clone())
    }

    pub(crate) fn end_booking(&mut self, req: EndBooking) -> StoreResult<Booking> {
        let b = self.owned_booking(req.booking, &req.actor)?;
        let from = b.status_at(req.now);
        let next = from.apply(req.action)?;
        let (id, seats, total) = (b.id, b.seats.clone(), b.quote.total);
        self.set_cells(&seats, id.0 | BOOKING_TAG, FREE);
        let kind = match next {
            BookingStatus::Refunded => EventKind::BookingRefunded { booking: id, seats, total },
            _ => EventKind::BookingCancelled { booking: id, seats, from },
        };
        self.append(req.now, kind);
        self.pending.remove(&id);
        let b = self.bookings.get_mut(&id).ok_or_else(|| not_found("booking", id))?;
        b.status = next;
        b.updated_at = req.now;
        Ok(b.clone())
    }

    pub(crate) fn check_in(&mut self, id: BookingId, seat: SeatIdx, now: Timestamp) -> StoreResult<Booking> {
        let b = self.bookings.get(&id).ok_or_else(|| not_found("booking", id))?;
        let next = b.status_at(now).apply(BookingAction::CheckIn)?;
        if !b.seats.contains(&seat) {
            return Err(StoreError::InvalidRequest {
                field: "seat".into(),
                reason: format!("seat index {} is not part of {id}", seat.0),
            });
        }
        if b.checked_in.contains(&seat) {
            return Err(StoreError::AlreadyCheckedIn { booking: id, seat });
        }
        self.append(now, EventKind::TicketCheckedIn { booking: id, seat });
        let b = self.bookings.get_mut(&id).ok_or_else(|| not_found("booking", id))?;
        b.status = next;
        b.checked_in.push(seat);
        b.updated_at = now;
        Ok(b.clone())
    }

    pub(crate) fn booking(&self, id: BookingId) -> Option<&Booking> {
        self.bookings.get(&id)
    }

    /// Expires up to `limit` holds and `limit` pending bookings; returns the hold ids removed
    /// (so the store can drop them from its index) and the number of bookings expired.
    pub(crate) fn sweep(&mut self, now: Timestamp, limit: u32) -> (Vec<HoldId>, u32) {
        if now < self.next_expiry {
            return (Vec::new(), 0);
        }
        let mut expired: Vec<HoldId> =
            self.holds.values().filter(|h| !h.is_live(now)).map(|h| h.id).collect();
        expired.sort_unstable();
        expired.truncate(limit as usize);
        for id in &expired {
            if let Some(hold) = self.remove_hold(*id) {
                self.set_cells(&hold.seats, id.0, FREE);
                self.append(now, EventKind::HoldExpired { hold: *id, seats: hold.seats });
            }
        }
        let mut overdue: Vec<BookingId> = self
            .pending
            .iter()
            .filter(|id| self.bookings.get(id).is_some_and(|b| b.payment_deadline <= now))
            .copied()
            .collect();
        overdue.sort_unstable();
        overdue.truncate(limit as usize);
        for id in &overdue {
            self.expire_booking(*id, now);
        }
        self.next_expiry = self.compute_next_expiry();
        (expired, overdue.len() as u32)
    }

    fn expire_booking(&mut self, id: BookingId, now: Timestamp) {
        let Some(b) = self.bookings.get_mut(&id) else { return };
        b.status = BookingStatus::Expired;
        b.updated_at = now;
        let seats = b.seats.clone();
        self.pending.remove(&id);
        self.set_cells(&seats, id.0 | BOOKING_TAG, FREE);
        self.append(now, EventKind::BookingExpired { booking: id, seats });
    }

    fn compute_next_expiry(&self) -> Timestamp {
        let holds = self.holds.values().map(|h| h.expires_at);
        let pending = self.pending.iter().filter_map(|id| self.bookings.get(id)).map(|b| b.payment_deadline);
        holds.chain(pending).min().unwrap_or(Timestamp::MAX)
    }

    /// Releases every hold, cancels every live booking, marks the show cancelled.
    pub(crate) fn cancel(&mut self, now: Timestamp) -> StoreResult<ShowCancellation> {
        self.check_open().map_err(|_| StoreError::InvalidRequest {
            field: "show".into(),
            reason: format!("{} is already cancelled", self.show.id),
        })?;
        let mut out = ShowCancellation::default();
        let mut holds: Vec<HoldId> = self.holds.keys().copied().collect();
        holds.sort_unstable();
        for id in holds {
            if let Some(hold) = self.remove_hold(id) {
                self.set_cells(&hold.seats, id.0, FREE);
                self.append(now, EventKind::HoldReleased { hold: id, seats: hold.seats });
                out.holds.push(id);
            }
        }
        let mut bookings: Vec<BookingId> = self.bookings.keys().copied().collect();
        bookings.sort_unstable();
        for id in bookings {
            let status = self.bookings.get(&id).map(|b| (b.status, b.status_at(now)));
            match status {
                Some((BookingStatus::Pending, BookingStatus::Expired)) => self.expire_booking(id, now),
                Some((_, BookingStatus::Pending | BookingStatus::Confirmed)) => {
                    let req =
                        EndBooking { booking: id, actor: Actor::Staff, now, action: BookingAction::Cancel };
                    self.end_booking(req)?;
                    out.bookings.push(id);
                }
                _ => {}
            }
        }
        self.append(now, EventKind::ShowCancelled);
        let mut show = (*self.show).clone();
        show.status = ShowStatus::Cancelled;
        self.show = Arc::new(show);
        Ok(out)
    }

    pub(crate) fn occupancy(&self) -> Vec<SeatOccupant> {
        self.cells.iter().map(|c| c.occupant()).collect()
    }

    pub(crate) fn events_since(&self, after: u64, limit: usize) -> StoreResult<Vec<Event>> {
        let first = self.events.front().map_or(self.next_seq, |e| e.seq);
        if after.saturating_add(1) < first {
            return Err(StoreError::InvalidRequest {
                field: "after".into(),
                reason: format!("events before seq {first} are no longer retained"),
            });
        }
        let skip = usize::try_from(after.saturating_add(1) - first).unwrap_or(usize::MAX);
        Ok(self.events.iter().skip(skip).take(limit).cloned().collect())
    }

    /// Bytes of the dense seat array (for memory accounting).
    pub(crate) fn seat_bytes(&self) -> usize {
        self.cells.len() * std::mem::size_of::<SeatCell>()
    }
}

fn not_found(entity: &'static str, id: impl std::fmt::Display) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_cell_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<SeatCell>(), 16);
    }

    #[test]
    fn cells_encode_every_occupant() {
        let until = Timestamp(500);
        assert_eq!(FREE.occupant(), SeatOccupant::Free);
        assert_eq!(
            SeatCell::held(HoldId(7), until).occupant(),
            SeatOccupant::Held { hold: HoldId(7), until }
        );
        assert_eq!(
            SeatCell::booked(BookingId(9), until).occupant(),
            SeatOccupant::Pending { booking: BookingId(9), until }
        );
        assert_eq!(
            SeatCell::booked(BookingId(9), Timestamp::MAX).occupant(),
            SeatOccupant::Sold { booking: BookingId(9) }
        );
        assert!(SeatCell::held(HoldId(7), until).taken(Timestamp(499)));
        assert!(!SeatCell::held(HoldId(7), until).taken(Timestamp(500)));
    }
}
