// Cases (docs/api-casework.md, "Cases"): a case opened by a screening decision and its clocks as
// tasks, the list and its filters, restricted persons, the team rule, optimistic concurrency,
// contacts and the high-risk visit clock, notes with the child's voice, supervision, flags,
// feedback, the transition plan, allocation and closure. Every case here is opened the real way:
// a referral, then a manager's decision "allocate".
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, cli } from '../lib/server.mjs';
import { assertProblem, fieldErrors, personBody, show, sqlite, waitFor } from '../lib/helpers.mjs';

let server;
const c = {}; // username -> signed-in client
before(async () => {
  server = await startServer();
  for (const u of ['admin', 'manager', 'practitioner', 'practitioner2', 'analyst', 'police_intel']) {
    c[u] = await signedIn(server.url, u);
  }
});
after(async () => { if (server) await server.stop(); });

// ---- dates, as the hub's calendar (Europe/London) reads them ------------------------------

const pad = (n) => String(n).padStart(2, '0');
const rfc = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hoursAgo = (h) => rfc(Date.now() - h * 3600000);

// The London calendar date (YYYY-MM-DD) at an instant.
function londonDate(ms = Date.now()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(ms));
}

// 23:59:59 London time on date ymd, as RFC 3339 UTC (an hour earlier in UTC under BST).
function endOfDay(ymd) {
  const probe = new Date(`${ymd}T22:30:00Z`); // after any change of the clocks that day
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' })
    .format(probe));
  const offset = (hour - 22 + 24) % 24; // 0 (GMT) or 1 (BST)
  return rfc(Date.parse(`${ymd}T23:59:59Z`) - offset * 3600000);
}

