// Admin analytics: occupancy per show, revenue per period, sales per movie and per theatre.

import { h, fill } from './dom.js';
import { get } from './api.js';
import { money, percentBp, shortDateTime } from './format.js';
import { barChart, columnChart } from './charts.js';

/** Most shows in the occupancy chart. */
const OCCUPANCY_ROWS_MAX = 12;

export async function analyticsSection() {
  const period = h('select', { id: 'an-period' },
    h('option', { value: 'day' }, 'per day'), h('option', { value: 'week' }, 'per week'), h('option', { value: 'month' }, 'per month'));
  const body = h('div', { class: 'charts' });
  const refresh = h('button', { type: 'button', class: 'small' }, 'Refresh');
  const section = h('section', { class: 'card', id: 'admin-analytics', 'aria-labelledby': 'admin-analytics-title' },
    h('div', { class: 'section-head' }, h('h2', { id: 'admin-analytics-title' }, 'Analytics'),
      h('label', { for: 'an-period' }, 'Revenue period'), period, refresh),
    body);
  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      fill(body, ...(await charts(period.value)));
    } catch (e) {
      fill(body, h('p', { class: 'msg msg-error', role: 'alert' }, e.message));
    }
    body.setAttribute('aria-busy', 'false');
  }
  period.addEventListener('change', load);
  refresh.addEventListener('click', load);
  await load();
  return section;
}

async function charts(period) {
  const [occupancy, revenue, movies, theatres] = await Promise.all([
    get('/v1/admin/analytics/occupancy'), get(`/v1/admin/analytics/revenue?period=${period}`),
    get('/v1/admin/analytics/top-movies'), get('/v1/admin/analytics/theatres'),
  ]);
  // The charts' axis speaks one currency: the revenue rows' own when they share one.
  const currencies = [...new Map(revenue.map((r) => [r.currency, r])).values()];
  const cur = currencies.length === 1 ? currencies[0] : null;
  const total = (row) => (row.currency ? money(row.net_minor, row.currency, row.exponent) : `${row.net_minor} (minor units)`);
  const busiest = [...occupancy].sort((a, b) => b.occupancy_bp - a.occupancy_bp || a.starts_at.localeCompare(b.starts_at)).slice(0, OCCUPANCY_ROWS_MAX);
  return [
    barChart({
      title: `Occupancy: the ${busiest.length} fullest shows`,
      max: 10_000,
      valueHeader: 'Seats sold',
      rows: busiest.map((o) => ({
        label: `${o.title}, ${shortDateTime(o.starts_at)}`, value: o.occupancy_bp,
        text: `${percentBp(o.occupancy_bp)} (${o.seats_sold}/${o.seats_sellable})`,
      })),
    }),
    columnChart({
      title: `Net revenue ${period === 'day' ? 'per day' : `per ${period}`}`,
      valueHeader: 'Net revenue',
      format: (v) => (cur ? money(v, cur.currency, cur.exponent) : String(v)),
      rows: revenue.map((r) => ({
        label: r.period_start.slice(5), value: r.net_minor,
        text: `${money(r.net_minor, r.currency, r.exponent)} (${r.confirmations} paid, ${r.refunds} refunded)`,
      })),
    }),
    barChart({
      title: 'Revenue by movie', valueHeader: 'Net revenue',
      rows: movies.map((m) => ({ label: m.name, value: m.net_minor, text: `${total(m)} · ${m.tickets} tickets` })),
    }),
    barChart({
      title: 'Revenue by theatre', valueHeader: 'Net revenue',
      rows: theatres.map((t) => ({ label: t.name, value: t.net_minor, text: `${total(t)} · ${t.tickets} tickets` })),
    }),
  ];
}
