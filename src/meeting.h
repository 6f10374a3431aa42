/*
 * meeting.h - team-around-the-child meetings (PTAC) and the hub's other meetings (strategy
 * discussion, MACE, MARAC, Channel panel, professionals meeting): who attended from which
 * agency, what was decided, the next review date, and the actions agreed (what, owner, due
 * date, done). An action not done by its due date is a task on the daily list (dashboard.h).
 * A PTAC held on a case stops the case's first_ptac and ptac_review clocks and starts the next
 * ptac_review (6 weeks) from the meeting's time.
 * Owns: the meeting's rules (who may record one on which case, closed cases, the PTAC clocks)
 * and the meeting.create / action.update audit entries. Runs inside the caller's transaction.
 * Must not touch: HTTP, jansson (api_meeting.c converts), SQL text (store_meeting.c).
 */
#ifndef SAFEHUB_MEETING_H
#define SAFEHUB_MEETING_H

#include <stdbool.h>
#include <stdint.h>

#include "user.h"

struct store;

#define MEETING_ATTENDEES_MAX 50      /* attendees one meeting records */
#define MEETING_ACTIONS_MAX 50        /* actions one meeting agrees */
#define MEETING_NAME_CHARS 200        /* an attendee's name, agency, role; an action's owner */
#define MEETING_DECISIONS_CHARS 10000 /* the decisions text */
#define MEETING_ACTION_CHARS 1000     /* what an action is */
#define MEETING_PTAC "ptac"           /* the meeting_type code of a team-around-the-child meeting */

/* One attendee. Sizes allow 4 bytes per character (UTF-8). */
struct meeting_attendee {
	char name[MEETING_NAME_CHARS * 4 + 1];   /* required, 1-200 characters */
	char agency[MEETING_NAME_CHARS * 4 + 1]; /* optional, up to 200 */
	char role[MEETING_NAME_CHARS * 4 + 1];   /* optional, up to 200 */
};

/* One action agreed at a meeting. */
struct meeting_action {
	int64_t id;                              /* actions.id; 0 before it is stored */
	int64_t version;                         /* optimistic-concurrency version, from 1 */
	int64_t meeting_id;                      /* the meeting that agreed it */
	int64_t case_id;                         /* the meeting's case, 0 when none */
	char what[MEETING_ACTION_CHARS * 4 + 1]; /* required, 1-1,000 characters */
	char owner[MEETING_NAME_CHARS * 4 + 1];  /* a name and agency (not necessarily a user), 1-200 */
	char due_date[11];                       /* YYYY-MM-DD, required */
	int64_t done_at;                         /* UTC seconds, 0 while not done */
	int64_t updated_at;                      /* UTC seconds */
	char updated_by[USER_NAME_MAX + 1];      /* username */
};

/* A meeting, as validated input or as stored. Large (about 500 KiB): allocate it. */
struct meeting {
	int64_t id;                              /* meetings.id; 0 before it is stored */
	int64_t version;                         /* optimistic-concurrency version, from 1 */
	char type[32];                           /* an active meeting_type code (config.h) */
	int64_t held_at;                         /* UTC seconds: when it was held */
	int64_t case_id;                         /* the case it was about, 0 when none */
	int64_t person_id;                       /* the person it was about (the case's person) */
	struct meeting_attendee attendees[MEETING_ATTENDEES_MAX];
	int n_attendees;
	char decisions[MEETING_DECISIONS_CHARS * 4 + 1]; /* what was decided, may be "" */
	char next_review[11];                    /* YYYY-MM-DD or "" */
	struct meeting_action actions[MEETING_ACTIONS_MAX];
	int n_actions;
	int64_t created_at, updated_at;          /* UTC seconds */
	char created_by[USER_NAME_MAX + 1];      /* usernames */
	char updated_by[USER_NAME_MAX + 1];
};

/* Outcomes of meeting operations. */
enum meeting_status {
	MEETING_OK = 0,
	MEETING_NOT_FOUND,   /* no such meeting (or action on that meeting) */
	MEETING_NO_CASE,     /* case_id names no case (a field error on case_id) */
	MEETING_NO_PERSON,   /* person_id names no person (a field error on person_id) */
	MEETING_MISMATCH,    /* person_id is not the case's person (a field error on person_id) */
	MEETING_BEFORE_CASE, /* held_at is before the case was opened (a field error on held_at) */
	MEETING_DENIED,      /* the person is restricted and the user is not named on it */
	MEETING_NOT_TEAM,    /* a practitioner writing on another team's case */
	MEETING_CLOSED,      /* the case is closed: it refuses further changes */
	MEETING_STALE,       /* the version sent is not the current one */
	MEETING_ERROR        /* the store failed */
};