// ymd plus n calendar months, the day clamped to the end of a shorter month.
function addMonths(ymd, n) {
  let [y, m, d] = ymd.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  y = Math.floor(idx / 12);
  m = (idx % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${pad(m)}-${pad(Math.min(d, last))}`;
}

function addDays(ymd, n) {
  return new Date(Date.parse(`${ymd}T12:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
}

// ---- opening cases the real way ----------------------------------------------------------

// Record a person and a referral, and decide it "allocate". Returns {person, referral, caseId}.
async function openCase({
  decidedAt, receivedAt, person = {}, team = 'Phoenix', worker = 'practitioner', strands = ['cse'], by = 'practitioner',
} = {}) {
  const per = await c[by].req('POST', '/api/v1/persons', personBody(person));
  assert.equal(per.status, 201, `person: ${show(per)}`);
  const decided = decidedAt ?? hoursAgo(1);
  const received = receivedAt ?? rfc(Date.parse(decided) - 18 * 3600000);
  const ref = await c[by].req('POST', '/api/v1/referrals', {
    person_id: per.body.id, received_at: received, source_code: '6', strands, concerns: 'Seen getting into cars after school.',
  });
  assert.equal(ref.status, 201, `referral: ${show(ref)}`);
  const body = { version: ref.body.version, outcome: 'allocate', rationale: 'Exploitation indicators: needs the hub.', decided_at: decided, team };
  if (worker) body.worker = worker;
  const dec = await c.manager.req('POST', `/api/v1/referrals/${ref.body.id}/decision`, body);
  assert.equal(dec.status, 200, `decision: ${show(dec)}`);
  assert.ok(Number.isInteger(dec.body.case_id) && dec.body.case_id > 0, `case_id: ${show(dec)}`);
  return { person: per.body, referral: dec.body, caseId: dec.body.case_id };
}

const getCase = async (id, who = 'practitioner') => {
  const r = await c[who].req('GET', `/api/v1/cases/${id}`);
  assert.equal(r.status, 200, `GET case ${id} as ${who}: ${show(r)}`);
  return r.body;
};
const clock = (kase, standard) => kase.clocks.find((k) => k.standard === standard);
const auditActions = (id) => sqlite(server.db,
  `SELECT action FROM audit WHERE object_type = 'case' AND object_id = '${Number(id)}' ORDER BY seq`)
  .stdout.trim().split('\n').filter(Boolean);

// ---- the case and its clocks -------------------------------------------------------------

describe('a case opened by a decision', () => {
  it('exists after allocation, with its first allocation, and its clocks are running tasks with the right due times', async () => {
    // Tuesday 10 November 2026, 10:00 GMT. 5 working days: Wed 11 ... Tue 17; 10: ... Tue 24.
    const { person, referral, caseId } = await openCase({ decidedAt: '2026-11-10T10:00:00Z', person: { dob: '2010-05-17' } });
    const k = await getCase(caseId);
    assert.equal(k.id, caseId);
    assert.equal(k.version, 1);
    assert.equal(k.status, 'open');
    assert.equal(k.person_id, person.id);
    assert.equal(k.person.id, person.id);
    assert.equal(k.person.given_name, person.given_name);
    assert.equal(k.referral_id, referral.id);
    assert.equal(k.team, 'Phoenix');
    assert.deepEqual(k.worker, { username: 'practitioner', display_name: 'Pat Practitioner' });
    assert.deepEqual(k.strands, ['cse']);
    assert.equal(k.risk_level, null);
    assert.equal(k.opened_at, '2026-11-10T10:00:00Z');
    assert.equal(k.closed_at, null);
    assert.equal(k.created_by, 'manager');
    assert.equal(k.allocations.length, 1);
    assert.equal(k.allocations[0].team, 'Phoenix');
    assert.equal(k.allocations[0].worker.username, 'practitioner');
    assert.equal(k.allocations[0].from_at, '2026-11-10T10:00:00Z');
    assert.equal(k.allocations[0].by, 'manager');
    for (const list of ['contacts', 'notes', 'supervisions', 'flags', 'feedback']) assert.deepEqual(k[list], [], list);

    const due = Object.fromEntries(k.clocks.map((t) => [t.standard, t.due_at]));
    assert.deepEqual(due, {
      first_assessment: '2026-11-17T23:59:59Z',
      first_ptac: '2026-11-24T23:59:59Z',
      supervision: '2026-12-08T23:59:59Z', // 28 days
      transition_plan: '2027-11-17T23:59:59Z', // 17 years 6 months after 17 May 2010
    });
    const t = clock(k, 'first_assessment');
    assert.equal(t.name, 'First risk assessment');
    assert.equal(t.subject_type, 'case');
    assert.equal(t.subject_id, caseId);
    assert.equal(t.case_id, caseId);
    assert.deepEqual(t.person, { id: person.id, given_name: person.given_name, family_name: person.family_name });
    assert.equal(t.team, 'Phoenix');
    assert.equal(t.worker.username, 'practitioner');
    assert.equal(t.started_at, '2026-11-10T10:00:00Z');
    assert.equal(t.overdue, Date.now() > Date.parse(t.due_at));
    assert.equal(t.link, `/cases/${caseId}`);
    assert.ok(Number.isInteger(t.id));
  });

  it('counts working days across a bank holiday and ends them at 23:59:59 London summer time', async () => {
    // Tuesday 19 May 2026, 10:00 BST; Monday 25 May is the spring bank holiday.
    const { caseId } = await openCase({ decidedAt: '2026-05-19T09:00:00Z' });
    const k = await getCase(caseId);
    assert.equal(clock(k, 'first_assessment').due_at, '2026-05-27T22:59:59Z'); // Wed 20, Thu, Fri, Tue 26, Wed 27
    assert.equal(clock(k, 'first_ptac').due_at, '2026-06-03T22:59:59Z'); // ... Thu 28, Fri 29, Mon 1, Tue 2, Wed 3 June
    assert.equal(clock(k, 'supervision').due_at, '2026-06-16T22:59:59Z');
  });

  it('starts a transition plan clock only for a young person under 17 years 6 months', async () => {
    const older = await openCase({ decidedAt: '2026-11-10T10:00:00Z', person: { dob: '2009-05-10' } }); // 17½ that day
    assert.equal(clock(await getCase(older.caseId), 'transition_plan'), undefined);
    const unknown = await openCase({ decidedAt: '2026-11-10T10:00:00Z', person: { dob: undefined } });
    assert.equal(clock(await getCase(unknown.caseId), 'transition_plan'), undefined);
    const younger = await openCase({ decidedAt: '2026-11-10T10:00:00Z', person: { dob: '2009-05-11' } });
    assert.equal(clock(await getCase(younger.caseId), 'transition_plan').due_at, '2026-11-11T23:59:59Z');
  });

  it('is audited: case.open at the decision, case.view on every read', async () => {
    const { caseId } = await openCase();
    await getCase(caseId);
    const actions = auditActions(caseId);
    assert.equal(actions[0], 'case.open');
    assert.ok(actions.includes('case.view'), actions.join());
  });

  it('answers 404 for a case that does not exist', async () => {
    assertProblem(await c.practitioner.req('GET', '/api/v1/cases/999999999'), 404, 'GET');
    assertProblem(await c.practitioner.req('GET', '/api/v1/cases/abc'), 404, 'GET non-numeric');
    assertProblem(await c.practitioner.req('POST', '/api/v1/cases/999999999/notes', { note: 'x' }), 404, 'POST note');
  });
});

// ---- the list ----------------------------------------------------------------------------

describe('the case list', () => {
  let mine, theirs, closed;
  before(async () => {
    mine = await openCase();
    theirs = await openCase({ team: 'Missing from Home', worker: 'practitioner2', by: 'practitioner2' });
    closed = await openCase();
    const k = await getCase(closed.caseId, 'manager');
    const r = await c.manager.req('POST', `/api/v1/cases/${closed.caseId}/closure`, { version: k.version, reason: 'moved_away' });
    assert.equal(r.status, 200, show(r));
  });

  const list = async (query, who = 'practitioner') => {
    const r = await c[who].req('GET', `/api/v1/cases?${new URLSearchParams(query)}`);
    assert.equal(r.status, 200, `${JSON.stringify(query)}: ${show(r)}`);
    return r.body;
  };
  const ids = (res) => res.items.map((k) => k.id);

  it('filters by status, team, worker and person, without the lists', async () => {
    const open = await list({ status: 'open', limit: 100 });
    assert.ok(ids(open).includes(mine.caseId));
    assert.ok(!ids(open).includes(closed.caseId));
    assert.ok(open.items.every((k) => k.status === 'open'));
    const shut = await list({ status: 'closed', limit: 100 });
    assert.ok(ids(shut).includes(closed.caseId));
    assert.ok(shut.items.every((k) => k.status === 'closed'));
    const team = await list({ team: 'Missing from Home', limit: 100 });
    assert.ok(ids(team).includes(theirs.caseId));
    assert.ok(team.items.every((k) => k.team === 'Missing from Home'));
    const worker = await list({ worker: 'practitioner2', status: 'open', limit: 100 });
    assert.ok(ids(worker).includes(theirs.caseId));
    assert.ok(worker.items.every((k) => k.worker.username === 'practitioner2'));
    const byPerson = await list({ person_id: mine.person.id });
    assert.deepEqual(ids(byPerson), [mine.caseId]);
    assert.equal(byPerson.total, 1);
    const k = byPerson.items[0];
    assert.equal(k.person.family_name, mine.person.family_name);
    for (const l of ['allocations', 'contacts', 'notes', 'clocks']) assert.equal(k[l], undefined, l);
    assert.deepEqual(await list({ worker: 'nobody-at-all' }), { items: [], total: 0, limit: 20, offset: 0 });
  });

  it('pages with limit and offset and counts the total', async () => {
    const all = await list({ limit: 100 });
    assert.ok(all.total >= 3);
    const one = await list({ limit: 1, offset: 1 });
    assert.equal(one.items.length, 1);
    assert.equal(one.total, all.total);
    assert.equal(one.items[0].id, all.items[1].id);
    assert.equal(one.limit, 1);
    assert.equal(one.offset, 1);
  });

  it('refuses bad parameters with 400', async () => {
    for (const q of ['status=pending', 'person_id=abc', 'person_id=-3', 'limit=0', 'limit=101', 'offset=-1']) {
      assertProblem(await c.practitioner.req('GET', `/api/v1/cases?${q}`), 400, q);
    }
  });

  it('is audited as case.list', async () => {
    await list({ status: 'open' }, 'analyst');
    const rows = sqlite(server.db, "SELECT username FROM audit WHERE action = 'case.list' ORDER BY seq DESC LIMIT 1").stdout.trim();
    assert.equal(rows, 'analyst');
  });
});

// ---- who may read and change --------------------------------------------------------------

describe('who may read and change a case', () => {
  it('everyone with case.read reads; a practitioner of another team may not change it; a manager may', async () => {
    const { caseId } = await openCase();
    for (const who of ['manager', 'practitioner', 'practitioner2', 'analyst', 'police_intel']) await getCase(caseId, who);
    assertProblem(await c.admin.req('GET', `/api/v1/cases/${caseId}`), 403, 'admin has no case.read');
    const k = await getCase(caseId);
    assertProblem(await c.practitioner2.req('PUT', `/api/v1/cases/${caseId}`, { version: k.version, strands: ['cce'] }), 403,
      'other team PUT');
    assertProblem(await c.practitioner2.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'Not my case.' }), 403,
      'other team note');
    assertProblem(await c.analyst.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'x' }), 403, 'analyst note');
    assertProblem(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/supervisions`,
      { held_at: hoursAgo(1), decisions: 'x' }), 403, 'practitioner supervision');
    assertProblem(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/allocation`,
      { version: k.version, team: 'Phoenix' }), 403, 'practitioner allocation');
    assertProblem(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/closure`,
      { version: k.version, reason: 'other' }), 403, 'practitioner closure');
    const after403 = await getCase(caseId);
    assert.equal(after403.version, k.version);
    assert.deepEqual(after403.notes, []);
    // A refusal is audited by the writer thread, outside the refused request's transaction.
    assert.ok(await waitFor(() => auditActions(caseId).includes('case.denied')), 'case.denied audited');
    const r = await c.manager.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'Manager oversight.' });
    assert.equal(r.status, 201, show(r));
  });

  it('keeps a restricted person\'s case from everyone not named: 403, and out of the list', async () => {
    const { caseId, person } = await openCase({ person: { restricted: true, restricted_to: ['manager'] } });
    await getCase(caseId, 'practitioner');
    await getCase(caseId, 'manager');
    for (const who of ['practitioner2', 'analyst', 'police_intel']) {
      assertProblem(await c[who].req('GET', `/api/v1/cases/${caseId}`), 403, `${who} GET`);
      const r = await c[who].req('GET', `/api/v1/cases?person_id=${person.id}`);
      assert.equal(r.status, 200, show(r));
      assert.deepEqual(r.body.items, [], `${who} list`);
      assert.equal(r.body.total, 0);
      const all = await c[who].req('GET', '/api/v1/cases?limit=100&status=open');
      assert.ok(!all.body.items.some((k) => k.id === caseId), `${who} full list`);
    }
    const listed = await c.practitioner.req('GET', `/api/v1/cases?person_id=${person.id}`);
    assert.deepEqual(listed.body.items.map((k) => k.id), [caseId]);
  });
});

// ---- concurrency ---------------------------------------------------------------------------

describe('concurrent edits', () => {
  it('two users read version N and both PUT: the second gets 409 and the first\'s change is kept', async () => {
    const { caseId } = await openCase();
    const a = await getCase(caseId, 'practitioner');
    const b = await getCase(caseId, 'manager');
    assert.equal(a.version, b.version);
    const first = await c.practitioner.req('PUT', `/api/v1/cases/${caseId}`, { version: a.version, strands: ['cse', 'missing'] });
    assert.equal(first.status, 200, show(first));
    assert.equal(first.body.version, a.version + 1);
    assert.deepEqual(first.body.strands, ['cse', 'missing']);
    const second = await c.manager.req('PUT', `/api/v1/cases/${caseId}`, { version: b.version, strands: ['cce'] });
    assertProblem(second, 409, 'stale PUT');
    const now = await getCase(caseId);
    assert.deepEqual(now.strands, ['cse', 'missing'], 'the first change is there');
    assert.equal(now.version, a.version + 1, 'the stale one changed nothing');
    assert.equal(now.updated_by, 'practitioner');
  });

  it('two PUTs racing from the same version: exactly one wins, and its change is what is stored', async () => {
    const { caseId } = await openCase();
    for (let round = 0; round < 5; round++) {
      const { version } = await getCase(caseId);
      const bodies = [{ version, strands: ['cce'] }, { version, strands: ['ocg', 'mst'] }];
      const [r1, r2] = await Promise.all([
        c.practitioner.req('PUT', `/api/v1/cases/${caseId}`, bodies[0]),
        c.manager.req('PUT', `/api/v1/cases/${caseId}`, bodies[1]),
      ]);
      assert.deepEqual([r1.status, r2.status].sort(), [200, 409], `${show(r1)} / ${show(r2)}`);
      const winner = r1.status === 200 ? bodies[0] : bodies[1];
      const now = await getCase(caseId);
      assert.equal(now.version, version + 1);
      assert.deepEqual(now.strands, winner.strands);
    }
  });

  it('stale allocation, transition plan and closure change nothing; adding a note needs no version and loses nothing', async () => {
    const { caseId } = await openCase();
    const k = await getCase(caseId, 'manager');
    const note = await c.manager.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'Spoke to school.' });
    assert.equal(note.status, 201, show(note));
    const put = await c.practitioner.req('PUT', `/api/v1/cases/${caseId}`, { version: k.version, strands: ['cce'] });
    assert.equal(put.status, 200, `a note does not make the case stale: ${show(put)}`);
    const stale = k.version;
    assertProblem(await c.manager.req('POST', `/api/v1/cases/${caseId}/allocation`, { version: stale, team: 'Missing from Home' }), 409, 'allocation');
    assertProblem(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/transition-plan`, { version: stale, plan: 'x' }), 409, 'plan');
    assertProblem(await c.manager.req('POST', `/api/v1/cases/${caseId}/closure`, { version: stale, reason: 'other' }), 409, 'closure');
    const now = await getCase(caseId);
    assert.equal(now.version, stale + 1);
    assert.equal(now.status, 'open');
    assert.equal(now.team, 'Phoenix');
    assert.equal(now.transition_plan, null);
    assert.equal(now.allocations.length, 1);
    assert.deepEqual(now.strands, ['cce']);
    assert.equal(now.notes.length, 1);
    assert.equal(now.notes[0].note, 'Spoke to school.');
  });
});

