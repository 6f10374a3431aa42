/*
 * match.c - the record-linkage engine's core (match.h): normalising a record for comparison,
 * the comparison of each field into its level, the default model, scoring a pair into a match
 * probability and explaining it field by field. Training is in match_model.c, blocking and the
 * threaded scoring of many pairs in match_block.c, clustering in match_cluster.c, the nickname
 * and surname tables in match_names.c. The model and its numbers: docs/matching.md.
 * Owns: normalisation, comparisons, the default model, match_score. Must not touch: HTTP, SQL,
 * files.
 */
#include "match_int.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Fields and levels -------------------------------------------------------------------------- */

const int match_levels_n[MF_N] = { GIVEN_N, FAMILY_N, DOB_N, SEX_N, PC_N, ADDR_N, LOC_N, NHS_N, OTHER_N };

static const char *const field_names[MF_N] = { "given_name", "family_name", "dob",        "sex",     "postcode",
					       "address",    "locality",    "nhs_number", "other_id" };

/* How a field is named in a reason's text. */
static const char *const field_words[MF_N] = { "given name", "family name", "date of birth",
					       "sex",        "postcode",    "address",
					       "locality",   "NHS number",  "other identifier" };

static const char *const level_codes[MF_N][ML_MAX] = {
	{ "exact", "swapped_names", "nickname", "jw_high", "jw_mid", "jw_low", "initial", "different" },
	{ "exact", "swapped_names", "jw_high", "jw_mid", "jw_low", "different" },
	{ "exact", "swapped_day_month", "one_digit", "within_year", "different" },
	{ "exact", "different" },
	{ "exact", "sector", "district", "one_char", "different" },
	{ "exact", "jw_high", "jw_mid", "jw_low", "different" },
	{ "exact", "jw_high", "different" },
	{ "exact", "one_digit", "different" },
	{ "exact", "one_char", "different" },
};

const char *match_level_code(int field, int level)
{
	if (level == ML_ABSENT)
		return "absent";
	if (field < 0 || field >= MF_N || level < 0 || level >= match_levels_n[field])
		return "";
	return level_codes[field][level];
}

/* ---- The default model ---------------------------------------------------------------------------- */

/*
 * Fixed m and u for intake search and small imports, where there is no data set to learn from.
 * m: how often records of one child held by two agencies show the level (typing errors,
 * nicknames, a move, a day/month swap); u: how often two different children do, for a city's
 * population of children and young people. Each row sums to 1. docs/matching.md explains each.
 */
static const double default_m[MF_N][ML_MAX] = {
	{ 0.80, 0.01, 0.06, 0.06, 0.025, 0.02, 0.005, 0.02 },
	{ 0.85, 0.01, 0.05, 0.03, 0.02, 0.04 },
	{ 0.90, 0.02, 0.04, 0.02, 0.02 },
	{ 0.97, 0.03 },
	{ 0.65, 0.08, 0.07, 0.03, 0.17 },
	{ 0.55, 0.15, 0.08, 0.05, 0.17 },
	{ 0.80, 0.05, 0.15 },
	{ 0.97, 0.02, 0.01 },
	{ 0.90, 0.04, 0.06 },
};

/* The last level of each row ("different") takes what the others leave. */
static const double default_u[MF_N][ML_MAX] = {
	{ 0.012, 0.00005, 0.0015, 0.004, 0.006, 0.05, 0.004, 0 },
	{ 0.002, 0.00005, 0.002, 0.003, 0.04, 0 },
	{ 0.00025, 0.00008, 0.002, 0.05, 0 },
	{ 0.5, 0 },
	{ 0.0005, 0.005, 0.05, 0.001, 0 },
	{ 0.0004, 0.001, 0.01, 0.05, 0 },
	{ 0.05, 0.01, 0 },
	{ 0.0000001, 0.000001, 0 },
	{ 0.00001, 0.0001, 0 },
};

/* Prior odds that a query is a given candidate: 1 in 16,384. */
#define DEFAULT_PRIOR_LOG2 (-14.0)

static struct match_model default_model;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

void match_model_finish(struct match_model *m)
{
	for (int f = 0; f < MF_N; f++)
		for (int l = 0; l < match_levels_n[f]; l++) {
			double mm = m->m[f][l] > 1e-12 ? m->m[f][l] : 1e-12;
			double uu = m->u[f][l] > 1e-12 ? m->u[f][l] : 1e-12;
			m->w[f][l] = (float)log2(mm / uu);
		}
	double ue = m->u[MF_FAMILY][FAMILY_EXACT] > 1e-12 ? m->u[MF_FAMILY][FAMILY_EXACT] : 1e-12;
	double ug = m->u[MF_GIVEN][GIVEN_EXACT] > 1e-12 ? m->u[MF_GIVEN][GIVEN_EXACT] : 1e-12;
	m->family_u_exact_log2 = log2(ue);
	m->names_u_exact_log2 = log2(ue) + log2(ug);
	for (int f = 0; f < MF_N; f++) {
		m->maxw[f] = m->w[f][0];
		for (int l = 1; l < match_levels_n[f]; l++)
			if (m->w[f][l] > m->maxw[f])
				m->maxw[f] = m->w[f][l];
	}
	/* The names' term-frequency adjustment can add at most 6 (a trained model). */
	m->maxw[MF_FAMILY] += m->tf_raise ? 6.0f : 0.0f;
}

