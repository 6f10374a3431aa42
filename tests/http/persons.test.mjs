// Persons: create, read, update, validation, search, restricted records and who may read
// (docs/api.md "Persons").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, ROLES } from '../lib/server.mjs';
import {
  ageToday, assertProblem, fieldErrors, isoDate, nextNhs, personBody, show, upn,
} from '../lib/helpers.mjs';

let server;
const c = {}; // role (and practitioner2) -> signed-in client
before(async () => {
  server = await startServer();
  for (const u of [...ROLES, 'practitioner2']) c[u] = await signedIn(server.url, u);
});
after(async () => { if (server) await server.stop(); });

const create = async (who, body) => {
  const r = await c[who].req('POST', '/api/v1/persons', body);
  assert.equal(r.status, 201, `create as ${who}: ${show(r)}`);
  return r.body;
};
const search = async (who, query) => {
  const r = await c[who].req('GET', `/api/v1/persons?${new URLSearchParams(query)}`);
  assert.equal(r.status, 200, `search ${JSON.stringify(query)} as ${who}: ${show(r)}`);
  return r.body;
};
// A UPN of the right shape with the wrong check letter.
const badUpn = (twelve) => (upn(twelve)[0] === 'A' ? 'B' : 'A') + twelve;
const ids = (res) => res.items.map((p) => p.id);

describe('create, read, update', () => {
  let created;
  const nhs = nextNhs();
  const upnValue = upn('80120000100' + '1');
  const body = personBody({
    given_name: '  Kayleigh  ',
    family_name: 'Smythe-Harbottle',
    aliases: ['Kayley Smith', 'Kay'],
    dob: '2009-07-03',
    sex: 'female',
    gender: 'woman',
    ethnicity: 'WBRI',
    identifiers: { nhs_number: `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`, upn: upnValue.toLowerCase(), police_ref: 'GMP/24/000123', la_id: '' },
    addresses: [{ line1: '12 Example Street', line2: '', town: 'Stockport', postcode: 'sk11aa', current: true }],
    phones: ['07700 900123'],
    notes: 'First contact via school.',
  });

  it('POST answers 201, a Location and the Person with derived and normalised fields', async () => {
    const r = await c.practitioner.req('POST', '/api/v1/persons', body);
    assert.equal(r.status, 201, show(r));
    created = r.body;
    assert.ok(Number.isInteger(created.id) && created.id > 0, 'id');
    assert.equal(new URL(r.headers.get('location'), server.url).pathname, `/api/v1/persons/${created.id}`);
    assert.ok(Number.isInteger(created.version), 'version');
    assert.equal(created.given_name, 'Kayleigh', 'trimmed');
    assert.equal(created.family_name, 'Smythe-Harbottle');
    assert.deepEqual(created.aliases, ['Kayley Smith', 'Kay']);
    assert.equal(created.dob, '2009-07-03');
    assert.equal(created.dob_estimated, false);
    assert.equal(created.age, ageToday('2009-07-03'));
    assert.equal(created.is_child, ageToday('2009-07-03') < 18);
    assert.equal(created.sex, 'female');
    assert.equal(created.gender, 'woman');
    assert.equal(created.ethnicity, 'WBRI');
    assert.equal(created.identifiers.nhs_number, nhs, 'NHS number stored without spaces');
    assert.equal(created.identifiers.upn, upnValue, 'UPN upper-cased');
    assert.equal(created.identifiers.police_ref, 'GMP/24/000123');
    assert.ok(!created.identifiers.la_id, 'empty identifier is absent');
    assert.equal(created.addresses.length, 1);
    assert.equal(created.addresses[0].postcode, 'SK1 1AA', 'postcode normalised');
    assert.equal(created.addresses[0].line1, '12 Example Street');
    assert.equal(created.addresses[0].current, true);
    assert.deepEqual(created.phones, ['07700 900123']);
    assert.equal(created.restricted, false);
    assert.deepEqual(created.restricted_to, []);
    assert.equal(created.created_by, 'practitioner');
    assert.equal(created.updated_by, 'practitioner');
    for (const k of ['created_at', 'updated_at']) assert.ok(!Number.isNaN(Date.parse(created[k])), `${k}: ${created[k]}`);
  });

  it('GET answers the same Person', async () => {
    const r = await c.manager.req('GET', `/api/v1/persons/${created.id}`);
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.body, created);
  });

  it('PUT with the version read answers 200 with version + 1 and the change', async () => {
    const r = await c.manager.req('PUT', `/api/v1/persons/${created.id}`,
      { ...created, family_name: 'Smyth', aliases: ['Kay'], addresses: [...created.addresses, { line1: '3 New Road', postcode: 'M1 1AE', current: false }] });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.version, created.version + 1);
    assert.equal(r.body.family_name, 'Smyth');
    assert.deepEqual(r.body.aliases, ['Kay']);
    assert.equal(r.body.addresses.length, 2);
    assert.equal(r.body.updated_by, 'manager');
    assert.equal(r.body.created_by, 'practitioner');
    assert.equal(r.body.created_at, created.created_at);
    const g = await c.practitioner.req('GET', `/api/v1/persons/${created.id}`);
    assert.deepEqual(g.body, r.body);
    // The old name no longer finds them, the new one does.
    assert.ok(!ids(await search('practitioner', { q: 'smythe harbottle' })).includes(created.id));
    assert.ok(ids(await search('practitioner', { q: 'kayleigh smyth' })).includes(created.id));
  });

  it('PUT or GET on a person that does not exist is 404', async () => {
    assertProblem(await c.manager.req('GET', '/api/v1/persons/987654321'), 404, 'GET');
    assertProblem(await c.manager.req('PUT', '/api/v1/persons/987654321', { ...personBody(), version: 1 }), 404, 'PUT');
  });

  it('age and is_child are null without a dob; an adult is not a child', async () => {
    const none = await create('practitioner', personBody({ dob: undefined, given_name: 'Nodob' }));
    assert.equal(none.age, null);
    assert.equal(none.is_child, null);
    const adult = await create('practitioner', personBody({ dob: '1980-01-01', given_name: 'Grownup' }));
    assert.equal(adult.age, ageToday('1980-01-01'));
    assert.equal(adult.is_child, false);
    const eighteen = isoDate(-365.25 * 18 - 3);
    const justAdult = await create('practitioner', personBody({ dob: eighteen }));
    assert.equal(justAdult.age, 18);
    assert.equal(justAdult.is_child, false);
  });
});

