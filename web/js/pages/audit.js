// The audit trail (administrators): newest entries first from /api/v1/audit, filtered by
// username and a date range, 50 at a time with "Show older entries" (the API's next_before).
// The filter is kept in ctx.memory, like a search, not in the URL.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, input, dateInput, button, buttonGroup, errorSummary, table, tableRow, paragraph, tag,
} from '../govuk.js';
import { api, query, reference, ApiError } from '../api.js';
import { readDate, val } from '../forms.js';
import { formatDateTime, roleLabel } from '../format.js';

const LIMIT = 50;

const OUTCOME_COLOURS = { ok: 'green', success: 'green', denied: 'red', failed: 'red', failure: 'red', error: 'red' };

export async function render(ctx) {
  const mem = ctx.memory; // {filter: {username, fromParts, toParts, from, to}}
  const filter = mem.filter || { username: '', fromParts: {}, toParts: {}, from: '', to: '' };
  const ref = await reference().catch(() => null);
  const column = h('div', { class: 'govuk-grid-column-full' });
  const results = h('div', { id: 'audit-results' });
  let nextBefore = null;
  let body = null;

  function drawForm(errors = []) {
    const err = Object.fromEntries(errors.map((e) => [e.key, e]));
    const form = h('form', { novalidate: true, id: 'audit-filter', class: 'app-filter', onsubmit: onSubmit, 'aria-label': 'Filter the audit trail' },
      h('h2', { class: 'govuk-heading-m', text: 'Filter' }),
      input({ id: 'username', label: 'Username', value: filter.username, error: err.username && err.username.text, width: 20, spellcheck: 'false', autocomplete: 'off' }),
      h('div', { class: 'govuk-grid-row' },
        h('div', { class: 'govuk-grid-column-one-half' },
          dateInput({ id: 'from', legend: 'From', legendSize: 's', hint: 'For example, 1 11 2026', value: filter.fromParts, error: err.from && err.from.text, errorParts: err.from && err.from.parts })),
        h('div', { class: 'govuk-grid-column-one-half' },
          dateInput({ id: 'to', legend: 'To', legendSize: 's', hint: 'For example, 30 11 2026', value: filter.toParts, error: err.to && err.to.text, errorParts: err.to && err.to.parts }))),
      buttonGroup(
        button({ text: 'Apply filter', id: 'apply-filter' }),
        button({ text: 'Clear filter', type: 'button', secondary: true, id: 'clear-filter', onClick: onClear })));
    replace(column,
      errors.length ? errorSummary(errors.map((e) => ({ href: e.href, text: e.text }))) : null,
      pageHeading('Audit trail'),
      paragraph('Every sign-in, and every time someone looks at, searches for or changes a person\'s record. Newest first.'),
      form,
      results);
  }

  async function onSubmit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const from = readDate(form, 'from', 'The from date');
    const to = readDate(form, 'to', 'The to date');
    Object.assign(filter, {
      username: val(form, 'username'), fromParts: from.parts, toParts: to.parts, from: from.value || '', to: to.value || '',
    });
    mem.filter = filter;
    const errors = [];
    if (from.error) errors.push({ key: 'from', href: `#from-${from.errorParts[0]}`, text: from.error, parts: from.errorParts });
    if (to.error) errors.push({ key: 'to', href: `#to-${to.errorParts[0]}`, text: to.error, parts: to.errorParts });
    if (!errors.length && filter.from && filter.to && filter.from > filter.to) {
      errors.push({ key: 'to', href: '#to-day', text: 'The to date must be the same as or after the from date' });
    }
    if (errors.length) {
      showErrors(errors);
      return;
    }
    await load(true);
  }

  function onClear() {
    Object.assign(filter, { username: '', fromParts: {}, toParts: {}, from: '', to: '' });
    mem.filter = filter;
    drawForm();
    initAll({ scope: column });
    load(true);
  }

  function showErrors(errors) {
    drawForm(errors);
    replace(results);
    ctx.setTitle('Audit trail', { error: true });
    initAll({ scope: column });
  }

  // Load the first page (fresh) or the next older page, and show it.
  async function load(fresh, { focus = fresh } = {}) {
    let page;
    try {
      page = await api('GET', `/api/v1/audit${query({
        username: filter.username, from: filter.from, to: filter.to, limit: LIMIT, before: fresh ? '' : nextBefore,
      })}`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
        showErrors([{ key: 'username', href: '#username', text: err.detail || err.title || 'Check the filter and try again' }]);
        return;
      }
      throw err;
    }
    if (column.querySelector('.govuk-error-summary')) { drawForm(); initAll({ scope: column }); }
    ctx.setTitle('Audit trail');
    nextBefore = page.next_before ?? null;
    const rows = (page.items || []).map(row);
    if (fresh) {
      const t = rows.length ? table({
        id: 'audit', label: 'Audit entries',
        head: [{ text: 'Number', numeric: true }, 'When', 'Who', 'Role', 'What', 'Record', 'Outcome'],
        rows: [],
      }) : null;
      body = t ? t.querySelector('tbody') : null;
      replace(results,
        h('h2', { class: 'govuk-heading-m', tabindex: '-1', id: 'audit-heading', text: rows.length ? 'Entries' : 'No entries' }),
        rows.length ? null : paragraph('No audit entries match the filter.'),
        t);
    }
    if (body) body.append(...rows.map((cells) => tableRow(cells)));
    results.querySelector('#older')?.remove();
    if (nextBefore !== null && rows.length) {
      results.append(button({
        text: 'Show older entries', type: 'button', secondary: true, id: 'older',
        onClick: async () => {
          const before = body.rows.length;
          await load(false);
          // Keyboard users carry on from the first new row.
          const first = body.rows[before];
          if (first) { first.setAttribute('tabindex', '-1'); first.focus(); }
        },
      }));
    }
    if (focus) results.querySelector('#audit-heading').focus();
  }

  function row(e) {
    const outcome = String(e.outcome || '');
    return [
      { content: String(e.seq ?? ''), numeric: true },
      h('time', { datetime: e.at, text: formatDateTime(e.at) }),
      e.username || '',
      e.role ? roleLabel(ref, e.role) : '',
      e.action || '',
      e.object_type ? `${e.object_type}${e.object_id !== null && e.object_id !== undefined && e.object_id !== '' ? ` ${e.object_id}` : ''}` : '',
      outcome ? tag(outcome, OUTCOME_COLOURS[outcome.toLowerCase()] || 'grey') : '',
    ];
  }

  drawForm();
  await load(true, { focus: false });
  return { title: 'Audit trail', node: h('div', { class: 'govuk-grid-row' }, column) };
}
