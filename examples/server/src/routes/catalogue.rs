//! The catalogue: theatres (with city), screens with layouts (text or JSON), movies. Anyone may
//! read it; only admins write it.

use crate::app::AppState;
use crate::auth::Principal;
use crate::directory::{Movie, MovieFields};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::created;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use booking_core::{LayoutSpec, NewTheatre, Screen, ScreenId, SeatLayout, TheatreId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

/// Longest movie title, in bytes.
pub const TITLE_BYTES_MAX: usize = 200;
/// Longest synopsis, in bytes.
pub const SYNOPSIS_BYTES_MAX: usize = 2_000;
/// Longest age rating, in bytes.
pub const RATING_BYTES_MAX: usize = 16;
/// Longest running time, in minutes.
pub const RUNTIME_MINUTES_MAX: u32 = 1_440;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/theatres", get(theatres))
        .route("/theatres/{id}", get(theatre))
        .route("/theatres/{id}/screens", get(screens))
        .route("/screens/{id}", get(screen))
        .route("/movies", get(movies))
        .route("/movies/{id}", get(movie))
        .route("/admin/theatres", post(create_theatre))
        .route("/admin/theatres/{id}", axum::routing::put(update_theatre).delete(remove_theatre))
        .route("/admin/theatres/{id}/screens", post(add_screen))
        .route("/admin/screens/{id}", axum::routing::put(update_screen).delete(remove_screen))
        .route("/admin/layouts/preview", post(preview_layout))
        .route("/admin/movies", post(create_movie))
        .route("/admin/movies/{id}", axum::routing::put(update_movie).delete(delete_movie))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CityFilter {
    #[serde(default)]
    city: Option<String>,
}

/// The city a listing is filtered by, trimmed: none when the query names none, and a 400 naming
/// `city` when it names a blank one (which no theatre is in, so it is a mistake, not a filter).
pub(crate) fn city_filter(city: Option<&str>) -> ApiResult<Option<&str>> {
    match city.map(str::trim) {
        Some("") => Err(ApiError::bad_request("city", "must not be empty")),
        city => Ok(city),
    }
}

async fn theatres(
    State(state): State<Arc<AppState>>,
    ApiQuery(f): ApiQuery<CityFilter>,
) -> ApiResult<Response> {
    let city = city_filter(f.city.as_deref())?;
    let mut list = state.engine.theatres().await?;
    if let Some(city) = city {
        list.retain(|t| t.city.eq_ignore_ascii_case(city));
    }
    Ok(axum::Json(list).into_response())
}

async fn theatre(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let t = state.engine.store().theatre(TheatreId(id)).await.map_err(booking_core::BookingError::from)?;
    Ok(axum::Json(t).into_response())
}

/// A screen with its layout in both forms and its seats for drawing.
#[derive(Debug, Serialize)]
struct ScreenView {
    id: u64,
    theatre: u64,
    name: String,
    seats: usize,
    categories: Vec<String>,
    layout_text: Option<String>,
    layout: LayoutSpec,
}

impl From<&Screen> for ScreenView {
    fn from(s: &Screen) -> Self {
        ScreenView {
            id: s.id.0,
            theatre: s.theatre.0,
            name: s.name.clone(),
            seats: s.layout.seat_count(),
            categories: s.layout.categories().to_vec(),
            layout_text: s.layout.to_text(),
            layout: s.layout.to_spec(),
        }
    }
}

async fn screens(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let list = state.engine.screens(TheatreId(id)).await?;
    let views: Vec<ScreenView> = list.iter().map(ScreenView::from).collect();
    Ok(axum::Json(views).into_response())
}

async fn screen(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let s = state.engine.store().screen(ScreenId(id)).await.map_err(booking_core::BookingError::from)?;
    Ok(axum::Json(ScreenView::from(&s)).into_response())
}

async fn create_theatre(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(t): ApiJson<NewTheatre>,
) -> ApiResult<Response> {
    me.require_admin()?;
    Ok(created(state.engine.create_theatre(t).await?))
}

/// A layout in text or JSON form: exactly one of the two.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutInput {
    #[serde(default)]
    layout_text: Option<String>,
    #[serde(default)]
    layout: Option<serde_json::Value>,
}

