/*
 * valid.c - validation and normalisation of the values safehub takes in: NHS numbers, unique
 * pupil numbers, UK postcodes, calendar dates, RFC 3339 times, free text and name search keys.
 *
 * Owns: pure functions over strings and integers (see valid.h for each contract). Must not
 * touch: HTTP, SQL, jansson, the store, the C locale (all character tests here are ASCII or
 * explicit UTF-8, never <ctype.h>, so the answer cannot change with setlocale). Nothing here
 * allocates; the only state is the thread-local buffer valid_text's length messages are
 * written into.
 */
#include "valid.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- ASCII helpers (locale-independent) ---------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static char to_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The value of `n` ASCII digits at s (the caller has checked they are digits). */
static int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* True when s[0..n) are all ASCII digits (stops at a NUL, which is not a digit). */
static bool all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* Write v as exactly `width` decimal digits (clamped to 0 .. 10^width - 1) at out. */
static void put_digits(char *out, int64_t v, int width)
{
	int64_t max = 1;
	for (int i = 0; i < width; i++)
		max *= 10;
	if (v < 0)
		v = 0;
	if (v >= max)
		v = max - 1;
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* ---- NHS number ----------------------------------------------------------------------------- */

/* The mod-11 check digit over d[0..9) (all digits), or -1 when the remainder gives 10. */
static int nhs_check(const char *d)
{
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (d[i] - '0') * (10 - i);
	int check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check == 10 ? -1 : check;
}

int valid_nhs_check_digit(const char *nine)
{
	if (!all_digits(nine, 9) || nine[9] != '\0')
		return -1;
	return nhs_check(nine);
}

bool valid_nhs_number(const char *s, char out[11])
{
	const char *p = s;
	while (*p == ' ')
		p++;
	const char *end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;

	int n = 0;
	for (; p < end; p++) {
		if (is_digit(*p)) {
			if (n == 10)
				return false;
			out[n++] = *p;
		} else if ((*p == ' ' || *p == '-') && n > 0 && p + 1 < end && is_digit(p[1])) {
			/* One separator between two digits: ignored. */
		} else {
			return false;
		}
	}
	if (n != 10)
		return false;
	out[10] = '\0';
	return nhs_check(out) == out[9] - '0';
}

/* ---- Unique pupil number -------------------------------------------------------------------- */

/* The check-letter alphabet: the value of a letter is its index (no I, O or S). */
static const char upn_alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* The value (0-22) of an upper-case letter in the check-letter alphabet, or -1. */
static int upn_letter_value(char c)
{
	if (!is_upper(c))
		return -1;
	const char *at = strchr(upn_alphabet, c);
	return at ? (int)(at - upn_alphabet) : -1;
}

char valid_upn_check_letter(const char *twelve)
{
	if (!all_digits(twelve, 11) || twelve[11] == '\0' || twelve[12] != '\0')
		return 0;
	int sum = 0;
	for (int i = 0; i < 11; i++)
		sum += (twelve[i] - '0') * (i + 2);
	char last = to_upper(twelve[11]);
	int v = is_digit(last) ? last - '0' : upn_letter_value(last);
	if (v < 0)
		return 0;
	sum += v * 13;
	return upn_alphabet[sum % 23];
}

bool valid_upn(const char *s, char out[14])
{
	for (int i = 0; i < 13; i++) {
		if (s[i] == '\0')
			return false;
		out[i] = to_upper(s[i]);
	}
	if (s[13] != '\0')
		return false;
	out[13] = '\0';
	if (upn_letter_value(out[0]) < 0)
		return false;
	return valid_upn_check_letter(out + 1) == out[0];
}

/* ---- Postcodes ------------------------------------------------------------------------------ */

bool valid_postcode(const char *s, char out[9])
{
	char c[8]; /* the characters without spaces, upper case */
	int n = 0;
	for (const char *p = s; *p; p++) {
		if (*p == ' ')
			continue;
		if (n == 7)
			return false;
		c[n++] = to_upper(*p);
	}
	if (n < 5)
		return false;
	c[n] = '\0';

	bool ok;
	int outward = n - 3;
	if (strcmp(c, "GIR0AA") == 0) {
		ok = true;
	} else {
		/* Inward code 9AA. */
		ok = is_digit(c[outward]) && is_upper(c[outward + 1]) && is_upper(c[outward + 2]);
		/* Outward code: A9, A99, AA9, A9A, AA99, AA9A. */
		bool a0 = is_upper(c[0]), a1 = is_upper(c[1]), d1 = is_digit(c[1]);
		switch (outward) {
		case 2:
			ok = ok && a0 && d1;
			break;
		case 3:
			ok = ok && a0 && ((d1 && is_digit(c[2])) || (a1 && is_digit(c[2])) ||
					  (d1 && is_upper(c[2])));
			break;
		case 4:
			ok = ok && a0 && a1 && is_digit(c[2]) && (is_digit(c[3]) || is_upper(c[3]));
			break;
		default:
			ok = false;
		}
	}
	if (!ok)
		return false;
	memcpy(out, c, (size_t)outward);
	out[outward] = ' ';
	memcpy(out + outward + 1, c + outward, 3);
	out[n + 1] = '\0';
	return true;
}

/* True when pc is a postcode exactly in valid_postcode's normalised form. */
static bool postcode_normalised(const char *pc)
{
	char norm[9];
	return strlen(pc) < sizeof norm && valid_postcode(pc, norm) && strcmp(norm, pc) == 0;
}

/* Copy the first n bytes of pc and a NUL into out when they fit in cap. */
static bool postcode_prefix(const char *pc, size_t n, char *out, size_t cap)
{
	if (n + 1 > cap)
		return false;
	memcpy(out, pc, n);
	out[n] = '\0';
	return true;
}

bool valid_postcode_sector(const char *pc, char *out, size_t cap)
{
	/* The sector is everything but the inward code's two letters. */
	if (!postcode_normalised(pc))
		return false;
	return postcode_prefix(pc, strlen(pc) - 2, out, cap);
}

bool valid_postcode_district(const char *pc, char *out, size_t cap)
{
	/* The district is the outward code: everything before " 9AA". */
	if (!postcode_normalised(pc))
		return false;
	return postcode_prefix(pc, strlen(pc) - 4, out, cap);
}

/* ---- Dates ---------------------------------------------------------------------------------- */

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

bool valid_parse_date(const char *s, struct valid_date *d)
{
	if (!all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
	    !all_digits(s + 8, 2) || s[10] != '\0')
		return false;
	int y = digits_value(s, 4), m = digits_value(s + 5, 2), day = digits_value(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || day < 1 || day > days_in_month(y, m))
		return false;
	d->year = y;
	d->month = m;
	d->day = day;
	return true;
}

void valid_format_date(const struct valid_date *d, char out[11])
{
	/* Out-of-range fields are clamped so the output is always 10 characters. */
	put_digits(out, d->year, 4);
	out[4] = '-';
	put_digits(out + 5, d->month, 2);
	out[7] = '-';
	put_digits(out + 8, d->day, 2);
	out[10] = '\0';
}

/*
 * Howard Hinnant's days_from_civil: shift the year to start on 1 March so the leap day is last,
 * count whole 400-year eras (146097 days each), then days within the era.
 */
int64_t valid_days_from_civil(const struct valid_date *d)
{
	int64_t y = (int64_t)d->year - (d->month <= 2);
	int64_t m = d->month;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                  /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d->day - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The day numbers of -999999-01-01 and 999999-12-31: civil_from_days clamps to these so the
 * year always fits an int and nothing overflows. */
#define DAYS_MIN INT64_C(-365961662)
#define DAYS_MAX INT64_C(364522971)

void valid_civil_from_days(int64_t days, struct valid_date *d)
{
	if (days < DAYS_MIN)
		days = DAYS_MIN;
	if (days > DAYS_MAX)
		days = DAYS_MAX;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                       /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->month = (int)m;
	d->year = (int)(yoe + era * 400 + (m <= 2));
}

/* Split UTC seconds into whole days (rounded down) and seconds of the day, without overflow. */
static void split_time(int64_t t, int64_t *days, int64_t *secs)
{
	int64_t q = t / 86400, r = t % 86400;
	if (r < 0) {
		q--;
		r += 86400;
	}
	*days = q;
	*secs = r;
}

void valid_date_from_time(int64_t utc_seconds, struct valid_date *d)
{
	int64_t days, secs;
	split_time(utc_seconds, &days, &secs);
	valid_civil_from_days(days, d);
}

int valid_age_on(const struct valid_date *dob, const struct valid_date *on)
{
	int years = on->year - dob->year;
	int bm = dob->month, bd = dob->day;
	if (bm == 2 && bd == 29 && !is_leap(on->year)) {
		/* A leap-day birthday falls on 1 March in other years. */
		bm = 3;
		bd = 1;
	}
	if (on->month < bm || (on->month == bm && on->day < bd))
		years--;
	return years;
}

/* ---- RFC 3339 times ------------------------------------------------------------------------- */

/* Parse "HH:MM" at s with HH <= 23 and MM <= 59 into seconds. */
static bool parse_hh_mm(const char *s, int64_t *secs)
{
	if (!all_digits(s, 2) || s[2] != ':' || !all_digits(s + 3, 2))
		return false;
	int h = digits_value(s, 2), m = digits_value(s + 3, 2);
	if (h > 23 || m > 59)
		return false;
	*secs = (int64_t)h * 3600 + m * 60;
	return true;
}

bool valid_parse_time(const char *s, int64_t *utc_seconds)
{
	/* full-date */
	char date[11];
	for (int i = 0; i < 10; i++) {
		if (s[i] == '\0')
			return false;
		date[i] = s[i];
	}
	date[10] = '\0';
	struct valid_date d;
	if (!valid_parse_date(date, &d) || (s[10] != 'T' && s[10] != 't'))
		return false;

	/* partial-time: HH:MM:SS[.fraction] (a leap second 60 is not accepted) */
	const char *p = s + 11;
	int64_t hm;
	if (!parse_hh_mm(p, &hm) || p[5] != ':' || !all_digits(p + 6, 2))
		return false;
	int sec = digits_value(p + 6, 2);
	if (sec > 59)
		return false;
	p += 8;
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}

	/* time-offset: Z or +HH:MM / -HH:MM */
	int64_t offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (!parse_hh_mm(p + 1, &offset))
			return false;
		if (*p == '-')
			offset = -offset;
		p += 6;
	} else {
		return false;
	}
	if (*p != '\0')
		return false;

	*utc_seconds = valid_days_from_civil(&d) * 86400 + hm + sec - offset;
	return true;
}

