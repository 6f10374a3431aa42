/*
 * test_calendar.c - unit tests for calendar.c: GMT/BST conversion and its boundaries, local
 * midnight and end of day, Easter, the England and Wales bank holidays 2015-2030 against the
 * published dates, working days, working-day due times (including the acceptance example and a
 * property test over every day 2015-2030), hours, months and days.
 *
 * Expected times are written as RFC 3339 with the local offset ("+01:00" in BST) so they read as
 * the hub's users would say them; they are parsed by valid_parse_time, not by calendar.c.
 *
 * Owns: nothing but its own test cases. Must not touch: the store, HTTP, files, TZ.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "valid.h"

/* England and Wales, 2015-2030: set up once for the whole group. */
static struct calendar england;

static int setup_england(void **state)
{
	calendar_init(&england);
	return calendar_default_holidays(&england, 2015, 2030) ? 0 : -1;
}

static struct valid_date date(int y, int m, int d)
{
	return (struct valid_date){y, m, d};
}

/* The UTC seconds of an RFC 3339 time (fails the test when it does not parse). */
static int64_t at(const char *rfc3339)
{
	int64_t t = 0;
	assert_true(valid_parse_time(rfc3339, &t));
	return t;
}

/* Assert that UTC time `got` is the instant `expected` (RFC 3339), showing both in UTC. */
static void time_is(int64_t got, const char *expected)
{
	char g[21], e[21];
	valid_format_time(got, g);
	valid_format_time(at(expected), e);
	assert_string_equal(g, e);
}

static void date_is(const struct valid_date *got, int y, int m, int d)
{
	char g[11], e[11];
	valid_format_date(got, g);
	struct valid_date want = date(y, m, d);
	valid_format_date(&want, e);
	assert_string_equal(g, e);
}

/* The local date at UTC time t, as "YYYY-MM-DD". */
static void local_date_is(int64_t t, int y, int m, int d)
{
	struct valid_date got;
	calendar_local_date(t, &got);
	date_is(&got, y, m, d);
}

/* The due time of n working days from `received` in England. */
static void due_is(const char *received, int n, const char *expected)
{
	time_is(calendar_add_working_days_due(&england, at(received), n), expected);
}

/* Working days in (a, b] counted one day at a time: the obvious definition. */
static int brute_working_days(const struct calendar *c, int64_t a, int64_t b)
{
	int sign = 1;
	if (b < a) {
		int64_t t = a;
		a = b;
		b = t;
		sign = -1;
	}
	int n = 0;
	for (int64_t dn = a + 1; dn <= b; dn++) {
		struct valid_date d;
		valid_civil_from_days(dn, &d);
		if (calendar_is_working_day(c, &d))
			n++;
	}
	return sign * n;
}

/* ---- Weekdays and Europe/London time ------------------------------------------------------- */

static void weekdays(void **state)
{
	struct valid_date d = date(1970, 1, 1);
	assert_int_equal(calendar_weekday(&d), 4); /* Thursday */
	d = date(1969, 12, 31);
	assert_int_equal(calendar_weekday(&d), 3); /* before day 0 */
	d = date(1969, 12, 28);
	assert_int_equal(calendar_weekday(&d), 7);
	d = date(2000, 1, 1);
	assert_int_equal(calendar_weekday(&d), 6);
	d = date(2024, 2, 29);
	assert_int_equal(calendar_weekday(&d), 4);
	d = date(2027, 12, 24);
	assert_int_equal(calendar_weekday(&d), 5);
	d = date(2026, 3, 9);
	assert_int_equal(calendar_weekday(&d), 1);
}

static void bst_change_instants(void **state)
{
	time_is(calendar_bst_start(2024), "2024-03-31T01:00:00Z");
	time_is(calendar_bst_end(2024), "2024-10-27T01:00:00Z");
	time_is(calendar_bst_start(2025), "2025-03-30T01:00:00Z");
	time_is(calendar_bst_end(2025), "2025-10-26T01:00:00Z");
	time_is(calendar_bst_start(2026), "2026-03-29T01:00:00Z");
	time_is(calendar_bst_end(2026), "2026-10-25T01:00:00Z");
	time_is(calendar_bst_start(2027), "2027-03-28T01:00:00Z");
	time_is(calendar_bst_end(2027), "2027-10-31T01:00:00Z"); /* 31st is itself a Sunday */
	time_is(calendar_bst_start(2015), "2015-03-29T01:00:00Z");
	time_is(calendar_bst_end(2015), "2015-10-25T01:00:00Z");

	/* Both sides of each change, to the second. */
	assert_int_equal(calendar_utc_offset(at("2026-03-29T00:59:59Z")), 0);
	assert_int_equal(calendar_utc_offset(at("2026-03-29T01:00:00Z")), 3600);
	assert_int_equal(calendar_utc_offset(at("2026-10-25T00:59:59Z")), 3600);
	assert_int_equal(calendar_utc_offset(at("2026-10-25T01:00:00Z")), 0);
	assert_int_equal(calendar_utc_offset(at("2026-01-15T12:00:00Z")), 0);
	assert_int_equal(calendar_utc_offset(at("2026-07-15T12:00:00Z")), 3600);
	assert_int_equal(calendar_utc_offset(at("2026-12-31T23:59:59Z")), 0);
	assert_int_equal(calendar_utc_offset(at("2027-01-01T00:00:00Z")), 0);
}

