// "Is this someone we know?" in the browser: adding a person whose details match a demo child
// (a nickname, a misspelt surname, day and month swapped) shows that child first among the
// candidates, with the probability and the reasons, before anything is saved; the candidate's
// name opens their record; "None of these, create a new person" saves the new one. And the match
// review queue: a manager sees an uncertain import row with its candidates and links it.
// axe-core finds no violations on any of these pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, signedIn } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, screenshot, assertNoProblems, focused,
} from './browser.mjs';

// Given names of the demo with a nickname in the engine's table (src/match_names.c).
const NICKNAMES = {
  Olivia: 'Livvy', Amelia: 'Millie', Lily: 'Lil', Sophie: 'Soph', Emily: 'Emmy', Grace: 'Gracie', Jessica: 'Jess',
  Megan: 'Meg', Bethany: 'Beth', Abigail: 'Abbie', Rebecca: 'Becky', Samantha: 'Sammy', Katie: 'Kat',
  Charlotte: 'Lottie', Victoria: 'Vicky', Eleanor: 'Nell', Elizabeth: 'Lizzie', Matilda: 'Tilly', Florence: 'Flo',
  Kayleigh: 'Kay', Courtney: 'Court', Stephanie: 'Steph', Natalie: 'Nat', Oliver: 'Ollie', Jacob: 'Jake',
  Thomas: 'Tommy', William: 'Billy', James: 'Jimmy', Joshua: 'Josh', Daniel: 'Danny', Matthew: 'Matty',
  Samuel: 'Sammy', Joseph: 'Joey', Benjamin: 'Benji', Alexander: 'Xander', Edward: 'Eddie', Nathan: 'Nate',
  Callum: 'Cal', Zachary: 'Zach', Freddie: 'Fred', Alfie: 'Alf', Mohammed: 'Mo', Emmanuel: 'Manny',
};

let server;
let browser;
let child;

function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', '-cmd', '.timeout 5000', server.db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// Two neighbouring letters in the middle swapped ("Ogden" -> "Ogdne").
function misspell(s) {
  for (let i = Math.floor(s.length / 2); i < s.length - 1; i++) {
    if (s[i] !== s[i + 1] && /[a-z]/.test(s[i]) && /[a-z]/.test(s[i + 1])) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }
  return `${s.slice(0, -1)}${s.slice(-1) === 'e' ? 'a' : 'e'}`;
}

before(async () => {
  server = watchServer(await startServer(serverOpts({ persons: 200 })));
  browser = await launch();
  child = rows(`SELECT id, given_name, family_name, dob, sex, aliases FROM persons
    WHERE restricted = 0 AND merged_into IS NULL AND dob > date('now', '-18 years')
      AND CAST(substr(dob, 9, 2) AS INTEGER) <= 12 AND substr(dob, 9, 2) <> substr(dob, 6, 2)
      AND length(family_name) >= 5 AND family_name NOT GLOB '*[^A-Za-z]*' ORDER BY id`)
    .find((p) => NICKNAMES[p.given_name] && !JSON.parse(p.aliases).includes(NICKNAMES[p.given_name]));
  assert.ok(child, 'a demo child with a nickname and a swappable date of birth');
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Fill the add-a-person form with the child's details as another agency wrote them.
async function fillVariant(page) {
  const [y, m, d] = child.dob.split('-');
  await page.fill('#given-name', NICKNAMES[child.given_name]);
  await page.fill('#family-name', misspell(child.family_name));
  await page.fill('#dob-day', String(Number(m))); // day and month swapped
  await page.fill('#dob-month', String(Number(d)));
  await page.fill('#dob-year', y);
}

test('adding a person shows who we may already know, first the child, with reasons; axe is clean', async () => {
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'practitioner');
  await page.click('nav >> text=Add a person');
  await waitForHeading(page, 'Add a person');
  await fillVariant(page);
  await page.click('#save');

  const panel = page.locator('#intake-matches');
  await panel.waitFor({ timeout: 10000 });
  assert.equal(await focused(page), 'intake-matches-heading');
  assert.match(await panel.locator('h2').innerText(), /Is this someone we know\?/);
  const first = panel.locator('[data-rank="1"]');
  assert.equal(await first.getAttribute('data-candidate'), String(child.id));
  const text = await first.innerText();
  assert.match(text, new RegExp(`${child.given_name} ${child.family_name}`));
  assert.match(text, /\d+%/);
  assert.match(text, /nickname/i);
  assert.match(text, /swapped/i);
  assert.equal(await first.locator('a').first().getAttribute('href'), `/persons/${child.id}`);
  // Nothing was saved.
  assert.equal(rows(`SELECT count(*) AS n FROM persons WHERE family_name = '${misspell(child.family_name)}'`)[0].n, 0);
  assert.equal(new URL(page.url()).pathname, '/persons/new');
  await runAxe(page, 'add a person: is this someone we know?');
  await screenshot(page, 'intake-candidates');

  // The candidate's name opens their record.
  await first.locator('a').first().click();
  await waitForHeading(page, `${child.given_name} ${child.family_name}`);
  assert.equal(new URL(page.url()).pathname, `/persons/${child.id}`);

  // Back on the form, none of them is this person: create the new one.
  await page.click('nav >> text=Add a person');
  await waitForHeading(page, 'Add a person');
  await fillVariant(page);
  await page.check('#sex');
  await page.click('#save');
  await page.locator('#intake-matches').waitFor({ timeout: 10000 });
  await page.click('#create-anyway');
  await waitForHeading(page, `${NICKNAMES[child.given_name]} ${misspell(child.family_name)}`);
  assert.match(new URL(page.url()).pathname, /^\/persons\/\d+$/);
  assert.notEqual(new URL(page.url()).pathname, `/persons/${child.id}`);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Person added/);

  // Details nobody matches save at the first click.
  await page.click('nav >> text=Add a person');
  await waitForHeading(page, 'Add a person');
  await page.fill('#given-name', 'Zebedee');
  await page.fill('#family-name', 'Quarrington-Vose');
  await page.fill('#dob-day', '30');
  await page.fill('#dob-month', '12');
  await page.fill('#dob-year', '1961');
  await page.check('#sex');
  await page.click('#save');
  await waitForHeading(page, 'Zebedee Quarrington-Vose');

  await assertNoProblems(page, problems, 'intake');
  await context.close();
});

