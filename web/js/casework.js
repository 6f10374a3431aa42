// Shared pieces of the casework pages (issue 3): who may do what, the casework configuration,
// risk level tags, UK local date-and-time fields, "time left" wording, a checkbox group, and
// turning the server's 422 field errors into GOV.UK error messages. Pages import from here;
// nothing here talks to the DOM outside the nodes it returns.

import { h } from './dom.js';
import { errorMessage, tag, paragraph, button } from './govuk.js';
import { api } from './api.js';

// Who may use what, as docs/api-casework.md states it. The server enforces these; the UI uses
// them only to leave out links and pages that would answer 403.
export const CAN_READ_CASES = ['manager', 'practitioner', 'police_intel', 'analyst'];
export const CAN_WRITE_REFERRALS = ['manager', 'practitioner', 'police_intel'];
export const CAN_DECIDE = ['manager'];
export const CAN_WRITE_CASES = ['manager', 'practitioner'];
export const CAN_MANAGE_CASES = ['manager'];
export const CAN_DAILY = ['manager', 'practitioner', 'police_intel'];

// GET /api/v1/config: the casework lists (strands, sources, outcomes, ...). Not cached: an
// administrator may change them at any time and the answer is small.
export function config() {
  return api('GET', '/api/v1/config');
}

// The teams cases can be allocated to, with their members (GET /api/v1/teams).
export function teams() {
  return api('GET', '/api/v1/teams');
}

// Options for a team select: every team, plus keep (the record's team) when it has no members now.
export function teamOptions(t, keep) {
  const names = ((t && t.items) || []).map((x) => x.team);
  if (keep && !names.includes(keep)) names.push(keep);
  return [{ value: '', text: 'Choose a team' }].concat(names.map((n) => ({ value: n, text: n })));
}

// Options for a worker select: "not allocated", then each team's members as "Name (Team)".
// The server checks the worker belongs to the chosen team.
export function workerOptions(t, keep) {
  const opts = [{ value: '', text: 'Not allocated yet' }];
  for (const team of (t && t.items) || []) {
    for (const m of team.members) opts.push({ value: m.username, text: `${m.display_name} (${team.team})` });
  }
  if (keep && !opts.some((o) => o.value === keep)) opts.push({ value: keep, text: keep });
  return opts;
}

// The options of a config list for a select, radios or checkboxes: active items only, plus
// keep (a code already on the record) even when it has been retired.
export function options(list, keep) {
  return (list || []).filter((x) => x.active !== false || x.code === keep).map((x) => ({ value: x.code, text: x.label }));
}

// 'medium' -> 'Medium'.
export function levelLabel(level) {
  return level ? level.charAt(0).toUpperCase() + level.slice(1) : '';
}

const LEVEL_COLOUR = { low: 'green', medium: 'yellow', high: 'red' };

// A risk level as a GOV.UK tag ("High" in red), or "Not assessed" in grey.
export function riskTag(level) {
  return level ? tag(levelLabel(level), LEVEL_COLOUR[level] || 'grey') : tag('Not assessed', 'grey');
}

// Labels for a list of codes: ['cse', 'missing'] -> 'Child sexual exploitation, Missing ...'.
export function labels(list, codes) {
  return (codes || []).map((c) => {
    const hit = (list || []).find((x) => x.code === c);
    return hit ? hit.label : c;
  });
}

// A list of labels as a bulleted list (one as plain text, none as '').
export function bulletList(items) {
  if (!items || !items.length) return '';
  if (items.length === 1) return items[0];
  return h('ul', { class: 'govuk-list govuk-list--bullet' }, items.map((x) => h('li', { text: x })));
}

// ---- time left ---------------------------------------------------------------------------------

function span(hours) {
  const a = Math.abs(hours);
  if (a < 1) return 'less than an hour';
  if (a < 48) return `${a} hour${a === 1 ? '' : 's'}`;
  const d = Math.floor(a / 24);
  return `${d} days`;
}

