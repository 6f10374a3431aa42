// Sign-in. Every failure (wrong username or password, disabled or locked account) gets the
// same message, as the server gives the same 401 for all of them.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import { pageHeading, input, passwordInput, button, errorSummary, notificationBanner } from '../govuk.js';
import { signIn, ApiError } from '../api.js';

const FAILED = 'The username or password is not correct, or the account cannot be used at the moment';

export async function render(ctx) {
  const flash = ctx.takeFlash();
  const column = h('div', { class: 'govuk-grid-column-two-thirds' });
  let values = { username: '' };

  function draw(errors) {
    const byField = Object.fromEntries(errors.filter((e) => e.field).map((e) => [e.field, e.text]));
    const form = h('form', { novalidate: true, id: 'sign-in-form', onsubmit: onSubmit },
      input({
        id: 'username', label: 'Username', value: values.username, error: byField.username,
        autocomplete: 'username', spellcheck: 'false', autocapitalize: 'none', width: 20,
      }),
      passwordInput({ id: 'password', label: 'Password', error: byField.password }),
      button({ text: 'Sign in', id: 'sign-in', once: true }));
    replace(column,
      errors.length ? errorSummary(errors.map((e) => ({ href: e.href, text: e.text }))) : null,
      flash && !errors.length ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
      pageHeading('Sign in'),
      form);
    return form;
  }

  async function onSubmit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    values = { username: form.username.value.trim() };
    const password = form.password.value;
    const errors = [];
    if (!values.username) errors.push({ field: 'username', href: '#username', text: 'Enter your username' });
    if (!password) errors.push({ field: 'password', href: '#password', text: 'Enter your password' });
    if (!errors.length) {
      const submit = form.querySelector('#sign-in');
      submit.disabled = true;
      try {
        const session = await signIn(values.username, password);
        await ctx.signedIn(session);
        return;
      } catch (err) {
        submit.disabled = false;
        if (err instanceof ApiError && err.status === 401) {
          errors.push({ field: 'username', href: '#username', text: FAILED });
        } else if (err instanceof ApiError && err.status === 0) {
          errors.push({ text: `${err.title}. ${err.detail}` });
        } else {
          errors.push({ text: 'Sorry, there is a problem with the service. Try again later.' });
        }
      }
    }
    draw(errors);
    ctx.setTitle('Sign in', { error: true });
    // The new password toggle needs its JavaScript; the error summary's moves focus to it.
    initAll({ scope: column });
  }

  draw([]);
  return { title: 'Sign in', node: h('div', { class: 'govuk-grid-row' }, column) };
}
