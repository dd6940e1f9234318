//! Holds on Redis: each operation is one Lua script, atomic and all-or-nothing.

use crate::HybridStore;
use crate::keys::{hold_id, registry_key};
use crate::reply::{Reply, hold_number};
use crate::scripts::scripts;
use async_trait::async_trait;
use booking_core::{
    Actor, BookingId, BookingStore, ExtendHold, Hold, HoldId, InventoryStore, PlaceHold, ReleaseHold,
    SeatIdx, SeatOccupant, SeatWitness, ShowId, StoreError, StoreResult, SweepReport, Timestamp,
};

/// The owner an actor names, or `""` for staff (the scripts skip the ownership check).
pub(crate) fn actor_arg(actor: &Actor) -> &str {
    match actor {
        Actor::Owner(o) => o.as_str(),
        Actor::Staff => "",
    }
}

/// The expected fence as a script argument (`""` for none).
pub(crate) fn fence_arg(fence: Option<u64>) -> String {
    fence.map(|f| f.to_string()).unwrap_or_default()
}

impl HybridStore {
    /// The hold of an `ok` reply, or the refusal as an error.
    fn hold_of(&self, reply: Reply, id: HoldId) -> StoreResult<Hold> {
        let (show, _) = hold_number(id);
        if reply.is_ok() { reply.hold(show) } else { Err(reply.error()) }
    }

    /// Settles a hold that was locked for a booking too long ago: PostgreSQL says whether the
    /// booking was written; the seats go to it, or the hold goes back to being a hold.
    async fn settle_stale(&self, show: ShowId, number: u64) -> StoreResult<()> {
        let hold = hold_id(show, number);
        match self.pg.ledger_booking_of(show, hold).await? {
            Some(b) => {
                let (_, booking) = crate::keys::split_id(b.id.0);
                self.settle(show, number, booking, b.payment_deadline, 0).await?;
                self.after_booking_change(&b, None).await
            }
            None => self.unconsume(show, number).await,
        }
    }

    /// Settles seats still marked sold for a booking past its deadline (a payment whose answer
    /// was lost): PostgreSQL says whether it was confirmed; Redis follows. A booking PostgreSQL
    /// has not ended yet (its own sweep comes after Redis's) is left for the next sweep.
    async fn settle_mark(&self, show: ShowId, number: u64) -> StoreResult<()> {
        let b = BookingStore::booking(&self.pg, BookingId(hold_id(show, number).0)).await?;
        self.after_booking_change(&b, None).await
    }

    /// Gives a locked hold back (PostgreSQL refused its booking).
    pub(crate) async fn unconsume(&self, show: ShowId, number: u64) -> StoreResult<()> {
        let mut inv = self.call(&scripts().unconsume, show);
        inv.arg(number);
        self.invoke(&inv).await.map(drop)
    }

    /// Hands a locked hold's seats to its booking and drops the events PostgreSQL has.
    pub(crate) async fn settle(
        &self,
        show: ShowId,
        number: u64,
        booking: u64,
        deadline: Timestamp,
        flushed: u64,
    ) -> StoreResult<()> {
        let mut inv = self.call(&scripts().settle, show);
        inv.arg(number)
            .arg(booking)
            .arg(deadline.millis())
            .arg(flushed)
            .arg(self.options.booking_key_ttl_ms());
        self.invoke(&inv).await.map(drop)
    }

    async fn sweep_show(&self, show: ShowId, now: Timestamp, limit: u32) -> StoreResult<Option<u32>> {
        let mut inv = self.call(&scripts().sweep, show);
        inv.arg(now.millis()).arg(limit).arg(self.options.booking_lock_stale_ms);
        let reply = self.invoke(&inv).await?;
        match reply.code() {
            "ok" => {}
            "not_ready" => return Ok(None),
            _ => return Err(reply.error()),
        }
        let expired = reply.int(1)? as u32;
        let stale = usize::try_from(reply.int(2)?).unwrap_or(0);
        let number =
            |n: &String| n.parse().map_err(|_| StoreError::Backend { message: "redis: bad number".into() });
        for hold in reply.rest(3).iter().take(stale) {
            self.settle_stale(show, number(hold)?).await?;
        }
        for booking in reply.rest(3 + stale) {
            self.settle_mark(show, number(booking)?).await?;
        }
        self.flush_show(show).await?;
        Ok(Some(expired))
    }
}

