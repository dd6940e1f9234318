// The binding's argument decoding, fuzzed: every method of Engine and every function of the
// module, called with arbitrary JavaScript values (wrong types, NaN, huge and negative numbers,
// BigInts, Symbols, functions, invalid Dates, deep and cyclic objects, strings with NUL bytes),
// mixed with values that are right, from a seeded generator. Whatever the values: the process
// lives, a call answers or fails with an Error (a BookingError with a stable code and its details,
// or the binding's own type error before the engine), and a refused call leaves the show's log as
// it was (its head did not move). BOOKING_FUZZ_CALLS sets how many calls (scripts/fuzz-long runs millions);
// BOOKING_FUZZ_SEED replays a run.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { bc, openEngine, setUp } from './helpers.mjs'

const CALLS = Number(process.env.BOOKING_FUZZ_CALLS ?? 4000)
const SEED = Number(process.env.BOOKING_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32))

/** The stable codes, from the declaration every BookingError's `code` is typed with. */
const CODES = new Set(
  [...readFileSync(new URL('../types-header.d.ts', import.meta.url), 'utf8')
    .split('export type ErrorCode =')[1]
    .split('\n\n')[0]
    .matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]),
)

/** mulberry32: small, seeded, good enough to choose values. */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIELDS = ['label', 'ticketType', 'seats', 'show', 'screen', 'title', 'startsAt', 'endsAt', 'category',
  'zone', 'quantity', 'places', 'accessible', 'count', 'promoCode', 'owner', 'fence', 'theatre', 'includeCancelled', 'after',
  'signingKey', 'databaseUrl', 'holdTtlMs', 'name', 'sections', 'rows', 'currency', '__proto__', 'constructor']

function values(random, stage) {
  const pick = (xs) => xs[Math.floor(random() * xs.length)]
  const atoms = [
    undefined, null, true, false, 0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53,
    2 ** 53 + 2, -(2 ** 63), Number.MAX_VALUE, 10n, -1n, 2n ** 64n, '', 'A1', 'A2', 'Z99', 'ann', 'bob',
    'x'.repeat(100_000), '\u0000', '🎭'.repeat(40), 'T2.1.2.3.abcd.sig', 'EUR', 'standard', 'Europe/Paris',
    'row A: 1-4', new Date(NaN), new Date(8.64e15), new Date('2030-01-02T20:00:00Z'), Symbol('s'), () => 1,
    Buffer.alloc(32, 7), new Uint8Array(3), [], {}, stage.show.id, stage.hold.id, stage.booking.id,
    stage.theatre.id, stage.screen.id, stage.show.startsAt, ['A1'], [{ label: 'A3', ticketType: 'adult' }],
  ]
  const value = (depth) => {
    const r = random()
    if (depth > 3 || r < 0.6) return pick(atoms)
    if (r < 0.8) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))
    const o = {}
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      // Own properties, `__proto__` included, as JSON.parse would make them.
      Object.defineProperty(o, pick(FIELDS), { value: value(depth + 1), enumerable: true, writable: true, configurable: true })
    }
    if (random() < 0.05) o.self = o
    return o
  }
  return value
}

/** A right call of each method worth mutating, by name. */
function valid({ theatre, show, hold, booking }) {
  return {
    hold: [show.id, 'bob', ['A3', { label: 'A4', ticketType: 'adult' }], undefined],
    quote: [show.id, ['A3'], 'PROMO'],
    bestAvailable: [show.id, 2, { category: 'standard', accessible: false }],
    extendHold: [hold.id, 'ann', undefined],
    releaseHold: [hold.id, 'ann', undefined],
    createBooking: [hold.id, 'ann', 'key', undefined],
    confirmBooking: [booking.id, 'ann', 'pay-1', 'key'],
    cancelBooking: [booking.id, 'ann'],
    tickets: [booking.id, 'ann'],
    eventsSince: [show.id, 0, 10],
    eventsSinceEach: [[{ show: show.id, after: 0 }], 10],
    seatMap: [show.id],
    shows: [{ theatre: theatre.id, includeCancelled: true }],
    createTheatre: ['Rex', 'Lyon', 'Europe/Paris'],
    addScreen: [theatre.id, 'Two', 'row A: 1-4'],
    checkIn: ['T2.1.2.3.abcd.sig'],
  }
}

