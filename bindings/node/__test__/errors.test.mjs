// Every core error code reaches JavaScript as an Error with that `code` and its `details` object.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { bc, KEY, T0, openEngine, setUp, schedule, refused } from './helpers.mjs'

test('the ErrorCode type of index.d.ts lists exactly the core codes', () => {
  const dts = readFileSync(fileURLToPath(new URL('../index.d.ts', import.meta.url)), 'utf8')
  const union = dts.slice(dts.indexOf('export type ErrorCode'), dts.indexOf('export interface BookingError'))
  const declared = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1])
  assert.deepEqual([...declared].sort(), [...bc.errorCodes()].sort())
  assert.equal(bc.errorCodes().length, 22)
})

test('every error code, each with its details, and a refused call changes nothing', async () => {
  const seen = new Set()
  const expect = async (promise, code) => {
    const e = await refused(promise, code)
    seen.add(code)
    return e
  }
  const engine = await openEngine()
  const { show, screen } = await setUp(engine)
  const first = await engine.hold(show.id, 'ann', ['A5'])
  const before = (await engine.eventsSince(show.id)).length
  const taken = await expect(engine.hold(show.id, 'bob', ['A4', 'A5', 'A6']), 'SEAT_UNAVAILABLE')
  assert.deepEqual(taken.details.seats, ['A5'])
  assert.equal(taken.retryable, false)
  assert.equal((await engine.eventsSince(show.id)).length, before, 'a refused hold appends nothing')
  const map = await engine.seatMap(show.id)
  assert.equal(map.seats.find((s) => s.label === 'A4').status, 'available')

  const bad = await expect(engine.hold(show.id, 'bob', []), 'INVALID_INPUT')
  assert.equal(bad.details.field, 'seats')
  assert.equal((await expect(engine.hold(show.id, '', ['A1']), 'INVALID_INPUT')).details.field, 'owner')
  assert.equal((await expect(engine.show(-1), 'INVALID_INPUT')).details.field, 'show')
  const layout = await refused(Promise.resolve().then(() => bc.parseLayout('row A: 1-3 3')), 'INVALID_LAYOUT')
  seen.add('INVALID_LAYOUT')
  assert.ok(layout.details.issues.length > 0 && layout.details.issues[0].line > 0)
  await expect(Promise.resolve().then(() => bc.PricingPolicy.simple('EUR', { standard: -5 })), 'INVALID_PRICING')
  await expect(engine.quote(show.id, ['A2'], 'NOPE'), 'PROMO_REJECTED')
  const missing = await expect(engine.show(999_999), 'NOT_FOUND')
  assert.equal(missing.details.entity, 'show')
  const rule = await expect(engine.hold(show.id, 'bob', ['C5']), 'SELECTION_RULE')
  assert.equal(rule.details.rule, 'pair_split')
  assert.deepEqual(rule.details.seats, ['C6'])
  const owner = await expect(engine.releaseHold(first.id, 'eve'), 'NOT_OWNER')
  assert.equal(owner.details.what, `hold-${first.id}`)
  const stale = await expect(engine.releaseHold(first.id, 'ann', first.fence + 100), 'STALE_FENCE')
  assert.equal(stale.details.presented, first.fence + 100)
  assert.equal(stale.details.current, first.fence)
  const limit = await expect(engine.hold(show.id, 'ann', 'ABCDEFGHIJK'.split('').map((_, i) => `A${i + 1}`)), 'LIMIT_EXCEEDED')
  assert.equal(limit.details.limit, 'seats_per_hold')
  assert.equal(limit.details.max, 10)
  const overlap = await expect(schedule(engine, screen.id), 'SHOW_OVERLAP')
  assert.equal(overlap.details.other, show.id)
  await expect(engine.checkIn('T2.forged'), 'INVALID_TICKET')

  const booking = await engine.createBooking(first.id, 'ann', 'k1')
  await expect(engine.confirmBooking(booking.id, 'ann', 'psp', 'k1'), 'IDEMPOTENCY_CONFLICT')
  const transition = await expect(engine.refundBooking(booking.id), 'INVALID_TRANSITION')
  assert.equal(transition.details.from, 'pending')
  assert.equal(transition.details.action, 'refund')
  const paid = await engine.confirmBooking(booking.id, 'ann', 'psp', 'pay-1')
  await engine.checkIn(paid.tickets[0].code)
  const twice = await expect(engine.checkIn(paid.tickets[0].code), 'ALREADY_CHECKED_IN')
  assert.equal(twice.details.seat, 'A5')
  assert.equal(twice.details.booking, `booking-${booking.id}`)

  const late = await engine.hold(show.id, 'cat', ['A8'])
  engine.advance(11 * 60_000)
  const expired = await expect(engine.extendHold(late.id, 'cat'), 'HOLD_EXPIRED')
  assert.equal(expired.details.what, `hold-${late.id}`)
  await engine.cancelShow(show.id)
  const closed = await expect(engine.hold(show.id, 'dan', ['A9']), 'SALES_CLOSED')
  assert.match(closed.details.reason, /cancelled/)

  const down = await expect(
    bc.Engine.open({ signingKey: KEY, databaseUrl: 'postgres://nobody@127.0.0.1:9/none' }),
    'STORE_UNAVAILABLE',
  )
  assert.equal(down.retryable, true)
  await engine.close()
  await expect(engine.hold(show.id, 'ann', ['A1']), 'STORE_FAILURE')
  assert.throws(() => engine.now(), (e) => e.code === 'STORE_FAILURE')
  // The payment codes come from the payment saga (BookingEngine::pay), which needs a payment
  // gateway this binding does not offer yet: every other code is raised here.
  const payment = ['PAYMENT_DECLINED', 'PAYMENT_TIMEOUT', 'PAYMENT_FAILED']
  assert.deepEqual([...seen].sort(), [...bc.errorCodes()].filter((c) => !payment.includes(c)).sort())
})

