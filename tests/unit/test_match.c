/*
 * test_match.c - unit tests for the match engine (match.h): Jaro-Winkler against published
 * values, each comparison's levels (day/month swap, one digit off, nicknames, names swapped,
 * postcode sector and district, NHS number check digits), the default model's scores and
 * reasons, dates of birth, clustering, and EM on a small synthetic population with a known
 * truth (converges, finds the matches, with and without identifiers).
 *
 * Owns: nothing but its own test cases. Must not touch: the store, HTTP, files.
 */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"

/* ---- Helpers -------------------------------------------------------------------------------------- */

/* The reason for `field` in ex, or NULL when the field was not compared. */
static const struct match_reason *reason(const struct match_explain *ex, const char *field)
{
	for (int i = 0; i < ex->n; i++)
		if (strcmp(ex->r[i].field, field) == 0)
			return &ex->r[i];
	return NULL;
}

/* The level of `field` when a and b are scored under the default model ("" when not compared). */
static const char *level(const struct match_input *a, const struct match_input *b, const char *field)
{
	static struct match_explain ex;
	match_score(match_model_default(), a, b, &ex);
	const struct match_reason *r = reason(&ex, field);
	return r ? r->level : "";
}

static const char *dob_level(const char *x, const char *y)
{
	struct match_input a = { .dob = x }, b = { .dob = y };
	return level(&a, &b, "dob");
}

static const char *pc_level(const char *x, const char *y)
{
	struct match_input a = { .postcode = x }, b = { .postcode = y };
	return level(&a, &b, "postcode");
}

static const char *nhs_level(const char *x, const char *y)
{
	struct match_input a = { .nhs_number = x }, b = { .nhs_number = y };
	return level(&a, &b, "nhs_number");
}

/* ---- Jaro-Winkler ----------------------------------------------------------------------------------- */

static void jaro_winkler_known_values(void **state)
{
	(void)state;
	/* Winkler's examples (prefix scale 0.1, at most 4 characters of prefix). */
	assert_float_equal(match_jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.0005);
	assert_float_equal(match_jaro_winkler("DWAYNE", "DUANE"), 0.840, 0.0005);
	assert_float_equal(match_jaro_winkler("DIXON", "DICKSONX"), 0.813, 0.0005);
	assert_float_equal(match_jaro_winkler("JELLYFISH", "SMELLYFISH"), 0.896, 0.0005);
	/* Symmetric; identical is 1; nothing in common is 0; empty is 0. */
	assert_float_equal(match_jaro_winkler("DUANE", "DWAYNE"), 0.840, 0.0005);
	assert_float_equal(match_jaro_winkler("KAYLEIGH", "KAYLEIGH"), 1.0, 1e-12);
	assert_float_equal(match_jaro_winkler("ABC", "XYZ"), 0.0, 1e-12);
	assert_float_equal(match_jaro_winkler("", "ABC"), 0.0, 1e-12);
	assert_float_equal(match_jaro_winkler(NULL, "ABC"), 0.0, 1e-12);
	/* Byte by byte: case counts. */
	assert_true(match_jaro_winkler("martha", "MARTHA") < 0.5);
	/* Jaro alone below 0.7 gets no prefix boost: CRATE/TRACE is 0.733 either way. */
	assert_float_equal(match_jaro_winkler("CRATE", "TRACE"), 0.733, 0.0005);
}

/* ---- Dates of birth ---------------------------------------------------------------------------------- */

static void dob_parse_forms(void **state)
{
	(void)state;
	char out[11];
	assert_int_equal(match_parse_dob("2004-03-07", out), 0);
	assert_string_equal(out, "2004-03-07");
	assert_int_equal(match_parse_dob("20040307", out), 0);
	assert_string_equal(out, "2004-03-07");
	assert_int_equal(match_parse_dob("07/03/2004", out), 0);
	assert_string_equal(out, "2004-03-07");
	assert_int_equal(match_parse_dob(" 7/3/2004 ", out), 0);
	assert_string_equal(out, "2004-03-07");
	assert_int_equal(match_parse_dob("2000-02-29", out), 0);
	assert_int_equal(match_parse_dob("1900-02-29", out), -1); /* not a leap year */
	assert_string_equal(out, "");
	assert_int_equal(match_parse_dob("2004-13-01", out), -1);
	assert_int_equal(match_parse_dob("31/04/2004", out), -1);
	assert_int_equal(match_parse_dob("2004-3-7", out), -1);
	assert_int_equal(match_parse_dob("07/03/04", out), -1);
	assert_int_equal(match_parse_dob("yesterday", out), -1);
	assert_int_equal(match_parse_dob("", out), -1);
	assert_int_equal(match_parse_dob(NULL, out), -1);
}

