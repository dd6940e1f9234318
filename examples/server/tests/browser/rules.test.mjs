// The page's copy of the selection rules (web/rules.js) against the rule as the server states it
// (core/src/selection.rs): the same brute force over every small row, plus aisles and pairs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strandedSeats, missingPartners, explain } from '../../web/rules.js';

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
