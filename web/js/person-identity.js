// The person page's identity part (issue 5, docs/api-identity.md "Merge and unmerge"):
// personIdentity(ctx, person) -> {actions, top, sections}, each a node, an array of nodes or null.
//   actions: "Merge another record into this one" (managers, on a record that is not merged);
//   top: a banner when this record was merged into another, linking to it;
//   sections: "Also known as": the records merged into this one (and into those), with their
//     names and identifiers, and an "Unmerge" button for managers on the ones merged straight
//     into this record; and the merges undone, for the record's history.
// Data: GET /api/v1/persons/{id}/merges (one request; audited by the server as a view).

import { h } from './dom.js';
import {
  linkButton, notificationBanner, summaryCard, paragraph, link, table, button, errorSummary,
} from './govuk.js';
import { initAll } from '/govuk/govuk-frontend.min.js';
import { api, ApiError } from './api.js';
import { formatDate, formatDateTime, fullName } from './format.js';
import { CAN_MERGE } from './roles.js';

// Table names of the moved counts, in the words of the hub.
const MOVED_WORDS = {
  referrals: ['referral', 'referrals'],
  cases: ['case', 'cases'],
  assessments: ['risk assessment', 'risk assessments'],
  meetings: ['meeting', 'meetings'],
  clocks: ['timescale', 'timescales'],
  missing_episodes: ['missing episode', 'missing episodes'],
  person_flags: ['flag', 'flags'],
  match_reviews: ['match review', 'match reviews'],
  person_access: ['named user', 'named users'],
};

// {cases: 2, referrals: 1} -> '2 cases, 1 referral' ('' when nothing moved).
export function movedText(moved) {
  return Object.entries(moved || {})
    .filter(([, n]) => n > 0)
    .map(([t, n]) => {
      const w = MOVED_WORDS[t] || [t.replace(/_/g, ' '), t.replace(/_/g, ' ')];
      return `${n} ${n === 1 ? w[0] : w[1]}`;
    })
    .join(', ');
}

// '9991234561' -> '999 123 4561'.
function nhs(s) {
  return /^\d{10}$/.test(s || '') ? `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}` : (s || '');
}

// The rows describing a record merged in: names and identifiers first.
export function identityRows(p) {
  const ids = (p && p.identifiers) || {};
  return [
    { key: 'Name', value: fullName(p || {}), valueClass: 'app-wrap' },
    { key: 'Aliases', value: ((p && p.aliases) || []).join(', '), valueClass: 'app-wrap' },
    { key: 'Date of birth', value: p && p.dob ? formatDate(p.dob) : '' },
    { key: 'NHS number', value: nhs(ids.nhs_number) },
    { key: 'Unique pupil number', value: ids.upn || '' },
    { key: 'Police reference', value: ids.police_ref || '', valueClass: 'app-wrap' },
    { key: 'Local authority person ID', value: ids.la_id || '', valueClass: 'app-wrap' },
  ];
}

export async function personIdentity(ctx, person) {
  const isManager = CAN_MERGE.includes(ctx.user.role);
  let items = [];
  let loadError = null;
  try {
    items = (await api('GET', `/api/v1/persons/${person.id}/merges`)).items || [];
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    loadError = e;
  }
  const inForce = items.filter((m) => !m.unmerged_at);

  const actions = isManager && !person.merged_into
    ? linkButton({ href: `/persons/${person.id}/merge`, text: 'Merge another record into this one', secondary: true, id: 'merge-person' })
    : null;

  let top = null;
  if (person.merged_into) {
    const into = inForce.find((m) => m.merged_id === person.id);
    const target = into && into.survivor;
    const name = target ? (fullName(target) || `Person ${target.id}`) : `person ${person.merged_into}`;
    top = notificationBanner({
      heading: 'This record has been merged into another record',
      content: [
        h('p', { class: 'govuk-body' },
          'Its referrals, cases and other records are now on ',
          link(`/persons/${person.merged_into}`, name, 'govuk-notification-banner__link'),
          '. This record is kept so the merge can be undone.'),
        into ? paragraph(`Merged on ${formatDateTime(into.merged_at)} by ${into.merged_by}.`) : null,
      ],
    });
  }

  // The errors of an unmerge, shown at the top of the section.
  const errorArea = h('div', { id: 'unmerge-errors' });

  async function onUnmerge(m) {
    try {
      await api('POST', `/api/v1/persons/${person.id}/unmerge`, { merge_id: m.merge_id });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      errorArea.replaceChildren(errorSummary([{ text: e.detail || e.title || 'The merge could not be undone. Try again.' }],
        'The merge has not been undone'));
      initAll({ scope: errorArea });
      return;
    }
    const name = m.merged ? (fullName(m.merged) || `Person ${m.merged_id}`) : `Person ${m.merged_id}`;
    ctx.flash({ type: 'success', heading: `Merge undone: ${name} is a separate record again` });
    ctx.reload();
  }

  const sections = [];
  const aka = inForce.filter((m) => m.merged_id !== person.id);
  if (loadError) {
    sections.push(h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', id: 'aka-heading', text: 'Also known as' }),
      paragraph(loadError.status === 403 ? 'You cannot see the records merged into this one.'
        : 'The records merged into this one could not be loaded. Try again later.'));
  } else if (aka.length) {
    sections.push(
      h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', id: 'aka-heading', text: 'Also known as' }),
      paragraph('Records of the same person merged into this one. Their names and identifiers are kept.'),
      errorArea,
      aka.map((m) => {
        const p = m.merged;
        const title = p ? (fullName(p) || `Person ${m.merged_id}`) : `Person ${m.merged_id} (restricted)`;
        const direct = m.survivor_id === person.id;
        return h('div', { class: 'app-aka', 'data-merge-id': String(m.merge_id) },
          summaryCard({
            title,
            headingLevel: 3,
            actions: [{ href: `/persons/${m.merged_id}`, text: 'View record', hidden: title }],
            rows: [
              ...(p ? identityRows(p) : []),
              direct ? null : { key: 'Merged into', value: m.survivor ? (fullName(m.survivor) || `Person ${m.survivor_id}`) : `Person ${m.survivor_id}` },
              { key: 'Merged', value: `${formatDateTime(m.merged_at)} by ${m.merged_by}` },
              { key: 'Reason', value: m.reason, valueClass: 'app-pre-line app-wrap' },
              { key: 'Records moved', value: movedText(m.moved) || 'None' },
            ].filter(Boolean),
          }),
          isManager && direct
            ? button({
              text: 'Unmerge', type: 'button', secondary: true, once: true, id: `unmerge-${m.merge_id}`,
              classes: 'govuk-!-margin-bottom-6', onClick: () => onUnmerge(m),
            })
            : null);
      }));
  }
  const undone = items.filter((m) => m.unmerged_at && m.survivor_id === person.id);
  if (!loadError && undone.length) {
    sections.push(table({
      id: 'merges-undone', caption: 'Merges undone', label: 'Merges undone',
      head: ['Record', 'Merged', 'Undone'],
      rows: undone.map((m) => [
        m.merged ? (fullName(m.merged) || `Person ${m.merged_id}`) : `Person ${m.merged_id}`,
        `${formatDateTime(m.merged_at)} by ${m.merged_by}`,
        `${formatDateTime(m.unmerged_at)} by ${m.unmerged_by}`,
      ]),
    }));
  }
  return { actions, top, sections: sections.length ? sections : null };
}