#[async_trait]
impl InventoryStore for HybridStore {
    async fn place_hold(&self, req: PlaceHold) -> StoreResult<Hold> {
        let quote = serde_json::to_string(&*req.quote)
            .map_err(|e| StoreError::Backend { message: format!("encoding quote: {e}") })?;
        let mut inv = self.call(&scripts().place, req.show);
        inv.arg(req.now.millis()).arg(req.expires_at.millis()).arg(req.max_expires_at.millis());
        inv.arg(req.holds_per_owner_max).arg(req.owner.as_str()).arg(&quote).arg(self.options.outbox_max);
        match req.taken_band {
            Some((lo, hi)) => inv.arg(lo).arg(hi),
            None => inv.arg("").arg(""),
        };
        inv.arg(witness_arg(&req.witness));
        inv.arg(req.tickets_per_owner_max.map(|n| n.to_string()).unwrap_or_default());
        inv.arg(places_arg(&req.places));
        for seat in &req.seats {
            inv.arg(seat.0);
        }
        let mut reply = self.run(req.show, req.now, &inv).await?;
        if reply.code() == "backlog" {
            self.flush_show(req.show).await?;
            reply = self.run(req.show, req.now, &inv).await?;
            if reply.code() == "backlog" {
                let message = format!("events of {} are waiting for PostgreSQL; retry", req.show);
                return Err(StoreError::Unavailable { message });
            }
        }
        if !reply.is_ok() {
            return Err(reply.error());
        }
        let number = reply.int(1)? as u64;
        if reply.int(2)? as u64 >= self.options.outbox_flush_at {
            self.flush_in_background(req.show);
        }
        let id = hold_id(req.show, number);
        let picked = reply
            .rest(3)
            .iter()
            .map(|s| {
                s.parse()
                    .map(SeatIdx)
                    .map_err(|_| StoreError::Backend { message: format!("bad place {s:?}") })
            })
            .collect::<StoreResult<Vec<SeatIdx>>>()?;
        let mut req = req;
        req.take_places(&picked);
        Ok(req.into_hold(id, number))
    }

    async fn extend_hold(&self, req: ExtendHold) -> StoreResult<Hold> {
        let (show, number) = hold_number(req.hold);
        let mut inv = self.call(&scripts().extend, show);
        // The sum is core's (saturating); the script takes the rest of the rule from there.
        let until = req.now.plus_millis(req.extend_by_ms);
        inv.arg(number).arg(actor_arg(&req.actor)).arg(req.now.millis()).arg(until.millis());
        inv.arg(fence_arg(req.expected_fence)).arg(req.hold.0);
        let reply = self.run(show, req.now, &inv).await?;
        self.hold_of(reply, req.hold)
    }

    async fn release_hold(&self, req: ReleaseHold) -> StoreResult<Hold> {
        let (show, number) = hold_number(req.hold);
        let mut inv = self.call(&scripts().release, show);
        inv.arg(number).arg(actor_arg(&req.actor)).arg(req.now.millis()).arg(fence_arg(req.expected_fence));
        inv.arg(req.hold.0);
        let reply = self.run(show, req.now, &inv).await?;
        self.hold_of(reply, req.hold)
    }

    async fn hold(&self, id: HoldId) -> StoreResult<Hold> {
        let (show, number) = hold_number(id);
        let mut inv = self.call(&scripts().hold, show);
        inv.arg(number).arg(id.0);
        let reply = self.invoke(&inv).await?;
        if reply.code() == "not_ready" {
            return Err(StoreError::NotFound { entity: "hold", id: id.to_string() });
        }
        self.hold_of(reply, id)
    }

