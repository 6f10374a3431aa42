/*
 * Unit tests for import_missing.c on a real store: the time and date forms a police extract may
 * use (UK local time across both clock changes, offsets, DD/MM/YYYY), the error list's cap, and
 * import_missing_apply_review (a held row written against a chosen person, a new person, the same
 * row again, a row that no longer passes), and the bulk mode of a large import with its deferred
 * repeat-missing checks. The clock is pinned to 2026-11-24 12:00 UTC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>

#include "audit.h"
#include "import_missing.h"
#include "missing.h"
#include "testchild.h"

#define NOW 1795521600 /* 2026-11-24T12:00:00Z */

static const char HEADER[] =
	"police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,started_at,reported_at\n";

/* Import text in a transaction of its own; commit when it is good. */
static enum import_status run(struct fixture *f, const char *text, struct import_result *res,
			      struct import_errors *errs)
{
	assert_int_equal(store_begin(f->st, true), 0);
	enum import_status s = import_missing_run(f->st, &f->manager, text, strlen(text), NULL, res, errs);
	if (s == IMPORT_OK)
		assert_int_equal(store_commit(f->st), 0);
	else
		store_rollback(f->st);
	return s;
}

/* The started_at of the episode with this police reference (0 when none). */
static int64_t started(struct fixture *f, const char *ref)
{
	int64_t id;
	if (missing_find_by_ref(f->st, "Northby Police", ref, &id) != MISSING_OK)
		return 0;
	struct missing_episode *e = calloc(1, sizeof *e);
	assert_non_null(e);
	assert_int_equal(missing_get(f->st, id, e), MISSING_OK);
	int64_t t = e->started_at;
	free(e);
	return t;
}

/* import_missing_apply_review with the chosen person given by value. */
static int apply(struct store *st, const struct user *by, const char *row, int64_t person_id, char *err, size_t cap)
{
	return import_missing_apply_review(st, by, row, &person_id, err, cap);
}

static void test_time_forms(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	char text[4096];
	snprintf(text, sizeof text,
		 "%s"
		 "Northby Police,T1,Ann,Able,2010-04-01,F,home,M,2026-07-01 19:30,2026-07-01 20:00\n"     /* BST */
		 "Northby Police,T2,Ann,Able,01/04/2010,F,home,M,2026-01-15 19:30,2026-01-15 20:00\n"    /* GMT */
		 "Northby Police,T3,Ann,Able,1/4/2010,F,home,M,25/10/2026 01:30,25/10/2026 03:00\n"      /* twice: BST */
		 "Northby Police,T4,Ann,Able,2010-04-01,F,home,M,2026-03-29 01:30,2026-03-29 03:00\n"    /* gap: GMT */
		 "Northby Police,T5,Ann,Able,2010-04-01,F,home,M,2026-10-25T01:30+01:00,2026-10-25T03:00Z\n"
		 "Northby Police,T6,Ann,Able,2010-04-01,F,home,M,2026-10-25T01:30:15.5-0130,2026-10-25T04:00Z\n"
		 "Northby Police,T7,Ann,Able,2010-04-01,F,home,M,2026-10-25t01:30z,2026-10-25T04:00Z\n",
		 HEADER);
	struct import_result res;
	struct import_errors errs = { 0 };
	assert_int_equal(run(f, text, &res, &errs), IMPORT_OK);
	assert_int_equal(res.added, 7);
	assert_int_equal(res.persons_created, 1); /* one child: the same names, date of birth and sex */
	assert_int_equal(started(f, "T1"), 1782930600);      /* 2026-07-01T18:30:00Z */
	assert_int_equal(started(f, "T2"), 1768505400);      /* 2026-01-15T19:30:00Z */
	assert_int_equal(started(f, "T3"), 1792888200);      /* 2026-10-25T00:30:00Z */
	assert_int_equal(started(f, "T4"), 1774747800);      /* 2026-03-29T01:30:00Z */
	assert_int_equal(started(f, "T5"), 1792888200);      /* 2026-10-25T00:30:00Z */
	assert_int_equal(started(f, "T6"), 1792897215);      /* 2026-10-25T03:00:15Z */
	assert_int_equal(started(f, "T7"), 1792888200 + 3600);
	import_errors_free(&errs);
	store_set_now(0);
}

