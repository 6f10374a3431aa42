// Configuration (docs/api-casework.md "Configuration", docs/configuration.md): the lists and
// their shipped defaults, replacing a list (codes never disappear, retired with active: false),
// the configuration version (stale -> 409, nothing changed), bank holidays, practice standards,
// risk tools (versions, 422 naming every bad field of a definition), who may change what, and
// the audit of every change. The last group checks that configuration reaches casework: a
// retired code cannot be used on a new referral, and a bank holiday added through the API moves
// the due time of a referral decision received afterwards.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, signedIn, ROLES } from '../lib/server.mjs';
import { assertProblem, fieldErrors, personBody, show } from '../lib/helpers.mjs';

const SHIPPED_TOOL = JSON.parse(readFileSync(new URL('../../config/risk-tools/exploitation-screening-v1.json', import.meta.url), 'utf8'));
const LISTS = ['strands', 'referral_sources', 'decision_outcomes', 'closure_reasons', 'meeting_types', 'contact_types', 'flag_types'];
const NON_ADMINS = ROLES.filter((r) => r !== 'admin');

let server;
const c = {}; // role -> signed-in client
before(async () => {
  server = await startServer({ persons: 20 });
  for (const u of ROLES) c[u] = await signedIn(server.url, u);
});
after(async () => { if (server) await server.stop(); });

const getConfig = async (who = 'admin') => {
  const r = await c[who].req('GET', '/api/v1/config');
  assert.equal(r.status, 200, `GET /config as ${who}: ${show(r)}`);
  return r.body;
};
// A list as a PUT body would send it: every stored item with its list's extra member.
const asItems = (list, items) => items.map((i) => {
  const o = { code: i.code, label: i.label, active: i.active };
  if (list === 'strands') o.cin_code = i.cin_code;
  if (list === 'decision_outcomes') o.opens_case = i.opens_case;
  return o;
});
const putList = (list, body, who = 'admin') => c[who].req('PUT', `/api/v1/config/lists/${list}`, body);
// The newest audit entries by admin (newest first).
const adminAudit = async () => {
  const r = await c.admin.req('GET', '/api/v1/audit?username=admin&limit=50');
  assert.equal(r.status, 200, show(r));
  return r.body.items;
};
const clone = (x) => JSON.parse(JSON.stringify(x));

describe('GET /api/v1/config', () => {
  it('answers every signed-in role with every list, the practice standards and the risk levels', async () => {
    for (const role of ROLES) {
      const cfg = await getConfig(role);
      assert.ok(Number.isInteger(cfg.version) && cfg.version >= 1, `version as ${role}`);
      for (const l of LISTS) {
        assert.ok(Array.isArray(cfg[l]) && cfg[l].length > 0, `${l} as ${role}`);
        for (const i of cfg[l]) {
          assert.equal(typeof i.code, 'string');
          assert.equal(typeof i.label, 'string');
          assert.equal(typeof i.active, 'boolean');
        }
      }
      assert.deepEqual(cfg.risk_levels, ['low', 'medium', 'high']);
    }
  });

  it('ships the defaults: strands with CIN codes, CIN census sources, outcomes that open a case, meeting types', async () => {
    const cfg = await getConfig('practitioner');
    const by = (l, code) => cfg[l].find((i) => i.code === code);
    assert.deepEqual(by('strands', 'cse'), { code: 'cse', label: 'Child sexual exploitation', cin_code: '11A', active: true });
    assert.equal(by('strands', 'cce').cin_code, '24A');
    assert.equal(by('strands', 'missing').cin_code, '10A');
    assert.equal(by('strands', 'hba').cin_code, null, 'a strand without a CIN factor code');
    assert.deepEqual(cfg.strands.map((s) => s.code), ['cse', 'cce', 'ocg', 'mst', 'hba', 'fgm', 'prevent', 'da', 'missing']);
    assert.deepEqual(by('referral_sources', '6'), { code: '6', label: 'Police', active: true });
    assert.equal(cfg.referral_sources.length, 22);
    assert.equal(by('decision_outcomes', 'allocate').opens_case, true);
    assert.equal(by('decision_outcomes', 'strategy').opens_case, true);
    assert.equal(by('decision_outcomes', 'nfa').opens_case, false);
    assert.ok(!('cin_code' in by('decision_outcomes', 'nfa')) && !('opens_case' in by('strands', 'cse')), 'extras only on their list');
    assert.deepEqual(cfg.meeting_types.map((m) => m.code), ['ptac', 'strategy', 'mace', 'marac', 'channel', 'professionals', 'repeat_missing']);
    const std = Object.fromEntries(cfg.practice_standards.map((s) => [s.code, s]));
    assert.deepEqual(std.referral_decision, {
      code: 'referral_decision', name: 'Referral decision', start_event: 'referral received', end_event: 'referral decided',
      limit_value: 1, limit_unit: 'working_days', applies_to: '', repeats: false, active: true,
    });
    assert.equal(std.first_assessment.limit_value, 5);
    assert.equal(std.first_ptac.limit_value, 10);
    assert.deepEqual([std.ptac_review.limit_value, std.ptac_review.limit_unit, std.ptac_review.repeats], [42, 'days', true]);
    assert.deepEqual([std.high_risk_visit.limit_value, std.high_risk_visit.applies_to], [7, 'risk:high']);
    assert.deepEqual([std.flag_review.limit_value, std.flag_review.limit_unit], [3, 'months']);
    assert.deepEqual([std.supervision.limit_value, std.supervision.limit_unit], [28, 'days']);
    assert.ok(std.transition_plan);
  });
});