static void local_time_conversion(void **state)
{
	/* UTC to local. */
	time_is(calendar_local_from_utc(at("2026-07-01T12:00:00Z")), "2026-07-01T13:00:00Z");
	time_is(calendar_local_from_utc(at("2026-01-01T12:00:00Z")), "2026-01-01T12:00:00Z");
	time_is(calendar_local_from_utc(at("2026-03-29T00:59:59Z")), "2026-03-29T00:59:59Z");
	time_is(calendar_local_from_utc(at("2026-03-29T01:00:00Z")), "2026-03-29T02:00:00Z");
	time_is(calendar_local_from_utc(at("2026-10-25T00:59:59Z")), "2026-10-25T01:59:59Z");
	time_is(calendar_local_from_utc(at("2026-10-25T01:00:00Z")), "2026-10-25T01:00:00Z");

	/* Local to UTC: ordinary readings. */
	time_is(calendar_utc_from_local(at("2026-07-01T13:00:00Z")), "2026-07-01T12:00:00Z");
	time_is(calendar_utc_from_local(at("2026-01-01T12:00:00Z")), "2026-01-01T12:00:00Z");
	/* The spring gap: 01:00-01:59 local never happens; taken as GMT (an hour later in BST). */
	time_is(calendar_utc_from_local(at("2026-03-29T00:59:59Z")), "2026-03-29T00:59:59Z");
	time_is(calendar_utc_from_local(at("2026-03-29T01:30:00Z")), "2026-03-29T01:30:00Z");
	time_is(calendar_utc_from_local(at("2026-03-29T02:00:00Z")), "2026-03-29T01:00:00Z");
	/* The autumn overlap: 01:00-01:59 local happens twice; the first (BST) is taken. */
	time_is(calendar_utc_from_local(at("2026-10-25T00:59:59Z")), "2026-10-24T23:59:59Z");
	time_is(calendar_utc_from_local(at("2026-10-25T01:30:00Z")), "2026-10-25T00:30:00Z");
	time_is(calendar_utc_from_local(at("2026-10-25T02:00:00Z")), "2026-10-25T02:00:00Z");
	/* The extremes are GMT and do not overflow. */
	assert_true(calendar_utc_from_local(INT64_MIN) == INT64_MIN);
	assert_true(calendar_utc_from_local(INT64_MAX) == INT64_MAX);
	assert_int_equal(calendar_utc_offset(INT64_MIN), 0);
	assert_int_equal(calendar_utc_offset(INT64_MAX), 0);

	/* Every quarter hour 2015-2030 round-trips, except the second pass through the overlap. */
	for (int64_t u = at("2015-01-01T00:00:00Z"); u < at("2031-01-01T00:00:00Z"); u += 900) {
		int64_t local = calendar_local_from_utc(u);
		struct valid_date d;
		valid_date_from_time(u, &d);
		int64_t end = calendar_bst_end(d.year);
		if (u >= end && u < end + 3600)
			assert_int_equal(calendar_utc_from_local(local), u - 3600);
		else
			assert_int_equal(calendar_utc_from_local(local), u);
	}
}

static void local_dates(void **state)
{
	/* 00:30 BST is still the previous day in UTC. */
	local_date_is(at("2026-06-04T23:30:00Z"), 2026, 6, 5);
	local_date_is(at("2026-06-04T22:59:59Z"), 2026, 6, 4);
	local_date_is(at("2026-06-04T23:00:00Z"), 2026, 6, 5);
	/* In winter local is UTC. */
	local_date_is(at("2026-12-04T23:59:59Z"), 2026, 12, 4);
	local_date_is(at("2026-12-05T00:00:00Z"), 2026, 12, 5);
	/* New Year is never in BST. */
	local_date_is(at("2026-12-31T23:30:00Z"), 2026, 12, 31);
}

static void midnight_and_end_of_day(void **state)
{
	struct valid_date d = date(2026, 7, 1);
	time_is(calendar_local_midnight_utc(&d), "2026-07-01T00:00:00+01:00");
	time_is(calendar_end_of_day_utc(&d), "2026-07-01T23:59:59+01:00");
	d = date(2026, 1, 15);
	time_is(calendar_local_midnight_utc(&d), "2026-01-15T00:00:00Z");
	time_is(calendar_end_of_day_utc(&d), "2026-01-15T23:59:59Z");
	/* The spring change day is 23 hours long: it starts in GMT and ends in BST. */
	d = date(2026, 3, 29);
	time_is(calendar_local_midnight_utc(&d), "2026-03-29T00:00:00Z");
	time_is(calendar_end_of_day_utc(&d), "2026-03-29T23:59:59+01:00");
	/* The autumn change day is 25 hours long: it starts in BST and ends in GMT. */
	d = date(2026, 10, 25);
	time_is(calendar_local_midnight_utc(&d), "2026-10-25T00:00:00+01:00");
	time_is(calendar_end_of_day_utc(&d), "2026-10-25T23:59:59Z");
	/* The days either side. */
	d = date(2026, 3, 28);
	time_is(calendar_end_of_day_utc(&d), "2026-03-28T23:59:59Z");
	d = date(2026, 10, 24);
	time_is(calendar_end_of_day_utc(&d), "2026-10-24T23:59:59+01:00");

	/* Every day 2015-2030: the days tile time and each is 24 hours but for the two changes. */
	struct valid_date first = date(2015, 1, 1), last = date(2030, 12, 31);
	for (int64_t dn = valid_days_from_civil(&first); dn <= valid_days_from_civil(&last); dn++) {
		struct valid_date day, next;
		valid_civil_from_days(dn, &day);
		valid_civil_from_days(dn + 1, &next);
		int64_t start = calendar_local_midnight_utc(&day);
		int64_t end = calendar_end_of_day_utc(&day);
		assert_int_equal(end + 1, calendar_local_midnight_utc(&next));
		struct valid_date got;
		calendar_local_date(start, &got);
		assert_int_equal(valid_days_from_civil(&got), dn);
		calendar_local_date(end, &got);
		assert_int_equal(valid_days_from_civil(&got), dn);
		calendar_local_date(start - 1, &got);
		assert_int_equal(valid_days_from_civil(&got), dn - 1);
		int64_t length = end + 1 - start;
		if (calendar_bst_start(day.year) > start && calendar_bst_start(day.year) <= end)
			assert_int_equal(length, 23 * 3600);
		else if (calendar_bst_end(day.year) > start && calendar_bst_end(day.year) <= end)
			assert_int_equal(length, 25 * 3600);
		else
			assert_int_equal(length, 24 * 3600);
	}
}

