// Page module for missing-dashboard (routes in app.js); the slice that owns it replaces this first version.
import { pageHeading } from '../govuk.js';

export async function render(ctx) {
  return { title: 'missing-dashboard', node: [pageHeading('missing-dashboard')] };
}