static void default_init(void)
{
	struct match_model *m = &default_model;
	memset(m, 0, sizeof *m);
	for (int f = 0; f < MF_N; f++) {
		double rest = 1.0;
		int n = match_levels_n[f];
		for (int l = 0; l < n; l++) {
			m->m[f][l] = default_m[f][l];
			if (l < n - 1) {
				m->u[f][l] = default_u[f][l];
				rest -= default_u[f][l];
			}
		}
		m->u[f][n - 1] = rest;
	}
	m->prior_log2 = DEFAULT_PRIOR_LOG2;
	m->tf_raise = false;
	m->is_static = true;
	match_model_finish(m);
}

const struct match_model *match_model_default(void)
{
	pthread_once(&default_once, default_init);
	return &default_model;
}

void match_model_free(struct match_model *m)
{
	if (m && !m->is_static)
		free(m);
}

int match_model_levels(const struct match_model *m, struct match_level_info *out, int cap, double *prior_log2)
{
	int k = 0;
	for (int f = 0; f < MF_N; f++)
		for (int l = 0; l < match_levels_n[f]; l++, k++)
			if (k < cap)
				out[k] = (struct match_level_info){ field_names[f], level_codes[f][l], m->m[f][l],
								    m->u[f][l], m->w[f][l] };
	if (prior_log2)
		*prior_log2 = m->prior_log2;
	return k;
}

/* ---- Folding text ------------------------------------------------------------------------------------ */

/* ASCII letters for U+00C0..U+00FF and U+0100..U+017F ('-': not a letter). */
static const char latin1_fold[] = "aaaaaaaceeeeiiiidnooooo-ouuuuyts"
				  "aaaaaaaceeeeiiiidnooooo-ouuuuyty";
static const char latin_ext_a_fold[] = "aaaaaaccccccccdd"
				       "ddeeeeeeeeeegggg"
				       "gggghhhhiiiiiiii"
				       "iiiijjkkklllllll"
				       "lllnnnnnnnnnoooo"
				       "oooorrrrrrssssss"
				       "ssttttttuuuuuuuu"
				       "uuuuwwyyyzzzzzzs";

/*
 * Decode one UTF-8 character at s (n bytes left) into *cp; returns its length (1 for a byte that
 * does not start a valid sequence, which then reads as U+FFFD).
 */
static int utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
	if (len == 0 || (size_t)len > n) {
		*cp = 0xfffd;
		return 1;
	}
	unsigned v = c & (0x3f >> (len - 1));
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/*
 * What one character folds to: a lower-case ASCII letter or digit, ' ' for a separator, 0 to
 * drop it (apostrophes and other marks), or 1 for a character of another script, kept as is.
 */
static int fold_char(unsigned cp)
{
	if (cp >= 'a' && cp <= 'z')
		return (int)cp;
	if (cp >= 'A' && cp <= 'Z')
		return (int)(cp - 'A' + 'a');
	if (cp >= '0' && cp <= '9')
		return (int)cp;
	if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == '`' || cp == 0xb4 || cp == '.')
		return 0;
	if (cp < 0x80 || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x206f))
		return ' ';
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1_fold[cp - 0xc0] == '-' ? ' ' : latin1_fold[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f)
		return latin_ext_a_fold[cp - 0x100];
	if (cp == 0x218 || cp == 0x219)
		return 's';
	if (cp == 0x21a || cp == 0x21b)
		return 't';
	if (cp == 0xfffd)
		return ' ';
	return 1;
}

/*
 * Fold s into out (cap bytes with the NUL): letters only when names is true (separators
 * dropped: "O'Brien-Smith" -> "obriensmith"), else letters and digits with single spaces between
 * words ("12, Larch  Grove" -> "12 larch grove"). Characters of other scripts are kept as their
 * UTF-8 bytes. words (may be NULL) gets the length of the first word. Returns the length.
 */
static int fold(const char *s, char *out, int cap, bool names, int *first_word)
{
	int n = 0, first = -1;
	bool space = false;
	if (first_word)
		*first_word = 0;
	if (!s)
		s = "";
	size_t left = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	while (left > 0) {
		unsigned cp;
		int len = utf8_next(p, left, &cp);
		int c = fold_char(cp);
		if (c == ' ' || (names && c >= '0' && c <= '9')) {
			if (n > 0 && first < 0)
				first = n;
			space = n > 0;
		} else if (c == 1) {
			if (space && !names && n < cap - 1)
				out[n++] = ' ';
			space = false;
			if (n + len < cap) {
				memcpy(out + n, p, (size_t)len);
				n += len;
			} else {
				break;
			}
		} else if (c != 0) {
			if (space && !names && n < cap - 1)
				out[n++] = ' ';
			space = false;
			if (n < cap - 1)
				out[n++] = (char)c;
			else
				break;
		}
		p += len;
		left -= (size_t)len;
	}
	out[n] = 0;
	if (first_word)
		*first_word = first < 0 ? n : first;
	return n;
}

