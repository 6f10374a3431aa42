// Merging two demo persons through the UI (issue 5): a manager opens a person, chooses "Merge
// another record into this one", finds the other record by name, sees both side by side, gives
// the reason (an empty one is refused first) and confirms; sees the merged result; the merged
// record shows the banner linking to the survivor, the survivor shows it under "Also known as";
// the Unmerge button there undoes it. Then a second merge undone from the result page's Undo.
// axe-core finds no violations on any of these pages; no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, screenshot, assertNoProblems,
} from './browser.mjs';

let server;
let browser;
let a; // the survivor: {id, given_name, family_name}
let b; // the record merged in

function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', server.db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

before(async () => {
  server = watchServer(await startServer(serverOpts({ persons: 20 })));
  browser = await launch();
  // Two demo persons, not restricted, with different family names.
  const demo = rows('SELECT id, given_name, family_name FROM persons WHERE restricted = 0 ORDER BY id LIMIT 20');
  a = demo[0];
  b = demo.find((p) => p.family_name !== a.family_name);
});

after(async () => {
  if (browser) await browser.close();
  if (server) assert.deepEqual(await server.stop(), { code: 0, sig: null });
});

const name = (p) => `${p.given_name} ${p.family_name}`;

test('manager merges two demo persons, sees the banner and "also known as", and unmerges', async () => {
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'manager');

  await page.goto(`${server.url}/persons/${a.id}`);
  await waitForHeading(page, name(a));
  await page.click('#merge-person');
  await waitForHeading(page, 'Merge another record into this one');
  assert.equal(new URL(page.url()).pathname, `/persons/${a.id}/merge`);
  await runAxe(page, 'merge: find the record');

  // Nothing typed: an error, then the search.
  await page.click('#search');
  await page.locator('.govuk-error-summary').waitFor();
  assert.match(await page.locator('#q-error').innerText(), /Enter a name/);
  await page.fill('#q', name(b));
  await page.click('#search');
  await page.locator(`#choose-${b.id}`).waitFor();
  assert.ok(!page.url().includes(b.family_name), 'the name is not in the URL');
  await runAxe(page, 'merge: search results');
  await page.click(`#choose-${b.id}`);
  await waitForHeading(page, `Merge ${name(b)} into ${name(a)}`);
  const compare = await page.locator('#compare').innerText();
  assert.match(compare, /This record \(kept\)/);
  assert.ok(compare.includes(b.family_name) && compare.includes(a.family_name), compare);
  await runAxe(page, 'merge: both side by side');

  // No reason: refused, named beside the field.
  await page.click('#confirm-merge');
  await page.locator('#reason-error').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true);
  await runAxe(page, 'merge: reason missing');
  await page.fill('#reason', 'Same NHS number on the school and police records.');
  await page.click('#confirm-merge');
  await waitForHeading(page, 'Records merged');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), new RegExp(`${b.family_name}.* has been merged into`));
  await runAxe(page, 'merge: the result');
  await screenshot(page, 'merge-result');

  // The merged record: a banner linking to the survivor.
  await page.goto(`${server.url}/persons/${b.id}`);
  await waitForHeading(page, name(b));
  const banner = page.locator('.govuk-notification-banner', { hasText: 'merged into another record' });
  await banner.waitFor();
  assert.equal(await page.locator('#merge-person').count(), 0, 'nothing can be merged into a merged record');
  await runAxe(page, 'the merged record');
  await banner.locator(`a[href="/persons/${a.id}"]`).click();
  await waitForHeading(page, name(a));

  // The survivor: "Also known as" with the merged record's names and identifiers, and Unmerge.
  await page.locator('#aka-heading').waitFor();
  const aka = page.locator('.app-aka');
  assert.equal(await aka.count(), 1);
  assert.match(await aka.innerText(), new RegExp(b.family_name));
  assert.match(await aka.innerText(), /NHS number/);
  await runAxe(page, 'the survivor with "also known as"');
  await screenshot(page, 'merge-also-known-as');
  await aka.locator('button', { hasText: 'Unmerge' }).click();
  await page.locator('.govuk-notification-banner', { hasText: 'Merge undone' }).waitFor();
  assert.equal(await page.locator('.app-aka').count(), 0);
  assert.match(await page.locator('#merges-undone').innerText(), new RegExp(b.family_name));
  await runAxe(page, 'the survivor after the unmerge');
  assert.equal(rows(`SELECT merged_into FROM persons WHERE id = ${b.id}`)[0].merged_into, null);

  // Merge again and undo it straight from the result page.
  await page.click('#merge-person');
  await waitForHeading(page, 'Merge another record into this one');
  await page.fill('#q', name(b));
  await page.click('#search');
  await page.click(`#choose-${b.id}`);
  await page.fill('#reason', 'Merged again to try the undo.');
  await page.click('#confirm-merge');
  await waitForHeading(page, 'Records merged');
  await page.click('#undo-merge');
  await waitForHeading(page, 'Merge undone');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /separate record again/);
  await runAxe(page, 'merge: undone from the result');
  assert.equal(rows(`SELECT merged_into FROM persons WHERE id = ${b.id}`)[0].merged_into, null);
  assert.deepEqual(rows("SELECT count(*) AS n FROM person_merges WHERE unmerged_at IS NULL"), [{ n: 0 }]);

  await assertNoProblems(page, problems, 'the merge journey');
  await context.close();
});
