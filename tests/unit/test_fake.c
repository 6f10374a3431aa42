/*
 * test_fake.c - unit tests for fake.c: the generator is deterministic, uniform where it says
 * so, and every fictional person it makes passes the same validation real input must pass
 * (valid.c), with identifiers only from the ranges that are never issued to real people.
 *
 * Owns: nothing but its own test cases. Must not touch: the store, HTTP, files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake.h"
#include "valid.h"

#define PEOPLE 1000
#define DRAWS 10000
#define TODAY "2026-11-24"

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* ---- Random numbers ------------------------------------------------------------------------- */

static void rng_determinism(void **state)
{
	struct fake_rng a, b;
	fake_seed(&a, 12345);
	fake_seed(&b, 12345);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fake_next(&a), fake_next(&b));

	/* Seed 0 is allowed and gives a live generator. */
	fake_seed(&a, 0);
	assert_true(a.s[0] | a.s[1] | a.s[2] | a.s[3]);
	uint64_t first = fake_next(&a);
	bool changed = false;
	for (int i = 0; i < 10; i++)
		changed |= fake_next(&a) != first;
	assert_true(changed);

	/* Neighbouring seeds give different streams. */
	fake_seed(&a, 1);
	fake_seed(&b, 2);
	int same = 0;
	for (int i = 0; i < 1000; i++)
		same += fake_next(&a) == fake_next(&b);
	assert_int_equal(same, 0);
}

static void rng_below_in_range(void **state)
{
	static const uint64_t ns[] = {1, 2, 3, 7, 10, 1000, 1000003, UINT64_C(1) << 32,
				      (UINT64_C(1) << 63) + 1, UINT64_MAX};
	struct fake_rng rng;
	fake_seed(&rng, 7);
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
		for (int i = 0; i < DRAWS; i++) {
			uint64_t v = fake_below(&rng, ns[k]);
			if (v >= ns[k])
				fail_msg("fake_below(%llu) gave %llu", (unsigned long long)ns[k],
					 (unsigned long long)v);
		}
	}
	/*
	 * No modulo bias: with n = 2/3 of 2^64, a plain `r % n` would put the lower half of
	 * [0, n) twice as often as the upper half (2/3 of draws instead of 1/2).
	 */
	const uint64_t n = UINT64_C(0xAAAAAAAAAAAAAAAA);
	int low = 0;
	for (int i = 0; i < DRAWS; i++)
		low += fake_below(&rng, n) < n / 2;
	assert_in_range(low, DRAWS * 47 / 100, DRAWS * 53 / 100);
}

static void rng_below_uniform(void **state)
{
	struct fake_rng rng;
	fake_seed(&rng, 99);
	int counts[10] = {0};
	for (int i = 0; i < 100000; i++)
		counts[fake_below(&rng, 10)]++;
	for (int i = 0; i < 10; i++)
		assert_in_range(counts[i], 9400, 10600); /* expected 10000, sd about 95 */
}

/* ---- People --------------------------------------------------------------------------------- */

static struct fake_person run_a[PEOPLE], run_b[PEOPLE];

static void person_determinism(void **state)
{
	struct fake_rng rng;
	fake_seed(&rng, 2026);
	for (int i = 0; i < PEOPLE; i++)
		fake_person(&rng, TODAY, 60, &run_a[i]);
	fake_seed(&rng, 2026);
	for (int i = 0; i < PEOPLE; i++)
		fake_person(&rng, TODAY, 60, &run_b[i]);
	assert_memory_equal(run_a, run_b, sizeof run_a);

	fake_seed(&rng, 2027);
	for (int i = 0; i < PEOPLE; i++)
		fake_person(&rng, TODAY, 60, &run_b[i]);
	int same = 0;
	for (int i = 0; i < PEOPLE; i++)
		same += memcmp(&run_a[i], &run_b[i], sizeof run_a[i]) == 0;
	assert_true(same < PEOPLE / 100);
}

static const char *const ethnicity_codes[] = {
	"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
	"APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
};

