// The Missing From Home hub's core (docs/api-missing.md, "Settings" and "Episodes"): hub settings;
// recording episodes with their police risk gradings (a re-grade adds); the return and its return
// home interview due 72 hours later (the rhi clock, met or breached); out-of-area children (who does
// the RHI by mfh.rhi_rule, and the notification to the other authority, acknowledged once); repeat
// missing (3 episodes starting within 90 days flag the child and start the intervention-meeting
// task, which a meeting stops); validation naming every bad field; reopen by a manager only;
// optimistic concurrency; restricted persons; every view audited.
// Times that matter for the weekday are fixed past dates in 2025 (London time, stored as UTC).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, signedIn } from '../lib/server.mjs';
import { assertProblem, fieldErrors, personBody, show } from '../lib/helpers.mjs';

const HOUR = 3600e3;
const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (days) => iso(Date.now() - days * DAY);
const seconds = (t) => Math.floor(Date.parse(t) / 1000);

// "Fri 21:30"-style rendering of a UTC time in London, to show the fixtures mean what they say.
const londonWhen = (t) => new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(new Date(t)).replace(',', '');

let server;
const c = {};
const USERS = ['admin', 'manager', 'practitioner', 'practitioner2', 'analyst', 'police_intel', 'board'];
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
async function newPerson(extra = {}, who = 'practitioner') {
  n++;
  return expect(c[who].req('POST', '/api/v1/persons', personBody({
    given_name: `Miss${letters(n)}`, family_name: 'Inghub', dob: '2010-03-14', ...extra,
  })), 201, 'create person');
}

let refs = 0;
// A valid episode body for person p; overrides replace members.
const episode = (p, overrides = {}) => ({
  person_id: p.id,
  started_at: '2025-05-01T18:00:00Z',
  reported_at: '2025-05-01T21:00:00Z',
  missing_from: 'home',
  category: 'M',
  police_force: 'Northby Police',
  police_ref: `MFH/T/${++refs}`,
  team: 'Missing from Home',
  locality: 'North',
  ...overrides,
});

async function create(p, overrides = {}, who = 'practitioner') {
  return expect(c[who].req('POST', '/api/v1/missing-episodes', episode(p, overrides)), 201, 'create episode');
}

const clocks = (standard, subjectType, id) => rows(
  `SELECT id, status, started_at, due_at, coalesce(stopped_at, 0) AS stopped_at, team, person_id FROM clocks
   WHERE standard = '${standard}' AND subject_type = '${subjectType}' AND subject_id = ${id} ORDER BY id`);

async function putSettings(items) {
  return c.admin.req('PUT', '/api/v1/config/settings', { items });
}

describe('settings', () => {
  it('GET lists every setting with its type; PUT changes the keys given, audited config.update', async () => {
    const s = await expect(c.manager.req('GET', '/api/v1/config/settings'), 200, 'settings');
    assert.deepEqual(s, { items: {
      'mfh.home_authority': 'Northby', 'mfh.rhi_rule': 'host', 'mfh.repeat_count': 3, 'mfh.repeat_days': 90,
      'match.link_threshold': 0.95, 'match.review_threshold': 0.5,
    } });
    const put = await expect(putSettings({ 'match.review_threshold': 0.6, 'mfh.repeat_days': 91 }), 200, 'put');
    assert.equal(put.items['match.review_threshold'], 0.6);
    assert.equal(put.items['mfh.repeat_days'], 91);
    assert.equal(put.items['mfh.home_authority'], 'Northby', 'other keys unchanged');
    const a = rows("SELECT username, detail FROM audit WHERE action = 'config.update' AND object_type = 'settings' ORDER BY seq DESC LIMIT 1");
    assert.equal(a[0]?.username, 'admin');
    assert.match(a[0].detail, /match\.review_threshold=0\.6/);
    assert.match(a[0].detail, /mfh\.repeat_days=91/);
    await expect(putSettings({ 'match.review_threshold': 0.5, 'mfh.repeat_days': 90 }), 200, 'put back');
  });

  it('refuses unknown keys, wrong types and out-of-range values, naming items.<key>; nothing changes', async () => {
    const r = await putSettings({
      'mfh.nope': 1, 'mfh.rhi_rule': 'both', 'mfh.repeat_count': '3', 'mfh.repeat_days': 731,
      'match.link_threshold': 1.5, 'mfh.home_authority': 12,
    });
    assert.deepEqual(fieldErrors(r).sort(), ['items.match.link_threshold', 'items.mfh.home_authority',
      'items.mfh.nope', 'items.mfh.repeat_count', 'items.mfh.repeat_days', 'items.mfh.rhi_rule'].sort());
    assert.deepEqual(fieldErrors(await putSettings({ 'mfh.repeat_count': 1 })), ['items.mfh.repeat_count']);
    assert.deepEqual(fieldErrors(await putSettings({ 'mfh.repeat_count': 3.5 })), ['items.mfh.repeat_count']);
    // review must not be above link, on the result of the change
    assert.deepEqual(fieldErrors(await putSettings({ 'match.review_threshold': 0.96 })), ['items.match.review_threshold']);
    assert.deepEqual(fieldErrors(await putSettings({ 'match.link_threshold': 0.4 })), ['items.match.link_threshold']);
    assert.deepEqual(fieldErrors(await c.admin.req('PUT', '/api/v1/config/settings', { items: {}, extra: 1 })).sort(),
      ['extra', 'items']);
    const s = await expect(c.admin.req('GET', '/api/v1/config/settings'), 200);
    assert.equal(s.items['mfh.rhi_rule'], 'host');
    assert.equal(s.items['match.link_threshold'], 0.95);
    assertProblem(await c.manager.req('PUT', '/api/v1/config/settings', { items: { 'mfh.rhi_rule': 'placing' } }), 403, 'manager');
  });
});

