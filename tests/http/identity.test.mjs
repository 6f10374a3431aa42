// Identity resolution (docs/api-identity.md): intake search finds a demo child entered with a
// nickname, a misspelt surname and a swapped day/month, ranked first, with reasons; the query is
// never logged and the audit records which persons were shown, not what was asked; restricted
// persons are left out for users not named on them; merged persons never appear; bad input is
// a 422 naming the field. The review queue: rows of a missing-episodes import whose person is
// uncertain are listed with their candidates and decided (link writes the episode, new creates
// the person, dismiss drops the row), with optimistic concurrency and the audit trail. And the
// noisy multi-agency demo extract: its files, the truth column, errors of each kind, determinism.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, signedIn, cli } from '../lib/server.mjs';
import { assertProblem, fieldErrors, personBody, show, nextNhs } from '../lib/helpers.mjs';

// Given names of the demo with a nickname in the engine's table (src/match_names.c).
const NICKNAMES = {
  Olivia: 'Livvy', Amelia: 'Millie', Lily: 'Lil', Sophie: 'Soph', Emily: 'Emmy', Grace: 'Gracie', Jessica: 'Jess',
  Megan: 'Meg', Bethany: 'Beth', Abigail: 'Abbie', Rebecca: 'Becky', Samantha: 'Sammy', Katie: 'Kat',
  Charlotte: 'Lottie', Victoria: 'Vicky', Eleanor: 'Nell', Elizabeth: 'Lizzie', Matilda: 'Tilly', Florence: 'Flo',
  Kayleigh: 'Kay', Courtney: 'Court', Stephanie: 'Steph', Natalie: 'Nat', Oliver: 'Ollie', Jacob: 'Jake',
  Thomas: 'Tommy', William: 'Billy', James: 'Jimmy', Joshua: 'Josh', Daniel: 'Danny', Matthew: 'Matty',
  Samuel: 'Sammy', Joseph: 'Joey', Benjamin: 'Benji', Alexander: 'Xander', Edward: 'Eddie', Nathan: 'Nate',
  Callum: 'Cal', Zachary: 'Zach', Freddie: 'Fred', Alfie: 'Alf', Mohammed: 'Mo', Emmanuel: 'Manny',
};

let server;
const c = {};
const USERS = ['admin', 'manager', 'practitioner', 'practitioner2', 'analyst', 'police_intel', 'board'];
before(async () => {
  server = await startServer({ persons: 200 });
  for (const u of USERS) c[u] = await signedIn(server.url, u);
});
after(async () => { if (server) await server.stop(); });

// Rows of a query on the server's database (read-only checks, and the merge fixture).
function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', '-cmd', '.timeout 5000', server.db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

async function expect(promise, status, what = '') {
  const r = await promise;
  assert.equal(r.status, status, `${what}: ${show(r)}`);
  return r.body;
}

// A misspelling: two neighbouring letters in the middle swapped ("Ogden" -> "Ogdne").
function misspell(s) {
  for (let i = Math.floor(s.length / 2); i < s.length - 1; i++) {
    if (s[i] !== s[i + 1] && /[a-z]/.test(s[i]) && /[a-z]/.test(s[i + 1])) {
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    }
  }
  return `${s.slice(0, -1)}${s.slice(-1) === 'e' ? 'a' : 'e'}`;
}

// The date of birth with day and month swapped, written DD/MM/YYYY as an agency would.
function swappedDmy(dob) {
  const [y, m, d] = dob.split('-');
  return `${m}/${d}/${y}`;
}

// A demo child to look for: not restricted, a given name with a nickname (not already one of
// their aliases), a day of birth 1-12 unlike the month, a family name long enough to misspell.
function pickChild() {
  const found = rows(`SELECT id, given_name, family_name, dob, sex, aliases FROM persons
    WHERE restricted = 0 AND merged_into IS NULL AND dob > date('now', '-18 years')
      AND CAST(substr(dob, 9, 2) AS INTEGER) <= 12 AND substr(dob, 9, 2) <> substr(dob, 6, 2)
      AND length(family_name) >= 5 AND family_name NOT GLOB '*[^A-Za-z]*' ORDER BY id`)
    .filter((p) => NICKNAMES[p.given_name] && !JSON.parse(p.aliases).includes(NICKNAMES[p.given_name]));
  assert.ok(found.length > 0, 'the demo has a child with a nickname and a swappable date of birth');
  return found[0];
}

