// A CommonJS client of the installed packages: `require` takes the package's `require` entry
// (index.js, napi's loader), which finds the addon in the platform package.
'use strict'
const assert = require('node:assert/strict')
const { dirname, join, sep } = require('node:path')
const { readdirSync } = require('node:fs')
const { Engine, PricingPolicy, isBookingError, errorCodes } = require('@booking-core/engine')

async function sale(options) {
  const engine = await Engine.open({ signingKey: 'pack-test-signing-key-32-bytes..', ...options })
  try {
    const theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
    const screen = await engine.addScreen(theatre.id, 'Screen 1', 'section Stalls category=standard\nrow A: 1-10\n')
    const startsAt = new Date(Date.now() + 86_400_000)
    const show = await engine.scheduleShow(
      { screen: screen.id, title: 'Metropolis', startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000) },
      PricingPolicy.simple('EUR', { standard: 1200 }),
    )
    const hold = await engine.hold(show.id, 'ann', ['A4', 'A5'])
    assert.deepEqual(hold.seats, ['A4', 'A5'])
    assert.deepEqual(hold.quote.total, { minor: 2400, currency: 'EUR', exponent: 2, amount: '24.00' })
    await assert.rejects(engine.hold(show.id, 'bob', ['A5', 'A6']), (e) => {
      assert.ok(isBookingError(e))
      assert.equal(e.code, 'SEAT_UNAVAILABLE')
      assert.deepEqual(e.details.seats, ['A5'])
      return true
    })
    const booking = await engine.createBooking(hold.id, 'ann', 'order-1')
    const { tickets } = await engine.confirmBooking(booking.id, 'ann', 'psp-1', 'pay-1')
    const scanned = await engine.checkIn(tickets[0].code)
    assert.equal(scanned.booking.status, 'checked_in')
    return engine.store
  } finally {
    await engine.close()
  }
}

async function main() {
  // The addon came from the platform package: the main package ships no .node of its own.
  const main = dirname(require.resolve('@booking-core/engine/package.json'))
  assert.deepEqual(readdirSync(main).filter((f) => f.endsWith('.node')), [])
  const platform = process.env.PLATFORM_PACKAGE
  if (platform) {
    const addon = Object.keys(require.cache).find((p) => p.endsWith('.node'))
    assert.ok(addon?.includes(`${sep}node_modules${sep}@booking-core${sep}${platform}${sep}`), `addon loaded from ${addon}`)
    assert.ok(require.resolve('@booking-core/engine').startsWith(join(process.cwd(), 'node_modules')))
  }
  assert.ok(errorCodes().includes('SEAT_UNAVAILABLE'))
  const stores = [await sale({})]
  if (process.env.BOOKING_TEST_DATABASE_URL) {
    const schema = `bc_pack_${process.pid}_${Date.now()}`
    stores.push(await sale({ databaseUrl: process.env.BOOKING_TEST_DATABASE_URL, schema }))
  }
  console.log(`CommonJS client: a sale on ${stores.join(' and ')} (addon from ${platform ?? 'its package'})`)
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
