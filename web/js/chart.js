// The risk trajectory chart: a person's assessments over time (x) against the three levels
// (y: low, medium, high bands), drawn as SVG with createElementNS (no HTML strings, no inline
// styles: the look comes from the app-chart classes in app.css). The level is shown by height
// and by the labelled band, not by colour alone. The SVG is one image to assistive technology
// (role img, with a title and a description); the same data is in the table that the caller
// puts beside it (riskTable), which is the chart's full text alternative.

import { h, svg } from './dom.js';
import { table } from './govuk.js';
import { formatDate, formatDateTime } from './format.js';
import { levelLabel, riskTag } from './casework.js';

const LEVELS = ['high', 'medium', 'low'];
const W = 640;
const H = 220;
const M = { left: 92, right: 16, top: 8, bottom: 40 };
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function text(x, y, s, cls, anchor = 'middle', baseline = 'auto') {
  const t = svg('text', { x, y, class: cls, 'text-anchor': anchor, 'dominant-baseline': baseline });
  t.textContent = s;
  return t;
}

// Month ticks between t0 and t1 (ms), at most 6 of them (room for their labels on a phone).
function ticks(t0, t1) {
  const span = (t1 - t0) / (30.44 * 86400000);
  const step = [1, 2, 3, 6, 12, 24, 60].find((s) => span / s <= 6) || 120;
  const d0 = new Date(t0);
  let y = d0.getUTCFullYear();
  let m = d0.getUTCMonth();
  m = Math.ceil((m + (d0.getUTCDate() > 1 ? 1 : 0)) / step) * step;
  const out = [];
  for (let i = 0; i < 200; i += 1) {
    const t = Date.UTC(y + Math.floor(m / 12), m % 12, 1);
    if (t > t1) break;
    if (t >= t0) out.push({ t, label: step >= 12 ? String(y + Math.floor(m / 12)) : `${SHORT_MONTHS[m % 12]} ${y + Math.floor(m / 12)}` });
    m += step;
  }
  return out;
}

// The chart for assessments [{assessed_at, final_level}] (any order). id prefixes the ids of
// the SVG's title and description.
export function riskChart(assessments, id = 'risk-chart') {
  const points = (assessments || [])
    .filter((a) => LEVELS.includes(a.final_level) && !Number.isNaN(new Date(a.assessed_at).getTime()))
    .map((a) => ({ t: new Date(a.assessed_at).getTime(), level: a.final_level, at: a.assessed_at }))
    .sort((a, b) => a.t - b.t);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = plotH / 3;
  let t0 = points.length ? points[0].t : Date.now();
  let t1 = points.length ? points[points.length - 1].t : Date.now();
  const pad = Math.max((t1 - t0) * 0.04, 15 * 86400000);
  t0 -= pad;
  t1 += pad;
  const x = (t) => M.left + ((t - t0) / (t1 - t0)) * plotW;
  const y = (level) => M.top + band * LEVELS.indexOf(level) + band / 2;

  const first = points[0];
  const last = points[points.length - 1];
  const desc = points.length
    ? `${points.length} assessment${points.length === 1 ? '' : 's'} from ${formatDate(first.at.slice(0, 10))} to ${formatDate(last.at.slice(0, 10))}. `
      + `First ${first.level}, latest ${last.level}. The table below lists each assessment.`
    : 'No assessments yet.';

  const root = svg('svg', {
    class: 'app-chart__svg', viewBox: `0 0 ${W} ${H}`, role: 'img', focusable: 'false',
    'aria-labelledby': `${id}-title ${id}-desc`, xmlns: 'http://www.w3.org/2000/svg',
  });
  const title = svg('title', { id: `${id}-title` });
  title.textContent = 'Risk trajectory';
  const description = svg('desc', { id: `${id}-desc` });
  description.textContent = desc;
  root.append(title, description);

  for (const level of LEVELS) {
    root.append(svg('rect', {
      class: `app-chart__band app-chart__band--${level}`, x: M.left, y: M.top + band * LEVELS.indexOf(level), width: plotW, height: band,
    }));
    root.append(text(M.left - 8, y(level), levelLabel(level), 'app-chart__label', 'end', 'central'));
  }
  root.append(svg('line', { class: 'app-chart__axis', x1: M.left, y1: M.top + plotH, x2: M.left + plotW, y2: M.top + plotH }));
  for (const tk of ticks(t0, t1)) {
    const tx = x(tk.t);
    root.append(svg('line', { class: 'app-chart__tick', x1: tx, y1: M.top + plotH, x2: tx, y2: M.top + plotH + 5 }));
    root.append(text(tx, M.top + plotH + 26, tk.label, 'app-chart__label app-chart__label--small'));
  }
  if (points.length > 1) {
    // A step line: a level holds until the next assessment.
    const d = points.map((p, i) => (i === 0 ? `M${x(p.t).toFixed(1)},${y(p.level)}` : `H${x(p.t).toFixed(1)}V${y(p.level)}`)).join('');
    root.append(svg('path', { class: 'app-chart__line', d }));
  }
  for (const p of points) {
    root.append(svg('circle', { class: `app-chart__point app-chart__point--${p.level}`, cx: x(p.t).toFixed(1), cy: y(p.level), r: 6 }));
  }
  return h('figure', { class: 'app-chart', id }, root);
}

// The chart's data as a table, oldest first: date, level (and overridden), score, assessor, link.
export function riskTable(assessments, { caption = 'Risk assessments, oldest first', id = 'risk-table' } = {}) {
  const items = [...(assessments || [])].sort((a, b) => String(a.assessed_at).localeCompare(String(b.assessed_at)));
  return table({
    id, label: caption, caption, captionSize: 's',
    head: ['Date', 'Level', { text: 'Score', numeric: true }, 'Overridden', 'Assessor', 'Assessment'],
    rows: items.map((a) => [
      formatDateTime(a.assessed_at),
      riskTag(a.final_level),
      { content: String(a.score ?? ''), numeric: true },
      a.override_level ? `Yes, from ${a.computed_level}` : 'No',
      a.assessor || '',
      h('a', { class: 'govuk-link', href: `/assessments/${a.id}` }, 'View',
        h('span', { class: 'govuk-visually-hidden', text: ` the assessment of ${formatDateTime(a.assessed_at)}` })),
    ]),
  });
}
