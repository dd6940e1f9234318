// The admin page: theatres, screens from layout text, scheduling shows, and the analytics.

import { h, fill, field, fieldError, messageBox } from './dom.js';
import { get, post } from './api.js';
import { zonedToIso, isoDate, startsLocal } from './format.js';
import { layoutEditor } from './layout-editor.js';
import { analyticsSection } from './analytics.js';

export async function adminPage(main) {
  const [theatres, movies] = await Promise.all([get('/v1/theatres'), get('/v1/movies')]);
  const state = { theatres, movies };
  const theatreSelects = [];
  const refreshTheatres = async (selectId) => {
    state.theatres = await get('/v1/theatres');
    for (const sel of theatreSelects) fillTheatres(sel, state.theatres, selectId);
  };

  fill(main,
    h('h1', { tabindex: '-1' }, 'Administration'),
    h('nav', { class: 'local-nav', 'aria-label': 'Admin sections' },
      h('a', { href: '#admin-theatre', 'data-local': '1' }, 'New theatre'),
      h('a', { href: '#admin-screen', 'data-local': '1' }, 'New screen'),
      h('a', { href: '#admin-show', 'data-local': '1' }, 'Schedule a show'),
      h('a', { href: '#admin-analytics', 'data-local': '1' }, 'Analytics')),
    h('div', { class: 'admin-grid' },
      theatreForm(refreshTheatres),
      scheduleForm(state, theatreSelects)),
    screenForm(state, theatreSelects),
    await analyticsSection());
  document.title = 'Administration · Cinema';
}

function fillTheatres(select, theatres, selectId) {
  const keep = selectId ?? select.value;
  fill(select, theatres.map((t) => h('option', { value: String(t.id) }, `${t.name} (${t.city})`)));
  if (keep && theatres.some((t) => String(t.id) === String(keep))) select.value = String(keep);
  select.dispatchEvent(new Event('change'));
}

function theatreForm(refreshTheatres) {
  const name = h('input', { id: 't-name', required: true });
  const city = h('input', { id: 't-city', required: true });
  const zone = h('input', { id: 't-zone', required: true, list: 'zones', value: 'Europe/Lisbon' });
  const zones = h('datalist', { id: 'zones' }, (Intl.supportedValuesOf?.('timeZone') || []).map((z) => h('option', { value: z })));
  const msg = messageBox();
  const form = h('form', { class: 'card', id: 'admin-theatre', 'aria-labelledby': 'admin-theatre-title', novalidate: true },
    h('h2', { id: 'admin-theatre-title' }, 'New theatre'),
    field('Name', name), field('City', city), field('Time zone', zone, 'Show times are entered in this zone.'), zones,
    msg.el,
    h('button', { type: 'submit', class: 'primary' }, 'Create theatre'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    [name, city, zone].forEach((c) => fieldError(c, null));
    try {
      const t = await post('/v1/admin/theatres', { name: name.value.trim(), city: city.value.trim(), time_zone: zone.value.trim() });
      // The lists first, so that when the message says so, the new theatre is there to pick.
      await refreshTheatres(t.id);
      form.reset();
      zone.value = 'Europe/Lisbon';
      msg.show(`Theatre “${t.name}” created in ${t.city}.`, 'success');
    } catch (err) {
      const target = { name, city, time_zone: zone }[err.details?.field];
      if (target) { fieldError(target, err.details.reason || err.message); target.focus(); } else msg.show(err.message, 'error');
    }
  });
  return form;
}

function screenForm(state, theatreSelects) {
  const theatre = h('select', { id: 's-theatre' });
  theatreSelects.push(theatre);
  fillTheatres(theatre, state.theatres);
  const name = h('input', { id: 's-name', required: true });
  const msg = messageBox();
  const editor = layoutEditor();
  const form = h('form', { class: 'card', id: 'admin-screen', 'aria-labelledby': 'admin-screen-title', novalidate: true },
    h('h2', { id: 'admin-screen-title' }, 'New screen'),
    h('div', { class: 'two-col tight' }, field('Theatre', theatre), field('Screen name', name)),
    editor.el,
    msg.el,
    h('button', { type: 'submit', class: 'primary' }, 'Create screen'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    fieldError(name, null);
    if (!name.value.trim()) { fieldError(name, 'Give the screen a name.'); name.focus(); return; }
    try {
      const sc = await post(`/v1/admin/theatres/${theatre.value}/screens`, { name: name.value.trim(), layout_text: editor.value() });
      msg.show(`Screen “${sc.name}” created with ${sc.seat_count} seats. You can schedule shows on it now.`, 'success');
      theatre.dispatchEvent(new Event('change')); // the schedule form lists the new screen
    } catch (err) {
      if (err.code === 'INVALID_LAYOUT') {
        editor.showIssues(err.details.issues);
        msg.show('The layout has problems; they are listed above at their lines.', 'error');
      } else msg.show(err.message, 'error');
    }
  });
  return form;
}

