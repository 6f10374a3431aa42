/*
 * demo.h - `safehub demo`: fill a database with a fictional population (fake.c), one demo
 * user per role, and years of fictional casework for that population (demo_case.c),
 * deterministically for a seed. Owns: what the demo contains.
 * Must not touch: HTTP, SQL text.
 */
#ifndef SAFEHUB_DEMO_H
#define SAFEHUB_DEMO_H

#include <stdint.h>

#include "demo_case.h"

struct store;

/* What to generate. */
struct demo_options {
	long persons;          /* how many persons (default 2000) */
	uint64_t seed;         /* the seed (default 1) */
	const char *password;  /* every demo user's password (12+ characters) */
	int years;             /* 0..DEMO_YEARS_MAX years of casework before today (default 3; 0: none) */
	int referred;          /* percent of persons referred at least once (default DEMO_REFERRED_DEFAULT) */
};

/*
 * demo_run - add the demo users (skipping usernames that exist) and `persons` fictional
 * persons, every creation audited. With years > 0, also `years` years of casework
 * (demo_case_run): each person is then created at its planned time in the past (before its
 * first referral, if it has one), the demo users a fortnight before the window when they are
 * new, and a summary of the casework is printed on stdout. With years 0 the persons are
 * created now, in transactions of 1000. A restricted demo person is open to the practitioner
 * who created it and the manager. Progress goes to stderr.
 * Returns 0, or -1 with a message on stderr.
 */
int demo_run(struct store *st, const struct demo_options *o);

#endif
