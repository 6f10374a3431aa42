/*
 * test_mfh.c - unit tests for mfh.c, the pure rules of the MFH dashboard: local months (a month
 * starting in BST, the year's turn), month parsing, age bands and the age at a start time,
 * hours and percentages to one decimal, the median (odd, even, sorted, reversed, repeated),
 * the RHI status and the 72-hour boundary (21:29 within, 21:31 a breach after a 21:30 Friday
 * return), and the tally of a period: episodes, children counted once, repeat children by
 * their flag's time, medians per month and over the 12; and the statistics cache (mfh_cache.h):
 * a hit only for the very same generation, filters, months and named persons, a newer
 * generation dropping the older entries, and the least recently used out first at the bound.
 * Owns: nothing but its own test cases. Must not touch: the store, HTTP, files, TZ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mfh.h"
#include "mfh_cache.h"
#include "valid.h"

/* The UTC seconds of an RFC 3339 time (fails the test when it does not parse). */
static int64_t at(const char *rfc3339)
{
	int64_t t = 0;
	assert_true(valid_parse_time(rfc3339, &t));
	return t;
}

/* A returned episode of ours, with or without an RHI. */
static struct mfh_episode returned(int64_t id, int64_t person, const char *start, const char *end)
{
	struct mfh_episode e = {
		.id = id, .person_id = person, .started_at = at(start), .reported_at = at(start),
		.ended_at = end ? at(end) : 0, .missing_from = "home", .category = "M", .out_of_area = "",
		.rhi_by = "us", .team = "", .locality = "", .grade = "", .given_name = "", .family_name = "",
		.dob = "", .sex = "", .response = "",
	};
	return e;
}

static void months_are_local(void **state)
{
	(void)state;
	struct mfh_month m;
	/* May 2025 starts at midnight BST, 23:00 UTC on 30 April; ends at midnight BST on 1 June. */
	mfh_month_make(2025, 5, &m);
	assert_string_equal(m.key, "2025-05");
	assert_int_equal(m.from, at("2025-04-30T23:00:00Z"));
	assert_int_equal(m.to, at("2025-05-31T23:00:00Z"));
	/* Month 0 is December of the year before; 13 January of the next. */
	mfh_month_make(2026, 0, &m);
	assert_string_equal(m.key, "2025-12");
	assert_int_equal(m.from, at("2025-12-01T00:00:00Z"));
	assert_int_equal(m.to, at("2026-01-01T00:00:00Z"));
	mfh_month_make(2026, 13, &m);
	assert_string_equal(m.key, "2027-01");
	mfh_month_make(2026, -11, &m);
	assert_string_equal(m.key, "2025-01");

	struct mfh_periods p;
	mfh_periods_for(2025, 5, &p);
	assert_string_equal(p.months[0].key, "2024-06");
	assert_string_equal(p.months[11].key, "2025-05");
	assert_int_equal(p.from, p.months[0].from);
	assert_int_equal(p.to, p.months[11].to);
	for (int i = 1; i < MFH_MONTHS; i++)
		assert_int_equal(p.months[i].from, p.months[i - 1].to);

	int y, mo;
	/* 23:30 UTC on 31 May 2025 is 00:30 on 1 June in London. */
	mfh_month_at(at("2025-05-31T23:30:00Z"), &y, &mo);
	assert_int_equal(y, 2025);
	assert_int_equal(mo, 6);
	mfh_month_at(at("2025-12-31T23:30:00Z"), &y, &mo);
	assert_int_equal(mo, 12);
}

static void month_parsing(void **state)
{
	(void)state;
	int y = 0, m = 0;
	assert_true(mfh_parse_month("2026-03", &y, &m));
	assert_int_equal(y, 2026);
	assert_int_equal(m, 3);
	assert_false(mfh_parse_month("2026-13", &y, &m));
	assert_false(mfh_parse_month("2026-00", &y, &m));
	assert_false(mfh_parse_month("2026-3", &y, &m));
	assert_false(mfh_parse_month("2026-03-01", &y, &m));
	assert_false(mfh_parse_month("1995-12", &y, &m));
	assert_false(mfh_parse_month("", &y, &m));
	assert_false(mfh_parse_month(NULL, &y, &m));
}

