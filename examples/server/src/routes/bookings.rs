//! Bookings: create from a hold (with an `Idempotency-Key`), pay through the gateway, cancel,
//! refund, list mine, read one, its tickets with QR codes, and check-in at the door. What
//! paying and cancelling do is the engine's (`BookingEngine::pay`, `cancel_for_customer`).

use crate::app::AppState;
use crate::auth::Principal;
use crate::effects::{Changed, Effect};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::public_ids::{IdKind, refusal};
use crate::views::{CheckedIn, Paid, TicketLinks};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use booking_core::{Booking, BookingError, BookingId, HoldId, PayBooking};
use booking_front::{BookingView, ErrorView};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default()
        .routes(routes!(create, mine))
        .routes(routes!(one))
        .routes(routes!(pay))
        .routes(routes!(cancel))
        .routes(routes!(refund))
        .routes(routes!(tickets))
        .routes(routes!(qr_svg))
        .routes(routes!(qr_png))
        .routes(routes!(check_in))
        .routes(routes!(ticket_keys))
}

/// The `Idempotency-Key` header, required where a retry must not act twice.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(k) if !k.trim().is_empty() => Ok(Some(k.trim().to_string())),
            _ => Err(ApiError::bad_request("Idempotency-Key", "must be visible ASCII text")),
        },
    }
}

/// The internal id of the booking HTTP calls `public`.
fn booking_id(state: &AppState, public: u64) -> BookingId {
    BookingId(state.ids.reveal(IdKind::Booking, public))
}

async fn view(state: &AppState, b: &Booking) -> ApiResult<BookingView> {
    let show = state.engine.show(b.show).await?;
    Ok(state.ids.booking(BookingView::new(b, &show, state.engine.now())))
}

/// The hold to book.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    /// The hold.
    hold: u64,
    /// Its current fence, when the caller wants it checked.
    #[serde(default)]
    fence: Option<u64>,
}

/// Books a live hold: a pending booking, to pay before its deadline. The same
/// `Idempotency-Key` gives the same booking.
#[utoipa::path(post, path = "/bookings", tag = "bookings", request_body = CreateBody,
    params(("Idempotency-Key" = String, Header, description = "Required: the same key gives the first answer")),
    security(("bearer" = [])), responses(
    (status = 201, description = "The pending booking", body = BookingView),
    (status = 404, description = "NOT_FOUND: no such hold (released, booked or swept), or not yours", body = ErrorView),
    (status = 409, description = "HOLD_EXPIRED, STALE_FENCE, SEAT_UNAVAILABLE or IDEMPOTENCY_CONFLICT", body = ErrorView),
    (status = 422, description = "PROMO_REJECTED (no redemptions left) or INVALID_INPUT", body = ErrorView),
))]
async fn create(
    State(state): State<Arc<AppState>>,
    me: Principal,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<Changed<(StatusCode, Json<BookingView>)>> {
    let key = idempotency_key(&headers)?.ok_or_else(|| {
        ApiError::bad_request("Idempotency-Key", "this request needs an Idempotency-Key header")
    })?;
    let hold = HoldId(state.ids.reveal(IdKind::Hold, body.hold));
    let b = state
        .engine
        .create_booking(hold, me.actor(), &key, body.fence)
        .await
        .map_err(refusal(IdKind::Hold, body.hold))?;
    let view = view(&state, &b).await?;
    Ok(Changed(Effect::BookingCreated(b.show), (StatusCode::CREATED, Json(view))))
}

/// Whose bookings.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct MineQuery {
    /// Admins only: another account's bookings.
    #[serde(default)]
    user: Option<u64>,
}

/// My bookings (or, for admins, an account's), newest first.
#[utoipa::path(get, path = "/bookings", tag = "bookings", params(MineQuery), security(("bearer" = [])), responses(
    (status = 200, description = "The bookings", body = [BookingView]),
    (status = 403, description = "FORBIDDEN: another account's, and not an admin", body = ErrorView),
))]
async fn mine(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiQuery(q): ApiQuery<MineQuery>,
) -> ApiResult<Json<Vec<BookingView>>> {
    let owner = match q.user {
        Some(u) if state.ids.reveal(IdKind::User, u) != me.user => {
            me.require_admin()?;
            crate::auth::owner_of(state.ids.reveal(IdKind::User, u))
        }
        _ => me.owner(),
    };
    let list = state.engine.bookings_of(&owner).await?;
    let mut views = Vec::with_capacity(list.len());
    for b in &list {
        views.push(view(&state, b).await?);
    }
    Ok(Json(views))
}

