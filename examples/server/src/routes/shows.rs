//! Shows: the public listing with filters, one show, its seat map, best-available and quotes;
//! admins schedule (from a movie) and cancel.

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::created;
use crate::views::ShowView;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use booking_core::{
    BestRequest, PricingPolicy, ScheduleShow, ScreenId, SeatChoice, Show, ShowFilter, ShowId, Theatre,
    TheatreId, Timestamp,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// Most shows one listing returns.
pub const SHOWS_PAGE_MAX: usize = 500;
/// Minutes between the end of a film and the next show on its screen, added to the runtime.
pub const TURNAROUND_MINUTES: i64 = 20;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/shows", get(list))
        .route("/shows/{id}", get(one))
        .route("/shows/{id}/seats", get(seat_map))
        .route("/shows/{id}/best-available", get(best_available))
        .route("/shows/{id}/quote", post(quote))
        .route("/admin/shows", post(schedule))
        .route("/admin/shows/{id}/cancel", post(cancel))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    movie: Option<u64>,
    #[serde(default)]
    theatre: Option<u64>,
    /// A local date, `YYYY-MM-DD`, in each theatre's time zone.
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    include_past: bool,
    #[serde(default)]
    include_cancelled: bool,
}

fn day_bounds(date: &jiff::civil::Date, zone: &str) -> Option<(Timestamp, Timestamp)> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let start = date.to_zoned(tz.clone()).ok()?;
    let end = date.tomorrow().ok()?.to_zoned(tz).ok()?;
    Some((Timestamp(start.timestamp().as_millisecond()), Timestamp(end.timestamp().as_millisecond())))
}