static void dob_levels(void **state)
{
	(void)state;
	assert_string_equal(dob_level("2004-03-07", "07/03/2004"), "exact");
	/* Day and month swapped, in any of the accepted forms. */
	assert_string_equal(dob_level("2004-03-07", "2004-07-03"), "swapped_day_month");
	assert_string_equal(dob_level("07/03/2004", "03/07/2004"), "swapped_day_month");
	assert_string_equal(dob_level("20040307", "2004-07-03"), "swapped_day_month");
	/* Same day and month: nothing to swap. A different year is not a swap. */
	assert_string_equal(dob_level("2004-05-05", "2004-05-05"), "exact");
	assert_string_equal(dob_level("2004-03-07", "2003-07-03"), "within_year");
	/* One digit off, or two neighbouring digits swapped. */
	assert_string_equal(dob_level("2004-03-07", "2004-03-08"), "one_digit");
	assert_string_equal(dob_level("2004-03-07", "2014-03-07"), "one_digit");
	assert_string_equal(dob_level("2004-03-12", "2004-03-21"), "one_digit");
	assert_string_equal(dob_level("2004-03-17", "2004-03-28"), "within_year");
	/* Within a year, either side of the boundary. */
	assert_string_equal(dob_level("2004-03-07", "2005-03-06"), "within_year");
	assert_string_equal(dob_level("2004-03-07", "2005-03-09"), "different");
	assert_string_equal(dob_level("2004-03-07", "1990-11-30"), "different");
	/* Not a real date (FEBRL corrupts some) is still compared digit by digit. */
	assert_string_equal(dob_level("19551192", "19551102"), "one_digit");
	/* Missing on one side: not compared. */
	assert_string_equal(dob_level("", "2004-03-07"), "");
	assert_string_equal(dob_level("unknown", "2004-03-07"), "");
}

/* ---- Names ----------------------------------------------------------------------------------------- */

static void nicknames(void **state)
{
	(void)state;
	assert_true(match_nickname("Kayley", "Kayleigh"));
	assert_true(match_nickname("kayleigh", "KALEIGH"));
	assert_true(match_nickname("Bill", "William"));
	assert_true(match_nickname("Liam", "William"));
	assert_true(match_nickname("Becky", "Rebecca"));
	assert_true(match_nickname("Mo", "Mohammed"));
	assert_true(match_nickname("Zoë", "Zoey")); /* accents folded */
	assert_true(match_nickname("Harry", "Henry"));
	assert_true(match_nickname("Harry", "Harrison"));
	assert_true(match_nickname("Sam Louise", "Samantha")); /* the first word */
	assert_false(match_nickname("Henry", "Harrison"));     /* both Harry, not each other */
	assert_false(match_nickname("Bill", "Robert"));
	assert_false(match_nickname("Kayleigh", "Kayleigh")); /* the same name is not a nickname */
	assert_false(match_nickname("Kayleigh", ""));
	assert_false(match_nickname("Xanthe", "Xavier"));

	struct match_input a = { .given_name = "Kayley" }, b = { .given_name = "Kayleigh" };
	struct match_explain ex;
	match_score(match_model_default(), &a, &b, &ex);
	const struct match_reason *r = reason(&ex, "given_name");
	assert_non_null(r);
	assert_string_equal(r->level, "nickname");
	assert_string_equal(r->text, "given name a known nickname (Kayley ~ Kayleigh)");
	assert_true(r->weight > 3);
}

