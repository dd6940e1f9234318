//! Holds on PostgreSQL: each operation is one call of its function in `functions/05_holds.sql`
//! (batched: `functions/08_batches.sql`).

use crate::batch::{Batcher, by_show, in_callers_order};
use crate::errors::refusal;
use crate::ids::show_of;
use crate::rows::{self, HOLD_COLUMNS, HoldRow};
use crate::{PgStore, retry, to_i64};
use async_trait::async_trait;
use booking_core::{
    Actor, BookingId, ExtendHold, Hold, HoldId, InventoryStore, PlaceHold, ReleaseHold, SeatIdx,
    SeatOccupant, ShowId, StoreError, StoreResult, SweepReport, Timestamp,
};
use sqlx::PgPool;
use std::sync::OnceLock;

/// The owner an actor names, or `None` for staff (the functions skip the ownership check).
pub(crate) fn actor_name(actor: &Actor) -> Option<&str> {
    match actor {
        Actor::Owner(o) => Some(o.as_str()),
        Actor::Staff => None,
    }
}

/// Seat indices as PostgreSQL integers.
/// Places to pick, four integers a zone (its id, first place, capacity, quantity), as
/// `bc_place_hold` takes them.
fn place_ints(places: &[booking_core::ZonePick]) -> StoreResult<Vec<i32>> {
    let int = |n: u32| {
        i32::try_from(n).map_err(|_| StoreError::InvalidRequest {
            field: "places".into(),
            reason: format!("{n} is out of range"),
        })
    };
    let mut out = Vec::with_capacity(places.len() * 4);
    for p in places {
        out.extend([int(p.zone)?, int(p.first.0)?, int(p.capacity)?, int(p.quantity)?]);
    }
    Ok(out)
}

pub(crate) fn seat_ints(seats: &[booking_core::SeatIdx]) -> StoreResult<Vec<i32>> {
    seats
        .iter()
        .map(|s| {
            i32::try_from(s.0).map_err(|_| StoreError::InvalidRequest {
                field: "seats".into(),
                reason: format!("seat index {} is outside the layout", s.0),
            })
        })
        .collect()
}

pub(crate) fn fence(f: Option<u64>) -> StoreResult<Option<i64>> {
    f.map(|f| to_i64(f, "expected_fence")).transpose()
}

/// One hold to place, as the batch function takes it.
#[derive(Debug)]
pub(crate) struct PlaceItem {
    show: i64,
    owner: String,
    seats: Vec<i32>,
    now: i64,
    expires: i64,
    max_expires: i64,
    owner_max: i32,
    tickets_max: Option<i32>,
    quote: String,
    /// The no-orphan witness: seats seen free, seats seen taken.
    free: Vec<i32>,
    taken: Vec<i32>,
}

/// One hold to release.
#[derive(Debug)]
pub(crate) struct ReleaseItem {
    hold: i64,
    actor: Option<String>,
    now: i64,
    fence: Option<i64>,
}

/// The batchers of hold placements and releases, started on first use (they need the runtime).
#[derive(Debug)]
pub(crate) struct HoldBatches {
    lanes: usize,
    max: usize,
    place: OnceLock<Batcher<PlaceItem, (i64, i64)>>,
    release: OnceLock<Batcher<ReleaseItem, Hold>>,
}

impl HoldBatches {
    pub(crate) fn new(lanes: usize, max: usize) -> Self {
        HoldBatches { lanes, max, place: OnceLock::new(), release: OnceLock::new() }
    }

    /// Lanes per kind of request; 0 when batching is off.
    pub(crate) fn lanes(&self) -> usize {
        self.lanes
    }

    /// Most requests in a batch.
    pub(crate) fn max(&self) -> usize {
        self.max
    }
}

