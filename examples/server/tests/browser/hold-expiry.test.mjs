// Seats chosen before logging in survive the login. The hold's countdown runs down visibly; when it ends the customer is told, and the seats are
// free again on the map (the server's hold_expired event and the page's own clock agree).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, bigShow, newCustomer, seat } from './harness.mjs';

const HOLD_TTL_S = 4;

const env = serverAndBrowser(['--hold-ttl-secs', String(HOLD_TTL_S)]);

test('a hold counts down, expires, and its seats become free again', { timeout: 60_000 }, async () => {
  const show = await bigShow(env.server.url);
  const user = await newCustomer(env.server.url, 'Slow Customer');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Seats chosen before logging in stay chosen through the login.
  const page = await openPage(context, `${env.server.url}/#/show/${show.id}`);
  await seat(page, 'G1').click();
  await seat(page, 'G2').click();
  await page.getByRole('button', { name: 'Log in to hold 2 seats' }).click();
  await page.locator('#login-email').fill(user.email);
  await page.locator('#login-password').fill(user.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('button', { name: 'Hold 2 seats' }).waitFor();
  assert.equal(await seat(page, 'G1').getAttribute('aria-pressed'), 'true');
  await page.locator('#hold-button').click();
  await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();

  const read = () => page.locator('[data-countdown="hold"]').textContent();
  await page.waitForFunction(() => /^0:0\d$/.test(document.querySelector('[data-countdown="hold"]')?.textContent || ''));
  const start = await read();
  assert.ok(Number(start.slice(2)) <= HOLD_TTL_S);
  await page.waitForFunction((t) => {
    const now = document.querySelector('[data-countdown="hold"]')?.textContent;
    return now && now < t;
  }, start);

  await page.locator('[data-message="warning"]', { hasText: 'Your hold expired and the seats were released.' }).waitFor({ timeout: (HOLD_TTL_S + 5) * 1000 });
  await page.getByRole('heading', { name: 'Your seats' }).waitFor();
  await page.waitForFunction(() => /hold expired/.test(document.getElementById('sr-alert').textContent));
  for (const l of ['G1', 'G2']) {
    assert.match(await seat(page, l).getAttribute('aria-label'), /, available$/);
  }
  // And for the server too: another look at the map shows them free.
  const fresh = await (await fetch(`${env.server.url}/v1/shows/${show.id}/seats`)).json();
  assert.equal(fresh.seats.find((s) => s.label === 'G1').status, 'available');

  assert.deepEqual(page.problems(), []);
  await context.close();
});
