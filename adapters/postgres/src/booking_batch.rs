//! Batched creation and confirmation of bookings (see `batch`): a confirmation must wait for the
//! WAL flush, and a batch shares one flush among all its confirmations.

use crate::batch::{Batcher, by_show, in_callers_order};
use crate::errors::refusal;
use crate::ids::show_of;
use crate::transition::edges;
use crate::{PgStore, retry, rows};
use booking_core::{Booking, BookingAction, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool, Row};
use std::sync::OnceLock;

/// One booking to create from a hold.
#[derive(Debug)]
pub(crate) struct CreateItem {
    pub(crate) hold: i64,
    pub(crate) actor: Option<String>,
    pub(crate) now: i64,
    pub(crate) key: String,
    pub(crate) window: i64,
    pub(crate) fence: Option<i64>,
    pub(crate) promo: Option<String>,
    pub(crate) promo_max: Option<i32>,
}

/// One booking to confirm.
#[derive(Debug)]
pub(crate) struct ConfirmItem {
    pub(crate) booking: i64,
    pub(crate) actor: Option<String>,
    pub(crate) now: i64,
    pub(crate) payment_ref: String,
    pub(crate) key: String,
}

/// One locked hold of a hold store to book (see `PgStore::ledger_book`), owned for its batch.
#[derive(Debug)]
pub(crate) struct LedgerItem {
    pub(crate) show: i64,
    pub(crate) hold: i64,
    pub(crate) owner: String,
    pub(crate) seats: Vec<i32>,
    pub(crate) quote: String,
    /// The payment deadline, as core computed it from the hold.
    pub(crate) deadline: i64,
    pub(crate) now: i64,
    pub(crate) key: String,
    pub(crate) promo: Option<String>,
    pub(crate) promo_max: Option<i32>,
    pub(crate) epoch: i64,
    pub(crate) events: serde_json::Value,
}

/// Confirmations of a hold store's bookings, with the events to append first; each answered with
/// the show's seeding of the hold store.
pub(crate) type LedgerConfirmBatcher = Batcher<(ConfirmItem, serde_json::Value), (Booking, Option<u64>)>;

/// The batchers of booking creations and confirmations, started on first use.
#[derive(Debug)]
pub(crate) struct BookingBatches {
    create: OnceLock<Batcher<CreateItem, Booking>>,
    confirm: OnceLock<Batcher<ConfirmItem, Booking>>,
    ledger: OnceLock<Batcher<LedgerItem, Booking>>,
    ledger_confirm: OnceLock<LedgerConfirmBatcher>,
}

impl BookingBatches {
    pub(crate) fn new() -> Self {
        BookingBatches {
            create: OnceLock::new(),
            confirm: OnceLock::new(),
            ledger: OnceLock::new(),
            ledger_confirm: OnceLock::new(),
        }
    }
}

/// The columns of a batch function's answer: index, the booking row's columns, error, detail.
const ANSWER: &str = "o_index, (o_row).show_id, (o_row).id, (o_row).owner, (o_row).hold_id, (o_row).seats, \
     (o_row).quote::text, (o_row).status, (o_row).created_at, (o_row).payment_deadline, (o_row).payment_ref, \
     (o_row).updated_at, (o_row).checked_in, o_error, o_detail";

type AnswerRow = (
    i32,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<Vec<i32>>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<Vec<i32>>,
    Option<String>,
    Option<String>,
);

fn answer(r: AnswerRow) -> (i32, StoreResult<Booking>) {
    let result = match r {
        (
            _,
            Some(show),
            Some(id),
            Some(owner),
            Some(hold),
            Some(seats),
            Some(quote),
            Some(status),
            Some(created),
            Some(deadline),
            payment_ref,
            Some(updated),
            Some(checked),
            None,
            _,
        ) => rows::booking((
            show,
            id,
            owner,
            hold,
            seats,
            quote,
            status,
            created,
            deadline,
            payment_ref,
            updated,
            checked,
        )),
        (.., Some(code), detail) => Err(refusal(&code, detail.as_deref())),
        _ => Err(StoreError::Backend { message: "a booking came back incomplete".into() }),
    };
    (r.0, result)
}