/* ---- Easter and bank holidays -------------------------------------------------------------- */

static void easter_sundays(void **state)
{
	static const struct valid_date want[] = {
		{2015, 4, 5},  {2016, 3, 27}, {2017, 4, 16}, {2018, 4, 1},  {2019, 4, 21},
		{2020, 4, 12}, {2021, 4, 4},  {2022, 4, 17}, {2023, 4, 9},  {2024, 3, 31},
		{2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2029, 4, 1},
		{2030, 4, 21}, {2000, 4, 23}, {2038, 4, 25}, /* the latest possible */
		{2285, 3, 22},                               /* the earliest possible */
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct valid_date got;
		calendar_easter_sunday(want[i].year, &got);
		date_is(&got, want[i].year, want[i].month, want[i].day);
		assert_int_equal(calendar_weekday(&got), 7);
	}
}

/*
 * The published England and Wales bank holidays (www.gov.uk/bank-holidays) 2015-2027, and the
 * rule's dates for 2028-2030, as month*100 + day, 0-terminated.
 */
static const struct {
	int year;
	int days[12];
} published[] = {
	{2015, {101, 403, 406, 504, 525, 831, 1225, 1228}},
	{2016, {101, 325, 328, 502, 530, 829, 1226, 1227}},
	{2017, {102, 414, 417, 501, 529, 828, 1225, 1226}},
	{2018, {101, 330, 402, 507, 528, 827, 1225, 1226}},
	{2019, {101, 419, 422, 506, 527, 826, 1225, 1226}},
	{2020, {101, 410, 413, 508, 525, 831, 1225, 1228}},
	{2021, {101, 402, 405, 503, 531, 830, 1227, 1228}},
	{2022, {103, 415, 418, 502, 602, 603, 829, 919, 1226, 1227}},
	{2023, {102, 407, 410, 501, 508, 529, 828, 1225, 1226}},
	{2024, {101, 329, 401, 506, 527, 826, 1225, 1226}},
	{2025, {101, 418, 421, 505, 526, 825, 1225, 1226}},
	{2026, {101, 403, 406, 504, 525, 831, 1225, 1228}},
	{2027, {101, 326, 329, 503, 531, 830, 1227, 1228}},
	{2028, {103, 414, 417, 501, 529, 828, 1225, 1226}},
	{2029, {101, 330, 402, 507, 528, 827, 1225, 1226}},
	{2030, {101, 419, 422, 506, 527, 826, 1225, 1226}},
};

static void bank_holidays_published(void **state)
{
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
		int year = published[i].year;
		struct calendar_holiday got[CALENDAR_DEFAULT_MAX_PER_YEAR];
		int n = calendar_default_holiday_list(year, year, got,
						      CALENDAR_DEFAULT_MAX_PER_YEAR);
		int want = 0;
		while (want < 12 && published[i].days[want] != 0)
			want++;
		assert_int_equal(n, want);
		for (int k = 0; k < n; k++) {
			int md = published[i].days[k];
			date_is(&got[k].date, year, md / 100, md % 100);
			struct valid_date d = date(year, md / 100, md % 100);
			assert_true(calendar_is_holiday(&england, &d));
			assert_false(calendar_is_working_day(&england, &d));
		}
	}
	/* Nothing else is a holiday: 2015-2030 hold exactly the dates above. */
	int total = 0;
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++)
		for (int k = 0; k < 12 && published[i].days[k] != 0; k++)
			total++;
	assert_int_equal(england.count, total);
}

