// (3) The admin creates a theatre, then a screen from layout text: a mistake is shown at its
// line, the fix gives a live preview, the screen is created; then a show is scheduled on it
// (and a clash refused), its seat map has the new layout, and the charts show a sale.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serverAndBrowser, openPage, logIn, ADMIN, api, bigShow, newCustomer, artefactsDir, tomorrowInLisbon } from './harness.mjs';

const env = serverAndBrowser();

const BROKEN = `layout "Sala Teste"
section Plateia category=standard
row A: w1 c2 3-8
row B 1-8
row C category=vip: (1 2) (3 4) _ 5-6 x7
`;

/** A sale through the API, so that the charts have something to draw. */
async function sellTwoSeats() {
  const show = await bigShow(env.server.url);
  const buyer = await newCustomer(env.server.url, 'Buyer');
  const hold = await api(env.server.url, 'POST', `/v1/shows/${show.id}/holds`, { seats: ['E10', 'E11'] }, buyer.token);
  const booking = await api(env.server.url, 'POST', '/v1/bookings', { hold: hold.id }, buyer.token);
  await api(env.server.url, 'POST', `/v1/bookings/${booking.id}/pay`, { payment_token: 'tok_visa' }, buyer.token);
  return show;
}

test('the admin creates a theatre, a screen from layout text with an error fixed, and a show', { timeout: 120_000 }, async () => {
  const sold = await sellTwoSeats();
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openPage(context);
  await logIn(page, env.server.url, ADMIN);
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('heading', { name: 'Administration' }).waitFor();

  // A theatre.
  const theatreForm = page.locator('#admin-theatre');
  await theatreForm.getByLabel('Name').fill('Cinema Teste');
  await theatreForm.getByLabel('City').fill('Braga');
  await theatreForm.getByLabel('Time zone').fill('Europe/Lisbon');
  await theatreForm.getByRole('button', { name: 'Create theatre' }).click();
  await theatreForm.getByText('Theatre “Cinema Teste” created in Braga.').waitFor();

  // A screen: the layout text has a row without its colon, on line 4.
  const screenForm = page.locator('#admin-screen');
  assert.match(await screenForm.getByLabel('Theatre').locator('option:checked').textContent(), /Cinema Teste/);
  await screenForm.getByLabel('Screen name').fill('Sala Teste');
  await screenForm.locator('#layout-text').fill(BROKEN);
  const issue = screenForm.locator('#layout-issues li[data-line="4"]');
  await issue.getByText("Line 4, column 1: a row needs ':' before its seats").waitFor();
  await screenForm.locator('.gutter span.err[data-line="4"]').waitFor();
  assert.equal(await screenForm.locator('.gutter span.err').count(), 1, 'only line 4 is marked');
  assert.equal(await screenForm.locator('#layout-text').getAttribute('aria-invalid'), 'true');
  await screenForm.getByText('1 problem in the layout.').waitFor();
  assert.equal(await screenForm.locator('.preview .seat-grid .seat').count(), 0, 'no preview of a broken layout');

  // The issue takes the caret to its line.
  await issue.getByRole('button').click();
  const caret = await screenForm.locator('#layout-text').evaluate((t) => t.value.slice(0, t.selectionStart).split('\n').length);
  assert.equal(caret, 4);

  // Sent anyway, the server refuses it and the problem stays at its line.
  await screenForm.getByRole('button', { name: 'Create screen' }).click();
  await screenForm.getByText('The layout has problems; they are listed above at their lines.').waitFor();

  // Fixed: the live preview draws the seats, with the categories, the wheelchair place and the pairs.
  await screenForm.locator('#layout-text').fill(BROKEN.replace('row B 1-8', 'row B: 1-8'));
  await screenForm.getByText('Valid layout: 23 seats.').waitFor();
  assert.equal(await screenForm.locator('.gutter span.err').count(), 0);
  assert.equal(await screenForm.locator('#layout-issues li').count(), 0);
  assert.equal(await screenForm.locator('.preview .seat-grid .seat').count(), 23);
  await screenForm.locator('.preview figcaption', { hasText: '23 seats in 3 rows. Categories: standard (16), vip (7). 1 wheelchair space, 1 companion seat, 4 loveseats, 1 blocked seat.' }).waitFor();
  await screenForm.locator('.preview').screenshot({ path: path.join(artefactsDir(), 'layout-preview.png') });
  await screenForm.getByRole('button', { name: 'Create screen' }).click();
  await screenForm.getByText('Screen “Sala Teste” created with 23 seats.').waitFor();

  // A show on the new screen, tomorrow at 20:00 theatre time.
  const showForm = page.locator('#admin-show');
  await showForm.getByLabel('Theatre').selectOption({ label: 'Cinema Teste (Braga)' });
  await showForm.locator('#sh-screen option', { hasText: 'Sala Teste (23 seats)' }).waitFor({ state: 'attached' });
  await showForm.getByLabel('Movie').selectOption({ label: 'Nosferatu (94 min)' });
  await showForm.getByLabel('Date').fill(tomorrowInLisbon());
  await showForm.getByLabel('Start').fill('20:00');
  await showForm.getByLabel('Tickets per customer (held, pending and paid together)').fill('0');
  await showForm.getByRole('button', { name: 'Schedule show' }).click();
  await showForm.getByText(/^Tickets per customer: must be between 1 and/).waitFor();
  await showForm.getByLabel('Tickets per customer (held, pending and paid together)').fill('2');
  await showForm.getByRole('button', { name: 'Schedule show' }).click();
  const link = showForm.getByRole('link', { name: 'Open its seat map' });
  await link.waitFor();
  assert.match(await showForm.locator('.msg').textContent(), /Scheduled: Nosferatu, \w{3} \d+ \w{3} \d{4} 20:00 at Cinema Teste/);
  const showId = await link.getAttribute('data-new-show');
  assert.equal(await link.getAttribute('href'), `#/show/${showId}`);
  const created = await api(env.server.url, 'GET', `/v1/shows/${showId}`);
  assert.equal(created.city, 'Braga');
  assert.equal(created.seat_count, 23);
  assert.equal(created.tickets_per_owner_max, 2);
  // 20:00 in the theatre's zone, whatever the browser's: the instant is RFC 3339 in UTC.
  assert.match(created.starts_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: created.time_zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  assert.equal(local.format(new Date(created.starts_at)), '20:00');

  // The same slot again clashes.
  await showForm.getByRole('button', { name: 'Schedule show' }).click();
  await showForm.getByText(/This screen already has a show then \(show \d+\)/).waitFor();

  // The charts: the sale made above shows in occupancy and revenue.
  const charts = page.locator('#admin-analytics');
  await charts.locator('figure', { hasText: 'Occupancy' }).locator('rect.chart-bar').first().waitFor();
  const occupancy = await charts.locator('figure', { hasText: 'Occupancy' }).locator('svg').getAttribute('aria-label');
  assert.match(occupancy, new RegExp(`${sold.title}, .* \\(2/176\\)`));
  assert.ok(await charts.locator('figure', { hasText: 'Net revenue per day' }).locator('rect.chart-bar').count() >= 1);
  await charts.getByLabel('Revenue period').selectOption('month');
  await charts.locator('figure', { hasText: 'Net revenue per month' }).waitFor();
  await charts.screenshot({ path: path.join(artefactsDir(), 'admin-charts.png') });

  // The new show's page draws the new layout.
  await page.goto(`${env.server.url}/#/show/${showId}`);
  await page.getByRole('heading', { name: 'Nosferatu', level: 1 }).waitFor();
  assert.equal(await page.locator('.seat-grid button.seat').count(), 23);
  assert.match(await page.locator('.seat-grid button.seat[data-label="C7"]').getAttribute('aria-label'), /^C7, vip, .*, not for sale$/);
  assert.match(await page.locator('.show-meta').textContent(), /Cinema Teste · Sala Teste · Braga/);
  await page.locator('.show-cap', { hasText: 'At most 2 tickets per customer' }).waitFor();

  assert.deepEqual(page.problems(), []);
  await context.close();
});
