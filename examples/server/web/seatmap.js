// Draws a seat map from the layout positions: x is the column (aisles are gaps), y the row
// position (sections are separated by an empty row). Seats are buttons with one tab stop for the
// whole map (roving tabindex) and arrow keys between seats; each is announced with its label,
// category, price and status. The same drawing, without buttons, previews a layout for admins.

import { h } from './dom.js';
import { moneyOf } from './format.js';

const STATUS_WORDS = {
  available: 'available',
  held: 'held, unavailable',
  pending: 'booked, awaiting payment, unavailable',
  booked: 'booked, unavailable',
  blocked: 'not for sale',
};

/** The house categories keep their colours on every screen; others take the next ones. */
const KNOWN_CATEGORIES = ['standard', 'premium', 'vip'];

/** The colour class of category `name` among `names` (the layout's categories). */
export function categoryClass(name, names) {
  const known = KNOWN_CATEGORIES.indexOf(name);
  if (known >= 0) return `cat-${known}`;
  const others = names.filter((n) => !KNOWN_CATEGORIES.includes(n));
  return `cat-${KNOWN_CATEGORIES.length + (Math.max(0, others.indexOf(name)) % (8 - KNOWN_CATEGORIES.length))}`;
}

/** The seat's number as printed on it: its label without the row name. */
function seatNumber(seat) {
  return seat.row && seat.label.startsWith(seat.row) ? seat.label.slice(seat.row.length) : seat.label;
}

/** Words a screen reader says for a seat: "F7, standard, 8.50 EUR, available". */
export function describeSeat(seat, { selected = false, mine = false } = {}) {
  let status = STATUS_WORDS[seat.status] || seat.status;
  if (mine && seat.status === 'held') status = 'held for you';
  if (mine && (seat.status === 'booked' || seat.status === 'pending')) status = 'booked by you';
  if (selected && seat.status === 'available') status = 'selected';
  const parts = [seat.label, seat.category, moneyOf(seat.price), status];
  if (seat.flags.wheelchair) parts.push('wheelchair space');
  if (seat.flags.companion) parts.push('companion seat');
  if (seat.pair?.length) parts.push(`loveseat with ${seat.pair.join(' and ')}`);
  return parts.join(', ');
}

/** A seat without price or status, for a layout preview: "A1, standard, wheelchair space". */
function seatFacts(seat) {
  const parts = [seat.label, seat.category];
  if (seat.flags.wheelchair) parts.push('wheelchair space');
  if (seat.flags.companion) parts.push('companion seat');
  if (seat.flags.blocked) parts.push('not for sale');
  if (seat.pair === true || seat.pair?.length) parts.push('loveseat');
  return parts.join(', ');
}

/** Grid geometry: bounds of the seats and the first row position of each section. */
function geometry(seats) {
  const placed = seats.filter((s) => !s.flags.general_admission);
  const xs = placed.map((s) => s.x);
  const ys = placed.map((s) => s.y);
  const g = {
    minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys),
    rows: new Map(), // y -> row name
    sections: new Map(), // section name -> first y
  };
  for (const s of placed) {
    if (!g.rows.has(s.y)) g.rows.set(s.y, s.row);
    if (s.section && !(g.sections.has(s.section) && g.sections.get(s.section) <= s.y)) g.sections.set(s.section, s.y);
  }
  return g;
}

function place(el, row, col) {
  // CSSOM from script is allowed by the CSP (style attributes in markup are not).
  el.style.gridRow = String(row);
  el.style.gridColumn = String(col);
}

/**
 * Draws `seats` into a new element.
 * - `categories`: names in legend order (their index picks the colour class).
 * - `interactive`: buttons with `onToggle(label)`; otherwise a static picture.
 * - `isSelected(label)`, `isMine(label)`: the page's state, read on every refresh.
 */
