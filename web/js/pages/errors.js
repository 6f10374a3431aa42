// The pages shown when there is no page to show: not found, not allowed, and a server or
// network problem. Each returns {title, node} like a page's render().

import { h } from '../dom.js';
import { pageHeading, paragraph, link } from '../govuk.js';
import { ApiError } from '../api.js';

export function notFound(heading = 'Page not found') {
  return {
    title: heading,
    node: [
      pageHeading(heading),
      paragraph('If you typed the web address, check it is correct.'),
      paragraph('If you pasted the web address, check you copied the entire address.'),
      h('p', { class: 'govuk-body' }, link('/', 'Go to the start page')),
    ],
  };
}

export function forbidden(detail) {
  return {
    title: 'You cannot see this page',
    node: [
      pageHeading('You cannot see this page'),
      paragraph(detail || 'Your role does not give you access to this page.'),
      paragraph('If you think you should have access, ask your manager or a safehub administrator.'),
      h('p', { class: 'govuk-body' }, link('/', 'Go to the start page')),
    ],
  };
}

export function serviceProblem(detail) {
  return {
    title: 'Sorry, there is a problem with the service',
    node: [
      pageHeading('Sorry, there is a problem with the service'),
      paragraph(detail || 'Try again later.'),
      h('p', { class: 'govuk-body' }, link('/', 'Go to the start page')),
    ],
  };
}

// The page for an error thrown while rendering.
export function fromError(e) {
  if (e instanceof ApiError) {
    if (e.status === 404) return notFound('Not found');
    if (e.status === 403) return forbidden(e.detail || undefined);
    if (e.status === 0) return serviceProblem(`${e.title}. ${e.detail}`);
  }
  // Shown to the user; the details are for the console of whoever is debugging.
  console.error(e); // eslint-disable-line no-console
  return serviceProblem();
}
