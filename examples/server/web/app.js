// The booking page: a small hash router over the views, the header, and the theme. Every view
// is `async (main, params) => cleanup?`; the cleanup closes its live stream and timers.

import { h, fill, announce } from './dom.js';
import { session } from './session.js';
import { logOut } from './api.js';
import { initTheme } from './theme.js';
import { showsPage } from './shows.js';
import { showPage } from './show-page.js';
import { loginPage } from './login.js';
import { bookingsPage } from './bookings.js';
import { adminPage } from './admin.js';

const routes = [
  { path: /^\/$/, view: showsPage },
  { path: /^\/show\/(?<id>\d+)$/, view: showPage },
  { path: /^\/login$/, view: loginPage },
  { path: /^\/bookings$/, view: bookingsPage, auth: true },
  { path: /^\/admin$/, view: adminPage, auth: true, admin: true },
];

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, q = ''] = raw.split('?');
  return { path, params: Object.fromEntries(new URLSearchParams(q)) };
}

async function render() {
  const { path, params } = parseHash();
  const mine = ++generation;
  if (cleanup) { cleanup(); cleanup = null; }
  markNav(path);
  const route = routes.find((r) => r.path.test(path));
  if (!route) {
    fill(main, h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'See what’s on.')));
    main.querySelector('h1').focus();
    return;
  }
  if (route.auth && !session.token()) {
    location.replace(`#/login?next=${encodeURIComponent(path)}`);
    return;
  }
  if (route.admin && !session.isAdmin()) {
    fill(main, h('h1', { tabindex: '-1' }, 'Admins only'), h('p', {}, 'This page is for cinema administrators. Log in with an admin account.'));
    return;
  }
  main.setAttribute('aria-busy', 'true');
  fill(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const match = path.match(route.path);
    const done = await route.view(main, { ...params, ...(match.groups || {}) });
    if (mine !== generation) { done?.(); return; } // the user moved on meanwhile
    cleanup = done || null;
  } catch (e) {
    if (mine !== generation) return;
    fill(main, h('h1', { tabindex: '-1' }, 'Something went wrong'), h('p', { class: 'msg msg-error', role: 'alert' }, e.message),
      h('p', {}, h('a', { href: '#/' }, 'Back to the shows')));
  } finally {
    if (mine === generation) main.setAttribute('aria-busy', 'false');
  }
  // Focus the new page's heading, so screen readers and keyboards start there, unless the user
  // has already moved into the page while it was loading (the focus is theirs then).
  const inPage = document.activeElement !== main && main.contains(document.activeElement);
  if (mine === generation && navigatedByUser && !inPage) main.querySelector('h1')?.focus();
  navigatedByUser = true;
}
let navigatedByUser = false;

function markNav(path) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    const here = a.getAttribute('href') === `#${path}`;
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function drawAccount() {
  const user = session.user();
  document.getElementById('who').textContent = user ? `${user.name}${user.role === 'admin' ? ' (admin)' : ''}` : '';
  document.getElementById('login-link').hidden = !!user;
  document.getElementById('logout-btn').hidden = !user;
  document.querySelector('[data-nav="admin"]').hidden = !session.isAdmin();
  document.querySelector('[data-nav="bookings"]').hidden = !user;
}

session.onChange((s, reason) => {
  drawAccount();
  if (reason === 'expired') {
    announce('Your session ended. Please log in again.', true);
    location.hash = `#/login?reason=expired&next=${encodeURIComponent(parseHash().path)}`;
  }
});

document.getElementById('logout-btn').addEventListener('click', async () => {
  await logOut();
  announce('Logged out.');
  location.hash = '#/';
});
document.getElementById('login-link').addEventListener('click', (e) => {
  const { path } = parseHash();
  if (path !== '/login') {
    e.preventDefault();
    location.hash = `#/login?next=${encodeURIComponent(path)}`;
  }
});
// The skip link and in-page links (admin sections) move focus instead of routing.
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
// In-page links (admin sections) scroll instead of routing.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-local]');
  if (!a) return;
  e.preventDefault();
  const target = document.getElementById(a.getAttribute('href').slice(1));
  const heading = target?.querySelector('h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
    target.scrollIntoView({ block: 'start' });
  }
});

initTheme(document.getElementById('theme-btn'));
drawAccount();
window.addEventListener('hashchange', render);
render();