describe('intake search', () => {
  let child;
  let query;
  before(() => {
    child = pickChild();
    query = {
      given_name: NICKNAMES[child.given_name], family_name: misspell(child.family_name), dob: swappedDmy(child.dob),
    };
  });

  it('finds a child entered with a nickname, a misspelt surname and a swapped day/month, first, with reasons', async () => {
    const qs = new URLSearchParams(query).toString();
    const body = await expect(c.practitioner.req('GET', `/api/v1/persons/matches?${qs}`), 200, 'GET matches');
    assert.ok(body.items.length >= 1, show({ status: 200, text: JSON.stringify(body) }));
    const first = body.items[0];
    assert.equal(first.person.id, child.id, `ranked first: ${JSON.stringify(body.items.map((i) => [i.person.id, i.probability]))}`);
    assert.equal(first.person.given_name, child.given_name);
    assert.equal(first.person.family_name, child.family_name);
    assert.equal(first.person.dob, child.dob);
    for (const k of ['id', 'given_name', 'family_name', 'dob', 'sex', 'postcode', 'nhs_number']) assert.ok(k in first.person, k);
    assert.ok(first.probability > 0.5 && first.probability <= 1, `probability ${first.probability}`);
    for (let i = 1; i < body.items.length; i++) assert.ok(body.items[i - 1].probability >= body.items[i].probability, 'best first');
    for (const it of body.items) assert.ok(it.probability >= 0.05, 'only candidates of 5% or more');
    const level = (f) => (first.reasons.find((r) => r.field === f) || {}).level;
    assert.equal(level('given_name'), 'nickname', JSON.stringify(first.reasons));
    assert.equal(level('dob'), 'swapped_day_month', JSON.stringify(first.reasons));
    assert.match(level('family_name') || '', /^jw_/, JSON.stringify(first.reasons));
    for (const r of first.reasons) {
      assert.equal(typeof r.text, 'string');
      assert.ok(r.text.length > 0);
      assert.equal(typeof r.weight, 'number');
    }
    assert.ok(first.reasons.find((r) => r.field === 'dob').text.includes('swapped'));

    // POST (what the UI uses, so names stay out of URLs) answers the same.
    const posted = await expect(c.practitioner.req('POST', '/api/v1/persons/matches', query), 200, 'POST matches');
    assert.deepEqual(posted.items.map((i) => i.person.id), body.items.map((i) => i.person.id));
    assert.equal(posted.items[0].probability, first.probability);
  });

  it('logs no query value, and audits which persons were shown, not the query', async () => {
    const body = await expect(c.analyst.req('POST', '/api/v1/persons/matches', { ...query, limit: 3 }), 200);
    const shown = body.items.map((i) => i.person.id);
    assert.ok(shown.includes(child.id));
    assert.ok(shown.length <= 3, 'limit');
    const entry = rows(`SELECT username, detail, outcome FROM audit WHERE action = 'person.match' ORDER BY seq DESC LIMIT 1`)[0];
    assert.equal(entry.username, 'analyst');
    assert.equal(entry.outcome, 'ok');
    for (const id of shown) assert.match(entry.detail, new RegExp(`\\b${id}\\b`), entry.detail);
    const all = rows(`SELECT group_concat(detail, ' | ') AS d FROM audit`)[0].d;
    for (const v of [query.given_name, query.family_name, query.dob]) {
      assert.ok(!all.includes(v), `the audit trail does not hold "${v}"`);
      assert.ok(!server.stderr.includes(v), `the server's log does not hold "${v}"`);
    }
  });

  it('leaves restricted persons out for users not named on them', async () => {
    const r = rows(`SELECT p.id, p.given_name, p.family_name, p.dob FROM persons p WHERE p.restricted = 1
      AND p.merged_into IS NULL AND p.dob IS NOT NULL AND EXISTS (SELECT 1 FROM person_access a JOIN users u ON u.id = a.user_id
      WHERE a.person_id = p.id AND u.username = 'manager') ORDER BY p.id LIMIT 1`)[0];
    assert.ok(r, 'the demo has a restricted person open to the manager');
    const q = { given_name: r.given_name, family_name: r.family_name, dob: r.dob };
    const named = await expect(c.manager.req('POST', '/api/v1/persons/matches', q), 200);
    assert.equal(named.items[0].person.id, r.id, 'the manager, named on the record, sees it first');
    for (const u of ['practitioner2', 'analyst', 'police_intel']) {
      const other = await expect(c[u].req('POST', '/api/v1/persons/matches', q), 200, u);
      assert.ok(!other.items.some((i) => i.person.id === r.id), `${u} does not see the restricted person`);
      const viaGet = await expect(c[u].req('GET', `/api/v1/persons/matches?${new URLSearchParams(q)}`), 200, u);
      assert.ok(!viaGet.items.some((i) => i.person.id === r.id), `${u} (GET) does not see the restricted person`);
    }
  });

  it('never shows a merged person', async () => {
    const nhs = nextNhs();
    const body = personBody({ given_name: 'Quilla', family_name: 'Vastergaard', dob: '2011-04-09', identifiers: { nhs_number: nhs } });
    const a = await expect(c.manager.req('POST', '/api/v1/persons', body), 201, 'person A');
    const b = await expect(c.manager.req('POST', '/api/v1/persons', body), 201, 'person B');
    const q = { given_name: 'Quilla', family_name: 'Vastergaard', dob: '2011-04-09', nhs_number: nhs };
    let found = await expect(c.manager.req('POST', '/api/v1/persons/matches', q), 200);
    assert.deepEqual(found.items.map((i) => i.person.id).sort((x, y) => x - y), [a.id, b.id]);
    // B folded into A (the merge engine's own tests cover the merge; here only merged_into matters).
    rows(`UPDATE persons SET merged_into = ${a.id} WHERE id = ${b.id}`);
    found = await expect(c.manager.req('POST', '/api/v1/persons/matches', q), 200);
    assert.deepEqual(found.items.map((i) => i.person.id), [a.id]);
    const byNhs = await expect(c.manager.req('GET', `/api/v1/persons/matches?nhs_number=${nhs}`), 200);
    assert.deepEqual(byNhs.items.map((i) => i.person.id), [a.id]);
  });

  it('refuses bad input with a 422 naming the field', async () => {
    assert.deepEqual(fieldErrors(await c.manager.req('GET', '/api/v1/persons/matches?given_name=Kay&dob=31/02/2010'), 'bad dob'), ['dob']);
    assert.deepEqual(fieldErrors(await c.manager.req('GET', '/api/v1/persons/matches?dob=yesterday'), 'words dob'), ['dob']);
    assert.deepEqual(fieldErrors(await c.manager.req('POST', '/api/v1/persons/matches', { family_name: 'Smith', dob: '2010-13-01' }), 'POST dob'), ['dob']);
    const none = fieldErrors(await c.manager.req('GET', '/api/v1/persons/matches'), 'nothing');
    assert.deepEqual(none.sort(), ['dob', 'family_name', 'given_name', 'nhs_number']);
    assert.deepEqual(fieldErrors(await c.manager.req('GET', '/api/v1/persons/matches?sex=female&postcode=SK4%202QT'), 'sex and postcode only').sort(),
      ['dob', 'family_name', 'given_name', 'nhs_number']);
    assert.deepEqual(fieldErrors(await c.manager.req('POST', '/api/v1/persons/matches', {}), 'empty body').sort(),
      ['dob', 'family_name', 'given_name', 'nhs_number']);
    const many = fieldErrors(await c.manager.req('POST', '/api/v1/persons/matches',
      { given_name: 7, family_name: 'x'.repeat(101), dob: '1/1', sex: 'girl', nhs_number: '12345', limit: 21, name: 'Kay' }), 'many');
    assert.deepEqual(many.sort(), ['dob', 'family_name', 'given_name', 'limit', 'name', 'nhs_number', 'sex']);
    assert.deepEqual(fieldErrors(await c.manager.req('GET', '/api/v1/persons/matches?family_name=Smith&limit=0'), 'limit'), ['limit']);
    assertProblem(await c.board.req('GET', '/api/v1/persons/matches?family_name=Smith'), 403, 'board may not search persons');
  });

  it('accepts the three date forms and NHS numbers written with spaces', async () => {
    const p = rows(`SELECT id, dob, nhs_number FROM persons WHERE restricted = 0 AND merged_into IS NULL
      AND nhs_number IS NOT NULL AND dob IS NOT NULL ORDER BY id LIMIT 1`)[0];
    const [y, m, d] = p.dob.split('-');
    for (const dob of [p.dob, `${y}${m}${d}`, `${d}/${m}/${y}`]) {
      const spaced = `${p.nhs_number.slice(0, 3)} ${p.nhs_number.slice(3, 6)} ${p.nhs_number.slice(6)}`;
      const body = await expect(c.manager.req('GET', `/api/v1/persons/matches?${new URLSearchParams({ dob, nhs_number: spaced })}`), 200, dob);
      assert.equal(body.items[0].person.id, p.id, dob);
    }
  });
});