static void name_levels(void **state)
{
	(void)state;
	struct match_input a = { .given_name = "John", .family_name = "Smith" };
	struct match_input b = { .given_name = "Smith", .family_name = "John" };
	assert_string_equal(level(&a, &b, "given_name"), "swapped_names");
	assert_string_equal(level(&a, &b, "family_name"), "swapped_names");
	struct match_input c = { .given_name = "JOHN", .family_name = "o'smith" };
	struct match_input d = { .given_name = "john", .family_name = "O Smith" };
	assert_string_equal(level(&c, &d, "given_name"), "exact"); /* case and punctuation folded */
	assert_string_equal(level(&c, &d, "family_name"), "exact");
	struct match_input e = { .family_name = "Smith" }, f = { .family_name = "Smyth" };
	assert_string_equal(level(&e, &f, "family_name"), "jw_mid");
	struct match_input g = { .family_name = "Martha" }, h = { .family_name = "Marhta" };
	assert_string_equal(level(&g, &h, "family_name"), "jw_high");
	struct match_input i = { .given_name = "J" }, j = { .given_name = "Jasmine" };
	assert_string_equal(level(&i, &j, "given_name"), "initial");
	struct match_input k = { .given_name = "Tyler" }, l = { .given_name = "Chloe" };
	assert_string_equal(level(&k, &l, "given_name"), "different");

	/* A common surname weighs less than a rare one (term frequency). */
	struct match_input s1 = { .family_name = "Smith" }, s2 = { .family_name = "Featherstonehaugh" };
	struct match_explain ex1, ex2;
	match_score(match_model_default(), &s1, &s1, &ex1);
	match_score(match_model_default(), &s2, &s2, &ex2);
	assert_true(reason(&ex1, "family_name")->weight < reason(&ex2, "family_name")->weight - 2);
	assert_string_equal(reason(&ex1, "family_name")->text, "family name exact (a common name)");
	assert_string_equal(reason(&ex2, "family_name")->text, "family name exact");
}

/* ---- Postcodes and identifiers ---------------------------------------------------------------------- */

static void postcode_levels(void **state)
{
	(void)state;
	assert_string_equal(pc_level("SK4 2QT", "sk42qt"), "exact");
	assert_string_equal(pc_level("SK4 2QT", "SK4 2QY"), "sector");
	assert_string_equal(pc_level("SK4 2QT", "SK4 3AB"), "district");
	assert_string_equal(pc_level("M1 1AA", "M1 7ZZ"), "district");
	/* M1 and M11 are different districts that share a prefix: one character apart, no more. */
	assert_string_equal(pc_level("M1 1AA", "M11 1AA"), "one_char");
	assert_string_equal(pc_level("SK4 2QT", "SK4 2TQ"), "sector");
	assert_string_equal(pc_level("SK4 2QT", "OL1 5PS"), "different");
	/* Not UK postcodes (FEBRL's are 4 digits): exact or one character off. */
	assert_string_equal(pc_level("2119", "2119"), "exact");
	assert_string_equal(pc_level("2119", "2191"), "one_char");
	assert_string_equal(pc_level("2119", "3165"), "different");
	assert_string_equal(pc_level("", "SK4 2QT"), "");

	struct match_input a = { .postcode = "SK4 2QT" }, b = { .postcode = "SK4 2QY" };
	struct match_explain ex;
	match_score(match_model_default(), &a, &b, &ex);
	assert_string_equal(reason(&ex, "postcode")->text, "postcode in the same sector");
}

