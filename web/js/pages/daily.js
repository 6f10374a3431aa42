// The daily tasking list: the home page after sign-in for managers, practitioners and police
// intelligence officers (GET /api/v1/dashboard/daily?scope=team|all). New referrals awaiting
// a decision with the time left, tasks overdue (and how many of each type) and due today,
// overdue meeting actions, high-risk children not seen in 7 days, flags due for review and
// young people reaching 17½ without a transition plan. Every line links to its record.
// The team/all choice is remembered for the browser tab (it is not personal data).

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, radios, button, table, paragraph, link, tag,
} from '../govuk.js';
import { api, query } from '../api.js';
import { formatDate, formatDateTime, fullName } from '../format.js';
import { radioValue } from '../forms.js';
import {
  config, labels, timeLeft, CAN_WRITE_REFERRALS, CAN_DECIDE, CAN_WRITE_CASES,
} from '../casework.js';
import { CAN_READ_PERSONS, CAN_WRITE_PERSONS } from '../roles.js';

const SCOPE_KEY = 'safehub.dailyScope';

function personName(p) {
  return p ? (fullName(p) || `Person ${p.id}`) : 'Not a named person';
}

function teamAndWorker(team, worker) {
  const w = worker && (worker.display_name || worker.username);
  if (!team && !w) return '';
  return w ? `${team || 'No team'} (${w})` : `${team} (not allocated)`;
}

function more(shown, total) {
  return total > shown ? paragraph(`Showing the first ${shown} of ${total}.`, 'govuk-body-s') : null;
}

function section(id, heading, count, content) {
  return h('section', { class: 'app-section', 'aria-labelledby': `${id}-heading` },
    h('h2', { class: 'govuk-heading-m', id: `${id}-heading` }, heading,
      h('span', { class: 'govuk-visually-hidden', text: `: ${count}` })),
    content);
}

// The at-a-glance counts, each linking to its section below.
function counts(d) {
  const t = d.totals || {};
  const n = (k) => (typeof t[k] === 'number' ? t[k] : (d[k] || []).length);
  const items = [
    ['referrals', n('referrals_awaiting_decision'), 'referrals awaiting a decision', true],
    ['overdue', n('tasks_overdue'), 'tasks overdue', true],
    ['today', n('tasks_due_today'), 'tasks due today', false],
    ['actions', n('overdue_actions'), 'meeting actions overdue', true],
    ['not-seen', n('high_risk_not_seen'), 'high-risk children not seen in 7 days', true],
    ['flags', n('flags_due_for_review'), 'flags due for review', false],
    ['transitions', n('transitions_due'), 'transition plans needed', false],
  ];
  return h('ul', { class: 'app-counts', 'aria-label': 'Summary' },
    items.map(([id, count, label, alert]) => h('li', { class: 'app-counts__item' },
      h('a', { class: ['govuk-link', 'app-count', alert && count > 0 && 'app-count--alert'], href: `#${id}-heading` },
        h('span', { class: 'app-count__number', text: String(count) }),
        h('span', { class: 'app-count__label', text: label })))));
}

function taskRows(tasks, { overdue }) {
  return tasks.map((t) => [
    t.name || t.standard,
    { content: link(t.link || (t.case_id ? `/cases/${t.case_id}` : `/persons/${t.person && t.person.id}`), personName(t.person)), class: 'app-wrap' },
    teamAndWorker(t.team, t.worker),
    formatDateTime(t.due_at),
    timeLeft(t.hours_left, overdue || t.overdue),
  ]);
}

