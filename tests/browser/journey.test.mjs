// The acceptance journey, in a browser with the server's real Content-Security-Policy
// (no bypass): sign in, search, add a person with a bad NHS number (error summary and field
// error, nothing saved), fix it, see the person page, sign out, and be sent to sign-in when
// going back to a page. Throughout: no console errors, no CSP violations, no 404s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, focused, screenshot, assertNoProblems,
  nhsNumber, uniqueWord,
} from './browser.mjs';

let server;
let browser;

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) assert.deepEqual(await server.stop(), { code: 0, sig: null });
});

test('sign in, search, add a person (bad NHS number, then fixed), view, sign out', async () => {
  const { context, page, problems } = await newPage(browser);
  const api = await signedIn(server.url, 'practitioner');
  const family = uniqueWord('Quenby');
  const given = 'Marnie';
  const goodNhs = nhsNumber('943476591');
  const badNhs = `${goodNhs.slice(0, 9)}${(Number(goodNhs[9]) + 1) % 10}`;

  // Every response carries the CSP: this test runs under it.
  const shell = await page.goto(`${server.url}/`);
  assert.match(shell.headers()['content-security-policy'], /script-src 'self'/);

  // Not signed in: sent to sign-in.
  await waitForHeading(page, 'Sign in');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.equal(await page.title(), 'Sign in – safehub');

  // A wrong password: the generic message, in an error summary that takes focus.
  await page.fill('#username', 'practitioner');
  await page.fill('#password', 'not-the-password');
  await page.click('#sign-in');
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /username or password is not correct/);
  assert.equal(await page.title(), 'Error: Sign in – safehub');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true);
  await screenshot(page, 'sign-in-error');

  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, 'Daily tasking');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.title(), 'Daily tasking – safehub');
  assert.match(await page.locator('#account').innerText(), /Pat Practitioner|practitioner/i);
  await screenshot(page, 'home');

  // Search: the query never appears in the URL.
  await page.click('nav >> text=Find a person');
  await waitForHeading(page, 'Find a person');
  assert.equal(await page.title(), 'Find a person – safehub');
  assert.equal(await focused(page), 'h1:Find a person');
  await page.fill('#q', family);
  await page.click('#search');
  await page.locator('#results-heading').filter({ hasText: 'No results' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/persons');
  assert.equal(new URL(page.url()).search, '');
  assert.ok(!page.url().includes(family));

  // Add a person with a bad NHS number.
  await page.click('nav >> text=Add a person');
  await waitForHeading(page, 'Add a person');
  await page.fill('#given-name', given);
  await page.fill('#family-name', family);
  await page.fill('#aliases', 'Marn\nMarnie Q');
  await page.fill('#dob-day', '14');
  await page.fill('#dob-month', '2');
  await page.fill('#dob-year', '2010');
  await page.check('#sex');
  await page.selectOption('#ethnicity', { index: 1 });
  await page.fill('#nhs-number', badNhs);
  await page.fill('#address-0-line1', '12 Example Street');
  await page.fill('#address-0-town', 'Stockport');
  await page.fill('#address-0-postcode', 'sk11aa');
  await page.fill('#phones', '07700 900123');
  await page.fill('#notes', 'Seen at the bus station.\nSecond line.');
  await page.click('#save');

  await summary.waitFor();
  const summaryText = await summary.innerText();
  assert.match(summaryText, /There is a problem/);
  assert.match(summaryText, /NHS number/);
  assert.equal(await page.title(), 'Error: Add a person – safehub');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true);
  assert.equal(await summary.locator('a[href="#nhs-number"]').count(), 1);
  const fieldError = page.locator('#nhs-number-error');
  assert.match(await fieldError.innerText(), /NHS number/);
  assert.equal(await page.locator('#nhs-number').getAttribute('aria-describedby'), 'nhs-number-hint nhs-number-error');
  assert.ok((await page.locator('#nhs-number').getAttribute('class')).includes('govuk-input--error'));
  // What was typed is kept.
  assert.equal(await page.inputValue('#family-name'), family);
  assert.equal(await page.inputValue('#dob-year'), '2010');
  await screenshot(page, 'person-new-errors');

  // The summary's link takes focus to the field.
  await summary.locator('a[href="#nhs-number"]').click();
  assert.equal(await focused(page), 'nhs-number');

  // Nothing was saved.
  const none = await api.req('GET', `/api/v1/persons?q=${encodeURIComponent(family)}`);
  assert.equal(none.status, 200);
  assert.equal(none.body.total, 0);

  // Fix it and save.
  await page.fill('#nhs-number', goodNhs);
  await page.click('#save');
  await waitForHeading(page, `${given} ${family}`);
  const personPath = new URL(page.url()).pathname;
  assert.match(personPath, /^\/persons\/\d+$/);
  // Names stay out of the title (kept in browser history) as out of the URL.
  assert.equal(await page.title(), 'Person record – safehub');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Person added/);
  const details = await page.locator('main').innerText();
  assert.match(details, /14 February 2010/);
  assert.match(details, /SK1 1AA/);
  assert.match(details, new RegExp(`${goodNhs.slice(0, 3)} ${goodNhs.slice(3, 6)} ${goodNhs.slice(6)}`));
  assert.match(details, /Marnie Q/);
  assert.match(details, /Seen at the bus station/);
  assert.match(await page.locator('#views').innerText(), /practitioner/);
  await screenshot(page, 'person');

  // Saved once, findable through the API and the UI.
  const found = await api.req('GET', `/api/v1/persons?q=${encodeURIComponent(family)}`);
  assert.equal(found.body.total, 1);
  assert.equal(found.body.items[0].postcode, 'SK1 1AA');
  await page.click('nav >> text=Find a person');
  await waitForHeading(page, 'Find a person');
  await page.fill('#q', `marn ${family.slice(0, 5)}`);
  await page.click('#search');
  await page.locator('#results').waitFor();
  assert.match(await page.locator('#results').innerText(), new RegExp(family));
  await screenshot(page, 'search-results');
  await page.click(`#results >> text=${given} ${family}`);
  await waitForHeading(page, `${given} ${family}`);
  // Back returns to the same results, from memory, with the URL still bare.
  await page.goBack();
  await page.locator('#results').waitFor();
  assert.equal(new URL(page.url()).pathname, '/persons');
  assert.equal(await page.inputValue('#q'), `marn ${family.slice(0, 5)}`);

  // Sign out, then a page needing sign-in sends us to sign in.
  await page.click('#sign-out');
  await waitForHeading(page, 'Sign in');
  assert.match(await page.locator('main').innerText(), /You have signed out/);
  assert.equal(await page.locator('#service-navigation').isHidden(), true);
  await page.goto(`${server.url}/persons`);
  await waitForHeading(page, 'Sign in');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  // ...and back to where we were going after signing in again.
  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, 'Find a person');
  assert.equal(new URL(page.url()).pathname, '/persons');
  // A person's page opened by its address loads on its own.
  await page.goto(`${server.url}${personPath}`);
  await waitForHeading(page, `${given} ${family}`);

  await assertNoProblems(page, problems, 'the journey');
  await context.close();
});

