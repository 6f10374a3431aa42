// The missing-episode forms, one per page; which is ctx.mode (from the route in app.js):
//   create   /persons/{id}/missing/new   report a person missing (POST /api/v1/missing-episodes)
//   edit     /missing/{id}/edit          change the details (PUT /api/v1/missing-episodes/{id})
//   grading  /missing/{id}/grading       add a police risk grading (POST .../gradings)
//   return   /missing/{id}/return        record the return (POST .../return)
//   rhi      /missing/{id}/rhi           record or update the return home interview (PUT .../rhi)
//   reopen   /missing/{id}/reopen        reopen a returned episode, managers only (POST .../reopen)
// Each is a GOV.UK form drawn by form-page.js: dates and times as UK date-and-time inputs, an
// error summary linking to every field the server's 422 names (and the message beside the
// field), and on a 409 "someone else has changed this episode" with a reload. A repeated police
// force and reference (409 on create or change) is shown on the reference field instead. Once
// saved the episode page is shown with a message. Page titles never contain names.

import { h } from '../dom.js';
import {
  pageHeading, paragraph, summaryList, link,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { formatDateTime } from '../format.js';
import { formPage } from '../form-page.js';
import {
  MISSING_FROM, CATEGORIES, GRADES, PLACEMENT_TYPES, gradeTag, rhiTag, rhiByText, rhiTimeLeft,
  personName,
} from '../missing-episode-ui.js';

const TITLES = {
  create: 'Report a missing episode',
  edit: 'Change the episode details',
  grading: 'Add a police risk grading',
  return: 'Record the return',
  rhi: 'Return home interview',
  reopen: 'Reopen the episode',
};

// 'found_with' text ("17, 23") -> {ids: [17, 23]} or {error}.
function parseIds(text) {
  const parts = String(text || '').split(/[\s,;]+/).filter(Boolean);
  if (parts.some((p) => !/^[1-9][0-9]{0,17}$/.test(p))) {
    return { error: 'Found with must be record numbers separated by commas, for example 17, 23' };
  }
  return { ids: [...new Set(parts.map(Number))] };
}

// Where a server error on found_with[i] goes: the found-with box.
function locateFoundWith(field) {
  return /^found_with(\[\d+\])?$/.test(field)
    ? { key: 'found-with', href: '#found-with', label: 'Found with', order: 1e6 } : null;
}

// The value at a field path ("placement.type") in a request body.
function valueAt(body, field) {
  return String(field).split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), body);
}

// The server's field messages as the form shows them: "is required: when the child was last
// seen" or "is required when the interview was declined" become "is required" (shown as "Enter
// when they were last seen" beside the field, whose label already says what it is), and "must
// be one of ..." for a choice left unanswered is "is required" too ("Select where they went
// missing from").
function plainErrors(errors, body) {
  return errors.map((e) => {
    const msg = String(e.message || '');
    const empty = (x) => x === undefined || x === null || x === '';
    if (/^is required\b/.test(msg)) return { ...e, message: 'is required' };
    if (/^must be\b/.test(msg) && e.field && empty(valueAt(body, e.field))) return { ...e, message: 'is required' };
    return e;
  });
}

// Send a form's body. A 409 about a police force and reference already used is a problem with
// that field, not a stale version: it becomes the 422 the form shows beside the reference.
async function send(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 422 && err.errors.length) {
      throw new ApiError(422, { title: err.title, detail: err.detail, errors: plainErrors(err.errors, body) });
    }
    if (err.status === 409 && /reference|police_ref/i.test(`${err.detail} ${err.title}`) && !/someone else|version/i.test(err.detail)) {
      throw new ApiError(422, {
        title: err.title, detail: err.detail,
        errors: [{ field: 'police_ref', message: 'An episode with this police force and reference has already been recorded' }],
      });
    }
    throw err;
  }
}

// A time typed to the minute that is the minute of the time stored (a form shown with the stored
// time and not changed) is the stored time itself, to the second: saving a form unchanged must
// not move a time (and with it the RHI due time) by the seconds the input cannot show.
function keepTime(value, stored) {
  if (!value || !stored) return value;
  const a = new Date(value).getTime();
  const b = new Date(stored).getTime();
  return Math.floor(a / 60000) === Math.floor(b / 60000) ? stored : value;
}

const foundWithField = (value) => ({
  type: 'text', name: 'found_with', label: 'Found with (optional)', width: 'two-thirds', spellcheck: 'false', value,
  errorLabel: 'who they were found with',
  hint: 'The safehub record numbers of the people they were with, separated by commas, for example 17, 23. The number is at the end of the person’s page address.',
});

