/*
 * test_valid.c - unit tests for valid.c: NHS numbers, UPNs, postcodes, dates, ages, RFC 3339
 * times, UTF-8 text checks and name folding. Each group tests both sides of every boundary.
 *
 * Owns: nothing but its own test cases. Must not touch: the store, HTTP, files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "valid.h"

/* ---- NHS number ------------------------------------------------------------------------------ */

static void nhs_valid_forms(void **state)
{
	char out[11];
	/* 9434765919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9. */
	assert_true(valid_nhs_number("9434765919", out));
	assert_string_equal(out, "9434765919");
	assert_true(valid_nhs_number("943 476 5919", out));
	assert_string_equal(out, "9434765919");
	assert_true(valid_nhs_number("943-476-5919", out));
	assert_string_equal(out, "9434765919");
	assert_true(valid_nhs_number("  943 476 5919  ", out));
	assert_string_equal(out, "9434765919");
	assert_true(valid_nhs_number("4010232137", out));
	/* Remainder 0: 11 - 0 = 11 becomes check digit 0. */
	assert_true(valid_nhs_number("9990000050", out));
	assert_string_equal(out, "9990000050");
}

static void nhs_invalid(void **state)
{
	char out[11];
	assert_false(valid_nhs_number("9434765918", out)); /* wrong check digit */
	assert_false(valid_nhs_number("9434765910", out));
	assert_false(valid_nhs_number("943476591", out));   /* 9 digits */
	assert_false(valid_nhs_number("94347659190", out)); /* 11 digits */
	assert_false(valid_nhs_number("943 476 591A", out));
	assert_false(valid_nhs_number("ABCDEFGHIJ", out));
	assert_false(valid_nhs_number("943  476 5919", out)); /* two separators in a row */
	assert_false(valid_nhs_number("943 -476 5919", out));
	assert_false(valid_nhs_number("-9434765919", out));
	assert_false(valid_nhs_number("9434765919-", out));
	assert_false(valid_nhs_number("943\t476 5919", out));
	assert_false(valid_nhs_number("", out));
	assert_false(valid_nhs_number("   ", out));
	/* 999000000: 9*10+9*9+9*8 = 243; 243 mod 11 = 1; 11-1 = 10: no check digit exists. */
	for (char c = '0'; c <= '9'; c++) {
		char s[11] = "999000000";
		s[9] = c;
		assert_false(valid_nhs_number(s, out));
	}
}

static void nhs_check_digit(void **state)
{
	assert_int_equal(valid_nhs_check_digit("943476591"), 9);
	assert_int_equal(valid_nhs_check_digit("401023213"), 7);
	assert_int_equal(valid_nhs_check_digit("999000005"), 0);
	assert_int_equal(valid_nhs_check_digit("999000000"), -1); /* remainder gives 10 */
	assert_int_equal(valid_nhs_check_digit("000000006"), -1); /* 6*2 = 12, 12 mod 11 = 1 */
	assert_int_equal(valid_nhs_check_digit("94347659"), -1);
	assert_int_equal(valid_nhs_check_digit("9434765919"), -1);
	assert_int_equal(valid_nhs_check_digit("94347659A"), -1);
	assert_int_equal(valid_nhs_check_digit(""), -1);
	/* Every digit the function gives makes a number valid_nhs_number accepts. */
	char s[11];
	char out[11];
	for (int i = 0; i < 2000; i++) {
		s[0] = '\0';
		for (int k = 0, v = i * 7919 + 12345; k < 9; k++, v /= 3)
			s[k] = (char)('0' + (v + k * 7) % 10);
		s[9] = '\0';
		int c = valid_nhs_check_digit(s);
		for (char d = '0'; d <= '9'; d++) {
			s[9] = d;
			s[10] = '\0';
			assert_int_equal(valid_nhs_number(s, out), c == d - '0');
		}
	}
}

/* ---- UPN ------------------------------------------------------------------------------------ */

