/*
 * test_config.c - unit tests for config.c (config_admin.h): list names, code syntax, CIN codes,
 * the list rules (duplicates ignoring case, at least one active, codes never disappear, stored
 * extras kept), and against a fresh database the version check, the bank-holiday cap that the
 * calendar imposes, working-day limits, and risk tool versions. Each boundary is tested on both
 * sides. Owns: nothing but its own test cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "config.h"
#include "config_admin.h"
#include "risk.h"
#include "store.h"
#include "store_config_admin.h"
#include "testdb.h"

/* The error fields of v as one string "a,b,c" (into out[cap]); clears v. */
static const char *fields(struct jv *v, char *out, size_t cap)
{
	json_t *e = jv_take(v);
	size_t len = 0;
	out[0] = 0;
	for (size_t i = 0; i < json_array_size(e); i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "",
					json_string_value(json_object_get(json_array_get(e, i), "field")));
	json_decref(e);
	return out;
}

static struct config_code item(const char *code, const char *label, bool active)
{
	struct config_code c;
	memset(&c, 0, sizeof c);
	snprintf(c.code, sizeof c.code, "%s", code);
	snprintf(c.label, sizeof c.label, "%s", label);
	c.active = active;
	return c;
}

/* ---- pure rules ------------------------------------------------------------------------------ */

static void list_names(void **state)
{
	(void)state;
	assert_string_equal(config_list_from_url("strands"), CONFIG_STRAND);
	assert_string_equal(config_list_from_url("referral_sources"), CONFIG_REFERRAL_SOURCE);
	assert_string_equal(config_list_from_url("decision_outcomes"), CONFIG_DECISION_OUTCOME);
	assert_string_equal(config_list_from_url("closure_reasons"), CONFIG_CLOSURE_REASON);
	assert_string_equal(config_list_from_url("meeting_types"), CONFIG_MEETING_TYPE);
	assert_string_equal(config_list_from_url("contact_types"), CONFIG_CONTACT_TYPE);
	assert_string_equal(config_list_from_url("flag_types"), CONFIG_FLAG_TYPE);
	assert_null(config_list_from_url("strand"));
	assert_null(config_list_from_url("Strands"));
	assert_null(config_list_from_url(""));
	assert_null(config_list_from_url(NULL));
	const char *names[8][2];
	assert_int_equal(config_list_names(names, 8), 7);
	assert_string_equal(names[0][1], "strands");
	assert_string_equal(names[6][0], CONFIG_FLAG_TYPE);
	assert_int_equal(config_list_names(names, 2), 7); /* writes 2, still says how many */
}

static void code_syntax(void **state)
{
	(void)state;
	assert_true(config_code_syntax("a"));
	assert_true(config_code_syntax("early_help"));
	assert_true(config_code_syntax("1A"));
	assert_true(config_code_syntax("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	assert_false(config_code_syntax("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_false(config_code_syntax(""));
	assert_false(config_code_syntax(NULL));
	assert_false(config_code_syntax("has space"));
	assert_false(config_code_syntax("dash-code"));
	assert_false(config_code_syntax("caf\xc3\xa9"));
}

static void cin_codes(void **state)
{
	(void)state;
	char out[16];
	assert_true(config_cin_code_normalise("11a", out, sizeof out));
	assert_string_equal(out, "11A");
	assert_true(config_cin_code_normalise("", out, sizeof out));
	assert_string_equal(out, "");
	assert_true(config_cin_code_normalise("ABCD1234", out, sizeof out)); /* 8 */
	assert_false(config_cin_code_normalise("ABCD12345", out, sizeof out)); /* 9 */
	assert_false(config_cin_code_normalise("11-A", out, sizeof out));
	assert_false(config_cin_code_normalise("11A", out, 3)); /* no room for the NUL */
}

static void items_rules(void **state)
{
	(void)state;
	char f[200];
	struct jv v = { 0 };
	struct config_code items[4] = { item("ptac", "PTAC", true), item("mace", "MACE", false),
					item("PTAC", "again", true), item("", "no code", true) };
	config_list_check_items(items, 4, &v);
	assert_string_equal(fields(&v, f, sizeof f), "items[2].code");
	assert_int_equal(items[0].sort, 1);
	assert_int_equal(items[3].sort, 4);

	/* Two items without a code are not duplicates of each other (each has its own error). */
	struct config_code blank[2] = { item("", "a", true), item("", "b", true) };
	config_list_check_items(blank, 2, &v);
	assert_false(jv_failed(&v));

	struct config_code retired[2] = { item("a", "A", false), item("b", "B", false) };
	config_list_check_items(retired, 2, &v);
	assert_string_equal(fields(&v, f, sizeof f), "items");
	config_list_check_items(retired, 0, &v);
	assert_string_equal(fields(&v, f, sizeof f), "items");
	retired[1].active = true;
	config_list_check_items(retired, 2, &v);
	assert_false(jv_failed(&v));
}

static void existing_rules(void **state)
{
	(void)state;
	struct config_code existing[3] = { item("allocate", "Allocate", true), item("nfa", "NFA", true),
					   item("onward", "Onward", true) };
	snprintf(existing[0].extra, sizeof existing[0].extra, "%s", CONFIG_OPENS_CASE);
	struct jv v = { 0 };
	struct config_code items[3] = { item("allocate", "Allocate to the hub", true), item("nfa", "NFA", false),
					item("new_one", "New", true) };
	config_list_check_existing(existing, 3, items, 3, &v);
	json_t *e = jv_take(&v);
	assert_int_equal(json_array_size(e), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "field")), "items");
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(e, 0), "message")), "missing onward"));
	json_decref(e);
	/* The stored extra is kept when not given; a new code gets none; a given one stays. */
	assert_string_equal(items[0].extra, CONFIG_OPENS_CASE);
	assert_string_equal(items[2].extra, "");
	struct config_code given[3] = { item("allocate", "A", true), item("nfa", "N", true), item("onward", "O", true) };
	given[0].extra_given = true; /* opens_case: false */
	config_list_check_existing(existing, 3, given, 3, &v);
	assert_false(jv_failed(&v));
	assert_string_equal(given[0].extra, "");

	/* Codes match exactly: "NFA" is not "nfa". */
	struct config_code upper[3] = { item("allocate", "A", true), item("NFA", "N", true), item("onward", "O", true) };
	config_list_check_existing(existing, 3, upper, 3, &v);
	assert_true(jv_failed(&v));
	json_decref(jv_take(&v));

	/* More than ten missing: ten are named, then "...". */
	struct config_code many[12];
	for (int i = 0; i < 12; i++) {
		char code[16];
		snprintf(code, sizeof code, "c%d", i);
		many[i] = item(code, "x", true);
	}
	struct config_code one = item("z", "z", true);
	config_list_check_existing(many, 12, &one, 1, &v);
	e = jv_take(&v);
	const char *msg = json_string_value(json_object_get(json_array_get(e, 0), "message"));
	assert_non_null(strstr(msg, "c9, ..."));
	assert_null(strstr(msg, "c10"));
	json_decref(e);
}