describe('PUT /api/v1/config/lists/{list}', () => {
  it('adds a code, relabels and reorders, bumps the version, answers the new configuration and audits config.update', async () => {
    const before0 = await getConfig();
    const items = asItems('flag_types', before0.flag_types);
    items.reverse();
    items[0].label = 'Something else entirely';
    items.push({ code: 'county_lines', label: 'County lines', active: true });
    const r = await putList('flag_types', { version: before0.version, items });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.version, before0.version + 1, 'version bumped');
    assert.deepEqual(r.body.flag_types.map((f) => f.code), items.map((i) => i.code), 'the order sent');
    assert.equal(r.body.flag_types[0].label, 'Something else entirely');
    assert.deepEqual(r.body.flag_types.at(-1), { code: 'county_lines', label: 'County lines', active: true });
    const after0 = await getConfig('manager');
    assert.deepEqual(after0.flag_types, r.body.flag_types, 'GET agrees');
    assert.deepEqual(after0.strands, before0.strands, 'other lists unchanged');
    const a = (await adminAudit()).find((e) => e.action === 'config.update');
    assert.ok(a, 'config.update audited');
    assert.match(a.detail, /flag_type: 1 added, 0 retired, \d+ changed/);
    assert.equal(a.outcome, 'ok');
  });

  it('retires a code with active: false; a code can never disappear (422 naming items)', async () => {
    let cfg = await getConfig();
    const items = asItems('closure_reasons', cfg.closure_reasons);
    const without = items.filter((i) => i.code !== 'moved_away' && i.code !== 'declined');
    const r = await putList('closure_reasons', { version: cfg.version, items: without });
    assert.ok(fieldErrors(r).includes('items'), show(r));
    assert.match(r.body.errors.find((e) => e.field === 'items').message, /moved_away, declined/);
    assert.deepEqual((await getConfig()).closure_reasons, cfg.closure_reasons, 'nothing changed');

    items.find((i) => i.code === 'moved_away').active = false;
    const ok = await putList('closure_reasons', { version: cfg.version, items });
    assert.equal(ok.status, 200, show(ok));
    cfg = await getConfig();
    assert.deepEqual(cfg.closure_reasons.find((i) => i.code === 'moved_away'),
      { code: 'moved_away', label: 'Moved out of the area', active: false }, 'kept, retired');
    assert.match((await adminAudit()).find((e) => e.action === 'config.update').detail, /closure_reason: 0 added, 1 retired/);
  });

  it('a stale version is 409 and changes nothing', async () => {
    const cfg = await getConfig();
    const items = asItems('contact_types', cfg.contact_types);
    items[0].label = 'Changed by the first admin';
    assert.equal((await putList('contact_types', { version: cfg.version, items })).status, 200);
    items[0].label = 'Changed by the second admin, who read before the first saved';
    const r = await putList('contact_types', { version: cfg.version, items });
    assertProblem(r, 409, 'stale version');
    const now = await getConfig();
    assert.equal(now.contact_types[0].label, 'Changed by the first admin');
    assert.equal(now.version, cfg.version + 1);
  });

  it('a practice standard change also bumps the version, so a list change based on the old one is stale', async () => {
    const cfg = await getConfig();
    const s = await c.admin.req('PUT', '/api/v1/config/practice-standards/supervision',
      { version: cfg.version, limit_value: 28, limit_unit: 'days', active: true });
    assert.equal(s.status, 200, show(s));
    const r = await putList('meeting_types', { version: cfg.version, items: asItems('meeting_types', cfg.meeting_types) });
    assertProblem(r, 409, 'list change after a standard change');
  });

  it('refuses duplicates (ignoring case), bad codes, bad labels, missing members and unknown members, naming each', async () => {
    const cfg = await getConfig();
    const items = asItems('meeting_types', cfg.meeting_types);
    const bad = [
      ...items,
      { code: 'PTAC', label: 'Shouting PTAC', active: true },          // duplicate of ptac ignoring case
      { code: 'has space', label: 'x', active: true },                 // bad code
      { code: 'a'.repeat(33), label: 'x', active: true },              // too long
      { code: 'long_label', label: 'x'.repeat(201), active: true },    // label too long
      { code: 'no_label', label: '  ', active: true },                 // empty label
      { code: 'no_active', label: 'x' },                               // active missing
      { code: 'colour', label: 'x', active: true, colour: 'red' },     // unknown member
      { code: 'cin', label: 'x', active: true, cin_code: '11A' },      // strands only
      { code: 'opens', label: 'x', active: true, opens_case: true },   // decision outcomes only
      'ptac',                                                           // not an object
    ];
    const n = items.length;
    const r = await putList('meeting_types', { version: cfg.version, items: bad, extra: 1 });
    const fields = fieldErrors(r);
    for (const f of [`items[${n}].code`, `items[${n + 1}].code`, `items[${n + 2}].code`, `items[${n + 3}].label`,
      `items[${n + 4}].label`, `items[${n + 5}].active`, `items[${n + 6}].colour`, `items[${n + 7}].cin_code`,
      `items[${n + 8}].opens_case`, `items[${n + 9}]`, 'extra']) {
      assert.ok(fields.includes(f), `${f} named in ${JSON.stringify(fields)}`);
    }
    assert.deepEqual(await getConfig(), cfg, 'nothing changed');
    const noVersion = await putList('meeting_types', { items });
    assert.ok(fieldErrors(noVersion).includes('version'), show(noVersion));
    const noItems = await putList('meeting_types', { version: cfg.version });
    assert.ok(fieldErrors(noItems).includes('items'), show(noItems));
    const allRetired = await putList('meeting_types', { version: cfg.version, items: items.map((i) => ({ ...i, active: false })) });
    assert.ok(fieldErrors(allRetired).includes('items'), 'every code retired');
    assert.match(allRetired.body.errors.find((e) => e.field === 'items').message, /at least one active/);
  });

  it('strands take a CIN factor code and decision outcomes opens_case; left out, the stored value is kept', async () => {
    let cfg = await getConfig();
    const strands = asItems('strands', cfg.strands);
    strands.find((s) => s.code === 'hba').cin_code = '22b';                // normalised to upper case
    delete strands.find((s) => s.code === 'cse').cin_code;                 // kept: 11A
    strands.push({ code: 'sextortion', label: 'Financially motivated sexual extortion', active: true });
    let r = await putList('strands', { version: cfg.version, items: strands });
    assert.equal(r.status, 200, show(r));
    const s = Object.fromEntries(r.body.strands.map((x) => [x.code, x]));
    assert.equal(s.hba.cin_code, '22B');
    assert.equal(s.cse.cin_code, '11A');
    assert.equal(s.sextortion.cin_code, null);
    const badCin = await putList('strands', { version: r.body.version, items: [...strands.slice(0, -1), { code: 'sextortion', label: 'x', active: true, cin_code: '11-A' }] });
    assert.ok(fieldErrors(badCin).includes(`items[${strands.length - 1}].cin_code`), show(badCin));

    cfg = await getConfig();
    const outcomes = asItems('decision_outcomes', cfg.decision_outcomes);
    outcomes.find((o) => o.code === 'early_help').opens_case = true;
    delete outcomes.find((o) => o.code === 'allocate').opens_case;       // kept: true
    outcomes.find((o) => o.code === 'nfa').opens_case = 'yes';
    const bad = await putList('decision_outcomes', { version: cfg.version, items: outcomes });
    assert.ok(fieldErrors(bad).includes('items[0].opens_case'), show(bad));
    outcomes.find((o) => o.code === 'nfa').opens_case = false;
    r = await putList('decision_outcomes', { version: cfg.version, items: outcomes });
    assert.equal(r.status, 200, show(r));
    const o = Object.fromEntries(r.body.decision_outcomes.map((x) => [x.code, x.opens_case]));
    assert.deepEqual(o, { nfa: false, advice: false, early_help: true, allocate: true, strategy: true, onward: false });
    outcomes.find((x) => x.code === 'early_help').opens_case = false;
    r = await putList('decision_outcomes', { version: r.body.version, items: outcomes });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.decision_outcomes.find((x) => x.code === 'early_help').opens_case, false);
  });

  it('an unknown list is 404 (the names are plural)', async () => {
    const cfg = await getConfig();
    for (const l of ['strand', 'risk_levels', 'practice_standards', 'nope']) {
      assertProblem(await putList(l, { version: cfg.version, items: [] }), 404, l);
    }
  });

  it('only admins change lists: 403 for every other role and nothing changes', async () => {
    const cfg = await getConfig();
    const items = asItems('strands', cfg.strands);
    items[0].label = 'Changed by someone not allowed';
    for (const role of NON_ADMINS) assertProblem(await putList('strands', { version: cfg.version, items }, role), 403, role);
    assert.deepEqual(await getConfig(), cfg);
  });
});

