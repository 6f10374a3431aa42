// Complete a risk assessment (/cases/{id}/assessments/new or /persons/{id}/assessments/new;
// POST /api/v1/assessments). The form is drawn from the active risk tool's definition
// (GET /api/v1/risk-tools/{id}): one section per domain, a choice indicator as radios, the
// domain's yes/no indicators as checkboxes (ticked = yes, not ticked = no), then the
// professional override (a level and a rationale). A 422 names answers.<code>,
// override_level or override_rationale: each error goes beside its indicator or field. Once
// saved, the result page shows the score, the levels and the floor rules applied.
// From a person's page the assessment is linked to their open case, when they have one.

import { initAll } from '/govuk/govuk-frontend.min.js';
import { h, replace } from '../dom.js';
import {
  pageHeading, radios, textarea, button, buttonGroup, link, errorSummary, paragraph, summaryList,
} from '../govuk.js';
import { api, query, ApiError } from '../api.js';
import { formatDate, fullName } from '../format.js';
import { radioValue, raw } from '../forms.js';
import {
  dateTimeInput, readDateTime, dateTimeParts, checkboxes, placeErrors, levelLabel,
} from '../casework.js';

// The newest active tool (the highest id among the active ones).
function activeTool(items) {
  const active = (items || []).filter((t) => t.active);
  active.sort((a, b) => b.id - a.id);
  return active[0] || null;
}

