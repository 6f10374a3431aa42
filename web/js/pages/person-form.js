// Add a person (POST /api/v1/persons) and edit one (PUT /api/v1/persons/{id} with the version
// read). The form is drawn from a model of what the user typed, so it can be redrawn with the
// server's 422 errors beside the fields they name (and an error summary linking to each), or
// with another address added, without losing anything typed. A 409 means someone else saved
// first: nothing was changed, and the user is offered the latest version.
// Adding a person: the first "Save person" looks for persons already known who may be this one
// (intake-matches.js, "Is this someone we know?") and shows them above the form; the user opens
// one of them, or creates the new person with "None of these, create a new person" (or by
// saving again). Changing the names, date of birth, sex, postcode or NHS number looks again.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, input, textarea, select, radios, checkbox, dateInput, button, buttonGroup, link,
  errorSummary, notificationBanner, paragraph,
} from '../govuk.js';
import { api, reference, ApiError } from '../api.js';
import {
  readDate, dateParts, val, raw, radioValue, checked,
} from '../forms.js';
import { fullName, lines } from '../format.js';
import { findMatches, matchQuery, matchesPanel } from '../intake-matches.js';

const MAX_ADDRESSES = 10;

// The fields in the order the form shows them: [API path, input id, label].
const FIELDS = [
  ['given_name', 'given-name', 'Given name'],
  ['family_name', 'family-name', 'Family name'],
  ['aliases', 'aliases', 'Aliases'],
  ['dob', 'dob-day', 'Date of birth'],
  ['dob_estimated', 'dob-estimated', 'Estimated date of birth'],
  ['sex', 'sex', 'Sex'],
  ['gender', 'gender', 'Gender'],
  ['ethnicity', 'ethnicity', 'Ethnicity'],
  ['identifiers.nhs_number', 'nhs-number', 'NHS number'],
  ['identifiers.upn', 'upn', 'Unique pupil number'],
  ['identifiers.police_ref', 'police-ref', 'Police reference'],
  ['identifiers.la_id', 'la-id', 'Local authority person ID'],
  ['addresses', 'address-0-line1', 'Address'],
  ['phones', 'phones', 'Phone numbers'],
  ['notes', 'notes', 'Notes'],
  ['restricted', 'restricted', 'Restricted'],
];
const ADDRESS_PARTS = { line1: 'address line 1', line2: 'address line 2', town: 'town or city', postcode: 'postcode', current: 'current address' };

function emptyAddress(current) {
  return { line1: '', line2: '', town: '', postcode: '', current };
}

function emptyModel() {
  return {
    given_name: '', family_name: '', aliases: '', dob: { day: '', month: '', year: '' }, dob_estimated: false,
    sex: '', gender: '', ethnicity: '', nhs_number: '', upn: '', police_ref: '', la_id: '',
    addresses: [emptyAddress(true)], phones: '', notes: '', restricted: false,
  };
}

function modelFromPerson(p) {
  const ids = p.identifiers || {};
  const addresses = (p.addresses || []).map((a) => ({
    line1: a.line1 || '', line2: a.line2 || '', town: a.town || '', postcode: a.postcode || '', current: Boolean(a.current),
  }));
  return {
    given_name: p.given_name || '', family_name: p.family_name || '', aliases: (p.aliases || []).join('\n'),
    dob: dateParts(p.dob), dob_estimated: Boolean(p.dob_estimated), sex: p.sex || '', gender: p.gender || '',
    ethnicity: p.ethnicity || '', nhs_number: ids.nhs_number || '', upn: ids.upn || '',
    police_ref: ids.police_ref || '', la_id: ids.la_id || '',
    addresses: addresses.length ? addresses : [emptyAddress(true)],
    phones: (p.phones || []).join('\n'), notes: p.notes || '', restricted: Boolean(p.restricted),
  };
}

