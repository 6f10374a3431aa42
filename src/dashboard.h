/*
 * dashboard.h - the daily tasking list and the person's whole story: the rules that decide what
 * is a task today (the hub's local day), when a young person reaches 17 years 6 months, how long
 * is left on a clock, where each line links to in the UI, what a timeline line may show (the
 * first 200 characters of a note, never the child's voice), and the order of the timeline
 * (newest first). Everything defined in dashboard.c is a pure function over its arguments: no
 * store, no HTTP, no jansson. The rows come from store_dashboard.h; api_dashboard.c turns them into
 * JSON. (The two JSON shapes declared at the end are api_meeting.c's, shared with api_dashboard.c.)
 * Owns: those rules. Must not touch: SQL, HTTP, the other slices' modules.
 */
#ifndef SAFEHUB_DASHBOARD_H
#define SAFEHUB_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DASHBOARD_LIST_DEFAULT 50        /* lines shown per section of the daily list (?limit=) */
#define DASHBOARD_LIST_MAX 500           /* the most lines a section may show */
#define DASHBOARD_TRANSITION_HORIZON 30  /* days ahead that a coming 17 1/2 is shown */
#define DASHBOARD_NOT_SEEN_DAYS 7        /* a high-risk child not seen for this long is a task */
#define DASHBOARD_EXCERPT_CHARS 200      /* characters of a note shown in the timeline */
#define DASHBOARD_TIMELINE_MAX 2000      /* newest timeline lines kept in a story */

/* The day the daily list is drawn up for. */
struct dashboard_day {
	int64_t now;              /* UTC seconds */
	char today[11];           /* the local (Europe/London) date, YYYY-MM-DD */
	int64_t end_of_today;     /* UTC seconds of 23:59:59 local today: tasks due by then are due today */
	int64_t not_seen_before;  /* UTC seconds: last seen before this is "not seen in 7 days" */
	char horizon[11];         /* today + DASHBOARD_TRANSITION_HORIZON days, YYYY-MM-DD */
	char dob_latest[11];      /* the latest date of birth that can reach 17 1/2 by the horizon */
	char dob_earliest[11];    /* dates of birth after this one are of someone not yet 18 today */
};

/*
 * dashboard_day_at - fill *d for the instant `now`: today's local date and the UTC instant of its
 * last second (calendar.h), now - 7 days, the horizon date, dob_latest = the horizon minus
 * 17 years 6 months plus 3 days (month clamping can move a 17 1/2 date back by up to 3 days, so
 * this is a safe pre-filter; dashboard_transition_due decides exactly), and dob_earliest = today
 * minus 18 years minus 3 days (the same slack the other way).
 */
void dashboard_day_at(int64_t now, struct dashboard_day *d);

/*
 * dashboard_seventeen_and_half - the date a person born on `dob` (YYYY-MM-DD) is 17 years
 * 6 months old, into out[11]: dob plus 210 calendar months, the day clamped to the month's last
 * day (born 31 August 2009: 28 February 2027). False when dob is not a date.
 */
bool dashboard_seventeen_and_half(const char *dob, char out[11]);

/*
 * dashboard_transition_due - true when a young person born on `dob`, on an open case without a
 * transition plan, is listed on day *d as reaching 17 1/2: their 17 1/2 date is on or before
 * d->horizon (within 30 days, or already past) and they are not yet 18 on d->today (dob plus
 * 216 months, clamped like dashboard_seventeen_and_half, is after today). Someone who turned 18
 * without a plan is no longer "reaching 17 1/2": their transition_plan clock, still running, is an
 * overdue task on the list instead. Writes the 17 1/2 date into out[11] when true.
 */
bool dashboard_transition_due(const char *dob, const struct dashboard_day *d, char out[11]);

/*
 * dashboard_hours_left - whole hours from now until due_at, rounded down (so negative once
 * overdue: 30 minutes overdue is -1).
 */
int64_t dashboard_hours_left(int64_t due_at, int64_t now);

/*
 * dashboard_days_since - whole days from `at` until now, rounded down (0 for a time in the
 * last 24 hours or in the future).
 */
int64_t dashboard_days_since(int64_t at, int64_t now);

/*
 * dashboard_link - the UI path a line links to, into out[cap]: a referral's own page
 * ("/referrals/7") when subject_type is "referral", else the case ("/cases/3") when case_id > 0,
 * else the person ("/persons/42") when person_id > 0, else "/".
 */
void dashboard_link(char *out, size_t cap, const char *subject_type, int64_t subject_id, int64_t case_id,
		    int64_t person_id);

/*
 * dashboard_excerpt - the first max_chars characters (UTF-8 code points) of text into out[cap],
 * cut at a character boundary (and at cap - 1 bytes at most). Returns true when text was cut.
 */
bool dashboard_excerpt(const char *text, size_t max_chars, char *out, size_t cap);

/* One line of a story's timeline, before it is written out. */
struct dashboard_event {
	int64_t at;     /* UTC seconds */
	int rank;       /* tie-break for equal times: higher first (a decision after its receipt) */
	int64_t id;     /* the record's id: tie-break after rank, higher first */
	void *item;     /* the caller's line (api_dashboard.c: a JSON object it owns) */
};

/*
 * dashboard_timeline_sort - order ev[0..n) newest first: by at descending, then rank
 * descending, then id descending. Stable for equal keys is not needed: the keys are unique per
 * record and kind.
 */
void dashboard_timeline_sort(struct dashboard_event *ev, size_t n);

/* ---- JSON shapes shared by api_meeting.c and api_dashboard.c --------------------------------
 * Defined in api_meeting.c. They are declared here, not in api.h (a shared file), because only
 * these two files use them; each returns a new jansson reference that the caller owns. */
struct meeting;
struct meeting_action;
struct json_t;

/* api_meeting_json - the Meeting of docs/api-casework.md with its actions ("overdue" against today). */
struct json_t *api_meeting_json(const struct meeting *m, const char *today);

/*
 * api_action_json - the Action: id, version, meeting_id, case_id, what, owner, due_date, done,
 * done_at, overdue (not done and due before today), updated_at, updated_by.
 */
struct json_t *api_action_json(const struct meeting_action *a, const char *today);

#endif
