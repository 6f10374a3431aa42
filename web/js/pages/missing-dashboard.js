// The MFH dashboard (/missing): live scrutiny of every child reported missing
// (GET /api/v1/dashboard/missing, docs/api-missing.md "The MFH dashboard"). Panels: missing now
// (high risk first), returned and awaiting a return home interview (hours left, breaches
// highlighted), this month and the last 12 months (GOV.UK summary lists), a chart by month of
// episodes and of RHIs completed within 72 hours with its table, out-of-area children both ways,
// and the notifications not yet acknowledged. Every number links to the list behind it
// (/missing/list?measure=...&period=...&filters, pages/missing-list.js).
//
// The filters (team, locality, looked after, age band, sex, month) are not personal data: they
// live in the address's query string, which the filters form updates (history.replaceState)
// together with the data, without reloading the page. The page refreshes itself every 30 seconds
// by fetching the JSON again and replacing the panels' contents in place: no reload, focus and
// scroll kept, and an aria-live (polite) line says "Updated at HH:MM" (a tab in the background
// waits until it is shown). A test may shorten the interval by setting
// window.SAFEHUB_MFH_REFRESH_MS before the page loads.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, svg, replace } from '../dom.js';
import {
  input, select, button, table, summaryList, paragraph, tag,
} from '../govuk.js';
import { api, query, reference, SignedOut } from '../api.js';
import { formatDateTime } from '../format.js';
import { teams } from '../casework.js';
import {
  MISSING_FROM, textFor, gradeTag, hoursText, personName,
} from '../missing-episode-ui.js';
import { CAN_IMPORT, CAN_EXPORT } from '../roles.js';

export const REFRESH_MS = 30000;

// The filters the dashboard and its lists take, in the order of the form.
export const FILTER_KEYS = ['team', 'locality', 'looked_after', 'age_band', 'sex', 'month'];

export const AGE_BANDS = ['0-9', '10-13', '14-15', '16-17', '18-25'];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// What each measure counts, as a heading and as the words after a number.
export const MEASURES = {
  episodes: { title: 'Missing episodes', words: 'missing episodes' },
  children: { title: 'Children reported missing', words: 'children reported missing' },
  repeat_children: { title: 'Repeat-missing children', words: 'repeat-missing children' },
  returns: { title: 'Returns where we do the return home interview', words: 'returns where we do the interview' },
  rhi_offered_72h: { title: 'Return home interviews offered within 72 hours', words: 'interviews offered within 72 hours' },
  rhi_completed_72h: { title: 'Return home interviews completed within 72 hours', words: 'interviews completed within 72 hours' },
  rhi_accepted: { title: 'Return home interviews accepted', words: 'interviews accepted' },
  rhi_declined: { title: 'Return home interviews declined', words: 'interviews declined' },
  missing_now: { title: 'Missing now', words: 'children missing now' },
  awaiting_rhi: { title: 'Returned and awaiting a return home interview', words: 'awaiting a return home interview' },
  placed_here_missing: { title: 'Other authorities’ children missing here', words: 'other authorities’ children missing here' },
  placed_elsewhere_missing: { title: 'Our children missing elsewhere', words: 'of our children missing elsewhere' },
  notifications: { title: 'Notifications not acknowledged', words: 'notifications not acknowledged' },
};

// 'YYYY-MM' -> 'November 2026' (short: 'Nov 2026').
export function monthName(key, short = false) {
  const m = /^(\d{4})-(\d{2})$/.exec(key || '');
  if (!m) return key || '';
  return `${(short ? SHORT_MONTHS : MONTHS)[Number(m[2]) - 1]} ${m[1]}`;
}

// The address this document was loaded with. app.js, starting, replaces the history entry with
// the path alone (dropping the query string) before any page renders; this module is evaluated
// before app.js's own code runs (it is one of its imports), so the query can be kept here and put
// back, once, for the page it was loaded for.
const LOADED = { path: location.pathname, search: location.search, used: false };

// The query string of the current page: the address's, or (for the page this document was loaded
// with, once) the one app.js dropped, which is put back into the address.
export function pageSearch() {
  if (!LOADED.used && LOADED.search && !location.search && location.pathname === LOADED.path) {
    LOADED.used = true;
    history.replaceState(history.state, '', `${LOADED.path}${LOADED.search}`);
    return LOADED.search;
  }
  LOADED.used = true;
  return location.search;
}