impl LayoutInput {
    fn compile(self) -> ApiResult<SeatLayout> {
        match (self.layout_text, self.layout) {
            (Some(text), None) => {
                Ok(SeatLayout::parse_text(&text).map_err(booking_core::BookingError::from)?)
            }
            (None, Some(json)) => {
                Ok(SeatLayout::from_json(&json.to_string()).map_err(booking_core::BookingError::from)?)
            }
            _ => Err(ApiError::invalid("layout_text", "give exactly one of layout_text and layout")),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewScreenBody {
    name: String,
    #[serde(default)]
    layout_text: Option<String>,
    #[serde(default)]
    layout: Option<serde_json::Value>,
}

impl NewScreenBody {
    /// The name and the compiled layout.
    fn compile(self) -> ApiResult<(String, SeatLayout)> {
        let layout = LayoutInput { layout_text: self.layout_text, layout: self.layout }.compile()?;
        Ok((self.name, layout))
    }
}

async fn add_screen(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<NewScreenBody>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let (name, layout) = body.compile()?;
    let screen = state.engine.add_screen(TheatreId(id), &name, layout).await?;
    Ok(created(ScreenView::from(&screen)))
}

/// Renames a theatre, moves it to another city or time zone (its shows keep theirs).
async fn update_theatre(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(t): ApiJson<NewTheatre>,
) -> ApiResult<Response> {
    me.require_admin()?;
    Ok(axum::Json(state.engine.update_theatre(TheatreId(id), t).await?).into_response())
}

/// Removes a theatre that has no screen left.
async fn remove_theatre(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    me.require_admin()?;
    state.engine.remove_theatre(TheatreId(id)).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// Renames a screen and gives it a new layout: shows scheduled from now on take it, the shows
/// already scheduled keep theirs.
async fn update_screen(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<NewScreenBody>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let (name, layout) = body.compile()?;
    let screen = state.engine.update_screen(ScreenId(id), &name, layout).await?;
    Ok(axum::Json(ScreenView::from(&screen)).into_response())
}

/// Removes a screen no show was ever scheduled on.
async fn remove_screen(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    me.require_admin()?;
    state.engine.remove_screen(ScreenId(id)).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// Parses a layout without saving it: the seats to draw, or every issue with its line.
async fn preview_layout(me: Principal, ApiJson(body): ApiJson<LayoutInput>) -> ApiResult<Response> {
    me.require_admin()?;
    let layout = body.compile()?;
    let seats: Vec<_> = layout
        .seats()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let idx = booking_core::SeatIdx(u32::try_from(i).unwrap_or(u32::MAX));
            let category = layout.categories().get(usize::from(s.category)).cloned().unwrap_or_default();
            let row = layout.row_of(idx);
            let section = row.and_then(|r| layout.sections().get(r.section as usize)).cloned().unwrap_or_default();
            let pair: Vec<String> = layout
                .pair_partners(idx)
                .iter()
                .filter(|p| **p != idx)
                .filter_map(|p| layout.seat(*p))
                .map(|p| p.label.to_string())
                .collect();
            json!({ "label": &*s.label, "x": s.x, "y": s.y, "category": category, "flags": s.flags,
                    "row": row.map(|r| r.name.clone()).unwrap_or_default(), "section": section, "pair": pair })
        })
        .collect();
    Ok(axum::Json(json!({ "seats": seats, "categories": layout.categories(), "count": layout.seat_count() }))
        .into_response())
}

fn check_movie(m: &MovieFields) -> ApiResult<()> {
    let title = m.title.trim();
    if title.is_empty() || title.len() > TITLE_BYTES_MAX {
        return Err(ApiError::invalid("title", format!("must be 1 to {TITLE_BYTES_MAX} bytes")));
    }
    if m.runtime_minutes == 0 || m.runtime_minutes > RUNTIME_MINUTES_MAX {
        return Err(ApiError::invalid("runtime_minutes", format!("must be 1 to {RUNTIME_MINUTES_MAX}")));
    }
    if m.rating.len() > RATING_BYTES_MAX {
        return Err(ApiError::invalid("rating", format!("must be at most {RATING_BYTES_MAX} bytes")));
    }
    if m.synopsis.len() > SYNOPSIS_BYTES_MAX {
        return Err(ApiError::invalid("synopsis", format!("must be at most {SYNOPSIS_BYTES_MAX} bytes")));
    }
    // Line breaks belong in a synopsis; no other control character belongs anywhere (and NUL
    // would be refused by PostgreSQL as a server failure instead of the client's mistake).
    let stray = |text: &str, breaks: bool| {
        text.chars().any(|c| c.is_control() && !(breaks && matches!(c, '\n' | '\r' | '\t')))
    };
    for (field, text, breaks) in
        [("title", m.title.as_str(), false), ("rating", &m.rating, false), ("synopsis", &m.synopsis, true)]
    {
        if stray(text, breaks) {
            return Err(ApiError::invalid(field, "must not contain control characters"));
        }
    }
    Ok(())
}

async fn movies(State(state): State<Arc<AppState>>) -> ApiResult<axum::Json<Vec<Movie>>> {
    Ok(axum::Json(state.directory.movies().await?))
}

async fn movie(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<axum::Json<Movie>> {
    state.directory.movie(id).await?.map(axum::Json).ok_or_else(|| ApiError::not_found("movie", id))
}

async fn create_movie(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(m): ApiJson<MovieFields>,
) -> ApiResult<Response> {
    me.require_admin()?;
    check_movie(&m)?;
    Ok(created(state.directory.create_movie(m).await?))
}

async fn update_movie(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(m): ApiJson<MovieFields>,
) -> ApiResult<axum::Json<Movie>> {
    me.require_admin()?;
    check_movie(&m)?;
    state.directory.update_movie(id, m).await?.map(axum::Json).ok_or_else(|| ApiError::not_found("movie", id))
}

async fn delete_movie(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    me.require_admin()?;
    if state.directory.delete_movie(id).await? {
        Ok(axum::http::StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found("movie", id))
    }
}
