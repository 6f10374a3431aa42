// The missing-episode pages of issue 4 in a browser, under the server's real Content-Security-
// Policy. police_intel opens a demo person, reports them missing (a form without the last-seen
// time or where from is refused, each named in the error summary and beside its field; then a
// police reference the demo data already uses is refused on the reference field), sees the
// episode page (missing now, placed here by another authority, the notification to it, which is
// acknowledged after an empty try is refused), sees the warning banner on the person page, adds a
// high grading over the low one (both kept, the latest marked), records the return (a time that
// is not a time is refused), then the return home interview's offer and, after a decline without
// a reason is refused, its completion (completed, green). The list of episodes filters to the
// returned ones. A manager changes the details after someone else did (409, reload) and reopens
// the episode (the reason is required). axe-core finds no violations on the list, the episode
// page or any form, with and without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, runAxe, screenshot, assertNoProblems,
} from './browser.mjs';

let server;
let browser;
let intel; // API client signed in as police_intel
let person; // a demo person: {id, given_name, family_name}
let episodeId;
let taken; // a demo episode's {police_force, police_ref}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23',
});

// The UK local date-and-time input parts for minutes ago: {day, month, year, time}.
function ukParts(minutesAgo) {
  const p = Object.fromEntries(LONDON.formatToParts(new Date(Date.now() - minutesAgo * 60000)).map((x) => [x.type, x.value]));
  return { day: String(Number(p.day)), month: String(Number(p.month)), year: p.year, time: `${String(Number(p.hour) % 24).padStart(2, '0')}:${p.minute}` };
}

async function fillDateTime(page, id, parts) {
  for (const k of ['day', 'month', 'year', 'time']) await page.fill(`#${id}-${k}`, parts[k]);
}

// Wait until the page at a path matching pathRe shows exactly this main heading (the h1's own
// text, without its caption): client-side navigation changes the URL before the page is drawn.
async function waitForPage(page, pathRe, heading) {
  await page.waitForFunction(([p, t]) => {
    const h1 = document.querySelector('main h1');
    if (!h1 || !new RegExp(p).test(location.pathname)) return false;
    return [...h1.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim() === t;
  }, [pathRe, heading], { timeout: 10000 }).catch(async (e) => {
    throw new Error(`${e.message}\nwanted ${pathRe} "${heading}"; at ${page.url()}:\n${await page.locator('main').innerText()}`);
  });
}

// The error summary, focused, with a link to each of hrefs; the page title starts "Error:".
async function expectErrors(page, hrefs, title) {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  for (const href of hrefs) {
    assert.equal(await summary.locator(`a[href="${href}"]`).count(), 1, `the summary links to ${href}:\n${await summary.innerText()}`);
  }
  assert.equal(await page.title(), `Error: ${title} – safehub`);
  return summary;
}

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
  intel = await signedIn(server.url, 'police_intel');
  // A demo child with no open episode.
  const found = await intel.req('GET', '/api/v1/persons?q=a&limit=100');
  assert.equal(found.status, 200, found.text);
  for (const p of found.body.items) {
    if (p.restricted) continue;
    const full = await intel.req('GET', `/api/v1/persons/${p.id}`);
    if (full.status !== 200 || full.body.is_child !== true) continue;
    const m = await intel.req('GET', `/api/v1/persons/${p.id}/missing`);
    if (m.status === 200 && !m.body.open_episode_id) { person = full.body; break; }
  }
  assert.ok(person, 'a demo child who is not missing now');
  // A police force and reference the demo data already uses.
  const demo = await intel.req('GET', '/api/v1/missing-episodes?limit=50');
  assert.equal(demo.status, 200, demo.text);
  taken = demo.body.items.find((e) => e.police_ref && e.police_force);
  assert.ok(taken, 'a demo episode with a police reference');
});

after(async () => {
  if (browser) await browser.close();
  if (server) assert.deepEqual(await server.stop(), { code: 0, sig: null });
});