static void bank_holiday_names(void **state)
{
	static const struct {
		struct valid_date date;
		const char *name;
	} want[] = {
		{{2015, 12, 28}, "Boxing Day (substitute day)"},
		{{2016, 12, 26}, "Boxing Day"},
		{{2016, 12, 27}, "Christmas Day (substitute day)"},
		{{2017, 1, 2}, "New Year's Day (substitute day)"},
		{{2019, 1, 1}, "New Year's Day"},
		{{2020, 5, 8}, "Early May bank holiday (VE day)"},
		{{2021, 12, 27}, "Christmas Day (substitute day)"},
		{{2021, 12, 28}, "Boxing Day (substitute day)"},
		{{2022, 1, 3}, "New Year's Day (substitute day)"},
		{{2022, 6, 2}, "Spring bank holiday"},
		{{2022, 6, 3}, "Platinum Jubilee bank holiday"},
		{{2022, 9, 19}, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
		{{2023, 5, 1}, "Early May bank holiday"},
		{{2023, 5, 8}, "Bank holiday for the coronation of King Charles III"},
		{{2024, 3, 29}, "Good Friday"},
		{{2024, 4, 1}, "Easter Monday"},
		{{2024, 8, 26}, "Summer bank holiday"},
		{{2026, 12, 25}, "Christmas Day"},
		{{2026, 12, 28}, "Boxing Day (substitute day)"},
	};
	struct calendar_holiday all[CALENDAR_MAX_HOLIDAYS];
	int n = calendar_default_holiday_list(2015, 2030, all, CALENDAR_MAX_HOLIDAYS);
	assert_int_equal(n, england.count);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int64_t dn = valid_days_from_civil(&want[i].date);
		int found = 0;
		for (int k = 0; k < n; k++) {
			if (valid_days_from_civil(&all[k].date) == dn) {
				assert_string_equal(all[k].name, want[i].name);
				found++;
			}
		}
		assert_int_equal(found, 1);
	}
	/* Every holiday is a weekday with a name, in strictly ascending order. */
	for (int k = 0; k < n; k++) {
		assert_true(calendar_weekday(&all[k].date) <= 5);
		assert_true(all[k].name[0] != '\0');
		assert_true(strlen(all[k].name) < sizeof all[k].name);
		if (k > 0)
			assert_true(valid_days_from_civil(&all[k - 1].date) <
				    valid_days_from_civil(&all[k].date));
	}
}

static void bank_holiday_list_limits(void **state)
{
	struct calendar_holiday out[2 * CALENDAR_DEFAULT_MAX_PER_YEAR];
	assert_int_equal(calendar_default_holiday_list(2014, 2015, out, 24), -1);
	assert_int_equal(calendar_default_holiday_list(2030, 2031, out, 24), -1);
	assert_int_equal(calendar_default_holiday_list(2021, 2020, out, 24), -1);
	assert_int_equal(calendar_default_holiday_list(2015, 2015, out, 8), 8);
	assert_int_equal(calendar_default_holiday_list(2015, 2015, out, 7), -1);
	assert_int_equal(calendar_default_holiday_list(2022, 2022, out, 10), 10);
	assert_int_equal(calendar_default_holiday_list(2022, 2022, out, 9), -1);
	assert_int_equal(calendar_default_holiday_list(2021, 2022, out, 18), 18);
	assert_int_equal(calendar_default_holiday_list(2021, 2022, out, 17), -1);
	assert_int_equal(calendar_default_holiday_list(2030, 2030, out, 24), 8);
	assert_int_equal(calendar_default_holiday_list(2015, 2015, out, 0), -1);
}

static void calendar_sets(void **state)
{
	struct calendar c;
	calendar_init(&c);
	assert_int_equal(c.count, 0);
	struct valid_date a = date(2026, 6, 10), b = date(2026, 2, 3), z = date(2026, 9, 1);
	assert_true(calendar_add_holiday(&c, &a));
	assert_true(calendar_add_holiday(&c, &z));
	assert_true(calendar_add_holiday(&c, &b));
	assert_true(calendar_add_holiday(&c, &a)); /* again: no change */
	assert_int_equal(c.count, 3);
	assert_true(c.holiday[0] < c.holiday[1] && c.holiday[1] < c.holiday[2]);
	assert_true(calendar_is_holiday(&c, &a));
	assert_true(calendar_is_holiday(&c, &b));
	assert_true(calendar_is_holiday(&c, &z));
	struct valid_date other = date(2026, 6, 11);
	assert_false(calendar_is_holiday(&c, &other));

	/* An empty calendar has only weekends: Easter Monday works. */
	struct calendar none;
	calendar_init(&none);
	struct valid_date easter_monday = date(2026, 4, 6), saturday = date(2026, 4, 4);
	assert_true(calendar_is_working_day(&none, &easter_monday));
	assert_false(calendar_is_working_day(&none, &saturday));
	assert_false(calendar_is_working_day(&england, &easter_monday));
	struct valid_date tuesday = date(2026, 4, 7);
	assert_true(calendar_is_working_day(&england, &tuesday));

	/* Full: the 513th date is refused and nothing changes; existing dates are still fine. */
	calendar_init(&c);
	struct valid_date base = date(2000, 1, 1);
	for (int i = 0; i < CALENDAR_MAX_HOLIDAYS; i++) {
		struct valid_date d;
		assert_true(calendar_add_days(&base, (CALENDAR_MAX_HOLIDAYS - i) * 3, &d));
		assert_true(calendar_add_holiday(&c, &d));
	}
	assert_int_equal(c.count, CALENDAR_MAX_HOLIDAYS);
	struct valid_date more;
	assert_true(calendar_add_days(&base, 1, &more));
	assert_false(calendar_add_holiday(&c, &more));
	assert_false(calendar_is_holiday(&c, &more));
	assert_int_equal(c.count, CALENDAR_MAX_HOLIDAYS);
	struct valid_date again;
	assert_true(calendar_add_days(&base, 3, &again));
	assert_true(calendar_add_holiday(&c, &again));
	for (int i = 1; i < c.count; i++)
		assert_true(c.holiday[i - 1] < c.holiday[i]);
	assert_false(calendar_default_holidays(&c, 2026, 2026));

	/* Years outside the defaults are refused and leave the calendar as it was. */
	calendar_init(&c);
	assert_false(calendar_default_holidays(&c, 2014, 2016));
	assert_false(calendar_default_holidays(&c, 2030, 2031));
	assert_false(calendar_default_holidays(&c, 2020, 2019));
	assert_int_equal(c.count, 0);
	/* Defaults merge with what is there. */
	struct valid_date closure = date(2026, 12, 24);
	assert_true(calendar_add_holiday(&c, &closure));
	assert_true(calendar_default_holidays(&c, 2026, 2026));
	assert_true(calendar_default_holidays(&c, 2026, 2026)); /* twice: no change */
	assert_int_equal(c.count, 9);
	assert_false(calendar_is_working_day(&c, &closure));
}

