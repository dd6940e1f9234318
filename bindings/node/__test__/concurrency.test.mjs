// Many holds at once from one process on the same seats: exactly one winner per seat, on the
// memory store and on PostgreSQL (where the calls really run side by side on the runtime, and
// the event loop stays free while they wait).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bc, KEY, T0, openEngine, setUp, refused, postgresUrl, postgresRequired, freshSchema, redisTestUrl } from './helpers.mjs'

/** 120 holds of two adjacent seats of row A, sliding over its 10 seats, all started at once. */
async function rush(engine, show) {
  const attempts = []
  for (let i = 0; i < 120; i++) {
    const start = 1 + (i % 9)
    attempts.push({ owner: `user-${i}`, seats: [`A${start}`, `A${start + 1}`] })
  }
  const settled = await Promise.allSettled(attempts.map((a) => engine.hold(show.id, a.owner, a.seats)))
  const winners = new Map()
  let refusals = 0
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      for (const seat of s.value.seats) {
        assert.ok(!winners.has(seat), `seat ${seat} won twice`)
        winners.set(seat, attempts[i].owner)
      }
    } else {
      assert.equal(s.reason.code, 'SEAT_UNAVAILABLE', s.reason.message)
      refusals++
    }
  })
  const map = await engine.seatMap(show.id)
  const held = map.seats.filter((s) => s.label.startsWith('A') && s.status === 'held').map((s) => s.label)
  assert.deepEqual(held.sort(), [...winners.keys()].sort(), 'the seat map shows exactly the winners')
  assert.ok(winners.size >= 5, 'at least half of row A was won')
  assert.equal(refusals, 120 - winners.size / 2)
  const events = await engine.eventsSince(show.id)
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'the log has no gap')
  const rowA = events.filter((e) => e.kind === 'hold_placed' && e.seats[0].startsWith('A'))
  assert.equal(rowA.length, winners.size / 2)
}

test('memory: concurrent holds on the same seats, one winner per seat', async () => {
  const engine = await openEngine()
  const { show } = await setUp(engine)
  await rush(engine, show)
})

for (const holdsOn of ['postgres', 'redis']) test(`PostgreSQL, holds on ${holdsOn}: the same flow, races and a free event loop (fresh schema)`, async (t) => {
  let engine
  const redisUrl = holdsOn === 'redis' ? redisTestUrl() : undefined
  try {
    engine = await bc.Engine.open({ signingKey: KEY, clock: T0, databaseUrl: postgresUrl(), schema: freshSchema(), redisUrl })
  } catch (e) {
    if (e.code === 'STORE_UNAVAILABLE' && !postgresRequired) {
      t.skip(`PostgreSQL not reachable at ${postgresUrl()} (required when CI=true or BOOKING_TEST_DATABASE_URL is set)`)
      return
    }
    throw e
  }
  assert.equal(engine.store, holdsOn === 'redis' ? 'postgres+redis' : 'postgres')
  const { show } = await setUp(engine)

  // The event loop runs while store calls wait on the database.
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const pending = engine.hold(show.id, 'ann', ['B1', 'B2'])
  const started = Date.now()
  let spins = 0
  while (!(await Promise.race([pending.then(() => true), new Promise((r) => setImmediate(() => r(false)))]))) {
    spins++
  }
  clearInterval(timer)
  assert.ok(spins > 0, 'the event loop turned while the hold waited on PostgreSQL')
  const hold = await pending
  assert.deepEqual(hold.seats, ['B1', 'B2'])
  t.diagnostic(`event loop turns during one PostgreSQL hold: ${spins} (${Date.now() - started} ms, ${ticks} timer ticks)`)

  await rush(engine, show)
  const taken = await refused(engine.hold(show.id, 'bob', ['B2', 'B3']), 'SEAT_UNAVAILABLE')
  assert.deepEqual(taken.details.seats, ['B2'])
  const booking = await engine.createBooking(hold.id, 'ann', 'pg-create')
  const { booking: paid, tickets } = await engine.confirmBooking(booking.id, 'ann', 'psp', 'pg-pay')
  assert.equal(paid.status, 'confirmed')
  assert.ok(paid.createdAt instanceof Date)
  assert.equal((await engine.checkIn(tickets[1].code)).ticket.seat, 'B2')
  await refused(engine.checkIn(tickets[1].code), 'ALREADY_CHECKED_IN')
  const events = await engine.eventsSince(show.id)
  assert.deepEqual(events.slice(-3).map((e) => e.kind), ['booking_created', 'booking_confirmed', 'ticket_checked_in'])
  await engine.close()
  await refused(engine.show(show.id), 'STORE_FAILURE')
})
