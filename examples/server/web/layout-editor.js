// The layout text editor of the admin page: line numbers, a live preview drawn by the server's
// own parser (POST /v1/admin/layouts/preview), and every problem shown at its line.

import { h, fill } from './dom.js';
import { post } from './api.js';
import { createSeatMap, legend } from './seatmap.js';

const PREVIEW_DELAY_MS = 300;

export const SAMPLE_LAYOUT = `layout "Sala Nova"
section Stalls category=standard
row A: w1 c2 3-6 _ 7-10
row B: 1-6 _ 7-10
row C: 1-6 _ 7-10@premium
section Back category=premium
row D category=vip: (1 2) (3 4) _ (5 6) x7
`;

/** A seat of the preview as the seat map draws it (the preview has no status, row or price). */
function asSeat(p) {
  return {
    ...p, row: p.label.replace(/\d+$/, ''), section: '', status: p.flags.blocked ? 'blocked' : 'available',
  };
}

function summary(r) {
  const count = (f) => r.seats.filter(f).length;
  const rows = new Set(r.seats.filter((s) => !s.flags.general_admission).map((s) => s.y)).size;
  const cats = r.categories.map((c) => `${c} (${count((s) => s.category === c)})`).join(', ');
  const extras = [
    [count((s) => s.flags.wheelchair), 'wheelchair space'], [count((s) => s.flags.companion), 'companion seat'],
    [count((s) => (Array.isArray(s.pair) ? s.pair.length > 0 : s.pair)), 'loveseat'], [count((s) => s.flags.blocked), 'blocked seat'],
    [count((s) => s.flags.general_admission), 'standing place'],
  ].filter(([n]) => n).map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`);
  return `${r.count} seats in ${rows} row${rows === 1 ? '' : 's'}. Categories: ${cats}.${extras.length ? ` ${extras.join(', ')}.` : ''}`;
}

/**
 * An editor for layout text. `onState({valid, count})` is called after every check, so the
 * form can enable its submit button.
 */
export function layoutEditor({ initial = SAMPLE_LAYOUT, onState } = {}) {
  const text = h('textarea', {
    id: 'layout-text', class: 'code', rows: '12', spellcheck: 'false', wrap: 'off', autocapitalize: 'off',
    'aria-describedby': 'layout-help layout-status layout-issues',
  });
  text.value = initial;
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const status = h('p', { id: 'layout-status', class: 'layout-status', role: 'status' });
  const issues = h('ul', { id: 'layout-issues', class: 'issues' });
  const preview = h('figure', { class: 'preview' });
  const help = h('p', { id: 'layout-help', class: 'hint' },
    'One row per line: "row A: 1-4 _ 5-12" (_ is an aisle). w wheelchair, c companion, x blocked, (5 6) loveseat pair, @vip category of a seat, "section Name category=standard" starts a section.');

  let marked = new Set();
  function drawGutter() {
    const n = text.value.split('\n').length;
    if (gutter.childElementCount !== n) {
      fill(gutter, Array.from({ length: n }, (_, i) => h('span', { 'data-line': String(i + 1) }, String(i + 1))));
    }
    for (const l of marked) gutter.querySelector(`[data-line="${l}"]`)?.classList.add('err');
    gutter.scrollTop = text.scrollTop;
  }

  /** Selects line `n` of the text and puts the caret there. */
  function goToLine(n, column = 1) {
    const lines = text.value.split('\n');
    let start = 0;
    for (let i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
    text.focus();
    text.setSelectionRange(start + Math.max(0, column - 1), start + (lines[n - 1] || '').length);
  }

  function showIssues(list) {
    marked = new Set(list.map((i) => i.line).filter((l) => l > 0));
    gutter.querySelectorAll('.err').forEach((e) => e.classList.remove('err'));
    drawGutter();
    text.setAttribute('aria-invalid', String(list.length > 0));
    fill(issues, list.map((i) => h('li', { 'data-line': String(i.line) },
      h('button', { type: 'button', class: 'linkish', onclick: () => goToLine(i.line, i.column) },
        i.line > 0 ? `Line ${i.line}, column ${i.column}: ` : '', i.message))));
  }

  let timer = 0;
  let seq = 0;
  async function check() {
    const mine = ++seq;
    status.textContent = 'Checking…';
    try {
      const r = await post('/v1/admin/layouts/preview', { layout_text: text.value });
      if (mine !== seq) return;
      showIssues([]);
      status.textContent = `Valid layout: ${r.count} seats.`;
      status.className = 'layout-status ok';
      const map = createSeatMap({ seats: r.seats.map(asSeat), categories: r.categories, interactive: false });
      map.el.querySelector('.seat-grid').setAttribute('aria-hidden', 'true');
      fill(preview, h('figcaption', {}, summary(r)), map.el, legend(r.categories.map((c) => ({ name: c })), { interactive: false }));
      onState?.({ valid: true, count: r.count });
    } catch (e) {
      if (mine !== seq) return;
      const list = e.details?.issues || [{ line: 0, column: 0, message: e.message }];
      showIssues(list);
      status.textContent = e.code === 'INVALID_LAYOUT'
        ? `${list.length} problem${list.length === 1 ? '' : 's'} in the layout.` : e.message;
      status.className = 'layout-status bad';
      fill(preview, h('figcaption', { class: 'muted' }, 'The preview shows once the layout is valid.'));
      onState?.({ valid: false });
    }
  }

  text.addEventListener('input', () => {
    drawGutter();
    clearTimeout(timer);
    timer = setTimeout(check, PREVIEW_DELAY_MS);
  });
  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  drawGutter();
  check();

  const el = h('div', { class: 'layout-editor' },
    h('label', { for: 'layout-text' }, 'Layout'),
    help,
    h('div', { class: 'editor' }, gutter, text),
    status,
    issues,
    preview);
  return { el, value: () => text.value, showIssues, check };
}
