// Types cross both ways: Dates, integer money, ids, seat choices, layouts, pricing, holds, events.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bc, T0, DAY_MS, HOUR_MS, LAYOUT, openEngine, refused, setUp, schedule } from './helpers.mjs'

test('times are Dates both ways and money is exact integer minor units', async () => {
  const engine = await openEngine()
  assert.equal(engine.store, 'memory')
  assert.ok(engine.now() instanceof Date)
  assert.equal(engine.now().getTime(), T0.getTime())
  const { show } = await setUp(engine, { pricing: bc.PricingPolicy.simple('EUR', { standard: 1234 }) })
  assert.ok(show.startsAt instanceof Date)
  assert.equal(show.startsAt.getTime(), T0.getTime() + DAY_MS)
  assert.equal(show.salesOpenAt.getTime(), T0.getTime(), 'sales open now by default')
  assert.equal(show.salesCloseAt.getTime(), show.startsAt.getTime())
  const hold = await engine.hold(show.id, 'ann', ['A4', { label: 'A5', ticketType: 'adult' }])
  assert.equal(typeof hold.id, 'number')
  assert.deepEqual(hold.seats, ['A4', 'A5'])
  assert.equal(hold.placedAt.getTime(), T0.getTime())
  assert.equal(hold.expiresAt.getTime(), T0.getTime() + 10 * 60_000)
  assert.equal(hold.maxExpiresAt.getTime(), T0.getTime() + 30 * 60_000)
  const quote = hold.quote
  assert.deepEqual(quote.total, { minor: 2468, currency: 'EUR', exponent: 2, amount: '24.68' })
  for (const amount of [quote.subtotal, quote.fees, quote.tax, quote.total]) {
    assert.ok(Number.isSafeInteger(amount.minor))
  }
  assert.deepEqual(quote.lines.map((l) => [l.seat, l.ticketType, l.totalMinor]), [
    ['A4', 'adult', 1234],
    ['A5', 'adult', 1234],
  ])
  // A hold is native and read on demand; its getters are exactly the fields of booking-front's
  // view, which toJSON() gives as a plain object (and JSON.stringify writes).
  assert.ok(hold instanceof bc.Hold)
  const getters = Object.entries(Object.getOwnPropertyDescriptors(bc.Hold.prototype))
    .filter(([, d]) => typeof d.get === 'function')
    .map(([name]) => name)
  assert.deepEqual(getters.sort(), Object.keys(hold.toJSON()).sort())
  for (const name of getters) assert.deepEqual(hold[name], hold.toJSON()[name], name)
  const plain = JSON.parse(JSON.stringify(hold))
  assert.equal(plain.id, hold.id)
  assert.equal(plain.expiresAt, hold.expiresAt.toISOString())
  assert.equal(plain.quote.total.minor, 2468)
})

test('the manual clock moves, the system clock does not', async () => {
  const engine = await openEngine()
  engine.advance(HOUR_MS)
  assert.equal(engine.now().getTime(), T0.getTime() + HOUR_MS)
  assert.equal((await bc.Engine.open({ signingKey: Buffer.alloc(32, 7) })).store, 'memory')
  const real = await bc.Engine.open({ signingKey: 'x'.repeat(32) })
  assert.ok(Math.abs(real.now().getTime() - Date.now()) < 60_000)
  assert.throws(() => real.advance(1), (e) => e.code === 'INVALID_INPUT' && e.details.field === 'ms')
})

test('layouts parse from text and from their JSON form, and describe their seats', async () => {
  const layout = bc.parseLayout(LAYOUT)
  assert.deepEqual(layout.categories, ['standard'])
  const c1 = layout.seats.find((s) => s.label === 'C1')
  assert.equal(c1.wheelchair, true)
  const c5 = layout.seats.find((s) => s.label === 'C5')
  assert.equal(typeof c5.pair, 'number')
  assert.equal(layout.seats.find((s) => s.label === 'C7').blocked, true)
  const again = bc.parseLayout(layout.spec)
  assert.deepEqual(again.seats, layout.seats)
  assert.equal(again.text, layout.text)
  const engine = await openEngine()
  const theatre = await engine.createTheatre('Rex', 'Lyon', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'Json', {
    name: 'small',
    sections: [{ name: 'Main', rows: [{ name: 'A', seats: [{ label: 'A1', x: 1, y: 1, category: 'vip' }] }] }],
    zones: [{ name: 'Standing', category: 'floor', capacity: 3 }],
  })
  const stored = bc.parseLayout(JSON.parse(screen.layoutJson))
  assert.equal(screen.seatCount, 4)
  assert.deepEqual(screen.categories, stored.categories)
  assert.deepEqual(stored.seats.map((s) => s.label), ['A1', 'Standing-1', 'Standing-2', 'Standing-3'])
  assert.equal(stored.seats[1].generalAdmission, true)
  assert.deepEqual((await engine.screens(theatre.id)).map((s) => s.name), ['Json'])
  assert.deepEqual((await engine.theatres()).map((t) => t.timeZone), ['Europe/Paris'])
})

