// Light and dark themes: the system's choice by default (prefers-color-scheme in the CSS), or
// the one the user picked with the toggle, remembered in localStorage.

const KEY = 'booking.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function effective() {
  return document.documentElement.dataset.theme || (media.matches ? 'dark' : 'light');
}

function label(button) {
  const dark = effective() === 'dark';
  button.setAttribute('aria-pressed', String(dark));
  // The name stays; aria-pressed says whether it is on (a toggle button's pattern).
  button.textContent = 'Dark theme';
}

/** Applies the stored theme and wires the toggle button. */
export function initTheme(button) {
  const stored = localStorage.getItem(KEY);
  if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
  label(button);
  button.addEventListener('click', () => {
    const next = effective() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem(KEY, next);
    label(button);
  });
  media.addEventListener('change', () => label(button));
}
