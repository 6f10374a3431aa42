// The import page (/imports/missing): choosing no file, a file with a bad date in row 7 (the
// errors table names row 7 and started_at, nothing is imported), a UTF-16 file (named by line
// before it is sent), then the good file (the counts) and the same file again (nothing added),
// each state checked with axe-core; no console errors, CSP violations or failed requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import {
  launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, screenshot, assertNoProblems,
} from './browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name) => path.resolve(HERE, '../fixtures', name);

let server;
let browser;
before(async () => {
  server = watchServer(await startServer(serverOpts()));
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('import a police extract: errors by row and column, then the counts', async () => {
  const { context, page, problems } = await newPage(browser);
  await signInUI(page, server.url, 'police_intel');
  await page.goto(`${server.url}/imports/missing`);
  await waitForHeading(page, 'Import a police extract');
  await runAxe(page, 'import page');

  await page.click('#import');
  await page.locator('.govuk-error-summary').waitFor();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Choose a CSV file/);
  assert.match(await page.title(), /^Error: /);
  await runAxe(page, 'import page, no file chosen');

  await page.setInputFiles('#file', fixture('missing-bad-date.csv'));
  await page.click('#import');
  await page.locator('#import-errors-table').waitFor();
  const cells = await page.locator('#import-errors-table-body tr').first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 2), ['7', 'started_at']);
  assert.match(cells[2], /date and time/);
  assert.match(await page.locator('.govuk-error-summary').innerText(), /1 error in 1 row\. Nothing was imported/);
  await runAxe(page, 'import page, errors in the file');
  await screenshot(page, 'import-errors');

  // A UTF-16 file is named by its line before anything is sent.
  const good = readFileSync(fixture('missing-good.csv'), 'utf8');
  await page.setInputFiles('#file', {
    name: 'utf16.csv', mimeType: 'text/csv', buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]),
  });
  await page.click('#import');
  await page.locator('.govuk-error-summary').filter({ hasText: 'line 1: the file is UTF-16' }).waitFor();
  await runAxe(page, 'import page, a UTF-16 file');

  await page.setInputFiles('#file', fixture('missing-good.csv'));
  await page.click('#import');
  await page.locator('#result-heading').waitFor();
  const summary = await page.locator('.govuk-summary-list').innerText();
  assert.match(summary, /Rows in the file\s+12/);
  assert.match(summary, /Episodes added\s+12/);
  assert.equal(await page.locator('#import-errors-table').count(), 0, 'the errors are gone');
  assert.doesNotMatch(await page.title(), /^Error/);
  await runAxe(page, 'import page, imported');
  await screenshot(page, 'import-done');

  // The same file again adds nothing.
  await page.setInputFiles('#file', fixture('missing-good.csv'));
  await page.click('#import');
  await page.locator('.govuk-summary-list').filter({ hasText: /Episodes unchanged\s*12/ }).waitFor();
  assert.match(await page.locator('.govuk-summary-list').innerText(), /Episodes added\s+0/);

  await assertNoProblems(page, problems, 'the import page');
  await context.close();
});