/* ---- Working-day due times ----------------------------------------------------------------- */

static void due_christmas_2027_acceptance(void **state)
{
	/* Received 16:00 on Friday 24 December 2027, 1 working day: Sat 25, Sun 26, Mon 27 and
	 * Tue 28 are not working days, so it is due by the end of Wednesday 29 December. */
	due_is("2027-12-24T16:00:00Z", 1, "2027-12-29T23:59:59Z");
	due_is("2027-12-24T16:00:00Z", 2, "2027-12-30T23:59:59Z");
	due_is("2027-12-24T16:00:00Z", 3, "2027-12-31T23:59:59Z");
	due_is("2027-12-24T16:00:00Z", 4, "2028-01-04T23:59:59Z"); /* 3 January 2028 is a holiday */
}

static void due_around_easter(void **state)
{
	/* Thursday 28 March 2024: Good Friday 29, weekend (BST starts on the 31st), Easter Monday
	 * 1 April: due by the end of Tuesday 2 April, in BST. */
	due_is("2024-03-28T10:00:00Z", 1, "2024-04-02T23:59:59+01:00");
	due_is("2024-03-28T10:00:00Z", 5, "2024-04-08T23:59:59+01:00");
	/* Received on Good Friday itself, and on Easter Monday. */
	due_is("2024-03-29T09:00:00Z", 1, "2024-04-02T23:59:59+01:00");
	due_is("2024-04-01T09:00:00+01:00", 1, "2024-04-02T23:59:59+01:00");
	/* Easter 2026: Good Friday 3 April, Easter Monday 6 April. */
	due_is("2026-04-02T17:00:00+01:00", 1, "2026-04-07T23:59:59+01:00");
	due_is("2026-04-01T09:00:00+01:00", 2, "2026-04-07T23:59:59+01:00");
}

static void due_around_may_bank_holidays(void **state)
{
	/* Early May 2026 is Monday 4 May: 5 working days from Thursday 30 April. */
	due_is("2026-04-30T11:00:00+01:00", 5, "2026-05-08T23:59:59+01:00");
	due_is("2026-05-01T16:00:00+01:00", 1, "2026-05-05T23:59:59+01:00");
	/* 2020: moved to Friday 8 May (VE day); Monday 4 May was a working day. */
	due_is("2020-05-07T10:00:00+01:00", 1, "2020-05-11T23:59:59+01:00");
	due_is("2020-05-01T10:00:00+01:00", 1, "2020-05-04T23:59:59+01:00");
	/* 2023: Early May Monday 1 and the coronation Monday 8. */
	due_is("2023-05-05T10:00:00+01:00", 1, "2023-05-09T23:59:59+01:00");
	due_is("2023-04-28T10:00:00+01:00", 5, "2023-05-09T23:59:59+01:00");
	/* Spring bank holiday 2026 is Monday 25 May: 10 working days from Friday 22 May. */
	due_is("2026-05-22T15:00:00+01:00", 10, "2026-06-08T23:59:59+01:00");
	/* 2022: Thursday 2 and Friday 3 June (Platinum Jubilee); Monday 30 May worked. */
	due_is("2022-06-01T10:00:00+01:00", 1, "2022-06-06T23:59:59+01:00");
	due_is("2022-05-27T10:00:00+01:00", 1, "2022-05-30T23:59:59+01:00");
}

static void due_across_clock_changes(void **state)
{
	/* Spring 2026 (Sunday 29 March): received Friday in GMT, due Monday in BST. */
	due_is("2026-03-27T14:00:00Z", 1, "2026-03-30T23:59:59+01:00");
	/* Autumn 2026 (Sunday 25 October): received Friday in BST, due Monday in GMT. */
	due_is("2026-10-23T10:00:00+01:00", 1, "2026-10-26T23:59:59Z");
	/* Received on the change days themselves. */
	due_is("2026-03-29T00:30:00Z", 1, "2026-03-30T23:59:59+01:00");
	due_is("2026-03-29T23:30:00+01:00", 1, "2026-03-30T23:59:59+01:00");
	due_is("2026-10-25T01:30:00+01:00", 1, "2026-10-26T23:59:59Z");
	due_is("2026-10-25T01:30:00Z", 1, "2026-10-26T23:59:59Z");
}

