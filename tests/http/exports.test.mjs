// The statutory exports of missing episodes (issue 4, "Exports"; docs/api-missing.md):
// GET /api/v1/exports/ssda903-missing?from=&to= and GET /api/v1/exports/annex-a-missing?date=.
// A fixed set of episodes is recorded through the episode API in 2020-2022 (on a database whose
// demo has no missing episodes) and the whole CSV text is compared with what it must be:
// looked-after children only, start dates as local (Europe/London) dates, ordered by CHILD then
// start, the range inclusive of both days; Annex A counts by category with the highest grading
// and the RHI after the last episode. Also: bad dates are 422 naming the parameter, analysts and
// managers may export and practitioners may not, restricted persons stay with their named users,
// and every export is audited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, signedIn, cli, PASSWORD } from '../lib/server.mjs';
import { show, fieldErrors, assertProblem, personBody, sqlite } from '../lib/helpers.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'safehub-exports-'));
const db = path.join(dir, 'exports.db');
let server, manager, analyst;
const ids = {};

async function person(c, overrides) {
  const r = await c.req('POST', '/api/v1/persons', personBody(overrides));
  assert.equal(r.status, 201, show(r));
  return r.body.id;
}

const LAC = { type: 'residential', provider: 'Test House', placing_authority: 'Northby', host_authority: 'Northby' };
let refs = 0;
async function episode(c, body) {
  const r = await c.req('POST', '/api/v1/missing-episodes', {
    police_force: 'Northby Police', police_ref: `EXPORT-TEST/${++refs}`, grade: 'medium', graded_by: 'PS 1000', ...body,
  });
  assert.equal(r.status, 201, show(r));
  return r.body;
}

