/*
 * test_dashboard.c - unit tests for dashboard.c, the pure rules of the daily tasking list and
 * the person's story: the local day (GMT and BST), 17 years 6 months (month-end clamping, leap
 * days), which young people are listed for a transition plan, hours left and days since, UI
 * links, note excerpts cut at a character boundary, and the timeline's newest-first order.
 * Owns: nothing but its own test cases. Must not touch: the store, HTTP, files, TZ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dashboard.h"
#include "valid.h"

/* The UTC seconds of an RFC 3339 time (fails the test when it does not parse). */
static int64_t at(const char *rfc3339)
{
	int64_t t = 0;
	assert_true(valid_parse_time(rfc3339, &t));
	return t;
}

static void local_day_in_gmt_and_bst(void **state)
{
	(void)state;
	struct dashboard_day d;
	/* Winter: local = UTC. */
	dashboard_day_at(at("2027-01-15T10:00:00Z"), &d);
	assert_string_equal(d.today, "2027-01-15");
	assert_int_equal(d.end_of_today, at("2027-01-15T23:59:59Z"));
	assert_int_equal(d.not_seen_before, at("2027-01-08T10:00:00Z"));
	assert_string_equal(d.horizon, "2027-02-14");
	/* Summer: 23:30 UTC is already tomorrow in London, whose day ends at 22:59:59 UTC. */
	dashboard_day_at(at("2026-07-01T23:30:00Z"), &d);
	assert_string_equal(d.today, "2026-07-02");
	assert_int_equal(d.end_of_today, at("2026-07-02T23:59:59+01:00"));
	/* The day the clocks go back is 25 hours long. */
	dashboard_day_at(at("2026-10-25T12:00:00Z"), &d);
	assert_string_equal(d.today, "2026-10-25");
	assert_int_equal(d.end_of_today, at("2026-10-25T23:59:59Z"));
}

static void seventeen_and_a_half(void **state)
{
	(void)state;
	char out[11];
	assert_true(dashboard_seventeen_and_half("2010-01-08", out));
	assert_string_equal(out, "2027-07-08");
	/* Month ends clamp: 31 August + 6 months is the end of February. */
	assert_true(dashboard_seventeen_and_half("2009-08-31", out));
	assert_string_equal(out, "2027-02-28");
	assert_true(dashboard_seventeen_and_half("2010-08-31", out));
	assert_string_equal(out, "2028-02-29"); /* 2028 is a leap year */
	/* Born on a leap day: 29 February + 17 years 6 months is 29 August. */
	assert_true(dashboard_seventeen_and_half("2008-02-29", out));
	assert_string_equal(out, "2025-08-29");
	assert_false(dashboard_seventeen_and_half("", out));
	assert_false(dashboard_seventeen_and_half("2010-02-30", out));
}

static void transitions_listed(void **state)
{
	(void)state;
	struct dashboard_day d;
	char out[11] = "";
	dashboard_day_at(at("2027-01-15T10:00:00Z"), &d); /* horizon 2027-02-14 */
	/* 17 1/2 on the horizon day: listed; a day later: not yet. */
	assert_true(dashboard_transition_due("2009-08-14", &d, out));
	assert_string_equal(out, "2027-02-14");
	assert_false(dashboard_transition_due("2009-08-15", &d, out));
	/* Already past 17 1/2 without a plan, and still 17: listed. */
	assert_true(dashboard_transition_due("2009-03-01", &d, out));
	assert_string_equal(out, "2026-09-01");
	/* 18 tomorrow: still listed; 18 today: an adult (their running clock is an overdue task instead). */
	assert_true(dashboard_transition_due("2009-01-16", &d, out));
	assert_false(dashboard_transition_due("2009-01-15", &d, out));
	assert_false(dashboard_transition_due("2001-06-01", &d, out));
	/* No date of birth: nothing to decide on. */
	assert_false(dashboard_transition_due("", &d, out));
	/* The pre-filter bounds let through every date of birth that can be listed. */
	assert_true(strcmp("2009-08-14", d.dob_latest) <= 0);
	assert_true(strcmp("2009-01-16", d.dob_earliest) > 0);
	assert_string_equal(d.dob_earliest, "2009-01-12");
	dashboard_day_at(at("2027-02-26T10:00:00Z"), &d); /* horizon 2027-03-28 */
	assert_true(dashboard_transition_due("2009-09-28", &d, out));
	assert_true(strcmp("2009-09-28", d.dob_latest) <= 0);
	dashboard_day_at(at("2026-01-29T10:00:00Z"), &d); /* horizon 2026-02-28: born 29-31 Aug clamp onto it */
	assert_true(dashboard_transition_due("2008-08-31", &d, out));
	assert_string_equal(out, "2026-02-28");
	assert_true(strcmp("2008-08-31", d.dob_latest) <= 0);
	/* 28 February 2026: someone born on 29 February 2008 is 18 (the clamped date), and is not listed. */
	dashboard_day_at(at("2026-02-28T10:00:00Z"), &d);
	assert_false(dashboard_transition_due("2008-02-29", &d, out));
	assert_true(strcmp("2008-02-29", d.dob_earliest) > 0); /* yet the pre-filter lets it through */
}