static void nhs_numbers(void **state)
{
	(void)state;
	/* 9434765919: the weighted sum is 299, 299 mod 11 = 2, 11 - 2 = 9. */
	assert_true(match_nhs_number_valid("9434765919"));
	assert_true(match_nhs_number_valid("943 476 5919"));
	assert_true(match_nhs_number_valid("943-476-5919"));
	assert_true(match_nhs_number_valid("4010232137"));
	assert_false(match_nhs_number_valid("9434765918"));
	assert_false(match_nhs_number_valid("943476591"));
	assert_false(match_nhs_number_valid("94347659190"));
	assert_false(match_nhs_number_valid("943476591X"));
	assert_false(match_nhs_number_valid(""));
	/* 999000000x: the remainder gives 10, so no check digit exists. */
	assert_false(match_nhs_number_valid("9990000000"));

	assert_string_equal(nhs_level("9434765919", "943 476 5919"), "exact");
	/* One digit mistyped (the check digit then fails): a typing error of one number. */
	assert_string_equal(nhs_level("9434765919", "9434765819"), "one_digit");
	/* Two neighbours swapped: also caught by the check digit. */
	assert_string_equal(nhs_level("9434765919", "9437465919"), "one_digit");
	/* Two valid numbers are two numbers, however close. */
	assert_string_equal(nhs_level("9434765919", "4010232137"), "different");
	/* Not 10 digits: not compared. */
	assert_string_equal(nhs_level("9434765919", "12345"), "");

	struct match_input a = { .nhs_number = "9434765919" }, b = { .nhs_number = "9434765819" };
	struct match_explain ex;
	match_score(match_model_default(), &a, &b, &ex);
	const struct match_reason *r = reason(&ex, "nhs_number");
	assert_string_equal(r->text, "NHS number one digit off (its check digit fails: a typing error)");
	assert_true(r->weight > 10);
}

static void other_ids(void **state)
{
	(void)state;
	struct match_input a = { .other_id = "LA-1234567" }, b = { .other_id = "la 1234567" };
	assert_string_equal(level(&a, &b, "other_id"), "exact");
	struct match_input c = { .other_id = "LA-1234568" };
	assert_string_equal(level(&a, &c, "other_id"), "one_char");
	struct match_input d = { .other_id = "LA-7654321" };
	assert_string_equal(level(&a, &d, "other_id"), "different");
}

/* ---- The default model ------------------------------------------------------------------------------- */

static void default_model_intake(void **state)
{
	(void)state;
	/* The girl: a school's Kayleigh Smyth and the police's Kayley Smith. */
	struct match_input police = { .given_name = "Kayley", .family_name = "Smith", .dob = "07/03/2004" };
	struct match_input school = { .given_name = "Kayleigh", .family_name = "Smyth", .dob = "2004-07-03" };
	struct match_explain ex;
	double p = match_score(match_model_default(), &police, &school, &ex);
	assert_true(p >= 0.8);
	assert_int_equal(ex.n, 3);
	assert_string_equal(reason(&ex, "given_name")->text, "given name a known nickname (Kayley ~ Kayleigh)");
	assert_string_equal(reason(&ex, "family_name")->text, "family name similar (0.89)");
	assert_string_equal(reason(&ex, "dob")->text, "date of birth day/month swapped");
	double sum = 0;
	for (int i = 0; i < ex.n; i++)
		sum += ex.r[i].weight;
	/* The reasons' weights add up to the score (with the prior of 1 in 16,384). */
	assert_float_equal(p, 1.0 / (1.0 + exp2(14.0 - sum)), 1e-9);

	/* A different girl of the same surname and birth year scores far lower. */
	struct match_input other = { .given_name = "Chelsea", .family_name = "Smith", .dob = "2004-11-21" };
	assert_true(match_score(match_model_default(), &police, &other, NULL) < 0.01);
	/* Identical records are a sure match; NULL model means the default. */
	assert_true(match_score(NULL, &school, &school, NULL) > 0.999);
	/* Nothing in common to compare: no evidence, the prior alone. */
	struct match_input empty = { 0 };
	memset(&ex, 0xff, sizeof ex);
	assert_true(match_score(match_model_default(), &empty, &school, &ex) < 0.001);
	assert_int_equal(ex.n, 0);
}

static void home_counted_once(void **state)
{
	(void)state;
	/* Siblings: same family name and home, different given name and date of birth. */
	struct match_input a = { .given_name = "Kayleigh",
				 .family_name = "Walker",
				 .dob = "2004-03-07",
				 .postcode = "SK4 2QT",
				 .address = "12 Larch Grove",
				 .locality = "Stockport" };
	struct match_input b = { .given_name = "Tyler",
				 .family_name = "Walker",
				 .dob = "2007-09-30",
				 .postcode = "SK4 2QT",
				 .address = "12 Larch Grove",
				 .locality = "Stockport" };
	struct match_explain ex;
	assert_true(match_score(match_model_default(), &a, &b, &ex) < 0.05);
	/* Only the strongest of the home's agreements counts; the others show 0. */
	int counted = 0;
	for (int i = 0; i < ex.n; i++)
		if (strcmp(ex.r[i].field, "postcode") == 0 || strcmp(ex.r[i].field, "address") == 0 ||
		    strcmp(ex.r[i].field, "locality") == 0)
			counted += ex.r[i].weight != 0;
	assert_int_equal(counted, 1);
}

