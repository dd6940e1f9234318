// An ES module client of the installed packages: `import` takes the package's `import` entry
// (index.mjs), which re-exports napi's loader, so both module systems share one addon.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import bookingCore, { Engine, PricingPolicy, isBookingError, parseLayout } from '@booking-core/engine'

const require = createRequire(import.meta.url)
assert.equal(require('@booking-core/engine').Engine, Engine, 'import and require load the same addon')
assert.equal(bookingCore.Engine, Engine)
assert.ok(import.meta.resolve('@booking-core/engine').endsWith('/index.mjs'))

const layout = parseLayout('section Stalls category=standard\nrow A: 1-6\nrow B: 1-6\n')
assert.equal(layout.seats.length, 12)

const T0 = new Date('2030-01-01T00:00:00Z')
const engine = await Engine.open({ signingKey: 'pack-test-signing-key-32-bytes..', clock: T0 })
const theatre = await engine.createTheatre('Gaumont', 'Lyon', 'Europe/Paris')
const screen = await engine.addScreen(theatre.id, 'Two', 'section Stalls category=standard\nrow A: 1-6\nrow B: 1-6\n')
const startsAt = new Date(T0.getTime() + 86_400_000)
const show = await engine.scheduleShow(
  { screen: screen.id, title: 'Nosferatu', startsAt, endsAt: new Date(startsAt.getTime() + 5_400_000) },
  PricingPolicy.simple('EUR', { standard: 950 }),
)
const hold = await engine.hold(show.id, 'ann', ['B1', 'B2', 'B3'])
assert.equal(hold.quote.total.amount, '28.50')
assert.equal(JSON.parse(JSON.stringify(hold)).seats.length, 3)
try {
  await engine.hold(show.id, 'bob', ['B3'])
  assert.fail('B3 was held twice')
} catch (e) {
  assert.ok(isBookingError(e) && e.code === 'SEAT_UNAVAILABLE', String(e))
}
// Past the hold's expiry on the manual clock the seats are free again.
engine.advance(60 * 60 * 1000)
await engine.sweepExpired()
const again = await engine.hold(show.id, 'bob', ['B3'])
assert.deepEqual(again.seats, ['B3'])
await engine.close()
console.log('ES module client: held, refused, expired and held again')