static void due_start_day_never_counts(void **state)
{
	/* A second after midnight on a Monday: still due at the end of Tuesday. */
	due_is("2026-06-08T00:00:01+01:00", 1, "2026-06-09T23:59:59+01:00");
	due_is("2026-01-12T00:00:00Z", 1, "2026-01-13T23:59:59Z");
	/* The last second of Friday, and Saturday or Sunday: due the end of Monday. */
	due_is("2026-01-09T23:59:59Z", 1, "2026-01-12T23:59:59Z");
	due_is("2026-01-10T00:00:00Z", 1, "2026-01-12T23:59:59Z");
	due_is("2026-01-11T23:59:59Z", 1, "2026-01-12T23:59:59Z");
	/* 23:30 UTC on Sunday 7 June 2026 is 00:30 BST on Monday: the start day is Monday. */
	due_is("2026-06-07T23:30:00Z", 1, "2026-06-09T23:59:59+01:00");
	/* 23:30 UTC on Thursday 4 June 2026 is 00:30 BST on Friday 5: due Monday, not Friday. */
	due_is("2026-06-04T23:30:00Z", 1, "2026-06-08T23:59:59+01:00");
}

static void due_five_and_ten_working_days(void **state)
{
	/* An ordinary fortnight: Monday 2 November 2026. */
	due_is("2026-11-02T09:00:00Z", 5, "2026-11-09T23:59:59Z");
	due_is("2026-11-02T09:00:00Z", 10, "2026-11-16T23:59:59Z");
	/* Over Christmas 2026 (Friday 25, Monday 28 substitute) and New Year (Friday 1 January). */
	due_is("2026-12-21T09:00:00Z", 5, "2026-12-30T23:59:59Z");
	due_is("2026-12-21T09:00:00Z", 10, "2027-01-07T23:59:59Z");
	/* Over the Queen's funeral, Monday 19 September 2022. */
	due_is("2022-09-16T09:00:00+01:00", 5, "2022-09-26T23:59:59+01:00");
}

static void due_invalid_limits(void **state)
{
	int64_t t = at("2026-06-01T09:00:00+01:00");
	assert_true(calendar_add_working_days_due(&england, t, 0) == CALENDAR_NO_TIME);
	assert_true(calendar_add_working_days_due(&england, t, -1) == CALENDAR_NO_TIME);
	assert_true(calendar_add_working_days_due(&england, t, INT_MIN) == CALENDAR_NO_TIME);
	assert_true(calendar_add_working_days_due(&england, t, CALENDAR_MAX_WORKING_DAYS + 1) ==
		    CALENDAR_NO_TIME);
	assert_true(calendar_add_working_days_due(&england, t, INT_MAX) == CALENDAR_NO_TIME);
	/* The largest limit works and lands on a working day. */
	int64_t due = calendar_add_working_days_due(&england, t, CALENDAR_MAX_WORKING_DAYS);
	assert_true(due != CALENDAR_NO_TIME);
	struct valid_date d;
	calendar_local_date(due, &d);
	assert_true(calendar_is_working_day(&england, &d));
	struct valid_date start;
	calendar_local_date(t, &start);
	assert_int_equal(calendar_working_days_between(&england, &start, &d),
			 CALENDAR_MAX_WORKING_DAYS);
}

/* A calendar whose every weekday for 512 days is a holiday still gives an answer. */
static void due_full_calendar(void **state)
{
	static struct calendar c;
	calendar_init(&c);
	struct valid_date d = date(2026, 1, 5); /* a Monday */
	while (c.count < CALENDAR_MAX_HOLIDAYS) {
		if (calendar_weekday(&d) <= 5)
			assert_true(calendar_add_holiday(&c, &d));
		assert_true(calendar_add_days(&d, 1, &d));
	}
	/* d is now the day after the last holiday. */
	int64_t due = calendar_add_working_days_due(&c, at("2026-01-02T12:00:00Z"), 1);
	struct valid_date got;
	calendar_local_date(due, &got);
	struct valid_date want = d;
	while (calendar_weekday(&want) > 5)
		assert_true(calendar_add_days(&want, 1, &want));
	date_is(&got, want.year, want.month, want.day);
}

/*
 * Every day 2015-2030, received at the first second, midday and the last second of the local
 * day, for n = 1..10: the due time is the end of a local day; that day is a working day after
 * the start day; exactly n working days lie in (start day, due day], counted one by one.
 */
static void due_property_every_day(void **state)
{
	struct valid_date first = date(2015, 1, 1), last = date(2030, 12, 31);
	for (int64_t dn = valid_days_from_civil(&first); dn <= valid_days_from_civil(&last); dn++) {
		struct valid_date day;
		valid_civil_from_days(dn, &day);
		int64_t midnight = calendar_local_midnight_utc(&day);
		int64_t starts[3] = {midnight, midnight + 12 * 3600, calendar_end_of_day_utc(&day)};
		for (int s = 0; s < 3; s++) {
			for (int n = 1; n <= 10; n++) {
				int64_t due = calendar_add_working_days_due(&england, starts[s], n);
				struct valid_date due_day;
				calendar_local_date(due, &due_day);
				int64_t due_dn = valid_days_from_civil(&due_day);
				assert_int_equal(due, calendar_end_of_day_utc(&due_day));
				assert_true(calendar_is_working_day(&england, &due_day));
				assert_true(due_dn > dn);
				assert_int_equal(brute_working_days(&england, dn, due_dn), n);
				assert_int_equal(
					calendar_working_days_between(&england, &day, &due_day), n);
			}
		}
	}
}