// The filters in a query string (only the known ones, only when set).
export function readFilters(search) {
  const qs = new URLSearchParams(search);
  const f = {};
  for (const k of FILTER_KEYS) {
    const v = (qs.get(k) || '').trim();
    if (v) f[k] = v;
  }
  return f;
}

// The path of the list behind a number.
export function listPath(measure, period, filters) {
  return `/missing/list${query({ measure, period, ...filters })}`;
}

// "HH:MM" (24-hour, UK time) of an RFC 3339 time.
function hhmm(rfc) {
  const d = rfc ? new Date(rfc) : new Date();
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Europe/London' }).format(d);
}

// A link the app's own router would follow without its query string: follow it here instead,
// keeping the query (filters are in it).
export function queryLink(ctx, href, content, props = {}) {
  return h('a', {
    class: 'govuk-link', href, ...props,
    onclick: (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      ctx.navigate(href);
    },
  }, content);
}

// The percentage text of {count, pct}: "12 (40%)" or "0 (no returns)".
function pctText(x) {
  return x.pct === null || x.pct === undefined ? 'no returns' : `${x.pct}%`;
}

// ---- the panels ------------------------------------------------------------------------------

// A number linking to the list behind it; `key` keeps focus on it across refreshes.
function numberLink(ctx, filters, n, measure, period, words) {
  const href = listPath(measure, period, filters);
  return queryLink(ctx, href, [String(n), h('span', { class: 'govuk-visually-hidden', text: ` ${words}` })],
    { 'data-focus-key': `${measure}:${period || 'now'}` });
}

function section(id, heading, ...content) {
  return h('section', { class: 'app-section', 'aria-labelledby': `${id}-heading` },
    h('h2', { class: 'govuk-heading-m', id: `${id}-heading`, text: heading }),
    h('div', { id: `${id}-body` }, ...content));
}

// The wrapper of a scrolling table keeps focus across refreshes too.
function keyed(node, key) {
  node.setAttribute('data-focus-key', key);
  return node;
}

function more(shown, count) {
  return count > shown ? paragraph(`Showing the first ${shown} of ${count}. Follow the number to see them all.`, 'govuk-body-s') : null;
}

// The child's name linking to the episode; panel tells apart the same episode in two panels.
function childLink(item, panel) {
  const name = personName(item.person, item.person && item.person.id);
  return h('a', { class: 'govuk-link', href: item.link || `/missing/${item.episode_id}`, 'data-focus-key': `${panel}:${item.episode_id}` },
    name, h('span', { class: 'govuk-visually-hidden', text: ', missing episode' }));
}

function ageText(p) {
  return p && typeof p.age === 'number' ? String(p.age) : '';
}

function outOfAreaText(code) {
  if (code === 'placed_here') return 'Placed here';
  if (code === 'placed_elsewhere') return 'Placed elsewhere';
  return 'No';
}

// The at-a-glance counts, each linking to its list.
function counts(ctx, f, d) {
  const items = [
    ['missing_now', d.missing_now.count, 'missing now', d.missing_now.count > 0],
    ['awaiting_rhi', d.awaiting_rhi.count, 'awaiting a return home interview', false],
    ['awaiting_rhi', d.awaiting_rhi.breached, 'past 72 hours without an interview', d.awaiting_rhi.breached > 0, 'breached'],
    ['placed_here_missing', d.out_of_area.placed_here_missing.count, 'other authorities’ children missing here', false],
    ['placed_elsewhere_missing', d.out_of_area.placed_elsewhere_missing.count, 'of our children missing elsewhere', false],
    ['notifications', d.notifications_unacknowledged.count, 'notifications not acknowledged', d.notifications_unacknowledged.count > 0],
  ];
  return h('ul', { class: 'app-counts', 'aria-label': 'Now' },
    items.map(([measure, count, label, alert, key]) => h('li', {},
      queryLink(ctx, listPath(measure, null, f), [
        h('span', { class: 'app-count__number', text: String(count) }),
        h('span', { class: 'app-count__label', text: label })],
      { class: ['govuk-link', 'app-count', alert && 'app-count--alert'], 'data-focus-key': `count:${key || measure}` }))));
}

