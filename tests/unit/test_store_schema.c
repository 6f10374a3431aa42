/*
 * Unit tests for the schema's shape where it decides speed (sql/007, sql/008): the hot writes
 * build no temporary b-tree for a CHECK, the rewritten CHECKs still refuse what they refused, and
 * the import's pending-review question is answered from an index; and the integrity check a
 * backup runs finds a reference to a row that is not there (a large import writes without
 * SQLite's foreign-key checks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <string.h>

#include "testdb.h"

struct fixture {
	char path[64];
	struct store *st;
	sqlite3 *db;  /* a plain connection: no foreign keys, so rows need no parents */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->st = testdb_open(f->path);
	if (!f->st || sqlite3_open(f->path, &f->db) != SQLITE_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sqlite3_close(f->db);
	testdb_close(f->st, f->path);
	free(f);
	return 0;
}

/* How many OpenEphemeral opcodes the program of sql has. */
static int ephemeral_tables(sqlite3 *db, const char *sql)
{
	char explain[2048];
	snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, explain, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		return -1;
	}
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		n += strcmp((const char *)sqlite3_column_text(s, 1), "OpenEphemeral") == 0;
	sqlite3_finalize(s);
	return n;
}

static const char INSERT_EPISODE[] =
	"INSERT INTO missing_episodes(person_id, started_at, reported_at, missing_from, category, out_of_area,"
	" rhi_by, grade_latest, grade_highest, created_at, created_by, updated_at, updated_by)"
	" VALUES (1, 1, 1, ?1, 'M', ?2, 'us', ?3, ?3, 1, 1, 1, 1)";

/* The writes an import or a busy day makes row by row: none builds a temporary table. */
static void test_hot_writes_build_no_temporary_table(void **state)
{
	struct fixture *f = *state;
	const char *sql[] = {
		INSERT_EPISODE,
		"UPDATE missing_episodes SET missing_from = ?1, out_of_area = ?2, grade_latest = ?3, grade_highest = ?3"
		" WHERE id = ?4",
		"INSERT INTO missing_gradings(episode_id, grade, graded_at, created_at, created_by) VALUES (1, ?1, 1, 1, 1)",
		"INSERT INTO clocks(standard, subject_type, subject_id, started_at, due_at, status)"
		" VALUES ('rhi', 'missing_episode', 1, 1, 2, 'running')",
		"UPDATE clocks SET status = ?1 WHERE id = ?2",
		"INSERT INTO match_reviews(kind, row_number, row_data, candidates, status, created_at)"
		" VALUES ('missing', 1, '{}', '[]', 'pending', 1)",
		"UPDATE match_reviews SET status = ?1 WHERE id = ?2",
		"UPDATE cases SET risk_level = ?1, opening_risk = ?1, closure_risk = ?1 WHERE id = ?2",
		"UPDATE users SET role = ?1 WHERE id = ?2",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		int n = ephemeral_tables(f->db, sql[i]);
		if (n != 0)
			fprintf(stderr, "builds %d temporary table(s): %s\n", n, sql[i]);
		assert_int_equal(n, 0);
	}
}

/* Insert an episode with these values: the SQLite result code. */
static int episode(sqlite3 *db, const char *missing_from, const char *out_of_area, const char *grade)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, INSERT_EPISODE, -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, missing_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, out_of_area, -1, SQLITE_STATIC);
	if (grade)
		sqlite3_bind_text(s, 3, grade, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc;
}