static void age_bands(void **state)
{
	(void)state;
	int lo, hi;
	assert_true(mfh_age_band("14-15", &lo, &hi));
	assert_int_equal(lo, 14);
	assert_int_equal(hi, 15);
	assert_true(mfh_age_band("18-25", &lo, &hi));
	assert_false(mfh_age_band("12-13", &lo, &hi));
	assert_false(mfh_age_band("", &lo, &hi));
	/* The birthday counts from its first local day: 23:30 UTC on 14 May is 15 May in BST. */
	assert_int_equal(mfh_age_at("2011-05-15", at("2025-05-14T23:30:00Z")), 14);
	assert_int_equal(mfh_age_at("2011-05-15", at("2025-05-14T22:30:00Z")), 13);
	assert_int_equal(mfh_age_at("2008-02-29", at("2025-02-28T12:00:00Z")), 16);
	assert_int_equal(mfh_age_at("2008-02-29", at("2025-03-01T12:00:00Z")), 17);
	assert_int_equal(mfh_age_at("", at("2025-03-01T12:00:00Z")), -1);
	assert_int_equal(mfh_age_at("2030-01-01", at("2025-03-01T12:00:00Z")), -1);

	struct mfh_filter f = { .looked_after = -1 };
	assert_true(mfh_age_band("14-15", &f.age_min, &f.age_max));
	assert_true(mfh_filter_needs_person(&f));
	struct mfh_episode e = returned(1, 1, "2025-05-16T08:00:00Z", NULL);
	e.dob = "2011-02-01";
	e.sex = "female";
	assert_true(mfh_filter_person(&f, &e));
	e.dob = "";
	assert_false(mfh_filter_person(&f, &e));
	struct mfh_filter g = { .looked_after = -1, .age_min = -1, .age_max = -1 };
	assert_false(mfh_filter_needs_person(&g));
	memcpy(g.sex, "male", 5);
	assert_true(mfh_filter_needs_person(&g));
	e.dob = "2011-02-01";
	assert_false(mfh_filter_person(&g, &e));
}

static void hours_and_percentages(void **state)
{
	(void)state;
	assert_true(mfh_hours(5400) == 1.5);
	assert_true(mfh_hours(-12600) == -3.5);
	assert_true(mfh_hours(45000) == 12.5);
	assert_true(mfh_hours(0) == 0);
	double p = -1;
	assert_false(mfh_pct(3, 0, &p));
	assert_true(mfh_pct(1, 3, &p));
	assert_true(p == 33.3);
	assert_true(mfh_pct(2, 3, &p));
	assert_true(p == 66.7);
	assert_true(mfh_pct(4, 4, &p));
	assert_true(p == 100);
}

static void medians(void **state)
{
	(void)state;
	int64_t odd[] = { 9, 1, 5 };
	assert_int_equal(mfh_median_seconds(odd, 3), 5);
	int64_t even[] = { 10, 2, 8, 4 };
	assert_int_equal(mfh_median_seconds(even, 4), 6);
	int64_t one[] = { 7 };
	assert_int_equal(mfh_median_seconds(one, 1), 7);
	int64_t same[] = { 3, 3, 3, 3, 3, 3 };
	assert_int_equal(mfh_median_seconds(same, 6), 3);
	/* Sorted and reversed runs of 1001 and 1000 values. */
	int64_t *v = malloc(1001 * sizeof *v);
	assert_non_null(v);
	for (int i = 0; i < 1001; i++)
		v[i] = i;
	assert_int_equal(mfh_median_seconds(v, 1001), 500);
	for (int i = 0; i < 1000; i++)
		v[i] = 1000 - i;
	assert_int_equal(mfh_median_seconds(v, 1000), 500);
	free(v);
}