describe('bank holidays', () => {
  it('ships England and Wales 2015-2030, in date order, with their names', async () => {
    const r = await c.practitioner.req('GET', '/api/v1/config/bank-holidays');
    assert.equal(r.status, 200, show(r));
    const days = r.body.items;
    assert.ok(days.length > 120, `${days.length} holidays`);
    assert.equal(days[0].date.slice(0, 4), '2015');
    assert.equal(days.at(-1).date.slice(0, 4), '2030');
    assert.deepEqual(days.map((d) => d.date), days.map((d) => d.date).slice().sort(), 'date order');
    const has = (d) => days.find((x) => x.date === d);
    assert.match(has('2027-12-27')?.name ?? '', /Christmas/);
    assert.match(has('2027-12-28')?.name ?? '', /Boxing/);
    assert.ok(has('2022-09-19'), 'State Funeral of Queen Elizabeth II');
    assert.ok(has('2026-04-03') && has('2026-04-06'), 'Good Friday and Easter Monday 2026');
  });

  it('an admin adds one (201), a second time is 409, deletes it (204), then 404; each change audited', async () => {
    const list = async () => (await c.admin.req('GET', '/api/v1/config/bank-holidays')).body.items;
    const r = await c.admin.req('POST', '/api/v1/config/bank-holidays', { date: '2031-01-01', name: "  New Year's Day  " });
    assert.equal(r.status, 201, show(r));
    assert.deepEqual(r.body, { date: '2031-01-01', name: "New Year's Day" });
    assert.equal(r.headers.get('location'), '/api/v1/config/bank-holidays/2031-01-01');
    assert.deepEqual((await list()).find((d) => d.date === '2031-01-01'), { date: '2031-01-01', name: "New Year's Day" });
    assertProblem(await c.admin.req('POST', '/api/v1/config/bank-holidays', { date: '2031-01-01', name: 'Again' }), 409, 'exists');
    assertProblem(await c.admin.req('POST', '/api/v1/config/bank-holidays', { date: '2027-12-27', name: 'Shipped' }), 409, 'shipped exists');
    let a = await adminAudit();
    assert.ok(a.some((e) => e.action === 'config.holiday_add' && /2031-01-01/.test(e.detail)), 'add audited');

    const d = await c.admin.req('DELETE', '/api/v1/config/bank-holidays/2031-01-01');
    assert.equal(d.status, 204, show(d));
    assert.equal((await list()).find((x) => x.date === '2031-01-01'), undefined);
    assertProblem(await c.admin.req('DELETE', '/api/v1/config/bank-holidays/2031-01-01'), 404, 'deleted twice');
    assertProblem(await c.admin.req('DELETE', '/api/v1/config/bank-holidays/31-01-2031'), 404, 'not a date');
    a = await adminAudit();
    assert.ok(a.some((e) => e.action === 'config.holiday_delete' && /2031-01-01/.test(e.detail)), 'delete audited');
  });

  it('refuses a bad date, a missing name and unknown members (422 naming each)', async () => {
    const r = await c.admin.req('POST', '/api/v1/config/bank-holidays', { date: '2031-02-30', name: '', when: 'x' });
    assert.deepEqual(fieldErrors(r).sort(), ['date', 'name', 'when']);
    const r2 = await c.admin.req('POST', '/api/v1/config/bank-holidays', { name: 'No date' });
    assert.deepEqual(fieldErrors(r2), ['date']);
  });

  it('only admins add or remove them', async () => {
    for (const role of NON_ADMINS) {
      assertProblem(await c[role].req('POST', '/api/v1/config/bank-holidays', { date: '2031-03-03', name: 'x' }), 403, role);
      assertProblem(await c[role].req('DELETE', '/api/v1/config/bank-holidays/2027-12-27'), 403, role);
    }
    const days = (await c.admin.req('GET', '/api/v1/config/bank-holidays')).body.items;
    assert.ok(!days.some((d) => d.date === '2031-03-03') && days.some((d) => d.date === '2027-12-27'), 'nothing changed');
  });
});

