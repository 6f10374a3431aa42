// `safehub demo` missing-from-home records (issue 4, "Demo data"): episodes for the demo
// population over the --years, a minority of children with many episodes and most persons with
// none; looked-after children in foster and residential care, some placed out of area both ways
// with a notification to the other authority (most acknowledged); police gradings with re-grades
// kept in the denormalised columns; returns with RHIs at about the national rate (63% completed
// within 72 hours) and an rhi clock per return whose RHI is ours; repeat-missing flags exactly
// where 3 episodes start within 90 days; a few children missing now; nothing today or later;
// the same rows for the same seed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, startServer, signedIn, PASSWORD } from '../lib/server.mjs';
import { show, sqlite } from '../lib/helpers.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'safehub-demo-missing-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function rows(db, sql) {
  const r = sqlite(db, sql);
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}
const num = (db, sql) => Number(rows(db, sql)[0][0]);

// The local (Europe/London) date of a UTC time in seconds.
const londonDay = (t) => new Date(t * 1000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

// Local midnight at the start of today (Europe/London), in UTC seconds.
function londonMidnight(nowSec) {
  const today = londonDay(nowSec);
  const [y, m, d] = today.split('-').map(Number);
  const base = Date.UTC(y, m - 1, d) / 1000;
  for (const off of [0, 3600]) {
    const t = base - off;
    if (londonDay(t) === today && londonDay(t - 1) !== today) return t;
  }
  throw new Error(`no midnight found for ${today}`);
}

// Whole years of age on `day` (YYYY-MM-DD) for a date of birth.
function ageOn(dob, day) {
  const [y, m, d] = dob.split('-').map(Number);
  const [Y, M, D] = day.split('-').map(Number);
  return Y - y - (M < m || (M === m && D < d) ? 1 : 0);
}

const PERSONS = 2000;
function demo(db, seed = 5, extra = []) {
  const r = cli(['demo', '--db', db, '--persons', String(PERSONS), '--seed', String(seed), '--password', PASSWORD, ...extra]);
  assert.equal(r.status, 0, `safehub demo: ${r.stderr}`);
  return r;
}

const A = path.join(tmp, 'a.db');
const B = path.join(tmp, 'b.db');
let out;
let started;
before(() => {
  started = Math.floor(Date.now() / 1000);
  out = demo(A);
  demo(B);
});

describe(`safehub demo --persons ${PERSONS} (3 years): missing episodes`, () => {
  it('says what it made, and a minority of children have many episodes while most persons have none', () => {
    assert.match(out.stdout, /missing from home over 3 years: \d+ episodes of \d+ children/);
    const episodes = num(A, 'SELECT count(*) FROM missing_episodes');
    const children = num(A, 'SELECT count(DISTINCT person_id) FROM missing_episodes');
    assert.ok(episodes > 1000, `episodes: ${episodes}`);
    assert.ok(children > 50 && children < PERSONS / 2, `most persons never go missing: ${children} of ${PERSONS}`);
    const counts = rows(A, 'SELECT count(*) FROM missing_episodes GROUP BY person_id ORDER BY 1 DESC').map((r) => Number(r[0]));
    const once = counts.filter((n) => n <= 2).length;
    const many = counts.filter((n) => n >= 10).length;
    assert.ok(once > children / 3, `many go missing once or twice: ${once} of ${children}`);
    assert.ok(many > 0 && many < children / 3, `a minority go missing often: ${many} of ${children}`);
    const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
    assert.ok(top > episodes / 2, `the most often missing tenth has most episodes: ${top} of ${episodes}`);
    assert.equal(num(A, "SELECT count(*) FROM audit WHERE action = 'demo.missing'"), 1, 'the run is on the audit trail');
    const v = cli(['audit', 'verify', '--db', A]);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
  });

  it('keeps each child\'s episodes in order, aged 10-17, after the record was made', () => {
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes a JOIN missing_episodes b ON b.person_id = a.person_id
      AND b.id <> a.id AND b.started_at >= a.started_at AND b.started_at < coalesce(a.ended_at, 9e18)`), 0, 'no overlaps');
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes WHERE reported_at < started_at OR ended_at < started_at
      OR (ended_at IS NOT NULL AND reported_at > ended_at) OR created_at < reported_at`), 0, 'start <= reported <= end, recorded after');
    assert.equal(num(A, 'SELECT count(*) FROM missing_episodes e JOIN persons p ON p.id = e.person_id WHERE e.created_at < p.created_at'), 0,
      'a person is recorded before their episodes');
    for (const [dob, at] of rows(A, 'SELECT p.dob, e.started_at FROM missing_episodes e JOIN persons p ON p.id = e.person_id')) {
      const age = ageOn(dob, londonDay(Number(at)));
      assert.ok(age >= 10 && age <= 17, `aged 10-17 at the start: ${age}`);
    }
  });

  it('places looked-after children in foster and residential care, and out of area both ways with notifications', () => {
    const types = rows(A, 'SELECT DISTINCT placement_type FROM missing_episodes WHERE looked_after = 1').map((r) => r[0]);
    assert.ok(types.includes('foster') && types.includes('residential'), `placements: ${types}`);
    assert.equal(num(A, "SELECT count(*) FROM missing_episodes WHERE looked_after = 0 AND (placement_type <> '' OR out_of_area <> '')"), 0,
      'no placement when not looked after');
    assert.ok(num(A, "SELECT count(*) FROM missing_episodes WHERE missing_from = 'care' AND looked_after = 1") > 0, 'missing from care');
    assert.ok(num(A, "SELECT count(*) FROM missing_episodes WHERE looked_after = 0 AND missing_from = 'home'") > 0, 'missing from home');
    assert.ok(num(A, "SELECT count(*) FROM missing_episodes WHERE category = 'A'") > 0, 'some away (A) episodes');
    // Some enter care part way: the same child has episodes before and after.
    assert.ok(num(A, `SELECT count(*) FROM (SELECT person_id FROM missing_episodes GROUP BY person_id
      HAVING min(looked_after) = 0 AND max(looked_after) = 1)`) > 0, 'some children come into care');
    const here = num(A, "SELECT count(*) FROM missing_episodes WHERE out_of_area = 'placed_here'");
    const elsewhere = num(A, "SELECT count(*) FROM missing_episodes WHERE out_of_area = 'placed_elsewhere'");
    assert.ok(here > 0 && elsewhere > 0, `both ways: ${here} placed here, ${elsewhere} placed elsewhere`);
    // The contract's rule with H = Northby (the default setting) and the host rule.
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes WHERE out_of_area = 'placed_here'
      AND (host_authority <> 'Northby' OR placing_authority IN ('', 'Northby') OR rhi_by <> 'us')`), 0, 'placed here: host is us, RHI ours');
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes WHERE out_of_area = 'placed_elsewhere'
      AND (placing_authority <> 'Northby' OR host_authority IN ('', 'Northby') OR rhi_by <> 'other')`), 0,
    'placed elsewhere: placing is us, RHI theirs');
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes WHERE out_of_area = '' AND (rhi_by <> 'us'
      OR (placing_authority <> '' AND placing_authority <> host_authority))`), 0, 'not out of area: RHI ours');
    // One notification per out-of-area episode, to the other authority, carrying rhi_by; none otherwise.
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes e WHERE (SELECT count(*) FROM missing_notifications n
      WHERE n.episode_id = e.id) <> (e.out_of_area <> '')`), 0, 'one notification per out-of-area episode');
    assert.equal(num(A, `SELECT count(*) FROM missing_notifications n JOIN missing_episodes e ON e.id = n.episode_id
      WHERE n.reason <> e.out_of_area OR n.rhi_by <> e.rhi_by OR n.to_authority <> CASE e.out_of_area
      WHEN 'placed_here' THEN e.placing_authority ELSE e.host_authority END OR n.created_at < e.created_at`), 0,
    'to the other authority, with the reason and rhi_by');
    const open = num(A, 'SELECT count(*) FROM missing_notifications WHERE acknowledged_at IS NULL');
    const all = num(A, 'SELECT count(*) FROM missing_notifications');
    assert.ok(open > 0 && open < all * 0.25, `most acknowledged: ${open} of ${all} open`);
    assert.equal(num(A, `SELECT count(*) FROM missing_notifications WHERE (acknowledged_at IS NULL) <> (acknowledged_by = '')
      OR acknowledged_at < created_at`), 0, 'an acknowledgement says who and when');
  });

  it('grades every episode, keeps re-grades, and fills grade_latest, grade_highest and grade_rank from them', () => {
    assert.equal(num(A, 'SELECT count(*) FROM missing_episodes e WHERE NOT EXISTS (SELECT 1 FROM missing_gradings g WHERE g.episode_id = e.id)'), 0);
    assert.ok(num(A, 'SELECT count(*) FROM (SELECT episode_id FROM missing_gradings GROUP BY 1 HAVING count(DISTINCT grade) > 1)') > 0,
      'some re-graded');
    const rank = "CASE g.grade WHEN 'none' THEN 0 WHEN 'low' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes e WHERE grade_latest IS NOT (SELECT g.grade FROM missing_gradings g
      WHERE g.episode_id = e.id ORDER BY g.graded_at DESC, g.id DESC LIMIT 1)`), 0, 'grade_latest is the latest grading');
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes e WHERE CASE e.grade_highest WHEN 'none' THEN 0 WHEN 'low' THEN 1
      WHEN 'medium' THEN 2 ELSE 3 END <> (SELECT max(${rank}) FROM missing_gradings g WHERE g.episode_id = e.id)`), 0,
    'grade_highest is the highest');
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes e WHERE grade_rank <> CASE grade_latest WHEN 'none' THEN 0
      WHEN 'low' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`), 0, 'grade_rank follows the latest');
    assert.ok(num(A, 'SELECT count(*) FROM missing_episodes WHERE grade_latest <> grade_highest') > 0, 'some were graded down');
    assert.equal(num(A, `SELECT count(*) FROM missing_gradings g JOIN missing_episodes e ON e.id = g.episode_id
      WHERE g.graded_at < e.started_at OR g.graded_at > coalesce(e.ended_at, 9e18)`), 0, 'graded while missing');
  });

  it('records RHIs at realistic rates, with an rhi clock per return whose RHI is ours', () => {
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes WHERE (ended_at IS NULL) <> (rhi_due_at IS NULL)
      OR rhi_due_at <> ended_at + 259200`), 0, 'rhi_due_at = ended_at + 72 hours');
    const now = Math.floor(Date.now() / 1000);
    // Returns whose 72 hours are over, RHI ours.
    const due = `FROM missing_episodes e LEFT JOIN return_interviews r ON r.episode_id = e.id
      WHERE e.ended_at IS NOT NULL AND e.rhi_by = 'us' AND e.rhi_due_at < ${now}`;
    const total = num(A, `SELECT count(*) ${due}`);
    const inTime = num(A, `SELECT count(*) ${due} AND r.completed_at <= e.rhi_due_at`) / total;
    const late = num(A, `SELECT count(*) ${due} AND r.completed_at > e.rhi_due_at`);
    const declined = num(A, `SELECT count(*) ${due} AND r.response = 'declined'`);
    const notOffered = num(A, `SELECT count(*) ${due} AND r.offered_at IS NULL`);
    assert.ok(inTime > 0.53 && inTime < 0.73, `about 63% completed within 72 h: ${(inTime * 100).toFixed(1)}% of ${total}`);
    assert.ok(late > 0 && declined > 0 && notOffered > 0, `some late (${late}), declined (${declined}), not offered (${notOffered})`);
    assert.equal(num(A, `SELECT count(*) FROM return_interviews r JOIN missing_episodes e ON e.id = r.episode_id
      WHERE r.offered_at < e.ended_at OR r.responded_at < r.offered_at OR r.completed_at < r.offered_at
      OR (r.response = 'declined' AND (r.declined_reason = '' OR r.completed_at IS NOT NULL))`), 0, 'RHI times follow the return');
    assert.ok(num(A, "SELECT count(*) FROM return_interviews r JOIN missing_episodes e ON e.id = r.episode_id WHERE e.rhi_by = 'other'") > 0,
      'some RHIs received from the other authority');
    assert.ok(num(A, 'SELECT count(*) FROM return_interviews WHERE independent = 1') >
      num(A, 'SELECT count(*) FROM return_interviews WHERE independent = 0'), 'mostly independent of the carer');
    // One rhi clock per returned episode whose RHI is ours, due at rhi_due_at, with the status the RHI gives.
    assert.equal(num(A, `SELECT count(*) FROM missing_episodes e WHERE (SELECT count(*) FROM clocks k WHERE k.standard = 'rhi'
      AND k.subject_type = 'missing_episode' AND k.subject_id = e.id) <> (e.ended_at IS NOT NULL AND e.rhi_by = 'us')`), 0,
    'a clock per return whose RHI is ours');
    assert.equal(num(A, `SELECT count(*) FROM clocks k JOIN missing_episodes e ON e.id = k.subject_id
      WHERE k.standard = 'rhi' AND (k.due_at <> e.rhi_due_at OR k.started_at <> e.ended_at OR k.person_id <> e.person_id
      OR k.team <> e.team)`), 0, 'the clock runs from the return to rhi_due_at');
    const stop = "coalesce(r.completed_at, CASE WHEN r.response = 'declined' THEN r.responded_at END)";
    assert.equal(num(A, `SELECT count(*) FROM clocks k JOIN missing_episodes e ON e.id = k.subject_id
      LEFT JOIN return_interviews r ON r.episode_id = e.id WHERE k.standard = 'rhi' AND ${stop} IS NOT NULL
      AND (k.stopped_at <> ${stop} OR k.status <> CASE WHEN ${stop} <= k.due_at THEN 'met' ELSE 'breached' END)`), 0,
    'a completion or a decline stops the clock: met in time, breached after');
    assert.equal(num(A, `SELECT count(*) FROM clocks k JOIN missing_episodes e ON e.id = k.subject_id
      LEFT JOIN return_interviews r ON r.episode_id = e.id WHERE k.standard = 'rhi' AND ${stop} IS NULL
      AND k.status NOT IN ('running', 'breached')`), 0, 'without one it runs, or was breached');
    assert.equal(num(A, `SELECT count(*) FROM clocks WHERE standard = 'rhi' AND status = 'running' AND started_at < ${now} - 11 * 86400`), 0,
      'only recent returns are still running');
    assert.ok(num(A, "SELECT count(*) FROM clocks WHERE standard = 'rhi' AND status = 'met'") >
      num(A, "SELECT count(*) FROM clocks WHERE standard = 'rhi' AND status = 'breached'"), 'mostly met');
  });

  it('flags repeat missing exactly where 3 episodes start within 90 days', () => {
    const byPerson = new Map();
    for (const [p, s, c] of rows(A, 'SELECT person_id, started_at, created_at FROM missing_episodes ORDER BY person_id, started_at')) {
      if (!byPerson.has(p)) byPerson.set(p, []);
      byPerson.get(p).push({ start: Number(s), created: Number(c) });
    }
    const expected = new Map();
    for (const [p, eps] of byPerson) {
      for (let k = 2; k < eps.length; k++) {
        if (eps[k].start - eps[k - 2].start < 90 * 86400) { expected.set(p, eps[k]); break; }
      }
    }
    const flags = new Map(rows(A, "SELECT person_id, set_at FROM person_flags WHERE kind = 'repeat_missing' AND removed_at IS NULL")
      .map(([p, at]) => [p, Number(at)]));
    assert.ok(expected.size > 5, `some repeat-missing children: ${expected.size}`);
    assert.deepEqual([...flags.keys()].sort(), [...expected.keys()].sort(), 'flagged = 3 episodes within 90 days');
    for (const [p, ep] of expected) assert.equal(flags.get(p), ep.created, `person ${p}: flagged when the third was recorded`);
  });

  it('has a few children missing now, and nothing else today or later', () => {
    const midnight = londonMidnight(Math.floor(Date.now() / 1000));
    const open = rows(A, 'SELECT person_id, started_at FROM missing_episodes WHERE ended_at IS NULL');
    assert.ok(open.length >= 1 && open.length < 30, `a few missing now: ${open.length}`);
    for (const [p, s] of open) {
      assert.ok(Number(s) >= midnight - 6 * 86400 && Number(s) < midnight, `started in the last days: ${s}`);
      assert.equal(num(A, `SELECT count(*) FROM missing_episodes WHERE person_id = ${p} AND started_at > ${s}`), 0, 'their latest');
    }
    assert.equal(num(A, 'SELECT count(*) FROM (SELECT person_id FROM missing_episodes WHERE ended_at IS NULL GROUP BY 1 HAVING count(*) > 1)'), 0);
    const limit = Math.min(midnight, started);
    for (const [t, c] of [['missing_episodes', 'started_at'], ['missing_episodes', 'reported_at'], ['missing_episodes', 'ended_at'],
      ['missing_episodes', 'created_at'], ['missing_episodes', 'updated_at'], ['missing_gradings', 'graded_at'],
      ['missing_gradings', 'created_at'], ['return_interviews', 'offered_at'], ['return_interviews', 'responded_at'],
      ['return_interviews', 'completed_at'], ['return_interviews', 'updated_at'], ['missing_notifications', 'created_at'],
      ['missing_notifications', 'acknowledged_at'], ['clocks', 'started_at'], ['clocks', 'stopped_at'], ['person_flags', 'set_at']]) {
      assert.ok(num(A, `SELECT coalesce(max(${c}), 0) FROM ${t}`) < limit, `${t}.${c} before today`);
    }
  });

  it('writes the same rows for the same seed', () => {
    const fingerprint = (db) => [
      "SELECT count(*) || ':' || sum(started_at) || ':' || sum(coalesce(ended_at, 0)) FROM missing_episodes",
      "SELECT group_concat(person_id || category || looked_after || out_of_area || grade_latest || coalesce(police_ref, ''), ',') FROM missing_episodes",
      "SELECT count(*) || ':' || sum(graded_at) || ':' || group_concat(grade, '') FROM missing_gradings",
      "SELECT count(*) || ':' || sum(coalesce(offered_at, 0) + coalesce(completed_at, 0)) || group_concat(coalesce(response, '-'), '') FROM return_interviews",
      "SELECT count(*) || ':' || sum(coalesce(acknowledged_at, 0)) FROM missing_notifications",
      "SELECT group_concat(person_id || ':' || set_at, ',') FROM person_flags",
      "SELECT group_concat(status || coalesce(stopped_at, ''), ',') FROM clocks WHERE standard IN ('rhi', 'repeat_missing_meeting')",
    ].map((q) => rows(db, q)[0]?.[0]);
    assert.deepEqual(fingerprint(B), fingerprint(A));
  });
});

