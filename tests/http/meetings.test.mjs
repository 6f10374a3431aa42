// Meetings and actions (docs/api-casework.md "Meetings and actions"): recording a meeting with
// attendees, decisions and actions; a PTAC stopping first_ptac and ptac_review and starting the
// next review 6 weeks on; validation naming every bad field; reading and listing (audited);
// marking an action done with optimistic concurrency; who may do what; restricted persons; closed
// cases. Cases are opened through the real API (referral -> manager's decision).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, signedIn } from '../lib/server.mjs';
import { assertProblem, fieldErrors, personBody, show } from '../lib/helpers.mjs';

const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (days) => iso(Date.now() - days * DAY);
const seconds = (t) => Math.floor(Date.parse(t) / 1000);

// The Europe/London date (YYYY-MM-DD) at UTC milliseconds ms.
const londonDate = (ms) => new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
}).format(new Date(ms));
// YYYY-MM-DD plus n days.
const addDays = (ymd, n) => {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
};
// UTC seconds of 23:59:59 London time on ymd.
const endOfLondonDay = (ymd) => {
  const [y, m, d] = ymd.split('-').map(Number);
  for (const offset of [0, 3600e3]) {
    const t = Date.UTC(y, m - 1, d, 23, 59, 59) - offset;
    if (londonDate(t) === ymd && londonDate(t + 1000) !== ymd) return t / 1000;
  }
  throw new Error(`no end of day for ${ymd}`);
};

let server;
const c = {};
const USERS = ['admin', 'manager', 'practitioner', 'practitioner2', 'analyst', 'police_intel'];
before(async () => {
  server = await startServer();
  for (const u of USERS) c[u] = await signedIn(server.url, u);
});
after(async () => { if (server) await server.stop(); });

// Rows of a query on the server's database (read-only checks of what the API did).
function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', server.db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// Await a request, assert its status, return its body.
async function expect(promise, status, what = '') {
  const r = await promise;
  assert.equal(r.status, status, `${what}: ${show(r)}`);
  return r.body;
}

let n = 0;
const letters = (k) => { let s = ''; do { s = String.fromCharCode(97 + (k % 26)) + s; k = Math.floor(k / 26); } while (k); return s; };
async function newPerson(who = 'practitioner', extra = {}) {
  n++;
  return expect(c[who].req('POST', '/api/v1/persons', personBody({
    given_name: `Meet${letters(n)}`, family_name: 'Tacker', dob: '2010-03-14', ...extra,
  })), 201, 'create person');
}

// A person with a case opened by a manager's decision (received and decided days ago).
async function openCase({ receivedDaysAgo = 30, decidedDaysAgo = 29, person = {}, team = 'Phoenix' } = {}) {
  const p = await newPerson('practitioner', person);
  const r = await expect(c.practitioner.req('POST', '/api/v1/referrals', {
    person_id: p.id, received_at: ago(receivedDaysAgo), source_code: '6', strands: ['cse'],
    concerns: 'Seen getting into cars with older men.',
  }), 201, 'referral');
  const d = await expect(c.manager.req('POST', `/api/v1/referrals/${r.id}/decision`, {
    version: r.version, outcome: 'allocate', rationale: 'Risk of exploitation.', decided_at: ago(decidedDaysAgo),
    team, worker: team === 'Phoenix' ? 'practitioner' : 'practitioner2',
  }), 200, 'decision');
  assert.ok(d.case_id > 0, 'the decision opened a case');
  return { person: p, caseId: d.case_id };
}

const meeting = (overrides = {}) => ({
  type: 'ptac', held_at: ago(1),
  attendees: [
    { name: 'Pat Practitioner', agency: "Children's Social Care", role: 'Lead professional' },
    { name: 'DC Amir Shah', agency: 'Police', role: 'Exploitation team' },
  ],
  decisions: 'Safety plan agreed; school to share attendance daily.',
  next_review: null,
  actions: [{ what: 'Share attendance with the hub', owner: 'Head of Year (school)', due_date: londonDate(Date.now() + 7 * DAY) }],
  ...overrides,
});