// The fields shared by create and edit: when, where from, police, placement, hub, notes.
function detailFields(ep, ctx) {
  const p = (ep && ep.placement) || {};
  return [
    { type: 'datetime', name: 'started_at', label: 'When were they last seen?', legendSize: 'm', errorLabel: 'when they were last seen', value: ep ? ep.started_at : '' },
    { type: 'datetime', name: 'reported_at', label: 'When were they reported missing?', legendSize: 'm', errorLabel: 'when they were reported missing', value: ep ? ep.reported_at : 'now' },
    { type: 'radios', name: 'missing_from', label: 'Where did they go missing from?', legendSize: 'm', errorLabel: 'where they went missing from', items: MISSING_FROM, value: ep ? ep.missing_from : '' },
    { type: 'radios', name: 'category', label: 'Category', legendSize: 'm', errorLabel: 'the category',
      hint: 'As in the SSDA903 return: M when no one knows where they are, A when a looked-after child is away from their placement without permission but their whereabouts are known',
      items: CATEGORIES, value: ep ? ep.category : 'M' },
    { type: 'heading', text: 'Police' },
    { type: 'text', name: 'police_force', label: 'Police force (optional)', width: 'two-thirds', errorLabel: 'the police force', value: ep ? ep.police_force : '' },
    { type: 'text', name: 'police_ref', label: 'Police reference (optional)', width: 20, spellcheck: 'false', errorLabel: 'the police reference', hint: 'For example, MFH/2026/0042', value: ep ? ep.police_ref : '' },
    { type: 'heading', text: 'Placement' },
    { type: 'yesno', name: 'looked_after', label: 'Are they looked after?', errorLabel: 'whether they are looked after',
      hint: ep ? null : 'Leave this unanswered to record yes when they went missing from care, and no otherwise',
      value: ep ? ep.looked_after : null },
    { type: 'select', name: 'placement_type', aliases: ['placement.type', 'placement'], label: 'Placement type', errorLabel: 'the placement type', options: PLACEMENT_TYPES, value: p.type || '' },
    { type: 'text', name: 'placement_provider', aliases: ['placement.provider'], label: 'Placement provider (optional)', width: 'two-thirds', errorLabel: 'the placement provider', value: p.provider || '' },
    { type: 'text', name: 'placing_authority', aliases: ['placement.placing_authority'], label: 'Placing local authority (optional)', width: 'two-thirds', errorLabel: 'the placing authority',
      hint: 'The authority responsible for the child', value: p.placing_authority || '' },
    { type: 'text', name: 'host_authority', aliases: ['placement.host_authority'], label: 'Host local authority (optional)', width: 'two-thirds', errorLabel: 'the host authority',
      hint: 'The authority where the placement is. When the two differ the other authority is notified.', value: p.host_authority || '' },
    { type: 'heading', text: 'Hub' },
    { type: 'text', name: 'team', label: 'Team (optional)', width: 'two-thirds', errorLabel: 'the team', value: ep ? ep.team : (ctx.user.team || '') },
    { type: 'text', name: 'locality', label: 'Locality (optional)', width: 'two-thirds', errorLabel: 'the locality', value: ep ? ep.locality : '' },
    { type: 'textarea', name: 'notes', label: 'Notes (optional)', labelSize: 'm', rows: 5, errorLabel: 'the notes', value: ep ? ep.notes : '' },
  ];
}

function detailBody(v) {
  const b = {
    started_at: v.started_at || null, reported_at: v.reported_at || null,
    missing_from: v.missing_from || null, category: v.category || null,
    police_force: v.police_force,
    placement: {
      type: v.placement_type, provider: v.placement_provider, placing_authority: v.placing_authority, host_authority: v.host_authority,
    },
    team: v.team, locality: v.locality, notes: v.notes,
  };
  if (v.looked_after !== null) b.looked_after = v.looked_after;
  return b;
}

