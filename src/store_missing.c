/*
 * store_missing.c - SQL for missing episodes, gradings, return home interviews, notifications,
 * person flags and the episode's rhi clock. See store_missing.h. The found_with column holds a
 * JSON array of person ids; jansson is used here only to write and read that column.
 * Owns: these statements. Must not touch: HTTP, the hub's rules, other slices' tables except to
 * read a person and to keep the rhi clock of an episode (clocks).
 */
#include "store_missing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "missing.h"
#include "store.h"
#include "store_int.h"

/* The episode columns, in the order read_episode expects. */
#define EPISODE_SELECT                                                                                              \
	"SELECT e.id, e.version, e.person_id, e.started_at, e.reported_at, coalesce(e.ended_at, 0), e.missing_from,"  \
	" e.category, e.police_force, coalesce(e.police_ref, ''), e.looked_after, e.placement_type,"                  \
	" e.placement_provider, e.placing_authority, e.host_authority, e.out_of_area, e.rhi_by, e.team, e.locality,"  \
	" e.found_where, e.found_with, e.notes, coalesce(e.grade_latest, ''), coalesce(e.grade_highest, ''),"        \
	" coalesce(e.rhi_due_at, 0), e.reopened_count, coalesce(e.import_id, 0), e.created_at,"                      \
	" coalesce(cu.username, ''), e.updated_at, coalesce(uu.username, '') FROM missing_episodes e"                \
	" LEFT JOIN users cu ON cu.id = e.created_by LEFT JOIN users uu ON uu.id = e.updated_by "

static const char SQL_GET[] = EPISODE_SELECT "WHERE e.id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO missing_episodes(person_id, started_at, reported_at, ended_at, missing_from, category,"
	" police_force, police_ref, looked_after, placement_type, placement_provider, placing_authority,"
	" host_authority, out_of_area, rhi_by, team, locality, found_where, found_with, notes, grade_latest,"
	" grade_highest, grade_rank, rhi_due_at, reopened_count, import_id, created_at, created_by, updated_at,"
	" updated_by, version) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7, nullif(?8, ''), ?9, ?10, ?11, ?12,"
	" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, nullif(?21, ''), nullif(?22, ''), ?23, nullif(?24, 0), ?25,"
	" nullif(?26, 0), ?27, ?28, ?27, ?28, 1)";
static const char SQL_UPDATE[] =
	"UPDATE missing_episodes SET started_at = ?2, reported_at = ?3, ended_at = nullif(?4, 0), missing_from = ?5,"
	" category = ?6, police_force = ?7, police_ref = nullif(?8, ''), looked_after = ?9, placement_type = ?10,"
	" placement_provider = ?11, placing_authority = ?12, host_authority = ?13, out_of_area = ?14, rhi_by = ?15,"
	" team = ?16, locality = ?17, found_where = ?18, found_with = ?19, notes = ?20, grade_latest = nullif(?21, ''),"
	" grade_highest = nullif(?22, ''), grade_rank = ?23, rhi_due_at = nullif(?24, 0), reopened_count = ?25,"
	" updated_at = ?27, updated_by = ?28, version = version + 1 WHERE id = ?1 AND version = ?26";
static const char SQL_GRADES_SET[] =
	"UPDATE missing_episodes SET grade_latest = nullif(?2, ''), grade_highest = nullif(?3, ''), grade_rank = ?4,"
	" updated_at = ?5, updated_by = ?6 WHERE id = ?1";
static const char SQL_FIND_REF[] =
	"SELECT id FROM missing_episodes WHERE police_force = ?1 AND police_ref = ?2";
static const char SQL_STARTS[] =
	"SELECT started_at FROM missing_episodes WHERE person_id = ?1 AND started_at BETWEEN ?2 AND ?3"
	" ORDER BY started_at";
/* Covered by missing_person (person_id, started_at and the rowid): no read of the table. */
static const char SQL_PERSON_STARTS[] = "SELECT id, started_at FROM missing_episodes WHERE person_id = ?1";
static const char SQL_STARTS_ALL[] =
	"SELECT person_id, id, started_at FROM missing_episodes INDEXED BY missing_person ORDER BY person_id";