// Whole hours from now until an RFC 3339 time (negative once past).
export function hoursUntil(rfc3339) {
  const t = new Date(rfc3339).getTime();
  if (Number.isNaN(t)) return 0;
  const ms = t - Date.now();
  return ms >= 0 ? Math.floor(ms / 3600000) : -Math.ceil(-ms / 3600000);
}

// "5 hours left", "3 days left" or, when overdue, "Overdue by 2 days".
export function timeLeftText(hours, overdue) {
  return overdue || hours < 0 ? `Overdue by ${span(hours)}` : `${span(hours)} left`;
}

// The time left as text with an "Overdue" tag in front when it is.
export function timeLeft(hours, overdue) {
  const late = overdue || hours < 0;
  return late
    ? h('span', {}, tag('Overdue', 'red'), ' ', h('span', { class: 'app-nowrap', text: timeLeftText(hours, true).replace(/^Overdue by/, 'by') }))
    : h('span', { class: 'app-nowrap', text: timeLeftText(hours, false) });
}

// ---- UK local date and time --------------------------------------------------------------------

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric',
  hour: 'numeric', minute: 'numeric', hourCycle: 'h23',
});

function londonFields(date) {
  const p = Object.fromEntries(LONDON.formatToParts(date).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24, minute: Number(p.minute) };
}

// The UK local wall-clock time y-m-d hh:mm as a UTC Date. In the hour the clocks go back, which
// happens twice, it is the later (GMT) one; a time in the hour skipped when they go forward,
// which does not exist, comes out an hour either side of it.
export function londonToUtc(y, m, d, hh, mm) {
  const want = Date.UTC(y, m - 1, d, hh, mm);
  let t = want;
  for (let i = 0; i < 3; i += 1) {
    const f = londonFields(new Date(t));
    const seen = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute);
    if (seen === want) break;
    t -= seen - want;
  }
  return new Date(t);
}

// A Date as RFC 3339 UTC to the second: '2026-11-24T09:30:00Z'.
export function rfc3339(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Parts for a date-and-time input from an RFC 3339 time (or now): {day, month, year, time},
// with now: true when they are the present moment (the input then remembers them, below).
export function dateTimeParts(rfc = null) {
  const f = londonFields(rfc ? new Date(rfc) : new Date());
  const parts = { day: String(f.day), month: String(f.month), year: String(f.year), time: `${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}` };
  return rfc ? parts : { ...parts, now: true };
}

const partsKey = (v) => `${v.day}/${v.month}/${v.year} ${v.time}`;

// '14:30', '2:30pm', '9am', '09.15' -> {hour, minute}; null when not a time.
export function parseTime(s) {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(String(s || '').trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const ampm = m[3] ? m[3].toLowerCase().replace(/\./g, '') : '';
  if (minute > 59) return null;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === 'am' && hour === 12) hour = 0;
    if (ampm === 'pm' && hour !== 12) hour += 12;
  } else if (m[2] === undefined || hour > 23) {
    return null;
  }
  return { hour, minute };
}