export function createSeatMap({ seats, categories, interactive = true, onToggle, isSelected = () => false, isMine = () => false, label = 'Seat map' }) {
  const bySeat = new Map(seats.map((s) => [s.label, s]));
  const els = new Map();
  const placed = seats.filter((s) => !s.flags.general_admission);
  const g = placed.length ? geometry(seats) : null;
  const grid = h('div', { class: 'seat-grid', role: interactive ? 'group' : null, 'aria-label': interactive ? label : null });
  const root = h('div', { class: 'seatmap' }, h('div', { class: 'screen', 'aria-hidden': 'true' }, 'Screen'), h('div', { class: 'seat-scroll' }, grid));

  if (g) {
    const cols = g.maxX - g.minX + 1;
    grid.style.setProperty('--cols', String(cols + 2));
    // Grid row 1 is kept for the first section's name; row y sits at y - minY + 2.
    const occupied = new Set(placed.map((s) => s.y));
    for (const [name, y] of g.sections) {
      const gapFree = y === g.minY || !occupied.has(y - 1);
      if (!gapFree || g.sections.size < 2) continue;
      const cap = h('div', { class: 'section-name', 'aria-hidden': 'true' }, name);
      place(cap, y - g.minY + 1, `1 / span ${cols + 2}`);
      grid.append(cap);
    }
    for (const [y, name] of g.rows) {
      for (const col of [1, cols + 2]) {
        const l = h('span', { class: 'row-name', 'aria-hidden': 'true' }, name);
        place(l, y - g.minY + 2, col);
        grid.append(l);
      }
    }
  }

  for (const seat of seats) {
    const el = interactive
      ? h('button', { type: 'button', class: 'seat', 'data-label': seat.label, tabindex: '-1' })
      : h('span', { class: 'seat', 'data-label': seat.label });
    // The whole label is printed, the row small: the name read out ("F7, ...") then starts
    // with what is seen, and the row stays visible when a phone scrolls the map sideways.
    const num = seatNumber(seat);
    if (seat.flags.wheelchair) el.append(h('span', { class: 'seat-icon', 'aria-hidden': 'true' }, '♿'));
    else if (num !== seat.label) el.append(h('span', { class: 'seat-row' }, seat.label.slice(0, -num.length)), num);
    else el.append(num);
    el.classList.add(categoryClass(seat.category, categories));
    if (seat.flags.wheelchair) el.classList.add('wc');
    if (seat.flags.companion) el.classList.add('comp');
    for (const p of pairPartners(seat, bySeat)) el.classList.add(p.x > seat.x ? 'pair-l' : 'pair-r');
    if (seat.pair === true) el.classList.add('pair-any');
    if (!seat.flags.general_admission) place(el, seat.y - g.minY + 2, seat.x - g.minX + 2);
    els.set(seat.label, el);
  }
  grid.append(...placed.map((s) => els.get(s.label)));
  const zones = groupZones(seats.filter((s) => s.flags.general_admission), els);
  if (zones) root.append(zones);

  function refresh(labels) {
    for (const l of labels || bySeat.keys()) {
      const seat = bySeat.get(l);
      const el = els.get(l);
      if (!seat || !el) continue;
      const selected = isSelected(l);
      const mine = isMine(l);
      el.classList.remove('st-available', 'st-held', 'st-pending', 'st-booked', 'st-blocked');
      el.classList.add(`st-${seat.flags.blocked ? 'blocked' : seat.status}`);
      el.classList.toggle('sel', selected);
      el.classList.toggle('mine', mine);
      if (interactive) {
        el.setAttribute('aria-label', describeSeat(seat, { selected, mine }));
        el.setAttribute('aria-pressed', String(selected));
        // Unavailable seats stay focusable, so keyboard users hear their status too.
        el.setAttribute('aria-disabled', String(seat.status !== 'available' && !selected));
      } else {
        el.title = seatFacts(seat);
      }
    }
  }

  if (interactive) wireKeyboard(grid, root, seats, els, bySeat, onToggle);
  refresh();
  return { el: root, refresh, element: (l) => els.get(l) };
}

function pairPartners(seat, bySeat) {
  // Seat maps list partners by label; a layout preview only says whether a seat is in a pair,
  // so there the neighbours in the same row that are in a pair stand in.
  if (Array.isArray(seat.pair)) {
    return seat.pair.map((l) => bySeat.get(l)).filter((p) => p && p.y === seat.y && Math.abs(p.x - seat.x) === 1);
  }
  return [];
}

function groupZones(places, els) {
  if (!places.length) return null;
  const wrap = h('div', { class: 'zones' });
  const bySection = new Map();
  for (const p of places) {
    const name = p.section || 'Standing';
    if (!bySection.has(name)) bySection.set(name, []);
    bySection.get(name).push(p);
  }
  for (const [name, list] of bySection) {
    wrap.append(h('div', { class: 'zone' }, h('h3', {}, `${name} (standing)`), h('div', { class: 'zone-places' }, list.map((p) => els.get(p.label)))));
  }
  return wrap;
}