describe('PUT /api/v1/config/practice-standards/{code}', () => {
  const put = (code, body, who = 'admin') => c[who].req('PUT', `/api/v1/config/practice-standards/${code}`, body);

  it('changes the limit and active flag, bumps the version, answers the configuration, audits', async () => {
    const cfg = await getConfig();
    const r = await put('flag_review', { version: cfg.version, limit_value: 6, limit_unit: 'days', active: false });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.version, cfg.version + 1);
    const s = r.body.practice_standards.find((x) => x.code === 'flag_review');
    assert.deepEqual([s.limit_value, s.limit_unit, s.active, s.name, s.repeats], [6, 'days', false, 'Flag review', true]);
    const a = (await adminAudit()).find((e) => e.action === 'config.update');
    assert.match(a.detail, /standard flag_review: 3 months -> 6 days, inactive/);
    const back = await put('flag_review', { version: r.body.version, limit_value: 3, limit_unit: 'months', active: true });
    assert.equal(back.status, 200, show(back));
  });

  it('unknown standard 404; bad members 422 naming each; stale 409', async () => {
    const cfg = await getConfig();
    assertProblem(await put('no_such_standard', { version: cfg.version, limit_value: 1, limit_unit: 'days', active: true }), 404, 'unknown');
    const bad = await put('supervision', { version: cfg.version, limit_value: 0, limit_unit: 'weeks', active: 'yes', name: 'x' });
    assert.deepEqual(fieldErrors(bad).sort(), ['active', 'limit_unit', 'limit_value', 'name']);
    const big = await put('supervision', { version: cfg.version, limit_value: 10001, limit_unit: 'hours', active: true });
    assert.deepEqual(fieldErrors(big), ['limit_value']);
    const missing = await put('supervision', {});
    assert.deepEqual(fieldErrors(missing).sort(), ['active', 'limit_unit', 'limit_value', 'version']);
    // More working days than the calendar computes (about ten years) could start no clock.
    const wd = await put('supervision', { version: cfg.version, limit_value: 3000, limit_unit: 'working_days', active: true });
    assert.deepEqual(fieldErrors(wd), ['limit_value']);
    assertProblem(await put('supervision', { version: cfg.version - 1, limit_value: 20, limit_unit: 'days', active: true }), 409, 'stale');
    assert.deepEqual(await getConfig(), cfg, 'nothing changed');
  });

  it('only admins change them', async () => {
    const cfg = await getConfig();
    for (const role of NON_ADMINS) {
      assertProblem(await put('referral_decision', { version: cfg.version, limit_value: 9, limit_unit: 'days', active: true }, role), 403, role);
    }
    assert.deepEqual(await getConfig(), cfg);
  });
});

