// The security properties of docs/api.md: every route behind a session and the policy table
// (generated from `safehub routes`, so no route escapes), CSRF, body limits, malformed bodies,
// injection-shaped input, optimistic concurrency, security headers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, cli, ROLES } from '../lib/server.mjs';
import {
  assertProblem, assertSecurityHeaders, fieldErrors, memory, personBody, show, upload,
} from '../lib/helpers.mjs';

const MIB = 1 << 20;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NO_SUCH_ID = '999999999';

let server;
let routes; // [{method, path, permission, roles}]
const clients = {}; // role -> signed-in Client
let personId; // an unrestricted person every reading role may see

// Routes anyone may call without a session: only sign-in (and /healthz, outside /api/v1).
function isPublic(r) {
  return (r.method === 'POST' && r.path === '/api/v1/session') || /^(public|none|anonymous)$/i.test(r.permission);
}

// A concrete path for a route: reads of persons use a real person; everything else (and every
// state-changing call, so the table walk changes nothing) uses an id that does not exist.
function concrete(r) {
  return r.path.replace(/\{([^}]+)\}/g, (_, name) => {
    if (name === 'id' && r.method === 'GET' && r.path.startsWith('/api/v1/persons/')) return String(personId);
    return name.endsWith('id') ? NO_SUCH_ID : 'no-such-thing';
  });
}

before(async () => {
  server = await startServer();
  const out = cli(['routes']);
  assert.equal(out.status, 0, `safehub routes: ${out.stderr}`);
  routes = out.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  for (const role of ROLES) clients[role] = await signedIn(server.url, role);
  const r = await clients.practitioner.req('POST', '/api/v1/persons', personBody({ given_name: 'Routewalk' }));
  assert.equal(r.status, 201, show(r));
  personId = r.body.id;
});
after(async () => { if (server) await server.stop(); });