static void rhi_status_and_72_hours(void **state)
{
	(void)state;
	/* Returned at 21:30 BST on Friday 16 May 2025: due at 21:30 BST on Monday 19 May. */
	struct mfh_episode e = returned(1, 1, "2025-05-16T08:00:00Z", "2025-05-16T20:30:00Z");
	assert_int_equal(mfh_rhi_due(&e), at("2025-05-19T20:30:00Z"));
	e.rhi_due_at = at("2025-05-19T20:30:00Z");
	assert_int_equal(mfh_rhi_status(&e, at("2025-05-19T20:30:00Z")), MFH_STATUS_DUE);
	assert_int_equal(mfh_rhi_status(&e, at("2025-05-19T20:30:01Z")), MFH_STATUS_BREACHED);
	assert_true(mfh_awaiting_rhi(&e, at("2025-05-19T20:30:01Z")));
	e.has_rhi = true;
	e.offered_at = at("2025-05-17T10:00:00Z");
	assert_int_equal(mfh_rhi_status(&e, at("2025-05-18T10:00:00Z")), MFH_STATUS_OFFERED);
	assert_true(mfh_measure_counts(MFH_RHI_OFFERED_72H, &e, 0));
	e.response = "accepted";
	e.completed_at = at("2025-05-19T20:31:00Z");  /* 21:31 BST on the Monday */
	assert_int_equal(mfh_rhi_status(&e, at("2025-06-01T00:00:00Z")), MFH_STATUS_COMPLETED);
	assert_false(mfh_awaiting_rhi(&e, at("2025-06-01T00:00:00Z")));
	assert_false(mfh_measure_counts(MFH_RHI_COMPLETED_72H, &e, 0));
	e.completed_at = at("2025-05-19T20:29:00Z");  /* 21:29 BST */
	assert_true(mfh_measure_counts(MFH_RHI_COMPLETED_72H, &e, 0));
	e.completed_at = at("2025-05-19T20:30:00Z");  /* at the due time itself: within */
	assert_true(mfh_measure_counts(MFH_RHI_COMPLETED_72H, &e, 0));
	assert_true(mfh_measure_counts(MFH_RHI_ACCEPTED, &e, 0));
	assert_false(mfh_measure_counts(MFH_RHI_DECLINED, &e, 0));
	/* Declined: not awaited. */
	e.completed_at = 0;
	e.response = "declined";
	assert_int_equal(mfh_rhi_status(&e, at("2025-06-01T00:00:00Z")), MFH_STATUS_DECLINED);
	assert_false(mfh_awaiting_rhi(&e, at("2025-06-01T00:00:00Z")));
	/* The other authority's RHI with nothing recorded has no status, and is not a return of ours. */
	struct mfh_episode o = returned(2, 2, "2025-05-16T08:00:00Z", "2025-05-16T20:30:00Z");
	o.rhi_by = "other";
	assert_int_equal(mfh_rhi_status(&o, at("2025-06-01T00:00:00Z")), MFH_STATUS_NONE);
	assert_null(mfh_rhi_status_name(MFH_STATUS_NONE));
	assert_false(mfh_measure_counts(MFH_RETURNS, &o, 0));
	/* Still missing: no status; missing now. */
	struct mfh_episode m = returned(3, 3, "2025-05-16T08:00:00Z", NULL);
	assert_int_equal(mfh_rhi_status(&m, at("2025-06-01T00:00:00Z")), MFH_STATUS_NONE);
	assert_true(mfh_measure_counts(MFH_MISSING_NOW, &m, 0));
	m.out_of_area = "placed_here";
	assert_true(mfh_measure_counts(MFH_PLACED_HERE_MISSING, &m, 0));
	assert_false(mfh_measure_counts(MFH_PLACED_ELSEWHERE_MISSING, &m, 0));
}

static void measure_names(void **state)
{
	(void)state;
	enum mfh_measure m;
	for (int i = 0; i < MFH_MEASURES; i++) {
		assert_true(mfh_measure_parse(mfh_measure_name((enum mfh_measure)i), &m));
		assert_int_equal(m, i);
	}
	assert_false(mfh_measure_parse("everything", &m));
	assert_true(mfh_measure_has_period(MFH_RHI_DECLINED));
	assert_false(mfh_measure_has_period(MFH_MISSING_NOW));
}

static void tally_of_a_period(void **state)
{
	(void)state;
	struct mfh_periods p;
	mfh_periods_for(2025, 5, &p);
	struct mfh_tally *t = mfh_tally_new(&p);
	assert_non_null(t);
	/* Person 7: April (12 h) and twice in May (2 h, 5 h), flagged repeat on 10 May. */
	struct mfh_episode e = returned(1, 7, "2025-04-10T08:00:00Z", "2025-04-10T20:00:00Z");
	assert_int_equal(mfh_tally_add(t, &e), 0);
	e = returned(2, 7, "2025-05-02T08:00:00Z", "2025-05-02T10:00:00Z");
	assert_int_equal(mfh_tally_add(t, &e), 0);
	e = returned(3, 7, "2025-05-12T08:00:00Z", "2025-05-12T13:00:00Z");
	e.has_rhi = true;
	e.offered_at = at("2025-05-12T20:00:00Z");
	e.completed_at = at("2025-05-13T20:00:00Z");
	e.response = "accepted";
	assert_int_equal(mfh_tally_add(t, &e), 0);
	/* Person 9: still missing in May; person 11: before the 12 months (not counted). */
	e = returned(4, 9, "2025-05-20T08:00:00Z", NULL);
	assert_int_equal(mfh_tally_add(t, &e), 0);
	e = returned(5, 11, "2024-05-20T08:00:00Z", "2024-05-20T09:00:00Z");
	assert_int_equal(mfh_tally_add(t, &e), 0);
	mfh_tally_flag(t, 7, at("2025-05-10T00:00:00Z"));
	mfh_tally_flag(t, 12345, at("2025-01-01T00:00:00Z"));  /* a person the tally has not seen */
	struct mfh_stats months[MFH_MONTHS], span;
	assert_int_equal(mfh_tally_result(t, months, &span), 0);
	mfh_tally_free(t);
	const struct mfh_stats *may = &months[11], *april = &months[10];
	assert_int_equal(may->episodes, 3);
	assert_int_equal(may->children, 2);
	assert_int_equal(may->repeat_children, 1);
	assert_int_equal(may->returns, 2);
	assert_int_equal(may->rhi_offered_72h, 1);
	assert_int_equal(may->rhi_completed_72h, 1);
	assert_int_equal(may->rhi_accepted, 1);
	assert_true(may->has_median);
	assert_true(may->median_duration_hours == 3.5);
	assert_int_equal(april->episodes, 1);
	assert_int_equal(april->children, 1);
	assert_int_equal(april->repeat_children, 0);  /* flagged after April ended */
	assert_true(april->median_duration_hours == 12);
	assert_false(months[9].has_median);
	assert_int_equal(span.episodes, 4);
	assert_int_equal(span.children, 2);
	assert_int_equal(span.repeat_children, 1);
	assert_int_equal(span.returns, 3);
	assert_true(span.median_duration_hours == 5);
}