static const char SQL_MAX_ID[] = "SELECT coalesce(max(id), 0) FROM missing_episodes";
static const char SQL_TEAM[] = "SELECT team FROM missing_episodes WHERE id = ?1";
static const char SQL_COUNT[] =
	"SELECT count(*) FROM missing_episodes WHERE person_id = ?1 AND started_at BETWEEN ?2 AND ?3";
static const char SQL_OPEN_OF[] =
	"SELECT id FROM missing_episodes WHERE person_id = ?1 AND ended_at IS NULL ORDER BY started_at DESC, id DESC"
	" LIMIT 1";
static const char SQL_PERSON[] =
	"SELECT id, given_name, family_name, coalesce(dob, ''), sex, restricted FROM persons WHERE id = ?1";

/*
 * The list: every filter is here (an unused one is '' or 0). The person variant walks
 * missing_person; the others walk missing_mfh (started_at first) newest first.
 */
#define LIST_FILTER                                                                                                 \
	" AND (?2 = '' OR (?2 = 'missing' AND e.ended_at IS NULL) OR (?2 = 'returned' AND e.ended_at IS NOT NULL))"    \
	" AND (?3 = 0 OR e.started_at >= ?3) AND (?4 = 0 OR e.started_at < ?4)"                                      \
	" AND (p.restricted = 0 OR EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = p.id AND a.user_id = ?5))"
#define LIST_FROM " FROM missing_episodes e JOIN persons p ON p.id = e.person_id "
static const char SQL_IDS_PERSON[] = "SELECT e.id" LIST_FROM "WHERE e.person_id = ?1" LIST_FILTER
				     " ORDER BY e.started_at DESC, e.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_COUNT_PERSON[] = "SELECT count(*)" LIST_FROM "WHERE e.person_id = ?1" LIST_FILTER;
static const char SQL_IDS_ALL[] = "SELECT e.id" LIST_FROM "WHERE ?1 = 0" LIST_FILTER
				  " ORDER BY e.started_at DESC, e.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_COUNT_ALL[] = "SELECT count(*)" LIST_FROM "WHERE ?1 = 0" LIST_FILTER;

static const char SQL_GRADING_INSERT[] =
	"INSERT INTO missing_gradings(episode_id, grade, graded_at, graded_by, note, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_GRADING_EXISTS[] =
	"SELECT 1 FROM missing_gradings WHERE episode_id = ?1 AND graded_at = ?2 AND grade = ?3 LIMIT 1";
static const char SQL_GRADINGS[] =
	"SELECT id, grade, graded_at, graded_by, note FROM missing_gradings WHERE episode_id = ?1"
	" ORDER BY graded_at, id LIMIT ?2";

#define RHI_SELECT                                                                                                  \
	"SELECT r.version, coalesce(r.offered_at, 0), r.offered_by, r.offered_org, coalesce(r.independent, -1),"      \
	" coalesce(r.response, ''), coalesce(r.responded_at, 0), r.declined_reason, coalesce(r.completed_at, 0),"     \
	" r.push_factors, r.pull_factors, r.stayed_where, r.stayed_with, coalesce(r.exploitation_disclosed, -1),"     \
	" r.follow_up, r.updated_at, coalesce(u.username, '') FROM return_interviews r"                               \
	" LEFT JOIN users u ON u.id = r.updated_by "
static const char SQL_RHI_GET[] = RHI_SELECT "WHERE r.episode_id = ?1";
static const char SQL_RHI_INSERT[] =
	"INSERT INTO return_interviews(episode_id, offered_at, offered_by, offered_org, independent, response,"
	" responded_at, declined_reason, completed_at, push_factors, pull_factors, stayed_where, stayed_with,"
	" exploitation_disclosed, follow_up, created_at, created_by, updated_at, updated_by, version)"
	" VALUES (?1, nullif(?2, 0), ?3, ?4, nullif(?5, -1), nullif(?6, ''), nullif(?7, 0), ?8, nullif(?9, 0), ?10,"
	" ?11, ?12, ?13, nullif(?14, -1), ?15, ?16, ?17, ?16, ?17, 1)";
