//! Live seat updates: `GET /v1/shows/{id}/events` streams the show's event log as Server-Sent
//! Events (`Accept: text/event-stream`, what `EventSource` sends), each with its sequence number
//! as the event id, so a client that reconnects resumes after `Last-Event-ID` (or `?after=`).
//! Without either, the stream starts at the log's head. Any other `Accept` gets one page of the
//! log after `after` (from the start by default) as JSON. Either way each event is booking-front's
//! [`EventView`], public: who holds or paid what is left out.

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use booking_core::{Event, Show, ShowId};
use booking_front::{ErrorView, EventView};
use futures_util::stream;
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Events sent per read of the log (and answered per JSON page).
const STREAM_PAGE: usize = 256;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default().routes(routes!(events))
}

/// Where to start.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct After {
    /// Only events after this sequence number.
    #[serde(default)]
    after: Option<u64>,
}

/// An event as a stream message: its public view, named by its kind, with its seq as the id.
fn message(state: &AppState, show: &Show, e: &Event) -> SseEvent {
    let data = serde_json::to_string(&public(state, show, e)).unwrap_or_default();
    SseEvent::default().id(e.seq.to_string()).event(e.kind.name()).data(data)
}

/// An event as anyone may read it: no owner, no payment reference, public ids.
fn public(state: &AppState, show: &Show, e: &Event) -> EventView {
    state.ids.event(EventView::new(e, &show.layout).public())
}

fn wants_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim().starts_with("text/event-stream")))
}

/// The show's event log: live as Server-Sent Events, or a page of it as JSON.
#[utoipa::path(get, path = "/shows/{id}/events", tag = "shows",
    params(("id" = u64, Path, description = "Show id"), After,
        ("Last-Event-ID" = Option<u64>, Header, description = "The stream resumes after this event (what EventSource sends on a reconnect)")),
    responses(
    (status = 200, description = "`text/event-stream`: each event as `event: <kind>`, `id: <seq>`, `data: <Event>`, from the head (or after the one named), never ending. Otherwise: at most 256 events after `after`.",
        content((Vec<EventView> = "application/json"), (String = "text/event-stream"))),
    (status = 404, description = "NOT_FOUND", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: events before that one are no longer kept", body = ErrorView),
    (status = 503, description = "STREAMS_EXHAUSTED: too many live streams, see Retry-After", body = ErrorView),
))]
async fn events(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<u64>,
    ApiQuery(q): ApiQuery<After>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let show = state.engine.show(ShowId(id)).await?;
    let last_id = match headers.get("last-event-id").map(|v| v.to_str().map(|s| s.trim().parse::<u64>())) {
        None => None,
        Some(Ok(Ok(n))) => Some(n),
        Some(_) => return Err(ApiError::bad_request("Last-Event-ID", "must be an event sequence number")),
    };
    if !wants_stream(&headers) {
        let page = state.engine.events_since(show.id, last_id.or(q.after).unwrap_or(0), STREAM_PAGE).await?;
        let views: Vec<EventView> = page.iter().map(|e| public(&state, &show, e)).collect();
        return Ok(axum::Json(views).into_response());
    }
    let start = match last_id.or(q.after) {
        Some(n) => n,
        None => state.engine.log_head(show.id).await?,
    };
    stream_from(state, show, start)
}

/// The live stream of `show`'s log after `start`.
fn stream_from(state: Arc<AppState>, show: Arc<Show>, start: u64) -> ApiResult<Response> {
    let Some(slot) = state.live.open_stream(state.config.sse_streams_max) else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STREAMS_EXHAUSTED",
            "too many live streams; retry later",
        )
        .retry_after(5));
    };
    let waker = state.live.waker(show.id);
    let poll = Duration::from_millis(state.config.sse_poll_ms.max(10));
    // A first message at once: it flushes the response head (clients see the stream open before
    // any seat changes), tells where the stream starts, and sets the reconnection delay.
    let hello = SseEvent::default()
        .comment(format!("show {} after {start}", show.id.0))
        .retry(Duration::from_secs(2));
    let stop = state.live.stopping();
    let init = (state, show, start, waker, (slot, stop), std::collections::VecDeque::from([hello]));
    let s = stream::unfold(
        init,
        move |(state, show, mut cursor, waker, (slot, mut stop), mut queue)| async move {
            loop {
                if *stop.borrow() {
                    return None;
                }
                if let Some(next) = queue.pop_front() {
                    return Some((
                        Ok::<_, Infallible>(next),
                        (state, show, cursor, waker, (slot, stop), queue),
                    ));
                }
                // Register for the wake-up before reading, so a change between the two is not missed.
                let notified = waker.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                match state.engine.events_since(show.id, cursor, STREAM_PAGE).await {
                    Ok(page) if !page.is_empty() => {
                        cursor = page.last().map_or(cursor, |e| e.seq);
                        queue.extend(page.iter().map(|e| message(&state, &show, e)));
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(show = show.id.0, error = %e, "live stream read failed"),
                }
                tokio::select! {
                    _ = tokio::time::timeout(poll, notified) => {}
                    _ = stop.changed() => {}
                }
            }
        },
    );
    Ok(Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}
