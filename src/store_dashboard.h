/*
 * store_dashboard.h - the reads behind the daily tasking list and the person's whole story.
 * They read the casework tables of sql/002_casework.sql directly (referrals, cases,
 * case_allocations, assessments, contacts, case_notes, supervisions, flags, feedback, clocks,
 * meetings, actions) with their own statements, so that the two busiest pages cost a handful of
 * indexed queries each and depend on no other slice's code.
 *
 * Every function walks its rows in order and calls fn(ctx, row) for each; fn returning non-zero
 * stops the walk. A row, and every `const char *` in it, lives only during that call (the texts
 * point into SQLite's row buffers): copy what you keep. Texts are never NULL ("" when absent).
 * Returns 0, or -1 on a store error.
 *
 * The daily list's walks start from the small sets (referrals awaiting a decision, running
 * clocks due by a time, open cases, open actions, flags not removed) through the indexes of
 * sql/002 (referrals_status, clocks_running, cases_status_team, actions_open, flags_review), and
 * leave out every line about a restricted person the scope's user is not named on.
 * Owns: these statements. Must not touch: HTTP, jansson, the rules of what is due (dashboard.h).
 */
#ifndef SAFEHUB_STORE_DASHBOARD_H
#define SAFEHUB_STORE_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Whose daily list it is. */
struct dash_scope {
	const char *team;   /* only lines of this team (referrals.team, clocks.team, cases.team); NULL: every team */
	int64_t user_id;    /* restricted persons are shown only when this user is named on them */
};

/* The person a line is about (id 0 when the line has none, e.g. a referral about a peer group). */
struct dash_person {
	int64_t id;
	const char *given_name, *family_name;
	const char *dob;    /* YYYY-MM-DD or "" */
};

/* A user a line names ("" when none). */
struct dash_user {
	const char *username, *display_name;
};

/* A referral awaiting its screening decision, with its running referral_decision clock. */
struct dash_referral {
	int64_t id, version;
	struct dash_person person;
	const char *subject_type, *subject_ref;
	int64_t received_at;
	const char *source_code, *source_label, *source_agency;
	const char *strands;     /* JSON array text */
	const char *team;
	int64_t due_at;          /* the running clock's due time, 0 when none runs */
};

/* A running clock: a task. */
struct dash_task {
	int64_t id;
	const char *standard, *name;  /* the standard's code and name */
	const char *subject_type;
	int64_t subject_id, case_id;  /* case_id 0 when none */
	struct dash_person person;
	const char *team;
	struct dash_user worker;
	int64_t started_at, due_at;
};

/* An action not done (of an open case's meeting, or a meeting about a person alone). */
struct dash_action {
	int64_t id, version, meeting_id, case_id;
	const char *meeting_type;
	int64_t held_at;
	const char *what, *owner, *due_date;
	int64_t updated_at;
	const char *updated_by;  /* username */
	struct dash_person person;
	const char *team;        /* the case's team, or the team of who recorded the meeting */
};

/* An open case line: a high-risk child, or a young person near 17 1/2. */
struct dash_case {
	int64_t case_id;
	struct dash_person person;
	const char *team;
	struct dash_user worker;
	const char *risk_level;  /* "" when not assessed */
	int64_t opened_at;
	int64_t last_seen_at;    /* the last contact where the child was seen, 0 when never */
};

/* A flag on an open case, not removed. */
struct dash_flag {
	int64_t id, version, case_id;
	const char *kind, *kind_label;
	const char *note;        /* the first 200 characters */
	int64_t set_at;
	const char *review_date;
	bool police_flag;
	struct dash_person person;
	const char *team;
};

/* ---- the daily list ---- */

/* Referrals awaiting a decision in scope, oldest received first. */
int store_dash_referrals(struct store *st, const struct dash_scope *sc,
			 int (*fn)(void *ctx, const struct dash_referral *r), void *ctx);

/* Running clocks in scope due from `from` to `to` (UTC seconds, both included), soonest due first, at most `limit`. */
int store_dash_tasks(struct store *st, const struct dash_scope *sc, int64_t from, int64_t to, int limit,
		     int (*fn)(void *ctx, const struct dash_task *t), void *ctx);

/* How many running clocks of one standard are overdue or due today. */
struct dash_task_count {
	const char *standard, *name;
	int overdue;             /* due before now */
	int due_today;           /* due from now to the end of today */
};

/*
 * Running clocks in scope due by end_of_today, counted by standard (in the standards' configured
 * order): overdue when due before `now`, due today otherwise.
 */
int store_dash_task_counts(struct store *st, const struct dash_scope *sc, int64_t now, int64_t end_of_today,
			   int (*fn)(void *ctx, const struct dash_task_count *c), void *ctx);

/*
 * Actions not done with a due date before `today` (YYYY-MM-DD), in scope: those of open cases'
 * meetings (team: the case's), and those of meetings about a person alone (team: the team of
 * who recorded the meeting); actions left on closed cases are not tasks. *total gets how many
 * there are; fn gets the first `limit` of them, earliest due first.
 */
int store_dash_overdue_actions(struct store *st, const struct dash_scope *sc, const char *today, int limit,
			       int *total, int (*fn)(void *ctx, const struct dash_action *a), void *ctx);

/*
 * Open high-risk cases in scope whose child was last seen (a contact with seen = 1) before
 * `seen_before` (UTC seconds) or never seen on a case opened before then; longest unseen first.
 */
int store_dash_not_seen(struct store *st, const struct dash_scope *sc, int64_t seen_before,
			int (*fn)(void *ctx, const struct dash_case *c), void *ctx);

