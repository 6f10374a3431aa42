/*
 * mfh.h - the rules of the MFH dashboard (docs/api-missing.md, "The MFH dashboard"): its periods
 * (local Europe/London calendar months: this month, the 12 months to it, and each of them), the
 * filters (team, locality, looked after, age band at the episode's start, sex), the RHI status of
 * an episode and whether it is awaiting its interview, and the statistics of a period (episodes,
 * children, repeat-missing children, median duration, returns, RHIs offered and completed within
 * 72 hours, accepted and declined, each with its percentage of the returns).
 *
 * The statistics are tallied here from the episodes the store walks (store_mfh.h), one call per
 * episode, so that the dashboard's numbers and the lists behind them apply the very same rules:
 * mfh_measure_counts decides whether an episode is in a measure, and the tally counts what it
 * decides.
 *
 * Everything here is pure over its arguments (no store, no HTTP, no jansson); the tally and the
 * id set allocate, and say so.
 * Owns: those rules. Must not touch: SQL (store_mfh.c), JSON (api_mfh.c), missing.c's rules of
 * recording an episode (this module only reads what they stored).
 */
#ifndef SAFEHUB_MFH_H
#define SAFEHUB_MFH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MFH_MONTHS 12                 /* months in "the last 12 months" and in by_month */
#define MFH_RHI_SECONDS (72 * 3600)   /* the RHI is due this long after the return */
#define MFH_ITEMS_MAX 100             /* items a dashboard section carries (its count is the full count) */
#define MFH_PAGE_MAX 1000             /* items a page of a list behind a number carries */
#define MFH_TEXT_CHARS 200            /* team and locality filters, in bytes of UTF-8 at most x4 */
#define MFH_SEX_CHARS 20              /* the sex filter */

/* The filters of the dashboard and of its lists: each one set narrows, combined with AND. */
struct mfh_filter {
	char team[MFH_TEXT_CHARS * 4 + 1];     /* "" = every team */
	char locality[MFH_TEXT_CHARS * 4 + 1]; /* "" = every locality */
	int looked_after;                      /* -1 = either, 0 = not looked after, 1 = looked after */
	char age_band[8];                      /* "" or one of mfh_age_band's names */
	int age_min, age_max;                  /* the band's ages in whole years, both included (-1: none) */
	char sex[MFH_SEX_CHARS * 4 + 1];       /* "" = any, else the person's sex exactly (female, male, ...) */
};

/* One local calendar month. */
struct mfh_month {
	int year, month;    /* 1-12 */
	int64_t from, to;   /* UTC seconds of local midnight on its first day and on the next month's first day */
	char key[12];       /* "YYYY-MM" */
};

/* The periods of one dashboard answer: months[MFH_MONTHS - 1] is "this month". */
struct mfh_periods {
	struct mfh_month months[MFH_MONTHS];  /* oldest first */
	int64_t from, to;                     /* the last 12 months: months[0].from to months[11].to */
};

/* The facts of one episode the dashboard reads (store_mfh.h fills it). Texts are never NULL. */
struct mfh_episode {
	int64_t id, person_id;
	int64_t started_at, reported_at;  /* UTC seconds */
	int64_t ended_at;                 /* 0 while missing */
	int64_t rhi_due_at;               /* as stored (ended_at + 72 h); 0 while missing */
	const char *missing_from, *category, *out_of_area, *rhi_by, *team, *locality;
	const char *grade;                /* the latest grading, "" when never graded */
	bool looked_after;
	/* The person: the texts are "" when the walk did not read the person (see store_mfh.h). */
	const char *given_name, *family_name, *dob, *sex;
	/* The return home interview: has_rhi false when none is recorded (then the rest is 0 / ""). */
	bool has_rhi;
	int64_t offered_at, responded_at, completed_at;  /* 0 when not recorded */
	const char *response;                            /* "", accepted, declined */
};

/* The RHI status of an episode (docs/api-missing.md, rhi_status). */
enum mfh_rhi_status {
	MFH_STATUS_NONE = 0,  /* null: still missing, or the other authority's RHI and nothing recorded */
	MFH_STATUS_DUE,
	MFH_STATUS_OFFERED,
	MFH_STATUS_COMPLETED,
	MFH_STATUS_DECLINED,
	MFH_STATUS_BREACHED
};

