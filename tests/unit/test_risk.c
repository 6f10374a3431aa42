/*
 * test_risk.c - unit tests for risk.c: the shipped example tool, every kind of bad definition with
 * its field path, scoring at the threshold boundaries, floor rules (disclosure, age, learning
 * disability, a choice option), professional override and its rationale, answer errors, the JSON
 * forms, and determinism.
 *
 * Owns: nothing but its own test cases. Reads config/risk-tools/exploitation-screening-v1.json
 * from the working directory (tests run from the repository root). Must not touch: the store, HTTP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "risk.h"

/* The shipped definition, loaded once by main; tests change deep copies of it. */
static json_t *default_def;

/*
 * A small tool whose numbers are easy to add up: thresholds 10 and 25; a=4, b=6, z=9, c is a
 * choice none 0 / some 5 / lots 15; told is a disclosure scoring 0; ld scores 0 and sets a floor;
 * c=some sets a floor at medium.
 */
static const char small_tool[] =
	"{\"code\": \"test-tool\", \"version\": 3, \"name\": \" Test tool \", \"levels\": [\"low\", \"medium\", \"high\"],"
	" \"thresholds\": {\"medium\": 10, \"high\": 25},"
	" \"domains\": ["
	"  {\"code\": \"d1\", \"label\": \"First\", \"indicators\": ["
	"   {\"code\": \"a\", \"label\": \"A\", \"type\": \"yesno\", \"score\": 4},"
	"   {\"code\": \"b\", \"label\": \"B\", \"type\": \"yesno\", \"score\": 6},"
	"   {\"code\": \"c\", \"label\": \"C\", \"type\": \"choice\", \"options\": ["
	"     {\"code\": \"none\", \"label\": \"None\", \"score\": 0},"
	"     {\"code\": \"some\", \"label\": \"Some\", \"score\": 5},"
	"     {\"code\": \"lots\", \"label\": \"Lots\", \"score\": 15}]}]},"
	"  {\"code\": \"d2\", \"label\": \"Second\", \"indicators\": ["
	"   {\"code\": \"told\", \"label\": \"Disclosed\", \"type\": \"yesno\", \"score\": 0, \"disclosure\": true},"
	"   {\"code\": \"ld\", \"label\": \"Learning disability\", \"type\": \"yesno\", \"score\": 0},"
	"   {\"code\": \"z\", \"label\": \"Z\", \"type\": \"yesno\", \"score\": 9}]}],"
	" \"floors\": ["
	"  {\"when\": \"disclosure\", \"level\": \"high\", \"label\": \"A disclosure of exploitation forces high\"},"
	"  {\"when\": \"age_at_most\", \"age\": 13, \"level\": \"medium\", \"label\": \"A child aged 13 or under cannot be rated low\"},"
	"  {\"when\": \"indicator\", \"indicator\": \"ld\", \"level\": \"medium\", \"label\": \"A learning disability cannot be rated low\"},"
	"  {\"when\": \"indicator\", \"indicator\": \"c\", \"option\": \"some\", \"level\": \"medium\", \"label\": \"Some C cannot be low\"}]}";

/* ---- helpers --------------------------------------------------------------------------------- */

