// Merge another record into this one (/persons/{id}/merge; managers): find the record to merge
// in by name (POST /api/v1/persons/search, so names stay out of URLs), see both side by side,
// give the reason and confirm (POST /api/v1/persons/{id}/merge). Then the merged result, with
// what moved and an Undo button (POST /api/v1/persons/{id}/unmerge).
// Names are sensitive: the search and the choice are kept in ctx.memory for this history entry,
// never in the URL. Every value is set as text.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, input, textarea, button, buttonGroup, errorSummary, table, paragraph, link, notificationBanner,
  summaryCard,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { val, raw } from '../forms.js';
import { formatDate, fullName } from '../format.js';
import { movedText, identityRows } from '../person-identity.js';

const REASON_MAX = 1000;

function nameOf(p) { return fullName(p || {}) || `Person ${p && p.id}`; }

function nhs(s) {
  return /^\d{10}$/.test(s || '') ? `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}` : (s || '');
}

function currentAddress(p) {
  const list = p.addresses || [];
  const a = list.find((x) => x.current) || list[0];
  return a ? [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ') : '';
}

// The two records side by side: a row per detail, the kept record first.
function comparison(a, b) {
  const ia = a.identifiers || {};
  const ib = b.identifiers || {};
  const rowsOf = [
    ['Given name', a.given_name, b.given_name],
    ['Family name', a.family_name, b.family_name],
    ['Aliases', (a.aliases || []).join(', '), (b.aliases || []).join(', ')],
    ['Date of birth', formatDate(a.dob), formatDate(b.dob)],
    ['Sex', a.sex, b.sex],
    ['NHS number', nhs(ia.nhs_number), nhs(ib.nhs_number)],
    ['Unique pupil number', ia.upn, ib.upn],
    ['Police reference', ia.police_ref, ib.police_ref],
    ['Local authority person ID', ia.la_id, ib.la_id],
    ['Current address', currentAddress(a), currentAddress(b)],
    ['Access', a.restricted ? 'Restricted' : 'Not restricted', b.restricted ? 'Restricted' : 'Not restricted'],
  ];
  return table({
    id: 'compare', caption: 'The two records', label: 'The two records side by side',
    head: ['Detail', 'This record (kept)', 'Record to merge in'],
    rows: rowsOf.map(([k, x, y]) => [{ content: k, header: true }, x || 'Not recorded', y || 'Not recorded']),
  });
}

export async function render(ctx) {
  const id = Number(ctx.params[0]);
  const mem = ctx.memory; // {q, results, chosen (Person), reason, result (merge answer), undone}
  const survivor = await api('GET', `/api/v1/persons/${id}`);
  const column = h('div', { class: 'govuk-grid-column-full' });
  const back = `/persons/${id}`;
  const caption = nameOf(survivor);

  if (survivor.merged_into && !mem.result) {
    return {
      title: 'Merge records',
      node: [pageHeading('Merge another record into this one', { caption }),
        paragraph('This record has itself been merged into another record, so nothing can be merged into it.'),
        h('p', { class: 'govuk-body' }, link(`/persons/${survivor.merged_into}`, 'Go to the record it was merged into'))],
    };
  }

  // Draw a step. The first one is drawn before the page is mounted (app.js initialises it and
  // sets the title); later ones initialise their GOV.UK components, title and focus here.
  let mounted = false;
  let firstTitle = 'Merge records';
  function show(nodes, { title = 'Merge records', error = false, focus } = {}) {
    replace(column, nodes);
    if (!mounted) { firstTitle = title; return; }
    initAll({ scope: column });
    ctx.setTitle(title, { error });
    if (focus) column.querySelector(focus)?.focus();
  }

  // Step 1: find the record to merge in.
  function drawSearch(errors = []) {
    const err = errors.find((e) => e.key === 'q');
    const form = h('form', { novalidate: true, id: 'merge-search', role: 'search', 'aria-label': 'Find the record to merge in', onsubmit: onSearch },
      input({
        id: 'q', label: 'Name of the record to merge in', labelSize: 's', value: mem.q || '', error: err && err.text,
        hint: 'Given name, family name or alias. You can type the start of each name.', spellcheck: 'false',
        autocomplete: 'off', width: 'two-thirds',
      }),
      button({ text: 'Search', id: 'search', secondary: true }));
    const results = mem.results;
    const others = results ? (results.items || []).filter((p) => p.id !== id) : null;
    show([
      errors.length ? errorSummary(errors.map((e) => ({ href: e.href, text: e.text }))) : null,
      pageHeading('Merge another record into this one', { caption }),
      paragraph(`Find the other record of ${caption}. Its referrals, cases, assessments, meetings and missing episodes`
        + ' will be moved to this record. The other record is kept, with its names and identifiers, so the merge can be undone.'),
      form,
      others ? h('div', { id: 'merge-results' },
        h('h2', { class: 'govuk-heading-m', tabindex: '-1', id: 'results-heading', text: others.length ? 'Choose the record to merge in' : 'No results' }),
        others.length
          ? table({
            id: 'candidates', label: 'Records found',
            head: ['Name', 'Date of birth', 'Postcode', 'Action'],
            rows: others.map((p) => [
              nameOf(p), p.dob ? formatDate(p.dob) : 'Not recorded', p.postcode || '',
              h('button', {
                type: 'button', id: `choose-${p.id}`, 'data-module': 'govuk-button',
                class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0', onclick: () => choose(p.id),
              }, 'Choose', h('span', { class: 'govuk-visually-hidden', text: ` ${nameOf(p)}` })),
            ]),
          })
          : paragraph('No other record matches. Check the spelling, or search for the start of the name.')) : null,
      h('p', { class: 'govuk-body' }, link(back, 'Cancel')),
    ], { error: errors.length > 0 });
  }

  async function onSearch(e) {
    e.preventDefault();
    mem.q = val(e.currentTarget, 'q');
    if (!mem.q) {
      mem.results = null;
      drawSearch([{ key: 'q', href: '#q', text: 'Enter a name to search for' }]);
      return;
    }
    try {
      mem.results = await api('POST', '/api/v1/persons/search', { q: mem.q, limit: 20 });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
        mem.results = null;
        drawSearch([{ key: 'q', href: '#q', text: err.detail || 'Check the name and try again' }]);
        return;
      }
      throw err;
    }
    drawSearch();
    column.querySelector('#results-heading')?.focus();
  }

  async function choose(otherId) {
    mem.chosen = await api('GET', `/api/v1/persons/${otherId}`);
    mem.reason = '';
    drawConfirm();
  }

  // Step 2: both side by side, the reason, confirm.
  function drawConfirm(errors = [], conflict = null) {
    const b = mem.chosen;
    const reasonError = errors.find((e) => e.key === 'reason');
    const form = h('form', { novalidate: true, id: 'merge-form', onsubmit: onMerge },
      textarea({
        id: 'reason', label: 'Why are these the same person?', labelSize: 's', rows: 4, value: mem.reason || '',
        hint: 'For example, the identifiers that match and where each record came from. Up to 1,000 characters.',
        error: reasonError && reasonError.text,
      }),
      h('div', { class: 'govuk-warning-text' },
        h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
        h('strong', { class: 'govuk-warning-text__text' },
          h('span', { class: 'govuk-visually-hidden', text: 'Warning' }),
          `Everything recorded about ${nameOf(b)} will be moved to ${caption}. You can undo this.`)),
      buttonGroup(
        button({ text: 'Merge records', id: 'confirm-merge', once: true }),
        button({ text: 'Choose a different record', type: 'button', secondary: true, id: 'choose-again', onClick: () => { mem.chosen = null; drawSearch(); } })));
    show([
      conflict ? errorSummary([{ text: conflict }], 'The records have not been merged') : null,
      errors.length ? errorSummary(errors.map((e) => ({ href: e.href, text: e.text }))) : null,
      pageHeading(`Merge ${nameOf(b)} into ${caption}`, { caption: 'Merge records' }),
      comparison(survivor, b),
      form,
      h('p', { class: 'govuk-body' }, link(back, 'Cancel')),
    ], { title: 'Confirm the merge', error: errors.length > 0 || Boolean(conflict), focus: errors.length || conflict ? null : 'h1' });
  }

  async function onMerge(e) {
    e.preventDefault();
    mem.reason = raw(e.currentTarget, 'reason').trim();
    if (!mem.reason) {
      drawConfirm([{ key: 'reason', href: '#reason', text: 'Enter why these records are the same person' }]);
      return;
    }
    if (mem.reason.length > REASON_MAX) {
      drawConfirm([{ key: 'reason', href: '#reason', text: `The reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer` }]);
      return;
    }
    try {
      mem.result = await api('POST', `/api/v1/persons/${id}/merge`, { merged_id: mem.chosen.id, version: survivor.version, reason: mem.reason });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 422) {
        const errors = err.errors.map((x) => ({
          key: x.field, href: x.field === 'reason' ? '#reason' : '#confirm-merge',
          text: x.field === 'reason' ? `The reason ${x.message}` : `${x.field} ${x.message}`,
        }));
        drawConfirm(errors);
        return;
      }
      if (err.status === 409 || err.status === 403 || err.status === 404) {
        drawConfirm([], err.detail || err.title);
        return;
      }
      throw err;
    }
    mem.undone = false;
    drawResult();
  }

  // Step 3: the merged result, with Undo.
  function drawResult(error = null) {
    const r = mem.result;
    const a = r.survivor;
    const b = r.merged;
    show([
      error ? errorSummary([{ text: error }], 'The merge has not been undone') : null,
      mem.undone
        ? notificationBanner({ type: 'success', heading: `Merge undone: ${nameOf(b)} is a separate record again` })
        : notificationBanner({ type: 'success', heading: `${nameOf(b)} has been merged into ${nameOf(a)}` }),
      pageHeading(mem.undone ? 'Merge undone' : 'Records merged', { caption: nameOf(a) }),
      summaryCard({
        title: 'The record kept',
        rows: [...identityRows(a), { key: 'Records moved to it', value: mem.undone ? 'Put back' : (movedText(r.moved) || 'None') }],
      }),
      summaryCard({ title: mem.undone ? 'The record separated again' : 'Also known as', rows: identityRows(b) }),
      mem.undone
        ? h('p', { class: 'govuk-body' }, link(`/persons/${a.id}`, `Go to ${nameOf(a)}`), ' or ', link(`/persons/${b.id}`, `go to ${nameOf(b)}`))
        : buttonGroup(
          button({ text: 'Undo (unmerge)', type: 'button', secondary: true, id: 'undo-merge', once: true, onClick: onUndo }),
          link(`/persons/${a.id}`, `Go to ${nameOf(a)}`)),
    ], { title: mem.undone ? 'Merge undone' : 'Records merged', error: Boolean(error), focus: error ? null : 'h1' });
  }

  async function onUndo() {
    try {
      await api('POST', `/api/v1/persons/${id}/unmerge`, { merge_id: mem.result.merge_id });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      drawResult(err.detail || err.title || 'Try again.');
      return;
    }
    mem.undone = true;
    drawResult();
  }

  if (mem.result) drawResult();
  else if (mem.chosen) drawConfirm();
  else drawSearch();
  mounted = true;
  return { title: firstTitle, node: [h('div', { class: 'govuk-grid-row' }, column)] };
}