test('keyboard only: skip link, sign in with Tab and Enter, focus on each new page', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.goto(`${server.url}/sign-in`);
  await waitForHeading(page, 'Sign in');

  // The first Tab reaches the skip link; Enter moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'main-content');

  // Tab onwards to the username field, type, Tab to password, Tab past "Show", Tab to the button.
  let id = null;
  for (let i = 0; i < 10 && id !== 'username'; i += 1) {
    await page.keyboard.press('Tab');
    id = await focused(page);
  }
  assert.equal(id, 'username');
  await page.keyboard.type('practitioner');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'password');
  await page.keyboard.type((await import('../lib/server.mjs')).PASSWORD);
  await page.keyboard.press('Tab');
  assert.match(await focused(page), /Show/);
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'sign-in');
  await page.keyboard.press('Enter');
  await waitForHeading(page, 'Daily tasking');
  // Focus is on the new page's heading (after its caption, the date), so the next Tab starts
  // from the content.
  assert.match(await focused(page), /^h1:.*Daily tasking$/);

  // Tab to "Find a person" in the page and follow it with Enter.
  let label = null;
  for (let i = 0; i < 10 && label !== 'Find a person'; i += 1) {
    await page.keyboard.press('Tab');
    label = await page.evaluate(() => document.activeElement.textContent.trim());
  }
  assert.equal(label, 'Find a person');
  await page.keyboard.press('Enter');
  await waitForHeading(page, 'Find a person');
  assert.equal(await focused(page), 'h1:Find a person');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'q');
  await page.keyboard.type('a');
  await page.keyboard.press('Enter');
  await page.locator('#results-heading').waitFor();
  assert.equal(await focused(page), 'results-heading');
  await assertNoProblems(page, problems, 'keyboard use');
  await context.close();
});

