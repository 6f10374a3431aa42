// The MFH dashboard in a browser, under the server's real Content-Security-Policy: a child
// reported missing (through the API, as another user would) appears on the open dashboard within
// one refresh, without a reload or any navigation; the focus stays where it was; the "Updated at"
// line is a polite live region; the filters form narrows the panels and updates the address
// without a reload; a number leads to the list behind it with the same filters; axe-core finds no
// violations on the dashboard or the list. The refresh interval (30 s) is shortened for the test
// through window.SAFEHUB_MFH_REFRESH_MS, set before the page loads. Each run uses a team of its
// own, so the demo's episodes (if any) do not count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, screenshot, assertNoProblems,
  uniqueWord,
} from './browser.mjs';

let server;
let browser;
let manager;

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
  manager = await signedIn(server.url, 'manager');
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

function hoursAgo(hours) {
  return new Date(Date.now() - hours * 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

test('a newly reported missing child appears within one refresh, without a reload; axe finds nothing', async () => {
  const team = `MFH browser ${uniqueWord('t')}`;
  const family = uniqueWord('Nowhere');
  const p = await manager.req('POST', '/api/v1/persons', { given_name: 'Morwenna', family_name: family, dob: '2011-06-02', sex: 'female' });
  assert.equal(p.status, 201, p.text);

  const { context, page, problems } = await newPage(browser);
  await page.addInitScript(() => { window.SAFEHUB_MFH_REFRESH_MS = 1000; });
  const navigations = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  await signInUI(page, server.url, 'manager');
  const dashboardUrl = `${server.url}/missing?${new URLSearchParams({ team })}`;
  await page.goto(dashboardUrl);
  await waitForHeading(page, 'Missing from home');
  await page.locator('#missing-now-body').filter({ hasText: 'No child is missing now.' }).waitFor();
  await runAxe(page, 'the MFH dashboard');
  await screenshot(page, 'mfh-dashboard-empty');
  assert.equal(await page.locator('#mfh-updated').getAttribute('aria-live'), 'polite');
  assert.match(await page.locator('#mfh-updated').innerText(), /^Updated at \d\d:\d\d$/);
  // A manager may import and export: the dashboard leads to both pages.
  assert.equal(await page.locator('#mfh-tools a[href="/imports/missing"]').count(), 1);
  assert.equal(await page.locator('#mfh-tools a[href="/exports"]').count(), 1);

  // Focus a number; mark the page, so that a reload (a new document) would show.
  const focusKey = 'count:missing_now';
  await page.locator(`[data-focus-key="${focusKey}"]`).focus();
  await page.evaluate(() => { window.mfhMarker = 'still the same document'; });
  const navigationsBefore = navigations.length;

  const e = await manager.req('POST', '/api/v1/missing-episodes', {
    person_id: p.body.id, started_at: hoursAgo(3), reported_at: hoursAgo(2), missing_from: 'home', category: 'M',
    team, grade: 'high', graded_by: 'PS 9 Tester',
  });
  assert.equal(e.status, 201, e.text);

  // Within one refresh (1 s here; give the shared machine a few).
  await page.locator('#missing-now-body').filter({ hasText: family }).waitFor({ timeout: 8000 });
  assert.equal(await page.evaluate(() => window.mfhMarker), 'still the same document', 'no reload');
  assert.equal(navigations.length, navigationsBefore, `no navigation: ${navigations.slice(navigationsBefore).join(', ')}`);
  assert.equal(page.url(), dashboardUrl);
  assert.equal(await page.locator('[data-focus-key="count:missing_now"] .app-count__number').innerText(), '1');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-focus-key')), focusKey,
    'focus stays on the number it was on');
  assert.match(await page.locator('#missing-now-body').innerText(), /High risk/);
  await runAxe(page, 'the MFH dashboard with a child missing');
  await screenshot(page, 'mfh-dashboard');

  // Filters: looked after only - this child is not - narrows without a reload, in the address too.
  await page.selectOption('#looked_after', 'true');
  await page.click('#apply-filters');
  await page.waitForFunction(() => location.search.includes('looked_after=true'));
  await page.locator('#missing-now-body').filter({ hasText: 'No child is missing now.' }).waitFor();
  assert.equal(await page.evaluate(() => window.mfhMarker), 'still the same document', 'filters: no reload');
  await page.selectOption('#looked_after', '');
  await page.click('#apply-filters');
  await page.locator('#missing-now-body').filter({ hasText: family }).waitFor();
  assert.ok(!page.url().includes('looked_after'), page.url());

  // The number leads to the list behind it, with the team filter kept.
  await page.locator('[data-focus-key="missing_now:now"]').click();
  await waitForHeading(page, 'Missing now');
  assert.ok(page.url().includes('measure=missing_now'), page.url());
  assert.ok(page.url().includes(`team=${encodeURIComponent(team).replace(/%20/g, '+')}`), page.url());
  await page.locator('#mfh-list').filter({ hasText: family }).waitFor();
  assert.match(await page.locator('#mfh-list-count').innerText(), /^1 item/);
  await runAxe(page, 'the list behind a number');
  await screenshot(page, 'mfh-list');
  await page.click('#back-to-dashboard');
  await waitForHeading(page, 'Missing from home');
  assert.ok(page.url().includes('team='), `back keeps the filters: ${page.url()}`);
  await page.locator('#missing-now-body').filter({ hasText: family }).waitFor();

  // A narrow screen too.
  await page.setViewportSize({ width: 390, height: 844 });
  await runAxe(page, 'the MFH dashboard on a phone');
  await assertNoProblems(page, problems, 'the MFH dashboard');
  await context.close();
});
