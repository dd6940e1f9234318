// What every browser test needs: the real server (the binary in BOOKING_SERVER_BIN, serving the
// page files of this tree with --web-dir, or the copy built into it) on a free port, headless
// Chromium, a few API calls to set the stage, and the keyboard and console checks the tests share.

import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(HERE, '../../web');
export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const START_TIMEOUT_MS = 30_000;

/** Where screenshots go: BOOKING_WEB_ARTEFACTS, or artefacts/ beside the tests. */
export function artefactsDir() {
  const dir = process.env.BOOKING_WEB_ARTEFACTS || path.join(HERE, 'artefacts');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A server and a browser for the test file that calls this: started before its tests, stopped
 * after them. `extraArgs` and `options` are `startServer`'s. Read `.server` and `.browser` in
 * the tests.
 */
export function serverAndBrowser(extraArgs = [], options = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer(extraArgs, options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/**
 * Starts the server; resolves to `{url, stop()}` once it prints its address. It serves the page
 * files of this tree (--web-dir), unless `embedded` is set: then the copy built into the binary
 * (no --web-dir, and no BOOKING_WEB_DIR from the environment either).
 */
export async function startServer(extraArgs = [], { embedded = false } = {}) {
  const bin = process.env.BOOKING_SERVER_BIN;
  if (!bin) throw new Error('set BOOKING_SERVER_BIN to the booking-server binary');
  const port = await freePort();
  const args = [
    '--listen', `127.0.0.1:${port}`, '--log-format', 'text',
    '--admin-email', ADMIN.email, '--admin-password', ADMIN.password,
    '--rate-limit-per-sec', '0', '--login-per-min', '0', ...(embedded ? [] : ['--web-dir', WEB_DIR]), ...extraArgs,
  ];
  const env = { ...process.env };
  if (embedded) delete env.BOOKING_WEB_DIR;
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-20_000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before starting:\n${log}`)); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/booking-server on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  child.removeAllListeners('exit');
  try {
    await checkAssets(url);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    log: () => log,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }),
  };
}

/**
 * Every module the page imports must be served: a binary built before a module was added to
 * the ASSETS table of src/web.rs answers 404 for it, and the page would never start.
 */
async function checkAssets(base) {
  const seen = new Set();
  const queue = ['app.js', 'style.css'];
  const missing = [];
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const res = await fetch(`${base}/assets/${name}`);
    if (!res.ok) { missing.push(`${name} (${res.status})`); continue; }
    if (!name.endsWith('.js')) continue;
    const text = await res.text();
    for (const m of text.matchAll(/^import [^;]*? from '\.\/([\w.-]+)';$/gm)) queue.push(m[1]);
  }
  if (missing.length) {
    throw new Error(`the server does not serve ${missing.join(', ')}: every page file must be listed in the ASSETS `
      + 'table of examples/server/src/web.rs, and BOOKING_SERVER_BIN must be built from that table');
  }
}

/** Headless Chromium: Debian's, or CHROMIUM_PATH. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A page that records script errors and CSP violations; `problems()` lists them. Failed
 * requests (a 409 the test provoked, say) are not problems: the page handles those.
 */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  if (url) await page.goto(url);
  page.problems = () => problems;
  return page;
}

/** A JSON call to the API (for setting the stage; the tests act through the page). */
export async function api(base, method, p, body, token) {
  const res = await fetch(base + p, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), 'idempotency-key': `${Math.random()}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

let users = 0;
/** A new customer account: `{email, password, name, token}`. */
export async function newCustomer(base, name = 'Test Customer') {
  users += 1;
  const email = `customer${users}-${Date.now()}@example.com`;
  const password = 'correct-horse-battery';
  await api(base, 'POST', '/v1/auth/register', { email, password, name });
  const login = await api(base, 'POST', '/v1/auth/login', { email, password });
  return { email, password, name, token: login.access_token };
}

/** `YYYY-MM-DD` of tomorrow in Lisbon (the demo theatres' zone). */
export function tomorrowInLisbon() {
  const d = new Date(Date.now() + 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(d);
}

/**
 * A demo show tomorrow on the big screen of Cinema São Jorge (176 seats, wheelchair places,
 * loveseats): far enough ahead that its sales stay open for the whole test.
 */
export async function bigShow(base) {
  const shows = await api(base, 'GET', `/v1/shows?city=Lisbon&date=${tomorrowInLisbon()}`);
  const show = shows.find((s) => s.seat_count === 176);
  if (!show) throw new Error('no demo show with the 176-seat layout tomorrow');
  return show;
}

/** Logs in through the page's form. */
export async function logIn(page, base, { email, password }) {
  await page.goto(`${base}/#/login`);
  await page.getByLabel('Email', { exact: true }).first().fill(email);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/login'));
}

/** Presses Tab until `selector` has the focus (keyboard only), at most `max` times. */
export async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The seat button of `label`. */
export function seat(page, label) {
  return page.locator(`.seat-grid button.seat[data-label="${label}"]`);
}
