// Shared helpers for tests/http (and tests/browser if useful): problem+json assertions, valid
// identifiers, person bodies, sqlite3 and /proc probes, a streaming uploader. Nothing is mocked.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, existsSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import { BIN } from './server.mjs';

// ---- responses ----------------------------------------------------------------------------

// Describe a response for assertion messages.
export function show(r) {
  return `${r.status} ${r.headers?.get?.('content-type') ?? ''} ${String(r.text ?? '').slice(0, 600)}`;
}

// Assert r is an RFC 9457 problem with this status: problem+json, a title, the same status.
export function assertProblem(r, status, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json\b/,
    `${what}: problem content type, got ${show(r)}`);
  assert.ok(r.body && typeof r.body === 'object', `${what}: problem body is JSON: ${show(r)}`);
  assert.equal(r.body.status, status, `${what}: problem status member: ${show(r)}`);
  assert.equal(typeof r.body.title, 'string', `${what}: problem title: ${show(r)}`);
  assert.ok(r.body.title.length > 0, `${what}: problem title not empty`);
}

// The field paths a 422 names (asserting it is a 422 problem with an errors array).
export function fieldErrors(r, what = '') {
  assertProblem(r, 422, what);
  assert.ok(Array.isArray(r.body.errors), `${what}: errors array: ${show(r)}`);
  for (const e of r.body.errors) {
    assert.equal(typeof e.field, 'string', `${what}: errors[].field: ${show(r)}`);
    assert.equal(typeof e.message, 'string', `${what}: errors[].message: ${show(r)}`);
  }
  return r.body.errors.map((e) => e.field);
}

// ---- identifiers -------------------------------------------------------------------------

// The NHS number check digit for nine digits, or -1 when none exists.
export function nhsCheckDigit(nine) {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  let c = 11 - (sum % 11);
  if (c === 11) c = 0;
  return c === 10 ? -1 : c;
}

let nhsCounter = 401234560;
// A fresh valid NHS number outside the demo's 999 range (10 digits, no spaces).
export function nextNhs() {
  for (;;) {
    const nine = String(nhsCounter++);
    const c = nhsCheckDigit(nine);
    if (c >= 0) return nine + c;
  }
}

const UPN_ALPHA = 'ABCDEFGHJKLMNPQRTUVWXYZ';
// A valid UPN for the 12 characters after the check letter (11 digits + digit or letter).
export function upn(twelve) {
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = twelve[i];
    const v = /[0-9]/.test(ch) ? Number(ch) : UPN_ALPHA.indexOf(ch);
    sum += v * (i + 2);
  }
  return UPN_ALPHA[sum % 23] + twelve;
}

// ---- dates -------------------------------------------------------------------------------

// Today's UTC date plus `days`, as YYYY-MM-DD.
export function isoDate(days = 0) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// Whole years of age today (UTC) for a YYYY-MM-DD date of birth.
export function ageToday(dob) {
  const [y, m, d] = dob.split('-').map(Number);
  const [ty, tm, td] = isoDate().split('-').map(Number);
  return ty - y - ((tm < m || (tm === m && td < d)) ? 1 : 0);
}

// ---- persons -----------------------------------------------------------------------------

// A valid person body; overrides replace members (a member set to undefined is removed).
export function personBody(overrides = {}) {
  const p = {
    given_name: 'Tamsin',
    family_name: 'Quarrington',
    aliases: [],
    dob: '2010-05-17',
    dob_estimated: false,
    sex: 'female',
    gender: '',
    ethnicity: 'WBRI',
    identifiers: {},
    addresses: [{ line1: '1 Test Row', line2: '', town: 'Stockport', postcode: 'SK1 1AA', current: true }],
    phones: [],
    notes: '',
    restricted: false,
    restricted_to: [],
    ...overrides,
  };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return p;
}

// ---- polling -----------------------------------------------------------------------------

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Call fn until it returns a truthy value or `ms` pass; returns the last value.
export async function waitFor(fn, ms = 2500, step = 100) {
  const end = Date.now() + ms;
  let v;
  for (;;) {
    v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(step);
  }
}

// ---- processes ---------------------------------------------------------------------------

