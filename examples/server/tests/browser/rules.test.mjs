// The page's copy of the selection rules (web/rules.js) against core's (core/src/selection.rs):
// the test vectors core generates (rule-vectors.json, from tests/rule_vectors.rs, which fails
// when they are stale), then the same brute force over every row of 7, aisles and pairs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { strandedSeats, missingPartners, explain, explainRefusal } from '../../web/rules.js';

const vectors = JSON.parse(readFileSync(new URL('./rule-vectors.json', import.meta.url), 'utf8'));

/** A layout's seats as the page holds them (api.js getSeatMap), with the case's seats taken. */
function seatsOf(layout, taken) {
  const flags = (names) => Object.fromEntries(['wheelchair', 'companion', 'blocked', 'general_admission'].map((f) => [f, names.includes(f)]));
  return layout.seats.map((s) => ({
    ...s, flags: flags(s.flags), pair: s.pair ?? [],
    status: s.flags.includes('blocked') ? 'blocked' : taken.includes(s.label) ? 'held' : 'available',
  }));
}

test('rules.js finds exactly the problems core finds, on every vector core generated', () => {
  const layouts = new Map(vectors.layouts.map((l) => [l.name, l]));
  assert.ok(vectors.cases.length > 900, `${vectors.cases.length} cases`);
  for (const c of vectors.cases) {
    const seats = seatsOf(layouts.get(c.layout), c.taken);
    const found = explain(seats, new Set(c.selected), c.no_orphan).map(({ rule, seats }) => ({ rule, seats }));
    assert.deepEqual(found, c.problems, JSON.stringify(c));
  }
});

test('the words for a refusal name every seat of core’s refusal', () => {
  const refusals = vectors.cases.filter((c) => c.refusal);
  assert.ok(refusals.length > 50 && refusals.some((c) => c.refusal.details.rule === 'pair_split'));
  for (const { refusal } of refusals) {
    assert.equal(refusal.code, 'SELECTION_RULE');
    const words = explainRefusal(refusal.details);
    for (const seat of refusal.details.seats) assert.ok(words.includes(seat), `${words} / ${JSON.stringify(refusal)}`);
  }
});

/** A row A of `n` seats; `gapsAfter` puts an aisle after those numbers; `taken` a bit mask. */
function row(n, { taken = 0, gapsAfter = [], pairs = [] } = {}) {
  let x = 0;
  const seats = [];
  for (let i = 0; i < n; i++) {
    x += 1;
    const label = `A${i + 1}`;
    const pair = pairs.find((p) => p.includes(label))?.filter((l) => l !== label) || [];
    seats.push({ label, row: 'A', section: 'Main', x, y: 0, flags: { blocked: false, general_admission: false }, pair, status: taken & (1 << i) ? 'held' : 'available' });
    if (gapsAfter.includes(i + 1)) x += 1;
  }
  return seats;
}

const sel = (mask, n) => new Set(Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i)).map((i) => `A${i + 1}`));

/** The brute force of selection.rs: orphan iff a run's rest has a lone seat where avoidable. */
function brute(taken, selected, n) {
  const runs = [];
  for (let i = 0; i < n;) {
    if (taken & (1 << i)) { i += 1; continue; }
    const a = i;
    while (i < n && !(taken & (1 << i))) i += 1;
    runs.push([a, i]);
  }
  const occupied = taken | selected;
  const lone = (a, b) => {
    for (let i = a; i < b; i++) {
      if (occupied & (1 << i)) continue;
      if ((i === a || occupied & (1 << (i - 1))) && (i + 1 === b || occupied & (1 << (i + 1)))) return true;
    }
    return false;
  };
  return runs.every(([a, b]) => {
    let k = 0;
    for (let i = a; i < b; i++) if (selected & (1 << i)) k += 1;
    return k === 0 || b - a - k === 1 || !lone(a, b);
  });
}

test('the no-orphan rule agrees with the server’s brute force on every row of 7', () => {
  for (let taken = 0; taken < 128; taken++) {
    const seats = row(7, { taken });
    for (let s = 1; s < 128; s++) {
      if (taken & s) continue;
      assert.equal(strandedSeats(seats, sel(s, 7)).length === 0, brute(taken, s, 7), `taken ${taken.toString(2)} sel ${s.toString(2)}`);
    }
  }
});

test('an aisle ends a run, as a taken seat does', () => {
  const seats = row(9, { gapsAfter: [6] }); // A1-A6 _ A7-A9
  assert.deepEqual(strandedSeats(seats, new Set(['A2'])), ['A1']);
  assert.deepEqual(strandedSeats(seats, new Set(['A1', 'A2'])), []);
  assert.deepEqual(strandedSeats(seats, new Set(['A8'])), ['A7', 'A9']);
  assert.deepEqual(strandedSeats(seats, new Set(['A7', 'A8'])), [], 'a run of 3 taking 2 always leaves one');
});

test('loveseats go whole or not at all, and the words say which seat to add', () => {
  const seats = row(4, { pairs: [['A2', 'A3']] });
  assert.deepEqual(missingPartners(seats, new Set(['A2'])), ['A3']);
  assert.deepEqual(missingPartners(seats, new Set(['A2', 'A3'])), []);
  const [p] = explain(seats, new Set(['A2']), false);
  assert.equal(p.rule, 'pair_split');
  assert.match(p.text, /A2 is a loveseat, sold only together with A3\. Add A3/);
  assert.deepEqual(explain(row(6), new Set(['A2']), false), [], 'no orphan check when the show has none');
  assert.equal(explain(row(6), new Set(['A2']), true)[0].rule, 'orphan_seat');
});
