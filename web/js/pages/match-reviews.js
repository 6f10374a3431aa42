// The match review queue (/match-reviews): import rows whose person the matcher could not be
// sure of (GET /api/v1/match-reviews), oldest first, each with the row as imported and its
// candidates ranked with their probability and reasons. A manager decides each row (POST
// /api/v1/match-reviews/{id}/decision with the version read): "Link to this person" (the row
// is written against that person: for a missing import, the episode is created), "Create a new
// person" (from the row's details) or "Dismiss" (the row is dropped). Others see the queue only.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, notificationBanner, errorSummary, paragraph, buttonGroup, summaryList,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { formatDateTime, fullName } from '../format.js';
import { conflictSummary } from '../casework.js';
import { CAN_MERGE } from '../roles.js';
import { candidateCard } from '../intake-matches.js';

// Row columns shown first, with their labels; other columns follow as they are named.
const ROW_LABELS = [
  ['given_name', 'Given name'], ['family_name', 'Family name'], ['dob', 'Date of birth'], ['sex', 'Sex'],
  ['postcode', 'Postcode'], ['address', 'Address'], ['locality', 'Locality'], ['nhs_number', 'NHS number'],
  ['other_id', 'Other identifier'],
];

const KIND_LABELS = { missing: 'missing episodes import' };

function rowList(row) {
  const seen = new Set();
  const rows = [];
  for (const [k, label] of ROW_LABELS) {
    if (!(k in row)) continue;
    seen.add(k);
    rows.push({ key: label, value: row[k] === null ? '' : String(row[k]) });
  }
  for (const [k, v] of Object.entries(row)) {
    if (seen.has(k)) continue;
    const label = k.replace(/_/g, ' ');
    rows.push({ key: label.charAt(0).toUpperCase() + label.slice(1), value: v === null ? '' : String(v) });
  }
  return summaryList(rows);
}

// A button whose accessible name starts with its visible words and says which row and person.
function decisionButton({ text, hidden, id, secondary, warning, onClick }) {
  return h('button', {
    type: 'button', id, 'data-module': 'govuk-button', 'data-prevent-double-click': 'true',
    class: ['govuk-button', secondary && 'govuk-button--secondary', warning && 'govuk-button--warning', 'govuk-!-margin-bottom-0'],
    onclick: onClick,
  }, text, h('span', { class: 'govuk-visually-hidden', text: hidden }));
}

export async function render(ctx) {
  const data = await api('GET', '/api/v1/match-reviews?status=pending');
  const items = data.items || [];
  const flash = ctx.takeFlash();
  const canDecide = CAN_MERGE.includes(ctx.user.role);
  const problems = h('div', { id: 'review-problems' });
  const title = 'Match reviews';

  async function decide(review, decision, person) {
    const body = { version: review.version, decision };
    if (decision === 'link') body.person_id = person.id;
    try {
      await api('POST', `/api/v1/match-reviews/${review.id}/decision`, body);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 409) {
        replace(problems, conflictSummary(() => ctx.reload(), err.detail, 'this row'));
      } else if (err.status === 422 && err.errors.length) {
        replace(problems, errorSummary(err.errors.map((e) => ({ text: `${e.field === 'person_id' ? 'The person' : 'This row'} ${e.message}` }))));
      } else {
        replace(problems, errorSummary([{ text: err.detail || err.title || 'The decision could not be saved. Try again later.' }]));
      }
      ctx.setTitle(title, { error: true });
      initAll({ scope: problems });
      problems.querySelector('.govuk-error-summary')?.focus();
      return;
    }
    let heading = `Row ${review.row_number} dismissed`;
    if (decision === 'link') heading = `Row ${review.row_number} linked to ${fullName(person) || `person ${person.id}`}`;
    if (decision === 'new') heading = `New person created from row ${review.row_number}`;
    ctx.flash({ type: 'success', heading });
    ctx.reload();
  }

  function reviewSection(r) {
    const where = r.import_id ? `${KIND_LABELS[r.kind] || `${r.kind} import`} ${r.import_id}` : (KIND_LABELS[r.kind] || r.kind);
    const headingId = `review-${r.id}-heading`;
    const cands = r.candidates || [];
    return h('section', { class: 'govuk-!-margin-bottom-9', 'aria-labelledby': headingId, 'data-review': String(r.id) },
      h('h2', { class: 'govuk-heading-m', id: headingId, text: `Row ${r.row_number} of ${where}` }),
      paragraph(`Queued ${formatDateTime(r.created_at)}`, 'govuk-body-s govuk-hint'),
      h('h3', { class: 'govuk-heading-s', text: 'The row as imported' }),
      rowList(r.row || {}),
      h('h3', { class: 'govuk-heading-s', text: cands.length === 1 ? 'The person it may be' : 'The people it may be' }),
      cands.length
        ? cands.map((c, i) => candidateCard(c, {
          headingLevel: 4,
          index: i,
          actions: canDecide ? decisionButton({
            text: 'Link to this person', hidden: `: row ${r.row_number} is ${fullName(c.person) || `person ${c.person.id}`}`,
            id: `link-${r.id}-${c.person.id}`, onClick: () => decide(r, 'link', c.person),
          }) : null,
        }))
        : paragraph('None of the people it may be is open to you.'),
      canDecide
        ? buttonGroup(
          decisionButton({
            text: 'Create a new person', hidden: ` from row ${r.row_number}`, id: `new-${r.id}`, secondary: true,
            onClick: () => decide(r, 'new'),
          }),
          decisionButton({
            text: 'Dismiss', hidden: ` row ${r.row_number}`, id: `dismiss-${r.id}`, warning: true,
            onClick: () => decide(r, 'dismiss'),
          }))
        : paragraph('Only a manager can decide who a row is about.', 'govuk-body govuk-hint'));
  }

  const shown = items.length;
  const node = [
    problems,
    flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
    pageHeading(title, { caption: 'Identity' }),
    paragraph('Rows from imports whose person we could not be sure of. Decide who each row is about: link it to a person, create a new person from it, or dismiss it.'),
    shown
      ? paragraph(data.total > shown
        ? `Showing the oldest ${shown} of ${data.total} rows waiting for a decision.`
        : `${shown} ${shown === 1 ? 'row is' : 'rows are'} waiting for a decision.`, 'govuk-body govuk-!-font-weight-bold')
      : paragraph('There are no rows waiting for a decision.', 'govuk-body govuk-!-font-weight-bold'),
    items.map(reviewSection),
  ];
  return { title, node };
}
