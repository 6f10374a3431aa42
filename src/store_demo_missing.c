/*
 * store_demo_missing.c - SQL for the missing-from-home demo data. See store_demo_missing.h.
 * Owns: these statements (plain inserts with every column bound, and the read of the
 * population). Must not touch: the hub's rules, HTTP, jansson.
 */
#include "store_demo_missing.h"

#include <string.h>

#include "store.h"
#include "store_int.h"

static const char SQL_PERSONS[] =
	"SELECT p.id, coalesce(p.dob, ''), p.created_at, p.restricted FROM persons p WHERE p.merged_into IS NULL"
	" AND NOT EXISTS (SELECT 1 FROM missing_episodes m WHERE m.person_id = p.id) ORDER BY p.id";
static const char SQL_MAX_EPISODE[] = "SELECT coalesce(max(id), 0) FROM missing_episodes";
static const char SQL_EPISODE[] =
	"INSERT INTO missing_episodes(person_id, started_at, reported_at, ended_at, missing_from, category,"
	" police_force, police_ref, looked_after, placement_type, placement_provider, placing_authority,"
	" host_authority, out_of_area, rhi_by, team, locality, found_where, found_with, notes, grade_latest,"
	" grade_highest, grade_rank, rhi_due_at, reopened_count, created_at, created_by, updated_at, updated_by,"
	" version) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" ?18, '[]', ?19, ?20, ?21, ?22, nullif(?23, 0), 0, ?24, ?25, ?26, ?27, ?28)";
static const char SQL_GRADING[] =
	"INSERT INTO missing_gradings(episode_id, grade, graded_at, graded_by, note, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_RHI[] =
	"INSERT INTO return_interviews(episode_id, offered_at, offered_by, offered_org, independent, response,"
	" responded_at, declined_reason, completed_at, push_factors, pull_factors, stayed_where, stayed_with,"
	" exploitation_disclosed, follow_up, created_at, created_by, updated_at, updated_by, version)"
	" VALUES (?1, nullif(?2, 0), ?3, ?4, nullif(?5, -1), ?6, nullif(?7, 0), ?8, nullif(?9, 0), ?10, ?11, ?12,"
	" ?13, nullif(?14, -1), ?15, ?16, ?17, ?18, ?19, ?20)";
static const char SQL_NOTIFICATION[] =
	"INSERT INTO missing_notifications(episode_id, to_authority, reason, rhi_by, created_at, acknowledged_at,"
	" acknowledged_by, recorded_by, version) VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, 0), ?7, ?8,"
	" CASE WHEN ?6 = 0 THEN 1 ELSE 2 END)";
static const char SQL_CLOCK[] =
	"INSERT INTO clocks(standard, subject_type, subject_id, case_id, person_id, team, worker_id, started_at, due_at,"
	" stopped_at, status) VALUES (?1, ?2, ?3, NULL, ?4, ?5, NULL, ?6, ?7, nullif(?8, 0), ?9)";
static const char SQL_FLAG[] =
	"INSERT INTO person_flags(person_id, kind, note, set_at, removed_at, created_by) VALUES (?1, ?2, ?3, ?4, NULL, ?5)";

/* Bind text that outlives the statement's step (every caller's strings do). NULL binds NULL. */
static void text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