// What the form holds now.
function readModel(form) {
  const n = form.querySelectorAll('[data-address]').length;
  const addresses = [];
  for (let i = 0; i < n; i += 1) {
    addresses.push({
      line1: val(form, `address-${i}-line1`), line2: val(form, `address-${i}-line2`),
      town: val(form, `address-${i}-town`), postcode: val(form, `address-${i}-postcode`),
      current: checked(form, `address-${i}-current`),
    });
  }
  return {
    given_name: val(form, 'given-name'), family_name: val(form, 'family-name'), aliases: raw(form, 'aliases'),
    dob: readDate(form, 'dob', 'Date of birth').parts, dob_estimated: checked(form, 'dob-estimated'),
    sex: radioValue(form, 'sex'), gender: val(form, 'gender'), ethnicity: val(form, 'ethnicity'),
    nhs_number: val(form, 'nhs-number'), upn: val(form, 'upn'), police_ref: val(form, 'police-ref'),
    la_id: val(form, 'la-id'), addresses, phones: raw(form, 'phones'), notes: raw(form, 'notes'),
    restricted: checked(form, 'restricted'),
  };
}

// The request body for the model. addressIndex[i] is the form index of the i-th address sent
// (blank addresses are left out), to place the server's "addresses[i]" errors.
function toPayload(model, dob, record) {
  const addressIndex = [];
  const addresses = [];
  model.addresses.forEach((a, i) => {
    if (!a.line1 && !a.line2 && !a.town && !a.postcode) return;
    addressIndex.push(i);
    addresses.push({ line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode, current: a.current });
  });
  const body = {
    given_name: model.given_name,
    family_name: model.family_name,
    aliases: lines(model.aliases),
    dob: dob || null,
    dob_estimated: model.dob_estimated,
    sex: model.sex,
    gender: model.gender,
    ethnicity: model.ethnicity,
    identifiers: { nhs_number: model.nhs_number, upn: model.upn, police_ref: model.police_ref, la_id: model.la_id },
    addresses,
    phones: lines(model.phones),
    notes: model.notes,
    restricted: model.restricted,
    restricted_to: record ? (record.restricted_to || []) : [],
  };
  if (record) body.version = record.version;
  return { body, addressIndex };
}

// What intake search looks for, from the model and the date of birth read from the form.
function matchFields(model, dob) {
  const current = model.addresses.find((a) => a.current && a.postcode) || model.addresses.find((a) => a.postcode);
  return {
    given_name: model.given_name, family_name: model.family_name, dob: dob || '', sex: model.sex,
    postcode: current ? current.postcode : '', nhs_number: model.nhs_number,
  };
}

function capitalise(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

// The server's message for a field ("must be a 10-digit NHS number with a valid check digit",
// "is required") worded for the page as GOV.UK error messages are: "Enter a 10-digit NHS
// number with a valid check digit", "Enter given name", "Select sex". where.noun: what the
// field holds, to spot a message that already names it; where.suffix: which of several
// (" (address 2)"); where.choice: chosen from a list, not typed.
function errorText(where, field, msg) {
  if (!where) return capitalise(field ? `${field} ${msg}` : msg);
  const suffix = where.suffix || '';
  const label = `${where.label}${suffix}`;
  if (/^[A-Z]/.test(msg)) return capitalise(msg);
  if (msg === 'is required') return `${where.choice ? 'Select' : 'Enter'} ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  const m = /^must be (an? .*)$/.exec(msg);
  if (m && m[1].toLowerCase().includes(where.label.toLowerCase())) return `Enter ${m[1]}${suffix}`;
  return `${capitalise(label)} ${msg}`;
}

// Where a server error goes: {key (inline error slot), href, label, order} or null when it
// names no field of the form (the summary then shows it without a link).
function locate(field, addressIndex) {
  let m = /^(aliases|phones)(?:\[(\d+)\])?$/.exec(field);
  if (m) {
    const one = m[1] === 'aliases' ? 'Alias' : 'Phone number';
    return {
      key: m[1], href: `#${m[1]}`, label: m[2] === undefined ? FIELDS.find((f) => f[0] === m[1])[2] : one,
      suffix: m[2] === undefined ? '' : ` (line ${Number(m[2]) + 1})`, order: FIELDS.findIndex((f) => f[0] === m[1]) * 100,
    };
  }
  m = /^addresses(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(field);
  if (m) {
    const i = m[1] === undefined ? 0 : (addressIndex[Number(m[1])] ?? Number(m[1]));
    const part = ADDRESS_PARTS[m[2]] ? m[2] : 'line1';
    return {
      key: `address-${i}-${part}`, href: `#address-${i}-${part}`,
      label: m[2] ? capitalise(ADDRESS_PARTS[part]) : 'Address', suffix: addressIndex.length > 1 ? ` (address ${i + 1})` : '',
      order: FIELDS.findIndex((f) => f[0] === 'addresses') * 100 + i * 10 + Object.keys(ADDRESS_PARTS).indexOf(part),
    };
  }
  if (field === 'identifiers') field = 'identifiers.nhs_number';
  if (field === 'restricted_to') field = 'restricted';
  const idx = FIELDS.findIndex((f) => f[0] === field);
  if (idx < 0) return null;
  const [, id, label] = FIELDS[idx];
  return { key: field === 'dob' ? 'dob' : id, href: `#${id}`, label, order: idx * 100, choice: field === 'sex' || field === 'ethnicity' };
}