function missingNowPanel(ctx, f, d) {
  const s = d.missing_now;
  if (!s.count) return [paragraph('No child is missing now.')];
  return [
    h('p', { class: 'govuk-body' }, numberLink(ctx, f, s.count, 'missing_now', null, 'children missing now'),
      s.count === 1 ? ' child is missing now.' : ' children are missing now, high risk first, then the longest missing.'),
    keyed(table({
      id: 'missing-now-table', label: 'Table of the children missing now',
      head: ['Child', { text: 'Age', numeric: true }, 'Missing since', 'How long', 'Risk', 'Missing from', 'Out of area'],
      rows: s.items.map((x) => [
        { content: childLink(x, 'now'), class: 'app-wrap' },
        { content: ageText(x.person), numeric: true },
        formatDateTime(x.started_at),
        hoursText(x.hours_missing),
        gradeTag(x.grade),
        textFor(MISSING_FROM, x.missing_from),
        outOfAreaText(x.out_of_area),
      ]),
    }), 'table:missing-now'),
    more(s.items.length, s.count),
  ];
}

function hoursLeftCell(x) {
  if (x.breached) {
    return {
      content: h('span', {}, tag('Breached', 'red'), ` ${hoursText(-x.hours_left)} over`),
      class: 'app-cell--overdue',
    };
  }
  return `${hoursText(x.hours_left)} left`;
}

function awaitingText(x) {
  if (x.offered_at) return x.breached ? 'Offered, not completed' : 'Offered';
  return 'Not offered yet';
}

function awaitingPanel(ctx, f, d) {
  const s = d.awaiting_rhi;
  if (!s.count) return [paragraph('No returned child is waiting for a return home interview.')];
  return [
    h('p', { class: 'govuk-body' }, numberLink(ctx, f, s.count, 'awaiting_rhi', null, 'awaiting a return home interview'),
      ` awaiting an interview, of which ${s.breached} ${s.breached === 1 ? 'is' : 'are'} past the 72 hours. Latest due first.`),
    keyed(table({
      id: 'awaiting-table', label: 'Table of the children awaiting an interview',
      head: ['Child', 'Returned', 'Interview due', 'Time left', 'Status'],
      rows: s.items.map((x) => [
        { content: childLink(x, 'awaiting'), class: 'app-wrap' },
        formatDateTime(x.ended_at),
        formatDateTime(x.rhi_due_at),
        hoursLeftCell(x),
        awaitingText(x),
      ]),
    }), 'table:awaiting-rhi'),
    more(s.items.length, s.count),
  ];
}

// The statistics of a period as a summary list, every number a link.
function statsList(ctx, f, s, period, when) {
  const n = (measure, value) => numberLink(ctx, f, value, measure, period, `${MEASURES[measure].words} ${when}`);
  const share = (measure) => h('span', {}, n(measure, s[measure].count), ` (${pctText(s[measure])})`);
  return summaryList([
    { key: 'Missing episodes', value: n('episodes', s.episodes) },
    { key: 'Children', value: n('children', s.children) },
    { key: 'Repeat-missing children', value: n('repeat_children', s.repeat_children) },
    { key: 'Median time missing', value: s.median_duration_hours === null ? 'No returns' : hoursText(s.median_duration_hours) },
    { key: 'Returns where we do the interview', value: n('returns', s.returns) },
    { key: 'Interviews offered within 72 hours', value: share('rhi_offered_72h') },
    { key: 'Interviews completed within 72 hours', value: share('rhi_completed_72h') },
    { key: 'Interviews accepted', value: share('rhi_accepted') },
    { key: 'Interviews declined', value: share('rhi_declined') },
  ]);
}

