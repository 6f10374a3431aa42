/* Unit tests for session.c and user.c: password hashing, sign-in, lockout, timeouts, CSRF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <time.h>

#include "session.h"
#include "testdb.h"
#include "user.h"

#define PW "correct-horse-battery-9"
#define T0 1800000000LL

struct fixture {
	char path[64];
	struct store *st;
	struct user u;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->st = testdb_open(f->path);
	if (!f->st)
		return -1;
	store_set_now(T0);
	snprintf(f->u.username, sizeof f->u.username, "pat");
	snprintf(f->u.display_name, sizeof f->u.display_name, "Pat");
	snprintf(f->u.role, sizeof f->u.role, "practitioner");
	char err[128];
	if (user_add(f->st, &f->u, PW, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->st, f->path);
	free(f);
	store_set_now(0);
	return 0;
}

static void test_password_hash(void **state)
{
	(void)state;
	char h[crypto_pwhash_STRBYTES];
	assert_int_equal(user_hash_password(PW, h, sizeof h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_non_null(strstr(h, "m=65536")); /* 64 MiB: above OWASP's 19 MiB */
	assert_true(user_verify_password(h, PW));
	assert_false(user_verify_password(h, "correct-horse-battery-8"));
	assert_false(user_verify_password(NULL, PW));
	char h2[crypto_pwhash_STRBYTES];
	user_hash_password(PW, h2, sizeof h2);
	assert_string_not_equal(h, h2); /* salted */
}

static void test_password_rules(void **state)
{
	(void)state;
	assert_non_null(user_check_password("short"));
	assert_non_null(user_check_password("elevenchars"));
	assert_null(user_check_password("twelve chars"));
	char longpw[300];
	memset(longpw, 'a', sizeof longpw - 1);
	longpw[299] = 0;
	assert_non_null(user_check_password(longpw));
	assert_non_null(user_check_username("A"));
	assert_non_null(user_check_username("Bad Name"));
	assert_null(user_check_username("pat.smith-2"));
}

static void test_user_add_rejects(void **state)
{
	struct fixture *f = *state;
	struct user u;
	char err[128];
	memset(&u, 0, sizeof u);
	snprintf(u.username, sizeof u.username, "pat");
	snprintf(u.display_name, sizeof u.display_name, "Pat");
	snprintf(u.role, sizeof u.role, "practitioner");
	assert_int_equal(user_add(f->st, &u, PW, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "already taken"));
	snprintf(u.username, sizeof u.username, "kim");
	snprintf(u.role, sizeof u.role, "superuser");
	assert_int_equal(user_add(f->st, &u, PW, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "role"));
	snprintf(u.role, sizeof u.role, "analyst");
	assert_int_equal(user_add(f->st, &u, "too short", NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "password"));
}

static void test_signin_and_lookup(void **state)
{
	struct fixture *f = *state;
	struct session s, s2;
	char tok[SESSION_TOKEN_LEN + 1], tok2[SESSION_TOKEN_LEN + 1];
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_OK);
	assert_int_equal(strlen(tok), SESSION_TOKEN_LEN);
	assert_int_equal(session_lookup(f->st, tok, &s2), SESSION_OK);
	assert_string_equal(s2.user.username, "pat");
	assert_true(session_csrf_ok(&s2, s.csrf_token));
	assert_false(session_csrf_ok(&s2, "x"));
	assert_false(session_csrf_ok(&s2, NULL));
	/* A new token on every sign-in. */
	assert_int_equal(session_signin(f->st, "pat", PW, tok2, &s), SESSION_OK);
	assert_string_not_equal(tok, tok2);
	/* Unknown and malformed tokens. */
	assert_int_equal(session_lookup(f->st, NULL, &s2), SESSION_NONE);
	assert_int_equal(session_lookup(f->st, "abc", &s2), SESSION_NONE);
	tok2[0] = tok2[0] == 'A' ? 'B' : 'A';
	assert_int_equal(session_lookup(f->st, tok2, &s2), SESSION_NONE);
	/* Sign-out ends it. */
	assert_int_equal(session_lookup(f->st, tok, &s2), SESSION_OK);
	assert_int_equal(session_signout(f->st, &s2), 0);
	assert_int_equal(session_lookup(f->st, tok, &s2), SESSION_NONE);
}