static char *read_file(const char *name, size_t *len)
{
	FILE *f = fopen(name, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0 && n < 1000000);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void print_errors(json_t *errs)
{
	char *s = json_dumps(errs, JSON_INDENT(1));
	fprintf(stderr, "errors: %s\n", s ? s : "(none)");
	free(s);
}

/* has_error - an error on exactly `field` whose message contains `part` (any message if NULL). */
static bool has_error(json_t *errs, const char *field, const char *part)
{
	size_t i;
	json_t *e;
	json_array_foreach(errs, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		const char *m = json_string_value(json_object_get(e, "message"));
		if (f && strcmp(f, field) == 0 && (!part || (m && strstr(m, part))))
			return true;
	}
	return false;
}

static struct risk_tool *parse_ok(json_t *def)
{
	struct jv v = { 0 };
	struct risk_tool *t = NULL;
	enum risk_status st = risk_tool_parse(def, &t, &v);
	json_t *errs = jv_take(&v);
	if (st != RISK_OK)
		print_errors(errs);
	json_decref(errs);
	assert_int_equal(st, RISK_OK);
	assert_non_null(t);
	return t;
}

static struct risk_tool *small(void)
{
	struct jv v = { 0 };
	struct risk_tool *t = NULL;
	enum risk_status st = risk_tool_parse_text(small_tool, strlen(small_tool), &t, &v);
	json_t *errs = jv_take(&v);
	if (st != RISK_OK)
		print_errors(errs);
	json_decref(errs);
	assert_int_equal(st, RISK_OK);
	return t;
}

/* Something that is not NULL, to check that a failed parse resets *out. */
static struct risk_tool sentinel;

/* expect_bad - parsing def (stolen) fails with an error on field whose message contains part. */
static void expect_bad(json_t *def, const char *field, const char *part)
{
	struct jv v = { 0 };
	struct risk_tool *t = &sentinel;
	enum risk_status st = risk_tool_parse(def, &t, &v);
	json_t *errs = jv_take(&v);
	if (!has_error(errs, field, part)) {
		fprintf(stderr, "wanted an error on %s containing \"%s\"\n", field, part ? part : "");
		print_errors(errs);
	}
	assert_int_equal(st, RISK_INVALID);
	assert_null(t);
	assert_true(has_error(errs, field, part));
	json_decref(errs);
	json_decref(def);
}

static json_t *copy_default(void)
{
	json_t *d = json_deep_copy(default_def);
	assert_non_null(d);
	return d;
}

static json_t *domain(json_t *def, size_t d)
{
	return json_array_get(json_object_get(def, "domains"), d);
}

static json_t *indicator(json_t *def, size_t d, size_t i)
{
	return json_array_get(json_object_get(domain(def, d), "indicators"), i);
}

static json_t *floor_at(json_t *def, size_t i)
{
	return json_array_get(json_object_get(def, "floors"), i);
}

/* assess - risk_assess with answers given as JSON text; asserts the status; returns the errors. */
static json_t *assess(const struct risk_tool *t, const char *answers, int age, const char *level,
		      const char *why, enum risk_status want, struct risk_result *r)
{
	json_error_t e;
	json_t *a = answers ? json_loads(answers, JSON_DECODE_ANY, &e) : NULL;
	if (answers && !a)
		fail_msg("bad test JSON: %s", e.text);
	struct jv v = { 0 };
	enum risk_status st = risk_assess(t, a, age, level, why, r, &v);
	json_t *errs = jv_take(&v);
	if (st != want)
		print_errors(errs);
	assert_int_equal(st, want);
	json_decref(a);
	return errs;
}

/* assess_ok - assess expecting RISK_OK. */
static void assess_ok(const struct risk_tool *t, const char *answers, int age, const char *level,
		      const char *why, struct risk_result *r)
{
	json_decref(assess(t, answers, age, level, why, RISK_OK, r));
}

/* ---- levels ---------------------------------------------------------------------------------- */

static void levels(void **state)
{
	assert_int_equal(risk_level_rank("low"), 1);
	assert_int_equal(risk_level_rank("medium"), 2);
	assert_int_equal(risk_level_rank("high"), 3);
	assert_int_equal(risk_level_rank("High"), 0);
	assert_int_equal(risk_level_rank(" high"), 0);
	assert_int_equal(risk_level_rank(""), 0);
	assert_int_equal(risk_level_rank(NULL), 0);
	assert_int_equal(risk_level_rank("severe"), 0);
	assert_string_equal(risk_level_name(RISK_LOW), "low");
	assert_string_equal(risk_level_name(RISK_MEDIUM), "medium");
	assert_string_equal(risk_level_name(RISK_HIGH), "high");
	assert_null(risk_level_name(RISK_LEVEL_NONE));
	assert_null(risk_level_name((enum risk_level)4));
}

/* ---- the shipped example --------------------------------------------------------------------- */

static void default_tool_parses(void **state)
{
	struct risk_tool *t = parse_ok(default_def);
	assert_string_equal(t->code, "exploitation-screening");
	assert_int_equal(t->version, 1);
	assert_true(t->example);
	assert_non_null(strstr(t->description, "EXAMPLE ONLY"));
	assert_non_null(strstr(t->description, "not a validated"));
	assert_non_null(strstr(t->name, "example"));
	assert_int_equal(t->threshold_medium, 10);
	assert_int_equal(t->threshold_high, 25);

	/* The twelve published indicator families, in order. */
	static const char *const families[] = {
		"Missing", "Accommodation", "Education attendance", "Substance misuse", "Family relationships",
		"Engagement", "Coercion and gangs", "Sexual health", "Emotional and mental health",
		"Contact with risky adults, peers or places", "Online and phones", "Other",
	};
	assert_int_equal(t->n_domains, 12);
	int sum = 0;
	for (size_t i = 0; i < 12; i++) {
		assert_string_equal(t->domains[i].label, families[i]);
		assert_true(t->domains[i].count >= 3);
		sum += t->domains[i].max_score;
	}
	assert_true(t->n_indicators >= 40);
	assert_int_equal(sum, t->max_score);
	assert_true(t->max_score > t->threshold_high);

	/* The three floor rules of the requirement. */
	assert_int_equal(t->n_floors, 3);
	assert_int_equal(t->floors[0].kind, RISK_FLOOR_DISCLOSURE);
	assert_int_equal(t->floors[0].level, RISK_HIGH);
	assert_int_equal(t->floors[1].kind, RISK_FLOOR_AGE_AT_MOST);
	assert_int_equal(t->floors[1].age, 13);
	assert_int_equal(t->floors[1].level, RISK_MEDIUM);
	assert_int_equal(t->floors[2].kind, RISK_FLOOR_INDICATOR);
	assert_string_equal(t->indicators[t->floors[2].indicator].code, "learning_disability");
	assert_int_equal(t->floors[2].option, -1);

	/* Indicators know their domain, and the disclosure indicator is marked. */
	size_t disclosures = 0;
	for (size_t d = 0; d < t->n_domains; d++)
		for (size_t k = t->domains[d].first; k < t->domains[d].first + t->domains[d].count; k++) {
			assert_int_equal(t->indicators[k].domain, d);
			disclosures += t->indicators[k].disclosure;
		}
	assert_int_equal(disclosures, 1);
	risk_tool_free(t);
}

static void default_tool_scenarios(void **state)
{
	struct risk_tool *t = parse_ok(default_def);
	struct risk_result r;

	/* Nothing answered, age 15: low. */
	assess_ok(t, "{}", 15, NULL, NULL, &r);
	assert_int_equal(r.score, 0);
	assert_int_equal(r.final_level, RISK_LOW);
	assert_int_equal(r.unanswered, t->n_indicators);

	/* A 15-year-old going missing, found out of area, with a second phone and unexplained money:
	 * 6 + 6 + 5 + 4 = 21, medium. */
	const char *county = "{\"missing_episodes\": \"two_to_four\", \"missing_found_out_of_area\": true,"
			     " \"multiple_phones\": true, \"unexplained_money_gifts\": true, \"self_harm\": false}";
	assess_ok(t, county, 15, NULL, NULL, &r);
	assert_int_equal(r.score, 21);
	assert_int_equal(r.answered, 5);
	assert_int_equal(r.computed_level, RISK_MEDIUM);
	assert_int_equal(r.final_level, RISK_MEDIUM);
	assert_int_equal(r.domain_score[0], 12); /* missing */

	/* ... and carrying a knife: 27, high. */
	assess_ok(t, "{\"missing_episodes\": \"two_to_four\", \"missing_found_out_of_area\": true,"
		     " \"multiple_phones\": true, \"unexplained_money_gifts\": true, \"carrying_weapon\": true}",
		  15, NULL, NULL, &r);
	assert_int_equal(r.score, 27);
	assert_int_equal(r.final_level, RISK_HIGH);

	/* A disclosure alone forces high; a learning disability alone gives medium. */
	assess_ok(t, "{\"disclosure\": true}", 16, NULL, NULL, &r);
	assert_int_equal(r.computed_level, RISK_MEDIUM); /* scores 10 */
	assert_int_equal(r.final_level, RISK_HIGH);
	assess_ok(t, "{\"learning_disability\": true}", 16, NULL, NULL, &r);
	assert_int_equal(r.score, 2);
	assert_int_equal(r.final_level, RISK_MEDIUM);
	assert_string_equal(r.floors[0].label, "A child with a learning disability cannot be rated low");

	/* A 12-year-old with nothing else known: medium. */
	assess_ok(t, "{}", 12, NULL, NULL, &r);
	assert_int_equal(r.final_level, RISK_MEDIUM);
	risk_tool_free(t);
}

/* The file is the definition; the JSON form round-trips through the parser. */
static void tool_json_round_trip(void **state)
{
	struct risk_tool *t = parse_ok(default_def);
	json_t *j = risk_tool_json(t);
	assert_non_null(j);
	assert_true(json_equal(j, default_def)); /* the shipped file is already normalised */
	struct risk_tool *t2 = parse_ok(j);
	json_t *j2 = risk_tool_json(t2);
	assert_true(json_equal(j, j2));
	assert_int_equal(t2->max_score, t->max_score);
	json_decref(j);
	json_decref(j2);
	risk_tool_free(t);
	risk_tool_free(t2);

	/* Text is trimmed, optional members appear only when set, the choice floor keeps its option. */
	t = small();
	assert_string_equal(t->name, "Test tool");
	j = risk_tool_json(t);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "Test tool");
	assert_null(json_object_get(j, "description"));
	assert_true(json_is_false(json_object_get(j, "example")));
	assert_string_equal(json_string_value(json_object_get(floor_at(j, 3), "option")), "some");
	assert_null(json_object_get(indicator(j, 0, 0), "disclosure"));
	assert_true(json_is_true(json_object_get(indicator(j, 1, 0), "disclosure")));
	t2 = parse_ok(j);
	j2 = risk_tool_json(t2);
	assert_true(json_equal(j, j2));
	json_decref(j);
	json_decref(j2);
	risk_tool_free(t);
	risk_tool_free(t2);
}

