//! Bookings: create from a hold (with an `Idempotency-Key`), pay through the gateway, cancel,
//! refund, list mine, read one, its tickets with QR codes, and check-in at the door.

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::payments::{ChargeRequest, PaymentError};
use crate::routes::created;
use crate::views::{BookingView, TicketView};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use booking_core::{Booking, BookingError, BookingId, BookingStatus, ErrorCode, HoldId};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/bookings", post(create).get(mine))
        .route("/bookings/{id}", get(one))
        .route("/bookings/{id}/pay", post(pay))
        .route("/bookings/{id}/cancel", post(cancel))
        .route("/bookings/{id}/refund", post(refund))
        .route("/bookings/{id}/tickets", get(tickets))
        .route("/bookings/{id}/tickets/{seat}/qr.svg", get(qr_svg))
        .route("/bookings/{id}/tickets/{seat}/qr.png", get(qr_png))
        .route("/check-in", post(check_in))
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

async fn view(state: &AppState, b: &Booking) -> ApiResult<BookingView> {
    let show = state.engine.show(b.show).await?;
    Ok(BookingView::new(b, &show, state.engine.now()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    hold: u64,
    #[serde(default)]
    fence: Option<u64>,
}

async fn create(
    State(state): State<Arc<AppState>>,
    me: Principal,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?.ok_or_else(|| {
        ApiError::bad_request("Idempotency-Key", "this request needs an Idempotency-Key header")
    })?;
    let b = state.engine.create_booking(HoldId(body.hold), me.actor(), &key, body.fence).await?;
    state.pending.remember(&b, state.engine.now());
    state.metrics.bookings_created.inc();
    state.live.touch(b.show);
    Ok(created(view(&state, &b).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MineQuery {
    /// Admins only: another account's bookings.
    #[serde(default)]
    user: Option<u64>,
}

async fn mine(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiQuery(q): ApiQuery<MineQuery>,
) -> ApiResult<Response> {
    let owner = match q.user {
        Some(u) if u != me.user => {
            me.require_admin()?;
            crate::auth::owner_of(u)
        }
        _ => me.owner(),
    };
    let list = state.engine.bookings_of(&owner).await?;
    let mut views = Vec::with_capacity(list.len());
    for b in &list {
        views.push(view(&state, b).await?);
    }
    Ok(axum::Json(views).into_response())
}

async fn one(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    let b = state.engine.booking(BookingId(id), &me.actor()).await?;
    Ok(axum::Json(view(&state, &b).await?).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayBody {
    /// The card token from the gateway's form (simulated gateway: `tok_visa`, `tok_decline`,
    /// `tok_timeout`).
    payment_token: String,
}

/// Pays a pending booking: charge once (the gateway's idempotency key is the booking), then
/// confirm. A booking past its deadline is refused before any charge; one that expires while
/// the charge runs is refused at confirm and the charge is voided, so a late payment never
/// gets a ticket. What to charge comes from [`crate::pending`] when this instance created the
/// booking (no read of the store), else from the store; a booking cancelled on another
/// instance meanwhile is refused at confirm, and its charge voided.
async fn pay(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PayBody>,
) -> ApiResult<Response> {
    let id = BookingId(id);
    let key = idempotency_key(&headers)?.unwrap_or_else(|| format!("pay-{}", id.0));
    if body.payment_token.is_empty() || body.payment_token.len() > 200 {
        return Err(ApiError::invalid("payment_token", "must be 1 to 200 bytes"));
    }
    let actor = me.actor();
    let now = state.engine.now();
    // What to charge: known here if this instance created the booking, else read.
    let (due, paid_ref) = match state.pending.due(id, now).filter(|p| actor.may_act_for(&p.owner)) {
        Some(p) => (Some(p.total), None),
        None => {
            let b = state.engine.booking(id, &actor).await?;
            let due = (b.status_at(now) == BookingStatus::Pending).then(|| b.quote.total());
            (due, b.payment_ref)
        }
    };
    let payment_ref = match due {
        Some(amount) => {
            let req = ChargeRequest { idempotency_key: id.to_string(), amount, token: body.payment_token };
            let wait = Duration::from_millis(state.config.gateway_timeout_ms);
            let charged = match tokio::time::timeout(wait, state.payments.charge(&req)).await {
                Ok(r) => r,
                Err(_) => Err(PaymentError::Timeout),
            };
            match charged {
                Ok(c) => c.id,
                Err(e) => {
                    state.metrics.payments_failed.inc();
                    return Err(payment_error(e));
                }
            }
        }
        // A retry of a paid booking gets its first answer (or a conflict for another key).
        None => paid_ref.unwrap_or_else(|| "none".into()),
    };
    match state.engine.confirm_booking(id, actor, &payment_ref, &key).await {
        Ok(c) => {
            state.pending.forget(id);
            state.metrics.bookings_confirmed.inc();
            state.live.touch(c.booking.show);
            let tickets: Vec<TicketView> = c.tickets.iter().map(TicketView::new).collect();
            Ok(axum::Json(json!({ "booking": view(&state, &c.booking).await?, "tickets": tickets }))
                .into_response())
        }
        Err(e) => {
            let unavailable = e.code() == ErrorCode::StoreUnavailable;
            if !unavailable {
                // Refused for good (cancelled, expired, ...): the next attempt reads the store.
                state.pending.forget(id);
            }
            if let Some(amount) = due
                && !unavailable
                && !paid_by(&state, id, &payment_ref).await
            {
                // Not confirmed for good: give the money back.
                if let Err(void) = state.payments.refund(&payment_ref, amount).await {
                    tracing::error!(booking = id.0, error = %void, "charge of an unconfirmed booking not voided");
                }
            }
            Err(e.into())
        }
    }
}

/// Whether booking `id` stands confirmed by `charge`. The gateway's key is the booking, so two
/// payments of one booking racing with different idempotency keys share one charge: the one
/// that lost the confirm must not refund what the winner's booking is paid with. When the
/// booking cannot be read the answer is yes: a charge left to void by hand is better than a
/// paid seat refunded.
async fn paid_by(state: &AppState, id: BookingId, charge: &str) -> bool {
    match state.engine.store().booking(id).await {
        Ok(now) => now.payment_ref.as_deref() == Some(charge),
        Err(e) => {
            tracing::error!(booking = id.0, error = %e, "cannot tell whether a charge paid its booking; not voided");
            true
        }
    }
}

fn payment_error(e: PaymentError) -> ApiError {
    match e {
        PaymentError::Declined { reason } => ApiError::new(
            StatusCode::PAYMENT_REQUIRED,
            "PAYMENT_DECLINED",
            format!("the payment was declined: {reason}"),
        )
        .with_details(json!({ "reason": reason })),
        PaymentError::Timeout => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "PAYMENT_TIMEOUT",
            "the payment gateway did not answer in time; retry with the same Idempotency-Key",
        )
        .retry_after(1),
        PaymentError::Failure(m) => ApiError::new(
            StatusCode::BAD_GATEWAY,
            "PAYMENT_FAILED",
            format!("the payment gateway failed: {m}"),
        ),
    }
}

/// Cancels a booking: an unpaid one is simply cancelled; a paid one is refunded (its money
/// goes back), so cancelling never keeps a customer's money.
async fn cancel(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    let actor = me.actor();
    let b = state.engine.booking(BookingId(id), &actor).await?;
    if b.status_at(state.engine.now()) == BookingStatus::Confirmed {
        return refund_booking(&state, BookingId(id), actor).await;
    }
    let b = state.engine.cancel_booking(BookingId(id), actor).await?;
    state.pending.forget(b.id);
    state.live.touch(b.show);
    Ok(axum::Json(view(&state, &b).await?).into_response())
}

async fn refund(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    refund_booking(&state, BookingId(id), me.actor()).await
}

async fn refund_booking(state: &AppState, id: BookingId, actor: booking_core::Actor) -> ApiResult<Response> {
    let b = state.engine.refund_booking(id, actor).await?;
    state.live.touch(b.show);
    give_back(state, &b).await;
    Ok(axum::Json(view(state, &b).await?).into_response())
}

/// Returns a paid booking's money through the gateway.
pub async fn give_back(state: &AppState, b: &Booking) {
    if let Some(charge) = &b.payment_ref
        && let Err(e) = state.payments.refund(charge, b.quote.total()).await
    {
        // The booking is refunded in the log; an operator retries the transfer from there.
        tracing::error!(booking = b.id.0, error = %e, "gateway refund failed");
    }
}

async fn tickets(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Response> {
    let list = state.engine.tickets(BookingId(id), &me.actor()).await?;
    let views: Vec<TicketView> = list.iter().map(TicketView::new).collect();
    Ok(axum::Json(views).into_response())
}

async fn ticket_code(state: &AppState, me: &Principal, id: u64, seat: &str) -> ApiResult<String> {
    let list = state.engine.tickets(BookingId(id), &me.actor()).await?;
    list.into_iter()
        .find(|t| t.label == seat)
        .map(|t| t.code)
        .ok_or_else(|| BookingError::not_found("ticket", seat.chars().take(32).collect::<String>()).into())
}

async fn qr_svg(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath((id, seat)): ApiPath<(u64, String)>,
) -> ApiResult<Response> {
    let code = ticket_code(&state, &me, id, &seat).await?;
    let svg = crate::qr::svg(&code).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

async fn qr_png(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiPath((id, seat)): ApiPath<(u64, String)>,
) -> ApiResult<Response> {
    let code = ticket_code(&state, &me, id, &seat).await?;
    let png = crate::qr::png(&code).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckInBody {
    code: String,
}

/// Staff scan a ticket: verified offline by its signature, then recorded once.
async fn check_in(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(body): ApiJson<CheckInBody>,
) -> ApiResult<Response> {
    me.require_staff()?;
    let done = state.engine.check_in(&body.code).await?;
    Ok(axum::Json(
        json!({ "ticket": TicketView::new(&done.ticket), "booking": view(&state, &done.booking).await? }),
    )
    .into_response())
}
