// The exports page (/exports) in a browser, under the server's real Content-Security-Policy: an
// analyst sees both forms with the last reporting year filled in; a date that is not real is
// named beside its field and in the error summary (which takes focus); a good range downloads
// the SSDA903 file (saved through an object URL, as the server made it) and says how many
// episodes it holds, and warns of the rows of restricted children left out; the Annex A file
// downloads too. axe-core finds no violations, with and
// without errors. A practitioner is told the page is not for their role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, signedIn } from '../lib/server.mjs';
import { sqlite } from '../lib/helpers.mjs';
import { launch, newPage, serverOpts, watchServer, signInUI, waitForHeading, runAxe, assertNoProblems, focused } from './browser.mjs';

let server;
let browser;

before(async () => {
  server = watchServer(await startServer(serverOpts()));
  // One looked-after child with an episode in the last year restricted to the manager: the
  // analyst's files leave them out.
  const r = sqlite(server.db, `UPDATE persons SET restricted = 1 WHERE id = (SELECT person_id FROM missing_episodes
      WHERE looked_after = 1 AND started_at > unixepoch() - 300 * 86400 ORDER BY id LIMIT 1);
    INSERT OR IGNORE INTO person_access(person_id, user_id) SELECT id, (SELECT id FROM users WHERE username = 'manager')
      FROM persons WHERE restricted = 1 AND id NOT IN (SELECT person_id FROM person_access);`);
  assert.equal(r.status, 0, r.stderr);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// The file a click on `button` downloads: {name, text}.
async function download(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click(button)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

test('an analyst downloads the SSDA903 and Annex A files; bad dates are named', async () => {
  const { context, page, problems } = await newPage(browser);
  try {
    await signInUI(page, server.url, 'analyst');
    await page.goto(`${server.url}/exports`);
    await waitForHeading(page, 'Exports');
    const year = await page.inputValue('#ssda-from-year');
    assert.match(year, /^\d{4}$/, 'the last reporting year is filled in');
    assert.equal(await page.inputValue('#ssda-from-month'), '4');
    assert.equal(await page.inputValue('#ssda-to-day'), '31');
    await runAxe(page, 'exports');

    // A date that does not exist.
    await page.fill('#ssda-from-day', '30');
    await page.fill('#ssda-from-month', '2');
    await page.click('#ssda903-download');
    await page.locator('.govuk-error-summary').waitFor({ state: 'visible' });
    assert.match(await page.locator('.govuk-error-summary').innerText(), /The from date must be a real date/);
    assert.match(await page.locator('#ssda-from-error').innerText(), /must be a real date/);
    assert.match(await focused(page), /^div:There is a problem/, 'the error summary takes focus');
    assert.match(await page.title(), /^Error: Exports/);
    await runAxe(page, 'exports with errors');

    // The three years of the demo.
    const now = new Date();
    const from = new Date(now.getTime() - 3 * 365 * 86400000);
    await page.fill('#ssda-from-day', String(from.getUTCDate()));
    await page.fill('#ssda-from-month', String(from.getUTCMonth() + 1));
    await page.fill('#ssda-from-year', String(from.getUTCFullYear()));
    await page.fill('#ssda-to-day', String(now.getUTCDate()));
    await page.fill('#ssda-to-month', String(now.getUTCMonth() + 1));
    await page.fill('#ssda-to-year', String(now.getUTCFullYear()));
    const ssda = await download(page, '#ssda903-download');
    assert.match(ssda.name, /^ssda903-missing-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.ok(ssda.text.startsWith('CHILD,DOB,MISSING,MIS_START,MIS_END\r\n'), ssda.text.slice(0, 80));
    const rows = ssda.text.split('\r\n').filter(Boolean).length - 1;
    await page.locator('#export-done').waitFor({ state: 'visible' });
    assert.match(await page.locator('#export-done').innerText(), new RegExp(`: ${rows} episodes? from `));
    assert.equal(await page.locator('.govuk-error-summary').count(), 0, 'the errors are gone');
    // The same file as the API gives.
    const c = await signedIn(server.url, 'analyst');
    const f = ssda.name.match(/(\d{4}-\d{2}-\d{2})-to-(\d{4}-\d{2}-\d{2})/);
    const api = await c.req('GET', `/api/v1/exports/ssda903-missing?from=${f[1]}&to=${f[2]}`);
    assert.equal(ssda.text, api.text);
    // The restricted child is named to the manager only: the analyst's file leaves their
    // episodes out, and the page says how many, so the return is known to be incomplete.
    const withheld = Number(api.headers.get('safehub-withheld'));
    assert.ok(withheld > 0, `a restricted looked-after child's episodes are left out (${withheld})`);
    const warning = await page.locator('#export-withheld').innerText();
    assert.match(warning, new RegExp(`leaves out ${withheld} rows? about children whose records are restricted`));

    const annex = await download(page, '#annex-a-download');
    assert.match(annex.name, /^annex-a-missing-to-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.ok(annex.text.startsWith('child_id,given_name,family_name,dob,sex,missing_episodes,'), annex.text.slice(0, 80));
    await runAxe(page, 'exports after a download');
    await assertNoProblems(page, problems, 'the exports page');
  } finally {
    await context.close();
  }
});

test('a practitioner may not export', async () => {
  const { context, page } = await newPage(browser);
  try {
    await signInUI(page, server.url, 'practitioner');
    await page.goto(`${server.url}/exports`);
    await page.locator('main h1').waitFor({ state: 'visible' });
    assert.doesNotMatch(await page.locator('main h1').innerText(), /^Exports/);
    assert.equal(await page.locator('#ssda903-form').count(), 0);
  } finally {
    await context.close();
  }
});