// The chart by month: for each month a bar of episodes and one of RHIs completed within 72 hours
// (SVG; one image to assistive technology, whose full alternative is the table after it).
function monthChart(months) {
  const W = 640;
  const H = 240;
  const M = { left: 48, right: 12, top: 28, bottom: 36 };
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const max = Math.max(1, ...months.map((m) => m.episodes));
  // A round step for about four gridlines: 1, 2, 3 ... 10 times a power of ten.
  const raw = Math.max(1, max / 4);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.ceil(raw / mag) * mag;
  const top = Math.ceil(max / step) * step;
  const y = (v) => M.top + plotH - (v / top) * plotH;
  const slot = plotW / months.length;
  const bar = Math.max(3, slot * 0.36);
  const first = months[0];
  const last = months[months.length - 1];
  const busiest = months.reduce((a, b) => (b.episodes > a.episodes ? b : a), first);
  const desc = `Episodes and return home interviews completed within 72 hours in each month from ${monthName(first.month)} `
    + `to ${monthName(last.month)}. Most episodes: ${busiest.episodes} in ${monthName(busiest.month)}. `
    + `${monthName(last.month)}: ${last.episodes} episodes, ${last.rhi_completed_72h.count} interviews within 72 hours. The table below gives every figure.`;
  const root = svg('svg', {
    class: 'app-chart__svg', viewBox: `0 0 ${W} ${H}`, role: 'img', focusable: 'false',
    'aria-labelledby': 'mfh-chart-title mfh-chart-desc', xmlns: 'http://www.w3.org/2000/svg',
  });
  const title = svg('title', { id: 'mfh-chart-title' });
  title.textContent = 'Missing episodes and interviews within 72 hours, by month';
  const description = svg('desc', { id: 'mfh-chart-desc' });
  description.textContent = desc;
  root.append(title, description);
  const text = (x, yy, s, anchor = 'middle', cls = 'app-chart__label app-chart__label--small') => {
    const t = svg('text', { x, y: yy, class: cls, 'text-anchor': anchor });
    t.textContent = s;
    return t;
  };
  // Legend: the series are told apart by place (left, right) and by the words, not colour alone.
  root.append(svg('rect', { x: M.left, y: 6, width: 12, height: 12, fill: '#1d70b8' }),
    text(M.left + 18, 16, 'Episodes (left bar)', 'start'),
    svg('rect', { x: M.left + 200, y: 6, width: 12, height: 12, fill: '#00703c' }),
    text(M.left + 218, 16, 'Interviews within 72 hours (right bar)', 'start'));
  for (let v = 0; v <= top; v += step) {
    root.append(svg('line', { class: 'app-chart__tick', x1: M.left - 4, y1: y(v), x2: M.left + plotW, y2: y(v), opacity: v ? '0.2' : '1' }),
      text(M.left - 8, y(v) + 4, String(v), 'end'));
  }
  months.forEach((m, i) => {
    const x0 = M.left + slot * i + slot / 2;
    const he = Math.max(0, (m.episodes / top) * plotH);
    const hr = Math.max(0, (m.rhi_completed_72h.count / top) * plotH);
    root.append(svg('rect', { x: (x0 - bar - 1).toFixed(1), y: (M.top + plotH - he).toFixed(1), width: bar.toFixed(1), height: he.toFixed(1), fill: '#1d70b8' }),
      svg('rect', { x: (x0 + 1).toFixed(1), y: (M.top + plotH - hr).toFixed(1), width: bar.toFixed(1), height: hr.toFixed(1), fill: '#00703c' }),
      text(x0, M.top + plotH + 16, SHORT_MONTHS[Number(m.month.slice(5, 7)) - 1]));
    if (i === 0 || m.month.endsWith('-01')) root.append(text(x0, M.top + plotH + 30, m.month.slice(0, 4)));
  });
  root.append(svg('line', { class: 'app-chart__axis', x1: M.left, y1: M.top + plotH, x2: M.left + plotW, y2: M.top + plotH }));
  return h('figure', { class: 'app-chart', id: 'mfh-chart' }, root);
}

