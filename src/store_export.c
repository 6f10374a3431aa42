/*
 * store_export.c - SQL for the missing exports. See store_export.h.
 * Owns: these statements. Must not touch: the CSV text, HTTP, any write.
 */
#include "store_export.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

/* Whether the person aliased P may be seen by the viewer ?3 (1 or 0). */
#define VISIBLE(P)                                                                                    \
	" (" P ".restricted = 0 OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = " P ".id" \
	" AND pa.user_id = ?3))"

/* Episodes starting in [?1, ?2) while looked after, walked through missing_mfh (start time first; it
 * holds looked_after too). */
static const char SQL_SSDA903[] =
	"SELECT coalesce(p.la_id, ''), p.id, coalesce(p.dob, ''), e.category, e.started_at, coalesce(e.ended_at, 0),"
	VISIBLE("p") " FROM missing_episodes e INDEXED BY missing_mfh JOIN persons p ON p.id = e.person_id"
	" WHERE e.started_at >= ?1 AND e.started_at < ?2 AND e.looked_after = 1"
	" ORDER BY CASE WHEN coalesce(p.la_id, '') = '' THEN 'P' || p.id ELSE p.la_id END, e.started_at, e.id";

/*
 * Per person: the looked-after episodes starting in [?1, ?2) counted by category, the highest
 * grading, and the latest episode (found again through missing_person(person_id, started_at))
 * with its RHI.
 */
static const char SQL_ANNEX_A[] =
	"WITH a AS (SELECT e.person_id AS person_id, sum(e.category = 'M') AS m, sum(e.category = 'A') AS ab,"
	" max(CASE e.grade_highest WHEN 'none' THEN 0 WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3"
	" ELSE -1 END) AS g FROM missing_episodes e INDEXED BY missing_mfh"
	" WHERE e.started_at >= ?1 AND e.started_at < ?2 AND e.looked_after = 1 GROUP BY e.person_id)"
	" SELECT coalesce(p.la_id, ''), p.id, p.given_name, p.family_name, coalesce(p.dob, ''), p.sex, a.m, a.ab,"
	" coalesce(a.g, -1), l.started_at, coalesce(l.ended_at, 0), r.offered_at IS NOT NULL, coalesce(r.response, ''),"
	VISIBLE("p") " FROM a JOIN persons p ON p.id = a.person_id"
	" JOIN missing_episodes l ON l.id = (SELECT x.id FROM missing_episodes x INDEXED BY missing_person"
	" WHERE x.person_id = a.person_id AND x.started_at >= ?1 AND x.started_at < ?2 AND x.looked_after = 1"
	" ORDER BY x.started_at DESC, x.id DESC LIMIT 1)"
	" LEFT JOIN return_interviews r ON r.episode_id = l.id"
	" ORDER BY CASE WHEN coalesce(p.la_id, '') = '' THEN 'P' || p.id ELSE p.la_id END, p.id";

int store_export_ssda903(struct store *st, int64_t viewer_id, int64_t lo, int64_t hi,
			 int (*fn)(void *ctx, const struct export_ssda903_row *row), void *ctx, long *withheld)
{
	if (withheld)
		*withheld = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_SSDA903);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	sqlite3_bind_int64(s, 3, viewer_id);
	struct export_ssda903_row row;
	char la_id[208];
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!sqlite3_column_int(s, 6)) {
			if (withheld)
				(*withheld)++;
			continue;
		}
		memset(&row, 0, sizeof row);
		store_col(s, 0, la_id, sizeof la_id);
		export_child_id(la_id, sqlite3_column_int64(s, 1), row.child, sizeof row.child);
		store_col(s, 2, row.dob, sizeof row.dob);
		store_col(s, 3, row.category, sizeof row.category);
		row.started_at = sqlite3_column_int64(s, 4);
		row.ended_at = sqlite3_column_int64(s, 5);
		int stop = fn(ctx, &row);
		if (stop) {
			sqlite3_reset(s);
			return stop;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_export_annex_a(struct store *st, int64_t viewer_id, int64_t lo, int64_t hi,
			 int (*fn)(void *ctx, const struct export_annex_a_row *row), void *ctx, long *withheld)
{
	if (withheld)
		*withheld = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_ANNEX_A);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	sqlite3_bind_int64(s, 3, viewer_id);
	struct export_annex_a_row *row = malloc(sizeof *row);
	if (!row) {
		sqlite3_reset(s);
		return -1;
	}
	char la_id[208];
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!sqlite3_column_int(s, 13)) {
			if (withheld)
				(*withheld)++;
			continue;
		}
		memset(row, 0, sizeof *row);
		store_col(s, 0, la_id, sizeof la_id);
		export_child_id(la_id, sqlite3_column_int64(s, 1), row->child, sizeof row->child);
		store_col(s, 2, row->given_name, sizeof row->given_name);
		store_col(s, 3, row->family_name, sizeof row->family_name);
		store_col(s, 4, row->dob, sizeof row->dob);
		store_col(s, 5, row->sex, sizeof row->sex);
		row->missing_episodes = sqlite3_column_int(s, 6);
		row->absent_episodes = sqlite3_column_int(s, 7);
		row->highest_grade = sqlite3_column_int(s, 8);
		row->last_start = sqlite3_column_int64(s, 9);
		row->last_end = sqlite3_column_int64(s, 10);
		row->rhi_offered = sqlite3_column_int(s, 11) != 0;
		store_col(s, 12, row->rhi_response, sizeof row->rhi_response);
		stop = fn(ctx, row);
	}
	free(row);
	sqlite3_reset(s);
	return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}
