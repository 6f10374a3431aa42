// A missing episode (/missing/{id}; GET /api/v1/missing-episodes/{id}): who went missing, when
// they were last seen, reported and found; where from, M or A, the police force and reference;
// the placement and whether the child is out of area, with the notifications to the other
// authority (each acknowledged here: POST /api/v1/missing-notifications/{id}/acknowledgement
// with the version read, a 409 offering a reload); the police risk grading history, oldest
// first with the latest marked; the return home interview (due time, time left, status); where
// and with whom they were found; the notes. Links lead to the forms (pages/missing-form.js),
// offered to those whose role may use them. Every value is set as text.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, summaryCard, table, notificationBanner, errorSummary, errorMessage, tag, paragraph,
  button, linkButton,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { formatDateTime } from '../format.js';
import { conflictSummary } from '../casework.js';
import { CAN_WRITE_MISSING, CAN_REOPEN_MISSING } from '../roles.js';
import {
  MISSING_FROM, CATEGORIES, GRADES, PLACEMENT_TYPES, textFor, gradeTag, statusTag, rhiTag,
  outOfAreaText, rhiByText, durationText, rhiTimeLeft, personName, yesNo, tagLine,
} from '../missing-episode-ui.js';

function sectionHeading(id, text) {
  return h('h2', { class: 'govuk-heading-l govuk-!-margin-top-8', id, text });
}

function byAt(at, by) {
  return [formatDateTime(at), by && `by ${by}`].filter(Boolean).join(' ');
}

function personLinks(list) {
  if (!list || !list.length) return '';
  const one = (p) => h('a', { class: 'govuk-link', href: `/persons/${p.id}`, text: personName(p) });
  if (list.length === 1) return one(list[0]);
  return h('ul', { class: 'govuk-list' }, list.map((p) => h('li', {}, one(p))));
}

// The grading history, oldest first (the order they were given), the latest marked and bold.
function gradingTable(ep) {
  const history = [...((ep.grading && ep.grading.history) || [])]
    .map((g, i) => ({ g, i }))
    .sort((a, b) => String(a.g.graded_at || '').localeCompare(String(b.g.graded_at || '')) || a.i - b.i)
    .map((x) => x.g);
  if (!history.length) return paragraph('The police have not graded the risk yet.');
  const last = history.length - 1;
  const t = table({
    id: 'gradings', label: 'Police risk grading history',
    head: ['Graded', 'Grade', 'By', 'Note'],
    rows: history.map((g, i) => {
      const bold = i === last ? 'govuk-!-font-weight-bold' : null;
      return [
        { content: h('time', { datetime: g.graded_at, text: formatDateTime(g.graded_at) }), class: bold },
        { content: h('span', {}, gradeTag(g.grade), i === last ? [' ', tag('Latest', 'blue')] : null), class: bold },
        { content: g.graded_by || '', class: ['app-wrap', bold].filter(Boolean).join(' ') },
        { content: g.note || '', class: ['app-pre-line app-wrap', bold].filter(Boolean).join(' ') },
      ];
    }),
  });
  const rows = t.querySelectorAll('tbody tr');
  rows[rows.length - 1].id = 'grading-latest';
  return t;
}

function rhiRows(ep) {
  const r = ep.rhi;
  const returned = ep.status !== 'missing' && Boolean(ep.ended_at);
  const rows = [
    { key: 'Status', value: rhiTag(ep) },
    { key: 'Done by', value: rhiByText(ep) },
    { key: 'Due', value: returned ? formatDateTime(ep.rhi_due_at) : 'Within 72 hours of the return' },
  ];
  const left = rhiTimeLeft(ep);
  if (left) rows.push({ key: 'Time left', value: h('span', { id: 'rhi-time-left', text: left }) });
  if (!r) return rows;
  const within = (b) => (b === true ? 'Yes' : (b === false ? 'No' : ''));
  rows.push(
    { key: 'Offered', value: byAt(r.offered_at, r.offered_by) },
    { key: 'Offered by (organisation)', value: r.offered_org || '', valueClass: 'app-wrap' },
    { key: 'Independent of the carer', value: yesNo(r.independent) },
    { key: 'Offered within 72 hours', value: within(r.offered_within_72h) },
    { key: 'Response', value: [textFor([{ value: 'accepted', text: 'Accepted' }, { value: 'declined', text: 'Declined' }], r.response), r.responded_at && formatDateTime(r.responded_at)].filter(Boolean).join(', ') },
  );
  if (r.response === 'declined') rows.push({ key: 'Why they declined', value: r.declined_reason || '', valueClass: 'app-pre-line app-wrap' });
  rows.push(
    { key: 'Completed', value: formatDateTime(r.completed_at) },
    { key: 'Completed within 72 hours', value: within(r.completed_within_72h) },
    { key: 'Push factors', value: r.push_factors || '', valueClass: 'app-pre-line app-wrap' },
    { key: 'Pull factors', value: r.pull_factors || '', valueClass: 'app-pre-line app-wrap' },
    { key: 'Where they stayed', value: r.stayed_where || '', valueClass: 'app-pre-line app-wrap' },
    { key: 'Who they were with', value: r.stayed_with || '', valueClass: 'app-pre-line app-wrap' },
    { key: 'Exploitation disclosed', value: yesNo(r.exploitation_disclosed) },
    { key: 'Follow-up actions', value: r.follow_up || '', valueClass: 'app-pre-line app-wrap' },
    { key: 'Last recorded', value: byAt(r.updated_at, r.updated_by) },
  );
  return rows;
}