function monthTable(ctx, f, months) {
  const cell = (m, measure, value) => ({ content: numberLink(ctx, f, value, measure, m.month, `${MEASURES[measure].words} in ${monthName(m.month)}`), numeric: true });
  // The percentage only where there were returns (the table stays narrow).
  const shareCell = (m, measure) => ({
    content: h('span', { class: 'app-nowrap' },
      numberLink(ctx, f, m[measure].count, measure, m.month, `${MEASURES[measure].words} in ${monthName(m.month)}`),
      m[measure].pct === null ? '' : ` (${m[measure].pct}%)`),
    numeric: true,
  });
  return keyed(table({
    id: 'by-month-table', label: 'The figures by month', caption: 'By month, oldest first', captionSize: 's',
    head: ['Month', { text: 'Episodes', numeric: true }, { text: 'Children', numeric: true }, { text: 'Repeat', numeric: true },
      { text: 'Median hours', numeric: true }, { text: 'Returns', numeric: true }, { text: 'Offered in 72 h', numeric: true },
      { text: 'Completed in 72 h', numeric: true }, { text: 'Accepted', numeric: true }, { text: 'Declined', numeric: true }],
    rows: months.map((m) => [
      { content: monthName(m.month), header: true },
      cell(m, 'episodes', m.episodes), cell(m, 'children', m.children), cell(m, 'repeat_children', m.repeat_children),
      { content: m.median_duration_hours === null ? '' : String(m.median_duration_hours), numeric: true },
      cell(m, 'returns', m.returns), shareCell(m, 'rhi_offered_72h'), shareCell(m, 'rhi_completed_72h'),
      shareCell(m, 'rhi_accepted'), shareCell(m, 'rhi_declined'),
    ]),
  }), 'table:by-month');
}

function outOfAreaPanel(ctx, f, d, which, heading, none) {
  const s = d.out_of_area[which];
  return h('div', { class: 'govuk-grid-column-one-half' },
    h('h3', { class: 'govuk-heading-s', text: heading }),
    s.count
      ? [
        h('p', { class: 'govuk-body' }, numberLink(ctx, f, s.count, which, null, MEASURES[which].words), ' missing now.'),
        h('ul', { class: 'govuk-list' }, s.items.map((x) => h('li', {}, childLink(x, which), `, since ${formatDateTime(x.started_at)}`))),
        more(s.items.length, s.count),
      ]
      : paragraph(none));
}

function notificationsPanel(ctx, f, d) {
  const s = d.notifications_unacknowledged;
  if (!s.count) return [paragraph('Every notification to another authority has been acknowledged.')];
  return [
    h('p', { class: 'govuk-body' }, numberLink(ctx, f, s.count, 'notifications', null, 'notifications not acknowledged'),
      ' not acknowledged yet, oldest first.'),
    keyed(table({
      id: 'notifications-table', label: 'Table of the notifications not acknowledged',
      head: ['Child', 'To', 'Why', 'Who does the interview', 'Sent'],
      rows: s.items.map((x) => [
        { content: childLink(x, 'notification'), class: 'app-wrap' },
        x.to_authority,
        x.reason === 'placed_here' ? 'Their child, placed here' : 'Our child, placed with them',
        x.rhi_by === 'us' ? 'Us' : x.to_authority,
        formatDateTime(x.created_at),
      ]),
    }), 'table:notifications'),
    more(s.items.length, s.count),
  ];
}

// Every panel's content for answer d, by the id of the element it fills.
function panels(ctx, f, d) {
  const month = d.filters.month;
  return {
    'mfh-counts': [counts(ctx, f, d)],
    'missing-now-body': missingNowPanel(ctx, f, d),
    'awaiting-body': awaitingPanel(ctx, f, d),
    'this-month-body': [statsList(ctx, f, d.this_month, 'this_month', `in ${monthName(month)}`)],
    'last-12-body': [statsList(ctx, f, d.last_12_months, 'last_12_months', `in the 12 months to ${monthName(month)}`)],
    'by-month-body': [monthChart(d.by_month), monthTable(ctx, f, d.by_month)],
    'out-of-area-body': [h('div', { class: 'govuk-grid-row' },
      outOfAreaPanel(ctx, f, d, 'placed_here_missing', 'Other authorities’ children placed here', 'None missing now.'),
      outOfAreaPanel(ctx, f, d, 'placed_elsewhere_missing', 'Our children placed elsewhere', 'None missing now.'))],
    'notifications-body': notificationsPanel(ctx, f, d),
  };
}

// ---- the filters form ------------------------------------------------------------------------

