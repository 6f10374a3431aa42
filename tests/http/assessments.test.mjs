// Risk assessments (docs/api-casework.md, "Assessments"): scoring with the stored example tool,
// the floor rules (a disclosure forces high; a 13-year-old cannot be rated low), professional
// override with a required rationale, errors naming answers.<code> and the override fields, inactive
// tools, who may record and read, restricted persons, the audit trail, never-changed records, the
// risk trajectory, and what an assessment does to the person's open case.
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

const ASSESSMENT_KEYS = [
  'id', 'person_id', 'case_id', 'tool', 'answers', 'result', 'score', 'computed_level', 'final_level',
  'override_level', 'override_rationale', 'assessed_at', 'assessor',
].sort();
const TOOL = 1; // the shipped example tool, seeded by the first migration
const q = (sql) => sqlite(server.db, sql).stdout.trim();
const newPerson = async (overrides = {}, who = 'practitioner') => {
  const r = await c[who].req('POST', '/api/v1/persons', personBody({ given_name: 'Assessed', family_name: 'Young Person', ...overrides }));
  assert.equal(r.status, 201, show(r));
  return r.body;
};
// Born 2 June 2012: 13 on 1 December 2025, 14 from 2 June 2026.
const DOB_13 = '2012-06-02';
const ON_13 = '2025-12-01T12:00:00Z';
const ON_14 = '2026-06-03T12:00:00Z';
const assess = (who, b) => c[who].req('POST', '/api/v1/assessments', { tool_id: TOOL, answers: {}, ...b });
const created = async (who, b) => {
  const r = await assess(who, b);
  assert.equal(r.status, 201, show(r));
  return r.body;
};
const auditDetail = (id) => q(`SELECT detail FROM audit WHERE action = 'assessment.create' AND object_id = '${id}'`);