/* ---- Working days between ------------------------------------------------------------------ */

static void working_days_between_known(void **state)
{
	struct valid_date mon = date(2026, 11, 2), wed = date(2026, 11, 4), fri = date(2026, 11, 6);
	struct valid_date next_mon = date(2026, 11, 9);
	assert_int_equal(calendar_working_days_between(&england, &mon, &wed), 2); /* 2 days late */
	assert_int_equal(calendar_working_days_between(&england, &wed, &mon), -2);
	assert_int_equal(calendar_working_days_between(&england, &mon, &mon), 0);
	assert_int_equal(calendar_working_days_between(&england, &fri, &next_mon), 1);
	assert_int_equal(calendar_working_days_between(&england, &mon, &next_mon), 5);
	struct valid_date sat = date(2026, 11, 7), sun = date(2026, 11, 8);
	assert_int_equal(calendar_working_days_between(&england, &fri, &sun), 0);
	assert_int_equal(calendar_working_days_between(&england, &sat, &sun), 0);
	/* Christmas 2027: from Friday 24 to Wednesday 29 December is one working day. */
	struct valid_date xmas_eve = date(2027, 12, 24), dec29 = date(2027, 12, 29);
	assert_int_equal(calendar_working_days_between(&england, &xmas_eve, &dec29), 1);
	/* A whole year: 2026 has 261 weekdays and 8 bank holidays, all on weekdays. */
	struct valid_date dec31_2025 = date(2025, 12, 31), dec31_2026 = date(2026, 12, 31);
	assert_int_equal(calendar_working_days_between(&england, &dec31_2025, &dec31_2026), 253);

	/* A holiday at a weekend is not subtracted twice. */
	struct calendar c;
	calendar_init(&c);
	assert_true(calendar_add_holiday(&c, &sat));
	assert_int_equal(calendar_working_days_between(&c, &mon, &next_mon), 5);
	assert_true(calendar_add_holiday(&c, &wed));
	assert_int_equal(calendar_working_days_between(&c, &mon, &next_mon), 4);
	assert_int_equal(calendar_working_days_between(&c, &wed, &next_mon), 3); /* (wed, mon] */
	assert_int_equal(calendar_working_days_between(&c, &mon, &wed), 1);      /* [.., wed] */
}

static void working_days_between_matches_counting(void **state)
{
	/* Pseudo-random pairs over 2014-2031, both ways round, against one-by-one counting. */
	struct valid_date base = date(2014, 1, 1);
	int64_t base_dn = valid_days_from_civil(&base);
	uint32_t x = 12345;
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		int64_t a = base_dn + (x >> 8) % 6200;
		x = x * 1103515245u + 12345u;
		int64_t b = a + (int64_t)((x >> 8) % 1601) - 800;
		struct valid_date da, db;
		valid_civil_from_days(a, &da);
		valid_civil_from_days(b, &db);
		assert_int_equal(calendar_working_days_between(&england, &da, &db),
				 brute_working_days(&england, a, b));
	}
}

/* ---- Hours, days and months ---------------------------------------------------------------- */

static void hours(void **state)
{
	/* A return at 21:30 on Friday 6 March 2026 (GMT): the RHI is due 21:30 Monday 9 March. */
	int64_t due = calendar_add_hours(at("2026-03-06T21:30:00Z"), 72);
	time_is(due, "2026-03-09T21:30:00Z");
	local_date_is(due, 2026, 3, 9);
	/* Across the spring change: 72 real hours from 21:30 GMT on Friday 27 March 2026 end at
	 * 22:30 BST on Monday 30 March (the local clock skipped an hour). */
	due = calendar_add_hours(at("2026-03-27T21:30:00Z"), 72);
	time_is(due, "2026-03-30T22:30:00+01:00");
	time_is(calendar_local_from_utc(due), "2026-03-30T22:30:00Z");
	/* Across the autumn change: from 21:30 BST on Friday 23 October 2026 to 20:30 GMT on
	 * Monday 26 October (the local clock repeated an hour). */
	due = calendar_add_hours(at("2026-10-23T21:30:00+01:00"), 72);
	time_is(due, "2026-10-26T20:30:00Z");
	time_is(calendar_local_from_utc(due), "2026-10-26T20:30:00Z");
	/* Plain arithmetic otherwise. */
	time_is(calendar_add_hours(at("2026-06-01T12:00:00Z"), 0), "2026-06-01T12:00:00Z");
	time_is(calendar_add_hours(at("2026-06-01T12:00:00Z"), -24), "2026-05-31T12:00:00Z");
	time_is(calendar_add_hours(at("2026-06-01T12:00:00Z"), 24 * 366), "2027-06-02T12:00:00Z");
}