describe('validation', () => {
  const bad = async (body, what) => fieldErrors(await c.practitioner.req('POST', '/api/v1/persons', body), what);

  const cases = [
    ['a bad NHS check digit', { identifiers: { nhs_number: '9434765918' } }, 'identifiers.nhs_number'],
    ['a bad postcode', { addresses: [{ line1: '1 Road', postcode: 'XYZ 123', current: true }] }, 'addresses[0].postcode'],
    ['a dob in the future', { dob: isoDate(2) }, 'dob'],
    ['a dob before 1900', { dob: '1899-12-31' }, 'dob'],
    ['a dob that is not a real date', { dob: '2011-02-29' }, 'dob'],
    ['a missing family_name', { family_name: undefined }, 'family_name'],
    ['a blank given_name', { given_name: '   ' }, 'given_name'],
    ['a 101-character given_name', { given_name: 'A'.repeat(101) }, 'given_name'],
    ['a control character in a name', { family_name: 'Bad\u0007Name' }, 'family_name'],
    ['an unknown member', { favourite_colour: 'blue' }, 'favourite_colour'],
    ['a missing sex', { sex: undefined }, 'sex'],
    ['an unknown sex', { sex: 'other' }, 'sex'],
    ['an unknown ethnicity', { ethnicity: 'NOPE' }, 'ethnicity'],
    ['a bad UPN check letter', { identifiers: { upn: badUpn('801200001001') } }, 'identifiers.upn'],
    ['a missing address line1', { addresses: [{ line1: '', postcode: 'SK1 1AA' }] }, 'addresses[0].line1'],
    ['a bad phone', { phones: ['07700 900123', 'call me'] }, 'phones[1]'],
    ['21 aliases', { aliases: Array.from({ length: 21 }, (_, i) => `Alias ${i}`) }, 'aliases'],
    ['notes over 10,000 characters', { notes: 'n'.repeat(10001) }, 'notes'],
    ['a 51-character police_ref', { identifiers: { police_ref: 'P'.repeat(51) } }, 'identifiers.police_ref'],
    ['an unknown identifier type', { identifiers: { passport: '123456789' } }, 'identifiers.passport'],
    ['an unknown address member', { addresses: [{ line1: '1 Road', postcode: 'SK1 1AA', colour: 'red' }] }, 'addresses[0].colour'],
    ['a 101-character line2', { addresses: [{ line1: '1 Road', line2: 'L'.repeat(101) }] }, 'addresses[0].line2'],
    ['11 addresses', { addresses: Array.from({ length: 11 }, (_, i) => ({ line1: `${i} Road` })) }, 'addresses'],
    ['a 5-character phone', { phones: ['12345'] }, 'phones[0]'],
    ['an empty alias', { aliases: ['Kay', ''] }, 'aliases[1]'],
    ['a 101-character gender', { gender: 'g'.repeat(101) }, 'gender'],
    ['a dob_estimated that is not a boolean', { dob_estimated: 'yes' }, 'dob_estimated'],
    ['a restricted that is not a boolean', { restricted: 1 }, 'restricted'],
    ['a dob in another format', { dob: '03/07/2009' }, 'dob'],
    ['a given_name that is not a string', { given_name: 42 }, 'given_name'],
    ['a restricted_to user who does not exist', { restricted: true, restricted_to: ['no_such_user'] }, 'restricted_to'],
  ];
  for (const [what, override, field] of cases) {
    it(`${what} is 422 naming ${field}`, async () => {
      const fields = await bad(personBody(override), what);
      assert.ok(fields.some((f) => f === field || (field === 'restricted_to' && f.startsWith('restricted_to'))),
        `${field} in ${JSON.stringify(fields)}`);
    });
  }

  it('one request with several bad fields names every one of them', async () => {
    const fields = await bad(personBody({
      family_name: undefined,
      dob: isoDate(30),
      identifiers: { nhs_number: '9434765918' },
      addresses: [{ line1: '1 Good Road', postcode: 'SK1 1AA' }, { line1: '2 Bad Road', postcode: 'NOTAPOSTCODE' }],
      favourite_colour: 'blue',
    }), 'several');
    for (const f of ['family_name', 'dob', 'identifiers.nhs_number', 'addresses[1].postcode', 'favourite_colour']) {
      assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
    }
    assert.ok(!fields.includes('addresses[0].postcode'), 'the good address is not named');
    assert.ok(!fields.includes('given_name'), 'the good name is not named');
  });

  it('the boundaries are accepted: 1900-01-01, today, 100 characters, 10,000 characters of notes', async () => {
    for (const p of [
      { dob: '1900-01-01' }, { dob: isoDate(0) }, { given_name: 'B'.repeat(100) }, { notes: 'n'.repeat(10000) },
      { identifiers: { nhs_number: '9434765919' } },
      { aliases: Array.from({ length: 20 }, (_, i) => `Alias ${i}`) },
    ]) {
      const r = await c.practitioner.req('POST', '/api/v1/persons', personBody(p));
      assert.equal(r.status, 201, `${JSON.stringify(p).slice(0, 80)}: ${show(r)}`);
    }
  });

  it('an update is validated the same way and changes nothing when it fails', async () => {
    const p = await create('practitioner', personBody({ given_name: 'Validupdate' }));
    const fields = fieldErrors(await c.practitioner.req('PUT', `/api/v1/persons/${p.id}`,
      { ...p, identifiers: { nhs_number: '9434765918' }, family_name: '' }), 'PUT');
    assert.ok(fields.includes('identifiers.nhs_number') && fields.includes('family_name'), JSON.stringify(fields));
    assert.deepEqual((await c.practitioner.req('GET', `/api/v1/persons/${p.id}`)).body, p);
  });
});

