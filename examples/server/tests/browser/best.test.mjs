// The best-available form: a customer asks for the best 3 seats with the keyboard, the page
// selects and announces them, the customer holds them, and the server agrees that exactly those
// seats, side by side in one row, are held for that customer. Another customer holds the seats
// that were best before, so the page must take the server's present answer, not a stale one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, bigShow, newCustomer, api, logIn, tabTo, seat } from './harness.mjs';

const COUNT = 3;

const env = serverAndBrowser();

const labelsOf = (text) => text.split(', ').map((l) => l.trim());
const sorted = (labels) => [...labels].sort();

test('the best seats found by the form are the ones held', { timeout: 90_000 }, async () => {
  const show = await bigShow(env.server.url);
  const user = await newCustomer(env.server.url, 'Best Seats');
  const rival = await newCustomer(env.server.url, 'Early Bird');
  // The best seats before anyone chose: another customer holds them first.
  const before = (await api(env.server.url, 'GET', `/v1/shows/${show.id}/best-available?count=${COUNT}`)).seats;
  assert.equal(before.length, COUNT);
  const rivalHold = await api(env.server.url, 'POST', `/v1/shows/${show.id}/holds`, { seats: before }, rival.token);
  assert.deepEqual(sorted(rivalHold.seats), sorted(before));

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context);
  await logIn(page, env.server.url, user);
  await page.goto(`${env.server.url}/#/show/${show.id}`);
  await page.getByRole('heading', { name: show.title, level: 1 }).waitFor();
  await seat(page, 'A1').waitFor();
  for (const l of before) assert.match(await seat(page, l).getAttribute('aria-label'), /, held, unavailable$/);

  // The form, with the keyboard: the count (2 by default) one up, then "Find seats".
  const kb = page.keyboard;
  await tabTo(page, '#best-count');
  assert.equal(await page.locator('#best-count').inputValue(), '2');
  await kb.press('ArrowDown');
  assert.equal(await page.locator('#best-count').inputValue(), String(COUNT));
  await tabTo(page, 'form.best button[type="submit"]');
  await kb.press('Enter');

  // Announced, selected on the map, and listed as chips: the same seats, none of the rival's.
  const said = new RegExp(`^Best ${COUNT} seats: (.+)\\.$`);
  await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('sr-status').textContent), said.source);
  const announced = labelsOf((await page.locator('#sr-status').textContent()).match(said)[1]);
  assert.equal(announced.length, COUNT);
  assert.equal(new Set(announced).size, COUNT, 'no seat announced twice');
  for (const l of announced) assert.ok(!before.includes(l), `${l} is held by the other customer, yet was suggested`);
  const pressed = await page.locator('.seat-grid button.seat[aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.dataset.label));
  assert.deepEqual(sorted(pressed), sorted(announced), 'the map selects the announced seats');
  const chips = await page.getByRole('list', { name: 'Selected seats' }).locator('li > span:first-child')
    .evaluateAll((els) => els.map((e) => e.firstChild.textContent.trim()));
  assert.deepEqual(sorted(chips), sorted(announced), 'the panel lists the announced seats');
  const now = (await api(env.server.url, 'GET', `/v1/shows/${show.id}/best-available?count=${COUNT}`)).seats;
  assert.deepEqual(sorted(announced), sorted(now), 'the page suggests what the server finds best now');

  // Hold them, with the mouse, once the quote is in and no rule stands in the way.
  await page.locator('table.quote tr.q-line').nth(COUNT - 1).waitFor();
  assert.equal(await page.locator('[data-rule]').count(), 0, 'the suggestion breaks no selection rule');
  await page.getByRole('button', { name: `Hold ${COUNT} seats` }).click();
  await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
  await page.waitForFunction(() => / held for you for \d+ minutes\.$/.test(document.getElementById('sr-status').textContent));
  const heldSaid = labelsOf((await page.locator('#sr-status').textContent()).match(/^(.+) held for you for/)[1]);
  assert.deepEqual(sorted(heldSaid), sorted(announced), 'the hold is announced with the suggested seats');

  // The server: this customer's hold has exactly those seats ...
  const holdId = await page.evaluate(() => JSON.parse(sessionStorage.getItem('booking.flow')).hold.id);
  const hold = await api(env.server.url, 'GET', `/v1/holds/${holdId}`, undefined, user.token);
  assert.deepEqual(sorted(hold.seats), sorted(announced));
  assert.ok(hold.remaining_ms > 0);
  // ... the whole show has no other held seat than the rival's and these ...
  const map = await (await fetch(`${env.server.url}/v1/shows/${show.id}/seats`)).json();
  const held = map.seats.filter((s) => s.status === 'held').map((s) => s.label);
  assert.deepEqual(sorted(held), sorted([...before, ...announced]));
  // ... and they sit side by side in one row, no aisle between them.
  const mine = map.seats.filter((s) => announced.includes(s.label)).sort((a, b) => a.x - b.x);
  assert.equal(new Set(mine.map((s) => s.row)).size, 1, `one row: ${mine.map((s) => s.label)}`);
  mine.forEach((s, i) => { if (i) assert.equal(s.x, mine[i - 1].x + 1, `${mine[i - 1].label} and ${s.label} are adjacent`); });

  // The map shows them as held for this customer, the rival's as taken.
  for (const l of announced) {
    assert.match(await seat(page, l).getAttribute('aria-label'), /, held for you$/);
    assert.deepEqual(await seat(page, l).evaluate((el) => [el.classList.contains('st-held'), el.classList.contains('mine')]), [true, true], `${l} drawn as held and mine`);
  }
  for (const l of before) {
    assert.match(await seat(page, l).getAttribute('aria-label'), /, held, unavailable$/);
    assert.equal(await seat(page, l).evaluate((el) => el.classList.contains('mine')), false);
  }
  assert.equal(await page.locator('.seat-grid button.seat.mine').count(), COUNT);

  assert.deepEqual(page.problems(), []);
  await context.close();
});
