// The person's whole story (GET /api/v1/persons/{id}/story), for the person page: the open case
// and worker, strands and current risk; the risk trajectory chart with its table; referrals,
// cases, meetings and actions, contacts, flags, feedback, and the chronological timeline
// (newest first). person.js calls personCasework() and places what it returns; everything
// here is built from text, never HTML.

import { h, replace } from './dom.js';
import {
  summaryCard, table, paragraph, link, tag, linkButton, button,
} from './govuk.js';
import { api, ApiError } from './api.js';
import { formatDate, formatDateTime } from './format.js';
import {
  config, labels, bulletList, riskTag, CAN_READ_CASES, CAN_WRITE_REFERRALS, CAN_WRITE_CASES,
} from './casework.js';
import { riskChart, riskTable } from './chart.js';

// How the person page's "Who has viewed this record" table names the casework audit actions.
export const CASEWORK_ACTIONS = {
  'person.story': 'Viewed the whole story',
  'referral.create': 'Recorded a referral',
  'referral.decide': 'Decided a referral',
  'referral.view': 'Viewed a referral',
  'referral.list': 'Listed referrals',
  'case.open': 'Opened a case',
  'case.view': 'Viewed the case',
  'case.list': 'Listed cases',
  'case.update': 'Changed the case',
  'case.allocate': 'Reallocated the case',
  'case.close': 'Closed the case',
  'case.contact': 'Recorded a contact',
  'case.note': 'Added a case note',
  'case.supervision': 'Recorded supervision',
  'case.flag_set': 'Set a flag',
  'case.flag_update': 'Reviewed a flag',
  'case.flag_remove': 'Removed a flag',
  'case.feedback': 'Recorded feedback',
  'case.transition_plan': 'Wrote the transition plan',
  'case.denied': 'Was refused access to casework',
  'assessment.create': 'Completed a risk assessment',
  'assessment.view': 'Viewed a risk assessment',
  'assessment.list': 'Viewed the risk assessments',
  'meeting.create': 'Recorded a meeting',
  'meeting.view': 'Viewed a meeting',
  'meeting.list': 'Viewed the meetings',
  'meeting.denied': 'Was refused access to a meeting',
  'action.update': 'Updated a meeting action',
  'dashboard.daily': 'Saw them on the daily tasking list',
};

const CONTACTS_SHOWN = 20;
const TIMELINE_SHOWN = 30;

const KINDS = {
  referral_received: 'Referral received',
  referral_decided: 'Referral decided',
  case_opened: 'Case opened',
  case_closed: 'Case closed',
  allocation: 'Allocation',
  contact: 'Contact',
  note: 'Note',
  supervision: 'Supervision',
  meeting: 'Meeting',
  action: 'Action',
  assessment: 'Risk assessment',
  flag: 'Flag',
  flag_set: 'Flag set',
  flag_removed: 'Flag removed',
  feedback: 'Feedback',
  transition_plan: 'Transition plan',
};

