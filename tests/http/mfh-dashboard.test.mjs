// The MFH dashboard over HTTP (docs/api-missing.md, "The MFH dashboard"): GET
// /api/v1/dashboard/missing and the lists behind its numbers. Episodes are recorded through the
// episode API, each test in a team of its own (the demo's episodes, if any, are in other teams),
// at fixed past dates where a weekday or a month matters.
//   - the 72-hour boundary: a return at 21:30 on Friday 16 May 2025 (BST) makes the RHI due at
//     21:30 on Monday 19 May; a completion at 21:31 is not within 72 hours (a breach), one at
//     21:29 is; the month's statistics and by_month say so;
//   - a low-to-high re-grade moves an episode to the top of missing now, shown as high;
//   - every measure's list has exactly as many items as the dashboard's number;
//   - each filter narrows the counts (team, locality, looked after, age band, sex, month);
//   - a restricted person is counted and listed only for the users named on them;
//   - bad query parameters are 400 naming the parameter; the board has no access.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from '../lib/server.mjs';
import { assertProblem, personBody, show } from '../lib/helpers.mjs';

let server;
let manager;
let practitioner;

before(async () => {
  server = await startServer();
  manager = await signedIn(server.url, 'manager');
  practitioner = await signedIn(server.url, 'practitioner');
});

after(async () => {
  if (server) assert.equal((await server.stop()).code, 0);
});

let seq = 0;
// A team name no other test (nor the demo) uses.
function team(what) {
  seq += 1;
  return `MFH dash ${what} ${process.pid}-${seq}`;
}