/* A cache key of generation gen for filter f, month "2026-11", named persons named[0..n). */
static struct mfh_cache_key cache_key(int64_t gen, const struct mfh_filter *f, const int64_t *named, size_t n)
{
	return (struct mfh_cache_key){ .generation = gen, .filter = f, .month = "2026-11", .current = "2026-11",
				       .named = named, .n_named = n };
}

static void stats_cache(void **state)
{
	(void)state;
	mfh_cache_clear();
	struct mfh_filter f = { .looked_after = -1, .age_min = -1, .age_max = -1 };
	struct mfh_filter g = f;
	strcpy(g.team, "Phoenix");
	int64_t named[] = { 4, 9 }, other[] = { 4, 10 };
	struct mfh_kept due[] = { { 300, 2, 7 }, { 200, 1, 7 } };
	struct mfh_cached v = { .awaiting = due, .n_awaiting = 2 };
	v.months[MFH_MONTHS - 1].episodes = 5;
	v.span.episodes = 42;
	struct mfh_cached out;
	struct mfh_cache_key k = cache_key(7, &f, named, 2);
	assert_false(mfh_cache_get(&k, &out));
	mfh_cache_put(&k, &v);
	assert_true(mfh_cache_get(&k, &out));
	assert_int_equal(out.span.episodes, 42);
	assert_int_equal(out.months[MFH_MONTHS - 1].episodes, 5);
	assert_int_equal(out.n_awaiting, 2);
	assert_true(out.awaiting != due);
	assert_int_equal(out.awaiting[1].id, 1);
	free(out.awaiting);
	/* Any difference in the key is a miss. */
	struct mfh_cache_key miss[] = {
		cache_key(8, &f, named, 2), cache_key(7, &g, named, 2), cache_key(7, &f, other, 2),
		cache_key(7, &f, named, 1), cache_key(7, &f, NULL, 0),
	};
	for (size_t i = 0; i < sizeof miss / sizeof miss[0]; i++)
		assert_false(mfh_cache_get(&miss[i], &out));
	struct mfh_cache_key month = k;
	month.month = "2026-10";
	assert_false(mfh_cache_get(&month, &out));
	month = k;
	month.current = "2026-12";
	assert_false(mfh_cache_get(&month, &out));
	/* A newer generation drops the older entries. */
	mfh_cache_put(&miss[0], &v);
	assert_int_equal(mfh_cache_entries(), 1);
	assert_false(mfh_cache_get(&k, &out));
	/* At the bound, the least recently used goes first. */
	mfh_cache_clear();
	char months[MFH_CACHE_ENTRIES + 1][16];
	struct mfh_cache_key keys[MFH_CACHE_ENTRIES + 1];
	for (int i = 0; i <= MFH_CACHE_ENTRIES; i++) {
		snprintf(months[i], sizeof months[i], "%04d-01", (2000 + i) % 10000);
		keys[i] = cache_key(9, &f, NULL, 0);
		keys[i].month = months[i];
	}
	for (int i = 0; i < MFH_CACHE_ENTRIES; i++)
		mfh_cache_put(&keys[i], &v);
	assert_true(mfh_cache_get(&keys[0], &out));  /* now the most recently used */
	free(out.awaiting);
	mfh_cache_put(&keys[MFH_CACHE_ENTRIES], &v);
	assert_int_equal(mfh_cache_entries(), MFH_CACHE_ENTRIES);
	assert_true(mfh_cache_get(&keys[0], &out));
	free(out.awaiting);
	assert_false(mfh_cache_get(&keys[1], &out));
	assert_true(mfh_cache_get(&keys[MFH_CACHE_ENTRIES], &out));
	free(out.awaiting);
	mfh_cache_clear();
	assert_int_equal(mfh_cache_entries(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(months_are_local),
		cmocka_unit_test(month_parsing),
		cmocka_unit_test(age_bands),
		cmocka_unit_test(hours_and_percentages),
		cmocka_unit_test(medians),
		cmocka_unit_test(rhi_status_and_72_hours),
		cmocka_unit_test(measure_names),
		cmocka_unit_test(tally_of_a_period),
		cmocka_unit_test(stats_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