/* ---- Clustering --------------------------------------------------------------------------------------- */

static void clusters(void **state)
{
	(void)state;
	struct match_pair p[] = { { 3, 5, 0.9f }, { 5, 6, 0.9f }, { 1, 2, 0.8f }, { 0, 7, 0.7f }, { 6, 4, 0.6f } };
	uint32_t c[8];
	assert_int_equal(match_cluster(8, p, 5, c), 0);
	uint32_t want[8] = { 0, 1, 1, 3, 3, 3, 3, 0 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(c[i], want[i]);
	assert_int_equal(match_cluster(8, NULL, 0, c), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(c[i], (uint32_t)i);
}

/* ---- EM on a synthetic population -------------------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng_state >> 33) % n);
}

static const char *const given_names[] = { "William",  "Olivia", "Kayleigh", "Jacob", "Amelia", "Thomas", "Rebecca",
					   "Mohammed", "Chloe",  "Daniel",   "Aisha", "Connor", "Megan",  "Kyle",
					   "Zara",     "Lewis",  "Jade",     "Oscar", "Leah",   "Ryan" };
static const char *const nick_names[] = { "Bill",  "Liv",   "Kayley", "Jake",  "Millie", "Tom", "Becky",
					  "Mo",    "Chloe", "Danny",  "Aysha", "Con",    "Meg", "Kyle",
					  "Zarah", "Louis", "Jade",   "Ozzy",  "Lea",    "Ryan" };
static const char *const family_names[] = { "Smith",     "Jones",   "Khan",   "Walker",  "Murphy", "Patel", "Wood",
					    "Okafor",    "Nowak",   "Hughes", "Begum",   "Taylor", "Brown", "Ashworth",
					    "Greenwood", "Kershaw", "Osei",   "Doherty", "Mellor", "Rigby" };

/* One person as generated: the clean values. */
struct person {
	char given[16], family[16], dob[11], postcode[9], address[32], nhs[11];
};

/* A record of person p with errors drawn at rng's rate; `ids` keeps the NHS number. */
static void noisy(const struct person *p, int g, bool ids, char buf[6][40], struct match_input *in, char *id)
{
	snprintf(buf[0], 40, "%s", rnd(10) == 0 ? nick_names[g] : p->given);
	snprintf(buf[1], 40, "%s", p->family);
	if (rnd(10) == 0) { /* a typo: two letters swapped */
		size_t n = strlen(buf[1]);
		size_t k = 1 + rnd((uint32_t)(n - 2));
		char t = buf[1][k];
		buf[1][k] = buf[1][k + 1];
		buf[1][k + 1] = t;
	}
	snprintf(buf[2], 40, "%s", p->dob);
	if (rnd(15) == 0 && buf[2][8] <= '1') { /* day and month swapped (when the day can be a month) */
		char d0 = buf[2][8], d1 = buf[2][9];
		buf[2][8] = buf[2][5];
		buf[2][9] = buf[2][6];
		buf[2][5] = d0;
		buf[2][6] = d1;
	} else if (rnd(20) == 0) {
		buf[2][0] = 0; /* missing */
	}
	if (rnd(6) == 0) { /* moved */
		snprintf(buf[3], 40, "OL%u %u%c%c", 1 + rnd(9), rnd(10), 'A' + rnd(26), 'A' + rnd(26));
		snprintf(buf[4], 40, "%u Mill Lane", 1 + rnd(300));
	} else {
		snprintf(buf[3], 40, "%s", p->postcode);
		snprintf(buf[4], 40, "%s", p->address);
	}
	bool nhs_known = rnd(4) != 0;
	snprintf(buf[5], 40, "%s", ids && nhs_known ? p->nhs : "");
	*in = (struct match_input){ .id = id,
				    .given_name = buf[0],
				    .family_name = buf[1],
				    .dob = buf[2],
				    .postcode = buf[3],
				    .address = buf[4],
				    .nhs_number = buf[5] };
}

/* Build a population of n persons, each in 1-3 records; truth[i] is record i's person. */
static struct match_set *population(int n, bool ids, uint32_t *truth, size_t *records)
{
	struct match_set *s = match_set_new();
	assert_non_null(s);
	rng_state = 42;
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		struct person p;
		int g = (int)rnd(20);
		snprintf(p.given, sizeof p.given, "%s", given_names[g]);
		snprintf(p.family, sizeof p.family, "%s", family_names[rnd(20)]);
		snprintf(p.dob, sizeof p.dob, "%04u-%02u-%02u", 2000 + rnd(15), 1 + rnd(12), 1 + rnd(28));
		snprintf(p.postcode, sizeof p.postcode, "SK%u %u%c%c", 1 + rnd(9), rnd(10), 'A' + rnd(26),
			 'A' + rnd(26));
		snprintf(p.address, sizeof p.address, "%u %s Road", 1 + rnd(200), family_names[rnd(20)]);
		snprintf(p.nhs, sizeof p.nhs, "999%07u", (unsigned)i);
		int copies = 1 + (int)rnd(3);
		for (int c = 0; c < copies; c++) {
			char buf[6][40], id[16];
			struct match_input in;
			snprintf(id, sizeof id, "r%zu", k);
			noisy(&p, g, ids, buf, &in, id);
			assert_int_equal(match_set_add(s, &in, 0), 0);
			truth[k++] = (uint32_t)i;
		}
	}
	*records = k;
	return s;
}

/* Pairwise precision and recall of the clusters against the truth (n small: all pairs). */
static void pairwise(const uint32_t *cluster, const uint32_t *truth, size_t n, double *precision, double *recall)
{
	double tp = 0, pred = 0, real = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			bool p = cluster[i] == cluster[j], t = truth[i] == truth[j];
			tp += p && t;
			pred += p;
			real += t;
		}
	*precision = pred > 0 ? tp / pred : 1;
	*recall = real > 0 ? tp / real : 1;
}