static void upn_check_letter(void **state)
{
	/*
	 * "356200118001" (LA 356, establishment 2001, year 18, serial 001), weights 2..13:
	 * 3*2 + 5*3 + 6*4 + 2*5 + 0*6 + 0*7 + 1*8 + 1*9 + 8*10 + 0*11 + 0*12 + 1*13
	 * = 6 + 15 + 24 + 10 + 0 + 0 + 8 + 9 + 80 + 0 + 0 + 13 = 165; 165 mod 23 = 4 -> 'E'.
	 */
	assert_int_equal(valid_upn_check_letter("356200118001"), 'E');
	/* Temporary: final 'A' counts 0, so 165 - 13 = 152; 152 mod 23 = 14 -> 'Q'. */
	assert_int_equal(valid_upn_check_letter("35620011800A"), 'Q');
	assert_int_equal(valid_upn_check_letter("35620011800a"), 'Q');
	assert_int_equal(valid_upn_check_letter("000000000000"), 'A');
	assert_int_equal(valid_upn_check_letter("35620011800"), 0);   /* 11 characters */
	assert_int_equal(valid_upn_check_letter("3562001180012"), 0); /* 13 characters */
	assert_int_equal(valid_upn_check_letter("3562001180A1"), 0);  /* letter not last */
	assert_int_equal(valid_upn_check_letter("35620011800I"), 0);  /* I, O, S are not used */
	assert_int_equal(valid_upn_check_letter("35620011800O"), 0);
	assert_int_equal(valid_upn_check_letter("35620011800S"), 0);
	assert_int_equal(valid_upn_check_letter(""), 0);
}

static void upn_valid_and_invalid(void **state)
{
	char out[14];
	assert_true(valid_upn("E356200118001", out));
	assert_string_equal(out, "E356200118001");
	assert_true(valid_upn("e356200118001", out)); /* lower case */
	assert_string_equal(out, "E356200118001");
	assert_true(valid_upn("Q35620011800A", out)); /* temporary UPN */
	assert_true(valid_upn("q35620011800a", out));
	assert_string_equal(out, "Q35620011800A");

	assert_false(valid_upn("F356200118001", out)); /* wrong check letter */
	assert_false(valid_upn("E356200118002", out)); /* digit changed */
	assert_false(valid_upn("E35620011800A", out)); /* temporary with the permanent letter */
	assert_false(valid_upn("E35620011800", out));   /* 12 characters */
	assert_false(valid_upn("E3562001180012", out)); /* 14 characters */
	assert_false(valid_upn("1356200118001", out));  /* no check letter */
	assert_false(valid_upn("I356200118001", out));  /* I is not a check letter */
	assert_false(valid_upn("E 356200118001", out));
	assert_false(valid_upn("", out));

	/* Every constructed UPN validates, and every other first letter fails. */
	const char *alphabet = "ABCDEFGHJKLMNPQRTUVWXYZ";
	for (int i = 0; i < 500; i++) {
		char tail[13];
		for (int k = 0, v = i * 104729 + 7; k < 12; k++, v /= 2)
			tail[k] = (char)('0' + (v + k * 3) % 10);
		if (i % 5 == 0)
			tail[11] = alphabet[i % 23];
		tail[12] = '\0';
		char letter = valid_upn_check_letter(tail);
		assert_true(letter != 0);
		for (const char *a = alphabet; *a; a++) {
			char upn[14];
			upn[0] = *a;
			memcpy(upn + 1, tail, 13);
			assert_int_equal(valid_upn(upn, out), *a == letter);
		}
	}
}

/* ---- Postcodes ------------------------------------------------------------------------------ */

