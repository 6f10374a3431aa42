// Browser test helpers: Debian's Chromium driven by playwright-core, axe-core for
// accessibility, a watcher for problems (console errors, CSP violations, 404s, uncaught
// exceptions) and UI sign-in. Used by the *.test.mjs files beside it.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { PASSWORD } from '../lib/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.join(HERE, 'screenshots');
const AXE_SOURCE = readFileSync(path.resolve(HERE, '../../node_modules/axe-core/axe.min.js'), 'utf8');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Options for startServer(): SAFEHUB_WEB=web serves the UI from disk while developing it
// (no rebuild needed); without it the server's embedded assets are tested.
export function serverOpts(extra = {}) {
  const args = process.env.SAFEHUB_WEB ? ['--web', process.env.SAFEHUB_WEB] : [];
  return { ...extra, args: [...args, ...(extra.args || [])] };
}

// Print the server's log if it dies before stop() (a crash would otherwise show up only as
// "connection refused" in whichever test came next).
export function watchServer(server) {
  let stopping = false;
  server.exited.then((r) => {
    if (!stopping) console.error(`safehub exited unexpectedly: ${JSON.stringify(r)}\n${server.stderr}`); // eslint-disable-line no-console
  });
  const stop = server.stop.bind(server);
  server.stop = () => { stopping = true; return stop(); };
  return server;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

// A new context and page. Records, for assertNoProblems():
//   consoleErrors  console messages of type error or warning (CSP violations are logged so),
//                  and console.log lines from GOV.UK Frontend's component errors
//   csp            securitypolicyviolation events seen in the page
//   notFound       every response with status 404
//   badAssets      any other error status for something not under /api/
//   failed         requests that failed (blocked, aborted)
//   pageErrors     uncaught exceptions
//   dialogs        any alert/confirm/prompt (an injected script would show up here)
// Every page runs under the server's real CSP (no bypassCSP anywhere: see runAxe).
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({
    viewport: opts.viewport || { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page = await context.newPage();
  const problems = { consoleErrors: [], csp: [], notFound: [], badAssets: [], failed: [], pageErrors: [], dialogs: [] };
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (msg) => {
    const text = msg.text();
    // Chrome logs every 4xx/5xx answer to fetch() this way; the API answers 401, 403, 409 and
    // 422 by design, and 404s are caught below from the responses themselves.
    if (/^Failed to load resource: the server responded with a status of/.test(text)) return;
    if (msg.type() === 'error' || msg.type() === 'warning') problems.consoleErrors.push(`${msg.type()}: ${text}`);
    else if (/Error|initialised|not supported/i.test(text)) problems.consoleErrors.push(`${msg.type()}: ${text}`);
  });
  page.on('response', (r) => { if (r.status() === 404) problems.notFound.push(r.url()); });
  // Pages, scripts, styles and images must all load: any error answer outside the API is wrong.
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 400 && r.status() !== 404 && !u.pathname.startsWith('/api/')) problems.badAssets.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    const why = r.failure() ? r.failure().errorText : 'failed';
    // A navigation away from a page cancels its in-flight requests: not a problem.
    if (!/ERR_ABORTED/.test(why)) problems.failed.push(`${r.url()} ${why}`);
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('dialog', (d) => { problems.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  return { context, page, problems };
}

// Fail when the page had any recorded problem (see newPage), including CSP violations seen by
// the page itself.
export async function assertNoProblems(page, problems, what = 'the session') {
  let csp = [];
  try { csp = await page.evaluate(() => window.__csp || []); } catch { csp = []; }
  const all = {
    consoleErrors: problems.consoleErrors, csp: [...problems.csp, ...csp], notFound: problems.notFound, badAssets: problems.badAssets,
    failed: problems.failed, pageErrors: problems.pageErrors, dialogs: problems.dialogs,
  };
  for (const [k, v] of Object.entries(all)) {
    assert.deepEqual(v, [], `${k} during ${what}:\n${v.join('\n')}`);
  }
}

// Wait until the page's main heading (h1) has the given text (a string or RegExp).
export async function waitForHeading(page, text) {
  await page.locator('main h1').filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: 10000 });
}

// The id (or tag and text) of the focused element.
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    return el.id || `${el.tagName.toLowerCase()}:${(el.textContent || '').trim().slice(0, 60)}`;
  });
}

// Sign in through the form (the page may already be on /sign-in or be sent there).
export async function signInUI(page, url, username, password = PASSWORD) {
  if (!page.url().startsWith(`${url}/sign-in`)) await page.goto(`${url}/sign-in`);
  await waitForHeading(page, 'Sign in');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in');
  await page.locator('#sign-out').waitFor({ state: 'visible', timeout: 10000 });
}

// Run axe-core on the page and fail on any violation. The page's CSP (script-src 'self') stops
// a <script> tag being added, so axe is evaluated through the DevTools protocol, which the
// CSP does not govern (page.addScriptTag is refused by the CSP, as it should be), so the
// pages are checked exactly as users get them.
export async function runAxe(page, name) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    // preload: false, because axe's CSS preloading copies style sheets into <style> elements,
    // which the CSP (rightly) refuses; only css-orientation-lock needs it, and our CSS has
    // no orientation rules.
    const r = await axe.run(document, { resultTypes: ['violations'], preload: false });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  const text = result.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.join('\n  ')}`).join('\n');
  assert.equal(result.length, 0, `axe found violations on ${name}:\n${text}`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// A valid NHS number from 9 digits (the mod-11 check digit appended), or null when the
// digits have no valid check digit.
export function nhsNumber(nine) {
  const d = String(nine).split('').map(Number);
  const sum = d.reduce((s, x, i) => s + x * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return `${nine}${check === 11 ? 0 : check}`;
}

// A unique word of letters for names (search treats each word as a prefix).
export function uniqueWord(prefix) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let n = Date.now() + Math.floor(Math.random() * 1e6);
  let s = '';
  while (n > 0) { s += letters[n % 26]; n = Math.floor(n / 26); }
  return `${prefix}${s}`;
}