describe('recording an episode', () => {
  it('creates an episode with its first grading, answers the Episode, audits missing.create', async () => {
    const p = await newPerson();
    const e = await create(p, { grade: 'medium', graded_by: 'PS 123 Example', missing_from: 'care',
      placement: { type: 'residential', provider: 'Oak House', placing_authority: 'Northby', host_authority: 'Northby' } });
    assert.ok(e.id > 0);
    assert.equal(e.version, 1);
    assert.equal(e.person_id, p.id);
    assert.equal(e.person.id, p.id);
    assert.equal(e.person.given_name, p.given_name);
    assert.equal(e.person.dob, '2010-03-14');
    assert.equal(e.status, 'missing');
    assert.equal(e.ended_at, null);
    assert.equal(e.looked_after, true, 'defaults to true when missing from care');
    assert.deepEqual(e.placement, { type: 'residential', provider: 'Oak House', placing_authority: 'Northby', host_authority: 'Northby' });
    assert.equal(e.out_of_area, '', 'placing and host are the same');
    assert.equal(e.rhi_by, 'us');
    assert.deepEqual(e.notifications, []);
    assert.equal(e.grading.latest, 'medium');
    assert.equal(e.grading.highest, 'medium');
    assert.equal(e.grading.history.length, 1);
    assert.equal(e.grading.history[0].graded_at, '2025-05-01T21:00:00Z', 'an initial grading defaults to the report time');
    assert.equal(e.grading.history[0].graded_by, 'PS 123 Example');
    assert.equal(e.rhi_due_at, null);
    assert.equal(e.rhi, null);
    assert.equal(e.rhi_status, null, 'null while missing');
    assert.ok(e.duration_hours > 24 * 200, 'still missing: counted to now');
    assert.equal(e.created_by, 'practitioner');
    assert.equal(e.link, `/missing/${e.id}`);
    const a = rows(`SELECT username FROM audit WHERE action = 'missing.create' AND object_id = '${e.id}'`);
    assert.equal(a.length, 1);
    const got = await expect(c.analyst.req('GET', `/api/v1/missing-episodes/${e.id}`), 200, 'analyst reads');
    assert.equal(got.grading.history.length, 1);
    const home = await create(p, { started_at: '2025-04-01T10:00:00Z', reported_at: '2025-04-01T11:00:00Z',
      ended_at: '2025-04-01T15:30:00Z' });
    assert.equal(home.looked_after, false, 'not from care: not looked after unless said');
    assert.equal(home.duration_hours, 5.5);
    assert.equal(home.status, 'returned');
  });

  it('names every bad field in one 422: end before start, times in the future, unknown codes and members', async () => {
    const p = await newPerson();
    const r = await c.practitioner.req('POST', '/api/v1/missing-episodes', episode(p, {
      started_at: '2025-05-01T18:00:00Z', ended_at: '2025-05-01T17:59:59Z', reported_at: iso(Date.now() + 2 * DAY),
      missing_from: 'bus', category: 'X', placement: { type: 'hotel', colour: 'red' }, grade: 'extreme',
      found_with: [999999999], shoe_size: 9,
    }));
    assert.deepEqual(fieldErrors(r).sort(), ['category', 'ended_at', 'found_with[0]', 'grade', 'missing_from',
      'placement.colour', 'placement.type', 'reported_at', 'shoe_size'].sort());
    const r2 = await c.practitioner.req('POST', '/api/v1/missing-episodes', {
      person_id: p.id, started_at: iso(Date.now() + DAY), reported_at: '2025-01-01T00:00:00Z', missing_from: 'home', category: 'A',
    });
    assert.deepEqual(fieldErrors(r2).sort(), ['reported_at', 'started_at'], 'started in the future; reported before the start');
    const r3 = await c.practitioner.req('POST', '/api/v1/missing-episodes', { person_id: 99999999, started_at: 'yesterday' });
    assert.deepEqual(fieldErrors(r3).sort(), ['category', 'missing_from', 'person_id', 'reported_at', 'started_at']);
    assert.equal(rows(`SELECT count(*) AS n FROM missing_episodes WHERE person_id = ${p.id}`)[0].n, 0, 'nothing stored');
  });

  it('refuses a second episode with the same police force and reference (409), and roles without missing.write', async () => {
    const p = await newPerson();
    const e = await create(p);
    assertProblem(await c.practitioner.req('POST', '/api/v1/missing-episodes', episode(p, { police_ref: e.police_ref })), 409, 'duplicate');
    await create(p, { police_ref: e.police_ref, police_force: 'Westshire Police' });
    assertProblem(await c.analyst.req('POST', '/api/v1/missing-episodes', episode(p)), 403, 'analyst');
    assertProblem(await c.board.req('GET', `/api/v1/missing-episodes/${e.id}`), 403, 'board');
    await create(p, {}, 'police_intel');
  });
});

