// Page module for missing-form (routes in app.js); the slice that owns it replaces this first version.
import { pageHeading } from '../govuk.js';

export async function render(ctx) {
  return { title: 'missing-form', node: [pageHeading('missing-form')] };
}