describe('the API serves the demo missing records', () => {
  let server;
  before(async () => { server = await startServer({ db: A, keep: true }); });
  after(async () => { if (server) await server.stop(); });

  it('shows a repeat-missing child\'s episodes and flag, and exports the looked-after episodes', async () => {
    const manager = await signedIn(server.url, 'manager');
    const [pid, n] = rows(A, `SELECT f.person_id, (SELECT count(*) FROM missing_episodes e WHERE e.person_id = f.person_id)
      FROM person_flags f JOIN persons p ON p.id = f.person_id WHERE p.restricted = 0 ORDER BY f.person_id LIMIT 1`)[0];
    const s = await manager.req('GET', `/api/v1/persons/${pid}/missing`);
    assert.equal(s.status, 200, show(s));
    assert.equal(s.body.episodes.length, Number(n), 'every episode');
    assert.equal(s.body.repeat_missing.flagged, true, 'flagged');
    const e = await manager.req('GET', `/api/v1/missing-episodes/${s.body.episodes[0].id}`);
    assert.equal(e.status, 200, show(e));
    assert.ok(e.body.grading.history.length >= 1, 'with its gradings');
    assert.equal(e.body.grading.latest, e.body.grading.history.at(-1).grade);

    // Every looked-after episode of the window in the SSDA903 file, less those of restricted persons.
    const analyst = await signedIn(server.url, 'analyst');
    const from = londonDay(started - 4 * 365 * 86400);
    const to = londonDay(started);
    const x = await analyst.req('GET', `/api/v1/exports/ssda903-missing?from=${from}&to=${to}`);
    assert.equal(x.status, 200, show(x));
    const lines = x.text.split('\r\n').filter(Boolean);
    const want = num(A, `SELECT count(*) FROM missing_episodes e JOIN persons p ON p.id = e.person_id
      WHERE e.looked_after = 1 AND p.restricted = 0`);
    assert.ok(want > 0);
    assert.equal(lines.length - 1, want, 'one row per looked-after episode');
  });
});

describe('safehub demo without casework years', () => {
  it('--years 0 makes no missing episodes', () => {
    const db = path.join(tmp, 'none.db');
    const r = cli(['demo', '--db', db, '--persons', '300', '--seed', '5', '--years', '0', '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(num(db, 'SELECT count(*) FROM missing_episodes'), 0);
  });
});