static const char SQL_RHI_UPDATE[] =
	"UPDATE return_interviews SET offered_at = nullif(?2, 0), offered_by = ?3, offered_org = ?4,"
	" independent = nullif(?5, -1), response = nullif(?6, ''), responded_at = nullif(?7, 0), declined_reason = ?8,"
	" completed_at = nullif(?9, 0), push_factors = ?10, pull_factors = ?11, stayed_where = ?12, stayed_with = ?13,"
	" exploitation_disclosed = nullif(?14, -1), follow_up = ?15, updated_at = ?16, updated_by = ?17,"
	" version = version + 1 WHERE episode_id = ?1 AND version = ?18";

#define NOTE_SELECT                                                                                                 \
	"SELECT n.id, n.version, n.episode_id, n.to_authority, n.reason, n.rhi_by, n.created_at,"                     \
	" coalesce(n.acknowledged_at, 0), n.acknowledged_by, e.person_id FROM missing_notifications n"                \
	" JOIN missing_episodes e ON e.id = n.episode_id "
static const char SQL_NOTE_INSERT[] =
	"INSERT INTO missing_notifications(episode_id, to_authority, reason, rhi_by, created_at, version)"
	" VALUES (?1, ?2, ?3, ?4, ?5, 1)";
static const char SQL_NOTE_HAS[] = "SELECT 1 FROM missing_notifications WHERE episode_id = ?1 AND reason = ?2";
static const char SQL_NOTES_EPISODE[] = NOTE_SELECT "WHERE n.episode_id = ?1 ORDER BY n.created_at, n.id LIMIT ?2";
static const char SQL_NOTES_OPEN[] =
	NOTE_SELECT "WHERE n.acknowledged_at IS NULL ORDER BY n.created_at, n.id LIMIT ?2";
static const char SQL_NOTES_ALL[] = NOTE_SELECT "WHERE ?1 = 0 ORDER BY n.created_at, n.id LIMIT ?2";
static const char SQL_NOTE_GET[] = NOTE_SELECT "WHERE n.id = ?1";
static const char SQL_NOTE_ACK[] =
	"UPDATE missing_notifications SET acknowledged_at = ?3, acknowledged_by = ?4, recorded_by = ?5,"
	" version = version + 1 WHERE id = ?1 AND version = ?2 AND acknowledged_at IS NULL";

static const char SQL_FLAG_ACTIVE[] =
	"SELECT set_at FROM person_flags WHERE person_id = ?1 AND kind = ?2 AND removed_at IS NULL";
static const char SQL_FLAG_INSERT[] =
	"INSERT INTO person_flags(person_id, kind, note, set_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)";

static const char SQL_RHI_CLOCK[] =
	"SELECT id FROM clocks WHERE subject_type = 'missing_episode' AND subject_id = ?1 AND standard = 'rhi'"
	" AND status <> 'cancelled' ORDER BY id DESC LIMIT 1";
static const char SQL_RHI_CLOCK_SET[] =
	"UPDATE clocks SET started_at = ?2, due_at = ?3, team = ?4, person_id = nullif(?5, 0),"
	" stopped_at = nullif(?6, 0),"
	" status = CASE WHEN ?6 = 0 THEN 'running' WHEN ?6 <= ?3 THEN 'met' ELSE 'breached' END WHERE id = ?1";
static const char SQL_RHI_CLOCK_CANCEL[] =
	"UPDATE clocks SET stopped_at = ?2, status = 'cancelled' WHERE subject_type = 'missing_episode'"
	" AND subject_id = ?1 AND standard = 'rhi' AND status = 'running'";
static const char SQL_CLOCK_STARTED[] =
	"SELECT coalesce(max(started_at), 0) FROM clocks WHERE subject_type = ?2 AND subject_id = ?3"
	" AND standard = ?1 AND status = 'running'";

/* The found_with column as a JSON array text (malloc'd; NULL when out of memory). */
static char *found_with_text(const struct missing_episode *e)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < e->n_found_with; i++)
		json_array_append_new(arr, json_integer(e->found_with[i]));
	char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return text;
}

