// The forms that add to a case, one per page (/cases/{id}/...): record a contact, add a note
// with the young person's voice, record supervision, set a flag, review or remove a flag,
// record feedback, write the transition plan, change strands, reallocate, and close the case.
// Which form is ctx.mode (from the route). Each loads the case, refuses politely when it is
// closed, sends the case's version where the API asks for it (a 409 then offers a reload), and
// returns to the case page with a message once saved.

import { h } from '../dom.js';
import {
  pageHeading, paragraph, summaryList, link,
} from '../govuk.js';
import { api } from '../api.js';
import { formatDate, formatDateTime, fullName } from '../format.js';
import { formPage } from '../form-page.js';
import {
  config, options, labels, teams, teamOptions, workerOptions,
} from '../casework.js';

const SCORES = [
  { value: '1', text: '1 – not at all' },
  { value: '2', text: '2 – a little' },
  { value: '3', text: '3 – some' },
  { value: '4', text: '4 – a lot' },
  { value: '5', text: '5 – very much' },
];

function personName(c) {
  return c.person ? (fullName(c.person) || `Person ${c.person.id}`) : `Case ${c.id}`;
}

// spec for each mode: (c, cfg, ctx, extra) -> formPage spec without the common parts.
const FORMS = {
  contact: (c, cfg) => ({
    title: 'Record a contact',
    submitText: 'Save contact',
    saved: 'Contact recorded',
    fields: [
      { type: 'datetime', name: 'contact_at', label: 'When was the contact?', legendSize: 'm', value: 'now', errorLabel: 'when the contact was' },
      { type: 'radios', name: 'kind', label: 'Type of contact', legendSize: 'm', errorLabel: 'the type of contact', items: options(cfg.contact_types) },
      { type: 'yesno', name: 'seen', label: 'Was the young person seen?', errorLabel: 'whether the young person was seen' },
      { type: 'yesno', name: 'seen_alone', label: 'Were they seen alone?', hint: 'Answer no if they were not seen',
        errorLabel: 'whether they were seen alone' },
      { type: 'text', name: 'location', label: 'Where (optional)', hint: 'For example, home, school or a café', width: 'two-thirds' },
      { type: 'textarea', name: 'summary', label: 'Summary (optional)', rows: 5 },
    ],
    check: (v) => [
      v.seen === null ? { field: 'seen', message: 'Select whether the young person was seen' } : null,
      v.seen === true && v.seen_alone === null ? { field: 'seen_alone', message: 'Select whether they were seen alone' } : null,
    ].filter(Boolean),
    body: (v) => ({
      contact_at: v.contact_at || null, kind: v.kind || null, seen: v.seen === true, seen_alone: v.seen === true && v.seen_alone === true,
      location: v.location, summary: v.summary,
    }),
    send: (b) => api('POST', `/api/v1/cases/${c.id}/contacts`, b),
  }),

  note: (c) => ({
    title: 'Add a case note',
    submitText: 'Save note',
    saved: 'Note added',
    fields: [
      { type: 'textarea', name: 'note', label: 'Case note', labelSize: 'm', rows: 8, errorLabel: 'the case note' },
      { type: 'textarea', name: 'child_voice', label: 'The young person’s voice (optional)', labelSize: 'm', rows: 5,
        hint: 'What they said about their life, their worries and what they want to happen, in their own words where you can' },
    ],
    body: (v) => ({ note: v.note, child_voice: v.child_voice }),
    send: (b) => api('POST', `/api/v1/cases/${c.id}/notes`, b),
  }),

  supervision: (c) => ({
    title: 'Record supervision',
    submitText: 'Save supervision',
    saved: 'Supervision recorded',
    fields: [
      { type: 'datetime', name: 'held_at', label: 'When was supervision held?', legendSize: 'm', value: 'now', errorLabel: 'when supervision was held' },
      { type: 'textarea', name: 'discussion', label: 'Discussion', rows: 5, hint: 'What was reviewed: the plan, the latest assessment, the young person’s progress' },
      { type: 'textarea', name: 'decisions', label: 'Decisions', rows: 5, errorLabel: 'the decisions' },
      { type: 'date', name: 'next_due', label: 'Next supervision due (optional)', errorLabel: 'the next supervision date', hint: 'For example, 27 3 2026. Leave it empty for 4 weeks from now.' },
    ],
    body: (v) => {
      const b = { held_at: v.held_at || null, discussion: v.discussion, decisions: v.decisions };
      if (v.next_due) b.next_due = v.next_due;
      return b;
    },
    send: (b) => api('POST', `/api/v1/cases/${c.id}/supervisions`, b),
  }),

  flag: (c, cfg) => ({
    title: 'Set a flag',
    submitText: 'Set flag',
    saved: 'Flag set',
    fields: [
      { type: 'radios', name: 'kind', label: 'Type of flag', legendSize: 'm', errorLabel: 'the type of flag', items: options(cfg.flag_types) },
      { type: 'textarea', name: 'note', label: 'Note (optional)', rows: 4 },
      { type: 'date', name: 'review_date', label: 'Review date (optional)', errorLabel: 'the review date', hint: 'For example, 27 3 2026. Leave it empty for 3 months from today.' },
      { type: 'yesno', name: 'police_flag', label: 'Has the flag been set on police systems?', errorLabel: 'whether the flag is on police systems' },
    ],
    check: (v) => (v.police_flag === null ? [{ field: 'police_flag', message: 'Select whether the flag has been set on police systems' }] : []),
    body: (v) => {
      const b = { kind: v.kind || null, note: v.note, police_flag: v.police_flag === true };
      if (v.review_date) b.review_date = v.review_date;
      return b;
    },
    send: (b) => api('POST', `/api/v1/cases/${c.id}/flags`, b),
  }),

  'flag-review': (c, cfg, ctx) => {
    const flag = (c.flags || []).find((f) => String(f.id) === ctx.params[1]);
    if (!flag) return null;
    return {
      title: 'Review a flag',
      submitText: 'Save',
      saved: 'Flag updated',
      what: 'this flag',
      before: () => summaryList([
        { key: 'Flag', value: labels(cfg.flag_types, [flag.kind])[0] },
        { key: 'Note', value: flag.note, valueClass: 'app-pre-line app-wrap' },
        { key: 'Set', value: [formatDateTime(flag.set_at), flag.by && `by ${flag.by}`].filter(Boolean).join(' ') },
        { key: 'Review date', value: formatDate(flag.review_date) },
      ]),
      fields: [
        { type: 'radios', name: 'action', label: 'What do you want to do?', legendSize: 'm', errorLabel: 'what to do',
          items: [{ value: 'review', text: 'Keep the flag and set a new review date' }, { value: 'remove', text: 'Remove the flag' }] },
        { type: 'date', name: 'review_date', label: 'New review date', errorLabel: 'the new review date', hint: 'For example, 27 3 2026. Only when keeping the flag.' },
        { type: 'yesno', name: 'police_flag', label: 'Is the flag set on police systems?', value: Boolean(flag.police_flag) },
      ],
      check: (v) => [
        !v.action ? { field: 'action', message: 'Select whether to keep or remove the flag' } : null,
        v.action === 'review' && !v.review_date ? { field: 'review_date', message: 'Enter the new review date' } : null,
      ].filter(Boolean),
      body: (v) => {
        const b = { version: flag.version, police_flag: v.police_flag === true };
        if (v.action === 'remove') b.removed = true;
        else b.review_date = v.review_date;
        return b;
      },
      send: (b) => api('PUT', `/api/v1/cases/${c.id}/flags/${flag.id}`, b),
    };
  },

  feedback: (c) => ({
    title: 'Record feedback from the young person',
    submitText: 'Save feedback',
    saved: 'Feedback recorded',
    fields: [
      { type: 'radios', name: 'stage', label: 'When was the feedback given?', legendSize: 'm', errorLabel: 'when the feedback was given',
        items: [{ value: 'review', text: 'At a review' }, { value: 'closure', text: 'At closure' }] },
      { type: 'radios', name: 'score', label: 'How much has working with the hub helped them?', legendSize: 'm', errorLabel: 'a score',
        hint: 'Their own answer, from 1 (not at all) to 5 (very much)', items: SCORES },
      { type: 'textarea', name: 'words', label: 'What they said (optional)', rows: 5, hint: 'In their own words where you can' },
    ],
    body: (v) => ({ stage: v.stage || null, score: v.score ? Number(v.score) : null, words: v.words }),
    send: (b) => api('POST', `/api/v1/cases/${c.id}/feedback`, b),
  }),

  transition: (c) => ({
    title: 'Transition plan',
    submitText: 'Save transition plan',
    saved: 'Transition plan saved',
    what: 'this case',
    before: () => paragraph('Plan the move to adult services before the young person is 17½: who will support them, when, and what they want.'),
    fields: [
      { type: 'textarea', name: 'plan', label: 'Transition plan', labelSize: 'm', rows: 10, errorLabel: 'the transition plan', value: c.transition_plan || '' },
    ],
    body: (v) => ({ version: c.version, plan: v.plan }),
    send: (b) => api('POST', `/api/v1/cases/${c.id}/transition-plan`, b),
  }),

  strands: (c, cfg) => ({
    title: 'Change strands',
    submitText: 'Save strands',
    saved: 'Strands changed',
    what: 'this case',
    fields: [
      { type: 'checkboxes', name: 'strands', label: 'Strands', legendSize: 'm', hint: 'Select all that apply', value: c.strands || [],
        items: options(cfg.strands).concat((c.strands || []).filter((s) => !(cfg.strands || []).some((x) => x.code === s)).map((s) => ({ value: s, text: s }))) },
    ],
    body: (v) => ({ version: c.version, strands: v.strands }),
    send: (b) => api('PUT', `/api/v1/cases/${c.id}`, b),
  }),

  allocation: (c, cfg, ctx, t) => ({
    title: 'Reallocate the case',
    submitText: 'Reallocate',
    saved: 'Case reallocated',
    what: 'this case',
    before: () => summaryList([
      { key: 'Team now', value: c.team },
      { key: 'Worker now', value: c.worker ? (c.worker.display_name || c.worker.username) : 'Not allocated' },
    ]),
    fields: [
      { type: 'select', name: 'team', label: 'Team', value: c.team || '', errorLabel: 'the team', options: teamOptions(t, c.team) },
      { type: 'select', name: 'worker', label: 'Worker (optional)', errorLabel: 'the worker', value: c.worker ? c.worker.username : '',
        hint: 'Someone in the chosen team. Leave it as not allocated to hold the case in the team.', options: workerOptions(t, c.worker && c.worker.username) },
      { type: 'textarea', name: 'reason', label: 'Reason (optional)', rows: 3 },
    ],
    body: (v) => {
      const b = { version: c.version, team: v.team, reason: v.reason };
      if (v.worker) b.worker = v.worker;
      return b;
    },
    send: (b) => api('POST', `/api/v1/cases/${c.id}/allocation`, b),
  }),

  closure: (c, cfg) => ({
    title: 'Close the case',
    submitText: 'Close the case',
    warning: true,
    saved: 'Case closed',
    what: 'this case',
    before: () => h('div', { class: 'govuk-warning-text' },
      h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
      h('strong', { class: 'govuk-warning-text__text' },
        h('span', { class: 'govuk-visually-hidden', text: 'Warning' }),
        'Closing the case stops its tasks. A closed case cannot be changed.')),
    fields: [
      { type: 'radios', name: 'reason', label: 'Why is the case closing?', legendSize: 'm', errorLabel: 'why the case is closing', items: options(cfg.closure_reasons) },
      { type: 'datetime', name: 'closed_at', label: 'When did the case close?', value: 'now', errorLabel: 'when the case closed' },
    ],
    body: (v) => {
      const b = { version: c.version, reason: v.reason || null };
      if (v.closed_at) b.closed_at = v.closed_at;
      return b;
    },
    send: (b) => api('POST', `/api/v1/cases/${c.id}/closure`, b),
  }),
};

export async function render(ctx) {
  const id = ctx.params[0];
  const [c, cfg, t] = await Promise.all([api('GET', `/api/v1/cases/${id}`), config(),
    ctx.mode === 'allocation' ? teams() : null]);
  const make = FORMS[ctx.mode];
  const spec = make ? make(c, cfg, ctx, t) : null;
  const back = `/cases/${c.id}`;
  if (!spec) {
    return { title: 'Not found', node: [pageHeading('Not found'), h('p', { class: 'govuk-body' }, link(back, 'Back to the case'))] };
  }
  if (c.status !== 'open') {
    return {
      title: spec.title,
      node: [
        pageHeading(spec.title, { caption: personName(c) }),
        paragraph('This case is closed, so it cannot be changed.'),
        h('p', { class: 'govuk-body' }, link(back, 'Back to the case')),
      ],
    };
  }
  return formPage(ctx, {
    ...spec,
    caption: personName(c),
    what: spec.what || 'this case',
    cancel: { href: back, text: 'Cancel' },
    saved: () => {
      ctx.flash({ type: 'success', heading: spec.saved });
      ctx.navigate(back);
    },
  });
}
