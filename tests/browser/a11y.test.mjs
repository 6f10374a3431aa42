// axe-core on every page: zero violations on sign-in (with and without errors), home, search
// (form, results, no results), the add form with errors, a person, the edit form, the audit
// trail (as an administrator), "page not found" and "you cannot see this page".
// Also a narrow (mobile) viewport for the busiest pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, screenshot, assertNoProblems,
} from './browser.mjs';

let server;
let browser;
let personId;

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
  const api = await signedIn(server.url, 'practitioner');
  const r = await api.req('POST', '/api/v1/persons', {
    given_name: 'Axel', family_name: 'Checkley', aliases: ['Ax', 'A. Checkley'], dob: '2011-05-09', sex: 'male',
    ethnicity: 'WBRI', identifiers: { police_ref: 'GMP/24/000999' },
    addresses: [{ line1: '1 Test Road', line2: '', town: 'Stockport', postcode: 'SK1 3XE', current: true },
      { line1: '2 Old Lane', town: 'Manchester', postcode: 'M1 1AE', current: false }],
    phones: ['07700 900456'], notes: 'First line\nSecond line', restricted: false, restricted_to: [],
  });
  assert.equal(r.status, 201, r.text);
  personId = r.body.id;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('every page a practitioner sees has no axe violations', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.goto(`${server.url}/sign-in`);
  await waitForHeading(page, 'Sign in');
  await runAxe(page, 'sign-in');
  await screenshot(page, 'sign-in');

  await page.click('#sign-in');
  await page.locator('.govuk-error-summary').waitFor();
  await runAxe(page, 'sign-in with errors');

  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, 'Daily tasking');
  await runAxe(page, 'home (the daily tasking list)');

  await page.click('nav >> text=Find a person');
  await waitForHeading(page, 'Find a person');
  await runAxe(page, 'search form');
  await page.click('#search');
  await page.locator('.govuk-error-summary').waitFor();
  await runAxe(page, 'search with errors');
  await screenshot(page, 'search-errors');
  await page.fill('#q', 'a');
  await page.click('#search');
  await page.locator('#results').waitFor();
  await runAxe(page, 'search results');
  await page.fill('#q', 'zzzzqqqq');
  await page.click('#search');
  await page.locator('#results-heading').filter({ hasText: 'No results' }).waitFor();
  await runAxe(page, 'no results');
  await screenshot(page, 'search-no-results');

  await page.click('nav >> text=Add a person');
  await waitForHeading(page, 'Add a person');
  await runAxe(page, 'add a person');
  await page.fill('#nhs-number', '1234567890');
  await page.fill('#address-0-postcode', 'not a postcode');
  await page.fill('#dob-day', '31');
  await page.fill('#dob-month', '2');
  await page.fill('#dob-year', '2010');
  await page.click('#save');
  await page.locator('.govuk-error-summary').waitFor();
  await runAxe(page, 'add a person with a date error');
  await page.fill('#dob-day', '28');
  await page.click('#add-address');
  await page.click('#save');
  await page.locator('.govuk-error-summary a[href="#given-name"]').waitFor();
  await runAxe(page, 'add a person with server errors');
  await screenshot(page, 'person-new-server-errors');

  await page.goto(`${server.url}/persons/${personId}`);
  await waitForHeading(page, 'Axel Checkley');
  await runAxe(page, 'person');
  await screenshot(page, 'person-two-addresses');

  await page.click('#edit-person');
  await waitForHeading(page, 'Edit Axel Checkley');
  await runAxe(page, 'edit person');
  await screenshot(page, 'person-edit');

  await page.goto(`${server.url}/audit`);
  await waitForHeading(page, 'You cannot see this page');
  await runAxe(page, 'forbidden');

  await page.goto(`${server.url}/no/such/page`);
  await waitForHeading(page, 'Page not found');
  assert.equal(await page.title(), 'Page not found – safehub');
  await runAxe(page, 'not found');
  await screenshot(page, 'not-found');

  // A phone-sized screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${server.url}/persons/${personId}`);
  await waitForHeading(page, 'Axel Checkley');
  await runAxe(page, 'person on a phone');
  await screenshot(page, 'person-mobile');

  // The 404 above was asked for; nothing else may have gone wrong.
  problems.notFound = problems.notFound.filter((u) => !u.endsWith('/no/such/page'));
  await assertNoProblems(page, problems, 'the accessibility run');
  await context.close();
});

test('the audit trail (administrator) has no axe violations and filters by user and date', async () => {
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'admin');
  await waitForHeading(page, 'Complex Safeguarding Hub');
  await runAxe(page, 'home as admin');
  assert.equal(await page.locator('nav >> text=Audit trail').count(), 1);

  await page.click('nav >> text=Audit trail');
  await waitForHeading(page, 'Audit trail');
  await page.locator('#audit').waitFor();
  await runAxe(page, 'audit trail');
  await screenshot(page, 'audit');
  assert.ok(await page.locator('#audit tbody tr').count() > 0);

  await page.fill('#username', 'practitioner');
  const today = new Date();
  await page.fill('#from-day', String(today.getUTCDate()));
  await page.fill('#from-month', String(today.getUTCMonth() + 1));
  await page.fill('#from-year', String(today.getUTCFullYear()));
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('username=practitioner')),
    page.click('#apply-filter'),
  ]);
  // Focus moves to the results once they are shown.
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'audit-heading');
  const who = await page.locator('#audit tbody tr td:nth-child(3)').allInnerTexts();
  assert.ok(who.length > 0, 'practitioner has audit entries today');
  assert.deepEqual([...new Set(who)], ['practitioner']);
  await runAxe(page, 'audit trail filtered');
  await screenshot(page, 'audit-filtered');

  // A bad date range is caught before asking the server.
  await page.fill('#to-day', '1');
  await page.fill('#to-month', '1');
  await page.fill('#to-year', '2000');
  await page.click('#apply-filter');
  await page.locator('.govuk-error-summary').waitFor();
  await runAxe(page, 'audit trail with errors');

  await assertNoProblems(page, problems, 'the audit pages');
  await context.close();
});
