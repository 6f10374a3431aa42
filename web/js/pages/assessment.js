// A risk assessment and its result (/assessments/{id}): the final level, the score out of the
// tool's maximum, the level the score gave, every floor rule applied, the professional override
// and its rationale, and the answers by domain with each domain's score, labelled from the tool
// version the assessment used (GET /api/v1/risk-tools/{id}). Assessments never change.

import { h } from '../dom.js';
import {
  pageHeading, summaryCard, table, notificationBanner, paragraph, link,
} from '../govuk.js';
import { api, ApiError } from '../api.js';
import { formatDateTime, fullName } from '../format.js';
import { riskTag, levelLabel } from '../casework.js';

function answerText(indicator, value) {
  if (value === null || value === undefined) return 'Not answered';
  if (indicator.type === 'yesno') return value === true ? 'Yes' : 'No';
  const o = (indicator.options || []).find((x) => x.code === value);
  return o ? o.label : String(value);
}

export async function render(ctx) {
  const id = ctx.params[0];
  const a = await api('GET', `/api/v1/assessments/${id}`);
  const [tool, person] = await Promise.all([
    api('GET', `/api/v1/risk-tools/${a.tool.id}`).catch((e) => { if (e instanceof ApiError) return null; throw e; }),
    api('GET', `/api/v1/persons/${a.person_id}`).catch((e) => { if (e instanceof ApiError) return null; throw e; }),
  ]);
  const flash = ctx.takeFlash();
  const r = a.result || {};
  const answers = a.answers || r.answers || {};
  const def = (tool && tool.definition) || { domains: [] };
  const floors = r.floors_applied || [];
  const name = person ? (fullName(person) || `Person ${person.id}`) : `Person ${a.person_id}`;

  const node = [
    flash ? notificationBanner({ type: flash.type, heading: flash.heading }) : null,
    pageHeading('Risk assessment', { caption: name }),
    h('div', { class: 'app-result', id: 'assessment-result' },
      h('p', { class: 'govuk-body-l govuk-!-margin-bottom-2' }, 'Risk level: ', riskTag(a.final_level)),
      h('p', { class: 'govuk-body govuk-!-margin-bottom-0', text: `Score ${a.score}${r.max_score ? ` out of ${r.max_score}` : ''}` })),
    summaryCard({
      title: 'Result',
      rows: [
        { key: 'Final level', value: levelLabel(a.final_level) },
        { key: 'Score', value: `${a.score}${r.max_score ? ` out of ${r.max_score}` : ''}` },
        { key: 'Level from the score', value: levelLabel(a.computed_level) },
        { key: 'Floor rules applied', value: floors.length ? h('ul', { class: 'govuk-list govuk-list--bullet', id: 'floors' }, floors.map((f) => h('li', { text: new RegExp(`\\b${f.level}\\b`, 'i').test(f.label) ? f.label : `${f.label} (at least ${f.level})` }))) : 'None' },
        r.age_unknown ? { key: 'Age rule', value: 'Not checked: the date of birth is not known' } : null,
        { key: 'Professional override', value: a.override_level ? `Changed to ${a.override_level}` : 'No' },
        a.override_level ? { key: 'Rationale', value: a.override_rationale, valueClass: 'app-pre-line app-wrap' } : null,
        { key: 'Answered', value: r.answered !== undefined ? `${r.answered} of ${r.answered + (r.unanswered || 0)} questions` : '' },
        { key: 'Assessed', value: [formatDateTime(a.assessed_at), a.assessor && `by ${a.assessor}`].filter(Boolean).join(' ') },
        { key: 'Tool', value: `${a.tool.name}, version ${a.tool.version}` },
      ].filter(Boolean),
    }),
    h('p', { class: 'govuk-body' },
      a.case_id ? [link(`/cases/${a.case_id}`, 'Back to the case'), ' · '] : null,
      link(`/persons/${a.person_id}`, 'The person’s whole story')),
    h('h2', { class: 'govuk-heading-l govuk-!-margin-top-6', text: 'Answers' }),
    tool ? (def.domains || []).map((d) => table({
      caption: `${d.label}: score ${(r.domain_scores || {})[d.code] ?? 0}`, captionSize: 's',
      head: ['Question', 'Answer'],
      rows: (d.indicators || []).map((i) => [{ content: i.label, class: 'app-wrap' }, answerText(i, answers[i.code])]),
    })) : paragraph('The tool this assessment used could not be loaded.'),
  ];
  return { title: 'Risk assessment', node };
}