// Server errors -> {summary: [{href, text}], inline: {key: text}}.
function placeErrors(errors, addressIndex) {
  const placed = errors.map((e) => {
    const where = locate(String(e.field || ''), addressIndex);
    return { where, text: errorText(where, e.field ? String(e.field) : '', String(e.message || 'is not valid')) };
  });
  placed.sort((a, b) => (a.where ? a.where.order : 1e9) - (b.where ? b.where.order : 1e9));
  const inline = {};
  for (const p of placed) {
    if (!p.where) continue;
    inline[p.where.key] = inline[p.where.key] ? `${inline[p.where.key]}. ${p.text}` : p.text;
  }
  return { summary: placed.map((p) => ({ href: p.where && p.where.href, text: p.text })), inline };
}

export async function render(ctx) {
  const editing = ctx.mode === 'edit';
  const id = editing ? ctx.params[0] : null;
  const [ref, record] = await Promise.all([
    reference(),
    editing ? api('GET', `/api/v1/persons/${id}`) : Promise.resolve(null),
  ]);
  let model = record ? modelFromPerson(record) : emptyModel();
  const flash = ctx.takeFlash();
  // Not the name: titles are kept in the browser's history, and names are sensitive.
  const title = editing ? 'Edit person record' : 'Add a person';
  const column = h('div', { class: 'govuk-grid-column-two-thirds' });
  // Adding: the candidates last shown, and the search they answered (JSON of matchQuery).
  let matches = [];
  let checkedKey = null;

  // Draw the form from `model`. state (all optional): summary (error summary items), inline
  // (input key -> error message), dobErrorParts (which date parts to mark), conflict (a 409).
  function draw(state = {}) {
    const err = state.inline || {};
    const addressBlocks = model.addresses.map((a, i) => h('fieldset', { class: 'govuk-fieldset app-address', 'data-address': String(i) },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s', text: `Address ${i + 1}` }),
      input({ id: `address-${i}-line1`, label: 'Address line 1', value: a.line1, error: err[`address-${i}-line1`], autocomplete: 'off' }),
      input({ id: `address-${i}-line2`, label: 'Address line 2 (optional)', value: a.line2, error: err[`address-${i}-line2`], autocomplete: 'off' }),
      input({ id: `address-${i}-town`, label: 'Town or city (optional)', value: a.town, error: err[`address-${i}-town`], width: 'two-thirds', autocomplete: 'off' }),
      input({ id: `address-${i}-postcode`, label: 'Postcode (optional)', value: a.postcode, error: err[`address-${i}-postcode`], width: 10, autocomplete: 'off' }),
      checkbox({ id: `address-${i}-current`, label: 'This is a current address', checked: a.current, error: err[`address-${i}-current`], small: true }),
      model.addresses.length > 1
        ? button({ text: `Remove address ${i + 1}`, type: 'button', secondary: true, onClick: () => removeAddress(i) })
        : null));

    const form = h('form', { novalidate: true, id: 'person-form', onsubmit: onSubmit },
      h('h2', { class: 'govuk-heading-m', text: 'Name' }),
      input({ id: 'given-name', label: 'Given name', value: model.given_name, error: err['given-name'], spellcheck: 'false', autocomplete: 'off' }),
      input({ id: 'family-name', label: 'Family name', value: model.family_name, error: err['family-name'], spellcheck: 'false', autocomplete: 'off' }),
      textarea({
        id: 'aliases', label: 'Aliases (optional)', value: model.aliases, error: err.aliases, rows: 3, spellcheck: 'false',
        hint: 'Other names, nicknames or spellings they are known by. Put each one on a new line.',
      }),
      dateInput({
        id: 'dob', legend: 'Date of birth', legendSize: 'm', value: model.dob,
        hint: 'For example, 3 7 2009. Leave it blank if it is not known.',
        error: err.dob, errorParts: state.dobErrorParts,
      }),
      checkbox({
        id: 'dob-estimated', label: 'The date of birth is estimated', checked: model.dob_estimated,
        error: err['dob-estimated'], small: true,
      }),
      radios({
        id: 'sex', legend: 'Sex', legendSize: 'm', value: model.sex, error: err.sex, inline: true,
        items: (ref.sexes || []).map((s) => ({ value: s.code, text: s.label })),
      }),
      input({
        id: 'gender', label: 'Gender (optional)', value: model.gender, error: err.gender, width: 'two-thirds',
        hint: 'How they describe their gender, if they have said', autocomplete: 'off',
      }),
      select({
        id: 'ethnicity', label: 'Ethnicity (optional)', value: model.ethnicity, error: err.ethnicity,
        options: [{ value: '', text: 'Not recorded' }, ...(ref.ethnicities || []).map((e) => ({ value: e.code, text: e.label }))],
      }),
      h('h2', { class: 'govuk-heading-m govuk-!-margin-top-8', text: 'Identifiers' }),
      paragraph('Fill in any that are known.', 'govuk-body'),
      input({ id: 'nhs-number', label: 'NHS number', value: model.nhs_number, error: err['nhs-number'], width: 10, inputmode: 'numeric', spellcheck: 'false', autocomplete: 'off', hint: '10 digits, for example 999 123 4561' }),
      input({ id: 'upn', label: 'Unique pupil number (UPN)', value: model.upn, error: err.upn, width: 20, spellcheck: 'false', autocomplete: 'off', hint: 'A letter and 12 more characters, for example A123456789012' }),
      input({ id: 'police-ref', label: 'Police reference', value: model.police_ref, error: err['police-ref'], width: 20, spellcheck: 'false', autocomplete: 'off' }),
      input({ id: 'la-id', label: 'Local authority person ID', value: model.la_id, error: err['la-id'], width: 20, spellcheck: 'false', autocomplete: 'off' }),
      h('h2', { class: 'govuk-heading-m govuk-!-margin-top-8', text: 'Addresses' }),
      addressBlocks,
      model.addresses.length < MAX_ADDRESSES
        ? button({ text: 'Add another address', type: 'button', secondary: true, id: 'add-address', onClick: addAddress })
        : null,
      h('h2', { class: 'govuk-heading-m govuk-!-margin-top-8', text: 'Contact and notes' }),
      textarea({ id: 'phones', label: 'Phone numbers (optional)', value: model.phones, error: err.phones, rows: 3, spellcheck: 'false', hint: 'Put each number on a new line' }),
      textarea({ id: 'notes', label: 'Notes (optional)', value: model.notes, error: err.notes, rows: 6 }),
      checkbox({
        id: 'restricted', legend: 'Access', label: 'Restrict this record', checked: model.restricted, error: err.restricted,
        hint: 'Only you and the people it is shared with will be able to see it. It will not appear in anyone else\'s search results.',
      }),
      buttonGroup(
        button({ text: editing ? 'Save changes' : 'Save person', id: 'save', once: true }),
        link(editing ? `/persons/${id}` : '/persons', 'Cancel')));

    replace(column,
      state.conflict ? conflictSummary() : null,
      state.summary && state.summary.length ? errorSummary(state.summary) : null,
      flash && !state.summary && !state.conflict ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
      pageHeading(editing ? `Edit ${fullName(record) || 'person'}` : 'Add a person', { caption: editing ? 'Person' : undefined }),
      !editing && matches.length ? matchesPanel(matches, { onNone: createAnyway }) : null,
      form);
    return form;
  }

  function conflictSummary() {
    return h('div', { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary', id: 'conflict' },
      h('div', { role: 'alert' },
        h('h2', { class: 'govuk-error-summary__title', text: 'Someone else has changed this record' }),
        h('div', { class: 'govuk-error-summary__body' },
          paragraph('Someone else saved changes to this record after you opened it, so your changes have not been saved.'),
          paragraph('Reload the record to see the latest version, then make your changes again.'),
          button({ text: 'Reload the latest version', type: 'button', secondary: true, id: 'reload', onClick: reloadLatest }))));
  }

  function reloadLatest() {
    ctx.flash({ type: 'important', heading: 'This is the latest version of the record. Make your changes again.' });
    ctx.reload();
  }

  // Redraw keeping what was typed, then move focus to focusId (or the error summary).
  function redraw(state, focusId) {
    const form = column.querySelector('#person-form');
    if (form) model = readModel(form);
    draw(state);
    initAll({ scope: column });
    if (focusId) column.querySelector(`#${focusId}`)?.focus();
  }

  function addAddress() {
    const form = column.querySelector('#person-form');
    model = readModel(form);
    model.addresses.push(emptyAddress(false));
    const n = model.addresses.length - 1;
    draw({});
    initAll({ scope: column });
    column.querySelector(`#address-${n}-line1`).focus();
  }

  function removeAddress(i) {
    const form = column.querySelector('#person-form');
    model = readModel(form);
    model.addresses.splice(i, 1);
    draw({});
    initAll({ scope: column });
    column.querySelector(`#address-${Math.min(i, model.addresses.length - 1)}-line1`).focus();
  }

  async function onSubmit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    model = readModel(form);
    const dob = readDate(form, 'dob', 'Date of birth');
    if (dob.error) {
      failed({
        summary: [{ href: `#dob-${dob.errorParts[0]}`, text: dob.error }],
        inline: { dob: dob.error }, dobErrorParts: dob.errorParts,
      });
      return;
    }
    if (!editing && await showCandidates(form, dob.value)) return;
    await save(form, dob.value);
  }

  // Adding: look for persons already known who may be this one, unless these details were
  // looked for already. Returns true when candidates are now shown (the save waits for the user).
  async function showCandidates(form, dob) {
    const fields = matchFields(model, dob);
    const key = JSON.stringify(matchQuery(fields));
    if (key === checkedKey) return false;
    const saveButton = form.querySelector('#save');
    saveButton.disabled = true;
    let found = [];
    try {
      found = await findMatches(fields);
    } catch (err) {
      // A search that fails must not stop the record being added: the save reports any problem.
      if (!(err instanceof ApiError)) throw err;
      found = [];
    }
    saveButton.disabled = false;
    checkedKey = key;
    matches = found;
    if (!found.length) return false;
    redraw({}, 'intake-matches-heading');
    return true;
  }

  // "None of these, create a new person": save what the form holds now.
  async function createAnyway() {
    const form = column.querySelector('#person-form');
    model = readModel(form);
    const dob = readDate(form, 'dob', 'Date of birth');
    if (dob.error) {
      failed({
        summary: [{ href: `#dob-${dob.errorParts[0]}`, text: dob.error }],
        inline: { dob: dob.error }, dobErrorParts: dob.errorParts,
      });
      return;
    }
    checkedKey = JSON.stringify(matchQuery(matchFields(model, dob.value)));
    await save(form, dob.value);
  }

  async function save(form, dobValue) {
    const { body, addressIndex } = toPayload(model, dobValue, record);
    const saveButton = form.querySelector('#save');
    saveButton.disabled = true;
    let saved;
    try {
      saved = editing
        ? await api('PUT', `/api/v1/persons/${id}`, body)
        : await api('POST', '/api/v1/persons', body);
    } catch (err) {
      saveButton.disabled = false;
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 422) {
        failed(placeErrors(err.errors.length ? err.errors : [{ message: err.detail || 'Check the details and try again' }], addressIndex));
      } else if (err.status === 409) {
        failed({ conflict: true });
      } else if (err.status === 403) {
        failed({ summary: [{ text: err.detail || 'You are not allowed to save this record' }] });
      } else if (err.status === 0) {
        failed({ summary: [{ text: `${err.title}. ${err.detail} Your changes have not been saved.` }] });
      } else {
        failed({ summary: [{ text: err.detail || err.title || 'Sorry, there is a problem with the service. Your changes have not been saved.' }] });
      }
      return;
    }
    ctx.flash({ type: 'success', heading: editing ? 'Changes saved' : 'Person added' });
    ctx.navigate(`/persons/${saved.id}`);
  }

  function failed(state) {
    redraw(state);
    ctx.setTitle(title, { error: true });
  }

  draw({});
  return { title, node: h('div', { class: 'govuk-grid-row' }, column) };
}
