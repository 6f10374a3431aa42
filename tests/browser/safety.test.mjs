// What must never go wrong in the UI: names from data are text (no script runs, no markup
// made); pages need sign-in and come back after it; an ended session sends you to sign in;
// a stale edit changes nothing and says so; roles see only what they may use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, focused, screenshot, assertNoProblems, uniqueWord,
} from './browser.mjs';

const SCRIPT_NAME = '<script>alert(1)</script>';
const SQL_NAME = "'; DROP TABLE persons; --";

let server;
let browser;
let api;

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
  api = await signedIn(server.url, 'practitioner');
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function createPerson(body) {
  const r = await api.req('POST', '/api/v1/persons', {
    aliases: [], sex: 'unknown', identifiers: {}, addresses: [], phones: [], notes: '', restricted: false, ...body,
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('names with markup and SQL are shown as text', async () => {
  const p = await createPerson({
    given_name: SCRIPT_NAME, family_name: SQL_NAME, aliases: ['<img src=x onerror=alert(2)>'],
    notes: '<b>not bold</b>', addresses: [{ line1: '<i>1</i> Road', postcode: 'SK1 1AA', current: true }],
  });
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'practitioner');
  await page.goto(`${server.url}/persons/${p.id}`);
  await waitForHeading(page, SQL_NAME);
  const h1 = await page.locator('main h1').evaluate((el) => el.lastChild.textContent);
  assert.equal(h1, `${SCRIPT_NAME} ${SQL_NAME}`);
  assert.equal(await page.title(), 'Person record – safehub');
  const main = await page.locator('main').innerText();
  assert.ok(main.includes('<img src=x onerror=alert(2)>'));
  assert.ok(main.includes('<b>not bold</b>'));
  assert.ok(main.includes('<i>1</i> Road'));
  // No element was made from the data.
  assert.equal(await page.locator('main script, main img, main b, main i').count(), 0);
  assert.equal(await page.locator('script').count(), 1);
  await screenshot(page, 'person-markup-names');

  // The same in search results; and the persons table is still there.
  await page.click('nav >> text=Find a person');
  await waitForHeading(page, 'Find a person');
  await page.fill('#q', 'script');
  await page.click('#search');
  await page.locator('#results').waitFor();
  assert.ok((await page.locator('#results').innerText()).includes(SCRIPT_NAME));
  assert.equal(await page.locator('#results script').count(), 0);
  const other = await api.req('GET', '/api/v1/persons?q=a');
  assert.equal(other.status, 200);
  assert.ok(other.body.total > 1);

  assert.deepEqual(problems.dialogs, []);
  await assertNoProblems(page, problems, 'showing markup names');
  await context.close();
});

test('a page opened before sign-in comes back after it; an ended session sends you to sign in', async () => {
  const p = await createPerson({ given_name: 'Return', family_name: uniqueWord('Tripp') });
  const { context, page, problems } = await newPage(browser);
  await page.goto(`${server.url}/persons/${p.id}`);
  await waitForHeading(page, 'Sign in');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, `Return ${p.family_name}`);
  assert.equal(new URL(page.url()).pathname, `/persons/${p.id}`);

  // The session ends (the cookie goes): the next API call answers 401 and the UI asks to sign
  // in, then comes back to the page it was on.
  await page.click('nav >> text=Find a person');
  await waitForHeading(page, 'Find a person');
  await context.clearCookies();
  await page.fill('#q', 'a');
  await page.click('#search');
  await waitForHeading(page, 'Sign in');
  assert.match(await page.locator('main').innerText(), /session has ended/);
  assert.equal(await page.locator('#service-navigation').isHidden(), true);
  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, 'Find a person');
  assert.equal(new URL(page.url()).pathname, '/persons');

  // Sign-in never sends you off-site, whatever was stored.
  await page.evaluate(() => sessionStorage.setItem('safehub.return', '//evil.example/'));
  await page.click('#sign-out');
  await waitForHeading(page, 'Sign in');
  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, 'Daily tasking');
  assert.equal(new URL(page.url()).origin, server.url);
  assert.equal(new URL(page.url()).pathname, '/');

  // Already signed in: /sign-in goes home.
  await page.goto(`${server.url}/sign-in`);
  await waitForHeading(page, 'Daily tasking');

  // 401s from the API are expected here; nothing else.
  await assertNoProblems(page, problems, 'sign-in round trips');
  await context.close();
});

