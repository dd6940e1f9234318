//! One show's state in the memory store: a dense seat array plus its holds, bookings and log.
//!
//! Every method here runs under the show's lock and is one atomic step: it validates everything
//! first and only then mutates, so an error leaves the state exactly as it was.

use crate::booking::Booking;
use crate::booking_status::{BookingAction, BookingStatus};
use crate::event::{Event, EventKind};
use crate::hold::Hold;
use crate::ids::{BookingId, HoldId, OwnerId, SeatIdx};
use crate::memory_seats::{Lease, SeatTable, Slot};
use crate::occupancy::SeatOccupant;
use crate::show::{Show, ShowStatus};
use crate::store::{Actor, ConfirmBooking, CreateBooking, EndBooking, ExtendHold, PlaceHold, ReleaseHold};
use crate::store::{ShowCancellation, StoreResult};
use crate::store_error::StoreError;
use crate::time::Timestamp;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// What an idempotency key was first used for.
#[derive(Debug, Clone, Copy)]
enum Idempotent {
    Create { hold: HoldId, booking: BookingId },
    Confirm { booking: BookingId },
}

/// What one owner has stored on a show; an owner with neither is not kept.
#[derive(Debug, Default, Clone, Copy)]
struct OwnerCounts {
    /// Holds, live or expired but not yet swept.
    holds: u32,
    /// Seats of those holds and of the bookings that still occupy their seats.
    tickets: u32,
}

/// The state of one show.
#[derive(Debug)]
pub(crate) struct ShowState {
    pub(crate) show: Arc<Show>,
    seats: SeatTable,
    holds: HashMap<HoldId, (Hold, Slot)>,
    /// What each owner has stored: holds (live or expired but not yet swept) and tickets.
    owners: HashMap<OwnerId, OwnerCounts>,
    /// Each booking with the slot of its seats while it occupies them.
    bookings: HashMap<BookingId, (Booking, Option<Slot>)>,
    pending: HashSet<BookingId>,
    /// The idempotency keys used on this show, each with the owners who used it: keys are per
    /// owner (the hold's or booking's customer), and one owner per key is the common case.
    idempotency: HashMap<Box<str>, Vec<(OwnerId, Idempotent)>>,
    promo_uses: HashMap<String, u32>,
    /// The retained tail of the log: the show and the sequence numbers are implied (the last
    /// entry is `next_seq - 1`), which saves 16 of an event's bytes.
    events: VecDeque<(Timestamp, EventKind)>,
    next_seq: u64,
    events_max: usize,
    /// No lease of this show expires before this instant; lets the sweeper skip the show.
    pub(crate) next_expiry: Timestamp,
}

