// GOV.UK Frontend components built as DOM (the markup of govuk-frontend 6.6.0's Nunjucks
// templates, without the templates). Every text argument is set as text, never as HTML.
// Field builders take an optional `error` (a message string): when present the group, the
// control and aria-describedby get the GOV.UK error state.

import { h, svg } from './dom.js';

// The page's main heading: focusable (tabindex -1) so navigation can move focus to it.
export function pageHeading(text, { size = 'l', caption } = {}) {
  return h('h1', { class: `govuk-heading-${size}`, tabindex: '-1', 'data-page-heading': true },
    caption ? h('span', { class: `govuk-caption-${size}`, text: caption }) : null,
    text);
}

function describedBy(...ids) {
  const s = ids.filter(Boolean).join(' ');
  return s || null;
}

function hintEl(id, hint) {
  return hint ? h('div', { id: `${id}-hint`, class: 'govuk-hint', text: hint }) : null;
}

// <p class="govuk-error-message"> with the visually hidden "Error:" prefix.
export function errorMessage(id, text) {
  return h('p', { id: `${id}-error`, class: 'govuk-error-message' },
    h('span', { class: 'govuk-visually-hidden', text: 'Error:' }), ` ${text}`);
}

function group(error, ...children) {
  return h('div', { class: ['govuk-form-group', error && 'govuk-form-group--error'] }, ...children);
}

function labelEl(id, label, size) {
  return h('label', { class: ['govuk-label', size && `govuk-label--${size}`], for: id, text: label });
}

// Text input. opts: id, name, label, labelSize, hint, value, error, type, width (e.g. 10 or
// 'two-thirds'), autocomplete, spellcheck, inputmode, autocapitalize.
export function input(opts) {
  const { id, name = id, label, labelSize, hint, value = '', error, type = 'text', width } = opts;
  let widthClass = null;
  if (typeof width === 'number') widthClass = `govuk-input--width-${width}`;
  else if (width) widthClass = `govuk-!-width-${width}`;
  return group(error,
    labelEl(id, label, labelSize),
    hintEl(id, hint),
    error ? errorMessage(id, error) : null,
    h('input', {
      class: ['govuk-input', widthClass, error && 'govuk-input--error'],
      id, name, type, value,
      autocomplete: opts.autocomplete, spellcheck: opts.spellcheck,
      inputmode: opts.inputmode, autocapitalize: opts.autocapitalize,
      'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
    }));
}

// Password input with the GOV.UK "Show" toggle (initialised by initAll).
export function passwordInput({ id, name = id, label, error, autocomplete = 'current-password' }) {
  const g = group(error,
    labelEl(id, label),
    error ? errorMessage(id, error) : null,
    h('div', { class: 'govuk-input__wrapper govuk-password-input__wrapper' },
      h('input', {
        class: ['govuk-input govuk-password-input__input govuk-js-password-input-input', error && 'govuk-input--error'],
        id, name, type: 'password', spellcheck: 'false', autocomplete, autocapitalize: 'none',
        'aria-describedby': describedBy(error && `${id}-error`),
      }),
      h('button', {
        type: 'button', hidden: true, 'aria-controls': id, 'aria-label': 'Show password',
        class: 'govuk-button govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle',
        'data-module': 'govuk-button', text: 'Show',
      })));
  g.classList.add('govuk-password-input');
  g.setAttribute('data-module', 'govuk-password-input');
  return g;
}

// Textarea. opts: id, name, label, labelSize, hint, value, error, rows, spellcheck.
export function textarea({ id, name = id, label, labelSize, hint, value = '', error, rows = 5, spellcheck }) {
  return group(error,
    labelEl(id, label, labelSize),
    hintEl(id, hint),
    error ? errorMessage(id, error) : null,
    h('textarea', {
      class: ['govuk-textarea', error && 'govuk-textarea--error'], id, name, rows, value, spellcheck,
      'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
    }));
}

// Select. options: [{value, text}].
export function select({ id, name = id, label, hint, value = '', options, error }) {
  return group(error,
    labelEl(id, label),
    hintEl(id, hint),
    error ? errorMessage(id, error) : null,
    h('select', {
      class: ['govuk-select', error && 'govuk-select--error'], id, name, value,
      'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
    }, options.map((o) => h('option', { value: o.value, text: o.text }))));
}

function fieldset({ legend, legendSize, hint, error, id, role }, ...content) {
  return h('fieldset', {
    class: 'govuk-fieldset', role,
    'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
  },
  h('legend', { class: ['govuk-fieldset__legend', legendSize && `govuk-fieldset__legend--${legendSize}`], text: legend }),
  hintEl(id, hint),
  error ? errorMessage(id, error) : null,
  ...content);
}

// Radios. The first radio's id is `id` (error summary links point there), the others id-2...
// items: [{value, text}].
export function radios({ id, name = id, legend, legendSize, hint, items, value = '', error, inline }) {
  return group(error, fieldset({ legend, legendSize, hint, error, id },
    h('div', { class: ['govuk-radios', inline && 'govuk-radios--inline'], 'data-module': 'govuk-radios' },
      items.map((it, i) => {
        const rid = i === 0 ? id : `${id}-${i + 1}`;
        return h('div', { class: 'govuk-radios__item' },
          h('input', { class: 'govuk-radios__input', id: rid, name, type: 'radio', value: it.value, checked: it.value === value }),
          h('label', { class: 'govuk-label govuk-radios__label', for: rid, text: it.text }));
      }))));
}