/* ---- bad definitions ------------------------------------------------------------------------- */

static void bad_top_level(void **state)
{
	json_t *d;
	expect_bad(json_array(), "definition", "must be a JSON object");
	expect_bad(json_string("tool"), "definition", NULL);

	d = copy_default();
	json_object_del(d, "code");
	expect_bad(d, "code", "is required");
	d = copy_default();
	json_object_set_new(d, "code", json_string("Exploitation Screening"));
	expect_bad(d, "code", "lower-case");
	d = copy_default();
	json_object_set_new(d, "code", json_string("9lives"));
	expect_bad(d, "code", "starting with a letter");
	d = copy_default();
	json_object_set_new(d, "code", json_string("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde"));
	expect_bad(d, "code", "64 characters or fewer");

	d = copy_default();
	json_object_set_new(d, "version", json_integer(0));
	expect_bad(d, "version", "from 1 to");
	d = copy_default();
	json_object_set_new(d, "version", json_string("1"));
	expect_bad(d, "version", "whole number");
	d = copy_default();
	json_object_set_new(d, "version", json_real(1.5));
	expect_bad(d, "version", "whole number");
	d = copy_default();
	json_object_del(d, "version");
	expect_bad(d, "version", "is required");

	d = copy_default();
	json_object_set_new(d, "name", json_string("   "));
	expect_bad(d, "name", "is required");
	d = copy_default();
	json_object_set_new(d, "name", json_string("Line one\nline two"));
	expect_bad(d, "name", "control character");
	d = copy_default();
	json_object_set_new(d, "example", json_string("yes"));
	expect_bad(d, "example", "true or false");

	d = copy_default();
	json_object_set_new(d, "colour", json_string("red"));
	expect_bad(d, "colour", "is not a known field");

	d = copy_default();
	json_object_set_new(d, "levels", json_pack("[ss]", "low", "high"));
	expect_bad(d, "levels", "must be [\"low\", \"medium\", \"high\"]");
	d = copy_default();
	json_object_set_new(d, "levels", json_pack("[sss]", "high", "medium", "low"));
	expect_bad(d, "levels", NULL);
	d = copy_default();
	json_object_del(d, "levels");
	expect_bad(d, "levels", NULL);
}

static void bad_thresholds(void **state)
{
	json_t *d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i, s:i}", "medium", 0, "high", 25));
	expect_bad(d, "thresholds.medium", "from 1 to");
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i, s:i}", "medium", 10, "high", 10));
	expect_bad(d, "thresholds.high", "more than thresholds.medium (10)");
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i, s:i}", "medium", 30, "high", 25));
	expect_bad(d, "thresholds.high", "more than thresholds.medium");
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i, s:i}", "medium", 10, "high", 212));
	expect_bad(d, "thresholds.high", "highest score the indicators can reach (211)");
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i, s:i, s:i}", "low", 0, "medium", 10, "high", 25));
	expect_bad(d, "thresholds.low", "is not a known field");
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i}", "medium", 10));
	expect_bad(d, "thresholds.high", "is required");
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("[ii]", 10, 25));
	expect_bad(d, "thresholds", "must be an object");
	d = copy_default();
	json_object_del(d, "thresholds");
	expect_bad(d, "thresholds", "is required");

	/* Exactly the maximum score is allowed. */
	d = copy_default();
	json_object_set_new(d, "thresholds", json_pack("{s:i, s:i}", "medium", 10, "high", 211));
	struct risk_tool *t = parse_ok(d);
	assert_int_equal(t->threshold_high, 211);
	risk_tool_free(t);
	json_decref(d);
}

static void bad_domains(void **state)
{
	json_t *d = copy_default();
	json_object_set_new(d, "domains", json_array());
	expect_bad(d, "domains", "at least 1 item");
	d = copy_default();
	json_object_del(d, "domains");
	expect_bad(d, "domains", "is required");
	d = copy_default();
	json_object_set_new(d, "domains", json_string("missing"));
	expect_bad(d, "domains", "must be a list");

	/* 31 domains. */
	d = copy_default();
	json_t *arr = json_object_get(d, "domains");
	for (int i = 0; i < 19; i++) {
		char dc[32], ic[32];
		snprintf(dc, sizeof dc, "extra_%d", i);
		snprintf(ic, sizeof ic, "x_%d", i);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:[{s:s, s:s, s:s, s:i}]}", "code", dc, "label", "Extra",
						     "indicators", "code", ic, "label", "X", "type", "yesno", "score", 1));
	}
	assert_int_equal(json_array_size(arr), 31);
	expect_bad(d, "domains", "30 items or fewer");

	/* 201 indicators in all, though no domain has more than 200. */
	d = copy_default();
	json_t *inds = json_object_get(domain(d, 11), "indicators");
	for (int i = 0; i < 151; i++) {
		char c[32];
		snprintf(c, sizeof c, "extra_%d", i);
		json_array_append_new(inds, json_pack("{s:s, s:s, s:s, s:i}", "code", c, "label", "X", "type", "yesno", "score", 1));
	}
	expect_bad(d, "domains", "200 indicators or fewer in all (these have 201)");

	d = copy_default();
	json_object_set_new(domain(d, 4), "indicators", json_array());
	expect_bad(d, "domains[4].indicators", "at least 1 item");
	d = copy_default();
	json_array_set_new(json_object_get(d, "domains"), 2, json_string("education"));
	expect_bad(d, "domains[2]", "must be an object");
	d = copy_default();
	json_object_set_new(domain(d, 5), "code", json_string("missing"));
	expect_bad(d, "domains[5].code", "repeats the code of domains[0]");
	d = copy_default();
	json_object_set_new(domain(d, 1), "label", json_string(""));
	expect_bad(d, "domains[1].label", "is required");
	d = copy_default();
	json_object_set_new(domain(d, 1), "weight", json_integer(2));
	expect_bad(d, "domains[1].weight", "is not a known field");
}