const clocksOf = (caseId, standard) => rows(
  `SELECT id, status, started_at, due_at, stopped_at, team FROM clocks WHERE case_id = ${caseId} AND standard = '${standard}' ORDER BY id`);

describe('recording a meeting', () => {
  it('a PTAC on a case stops first_ptac and starts ptac_review due at the end of the local day 6 weeks on', async () => {
    const { person, caseId } = await openCase({ receivedDaysAgo: 21, decidedDaysAgo: 20 });
    assert.equal(clocksOf(caseId, 'first_ptac')[0]?.status, 'running', 'first_ptac runs from allocation');
    const heldMs = Date.now() - 12 * DAY;
    const held = iso(heldMs);
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ held_at: held, case_id: caseId })), 201, 'ptac');
    assert.equal(m.type, 'ptac');
    assert.equal(m.case_id, caseId);
    assert.equal(m.person_id, person.id, "the case's person");
    assert.equal(m.held_at, held);
    assert.equal(m.version, 1);
    assert.equal(m.attendees.length, 2);
    assert.deepEqual(m.attendees[1], { name: 'DC Amir Shah', agency: 'Police', role: 'Exploitation team' });
    assert.equal(m.decisions, 'Safety plan agreed; school to share attendance daily.');
    assert.equal(m.actions.length, 1);
    assert.ok(m.actions[0].id > 0);
    assert.equal(m.actions[0].version, 1);
    assert.equal(m.actions[0].done, false);
    assert.equal(m.actions[0].done_at, null);
    assert.equal(m.link, `/cases/${caseId}`);

    const first = clocksOf(caseId, 'first_ptac');
    assert.equal(first.length, 1);
    assert.equal(first[0].status, 'met', 'held within 10 working days of allocation');
    assert.equal(first[0].stopped_at, seconds(held), 'stopped at the meeting time');
    const review = clocksOf(caseId, 'ptac_review');
    assert.equal(review.length, 1);
    assert.equal(review[0].status, 'running');
    assert.equal(review[0].started_at, seconds(held));
    assert.equal(review[0].due_at, endOfLondonDay(addDays(londonDate(heldMs), 42)), '42 days on, end of that local day');
    assert.equal(review[0].team, 'Phoenix', "the case's team");

    // The person's story shows the review as a running task on the open case, and no first_ptac.
    const story = await expect(c.practitioner.req('GET', `/api/v1/persons/${person.id}/story`), 200, 'story');
    const standards = story.open_case.clocks.map((t) => t.standard);
    assert.ok(standards.includes('ptac_review'), JSON.stringify(standards));
    assert.ok(!standards.includes('first_ptac'), JSON.stringify(standards));
    const meetingAudit = rows(`SELECT action, object_id, username FROM audit WHERE action = 'meeting.create' AND object_id = '${m.id}'`);
    assert.equal(meetingAudit.length, 1, 'meeting.create audited');
    assert.equal(meetingAudit[0].username, 'practitioner');

    // The next PTAC meets the running review and starts the next one; an older PTAC recorded late
    // moves nothing back.
    const held2Ms = Date.now() - 2 * DAY;
    await expect(c.manager.req('POST', '/api/v1/meetings', meeting({ held_at: iso(held2Ms), case_id: caseId, actions: [] })), 201, 'second ptac');
    let reviews = clocksOf(caseId, 'ptac_review');
    assert.equal(reviews.length, 2);
    assert.equal(reviews[0].status, 'met');
    assert.equal(reviews[0].stopped_at, seconds(iso(held2Ms)));
    assert.equal(reviews[1].status, 'running');
    assert.equal(reviews[1].due_at, endOfLondonDay(addDays(londonDate(held2Ms), 42)));
    await expect(c.manager.req('POST', '/api/v1/meetings', meeting({ held_at: ago(8), case_id: caseId, actions: [] })), 201, 'late-recorded ptac');
    reviews = clocksOf(caseId, 'ptac_review');
    assert.equal(reviews.length, 2, 'no new review clock');
    assert.equal(reviews[1].status, 'running');
    assert.equal(reviews[1].started_at, seconds(iso(held2Ms)));
  });

  it('a meeting of another type leaves the PTAC clocks running', async () => {
    const { caseId } = await openCase({ receivedDaysAgo: 5, decidedDaysAgo: 4 });
    await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ type: 'strategy', held_at: ago(1), case_id: caseId })), 201);
    assert.equal(clocksOf(caseId, 'first_ptac')[0].status, 'running');
    assert.equal(clocksOf(caseId, 'ptac_review').length, 0);
  });

  it('a meeting about a person without a case (e.g. MARAC)', async () => {
    const p = await newPerson();
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ type: 'marac', person_id: p.id })), 201);
    assert.equal(m.case_id, null);
    assert.equal(m.person_id, p.id);
    assert.equal(m.link, `/persons/${p.id}`);
  });

  it('one 422 names every bad field, and nothing is stored', async () => {
    const before = rows('SELECT count(*) AS n FROM meetings')[0].n;
    const r = await c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'tea_party', held_at: 'yesterday', case_id: 'three', colour: 'blue',
      attendees: [{ agency: 'Police' }, 'Bob', { name: 'Al', shoe: 9 }],
      decisions: 42,
      next_review: '2026-02-30',
      actions: [{ what: '', owner: '', due_date: '2026-13-01' }, { what: 'Call', owner: 'Jo', due_date: null, when: 'soon' }],
    });
    const fields = fieldErrors(r, 'bad meeting');
    for (const f of ['type', 'held_at', 'case_id', 'colour', 'attendees[0].name', 'attendees[1]', 'attendees[2].shoe',
      'decisions', 'next_review', 'actions[0].what', 'actions[0].owner', 'actions[0].due_date', 'actions[1].due_date',
      'actions[1].when']) {
      assert.ok(fields.includes(f), `names ${f}: ${JSON.stringify(fields)}`);
    }
    assert.equal(rows('SELECT count(*) AS n FROM meetings')[0].n, before);
  });

  it('refuses bodies outside the limits and the meeting\'s own dates', async () => {
    const { person, caseId } = await openCase({ receivedDaysAgo: 10, decidedDaysAgo: 9 });
    const many = (k, f) => Array.from({ length: k }, (_, i) => f(i));
    let fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId,
      attendees: many(51, (i) => ({ name: `Person ${i}`, agency: 'X', role: '' })) })), '51 attendees');
    assert.deepEqual(fields, ['attendees']);
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId,
      actions: many(51, (i) => ({ what: `Do ${i}`, owner: 'Me', due_date: londonDate(Date.now()) })) })), '51 actions');
    assert.deepEqual(fields, ['actions']);
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, held_at: iso(Date.now() + 2 * DAY) })), 'future');
    assert.ok(fields.includes('held_at'));
    const held = Date.now() - 3 * DAY;
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({
      case_id: caseId, held_at: iso(held), next_review: londonDate(held - DAY),
      actions: [{ what: 'Visit', owner: 'Pat', due_date: londonDate(held - DAY) }],
    })), 'dates before the meeting');
    assert.deepEqual(fields.sort(), ['actions[0].due_date', 'next_review']);
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, held_at: ago(11) })), 'before the case');
    assert.deepEqual(fields, ['held_at']);
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({})), 'neither case nor person');
    assert.deepEqual(fields.sort(), ['case_id', 'person_id']);
    const other = await newPerson();
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, person_id: other.id })), 'another person');
    assert.deepEqual(fields, ['person_id']);
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: 999999 })), 'unknown case');
    assert.deepEqual(fields, ['case_id']);
    fields = fieldErrors(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ person_id: 999999 })), 'unknown person');
    assert.deepEqual(fields, ['person_id']);
    // The same case and person together are fine.
    await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, person_id: person.id })), 201);
  });

  it('who may record one: case.write, and a practitioner only on their own team\'s cases', async () => {
    const { caseId } = await openCase({ receivedDaysAgo: 3, decidedDaysAgo: 2 });
    assertProblem(await c.practitioner2.req('POST', '/api/v1/meetings', meeting({ case_id: caseId })), 403, 'other team');
    assertProblem(await c.analyst.req('POST', '/api/v1/meetings', meeting({ case_id: caseId })), 403, 'analyst');
    assertProblem(await c.police_intel.req('POST', '/api/v1/meetings', meeting({ case_id: caseId })), 403, 'police');
    assert.equal(rows(`SELECT count(*) AS n FROM meetings WHERE case_id = ${caseId}`)[0].n, 0, 'nothing stored');
    await expect(c.manager.req('POST', '/api/v1/meetings', meeting({ case_id: caseId })), 201, 'a manager, any team');
  });
});

