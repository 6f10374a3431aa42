// A person's record: details, identifiers, addresses, phones, notes, access, and the table of
// who has viewed or changed it (/api/v1/persons/{id}/views). Every value is set as text.

import { h } from '../dom.js';
import {
  pageHeading, summaryCard, table, linkButton, notificationBanner, tag, paragraph,
} from '../govuk.js';
import { api, reference, ApiError } from '../api.js';
import { formatDate, formatDateTime, fullName, labelFor, roleLabel } from '../format.js';
import { CAN_WRITE_PERSONS } from '../roles.js';
import { personCasework, CASEWORK_ACTIONS } from '../story.js';
import { personMissing } from '../person-missing.js';
import { personIdentity } from '../person-identity.js';

const ACTIONS = {
  'person.view': 'Viewed the record',
  'person.create': 'Added the record',
  'person.update': 'Changed the record',
  'person.views': 'Viewed who has seen the record',
  'person.denied': 'Was refused access',
  'person.search': 'Found the record in a search',
  'person.match': 'Shown as a possible match',
  'person.merge': 'Merged records',
  'person.unmerge': 'Undid a merge',
  'person.merges': 'Viewed the merges',
  'missing.person': 'Viewed the missing episodes',
  'missing.repeat': 'Flagged as repeatedly missing',
  'missing.view': 'Viewed a missing episode',
  'missing.list': 'Listed missing episodes',
  'missing.create': 'Reported missing',
  'missing.update': 'Changed a missing episode',
  'missing.grade': 'Recorded a police risk grading',
  'missing.return': 'Recorded the return',
  'missing.reopen': 'Reopened a missing episode',
  'missing.rhi': 'Recorded the return home interview',
  'notification.acknowledge': 'Recorded an acknowledgement',
  ...CASEWORK_ACTIONS,
};

// '9991234561' -> '999 123 4561' (as NHS numbers are written); anything else unchanged.
export function formatNhsNumber(s) {
  return /^\d{10}$/.test(s || '') ? `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}` : (s || '');
}

function listOrEmpty(items) {
  if (!items || !items.length) return '';
  if (items.length === 1) return items[0];
  return h('ul', { class: 'govuk-list' }, items.map((x) => h('li', { text: x })));
}

