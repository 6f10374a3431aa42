// The command line: help, unknown commands, init, user add (password on stdin), routes, and an
// online backup taken while the server is writing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, signedIn, cli } from '../lib/server.mjs';
import { cliAsync, personBody, show, sqlite } from '../lib/helpers.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'safehub-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// The commands this issue relies on; `safehub help` must list each.
const COMMANDS = ['init', 'serve', 'demo', 'user add', 'user disable', 'audit verify', 'backup', 'routes'];

// The commands `safehub help` lists: lines "  name [sub]   what it does".
function listed() {
  const out = cli(['help']).stdout || '';
  return [...out.matchAll(/^ {2}([a-z][a-z-]*(?: [a-z][a-z-]*)?) {2,}\S/gm)].map((m) => m[1]);
}

describe('help and errors', () => {
  it('`safehub help` lists the commands and exits 0', () => {
    const r = cli(['help']);
    assert.equal(r.status, 0, r.stderr);
    for (const cmd of COMMANDS) assert.ok(listed().includes(cmd), `help lists ${cmd}:\n${r.stdout}`);
  });

  for (const args of [...new Set([...COMMANDS, ...listed()])].map((c) => c.split(' '))) {
    it(`\`safehub ${args.join(' ')} --help\` exits 0 and says something`, () => {
      const r = cli([...args, '--help']);
      assert.equal(r.status, 0, `${args.join(' ')} --help: ${r.stderr}`);
      assert.ok(r.stdout.trim().length > 0, 'help text on stdout');
      assert.match(r.stdout, /usage|--/i);
    });
  }

  it('an unknown command is an error on stderr with a non-zero exit', () => {
    const r = cli(['frobnicate']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /frobnicate/, `stderr names the command: ${r.stderr}`);
    assert.equal(r.stdout, '', 'nothing on stdout');
  });

  it('no command at all is a usage error or help, never a crash', () => {
    const r = cli([]);
    assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stdout + r.stderr, /usage|help/i);
  });

  it('an unknown option is an error', () => {
    const r = cli(['init', '--db', path.join(tmp, 'x.db'), '--no-such-option']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no-such-option/);
    assert.ok(!existsSync(path.join(tmp, 'x.db')), 'nothing created on a usage error');
  });
});

describe('init, user add, routes', () => {
  const db = path.join(tmp, 'fresh.db');

  it('`safehub init --db` creates a working database on a fresh path', () => {
    const r = cli(['init', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(db));
    assert.equal(sqlite(db, 'PRAGMA integrity_check').stdout.trim(), 'ok');
    const tables = sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table'").stdout.split('\n');
    for (const t of ['persons', 'audit', 'audit_head']) assert.ok(tables.includes(t), `table ${t}: ${tables}`);
    const v = cli(['audit', 'verify', '--db', db]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /ok \d+ entries/);
  });

  const add = (username, password, role = 'practitioner') => cli(['user', 'add', '--db', db, '--username', username,
    '--role', role, '--name', `Test ${username}`], `${password}\n`);

  it('`safehub user add` refuses a password under 12 characters, naming the password', () => {
    const r = add('shortpw', '11-chars-pw');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /password/i, `message names the password: ${r.stderr}`);
    assert.match(r.stderr, /12/, `message gives the minimum: ${r.stderr}`);
    assert.equal(sqlite(db, "SELECT count(*) FROM users WHERE username = 'shortpw'").stdout.trim(), '0');
  });

  it('`safehub user add` reads the password from stdin; that user can sign in', async () => {
    const r = add('newbie', '12-chars-pw!');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes('12-chars-pw!') && !r.stderr.includes('12-chars-pw!'), 'the password is not echoed');
    const dup = add('newbie', 'another-long-password');
    assert.notEqual(dup.status, 0, 'a duplicate username is refused');
    const badRole = add('weirdrole', 'a-long-enough-password', 'wizard');
    assert.notEqual(badRole.status, 0, 'an unknown role is refused');

    const server = await startServer({ db });
    try {
      const ok = await new Client(server.url).signIn('newbie', '12-chars-pw!');
      assert.equal(ok.status, 201, show(ok));
      assert.equal(ok.body.user.role, 'practitioner');
      assert.equal((await new Client(server.url).signIn('newbie', '12-chars-pw')).status, 401, 'not a prefix of it');
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  it('`safehub routes` prints one JSON object per line', () => {
    const r = cli(['routes']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.ok(lines.length >= 8);
    for (const l of lines) {
      const o = JSON.parse(l);
      assert.deepEqual(Object.keys(o).sort(), ['method', 'path', 'permission', 'roles']);
    }
    assert.ok(lines.some((l) => JSON.parse(l).path === '/api/v1/persons/{id}'), 'path params as {id}');
  });
});

describe('backup', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { if (server) await server.stop(); });

  it('`safehub backup` while the server is writing gives an intact copy with the persons', async () => {
    const c = await signedIn(server.url, 'practitioner');
    const before = [];
    for (let i = 0; i < 10; i++) {
      const r = await c.req('POST', '/api/v1/persons', personBody({ given_name: 'Backedup', family_name: `Before${i}` }));
      assert.equal(r.status, 201, show(r));
      before.push(r.body.id);
    }
    // Keep writing while the backup runs.
    let stop = false, during = 0;
    const writer = (async () => {
      while (!stop) {
        const r = await c.req('POST', '/api/v1/persons', personBody({ given_name: 'Backedup', family_name: 'During' }));
        assert.equal(r.status, 201, show(r));
        during++;
      }
    })();
    const to = path.join(tmp, 'backup.db');
    const b = await cliAsync(['backup', '--db', server.db, '--to', to]);
    stop = true;
    await writer;
    assert.equal(b.status, 0, `backup: ${b.stderr}`);
    assert.ok(during > 0, 'writes happened during the backup');

    assert.equal(sqlite(to, 'PRAGMA integrity_check').stdout.trim(), 'ok');
    const got = sqlite(to, `SELECT id FROM persons WHERE id IN (${before.join(',')}) ORDER BY id`).stdout.split('\n').filter(Boolean).map(Number);
    assert.deepEqual(got, [...before].sort((x, y) => x - y), 'the backup holds every person created before it');
    const demo = Number(sqlite(to, 'SELECT count(*) FROM persons').stdout.trim());
    assert.ok(demo >= 60 + before.length, `demo persons too: ${demo}`);
    const v = cli(['audit', 'verify', '--db', to]);
    assert.equal(v.status, 0, `the backup's audit chain verifies: ${v.stdout}${v.stderr}`);

    // The backup is a working database: a server starts on it and serves the persons.
    const restored = await startServer({ db: to });
    try {
      const rc = await signedIn(restored.url, 'manager');
      const r = await rc.req('GET', `/api/v1/persons/${before[0]}`);
      assert.equal(r.status, 200, show(r));
      assert.equal(r.body.family_name, 'Before0');
    } finally {
      await restored.stop();
    }
  });
});