describe('search', () => {
  let zoe, alias, ident;
  const nhs = nextNhs();
  before(async () => {
    zoe = await create('practitioner', personBody({ given_name: 'Zoë', family_name: 'Ó Briain', dob: '2011-02-03' }));
    alias = await create('practitioner', personBody({
      given_name: 'Bartholomew', family_name: 'Quillfeather', aliases: ['Barty Xanthopoulos'], dob: '2008-12-25',
    }));
    ident = await create('police_intel', personBody({
      given_name: 'Idris', family_name: 'Vantongeren',
      identifiers: { nhs_number: nhs, police_ref: 'GMP/25/777001', la_id: 'LA-55501' },
    }));
  });

  it('q ignores case and accents', async () => {
    for (const q of ['zoe o briain', 'ZOE', 'Zoë Ó Briain', 'zoë', 'o briain']) {
      assert.ok(ids(await search('practitioner', { q })).includes(zoe.id), `q=${q}`);
    }
  });

  it('each word of q is a prefix of a name', async () => {
    assert.ok(ids(await search('practitioner', { q: 'zo bri' })).includes(zoe.id), 'zo bri');
    assert.ok(ids(await search('practitioner', { q: 'barth quill' })).includes(alias.id), 'barth quill');
    assert.ok(!ids(await search('practitioner', { q: 'riain' })).includes(zoe.id), 'not a prefix: riain');
    assert.ok(!ids(await search('practitioner', { q: 'zoe quillfeather' })).includes(zoe.id), 'every word must match');
  });

  it('q finds aliases', async () => {
    const r = await search('practitioner', { q: 'xanthop' });
    assert.deepEqual(ids(r), [alias.id]);
    assert.deepEqual(ids(await search('practitioner', { q: 'barty xanth' })), [alias.id]);
  });

  it('answers items of PersonSummary with total, limit and offset', async () => {
    const r = await search('practitioner', { q: 'zoe o briain' });
    assert.equal(r.limit, 20);
    assert.equal(r.offset, 0);
    assert.ok(Number.isInteger(r.total) && r.total >= 1);
    const s = r.items.find((p) => p.id === zoe.id);
    for (const k of ['id', 'given_name', 'family_name', 'aliases', 'dob', 'age', 'is_child', 'sex', 'postcode']) {
      assert.ok(k in s, `PersonSummary.${k}`);
    }
    assert.equal(s.given_name, 'Zoë');
    assert.equal(s.family_name, 'Ó Briain');
    assert.equal(s.postcode, 'SK1 1AA');
    assert.equal(s.dob, '2011-02-03');
  });

  it('limit and offset page through the results', async () => {
    const all = await search('manager', { q: 'a', limit: '100' });
    assert.ok(all.total > 3, `demo data matches q=a: ${all.total}`);
    const p1 = await search('manager', { q: 'a', limit: '2', offset: '0' });
    const p2 = await search('manager', { q: 'a', limit: '2', offset: '2' });
    assert.equal(p1.items.length, 2);
    assert.equal(p1.limit, 2);
    assert.equal(p2.offset, 2);
    assert.equal(p1.total, all.total);
    assert.deepEqual([...ids(p1), ...ids(p2)], ids(all).slice(0, 4));
  });

  it('dob finds exact dates of birth', async () => {
    const r = await search('practitioner', { dob: '2011-02-03' });
    assert.ok(ids(r).includes(zoe.id));
    for (const p of r.items) assert.equal(p.dob, '2011-02-03');
    assert.ok(!ids(await search('practitioner', { dob: '2011-02-04' })).includes(zoe.id));
  });

  it('identifier finds an exact identifier of any kind (NHS number spaces ignored)', async () => {
    for (const identifier of [nhs, `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`, 'GMP/25/777001', 'LA-55501']) {
      assert.deepEqual(ids(await search('practitioner', { identifier })), [ident.id], identifier);
    }
    assert.deepEqual(ids(await search('practitioner', { identifier: 'GMP/25/777' })), [], 'exact, not prefix');
  });

  it('q and dob together narrow the search', async () => {
    assert.deepEqual(ids(await search('practitioner', { q: 'zoe', dob: '2011-02-03' })), [zoe.id]);
    assert.deepEqual(ids(await search('practitioner', { q: 'zoe', dob: '2008-12-25' })), []);
  });

  it('POST /api/v1/persons/search answers the same as GET with the terms in the body', async () => {
    for (const query of [{ q: 'zoe o briain' }, { q: 'xanthop' }, { dob: '2011-02-03' }, { identifier: nhs }, { q: 'zoe', dob: '2011-02-03' }]) {
      const g = await search('practitioner', query);
      const p = await c.practitioner.req('POST', '/api/v1/persons/search', query);
      assert.equal(p.status, 200, `${JSON.stringify(query)}: ${show(p)}`);
      assert.deepEqual(p.body, g, JSON.stringify(query));
    }
    const paged = await c.manager.req('POST', '/api/v1/persons/search', { q: 'a', limit: 2, offset: 2 });
    assert.equal(paged.status, 200, show(paged));
    assert.equal(paged.body.limit, 2);
    assert.equal(paged.body.offset, 2);
    assert.deepEqual(ids(paged.body), ids(await search('manager', { q: 'a', limit: '2', offset: '2' })));
  });

  it('POST search: bad terms are 422 naming the field; it needs the CSRF token', async () => {
    const post = (body, opts) => c.practitioner.req('POST', '/api/v1/persons/search', body, opts);
    assert.ok(fieldErrors(await post({ dob: '2011-13-40' }), 'bad dob').includes('dob'));
    assert.ok(fieldErrors(await post({ q: 'zoe', limit: 101 }), 'limit 101').includes('limit'));
    assert.ok(fieldErrors(await post({ q: 'zoe', limit: 0 }), 'limit 0').includes('limit'));
    assert.ok(fieldErrors(await post({ q: 'zoe', offset: -1 }), 'offset -1').includes('offset'));
    assert.ok(fieldErrors(await post({ q: 42 }), 'q a number').includes('q'));
    assert.ok(fieldErrors(await post({}), 'no terms').length > 0);
    assert.ok(fieldErrors(await post({ q: '%' }), 'q with no letters').includes('q'));
    assertProblem(await post({ q: 'zoe' }, { csrf: false }), 403, 'no CSRF');
    assertProblem(await c.board.req('POST', '/api/v1/persons/search', { q: 'zoe' }), 403, 'board');
  });

  it('needs at least one of q, dob, identifier (400), and a sane limit and dob', async () => {
    assertProblem(await c.practitioner.req('GET', '/api/v1/persons'), 400, 'no parameter');
    assertProblem(await c.practitioner.req('GET', '/api/v1/persons?q='), 400, 'empty q');
    assertProblem(await c.practitioner.req('GET', '/api/v1/persons?limit=10'), 400, 'only limit');
    assertProblem(await c.practitioner.req('GET', '/api/v1/persons?q=zoe&limit=101'), 400, 'limit 101');
    assertProblem(await c.practitioner.req('GET', '/api/v1/persons?q=zoe&limit=0'), 400, 'limit 0');
    assertProblem(await c.practitioner.req('GET', '/api/v1/persons?dob=2011-13-40'), 400, 'bad dob');
    assert.equal((await c.practitioner.req('GET', '/api/v1/persons?q=zoe&limit=100')).status, 200, 'limit 100');
  });
});