/// One booking, with its status now.
#[utoipa::path(get, path = "/bookings/{id}", tag = "bookings", params(("id" = u64, Path, description = "Booking id")),
    security(("bearer" = [])), responses(
    (status = 200, description = "The booking", body = BookingView),
    (status = 404, description = "NOT_FOUND: no such booking, or not yours", body = ErrorView),
))]
async fn one(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<BookingView>> {
    let b = state
        .engine
        .booking(booking_id(&state, id), &me.actor())
        .await
        .map_err(refusal(IdKind::Booking, id))?;
    Ok(Json(view(&state, &b).await?))
}

/// The card to pay with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PayBody {
    /// The card token from the gateway's form (simulated gateway: `tok_visa`, `tok_decline`,
    /// `tok_timeout`).
    #[schema(example = "tok_visa", min_length = 1, max_length = 200)]
    payment_token: String,
}

/// Pays a pending booking: the card is charged once (however often this is retried), then the
/// booking is confirmed and its tickets issued. A booking past its deadline is refused before
/// any charge; one that expires during the charge is refused and the charge voided.
#[utoipa::path(post, path = "/bookings/{id}/pay", tag = "bookings", request_body = PayBody,
    params(("id" = u64, Path, description = "Booking id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key gives the first answer (default: one per booking)")),
    security(("bearer" = [])), responses(
    (status = 200, description = "Paid: the booking and its tickets", body = Paid),
    (status = 402, description = "PAYMENT_DECLINED: nothing was charged", body = ErrorView),
    (status = 404, description = "NOT_FOUND: no such booking, or not yours", body = ErrorView),
    (status = 409, description = "HOLD_EXPIRED (the deadline passed: no ticket), INVALID_TRANSITION or IDEMPOTENCY_CONFLICT", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: payment_token or Idempotency-Key refused", body = ErrorView),
    (status = 502, description = "PAYMENT_FAILED: the gateway failed", body = ErrorView),
    (status = 504, description = "PAYMENT_TIMEOUT: retry with the same Idempotency-Key", body = ErrorView),
))]
async fn pay(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PayBody>,
) -> Result<Changed<Json<Paid>>, Response> {
    // A refusal by the gateway is counted; any other refusal changed nothing worth telling.
    let refused = |e: ApiError| match e.code.starts_with("PAYMENT_") {
        true => Changed(Effect::PaymentFailed, e).into_response(),
        false => e.into_response(),
    };
    let key = idempotency_key(&headers).map_err(refused)?;
    let req = PayBooking {
        booking: booking_id(&state, id),
        actor: me.actor(),
        token: body.payment_token,
        idempotency_key: key,
    };
    let done = state
        .engine
        .pay(&*state.payments, req)
        .await
        .map_err(|e| refused(refusal(IdKind::Booking, id)(e)))?;
    let booking = view(&state, &done.booking).await.map_err(refused)?;
    let tickets = done.tickets.iter().map(|t| TicketLinks::new(t, &state.ids)).collect();
    Ok(Changed(Effect::BookingConfirmed(done.booking.show), Json(Paid { booking, tickets })))
}

