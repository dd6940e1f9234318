// A TypeScript client (ES module) of the installed packages, type-checked by `tsc --noEmit`
// against the `import` entry's types (index.d.mts) under strict nodenext resolution, then run.
import bookingCore, {
  Engine,
  PricingPolicy,
  isBookingError,
  type BookingError,
  type ErrorCode,
  type Hold,
  type Money,
  type Show,
} from '@booking-core/engine'

export async function sale(): Promise<string> {
  const engine: Engine = await bookingCore.Engine.open({ signingKey: 'pack-test-signing-key-32-bytes..', holdTtlMs: 60_000 })
  const theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'Screen 1', 'section Stalls category=standard\nrow A: 1-10\n')
  const startsAt = new Date(Date.now() + 86_400_000)
  const show: Show = await engine.scheduleShow(
    { screen: screen.id, title: 'Metropolis', startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000) },
    PricingPolicy.simple('EUR', { standard: 1200 }),
  )
  const hold: Hold = await engine.hold(show.id, 'ann', ['A1', { label: 'A2' }])
  const total: Money = hold.quote.total
  const expires: Date = hold.expiresAt
  let refused: ErrorCode | undefined
  try {
    await engine.hold(show.id, 'bob', ['A2'])
  } catch (e: unknown) {
    if (!isBookingError(e)) throw e
    const error: BookingError = e
    refused = error.code
  }
  await engine.close()
  return `${hold.seats.join(', ')} for ${total.amount} ${total.currency} until ${expires.toISOString()}; then ${refused}`
}

// The types are real (never called: tsc must refuse these calls, or `@ts-expect-error` fails).
export function misuse(engine: Engine, show: Show): void {
  // @ts-expect-error a string is no show id
  void engine.hold(String(show.id), 'ann', ['A3'])
  // @ts-expect-error a seat is a label or { label, ticketType }, not a number
  void engine.hold(show.id, 'ann', [3])
  // @ts-expect-error an engine needs a signing key
  void Engine.open({})
}

console.log(`TypeScript (ES module) client: ${await sale()}`)
