/*
 * clock.c - starting and stopping practice-standard clocks. See clock.h.
 */
#include "clock.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "store.h"

/* The due time of active standard *s started at start_utc (clock_due's rules). 0 or -1. */
static int due_of(struct store *st, const struct clock_standard *s, int64_t start_utc, int64_t *due)
{
	struct valid_date d, to;
	if (strcmp(s->limit_unit, "hours") == 0) {
		*due = calendar_add_hours(start_utc, s->limit_value);
		return 0;
	}
	if (strcmp(s->limit_unit, "working_days") == 0) {
		/* The calendar is large (4 KiB of holidays): keep it off small thread stacks. */
		static _Thread_local struct calendar cal;
		if (store_holidays_load(st, &cal) != 0)
			return -1;
		*due = calendar_add_working_days_due(&cal, start_utc, s->limit_value);
		return *due == CALENDAR_NO_TIME ? -1 : 0;
	}
	calendar_local_date(start_utc, &d);
	bool ok = strcmp(s->limit_unit, "months") == 0 ? calendar_add_months(&d, s->limit_value, &to)
							: calendar_add_days(&d, s->limit_value, &to);
	if (!ok)
		return -1;
	*due = calendar_end_of_day_utc(&to);
	return 0;
}

int clock_due(struct store *st, const char *standard, int64_t start_utc, int64_t *due)
{
	struct clock_standard s;
	int rc = store_standard_get(st, standard, &s);
	if (rc != 0)
		return rc;
	if (!s.active)
		return STORE_NOTFOUND;
	return due_of(st, &s, start_utc, due);
}

/* Fill *c as a running clock of `standard` for subject from start_utc, due at `due`. */
static void running_clock(const char *standard, const struct clock_subject *subject, int64_t start_utc, int64_t due,
			  struct clock *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->standard, sizeof c->standard, "%s", standard);
	snprintf(c->subject_type, sizeof c->subject_type, "%s", subject->type);
	c->subject_id = subject->id;
	c->case_id = subject->case_id;
	c->person_id = subject->person_id;
	snprintf(c->team, sizeof c->team, "%s", subject->team ? subject->team : "");
	c->worker_id = subject->worker_id;
	c->started_at = start_utc;
	c->due_at = due;
	snprintf(c->status, sizeof c->status, "running");
}

int clock_start(struct store *st, const char *standard, const struct clock_subject *subject, int64_t start_utc,
		int64_t due_override)
{
	int64_t due = due_override;
	if (due <= 0) {
		int rc = clock_due(st, standard, start_utc, &due);
		if (rc == STORE_NOTFOUND)
			return 0; /* not configured or switched off: nothing to time */
		if (rc != 0)
			return -1;
	} else {
		struct clock_standard s;
		int rc = store_standard_get(st, standard, &s);
		if (rc == STORE_NOTFOUND || (rc == 0 && !s.active))
			return 0;
		if (rc != 0)
			return -1;
	}
	int running = store_clock_running(st, standard, subject->type, subject->id);
	if (running == 0)
		return 0;
	if (running < 0)
		return -1;
	struct clock c;
	running_clock(standard, subject, start_utc, due, &c);
	return store_clock_insert(st, &c);
}

int clock_new_running(struct store *st, const struct clock_standard *std, const struct clock_subject *subject,
		      int64_t start_utc, struct clock *out)
{
	if (!std->active)
		return 1;
	int64_t due;
	if (due_of(st, std, start_utc, &due) != 0)
		return -1;
	running_clock(std->code, subject, start_utc, due, out);
	return 0;
}

int clock_stop(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
	       int64_t stop_utc, int *stopped, int *breached)
{
	return store_clock_stop(st, standard, subject_type, subject_id, stop_utc, stopped, breached);
}

int clock_cancel_case(struct store *st, int64_t case_id, int64_t at)
{
	return store_clock_cancel_case(st, case_id, at);
}

int clock_reassign_case(struct store *st, int64_t case_id, const char *team, int64_t worker_id)
{
	return store_clock_reassign_case(st, case_id, team, worker_id);
}