function createSpec(ctx, person) {
  return {
    title: TITLES.create,
    caption: personName(person),
    submitText: 'Save episode',
    cancel: { href: `/persons/${person.id}`, text: 'Cancel' },
    fields: [
      ...detailFields(null, ctx).slice(0, 4),
      { type: 'heading', text: 'Police risk grading' },
      { type: 'radios', name: 'grade', label: 'The police risk grading (optional)', errorLabel: 'the risk grading',
        items: [{ value: '', text: 'Not graded yet' }, ...GRADES], value: '' },
      { type: 'text', name: 'graded_by', label: 'Graded by (optional)', width: 'two-thirds', errorLabel: 'who graded it', hint: 'The officer, for example PS 123 Example' },
      ...detailFields(null, ctx).slice(4),
      { type: 'heading', text: 'If they have already been found' },
      { type: 'datetime', name: 'ended_at', label: 'When were they found or returned? (optional)', errorLabel: 'when they were found or returned',
        hint: 'Leave this empty while they are still missing. For example, 27 3 2026 and 14:30 (UK time)' },
      { type: 'text', name: 'found_where', label: 'Where were they found? (optional)', width: 'two-thirds', errorLabel: 'where they were found' },
      foundWithField(''),
    ],
    check: (v) => {
      const r = parseIds(v.found_with);
      return r.error ? [{ field: 'found_with', message: r.error }] : [];
    },
    locate: locateFoundWith,
    body: (v) => {
      const b = { person_id: person.id, ...detailBody(v) };
      if (v.police_ref) b.police_ref = v.police_ref;
      if (v.grade) {
        b.grade = v.grade;
        if (v.graded_by) b.graded_by = v.graded_by;
      }
      if (v.ended_at) b.ended_at = v.ended_at;
      if (v.found_where) b.found_where = v.found_where;
      const ids = parseIds(v.found_with).ids || [];
      if (ids.length) b.found_with = ids;
      return b;
    },
    send: (b) => send('POST', '/api/v1/missing-episodes', b),
    saved: (ep) => {
      ctx.flash({ type: 'success', heading: 'Missing episode recorded' });
      ctx.navigate(`/missing/${ep.id}`);
    },
  };
}

function editSpec(ctx, ep) {
  const returned = Boolean(ep.ended_at);
  return {
    title: TITLES.edit,
    submitText: 'Save changes',
    fields: [
      ...detailFields(ep, ctx),
      returned ? { type: 'heading', text: 'Where they were found' } : null,
      returned ? {
        type: 'datetime', name: 'ended_at', label: 'When were they found or returned?', errorLabel: 'when they were found or returned', value: ep.ended_at,
      } : null,
      returned ? { type: 'text', name: 'found_where', label: 'Where were they found? (optional)', width: 'two-thirds', errorLabel: 'where they were found', value: ep.found_where } : null,
      returned ? foundWithField((ep.found_with || []).map((p) => p.id).join(', ')) : null,
    ],
    check: (v) => [
      returned && !v.ended_at ? { field: 'ended_at', message: 'Enter when they were found or returned. To reopen the episode, ask a manager.' } : null,
      returned && parseIds(v.found_with).error ? { field: 'found_with', message: parseIds(v.found_with).error } : null,
    ].filter(Boolean),
    locate: locateFoundWith,
    body: (v) => {
      const b = {
        version: ep.version,
        ...detailBody({ ...v, started_at: keepTime(v.started_at, ep.started_at), reported_at: keepTime(v.reported_at, ep.reported_at) }),
      };
      if (v.police_ref || ep.police_ref) b.police_ref = v.police_ref;
      if (returned) {
        b.ended_at = keepTime(v.ended_at, ep.ended_at);
        b.found_where = v.found_where;
        b.found_with = parseIds(v.found_with).ids || [];
      }
      return b;
    },
    send: (b) => send('PUT', `/api/v1/missing-episodes/${ep.id}`, b),
    savedText: 'Episode details changed',
  };
}

function gradingSpec(ctx, ep) {
  const g = ep.grading || {};
  return {
    title: TITLES.grading,
    submitText: 'Save grading',
    before: () => summaryList([
      { key: 'Latest grading', value: gradeTag(g.latest) },
      { key: 'Last seen', value: formatDateTime(ep.started_at) },
    ]),
    fields: [
      { type: 'radios', name: 'grade', label: 'What is the police risk grading?', legendSize: 'm', errorLabel: 'the risk grading', items: GRADES,
        hint: 'A new grading is added to the history: earlier gradings are kept' },
      { type: 'datetime', name: 'graded_at', label: 'When was it graded?', errorLabel: 'when it was graded', value: 'now' },
      { type: 'text', name: 'graded_by', label: 'Graded by (optional)', width: 'two-thirds', errorLabel: 'who graded it', hint: 'The officer, for example PS 123 Example' },
      { type: 'textarea', name: 'note', label: 'Note (optional)', rows: 4, errorLabel: 'the note', hint: 'For example, why the grading changed' },
    ],
    body: (v) => {
      const b = { grade: v.grade || null, graded_by: v.graded_by, note: v.note };
      if (v.graded_at) b.graded_at = v.graded_at;
      return b;
    },
    send: (b) => send('POST', `/api/v1/missing-episodes/${ep.id}/gradings`, b),
    savedText: 'Risk grading added',
  };
}

