//! The catalogue: theatres (with city), screens with layouts (text or JSON), movies. Anyone may
//! read it; only admins write it.

use crate::app::AppState;
use crate::auth::Principal;
use crate::directory::{Movie, MovieFields};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::created;
use crate::views::ScreenDetail;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use booking_core::{LayoutSpec, NewTheatre, ScreenId, SeatIdx, SeatLayout, TheatreId};
use booking_front::{ErrorView, TheatreView};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest movie title, in bytes.
pub const TITLE_BYTES_MAX: usize = 200;
/// Longest synopsis, in bytes.
pub const SYNOPSIS_BYTES_MAX: usize = 2_000;
/// Longest age rating, in bytes.
pub const RATING_BYTES_MAX: usize = 16;
/// Longest running time, in minutes.
pub const RUNTIME_MINUTES_MAX: u32 = 1_440;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default()
        .routes(routes!(theatres))
        .routes(routes!(theatre))
        .routes(routes!(screens))
        .routes(routes!(screen))
        .routes(routes!(movies))
        .routes(routes!(movie))
        .routes(routes!(create_theatre))
        .routes(routes!(update_theatre, remove_theatre))
        .routes(routes!(add_screen))
        .routes(routes!(update_screen, remove_screen))
        .routes(routes!(preview_layout))
        .routes(routes!(create_movie))
        .routes(routes!(update_movie, delete_movie))
}

/// Theatres of one city.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CityFilter {
    /// A city, matched ignoring ASCII case.
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

/// Every theatre (of a city).
#[utoipa::path(get, path = "/theatres", tag = "catalogue", params(CityFilter), responses(
    (status = 200, description = "Theatres, by id", body = [TheatreView]),
))]
async fn theatres(
    State(state): State<Arc<AppState>>,
    ApiQuery(f): ApiQuery<CityFilter>,
) -> ApiResult<Response> {
    let city = city_filter(f.city.as_deref())?;
    let mut list = state.engine.theatres().await?;
    if let Some(city) = city {
        list.retain(|t| t.city.eq_ignore_ascii_case(city));
    }
    Ok(axum::Json(list.iter().map(TheatreView::from).collect::<Vec<_>>()).into_response())
}

/// One theatre.
#[utoipa::path(get, path = "/theatres/{id}", tag = "catalogue", params(("id" = u64, Path, description = "Theatre id")),
    responses(
    (status = 200, description = "The theatre", body = TheatreView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn theatre(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let t = state.engine.theatre(TheatreId(id)).await?;
    Ok(axum::Json(TheatreView::from(&t)).into_response())
}

/// The screens of a theatre.
#[utoipa::path(get, path = "/theatres/{id}/screens", tag = "catalogue",
    params(("id" = u64, Path, description = "Theatre id")), responses(
    (status = 200, description = "Its screens, by id", body = [ScreenDetail]),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn screens(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let list = state.engine.screens(TheatreId(id)).await?;
    let views: Vec<ScreenDetail> = list.iter().map(ScreenDetail::from).collect();
    Ok(axum::Json(views).into_response())
}

/// One screen, with its layout.
#[utoipa::path(get, path = "/screens/{id}", tag = "catalogue", params(("id" = u64, Path, description = "Screen id")),
    responses(
    (status = 200, description = "The screen", body = ScreenDetail),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn screen(State(state): State<Arc<AppState>>, ApiPath(id): ApiPath<u64>) -> ApiResult<Response> {
    let s = state.engine.screen(ScreenId(id)).await?;
    Ok(axum::Json(ScreenDetail::from(&s)).into_response())
}

/// Creates a theatre (admins).
#[utoipa::path(post, path = "/admin/theatres", tag = "catalogue", request_body = NewTheatre,
    security(("bearer" = [])), responses(
    (status = 201, description = "The theatre", body = TheatreView),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: name, city or time zone refused", body = ErrorView),
))]
async fn create_theatre(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(t): ApiJson<NewTheatre>,
) -> ApiResult<Response> {
    me.require_admin()?;
    Ok(created(TheatreView::from(&state.engine.create_theatre(t).await?)))
}

/// A layout in text or JSON form: exactly one of the two.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LayoutInput {
    /// The text form (see the layout syntax in the README).
    #[serde(default)]
    layout_text: Option<String>,
    /// The JSON form.
    #[serde(default)]
    #[schema(value_type = Option<LayoutSpec>)]
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

/// A screen's name and its layout in text or JSON form (exactly one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewScreenBody {
    /// Display name.
    name: String,
    /// The text form.
    #[serde(default)]
    layout_text: Option<String>,
    /// The JSON form.
    #[serde(default)]
    #[schema(value_type = Option<LayoutSpec>)]
    layout: Option<serde_json::Value>,
}

impl NewScreenBody {
    /// The name and the compiled layout.
    fn compile(self) -> ApiResult<(String, SeatLayout)> {
        let layout = LayoutInput { layout_text: self.layout_text, layout: self.layout }.compile()?;
        Ok((self.name, layout))
    }
}

/// Adds a screen to a theatre (admins).
#[utoipa::path(post, path = "/admin/theatres/{id}/screens", tag = "catalogue", request_body = NewScreenBody,
    params(("id" = u64, Path, description = "Theatre id")), security(("bearer" = [])), responses(
    (status = 201, description = "The screen", body = ScreenDetail),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND: no such theatre", body = ErrorView),
    (status = 422, description = "INVALID_LAYOUT (every issue with its line and column) or INVALID_INPUT", body = ErrorView),
))]
async fn add_screen(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<NewScreenBody>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let (name, layout) = body.compile()?;
    let screen = state.engine.add_screen(TheatreId(id), &name, layout).await?;
    Ok(created(ScreenDetail::from(&screen)))
}

