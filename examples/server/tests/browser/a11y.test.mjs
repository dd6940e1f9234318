// Automated accessibility checks (axe-core) of every view, in both themes: no serious or
// critical violation (names, roles, contrast, labels...). The keyboard test covers the rest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { serverAndBrowser, openPage, bigShow, logIn, ADMIN, newCustomer, seat } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const env = serverAndBrowser();

/** Serious and critical axe violations of the page as it is now, as readable lines. */
async function violations(page) {
  // Evaluated by the test driver, not by the page, so the page's CSP does not apply.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

for (const theme of ['light', 'dark']) {
  test(`every view passes axe in the ${theme} theme`, { timeout: 120_000 }, async () => {
    const show = await bigShow(env.server.url);
    const customer = await newCustomer(env.server.url, 'Axe Customer');
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
    const page = await openPage(context, `${env.server.url}/`);
    const found = {};
    await page.locator('.movies').waitFor();
    found.shows = await violations(page);
    await page.goto(`${env.server.url}/#/login`);
    await page.locator('#reg-email').waitFor();
    found.login = await violations(page);

    await logIn(page, env.server.url, customer);
    await page.goto(`${env.server.url}/#/show/${show.id}`);
    await seat(page, 'J3').click(); // a loveseat half: the rule message shows too
    await page.locator('[data-rule="pair_split"]').waitFor();
    found.seatMap = await violations(page);

    await page.goto(`${env.server.url}/#/bookings`);
    await page.getByRole('heading', { name: 'My bookings' }).waitFor();
    found.bookings = await violations(page);

    await logIn(page, env.server.url, ADMIN);
    await page.goto(`${env.server.url}/#/admin`);
    await page.locator('#admin-analytics figure').first().waitFor();
    await page.locator('.preview figcaption').waitFor();
    found.admin = await violations(page);

    for (const [view, list] of Object.entries(found)) assert.deepEqual(list, [], `${view} (${theme})`);
    assert.deepEqual(page.problems(), []);
    await context.close();
  });
}
