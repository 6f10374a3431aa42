/*
 * clock.h - practice-standard clocks. A standard (practice_standards table: a start event, a
 * limit in working days, hours, days or months, an end event) is started for one subject (a
 * referral, a case, a flag) and runs until its end event stops it: met when stopped by its due
 * time, breached after. Every running clock is a task on the daily list; every stopped clock is
 * kept so timeliness can be counted by month. Due times come from calendar.c and the configured
 * bank holidays: "N working days" ends at the end of the Nth working day after the start day;
 * "N days" and "N months" end at the end of that local day; "N hours" is a plain duration.
 * Owns: starting, stopping and cancelling clocks, and due-time rules. Runs inside the caller's
 * write transaction. Must not touch: HTTP, SQL text (store_clock.c).
 */
#ifndef SAFEHUB_CLOCK_H
#define SAFEHUB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct store;

/* Who or what a clock runs for. */
struct clock_subject {
	const char *type;      /* "referral", "case", "flag", ... */
	int64_t id;            /* the subject's id */
	int64_t case_id;       /* 0 when none */
	int64_t person_id;     /* 0 when none */
	const char *team;      /* the team the task belongs to ("" when none) */
	int64_t worker_id;     /* the allocated worker (0 when none) */
};

/* A practice standard as configured. */
struct clock_standard {
	char code[32];
	char name[101];
	int limit_value;
	char limit_unit[16];   /* working_days, hours, days, months */
	char applies_to[32];   /* "" or "risk:high" */
	bool repeats;
	bool active;
};

/* One clock (a running one is a task). */
struct clock {
	int64_t id;
	char standard[32];
	char standard_name[101];
	char subject_type[16];
	int64_t subject_id, case_id, person_id, worker_id;
	char team[101];
	int64_t started_at, due_at, stopped_at; /* UTC seconds; stopped_at 0 while running */
	char status[12];       /* running, met, breached, cancelled */
};

/*
 * clock_due - the due time for `standard` started at start_utc, using the bank holidays in the
 * store. Returns 0 with *due set, STORE_NOTFOUND (1) when the standard is unknown or inactive,
 * -1 on a store error.
 */
int clock_due(struct store *st, const char *standard, int64_t start_utc, int64_t *due);

/*
 * clock_start - start `standard` for subject at start_utc (due computed by clock_due), unless
 * one is already running for that subject and standard. due_override > 0 sets the due time
 * instead (the transition plan is due at a date of birth + 17 years 6 months). Returns 0 (also
 * when the standard is inactive: nothing starts), -1 on a store error.
 */
int clock_start(struct store *st, const char *standard, const struct clock_subject *subject, int64_t start_utc,
		int64_t due_override);

/*
 * clock_stop - stop every running `standard` clock of (subject_type, subject_id) at stop_utc:
 * met when stop_utc <= due_at, else breached. *stopped (may be NULL) gets how many stopped and
 * *breached how many of them breached. Returns 0 or -1.
 */
int clock_stop(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
	       int64_t stop_utc, int *stopped, int *breached);

/*
 * clock_cancel_case - stop every running clock of a case at closure: one already past its due time
 * is kept as breached (a closure does not erase a breach), the rest are cancelled. 0 or -1.
 */
int clock_cancel_case(struct store *st, int64_t case_id, int64_t at);

/*
 * clock_new_running - a running clock of standard *std (read by the caller with
 * store_standard_get, so that a batch reads it once) for a subject created in this transaction,
 * which cannot have one running yet, started at start_utc and due as clock_due says: into *out,
 * not inserted (a batch writes its clocks together: store_missing_pending_clock). Returns 0 with
 * *out filled, 1 when std is inactive (no clock), -1 on a store error.
 */
int clock_new_running(struct store *st, const struct clock_standard *std, const struct clock_subject *subject,
		      int64_t start_utc, struct clock *out);

/* clock_reassign_case - move a case's running clocks to a new team and worker. 0 or -1. */
int clock_reassign_case(struct store *st, int64_t case_id, const char *team, int64_t worker_id);

#endif
