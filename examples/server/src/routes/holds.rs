//! Holds: place (all seats or none), read, extend and release. Only the owner (or an admin)
//! acts on a hold.

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use crate::routes::created;
use crate::routes::shows::{SeatInput, choices};
use crate::views::HoldView;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use booking_core::{HoldId, HoldRequest, ShowId};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/shows/{id}/holds", post(place))
        .route("/holds/{id}", get(read).delete(release))
        .route("/holds/{id}/extend", post(extend))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceBody {
    seats: Vec<SeatInput>,
    #[serde(default)]
    promo_code: Option<String>,
}

async fn place(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<PlaceBody>,
) -> ApiResult<Response> {
    // The engine checks the count too; refusing a huge list here spares building it.
    let max = state.engine.config().hold_seats_max as usize;
    if body.seats.len() > max {
        return Err(
            booking_core::BookingError::LimitExceeded { limit: "seats_per_hold", max: max as u64 }.into()
        );
    }
    let req = HoldRequest {
        show: ShowId(id),
        owner: me.owner(),
        seats: choices(body.seats),
        promo_code: body.promo_code,
    };
    let hold = state.engine.hold(req).await?;
    state.metrics.holds_placed.inc();
    state.live.touch(hold.show);
    let show = state.engine.show(hold.show).await?;
    Ok(created(HoldView::new(&hold, &show, state.engine.now())))
}

async fn read(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    let hold = state.engine.hold_info(HoldId(id)).await?;
    if !me.actor().may_act_for(&hold.owner) {
        return Err(booking_core::BookingError::NotOwner { what: HoldId(id).to_string() }.into());
    }
    let show = state.engine.show(hold.show).await?;
    Ok(axum::Json(HoldView::new(&hold, &show, state.engine.now())).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FenceBody {
    #[serde(default)]
    fence: Option<u64>,
}

async fn extend(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    OptionalJson(body): OptionalJson<FenceBody>,
) -> ApiResult<Response> {
    let fence = body.fence;
    let hold = state.engine.extend_hold(HoldId(id), me.actor(), fence).await?;
    state.live.touch(hold.show);
    let show = state.engine.show(hold.show).await?;
    Ok(axum::Json(HoldView::new(&hold, &show, state.engine.now())).into_response())
}

async fn release(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiQuery(q): ApiQuery<FenceBody>,
) -> ApiResult<Response> {
    let hold = state.engine.release_hold(HoldId(id), me.actor(), q.fence).await?;
    state.metrics.holds_released.inc();
    state.live.touch(hold.show);
    let show = state.engine.show(hold.show).await?;
    Ok(axum::Json(HoldView::new(&hold, &show, state.engine.now())).into_response())
}
