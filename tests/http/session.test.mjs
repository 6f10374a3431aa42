// Sign-in, sign-out, the session cookie, CSRF tokens, lock-out and disabled users
// (docs/api.md "Session", "Conventions").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, cli, PASSWORD } from '../lib/server.mjs';
import { assertProblem, assertSecurityHeaders, show } from '../lib/helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) await server.stop(); });

// A client that presents a given cookie (e.g. one that should be dead by now).
function withCookie(cookie) {
  const c = new Client(server.url);
  c.cookie = cookie;
  return c;
}

// The parts of a failed sign-in answer that must not tell the cases apart.
function failure(r) {
  return { status: r.status, type: r.body?.type, title: r.body?.title, detail: r.body?.detail,
    keys: Object.keys(r.body || {}).sort().join(',') };
}

async function failedSignIn(username, password) {
  const r = await new Client(server.url).signIn(username, password);
  assertProblem(r, 401, `sign-in ${username}`);
  assert.equal(r.body.title, 'Sign-in failed', show(r));
  assert.equal(r.headers.get('set-cookie'), null, 'a failed sign-in sets no cookie');
  return r;
}

describe('health', () => {
  it('GET /healthz answers 200 {"status":"ok"} without a session, with security headers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    assertSecurityHeaders(res.headers, 'GET /healthz', false);
  });
});

describe('sign-in', () => {
  it('GET /api/v1/session without a session, or with a made-up cookie, is 401', async () => {
    assertProblem(await new Client(server.url).req('GET', '/api/v1/session'), 401, 'no cookie');
    const forged = withCookie('safehub_session=' + 'A'.repeat(43));
    assertProblem(await forged.req('GET', '/api/v1/session'), 401, 'forged cookie');
  });

  it('answers 201 with a CSRF token, the user and an expiry, and an HttpOnly SameSite=Strict cookie', async () => {
    const c = new Client(server.url);
    const before = Date.now();
    const r = await c.signIn('practitioner');
    assert.equal(r.status, 201, show(r));
    assert.equal(typeof r.body.csrf_token, 'string');
    assert.ok(r.body.csrf_token.length >= 16, 'CSRF token has some entropy');
    const u = r.body.user;
    assert.equal(u.username, 'practitioner');
    assert.equal(u.role, 'practitioner');
    assert.ok(Number.isInteger(u.id), 'user.id integer');
    for (const k of ['display_name', 'team', 'agency']) assert.equal(typeof u[k], 'string', `user.${k}`);
    assert.equal(u.password_hash, undefined, 'no password hash in User');
    const exp = Date.parse(r.body.expires_at);
    assert.ok(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.body.expires_at), `RFC 3339 UTC: ${r.body.expires_at}`);
    assert.ok(exp > before && exp <= before + 12 * 3600e3 + 5000, `expires_at in the next 12 h: ${r.body.expires_at}`);

    const cookies = r.headers.getSetCookie().filter((s) => s.startsWith('safehub_session='));
    assert.equal(cookies.length, 1, 'one safehub_session cookie');
    const attrs = cookies[0].split(';').map((s) => s.trim().toLowerCase());
    assert.ok(attrs[0].length > 'safehub_session='.length + 16, 'cookie carries a token');
    assert.ok(attrs.includes('httponly'), `HttpOnly: ${cookies[0]}`);
    assert.ok(attrs.includes('samesite=strict'), `SameSite=Strict: ${cookies[0]}`);
    assert.ok(attrs.includes('path=/'), `Path=/: ${cookies[0]}`);
    assert.ok(!cookies[0].includes(r.body.csrf_token), 'the cookie is not the CSRF token');

    const s = await c.req('GET', '/api/v1/session');
    assert.equal(s.status, 200, show(s));
    assert.deepEqual(s.body.user, u);
    assert.equal(typeof s.body.csrf_token, 'string');
    // The token GET /api/v1/session hands out works for a state-changing call.
    c.csrf = s.body.csrf_token;
    const bad = await c.req('POST', '/api/v1/persons', {});
    assert.equal(bad.status, 422, `token from GET /session accepted (then validation fails): ${show(bad)}`);
  });

  it('issues a new session token and CSRF token on each sign-in', async () => {
    const a = await signedIn(server.url, 'manager');
    const b = await signedIn(server.url, 'manager');
    assert.notEqual(a.cookie, b.cookie);
    assert.notEqual(a.csrf, b.csrf);
    // Signing in again on a client that already holds a session replaces its token (no fixation).
    const old = b.cookie;
    const r = await b.signIn('manager');
    assert.equal(r.status, 201, show(r));
    assert.ok(b.cookie && b.cookie !== old, 'a new cookie on re-sign-in');
  });

  it('a wrong password and an unknown username get byte-identical answers', async () => {
    const wrong = await failedSignIn('manager', PASSWORD + 'x');
    const unknown = await failedSignIn('no_such_user_zz', PASSWORD);
    assert.deepEqual(failure(unknown), failure(wrong));
    assert.ok(!JSON.stringify(wrong.body).includes('manager'), 'the answer does not echo the username');
    // The known user can still sign in (one failure does not lock).
    assert.equal((await new Client(server.url).signIn('manager')).status, 201);
  });

  it('a sign-in body without a password or with the wrong types is refused without a session', async () => {
    for (const body of [{ username: 'manager' }, { username: 'manager', password: 12 }, {}]) {
      const r = await new Client(server.url).req('POST', '/api/v1/session', body);
      assert.ok([400, 401, 422].includes(r.status), `${JSON.stringify(body)}: ${show(r)}`);
      assert.equal(r.headers.get('set-cookie'), null);
    }
  });
});