describe('reading meetings', () => {
  let caseId, person, ids;
  before(async () => {
    ({ caseId, person } = await openCase({ receivedDaysAgo: 15, decidedDaysAgo: 14 }));
    ids = [];
    for (const d of [10, 3, 6]) {
      const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ type: 'professionals', held_at: ago(d), case_id: caseId })), 201);
      ids.push(m.id);
    }
    const alone = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ type: 'mace', held_at: ago(1), person_id: person.id })), 201);
    ids.push(alone.id);
  });

  it('GET one is the Meeting, audited as meeting.view', async () => {
    const m = await expect(c.analyst.req('GET', `/api/v1/meetings/${ids[0]}`), 200);
    assert.equal(m.id, ids[0]);
    assert.equal(m.type, 'professionals');
    assert.equal(m.attendees.length, 2);
    assert.equal(m.actions.length, 1);
    assert.equal(m.created_by, 'practitioner');
    const a = rows(`SELECT username FROM audit WHERE action = 'meeting.view' AND object_type = 'meeting' AND object_id = '${ids[0]}'`);
    assert.deepEqual(a.map((x) => x.username), ['analyst']);
    assertProblem(await c.analyst.req('GET', '/api/v1/meetings/99999999'), 404, 'unknown');
  });

  it('lists by case and by person, newest first; needs one of them', async () => {
    const byCase = await expect(c.manager.req('GET', `/api/v1/meetings?case_id=${caseId}`), 200);
    assert.deepEqual(byCase.items.map((m) => m.id), [ids[1], ids[2], ids[0]]);
    assert.equal(byCase.total, 3);
    const byPerson = await expect(c.manager.req('GET', `/api/v1/meetings?person_id=${person.id}`), 200);
    assert.deepEqual(byPerson.items.map((m) => m.id), [ids[3], ids[1], ids[2], ids[0]], 'its own and its cases\' meetings');
    assert.ok(rows(`SELECT count(*) AS n FROM audit WHERE action = 'meeting.list' AND object_id = '${person.id}'`)[0].n >= 2);
    assertProblem(await c.manager.req('GET', '/api/v1/meetings'), 400, 'no filter');
    assertProblem(await c.manager.req('GET', '/api/v1/meetings?case_id=99999999'), 404, 'unknown case');
    assertProblem(await c.manager.req('GET', '/api/v1/meetings?person_id=99999999'), 404, 'unknown person');
    assertProblem(await c.manager.req('GET', '/api/v1/meetings?case_id=x'), 400, 'bad id');
  });
});

