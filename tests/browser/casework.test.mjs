// The casework journey of issue 3 in a browser, under the server's real Content-Security-Policy:
// a manager sees the daily tasking list, records a referral (errors first), sees it on the daily
// list, decides it (errors first) allocating to team Phoenix and worker practitioner, opens the
// case with its running clocks, completes a risk assessment from the tool's definition (a
// disclosure forces high; an override below the floor and without rationale is refused, each
// error beside its field; a bad answer is named on its indicator), sees the result, and sees the
// risk trajectory on the person's page. axe-core finds no violations on any of these pages.
// Then the case forms: a contact, a note with the young person's voice, a meeting with actions
// (one marked done), a flag, and a closure that meets a 409 first. And a practitioner, who may
// record but not decide, sees no decision form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, screenshot, assertNoProblems, focused,
  uniqueWord,
} from './browser.mjs';

let server;
let browser;
let manager; // API client signed in as manager
let person; // {id, given_name, family_name}
let toolId;

// Wait until the page at a path matching pathRe (a RegExp source, anchored by the caller) has
// rendered with exactly this main heading (the h1's own text, without its caption). Client-side
// navigation changes the URL before the new page is drawn, and a caption can hold the text of
// another page's heading, so neither the URL nor waitForHeading alone says the page has changed.
async function waitForPage(page, pathRe, heading) {
  await page.waitForFunction(([p, t]) => {
    const h1 = document.querySelector('main h1');
    if (!h1 || !new RegExp(p).test(location.pathname)) return false;
    return [...h1.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim() === t;
  }, [pathRe, heading], { timeout: 10000 }).catch(async (e) => {
    // Say where the page is and what it shows (an error summary, usually).
    throw new Error(`${e.message}\nwanted ${pathRe} "${heading}"; at ${page.url()}:\n${await page.locator('main').innerText()}`);
  });
}

// An RFC 3339 time days ago (whole seconds).
function daysAgo(days) {
  return new Date(Date.now() - days * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function createPerson(given, family, dob = '2011-03-15') {
  const r = await manager.req('POST', '/api/v1/persons', { given_name: given, family_name: family, dob, sex: 'female' });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// A case opened through the API: a referral received days ago, decided now by the manager.
async function openCase(p) {
  const ref = await manager.req('POST', '/api/v1/referrals', {
    person_id: p.id, received_at: daysAgo(1), source_code: '6', strands: ['cce'], concerns: 'Found with cash and two phones.',
  });
  assert.equal(ref.status, 201, ref.text);
  const d = await manager.req('POST', `/api/v1/referrals/${ref.body.id}/decision`, {
    version: ref.body.version, outcome: 'allocate', rationale: 'Indicators of criminal exploitation.', team: 'Phoenix', worker: 'practitioner',
  });
  assert.equal(d.status, 200, d.text);
  return d.body.case_id;
}

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
  manager = await signedIn(server.url, 'manager');
  person = await createPerson('Rhiannon', uniqueWord('Trajectory'));
  const tools = await manager.req('GET', '/api/v1/risk-tools');
  toolId = tools.body.items.find((t) => t.active).id;
  // An earlier assessment, so the trajectory has a point before the one made in the browser.
  const earlier = await manager.req('POST', '/api/v1/assessments', {
    person_id: person.id, tool_id: toolId, assessed_at: daysAgo(40),
    answers: { missing_episodes: 'two_to_four', staying_out_late: true, placed_out_of_area: true },
  });
  assert.equal(earlier.status, 201, earlier.text);
  assert.equal(earlier.body.final_level, 'medium');
});

after(async () => {
  if (browser) await browser.close();
  if (server) assert.deepEqual(await server.stop(), { code: 0, sig: null });
});

test('manager: daily list, record and decide a referral, the case, an assessment, the trajectory', async () => {
  const { context, page, problems } = await newPage(browser);
  const name = `${person.given_name} ${person.family_name}`;

  // Home after sign-in is the daily tasking list, for my team or all teams.
  await signInUI(page, server.url, 'manager');
  await waitForHeading(page, 'Daily tasking');
  assert.equal(await page.title(), 'Daily tasking – safehub');
  assert.match(await page.locator('#scope-form').innerText(), /My team \(Phoenix\)/);
  await runAxe(page, 'daily list (team)');
  await page.check('#scope-2');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/dashboard/daily?scope=all')),
    page.click('#show-scope'),
  ]);
  await page.locator('#daily-results').waitFor();
  await runAxe(page, 'daily list (all teams)');
  await screenshot(page, 'casework-daily-all');

  // Record a referral from the person's page.
  await page.goto(`${server.url}/persons/${person.id}`);
  await waitForHeading(page, name);
  await page.click('#record-referral');
  await waitForPage(page, '^/persons/\\d+/referrals/new$', 'Record a referral');
  assert.equal(new URL(page.url()).pathname, `/persons/${person.id}/referrals/new`);
  await runAxe(page, 'record a referral');

  // Nothing chosen: every missing field named, in the summary and beside the field.
  await page.click('#save');
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.equal(await page.title(), 'Error: Record a referral – safehub');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true);
  for (const href of ['#source-code', '#strands', '#concerns']) {
    assert.equal(await summary.locator(`a[href="${href}"]`).count(), 1, `summary links to ${href}`);
  }
  assert.match(await page.locator('#source-code-error').innerText(), /Select the source/);
  assert.match(await page.locator('#strands-error').innerText(), /Choose at least one strand/);
  assert.match(await page.locator('#concerns-error').innerText(), /Enter the concerns/);
  await runAxe(page, 'record a referral with errors');
  await screenshot(page, 'casework-referral-errors');

  await page.selectOption('#source-code', '6');
  await page.fill('#source-agency', 'Greater Manchester Police');
  await page.fill('#referrer-name', 'PC A. Example');
  await page.check('#strands'); // the first strand: child sexual exploitation
  await page.fill('#concerns', 'Seen getting into cars with older males.\nMissing twice this month.');
  await page.fill('#consent-basis', 'Shared without consent to protect the child');
  await page.click('#save');
  await waitForPage(page, '^/referrals/\\d+$', 'Referral');
  const referralPath = new URL(page.url()).pathname;
  assert.match(referralPath, /^\/referrals\/\d+$/);
  assert.equal(await page.title(), 'Referral – safehub');
  assert.ok(!page.url().includes(person.family_name));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Referral recorded/);
  assert.match(await page.locator('main').innerText(), /Awaiting decision/);
  assert.match(await page.locator('main').innerText(), /Missing twice this month/);
  await runAxe(page, 'referral with the decision form');
  await screenshot(page, 'casework-referral');

  // It is on the list of referrals awaiting a decision...
  await page.click('nav >> text=Referrals');
  await waitForPage(page, '^/referrals$', 'Referrals');
  assert.match(await page.locator('#referrals').innerText(), new RegExp(person.family_name));
  await runAxe(page, 'referrals awaiting a decision');

  // ...and on my team's daily list, with the time left, and links back to the referral.
  await page.click('nav >> text=Daily tasking');
  await waitForHeading(page, 'Daily tasking');
  if (await page.isChecked('#scope-2')) {
    await page.check('#scope');
    await page.click('#show-scope');
  }
  const line = page.locator('#daily-referrals tbody tr', { hasText: name });
  await line.waitFor();
  assert.match(await line.innerText(), /left|Overdue/);
  await screenshot(page, 'casework-daily-referral');
  await line.locator('a').click();
  await waitForPage(page, '^/referrals/\\d+$', 'Referral');
  assert.equal(new URL(page.url()).pathname, referralPath);

  // Decide: nothing chosen first.
  await page.click('#save-decision');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Select an outcome/);
  assert.match(await summary.innerText(), /Enter a rationale/);
  assert.equal(await summary.locator('a[href="#outcome"]').count(), 1);
  assert.equal(await summary.locator('a[href="#rationale"]').count(), 1);
  await runAxe(page, 'decision with errors');
  await screenshot(page, 'casework-decision-errors');

  await page.check('input[name="outcome"][value="allocate"]');
  await page.fill('#rationale', 'Indicators of sexual exploitation and repeat missing episodes. Allocate for assessment and a PTAC.');
  assert.equal(await page.inputValue('#team'), 'Phoenix');
  assert.ok((await page.locator('#worker option').allInnerTexts()).includes('Pat Practitioner (Phoenix)'));
  await page.selectOption('#worker', 'practitioner');
  await page.click('#save-decision');
  await page.locator('#case-link').waitFor();
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /a case has been opened/);
  assert.match(await page.locator('main').innerText(), /Allocate to the hub/);
  await runAxe(page, 'decided referral');
  await screenshot(page, 'casework-referral-decided');

  // The case: team, worker, and the clocks that allocation started, with their due times.
  await page.click('#case-link');
  await waitForPage(page, '^/cases/\\d+$', name);
  const casePath = new URL(page.url()).pathname;
  assert.match(casePath, /^\/cases\/\d+$/);
  assert.equal(await page.title(), 'Case – safehub');
  const caseText = await page.locator('main').innerText();
  assert.match(caseText, /Phoenix/);
  assert.match(caseText, /Pat Practitioner/);
  const tasks = await page.locator('#case-tasks').innerText();
  assert.match(tasks, /First risk assessment/);
  assert.match(tasks, /First PTAC meeting/);
  assert.match(tasks, /\d{1,2} \w+ 20\d\d, 11:59pm/);
  await runAxe(page, 'case');
  await screenshot(page, 'casework-case');

  // The assessment form, drawn from the tool's definition.
  await page.click('#complete-assessment');
  await waitForPage(page, '^/cases/\\d+/assessments/new$', 'Complete a risk assessment');
  assert.equal(new URL(page.url()).pathname, `${casePath}/assessments/new`);
  assert.ok(await page.locator('fieldset').count() > 12, 'a fieldset per domain and choice');
  assert.match(await page.locator('#domain-other').innerText(), /Other/);
  await runAxe(page, 'assessment form');

  // A disclosure, and an override to low without a rationale: both refused, beside the fields.
  await page.check('#ind-disclosure');
  await page.check('#ind-older_partner');
  await page.check('input[name="override-level"][value="low"]');
  await page.click('#save-assessment');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#override-level"]').count(), 1);
  assert.equal(await summary.locator('a[href="#override-rationale"]').count(), 1);
  assert.match(await page.locator('#override-level-error').innerText(), /cannot be low/);
  assert.match(await page.locator('#override-rationale-error').innerText(), /required/);
  assert.equal(await page.isChecked('#ind-disclosure'), true, 'answers are kept');
  assert.equal(await page.title(), 'Error: Complete a risk assessment – safehub');
  await runAxe(page, 'assessment with errors');
  await screenshot(page, 'casework-assessment-errors');
  await summary.locator('a[href="#override-rationale"]').click();
  assert.equal(await focused(page), 'override-rationale');

  // An answer the tool does not accept is named on its indicator (answers.<code>). The page
  // never sends one, so the request is changed on its way to the (real) server.
  await page.check('input[name="override-level"][value="none"]');
  await page.route('**/api/v1/assessments', async (route) => {
    const body = JSON.parse(route.request().postData());
    body.answers.missing_episodes = 'every-day';
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.click('#save-assessment');
  await page.locator('#ind-missing_episodes-error').waitFor();
  assert.match(await page.locator('#ind-missing_episodes-error').innerText(), /Episodes missing .* must be the code of one of its options/);
  assert.equal(await summary.locator('a[href="#ind-missing_episodes"]').count(), 1);
  await page.unroute('**/api/v1/assessments');

  // Saved: the result, forced high by the disclosure floor.
  await page.click('#save-assessment');
  await waitForPage(page, '^/assessments/\\d+$', 'Risk assessment');
  assert.match(new URL(page.url()).pathname, /^\/assessments\/\d+$/);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /the level is high/);
  assert.match(await page.locator('#assessment-result').innerText(), /High/);
  assert.match(await page.locator('#floors').innerText(), /A disclosure of exploitation forces high/);
  await runAxe(page, 'assessment result');
  await screenshot(page, 'casework-assessment-result');

  // The case now shows high risk; the person's page shows the trajectory medium -> high.
  await page.goto(`${server.url}${casePath}`);
  await waitForHeading(page, name);
  assert.match(await page.locator('.govuk-summary-list').first().innerText(), /Current risk\s+High/);
  await page.click(`main a >> text=${name} (the whole story)`);
  await waitForPage(page, '^/persons/\\d+$', name);
  // The title follows the heading; on a slow (sanitizer) build give it a moment.
  await page.waitForFunction(() => document.title === 'Person record – safehub', null, { timeout: 10000 }).catch(() => {});
  assert.equal(await page.title(), 'Person record – safehub');
  const chart = page.locator('#risk-chart svg');
  await chart.waitFor();
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.match(await page.locator('#risk-chart desc').textContent(), /2 assessments .* First medium, latest high/);
  assert.equal(await page.locator('#risk-chart .app-chart__point').count(), 2);
  assert.equal(await page.locator('#risk-chart .app-chart__point--medium').count(), 1);
  assert.equal(await page.locator('#risk-chart .app-chart__point--high').count(), 1);
  const rows = await page.locator('#risk-table tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /Medium/);
  assert.match(rows[1], /High/);
  const story = await page.locator('main').innerText();
  assert.match(story, /Current case/);
  assert.match(story, /Pat Practitioner/);
  assert.match(await page.locator('#story-referrals').innerText(), /Allocate to the hub/);
  assert.match(await page.locator('#timeline').innerText(), /Risk assessment/);
  await runAxe(page, 'person with the whole story');
  await screenshot(page, 'casework-person-story');

  // A phone-sized screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await waitForHeading(page, name);
  await runAxe(page, 'person with the whole story on a phone');
  await screenshot(page, 'casework-person-story-mobile');

  await assertNoProblems(page, problems, 'the casework journey');
  await context.close();
});

