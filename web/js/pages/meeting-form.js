// Record a meeting on a case (/cases/{id}/meetings/new; POST /api/v1/meetings): the type
// (PTAC, strategy discussion, MACE, ...), when it was held, who attended from which agency, the
// decisions, the next review and the actions agreed (what, who, by when). Rows of attendees and
// actions are added and removed on the page; blank rows are left out. A PTAC stops the first
// PTAC clock and starts the six-weekly review on the server.

import { api } from '../api.js';
import { fullName } from '../format.js';
import { h } from '../dom.js';
import { paragraph, link, pageHeading } from '../govuk.js';
import { formPage } from '../form-page.js';
import { config, options } from '../casework.js';

export async function render(ctx) {
  const id = ctx.params[0];
  const [c, cfg] = await Promise.all([api('GET', `/api/v1/cases/${id}`), config()]);
  const name = c.person ? (fullName(c.person) || `Person ${c.person.id}`) : `Case ${c.id}`;
  const back = `/cases/${c.id}`;
  if (c.status !== 'open') {
    return {
      title: 'Record a meeting',
      node: [pageHeading('Record a meeting', { caption: name }), paragraph('This case is closed, so it cannot be changed.'),
        h('p', { class: 'govuk-body' }, link(back, 'Back to the case'))],
    };
  }
  const me = ctx.user;
  return formPage(ctx, {
    title: 'Record a meeting',
    caption: name,
    submitText: 'Save meeting',
    cancel: { href: back, text: 'Cancel' },
    fields: [
      { type: 'radios', name: 'type', label: 'Type of meeting', legendSize: 'm', errorLabel: 'the type of meeting', items: options(cfg.meeting_types) },
      { type: 'datetime', name: 'held_at', label: 'When was the meeting held?', legendSize: 'm', value: 'now', errorLabel: 'when the meeting was held' },
      { type: 'heading', text: 'Who attended' },
      { type: 'rows', name: 'attendees', label: 'Attendees', itemLabel: 'Attendee', min: 1, max: 30, addText: 'Add another attendee',
        value: [{ name: me.display_name || me.username, agency: me.agency || '', role: 'Allocated worker' }],
        columns: [
          { name: 'name', label: 'Name', width: 'two-thirds' },
          { name: 'agency', label: 'Agency', width: 'two-thirds', hint: 'For example, Police, Education or Health' },
          { name: 'role', label: 'Role (optional)', width: 'two-thirds' },
        ] },
      { type: 'heading', text: 'What was decided' },
      { type: 'textarea', name: 'decisions', label: 'Decisions', rows: 6, errorLabel: 'the decisions' },
      { type: 'date', name: 'next_review', label: 'Next review (optional)', hint: 'For example, 27 3 2026', errorLabel: 'the next review date' },
      { type: 'heading', text: 'Actions' },
      { type: 'content', node: () => paragraph('Leave an action blank if there are none.', 'govuk-hint') },
      { type: 'rows', name: 'actions', label: 'Actions', itemLabel: 'Action', min: 1, max: 30, addText: 'Add another action',
        columns: [
          { name: 'what', label: 'What needs to be done', width: 'full' },
          { name: 'owner', label: 'Who will do it', width: 'two-thirds', hint: 'Their name or role, and agency' },
          { name: 'due_date', label: 'Due date', type: 'date' },
        ] },
    ],
    body: (v) => {
      const b = {
        type: v.type || null, held_at: v.held_at || null, case_id: c.id, person_id: c.person_id,
        attendees: v.attendees, decisions: v.decisions, actions: v.actions.map((a) => ({ ...a, due_date: a.due_date || null })),
      };
      if (v.next_review) b.next_review = v.next_review;
      return b;
    },
    send: (b) => api('POST', '/api/v1/meetings', b),
    saved: (m) => {
      ctx.flash({ type: 'success', heading: 'Meeting recorded' });
      ctx.navigate(`/meetings/${m.id}`);
    },
  });
}