// An RFC 3339 time `hours` hours ago (whole seconds).
function hoursAgo(hours) {
  return new Date(Date.now() - hours * 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function person(overrides = {}, as = manager) {
  const r = await as.req('POST', '/api/v1/persons', personBody({ identifiers: {}, ...overrides }));
  assert.equal(r.status, 201, show(r));
  return r.body;
}

async function episode(body, as = manager) {
  const r = await as.req('POST', '/api/v1/missing-episodes', {
    missing_from: 'home', category: 'M', police_force: 'Northby Police', ...body,
  });
  assert.equal(r.status, 201, show(r));
  return r.body;
}

async function rhi(ep, body) {
  const r = await manager.req('PUT', `/api/v1/missing-episodes/${ep.id}/rhi`, body);
  assert.equal(r.status, 200, show(r));
  return r.body;
}

async function dashboard(query, as = manager) {
  const r = await as.req('GET', `/api/v1/dashboard/missing?${new URLSearchParams(query)}`);
  assert.equal(r.status, 200, show(r));
  return r.body;
}

async function list(query, as = manager) {
  const r = await as.req('GET', `/api/v1/dashboard/missing/list?${new URLSearchParams(query)}`);
  assert.equal(r.status, 200, show(r));
  const limit = Number(query.limit || 1000);
  const offset = Number(query.offset || 0);
  assert.equal(r.body.items.length, Math.max(0, Math.min(r.body.count - offset, limit)), `items of ${JSON.stringify(query)}`);
  return r.body;
}

// The 72-hour boundary, in May 2025: two children returned at 21:30 BST on Friday 16 May.
const MAY = '2025-05';
const RETURNED = '2025-05-16T20:30:00Z'; // 21:30 BST, a Friday
const DUE = '2025-05-19T20:30:00Z'; // 21:30 BST, the Monday after

async function mayFixture(t) {
  const late = await person({ given_name: 'Bryony', family_name: 'Latecomer', dob: '2011-02-01', sex: 'female' });
  const onTime = await person({ given_name: 'Callum', family_name: 'Punctual', dob: '2008-03-01', sex: 'male' });
  const base = { started_at: '2025-05-16T08:00:00Z', reported_at: '2025-05-16T09:00:00Z', ended_at: RETURNED, team: t };
  const e1 = await episode({ ...base, person_id: late.id, missing_from: 'care', locality: 'North', police_ref: `${t}/1` });
  const e2 = await episode({ ...base, person_id: onTime.id, locality: 'South', police_ref: `${t}/2` });
  assert.equal(e1.rhi_due_at, DUE);
  assert.equal(e1.looked_after, true);
  assert.equal(e2.looked_after, false);
  const offer = { offered_at: '2025-05-17T10:00:00Z', offered_by: 'RHI worker', offered_org: 'Northby Children\'s Society',
    independent: true, response: 'accepted', responded_at: '2025-05-17T10:00:00Z' };
  await rhi(e1, { ...offer, completed_at: '2025-05-19T20:31:00Z' }); // 21:31 BST on Monday: a breach
  await rhi(e2, { ...offer, completed_at: '2025-05-19T20:29:00Z' }); // 21:29 BST: on time
  return { late, onTime, e1, e2 };
}

test('an RHI completed at 21:31 on the Monday after a 21:30 Friday return is a breach; 21:29 is on time', async () => {
  const t = team('72h');
  const { e1, e2 } = await mayFixture(t);
  const d = await dashboard({ team: t, month: MAY });
  assert.equal(d.filters.month, MAY);
  assert.equal(d.filters.team, t);
  const m = d.this_month;
  assert.equal(m.episodes, 2);
  assert.equal(m.children, 2);
  assert.equal(m.returns, 2);
  assert.deepEqual(m.rhi_offered_72h, { count: 2, pct: 100 });
  assert.deepEqual(m.rhi_completed_72h, { count: 1, pct: 50 }, 'only the 21:29 completion is within 72 hours');
  assert.deepEqual(m.rhi_accepted, { count: 2, pct: 100 });
  assert.deepEqual(m.rhi_declined, { count: 0, pct: 0 });
  assert.equal(m.median_duration_hours, 12.5);
  // by_month: 12 months ending with May 2025, oldest first; May carries the same figures.
  assert.equal(d.by_month.length, 12);
  assert.equal(d.by_month[0].month, '2024-06');
  assert.equal(d.by_month[11].month, MAY);
  assert.deepEqual(d.by_month[11].rhi_completed_72h, { count: 1, pct: 50 });
  assert.equal(d.by_month[10].episodes, 0);
  assert.equal(d.by_month[10].median_duration_hours, null);
  assert.equal(d.by_month[10].rhi_completed_72h.pct, null, 'no returns: no percentage');
  assert.equal(d.last_12_months.episodes, 2);
  // The list behind the number is the 21:29 one only.
  const within = await list({ measure: 'rhi_completed_72h', period: MAY, team: t });
  assert.equal(within.count, 1);
  assert.equal(within.items[0].id, e2.id);
  assert.equal(within.items[0].rhi.completed_within_72h, true);
  assert.equal(within.items[0].rhi_status, 'completed');
  const all = await list({ measure: 'returns', period: MAY, team: t });
  const late = all.items.find((x) => x.id === e1.id);
  assert.equal(late.rhi.completed_within_72h, false, 'the 21:31 completion is a breach');
  assert.equal(late.rhi_due_at, DUE);
  // The month before and after know nothing of them.
  assert.equal((await dashboard({ team: t, month: '2025-04' })).this_month.episodes, 0);
  assert.equal((await dashboard({ team: t, month: '2025-06' })).last_12_months.episodes, 2);
});

test('a low-to-high re-grade puts the episode first in missing now, shown as high', async () => {
  const t = team('grade');
  const a = await person({ given_name: 'Dara', family_name: 'Regraded' });
  const b = await person({ given_name: 'Eli', family_name: 'Medium' });
  const low = await episode({ person_id: a.id, started_at: hoursAgo(5), reported_at: hoursAgo(4), team: t, grade: 'low', graded_by: 'PS 1' });
  const medium = await episode({ person_id: b.id, started_at: hoursAgo(10), reported_at: hoursAgo(9), team: t, grade: 'medium', graded_by: 'PS 2' });
  let d = await dashboard({ team: t });
  assert.equal(d.missing_now.count, 2);
  assert.deepEqual(d.missing_now.items.map((x) => [x.episode_id, x.grade]), [[medium.id, 'medium'], [low.id, 'low']]);
  const item = d.missing_now.items[1];
  assert.equal(item.person.id, a.id);
  assert.equal(item.link, `/missing/${low.id}`);
  assert.ok(item.hours_missing >= 4.9 && item.hours_missing <= 5.2, `hours missing ${item.hours_missing}`);
  const g = await manager.req('POST', `/api/v1/missing-episodes/${low.id}/gradings`, { grade: 'high', graded_by: 'PS 3', note: 'Seen with older males' });
  assert.equal(g.status, 201, show(g));
  assert.deepEqual(g.body.grading.history.map((x) => x.grade), ['low', 'high'], 'the re-grade adds, the low one stays');
  d = await dashboard({ team: t });
  assert.deepEqual(d.missing_now.items.map((x) => [x.episode_id, x.grade]), [[low.id, 'high'], [medium.id, 'medium']]);
  const now = await list({ measure: 'missing_now', team: t });
  assert.deepEqual(now.items.map((x) => x.episode_id), [low.id, medium.id]);
});

test('every measure\'s list has exactly the count the dashboard shows', async () => {
  const t = team('lists');
  await mayFixture(t);
  // Live sections: an open out-of-area child placed here (a notification), an open child of ours
  // placed elsewhere, a recent return awaiting its RHI, a recent return with a declined RHI.
  const here = await person({ given_name: 'Fern', family_name: 'Placedhere' });
  const away = await person({ given_name: 'Gus', family_name: 'Placedaway' });
  const waiting = await person({ given_name: 'Hana', family_name: 'Waiting' });
  const declined = await person({ given_name: 'Ivo', family_name: 'Declined' });
  const e3 = await episode({ person_id: here.id, started_at: hoursAgo(30), reported_at: hoursAgo(29), team: t,
    missing_from: 'care', placement: { type: 'residential', provider: 'Oak House', placing_authority: 'Westshire', host_authority: 'Northby' } });
  assert.equal(e3.out_of_area, 'placed_here');
  const e4 = await episode({ person_id: away.id, started_at: hoursAgo(20), reported_at: hoursAgo(19), team: t,
    missing_from: 'care', placement: { type: 'foster', provider: '', placing_authority: 'Northby', host_authority: 'Eastborough' } });
  assert.equal(e4.out_of_area, 'placed_elsewhere');
  await episode({ person_id: waiting.id, started_at: hoursAgo(12), reported_at: hoursAgo(11), ended_at: hoursAgo(2), team: t });
  const e6 = await episode({ person_id: declined.id, started_at: hoursAgo(50), reported_at: hoursAgo(49), ended_at: hoursAgo(40), team: t });
  await rhi(e6, { offered_at: hoursAgo(30), response: 'declined', responded_at: hoursAgo(30), declined_reason: 'Did not want to talk' });
  // Three episodes within 90 days flag a child repeat missing.
  const rep = await person({ given_name: 'Jude', family_name: 'Repeat' });
  for (const h of [200, 150, 100]) {
    await episode({ person_id: rep.id, started_at: hoursAgo(h), reported_at: hoursAgo(h - 1), ended_at: hoursAgo(h - 5), team: t });
  }

  for (const month of [MAY, undefined]) {
    const q = month ? { team: t, month } : { team: t };
    const d = await dashboard(q);
    const checks = [
      ['missing_now', null, d.missing_now.count],
      ['awaiting_rhi', null, d.awaiting_rhi.count],
      ['placed_here_missing', null, d.out_of_area.placed_here_missing.count],
      ['placed_elsewhere_missing', null, d.out_of_area.placed_elsewhere_missing.count],
      ['notifications', null, d.notifications_unacknowledged.count],
    ];
    const stat = (s, key) => (typeof s[key] === 'number' ? s[key] : s[key].count);
    for (const key of ['episodes', 'children', 'repeat_children', 'returns', 'rhi_offered_72h', 'rhi_completed_72h', 'rhi_accepted', 'rhi_declined']) {
      checks.push([key, 'this_month', stat(d.this_month, key)]);
      checks.push([key, 'last_12_months', stat(d.last_12_months, key)]);
      for (const m of d.by_month) checks.push([key, m.month, stat(m, key)]);
    }
    for (const [measure, period, count] of checks) {
      const l = await list({ ...q, measure, ...(period ? { period } : {}) });
      assert.equal(l.count, count, `${measure} ${period || ''} (month ${month || 'now'}): the list has ${l.count}, the dashboard ${count}`);
      assert.equal(l.measure, measure);
    }
    if (!month) {
      assert.equal(d.missing_now.count, 2);
      assert.equal(d.out_of_area.placed_here_missing.count, 1);
      assert.equal(d.out_of_area.placed_elsewhere_missing.count, 1);
      assert.equal(d.notifications_unacknowledged.count, 2);
      assert.equal(d.notifications_unacknowledged.items[0].episode_id, e3.id, 'oldest first');
      assert.equal(d.notifications_unacknowledged.items[0].person.id, here.id);
      assert.ok(d.awaiting_rhi.count >= 1);
      const w = d.awaiting_rhi.items.find((x) => x.person.id === waiting.id);
      assert.ok(w, 'the recent return awaits its RHI');
      assert.equal(w.breached, false);
      assert.equal(w.rhi_status, 'due');
      assert.ok(w.hours_left > 69 && w.hours_left <= 70, `hours left ${w.hours_left}`);
      assert.ok(!d.awaiting_rhi.items.some((x) => x.person.id === declined.id), 'a declined RHI is not awaited');
      assert.ok(d.this_month.repeat_children >= 1 || d.last_12_months.repeat_children >= 1, 'the child with three episodes is a repeat child');
      const children = await list({ team: t, measure: 'children', period: 'last_12_months' });
      assert.equal(new Set(children.items.map((x) => x.person.id)).size, children.count, 'one item per child');
    }
  }
  // Paging: limit and offset give the same items as the whole list.
  const whole = await list({ team: t, measure: 'episodes', period: 'last_12_months' });
  const page = await list({ team: t, measure: 'episodes', period: 'last_12_months', limit: '2', offset: '1' });
  assert.equal(page.count, whole.count);
  assert.deepEqual(page.items.map((x) => x.id), whole.items.slice(1, 3).map((x) => x.id));
});

test('filters narrow the counts: team, locality, looked after, age band, sex, month', async () => {
  const t = team('filters');
  await mayFixture(t); // a girl of 14 looked after in North, a boy of 17 not looked after in South
  const n = async (q) => (await dashboard({ team: t, month: MAY, ...q })).this_month.episodes;
  assert.equal(await n({}), 2);
  assert.equal(await n({ sex: 'female' }), 1);
  assert.equal(await n({ sex: 'male' }), 1);
  assert.equal(await n({ age_band: '14-15' }), 1);
  assert.equal(await n({ age_band: '16-17' }), 1);
  assert.equal(await n({ age_band: '0-9' }), 0);
  assert.equal(await n({ looked_after: 'true' }), 1);
  assert.equal(await n({ looked_after: 'false' }), 1);
  assert.equal(await n({ locality: 'North' }), 1);
  assert.equal(await n({ locality: 'North', sex: 'male' }), 0);
  assert.equal(await n({ locality: 'South', age_band: '16-17', looked_after: 'false', sex: 'male' }), 1);
  assert.equal((await dashboard({ team: `${t} not`, month: MAY })).this_month.episodes, 0);
  const d = await dashboard({ team: t, month: MAY, sex: 'female', age_band: '14-15' });
  assert.deepEqual(d.filters, { team: t, locality: null, looked_after: null, age_band: '14-15', sex: 'female', month: MAY });
  const l = await list({ team: t, month: MAY, sex: 'female', measure: 'episodes' });
  assert.equal(l.count, 1);
  assert.equal(l.items[0].person.given_name, 'Bryony');
});

test('a restricted person is counted and listed only for the users named on them', async () => {
  const t = team('restricted');
  const secret = await person({ given_name: 'Kit', family_name: 'Hidden', restricted: true, restricted_to: [] });
  const open = await person({ given_name: 'Lou', family_name: 'Visible' });
  await episode({ person_id: secret.id, started_at: hoursAgo(6), reported_at: hoursAgo(5), team: t, grade: 'high' });
  await episode({ person_id: open.id, started_at: hoursAgo(3), reported_at: hoursAgo(2), team: t });
  await episode({ person_id: secret.id, started_at: hoursAgo(60), reported_at: hoursAgo(59), ended_at: hoursAgo(50), team: t });
  const named = await dashboard({ team: t });
  const other = await dashboard({ team: t }, practitioner);
  assert.equal(named.missing_now.count, 2);
  assert.equal(other.missing_now.count, 1, 'the practitioner is not named on the restricted child');
  assert.deepEqual(other.missing_now.items.map((x) => x.person.id), [open.id]);
  assert.equal(named.last_12_months.episodes, 3);
  assert.equal(other.last_12_months.episodes, 1);
  assert.equal(named.last_12_months.children, 2);
  assert.equal(other.last_12_months.children, 1);
  assert.ok(named.awaiting_rhi.items.some((x) => x.person.id === secret.id));
  assert.ok(!other.awaiting_rhi.items.some((x) => x.person.id === secret.id));
  for (const measure of ['missing_now', 'awaiting_rhi']) {
    const l = await list({ team: t, measure }, practitioner);
    assert.ok(!JSON.stringify(l).includes('Hidden'), `${measure}: the restricted child's name is not in the list`);
  }
  const l = await list({ team: t, measure: 'episodes', period: 'last_12_months' }, practitioner);
  assert.equal(l.count, 1);
  assert.ok(!JSON.stringify(other).includes('Hidden'), 'nor anywhere on the dashboard');
});

test('bad query parameters are 400 naming them; the board may not see the dashboard', async () => {
  let r = await manager.req('GET', '/api/v1/dashboard/missing?age_band=12-13&looked_after=maybe&month=2025-13');
  assertProblem(r, 400, 'bad filters');
  assert.deepEqual(r.body.errors.map((e) => e.field).sort(), ['age_band', 'looked_after', 'month']);
  r = await manager.req('GET', '/api/v1/dashboard/missing/list?measure=everything');
  assertProblem(r, 400, 'bad measure');
  assert.deepEqual(r.body.errors.map((e) => e.field), ['measure']);
  r = await manager.req('GET', '/api/v1/dashboard/missing/list?measure=episodes&period=last_week');
  assertProblem(r, 400, 'bad period');
  assert.deepEqual(r.body.errors.map((e) => e.field), ['period']);
  r = await manager.req('GET', '/api/v1/dashboard/missing/list?measure=episodes&limit=1001');
  assertProblem(r, 400, 'limit over 1,000');
  const board = await signedIn(server.url, 'board');
  assertProblem(await board.req('GET', '/api/v1/dashboard/missing'), 403, 'board');
  assertProblem(await board.req('GET', '/api/v1/dashboard/missing/list?measure=episodes'), 403, 'board list');
  // Every answer is audited as a view.
  const admin = await signedIn(server.url, 'admin');
  const audit = await admin.req('GET', '/api/v1/audit?username=manager&limit=500');
  assert.equal(audit.status, 200, show(audit));
  const actions = new Set(audit.body.items.map((x) => x.action));
  assert.ok(actions.has('dashboard.missing'), 'the dashboard is audited as a view');
  assert.ok(actions.has('dashboard.missing_list'), 'its lists are audited as views');
});

// The statistics are cached per data generation (src/mfh_cache.h): every write through the API
// must show at once, however often the same dashboard was asked for before it.
test('the cached statistics never go stale: a create, a return and an RHI show at once', async () => {
  const t = team('cache');
  const child = await person({ given_name: 'Nell', family_name: 'Fresh', dob: '2011-06-01', sex: 'female' });
  const q = { team: t };
  const s = (d) => d.last_12_months;
  const before = await dashboard(q);
  assert.equal(s(before).episodes, 0);
  // Asked for again and again: the same numbers (served from the cache from the second time).
  for (let i = 0; i < 3; i++) assert.deepEqual(s(await dashboard(q)), s(before));
  const other = await dashboard({ team: t, sex: 'female' });
  assert.equal(s(other).episodes, 0);

  const ep = await episode({ person_id: child.id, started_at: hoursAgo(30), reported_at: hoursAgo(29), team: t });
  const created = await dashboard(q);
  assert.equal(s(created).episodes, 1, 'the new episode is counted at once');
  assert.equal(s(created).children, 1);
  assert.equal(s(created).returns, 0);
  assert.equal(created.missing_now.count, 1);
  assert.equal(s(await dashboard({ team: t, sex: 'female' })).episodes, 1, 'every cached filter sees it');

  const r = await manager.req('POST', `/api/v1/missing-episodes/${ep.id}/return`, { version: ep.version, ended_at: hoursAgo(6) });
  assert.equal(r.status, 200, show(r));
  const returned = await dashboard(q);
  assert.equal(s(returned).returns, 1, 'the return is counted at once');
  assert.equal(s(returned).median_duration_hours, 24);
  assert.equal(returned.missing_now.count, 0);
  assert.equal(returned.awaiting_rhi.count, 1);
  assert.deepEqual(s(returned).rhi_completed_72h, { count: 0, pct: 0 });

  await rhi(ep, { offered_at: hoursAgo(5), offered_by: 'RHI worker', offered_org: 'Northby', independent: true,
    response: 'accepted', responded_at: hoursAgo(5), completed_at: hoursAgo(4) });
  const done = await dashboard(q);
  assert.deepEqual(s(done).rhi_offered_72h, { count: 1, pct: 100 }, 'the RHI is counted at once');
  assert.deepEqual(s(done).rhi_completed_72h, { count: 1, pct: 100 });
  assert.deepEqual(s(done).rhi_accepted, { count: 1, pct: 100 });
  assert.equal(done.awaiting_rhi.count, 0, 'no longer awaiting its RHI');
  // The list behind the number agrees with the cached number.
  assert.equal((await list({ team: t, measure: 'rhi_completed_72h', period: 'last_12_months' })).count, 1);
  // And the numbers stay put while nothing changes.
  assert.deepEqual(s(await dashboard(q)), s(done));
});
