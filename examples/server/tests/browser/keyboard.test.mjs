// (4) A booking with the keyboard alone: log in, filter the shows, reach the seat map with Tab,
// move between seats with the arrow keys, select with Space and Enter, hold, book and pay.
// Seats are announced with label, category, price and status, and the focus is visible.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, bigShow, newCustomer, tabTo } from './harness.mjs';

const env = serverAndBrowser();

const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') || document.activeElement?.id || '');

test('a customer books with the keyboard alone', { timeout: 120_000 }, async () => {
  const show = await bigShow(env.server.url);
  const user = await newCustomer(env.server.url, 'Keyboard User');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context, `${env.server.url}/`);
  await page.getByRole('heading', { name: 'What’s on' }).waitFor();
  const kb = page.keyboard;

  // Log in.
  await tabTo(page, '#login-link');
  await kb.press('Enter');
  await tabTo(page, '#login-email');
  await kb.type(user.email);
  await kb.press('Tab');
  assert.equal(await focused(page), 'login-password');
  await kb.type(user.password);
  await kb.press('Enter');
  await page.locator('#who', { hasText: 'Keyboard User' }).waitFor();

  // Filter: the movie with the arrow keys in its list, the day with the arrow keys in its group.
  // The list is drawn again after the login: the keys go to it once it has settled, and Tab
  // finds it again if it was replaced under the focus.
  await page.locator('.results[aria-busy="false"]').waitFor();
  const movieChosen = () => page.evaluate((id) => document.querySelector('#f-movie')?.value === String(id), show.movie);
  for (let i = 0; i < 40 && !(await movieChosen()); i++) {
    if ((await focused(page)) !== 'f-movie') await tabTo(page, '#f-movie');
    await kb.press('ArrowDown');
  }
  await page.waitForFunction((id) => location.hash.includes(`movie=${id}`), show.movie);
  await tabTo(page, 'input[name="date"]:checked');
  await kb.press('ArrowRight');
  await kb.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('input[name="date"]:checked')?.nextElementSibling.textContent === 'Tomorrow');
  await page.locator(`a[data-show-id="${show.id}"]`).waitFor();
  await tabTo(page, `a[data-show-id="${show.id}"]`);
  await kb.press('Enter');
  await page.getByRole('heading', { name: show.title, level: 1 }).waitFor();

  // Into the map: one tab stop, then arrows. A1 is the first seat; C7 is two rows down, past the aisle.
  await page.locator('.seat-grid button.seat[tabindex="0"]').waitFor();
  await tabTo(page, '.seat-grid button.seat');
  assert.equal(await page.locator('.seat-grid button.seat[tabindex="0"]').count(), 1, 'one tab stop for the whole map');
  assert.match(await focused(page), /^A1, /);
  await kb.press('ArrowDown');
  await kb.press('ArrowDown');
  assert.match(await focused(page), /^C1, /);
  for (let i = 0; i < 6; i++) await kb.press('ArrowRight');
  assert.match(await focused(page), /^C7, standard, \d+\.\d{2} EUR, available$/);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused seat shows its focus');
  await kb.press('Space');
  assert.match(await focused(page), /^C7, standard, .*, selected$/);
  await kb.press('ArrowRight');
  await kb.press('Enter');
  assert.match(await focused(page), /^C8, standard, .*, selected$/);
  assert.equal(await page.locator('.seat-grid button.seat[aria-pressed="true"]').count(), 2);
  await kb.press('End');
  assert.match(await focused(page), /^C20, /);
  await kb.press('Home');
  assert.match(await focused(page), /^C1, /);

  // Tab out of the map to the hold button.
  await page.locator('table.quote tr.q-line').nth(1).waitFor();
  await tabTo(page, '#hold-button');
  await kb.press('Enter');
  await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
  await page.waitForFunction(() => /held for you/.test(document.getElementById('sr-status').textContent));
  await tabTo(page, '#book-button');
  await kb.press('Enter');
  await page.getByRole('heading', { name: /^Pay for booking/ }).waitFor();
  await tabTo(page, '#card-tok_visa');
  await kb.press('Space');
  await tabTo(page, '#pay-button');
  await kb.press('Enter');
  await page.getByRole('heading', { name: 'Your tickets' }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('img.qr')].filter((i) => i.naturalWidth > 0).length === 2);
  await page.waitForFunction(() => /Paid\. 2 tickets issued\./.test(document.getElementById('sr-status').textContent));
  assert.match(await page.locator('.seat-grid button.seat[data-label="C7"]').getAttribute('aria-label'), /booked by you$/);

  assert.deepEqual(page.problems(), []);
  await context.close();
});

test('a page that finishes loading leaves the focus where the keyboard moved it, else takes it to its heading', { timeout: 60_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context, `${env.server.url}/#/login`);
  await page.locator('#login-title').waitFor();
  // The show list answers only when the test says so: the page stays loading meanwhile.
  let answer;
  let gate = new Promise((r) => { answer = r; });
  await page.route((url) => url.pathname === '/v1/shows', async (route) => { await gate; await route.continue(); });
  const loaded = () => page.waitForFunction(() => document.getElementById('main').getAttribute('aria-busy') === 'false'
    && document.querySelector('.results')?.getAttribute('aria-busy') === 'false');
  const focusedTag = () => page.evaluate(() => document.activeElement?.tagName);

  // Moved into the page while it loads: the focus stays on the city filter.
  await page.evaluate(() => { location.hash = '#/'; });
  await page.locator('#f-city').waitFor();
  await tabTo(page, '#f-city');
  answer();
  await loaded();
  assert.equal(await focused(page), 'f-city', 'the loaded page took the focus from where the keyboard had moved it');

  // Not moved: the new page's heading gets the focus, so a screen reader starts there.
  gate = new Promise((r) => { answer = r; });
  await page.evaluate(() => { location.hash = '#/login'; });
  await page.locator('#login-title').waitFor();
  await page.evaluate(() => { location.hash = '#/'; });
  await page.locator('#f-city').waitFor();
  answer();
  await loaded();
  assert.equal(await focusedTag(), 'H1');
  assert.deepEqual(page.problems(), []);
  await context.close();
});