test('police_intel: report missing, grade high, return, RHI offer and completion', async () => {
  const { context, page, problems } = await newPage(browser);
  const name = `${person.given_name} ${person.family_name}`;
  const ref = `MFH/UI/${Date.now()}`;
  await signInUI(page, server.url, 'police_intel');

  // From the person's page: "Report missing".
  await page.goto(`${server.url}/persons/${person.id}`);
  await waitForPage(page, '^/persons/\\d+$', name);
  await page.click('#report-missing');
  await waitForPage(page, '^/persons/\\d+/missing/new$', 'Report a missing episode');
  assert.equal(await page.title(), 'Report a missing episode – safehub');
  await runAxe(page, 'report a missing episode');

  // Without when they were last seen or where from: both named, in the summary and beside them.
  await page.click('#save');
  const summary = await expectErrors(page, ['#started-at-day', '#missing-from'], 'Report a missing episode');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true);
  assert.match(await page.locator('#started-at-error').innerText(), /Enter when they were last seen$/);
  assert.match(await page.locator('#missing-from-error').innerText(), /Select where they went missing from$/);
  assert.match(await summary.innerText(), /Enter when they were last seen\s+Select where they went missing from/);
  await runAxe(page, 'report a missing episode with errors');
  await screenshot(page, 'missing-report-errors');

  await fillDateTime(page, 'started-at', ukParts(180));
  await page.check('input[name="missing-from"][value="care"]');
  await page.check('input[name="grade"][value="low"]');
  await page.fill('#graded-by', 'PS 123 Example');
  await page.fill('#police-force', taken.police_force);
  await page.fill('#police-ref', taken.police_ref);
  await page.selectOption('#placement-type', 'residential');
  await page.fill('#placing-authority', 'Westshire');
  await page.fill('#host-authority', 'Northby');
  await page.fill('#notes', 'Left the children’s home after tea.\nPhone switched off.');
  await page.click('#save');

  // A police reference already recorded (the server's 409) is shown on the reference.
  await page.locator('.govuk-error-summary a[href="#police-ref"]').waitFor();
  assert.match(await page.locator('#police-ref-error').innerText(), /already been recorded/);
  assert.equal(await page.inputValue('#notes'), 'Left the children’s home after tea.\nPhone switched off.');
  await page.fill('#police-force', 'Northby Police');
  await page.fill('#police-ref', ref);
  await page.click('#save');

  // The episode: missing now, low risk, placed here by Westshire, who are notified.
  await waitForPage(page, '^/missing/\\d+$', name);
  episodeId = Number(new URL(page.url()).pathname.split('/')[2]);
  assert.equal(await page.title(), 'Missing episode – safehub');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Missing episode recorded/);
  assert.match(await page.locator('#episode-tags').innerText(), /Missing now/);
  assert.match(await page.locator('#episode-tags').innerText(), /Low risk/);
  assert.match(await page.locator('#out-of-area').innerText(), /placed here by Westshire/);
  assert.match(await page.locator('main').innerText(), /Phone switched off/);
  const notifications = page.locator('#notifications');
  assert.match(await notifications.innerText(), /Westshire/);
  await runAxe(page, 'the episode, missing now');
  await screenshot(page, 'missing-episode-open');

  // Acknowledge the notification: who is required.
  const ackButton = notifications.locator('button', { hasText: 'Record acknowledgement' });
  await ackButton.click();
  const ackSummary = page.locator('#episode-problems .govuk-error-summary');
  await ackSummary.waitFor();
  const ackHref = await ackSummary.locator('a').getAttribute('href');
  assert.match(ackHref, /^#ack-by-\d+$/);
  assert.match(await page.locator(`${ackHref}-error`).innerText(), /Enter who at Westshire acknowledged/);
  await runAxe(page, 'the episode with an acknowledgement error');
  await page.fill(ackHref, 'Duty manager, Westshire');
  await notifications.locator('button', { hasText: 'Record acknowledgement' }).click();
  await page.locator('.govuk-notification-banner', { hasText: 'Acknowledgement recorded' }).waitFor();
  assert.match(await page.locator('#notifications').innerText(), /by Duty manager, Westshire/);

  // The person's page warns that they are missing now, with the counts.
  await page.click('#person-link');
  await waitForPage(page, '^/persons/\\d+$', name);
  const banner = page.locator('#missing-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Missing now/);
  assert.match(await page.locator('#missing-counts').innerText(), /in the last 90 days .* in the last 12 months/);
  assert.match(await page.locator('#person-missing').innerText(), /Missing now/);
  await runAxe(page, 'the person page with a missing episode');
  await page.click('#open-episode-link');
  await waitForPage(page, '^/missing/\\d+$', name);

  // A high grading over the low one: nothing chosen first.
  await page.click('#add-grading');
  await waitForPage(page, '^/missing/\\d+/grading$', 'Add a police risk grading');
  await runAxe(page, 'add a grading');
  await page.click('#save');
  await expectErrors(page, ['#grade'], 'Add a police risk grading');
  assert.match(await page.locator('#grade-error').innerText(), /Select the risk grading$/);
  await page.check('input[name="grade"][value="high"]');
  await page.fill('#graded-by', 'DS 456 Example');
  await page.fill('#note', 'Seen getting into a car with older males.');
  await page.click('#save');
  await waitForPage(page, '^/missing/\\d+$', name);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Risk grading added/);
  const grades = await page.locator('#gradings tbody tr').allInnerTexts();
  assert.equal(grades.length, 2);
  assert.match(grades[0], /Low risk/);
  assert.doesNotMatch(grades[0], /Latest/);
  assert.match(grades[1], /High risk/);
  assert.match(await page.locator('#grading-latest').innerText(), /High risk\s+Latest/);
  assert.match(await page.locator('#episode-tags').innerText(), /High risk/);

  // The return: a time that is not a time is caught on the page.
  await page.click('#record-return');
  await waitForPage(page, '^/missing/\\d+/return$', 'Record the return');
  await runAxe(page, 'record the return');
  const back = ukParts(60);
  await fillDateTime(page, 'ended-at', { ...back, time: 'teatime' });
  await page.click('#save');
  await expectErrors(page, ['#ended-at-time'], 'Record the return');
  assert.match(await page.locator('#ended-at-error').innerText(), /enter a time like 14:30/);
  await runAxe(page, 'record the return with errors');
  await screenshot(page, 'missing-return-errors');
  await page.fill('#ended-at-time', back.time);
  await page.fill('#found-where', 'Market Street, Northby');
  await page.click('#save');
  await waitForPage(page, '^/missing/\\d+$', name);
  assert.match(await page.locator('#episode-tags').innerText(), /Returned/);
  assert.match(await page.locator('#episode-tags').innerText(), /Due/);
  assert.match(await page.locator('#rhi-time-left').innerText(), /\d+ hours left/);
  assert.match(await page.locator('main').innerText(), /Market Street, Northby/);

  // The return home interview: the offer.
  await page.click('#record-rhi');
  await waitForPage(page, '^/missing/\\d+/rhi$', 'Return home interview');
  await runAxe(page, 'return home interview form');
  await fillDateTime(page, 'offered-at', ukParts(0));
  await page.fill('#offered-by', 'Alex Worker');
  await page.fill('#offered-org', 'Northby Return Interviews');
  await page.check('#independent'); // yes
  await page.click('#save');
  await waitForPage(page, '^/missing/\\d+$', name);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Return home interview saved/);
  assert.match(await page.locator('#episode-tags').innerText(), /Offered/);

  // A decline without a reason is refused and named; then accepted and completed. The offer's
  // time, shown to the minute, is kept to the second when it is not changed.
  const offered = (await intel.req('GET', `/api/v1/missing-episodes/${episodeId}`)).body.rhi.offered_at;
  await page.click('#record-rhi');
  await waitForPage(page, '^/missing/\\d+/rhi$', 'Return home interview');
  assert.equal(await page.inputValue('#offered-by'), 'Alex Worker');
  await page.check('input[name="response"][value="declined"]');
  await page.click('#save');
  await expectErrors(page, ['#declined-reason'], 'Return home interview');
  assert.match(await page.locator('#declined-reason-error').innerText(), /Enter why they declined$/);
  await runAxe(page, 'return home interview with errors');
  await screenshot(page, 'missing-rhi-errors');
  await page.check('input[name="response"][value="accepted"]');
  await fillDateTime(page, 'completed-at', ukParts(0));
  await page.fill('#push-factors', 'Arguments at the placement.');
  await page.fill('#pull-factors', 'Older friends with a car.');
  await page.check('#exploitation-disclosed-2'); // no
  await page.fill('#follow-up', 'Share with the exploitation hub.');
  await page.click('#save');
  await waitForPage(page, '^/missing/\\d+$', name);
  const tags = page.locator('#episode-tags');
  assert.match(await tags.innerText(), /Completed/);
  assert.equal(await tags.locator('.govuk-tag--green', { hasText: 'Completed' }).count(), 1);
  assert.match(await page.locator('main').innerText(), /Completed within 72 hours\s+Yes/);
  assert.match(await page.locator('main').innerText(), /Older friends with a car/);
  assert.equal((await intel.req('GET', `/api/v1/missing-episodes/${episodeId}`)).body.rhi.offered_at, offered);
  assert.equal(await page.locator('#reopen-episode').count(), 0, 'police_intel may not reopen');
  await runAxe(page, 'the episode with a completed interview');
  await screenshot(page, 'missing-episode-returned');

  // The list of episodes, returned only.
  await page.goto(`${server.url}/missing/episodes`);
  await waitForPage(page, '^/missing/episodes$', 'Missing episodes');
  await runAxe(page, 'the list of episodes');
  await page.check('input[name="status"][value="returned"]');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/missing-episodes?status=returned')),
    page.click('#show-status'),
  ]);
  const mine = page.locator(`#episodes a[href="/missing/${episodeId}"]`);
  await mine.waitFor();
  assert.match(await mine.innerText(), new RegExp(person.family_name));
  assert.equal(await page.locator('#episodes .govuk-tag', { hasText: 'Missing now' }).count(), 0);

  await assertNoProblems(page, problems, 'reporting and following a missing episode');
  await context.close();
});

