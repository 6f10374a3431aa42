/*
 * referral.h - referrals and their screening decisions (PRODUCT.md, "The journey a case takes",
 * items 1 and 2; docs/api-casework.md, "Referrals").
 *
 * A referral arrives from an agency about a person (or a peer group or a location, kept as a
 * reference until later issues model them) at a received time, with a source code, strands and
 * concerns. Recording it starts the `referral_decision` practice-standard clock from the received
 * time. A manager's screening decision (outcome, rationale, decided time) stops that clock, met or
 * breached, and an outcome that opens a case opens one (casework_open_case) and keeps its id.
 *
 * Owns: the referral record's shape and limits, the rules of recording and deciding, their audit
 * entries (referral.create, referral.decide), and the Referral JSON shape of the contract (so the
 * person's story and the daily list show the same object as /api/v1/referrals).
 * Must not touch: HTTP (api_referral.c validates requests and answers), SQL text
 * (store_referral.c), the case's own rules (casework.c).
 * Every function runs inside the caller's transaction.
 */
#ifndef SAFEHUB_REFERRAL_H
#define SAFEHUB_REFERRAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "casework.h"
#include "user.h"

struct store;

/* Limits, in characters (buffers allow 4 bytes per character of UTF-8). */
#define REFERRAL_STRANDS_MAX 16        /* strands on one referral (as many as a case holds) */
/* A strand code: as long as a case opened from the referral can keep (struct casework_open). */
#define REFERRAL_STRAND_CHARS ((int)sizeof(((struct casework_open *)0)->strands[0]) - 1)
#define REFERRAL_CODE_CHARS 32         /* a source or outcome code */
#define REFERRAL_SHORT_CHARS 200       /* subject_ref, source_agency, referrer_name, referrer_contact */
#define REFERRAL_CONSENT_CHARS 1000    /* consent_basis */
#define REFERRAL_CONCERNS_CHARS 10000  /* concerns */
#define REFERRAL_RATIONALE_CHARS 10000 /* a decision's rationale */
#define REFERRAL_TEAM_CHARS 100        /* a team name */

/* The practice standard a referral is timed against, and the clock subject type it uses. */
#define REFERRAL_STANDARD "referral_decision"
#define REFERRAL_SUBJECT "referral"

/*
 * A referral, as validated input (the recording fields) or as stored. About 100 KiB: allocate it,
 * do not put it on the stack.
 */
struct referral {
	int64_t id;                    /* referrals.id; 0 before it is stored */
	int64_t version;               /* optimistic-concurrency version; starts at 1 */
	char subject_type[16];         /* "person" (default), "peer_group" or "location" */
	int64_t person_id;             /* the person referred; 0 for a peer group or location */
	char subject_ref[REFERRAL_SHORT_CHARS * 4 + 1]; /* the peer group or location; "" for a person */
	int64_t received_at;           /* UTC seconds: when the hub received it (the clock starts here) */
	char source_code[REFERRAL_CODE_CHARS + 1];      /* a referral_source code (CIN census) */
	char source_agency[REFERRAL_SHORT_CHARS * 4 + 1];
	char referrer_name[REFERRAL_SHORT_CHARS * 4 + 1];
	char referrer_contact[REFERRAL_SHORT_CHARS * 4 + 1];
	char strands[REFERRAL_STRANDS_MAX][REFERRAL_STRAND_CHARS + 1]; /* strand codes, no repeats */
	int n_strands;                 /* 1..REFERRAL_STRANDS_MAX */
	char concerns[REFERRAL_CONCERNS_CHARS * 4 + 1];
	char consent_basis[REFERRAL_CONSENT_CHARS * 4 + 1]; /* consent or information-sharing basis */
	char status[20];               /* "awaiting_decision" or "decided" */
	char outcome[REFERRAL_CODE_CHARS + 1];          /* decision_outcome code; "" until decided */
	char rationale[REFERRAL_RATIONALE_CHARS * 4 + 1]; /* "" until decided */
	int64_t decided_at;            /* UTC seconds; 0 until decided */
	int64_t decided_by_id;         /* users.id of the deciding manager; 0 until decided */
	int64_t case_id;               /* the case the decision opened; 0 when none */
	char team[REFERRAL_TEAM_CHARS + 1];   /* the team of the user who recorded it */
	int64_t created_at, updated_at;         /* UTC seconds */
	int64_t created_by_id, updated_by_id;   /* users.id */

	/* Read with the referral from other tables (never written by store_referral_insert). */
	char created_by[USER_NAME_MAX + 1];     /* usernames */
	char updated_by[USER_NAME_MAX + 1];
	char decided_by[USER_NAME_MAX + 1];     /* "" until decided */
	char person_given_name[401];            /* the person's names and date of birth ("" when none) */
	char person_family_name[401];
	char person_dob[11];
	int64_t decision_due_at;       /* due time of its latest referral_decision clock; 0 when none */
	char clock_status[12];         /* that clock's status (running, met, breached, cancelled) or "" */
};