describe('actions', () => {
  it('PUT marks an action done (version checked, audited action.update); an overdue one leaves the daily list', async () => {
    const { caseId } = await openCase({ receivedDaysAgo: 12, decidedDaysAgo: 11 });
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({
      held_at: ago(10), case_id: caseId,
      actions: [
        { what: 'Refer to the youth worker', owner: 'Pat (CSC)', due_date: londonDate(Date.now() - 3 * DAY) },
        { what: 'Check school attendance', owner: 'Head of Year', due_date: londonDate(Date.now() + 3 * DAY) },
      ],
    })), 201);
    const [late, notYet] = m.actions;
    assert.equal(late.overdue, true, 'due 3 days ago');
    assert.equal(notYet.overdue, false);
    const daily = async () => (await expect(c.practitioner.req('GET', '/api/v1/dashboard/daily'), 200)).overdue_actions.map((l) => l.action.id);
    let listed = await daily();
    assert.ok(listed.includes(late.id), `overdue action on the daily list: ${listed}`);
    assert.ok(!listed.includes(notYet.id));

    fieldErrors(await c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${late.id}`, { done: true }), 'no version');
    fieldErrors(await c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${late.id}`, { version: 1 }), 'no done');
    fieldErrors(await c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${late.id}`, { version: 1, done: 'yes', what: 'x' }), 'bad');
    assertProblem(await c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/999999`, { version: 1, done: true }), 404, 'unknown action');
    assertProblem(await c.practitioner.req('PUT', `/api/v1/meetings/${m.id + 1000}/actions/${late.id}`, { version: 1, done: true }), 404, 'wrong meeting');
    assertProblem(await c.practitioner2.req('PUT', `/api/v1/meetings/${m.id}/actions/${late.id}`, { version: 1, done: true }), 403, 'other team');

    const t0 = Date.now();
    const a = await expect(c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${late.id}`, { version: 1, done: true }), 200);
    assert.equal(a.id, late.id);
    assert.equal(a.version, 2);
    assert.equal(a.done, true);
    assert.equal(a.overdue, false);
    assert.ok(Math.abs(Date.parse(a.done_at) - t0) < 10000, `done_at is now: ${a.done_at}`);
    const stale = await c.manager.req('PUT', `/api/v1/meetings/${m.id}/actions/${late.id}`, { version: 1, done: false });
    assertProblem(stale, 409, 'stale version');
    const again = await expect(c.manager.req('GET', `/api/v1/meetings/${m.id}`), 200);
    assert.equal(again.actions[0].done, true, 'the stale write changed nothing');
    assert.equal(again.actions[0].version, 2);
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'action.update' AND object_id = '${late.id}'`)[0].n, 1);
    listed = await daily();
    assert.ok(!listed.includes(late.id), 'done: off the daily list');
  });
});