function returnSpec(ctx, ep) {
  return {
    title: TITLES.return,
    submitText: 'Save return',
    before: () => summaryList([
      { key: 'Last seen', value: formatDateTime(ep.started_at) },
      { key: 'Return home interview by', value: rhiByText(ep) },
    ]),
    fields: [
      { type: 'datetime', name: 'ended_at', label: 'When were they found or returned?', legendSize: 'm', errorLabel: 'when they were found or returned', value: 'now',
        hint: 'The return home interview is due 72 hours after this. For example, 27 3 2026 and 14:30 (UK time)' },
      { type: 'text', name: 'found_where', label: 'Where were they found? (optional)', width: 'two-thirds', errorLabel: 'where they were found',
        hint: 'An address or a place', value: ep.found_where },
      foundWithField((ep.found_with || []).map((p) => p.id).join(', ')),
    ],
    check: (v) => {
      const r = parseIds(v.found_with);
      return [
        !v.ended_at ? { field: 'ended_at', message: 'Enter when they were found or returned' } : null,
        r.error ? { field: 'found_with', message: r.error } : null,
      ].filter(Boolean);
    },
    locate: locateFoundWith,
    body: (v) => ({
      version: ep.version, ended_at: v.ended_at, found_where: v.found_where, found_with: parseIds(v.found_with).ids || [],
    }),
    send: (b) => send('POST', `/api/v1/missing-episodes/${ep.id}/return`, b),
    savedText: 'Return recorded',
  };
}

const RESPONSES = [
  { value: 'none', text: 'Not answered yet' },
  { value: 'accepted', text: 'Accepted' },
  { value: 'declined', text: 'Declined' },
];

function rhiSpec(ctx, ep) {
  const r = ep.rhi || {};
  const had = (k) => r[k] !== null && r[k] !== undefined && r[k] !== '';
  const left = rhiTimeLeft(ep);
  // A time or choice: sent when given; null when it was recorded before and is now cleared.
  const opt = (b, k, value) => {
    if (value !== '' && value !== null && value !== undefined) b[k] = value;
    else if (had(k)) b[k] = null;
  };
  return {
    title: TITLES.rhi,
    submitText: 'Save return home interview',
    what: 'this return home interview',
    before: () => summaryList([
      { key: 'Returned', value: formatDateTime(ep.ended_at) },
      { key: 'Due by', value: formatDateTime(ep.rhi_due_at) },
      { key: 'Status', value: h('span', {}, rhiTag(ep), left ? ` ${left}` : '') },
      { key: 'Done by', value: rhiByText(ep) },
    ]),
    fields: [
      { type: 'heading', text: 'The offer' },
      { type: 'datetime', name: 'offered_at', label: 'When was the interview offered? (optional)', errorLabel: 'when the interview was offered', value: r.offered_at || '' },
      { type: 'text', name: 'offered_by', label: 'Offered by (optional)', width: 'two-thirds', errorLabel: 'who offered it', value: r.offered_by || '' },
      { type: 'text', name: 'offered_org', label: 'Organisation (optional)', width: 'two-thirds', errorLabel: 'the organisation', hint: 'For example, an independent return interview service', value: r.offered_org || '' },
      { type: 'yesno', name: 'independent', label: 'Is the interviewer independent of the carer?', errorLabel: 'whether the interviewer is independent', value: r.independent ?? null },
      { type: 'heading', text: 'Their answer' },
      { type: 'radios', name: 'response', label: 'Did they accept the interview?', errorLabel: 'whether they accepted', items: RESPONSES, value: r.response || 'none' },
      { type: 'datetime', name: 'responded_at', label: 'When did they answer? (optional)', errorLabel: 'when they answered', value: r.responded_at || '' },
      { type: 'textarea', name: 'declined_reason', label: 'Why did they decline? (only if they declined)', rows: 3, errorLabel: 'why they declined', value: r.declined_reason || '' },
      { type: 'heading', text: 'The interview' },
      { type: 'datetime', name: 'completed_at', label: 'When was the interview completed? (optional)', errorLabel: 'when the interview was completed', value: r.completed_at || '' },
      { type: 'textarea', name: 'push_factors', label: 'Push factors (optional)', rows: 3, errorLabel: 'the push factors', hint: 'What made them leave', value: r.push_factors || '' },
      { type: 'textarea', name: 'pull_factors', label: 'Pull factors (optional)', rows: 3, errorLabel: 'the pull factors', hint: 'What drew them away', value: r.pull_factors || '' },
      { type: 'textarea', name: 'stayed_where', label: 'Where did they stay? (optional)', rows: 2, errorLabel: 'where they stayed', value: r.stayed_where || '' },
      { type: 'textarea', name: 'stayed_with', label: 'Who were they with? (optional)', rows: 2, errorLabel: 'who they were with', value: r.stayed_with || '' },
      { type: 'yesno', name: 'exploitation_disclosed', label: 'Did they disclose exploitation?', errorLabel: 'whether exploitation was disclosed', value: r.exploitation_disclosed ?? null },
      { type: 'textarea', name: 'follow_up', label: 'Follow-up actions (optional)', rows: 3, errorLabel: 'the follow-up actions', value: r.follow_up || '' },
    ],
    body: (v) => {
      const b = {};
      if (ep.rhi && ep.rhi.version !== undefined) b.version = ep.rhi.version;
      opt(b, 'offered_at', keepTime(v.offered_at, r.offered_at));
      b.offered_by = v.offered_by;
      b.offered_org = v.offered_org;
      opt(b, 'independent', v.independent);
      opt(b, 'response', v.response === 'none' ? '' : v.response);
      opt(b, 'responded_at', keepTime(v.responded_at, r.responded_at));
      b.declined_reason = v.declined_reason;
      opt(b, 'completed_at', keepTime(v.completed_at, r.completed_at));
      for (const k of ['push_factors', 'pull_factors', 'stayed_where', 'stayed_with', 'follow_up']) b[k] = v[k];
      opt(b, 'exploitation_disclosed', v.exploitation_disclosed);
      return b;
    },
    send: (b) => send('PUT', `/api/v1/missing-episodes/${ep.id}/rhi`, b),
    savedText: 'Return home interview saved',
  };
}

