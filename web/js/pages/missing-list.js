// The list behind a number of the MFH dashboard (/missing/list?measure=...&period=...&filters):
// GET /api/v1/dashboard/missing/list, whose count is the dashboard's number. One row per episode
// (per child for "children" and "repeat-missing children"), each linking to the episode, 100 to
// a page. The measure, period, filters and page are in the address's query string (none of them
// is personal data), so the list can be bookmarked and Back returns to the same page.

import { h, replace } from '../dom.js';
import { pageHeading, table, paragraph, pagination } from '../govuk.js';
import { api, query } from '../api.js';
import { formatDateTime } from '../format.js';
import {
  MISSING_FROM, textFor, gradeTag, rhiTag, hoursText, personName,
} from '../missing-episode-ui.js';
import {
  MEASURES, readFilters, monthName, queryLink, pageSearch,
} from './missing-dashboard.js';

const PAGE = 100;

// "this month (November 2026)", "in the 12 months to November 2026", "in March 2026", or ''.
function periodText(period, month) {
  if (!period) return '';
  if (period === 'this_month') return `in ${monthName(month)}`;
  if (period === 'last_12_months') return `in the 12 months to ${monthName(month)}`;
  return `in ${monthName(period)}`;
}

// The filters in words: "Team Phoenix, looked after, aged 14 to 15".
function filterText(f) {
  const parts = [];
  if (f.team) parts.push(`team ${f.team}`);
  if (f.locality) parts.push(`locality ${f.locality}`);
  if (f.looked_after === 'true') parts.push('looked after');
  if (f.looked_after === 'false') parts.push('not looked after');
  if (f.age_band) parts.push(`aged ${f.age_band.replace('-', ' to ')} when they went missing`);
  if (f.sex) parts.push(`sex ${f.sex}`);
  return parts.join(', ');
}

function childCell(x) {
  const id = x.id || x.episode_id;
  return {
    content: h('a', { class: 'govuk-link', href: x.link || `/missing/${id}` }, personName(x.person, x.person && x.person.id),
      h('span', { class: 'govuk-visually-hidden', text: `, missing episode from ${formatDateTime(x.started_at)}` })),
    class: 'app-wrap',
  };
}

function ageCell(x) {
  return { content: x.person && typeof x.person.age === 'number' ? String(x.person.age) : '', numeric: true };
}

// The table of one page of items, its columns chosen by the measure.
function itemsTable(measure, items) {
  if (measure === 'missing_now' || measure === 'placed_here_missing' || measure === 'placed_elsewhere_missing') {
    return table({
      id: 'mfh-list', label: MEASURES[measure].title,
      head: ['Child', { text: 'Age', numeric: true }, 'Missing since', 'How long', 'Risk', 'Missing from'],
      rows: items.map((x) => [childCell(x), ageCell(x), formatDateTime(x.started_at), hoursText(x.hours_missing),
        gradeTag(x.grade), textFor(MISSING_FROM, x.missing_from)]),
    });
  }
  if (measure === 'notifications') {
    return table({
      id: 'mfh-list', label: MEASURES[measure].title,
      head: ['Child', 'To', 'Why', 'Sent', 'Episode started'],
      rows: items.map((x) => [childCell(x), x.notification.to_authority,
        x.notification.reason === 'placed_here' ? 'Their child, placed here' : 'Our child, placed with them',
        formatDateTime(x.notification.created_at), formatDateTime(x.started_at)]),
    });
  }
  if (measure === 'awaiting_rhi') {
    return table({
      id: 'mfh-list', label: MEASURES[measure].title,
      head: ['Child', 'Returned', 'Interview due', 'Time left', 'Interview'],
      rows: items.map((x) => [childCell(x), formatDateTime(x.ended_at), formatDateTime(x.rhi_due_at),
        x.hours_left < 0
          ? { content: `${hoursText(-x.hours_left)} over`, class: 'app-cell--overdue' }
          : `${hoursText(x.hours_left)} left`,
        rhiTag(x)]),
    });
  }
  return table({
    id: 'mfh-list', label: MEASURES[measure].title,
    head: ['Child', { text: 'Age', numeric: true }, 'Missing since', 'Returned', 'How long', 'Risk', 'Interview'],
    rows: items.map((x) => [childCell(x), ageCell(x), formatDateTime(x.started_at),
      x.ended_at ? formatDateTime(x.ended_at) : 'Still missing', hoursText(x.duration_hours), gradeTag(x.grade), rhiTag(x)]),
  });
}

export async function render(ctx) {
  const search = pageSearch();
  const qs = new URLSearchParams(search);
  const measure = qs.get('measure') || '';
  const period = qs.get('period') || '';
  const offset = Math.max(0, Number.parseInt(qs.get('offset') || '0', 10) || 0);
  const filters = readFilters(search);
  const back = `/missing${query(filters)}`;
  const backLink = queryLink(ctx, back, 'Back to the dashboard', { class: 'govuk-back-link', id: 'back-to-dashboard' });
  if (!MEASURES[measure]) {
    return {
      title: 'List not found',
      node: [backLink, pageHeading('List not found'), paragraph('This list is not one the dashboard has. Go back to the dashboard and follow one of its numbers.')],
    };
  }
  const l = await api('GET', `/api/v1/dashboard/missing/list${query({
    measure, period: period || null, ...filters, limit: PAGE, offset,
  })}`);
  const when = periodText(l.period, l.filters.month);
  const about = filterText(l.filters);
  const title = `${MEASURES[measure].title}${when ? ` ${when}` : ''}`;
  const page = (to) => `/missing/list${query({ measure, period: period || null, ...filters, offset: to || null })}`;
  const results = h('div', { id: 'mfh-list-results' });
  replace(results,
    h('p', { class: 'govuk-body', id: 'mfh-list-count' }, h('strong', { text: String(l.count) }),
      ` ${l.count === 1 ? 'item' : 'items'}${about ? ` (${about})` : ''}.`,
      l.count > PAGE ? ` Showing ${offset + 1} to ${Math.min(offset + PAGE, l.count)}.` : ''),
    l.items.length ? itemsTable(measure, l.items) : paragraph('There is nothing in this list.'),
    l.count > PAGE ? pagination({
      label: 'Pages of the list',
      onPrev: offset > 0 ? () => ctx.navigate(page(Math.max(0, offset - PAGE))) : null,
      onNext: offset + PAGE < l.count ? () => ctx.navigate(page(offset + PAGE)) : null,
    }) : null);
  return {
    title,
    node: [
      backLink,
      pageHeading(MEASURES[measure].title, { caption: when ? `${when[0].toUpperCase()}${when.slice(1)}` : undefined }),
      results,
    ],
  };
}