/// Renames a theatre, moves it to another city or time zone (its shows keep theirs).
#[utoipa::path(put, path = "/admin/theatres/{id}", tag = "catalogue", request_body = NewTheatre,
    params(("id" = u64, Path, description = "Theatre id")), security(("bearer" = [])), responses(
    (status = 200, description = "The theatre", body = TheatreView),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: name, city or time zone refused", body = ErrorView),
))]
async fn update_theatre(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(t): ApiJson<NewTheatre>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let t = state.engine.update_theatre(TheatreId(id), t).await?;
    Ok(axum::Json(TheatreView::from(&t)).into_response())
}

/// Removes a theatre that has no screen left.
#[utoipa::path(delete, path = "/admin/theatres/{id}", tag = "catalogue",
    params(("id" = u64, Path, description = "Theatre id")), security(("bearer" = [])), responses(
    (status = 204, description = "Removed"),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: it still has screens", body = ErrorView),
))]
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
#[utoipa::path(put, path = "/admin/screens/{id}", tag = "catalogue", request_body = NewScreenBody,
    params(("id" = u64, Path, description = "Screen id")), security(("bearer" = [])), responses(
    (status = 200, description = "The screen", body = ScreenDetail),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_LAYOUT or INVALID_INPUT", body = ErrorView),
))]
async fn update_screen(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<NewScreenBody>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let (name, layout) = body.compile()?;
    let screen = state.engine.update_screen(ScreenId(id), &name, layout).await?;
    Ok(axum::Json(ScreenDetail::from(&screen)).into_response())
}

