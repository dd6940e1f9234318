// Who is logged in: the access token and the user, kept in localStorage until they expire or
// the user logs out. Views listen for changes to redraw the header and guard routes.

const KEY = 'booking.session';
const listeners = new Set();

function load() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) || 'null');
    // The access token may have expired: the refresh token renews it while it lives.
    return s && (s.refreshExpiresAt ?? s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

let current = load();

function save(next, reason) {
  current = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  for (const f of listeners) f(current, reason);
}

export const session = {
  token: () => current?.token ?? null,
  user: () => current?.user ?? null,
  isAdmin: () => current?.user?.role === 'admin',
  refreshToken: () => current?.refreshToken ?? null,
  /** Whether the access token is in its last minute (or past it): renew it before use. */
  stale: () => !!current && current.expiresAt <= Date.now(),
  /** Stores a login or refresh answer `{access_token, expires_in, refresh_token, refresh_expires_in, user}`. */
  start(login, reason = 'login') {
    // A minute early, so a token is never sent in its last seconds.
    const expiresAt = Date.now() + (login.expires_in - 60) * 1000;
    const refreshExpiresAt = Date.now() + (login.refresh_expires_in - 60) * 1000;
    save({ token: login.access_token, refreshToken: login.refresh_token, user: login.user, expiresAt, refreshExpiresAt }, reason);
  },
  end() {
    save(null, 'logout');
  },
  /** The server refused the token (expired, or the server restarted with a new secret). */
  expired() {
    save(null, 'expired');
  },
  onChange(f) {
    listeners.add(f);
    return () => listeners.delete(f);
  },
};