static void em_converges(bool ids)
{
	uint32_t truth[2000];
	size_t n;
	struct match_set *s = population(600, ids, truth, &n);
	assert_int_equal(match_set_size(s), n);
	assert_string_equal(match_set_id(s, 3), "r3");
	double true_pairs = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			true_pairs += truth[i] == truth[j];

	struct match_run run = { .threads = 2, .threshold = 0.5, .seed = 1 };
	struct match_model *m = match_train(s, &run);
	assert_non_null(m);
	assert_true(run.em_converged);
	assert_true(run.em_iterations > 0);
	assert_true(run.random_pairs > 0);
	/* The matches EM expects are near the truth. */
	assert_true(run.expected_matches > 0.8 * true_pairs);
	assert_true(run.expected_matches < 1.25 * true_pairs);
	/* What it learnt is what was generated: a match's date of birth is usually exact, a
	   non-match's rarely; a move is common among matches. */
	struct match_level_info info[96];
	int k = match_model_levels(m, info, 96, NULL);
	assert_true(k > 30 && k <= 96);
	for (int i = 0; i < k; i++) {
		if (strcmp(info[i].field, "dob") == 0 && strcmp(info[i].level, "exact") == 0) {
			assert_true(info[i].m > 0.8);
			assert_true(info[i].u < 0.01);
		}
		if (strcmp(info[i].field, "postcode") == 0 && strcmp(info[i].level, "different") == 0)
			assert_true(info[i].m > 0.05 && info[i].m < 0.4);
		if (strcmp(info[i].field, "given_name") == 0 && strcmp(info[i].level, "nickname") == 0)
			assert_true(info[i].weight > 2);
	}

	struct match_pair *pairs;
	size_t np;
	assert_int_equal(match_pairs(m, s, &run, &pairs, &np), 0);
	assert_true(run.pairs_compared >= np);
	for (size_t i = 0; i < np; i++) {
		assert_true(pairs[i].a < pairs[i].b);
		assert_true(pairs[i].p >= 0.5f);
		if (i > 0)
			assert_true(pairs[i - 1].a < pairs[i].a ||
				    (pairs[i - 1].a == pairs[i].a && pairs[i - 1].b < pairs[i].b));
	}
	uint32_t *cluster = malloc(n * sizeof *cluster);
	assert_non_null(cluster);
	match_cluster(n, pairs, np, cluster);
	double precision, recall;
	pairwise(cluster, truth, n, &precision, &recall);
	print_message("EM %s identifiers: %zu records, %.0f true pairs, %.0f expected, %d iterations;"
		      " precision %.3f recall %.3f\n",
		      ids ? "with" : "without", n, true_pairs, run.expected_matches, run.em_iterations, precision,
		      recall);
	assert_true(precision >= 0.98);
	assert_true(recall >= (ids ? 0.97 : 0.95));
	free(cluster);
	free(pairs);
	match_model_free(m);
	match_set_free(s);
}

