// Browse shows by city, movie and date. The filters live in the address (#/?city=...), so the
// back button and a shared link bring the same list back.

import { h, fill, announce } from './dom.js';
import { get, query } from './api.js';
import { dayOf, timeOfDay, isoDate, startsLocal } from './format.js';

const DAYS_SHOWN = 7;

function dayChoices() {
  const out = [['', 'Any day']];
  const fmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
  for (let i = 0; i < DAYS_SHOWN; i++) {
    const d = new Date();
    d.setDate(d.getDate() + i);
    out.push([isoDate(d), i === 0 ? 'Today' : i === 1 ? 'Tomorrow' : fmt.format(d)]);
  }
  return out;
}

export async function showsPage(main, params) {
  const [theatres, movies] = await Promise.all([get('/v1/theatres'), get('/v1/movies')]);
  const cities = [...new Set(theatres.map((t) => t.city))].sort();
  const filters = { city: params.city || '', movie: params.movie || '', date: params.date || '' };

  const city = h('select', { id: 'f-city', name: 'city' }, h('option', { value: '' }, 'All cities'),
    cities.map((c) => h('option', { value: c, selected: c === filters.city }, c)));
  const movie = h('select', { id: 'f-movie', name: 'movie' }, h('option', { value: '' }, 'All movies'),
    movies.map((m) => h('option', { value: String(m.id), selected: String(m.id) === filters.movie }, m.title)));
  const days = h('fieldset', { class: 'days' }, h('legend', {}, 'Day'),
    dayChoices().map(([value, text]) => h('label', { class: 'day' },
      h('input', { type: 'radio', name: 'date', value, checked: value === filters.date }), h('span', {}, text))));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter shows' },
    h('div', { class: 'field' }, h('label', { for: 'f-city' }, 'City'), city),
    h('div', { class: 'field' }, h('label', { for: 'f-movie' }, 'Movie'), movie),
    days);
  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' });

  form.addEventListener('change', () => {
    const data = new FormData(form);
    // replaceState keeps one history entry per visit, not one per filter click.
    history.replaceState(null, '', `#/${query({ city: data.get('city'), movie: data.get('movie'), date: data.get('date') })}`);
    load();
  });
  form.addEventListener('submit', (e) => e.preventDefault());

  fill(main,
    h('h1', { tabindex: '-1' }, 'What’s on'),
    form,
    results);
  document.title = 'What’s on · Cinema';

  const byMovie = new Map(movies.map((m) => [m.id, m]));
  async function load() {
    const data = new FormData(form);
    results.setAttribute('aria-busy', 'true');
    try {
      const shows = await get(`/v1/shows${query({ city: data.get('city'), movie: data.get('movie'), date: data.get('date') })}`);
      fill(results, listing(shows, byMovie));
      announce(`${shows.length} show${shows.length === 1 ? '' : 's'} found.`);
    } catch (e) {
      fill(results, h('p', { class: 'msg msg-error', role: 'alert' }, e.message));
    }
    results.setAttribute('aria-busy', 'false');
  }
  await load();
}

function listing(shows, byMovie) {
  if (!shows.length) return h('p', { class: 'empty' }, 'No shows match. Try another day or city.');
  const groups = new Map();
  for (const s of shows) {
    const key = s.movie ?? `t:${s.title}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }
  return h('ul', { class: 'movies' }, [...groups.values()].map((list) => {
    const m = byMovie.get(list[0].movie);
    const days = new Map();
    for (const s of list) {
      const d = dayOf(startsLocal(s));
      if (!days.has(d)) days.set(d, []);
      days.get(d).push(s);
    }
    return h('li', { class: 'movie card' },
      h('h2', {}, list[0].title),
      m ? h('p', { class: 'muted' }, `${m.rating} · ${m.runtime_minutes} min`) : null,
      m?.synopsis ? h('p', {}, m.synopsis) : null,
      h('dl', { class: 'times' }, [...days].map(([day, ss]) => [
        h('dt', {}, day),
        h('dd', {}, h('ul', {}, ss.map((s) => h('li', {}, showLink(s))))),
      ])));
  }));
}

function showLink(s) {
  const closed = s.status === 'cancelled' || Date.parse(s.sales_close_at) < Date.now();
  // The hidden words complete the visible ones ("14:30 Cinema Ideal") for screen readers,
  // keeping the visible text inside the link's name (so voice control finds it).
  return h('a', { href: `#/show/${s.id}`, class: `time${closed ? ' closed' : ''}`, 'data-show-id': String(s.id) },
    h('span', { class: 'sr-only' }, `${s.title}, ${dayOf(startsLocal(s))} `),
    h('strong', {}, timeOfDay(startsLocal(s))), h('span', {}, ` ${s.theatre_name}`),
    h('span', { class: 'sr-only' }, `, ${s.city}${closed ? ', sales closed' : ''}`));
}
