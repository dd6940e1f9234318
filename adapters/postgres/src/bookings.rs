//! Bookings and the event log on PostgreSQL.

use crate::booking_batch::{ConfirmItem, CreateItem};
use crate::ids::{show_id_of, show_of};
use crate::inventory::{actor_name, fence};
use crate::rows::{self, BOOKING_COLUMNS, BookingRow};
use crate::transition::edges;
use crate::{PgStore, to_i64};
use async_trait::async_trait;
use booking_core::{
    Booking, BookingAction, BookingId, BookingStore, CatalogueStore, ConfirmBooking, CreateBooking,
    EVENTS_PAGE_MAX, EndBooking, Event, EventLog, HoldId, InventoryStore, OwnerId, SeatIdx, ShowId,
    StoreError, StoreResult, Timestamp,
};

impl PgStore {
    /// The promo code of `hold`'s quote and its redemption limit. The hold is read only when its
    /// show (cached) caps a promo code at all: most shows do not, and their bookings cost no
    /// statement more. Nothing when the show or the hold is gone: the booking is refused then.
    async fn promo_limit(&self, hold: HoldId) -> StoreResult<Option<(String, u32)>> {
        let Ok(show) = self.show(show_id_of(hold.0)).await else { return Ok(None) };
        if !show.pricing.caps_promos() {
            return Ok(None);
        }
        let Ok(h) = self.hold(hold).await else { return Ok(None) };
        Ok(show.pricing.promo_cap(&h.quote).map(|(code, max)| (code.to_string(), max)))
    }
}