/* Flags not removed with a review date on or before `today`, on open cases in scope, earliest first (note: its first 200 characters). */
int store_dash_flags_due(struct store *st, const struct dash_scope *sc, const char *today,
			 int (*fn)(void *ctx, const struct dash_flag *f), void *ctx);

/*
 * Open cases in scope without a transition plan whose person was born after `dob_earliest` and
 * on or before `dob_latest` (YYYY-MM-DD): the candidates that dashboard_transition_due decides
 * on, oldest person first.
 */
int store_dash_transitions(struct store *st, const struct dash_scope *sc, const char *dob_earliest,
			   const char *dob_latest, int (*fn)(void *ctx, const struct dash_case *c), void *ctx);

/* ---- the person's story ---- */

/*
 * store_dash_code_label - the label of `code` in the configured list `list` (config.h names)
 * into out[cap], active or not; the code itself when the list has no such code. Returns 0 or -1.
 */
int store_dash_code_label(struct store *st, const char *list, const char *code, char *out, size_t cap);

/* A case (without its lists). */
struct story_case {
	int64_t id, version, person_id, referral_id;  /* referral_id 0 when none */
	const char *status, *team;
	struct dash_user worker;
	const char *strands;                          /* JSON array text */
	const char *risk_level, *opening_risk;        /* "" when none */
	int64_t opened_at, closed_at;                 /* closed_at 0 while open */
	const char *closure_reason, *closure_reason_label, *closure_risk;
	int64_t transition_plan_at;                   /* 0 when none */
	const char *transition_plan;
	int64_t created_at, updated_at;
	const char *created_by, *updated_by;          /* usernames */
};

/* One allocation of a case to a team and worker. */
struct story_allocation {
	int64_t id, case_id;
	const char *team;
	struct dash_user worker;
	int64_t from_at;
	const char *reason;
	const char *by;          /* username */
	bool first;              /* the allocation made when the case was opened */
};

/* A referral about the person. */
struct story_referral {
	int64_t id, version;
	const char *subject_type, *subject_ref;
	int64_t received_at;
	const char *source_code, *source_label, *source_agency, *referrer_name, *referrer_contact;
	const char *strands;     /* JSON array text */
	const char *concerns, *consent_basis, *status;
	const char *outcome, *outcome_label, *rationale;  /* "" until decided */
	int64_t decided_at;      /* 0 until decided */
	const char *decided_by;  /* username, "" until decided */
	int64_t case_id;         /* 0 when none */
	const char *team;
	int64_t decision_due_at; /* the referral_decision clock's due time, 0 when none */
	const char *clock_status;/* that clock's status: running, met, breached, cancelled, or "" */
	int64_t created_at, updated_at;
	const char *created_by, *updated_by;
};

/* An assessment: one point of the risk trajectory. */
struct story_assessment {
	int64_t id, case_id;     /* case_id 0 when none */
	int64_t tool_id, tool_version;
	const char *tool_code, *tool_name;
	int64_t score;
	const char *computed_level, *final_level, *override_level, *override_rationale;
	int64_t assessed_at;
	const char *assessor;    /* username */
};

/* A contact with the child or family. */
struct story_contact {
	int64_t id, case_id, contact_at;
	const char *kind, *kind_label;
	bool seen, seen_alone;
	const char *location, *summary;
	const char *by;          /* username */
};

/* A case note, as the timeline shows it: never the child's voice. */
struct story_note {
	int64_t id, case_id, at;
	const char *excerpt;     /* the first 200 characters of the note */
	const char *by;
};

/* A supervision record. */
struct story_supervision {
	int64_t id, case_id, held_at;
	const char *next_due;    /* YYYY-MM-DD or "" */
	const char *by;
};

/* A flag. */
struct story_flag {
	int64_t id, version, case_id;
	const char *kind, *kind_label, *note;
	int64_t set_at;
	const char *review_date;
	bool police_flag;
	int64_t removed_at;      /* 0 while set */
	const char *by;
};

/* Feedback from the child. */
struct story_feedback {
	int64_t id, case_id;
	const char *stage;
	int64_t score;
	const char *words;
	int64_t at;
	const char *by;
};

/* The person's cases, newest opened first. */
int store_story_cases(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct story_case *c),
		      void *ctx);
/* The allocations of the person's cases, oldest first. */
int store_story_allocations(struct store *st, int64_t person_id,
			    int (*fn)(void *ctx, const struct story_allocation *a), void *ctx);
/* The running clocks of case `case_id`, soonest due first. */
int store_story_clocks(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct dash_task *t),
		       void *ctx);
/* The referrals about the person, newest received first. */
int store_story_referrals(struct store *st, int64_t person_id,
			  int (*fn)(void *ctx, const struct story_referral *r), void *ctx);
/* The person's assessments, oldest first: the risk trajectory. */
int store_story_assessments(struct store *st, int64_t person_id,
			    int (*fn)(void *ctx, const struct story_assessment *a), void *ctx);
/* The contacts on the person's cases, newest first. */
int store_story_contacts(struct store *st, int64_t person_id,
			 int (*fn)(void *ctx, const struct story_contact *c), void *ctx);
/* The notes on the person's cases, newest first. */
int store_story_notes(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct story_note *n),
		      void *ctx);
/* The supervisions on the person's cases, newest first. */
int store_story_supervisions(struct store *st, int64_t person_id,
			     int (*fn)(void *ctx, const struct story_supervision *s), void *ctx);
/* The flags on the person's cases, newest set first. */
int store_story_flags(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct story_flag *f),
		      void *ctx);
/* The feedback on the person's cases, newest first. */
int store_story_feedback(struct store *st, int64_t person_id,
			 int (*fn)(void *ctx, const struct story_feedback *f), void *ctx);

#endif
