// A quote as a table: one line per seat with the rules that changed its price, then the totals.

import { h } from './dom.js';
import { money, moneyOf, percentBp } from './format.js';

/** A table for a quote `{currency, exponent, lines, subtotal, fees, tax, total, tax_rate_bp, tax_mode}`. */
export function quoteTable(q, caption = 'Price') {
  const m = (minor) => money(minor, q.currency, q.exponent);
  const body = h('tbody');
  for (const line of q.lines) {
    const price = line.base_minor + line.adjustments.reduce((a, x) => a + x.amount_minor, 0);
    body.append(h('tr', { class: 'q-line' },
      h('th', { scope: 'row' }, line.seat, h('span', { class: 'ticket-type' }, ` ${line.ticket_type}`)),
      h('td', {}, m(price)),
      h('td', {}, m(line.fee_minor)),
      h('td', { class: 'q-total' }, m(line.total_minor))));
    const details = [`base ${m(line.base_minor)}`, ...line.adjustments.map((a) => `${a.rule} ${a.amount_minor >= 0 ? '+' : ''}${m(a.amount_minor)}`)];
    if (line.adjustments.length) {
      body.append(h('tr', { class: 'q-adjust' }, h('td', { colspan: '4' }, details.join(' · '))));
    }
  }
  const taxWord = q.tax_mode === 'inclusive' ? `incl. tax ${percentBp(q.tax_rate_bp)}` : `tax ${percentBp(q.tax_rate_bp)}`;
  return h('table', { class: 'quote' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Seat'), h('th', { scope: 'col' }, 'Price'), h('th', { scope: 'col' }, 'Fee'), h('th', { scope: 'col' }, 'Total'))),
    body,
    h('tfoot', {},
      h('tr', {}, h('th', { scope: 'row', colspan: '3' }, 'Subtotal'), h('td', {}, moneyOf(q.subtotal))),
      h('tr', {}, h('th', { scope: 'row', colspan: '3' }, 'Booking fees'), h('td', {}, moneyOf(q.fees))),
      h('tr', {}, h('th', { scope: 'row', colspan: '3' }, taxWord), h('td', {}, moneyOf(q.tax))),
      q.promo_code ? h('tr', {}, h('th', { scope: 'row', colspan: '4' }, `Promo ${q.promo_code} applied`)) : null,
      h('tr', { class: 'q-grand' }, h('th', { scope: 'row', colspan: '3' }, 'Total'), h('td', { 'data-total': q.total.minor }, moneyOf(q.total)))));
}