/* A screening decision, as validated input. Large: allocate it. */
struct referral_decision {
	int64_t version;               /* the referral version the manager read */
	char outcome[REFERRAL_CODE_CHARS + 1]; /* an active decision_outcome code */
	char rationale[REFERRAL_RATIONALE_CHARS * 4 + 1]; /* required, 1..REFERRAL_RATIONALE_CHARS */
	int64_t decided_at;            /* UTC seconds, not before received_at, not in the future */
	bool opens_case;               /* the outcome opens a case (config_outcome_opens_case) */
	char team[REFERRAL_TEAM_CHARS + 1];   /* opens_case: the allocated team (required); else "" */
	int64_t worker_id;             /* opens_case: the allocated worker, 0 for none */
};

/* What to list. Empty / zero members are not used. */
struct referral_filter {
	char status[20];               /* "awaiting_decision" or "decided" */
	int64_t person_id;             /* one person's referrals */
	int64_t viewer_id;             /* users.id of the reader: restricted persons they are not named
	                                  on are left out (required) */
	int limit, offset;             /* a page: limit 1..100 */
};

/* Outcomes of referral operations. */
enum referral_status {
	REFERRAL_OK = 0,
	REFERRAL_NOT_FOUND,  /* no such referral */
	REFERRAL_STALE,      /* the version sent is not the current one: nothing changed */
	REFERRAL_DECIDED,    /* the referral is already decided: nothing changed */
	REFERRAL_ERROR       /* the store failed (the caller rolls back) */
};

/*
 * referral_create - store the new referral *r recorded by `by` (r holds the validated recording
 * fields; person_id already known to exist and to be reachable by `by`): status
 * awaiting_decision, version 1, team = by->team, created and updated now by `by`. Starts the
 * referral_decision clock for subject {"referral", id, person_id, team} from r->received_at
 * (nothing starts when that standard is switched off) and audits referral.create, all in the
 * caller's write transaction. On REFERRAL_OK, *r is reloaded in full (id, usernames, person,
 * decision_due_at). REFERRAL_ERROR on a store failure.
 */
enum referral_status referral_create(struct store *st, const struct user *by, struct referral *r);

/*
 * referral_get - load referral `id` into *r with everything the Referral JSON shows. Returns
 * REFERRAL_OK, REFERRAL_NOT_FOUND or REFERRAL_ERROR. It does not check who may see it: the
 * caller gates r->person_id (restricted persons) and audits the view.
 */
enum referral_status referral_get(struct store *st, int64_t id, struct referral *r);

/*
 * referral_decide - record manager `by`'s screening decision *d on referral *r (loaded by
 * referral_get; d validated against it). REFERRAL_DECIDED when r is already decided,
 * REFERRAL_STALE when d->version is not r->version, in both cases with nothing changed.
 * Otherwise, in the caller's write transaction: stops the referral_decision clock at
 * d->decided_at (met when by its due time, breached after); when d->opens_case, opens a case
 * for r->person_id with r's strands, d->team and d->worker_id from d->decided_at
 * (casework_open_case, which starts the case's clocks and audits case.open); stores outcome,
 * rationale, decided_at/by, case_id, version + 1; audits referral.decide with the outcome and
 * "late" or "in time" (or "untimed" when no clock ran). On REFERRAL_OK *r is reloaded (case_id,
 * decision_late via clock_status). REFERRAL_ERROR on a store failure, including a case that
 * could not be opened.
 */
enum referral_status referral_decide(struct store *st, const struct user *by, struct referral *r,
				     const struct referral_decision *d);

/*
 * referral_list - call fn(ctx, referral) for each referral matching *f, oldest received first,
 * at most f->limit from f->offset, leaving out restricted persons f->viewer_id is not named on;
 * *total gets how many match in all. The referral passed to fn is valid only during the call.
 * fn returns 0 to go on, non-zero to stop (referral_list then returns REFERRAL_ERROR).
 * Returns REFERRAL_OK or REFERRAL_ERROR.
 */
enum referral_status referral_list(struct store *st, const struct referral_filter *f,
				   int (*fn)(void *ctx, const struct referral *r), void *ctx, int64_t *total);

/*
 * referral_decision_late - whether r's decision was late: 1 breached, 0 met, -1 not known (not
 * decided yet, or no referral_decision clock ran for it).
 */
int referral_decision_late(const struct referral *r);

/*
 * referral_json - the Referral object of docs/api-casework.md for r as a new JSON object (the
 * caller owns the reference; NULL when jansson cannot allocate). `now` (UTC seconds) gives the
 * person's age. Users are shown by username; times are RFC 3339; "person" is {"id",
 * "given_name", "family_name", "dob", "age", "is_child"} or null for a peer group or location.
 */
json_t *referral_json(const struct referral *r, int64_t now);

#endif
