// Find a person: search by name (prefix of each word, across given, family and alias names),
// exact date of birth, or exact identifier. Names are sensitive: the search is never put in
// the URL (which stays /persons) but kept in ctx.memory for this history entry, so Back from
// a person returns to the same results without searching again.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, input, dateInput, button, errorSummary, table, pagination, paragraph, link,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { readDate, val } from '../forms.js';
import { formatDate, fullName } from '../format.js';
import { CAN_WRITE_PERSONS } from '../roles.js';

const LIMIT = 20;

export async function render(ctx) {
  const mem = ctx.memory; // {criteria: {q, dobParts, dob, identifier}, offset, result}
  const column = h('div', { class: 'govuk-grid-column-full' });
  const results = h('div', { id: 'search-results' });
  const canAdd = CAN_WRITE_PERSONS.includes(ctx.user.role);

  function drawForm(errors = []) {
    const err = Object.fromEntries(errors.map((e) => [e.key, e]));
    const c = mem.criteria || { q: '', dobParts: {}, identifier: '' };
    const form = h('form', { novalidate: true, id: 'search-form', role: 'search', 'aria-label': 'Find a person', onsubmit: onSubmit },
      h('div', { class: 'govuk-grid-row' },
        h('div', { class: 'govuk-grid-column-two-thirds' },
          input({
            id: 'q', label: 'Name', labelSize: 's', value: c.q, error: err.q && err.q.text,
            hint: 'Given name, family name or alias. You can type the start of each name, for example "kay smi".',
            spellcheck: 'false', autocomplete: 'off', width: 'full',
          }),
          dateInput({
            id: 'dob', legend: 'Date of birth', legendSize: 's', hint: 'For example, 3 7 2009', value: c.dobParts,
            error: err.dob && err.dob.text, errorParts: err.dob && err.dob.parts,
          }),
          input({
            id: 'identifier', label: 'Identifier', labelSize: 's', value: c.identifier, error: err.identifier && err.identifier.text,
            hint: 'NHS number, unique pupil number, police reference or local authority ID', spellcheck: 'false',
            autocomplete: 'off', width: 20,
          }),
          button({ text: 'Search', id: 'search' }))));
    replace(column,
      errors.length ? errorSummary(errors.map((e) => ({ href: e.href, text: e.text }))) : null,
      pageHeading('Find a person'),
      form,
      results);
  }

  async function onSubmit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const dob = readDate(form, 'dob', 'Date of birth');
    const criteria = { q: val(form, 'q'), dobParts: dob.parts, dob: dob.value || '', identifier: val(form, 'identifier') };
    mem.criteria = criteria;
    const errors = [];
    if (dob.error) errors.push({ key: 'dob', href: `#dob-${dob.errorParts[0]}`, text: dob.error, parts: dob.errorParts });
    else if (!criteria.q && !criteria.dob && !criteria.identifier) {
      errors.push({ key: 'q', href: '#q', text: 'Enter a name, date of birth or identifier' });
    }
    if (errors.length) {
      mem.result = null;
      replace(results);
      showErrors(errors);
      return;
    }
    await search(0, { focus: true });
  }

  function showErrors(errors) {
    drawForm(errors);
    ctx.setTitle('Find a person', { error: true });
    initAll({ scope: column }); // focuses the error summary
  }

  // Run the search in mem.criteria from offset and show the results.
  async function search(offset, { focus } = {}) {
    const c = mem.criteria;
    let result;
    try {
      // POST, so the name, date of birth and identifier never appear in a URL (not even the API's).
      const terms = { limit: LIMIT, offset };
      for (const k of ['q', 'dob', 'identifier']) if (c[k]) terms[k] = c[k];
      result = await api('POST', '/api/v1/persons/search', terms);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
        mem.result = null;
        replace(results);
        showErrors([{ key: 'q', href: '#q', text: err.detail || err.title || 'Check your search and try again' }]);
        return;
      }
      throw err;
    }
    mem.offset = offset;
    mem.result = result;
    if (column.querySelector('.govuk-error-summary')) { drawForm(); initAll({ scope: column }); }
    ctx.setTitle('Find a person');
    drawResults();
    if (focus) results.querySelector('h2').focus();
  }

  function drawResults() {
    const r = mem.result;
    if (!r) { replace(results); return; }
    const items = r.items || [];
    const total = typeof r.total === 'number' ? r.total : items.length;
    const offset = r.offset ?? mem.offset ?? 0;
    if (!items.length) {
      replace(results,
        h('h2', { class: 'govuk-heading-m', tabindex: '-1', id: 'results-heading', text: 'No results' }),
        paragraph('No one in safehub matches your search.'),
        h('p', { class: 'govuk-body', text: 'You can:' }),
        h('ul', { class: 'govuk-list govuk-list--bullet' },
          h('li', { text: 'check the spelling, or search for the start of the name' }),
          h('li', { text: 'search by date of birth or an identifier instead' }),
          canAdd ? h('li', {}, link('/persons/new', 'add a person')) : null));
      return;
    }
    const heading = total === 1 ? '1 person found' : `${total} people found`;
    const from = offset + 1;
    const to = offset + items.length;
    replace(results,
      h('h2', { class: 'govuk-heading-m', tabindex: '-1', id: 'results-heading', text: heading }),
      total > items.length ? paragraph(`Showing ${from} to ${to} of ${total}`, 'govuk-body app-result-count') : null,
      table({
        id: 'results', label: 'Search results',
        head: ['Name', 'Aliases', 'Date of birth', { text: 'Age', numeric: true }, 'Postcode'],
        rows: items.map((p) => [
          { content: link(`/persons/${encodeURIComponent(p.id)}`, fullName(p) || `Person ${p.id}`), class: 'app-wrap' },
          { content: (p.aliases || []).join(', '), class: 'app-wrap' },
          formatDate(p.dob),
          { content: p.age === null || p.age === undefined ? '' : String(p.age), numeric: true },
          p.postcode || '',
        ]),
      }),
      total > items.length ? pagination({
        label: 'Search results pages',
        onPrev: offset > 0 ? () => search(Math.max(0, offset - LIMIT), { focus: true }) : null,
        onNext: to < total ? () => search(offset + LIMIT, { focus: true }) : null,
      }) : null);
  }

  drawForm();
  drawResults();
  return { title: 'Find a person', node: h('div', { class: 'govuk-grid-row' }, column) };
}