static void postcode_formats(void **state)
{
	static const char *const cases[][2] = {
		{"M1 1AE", "M1 1AE"},      /* A9 */
		{"M60 1NW", "M60 1NW"},    /* A99 */
		{"CR2 6XH", "CR2 6XH"},    /* AA9 */
		{"DN55 1PT", "DN55 1PT"},  /* AA99 */
		{"W1A 1HQ", "W1A 1HQ"},    /* A9A */
		{"EC1A 1BB", "EC1A 1BB"},  /* AA9A */
		{"sk11aa", "SK1 1AA"},     /* lower case, no space */
		{"  sw1a1aa ", "SW1A 1AA"}, /* spaces around */
		{"SK4   2QT", "SK4 2QT"},  /* extra spaces */
		{"s k 4 2 q t", "SK4 2QT"}, /* spaces anywhere */
		{"gir0aa", "GIR 0AA"},
		{"GIR 0AA", "GIR 0AA"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[9];
		assert_true(valid_postcode(cases[i][0], out));
		assert_string_equal(out, cases[i][1]);
	}
}

static void postcode_invalid(void **state)
{
	static const char *const bad[] = {
		"SK1",      "1AA 1AA",  "SK1 1AAA", "SK11 1AAA", "", "   ",  "SK1 1A", "SK1 A1A",
		"SKK1 1AA", "M1A1 1AA", "SK1-1AA",  "SK1 1ÄA",   "1 1AA",  "SK 1AA", "ABCDE 1AA",
		"SK1 11A",  "GIR 0AB",  "SK1 1A1",  "SK1\t1AA",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[9];
		if (valid_postcode(bad[i], out))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

static void postcode_sector_district(void **state)
{
	char out[9];
	assert_true(valid_postcode_sector("SK1 1AA", out, sizeof out));
	assert_string_equal(out, "SK1 1");
	assert_true(valid_postcode_district("SK1 1AA", out, sizeof out));
	assert_string_equal(out, "SK1");
	assert_true(valid_postcode_sector("EC1A 1BB", out, sizeof out));
	assert_string_equal(out, "EC1A 1");
	assert_true(valid_postcode_district("EC1A 1BB", out, sizeof out));
	assert_string_equal(out, "EC1A");
	assert_true(valid_postcode_sector("M1 1AE", out, sizeof out));
	assert_string_equal(out, "M1 1");
	assert_true(valid_postcode_district("M1 1AE", out, sizeof out));
	assert_string_equal(out, "M1");

	/* Only normalised postcodes. */
	assert_false(valid_postcode_sector("sk1 1aa", out, sizeof out));
	assert_false(valid_postcode_sector("SK11AA", out, sizeof out));
	assert_false(valid_postcode_district("SK1  1AA", out, sizeof out));
	assert_false(valid_postcode_district("SK1", out, sizeof out));
	assert_false(valid_postcode_district("", out, sizeof out));

	/* The cap includes the NUL. */
	assert_true(valid_postcode_sector("SK1 1AA", out, 6));
	assert_false(valid_postcode_sector("SK1 1AA", out, 5));
	assert_true(valid_postcode_district("SK1 1AA", out, 4));
	assert_false(valid_postcode_district("SK1 1AA", out, 3));
	assert_false(valid_postcode_district("SK1 1AA", out, 0));
}

/* ---- Dates ---------------------------------------------------------------------------------- */

static void dates_parse(void **state)
{
	struct valid_date d;
	assert_true(valid_parse_date("2024-02-29", &d));
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	assert_true(valid_parse_date("2000-02-29", &d));  /* divisible by 400 */
	assert_false(valid_parse_date("1900-02-29", &d)); /* divisible by 100 */
	assert_false(valid_parse_date("2023-02-29", &d));
	assert_true(valid_parse_date("2023-02-28", &d));
	assert_false(valid_parse_date("2026-13-01", &d));
	assert_false(valid_parse_date("2026-00-10", &d));
	assert_false(valid_parse_date("2026-01-00", &d));
	assert_false(valid_parse_date("2026-04-31", &d));
	assert_true(valid_parse_date("2026-12-31", &d));
	assert_false(valid_parse_date("2026-12-32", &d));
	assert_false(valid_parse_date("2026-01-01x", &d)); /* trailing garbage */
	assert_false(valid_parse_date("2026-01-01 ", &d));
	assert_false(valid_parse_date(" 2026-01-01", &d));
	assert_false(valid_parse_date("2026-1-01", &d));
	assert_false(valid_parse_date("2026/01/01", &d));
	assert_false(valid_parse_date("+026-01-01", &d));
	assert_false(valid_parse_date("0000-01-01", &d));
	assert_true(valid_parse_date("0001-01-01", &d));
	assert_true(valid_parse_date("9999-12-31", &d));
	assert_false(valid_parse_date("2026-01", &d));
	assert_false(valid_parse_date("", &d));
}

static void dates_format(void **state)
{
	char out[11];
	struct valid_date d = {2026, 3, 7};
	valid_format_date(&d, out);
	assert_string_equal(out, "2026-03-07");
	d = (struct valid_date){1, 1, 1};
	valid_format_date(&d, out);
	assert_string_equal(out, "0001-01-01");
	struct valid_date back;
	assert_true(valid_parse_date("2024-02-29", &back));
	valid_format_date(&back, out);
	assert_string_equal(out, "2024-02-29");
}

static void days_known(void **state)
{
	struct valid_date d = {1970, 1, 1};
	assert_int_equal(valid_days_from_civil(&d), 0);
	d = (struct valid_date){1969, 12, 31};
	assert_int_equal(valid_days_from_civil(&d), -1);
	d = (struct valid_date){2000, 3, 1};
	assert_int_equal(valid_days_from_civil(&d), 11017);
	d = (struct valid_date){1, 1, 1};
	assert_int_equal(valid_days_from_civil(&d), -719162);
	d = (struct valid_date){9999, 12, 31};
	assert_int_equal(valid_days_from_civil(&d), 2932896);
}

static void days_round_trip(void **state)
{
	/* Every day from 0001-01-01 to 9999-12-31: the inverse, and each day is the next date. */
	struct valid_date prev;
	valid_civil_from_days(-719163, &prev);
	assert_int_equal(prev.year, 0);
	assert_int_equal(prev.month, 12);
	assert_int_equal(prev.day, 31);
	for (int64_t n = -719162; n <= 2932896; n++) {
		struct valid_date d;
		valid_civil_from_days(n, &d);
		assert_int_equal(valid_days_from_civil(&d), n);
		if (d.day == 1) {
			if (d.month == 1) {
				assert_int_equal(prev.year, d.year - 1);
				assert_int_equal(prev.month, 12);
				assert_int_equal(prev.day, 31);
			} else {
				assert_int_equal(prev.year, d.year);
				assert_int_equal(prev.month, d.month - 1);
			}
		} else {
			assert_int_equal(prev.year, d.year);
			assert_int_equal(prev.month, d.month);
			assert_int_equal(prev.day, d.day - 1);
		}
		/* The date is one valid_parse_date accepts. */
		if (n % 97 == 0) {
			char s[11];
			struct valid_date p;
			valid_format_date(&d, s);
			assert_true(valid_parse_date(s, &p));
			assert_memory_equal(&p, &d, sizeof p);
		}
		prev = d;
	}
	/* Far outside the 1..9999 range: still exact inverses, and no overflow at the extremes. */
	for (int64_t n = -300000000; n <= 300000000; n += 999983) {
		struct valid_date d;
		valid_civil_from_days(n, &d);
		assert_int_equal(valid_days_from_civil(&d), n);
	}
	struct valid_date d;
	valid_civil_from_days(INT64_MAX, &d);
	valid_civil_from_days(INT64_MIN, &d);
}

static void date_from_time(void **state)
{
	struct valid_date d;
	valid_date_from_time(0, &d);
	assert_int_equal(d.year, 1970);
	assert_int_equal(d.month, 1);
	assert_int_equal(d.day, 1);
	valid_date_from_time(86399, &d);
	assert_int_equal(d.day, 1);
	valid_date_from_time(86400, &d);
	assert_int_equal(d.day, 2);
	valid_date_from_time(-1, &d);
	assert_int_equal(d.year, 1969);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.day, 31);
	valid_date_from_time(1764000000, &d); /* 2025-11-24T16:00:00Z */
	assert_int_equal(d.year, 2025);
	assert_int_equal(d.month, 11);
	assert_int_equal(d.day, 24);
}

static int age(const char *dob, const char *on)
{
	struct valid_date a, b;
	assert_true(valid_parse_date(dob, &a));
	assert_true(valid_parse_date(on, &b));
	return valid_age_on(&a, &b);
}

static void ages(void **state)
{
	assert_int_equal(age("2010-05-15", "2026-05-14"), 15); /* the day before the birthday */
	assert_int_equal(age("2010-05-15", "2026-05-15"), 16); /* the birthday */
	assert_int_equal(age("2010-05-15", "2026-12-31"), 16);
	assert_int_equal(age("2010-05-15", "2010-05-15"), 0);
	assert_int_equal(age("2008-12-31", "2026-01-01"), 17);
	assert_int_equal(age("2008-01-01", "2025-12-31"), 17);
	assert_int_equal(age("2008-01-01", "2026-01-01"), 18);
	/* 29 February: 1 March in other years, 29 February in leap years. */
	assert_int_equal(age("2008-02-29", "2025-02-28"), 16);
	assert_int_equal(age("2008-02-29", "2025-03-01"), 17);
	assert_int_equal(age("2008-02-29", "2024-02-28"), 15);
	assert_int_equal(age("2008-02-29", "2024-02-29"), 16);
	assert_int_equal(age("2008-02-29", "2100-02-28"), 91); /* 2100 is not a leap year */
	assert_int_equal(age("2008-02-29", "2100-03-01"), 92);
	/* Born on 28 February or 1 March is not affected. */
	assert_int_equal(age("2007-02-28", "2024-02-28"), 17);
	assert_int_equal(age("2007-03-01", "2024-02-29"), 16);
	/* Negative when `on` is before the birth. */
	assert_true(age("2026-05-15", "2026-05-14") < 0);
	assert_true(age("2026-05-15", "2025-06-01") < 0);
	assert_true(age("2024-02-29", "2023-03-01") < 0);
}

/* ---- RFC 3339 ------------------------------------------------------------------------------- */

static void times_parse(void **state)
{
	int64_t t;
	assert_true(valid_parse_time("2026-11-24T09:30:00Z", &t));
	assert_int_equal(t, 1795512600);
	assert_true(valid_parse_time("2026-11-24t09:30:00z", &t));
	assert_int_equal(t, 1795512600);
	assert_true(valid_parse_time("2026-11-24T09:30:00.123+01:00", &t));
	assert_int_equal(t, 1795509000);
	assert_true(valid_parse_time("2026-11-24T10:30:00+01:00", &t));
	assert_int_equal(t, 1795512600);
	assert_true(valid_parse_time("2026-11-24T04:00:00-05:30", &t));
	assert_int_equal(t, 1795512600);
	assert_true(valid_parse_time("2026-11-24T09:30:00-00:00", &t));
	assert_int_equal(t, 1795512600);
	/* The examples in RFC 3339 section 5.8. */
	assert_true(valid_parse_time("1985-04-12T23:20:50.52Z", &t));
	assert_int_equal(t, 482196050);
	assert_true(valid_parse_time("1996-12-19T16:39:57-08:00", &t));
	assert_int_equal(t, 851042397);
	assert_true(valid_parse_time("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(valid_parse_time("1969-12-31T23:59:59Z", &t));
	assert_int_equal(t, -1);
	assert_true(valid_parse_time("2024-02-29T23:59:59.999999999Z", &t));
	assert_int_equal(t, 1709251199);
	assert_true(valid_parse_time("2024-02-29T23:59:59+23:59", &t));
}

static void times_invalid(void **state)
{
	static const char *const bad[] = {
		"1990-12-31T23:59:60Z",       /* leap second */
		"2026-11-24 09:30:00Z",       /* space instead of T */
		"2026-11-24T09:30:00",        /* no offset */
		"2026-11-24T24:00:00Z",       /* hour 24 */
		"2026-11-24T09:60:00Z",       /* minute 60 */
		"2026-11-24T09:30Z",          /* no seconds */
		"2026-11-24T9:30:00Z",        /* one-digit hour */
		"2026-11-24T09:30:00.Z",      /* empty fraction */
		"2026-11-24T09:30:00,5Z",     /* comma fraction */
		"2026-11-24T09:30:00+0100",   /* offset without colon */
		"2026-11-24T09:30:00+01",     /* short offset */
		"2026-11-24T09:30:00+24:00",  /* offset hour 24 */
		"2026-11-24T09:30:00+01:60",  /* offset minute 60 */
		"2026-11-24T09:30:00Z ",      /* trailing space */
		"2026-11-24T09:30:00ZZ",      /* trailing garbage */
		"2026-02-30T09:30:00Z",       /* no such day */
		"2026-11-24",                 /* date only */
		"2026-11-24T",                /* truncated */
		"",
		"T09:30:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t;
		if (valid_parse_time(bad[i], &t))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

static void times_format(void **state)
{
	char out[21];
	valid_format_time(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	valid_format_time(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	valid_format_time(1795512600, out);
	assert_string_equal(out, "2026-11-24T09:30:00Z");
	valid_format_time(1709251199, out);
	assert_string_equal(out, "2024-02-29T23:59:59Z");
	/* Round trip over a wide range, including negative times. */
	for (int64_t t = -62135596800; t < 253402300799; t += 999999937) {
		int64_t back;
		valid_format_time(t, out);
		assert_true(valid_parse_time(out, &back));
		assert_int_equal(back, t);
	}
	/* Extremes never write past out. */
	valid_format_time(INT64_MAX, out);
	assert_int_equal(strlen(out), 20);
	valid_format_time(INT64_MIN, out);
	assert_int_equal(strlen(out), 20);
}

/* ---- Text ----------------------------------------------------------------------------------- */

static void text_utf8(void **state)
{
	assert_null(valid_text("Kayleigh", 1, 100, false));
	assert_null(valid_text("Zoë Wójcik", 1, 100, false));
	assert_null(valid_text("محمد", 1, 100, false));
	assert_null(valid_text("\xF0\x9F\x98\x80", 1, 1, false)); /* U+1F600, one character */
	assert_null(valid_text("\xF4\x8F\xBF\xBF", 1, 1, false)); /* U+10FFFF */
	assert_null(valid_text("\xED\x9F\xBF", 1, 1, false));     /* U+D7FF, just below surrogates */
	assert_null(valid_text("\xEE\x80\x80", 1, 1, false));     /* U+E000, just above */

	static const char *const bad[] = {
		"\xC0\xAF",         /* overlong '/' */
		"\xC1\xBF",         /* overlong */
		"\xE0\x80\xAF",     /* overlong three-byte */
		"\xE0\x9F\xBF",     /* overlong three-byte, the highest */
		"\xF0\x80\x80\xAF", /* overlong four-byte */
		"\xF0\x8F\xBF\xBF", /* overlong four-byte, the highest */
		"\xED\xA0\x80",     /* U+D800 surrogate */
		"\xED\xBF\xBF",     /* U+DFFF surrogate */
		"\xF4\x90\x80\x80", /* above U+10FFFF */
		"\xF5\x80\x80\x80",
		"\xFF",
		"\x80",             /* lone continuation byte */
		"abc\xE2\x82",      /* truncated sequence at the end */
		"\xE2\x82x",        /* truncated sequence mid-string */
		"\xC3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_string_equal(valid_text(bad[i], 0, 100, true), "is not valid UTF-8");
}

static void text_controls(void **state)
{
	assert_string_equal(valid_text("a\x01z", 0, 100, false), "contains a control character");
	assert_string_equal(valid_text("a\x7Fz", 0, 100, true), "contains a control character");
	assert_string_equal(valid_text("a\xC2\x85z", 0, 100, true), "contains a control character");
	assert_string_equal(valid_text("a\nb", 0, 100, false), "contains a control character");
	assert_string_equal(valid_text("a\tb", 0, 100, false), "contains a control character");
	assert_string_equal(valid_text("a\x1B[31m", 0, 100, true), "contains a control character");
	assert_null(valid_text("line one\r\nline two\tend", 0, 100, true));
	assert_null(valid_text("a\xC2\xA0z", 0, 100, false)); /* no-break space is not a control */
}

static void text_lengths(void **state)
{
	assert_string_equal(valid_text("", 1, 100, false), "must not be empty");
	assert_null(valid_text("", 0, 100, false));
	assert_string_equal(valid_text("ab", 3, 100, false), "must be at least 3 characters");
	assert_null(valid_text("abc", 3, 100, false));
	/* Lengths count code points, not bytes. */
	assert_null(valid_text("éé", 2, 2, false));
	assert_string_equal(valid_text("ééé", 0, 2, false), "must be 2 characters or fewer");
	assert_string_equal(valid_text("ab", 0, 1, false), "must be 1 character or fewer");
	assert_string_equal(valid_text("a", 0, 0, false), "must be empty");
	char s[102];
	memset(s, 'x', 101);
	s[101] = '\0';
	assert_string_equal(valid_text(s, 1, 100, false), "must be 100 characters or fewer");
	s[100] = '\0';
	assert_null(valid_text(s, 1, 100, false));
	/* A bad byte is reported before the length. */
	assert_string_equal(valid_text("\xFF", 5, 100, false), "is not valid UTF-8");
}

/* ---- Folding -------------------------------------------------------------------------------- */

static void fold_is(const char *in, const char *want)
{
	char out[256];
	size_t n = valid_fold(in, out, sizeof out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void fold_names(void **state)
{
	fold_is("Kayleigh SMITH", "kayleigh smith");
	fold_is("  Kayleigh   Smith  ", "kayleigh smith");
	fold_is("O'Brien", "obrien");
	fold_is("O\xE2\x80\x99" "Brien", "obrien"); /* right single quotation mark */
	fold_is("O`Brien", "obrien");
	fold_is("Smith-Jones", "smithjones");
	fold_is("Smith\xE2\x80\x90Jones", "smithjones"); /* U+2010 hyphen */
	fold_is("Mary-Jane  O'Neill, Jr.", "maryjane oneill jr");
	fold_is("Zoë", "zoe");
	fold_is("ZOË", "zoe");
	fold_is("Chloé Renée", "chloe renee");
	fold_is("José", "jose");
	fold_is("Jose\xCC\x81", "jose"); /* decomposed: e + combining acute */
	fold_is("Łukasz Wójcik", "lukasz wojcik");
	fold_is("Straße", "strasse");
	fold_is("Ørsted", "orsted");
	fold_is("Æthelred", "aethelred");
	fold_is("Œuvre", "oeuvre");
	fold_is("Þór", "thor");
	fold_is("Ionuț Popescu", "ionut popescu");
	fold_is("Ǆ", "Ǆ"); /* outside the folded blocks: kept */
	fold_is("Kay \"K\" Smith", "kay k smith");
	fold_is("Kay\xC2\xA0Smith", "kay smith"); /* no-break space separates */
	fold_is("Kay\xE2\x80\x83Smith", "kay smith"); /* em space separates */
	fold_is("Kay\xE2\x80\x8BSmith", "kaysmith"); /* zero-width space vanishes */
	fold_is("Иван Петров", "Иван Петров"); /* non-Latin kept as it is */
	fold_is("محمد", "محمد");
	fold_is("Ali2 Khan", "ali2 khan");
	fold_is("ab\xFF" "cd", "ab cd"); /* a bad byte separates */
	fold_is("", "");
	fold_is("  -- '' ", "");
	fold_is("×÷", "");
}

static void fold_truncation(void **state)
{
	char out[16];
	assert_int_equal(valid_fold("abc", out, 3), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(valid_fold("abc", out, 1), 0);
	assert_string_equal(out, "");
	out[0] = 'x';
	assert_int_equal(valid_fold("abc", out, 0), 0);
	assert_int_equal(out[0], 'x'); /* nothing written */
	/* Never a trailing space, never half a character. */
	assert_int_equal(valid_fold("a b", out, 3), 1);
	assert_string_equal(out, "a");
	assert_int_equal(valid_fold("Иван", out, 4), 2);
	assert_string_equal(out, "И");
	assert_int_equal(valid_fold("aß", out, 3), 1); /* "ss" does not fit after "a" */
	assert_string_equal(out, "a");
	assert_int_equal(valid_fold("aß", out, 4), 3);
	assert_string_equal(out, "ass");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nhs_valid_forms),
		cmocka_unit_test(nhs_invalid),
		cmocka_unit_test(nhs_check_digit),
		cmocka_unit_test(upn_check_letter),
		cmocka_unit_test(upn_valid_and_invalid),
		cmocka_unit_test(postcode_formats),
		cmocka_unit_test(postcode_invalid),
		cmocka_unit_test(postcode_sector_district),
		cmocka_unit_test(dates_parse),
		cmocka_unit_test(dates_format),
		cmocka_unit_test(days_known),
		cmocka_unit_test(days_round_trip),
		cmocka_unit_test(date_from_time),
		cmocka_unit_test(ages),
		cmocka_unit_test(times_parse),
		cmocka_unit_test(times_invalid),
		cmocka_unit_test(times_format),
		cmocka_unit_test(text_utf8),
		cmocka_unit_test(text_controls),
		cmocka_unit_test(text_lengths),
		cmocka_unit_test(fold_names),
		cmocka_unit_test(fold_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