describe('scoring, floors and override', () => {
  let person;
  before(async () => { person = await newPerson({ dob: DOB_13 }); });

  it('answers 201 with a Location and the Assessment of the contract', async () => {
    const r = await assess('practitioner', {
      person_id: person.id, assessed_at: ON_14,
      answers: { missing_episodes: 'two_to_four', missing_overnight: true, staying_out_late: false },
    });
    assert.equal(r.status, 201, show(r));
    const a = r.body;
    assert.equal(new URL(r.headers.get('location'), server.url).pathname, `/api/v1/assessments/${a.id}`);
    assert.deepEqual(Object.keys(a).sort(), ASSESSMENT_KEYS);
    assert.equal(a.person_id, person.id);
    assert.equal(a.case_id, null, 'no open case');
    assert.deepEqual(a.tool, { id: TOOL, code: 'exploitation-screening', version: 1, name: a.tool.name });
    assert.deepEqual(a.answers, { missing_episodes: 'two_to_four', missing_overnight: true, staying_out_late: false });
    assert.equal(a.score, 10);
    assert.equal(a.result.score, 10);
    assert.equal(a.computed_level, 'medium');
    assert.equal(a.final_level, 'medium');
    assert.equal(a.override_level, null);
    assert.equal(a.override_rationale, null);
    assert.equal(a.assessed_at, ON_14);
    assert.equal(a.assessor, 'practitioner');
    assert.equal(auditDetail(a.id), 'tool exploitation-screening v1');
  });

  it('a disclosure forces high', async () => {
    const a = await created('practitioner', { person_id: person.id, assessed_at: ON_14, answers: { disclosure: true } });
    assert.equal(a.final_level, 'high');
    assert.notEqual(a.computed_level, 'high', 'the score alone is not high');
    assert.ok(a.result.floors_applied.some((f) => f.level === 'high' && /disclosure/i.test(f.label)), JSON.stringify(a.result));
    // No override may take it below high.
    const r = await assess('manager', {
      person_id: person.id, assessed_at: ON_14, answers: { disclosure: true },
      override_level: 'medium', override_rationale: 'The child retracted the account the next day.',
    });
    assert.deepEqual(fieldErrors(r, 'override below a disclosure'), ['override_level']);
  });

  it('a 13-year-old cannot be rated low; at 14 the same answers are low', async () => {
    const at13 = await created('practitioner', { person_id: person.id, assessed_at: ON_13, answers: { staying_out_late: true } });
    assert.equal(at13.computed_level, 'low');
    assert.equal(at13.final_level, 'medium');
    assert.ok(at13.result.floors_applied.some((f) => /13/.test(f.label)), JSON.stringify(at13.result.floors_applied));
    const at14 = await created('practitioner', { person_id: person.id, assessed_at: ON_14, answers: { staying_out_late: true } });
    assert.equal(at14.final_level, 'low', 'the age is taken on the day of the assessment');
    const r = await assess('practitioner', {
      person_id: person.id, assessed_at: ON_13, answers: { staying_out_late: true },
      override_level: 'low', override_rationale: 'Very settled at home, strong protective factors.',
    });
    assert.deepEqual(fieldErrors(r, 'override a 13-year-old to low'), ['override_level']);
  });

  it('an override without a rationale is refused naming override_rationale, and nothing is stored', async () => {
    const before = q('SELECT count(*) FROM assessments');
    let r = await assess('practitioner', { person_id: person.id, assessed_at: ON_14, override_level: 'high' });
    assert.deepEqual(fieldErrors(r, 'no rationale'), ['override_rationale']);
    r = await assess('practitioner', { person_id: person.id, assessed_at: ON_14, override_level: 'high', override_rationale: 'too short' });
    assert.deepEqual(fieldErrors(r, 'short rationale'), ['override_rationale']);
    r = await assess('practitioner', { person_id: person.id, assessed_at: ON_14, override_rationale: 'A rationale but no level to go with it.' });
    assert.deepEqual(fieldErrors(r, 'rationale without a level'), ['override_rationale']);
    r = await assess('practitioner', { person_id: person.id, assessed_at: ON_14, override_level: 'extreme', override_rationale: 'Some rationale of length.' });
    assert.deepEqual(fieldErrors(r, 'unknown level'), ['override_level']);
    assert.equal(q('SELECT count(*) FROM assessments'), before);
  });

  it('an override with a rationale is stored and audited (the audit names the override, not the words)', async () => {
    const rationale = 'Known to be travelling to a county lines address every weekend.';
    const a = await created('practitioner', {
      person_id: person.id, assessed_at: ON_14, answers: { staying_out_late: true },
      override_level: 'high', override_rationale: `  ${rationale}  `,
    });
    assert.equal(a.computed_level, 'low');
    assert.equal(a.override_level, 'high');
    assert.equal(a.override_rationale, rationale);
    assert.equal(a.final_level, 'high');
    assert.equal(q(`SELECT override_level || '|' || override_rationale || '|' || final_level FROM assessments WHERE id = ${a.id}`),
      `high|${rationale}|high`);
    const detail = auditDetail(a.id);
    assert.match(detail, /override/);
    assert.ok(!detail.includes('county'), `no rationale text in the audit: ${detail}`);
    const again = await c.analyst.req('GET', `/api/v1/assessments/${a.id}`);
    assert.deepEqual(again.body, a);
  });

  it('an unknown person age (no date of birth) skips the age floor and says so', async () => {
    const nodob = await newPerson({ dob: undefined });
    const a = await created('practitioner', { person_id: nodob.id, answers: {} });
    assert.equal(a.final_level, 'low');
    assert.equal(a.result.age_unknown, true);
  });
});

