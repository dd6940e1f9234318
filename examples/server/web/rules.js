// The selection rules the server enforces when seats are held (core/src/selection.rs), checked
// here first so that the page can explain a refusal in words before sending anything. The server
// stays the arbiter: these functions mirror its rules exactly, they do not replace them.
//
// `seats` is the seat map's list, in layout order; `selected` a Set of labels.

const UNAVAILABLE = new Set(['held', 'pending', 'booked', 'blocked']);

/** Partners of selected loveseats that are not selected (a pair is sold whole or not at all). */
export function missingPartners(seats, selected) {
  const missing = new Set();
  for (const s of seats) {
    if (!selected.has(s.label)) continue;
    for (const p of s.pair) if (!selected.has(p)) missing.add(p);
  }
  return seats.filter((s) => missing.has(s.label)).map((s) => s.label);
}

/** Seat rows: runs of consecutive seats (layout order) sharing row and position. */
function rowsOf(seats) {
  const rows = [];
  let key = null;
  for (const s of seats) {
    if (s.flags.general_admission) { key = null; continue; } // places of a zone are exempt
    const k = `${s.section}\u0000${s.row}\u0000${s.y}`;
    if (k !== key) { rows.push([]); key = k; }
    rows[rows.length - 1].push(s);
  }
  return rows;
}

/**
 * Seats the selection would strand: the no-orphan rule. A run is a maximal stretch of seats of
 * one row, side by side (x one apart, so an aisle ends it), free before the selection. For each
 * run the selection takes k seats from, the seats it leaves may not include a stretch of exactly
 * one, unless any k seats of that run would leave one (run length - k = 1).
 */
export function strandedSeats(seats, selected) {
  const free = (s) => !s.flags.blocked && (selected.has(s.label) || !UNAVAILABLE.has(s.status));
  const stranded = [];
  for (const row of rowsOf(seats)) {
    if (!row.some((s) => selected.has(s.label))) continue;
    let run = [];
    const flush = () => { checkRun(run, selected, stranded); run = []; };
    row.forEach((s, i) => {
      if (!free(s)) { flush(); return; }
      if (run.length && s.x - row[i - 1].x !== 1) flush();
      run.push(s);
    });
    flush();
  }
  return stranded;
}

function checkRun(run, selected, stranded) {
  const k = run.filter((s) => selected.has(s.label)).length;
  if (k === 0 || run.length - k === 1) return;
  let left = 0;
  run.forEach((s, i) => {
    if (selected.has(s.label)) {
      if (left === 1) stranded.push(run[i - 1].label);
      left = 0;
    } else {
      left += 1;
    }
  });
  if (left === 1) stranded.push(run[run.length - 1].label);
}

function list(labels) {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/**
 * What is wrong with a selection, in words: `[{rule, seats, text}]` (empty when it may be held).
 * `noOrphan` is the show's flag; pairs are checked on every show.
 */
export function explain(seats, selected, noOrphan) {
  const problems = [];
  const missing = missingPartners(seats, selected);
  if (missing.length) {
    const bySeat = new Map(seats.map((s) => [s.label, s]));
    const chosen = [...selected].filter((l) => bySeat.get(l)?.pair.some((p) => missing.includes(p)));
    problems.push({
      rule: 'pair_split',
      seats: missing,
      text: `${list(chosen)} ${chosen.length > 1 ? 'are loveseats' : 'is a loveseat'}, sold only together with `
        + `${list(missing)}. Add ${list(missing)} to your selection, or remove ${list(chosen)}.`,
    });
  }
  if (noOrphan) {
    const stranded = strandedSeats(seats, selected);
    if (stranded.length) {
      const one = stranded.length === 1;
      problems.push({
        rule: 'orphan_seat',
        seats: stranded,
        text: `${one ? 'Seat' : 'Seats'} ${list(stranded)} would be left empty on ${one ? 'its' : 'their'} own, `
          + 'with no neighbour free beside it. This show does not sell a selection that strands a single seat '
          + 'between taken seats, an aisle or the end of a row. Include '
          + `${list(stranded)}, or move your selection one seat along.`,
      });
    }
  }
  return problems;
}

/** Words for a refusal the server sent anyway (422 SELECTION_RULE). */
export function explainRefusal(details) {
  const seats = details?.seats || [];
  if (details?.rule === 'pair_split') {
    return `Loveseats are sold in pairs: add ${list(seats)} to your selection, or remove its partner.`;
  }
  if (details?.rule === 'accessible_only') {
    return `${list(seats)} ${seats.length > 1 ? 'are' : 'is'} kept for customers who need a wheelchair place. `
      + 'Tick “I need a wheelchair place” if you do, or choose other seats.';
  }
  if (details?.rule === 'companion_alone') {
    return `A companion seat goes with the wheelchair place beside it: add that place to your selection, or choose another seat than ${list(seats)}.`;
  }
  return `This selection would leave ${list(seats)} empty on ${seats.length > 1 ? 'their' : 'its'} own. `
    + 'Choose seats that leave no single seat stranded.';
}