describe('the route table', () => {
  it('`safehub routes` lists method, path, permission and roles for every route', () => {
    assert.ok(routes.length >= 8, `routes: ${routes.length}`);
    const seen = new Set();
    for (const r of routes) {
      assert.match(r.method, /^(GET|POST|PUT|PATCH|DELETE)$/, JSON.stringify(r));
      assert.match(r.path, /^\//, JSON.stringify(r));
      assert.equal(typeof r.permission, 'string', JSON.stringify(r));
      assert.ok(Array.isArray(r.roles), JSON.stringify(r));
      for (const role of r.roles) assert.ok(ROLES.includes(role), `unknown role ${role} in ${JSON.stringify(r)}`);
      const key = `${r.method} ${r.path}`;
      assert.ok(!seen.has(key), `duplicate route ${key}`);
      seen.add(key);
    }
  });

  it('agrees with docs/api.md on who may do what', () => {
    const roles = (m, p) => {
      const r = routes.find((x) => x.method === m && x.path === p);
      assert.ok(r, `${m} ${p} is in the route table`);
      return [...r.roles].sort();
    };
    const read = ['analyst', 'manager', 'police_intel', 'practitioner'];
    const write = ['manager', 'police_intel', 'practitioner'];
    assert.deepEqual(roles('GET', '/api/v1/persons'), read);
    assert.deepEqual(roles('GET', '/api/v1/persons/{id}'), read);
    assert.deepEqual(roles('POST', '/api/v1/persons'), write);
    assert.deepEqual(roles('PUT', '/api/v1/persons/{id}'), write);
    assert.deepEqual(roles('GET', '/api/v1/audit'), ['admin']);
    assert.deepEqual(roles('GET', '/api/v1/users'), ['admin']);
    assert.deepEqual(roles('GET', '/api/v1/reference'), [...ROLES].sort());
    assert.deepEqual(roles('GET', '/api/v1/session'), [...ROLES].sort());
    assert.ok(routes.some((r) => r.method === 'GET' && r.path === '/api/v1/persons/{id}/views'));
  });

  it('every /api/v1 route without a session answers 401', async () => {
    const anon = new Client(server.url);
    const wrong = [];
    for (const r of routes.filter((x) => x.path.startsWith('/api/v1/') && !isPublic(x))) {
      const res = await anon.req(r.method, concrete(r), MUTATING.has(r.method) && r.method !== 'DELETE' ? {} : undefined);
      if (res.status !== 401) wrong.push(`${r.method} ${r.path} -> ${res.status}`);
      else assertProblem(res, 401, `${r.method} ${r.path}`);
    }
    assert.deepEqual(wrong, [], 'routes that answer without a session');
  });

  it('each role gets 403 where the table leaves it out, and never 401/403 where it is in', async () => {
    const wrong = [];
    for (const r of routes.filter((x) => x.path.startsWith('/api/v1/') && !isPublic(x))) {
      for (const role of ROLES) {
        // Signing out would end the shared client's session: use a throwaway one.
        const c = r.method === 'DELETE' && r.path === '/api/v1/session' ? await signedIn(server.url, role) : clients[role];
        const body = MUTATING.has(r.method) && r.method !== 'DELETE' ? {} : undefined;
        const res = await c.req(r.method, concrete(r), body);
        const allowed = r.roles.includes(role);
        if (allowed && (res.status === 401 || res.status === 403)) wrong.push(`${role} ${r.method} ${r.path} -> ${res.status} (allowed)`);
        if (!allowed && res.status !== 403) wrong.push(`${role} ${r.method} ${r.path} -> ${res.status} (not in roles)`);
        if (!allowed && res.status === 403) assertProblem(res, 403, `${role} ${r.method} ${r.path}`);
      }
    }
    assert.deepEqual(wrong, [], 'role x route answers that disagree with the table');
  });

  it('an unknown route is 404 and a wrong method on a known path is 405, as problems', async () => {
    const c = clients.manager;
    assertProblem(await c.req('GET', '/api/v1/no-such-route'), 404, 'unknown route');
    assertProblem(await c.req('PATCH', '/api/v1/persons', {}), 405, 'PATCH /api/v1/persons');
    assertProblem(await c.req('DELETE', `/api/v1/persons/${personId}`), 405, 'DELETE /api/v1/persons/{id}');
    assertProblem(await c.req('GET', `/api/v1/persons/${NO_SUCH_ID}`), 404, 'no such person');
  });
});

describe('CSRF', () => {
  const name = 'Csrfcheckington';
  const count = async () => {
    const r = await clients.practitioner.req('GET', `/api/v1/persons?q=${name}`);
    assert.equal(r.status, 200, show(r));
    return r.body.total;
  };

  it('a state-changing call without X-CSRF-Token is 403 and changes nothing', async () => {
    const r = await clients.practitioner.req('POST', '/api/v1/persons', personBody({ family_name: name }), { csrf: false });
    assertProblem(r, 403, 'no CSRF header');
    assert.equal(await count(), 0);
  });

  it('a wrong token, or another session\'s token, is 403 and changes nothing', async () => {
    const c = clients.practitioner;
    for (const token of ['wrong', c.csrf.slice(0, -1) + (c.csrf.endsWith('A') ? 'B' : 'A'), clients.manager.csrf, '']) {
      const r = await c.req('POST', '/api/v1/persons', personBody({ family_name: name }),
        { csrf: false, headers: { 'x-csrf-token': token } });
      assertProblem(r, 403, `token ${JSON.stringify(token)}`);
    }
    const put = await c.req('PUT', `/api/v1/persons/${personId}`, personBody({ version: 1, family_name: name }), { csrf: false });
    assertProblem(put, 403, 'PUT without CSRF');
    assert.equal(await count(), 0);
    // The right token works (so the 403s above were about the token).
    const ok = await c.req('POST', '/api/v1/persons', personBody({ family_name: name }));
    assert.equal(ok.status, 201, show(ok));
    assert.equal(await count(), 1);
  });
});

describe('request bodies', () => {
  it('malformed JSON is a 400 problem', async () => {
    const c = clients.practitioner;
    for (const raw of ['{"given_name": "A",', 'not json', '{"a":1}}', '\u0000']) {
      const r = await c.req('POST', '/api/v1/persons', raw, { raw: true, headers: { 'content-type': 'application/json' } });
      assertProblem(r, 400, `body ${JSON.stringify(raw)}`);
    }
  });

  it('a JSON body that is not an object is a 400 problem', async () => {
    for (const raw of ['[]', '"x"', '42', 'null']) {
      const r = await clients.practitioner.req('POST', '/api/v1/persons', raw,
        { raw: true, headers: { 'content-type': 'application/json' } });
      assertProblem(r, 400, `body ${raw}`);
    }
  });

  it('a JSON body with a NUL byte is 400 and names it', async () => {
    const raw = Buffer.from(JSON.stringify(personBody()).replace('"given_name":"', '"given_name":"A\u0000'));
    assert.ok(raw.includes(0), 'the body holds a raw NUL byte');
    const r = await clients.practitioner.req('POST', '/api/v1/persons', raw,
      { raw: true, headers: { 'content-type': 'application/json' } });
    assertProblem(r, 400, 'NUL byte');
    assert.match(r.body.detail, /NUL byte/);
  });

  it('a body that is not application/json is 415', async () => {
    const r = await clients.practitioner.req('POST', '/api/v1/persons', JSON.stringify(personBody()),
      { raw: true, headers: { 'content-type': 'text/plain' } });
    assertProblem(r, 415, 'text/plain body');
  });

  it('a body of exactly 1 MiB is read (422 for the long notes); 1 MiB + 1 byte is 413', async () => {
    const c = clients.practitioner;
    const headers = { cookie: c.cookie, 'x-csrf-token': c.csrf };
    const make = (size) => {
      const head = JSON.stringify(personBody({ notes: undefined })).slice(0, -1) + ',"notes":"';
      const tail = '"}';
      const b = Buffer.from(head + 'x'.repeat(size - head.length - tail.length) + tail);
      assert.equal(b.length, size);
      return b;
    };
    const exact = await upload(server.url, '/api/v1/persons', { data: make(MIB), headers });
    assert.equal(exact.status, 422, `exactly 1 MiB: ${JSON.stringify(exact).slice(0, 300)}`);
    assert.ok(JSON.parse(exact.body).errors.some((e) => e.field === 'notes'), exact.body.slice(0, 300));
    let over;
    for (let i = 0; i < 3 && !over?.status; i++) over = await upload(server.url, '/api/v1/persons', { data: make(MIB + 1), headers });
    assert.equal(over.status, 413, `1 MiB + 1: ${JSON.stringify(over).slice(0, 300)}`);
  });

  for (const chunked of [false, true]) {
    it(`a 100 MB body ${chunked ? 'sent chunked' : 'with Content-Length'} is 413 and the server does not grow`, async (t) => {
      const c = clients.practitioner;
      const headers = { cookie: c.cookie, 'x-csrf-token': c.csrf };
      const m0 = memory(server.proc.pid);
      // The server may answer and close while we are still sending; the answer may then be lost
      // to the reset, so try again (each try streams at most 100 MB, 1 MiB at a time).
      const tries = [];
      for (let i = 0; i < 3 && !tries.some((t) => t.status); i++) {
        tries.push(await upload(server.url, '/api/v1/persons', { total: 100 * 1000 * 1000, chunked, headers }));
      }
      const m1 = memory(server.proc.pid);
      const got = tries.find((t) => t.status) || tries[tries.length - 1];
      if (chunked && !got.status) {
        // Without a declared length the server can only refuse mid-stream; if it did so by
        // closing the connection well before the end, that answer may be lost to the reset.
        assert.ok(['EPIPE', 'ECONNRESET'].includes(got.how) && got.sent < 50 * 1000 * 1000,
          `refused early: ${JSON.stringify(tries).slice(0, 500)}`);
      } else {
        assert.equal(got.status, 413, `100 MB: ${JSON.stringify(tries).slice(0, 500)}`);
      }
      if (got.body) {
        const p = JSON.parse(got.body);
        assert.equal(p.status, 413);
      }
      t.diagnostic(`VmRSS ${m0.rss} -> ${m1.rss} kB, VmHWM ${m0.hwm} -> ${m1.hwm} kB; tries ${JSON.stringify(tries.map((x) => [x.status, x.how, x.sent]))}`);
      const growth = (m1.rss - m0.rss) / 1024;
      const peak = (m1.hwm - Math.max(m0.hwm, m0.rss)) / 1024;
      assert.ok(growth < 20, `VmRSS grew ${growth.toFixed(1)} MB (${m0.rss} -> ${m1.rss} kB)`);
      assert.ok(peak < 20, `VmHWM grew ${peak.toFixed(1)} MB (${m0.hwm} -> ${m1.hwm} kB)`);
      // Still serving.
      assert.equal((await c.req('GET', '/api/v1/session')).status, 200);
    });
  }
});

describe('injection-shaped input', () => {
  it('SQL and HTML in names are stored and read back verbatim; persons still work', async () => {
    const c = clients.practitioner;
    const body = personBody({
      given_name: "'; DROP TABLE persons; --",
      family_name: '<script>alert(1)</script>',
      aliases: ["Robert'); DROP TABLE persons;--", '<img src=x onerror=alert(1)>', '" OR 1=1 --'],
      gender: '%_\\',
      notes: '<b>bold</b> & "quotes" \' \\ %s %n {{7*7}} ${7*7}',
    });
    const r = await c.req('POST', '/api/v1/persons', body);
    assert.equal(r.status, 201, show(r));
    const g = await c.req('GET', `/api/v1/persons/${r.body.id}`);
    assert.equal(g.status, 200, show(g));
    for (const k of ['given_name', 'family_name', 'aliases', 'gender', 'notes']) assert.deepEqual(g.body[k], body[k], k);
    assert.match(g.headers.get('content-type'), /^application\/json\b/);

    // Searching with the same text answers normally.
    const s = await c.req('GET', `/api/v1/persons?q=${encodeURIComponent(body.given_name)}`);
    assert.equal(s.status, 200, show(s));
    // LIKE wildcards are not wildcards: no name starts with % or _.
    for (const q of ['%', '_', '%%%']) {
      const w = await c.req('GET', `/api/v1/persons?q=${encodeURIComponent(q)}`);
      assert.ok(w.status === 400 || (w.status === 200 && w.body.total === 0), `q=${q}: ${show(w)}`);
    }
    // The table is still there and works: create, find, read.
    const after = await c.req('POST', '/api/v1/persons', personBody({ given_name: 'Stillworks', family_name: 'Afterinjection' }));
    assert.equal(after.status, 201, show(after));
    const found = await c.req('GET', '/api/v1/persons?q=stillworks');
    assert.equal(found.status, 200, show(found));
    assert.deepEqual(found.body.items.map((p) => p.id), [after.body.id]);
    assert.equal((await c.req('GET', `/api/v1/persons/${personId}`)).status, 200);
  });
});

describe('optimistic concurrency', () => {
  it('a stale version is 409 and changes nothing', async () => {
    const c = clients.practitioner;
    const created = await c.req('POST', '/api/v1/persons', personBody({ given_name: 'Versioned', family_name: 'Onceonly' }));
    assert.equal(created.status, 201, show(created));
    const v1 = created.body;
    const u = await c.req('PUT', `/api/v1/persons/${v1.id}`, { ...v1, given_name: 'Versioned2' });
    assert.equal(u.status, 200, show(u));
    assert.equal(u.body.version, v1.version + 1);
    const current = (await c.req('GET', `/api/v1/persons/${v1.id}`)).body;

    // Someone else still holds v1.
    const stale = await clients.manager.req('PUT', `/api/v1/persons/${v1.id}`,
      { ...v1, given_name: 'Clobbered', family_name: 'Clobbered', notes: 'lost update' });
    assertProblem(stale, 409, 'stale version');
    const now = await c.req('GET', `/api/v1/persons/${v1.id}`);
    assert.equal(now.status, 200);
    assert.deepEqual(now.body, current, 'nothing changed');
    assert.equal(now.body.version, v1.version + 1);
    assert.equal(now.body.given_name, 'Versioned2');

    // A version from the future is not accepted either.
    assertProblem(await c.req('PUT', `/api/v1/persons/${v1.id}`, { ...current, version: current.version + 5 }), 409, 'future version');
    // A missing version is a validation failure, not a blind overwrite.
    const { version, ...noVersion } = current;
    assert.ok(fieldErrors(await c.req('PUT', `/api/v1/persons/${v1.id}`, noVersion), 'no version').includes('version'));
    assert.deepEqual((await c.req('GET', `/api/v1/persons/${v1.id}`)).body, current);
  });
});

describe('security headers', () => {
  it('are on every kind of response, with Cache-Control no-store under /api/', async () => {
    const c = clients.practitioner;
    const anon = new Client(server.url);
    const cases = [
      ['GET /healthz', await fetch(`${server.url}/healthz`), false],
      ['GET /', await fetch(`${server.url}/`), false],
      ['GET /no-such-file', await fetch(`${server.url}/no-such-file.js`), false],
      ['401', (await anon.req('GET', '/api/v1/session')).headers, true],
      ['201 sign-in', (await new Client(server.url).signIn('analyst')).headers, true],
      ['200 person', (await c.req('GET', `/api/v1/persons/${personId}`)).headers, true],
      ['200 search', (await c.req('GET', '/api/v1/persons?q=a')).headers, true],
      ['400', (await c.req('GET', '/api/v1/persons')).headers, true],
      ['403', (await clients.board.req('GET', `/api/v1/persons/${personId}`)).headers, true],
      ['404', (await c.req('GET', '/api/v1/nothing-here')).headers, true],
      ['422', (await c.req('POST', '/api/v1/persons', {})).headers, true],
    ];
    for (const [what, h, api] of cases) assertSecurityHeaders(h.headers ?? h, what, api);
  });
});