// A GOV.UK date input with a time box after the year: inputs id-day, id-month, id-year and
// id-time inside one fieldset. value: {day, month, year, time}; errorParts: which to mark.
export function dateTimeInput({ id, legend, legendSize = 's', hint, value = {}, error, errorParts }) {
  const marked = errorParts || (error ? ['day', 'month', 'year', 'time'] : []);
  const parts = [['day', 'Day', 2], ['month', 'Month', 2], ['year', 'Year', 4], ['time', 'Time', 5]];
  const hintId = `${id}-hint`;
  return h('div', { class: ['govuk-form-group', error && 'govuk-form-group--error'] },
    h('fieldset', { class: 'govuk-fieldset', role: 'group', 'aria-describedby': [hintId, error && `${id}-error`].filter(Boolean).join(' ') },
      h('legend', { class: ['govuk-fieldset__legend', `govuk-fieldset__legend--${legendSize}`], text: legend }),
      h('div', { class: 'govuk-hint', id: hintId, text: hint || 'For example, 27 3 2026 and 14:30 (UK time)' }),
      error ? errorMessage(id, error) : null,
      h('div', { class: 'govuk-date-input', id },
        parts.map(([p, text, w]) => h('div', { class: ['govuk-date-input__item', p === 'time' && 'app-time-input__item'] },
          h('div', { class: 'govuk-form-group' },
            h('label', { class: 'govuk-label govuk-date-input__label', for: `${id}-${p}`, text }),
            h('input', {
              class: ['govuk-input govuk-date-input__input', `govuk-input--width-${w}`, marked.includes(p) && 'govuk-input--error'],
              id: `${id}-${p}`, name: `${id}-${p}`, type: 'text', inputmode: p === 'time' ? 'text' : 'numeric',
              value: value[p] || '', autocomplete: 'off', spellcheck: 'false',
              // The time box of a "now" default remembers it: left as it was, it means the moment of saving.
              'data-now': p === 'time' && value.now ? partsKey(value) : null,
            })))))));
}

// Read a dateTimeInput. Returns {parts} plus {value: RFC 3339 UTC, or '' when all four are
// empty} or {error, errorParts} worded as the GOV.UK date input guidance says.
export function readDateTime(form, id, label) {
  const get = (p) => (form.querySelector(`#${id}-${p}`)?.value || '').trim();
  const parts = { day: get('day'), month: get('month'), year: get('year'), time: get('time') };
  // Still the "now" default as drawn? Then keep saying so, so that a form drawn again after an
  // error (from these parts) still means the moment of saving.
  const untouched = form.querySelector(`#${id}-time`)?.dataset.now === partsKey(parts);
  if (untouched) parts.now = true;
  if (!parts.day && !parts.month && !parts.year && !parts.time) return { parts, value: '' };
  const missing = ['day', 'month', 'year', 'time'].filter((p) => !parts[p]);
  if (missing.length) return { parts, error: `${label} must include a ${missing.join(' and a ')}`, errorParts: missing };
  const bad = [];
  if (!/^\d{1,2}$/.test(parts.day)) bad.push('day');
  if (!/^\d{1,2}$/.test(parts.month)) bad.push('month');
  if (!/^\d{4}$/.test(parts.year)) bad.push('year');
  if (bad.length) return { parts, error: `${label} must be a real date`, errorParts: bad };
  const d = Number(parts.day);
  const m = Number(parts.month);
  const y = Number(parts.year);
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    return { parts, error: `${label} must be a real date`, errorParts: ['day', 'month', 'year'] };
  }
  const time = parseTime(parts.time);
  if (!time) return { parts, error: `${label}: enter a time like 14:30 or 2:30pm`, errorParts: ['time'] };
  // The "now" default left as it was, or the current minute, means now, to the second: a time
  // to the minute would otherwise fall before something recorded earlier in the same minute
  // (a referral received a moment before the minute turned and decided just after).
  let at = londonToUtc(y, m, d, time.hour, time.minute);
  const now = Date.now();
  if (now >= at.getTime() && (untouched || now - at.getTime() < 60000)) at = new Date(now);
  return { parts, value: rfc3339(at) };
}

// ---- checkboxes ----------------------------------------------------------------------------------