static void test_bad_values(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	char text[4096];
	snprintf(text, sizeof text,
		 "%s"
		 "Northby Police,B1,Ann,Able,2010-02-30,F,home,M,2026-07-01 19:30,2026-07-01 20:00\n"
		 "Northby Police,B2,Ann,Able,2010-04-01,F,home,M,2026-07-01 24:00,2026-07-01 20:00\n"
		 "Northby Police,B3,Ann,Able,2010-04-01,F,home,M,2026-07-01,2026-07-01 20:00\n"
		 "Northby Police,B4,Ann,Able,2010-04-01,F,home,M,2026-11-25 12:00,2026-11-25 12:00\n"
		 "Northby Police,B5,Ann,Able,2010-04-01,F,roof,M,2026-07-01 19:30,2026-07-01 20:00\n"
		 ",,Ann,,2010-04-01,F,home,M,2026-07-01 19:30,2026-07-01 20:00\n",
		 HEADER);
	struct import_result res;
	struct import_errors errs = { 0 };
	assert_int_equal(run(f, text, &res, &errs), IMPORT_INVALID);
	const char *want[][2] = { { "2", "dob" }, { "3", "started_at" }, { "4", "started_at" }, { "5", "started_at" },
				  { "5", "reported_at" }, { "6", "missing_from" }, { "7", "police_force" },
				  { "7", "police_ref" }, { "7", "family_name" } };
	assert_int_equal(errs.n, (int)(sizeof want / sizeof want[0]));
	for (int i = 0; i < errs.n; i++) {
		assert_int_equal(errs.e[i].row, atol(want[i][0]));
		assert_string_equal(errs.e[i].column, want[i][1]);
	}
	assert_int_equal(errs.rows_bad, 6);
	assert_int_equal(started(f, "B1"), 0);
	import_errors_free(&errs);
	store_set_now(0);
}

static void test_error_cap(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	size_t cap = 1300 * 80 + sizeof HEADER;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = (size_t)snprintf(text, cap, "%s", HEADER);
	for (int i = 0; i < 1200; i++)
		len += (size_t)snprintf(text + len, cap - len, "Northby Police,C%d,Ann,Able,,F,home,Z,nope,nope\n", i);
	struct import_result res;
	struct import_errors errs = { 0 };
	assert_int_equal(run(f, text, &res, &errs), IMPORT_INVALID);
	assert_int_equal(errs.n, IMPORT_ERRORS_MAX);
	assert_int_equal(errs.total, 3600);
	assert_int_equal(errs.rows_bad, 1200);
	import_errors_free(&errs);
	free(text);
	store_set_now(0);
}

static const char ROW[] =
	"{\"police_force\": \"Northby Police\", \"police_ref\": \"R1\", \"given_name\": \"Kayley\","
	" \"family_name\": \"Smyth\", \"dob\": \"07/03/2012\", \"sex\": \"F\", \"missing_from\": \"home\","
	" \"category\": \"M\", \"started_at\": \"2026-11-01 18:00\", \"reported_at\": \"2026-11-01 19:00\","
	" \"grade\": \"medium\"}";

