//! Live seat updates: `GET /v1/shows/{id}/events` streams the show's event log as Server-Sent
//! Events, each with its sequence number as the event id, so a client that reconnects resumes
//! after `Last-Event-ID` (or `?after=`). Without either, the stream starts at the log's head.

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::views::labels;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use booking_core::{EVENTS_PAGE_MAX, Event, EventKind, SeatStatus, Show, ShowId};
use futures_util::stream;
use serde::Deserialize;
use serde_json::{Value, json};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// Events sent per read of the log.
const STREAM_PAGE: usize = 256;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/shows/{id}/events", get(events))
}

/// The sequence number of the last event of a show's log (0 when empty), read in pages from
/// the last head this instance knew.
pub async fn head_seq(state: &AppState, show: ShowId) -> ApiResult<u64> {
    let mut head = state.live.known_head(show);
    loop {
        let page = state.engine.events_since(show, head, EVENTS_PAGE_MAX).await?;
        let Some(last) = page.last() else { break };
        head = last.seq;
        if page.len() < EVENTS_PAGE_MAX {
            break;
        }
    }
    state.live.set_known_head(show, head);
    Ok(head)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct After {
    #[serde(default)]
    after: Option<u64>,
}

/// The seats an event changes and the status they now have.
fn seat_change(kind: &EventKind) -> Option<(&[booking_core::SeatIdx], SeatStatus)> {
    match kind {
        EventKind::HoldPlaced { seats, .. } => Some((seats, SeatStatus::Held)),
        EventKind::HoldReleased { seats, .. } | EventKind::HoldExpired { seats, .. } => {
            Some((seats, SeatStatus::Available))
        }
        EventKind::BookingCreated { seats, .. } => Some((seats, SeatStatus::Booked)),
        EventKind::BookingExpired { seats, .. }
        | EventKind::BookingCancelled { seats, .. }
        | EventKind::BookingRefunded { seats, .. } => Some((seats, SeatStatus::Available)),
        _ => None,
    }
}

/// An event as a stream message: the log's event with seat labels and their new status.
fn message(show: &Show, e: &Event) -> SseEvent {
    let mut data = serde_json::to_value(e).unwrap_or(Value::Null);
    // The stream is public: who holds or paid what stays private.
    if let Some(kind) = data.get_mut("kind").and_then(Value::as_object_mut) {
        kind.remove("owner");
        kind.remove("payment_ref");
    }
    if let Some((seats, status)) = seat_change(&e.kind)
        && let Some(obj) = data.as_object_mut()
    {
        obj.insert("labels".into(), json!(labels(show, seats)));
        obj.insert("seat_status".into(), json!(status));
    }
    SseEvent::default().id(e.seq.to_string()).event(e.kind.name()).data(data.to_string())
}

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
    let start = match last_id.or(q.after) {
        Some(n) => n,
        None => head_seq(&state, show.id).await?,
    };
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
                        state.live.set_known_head(show.id, cursor);
                        queue.extend(page.iter().map(|e| message(&show, e)));
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