function draw(d, cfg) {
  const meetingLabel = (code) => labels(cfg.meeting_types, [code])[0] || '';
  const t = d.totals || {};
  const referrals = d.referrals_awaiting_decision || [];
  const overdue = d.tasks_overdue || [];
  const today = d.tasks_due_today || [];
  const actions = d.overdue_actions || [];
  const notSeen = d.high_risk_not_seen || [];
  const flags = d.flags_due_for_review || [];
  const transitions = d.transitions_due || [];
  return [
    counts(d),
    section('referrals', 'New referrals awaiting a decision', referrals.length, referrals.length
      ? [table({
        id: 'daily-referrals', label: 'New referrals awaiting a decision',
        head: ['Person', 'Received', 'Source', 'Decision due', 'Time left'],
        rows: referrals.map((x) => {
          const r = x.referral || {};
          return [
            { content: link(x.link || `/referrals/${r.id}`, r.person ? personName(r.person) : (r.subject_ref || `Referral ${r.id}`)), class: 'app-wrap' },
            formatDateTime(r.received_at),
            r.source_label || labels(cfg.referral_sources, [r.source_code])[0],
            formatDateTime(x.due_at),
            { content: timeLeft(x.hours_left, x.overdue), class: x.overdue ? 'app-cell--overdue' : null },
          ];
        }),
      }), more(referrals.length, t.referrals_awaiting_decision)]
      : paragraph('No referrals are waiting for a decision.')),
    section('overdue', 'Overdue tasks', overdue.length, overdue.length
      ? [
        h('ul', { class: 'govuk-list', 'aria-label': 'Overdue tasks by type' },
          (d.overdue_by_type || []).map((x) => h('li', {}, h('strong', { text: String(x.count) }), ` ${x.name}`))),
        table({ id: 'daily-overdue', label: 'Overdue tasks', head: ['Task', 'Person', 'Team and worker', 'Was due', 'Overdue'], rows: taskRows(overdue, { overdue: true }) }),
        more(overdue.length, t.tasks_overdue),
      ]
      : paragraph('No tasks are overdue.')),
    section('today', 'Tasks due today', today.length, today.length
      ? [table({ id: 'daily-today', label: 'Tasks due today', head: ['Task', 'Person', 'Team and worker', 'Due', 'Time left'], rows: taskRows(today, { overdue: false }) }),
        more(today.length, t.tasks_due_today)]
      : paragraph('No tasks are due today.')),
    section('actions', 'Overdue actions from meetings', actions.length, actions.length
      ? [table({
        id: 'daily-actions', label: 'Overdue actions from meetings',
        head: ['Action', 'Owner', 'Was due', 'Person', 'Meeting'],
        rows: actions.map((x) => [
          { content: x.action.what, class: 'app-wrap' },
          { content: x.action.owner, class: 'app-wrap' },
          formatDate(x.action.due_date),
          { content: personName(x.person), class: 'app-wrap' },
          link(x.meeting_id ? `/meetings/${x.meeting_id}` : (x.link || '/'),
            [meetingLabel(x.meeting_type), formatDate((x.held_at || '').slice(0, 10))].filter(Boolean).join(', ') || 'Meeting'),
        ]),
      }), more(actions.length, t.overdue_actions)]
      : paragraph('No meeting actions are overdue.')),
    section('not-seen', 'High-risk children not seen in the last 7 days', notSeen.length, notSeen.length
      ? [table({
        id: 'daily-not-seen', label: 'High-risk children not seen in the last 7 days',
        head: ['Person', 'Team and worker', 'Last seen', { text: 'Days', numeric: true }],
        rows: notSeen.map((x) => [
          { content: link(x.link || `/cases/${x.case_id}`, personName(x.person)), class: 'app-wrap' },
          teamAndWorker(x.team, x.worker),
          x.last_seen_at ? formatDateTime(x.last_seen_at) : 'Not seen since the case opened',
          { content: String(x.days_since ?? ''), numeric: true },
        ]),
      }), more(notSeen.length, t.high_risk_not_seen)]
      : paragraph('Every high-risk child has been seen in the last 7 days.')),
    section('flags', 'Flags due for review', flags.length, flags.length
      ? [table({
        id: 'daily-flags', label: 'Flags due for review',
        head: ['Flag', 'Person', 'Review date', 'On police systems'],
        rows: flags.map((x) => [
          x.flag.kind_label || labels(cfg.flag_types, [x.flag.kind])[0],
          { content: link(x.link || `/cases/${x.case_id}`, personName(x.person)), class: 'app-wrap' },
          formatDate(x.flag.review_date),
          x.flag.police_flag ? 'Yes' : 'No',
        ]),
      }), more(flags.length, t.flags_due_for_review)]
      : paragraph('No flags are due for review.')),
    section('transitions', 'Young people reaching 17½ without a transition plan', transitions.length, transitions.length
      ? [table({
        id: 'daily-transitions', label: 'Young people reaching 17½ without a transition plan',
        head: ['Person', 'Team and worker', '17½ on'],
        rows: transitions.map((x) => [
          { content: link(x.link || `/cases/${x.case_id}`, personName(x.person)), class: 'app-wrap' },
          teamAndWorker(x.team, x.worker),
          x.past ? h('span', {}, tag('Past', 'red'), ' ', formatDate(x.seventeen_and_half)) : formatDate(x.seventeen_and_half),
        ]),
      }), more(transitions.length, t.transitions_due)]
      : paragraph('No young person needs a transition plan yet.')),
    paragraph(`Updated ${formatDateTime(d.generated_at)}.`, 'govuk-body-s'),
  ];
}