// {rss, hwm} in kB of a process, from /proc/PID/status.
export function memory(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [])[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

// Run the sqlite3 CLI on a database; returns {status, stdout, stderr}.
export function sqlite(db, sql) {
  const r = spawnSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Run the CLI without blocking the event loop (the server in this process keeps answering).
export function cliAsync(args, input) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

// Copy a (stopped) database file with its WAL if one was left behind.
export function copyDb(from, to) {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

// ---- a streaming upload ------------------------------------------------------------------

// POST `total` bytes to url+path in 1 MiB chunks written with back-pressure (the whole body
// never exists in memory), declared with Content-Length or sent chunked. Resolves to
// {status, body, sent, how}: status is the HTTP status if one arrived (null when the server
// closed the connection first), sent how many body bytes were handed to the socket, how what
// ended it ('response', or an error code such as ECONNRESET / EPIPE, or 'timeout').
// With `data` (a Buffer), sends exactly that instead.
// headerWaitMs: how long to wait for an answer to the headers alone before sending the body.
export function upload(url, path, { total, data, chunked = false, headers = {}, prefix = '{"notes":"', headerWaitMs = 300 } = {}) {
  if (data) total = data.length;
  return new Promise((resolve) => {
    const u = new URL(url);
    const filler = Buffer.alloc(1 << 20, 0x61); // 'a'
    const req = http.request({
      host: u.hostname, port: u.port, method: 'POST', path, agent: false,
      headers: {
        'content-type': 'application/json', ...headers,
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }),
      },
    });
    let sent = 0, done = false, status = null, body = '';
    const timer = setTimeout(() => finish('timeout'), 60000);
    function finish(how) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ status, body, sent, how });
    }
    req.on('response', (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => finish('response'));
      res.on('error', () => finish('response'));
      // A server that answered early may leave the connection half open: the status is enough.
      setTimeout(() => finish('response'), 2000);
    });
    req.on('error', (e) => finish(e.code || e.message));
    // Send the headers alone first and give the server a moment to refuse on them (a declared
    // Content-Length over the limit): once body bytes are in flight, an early answer followed by
    // a close can be lost to the reset, since node drops the socket on EPIPE before reading it.
    req.flushHeaders();
    const waitHeaders = setTimeout(pump, headerWaitMs);
    req.on('response', () => clearTimeout(waitHeaders));
    let first = true;
    function pump() {
      while (!done && sent < total) {
        let buf = filler;
        if (data) buf = data;
        else if (first) { buf = Buffer.concat([Buffer.from(prefix), filler.subarray(prefix.length)]); first = false; }
        const n = Math.min(buf.length, total - sent);
        sent += n;
        if (!req.write(n === buf.length ? buf : buf.subarray(0, n))) { req.once('drain', pump); return; }
      }
      if (!done && sent >= total) req.end();
    }
  });
}

// ---- headers -----------------------------------------------------------------------------

// Assert the security headers docs/api.md requires on every response (and no-store on /api/).
export function assertSecurityHeaders(headers, what, api) {
  const csp = headers.get('content-security-policy') || '';
  const dirs = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean)
    .map((d) => { const [k, ...v] = d.split(/\s+/); return [k.toLowerCase(), v.join(' ')]; }));
  assert.equal(dirs.get('object-src'), "'none'", `${what}: CSP object-src 'none' in "${csp}"`);
  assert.equal(dirs.get('base-uri'), "'none'", `${what}: CSP base-uri 'none' in "${csp}"`);
  assert.equal(dirs.get('frame-ancestors'), "'none'", `${what}: CSP frame-ancestors 'none' in "${csp}"`);
  assert.equal(dirs.get('default-src'), "'self'", `${what}: CSP default-src 'self' in "${csp}"`);
  assert.equal(dirs.get('script-src'), "'self'", `${what}: CSP script-src 'self' in "${csp}"`);
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `${what}: no unsafe-inline/unsafe-eval in "${csp}"`);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  if (api) {
    assert.match(headers.get('cache-control') || '', /(^|[\s,])no-store($|[\s,])/, `${what}: Cache-Control no-store`);
  }
}
