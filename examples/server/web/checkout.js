// The side panel of a show: what is selected and why it cannot be held yet, the best seats,
// the quote, then the hold with its countdown, the payment and the tickets. It is redrawn from
// the show page's state; focus and the values typed are kept across redraws.

import { h, fill } from './dom.js';
import { moneyOf, startsLocal } from './format.js';
import { session } from './session.js';
import { quoteTable } from './quote.js';
import { ticketList } from './tickets.js';

/** Test cards of the simulated gateway. */
const CARDS = [
  ['tok_visa', 'Visa •••• 4242: approved'],
  ['tok_decline', 'Card with no funds: declined'],
  ['tok_timeout', 'Card whose bank never answers: times out'],
];

/** What the user set in the panel's controls, kept across redraws (one per show page). */
export function panelControls() {
  return { count: '2', category: '', accessible: false, card: 'tok_visa', promo: null, lastKey: '' };
}

/**
 * Draws the panel for the state `st` (see show-page.js), with the selection's `problems`
 * (rules.js) and the page's `actions`. Skips the work when nothing it shows has changed.
 */
export function renderPanel(panel, st, problems, actions) {
  const key = JSON.stringify([st.selected, st.places, st.zonesNow?.(), st.quote, st.quoteError, st.message, problems, st.busy, st.hold?.id,
    st.hold?.fence, st.booking?.id, st.booking?.status, st.tickets?.length, st.cancelled, !!session.token(), st.promo]);
  if (key === st.ui.lastKey && panel.childElementCount) return;
  st.ui.lastKey = key;
  const focusKey = panel.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  let body;
  if (st.tickets) body = paidStep(st, actions);
  else if (st.booking) body = payStep(st, actions);
  else if (st.hold) body = heldStep(st, actions);
  else body = selectStep(st, problems, actions);
  fill(panel, body);
  if (focusKey) panel.querySelector(`[data-key="${focusKey}"]`)?.focus();
}

function message(st) {
  if (!st.message) return null;
  return h('div', { class: `msg msg-${st.message.kind}`, 'data-message': st.message.kind }, st.message.text);
}