export async function render(ctx) {
  const { user } = ctx;
  // Case workers start with their own team; others (police intelligence) with the whole hub.
  const key = `${SCOPE_KEY}.${user.username}`;
  let scope = ctx.memory.scope || sessionStorage.getItem(key) || (user.team && CAN_WRITE_CASES.includes(user.role) ? 'team' : 'all');
  if (!user.team) scope = 'all';
  const [d, cfg] = await Promise.all([api('GET', `/api/v1/dashboard/daily${query({ scope })}`), config()]);
  const results = h('div', { id: 'daily-results' }, draw(d, cfg));

  async function onScope(e) {
    e.preventDefault();
    const want = radioValue(e.currentTarget, 'scope') || 'team';
    const fresh = await api('GET', `/api/v1/dashboard/daily${query({ scope: want })}`);
    scope = want;
    ctx.memory.scope = want;
    sessionStorage.setItem(key, want);
    replace(results, draw(fresh, cfg));
    initAll({ scope: results });
    const first = results.querySelector('.app-counts');
    if (first) { first.setAttribute('tabindex', '-1'); first.focus(); }
  }

  const links = [
    CAN_READ_PERSONS.includes(user.role) ? ['/persons', 'Find a person'] : null,
    CAN_WRITE_PERSONS.includes(user.role) ? ['/persons/new', 'Add a person'] : null,
    CAN_DECIDE.includes(user.role) || CAN_WRITE_REFERRALS.includes(user.role) ? ['/referrals', 'Referrals awaiting a decision'] : null,
    ['/cases', 'Open cases'],
  ].filter(Boolean);

  return {
    title: 'Daily tasking',
    node: [
      pageHeading('Daily tasking', { caption: formatDate(d.today) || undefined }),
      h('div', { class: 'govuk-grid-row' },
        h('div', { class: 'govuk-grid-column-two-thirds' },
          user.team
            ? h('form', { novalidate: true, id: 'scope-form', class: 'app-filter', onsubmit: onScope },
              radios({
                id: 'scope', legend: 'Show tasks for', legendSize: 's', inline: true, value: scope,
                items: [{ value: 'team', text: `My team (${user.team})` }, { value: 'all', text: 'All teams' }],
              }),
              button({ text: 'Show', id: 'show-scope', secondary: true }))
            : paragraph('Showing tasks for all teams.')),
        h('div', { class: 'govuk-grid-column-one-third' },
          h('h2', { class: 'govuk-heading-s', text: 'Go to' }),
          h('ul', { class: 'govuk-list' }, links.map(([href, text]) => h('li', {}, link(href, text)))))),
      results,
    ],
  };
}