// ---- changes on a case ---------------------------------------------------------------------

describe('PUT strands', () => {
  it('validates every field in one 422 and changes nothing', async () => {
    const { caseId } = await openCase();
    const k = await getCase(caseId);
    const bad = async (body, want) => {
      const r = await c.practitioner.req('PUT', `/api/v1/cases/${caseId}`, body);
      assert.deepEqual(fieldErrors(r, JSON.stringify(body)).sort(), want.sort());
    };
    await bad({ strands: ['cse'] }, ['version']);
    await bad({ version: k.version, strands: [] }, ['strands']);
    await bad({ version: k.version }, ['strands']);
    await bad({ version: k.version, strands: ['cse', 'bogus', 'cse'] }, ['strands[1]', 'strands[2]']);
    await bad({ version: k.version, strands: 'cse', team: 'Phoenix' }, ['strands', 'team']);
    assert.equal((await getCase(caseId)).version, k.version);
  });
});

describe('contacts and the high-risk visit clock', () => {
  it('records a contact; once rated high, a child seen stops and restarts high_risk_visit from the contact', async () => {
    const { caseId, person } = await openCase({ decidedAt: '2026-11-10T10:00:00Z' });
    const tools = await c.practitioner.req('GET', '/api/v1/risk-tools');
    assert.equal(tools.status, 200, show(tools));
    const tool = tools.body.items.find((t) => t.active);
    const a = await c.practitioner.req('POST', '/api/v1/assessments', {
      person_id: person.id, case_id: caseId, tool_id: tool.id, answers: { disclosure: true }, assessed_at: '2026-11-12T15:00:00Z',
    });
    assert.equal(a.status, 201, show(a));
    let k = await getCase(caseId);
    assert.equal(k.risk_level, 'high');
    assert.equal(k.opening_risk, 'high');
    assert.equal(clock(k, 'high_risk_visit').started_at, '2026-11-12T15:00:00Z');
    assert.equal(clock(k, 'high_risk_visit').due_at, '2026-11-19T23:59:59Z');

    const body = { contact_at: '2026-11-16T16:00:00Z', kind: 'visit', seen: true, seen_alone: true, location: 'Home', summary: 'Talked about college.' };
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`, body);
    assert.equal(r.status, 201, show(r));
    assert.ok(Number.isInteger(r.body.id));
    assert.equal(r.body.contact_at, body.contact_at);
    assert.equal(r.body.kind, 'visit');
    assert.equal(r.body.seen, true);
    assert.equal(r.body.seen_alone, true);
    assert.equal(r.body.location, 'Home');
    assert.equal(r.body.summary, body.summary);
    assert.equal(r.body.by, 'practitioner');
    k = await getCase(caseId);
    assert.equal(clock(k, 'high_risk_visit').started_at, '2026-11-16T16:00:00Z');
    assert.equal(clock(k, 'high_risk_visit').due_at, '2026-11-23T23:59:59Z');
    assert.equal(k.contacts.length, 1);
    assert.equal(k.contacts[0].id, r.body.id);
    const met = sqlite(server.db, `SELECT status FROM clocks WHERE case_id = ${caseId} AND standard = 'high_risk_visit' ORDER BY id`).stdout.trim();
    assert.equal(met, 'met\nrunning');

    // A phone call where the child was not seen moves nothing.
    const phone = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`,
      { contact_at: '2026-11-17T10:00:00Z', kind: 'phone', seen: false });
    assert.equal(phone.status, 201, show(phone));
    assert.equal(phone.body.seen_alone, false);
    k = await getCase(caseId);
    assert.equal(clock(k, 'high_risk_visit').started_at, '2026-11-16T16:00:00Z');
    assert.deepEqual(auditActions(caseId).filter((x) => x === 'case.contact').length, 2);
  });

  it('validates a contact: every bad field in one 422', async () => {
    const { caseId } = await openCase();
    const future = rfc(Date.now() + 2 * 86400000);
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`,
      { contact_at: future, kind: 'carrier_pigeon', seen: 'yes', location: 'x'.repeat(201), colour: 'red' });
    assert.deepEqual(fieldErrors(r).sort(), ['colour', 'contact_at', 'kind', 'location', 'seen'].sort());
    const r2 = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`, { kind: 'visit', seen: false, seen_alone: true });
    assert.deepEqual(fieldErrors(r2).sort(), ['contact_at', 'seen_alone']);
    assert.deepEqual((await getCase(caseId)).contacts, []);
  });
});