function filtersForm(f, teamList, sexes, onSubmit, onClear) {
  const teamNames = ((teamList && teamList.items) || []).map((x) => x.team);
  if (f.team && !teamNames.includes(f.team)) teamNames.push(f.team);
  return h('form', { id: 'mfh-filters', class: 'app-filter', novalidate: true, onsubmit: onSubmit, 'aria-label': 'Filters' },
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-one-third' },
        teamList
          ? select({ id: 'team', label: 'Team', value: f.team || '', options: [{ value: '', text: 'All teams' }].concat(teamNames.map((n) => ({ value: n, text: n }))) })
          : input({ id: 'team', label: 'Team', value: f.team || '', hint: 'As recorded on the episode' }),
        input({ id: 'locality', label: 'Locality', value: f.locality || '', hint: 'As recorded on the episode' })),
      h('div', { class: 'govuk-grid-column-one-third' },
        select({
          id: 'looked_after', label: 'Looked after', value: f.looked_after || '',
          options: [{ value: '', text: 'Looked after or not' }, { value: 'true', text: 'Looked after' }, { value: 'false', text: 'Not looked after' }],
        }),
        select({
          id: 'age_band', label: 'Age when they went missing', value: f.age_band || '',
          options: [{ value: '', text: 'Any age' }].concat(AGE_BANDS.map((b) => ({ value: b, text: b.replace('-', ' to ') }))),
        })),
      h('div', { class: 'govuk-grid-column-one-third' },
        select({
          id: 'sex', label: 'Sex', value: f.sex || '',
          options: [{ value: '', text: 'Any' }].concat((sexes || []).map((s) => ({ value: s.code, text: s.label }))),
        }),
        input({ id: 'month', label: 'Month', value: f.month || '', hint: 'For example, 2026-03. Empty: this month', width: 10 }))),
    h('div', { class: 'govuk-button-group' },
      button({ text: 'Apply filters', id: 'apply-filters', secondary: true }),
      h('a', { class: 'govuk-link', href: '/missing', id: 'clear-filters', onclick: onClear, text: 'Clear filters' })));
}

function formFilters(form) {
  const f = {};
  for (const k of FILTER_KEYS) {
    const el = form.elements.namedItem(k);
    const v = el ? String(el.value || '').trim() : '';
    if (v) f[k] = v;
  }
  return f;
}

// ---- the page --------------------------------------------------------------------------------