/* Letters and digits of s, upper-cased, into out (cap with the NUL). Returns the length. */
static int fold_id(const char *s, char *out, int cap)
{
	int n = 0;
	for (; s && *s; s++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) && n < cap - 1)
			out[n++] = c;
	}
	out[n] = 0;
	return n;
}

/* ---- Dates -------------------------------------------------------------------------------------- */

/* Days since 0000-03-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = y / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe;
}

static bool real_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1)
		return false;
	int md = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return d <= md;
}

/* Read exactly n digits at *p (advancing it) into *v. */
static bool digits(const char **p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return true;
}

/* Read 1 or 2 digits at *p. */
static bool digits12(const char **p, int *v)
{
	if (**p < '0' || **p > '9')
		return false;
	int n = ((*p)[1] >= '0' && (*p)[1] <= '9') ? 2 : 1;
	return digits(p, n, v);
}

/* Write v (0 <= v < 10^n) as n digits. */
static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * The shape of a date of birth, not checked against the calendar: YYYY-MM-DD (or / or .),
 * YYYYMMDD, or DD/MM/YYYY (or - or .; day and month may be one digit). Spaces around it are
 * ignored. Writes the 8 digits YYYYMMDD into out.
 */
static bool dob_shape(const char *in, char out[8], int *y, int *m, int *d)
{
	if (!in)
		return false;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	char buf[16];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, in, len);
	buf[len] = 0;
	const char *p = buf;
	if (len == 8 && digits(&p, 4, y) && digits(&p, 2, m) && digits(&p, 2, d)) {
		/* YYYYMMDD */
	} else if (p = buf, len == 10 && digits(&p, 4, y) && (*p == '-' || *p == '/' || *p == '.') && p[0] == buf[4] &&
				    (p++, digits(&p, 2, m)) && *p == buf[4] && (p++, digits(&p, 2, d))) {
		/* YYYY-MM-DD */
	} else {
		p = buf;
		char sep;
		if (!digits12(&p, d) || (*p != '/' && *p != '-' && *p != '.'))
			return false;
		sep = *p++;
		if (!digits12(&p, m) || *p != sep)
			return false;
		p++;
		if (!digits(&p, 4, y) || *p)
			return false;
	}
	if (*y < 1000 || *y > 9999 || *m < 0 || *m > 99 || *d < 0 || *d > 99)
		return false;
	put_digits(out, *y, 4);
	put_digits(out + 4, *m, 2);
	put_digits(out + 6, *d, 2);
	return true;
}

int match_parse_dob(const char *in, char out[11])
{
	char d8[8];
	int y, m, d;
	out[0] = 0;
	if (!dob_shape(in, d8, &y, &m, &d) || !real_date(y, m, d))
		return -1;
	memcpy(out, d8, 4);
	out[4] = '-';
	memcpy(out + 5, d8 + 4, 2);
	out[7] = '-';
	memcpy(out + 8, d8 + 6, 2);
	out[10] = 0;
	return 0;
}

/* ---- Identifiers and postcodes ----------------------------------------------------------------- */

/* The NHS number check digit of ten digits d: true when the tenth is right. */
static bool nhs_check(const char *d)
{
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (d[i] - '0') * (10 - i);
	int c = 11 - sum % 11;
	if (c == 11)
		c = 0;
	return c != 10 && c == d[9] - '0';
}

