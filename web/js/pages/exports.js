// Statutory exports of missing episodes (/exports; docs/api-missing.md, "Exports"): the SSDA903
// Missing table for a date range and the Annex A missing summary for the 12 months to a date.
// Each form checks its dates, then fetches the CSV (GET with the session cookie: no CSRF token
// is needed) and saves it through an object URL, so the file downloads without leaving the page
// and without putting anything in the page's own URL. The server's 422 errors are shown beside
// the date they name, with an error summary linking to each. Text is set as text, never as HTML.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import { pageHeading, paragraph, dateInput, button, errorSummary, warningText } from '../govuk.js';
import { readDate, dateParts } from '../forms.js';
import { formatDate } from '../format.js';

const TITLE = 'Exports';

// 'YYYY-MM-DD' of a Date in UK local time.
function ukDate(d) {
  return d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
}

// The last complete reporting year (1 April to 31 March) before today.
function lastReportingYear(today) {
  const [y, m] = today.split('-').map(Number);
  const end = m >= 4 ? y : y - 1;
  return { from: `${end - 1}-04-01`, to: `${end}-03-31` };
}

// Save `blob` as a file called `name` (an object URL clicked through a temporary link).
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// GET the CSV at path. Resolves to {status, blob} on 200, or {status, problem} otherwise.
async function fetchCsv(path) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/csv, application/problem+json' } });
  } catch {
    return { status: 0, problem: null };
  }
  if (res.ok) {
    // Rows of children whose records are restricted to named people, left out for this user.
    const withheld = Number(res.headers.get('Safehub-Withheld')) || 0;
    return { status: res.status, blob: await res.blob(), withheld };
  }
  let problem = null;
  try { problem = await res.json(); } catch { problem = null; }
  return { status: res.status, problem };
}

// The rows in a CSV file (its lines less the header).
async function rowCount(blob) {
  const text = await blob.text();
  return Math.max(0, text.split('\r\n').filter(Boolean).length - 1);
}

