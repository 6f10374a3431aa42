/*
 * export.h - the statutory exports of missing episodes as CSV (docs/api-missing.md, "Exports"):
 * the SSDA903 Missing table (CHILD, DOB, MISSING, MIS_START, MIS_END) and an Annex A list 8
 * style summary per looked-after child. Pure: a capped text buffer, CSV escaping (RFC 4180,
 * CRLF line ends, with spreadsheet formulas neutralised), UK date formatting in Europe/London
 * local time, the date windows the exports cover, and the rows themselves.
 * Owns: the shape and text of the files. Must not touch: SQL (store_export.c), HTTP
 * (api_export.c), the store. Nothing here reads the clock.
 */
#ifndef SAFEHUB_EXPORT_H
#define SAFEHUB_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "valid.h"

#define EXPORT_MAX_BYTES (128u * 1024u * 1024u) /* the largest file an export answers with */

/* A growable text buffer with a cap. Zero-initialise it, or use export_buf_init. */
struct export_buf {
	char *data;            /* malloc'd, NUL-terminated when not NULL; the caller frees it (export_buf_free) */
	size_t len;            /* bytes used, not counting the NUL */
	size_t cap;            /* bytes allocated */
	size_t max;            /* the most bytes it may hold (0: EXPORT_MAX_BYTES) */
	bool failed;           /* an append would have passed max, or an allocation failed: the text is cut */
};

/* export_buf_init - an empty buffer of at most `max` bytes (0: EXPORT_MAX_BYTES). */
void export_buf_init(struct export_buf *b, size_t max);

/* export_buf_free - free the text and reset *b to empty. */
void export_buf_free(struct export_buf *b);

/*
 * export_buf_append - append n bytes of s (growing by doubling). When that would pass the cap
 * or memory runs out, nothing is appended, b->failed is set and false returned; once failed,
 * every later append fails too.
 */
bool export_buf_append(struct export_buf *b, const char *s, size_t n);

/*
 * export_csv_field - append s as one CSV field followed by a comma, or by CRLF when `last`.
 * A field is quoted (with "" for each ") when it contains a comma, a quote, CR or LF, or
 * begins or ends with a space. A field that a spreadsheet would take for a formula (its first
 * character is =, +, -, @, a tab or CR) is written with a leading apostrophe, inside quotes,
 * so that opening the file never runs it (OWASP's advice on CSV injection).
 */
void export_csv_field(struct export_buf *b, const char *s, bool last);

/* export_date_uk - "YYYY-MM-DD" as "DD/MM/YYYY" into out[11]; "" when ymd is not a date. */
void export_date_uk(const char *ymd, char out[11]);

/* export_time_uk - the Europe/London local date of UTC instant t as "DD/MM/YYYY" into out[11]; "" when t is 0. */
void export_time_uk(int64_t t, char out[11]);

/*
 * export_range - the UTC instants [*lo, *hi) of the local days from `from` to `to` inclusive:
 * local midnight at the start of `from` and at the start of the day after `to` (INT64_MAX when
 * `to` is 9999-12-31).
 */
void export_range(const struct valid_date *from, const struct valid_date *to, int64_t *lo, int64_t *hi);

/*
 * export_year_to - the 12 months to `date`: *from = the day after the same date a year before
 * (29 February counts from 1 March), so 2026-03-31 covers 2025-04-01 to 2026-03-31. In year 1
 * (no year before it) *from is the date itself.
 */
void export_year_to(const struct valid_date *date, struct valid_date *from);

/*
 * export_child_id - the child's identifier in the exports: the LA id, or "P" and the person's id
 * when the person has none (la_id "" or NULL), into out (cap bytes).
 */
void export_child_id(const char *la_id, int64_t person_id, char *out, size_t cap);

/* One row of the SSDA903 Missing table. */
struct export_ssda903_row {
	char child[208];       /* export_child_id */
	char dob[11];          /* YYYY-MM-DD, "" when unknown */
	char category[2];      /* "M" missing or "A" away from placement without authorisation */
	int64_t started_at;    /* UTC: MIS_START is its local date */
	int64_t ended_at;      /* UTC, 0 while missing: MIS_END is its local date, or empty */
};

/* export_ssda903_header - append "CHILD,DOB,MISSING,MIS_START,MIS_END" and CRLF. */
void export_ssda903_header(struct export_buf *b);

/* export_ssda903_row - append one row: CHILD, DOB and the two dates as DD/MM/YYYY, MISSING the category. */
void export_ssda903_row(struct export_buf *b, const struct export_ssda903_row *r);

/* One row of the Annex A missing summary: a looked-after child with episodes in the 12 months. */
struct export_annex_a_row {
	char child[208];        /* export_child_id */
	char given_name[401], family_name[401];
	char dob[11];           /* YYYY-MM-DD, "" when unknown */
	char sex[8];            /* female, male, unknown (as recorded) */
	int missing_episodes;   /* category M episodes starting in the 12 months while looked after */
	int absent_episodes;    /* category A episodes, likewise */
	int highest_grade;      /* the highest police grading of any of them: 0 none .. 3 high, -1 none recorded */
	int64_t last_start;     /* the latest of them: its start (UTC) */
	int64_t last_end;       /* and its end (UTC, 0 while missing) */
	bool rhi_offered;       /* an RHI was offered after that episode */
	char rhi_response[9];   /* "accepted", "declined" or "" (no answer recorded) */
};

/*
 * export_annex_a_header - append the header: child_id, given_name, family_name, dob, sex,
 * missing_episodes, absent_episodes, highest_grade, last_episode_start, last_episode_end,
 * rhi_offered_after_last, rhi_accepted_after_last, and CRLF.
 */
void export_annex_a_header(struct export_buf *b);

/*
 * export_annex_a_row - append one row: dates as DD/MM/YYYY (the last episode's start and end as
 * local dates, the end empty while missing), highest_grade as none/low/medium/high ("" when
 * none recorded), rhi_offered_after_last Yes or No, rhi_accepted_after_last Yes (accepted), No
 * (declined) or empty (no answer recorded).
 */
void export_annex_a_row(struct export_buf *b, const struct export_annex_a_row *r);

#endif
