//! Shows: the public listing with filters, one show, its seat map and layout, best-available and
//! quotes; admins schedule (from a movie) and cancel.

use crate::app::AppState;
use crate::auth::Principal;
use crate::effects::{Changed, Effect};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::public_ids::IdKind;
use crate::routes::created;
use crate::views::{ListedShow, ShowLayout};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use booking_core::{
    BestRequest, PricingPolicy, PricingRules, ScheduleShow, ScreenId, SeatChoice, Show, ShowFilter, ShowId,
    Theatre, TheatreId, Timestamp,
};
use booking_front::{ErrorView, Instant, QuoteView, SeatMapView};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most shows one listing returns.
pub const SHOWS_PAGE_MAX: usize = 500;
/// Minutes between the end of a film and the next show on its screen, added to the runtime.
pub const TURNAROUND_MINUTES: i64 = 20;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default()
        .routes(routes!(list))
        .routes(routes!(one))
        .routes(routes!(seat_map))
        .routes(routes!(layout))
        .routes(routes!(best_available))
        .routes(routes!(quote))
        .routes(routes!(schedule))
        .routes(routes!(cancel))
}

/// Filters of the listing.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Shows in theatres of this city (ignoring ASCII case).
    #[serde(default)]
    city: Option<String>,
    /// Shows of this movie.
    #[serde(default)]
    movie: Option<u64>,
    /// Shows of this theatre.
    #[serde(default)]
    theatre: Option<u64>,
    /// A local date, `YYYY-MM-DD`, in each theatre's time zone.
    #[serde(default)]
    date: Option<String>,
    /// Shows that started already too.
    #[serde(default)]
    include_past: bool,
    /// Cancelled shows too.
    #[serde(default)]
    include_cancelled: bool,
}

fn day_bounds(date: &jiff::civil::Date, zone: &str) -> Option<(Timestamp, Timestamp)> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let start = date.to_zoned(tz.clone()).ok()?;
    let end = date.tomorrow().ok()?.to_zoned(tz).ok()?;
    Some((Timestamp(start.timestamp().as_millisecond()), Timestamp(end.timestamp().as_millisecond())))
}

/// The shows on sale (or as filtered), by start, at most 500.
#[utoipa::path(get, path = "/shows", tag = "shows", params(ListQuery), responses(
    (status = 200, description = "Shows", body = [ListedShow]),
))]
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
    let views: Vec<ListedShow> = shows
        .iter()
        .filter(|s| keep(s))
        .take(SHOWS_PAGE_MAX)
        .map(|s| {
            let screen = screens.get(&s.screen).map(String::as_str);
            ListedShow::new(s, theatres.get(&s.theatre), screen, movies.get(&s.id).copied())
        })
        .collect();
    Ok(axum::Json(views).into_response())
}

async fn listed(state: &AppState, show: &Show) -> ApiResult<ListedShow> {
    let theatre = state.engine.theatre(show.theatre).await.ok();
    let screen = state.engine.screen(show.screen).await.ok().map(|s| s.name);
    let movie = state.directory.show_movies().await?.into_iter().find(|(s, _)| *s == show.id).map(|(_, m)| m);
    Ok(ListedShow::new(show, theatre.as_ref(), screen.as_deref(), movie))
}

/// One show, as listings show it.
#[utoipa::path(get, path = "/shows/{id}", tag = "shows", params(("id" = u64, Path, description = "Show id")),
    responses(
    (status = 200, description = "The show", body = ListedShow),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn one(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let show = state.engine.show(ShowId(id)).await?;
    Ok(axum::Json(listed(&state, &show).await?).into_response())
}

/// The seat map now: every seat with its status and price, and the last event of the show's
/// log it reflects (a live stream resumes after it).
#[utoipa::path(get, path = "/shows/{id}/seats", tag = "shows", params(("id" = u64, Path, description = "Show id")),
    responses(
    (status = 200, description = "The seat map", body = SeatMapView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn seat_map(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let show = state.engine.show(ShowId(id)).await?;
    // The head first: events after it may already show in the map, and applying them again is
    // harmless, whereas a gap would not be.
    let seq = state.engine.log_head(show.id).await?;
    let states = state.engine.seat_states(&show).await?;
    let body = axum::body::Body::new(state.seat_maps.render(&show, seq, &states));
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The layout the show was scheduled with (its screen's layout may have changed since), in the
/// text form when it has one and in the JSON form: what an app's layout type parses to check a
/// selection offline against the seats this show sells.
#[utoipa::path(get, path = "/shows/{id}/layout", tag = "shows", params(("id" = u64, Path, description = "Show id")),
    responses(
    (status = 200, description = "The show's layout", body = ShowLayout),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn layout(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let show = state.engine.show(ShowId(id)).await?;
    Ok(axum::Json(ShowLayout::new(&show)).into_response())
}

/// What to find.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct BestQuery {
    /// How many seats, 1 to the most one hold takes.
    count: u32,
    /// Only seats of this price category.
    #[serde(default)]
    category: Option<String>,
    /// Only places of this general-admission zone.
    #[serde(default)]
    zone: Option<String>,
    /// Wheelchair and companion places too.
    #[serde(default)]
    accessible: bool,
}

/// Seats found.
#[derive(Debug, Serialize, ToSchema)]
struct BestSeats {
    /// Their labels, together where possible.
    seats: Vec<String>,
}

/// The best `count` free seats now (centre-weighted, together where possible).
#[utoipa::path(get, path = "/shows/{id}/best-available", tag = "shows",
    params(("id" = u64, Path, description = "Show id"), BestQuery), responses(
    (status = 200, description = "The seats", body = BestSeats),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 409, description = "SEAT_UNAVAILABLE: fewer free seats than asked (no seats in details)", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: count, category or zone refused", body = ErrorView),
))]
async fn best_available(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
    ApiQuery(q): ApiQuery<BestQuery>,
) -> ApiResult<Response> {
    let req = BestRequest { count: q.count, category: q.category, zone: q.zone, accessible: q.accessible };
    let seats = state.engine.best_available(ShowId(id), &req).await?;
    Ok(axum::Json(BestSeats { seats }).into_response())
}

/// Seats asked for: a label, or a label with a ticket type.
#[derive(Debug, Clone, Deserialize, ToSchema)]
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

/// Seats and general-admission places to price, with a promo code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBody {
    /// The seats, each by label or with a ticket type (`[]` for places only).
    pub seats: Vec<SeatInput>,
    /// Places of general-admission zones by quantity; their lines name the zone.
    #[serde(default)]
    pub places: Vec<booking_core::PlaceChoice>,
    /// A promo code.
    #[serde(default)]
    pub promo_code: Option<String>,
}

/// Prices seats and general-admission places now, line by line, without holding them.
#[utoipa::path(post, path = "/shows/{id}/quote", tag = "shows", request_body = QuoteBody,
    params(("id" = u64, Path, description = "Show id")), responses(
    (status = 200, description = "The quote", body = QuoteView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 409, description = "SALES_CLOSED", body = ErrorView),
    (status = 422, description = "INVALID_INPUT (an unknown seat or ticket type), PROMO_REJECTED, INVALID_PRICING or LIMIT_EXCEEDED", body = ErrorView),
))]
async fn quote(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<QuoteBody>,
) -> ApiResult<Response> {
    let seats = choices(body.seats);
    let quote = state.engine.quote(ShowId(id), &seats, &body.places, body.promo_code.as_deref()).await?;
    Ok(axum::Json(QuoteView::from(&quote)).into_response())
}