test('pricing policies read their JSON form as an object or a string and price with it', async () => {
  const rules = {
    currency: 'EUR',
    category_prices: { standard: 1000 },
    ticket_types: [{ name: 'adult' }, { name: 'child', adjustment: { kind: 'percent', bp: -5000 } }],
    fee_per_ticket_minor: 50,
    tax: { rate_bp: 2000, mode: 'exclusive' },
  }
  const policy = bc.PricingPolicy.fromJson(rules)
  assert.equal(policy.currency, 'EUR')
  assert.deepEqual(policy.basePrice('standard'), { minor: 1000, currency: 'EUR', exponent: 2, amount: '10.00' })
  assert.equal(policy.basePrice('vip'), null)
  const same = bc.PricingPolicy.fromJson(policy.toJson())
  assert.equal(same.toJson(), policy.toJson())
  const engine = await openEngine()
  const { show } = await setUp(engine, { pricing: policy })
  const quote = await engine.quote(show.id, ['A1', { label: 'A2', ticketType: 'child' }])
  assert.equal(quote.taxMode, 'exclusive')
  assert.equal(quote.taxRateBp, 2000)
  assert.deepEqual(quote.lines.map((l) => l.totalMinor), [1260, 660])
  assert.equal(quote.total.minor, 1920)
  assert.ok(quote.lines[1].adjustments.some((a) => a.amountMinor === -500))
})

test('a whole sale: seat map, best available, hold, book, pay, tickets, check in, events', async () => {
  const engine = await openEngine()
  const { show, theatre, screen } = await setUp(engine)
  const best = await engine.bestAvailable(show.id, 2)
  assert.equal(best.length, 2)
  const hold = await engine.hold(show.id, 'ann', best)
  engine.advance(1_000)
  const extended = await engine.extendHold(hold.id, 'ann', hold.fence)
  assert.ok(extended.fence > hold.fence)
  assert.equal((await engine.holdInfo(hold.id)).id, hold.id)
  const map = await engine.seatMap(show.id)
  assert.ok(map.at instanceof Date)
  const status = Object.fromEntries(map.seats.map((s) => [s.label, s.status]))
  assert.equal(status[best[0]], 'held')
  assert.equal(status.C7, 'blocked')
  assert.equal(map.seats.find((s) => s.label === 'A1').price, 1000)
  assert.deepEqual([map.currency, map.exponent], ['EUR', 2])
  const booking = await engine.createBooking(hold.id, 'ann', 'order-1', extended.fence)
  assert.equal(booking.status, 'pending')
  assert.ok(booking.paymentDeadline instanceof Date)
  assert.deepEqual([booking.title, booking.timeZone, booking.seats], ['Metropolis', 'Europe/Paris', best])
  assert.equal((await engine.createBooking(hold.id, 'ann', 'order-1')).id, booking.id, 'idempotent')
  const { booking: paid, tickets } = await engine.confirmBooking(booking.id, 'ann', 'psp-1', 'pay-1')
  assert.equal(paid.status, 'confirmed')
  assert.equal(paid.paymentRef, 'psp-1')
  assert.deepEqual(tickets.map((t) => t.seat), best)
  assert.deepEqual((await engine.tickets(booking.id, 'ann')).map((t) => t.code), tickets.map((t) => t.code))
  const scan = await engine.checkIn(tickets[0].code)
  assert.equal(scan.ticket.checkedIn, true)
  assert.equal(scan.booking.status, 'checked_in')
  assert.deepEqual(scan.booking.checkedIn, [best[0]])
  assert.deepEqual((await engine.bookingsOf('ann')).map((b) => b.id), [booking.id])
  assert.equal((await engine.booking(booking.id)).id, booking.id)
  const events = await engine.eventsSince(show.id)
  assert.deepEqual(events.map((e) => e.kind), [
    'show_scheduled', 'hold_placed', 'hold_extended', 'booking_created', 'booking_confirmed', 'ticket_checked_in',
  ])
  assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5, 6])
  assert.deepEqual(events[1].seats, best)
  assert.equal(events[1].seatStatus, 'held')
  assert.equal(events[4].total.minor, 2000)
  assert.deepEqual(events[5].seats, [best[0]])
  assert.deepEqual((await engine.eventsSince(show.id, 4, 1)).map((e) => e.seq), [5])
  const each = await engine.eventsSinceEach([{ show: show.id, after: 4 }], 10)
  assert.deepEqual(each.map((e) => [e.show, e.seq, e.kind]), [[show.id, 5, 'booking_confirmed'], [show.id, 6, 'ticket_checked_in']])
  assert.equal((await engine.shows({ theatre: theatre.id })).length, 1)
  assert.deepEqual(await engine.theatre(theatre.id), theatre)
  assert.equal((await engine.screen(screen.id)).name, screen.name)
  assert.equal(await engine.logHead(show.id), 6)
  assert.equal((await engine.shows({ screen: screen.id, startsFrom: new Date(T0.getTime() + 2 * DAY_MS) })).length, 0)
})

