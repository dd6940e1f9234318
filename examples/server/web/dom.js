// Small DOM helpers: element builders and the page's live regions. No inline styles anywhere
// (the CSP forbids them in markup); classes carry all presentation.

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function addKids(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k == null || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

/** An HTML element: `h('button', {class: 'x', onclick}, 'Text')`. */
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  addKids(el, kids);
  return el;
}

/** An SVG element. */
export function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  addKids(el, kids);
  return el;
}

/** Replaces the children of `el`. */
export function fill(el, ...kids) {
  el.replaceChildren();
  addKids(el, kids);
  return el;
}

/**
 * Says `message` to screen readers: politely by default, at once when `urgent`. The region is
 * emptied first so that the same words said twice are read twice.
 */
export function announce(message, urgent = false) {
  const region = document.getElementById(urgent ? 'sr-alert' : 'sr-status');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}

/** A random key for Idempotency-Key headers. */
export function randomKey() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
}

/** A labelled form field: label, control, and a slot for its error message. */
export function field(label, control, hint) {
  const id = control.id || (control.id = `f-${Math.random().toString(36).slice(2, 9)}`);
  const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, err);
}

/** Shows `message` under the field of `control` (or clears it with null). */
export function fieldError(control, message) {
  const err = document.getElementById(`${control.id}-err`);
  if (!err) return;
  err.hidden = !message;
  err.textContent = message || '';
  const described = (control.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== err.id);
  if (message) {
    control.setAttribute('aria-invalid', 'true');
    described.push(err.id);
  } else {
    control.removeAttribute('aria-invalid');
  }
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  else control.removeAttribute('aria-describedby');
}

/** A message box (role status, or alert for errors) that can be updated in place. */
export function messageBox(cls = '') {
  const el = h('div', { class: `msg ${cls}`, hidden: true });
  return {
    el,
    show(text, kind = 'info') {
      el.className = `msg msg-${kind} ${cls}`;
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      fill(el, ...(Array.isArray(text) ? text : [text]));
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      el.replaceChildren();
    },
  };
}