describe('sign-out', () => {
  it('DELETE /api/v1/session without the CSRF header is 403 and the session lives on', async () => {
    const c = await signedIn(server.url, 'practitioner');
    assertProblem(await c.req('DELETE', '/api/v1/session', undefined, { csrf: false }), 403, 'no CSRF');
    assertProblem(await c.req('DELETE', '/api/v1/session', undefined,
      { csrf: false, headers: { 'x-csrf-token': 'x'.repeat(c.csrf.length) } }), 403, 'wrong CSRF');
    assert.equal((await c.req('GET', '/api/v1/session')).status, 200);
  });

  it('ends the session: 204, cookie cleared, and the old cookie is 401 afterwards', async () => {
    const c = await signedIn(server.url, 'practitioner');
    const old = c.cookie;
    const r = await c.req('DELETE', '/api/v1/session');
    assert.equal(r.status, 204, show(r));
    const set = r.headers.getSetCookie().find((s) => s.startsWith('safehub_session='));
    assert.ok(set, 'Set-Cookie clears safehub_session');
    assert.match(set, /^safehub_session=(;|$)|max-age=0|expires=thu, 01 jan 1970/i, `cleared: ${set}`);
    const dead = withCookie(old);
    assertProblem(await dead.req('GET', '/api/v1/session'), 401, 'old cookie after sign-out');
    assertProblem(await dead.req('GET', '/api/v1/persons?q=smith'), 401, 'old cookie on a data route');
  });
});

describe('lock-out', () => {
  it('five failures in a row lock the account: the right password then gets the same 401', async () => {
    const wrong = await failedSignIn('board', 'not-the-password-1');
    for (let i = 2; i <= 5; i++) await failedSignIn('board', `not-the-password-${i}`);
    const locked = await failedSignIn('board', PASSWORD);
    assert.deepEqual(failure(locked), failure(wrong), 'locked is indistinguishable from a wrong password');
    const unknown = await failedSignIn('nobody_at_all', PASSWORD);
    assert.deepEqual(failure(unknown), failure(wrong));

    const admin = await signedIn(server.url, 'admin');
    const users = await admin.req('GET', '/api/v1/users');
    assert.equal(users.status, 200, show(users));
    const board = users.body.items.find((u) => u.username === 'board');
    assert.ok(board, 'board in /users');
    assert.ok(board.locked_until && Date.parse(board.locked_until) > Date.now(),
      `board locked_until in the future: ${board.locked_until}`);
    assert.ok(Date.parse(board.locked_until) <= Date.now() + 15 * 60e3 + 5000, 'locked for 15 minutes');
    for (const u of users.body.items) {
      for (const k of ['password_hash', 'password', 'failed_count']) assert.equal(u[k], undefined, `no ${k} in /users`);
    }
    const other = users.body.items.find((u) => u.username === 'admin');
    assert.equal(other.locked_until, null);
    assert.equal(other.disabled, false);
  });

  it('four failures do not lock, and a success resets the count', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) await failedSignIn('analyst', `wrong-${round}-${i}-password`);
      const r = await new Client(server.url).signIn('analyst');
      assert.equal(r.status, 201, `round ${round}: 4 failures then the right password: ${show(r)}`);
    }
  });
});

describe('disabled users', () => {
  it('`safehub user disable` ends the user\'s existing session and refuses sign-in', async () => {
    const c = await signedIn(server.url, 'practitioner2');
    assert.equal((await c.req('GET', '/api/v1/session')).status, 200);
    const d = cli(['user', 'disable', '--db', server.db, '--username', 'practitioner2']);
    assert.equal(d.status, 0, `user disable: ${d.stderr}`);
    assertProblem(await c.req('GET', '/api/v1/session'), 401, 'disabled user session');
    assertProblem(await c.req('GET', '/api/v1/persons?q=smith'), 401, 'disabled user data route');
    const wrong = await failedSignIn('manager', 'definitely-wrong-pw');
    const again = await failedSignIn('practitioner2', PASSWORD);
    assert.deepEqual(failure(again), failure(wrong), 'disabled is indistinguishable from a wrong password');

    const admin = await signedIn(server.url, 'admin');
    const users = await admin.req('GET', '/api/v1/users');
    assert.equal(users.status, 200, show(users));
    assert.equal(users.body.items.find((u) => u.username === 'practitioner2')?.disabled, true);
    // Other users are unaffected.
    assert.equal((await new Client(server.url).signIn('practitioner')).status, 201);
  });
});