/* Check every field of p against its contract; returns p's age on TODAY. */
static int check_person(const struct fake_person *p)
{
	char buf[16];
	struct valid_date dob, today;

	/* Names and aliases: present, valid text, and NUL-terminated within their fields. */
	assert_null(valid_text(p->given_name, 1, sizeof p->given_name - 1, false));
	assert_null(valid_text(p->family_name, 1, sizeof p->family_name - 1, false));
	assert_in_range(p->alias_count, 0, 3);
	for (int i = 0; i < 3; i++) {
		if (i < p->alias_count)
			assert_null(valid_text(p->aliases[i], 1, sizeof p->aliases[i] - 1, false));
		else
			assert_string_equal(p->aliases[i], "");
	}

	/* Date of birth. */
	assert_true(valid_parse_date(p->dob, &dob));
	assert_true(valid_parse_date(TODAY, &today));
	int age = valid_age_on(&dob, &today);
	assert_in_range(age, 9, 70);

	/* Sex and ethnicity from the lists. */
	assert_true(strcmp(p->sex, "female") == 0 || strcmp(p->sex, "male") == 0 ||
		    strcmp(p->sex, "unknown") == 0);
	bool known = false;
	for (size_t i = 0; i < sizeof ethnicity_codes / sizeof ethnicity_codes[0]; i++)
		known |= strcmp(p->ethnicity, ethnicity_codes[i]) == 0;
	assert_true(known);

	/* NHS numbers only from the 999 range, always with a valid check digit. */
	if (p->nhs_number[0]) {
		char nhs[11];
		assert_true(valid_nhs_number(p->nhs_number, nhs));
		assert_string_equal(nhs, p->nhs_number);
		assert_memory_equal(p->nhs_number, "999", 3);
	}

	/* UPNs valid, only for the under-19s, with LA number 999. */
	if (p->upn[0]) {
		char upn[14];
		assert_true(valid_upn(p->upn, upn));
		assert_string_equal(upn, p->upn);
		assert_memory_equal(p->upn + 1, "999", 3);
		assert_true(age < 19);
	}

	/* Other identifiers. */
	if (p->police_ref[0]) {
		assert_int_equal(strlen(p->police_ref), 13);
		assert_memory_equal(p->police_ref, "GMP/", 4);
		assert_true(is_digits(p->police_ref + 4, 2) && p->police_ref[6] == '/' &&
			    is_digits(p->police_ref + 7, 6));
	}
	if (p->la_id[0]) {
		assert_int_equal(strlen(p->la_id), 10);
		assert_memory_equal(p->la_id, "LA-", 3);
		assert_true(is_digits(p->la_id + 3, 7));
	}

	/* Address: a normalised postcode in a Greater Manchester district. */
	assert_null(valid_text(p->line1, 1, sizeof p->line1 - 1, false));
	assert_null(valid_text(p->town, 1, sizeof p->town - 1, false));
	char pc[9];
	assert_true(valid_postcode(p->postcode, pc));
	assert_string_equal(pc, p->postcode);
	assert_true(valid_postcode_district(p->postcode, buf, sizeof buf));
	assert_true(strncmp(buf, "SK", 2) == 0 || buf[0] == 'M' || strncmp(buf, "OL", 2) == 0 ||
		    strncmp(buf, "BL", 2) == 0 || strncmp(buf, "WA", 2) == 0);

	/* Phones only from Ofcom's drama range. */
	if (p->phone[0]) {
		assert_int_equal(strlen(p->phone), 12);
		assert_memory_equal(p->phone, "07700 900", 9);
		assert_true(is_digits(p->phone + 9, 3));
	}
	return age;
}

static void person_fields_valid(void **state)
{
	struct fake_rng rng;
	fake_seed(&rng, 1);
	int no_nhs = 0, upn = 0, under19 = 0, estimated = 0, aliased = 0, wbri = 0, phone = 0;
	for (int i = 0; i < DRAWS; i++) {
		struct fake_person p;
		fake_person(&rng, TODAY, 50, &p);
		int age = check_person(&p);
		no_nhs += !p.nhs_number[0];
		under19 += age < 19;
		upn += p.upn[0] != '\0';
		estimated += p.dob_estimated;
		aliased += p.alias_count > 0;
		wbri += strcmp(p.ethnicity, "WBRI") == 0;
		phone += p.phone[0] != '\0';
	}
	/* The shares fake.h promises, with loose bounds. */
	assert_in_range(no_nhs, DRAWS * 6 / 100, DRAWS * 14 / 100);   /* about 10% */
	assert_in_range(upn, under19 * 80 / 100, under19);            /* most under-19s */
	assert_in_range(estimated, DRAWS * 1 / 100, DRAWS * 4 / 100); /* about 2% */
	assert_in_range(aliased, DRAWS * 30 / 100, DRAWS * 70 / 100);
	assert_in_range(wbri, DRAWS * 45 / 100, DRAWS * 65 / 100);
	assert_in_range(phone, DRAWS * 40 / 100, DRAWS * 80 / 100);
}

static void person_ages_follow_child_share(void **state)
{
	struct fake_rng rng;
	struct valid_date today, dob;
	fake_seed(&rng, 3);
	/* 29 February as today, to exercise the anniversary arithmetic. */
	assert_true(valid_parse_date("2024-02-29", &today));
	for (int i = 0; i < DRAWS; i++) {
		struct fake_person p;
		fake_person(&rng, "2024-02-29", 100, &p);
		assert_true(valid_parse_date(p.dob, &dob));
		assert_in_range(valid_age_on(&dob, &today), 9, 17);
		fake_person(&rng, "2024-02-29", 0, &p);
		assert_true(valid_parse_date(p.dob, &dob));
		assert_in_range(valid_age_on(&dob, &today), 18, 70);
	}
	/* Out-of-range shares are clamped; an invalid today still gives valid people. */
	for (int i = 0; i < 100; i++) {
		struct fake_person p;
		fake_person(&rng, TODAY, 250, &p);
		check_person(&p);
		fake_person(&rng, TODAY, -5, &p);
		check_person(&p);
		fake_person(&rng, "not a date", 50, &p);
		assert_true(valid_parse_date(p.dob, &dob));
	}
}

