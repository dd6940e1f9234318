//! Theatres, screens and shows on PostgreSQL.

use crate::{PgStore, decode, encode, to_i64};
use async_trait::async_trait;
use booking_core::{
    CatalogueStore, NewScreen, NewShow, NewTheatre, Screen, ScreenId, SeatLayout, Show, ShowCancellation,
    ShowFilter, ShowId, ShowStatus, StoreError, StoreResult, Theatre, TheatreId, Timestamp,
};
use serde_json::Value;
use std::sync::Arc;

type ShowRow = (i64, String, Value);

impl PgStore {
    /// Reads and decodes one show.
    pub(crate) async fn load_show(&self, id: ShowId) -> StoreResult<Arc<Show>> {
        let row: Option<ShowRow> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT sh.id, st.status, sh.data FROM bc_shows sh \
                     JOIN bc_show_state st ON st.show_id = sh.id WHERE sh.id = $1",
                )
                .bind(id.0 as i64)
                .fetch_optional(&self.pool)
            })
            .await?;
        let row = row.ok_or_else(|| StoreError::NotFound { entity: "show", id: id.to_string() })?;
        show_from_row(row)
    }
}

/// A show's status as `bc_show_state` spells it.
pub(crate) fn show_status(status: &str) -> ShowStatus {
    if status == "cancelled" { ShowStatus::Cancelled } else { ShowStatus::Scheduled }
}

fn show_from_row((id, status, data): ShowRow) -> StoreResult<Arc<Show>> {
    let mut show: Show = decode(data, "show")?;
    show.id = ShowId(id as u64);
    show.status = show_status(&status);
    Ok(Arc::new(show))
}

fn theatre_from_row((id, name, city, time_zone): (i64, String, String, String)) -> Theatre {
    Theatre { id: TheatreId(id as u64), name, city, time_zone }
}

fn screen_from_row((id, theatre, name, layout): (i64, i64, String, Value)) -> StoreResult<Screen> {
    let layout: SeatLayout = decode(layout, "layout")?;
    Ok(Screen { id: ScreenId(id as u64), theatre: TheatreId(theatre as u64), name, layout: Arc::new(layout) })
}

#[async_trait]
impl CatalogueStore for PgStore {
    async fn create_theatre(&self, t: NewTheatre) -> StoreResult<Theatre> {
        let row = self
            .retry(|| {
                sqlx::query_as(
                    "INSERT INTO bc_theatres (name, city, time_zone) VALUES ($1, $2, $3) \
                     RETURNING id, name, city, time_zone",
                )
                .bind(&t.name)
                .bind(&t.city)
                .bind(&t.time_zone)
                .fetch_one(&self.pool)
            })
            .await?;
        Ok(theatre_from_row(row))
    }

    async fn theatre(&self, id: TheatreId) -> StoreResult<Theatre> {
        let row = self
            .retry(|| {
                sqlx::query_as("SELECT id, name, city, time_zone FROM bc_theatres WHERE id = $1")
                    .bind(id.0 as i64)
                    .fetch_optional(&self.pool)
            })
            .await?;
        row.map(theatre_from_row)
            .ok_or_else(|| StoreError::NotFound { entity: "theatre", id: id.to_string() })
    }

    async fn theatres(&self) -> StoreResult<Vec<Theatre>> {
        let rows = self
            .retry(|| {
                sqlx::query_as("SELECT id, name, city, time_zone FROM bc_theatres ORDER BY id")
                    .fetch_all(&self.pool)
            })
            .await?;
        Ok(rows.into_iter().map(theatre_from_row).collect())
    }

    async fn add_screen(&self, s: NewScreen) -> StoreResult<Screen> {
        let layout = encode(&*s.layout, "layout")?;
        // The theatre must exist: the foreign key says so, and a missing one is a not-found.
        let row: Option<(i64,)> = self
            .retry(|| {
                sqlx::query_as(
                    "INSERT INTO bc_screens (theatre_id, name, layout) \
                     SELECT id, $2, $3 FROM bc_theatres WHERE id = $1 RETURNING id",
                )
                .bind(s.theatre.0 as i64)
                .bind(&s.name)
                .bind(&layout)
                .fetch_optional(&self.pool)
            })
            .await?;
        let (id,) =
            row.ok_or_else(|| StoreError::NotFound { entity: "theatre", id: s.theatre.to_string() })?;
        Ok(Screen { id: ScreenId(id as u64), theatre: s.theatre, name: s.name, layout: s.layout })
    }

    async fn screen(&self, id: ScreenId) -> StoreResult<Screen> {
        let row = self
            .retry(|| {
                sqlx::query_as("SELECT id, theatre_id, name, layout FROM bc_screens WHERE id = $1")
                    .bind(id.0 as i64)
                    .fetch_optional(&self.pool)
            })
            .await?;
        row.map(screen_from_row)
            .unwrap_or_else(|| Err(StoreError::NotFound { entity: "screen", id: id.to_string() }))
    }

