// The start page after sign-in: the daily tasking list (daily.js) for the roles that have one;
// for the others, what this user can do, by role.

import { h } from '../dom.js';
import { pageHeading, paragraph } from '../govuk.js';
import { reference } from '../api.js';
import { roleLabel } from '../format.js';
import { CAN_READ_PERSONS, CAN_WRITE_PERSONS, CAN_READ_AUDIT } from '../roles.js';
import { CAN_DAILY, CAN_READ_CASES } from '../casework.js';
import * as dailyPage from './daily.js';

const TASKS = [
  { href: '/persons', text: 'Find a person', roles: CAN_READ_PERSONS,
    hint: 'Search by name, alias, date of birth or an identifier such as an NHS number.' },
  { href: '/persons/new', text: 'Add a person', roles: CAN_WRITE_PERSONS,
    hint: 'Record a child, young person or adult who is not in safehub yet. Search first to avoid duplicates.' },
  { href: '/cases', text: 'Open cases', roles: CAN_READ_CASES,
    hint: 'The cases the hub holds now, by team, with their worker and risk level.' },
  { href: '/audit', text: 'Audit trail', roles: CAN_READ_AUDIT,
    hint: 'Who signed in, and who looked at or changed which record, and when.' },
];

export async function render(ctx) {
  const { user } = ctx;
  if (CAN_DAILY.includes(user.role)) return dailyPage.render(ctx);
  let ref = null;
  try { ref = await reference(); } catch { ref = null; }
  const tasks = TASKS.filter((t) => t.roles.includes(user.role));
  const about = [roleLabel(ref, user.role), user.team && `${user.team} team`, user.agency].filter(Boolean).join(', ');
  return {
    title: 'Home',
    node: [
      pageHeading('Complex Safeguarding Hub'),
      h('p', { class: 'govuk-body' }, 'You are signed in as ', h('strong', { text: user.display_name || user.username }),
        about ? ` (${about})` : '', '.'),
      tasks.length
        ? h('ul', { class: 'govuk-list govuk-list--spaced', 'aria-label': 'What you can do' },
          tasks.map((t) => h('li', {},
            h('a', { class: 'govuk-link govuk-link--no-visited-state govuk-!-font-size-24 govuk-!-font-weight-bold', href: t.href, text: t.text }),
            h('p', { class: 'govuk-body govuk-!-margin-top-1 govuk-!-margin-bottom-0', text: t.hint }))))
        : paragraph('There is nothing in safehub for your role yet.'),
    ],
  };
}