before(async () => {
  // Demo persons and users only: no demo missing episodes to get in the way.
  const r = cli(['demo', '--db', db, '--persons', '20', '--seed', '9', '--years', '0', '--password', PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
  server = await startServer({ db, dir, keep: true });
  manager = await signedIn(server.url, 'manager');
  analyst = await signedIn(server.url, 'analyst');

  ids.p1 = await person(manager, { given_name: 'Mary-Jane', family_name: "O'Hara, Jr", dob: '2008-05-14', identifiers: { la_id: 'LA-X0001' } });
  ids.p2 = await person(manager, { given_name: '=Zed', family_name: 'Quinn', dob: '2007-11-02', sex: 'male' });
  ids.p3 = await person(manager, { given_name: 'Olly', family_name: 'Home', dob: '2009-01-20', identifiers: { la_id: 'LA-X0003' } });
  ids.p4 = await person(manager, {
    given_name: 'Rita', family_name: 'Private', dob: '2008-08-08', identifiers: { la_id: 'LA-X0004' },
    restricted: true, restricted_to: ['manager'],
  });
  const care = { missing_from: 'care', looked_after: true, placement: LAC };
  // p1: one episode either side of 2021, two in it (the second starts 23:30 UTC on 30 June: 1 July in BST).
  await episode(manager, { person_id: ids.p1, ...care, category: 'M', started_at: '2020-12-31T23:00:00Z',
    reported_at: '2020-12-31T23:30:00Z', ended_at: '2021-01-01T05:00:00Z', grade: 'low' });
  const e1 = await episode(manager, { person_id: ids.p1, ...care, category: 'M', started_at: '2021-03-05T19:30:00Z',
    reported_at: '2021-03-05T21:00:00Z', ended_at: '2021-03-06T10:00:00Z', grade: 'low', graded_at: '2021-03-05T21:10:00Z' });
  const g = await manager.req('POST', `/api/v1/missing-episodes/${e1.id}/gradings`,
    { grade: 'high', graded_at: '2021-03-05T23:00:00Z', graded_by: 'Insp 2000', note: 'Seen with an adult of concern' });
  assert.equal(g.status, 201, show(g));
  ids.e2 = (await episode(manager, { person_id: ids.p1, ...care, category: 'A', started_at: '2021-06-30T23:30:00Z',
    reported_at: '2021-07-01T01:00:00Z', ended_at: '2021-07-02T08:00:00Z' })).id;
  const rhi = await manager.req('PUT', `/api/v1/missing-episodes/${ids.e2}/rhi`, {
    offered_at: '2021-07-02T12:00:00Z', offered_by: 'Return interview worker', offered_org: 'Compass', independent: true,
    response: 'accepted', responded_at: '2021-07-02T12:00:00Z', completed_at: '2021-07-03T10:00:00Z',
  });
  assert.equal(rhi.status, 200, show(rhi));
  await episode(manager, { person_id: ids.p1, ...care, category: 'M', started_at: '2022-01-01T00:30:00Z',
    reported_at: '2022-01-01T01:00:00Z', ended_at: '2022-01-01T06:00:00Z' });
  // p2: no LA id, still missing.
  await episode(manager, { person_id: ids.p2, ...care, category: 'M', started_at: '2021-04-10T15:00:00Z',
    reported_at: '2021-04-10T16:00:00Z' });
  // p3: missing from home, not looked after: never in these exports.
  await episode(manager, { person_id: ids.p3, missing_from: 'home', looked_after: false, category: 'M',
    started_at: '2021-05-05T18:00:00Z', reported_at: '2021-05-05T19:00:00Z', ended_at: '2021-05-05T22:00:00Z' });
  // p4: restricted to the manager.
  await episode(manager, { person_id: ids.p4, ...care, category: 'M', started_at: '2021-08-08T10:00:00Z',
    reported_at: '2021-08-08T11:00:00Z', ended_at: '2021-08-08T20:00:00Z', grade: 'high' });
});

after(async () => {
  if (server) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const csv = (...lines) => lines.map((l) => `${l}\r\n`).join('');
const SSDA = 'CHILD,DOB,MISSING,MIS_START,MIS_END';

async function get(c, p) {
  const r = await c.req('GET', p);
  return r;
}

describe('SSDA903 missing export', () => {
  it('matches the episodes exactly: looked-after children, local dates, ordered by CHILD then start', async () => {
    const r = await get(analyst, '/api/v1/exports/ssda903-missing?from=2021-01-01&to=2021-12-31');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.text, csv(SSDA,
      'LA-X0001,14/05/2008,M,05/03/2021,06/03/2021',
      'LA-X0001,14/05/2008,A,01/07/2021,02/07/2021',
      `P${ids.p2},02/11/2007,M,10/04/2021,`));
  });

  it('filters on the start date, both days included, in local time', async () => {
    const cases = [
      ['2021-03-06', '2021-12-31', ['LA-X0001,14/05/2008,A,01/07/2021,02/07/2021', `P${ids.p2},02/11/2007,M,10/04/2021,`]],
      ['2021-07-01', '2021-07-01', ['LA-X0001,14/05/2008,A,01/07/2021,02/07/2021']],
      ['2021-01-01', '2021-06-30', ['LA-X0001,14/05/2008,M,05/03/2021,06/03/2021', `P${ids.p2},02/11/2007,M,10/04/2021,`]],
      ['2020-12-31', '2020-12-31', ['LA-X0001,14/05/2008,M,31/12/2020,01/01/2021']],
      ['2022-01-01', '2022-01-01', ['LA-X0001,14/05/2008,M,01/01/2022,01/01/2022']],
      ['2019-01-01', '2019-12-31', []],
    ];
    for (const [from, to, lines] of cases) {
      const r = await get(analyst, `/api/v1/exports/ssda903-missing?from=${from}&to=${to}`);
      assert.equal(r.status, 200, show(r));
      assert.equal(r.text, csv(SSDA, ...lines), `${from} to ${to}`);
    }
  });

  it('shows a restricted child only to the users named on them', async () => {
    const r = await get(manager, '/api/v1/exports/ssda903-missing?from=2021-08-01&to=2021-08-31');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.text, csv(SSDA, 'LA-X0004,08/08/2008,M,08/08/2021,08/08/2021'));
    assert.equal(r.headers.get('safehub-withheld'), '0', 'nothing left out for the manager');
    const a = await get(analyst, '/api/v1/exports/ssda903-missing?from=2021-08-01&to=2021-08-31');
    assert.equal(a.text, csv(SSDA));
    // The file says nothing of the child; the answer says a row was left out, so the return is
    // known to be incomplete (the exports page warns).
    assert.equal(a.headers.get('safehub-withheld'), '1', 'one row left out for the analyst');
  });

  it('answers 422 naming each bad date', async () => {
    const bad = [
      ['?from=2021-02-30&to=2021-12-31', ['from']],
      ['?from=2021-01-01', ['to']],
      ['', ['from', 'to']],
      ['?from=01/01/2021&to=2021-13-01', ['from', 'to']],
      ['?from=2021-05-01&to=2021-04-30', ['to']],
      ['?from=2021-01-01T00:00:00Z&to=2021-12-31', ['from']],
      ['?from=0001-01-01&to=9999-12-31', ['from', 'to']],
    ];
    for (const [q, fields] of bad) {
      const r = await get(analyst, `/api/v1/exports/ssda903-missing${q}`);
      assert.deepEqual(fieldErrors(r, q).sort(), fields, q);
    }
  });
});

describe('Annex A missing export', () => {
  const HEAD = 'child_id,given_name,family_name,dob,sex,missing_episodes,absent_episodes,highest_grade,'
    + 'last_episode_start,last_episode_end,rhi_offered_after_last,rhi_accepted_after_last';

  it('summarises each looked-after child over the 12 months to the date, counting by the highest grading', async () => {
    const r = await get(analyst, '/api/v1/exports/annex-a-missing?date=2021-12-31');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(r.text, csv(HEAD,
      `LA-X0001,Mary-Jane,"O'Hara, Jr",14/05/2008,female,1,1,high,01/07/2021,02/07/2021,Yes,Yes`,
      `P${ids.p2},"'=Zed",Quinn,02/11/2007,male,1,0,medium,10/04/2021,,No,`));
  });

  it('covers the 12 months to the date: 2020-04-01 to 2021-03-31', async () => {
    const r = await get(analyst, '/api/v1/exports/annex-a-missing?date=2021-03-31');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.text, csv(HEAD, "LA-X0001,Mary-Jane,\"O'Hara, Jr\",14/05/2008,female,2,0,high,05/03/2021,06/03/2021,No,"));
    // 2021-08-08 to 2022-08-07: p4's episode on the first day (a manager sees p4), p1's in January 2022 only.
    const m = await get(manager, '/api/v1/exports/annex-a-missing?date=2022-08-07');
    assert.equal(m.status, 200, show(m));
    assert.equal(m.text, csv(HEAD, "LA-X0001,Mary-Jane,\"O'Hara, Jr\",14/05/2008,female,1,0,medium,01/01/2022,01/01/2022,No,",
      'LA-X0004,Rita,Private,08/08/2008,female,1,0,high,08/08/2021,08/08/2021,No,'));
    const a = await get(analyst, '/api/v1/exports/annex-a-missing?date=2022-08-07');
    assert.equal(a.text, csv(HEAD, "LA-X0001,Mary-Jane,\"O'Hara, Jr\",14/05/2008,female,1,0,medium,01/01/2022,01/01/2022,No,"),
      'a restricted child is left out for others');
    assert.equal(a.headers.get('safehub-withheld'), '1');
    assert.equal(m.headers.get('safehub-withheld'), '0');
  });

  it('answers 422 naming a bad date, and defaults to today', async () => {
    for (const q of ['?date=31/12/2021', '?date=2021-02-29', '?date=tomorrow']) {
      const r = await get(analyst, `/api/v1/exports/annex-a-missing${q}`);
      assert.deepEqual(fieldErrors(r, q), ['date'], q);
    }
    const r = await get(analyst, '/api/v1/exports/annex-a-missing');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.text, csv(HEAD), 'nothing in the last 12 months');
  });
});

