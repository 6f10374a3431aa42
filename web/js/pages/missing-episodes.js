// Page module for missing-episodes (routes in app.js); the slice that owns it replaces this first version.
import { pageHeading } from '../govuk.js';

export async function render(ctx) {
  return { title: 'missing-episodes', node: [pageHeading('missing-episodes')] };
}