static void person_girls_two_thirds(void **state)
{
	struct fake_rng rng;
	fake_seed(&rng, 4);
	int girls = 0, boys = 0;
	for (int i = 0; i < DRAWS; i++) {
		struct fake_person p;
		fake_person(&rng, TODAY, 100, &p);
		girls += strcmp(p.sex, "female") == 0;
		boys += strcmp(p.sex, "male") == 0;
	}
	int children = girls + boys;
	assert_true(children > DRAWS * 95 / 100);
	assert_in_range(girls * 100 / children, 60, 73);
}

/* True when `name` is one of the n strings in list. */
static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void person_names_diverse(void **state)
{
	/* The lists are big enough that 10000 people have well over 150 distinct names each. */
	static char given[DRAWS][40], family[DRAWS][40];
	struct fake_rng rng;
	fake_seed(&rng, 5);
	for (int i = 0; i < DRAWS; i++) {
		struct fake_person p;
		fake_person(&rng, TODAY, 50, &p);
		memcpy(given[i], p.given_name, sizeof given[i]);
		memcpy(family[i], p.family_name, sizeof family[i]);
	}
	qsort(given, DRAWS, sizeof given[0], compare_names);
	qsort(family, DRAWS, sizeof family[0], compare_names);
	int distinct_given = 1, distinct_family = 1;
	for (int i = 1; i < DRAWS; i++) {
		distinct_given += strcmp(given[i - 1], given[i]) != 0;
		distinct_family += strcmp(family[i - 1], family[i]) != 0;
	}
	assert_true(distinct_given > 200);
	assert_true(distinct_family > 200);
}

static void nicknames(void **state)
{
	struct fake_rng rng;
	fake_seed(&rng, 6);
	static const char *const kayleigh[] = {"Kay", "Kayls"};
	static const char *const william[] = {"Billy", "Will", "Bill"};
	for (int i = 0; i < 50; i++) {
		assert_true(in_list(fake_nickname("Kayleigh", &rng), kayleigh, 2));
		assert_true(in_list(fake_nickname("kayleigh", &rng), kayleigh, 2)); /* any case */
		assert_true(in_list(fake_nickname("Kayley", &rng), kayleigh, 2));   /* a variant */
		assert_true(in_list(fake_nickname("William", &rng), william, 3));
	}
	assert_string_equal(fake_nickname("Kayleigh", NULL), "Kay");
	assert_string_equal(fake_nickname("Mohammed", &rng), "Mo");
	assert_string_equal(fake_nickname("Muhammad", &rng), "Mo");
	assert_string_equal(fake_nickname("Rebecca", NULL), "Becky");
	assert_null(fake_nickname("Ava", &rng)); /* in the lists, no nickname */
	assert_null(fake_nickname("Zxqvbn", &rng));
	assert_null(fake_nickname("", &rng));
	assert_null(fake_nickname("Kayleig", &rng)); /* a prefix is not a match */

	/*
	 * Generated people carry the variants: some are Smyth, and an alias of one word is a
	 * nickname of the person's given name.
	 */
	bool seen_kay = false, seen_smyth = false;
	int nick_aliases = 0;
	for (int i = 0; i < DRAWS; i++) {
		struct fake_person p;
		fake_person(&rng, TODAY, 60, &p);
		seen_kay |= strcmp(p.given_name, "Kayleigh") == 0 && p.alias_count > 0 &&
			    strcmp(p.aliases[0], "Kay") == 0;
		seen_smyth |= strcmp(p.family_name, "Smyth") == 0;
		for (int a = 0; a < p.alias_count; a++) {
			if (strchr(p.aliases[a], ' '))
				continue;
			nick_aliases++;
			assert_non_null(fake_nickname(p.given_name, NULL));
		}
	}
	assert_true(seen_kay);
	assert_true(seen_smyth);
	assert_true(nick_aliases > DRAWS / 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rng_determinism),
		cmocka_unit_test(rng_below_in_range),
		cmocka_unit_test(rng_below_uniform),
		cmocka_unit_test(person_determinism),
		cmocka_unit_test(person_fields_valid),
		cmocka_unit_test(person_ages_follow_child_share),
		cmocka_unit_test(person_girls_two_thirds),
		cmocka_unit_test(person_names_diverse),
		cmocka_unit_test(nicknames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
