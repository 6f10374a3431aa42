// Views while another process holds the write lock (a large `safehub import missing`): a view is
// answered at once, its audit entry kept in the journal beside the database (<db>-views) and
// appended to the trail, in order, as soon as the lock is free; journaled views survive kill -9
// and are appended at the next start, once, even if the journal was not emptied after they were.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startServer, signedIn, cli } from '../lib/server.mjs';
import { sleep, sqlite, waitFor } from '../lib/helpers.mjs';

let first, second, third;
after(async () => {
  for (const s of [third, second]) if (s && s.proc.exitCode === null) await s.stop();
  if (first) rmSync(first.dir, { recursive: true, force: true });
});

// Hold the database's write lock from another process for `ms`; resolves once it is held, with
// `released`, a promise of the moment it is let go.
function holdWriteLock(db, ms) {
  return new Promise((resolve, reject) => {
    const p = spawn('sqlite3', ['-batch', db], { stdio: ['pipe', 'pipe', 'pipe'] });
    const released = new Promise((r) => p.on('exit', r));
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('held')) resolve({ released });
    });
    p.on('error', reject);
    p.stdin.end(`.timeout 5000\nBEGIN IMMEDIATE;\nSELECT 'held';\n.shell sleep ${ms / 1000}\nCOMMIT;\n`);
  });
}

const num = (db, sql) => Number(sqlite(db, sql).stdout.trim());
const views = (db, id) => num(db, `SELECT count(*) FROM audit WHERE action = 'person.view' AND object_id = '${id}'`);

describe('views while another process writes', () => {
  let db, id, journal;

  it('a view is answered at once, journaled, and in the trail once the lock is free', async () => {
    first = await startServer({ keep: true });
    db = first.db;
    journal = `${db}-views`;
    id = num(db, 'SELECT id FROM persons WHERE restricted = 0 AND merged_into IS NULL ORDER BY id LIMIT 1');
    const c = await signedIn(first.url, 'practitioner');
    assert.equal((await c.req('GET', `/api/v1/persons/${id}`)).status, 200);
    const before = views(db, id);

    const hold = await holdWriteLock(db, 4000);
    const t0 = Date.now();
    const r = await c.req('GET', `/api/v1/persons/${id}`);
    const took = Date.now() - t0;
    assert.equal(r.status, 200);
    assert.ok(took < 3000, `answered in ${took} ms, not after the lock`);
    assert.equal(views(db, id), before, 'not in the trail while the lock is held');
    assert.match(readFileSync(journal, 'utf8'), new RegExp(`"action":"person.view".*"object_id":"${id}"`));

    await hold.released;
    assert.ok(await waitFor(() => views(db, id) === before + 1, 5000), 'in the trail after the lock is let go');
    assert.ok(await waitFor(() => readFileSync(journal, 'utf8') === '', 2000), 'the journal is emptied');
  });

  it('journaled views survive kill -9 and are appended at the next start, once', async () => {
    const c = await signedIn(first.url, 'practitioner');
    const before = views(db, id);
    const hold = await holdWriteLock(db, 2500);
    const r = await Promise.all([1, 2].map(() => c.req('GET', `/api/v1/persons/${id}`)));
    assert.deepEqual(r.map((x) => x.status), [200, 200]);
    const saved = readFileSync(journal, 'utf8');
    assert.equal(saved.trim().split('\n').length, 2, saved);
    await first.kill();
    await hold.released;
    assert.equal(views(db, id), before, 'the server was killed before it could append them');

    second = await startServer({ db, keep: true });
    assert.equal(views(db, id), before + 2, 'appended when the server started');
    assert.equal(readFileSync(journal, 'utf8'), '');
    await second.stop();

    // Stopped between appending and emptying the journal: the same lines again are not appended twice.
    writeFileSync(journal, saved);
    third = await startServer({ db, keep: true });
    assert.equal(views(db, id), before + 2);
    assert.equal(readFileSync(journal, 'utf8'), '');
    await third.stop();
    const v = cli(['audit', 'verify', '--db', db]);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
  });

  it('a torn last line (a write never acknowledged) is cut, and what follows it is kept', async () => {
    const before = views(db, id);
    writeFileSync(journal, '{"j":999999,"at":1,"user_id":1,"usern');
    const s = await startServer({ db, keep: true });
    try {
      assert.equal(readFileSync(journal, 'utf8'), '', 'the torn line is cut');
      const c = await signedIn(s.url, 'practitioner');
      const hold = await holdWriteLock(db, 2000);
      assert.equal((await c.req('GET', `/api/v1/persons/${id}`)).status, 200);
      await hold.released;
      assert.ok(await waitFor(() => views(db, id) === before + 1, 5000));
    } finally {
      await s.stop();
    }
    assert.ok(existsSync(journal));
    await sleep(10);
  });
});