/* Parse the found_with column into e (items that are not positive integers are skipped). */
static void found_with_parse(const char *text, struct missing_episode *e)
{
	json_t *arr = json_loads(text ? text : "[]", 0, NULL);
	size_t i;
	json_t *x;
	e->n_found_with = 0;
	json_array_foreach(arr, i, x) {
		if (e->n_found_with == MISSING_FOUND_WITH_MAX)
			break;
		if (json_is_integer(x) && json_integer_value(x) > 0)
			e->found_with[e->n_found_with++] = json_integer_value(x);
	}
	json_decref(arr);
}

static void read_episode(sqlite3_stmt *s, struct missing_episode *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(s, 0);
	e->version = sqlite3_column_int64(s, 1);
	e->person_id = sqlite3_column_int64(s, 2);
	e->started_at = sqlite3_column_int64(s, 3);
	e->reported_at = sqlite3_column_int64(s, 4);
	e->ended_at = sqlite3_column_int64(s, 5);
	store_col(s, 6, e->missing_from, sizeof e->missing_from);
	store_col(s, 7, e->category, sizeof e->category);
	store_col(s, 8, e->police_force, sizeof e->police_force);
	store_col(s, 9, e->police_ref, sizeof e->police_ref);
	e->looked_after = sqlite3_column_int(s, 10) != 0;
	e->looked_after_given = true;
	store_col(s, 11, e->placement_type, sizeof e->placement_type);
	store_col(s, 12, e->placement_provider, sizeof e->placement_provider);
	store_col(s, 13, e->placing_authority, sizeof e->placing_authority);
	store_col(s, 14, e->host_authority, sizeof e->host_authority);
	store_col(s, 15, e->out_of_area, sizeof e->out_of_area);
	store_col(s, 16, e->rhi_by, sizeof e->rhi_by);
	store_col(s, 17, e->team, sizeof e->team);
	store_col(s, 18, e->locality, sizeof e->locality);
	store_col(s, 19, e->found_where, sizeof e->found_where);
	found_with_parse((const char *)sqlite3_column_text(s, 20), e);
	store_col(s, 21, e->notes, sizeof e->notes);
	store_col(s, 22, e->grade_latest, sizeof e->grade_latest);
	store_col(s, 23, e->grade_highest, sizeof e->grade_highest);
	e->rhi_due_at = sqlite3_column_int64(s, 24);
	e->reopened_count = sqlite3_column_int(s, 25);
	e->import_id = sqlite3_column_int64(s, 26);
	e->created_at = sqlite3_column_int64(s, 27);
	store_col(s, 28, e->created_by, sizeof e->created_by);
	e->updated_at = sqlite3_column_int64(s, 29);
	store_col(s, 30, e->updated_by, sizeof e->updated_by);
}

/* Bind the stored columns shared by insert and update (?2 .. ?25). */
static void bind_columns(sqlite3_stmt *s, const struct missing_episode *e, const char *found_with)
{
	sqlite3_bind_int64(s, 2, e->started_at);
	sqlite3_bind_int64(s, 3, e->reported_at);
	sqlite3_bind_int64(s, 4, e->ended_at);
	store_text(s, 5, e->missing_from);
	store_text(s, 6, e->category);
	store_text(s, 7, e->police_force);
	store_text(s, 8, e->police_ref);
	sqlite3_bind_int(s, 9, e->looked_after);
	store_text(s, 10, e->placement_type);
	store_text(s, 11, e->placement_provider);
	store_text(s, 12, e->placing_authority);
	store_text(s, 13, e->host_authority);
	store_text(s, 14, e->out_of_area);
	store_text(s, 15, e->rhi_by);
	store_text(s, 16, e->team);
	store_text(s, 17, e->locality);
	store_text(s, 18, e->found_where);
	store_text(s, 19, found_with);
	store_text(s, 20, e->notes);
	store_text(s, 21, e->grade_latest);
	store_text(s, 22, e->grade_highest);
	sqlite3_bind_int(s, 23, missing_grade_rank(e->grade_latest));
	sqlite3_bind_int64(s, 24, e->rhi_due_at);
	sqlite3_bind_int(s, 25, e->reopened_count);
}

