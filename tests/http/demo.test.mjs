// `safehub demo` casework (issue 3, "Demo data"): years of referrals, decisions (some late),
// assessments with trajectories, cases, contacts, notes, supervision, meetings and actions,
// flags, feedback and closures for the fictional population; ages 9-25 at referral, most
// 14-17; about one in three boys; open cases with running clocks today; an audit trail that
// verifies and reads in time order; the same records for the same seed; and the API serving it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, signedIn, cli, PASSWORD } from '../lib/server.mjs';
import { show, sqlite } from '../lib/helpers.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'safehub-demo-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Rows of a query as arrays of strings ('|' separated by sqlite3).
function rows(db, sql) {
  const r = sqlite(db, sql);
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}
// One number from a query.
const num = (db, sql) => Number(rows(db, sql)[0][0]);

// Whole years of age on `day` (YYYY-MM-DD) for a date of birth (29 February: 1 March).
function ageOn(dob, day) {
  const [y, m, d] = dob.split('-').map(Number);
  const [Y, M, D] = day.split('-').map(Number);
  return Y - y - (M < m || (M === m && D < d) ? 1 : 0);
}

// The local (Europe/London) date of a UTC time in seconds.
const londonDay = (t) => new Date(t * 1000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

function demo(db, extra = []) {
  const r = cli(['demo', '--db', db, '--persons', '2000', '--seed', '3', '--password', PASSWORD, ...extra]);
  assert.equal(r.status, 0, `safehub demo: ${r.stderr}`);
  return r;
}

const A = path.join(tmp, 'a.db');
const B = path.join(tmp, 'b.db');
let out;
before(() => {
  out = demo(A);
  demo(B);
});

describe('safehub demo --persons 2000 --seed 3 (3 years of casework by default)', () => {
  it('records every kind of casework and says so', () => {
    assert.match(out.stdout, /casework over 3 years: \d+ referrals/);
    const counts = Object.fromEntries(['referrals', 'cases', 'assessments', 'contacts', 'case_notes', 'supervisions',
      'meetings', 'actions', 'flags', 'feedback', 'case_allocations'].map((t) => [t, num(A, `SELECT count(*) FROM ${t}`)]));
    assert.ok(counts.referrals >= 200, `referrals: ${JSON.stringify(counts)}`);
    assert.ok(counts.cases >= 60, `cases: ${JSON.stringify(counts)}`);
    for (const [t, n] of Object.entries(counts)) assert.ok(n > 0, `${t} exist: ${JSON.stringify(counts)}`);
    assert.ok(counts.assessments >= counts.cases, 'at least one assessment per case on average');
    assert.ok(counts.contacts >= 5 * counts.cases, 'contacts are regular');
    // Each kind of meeting, actions done and not, the child's voice, seen alone, police flags, closure feedback.
    assert.ok(num(A, "SELECT count(*) FROM meetings WHERE type = 'ptac'") > 0, 'PTAC meetings');
    assert.ok(num(A, "SELECT count(*) FROM meetings WHERE type <> 'ptac'") > 0, 'other meetings');
    assert.ok(num(A, 'SELECT count(*) FROM actions WHERE done_at IS NOT NULL') > 0, 'actions done');
    assert.ok(num(A, "SELECT count(*) FROM case_notes WHERE child_voice <> ''") > 0, "the child's voice");
    assert.ok(num(A, 'SELECT count(*) FROM contacts WHERE seen_alone = 1') > 0, 'seen alone');
    assert.ok(num(A, 'SELECT count(*) FROM contacts WHERE seen = 0') > 0, 'calls where the child was not seen');
    assert.ok(num(A, 'SELECT count(*) FROM flags WHERE police_flag = 1') > 0, 'flags set on police systems');
    assert.ok(num(A, "SELECT count(*) FROM feedback WHERE stage = 'closure'") > 0, 'feedback at closure');
    // Referrals from varied sources with 1-3 strands.
    assert.ok(num(A, 'SELECT count(DISTINCT source_code) FROM referrals') >= 8, 'varied sources');
    const strandCounts = rows(A, 'SELECT json_array_length(strands), count(*) FROM referrals GROUP BY 1').map((r) => Number(r[0]));
    assert.deepEqual(strandCounts, [1, 2, 3], 'one to three strands');
  });

  it('decides most referrals in time and some late, so breaches exist', () => {
    const [met, breached, running] = ['met', 'breached', 'running'].map((s) =>
      num(A, `SELECT count(*) FROM clocks WHERE standard = 'referral_decision' AND status = '${s}'`));
    const decided = num(A, "SELECT count(*) FROM referrals WHERE status = 'decided'");
    assert.equal(met + breached, decided, 'every decision stopped its clock');
    assert.ok(breached > 0, `some late decisions: ${breached}`);
    const late = breached / decided;
    assert.ok(late > 0.03 && late < 0.2, `about one in ten late: ${breached} of ${decided}`);
    assert.equal(num(A, "SELECT count(*) FROM audit WHERE action = 'referral.decide' AND detail LIKE '%; late'"), breached,
      'the audit trail names each late decision');
    assert.equal(num(A, "SELECT count(*) FROM referrals WHERE status = 'awaiting_decision'"), running,
      'referrals awaiting a decision have a running clock');
    assert.equal(num(A, "SELECT count(*) FROM referrals WHERE decided_by <> (SELECT id FROM users WHERE username = 'manager')"), 0,
      'the manager decides');
    // About 40% of decisions open a case.
    const opened = num(A, 'SELECT count(*) FROM referrals WHERE case_id IS NOT NULL');
    assert.ok(opened / decided > 0.3 && opened / decided < 0.5, `about 40% allocated: ${opened} of ${decided}`);
  });

  it('refers young people aged 9-25, most of them 14-17 at the time, about one in three boys', () => {
    const refs = rows(A, "SELECT p.dob, r.received_at, p.sex, p.id FROM referrals r JOIN persons p ON p.id = r.person_id");
    const ages = refs.map(([dob, at]) => ageOn(dob, londonDay(Number(at))));
    assert.ok(ages.every((a) => a >= 9 && a <= 25), `ages 9-25: ${Math.min(...ages)}-${Math.max(...ages)}`);
    const core = ages.filter((a) => a >= 14 && a <= 17).length / ages.length;
    assert.ok(core > 0.6, `most aged 14-17: ${(core * 100).toFixed(0)}%`);
    const children = new Map();
    refs.forEach(([dob, at, sex, id], i) => { if (ages[i] < 18) children.set(id, sex); });
    const boys = [...children.values()].filter((s) => s === 'male').length / children.size;
    assert.ok(boys >= 0.2 && boys <= 0.45, `about one in three boys: ${(boys * 100).toFixed(0)}% of ${children.size}`);
    // About a fifth of the population is referred.
    const share = num(A, 'SELECT count(DISTINCT person_id) FROM referrals') / 2000;
    assert.ok(share > 0.12 && share < 0.3, `about 20% referred: ${share}`);
  });

  it('keeps a share of cases open today, with running clocks, tasks overdue and work in hand', () => {
    const cases = num(A, 'SELECT count(*) FROM cases');
    const open = num(A, "SELECT count(*) FROM cases WHERE status = 'open'");
    assert.ok(open > 0 && open / cases < 0.35, `some cases open: ${open} of ${cases}`);
    assert.equal(num(A, "SELECT count(*) FROM cases WHERE status = 'closed' AND (closure_reason IS NULL OR closed_at IS NULL)"), 0,
      'every closure has a reason and a time');
    assert.ok(num(A, "SELECT count(*) FROM cases WHERE status = 'closed' AND closure_risk IS NOT NULL") > 0, 'risk at closure');
    assert.equal(num(A, "SELECT count(*) FROM cases WHERE status = 'closed' AND closed_at - opened_at > 450 * 86400"), 0,
      'cases close within about 15 months');
    const running = num(A, "SELECT count(*) FROM clocks k JOIN cases c ON c.id = k.case_id WHERE k.status = 'running' AND c.status = 'open'");
    assert.ok(running >= open, `open cases have running clocks: ${running}`);
    assert.equal(num(A, "SELECT count(*) FROM clocks k JOIN cases c ON c.id = k.case_id WHERE k.status = 'running' AND c.status = 'closed'"), 0,
      'closed cases have no running clocks');
    const now = Math.floor(Date.now() / 1000);
    assert.ok(num(A, `SELECT count(*) FROM clocks WHERE status = 'running' AND due_at < ${now}`) > 0, 'some tasks are overdue');
    assert.ok(num(A, `SELECT count(*) FROM clocks WHERE status = 'running' AND due_at >= ${now}`) > 0, 'some are not yet due');
    assert.ok(num(A, "SELECT count(*) FROM actions a JOIN cases c ON c.id = a.case_id WHERE c.status = 'open' AND a.done_at IS NULL AND a.due_date < date('now')") > 0,
      'some actions of open cases are overdue');
    for (const s of ['first_assessment', 'first_ptac', 'ptac_review', 'supervision', 'high_risk_visit'])
      assert.ok(num(A, `SELECT count(*) FROM clocks WHERE standard = '${s}' AND status = 'met'`) >
        num(A, `SELECT count(*) FROM clocks WHERE standard = '${s}' AND status = 'breached'`), `${s}: mostly met`);
  });

  it('gives assessments plausible trajectories with the real tool, and a few overrides with a rationale', () => {
    assert.deepEqual(rows(A, 'SELECT DISTINCT tool_id FROM assessments').map((r) => r[0]), ['1'], 'the shipped tool, id 1');
    const seq = new Map();
    for (const [c, level] of rows(A, 'SELECT case_id, final_level FROM assessments WHERE case_id IS NOT NULL ORDER BY case_id, assessed_at, id')) {
      if (!seq.has(c)) seq.set(c, []);
      seq.get(c).push({ low: 1, medium: 2, high: 3 }[level]);
    }
    let falling = 0, rising = 0, changed = 0, long = 0;
    for (const s of seq.values()) {
      if (s.length < 3) continue;
      long++;
      if (new Set(s).size > 1) changed++;
      if (s.at(-1) < s[0]) falling++;
      if (s.at(-1) > s[0]) rising++;
    }
    assert.ok(long > 10, `cases with three or more assessments: ${long}`);
    assert.ok(changed / long > 0.5, `levels move over time: ${changed} of ${long}`);
    assert.ok(falling > 2 * rising && rising > 0, `mostly falling, some rising: ${falling} falling, ${rising} rising`);
    // The case's level is its latest assessment's, and the closure keeps it.
    assert.equal(num(A, `SELECT count(*) FROM cases c WHERE c.risk_level IS NOT (SELECT a.final_level FROM assessments a
      WHERE a.case_id = c.id ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1)`), 0, 'case level = latest assessment');
    assert.equal(num(A, "SELECT count(*) FROM cases WHERE status = 'closed' AND closure_risk IS NOT risk_level"), 0);
    const overrides = rows(A, "SELECT override_level, computed_level, override_rationale FROM assessments WHERE coalesce(override_level, '') <> ''");
    const total = num(A, 'SELECT count(*) FROM assessments');
    assert.ok(overrides.length > 0 && overrides.length < total * 0.15, `a few overrides: ${overrides.length} of ${total}`);
    for (const [level, computed, why] of overrides) {
      assert.notEqual(level, computed);
      assert.ok(why.length >= 10, 'with a rationale');
    }
    assert.equal(num(A, "SELECT count(*) FROM assessments WHERE coalesce(override_level, '') = '' AND final_level <> computed_level"), 0,
      'without an override the level follows the answers');
    assert.ok(num(A, "SELECT count(*) FROM assessments WHERE final_level = 'high'") > 0 &&
      num(A, "SELECT count(*) FROM assessments WHERE final_level = 'low'") > 0, 'every level occurs');
  });

  it('records casework in the teams and by the demo staff; restricted persons stay with the named practitioner', () => {
    assert.deepEqual(rows(A, 'SELECT DISTINCT team FROM cases ORDER BY 1').map((r) => r[0]), ['Missing from Home', 'Phoenix']);
    assert.deepEqual(rows(A, 'SELECT DISTINCT u.username FROM cases c JOIN users u ON u.id = c.worker_id ORDER BY 1').map((r) => r[0]),
      ['practitioner', 'practitioner2']);
    assert.equal(num(A, "SELECT count(*) FROM supervisions s JOIN users u ON u.id = s.created_by WHERE u.username <> 'manager'"), 0);
    assert.equal(num(A, "SELECT count(*) FROM cases c JOIN persons p ON p.id = c.person_id WHERE p.restricted = 1 AND c.team <> 'Phoenix'"), 0);
    assert.equal(num(A, `SELECT count(*) FROM persons p WHERE p.restricted = 1 AND
      (SELECT count(*) FROM person_access a JOIN users u ON u.id = a.user_id WHERE a.person_id = p.id AND u.username IN ('manager', 'practitioner')) <> 2`), 0,
    'restricted demo persons are open to the practitioner and the manager');
  });

  it('puts every event in the past and keeps the audit trail whole and in time order', () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [t, c] of [['referrals', 'received_at'], ['referrals', 'decided_at'], ['cases', 'opened_at'], ['cases', 'closed_at'],
      ['assessments', 'assessed_at'], ['contacts', 'contact_at'], ['case_notes', 'created_at'], ['meetings', 'held_at'],
      ['actions', 'done_at'], ['flags', 'set_at'], ['persons', 'created_at'], ['audit', 'at']])
      assert.ok(num(A, `SELECT coalesce(max(${c}), 0) FROM ${t}`) < now, `${t}.${c} in the past`);
    assert.equal(num(A, 'SELECT count(*) FROM referrals r JOIN persons p ON p.id = r.person_id WHERE p.created_at > r.created_at'), 0,
      'a person is recorded before their referral');
    assert.equal(num(A, 'SELECT count(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1 WHERE b.at < a.at'), 0, 'audit in time order');
    assert.ok(num(A, "SELECT count(*) FROM audit WHERE action LIKE 'case.%'") > 0);
    const v = cli(['audit', 'verify', '--db', A]);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
    assert.match(v.stdout, /^ok \d+ entries/);
  });

  it('writes the same records for the same seed', () => {
    const fingerprint = (db) => [
      'SELECT count(*) FROM persons', 'SELECT count(*) FROM audit',
      "SELECT group_concat(received_at || outcome || strands || coalesce(case_id, ''), ',') FROM referrals",
      "SELECT group_concat(opened_at || status || coalesce(closed_at, '') || coalesce(closure_reason, ''), ',') FROM cases",
      "SELECT group_concat(assessed_at || final_level || score, ',') FROM assessments",
      "SELECT count(*) || ':' || sum(contact_at) FROM contacts", "SELECT count(*) || ':' || sum(held_at) FROM meetings",
      "SELECT group_concat(given_name || family_name || dob, ',') FROM persons",
    ].map((q) => rows(db, q)[0][0]);
    assert.deepEqual(fingerprint(B), fingerprint(A));
  });
});