/* The facts of a case that meetings need, read by the meeting store. */
struct meeting_case {
	int64_t id;
	int64_t person_id;
	bool open;                               /* status is open */
	char team[101];                          /* the allocated team */
	int64_t worker_id;                       /* the allocated worker, 0 when none */
	int64_t opened_at;                       /* UTC seconds */
};

/*
 * meeting_action_overdue - true when an action is not done and its due date is before
 * `today` (both YYYY-MM-DD; the hub's local date): due today is not yet overdue.
 */
bool meeting_action_overdue(const struct meeting_action *a, const char *today);

/* meeting_case_of - the facts of case `case_id` into *out: MEETING_OK, MEETING_NO_CASE or MEETING_ERROR. */
enum meeting_status meeting_case_of(struct store *st, int64_t case_id, struct meeting_case *out);

/*
 * meeting_list - call fn(ctx, m) for each meeting about case `case_id` (> 0) and/or person
 * `person_id` (> 0: its own meetings and those on its cases), newest held first, at most `max`;
 * each is loaded with its attendees and actions into one struct that lives only during the call.
 * The caller has already checked that the user may reach the person. Stops early when fn returns
 * non-zero. Returns MEETING_OK or MEETING_ERROR.
 */
enum meeting_status meeting_list(struct store *st, int64_t case_id, int64_t person_id, int max,
				 int (*fn)(void *ctx, const struct meeting *m), void *ctx);

/*
 * meeting_create - record *m (validated at the edge: type an active code, held_at not in the
 * future, case_id and/or person_id set, attendees and actions in their limits, due dates and
 * next_review not before the meeting's local date) on behalf of `by`:
 * - with a case: the case must exist (MEETING_NO_CASE), be open (MEETING_CLOSED), belong to
 *   by's team when by is a practitioner (MEETING_NOT_TEAM), have been opened by held_at
 *   (MEETING_BEFORE_CASE); person_id, when given, must be the case's person (MEETING_MISMATCH),
 *   and is set to it when not;
 * - the person must exist (MEETING_NO_PERSON) and be reachable by `by` (MEETING_DENIED: the
 *   caller audits the refusal);
 * - stores the meeting and its actions (each action takes the meeting's case), audits
 *   meeting.create with the type and counts in the detail;
 * - a PTAC on a case stops first_ptac and ptac_review of the case at held_at and starts the next
 *   ptac_review from held_at for the case's team and worker, unless a later PTAC has already
 *   started the running review (recording an older meeting never moves the clock back).
 * Sets m->id, versions, ids of the actions and the created/updated fields. Returns MEETING_OK or
 * the status above (MEETING_ERROR when the store failed: the caller rolls back).
 */
enum meeting_status meeting_create(struct store *st, const struct user *by, struct meeting *m);

/*
 * meeting_get - load meeting `id` with its attendees and actions into *m when `by` may reach its
 * person. Returns MEETING_OK, MEETING_NOT_FOUND, MEETING_DENIED (m cleared) or MEETING_ERROR.
 * The caller audits the view.
 */
enum meeting_status meeting_get(struct store *st, const struct user *by, int64_t id, struct meeting *m);

/*
 * meeting_action_set_done - mark action `action_id` of meeting `meeting_id` done (done_at = now)
 * or not done (done_at cleared) when `version` is its current version, bumping the version, and
 * audit action.update. The same rules as meeting_create hold for the meeting's case and person
 * (MEETING_DENIED, MEETING_NOT_TEAM, MEETING_CLOSED). Fills *out with the action as stored.
 * Returns MEETING_OK, MEETING_NOT_FOUND, MEETING_STALE or the statuses above.
 */
enum meeting_status meeting_action_set_done(struct store *st, const struct user *by, int64_t meeting_id,
					    int64_t action_id, int64_t version, bool done, struct meeting_action *out);

#endif