static void test_apply_review(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	char err[256];
	/* Against the chosen person: the episode is the child's, audited missing.create. */
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(apply(f->st, &f->manager, ROW, f->child->id, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	int64_t id;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "R1", &id), MISSING_OK);
	struct missing_episode *e = calloc(1, sizeof *e);
	assert_non_null(e);
	assert_int_equal(missing_get(f->st, id, e), MISSING_OK);
	assert_int_equal(e->person_id, f->child->id);
	assert_string_equal(e->grade_latest, "medium");
	assert_int_equal(e->started_at, 1793556000); /* 2026-11-01T18:00:00Z */
	struct store_audit_filter q = { .object_type = "missing_episode", .limit = 10 };
	snprintf(q.object_id, sizeof q.object_id, "%lld", (long long)id);
	struct audit_entry *a = NULL;
	int n = 0;
	assert_int_equal(store_audit_query(f->st, &q, &a, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].action, "missing.create");
	free(a);

	/* The same row again (decided twice, or imported meanwhile): written over, nothing new. */
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(apply(f->st, &f->manager, ROW, f->child->id, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	int64_t again;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "R1", &again), MISSING_OK);
	assert_int_equal(again, id);

	/* person_id 0: a new person made from the row. */
	const char *row2 = "{\"police_force\": \"Northby Police\", \"police_ref\": \"R2\", \"given_name\": \"Jo\","
			   " \"family_name\": \"Newperson\", \"dob\": \"2011-05-06\", \"sex\": \"m\", \"postcode\": \"sk1 3xe\","
			   " \"missing_from\": \"care\", \"category\": \"A\", \"started_at\": \"2026-11-02T10:00:00Z\","
			   " \"reported_at\": \"2026-11-02T11:00:00Z\"}";
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(apply(f->st, &f->manager, row2, 0, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "R2", &id), MISSING_OK);
	assert_int_equal(missing_get(f->st, id, e), MISSING_OK);
	assert_true(e->person_id != f->child->id);
	assert_true(e->looked_after);
	struct person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	assert_int_equal(store_person_get(f->st, e->person_id, p), 0);
	assert_string_equal(p->family_name, "Newperson");
	assert_string_equal(p->sex, "male");
	assert_int_equal(p->n_addresses, 1);
	assert_string_equal(p->addresses[0].postcode, "SK1 3XE");
	free(p);

	/* A row that no longer passes, an unknown person, a row that is not JSON: -1 with a reason. */
	const char *bad = "{\"police_force\": \"Northby Police\", \"police_ref\": \"R3\", \"given_name\": \"A\","
			  " \"family_name\": \"B\", \"missing_from\": \"home\", \"category\": \"M\","
			  " \"started_at\": \"2026-13-01 10:00\", \"reported_at\": \"2026-11-01 10:00\"}";
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(apply(f->st, &f->manager, bad, f->child->id, err, sizeof err), -1);
	assert_non_null(strstr(err, "started_at: "));
	const char *r4 = "{\"police_force\": \"Northby Police\", \"police_ref\": \"R4\", \"given_name\": \"A\","
			 " \"family_name\": \"B\", \"missing_from\": \"home\", \"category\": \"M\","
			 " \"started_at\": \"2026-11-01 10:00\", \"reported_at\": \"2026-11-01 10:00\"}";
	assert_int_equal(apply(f->st, &f->manager, r4, 999999, err, sizeof err), -1);
	assert_non_null(strstr(err, "does not exist"));
	assert_int_equal(apply(f->st, &f->manager, "[1]", f->child->id, err, sizeof err), -1);
	store_rollback(f->st);
	free(e);
	store_set_now(0);
}

/* The first text column of the first row of sql run on the fixture's database, from a connection
 * of its own (what other connections see), into out[cap]; "" when no row. */
/* Column 0 of the first row of sql (testdb_query_text). */
static void query_text(struct fixture *f, const char *sql, char *out, size_t cap)
{
	testdb_query_text(f->path, sql, out, cap);
}

static const char SCHEMA_SQL[] =
	"SELECT group_concat(name || ': ' || sql, '; ') FROM (SELECT name, sql FROM sqlite_schema"
	" WHERE tbl_name IN ('missing_episodes', 'clocks') AND sql IS NOT NULL ORDER BY name)";

/*
 * A large import's bulk mode (forced from the first row added): the indexes and the trigger it
 * drops are back as they were, the dashboard's data generation moved, and the repeat-missing
 * checks it defers give what checking after each row gives: Ada's third episode within 90 days
 * (R3, team T3) flags her, not R4 (a later row also in the window) nor R5 (an older episode that
 * came last); Bo's two episodes flag nobody.
 */