impl ShowState {
    pub(crate) fn new(show: Arc<Show>, now: Timestamp, events_max: usize) -> Self {
        let mut state = ShowState {
            seats: SeatTable::new(
                show.layout.seats().iter().map(|s| s.flags.is_blocked()),
                show.layout.zones(),
            ),
            show,
            holds: HashMap::new(),
            owners: HashMap::new(),
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
        self.events.push_back((at, kind));
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
            if s.index() >= self.seats.len() {
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

    /// Whether `owner` has `max` live holds already. The count of stored holds answers at once
    /// while it is under the limit; only an owner at the limit costs a scan for expired holds.
    fn owner_at_limit(&self, owner: &OwnerId, now: Timestamp, max: u32) -> bool {
        let stored = self.owners.get(owner).map_or(0, |c| c.holds);
        stored >= max
            && self.holds.values().filter(|(h, _)| h.owner == *owner && h.is_live(now)).count()
                >= max as usize
    }

    /// Whether `more` tickets would take `owner` past `max`. As for holds, the stored count
    /// answers while it is under; only an owner near the cap costs a scan for expired leases.
    fn tickets_past_cap(&self, owner: &OwnerId, now: Timestamp, more: usize, max: u32) -> bool {
        let stored = self.owners.get(owner).map_or(0, |c| c.tickets as usize);
        if stored + more <= max as usize {
            return false;
        }
        let held: usize = self
            .holds
            .values()
            .filter(|(h, _)| h.owner == *owner && h.is_live(now))
            .map(|(h, _)| h.seats.len())
            .sum();
        let booked: usize = self
            .bookings
            .values()
            .filter(|(b, slot)| slot.is_some() && b.owner == *owner && b.status_at(now).holds_seats())
            .map(|(b, _)| b.seats.len())
            .sum();
        held + booked + more > max as usize
    }

    /// Adds `holds` and `tickets` (either may be negative) to what `owner` has stored.
    fn count_owner(&mut self, owner: &OwnerId, holds: i32, tickets: i32) {
        let c = self.owners.entry(owner.clone()).or_default();
        c.holds = c.holds.saturating_add_signed(holds);
        c.tickets = c.tickets.saturating_add_signed(tickets);
        if c.holds == 0 && c.tickets == 0 {
            self.owners.remove(owner);
        }
    }

    /// Frees the seats a booking still occupies, once.
    fn free_booking_seats(&mut self, id: BookingId) {
        if let Some((b, slot)) = self.bookings.get_mut(&id)
            && let Some(slot) = slot.take()
        {
            self.seats.free(slot, &b.seats);
            let (owner, n) = (b.owner.clone(), b.seats.len() as i32);
            self.count_owner(&owner, 0, -n);
        }
    }

    pub(crate) fn place_hold(&mut self, id: HoldId, req: PlaceHold) -> StoreResult<Hold> {
        self.check_open()?;
        self.check_seats(&req.seats)?;
        let now = req.now;
        let unavailable: Vec<SeatIdx> =
            req.seats.iter().copied().filter(|s| self.seats.unavailable(*s, now)).collect();
        if !unavailable.is_empty() {
            return Err(StoreError::SeatUnavailable { seats: unavailable });
        }
        let changed = req.witness.changed(|s| self.seats.unavailable(s, now));
        if !changed.is_empty() {
            return Err(StoreError::SeatsChanged { seats: changed });
        }
        if self.owner_at_limit(&req.owner, now, req.holds_per_owner_max) {
            return Err(StoreError::LimitExceeded {
                limit: "holds_per_owner",
                max: u64::from(req.holds_per_owner_max),
            });
        }
        if let Some(max) = req.tickets_per_owner_max
            && self.tickets_past_cap(&req.owner, now, req.seats.len() + req.places_wanted(), max)
        {
            return Err(StoreError::LimitExceeded { limit: "tickets_per_owner", max: u64::from(max) });
        }
        let mut req = req;
        let picked = self.pick_places(&req, now)?;
        req.take_places(&picked);
        let slot = match self.seats.occupy(&req.seats, Lease::hold(id, req.expires_at)) {
            Ok(slot) => slot,
            Err(e) => {
                self.seats.places.undo(&picked);
                return Err(e);
            }
        };
        // One allocation shared by the hold and its event.
        let seats: Arc<[SeatIdx]> = req.seats.into();
        let fence = self.append(
            now,
            EventKind::HoldPlaced {
                hold: id,
                owner: req.owner.clone(),
                seats: Arc::clone(&seats),
                expires_at: req.expires_at,
            },
        );
        self.next_expiry = self.next_expiry.min(req.expires_at);
        self.count_owner(&req.owner, 1, seats.len() as i32);
        let hold = Hold {
            id,
            show: self.show.id,
            owner: req.owner,
            seats,
            placed_at: now,
            expires_at: req.expires_at,
            max_expires_at: req.max_expires_at,
            fence,
            quote: req.quote,
        };
        self.holds.insert(id, (hold.clone(), slot));
        Ok(hold)
    }

    /// Picks the places `req` asks for, free at `now` and apart from its seats: all of them, or
    /// none (and `PlacesUnavailable`).
    fn pick_places(&mut self, req: &PlaceHold, now: Timestamp) -> StoreResult<Vec<SeatIdx>> {
        let mut picked = Vec::with_capacity(req.places_wanted());
        for pick in &req.places {
            let (seats, holds, bookings) = (&mut self.seats, &self.holds, &self.bookings);
            let pending = &self.pending;
            // Places of leases that ended by themselves, not swept yet: found by their lease,
            // not by reading the zone.
            let lapsed = || {
                let held = holds.values().filter(|(h, _)| !h.is_live(now)).flat_map(|(h, _)| h.seats.iter());
                let unpaid = pending
                    .iter()
                    .filter_map(|id| bookings.get(id))
                    .filter(|(b, _)| b.payment_deadline <= now)
                    .flat_map(|(b, _)| b.seats.iter());
                held.chain(unpaid).copied().filter(|s| pick.contains(*s)).collect()
            };
            if !seats.pick(pick, now, &req.seats, lapsed, &mut picked) {
                seats.places.undo(&picked);
                return Err(StoreError::PlacesUnavailable { zone: pick.zone, wanted: pick.quantity });
            }
        }
        Ok(picked)
    }

    /// Finds a hold that `actor` may act on and that is live at `now`, with the right fence.
    fn live_hold(&self, id: HoldId, actor: &Actor, now: Timestamp, fence: Option<u64>) -> StoreResult<&Hold> {
        let (hold, _) = self.holds.get(&id).ok_or_else(|| not_found("hold", id))?;
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
        let Some(wanted) = hold.extended_until(req.now, req.extend_by_ms)? else {
            return Ok(hold.clone());
        };
        let id = hold.id;
        let fence = self.append(req.now, EventKind::HoldExtended { hold: id, expires_at: wanted });
        let (hold, slot) = self.holds.get_mut(&id).ok_or_else(|| not_found("hold", id))?;
        self.seats.relabel(*slot, Lease::hold(id, wanted));
        hold.expires_at = wanted;
        hold.fence = fence;
        Ok(hold.clone())
    }

    /// Removes a hold; its seats stay with its slot, which the caller frees or hands on.
    fn remove_hold(&mut self, id: HoldId) -> Option<(Hold, Slot)> {
        let (hold, slot) = self.holds.remove(&id)?;
        self.count_owner(&hold.owner, -1, -(hold.seats.len() as i32));
        Some((hold, slot))
    }

    /// Removes a hold and frees its seats.
    fn drop_hold(&mut self, id: HoldId) -> Option<Hold> {
        let (hold, slot) = self.remove_hold(id)?;
        self.seats.free(slot, &hold.seats);
        Some(hold)
    }

    pub(crate) fn release_hold(&mut self, req: ReleaseHold) -> StoreResult<Hold> {
        let id = self.live_hold(req.hold, &req.actor, req.now, req.expected_fence)?.id;
        let hold = self.drop_hold(id).ok_or_else(|| not_found("hold", id))?;
        self.append(req.now, EventKind::HoldReleased { hold: id, seats: hold.seats.clone() });
        Ok(hold)
    }

    pub(crate) fn hold(&self, id: HoldId) -> Option<&Hold> {
        self.holds.get(&id).map(|(h, _)| h)
    }

    pub(crate) fn create_booking(&mut self, id: BookingId, req: CreateBooking) -> StoreResult<Booking> {
        if let Some(existing) = self.replay_create(&req)? {
            return Ok(existing);
        }
        let hold = self.live_hold(req.hold, &req.actor, req.now, req.expected_fence)?;
        let promo = self.show.pricing.promo_cap(&hold.quote).map(|(code, max)| (code.to_string(), max));
        if let Some((code, max)) = &promo
            && self.promo_uses.get(code).copied().unwrap_or(0) >= *max
        {
            return Err(StoreError::PromoExhausted { code: code.clone() });
        }
        let deadline = hold.payment_deadline(req.now, req.payment_window_ms);
        let (hold, slot) = self.remove_hold(req.hold).ok_or_else(|| not_found("hold", req.hold))?;
        self.seats.relabel(slot, Lease::booking(id, deadline));
        if let Some((code, _)) = promo {
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
                total: hold.quote.total(),
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
        self.count_owner(&booking.owner, 0, booking.seats.len() as i32);
        self.record_key(
            req.idempotency_key,
            &booking.owner,
            Idempotent::Create { hold: hold.id, booking: id },
        );
        self.bookings.insert(id, (booking.clone(), Some(slot)));
        Ok(booking)
    }

    /// The first answer to a create retried with the same key, or a conflict. The key's owner is
    /// the hold's, or, once the hold is booked, the owner who used the key with it.
    fn replay_create(&self, req: &CreateBooking) -> StoreResult<Option<Booking>> {
        let Some(used) = self.idempotency.get(req.idempotency_key.as_str()) else { return Ok(None) };
        let made_from_hold =
            |what: &Idempotent| matches!(what, Idempotent::Create { hold, .. } if *hold == req.hold);
        let owner = match self.hold(req.hold) {
            Some(h) => &h.owner,
            None => match used.iter().find(|(_, what)| made_from_hold(what)) {
                Some((owner, _)) => owner,
                None => return Ok(None),
            },
        };
        if !req.actor.may_act_for(owner) {
            return Err(StoreError::NotOwner { what: req.hold.to_string() });
        }
        match used.iter().find(|(o, _)| o == owner) {
            None => Ok(None),
            Some((_, Idempotent::Create { hold, booking })) if *hold == req.hold => {
                Ok(Some(self.booking(*booking).ok_or_else(|| not_found("booking", booking))?.clone()))
            }
            Some(_) => Err(StoreError::IdempotencyConflict),
        }
    }

    /// What `owner` first used `key` for on this show.
    fn used_key(&self, key: &str, owner: &OwnerId) -> Option<Idempotent> {
        self.idempotency.get(key)?.iter().find(|(o, _)| o == owner).map(|(_, what)| *what)
    }

    fn record_key(&mut self, key: String, owner: &OwnerId, what: Idempotent) {
        self.idempotency.entry(key.into_boxed_str()).or_default().push((owner.clone(), what));
    }

    fn owned_booking(&self, id: BookingId, actor: &Actor) -> StoreResult<&Booking> {
        let b = self.booking(id).ok_or_else(|| not_found("booking", id))?;
        if actor.may_act_for(&b.owner) { Ok(b) } else { Err(StoreError::NotOwner { what: id.to_string() }) }
    }

    pub(crate) fn confirm_booking(&mut self, req: ConfirmBooking) -> StoreResult<Booking> {
        let b = self.owned_booking(req.booking, &req.actor)?;
        match self.used_key(&req.idempotency_key, &b.owner) {
            Some(Idempotent::Confirm { booking }) if booking == req.booking => return Ok(b.clone()),
            Some(_) => return Err(StoreError::IdempotencyConflict),
            None => {}
        }
        match b.status_at(req.now) {
            BookingStatus::Expired if b.status == BookingStatus::Pending => {
                return Err(StoreError::HoldExpired { what: req.booking.to_string() });
            }
            status => status.apply(BookingAction::Confirm)?,
        };
        let (id, total, seats, owner) = (b.id, b.quote.total(), b.seats.clone(), b.owner.clone());
        self.append(
            req.now,
            EventKind::BookingConfirmed { booking: id, seats, payment_ref: req.payment_ref.clone(), total },
        );
        self.pending.remove(&id);
        self.record_key(req.idempotency_key, &owner, Idempotent::Confirm { booking: id });
        let (b, slot) = self.bookings.get_mut(&id).ok_or_else(|| not_found("booking", id))?;
        if let Some(slot) = slot {
            self.seats.relabel(*slot, Lease::booking(id, Timestamp::MAX));
        }
        b.status = BookingStatus::Confirmed;
        b.payment_ref = Some(req.payment_ref);
        b.updated_at = req.now;
        Ok(b.clone())
    }

    pub(crate) fn end_booking(&mut self, req: EndBooking) -> StoreResult<Booking> {
        let b = self.owned_booking(req.booking, &req.actor)?;
        let from = b.status_at(req.now);
        let next = from.apply(req.action)?;
        let (id, seats, total) = (b.id, b.seats.clone(), b.quote.total());
        self.free_booking_seats(id);
        let kind = match next {
            BookingStatus::Refunded => EventKind::BookingRefunded { booking: id, seats, total },
            _ => EventKind::BookingCancelled { booking: id, seats, from },
        };
        self.append(req.now, kind);
        self.pending.remove(&id);
        let (b, _) = self.bookings.get_mut(&id).ok_or_else(|| not_found("booking", id))?;
        b.status = next;
        b.updated_at = req.now;
        Ok(b.clone())
    }

    pub(crate) fn check_in(&mut self, id: BookingId, seat: SeatIdx, now: Timestamp) -> StoreResult<Booking> {
        let b = self.booking(id).ok_or_else(|| not_found("booking", id))?;
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
        let (b, _) = self.bookings.get_mut(&id).ok_or_else(|| not_found("booking", id))?;
        b.status = next;
        b.checked_in.push(seat);
        b.updated_at = now;
        Ok(b.clone())
    }

    pub(crate) fn booking(&self, id: BookingId) -> Option<&Booking> {
        self.bookings.get(&id).map(|(b, _)| b)
    }

    /// Expires up to `limit` holds and `limit` pending bookings; returns the hold ids removed
    /// (so the store can drop them from its index) and the number of bookings expired.
    pub(crate) fn sweep(&mut self, now: Timestamp, limit: u32) -> (Vec<HoldId>, u32) {
        if now < self.next_expiry {
            return (Vec::new(), 0);
        }
        let mut expired: Vec<HoldId> =
            self.holds.values().filter(|(h, _)| !h.is_live(now)).map(|(h, _)| h.id).collect();
        expired.sort_unstable();
        expired.truncate(limit as usize);
        for id in &expired {
            if let Some(hold) = self.drop_hold(*id) {
                self.append(now, EventKind::HoldExpired { hold: *id, seats: hold.seats });
            }
        }
        let mut overdue: Vec<BookingId> = self
            .pending
            .iter()
            .filter(|id| self.booking(**id).is_some_and(|b| b.payment_deadline <= now))
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
        let Some((b, _)) = self.bookings.get_mut(&id) else { return };
        b.status = BookingStatus::Expired;
        b.updated_at = now;
        let seats = b.seats.clone();
        self.pending.remove(&id);
        self.free_booking_seats(id);
        self.append(now, EventKind::BookingExpired { booking: id, seats });
    }

    fn compute_next_expiry(&self) -> Timestamp {
        let holds = self.holds.values().map(|(h, _)| h.expires_at);
        let pending = self.pending.iter().filter_map(|id| self.booking(*id)).map(|b| b.payment_deadline);
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
            if let Some(hold) = self.drop_hold(id) {
                self.append(now, EventKind::HoldReleased { hold: id, seats: hold.seats });
                out.holds.push(id);
            }
        }
        let mut bookings: Vec<BookingId> = self.bookings.keys().copied().collect();
        bookings.sort_unstable();
        for id in bookings {
            let status = self.booking(id).map(|b| (b.status, b.status_at(now)));
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
        (0..self.seats.len()).map(|i| self.seats.occupant(i)).collect()
    }

    /// The seq of the last event appended (0 before the first).
    pub(crate) fn head(&self) -> u64 {
        self.next_seq - 1
    }

    pub(crate) fn events_since(&self, after: u64, limit: usize) -> StoreResult<Vec<Event>> {
        let first = self.next_seq - self.events.len() as u64;
        if after.saturating_add(1) < first {
            return Err(StoreError::InvalidRequest {
                field: "after".into(),
                reason: format!("events before seq {first} are no longer retained"),
            });
        }
        let skip = usize::try_from(after.saturating_add(1) - first).unwrap_or(usize::MAX);
        let show = self.show.id;
        let from = skip.min(self.events.len());
        Ok(self
            .events
            .range(from..)
            .zip(first + from as u64..)
            .take(limit)
            .map(|((at, kind), seq)| Event { show, seq, at: *at, kind: kind.clone() })
            .collect())
    }

    /// Bytes of the seat states (for memory accounting).
    pub(crate) fn seat_bytes(&self) -> usize {
        self.seats.bytes()
    }
}

fn not_found(entity: &'static str, id: impl std::fmt::Display) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}
