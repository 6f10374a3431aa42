/*
 * dashboard.c - the pure rules of the daily tasking list and the person's story. See dashboard.h.
 * Must not touch: SQL, HTTP, jansson.
 */
#include "dashboard.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "valid.h"

#define SEVENTEEN_AND_HALF_MONTHS 210
#define EIGHTEEN_YEARS_MONTHS 216

void dashboard_day_at(int64_t now, struct dashboard_day *d)
{
	struct valid_date today, horizon, latest;
	memset(d, 0, sizeof *d);
	d->now = now;
	calendar_local_date(now, &today);
	valid_format_date(&today, d->today);
	d->end_of_today = calendar_end_of_day_utc(&today);
	d->not_seen_before = now - (int64_t)DASHBOARD_NOT_SEEN_DAYS * 86400;
	if (!calendar_add_days(&today, DASHBOARD_TRANSITION_HORIZON, &horizon))
		horizon = today;
	valid_format_date(&horizon, d->horizon);
	if (!calendar_add_months(&horizon, -SEVENTEEN_AND_HALF_MONTHS, &latest) || !calendar_add_days(&latest, 3, &latest))
		latest = horizon;
	valid_format_date(&latest, d->dob_latest);
	struct valid_date earliest;
	if (!calendar_add_months(&today, -EIGHTEEN_YEARS_MONTHS, &earliest) || !calendar_add_days(&earliest, -3, &earliest))
		earliest = today;
	valid_format_date(&earliest, d->dob_earliest);
}

bool dashboard_seventeen_and_half(const char *dob, char out[11])
{
	struct valid_date d, to;
	if (!dob || !valid_parse_date(dob, &d) || !calendar_add_months(&d, SEVENTEEN_AND_HALF_MONTHS, &to))
		return false;
	valid_format_date(&to, out);
	return true;
}

bool dashboard_transition_due(const char *dob, const struct dashboard_day *d, char out[11])
{
	char half[11], adult[11];
	struct valid_date born, eighteen;
	if (!dashboard_seventeen_and_half(dob, half) || strcmp(half, d->horizon) > 0)
		return false;
	if (!valid_parse_date(dob, &born) || !calendar_add_months(&born, EIGHTEEN_YEARS_MONTHS, &eighteen))
		return false;
	valid_format_date(&eighteen, adult);
	if (strcmp(adult, d->today) <= 0)
		return false;
	memcpy(out, half, sizeof half);
	return true;
}

/* a / b rounded towards minus infinity (b > 0). */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t dashboard_hours_left(int64_t due_at, int64_t now)
{
	return floor_div(due_at - now, 3600);
}

int64_t dashboard_days_since(int64_t at, int64_t now)
{
	return at >= now ? 0 : (now - at) / 86400;
}

void dashboard_link(char *out, size_t cap, const char *subject_type, int64_t subject_id, int64_t case_id,
		    int64_t person_id)
{
	if (subject_type && strcmp(subject_type, "referral") == 0 && subject_id > 0)
		snprintf(out, cap, "/referrals/%" PRId64, subject_id);
	else if (subject_type && strcmp(subject_type, "missing_episode") == 0 && subject_id > 0)
		snprintf(out, cap, "/missing/%" PRId64, subject_id); /* an RHI due: the episode's page */
	else if (subject_type && strcmp(subject_type, "person") == 0 && subject_id > 0)
		snprintf(out, cap, "/persons/%" PRId64, subject_id); /* a repeat-missing intervention task */
	else if (case_id > 0)
		snprintf(out, cap, "/cases/%" PRId64, case_id);
	else if (person_id > 0)
		snprintf(out, cap, "/persons/%" PRId64, person_id);
	else
		snprintf(out, cap, "/");
}

bool dashboard_excerpt(const char *text, size_t max_chars, char *out, size_t cap)
{
	size_t i = 0, chars = 0;
	if (!cap)
		return text && *text;
	while (text[i] && chars < max_chars) {
		size_t len = 1;
		unsigned char c = (unsigned char)text[i];
		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		for (size_t k = 1; k < len; k++)
			if (!text[i + k]) {
				len = k; /* a truncated sequence: keep what is there */
				break;
			}
		if (i + len > cap - 1)
			break;
		i += len;
		chars++;
	}
	memcpy(out, text, i);
	out[i] = 0;
	return text[i] != 0;
}

static int event_cmp(const void *pa, const void *pb)
{
	const struct dashboard_event *a = pa, *b = pb;
	if (a->at != b->at)
		return a->at > b->at ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->id != b->id)
		return a->id > b->id ? -1 : 1;
	return 0;
}

void dashboard_timeline_sort(struct dashboard_event *ev, size_t n)
{
	if (n > 1)
		qsort(ev, n, sizeof *ev, event_cmp);
}