// A group of checkboxes in a fieldset. The first box's id is `id` (error summary links point
// there), the others id-2... items: [{value, text, hint, id?}]; values: the checked values.
export function checkboxes({ id, name = id, legend, legendSize, legendHidden, hint, items, values = [], error, small }) {
  return h('div', { class: ['govuk-form-group', error && 'govuk-form-group--error'] },
    h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || null },
      h('legend', { class: ['govuk-fieldset__legend', legendSize && `govuk-fieldset__legend--${legendSize}`] },
        legendHidden ? h('span', { class: 'govuk-visually-hidden', text: legendHidden }) : null, legend),
      hint ? h('div', { id: `${id}-hint`, class: 'govuk-hint', text: hint }) : null,
      error ? errorMessage(id, error) : null,
      h('div', { class: ['govuk-checkboxes', small && 'govuk-checkboxes--small'], 'data-module': 'govuk-checkboxes' },
        items.map((it, i) => {
          const cid = it.id || (i === 0 ? id : `${id}-${i + 1}`);
          return h('div', { class: 'govuk-checkboxes__item' },
            h('input', {
              class: 'govuk-checkboxes__input', id: cid, name, type: 'checkbox', value: it.value,
              checked: values.includes(it.value), 'aria-describedby': it.hint ? `${cid}-item-hint` : null,
            }),
            h('label', { class: 'govuk-label govuk-checkboxes__label', for: cid, text: it.text }),
            it.hint ? h('div', { id: `${cid}-item-hint`, class: 'govuk-hint govuk-checkboxes__hint', text: it.hint }) : null);
        }))));
}

// The checked values of the checkboxes named name in form.
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[type="checkbox"][name="${name}"]`)].filter((x) => x.checked).map((x) => x.value);
}

// ---- errors ----------------------------------------------------------------------------------------

function capitalise(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

// The server's message for a field worded as GOV.UK error messages are: "is required" on
// "Rationale" -> "Enter rationale" (or "Select ..." for a choice); a message that is already
// an instruction ("choose at least one strand") is capitalised; others follow the label.
export function errorText(label, msg, choice) {
  const m = String(msg || 'is not valid');
  if (!label) return capitalise(m);
  if (/^[A-Z]/.test(m)) return m;
  if (m === 'is required') return `${choice ? 'Select' : 'Enter'} ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  if (/^(choose|select|enter|give|add|tick|pick|explain|leave|write)\b/.test(m)) return capitalise(m);
  return capitalise(`${label} ${m}`);
}

// Place the server's field errors. locate(field) -> {key (inline slot), href, label, choice,
// order} or null (then the error is shown in the summary only, without a link).
// Returns {summary: [{href, text}], inline: {key: text}}.
export function placeErrors(errors, locate) {
  const placed = (errors || []).map((e, i) => {
    const field = String(e.field || '');
    const where = field ? locate(field) : null;
    const text = where ? errorText(where.label, e.message, where.choice)
      : capitalise(field ? `${field.replace(/[_.]/g, ' ')} ${e.message || 'is not valid'}` : String(e.message || 'Check the details and try again'));
    return { where, text, i };
  });
  placed.sort((a, b) => ((a.where ? a.where.order ?? 0 : 1e9) - (b.where ? b.where.order ?? 0 : 1e9)) || a.i - b.i);
  const inline = {};
  for (const p of placed) {
    if (!p.where || !p.where.key) continue;
    inline[p.where.key] = inline[p.where.key] ? `${inline[p.where.key]}. ${p.text}` : p.text;
  }
  return { summary: placed.map((p) => ({ href: p.where && p.where.href, text: p.text })), inline };
}

// The summary shown on a 409: nothing was changed. detail is the server's reason: when it is
// not "someone else saved first" (a decided referral, a closed case) it is shown as it is.
export function conflictSummary(onReload, detail = '', what = 'this record') {
  const stale = !detail || /someone else/i.test(detail);
  return h('div', { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary', id: 'conflict' },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title', text: stale ? `Someone else has changed ${what}` : 'Your change has not been saved' }),
      h('div', { class: 'govuk-error-summary__body' },
        stale
          ? paragraph(`Someone else saved a change to ${what} after you opened it, so your change has not been saved.`)
          : paragraph(detail),
        paragraph('Reload the page to see the latest version, then make your change again if it is still needed.'),
        button({ text: 'Reload the latest version', type: 'button', secondary: true, id: 'reload', onClick: onReload }))));
}
