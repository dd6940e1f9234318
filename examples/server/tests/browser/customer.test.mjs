// (1) A customer registers, browses, is told why a selection cannot be held, books two seats,
// pays (after a declined card) and gets the tickets with their QR codes; the seats then show as
// booked, the booking is listed and can be refunded. Screenshots of the seat map on a desktop
// and a phone, in both themes, go to the artefacts folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serverAndBrowser, openPage, bigShow, tomorrowInLisbon, seat, artefactsDir, newCustomer, api, logIn } from './harness.mjs';

const env = serverAndBrowser();

test('a customer books two seats end to end and sees the ticket QR codes', { timeout: 120_000 }, async () => {
  const show = await bigShow(env.server.url);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await openPage(context, `${env.server.url}/`);
  await page.getByRole('heading', { name: 'What’s on' }).waitFor();

  // Register (which logs in) from the header's link.
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.locator('#reg-name').fill('Ana Sousa');
  await page.locator('#reg-email').fill('ana@example.com');
  await page.locator('#reg-password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('The password needs at least 10 characters.').waitFor();
  await page.locator('#reg-password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#who', { hasText: 'Ana Sousa' }).waitFor();

  // Browse: city, movie and day narrow the list down to the show.
  await page.getByLabel('City').selectOption('Lisbon');
  await page.getByLabel('Movie').selectOption(String(show.movie));
  await page.locator('.day', { hasText: 'Tomorrow' }).click();
  await page.waitForFunction((d) => location.hash.includes(`date=${d}`), tomorrowInLisbon());
  const link = page.locator(`a[data-show-id="${show.id}"]`);
  await link.waitFor();
  assert.equal(await page.locator('.movie').count(), 1, 'one movie left after filtering by movie');
  await link.click();
  await page.getByRole('heading', { name: show.title, level: 1 }).waitFor();
  await seat(page, 'A1').waitFor();

  // The map is drawn from the layout: rows, aisles, categories, wheelchair, companion, loveseats.
  assert.match(await seat(page, 'A1').getAttribute('aria-label'), /^A1, standard, \d+\.\d{2} EUR, available, wheelchair space$/);
  assert.match(await seat(page, 'A2').getAttribute('aria-label'), /companion seat$/);
  assert.match(await seat(page, 'J1').getAttribute('aria-label'), /loveseat with J2$/);
  assert.match(await seat(page, 'D7').getAttribute('aria-label'), /^D7, premium, /);
  const [b6, b7] = [await seat(page, 'B6').boundingBox(), await seat(page, 'B7').boundingBox()];
  const [b1, b2] = [await seat(page, 'B1').boundingBox(), await seat(page, 'B2').boundingBox()];
  assert.ok(b7.x - b6.x > 1.6 * (b2.x - b1.x), 'the aisle between B6 and B7 is drawn as a gap');
  await page.locator('.legend', { hasText: 'premium' }).waitFor();

  // A loveseat half is explained and can be completed in one click.
  await seat(page, 'J3').click();
  const pairMsg = page.locator('[data-rule="pair_split"]');
  await pairMsg.getByText('J3 is a loveseat, sold only together with J4').waitFor();
  assert.equal(await page.locator('#hold-button').isDisabled(), true);
  await pairMsg.getByRole('button', { name: 'Add J4' }).click();
  await page.locator('[data-rule]').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Clear' }).click();

  // A seat that strands its neighbour is explained before anything is sent.
  await seat(page, 'B2').click();
  await page.locator('[data-rule="orphan_seat"]').getByText('Seat B1 would be left empty on its own').waitFor();
  assert.equal(await page.locator('#hold-button').isDisabled(), true);
  await seat(page, 'B1').click();
  await page.locator('[data-rule]').waitFor({ state: 'detached' });
  assert.equal(await seat(page, 'B1').getAttribute('aria-pressed'), 'true');
  assert.match(await seat(page, 'B2').getAttribute('aria-label'), /^B2, standard, .* EUR, selected$/);

  // The quote has a line per seat and the total.
  const quote = page.locator('table.quote');
  await quote.locator('tr.q-line').nth(1).waitFor();
  assert.equal(await quote.locator('tr.q-line').count(), 2);
  assert.match(await quote.locator('tr.q-grand').innerText(), /Total\s+\d+\.\d{2} EUR/);

  // Screenshots of the seat map with a selection: desktop and phone, light and dark.
  const dir = artefactsDir();
  await page.locator('.map-col').screenshot({ path: path.join(dir, 'seatmap-desktop.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.map-col').scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways page scroll on a phone');
  const scroller = page.locator('.seat-scroll');
  assert.ok(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth), 'on a phone the seat map scrolls inside its box');
  await page.screenshot({ path: path.join(dir, 'seatmap-phone.png') });
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.screenshot({ path: path.join(dir, 'seatmap-phone-dark.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('.map-col').screenshot({ path: path.join(dir, 'seatmap-desktop-dark.png') });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), bg, 'the theme toggle changes the colours');

  // Hold: a visible countdown.
  await page.locator('#hold-button').click();
  await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
  const countdown = page.locator('[data-countdown="hold"]');
  await page.waitForFunction(() => /^\d+:\d\d$/.test(document.querySelector('[data-countdown="hold"]')?.textContent || ''));
  const first = await countdown.textContent();
  await page.waitForFunction((t) => document.querySelector('[data-countdown="hold"]')?.textContent !== t, first);
  assert.match(await seat(page, 'B1').getAttribute('aria-label'), /held for you$/);

  // Book, then pay: a declined card first, then one that works.
  await page.locator('#book-button').click();
  await page.getByRole('heading', { name: /^Pay for booking \d+$/ }).waitFor();
  await page.getByLabel('Card with no funds: declined').check();
  await page.locator('#pay-button').click();
  await page.locator('[data-message="error"]', { hasText: 'The card was declined (insufficient funds)' }).waitFor();
  await page.getByLabel('Visa •••• 4242: approved').check();
  await page.locator('#pay-button').click();
  await page.getByRole('heading', { name: 'Your tickets' }).waitFor();

  // Two tickets, each with its QR code drawn.
  const tickets = page.locator('li.ticket');
  assert.equal(await tickets.count(), 2);
  for (const label of ['B1', 'B2']) {
    const img = page.locator(`li.ticket[data-seat="${label}"] img.qr`);
    await page.waitForFunction((l) => {
      const el = document.querySelector(`li.ticket[data-seat="${l}"] img.qr`);
      return el && el.complete && el.naturalWidth > 0;
    }, label);
    assert.match(await img.getAttribute('src'), /^data:image\/svg\+xml/);
    assert.equal(await img.getAttribute('alt'), `QR code of the ticket for seat ${label}`);
  }
  await page.locator('ul.tickets').screenshot({ path: path.join(dir, 'tickets.png') });

  // The PNG downloads as a real PNG.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('li.ticket[data-seat="B1"]').getByRole('link', { name: 'Download PNG' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'ticket-B1.png');
  const file = await download.path();
  assert.deepEqual([...fs.readFileSync(file).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

  // The seats are booked: on this page, and for anyone who opens the map afresh.
  assert.match(await seat(page, 'B1').getAttribute('aria-label'), /booked by you$/);
  const other = await openPage(context, `${env.server.url}/#/show/${show.id}`);
  await seat(other, 'B2').waitFor();
  assert.match(await seat(other, 'B2').getAttribute('aria-label'), /^B2, standard, .*, booked, unavailable$/);
  assert.ok(await seat(other, 'B2').evaluate((el) => el.classList.contains('st-booked')));
  await other.close();

  // My bookings lists it, shows its tickets, and cancels it with a refund.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
  const booking = page.locator('li.booking').first();
  await booking.getByText('Confirmed').waitFor();
  await booking.getByRole('button', { name: 'Show tickets' }).click();
  await booking.locator('img.qr').first().waitFor();
  await booking.getByRole('button', { name: 'Cancel and refund' }).click();
  await booking.getByRole('button', { name: /^Confirm: cancel and refund/ }).click();
  await page.locator('li.booking[data-status="refunded"]').getByText('Refunded').waitFor();

  assert.deepEqual(page.problems(), []);
  await context.close();
});

test('a booking left unpaid is paid later from My bookings', { timeout: 60_000 }, async () => {
  const show = await bigShow(env.server.url);
  const user = await newCustomer(env.server.url, 'Later Payer');
  const hold = await api(env.server.url, 'POST', `/v1/shows/${show.id}/holds`, { seats: ['H9', 'H10'] }, user.token);
  const booking = await api(env.server.url, 'POST', '/v1/bookings', { hold: hold.id }, user.token);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context);
  await logIn(page, env.server.url, user);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
  const item = page.locator(`li.booking[data-booking-id="${booking.id}"]`);
  await item.getByText('Waiting for payment').waitFor();
  await item.getByRole('link', { name: 'Pay now' }).click();
  await page.getByRole('heading', { name: `Pay for booking ${booking.id}` }).waitFor();
  assert.match(await seat(page, 'H9').getAttribute('aria-label'), /booked by you$/);
  await page.locator('#pay-button').click();
  await page.getByRole('heading', { name: 'Your tickets' }).waitFor();
  assert.equal(await page.locator('li.ticket').count(), 2);
  assert.deepEqual(page.problems(), []);
  await context.close();
});