describe('safehub demo options', () => {
  it('--years 0 makes the same persons with no casework', () => {
    const db = path.join(tmp, 'none.db');
    const r = cli(['demo', '--db', db, '--persons', '2000', '--seed', '3', '--years', '0', '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(num(db, 'SELECT count(*) FROM referrals'), 0);
    const people = (d) => rows(d, 'SELECT given_name, family_name, dob, restricted FROM persons ORDER BY 1, 2, 3').map((x) => x.join('|'));
    assert.deepEqual(people(db), people(A), 'the same population with or without casework');
  });

  it('--years and --referred are checked', () => {
    const db = path.join(tmp, 'bad.db');
    for (const args of [['--years', '11'], ['--years', '-1'], ['--years', 'x'], ['--referred', '101']]) {
      const r = cli(['demo', '--db', db, '--persons', '10', '--password', PASSWORD, ...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`--${args[0].slice(2)}`));
    }
    const r = cli(['demo', '--db', db, '--persons', '300', '--seed', '5', '--years', '1', '--referred', '0', '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(num(db, 'SELECT count(*) FROM referrals'), 0, '--referred 0: nobody referred');
  });
});

describe('the API serves the demo casework', () => {
  let server;
  before(async () => { server = await startServer({ db: A }); });
  after(async () => { if (server) await server.stop(); });

  it('the daily list has work today and a person page tells a whole story', async () => {
    const c = await signedIn(server.url, 'manager');
    const d = await c.req('GET', '/api/v1/dashboard/daily?scope=all');
    assert.equal(d.status, 200, show(d));
    const lines = ['referrals_awaiting_decision', 'tasks_due_today', 'tasks_overdue', 'overdue_actions', 'high_risk_not_seen',
      'flags_due_for_review', 'transitions_due'].reduce((n, k) => n + (d.body[k]?.length ?? 0), 0);
    assert.ok(d.body.referrals_awaiting_decision.length > 0, 'new referrals awaiting a decision');
    assert.ok(d.body.tasks_overdue.length > 0, `overdue tasks: ${show(d)}`);
    assert.ok(d.body.overdue_actions.length > 0, 'overdue actions');
    assert.ok(lines > 10, `a busy day: ${lines} lines`);

    // A young person whose closed case had several assessments (and who is not restricted).
    const [pid] = rows(A, `SELECT c.person_id FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.status = 'closed'
      AND p.restricted = 0 AND (SELECT count(*) FROM assessments a WHERE a.case_id = c.id) >= 3 ORDER BY c.id LIMIT 1`)[0];
    const s = await c.req('GET', `/api/v1/persons/${pid}/story`);
    assert.equal(s.status, 200, show(s));
    assert.ok(s.body.referrals.length >= 1 && s.body.cases.length >= 1, 'referrals and cases');
    assert.ok(s.body.assessments.length >= 3, 'the risk trajectory');
    assert.ok(s.body.meetings.length >= 1 && s.body.contacts.length >= 1, 'meetings and contacts');
    assert.ok(s.body.timeline.length >= 10, 'a timeline');
    const r = await c.req('GET', `/api/v1/referrals/${s.body.referrals[0].id}`);
    assert.equal(r.status, 200, show(r));
    assert.equal(typeof r.body.decision_late, 'boolean');
  });
});
