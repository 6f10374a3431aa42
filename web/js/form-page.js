// A form page built from a list of field specifications: used by the casework forms (record a
// referral, decide it, contacts, notes, supervision, flags, feedback, transition plan,
// reallocation, closure, meetings). It draws GOV.UK fields from a model of what the user typed,
// so it can redraw them with the server's 422 errors beside the fields they name (and an error
// summary linking to each) without losing anything; turns UK date-and-time inputs into RFC 3339;
// shows a 409 as "your change has not been saved" with a reload button; and, once saved, hands
// the answer to the page (which usually sets a flash message and navigates).
//
// Field types (every field: name, the API member; id, the input id, default from name;
// label; hint; value, the starting value):
//   text, textarea (rows), select (options), radios (items, inline), yesno (true/false/null),
//   checkboxes (items; value is an array), date ('YYYY-MM-DD'), datetime (RFC 3339, or 'now'),
//   rows (a repeating group: columns [{name, label, type: 'text' | 'date', width}], itemLabel,
//   min, max, addText; value is an array of objects),
//   heading (text: an h2), content (node: a function returning nodes; not a field).

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace, slug } from './dom.js';
import {
  pageHeading, input, textarea, select, radios, dateInput, button, buttonGroup, link, errorSummary,
  notificationBanner,
} from './govuk.js';
import { ApiError } from './api.js';
import { readDate, dateParts, val, raw, radioValue } from './forms.js';
import {
  dateTimeInput, readDateTime, dateTimeParts, checkboxes, checkedValues, placeErrors, conflictSummary,
} from './casework.js';

const FIELD_TYPES = new Set(['text', 'textarea', 'select', 'radios', 'yesno', 'checkboxes', 'date', 'datetime', 'rows']);