static void bulk(struct fixture *f, int others)
{
	store_set_now(NOW);
	if (others) {
		/* Another child's episodes, 100 days apart (never a repeat): past BATCH_WALK_RATIO (64) a
		 * batch person, missing_batch_finish queries each person rather than walking them all. */
		char fill[512];
		snprintf(fill, sizeof fill,
			 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d)"
			 " INSERT INTO missing_episodes(person_id, started_at, reported_at, ended_at, missing_from, category,"
			 " created_at, created_by, updated_at, updated_by) SELECT %lld, %lld - i * 8640000,"
			 " %lld - i * 8640000 + 60, %lld - i * 8640000 + 120, 'home', 'M', %lld, %lld, %lld, %lld FROM k",
			 others, (long long)f->child->id, (long long)NOW, (long long)NOW, (long long)NOW, (long long)NOW,
			 (long long)f->manager.id, (long long)NOW, (long long)f->manager.id);
		sqlite3 *db;
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, fill, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	char before[16384], after[16384], gen0[32], gen1[32], text[256];
	query_text(f, SCHEMA_SQL, before, sizeof before);
	query_text(f, "SELECT n FROM mfh_generation", gen0, sizeof gen0);
	static const char csv[] =
		"police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,started_at,reported_at,"
		"ended_at,grade,team\n"
		"Northby Police,B1,Ada,Quarrington,2011-03-14,F,home,M,2026-08-01T10:00Z,2026-08-01T11:00Z,"
		"2026-08-02T10:00Z,low,T1\n"
		"Northby Police,B2,Ada,Quarrington,2011-03-14,F,home,M,2026-08-10T10:00Z,2026-08-10T11:00Z,,,T2\n"
		"Northby Police,B3,Ada,Quarrington,2011-03-14,F,home,M,2026-08-20T10:00Z,2026-08-20T11:00Z,,,T3\n"
		"Northby Police,B4,Ada,Quarrington,2011-03-14,F,home,M,2026-08-25T10:00Z,2026-08-25T11:00Z,,,T4\n"
		"Northby Police,B5,Ada,Quarrington,2011-03-14,F,home,M,2026-07-25T10:00Z,2026-07-25T11:00Z,,,T5\n"
		"Northby Police,B6,Bo,Brindley,2010-01-02,M,care,A,2026-08-01T10:00Z,2026-08-01T11:00Z,,,T6\n"
		"Northby Police,B7,Bo,Brindley,2010-01-02,M,care,A,2026-08-02T10:00Z,2026-08-02T11:00Z,,,T7\n";
	struct import_options opt = { .filename = "bulk.csv", .bulk_rows = 1 };
	struct import_result res;
	struct import_errors errs = { 0 };
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(import_missing_run(f->st, &f->manager, csv, strlen(csv), &opt, &res, &errs), IMPORT_OK);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(res.added, 7);
	assert_int_equal(res.persons_created, 2);

	query_text(f, SCHEMA_SQL, after, sizeof after);
	assert_string_equal(after, before);
	assert_non_null(strstr(after, "missing_mfh: "));
	assert_non_null(strstr(after, "mfh_gen_episode_insert: "));
	assert_null(strstr(after, "missing_ended")); /* no statement read it (sql/012) */
	query_text(f, "SELECT n FROM mfh_generation", gen1, sizeof gen1);
	assert_true(strcmp(gen0, gen1) != 0);

	int64_t b3, ada, bo;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "B3", &b3), MISSING_OK);
	struct missing_episode *e = calloc(1, sizeof *e);
	assert_non_null(e);
	assert_int_equal(missing_get(f->st, b3, e), MISSING_OK);
	ada = e->person_id;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "B6", &bo), MISSING_OK);
	assert_int_equal(missing_get(f->st, bo, e), MISSING_OK);
	bo = e->person_id;
	struct missing_person_summary sum;
	assert_int_equal(missing_person_summary(f->st, ada, NOW, &sum), MISSING_OK);
	assert_true(sum.repeat_flagged);
	assert_int_equal(sum.count_12_months, 5);
	assert_int_equal(missing_person_summary(f->st, bo, NOW, &sum), MISSING_OK);
	assert_false(sum.repeat_flagged);

	/* One missing.repeat entry, naming the episode that crossed; its task is that episode's team's. */
	struct store_audit_filter q = { .object_type = "person", .limit = 10 };
	snprintf(q.object_id, sizeof q.object_id, "%lld", (long long)ada);
	struct audit_entry *a = NULL;
	int n = 0, repeats = 0;
	assert_int_equal(store_audit_query(f->st, &q, &a, &n), 0);
	char want[64];
	snprintf(want, sizeof want, "episode %lld; 3 or more episodes within 90 days", (long long)b3);
	for (int i = 0; i < n; i++)
		if (strcmp(a[i].action, "missing.repeat") == 0) {
			repeats++;
			assert_string_equal(a[i].detail, want);
		}
	free(a);
	assert_int_equal(repeats, 1);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT team || ' ' || status FROM clocks WHERE standard = 'repeat_missing_meeting' AND subject_id = %lld",
		 (long long)ada);
	query_text(f, sql, text, sizeof text);
	assert_string_equal(text, "T3 running");
	/* B1 returned on 2026-08-02, more than 28 days before the import: history, so no rhi clock. */
	int64_t b1;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "B1", &b1), MISSING_OK);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM clocks WHERE standard = 'rhi' AND subject_id = %lld",
		 (long long)b1);
	query_text(f, sql, text, sizeof text);
	assert_string_equal(text, "0");

	/* The indexes serve again: the same file is unchanged, a taken reference is still refused. */
	assert_int_equal(run(f, csv, &res, &errs), IMPORT_OK);
	assert_int_equal(res.unchanged, 7);
	assert_int_equal(res.added, 0);
	query_text(f, "SELECT count(*) FROM person_flags", text, sizeof text);
	assert_string_equal(text, "1");
	free(e);
	import_errors_free(&errs);
	store_set_now(0);
}

