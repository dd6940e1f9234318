// Log in and create an account. After either, the page goes back to where the user was (the
// show whose seats they were choosing, say).

import { h, fill, field, fieldError, messageBox, announce } from './dom.js';
import { post } from './api.js';
import { session } from './session.js';

function nextRoute(params) {
  const next = params.next || '/';
  // Only routes of this page, never another site.
  return next.startsWith('/') && !next.startsWith('//') ? `#${next}` : '#/';
}

async function logIn(email, password) {
  session.start(await post('/v1/auth/login', { email, password }));
}

export function loginPage(main, params) {
  const back = nextRoute(params);
  const email = h('input', { type: 'email', id: 'login-email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', id: 'login-password', autocomplete: 'current-password', required: true });
  const loginMsg = messageBox();
  const loginForm = h('form', { class: 'card', 'aria-labelledby': 'login-title', novalidate: true },
    h('h2', { id: 'login-title' }, 'Log in'),
    loginMsg.el,
    field('Email', email),
    field('Password', password),
    h('button', { type: 'submit', class: 'primary' }, 'Log in'));
  loginForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    loginMsg.clear();
    try {
      await logIn(email.value, password.value);
      announce(`Logged in as ${session.user().name}.`);
      location.hash = back;
    } catch (err) {
      loginMsg.show(err.code === 'UNAUTHORIZED' ? 'Wrong email or password.' : err.message, 'error');
      email.focus();
    }
  });

  const rName = h('input', { id: 'reg-name', autocomplete: 'name', required: true });
  const rEmail = h('input', { type: 'email', id: 'reg-email', autocomplete: 'email', required: true });
  const rPhone = h('input', { type: 'tel', id: 'reg-phone', autocomplete: 'tel' });
  const rPassword = h('input', { type: 'password', id: 'reg-password', autocomplete: 'new-password', required: true, minlength: '10' });
  const regMsg = messageBox();
  const controls = { name: rName, email: rEmail, phone: rPhone, password: rPassword };
  const regForm = h('form', { class: 'card', 'aria-labelledby': 'reg-title', novalidate: true },
    h('h2', { id: 'reg-title' }, 'Create an account'),
    regMsg.el,
    field('Name', rName),
    field('Email', rEmail),
    field('Phone (optional)', rPhone),
    field('Password', rPassword, 'At least 10 characters.'),
    h('button', { type: 'submit', class: 'primary' }, 'Create account'));
  regForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    regMsg.clear();
    Object.values(controls).forEach((c) => fieldError(c, null));
    if (rPassword.value.length < 10) {
      fieldError(rPassword, 'The password needs at least 10 characters.');
      rPassword.focus();
      return;
    }
    try {
      await post('/v1/auth/register', { name: rName.value, email: rEmail.value, password: rPassword.value, phone: rPhone.value || undefined });
      await logIn(rEmail.value, rPassword.value);
      announce(`Account created. Logged in as ${session.user().name}.`);
      location.hash = back;
    } catch (err) {
      const target = controls[err.details?.field];
      if (target) {
        fieldError(target, err.code === 'EMAIL_TAKEN' ? 'An account with this email exists. Log in instead.' : (err.details?.reason || err.message));
        target.focus();
      } else {
        regMsg.show(err.message, 'error');
      }
    }
  });

  fill(main,
    h('h1', { tabindex: '-1' }, 'Log in or create an account'),
    params.reason === 'expired' ? h('div', { class: 'msg msg-warning', role: 'status' }, 'Your session ended. Please log in again.') : null,
    h('div', { class: 'two-col' }, loginForm, regForm));
  document.title = 'Log in · Cinema';
}