function idOf(f) { return f.id || slug(f.name); }
function plain(label) { return String(label || '').replace(/\s*\(optional\)$/i, ''); }
// The words naming a field in its error messages: errorLabel ('when the referral was
// received') or the label without "(optional)".
function errLabel(f) { return plain(f.errorLabel || f.label); }
function capital(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
function isBlankParts(p) { return !p || Object.values(p).every((x) => !x); }

function initialValue(f) {
  switch (f.type) {
    case 'yesno': return f.value === true ? 'yes' : (f.value === false ? 'no' : '');
    case 'checkboxes': return Array.isArray(f.value) ? [...f.value] : [];
    case 'date': return typeof f.value === 'string' ? dateParts(f.value) : (f.value || { day: '', month: '', year: '' });
    case 'datetime':
      if (f.value === 'now') return dateTimeParts();
      return typeof f.value === 'string' && f.value ? dateTimeParts(f.value) : (f.value || { day: '', month: '', year: '', time: '' });
    case 'rows': {
      const rows = (f.value || []).map((r) => ({ ...r }));
      while (rows.length < (f.min ?? 1)) rows.push(blankRow(f));
      return rows;
    }
    default: return f.value === undefined || f.value === null ? '' : String(f.value);
  }
}

function blankRow(f) {
  return Object.fromEntries(f.columns.map((c) => [c.name, c.type === 'date' ? { day: '', month: '', year: '' } : '']));
}

function rowIsBlank(f, row) {
  return f.columns.every((c) => (c.type === 'date' ? isBlankParts(row[c.name]) : !String(row[c.name] || '').trim()));
}

// spec: {title, heading, caption, before (nodes), submitText, submitId, cancel: {href, text},
//   fields, body(values) -> request body, send(body) -> Promise, saved(result, values),
//   check(values) -> [{field, message}] found before sending (optional),
//   locate(field) -> extra error location or null, wide, what (for the 409 message)}.
// Returns {title, node} for a page's render().
export function formPage(ctx, spec) {
  const fields = spec.fields.filter(Boolean);
  const model = {};
  for (const f of fields) if (FIELD_TYPES.has(f.type)) model[f.name] = initialValue(f);
  const flash = ctx.takeFlash ? ctx.takeFlash() : null;
  const column = h('div', { class: spec.wide ? 'govuk-grid-column-full' : 'govuk-grid-column-two-thirds' });
  let rowIndex = {}; // rows field name -> form index of each row sent (blank rows are left out)

  function readModel(form) {
    for (const f of fields) {
      const id = idOf(f);
      switch (f.type) {
        case 'text': case 'select': model[f.name] = val(form, id); break;
        case 'textarea': model[f.name] = raw(form, id); break;
        case 'radios': case 'yesno': model[f.name] = radioValue(form, id); break;
        case 'checkboxes': model[f.name] = checkedValues(form, id); break;
        case 'date': model[f.name] = readDate(form, id, capital(errLabel(f))).parts; break;
        case 'datetime': model[f.name] = readDateTime(form, id, capital(errLabel(f))).parts; break;
        case 'rows': {
          const n = form.querySelectorAll(`[data-row="${id}"]`).length;
          const rows = [];
          for (let i = 0; i < n; i += 1) {
            const row = {};
            for (const c of f.columns) {
              const cid = `${id}-${i}-${c.name}`;
              row[c.name] = c.type === 'date' ? readDate(form, cid, c.label).parts : val(form, cid);
            }
            rows.push(row);
          }
          model[f.name] = rows;
          break;
        }
        default: break;
      }
    }
  }

  // The values to send, or client-side errors (dates that are not dates).
  function parse(form) {
    const values = {};
    const summary = [];
    const inline = {};
    const parts = {};
    const fail = (key, r) => {
      summary.push({ href: `#${key}-${r.errorParts[0]}`, text: r.error });
      inline[key] = r.error;
      parts[key] = r.errorParts;
    };
    rowIndex = {};
    for (const f of fields) {
      const id = idOf(f);
      const m = model[f.name];
      switch (f.type) {
        case 'text': case 'select': case 'radios': values[f.name] = m; break;
        case 'textarea': values[f.name] = m.trim(); break;
        case 'yesno': values[f.name] = m === 'yes' ? true : (m === 'no' ? false : null); break;
        case 'checkboxes': values[f.name] = m; break;
        case 'date': {
          const r = readDate(form, id, capital(errLabel(f)));
          if (r.error) fail(id, r); else values[f.name] = r.value;
          break;
        }
        case 'datetime': {
          const r = readDateTime(form, id, capital(errLabel(f)));
          if (r.error) fail(id, r); else values[f.name] = r.value;
          break;
        }
        case 'rows': {
          const out = [];
          rowIndex[f.name] = [];
          m.forEach((row, i) => {
            if (rowIsBlank(f, row)) return;
            const o = {};
            for (const c of f.columns) {
              if (c.type === 'date') {
                const cid = `${id}-${i}-${c.name}`;
                const r = readDate(form, cid, `${c.label} (${f.itemLabel.toLowerCase()} ${i + 1})`);
                if (r.error) fail(cid, r); else o[c.name] = r.value;
              } else {
                o[c.name] = row[c.name];
              }
            }
            rowIndex[f.name].push(i);
            out.push(o);
          });
          values[f.name] = out;
          break;
        }
        default: break;
      }
    }
    return { values, errors: summary.length ? { summary, inline, parts } : null };
  }

  // Where the server's error on `field` goes.
  function locate(field) {
    let order = 0;
    for (const f of fields) {
      order += 100;
      if (!FIELD_TYPES.has(f.type)) continue;
      const id = idOf(f);
      const choice = ['select', 'radios', 'yesno', 'checkboxes'].includes(f.type);
      const first = (f.type === 'date' || f.type === 'datetime') ? `${id}-day` : id;
      if (field === f.name || (f.aliases || []).includes(field)) {
        if (f.type === 'rows') {
          const c = f.columns[0];
          return { key: `${id}-0-${c.name}`, href: `#${id}-0-${c.type === 'date' ? `${c.name}-day` : c.name}`, label: plain(f.label), order };
        }
        return { key: id, href: `#${first}`, label: errLabel(f), choice, order };
      }
      if (f.type === 'rows') {
        const m = new RegExp(`^${f.name}\\[(\\d+)\\](?:\\.(\\w+))?$`).exec(field);
        if (m) {
          const sent = Number(m[1]);
          const i = (rowIndex[f.name] || [])[sent] ?? sent;
          const ci = Math.max(0, f.columns.findIndex((c) => c.name === m[2]));
          const c = f.columns[ci];
          const key = `${id}-${i}-${c.name}`;
          return {
            key, href: `#${c.type === 'date' ? `${key}-day` : key}`,
            label: `${plain(c.label)} (${f.itemLabel.toLowerCase()} ${i + 1})`, order: order + i * 10 + ci,
          };
        }
      }
    }
    return spec.locate ? spec.locate(field) : null;
  }

  function drawField(f, state) {
    const err = state.inline || {};
    const parts = state.parts || {};
    const id = idOf(f);
    const m = model[f.name];
    switch (f.type) {
      case 'heading': return h('h2', { class: 'govuk-heading-m govuk-!-margin-top-6', text: f.text });
      case 'content': return f.node();
      case 'text':
        return input({
          id, label: f.label, hint: f.hint, value: m, error: err[id], width: f.width, labelSize: f.labelSize,
          autocomplete: 'off', spellcheck: f.spellcheck, inputmode: f.inputmode,
        });
      case 'textarea':
        return textarea({ id, label: f.label, hint: f.hint, value: m, error: err[id], rows: f.rows || 5, labelSize: f.labelSize });
      case 'select':
        return select({ id, label: f.label, hint: f.hint, value: m, error: err[id], options: f.options });
      case 'radios':
        return radios({
          id, legend: f.label, legendSize: f.legendSize || 's', hint: f.hint, value: m, error: err[id], inline: f.inline, items: f.items,
        });
      case 'yesno':
        return radios({
          id, legend: f.label, legendSize: f.legendSize || 's', hint: f.hint, value: m, error: err[id], inline: true,
          items: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }],
        });
      case 'checkboxes':
        return checkboxes({
          id, legend: f.label, legendSize: f.legendSize || 's', hint: f.hint, values: m, error: err[id], items: f.items, small: f.small,
        });
      case 'date':
        return dateInput({
          id, legend: f.label, legendSize: f.legendSize || 's', hint: f.hint || 'For example, 27 3 2026', value: m,
          error: err[id], errorParts: parts[id],
        });
      case 'datetime':
        return dateTimeInput({ id, legend: f.label, legendSize: f.legendSize || 's', hint: f.hint, value: m, error: err[id], errorParts: parts[id] });
      case 'rows':
        return h('div', { class: 'app-rows', id: `${id}-rows` },
          m.map((row, i) => h('fieldset', { class: 'govuk-fieldset app-row', 'data-row': id },
            h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s', text: `${f.itemLabel} ${i + 1}` }),
            f.columns.map((c) => {
              const cid = `${id}-${i}-${c.name}`;
              if (c.type === 'date') {
                return dateInput({ id: cid, legend: c.label, hint: c.hint || 'For example, 27 3 2026', value: row[c.name], error: err[cid], errorParts: parts[cid] });
              }
              return input({ id: cid, label: c.label, hint: c.hint, value: row[c.name], error: err[cid], width: c.width, autocomplete: 'off' });
            }),
            m.length > (f.min ?? 1)
              ? button({ text: `Remove ${f.itemLabel.toLowerCase()} ${i + 1}`, type: 'button', secondary: true, onClick: () => removeRow(f, i) })
              : null)),
          m.length < (f.max || 20)
            ? button({ text: f.addText || `Add another ${f.itemLabel.toLowerCase()}`, type: 'button', secondary: true, id: `${id}-add`, onClick: () => addRow(f) })
            : null);
      default: return null;
    }
  }

  function draw(state = {}) {
    const form = h('form', { novalidate: true, id: spec.formId || 'case-form', onsubmit: onSubmit },
      fields.map((f) => drawField(f, state)),
      buttonGroup(
        button({ text: spec.submitText || 'Save', id: spec.submitId || 'save', once: true, warning: spec.warning }),
        spec.cancel ? link(spec.cancel.href, spec.cancel.text || 'Cancel') : null));
    replace(column,
      state.conflict ? conflictSummary(reloadLatest, state.conflict.detail, spec.what) : null,
      state.summary && state.summary.length ? errorSummary(state.summary) : null,
      flash && !state.summary && !state.conflict ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
      pageHeading(spec.heading || spec.title, { caption: spec.caption }),
      spec.before ? spec.before() : null,
      form,
      spec.after ? spec.after() : null);
  }

  function reloadLatest() {
    ctx.flash({ type: 'important', heading: 'This is the latest version. Make your change again if it is still needed.' });
    ctx.reload();
  }

  // Redraw from the model (read first from the form unless the caller just changed it).
  function redraw(state, focusId, { read = true } = {}) {
    const form = column.querySelector('form');
    if (form && read) readModel(form);
    draw(state);
    initAll({ scope: column });
    if (focusId) column.querySelector(`#${focusId}`)?.focus();
  }

  function addRow(f) {
    readModel(column.querySelector('form'));
    model[f.name].push(blankRow(f));
    const i = model[f.name].length - 1;
    const c = f.columns[0];
    redraw({}, `${idOf(f)}-${i}-${c.type === 'date' ? `${c.name}-day` : c.name}`, { read: false });
  }

  function removeRow(f, i) {
    readModel(column.querySelector('form'));
    model[f.name].splice(i, 1);
    const j = Math.min(i, model[f.name].length - 1);
    const c = f.columns[0];
    redraw({}, `${idOf(f)}-${j}-${c.type === 'date' ? `${c.name}-day` : c.name}`, { read: false });
  }

  function failed(state) {
    redraw(state);
    ctx.setTitle(spec.title, { error: true });
  }

  async function onSubmit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    readModel(form);
    const { values, errors } = parse(form);
    if (errors) { failed(errors); return; }
    const early = spec.check ? spec.check(values) : [];
    if (early.length) { failed(placeErrors(early, locate)); return; }
    const save = form.querySelector(`#${spec.submitId || 'save'}`);
    save.disabled = true;
    let result;
    try {
      result = await spec.send(spec.body(values));
    } catch (err) {
      save.disabled = false;
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 422 || err.status === 400) {
        const errs = err.errors.length ? err.errors : [{ message: err.detail || 'Check the details and try again' }];
        failed(placeErrors(errs, locate));
      } else if (err.status === 409) {
        failed({ conflict: { detail: err.detail || '' } });
      } else if (err.status === 403) {
        failed({ summary: [{ text: err.detail || 'You are not allowed to make this change' }] });
      } else if (err.status === 0) {
        failed({ summary: [{ text: `${err.title}. ${err.detail} Your change has not been saved.` }] });
      } else {
        failed({ summary: [{ text: err.detail || err.title || 'Sorry, there is a problem with the service. Your change has not been saved.' }] });
      }
      return;
    }
    await spec.saved(result, values);
  }

  draw({});
  return { title: spec.title, node: h('div', { class: 'govuk-grid-row' }, column) };
}