// One checkbox. With `legend` it sits in its own fieldset; otherwise it is labelled alone.
export function checkbox({ id, name = id, legend, label, hint, checked, error, small }) {
  const box = h('div', { class: ['govuk-checkboxes', small && 'govuk-checkboxes--small'], 'data-module': 'govuk-checkboxes' },
    h('div', { class: 'govuk-checkboxes__item' },
      h('input', {
        class: 'govuk-checkboxes__input', id, name, type: 'checkbox', value: 'yes', checked,
        'aria-describedby': describedBy(hint && `${id}-item-hint`, !legend && error && `${id}-error`),
      }),
      h('label', { class: 'govuk-label govuk-checkboxes__label', for: id, text: label }),
      hint ? h('div', { id: `${id}-item-hint`, class: 'govuk-hint govuk-checkboxes__hint', text: hint }) : null));
  if (legend) return group(error, fieldset({ legend, error, id }, box));
  return group(error, error ? errorMessage(id, error) : null, box);
}

// Date input (day, month, year). value: {day, month, year}; inputs are id-day, id-month,
// id-year. errorParts: which parts to mark (default all when there is an error).
export function dateInput({ id, legend, legendSize, hint, value = {}, error, errorParts }) {
  const parts = [['day', 'Day', 2], ['month', 'Month', 2], ['year', 'Year', 4]];
  const marked = errorParts || (error ? ['day', 'month', 'year'] : []);
  return group(error, fieldset({ legend, legendSize, hint, error, id, role: 'group' },
    h('div', { class: 'govuk-date-input', id },
      parts.map(([p, text, w]) => h('div', { class: 'govuk-date-input__item' },
        h('div', { class: 'govuk-form-group' },
          h('label', { class: 'govuk-label govuk-date-input__label', for: `${id}-${p}`, text }),
          h('input', {
            class: ['govuk-input govuk-date-input__input', `govuk-input--width-${w}`, marked.includes(p) && 'govuk-input--error'],
            id: `${id}-${p}`, name: `${id}-${p}`, type: 'text', inputmode: 'numeric', value: value[p] || '',
          })))))));
}

// Error summary. items: [{href?, text}] (an item without href is shown as text).
// Initialise it with new ErrorSummary(el) once in the document: that focuses it.
export function errorSummary(items, title = 'There is a problem') {
  return h('div', { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary' },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title', text: title }),
      h('div', { class: 'govuk-error-summary__body' },
        h('ul', { class: 'govuk-list govuk-error-summary__list' },
          items.map((it) => h('li', {}, it.href ? h('a', { href: it.href, text: it.text }) : it.text))))));
}

// Notification banner. type 'success' (role alert) or undefined (important, a region).
// content: a string (the heading) or Nodes.
export function notificationBanner({ type, title, heading, content = [] }) {
  const tid = `notification-title-${Math.random().toString(36).slice(2, 8)}`;
  return h('div', {
    class: ['govuk-notification-banner', type === 'success' && 'govuk-notification-banner--success'],
    role: type === 'success' ? 'alert' : 'region', 'aria-labelledby': tid,
    'data-module': 'govuk-notification-banner',
  },
  h('div', { class: 'govuk-notification-banner__header' },
    h('h2', { class: 'govuk-notification-banner__title', id: tid, text: title || (type === 'success' ? 'Success' : 'Important') })),
  h('div', { class: 'govuk-notification-banner__content' },
    heading ? h('p', { class: 'govuk-notification-banner__heading', text: heading }) : null,
    content));
}

// Summary list. rows: [{key, value (string | Node | Node[]), action?: {href, text, hidden}}].
// Empty values are shown as "Not recorded".
export function summaryList(rows, { noBorder } = {}) {
  return h('dl', { class: ['govuk-summary-list', noBorder && 'govuk-summary-list--no-border'] },
    rows.map((r) => {
      const empty = r.value === null || r.value === undefined || r.value === '' || (Array.isArray(r.value) && r.value.length === 0);
      return h('div', { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key', text: r.key }),
        h('dd', { class: ['govuk-summary-list__value', r.valueClass] },
          empty ? h('span', { class: 'govuk-hint govuk-!-margin-bottom-0', text: 'Not recorded' }) : r.value));
    }));
}

// A summary card: a titled box around a summary list. actions: [{href, text, hidden}].
export function summaryCard({ title, actions = [], rows, headingLevel = 2 }) {
  return h('div', { class: 'govuk-summary-card' },
    h('div', { class: 'govuk-summary-card__title-wrapper' },
      h(`h${headingLevel}`, { class: 'govuk-summary-card__title', text: title }),
      actions.length ? h('ul', { class: 'govuk-summary-card__actions' },
        actions.map((a) => h('li', { class: 'govuk-summary-card__action' },
          h('a', { class: 'govuk-link', href: a.href }, a.text,
            a.hidden ? h('span', { class: 'govuk-visually-hidden', text: ` ${a.hidden}` }) : null)))) : null),
    h('div', { class: 'govuk-summary-card__content' }, summaryList(rows)));
}

// Table. head: [string | {text, numeric}]; rows: [[string | Node | {content, numeric, header}]].
// With `label` the table sits in a labelled region that scrolls sideways when the screen is
// narrower than the table (focusable, so keyboard users can scroll it too).
export function table({ caption, captionSize = 'm', head, rows, id, label }) {
  const cell = (c) => (c && typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c) ? c : { content: c });
  const t = tableOnly({ caption, captionSize, head, rows: rows.map((r) => r.map(cell)), id });
  return label ? h('div', { class: 'app-table-wrap', role: 'region', 'aria-label': label, tabindex: '0' }, t) : t;
}