describe('the return home interview (72 hours)', () => {
  const friday = '2025-06-13T20:30:00Z';   // Friday 21:30 in London (BST)
  const monday = '2025-06-16T20:30:00Z';   // Monday 21:30 in London

  it('a return at 21:30 on a Friday makes the RHI due at 21:30 the following Monday', async () => {
    assert.equal(londonWhen(friday), 'Fri 21:30');
    assert.equal(londonWhen(monday), 'Mon 21:30');
    const p = await newPerson();
    const e = await create(p, { started_at: '2025-06-13T08:00:00Z', reported_at: '2025-06-13T09:00:00Z' });
    const r = await expect(c.practitioner.req('POST', `/api/v1/missing-episodes/${e.id}/return`, {
      version: e.version, ended_at: friday, found_where: 'Bus station',
    }), 200, 'return');
    assert.equal(r.status, 'returned');
    assert.equal(r.ended_at, friday);
    assert.equal(r.found_where, 'Bus station');
    assert.equal(r.rhi_due_at, monday);
    assert.equal(r.rhi_status, 'breached', 'nothing recorded and the due time has passed');
    const k = clocks('rhi', 'missing_episode', e.id);
    assert.equal(k.length, 1);
    assert.equal(k[0].status, 'running');
    assert.equal(k[0].started_at, seconds(friday));
    assert.equal(k[0].due_at, seconds(monday));
    assert.equal(k[0].team, 'Missing from Home');
    assert.equal(k[0].person_id, p.id);
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'missing.return' AND object_id = '${e.id}'`)[0].n, 1);
    // The running clock is a task on the daily list, linking to the episode.
    const daily = await expect(c.practitioner2.req('GET', '/api/v1/dashboard/daily?limit=500'), 200, 'daily');
    const task = daily.tasks_overdue.find((t) => t.standard === 'rhi' && t.subject_id === e.id);
    assert.ok(task, 'the overdue RHI is on the team daily list');
    assert.equal(task.link, `/missing/${e.id}`);
  });

  for (const [when, status, within] of [['2025-06-16T20:31:00Z', 'breached', false], ['2025-06-16T20:29:00Z', 'met', true]]) {
    it(`completing the RHI at ${londonWhen(when)} on that Monday stops the clock as ${status}`, async () => {
      const p = await newPerson();
      const e = await create(p, { started_at: '2025-06-12T08:00:00Z', reported_at: '2025-06-12T09:00:00Z', ended_at: friday });
      assert.equal(e.rhi_due_at, monday, 'created with its end: the return rules ran');
      assert.equal(clocks('rhi', 'missing_episode', e.id)[0]?.status, 'running');
      const r = await expect(c.practitioner2.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, {
        offered_at: '2025-06-14T10:00:00Z', offered_by: 'Sam Worker', offered_org: 'Runaway Helpline', independent: true,
        response: 'accepted', responded_at: '2025-06-14T10:05:00Z', completed_at: when,
        push_factors: 'Arguments at home', pull_factors: 'Older friends', stayed_where: 'A flat in town',
        stayed_with: 'Friends', exploitation_disclosed: false, follow_up: 'Refer to the exploitation team',
      }), 200, 'rhi');
      assert.equal(r.rhi_status, 'completed');
      assert.equal(r.rhi.version, 1);
      assert.equal(r.rhi.completed_at, when);
      assert.equal(r.rhi.offered_within_72h, true);
      assert.equal(r.rhi.completed_within_72h, within);
      assert.equal(r.rhi.independent, true);
      assert.equal(r.rhi.exploitation_disclosed, false);
      assert.equal(r.rhi.updated_by, 'practitioner2');
      const k = clocks('rhi', 'missing_episode', e.id);
      assert.equal(k.length, 1);
      assert.equal(k[0].status, status);
      assert.equal(k[0].stopped_at, seconds(when));
      assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'missing.rhi' AND object_id = '${e.id}'`)[0].n, 1);
    });
  }

  it('an RHI declined within the 72 hours stops the clock as met; RHI rules are checked', async () => {
    const p = await newPerson();
    const e = await create(p, { started_at: '2025-06-12T08:00:00Z', reported_at: '2025-06-12T09:00:00Z', ended_at: friday });
    const bad = await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, {
      offered_at: '2025-06-13T20:00:00Z', response: 'declined', completed_at: iso(Date.now() + 2 * DAY), sock: 1,
    });
    assert.deepEqual(fieldErrors(bad).sort(), ['completed_at', 'declined_reason', 'offered_at', 'sock'].sort());
    const r = await expect(c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, {
      offered_at: '2025-06-14T10:00:00Z', response: 'declined', responded_at: '2025-06-15T10:00:00Z',
      declined_reason: 'Did not want to talk',
    }), 200, 'declined');
    assert.equal(r.rhi_status, 'declined');
    assert.equal(clocks('rhi', 'missing_episode', e.id)[0].status, 'met');
    // a second write must send the version it read
    assertProblem(await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, { follow_up: 'x' }), 409, 'no version');
    assertProblem(await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, { version: 9, follow_up: 'x' }), 409, 'stale');
    const r2 = await expect(c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, { version: 1, follow_up: 'Review in a week' }), 200);
    assert.equal(r2.rhi.version, 2);
    assert.equal(r2.rhi.declined_reason, 'Did not want to talk', 'members not sent are kept');
    // only for a returned episode
    const open = await create(p);
    assertProblem(await c.practitioner.req('PUT', `/api/v1/missing-episodes/${open.id}/rhi`, { offered_at: '2025-06-14T10:00:00Z' }), 409, 'still missing');
  });
});

