// The audit trail: person views, sign-in/out in GET /api/v1/audit, admin-only access, and the
// hash chain's tamper evidence checked with `safehub audit verify` on doctored copies.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, signedIn, cli, ROLES, PASSWORD } from '../lib/server.mjs';
import { assertProblem, copyDb, personBody, show, sqlite, waitFor } from '../lib/helpers.mjs';

let server;
let stopped = false;
const tmp = mkdtempSync(path.join(tmpdir(), 'safehub-audit-'));
before(async () => { server = await startServer({ keep: true }); });
after(async () => {
  if (server && !stopped) await server.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const views = async (client, id) => {
  const r = await client.req('GET', `/api/v1/persons/${id}/views`);
  assert.equal(r.status, 200, show(r));
  return r.body.items;
};

describe('over HTTP', () => {
  let prac, intel, admin, person;
  before(async () => {
    prac = await signedIn(server.url, 'practitioner');
    intel = await signedIn(server.url, 'police_intel');
    admin = await signedIn(server.url, 'admin');
    const r = await prac.req('POST', '/api/v1/persons', personBody({ given_name: 'Auditee' }));
    assert.equal(r.status, 201, show(r));
    person = r.body;
  });

  it('GET person writes a person.view entry that /views shows with the viewer, newest first', async () => {
    assert.equal((await intel.req('GET', `/api/v1/persons/${person.id}`)).status, 200);
    const items = await waitFor(async () => {
      const v = await views(prac, person.id);
      return v.some((e) => e.action === 'person.view' && e.username === 'police_intel') && v;
    });
    assert.ok(items, 'police_intel\'s view appears within the wait');
    const e = items.find((x) => x.action === 'person.view' && x.username === 'police_intel');
    assert.equal(e.role, 'police_intel');
    assert.equal(typeof e.agency, 'string');
    assert.ok(e.agency.length > 0, 'agency');
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(e.at) - Date.now()) < 60e3, `at is now: ${e.at}`);

    // A later view by the practitioner comes first.
    assert.equal((await prac.req('GET', `/api/v1/persons/${person.id}`)).status, 200);
    const later = await waitFor(async () => {
      const v = await views(prac, person.id);
      const i = v.findIndex((x) => x.action === 'person.view' && x.username === 'practitioner');
      const j = v.findIndex((x) => x.action === 'person.view' && x.username === 'police_intel');
      return i >= 0 && j >= 0 && { v, i, j };
    });
    assert.ok(later, 'practitioner\'s view appears');
    assert.ok(later.i < later.j, 'newest first');
    for (let k = 1; k < later.v.length; k++) assert.ok(later.v[k - 1].at >= later.v[k].at, 'ordered by time');
  });

  it('views of one person do not show another person\'s views', async () => {
    const other = await prac.req('POST', '/api/v1/persons', personBody({ given_name: 'Otherone' }));
    assert.equal(other.status, 201);
    await intel.req('GET', `/api/v1/persons/${other.body.id}`);
    await waitFor(async () => (await views(prac, other.body.id)).some((e) => e.action === 'person.view'));
    const mine = await views(prac, person.id);
    assert.ok(mine.every((e) => e.action !== 'person.view' || ['police_intel', 'practitioner'].includes(e.username)));
    const theirs = await views(prac, other.body.id);
    assert.ok(theirs.some((e) => e.username === 'police_intel' && e.action === 'person.view'));
    assert.ok(!theirs.some((e) => e.action === 'person.view' && e.username === 'practitioner'), 'nobody else viewed it');
  });

  it('sign-in, failed sign-in and sign-out appear in GET /api/v1/audit', async () => {
    const failed = await new Client(server.url).signIn('manager', 'wrong-password-for-audit');
    assert.equal(failed.status, 401);
    const m = await signedIn(server.url, 'manager');
    assert.equal((await m.req('DELETE', '/api/v1/session')).status, 204);
    const found = await waitFor(async () => {
      const r = await admin.req('GET', '/api/v1/audit?username=manager&limit=50');
      assert.equal(r.status, 200, show(r));
      const acts = r.body.items.map((e) => e.action);
      return ['session.signin_failed', 'session.signin', 'session.signout'].every((a) => acts.includes(a)) && r.body;
    });
    assert.ok(found, 'all three session actions for manager');
    const items = found.items;
    for (const e of items) assert.equal(e.username, 'manager', 'username filter');
    const idx = (a) => items.findIndex((e) => e.action === a);
    assert.ok(idx('session.signout') < idx('session.signin') && idx('session.signin') < idx('session.signin_failed'), 'newest first');
    const out = items[idx('session.signout')];
    for (const k of ['seq', 'at', 'username', 'role', 'agency', 'action', 'object_type', 'object_id', 'outcome', 'hash']) {
      assert.ok(k in out, `AuditEntry.${k}`);
    }
    assert.equal(out.role, 'manager');
    assert.match(out.hash, /^([0-9a-f]{64,}|[A-Za-z0-9+/_-]{43,}={0,2})$/i, `a 256-bit or longer hash: ${out.hash}`);
    for (let k = 1; k < items.length; k++) assert.ok(items[k - 1].seq > items[k].seq, 'seq descending');
    assert.notEqual(items[idx('session.signin_failed')].outcome, items[idx('session.signin')].outcome,
      'a failure has a different outcome from a success');
  });

  it('person changes and refusals are audited against the person', async () => {
    const u = await prac.req('PUT', `/api/v1/persons/${person.id}`, { ...person, notes: 'changed' });
    assert.equal(u.status, 200, show(u));
    const secret = await prac.req('POST', '/api/v1/persons', personBody({ given_name: 'Auditsecret', restricted: true }));
    assert.equal(secret.status, 201);
    const p2 = await signedIn(server.url, 'practitioner2');
    assert.equal((await p2.req('GET', `/api/v1/persons/${secret.body.id}`)).status, 403);
    const got = await waitFor(async () => {
      const r = await admin.req('GET', `/api/v1/audit?person=${person.id}&limit=100`);
      assert.equal(r.status, 200, show(r));
      const acts = r.body.items.map((e) => e.action);
      return acts.includes('person.create') && acts.includes('person.update') && r.body.items;
    });
    assert.ok(got, 'create and update audited');
    for (const e of got) {
      assert.equal(e.object_type, 'person');
      assert.equal(String(e.object_id), String(person.id));
    }
    const denied = await waitFor(async () => {
      const r = await admin.req('GET', `/api/v1/audit?person=${secret.body.id}&limit=100`);
      return r.body.items.find((e) => e.action === 'person.denied');
    });
    assert.ok(denied, 'person.denied recorded');
    assert.equal(denied.username, 'practitioner2');
  });

  it('searches, views lists and audit reads are themselves audited', async () => {
    assert.equal((await prac.req('GET', '/api/v1/persons?q=auditee')).status, 200);
    assert.equal((await prac.req('POST', '/api/v1/persons/search', { q: 'auditee' })).status, 200);
    await views(prac, person.id);
    const acts = await waitFor(async () => {
      const r = await admin.req('GET', '/api/v1/audit?username=practitioner&limit=100');
      assert.equal(r.status, 200, show(r));
      const a = r.body.items.map((e) => e.action);
      return a.filter((x) => x === 'person.search').length >= 2 && a.includes('person.views') && a;
    });
    assert.ok(acts, 'person.search (twice) and person.views recorded');
    const reads = await admin.req('GET', '/api/v1/audit?username=admin&limit=100');
    assert.ok(reads.body.items.some((e) => e.action === 'audit.read'), 'audit.read recorded');
  });

  it('pages with limit and before', async () => {
    const a = await admin.req('GET', '/api/v1/audit?limit=3');
    assert.equal(a.status, 200, show(a));
    assert.equal(a.body.items.length, 3);
    assert.ok(Number.isInteger(a.body.next_before), `next_before: ${a.body.next_before}`);
    const b = await admin.req('GET', `/api/v1/audit?limit=3&before=${a.body.next_before}`);
    assert.equal(b.status, 200, show(b));
    assert.equal(b.body.items.length, 3);
    assert.ok(b.body.items.every((e) => e.seq < a.body.items[2].seq), 'the next page is older');
    assert.equal(b.body.items[0].seq, a.body.items[2].seq - 1, 'no gap between pages');
    const first = await admin.req('GET', '/api/v1/audit?before=2&limit=10');
    assert.deepEqual(first.body.items.map((e) => e.seq), [1]);
    assert.equal(first.body.next_before, null);
  });

  it('from and to filter by date', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const t = await admin.req('GET', `/api/v1/audit?from=${today}&to=${today}&limit=5`);
    assert.equal(t.status, 200, show(t));
    assert.ok(t.body.items.length > 0);
    for (const e of t.body.items) assert.equal(e.at.slice(0, 10), today);
    const past = await admin.req('GET', '/api/v1/audit?from=2001-01-01&to=2001-12-31');
    assert.equal(past.status, 200);
    assert.deepEqual(past.body.items, []);
    assertProblem(await admin.req('GET', '/api/v1/audit?from=yesterday'), 400, 'bad from');
  });

  it('only admins may read the audit trail (403 for every other role)', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const c = await signedIn(server.url, role);
      assertProblem(await c.req('GET', '/api/v1/audit'), 403, role);
    }
    assertProblem(await new Client(server.url).req('GET', '/api/v1/audit'), 401, 'anonymous');
  });
});