int match_nhs_number_valid(const char *s)
{
	char d[11];
	int n = 0;
	for (; s && *s; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (*s < '0' || *s > '9' || n == 10)
			return 0;
		d[n++] = *s;
	}
	return n == 10 && nhs_check(d);
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of the outward code of a UK postcode (letters and digits only), 0 if not one. */
static int uk_outward(const char *p, int n)
{
	if (n < 5 || n > 7 || !is_digit(p[n - 3]) || !is_upper(p[n - 2]) || !is_upper(p[n - 1]))
		return 0;
	int o = n - 3;
	const char *q = p;
	/* A9, A99, AA9, AA99, A9A, AA9A */
	if (!is_upper(q[0]))
		return 0;
	if (o == 2)
		return is_digit(q[1]) ? o : 0;
	if (o == 3)
		return (is_digit(q[1]) && (is_digit(q[2]) || is_upper(q[2]))) || (is_upper(q[1]) && is_digit(q[2])) ? o
														    : 0;
	return is_upper(q[1]) && is_digit(q[2]) && (is_digit(q[3]) || is_upper(q[3])) ? o : 0;
}

/* ---- Normalising a record ---------------------------------------------------------------------- */

static char fold_sex(const char *s)
{
	char buf[16];
	int n = fold(s, buf, sizeof buf, true, NULL);
	if (n == 0)
		return 0;
	if (strcmp(buf, "m") == 0 || strcmp(buf, "male") == 0 || strcmp(buf, "boy") == 0 || strcmp(buf, "man") == 0 ||
	    strcmp(buf, "1") == 0)
		return 'm';
	if (strcmp(buf, "f") == 0 || strcmp(buf, "female") == 0 || strcmp(buf, "girl") == 0 ||
	    strcmp(buf, "woman") == 0 || strcmp(buf, "2") == 0)
		return 'f';
	return 0;
}

void match_rec_make(struct match_rec *r, const struct match_input *in)
{
	memset(r, 0, sizeof *r);
	int first = 0;
	r->given_len = (uint8_t)fold(in->given_name, r->given, MR_NAME, true, NULL);
	/* Nicknames are looked up on the first word of the given name ("Mary Jane" -> "mary"). */
	{
		char word[MR_NAME];
		fold(in->given_name, word, MR_NAME, false, &first);
		word[first] = 0;
		char letters[MR_NAME];
		int n = fold(word, letters, MR_NAME, true, NULL);
		r->n_nick = (uint8_t)match_nick_groups(letters, n, r->nick);
	}
	r->family_len = (uint8_t)fold(in->family_name, r->family, MR_NAME, true, NULL);
	r->family_lp = r->family_len ? match_surname_lp(r->family, r->family_len) : 0;
	r->address_len = (uint8_t)fold(in->address, r->address, MR_ADDR, false, NULL);
	r->locality_len = (uint8_t)fold(in->locality, r->locality, MR_LOC, false, NULL);
	r->postcode_len = (uint8_t)fold_id(in->postcode, r->postcode, MR_PC);
	r->pc_outward = (uint8_t)uk_outward(r->postcode, r->postcode_len);
	r->other_len = (uint8_t)fold_id(in->other_id, r->other, MR_ID);
	char nhs[16];
	int nn = fold_id(in->nhs_number, nhs, sizeof nhs);
	bool all_digits = nn == 10;
	for (int i = 0; i < nn; i++)
		all_digits = all_digits && is_digit(nhs[i]);
	if (all_digits) {
		memcpy(r->nhs, nhs, 11);
		r->nhs_ok = 1;
		r->nhs_valid = nhs_check(nhs);
	}
	int y, m, d;
	r->dob_day = -1;
	if (dob_shape(in->dob, r->dob, &y, &m, &d)) {
		r->dob_ok = 1;
		if (real_date(y, m, d))
			r->dob_day = days_from_civil(y, m, d);
	}
	r->sex = fold_sex(in->sex);
}

/* ---- Comparisons ------------------------------------------------------------------------------------ */

/*
 * Where each byte value occurs in the string being compared against (bit j: b[j]), per thread,
 * all zero between calls: the bits are set for b's bytes on entry and cleared on exit, so a
 * comparison costs O(|a| + |b|) word operations instead of O(|a| * window).
 */
static _Thread_local uint64_t jw_pos[256];

double match_jw_len(const char *a, int la, const char *b, int lb)
{
	if (la <= 0 || lb <= 0)
		return 0.0;
	if (la > 64)
		la = 64;
	if (lb > 64)
		lb = 64;
	const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
	int range = (la > lb ? la : lb) / 2 - 1;
	if (range < 0)
		range = 0;
	for (int j = 0; j < lb; j++)
		jw_pos[ub[j]] |= 1ull << j;
	uint64_t all_b = lb == 64 ? ~0ull : (1ull << lb) - 1;
	uint64_t am = 0, bm = 0;
	int m = 0;
	for (int i = 0; i < la; i++) {
		int lo = i - range;
		int hi = i + range;
		uint64_t win = all_b;
		if (lo > 0)
			win &= ~((1ull << lo) - 1);
		if (hi < 63)
			win &= (1ull << (hi + 1)) - 1;
		uint64_t avail = jw_pos[ua[i]] & ~bm & win;
		if (avail) {
			bm |= avail & -avail;
			am |= 1ull << i;
			m++;
		}
	}
	for (int j = 0; j < lb; j++)
		jw_pos[ub[j]] = 0;
	if (m == 0)
		return 0.0;
	int t = 0;
	uint64_t bb = bm, aa = am;
	while (aa) {
		int i = __builtin_ctzll(aa);
		int j = __builtin_ctzll(bb);
		aa &= aa - 1;
		bb &= bb - 1;
		if (ua[i] != ub[j])
			t++;
	}
	double md = m;
	double jaro = (md / la + md / lb + (md - t / 2) / md) / 3.0;
	if (jaro <= 0.7)
		return jaro;
	int l = 0;
	while (l < 4 && l < la && l < lb && a[l] == b[l])
		l++;
	return jaro + l * 0.1 * (1.0 - jaro);
}

double match_jaro_winkler(const char *a, const char *b)
{
	if (!a || !b)
		return 0.0;
	size_t la = strlen(a), lb = strlen(b);
	return match_jw_len(a, la > 64 ? 64 : (int)la, b, lb > 64 ? 64 : (int)lb);
}

/* An upper bound of Jaro-Winkler from the lengths alone (every character of the shorter matched). */
static double jw_bound(int la, int lb)
{
	double s = la < lb ? la : lb, l = la < lb ? lb : la;
	double jaro = (1.0 + s / l + 1.0) / 3.0;
	return jaro + 0.4 * (1.0 - jaro);
}

/* Same length and one position differs, or two neighbours swapped. */
static bool one_off(const char *a, const char *b, int n)
{
	int diff = -1, count = 0;
	for (int i = 0; i < n; i++)
		if (a[i] != b[i]) {
			if (count == 0)
				diff = i;
			if (++count > 2)
				return false;
		}
	if (count == 1)
		return true;
	return count == 2 && diff + 1 < n && a[diff] == b[diff + 1] && a[diff + 1] == b[diff] &&
	       a[diff + 1] != b[diff + 1];
}

/* Edit distance at most 1 (with an adjacent swap counting as one edit). */
static bool one_edit(const char *a, int la, const char *b, int lb)
{
	if (la == lb)
		return one_off(a, b, la);
	if (la + 1 == lb)
		return one_edit(b, lb, a, la);
	if (la != lb + 1)
		return false;
	int i = 0;
	while (i < lb && a[i] == b[i])
		i++;
	return memcmp(a + i + 1, b + i, (size_t)(lb - i)) == 0;
}

static bool nick_common(const struct match_rec *a, const struct match_rec *b)
{
	for (int i = 0; i < a->n_nick; i++)
		for (int j = 0; j < b->n_nick; j++)
			if (a->nick[i] == b->nick[j])
				return true;
	return false;
}

/* A name's level against another by Jaro-Winkler bands (no nickname, no swap). */
static int jw_band(double s)
{
	return s >= JW_HIGH ? 0 : s >= JW_MID ? 1 : s >= JW_LOW ? 2 : 3;
}

/* True when x and y are close enough to count as the same name in a swap. */
static bool name_close(const char *x, int lx, const char *y, int ly)
{
	if (lx == 0 || ly == 0 || x[0] != y[0])
		return false;
	if (lx == ly && memcmp(x, y, (size_t)lx) == 0)
		return true;
	return jw_bound(lx, ly) >= JW_HIGH && match_jw_len(x, lx, y, ly) >= JW_HIGH;
}

/* The given and family names' levels (with a swap between them) and similarities. */
static inline void cmp_names(const struct match_rec *a, const struct match_rec *b, uint8_t lv[MF_N], float *gs_out,
			     float *fs_out)
{
	int g = ML_ABSENT;
	double gs = 0;
	if (a->given_len && b->given_len) {
		if (a->given_len == b->given_len && memcmp(a->given, b->given, a->given_len) == 0) {
			g = GIVEN_EXACT;
			gs = 1;
		} else if (nick_common(a, b)) {
			g = GIVEN_NICKNAME;
		} else if ((a->given_len == 1 || b->given_len == 1) && a->given[0] == b->given[0]) {
			g = GIVEN_INITIAL;
		} else {
			gs = jw_bound(a->given_len, b->given_len) >= JW_LOW
				     ? match_jw_len(a->given, a->given_len, b->given, b->given_len)
				     : 0;
			static const int band[] = { GIVEN_JW_HIGH, GIVEN_JW_MID, GIVEN_JW_LOW, GIVEN_DIFFERENT };
			g = band[jw_band(gs)];
		}
	}
	int f = ML_ABSENT;
	double fs = 0;
	if (a->family_len && b->family_len) {
		if (a->family_len == b->family_len && memcmp(a->family, b->family, a->family_len) == 0) {
			f = FAMILY_EXACT;
			fs = 1;
		} else {
			fs = jw_bound(a->family_len, b->family_len) >= JW_LOW
				     ? match_jw_len(a->family, a->family_len, b->family, b->family_len)
				     : 0;
			static const int band[] = { FAMILY_JW_HIGH, FAMILY_JW_MID, FAMILY_JW_LOW, FAMILY_DIFFERENT };
			f = band[jw_band(fs)];
		}
	}
	/* Given and family names swapped between the records (both direct comparisons weak). */
	if (g != ML_ABSENT && f != ML_ABSENT && g >= GIVEN_JW_MID && f >= FAMILY_JW_MID &&
	    name_close(a->given, a->given_len, b->family, b->family_len) &&
	    name_close(a->family, a->family_len, b->given, b->given_len)) {
		g = GIVEN_SWAPPED;
		f = FAMILY_SWAPPED;
	}
	lv[MF_GIVEN] = (uint8_t)g;
	lv[MF_FAMILY] = (uint8_t)f;
	*gs_out = (float)gs;
	*fs_out = (float)fs;
}

static inline int cmp_dob(const struct match_rec *a, const struct match_rec *b)
{
	if (!a->dob_ok || !b->dob_ok)
		return ML_ABSENT;
	const char *x = a->dob, *y = b->dob;
	if (memcmp(x, y, 8) == 0)
		return DOB_EXACT;
	if (memcmp(x, y, 4) == 0 && x[4] == y[6] && x[5] == y[7] && x[6] == y[4] && x[7] == y[5])
		return DOB_SWAPPED;
	if (one_off(x, y, 8))
		return DOB_ONE_DIGIT;
	if (a->dob_day >= 0 && b->dob_day >= 0 && abs(a->dob_day - b->dob_day) <= 365)
		return DOB_WITHIN_YEAR;
	return DOB_DIFFERENT;
}

static inline int cmp_sex(const struct match_rec *a, const struct match_rec *b)
{
	return a->sex && b->sex ? (a->sex == b->sex ? SEX_EXACT : SEX_DIFFERENT) : ML_ABSENT;
}

static inline int cmp_postcode(const struct match_rec *a, const struct match_rec *b)
{
	if (!a->postcode_len || !b->postcode_len)
		return ML_ABSENT;
	int o = a->pc_outward;
	if (a->postcode_len == b->postcode_len && memcmp(a->postcode, b->postcode, a->postcode_len) == 0)
		return PC_EXACT;
	if (o && o == b->pc_outward && memcmp(a->postcode, b->postcode, (size_t)o + 1) == 0)
		return PC_SECTOR;
	if (o && o == b->pc_outward && memcmp(a->postcode, b->postcode, (size_t)o) == 0)
		return PC_DISTRICT;
	if (one_edit(a->postcode, a->postcode_len, b->postcode, b->postcode_len))
		return PC_ONE_CHAR;
	return PC_DIFFERENT;
}

static inline int cmp_address(const struct match_rec *a, const struct match_rec *b, float *sim)
{
	*sim = 0;
	if (!a->address_len || !b->address_len)
		return ML_ABSENT;
	if (a->address_len == b->address_len && memcmp(a->address, b->address, a->address_len) == 0) {
		*sim = 1;
		return ADDR_EXACT;
	}
	double as = jw_bound(a->address_len, b->address_len) >= ADDR_JW_LOW_MIN
			    ? match_jw_len(a->address, a->address_len, b->address, b->address_len)
			    : 0;
	*sim = (float)as;
	return as >= ADDR_JW_HIGH_MIN  ? ADDR_JW_HIGH
	       : as >= ADDR_JW_MID_MIN ? ADDR_JW_MID
	       : as >= ADDR_JW_LOW_MIN ? ADDR_JW_LOW
				       : ADDR_DIFFERENT;
}

static inline int cmp_locality(const struct match_rec *a, const struct match_rec *b, float *sim)
{
	*sim = 0;
	if (!a->locality_len || !b->locality_len)
		return ML_ABSENT;
	if (a->locality_len == b->locality_len && memcmp(a->locality, b->locality, a->locality_len) == 0) {
		*sim = 1;
		return LOC_EXACT;
	}
	double ls = jw_bound(a->locality_len, b->locality_len) >= LOC_JW_HIGH_MIN
			    ? match_jw_len(a->locality, a->locality_len, b->locality, b->locality_len)
			    : 0;
	*sim = (float)ls;
	return ls >= LOC_JW_HIGH_MIN ? LOC_JW_HIGH : LOC_DIFFERENT;
}

/* NHS number: one digit off counts only when a check digit fails (a typing error). */
static inline int cmp_nhs(const struct match_rec *a, const struct match_rec *b)
{
	if (!a->nhs_ok || !b->nhs_ok)
		return ML_ABSENT;
	if (memcmp(a->nhs, b->nhs, 10) == 0)
		return NHS_EXACT;
	if ((!a->nhs_valid || !b->nhs_valid) && one_off(a->nhs, b->nhs, 10))
		return NHS_ONE_DIGIT;
	return NHS_DIFFERENT;
}

static inline int cmp_other(const struct match_rec *a, const struct match_rec *b)
{
	if (!a->other_len || !b->other_len)
		return ML_ABSENT;
	if (a->other_len == b->other_len && memcmp(a->other, b->other, a->other_len) == 0)
		return OTHER_EXACT;
	if (a->other_len == b->other_len && a->other_len >= 4 && one_off(a->other, b->other, a->other_len))
		return OTHER_ONE_CHAR;
	return OTHER_DIFFERENT;
}

void match_compare_recs(const struct match_rec *a, const struct match_rec *b, uint8_t lv[MF_N], float *sim)
{
	float gs, fs, as, ls;
	cmp_names(a, b, lv, &gs, &fs);
	lv[MF_DOB] = (uint8_t)cmp_dob(a, b);
	lv[MF_SEX] = (uint8_t)cmp_sex(a, b);
	lv[MF_POSTCODE] = (uint8_t)cmp_postcode(a, b);
	lv[MF_ADDRESS] = (uint8_t)cmp_address(a, b, &as);
	lv[MF_LOCALITY] = (uint8_t)cmp_locality(a, b, &ls);
	lv[MF_NHS] = (uint8_t)cmp_nhs(a, b);
	lv[MF_OTHER] = (uint8_t)cmp_other(a, b);
	if (sim) {
		for (int i = 0; i < MF_N; i++)
			sim[i] = 0;
		sim[MF_GIVEN] = gs;
		sim[MF_FAMILY] = fs;
		sim[MF_ADDRESS] = as;
		sim[MF_LOCALITY] = ls;
	}
}

/*
 * The term-frequency adjustment (log2) of exact names: when both names are exact and the set
 * counted the full name, the full name's frequency replaces the two names' u (names cluster:
 * a Kofi is far likelier to be an Osei than the two shares multiplied say); otherwise an exact
 * family name's own frequency replaces its u. 0 when nothing was counted. The default model
 * only lowers weights (common surnames); a trained one also raises them for rare names.
 */
static double tf_adjust(const struct match_model *m, const struct match_rec *a, const uint8_t lv[MF_N])
{
	double adj;
	if (lv[MF_GIVEN] == GIVEN_EXACT && a->full_lp != 0)
		adj = m->names_u_exact_log2 - a->full_lp;
	else if (lv[MF_FAMILY] == FAMILY_EXACT && a->family_lp != 0)
		adj = m->family_u_exact_log2 - a->family_lp;
	else
		return 0;
	if (adj > 0 && !m->tf_raise)
		adj = 0;
	if (adj > 6)
		adj = 6;
	if (adj < -12)
		adj = -12;
	return adj;
}

bool match_in_location(int f)
{
	return f == MF_POSTCODE || f == MF_ADDRESS || f == MF_LOCALITY;
}

double match_weights(const struct match_model *m, const struct match_rec *a, const uint8_t lv[MF_N], double out[MF_N])
{
	double s = m->prior_log2;
	double pos = 0, neg = 0;
	int fpos = -1, fneg = -1;
	for (int f = 0; f < MF_N; f++) {
		double w = 0;
		if (lv[f] != ML_ABSENT) {
			w = m->w[f][lv[f]];
			if (f == MF_FAMILY && lv[f] == FAMILY_EXACT)
				w += tf_adjust(m, a, lv);
		}
		if (out)
			out[f] = w;
		if (lv[f] == ML_ABSENT)
			continue;
		if (!match_in_location(f)) {
			s += w;
		} else if (w > pos) {
			pos = w;
			fpos = f;
		} else if (w < neg) {
			neg = w;
			fneg = f;
		}
	}
	/* The location fields describe one home: count its strongest agreement and disagreement once. */
	s += pos + neg;
	if (out)
		for (int f = 0; f < MF_N; f++)
			if (match_in_location(f) && f != fpos && f != fneg)
				out[f] = 0;
	return s;
}

bool match_score_at_least(const struct match_model *m, const struct match_rec *a, const struct match_rec *b,
			  double min_log2, double *w)
{
	uint8_t lv[MF_N];
	float sim;
	/* The cheap fields first; then stop as soon as even the best remaining levels fall short. */
	lv[MF_DOB] = (uint8_t)cmp_dob(a, b);
	lv[MF_SEX] = (uint8_t)cmp_sex(a, b);
	lv[MF_NHS] = (uint8_t)cmp_nhs(a, b);
	lv[MF_OTHER] = (uint8_t)cmp_other(a, b);
	lv[MF_POSTCODE] = (uint8_t)cmp_postcode(a, b);
	double s = m->prior_log2;
	static const int early[] = { MF_DOB, MF_SEX, MF_NHS, MF_OTHER };
	for (size_t i = 0; i < sizeof early / sizeof early[0]; i++)
		if (lv[early[i]] != ML_ABSENT)
			s += m->w[early[i]][lv[early[i]]];
	bool names = a->given_len && b->given_len, fam = a->family_len && b->family_len;
	double names_max = (names ? m->maxw[MF_GIVEN] : 0) + (fam ? m->maxw[MF_FAMILY] : 0);
	/* The home: at most its best agreement (the postcode's level is known already). */
	double home_max = 0;
	if (lv[MF_POSTCODE] != ML_ABSENT)
		home_max = m->w[MF_POSTCODE][lv[MF_POSTCODE]];
	if (a->address_len && b->address_len && m->maxw[MF_ADDRESS] > home_max)
		home_max = m->maxw[MF_ADDRESS];
	if (a->locality_len && b->locality_len && m->maxw[MF_LOCALITY] > home_max)
		home_max = m->maxw[MF_LOCALITY];
	if (home_max < 0)
		home_max = 0;
	if (s + names_max + home_max < min_log2)
		return false;
	float gs, fs;
	cmp_names(a, b, lv, &gs, &fs);
	double nw = 0;
	if (lv[MF_GIVEN] != ML_ABSENT)
		nw += m->w[MF_GIVEN][lv[MF_GIVEN]];
	if (lv[MF_FAMILY] != ML_ABSENT) {
		nw += m->w[MF_FAMILY][lv[MF_FAMILY]];
		if (lv[MF_FAMILY] == FAMILY_EXACT)
			nw += tf_adjust(m, a, lv);
	}
	s += nw;
	if (s + home_max < min_log2)
		return false;
	lv[MF_ADDRESS] = (uint8_t)cmp_address(a, b, &sim);
	lv[MF_LOCALITY] = (uint8_t)cmp_locality(a, b, &sim);
	*w = match_weights(m, a, lv, NULL);
	return *w >= min_log2;
}

/* ---- Explaining a score -------------------------------------------------------------------------- */

/* The first word of s, trimmed, cut at cap - 1 bytes on a UTF-8 boundary. */
static void show_name(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t')
		s++;
	while (s[n] && s[n] != ' ' && s[n] != '\t' && n < cap - 1)
		n++;
	while (n > 0 && s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, s, n);
	out[n] = 0;
}

static void explain_field(struct match_explain *ex, int f, int level, double weight, float sim,
			  const struct match_input *ia, const struct match_input *ib)
{
	if (ex->n >= MATCH_REASON_MAX)
		return;
	struct match_reason *r = &ex->r[ex->n++];
	snprintf(r->field, sizeof r->field, "%s", field_names[f]);
	snprintf(r->level, sizeof r->level, "%s", match_level_code(f, level));
	r->weight = weight;
	const char *w = field_words[f];
	const char *code = level_codes[f][level];
	if (strcmp(code, "exact") == 0) {
		if (f == MF_SEX)
			snprintf(r->text, sizeof r->text, "sex the same");
		else
			snprintf(r->text, sizeof r->text, "%s exact", w);
	} else if (strcmp(code, "swapped_names") == 0) {
		snprintf(r->text, sizeof r->text, "given and family names swapped");
	} else if (strcmp(code, "nickname") == 0) {
		char x[32], y[32];
		show_name(ia->given_name, x, sizeof x);
		show_name(ib->given_name, y, sizeof y);
		snprintf(r->text, sizeof r->text, "given name a known nickname (%s ~ %s)", x, y);
	} else if (strcmp(code, "initial") == 0) {
		snprintf(r->text, sizeof r->text, "given name an initial that fits");
	} else if (strncmp(code, "jw_", 3) == 0) {
		snprintf(r->text, sizeof r->text, "%s %s (%.2f)", w,
			 strcmp(code, "jw_low") == 0 ? "somewhat similar" : "similar", sim);
	} else if (strcmp(code, "swapped_day_month") == 0) {
		snprintf(r->text, sizeof r->text, "date of birth day/month swapped");
	} else if (strcmp(code, "one_digit") == 0) {
		snprintf(r->text, sizeof r->text,
			 f == MF_NHS ? "NHS number one digit off (its check digit fails: a typing error)"
				     : "%s one digit off",
			 w);
	} else if (strcmp(code, "within_year") == 0) {
		snprintf(r->text, sizeof r->text, "date of birth different but within a year");
	} else if (strcmp(code, "sector") == 0) {
		snprintf(r->text, sizeof r->text, "postcode in the same sector");
	} else if (strcmp(code, "district") == 0) {
		snprintf(r->text, sizeof r->text, "postcode in the same district");
	} else if (strcmp(code, "one_char") == 0) {
		snprintf(r->text, sizeof r->text, "%s one character off", w);
	} else if (f == MF_GIVEN || f == MF_FAMILY || f == MF_ADDRESS || f == MF_LOCALITY) {
		snprintf(r->text, sizeof r->text, "%s different (%.2f)", w, sim);
	} else {
		snprintf(r->text, sizeof r->text, "%s different", w);
	}
}

double match_score(const struct match_model *m, const struct match_input *a, const struct match_input *b,
		   struct match_explain *ex)
{
	struct match_rec ra, rb;
	uint8_t lv[MF_N];
	float sim[MF_N];
	if (!m)
		m = match_model_default();
	match_rec_make(&ra, a);
	match_rec_make(&rb, b);
	match_compare_recs(&ra, &rb, lv, sim);
	double w[MF_N];
	double s = match_weights(m, &ra, lv, w);
	if (ex) {
		/* The comparison skips Jaro-Winkler when the lengths alone rule a band out; show it anyway. */
		if (lv[MF_GIVEN] == GIVEN_DIFFERENT && sim[MF_GIVEN] == 0)
			sim[MF_GIVEN] = (float)match_jw_len(ra.given, ra.given_len, rb.given, rb.given_len);
		if (lv[MF_FAMILY] == FAMILY_DIFFERENT && sim[MF_FAMILY] == 0)
			sim[MF_FAMILY] = (float)match_jw_len(ra.family, ra.family_len, rb.family, rb.family_len);
		if (lv[MF_ADDRESS] == ADDR_DIFFERENT && sim[MF_ADDRESS] == 0)
			sim[MF_ADDRESS] = (float)match_jw_len(ra.address, ra.address_len, rb.address, rb.address_len);
		if (lv[MF_LOCALITY] == LOC_DIFFERENT && sim[MF_LOCALITY] == 0)
			sim[MF_LOCALITY] =
				(float)match_jw_len(ra.locality, ra.locality_len, rb.locality, rb.locality_len);
		ex->n = 0;
		for (int f = 0; f < MF_N; f++) {
			if (lv[f] == ML_ABSENT)
				continue;
			explain_field(ex, f, lv[f], w[f], sim[f], a, b);
			if (f == MF_FAMILY && lv[f] == FAMILY_EXACT) {
				double adj = tf_adjust(m, &ra, lv);
				bool full = lv[MF_GIVEN] == GIVEN_EXACT && ra.full_lp != 0;
				if (adj < -0.5)
					snprintf(ex->r[ex->n - 1].text, sizeof ex->r[0].text,
						 "family name exact (a common %s)", full ? "full name" : "name");
				else if (adj > 0.5)
					snprintf(ex->r[ex->n - 1].text, sizeof ex->r[0].text,
						 "family name exact (a rare %s)", full ? "full name" : "name");
			}
		}
	}
	return 1.0 / (1.0 + exp2(-s));
}

/* ---- Nicknames (public helper) -------------------------------------------------------------------- */

int match_nickname(const char *a, const char *b)
{
	struct match_input ia = { .given_name = a }, ib = { .given_name = b };
	struct match_rec ra, rb;
	match_rec_make(&ra, &ia);
	match_rec_make(&rb, &ib);
	if (ra.given_len == rb.given_len && memcmp(ra.given, rb.given, ra.given_len) == 0)
		return 0;
	return nick_common(&ra, &rb) ? 1 : 0;
}
