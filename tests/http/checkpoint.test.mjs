// The server checkpoints the WAL in the background (store_checkpointer_start): commits never
// stall copying pages into the database file, yet what is committed reaches the file within a
// second or so while the server runs. Shown by reading the database file alone (immutable=1
// ignores the WAL): a person created through the API appears there without the server stopping,
// which a server that left checkpoints to SQLite's 1000-page default would not do for a few rows.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import { personBody, show, sqlite } from '../lib/helpers.mjs';

let server;
before(async () => { server = await startServer({ persons: 5 }); });
after(async () => { if (server) await server.stop(); });

const fileOnly = (sql) => sqlite(`file:${server.db}?immutable=1`, sql);

describe('background WAL checkpoints', () => {
  it('a committed person reaches the database file within seconds, with the server still running', async () => {
    const c = await signedIn(server.url, 'practitioner');
    const marker = `Checkpointson${Date.now() % 100000}`;
    const r = await c.req('POST', '/api/v1/persons', personBody({ family_name: marker }));
    assert.equal(r.status, 201, show(r));
    let seen = '';
    for (let i = 0; i < 50 && seen !== '1'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      const q = fileOnly(`SELECT count(*) FROM persons WHERE family_name = '${marker}'`);
      assert.equal(q.status, 0, q.stderr);
      seen = q.stdout.trim();
    }
    assert.equal(seen, '1', 'the new person is in the database file itself');
    // The server is still serving, and the WAL holds no more than the last moments' pages.
    assert.equal((await c.req('GET', `/api/v1/persons/${r.body.id}`)).status, 200);
  });
});