int store_missing_insert(struct store *st, struct missing_episode *e, int64_t by, int64_t now)
{
	char *found_with = found_with_text(e);
	if (!found_with)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_INSERT);
	if (!s) {
		free(found_with);
		return -1;
	}
	/* The insert's parameters follow the update's numbering, but ?1 is the person and ?26 the import. */
	sqlite3_bind_int64(s, 1, e->person_id);
	bind_columns(s, e, found_with);
	sqlite3_bind_int64(s, 26, e->import_id);
	sqlite3_bind_int64(s, 27, now);
	sqlite3_bind_int64(s, 28, by);
	int rc = store_done(st, s);
	free(found_with);
	if (rc != 0)
		return rc;
	e->id = sqlite3_last_insert_rowid(store_db(st));
	e->version = 1;
	e->created_at = e->updated_at = now;
	return 0;
}

int store_missing_get(struct store *st, int64_t id, struct missing_episode *e)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_episode(s, e);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_missing_update(struct store *st, const struct missing_episode *e, int64_t by, int64_t now)
{
	char *found_with = found_with_text(e);
	if (!found_with)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_UPDATE);
	if (!s) {
		free(found_with);
		return -1;
	}
	sqlite3_bind_int64(s, 1, e->id);
	bind_columns(s, e, found_with);
	sqlite3_bind_int64(s, 26, e->version);
	sqlite3_bind_int64(s, 27, now);
	sqlite3_bind_int64(s, 28, by);
	int rc = store_done(st, s);
	free(found_with);
	if (rc != 0)
		return rc;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}

int store_missing_grades_set(struct store *st, int64_t id, const char *latest, const char *highest, int64_t by,
			     int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GRADES_SET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_text(s, 2, latest);
	store_text(s, 3, highest);
	sqlite3_bind_int(s, 4, missing_grade_rank(latest));
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, by);
	return store_done(st, s) == 0 ? 0 : -1;
}

/* Step a statement whose one row holds one integer into *out: 0, STORE_NOTFOUND, -1. */
static int one_int(sqlite3_stmt *s, int64_t *out)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_missing_find_ref(struct store *st, const char *force, const char *ref, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FIND_REF);
	if (!s)
		return -1;
	store_text(s, 1, force);
	store_text(s, 2, ref);
	return one_int(s, id);
}

/* Collect the first column of every row of s into a calloc'd array (cap: max rows). 0 or -1. */
static int collect_ids(sqlite3_stmt *s, int max, int64_t **out, int *n)
{
	*n = 0;
	*out = calloc((size_t)(max > 0 ? max : 1), sizeof **out);
	if (!*out) {
		sqlite3_reset(s);
		return -1;
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		(*out)[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Bind the list's filters (?1 .. ?5). */
static void bind_query(sqlite3_stmt *s, const struct missing_query *q)
{
	sqlite3_bind_int64(s, 1, q->person_id);
	store_text(s, 2, q->status);
	sqlite3_bind_int64(s, 3, q->from);
	sqlite3_bind_int64(s, 4, q->to);
	sqlite3_bind_int64(s, 5, q->user_id);
}

int store_missing_ids(struct store *st, const struct missing_query *q, int64_t **ids, int *n, int64_t *total)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, q->person_id ? SQL_COUNT_PERSON : SQL_COUNT_ALL);
	if (!s)
		return -1;
	bind_query(s, q);
	if (one_int(s, total) != 0)
		return -1;
	s = store_prepare(st, q->person_id ? SQL_IDS_PERSON : SQL_IDS_ALL);
	if (!s)
		return -1;
	bind_query(s, q);
	sqlite3_bind_int(s, 6, q->limit);
	sqlite3_bind_int(s, 7, q->offset);
	return collect_ids(s, q->limit, ids, n);
}

int store_missing_starts(struct store *st, int64_t person_id, int64_t from, int64_t to, int64_t **starts, int *n)
{
	int count = 0;
	*starts = NULL;
	*n = 0;
	if (store_missing_count(st, person_id, from, to, &count) != 0)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_STARTS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	return collect_ids(s, count, starts, n);
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct store_missing_start *)a)->id, y = ((const struct store_missing_start *)b)->id;
	return (x > y) - (x < y);
}

