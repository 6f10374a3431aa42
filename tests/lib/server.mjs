// Test harness: a real safehub server on a random loopback port with a fresh demo database.
// Used by tests/http and tests/browser. Nothing here is mocked: it runs build/safehub.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIN = path.resolve(process.env.SAFEHUB_BIN || 'build/safehub');
export const PASSWORD = 'correct-horse-battery-9';
export const ROLES = ['admin', 'manager', 'practitioner', 'analyst', 'police_intel', 'board'];

// Run the CLI synchronously; returns {status, stdout, stderr}.
export function cli(args, input) {
  const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Start a server. opts.persons (default 60) demo persons; opts.db to reuse a database.
// Resolves to {url, db, dir, proc, stop(), kill()}.
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(path.join(tmpdir(), 'safehub-test-'));
  const db = opts.db || path.join(dir, 'test.db');
  if (!opts.db) {
    const r = cli(['demo', '--db', db, '--persons', String(opts.persons ?? 60), '--seed', '7',
      '--password', PASSWORD]);
    if (r.status !== 0) throw new Error(`safehub demo failed: ${r.stderr}`);
  }
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', ...(opts.args || [])];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (process.env.SAFEHUB_TEST_VERBOSE) process.stderr.write(d); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.on('exit', (code, sig) => resolve({ code, sig })));
  return {
    url, db, dir, proc,
    get stderr() { return stderr; },
    // Graceful stop (SIGTERM); resolves to the exit code, which must be 0.
    async stop() { proc.kill('SIGTERM'); const r = await exited; if (!opts.dir && !opts.keep) rmSync(dir, { recursive: true, force: true }); return r; },
    async kill() { proc.kill('SIGKILL'); return exited; },
    exited,
  };
}

// A signed-in API client. Keeps the cookie and the CSRF token.
export class Client {
  constructor(url) { this.url = url; this.cookie = null; this.csrf = null; }

  async signIn(username, password = PASSWORD) {
    const r = await this.req('POST', '/api/v1/session', { username, password });
    if (r.status === 201) this.csrf = r.body.csrf_token;
    return r;
  }

  // req(method, path, body?, {headers, raw, csrf}) -> {status, headers, body, text}
  async req(method, p, body, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined && !opts.raw) headers['content-type'] = 'application/json';
    if (this.csrf && opts.csrf !== false && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(this.url + p, {
      method, headers, redirect: 'manual',
      body: body === undefined ? undefined : (opts.raw ? body : JSON.stringify(body)),
    });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = set.match(/safehub_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `safehub_session=${m[1]}` : null;
    }
    const text = await res.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
}

export async function signedIn(url, username) {
  const c = new Client(url);
  const r = await c.signIn(username);
  if (r.status !== 201) throw new Error(`sign-in as ${username} failed: ${r.status} ${r.text}`);
  return c;
}