test('holds expire with the clock, the sweeper tidies them, cancel and refund free seats', async () => {
  const engine = await openEngine()
  const { show, screen } = await setUp(engine)
  await engine.hold(show.id, 'ann', ['A1'])
  const kept = await engine.hold(show.id, 'bob', ['A3'])
  const booking = await engine.createBooking(kept.id, null, 'staff-order')
  engine.advance(11 * 60_000)
  assert.deepEqual(await engine.sweepExpired(), { holdsExpired: 1, bookingsExpired: 1 })
  const again = await engine.hold(show.id, 'cat', ['A1', 'A3'])
  const created = await engine.createBooking(again.id, 'cat', 'cat-1')
  await engine.confirmBooking(created.id, 'cat', 'psp', 'cat-pay')
  assert.equal((await engine.refundBooking(created.id, 'cat')).status, 'refunded')
  assert.equal((await engine.booking(booking.id)).status, 'expired', 'swept')
  const other = await schedule(engine, screen.id, { day: 3 })
  const lost = await engine.hold(other.id, 'dan', ['A1'])
  const cancelled = await engine.cancelShow(other.id)
  assert.deepEqual(cancelled, { holds: [lost.id], bookings: [] })
  assert.equal((await engine.show(other.id)).status, 'cancelled')
  assert.equal((await engine.shows({ includeCancelled: true })).length, 2)
})

test('store calls return Promises settled after the calling code runs', async () => {
  const engine = await openEngine()
  const { show } = await setUp(engine)
  const order = []
  const pending = engine.hold(show.id, 'ann', ['A1']).then(() => order.push('settled'))
  assert.ok(pending instanceof Promise)
  order.push('after the call')
  await pending
  assert.deepEqual(order, ['after the call', 'settled'])
})

test('places of a standing zone are held by quantity: the store picks them and the hold names them', async () => {
  const engine = await openEngine()
  const theatre = await engine.createTheatre('Rex', 'Lyon', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'Hall', 'section Main category=standard\nrow A: 1-4\nzone Standing capacity=3 category=standard\n')
  const show = await schedule(engine, screen.id)
  const quote = await engine.quote(show.id, ['A1'], undefined, [{ zone: 'Standing', quantity: 2 }])
  assert.deepEqual(quote.lines.map((l) => l.seat), ['A1', 'Standing', 'Standing'])
  const hold = await engine.hold(show.id, 'ann', ['A1'], undefined, undefined, [{ zone: 'Standing', quantity: 2 }])
  assert.equal(hold.quote.total.minor, quote.total.minor)
  assert.equal(hold.seats.length, 3)
  assert.ok(hold.seats.slice(1).every((s) => s.startsWith('Standing-')), hold.seats.join())
  assert.deepEqual(hold.quote.lines.map((l) => l.seat), hold.seats)
  const short = await refused(engine.hold(show.id, 'bob', [], undefined, undefined, [{ zone: 'Standing', quantity: 2 }]), 'SEAT_UNAVAILABLE')
  assert.deepEqual(short.details.seats, ['Standing'])
  const unknown = await refused(engine.hold(show.id, 'bob', [], undefined, undefined, [{ zone: 'Balcony', quantity: 1 }]), 'INVALID_INPUT')
  assert.equal(unknown.details.field, 'places[0].zone')
})