/* ---- against a database ---------------------------------------------------------------------- */

static const struct user admin = { .id = 0, .username = "unit", .role = "admin" };

static void list_replace_versions(void **state)
{
	(void)state;
	char path[64], f[200];
	struct store *st = testdb_open(path);
	assert_non_null(st);
	struct config_code *codes = NULL;
	size_t n = 0;
	assert_int_equal(store_config_codes(st, CONFIG_MEETING_TYPE, &codes, &n), 0);
	assert_int_equal(n, 7); /* the six of 002 and repeat_missing of 004 */
	int64_t version, next = 0;
	assert_int_equal(store_config_version(st, &version), 0);
	struct jv v = { 0 };

	assert_int_equal(store_begin(st, true), 0);
	assert_int_equal(config_list_replace(st, &admin, CONFIG_MEETING_TYPE, version + 1, codes, n, &v, &next),
			 CONFIG_STALE);
	assert_int_equal(config_list_replace(st, &admin, CONFIG_MEETING_TYPE, version, codes, n - 1, &v, &next),
			 CONFIG_INVALID);
	assert_string_equal(fields(&v, f, sizeof f), "items");
	codes[5].active = false;
	config_list_check_items(codes, n, &v);
	assert_int_equal(config_list_replace(st, &admin, CONFIG_MEETING_TYPE, version, codes, n, &v, &next), CONFIG_OK);
	assert_int_equal(next, version + 1);
	assert_int_equal(store_commit(st), 0);
	free(codes);

	assert_false(config_code_active(st, CONFIG_MEETING_TYPE, "professionals"));
	assert_true(config_code_active(st, CONFIG_MEETING_TYPE, "ptac"));
	assert_true(config_outcome_opens_case(st, "allocate"));
	testdb_close(st, path);
}

static void standard_limits(void **state)
{
	(void)state;
	char path[64], f[200];
	struct store *st = testdb_open(path);
	int64_t version, next = 0;
	assert_int_equal(store_config_version(st, &version), 0);
	struct jv v = { 0 };
	assert_int_equal(store_begin(st, true), 0);
	assert_int_equal(config_standard_update(st, &admin, "nope", version, 1, "days", true, &v, &next),
			 CONFIG_NOT_FOUND);
	assert_int_equal(config_standard_update(st, &admin, "first_ptac", version - 1, 1, "days", true, &v, &next),
			 CONFIG_STALE);
	assert_int_equal(config_standard_update(st, &admin, "first_ptac", version, CALENDAR_MAX_WORKING_DAYS + 1,
						"working_days", true, &v, &next),
			 CONFIG_INVALID);
	assert_string_equal(fields(&v, f, sizeof f), "limit_value");
	/* The same number of hours is fine: only working days are bounded by the calendar. */
	assert_int_equal(config_standard_update(st, &admin, "first_ptac", version, CALENDAR_MAX_WORKING_DAYS + 1,
						"hours", true, &v, &next),
			 CONFIG_OK);
	assert_int_equal(config_standard_update(st, &admin, "first_ptac", next, CALENDAR_MAX_WORKING_DAYS,
						"working_days", false, &v, &next),
			 CONFIG_OK);
	assert_int_equal(next, version + 2);
	assert_int_equal(store_commit(st), 0);
	struct config_standard s;
	assert_int_equal(store_config_standard_get(st, "first_ptac", &s), 0);
	assert_int_equal(s.limit_value, CALENDAR_MAX_WORKING_DAYS);
	assert_string_equal(s.limit_unit, "working_days");
	assert_false(s.active);
	testdb_close(st, path);
}