static void bad_indicators(void **state)
{
	json_t *d = copy_default();
	/* A choice indicator cannot have a score of its own (the brief's example path). */
	json_object_set_new(indicator(d, 2, 0), "score", json_integer(5));
	expect_bad(d, "domains[2].indicators[0].score", "only for a \"yesno\" indicator");
	d = copy_default();
	json_object_set_new(indicator(d, 2, 1), "score", json_integer(101));
	expect_bad(d, "domains[2].indicators[1].score", "from 0 to 100");
	d = copy_default();
	json_object_set_new(indicator(d, 2, 1), "score", json_integer(-1));
	expect_bad(d, "domains[2].indicators[1].score", "from 0 to 100");
	d = copy_default();
	json_object_set_new(indicator(d, 2, 1), "score", json_string("4"));
	expect_bad(d, "domains[2].indicators[1].score", "whole number");
	d = copy_default();
	json_object_del(indicator(d, 2, 1), "score");
	expect_bad(d, "domains[2].indicators[1].score", "is required");

	/* Indicator codes are unique across the whole tool: answers are keyed by them. */
	d = copy_default();
	json_object_set_new(indicator(d, 3, 1), "code", json_string("missing_overnight"));
	expect_bad(d, "domains[3].indicators[1].code", "repeats the code of domains[0].indicators[1]");
	d = copy_default();
	json_object_set_new(indicator(d, 3, 1), "code", json_string("drug debt"));
	expect_bad(d, "domains[3].indicators[1].code", "lower-case");

	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "type", json_string("scale"));
	expect_bad(d, "domains[0].indicators[1].type", "\"yesno\" or \"choice\"");
	d = copy_default();
	json_object_del(indicator(d, 0, 1), "type");
	expect_bad(d, "domains[0].indicators[1].type", "is required");
	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "options", json_array());
	expect_bad(d, "domains[0].indicators[1].options", "only for a \"choice\" indicator");
	d = copy_default();
	json_object_set_new(indicator(d, 0, 0), "disclosure", json_true());
	expect_bad(d, "domains[0].indicators[0].disclosure", "only for a \"yesno\" indicator");
	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "disclosure", json_integer(1));
	expect_bad(d, "domains[0].indicators[1].disclosure", "true or false");
	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "label", json_string(""));
	expect_bad(d, "domains[0].indicators[1].label", "is required");
	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "weight", json_integer(3));
	expect_bad(d, "domains[0].indicators[1].weight", "is not a known field");
	d = copy_default();
	json_array_set_new(json_object_get(domain(d, 0), "indicators"), 2, json_true());
	expect_bad(d, "domains[0].indicators[2]", "must be an object");

	/* Labels: 200 characters allowed (in multi-byte UTF-8 too), 201 not. */
	char label[201 * 2 + 1];
	for (int i = 0; i < 201; i++)
		memcpy(label + 2 * i, "\xc3\xa9", 2); /* é */
	label[200 * 2] = 0;
	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "label", json_string(label));
	struct risk_tool *t = parse_ok(d);
	assert_string_equal(t->indicators[1].label, label);
	risk_tool_free(t);
	json_decref(d);
	label[200 * 2] = '\xc3';
	label[201 * 2] = 0;
	d = copy_default();
	json_object_set_new(indicator(d, 0, 1), "label", json_string(label));
	expect_bad(d, "domains[0].indicators[1].label", "200 characters or fewer");
	d = copy_default();
	char hint[502];
	memset(hint, 'h', 501);
	hint[501] = 0;
	json_object_set_new(indicator(d, 0, 1), "hint", json_string(hint));
	expect_bad(d, "domains[0].indicators[1].hint", "500 characters or fewer");
}

static void bad_options(void **state)
{
	json_t *d = copy_default();
	json_t *opts = json_object_get(indicator(d, 0, 0), "options");
	while (json_array_size(opts) > 1)
		json_array_remove(opts, 1);
	expect_bad(d, "domains[0].indicators[0].options", "at least 2 items");

	d = copy_default();
	opts = json_object_get(indicator(d, 0, 0), "options");
	for (int i = 0; json_array_size(opts) < 11; i++) {
		char oc[32];
		snprintf(oc, sizeof oc, "more_%d", i);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:i}", "code", oc, "label", "More", "score", 1));
	}
	expect_bad(d, "domains[0].indicators[0].options", "10 items or fewer");

	d = copy_default();
	json_object_del(indicator(d, 0, 0), "options");
	expect_bad(d, "domains[0].indicators[0].options", "is required");
	d = copy_default();
	json_object_set_new(json_array_get(json_object_get(indicator(d, 0, 0), "options"), 2), "code", json_string("one"));
	expect_bad(d, "domains[0].indicators[0].options[2].code", "repeats the code of options[1]");
	d = copy_default();
	json_object_del(json_array_get(json_object_get(indicator(d, 0, 0), "options"), 3), "score");
	expect_bad(d, "domains[0].indicators[0].options[3].score", "is required");
	d = copy_default();
	json_object_set_new(json_array_get(json_object_get(indicator(d, 0, 0), "options"), 3), "score", json_integer(1000));
	expect_bad(d, "domains[0].indicators[0].options[3].score", "from 0 to 100");
	d = copy_default();
	json_object_set_new(json_array_get(json_object_get(indicator(d, 0, 0), "options"), 1), "label", json_string(" "));
	expect_bad(d, "domains[0].indicators[0].options[1].label", "is required");
	d = copy_default();
	json_object_set_new(json_array_get(json_object_get(indicator(d, 0, 0), "options"), 1), "disclosure", json_true());
	expect_bad(d, "domains[0].indicators[0].options[1].disclosure", "is not a known field");
}