test('case forms: contact, note with the young person’s voice, meeting and action, flag, closure after a 409', async () => {
  const p = await createPerson('Tamsin', uniqueWord('Casework'));
  const caseId = await openCase(p);
  const name = `${p.given_name} ${p.family_name}`;
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'manager');
  // The open cases of my team list it.
  await page.click('nav >> text=Cases');
  await waitForPage(page, '^/cases$', 'Open cases');
  await page.locator('#cases', { hasText: p.family_name }).waitFor();
  await runAxe(page, 'open cases');
  await page.locator('#cases a', { hasText: p.family_name }).click();
  await waitForPage(page, '^/cases/\\d+$', name);

  // A contact: whether the child was seen must be answered.
  await page.click('#record-contact');
  await waitForPage(page, '^/cases/\\d+/contacts/new$', 'Record a contact');
  await runAxe(page, 'record a contact');
  await page.check('input[name="kind"][value="visit"]');
  await page.click('#save');
  await page.locator('.govuk-error-summary a[href="#seen"]').waitFor();
  assert.match(await page.locator('#seen-error').innerText(), /Select whether the young person was seen/);
  await runAxe(page, 'record a contact with errors');
  await page.check('#seen'); // yes
  await page.check('#seen-alone'); // yes
  await page.fill('#location', 'Home');
  await page.fill('#summary', 'Talked about staying safe at the weekend.');
  await page.click('#save');
  await waitForPage(page, '^/cases/\\d+$', name);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Contact recorded/);
  assert.match(await page.locator('#case-contacts').innerText(), /Yes, alone/);

  // A note with the young person's voice.
  await page.click('#add-note');
  await waitForPage(page, '^/cases/\\d+/notes/new$', 'Add a case note');
  await page.fill('#note', 'Discussed the safety plan.');
  await page.fill('#child-voice', 'I want to go back to football.');
  await page.click('#save');
  await waitForPage(page, '^/cases/\\d+$', name);
  assert.match(await page.locator('.app-voice').innerText(), /I want to go back to football/);

  // A meeting with two attendees and two actions (rows added on the page).
  await page.click('#record-meeting');
  await waitForPage(page, '^/cases/\\d+/meetings/new$', 'Record a meeting');
  await page.check('input[name="type"][value="ptac"]');
  await page.click('#attendees-add');
  assert.equal(await focused(page), 'attendees-1-name');
  await page.fill('#attendees-1-name', 'DS Jones');
  await page.fill('#attendees-1-agency', 'Police');
  await page.fill('#decisions', 'Safety plan agreed; disruption at the address of concern.');
  await page.fill('#actions-0-what', 'Visit the address of concern');
  await page.fill('#actions-0-owner', 'DS Jones, Police');
  await page.click('#actions-add');
  await page.fill('#actions-1-what', 'Share the safety plan with the school');
  await page.fill('#actions-1-owner', 'Pat Practitioner');
  const soon = new Date(Date.now() + 7 * 86400000);
  for (const i of [0, 1]) {
    await page.fill(`#actions-${i}-due_date-day`, String(soon.getUTCDate()));
    await page.fill(`#actions-${i}-due_date-month`, String(soon.getUTCMonth() + 1));
  }
  await page.fill('#actions-0-due_date-year', String(soon.getUTCFullYear()));
  // The second action's year is missing: caught on the page, nothing sent.
  await page.click('#save');
  await page.locator('.govuk-error-summary a[href="#actions-1-due_date-year"]').waitFor();
  assert.match(await page.locator('#actions-1-due_date-error').innerText(), /must include a year/);
  assert.equal(await page.inputValue('#attendees-1-name'), 'DS Jones');
  await runAxe(page, 'record a meeting with errors');
  await screenshot(page, 'casework-meeting-errors');
  await page.fill('#actions-1-due_date-year', String(soon.getUTCFullYear()));
  await page.click('#save');
  await waitForPage(page, '^/meetings/\\d+$', 'Team around the child (PTAC)');
  assert.match(new URL(page.url()).pathname, /^\/meetings\/\d+$/);
  assert.match(await page.locator('#attendees').innerText(), /DS Jones/);
  await runAxe(page, 'meeting');
  const done = page.locator('#actions button', { hasText: 'Mark as done' });
  assert.equal(await done.count(), 2);
  await done.first().click();
  await page.locator('.govuk-notification-banner', { hasText: 'Action marked as done' }).waitFor();
  assert.equal(await page.locator('#actions button', { hasText: 'Mark as done' }).count(), 1);
  assert.match(await page.locator('#actions').innerText(), /Done/);
  await screenshot(page, 'casework-meeting');

  // A flag, then review it.
  await page.click('#case-link');
  await waitForPage(page, '^/cases/\\d+$', name);
  await page.click('#set-flag');
  await waitForPage(page, '^/cases/\\d+/flags/new$', 'Set a flag');
  await page.check('input[name="kind"][value="cse_risk"]');
  await page.check('#police-flag'); // yes
  await page.click('#save');
  await waitForPage(page, '^/cases/\\d+$', name);
  assert.match(await page.locator('#case-flags').innerText(), /At risk of sexual exploitation/);
  await page.locator('#case-flags a', { hasText: 'Review or remove' }).click();
  await waitForPage(page, '^/cases/\\d+/flags/\\d+$', 'Review a flag');
  await runAxe(page, 'review a flag');
  await page.check('input[name="action"][value="remove"]');
  await page.click('#save');
  await waitForPage(page, '^/cases/\\d+$', name);
  assert.match(await page.locator('#case-flags').innerText(), /Removed/);
  await runAxe(page, 'case with a contact, note, meeting and flag');
  await screenshot(page, 'casework-case-full');

  // Closure: someone else changes the case first (409), nothing is closed; reload, then close.
  await page.click('#close-case');
  await waitForPage(page, '^/cases/\\d+/closure$', 'Close the case');
  await runAxe(page, 'close the case');
  const now = await manager.req('GET', `/api/v1/cases/${caseId}`);
  const other = await manager.req('POST', `/api/v1/cases/${caseId}/transition-plan`, { version: now.body.version, plan: 'Adult services from 18.' });
  assert.equal(other.status, 200, other.text);
  await page.check('input[name="reason"][value="risk_reduced"]');
  await page.click('#save');
  const conflict = page.locator('#conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Someone else has changed this case/);
  assert.equal(await focused(page), 'conflict');
  assert.equal((await manager.req('GET', `/api/v1/cases/${caseId}`)).body.status, 'open');
  await runAxe(page, 'close the case after a 409');
  await screenshot(page, 'casework-closure-conflict');
  await page.click('#reload');
  await page.locator('.govuk-notification-banner', { hasText: 'latest version' }).waitFor();
  await page.check('input[name="reason"][value="risk_reduced"]');
  await page.click('#save');
  await waitForPage(page, '^/cases/\\d+$', name);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Case closed/);
  assert.match(await page.locator('.govuk-summary-list').first().innerText(), /Closed/);
  assert.equal(await page.locator('#record-contact').count(), 0, 'a closed case offers no changes');
  assert.equal((await manager.req('GET', `/api/v1/cases/${caseId}`)).body.status, 'closed');

  await assertNoProblems(page, problems, 'the case forms');
  await context.close();
});

