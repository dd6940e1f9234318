//! The durable half of a hybrid store: what a hold store kept elsewhere (booking-redis) asks of
//! PostgreSQL. `functions/09_ledger.sql` has the functions; see its header for the model.
//!
//! The hold store owns holds and numbers each change of a show's holds with a *tick*. This side
//! hands out blocks of ticks, appends the hold store's queued events to the one per-show log,
//! turns a hold the hold store has locked into a pending booking under the seat-claim guarantee,
//! and seeds a hold store that has lost a show's state.

use crate::catalogue::{already_cancelled, cancellation};
use crate::ids::show_id_of;
use crate::rows::{self, BOOKING_COLUMNS, BookingRow};
use crate::transition::edges;
use crate::{PgStore, decode, encode, to_i64};
use booking_core::{
    Actor, Booking, BookingAction, BookingId, BookingStore, ConfirmBooking, EventKind, Hold, HoldId, OwnerId,
    Quote, SeatIdx, ShowCancellation, ShowId, StoreError, StoreResult, Timestamp,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::future::Future;

/// An event of a show's holds, numbered by its tick, on its way into the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerEvent {
    /// The tick of the change; the log takes each tick once, in order.
    pub tick: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
}

/// What a hold store must know of a show to serve its holds, as of one seeding.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LedgerSeed {
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// Seats of the layout.
    pub seat_count: u32,
    /// Seats never for sale.
    pub blocked: Vec<u32>,
    /// When the show ends (state may be dropped some time after).
    pub ends_at: Timestamp,
    /// This seeding's number: holds of an earlier one are gone.
    pub epoch: u64,
    /// First tick of the block handed out with the seed.
    pub tick_from: u64,
    /// End (exclusive) of that block.
    pub tick_to: u64,
    /// Seats of live bookings: `(seat, booking, until)`, `until == i64::MAX` once sold.
    pub claims: Vec<(u32, u64, i64)>,
    /// The owner of each booking of `claims`: `(booking, owner)`.
    #[serde(default)]
    pub owners: Vec<(u64, String)>,
}

/// A hold that the hold store has checked and locked, to become a pending booking.
#[derive(Debug, Clone)]
pub struct LedgerBooking<'a> {
    /// The show.
    pub show: ShowId,
    /// The hold consumed.
    pub hold: HoldId,
    /// Its owner (the booking's).
    pub owner: &'a OwnerId,
    /// Its seats.
    pub seats: &'a [SeatIdx],
    /// Its quote.
    pub quote: &'a Quote,
    /// Its expiry.
    pub hold_expires_at: Timestamp,
    /// The latest expiry it could reach.
    pub max_expires_at: Timestamp,
    /// The engine's now.
    pub now: Timestamp,
    /// Idempotency key of the create.
    pub idempotency_key: &'a str,
    /// Payment window.
    pub payment_window_ms: i64,
    /// Promo code and its redemption limit.
    pub promo: Option<(&'a str, u32)>,
    /// The seeding the hold belongs to.
    pub epoch: u64,
    /// Queued events of the show's holds, appended first.
    pub events: &'a [LedgerEvent],
}

impl PgStore {
    /// This database's name on a hold store: random, made by the migration, never changing, so
    /// that databases sharing one Redis never share keys.
    pub async fn ledger_instance(&self) -> StoreResult<String> {
        let (name,): (String,) = self
            .retry(|| sqlx::query_as("SELECT name FROM bc_ledger_instance").fetch_one(&self.pool))
            .await?;
        Ok(name)
    }

    /// Reserves `block` ticks of `show`: the range `[from, to)`.
    pub async fn ledger_ticks(&self, show: ShowId, block: u64) -> StoreResult<(u64, u64)> {
        let (show, block) = (to_i64(show.0, "show")?, to_i64(block, "block")?);
        let (from, to): (i64, i64) = self
            .retry(|| {
                sqlx::query_as("SELECT o_from, o_to FROM bc_ledger_ticks($1, $2)")
                    .bind(show)
                    .bind(block)
                    .fetch_one(&self.pool)
            })
            .await?;
        Ok((from as u64, to as u64))
    }