function selectStep(st, problems, actions) {
  const places = Object.values(st.places || {}).reduce((a, b) => a + b, 0);
  const n = st.selected.length + places;
  const chips = n
    ? h('ul', { class: 'chips', 'aria-label': 'Selected seats' }, st.selected.map((l) => {
      const seat = st.byLabel.get(l);
      return h('li', {}, h('span', {}, `${l}`, h('span', { class: 'muted' }, ` ${seat?.category || ''}`)),
        h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove ${l}`, 'data-key': `rm-${l}`, onclick: () => actions.remove(l) }, '×'));
    }))
    : null;
  const none = n ? null : h('p', { class: 'muted' }, 'No seats selected. Choose seats on the map, or let us find the best ones.');

  const rules = h('div', { id: 'selection-problems', class: 'problems', 'aria-live': 'polite' },
    problems.map((p) => h('div', { class: 'msg msg-warning', 'data-rule': p.rule }, h('p', {}, p.text),
      p.rule === 'pair_split' ? h('button', { type: 'button', class: 'small', 'data-key': 'add-partners', onclick: () => actions.add(p.seats) }, `Add ${p.seats.join(', ')}`) : null)));

  const what = n ? `${n} seat${n === 1 ? '' : 's'}` : 'seats';
  const holdLabel = session.token() ? `Hold ${what}` : `Log in to hold ${what}`;
  const holdBtn = h('button', {
    type: 'button', class: 'primary', id: 'hold-button', 'data-key': 'hold',
    disabled: !n || problems.length > 0 || st.busy || st.cancelled,
    'aria-describedby': problems.length ? 'selection-problems' : null,
    onclick: () => actions.hold(),
  }, st.busy ? 'Holding…' : holdLabel);

  return h('div', { class: 'panel-step' },
    h('h2', { id: 'panel-title', tabindex: '-1' }, 'Your seats'),
    message(st),
    st.selected.length ? chips : none,
    placesForm(st, actions),
    rules,
    bestForm(st, actions),
    st.quote ? quoteTable(st.quote, 'Price of your selection') : null,
    st.quoteError ? h('p', { class: 'field-error', role: 'alert' }, st.quoteError) : null,
    promoForm(st, actions),
    h('div', { class: 'actions' }, holdBtn,
      n ? h('button', { type: 'button', 'data-key': 'clear', onclick: () => actions.clear() }, 'Clear') : null));
}

/** How many places of each general-admission zone, with what is left of each. */
function placesForm(st, actions) {
  const zones = st.zonesNow?.() || [];
  if (!zones.length) return null;
  return h('fieldset', { class: 'places', 'aria-label': 'Standing places' },
    h('legend', {}, 'Standing places'),
    zones.map((z) => {
      const id = `places-${z.name}`;
      const asked = st.places?.[z.name] || 0;
      const most = Math.max(asked, Math.min(z.available, 10));
      return h('div', { class: 'places-row' },
        h('label', { for: id }, z.name),
        h('select', { id, 'data-key': id, 'data-zone': z.name, disabled: st.cancelled || (!z.available && !asked), onchange: (e) => actions.setPlaces(z.name, Number(e.target.value)) },
          Array.from({ length: most + 1 }, (_, i) => h('option', { value: String(i), selected: i === asked }, String(i)))),
        h('span', { class: 'muted places-left' }, z.available ? `${z.available} of ${z.capacity} left` : 'Sold out'));
    }));
}

function bestForm(st, actions) {
  const { ui } = st;
  const count = h('select', { id: 'best-count', 'data-key': 'best-count', onchange: (e) => { ui.count = e.target.value; } },
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => h('option', { value: String(i), selected: String(i) === ui.count }, String(i))));
  const cat = h('select', { id: 'best-cat', 'data-key': 'best-cat', onchange: (e) => { ui.category = e.target.value; } },
    h('option', { value: '' }, 'Any category'),
    st.map.categories.map((c) => h('option', { value: c.name, selected: c.name === ui.category }, c.name)));
  const acc = h('input', { type: 'checkbox', id: 'best-acc', 'data-key': 'best-acc', checked: ui.accessible, onchange: (e) => { ui.accessible = e.target.checked; } });
  return h('form', {
    class: 'best', 'aria-label': 'Best available seats',
    onsubmit: (e) => { e.preventDefault(); actions.best(Number(ui.count), ui.category, ui.accessible); },
  },
  h('div', { class: 'best-row' },
    h('label', { for: 'best-count' }, 'Best'), count,
    h('label', { for: 'best-cat', class: 'sr-only' }, 'Category'), cat,
    h('button', { type: 'submit', 'data-key': 'best-go', disabled: st.cancelled }, 'Find seats')),
  h('div', { class: 'check' }, acc, h('label', { for: 'best-acc' }, 'I need a wheelchair place (or a companion seat beside one)')),
  accessibleNote(st));
}

/** Until when the show keeps its wheelchair places and companion seats for those who need them. */
function accessibleNote(st) {
  const until = st.show?.accessible_until;
  if (!until || new Date(until) <= new Date()) return null;
  return h('p', { class: 'hint', id: 'accessible-note' },
    `Wheelchair places and companion seats are kept for customers who need them until ${new Date(until).toLocaleString()}.`);
}

function promoForm(st, actions) {
  const { ui } = st;
  const input = h('input', { id: 'promo', 'data-key': 'promo', autocomplete: 'off', value: ui.promo ?? st.promo, oninput: (e) => { ui.promo = e.target.value; } });
  return h('form', { class: 'promo', onsubmit: (e) => { e.preventDefault(); actions.setPromo(input.value); } },
    h('label', { for: 'promo' }, 'Promo code'), input,
    h('button', { type: 'submit', class: 'small', 'data-key': 'promo-go' }, 'Apply'));
}

function heldStep(st, actions) {
  const hv = st.hold;
  return h('div', { class: 'panel-step' },
    h('h2', { id: 'panel-title', tabindex: '-1' }, 'Seats held for you'),
    message(st),
    h('p', { class: 'countdown-line' }, 'Time left to book: ',
      h('span', { class: 'countdown', role: 'timer', 'data-countdown': 'hold' }, '…')),
    h('p', {}, `Seats ${hv.seats.join(', ')}. Nobody else can take them until the time runs out.`),
    quoteTable(hv.quote, 'Price held for you'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', id: 'book-button', 'data-key': 'book', disabled: st.busy, onclick: () => actions.book() },
        st.busy ? 'Booking…' : `Book and pay ${moneyOf(hv.quote.total)}`),
      h('button', { type: 'button', 'data-key': 'extend', onclick: () => actions.extend() }, 'More time'),
      h('button', { type: 'button', 'data-key': 'release', onclick: () => actions.release() }, 'Release seats')));
}

function payStep(st, actions) {
  const { ui } = st;
  const b = st.booking;
  const radios = CARDS.map(([token, text]) => h('div', { class: 'check' },
    h('input', { type: 'radio', name: 'card', id: `card-${token}`, value: token, checked: ui.card === token, 'data-key': `card-${token}`, onchange: () => { ui.card = token; } }),
    h('label', { for: `card-${token}` }, text)));
  return h('div', { class: 'panel-step' },
    h('h2', { id: 'panel-title', tabindex: '-1' }, `Pay for booking ${b.id}`),
    message(st),
    h('p', {}, `${b.title}, ${startsLocal(b)}. Seats ${b.seats.join(', ')}.`),
    h('p', { class: 'countdown-line' }, 'Pay within ',
      h('span', { class: 'countdown', role: 'timer', 'data-countdown': 'payment' }, '…'), ' or the seats are released.'),
    quoteTable(b.quote, 'Price'),
    h('form', { class: 'pay', onsubmit: (e) => { e.preventDefault(); actions.pay(ui.card); } },
      h('fieldset', {}, h('legend', {}, 'Card (test cards of the simulated payment gateway)'), radios),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'pay-button', 'data-key': 'pay', disabled: st.busy }, st.busy ? 'Paying…' : `Pay ${moneyOf(b.total)}`),
        h('button', { type: 'button', 'data-key': 'cancel-booking', disabled: st.busy, onclick: () => actions.cancelBooking() }, 'Cancel booking'))));
}

function paidStep(st, actions) {
  const b = st.booking;
  return h('div', { class: 'panel-step' },
    h('h2', { id: 'panel-title', tabindex: '-1' }, 'Your tickets'),
    message(st),
    h('p', {}, `Booking ${b.id} is confirmed: ${b.title}, ${startsLocal(b)}. Show the QR codes at the door.`),
    ticketList(st.tickets, { title: b.title }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', 'data-key': 'again', onclick: () => actions.again() }, 'Book more seats'),
      h('a', { href: '#/bookings', class: 'button' }, 'My bookings')));
}