describe('risk tools', () => {
  let shippedId;
  it('GET lists the shipped example tool; GET {id} gives its definition as an object', async () => {
    const r = await c.practitioner.req('GET', '/api/v1/risk-tools');
    assert.equal(r.status, 200, show(r));
    const t = r.body.items.find((x) => x.code === 'exploitation-screening' && x.version === 1);
    assert.ok(t, show(r));
    assert.equal(t.example, true);
    assert.equal(t.active, true);
    assert.equal(t.name, SHIPPED_TOOL.name);
    shippedId = t.id;
    const g = await c.analyst.req('GET', `/api/v1/risk-tools/${t.id}`);
    assert.equal(g.status, 200, show(g));
    assert.equal(g.body.id, t.id);
    assert.equal(g.body.active, true);
    const def = g.body.definition;
    assert.equal(def.code, 'exploitation-screening');
    assert.equal(def.version, 1);
    assert.equal(def.example, true);
    assert.deepEqual(def.thresholds, SHIPPED_TOOL.thresholds);
    assert.deepEqual(def.domains.map((d) => d.code), SHIPPED_TOOL.domains.map((d) => d.code));
    assert.deepEqual(def.floors, SHIPPED_TOOL.floors);
    assertProblem(await c.analyst.req('GET', '/api/v1/risk-tools/999999'), 404, 'no such tool');
    assertProblem(await c.analyst.req('GET', '/api/v1/risk-tools/abc'), 404, 'not an id');
  });

  it('a bad definition is 422 naming every bad field, e.g. domains[0].indicators[0].score', async () => {
    const def = clone(SHIPPED_TOOL);
    def.version = 7;
    const yesno = def.domains[0].indicators.findIndex((i) => i.type === 'yesno');
    def.domains[0].indicators[yesno].score = 500;
    def.domains[1].indicators[0].colour = 'red';
    delete def.thresholds;
    const r = await c.admin.req('POST', '/api/v1/risk-tools', def);
    const fields = fieldErrors(r);
    for (const f of [`domains[0].indicators[${yesno}].score`, 'domains[1].indicators[0].colour', 'thresholds']) {
      assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
    }
    const r2 = await c.admin.req('POST', '/api/v1/risk-tools', { code: 'x' });
    assert.ok(fieldErrors(r2).includes('domains'), show(r2));
    const list = (await c.admin.req('GET', '/api/v1/risk-tools')).body.items;
    assert.ok(!list.some((t) => t.version === 7), 'nothing stored');
  });

  it('a new version is stored (201) and retires the older; the same version again is 409; old ones never change', async () => {
    const def = clone(SHIPPED_TOOL);
    def.version = 2;
    def.name = '  Exploitation screening (our hub)  ';
    def.example = false;
    const r = await c.admin.req('POST', '/api/v1/risk-tools', def);
    assert.equal(r.status, 201, show(r));
    assert.equal(r.headers.get('location'), `/api/v1/risk-tools/${r.body.id}`);
    assert.equal(r.body.active, true);
    assert.equal(r.body.definition.name, 'Exploitation screening (our hub)', 'stored normalised');
    assert.equal(r.body.definition.example, false);
    assert.equal(r.body.created_by.username, 'admin');
    const list = (await c.manager.req('GET', '/api/v1/risk-tools')).body.items.filter((t) => t.code === 'exploitation-screening');
    assert.deepEqual(list.map((t) => [t.version, t.active, t.example]), [[1, false, true], [2, true, false]]);
    const old = await c.manager.req('GET', `/api/v1/risk-tools/${shippedId}`);
    assert.equal(old.body.active, false);
    assert.equal(old.body.definition.name, SHIPPED_TOOL.name, 'version 1 unchanged');

    def.name = 'A different tool under the same version';
    assertProblem(await c.admin.req('POST', '/api/v1/risk-tools', def), 409, 'same code and version');
    def.version = 1;
    assertProblem(await c.admin.req('POST', '/api/v1/risk-tools', def), 409, 'the shipped version');
    const a = (await adminAudit()).filter((e) => e.action === 'risk_tool.create');
    assert.equal(a.length, 1, 'only the stored one audited');
    assert.equal(a[0].object_type, 'risk_tool');
    assert.equal(a[0].object_id, String(r.body.id));
    assert.match(a[0].detail, /exploitation-screening v2; 1 older retired/);
  });

  it('a version below the latest of its code is refused (422 on version)', async () => {
    const def = clone(SHIPPED_TOOL);
    def.code = 'gapped-tool';
    def.version = 5;
    assert.equal((await c.admin.req('POST', '/api/v1/risk-tools', def)).status, 201);
    def.version = 3;
    const r = await c.admin.req('POST', '/api/v1/risk-tools', def);
    assert.deepEqual(fieldErrors(r), ['version']);
    assert.match(r.body.errors[0].message, /above 5/);
  });

  it('only admins load tools', async () => {
    const def = clone(SHIPPED_TOOL);
    def.version = 9;
    for (const role of NON_ADMINS) assertProblem(await c[role].req('POST', '/api/v1/risk-tools', def), 403, role);
    const list = (await c.admin.req('GET', '/api/v1/risk-tools')).body.items;
    assert.ok(!list.some((t) => t.version === 9), 'nothing stored');
  });
});