static void holidays_cap(void **state)
{
	(void)state;
	char path[64];
	struct store *st = testdb_open(path);
	int64_t count;
	assert_int_equal(store_config_holiday_count(st, &count), 0);
	assert_true(count > 100 && count < CALENDAR_MAX_HOLIDAYS);
	assert_int_equal(store_begin(st, true), 0);
	assert_int_equal(config_holiday_add(st, &admin, "2027-12-27", "again"), CONFIG_EXISTS);
	/* Fill the calendar to exactly its size, one day at a time from 2040. */
	struct valid_date d = { .year = 2040, .month = 1, .day = 1 };
	for (; count < CALENDAR_MAX_HOLIDAYS; count++) {
		char date[11];
		valid_format_date(&d, date);
		assert_int_equal(config_holiday_add(st, &admin, date, "filler"), CONFIG_OK);
		calendar_add_days(&d, 1, &d);
	}
	assert_int_equal(config_holiday_add(st, &admin, "2099-01-01", "one too many"), CONFIG_FULL);
	assert_int_equal(config_holiday_delete(st, &admin, "2040-01-01"), CONFIG_OK);
	assert_int_equal(config_holiday_delete(st, &admin, "2040-01-01"), CONFIG_NOT_FOUND);
	assert_int_equal(config_holiday_add(st, &admin, "2099-01-01", "fits now"), CONFIG_OK);
	assert_int_equal(store_commit(st), 0);
	/* Every configured holiday reaches the calendar the clocks use. */
	static struct calendar cal;
	assert_int_equal(store_holidays_load(st, &cal), 0);
	assert_int_equal(cal.count, CALENDAR_MAX_HOLIDAYS);
	struct valid_date last = { .year = 2099, .month = 1, .day = 1 };
	assert_true(calendar_is_holiday(&cal, &last));
	testdb_close(st, path);
}

static void risk_tool_versions(void **state)
{
	(void)state;
	char path[64], f[200];
	struct store *st = testdb_open(path);
	static const char def_text[] =
		"{\"code\": \"tiny\", \"version\": 2, \"name\": \"Tiny\", \"levels\": [\"low\", \"medium\", \"high\"],"
		" \"thresholds\": {\"medium\": 1, \"high\": 2}, \"domains\": [{\"code\": \"d\", \"label\": \"D\","
		" \"indicators\": [{\"code\": \"a\", \"label\": \"A\", \"type\": \"yesno\", \"score\": 2}]}]}";
	struct jv v = { 0 };
	struct risk_tool *t = NULL;
	assert_int_equal(risk_tool_parse_text(def_text, strlen(def_text), &t, &v), RISK_OK);
	int64_t id = 0;
	int retired = -1;
	assert_int_equal(store_begin(st, true), 0);
	assert_int_equal(config_risk_tool_create(st, &admin, t, def_text, &v, &id, &retired), CONFIG_OK);
	assert_true(id > 0);
	assert_int_equal(retired, 0);
	assert_int_equal(config_risk_tool_create(st, &admin, t, def_text, &v, &id, &retired), CONFIG_EXISTS);
	t->version = 1;
	assert_int_equal(config_risk_tool_create(st, &admin, t, def_text, &v, &id, &retired), CONFIG_INVALID);
	assert_string_equal(fields(&v, f, sizeof f), "version");
	t->version = 3;
	assert_int_equal(config_risk_tool_create(st, &admin, t, def_text, &v, &id, &retired), CONFIG_OK);
	assert_int_equal(retired, 1);
	assert_int_equal(store_commit(st), 0);
	struct config_risk_tool *tools = NULL;
	size_t n = 0;
	assert_int_equal(store_config_risk_tools(st, &tools, &n), 0);
	int active = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(tools[i].code, "tiny") == 0)
			active += tools[i].active ? tools[i].version : 0;
	assert_int_equal(active, 3); /* only version 3 is active */
	free(tools);
	risk_tool_free(t);
	testdb_close(st, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_names),
		cmocka_unit_test(code_syntax),
		cmocka_unit_test(cin_codes),
		cmocka_unit_test(items_rules),
		cmocka_unit_test(existing_rules),
		cmocka_unit_test(list_replace_versions),
		cmocka_unit_test(standard_limits),
		cmocka_unit_test(holidays_cap),
		cmocka_unit_test(risk_tool_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
