/*
 * export.c - the SSDA903 and Annex A missing exports as CSV text. See export.h.
 */
#include "export.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

void export_buf_init(struct export_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void export_buf_free(struct export_buf *b)
{
	size_t max = b->max;
	free(b->data);
	export_buf_init(b, max);
}

bool export_buf_append(struct export_buf *b, const char *s, size_t n)
{
	size_t max = b->max ? b->max : EXPORT_MAX_BYTES;
	if (b->failed || n > max || b->len > max - n) {
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = true;
			return false;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
	return true;
}

void export_csv_field(struct export_buf *b, const char *s, bool last)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	bool formula = n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
	bool quote = formula || (n && (s[0] == ' ' || s[n - 1] == ' ')) || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		export_buf_append(b, s, n);
	} else {
		export_buf_append(b, "\"", 1);
		if (formula)
			export_buf_append(b, "'", 1);
		for (const char *p = s; *p;) {
			const char *q = strchr(p, '"');
			size_t run = q ? (size_t)(q - p) : strlen(p);
			export_buf_append(b, p, run);
			if (!q)
				break;
			export_buf_append(b, "\"\"", 2);
			p = q + 1;
		}
		export_buf_append(b, "\"", 1);
	}
	export_buf_append(b, last ? "\r\n" : ",", last ? 2 : 1);
}

/* A date as DD/MM/YYYY into out[11] (valid dates have years 1-9999). */
static void uk(const struct valid_date *d, char out[11])
{
	snprintf(out, 11, "%02u/%02u/%04u", (unsigned)d->day % 100u, (unsigned)d->month % 100u, (unsigned)d->year % 10000u);
}

void export_date_uk(const char *ymd, char out[11])
{
	struct valid_date d;
	out[0] = 0;
	if (ymd && valid_parse_date(ymd, &d))
		uk(&d, out);
}

void export_time_uk(int64_t t, char out[11])
{
	struct valid_date d;
	out[0] = 0;
	if (!t)
		return;
	calendar_local_date(t, &d);
	uk(&d, out);
}

void export_range(const struct valid_date *from, const struct valid_date *to, int64_t *lo, int64_t *hi)
{
	struct valid_date next;
	*lo = calendar_local_midnight_utc(from);
	*hi = calendar_add_days(to, 1, &next) ? calendar_local_midnight_utc(&next) : INT64_MAX; /* to 9999-12-31 */
}

void export_year_to(const struct valid_date *date, struct valid_date *from)
{
	struct valid_date d = *date;
	d.year -= 1;
	if (d.month == 2 && d.day == 29) {
		d.month = 3;
		d.day = 1; /* a year before 29 February is 1 March: the 12 months start the day after 28 February */
		*from = d;
		return;
	}
	if (!calendar_add_days(&d, 1, from))
		*from = *date; /* year 1 has no year before it: the window is the day itself */
}

void export_child_id(const char *la_id, int64_t person_id, char *out, size_t cap)
{
	if (la_id && la_id[0])
		snprintf(out, cap, "%s", la_id);
	else
		snprintf(out, cap, "P%" PRId64, person_id);
}

void export_ssda903_header(struct export_buf *b)
{
	static const char h[] = "CHILD,DOB,MISSING,MIS_START,MIS_END\r\n";
	export_buf_append(b, h, sizeof h - 1);
}

void export_ssda903_row(struct export_buf *b, const struct export_ssda903_row *r)
{
	char dob[11], start[11], end[11];
	export_date_uk(r->dob, dob);
	export_time_uk(r->started_at, start);
	export_time_uk(r->ended_at, end);
	export_csv_field(b, r->child, false);
	export_csv_field(b, dob, false);
	export_csv_field(b, r->category, false);
	export_csv_field(b, start, false);
	export_csv_field(b, end, true);
}

void export_annex_a_header(struct export_buf *b)
{
	static const char h[] = "child_id,given_name,family_name,dob,sex,missing_episodes,absent_episodes,highest_grade,"
				"last_episode_start,last_episode_end,rhi_offered_after_last,rhi_accepted_after_last\r\n";
	export_buf_append(b, h, sizeof h - 1);
}

void export_annex_a_row(struct export_buf *b, const struct export_annex_a_row *r)
{
	static const char *const grades[] = {"none", "low", "medium", "high"};
	char dob[11], start[11], end[11], missing[16], absent[16];
	export_date_uk(r->dob, dob);
	export_time_uk(r->last_start, start);
	export_time_uk(r->last_end, end);
	snprintf(missing, sizeof missing, "%d", r->missing_episodes);
	snprintf(absent, sizeof absent, "%d", r->absent_episodes);
	const char *accepted = strcmp(r->rhi_response, "accepted") == 0   ? "Yes"
			       : strcmp(r->rhi_response, "declined") == 0 ? "No"
									  : "";
	export_csv_field(b, r->child, false);
	export_csv_field(b, r->given_name, false);
	export_csv_field(b, r->family_name, false);
	export_csv_field(b, dob, false);
	export_csv_field(b, r->sex, false);
	export_csv_field(b, missing, false);
	export_csv_field(b, absent, false);
	export_csv_field(b, r->highest_grade >= 0 && r->highest_grade <= 3 ? grades[r->highest_grade] : "", false);
	export_csv_field(b, start, false);
	export_csv_field(b, end, false);
	export_csv_field(b, r->rhi_offered ? "Yes" : "No", false);
	export_csv_field(b, accepted, true);
}
