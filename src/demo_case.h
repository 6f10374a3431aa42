/*
 * demo_case.h - years of fictional casework for `safehub demo`: referrals with screening
 * decisions (most in time, about one in ten late), cases in the demo teams with risk
 * assessments that follow plausible trajectories, contacts, notes with the child's voice,
 * supervision, PTAC and other meetings with actions, flags, feedback, transition plans,
 * reallocations and closures; a few cases stay open today with running clocks.
 *
 * How: a plan first, then the work. Every person of the population gets a creation time and,
 * for some, one to three referrals (at ages 9-25, most at 14-17, about one in three about a
 * boy, at a steady rate over the years) whose decisions may open a case whose whole life is
 * planned as a list of dated events: most cases close within 10 months, those still running
 * today stay open, and some of those are behind (overdue supervision, reviews and visits). All events of all persons are
 * then sorted by time and replayed through the domain modules (person.c via the caller,
 * referral.c, assessment.c, casework.c, meeting.c) with the store's clock pinned to each
 * event's time (store_set_now), so every record, clock and audit entry is exactly what the app
 * would have written had the work been done on that day, and the audit trail stays in time
 * order. Events end before local midnight at the start of today, so two runs on one day with
 * one seed write the same records.
 *
 * Owns: what the demo casework contains, its proportions and its fictional texts (template
 * sentences about nobody: no names of real people or places).
 * Must not touch: HTTP, SQL text, the rules of the domain (it only calls the domain functions).
 */
#ifndef SAFEHUB_DEMO_CASE_H
#define SAFEHUB_DEMO_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

#define DEMO_YEARS_MAX 10          /* bank holidays are shipped from 2015, so ten years back is safe */
#define DEMO_REFERRED_DEFAULT 20   /* percent of persons referred at least once */

/* One person of the population, as the casework plan needs it. */
struct demo_person {
	uint64_t rng[4];     /* the population generator's state just before this person was drawn
	                        (the caller redraws the person from it when it is time to create it) */
	int64_t id;          /* persons.id once created, 0 before */
	int64_t born;        /* date of birth as a day number (valid_days_from_civil) */
	char sex;            /* 'f', 'm' or 'u' */
	bool restricted;     /* a restricted record: named users are the practitioner and the manager */
};

/* What to generate. */
struct demo_case_options {
	int years;           /* 1..DEMO_YEARS_MAX: the casework covers the years before today */
	int referred;        /* 0..100: about this percentage of persons has at least one referral */
	uint64_t seed;       /* the seed (the same seed on the same day gives the same records) */
};

/* The demo users the work is recorded by. */
struct demo_staff {
	struct user manager;        /* decides referrals, supervises, reallocates and closes cases */
	struct user practitioner;   /* a worker in the first team (and the one named on restricted persons) */
	struct user practitioner2;  /* a worker in the second team */
};

/* What was generated (counts of records written). */
struct demo_case_stats {
	long persons, referrals, decided, decided_late, cases, cases_open, assessments, overrides;
	long contacts, notes, supervisions, meetings, actions, actions_done, flags, feedback;
	long transition_plans, reallocations, closures, events;
};

/*
 * Called when person `p` is to be created, with the store's clock already pinned to its
 * creation time and `by` the user who records it: create the person (person_create, audited)
 * and set p->id. Return 0, or -1 on failure (with a message on stderr).
 */
typedef int (*demo_person_fn)(void *ctx, struct demo_person *p, const struct user *by);

/*
 * demo_case_run - plan and record casework for persons[0..n) over the last o->years years,
 * creating each person (through `make`) at its planned time, in write transactions of 1,000
 * events, reporting progress on stderr. Uses the active risk tool with id 1 (or the active
 * version of its code). Returns 0 with *stats filled, or -1 with a message on stderr (the batch
 * that failed is rolled back). The store's clock is back on real time on return.
 */
int demo_case_run(struct store *st, const struct demo_case_options *o, const struct demo_staff *staff,
		  struct demo_person *persons, size_t n, demo_person_fn make, void *ctx, struct demo_case_stats *stats);

#endif
