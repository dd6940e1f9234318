// The JSON API under /v1: one function per call shape, errors as ApiError with the server's
// `{code, message, details}`.

import { session } from './session.js';

/** A refusal from the server (or the network, with status 0 and code NETWORK). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `request failed (${status})`);
    this.status = status;
    this.code = body?.code || 'UNKNOWN';
    this.details = body?.details ?? null;
  }
}

function headersFor(extra, hasBody) {
  const headers = { Accept: 'application/json', ...extra };
  if (hasBody) headers['Content-Type'] = 'application/json';
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

function fetchOnce(method, path, body, extraHeaders) {
  return fetch(path, {
    method,
    headers: headersFor(extraHeaders, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let renewing = null;

/** Renews the access token with the refresh token, once for every call waiting on it. */
function renew() {
  const refreshToken = session.refreshToken();
  if (!refreshToken) return Promise.resolve(false);
  renewing ??= fetch('/v1/auth/refresh', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  })
    .then(async (res) => {
      if (!res.ok) return false;
      session.start(await res.json(), 'refresh');
      return true;
    })
    .catch(() => false)
    .finally(() => { renewing = null; });
  return renewing;
}

async function send(method, path, body, extraHeaders) {
  let res;
  try {
    if (session.stale()) await renew();
    res = await fetchOnce(method, path, body, extraHeaders);
    // The access token expired (or the server restarted): renew it once and retry.
    if (res.status === 401 && session.token() && path !== '/v1/auth/logout' && (await renew())) {
      res = await fetchOnce(method, path, body, extraHeaders);
    }
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: 'The server cannot be reached. Check your connection and retry.' });
  }
  if (res.status === 401 && session.token()) session.expired();
  return res;
}

/** Logs out on the server (the token and its sign-in stop working everywhere), then here. */
export async function logOut() {
  if (session.token()) {
    try { await fetchOnce('POST', '/v1/auth/logout', {}, {}); } catch { /* logged out here anyway */ }
  }
  session.end();
}

/** A JSON call: resolves to the parsed body, rejects with ApiError. */
export async function api(method, path, body, extraHeaders = {}) {
  const res = await send(method, path, body, extraHeaders);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text };
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body, headers) => api('POST', path, body ?? {}, headers);
export const del = (path) => api('DELETE', path);

/**
 * A show's seat map, in the shape the page works with: the API sends it compact (flags by name,
 * prices in minor units of the map's currency, `pair` only on loveseats); here every seat gets
 * `flags` as booleans, `pair` as a list and prices as `{minor, currency, exponent}` (or null).
 */
export async function getSeatMap(showId) {
  const map = await get(`/v1/shows/${showId}/seats`);
  const money = (minor) => (minor == null ? null : { minor, currency: map.currency, exponent: map.exponent });
  const flags = (names) => ({
    wheelchair: names.includes('wheelchair'), companion: names.includes('companion'),
    blocked: names.includes('blocked'), general_admission: names.includes('general_admission'),
  });
  return {
    ...map,
    categories: map.categories.map((c) => ({ ...c, price: money(c.price) })),
    seats: map.seats.map((s) => ({ ...s, flags: flags(s.flags), pair: s.pair ?? [], price: money(s.price) })),
  };
}

/** A binary resource behind the bearer token, as a Blob. */
export async function getBlob(path) {
  const res = await send('GET', path);
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    throw new ApiError(res.status, body);
  }
  return res.blob();
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null && v !== false) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
