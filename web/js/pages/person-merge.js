// Page module for person-merge (routes in app.js); the slice that owns it replaces this first version.
import { pageHeading } from '../govuk.js';

export async function render(ctx) {
  return { title: 'person-merge', node: [pageHeading('person-merge')] };
}