export async function render(ctx) {
  const id = ctx.params[0];
  const ep = await api('GET', `/api/v1/missing-episodes/${id}`);
  const flash = ctx.takeFlash();
  const role = ctx.user.role;
  const canWrite = CAN_WRITE_MISSING.includes(role);
  const missing = ep.status === 'missing' || !ep.ended_at;
  const canReopen = !missing && CAN_REOPEN_MISSING.includes(role);
  const name = personName(ep.person, ep.person_id);
  const base = `/missing/${ep.id}`;
  const problems = h('div', { id: 'episode-problems' });
  const placement = ep.placement || {};
  const notifications = ep.notifications || [];

  function showProblem(node) {
    replace(problems, node);
    ctx.setTitle('Missing episode', { error: true });
    initAll({ scope: problems });
  }

  // One notification: when it was acknowledged, or a form to record who acknowledged it.
  function ackCell(n, error) {
    if (n.acknowledged_at) return `${formatDateTime(n.acknowledged_at)}${n.acknowledged_by ? ` by ${n.acknowledged_by}` : ''}`;
    if (!canWrite) return tag('Not acknowledged', 'yellow');
    const fid = `ack-by-${n.id}`;
    const box = h('div', { id: `ack-${n.id}-box` });
    const input = h('input', {
      class: ['govuk-input', error && 'govuk-input--error'], id: fid, name: fid, type: 'text', autocomplete: 'off',
      'aria-describedby': error ? `${fid}-error` : null,
    });
    const btn = button({ text: 'Record acknowledgement', id: `ack-${n.id}`, secondary: true, classes: 'govuk-!-margin-bottom-0', once: true });
    btn.setAttribute('aria-label', `Record acknowledgement by ${n.to_authority}`);
    const form = h('form', { novalidate: true, id: `ack-form-${n.id}`, onsubmit: (e) => acknowledge(e, n, input, btn, box) },
      h('div', { class: ['govuk-form-group', error && 'govuk-form-group--error'] },
        h('label', { class: 'govuk-label govuk-label--s', for: fid, text: `Who at ${n.to_authority} acknowledged it?` }),
        error ? errorMessage(fid, error) : null,
        input),
      btn);
    return replace(box, form);
  }

  async function acknowledge(e, n, input, btn, box) {
    e.preventDefault();
    const who = input.value.trim();
    const fail = (msg) => {
      const value = input.value;
      const fresh = ackCell(n, msg);
      box.replaceWith(fresh);
      fresh.querySelector('input').value = value;
      showProblem(errorSummary([{ href: `#ack-by-${n.id}`, text: msg }]));
    };
    if (!who) { fail(`Enter who at ${n.to_authority} acknowledged the notification`); return; }
    btn.disabled = true;
    try {
      await api('POST', `/api/v1/missing-notifications/${n.id}/acknowledgement`, { version: n.version, acknowledged_by: who });
    } catch (err) {
      btn.disabled = false;
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 409) {
        showProblem(conflictSummary(() => ctx.reload(), err.detail, 'this notification'));
      } else if (err.status === 422 && err.errors.length) {
        fail(err.errors.map((x) => {
          if (x.field !== 'acknowledged_by') return `${String(x.field || '').replace(/_/g, ' ')} ${x.message || 'is not valid'}`.trim();
          return x.message === 'is required' ? `Enter who at ${n.to_authority} acknowledged the notification`
            : `Who acknowledged it ${x.message || 'is not valid'}`;
        }).join('. '));
      } else {
        showProblem(errorSummary([{ text: err.detail || err.title || 'The acknowledgement could not be recorded. Try again later.' }]));
      }
      return;
    }
    ctx.flash({ type: 'success', heading: 'Acknowledgement recorded' });
    ctx.reload();
  }

  const actions = [
    canWrite && linkButton({ href: `${base}/edit`, text: 'Change details', id: 'edit-episode', secondary: true }),
    canWrite && linkButton({ href: `${base}/grading`, text: 'Add a risk grading', id: 'add-grading', secondary: true }),
    canWrite && missing && linkButton({ href: `${base}/return`, text: 'Record the return', id: 'record-return' }),
    canWrite && !missing && linkButton({
      href: `${base}/rhi`, id: 'record-rhi', secondary: Boolean(ep.rhi_status === 'completed' || ep.rhi_status === 'declined'),
      text: ep.rhi ? 'Update the return home interview' : 'Record the return home interview',
    }),
    canReopen && linkButton({ href: `${base}/reopen`, text: 'Reopen the episode', id: 'reopen-episode', secondary: true }),
  ].filter(Boolean);

  const episodeCard = summaryCard({
    title: 'Episode',
    rows: [
      { key: 'Person', value: ep.person || ep.person_id ? h('a', { class: 'govuk-link', href: `/persons/${ep.person_id || ep.person.id}`, id: 'person-link', text: name }) : '' },
      { key: 'Status', value: statusTag(ep) },
      { key: 'Last seen', value: formatDateTime(ep.started_at) },
      { key: 'Reported missing', value: formatDateTime(ep.reported_at) },
      { key: 'Found or returned', value: missing ? 'Still missing' : formatDateTime(ep.ended_at) },
      { key: missing ? 'Missing for' : 'Duration', value: durationText(ep) },
      { key: 'Missing from', value: textFor(MISSING_FROM, ep.missing_from) },
      { key: 'Category', value: ep.category ? `${ep.category} – ${textFor(CATEGORIES, ep.category)}` : '' },
      { key: 'Police force', value: ep.police_force || '', valueClass: 'app-wrap' },
      { key: 'Police reference', value: ep.police_ref || '', valueClass: 'app-wrap' },
      { key: 'Team', value: ep.team || '', valueClass: 'app-wrap' },
      { key: 'Locality', value: ep.locality || '', valueClass: 'app-wrap' },
      ep.reopened_count ? { key: 'Reopened', value: ep.reopened_count === 1 ? 'Once' : `${ep.reopened_count} times` } : null,
    ].filter(Boolean),
  });

  const placementCard = summaryCard({
    title: 'Placement and out of area',
    rows: [
      { key: 'Looked after', value: yesNo(ep.looked_after) },
      { key: 'Placement type', value: textFor(PLACEMENT_TYPES, placement.type) },
      { key: 'Provider', value: placement.provider || '', valueClass: 'app-wrap' },
      { key: 'Placing authority', value: placement.placing_authority || '', valueClass: 'app-wrap' },
      { key: 'Host authority', value: placement.host_authority || '', valueClass: 'app-wrap' },
      { key: 'Out of area', value: h('span', { id: 'out-of-area', text: outOfAreaText(ep) }) },
      { key: 'Return home interview by', value: rhiByText(ep) },
    ],
  });

  const notificationPart = notifications.length ? [
    h('h3', { class: 'govuk-heading-m', id: 'notifications-heading', text: 'Notifications to the other authority' }),
    table({
      id: 'notifications', label: 'Notifications to the other authority',
      head: ['To', 'Why', 'Return interview by', 'Sent', 'Acknowledged'],
      rows: notifications.map((n) => [
        n.to_authority,
        n.reason === 'placed_here' ? 'Their child is placed here' : 'Our child is placed with them',
        n.rhi_by === 'other' ? n.to_authority : 'Us',
        formatDateTime(n.created_at),
        ackCell(n),
      ]),
    }),
  ] : (ep.out_of_area ? paragraph('No notification has been recorded for this episode.') : null);

  const grading = ep.grading || {};
  const node = [
    problems,
    flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
    pageHeading(name, { caption: 'Missing episode', size: 'xl' }),
    tagLine([statusTag(ep), gradeTag(grading.latest), !missing ? rhiTag(ep) : null], 'episode-tags'),
    actions.length ? h('div', { class: 'govuk-button-group', id: 'episode-actions' }, actions) : null,
    episodeCard,
    placementCard,
    notificationPart,

    sectionHeading('grading', 'Police risk grading'),
    grading.latest ? paragraph(`Latest: ${textFor(GRADES, grading.latest)}. Highest in this episode: ${textFor(GRADES, grading.highest || grading.latest)}.`) : null,
    gradingTable(ep),

    sectionHeading('return', 'Return and return home interview'),
    summaryCard({ title: 'Return home interview', rows: rhiRows(ep) }),
    summaryCard({
      title: 'Where they were found',
      rows: [
        { key: 'Found or returned', value: missing ? 'Still missing' : formatDateTime(ep.ended_at) },
        { key: 'Where', value: ep.found_where || '', valueClass: 'app-pre-line app-wrap' },
        { key: 'With whom', value: personLinks(ep.found_with) },
      ],
    }),
    summaryCard({ title: 'Notes', rows: [{ key: 'Notes', value: ep.notes || '', valueClass: 'app-pre-line app-wrap' }] }),
    summaryCard({
      title: 'Record',
      rows: [
        { key: 'Recorded', value: byAt(ep.created_at, ep.created_by) },
        { key: 'Last changed', value: byAt(ep.updated_at, ep.updated_by) },
        { key: 'Version', value: String(ep.version ?? '') },
      ],
    }),
  ];
  // Not the name: titles are kept in the browser's history, and names are sensitive.
  return { title: 'Missing episode', node };
}