test('options are checked when the engine opens', async () => {
  assert.equal((await refused(bc.Engine.open({ signingKey: 'short' }), 'INVALID_INPUT')).details.field, 'ticket_key')
  const ttl = await refused(bc.Engine.open({ signingKey: KEY, holdTtlMs: 10 }), 'INVALID_INPUT')
  assert.equal(ttl.details.field, 'hold_ttl_ms')
  assert.equal((await refused(bc.Engine.open({ signingKey: KEY, databaseUrl: 'redis://x' }), 'INVALID_INPUT')).details.field, 'database_url')
  assert.equal((await refused(bc.Engine.open({ signingKey: KEY, schema: 'x' }), 'INVALID_INPUT')).details.field, 'schema')
  const redisAlone = await refused(bc.Engine.open({ signingKey: KEY, redisUrl: 'redis://127.0.0.1:6379' }), 'INVALID_INPUT')
  assert.equal(redisAlone.details.field, 'redis_url')
  const schema = await refused(bc.Engine.open({ signingKey: KEY, databaseUrl: 'postgres://h/db', schema: 'Bad-Name' }), 'INVALID_INPUT')
  assert.equal(schema.details.field, 'schema')
  const limited = await openEngine({ holdsPerOwnerMax: 1, clock: T0 })
  const { show } = await setUp(limited)
  await limited.hold(show.id, 'ann', ['A1'])
  assert.equal((await refused(limited.hold(show.id, 'ann', ['A3']), 'LIMIT_EXCEEDED')).details.limit, 'holds_per_owner')
})

test('a cap of tickets per owner counts held, pending and paid seats, per owner and per show', async () => {
  const engine = await openEngine({ ticketsPerOwnerMax: 3 })
  const { screen, show } = await setUp(engine)
  assert.equal(show.ticketsPerOwnerMax, 3, "the engine's default cap")
  const paid = await engine.createBooking((await engine.hold(show.id, 'ann', ['A1'])).id, 'ann', 'c1')
  await engine.confirmBooking(paid.id, 'ann', 'psp-1', 'p1')
  await engine.createBooking((await engine.hold(show.id, 'ann', ['A3'])).id, 'ann', 'c2')
  const limit = await refused(engine.hold(show.id, 'ann', ['A5', 'A6']), 'LIMIT_EXCEEDED')
  assert.deepEqual(limit.details, { limit: 'tickets_per_owner', max: 3 })
  assert.deepEqual((await engine.hold(show.id, 'ann', ['A5'])).seats, ['A5'])
  assert.deepEqual((await engine.hold(show.id, 'bob', ['A7', 'A8'])).seats, ['A7', 'A8'])
  const own = await schedule(engine, screen.id, { day: 2, ticketsPerOwnerMax: 1 })
  assert.equal(own.ticketsPerOwnerMax, 1)
  await refused(engine.hold(own.id, 'ann', ['A1', 'A2']), 'LIMIT_EXCEEDED')
  const bad = await refused(schedule(engine, screen.id, { day: 3, ticketsPerOwnerMax: 0 }), 'INVALID_INPUT')
  assert.equal(bad.details.field, 'tickets_per_owner_max')
})

test('accessible places are kept for those who ask until their release', async () => {
  const engine = await openEngine()
  const { screen } = await setUp(engine)
  const later = await schedule(engine, screen.id, { day: 5 })
  assert.equal(later.accessibleUntil.getTime(), later.startsAt.getTime() - 48 * 3_600_000)
  const kept = await refused(engine.hold(later.id, 'ann', ['C1']), 'SELECTION_RULE')
  assert.deepEqual(kept.details, { rule: 'accessible_only', seats: ['C1'] })
  const alone = await refused(engine.hold(later.id, 'ann', ['C2'], null, true), 'SELECTION_RULE')
  assert.equal(alone.details.rule, 'companion_alone')
  assert.deepEqual((await engine.hold(later.id, 'ann', ['C1', 'C2'], null, true)).seats, ['C1', 'C2'])
  const soon = await schedule(engine, screen.id, { day: 6, accessibleReleaseBeforeMs: 7 * 86_400_000 })
  assert.deepEqual((await engine.hold(soon.id, 'bob', ['C2'])).seats, ['C2'])
})

test('a panic becomes an error: STORE_FAILURE in an engine call, whether it had waited or not', async () => {
  for (const mode of ['now', 'waiting']) {
    const e = await refused(bc.__panicForTests(mode), 'STORE_FAILURE')
    assert.match(e.message, /internal error in __panicForTests: a panic on purpose/)
  }
  // Outside the engine's paths (argument conversion, getters), napi-rs's catch_unwind throws.
  assert.throws(() => bc.__panicForTests('sync'), (e) => e instanceof Error && /a panic on purpose/.test(e.message))
  // The process is still fine afterwards.
  const engine = await openEngine()
  assert.equal(engine.store, 'memory')
})

test('arguments of the wrong JavaScript type are refused with an Error, before the engine', async () => {
  const engine = await openEngine()
  assert.throws(() => engine.hold('one', 'ann', ['A1']), (e) => e instanceof Error && !bc.isBookingError(e))
  assert.equal(bc.isBookingError(new Error('plain')), false)
  assert.equal(bc.isBookingError('SEAT_UNAVAILABLE'), false)
})
