// Referrals awaiting a screening decision (/referrals), oldest first, with the time left until
// each decision is due (GET /api/v1/referrals?status=awaiting_decision). Restricted persons
// the user may not see are left out by the server.

import { h, replace } from '../dom.js';
import { pageHeading, table, pagination, paragraph, link } from '../govuk.js';
import { api, query } from '../api.js';
import { formatDateTime, fullName } from '../format.js';
import {
  config, labels, timeLeft, hoursUntil, CAN_WRITE_REFERRALS,
} from '../casework.js';

const LIMIT = 50;

export async function render(ctx) {
  const cfg = await config();
  const results = h('div', { id: 'referral-results' });

  async function load(offset, focus) {
    const r = await api('GET', `/api/v1/referrals${query({ status: 'awaiting_decision', limit: LIMIT, offset })}`);
    const items = r.items || [];
    const total = typeof r.total === 'number' ? r.total : items.length;
    ctx.memory.offset = offset;
    replace(results,
      h('h2', { class: 'govuk-heading-m', id: 'referrals-heading', tabindex: '-1',
        text: total === 1 ? '1 referral awaiting a decision' : `${total} referrals awaiting a decision` }),
      items.length ? table({
        id: 'referrals', label: 'Referrals awaiting a decision',
        head: ['Person', 'Received', 'Source', 'Strands', 'Decision due', 'Time left'],
        rows: items.map((x) => [
          { content: link(`/referrals/${x.id}`, x.person ? (fullName(x.person) || `Person ${x.person.id}`) : (x.subject_ref || `Referral ${x.id}`)), class: 'app-wrap' },
          formatDateTime(x.received_at),
          x.source_label || labels(cfg.referral_sources, [x.source_code])[0],
          labels(cfg.strands, x.strands).join(', '),
          formatDateTime(x.decision_due_at),
          timeLeft(hoursUntil(x.decision_due_at), false),
        ]),
      }) : paragraph('There are no referrals waiting for a decision.'),
      total > items.length ? pagination({
        label: 'Referral pages',
        onPrev: offset > 0 ? () => load(Math.max(0, offset - LIMIT), true) : null,
        onNext: offset + items.length < total ? () => load(offset + LIMIT, true) : null,
      }) : null);
    if (focus) results.querySelector('h2').focus();
  }

  await load(ctx.memory.offset || 0, false);
  return {
    title: 'Referrals awaiting a decision',
    node: [
      pageHeading('Referrals'),
      CAN_WRITE_REFERRALS.includes(ctx.user.role) ? [
        paragraph('To record a new referral, find the person first (or add them), then choose “Record a referral” on their record.'),
        h('p', { class: 'govuk-body' }, link('/persons', 'Find a person'))] : null,
      results,
    ],
  };
}
