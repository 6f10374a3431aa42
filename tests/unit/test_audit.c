/* Unit tests for audit.c: the hash chain, its verifier, the group-commit writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>

#include "audit.h"
#include "testdb.h"

static void add(struct store *st, const char *action, int64_t id)
{
	struct audit_entry e;
	audit_fill(&e, NULL, action, "person", id, "ok", "");
	assert_int_equal(audit_record_now(st, &e), 0);
}

/* Run SQL on the database file behind the audit triggers' back (as an attacker would). */
static void tamper(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;", NULL, NULL, &msg);
	sqlite3_free(msg);
	assert_int_equal(rc, SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "tamper: %s\n", msg);
	sqlite3_free(msg);
	assert_int_equal(rc, SQLITE_OK);
	sqlite3_close(db);
}

static int64_t verify(struct store *st, int64_t *bad)
{
	char why[256];
	return audit_verify(st, bad, why, sizeof why);
}

static void test_hash_is_stable_and_covers_fields(void **state)
{
	(void)state;
	struct audit_entry e;
	memset(&e, 0, sizeof e);
	e.seq = 1;
	e.at = 1700000000;
	snprintf(e.action, sizeof e.action, "person.view");
	snprintf(e.outcome, sizeof e.outcome, "ok");
	memset(e.prev_hash, '0', 64);
	char h1[65], h2[65];
	audit_hash(&e, h1);
	audit_hash(&e, h2);
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), 64);
	/* Each field changes the hash, and field boundaries matter ("ab"+"c" != "a"+"bc"). */
	snprintf(e.username, sizeof e.username, "ab");
	snprintf(e.role, sizeof e.role, "c");
	audit_hash(&e, h1);
	snprintf(e.username, sizeof e.username, "a");
	snprintf(e.role, sizeof e.role, "bc");
	audit_hash(&e, h2);
	assert_string_not_equal(h1, h2);
	e.at++;
	audit_hash(&e, h1);
	assert_string_not_equal(h1, h2);
}

static void test_untouched_chain_verifies(void **state)
{
	(void)state;
	char path[64];
	struct store *st = testdb_open(path);
	assert_non_null(st);
	int64_t bad;
	assert_int_equal(verify(st, &bad), 0);
	for (int i = 1; i <= 10; i++)
		add(st, "person.view", i);
	assert_int_equal(verify(st, &bad), 10);
	testdb_close(st, path);
}

static void test_triggers_refuse_update_and_delete(void **state)
{
	(void)state;
	char path[64];
	struct store *st = testdb_open(path);
	add(st, "person.view", 1);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET username = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_head", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	int64_t bad;
	assert_int_equal(verify(st, &bad), 1);
	testdb_close(st, path);
}

/* Build a chain of 10, tamper with it, and expect the first bad seq. */
static void expect_bad(const char *sql, int64_t want_bad)
{
	char path[64];
	struct store *st = testdb_open(path);
	for (int i = 1; i <= 10; i++)
		add(st, "person.view", i);
	store_close(st);
	tamper(path, sql);
	char err[256];
	st = store_open(path, false, err, sizeof err);
	assert_non_null(st);
	int64_t bad = 0;
	assert_int_equal(verify(st, &bad), -1);
	assert_int_equal(bad, want_bad);
	testdb_close(st, path);
}

static void test_edit_caught(void **state)
{
	(void)state;
	expect_bad("UPDATE audit SET username = 'mallory' WHERE seq = 4", 4);
	expect_bad("UPDATE audit SET at = at + 1 WHERE seq = 1", 1);
}

static void test_delete_caught(void **state)
{
	(void)state;
	expect_bad("DELETE FROM audit WHERE seq = 6", 6);
	expect_bad("DELETE FROM audit WHERE seq = 1", 1);
}

static void test_reorder_caught(void **state)
{
	(void)state;
	expect_bad("UPDATE audit SET seq = -3 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 7;"
		   " UPDATE audit SET seq = 7 WHERE seq = -3",
		   3);
}

static void test_truncation_caught(void **state)
{
	(void)state;
	/* The tail is cut: the table alone still chains, but the head outside it knows better. */
	expect_bad("DELETE FROM audit WHERE seq > 8", 9);
	/* Cutting the tail and rewinding the head needs the head's hash too: a forged head is caught. */
	expect_bad("DELETE FROM audit WHERE seq > 8; UPDATE audit_head SET seq = 8", 9);
}

static int done_count;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_done(void *arg, bool ok)
{
	(void)arg;
	assert_true(ok);
	pthread_mutex_lock(&done_lock);
	done_count++;
	pthread_mutex_unlock(&done_lock);
}

static void test_group_commit_writer(void **state)
{
	(void)state;
	char path[64];
	struct store *st = testdb_open(path);
	assert_int_equal(audit_writer_start(path), 0);
	struct audit_entry e;
	for (int i = 1; i <= 500; i++) {
		audit_fill(&e, NULL, "person.view", "person", i, "ok", "");
		assert_int_equal(audit_view(st, &e, on_done, NULL), 0);
	}
	audit_writer_stop(); /* flushes what is queued */
	assert_int_equal(done_count, 500);
	int64_t bad;
	assert_int_equal(verify(st, &bad), 500);
	testdb_close(st, path);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_stable_and_covers_fields),
		cmocka_unit_test(test_untouched_chain_verifies),
		cmocka_unit_test(test_triggers_refuse_update_and_delete),
		cmocka_unit_test(test_edit_caught),
		cmocka_unit_test(test_delete_caught),
		cmocka_unit_test(test_reorder_caught),
		cmocka_unit_test(test_truncation_caught),
		cmocka_unit_test(test_group_commit_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