function scheduleForm(state, theatreSelects) {
  const theatre = h('select', { id: 'sh-theatre' });
  const screen = h('select', { id: 'sh-screen' });
  const movie = h('select', { id: 'sh-movie' }, state.movies.map((m) => h('option', { value: String(m.id) }, `${m.title} (${m.runtime_minutes} min)`)));
  const tomorrow = new Date(Date.now() + 86_400_000);
  const date = h('input', { type: 'date', id: 'sh-date', required: true, value: isoDate(tomorrow) });
  const time = h('input', { type: 'time', id: 'sh-time', required: true, value: '20:00' });
  const noOrphan = h('input', { type: 'checkbox', id: 'sh-orphan', checked: true });
  const cap = h('input', { type: 'number', id: 'sh-cap', min: '1', step: '1', inputmode: 'numeric', placeholder: 'no cap' });
  const zoneNote = h('p', { class: 'hint', id: 'sh-zone' });
  const msg = messageBox();
  theatreSelects.push(theatre);
  theatre.addEventListener('change', async () => {
    const t = state.theatres.find((x) => String(x.id) === theatre.value);
    zoneNote.textContent = t ? `Times are local to the theatre (${t.time_zone}).` : '';
    const screens = theatre.value ? await get(`/v1/theatres/${theatre.value}/screens`) : [];
    const keep = screen.value;
    fill(screen, screens.map((x) => h('option', { value: String(x.id) }, `${x.name} (${x.seat_count} seats)`)));
    if (screens.some((x) => String(x.id) === keep)) screen.value = keep;
    else if (screens.length) screen.value = String(screens[screens.length - 1].id);
  });
  fillTheatres(theatre, state.theatres);
  const form = h('form', { class: 'card', id: 'admin-show', 'aria-labelledby': 'admin-show-title', novalidate: true },
    h('h2', { id: 'admin-show-title' }, 'Schedule a show'),
    field('Theatre', theatre), field('Screen', screen), field('Movie', movie),
    h('div', { class: 'two-col tight' }, field('Date', date), field('Start', time)),
    zoneNote,
    h('div', { class: 'check' }, noOrphan, h('label', { for: 'sh-orphan' }, 'Refuse selections that leave a single seat stranded')),
    field('Tickets per customer (held, pending and paid together)', cap),
    msg.el,
    h('button', { type: 'submit', class: 'primary' }, 'Schedule show'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    const t = state.theatres.find((x) => String(x.id) === theatre.value);
    if (!screen.value) { msg.show('This theatre has no screen yet: add one first.', 'error'); return; }
    if (!date.value || !time.value) { msg.show('Give the date and the start time.', 'error'); return; }
    const body = {
      screen: Number(screen.value), movie: Number(movie.value),
      starts_at: zonedToIso(date.value, time.value, t?.time_zone || 'UTC'), no_orphan: noOrphan.checked,
    };
    if (cap.value.trim() !== '') body.tickets_per_owner_max = Number(cap.value);
    try {
      const show = await post('/v1/admin/shows', body);
      msg.show([`Scheduled: ${show.title}, ${startsLocal(show)} at ${show.theatre_name}. `,
        h('a', { href: `#/show/${show.id}`, 'data-new-show': String(show.id) }, 'Open its seat map')], 'success');
    } catch (err) {
      msg.show(err.code === 'SHOW_OVERLAP'
        ? `This screen already has a show then (show ${err.details?.other}). Pick another time or screen.`
        : err.details?.field === 'tickets_per_owner_max'
          ? `Tickets per customer: ${err.details.reason}.`
          : err.message, 'error');
    }
  });
  return form;
}