/// Cancels a booking: an unpaid one is cancelled; a paid one is refunded (its money goes back),
/// so cancelling never keeps a customer's money.
#[utoipa::path(post, path = "/bookings/{id}/cancel", tag = "bookings",
    params(("id" = u64, Path, description = "Booking id")), security(("bearer" = [])), responses(
    (status = 200, description = "The booking, cancelled or refunded", body = BookingView),
    (status = 404, description = "NOT_FOUND: no such booking, or not yours", body = ErrorView),
    (status = 409, description = "INVALID_TRANSITION", body = ErrorView),
))]
async fn cancel(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Changed<Json<BookingView>>> {
    let b = state
        .engine
        .cancel_for_customer(&*state.payments, booking_id(&state, id), me.actor())
        .await
        .map_err(refusal(IdKind::Booking, id))?;
    Ok(Changed(Effect::BookingEnded(b.show), Json(view(&state, &b).await?)))
}

/// Refunds a confirmed booking; its money goes back through the gateway.
#[utoipa::path(post, path = "/bookings/{id}/refund", tag = "bookings",
    params(("id" = u64, Path, description = "Booking id")), security(("bearer" = [])), responses(
    (status = 200, description = "The booking, refunded", body = BookingView),
    (status = 404, description = "NOT_FOUND: no such booking, or not yours", body = ErrorView),
    (status = 409, description = "INVALID_TRANSITION: not confirmed", body = ErrorView),
))]
async fn refund(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Changed<Json<BookingView>>> {
    let b = state
        .engine
        .refund_and_repay(&*state.payments, booking_id(&state, id), me.actor())
        .await
        .map_err(refusal(IdKind::Booking, id))?;
    Ok(Changed(Effect::BookingEnded(b.show), Json(view(&state, &b).await?)))
}

/// The tickets of a paid booking, with their QR codes' URLs.
#[utoipa::path(get, path = "/bookings/{id}/tickets", tag = "bookings",
    params(("id" = u64, Path, description = "Booking id")), security(("bearer" = [])), responses(
    (status = 200, description = "One ticket per seat", body = [TicketLinks]),
    (status = 404, description = "NOT_FOUND: no such booking, or not yours", body = ErrorView),
    (status = 409, description = "INVALID_TRANSITION: not paid", body = ErrorView),
))]
async fn tickets(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<Vec<TicketLinks>>> {
    let list = state
        .engine
        .tickets(booking_id(&state, id), &me.actor())
        .await
        .map_err(refusal(IdKind::Booking, id))?;
    Ok(Json(list.iter().map(|t| TicketLinks::new(t, &state.ids)).collect()))
}

async fn ticket_code(state: &AppState, me: &Principal, id: u64, seat: &str) -> ApiResult<String> {
    let list = state
        .engine
        .tickets(booking_id(state, id), &me.actor())
        .await
        .map_err(refusal(IdKind::Booking, id))?;
    list.into_iter()
        .find(|t| t.label == seat)
        .map(|t| t.code)
        .ok_or_else(|| BookingError::not_found("ticket", seat.chars().take(32).collect::<String>()).into())
}

/// A ticket's QR code as SVG.
#[utoipa::path(get, path = "/bookings/{id}/tickets/{seat}/qr.svg", tag = "bookings",
    params(("id" = u64, Path, description = "Booking id"), ("seat" = String, Path, description = "Seat label")),
    security(("bearer" = [])), responses(
    (status = 200, description = "The QR code", body = String, content_type = "image/svg+xml"),
    (status = 404, description = "NOT_FOUND: no such booking or ticket, or not yours", body = ErrorView),
    (status = 409, description = "INVALID_TRANSITION: not paid", body = ErrorView),
))]
async fn qr_svg(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath((id, seat)): ApiPath<(u64, String)>,
) -> ApiResult<Response> {
    let code = ticket_code(&state, &me, id, &seat).await?;
    let svg = crate::qr::svg(&code).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// A ticket's QR code as PNG.
#[utoipa::path(get, path = "/bookings/{id}/tickets/{seat}/qr.png", tag = "bookings",
    params(("id" = u64, Path, description = "Booking id"), ("seat" = String, Path, description = "Seat label")),
    security(("bearer" = [])), responses(
    (status = 200, description = "The QR code", body = Vec<u8>, content_type = "image/png"),
    (status = 404, description = "NOT_FOUND: no such booking or ticket, or not yours", body = ErrorView),
    (status = 409, description = "INVALID_TRANSITION: not paid", body = ErrorView),
))]
async fn qr_png(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath((id, seat)): ApiPath<(u64, String)>,
) -> ApiResult<Response> {
    let code = ticket_code(&state, &me, id, &seat).await?;
    let png = crate::qr::png(&code).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// A scanned ticket.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CheckInBody {
    /// The signed code the QR code carries.
    code: String,
}

/// Staff scan a ticket: verified offline by its signature, then recorded once.
#[utoipa::path(post, path = "/check-in", tag = "bookings", request_body = CheckInBody,
    security(("bearer" = [])), responses(
    (status = 200, description = "Checked in", body = CheckedIn),
    (status = 403, description = "FORBIDDEN: not staff", body = ErrorView),
    (status = 404, description = "NOT_FOUND: its show or booking is gone", body = ErrorView),
    (status = 409, description = "ALREADY_CHECKED_IN or INVALID_TRANSITION", body = ErrorView),
    (status = 422, description = "INVALID_TICKET: forged or malformed", body = ErrorView),
))]
async fn check_in(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(body): ApiJson<CheckInBody>,
) -> ApiResult<Json<CheckedIn>> {
    me.require_staff()?;
    let done = state.engine.check_in(&body.code).await?;
    Ok(Json(CheckedIn {
        ticket: TicketLinks::new(&done.ticket, &state.ids),
        booking: view(&state, &done.booking).await?,
    }))
}

/// The public keys that verify tickets, the signing one first, as a JSON Web Key Set (Ed25519):
/// door scanners and apps verify ticket codes offline with them (every binding's
/// `verify_ticket`). Public: they can verify a ticket but never mint one.
#[utoipa::path(get, path = "/ticket-keys", tag = "bookings", responses(
    (status = 200, description = "The keys", body = booking_front::TicketKeys),
))]
async fn ticket_keys(State(state): State<Arc<AppState>>) -> Json<booking_front::TicketKeys> {
    Json(booking_front::TicketKeys::new(&state.engine.ticket_keys()))
}