#[async_trait]
impl BookingStore for PgStore {
    async fn create_booking(&self, req: CreateBooking) -> StoreResult<Booking> {
        let (hold, expected) = (to_i64(req.hold.0, "hold")?, fence(req.expected_fence)?);
        let found = self.promo_limit(req.hold).await?;
        let (promo, promo_max) = match &found {
            Some((code, max)) => (Some(code.as_str()), Some(i32::try_from(*max).unwrap_or(i32::MAX))),
            None => (None, None),
        };
        if self.batches.lanes() > 0 {
            let item = CreateItem {
                hold,
                actor: actor_name(&req.actor).map(str::to_string),
                now: req.now.millis(),
                key: req.idempotency_key.clone(),
                window: req.payment_window_ms,
                fence: expected,
                promo: promo.map(str::to_string),
                promo_max,
            };
            return self.create_batcher().call(show_of(hold), item).await;
        }
        let sql =
            format!("SELECT {BOOKING_COLUMNS} FROM bc_create_booking($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        let row: BookingRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(hold)
                    .bind(actor_name(&req.actor))
                    .bind(req.now.millis())
                    .bind(&req.idempotency_key)
                    .bind(req.payment_window_ms)
                    .bind(expected)
                    .bind(promo)
                    .bind(promo_max)
                    .bind(self.async_holds)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::booking(row)
    }

    async fn confirm_booking(&self, req: ConfirmBooking) -> StoreResult<Booking> {
        let booking = to_i64(req.booking.0, "booking")?;
        if self.batches.lanes() > 0 {
            let item = ConfirmItem {
                booking,
                actor: actor_name(&req.actor).map(str::to_string),
                now: req.now.millis(),
                payment_ref: req.payment_ref.clone(),
                key: req.idempotency_key.clone(),
            };
            return self.confirm_batcher().call(show_of(booking), item).await;
        }
        let confirm = edges(BookingAction::Confirm);
        let sql = format!("SELECT {BOOKING_COLUMNS} FROM bc_confirm_booking($1, $2, $3, $4, $5, $6, $7)");
        let row: BookingRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(booking)
                    .bind(actor_name(&req.actor))
                    .bind(req.now.millis())
                    .bind(&req.payment_ref)
                    .bind(&req.idempotency_key)
                    .bind(&confirm.from)
                    .bind(&confirm.to)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::booking(row)
    }

    async fn end_booking(&self, req: EndBooking) -> StoreResult<Booking> {
        let booking = to_i64(req.booking.0, "booking")?;
        let end = match req.action {
            BookingAction::Cancel | BookingAction::Refund => edges(req.action),
            other => {
                return Err(StoreError::InvalidRequest {
                    field: "action".into(),
                    reason: format!("{} does not end a booking", other.as_str()),
                });
            }
        };
        let sql = format!("SELECT {BOOKING_COLUMNS} FROM bc_end_booking($1, $2, $3, $4, $5, $6)");
        let row: BookingRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(booking)
                    .bind(actor_name(&req.actor))
                    .bind(req.now.millis())
                    .bind(end.action)
                    .bind(&end.from)
                    .bind(&end.to)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::booking(row)
    }

    async fn check_in(&self, booking: BookingId, seat: SeatIdx, now: Timestamp) -> StoreResult<Booking> {
        let id = to_i64(booking.0, "booking")?;
        let seat = i32::try_from(seat.0).map_err(|_| StoreError::InvalidRequest {
            field: "seat".into(),
            reason: format!("seat index {} is not part of {booking}", seat.0),
        })?;
        let check_in = edges(BookingAction::CheckIn);
        let sql = format!("SELECT {BOOKING_COLUMNS} FROM bc_check_in($1, $2, $3, $4, $5)");
        let row: BookingRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(id)
                    .bind(seat)
                    .bind(now.millis())
                    .bind(&check_in.from)
                    .bind(&check_in.to)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::booking(row)
    }

    async fn booking(&self, id: BookingId) -> StoreResult<Booking> {
        let booking = to_i64(id.0, "booking")?;
        let sql =
            format!("SELECT {BOOKING_COLUMNS} FROM bc_bookings WHERE show_id = bc_show_of($1) AND id = $1");
        let row: Option<BookingRow> =
            self.retry(|| sqlx::query_as(&sql).bind(booking).fetch_optional(&self.pool)).await?;
        rows::booking(row.ok_or_else(|| StoreError::NotFound { entity: "booking", id: id.to_string() })?)
    }

    async fn bookings_of(&self, owner: &OwnerId, limit: usize) -> StoreResult<Vec<Booking>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Newest first, as the memory store lists them (ids grow within a show; created_at orders
        // across shows).
        let sql = format!(
            "SELECT {BOOKING_COLUMNS} FROM bc_bookings WHERE owner = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        let found: Vec<BookingRow> = self
            .retry(|| sqlx::query_as(&sql).bind(owner.as_str()).bind(limit).fetch_all(&self.pool))
            .await?;
        found.into_iter().map(rows::booking).collect()
    }
}

/// An event of `show` from its row in `bc_events`.
fn event_of(show: ShowId, seq: i64, at: i64, kind: &str) -> StoreResult<Event> {
    let kind = serde_json::from_str(kind)
        .map_err(|e| StoreError::Backend { message: format!("decoding event {seq}: {e}") })?;
    Ok(Event { show, seq: seq as u64, at: Timestamp(at), kind })
}

#[async_trait]
impl EventLog for PgStore {
    async fn events_since(&self, show: ShowId, after: u64, limit: usize) -> StoreResult<Vec<Event>> {
        let id = to_i64(show.0, "show")?;
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = limit.min(EVENTS_PAGE_MAX) as i64;
        let rows: Vec<(i64, i64, String)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT seq, at, kind::text FROM bc_events WHERE show_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                )
                .bind(id)
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
            })
            .await?;
        if rows.is_empty() {
            // An unknown show is an error, not an empty log.
            self.cached_show(show).await?;
        }
        rows.into_iter().map(|(seq, at, kind)| event_of(show, seq, at, &kind)).collect()
    }

    async fn head(&self, show: ShowId) -> StoreResult<u64> {
        let id = to_i64(show.0, "show")?;
        // The last event by the log's primary key (one index probe), or none: an empty log.
        let row: Option<(Option<i64>,)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT (SELECT max(seq) FROM bc_events WHERE show_id = $1) FROM bc_shows WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
            })
            .await?;
        match row {
            Some((seq,)) => Ok(seq.map_or(0, |s| u64::try_from(s).unwrap_or(0))),
            None => Err(StoreError::NotFound { entity: "show", id: show.to_string() }),
        }
    }

    async fn events_since_each(&self, from: &[(ShowId, u64)], limit: usize) -> StoreResult<Vec<Event>> {
        let mut shows = Vec::with_capacity(from.len());
        let mut afters = Vec::with_capacity(from.len());
        for &(show, after) in from {
            shows.push(to_i64(show.0, "show")?);
            afters.push(i64::try_from(after).unwrap_or(i64::MAX));
        }
        let limit = limit.min(EVENTS_PAGE_MAX) as i64;
        // One row per event, and one with no event for a show with none: whether it exists.
        let rows: Vec<(i64, bool, Option<i64>, Option<i64>, Option<String>)> = self
            .retry(|| {
                sqlx::query_as(
                    // Materialized, so that whether a show exists is asked once per show, not per event.
                    "WITH c AS MATERIALIZED (SELECT u.ord, u.show_id, u.after, \
                     EXISTS (SELECT 1 FROM bc_shows s WHERE s.id = u.show_id) AS known \
                     FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS u (show_id, after, ord)) \
                     SELECT c.ord, c.known, e.seq, e.at, e.kind::text FROM c \
                     LEFT JOIN LATERAL (SELECT seq, at, kind FROM bc_events WHERE show_id = c.show_id \
                     AND seq > c.after ORDER BY seq LIMIT $3) e ON true ORDER BY c.ord, e.seq",
                )
                .bind(&shows)
                .bind(&afters)
                .bind(limit)
                .fetch_all(&self.pool)
            })
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (ord, known, seq, at, kind) in rows {
            let show = usize::try_from(ord - 1).ok().and_then(|i| from.get(i)).map(|&(show, _)| show);
            let Some(show) = show else {
                return Err(StoreError::Backend { message: format!("events: no show at position {ord}") });
            };
            if !known {
                return Err(StoreError::NotFound { entity: "show", id: show.to_string() });
            }
            let (Some(seq), Some(at), Some(kind)) = (seq, at, kind) else { continue };
            out.push(event_of(show, seq, at, &kind)?);
        }
        Ok(out)
    }
}
