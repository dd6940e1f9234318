// Money is formatted through the exponent the server sends with every amount (booking-core's
// ISO 4217 table), never by assuming cents; times through the theatre's zone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { money, moneyOf, localTime, startsLocal } from '../../web/format.js';

test('amounts take their currency exponent: two, none or three decimals', () => {
  assert.equal(money(1250, 'EUR', 2), '12.50 EUR');
  assert.equal(money(1250, 'JPY', 0), '1250 JPY');
  assert.equal(money(1250, 'BHD', 3), '1.250 BHD');
  assert.equal(money(-7, 'BHD', 3), '−0.007 BHD');
  assert.equal(money(5, 'EUR', 2), '0.05 EUR');
  assert.equal(money(12345, 'CLF', 4), '1.2345 CLF');
  assert.equal(moneyOf({ minor: 900, currency: 'KRW', exponent: 0, amount: '900' }), '900 KRW');
  assert.equal(moneyOf(null), 'price unavailable');
});

test('without an exponent an amount stays in minor units rather than being guessed', () => {
  assert.equal(money(1250, 'XYZ'), '1250 XYZ (minor units)');
});

test('a start reads in the theatre’s zone, whatever the browser’s', () => {
  assert.equal(localTime('2026-11-27T21:00:00.000Z', 'Europe/Lisbon'), 'Fri 27 Nov 2026 21:00');
  assert.equal(localTime('2026-11-27T21:00:00.000Z', 'Asia/Tokyo'), 'Sat 28 Nov 2026 06:00');
  assert.equal(startsLocal({ starts_at: '2026-07-01T18:30:00.000Z', time_zone: 'Europe/Lisbon' }), 'Wed 1 Jul 2026 19:30');
});
