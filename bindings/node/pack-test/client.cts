// A TypeScript client (CommonJS) of the installed packages, type-checked by `tsc --noEmit`
// against the `require` entry's types (index.d.ts), then run.
import bookingCore = require('@booking-core/engine')

export async function seatsLeft(): Promise<number> {
  const engine: bookingCore.Engine = await bookingCore.Engine.open({ signingKey: 'pack-test-signing-key-32-bytes..' })
  const theatre: bookingCore.Theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'Screen 1', 'section Stalls category=standard\nrow A: 1-4\n')
  const startsAt = new Date(Date.now() + 86_400_000)
  const show = await engine.scheduleShow(
    { screen: screen.id, title: 'Metropolis', startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000) },
    bookingCore.PricingPolicy.simple('EUR', { standard: 1200 }),
  )
  await engine.hold(show.id, 'ann', ['A1'])
  const map: bookingCore.SeatMap = await engine.seatMap(show.id)
  await engine.close()
  return map.available
}

seatsLeft().then(
  (left) => {
    if (left !== 3) throw new Error(`${left} seats left, not 3`)
    console.log(`TypeScript (CommonJS) client: ${left} of 4 seats left after a hold`)
  },
  (e: unknown) => {
    console.error(e)
    process.exitCode = 1
  },
)
