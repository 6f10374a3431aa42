// Record a referral about a person (POST /api/v1/referrals): /persons/{id}/referrals/new.
// The person is named by id in the path only; everything typed stays out of the URL.
// Starts the referral-decision clock on the server; the page then shows the new referral.

import { h } from '../dom.js';
import { summaryList } from '../govuk.js';
import { api } from '../api.js';
import { formatDate, fullName } from '../format.js';
import { formPage } from '../form-page.js';
import { config, options } from '../casework.js';

export async function render(ctx) {
  const personId = Number(ctx.params[0]);
  const [person, cfg] = await Promise.all([api('GET', `/api/v1/persons/${personId}`), config()]);
  const name = fullName(person) || `Person ${person.id}`;
  return formPage(ctx, {
    title: 'Record a referral',
    caption: name,
    what: 'this referral',
    submitText: 'Save referral',
    cancel: { href: `/persons/${personId}`, text: 'Cancel' },
    before: () => summaryList([
      { key: 'Person', value: h('a', { class: 'govuk-link', href: `/persons/${personId}`, text: name }) },
      { key: 'Date of birth', value: formatDate(person.dob) },
    ]),
    fields: [
      { type: 'datetime', name: 'received_at', label: 'When was the referral received?', legendSize: 'm', value: 'now',
        errorLabel: 'when the referral was received',
        hint: 'For example, 27 3 2026 and 14:30 (UK time). The decision is due by the end of the next working day.' },
      { type: 'select', name: 'source_code', label: 'Source', errorLabel: 'the source', hint: 'Who made the referral, as the children in need census codes it',
        options: [{ value: '', text: 'Select a source' }, ...options(cfg.referral_sources)] },
      { type: 'text', name: 'source_agency', label: 'Referring agency (optional)', hint: 'For example, Greater Manchester Police or a school', width: 'two-thirds' },
      { type: 'text', name: 'referrer_name', label: 'Referrer’s name (optional)', width: 'two-thirds' },
      { type: 'text', name: 'referrer_contact', label: 'Referrer’s phone number or email address (optional)', width: 'two-thirds' },
      { type: 'checkboxes', name: 'strands', label: 'Strands', legendSize: 'm', hint: 'Select all that apply',
        items: options(cfg.strands).map((o) => ({ value: o.value, text: o.text })) },
      { type: 'textarea', name: 'concerns', label: 'Concerns', errorLabel: 'the concerns', labelSize: 'm', rows: 8,
        hint: 'What has happened, what the referrer is worried about, and any immediate risk' },
      { type: 'textarea', name: 'consent_basis', label: 'Consent or information-sharing basis (optional)', rows: 3,
        hint: 'For example, consent given by a parent, or shared without consent to protect the child' },
    ],
    body: (v) => {
      const b = {
        person_id: personId, source_code: v.source_code, source_agency: v.source_agency, referrer_name: v.referrer_name,
        referrer_contact: v.referrer_contact, strands: v.strands, concerns: v.concerns, consent_basis: v.consent_basis,
      };
      if (v.received_at) b.received_at = v.received_at;
      return b;
    },
    send: (body) => api('POST', '/api/v1/referrals', body),
    saved: (r) => {
      ctx.flash({ type: 'success', heading: 'Referral recorded' });
      ctx.navigate(`/referrals/${r.id}`);
    },
  });
}
