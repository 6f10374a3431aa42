/*
 * Unit tests for assessment.c on a real store: the age floor judged on the day of the assessment
 * (the same answers the day before and after a 14th birthday), the parsed tool reused from the
 * cache, and unknown and inactive tools and unknown indicators refused with the field named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "assessment.h"
#include "person.h"
#include "testchild.h"

/* Collects the final level of an assessment. */
static int keep_level(void *ctx, const struct assessment *a)
{
	snprintf(ctx, 8, "%s", a->final_level);
	return 0;
}

/* Run SQL on the fixture's database from a connection of its own. */
static void exec_sql(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static enum assessment_status assess(struct fixture *f, int64_t tool, int64_t at, const char *answers,
				     struct jv *v, int64_t *id)
{
	struct assessment_input *in = calloc(1, sizeof *in);
	assert_non_null(in);
	in->person_id = f->child->id;
	in->tool_id = tool;
	in->answers = json_loads(answers, 0, NULL);
	in->assessed_at = at;
	assert_int_equal(store_begin(f->st, true), 0);
	enum assessment_status s = assessment_create(f->st, &f->manager, in, v, id);
	if (s == ASSESSMENT_OK)
		assert_int_equal(store_commit(f->st), 0);
	else
		store_rollback(f->st);
	json_decref(in->answers);
	free(in);
	return s;
}

/* 2026-06-01 12:00 UTC: the day before the child's 14th birthday; and two days later. */
#define DAY_BEFORE_14 1780315200
#define DAY_AFTER_14 (DAY_BEFORE_14 + 2 * 86400)

static void test_assessment_age_on_the_day(void **state)
{
	struct fixture *f = *state;
	struct jv v = { 0 };
	int64_t id = 0;
	char level[8];
	assert_int_equal(assess(f, 1, DAY_BEFORE_14, "{}", &v, &id), ASSESSMENT_OK);
	assert_int_equal(assessment_get(f->st, id, keep_level, level), 0);
	assert_string_equal(level, "medium");
	/* Again with the same tool (now from the cache), after the birthday. */
	assert_int_equal(assess(f, 1, DAY_AFTER_14, "{}", &v, &id), ASSESSMENT_OK);
	assert_int_equal(assessment_get(f->st, id, keep_level, level), 0);
	assert_string_equal(level, "low");
	assert_false(jv_failed(&v));
	assert_int_equal(assessment_get(f->st, 999999, keep_level, level), STORE_NOTFOUND);
}

static void test_assessment_refusals(void **state)
{
	struct fixture *f = *state;
	struct jv v = { 0 };
	int64_t id = 0;
	assert_int_equal(assess(f, 4242, DAY_AFTER_14, "{}", &v, &id), ASSESSMENT_INVALID);
	json_t *e = jv_take(&v);
	assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "field")), "tool_id");
	json_decref(e);
	exec_sql(f, "UPDATE risk_tools SET active = 0 WHERE id = 1");
	assert_int_equal(assess(f, 1, DAY_AFTER_14, "{}", &v, &id), ASSESSMENT_INVALID);
	e = jv_take(&v);
	assert_int_equal(json_array_size(e), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "field")), "tool_id");
	json_decref(e);
	exec_sql(f, "UPDATE risk_tools SET active = 1 WHERE id = 1");
	assert_int_equal(assess(f, 1, DAY_AFTER_14, "{\"nope\": true}", &v, &id), ASSESSMENT_INVALID);
	e = jv_take(&v);
	assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "field")), "answers.nope");
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_assessment_age_on_the_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assessment_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
