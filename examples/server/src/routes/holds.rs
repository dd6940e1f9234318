//! Holds: place (all seats or none), read, extend and release. Only the owner (or an admin)
//! acts on a hold.

use crate::app::AppState;
use crate::auth::Principal;
use crate::effects::{Changed, Effect};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use crate::public_ids::{IdKind, refusal};
use crate::routes::shows::{SeatInput, choices};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use booking_core::{HoldId, HoldRequest, PlaceChoice, ShowId};
use booking_front::{ErrorView, HoldView};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default().routes(routes!(place)).routes(routes!(read, release)).routes(routes!(extend))
}

/// The internal id of the hold HTTP calls `public`.
fn hold_id(state: &AppState, public: u64) -> HoldId {
    HoldId(state.ids.reveal(IdKind::Hold, public))
}

/// Seats and general-admission places to hold, with a promo code for the price.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PlaceBody {
    /// The seats, each by label or with a ticket type (`[]` for places only).
    seats: Vec<SeatInput>,
    /// Places of general-admission zones by quantity, e.g. `[{"zone": "Standing", "quantity": 2}]`:
    /// the store picks free places, which the hold and its quote name.
    #[serde(default)]
    places: Vec<PlaceChoice>,
    /// A promo code.
    #[serde(default)]
    promo_code: Option<String>,
    /// The buyer needs an accessible place: while the show keeps them (`accessible_until`), only
    /// such a buyer may hold wheelchair places and companion seats.
    #[serde(default)]
    accessible: bool,
}

/// Holds seats and general-admission places of a show: every one or none, priced now, until the
/// hold expires. A zone with too few free places is `SEAT_UNAVAILABLE` naming the zone.
#[utoipa::path(post, path = "/shows/{id}/holds", tag = "holds", request_body = PlaceBody,
    params(("id" = u64, Path, description = "Show id")), security(("bearer" = [])), responses(
    (status = 201, description = "The hold", body = HoldView),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 409, description = "SEAT_UNAVAILABLE (the seats taken in details) or SALES_CLOSED", body = ErrorView),
    (status = 422, description = "SELECTION_RULE (orphan seat, split pair, accessible places kept, companion seat alone), LIMIT_EXCEEDED, PROMO_REJECTED or INVALID_INPUT", body = ErrorView),
    (status = 503, description = "STORE_UNAVAILABLE, or demand kept moving the price; retry", body = ErrorView),
))]
async fn place(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<PlaceBody>,
) -> ApiResult<Changed<(StatusCode, Json<HoldView>)>> {
    // The engine checks the count too; refusing a huge list here spares building it.
    let max = state.engine.config().hold_seats_max as usize;
    if body.seats.len().saturating_add(body.places.len()) > max {
        return Err(
            booking_core::BookingError::LimitExceeded { limit: "seats_per_hold", max: max as u64 }.into()
        );
    }
    let req = HoldRequest {
        places: body.places,
        show: ShowId(id),
        owner: me.owner(),
        seats: choices(body.seats),
        promo_code: body.promo_code,
        accessible: body.accessible,
    };
    let hold = state.engine.hold(req).await?;
    let view = state.ids.hold(HoldView::new(&hold, state.engine.now()));
    Ok(Changed(Effect::HoldPlaced(hold.show), (StatusCode::CREATED, Json(view))))
}

/// One hold, live or expired but not yet swept.
#[utoipa::path(get, path = "/holds/{id}", tag = "holds", params(("id" = u64, Path, description = "Hold id")),
    security(("bearer" = [])), responses(
    (status = 200, description = "The hold", body = HoldView),
    (status = 404, description = "NOT_FOUND: released, booked or swept, or not yours", body = ErrorView),
))]
async fn read(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<HoldView>> {
    let hold = state.engine.hold_info(hold_id(&state, id)).await.map_err(refusal(IdKind::Hold, id))?;
    if !me.actor().may_act_for(&hold.owner) {
        return Err(ApiError::not_found(IdKind::Hold.entity(), id));
    }
    Ok(Json(state.ids.hold(HoldView::new(&hold, state.engine.now()))))
}

/// The hold's fencing token, to refuse a change based on a stale read.
#[derive(Debug, Default, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct FenceBody {
    /// The hold's current fence, when the caller wants it checked.
    #[serde(default)]
    fence: Option<u64>,
}

/// Extends a live hold (never past its maximum lifetime).
#[utoipa::path(post, path = "/holds/{id}/extend", tag = "holds", request_body(content = Option<FenceBody>, description = "Optional"),
    params(("id" = u64, Path, description = "Hold id")), security(("bearer" = [])), responses(
    (status = 200, description = "The hold", body = HoldView),
    (status = 404, description = "NOT_FOUND: no such hold, or not yours", body = ErrorView),
    (status = 409, description = "HOLD_EXPIRED or STALE_FENCE", body = ErrorView),
    (status = 422, description = "LIMIT_EXCEEDED: it cannot live longer", body = ErrorView),
))]
async fn extend(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    OptionalJson(body): OptionalJson<FenceBody>,
) -> ApiResult<Changed<Json<HoldView>>> {
    let hold = state
        .engine
        .extend_hold(hold_id(&state, id), me.actor(), body.fence)
        .await
        .map_err(refusal(IdKind::Hold, id))?;
    Ok(Changed(
        Effect::HoldExtended(hold.show),
        Json(state.ids.hold(HoldView::new(&hold, state.engine.now()))),
    ))
}

/// Releases a live hold; its seats are free at once.
#[utoipa::path(delete, path = "/holds/{id}", tag = "holds",
    params(("id" = u64, Path, description = "Hold id"), FenceBody), security(("bearer" = [])), responses(
    (status = 200, description = "The hold as it was", body = HoldView),
    (status = 404, description = "NOT_FOUND: no such hold, or not yours", body = ErrorView),
    (status = 409, description = "HOLD_EXPIRED or STALE_FENCE", body = ErrorView),
))]
async fn release(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiQuery(q): ApiQuery<FenceBody>,
) -> ApiResult<Changed<Json<HoldView>>> {
    let hold = state
        .engine
        .release_hold(hold_id(&state, id), me.actor(), q.fence)
        .await
        .map_err(refusal(IdKind::Hold, id))?;
    Ok(Changed(
        Effect::HoldReleased(hold.show),
        Json(state.ids.hold(HoldView::new(&hold, state.engine.now()))),
    ))
}
