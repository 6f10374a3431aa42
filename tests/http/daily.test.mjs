// The daily tasking list and the person's whole story (docs/api-casework.md "Tasks and the
// daily tasking list", "The person's whole story"): overdue tasks show, and completing the task
// stops its clock and takes it off the list (a referral decision, an assessment, a PTAC, an
// action, a visit, a transition plan, a flag review); tasks due today; restricted persons left
// out for users not named on them; scope team vs all; who may read what; the story's risk
// trajectory oldest first and its timeline newest first. Everything is made through the real
// API, except a flag whose review date has passed (the API takes only future review dates): that
// one is moved back with the sqlite3 CLI while the server is stopped.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startServer, signedIn } from '../lib/server.mjs';
import { assertProblem, personBody, show } from '../lib/helpers.mjs';

const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (days) => iso(Date.now() - days * DAY);

// The Europe/London date (YYYY-MM-DD) at UTC milliseconds ms, and date arithmetic on it.
const londonDate = (ms) => new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
}).format(new Date(ms));
const addDays = (ymd, n) => {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
};
// The same day of the month, `months` earlier (day <= 28 so nothing clamps).
const monthsBefore = (ymd, months) => {
  const [y, m, d] = ymd.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

let server;
const c = {};
const USERS = ['admin', 'manager', 'practitioner', 'practitioner2', 'analyst', 'police_intel', 'board'];
async function signInAll() {
  for (const u of USERS) c[u] = await signedIn(server.url, u);
}
before(async () => {
  server = await startServer({ keep: true });
  await signInAll();
});
after(async () => {
  if (server) await server.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

async function expect(promise, status, what = '') {
  const r = await promise;
  assert.equal(r.status, status, `${what}: ${show(r)}`);
  return r.body;
}
function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', server.db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

let n = 0;
const letters = (k) => { let s = ''; do { s = String.fromCharCode(97 + (k % 26)) + s; k = Math.floor(k / 26); } while (k); return s; };
async function newPerson(who = 'practitioner', extra = {}) {
  n++;
  return expect(c[who].req('POST', '/api/v1/persons', personBody({
    given_name: `Daily${letters(n)}`, family_name: 'Tasker', dob: '2010-03-14', ...extra,
  })), 201, 'create person');
}
async function referral(who, personId, daysAgo) {
  return expect(c[who].req('POST', '/api/v1/referrals', {
    person_id: personId, received_at: ago(daysAgo), source_code: '2A', strands: ['cce'],
    concerns: 'Missing from school; new phone and trainers.',
  }), 201, 'referral');
}
async function decide(r, outcome = 'allocate', daysAgo = null, team = 'Phoenix') {
  const body = { version: r.version, outcome, rationale: 'Screened by the hub.' };
  if (daysAgo !== null) body.decided_at = ago(daysAgo);
  if (outcome === 'allocate') Object.assign(body, { team, worker: team === 'Phoenix' ? 'practitioner' : 'practitioner2' });
  return expect(c.manager.req('POST', `/api/v1/referrals/${r.id}/decision`, body), 200, 'decision');
}
async function openCase({ receivedDaysAgo = 30, decidedDaysAgo = 29, person = {}, team = 'Phoenix' } = {}) {
  const p = await newPerson('practitioner', person);
  const r = await referral('practitioner', p.id, receivedDaysAgo);
  const d = await decide(r, 'allocate', decidedDaysAgo, team);
  return { person: p, caseId: d.case_id };
}
const daily = (who, scope) => expect(c[who].req('GET', `/api/v1/dashboard/daily${scope ? `?scope=${scope}` : ''}`), 200, `daily ${who}`);

// Every person id a daily list names, in any section.
function personIds(d) {
  const ids = new Set();
  for (const l of d.referrals_awaiting_decision) if (l.referral.person) ids.add(l.referral.person.id);
  for (const k of ['tasks_due_today', 'tasks_overdue', 'overdue_actions', 'high_risk_not_seen', 'flags_due_for_review', 'transitions_due']) {
    for (const l of d[k]) if (l.person) ids.add(l.person.id);
  }
  return ids;
}
const taskOf = (list, standard, caseId) => list.find((t) => t.standard === standard && t.case_id === caseId);

describe('the daily tasking list', () => {
  it('a referral received long ago is overdue; deciding it stops its clock and takes it off the list', async () => {
    const p = await newPerson();
    const r = await referral('practitioner', p.id, 10);
    let d = await daily('manager');
    assert.equal(d.scope, 'team');
    assert.equal(d.team, 'Phoenix');
    const line = d.referrals_awaiting_decision.find((l) => l.referral.id === r.id);
    assert.ok(line, 'awaiting decision');
    assert.equal(line.overdue, true);
    assert.ok(line.hours_left < -24, `hours left ${line.hours_left}`);
    assert.equal(line.due_at, r.decision_due_at);
    assert.equal(line.link, `/referrals/${r.id}`);
    assert.equal(line.referral.person.id, p.id);
    assert.equal(line.referral.source_label, 'Schools');
    const task = d.tasks_overdue.find((t) => t.standard === 'referral_decision' && t.subject_id === r.id);
    assert.ok(task, 'the referral_decision clock is an overdue task');
    assert.equal(task.overdue, true);
    assert.equal(task.link, `/referrals/${r.id}`);
    assert.equal(task.name, 'Referral decision');
    const count = (x) => x.overdue_by_type.find((t) => t.standard === 'referral_decision')?.count ?? 0;
    const before = count(d);
    assert.ok(before >= 1);
    assert.equal(d.totals.tasks_overdue, d.tasks_overdue.length);

    await decide(r, 'nfa');
    d = await daily('manager');
    assert.ok(!d.referrals_awaiting_decision.some((l) => l.referral.id === r.id), 'no longer awaiting');
    assert.ok(!d.tasks_overdue.some((t) => t.standard === 'referral_decision' && t.subject_id === r.id), 'clock stopped');
    assert.equal(count(d), before - 1);
    assert.equal(rows(`SELECT status FROM clocks WHERE subject_type = 'referral' AND subject_id = ${r.id}`)[0].status, 'breached');
  });

  it('a referral received now has time left and is not overdue', async () => {
    const p = await newPerson();
    const r = await referral('practitioner', p.id, 0);
    const d = await daily('practitioner');
    const line = d.referrals_awaiting_decision.find((l) => l.referral.id === r.id);
    assert.equal(line.overdue, false);
    assert.ok(line.hours_left >= 0, `hours left ${line.hours_left}`);
    assert.ok(!d.tasks_overdue.some((t) => t.subject_type === 'referral' && t.subject_id === r.id));
    await decide(r, 'advice');
  });

  it('tasks due today and overdue; an assessment and a PTAC complete theirs', async () => {
    // Allocated 50 days ago; a PTAC 42 local days ago, so the review is due at the end of today.
    const { person, caseId } = await openCase({ receivedDaysAgo: 60, decidedDaysAgo: 50 });
    const today = londonDate(Date.now());
    const heldDay = addDays(today, -42);
    await expect(c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'ptac', held_at: `${heldDay}T12:00:00Z`, case_id: caseId, attendees: [], decisions: 'Plan agreed.', actions: [],
    }), 201, 'ptac');
    let d = await daily('practitioner');
    const review = taskOf(d.tasks_due_today, 'ptac_review', caseId);
    assert.ok(review, `ptac_review due today: ${JSON.stringify(d.tasks_due_today.map((t) => [t.standard, t.case_id]))}`);
    assert.equal(review.overdue, false);
    assert.equal(review.link, `/cases/${caseId}`);
    assert.equal(review.person.id, person.id);
    assert.equal(review.worker.username, 'practitioner');
    assert.equal(londonDate(Date.parse(review.due_at)), today);
    const assessment = taskOf(d.tasks_overdue, 'first_assessment', caseId);
    assert.ok(assessment, 'first assessment overdue');
    assert.equal(assessment.overdue, true);
    assert.ok(taskOf(d.tasks_overdue, 'supervision', caseId), 'supervision overdue (28 days)');
    assert.ok(d.overdue_by_type.some((t) => t.standard === 'first_assessment' && t.count >= 1));
    assert.equal(d.totals.tasks_due_today, d.tasks_due_today.length);

    const tools = await expect(c.practitioner.req('GET', '/api/v1/risk-tools'), 200);
    await expect(c.practitioner.req('POST', '/api/v1/assessments', {
      person_id: person.id, case_id: caseId, tool_id: tools.items[0].id, answers: {}, assessed_at: ago(0),
    }), 201, 'assessment');
    await expect(c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'ptac', held_at: ago(0), case_id: caseId, attendees: [], decisions: 'Review.', actions: [],
    }), 201, 'review ptac');
    d = await daily('practitioner');
    assert.ok(!taskOf(d.tasks_overdue, 'first_assessment', caseId), 'assessment done: off the list');
    assert.ok(!taskOf(d.tasks_due_today, 'ptac_review', caseId), 'review held: off the list');
  });

  it('overdue meeting actions show until done', async () => {
    const { caseId } = await openCase({ receivedDaysAgo: 12, decidedDaysAgo: 11 });
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'professionals', held_at: ago(9), case_id: caseId, attendees: [{ name: 'Jo', agency: 'Health', role: 'School nurse' }],
      decisions: 'Health check.', actions: [
        { what: 'Book a sexual health appointment', owner: 'Jo (school nurse)', due_date: londonDate(Date.now() - 2 * DAY) },
        { what: 'Due today: not overdue yet', owner: 'Jo', due_date: londonDate(Date.now()) },
      ],
    }), 201);
    let d = await daily('practitioner');
    const line = d.overdue_actions.find((l) => l.action.id === m.actions[0].id);
    assert.ok(line, 'listed');
    assert.equal(line.action.overdue, true);
    assert.equal(line.meeting_id, m.id);
    assert.equal(line.case_id, caseId);
    assert.equal(line.link, `/cases/${caseId}`);
    assert.ok(!d.overdue_actions.some((l) => l.action.id === m.actions[1].id), 'due today is not overdue');
    await expect(c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${m.actions[0].id}`, { version: 1, done: true }), 200);
    d = await daily('practitioner');
    assert.ok(!d.overdue_actions.some((l) => l.action.id === m.actions[0].id), 'done');
  });

  it('high-risk children not seen in 7 days, until a visit where the child is seen', async () => {
    const { person, caseId } = await openCase({ receivedDaysAgo: 20, decidedDaysAgo: 19 });
    const tools = await expect(c.practitioner.req('GET', '/api/v1/risk-tools'), 200);
    await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`, {
      contact_at: ago(9), kind: 'visit', seen: true, seen_alone: true, location: 'Home', summary: 'Seen at home.',
    }), 201, 'contact 9 days ago');
    await expect(c.practitioner.req('POST', '/api/v1/assessments', {
      person_id: person.id, case_id: caseId, tool_id: tools.items[0].id, answers: { disclosure: true }, assessed_at: ago(8),
    }), 201, 'high');
    let d = await daily('practitioner');
    let line = d.high_risk_not_seen.find((l) => l.case_id === caseId);
    assert.ok(line, 'listed');
    assert.equal(line.days_since, 9);
    assert.equal(line.risk_level, 'high');
    assert.equal(line.link, `/cases/${caseId}`);
    await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`, {
      contact_at: ago(0), kind: 'phone', seen: false, seen_alone: false, location: '', summary: 'No answer.',
    }), 201, 'not seen');
    d = await daily('practitioner');
    assert.ok(d.high_risk_not_seen.some((l) => l.case_id === caseId), 'a call where the child is not seen does not count');
    await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`, {
      contact_at: ago(0), kind: 'visit_school', seen: true, seen_alone: false, location: 'School', summary: 'Seen.',
    }), 201, 'seen');
    d = await daily('practitioner');
    assert.ok(!d.high_risk_not_seen.some((l) => l.case_id === caseId), 'seen today');
  });

  it('young people reaching 17 1/2 within 30 days without a transition plan', async () => {
    // A day k days from today that is at most the 28th, so that no month end clamps.
    const dayFrom = (k) => {
      while (Number(addDays(londonDate(Date.now()), k).slice(8)) > 28) k++;
      return addDays(londonDate(Date.now()), k);
    };
    const half = dayFrom(10);
    const soon = await openCase({ receivedDaysAgo: 3, decidedDaysAgo: 2, person: { dob: monthsBefore(half, 210) } });
    const later = await openCase({ receivedDaysAgo: 3, decidedDaysAgo: 2, person: { dob: monthsBefore(dayFrom(45), 210) } });
    const adult = await openCase({ receivedDaysAgo: 3, decidedDaysAgo: 2, person: { dob: monthsBefore(dayFrom(0), 12 * 20) } });
    let d = await daily('practitioner');
    const line = d.transitions_due.find((l) => l.case_id === soon.caseId);
    assert.ok(line, `listed: ${JSON.stringify(d.transitions_due)}`);
    assert.equal(line.seventeen_and_half, half);
    assert.equal(line.person.id, soon.person.id);
    assert.equal(line.link, `/cases/${soon.caseId}`);
    assert.ok(!d.transitions_due.some((l) => l.case_id === later.caseId), 'more than 30 days away');
    assert.ok(!d.transitions_due.some((l) => l.case_id === adult.caseId), 'an adult (20)');
    const kase = await expect(c.practitioner.req('GET', `/api/v1/cases/${soon.caseId}`), 200);
    await expect(c.practitioner.req('POST', `/api/v1/cases/${soon.caseId}/transition-plan`, { version: kase.version, plan: 'Adult services introduced.' }), 200, 'plan');
    d = await daily('practitioner');
    assert.ok(!d.transitions_due.some((l) => l.case_id === soon.caseId), 'plan recorded');
  });

  it('restricted persons are left out for users not named on them', async () => {
    // Named: practitioner (creator) and manager. Not named: practitioner2, police_intel.
    const { person, caseId } = await openCase({ receivedDaysAgo: 15, decidedDaysAgo: 14, person: { restricted: true, restricted_to: ['manager'] } });
    await referral('practitioner', person.id, 5);
    await expect(c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'strategy', held_at: ago(10), case_id: caseId, attendees: [], decisions: 'x',
      actions: [{ what: 'Secret action', owner: 'Pat', due_date: londonDate(Date.now() - 2 * DAY) }],
    }), 201);
    const named = await daily('manager', 'all');
    assert.ok(personIds(named).has(person.id), 'a named manager sees the lines');
    assert.ok(named.referrals_awaiting_decision.some((l) => l.referral.person?.id === person.id));
    assert.ok(named.overdue_actions.some((l) => l.person?.id === person.id));
    assert.ok(named.tasks_overdue.some((t) => t.person?.id === person.id));
    const sum = (d) => d.overdue_by_type.reduce((a, t) => a + t.count, 0);
    for (const who of ['practitioner2', 'police_intel']) {
      const d = await daily(who, 'all');
      assert.ok(!personIds(d).has(person.id), `${who} sees no line about the restricted person`);
      assert.ok(!JSON.stringify(d).includes('Secret action'), `${who}: no action text`);
      // The counts leave them out too: the difference from the named manager's counts is exactly
      // the lines about persons this user may not reach (when every line fits on the list).
      assert.equal(sum(d), d.totals.tasks_overdue, 'overdue_by_type adds up');
      const hidden = new Set();
      for (const pid of personIds(named)) {
        if ((await c[who].req('GET', `/api/v1/persons/${pid}`)).status === 403) hidden.add(pid);
      }
      assert.ok(hidden.has(person.id));
      for (const [key, max] of [['tasks_overdue', named.limit], ['overdue_actions', named.limit]]) {
        if (named.totals[key] > max) continue;
        const lines = named[key].filter((l) => hidden.has(l.person?.id)).length;
        assert.ok(lines >= 1, `${key}: the restricted person has lines`);
        assert.equal(named.totals[key] - d.totals[key], lines, `${who}: ${key} counts leave out ${lines} hidden lines`);
      }
    }
  });

  it('scope: my team by default, or the whole hub', async () => {
    const p = await newPerson('practitioner2');
    const r = await referral('practitioner2', p.id, 4);
    const mine = await daily('practitioner2');
    assert.equal(mine.team, 'Missing from Home');
    assert.ok(mine.referrals_awaiting_decision.some((l) => l.referral.id === r.id), 'my team');
    assert.ok(mine.referrals_awaiting_decision.every((l) => l.referral.team === 'Missing from Home'));
    assert.ok(mine.tasks_overdue.every((t) => t.team === 'Missing from Home'));
    const phoenix = await daily('practitioner', 'team');
    assert.ok(!phoenix.referrals_awaiting_decision.some((l) => l.referral.id === r.id), 'not another team');
    assert.ok(!phoenix.tasks_overdue.some((t) => t.subject_type === 'referral' && t.subject_id === r.id));
    const all = await daily('practitioner', 'all');
    assert.equal(all.scope, 'all');
    assert.equal(all.team, null);
    assert.ok(all.referrals_awaiting_decision.some((l) => l.referral.id === r.id), 'the whole hub');
    assert.ok(all.tasks_overdue.some((t) => t.subject_type === 'referral' && t.subject_id === r.id));
    assertProblem(await c.practitioner.req('GET', '/api/v1/dashboard/daily?scope=everyone'), 400, 'bad scope');
  });

  it('who may read it: managers, practitioners and police intelligence, audited as dashboard.daily', async () => {
    for (const who of ['analyst', 'board', 'admin']) {
      assertProblem(await c[who].req('GET', '/api/v1/dashboard/daily'), 403, who);
    }
    await daily('police_intel');
    const a = rows("SELECT username, detail FROM audit WHERE action = 'dashboard.daily' AND username = 'police_intel' ORDER BY seq DESC");
    assert.ok(a.length >= 1, 'audited');
    assert.match(a[0].detail, /^scope team/);
  });
});

