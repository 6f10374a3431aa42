// Importing police extracts of missing episodes (docs/api-missing.md "Import",
// docs/import-missing.md), through the command line and POST /api/v1/imports/missing against one
// real server and its database: all or nothing (a bad date in row 7 is reported by row and column
// and nothing is written), re-importing adds nothing, a changed end time or grade updates, bad CSV
// and encodings name the line, the episodes then appear in GET /api/v1/missing-episodes with their
// gradings, persons are linked by their sure identifiers, and the run is recorded and audited.
// Every person in the fixtures (tests/fixtures/missing-*.csv) is fictional.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, signedIn, cli } from '../lib/server.mjs';
import { assertProblem, show } from '../lib/helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name) => path.resolve(HERE, '../fixtures', name);
const GOOD = readFileSync(fixture('missing-good.csv'), 'utf8');
const REFS = [...GOOD.matchAll(/^[^,\n]+,((?:MFH\/2026\/01\d\d)|EM-26-5531),/gm)].map((m) => m[1]);

let server;
let police;
let tmp;
before(async () => {
  server = await startServer();
  police = await signedIn(server.url, 'police_intel');
  tmp = mkdtempSync(path.join(tmpdir(), 'safehub-import-'));
});
after(async () => {
  if (server) await server.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Rows of a query on the server's database (read-only checks of what was written).
function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', server.db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// What an import could write: episodes, gradings, persons, imports, reviews, clocks, notifications,
// flags, and the audit entries of imports, persons and episodes.
function counts() {
  return rows(`SELECT (SELECT count(*) FROM missing_episodes) AS episodes, (SELECT count(*) FROM missing_gradings) AS gradings,
    (SELECT count(*) FROM persons) AS persons, (SELECT count(*) FROM imports) AS imports,
    (SELECT count(*) FROM match_reviews) AS reviews, (SELECT count(*) FROM clocks) AS clocks,
    (SELECT count(*) FROM missing_notifications) AS notifications, (SELECT count(*) FROM person_flags) AS flags,
    (SELECT count(*) FROM audit WHERE action IN ('import.missing', 'person.create') OR action LIKE 'missing.%') AS audited`)[0];
}

// Import through the command line as police_intel (or `user`).
function importCli(file, user = 'police_intel') {
  return cli(['import', 'missing', '--db', server.db, '--user', user, file]);
}

// Import through the API (the body as text/csv, or a Buffer as it is).
function importApi(body, { client = police, filename, type = 'text/csv' } = {}) {
  const q = filename ? `?filename=${encodeURIComponent(filename)}` : '';
  return client.req('POST', `/api/v1/imports/missing${q}`, body, { raw: true, headers: { 'content-type': type } });
}

// The counts the CLI prints: "import 3: 12 rows: added 12, updated 0, unchanged 0; persons created 9, linked 3; review 0".
function cliCounts(stdout) {
  const m = /^import (\d+): (\d+) rows: added (\d+), updated (\d+), unchanged (\d+); persons created (\d+), linked (\d+); review (\d+)$/m.exec(stdout);
  assert.ok(m, `CLI summary line: ${stdout}`);
  const [importId, rowsN, added, updated, unchanged, created, linked, review] = m.slice(1).map(Number);
  return { import_id: importId, rows: rowsN, added, updated, unchanged, persons_created: created, persons_linked: linked, review };
}

// Write text to a temporary CSV file and return its path.
let files = 0;
function tmpFile(text) {
  const p = path.join(tmp, `extract-${++files}.csv`);
  writeFileSync(p, text);
  return p;
}

// The good fixture with row `row` (1 = header) changed by fn(fields) -> fields (no quoted commas in
// the rows this is used on).
function withRow(text, ref, fn) {
  return text.split('\n').map((line) => {
    const f = line.split(',');
    return f[1] === ref ? fn(f).join(',') : line;
  }).join('\n');
}
const COL = Object.fromEntries(GOOD.split('\n')[0].split(',').map((c, i) => [c, i]));

// The episodes of the fixture by police reference.
function episodesByRef() {
  const list = rows(`SELECT id, person_id, police_ref, started_at, ended_at, grade_latest, import_id FROM missing_episodes
    WHERE police_force IN ('Northby Police', 'Eastmoor Police') AND (police_ref LIKE 'MFH/2026/01__' OR police_ref = 'EM-26-5531')`);
  return Object.fromEntries(list.map((e) => [e.police_ref, e]));
}

describe('all or nothing', () => {
  it('a bad date in row 7: the CLI names row 7 and started_at on stderr, exits 1 and writes nothing', () => {
    const before = counts();
    const r = importCli(fixture('missing-bad-date.csv'));
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^row 7, column started_at: must be a date and time/m, r.stderr);
    assert.match(r.stderr, /1 error in 1 row; nothing was imported/);
    assert.equal(r.stderr.trim().split('\n').length, 2, `only the one error and the summary:\n${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.deepEqual(counts(), before, 'nothing was written');
  });

  it('the API answers 422 naming row 7 and started_at, and writes nothing', async () => {
    const before = counts();
    const r = await importApi(readFileSync(fixture('missing-bad-date.csv')));
    assertProblem(r, 422, 'bad date');
    assert.deepEqual(r.body.errors, [{
      row: 7, line: 7, column: 'started_at', field: 'rows[7].started_at', message: r.body.errors[0].message,
    }], show(r));
    assert.match(r.body.errors[0].message, /date and time/);
    assert.equal(r.body.errors_total, 1);
    assert.match(r.body.detail, /Nothing was imported/);
    assert.deepEqual(counts(), before, 'nothing was written');
  });

  it('every bad row is listed with its column, and a repeated police reference is an error', async () => {
    let text = withRow(GOOD, 'MFH/2026/0104', (f) => { f[COL.nhs_number] = '4017770011'; return f; });
    text = withRow(text, 'MFH/2026/0107', (f) => { f[COL.category] = 'X'; f[COL.reported_at] = '2026-10-10 22:00'; return f; });
    text = withRow(text, 'MFH/2026/0108', (f) => { f[COL.sex] = 'Q'; f[COL.dob] = '31/02/2012'; return f; });
    text += 'Northby Police,MFH/2026/0110,Aisha,Brindley-Webb,2010-01-28,F,,SK7 4LU,,,home,M,2026-11-05 07:30,2026-11-05 09:00,,,,,,,,,,,,,\n';
    const before = counts();
    const r = await importApi(text);
    assertProblem(r, 422, 'several bad rows');
    const got = r.body.errors.map((e) => `${e.row}:${e.column}`).sort();
    assert.deepEqual(got, ['14:police_ref', '5:nhs_number', '8:category', '8:reported_at', '9:dob', '9:sex'], show(r));
    assert.match(r.body.errors.find((e) => e.row === 14).message, /row 12/, 'names the first row with the key');
    assert.match(r.body.detail, /^6 errors in 4 rows/);
    assert.deepEqual(counts(), before, 'nothing was written');
  });

  it('a row after a value that runs over two lines is named by its row, with its line', async () => {
    const text = withRow(GOOD, 'MFH/2026/0111', (f) => { f[COL.ended_at] = 'soon'; return f; });
    const r = await importApi(text);
    assertProblem(r, 422);
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.line, e.column]), [[13, 14, 'ended_at']]);
    const c = importCli(tmpFile(text));
    assert.equal(c.status, 1);
    assert.match(c.stderr, /^row 13 \(line 14\), column ended_at: /m);
  });

  it('the header: an unknown column and a missing required one are errors on row 1', async () => {
    const lines = GOOD.split('\n');
    const header = lines[0].split(',');
    const at = header.indexOf('category');
    const text = [header.map((h) => (h === 'category' ? 'colour' : h)).join(','), ...lines.slice(1)].join('\n');
    assert.ok(at > 0);
    const r = await importApi(text);
    assertProblem(r, 422, 'header');
    const got = r.body.errors.map((e) => `${e.row}:${e.column}`).sort();
    assert.deepEqual(got, ['1:category', '1:colour'], show(r));
  });
});

describe('a good file, then the same file again', () => {
  let first;
  it('imports every row through the command line', () => {
    const before = counts();
    const r = importCli(fixture('missing-good.csv'));
    assert.equal(r.status, 0, r.stderr);
    first = cliCounts(r.stdout);
    assert.equal(first.rows, 12);
    assert.equal(first.added + first.review, 12, r.stdout);
    assert.equal(first.updated, 0);
    assert.equal(first.unchanged, 0);
    assert.equal(first.persons_created + first.persons_linked, first.added);
    const after = counts();
    assert.equal(after.episodes - before.episodes, first.added);
    assert.equal(after.imports - before.imports, 1);
  });

  it('importing the same file again adds nothing (CLI and API)', async () => {
    const before = counts();
    const r = importCli(fixture('missing-good.csv'));
    assert.equal(r.status, 0, r.stderr);
    const again = cliCounts(r.stdout);
    assert.deepEqual({ ...again, import_id: 0 }, {
      import_id: 0, rows: 12, added: 0, updated: 0, unchanged: first.added, persons_created: 0, persons_linked: 0, review: first.review,
    });
    const a = await importApi(GOOD, { filename: 'missing-good.csv' });
    assert.equal(a.status, 200, show(a));
    assert.deepEqual({ ...a.body, import_id: 0 }, {
      import_id: 0, rows: 12, added: 0, updated: 0, unchanged: first.added, persons_created: 0, persons_linked: 0, review: first.review,
    });
    const after = counts();
    assert.deepEqual({ ...after, imports: 0, audited: 0 }, { ...before, imports: 0, audited: 0 }, 'no new episodes, persons or gradings');
    assert.equal(after.imports - before.imports, 2, 'each run is recorded');
    assert.equal(after.audited - before.audited, 2, 'each run is one import.missing entry');
  });

  it('each row\'s person: the same child by local-authority id, by NHS number; new persons audited', () => {
    const e = episodesByRef();
    assert.deepEqual(Object.keys(e).sort(), [...REFS].sort());
    const tamsin = ['MFH/2026/0101', 'MFH/2026/0103', 'MFH/2026/0106'].map((ref) => e[ref].person_id);
    assert.equal(new Set(tamsin).size, 1, 'one child by la_id');
    assert.equal(e['MFH/2026/0102'].person_id, e['MFH/2026/0111'].person_id, 'one child by NHS number');
    const persons = new Set(Object.values(e).map((x) => x.person_id));
    assert.equal(persons.size, 9);
    const created = rows(`SELECT count(*) AS n FROM audit WHERE action = 'person.create' AND object_id IN (${[...persons].map((p) => `'${p}'`).join(',')})`)[0].n;
    assert.equal(created, first.persons_created, 'every new person is audited person.create');
    const p = rows(`SELECT given_name, family_name, dob, sex, nhs_number, postcode FROM persons WHERE id = ${e['MFH/2026/0102'].person_id}`)[0];
    assert.deepEqual(p, { given_name: 'Jordan', family_name: 'Abernethy-Cole', dob: '2009-08-14', sex: 'male', nhs_number: '4017770010', postcode: 'SK2 6BW' });
    // Three episodes starting within 90 days: the repeat-missing rule ran for the imported episodes.
    assert.equal(rows(`SELECT count(*) AS n FROM person_flags WHERE person_id = ${tamsin[0]} AND kind = 'repeat_missing' AND removed_at IS NULL`)[0].n, 1);
  });

  it('the import is recorded (file name, SHA-256, counts) and audited once with its counts', () => {
    const imp = rows(`SELECT * FROM imports WHERE id = ${first.import_id}`)[0];
    assert.equal(imp.kind, 'missing');
    assert.equal(imp.filename, 'missing-good.csv');
    assert.equal(imp.sha256, createHash('sha256').update(readFileSync(fixture('missing-good.csv'))).digest('hex'));
    assert.deepEqual([imp.rows_total, imp.rows_added, imp.rows_updated, imp.rows_unchanged, imp.rows_review],
      [12, first.added, 0, 0, first.review]);
    assert.equal(imp.created_by, rows("SELECT id FROM users WHERE username = 'police_intel'")[0].id);
    const a = rows(`SELECT username, object_type, object_id, outcome, detail FROM audit WHERE action = 'import.missing' AND object_id = '${first.import_id}'`);
    assert.equal(a.length, 1);
    assert.equal(a[0].username, 'police_intel');
    assert.equal(a[0].object_type, 'import');
    assert.match(a[0].detail, new RegExp(`^rows 12, added ${first.added}, updated 0, unchanged 0, persons created ${first.persons_created}`));
    const ids = Object.values(episodesByRef()).map((x) => `'${x.id}'`).join(',');
    assert.equal(rows(`SELECT count(*) AS n FROM audit WHERE action = 'missing.create' AND object_id IN (${ids})`)[0].n, 0,
      'the episodes an import adds are covered by its import.missing entry');
    assert.ok(Object.values(episodesByRef()).every((x) => x.import_id === first.import_id), 'episodes name their import');
  });

  it('a changed end time and a new grade update those episodes only, each audited missing.update', async () => {
    let text = withRow(GOOD, 'MFH/2026/0101', (f) => { f[COL.ended_at] = '2026-08-03 10:15'; return f; });
    text = withRow(text, 'MFH/2026/0104', (f) => { f[COL.grade] = 'high'; f[COL.graded_at] = '2026-09-15 12:00'; return f; });
    const before = counts();
    const r = await importApi(text);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.added, 0);
    assert.equal(r.body.updated, 2, show(r));
    assert.equal(r.body.unchanged, first.added - 2);
    const e = episodesByRef();
    assert.equal(e['MFH/2026/0101'].ended_at, Date.UTC(2026, 7, 3, 9, 15) / 1000, '10:15 BST is 09:15 UTC');
    const after = counts();
    assert.equal(after.episodes, before.episodes);
    assert.equal(after.gradings, before.gradings + 1, 'a re-grade adds a grading');
    const audited = rows(`SELECT object_id FROM audit WHERE action = 'missing.update' AND object_id IN ('${e['MFH/2026/0101'].id}', '${e['MFH/2026/0104'].id}')`);
    assert.ok(audited.length >= 1, 'the changes are audited');
  });
});

describe('the imported episodes in the API', () => {
  it('appear in GET /api/v1/missing-episodes with their gradings', async () => {
    const r = await police.req('GET', '/api/v1/missing-episodes?from=2026-08-01&to=2026-11-30&limit=500');
    assert.equal(r.status, 200, show(r));
    const mine = r.body.items.filter((x) => REFS.includes(x.police_ref));
    assert.deepEqual(mine.map((x) => x.police_ref).sort(), [...REFS].sort());
    const byRef = Object.fromEntries(mine.map((x) => [x.police_ref, x]));
    const latest = Object.fromEntries(Object.entries(byRef).map(([k, x]) => [k, x.grading.latest]));
    assert.deepEqual(latest, {
      'MFH/2026/0101': 'medium', 'MFH/2026/0102': 'high', 'MFH/2026/0103': 'low', 'MFH/2026/0104': 'high',
      'MFH/2026/0105': 'medium', 'MFH/2026/0106': 'high', 'MFH/2026/0107': 'medium', 'MFH/2026/0108': 'low',
      'EM-26-5531': 'none', 'MFH/2026/0109': 'medium', 'MFH/2026/0110': 'low', 'MFH/2026/0111': 'medium',
    });
    const j = byRef['MFH/2026/0102'];
    assert.equal(j.started_at, '2026-09-05T17:00:00Z');
    assert.equal(j.ended_at, null);
    assert.equal(j.status, 'missing');
    assert.equal(j.missing_from, 'care');
    assert.equal(j.looked_after, true);
    assert.equal(j.out_of_area, 'placed_here', 'placed here by Westshire');
    assert.equal(byRef['MFH/2026/0105'].out_of_area, 'placed_elsewhere');
    assert.equal(byRef['MFH/2026/0101'].started_at, '2026-08-02T18:30:00Z', '19:30 UK time in August is 18:30 UTC');
    assert.equal(byRef['MFH/2026/0110'].started_at, '2026-11-05T07:30:00Z', '07:30 UK time in November is UTC');
    assert.equal(byRef['EM-26-5531'].category, 'A');
    assert.equal(byRef['EM-26-5531'].placement.type, 'semi_independent');

    const one = await police.req('GET', `/api/v1/missing-episodes/${byRef['MFH/2026/0104'].id}`);
    assert.equal(one.status, 200, show(one));
    assert.deepEqual(one.body.grading.history.map((g) => g.grade), ['none', 'high'], 'the re-grade kept both');
    assert.equal(one.body.grading.highest, 'high');
    const d = await police.req('GET', `/api/v1/missing-episodes/${byRef['MFH/2026/0106'].id}`);
    assert.deepEqual(d.body.grading.history.map((g) => [g.grade, g.graded_at, g.graded_by]),
      [['high', '2026-10-01T18:30:00Z', 'PS 1234 Example']]);
    assert.equal(d.body.notes, 'Third episode in 90 days');
  });
});

describe('bad CSV and encodings name the line', () => {
  const cases = [
    ['an unclosed quote', () => readFileSync(fixture('missing-bad-quote.csv')), 14, /quoted field opened on this line is never closed/],
    ['a Latin-1 file', () => readFileSync(fixture('missing-latin1.csv')), 3, /not UTF-8/],
    ['a row with a value too many', () => Buffer.from(GOOD.replace('Town centre,', 'Town centre,extra,')), 5, /28 fields where the header has 27/],
  ];
  for (const [what, body, line, why] of cases) {
    it(`${what}: the CLI and the API say which line, and nothing is written`, async () => {
      const before = counts();
      const c = importCli(tmpFile(body()));
      assert.equal(c.status, 1, c.stderr);
      assert.match(c.stderr, new RegExp(`: line ${line}: `), c.stderr);
      assert.match(c.stderr, why);
      const r = await importApi(body());
      assertProblem(r, 400, what);
      assert.equal(r.body.title, 'Malformed CSV');
      assert.equal(r.body.line, line, show(r));
      assert.match(r.body.detail, new RegExp(`^line ${line}: `));
      assert.match(r.body.detail, why);
      assert.deepEqual(counts(), before, 'nothing was written');
    });
  }

  it('a UTF-16 file: the CLI and the API name line 1 and say to save it as UTF-8', async () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]);
    const before = counts();
    const c = importCli(tmpFile(body));
    assert.equal(c.status, 1, c.stderr);
    assert.match(c.stderr, /: line 1: the file is UTF-16 or UTF-32; save it as UTF-8/, c.stderr);
    const r = await importApi(body);
    assertProblem(r, 400, 'UTF-16');
    assert.equal(r.body.title, 'Malformed CSV');
    assert.equal(r.body.line, 1, show(r));
    assert.match(r.body.detail, /^line 1: the file is UTF-16 or UTF-32; save it as UTF-8/);
    assert.deepEqual(counts(), before, 'nothing was written');
  });

  it('a NUL byte in the middle of a UTF-8 file: the CSV reader names its line', async () => {
    const body = Buffer.from(GOOD.replace('Town centre,', 'Town\u0000centre,'));
    const r = await importApi(body);
    assertProblem(r, 400, 'NUL');
    assert.equal(r.body.title, 'Malformed CSV');
    assert.match(r.body.detail, /^line \d+: the file contains a NUL byte/);
  });

  it('an empty file is refused', async () => {
    const r = await importApi('');
    assertProblem(r, 400);
    assert.match(r.body.detail, /empty/);
  });
});

describe('who the row is about', () => {
  it('a row with the NHS number of a known child is written against that child, whatever the spelling', async () => {
    const known = rows("SELECT id, nhs_number, dob FROM persons WHERE nhs_number IS NOT NULL AND merged_into IS NULL AND restricted = 0 ORDER BY id LIMIT 1")[0];
    const header = GOOD.split('\n')[0];
    const row = ['Northby Police', 'MFH/2026/0201', 'Kayley', 'Smyth', '', 'F', '', '', known.nhs_number, '', 'home', 'M',
      '2026-11-10 21:30', '2026-11-10 22:00', '2026-11-11 08:00', '', 'low', '', '', '', '', '', '', '', '', 'North', ''];
    const r = await importApi(`${header}\n${row.join(',')}\n`);
    assert.equal(r.status, 200, show(r));
    assert.deepEqual([r.body.added, r.body.persons_created, r.body.persons_linked], [1, 0, 1]);
    const e = rows("SELECT person_id FROM missing_episodes WHERE police_ref = 'MFH/2026/0201'")[0];
    assert.equal(e.person_id, known.id);
  });
});

describe('rows the matcher cannot decide', () => {
  it('go to the review queue once, write nothing, and are written when a manager decides', async () => {
    const admin = await signedIn(server.url, 'admin');
    const manager = await signedIn(server.url, 'manager');
    // Any candidate at all is uncertain: the row of a known child without identifiers is held.
    const put = await admin.req('PUT', '/api/v1/config/settings', { items: { 'match.link_threshold': 1, 'match.review_threshold': 0.05 } });
    assert.equal(put.status, 200, show(put));
    try {
      const known = rows("SELECT id, given_name, family_name, dob, sex FROM persons WHERE dob IS NOT NULL AND merged_into IS NULL AND restricted = 0 ORDER BY id LIMIT 1 OFFSET 3")[0];
      const header = GOOD.split('\n')[0];
      const row = ['Northby Police', 'MFH/2026/0301', known.given_name, known.family_name, known.dob, known.sex, '', '', '', '', 'home', 'M',
        '2026-11-12 21:30', '2026-11-12 22:00', '', '', 'medium', '', '', '', '', '', '', '', '', 'North', ''];
      const text = `${header}\n${row.join(',')}\n`;
      const before = counts();
      const r = await importApi(text);
      assert.equal(r.status, 200, show(r));
      assert.deepEqual([r.body.added, r.body.review], [0, 1], show(r));
      const held = rows("SELECT id, version, import_id, kind, row_number, status, json_extract(row_data, '$.police_ref') AS ref FROM match_reviews WHERE json_extract(row_data, '$.police_ref') = 'MFH/2026/0301'");
      assert.equal(held.length, 1);
      assert.deepEqual([held[0].kind, held[0].row_number, held[0].status, held[0].import_id], ['missing', 2, 'pending', r.body.import_id]);
      assert.equal(counts().episodes, before.episodes, 'no episode for a held row');

      const again = await importApi(text);
      assert.deepEqual([again.body.added, again.body.review], [0, 1]);
      assert.equal(rows("SELECT count(*) AS n FROM match_reviews WHERE json_extract(row_data, '$.police_ref') = 'MFH/2026/0301'")[0].n, 1,
        'the same row is not queued twice');

      const d = await manager.req('POST', `/api/v1/match-reviews/${held[0].id}/decision`, { version: held[0].version, decision: 'link', person_id: known.id });
      assert.equal(d.status, 200, show(d));
      const e = rows("SELECT person_id, grade_latest FROM missing_episodes WHERE police_ref = 'MFH/2026/0301'");
      assert.deepEqual(e, [{ person_id: known.id, grade_latest: 'medium' }], 'the decision wrote the episode against the person');
      const third = await importApi(text);
      assert.deepEqual([third.body.added, third.body.unchanged, third.body.review], [0, 1, 0], show(third));
    } finally {
      const back = await admin.req('PUT', '/api/v1/config/settings', { items: { 'match.link_threshold': 0.95, 'match.review_threshold': 0.5 } });
      assert.equal(back.status, 200, show(back));
    }
  });
});

// A file large enough for the bulk mode (20,000 rows or more: import_options.bulk_rows) is
// written without SQLite's foreign-key checks, its episodes held and written together: every
// reference it wrote must still be sound, and it must write what small imports write (a grading
// per graded row, an rhi clock per return that is ours, a notification per out-of-area episode),
// and find the episodes the hub had by their keys (read all at once when the file is much larger).
describe('a large file from the command line', () => {
  const N = 20050;
  let text;
  let graded = 0;
  before(() => {
    // The good fixture's columns; its rows come last (imported earlier: found by their key).
    const [header, ...goodRows] = GOOD.trim().split('\n');
    const columns = header.split(',');
    const lines = [header];
    const given = ['Wren', 'Ottilie', 'Caspian', 'Marlowe', 'Juniper', 'Thaddeus', 'Briony', 'Lysander', 'Peregrine', 'Clementine'];
    const family = ['Quillfeather', 'Ravensholt', 'Dunwiddie', 'Fairweather', 'Tregothnan'];
    const iso = (t) => new Date(t).toISOString().slice(0, 16) + 'Z';
    for (let i = 0; i < N; i++) {
      // 50 fictional children the hub has never met (no two alike), 401 episodes each, two days apart.
      // The last 50 rows (one a child) are recent: the rest are history (2016-2018).
      const c = i % 50;
      const start = i >= N - 50 ? Date.now() - 3 * 86400000 + c * 60000
        : Date.UTC(2016, 0, 1) + Math.floor(i / 50) * 2 * 86400000 + c * 60000;
      const out = i % 4 === 0;
      const grade = ['low', 'medium', 'high', ''][i % 4];
      if (grade) graded++;
      const row = {
        police_force: 'Northby Police', police_ref: `BULK/${i}`, given_name: given[c % 10], family_name: family[Math.floor(c / 10)],
        dob: `${2008 + (c % 8)}-0${1 + Math.floor(c / 8)}-${10 + (c % 9)}`, sex: c % 2 ? 'M' : 'F', missing_from: out ? 'care' : 'home',
        category: 'M', started_at: iso(start), reported_at: iso(start + 3600000), ended_at: i % 10 === 9 ? '' : iso(start + 7200000),
        grade, placing_authority: out ? 'Westshire' : '', host_authority: out ? 'Northby' : '', team: 'Bulk Team',
      };
      lines.push(columns.map((col) => row[col] ?? '').join(','));
    }
    lines.push(...goodRows);
    text = lines.join('\n') + '\n';
  });

  it('imports 20,050 rows whose every reference is sound, with the gradings, clocks and notifications', () => {
    const before = counts();
    const r = importCli(tmpFile(text));
    assert.equal(r.status, 0, r.stderr);
    const c = cliCounts(r.stdout);
    assert.equal(c.rows, N + 12);
    assert.equal(c.added, N, r.stdout);
    assert.equal(c.persons_created, 50);
    // The good fixture's rows: its episodes found by their key, not added again (some were changed
    // by the tests above: the file's rows change them back), any undecided row still under review.
    assert.equal(c.updated + c.unchanged + c.review, 12, r.stdout);
    assert.ok(c.unchanged > 0);
    assert.deepEqual(rows('PRAGMA foreign_key_check'), [], 'no reference to a row that is not there');
    const after = counts();
    assert.equal(after.episodes - before.episodes, N);
    const bulk = rows(`SELECT
      (SELECT count(*) FROM missing_gradings g JOIN missing_episodes e ON e.id = g.episode_id WHERE e.police_ref LIKE 'BULK/%') AS gradings,
      (SELECT count(*) FROM clocks k JOIN missing_episodes e ON k.subject_type = 'missing_episode' AND e.id = k.subject_id
        WHERE e.police_ref LIKE 'BULK/%' AND k.standard = 'rhi' AND k.status = 'running' AND k.stopped_at IS NULL
        AND e.ended_at >= unixepoch() - 28 * 86400) AS running,
      (SELECT count(*) FROM clocks k JOIN missing_episodes e ON k.subject_type = 'missing_episode' AND e.id = k.subject_id
        WHERE e.police_ref LIKE 'BULK/%' AND e.ended_at < unixepoch() - 28 * 86400) AS history_clocks,
      (SELECT count(*) FROM missing_episodes WHERE police_ref LIKE 'BULK/%' AND ended_at < unixepoch() - 28 * 86400 AND rhi_by = 'us') AS history,
      (SELECT count(*) FROM missing_episodes WHERE police_ref LIKE 'BULK/%' AND ended_at >= unixepoch() - 28 * 86400 AND rhi_by = 'us') AS ours,
      (SELECT count(*) FROM missing_notifications n JOIN missing_episodes e ON e.id = n.episode_id WHERE e.police_ref LIKE 'BULK/%') AS notifications,
      (SELECT count(*) FROM person_flags f JOIN persons p ON p.id = f.person_id WHERE f.kind = 'repeat_missing' AND p.family_name IN
        ('Quillfeather', 'Ravensholt', 'Dunwiddie', 'Fairweather', 'Tregothnan')) AS flags`)[0];
    assert.equal(bulk.gradings, graded, 'a grading per graded row');
    // A running rhi clock per recent return we interview; none for a return more than 28 days
    // before the import (history: nothing left to time, and no dead rows on the task lists).
    assert.equal(bulk.running, bulk.ours, 'an rhi clock per recent return we interview');
    assert.ok(bulk.running >= 40 && bulk.running <= 50, `recent returns: ${bulk.running}`);
    assert.ok(bulk.history > N / 2);
    assert.equal(bulk.history_clocks, 0, 'no clock for history');
    assert.equal(bulk.notifications, Math.ceil(N / 4), 'a notification per out-of-area episode');
    assert.equal(bulk.flags, 50, 'each child is missing every two days: all 50 flagged');
    const e = rows(`SELECT e.started_at, e.ended_at, e.grade_latest, e.out_of_area, p.given_name, p.dob, g.grade AS g, g.graded_at AS ga
      FROM missing_episodes e JOIN persons p ON p.id = e.person_id JOIN missing_gradings g ON g.episode_id = e.id
      WHERE e.police_ref = 'BULK/19948'`);
    assert.deepEqual(e, [{ started_at: Date.UTC(2016, 0, 1) / 1000 + 398 * 2 * 86400 + 48 * 60, ended_at: Date.UTC(2016, 0, 1) / 1000 + 398 * 2 * 86400 + 48 * 60 + 7200,
      grade_latest: 'low', out_of_area: 'placed_here', given_name: 'Peregrine', dob: '2008-07-13', g: 'low', ga: Date.UTC(2016, 0, 1) / 1000 + 398 * 2 * 86400 + 48 * 60 + 3600 }]);
  });

  it('the same large file again adds nothing', () => {
    const before = counts();
    const r = importCli(tmpFile(text));
    assert.equal(r.status, 0, r.stderr);
    const c = cliCounts(r.stdout);
    assert.deepEqual([c.added, c.updated, c.persons_created], [0, 0, 0]);
    assert.equal(c.unchanged + c.review, N + 12);
    const after = counts();
    assert.deepEqual({ ...after, imports: 0, audited: 0 }, { ...before, imports: 0, audited: 0 });
  });
});

describe('who may import, and how', () => {
  it('roles without import.run get 403; a body that is not text/csv gets 415; no CSRF token gets 403', async () => {
    for (const who of ['practitioner', 'analyst']) {
      const c = await signedIn(server.url, who);
      assertProblem(await importApi(GOOD, { client: c }), 403, who);
    }
    const manager = await signedIn(server.url, 'manager');
    assert.equal((await importApi(GOOD, { client: manager })).status, 200, 'a manager may import');
    assertProblem(await importApi(GOOD, { type: 'text/plain' }), 415, 'text/plain');
    const r = await police.req('POST', '/api/v1/imports/missing', GOOD, { raw: true, csrf: false, headers: { 'content-type': 'text/csv' } });
    assertProblem(r, 403, 'no CSRF token');
  });

  it('the command line needs --user naming an active user whose role may import', () => {
    const f = fixture('missing-good.csv');
    const none = cli(['import', 'missing', '--db', server.db, f]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--user is required/);
    const unknown = importCli(f, 'nobody_here');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /--user nobody_here: no such user/);
    const practitioner = importCli(f, 'practitioner');
    assert.equal(practitioner.status, 1);
    assert.match(practitioner.stderr, /may not run imports/);
    const missingFile = importCli(path.join(tmp, 'no-such.csv'));
    assert.equal(missingFile.status, 1);
    assert.match(missingFile.stderr, /no-such\.csv: No such file/);
    const help = cli(['import', 'missing', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /usage: safehub import missing/);
  });
});
