// Catalogue changes through the binding: what crosses (plain objects, layouts as text or JSON,
// Promise<void>) and how refusals arrive (their codes and fields). The rules are the core's to test.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { bc, LAYOUT, openEngine, setUp, refused } from './helpers.mjs'

const SMALL = 'section Main category=standard\nrow A: 1-4\n'

test('updateTheatre resolves a Theatre, removeTheatre resolves undefined', async () => {
  const engine = await openEngine()
  const theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
  const renamed = await engine.updateTheatre(theatre.id, 'Rex', 'Lyon', 'Europe/London')
  assert.deepEqual(renamed, { id: theatre.id, name: 'Rex', city: 'Lyon', timeZone: 'Europe/London' })
  assert.deepEqual(await engine.theatres(), [renamed])
  const removed = engine.removeTheatre(theatre.id)
  assert.ok(removed instanceof Promise)
  assert.equal(await removed, undefined)
  assert.deepEqual(await engine.theatres(), [])
})

test('updateScreen takes the layout as text or as its JSON form, like addScreen', async () => {
  const engine = await openEngine()
  const theatre = await engine.createTheatre('Odeon', 'Paris', 'Europe/Paris')
  const screen = await engine.addScreen(theatre.id, 'One', LAYOUT)
  const byText = await engine.updateScreen(screen.id, 'Small', SMALL)
  assert.equal(byText.id, screen.id)
  assert.equal(byText.theatre, theatre.id)
  assert.equal(byText.name, 'Small')
  assert.equal(byText.seatCount, 4)
  assert.deepEqual(bc.parseLayout(byText.layoutText).seats.map((s) => s.label), ['A1', 'A2', 'A3', 'A4'])
  const byJson = await engine.updateScreen(screen.id, 'Big', JSON.parse(screen.layoutJson))
  assert.deepEqual(bc.parseLayout(byJson.layoutText).seats, bc.parseLayout(screen.layoutText).seats)
  assert.deepEqual((await engine.screens(theatre.id)).map((s) => s.name), ['Big'])
  assert.equal(await engine.removeScreen(screen.id), undefined)
  assert.deepEqual(await engine.screens(theatre.id), [])
})

test('refusals reject with a BookingError of their code and fields', async () => {
  const engine = await openEngine()
  const { theatre, screen } = await setUp(engine)
  const hasScreens = await refused(engine.removeTheatre(theatre.id), 'INVALID_INPUT')
  assert.equal(hasScreens.details.field, 'theatre')
  assert.equal(hasScreens.retryable, false)
  assert.equal((await refused(engine.removeScreen(screen.id), 'INVALID_INPUT')).details.field, 'screen')
  for (const [entity, call] of [
    ['theatre', engine.updateTheatre(999_999, 'X', 'Y', 'Europe/Paris')],
    ['theatre', engine.removeTheatre(999_999)],
    ['screen', engine.updateScreen(999_999, 'X', SMALL)],
    ['screen', engine.removeScreen(999_999)],
  ]) {
    const missing = await refused(call, 'NOT_FOUND')
    assert.equal(missing.details.entity, entity)
    assert.match(missing.details.id, /999999/)
  }
  const zone = await refused(engine.updateTheatre(theatre.id, 'Odeon', 'Paris', 'Mars/Olympus'), 'INVALID_INPUT')
  assert.equal(zone.details.field, 'time_zone')
  assert.equal((await refused(engine.updateScreen(screen.id, '', SMALL), 'INVALID_INPUT')).details.field, 'name')
  const layout = await refused(engine.updateScreen(screen.id, 'One', 'row A: 1-3 3'), 'INVALID_LAYOUT')
  assert.ok(layout.details.issues.length > 0 && layout.details.issues[0].line > 0)
  assert.equal((await refused(engine.removeScreen(-1), 'INVALID_INPUT')).details.field, 'screen')
  assert.equal((await refused(engine.updateTheatre(-1, 'X', 'Y', 'Europe/Paris'), 'INVALID_INPUT')).details.field, 'theatre')
  assert.throws(() => engine.removeTheatre('one'), (e) => e instanceof Error && !bc.isBookingError(e))
  assert.throws(() => engine.updateScreen(screen.id, 'One', 42), (e) => e instanceof Error && !bc.isBookingError(e))
  await engine.close()
  await refused(engine.removeTheatre(theatre.id), 'STORE_FAILURE')
})

test('index.d.ts declares the four with their types', () => {
  const dts = readFileSync(fileURLToPath(new URL('../index.d.ts', import.meta.url)), 'utf8')
  for (const signature of [
    'updateTheatre(theatre: number, name: string, city: string, timeZone: string): Promise<Theatre>',
    'removeTheatre(theatre: number): Promise<void>',
    'updateScreen(screen: number, name: string, layout: string | LayoutSpec): Promise<Screen>',
    'removeScreen(screen: number): Promise<void>',
  ]) {
    assert.ok(dts.includes(signature), `index.d.ts lacks ${signature}`)
  }
})
