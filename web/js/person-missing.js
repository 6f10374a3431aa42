// The person page's missing-from-home part (issue 4): GET /api/v1/persons/{id}/missing gives the
// person's episodes, how many started in the last 90 days and 12 months, the repeat-missing
// flag and the open episode. personMissing(ctx, person) returns what pages/person.js places:
//   actions   a "Report missing" button for those who may record episodes
//   top       a warning banner when they are missing now or flagged repeat missing, with the counts
//   sections  the table of their episodes, newest first, each linking to the episode
// Roles without missing.read get nothing (no request is made); a 403 (a restricted record, or a
// role the server refuses) leaves the part out; any other failure shows a line saying the
// episodes could not be loaded rather than breaking the person page. Text-only DOM.

import { h } from './dom.js';
import {
  table, paragraph, linkButton, notificationBanner,
} from './govuk.js';
import { api, ApiError } from './api.js';
import { formatDate, formatDateTime } from './format.js';
import { CAN_READ_MISSING, CAN_WRITE_MISSING } from './roles.js';
import {
  MISSING_FROM, textFor, statusTag, gradeTag, rhiTag, durationText,
} from './missing-episode-ui.js';

function episodesText(n) {
  return n === 1 ? '1 episode' : `${n || 0} episodes`;
}

function countsText(m) {
  return `${episodesText(m.count_90_days)} started in the last 90 days and ${episodesText(m.count_12_months)} in the last 12 months.`;
}

function heading(text) {
  return h('h2', { class: 'govuk-heading-l govuk-!-margin-top-8', id: 'missing-episodes', text });
}

// The banner: missing now (with when they were last seen and a link to the episode) and/or
// flagged repeat missing (since when), with the counts.
function banner(m) {
  const episodes = m.episodes || [];
  const open = m.open_episode_id ? episodes.find((e) => e.id === m.open_episode_id) || { id: m.open_episode_id } : null;
  const repeat = m.repeat_missing && m.repeat_missing.flagged;
  if (!open && !repeat) return null;
  const since = repeat && m.repeat_missing.since ? (/^\d{4}-\d{2}-\d{2}$/.test(m.repeat_missing.since)
    ? formatDate(m.repeat_missing.since) : formatDateTime(m.repeat_missing.since)) : '';
  const el = notificationBanner({
    title: 'Missing from home',
    heading: open ? 'Missing now' : 'Repeat missing',
    content: [
      open ? h('p', { class: 'govuk-body' },
        open.started_at ? `Last seen ${formatDateTime(open.started_at)}. ` : '',
        h('a', { class: 'govuk-notification-banner__link', href: `/missing/${open.id}`, id: 'open-episode-link', text: 'View the open episode' })) : null,
      repeat ? h('p', { class: 'govuk-body', id: 'repeat-missing', text: `Flagged as repeat missing${since ? ` since ${since}` : ''}.` }) : null,
      h('p', { class: 'govuk-body', id: 'missing-counts', text: countsText(m) }),
    ],
  });
  el.id = 'missing-banner';
  return el;
}

function episodeTable(episodes) {
  const sorted = [...episodes].sort((a, b) => String(b.started_at || '').localeCompare(String(a.started_at || '')));
  return table({
    id: 'person-missing', label: 'Missing episodes',
    head: ['Last seen', 'Status', 'How long', 'Missing from', 'Risk', 'Return interview'],
    rows: sorted.map((ep) => [
      h('a', { class: 'govuk-link', href: `/missing/${ep.id}` }, formatDateTime(ep.started_at),
        h('span', { class: 'govuk-visually-hidden', text: ': view the episode' })),
      statusTag(ep),
      durationText(ep),
      textFor(MISSING_FROM, ep.missing_from),
      gradeTag(ep.grading && ep.grading.latest),
      rhiTag(ep),
    ]),
  });
}

// See the file comment. person: the Person the page shows.
export async function personMissing(ctx, person) {
  const none = { actions: null, top: null, sections: null };
  if (!CAN_READ_MISSING.includes(ctx.user.role)) return none;
  const actions = CAN_WRITE_MISSING.includes(ctx.user.role)
    ? linkButton({ href: `/persons/${person.id}/missing/new`, text: 'Report missing', secondary: true, id: 'report-missing' })
    : null;
  let m;
  try {
    m = await api('GET', `/api/v1/persons/${person.id}/missing`);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 403) return none;
    return { actions, top: null, sections: [heading('Missing episodes'), paragraph('The missing episodes could not be loaded. Try again later.')] };
  }
  const episodes = (m && m.episodes) || [];
  return {
    actions,
    top: banner(m || {}),
    sections: [
      heading('Missing episodes'),
      episodes.length
        ? [paragraph(countsText(m)), episodeTable(episodes)]
        : paragraph('No missing episodes have been recorded.'),
    ],
  };
}