static void hours_and_days(void **state)
{
	(void)state;
	assert_int_equal(dashboard_hours_left(7200, 0), 2);
	assert_int_equal(dashboard_hours_left(3599, 0), 0);
	assert_int_equal(dashboard_hours_left(0, 0), 0);
	assert_int_equal(dashboard_hours_left(0, 1), -1);     /* a second overdue is an hour overdue */
	assert_int_equal(dashboard_hours_left(0, 3600), -1);
	assert_int_equal(dashboard_hours_left(0, 3601), -2);
	assert_int_equal(dashboard_days_since(0, 86399), 0);
	assert_int_equal(dashboard_days_since(0, 86400 * 9 + 5), 9);
	assert_int_equal(dashboard_days_since(100, 50), 0);
}

static void links(void **state)
{
	(void)state;
	char out[48];
	dashboard_link(out, sizeof out, "referral", 7, 3, 42);
	assert_string_equal(out, "/referrals/7");
	dashboard_link(out, sizeof out, "case", 3, 3, 42);
	assert_string_equal(out, "/cases/3");
	dashboard_link(out, sizeof out, "flag", 9, 3, 42);
	assert_string_equal(out, "/cases/3");
	dashboard_link(out, sizeof out, "meeting", 5, 0, 42);
	assert_string_equal(out, "/persons/42");
	dashboard_link(out, sizeof out, "referral", 0, 0, 0);
	assert_string_equal(out, "/");
}

static void excerpts(void **state)
{
	(void)state;
	char text[1200], out[801];
	memset(text, 'a', 300);
	text[300] = 0;
	assert_true(dashboard_excerpt(text, 200, out, sizeof out));
	assert_int_equal(strlen(out), 200);
	assert_false(dashboard_excerpt("short", 200, out, sizeof out));
	assert_string_equal(out, "short");
	/* 300 two-byte characters: 200 characters are 400 bytes, never half a character. */
	for (int i = 0; i < 300; i++)
		memcpy(text + 2 * i, "\xc3\xa9", 2);
	text[600] = 0;
	assert_true(dashboard_excerpt(text, 200, out, sizeof out));
	assert_int_equal(strlen(out), 400);
	assert_null(valid_text(out, 200, 200, true));
	/* A small buffer cuts at a character boundary too. */
	char small[8];
	assert_true(dashboard_excerpt(text, 200, small, sizeof small));
	assert_int_equal(strlen(small), 6);
	assert_null(valid_text(small, 3, 3, false));
	/* Four-byte characters (emoji) count as one each. */
	assert_false(dashboard_excerpt("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2, out, sizeof out));
	assert_true(dashboard_excerpt("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 1, out, sizeof out));
	assert_string_equal(out, "\xf0\x9f\x98\x80");
}

static void timeline_newest_first(void **state)
{
	(void)state;
	struct dashboard_event ev[] = {
		{ .at = 100, .rank = 0, .id = 1 }, /* referral received */
		{ .at = 300, .rank = 4, .id = 2 }, /* assessment */
		{ .at = 200, .rank = 1, .id = 1 }, /* referral decided ... */
		{ .at = 200, .rank = 2, .id = 5 }, /* ... and the case opened by it at the same second */
		{ .at = 300, .rank = 4, .id = 3 }, /* another assessment at the same second */
	};
	dashboard_timeline_sort(ev, 5);
	assert_int_equal(ev[0].at, 300);
	assert_int_equal(ev[0].id, 3);
	assert_int_equal(ev[1].id, 2);
	assert_int_equal(ev[2].rank, 2); /* the case opening shows above the decision that made it */
	assert_int_equal(ev[3].rank, 1);
	assert_int_equal(ev[4].at, 100);
	dashboard_timeline_sort(ev, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_day_in_gmt_and_bst),
		cmocka_unit_test(seventeen_and_a_half),
		cmocka_unit_test(transitions_listed),
		cmocka_unit_test(hours_and_days),
		cmocka_unit_test(links),
		cmocka_unit_test(excerpts),
		cmocka_unit_test(timeline_newest_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