describe('notes with the child\'s voice', () => {
  it('records the note and the child\'s own words apart', async () => {
    const { caseId } = await openCase();
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/notes`,
      { note: 'Visited at home.\nMum present.', child_voice: '"I just want to go back to school."' });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.note, 'Visited at home.\nMum present.');
    assert.equal(r.body.child_voice, '"I just want to go back to school."');
    assert.equal(r.body.by, 'practitioner');
    assert.ok(!Number.isNaN(Date.parse(r.body.at)));
    const k = await getCase(caseId);
    assert.deepEqual(k.notes, [r.body]);
    assert.ok(auditActions(caseId).includes('case.note'));
  });

  it('needs a note, refuses unknown members and over-long text', async () => {
    const { caseId } = await openCase();
    assert.deepEqual(fieldErrors(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/notes`, { child_voice: 'x' })), ['note']);
    assert.deepEqual(fieldErrors(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/notes`,
      { note: 'x'.repeat(20001), child_voice: 'y'.repeat(10001), mood: 'ok' })).sort(), ['child_voice', 'mood', 'note']);
    const long = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'é'.repeat(20000) });
    assert.equal(long.status, 201, 'a 20,000-character note fits');
  });
});

describe('supervision', () => {
  it('a manager records supervision; it stops and restarts the supervision clock from when it was held', async () => {
    const { caseId } = await openCase({ decidedAt: '2026-11-10T10:00:00Z' });
    const r = await c.manager.req('POST', `/api/v1/cases/${caseId}/supervisions`,
      { held_at: '2026-11-20T11:00:00Z', discussion: 'Reviewed the plan.', decisions: 'Weekly visits.', next_due: '2026-12-04' });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.held_at, '2026-11-20T11:00:00Z');
    assert.equal(r.body.next_due, '2026-12-04');
    assert.equal(r.body.decisions, 'Weekly visits.');
    assert.equal(r.body.by, 'manager');
    let k = await getCase(caseId);
    assert.equal(clock(k, 'supervision').started_at, '2026-11-20T11:00:00Z');
    assert.equal(clock(k, 'supervision').due_at, '2026-12-04T23:59:59Z');
    assert.equal(k.supervisions.length, 1);
    // Without next_due: the standard's 28 days.
    const r2 = await c.manager.req('POST', `/api/v1/cases/${caseId}/supervisions`,
      { held_at: '2026-11-23T09:00:00Z', decisions: 'Carry on.' });
    assert.equal(r2.status, 201, show(r2));
    assert.equal(r2.body.next_due, null);
    k = await getCase(caseId);
    assert.equal(clock(k, 'supervision').due_at, '2026-12-21T23:59:59Z');
    const statuses = sqlite(server.db, `SELECT status FROM clocks WHERE case_id = ${caseId} AND standard = 'supervision' ORDER BY id`).stdout.trim();
    assert.equal(statuses, 'met\nmet\nrunning');
  });

  it('validates held_at, decisions and next_due', async () => {
    const { caseId } = await openCase();
    const r = await c.manager.req('POST', `/api/v1/cases/${caseId}/supervisions`,
      { held_at: '2026-11-20T11:00:00Z', next_due: '2026-11-20' });
    assert.deepEqual(fieldErrors(r).sort(), ['decisions', 'next_due']);
    const r2 = await c.manager.req('POST', `/api/v1/cases/${caseId}/supervisions`, { decisions: 'x', next_due: '2026-02-30' });
    assert.deepEqual(fieldErrors(r2).sort(), ['held_at', 'next_due']);
  });
});

describe('flags', () => {
  it('sets a flag reviewed in 3 months by default, running flag_review to the end of that day', async () => {
    const { caseId } = await openCase();
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/flags`, { kind: 'cse_risk', note: 'Older boyfriend.', police_flag: true });
    assert.equal(r.status, 201, show(r));
    const f = r.body;
    assert.equal(f.version, 1);
    assert.equal(f.kind, 'cse_risk');
    assert.equal(f.police_flag, true);
    assert.equal(f.removed_at, null);
    assert.equal(f.by, 'practitioner');
    const today = londonDate(Date.parse(f.set_at));
    assert.equal(f.review_date, addMonths(today, 3));
    const k = await getCase(caseId);
    assert.deepEqual(k.flags, [f]);
    const t = k.clocks.find((x) => x.standard === 'flag_review');
    assert.equal(t.subject_type, 'flag');
    assert.equal(t.subject_id, f.id);
    assert.equal(t.case_id, caseId);
    assert.equal(t.due_at, endOfDay(f.review_date));
    assert.equal(t.link, `/cases/${caseId}`);
  });

  it('a new review date stops and restarts flag_review; removal stops it; a removed flag takes no change', async () => {
    const { caseId } = await openCase();
    const first = addDays(londonDate(), 30);
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/flags`, { kind: 'missing_repeat', review_date: first });
    assert.equal(r.status, 201, show(r));
    assert.equal(clock(await getCase(caseId), 'flag_review').due_at, endOfDay(first));
    const url = `/api/v1/cases/${caseId}/flags/${r.body.id}`;

    const later = addDays(londonDate(), 60);
    const u = await c.practitioner.req('PUT', url, { version: 1, review_date: later });
    assert.equal(u.status, 200, show(u));
    assert.equal(u.body.version, 2);
    assert.equal(u.body.review_date, later);
    assert.equal(u.body.police_flag, false);
    let k = await getCase(caseId);
    assert.equal(clock(k, 'flag_review').due_at, endOfDay(later));
    assertProblem(await c.practitioner.req('PUT', url, { version: 1, police_flag: true }), 409, 'stale flag');

    const p = await c.practitioner.req('PUT', url, { version: 2, police_flag: true });
    assert.equal(p.status, 200, show(p));
    assert.equal(p.body.police_flag, true);
    assert.equal(p.body.review_date, later);
    assert.equal(clock(await getCase(caseId), 'flag_review').due_at, endOfDay(later), 'police flag alone: clock unchanged');

    const rm = await c.practitioner.req('PUT', url, { version: 3, removed: true });
    assert.equal(rm.status, 200, show(rm));
    assert.ok(rm.body.removed_at);
    k = await getCase(caseId);
    assert.equal(clock(k, 'flag_review'), undefined);
    assert.ok(k.flags[0].removed_at);
    assertProblem(await c.practitioner.req('PUT', url, { version: 4, police_flag: false }), 409, 'removed flag');
    const statuses = sqlite(server.db, `SELECT status FROM clocks WHERE subject_type = 'flag' AND subject_id = ${r.body.id} ORDER BY id`).stdout.trim();
    assert.equal(statuses, 'met\nmet');
    assert.ok(auditActions(caseId).includes('case.flag_remove'));
  });

  it('validates a flag and answers 404 for a flag not on this case', async () => {
    const { caseId } = await openCase();
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/flags`,
      { kind: 'nope', review_date: addDays(londonDate(), -1), police_flag: 1 });
    assert.deepEqual(fieldErrors(r).sort(), ['kind', 'police_flag', 'review_date']);
    const other = await openCase();
    const f = await c.practitioner.req('POST', `/api/v1/cases/${other.caseId}/flags`, { kind: 'other' });
    assert.equal(f.status, 201, show(f));
    assertProblem(await c.practitioner.req('PUT', `/api/v1/cases/${caseId}/flags/${f.body.id}`, { version: 1, removed: true }), 404, 'flag of another case');
    assertProblem(await c.practitioner.req('PUT', `/api/v1/cases/${caseId}/flags/999999999`, { version: 1 }), 404, 'no flag');
    assert.deepEqual(fieldErrors(await c.practitioner.req('PUT', `/api/v1/cases/${other.caseId}/flags/${f.body.id}`,
      { removed: 'yes', review_date: 'soon' })).sort(), ['removed', 'review_date', 'version']);
  });
});

