/*
 * demo.h - `safehub demo`: fill a database with a fictional population (fake.c) and one demo
 * user per role, deterministically for a seed. Owns: what the demo contains.
 * Must not touch: HTTP, SQL text.
 */
#ifndef SAFEHUB_DEMO_H
#define SAFEHUB_DEMO_H

#include <stdint.h>

struct store;

/* What to generate. */
struct demo_options {
	long persons;          /* how many persons (default 2000) */
	uint64_t seed;         /* the seed (default 1) */
	const char *password;  /* every demo user's password (12+ characters) */
};

/*
 * demo_run - add the demo users (skipping usernames that exist) and `persons` fictional
 * persons, in transactions of 1000, every creation audited. Progress goes to stderr.
 * Returns 0, or -1 with a message on stderr.
 */
int demo_run(struct store *st, const struct demo_options *o);

#endif
