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
#include <stddef.h>
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

/* ---- the rest of the case API (api_case.c, and the store in store_case.c) ------------------- */

#define CASE_STRANDS_MAX 16        /* strand codes on one case */
#define CASE_CODE_BYTES 33         /* a configured code: up to 32 bytes */
#define CASE_TEAM_CHARS 100        /* a team name */
#define CASE_NOTE_CHARS 20000      /* a case note, a supervision discussion, a transition plan */
#define CASE_VOICE_CHARS 10000     /* the child's voice on a note; a contact summary; decisions */
#define CASE_SHORT_CHARS 2000      /* a flag note, feedback words */
#define CASE_REASON_CHARS 1000     /* the reason for a reallocation */
#define CASE_LOCATION_CHARS 200    /* where a contact happened */

/*
 * A case as stored, with the names the API shows resolved (person, worker, who created and last
 * changed it). Large (the transition plan is inline): allocate it, do not put it on the stack.
 */
struct casework_case {
	int64_t id;                 /* cases.id */
	int64_t version;            /* optimistic-concurrency version; 1 when opened */
	int64_t person_id;          /* the subject */
	int64_t referral_id;        /* the referral whose decision opened it; 0 when none */
	char status[8];             /* "open" or "closed" */
	char team[4 * CASE_TEAM_CHARS + 1];  /* the allocated team */
	int64_t worker_id;          /* the allocated worker; 0 when only a team is allocated */
	char strands[CASE_STRANDS_MAX][CASE_CODE_BYTES]; /* strand codes */
	int n_strands;
	char risk_level[8];         /* "low", "medium", "high", or "" before the first assessment */
	char opening_risk[8];       /* the first risk level, or "" */
	int64_t opened_at;          /* UTC seconds */
	int64_t closed_at;          /* UTC seconds; 0 while open */
	char closure_reason[CASE_CODE_BYTES]; /* a closure_reason code, "" while open */
	char closure_risk[8];       /* the risk level at closure, "" when none */
	int64_t transition_plan_at; /* when the transition plan was last recorded; 0 before */
	char transition_plan[4 * CASE_NOTE_CHARS + 1];
	int64_t created_at, updated_at;               /* UTC seconds */
	char created_by[USER_NAME_MAX + 1], updated_by[USER_NAME_MAX + 1]; /* usernames */
	/* Resolved for display (read-only: the store fills them, updates ignore them). */
	char given_name[401], family_name[401];       /* the person's names */
	char dob[11];               /* the person's date of birth, "" when not known */
	bool restricted;            /* the person is a restricted record */
	char worker_username[USER_NAME_MAX + 1];      /* "" when no worker */
	char worker_display_name[201];
};

/*
 * The things recorded on a case. As input to the casework_add_* functions the strings point to
 * the caller's validated text; from the store_case_*_each readers they point into the current
 * row and are valid only during the callback. `by` is a username (output only).
 */
struct casework_allocation {
	int64_t id;                 /* case_allocations.id (output) */
	const char *team;           /* the team allocated */
	int64_t worker_id;          /* the worker allocated, 0 when none */
	const char *worker_username, *worker_display_name; /* "" when no worker (output) */
	int64_t from_at;            /* UTC seconds: allocated from then on */
	const char *reason;         /* why it was (re)allocated, "" when not given */
	const char *by;             /* who allocated it (output) */
};

struct casework_contact {
	int64_t id;                 /* contacts.id (set when recorded) */
	int64_t contact_at;         /* UTC seconds, when the contact happened */
	const char *kind;           /* a contact_type code */
	bool seen;                  /* the child was seen */
	bool seen_alone;            /* the child was seen alone (implies seen) */
	const char *location;       /* where, "" when not given */
	const char *summary;        /* what happened, "" when not given */
	const char *by;             /* who recorded it (output) */
};

struct casework_note {
	int64_t id;                 /* case_notes.id (set when recorded) */
	const char *note;           /* the worker's note (1..CASE_NOTE_CHARS) */
	const char *child_voice;    /* the child's own words and wishes, "" when none */
	int64_t at;                 /* when it was recorded */
	const char *by;             /* who recorded it (output) */
};

struct casework_supervision {
	int64_t id;                 /* supervisions.id (set when recorded) */
	int64_t held_at;            /* UTC seconds */
	const char *discussion;     /* what was discussed, "" when not given */
	const char *decisions;      /* the manager's decisions (required) */
	const char *next_due;       /* YYYY-MM-DD or "": when the next supervision is due */
	const char *by;             /* the manager who recorded it (output) */
};

struct casework_flag {
	int64_t id;                 /* flags.id (set when recorded) */
	int64_t version;            /* the flag's own version (PUT .../flags/{id} needs it) */
	int64_t case_id;            /* the case it is set on */
	const char *kind;           /* a flag_type code */
	const char *note;           /* why it is set, "" when not given */
	int64_t set_at;             /* UTC seconds */
	const char *review_date;    /* YYYY-MM-DD; as input "" means the default (flag_review from now) */
	bool police_flag;           /* also set on police systems */
	int64_t removed_at;         /* UTC seconds; 0 while the flag stands */
	const char *by;             /* who set it (output) */
};

struct casework_feedback {
	int64_t id;                 /* feedback.id (set when recorded) */
	const char *stage;          /* "review" or "closure" */
	int score;                  /* 1..5 */
	const char *words;          /* the child's own words, "" when none */
	int64_t at;                 /* when it was recorded */
	const char *by;             /* who recorded it (output) */
};