export async function render(ctx) {
  const fromCase = ctx.mode === 'case';
  const id = ctx.params[0];
  let c = null;
  let person;
  if (fromCase) {
    c = await api('GET', `/api/v1/cases/${id}`);
    person = c.person || { id: c.person_id };
  } else {
    person = await api('GET', `/api/v1/persons/${id}`);
    const open = await api('GET', `/api/v1/cases${query({ person_id: person.id, status: 'open', limit: 1 })}`).catch((e) => {
      if (e instanceof ApiError) return { items: [] };
      throw e;
    });
    c = (open.items || [])[0] || null;
  }
  const tools = await api('GET', '/api/v1/risk-tools');
  const summaryTool = activeTool(tools.items);
  const name = fullName(person) || `Person ${person.id}`;
  const back = fromCase ? `/cases/${c.id}` : `/persons/${person.id}`;
  const title = 'Complete a risk assessment';
  if (!summaryTool) {
    return { title, node: [pageHeading(title, { caption: name }), paragraph('There is no active risk tool. Ask a safehub administrator to load one.')] };
  }
  if (fromCase && c.status !== 'open') {
    return { title, node: [pageHeading(title, { caption: name }), paragraph('This case is closed, so it cannot be changed.'), h('p', { class: 'govuk-body' }, link(back, 'Back to the case'))] };
  }
  const tool = await api('GET', `/api/v1/risk-tools/${summaryTool.id}`);
  const def = tool.definition || {};
  const domains = def.domains || [];
  const indicators = new Map(); // code -> {indicator, domain, order}
  let order = 0;
  for (const d of domains) {
    for (const i of d.indicators || []) indicators.set(i.code, { indicator: i, domain: d, order: order += 1 });
  }

  const model = { answers: {}, override: 'none', rationale: '', assessedAt: dateTimeParts() };
  for (const [code, { indicator }] of indicators) model.answers[code] = indicator.type === 'yesno' ? false : '';

  const column = h('div', { class: 'govuk-grid-column-two-thirds' });

  function readModel(form) {
    for (const [code, { indicator }] of indicators) {
      if (indicator.type === 'yesno') model.answers[code] = Boolean(form.querySelector(`#ind-${code}`)?.checked);
      else model.answers[code] = radioValue(form, `ind-${code}`);
    }
    model.override = radioValue(form, 'override-level') || 'none';
    model.rationale = raw(form, 'override-rationale');
    model.assessedAt = readDateTime(form, 'assessed-at', 'When the assessment was completed').parts;
  }

  function locate(field) {
    const m = /^answers\.(.+)$/.exec(field);
    if (m) {
      const hit = indicators.get(m[1]);
      if (!hit) return { key: null, href: null, label: `Answer “${m[1]}”`, order: 1 };
      const yesno = hit.indicator.type === 'yesno';
      return {
        key: yesno ? `dom-${hit.domain.code}` : `ind-${hit.indicator.code}`,
        href: `#ind-${hit.indicator.code}`, label: hit.indicator.label, choice: !yesno, order: 10 + hit.order,
      };
    }
    if (field === 'assessed_at') return { key: 'assessed-at', href: '#assessed-at-day', label: 'When the assessment was completed', order: 0 };
    if (field === 'override_level') return { key: 'override-level', href: '#override-level', label: 'The level', choice: true, order: 10000 };
    if (field === 'override_rationale') return { key: 'override-rationale', href: '#override-rationale', label: 'The rationale', order: 10001 };
    return null;
  }

  function domainSection(d, err) {
    const choice = (d.indicators || []).filter((i) => i.type === 'choice');
    const yesno = (d.indicators || []).filter((i) => i.type === 'yesno');
    return h('section', { class: 'app-domain', 'aria-labelledby': `domain-${d.code}` },
      h('h2', { class: 'govuk-heading-m', id: `domain-${d.code}`, text: d.label }),
      choice.map((i) => radios({
        id: `ind-${i.code}`, legend: i.label, legendSize: 's', hint: i.hint, value: model.answers[i.code],
        error: err[`ind-${i.code}`], items: (i.options || []).map((o) => ({ value: o.code, text: o.label })),
      })),
      yesno.length ? checkboxes({
        id: `dom-${d.code}`, name: `dom-${d.code}`, legend: 'Which of these apply?', legendHidden: `${d.label}: `, legendSize: 's',
        hint: 'Select all that apply',
        error: err[`dom-${d.code}`], small: true,
        items: yesno.map((i) => ({ id: `ind-${i.code}`, value: i.code, text: i.label, hint: i.hint })),
        values: yesno.filter((i) => model.answers[i.code] === true).map((i) => i.code),
      }) : null);
  }

  function draw(state = {}) {
    const err = state.inline || {};
    const parts = state.parts || {};
    const form = h('form', { novalidate: true, id: 'assessment-form', onsubmit: onSubmit },
      dateTimeInput({
        id: 'assessed-at', legend: 'When was the assessment completed?', legendSize: 'm', value: model.assessedAt,
        error: err['assessed-at'], errorParts: parts['assessed-at'],
      }),
      domains.map((d) => domainSection(d, err)),
      h('section', { class: 'app-domain', 'aria-labelledby': 'judgement-heading' },
        h('h2', { class: 'govuk-heading-m', id: 'judgement-heading', text: 'Professional judgement' }),
        paragraph('The tool calculates a level from the answers and its floor rules. If your professional judgement differs, choose the level and explain why. You cannot set a level below one that a floor rule sets (for example, a disclosure of exploitation always means high).'),
        radios({
          id: 'override-level', legend: 'Do you want to change the calculated level?', legendSize: 's', value: model.override,
          error: err['override-level'],
          items: [{ value: 'none', text: 'No, use the calculated level' }, ...['low', 'medium', 'high'].map((l) => ({ value: l, text: `Yes, change it to ${l}` }))],
        }),
        textarea({
          id: 'override-rationale', label: 'Why are you changing the level?', hint: 'Only if you change it: at least 10 characters',
          value: model.rationale, error: err['override-rationale'], rows: 4,
        })),
      buttonGroup(button({ text: 'Save assessment', id: 'save-assessment', once: true }), link(back, 'Cancel')));
    replace(column,
      state.summary && state.summary.length ? errorSummary(state.summary) : null,
      pageHeading(title, { caption: name }),
      summaryList([
        { key: 'Person', value: h('a', { class: 'govuk-link', href: `/persons/${person.id}`, text: name }) },
        { key: 'Date of birth', value: formatDate(person.dob) },
        { key: 'Case', value: c ? h('a', { class: 'govuk-link', href: `/cases/${c.id}`, text: `Open case, ${c.team || 'no team'}` }) : 'No open case' },
        { key: 'Tool', value: `${def.name || summaryTool.name}, version ${def.version ?? summaryTool.version}` },
      ]),
      def.example ? h('div', { class: 'govuk-warning-text' },
        h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
        h('strong', { class: 'govuk-warning-text__text' },
          h('span', { class: 'govuk-visually-hidden', text: 'Warning' }),
          'This is an example tool, not a validated instrument. Each hub should replace it with its own.')) : null,
      def.description ? h('details', { class: 'govuk-details' },
        h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text', text: 'About this tool' })),
        h('div', { class: 'govuk-details__text app-pre-line', text: def.description })) : null,
      paragraph('Answer what is known. A question left unanswered scores nothing and is counted as not answered.'),
      form);
  }

  function failed(state) {
    const form = column.querySelector('form');
    if (form) readModel(form);
    draw(state);
    initAll({ scope: column });
    ctx.setTitle(title, { error: true });
  }

  async function onSubmit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    readModel(form);
    const when = readDateTime(form, 'assessed-at', 'When the assessment was completed');
    if (when.error) {
      failed({ summary: [{ href: `#assessed-at-${when.errorParts[0]}`, text: when.error }], inline: { 'assessed-at': when.error }, parts: { 'assessed-at': when.errorParts } });
      return;
    }
    const answers = {};
    for (const [code, v] of Object.entries(model.answers)) answers[code] = v === '' ? null : v;
    const body = { person_id: person.id, tool_id: summaryTool.id, answers };
    if (c) body.case_id = c.id;
    if (when.value) body.assessed_at = when.value;
    if (model.override !== 'none') body.override_level = model.override;
    if (model.rationale.trim()) body.override_rationale = model.rationale.trim();
    const save = form.querySelector('#save-assessment');
    save.disabled = true;
    let a;
    try {
      a = await api('POST', '/api/v1/assessments', body);
    } catch (err) {
      save.disabled = false;
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 422 || err.status === 400) {
        failed(placeErrors(err.errors.length ? err.errors : [{ message: err.detail || 'Check the answers and try again' }], locate));
      } else {
        failed({ summary: [{ text: err.detail || err.title || 'Sorry, there is a problem with the service. The assessment has not been saved.' }] });
      }
      return;
    }
    ctx.flash({ type: 'success', heading: `Assessment saved: the level is ${levelLabel(a.final_level).toLowerCase()}` });
    ctx.navigate(`/assessments/${a.id}`);
  }

  draw();
  return { title, node: h('div', { class: 'govuk-grid-row' }, column) };
}
