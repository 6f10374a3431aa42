// "Is this someone we know?": before a new person is created, the persons already known who
// may be the same child (POST /api/v1/persons/matches, so that names stay out of URLs and
// logs), ranked by match probability with the engine's reasons, each linking to the person.
// Used by the person-create page; any page that is about to create a person can use it.
// Owns: the candidate list's markup. Must not touch: the form it is shown beside.

import { h } from './dom.js';
import { api } from './api.js';
import { formatDate, fullName } from './format.js';
import { button, tag, paragraph } from './govuk.js';

// The fields intake search takes, from what a form holds. Empty values are left out.
// fields: {given_name, family_name, dob (YYYY-MM-DD), sex, postcode, nhs_number}.
export function matchQuery(fields) {
  const q = {};
  for (const k of ['given_name', 'family_name', 'dob', 'sex', 'postcode', 'nhs_number']) {
    const v = fields[k] === undefined || fields[k] === null ? '' : String(fields[k]).trim();
    if (v) q[k] = v;
  }
  return q;
}

// True when the fields hold enough to look for someone (a name, a date of birth or an NHS number).
export function canSearch(fields) {
  const q = matchQuery(fields);
  return Boolean(q.given_name || q.family_name || q.dob || q.nhs_number);
}

// The candidates for the fields: [{person, probability, reasons}], best first ([] when the
// fields hold nothing to look for). Throws ApiError as api() does.
export async function findMatches(fields, limit = 5) {
  if (!canSearch(fields)) return [];
  const r = await api('POST', '/api/v1/persons/matches', { ...matchQuery(fields), limit });
  return (r && r.items) || [];
}

// How likely, in words and a tag colour.
function likelihood(p) {
  if (p >= 0.95) return ['Very likely the same person', 'green'];
  if (p >= 0.5) return ['Possibly the same person', 'yellow'];
  return ['Unlikely to be the same person', 'grey'];
}

// "99%" (never 100% or 0%: the engine is never certain).
export function percent(p) {
  const n = Math.round(Number(p) * 100);
  return `${Math.min(99, Math.max(1, n))}%`;
}

// One candidate as a GOV.UK summary card: the name linking to the person, the details it was
// matched on, the probability, and the reasons (one line per field compared).
export function candidateCard(item, { headingLevel = 3, index = 0, actions = null } = {}) {
  const p = item.person || {};
  const name = fullName(p) || `Person ${p.id}`;
  const [words, colour] = likelihood(item.probability);
  const reasons = (item.reasons || []).filter((r) => r && r.text);
  const row = (key, value) => h('div', { class: 'govuk-summary-list__row' },
    h('dt', { class: 'govuk-summary-list__key', text: key }),
    h('dd', { class: 'govuk-summary-list__value' },
      value === '' || value === null || value === undefined
        ? h('span', { class: 'govuk-hint govuk-!-margin-bottom-0', text: 'Not recorded' })
        : value));
  return h('div', { class: 'govuk-summary-card', 'data-candidate': String(p.id), 'data-rank': String(index + 1) },
    h('div', { class: 'govuk-summary-card__title-wrapper' },
      h(`h${headingLevel}`, { class: 'govuk-summary-card__title' },
        h('a', { class: 'govuk-link', href: `/persons/${p.id}`, text: name },
          h('span', { class: 'govuk-visually-hidden', text: ` (candidate ${index + 1})` }))),
      actions ? h('div', { class: 'govuk-summary-card__actions' }, actions) : null),
    h('div', { class: 'govuk-summary-card__content' },
      h('dl', { class: 'govuk-summary-list' },
        row('Match', h('span', {}, h('strong', { text: percent(item.probability) }), ' ', tag(words, colour))),
        row('Date of birth', formatDate(p.dob)),
        row('Postcode', p.postcode || ''),
        row('NHS number', p.nhs_number || ''),
        row('Why', reasons.length
          ? h('ul', { class: 'govuk-list govuk-list--bullet govuk-!-margin-bottom-0' },
            reasons.map((r) => h('li', { text: r.text })))
          : ''))));
}

// The "Is this someone we know?" panel for candidates `items`. opts.onNone: called by the
// "None of these, create a new person" button (left out when not given); opts.noneText: its
// words. The heading is focusable so the page can move focus to it when it appears.
export function matchesPanel(items, { onNone, noneText = 'None of these, create a new person' } = {}) {
  return h('section', { class: 'govuk-!-margin-bottom-8', id: 'intake-matches', 'aria-labelledby': 'intake-matches-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'intake-matches-heading', tabindex: '-1', text: 'Is this someone we know?' }),
    paragraph(items.length === 1
      ? 'We already know a person who may be the one you are adding. Check before you create a new record.'
      : `We already know ${items.length} people who may be the one you are adding. Check before you create a new record.`),
    paragraph('Select a name to open their record. If none of them is this person, create a new person.', 'govuk-body govuk-hint'),
    h('div', { id: 'intake-candidates' }, items.map((it, i) => candidateCard(it, { index: i }))),
    onNone ? button({ text: noneText, type: 'button', id: 'create-anyway', onClick: onNone, once: true }) : null);
}