/* What a number on the dashboard counts, and so which list is behind it. */
enum mfh_measure {
	MFH_EPISODES = 0,        /* episodes starting in the period */
	MFH_CHILDREN,            /* children with an episode starting in the period */
	MFH_REPEAT_CHILDREN,     /* of those, the ones flagged repeat missing by the period's end */
	MFH_RETURNS,             /* returned episodes whose RHI is ours: the percentages' denominator */
	MFH_RHI_OFFERED_72H,     /* of the returns: an RHI offered by the due time */
	MFH_RHI_COMPLETED_72H,   /* of the returns: an RHI completed by the due time */
	MFH_RHI_ACCEPTED,        /* of the returns: the offer accepted */
	MFH_RHI_DECLINED,        /* of the returns: the offer declined */
	MFH_MISSING_NOW,         /* episodes still open (no period) */
	MFH_AWAITING_RHI,        /* returned, RHI due, offered or breached (no period) */
	MFH_PLACED_HERE_MISSING, /* open episodes of other authorities' children placed here */
	MFH_PLACED_ELSEWHERE_MISSING, /* open episodes of our children placed elsewhere */
	MFH_NOTIFICATIONS,       /* notifications not yet acknowledged (no period) */
	MFH_MEASURES
};

/* The statistics of one period. */
struct mfh_stats {
	int64_t episodes, children, repeat_children, returns;
	int64_t rhi_offered_72h, rhi_completed_72h, rhi_accepted, rhi_declined;
	bool has_median;              /* false when no episode of the period has returned */
	double median_duration_hours; /* median of ended_at - started_at over the returned episodes, 0.1 h */
};

/* ---- periods ---- */

/* mfh_month_at - the local (Europe/London) calendar month of UTC instant t into *year, *month. */
void mfh_month_at(int64_t t, int *year, int *month);

/*
 * mfh_parse_month - "YYYY-MM" (exactly seven characters, year 1996-9998, month 01-12) into
 * *year, *month. False otherwise (nothing written).
 */
bool mfh_parse_month(const char *s, int *year, int *month);

/*
 * mfh_month_make - the month `year`-`month` (month may run outside 1-12: 0 is December of the
 * year before, 13 January of the next) into *m, with its local bounds: from = local midnight
 * starting its first day (calendar_local_midnight_utc), to = that of the next month's first day.
 */
void mfh_month_make(int year, int month, struct mfh_month *m);

/*
 * mfh_periods_for - the dashboard's periods when "this month" is year-month: the 12 months
 * ending with it, oldest first, and their span.
 */
void mfh_periods_for(int year, int month, struct mfh_periods *p);

/* ---- filters ---- */

/*
 * mfh_age_band - the ages of a band name into *min, *max (both included): "0-9", "10-13",
 * "14-15", "16-17", "18-25". False for any other text.
 */
bool mfh_age_band(const char *name, int *min, int *max);

/*
 * mfh_age_at - whole years of age on the local date of UTC instant `at` of a person born on
 * `dob` (YYYY-MM-DD): the birthday counts from its first local day (29 February birthdays fall
 * on 1 March in other years). -1 when dob is not a date or is after that day.
 */
int mfh_age_at(const char *dob, int64_t at);

/*
 * mfh_filter_person - whether episode *e passes the filters that need its person: the sex (when
 * set: e->sex equal to it) and the age band (when set: mfh_age_at(e->dob, e->started_at) within
 * it; an unknown date of birth is in no band). The other filters (team, locality, looked after)
 * are applied by the store in SQL.
 */
bool mfh_filter_person(const struct mfh_filter *f, const struct mfh_episode *e);

/* mfh_filter_needs_person - whether f has a filter that mfh_filter_person must check. */
bool mfh_filter_needs_person(const struct mfh_filter *f);

/* ---- episodes ---- */

/* mfh_rhi_due - the RHI's due time: the stored rhi_due_at, or ended_at + 72 h when none is stored; 0 while missing. */
int64_t mfh_rhi_due(const struct mfh_episode *e);

/*
 * mfh_rhi_status - the episode's rhi_status at `now`, as missing.c defines it: none while missing
 * or when rhi_by is "other" and no RHI is recorded; completed (completed_at set); declined;
 * breached (no completion and now after the due time); offered (offered_at set); else due.
 */