/* The bulk mode with the repeat checks as one walk of missing_person (the batch's persons hold
 * most of the hub's episodes). */
static void test_bulk(void **state)
{
	bulk(*state, 0);
}

/* The same with a query per person (a hub with many more episodes than the batch's persons). */
static void test_bulk_many_others(void **state)
{
	bulk(*state, 200);
}

/*
 * Rows are read and checked on a second thread, a chunk of rows ahead of the writer: across
 * several chunks the errors still come in row order (a repeated key names the first row), a CSV
 * error deep in the file ends the run with that line alone, and a good file is written whole
 * with the file's SHA-256 on its imports row (and its identifiers read up front).
 */
static void test_read_ahead(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	const int rows = 1000;
	static const char header[] = "police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,"
				     "started_at,reported_at,la_id\n";
	size_t cap = (size_t)rows * 120 + sizeof header;
	char *text = malloc(cap);
	assert_non_null(text);
	struct import_result res;
	struct import_errors errs = { 0 };
	char got[256];
	/* The hub's child holds a local-authority id; the good pass's second half carries it. */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE persons SET la_id = 'LA-77' WHERE id = %lld", (long long)f->child->id);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	for (int pass = 0; pass < 3; pass++) {
		size_t len = (size_t)snprintf(text, cap, "%s", header);
		for (int i = 0; i < rows; i++) {
			int ref = pass == 0 && i == 599 ? 9 : i; /* row 601 repeats row 11's key */
			const char *start = pass == 0 && i == 899 ? "2026-13-01 10:00" : "2026-11-01 10:00";
			if (pass == 1 && i == 799)
				len += (size_t)snprintf(text + len, cap - len, "Northby Police,A%d,Ann,Able,2010-04-01,F,home,M,%s,"
								       "2026-11-01 11:00,,extra\n", ref, start);
			else
				len += (size_t)snprintf(text + len, cap - len,
							"Northby Police,A%d,Ann,Able,2010-04-01,F,home,M,%s,2026-11-01 11:00,%s\n",
							ref, start, i >= rows / 2 ? "LA-77" : "");
		}
		enum import_status st = run(f, text, &res, &errs);
		if (pass == 0) {
			assert_int_equal(st, IMPORT_INVALID);
			assert_int_equal(res.rows, rows);
			assert_int_equal(errs.total, 2);
			assert_int_equal(errs.n, 2);
			assert_int_equal(errs.e[0].row, 601);
			assert_string_equal(errs.e[0].column, "police_ref");
			assert_string_equal(errs.e[0].message, "row 11 has the same police_force and police_ref");
			assert_int_equal(errs.e[1].row, 901);
			assert_string_equal(errs.e[1].column, "started_at");
		} else if (pass == 1) {
			assert_int_equal(st, IMPORT_BAD_FILE);
			assert_int_equal(errs.n, 1);
			assert_int_equal(errs.e[0].line, 801);
			assert_non_null(strstr(errs.e[0].message, "12 fields where the header has 11"));
		} else {
			assert_int_equal(st, IMPORT_OK);
			assert_int_equal(res.rows, rows);
			assert_int_equal(res.added, rows);
			/* A file this size reads every identifier up front: the LA id still leads to the
			 * child (not to the row's names), and the first half makes one new person. */
			assert_int_equal(res.persons_created, 1);
			snprintf(sql, sizeof sql, "SELECT count(*) FROM missing_episodes WHERE person_id = %lld",
				 (long long)f->child->id);
			query_text(f, sql, got, sizeof got);
			assert_string_equal(got, "500");
			unsigned char digest[crypto_hash_sha256_BYTES];
			char hex[crypto_hash_sha256_BYTES * 2 + 1];
			crypto_hash_sha256(digest, (const unsigned char *)text, len);
			sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
			snprintf(sql, sizeof sql, "SELECT sha256 FROM imports WHERE id = %lld", (long long)res.import_id);
			query_text(f, sql, got, sizeof got);
			assert_string_equal(got, hex);
		}
		if (pass < 2) {
			query_text(f, "SELECT count(*) FROM missing_episodes", got, sizeof got);
			assert_string_equal(got, "0");
		}
		import_errors_free(&errs);
	}
	free(text);
	store_set_now(0);
}

