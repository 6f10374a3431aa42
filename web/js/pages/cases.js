// Open cases (/cases): the user's team's or every team's (GET /api/v1/cases?status=open&team=),
// with worker, strands and current risk level, 50 at a time. Restricted persons the user may
// not see are left out by the server.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, radios, button, table, pagination, paragraph, link,
} from '../govuk.js';
import { api, query } from '../api.js';
import { formatDate, fullName } from '../format.js';
import { radioValue } from '../forms.js';
import {
  config, labels, riskTag, CAN_WRITE_CASES,
} from '../casework.js';

const LIMIT = 50;

export async function render(ctx) {
  const { user } = ctx;
  const cfg = await config();
  const mem = ctx.memory;
  // Case workers start with their own team's cases; others (analysts, police) with all.
  if (!mem.scope) mem.scope = user.team && CAN_WRITE_CASES.includes(user.role) ? 'team' : 'all';
  const results = h('div', { id: 'case-results' });

  async function load(offset, focus) {
    const team = mem.scope === 'team' ? user.team : '';
    const r = await api('GET', `/api/v1/cases${query({ status: 'open', team, limit: LIMIT, offset })}`);
    const items = r.items || [];
    const total = typeof r.total === 'number' ? r.total : items.length;
    mem.offset = offset;
    replace(results,
      h('h2', { class: 'govuk-heading-m', id: 'cases-heading', tabindex: '-1', text: total === 1 ? '1 open case' : `${total} open cases` }),
      items.length ? table({
        id: 'cases', label: 'Open cases',
        head: ['Person', 'Team', 'Worker', 'Strands', 'Risk', 'Opened'],
        rows: items.map((c) => [
          { content: link(`/cases/${c.id}`, c.person ? (fullName(c.person) || `Person ${c.person.id}`) : `Case ${c.id}`), class: 'app-wrap' },
          c.team || '',
          c.worker ? (c.worker.display_name || c.worker.username) : 'Not allocated',
          labels(cfg.strands, c.strands).join(', '),
          riskTag(c.risk_level),
          formatDate((c.opened_at || '').slice(0, 10)),
        ]),
      }) : paragraph('There are no open cases.'),
      total > items.length ? pagination({
        label: 'Case pages',
        onPrev: offset > 0 ? () => load(Math.max(0, offset - LIMIT), true) : null,
        onNext: offset + items.length < total ? () => load(offset + LIMIT, true) : null,
      }) : null);
    if (focus) results.querySelector('h2').focus();
  }

  async function onScope(e) {
    e.preventDefault();
    mem.scope = radioValue(e.currentTarget, 'scope') || 'team';
    await load(0, true);
    initAll({ scope: results });
  }

  await load(mem.offset || 0, false);
  return {
    title: 'Open cases',
    node: [
      pageHeading('Open cases'),
      user.team ? h('form', { novalidate: true, id: 'scope-form', class: 'app-filter', onsubmit: onScope },
        radios({
          id: 'scope', legend: 'Show cases for', legendSize: 's', inline: true, value: mem.scope,
          items: [{ value: 'team', text: `My team (${user.team})` }, { value: 'all', text: 'All teams' }],
        }),
        button({ text: 'Show', id: 'show-scope', secondary: true })) : null,
      results,
    ],
  };
}