function kindLabel(k) {
  if (KINDS[k]) return KINDS[k];
  const s = String(k || '').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function heading(id, text, level = 'h2') {
  return h(level, { class: level === 'h2' ? 'govuk-heading-l govuk-!-margin-top-8' : 'govuk-heading-m', id, text });
}

function newestFirst(list, key) {
  return [...(list || [])].sort((a, b) => String(b[key] || '').localeCompare(String(a[key] || '')));
}

function workerName(w) {
  return w ? (w.display_name || w.username) : '';
}

// The open case (or that there is none), as a summary card.
function currentCase(story, cfg) {
  const c = story.open_case;
  if (!c) {
    const closed = (story.cases || []).length;
    return summaryCard({
      title: 'Current case',
      rows: [{ key: 'Open case', value: closed ? `No open case (${closed} closed)` : 'No case has been opened' },
        { key: 'Current risk', value: riskTag(lastLevel(story)) }],
    });
  }
  const overdue = (c.clocks || []).filter((t) => t.overdue).length;
  return summaryCard({
    title: 'Current case',
    actions: [{ href: `/cases/${c.id}`, text: 'View the case' }],
    rows: [
      { key: 'Team', value: c.team },
      { key: 'Worker', value: c.worker ? workerName(c.worker) : 'Not allocated' },
      { key: 'Strands', value: bulletList(labels(cfg.strands, c.strands)) },
      { key: 'Current risk', value: riskTag(c.risk_level) },
      { key: 'Opened', value: formatDateTime(c.opened_at) },
      { key: 'Tasks', value: (c.clocks || []).length
        ? h('span', {}, `${c.clocks.length} running`, overdue ? [', ', tag(`${overdue} overdue`, 'red')] : null) : 'None running' },
    ],
  });
}

function lastLevel(story) {
  const a = story.assessments || [];
  return a.length ? a[a.length - 1].final_level : null;
}

function timelineList(items) {
  return h('ol', { class: 'app-timeline', id: 'timeline' },
    items.map((e) => h('li', { class: 'app-timeline__item' },
      h('p', { class: 'govuk-body-s app-timeline__meta' },
        h('time', { datetime: e.at, text: formatDateTime(e.at) }), ' · ', h('strong', { text: kindLabel(e.kind) })),
      h('p', { class: 'govuk-body govuk-!-margin-bottom-0 app-wrap' }, e.summary || '',
        e.link && e.link !== '/' ? [' ', h('a', { class: 'govuk-link', href: e.link }, 'View',
          h('span', { class: 'govuk-visually-hidden', text: ` the ${kindLabel(e.kind).toLowerCase()} of ${formatDateTime(e.at)}` }))] : null))));
}

// The risk trajectory: the chart, and the same assessments as a table (its text alternative).
function trajectory(story) {
  return h('div', { class: 'app-trajectory' },
    h('h2', { class: 'govuk-heading-l', id: 'risk-trajectory', text: 'Risk trajectory' }),
    (story.assessments || []).length
      ? [riskChart(story.assessments), riskTable(story.assessments)]
      : paragraph('No risk assessment has been completed yet.'));
}

function sections(story, cfg) {
  const meetingLabel = (code) => labels(cfg.meeting_types, [code])[0] || 'Meeting';
  const meetings = newestFirst(story.meetings, 'held_at');
  const openActions = meetings.flatMap((m) => (m.actions || []).filter((a) => !a.done).map((a) => ({ ...a, meeting: m })));
  const contacts = newestFirst(story.contacts, 'contact_at');
  const timeline = story.timeline || [];
  const timelineBox = h('div', { id: 'timeline-box' });
  function showTimeline(all) {
    const shown = all ? timeline : timeline.slice(0, TIMELINE_SHOWN);
    replace(timelineBox,
      timeline.length ? timelineList(shown) : paragraph('Nothing has been recorded yet.'),
      !all && timeline.length > shown.length
        ? button({
          text: `Show all ${timeline.length} events`, type: 'button', secondary: true, id: 'timeline-all',
          onClick: () => {
            showTimeline(true);
            const next = timelineBox.querySelector(`li:nth-child(${TIMELINE_SHOWN + 1})`);
            if (next) { next.setAttribute('tabindex', '-1'); next.focus(); }
          },
        }) : null);
  }
  showTimeline(false);

  return [
    heading('referrals', 'Referrals'),
    (story.referrals || []).length ? table({
      id: 'story-referrals', label: 'Referrals',
      head: ['Received', 'Source', 'Strands', 'Outcome', 'Referral'],
      rows: newestFirst(story.referrals, 'received_at').map((r) => [
        formatDateTime(r.received_at),
        r.source_label || labels(cfg.referral_sources, [r.source_code])[0],
        labels(cfg.strands, r.strands).join(', '),
        r.status === 'awaiting_decision' ? tag('Awaiting decision', 'blue')
          : h('span', {}, r.outcome_label || labels(cfg.decision_outcomes, [r.outcome])[0], r.decision_late ? [' ', tag('Late', 'orange')] : null),
        h('a', { class: 'govuk-link', href: `/referrals/${r.id}` }, 'View',
          h('span', { class: 'govuk-visually-hidden', text: ` the referral received ${formatDateTime(r.received_at)}` })),
      ]),
    }) : paragraph('There are no referrals.'),

    heading('cases', 'Cases'),
    (story.cases || []).length ? table({
      id: 'story-cases', label: 'Cases',
      head: ['Opened', 'Closed', 'Team', 'Worker', 'Risk', 'Case'],
      rows: newestFirst(story.cases, 'opened_at').map((c) => [
        formatDate((c.opened_at || '').slice(0, 10)),
        c.closed_at ? formatDate(c.closed_at.slice(0, 10)) : tag('Open', 'blue'),
        c.team || '', c.worker ? workerName(c.worker) : 'Not allocated',
        riskTag(c.status === 'open' ? c.risk_level : (c.closure_risk || c.risk_level)),
        h('a', { class: 'govuk-link', href: `/cases/${c.id}` }, 'View',
          h('span', { class: 'govuk-visually-hidden', text: ` the case opened ${formatDate((c.opened_at || '').slice(0, 10))}` })),
      ]),
    }) : paragraph('No case has been opened.'),

    heading('meetings', 'Meetings and actions'),
    meetings.length ? table({
      id: 'story-meetings', label: 'Meetings',
      head: ['Date', 'Meeting', 'Decisions', 'Actions done'],
      rows: meetings.map((m) => [
        formatDate((m.held_at || '').slice(0, 10)),
        link(`/meetings/${m.id}`, meetingLabel(m.type)),
        { content: m.decisions, class: 'app-wrap' },
        `${(m.actions || []).filter((a) => a.done).length} of ${(m.actions || []).length}`,
      ]),
    }) : paragraph('No meetings have been recorded.'),
    openActions.length ? [
      heading('open-actions', 'Open actions', 'h3'),
      table({
        id: 'story-actions', label: 'Open actions',
        head: ['Action', 'Owner', 'Due', 'Meeting'],
        rows: openActions.sort((a, b) => String(a.due_date).localeCompare(String(b.due_date))).map((a) => [
          { content: a.what, class: 'app-wrap' }, { content: a.owner, class: 'app-wrap' },
          a.overdue ? h('span', {}, tag('Overdue', 'red'), ' ', formatDate(a.due_date)) : formatDate(a.due_date),
          link(`/meetings/${a.meeting.id}`, `${meetingLabel(a.meeting.type)}, ${formatDate((a.meeting.held_at || '').slice(0, 10))}`),
        ]),
      })] : null,

    heading('contacts', 'Contacts'),
    contacts.length ? [
      contacts.length > CONTACTS_SHOWN ? paragraph(`The latest ${CONTACTS_SHOWN} of ${contacts.length} contacts. The case page lists them all.`) : null,
      table({
        id: 'story-contacts', label: 'Contacts',
        head: ['When', 'Type', 'Seen', 'Summary'],
        rows: contacts.slice(0, CONTACTS_SHOWN).map((x) => [
          formatDateTime(x.contact_at), x.kind_label || labels(cfg.contact_types, [x.kind])[0],
          x.seen ? (x.seen_alone ? 'Yes, alone' : 'Yes') : 'No', { content: x.summary, class: 'app-wrap' },
        ]),
      })] : paragraph('No contacts have been recorded.'),

    heading('flags', 'Flags'),
    (story.flags || []).length ? table({
      id: 'story-flags', label: 'Flags',
      head: ['Flag', 'Set', 'Review date', 'On police systems', 'Status'],
      rows: newestFirst(story.flags, 'set_at').map((f) => [
        f.kind_label || labels(cfg.flag_types, [f.kind])[0], formatDate((f.set_at || '').slice(0, 10)), formatDate(f.review_date),
        f.police_flag ? 'Yes' : 'No', f.removed_at ? `Removed ${formatDate(f.removed_at.slice(0, 10))}` : tag('Active', 'blue'),
      ]),
    }) : paragraph('No flags have been set.'),

    heading('feedback', 'Feedback from the young person'),
    (story.feedback || []).length ? table({
      id: 'story-feedback', label: 'Feedback',
      head: ['When', 'Stage', 'Score', 'What they said'],
      rows: newestFirst(story.feedback, 'at').map((f) => [
        formatDate((f.at || '').slice(0, 10)), f.stage === 'closure' ? 'Closure' : 'Review', `${f.score} out of 5`,
        { content: f.words, class: 'app-pre-line app-wrap' },
      ]),
    }) : paragraph('No feedback has been recorded.'),

    heading('timeline-heading', 'Timeline'),
    paragraph('Everything recorded, newest first.', 'govuk-hint'),
    timelineBox,
  ];
}

// What the person page adds for the casework, by role: {actions: buttons to record a referral
// or an assessment, top: the current case summary, sections: the rest of the story}. Roles
// without case.read get only what they may use; a 403 on the story says so.
export async function personCasework(ctx, person) {
  const role = ctx.user.role;
  const actions = [
    CAN_WRITE_REFERRALS.includes(role) ? linkButton({ href: `/persons/${person.id}/referrals/new`, text: 'Record a referral', secondary: true, id: 'record-referral' }) : null,
    CAN_WRITE_CASES.includes(role) ? linkButton({ href: `/persons/${person.id}/assessments/new`, text: 'Complete a risk assessment', secondary: true, id: 'complete-assessment' }) : null,
  ].filter(Boolean);
  if (!CAN_READ_CASES.includes(role)) return { actions, top: null, sections: null };
  let story;
  let cfg;
  try {
    [story, cfg] = await Promise.all([api('GET', `/api/v1/persons/${person.id}/story`), config()]);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return {
      actions,
      top: null,
      sections: [heading('casework', 'Casework'), paragraph(e.status === 403
        ? 'You cannot see the casework for this person.'
        : 'The casework for this person could not be loaded. Try again later.')],
    };
  }
  return {
    actions,
    top: [currentCase(story, cfg), trajectory(story)],
    sections: sections(story, cfg),
  };
}