static void bad_floors(void **state)
{
	json_t *d = copy_default();
	json_object_set_new(floor_at(d, 0), "when", json_string("always"));
	expect_bad(d, "floors[0].when", "\"disclosure\", \"age_at_most\" or \"indicator\"");
	d = copy_default();
	json_object_del(floor_at(d, 0), "when");
	expect_bad(d, "floors[0].when", "is required");
	d = copy_default();
	json_object_set_new(floor_at(d, 1), "level", json_string("low"));
	expect_bad(d, "floors[1].level", "a floor at low would change nothing");
	d = copy_default();
	json_object_set_new(floor_at(d, 1), "level", json_string("critical"));
	expect_bad(d, "floors[1].level", "\"medium\" or \"high\"");
	d = copy_default();
	json_object_set_new(floor_at(d, 1), "label", json_string(""));
	expect_bad(d, "floors[1].label", "is required");
	d = copy_default();
	json_object_set_new(floor_at(d, 1), "age", json_integer(26));
	expect_bad(d, "floors[1].age", "from 0 to 25");
	d = copy_default();
	json_object_del(floor_at(d, 1), "age");
	expect_bad(d, "floors[1].age", "is required");
	d = copy_default();
	json_object_set_new(floor_at(d, 1), "indicator", json_string("learning_disability"));
	expect_bad(d, "floors[1].indicator", "only for an \"indicator\" floor");
	d = copy_default();
	json_object_set_new(floor_at(d, 0), "age", json_integer(13));
	expect_bad(d, "floors[0].age", "only for an \"age_at_most\" floor");
	d = copy_default();
	json_object_set_new(floor_at(d, 2), "indicator", json_string("learning_difficulty"));
	expect_bad(d, "floors[2].indicator", "is not an indicator of this tool");
	d = copy_default();
	json_object_del(floor_at(d, 2), "indicator");
	expect_bad(d, "floors[2].indicator", "is required");
	d = copy_default();
	json_object_set_new(floor_at(d, 2), "option", json_string("yes"));
	expect_bad(d, "floors[2].option", "only for a \"choice\" indicator");
	d = copy_default();
	json_object_set_new(floor_at(d, 2), "when_else", json_string("x"));
	expect_bad(d, "floors[2].when_else", "is not a known field");
	d = copy_default();
	json_array_set_new(json_object_get(d, "floors"), 1, json_integer(13));
	expect_bad(d, "floors[1]", "must be an object");

	/* A floor on a choice indicator needs one of its options. */
	d = copy_default();
	json_object_set_new(floor_at(d, 2), "indicator", json_string("missing_episodes"));
	expect_bad(d, "floors[2].option", "is required");
	d = copy_default();
	json_object_set_new(floor_at(d, 2), "indicator", json_string("missing_episodes"));
	json_object_set_new(floor_at(d, 2), "option", json_string("six"));
	expect_bad(d, "floors[2].option", "is not an option of indicator \"missing_episodes\"");

	/* A disclosure indicator without a disclosure floor, and the other way round. */
	d = copy_default();
	json_array_remove(json_object_get(d, "floors"), 0);
	expect_bad(d, "floors", "indicator \"disclosure\" is marked as a disclosure");
	d = copy_default();
	json_object_del(d, "floors");
	expect_bad(d, "floors", "must have a \"disclosure\" floor");
	d = copy_default();
	json_object_del(indicator(d, 11, 0), "disclosure");
	expect_bad(d, "floors[0].when", "needs an indicator marked \"disclosure\"");

	d = copy_default();
	json_t *fl = json_object_get(d, "floors");
	while (json_array_size(fl) < 21)
		json_array_append(fl, floor_at(d, 1));
	expect_bad(d, "floors", "20 items or fewer");

	/* No floors at all is a valid tool when nothing is marked as a disclosure. */
	d = copy_default();
	json_object_del(d, "floors");
	json_object_del(indicator(d, 11, 0), "disclosure");
	struct risk_tool *t = parse_ok(d);
	assert_int_equal(t->n_floors, 0);
	risk_tool_free(t);
	json_decref(d);
}

/* One call names every problem, not just the first. */
static void bad_many_at_once(void **state)
{
	json_t *d = copy_default();
	json_object_set_new(d, "version", json_integer(-3));
	json_object_set_new(indicator(d, 6, 2), "score", json_integer(500));
	json_object_set_new(floor_at(d, 2), "indicator", json_string("nope"));
	json_object_set_new(d, "levels", json_null());
	struct jv v = { 0 };
	struct risk_tool *t = NULL;
	assert_int_equal(risk_tool_parse(d, &t, &v), RISK_INVALID);
	assert_null(t);
	json_t *errs = jv_take(&v);
	assert_true(has_error(errs, "version", NULL));
	assert_true(has_error(errs, "domains[6].indicators[2].score", NULL));
	assert_true(has_error(errs, "floors[2].indicator", NULL));
	assert_true(has_error(errs, "levels", NULL));
	assert_int_equal(json_array_size(errs), 4);
	json_decref(errs);
	json_decref(d);
}

static void bad_text(void **state)
{
	struct jv v = { 0 };
	struct risk_tool *t = &sentinel;
	const char *s = "{\"code\": \"x\",\n \"version\": }";
	assert_int_equal(risk_tool_parse_text(s, strlen(s), &t, &v), RISK_INVALID);
	assert_null(t);
	json_t *errs = jv_take(&v);
	assert_true(has_error(errs, "definition", "is not valid JSON (line 2"));
	json_decref(errs);

	s = "{\"code\": \"x\", \"code\": \"y\"}";
	assert_int_equal(risk_tool_parse_text(s, strlen(s), &t, &v), RISK_INVALID);
	errs = jv_take(&v);
	assert_true(has_error(errs, "definition", "duplicate"));
	json_decref(errs);

	/* The shipped file read as text parses like the loaded object. */
	size_t len;
	char *text = read_file(RISK_DEFAULT_TOOL_PATH, &len);
	assert_int_equal(risk_tool_parse_text(text, len, &t, &v), RISK_OK);
	assert_false(jv_failed(&v));
	assert_int_equal(t->n_indicators, 50);
	risk_tool_free(t);
	free(text);
	risk_tool_free(NULL);
}

/* ---- scoring and thresholds ------------------------------------------------------------------ */