describe('tamper evidence (safehub audit verify on copies of the stopped database)', () => {
  let count, head, triggers;
  const verify = (db) => {
    const r = cli(['audit', 'verify', '--db', db]);
    return { ...r, out: `${r.stdout}\n${r.stderr}` };
  };
  // A fresh copy with the audit triggers dropped, as an attacker with file access would.
  let n = 0;
  const attackerCopy = () => {
    const db = path.join(tmp, `tamper-${++n}.db`);
    copyDb(server.db, db);
    const drop = triggers.map((t) => `DROP TRIGGER "${t}";`).join(' ');
    const r = sqlite(db, drop);
    assert.equal(r.status, 0, r.stderr);
    return db;
  };
  const firstBad = (db, expected) => {
    const v = verify(db);
    assert.notEqual(v.status, 0, `verify must fail: ${v.out}`);
    const m = v.out.match(/seq (\d+)/);
    assert.ok(m, `the message names "seq N": ${v.out}`);
    assert.ok(expected.includes(Number(m[1])), `first bad seq ${m[1]}, expected ${expected.join(' or ')}: ${v.out}`);
  };

  before(async () => {
    // Leave a few more entries, then stop cleanly.
    const c = await signedIn(server.url, 'practitioner');
    for (let i = 0; i < 5; i++) {
      const r = await c.req('POST', '/api/v1/persons', personBody({ given_name: `Chain${i}` }));
      assert.equal(r.status, 201);
    }
    await new Client(server.url).signIn('manager', PASSWORD + 'nope');
    const s = await server.stop();
    stopped = true;
    assert.equal(s.code, 0, `graceful stop: ${JSON.stringify(s)}`);
    count = Number(sqlite(server.db, 'SELECT count(*) FROM audit').stdout.trim());
    head = sqlite(server.db, 'SELECT seq, hash FROM audit_head WHERE id = 1').stdout.trim().split('|');
    triggers = sqlite(server.db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")
      .stdout.split('\n').filter(Boolean);
  });

  it('an untouched copy verifies: "ok N entries", exit 0', () => {
    assert.ok(count >= 20, `enough entries to tamper with: ${count}`);
    const maxSeq = Number(sqlite(server.db, 'SELECT max(seq) FROM audit').stdout.trim());
    assert.equal(maxSeq, count, 'seq runs 1..N with no gaps');
    assert.equal(Number(head[0]), count, 'audit_head.seq is the last seq');
    assert.equal(head[1], sqlite(server.db, `SELECT hash FROM audit WHERE seq = ${count}`).stdout.trim(), 'audit_head.hash');
    const db = path.join(tmp, 'untouched.db');
    copyDb(server.db, db);
    const v = verify(db);
    assert.equal(v.status, 0, v.out);
    assert.match(v.stdout, new RegExp(`ok ${count} entries`));
  });

  it('the audit table refuses UPDATE and DELETE (triggers)', () => {
    assert.ok(triggers.length >= 1, `triggers on audit: ${triggers}`);
    const db = path.join(tmp, 'triggers.db');
    copyDb(server.db, db);
    const before = sqlite(db, 'SELECT * FROM audit ORDER BY seq').stdout;
    const up = sqlite(db, "UPDATE audit SET username = 'mallory' WHERE seq = 3");
    assert.notEqual(up.status, 0, `UPDATE must fail: ${up.stdout}`);
    const del = sqlite(db, 'DELETE FROM audit WHERE seq = 3');
    assert.notEqual(del.status, 0, `DELETE must fail: ${del.stdout}`);
    const delAll = sqlite(db, 'DELETE FROM audit');
    assert.notEqual(delAll.status, 0, 'DELETE of everything must fail');
    assert.equal(sqlite(db, 'SELECT * FROM audit ORDER BY seq').stdout, before, 'nothing changed');
    assert.equal(verify(db).status, 0);
  });

  it('(a) a changed field is found at its seq', () => {
    const db = attackerCopy();
    const k = Math.floor(count / 2);
    const r = sqlite(db, `UPDATE audit SET username = 'mallory' WHERE seq = ${k}`);
    assert.equal(r.status, 0, r.stderr);
    firstBad(db, [k]);
  });

  it('(a\') a changed detail or outcome is found too', () => {
    for (const set of ["detail = 'edited'", "outcome = 'edited'", 'at = at + 1', "action = 'x.tampered'", 'object_id = 424242']) {
      const db = attackerCopy();
      const k = 5;
      assert.equal(sqlite(db, `UPDATE audit SET ${set} WHERE seq = ${k}`).status, 0);
      firstBad(db, [k]);
    }
  });

  it('(a\'\') an entry changed with its hash recomputed is still found (the next link breaks)', () => {
    const db = attackerCopy();
    const k = Math.floor(count / 3);
    // The attacker cannot recompute a keyed or chained hash by hand; they copy the next hash in,
    // which must break the link at k or at k + 1.
    assert.equal(sqlite(db, `UPDATE audit SET hash = (SELECT hash FROM audit WHERE seq = ${k + 1}) WHERE seq = ${k}`).status, 0);
    firstBad(db, [k, k + 1]);
  });

  it('(b) a deleted entry in the middle is found', () => {
    const db = attackerCopy();
    const k = Math.floor(count / 2);
    assert.equal(sqlite(db, `DELETE FROM audit WHERE seq = ${k}`).status, 0);
    // The first bad seq is the missing one (k) or the one whose link now breaks (k + 1).
    firstBad(db, [k, k + 1]);
  });

  it('(c) two entries with their seq swapped are found at the lower one', () => {
    const db = attackerCopy();
    const k = Math.floor(count / 2) - 2, j = k + 3;
    const r = sqlite(db, `UPDATE audit SET seq = -1 WHERE seq = ${k}; UPDATE audit SET seq = ${k} WHERE seq = ${j};`
      + ` UPDATE audit SET seq = ${j} WHERE seq = -1;`);
    assert.equal(r.status, 0, r.stderr);
    firstBad(db, [k]);
  });

  it('(d) a cut tail is found against audit_head', () => {
    const db = attackerCopy();
    const keep = count - 3;
    assert.equal(sqlite(db, `DELETE FROM audit WHERE seq > ${keep}`).status, 0);
    // The first bad seq is the first missing one; a message that names the head's seq is also fair.
    firstBad(db, [keep + 1, count]);
  });
});