async fn list(State(state): State<Arc<AppState>>, ApiQuery(q): ApiQuery<ListQuery>) -> ApiResult<Response> {
    let date = match &q.date {
        Some(d) => Some(
            d.parse::<jiff::civil::Date>()
                .map_err(|_| ApiError::bad_request("date", "must be YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let city = super::catalogue::city_filter(q.city.as_deref())?;
    let now = state.engine.now();
    let theatres: HashMap<TheatreId, Theatre> =
        state.engine.theatres().await?.into_iter().map(|t| (t.id, t)).collect();
    let movies: HashMap<ShowId, u64> = state.directory.show_movies().await?.into_iter().collect();
    let mut screens: HashMap<booking_core::ScreenId, String> = HashMap::new();
    for t in theatres.keys() {
        screens.extend(state.engine.screens(*t).await?.into_iter().map(|s| (s.id, s.name)));
    }
    let filter = ShowFilter {
        theatre: q.theatre.map(TheatreId),
        starts_from: (!q.include_past && date.is_none()).then_some(now),
        include_cancelled: q.include_cancelled,
        ..ShowFilter::default()
    };
    let shows = state.engine.shows(&filter).await?;
    let keep = |s: &Show| {
        let theatre = theatres.get(&s.theatre);
        city.is_none_or(|c| theatre.is_some_and(|t| t.city.eq_ignore_ascii_case(c)))
            && q.movie.is_none_or(|m| movies.get(&s.id) == Some(&m))
            && date.is_none_or(|d| {
                day_bounds(&d, &s.time_zone).is_some_and(|(from, to)| s.starts_at >= from && s.starts_at < to)
            })
    };
    let views: Vec<ShowView> = shows
        .iter()
        .filter(|s| keep(s))
        .take(SHOWS_PAGE_MAX)
        .map(|s| {
            let mut v = ShowView::new(s, theatres.get(&s.theatre), movies.get(&s.id).copied());
            v.screen_name = screens.get(&s.screen).cloned().unwrap_or_default();
            v
        })
        .collect();
    Ok(axum::Json(views).into_response())
}

async fn show_view(state: &AppState, show: &Show) -> ApiResult<ShowView> {
    let theatre = state.engine.store().theatre(show.theatre).await.ok();
    let movie = state.directory.show_movies().await?.into_iter().find(|(s, _)| *s == show.id).map(|(_, m)| m);
    let mut v = ShowView::new(show, theatre.as_ref(), movie);
    v.screen_name = state.engine.store().screen(show.screen).await.map(|s| s.name).unwrap_or_default();
    Ok(v)
}

async fn one(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let show = state.engine.show(ShowId(id)).await?;
    Ok(axum::Json(show_view(&state, &show).await?).into_response())
}

async fn seat_map(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let show = state.engine.show(ShowId(id)).await?;
    // The head first: events after it may already show in the map, and applying them again is
    // harmless, whereas a gap would not be.
    let seq = crate::routes::head_seq(&state, show.id).await?;
    let states = state.engine.seat_states(&show).await?;
    let body = axum::body::Body::new(state.seat_maps.render(&show, seq, &states));
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BestQuery {
    count: u32,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    zone: Option<String>,
    #[serde(default)]
    accessible: bool,
}

async fn best_available(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
    ApiQuery(q): ApiQuery<BestQuery>,
) -> ApiResult<Response> {
    let req = BestRequest { count: q.count, category: q.category, zone: q.zone, accessible: q.accessible };
    let seats = state.engine.best_available(ShowId(id), &req).await?;
    Ok(axum::Json(json!({ "seats": seats })).into_response())
}

/// Seats asked for: a label, or a label with a ticket type.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SeatInput {
    /// `"F7"`.
    Label(String),
    /// `{ "label": "F7", "ticket_type": "child" }`.
    Choice(SeatChoice),
}

/// Seat inputs as the engine takes them.
pub fn choices(seats: Vec<SeatInput>) -> Vec<SeatChoice> {
    seats
        .into_iter()
        .map(|s| match s {
            SeatInput::Label(label) => SeatChoice { label, ticket_type: None },
            SeatInput::Choice(c) => c,
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteBody {
    seats: Vec<SeatInput>,
    #[serde(default)]
    promo_code: Option<String>,
}

async fn quote(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<QuoteBody>,
) -> ApiResult<Response> {
    let seats = choices(body.seats);
    let quote = state.engine.quote(ShowId(id), &seats, body.promo_code.as_deref()).await?;
    Ok(axum::Json(quote).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleBody {
    screen: u64,
    /// The movie (its title and runtime make the show's).
    #[serde(default)]
    movie: Option<u64>,
    /// A title, for a show not from the catalogue.
    #[serde(default)]
    title: Option<String>,
    starts_at: jiff::Timestamp,
    /// Default: the movie's runtime plus the turnaround.
    #[serde(default)]
    ends_at: Option<jiff::Timestamp>,
    #[serde(default)]
    sales_open_at: Option<jiff::Timestamp>,
    #[serde(default)]
    sales_close_at: Option<jiff::Timestamp>,
    #[serde(default)]
    no_orphan: Option<bool>,
    /// A pricing policy (JSON form); the house tariff when absent.
    #[serde(default)]
    pricing: Option<serde_json::Value>,
}

fn ts(t: jiff::Timestamp) -> Timestamp {
    Timestamp(t.as_millisecond())
}

async fn schedule(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(body): ApiJson<ScheduleBody>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let movie = match body.movie {
        Some(id) => Some(
            state
                .directory
                .movie(id)
                .await?
                .ok_or_else(|| ApiError::invalid("movie", format!("no movie {id}")))?,
        ),
        None => None,
    };
    let title = match (&movie, body.title) {
        (_, Some(t)) => t,
        (Some(m), None) => m.title.clone(),
        (None, None) => return Err(ApiError::invalid("movie", "give a movie (or a title)")),
    };
    let starts_at = ts(body.starts_at);
    let ends_at = match (body.ends_at, &movie) {
        (Some(e), _) => ts(e),
        (None, Some(m)) => {
            starts_at.plus_millis((i64::from(m.runtime_minutes) + TURNAROUND_MINUTES) * 60_000)
        }
        (None, None) => return Err(ApiError::invalid("ends_at", "needed when the show has no movie")),
    };
    let pricing = match body.pricing {
        Some(p) => PricingPolicy::from_json(&p.to_string()).map_err(booking_core::BookingError::from)?,
        None => crate::demo::house_tariff(),
    };
    let req = ScheduleShow {
        screen: ScreenId(body.screen),
        title,
        starts_at,
        ends_at,
        sales_open_at: body.sales_open_at.map(ts),
        sales_close_at: body.sales_close_at.map(ts),
        no_orphan: body.no_orphan.unwrap_or(true),
        pricing: Arc::new(pricing),
    };
    let show = state.engine.schedule_show(req).await?;
    if let Some(m) = &movie {
        state.directory.link_show(show.id, m.id).await?;
    }
    Ok(created(show_view(&state, &show).await?))
}

async fn cancel(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let done = state.engine.cancel_show(ShowId(id)).await?;
    state.live.touch(ShowId(id));
    for booking in &done.bookings {
        if let Ok(b) = state.engine.store().booking(*booking).await {
            crate::routes::bookings::give_back(&state, &b).await;
        }
    }
    let holds: Vec<u64> = done.holds.iter().map(|h| h.0).collect();
    let bookings: Vec<u64> = done.bookings.iter().map(|b| b.0).collect();
    Ok(axum::Json(json!({ "show": id, "holds_released": holds, "bookings_cancelled": bookings }))
        .into_response())
}