static void test_idle_timeout(void **state)
{
	struct fixture *f = *state;
	struct session s;
	char tok[SESSION_TOKEN_LEN + 1];
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_OK);
	/* Activity every 29 minutes keeps it alive for hours ... */
	for (int i = 1; i <= 10; i++) {
		store_set_now(T0 + i * 29 * 60);
		assert_int_equal(session_lookup(f->st, tok, &s), SESSION_OK);
	}
	/* ... and 30 minutes and a second of silence ends it. */
	store_set_now(T0 + 10 * 29 * 60 + SESSION_IDLE_SECONDS + 1);
	assert_int_equal(session_lookup(f->st, tok, &s), SESSION_EXPIRED);
	assert_int_equal(session_lookup(f->st, tok, &s), SESSION_NONE);
}

/*
 * A session's last_seen touch never waits for another process's write (a large import holding the
 * lock): the request goes on at once with the touch skipped, and the next request touches.
 */
static void test_touch_skipped_while_locked(void **state)
{
	struct fixture *f = *state;
	struct session s;
	char tok[SESSION_TOKEN_LEN + 1];
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_OK);
	sqlite3 *other;
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_set_now(T0 + 120);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(session_lookup(f->st, tok, &s), SESSION_OK);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 1000);
	assert_int_equal(s.last_seen, T0); /* not touched */
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(session_lookup(f->st, tok, &s), SESSION_OK);
	assert_int_equal(s.last_seen, T0 + 120);
}

static void test_absolute_timeout(void **state)
{
	struct fixture *f = *state;
	struct session s;
	char tok[SESSION_TOKEN_LEN + 1];
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_OK);
	int64_t t = T0;
	while (t + 20 * 60 < T0 + SESSION_ABSOLUTE_SECONDS) {
		t += 20 * 60;
		store_set_now(t);
		assert_int_equal(session_lookup(f->st, tok, &s), SESSION_OK);
	}
	store_set_now(T0 + SESSION_ABSOLUTE_SECONDS);
	assert_int_equal(session_lookup(f->st, tok, &s), SESSION_EXPIRED);
}

static void test_lockout(void **state)
{
	struct fixture *f = *state;
	struct session s;
	char tok[SESSION_TOKEN_LEN + 1];
	for (int i = 0; i < USER_LOCK_FAILURES; i++)
		assert_int_equal(session_signin(f->st, "pat", "wrong-password-123", tok, &s), SESSION_FAILED);
	/* Locked: the right password fails too, for 15 minutes. */
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_FAILED);
	store_set_now(T0 + USER_LOCK_SECONDS - 1);
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_FAILED);
	store_set_now(T0 + USER_LOCK_SECONDS + 1);
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_OK);
	/* Unknown users fail the same way. */
	assert_int_equal(session_signin(f->st, "nobody", PW, tok, &s), SESSION_FAILED);
}

static void test_disable_ends_sessions(void **state)
{
	struct fixture *f = *state;
	struct session s;
	char tok[SESSION_TOKEN_LEN + 1];
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_OK);
	assert_int_equal(user_disable(f->st, "pat", NULL), 0);
	assert_int_equal(session_lookup(f->st, tok, &s), SESSION_NONE);
	assert_int_equal(session_signin(f->st, "pat", PW, tok, &s), SESSION_FAILED);
	assert_int_equal(user_disable(f->st, "nobody", NULL), 1);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test_setup_teardown(test_user_add_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signin_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_touch_skipped_while_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_ends_sessions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