async fn create_batch(
    pool: PgPool,
    async_commit: bool,
    items: Vec<CreateItem>,
) -> StoreResult<Vec<StoreResult<Booking>>> {
    let order = by_show(items.len(), |i| show_of(items[i].hold));
    let sorted: Vec<&CreateItem> = order.iter().map(|&i| &items[i]).collect();
    let holds: Vec<i64> = sorted.iter().map(|i| i.hold).collect();
    let actors: Vec<Option<&str>> = sorted.iter().map(|i| i.actor.as_deref()).collect();
    let nows: Vec<i64> = sorted.iter().map(|i| i.now).collect();
    let keys: Vec<&str> = sorted.iter().map(|i| i.key.as_str()).collect();
    let windows: Vec<i64> = sorted.iter().map(|i| i.window).collect();
    let fences: Vec<Option<i64>> = sorted.iter().map(|i| i.fence).collect();
    let promos: Vec<Option<&str>> = sorted.iter().map(|i| i.promo.as_deref()).collect();
    let promo_max: Vec<Option<i32>> = sorted.iter().map(|i| i.promo_max).collect();
    let sql = format!("SELECT {ANSWER} FROM bc_create_bookings($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    let found: Vec<AnswerRow> = retry(|| {
        sqlx::query_as(&sql)
            .bind(&holds)
            .bind(&actors)
            .bind(&nows)
            .bind(&keys)
            .bind(&windows)
            .bind(&fences)
            .bind(&promos)
            .bind(&promo_max)
            .bind(async_commit)
            .fetch_all(&pool)
    })
    .await?;
    Ok(in_callers_order(items.len(), &order, found.into_iter().map(answer).collect()))
}

