// Referrals and screening decisions (docs/api-casework.md, "Referrals"): recording, reading and
// listing, the referral_decision clock (met and breached), who may decide, validation naming every
// field, optimistic concurrency, restricted persons, the audit trail, and a decision that opens a case.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, ROLES } from '../lib/server.mjs';
import { assertProblem, fieldErrors, personBody, show, sqlite } from '../lib/helpers.mjs';

let server;
const c = {}; // role (and practitioner2) -> signed-in client
before(async () => {
  server = await startServer();
  for (const u of [...ROLES, 'practitioner2']) c[u] = await signedIn(server.url, u);
});
after(async () => { if (server) await server.stop(); });

// The members of a Referral, exactly as the contract lists them.
const REFERRAL_KEYS = [
  'id', 'version', 'person_id', 'person', 'subject_type', 'subject_ref', 'received_at', 'source_code',
  'source_agency', 'referrer_name', 'referrer_contact', 'strands', 'concerns', 'consent_basis', 'status',
  'decision_due_at', 'outcome', 'rationale', 'decided_at', 'decided_by', 'decision_late', 'case_id',
  'created_at', 'created_by', 'updated_at', 'updated_by',
].sort();

const newPerson = async (who = 'practitioner', overrides = {}) => {
  const r = await c[who].req('POST', '/api/v1/persons', personBody({ given_name: 'Referral', family_name: 'Subject', ...overrides }));
  assert.equal(r.status, 201, `person as ${who}: ${show(r)}`);
  return r.body;
};
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hoursAgo = (h) => iso(Date.now() - h * 3600000);
const body = (personId, overrides = {}) => ({
  person_id: personId,
  received_at: hoursAgo(1),
  source_code: '6',
  source_agency: 'Greater Manchester Police',
  referrer_name: 'PC A. Example',
  referrer_contact: '01234 567890',
  strands: ['cse', 'missing'],
  concerns: 'Seen getting into cars with older men near the retail park.',
  consent_basis: 'Information shared under the safeguarding duty.',
  ...overrides,
});
const record = async (who, b) => {
  const r = await c[who].req('POST', '/api/v1/referrals', b);
  assert.equal(r.status, 201, `referral as ${who}: ${show(r)}`);
  return r.body;
};
const decide = (who, ref, overrides = {}) => c[who].req('POST', `/api/v1/referrals/${ref.id}/decision`, {
  version: ref.version, outcome: 'nfa', rationale: 'No exploitation indicators after checks with school and police.',
  ...overrides,
});
const q = (sql) => sqlite(server.db, sql).stdout.trim();
const clockOf = (id) => q(`SELECT status, team, datetime(started_at, 'unixepoch'), datetime(due_at, 'unixepoch'),`
  + ` coalesce(person_id, 0) FROM clocks WHERE standard = 'referral_decision' AND subject_type = 'referral'`
  + ` AND subject_id = ${id}`);
const audits = (action, id) => q(`SELECT detail FROM audit WHERE action = '${action}' AND object_type = 'referral'`
  + ` AND object_id = '${id}' ORDER BY seq`);
// 10:00 UTC on the Monday of the week two weeks before this one.
const mondayTwoWeeksAgo = () => {
  const d = new Date();
  d.setUTCHours(10, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 14);
  return iso(d.getTime());
};