// Configuration reaching casework, through the referrals endpoint (built in parallel: skipped
// while it still answers 501).
describe('configuration used by referrals', () => {
  let personId;
  const referral = (over = {}) => ({
    person_id: personId, received_at: '2025-03-07T16:00:00Z', source_code: '6', source_agency: 'Police',
    strands: ['cse'], concerns: 'Seen getting into cars with older males.', ...over,
  });
  const referralsReady = async (t) => {
    const r = await c.practitioner.req('GET', '/api/v1/referrals');
    if (r.status === 501) { t.skip('the referrals endpoint is not built yet'); return false; }
    return true;
  };
  before(async () => {
    const p = await c.practitioner.req('POST', '/api/v1/persons', personBody({ given_name: 'Configtest' }));
    assert.equal(p.status, 201, show(p));
    personId = p.body.id;
  });

  it('a retired strand or referral source cannot be used on a new referral; an active one can', async (t) => {
    if (!(await referralsReady(t))) return;
    let cfg = await getConfig();
    const strands = asItems('strands', cfg.strands);
    strands.push({ code: 'retiring', label: 'A strand about to be retired', active: true });
    let r = await putList('strands', { version: cfg.version, items: strands });
    assert.equal(r.status, 200, show(r));
    const ok = await c.practitioner.req('POST', '/api/v1/referrals', referral({ strands: ['retiring'] }));
    assert.equal(ok.status, 201, `active new strand: ${show(ok)}`);

    strands.find((s) => s.code === 'retiring').active = false;
    cfg = await getConfig();
    r = await putList('strands', { version: cfg.version, items: strands });
    assert.equal(r.status, 200, show(r));
    const sources = asItems('referral_sources', cfg.referral_sources);
    sources.find((s) => s.code === '9').active = false;
    r = await putList('referral_sources', { version: r.body.version, items: sources });
    assert.equal(r.status, 200, show(r));

    const bad = await c.practitioner.req('POST', '/api/v1/referrals', referral({ strands: ['cse', 'retiring'], source_code: '9' }));
    const fields = fieldErrors(bad);
    assert.ok(fields.some((f) => f.startsWith('strands')), `retired strand named: ${JSON.stringify(fields)}`);
    assert.ok(fields.includes('source_code'), `retired source named: ${JSON.stringify(fields)}`);
    // The referral made before the strand was retired keeps it.
    const kept = await c.practitioner.req('GET', `/api/v1/referrals/${ok.body.id}`);
    assert.deepEqual(kept.body.strands, ['retiring']);
  });

  it('a bank holiday added through the API moves the decision due time of referrals received afterwards only', async (t) => {
    if (!(await referralsReady(t))) return;
    // Received 16:00 on Friday 7 March 2025 (GMT): 1 working day ends at the end of Monday 10 March.
    const first = await c.practitioner.req('POST', '/api/v1/referrals', referral());
    assert.equal(first.status, 201, show(first));
    assert.equal(first.body.decision_due_at, '2025-03-10T23:59:59Z');
    const h = await c.admin.req('POST', '/api/v1/config/bank-holidays', { date: '2025-03-10', name: 'A local holiday' });
    assert.equal(h.status, 201, show(h));
    const second = await c.practitioner.req('POST', '/api/v1/referrals', referral());
    assert.equal(second.status, 201, show(second));
    assert.equal(second.body.decision_due_at, '2025-03-11T23:59:59Z', 'the holiday does not count');
    const again = await c.practitioner.req('GET', `/api/v1/referrals/${first.body.id}`);
    assert.equal(again.body.decision_due_at, '2025-03-10T23:59:59Z', 'the running clock keeps its due time');
    assert.equal((await c.admin.req('DELETE', '/api/v1/config/bank-holidays/2025-03-10')).status, 204);
    const third = await c.practitioner.req('POST', '/api/v1/referrals', referral());
    assert.equal(third.body.decision_due_at, '2025-03-10T23:59:59Z', 'removed again');
  });

  it('a practice standard change applies to clocks started afterwards only', async (t) => {
    if (!(await referralsReady(t))) return;
    const first = await c.practitioner.req('POST', '/api/v1/referrals', referral());
    assert.equal(first.status, 201, show(first));
    const cfg = await getConfig();
    const s = await c.admin.req('PUT', '/api/v1/config/practice-standards/referral_decision',
      { version: cfg.version, limit_value: 3, limit_unit: 'working_days', active: true });
    assert.equal(s.status, 200, show(s));
    const second = await c.practitioner.req('POST', '/api/v1/referrals', referral());
    assert.equal(second.body.decision_due_at, '2025-03-12T23:59:59Z', '3 working days: Mon, Tue, Wed');
    const again = await c.practitioner.req('GET', `/api/v1/referrals/${first.body.id}`);
    assert.equal(again.body.decision_due_at, '2025-03-10T23:59:59Z', 'the earlier clock is unchanged');
    const back = await c.admin.req('PUT', '/api/v1/config/practice-standards/referral_decision',
      { version: s.body.version, limit_value: 1, limit_unit: 'working_days', active: true });
    assert.equal(back.status, 200, show(back));
  });
});