enum mfh_rhi_status mfh_rhi_status(const struct mfh_episode *e, int64_t now);

/* mfh_rhi_status_name - "due", "offered", "completed", "declined", "breached", or NULL for none. */
const char *mfh_rhi_status_name(enum mfh_rhi_status s);

/* mfh_awaiting_rhi - returned and the RHI due, offered (not completed) or breached at `now`. */
bool mfh_awaiting_rhi(const struct mfh_episode *e, int64_t now);

/*
 * mfh_hours - seconds as hours rounded to one decimal (half away from zero): 5400 -> 1.5,
 * -12600 -> -3.5.
 */
double mfh_hours(int64_t seconds);

/*
 * mfh_pct - count as a percentage of `of`, rounded to one decimal, into *pct; false (the
 * percentage is null) when `of` is 0.
 */
bool mfh_pct(int64_t count, int64_t of, double *pct);

/*
 * mfh_median_seconds - the median of v[0..n) (n > 0): the middle value, or the mean of the two
 * middle values when n is even (rounded down to a whole second). Reorders v. O(n) on average.
 */
int64_t mfh_median_seconds(int64_t *v, size_t n);

/* ---- measures ---- */

/* mfh_measure_parse - the measure named `s` (the names of the docs: "episodes", "rhi_offered_72h", ...). */
bool mfh_measure_parse(const char *s, enum mfh_measure *m);

/* mfh_measure_name - the name of measure m. */
const char *mfh_measure_name(enum mfh_measure m);

/* mfh_measure_has_period - whether measure m is of a period (the statistics) rather than of now. */
bool mfh_measure_has_period(enum mfh_measure m);

/*
 * mfh_measure_counts - whether episode *e (already within the filters and visible) is counted by
 * measure m at `now`. For the period measures the caller has checked that the episode starts in
 * the period; MFH_CHILDREN and MFH_REPEAT_CHILDREN are true for every such episode (the child
 * is then counted once; for repeat children only when flagged: the caller's mfh_tally or list
 * knows the flags). MFH_NOTIFICATIONS is never decided here (notifications are not episodes).
 * - returns: ended and rhi_by "us";
 * - rhi_offered_72h / rhi_completed_72h: a return whose RHI was offered / completed at or before
 *   the due time (a completion at 21:31 on the Monday after a return at 21:30 on a Friday is
 *   not within 72 hours; one at 21:29 is);
 * - rhi_accepted / rhi_declined: a return whose RHI response is that;
 * - missing_now: not ended; placed_here_missing / placed_elsewhere_missing: not ended and of
 *   that out_of_area;
 * - awaiting_rhi: mfh_awaiting_rhi.
 */
bool mfh_measure_counts(enum mfh_measure m, const struct mfh_episode *e, int64_t now);

/* ---- the tally of the statistics ---- */

struct mfh_tally;

/*
 * mfh_tally_new - an empty tally of the 12 months of *p and their span (copied). Allocates:
 * free with mfh_tally_free. NULL when out of memory.
 */
struct mfh_tally *mfh_tally_new(const struct mfh_periods *p);

/*
 * mfh_tally_add - count episode *e (within the filters and visible) in the month it starts in,
 * when that is one of the tally's months; episodes starting outside them are ignored. Returns 0,
 * or -1 when out of memory (the tally is then unusable).
 */
int mfh_tally_add(struct mfh_tally *t, const struct mfh_episode *e);

/*
 * mfh_tally_flag - person `person_id` has been flagged repeat missing since `set_at` (an active
 * flag): a child of a period is a repeat-missing child when flagged before the period's end.
 * Flags of persons the tally has not seen are ignored. Call after every mfh_tally_add.
 */
void mfh_tally_flag(struct mfh_tally *t, int64_t person_id, int64_t set_at);

/*
 * mfh_tally_result - the statistics of each month (months[0..MFH_MONTHS), oldest first) and of
 * the 12 months together (*span). Reorders the tally's durations: call once. Returns 0 or -1
 * when out of memory.
 */
int mfh_tally_result(struct mfh_tally *t, struct mfh_stats months[MFH_MONTHS], struct mfh_stats *span);

/* mfh_tally_free - free t (NULL is fine). */
void mfh_tally_free(struct mfh_tally *t);

#endif
