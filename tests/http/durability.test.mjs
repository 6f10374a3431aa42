// Nothing acknowledged is lost: a stream of creations, kill -9 mid-stream, restart on the same
// database; every 201 is still there, the database is intact and the audit chain verifies.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, signedIn, cli } from '../lib/server.mjs';
import { personBody, nextNhs, show, sleep, sqlite } from '../lib/helpers.mjs';

let first, second;
after(async () => {
  if (second && second.proc.exitCode === null) await second.stop();
  if (first) rmSync(first.dir, { recursive: true, force: true });
});

describe('kill -9 during a stream of writes', () => {
  const acked = []; // [{id, family_name}]
  let attempts = 0;

  it('acknowledged creations survive a crash', async (t) => {
    first = await startServer({ keep: true });
    const users = ['practitioner', 'manager', 'police_intel', 'practitioner'];
    const clients = await Promise.all(users.map((u) => signedIn(first.url, u)));
    let stop = false;
    const loop = async (c, n) => {
      for (let i = 0; !stop; i++) {
        const family = `Durable${n}x${i}`;
        attempts++;
        let r;
        try {
          r = await c.req('POST', '/api/v1/persons', personBody({
            given_name: 'Crash', family_name: family, identifiers: { nhs_number: nextNhs() },
          }));
        } catch {
          return; // the server is gone
        }
        if (r.status === 201) acked.push({ id: r.body.id, family_name: family });
        else if (!stop) assert.fail(`create ${family}: ${show(r)}`);
      }
    };
    const loops = clients.map((c, n) => loop(c, n));
    await sleep(1500);
    const k = await first.kill();
    stop = true;
    await Promise.all(loops);
    assert.equal(k.sig, 'SIGKILL');
    t.diagnostic(`${acked.length} acknowledged of ${attempts} attempted before kill -9`);
    assert.ok(acked.length >= 20, `enough acknowledged writes to mean something: ${acked.length} of ${attempts}`);

    second = await startServer({ db: first.db });
    const c = await signedIn(second.url, 'manager');
    const missing = [];
    for (let i = 0; i < acked.length; i += 16) {
      await Promise.all(acked.slice(i, i + 16).map(async (a) => {
        const r = await c.req('GET', `/api/v1/persons/${a.id}`);
        if (r.status !== 200 || r.body.family_name !== a.family_name) missing.push(`${a.id}: ${r.status}`);
      }));
    }
    assert.deepEqual(missing, [], `acknowledged persons lost (${missing.length} of ${acked.length})`);
    // Ids are unique: no acknowledged id was handed out twice.
    assert.equal(new Set(acked.map((a) => a.id)).size, acked.length);
  });

  it('after the crash the database is intact and the audit chain verifies', async () => {
    assert.ok(second, 'the restarted server');
    const s = await second.stop();
    assert.equal(s.code, 0, `graceful stop: ${JSON.stringify(s)}`);
    const ic = sqlite(first.db, 'PRAGMA integrity_check');
    assert.equal(ic.status, 0, ic.stderr);
    assert.equal(ic.stdout.trim(), 'ok');
    const v = cli(['audit', 'verify', '--db', first.db]);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
    assert.match(v.stdout, /ok \d+ entries/);
  });

  it('every acknowledged creation is in the audit trail', () => {
    assert.ok(acked.length > 0);
    const list = acked.map((a) => a.id).join(',');
    const r = sqlite(first.db, `SELECT DISTINCT CAST(object_id AS INTEGER) FROM audit WHERE action = 'person.create' `
      + `AND CAST(object_id AS INTEGER) IN (${list})`);
    assert.equal(r.status, 0, r.stderr);
    const audited = new Set(r.stdout.split('\n').filter(Boolean).map(Number));
    const unaudited = acked.filter((a) => !audited.has(a.id)).map((a) => a.id);
    assert.deepEqual(unaudited, [], 'acknowledged creations without a person.create entry');
  });
});
