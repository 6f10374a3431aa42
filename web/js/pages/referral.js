// A referral (/referrals/{id}): what was referred, when the decision is due (and whether it
// is late), and the screening decision. A manager sees the decision form while the referral
// awaits a decision (POST /api/v1/referrals/{id}/decision); an outcome that opens a case needs
// a team, and may name a worker. Once decided the page links to the case it opened.

import { h } from '../dom.js';
import {
  pageHeading, summaryCard, notificationBanner, tag, linkButton,
} from '../govuk.js';
import { api } from '../api.js';
import { formatDateTime, fullName } from '../format.js';
import { formPage } from '../form-page.js';
import {
  config, labels, bulletList, timeLeft, hoursUntil, CAN_DECIDE, teams, teamOptions, workerOptions,
} from '../casework.js';

function subjectName(r) {
  if (r.person) return fullName(r.person) || `Person ${r.person.id}`;
  return r.subject_ref || 'Not a named person';
}

function statusTag(r) {
  if (r.status !== 'awaiting_decision') return tag('Decided', 'green');
  return hoursUntil(r.decision_due_at) < 0 ? tag('Decision overdue', 'red') : tag('Awaiting decision', 'blue');
}

function details(r, cfg) {
  const outcome = (cfg.decision_outcomes || []).find((o) => o.code === r.outcome);
  const source = (cfg.referral_sources || []).find((s) => s.code === r.source_code);
  const decided = r.status !== 'awaiting_decision';
  return [
    h('p', { class: 'govuk-body' }, statusTag(r),
      decided && r.decision_late === true ? [' ', tag('Decided late', 'orange')] : null),
    summaryCard({
      title: 'Referral',
      rows: [
        { key: 'Person', value: r.person ? h('a', { class: 'govuk-link', href: `/persons/${r.person.id}`, text: subjectName(r) }) : subjectName(r) },
        { key: 'Received', value: formatDateTime(r.received_at) },
        { key: 'Source', value: source ? source.label : (r.source_label || r.source_code) },
        { key: 'Referring agency', value: r.source_agency, valueClass: 'app-wrap' },
        { key: 'Referrer', value: r.referrer_name, valueClass: 'app-wrap' },
        { key: 'Referrer’s contact', value: r.referrer_contact, valueClass: 'app-wrap' },
        { key: 'Strands', value: bulletList(labels(cfg.strands, r.strands)) },
        { key: 'Concerns', value: r.concerns, valueClass: 'app-pre-line app-wrap' },
        { key: 'Consent or information-sharing basis', value: r.consent_basis, valueClass: 'app-pre-line app-wrap' },
        { key: 'Recorded by', value: [r.created_by, formatDateTime(r.created_at)].filter(Boolean).join(', ') },
      ],
    }),
    summaryCard({
      title: 'Decision',
      rows: decided
        ? [
          { key: 'Outcome', value: outcome ? outcome.label : (r.outcome_label || r.outcome) },
          { key: 'Rationale', value: r.rationale, valueClass: 'app-pre-line app-wrap' },
          { key: 'Decided', value: [formatDateTime(r.decided_at), r.decided_by && `by ${r.decided_by}`].filter(Boolean).join(' ') },
          { key: 'Decision due by', value: formatDateTime(r.decision_due_at) },
          { key: 'Within the practice standard', value: r.decision_late === true ? 'No: the decision was late' : (r.decision_late === false ? 'Yes' : '') },
          r.case_id ? { key: 'Case', value: h('a', { class: 'govuk-link', href: `/cases/${r.case_id}`, id: 'case-link', text: 'View the case' }) } : null,
        ].filter(Boolean)
        : [
          { key: 'Decision due by', value: formatDateTime(r.decision_due_at) },
          { key: 'Time left', value: timeLeft(hoursUntil(r.decision_due_at), false) },
        ],
    }),
  ];
}

export async function render(ctx) {
  const id = ctx.params[0];
  const [r, cfg] = await Promise.all([api('GET', `/api/v1/referrals/${id}`), config()]);
  const t = r.status === 'awaiting_decision' && CAN_DECIDE.includes(ctx.user.role) ? await teams() : null;
  const awaiting = r.status === 'awaiting_decision';
  const caption = subjectName(r);

  if (!awaiting || !CAN_DECIDE.includes(ctx.user.role)) {
    const flash = ctx.takeFlash();
    return {
      title: 'Referral',
      node: h('div', { class: 'govuk-grid-row' }, h('div', { class: 'govuk-grid-column-two-thirds' },
        flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
        pageHeading('Referral', { caption }),
        details(r, cfg),
        r.case_id ? linkButton({ href: `/cases/${r.case_id}`, text: 'Go to the case', id: 'go-to-case' }) : null)),
    };
  }

  const opens = new Set((cfg.decision_outcomes || []).filter((o) => o.opens_case).map((o) => o.code));
  return formPage(ctx, {
    title: 'Referral',
    caption,
    what: 'this referral',
    submitText: 'Save decision',
    submitId: 'save-decision',
    before: () => [
      details(r, cfg),
      h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', id: 'decision-heading', text: 'Screening decision' }),
    ],
    fields: [
      { type: 'radios', name: 'outcome', label: 'Outcome', legendSize: 'm', errorLabel: 'an outcome',
        items: (cfg.decision_outcomes || []).filter((o) => o.active !== false)
          .map((o) => ({ value: o.code, text: o.opens_case ? `${o.label} (opens a case)` : o.label })) },
      { type: 'textarea', name: 'rationale', label: 'Rationale', labelSize: 'm', rows: 6, errorLabel: 'a rationale',
        hint: 'Why this outcome: the risks and strengths you weighed, and what happens next' },
      { type: 'datetime', name: 'decided_at', label: 'When was the decision made?', value: 'now', errorLabel: 'when the decision was made' },
      { type: 'heading', text: 'If the outcome opens a case' },
      { type: 'select', name: 'team', label: 'Team', value: ctx.user.team || '', errorLabel: 'the team', options: teamOptions(t),
        hint: 'The team that will hold the case. Only used when the outcome opens a case.' },
      { type: 'select', name: 'worker', label: 'Allocated worker (optional)', errorLabel: 'the worker', options: workerOptions(t),
        hint: 'Someone in the chosen team. Leave it as not allocated to allocate a worker later.' },
    ],
    body: (v) => {
      const b = { version: r.version, outcome: v.outcome, rationale: v.rationale };
      if (v.decided_at) b.decided_at = v.decided_at;
      if (opens.has(v.outcome)) {
        b.team = v.team;
        if (v.worker) b.worker = v.worker;
      }
      return b;
    },
    send: (body) => api('POST', `/api/v1/referrals/${id}/decision`, body),
    saved: (d) => {
      ctx.flash({ type: 'success', heading: d.case_id ? 'Decision recorded: a case has been opened' : 'Decision recorded' });
      ctx.reload();
    },
  });
}