/** Rows of seats for arrow keys: sorted by y, each sorted by x. */
function keyRows(seats) {
  const rows = new Map();
  for (const s of seats) {
    const key = s.flags.general_admission ? `ga:${s.section}` : `y:${s.y}`;
    if (!rows.has(key)) rows.set(key, { y: s.flags.general_admission ? Infinity : s.y, seats: [] });
    rows.get(key).seats.push(s);
  }
  const list = [...rows.values()].sort((a, b) => a.y - b.y);
  for (const r of list) r.seats.sort((a, b) => a.x - b.x);
  return list;
}

function wireKeyboard(grid, root, seats, els, bySeat, onToggle) {
  const rows = keyRows(seats);
  const where = new Map();
  rows.forEach((r, ri) => r.seats.forEach((s, si) => where.set(s.label, [ri, si])));
  let current = (seats.find((s) => s.status === 'available') || seats[0])?.label;
  if (current) els.get(current).tabIndex = 0;

  function move(label) {
    if (!label) return;
    if (current && els.get(current)) els.get(current).tabIndex = -1;
    current = label;
    const el = els.get(label);
    el.tabIndex = 0;
    el.focus();
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  function nearestIn(row, x) {
    let best = row.seats[0];
    for (const s of row.seats) if (Math.abs(s.x - x) < Math.abs(best.x - x)) best = s;
    return best.label;
  }

  root.addEventListener('click', (e) => {
    const el = e.target.closest('.seat[data-label]');
    if (!el || !root.contains(el)) return;
    move(el.dataset.label);
    onToggle?.(el.dataset.label);
  });

  root.addEventListener('keydown', (e) => {
    const el = e.target.closest('.seat[data-label]');
    if (!el) return;
    const [ri, si] = where.get(el.dataset.label);
    const row = rows[ri];
    const x = bySeat.get(el.dataset.label).x;
    const target = {
      ArrowLeft: () => row.seats[si - 1]?.label,
      ArrowRight: () => row.seats[si + 1]?.label,
      ArrowUp: () => rows[ri - 1] && nearestIn(rows[ri - 1], x),
      ArrowDown: () => rows[ri + 1] && nearestIn(rows[ri + 1], x),
      Home: () => (e.ctrlKey ? rows[0].seats[0] : row.seats[0]).label,
      End: () => { const r = e.ctrlKey ? rows[rows.length - 1] : row; return r.seats[r.seats.length - 1].label; },
    }[e.key];
    if (!target) return;
    e.preventDefault();
    move(target());
  });

  // Focus entering the map from elsewhere lands on the roving seat; remember clicks too.
  grid.addEventListener('focusin', (e) => {
    const el = e.target.closest('.seat[data-label]');
    if (el && el.dataset.label !== current) {
      if (current && els.get(current)) els.get(current).tabIndex = -1;
      current = el.dataset.label;
      el.tabIndex = 0;
    }
  });
}

/** The legend: categories with their colour and price, and the symbols and states. */
export function legend(categories, { interactive = true } = {}) {
  const names = categories.map((c) => c.name);
  const cats = categories.map((c) => h('li', {},
    h('span', { class: `swatch seat ${categoryClass(c.name, names)} st-available`, 'aria-hidden': 'true' }),
    h('span', {}, c.name, c.price !== undefined ? h('span', { class: 'price' }, ` ${moneyOf(c.price)}`) : null)));
  const keys = [
    ['st-available sel', '', 'Selected'],
    ['st-held', '', 'Taken'],
    ['st-available mine', '', 'Yours'],
    ['st-blocked', '', 'Not for sale'],
    ['st-available wc', '♿', 'Wheelchair space'],
    ['st-available comp', '', 'Companion seat'],
    ['st-available pair-l', '', 'Loveseat (sold in pairs)'],
  ].filter((k) => interactive || !['Selected', 'Taken', 'Yours'].includes(k[2]));
  return h('div', { class: 'legend' },
    h('h3', { class: 'sr-only' }, 'Legend'),
    h('ul', { class: 'legend-cats', 'aria-label': 'Seat categories' }, cats),
    h('ul', { class: 'legend-keys', 'aria-label': 'Symbols' },
      keys.map(([cls, glyph, text]) => h('li', {}, h('span', { class: `swatch seat cat-0 ${cls}`, 'aria-hidden': 'true' }, glyph), text))));
}