describe('the review queue', () => {
  let child;
  let secret;
  const ref = (n) => `IDT-${n}`;
  let reviews;

  // A missing-episodes CSV (docs/import-missing.md) with one row per [ref, given, family, dob, sex].
  function csv(lines) {
    const head = 'police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,started_at,reported_at';
    return [head, ...lines.map(([r, g, f, dob, sex], i) => {
      const day = String(1 + i).padStart(2, '0');
      return `GMP,${r},${g},${f},${dob},${sex},home,M,2025-10-${day}T10:00:00Z,2025-10-${day}T12:00:00Z`;
    })].join('\n') + '\n';
  }

  before(async () => {
    child = pickChild();
    secret = rows(`SELECT p.id, p.given_name, p.family_name, p.dob, p.sex FROM persons p WHERE p.restricted = 1
      AND p.merged_into IS NULL AND p.dob IS NOT NULL AND length(p.family_name) >= 5 AND p.family_name NOT GLOB '*[^A-Za-z]*'
      AND EXISTS (SELECT 1 FROM person_access a JOIN users u ON u.id = a.user_id WHERE a.person_id = p.id AND u.username = 'manager')
      ORDER BY p.id LIMIT 1`)[0];
    assert.ok(secret, 'a restricted demo person');
    // Nothing is sure enough to link by itself: every candidate of 5% or more goes to the queue.
    await expect(c.admin.req('PUT', '/api/v1/config/settings', { items: { 'match.link_threshold': 1, 'match.review_threshold': 0.05 } }), 200, 'settings');
    const sex = (s) => (s === 'female' ? 'F' : s === 'male' ? 'M' : 'U');
    const data = csv([
      [ref(1), NICKNAMES[child.given_name], misspell(child.family_name), swappedDmy(child.dob), sex(child.sex)],
      [ref(2), NICKNAMES[child.given_name], child.family_name, child.dob, sex(child.sex)],
      [ref(3), child.given_name, misspell(child.family_name), child.dob, sex(child.sex)],
      [ref(4), secret.given_name, misspell(secret.family_name), secret.dob, sex(secret.sex)],
    ]);
    const r = await c.manager.req('POST', '/api/v1/imports/missing', data, { raw: true, headers: { 'content-type': 'text/csv' } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.review, 4, show(r));
    assert.equal(r.body.added, 0, show(r));
    await expect(c.admin.req('PUT', '/api/v1/config/settings', { items: { 'match.link_threshold': 0.95, 'match.review_threshold': 0.5 } }), 200, 'settings back');
  });

  it('lists the uncertain rows with their candidates, probabilities and reasons (audited)', async () => {
    const body = await expect(c.practitioner.req('GET', '/api/v1/match-reviews'), 200, 'practitioner lists');
    assert.equal(body.total, 4);
    reviews = Object.fromEntries(body.items.map((it) => [it.row.police_ref, it]));
    const r1 = reviews[ref(1)];
    assert.ok(r1, JSON.stringify(body.items.map((i) => i.row)));
    assert.equal(r1.kind, 'missing');
    assert.equal(r1.status, 'pending');
    assert.equal(r1.version, 1);
    assert.equal(r1.row_number, 2);
    assert.equal(typeof r1.import_id, 'number');
    assert.equal(r1.row.given_name, NICKNAMES[child.given_name]);
    assert.ok(r1.created_at);
    assert.equal(r1.candidates[0].person.id, child.id);
    assert.ok(r1.candidates[0].probability > 0.05);
    assert.ok(r1.candidates[0].reasons.some((x) => x.field === 'dob' && x.level === 'swapped_day_month'));
    // The restricted person is a candidate only for users named on it (not practitioner2).
    const other = await expect(c.practitioner2.req('GET', '/api/v1/match-reviews'), 200, 'practitioner2 lists');
    const o4 = other.items.find((it) => it.row.police_ref === ref(4));
    assert.ok(!o4.candidates.some((x) => x.person.id === secret.id), 'practitioner2 does not see the restricted candidate');
    const mgr = await expect(c.manager.req('GET', '/api/v1/match-reviews?status=pending'), 200);
    const r4 = mgr.items.find((it) => it.row.police_ref === ref(4));
    assert.equal(r4.candidates[0].person.id, secret.id, 'the manager sees the restricted candidate');
    const entry = rows(`SELECT detail FROM audit WHERE action = 'match_review.list' AND username = 'manager' ORDER BY seq DESC LIMIT 1`)[0];
    assert.match(entry.detail, new RegExp(`\\b${secret.id}\\b`));
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'match.queue'`)[0].n, 4);
    assertProblem(await c.analyst.req('GET', '/api/v1/match-reviews'), 403, 'analyst may not read the queue');
    assertProblem(await c.practitioner.req('GET', '/api/v1/match-reviews?status=maybe'), 400, 'bad status');
  });

  it('links a row: the episode is written against the person chosen', async () => {
    const r1 = reviews[ref(1)];
    assertProblem(await c.practitioner.req('POST', `/api/v1/match-reviews/${r1.id}/decision`,
      { version: 1, decision: 'link', person_id: child.id }), 403, 'only a manager decides');
    assert.deepEqual(fieldErrors(await c.manager.req('POST', `/api/v1/match-reviews/${r1.id}/decision`, { version: 1, decision: 'link' })), ['person_id']);
    assert.deepEqual(fieldErrors(await c.manager.req('POST', `/api/v1/match-reviews/${r1.id}/decision`,
      { decision: 'maybe', extra: 1 })).sort(), ['decision', 'extra', 'version']);
    assert.deepEqual(fieldErrors(await c.manager.req('POST', `/api/v1/match-reviews/${r1.id}/decision`,
      { version: 1, decision: 'link', person_id: 99999999 })), ['person_id']);
    assertProblem(await c.manager.req('POST', `/api/v1/match-reviews/${r1.id}/decision`,
      { version: 2, decision: 'link', person_id: child.id }), 409, 'stale version');
    assert.equal(rows(`SELECT count(*) AS n FROM missing_episodes WHERE police_ref = '${ref(1)}'`)[0].n, 0, 'nothing written yet');

    const done = await expect(c.manager.req('POST', `/api/v1/match-reviews/${r1.id}/decision`,
      { version: 1, decision: 'link', person_id: child.id }), 200, 'link');
    assert.equal(done.status, 'linked');
    assert.equal(done.person_id, child.id);
    assert.equal(done.version, 2);
    assert.equal(done.decided_by, 'manager');
    const ep = rows(`SELECT person_id FROM missing_episodes WHERE police_force = 'GMP' AND police_ref = '${ref(1)}'`);
    assert.deepEqual(ep, [{ person_id: child.id }]);
    const missing = await expect(c.manager.req('GET', `/api/v1/persons/${child.id}/missing`), 200, 'person missing');
    assert.ok(JSON.stringify(missing).includes(ref(1)), 'the episode is on the person');
    assertProblem(await c.manager.req('POST', `/api/v1/match-reviews/${r1.id}/decision`,
      { version: 2, decision: 'dismiss' }), 409, 'already decided');
    const audit = rows(`SELECT username, detail FROM audit WHERE action = 'match.decide' AND object_id = '${r1.id}'`);
    assert.deepEqual(audit, [{ username: 'manager', detail: `linked: person ${child.id}` }]);
    const pending = await expect(c.manager.req('GET', '/api/v1/match-reviews'), 200);
    assert.equal(pending.total, 3);
    assert.ok(!pending.items.some((it) => it.id === r1.id));
    const linked = await expect(c.manager.req('GET', '/api/v1/match-reviews?status=linked'), 200);
    assert.deepEqual(linked.items.map((it) => it.id), [r1.id]);
  });

  it('creates a new person from a row, and dismisses a row', async () => {
    const r2 = reviews[ref(2)];
    const before = rows('SELECT count(*) AS n FROM persons')[0].n;
    const made = await expect(c.manager.req('POST', `/api/v1/match-reviews/${r2.id}/decision`, { version: 1, decision: 'new' }), 200, 'new');
    assert.equal(made.status, 'created');
    assert.ok(made.person_id > 0 && made.person_id !== child.id);
    assert.equal(rows('SELECT count(*) AS n FROM persons')[0].n, before + 1);
    const p = rows(`SELECT given_name, family_name, dob FROM persons WHERE id = ${made.person_id}`)[0];
    assert.deepEqual(p, { given_name: NICKNAMES[child.given_name], family_name: child.family_name, dob: child.dob });
    assert.deepEqual(rows(`SELECT person_id FROM missing_episodes WHERE police_ref = '${ref(2)}'`), [{ person_id: made.person_id }]);
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'person.create' AND object_id = '${made.person_id}'`)[0].n, 1);

    const r3 = reviews[ref(3)];
    const gone = await expect(c.manager.req('POST', `/api/v1/match-reviews/${r3.id}/decision`, { version: 1, decision: 'dismiss' }), 200, 'dismiss');
    assert.equal(gone.status, 'dismissed');
    assert.equal(gone.person_id, null);
    assert.equal(rows(`SELECT count(*) AS n FROM missing_episodes WHERE police_ref = '${ref(3)}'`)[0].n, 0);
    assertProblem(await c.manager.req('POST', '/api/v1/match-reviews/99999999/decision', { version: 1, decision: 'dismiss' }), 404, 'no such review');
  });
});