/** Whether `e` is an error the binding may give for bad input. */
function wellFormed(e) {
  if (!(e instanceof Error) || typeof e.message !== 'string' || e.message === '') return false
  if (!bc.isBookingError(e)) return true
  return CODES.has(e.code) && typeof e.retryable === 'boolean' && typeof e.details === 'object'
}

test(`${CALLS} calls with arbitrary arguments: an answer or a typed Error, never a crash (seed ${SEED})`, async (t) => {
  // A fresh engine every ROUND calls, so that what the calls made (theatres, shows, holds) does
  // not pile up over a long run and slow every listing down.
  const ROUND = 20_000
  const fresh = async () => {
    const engine = await openEngine()
    const { theatre, screen, show } = await setUp(engine)
    const hold = await engine.hold(show.id, 'ann', ['A1', 'A2'])
    const booked = await engine.hold(show.id, 'ann', ['A5'])
    const booking = await engine.createBooking(booked.id, 'ann', 'stage')
    return { engine, stage: { theatre, screen, show, hold, booking } }
  }
  let { engine, stage } = await fresh()
  const { show } = stage
  const random = rng(SEED)
  const value = values(random, stage)
  // Closing the engine or moving its clock would change what every later call meets.
  const skip = new Set(['constructor', 'close', 'advance'])
  const methods = Object.getOwnPropertyNames(bc.Engine.prototype)
    .filter((m) => !skip.has(m) && typeof Object.getOwnPropertyDescriptor(bc.Engine.prototype, m).value === 'function')
  const functions = Object.entries(bc)
    .filter(([name, f]) => typeof f === 'function' && !name.startsWith('__') && name !== 'Engine' && !/^[A-Z]/.test(name))
    .map(([name]) => name)
  const statics = ['PricingPolicy.simple', 'PricingPolicy.fromJson', 'Engine.open']
  assert.ok(methods.length >= 30, `Engine methods: ${methods}`)
  assert.ok(CODES.size >= 20, `codes: ${[...CODES]}`)
  const logLength = () => engine.logHead(stage.show.id)
  let answered = 0
  let refused = 0
  let typed = 0
  for (let i = 0; i < CALLS; i++) {
    if (i > 0 && i % ROUND === 0) ({ engine, stage } = await fresh())
    const kind = random()
    const args = Array.from({ length: Math.floor(random() * 5) }, () => value(0))
    let name
    let call
    if (kind < 0.4) {
      // A right call with one argument (or one seat) made arbitrary: the decoder's deeper paths.
      const templates = valid(stage)
      name = Object.keys(templates)[Math.floor(random() * Object.keys(templates).length)]
      const right = templates[name]
      const at = Math.floor(random() * right.length)
      const mixed = right.map((a, j) => (j !== at ? a : Array.isArray(a) && random() < 0.5 ? [...a, value(1)] : value(0)))
      call = () => engine[name](...mixed)
    } else if (kind < 0.8) {
      name = methods[Math.floor(random() * methods.length)]
      call = () => engine[name](...args)
    } else if (kind < 0.9 && functions.length > 0) {
      name = functions[Math.floor(random() * functions.length)]
      call = () => bc[name](...args)
    } else {
      name = statics[Math.floor(random() * statics.length)]
      const [cls, fn] = name.split('.')
      call = () => bc[cls][fn]?.(...args)
    }
    const before = await logLength()
    const replay = `BOOKING_FUZZ_SEED=${SEED} BOOKING_FUZZ_CALLS=${i + 1} node --test __test__/fuzz.test.mjs`
    try {
      await call()
      answered++
    } catch (e) {
      refused++
      if (bc.isBookingError(e)) typed++
      assert.ok(wellFormed(e), `${name}: ${e?.stack ?? String(e)}\nreplay: ${replay}`)
      assert.equal(await logLength(), before, `${name} was refused (${e.message}) but changed the log\nreplay: ${replay}`)
    }
  }
  t.diagnostic(`answered ${answered}, refused ${refused} (${typed} BookingError, the rest the binding's type errors)`)
  assert.ok(answered > 0 && refused > 0, `answered ${answered}, refused ${refused}`)
  // The engine still serves: the stage's hold and booking are as they were unless a call changed them.
  assert.equal((await engine.show(show.id)).id, show.id)
})