int store_missing_person_starts(struct store *st, int64_t person_id, struct store_missing_start **out, int *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_PERSON_STARTS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((size_t)*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct store_missing_start *a = cap <= (size_t)INT32_MAX ? realloc(*out, cap * sizeof *a) : NULL;
			if (!a) {
				rc = SQLITE_NOMEM;
				break;
			}
			*out = a;
		}
		struct store_missing_start *e = &(*out)[(*n)++];
		e->id = sqlite3_column_int64(s, 0);
		e->started_at = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		if (*n > 1)
			qsort(*out, (size_t)*n, sizeof **out, by_id);
		return 0;
	}
	free(*out);
	*out = NULL;
	*n = 0;
	return -1;
}

int store_missing_starts_all(struct store *st,
			     int (*fn)(void *ctx, int64_t person_id, const struct store_missing_start *e, int n),
			     void *ctx)
{
	/* Not a cached statement: fn may run others of the store's (never on missing_episodes). */
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(store_db(st), SQL_STARTS_ALL, -1, &s, NULL) != SQLITE_OK)
		return -1;
	struct store_missing_start *e = NULL;
	size_t n = 0, cap = 0;
	int64_t person = 0;
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t p = sqlite3_column_int64(s, 0);
		if (p != person && n) {
			if (n > 1)
				qsort(e, n, sizeof *e, by_id);
			if ((ret = fn(ctx, person, e, (int)n)) != 0)
				break;
			n = 0;
		}
		person = p;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct store_missing_start *a = cap <= (size_t)INT32_MAX ? realloc(e, cap * sizeof *a) : NULL;
			if (!a) {
				rc = SQLITE_NOMEM;
				break;
			}
			e = a;
		}
		e[n].id = sqlite3_column_int64(s, 1);
		e[n].started_at = sqlite3_column_int64(s, 2);
		n++;
	}
	if (ret == 0 && rc == SQLITE_DONE && n) {
		if (n > 1)
			qsort(e, n, sizeof *e, by_id);
		ret = fn(ctx, person, e, (int)n);
	}
	sqlite3_finalize(s);
	free(e);
	return ret ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int store_missing_max_id(struct store *st, int64_t *out)
{
	return store_number(store_prepare(st, SQL_MAX_ID), out);
}

int store_missing_team(struct store *st, int64_t id, char *team, size_t cap)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TEAM);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col(s, 0, team, cap);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_missing_count(struct store *st, int64_t person_id, int64_t from, int64_t to, int *n)
{
	sqlite3_stmt *s = store_prepare(st, SQL_COUNT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	int64_t v = 0;
	int rc = one_int(s, &v);
	*n = (int)v;
	return rc == 0 ? 0 : -1;
}

int store_missing_open_of(struct store *st, int64_t person_id, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_OPEN_OF);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	*id = 0;
	int rc = one_int(s, id);
	return rc == -1 ? -1 : 0;
}