test('the match review queue: a manager links an uncertain import row; axe is clean', async () => {
  const admin = await signedIn(server.url, 'admin');
  const manager = await signedIn(server.url, 'manager');
  // Send every candidate of 5% or more to the queue, import one row, then put the thresholds back.
  let r = await admin.req('PUT', '/api/v1/config/settings', { items: { 'match.link_threshold': 1, 'match.review_threshold': 0.05 } });
  assert.equal(r.status, 200, r.text);
  const [y, m, d] = child.dob.split('-');
  const csv = 'police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,started_at,reported_at\n'
    + `GMP,UI-1,${NICKNAMES[child.given_name]},${misspell(child.family_name)},${m}/${d}/${y},,home,M,2025-10-01T10:00:00Z,2025-10-01T12:00:00Z\n`;
  r = await manager.req('POST', '/api/v1/imports/missing', csv, { raw: true, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.review, 1, r.text);
  r = await admin.req('PUT', '/api/v1/config/settings', { items: { 'match.link_threshold': 0.95, 'match.review_threshold': 0.5 } });
  assert.equal(r.status, 200, r.text);

  const { context, page, problems } = await newPage(browser);
  // A practitioner sees the queue but cannot decide.
  await signInUI(page, server.url, 'practitioner');
  await page.click('nav >> text=Match reviews');
  await waitForHeading(page, 'Match reviews');
  assert.match(await page.locator('main').innerText(), /Only a manager can decide/);
  assert.equal(await page.locator('button', { hasText: 'Link to this person' }).count(), 0);
  await runAxe(page, 'match reviews (practitioner)');
  await page.click('#sign-out');
  await waitForHeading(page, 'Sign in');

  await signInUI(page, server.url, 'manager');
  await page.click('nav >> text=Match reviews');
  await waitForHeading(page, 'Match reviews');
  const section = page.locator('section[data-review]').first();
  assert.match(await section.innerText(), /Row 2/);
  assert.match(await section.innerText(), new RegExp(misspell(child.family_name)));
  const card = section.locator(`[data-candidate="${child.id}"]`);
  assert.match(await card.innerText(), /\d+%/);
  assert.match(await card.innerText(), /swapped/i);
  assert.equal(await section.locator('button', { hasText: 'Create a new person' }).count(), 1);
  assert.equal(await section.locator('button', { hasText: 'Dismiss' }).count(), 1);
  await runAxe(page, 'match reviews (manager)');
  await screenshot(page, 'match-reviews');

  await card.locator('button', { hasText: 'Link to this person' }).click();
  await page.locator('.govuk-notification-banner').waitFor();
  assert.match(await page.locator('.govuk-notification-banner').innerText(), new RegExp(`linked to ${child.given_name} ${child.family_name}`));
  assert.match(await page.locator('main').innerText(), /There are no rows waiting for a decision/);
  assert.deepEqual(rows(`SELECT person_id FROM missing_episodes WHERE police_ref = 'UI-1'`), [{ person_id: child.id }]);
  await runAxe(page, 'match reviews (empty)');

  await assertNoProblems(page, problems, 'match reviews');
  await context.close();
});
