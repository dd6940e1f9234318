// Who is logged in: the access token and the user, kept in localStorage until they expire or
// the user logs out. Views listen for changes to redraw the header and guard routes.

const KEY = 'booking.session';
const listeners = new Set();

function load() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) || 'null');
    return s && s.expiresAt > Date.now() ? s : null;
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
  /** Stores a login answer `{access_token, expires_in, user}`. */
  start(login) {
    // A minute early, so a token is never sent in its last seconds.
    const expiresAt = Date.now() + (login.expires_in - 60) * 1000;
    save({ token: login.access_token, user: login.user, expiresAt }, 'login');
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