describe('who may export, and the audit trail', () => {
  it('lets analysts and managers export, and nobody else', async () => {
    for (const role of ['practitioner', 'police_intel', 'board', 'admin']) {
      const c = await signedIn(server.url, role);
      for (const p of ['/api/v1/exports/ssda903-missing?from=2021-01-01&to=2021-12-31', '/api/v1/exports/annex-a-missing?date=2021-12-31']) {
        assertProblem(await get(c, p), 403, `${role} ${p}`);
      }
    }
    const r = await fetch(`${server.url}/api/v1/exports/ssda903-missing?from=2021-01-01&to=2021-12-31`);
    assert.equal(r.status, 401, 'signed out');
  });

  it('audits every export with its period and row count', async () => {
    const before = Number(sqlite(db, "SELECT count(*) FROM audit WHERE action = 'export.ssda903'").stdout);
    const r = await get(analyst, '/api/v1/exports/ssda903-missing?from=2021-01-01&to=2021-12-31');
    assert.equal(r.status, 200);
    const a = await get(analyst, '/api/v1/exports/annex-a-missing?date=2021-12-31');
    assert.equal(a.status, 200);
    const rows = sqlite(db, "SELECT action || '|' || username || '|' || detail FROM audit WHERE action LIKE 'export.%' ORDER BY seq DESC LIMIT 2")
      .stdout.trim().split('\n');
    assert.equal(rows[1], 'export.ssda903|analyst|from 2021-01-01 to 2021-12-31: 3 rows, 1 restricted left out');
    assert.equal(rows[0], 'export.annex_a|analyst|from 2021-01-01 to 2021-12-31: 2 rows, 1 restricted left out');
    assert.equal(Number(sqlite(db, "SELECT count(*) FROM audit WHERE action = 'export.ssda903'").stdout), before + 1);
    const m = await get(manager, '/api/v1/exports/ssda903-missing?from=2021-08-01&to=2021-08-31');
    assert.equal(m.status, 200);
    const an = await get(analyst, '/api/v1/exports/ssda903-missing?from=2021-08-01&to=2021-08-31');
    assert.equal(an.status, 200);
    const last = sqlite(db, "SELECT detail FROM audit WHERE action = 'export.ssda903' ORDER BY seq DESC LIMIT 2").stdout.trim().split('\n');
    assert.deepEqual(last, ['from 2021-08-01 to 2021-08-31: 0 rows, 1 restricted left out',
      'from 2021-08-01 to 2021-08-31: 1 rows, 0 restricted left out']);
  });
});
