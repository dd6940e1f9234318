//! Analytics for admins, from the event log: revenue per period, occupancy per show, top
//! movies and sales per theatre.

use crate::analytics::{
    OccupancyRow, Period, RevenueRow, SalesRow, ShowSales, by_group, occupancy, revenue, show_sales,
};
use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use booking_core::{EVENTS_PAGE_MAX, Show, ShowFilter, ShowId};
use booking_front::ErrorView;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default()
        .routes(routes!(revenue_route))
        .routes(routes!(occupancy_route))
        .routes(routes!(top_movies))
        .routes(routes!(theatres))
}

/// Every show with what its log says.
async fn load(state: &AppState) -> ApiResult<Vec<(Arc<Show>, ShowSales)>> {
    let filter = ShowFilter { include_cancelled: true, ..ShowFilter::default() };
    let mut out = Vec::new();
    for show in state.engine.shows(&filter).await? {
        let mut events = Vec::new();
        let mut cursor = 0;
        loop {
            let page = state.engine.events_since(show.id, cursor, EVENTS_PAGE_MAX).await?;
            let Some(last) = page.last().map(|e| e.seq) else { break };
            cursor = last;
            let full = page.len() == EVENTS_PAGE_MAX;
            events.extend(page);
            if !full {
                break;
            }
        }
        let sales = show_sales(&events);
        out.push((show, sales));
    }
    Ok(out)
}

/// How revenue is bucketed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PeriodQuery {
    /// Day (default), ISO week or month, in UTC.
    #[serde(default)]
    #[param(inline)]
    period: Option<Period>,
}

/// Revenue per period and currency, from the event log (admins).
#[utoipa::path(get, path = "/admin/analytics/revenue", tag = "analytics", params(PeriodQuery),
    security(("bearer" = [])), responses(
    (status = 200, description = "Oldest first", body = [RevenueRow]),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
))]
async fn revenue_route(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let all = load(&state).await?;
    let rows = revenue(all.iter().map(|(_, s)| s), q.period.unwrap_or(Period::Day));
    Ok(axum::Json(rows).into_response())
}

/// Seats sold of every show, from the event log (admins).
#[utoipa::path(get, path = "/admin/analytics/occupancy", tag = "analytics", security(("bearer" = [])), responses(
    (status = 200, description = "One row per show", body = [OccupancyRow]),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
))]
async fn occupancy_route(State(state): State<Arc<AppState>>, me: Principal) -> ApiResult<Response> {
    me.require_admin()?;
    let all = load(&state).await?;
    let rows: Vec<_> = all.iter().map(|(show, s)| occupancy(show, s)).collect();
    Ok(axum::Json(rows).into_response())
}

/// Sales per movie, most tickets first (admins).
#[utoipa::path(get, path = "/admin/analytics/top-movies", tag = "analytics", security(("bearer" = [])), responses(
    (status = 200, description = "One row per movie", body = [SalesRow]),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
))]
async fn top_movies(State(state): State<Arc<AppState>>, me: Principal) -> ApiResult<Response> {
    me.require_admin()?;
    let all = load(&state).await?;
    let links: HashMap<ShowId, u64> = state.directory.show_movies().await?.into_iter().collect();
    let titles: HashMap<u64, String> =
        state.directory.movies().await?.into_iter().map(|m| (m.id, m.title)).collect();
    let rows = by_group(all.iter().filter_map(|(show, s)| {
        let movie = *links.get(&show.id)?;
        let title = titles.get(&movie).cloned().unwrap_or_else(|| show.title.clone());
        Some(((movie, title), s))
    }));
    Ok(axum::Json(rows).into_response())
}

/// Sales per theatre, most tickets first (admins).
#[utoipa::path(get, path = "/admin/analytics/theatres", tag = "analytics", security(("bearer" = [])), responses(
    (status = 200, description = "One row per theatre", body = [SalesRow]),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
))]
async fn theatres(State(state): State<Arc<AppState>>, me: Principal) -> ApiResult<Response> {
    me.require_admin()?;
    let all = load(&state).await?;
    let names: HashMap<u64, String> =
        state.engine.theatres().await?.into_iter().map(|t| (t.id.0, t.name)).collect();
    let rows = by_group(all.iter().map(|(show, s)| {
        let id = show.theatre.0;
        ((id, names.get(&id).cloned().unwrap_or_default()), s)
    }));
    Ok(axum::Json(rows).into_response())
}