describe('restricted records', () => {
  let secret, shared;
  before(async () => {
    secret = await create('practitioner', personBody({ given_name: 'Hushabye', family_name: 'Restrictova', restricted: true }));
    shared = await create('practitioner', personBody({
      given_name: 'Sharington', family_name: 'Restrictova', restricted: true, restricted_to: ['police_intel'],
    }));
  });

  it('names the creator in restricted_to', () => {
    assert.equal(secret.restricted, true);
    assert.deepEqual(secret.restricted_to, ['practitioner']);
    assert.deepEqual([...shared.restricted_to].sort(), ['police_intel', 'practitioner']);
  });

  it('the creator and named users can read it; others get 403', async () => {
    assert.equal((await c.practitioner.req('GET', `/api/v1/persons/${secret.id}`)).status, 200);
    assert.equal((await c.practitioner.req('GET', `/api/v1/persons/${shared.id}`)).status, 200);
    assert.equal((await c.police_intel.req('GET', `/api/v1/persons/${shared.id}`)).status, 200, 'named user');
    for (const who of ['practitioner2', 'manager', 'analyst', 'police_intel']) {
      const r = await c[who].req('GET', `/api/v1/persons/${secret.id}`);
      assertProblem(r, 403, `${who} GET restricted`);
      assert.ok(!r.text.includes('Hushabye'), 'the 403 does not leak the record');
    }
    assertProblem(await c.practitioner2.req('GET', `/api/v1/persons/${shared.id}`), 403, 'practitioner2 GET shared');
    assertProblem(await c.manager.req('GET', `/api/v1/persons/${secret.id}/views`), 403, 'manager GET views');
  });

  it('never appears in others\' POST searches either', async () => {
    for (const who of ['practitioner2', 'manager', 'analyst']) {
      const r = await c[who].req('POST', '/api/v1/persons/search', { q: 'restrictova' });
      assert.equal(r.status, 200, show(r));
      assert.deepEqual(ids(r.body), [], who);
      assert.equal(r.body.total, 0, who);
    }
    const mine = await c.practitioner.req('POST', '/api/v1/persons/search', { q: 'hushabye restrictova' });
    assert.deepEqual(ids(mine.body), [secret.id]);
  });

  it('never appears in others\' searches, by name, dob or identifier', async () => {
    assert.deepEqual(ids(await search('practitioner', { q: 'restrictova' })).sort(), [secret.id, shared.id].sort());
    assert.deepEqual(ids(await search('police_intel', { q: 'restrictova' })), [shared.id]);
    for (const who of ['practitioner2', 'manager', 'analyst']) {
      const r = await search(who, { q: 'restrictova' });
      assert.deepEqual(ids(r), [], `${who} search`);
      assert.equal(r.total, 0, `${who} total counts no restricted record`);
      assert.ok(!ids(await search(who, { dob: secret.dob })).includes(secret.id), `${who} dob search`);
    }
  });

  it('others cannot change it (403) and it stays unchanged', async () => {
    for (const who of ['practitioner2', 'manager']) {
      assertProblem(await c[who].req('PUT', `/api/v1/persons/${secret.id}`, { ...secret, restricted: false }), 403, `${who} PUT`);
    }
    const r = await c.practitioner.req('GET', `/api/v1/persons/${secret.id}`);
    assert.deepEqual(r.body, secret);
  });

  it('a named user can update it and the creator stays named', async () => {
    const r = await c.police_intel.req('PUT', `/api/v1/persons/${shared.id}`, { ...shared, notes: 'seen' });
    assert.equal(r.status, 200, show(r));
    assert.ok(r.body.restricted_to.includes('practitioner'));
  });
});