    /// Appends queued hold events of `show` to its log (those already there are skipped); returns
    /// the highest tick now in the log.
    pub async fn ledger_flush(&self, show: ShowId, events: &[LedgerEvent]) -> StoreResult<u64> {
        let (id, events) = (to_i64(show.0, "show")?, encode(&events, "events")?);
        let (flushed,): (i64,) = self
            .retry(|| {
                sqlx::query_as("SELECT bc_ledger_flush($1, $2)").bind(id).bind(&events).fetch_one(&self.pool)
            })
            .await?;
        Ok(flushed as u64)
    }

    /// Seeds a hold store with `show`: locks the show, ends in the log the holds the hold store
    /// lost, starts a new epoch with a block of `block` ticks, and runs `apply` with the seed
    /// while the lock is held, so that no booking of the show changes until the hold store has
    /// it. The seeding counts only if `apply` answers true (false: another process seeded the
    /// hold store first); returns that answer.
    pub async fn ledger_seed<F, Fut>(
        &self,
        show: ShowId,
        block: u64,
        now: Timestamp,
        apply: F,
    ) -> StoreResult<bool>
    where
        F: FnOnce(LedgerSeed) -> Fut,
        Fut: Future<Output = StoreResult<bool>>,
    {
        let (id, block) = (to_i64(show.0, "show")?, to_i64(block, "block")?);
        let mut tx = self.pool.begin().await.map_err(crate::errors::store_error)?;
        let (seed,): (Value,) = sqlx::query_as("SELECT bc_ledger_seed($1, $2, $3)")
            .bind(id)
            .bind(block)
            .bind(now.millis())
            .fetch_one(&mut *tx)
            .await
            .map_err(crate::errors::store_error)?;
        if !apply(decode(seed, "seed")?).await? {
            tx.rollback().await.map_err(crate::errors::store_error)?;
            return Ok(false);
        }
        tx.commit().await.map_err(crate::errors::store_error)?;
        Ok(true)
    }

