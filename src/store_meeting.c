/*
 * store_meeting.c - SQL for meetings and actions, and the case facts and PTAC clock look-up that
 * meeting.c needs. See store_meeting.h. The attendees column holds a JSON array of
 * {name, agency, role}; jansson is used here only to write and read that column.
 * Owns: these statements. Must not touch: HTTP, the meeting's rules, other slices' tables
 * except to read a case (cases) and its clocks.
 */
#include "store_meeting.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meeting.h"
#include "store.h"
#include "store_int.h"

static const char SQL_CASE[] =
	"SELECT id, person_id, status = 'open', team, coalesce(worker_id, 0), opened_at FROM cases WHERE id = ?1";
static const char SQL_MEETING_INSERT[] =
	"INSERT INTO meetings(case_id, person_id, type, held_at, attendees, decisions, next_review, created_at,"
	" created_by, updated_at, updated_by, version) VALUES (nullif(?1, 0), nullif(?2, 0), ?3, ?4, ?5, ?6,"
	" nullif(?7, ''), ?8, ?9, ?8, ?9, 1)";
static const char SQL_ACTION_INSERT[] =
	"INSERT INTO actions(meeting_id, case_id, what, owner, due_date, updated_at, updated_by, version)"
	" VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, 1)";
static const char SQL_MEETING_GET[] =
	"SELECT m.id, m.version, m.type, m.held_at, coalesce(m.case_id, 0), coalesce(m.person_id, 0), m.attendees,"
	" m.decisions, coalesce(m.next_review, ''), m.created_at, coalesce(cu.username, ''), m.updated_at,"
	" coalesce(uu.username, '') FROM meetings m LEFT JOIN users cu ON cu.id = m.created_by"
	" LEFT JOIN users uu ON uu.id = m.updated_by WHERE m.id = ?1";
static const char SQL_MEETING_SUBJECT[] =
	"SELECT coalesce(case_id, 0), coalesce(person_id, 0) FROM meetings WHERE id = ?1";
static const char SQL_ACTIONS_OF[] =
	"SELECT a.id, a.version, a.meeting_id, coalesce(a.case_id, 0), a.what, a.owner, a.due_date,"
	" coalesce(a.done_at, 0), a.updated_at, coalesce(u.username, '') FROM actions a"
	" LEFT JOIN users u ON u.id = a.updated_by WHERE a.meeting_id = ?1 ORDER BY a.id";
static const char SQL_ACTION_GET[] =
	"SELECT a.id, a.version, a.meeting_id, coalesce(a.case_id, 0), a.what, a.owner, a.due_date,"
	" coalesce(a.done_at, 0), a.updated_at, coalesce(u.username, '') FROM actions a"
	" LEFT JOIN users u ON u.id = a.updated_by WHERE a.meeting_id = ?1 AND a.id = ?2";
static const char SQL_ACTION_DONE[] =
	"UPDATE actions SET done_at = nullif(?3, 0), updated_at = ?4, updated_by = ?5, version = version + 1"
	" WHERE id = ?1 AND version = ?2";
/* Each branch walks its own index (meetings_case, meetings_person, cases_person). */
static const char SQL_IDS_CASE[] =
	"SELECT id FROM meetings WHERE case_id = ?1 ORDER BY held_at DESC, id DESC LIMIT ?2";
static const char SQL_IDS_PERSON[] =
	"SELECT id, held_at FROM meetings WHERE person_id = ?1"
	" UNION SELECT m.id, m.held_at FROM cases c JOIN meetings m ON m.case_id = c.id WHERE c.person_id = ?1"
	" ORDER BY 2 DESC, 1 DESC LIMIT ?2";
static const char SQL_IDS_BOTH[] =
	"SELECT id FROM meetings WHERE case_id = ?1 AND person_id = ?3 ORDER BY held_at DESC, id DESC LIMIT ?2";
static const char SQL_PTAC_STARTED[] =
	"SELECT coalesce(max(started_at), 0) FROM clocks WHERE subject_type = 'case' AND subject_id = ?1"
	" AND standard = 'ptac_review' AND status = 'running'";

int store_meeting_case(struct store *st, int64_t case_id, struct meeting_case *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CASE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(s, 0);
		out->person_id = sqlite3_column_int64(s, 1);
		out->open = sqlite3_column_int(s, 2) != 0;
		store_col(s, 3, out->team, sizeof out->team);
		out->worker_id = sqlite3_column_int64(s, 4);
		out->opened_at = sqlite3_column_int64(s, 5);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

/* The attendees as a JSON array text (malloc'd; NULL when out of memory). */
static char *attendees_text(const struct meeting *m)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < m->n_attendees; i++) {
		const struct meeting_attendee *a = &m->attendees[i];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name", a->name, "agency", a->agency, "role",
						     a->role));
	}
	char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return text;
}

/* Parse the attendees column into m (items that are not objects are skipped). */
static void attendees_parse(const char *text, struct meeting *m)
{
	json_t *arr = json_loads(text ? text : "[]", 0, NULL);
	size_t i;
	json_t *a;
	m->n_attendees = 0;
	json_array_foreach(arr, i, a) {
		if (m->n_attendees == MEETING_ATTENDEES_MAX)
			break;
		if (!json_is_object(a))
			continue;
		struct meeting_attendee *to = &m->attendees[m->n_attendees++];
		snprintf(to->name, sizeof to->name, "%s", json_string_value(json_object_get(a, "name")) ?: "");
		snprintf(to->agency, sizeof to->agency, "%s", json_string_value(json_object_get(a, "agency")) ?: "");
		snprintf(to->role, sizeof to->role, "%s", json_string_value(json_object_get(a, "role")) ?: "");
	}
	json_decref(arr);
}