export async function render(ctx) {
  let filters = readFilters(pageSearch());
  const url = () => `/api/v1/dashboard/missing${query(filters)}`;
  const [d, teamList, ref] = await Promise.all([
    api('GET', url()),
    teams().catch(() => null),
    reference().catch(() => null),
  ]);
  const refreshMs = Number(window.SAFEHUB_MFH_REFRESH_MS) > 0 ? Math.max(200, Number(window.SAFEHUB_MFH_REFRESH_MS)) : REFRESH_MS;
  const updated = h('p', { class: 'govuk-body-s', id: 'mfh-updated', 'aria-live': 'polite', text: `Updated at ${hhmm(d.generated_at)}` });
  const errorBox = h('div', { id: 'mfh-error' });
  const root = h('div', { id: 'mfh-dashboard' },
    h('div', { id: 'mfh-counts' }),
    section('missing-now', 'Missing now'),
    section('awaiting', 'Returned and awaiting a return home interview'),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-one-half' }, section('this-month', 'This month')),
      h('div', { class: 'govuk-grid-column-one-half' }, section('last-12', 'The last 12 months'))),
    section('by-month', 'By month'),
    section('out-of-area', 'Out of area'),
    section('notifications', 'Notifications to other authorities not acknowledged'));

  let shownMonth = '';
  // Fill every panel with answer a, keeping focus (on the element with the same data-focus-key)
  // and the scroll position.
  function draw(a) {
    const active = document.activeElement;
    const focusKey = active && root.contains(active) ? active.getAttribute('data-focus-key') : null;
    const x = window.scrollX;
    const y = window.scrollY;
    for (const [id, content] of Object.entries(panels(ctx, filters, a))) {
      const el = root.querySelector(`#${id}`);
      if (el) replace(el, content);
    }
    shownMonth = a.filters.month;
    const caption = root.ownerDocument.getElementById('mfh-month-caption');
    if (caption) caption.textContent = monthName(shownMonth);
    const headings = { 'this-month-heading': `This month: ${monthName(a.filters.month)}`, 'last-12-heading': `The 12 months to ${monthName(a.filters.month)}` };
    for (const [id, text] of Object.entries(headings)) {
      const el = root.querySelector(`#${id}`);
      if (el) el.textContent = text;
    }
    if (focusKey && !(document.activeElement && root.contains(document.activeElement))) {
      const again = root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
      if (again) again.focus({ preventScroll: true });
    }
    window.scrollTo(x, y);
    updated.textContent = `Updated at ${hhmm(a.generated_at)}`;
  }

  let busy = false;
  let timer = null;
  // A tab in the background is not refreshed (each answer is an audited view); it catches up
  // as soon as it is shown again.
  function onVisible() {
    if (!root.isConnected) document.removeEventListener('visibilitychange', onVisible);
    else if (!document.hidden) refresh();
  }

  async function refresh() {
    if (!root.isConnected) {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      return;
    }
    if (busy || document.hidden) return;
    busy = true;
    const asked = url();
    try {
      const a = await api('GET', asked);
      // Drawn only when still on the page and the filters have not changed meanwhile.
      if (root.isConnected && asked === url()) {
        draw(a);
        replace(errorBox);
      }
    } catch (e) {
      if (e instanceof SignedOut) clearInterval(timer);
      else if (root.isConnected) {
        replace(errorBox, paragraph(`The dashboard could not be updated at ${hhmm()}: ${e.message}. It will try again.`, 'govuk-body-s govuk-error-message'));
      }
    } finally {
      busy = false;
    }
  }

  async function onSubmit(e) {
    e.preventDefault();
    const want = formFilters(e.currentTarget);
    const bad = [];
    if (want.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(want.month)) bad.push('Enter the month like 2026-03');
    if (bad.length) {
      replace(errorBox, paragraph(bad.join('. '), 'govuk-body govuk-error-message'));
      return;
    }
    const previous = filters;
    filters = want;
    try {
      const a = await api('GET', url());
      history.replaceState(history.state, '', `/missing${query(filters)}`);
      draw(a);
      replace(errorBox);
    } catch (err) {
      filters = previous;
      if (!(err instanceof SignedOut)) replace(errorBox, paragraph(err.message, 'govuk-body govuk-error-message'));
    }
  }

  function onClear(e) {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const form = e.currentTarget.closest('form');
    for (const k of FILTER_KEYS) {
      const el = form.elements.namedItem(k);
      if (el) el.value = '';
    }
    form.requestSubmit();
  }

  draw(d);
  return {
    title: 'Missing from home dashboard',
    node: [
      h('h1', { class: 'govuk-heading-l', tabindex: '-1', 'data-page-heading': true },
        h('span', { class: 'govuk-caption-l', id: 'mfh-month-caption', text: monthName(shownMonth) }),
        'Missing from home'),
      h('p', { class: 'govuk-body' }, 'Every child reported missing, live. Each number leads to the children behind it. ',
        h('a', { class: 'govuk-link', href: '/missing/episodes', text: 'All missing episodes' }), '.'),
      (CAN_IMPORT.includes(ctx.user.role) || CAN_EXPORT.includes(ctx.user.role))
        ? h('ul', { class: 'govuk-list', id: 'mfh-tools' },
          CAN_IMPORT.includes(ctx.user.role)
            ? h('li', {}, h('a', { class: 'govuk-link', href: '/imports/missing', text: 'Import a police extract' })) : null,
          CAN_EXPORT.includes(ctx.user.role)
            ? h('li', {}, h('a', { class: 'govuk-link', href: '/exports', text: 'Statutory returns: SSDA903 missing and Annex A' })) : null)
        : null,
      filtersForm(filters, teamList, ref && ref.sexes, onSubmit, onClear),
      updated,
      errorBox,
      root,
      paragraph(`This page updates itself every ${Math.round(refreshMs / 1000) || 1} seconds.`, 'govuk-body-s'),
    ],
    afterMount() {
      initAll({ scope: root });
      timer = setInterval(refresh, refreshMs);
      document.addEventListener('visibilitychange', onVisible);
    },
  };
}