static int exec_rc(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* The rewritten CHECKs allow exactly what the IN lists allowed, NULL included. */
static void test_checks_refuse_what_they_refused(void **state)
{
	struct fixture *f = *state;
	sqlite3_extended_result_codes(f->db, 1);
	assert_int_equal(episode(f->db, "care", "placed_here", "high"), SQLITE_DONE);
	assert_int_equal(episode(f->db, "home", "", NULL), SQLITE_DONE);  /* never graded: NULL passes */
	assert_int_equal(episode(f->db, "school", "", "low"), SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(episode(f->db, "home", "placed_nowhere", "low"), SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(episode(f->db, "home", "", "severe"), SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(episode(f->db, "Home", "", "low"), SQLITE_CONSTRAINT_CHECK);  /* case matters, as before */
	assert_int_equal(exec_rc(f->db, "INSERT INTO missing_gradings(episode_id, grade, graded_at, created_at,"
					" created_by) VALUES (1, 'extreme', 1, 1, 1)"),
			 SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(exec_rc(f->db, "INSERT INTO missing_gradings(episode_id, grade, graded_at, created_at,"
					" created_by) VALUES (1, 'medium', 1, 1, 1)"),
			 SQLITE_OK);
	assert_int_equal(exec_rc(f->db, "INSERT INTO clocks(standard, subject_type, subject_id, started_at, due_at,"
					" status) VALUES ('rhi', 'missing_episode', 1, 1, 2, 'paused')"),
			 SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(exec_rc(f->db, "INSERT INTO match_reviews(kind, row_number, row_data, candidates, status,"
					" created_at) VALUES ('missing', 1, '{}', '[]', 'maybe', 1)"),
			 SQLITE_CONSTRAINT_CHECK);
	struct user u;
	assert_int_equal(testdb_user(f->st, "checked", "analyst", &u), 0);
	assert_int_equal(exec_rc(f->db, "UPDATE users SET role = 'superuser'"), SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(exec_rc(f->db, "UPDATE users SET role = 'board'"), SQLITE_OK);
	/* The schema's text says so too: no IN list of three values or more is left on these tables. */
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(f->db,
					    "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN"
					    " ('missing_episodes', 'missing_gradings', 'clocks', 'match_reviews', 'users',"
					    " 'cases', 'referrals', 'assessments', 'practice_standards')",
					    -1, &s, NULL),
			 SQLITE_OK);
	int tables = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		tables++;
		for (const char *p = (const char *)sqlite3_column_text(s, 1); (p = strstr(p, " IN (")) != NULL; p++) {
			int commas = 0;
			for (const char *q = p + 5; *q && *q != ')'; q++)
				commas += *q == ',';
			if (commas >= 2)
				fprintf(stderr, "%s still has %.60s\n", (const char *)sqlite3_column_text(s, 0), p);
			assert_true(commas < 2);
		}
	}
	sqlite3_finalize(s);
	assert_int_equal(tables, 9);
}

/* An import's "is this row already pending review?" reads the pending-key index, not every review. */
static void test_pending_review_question_uses_its_index(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(f->db,
					    "EXPLAIN QUERY PLAN SELECT 1 FROM match_reviews WHERE status = 'pending'"
					    " AND kind = ?1 AND row_key = ?2 || char(31) || ?3 LIMIT 1",
					    -1, &s, NULL),
			 SQLITE_OK);
	bool indexed = false;
	while (sqlite3_step(s) == SQLITE_ROW)
		indexed |= strstr((const char *)sqlite3_column_text(s, 3), "match_reviews_pending_key (kind=? AND row_key=?)") !=
			   NULL;
	sqlite3_finalize(s);
	assert_true(indexed);
}

static void test_integrity_finds_a_dangling_reference(void **state)
{
	struct fixture *f = *state;
	char msg[256];
	assert_int_equal(store_integrity(f->st, msg, sizeof msg), 0);
	assert_int_equal(sqlite3_exec(f->db,
				      "INSERT INTO missing_gradings(episode_id, grade, graded_at, created_at, created_by)"
				      " VALUES (424242, 'low', 1, 1, 1)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_integrity(f->st, msg, sizeof msg), -1);
	/* The grading's episode (and its user: this database has none) are not there. */
	assert_non_null(strstr(msg, "row 1 of missing_gradings refers to a "));
	assert_non_null(strstr(msg, " row that does not exist"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hot_writes_build_no_temporary_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks_refuse_what_they_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_review_question_uses_its_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_integrity_finds_a_dangling_reference, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
