// The copy of the page built into the binary (the server started without --web-dir, as in
// production) works: the home page lists the shows, a show's seat map is drawn, and nothing
// goes wrong in the console. Every other test serves the files of this tree instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, bigShow, seat } from './harness.mjs';

const env = serverAndBrowser([], { embedded: true });

test('the embedded page loads, opens a show and draws its seat map', { timeout: 60_000 }, async () => {
  const show = await bigShow(env.server.url);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(context, `${env.server.url}/`);
  await page.getByRole('heading', { name: 'What’s on' }).waitFor();
  await page.getByLabel('City').selectOption('Lisbon');
  await page.locator('.day', { hasText: 'Tomorrow' }).click();
  const link = page.locator(`a[data-show-id="${show.id}"]`);
  await link.waitFor();
  await link.click();
  await page.getByRole('heading', { name: show.title, level: 1 }).waitFor();
  await seat(page, 'A1').waitFor();
  assert.equal(await page.locator('.seat-grid button.seat').count(), show.seat_count, 'a button for every seat');
  assert.match(await seat(page, 'A1').getAttribute('aria-label'), /^A1, standard, \d+\.\d{2} EUR, available/);
  assert.deepEqual(page.problems(), []);
  await context.close();
});