int store_meeting_insert(struct store *st, struct meeting *m, int64_t by, int64_t now)
{
	char *attendees = attendees_text(m);
	if (!attendees)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_MEETING_INSERT);
	if (!s) {
		free(attendees);
		return -1;
	}
	sqlite3_bind_int64(s, 1, m->case_id);
	sqlite3_bind_int64(s, 2, m->person_id);
	store_text(s, 3, m->type);
	sqlite3_bind_int64(s, 4, m->held_at);
	store_text(s, 5, attendees);
	store_text(s, 6, m->decisions);
	store_text(s, 7, m->next_review);
	sqlite3_bind_int64(s, 8, now);
	sqlite3_bind_int64(s, 9, by);
	free(attendees);
	if (store_done(st, s) != 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(store_db(st));
	m->version = 1;
	m->created_at = m->updated_at = now;
	for (int i = 0; i < m->n_actions; i++) {
		struct meeting_action *a = &m->actions[i];
		s = store_prepare(st, SQL_ACTION_INSERT);
		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, m->id);
		sqlite3_bind_int64(s, 2, m->case_id);
		store_text(s, 3, a->what);
		store_text(s, 4, a->owner);
		store_text(s, 5, a->due_date);
		sqlite3_bind_int64(s, 6, now);
		sqlite3_bind_int64(s, 7, by);
		if (store_done(st, s) != 0)
			return -1;
		a->id = sqlite3_last_insert_rowid(store_db(st));
		a->version = 1;
		a->meeting_id = m->id;
		a->case_id = m->case_id;
		a->done_at = 0;
		a->updated_at = now;
	}
	return 0;
}

/* Copy an action row (the column order of SQL_ACTIONS_OF and SQL_ACTION_GET) into *a. */
static void action_row(sqlite3_stmt *s, struct meeting_action *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(s, 0);
	a->version = sqlite3_column_int64(s, 1);
	a->meeting_id = sqlite3_column_int64(s, 2);
	a->case_id = sqlite3_column_int64(s, 3);
	store_col(s, 4, a->what, sizeof a->what);
	store_col(s, 5, a->owner, sizeof a->owner);
	store_col(s, 6, a->due_date, sizeof a->due_date);
	a->done_at = sqlite3_column_int64(s, 7);
	a->updated_at = sqlite3_column_int64(s, 8);
	store_col(s, 9, a->updated_by, sizeof a->updated_by);
}

int store_meeting_get(struct store *st, int64_t id, struct meeting *m)
{
	sqlite3_stmt *s = store_prepare(st, SQL_MEETING_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	}
	/* Every member is written below: no memset of the large struct (a story loads many meetings). */
	m->n_attendees = m->n_actions = 0;
	m->id = sqlite3_column_int64(s, 0);
	m->version = sqlite3_column_int64(s, 1);
	store_col(s, 2, m->type, sizeof m->type);
	m->held_at = sqlite3_column_int64(s, 3);
	m->case_id = sqlite3_column_int64(s, 4);
	m->person_id = sqlite3_column_int64(s, 5);
	attendees_parse((const char *)sqlite3_column_text(s, 6), m);
	store_col(s, 7, m->decisions, sizeof m->decisions);
	store_col(s, 8, m->next_review, sizeof m->next_review);
	m->created_at = sqlite3_column_int64(s, 9);
	store_col(s, 10, m->created_by, sizeof m->created_by);
	m->updated_at = sqlite3_column_int64(s, 11);
	store_col(s, 12, m->updated_by, sizeof m->updated_by);
	sqlite3_reset(s);
	s = store_prepare(st, SQL_ACTIONS_OF);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && m->n_actions < MEETING_ACTIONS_MAX)
		action_row(s, &m->actions[m->n_actions++]);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_meeting_ids(struct store *st, int64_t case_id, int64_t person_id, int max, int64_t **ids, int *n)
{
	*n = 0;
	*ids = calloc(max > 0 ? (size_t)max : 1, sizeof **ids);
	if (!*ids)
		return -1;
	sqlite3_stmt *s = store_prepare(st, case_id > 0 && person_id > 0 ? SQL_IDS_BOTH
					    : case_id > 0		  ? SQL_IDS_CASE
									  : SQL_IDS_PERSON);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id > 0 ? case_id : person_id);
	sqlite3_bind_int(s, 2, max);
	if (case_id > 0 && person_id > 0)
		sqlite3_bind_int64(s, 3, person_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_meeting_subject(struct store *st, int64_t id, int64_t *case_id, int64_t *person_id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_MEETING_SUBJECT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*case_id = sqlite3_column_int64(s, 0);
		*person_id = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_action_get(struct store *st, int64_t meeting_id, int64_t action_id, struct meeting_action *a)
{
	sqlite3_stmt *s = store_prepare(st, SQL_ACTION_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, meeting_id);
	sqlite3_bind_int64(s, 2, action_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		action_row(s, a);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_action_set_done(struct store *st, const struct meeting_action *a, int64_t done_at, int64_t by,
			  int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_ACTION_DONE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_int64(s, 2, a->version);
	sqlite3_bind_int64(s, 3, done_at);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, by);
	if (store_done(st, s) != 0)
		return -1;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}

int store_ptac_review_started(struct store *st, int64_t case_id, int64_t *started)
{
	sqlite3_stmt *s = store_prepare(st, SQL_PTAC_STARTED);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = sqlite3_step(s);
	*started = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}
