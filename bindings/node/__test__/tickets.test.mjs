// Tickets verify offline with the engine's public key alone, as a door scanner would.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bc, openEngine, setUp, refused } from './helpers.mjs'

test('a scanner verifies tickets with the public key alone', async () => {
  const engine = await openEngine()
  const { show } = await setUp(engine)
  const hold = await engine.hold(show.id, 'ann', ['A4', 'A5'])
  const booking = await engine.createBooking(hold.id, 'ann', 'order-1', hold.fence)
  const { tickets } = await engine.confirmBooking(booking.id, 'ann', 'psp-1', 'pay-1')
  const { keys } = engine.ticketKeys()
  assert.deepEqual(keys.map((k) => [k.kty, k.crv, k.alg, k.signing]), [['OKP', 'Ed25519', 'EdDSA', true]])
  const publicKeys = keys.map((k) => k.x)
  const claims = bc.verifyTicket(tickets[1].code, publicKeys)
  assert.deepEqual([claims.show, claims.booking], [show.id, booking.id])
  assert.ok(claims.seat >= 0)

  // A forged code, or another engine's key, is refused with its reason.
  const forged = tickets[1].code.replace(`.${booking.id}.`, `.${booking.id + 1}.`)
  const verify = (code, k) => Promise.resolve().then(() => bc.verifyTicket(code, k))
  assert.equal((await refused(verify(forged, publicKeys), 'INVALID_TICKET')).details.reason, 'signature does not match')
  const other = (await bc.Engine.open({ signingKey: 'another secret of 32 bytes at least!' })).ticketKeys().keys[0].x
  assert.match((await refused(verify(tickets[0].code, [other]), 'INVALID_TICKET')).details.reason, /unknown key/)
  assert.equal((await refused(verify(tickets[0].code, ['not a key']), 'INVALID_INPUT')).details.field, 'public_keys')
  await refused(verify(tickets[0].code, []), 'INVALID_INPUT')
  // Verifying changed nothing: the ticket still checks in once.
  assert.equal((await engine.checkIn(tickets[0].code)).ticket.seat, 'A4')
})