describe('feedback', () => {
  it('records the child\'s feedback at review and closure on a 1-5 scale', async () => {
    const { caseId } = await openCase();
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/feedback`, { stage: 'review', score: 4, words: 'Pat listens to me.' });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.stage, 'review');
    assert.equal(r.body.score, 4);
    assert.equal(r.body.words, 'Pat listens to me.');
    assert.deepEqual((await getCase(caseId)).feedback, [r.body]);
    for (const [body, want] of [
      [{ stage: 'midway', score: 6 }, ['score', 'stage']],
      [{ score: 0 }, ['score', 'stage']],
      [{ stage: 'closure' }, ['score']],
      [{ stage: 'closure', score: 2.5 }, ['score']],
    ]) {
      assert.deepEqual(fieldErrors(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/feedback`, body)).sort(), want, JSON.stringify(body));
    }
  });
});

describe('transition plan', () => {
  it('records the plan, bumps the version and stops the transition_plan clock', async () => {
    const { caseId } = await openCase({ decidedAt: '2026-11-10T10:00:00Z', person: { dob: '2009-08-01' } });
    let k = await getCase(caseId);
    assert.equal(clock(k, 'transition_plan').due_at, '2027-02-01T23:59:59Z');
    assert.deepEqual(fieldErrors(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/transition-plan`, { plan: '' })).sort(), ['plan', 'version']);
    const r = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/transition-plan`, { version: k.version, plan: 'Referral to the adult team at 17¾.' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.version, k.version + 1);
    assert.equal(r.body.transition_plan, 'Referral to the adult team at 17¾.');
    assert.ok(r.body.transition_plan_at);
    assert.equal(clock(r.body, 'transition_plan'), undefined);
    k = await getCase(caseId);
    assert.equal(k.transition_plan, 'Referral to the adult team at 17¾.');
    const st = sqlite(server.db, `SELECT status FROM clocks WHERE case_id = ${caseId} AND standard = 'transition_plan'`).stdout.trim();
    assert.equal(st, 'met');
  });
});

describe('allocation', () => {
  it('a manager reallocates: history kept, the version bumped, running clocks move, and the team rule follows', async () => {
    const { caseId } = await openCase();
    const k = await getCase(caseId, 'manager');
    let r = await c.manager.req('POST', `/api/v1/cases/${caseId}/allocation`, { version: k.version, team: 'Missing from Home', worker: 'practitioner' });
    assert.deepEqual(fieldErrors(r), ['worker'], 'worker not in the team');
    r = await c.manager.req('POST', `/api/v1/cases/${caseId}/allocation`, { version: k.version, team: '', worker: 'ghost', extra: 1 });
    assert.deepEqual(fieldErrors(r).sort(), ['extra', 'team']);
    r = await c.manager.req('POST', `/api/v1/cases/${caseId}/allocation`, { version: k.version, team: 'Phoenix', worker: 'analyst' });
    assert.deepEqual(fieldErrors(r), ['worker'], 'an analyst cannot hold a case');
    r = await c.manager.req('POST', `/api/v1/cases/${caseId}/allocation`,
      { version: k.version, team: 'Missing from Home', worker: 'practitioner2', reason: 'Repeat missing episodes.' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.version, k.version + 1);
    assert.equal(r.body.team, 'Missing from Home');
    assert.equal(r.body.worker.username, 'practitioner2');
    assert.equal(r.body.allocations.length, 2);
    assert.equal(r.body.allocations[0].team, 'Phoenix');
    assert.equal(r.body.allocations[1].team, 'Missing from Home');
    assert.equal(r.body.allocations[1].reason, 'Repeat missing episodes.');
    assert.equal(r.body.allocations[1].by, 'manager');
    assert.ok(r.body.clocks.length >= 3);
    for (const t of r.body.clocks) {
      assert.equal(t.team, 'Missing from Home', t.standard);
      assert.equal(t.worker.username, 'practitioner2', t.standard);
    }
    assertProblem(await c.practitioner.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'x' }), 403, 'old team');
    assert.equal((await c.practitioner2.req('POST', `/api/v1/cases/${caseId}/notes`, { note: 'Picked up.' })).status, 201);

    // A team without a named worker.
    r = await c.manager.req('POST', `/api/v1/cases/${caseId}/allocation`, { version: k.version + 1, team: 'Phoenix' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.worker, null);
    assert.ok(r.body.clocks.every((t) => t.worker === null && t.team === 'Phoenix'));
    assert.ok(auditActions(caseId).includes('case.allocate'));
  });
});

describe('closure', () => {
  it('closes with a reason and the risk at closure, cancels the clocks, and the case then takes no change (409)', async () => {
    const { caseId, person } = await openCase();
    const tool = (await c.practitioner.req('GET', '/api/v1/risk-tools')).body.items.find((t) => t.active);
    const a = await c.practitioner.req('POST', '/api/v1/assessments',
      { person_id: person.id, case_id: caseId, tool_id: tool.id, answers: {}, override_level: 'medium', override_rationale: 'Worker judgement after the visit.' });
    assert.equal(a.status, 201, show(a));
    const flag = await c.practitioner.req('POST', `/api/v1/cases/${caseId}/flags`, { kind: 'other' });
    assert.equal(flag.status, 201, show(flag));
    const k = await getCase(caseId, 'manager');
    assert.equal(k.risk_level, 'medium');
    assert.ok(k.clocks.length >= 3);

    assert.deepEqual(fieldErrors(await c.manager.req('POST', `/api/v1/cases/${caseId}/closure`,
      { version: k.version, reason: 'bored', closed_at: rfc(Date.parse(k.opened_at) - 60000) })).sort(), ['closed_at', 'reason']);
    assert.deepEqual(fieldErrors(await c.manager.req('POST', `/api/v1/cases/${caseId}/closure`, { reason: 'risk_reduced' })), ['version']);
    const r = await c.manager.req('POST', `/api/v1/cases/${caseId}/closure`, { version: k.version, reason: 'risk_reduced' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.status, 'closed');
    assert.equal(r.body.closure_reason, 'risk_reduced');
    assert.equal(r.body.closure_risk, 'medium');
    assert.ok(r.body.closed_at);
    assert.equal(r.body.version, k.version + 1);
    assert.deepEqual(r.body.clocks, []);
    const cancelled = sqlite(server.db, `SELECT count(*) FROM clocks WHERE case_id = ${caseId} AND status = 'cancelled'`).stdout.trim();
    assert.ok(Number(cancelled) >= 4, `cancelled clocks: ${cancelled}`);
    assert.ok(auditActions(caseId).includes('case.close'));

    const v = r.body.version;
    const base = `/api/v1/cases/${caseId}`;
    const attempts = [
      ['manager', 'PUT', base, { version: v, strands: ['cce'] }],
      ['manager', 'POST', `${base}/allocation`, { version: v, team: 'Phoenix' }],
      ['practitioner', 'POST', `${base}/contacts`, { contact_at: hoursAgo(1), kind: 'visit' }],
      ['practitioner', 'POST', `${base}/notes`, { note: 'After closure.' }],
      ['manager', 'POST', `${base}/supervisions`, { held_at: hoursAgo(1), decisions: 'x' }],
      ['practitioner', 'POST', `${base}/flags`, { kind: 'other' }],
      ['practitioner', 'PUT', `${base}/flags/${flag.body.id}`, { version: 1, removed: true }],
      ['practitioner', 'POST', `${base}/feedback`, { stage: 'closure', score: 5 }],
      ['practitioner', 'POST', `${base}/transition-plan`, { version: v, plan: 'x' }],
      ['manager', 'POST', `${base}/closure`, { version: v, reason: 'other' }],
    ];
    for (const [who, method, path, body] of attempts) {
      const res = await c[who].req(method, path, body);
      assertProblem(res, 409, `${method} ${path}`);
      assert.match(res.body.detail, /the case is closed/, `${method} ${path}`);
    }
    const after = await getCase(caseId);
    assert.equal(after.version, v);
    assert.deepEqual(after.notes, []);
    assert.deepEqual(after.contacts, []);
    assert.equal(after.flags.length, 1);
    assert.equal(after.flags[0].removed_at, null);
  });
});

describe('the teams a case can be allocated to', () => {
  it('lists every team of an active user with its members; disabled users and users without a team are left out', async () => {
    const r = await c.manager.req('GET', '/api/v1/teams');
    assert.equal(r.status, 200, show(r));
    const teams = Object.fromEntries(r.body.items.map((t) => [t.team, t.members.map((m) => m.username)]));
    assert.ok(teams.Phoenix.includes('practitioner'), show(r));
    assert.ok(teams['Missing from Home'].includes('practitioner2'), show(r));
    assert.ok(!r.body.items.some((t) => t.team === ''), 'no empty team');
    const names = r.body.items.map((t) => t.team);
    assert.deepEqual(names, [...names].sort(), 'teams by name');
    const m = r.body.items.find((t) => t.team === 'Phoenix').members.find((x) => x.username === 'practitioner');
    assert.deepEqual(Object.keys(m).sort(), ['display_name', 'role', 'username']);
    // A user added to a new team, then disabled, comes and goes.
    const add = cli(['user', 'add', '--db', server.db, '--username', 'tmp.teams', '--role', 'practitioner', '--team', 'Orion'], 'correct-horse-battery-9\n');
    assert.equal(add.status, 0, add.stderr);
    let t = await c.manager.req('GET', '/api/v1/teams');
    assert.deepEqual(t.body.items.find((x) => x.team === 'Orion').members.map((x) => x.username), ['tmp.teams']);
    const dis = cli(['user', 'disable', '--db', server.db, '--username', 'tmp.teams']);
    assert.equal(dis.status, 0, dis.stderr);
    t = await c.manager.req('GET', '/api/v1/teams');
    assert.ok(!t.body.items.some((x) => x.team === 'Orion'), show(t));
  });

  it('is for those who read cases: board 403, signed out 401', async () => {
    const board = await signedIn(server.url, 'board');
    assert.equal((await board.req('GET', '/api/v1/teams')).status, 403);
    const res = await fetch(`${server.url}/api/v1/teams`);
    assert.equal(res.status, 401);
  });
});