int store_missing_person(struct store *st, int64_t id, struct missing_person *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_PERSON);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(s, 0);
		store_col(s, 1, out->given_name, sizeof out->given_name);
		store_col(s, 2, out->family_name, sizeof out->family_name);
		store_col(s, 3, out->dob, sizeof out->dob);
		store_col(s, 4, out->sex, sizeof out->sex);
		out->restricted = sqlite3_column_int(s, 5) != 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_missing_grading_insert(struct store *st, int64_t id, struct missing_grading *g, int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GRADING_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_text(s, 2, g->grade);
	sqlite3_bind_int64(s, 3, g->graded_at);
	store_text(s, 4, g->graded_by);
	store_text(s, 5, g->note);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_int64(s, 7, by);
	if (store_done(st, s) != 0)
		return -1;
	g->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_missing_grading_exists(struct store *st, int64_t id, int64_t graded_at, const char *grade, bool *exists)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GRADING_EXISTS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, graded_at);
	store_text(s, 3, grade);
	int rc = sqlite3_step(s);
	*exists = rc == SQLITE_ROW;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_missing_gradings(struct store *st, int64_t id, struct missing_grading *out, int max, int *n)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GRADINGS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, max);
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct missing_grading *g = &out[(*n)++];
		memset(g, 0, sizeof *g);
		g->id = sqlite3_column_int64(s, 0);
		store_col(s, 1, g->grade, sizeof g->grade);
		g->graded_at = sqlite3_column_int64(s, 2);
		store_col(s, 3, g->graded_by, sizeof g->graded_by);
		store_col(s, 4, g->note, sizeof g->note);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* An RHI with nothing recorded. */
static void rhi_clear(struct missing_rhi *r)
{
	memset(r, 0, sizeof *r);
	r->independent = -1;
	r->exploitation_disclosed = -1;
}

int store_missing_rhi_get(struct store *st, int64_t id, struct missing_rhi *r)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rhi_clear(r);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->version = sqlite3_column_int64(s, 0);
		r->offered_at = sqlite3_column_int64(s, 1);
		store_col(s, 2, r->offered_by, sizeof r->offered_by);
		store_col(s, 3, r->offered_org, sizeof r->offered_org);
		r->independent = sqlite3_column_int(s, 4);
		store_col(s, 5, r->response, sizeof r->response);
		r->responded_at = sqlite3_column_int64(s, 6);
		store_col(s, 7, r->declined_reason, sizeof r->declined_reason);
		r->completed_at = sqlite3_column_int64(s, 8);
		store_col(s, 9, r->push_factors, sizeof r->push_factors);
		store_col(s, 10, r->pull_factors, sizeof r->pull_factors);
		store_col(s, 11, r->stayed_where, sizeof r->stayed_where);
		store_col(s, 12, r->stayed_with, sizeof r->stayed_with);
		r->exploitation_disclosed = sqlite3_column_int(s, 13);
		store_col(s, 14, r->follow_up, sizeof r->follow_up);
		r->updated_at = sqlite3_column_int64(s, 15);
		store_col(s, 16, r->updated_by, sizeof r->updated_by);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

/* Bind the RHI's columns (?1 .. ?17). */
static void bind_rhi(sqlite3_stmt *s, int64_t id, const struct missing_rhi *r, int64_t by, int64_t now)
{
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, r->offered_at);
	store_text(s, 3, r->offered_by);
	store_text(s, 4, r->offered_org);
	sqlite3_bind_int(s, 5, r->independent);
	store_text(s, 6, r->response);
	sqlite3_bind_int64(s, 7, r->responded_at);
	store_text(s, 8, r->declined_reason);
	sqlite3_bind_int64(s, 9, r->completed_at);
	store_text(s, 10, r->push_factors);
	store_text(s, 11, r->pull_factors);
	store_text(s, 12, r->stayed_where);
	store_text(s, 13, r->stayed_with);
	sqlite3_bind_int(s, 14, r->exploitation_disclosed);
	store_text(s, 15, r->follow_up);
	sqlite3_bind_int64(s, 16, now);
	sqlite3_bind_int64(s, 17, by);
}

int store_missing_rhi_insert(struct store *st, int64_t id, struct missing_rhi *r, int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI_INSERT);
	if (!s)
		return -1;
	bind_rhi(s, id, r, by, now);
	int rc = store_done(st, s);
	if (rc == 0) {
		r->version = 1;
		r->updated_at = now;
	}
	return rc;
}

int store_missing_rhi_update(struct store *st, int64_t id, struct missing_rhi *r, int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI_UPDATE);
	if (!s)
		return -1;
	bind_rhi(s, id, r, by, now);
	sqlite3_bind_int64(s, 18, r->version);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	if (sqlite3_changes(store_db(st)) != 1)
		return STORE_CONFLICT;
	r->version++;
	r->updated_at = now;
	return 0;
}