describe('restricted persons and closed cases', () => {
  it('a user not named on a restricted person gets 403 on its meetings and actions', async () => {
    // Named: practitioner (the creator) and manager (so the manager can decide the referral).
    const { person, caseId } = await openCase({ receivedDaysAgo: 6, decidedDaysAgo: 5, person: { restricted: true, restricted_to: ['manager'] } });
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, held_at: ago(1) })), 201);
    await expect(c.manager.req('GET', `/api/v1/meetings/${m.id}`), 200, 'named manager');
    assertProblem(await c.analyst.req('GET', `/api/v1/meetings/${m.id}`), 403, 'analyst not named');
    assertProblem(await c.analyst.req('GET', `/api/v1/meetings?case_id=${caseId}`), 403, 'list by case');
    assertProblem(await c.police_intel.req('GET', `/api/v1/meetings?person_id=${person.id}`), 403, 'list by person');
    assertProblem(await c.practitioner2.req('POST', '/api/v1/meetings', meeting({ type: 'marac', person_id: person.id })), 403, 'record');
    assertProblem(await c.practitioner2.req('PUT', `/api/v1/meetings/${m.id}/actions/${m.actions[0].id}`, { version: 1, done: true }), 403, 'action');
    const denied = rows(`SELECT count(*) AS n FROM audit WHERE outcome = 'denied' AND username IN ('analyst', 'police_intel', 'practitioner2') AND object_id IN ('${person.id}', '${m.id}')`);
    assert.ok(denied[0].n >= 4, `refusals audited: ${denied[0].n}`);
  });

  it('a closed case takes no more meetings or action changes (409)', async () => {
    const { caseId } = await openCase({ receivedDaysAgo: 6, decidedDaysAgo: 5 });
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, held_at: ago(2) })), 201);
    const kase = await expect(c.manager.req('GET', `/api/v1/cases/${caseId}`), 200, 'case');
    await expect(c.manager.req('POST', `/api/v1/cases/${caseId}/closure`, { version: kase.version, reason: 'risk_reduced' }), 200, 'closure');
    assertProblem(await c.practitioner.req('POST', '/api/v1/meetings', meeting({ case_id: caseId, held_at: ago(1) })), 409, 'meeting');
    assertProblem(await c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${m.actions[0].id}`, { version: 1, done: true }), 409, 'action');
  });
});
