// Charts as inline SVG built here (no chart library): horizontal bars and columns. Each comes
// with its numbers as a table, for screen readers and for anyone who wants the exact values.

import { h, s } from './dom.js';

const W = 640;
/** Room at the end of the longest bar for its value text. */
const VALUE_ROOM = 170;
/** Widest column, so that one period does not fill the whole chart. */
const COLUMN_MAX = 56;

function dataTable(rows, headers) {
  return h('details', { class: 'chart-data' }, h('summary', {}, 'Show the numbers'),
    h('table', {}, h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', {}, r.text))))));
}

/**
 * Horizontal bars: `rows` of `{label, value, text}`, `max` the full length (default the
 * largest value). One bar per row, its text at its end.
 */
export function barChart({ title, rows, max, valueHeader = 'Value' }) {
  const labelW = 230;
  const rowH = 26;
  const top = Math.max(max ?? 0, ...rows.map((r) => r.value), 1);
  const height = rows.length * rowH + 8;
  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, class: 'chart', role: 'img', 'aria-label': `${title}: ${rows.map((r) => `${r.label} ${r.text}`).join('; ')}` });
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    const len = Math.max(1, ((W - labelW - VALUE_ROOM) * Math.max(0, r.value)) / top);
    svg.append(
      s('text', { x: labelW - 8, y: y + rowH / 2 + 4, class: 'chart-label', 'text-anchor': 'end' }, clip(r.label, 34)),
      s('rect', { x: labelW, y: y + 3, width: len.toFixed(1), height: rowH - 8, rx: 3, class: 'chart-bar' }, s('title', {}, `${r.label}: ${r.text}`)),
      s('text', { x: labelW + len + 6, y: y + rowH / 2 + 4, class: 'chart-value' }, r.text));
  });
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), rows.length ? svg : h('p', { class: 'muted' }, 'No data yet.'),
    rows.length ? dataTable(rows, ['', valueHeader]) : null);
}

/** Columns over time: `rows` of `{label, value, text}` in order; values may be negative. */
export function columnChart({ title, rows, valueHeader = 'Value', format = String }) {
  const height = 240;
  const left = 70;
  const bottom = 40;
  const plotH = height - bottom - 12;
  const hi = Math.max(0, ...rows.map((r) => r.value));
  const lo = Math.min(0, ...rows.map((r) => r.value));
  const span = hi - lo || 1;
  const yOf = (v) => 12 + ((hi - v) / span) * plotH;
  const step = (W - left - 10) / Math.max(rows.length, 1);
  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, class: 'chart', role: 'img', 'aria-label': `${title}: ${rows.map((r) => `${r.label} ${r.text}`).join('; ')}` });
  for (const v of [hi, (hi + lo) / 2, lo]) {
    svg.append(s('line', { x1: left, x2: W - 10, y1: yOf(v), y2: yOf(v), class: 'chart-grid' }),
      s('text', { x: left - 6, y: yOf(v) + 4, 'text-anchor': 'end', class: 'chart-axis' }, format(Math.round(v))));
  }
  const every = Math.ceil(rows.length / 10); // at most ten labels under the axis
  rows.forEach((r, i) => {
    const width = Math.min(step * 0.7, COLUMN_MAX);
    const x = left + i * step + (step - width) / 2;
    const y0 = yOf(0);
    const y1 = yOf(r.value);
    svg.append(s('rect', { x: x.toFixed(1), y: Math.min(y0, y1).toFixed(1), width: width.toFixed(1), height: Math.max(1, Math.abs(y1 - y0)).toFixed(1), class: r.value < 0 ? 'chart-bar neg' : 'chart-bar' },
      s('title', {}, `${r.label}: ${r.text}`)));
    if (i % every === 0) {
      svg.append(s('text', { x: (x + width / 2).toFixed(1), y: height - bottom + 16, 'text-anchor': 'middle', class: 'chart-axis' }, r.label));
    }
  });
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), rows.length ? svg : h('p', { class: 'muted' }, 'No sales yet.'),
    rows.length ? dataTable(rows, ['', valueHeader]) : null);
}

function clip(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