int store_missing_notification_insert(struct store *st, struct missing_notification *n)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTE_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, n->episode_id);
	store_text(s, 2, n->to_authority);
	store_text(s, 3, n->reason);
	store_text(s, 4, n->rhi_by);
	sqlite3_bind_int64(s, 5, n->created_at);
	if (store_done(st, s) != 0)
		return -1;
	n->id = sqlite3_last_insert_rowid(store_db(st));
	n->version = 1;
	return 0;
}

int store_missing_notification_has(struct store *st, int64_t id, const char *reason)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTE_HAS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_text(s, 2, reason);
	int64_t one;
	return one_int(s, &one);
}

static void read_note(sqlite3_stmt *s, struct missing_notification *n)
{
	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(s, 0);
	n->version = sqlite3_column_int64(s, 1);
	n->episode_id = sqlite3_column_int64(s, 2);
	store_col(s, 3, n->to_authority, sizeof n->to_authority);
	store_col(s, 4, n->reason, sizeof n->reason);
	store_col(s, 5, n->rhi_by, sizeof n->rhi_by);
	n->created_at = sqlite3_column_int64(s, 6);
	n->acknowledged_at = sqlite3_column_int64(s, 7);
	store_col(s, 8, n->acknowledged_by, sizeof n->acknowledged_by);
	n->person_id = sqlite3_column_int64(s, 9);
}

int store_missing_notifications(struct store *st, int64_t episode_id, bool open_only, struct missing_notification *out,
				int max, int *n)
{
	sqlite3_stmt *s = store_prepare(st, episode_id > 0 ? SQL_NOTES_EPISODE : open_only ? SQL_NOTES_OPEN : SQL_NOTES_ALL);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, episode_id > 0 ? episode_id : 0);
	sqlite3_bind_int(s, 2, max);
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		read_note(s, &out[(*n)++]);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int store_missing_notification_get(struct store *st, int64_t id, struct missing_notification *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTE_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_note(s, out);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_missing_notification_ack(struct store *st, int64_t id, int64_t version, int64_t at, const char *ack_by,
				   int64_t by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTE_ACK);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, version);
	sqlite3_bind_int64(s, 3, at);
	store_text(s, 4, ack_by);
	sqlite3_bind_int64(s, 5, by);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}

int store_person_flag_active(struct store *st, int64_t person_id, const char *kind, int64_t *set_at)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAG_ACTIVE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	store_text(s, 2, kind);
	return one_int(s, set_at);
}

int store_person_flag_insert(struct store *st, int64_t person_id, const char *kind, const char *note, int64_t at,
			     int64_t by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAG_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	store_text(s, 2, kind);
	store_text(s, 3, note);
	sqlite3_bind_int64(s, 4, at);
	sqlite3_bind_int64(s, 5, by);
	return store_done(st, s);
}

int store_missing_rhi_clock(struct store *st, int64_t id, int64_t *clock_id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI_CLOCK);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return one_int(s, clock_id);
}

int store_missing_rhi_clock_set(struct store *st, int64_t clock_id, int64_t start, int64_t due, int64_t stop_at,
				const char *team, int64_t person_id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI_CLOCK_SET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, clock_id);
	sqlite3_bind_int64(s, 2, start);
	sqlite3_bind_int64(s, 3, due);
	store_text(s, 4, team);
	sqlite3_bind_int64(s, 5, person_id);
	sqlite3_bind_int64(s, 6, stop_at);
	return store_done(st, s) == 0 ? 0 : -1;
}

int store_missing_rhi_clock_cancel(struct store *st, int64_t id, int64_t at)
{
	sqlite3_stmt *s = store_prepare(st, SQL_RHI_CLOCK_CANCEL);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	return store_done(st, s) == 0 ? 0 : -1;
}

int store_missing_clock_started(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
				int64_t *started)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_STARTED);
	if (!s)
		return -1;
	store_text(s, 1, standard);
	store_text(s, 2, subject_type);
	sqlite3_bind_int64(s, 3, subject_id);
	*started = 0;
	return one_int(s, started) == 0 ? 0 : -1;
}