function addressLines(a) {
  return h('p', { class: 'govuk-body govuk-!-margin-bottom-0 app-pre-line app-wrap',
    text: [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join('\n') });
}

export async function render(ctx) {
  const id = ctx.params[0];
  const [person, ref] = await Promise.all([
    api('GET', `/api/v1/persons/${id}`),
    reference().catch(() => null),
  ]);
  let views = null;
  let viewsError = null;
  try {
    views = await api('GET', `/api/v1/persons/${id}/views`);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    viewsError = e;
  }
  const [casework, missing, identity] = await Promise.all([
    personCasework(ctx, person), personMissing(ctx, person), personIdentity(ctx, person)]);
  const flash = ctx.takeFlash();
  const name = fullName(person) || `Person ${person.id}`;
  const canEdit = CAN_WRITE_PERSONS.includes(ctx.user.role);
  const ids = person.identifiers || {};
  const dob = person.dob ? `${formatDate(person.dob)}${person.dob_estimated ? ' (estimated)' : ''}` : '';
  const addresses = person.addresses || [];

  const tags = [
    person.is_child === true ? tag('Child', 'blue') : null,
    person.is_child === false ? tag('Adult', 'grey') : null,
    person.restricted ? tag('Restricted record', 'red') : null,
  ].filter(Boolean);

  const node = [
    flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
    pageHeading(name, { caption: 'Person', size: 'xl' }),
    tags.length ? h('p', { class: 'govuk-body app-tags' }, tags.flatMap((t, i) => (i ? [' ', t] : [t]))) : null,
    h('div', { class: 'govuk-button-group' },
      canEdit ? linkButton({ href: `/persons/${person.id}/edit`, text: 'Edit details', id: 'edit-person' }) : null,
      casework.actions, missing.actions, identity.actions),
    h('div', { class: 'govuk-grid-row' }, h('div', { class: 'govuk-grid-column-full' },
      identity.top,
      casework.top,
      missing.top,
      summaryCard({
        title: 'Personal details',
        rows: [
          { key: 'Given name', value: person.given_name, valueClass: 'app-wrap' },
          { key: 'Family name', value: person.family_name, valueClass: 'app-wrap' },
          { key: 'Aliases', value: listOrEmpty(person.aliases), valueClass: 'app-wrap' },
          { key: 'Date of birth', value: dob },
          { key: 'Age', value: person.age === null || person.age === undefined ? '' : String(person.age) },
          { key: 'Sex', value: labelFor(ref && ref.sexes, person.sex) },
          { key: 'Gender', value: person.gender, valueClass: 'app-wrap' },
          { key: 'Ethnicity', value: labelFor(ref && ref.ethnicities, person.ethnicity) },
        ],
      }),
      summaryCard({
        title: 'Identifiers',
        rows: [
          { key: 'NHS number', value: formatNhsNumber(ids.nhs_number) },
          { key: 'Unique pupil number', value: ids.upn || '' },
          { key: 'Police reference', value: ids.police_ref || '', valueClass: 'app-wrap' },
          { key: 'Local authority person ID', value: ids.la_id || '', valueClass: 'app-wrap' },
        ],
      }),
      summaryCard({
        title: addresses.length === 1 ? 'Address' : 'Addresses',
        rows: addresses.length
          ? addresses.map((a, i) => ({
            key: `${addresses.length > 1 ? `Address ${i + 1}` : 'Address'}${a.current ? ' (current)' : ' (previous)'}`,
            value: addressLines(a),
          }))
          : [{ key: 'Address', value: '' }],
      }),
      summaryCard({
        title: 'Phone numbers',
        rows: [{ key: (person.phones || []).length === 1 ? 'Phone number' : 'Phone numbers', value: listOrEmpty(person.phones) }],
      }),
      summaryCard({
        title: 'Notes',
        rows: [{ key: 'Notes', value: person.notes || '', valueClass: 'app-pre-line app-wrap' }],
      }),
      summaryCard({
        title: 'Record',
        rows: [
          { key: 'Access', value: person.restricted ? 'Restricted to named people' : 'Everyone who can see person records' },
          person.restricted ? { key: 'Restricted to', value: listOrEmpty(person.restricted_to), valueClass: 'app-wrap' } : null,
          { key: 'Added', value: [formatDateTime(person.created_at), person.created_by && `by ${person.created_by}`].filter(Boolean).join(' ') },
          { key: 'Last changed', value: [formatDateTime(person.updated_at), person.updated_by && `by ${person.updated_by}`].filter(Boolean).join(' ') },
          { key: 'Version', value: String(person.version ?? '') },
        ].filter(Boolean),
      }),
      casework.sections,
      missing.sections,
      identity.sections,
      h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', id: 'views-heading', text: 'Who has viewed this record' }),
      viewsTable(views, viewsError, ref))),
  ];
  // Not the name: titles are kept in the browser's history, and names are sensitive.
  return { title: 'Person record', node };
}

function viewsTable(views, error, ref) {
  if (error) {
    return paragraph(error.status === 403
      ? 'You cannot see who has viewed this record.'
      : 'The list of who has viewed this record could not be loaded. Try again later.');
  }
  const items = (views && views.items) || [];
  if (!items.length) return paragraph('No one has viewed this record yet.');
  return table({
    id: 'views', label: 'Who has viewed this record',
    head: ['When', 'Who', 'Role', 'Agency', 'What'],
    rows: items.map((v) => [
      h('time', { datetime: v.at, text: formatDateTime(v.at) }),
      v.username || '',
      roleLabel(ref, v.role),
      v.agency || '',
      ACTIONS[v.action] || v.action || '',
    ]),
  });
}
