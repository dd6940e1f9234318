// Live seat updates of one show over Server-Sent Events. The stream resumes after the seat map's
// `seq` (and the browser sends Last-Event-ID by itself when it reconnects), so no change between
// reading the map and opening the stream is lost.

/** Every event the server sends (named events need a listener each). */
const EVENTS = [
  'show_scheduled', 'show_cancelled', 'hold_placed', 'hold_extended', 'hold_released', 'hold_expired',
  'booking_created', 'booking_confirmed', 'booking_expired', 'booking_cancelled', 'booking_refunded',
  'ticket_checked_in',
];

/**
 * Opens the stream of `showId` after `seq`. `onEvent(kind, data)` gets every event (the API's
 * `Event`: `data.seats` by label and their new `data.seat_status` when it changes seats, `hold`,
 * `booking`...); `onState('live' | 'reconnecting')`
 * tells the connection's state. Returns a function that closes it.
 */
export function subscribe(showId, seq, { onEvent, onState }) {
  const source = new EventSource(`/v1/shows/${showId}/events?after=${seq}`);
  let lastSeq = seq;
  const handle = (kind) => (e) => {
    let data;
    try { data = JSON.parse(e.data); } catch { return; }
    // After a reconnect the server resumes after Last-Event-ID; skip anything already applied.
    // The server sends its response headers only with the first event (or keep-alive), so an
    // event is also the first sign of a working stream.
    onState?.('live');
    if (typeof data.seq === 'number') {
      if (data.seq <= lastSeq) return;
      lastSeq = data.seq;
    }
    onEvent(kind, data);
  };
  for (const kind of EVENTS) source.addEventListener(kind, handle(kind));
  source.onopen = () => onState?.('live');
  source.onerror = () => onState?.(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return () => source.close();
}
