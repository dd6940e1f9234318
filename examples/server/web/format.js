// Formatting of money and times. Money is always integer minor units, a currency code and that
// currency's exponent (its decimal places, from the server: the page knows no currency itself).

/**
 * "8.50 EUR" from minor units and the currency's exponent (2 for EUR, 0 for JPY, 3 for BHD);
 * negative amounts get a real minus sign. Without an exponent the amount is left in minor units
 * rather than guessed.
 */
export function money(minor, currency, exponent) {
  if (!Number.isInteger(exponent) || exponent < 0) return `${minor} ${currency} (minor units)`;
  const sign = minor < 0 ? '−' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const units = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${sign}${units}${fraction} ${currency}`;
}

/** `money` for a `{minor, currency, exponent}` object (null reads "price unavailable"). */
export function moneyOf(m) {
  return m ? money(m.minor, m.currency, m.exponent) : 'price unavailable';
}

/** Minutes and seconds of a duration in milliseconds: "9:05". */
export function clock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * An RFC 3339 instant as people in the IANA time `zone` read it: "Wed 25 Nov 2026 14:30" (the
 * theatre's zone, whatever the browser's).
 */
export function localTime(iso, zone) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const v = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  return `${v.weekday} ${v.day} ${v.month} ${v.year} ${v.hour}:${v.minute}`;
}

/** The time of day of a `localTime` ("Wed 25 Nov 2026 14:30" → "14:30"). */
export function timeOfDay(local) {
  return local.slice(-5);
}

/** The date part of a `localTime` ("Wed 25 Nov 2026 14:30" → "Wed 25 Nov 2026"). */
export function dayOf(local) {
  return local.slice(0, -6);
}

/** When a show (or a booking's show) starts, in its theatre's time: `localTime` of its fields. */
export function startsLocal(s) {
  return localTime(s.starts_at, s.time_zone);
}

/** `YYYY-MM-DD` of a Date in the browser's zone. */
export function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A short local date-time for an RFC 3339 instant, in `zone` when given. */
export function shortDateTime(iso, zone) {
  const opts = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (zone) opts.timeZone = zone;
  return new Intl.DateTimeFormat('en-GB', opts).format(new Date(iso));
}

/** Offset of `zone` from UTC at the instant `ms`, in milliseconds. */
function zoneOffset(ms, zone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const v = Object.fromEntries(parts.map((p) => [p.type, Number(p.value)]));
  return Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant (RFC 3339, UTC) of a wall-clock date and time in a named zone: an admin types the
 * theatre's local time, whatever zone the browser is in. Two passes settle DST changes.
 */
export function zonedToIso(date, time, zone) {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let t = wall - zoneOffset(wall, zone);
  t = wall - zoneOffset(t, zone);
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

/** Basis points as a percentage: 1130 → "11.3%". */
export function percentBp(bp) {
  return `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 1)}%`;
}