int store_dm_persons(struct store *st, int (*fn)(void *ctx, const struct store_dm_person *p), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_PERSONS);
	if (!s)
		return -1;
	struct store_dm_person p;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(s, 0);
		store_col(s, 1, p.dob, sizeof p.dob);
		p.created_at = sqlite3_column_int64(s, 2);
		p.restricted = sqlite3_column_int(s, 3) != 0;
		int stop = fn(ctx, &p);
		if (stop) {
			sqlite3_reset(s);
			return stop;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_dm_max_episode_id(struct store *st, int64_t *out)
{
	return store_number(store_prepare(st, SQL_MAX_EPISODE), out);
}

int store_dm_episode_insert(struct store *st, const struct store_dm_episode *e, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_EPISODE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, e->person_id);
	sqlite3_bind_int64(s, 2, e->started_at);
	sqlite3_bind_int64(s, 3, e->reported_at);
	sqlite3_bind_int64(s, 4, e->ended_at);
	text(s, 5, e->missing_from);
	text(s, 6, e->category);
	text(s, 7, e->police_force);
	text(s, 8, e->police_ref);
	sqlite3_bind_int(s, 9, e->looked_after ? 1 : 0);
	text(s, 10, e->placement_type);
	text(s, 11, e->placement_provider);
	text(s, 12, e->placing_authority);
	text(s, 13, e->host_authority);
	text(s, 14, e->out_of_area);
	text(s, 15, e->rhi_by);
	text(s, 16, e->team);
	text(s, 17, e->locality);
	text(s, 18, e->found_where);
	text(s, 19, e->notes);
	text(s, 20, e->grade_latest);
	text(s, 21, e->grade_highest);
	sqlite3_bind_int(s, 22, e->grade_rank);
	sqlite3_bind_int64(s, 23, e->rhi_due_at);
	sqlite3_bind_int64(s, 24, e->created_at);
	sqlite3_bind_int64(s, 25, e->created_by);
	sqlite3_bind_int64(s, 26, e->updated_at);
	sqlite3_bind_int64(s, 27, e->updated_by);
	sqlite3_bind_int64(s, 28, e->version);
	if (store_done(st, s) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_dm_grading_insert(struct store *st, int64_t episode_id, const char *grade, int64_t graded_at,
			    const char *graded_by, const char *note, int64_t created_at, int64_t created_by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GRADING);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, episode_id);
	text(s, 2, grade);
	sqlite3_bind_int64(s, 3, graded_at);
	text(s, 4, graded_by);
	text(s, 5, note);
	sqlite3_bind_int64(s, 6, created_at);
	sqlite3_bind_int64(s, 7, created_by);
	return store_done(st, s) == 0 ? 0 : -1;
}

int store_dm_rhi_insert(struct store *st, const struct store_dm_rhi *r)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, r->episode_id);
	sqlite3_bind_int64(s, 2, r->offered_at);
	text(s, 3, r->offered_by);
	text(s, 4, r->offered_org);
	sqlite3_bind_int(s, 5, r->independent);
	text(s, 6, r->response);
	sqlite3_bind_int64(s, 7, r->responded_at);
	text(s, 8, r->declined_reason);
	sqlite3_bind_int64(s, 9, r->completed_at);
	text(s, 10, r->push_factors);
	text(s, 11, r->pull_factors);
	text(s, 12, r->stayed_where);
	text(s, 13, r->stayed_with);
	sqlite3_bind_int(s, 14, r->exploitation_disclosed);
	text(s, 15, r->follow_up);
	sqlite3_bind_int64(s, 16, r->created_at);
	sqlite3_bind_int64(s, 17, r->created_by);
	sqlite3_bind_int64(s, 18, r->updated_at);
	sqlite3_bind_int64(s, 19, r->updated_by);
	sqlite3_bind_int64(s, 20, r->version);
	return store_done(st, s) == 0 ? 0 : -1;
}

int store_dm_notification_insert(struct store *st, int64_t episode_id, const char *to_authority, const char *reason,
				 const char *rhi_by, int64_t created_at, int64_t acknowledged_at,
				 const char *acknowledged_by, int64_t recorded_by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTIFICATION);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, episode_id);
	text(s, 2, to_authority);
	text(s, 3, reason);
	text(s, 4, rhi_by);
	sqlite3_bind_int64(s, 5, created_at);
	sqlite3_bind_int64(s, 6, acknowledged_at);
	text(s, 7, acknowledged_by);
	sqlite3_bind_int64(s, 8, recorded_by);
	return store_done(st, s) == 0 ? 0 : -1;
}

int store_dm_clock_insert(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
			  int64_t person_id, const char *team, int64_t started_at, int64_t due_at, int64_t stopped_at,
			  const char *status)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK);
	if (!s)
		return -1;
	text(s, 1, standard);
	text(s, 2, subject_type);
	sqlite3_bind_int64(s, 3, subject_id);
	sqlite3_bind_int64(s, 4, person_id);
	text(s, 5, team);
	sqlite3_bind_int64(s, 6, started_at);
	sqlite3_bind_int64(s, 7, due_at);
	sqlite3_bind_int64(s, 8, stopped_at);
	text(s, 9, status);
	return store_done(st, s) == 0 ? 0 : -1;
}

int store_dm_flag_insert(struct store *st, int64_t person_id, const char *kind, const char *note, int64_t set_at,
			 int64_t created_by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAG);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	text(s, 2, kind);
	text(s, 3, note);
	sqlite3_bind_int64(s, 4, set_at);
	sqlite3_bind_int64(s, 5, created_by);
	return store_done(st, s);
}