/// Removes a screen no show was ever scheduled on.
#[utoipa::path(delete, path = "/admin/screens/{id}", tag = "catalogue",
    params(("id" = u64, Path, description = "Screen id")), security(("bearer" = [])), responses(
    (status = 204, description = "Removed"),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: a show was scheduled on it", body = ErrorView),
))]
async fn remove_screen(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    me.require_admin()?;
    state.engine.remove_screen(ScreenId(id)).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// The flags of a seat of a preview.
#[derive(Debug, Serialize, ToSchema)]
struct PreviewFlags {
    /// A wheelchair place.
    wheelchair: bool,
    /// A companion seat.
    companion: bool,
    /// Not for sale.
    blocked: bool,
    /// A place of a general-admission zone.
    general_admission: bool,
}

/// A seat of a layout preview, for drawing.
#[derive(Debug, Serialize, ToSchema)]
struct PreviewSeat {
    /// Label.
    label: String,
    /// Column.
    x: i32,
    /// Row position.
    y: i32,
    /// Price category.
    category: String,
    /// Its flags.
    flags: PreviewFlags,
    /// Row name (empty for a general-admission place).
    row: String,
    /// Section name.
    section: String,
    /// The other seats of its loveseat pair (empty when none).
    pair: Vec<String>,
}

/// A layout parsed but not saved: its seats to draw.
#[derive(Debug, Serialize, ToSchema)]
struct LayoutPreview {
    /// Every seat, in layout order.
    seats: Vec<PreviewSeat>,
    /// Its price categories, in layout order.
    categories: Vec<String>,
    /// How many places it has.
    count: usize,
}

fn preview(layout: &SeatLayout) -> LayoutPreview {
    let seats = layout
        .seats()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let idx = SeatIdx(u32::try_from(i).unwrap_or(u32::MAX));
            let row = layout.row_of(idx);
            let pair = layout
                .pair_partners(idx)
                .iter()
                .filter(|p| **p != idx)
                .filter_map(|p| layout.seat(*p))
                .map(|p| p.label.to_string())
                .collect();
            PreviewSeat {
                label: s.label.to_string(),
                x: s.x,
                y: s.y,
                category: layout.categories().get(usize::from(s.category)).cloned().unwrap_or_default(),
                flags: PreviewFlags {
                    wheelchair: s.flags.is_wheelchair(),
                    companion: s.flags.is_companion(),
                    blocked: s.flags.is_blocked(),
                    general_admission: s.flags.is_general_admission(),
                },
                row: row.map(|r| r.name.clone()).unwrap_or_default(),
                section: row
                    .and_then(|r| layout.sections().get(r.section as usize))
                    .cloned()
                    .unwrap_or_default(),
                pair,
            }
        })
        .collect();
    LayoutPreview { seats, categories: layout.categories().to_vec(), count: layout.seat_count() }
}

/// Parses a layout without saving it (admins): the seats to draw, or every issue with its line.
#[utoipa::path(post, path = "/admin/layouts/preview", tag = "catalogue", request_body = LayoutInput,
    security(("bearer" = [])), responses(
    (status = 200, description = "The seats", body = LayoutPreview),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 422, description = "INVALID_LAYOUT (every issue with its line and column) or INVALID_INPUT", body = ErrorView),
))]
async fn preview_layout(me: Principal, ApiJson(body): ApiJson<LayoutInput>) -> ApiResult<Response> {
    me.require_admin()?;
    Ok(axum::Json(preview(&body.compile()?)).into_response())
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

/// Every movie of the catalogue.
#[utoipa::path(get, path = "/movies", tag = "catalogue", responses(
    (status = 200, description = "Movies", body = [Movie]),
))]
async fn movies(State(state): State<Arc<AppState>>) -> ApiResult<axum::Json<Vec<Movie>>> {
    Ok(axum::Json(state.directory.movies().await?))
}

/// One movie.
#[utoipa::path(get, path = "/movies/{id}", tag = "catalogue", params(("id" = u64, Path, description = "Movie id")),
    responses(
    (status = 200, description = "The movie", body = Movie),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
async fn movie(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<axum::Json<Movie>> {
    state.directory.movie(id).await?.map(axum::Json).ok_or_else(|| ApiError::not_found("movie", id))
}

/// Adds a movie to the catalogue (admins).
#[utoipa::path(post, path = "/admin/movies", tag = "catalogue", request_body = MovieFields,
    security(("bearer" = [])), responses(
    (status = 201, description = "The movie", body = Movie),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: a field is refused", body = ErrorView),
))]
async fn create_movie(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(m): ApiJson<MovieFields>,
) -> ApiResult<Response> {
    me.require_admin()?;
    check_movie(&m)?;
    Ok(created(state.directory.create_movie(m).await?))
}

/// Changes a movie (admins).
#[utoipa::path(put, path = "/admin/movies/{id}", tag = "catalogue", request_body = MovieFields,
    params(("id" = u64, Path, description = "Movie id")), security(("bearer" = [])), responses(
    (status = 200, description = "The movie", body = Movie),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: a field is refused", body = ErrorView),
))]
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

/// Removes a movie (admins); its shows stay.
#[utoipa::path(delete, path = "/admin/movies/{id}", tag = "catalogue",
    params(("id" = u64, Path, description = "Movie id")), security(("bearer" = [])), responses(
    (status = 204, description = "Removed"),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
))]
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
