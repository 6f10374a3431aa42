// A meeting (/meetings/{id}): type, when, the case and person, who attended, the decisions, the
// next review and the actions, each of which can be marked as done (PUT
// /api/v1/meetings/{id}/actions/{action_id} with the version read; a 409 offers a reload).

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, summaryCard, table, notificationBanner, errorSummary, tag, paragraph, button,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { formatDate, formatDateTime } from '../format.js';
import {
  config, labels, conflictSummary, CAN_WRITE_CASES,
} from '../casework.js';

export async function render(ctx) {
  const id = ctx.params[0];
  const [m, cfg] = await Promise.all([api('GET', `/api/v1/meetings/${id}`), config()]);
  const flash = ctx.takeFlash();
  const canWrite = CAN_WRITE_CASES.includes(ctx.user.role);
  const type = labels(cfg.meeting_types, [m.type])[0] || 'Meeting';
  const problems = h('div', { id: 'meeting-problems' });

  async function markDone(action, btn) {
    btn.disabled = true;
    try {
      await api('PUT', `/api/v1/meetings/${m.id}/actions/${action.id}`, { version: action.version, done: true });
    } catch (err) {
      btn.disabled = false;
      if (!(err instanceof ApiError)) throw err;
      replace(problems, err.status === 409
        ? conflictSummary(() => ctx.reload(), err.detail, 'this action')
        : errorSummary([{ text: err.detail || err.title || 'The action could not be marked as done. Try again later.' }]));
      ctx.setTitle('Meeting', { error: true });
      initAll({ scope: problems });
      return;
    }
    ctx.flash({ type: 'success', heading: 'Action marked as done' });
    ctx.reload();
  }

  const actions = m.actions || [];
  const node = [
    problems,
    flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
    pageHeading(type, { caption: 'Meeting' }),
    summaryCard({
      title: 'Meeting',
      rows: [
        { key: 'Type', value: type },
        { key: 'Held', value: formatDateTime(m.held_at) },
        m.case_id ? { key: 'Case', value: h('a', { class: 'govuk-link', href: `/cases/${m.case_id}`, id: 'case-link', text: 'View the case' }) } : null,
        m.person_id ? { key: 'Person', value: h('a', { class: 'govuk-link', href: `/persons/${m.person_id}`, text: 'View the person’s record' }) } : null,
        { key: 'Decisions', value: m.decisions, valueClass: 'app-pre-line app-wrap' },
        { key: 'Next review', value: formatDate(m.next_review) },
        { key: 'Recorded by', value: [m.created_by, formatDateTime(m.created_at)].filter(Boolean).join(', ') },
      ].filter(Boolean),
    }),
    h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', text: 'Who attended' }),
    (m.attendees || []).length ? table({
      id: 'attendees', label: 'Who attended', head: ['Name', 'Agency', 'Role'],
      rows: m.attendees.map((a) => [{ content: a.name, class: 'app-wrap' }, a.agency || '', a.role || '']),
    }) : paragraph('No attendees were recorded.'),
    h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', text: 'Actions' }),
    actions.length ? table({
      id: 'actions', label: 'Actions', head: ['Action', 'Owner', 'Due', 'Status'],
      rows: actions.map((a) => {
        let status;
        if (a.done) status = h('span', {}, tag('Done', 'green'), a.done_at ? ` ${formatDate(a.done_at.slice(0, 10))}` : '');
        else if (canWrite) {
          const btn = button({
            text: 'Mark as done', type: 'button', secondary: true, classes: 'govuk-!-margin-bottom-0', id: `done-${a.id}`,
          });
          btn.setAttribute('aria-label', `Mark as done: ${a.what}`);
          btn.addEventListener('click', () => markDone(a, btn));
          status = h('span', {}, a.overdue ? [tag('Overdue', 'red'), ' '] : null, btn);
        } else status = a.overdue ? tag('Overdue', 'red') : tag('Open', 'blue');
        return [{ content: a.what, class: 'app-wrap' }, { content: a.owner, class: 'app-wrap' }, formatDate(a.due_date), status];
      }),
    }) : paragraph('No actions were agreed.'),
  ];
  return { title: 'Meeting', node };
}