    async fn seat_occupancy(&self, show: ShowId) -> StoreResult<Vec<SeatOccupant>> {
        let seats = booking_core::CatalogueStore::show(&self.pg, show).await?.layout.seat_count();
        // Seeding needs a now; the show's own start is as good as any (only TTLs depend on it).
        let fields = self.state_fields(show, Timestamp(0)).await?;
        let mut out = vec![SeatOccupant::Free; seats];
        for pair in fields.chunks_exact(2) {
            let (Ok(seat), cell) = (pair[0].parse::<usize>(), pair[1].as_str()) else { continue };
            let Some(slot) = out.get_mut(seat) else { continue };
            *slot = occupant(show, cell).unwrap_or(SeatOccupant::Free);
        }
        Ok(out)
    }

    fn counts_taken_at_place(&self) -> bool {
        true
    }

    async fn seats_taken(&self, show: ShowId, now: Timestamp) -> StoreResult<u32> {
        let mut inv = self.call(&scripts().taken, show);
        inv.arg(now.millis());
        let reply = self.run(show, now, &inv).await?;
        if !reply.is_ok() {
            return Err(reply.error());
        }
        Ok(u32::try_from(reply.int(1)?.max(0)).unwrap_or(u32::MAX))
    }

    async fn sweep_expired(&self, now: Timestamp, limit: u32) -> StoreResult<SweepReport> {
        let registry = registry_key(&self.options.key_prefix);
        let shows: Vec<u64> = self
            .redis
            .query(&redis::cmd("SMEMBERS").arg(&registry).to_owned(), self.options.response_timeout)
            .await?;
        let mut holds_expired = 0;
        for show in shows {
            let left = limit.saturating_sub(holds_expired);
            if left == 0 {
                break;
            }
            match self.sweep_show(ShowId(show), now, left).await? {
                Some(n) => holds_expired += n,
                None => {
                    let cmd = redis::cmd("SREM").arg(&registry).arg(show).to_owned();
                    self.redis.query::<i64>(&cmd, self.options.response_timeout).await?;
                }
            }
        }
        let bookings = self.pg.sweep_expired(now, limit).await?;
        Ok(SweepReport { holds_expired: holds_expired + bookings.holds_expired, ..bookings })
    }
}

/// What a cell says about its seat.
fn occupant(show: ShowId, cell: &str) -> Option<SeatOccupant> {
    let (kind, rest) = cell.split_at_checked(1)?;
    let (number, until) = rest.split_once(':')?;
    let number: u64 = number.parse().ok()?;
    let until = || until.parse().ok().map(Timestamp);
    let booking = BookingId(hold_id(show, number).0);
    Some(match kind {
        "h" => SeatOccupant::Held { hold: hold_id(show, number), until: until()? },
        "c" => SeatOccupant::Held { hold: hold_id(show, number), until: Timestamp::MAX },
        "p" => SeatOccupant::Pending { booking, until: until()? },
        "s" => SeatOccupant::Sold { booking },
        _ => SeatOccupant::Free,
    })
}

/// The places to pick as `place.lua` takes them: `zone:first:capacity:quantity,...`, or `''`.
fn places_arg(places: &[booking_core::ZonePick]) -> String {
    let each: Vec<String> =
        places.iter().map(|p| format!("{}:{}:{}:{}", p.zone, p.first.0, p.capacity, p.quantity)).collect();
    each.join(",")
}

/// The no-orphan witness as `place.lua` takes it: `free,...;taken,...`, or `''` for none.
fn witness_arg(w: &SeatWitness) -> String {
    if w.is_empty() {
        return String::new();
    }
    let list = |seats: &[SeatIdx]| seats.iter().map(|s| s.0.to_string()).collect::<Vec<_>>().join(",");
    format!("{};{}", list(&w.free), list(&w.taken))
}