describe('bad input', () => {
  let person;
  before(async () => { person = await newPerson(); });

  it('names answers.<code> for unknown indicators and bad answers, with every other bad field', async () => {
    let r = await assess('practitioner', {
      person_id: person.id, answers: { not_an_indicator: true, missing_episodes: 'lots', missing_overnight: 'yes' },
    });
    let f = fieldErrors(r, 'bad answers');
    for (const k of ['answers.not_an_indicator', 'answers.missing_episodes', 'answers.missing_overnight'])
      assert.ok(f.includes(k), `${k} in ${f}`);
    r = await c.practitioner.req('POST', '/api/v1/assessments', {
      person_id: person.id, tool_id: TOOL, answers: { missing_overnight: 3 }, assessed_at: '2999-01-01T00:00:00Z',
      override_rationale: 5, colour: 'red',
    });
    f = fieldErrors(r, 'several');
    for (const k of ['answers.missing_overnight', 'assessed_at', 'override_rationale', 'colour'])
      assert.ok(f.includes(k), `${k} in ${f}`);
    r = await c.practitioner.req('POST', '/api/v1/assessments', {});
    f = fieldErrors(r, 'empty');
    for (const k of ['person_id', 'tool_id', 'answers']) assert.ok(f.includes(k), `${k} in ${f}`);
    r = await assess('practitioner', { person_id: person.id, answers: [true] });
    assert.deepEqual(fieldErrors(r, 'answers not an object'), ['answers']);
    r = await assess('practitioner', { person_id: 99999999 });
    assert.deepEqual(fieldErrors(r, 'unknown person'), ['person_id']);
    r = await assess('practitioner', { person_id: person.id, tool_id: 99999 });
    assert.deepEqual(fieldErrors(r, 'unknown tool'), ['tool_id']);
    r = await assess('practitioner', { person_id: person.id, case_id: 99999999 });
    assert.deepEqual(fieldErrors(r, 'unknown case'), ['case_id']);
    r = await assess('practitioner', { person_id: person.id, assessed_at: '1990-01-01T00:00:00Z' });
    assert.deepEqual(fieldErrors(r, 'before birth'), ['assessed_at']);
  });

  it('a tool that is no longer active cannot be used for a new assessment', async () => {
    const res = sqlite(server.db, "INSERT INTO risk_tools(code, version, name, definition, active, created_at)"
      + " SELECT code, 99, name, replace(definition, '\"version\":1,', '\"version\":99,'), 0, created_at FROM risk_tools WHERE id = 1;"
      + ' SELECT last_insert_rowid();');
    assert.equal(res.status, 0, res.stderr);
    const inactive = Number(res.stdout.trim());
    const r = await assess('practitioner', { person_id: person.id, tool_id: inactive });
    assert.deepEqual(fieldErrors(r, 'inactive tool'), ['tool_id']);
  });
});

describe('reading, who may, restricted persons, never changed', () => {
  let person, first, second;
  before(async () => {
    person = await newPerson();
    second = await created('practitioner', { person_id: person.id, assessed_at: '2026-02-01T10:00:00Z', answers: { drug_debt: true } });
    first = await created('manager', { person_id: person.id, assessed_at: '2026-01-01T10:00:00Z', answers: {} });
  });

  it('the list is the risk trajectory, oldest first, for every role with case.read', async () => {
    for (const who of ['manager', 'practitioner', 'police_intel', 'analyst']) {
      const r = await c[who].req('GET', `/api/v1/assessments?person_id=${person.id}`);
      assert.equal(r.status, 200, `${who}: ${show(r)}`);
      assert.deepEqual(r.body.items.map((a) => a.id), [first.id, second.id]);
      assert.deepEqual(r.body.items.map((a) => a.final_level), ['low', 'low']);
      assert.deepEqual(r.body.items[0], first);
    }
    assert.ok(Number(q(`SELECT count(*) FROM audit WHERE action = 'assessment.list' AND object_id = '${person.id}'`)) >= 4);
    assertProblem(await c.board.req('GET', `/api/v1/assessments?person_id=${person.id}`), 403, 'board');
    assertProblem(await c.manager.req('GET', '/api/v1/assessments'), 400, 'no person');
    assertProblem(await c.manager.req('GET', '/api/v1/assessments?person_id=x'), 400, 'bad person');
    assertProblem(await c.manager.req('GET', '/api/v1/assessments?person_id=99999999'), 404, 'unknown person');
  });

  it('GET one is audited as assessment.view; 404 when there is none', async () => {
    const r = await c.police_intel.req('GET', `/api/v1/assessments/${second.id}`);
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.body, second);
    assert.equal(q(`SELECT count(*) FROM audit WHERE action = 'assessment.view' AND object_id = '${second.id}'`), '1');
    assertProblem(await c.manager.req('GET', '/api/v1/assessments/99999999'), 404, 'missing');
  });

  it('an analyst (or board, admin, police_intel) can read but not record', async () => {
    for (const who of ['analyst', 'board', 'admin', 'police_intel'])
      assertProblem(await assess(who, { person_id: person.id }), 403, who);
  });

  it('restricted persons: 403 to anyone not named, on record, read and list', async () => {
    const secret = await newPerson({ restricted: true, restricted_to: ['practitioner'] });
    const a = await created('practitioner', { person_id: secret.id });
    for (const who of ['practitioner2', 'manager', 'analyst']) {
      assertProblem(await c[who].req('GET', `/api/v1/assessments/${a.id}`), 403, `${who} GET`);
      assertProblem(await c[who].req('GET', `/api/v1/assessments?person_id=${secret.id}`), 403, `${who} list`);
    }
    assertProblem(await assess('practitioner2', { person_id: secret.id }), 403, 'record');
    assert.equal((await c.practitioner.req('GET', `/api/v1/assessments/${a.id}`)).status, 200, 'named user reads');
  });

  it('an assessment is never changed: the store refuses an UPDATE', async () => {
    const r = sqlite(server.db, `UPDATE assessments SET final_level = 'high' WHERE id = ${first.id}`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /never changed/);
    assert.equal(q(`SELECT final_level FROM assessments WHERE id = ${first.id}`), 'low');
  });
});