/// Confirmations, each with the hold events to append before it (`None`: plain confirmations),
/// and with them, for a hold store's, the seeding of the hold store the show was at.
async fn confirm_batch(
    pool: PgPool,
    items: Vec<(ConfirmItem, Option<serde_json::Value>)>,
) -> StoreResult<Vec<StoreResult<(Booking, Option<u64>)>>> {
    let order = by_show(items.len(), |i| show_of(items[i].0.booking));
    let sorted: Vec<&ConfirmItem> = order.iter().map(|&i| &items[i].0).collect();
    let bookings: Vec<i64> = sorted.iter().map(|i| i.booking).collect();
    let actors: Vec<Option<&str>> = sorted.iter().map(|i| i.actor.as_deref()).collect();
    let nows: Vec<i64> = sorted.iter().map(|i| i.now).collect();
    let refs: Vec<&str> = sorted.iter().map(|i| i.payment_ref.as_str()).collect();
    let keys: Vec<&str> = sorted.iter().map(|i| i.key.as_str()).collect();
    let events: Option<Vec<&serde_json::Value>> = order.iter().map(|&i| items[i].1.as_ref()).collect();
    let sql = match events {
        Some(_) => {
            format!("SELECT {ANSWER}, o_epoch FROM bc_ledger_confirms($1, $2, $3, $4, $5, $6, $7, $8)")
        }
        None => format!("SELECT {ANSWER}, NULL::bigint FROM bc_confirm_bookings($1, $2, $3, $4, $5, $6, $7)"),
    };
    let confirm = edges(BookingAction::Confirm);
    let found: Vec<PgRow> = retry(|| {
        let query = sqlx::query(&sql).bind(&bookings).bind(&actors).bind(&nows).bind(&refs).bind(&keys);
        match &events {
            Some(events) => query.bind(events),
            None => query,
        }
        .bind(&confirm.from)
        .bind(&confirm.to)
        .fetch_all(&pool)
    })
    .await?;
    let answers = found
        .iter()
        .map(|row| {
            let booking = AnswerRow::from_row(row).map_err(crate::errors::store_error)?;
            let epoch: Option<i64> = row.try_get(15).map_err(crate::errors::store_error)?;
            let (index, answer) = answer(booking);
            Ok((index, answer.map(|b| (b, epoch.map(|e| e as u64)))))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(in_callers_order(items.len(), &order, answers))
}

async fn ledger_batch(
    pool: PgPool,
    async_commit: bool,
    items: Vec<LedgerItem>,
) -> StoreResult<Vec<StoreResult<Booking>>> {
    let order = by_show(items.len(), |i| items[i].show);
    let sorted: Vec<&LedgerItem> = order.iter().map(|&i| &items[i]).collect();
    let shows: Vec<i64> = sorted.iter().map(|i| i.show).collect();
    let holds: Vec<i64> = sorted.iter().map(|i| i.hold).collect();
    let owners: Vec<&str> = sorted.iter().map(|i| i.owner.as_str()).collect();
    let counts: Vec<i32> = sorted.iter().map(|i| i.seats.len() as i32).collect();
    let seats: Vec<i32> = sorted.iter().flat_map(|i| i.seats.iter().copied()).collect();
    let quotes: Vec<&str> = sorted.iter().map(|i| i.quote.as_str()).collect();
    let deadlines: Vec<i64> = sorted.iter().map(|i| i.deadline).collect();
    let nows: Vec<i64> = sorted.iter().map(|i| i.now).collect();
    let keys: Vec<&str> = sorted.iter().map(|i| i.key.as_str()).collect();
    let promos: Vec<Option<&str>> = sorted.iter().map(|i| i.promo.as_deref()).collect();
    let promo_max: Vec<Option<i32>> = sorted.iter().map(|i| i.promo_max).collect();
    let epochs: Vec<i64> = sorted.iter().map(|i| i.epoch).collect();
    let events: Vec<&serde_json::Value> = sorted.iter().map(|i| &i.events).collect();
    let sql = format!(
        "SELECT {ANSWER} FROM bc_ledger_books($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    let found: Vec<AnswerRow> = retry(|| {
        sqlx::query_as(&sql)
            .bind(&shows)
            .bind(&holds)
            .bind(&owners)
            .bind(&counts)
            .bind(&seats)
            .bind(&quotes)
            .bind(&deadlines)
            .bind(&nows)
            .bind(&keys)
            .bind(&promos)
            .bind(&promo_max)
            .bind(&epochs)
            .bind(&events)
            .bind(async_commit)
            .fetch_all(&pool)
    })
    .await?;
    Ok(in_callers_order(items.len(), &order, found.into_iter().map(answer).collect()))
}

impl PgStore {
    pub(crate) fn ledger_batcher(&self) -> &Batcher<LedgerItem, Booking> {
        self.booking_batches.ledger.get_or_init(|| {
            // Always durable: the hold store is told (its hold settled, its queued events
            // dropped) once this commit is acknowledged, so a commit a crash could forget would
            // leave the two stores and the log apart (see `ledger_book`).
            let pool = self.pool.clone();
            Batcher::start(self.batches.lanes(), self.batches.max(), move |items| {
                ledger_batch(pool.clone(), false, items)
            })
        })
    }

    pub(crate) fn create_batcher(&self) -> &Batcher<CreateItem, Booking> {
        self.booking_batches.create.get_or_init(|| {
            let (pool, async_commit) = (self.pool.clone(), self.async_holds);
            Batcher::start(self.batches.lanes(), self.batches.max(), move |items| {
                create_batch(pool.clone(), async_commit, items)
            })
        })
    }

    pub(crate) fn confirm_batcher(&self) -> &Batcher<ConfirmItem, Booking> {
        self.booking_batches.confirm.get_or_init(|| {
            let pool = self.pool.clone();
            Batcher::start(self.batches.lanes(), self.batches.max(), move |items: Vec<ConfirmItem>| {
                let items = items.into_iter().map(|i| (i, None)).collect();
                let batch = confirm_batch(pool.clone(), items);
                async move { Ok(batch.await?.into_iter().map(|a| a.map(|(b, _)| b)).collect()) }
            })
        })
    }

    pub(crate) fn ledger_confirm_batcher(&self) -> &LedgerConfirmBatcher {
        self.booking_batches.ledger_confirm.get_or_init(|| {
            let pool = self.pool.clone();
            Batcher::start(self.batches.lanes(), self.batches.max(), move |items: Vec<(ConfirmItem, _)>| {
                confirm_batch(pool.clone(), items.into_iter().map(|(i, e)| (i, Some(e))).collect())
            })
        })
    }
}
