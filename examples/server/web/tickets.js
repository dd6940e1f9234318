// Tickets with their QR codes. The QR images sit behind the bearer token, so they are fetched
// with it and shown as data: URLs (the CSP allows data: images, not blob: ones).

import { h } from './dom.js';
import { getBlob } from './api.js';

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

async function svgDataUrl(path) {
  const text = await (await getBlob(path)).text();
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
}

/** A download link that fetches its file only when used. */
function downloadLink(text, path, filename) {
  const a = h('a', { href: '#', class: 'button small', download: filename }, text);
  a.addEventListener('click', async (e) => {
    if (a.dataset.ready) return; // the second, real click below
    e.preventDefault();
    try {
      a.href = await dataUrl(await getBlob(path));
      a.dataset.ready = '1';
      a.click();
    } catch (err) {
      a.replaceWith(h('span', { class: 'field-error' }, `Download failed: ${err.message}`));
    }
  });
  return a;
}

/** The tickets of a booking: `[{seat, code, qr_svg, qr_png}]`, with `title` for the heading. */
export function ticketList(tickets, { title, when } = {}) {
  const list = h('ul', { class: 'tickets', 'aria-label': 'Tickets' });
  for (const t of tickets) {
    const img = h('img', { class: 'qr', alt: `QR code of the ticket for seat ${t.seat}`, width: '160', height: '160' });
    const item = h('li', { class: 'ticket', 'data-seat': t.seat },
      h('div', { class: 'ticket-head' }, h('strong', {}, `Seat ${t.seat}`), title ? h('span', {}, ` ${title}`) : null, when ? h('span', { class: 'muted' }, ` · ${when}`) : null),
      img,
      h('code', { class: 'ticket-code' }, t.code),
      h('div', { class: 'ticket-actions' },
        downloadLink('Download PNG', t.qr_png, `ticket-${t.seat}.png`),
        downloadLink('Download SVG', t.qr_svg, `ticket-${t.seat}.svg`)));
    list.append(item);
    svgDataUrl(t.qr_svg).then((url) => { img.src = url; }).catch((err) => {
      img.replaceWith(h('p', { class: 'field-error' }, `The QR code could not be loaded: ${err.message}`));
    });
  }
  return list;
}