function tableOnly({ caption, captionSize, head, rows, id }) {
  return h('table', { class: 'govuk-table', id },
    caption ? h('caption', { class: `govuk-table__caption govuk-table__caption--${captionSize}`, text: caption }) : null,
    h('thead', { class: 'govuk-table__head' },
      h('tr', { class: 'govuk-table__row' }, head.map((x) => {
        const c = typeof x === 'string' ? { text: x } : x;
        return h('th', { scope: 'col', class: ['govuk-table__header', c.numeric && 'govuk-table__header--numeric'], text: c.text });
      }))),
    h('tbody', { class: 'govuk-table__body', id: id ? `${id}-body` : null }, rows.map((r) => tableRow(r))));
}

// One body row for table(); cells as in table().
export function tableRow(cells) {
  return h('tr', { class: 'govuk-table__row' }, cells.map((c) => {
    const x = c && typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c) ? c : { content: c };
    return h(x.header ? 'th' : 'td', {
      scope: x.header ? 'row' : null,
      class: [x.header ? 'govuk-table__header' : 'govuk-table__cell', x.numeric && 'govuk-table__cell--numeric', x.class],
    }, x.content === null || x.content === undefined || x.content === '' ? '' : x.content);
  }));
}

// A button. opts: text, type ('submit'), secondary, warning, id, onClick, once (GOV.UK's
// prevent-double-click: a second click within a second is ignored; for buttons that save).
export function button({ text, type = 'submit', secondary, warning, id, onClick, classes, once }) {
  return h('button', {
    type, id, 'data-module': 'govuk-button', 'data-prevent-double-click': once ? 'true' : null,
    class: ['govuk-button', secondary && 'govuk-button--secondary', warning && 'govuk-button--warning', classes],
    onclick: onClick, text,
  });
}

// A link that looks like a button (GOV.UK's "start" and "secondary" link buttons).
export function linkButton({ href, text, secondary, id }) {
  return h('a', {
    href, id, role: 'button', draggable: 'false', 'data-module': 'govuk-button',
    class: ['govuk-button', secondary && 'govuk-button--secondary'], text,
  });
}

export function buttonGroup(...children) {
  return h('div', { class: 'govuk-button-group' }, ...children);
}

export function paragraph(text, cls = 'govuk-body') {
  return h('p', { class: cls, text });
}

// GOV.UK warning text: "!" and the text, with a visually hidden "Warning" for screen readers.
export function warningText(text, { id } = {}) {
  return h('div', { class: 'govuk-warning-text', id },
    h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
    h('strong', { class: 'govuk-warning-text__text' },
      h('span', { class: 'govuk-visually-hidden', text: 'Warning' }), text));
}

export function link(href, text, cls = 'govuk-link') {
  return h('a', { class: cls, href, text });
}

export function tag(text, colour) {
  return h('strong', { class: ['govuk-tag', colour && `govuk-tag--${colour}`], text });
}

// Previous/next pagination. onPrev/onNext: click handlers, or null when there is no such page.
export function pagination({ onPrev, onNext, label = 'Pagination' }) {
  const arrow = (dir) => svg('svg', {
    class: `govuk-pagination__icon govuk-pagination__icon--${dir}`, xmlns: 'http://www.w3.org/2000/svg',
    height: '13', width: '15', 'aria-hidden': 'true', focusable: 'false', viewBox: '0 0 15 13',
  }, svg('path', {
    d: dir === 'prev'
      ? 'm6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z'
      : 'm8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z',
  }));
  const linkTo = (dir, text, fn) => h('div', { class: `govuk-pagination__${dir}` },
    h('a', {
      class: 'govuk-link govuk-pagination__link', href: '#', rel: dir,
      onclick: (e) => { e.preventDefault(); fn(); },
    },
    dir === 'prev' ? arrow('prev') : null,
    h('span', { class: 'govuk-pagination__link-title' }, text, h('span', { class: 'govuk-visually-hidden', text: ' page' })),
    dir === 'next' ? arrow('next') : null));
  return h('nav', { class: 'govuk-pagination', 'aria-label': label },
    onPrev ? linkTo('prev', 'Previous', onPrev) : null,
    onNext ? linkTo('next', 'Next', onNext) : null);
}