describe('who may read and write persons', () => {
  let p;
  before(async () => { p = await create('practitioner', personBody({ given_name: 'Rolecheck' })); });

  it('analyst can read and search but not create or update', async () => {
    assert.equal((await c.analyst.req('GET', `/api/v1/persons/${p.id}`)).status, 200);
    assert.ok(ids(await search('analyst', { q: 'rolecheck' })).includes(p.id));
    assertProblem(await c.analyst.req('POST', '/api/v1/persons', personBody()), 403, 'analyst POST');
    assertProblem(await c.analyst.req('PUT', `/api/v1/persons/${p.id}`, { ...p, notes: 'x' }), 403, 'analyst PUT');
  });

  it('police_intel and manager can create', async () => {
    await create('police_intel', personBody({ given_name: 'Byintel' }));
    await create('manager', personBody({ given_name: 'Bymanager' }));
  });

  for (const who of ['board', 'admin']) {
    it(`${who} cannot read, search or create persons (403)`, async () => {
      assertProblem(await c[who].req('GET', `/api/v1/persons/${p.id}`), 403, `${who} GET`);
      assertProblem(await c[who].req('GET', '/api/v1/persons?q=rolecheck'), 403, `${who} search`);
      assertProblem(await c[who].req('POST', '/api/v1/persons', personBody()), 403, `${who} POST`);
      assertProblem(await c[who].req('GET', `/api/v1/persons/${p.id}/views`), 403, `${who} views`);
    });
  }

  it('the record is unchanged by the refused calls', async () => {
    assert.deepEqual((await c.practitioner.req('GET', `/api/v1/persons/${p.id}`)).body, p);
  });
});

describe('reference data', () => {
  it('lists sexes, ethnicities, roles and identifier types for any signed-in user', async () => {
    for (const who of ROLES) {
      const r = await c[who].req('GET', '/api/v1/reference');
      assert.equal(r.status, 200, `${who}: ${show(r)}`);
      assert.deepEqual(r.body.sexes.map((s) => s.code), ['female', 'male', 'unknown']);
      assert.ok(r.body.ethnicities.some((e) => e.code === 'WBRI' && e.label === 'White British'));
      assert.deepEqual(r.body.roles.map((x) => x.code).sort(), [...ROLES].sort());
      assert.deepEqual(r.body.identifier_types.map((x) => x.code), ['nhs_number', 'upn', 'police_ref', 'la_id']);
    }
  });
});
