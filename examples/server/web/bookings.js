// My bookings: each with its status and total; tickets of confirmed ones, payment of pending
// ones (on the show's page), and cancelling. A paid booking is cancelled through a refund, so
// the money goes back (a plain cancel of a paid booking would keep it).

import { h, fill, announce } from './dom.js';
import { get, post } from './api.js';
import { moneyOf, startsLocal } from './format.js';
import { ticketList } from './tickets.js';

const STATUS_WORDS = {
  pending: 'Waiting for payment', confirmed: 'Confirmed', checked_in: 'Checked in',
  expired: 'Expired', cancelled: 'Cancelled', refunded: 'Refunded',
};

export async function bookingsPage(main) {
  const list = h('div', { class: 'bookings' });
  fill(main, h('h1', { tabindex: '-1' }, 'My bookings'), list);
  document.title = 'My bookings · Cinema';
  const bookings = await get('/v1/bookings');
  if (!bookings.length) {
    fill(list, h('p', { class: 'empty' }, 'No bookings yet. ', h('a', { href: '#/' }, 'Find a show.')));
    return;
  }
  fill(list, h('ul', { class: 'booking-list' }, bookings.map((b) => bookingItem(b))));
}

function bookingItem(b) {
  const li = h('li', { class: 'card booking', 'data-booking-id': String(b.id), 'data-status': b.status });
  draw(li, b);
  return li;
}

function draw(li, b) {
  li.dataset.status = b.status;
  const tickets = h('div', { class: 'booking-tickets' });
  const msg = h('p', { class: 'msg', hidden: true });
  const actions = h('div', { class: 'actions' });
  if (b.status === 'confirmed' || b.status === 'checked_in') {
    const show = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Show tickets');
    show.addEventListener('click', async () => {
      if (show.getAttribute('aria-expanded') === 'true') {
        tickets.replaceChildren();
        show.setAttribute('aria-expanded', 'false');
        return;
      }
      try {
        fill(tickets, ticketList(await get(`/v1/bookings/${b.id}/tickets`), { title: b.title }));
        show.setAttribute('aria-expanded', 'true');
      } catch (e) {
        fill(tickets, h('p', { class: 'field-error' }, e.message));
      }
    });
    actions.append(show);
  }
  if (b.status === 'pending') actions.append(h('a', { class: 'button primary', href: `#/show/${b.show}?booking=${b.id}` }, 'Pay now'));
  if (b.status === 'pending' || b.status === 'confirmed') actions.append(cancelButton(li, b, msg));
  fill(li,
    h('h2', {}, b.title),
    h('p', {}, startsLocal(b), ' · ', h('a', { href: `#/show/${b.show}` }, 'seat map')),
    h('p', {}, `Booking ${b.id} · Seats ${b.seats.join(', ')} · ${moneyOf(b.total)}`),
    h('p', { class: `status status-${b.status}` }, STATUS_WORDS[b.status] || b.status),
    msg, actions, tickets);
}

/** Two steps: the first press asks, the second does it. */
function cancelButton(li, b, msg) {
  const paid = b.status === 'confirmed';
  const btn = h('button', { type: 'button', class: 'danger' }, paid ? 'Cancel and refund' : 'Cancel booking');
  let armed = false;
  btn.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      btn.textContent = paid ? `Confirm: cancel and refund ${moneyOf(b.total)}` : 'Confirm cancellation';
      announce('Press again to confirm.');
      return;
    }
    btn.disabled = true;
    try {
      const done = await post(`/v1/bookings/${b.id}/${paid ? 'refund' : 'cancel'}`);
      draw(li, done);
      li.querySelector('h2').setAttribute('tabindex', '-1');
      li.querySelector('h2').focus();
      announce(`Booking ${b.id} ${paid ? 'cancelled and refunded' : 'cancelled'}.`, true);
    } catch (e) {
      msg.hidden = false;
      msg.className = 'msg msg-error';
      msg.textContent = e.message;
      btn.disabled = false;
    }
  });
  btn.addEventListener('blur', () => {
    if (armed && !btn.disabled) { armed = false; btn.textContent = paid ? 'Cancel and refund' : 'Cancel booking'; }
  });
  return btn;
}