static void em_with_identifiers(void **state)
{
	(void)state;
	em_converges(true);
}

static void em_without_identifiers(void **state)
{
	(void)state;
	em_converges(false);
}

static void link_two_sides(void **state)
{
	(void)state;
	/* Left: three children; right: two of them as another agency wrote them, and a stranger. */
	struct match_input left[] = {
		{ .id = "L1",
		  .given_name = "Kayleigh",
		  .family_name = "Smyth",
		  .dob = "2004-07-03",
		  .postcode = "SK4 2QT" },
		{ .id = "L2",
		  .given_name = "Tyler",
		  .family_name = "Okafor",
		  .dob = "2006-01-30",
		  .postcode = "M14 6WY" },
		{ .id = "L3",
		  .given_name = "Aisha",
		  .family_name = "Begum",
		  .dob = "2009-12-12",
		  .postcode = "OL1 5PS" },
	};
	struct match_input right[] = {
		{ .id = "R1",
		  .given_name = "Kayley",
		  .family_name = "Smith",
		  .dob = "07/03/2004",
		  .postcode = "SK4 2QY" },
		{ .id = "R2",
		  .given_name = "Aysha",
		  .family_name = "Begum",
		  .dob = "12/12/2009",
		  .postcode = "OL1 5PS" },
		{ .id = "R3",
		  .given_name = "Connor",
		  .family_name = "Walsh",
		  .dob = "2001-05-05",
		  .postcode = "BL3 4EZ" },
	};
	struct match_set *s = match_set_new();
	for (int i = 0; i < 3; i++)
		assert_int_equal(match_set_add(s, &left[i], 0), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(match_set_add(s, &right[i], 1), 0);
	struct match_run run = { .link = 1, .threads = 1, .threshold = 0.5 };
	struct match_pair *p;
	size_t n;
	assert_int_equal(match_pairs(NULL, s, &run, &p, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(match_set_id(s, p[0].a), "L1");
	assert_string_equal(match_set_id(s, p[0].b), "R1");
	assert_string_equal(match_set_id(s, p[1].a), "L3");
	assert_string_equal(match_set_id(s, p[1].b), "R2");
	free(p);
	/* Threshold 0: every candidate pair, still only left with right. */
	run.threshold = 0;
	assert_int_equal(match_pairs(NULL, s, &run, &p, &n), 0);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++)
		assert_true(p[i].a < 3 && p[i].b >= 3);
	free(p);
	match_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jaro_winkler_known_values),
		cmocka_unit_test(dob_parse_forms),
		cmocka_unit_test(dob_levels),
		cmocka_unit_test(nicknames),
		cmocka_unit_test(name_levels),
		cmocka_unit_test(postcode_levels),
		cmocka_unit_test(nhs_numbers),
		cmocka_unit_test(other_ids),
		cmocka_unit_test(default_model_intake),
		cmocka_unit_test(home_counted_once),
		cmocka_unit_test(clusters),
		cmocka_unit_test(em_with_identifiers),
		cmocka_unit_test(em_without_identifiers),
		cmocka_unit_test(link_two_sides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