void valid_format_time(int64_t utc_seconds, char out[21])
{
	int64_t days, secs;
	split_time(utc_seconds, &days, &secs);
	struct valid_date d;
	valid_civil_from_days(days, &d);
	valid_format_date(&d, out);
	out[10] = 'T';
	put_digits(out + 11, secs / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, secs / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, secs % 60, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

/* ---- UTF-8 text ----------------------------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence at p into *cp and return its length (1-4), or 0 when the bytes are
 * not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 * Never reads past a NUL, since a NUL is never a continuation byte.
 */
static int utf8_decode(const unsigned char *p, uint32_t *cp)
{
	unsigned char b = p[0];
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	int len;
	unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
	uint32_t v;
	if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
		v = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		v = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0; /* no overlongs */
		if (b == 0xED)
			hi = 0x9F; /* no surrogates U+D800..U+DFFF */
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		v = b & 0x07;
		if (b == 0xF0)
			lo = 0x90; /* no overlongs */
		if (b == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return 0; /* a continuation byte, C0/C1 (overlong two-byte) or F5..FF */
	}
	if (p[1] < lo || p[1] > hi)
		return 0;
	v = (v << 6) | (p[1] & 0x3F);
	for (int i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	*cp = v;
	return len;
}

/* Unicode general category Cc: C0 controls, DEL and C1 controls. */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Holds valid_text's messages that carry a number; one per thread, so callers in different
 * threads never see each other's message. */
static _Thread_local char text_reason[64];

const char *valid_text(const char *s, size_t min, size_t max, bool multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0;
	bool control = false;
	while (*p) {
		uint32_t cp;
		int len = utf8_decode(p, &cp);
		if (len == 0)
			return "is not valid UTF-8";
		if (is_control(cp) && !(multiline && (cp == '\n' || cp == '\r' || cp == '\t')))
			control = true;
		count++;
		p += len;
	}
	if (control)
		return "contains a control character";
	if (count == 0 && min > 0)
		return "must not be empty";
	if (count < min) {
		snprintf(text_reason, sizeof text_reason, "must be at least %zu character%s", min,
			 min == 1 ? "" : "s");
		return text_reason;
	}
	if (count > max) {
		if (max == 0)
			return "must be empty";
		snprintf(text_reason, sizeof text_reason, "must be %zu character%s or fewer", max,
			 max == 1 ? "" : "s");
		return text_reason;
	}
	return NULL;
}

/* ---- Name folding --------------------------------------------------------------------------- */

/* What one code point becomes in a search key. */
enum fold_kind {
	FOLD_TEXT, /* the bytes written to unit */
	FOLD_SEP,  /* a word separator */
	FOLD_DROP, /* nothing: apostrophes, hyphens, combining marks, invisible format characters */
};

/*
 * Latin letters from U+00C0 to U+017F (Latin-1 Supplement letters and all of Latin Extended-A),
 * plus the Romanian comma-below letters U+0218..U+021B, folded to lower-case ASCII. Ranges are
 * sorted and do not overlap; a code point in these blocks that is not listed (× ÷) separates words.
 */
static const struct fold_range {
	uint16_t lo, hi; /* inclusive code point range */
	char fold[3];    /* what every code point in the range becomes */
} fold_latin[] = {
	{0x00C0, 0x00C5, "a"},  {0x00C6, 0x00C6, "ae"}, {0x00C7, 0x00C7, "c"},  {0x00C8, 0x00CB, "e"},
	{0x00CC, 0x00CF, "i"},  {0x00D0, 0x00D0, "d"},  {0x00D1, 0x00D1, "n"},  {0x00D2, 0x00D6, "o"},
	{0x00D8, 0x00D8, "o"},  {0x00D9, 0x00DC, "u"},  {0x00DD, 0x00DD, "y"},  {0x00DE, 0x00DE, "th"},
	{0x00DF, 0x00DF, "ss"}, {0x00E0, 0x00E5, "a"},  {0x00E6, 0x00E6, "ae"}, {0x00E7, 0x00E7, "c"},
	{0x00E8, 0x00EB, "e"},  {0x00EC, 0x00EF, "i"},  {0x00F0, 0x00F0, "d"},  {0x00F1, 0x00F1, "n"},
	{0x00F2, 0x00F6, "o"},  {0x00F8, 0x00F8, "o"},  {0x00F9, 0x00FC, "u"},  {0x00FD, 0x00FD, "y"},
	{0x00FE, 0x00FE, "th"}, {0x00FF, 0x00FF, "y"},  {0x0100, 0x0105, "a"},  {0x0106, 0x010D, "c"},
	{0x010E, 0x0111, "d"},  {0x0112, 0x011B, "e"},  {0x011C, 0x0123, "g"},  {0x0124, 0x0127, "h"},
	{0x0128, 0x0131, "i"},  {0x0132, 0x0133, "ij"}, {0x0134, 0x0135, "j"},  {0x0136, 0x0138, "k"},
	{0x0139, 0x0142, "l"},  {0x0143, 0x014B, "n"},  {0x014C, 0x0151, "o"},  {0x0152, 0x0153, "oe"},
	{0x0154, 0x0159, "r"},  {0x015A, 0x0161, "s"},  {0x0162, 0x0167, "t"},  {0x0168, 0x0173, "u"},
	{0x0174, 0x0175, "w"},  {0x0176, 0x0178, "y"},  {0x0179, 0x017E, "z"},  {0x017F, 0x017F, "s"},
	{0x0218, 0x0219, "s"},  {0x021A, 0x021B, "t"},
};

/* Classify code points outside ASCII and the Latin letter table. */
static enum fold_kind fold_other(uint32_t cp)
{
	switch (cp) {
	case 0x00AD: /* soft hyphen */
	case 0x00B4: /* acute accent, typed as an apostrophe */
	case 0x02B9: /* modifier letter prime */
	case 0x02BB: /* modifier letter turned comma (okina) */
	case 0x02BC: /* modifier letter apostrophe */
	case 0x2018: /* left single quotation mark */
	case 0x2019: /* right single quotation mark: O’Brien */
	case 0x201B: /* single high-reversed-9 quotation mark */
	case 0x2032: /* prime */
	case 0x2212: /* minus sign */
	case 0xFEFF: /* zero width no-break space (BOM) */
		return FOLD_DROP;
	default:
		break;
	}
	if (cp >= 0x0080 && cp <= 0x00BF)
		return FOLD_SEP; /* C1 controls, no-break space, Latin-1 punctuation and symbols */
	if (cp >= 0x0300 && cp <= 0x036F)
		return FOLD_DROP; /* combining diacritics: "e" + U+0301 folds like "é" */
	if (cp >= 0x2010 && cp <= 0x2015)
		return FOLD_DROP; /* hyphens and dashes */
	if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFE00 && cp <= 0xFE0F))
		return FOLD_DROP; /* invisible: zero-width, direction marks, variation selectors */
	if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000)
		return FOLD_SEP; /* other spaces and general punctuation */
	return FOLD_TEXT; /* non-Latin: kept as it is */
}