/* A new person named given, held by the fixture's store; its id. */
static int64_t new_person(struct fixture *f, const char *given)
{
	struct person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "%s", given);
	snprintf(p->family_name, sizeof p->family_name, "Holder");
	snprintf(p->dob, sizeof p->dob, "2009-01-01");
	snprintf(p->sex, sizeof p->sex, "male");
	char err[64];
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(person_create(f->st, &f->manager, p, err, sizeof err), PERSON_OK);
	assert_int_equal(store_commit(f->st), 0);
	int64_t id = p->id;
	free(p);
	return id;
}

/*
 * The identifiers a large file reads up front lead where a look-up per row leads: an LA id held
 * only by a merged person goes to the person it was merged into, and one held by a merged person
 * and by a later unmerged one goes to the unmerged one. 1,000 rows (read up front) and then 2
 * rows (a look-up each) give the same persons.
 */
static void test_preload_merged(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	int64_t gone = new_person(f, "Gone"), twin = new_person(f, "Twin"), kept = new_person(f, "Kept");
	char sql[256], got[64];
	snprintf(sql, sizeof sql,
		 "UPDATE persons SET la_id = CASE id WHEN %lld THEN 'LA-88' ELSE 'LA-90' END,"
		 " merged_into = CASE id WHEN %lld THEN NULL ELSE %lld END WHERE id IN (%lld, %lld, %lld)",
		 (long long)gone, (long long)kept, (long long)f->child->id, (long long)gone, (long long)twin,
		 (long long)kept);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	static const char header[] = "police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,"
				     "started_at,reported_at,la_id\n";
	for (int rows = 1000; rows >= 2; rows -= 998) {
		size_t cap = (size_t)rows * 120 + sizeof header;
		char *text = malloc(cap);
		assert_non_null(text);
		size_t len = (size_t)snprintf(text, cap, "%s", header);
		for (int i = 0; i < rows; i++)
			len += (size_t)snprintf(text + len, cap - len,
						"Northby Police,P%d-%d,Ann,Able,2010-04-01,F,home,M,2026-11-01 10:00,"
						"2026-11-01 11:00,%s\n", rows, i, i < rows / 2 ? "LA-88" : "LA-90");
		struct import_result res;
		struct import_errors errs = { 0 };
		assert_int_equal(run(f, text, &res, &errs), IMPORT_OK);
		assert_int_equal(res.added, rows);
		assert_int_equal(res.persons_created, 0);
		snprintf(sql, sizeof sql,
			 "SELECT (SELECT count(*) FROM missing_episodes WHERE police_ref LIKE 'P%d-%%' AND person_id = %lld)"
			 " || ' ' || (SELECT count(*) FROM missing_episodes WHERE police_ref LIKE 'P%d-%%' AND person_id = %lld)",
			 rows, (long long)f->child->id, rows, (long long)kept);
		query_text(f, sql, got, sizeof got);
		char want[32];
		snprintf(want, sizeof want, "%d %d", rows / 2, rows / 2);
		assert_string_equal(got, want);
		import_errors_free(&errs);
		free(text);
	}
	store_set_now(0);
}