describe('recording a referral', () => {
  let person, ref;
  before(async () => { person = await newPerson(); });

  it('answers 201 with a Location and the Referral of the contract', async () => {
    const b = body(person.id);
    const r = await c.practitioner.req('POST', '/api/v1/referrals', b);
    assert.equal(r.status, 201, show(r));
    ref = r.body;
    assert.equal(new URL(r.headers.get('location'), server.url).pathname, `/api/v1/referrals/${ref.id}`);
    assert.deepEqual(Object.keys(ref).sort(), REFERRAL_KEYS);
    assert.equal(ref.version, 1);
    assert.equal(ref.person_id, person.id);
    assert.deepEqual([ref.person.id, ref.person.given_name, ref.person.family_name, ref.person.dob],
      [person.id, 'Referral', 'Subject', person.dob]);
    assert.equal(ref.subject_type, 'person');
    assert.equal(ref.subject_ref, '');
    assert.equal(ref.received_at, b.received_at);
    for (const k of ['source_code', 'source_agency', 'referrer_name', 'referrer_contact', 'concerns', 'consent_basis'])
      assert.equal(ref[k], b[k], k);
    assert.deepEqual(ref.strands, ['cse', 'missing']);
    assert.equal(ref.status, 'awaiting_decision');
    for (const k of ['outcome', 'rationale', 'decided_at', 'decided_by', 'decision_late', 'case_id'])
      assert.equal(ref[k], null, `${k} is null before the decision`);
    assert.equal(ref.created_by, 'practitioner');
    assert.equal(ref.updated_by, 'practitioner');
    assert.ok(Date.parse(ref.decision_due_at) > Date.parse(ref.received_at), 'decision_due_at after received_at');
  });

  it('starts the referral_decision clock from received_at, for the recording user\'s team', async () => {
    const [status, team, started, due, pid] = clockOf(ref.id).split('|');
    assert.equal(status, 'running');
    assert.equal(team, 'Phoenix');
    assert.equal(`${started.replace(' ', 'T')}Z`, ref.received_at);
    assert.equal(`${due.replace(' ', 'T')}Z`, ref.decision_due_at, 'decision_due_at is the clock\'s due time');
    assert.equal(Number(pid), person.id);
  });

  it('times the decision in working days: received 16:00 on Christmas Eve 2025 is due by the end of Monday 29 December', async () => {
    const r = await record('practitioner', body(person.id, { received_at: '2025-12-24T16:00:00Z' }));
    assert.equal(r.decision_due_at, '2025-12-29T23:59:59Z');
    const fri = await record('practitioner', body(person.id, { received_at: '2025-11-14T16:00:00Z' }));
    assert.equal(fri.decision_due_at, '2025-11-17T23:59:59Z', 'a Friday referral is due by the end of Monday');
  });

  it('is audited as referral.create', async () => {
    assert.equal(audits('referral.create', ref.id).split('\n').length, 1);
  });

  it('records a referral about a peer group or a location by reference', async () => {
    const r = await record('police_intel', body(undefined, { subject_type: 'location', subject_ref: 'Car park behind the Merseyway shops' }));
    assert.equal(r.person_id, null);
    assert.equal(r.person, null);
    assert.equal(r.subject_type, 'location');
    assert.equal(r.subject_ref, 'Car park behind the Merseyway shops');
    assert.equal(clockOf(r.id).split('|')[1], 'Complex Safeguarding', 'the clock belongs to the recorder\'s team');
    const g = await record('manager', body(null, { subject_type: 'peer_group', subject_ref: 'Year 10 group at the skate park' }));
    assert.equal(g.subject_type, 'peer_group');
  });

  it('names every bad field in one 422 and changes nothing', async () => {
    const before = q('SELECT count(*) FROM referrals');
    let r = await c.practitioner.req('POST', '/api/v1/referrals', {});
    let f = fieldErrors(r, 'empty body');
    for (const k of ['person_id', 'received_at', 'source_code', 'strands', 'concerns'])
      assert.ok(f.includes(k), `${k} named in ${f}`);
    r = await c.practitioner.req('POST', '/api/v1/referrals', body(person.id, {
      received_at: iso(Date.now() + 2 * 86400000), source_code: 'zz', strands: ['cse', 'not_a_strand', 'cse'],
      concerns: '   ', referrer_name: 'x'.repeat(201), consent_basis: 'y'.repeat(1001), colour: 'blue',
    }));
    f = fieldErrors(r, 'bad values');
    for (const k of ['received_at', 'source_code', 'strands[1]', 'strands[2]', 'concerns', 'referrer_name', 'consent_basis', 'colour'])
      assert.ok(f.includes(k), `${k} named in ${f}`);
    r = await c.practitioner.req('POST', '/api/v1/referrals', body(person.id, { received_at: 'yesterday', strands: [], concerns: 'z'.repeat(10001) }));
    f = fieldErrors(r, 'bad time, no strands, long concerns');
    for (const k of ['received_at', 'strands', 'concerns']) assert.ok(f.includes(k), `${k} named in ${f}`);
    r = await c.practitioner.req('POST', '/api/v1/referrals', body(99999999));
    assert.deepEqual(fieldErrors(r, 'unknown person'), ['person_id']);
    r = await c.practitioner.req('POST', '/api/v1/referrals', body(person.id, { subject_type: 'planet' }));
    assert.ok(fieldErrors(r, 'bad subject_type').includes('subject_type'));
    r = await c.practitioner.req('POST', '/api/v1/referrals', body(person.id, { subject_type: 'peer_group' }));
    f = fieldErrors(r, 'peer group with a person and no subject_ref');
    assert.ok(f.includes('person_id') && f.includes('subject_ref'), String(f));
    r = await c.practitioner.req('POST', '/api/v1/referrals', body(person.id, { subject_ref: 'somewhere' }));
    assert.deepEqual(fieldErrors(r, 'subject_ref on a person'), ['subject_ref']);
    r = await c.practitioner.req('POST', '/api/v1/referrals', body('42'));
    assert.deepEqual(fieldErrors(r, 'person_id as a string'), ['person_id']);
    assert.equal(q('SELECT count(*) FROM referrals'), before, 'nothing stored');
  });

  it('may be recorded by a manager, practitioner or police_intel, not by an analyst, board or admin', async () => {
    for (const who of ['analyst', 'board', 'admin']) {
      const r = await c[who].req('POST', '/api/v1/referrals', body(person.id));
      assertProblem(r, 403, who);
    }
  });
});