/*
 * Fold the code point cp, encoded as the n bytes at src, into unit (up to 4 bytes), setting
 * *unit_len. Returns what the code point becomes.
 */
static enum fold_kind fold_one(uint32_t cp, const unsigned char *src, int n, char unit[4],
			       size_t *unit_len)
{
	if (cp < 0x80) {
		char c = (char)cp;
		if (c == '\'' || c == '`' || c == '-')
			return FOLD_DROP;
		if (is_digit(c) || is_upper(to_upper(c))) {
			unit[0] = to_lower(c);
			*unit_len = 1;
			return FOLD_TEXT;
		}
		return FOLD_SEP;
	}
	size_t lo = 0, hi = COUNT(fold_latin);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < fold_latin[mid].lo)
			hi = mid;
		else if (cp > fold_latin[mid].hi)
			lo = mid + 1;
		else {
			*unit_len = strlen(fold_latin[mid].fold);
			memcpy(unit, fold_latin[mid].fold, *unit_len);
			return FOLD_TEXT;
		}
	}
	if (cp == 0x00AA || cp == 0x00BA) { /* feminine and masculine ordinal indicators */
		unit[0] = cp == 0x00AA ? 'a' : 'o';
		*unit_len = 1;
		return FOLD_TEXT;
	}
	if (cp >= 0x00C0 && cp <= 0x00FF)
		return FOLD_SEP; /* × and ÷ */
	enum fold_kind k = fold_other(cp);
	if (k == FOLD_TEXT) {
		memcpy(unit, src, (size_t)n);
		*unit_len = (size_t)n;
	}
	return k;
}

size_t valid_fold(const char *s, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	bool space = false; /* a separator is pending: written only before the next text */
	while (*p) {
		uint32_t cp;
		int len = utf8_decode(p, &cp);
		enum fold_kind k;
		char unit[4];
		size_t unit_len = 0;
		if (len == 0) {
			k = FOLD_SEP; /* a byte that is not UTF-8 separates words */
			len = 1;
		} else {
			k = fold_one(cp, p, len, unit, &unit_len);
		}
		p += len;
		if (k == FOLD_SEP) {
			space = n > 0;
		} else if (k == FOLD_TEXT) {
			size_t need = unit_len + (space ? 1 : 0);
			if (n + need + 1 > cap)
				break; /* truncate at a character boundary, never mid-character */
			if (space)
				out[n++] = ' ';
			memcpy(out + n, unit, unit_len);
			n += unit_len;
			space = false;
		}
	}
	out[n] = '\0';
	return n;
}
