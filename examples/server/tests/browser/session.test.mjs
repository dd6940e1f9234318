// Sessions in the page: an access token past its time is renewed with the refresh token, without
// sending the customer back to the login form; logging out ends the sign-in on the server too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, newCustomer, logIn } from './harness.mjs';

// Access tokens of 61 seconds: the page renews a token in its last minute, so at once.
const env = serverAndBrowser(['--token-ttl-secs', '61']);

test('a stale access token is renewed, and logout ends the sign-in on the server', { timeout: 60_000 }, async () => {
  const user = await newCustomer(env.server.url, 'Long Session');
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const refreshes = [];
  page.on('request', (r) => { if (r.url().endsWith('/v1/auth/refresh')) refreshes.push(r); });
  const loggedIn = page.waitForResponse((r) => r.url().endsWith('/v1/auth/login'));
  await logIn(page, env.server.url, user);
  const login = await (await loggedIn).json();
  assert.ok(login.access_token && login.refresh_token);

  // Its token is in its last minute at once: the next calls renew it first, once.
  await page.waitForTimeout(1_500);
  await page.goto(`${env.server.url}/#/bookings`);
  await page.getByRole('heading', { name: 'My bookings', level: 1 }).waitFor();
  assert.ok(refreshes.length >= 1, 'renewed before a call');
  const first = { token: login.access_token, refreshToken: login.refresh_token };
  const second = await page.evaluate(() => JSON.parse(localStorage.getItem('booking.session')));
  assert.ok(second.token && second.refreshToken, 'the page keeps both tokens');
  assert.notEqual(second.token, first.token);
  assert.notEqual(second.refreshToken, first.refreshToken);
  assert.ok(!page.url().includes('#/login'), 'still signed in');

  // The rotated-out refresh token is dead on the server.
  const reuse = await fetch(`${env.server.url}/v1/auth/refresh`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: first.refreshToken }),
  });
  assert.equal(reuse.status, 401);
  // ...and presenting it ended that sign-in: the page's token is refused too, so log in again.
  const me = await fetch(`${env.server.url}/v1/me`, { headers: { authorization: `Bearer ${second.token}` } });
  assert.equal(me.status, 401);

  await logIn(page, env.server.url, user);
  const third = await page.evaluate(() => JSON.parse(localStorage.getItem('booking.session')));
  await page.locator('#logout-btn').click();
  await page.waitForFunction(() => localStorage.getItem('booking.session') === null);
  const after = await fetch(`${env.server.url}/v1/me`, { headers: { authorization: `Bearer ${third.token}` } });
  assert.equal(after.status, 401, 'logout revoked the token on the server');
  await context.close();
});