/* The rhi clock of episode ref: "status due_at stopped_at" ("-" for none), or "" when it has none. */
static void rhi_clock(struct fixture *f, const char *ref, char *out, size_t cap)
{
	int64_t id;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", ref, &id), MISSING_OK);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce((SELECT status || ' ' || due_at || ' ' || coalesce(stopped_at, '-') FROM clocks"
		 " WHERE standard = 'rhi' AND subject_type = 'missing_episode' AND subject_id = %lld), '')",
		 (long long)id);
	query_text(f, sql, out, cap);
}

/*
 * An imported return more than 28 days before the import is history: no rhi clock (nothing left
 * to time), though the episode says breached. A recent one runs its clock. A later change to the
 * history episode starts none; recording its RHI starts and stops one. An episode entered by hand
 * with an old return keeps its clock: the late RHI is someone's overdue task.
 */
static void test_history_clocks(void **state)
{
	struct fixture *f = *state;
	store_set_now(NOW);
	static const char csv[] =
		"police_force,police_ref,given_name,family_name,dob,sex,missing_from,category,started_at,reported_at,"
		"ended_at,team\n"
		/* returned 29 days before the import, and 27 days before it */
		"Northby Police,H1,Ada,Quarrington,2011-03-14,F,home,M,2026-10-26T09:00Z,2026-10-26T10:00Z,"
		"2026-10-26T11:00Z,T1\n"
		"Northby Police,H2,Ada,Quarrington,2011-03-14,F,home,M,2026-10-28T09:00Z,2026-10-28T10:00Z,"
		"2026-10-28T13:00Z,T1\n";
	struct import_result res;
	struct import_errors errs = { 0 };
	assert_int_equal(run(f, csv, &res, &errs), IMPORT_OK);
	assert_int_equal(res.added, 2);
	char text[128];
	rhi_clock(f, "H1", text, sizeof text);
	assert_string_equal(text, "");
	rhi_clock(f, "H2", text, sizeof text);
	assert_string_equal(text, "running 1793451600 -"); /* 2026-10-31T13:00Z, 72 hours on */

	int64_t h1;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "H1", &h1), MISSING_OK);
	struct missing_episode *e = calloc(1, sizeof *e);
	assert_non_null(e);
	assert_int_equal(missing_get(f->st, h1, e), MISSING_OK);
	assert_string_equal(missing_rhi_status(e, NULL, NOW), "breached");
	/* A later change (the team, then a corrected return still weeks ago) starts no clock. */
	snprintf(e->team, sizeof e->team, "T9");
	e->ended_at -= 3600;
	struct missing_errors me = { .n = 0 };
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_update(f->st, &f->manager, e, &me), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	rhi_clock(f, "H1", text, sizeof text);
	assert_string_equal(text, "");
	/* Its RHI, completed late, starts and stops a clock: a breach on record. */
	struct missing_rhi *r = calloc(1, sizeof *r);
	assert_non_null(r);
	assert_int_equal(missing_rhi_get(f->st, h1, r), MISSING_OK);
	r->offered_at = NOW - 86400;
	r->completed_at = NOW - 3600;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_rhi_put(f->st, &f->manager, h1, r, &me), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	rhi_clock(f, "H1", text, sizeof text);
	assert_string_equal(text, "breached 1793268000 1795518000");

	/* Entered by hand, the same old return keeps its clock, running and overdue. */
	memset(e, 0, sizeof *e);
	e->person_id = f->child->id;
	e->started_at = 1793005200;
	e->reported_at = e->started_at + 3600;
	e->ended_at = 1793012400;
	snprintf(e->missing_from, sizeof e->missing_from, "home");
	snprintf(e->category, sizeof e->category, "M");
	snprintf(e->police_force, sizeof e->police_force, "Northby Police");
	snprintf(e->police_ref, sizeof e->police_ref, "H3");
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_create(f->st, &f->manager, e, NULL), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	rhi_clock(f, "H3", text, sizeof text);
	assert_string_equal(text, "running 1793271600 -");
	free(r);
	free(e);
	import_errors_free(&errs);
	store_set_now(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_time_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_many_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_clocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preload_merged, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
