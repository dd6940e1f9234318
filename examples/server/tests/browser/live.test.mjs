// (2) Two customers choose the same seat. The first holds it; the second sees it turn
// unavailable live (Server-Sent Events, no reload) and is told it was taken. A third, whose live
// stream is cut, sends a stale selection and is told by the server's refusal, in words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, bigShow, newCustomer, logIn, seat, api } from './harness.mjs';

const LIVE_WITHIN_MS = 5_000;

const env = serverAndBrowser();

async function customerPage(show, name, { cutLive = false } = {}) {
  const user = await newCustomer(env.server.url, name);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (cutLive) await context.route('**/v1/shows/*/events*', (route) => route.abort());
  const page = await openPage(context);
  await logIn(page, env.server.url, user);
  await page.goto(`${env.server.url}/#/show/${show.id}`);
  await seat(page, 'F1').waitFor();
  return { page, context, user };
}

test('a seat taken by another customer turns unavailable live and the second customer is told', { timeout: 90_000 }, async () => {
  const show = await bigShow(env.server.url);
  const a = await customerPage(show, 'First Customer');
  const b = await customerPage(show, 'Second Customer');

  // Both choose F1 (one seat at the row end strands nobody).
  await seat(a.page, 'F1').click();
  await seat(b.page, 'F1').click();
  assert.equal(await seat(b.page, 'F1').getAttribute('aria-pressed'), 'true');
  await b.page.evaluate(() => { window.__sameDocument = true; });

  // The first holds it.
  await a.page.locator('#hold-button').click();
  await a.page.getByRole('heading', { name: 'Seats held for you' }).waitFor();

  // The second's map changes by itself: F1 is held, out of the selection, and they are told.
  await b.page.waitForFunction(() => {
    const el = document.querySelector('.seat-grid button.seat[data-label="F1"]');
    return el.classList.contains('st-held') && el.getAttribute('aria-pressed') === 'false';
  }, null, { timeout: LIVE_WITHIN_MS });
  assert.match(await seat(b.page, 'F1').getAttribute('aria-label'), /^F1, standard, .*, held, unavailable$/);
  await b.page.locator('[data-message="warning"]', { hasText: 'F1 was just taken by another customer and was removed from your selection.' }).waitFor();
  assert.equal(await b.page.locator('#hold-button').isDisabled(), true, 'nothing left to hold');
  assert.equal(await b.page.evaluate(() => window.__sameDocument), true, 'no reload happened');
  assert.match(await b.page.locator('.live-state').textContent(), /Live/);

  // The first releases it: it turns available again for the second, live.
  await a.page.getByRole('button', { name: 'Release seats' }).click();
  await b.page.waitForFunction(() => document.querySelector('.seat-grid button.seat[data-label="F1"]').classList.contains('st-available'), null, { timeout: LIVE_WITHIN_MS });

  assert.deepEqual(a.page.problems(), []);
  assert.deepEqual(b.page.problems(), []);
  await a.context.close();
  await b.context.close();
});

test('with its live stream cut, a stale selection is refused by the server and explained', { timeout: 90_000 }, async () => {
  const show = await bigShow(env.server.url);
  const c = await customerPage(show, 'Offline Customer', { cutLive: true });
  await seat(c.page, 'G4').click();
  assert.equal(await seat(c.page, 'G4').getAttribute('aria-pressed'), 'true');

  // Someone else holds G4; this page cannot know.
  const other = await newCustomer(env.server.url, 'Quick Customer');
  await api(env.server.url, 'POST', `/v1/shows/${show.id}/holds`, { seats: ['G4'] }, other.token);
  assert.ok(await seat(c.page, 'G4').evaluate((el) => el.classList.contains('st-available')), 'the stale page still shows G4 free');

  await c.page.locator('#hold-button').click();
  await c.page.locator('[data-message="error"]', { hasText: 'Sorry, G4 is no longer available: another customer took it.' }).waitFor();
  await c.page.waitForFunction(() => document.querySelector('.seat-grid button.seat[data-label="G4"]').classList.contains('st-held'));
  assert.equal(await seat(c.page, 'G4').getAttribute('aria-pressed'), 'false');
  await c.context.close();
});