describe('the noisy multi-agency demo extract', () => {
  let dir;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'safehub-extract-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  // A CSV file as arrays (the extract's quoting: "..." with "" inside).
  function parse(file) {
    const text = readFileSync(file, 'utf8');
    const out = [];
    let row = [], field = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field); out.push(row); row = []; field = ''; } else field += ch;
    }
    return out;
  }
  const objects = (table) => table.slice(1).map((r) => Object.fromEntries(table[0].map((k, i) => [k, r[i]])));

  it('writes the agency files, all.csv and the truth, with errors of each kind, deterministically', () => {
    const out = path.join(dir, 'a');
    const t0 = Date.now();
    const r = cli(['demo', 'extract', '--out', out, '--persons', '3000', '--seed', '11']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - t0 < 20000, 'quick');
    const agencies = ['police', 'school', 'health', 'social_care'];
    for (const f of [...agencies, 'all', 'truth']) assert.ok(existsSync(path.join(out, `${f}.csv`)), f);
    const head = ['id', 'agency', 'given_name', 'family_name', 'dob', 'sex', 'postcode', 'address', 'locality', 'nhs_number', 'other_id', 'true_id', 'errors'];
    const all = objects(parse(path.join(out, 'all.csv')));
    let sum = 0;
    for (const a of agencies) {
      const t = parse(path.join(out, `${a}.csv`));
      assert.deepEqual(t[0], head, a);
      assert.ok(t.length > 100, `${a} has rows`);
      assert.ok(t.slice(1).every((x) => x[1] === a && x.length === head.length), a);
      sum += t.length - 1;
    }
    assert.equal(all.length, sum, 'all.csv holds every agency row');
    assert.equal(new Set(all.map((x) => x.id)).size, all.length, 'ids are unique');
    const truth = new Map(objects(parse(path.join(out, 'truth.csv'))).map((p) => [p.true_id, p]));
    assert.equal(truth.size, 3000);
    assert.ok(all.every((x) => truth.has(x.true_id)), 'every row names a true person');
    assert.ok(new Set(all.map((x) => x.true_id)).size === 3000, 'everyone appears somewhere');
    const multi = new Map();
    for (const x of all) multi.set(x.true_id, (multi.get(x.true_id) || 0) + 1);
    assert.ok([...multi.values()].filter((n) => n > 1).length > 1000, 'many persons appear in several files');

    // Each kind of error is there, and each claim checks out against the truth.
    const iso = (x) => {
      if (/^\d{8}$/.test(x.dob)) return `${x.dob.slice(0, 4)}-${x.dob.slice(4, 6)}-${x.dob.slice(6)}`;
      const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(x.dob);
      return m ? `${m[3]}-${m[2]}-${m[1]}` : x.dob;
    };
    const count = {};
    for (const x of all) {
      const t = truth.get(x.true_id);
      const kinds = x.errors ? x.errors.split(';') : [];
      for (const k of kinds) count[k] = (count[k] || 0) + 1;
      const has = (k) => kinds.includes(k);
      if (!kinds.length) {
        assert.equal(x.given_name, t.given_name, x.id);
        assert.equal(x.family_name.toLowerCase(), t.family_name.toLowerCase(), x.id);
        assert.equal(iso(x), t.dob, x.id);
        assert.equal(x.postcode, t.postcode, x.id);
      }
      const names = has('names_swapped') ? [x.family_name, x.given_name] : [x.given_name, x.family_name];
      if (has('nickname') || has('typo_given')) assert.notEqual(names[0], t.given_name, x.id);
      if (has('typo_family') && !has('family_changed')) assert.notEqual(names[1].toLowerCase(), t.family_name.toLowerCase(), x.id);
      if (has('dob_swapped') && !has('dob_digit')) {
        const [y, m, d] = t.dob.split('-');
        assert.equal(iso(x), `${y}-${d}-${m}`, x.id);
      }
      if (has('dob_digit') && !has('dob_swapped')) {
        const a = iso(x).replace(/-/g, ''), b = t.dob.replace(/-/g, '');
        assert.equal([...a].filter((ch, i) => ch !== b[i]).length, 1, x.id);
      }
      if (has('dob_missing')) assert.equal(x.dob, '', x.id);
      if (has('sex_missing')) assert.equal(x.sex, '', x.id);
      if (has('postcode_missing')) assert.equal(x.postcode, '', x.id);
      if (has('address_missing')) assert.equal(x.address, '', x.id);
      if (has('moved') && !has('postcode_missing')) assert.notEqual(x.postcode, t.postcode, x.id);
      if (has('nhs_digit')) assert.equal([...x.nhs_number].filter((ch, i) => ch !== t.nhs_number[i]).length, 1, x.id);
      if (has('other_id_digit')) assert.equal([...x.other_id].filter((ch, i) => ch !== t.other_id[i]).length, 1, x.id);
      if (has('nhs_missing')) assert.equal(x.nhs_number, '', x.id);
    }
    for (const k of ['nickname', 'typo_given', 'typo_family', 'names_swapped', 'family_changed', 'dob_swapped', 'dob_digit',
      'dob_missing', 'sex_missing', 'moved', 'postcode_missing', 'address_missing', 'nhs_digit', 'other_id_digit',
      'nhs_missing', 'duplicate']) {
      assert.ok((count[k] || 0) >= 5, `errors of kind ${k}: ${count[k] || 0}`);
    }
    // The agencies write dates their own way.
    assert.ok(all.filter((x) => x.agency === 'police' && x.dob).every((x) => /^\d{2}\/\d{2}\/\d{4}$/.test(x.dob)));
    assert.ok(all.filter((x) => x.agency === 'health' && x.dob).every((x) => /^\d{8}$/.test(x.dob)));

    // The same seed gives the same files; another seed others.
    const again = path.join(dir, 'b');
    assert.equal(cli(['demo', 'extract', '--out', again, '--persons', '3000', '--seed', '11']).status, 0);
    for (const f of [...agencies, 'all', 'truth']) {
      assert.ok(readFileSync(path.join(out, `${f}.csv`)).equals(readFileSync(path.join(again, `${f}.csv`))), `${f} is the same`);
    }
    const other = path.join(dir, 'c');
    assert.equal(cli(['demo', 'extract', '--out', other, '--persons', '3000', '--seed', '12']).status, 0);
    assert.ok(!readFileSync(path.join(out, 'all.csv')).equals(readFileSync(path.join(other, 'all.csv'))));
  });

  it('refuses bad options', () => {
    assert.equal(cli(['demo', 'extract', '--persons', '10']).status, 2, 'no --out');
    assert.equal(cli(['demo', 'extract', '--out', path.join(dir, 'x'), '--persons', '0']).status, 2);
    assert.equal(cli(['demo', 'extract', '--out', path.join(dir, 'x'), '--persons', 'ten']).status, 2);
    assert.equal(cli(['demo', 'extract', '--out', path.join(dir, 'x'), '--seed', '-1']).status, 2);
    assert.equal(cli(['demo', 'extract', '--out', path.join(dir, 'x'), '--colour', 'red']).status, 2);
    const help = cli(['demo', 'extract', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--out DIR/);
  });
});
