// Import a police extract of missing episodes (/imports/missing; docs/import-missing.md).
// The user chooses a CSV file; it is read in the browser with FileReader (as bytes, so the
// server can tell a file that is not UTF-8) and POSTed as text/csv to /api/v1/imports/missing.
// A good file shows the counts (added, updated, unchanged, persons, held for review); a bad one
// shows every error by row and column in a table, with an error summary linking to it. Nothing
// is imported from a file with any error. Text is set as text, never as HTML.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, paragraph, button, buttonGroup, errorSummary, errorMessage, notificationBanner, summaryList,
  table, link,
} from '../govuk.js';
import { getSession } from '../api.js';

const MAX_BYTES = 1024 * 1024; // the API's body limit; larger extracts use the command line
const TITLE = 'Import a police extract';

const REQUIRED = ['police_force', 'police_ref', 'given_name', 'family_name', 'missing_from', 'category',
  'started_at', 'reported_at'];
const OPTIONAL = ['dob', 'sex', 'address', 'postcode', 'nhs_number', 'la_id', 'ended_at', 'found_where', 'grade',
  'graded_at', 'graded_by', 'looked_after', 'placement_type', 'placement_provider', 'placing_authority',
  'host_authority', 'team', 'locality', 'notes'];

// Read a File as bytes (FileReader, so that it works the same in every supported browser).
function readBytes(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error || new Error('The file could not be read'));
    r.readAsArrayBuffer(file);
  });
}