export async function render(ctx) {
  const today = ukDate(new Date());
  const year = lastReportingYear(today);
  const mem = ctx.memory; // {ssda: {from, to} parts, annex: {date} parts}: survives Back and Forward
  if (!mem.ssda) mem.ssda = { from: dateParts(year.from), to: dateParts(year.to) };
  if (!mem.annex) mem.annex = { date: dateParts(today) };
  const column = h('div', { class: 'govuk-grid-column-two-thirds' });
  const status = h('div', { id: 'export-status', 'aria-live': 'polite' });

  // errors: [{key: input id, text, parts?}]
  function draw(errors = [], done = null) {
    const err = Object.fromEntries(errors.map((e) => [e.key, e]));
    const field = (id, legend, hint, value) => dateInput({
      id, legend, legendSize: 's', hint, value, error: err[id] && err[id].text, errorParts: err[id] && err[id].parts,
    });
    const ssda = h('form', { novalidate: true, id: 'ssda903-form', 'aria-labelledby': 'ssda903-heading', onsubmit: onSsda },
      h('h2', { class: 'govuk-heading-m', id: 'ssda903-heading', text: 'SSDA903 missing episodes' }),
      paragraph('One row for each missing (M) or away (A) episode of a looked-after child that started in the period: '
        + 'CHILD, DOB, MISSING, MIS_START and MIS_END, with dates as DD/MM/YYYY.'),
      field('ssda-from', 'From', 'The first day of the period, for example 1 4 2025', mem.ssda.from),
      field('ssda-to', 'To', 'The last day of the period, for example 31 3 2026', mem.ssda.to),
      button({ text: 'Download the SSDA903 file', id: 'ssda903-download' }));
    const annex = h('form', { novalidate: true, id: 'annex-a-form', 'aria-labelledby': 'annex-a-heading', onsubmit: onAnnex },
      h('h2', { class: 'govuk-heading-m', id: 'annex-a-heading', text: 'Annex A: missing and absent' }),
      paragraph('One row for each looked-after child with an episode in the 12 months to the date: the missing and absent '
        + 'episodes, the highest police grading, the last episode, and whether a return home interview was offered and '
        + 'accepted after it.'),
      field('annex-date', 'The 12 months to', 'For example 31 3 2026', mem.annex.date),
      button({ text: 'Download the Annex A file', id: 'annex-a-download' }));
    replace(column,
      errors.length ? errorSummary(errors.map((e) => ({ href: `#${e.key}-${(e.parts && e.parts[0]) || 'day'}`, text: e.text }))) : null,
      pageHeading(TITLE, { caption: 'Missing from home' }),
      status,
      ssda,
      annex);
    replace(status, done ? h('div', { class: 'govuk-inset-text', id: 'export-done', text: done.text }) : null,
      done && done.withheld ? warningText(`The file leaves out ${done.withheld} ${done.withheld === 1 ? 'row' : 'rows'} about `
        + 'children whose records are restricted to named people. A return needs them: ask someone named on those records, '
        + 'or an administrator, to make the file.', { id: 'export-withheld' }) : null);
    if (errors.length) {
      ctx.setTitle(TITLE, { error: true });
      initAll({ scope: column }); // focuses the error summary
    } else {
      ctx.setTitle(TITLE);
    }
  }

  // Turn an answer that is not a file into errors on the inputs (keys: API field -> input id).
  function failed(r, keys, fallbackKey) {
    if (r.status === 422 && r.problem && Array.isArray(r.problem.errors)) {
      const errors = r.problem.errors.map((e) => ({
        key: keys[e.field] || fallbackKey, text: `${capital(labels[keys[e.field]] || 'The date')} ${e.message}`,
      }));
      return draw(errors);
    }
    let text = 'The file could not be made. Try again.';
    if (r.status === 401) text = 'Your session has ended. Sign in again, then download the file.';
    else if (r.status === 403) text = 'Your role does not allow exports.';
    else if (r.status === 0) text = 'The server could not be reached. Check your connection and try again.';
    else if (r.problem && r.problem.detail) text = r.problem.detail;
    return draw([{ key: fallbackKey, text }]);
  }

  const labels = { 'ssda-from': 'the from date', 'ssda-to': 'the to date', 'annex-date': 'the date' };
  function capital(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

  async function onSsda(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const from = readDate(form, 'ssda-from', 'The from date');
    const to = readDate(form, 'ssda-to', 'The to date');
    mem.ssda = { from: from.parts, to: to.parts };
    const errors = [];
    for (const [key, d, label] of [['ssda-from', from, 'the from date'], ['ssda-to', to, 'the to date']]) {
      if (d.error) errors.push({ key, text: d.error, parts: d.errorParts });
      else if (!d.value) errors.push({ key, text: `Enter ${label}` });
    }
    if (!errors.length && to.value < from.value) errors.push({ key: 'ssda-to', text: 'The to date must be the same as or after the from date' });
    if (errors.length) return draw(errors);
    const r = await fetchCsv(`/api/v1/exports/ssda903-missing?from=${from.value}&to=${to.value}`);
    if (!r.blob) return failed(r, { from: 'ssda-from', to: 'ssda-to' }, 'ssda-from');
    const name = `ssda903-missing-${from.value}-to-${to.value}.csv`;
    save(r.blob, name);
    const n = await rowCount(r.blob);
    return draw([], {
      text: `Downloaded ${name}: ${n} ${n === 1 ? 'episode' : 'episodes'} from ${formatDate(from.value)} to ${formatDate(to.value)}.`,
      withheld: r.withheld,
    });
  }

  async function onAnnex(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const date = readDate(form, 'annex-date', 'The date');
    mem.annex = { date: date.parts };
    if (date.error) return draw([{ key: 'annex-date', text: date.error, parts: date.errorParts }]);
    if (!date.value) return draw([{ key: 'annex-date', text: 'Enter the date' }]);
    const r = await fetchCsv(`/api/v1/exports/annex-a-missing?date=${date.value}`);
    if (!r.blob) return failed(r, { date: 'annex-date' }, 'annex-date');
    const name = `annex-a-missing-to-${date.value}.csv`;
    save(r.blob, name);
    const n = await rowCount(r.blob);
    return draw([], {
      text: `Downloaded ${name}: ${n} ${n === 1 ? 'child' : 'children'} in the 12 months to ${formatDate(date.value)}.`,
      withheld: r.withheld,
    });
  }

  draw();
  return { title: TITLE, node: [h('div', { class: 'govuk-grid-row' }, column)] };
}
