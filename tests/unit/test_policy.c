/* Unit tests for policy.c: the role x permission table, deny by default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy.h"

static void test_public_needs_nothing(void **state)
{
	(void)state;
	assert_true(policy_allows(NULL, PERM_PUBLIC));
	assert_true(policy_allows("nobody", PERM_PUBLIC));
}

static void test_unknown_role_gets_nothing(void **state)
{
	(void)state;
	for (int p = PERM_SIGNED_IN; p < PERM_COUNT; p++) {
		assert_false(policy_allows("root", (enum perm)p));
		assert_false(policy_allows("", (enum perm)p));
		assert_false(policy_allows(NULL, (enum perm)p));
		assert_false(policy_allows("Admin", (enum perm)p)); /* case matters */
	}
	assert_false(policy_allows("admin", PERM_COUNT));
	assert_false(policy_allows("admin", (enum perm)-1));
}

static void test_table(void **state)
{
	(void)state;
	/* The expected table, written out independently of policy.c. */
	static const struct {
		const char *role;
		bool signed_in, person_read, person_write, audit_read, user_admin;
		bool config_read, config_admin, referral_write, referral_decide, case_read, case_write, case_manage,
			daily;
		/* issues 4 and 5 */
		bool missing_read, missing_write, missing_reopen, dash_missing, import, export, merge, review;
	} want[] = {
		{ "admin", true, false, false, true, true, true, true, false, false, false, false, false, false,
		  false, false, false, false, false, false, false, false },
		{ "manager", true, true, true, false, false, true, false, true, true, true, true, true, true,
		  true, true, true, true, true, true, true, true },
		{ "practitioner", true, true, true, false, false, true, false, true, false, true, true, false, true,
		  true, true, false, true, false, false, false, true },
		{ "analyst", true, true, false, false, false, true, false, false, false, true, false, false, false,
		  true, false, false, true, false, true, false, false },
		{ "police_intel", true, true, true, false, false, true, false, true, false, true, false, false, true,
		  true, true, false, true, true, false, false, true },
		{ "board", true, false, false, false, false, true, false, false, false, false, false, false, false,
		  false, false, false, false, false, false, false, false },
	};
	assert_int_equal(policy_role_count, 6);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_true(policy_role_known(want[i].role));
		assert_int_equal(policy_allows(want[i].role, PERM_SIGNED_IN), want[i].signed_in);
		assert_int_equal(policy_allows(want[i].role, PERM_PERSON_READ), want[i].person_read);
		assert_int_equal(policy_allows(want[i].role, PERM_PERSON_WRITE), want[i].person_write);
		assert_int_equal(policy_allows(want[i].role, PERM_AUDIT_READ), want[i].audit_read);
		assert_int_equal(policy_allows(want[i].role, PERM_USER_ADMIN), want[i].user_admin);
		assert_int_equal(policy_allows(want[i].role, PERM_CONFIG_READ), want[i].config_read);
		assert_int_equal(policy_allows(want[i].role, PERM_CONFIG_ADMIN), want[i].config_admin);
		assert_int_equal(policy_allows(want[i].role, PERM_REFERRAL_WRITE), want[i].referral_write);
		assert_int_equal(policy_allows(want[i].role, PERM_REFERRAL_DECIDE), want[i].referral_decide);
		assert_int_equal(policy_allows(want[i].role, PERM_CASE_READ), want[i].case_read);
		assert_int_equal(policy_allows(want[i].role, PERM_CASE_WRITE), want[i].case_write);
		assert_int_equal(policy_allows(want[i].role, PERM_CASE_MANAGE), want[i].case_manage);
		assert_int_equal(policy_allows(want[i].role, PERM_DASHBOARD_DAILY), want[i].daily);
		assert_int_equal(policy_allows(want[i].role, PERM_MISSING_READ), want[i].missing_read);
		assert_int_equal(policy_allows(want[i].role, PERM_MISSING_WRITE), want[i].missing_write);
		assert_int_equal(policy_allows(want[i].role, PERM_MISSING_REOPEN), want[i].missing_reopen);
		assert_int_equal(policy_allows(want[i].role, PERM_DASHBOARD_MISSING), want[i].dash_missing);
		assert_int_equal(policy_allows(want[i].role, PERM_IMPORT_RUN), want[i].import);
		assert_int_equal(policy_allows(want[i].role, PERM_EXPORT_RUN), want[i].export);
		assert_int_equal(policy_allows(want[i].role, PERM_PERSON_MERGE), want[i].merge);
		assert_int_equal(policy_allows(want[i].role, PERM_MATCH_REVIEW), want[i].review);
	}
	/* Every permission is in the table: a new one must be added to this test. */
	assert_int_equal(PERM_COUNT, 22);
}

static void test_writers_can_read(void **state)
{
	(void)state;
	/* Whoever may change a person may also read one. */
	for (int i = 0; i < policy_role_count; i++)
		if (policy_allows(policy_roles[i].code, PERM_PERSON_WRITE))
			assert_true(policy_allows(policy_roles[i].code, PERM_PERSON_READ));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(policy_perm_name(PERM_PERSON_READ), "person.read");
	assert_string_equal(policy_perm_name(PERM_COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_needs_nothing), cmocka_unit_test(test_unknown_role_gets_nothing),
		cmocka_unit_test(test_table), cmocka_unit_test(test_writers_can_read), cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