describe("the person's whole story", () => {
  let person, caseId, ids;
  before(async () => {
    ({ person, caseId } = await openCase({ receivedDaysAgo: 40, decidedDaysAgo: 39 }));
    const tools = await expect(c.practitioner.req('GET', '/api/v1/risk-tools'), 200);
    const tool = tools.items[0].id;
    const assess = async (daysAgo, body) => (await expect(c.practitioner.req('POST', '/api/v1/assessments', {
      person_id: person.id, case_id: caseId, tool_id: tool, assessed_at: ago(daysAgo), answers: {}, ...body,
    }), 201, 'assessment')).id;
    // Recorded out of order: the trajectory is by assessment time.
    ids = {};
    ids.high = await assess(10, { answers: { disclosure: true } });
    ids.low = await assess(30, {});
    ids.medium = await assess(20, { override_level: 'medium', override_rationale: 'Going missing more often.' });
    await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/contacts`, {
      contact_at: ago(5), kind: 'visit', seen: true, seen_alone: true, location: 'Home', summary: 'Talked about school.',
    }), 201);
    await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/notes`, {
      note: `Strategy agreed. ${'x'.repeat(400)}`, child_voice: 'I just want to go back to my old school.',
    }), 201);
    await expect(c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'ptac', held_at: ago(25), case_id: caseId, attendees: [{ name: 'Jo', agency: 'Health', role: '' }], decisions: 'Plan.',
      actions: [{ what: 'Health check', owner: 'Jo', due_date: londonDate(Date.now() + DAY) }],
    }), 201);
    await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/feedback`, { stage: 'review', score: 4, words: 'Pat listens.' }), 201);
  });

  it('returns the person, cases, open case, referrals, meetings, contacts and feedback', async () => {
    const s = await expect(c.practitioner.req('GET', `/api/v1/persons/${person.id}/story`), 200);
    assert.equal(s.person.id, person.id);
    assert.equal(s.person.given_name, person.given_name);
    assert.equal(s.cases.length, 1);
    assert.equal(s.cases[0].id, caseId);
    assert.equal(s.open_case.id, caseId);
    assert.equal(s.open_case.status, 'open');
    assert.equal(s.open_case.worker.username, 'practitioner');
    assert.ok(['low', 'medium', 'high'].includes(s.open_case.risk_level), 'assessed');
    assert.ok(Array.isArray(s.open_case.clocks) && s.open_case.clocks.length > 0);
    assert.equal(s.open_case.allocations.length, 1);
    assert.equal(s.referrals.length, 1);
    assert.equal(s.referrals[0].status, 'decided');
    assert.equal(s.referrals[0].case_id, caseId);
    assert.equal(s.meetings.length, 1);
    assert.equal(s.meetings[0].actions.length, 1);
    assert.equal(s.contacts.length, 1);
    assert.equal(s.contacts[0].seen_alone, true);
    assert.equal(s.feedback.length, 1);
    assert.equal(s.feedback[0].score, 4);
    assert.deepEqual(s.flags, []);
  });

  it('the risk trajectory is oldest first', async () => {
    const s = await expect(c.analyst.req('GET', `/api/v1/persons/${person.id}/story`), 200, 'an analyst may read the story');
    assert.deepEqual(s.assessments.map((a) => a.id), [ids.low, ids.medium, ids.high]);
    assert.deepEqual(s.assessments.map((a) => a.final_level), ['low', 'medium', 'high']);
    assert.equal(s.assessments[1].override_level, 'medium');
    assert.equal(s.assessments[1].computed_level, 'low');
    const times = s.assessments.map((a) => Date.parse(a.assessed_at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    for (const a of s.assessments) for (const k of ['id', 'assessed_at', 'final_level', 'computed_level', 'score', 'override_level']) assert.ok(k in a, k);
  });

  it('the timeline is newest first, links each line, and shows a note but never the child\'s voice', async () => {
    const s = await expect(c.practitioner.req('GET', `/api/v1/persons/${person.id}/story`), 200);
    const t = s.timeline;
    for (let i = 1; i < t.length; i++) assert.ok(Date.parse(t[i - 1].at) >= Date.parse(t[i].at), `newest first at ${i}: ${t[i - 1].at} ${t[i].at}`);
    const kinds = t.map((e) => e.kind);
    for (const k of ['referral_received', 'referral_decided', 'case_opened', 'assessment', 'contact', 'note', 'meeting', 'feedback']) {
      assert.ok(kinds.includes(k), `has ${k}: ${kinds}`);
    }
    assert.equal(kinds.filter((k) => k === 'assessment').length, 3);
    assert.equal(kinds.at(-1), 'referral_received', 'the oldest line is the referral');
    for (const e of t) assert.match(e.link, /^\/(referrals|cases|persons)\/\d+$/, JSON.stringify(e));
    const note = t.find((e) => e.kind === 'note');
    assert.equal(note.summary.length, 200);
    assert.ok(note.summary.startsWith('Strategy agreed.'));
    assert.ok(!JSON.stringify(t).includes('old school'), 'the child\'s voice is not in the timeline');
    const a = rows(`SELECT username FROM audit WHERE action = 'person.story' AND object_id = '${person.id}'`);
    assert.ok(a.some((x) => x.username === 'practitioner'), 'audited person.story');
  });

  it('needs case.read; restricted persons and unknown ids are refused', async () => {
    assertProblem(await c.board.req('GET', `/api/v1/persons/${person.id}/story`), 403, 'board');
    assertProblem(await c.manager.req('GET', '/api/v1/persons/99999999/story'), 404, 'unknown');
    const secret = await newPerson('practitioner', { restricted: true });
    await expect(c.practitioner.req('GET', `/api/v1/persons/${secret.id}/story`), 200, 'named');
    assertProblem(await c.manager.req('GET', `/api/v1/persons/${secret.id}/story`), 403, 'not named');
  });
});

describe('flags due for review (a review date in the past is a fixture)', () => {
  it('lists a flag whose review date has come, until it is reviewed; an overdue action is listed until done', async () => {
    const { caseId } = await openCase({ receivedDaysAgo: 5, decidedDaysAgo: 4 });
    const flag = await expect(c.practitioner.req('POST', `/api/v1/cases/${caseId}/flags`, {
      kind: 'cce_risk', note: 'Seen with known dealers.', police_flag: true,
    }), 201, 'flag');
    const m = await expect(c.practitioner.req('POST', '/api/v1/meetings', {
      type: 'strategy', held_at: ago(3), case_id: caseId, attendees: [], decisions: 'x',
      actions: [{ what: 'Call the school', owner: 'Pat', due_date: londonDate(Date.now() - DAY) }],
    }), 201, 'meeting');
    let d = await daily('practitioner');
    assert.ok(!d.flags_due_for_review.some((l) => l.flag.id === flag.id), 'not due yet');
    const before = await daily('manager', 'all');
    assert.ok(before.overdue_actions.some((l) => l.action.id === m.actions[0].id));
    // The API refuses past review dates: move this one back while the server is stopped.
    assert.deepEqual(await server.stop(), { code: 0, sig: null });
    const yesterday = addDays(londonDate(Date.now()), -1);
    const r = spawnSync('sqlite3', [server.db, `UPDATE flags SET review_date = '${yesterday}' WHERE id = ${flag.id}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    server = await startServer({ db: server.db, dir: server.dir });
    await signInAll();
    d = await daily('practitioner');
    const line = d.flags_due_for_review.find((l) => l.flag.id === flag.id);
    assert.ok(line, 'due for review');
    assert.equal(line.flag.review_date, yesterday);
    assert.equal(line.flag.police_flag, true);
    assert.equal(line.case_id, caseId);
    assert.equal(line.link, `/cases/${caseId}`);
    const after = await daily('manager', 'all');
    assert.equal(after.totals.overdue_actions, before.totals.overdue_actions, 'same count after a restart');
    assert.deepEqual(after.overdue_actions.map((l) => l.action.id), before.overdue_actions.map((l) => l.action.id));
    const kase = await expect(c.practitioner.req('GET', `/api/v1/cases/${caseId}`), 200);
    const f = kase.flags.find((x) => x.id === flag.id);
    await expect(c.practitioner.req('PUT', `/api/v1/cases/${caseId}/flags/${flag.id}`, {
      version: f.version, review_date: addDays(londonDate(Date.now()), 90),
    }), 200, 'reviewed');
    await expect(c.practitioner.req('PUT', `/api/v1/meetings/${m.id}/actions/${m.actions[0].id}`, { version: 1, done: true }), 200, 'done');
    d = await daily('practitioner');
    assert.ok(!d.flags_due_for_review.some((l) => l.flag.id === flag.id), 'reviewed: off the list');
    assert.ok(!d.overdue_actions.some((l) => l.action.id === m.actions[0].id), 'done: off the list');
    assert.equal((await daily('manager', 'all')).totals.overdue_actions, before.totals.overdue_actions - 1);
  });
});