test('editing: saves with the version read; a stale edit changes nothing and offers the latest', async () => {
  const family = uniqueWord('Verity');
  const p = await createPerson({ given_name: 'Edith', family_name: family, phones: ['0161 496 0000'] });
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'practitioner');
  await page.goto(`${server.url}/persons/${p.id}/edit`);
  await waitForHeading(page, `Edit Edith ${family}`);
  assert.equal(await page.title(), 'Edit person record – safehub');
  assert.equal(await page.inputValue('#phones'), '0161 496 0000');
  assert.equal(await page.isChecked('#sex-3'), true);

  await page.fill('#gender', 'Female');
  await page.click('#save');
  await waitForHeading(page, `Edith ${family}`);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Changes saved/);
  const v2 = await api.req('GET', `/api/v1/persons/${p.id}`);
  assert.equal(v2.body.gender, 'Female');
  assert.equal(v2.body.version, p.version + 1);
  assert.deepEqual(v2.body.phones, ['0161 496 0000']);

  // Open the edit form, then someone else saves first.
  await page.click('#edit-person');
  await waitForHeading(page, `Edit Edith ${family}`);
  const other = await api.req('PUT', `/api/v1/persons/${p.id}`, { ...v2.body, notes: 'Changed by someone else' });
  assert.equal(other.status, 200, other.text);
  await page.fill('#given-name', 'Edie');
  await page.click('#save');
  const conflict = page.locator('#conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Someone else has changed this record/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'conflict');
  await screenshot(page, 'person-edit-conflict');
  const after409 = await api.req('GET', `/api/v1/persons/${p.id}`);
  assert.equal(after409.body.given_name, 'Edith');
  assert.equal(after409.body.notes, 'Changed by someone else');

  await page.click('#reload');
  await page.locator('#notes').waitFor();
  await page.waitForFunction(() => document.querySelector('#notes').value === 'Changed by someone else');
  assert.equal(await page.inputValue('#given-name'), 'Edith');
  await page.fill('#given-name', 'Edie');
  await page.click('#save');
  await waitForHeading(page, `Edie ${family}`);

  await assertNoProblems(page, problems, 'editing');
  await context.close();
});

test('roles see only what they may use', async () => {
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'analyst');
  await waitForHeading(page, 'Complex Safeguarding Hub');
  assert.equal(await page.locator('nav >> text=Find a person').count(), 1);
  assert.equal(await page.locator('nav >> text=Add a person').count(), 0);
  assert.equal(await page.locator('nav >> text=Audit trail').count(), 0);
  await page.goto(`${server.url}/persons/new`);
  await waitForHeading(page, 'You cannot see this page');
  await page.click('#sign-out');
  await waitForHeading(page, 'Sign in');

  await signInUI(page, server.url, 'board');
  await waitForHeading(page, 'Complex Safeguarding Hub');
  assert.equal(await page.locator('#navigation li').count(), 0);
  assert.match(await page.locator('main').innerText(), /nothing in safehub for your role yet/);
  await page.click('#sign-out');
  await waitForHeading(page, 'Sign in');

  // A restricted record is refused to other users, with a page that says so.
  const api2 = await signedIn(server.url, 'practitioner2');
  const r = await api2.req('POST', '/api/v1/persons', {
    given_name: 'Hidden', family_name: 'Person', sex: 'female', restricted: true,
  });
  assert.equal(r.status, 201, r.text);
  await signInUI(page, server.url, 'practitioner');
  await page.goto(`${server.url}/persons/${r.body.id}`);
  await waitForHeading(page, 'You cannot see this page');
  assert.ok(!(await page.locator('main').innerText()).includes('Hidden'));
  assert.equal(await focused(page) !== null, true);

  await assertNoProblems(page, problems, 'role checks');
  await context.close();
});