describe('reading and listing referrals', () => {
  let person, older, newer;
  before(async () => {
    person = await newPerson();
    newer = await record('practitioner', body(person.id, { received_at: hoursAgo(2) }));
    older = await record('practitioner', body(person.id, { received_at: hoursAgo(30) }));
  });

  it('GET answers the Referral, audited as referral.view, for every role with case.read', async () => {
    for (const who of ['manager', 'practitioner', 'police_intel', 'analyst']) {
      const r = await c[who].req('GET', `/api/v1/referrals/${older.id}`);
      assert.equal(r.status, 200, `${who}: ${show(r)}`);
      assert.deepEqual(r.body, older);
    }
    assert.ok(Number(q(`SELECT count(*) FROM audit WHERE action = 'referral.view' AND object_id = '${older.id}'`)) >= 4);
    assertProblem(await c.board.req('GET', `/api/v1/referrals/${older.id}`), 403, 'board');
    assertProblem(await c.manager.req('GET', '/api/v1/referrals/99999999'), 404, 'missing');
    assertProblem(await c.manager.req('GET', '/api/v1/referrals/abc'), 404, 'not an id');
  });

  it('lists a person\'s referrals oldest first with the total', async () => {
    const r = await c.analyst.req('GET', `/api/v1/referrals?person_id=${person.id}`);
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.body.items.map((x) => x.id), [older.id, newer.id]);
    assert.equal(r.body.total, 2);
    assert.deepEqual(Object.keys(r.body.items[0]).sort(), REFERRAL_KEYS);
    const page = await c.analyst.req('GET', `/api/v1/referrals?person_id=${person.id}&limit=1&offset=1`);
    assert.deepEqual(page.body.items.map((x) => x.id), [newer.id]);
    assert.equal(page.body.total, 2);
  });

  it('filters by status, oldest received first', async () => {
    const r = await c.manager.req('GET', '/api/v1/referrals?status=awaiting_decision&limit=100');
    assert.equal(r.status, 200, show(r));
    assert.ok(r.body.items.every((x) => x.status === 'awaiting_decision'));
    const times = r.body.items.map((x) => Date.parse(x.received_at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
    assert.ok(r.body.items.some((x) => x.id === older.id));
  });

  it('refuses bad query parameters with 400', async () => {
    for (const qs of ['status=lost', 'person_id=abc', 'person_id=0', 'limit=0', 'limit=101', 'offset=-1']) {
      const r = await c.manager.req('GET', `/api/v1/referrals?${qs}`);
      assertProblem(r, 400, qs);
    }
    assertProblem(await c.manager.req('GET', '/api/v1/referrals?person_id=99999999'), 404, 'unknown person');
  });
});

describe('restricted persons', () => {
  let secret, ref;
  before(async () => {
    secret = await newPerson('practitioner', { restricted: true, restricted_to: ['practitioner'] });
    ref = await record('practitioner', body(secret.id));
  });

  it('a named user reads the referral and sees it in lists', async () => {
    assert.equal((await c.practitioner.req('GET', `/api/v1/referrals/${ref.id}`)).status, 200);
    const r = await c.practitioner.req('GET', '/api/v1/referrals?status=awaiting_decision&limit=100');
    assert.ok(r.body.items.some((x) => x.id === ref.id), 'listed for a named user');
  });

  it('anyone else gets 403 on it, may not record or decide one, and never sees it in lists', async () => {
    for (const who of ['practitioner2', 'manager', 'analyst', 'police_intel']) {
      assertProblem(await c[who].req('GET', `/api/v1/referrals/${ref.id}`), 403, `${who} GET`);
      assertProblem(await c[who].req('GET', `/api/v1/referrals?person_id=${secret.id}`), 403, `${who} list by person`);
      let all = [];
      for (let offset = 0; ; offset += 100) {
        const r = await c[who].req('GET', `/api/v1/referrals?limit=100&offset=${offset}`);
        assert.equal(r.status, 200, show(r));
        all = all.concat(r.body.items);
        if (r.body.items.length < 100) break;
      }
      assert.ok(!all.some((x) => x.id === ref.id || x.person_id === secret.id), `${who}: not listed`);
    }
    assertProblem(await c.practitioner2.req('POST', '/api/v1/referrals', body(secret.id)), 403, 'record');
    const r = await decide('manager', ref);
    assertProblem(r, 403, 'decide');
    assert.equal(q(`SELECT status FROM referrals WHERE id = ${ref.id}`), 'awaiting_decision');
    assert.ok(Number(q(`SELECT count(*) FROM audit WHERE action = 'person.denied' AND object_id = '${secret.id}'`)) > 0,
      'refusals are audited');
  });
});

describe('screening decisions', () => {
  let person;
  before(async () => { person = await newPerson(); });

  it('a practitioner (or anyone but a manager) cannot decide: 403, nothing changed', async () => {
    const ref = await record('practitioner', body(person.id));
    for (const who of ['practitioner', 'police_intel', 'analyst', 'admin']) assertProblem(await decide(who, ref), 403, who);
    const r = await c.manager.req('GET', `/api/v1/referrals/${ref.id}`);
    assert.equal(r.body.status, 'awaiting_decision');
    assert.equal(r.body.version, 1);
  });

  it('a decision without a rationale is refused naming rationale; every bad field is named', async () => {
    const ref = await record('practitioner', body(person.id));
    let r = await decide('manager', ref, { rationale: undefined });
    assert.deepEqual(fieldErrors(r, 'no rationale'), ['rationale']);
    r = await decide('manager', ref, { rationale: '  ' });
    assert.deepEqual(fieldErrors(r, 'blank rationale'), ['rationale']);
    r = await c.manager.req('POST', `/api/v1/referrals/${ref.id}/decision`, {});
    const f = fieldErrors(r, 'empty');
    for (const k of ['version', 'outcome', 'rationale']) assert.ok(f.includes(k), `${k} in ${f}`);
    r = await decide('manager', ref, {
      outcome: 'maybe', rationale: 'r'.repeat(10001), decided_at: iso(Date.now() + 86400000), colour: 1,
    });
    const g = fieldErrors(r, 'bad values');
    for (const k of ['outcome', 'rationale', 'decided_at', 'colour']) assert.ok(g.includes(k), `${k} in ${g}`);
    r = await decide('manager', ref, { decided_at: iso(Date.parse(ref.received_at) - 60000) });
    assert.deepEqual(fieldErrors(r, 'decided before received'), ['decided_at']);
    r = await decide('manager', ref, { team: 'Phoenix' });
    assert.deepEqual(fieldErrors(r, 'team on an outcome that opens no case'), ['team']);
    r = await decide('manager', ref, { outcome: 'allocate' });
    assert.deepEqual(fieldErrors(r, 'allocate without a team'), ['team']);
    r = await decide('manager', ref, { outcome: 'allocate', team: 'Phoenix', worker: 'practitioner2' });
    assert.deepEqual(fieldErrors(r, 'a worker from another team'), ['worker']);
    r = await decide('manager', ref, { outcome: 'allocate', team: 'Phoenix', worker: 'analyst' });
    assert.deepEqual(fieldErrors(r, 'a worker who cannot hold cases'), ['worker']);
    const now = await c.manager.req('GET', `/api/v1/referrals/${ref.id}`);
    assert.equal(now.body.status, 'awaiting_decision', 'nothing changed');
    assert.equal(clockOf(ref.id).split('|')[0], 'running', 'the clock still runs');
  });

  it('a decision in time stops the clock as met: decision_late false', async () => {
    const ref = await record('practitioner', body(person.id, { received_at: hoursAgo(1) }));
    const r = await decide('manager', ref, { outcome: 'advice' });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(Object.keys(r.body).sort(), REFERRAL_KEYS);
    assert.equal(r.body.status, 'decided');
    assert.equal(r.body.outcome, 'advice');
    assert.equal(r.body.rationale, 'No exploitation indicators after checks with school and police.');
    assert.equal(r.body.decided_by, 'manager');
    assert.ok(Math.abs(Date.parse(r.body.decided_at) - Date.now()) < 120000, 'decided_at defaults to now');
    assert.equal(r.body.decision_late, false);
    assert.equal(r.body.case_id, null);
    assert.equal(r.body.version, 2);
    assert.equal(r.body.updated_by, 'manager');
    assert.equal(clockOf(ref.id).split('|')[0], 'met');
    assert.match(audits('referral.decide', ref.id), /outcome advice; in time/);
    assert.ok(!audits('referral.decide', ref.id).includes('exploitation'), 'the rationale is not in the audit trail');
    const again = await c.analyst.req('GET', `/api/v1/referrals/${ref.id}`);
    assert.deepEqual(again.body, r.body, 'the stored decision reads back the same');
  });

  it('a decision recorded 2 working days late is a breach of the referral standard', async () => {
    // Received Monday 10 November 2025 at 10:00: due by the end of Tuesday 11 November.
    const late = await record('practitioner', body(person.id, { received_at: '2025-11-10T10:00:00Z' }));
    assert.equal(late.decision_due_at, '2025-11-11T23:59:59Z');
    // Decided on Thursday 13 November: two working days (Wednesday, Thursday) after the due day.
    let r = await decide('manager', late, { outcome: 'early_help', decided_at: '2025-11-13T10:00:00Z' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.decision_late, true);
    assert.equal(r.body.decided_at, '2025-11-13T10:00:00Z');
    assert.equal(clockOf(late.id).split('|')[0], 'breached');
    assert.match(audits('referral.decide', late.id), /outcome early_help; late/);
    // The same referral decided on the due day would have been met.
    const onTime = await record('practitioner', body(person.id, { received_at: '2025-11-10T10:00:00Z' }));
    r = await decide('manager', onTime, { decided_at: '2025-11-11T16:00:00Z' });
    assert.equal(r.body.decision_late, false);
    assert.equal(clockOf(onTime.id).split('|')[0], 'met');
  });

  it('a referral received on a Monday two weeks ago and decided now is late', async () => {
    const ref = await record('practitioner', body(person.id, { received_at: mondayTwoWeeksAgo() }));
    const r = await decide('manager', ref);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.decision_late, true);
    assert.equal(clockOf(ref.id).split('|')[0], 'breached');
    const breaches = q(`SELECT count(*) FROM clocks WHERE standard = 'referral_decision' AND status = 'breached' AND subject_id = ${ref.id}`);
    assert.equal(breaches, '1', 'counted once as a breach');
  });

  it('a stale version gets 409 and changes nothing; a decided referral cannot be decided again (409)', async () => {
    const ref = await record('practitioner', body(person.id));
    let r = await decide('manager', ref, { version: ref.version + 1 });
    assertProblem(r, 409, 'stale');
    assert.equal(q(`SELECT status || ' ' || version FROM referrals WHERE id = ${ref.id}`), 'awaiting_decision 1');
    assert.equal(clockOf(ref.id).split('|')[0], 'running', 'clock untouched');
    r = await decide('manager', ref);
    assert.equal(r.status, 200, show(r));
    const decided = r.body;
    r = await decide('manager', decided, { outcome: 'advice' });
    assertProblem(r, 409, 'decided again');
    r = await decide('manager', ref, { outcome: 'advice' });
    assertProblem(r, 409, 'decided again with the old version');
    const now = await c.manager.req('GET', `/api/v1/referrals/${ref.id}`);
    assert.deepEqual(now.body, decided, 'the first decision stands');
    assert.equal(audits('referral.decide', ref.id).split('\n').length, 1);
  });

  it('an outcome that opens a case needs a person: a location referral cannot be allocated', async () => {
    const ref = await record('police_intel', body(undefined, { subject_type: 'location', subject_ref: 'Hotel on the ring road' }));
    const r = await decide('manager', ref, { outcome: 'allocate', team: 'Phoenix' });
    assert.ok(fieldErrors(r, 'allocate a location').includes('outcome'));
  });

  it('unknown referral: 404', async () => {
    assertProblem(await decide('manager', { id: 99999999, version: 1 }), 404, 'missing');
  });
});

// Last: this path runs through casework_open_case (the cases slice).
describe('a decision that opens a case', () => {
  let person, ref, decided;
  before(async () => {
    person = await newPerson('practitioner', { dob: '2011-03-02' });
    ref = await record('practitioner', body(person.id, { strands: ['cce', 'missing'] }));
  });

  it('allocate to the hub opens a case for the team and worker and stores case_id', async () => {
    const r = await decide('manager', ref, { outcome: 'allocate', team: 'Phoenix', worker: 'practitioner' });
    assert.equal(r.status, 200, show(r));
    decided = r.body;
    assert.ok(Number.isInteger(decided.case_id) && decided.case_id > 0, `case_id: ${decided.case_id}`);
    assert.equal(decided.decision_late, false);
    const [pid, refId, status, team, worker, strands] = q(`SELECT c.person_id, c.referral_id, c.status, c.team,`
      + ` u.username, c.strands FROM cases c LEFT JOIN users u ON u.id = c.worker_id WHERE c.id = ${decided.case_id}`).split('|');
    assert.deepEqual([Number(pid), Number(refId), status, team, worker], [person.id, ref.id, 'open', 'Phoenix', 'practitioner']);
    assert.deepEqual(JSON.parse(strands), ['cce', 'missing']);
    assert.match(audits('referral.decide', ref.id), /outcome allocate; in time/);
  });

  it('the case\'s clocks run from the decision time', async () => {
    const rows = q(`SELECT standard, status, started_at FROM clocks WHERE subject_type = 'case'`
      + ` AND subject_id = ${decided.case_id} ORDER BY standard`).split('\n').map((l) => l.split('|'));
    const running = new Map(rows.map(([s, st, at]) => [s, { st, at: Number(at) }]));
    for (const s of ['first_assessment', 'first_ptac']) {
      assert.equal(running.get(s)?.st, 'running', `${s} running: ${JSON.stringify(rows)}`);
      assert.equal(running.get(s).at, Date.parse(decided.decided_at) / 1000, `${s} starts at decided_at`);
    }
  });
});