    async fn screens(&self, theatre: TheatreId) -> StoreResult<Vec<Screen>> {
        let rows: Vec<(i64, i64, String, Value)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT id, theatre_id, name, layout FROM bc_screens WHERE theatre_id = $1 ORDER BY id",
                )
                .bind(theatre.0 as i64)
                .fetch_all(&self.pool)
            })
            .await?;
        rows.into_iter().map(screen_from_row).collect()
    }

    async fn update_theatre(&self, id: TheatreId, t: NewTheatre) -> StoreResult<Theatre> {
        let row = self
            .retry(|| {
                sqlx::query_as(
                    "UPDATE bc_theatres SET name = $2, city = $3, time_zone = $4 WHERE id = $1 \
                     RETURNING id, name, city, time_zone",
                )
                .bind(id.0 as i64)
                .bind(&t.name)
                .bind(&t.city)
                .bind(&t.time_zone)
                .fetch_optional(&self.pool)
            })
            .await?;
        row.map(theatre_from_row)
            .ok_or_else(|| StoreError::NotFound { entity: "theatre", id: id.to_string() })
    }

    async fn remove_theatre(&self, id: TheatreId) -> StoreResult<()> {
        let sql = "DELETE FROM bc_theatres WHERE id = $1 \
                   AND NOT EXISTS (SELECT 1 FROM bc_screens WHERE theatre_id = $1) RETURNING id";
        let exists = "SELECT EXISTS (SELECT 1 FROM bc_theatres WHERE id = $1)";
        self.remove([sql, exists], "theatre", id.0, "it has screens; remove them first").await
    }

    async fn update_screen(
        &self,
        id: ScreenId,
        name: String,
        layout: Arc<SeatLayout>,
    ) -> StoreResult<Screen> {
        let json = encode(&*layout, "layout")?;
        let row: Option<(i64,)> = self
            .retry(|| {
                sqlx::query_as(
                    "UPDATE bc_screens SET name = $2, layout = $3 WHERE id = $1 RETURNING theatre_id",
                )
                .bind(id.0 as i64)
                .bind(&name)
                .bind(&json)
                .fetch_optional(&self.pool)
            })
            .await?;
        let (theatre,) = row.ok_or_else(|| StoreError::NotFound { entity: "screen", id: id.to_string() })?;
        Ok(Screen { id, theatre: TheatreId(theatre as u64), name, layout })
    }

    async fn remove_screen(&self, id: ScreenId) -> StoreResult<()> {
        let sql = "DELETE FROM bc_screens WHERE id = $1 \
                   AND NOT EXISTS (SELECT 1 FROM bc_shows WHERE screen_id = $1) RETURNING id";
        let reason = "shows were scheduled on it; it stays for their history";
        let exists = "SELECT EXISTS (SELECT 1 FROM bc_screens WHERE id = $1)";
        self.remove([sql, exists], "screen", id.0, reason).await
    }

    async fn schedule_show(&self, new: NewShow, now: Timestamp) -> StoreResult<Arc<Show>> {
        // The id is the database's; the JSON keeps a placeholder that reads overwrite.
        let mut show = new.into_show(ShowId(0));
        let data = encode(&show, "show")?;
        let seats = i32::try_from(show.layout.seat_count()).map_err(|_| StoreError::InvalidRequest {
            field: "layout".into(),
            reason: "too many seats".into(),
        })?;
        let blocked: Vec<i32> = show
            .layout
            .seats()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.flags.is_blocked())
            .map(|(i, _)| i as i32)
            .collect();
        let (id,): (i64,) = self
            .retry(|| {
                sqlx::query_as("SELECT bc_schedule_show($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(show.screen.0 as i64)
                    .bind(show.theatre.0 as i64)
                    .bind(show.starts_at.millis())
                    .bind(show.ends_at.millis())
                    .bind(seats)
                    .bind(&blocked)
                    .bind(&data)
                    .bind(now.millis())
                    .fetch_one(&self.pool)
            })
            .await?;
        show.id = ShowId(id as u64);
        let show = Arc::new(show);
        self.shows.put(show.clone());
        Ok(show)
    }

    async fn show(&self, id: ShowId) -> StoreResult<Arc<Show>> {
        self.cached_show(id).await
    }

    async fn shows(&self, filter: &ShowFilter) -> StoreResult<Vec<Arc<Show>>> {
        // Ids and statuses first; only shows missing from the cache are fetched and decoded
        // (decoding every layout of a week of shows, every time a list was asked for, cost more
        // than everything else the server did).
        let from = filter.starts_from.map_or(i64::MIN, Timestamp::millis);
        let before = filter.starts_before.map_or(i64::MAX, Timestamp::millis);
        let rows: Vec<(i64, String)> = self
            .retry(|| {
                sqlx::query_as(
                    "SELECT sh.id, st.status FROM bc_shows sh \
                     JOIN bc_show_state st ON st.show_id = sh.id \
                     WHERE sh.starts_at >= $1 AND sh.starts_at < $2 \
                       AND ($3::bigint IS NULL OR sh.theatre_id = $3) \
                       AND ($4::bigint IS NULL OR sh.screen_id = $4) \
                       AND ($5 OR st.status = 'scheduled') \
                     ORDER BY sh.starts_at, sh.id",
                )
                .bind(from)
                .bind(before)
                .bind(filter.theatre.map(|t| t.0 as i64))
                .bind(filter.screen.map(|s| s.0 as i64))
                .bind(filter.include_cancelled)
                .fetch_all(&self.pool)
            })
            .await?;
        let mut out: Vec<Option<Arc<Show>>> = Vec::with_capacity(rows.len());
        let mut missing = Vec::new();
        for (id, status) in &rows {
            let cached = self.shows.get_any_age(ShowId(*id as u64));
            match cached.map(|show| self.with_status(show, status)) {
                Some(show) => out.push(Some(show)),
                None => {
                    missing.push(*id);
                    out.push(None);
                }
            }
        }
        if !missing.is_empty() {
            let loaded: Vec<ShowRow> = self
                .retry(|| {
                    sqlx::query_as(
                        "SELECT sh.id, st.status, sh.data FROM bc_shows sh \
                         JOIN bc_show_state st ON st.show_id = sh.id WHERE sh.id = ANY($1)",
                    )
                    .bind(&missing)
                    .fetch_all(&self.pool)
                })
                .await?;
            let mut loaded: std::collections::HashMap<u64, Arc<Show>> = loaded
                .into_iter()
                .map(|row| show_from_row(row).map(|s| (s.id.0, s)))
                .collect::<StoreResult<_>>()?;
            for ((id, _), slot) in rows.iter().zip(out.iter_mut()).filter(|(_, s)| s.is_none()) {
                *slot = loaded.remove(&(*id as u64));
                if let Some(show) = slot {
                    self.shows.put(show.clone());
                }
            }
        }
        // A show deleted between the two reads is left out, as if listed a moment later.
        Ok(out.into_iter().flatten().collect())
    }

    async fn cancel_show(&self, id: ShowId, now: Timestamp) -> StoreResult<ShowCancellation> {
        let show = to_i64(id.0, "show")?;
        let cancel = crate::transition::edges(booking_core::BookingAction::Cancel);
        let (out,): (Value,) = self
            .retry(|| {
                sqlx::query_as("SELECT bc_cancel_show($1, $2, $3, $4)")
                    .bind(show)
                    .bind(now.millis())
                    .bind(&cancel.from)
                    .bind(&cancel.to)
                    .fetch_one(&self.pool)
            })
            .await
            .map_err(already_cancelled(id))?;
        self.shows.forget(id);
        Ok(cancellation(&out))
    }
}

