// A case (/cases/{id}): who it is about, team and worker, strands, risk level and status; the
// running tasks (practice-standard clocks) with their due times; and the record: assessments,
// meetings and open actions, contacts, notes with the young person's voice, supervision, flags,
// feedback, the transition plan and the allocation history. Links lead to the one-thing-per-page
// forms (case-forms.js, meeting-form.js, assessment-form.js). Writes are offered to those who
// may make them: practitioners on their own team's cases, managers on any; supervision,
// reallocation and closure to managers only. A closed case offers no changes.

import { h } from '../dom.js';
import {
  pageHeading, summaryCard, table, notificationBanner, tag, paragraph, link,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { formatDate, formatDateTime, fullName } from '../format.js';
import {
  config, labels, bulletList, riskTag, levelLabel, timeLeft, hoursUntil, CAN_WRITE_CASES, CAN_MANAGE_CASES,
} from '../casework.js';

function personName(c) {
  return c.person ? (fullName(c.person) || `Person ${c.person.id}`) : `Case ${c.id}`;
}

function workerName(w) {
  return w ? (w.display_name || w.username) : '';
}

function newestFirst(list, key) {
  return [...(list || [])].sort((a, b) => String(b[key] || '').localeCompare(String(a[key] || '')));
}

function sectionHeading(id, text) {
  return h('h2', { class: 'govuk-heading-l govuk-!-margin-top-8', id, text });
}

function seenText(x) {
  if (!x.seen) return 'No';
  return x.seen_alone ? 'Yes, alone' : 'Yes';
}

export async function render(ctx) {
  const id = ctx.params[0];
  const [c, cfg] = await Promise.all([api('GET', `/api/v1/cases/${id}`), config()]);
  const [meetings, assessments] = await Promise.all([
    api('GET', `/api/v1/meetings?case_id=${encodeURIComponent(c.id)}`).then((r) => r.items || []).catch((e) => { if (e instanceof ApiError) return null; throw e; }),
    api('GET', `/api/v1/assessments?person_id=${encodeURIComponent(c.person_id)}`).then((r) => (r.items || []).filter((a) => a.case_id === c.id)).catch((e) => { if (e instanceof ApiError) return null; throw e; }),
  ]);
  const flash = ctx.takeFlash();
  const open = c.status === 'open';
  const role = ctx.user.role;
  const canWrite = open && CAN_WRITE_CASES.includes(role) && (CAN_MANAGE_CASES.includes(role) || c.team === ctx.user.team);
  const canManage = open && CAN_MANAGE_CASES.includes(role);
  const base = `/cases/${c.id}`;

  const actions = [
    canWrite && [`${base}/contacts/new`, 'Record a contact', 'record-contact'],
    canWrite && [`${base}/notes/new`, 'Add a case note', 'add-note'],
    canWrite && [`${base}/assessments/new`, 'Complete a risk assessment', 'complete-assessment'],
    canWrite && [`${base}/meetings/new`, 'Record a meeting', 'record-meeting'],
    canWrite && [`${base}/flags/new`, 'Set a flag', 'set-flag'],
    canWrite && [`${base}/feedback/new`, 'Record feedback', 'record-feedback'],
    canWrite && [`${base}/transition-plan`, c.transition_plan ? 'Change the transition plan' : 'Write the transition plan', 'transition-plan'],
    canWrite && [`${base}/strands`, 'Change strands', 'change-strands'],
    canManage && [`${base}/supervisions/new`, 'Record supervision', 'record-supervision'],
    canManage && [`${base}/allocation`, 'Reallocate', 'reallocate'],
    canManage && [`${base}/closure`, 'Close the case', 'close-case'],
  ].filter(Boolean);

  const contents = [
    ['tasks', 'Tasks and timescales'], ['assessments', 'Risk assessments'], ['meetings', 'Meetings and actions'],
    ['contacts', 'Contacts'], ['notes', 'Notes'], ['supervision', 'Supervision'], ['flags', 'Flags'],
    ['feedback', 'Feedback'], ['transition', 'Transition plan'], ['allocations', 'Allocation history'],
  ];

  const clocks = [...(c.clocks || [])].sort((a, b) => String(a.due_at).localeCompare(String(b.due_at)));
  const openActions = (meetings || []).flatMap((m) => (m.actions || []).filter((a) => !a.done).map((a) => ({ ...a, meeting: m })));
  const meetingLabel = (code) => labels(cfg.meeting_types, [code])[0];

  const summary = summaryCard({
    title: 'Case',
    rows: [
      { key: 'Person', value: c.person ? h('a', { class: 'govuk-link', href: `/persons/${c.person.id}`, text: `${personName(c)} (the whole story)` }) : '' },
      { key: 'Status', value: open ? tag('Open', 'blue') : tag('Closed', 'grey') },
      { key: 'Current risk', value: riskTag(c.risk_level) },
      { key: 'Risk when opened', value: c.opening_risk ? levelLabel(c.opening_risk) : '' },
      { key: 'Team', value: c.team },
      { key: 'Worker', value: c.worker ? workerName(c.worker) : 'Not allocated' },
      { key: 'Strands', value: bulletList(labels(cfg.strands, c.strands)) },
      { key: 'Opened', value: formatDateTime(c.opened_at) },
      c.referral_id ? { key: 'Referral', value: h('a', { class: 'govuk-link', href: `/referrals/${c.referral_id}`, text: 'View the referral' }) } : null,
      !open ? { key: 'Closed', value: formatDateTime(c.closed_at) } : null,
      !open ? { key: 'Reason for closing', value: labels(cfg.closure_reasons, [c.closure_reason])[0] } : null,
      !open ? { key: 'Risk at closure', value: c.closure_risk ? levelLabel(c.closure_risk) : '' } : null,
    ].filter(Boolean),
  });

  const node = [
    flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
    pageHeading(personName(c), { caption: 'Case', size: 'xl' }),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' }, summary),
      h('div', { class: 'govuk-grid-column-one-third' },
        actions.length ? h('nav', { class: 'app-side-nav', 'aria-labelledby': 'case-actions-heading' },
          h('h2', { class: 'govuk-heading-s', id: 'case-actions-heading', text: 'Record' }),
          h('ul', { class: 'govuk-list' }, actions.map(([href, text, aid]) => h('li', {}, h('a', { class: 'govuk-link', href, id: aid, text }))))) : null,
        !open ? paragraph('This case is closed, so it cannot be changed.') : null,
        h('nav', { class: 'app-side-nav', 'aria-labelledby': 'case-contents-heading' },
          h('h2', { class: 'govuk-heading-s', id: 'case-contents-heading', text: 'On this page' }),
          h('ul', { class: 'govuk-list' }, contents.map(([aid, text]) => h('li', {}, link(`#${aid}`, text))))))),

    sectionHeading('tasks', 'Tasks and timescales'),
    clocks.length ? table({
      id: 'case-tasks', label: 'Tasks and timescales',
      head: ['Task', 'Due', 'Time left', 'Worker'],
      rows: clocks.map((t) => {
        const hours = typeof t.hours_left === 'number' ? t.hours_left : hoursUntil(t.due_at);
        return [t.name || t.standard, formatDateTime(t.due_at), timeLeft(hours, t.overdue), workerName(t.worker) || t.team || ''];
      }),
    }) : paragraph(open ? 'No tasks are running.' : 'The case is closed: its tasks have stopped.'),

    sectionHeading('assessments', 'Risk assessments'),
    assessments === null ? paragraph('The risk assessments could not be loaded.')
      : (assessments.length ? table({
        id: 'case-assessments', label: 'Risk assessments',
        head: ['Date', { text: 'Score', numeric: true }, 'Level', 'Overridden', 'Assessor', 'Assessment'],
        rows: newestFirst(assessments, 'assessed_at').map((a) => [
          formatDateTime(a.assessed_at), { content: String(a.score ?? ''), numeric: true }, riskTag(a.final_level),
          a.override_level ? `Yes, from ${levelLabel(a.computed_level)}` : 'No', a.assessor || '',
          h('a', { class: 'govuk-link', href: `/assessments/${a.id}` }, 'View', h('span', { class: 'govuk-visually-hidden', text: ` the assessment of ${formatDateTime(a.assessed_at)}` })),
        ]),
      }) : paragraph('No risk assessment has been completed on this case yet.')),

    sectionHeading('meetings', 'Meetings and actions'),
    meetings === null ? paragraph('The meetings could not be loaded.') : [
      meetings.length ? table({
        id: 'case-meetings', label: 'Meetings',
        head: ['Date', 'Meeting', { text: 'Attending', numeric: true }, { text: 'Open actions', numeric: true }, 'Next review'],
        rows: newestFirst(meetings, 'held_at').map((m) => [
          formatDateTime(m.held_at), link(`/meetings/${m.id}`, meetingLabel(m.type)),
          { content: String((m.attendees || []).length), numeric: true },
          { content: String((m.actions || []).filter((a) => !a.done).length), numeric: true },
          formatDate(m.next_review),
        ]),
      }) : paragraph('No meetings have been recorded on this case.'),
      openActions.length ? [
        h('h3', { class: 'govuk-heading-m', text: 'Open actions' }),
        table({
          id: 'case-actions', label: 'Open actions',
          head: ['Action', 'Owner', 'Due', 'Meeting'],
          rows: openActions.sort((a, b) => String(a.due_date).localeCompare(String(b.due_date))).map((a) => [
            { content: a.what, class: 'app-wrap' }, { content: a.owner, class: 'app-wrap' },
            a.overdue ? h('span', {}, tag('Overdue', 'red'), ' ', formatDate(a.due_date)) : formatDate(a.due_date),
            link(`/meetings/${a.meeting.id}`, `${meetingLabel(a.meeting.type)}, ${formatDate((a.meeting.held_at || '').slice(0, 10))}`),
          ]),
        })] : null,
    ],

    sectionHeading('contacts', 'Contacts'),
    (c.contacts || []).length ? table({
      id: 'case-contacts', label: 'Contacts',
      head: ['When', 'Type', 'Seen', 'Where', 'Summary', 'By'],
      rows: newestFirst(c.contacts, 'contact_at').map((x) => [
        formatDateTime(x.contact_at), x.kind_label || labels(cfg.contact_types, [x.kind])[0], seenText(x),
        { content: x.location, class: 'app-wrap' }, { content: x.summary, class: 'app-pre-line app-wrap' }, x.by || '',
      ]),
    }) : paragraph('No contacts have been recorded.'),

    sectionHeading('notes', 'Notes'),
    (c.notes || []).length ? h('ol', { class: 'app-notes', 'aria-label': 'Notes, newest first' },
      newestFirst(c.notes, 'at').map((n) => h('li', { class: 'app-note' },
        h('p', { class: 'govuk-body-s app-note__meta' }, h('time', { datetime: n.at, text: formatDateTime(n.at) }), n.by ? ` by ${n.by}` : ''),
        h('p', { class: 'govuk-body app-pre-line app-wrap', text: n.note }),
        n.child_voice ? h('div', { class: 'govuk-inset-text app-voice' },
          h('p', { class: 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1', text: 'The young person’s voice' }),
          h('p', { class: 'govuk-body app-pre-line app-wrap govuk-!-margin-bottom-0', text: n.child_voice })) : null)))
      : paragraph('No notes have been added.'),

    sectionHeading('supervision', 'Supervision'),
    (c.supervisions || []).length ? table({
      id: 'case-supervisions', label: 'Supervision',
      head: ['When', 'Discussion', 'Decisions', 'Next due', 'By'],
      rows: newestFirst(c.supervisions, 'held_at').map((s) => [
        formatDateTime(s.held_at), { content: s.discussion, class: 'app-pre-line app-wrap' },
        { content: s.decisions, class: 'app-pre-line app-wrap' }, formatDate(s.next_due), s.by || '',
      ]),
    }) : paragraph('No supervision has been recorded.'),

    sectionHeading('flags', 'Flags'),
    (c.flags || []).length ? table({
      id: 'case-flags', label: 'Flags',
      head: ['Flag', 'Note', 'Set', 'Review date', 'On police systems', 'Status'],
      rows: newestFirst(c.flags, 'set_at').map((f) => [
        labels(cfg.flag_types, [f.kind])[0], { content: f.note, class: 'app-pre-line app-wrap' }, formatDateTime(f.set_at),
        formatDate(f.review_date), f.police_flag ? 'Yes' : 'No',
        f.removed_at ? `Removed ${formatDateTime(f.removed_at)}`
          : (canWrite ? h('a', { class: 'govuk-link', href: `${base}/flags/${f.id}` }, 'Review or remove',
            h('span', { class: 'govuk-visually-hidden', text: ` the flag set ${formatDateTime(f.set_at)}` })) : 'Active'),
      ]),
    }) : paragraph('No flags have been set.'),

    sectionHeading('feedback', 'Feedback from the young person'),
    (c.feedback || []).length ? table({
      id: 'case-feedback', label: 'Feedback',
      head: ['When', 'Stage', 'Score', 'What they said'],
      rows: newestFirst(c.feedback, 'at').map((f) => [
        formatDateTime(f.at), f.stage === 'closure' ? 'Closure' : 'Review', `${f.score} out of 5`, { content: f.words, class: 'app-pre-line app-wrap' },
      ]),
    }) : paragraph('No feedback has been recorded.'),

    sectionHeading('transition', 'Transition plan'),
    c.transition_plan
      ? [h('p', { class: 'govuk-body app-pre-line app-wrap', text: c.transition_plan }),
        c.transition_plan_at ? paragraph(`Written ${formatDateTime(c.transition_plan_at)}.`, 'govuk-body-s') : null]
      : paragraph('There is no transition plan.'),

    sectionHeading('allocations', 'Allocation history'),
    (c.allocations || []).length ? table({
      id: 'case-allocations', label: 'Allocation history',
      head: ['From', 'Team', 'Worker', 'Reason', 'By'],
      rows: newestFirst(c.allocations, 'from_at').map((a) => [
        formatDateTime(a.from_at), a.team || '', workerName(a.worker) || 'Not allocated', { content: a.reason, class: 'app-wrap' }, a.by || '',
      ]),
    }) : paragraph('No allocations have been recorded.'),
  ];
  // Not the name: titles are kept in the browser's history, and names are sensitive.
  return { title: 'Case', node };
}
