//! Analytics for admins, from the event log: revenue per period, occupancy per show, top
//! movies and sales per theatre.

use crate::analytics::{Period, ShowSales, by_group, occupancy, revenue, show_sales};
use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use booking_core::{EVENTS_PAGE_MAX, Show, ShowFilter, ShowId};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin/analytics/revenue", get(revenue_route))
        .route("/admin/analytics/occupancy", get(occupancy_route))
        .route("/admin/analytics/top-movies", get(top_movies))
        .route("/admin/analytics/theatres", get(theatres))
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    #[serde(default)]
    period: Option<Period>,
}

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

async fn occupancy_route(State(state): State<Arc<AppState>>, me: Principal) -> ApiResult<Response> {
    me.require_admin()?;
    let all = load(&state).await?;
    let rows: Vec<_> = all.iter().map(|(show, s)| occupancy(show, s)).collect();
    Ok(axum::Json(rows).into_response())
}

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
