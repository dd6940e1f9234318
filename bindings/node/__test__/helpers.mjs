// Shared set-up of the binding's tests: an engine on a manual clock, a theatre, a screen, a show.
import { createRequire } from 'node:module'
import assert from 'node:assert/strict'

const require = createRequire(import.meta.url)
export const bc = require('../index.js')

export const T0 = new Date('2030-01-01T00:00:00Z')
export const KEY = 'test-signing-key-of-32-bytes....'
export const LAYOUT = `
section Stalls category=standard
row A: 1-10
row B: 1-4 _ 5-8
row C: w1 c2 3-4 (5 6) x7 8
`
export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000

/** An engine on a manual clock standing at T0 (more options may be given). */
export function openEngine(options = {}) {
  return bc.Engine.open({ signingKey: KEY, clock: T0, ...options })
}

/** A show of LAYOUT `day` days after T0, priced 10.00 EUR a seat unless `pricing` is given. */
export async function setUp(engine, { day = 1, pricing, noOrphan = false } = {}) {
  const theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'One', LAYOUT)
  const show = await schedule(engine, screen.id, { day, pricing, noOrphan })
  return { theatre, screen, show }
}

export function schedule(engine, screen, { day = 1, pricing, noOrphan = false, ...rest } = {}) {
  const startsAt = new Date(T0.getTime() + day * DAY_MS)
  return engine.scheduleShow(
    { screen, title: 'Metropolis', startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR_MS), noOrphan, ...rest },
    pricing ?? bc.PricingPolicy.simple('EUR', { standard: 1000 }),
  )
}

/** Awaits `promise`, which must reject with a BookingError of `code`; returns the error. */
export async function refused(promise, code) {
  try {
    await promise
  } catch (e) {
    assert.ok(bc.isBookingError(e), `not a BookingError: ${e}`)
    assert.ok(e instanceof Error)
    assert.equal(e.name, 'BookingError')
    assert.equal(e.code, code, e.message)
    assert.equal(typeof e.retryable, 'boolean')
    return e
  }
  assert.fail(`expected ${code}, but the call succeeded`)
}

/**
 * The PostgreSQL URL for the tests, or null to skip them: they run when the database answers,
 * and must run (a failure, not a skip) when CI=true or BOOKING_TEST_DATABASE_URL is set.
 */
export function postgresUrl() {
  return process.env.BOOKING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
}
export const postgresRequired = process.env.CI === 'true' || process.env.BOOKING_TEST_DATABASE_URL !== undefined

/** A schema name no other run uses, so runs never see each other's tables. */
export function freshSchema() {
  return `bc_node_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
}

/** The Redis for the hold-store tests (./scripts/test exports BOOKING_TEST_REDIS_URL). */
export function redisTestUrl() {
  return process.env.BOOKING_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
}