/// A show to schedule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ScheduleBody {
    /// The screen.
    screen: u64,
    /// The movie (its title and runtime make the show's).
    #[serde(default)]
    movie: Option<u64>,
    /// A title, for a show not from the catalogue.
    #[serde(default)]
    title: Option<String>,
    /// Start.
    starts_at: Instant,
    /// Default: the movie's runtime plus the turnaround.
    #[serde(default)]
    ends_at: Option<Instant>,
    /// Default: now.
    #[serde(default)]
    sales_open_at: Option<Instant>,
    /// Default: the start.
    #[serde(default)]
    sales_close_at: Option<Instant>,
    /// Whether the no-orphan selection rule applies (default: it does).
    #[serde(default)]
    no_orphan: Option<bool>,
    /// Most tickets one customer may have on the show, held, pending and paid together
    /// (default: the server's `--tickets-per-owner`, or no cap).
    #[serde(default)]
    #[schema(minimum = 1)]
    tickets_per_owner_max: Option<u32>,
    /// How long before the start unsold wheelchair places and companion seats go to general sale,
    /// in milliseconds (0 to 30 days; default 48 hours). Until then only customers who ask for an
    /// accessible place may hold them.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 2_592_000_000_i64)]
    accessible_release_before_ms: Option<i64>,
    /// A pricing policy (JSON form); the house tariff when absent.
    #[serde(default)]
    #[schema(value_type = Option<PricingRules>)]
    pricing: Option<serde_json::Value>,
}

fn ts(t: Instant) -> Timestamp {
    t.timestamp()
}

/// Schedules a show on a screen (admins), from a movie or with a title.
#[utoipa::path(post, path = "/admin/shows", tag = "shows", request_body = ScheduleBody,
    security(("bearer" = [])), responses(
    (status = 201, description = "The show", body = ListedShow),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND: no such screen", body = ErrorView),
    (status = 409, description = "SHOW_OVERLAP: another show on the screen then", body = ErrorView),
    (status = 422, description = "INVALID_INPUT or INVALID_PRICING", body = ErrorView),
))]
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
        tickets_per_owner_max: body.tickets_per_owner_max,
        pricing: Arc::new(pricing),
        accessible_release_before_ms: body.accessible_release_before_ms,
    };
    let show = state.engine.schedule_show(req).await?;
    if let Some(m) = &movie {
        state.directory.link_show(show.id, m.id).await?;
    }
    Ok(created(listed(&state, &show).await?))
}

/// What cancelling a show released.
#[derive(Debug, Serialize, ToSchema)]
struct ShowCancelled {
    /// The show.
    show: u64,
    /// Holds released.
    holds_released: Vec<u64>,
    /// Bookings cancelled (the paid ones refunded through the gateway).
    bookings_cancelled: Vec<u64>,
}

/// Cancels a show (admins): its holds are released, its bookings cancelled and the paid ones'
/// money given back; their owners are told.
#[utoipa::path(post, path = "/admin/shows/{id}/cancel", tag = "shows",
    params(("id" = u64, Path, description = "Show id")), security(("bearer" = [])), responses(
    (status = 200, description = "What was released", body = ShowCancelled),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: cancelled already", body = ErrorView),
))]
async fn cancel(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Changed<axum::Json<ShowCancelled>>> {
    me.require_admin()?;
    let done = state.engine.cancel_show_and_repay(&*state.payments, ShowId(id)).await?;
    let body = ShowCancelled {
        show: id,
        holds_released: done.holds.iter().map(|h| state.ids.hide(IdKind::Hold, h.0)).collect(),
        bookings_cancelled: done.bookings.iter().map(|b| state.ids.hide(IdKind::Booking, b.0)).collect(),
    };
    Ok(Changed(Effect::ShowCancelled(ShowId(id)), axum::Json(body)))
}
