/*
 * Unit tests for merge.c and store_merge.c: rewriting and restoring person-id lists (found_with),
 * the schema check that every column referring to persons is known to the merge (it fails when a
 * migration adds one), and a merge and an unmerge on a real store, including a person flag whose
 * kind the survivor already has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "merge.h"
#include "person.h"
#include "store_merge.h"
#include "testchild.h"

static void assert_ids(const int64_t *got, size_t n, const int64_t *want, size_t nw)
{
	assert_int_equal(n, nw);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void test_rewrite(void **state)
{
	(void)state;
	int64_t out[8];
	const int64_t plain[] = { 3, 7, 9 };
	assert_ids(out, merge_ids_rewrite(plain, 3, 7, 5, out), (const int64_t[]){ 3, 5, 9 }, 3);
	/* The survivor already listed: kept once, at its first place. */
	const int64_t both[] = { 7, 3, 5 };
	assert_ids(out, merge_ids_rewrite(both, 3, 7, 5, out), (const int64_t[]){ 5, 3 }, 2);
	const int64_t none[] = { 1, 2 };
	assert_ids(out, merge_ids_rewrite(none, 2, 7, 5, out), (const int64_t[]){ 1, 2 }, 2);
	assert_int_equal(merge_ids_rewrite(NULL, 0, 7, 5, out), 0);
}

static void test_restore(void **state)
{
	(void)state;
	int64_t out[8];
	/* Untouched since the merge: exactly as before, order and duplicates included. */
	const int64_t before1[] = { 3, 7, 9 }, after1[] = { 3, 5, 9 };
	assert_ids(out, merge_ids_restore(after1, 3, before1, 3, 7, 5, out), before1, 3);
	const int64_t before2[] = { 7, 3, 5 }, after2[] = { 5, 3 };
	assert_ids(out, merge_ids_restore(after2, 2, before2, 3, 7, 5, out), before2, 3);
	/* Changed since: the change is kept and only the merged id put back. */
	const int64_t changed1[] = { 3, 5, 9, 11 };
	assert_ids(out, merge_ids_restore(changed1, 4, before1, 3, 7, 5, out), (const int64_t[]){ 3, 7, 9, 11 }, 4);
	const int64_t changed2[] = { 5, 3, 11 };
	assert_ids(out, merge_ids_restore(changed2, 3, before2, 3, 7, 5, out), (const int64_t[]){ 5, 3, 11, 7 }, 4);
	/* The survivor taken off the list by hand: nothing to put back. */
	const int64_t removed[] = { 3, 9 };
	assert_ids(out, merge_ids_restore(removed, 2, before1, 3, 7, 5, out), removed, 2);
	/* The merged id already there again: left alone. */
	const int64_t again[] = { 7, 5 };
	assert_ids(out, merge_ids_restore(again, 2, before1, 3, 7, 5, out), again, 2);
}

/* A second connection to the fixture's database, for what the store's API does not do. */
static sqlite3 *raw(struct fixture *f)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void test_schema_check(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = raw(f);
	char what[160];
	assert_int_equal(store_merge_check(f->st, what, sizeof what), 0);
	/* A later migration adding a reference to persons that the merge does not move is caught. */
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE school_records (id INTEGER PRIMARY KEY,"
				      " pupil_id INTEGER REFERENCES persons(id))",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_merge_check(f->st, what, sizeof what), STORE_CONFLICT);
	assert_string_equal(what, "school_records.pupil_id");
	assert_int_equal(sqlite3_exec(db, "DROP TABLE school_records", NULL, NULL, NULL), SQLITE_OK);
	/* So is a column added to assessments that the copy statement would drop. */
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE assessments ADD COLUMN extra TEXT", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_merge_check(f->st, what, sizeof what), STORE_CONFLICT);
	sqlite3_close(db);
}

/* A second person stored through person_create. */
static struct person *another(struct fixture *f, const char *given)
{
	struct person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "%s", given);
	snprintf(p->family_name, sizeof p->family_name, "Child");
	snprintf(p->sex, sizeof p->sex, "female");
	char err[64];
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(person_create(f->st, &f->manager, p, err, sizeof err), PERSON_OK);
	assert_int_equal(store_commit(f->st), 0);
	return p;
}

static int64_t scalar(struct fixture *f, const char *sql)
{
	sqlite3 *db = raw(f);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void exec_sql(struct fixture *f, const char *sql)
{
	sqlite3 *db = raw(f);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", sql, err ? err : "");
	sqlite3_free(err);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
}

static void test_merge_and_undo(void **state)
{
	struct fixture *f = *state;
	struct person *b = another(f, "Bee");
	int64_t a_id = f->child->id, b_id = b->id;
	char sql[512];
	/* Both have an active repeat_missing flag; B also a removed one. */
	snprintf(sql, sizeof sql,
		 "INSERT INTO person_flags(person_id, kind, set_at, created_by) VALUES (%lld, 'repeat_missing', 1, 1),"
		 " (%lld, 'repeat_missing', 2, 1); INSERT INTO person_flags(person_id, kind, set_at, removed_at, created_by)"
		 " VALUES (%lld, 'repeat_missing', 0, 1, 1)",
		 (long long)a_id, (long long)b_id, (long long)b_id);
	exec_sql(f, sql);
	struct merge_record *m = calloc(1, sizeof *m);
	assert_non_null(m);
	int64_t denied = 0;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(merge_persons(f->st, &f->manager, a_id, b_id, f->child->version, "Same child.", m, &denied),
			 MERGE_OK);
	assert_int_equal(store_commit(f->st), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM person_flags WHERE person_id = %lld", (long long)b_id);
	assert_int_equal(scalar(f, sql), 1); /* the active flag of a kind A has stays with B */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM person_flags WHERE person_id = %lld", (long long)a_id);
	assert_int_equal(scalar(f, sql), 2);
	/* A merge of the merged person, or into it, or a second unmerge: refused, nothing changed. */
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(merge_persons(f->st, &f->manager, a_id, b_id, f->child->version + 1, "Again.", m, &denied),
			 MERGE_ALREADY_MERGED);
	store_rollback(f->st);
	assert_int_equal(store_begin(f->st, true), 0);
	int64_t merge_id = m->id;
	assert_int_equal(merge_undo(f->st, &f->manager, a_id, merge_id, m, &denied), MERGE_OK);
	assert_int_equal(m->restored, 1);
	assert_int_equal(m->left, 0);
	assert_int_equal(store_commit(f->st), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM person_flags WHERE person_id = %lld", (long long)b_id);
	assert_int_equal(scalar(f, sql), 2);
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(merge_undo(f->st, &f->manager, b_id, merge_id, m, &denied), MERGE_UNDONE);
	store_rollback(f->st);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action IN ('person.merge', 'person.unmerge')");
	assert_int_equal(scalar(f, sql), 4);
	free(m);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_restore),
		cmocka_unit_test_setup_teardown(test_schema_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_and_undo, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
