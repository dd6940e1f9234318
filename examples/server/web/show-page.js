// One show: its seat map, live, and the way from choosing seats to tickets. This file keeps the
// state and talks to the server; checkout.js draws the side panel for each step.

import { h, fill, announce, randomKey } from './dom.js';
import { get, post, del, query, getSeatMap, ApiError } from './api.js';
import { session } from './session.js';
import { createSeatMap, legend } from './seatmap.js';
import { subscribe } from './live.js';
import { explain, explainRefusal } from './rules.js';
import { moneyOf, startsLocal } from './format.js';
import { renderPanel, panelControls } from './checkout.js';

const FLOW_KEY = 'booking.flow';
/** Announce the hold's time left at these seconds. */
const MILESTONES_S = [300, 120, 60, 30, 10];

function loadFlow(showId) {
  try {
    const f = JSON.parse(sessionStorage.getItem(FLOW_KEY) || 'null');
    return f && f.show === showId ? f : {};
  } catch {
    return {};
  }
}

export async function showPage(main, { id, booking }) {
  const showId = Number(id);
  const [show, map] = await Promise.all([get(`/v1/shows/${showId}`), getSeatMap(showId)]);
  const screen = await get(`/v1/screens/${show.screen}`).catch(() => null);
  const flow = loadFlow(showId);
  // "Pay" from My bookings names the pending booking in the address.
  if (booking) Object.assign(flow, { booking: Number(booking), hold: null });
  const st = {
    show, map,
    seats: map.seats,
    byLabel: new Map(map.seats.map((s) => [s.label, s])),
    selected: (flow.selected || []).filter((l) => map.seats.some((s) => s.label === l && s.status === 'available' && !s.flags.general_admission)),
    // Places of general-admission zones asked for by quantity: zone name -> how many.
    places: Object.fromEntries(Object.entries(flow.places || {}).filter(([z, n]) => map.zones.some((x) => x.name === z) && n > 0)),
    hold: null, holdDeadline: 0, booking: null, bookingDeadline: 0, tickets: null, bookingKey: null,
    quote: null, quoteError: null, promo: flow.promo || '', message: null, busy: false, live: 'connecting',
    spoken: new Set(), // countdown milestones already announced
    cancelled: show.status === 'cancelled', mine: new Set(), ui: panelControls(),
  };
  document.title = `${show.title} · ${startsLocal(show)} · Cinema`;

  const saveFlow = () => sessionStorage.setItem(FLOW_KEY, JSON.stringify({
    show: showId, selected: st.selected, places: st.places, promo: st.promo,
    hold: st.hold && { id: st.hold.id, fence: st.hold.fence }, booking: st.booking?.id, key: st.bookingKey,
  }));

  // Places of general-admission zones are not picked on the map: the panel asks how many.
  const seatMap = createSeatMap({
    seats: st.seats.filter((s) => !s.flags.general_admission),
    categories: map.categories.map((c) => c.name),
    onToggle: (l) => toggle(l),
    isSelected: (l) => st.selected.includes(l),
    isMine: (l) => st.mine.has(l),
    label: `Seats of ${show.title}. Arrow keys move between seats; Enter or Space selects.`,
  });
  const liveState = h('span', { class: 'live-state', 'data-state': 'connecting' });
  const available = h('span', { class: 'available-count' });
  const panel = h('section', { class: 'side', 'aria-labelledby': 'panel-title' });
  const banner = h('div', { class: 'msg msg-error', role: 'alert', hidden: !st.cancelled }, 'This show was cancelled; its seats are no longer on sale.');

  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '← All shows')),
    h('header', { class: 'show-head' },
      h('h1', { tabindex: '-1' }, show.title),
      h('p', { class: 'show-meta' },
        h('span', {}, startsLocal(show)), ' · ', h('span', {}, show.theatre_name), screen ? ` · ${screen.name}` : '', ` · ${show.city}`),
      show.tickets_per_owner_max
        ? h('p', { class: 'show-cap' }, `At most ${show.tickets_per_owner_max} tickets per customer, counting those held, being paid for and bought.`)
        : null),
    banner,
    h('div', { class: 'show-layout' },
      h('section', { class: 'map-col', 'aria-label': 'Seat map' },
        h('p', { class: 'map-status' }, available, ' · ', liveState),
        seatMap.el,
        legend(map.categories)),
      panel));

  // ---- drawing ----
  function draw(focusSel) {
    const seats = st.seats.filter((s) => !s.flags.general_admission);
    const n = seats.filter((s) => s.status === 'available').length;
    const standing = zonesNow().map((z) => ` · ${z.name}: ${z.available} of ${z.capacity} standing places`).join('');
    available.textContent = `${n} of ${seats.length} seats available${standing}`;
    const problems = st.hold || st.booking ? [] : explain(st.seats, new Set(st.selected), show.no_orphan);
    renderPanel(panel, st, problems, actions);
    tick();
    if (focusSel) panel.querySelector(focusSel)?.focus();
  }
  function setLive(state) {
    st.live = state;
    liveState.dataset.state = state;
    liveState.textContent = { live: '● Live updates on', reconnecting: 'Reconnecting…', closed: 'Live updates off', connecting: 'Connecting…' }[state];
  }
  function say(text, kind = 'info', urgent = false) {
    st.message = text && { text, kind };
    if (text) announce(text, urgent || kind === 'error');
  }

  // ---- selection ----
  function toggle(label) {
    const seat = st.byLabel.get(label);
    if (st.tickets) actions.again(); // a new booking begins with the next seat
    if (st.hold || st.booking) {
      say(st.hold ? 'Your seats are held. Release them to choose others.'
        : 'Your booking is waiting for payment. Pay or cancel it to choose other seats.', 'info');
      draw();
      return;
    }
    if (!seat || st.cancelled) return;
    const i = st.selected.indexOf(label);
    if (i >= 0) st.selected.splice(i, 1);
    else if (seat.status !== 'available') {
      announce(`${label} is not available.`);
      return;
    } else st.selected.push(label);
    st.message = null;
    selectionChanged([label]);
  }
  let quoteTimer = 0;
  let quoteSeq = 0;
  function selectionChanged(changed) {
    seatMap.refresh(changed);
    saveFlow();
    draw();
    clearTimeout(quoteTimer);
    quoteTimer = setTimeout(refreshQuote, 200);
  }
  async function refreshQuote() {
    const mine = ++quoteSeq;
    const places = placesAsked();
    if (!st.selected.length && !places.length) { st.quote = null; st.quoteError = null; draw(); return; }
    try {
      const q = await post(`/v1/shows/${showId}/quote`, { seats: st.selected, places, promo_code: st.promo || undefined });
      if (mine !== quoteSeq) return;
      st.quote = q;
      st.quoteError = null;
    } catch (e) {
      if (mine !== quoteSeq) return;
      st.quote = null;
      st.quoteError = e.code === 'PROMO_REJECTED' ? `Promo code not accepted: ${e.details?.reason || e.message}` : e.message;
    }
    draw();
  }

  /** The places asked for, as the API takes them. */
  function placesAsked() {
    return Object.entries(st.places).filter(([, n]) => n > 0).map(([zone, quantity]) => ({ zone, quantity }));
  }
  /** Each zone of the map with its places available now (from the statuses kept live). */
  function zonesNow() {
    return map.zones.map((z) => ({
      ...z,
      available: st.seats.filter((s) => s.flags.general_admission && s.label.startsWith(`${z.name}-`) && s.status === 'available').length,
    }));
  }
  st.zonesNow = zonesNow;

  // ---- server state changes ----
  function setStatus(labels, status) {
    for (const l of labels) {
      const s = st.byLabel.get(l);
      if (s && !s.flags.blocked) s.status = status;
    }
    seatMap.refresh(labels);
  }
  /** Drops selected seats that someone else took, and says so. */
  function pruneSelection() {
    if (st.busy) return; // a hold of ours is on its way: its seats are ours, not taken
    const lost = st.selected.filter((l) => st.byLabel.get(l)?.status !== 'available');
    if (!lost.length) return;
    st.selected = st.selected.filter((l) => !lost.includes(l));
    const one = lost.length === 1;
    say(`${lost.join(', ')} ${one ? 'was' : 'were'} just taken by another customer and ${one ? 'was' : 'were'} removed from your selection.`, 'warning', true);
    selectionChanged(lost);
  }
  function onEvent(kind, data) {
    if (data.seats?.length && data.seat_status) setStatus(data.seats, data.seat_status);
    if (st.hold && data.hold === st.hold.id && kind === 'hold_expired') {
      holdEnded('Your hold expired and the seats were released.');
    }
    if (st.booking && data.booking === st.booking.id && kind === 'booking_expired') {
      bookingEnded('The payment window passed; the booking expired and its seats were released.');
    }
    if (kind === 'show_cancelled') {
      st.cancelled = true;
      banner.hidden = false;
    }
    pruneSelection();
    draw();
  }

  // ---- countdowns ----
  function tick() {
    if (st.hold) {
      const left = st.holdDeadline - performance.now();
      const el = panel.querySelector('[data-countdown]');
      if (el) el.textContent = formatLeft(left);
      const s = Math.ceil(left / 1000);
      for (const m of MILESTONES_S) {
        if (s <= m && s > m - 2 && !st.spoken.has(m)) {
          st.spoken.add(m);
          announce(`${m >= 60 ? `${m / 60} minute${m > 60 ? 's' : ''}` : `${m} seconds`} left to book your held seats.`);
        }
      }
      if (left <= 0) holdEnded('Your hold expired and the seats were released.');
    } else if (st.booking && !st.tickets) {
      const el = panel.querySelector('[data-countdown]');
      if (el) el.textContent = formatLeft(st.bookingDeadline - performance.now());
    }
  }
  const ticker = setInterval(tick, 250);

  function startHold(view) {
    st.hold = view;
    // The server's remaining time, counted on this clock: no skew between the two clocks matters.
    st.holdDeadline = performance.now() + view.remaining_ms;
    st.spoken.clear();
    st.mine = new Set(view.seats);
  }
  function holdEnded(text) {
    if (!st.hold) return;
    const seats = st.hold.seats;
    st.hold = null;
    st.mine = new Set();
    setStatus(seats, 'available');
    st.selected = [];
    saveFlow();
    say(text, 'warning', true);
    draw('h2');
  }
  function bookingEnded(text) {
    const seats = st.booking?.seats || [];
    st.booking = null;
    st.mine = new Set();
    setStatus(seats, 'available');
    saveFlow();
    say(text, 'warning', true);
    draw('h2');
  }

  // ---- actions (called by the panel) ----
  const actions = {
    setPromo(code) { st.promo = code.trim(); saveFlow(); refreshQuote(); },
    clear() { const was = st.selected; st.selected = []; st.places = {}; st.message = null; selectionChanged(was); },
    setPlaces(zone, n) {
      if (st.hold || st.booking) return;
      if (st.tickets) actions.again();
      st.places = { ...st.places, [zone]: n };
      st.message = null;
      selectionChanged([]);
    },
    remove(label) { toggle(label); },
    add(labels) {
      const add = labels.filter((l) => !st.selected.includes(l) && st.byLabel.get(l)?.status === 'available');
      st.selected.push(...add);
      selectionChanged(add);
    },
    async best(count, category, accessible) {
      try {
        const r = await get(`/v1/shows/${showId}/best-available${query({ count, category, accessible })}`);
        const was = st.selected;
        st.selected = r.seats;
        say(`Best ${r.seats.length === 1 ? 'seat' : `${r.seats.length} seats`}: ${r.seats.join(', ')}.`);
        selectionChanged([...was, ...r.seats]);
      } catch (e) {
        // SEAT_UNAVAILABLE with no seats: fewer than `count` free seats (of the category) are left.
        say(e.code === 'SEAT_UNAVAILABLE'
          ? `There are not ${count} free seats left${category ? ` in ${category}` : ''}${accessible ? '' : ' (wheelchair and companion places not counted)'}.` : e.message, 'error');
        draw();
      }
    },
    async hold() {
      if (!session.token()) {
        saveFlow();
        location.hash = `#/login?next=${encodeURIComponent(`/show/${showId}`)}`;
        return;
      }
      st.busy = true;
      draw();
      try {
        const view = await post(`/v1/shows/${showId}/holds`, {
          seats: st.selected, places: placesAsked(), promo_code: st.promo || undefined, accessible: st.ui.accessible || undefined,
        });
        startHold(view);
        st.selected = [];
        st.places = {};
        setStatus(view.seats, 'held');
        st.bookingKey = randomKey();
        say(`${view.seats.join(', ')} held for you for ${Math.round(view.remaining_ms / 60000)} minutes.`, 'success');
      } catch (e) {
        refused(e);
      } finally {
        st.busy = false;
        saveFlow();
        pruneSelection();
        draw('h2');
      }
    },
    async release() {
      try {
        const view = await del(`/v1/holds/${st.hold.id}${query({ fence: st.hold.fence })}`);
        st.hold = null;
        st.mine = new Set();
        setStatus(view.seats, 'available');
        st.selected = view.seats.filter((l) => st.byLabel.get(l)?.status === 'available');
        say('Seats released. They are still selected, so you can change them.');
        selectionChanged(view.seats);
      } catch (e) {
        if (e.code === 'HOLD_EXPIRED' || e.code === 'NOT_FOUND') holdEnded('Your hold had already ended.');
        else { say(e.message, 'error'); draw(); }
      }
    },
    async extend() {
      try {
        const view = await post(`/v1/holds/${st.hold.id}/extend`, { fence: st.hold.fence });
        startHold(view);
        say(`Hold extended: ${Math.round(view.remaining_ms / 60000)} minutes left.`, 'success');
      } catch (e) {
        say(e.code === 'LIMIT_EXCEEDED' ? 'This hold cannot be extended any further.' : e.message, 'error');
      }
      saveFlow();
      draw();
    },
    async book() {
      st.busy = true;
      draw();
      try {
        // The same key on a retry: the server answers with the booking it made the first time.
        const b = await post('/v1/bookings', { hold: st.hold.id, fence: st.hold.fence }, { 'Idempotency-Key': st.bookingKey });
        st.hold = null;
        setStatus(b.seats, 'pending');
        startBooking(b);
        say(`Booking ${b.id} created. Pay ${moneyOf(b.total)} to get your tickets.`, 'success');
      } catch (e) {
        if (e.code === 'HOLD_EXPIRED') holdEnded('Your hold expired before the booking was made; the seats were released.');
        else say(e.message, 'error');
      } finally {
        st.busy = false;
        saveFlow();
        draw('h2');
      }
    },
    async pay(token) {
      st.busy = true;
      say('Paying…');
      draw();
      try {
        const r = await post(`/v1/bookings/${st.booking.id}/pay`, { payment_token: token });
        st.booking = r.booking;
        st.tickets = r.tickets;
        setStatus(r.booking.seats, 'booked');
        say(`Paid. ${r.tickets.length} ticket${r.tickets.length > 1 ? 's' : ''} issued.`, 'success');
        sessionStorage.removeItem(FLOW_KEY);
      } catch (e) {
        const text = {
          PAYMENT_DECLINED: `The card was declined (${e.details?.reason || 'no reason given'}). Try another card; your seats stay booked until the payment window closes.`,
          PAYMENT_TIMEOUT: 'The payment service did not answer in time. Try again: you will not be charged twice.',
          PAYMENT_FAILED: 'The payment service failed. Try again in a moment.',
        }[e.code] || e.message;
        if (e.code === 'INVALID_TRANSITION') bookingEnded('This booking can no longer be paid: its payment window closed.');
        else say(text, 'error');
      } finally {
        st.busy = false;
        draw(st.tickets ? 'h2' : null);
      }
    },
    async cancelBooking() {
      try {
        await post(`/v1/bookings/${st.booking.id}/cancel`);
        bookingEnded('Booking cancelled; the seats were released.');
      } catch (e) {
        say(e.message, 'error');
        draw();
      }
    },
    again() {
      st.booking = null;
      st.tickets = null;
      st.mine = new Set();
      st.message = null;
      seatMap.refresh();
      draw('h2');
    },
  };

  function startBooking(b) {
    st.booking = b;
    st.mine = new Set(b.seats);
    const windowMs = Date.parse(b.payment_deadline) - Date.parse(b.created_at);
    st.bookingDeadline = performance.now() + windowMs;
  }

  function refused(e) {
    if (!(e instanceof ApiError)) throw e;
    const zone = e.code === 'SEAT_UNAVAILABLE' && map.zones.find((z) => (e.details?.seats || []).includes(z.name));
    if (zone) {
      // A zone with fewer free places than asked for is named by its name; what is left is
      // read afresh, as the live stream may not have told yet.
      resync().then(() => {
        const left = zonesNow().find((z) => z.name === zone.name)?.available ?? 0;
        say(`Sorry, ${zone.name} has ${left ? `only ${left} ${left === 1 ? 'place' : 'places'}` : 'no places'} left. Choose fewer places.`, 'error');
        draw();
      });
    } else if (e.code === 'SEAT_UNAVAILABLE') {
      const gone = e.details?.seats || [];
      setStatus(gone, 'held');
      st.selected = st.selected.filter((l) => !gone.includes(l));
      seatMap.refresh();
      say(`Sorry, ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} no longer available: another customer took ${gone.length === 1 ? 'it' : 'them'}. ${gone.length === 1 ? 'It was' : 'They were'} removed from your selection.`, 'error');
      resync();
    } else if (e.code === 'SELECTION_RULE') {
      say(explainRefusal(e.details), 'error');
    } else if (e.code === 'LIMIT_EXCEEDED') {
      const max = e.details?.max;
      say({
        holds_per_owner: `You already have ${max} holds on this show, the most allowed. Book or release them first (My bookings lists your bookings).`,
        seats_per_hold: `At most ${max} seats can be held at once. Remove some seats from your selection.`,
        tickets_per_owner: `This show sells at most ${max} tickets per customer, counting those you hold, are paying for and have bought. Choose fewer seats.`,
      }[e.details?.limit] || e.message, 'error');
    } else if (e.code === 'SALES_CLOSED') {
      say(`Sales for this show are closed (${e.details?.reason || 'closed'}).`, 'error');
    } else {
      say(e.message, 'error');
    }
  }

  /** Reads the whole map again (after a refusal showed ours was stale). */
  async function resync() {
    try {
      const fresh = await getSeatMap(showId);
      for (const s of fresh.seats) {
        const mine = st.byLabel.get(s.label);
        if (mine) mine.status = s.status;
      }
      seatMap.refresh();
      draw();
    } catch { /* the live stream will catch up */ }
  }

  // ---- restore a hold or a booking after a reload or a login ----
  async function restore() {
    if (!session.token()) return;
    try {
      if (flow.booking) {
        const b = await get(`/v1/bookings/${flow.booking}`);
        if (b.status === 'pending') { startBooking(b); st.bookingKey = flow.key; }
      } else if (flow.hold) {
        const hv = await get(`/v1/holds/${flow.hold.id}`);
        if (hv.remaining_ms > 0) { startHold(hv); st.bookingKey = flow.key || randomKey(); }
      }
    } catch { /* gone: start afresh */ }
    seatMap.refresh();
  }

  setLive('connecting');
  await restore();
  const close = subscribe(showId, map.seq, { onEvent, onState: setLive });
  draw();
  if (st.selected.length) refreshQuote();

  return () => {
    close();
    clearInterval(ticker);
    clearTimeout(quoteTimer);
  };
}

function formatLeft(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