// POST the bytes as text/csv. Resolves to {status, body} (body: parsed JSON or null).
async function send(bytes, filename) {
  const session = await getSession();
  if (!session) return { status: 401, body: null };
  const res = await fetch(`/api/v1/imports/missing?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: {
      'Content-Type': 'text/csv',
      Accept: 'application/json, application/problem+json',
      'X-CSRF-Token': session.csrf_token,
    },
    body: bytes,
  });
  let body = null;
  if ((res.headers.get('Content-Type') || '').includes('json')) {
    try { body = await res.json(); } catch { body = null; }
  }
  return { status: res.status, body };
}

// What the server could not be told about a file: the HTTP layer refuses any body with a NUL
// byte, so a UTF-16/UTF-32 file or a binary one is named here, by line, as the import would name
// it. Returns the message, or null when the bytes may be sent.
function notText(buffer) {
  const b = new Uint8Array(buffer);
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)) {
    return 'line 1: the file is UTF-16 or UTF-32; save it as CSV UTF-8';
  }
  const nul = b.indexOf(0);
  if (nul < 0) return null;
  let line = 1;
  for (let i = 0; i < nul; i += 1) if (b[i] === 0x0a) line += 1;
  return `line ${line}: the file contains a NUL byte (is it a text file?)`;
}

function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

export async function render(ctx) {
  const column = h('div', { class: 'govuk-grid-column-full' });

  // state: {fileError, summary: [{href?, text}], errors: [...], errorsTotal, rowsBad, result, filename}
  function draw(state = {}) {
    const fileId = 'file';
    const fileGroup = h('div', { class: ['govuk-form-group', state.fileError && 'govuk-form-group--error'] },
      h('label', { class: 'govuk-label govuk-label--s', for: fileId, text: 'The CSV file' }),
      h('div', { id: `${fileId}-hint`, class: 'govuk-hint', text: 'Up to 1 MB, saved as CSV UTF-8. Larger extracts are imported with the command safehub import missing.' }),
      state.fileError ? errorMessage(fileId, state.fileError) : null,
      h('input', {
        class: ['govuk-file-upload', state.fileError && 'govuk-file-upload--error'],
        id: fileId, name: fileId, type: 'file', accept: '.csv,text/csv',
        'aria-describedby': [`${fileId}-hint`, state.fileError && `${fileId}-error`].filter(Boolean).join(' '),
      }));
    const form = h('form', { novalidate: true, id: 'import-form', onsubmit: onSubmit },
      fileGroup,
      buttonGroup(button({ text: 'Import the file', id: 'import', once: true })));

    const r = state.result;
    const resultNode = r ? [
      notificationBanner({
        type: 'success',
        heading: `${state.filename || 'The file'} was imported: ${plural(r.rows, 'row', 'rows')}.`,
      }),
      h('h2', { class: 'govuk-heading-m', id: 'result-heading', text: 'What the import did' }),
      summaryList([
        { key: 'Import number', value: String(r.import_id) },
        { key: 'Rows in the file', value: String(r.rows) },
        { key: 'Episodes added', value: String(r.added) },
        { key: 'Episodes updated', value: String(r.updated) },
        { key: 'Episodes unchanged', value: String(r.unchanged) },
        { key: 'Persons created', value: String(r.persons_created) },
        { key: 'Rows linked to a known person', value: String(r.persons_linked) },
        {
          key: 'Rows held for a decision on who they are about',
          value: r.review ? h('span', {}, `${r.review} `, link('/match-reviews', 'Review them')) : '0',
        },
      ]),
      paragraph('Importing the same file again adds nothing: episodes are known by their police force and reference.'),
      h('p', { class: 'govuk-body' }, link('/missing/episodes', 'See the missing episodes')),
    ] : null;

    const errors = state.errors || [];
    const errorsNode = errors.length ? [
      h('h2', { class: 'govuk-heading-m', id: 'import-errors', tabindex: '-1', text: 'Errors in the file' }),
      paragraph(state.errorsTotal > errors.length
        ? `The first ${errors.length} of ${state.errorsTotal} errors. Row 1 is the header, so the first episode is row 2.`
        : 'Row 1 is the header, so the first episode is row 2.'),
      table({
        id: 'import-errors-table', label: 'Errors in the file', caption: 'Errors by row and column', captionSize: 's',
        head: [{ text: 'Row', numeric: true }, 'Column', 'Problem'],
        rows: errors.map((e) => [
          { content: String(e.row), numeric: true },
          e.column || '',
          { content: e.message, class: 'app-wrap' },
        ]),
      }),
    ] : null;

    replace(column,
      state.summary && state.summary.length ? errorSummary(state.summary) : null,
      pageHeading(TITLE, { caption: 'Missing from home' }),
      resultNode,
      paragraph('Choose a police force’s extract of missing episodes: a CSV file with one row per episode and a header row naming the columns. Nothing is imported from a file with any error; every error is listed by row and column.'),
      h('details', { class: 'govuk-details' },
        h('summary', { class: 'govuk-details__summary' },
          h('span', { class: 'govuk-details__summary-text', text: 'The columns' })),
        h('div', { class: 'govuk-details__text' },
          paragraph(`Required: ${REQUIRED.join(', ')}.`),
          paragraph(`Optional: ${OPTIONAL.join(', ')}.`),
          paragraph('Dates as 2010-04-01 or 01/04/2010. Times as 2026-11-20 18:30 (UK time), 20/11/2026 18:30 or 2026-11-20T18:30:00Z.'))),
      form,
      errorsNode);
  }

  // Redraw after an answer; initAll starts the new components (the error summary and the
  // success banner take focus as they start).
  function redraw(state) {
    draw(state);
    initAll({ scope: column });
  }

  function failed(state) {
    redraw(state);
    ctx.setTitle(TITLE, { error: true });
  }

  async function onSubmit(e) {
    e.preventDefault();
    const input = e.currentTarget.querySelector('#file');
    const file = input.files && input.files[0];
    if (!file) {
      failed({ fileError: 'Choose a CSV file', summary: [{ href: '#file', text: 'Choose a CSV file' }] });
      return;
    }
    if (file.size > MAX_BYTES) {
      const msg = 'The file must be 1 MB or smaller: import larger extracts with the command safehub import missing';
      failed({ fileError: msg, summary: [{ href: '#file', text: msg }] });
      return;
    }
    const btn = e.currentTarget.querySelector('#import');
    btn.disabled = true;
    let answer;
    try {
      const bytes = await readBytes(file);
      const bad = notText(bytes);
      if (bad) {
        btn.disabled = false;
        const msg = `The file is not a CSV file the hub can read: ${bad}. Nothing was imported.`;
        failed({ summary: [{ href: '#file', text: msg }], fileError: msg });
        return;
      }
      answer = await send(bytes, file.name);
    } catch {
      btn.disabled = false;
      const msg = 'The file could not be sent. Check your connection and try again. Nothing was imported.';
      failed({ summary: [{ href: '#file', text: msg }], fileError: msg });
      return;
    }
    const { status, body } = answer;
    if (status === 200 && body) {
      redraw({ result: body, filename: file.name });
      ctx.setTitle(TITLE);
      return;
    }
    if (status === 422 && body && Array.isArray(body.errors)) {
      const total = body.errors_total || body.errors.length;
      const text = `${body.detail || `The file has ${plural(total, 'error', 'errors')}. Nothing was imported.`}`;
      failed({
        summary: [{ href: '#import-errors', text }],
        fileError: 'Correct the file and choose it again',
        errors: body.errors,
        errorsTotal: total,
      });
      return;
    }
    let msg;
    if (status === 400) msg = `The file is not a CSV file the hub can read: ${(body && body.detail) || 'check it and try again'}. Nothing was imported.`;
    else if (status === 413) msg = 'The file must be 1 MB or smaller: import larger extracts with the command safehub import missing';
    else if (status === 401) msg = 'Your session has ended. Sign in again, then choose the file again. Nothing was imported.';
    else if (status === 403) msg = (body && body.detail) || 'You are not allowed to import extracts.';
    else msg = `The import failed (${(body && (body.detail || body.title)) || status}). Nothing was imported. Try again later.`;
    failed({ summary: [{ href: '#file', text: msg }], fileError: msg });
  }

  draw();
  return { title: TITLE, node: [h('div', { class: 'govuk-grid-row' }, column)] };
}