function reopenSpec(ctx, ep) {
  return {
    title: TITLES.reopen,
    submitText: 'Reopen the episode',
    warning: true,
    before: () => [
      summaryList([
        { key: 'Last seen', value: formatDateTime(ep.started_at) },
        { key: 'Found or returned', value: formatDateTime(ep.ended_at) },
      ]),
      h('div', { class: 'govuk-warning-text' },
        h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
        h('strong', { class: 'govuk-warning-text__text' },
          h('span', { class: 'govuk-visually-hidden', text: 'Warning' }),
          'Reopening records them as missing again and stops the return home interview clock. Any interview already recorded is kept. The reason is kept in the audit trail.')),
    ],
    fields: [
      { type: 'textarea', name: 'reason', label: 'Why are you reopening the episode?', labelSize: 'm', rows: 4, errorLabel: 'why you are reopening the episode' },
    ],
    body: (v) => ({ version: ep.version, reason: v.reason }),
    send: (b) => send('POST', `/api/v1/missing-episodes/${ep.id}/reopen`, b),
    savedText: 'Episode reopened',
  };
}

const SPECS = {
  edit: editSpec, grading: gradingSpec, return: returnSpec, rhi: rhiSpec, reopen: reopenSpec,
};

// Why a form cannot be used for this episode now, or null.
function refusal(mode, ep) {
  const missing = !ep.ended_at;
  if (mode === 'return' && !missing) return 'They have already returned. To change when, change the episode details.';
  if (mode === 'rhi' && missing) return 'The return home interview can be recorded once they have been found or returned.';
  if (mode === 'reopen' && missing) return 'This episode is open: they are still missing.';
  return null;
}

export async function render(ctx) {
  const mode = ctx.mode;
  const title = TITLES[mode] || 'Not found';
  if (mode === 'create') {
    const person = await api('GET', `/api/v1/persons/${ctx.params[0]}`);
    return formPage(ctx, { formId: 'missing-form', ...createSpec(ctx, person) });
  }
  const ep = await api('GET', `/api/v1/missing-episodes/${ctx.params[0]}`);
  const back = `/missing/${ep.id}`;
  const caption = personName(ep.person, ep.person_id);
  const make = SPECS[mode];
  const why = make ? refusal(mode, ep) : 'There is no such form.';
  if (why) {
    return {
      title,
      node: [
        pageHeading(title, { caption }),
        paragraph(why),
        h('p', { class: 'govuk-body' }, link(back, 'Back to the episode')),
      ],
    };
  }
  const spec = make(ctx, ep);
  return formPage(ctx, {
    formId: 'missing-form',
    what: 'this episode',
    ...spec,
    caption,
    cancel: { href: back, text: 'Cancel' },
    saved: () => {
      ctx.flash({ type: 'success', heading: spec.savedText });
      ctx.navigate(back);
    },
  });
}
