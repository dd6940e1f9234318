// Accessible places: on a show more than two days away, a customer who picks a wheelchair place
// without saying they need one is told why it cannot be held; once they tick "I need a wheelchair
// place", the wheelchair place and its companion seat are held for them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, newCustomer, api, logIn, seat } from './harness.mjs';

const env = serverAndBrowser();

/** The date `days` days from now in Lisbon, as the catalogue's `date` filter takes it. */
function dayInLisbon(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(new Date(Date.now() + days * 86_400_000));
}

test('wheelchair places go to those who say they need one', { timeout: 90_000 }, async () => {
  const shows = await api(env.server.url, 'GET', `/v1/shows?city=Lisbon&date=${dayInLisbon(4)}`);
  const show = shows.find((s) => s.seat_count === 176);
  assert.ok(show, 'a demo show on the big screen in four days');
  assert.ok(new Date(show.accessible_until) > new Date(), 'its accessible places are still kept');
  const user = await newCustomer(env.server.url, 'Rita Cadeira');

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context);
  await logIn(page, env.server.url, user);
  await page.goto(`${env.server.url}/#/show/${show.id}`);
  await page.getByRole('heading', { name: show.title, level: 1 }).waitFor();
  await page.locator('#accessible-note', { hasText: 'kept for customers who need them' }).waitFor();

  await seat(page, 'A1').click();
  await page.locator('#hold-button:not([disabled])').click();
  await page.getByText('A1 is kept for customers who need a wheelchair place.').waitFor();

  await page.getByLabel('I need a wheelchair place (or a companion seat beside one)').check();
  await seat(page, 'A2').click();
  await page.locator('#hold-button:not([disabled])').click();
  await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
  const held = await api(env.server.url, 'GET', `/v1/shows/${show.id}/seats`);
  const status = (label) => held.seats?.find((s) => s.label === label)?.status;
  assert.equal(status('A1'), 'held');
  assert.equal(status('A2'), 'held');

  assert.deepEqual(page.problems(), []);
  await context.close();
});
