// Holds + releases per second from Node, one process, in-memory store.
//
// Run (release build): `npm run build && node bench.mjs` (or `npm run bench`);
// `node bench.mjs --smoke` runs one short round and only checks that it works.
// Each pair is `await engine.hold(show, owner, 4 seats)` then `await engine.releaseHold(id, owner)`,
// one after the other, as a request handler would make them.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Engine, PricingPolicy } = require('./index.js')

const smoke = process.argv.includes('--smoke')
const ROUNDS = smoke ? 1 : 5
const PAIRS = smoke ? 2_000 : 50_000
const T0 = new Date('2030-01-01T00:00:00Z')

const engine = await Engine.open({ signingKey: 'bench-signing-key-of-32-bytes...', clock: T0, holdsPerOwnerMax: 1_000 })
const theatre = await engine.createTheatre('Bench', 'Lyon', 'Europe/Paris')
let rows = ''
for (let r = 0; r < 20; r++) rows += `row ${String.fromCharCode(65 + r)}: 1-25\n`
const screen = await engine.addScreen(theatre.id, 'Main', 'section Main category=standard\n' + rows)
const startsAt = new Date(T0.getTime() + 86_400_000)
const show = await engine.scheduleShow(
  { screen: screen.id, title: 'Bench', startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), noOrphan: false },
  PricingPolicy.simple('EUR', { standard: 1000 }),
)
const seats = [['A10', 'A11', 'A12', 'A13'], ['B10', 'B11', 'B12', 'B13']]

const rates = []
for (let round = 0; round < ROUNDS; round++) {
  const began = process.hrtime.bigint()
  for (let i = 0; i < PAIRS; i++) {
    const hold = await engine.hold(show.id, 'bench', seats[i % 2])
    await engine.releaseHold(hold.id, 'bench')
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9
  rates.push(PAIRS / seconds)
}
rates.sort((a, b) => a - b)
const median = rates[Math.floor(rates.length / 2)]
const fmt = (r) => Math.round(r).toLocaleString('en-US')
console.log(
  `hold + release of 4 seats from Node, in memory: median ${fmt(median)} pairs/s ` +
    `(${fmt(2 * median)} calls/s; rounds: ${rates.map(fmt).join(', ')})`,
)
const events = await engine.eventsSince(show.id, 0, 10)
if (events.length === 0) throw new Error('the bench left no event')
