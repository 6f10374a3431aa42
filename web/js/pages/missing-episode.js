// Page module for missing-episode (routes in app.js); the slice that owns it replaces this first version.
import { pageHeading } from '../govuk.js';

export async function render(ctx) {
  return { title: 'missing-episode', node: [pageHeading('missing-episode')] };
}