describe('gradings', () => {
  it('a re-grade adds: low then high keeps both (latest high, highest high); a later low gives latest low, highest high', async () => {
    const p = await newPerson();
    const e = await create(p, { grade: 'low', graded_at: '2025-05-01T21:10:00Z', graded_by: 'PC 1 Low' });
    const g1 = await expect(c.police_intel.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, {
      grade: 'high', graded_at: '2025-05-02T06:00:00Z', graded_by: 'DS 2 High', note: 'Seen with older males',
    }), 201, 'high');
    assert.deepEqual(g1.grading.history.map((g) => g.grade), ['low', 'high']);
    assert.equal(g1.grading.latest, 'high');
    assert.equal(g1.grading.highest, 'high');
    assert.equal(g1.grading.history[1].note, 'Seen with older males');
    assert.equal(g1.version, e.version, 'a grading does not clash with an edit of the episode');
    const g2 = await expect(c.police_intel.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, {
      grade: 'low', graded_at: '2025-05-02T12:00:00Z',
    }), 201, 'low again');
    assert.deepEqual(g2.grading.history.map((g) => [g.grade, g.graded_at]),
      [['low', '2025-05-01T21:10:00Z'], ['high', '2025-05-02T06:00:00Z'], ['low', '2025-05-02T12:00:00Z']]);
    assert.equal(g2.grading.latest, 'low');
    assert.equal(g2.grading.highest, 'high');
    const stored = rows(`SELECT grade_latest, grade_highest, grade_rank FROM missing_episodes WHERE id = ${e.id}`)[0];
    assert.deepEqual(stored, { grade_latest: 'low', grade_highest: 'high', grade_rank: 1 });
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'missing.grade' AND object_id = '${e.id}'`)[0].n, 2);
    const bad = await c.police_intel.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, {
      grade: 'severe', graded_at: '2025-04-01T00:00:00Z', colour: 'red',
    });
    assert.deepEqual(fieldErrors(bad).sort(), ['colour', 'grade', 'graded_at']);
    const early = await c.police_intel.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, { grade: 'low', graded_at: '2025-04-01T00:00:00Z' });
    assert.deepEqual(fieldErrors(early), ['graded_at'], 'before the start');
    const future = await c.police_intel.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, { grade: 'low', graded_at: iso(Date.now() + DAY) });
    assert.deepEqual(fieldErrors(future), ['graded_at'], 'in the future');
    const now = await expect(c.police_intel.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, { grade: 'medium' }), 201);
    assert.ok(Math.abs(seconds(now.grading.history.at(-1).graded_at) - Date.now() / 1000) < 120, 'graded_at defaults to now');
  });
});

describe('changing, returning and reopening', () => {
  it('PUT changes the members sent; stale versions and clearing ended_at are 409 with nothing changed', async () => {
    const p = await newPerson();
    const e = await create(p);
    const u = await expect(c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, {
      version: e.version, notes: 'Known to visit the retail park', locality: 'South',
    }), 200, 'update');
    assert.equal(u.version, e.version + 1);
    assert.equal(u.notes, 'Known to visit the retail park');
    assert.equal(u.locality, 'South');
    assert.equal(u.team, 'Missing from Home', 'members not sent are kept');
    assertProblem(await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, { version: e.version, notes: 'stale' }), 409, 'stale');
    assert.deepEqual(fieldErrors(await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, { notes: 'x', person_id: 1, grade: 'low' })).sort(),
      ['grade', 'person_id', 'version']);
    // the return by PUT runs the return rules
    const back = await expect(c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, {
      version: u.version, ended_at: '2025-05-02T09:00:00Z',
    }), 200, 'return by PUT');
    assert.equal(back.rhi_due_at, '2025-05-05T09:00:00Z');
    assert.equal(clocks('rhi', 'missing_episode', e.id).length, 1);
    const early = await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, { version: back.version, ended_at: '2025-05-01T17:00:00Z' });
    assert.deepEqual(fieldErrors(early), ['ended_at'], 'before the start');
    const clear = await c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, { version: back.version, ended_at: null, notes: 'gone again' });
    assertProblem(clear, 409, 'clearing ended_at');
    assert.match(clear.body.detail, /reopen/);
    const still = await expect(c.practitioner.req('GET', `/api/v1/missing-episodes/${e.id}`), 200);
    assert.equal(still.version, back.version);
    assert.equal(still.ended_at, '2025-05-02T09:00:00Z');
    assert.equal(still.notes, 'Known to visit the retail park');
    // a corrected return time moves the due time and the same clock
    const moved = await expect(c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}`, { version: back.version, ended_at: '2025-05-02T10:00:00Z' }), 200);
    assert.equal(moved.rhi_due_at, '2025-05-05T10:00:00Z');
    const k = clocks('rhi', 'missing_episode', e.id);
    assert.equal(k.length, 1);
    assert.equal(k[0].due_at, seconds('2025-05-05T10:00:00Z'));
    // returning twice is refused
    assertProblem(await c.practitioner.req('POST', `/api/v1/missing-episodes/${e.id}/return`, { version: moved.version, ended_at: '2025-05-02T11:00:00Z' }), 409, 'already returned');
  });

  it('reopen: a manager with a reason (audited), keeping the RHI and cancelling the clock; a practitioner gets 403', async () => {
    const p = await newPerson();
    const e = await create(p, { ended_at: '2025-05-02T09:00:00Z' });
    await expect(c.practitioner.req('PUT', `/api/v1/missing-episodes/${e.id}/rhi`, { offered_at: '2025-05-02T12:00:00Z', offered_by: 'Sam' }), 200);
    assertProblem(await c.practitioner.req('POST', `/api/v1/missing-episodes/${e.id}/reopen`, { version: e.version, reason: 'Wrong child' }), 403, 'practitioner');
    assert.deepEqual(fieldErrors(await c.manager.req('POST', `/api/v1/missing-episodes/${e.id}/reopen`, { version: e.version, reason: '' })), ['reason']);
    assertProblem(await c.manager.req('POST', `/api/v1/missing-episodes/${e.id}/reopen`, { version: e.version + 5, reason: 'x' }), 409, 'stale');
    const r = await expect(c.manager.req('POST', `/api/v1/missing-episodes/${e.id}/reopen`, {
      version: e.version, reason: 'Return recorded in error: the child left again within the hour',
    }), 200, 'reopen');
    assert.equal(r.status, 'missing');
    assert.equal(r.ended_at, null);
    assert.equal(r.rhi_due_at, null);
    assert.equal(r.reopened_count, 1);
    assert.equal(r.rhi.offered_by, 'Sam', 'the RHI recorded is kept');
    assert.equal(r.rhi_status, null);
    assert.equal(clocks('rhi', 'missing_episode', e.id)[0].status, 'cancelled');
    const a = rows(`SELECT username, detail FROM audit WHERE action = 'missing.reopen' AND object_id = '${e.id}'`);
    assert.equal(a.length, 1);
    assert.equal(a[0].username, 'manager');
    assert.match(a[0].detail, /Return recorded in error/);
    assertProblem(await c.manager.req('POST', `/api/v1/missing-episodes/${e.id}/reopen`, { version: r.version, reason: 'again' }), 409, 'open already');
    // the next return starts a fresh clock
    const back = await expect(c.practitioner.req('POST', `/api/v1/missing-episodes/${e.id}/return`, { version: r.version, ended_at: '2025-05-03T09:00:00Z' }), 200);
    assert.equal(back.rhi_due_at, '2025-05-06T09:00:00Z');
    assert.deepEqual(clocks('rhi', 'missing_episode', e.id).map((k) => k.status), ['cancelled', 'running']);
  });

  it('lists episodes newest start first with filters, and a person\'s summary', async () => {
    const p = await newPerson();
    const a = await create(p, { started_at: '2024-01-10T10:00:00Z', reported_at: '2024-01-10T11:00:00Z', ended_at: '2024-01-11T10:00:00Z' });
    const b = await create(p, { started_at: ago(10), reported_at: ago(10), ended_at: ago(9) });
    const open = await create(p, { started_at: ago(1), reported_at: ago(1) });
    const all = await expect(c.manager.req('GET', `/api/v1/missing-episodes?person_id=${p.id}`), 200);
    assert.equal(all.total, 3);
    assert.deepEqual(all.items.map((x) => x.id), [open.id, b.id, a.id]);
    assert.equal(all.items[0].grading.history, undefined, 'lists carry no grading history');
    const returned = await expect(c.manager.req('GET', `/api/v1/missing-episodes?person_id=${p.id}&status=returned`), 200);
    assert.deepEqual(returned.items.map((x) => x.id), [b.id, a.id]);
    const range = await expect(c.manager.req('GET', `/api/v1/missing-episodes?person_id=${p.id}&from=2024-01-10&to=2024-01-10`), 200);
    assert.deepEqual(range.items.map((x) => x.id), [a.id]);
    const page = await expect(c.manager.req('GET', `/api/v1/missing-episodes?person_id=${p.id}&limit=1&offset=1`), 200);
    assert.deepEqual(page.items.map((x) => x.id), [b.id]);
    assert.equal(page.total, 3);
    assertProblem(await c.manager.req('GET', '/api/v1/missing-episodes?status=lost'), 400, 'bad status');
    const s = await expect(c.manager.req('GET', `/api/v1/persons/${p.id}/missing`), 200);
    assert.equal(s.count_90_days, 2);
    assert.equal(s.count_12_months, 2);
    assert.equal(s.open_episode_id, open.id);
    assert.deepEqual(s.repeat_missing, { flagged: false, since: null });
    assert.deepEqual(s.episodes.map((x) => x.id), [open.id, b.id, a.id]);
  });
});