    /// Turns a locked hold into a pending booking; idempotent by key, like
    /// [`booking_core::BookingStore::create_booking`]. Its payment deadline is
    /// [`Hold::deadline_of`] the hold. It always waits for the WAL flush, whatever
    /// [`crate::PgStoreOptions::async_hold_commits`] says: once it is acknowledged the hold store
    /// hands the hold's seats to the booking and drops the hold events it appended to the log, so
    /// a commit that a crash of the server forgot would leave seats taken by a booking nobody
    /// has and a log that no longer replays. Calls that arrive together share one call and one commit
    /// (see [`crate::PgStoreOptions::batch_lanes`]).
    pub async fn ledger_book(&self, req: LedgerBooking<'_>) -> StoreResult<Booking> {
        let show = to_i64(req.show.0, "show")?;
        let deadline =
            Hold::deadline_of(req.hold_expires_at, req.max_expires_at, req.now, req.payment_window_ms)
                .millis();
        let hold = to_i64(req.hold.0, "hold")?;
        let seats = crate::inventory::seat_ints(req.seats)?;
        let quote = serde_json::to_string(req.quote)
            .map_err(|e| StoreError::Backend { message: format!("encoding quote: {e}") })?;
        let events = encode(&req.events, "events")?;
        let (promo, promo_max) = match req.promo {
            Some((code, max)) => (Some(code), Some(i32::try_from(max).unwrap_or(i32::MAX))),
            None => (None, None),
        };
        if self.batches.lanes() > 0 {
            let item = crate::booking_batch::LedgerItem {
                show,
                hold,
                owner: req.owner.as_str().to_string(),
                seats,
                quote,
                deadline,
                now: req.now.millis(),
                key: req.idempotency_key.to_string(),
                promo: promo.map(str::to_string),
                promo_max,
                epoch: req.epoch as i64,
                events,
            };
            return self.ledger_batcher().call(show, item).await;
        }
        let sql = format!(
            "SELECT {BOOKING_COLUMNS} FROM bc_ledger_book($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        let row: BookingRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(show)
                    .bind(hold)
                    .bind(req.owner.as_str())
                    .bind(&seats)
                    .bind(&quote)
                    .bind(deadline)
                    .bind(req.now.millis())
                    .bind(req.idempotency_key)
                    .bind(promo)
                    .bind(promo_max)
                    .bind(req.epoch as i64)
                    .bind(&events)
                    // Never without the WAL flush: see below.
                    .bind(false)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::booking(row)
    }

    /// Confirms a booking of a hold store after appending `events`, the hold events its show
    /// had queued, so that they come first in the log; as
    /// [`booking_core::BookingStore::confirm_booking`] otherwise. Calls that arrive together
    /// share one call and one commit. A refusal appends nothing: the events stay queued.
    /// Answers with the booking the seeding of the hold store its show is at
    /// ([`LedgerSeed::epoch`]), read under the show's lock, when the call tells it (batched).
    pub async fn ledger_confirm(
        &self,
        req: ConfirmBooking,
        events: &[LedgerEvent],
    ) -> StoreResult<(Booking, Option<u64>)> {
        let show = show_id_of(req.booking.0);
        if self.batches.lanes() == 0 {
            if !events.is_empty() {
                self.ledger_flush(show, events).await?;
            }
            return Ok((self.confirm_booking(req).await?, None));
        }
        let item = crate::booking_batch::ConfirmItem {
            booking: to_i64(req.booking.0, "booking")?,
            actor: crate::inventory::actor_name(&req.actor).map(str::to_string),
            now: req.now.millis(),
            payment_ref: req.payment_ref,
            key: req.idempotency_key,
        };
        self.ledger_confirm_batcher().call(to_i64(show.0, "show")?, (item, encode(&events, "events")?)).await
    }

    /// The booking an earlier create with `key` made from `hold`, if there was one: what a retried
    /// create answers once the hold store has forgotten the hold. Keys are per owner, so the key
    /// is looked up with the hold it was recorded for; `NotOwner` when the actor may not see the
    /// booking.
    pub async fn ledger_created_with(
        &self,
        show: ShowId,
        key: &str,
        hold: HoldId,
        actor: &Actor,
    ) -> StoreResult<Option<Booking>> {
        let (id, made_from) = (to_i64(show.0, "show")?, to_i64(hold.0, "hold")?);
        let found: Option<(i64,)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT booking_id FROM bc_idempotency \
                     WHERE show_id = $1 AND key = $2 AND hold_id = $3 AND kind = 'create'",
                )
                .bind(id)
                .bind(key)
                .bind(made_from)
                .fetch_optional(&self.pool)
            })
            .await?;
        let Some((booking,)) = found else { return Ok(None) };
        let booking = booking_core::BookingStore::booking(self, BookingId(booking as u64)).await?;
        if !actor.may_act_for(&booking.owner) {
            return Err(StoreError::NotOwner { what: hold.to_string() });
        }
        Ok(Some(booking))
    }

    /// The booking made from `hold`, if any: how a hold store settles a hold it had locked for a
    /// booking when it cannot tell whether the booking was written.
    pub async fn ledger_booking_of(&self, show: ShowId, hold: HoldId) -> StoreResult<Option<Booking>> {
        let (show, hold) = (to_i64(show.0, "show")?, to_i64(hold.0, "hold")?);
        let sql = format!("SELECT {BOOKING_COLUMNS} FROM bc_bookings WHERE show_id = $1 AND hold_id = $2");
        let row: Option<BookingRow> =
            self.retry(|| sqlx::query_as(&sql).bind(show).bind(hold).fetch_optional(&self.pool)).await?;
        row.map(rows::booking).transpose()
    }

    /// Cancels a show whose holds the hold store has released already (their events in `events`),
    /// as [`booking_core::CatalogueStore::cancel_show`] does.
    pub async fn ledger_cancel_show(
        &self,
        show: ShowId,
        now: Timestamp,
        events: &[LedgerEvent],
    ) -> StoreResult<ShowCancellation> {
        let (id, events) = (to_i64(show.0, "show")?, encode(&events, "events")?);
        let cancel = edges(BookingAction::Cancel);
        let (out,): (Value,) = self
            .retry(|| {
                sqlx::query_as("SELECT bc_ledger_cancel_show($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(now.millis())
                    .bind(&events)
                    .bind(&cancel.from)
                    .bind(&cancel.to)
                    .fetch_one(&self.pool)
            })
            .await
            .map_err(already_cancelled(show))?;
        self.shows.forget(show);
        Ok(cancellation(&out))
    }
}