/* Outcomes of the changes below. */
enum casework_status {
	CASEWORK_OK = 0,
	CASEWORK_NOT_FOUND,         /* no such case (or flag on this case) */
	CASEWORK_CLOSED,            /* the case is closed: it takes no more changes */
	CASEWORK_STALE,             /* the version sent is not the current one */
	CASEWORK_GONE,              /* the flag has been removed: it takes no more changes */
	CASEWORK_ERROR              /* the store failed: the caller rolls back */
};

/*
 * casework_may_change - the team rule: true when `by` may change case c: a manager any case,
 * anyone else (with case.write) only a case of their own team.
 */
bool casework_may_change(const struct user *by, const struct casework_case *c);

/*
 * casework_check_worker - resolve `username` as a worker for `team`: an existing, enabled user
 * whose role may write casework (manager or practitioner) and whose team is `team`.
 * Returns 0 with *worker_id set, STORE_NOTFOUND (1) with why[cap] saying what is wrong, or -1.
 */
int casework_check_worker(struct store *st, const char *team, const char *username, int64_t *worker_id,
			  char *why, size_t cap);

/*
 * casework_update_strands - replace case c's strands with strands[0..n) when `version` is
 * c's current version; bumps the version, audits case.update. c must have been read in this
 * transaction; it is updated in place. CASEWORK_CLOSED, CASEWORK_STALE, CASEWORK_ERROR or OK.
 */
enum casework_status casework_update_strands(struct store *st, const struct user *by, struct casework_case *c,
					     int64_t version, const char strands[][CASE_CODE_BYTES], int n);

/*
 * casework_allocate - (re)allocate case c to `team` and worker_id (0: the team only) when
 * `version` is current: records an allocation row (from now, with `reason`), bumps the
 * version, moves the case's running clocks to the new team and worker (clock_reassign_case)
 * and audits case.allocate. Statuses as casework_update_strands.
 */
enum casework_status casework_allocate(struct store *st, const struct user *by, struct casework_case *c,
				       int64_t version, const char *team, int64_t worker_id, const char *reason);

/*
 * casework_add_contact - record contact *k on open case c (sets k->id) and audit case.contact.
 * When the child was seen: the running high_risk_visit clock is stopped at k->contact_at and,
 * while the case is rated high, started again from k->contact_at. A contact dated before the
 * running clock started (recorded late, out of order) leaves the clock alone: a later visit
 * already restarted it. CASEWORK_CLOSED, CASEWORK_ERROR or OK.
 */
enum casework_status casework_add_contact(struct store *st, const struct user *by, struct casework_case *c,
					  struct casework_contact *k);

/* casework_add_note - record note *n (at now) on open case c, set n->id, audit case.note. */
enum casework_status casework_add_note(struct store *st, const struct user *by, struct casework_case *c,
				       struct casework_note *n);

/*
 * casework_add_supervision - record supervision *s on open case c (sets s->id), audit
 * case.supervision, and stop the running `supervision` clock at s->held_at and start it again
 * from there: due at the end of s->next_due when given, else by the standard (28 days).
 * A supervision dated before the running clock started leaves the clock alone.
 */
enum casework_status casework_add_supervision(struct store *st, const struct user *by, struct casework_case *c,
					      struct casework_supervision *s);

/*
 * casework_add_flag - set flag *f on open case c at now (sets f->id, f->set_at, and, when
 * f->review_date is "", review_date[11] to the default: the local date on which a flag_review
 * clock started now falls due, 3 months by default; f->review_date then points at
 * review_date). Starts flag_review for subject {"flag", id} due at the end of the review date.
 * Audits case.flag_set.
 */
enum casework_status casework_add_flag(struct store *st, const struct user *by, struct casework_case *c,
				       struct casework_flag *f, char review_date[11]);

/* What a flag update changes: each member only when its `set_` flag is true. */
struct casework_flag_change {
	int64_t version;            /* the flag's version as read */
	bool set_review_date;
	char review_date[11];       /* YYYY-MM-DD */
	bool set_police_flag;
	bool police_flag;
	bool remove;                /* take the flag down */
};

/*
 * casework_update_flag - change flag flag_id of open case c as *ch says, when ch->version is
 * the flag's version: bumps the flag's version; a new review date stops the running
 * flag_review clock now and starts it again due at the end of the new date; removal sets
 * removed_at (now) and stops flag_review. Audits case.flag_update or case.flag_remove.
 * CASEWORK_NOT_FOUND (no such flag on c), CASEWORK_GONE (already removed), CASEWORK_STALE,
 * CASEWORK_CLOSED, CASEWORK_ERROR or OK.
 */
enum casework_status casework_update_flag(struct store *st, const struct user *by, struct casework_case *c,
					  int64_t flag_id, const struct casework_flag_change *ch);

/* casework_add_feedback - record the child's feedback *f (at now) on open case c, set f->id, audit case.feedback. */
enum casework_status casework_add_feedback(struct store *st, const struct user *by, struct casework_case *c,
					   struct casework_feedback *f);

/*
 * casework_record_transition_plan - set case c's transition plan to `plan` (at now) when
 * `version` is current; bumps the version, stops the transition_plan clock (met or breached),
 * audits case.transition_plan. Recording it again replaces the text.
 */
enum casework_status casework_record_transition_plan(struct store *st, const struct user *by, struct casework_case *c,
						     int64_t version, const char *plan);

/*
 * casework_close - close case c at closed_at with closure reason `reason` (a closure_reason
 * code) when `version` is current: closure_risk becomes the current risk level, every running
 * clock of the case is cancelled (clock_cancel_case), the version is bumped, case.close is
 * audited. A closed case takes no more changes (CASEWORK_CLOSED).
 */
enum casework_status casework_close(struct store *st, const struct user *by, struct casework_case *c, int64_t version,
				    const char *reason, int64_t closed_at);

#endif