async fn place_batch(
    pool: PgPool,
    async_commit: bool,
    items: Vec<PlaceItem>,
) -> StoreResult<Vec<StoreResult<(i64, i64)>>> {
    let order = by_show(items.len(), |i| items[i].show);
    let sorted: Vec<&PlaceItem> = order.iter().map(|&i| &items[i]).collect();
    let shows: Vec<i64> = sorted.iter().map(|i| i.show).collect();
    let owners: Vec<&str> = sorted.iter().map(|i| i.owner.as_str()).collect();
    let counts: Vec<i32> = sorted.iter().map(|i| i.seats.len() as i32).collect();
    let seats: Vec<i32> = sorted.iter().flat_map(|i| i.seats.iter().copied()).collect();
    let nows: Vec<i64> = sorted.iter().map(|i| i.now).collect();
    let expires: Vec<i64> = sorted.iter().map(|i| i.expires).collect();
    let maxes: Vec<i64> = sorted.iter().map(|i| i.max_expires).collect();
    let owner_max: Vec<i32> = sorted.iter().map(|i| i.owner_max).collect();
    let tickets_max: Vec<Option<i32>> = sorted.iter().map(|i| i.tickets_max).collect();
    let quotes: Vec<&str> = sorted.iter().map(|i| i.quote.as_str()).collect();
    let free_counts: Vec<i32> = sorted.iter().map(|i| i.free.len() as i32).collect();
    let free: Vec<i32> = sorted.iter().flat_map(|i| i.free.iter().copied()).collect();
    let taken_counts: Vec<i32> = sorted.iter().map(|i| i.taken.len() as i32).collect();
    let taken: Vec<i32> = sorted.iter().flat_map(|i| i.taken.iter().copied()).collect();
    type Row = (i32, Option<i64>, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<Row> = retry(|| {
        sqlx::query_as(
            "SELECT * FROM bc_place_holds($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&shows)
        .bind(&owners)
        .bind(&counts)
        .bind(&seats)
        .bind(&nows)
        .bind(&expires)
        .bind(&maxes)
        .bind(&owner_max)
        .bind(&tickets_max)
        .bind(&quotes)
        .bind(&free_counts)
        .bind(&free)
        .bind(&taken_counts)
        .bind(&taken)
        .bind(async_commit)
        .fetch_all(&pool)
    })
    .await?;
    let rows = rows.into_iter().map(|(index, hold, fence, error, detail)| {
        let answer = match (hold, fence, error) {
            (Some(h), Some(f), None) => Ok((h, f)),
            (_, _, Some(code)) => Err(refusal(&code, detail.as_deref())),
            _ => Err(StoreError::Backend { message: "a placed hold came back without its id".into() }),
        };
        (index, answer)
    });
    Ok(in_callers_order(items.len(), &order, rows.collect()))
}

async fn release_batch(
    pool: PgPool,
    async_commit: bool,
    items: Vec<ReleaseItem>,
) -> StoreResult<Vec<StoreResult<Hold>>> {
    let order = by_show(items.len(), |i| show_of(items[i].hold));
    let sorted: Vec<&ReleaseItem> = order.iter().map(|&i| &items[i]).collect();
    let holds: Vec<i64> = sorted.iter().map(|i| i.hold).collect();
    let actors: Vec<Option<&str>> = sorted.iter().map(|i| i.actor.as_deref()).collect();
    let nows: Vec<i64> = sorted.iter().map(|i| i.now).collect();
    let fences: Vec<Option<i64>> = sorted.iter().map(|i| i.fence).collect();
    type Row = (
        i32,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<Vec<i32>>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = retry(|| {
        sqlx::query_as(
            "SELECT o_index, (o_row).show_id, (o_row).id, (o_row).owner, (o_row).seats, (o_row).placed_at, \
             (o_row).expires_at, (o_row).max_expires_at, (o_row).fence, (o_row).quote::text, o_error, o_detail \
             FROM bc_release_holds($1, $2, $3, $4, $5)",
        )
        .bind(&holds)
        .bind(&actors)
        .bind(&nows)
        .bind(&fences)
        .bind(async_commit)
        .fetch_all(&pool)
    })
    .await?;
    let rows = rows.into_iter().map(|r| {
        let answer = match r {
            (
                _,
                Some(show),
                Some(id),
                Some(owner),
                Some(seats),
                Some(placed),
                Some(exp),
                Some(max),
                Some(fence),
                Some(quote),
                None,
                _,
            ) => rows::hold((show, id, owner, seats, placed, exp, max, fence, quote)),
            (.., Some(code), detail) => Err(refusal(&code, detail.as_deref())),
            _ => Err(StoreError::Backend { message: "a released hold came back incomplete".into() }),
        };
        (r.0, answer)
    });
    Ok(in_callers_order(items.len(), &order, rows.collect()))
}

impl PgStore {
    fn place_batcher(&self) -> &Batcher<PlaceItem, (i64, i64)> {
        let b = &self.batches;
        b.place.get_or_init(|| {
            let (pool, async_commit) = (self.pool.clone(), self.async_holds);
            Batcher::start(b.lanes, b.max, move |items| place_batch(pool.clone(), async_commit, items))
        })
    }

    fn release_batcher(&self) -> &Batcher<ReleaseItem, Hold> {
        let b = &self.batches;
        b.release.get_or_init(|| {
            let (pool, async_commit) = (self.pool.clone(), self.async_holds);
            Batcher::start(b.lanes, b.max, move |items| release_batch(pool.clone(), async_commit, items))
        })
    }
}

#[async_trait]
impl InventoryStore for PgStore {
    async fn place_hold(&self, req: PlaceHold) -> StoreResult<Hold> {
        let seats = seat_ints(&req.seats)?;
        let quote = serde_json::to_string(&*req.quote)
            .map_err(|e| StoreError::Backend { message: format!("encoding quote: {e}") })?;
        let owner_max = i32::try_from(req.holds_per_owner_max).unwrap_or(i32::MAX);
        let tickets_max = req.tickets_per_owner_max.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        let (free, taken) = (seat_ints(&req.witness.free)?, seat_ints(&req.witness.taken)?);
        // Holds of places go one by one: the batch carries seats only.
        if self.batches.lanes > 0 && req.places.is_empty() {
            let item = PlaceItem {
                show: to_i64(req.show.0, "show")?,
                owner: req.owner.as_str().to_string(),
                seats,
                now: req.now.millis(),
                expires: req.expires_at.millis(),
                max_expires: req.max_expires_at.millis(),
                owner_max,
                tickets_max,
                quote,
                free,
                taken,
            };
            let (id, fence): (i64, i64) = self.place_batcher().call(req.show.0 as i64, item).await?;
            return Ok(req.into_hold(HoldId(id as u64), fence as u64));
        }
        let places = place_ints(&req.places)?;
        let (id, fence, picked): (i64, i64, Vec<i32>) = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT o_hold, o_fence, o_places FROM bc_place_hold($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13)",
                )
                .bind(req.show.0 as i64)
                .bind(req.owner.as_str())
                .bind(&seats)
                .bind(req.now.millis())
                .bind(req.expires_at.millis())
                .bind(req.max_expires_at.millis())
                .bind(owner_max)
                .bind(tickets_max)
                .bind(&quote)
                .bind(&free)
                .bind(&taken)
                .bind(self.async_holds)
                .bind(&places)
                .fetch_one(&self.pool)
            })
            .await?;
        let picked: Vec<SeatIdx> = picked.into_iter().map(|s| SeatIdx(s as u32)).collect();
        let mut req = req;
        req.take_places(&picked);
        Ok(req.into_hold(HoldId(id as u64), fence as u64))
    }

    async fn extend_hold(&self, req: ExtendHold) -> StoreResult<Hold> {
        let (hold, expected) = (to_i64(req.hold.0, "hold")?, fence(req.expected_fence)?);
        let sql = format!("SELECT {HOLD_COLUMNS} FROM bc_extend_hold($1, $2, $3, $4, $5, $6)");
        let row: HoldRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(hold)
                    .bind(actor_name(&req.actor))
                    .bind(req.now.millis())
                    .bind(req.extend_by_ms)
                    .bind(expected)
                    .bind(self.async_holds)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::hold(row)
    }

    async fn release_hold(&self, req: ReleaseHold) -> StoreResult<Hold> {
        let (hold, expected) = (to_i64(req.hold.0, "hold")?, fence(req.expected_fence)?);
        if self.batches.lanes > 0 {
            let item = ReleaseItem {
                hold,
                actor: actor_name(&req.actor).map(str::to_string),
                now: req.now.millis(),
                fence: expected,
            };
            return self.release_batcher().call(show_of(hold), item).await;
        }
        let sql = format!("SELECT {HOLD_COLUMNS} FROM bc_release_hold($1, $2, $3, $4, $5)");
        let row: HoldRow = self
            .retry(|| {
                sqlx::query_as(&sql)
                    .bind(hold)
                    .bind(actor_name(&req.actor))
                    .bind(req.now.millis())
                    .bind(expected)
                    .bind(self.async_holds)
                    .fetch_one(&self.pool)
            })
            .await?;
        rows::hold(row)
    }

    async fn hold(&self, id: HoldId) -> StoreResult<Hold> {
        let hold = to_i64(id.0, "hold")?;
        let sql = format!("SELECT {HOLD_COLUMNS} FROM bc_holds WHERE show_id = bc_show_of($1) AND id = $1");
        let row: Option<HoldRow> =
            self.retry(|| sqlx::query_as(&sql).bind(hold).fetch_optional(&self.pool)).await?;
        rows::hold(row.ok_or_else(|| StoreError::NotFound { entity: "hold", id: id.to_string() })?)
    }

    async fn seat_occupancy(&self, show: ShowId) -> StoreResult<Vec<SeatOccupant>> {
        let seats = self.cached_show(show).await?.layout.seat_count();
        let rows: Vec<(i32, Option<i64>, Option<i64>, i64)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT seat, hold_id, booking_id, until FROM bc_seat_claims WHERE show_id = $1",
                )
                .bind(show.0 as i64)
                .fetch_all(&self.pool)
            })
            .await?;
        let mut out = vec![SeatOccupant::Free; seats];
        for (seat, hold, booking, until) in rows {
            let occupant = match (hold, booking) {
                (Some(h), _) => SeatOccupant::Held { hold: HoldId(h as u64), until: Timestamp(until) },
                (None, Some(b)) if until == i64::MAX => SeatOccupant::Sold { booking: BookingId(b as u64) },
                (None, Some(b)) => {
                    SeatOccupant::Pending { booking: BookingId(b as u64), until: Timestamp(until) }
                }
                (None, None) => SeatOccupant::Free,
            };
            if let Some(slot) = usize::try_from(seat).ok().and_then(|s| out.get_mut(s)) {
                *slot = occupant;
            }
        }
        Ok(out)
    }

    async fn seats_taken(&self, show: ShowId, now: Timestamp) -> StoreResult<u32> {
        // The claims `seat_occupancy` reads as taken at `now`; a sale's claim lasts for ever.
        let (n,): (i64,) = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT count(*) FROM bc_seat_claims WHERE show_id = $1 AND bc_live(until, $2) \
                     AND (hold_id IS NOT NULL OR booking_id IS NOT NULL)",
                )
                .bind(show.0 as i64)
                .bind(now.0)
                .fetch_one(&self.pool)
            })
            .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn sweep_expired(&self, now: Timestamp, limit: u32) -> StoreResult<SweepReport> {
        let mut report = SweepReport::default();
        // Shows with something to tidy, each swept in its own short transaction (what
        // `bc_sweep_show` ends there, written out the same way).
        let shows: Vec<(i64,)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT show_id FROM (SELECT show_id FROM bc_holds WHERE NOT bc_live(expires_at, $1) \
                     UNION SELECT show_id FROM bc_bookings \
                     WHERE status = 'pending' AND NOT bc_live(payment_deadline, $1)) s ORDER BY show_id LIMIT $2",
                )
                .bind(now.millis())
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
            })
            .await?;
        for (show,) in shows {
            let left = limit.saturating_sub(report.holds_expired.max(report.bookings_expired));
            if left == 0 {
                break;
            }
            let (holds, bookings): (i32, i32) = self
                .retry(|| {
                    sqlx::query_as("SELECT o_holds, o_bookings FROM bc_sweep_show($1, $2, $3)")
                        .bind(show)
                        .bind(now.millis())
                        .bind(i32::try_from(left).unwrap_or(i32::MAX))
                        .fetch_one(&self.pool)
                })
                .await?;
            report.holds_expired += holds.max(0) as u32;
            report.bookings_expired += bookings.max(0) as u32;
        }
        Ok(report)
    }
}
