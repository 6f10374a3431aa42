/*
 * demo.h - `safehub demo`: fill a database with a fictional population (fake.c), one demo
 * user per role, years of fictional casework for that population (demo_case.c) and years of
 * missing-from-home episodes (demo_missing.c), deterministically for a seed.
 * Owns: what the demo contains.
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
	int missing;           /* percent of the persons who are children during the window (after their
	                          record was made) with missing episodes, 1..100; 0 means
	                          DEMO_MISSING_DEFAULT; DEMO_MISSING_NONE: no missing episodes */
};

#define DEMO_MISSING_DEFAULT 21    /* about 1M episodes for 300,000 persons over 10 years */
#define DEMO_MISSING_NONE (-1)

/* What demo_missing_run is to generate. */
struct demo_missing_options {
	int years;             /* 1..DEMO_YEARS_MAX: the episodes cover the years before today */
	int percent;           /* 1..100: see demo_options.missing */
	uint64_t seed;         /* the seed (the same seed on the same day gives the same rows) */
};

/* What demo_missing_run wrote (counts of rows, and of some kinds of them). */
struct demo_missing_stats {
	long episodes, children, missing_now, looked_after_children, placed_here, placed_elsewhere;
	long gradings, regraded, returns, rhi_ours, rhi_completed_72h, rhi_completed_late, rhi_declined;
	long rhi_offered_only, rhi_not_offered, notifications, notifications_open, flags, clocks_running;
};

/*
 * demo_missing_run - years of fictional missing-from-home records for the persons already in
 * the store (run after the casework, which creates them at their planned times; persons who
 * have missing episodes already, and persons merged into others, are left alone). About
 * o->percent percent of the persons who are aged 10-17 at some time in the window after their
 * record was made go missing: most of those once or twice, some repeatedly over a few months
 * and a few very often over a year or two (the repeat-missing cohort). Some are looked after
 * (foster, residential, ...; some enter care part way), some of those placed out of area
 * either way (the other authorities have fictional names; ours is the setting
 * mfh.home_authority). Each episode gets a police grading (some re-graded during it), a return
 * with where the child was found, the return home interview at about national rates when the
 * RHI is ours (about 63% completed within 72 hours, some late, some declined, some offered and
 * not taken up, some not offered; the other authority's are sometimes recorded), a
 * notification to the other authority when out of area (most acknowledged), the rhi clock
 * (met or breached when stopped; running while the return is under ten days old and the RHI
 * is not done), and the repeat_missing person flag where mfh.repeat_count episodes start
 * within mfh.repeat_days (with a running intervention-meeting clock when set in the last 20
 * days). A few children are missing now: started in the last five days, not returned.
 * Everything happens before local midnight at the start of today, so two runs on one day with
 * one seed write the same rows. Rows are written directly (plain inserts, not through the
 * domain) in write transactions of 50,000 episodes, with the denormalised columns filled as
 * the domain would; one audit entry (demo.missing) records the run. Progress on stderr.
 * Returns 0 with *stats filled, or -1 with a message on stderr (the batch that failed is
 * rolled back; earlier batches stay).
 */
int demo_missing_run(struct store *st, const struct demo_missing_options *o, const struct demo_staff *staff,
		     struct demo_missing_stats *stats);

/*
 * demo_run - add the demo users (skipping usernames that exist) and `persons` fictional
 * persons, every creation audited. With years > 0, also `years` years of casework
 * (demo_case_run): each person is then created at its planned time in the past (before its
 * first referral, if it has one), the demo users a fortnight before the window when they are
 * new, and a summary of the casework is printed on stdout; then, unless missing is
 * DEMO_MISSING_NONE, the missing-from-home records of those years (demo_missing_run), with
 * their summary on stdout. With years 0 the persons are
 * created now, in transactions of 1000. A restricted demo person is open to the practitioner
 * who created it and the manager. Progress goes to stderr.
 * Returns 0, or -1 with a message on stderr.
 */
int demo_run(struct store *st, const struct demo_options *o);

#endif
