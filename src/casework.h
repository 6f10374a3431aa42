/*
 * casework.h - cases: opening (from a screening decision), allocation and reallocation with
 * history, the current risk level, and what happens on a case (contacts, notes with the child's
 * voice, supervision, flags, feedback, transition plan, closure), each starting or stopping its
 * practice-standard clocks (clock.h). Owns: the case's rules. Runs inside the caller's write
 * transaction. Must not touch: HTTP, SQL text (store_case.c).
 *
 * The functions below are the ones other modules call (referral.c opens cases; assessment.c
 * sets the risk level); the rest of the case API is for api_case.c and documented where it is
 * declared further down.
 */
#ifndef SAFEHUB_CASEWORK_H
#define SAFEHUB_CASEWORK_H

#include <stdbool.h>
#include <stdint.h>

#include "user.h"

struct store;

/* What opening a case needs. */
struct casework_open {
	int64_t person_id;         /* the subject */
	int64_t referral_id;       /* the referral whose decision opened it (0 when none) */
	char team[101];            /* the allocated team (required) */
	int64_t worker_id;         /* the allocated worker, 0 when only the team is allocated */
	char strands[16][16];      /* strand codes, copied from the referral */
	int n_strands;
	int64_t opened_at;         /* UTC seconds: the decision time */
};

/*
 * casework_open_case - create an open case from *o, record the first allocation, audit
 * case.open by `by`, and start the case's clocks from o->opened_at: first_assessment,
 * first_ptac, supervision, and transition_plan (due at 17 years 6 months) for a person with a
 * date of birth who is under 17 years 6 months then. Sets *case_id. Returns 0, or -1 on a
 * store error (the caller rolls back).
 */
int casework_open_case(struct store *st, const struct user *by, const struct casework_open *o, int64_t *case_id);

/*
 * casework_set_risk - the case's current risk level becomes `level` ("low", "medium", "high")
 * after an assessment at `at`; the first level also becomes opening_risk. When the level
 * becomes high, starts high_risk_visit from `at`; when it stops being high, stops it.
 * Returns 0, STORE_NOTFOUND (1) when the case does not exist or is closed, -1 on a store error.
 */
int casework_set_risk(struct store *st, int64_t case_id, const char *level, int64_t at);

/*
 * casework_open_case_of - the id of the person's open case into *case_id (0 when none).
 * Returns 0 or -1.
 */
int casework_open_case_of(struct store *st, int64_t person_id, int64_t *case_id);

#endif
