// General admission by quantity: on a show with a standing zone, the customer asks for a number
// of standing places beside a seat, sees the price, holds them and gets numbered places; when
// another customer has taken most of the zone meanwhile, the refusal says how many are left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serverAndBrowser, openPage, newCustomer, api, logIn, seat, ADMIN, artefactsDir } from './harness.mjs';

const env = serverAndBrowser();

const HALL = `layout "Sala com plateia de pé"
section Plateia category=standard
row A: 1-6
zone Pista capacity=4 category=standard
`;

/** A show tomorrow on a new screen with a standing zone of 4 places. */
async function standingShow(base) {
  const admin = (await api(base, 'POST', '/v1/auth/login', ADMIN)).access_token;
  const theatre = await api(base, 'POST', '/v1/admin/theatres', { name: 'Coliseu', city: 'Porto', time_zone: 'Europe/Lisbon' }, admin);
  const screen = await api(base, 'POST', `/v1/admin/theatres/${theatre.id}/screens`, { name: 'Sala', layout_text: HALL }, admin);
  const movies = await api(base, 'GET', '/v1/movies');
  const starts = new Date(Date.now() + 2 * 86_400_000).toISOString();
  return api(base, 'POST', '/v1/admin/shows', { screen: screen.id, movie: movies[0].id, starts_at: starts }, admin);
}

test('standing places are asked for by number, priced, held and named', { timeout: 90_000 }, async () => {
  const show = await standingShow(env.server.url);
  const map = await api(env.server.url, 'GET', `/v1/shows/${show.id}/seats`);
  assert.deepEqual(map.zones.map((z) => [z.name, z.capacity, z.available]), [['Pista', 4, 4]]);
  const user = await newCustomer(env.server.url, 'Rui Pista');

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context);
  await logIn(page, env.server.url, user);
  await page.goto(`${env.server.url}/#/show/${show.id}`);
  await page.getByRole('heading', { name: show.title, level: 1 }).waitFor();
  assert.equal(await page.locator('.seat-grid button.seat').count(), 6, 'standing places are not seats on the map');
  await page.locator('.places-left', { hasText: '4 of 4 left' }).waitFor();

  // The customer chooses a seat and 2 places, and sees their price...
  await seat(page, 'A3').click();
  await page.getByLabel('Pista').selectOption('2');
  await page.locator('table', { hasText: 'Pista' }).first().waitFor();
  await page.locator('.show-layout').screenshot({ path: path.join(artefactsDir(), 'standing-places.png') });
  // ... while someone else takes 3 of the 4 places.
  const rival = await newCustomer(env.server.url, 'Rival');
  await api(env.server.url, 'POST', `/v1/shows/${show.id}/holds`, { seats: [], places: [{ zone: 'Pista', quantity: 3 }] }, rival.token);
  await page.locator('.places-left', { hasText: '1 of 4 left' }).waitFor();
  await page.locator('#hold-button:not([disabled])').click();
  await page.getByText('Sorry, Pista has only 1 place left. Choose fewer places.').waitFor();

  await page.getByLabel('Pista').selectOption('1');
  await page.locator('#hold-button:not([disabled])').click();
  await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
  const held = await page.locator('.panel-step p', { hasText: 'Seats A3, Pista-' }).textContent();
  assert.match(held, /Seats A3, Pista-4\./, 'the place left is named by its number');
  const after = await api(env.server.url, 'GET', `/v1/shows/${show.id}/seats`);
  assert.deepEqual(after.zones.map((z) => z.available), [0]);

  assert.deepEqual(page.problems(), []);
  await context.close();
});