// Last: these run through the cases slice (casework_open_case, casework_set_risk).
describe('an assessment on a case', () => {
  let person, caseId, decidedAt;
  before(async () => {
    person = await newPerson({ dob: '2010-09-09' });
    const ref = await c.practitioner.req('POST', '/api/v1/referrals', {
      person_id: person.id, received_at: new Date(Date.now() - 3600000).toISOString(), source_code: '2A',
      strands: ['cce'], concerns: 'Found with cash and two phones.',
    });
    assert.equal(ref.status, 201, show(ref));
    const d = await c.manager.req('POST', `/api/v1/referrals/${ref.body.id}/decision`, {
      version: 1, outcome: 'allocate', rationale: 'Several CCE indicators.', team: 'Phoenix', worker: 'practitioner',
    });
    assert.equal(d.status, 200, show(d));
    caseId = d.body.case_id;
    decidedAt = d.body.decided_at;
    assert.ok(caseId > 0, `case opened: ${show(d)}`);
  });

  const caseRow = () => q(`SELECT coalesce(risk_level, '') || '|' || coalesce(opening_risk, '') FROM cases WHERE id = ${caseId}`);
  const clock = (standard) => q(`SELECT status FROM clocks WHERE standard = '${standard}' AND subject_type = 'case'`
    + ` AND subject_id = ${caseId} ORDER BY id DESC LIMIT 1`);

  it('applies to the person\'s open case: sets its risk level and stops first_assessment', async () => {
    assert.equal(clock('first_assessment'), 'running');
    const a = await created('practitioner', { person_id: person.id, answers: { disclosure: true } });
    assert.equal(a.case_id, caseId, 'the open case is found without case_id');
    assert.equal(caseRow(), 'high|high');
    assert.equal(clock('first_assessment'), 'met');
    assert.equal(clock('high_risk_visit'), 'running', 'rated high: the weekly visit clock starts');
    assert.ok(Date.parse(a.assessed_at) >= Date.parse(decidedAt));
  });

  it('a later assessment moves the current level; opening_risk stays the first', async () => {
    const a = await created('manager', { person_id: person.id, case_id: caseId, answers: {} });
    assert.equal(a.case_id, caseId);
    assert.equal(caseRow(), 'low|high');
  });

  it('a practitioner of another team may not assess on this team\'s case (403), nothing stored', async () => {
    const before = q('SELECT count(*) FROM assessments');
    assertProblem(await assess('practitioner2', { person_id: person.id }), 403, 'other team, open case');
    assertProblem(await assess('practitioner2', { person_id: person.id, case_id: caseId }), 403, 'other team, named case');
    assert.equal(q('SELECT count(*) FROM assessments'), before);
  });

  it('case_id of another person\'s case is refused naming case_id', async () => {
    const other = await newPerson();
    const r = await assess('practitioner', { person_id: other.id, case_id: caseId });
    assert.deepEqual(fieldErrors(r, 'another person\'s case'), ['case_id']);
  });

  it('a closed case takes no more assessments (409)', async () => {
    const res = sqlite(server.db, `UPDATE cases SET status = 'closed', closed_at = unixepoch() WHERE id = ${caseId}`);
    assert.equal(res.status, 0, res.stderr);
    const r = await assess('manager', { person_id: person.id, case_id: caseId });
    assertProblem(r, 409, 'closed case');
    const free = await created('manager', { person_id: person.id });
    assert.equal(free.case_id, null, 'with no open case an assessment stands on its own');
  });
});