test('search results page through 20 at a time; Back and Forward keep them; the URL stays bare', async () => {
  const api = await signedIn(server.url, 'practitioner');
  const family = uniqueWord('Paginata');
  for (let i = 0; i < 25; i += 1) {
    const r = await api.req('POST', '/api/v1/persons', { given_name: `Pat${String.fromCharCode(97 + i)}`, family_name: family, sex: 'unknown' });
    assert.equal(r.status, 201, r.text);
  }
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'practitioner');
  await page.click('nav >> text=Find a person');
  await waitForHeading(page, 'Find a person');
  await page.fill('#q', family);
  await page.click('#search');
  await page.locator('#results-heading').filter({ hasText: '25 people found' }).waitFor();
  assert.equal(await page.locator('#results tbody tr').count(), 20);
  assert.match(await page.locator('#search-results').innerText(), /Showing 1 to 20 of 25/);
  await page.click('.govuk-pagination__next a');
  await page.locator('#search-results >> text=Showing 21 to 25 of 25').waitFor();
  assert.equal(await page.locator('#results tbody tr').count(), 5);
  assert.equal(await focused(page), 'results-heading');
  assert.equal(await page.locator('.govuk-pagination__next').count(), 0);

  // Into a person and back: the same page of results, from memory (no new search request).
  let searches = 0;
  page.on('request', (r) => { if (r.url().includes('/api/v1/persons?')) searches += 1; });
  await page.locator('#results tbody a').first().click();
  await waitForHeading(page, family);
  await page.goBack();
  await page.locator('#search-results >> text=Showing 21 to 25 of 25').waitFor();
  assert.equal(searches, 0);
  await page.goForward();
  await waitForHeading(page, family);
  await page.goBack();
  await page.locator('#results').waitFor();
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/persons');
  // No page of the app put the name in the URL or the title.
  const history = await page.evaluate(() => [location.href, document.title, JSON.stringify(history.state)]);
  assert.ok(history.every((x) => !x.includes(family)), history.join(' '));

  await assertNoProblems(page, problems, 'paging search results');
  await context.close();
});

test('the problem watcher is not blind: it sees a CSP violation and a 404', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.goto(`${server.url}/sign-in`);
  await waitForHeading(page, 'Sign in');
  await page.addScriptTag({ content: 'window.injected = 1;' }).catch(() => {});
  await page.evaluate(() => fetch('/no-such-file.js').catch(() => {}));
  assert.equal(await page.evaluate(() => window.injected), undefined);
  await assert.rejects(assertNoProblems(page, problems, 'a deliberate violation'), /consoleErrors|csp/);
  assert.ok(problems.notFound.some((u) => u.endsWith('/no-such-file.js')));
  await context.close();
});
