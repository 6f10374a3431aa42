/*
 * test_export.c - the CSV text of the missing exports: field quoting (commas, quotes, line
 * breaks, edge spaces) that csv.c reads back unchanged, formulas neutralised, the buffer's cap,
 * DD/MM/YYYY dates in UK local time across the clock changes, the day windows of a range and of
 * "the 12 months to" a date (29 February included), child ids, and whole rows of both files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "export.h"
#include "valid.h"

/* The text of one field written alone (as the last of its line). */
static const char *field(const char *s)
{
	static char out[256];
	struct export_buf b;
	export_buf_init(&b, 0);
	export_csv_field(&b, s, true);
	assert_false(b.failed);
	snprintf(out, sizeof out, "%s", b.data);
	export_buf_free(&b);
	return out;
}

static int64_t utc(const char *rfc3339)
{
	int64_t t;
	assert_true(valid_parse_time(rfc3339, &t));
	return t;
}

static struct valid_date date(const char *ymd)
{
	struct valid_date d;
	assert_true(valid_parse_date(ymd, &d));
	return d;
}

static void quoting(void **state)
{
	(void)state;
	assert_string_equal(field("LA-100234"), "LA-100234\r\n");
	assert_string_equal(field(""), "\r\n");
	assert_string_equal(field("O'Hara, Jr"), "\"O'Hara, Jr\"\r\n");
	assert_string_equal(field("say \"hi\""), "\"say \"\"hi\"\"\"\r\n");
	assert_string_equal(field("two\nlines"), "\"two\nlines\"\r\n");
	assert_string_equal(field(" padded"), "\" padded\"\r\n");
	assert_string_equal(field("padded "), "\"padded \"\r\n");
	assert_string_equal(field("Zoë"), "Zoë\r\n");
	/* A spreadsheet would run these: an apostrophe first, inside quotes. */
	assert_string_equal(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
	assert_string_equal(field("+1"), "\"'+1\"\r\n");
	assert_string_equal(field("-2"), "\"'-2\"\r\n");
	assert_string_equal(field("@SUM(A1)"), "\"'@SUM(A1)\"\r\n");
	assert_string_equal(field("a-b"), "a-b\r\n");

	/* A line of awkward fields reads back through csv.c as written. */
	struct export_buf b;
	export_buf_init(&b, 0);
	const char *in[] = {"a,b", "\"q\"", "x\r\ny", " s ", "plain"};
	for (int i = 0; i < 5; i++)
		export_csv_field(&b, in[i], i == 4);
	struct csv *r = csv_open_mem(b.data, b.len);
	char **f;
	int n;
	assert_int_equal(csv_next(r, &f, &n), 1);
	assert_int_equal(n, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(f[i], in[i]);
	csv_close(r);
	export_buf_free(&b);
}

static void buffer_cap(void **state)
{
	(void)state;
	struct export_buf b;
	export_buf_init(&b, 10);
	assert_true(export_buf_append(&b, "12345", 5));
	assert_true(export_buf_append(&b, "67890", 5));
	assert_int_equal(b.len, 10);
	assert_false(export_buf_append(&b, "x", 1));
	assert_true(b.failed);
	assert_false(export_buf_append(&b, "", 0)); /* once failed, always failed */
	assert_string_equal(b.data, "1234567890");
	export_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_false(b.failed);
	/* Growth past the first allocation keeps the text whole. */
	export_buf_init(&b, 0);
	for (int i = 0; i < 10000; i++)
		assert_true(export_buf_append(&b, "0123456789", 10));
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(b.data), 100000);
	export_buf_free(&b);
}

static void dates(void **state)
{
	(void)state;
	char out[11];
	export_date_uk("2008-05-14", out);
	assert_string_equal(out, "14/05/2008");
	export_date_uk("", out);
	assert_string_equal(out, "");
	export_date_uk("2021-02-30", out);
	assert_string_equal(out, "");
	export_time_uk(0, out);
	assert_string_equal(out, "");
	/* 23:30 UTC on 30 June is 00:30 on 1 July in BST; 23:30 UTC on 31 December is still 31 December. */
	export_time_uk(utc("2021-06-30T23:30:00Z"), out);
	assert_string_equal(out, "01/07/2021");
	export_time_uk(utc("2021-06-30T22:59:59Z"), out);
	assert_string_equal(out, "30/06/2021");
	export_time_uk(utc("2020-12-31T23:30:00Z"), out);
	assert_string_equal(out, "31/12/2020");
}

static void windows(void **state)
{
	(void)state;
	struct valid_date from = date("2021-07-01"), to = date("2021-07-01"), d;
	int64_t lo, hi;
	export_range(&from, &to, &lo, &hi);
	assert_int_equal(lo, utc("2021-06-30T23:00:00Z")); /* local midnight in BST */
	assert_int_equal(hi, utc("2021-07-01T23:00:00Z"));
	from = date("2021-01-01");
	to = date("2021-12-31");
	export_range(&from, &to, &lo, &hi);
	assert_int_equal(lo, utc("2021-01-01T00:00:00Z"));
	assert_int_equal(hi, utc("2022-01-01T00:00:00Z"));
	char s[11];
	struct valid_date at = date("2026-03-31");
	export_year_to(&at, &d);
	valid_format_date(&d, s);
	assert_string_equal(s, "2025-04-01");
	at = date("2028-02-29");
	export_year_to(&at, &d);
	valid_format_date(&d, s);
	assert_string_equal(s, "2027-03-01");
	at = date("2025-03-01");
	export_year_to(&at, &d);
	valid_format_date(&d, s);
	assert_string_equal(s, "2024-03-02");
	at = date("2021-12-31");
	export_year_to(&at, &d);
	valid_format_date(&d, s);
	assert_string_equal(s, "2021-01-01");
}

static void rows(void **state)
{
	(void)state;
	char id[32];
	export_child_id("LA-100234", 42, id, sizeof id);
	assert_string_equal(id, "LA-100234");
	export_child_id("", 42, id, sizeof id);
	assert_string_equal(id, "P42");
	export_child_id(NULL, 7, id, sizeof id);
	assert_string_equal(id, "P7");

	struct export_buf b;
	export_buf_init(&b, 0);
	export_ssda903_header(&b);
	struct export_ssda903_row r = {.child = "LA-1", .dob = "2008-05-14", .category = "A",
				       .started_at = utc("2021-06-30T23:30:00Z"), .ended_at = utc("2021-07-02T08:00:00Z")};
	export_ssda903_row(&b, &r);
	r = (struct export_ssda903_row){.child = "P9", .dob = "", .category = "M", .started_at = utc("2021-04-10T15:00:00Z")};
	export_ssda903_row(&b, &r);
	assert_string_equal(b.data, "CHILD,DOB,MISSING,MIS_START,MIS_END\r\n"
				    "LA-1,14/05/2008,A,01/07/2021,02/07/2021\r\n"
				    "P9,,M,10/04/2021,\r\n");
	export_buf_free(&b);

	export_annex_a_header(&b);
	struct export_annex_a_row a = {.child = "LA-1", .given_name = "Mary-Jane", .family_name = "O'Hara, Jr",
				       .dob = "2008-05-14", .sex = "female", .missing_episodes = 3, .absent_episodes = 1,
				       .highest_grade = 3, .last_start = utc("2021-06-30T23:30:00Z"),
				       .last_end = utc("2021-07-02T08:00:00Z"), .rhi_offered = true,
				       .rhi_response = "accepted"};
	export_annex_a_row(&b, &a);
	a = (struct export_annex_a_row){.child = "P9", .given_name = "=Zed", .family_name = "Quinn", .sex = "male",
					.missing_episodes = 1, .highest_grade = -1,
					.last_start = utc("2021-04-10T15:00:00Z")};
	export_annex_a_row(&b, &a);
	a.rhi_offered = true;
	snprintf(a.rhi_response, sizeof a.rhi_response, "declined");
	a.highest_grade = 0;
	export_annex_a_row(&b, &a);
	assert_string_equal(b.data,
			    "child_id,given_name,family_name,dob,sex,missing_episodes,absent_episodes,highest_grade,"
			    "last_episode_start,last_episode_end,rhi_offered_after_last,rhi_accepted_after_last\r\n"
			    "LA-1,Mary-Jane,\"O'Hara, Jr\",14/05/2008,female,3,1,high,01/07/2021,02/07/2021,Yes,Yes\r\n"
			    "P9,\"'=Zed\",Quinn,,male,1,0,,10/04/2021,,No,\r\n"
			    "P9,\"'=Zed\",Quinn,,male,1,0,none,10/04/2021,,Yes,No\r\n");
	export_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoting),
		cmocka_unit_test(buffer_cap),
		cmocka_unit_test(dates),
		cmocka_unit_test(windows),
		cmocka_unit_test(rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