/// The error of cancelling `show` twice, in words.
pub(crate) fn already_cancelled(show: ShowId) -> impl Fn(StoreError) -> StoreError {
    move |e| match e {
        StoreError::InvalidRequest { field, .. } if field == "show" => {
            StoreError::InvalidRequest { field, reason: format!("{show} is already cancelled") }
        }
        e => e,
    }
}

/// What `bc_cancel_show` answers: `{"holds": [...], "bookings": [...]}`.
pub(crate) fn cancellation(out: &Value) -> ShowCancellation {
    let ids = |k: &str| -> Vec<u64> {
        out.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default()
    };
    ShowCancellation {
        holds: ids("holds").into_iter().map(booking_core::HoldId).collect(),
        bookings: ids("bookings").into_iter().map(booking_core::BookingId).collect(),
    }
}

impl PgStore {
    /// Deletes row `id` with `delete` (a `DELETE ... RETURNING id` that leaves a row something
    /// refers to): `NotFound` when `exists` says there is none, `InvalidRequest` on `entity`
    /// with `reason` when something refers to it, also when a reference appears meanwhile (the
    /// foreign key then refuses the delete).
    async fn remove(
        &self,
        [delete, exists]: [&'static str; 2],
        entity: &'static str,
        id: u64,
        reason: &str,
    ) -> StoreResult<()> {
        let in_use = || StoreError::InvalidRequest { field: entity.into(), reason: reason.into() };
        let id = id as i64;
        match sqlx::query_as::<_, (i64,)>(delete).bind(id).fetch_optional(&self.pool).await {
            Ok(Some(_)) => Ok(()),
            Err(e) if e.as_database_error().and_then(|d| d.code()).as_deref() == Some("23503") => {
                Err(in_use())
            }
            Err(e) => Err(crate::errors::store_error(e)),
            Ok(None) => {
                let (found,): (bool,) =
                    self.retry(|| sqlx::query_as(exists).bind(id).fetch_one(&self.pool)).await?;
                Err(if found { in_use() } else { StoreError::NotFound { entity, id: id.to_string() } })
            }
        }
    }
}