describe('repeat missing', () => {
  // Three episodes for a new person starting on the given UTC times (in order).
  async function three(starts) {
    const p = await newPerson();
    const out = [];
    for (const s of starts) {
      const end = iso(Date.parse(s) + 5 * HOUR);
      out.push(await create(p, { started_at: s, reported_at: s, ended_at: end }));
    }
    return { p, episodes: out };
  }
  const flags = (id) => rows(`SELECT kind, removed_at FROM person_flags WHERE person_id = ${id}`);

  it('a third episode within 90 days (days 1, 30 and 90) flags the child and starts the intervention task', async () => {
    const { p, episodes } = await three(['2025-01-01T12:00:00Z', '2025-01-30T12:00:00Z', '2025-03-31T12:00:00Z']);
    assert.deepEqual(flags(p.id), [{ kind: 'repeat_missing', removed_at: null }]);
    const k = clocks('repeat_missing_meeting', 'person', p.id);
    assert.equal(k.length, 1);
    assert.equal(k[0].status, 'running', 'the intervention-meeting task runs');
    assert.equal(k[0].person_id, p.id);
    assert.equal(k[0].team, 'Missing from Home');
    const s = await expect(c.practitioner.req('GET', `/api/v1/persons/${p.id}/missing`), 200);
    assert.equal(s.repeat_missing.flagged, true);
    assert.ok(s.repeat_missing.since);
    const a = rows(`SELECT detail FROM audit WHERE action = 'missing.repeat' AND object_id = '${p.id}'`);
    assert.equal(a.length, 1);
    assert.match(a[0].detail, new RegExp(`episode ${episodes[2].id}`));
    // a fourth episode does not flag again or start a second task
    await create(p, { started_at: '2025-04-02T12:00:00Z', reported_at: '2025-04-02T12:00:00Z' });
    assert.equal(flags(p.id).length, 1);
    assert.equal(clocks('repeat_missing_meeting', 'person', p.id).length, 1);
    // a meeting for the child stops the task
    await expect(c.practitioner2.req('POST', '/api/v1/meetings', {
      type: 'repeat_missing', held_at: iso(Date.now() - HOUR), person_id: p.id,
      attendees: [{ name: 'Pat Practitioner', agency: "Children's Social Care", role: 'Lead' }],
      decisions: 'Safety plan', actions: [],
    }), 201, 'meeting');
    assert.equal(clocks('repeat_missing_meeting', 'person', p.id)[0].status, 'met');
  });

  it('a third episode on day 91 (starts 90 days apart) does not flag; 90 days less a second does', async () => {
    const { p } = await three(['2025-01-01T12:00:00Z', '2025-01-30T12:00:00Z', '2025-04-01T12:00:00Z']);
    assert.deepEqual(flags(p.id), []);
    assert.deepEqual(clocks('repeat_missing_meeting', 'person', p.id), []);
    const s = await expect(c.practitioner.req('GET', `/api/v1/persons/${p.id}/missing`), 200);
    assert.equal(s.repeat_missing.flagged, false);
    const { p: q } = await three(['2025-01-01T12:00:00Z', '2025-01-30T12:00:00Z', '2025-04-01T11:59:59Z']);
    assert.deepEqual(flags(q.id), [{ kind: 'repeat_missing', removed_at: null }]);
  });

  it('an older episode recorded late counts with the later ones', async () => {
    const { p } = await three(['2025-01-01T12:00:00Z', '2025-03-01T12:00:00Z']);
    assert.deepEqual(flags(p.id), []);
    await create(p, { started_at: '2025-02-01T12:00:00Z', reported_at: '2025-02-01T12:00:00Z' });
    assert.equal(flags(p.id).length, 1);
  });
});