static void thresholds_at_the_boundaries(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	static const struct {
		const char *answers;
		int score;
		enum risk_level level;
	} cases[] = {
		{ "{}", 0, RISK_LOW },
		{ "{\"a\": true, \"b\": false}", 4, RISK_LOW },
		{ "{\"z\": true}", 9, RISK_LOW },                              /* one below medium */
		{ "{\"a\": true, \"b\": true}", 10, RISK_MEDIUM },             /* exactly medium */
		{ "{\"z\": true, \"c\": \"lots\"}", 24, RISK_MEDIUM },         /* one below high */
		{ "{\"a\": true, \"b\": true, \"c\": \"lots\"}", 25, RISK_HIGH }, /* exactly high */
		{ "{\"a\": true, \"b\": true, \"c\": \"lots\", \"z\": true}", 34, RISK_HIGH },
		{ "{\"c\": \"none\", \"a\": false}", 0, RISK_LOW },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assess_ok(t, cases[i].answers, 15, NULL, NULL, &r);
		assert_int_equal(r.score, cases[i].score);
		assert_int_equal(r.computed_level, cases[i].level);
		assert_int_equal(r.floored_level, cases[i].level);
		assert_int_equal(r.final_level, cases[i].level);
		assert_int_equal(r.n_floors, 0);
		assert_int_equal(r.override_level, RISK_LEVEL_NONE);
	}

	/* Counts, answers and domain scores. */
	assess_ok(t, "{\"a\": true, \"b\": false, \"c\": \"lots\", \"z\": null}", 15, NULL, NULL, &r);
	assert_string_equal(r.tool_code, "test-tool");
	assert_int_equal(r.tool_version, 3);
	assert_int_equal(r.answered, 3);
	assert_int_equal(r.unanswered, 3);
	assert_int_equal(r.answer[0], 1);
	assert_int_equal(r.answer[1], 0);
	assert_int_equal(r.answer[2], 2);
	assert_int_equal(r.answer[5], RISK_UNANSWERED);
	assert_int_equal(r.domain_score[0], 19);
	assert_int_equal(r.domain_score[1], 0);
	assert_int_equal(r.score, 19);

	/* NULL and JSON null answers mean nothing answered. */
	assess_ok(t, NULL, 15, NULL, NULL, &r);
	assert_int_equal(r.unanswered, 6);
	assert_int_equal(r.final_level, RISK_LOW);
	assess_ok(t, "null", 15, NULL, NULL, &r);
	assert_int_equal(r.unanswered, 6);
	risk_tool_free(t);
}

/* ---- floors ---------------------------------------------------------------------------------- */

static void disclosure_forces_high(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	assess_ok(t, "{\"told\": true}", 16, NULL, NULL, &r);
	assert_int_equal(r.score, 0);
	assert_int_equal(r.computed_level, RISK_LOW);
	assert_true(r.disclosure);
	assert_int_equal(r.n_floors, 1);
	assert_int_equal(r.floors[0].floor, 0);
	assert_int_equal(r.floors[0].level, RISK_HIGH);
	assert_string_equal(r.floors[0].label, "A disclosure of exploitation forces high");
	assert_int_equal(r.floor_level, RISK_HIGH);
	assert_int_equal(r.final_level, RISK_HIGH);

	/* "No" to the disclosure is not a disclosure. */
	assess_ok(t, "{\"told\": false}", 16, NULL, NULL, &r);
	assert_false(r.disclosure);
	assert_int_equal(r.final_level, RISK_LOW);
	risk_tool_free(t);
}

static void age_floor(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	assess_ok(t, "{}", 13, NULL, NULL, &r);
	assert_int_equal(r.score, 0);
	assert_int_equal(r.computed_level, RISK_LOW);
	assert_int_equal(r.final_level, RISK_MEDIUM);
	assert_int_equal(r.n_floors, 1);
	assert_string_equal(r.floors[0].label, "A child aged 13 or under cannot be rated low");
	assert_false(r.age_unknown);

	assess_ok(t, "{}", 14, NULL, NULL, &r);
	assert_int_equal(r.final_level, RISK_LOW);
	assert_int_equal(r.n_floors, 0);
	assess_ok(t, "{}", 0, NULL, NULL, &r);
	assert_int_equal(r.final_level, RISK_MEDIUM);

	/* Unknown age: the floor is not applied, and the result says it was not checked. */
	assess_ok(t, "{}", -1, NULL, NULL, &r);
	assert_int_equal(r.final_level, RISK_LOW);
	assert_true(r.age_unknown);

	/* Floors only raise: a 12-year-old scoring high stays high. */
	assess_ok(t, "{\"a\": true, \"b\": true, \"c\": \"lots\"}", 12, NULL, NULL, &r);
	assert_int_equal(r.n_floors, 1);
	assert_int_equal(r.floor_level, RISK_MEDIUM);
	assert_int_equal(r.final_level, RISK_HIGH);
	risk_tool_free(t);
}

