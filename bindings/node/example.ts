// The README's example: a whole sale, from a seat layout to a checked-in ticket.
// Run it: `npx tsc -p tsconfig.json --outDir build-ts && node build-ts/example.js`
// (the tests type-check it with `tsc --noEmit` and run it).
import { Engine, PricingPolicy, isBookingError, type Hold } from '@booking-core/engine'

export async function main(): Promise<string[]> {
  const out: string[] = []
  const tomorrow = new Date(Date.now() + 86_400_000)
  const engine = await Engine.open({ signingKey: 'a secret of at least 32 bytes....' }) // in memory
  // Engine.open({ signingKey, databaseUrl: 'postgres://...' }) runs on PostgreSQL (migrated on connect).

  const theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'Screen 1', 'section Stalls category=standard\nrow A: 1-10\nrow B: w1 c2 3-8\n')
  const pricing = PricingPolicy.simple('EUR', { standard: 1200 }) // minor units: 12.00 EUR
  const show = await engine.scheduleShow(
    { screen: screen.id, title: 'Metropolis', startsAt: tomorrow, endsAt: new Date(tomorrow.getTime() + 7_200_000) },
    pricing,
  )

  const hold: Hold = await engine.hold(show.id, 'ann', ['A4', 'A5'])
  out.push(`held ${hold.seats.join(', ')} for ${hold.quote.total.amount} ${hold.quote.total.currency} until ${hold.expiresAt.toISOString()}`)
  try {
    await engine.hold(show.id, 'bob', ['A5', 'A6'])
  } catch (e) {
    if (isBookingError(e) && e.code === 'SEAT_UNAVAILABLE') out.push(`taken: ${e.details.seats?.join(', ')}`)
    else throw e
  }
  const booking = await engine.createBooking(hold.id, 'ann', 'order-1')
  const { tickets } = await engine.confirmBooking(booking.id, 'ann', 'psp-123', 'pay-1')
  const scanned = await engine.checkIn(tickets[0].code)
  out.push(`${scanned.ticket.seat} checked in, booking ${scanned.booking.status}`)
  await engine.close()
  return out
}

main().then(
  (lines) => lines.forEach((line) => console.log(line)),
  (e: unknown) => {
    console.error(e)
    process.exitCode = 1
  },
)
