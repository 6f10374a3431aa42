// Missing episodes (/missing/episodes): every episode the user may see, newest start first
// (GET /api/v1/missing-episodes?status=&limit=&offset=), 50 at a time, filtered to those missing
// now or those returned. Each row links to the episode. Restricted persons the user is not named
// on are left out by the server. The filter and page live in the history entry's memory, never
// in the address.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, radios, button, table, pagination, paragraph, link,
} from '../govuk.js';
import { api, query } from '../api.js';
import { formatDateTime } from '../format.js';
import { radioValue } from '../forms.js';
import {
  MISSING_FROM, textFor, statusTag, gradeTag, rhiTag, durationText, personName,
} from '../missing-episode-ui.js';

const LIMIT = 50;

const STATUSES = [
  { value: 'all', text: 'All episodes' },
  { value: 'missing', text: 'Missing now' },
  { value: 'returned', text: 'Returned' },
];

function countText(total, status) {
  const what = { missing: 'missing now', returned: 'returned' }[status];
  const n = total === 1 ? '1 episode' : `${total} episodes`;
  return what ? `${n} ${what}` : n;
}

export async function render(ctx) {
  const mem = ctx.memory;
  if (!mem.status) mem.status = 'all';
  const results = h('div', { id: 'episode-results' });

  async function load(offset, focus) {
    const status = mem.status === 'all' ? '' : mem.status;
    const r = await api('GET', `/api/v1/missing-episodes${query({ status, limit: LIMIT, offset })}`);
    const items = r.items || [];
    const total = typeof r.total === 'number' ? r.total : items.length;
    mem.offset = offset;
    replace(results,
      h('h2', { class: 'govuk-heading-m', id: 'episodes-heading', tabindex: '-1', text: countText(total, mem.status) }),
      items.length ? table({
        id: 'episodes', label: 'Missing episodes',
        head: ['Person', 'Last seen', 'Status', 'How long', 'Missing from', 'Risk', 'Return interview'],
        rows: items.map((ep) => [
          {
            content: h('a', { class: 'govuk-link', href: `/missing/${ep.id}` }, personName(ep.person, ep.person_id),
              h('span', { class: 'govuk-visually-hidden', text: `, missing episode from ${formatDateTime(ep.started_at)}` })),
            class: 'app-wrap',
          },
          formatDateTime(ep.started_at),
          statusTag(ep),
          durationText(ep),
          textFor(MISSING_FROM, ep.missing_from),
          gradeTag(ep.grading && ep.grading.latest),
          rhiTag(ep),
        ]),
      }) : paragraph(mem.status === 'missing' ? 'No one is missing now.' : 'There are no episodes to show.'),
      total > items.length ? pagination({
        label: 'Episode pages',
        onPrev: offset > 0 ? () => load(Math.max(0, offset - LIMIT), true) : null,
        onNext: offset + items.length < total ? () => load(offset + LIMIT, true) : null,
      }) : null);
    if (focus) results.querySelector('h2').focus();
  }

  async function onFilter(e) {
    e.preventDefault();
    mem.status = radioValue(e.currentTarget, 'status') || 'all';
    await load(0, true);
    initAll({ scope: results });
  }

  await load(mem.offset || 0, false);
  return {
    title: 'Missing episodes',
    node: [
      pageHeading('Missing episodes'),
      h('p', { class: 'govuk-body' }, 'Newest first. ', link('/missing', 'Go to the missing from home dashboard')),
      h('form', { novalidate: true, id: 'status-form', class: 'app-filter', onsubmit: onFilter },
        radios({
          id: 'status', legend: 'Show', legendSize: 's', inline: true, value: mem.status, items: STATUSES,
        }),
        button({ text: 'Show', id: 'show-status', secondary: true })),
      results,
    ],
  };
}