test('manager: change the details after someone else did (409), and reopen the episode', async () => {
  assert.ok(episodeId, 'the first test recorded an episode');
  const name = `${person.given_name} ${person.family_name}`;
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'manager');
  await page.goto(`${server.url}/missing/${episodeId}`);
  await waitForPage(page, '^/missing/\\d+$', name);

  // Change the details; someone else saves first, so nothing changes until a reload.
  await page.click('#edit-episode');
  await waitForPage(page, '^/missing/\\d+/edit$', 'Change the episode details');
  await runAxe(page, 'change the episode details');
  const now = await intel.req('GET', `/api/v1/missing-episodes/${episodeId}`);
  const other = await intel.req('PUT', `/api/v1/missing-episodes/${episodeId}`, { version: now.body.version, locality: 'South' });
  assert.equal(other.status, 200, other.text);
  await page.fill('#locality', 'North');
  await page.click('#save');
  const conflict = page.locator('#conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Someone else has changed this episode/);
  await runAxe(page, 'change the episode details after a 409');
  await page.click('#reload');
  await page.locator('.govuk-notification-banner', { hasText: 'latest version' }).waitFor();
  assert.equal(await page.inputValue('#locality'), 'South');
  await page.fill('#locality', 'North');
  await page.click('#save');
  await waitForPage(page, '^/missing/\\d+$', name);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Episode details changed/);
  assert.match(await page.locator('main').innerText(), /Locality\s+North/);
  const changed = (await intel.req('GET', `/api/v1/missing-episodes/${episodeId}`)).body;
  for (const k of ['started_at', 'reported_at', 'ended_at']) assert.equal(changed[k], now.body[k], `${k} is not moved`);

  // Reopen: the reason is required.
  await page.click('#reopen-episode');
  await waitForPage(page, '^/missing/\\d+/reopen$', 'Reopen the episode');
  await runAxe(page, 'reopen the episode');
  await page.click('#save');
  await expectErrors(page, ['#reason'], 'Reopen the episode');
  assert.match(await page.locator('#reason-error').innerText(), /Enter why you are reopening the episode$/);
  await page.fill('#reason', 'Police say the return was recorded in error: not yet seen.');
  await page.click('#save');
  await waitForPage(page, '^/missing/\\d+$', name);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Episode reopened/);
  assert.match(await page.locator('#episode-tags').innerText(), /Missing now/);
  assert.match(await page.locator('main').innerText(), /Older friends with a car/, 'the interview recorded is kept');

  await assertNoProblems(page, problems, 'changing and reopening an episode');
  await context.close();
});