test('practitioner: records a referral but sees no decision form; the daily list is their home', async () => {
  const p = await createPerson('Keira', uniqueWord('Practice'));
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'practitioner');
  await waitForHeading(page, 'Daily tasking');
  await page.goto(`${server.url}/persons/${p.id}/referrals/new`);
  await waitForHeading(page, 'Record a referral');
  await page.selectOption('#source-code', '2A');
  await page.check('input[name="strands"][value="missing"]');
  await page.fill('#concerns', 'Missing from school three afternoons this week.');
  await page.click('#save');
  await waitForPage(page, '^/referrals/\\d+$', 'Referral');
  assert.match(await page.locator('main').innerText(), /Awaiting decision/);
  assert.equal(await page.locator('#save-decision').count(), 0);
  assert.equal(await page.locator('#outcome').count(), 0);
  await runAxe(page, 'referral (practitioner)');
  await assertNoProblems(page, problems, 'the practitioner');
  await context.close();
});

test('keyboard only: record a contact with Tab, Space, the arrow keys and Enter', async () => {
  const p = await createPerson('Nia', uniqueWord('Keyboard'));
  const caseId = await openCase(p);
  const name = `${p.given_name} ${p.family_name}`;
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'practitioner');
  await page.goto(`${server.url}/cases/${caseId}`);
  await waitForPage(page, '^/cases/\\d+$', name);

  // From the heading, Tab to "Record a contact" and follow it.
  await page.focus('main h1');
  let label = null;
  for (let i = 0; i < 20 && label !== 'Record a contact'; i += 1) {
    await page.keyboard.press('Tab');
    label = await page.evaluate(() => document.activeElement.textContent.trim());
  }
  assert.equal(label, 'Record a contact');
  await page.keyboard.press('Enter');
  await waitForPage(page, '^/cases/\\d+/contacts/new$', 'Record a contact');
  assert.match(await focused(page), /^h1:.*Record a contact$/);

  // The date and time are filled in with now; then the type, seen, seen alone, where, summary.
  for (const id of ['contact-at-day', 'contact-at-month', 'contact-at-year', 'contact-at-time', 'kind']) {
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), id);
  }
  await page.keyboard.press('Space'); // the first type: a home visit
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'seen');
  await page.keyboard.press('Space'); // yes
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'seen-alone');
  await page.keyboard.press('ArrowRight'); // no
  assert.equal(await focused(page), 'seen-alone-2');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'location');
  await page.keyboard.type('School');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'summary');
  await page.keyboard.type('Seen with the school nurse.');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'save');
  await page.keyboard.press('Enter');
  await waitForPage(page, '^/cases/\\d+$', name);
  assert.match(await focused(page), /^h1:/);
  const row = await page.locator('#case-contacts tbody tr').first().innerText();
  assert.match(row, /Home visit/);
  assert.match(row, /Yes/);
  assert.doesNotMatch(row, /alone/);
  assert.match(row, /School/);
  await assertNoProblems(page, problems, 'keyboard use');
  await context.close();
});