static void learning_disability_floor(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	assess_ok(t, "{\"ld\": true}", 16, NULL, NULL, &r);
	assert_int_equal(r.score, 0);
	assert_int_equal(r.final_level, RISK_MEDIUM);
	assert_int_equal(r.n_floors, 1);
	assert_int_equal(r.floors[0].floor, 2);
	assert_string_equal(r.floors[0].label, "A learning disability cannot be rated low");
	assess_ok(t, "{\"ld\": false}", 16, NULL, NULL, &r);
	assert_int_equal(r.final_level, RISK_LOW);

	/* Every floor that holds is recorded, in definition order; the highest wins. */
	assess_ok(t, "{\"ld\": true, \"told\": true, \"c\": \"some\"}", 10, NULL, NULL, &r);
	assert_int_equal(r.n_floors, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(r.floors[i].floor, i);
	assert_int_equal(r.final_level, RISK_HIGH);

	/* A floor on a choice option holds for that option only. */
	assess_ok(t, "{\"c\": \"some\"}", 16, NULL, NULL, &r);
	assert_int_equal(r.score, 5);
	assert_int_equal(r.final_level, RISK_MEDIUM);
	assess_ok(t, "{\"c\": \"none\"}", 16, NULL, NULL, &r);
	assert_int_equal(r.final_level, RISK_LOW);
	risk_tool_free(t);
}

/* ---- override -------------------------------------------------------------------------------- */

static void override_needs_rationale(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	json_t *errs = assess(t, "{}", 15, "high", NULL, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_rationale", "is required with an override"));
	assert_int_equal(json_array_size(errs), 1);
	assert_int_equal(r.final_level, RISK_LEVEL_NONE); /* no half-made result */
	assert_int_equal(r.tool_version, 0);
	json_decref(errs);

	errs = assess(t, "{}", 15, "high", " \n\t ", RISK_INVALID, &r);
	assert_true(has_error(errs, "override_rationale", "is required"));
	json_decref(errs);
	errs = assess(t, "{}", 15, "high", "  too short ", RISK_INVALID, &r); /* 9 characters */
	assert_true(has_error(errs, "override_rationale", "at least 10 characters"));
	json_decref(errs);
	errs = assess(t, "{}", 15, "high", "Bad \x01 text here", RISK_INVALID, &r);
	assert_true(has_error(errs, "override_rationale", "control character"));
	json_decref(errs);
	char *long_why = malloc(RISK_RATIONALE_CHARS + 2);
	memset(long_why, 'x', RISK_RATIONALE_CHARS + 1);
	long_why[RISK_RATIONALE_CHARS + 1] = 0;
	errs = assess(t, "{}", 15, "high", long_why, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_rationale", "4000 characters or fewer"));
	json_decref(errs);
	long_why[RISK_RATIONALE_CHARS] = 0;
	assess_ok(t, "{}", 15, "high", long_why, &r);
	assert_int_equal(strlen(r.override_rationale), RISK_RATIONALE_CHARS);
	free(long_why);

	/* A rationale with no override level is refused rather than dropped. */
	errs = assess(t, "{}", 15, NULL, "I think this is fine really", RISK_INVALID, &r);
	assert_true(has_error(errs, "override_rationale", "only recorded with an override level"));
	json_decref(errs);
	errs = assess(t, "{}", 15, "  ", "I think this is fine really", RISK_INVALID, &r);
	assert_true(has_error(errs, "override_rationale", "only recorded with an override level"));
	json_decref(errs);
	/* An empty rationale with no override is just no override. */
	assess_ok(t, "{}", 15, "", "  ", &r);
	assert_int_equal(r.override_level, RISK_LEVEL_NONE);

	/* Unknown levels. */
	errs = assess(t, "{}", 15, "HIGH", "Strong intelligence from police", RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", "must be \"low\", \"medium\" or \"high\""));
	json_decref(errs);
	errs = assess(t, "{}", 15, "very high indeed", "Strong intelligence from police", RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", NULL));
	json_decref(errs);
	risk_tool_free(t);
}

static void override_recorded(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	/* Raising: exactly 10 characters after trimming is enough. */
	assess_ok(t, "{\"a\": true}", 15, " high ", "  0123456789 \n", &r);
	assert_int_equal(r.computed_level, RISK_LOW);
	assert_int_equal(r.floored_level, RISK_LOW);
	assert_int_equal(r.override_level, RISK_HIGH);
	assert_string_equal(r.override_rationale, "0123456789");
	assert_int_equal(r.final_level, RISK_HIGH);
	assert_int_equal(r.score, 4); /* the score is kept as computed */

	/* Lowering below the score's level (no floor) is professional judgement, allowed. */
	const char *why = "Police intelligence links the older peers to a youth club, not to exploitation.";
	assess_ok(t, "{\"a\": true, \"b\": true}", 15, "low", why, &r);
	assert_int_equal(r.computed_level, RISK_MEDIUM);
	assert_int_equal(r.final_level, RISK_LOW);
	assert_string_equal(r.override_rationale, why);

	/* Lowering to exactly the floor is allowed: high by score, 12 years old, medium by override. */
	assess_ok(t, "{\"a\": true, \"b\": true, \"c\": \"lots\"}", 12, "medium", why, &r);
	assert_int_equal(r.floor_level, RISK_MEDIUM);
	assert_int_equal(r.final_level, RISK_MEDIUM);

	/* An "override" to the level already calculated is not an override. */
	json_t *errs = assess(t, "{\"a\": true, \"b\": true}", 15, "medium", why, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", "the same as the calculated level (medium)"));
	json_decref(errs);
	/* ... and that compares with the floored level, not the score's. */
	errs = assess(t, "{}", 13, "medium", why, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", "the same as the calculated level (medium)"));
	json_decref(errs);
	risk_tool_free(t);
}

static void override_below_floor_refused(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	const char *why = "The child is well known to us and the worry was a misunderstanding.";
	json_t *errs = assess(t, "{}", 12, "low", why, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level",
			      "cannot be low: a floor rule sets the minimum level to medium (A child aged 13 or under cannot be rated low)"));
	json_decref(errs);

	errs = assess(t, "{\"told\": true}", 16, "medium", why, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", "minimum level to high (A disclosure of exploitation forces high)"));
	json_decref(errs);
	errs = assess(t, "{\"ld\": true}", 16, "low", why, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", "A learning disability cannot be rated low"));
	json_decref(errs);

	/* Both problems at once: below a floor and no rationale. */
	errs = assess(t, "{\"told\": true}", 16, "low", NULL, RISK_INVALID, &r);
	assert_true(has_error(errs, "override_level", "floor rule"));
	assert_true(has_error(errs, "override_rationale", "is required"));
	json_decref(errs);

	/* Above a floor, raising is still free. */
	assess_ok(t, "{\"ld\": true}", 16, "high", why, &r);
	assert_int_equal(r.final_level, RISK_HIGH);
	risk_tool_free(t);
}

/* ---- answer errors --------------------------------------------------------------------------- */

static void answer_errors(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	json_t *errs = assess(t, "{\"a\": true, \"nope\": true}", 15, NULL, NULL, RISK_INVALID, &r);
	assert_true(has_error(errs, "answers.nope", "is not an indicator of this tool"));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);

	errs = assess(t, "{\"a\": \"yes\", \"b\": 1, \"c\": true, \"z\": true}", 15, NULL, NULL, RISK_INVALID, &r);
	assert_true(has_error(errs, "answers.a", "must be true or false"));
	assert_true(has_error(errs, "answers.b", "must be true or false"));
	assert_true(has_error(errs, "answers.c", "must be the code of one of its options: none, some, lots"));
	assert_int_equal(json_array_size(errs), 3);
	json_decref(errs);
	errs = assess(t, "{\"c\": \"Lots\"}", 15, NULL, NULL, RISK_INVALID, &r);
	assert_true(has_error(errs, "answers.c", "one of its options"));
	json_decref(errs);

	errs = assess(t, "[true, false]", 15, NULL, NULL, RISK_INVALID, &r);
	assert_true(has_error(errs, "answers", "must be an object"));
	json_decref(errs);

	/* Floods of unknown codes are named up to a limit, then summarised. */
	json_t *many = json_object();
	for (int i = 0; i < 50; i++) {
		char k[32];
		snprintf(k, sizeof k, "bogus%d", i);
		json_object_set_new(many, k, json_true());
	}
	struct jv v = { 0 };
	assert_int_equal(risk_assess(t, many, 15, NULL, NULL, &r, &v), RISK_INVALID);
	errs = jv_take(&v);
	assert_int_equal(json_array_size(errs), 21);
	assert_true(has_error(errs, "answers.bogus0", NULL));
	assert_true(has_error(errs, "answers", "more than 20"));
	json_decref(errs);
	json_decref(many);

	/* A long multi-byte code is cut on a character boundary, so the error is still recorded. */
	char key[300];
	size_t n = 0;
	while (n + 3 < sizeof key - 1) {
		memcpy(key + n, "\xe2\x82\xac", 3); /* € */
		n += 3;
	}
	key[n] = 0;
	json_t *odd = json_pack("{s:b}", key, 1);
	assert_non_null(odd);
	assert_int_equal(risk_assess(t, odd, 15, NULL, NULL, &r, &v), RISK_INVALID);
	errs = jv_take(&v);
	assert_int_equal(json_array_size(errs), 1);
	const char *field = json_string_value(json_object_get(json_array_get(errs, 0), "field"));
	assert_non_null(field);
	assert_int_equal(strlen(field), strlen("answers.") + 99); /* 33 whole characters of 3 bytes */
	json_decref(errs);
	json_decref(odd);

	/* Errors the caller already collected do not make a valid assessment fail. */
	jv_error(&v, "person_id", "is required");
	assess_ok(t, "{\"a\": true}", 15, NULL, NULL, &r);
	json_t *a = json_pack("{s:b}", "a", 1);
	assert_int_equal(risk_assess(t, a, 15, NULL, NULL, &r, &v), RISK_OK);
	errs = jv_take(&v);
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);
	json_decref(a);
	risk_tool_free(t);
}

/* ---- result JSON and determinism ------------------------------------------------------------- */

static void result_json(void **state)
{
	struct risk_tool *t = small();
	struct risk_result r;
	const char *why = "Seen with a known exploiter by police last night.";
	assess_ok(t, "{\"a\": true, \"b\": false, \"c\": \"some\", \"ld\": null}", 12, "high", why, &r);
	json_t *j = risk_result_json(t, &r);
	assert_non_null(j);
	json_t *want = json_pack(
		"{s:{s:s, s:i, s:s}, s:{s:b, s:b, s:s}, s:i, s:i, s:i, s:i, s:{s:i, s:i}, s:s,"
		" s:[{s:s, s:s}, {s:s, s:s}], s:s, s:b, s:b, s:s, s:s, s:s}",
		"tool", "code", "test-tool", "version", 3, "name", "Test tool",
		"answers", "a", 1, "b", 0, "c", "some",
		"answered", 3, "unanswered", 3, "score", 9, "max_score", 34,
		"domain_scores", "d1", 9, "d2", 0,
		"computed_level", "low",
		"floors_applied", "label", "A child aged 13 or under cannot be rated low", "level", "medium",
		"label", "Some C cannot be low", "level", "medium",
		"floored_level", "medium", "disclosure", 0, "age_unknown", 0,
		"override_level", "high", "override_rationale", why, "final_level", "high");
	if (!json_equal(j, want))
		print_errors(j);
	assert_true(json_equal(j, want));
	json_decref(want);

	/* The stored answers give the same result again. */
	struct risk_result again;
	struct jv v = { 0 };
	assert_int_equal(risk_assess(t, json_object_get(j, "answers"), 12, "high", why, &again, &v), RISK_OK);
	json_t *j2 = risk_result_json(t, &again);
	assert_true(json_equal(j, j2));
	json_decref(j2);
	json_decref(j);

	/* No override: nulls. */
	assess_ok(t, "{}", 15, NULL, NULL, &r);
	j = risk_result_json(t, &r);
	assert_true(json_is_null(json_object_get(j, "override_level")));
	assert_true(json_is_null(json_object_get(j, "override_rationale")));
	assert_int_equal(json_object_size(json_object_get(j, "answers")), 0);
	json_decref(j);

	/* A result is only rendered with the tool it was made with. */
	struct risk_tool *other = parse_ok(default_def);
	assert_null(risk_result_json(other, &r));
	risk_tool_free(other);
	risk_tool_free(t);
}

static void determinism(void **state)
{
	struct risk_tool *t = parse_ok(default_def);
	const char *answers[] = {
		"{\"missing_episodes\": \"five_or_more\", \"older_partner\": true, \"attendance\": \"severe_absence\","
		" \"self_harm\": true, \"multiple_phones\": false, \"learning_disability\": true}",
		"{\"learning_disability\": true, \"multiple_phones\": false, \"self_harm\": true,"
		" \"attendance\": \"severe_absence\", \"older_partner\": true, \"missing_episodes\": \"five_or_more\"}",
	};
	const char *why = "Practitioner knowledge of the family's circumstances.";
	char *first = NULL;
	for (int i = 0; i < 50; i++) {
		struct risk_result r;
		assess_ok(t, answers[i % 2], 14, "medium", why, &r);
		assert_int_equal(r.score, 9 + 6 + 5 + 4 + 2);
		assert_int_equal(r.computed_level, RISK_HIGH);
		assert_int_equal(r.final_level, RISK_MEDIUM);
		json_t *j = risk_result_json(t, &r);
		char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(j);
		if (!first)
			first = s;
		else {
			assert_string_equal(s, first);
			free(s);
		}
	}
	free(first);

	/* A fresh parse of the same definition gives the same tool JSON. */
	struct risk_tool *t2 = parse_ok(default_def);
	json_t *a = risk_tool_json(t), *b = risk_tool_json(t2);
	char *sa = json_dumps(a, JSON_COMPACT), *sb = json_dumps(b, JSON_COMPACT);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
	risk_tool_free(t2);
	risk_tool_free(t);
}

int main(void)
{
	json_error_t e;
	default_def = json_load_file(RISK_DEFAULT_TOOL_PATH, JSON_REJECT_DUPLICATES, &e);
	if (!default_def) {
		fprintf(stderr, "%s: %s (line %d); run from the repository root\n", RISK_DEFAULT_TOOL_PATH, e.text, e.line);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels),
		cmocka_unit_test(default_tool_parses),
		cmocka_unit_test(default_tool_scenarios),
		cmocka_unit_test(tool_json_round_trip),
		cmocka_unit_test(bad_top_level),
		cmocka_unit_test(bad_thresholds),
		cmocka_unit_test(bad_domains),
		cmocka_unit_test(bad_indicators),
		cmocka_unit_test(bad_options),
		cmocka_unit_test(bad_floors),
		cmocka_unit_test(bad_many_at_once),
		cmocka_unit_test(bad_text),
		cmocka_unit_test(thresholds_at_the_boundaries),
		cmocka_unit_test(disclosure_forces_high),
		cmocka_unit_test(age_floor),
		cmocka_unit_test(learning_disability_floor),
		cmocka_unit_test(override_needs_rationale),
		cmocka_unit_test(override_recorded),
		cmocka_unit_test(override_below_floor_refused),
		cmocka_unit_test(answer_errors),
		cmocka_unit_test(result_json),
		cmocka_unit_test(determinism),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(default_def);
	return failed;
}