describe('out-of-area children and notifications', () => {
  const placement = (placing, host) => ({ type: 'foster', provider: 'Carers', placing_authority: placing, host_authority: host });

  it('a child placed here by another authority: notification to the placing authority; the RHI as the rule says', async () => {
    const p = await newPerson();
    const e = await create(p, { missing_from: 'care', placement: placement('Westshire', 'Northby'), ended_at: '2025-05-02T09:00:00Z' });
    assert.equal(e.out_of_area, 'placed_here');
    assert.equal(e.rhi_by, 'us', 'host rule: the host (us) does the RHI');
    assert.equal(e.notifications.length, 1);
    assert.equal(e.notifications[0].to_authority, 'Westshire');
    assert.equal(e.notifications[0].reason, 'placed_here');
    assert.equal(e.notifications[0].rhi_by, 'us');
    assert.equal(e.notifications[0].acknowledged_at, null);
    assert.equal(clocks('rhi', 'missing_episode', e.id).length, 1, 'ours to do: the clock runs');

    await expect(putSettings({ 'mfh.rhi_rule': 'placing' }), 200, 'placing rule');
    try {
      const o = await create(p, { missing_from: 'care', placement: placement('Westshire', 'Northby'),
        started_at: '2025-06-01T10:00:00Z', reported_at: '2025-06-01T10:00:00Z', ended_at: '2025-06-02T09:00:00Z' });
      assert.equal(o.rhi_by, 'other', 'placing rule: the placing authority does it');
      assert.equal(o.notifications[0].rhi_by, 'other');
      assert.equal(o.rhi_due_at, '2025-06-05T09:00:00Z');
      assert.equal(o.rhi_status, null, 'theirs and nothing recorded');
      assert.deepEqual(clocks('rhi', 'missing_episode', o.id), [], 'no rhi clock for another authority\'s RHI');
      const away = await create(p, { missing_from: 'care', placement: placement('Northby', 'Eastmoor'),
        started_at: '2025-07-01T10:00:00Z', reported_at: '2025-07-01T10:00:00Z', ended_at: '2025-07-01T20:00:00Z' });
      assert.equal(away.out_of_area, 'placed_elsewhere');
      assert.equal(away.rhi_by, 'us', 'placing rule: we placed, we do it');
    } finally {
      await expect(putSettings({ 'mfh.rhi_rule': 'host' }), 200, 'back to host');
    }
  });

  it('ours placed elsewhere: notification to the host authority; not out of area: none', async () => {
    const p = await newPerson();
    const e = await create(p, { missing_from: 'care', placement: placement('Northby', 'Eastmoor'), ended_at: '2025-05-02T09:00:00Z' });
    assert.equal(e.out_of_area, 'placed_elsewhere');
    assert.equal(e.rhi_by, 'other', 'host rule: the host authority does the RHI');
    assert.deepEqual(e.notifications.map((x) => [x.to_authority, x.reason, x.rhi_by]), [['Eastmoor', 'placed_elsewhere', 'other']]);
    assert.deepEqual(clocks('rhi', 'missing_episode', e.id), []);
    const neither = await create(p, { missing_from: 'care', placement: placement('Westshire', 'Eastmoor'),
      started_at: '2025-05-10T10:00:00Z', reported_at: '2025-05-10T10:00:00Z' });
    assert.equal(neither.out_of_area, '');
    assert.equal(neither.rhi_by, 'us');
    assert.deepEqual(neither.notifications, []);
  });

  it('notifications are listed until acknowledged, and acknowledged once (second 409; stale 409)', async () => {
    const p = await newPerson();
    const e = await create(p, { missing_from: 'care', placement: placement('Southvale', 'Northby') });
    const note = e.notifications[0];
    const open = await expect(c.manager.req('GET', '/api/v1/missing-notifications?open=true'), 200);
    const item = open.items.find((x) => x.id === note.id);
    assert.ok(item, 'listed while open');
    assert.equal(item.episode.id, e.id);
    assert.equal(item.person.id, p.id);
    assert.deepEqual(fieldErrors(await c.practitioner.req('POST', `/api/v1/missing-notifications/${note.id}/acknowledgement`, { version: 1 })), ['acknowledged_by']);
    assertProblem(await c.practitioner.req('POST', `/api/v1/missing-notifications/${note.id}/acknowledgement`, { version: 7, acknowledged_by: 'A' }), 409, 'stale');
    const ack = await expect(c.practitioner.req('POST', `/api/v1/missing-notifications/${note.id}/acknowledgement`, {
      version: note.version, acknowledged_by: 'Duty manager, Southvale',
    }), 200, 'ack');
    assert.equal(ack.acknowledged_by, 'Duty manager, Southvale');
    assert.ok(ack.acknowledged_at);
    assert.equal(ack.version, note.version + 1);
    const again = await c.practitioner.req('POST', `/api/v1/missing-notifications/${note.id}/acknowledgement`, {
      version: ack.version, acknowledged_by: 'Someone else',
    });
    assertProblem(again, 409, 'acknowledged twice');
    const after = await expect(c.manager.req('GET', '/api/v1/missing-notifications?open=true'), 200);
    assert.equal(after.items.find((x) => x.id === note.id), undefined, 'no longer open');
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'notification.acknowledge' AND object_id = '${note.id}'`)[0].n, 1);
    assertProblem(await c.practitioner.req('POST', '/api/v1/missing-notifications/99999999/acknowledgement', { version: 1, acknowledged_by: 'A' }), 404);
  });
});

describe('restricted persons and the audit of views', () => {
  it('a restricted person\'s episodes: 403 to anyone not named, left out of lists', async () => {
    const secret = await newPerson({ restricted: true, restricted_to: ['practitioner'] });
    const e = await create(secret, { missing_from: 'care', placement: { type: 'foster', provider: '', placing_authority: 'Westshire', host_authority: 'Northby' } });
    await expect(c.practitioner.req('GET', `/api/v1/missing-episodes/${e.id}`), 200, 'named');
    assertProblem(await c.manager.req('GET', `/api/v1/missing-episodes/${e.id}`), 403, 'get');
    assertProblem(await c.manager.req('PUT', `/api/v1/missing-episodes/${e.id}`, { version: 1, notes: 'x' }), 403, 'put');
    assertProblem(await c.manager.req('POST', `/api/v1/missing-episodes/${e.id}/gradings`, { grade: 'high' }), 403, 'grade');
    assertProblem(await c.manager.req('GET', `/api/v1/persons/${secret.id}/missing`), 403, 'summary');
    assertProblem(await c.manager.req('GET', `/api/v1/missing-episodes?person_id=${secret.id}`), 403, 'list by person');
    assertProblem(await c.police_intel.req('POST', '/api/v1/missing-episodes', episode(secret)), 403, 'create');
    assertProblem(await c.manager.req('POST', `/api/v1/missing-notifications/${e.notifications[0].id}/acknowledgement`, { version: 1, acknowledged_by: 'A' }), 403, 'ack');
    const list = await expect(c.manager.req('GET', '/api/v1/missing-episodes?limit=500&from=2025-05-01&to=2025-05-01'), 200);
    assert.equal(list.items.find((x) => x.id === e.id), undefined, 'left out of the list');
    const notes = await expect(c.manager.req('GET', '/api/v1/missing-notifications'), 200);
    assert.equal(notes.items.find((x) => x.episode_id === e.id), undefined, 'left out of notifications');
    const mine = await expect(c.practitioner.req('GET', '/api/v1/missing-notifications'), 200);
    assert.ok(mine.items.find((x) => x.episode_id === e.id), 'the named user sees it');
    assert.ok(rows(`SELECT count(*) AS n FROM audit WHERE action = 'person.denied' AND object_id = '${secret.id}' AND username = 'manager'`)[0].n >= 1);
    // a found_with person the user may not see cannot be named
    const p = await newPerson({}, 'manager');
    const r = await c.manager.req('POST', '/api/v1/missing-episodes', episode(p, { found_with: [secret.id] }));
    assert.deepEqual(fieldErrors(r), ['found_with[0]']);
  });

  it('every view is audited: an episode, a list, a person\'s summary, the notifications', async () => {
    const p = await newPerson();
    const e = await create(p);
    const since = rows('SELECT max(seq) AS s FROM audit')[0].s;
    await expect(c.analyst.req('GET', `/api/v1/missing-episodes/${e.id}`), 200);
    await expect(c.analyst.req('GET', `/api/v1/missing-episodes?person_id=${p.id}`), 200);
    await expect(c.analyst.req('GET', `/api/v1/persons/${p.id}/missing`), 200);
    await expect(c.analyst.req('GET', '/api/v1/missing-notifications?open=true'), 200);
    const seen = rows(`SELECT action, object_type, object_id FROM audit WHERE username = 'analyst' AND seq > ${since}
      AND action IN ('missing.view', 'missing.list', 'missing.person', 'notification.list') ORDER BY seq`);
    assert.deepEqual(seen.map((a) => a.action), ['missing.view', 'missing.list', 'missing.person', 'notification.list']);
    assert.deepEqual(seen[0], { action: 'missing.view', object_type: 'missing_episode', object_id: String(e.id) });
    assert.equal(seen[1].object_id, String(p.id));
    assert.equal(seen[2].object_id, String(p.id));
    assertProblem(await c.analyst.req('GET', '/api/v1/missing-episodes/99999999'), 404);
  });
});