static void add_days(void **state)
{
	struct valid_date d = date(2026, 1, 20), out;
	assert_true(calendar_add_days(&d, 42, &out)); /* every 6 weeks */
	date_is(&out, 2026, 3, 3);
	d = date(2024, 2, 28);
	assert_true(calendar_add_days(&d, 1, &out));
	date_is(&out, 2024, 2, 29);
	assert_true(calendar_add_days(&d, 2, &out));
	date_is(&out, 2024, 3, 1);
	d = date(2026, 1, 1);
	assert_true(calendar_add_days(&d, -1, &out));
	date_is(&out, 2025, 12, 31);
	assert_true(calendar_add_days(&d, 0, &out));
	date_is(&out, 2026, 1, 1);
	/* The same struct in and out. */
	d = date(2026, 12, 30);
	assert_true(calendar_add_days(&d, 7, &d));
	date_is(&d, 2027, 1, 6);
	/* Years 1..9999 only; out unchanged on failure. */
	d = date(9999, 12, 31);
	out = date(2000, 1, 1);
	assert_true(calendar_add_days(&d, 0, &out));
	assert_false(calendar_add_days(&d, 1, &out));
	date_is(&out, 9999, 12, 31);
	d = date(1, 1, 1);
	assert_false(calendar_add_days(&d, -1, &out));
	assert_false(calendar_add_days(&d, INT_MIN, &out));
	d = date(2026, 1, 1);
	assert_false(calendar_add_days(&d, INT_MAX, &out));
	date_is(&out, 9999, 12, 31);
}

static void add_months(void **state)
{
	struct valid_date d = date(2025, 1, 31), out;
	assert_true(calendar_add_months(&d, 1, &out));
	date_is(&out, 2025, 2, 28);
	d = date(2024, 1, 31);
	assert_true(calendar_add_months(&d, 1, &out));
	date_is(&out, 2024, 2, 29);
	assert_true(calendar_add_months(&d, 3, &out));
	date_is(&out, 2024, 4, 30);
	d = date(2024, 3, 31);
	assert_true(calendar_add_months(&d, -1, &out));
	date_is(&out, 2024, 2, 29);
	d = date(2024, 2, 29);
	assert_true(calendar_add_months(&d, 12, &out));
	date_is(&out, 2025, 2, 28);
	assert_true(calendar_add_months(&d, 48, &out));
	date_is(&out, 2028, 2, 29);
	/* Flag review 3 months: across a year end, and clamped. */
	d = date(2026, 10, 15);
	assert_true(calendar_add_months(&d, 3, &out));
	date_is(&out, 2027, 1, 15);
	d = date(2025, 11, 30);
	assert_true(calendar_add_months(&d, 3, &out));
	date_is(&out, 2026, 2, 28);
	d = date(2026, 12, 31);
	assert_true(calendar_add_months(&d, 1, &out));
	date_is(&out, 2027, 1, 31);
	d = date(2026, 1, 15);
	assert_true(calendar_add_months(&d, -1, &out));
	date_is(&out, 2025, 12, 15);
	assert_true(calendar_add_months(&d, -13, &out));
	date_is(&out, 2024, 12, 15);
	assert_true(calendar_add_months(&d, 0, &out));
	date_is(&out, 2026, 1, 15);
	/* Transition plan at 17 years 6 months (210 months) from a date of birth. */
	d = date(2009, 8, 31);
	assert_true(calendar_add_months(&d, 210, &out));
	date_is(&out, 2027, 2, 28);
	/* The same struct in and out. */
	d = date(2026, 5, 31);
	assert_true(calendar_add_months(&d, 1, &d));
	date_is(&d, 2026, 6, 30);
	/* Years 1..9999 only; out unchanged on failure. */
	out = date(2000, 1, 1);
	d = date(9999, 12, 1);
	assert_false(calendar_add_months(&d, 1, &out));
	d = date(1, 1, 31);
	assert_false(calendar_add_months(&d, -1, &out));
	assert_false(calendar_add_months(&d, INT_MIN, &out));
	assert_false(calendar_add_months(&d, INT_MAX, &out));
	date_is(&out, 2000, 1, 1);
	d = date(9998, 12, 31);
	assert_true(calendar_add_months(&d, 12, &out));
	date_is(&out, 9999, 12, 31);
	d = date(2, 1, 31);
	assert_true(calendar_add_months(&d, -12, &out));
	date_is(&out, 1, 1, 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekdays),
		cmocka_unit_test(bst_change_instants),
		cmocka_unit_test(local_time_conversion),
		cmocka_unit_test(local_dates),
		cmocka_unit_test(midnight_and_end_of_day),
		cmocka_unit_test(easter_sundays),
		cmocka_unit_test(bank_holidays_published),
		cmocka_unit_test(bank_holiday_names),
		cmocka_unit_test(bank_holiday_list_limits),
		cmocka_unit_test(calendar_sets),
		cmocka_unit_test(due_christmas_2027_acceptance),
		cmocka_unit_test(due_around_easter),
		cmocka_unit_test(due_around_may_bank_holidays),
		cmocka_unit_test(due_across_clock_changes),
		cmocka_unit_test(due_start_day_never_counts),
		cmocka_unit_test(due_five_and_ten_working_days),
		cmocka_unit_test(due_invalid_limits),
		cmocka_unit_test(due_full_calendar),
		cmocka_unit_test(due_property_every_day),
		cmocka_unit_test(working_days_between_known),
		cmocka_unit_test(working_days_between_matches_counting),
		cmocka_unit_test(hours),
		cmocka_unit_test(add_days),
		cmocka_unit_test(add_months),
	};
	return cmocka_run_group_tests(tests, setup_england, NULL);
}
