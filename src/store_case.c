/*
 * store_case.c - SQL for cases and what is recorded on them. See store_case.h.
 * Owns: the statements on cases, case_allocations, contacts, case_notes, supervisions, flags
 * and feedback, and the read of a case's running clocks. Must not touch: the rules of the
 * domain (casework.c), HTTP. jansson is used only for the strands column (a JSON array text).
 */
#include "store_case.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

/* The case columns, in the order read_case expects, with the names resolved. */
#define CASE_SELECT                                                                                                 \
	"SELECT c.id, c.version, c.person_id, coalesce(c.referral_id, 0), c.status, c.team, coalesce(c.worker_id, 0),"  \
	" c.strands, coalesce(c.risk_level, ''), coalesce(c.opening_risk, ''), c.opened_at, coalesce(c.closed_at, 0),"  \
	" coalesce(c.closure_reason, ''), coalesce(c.closure_risk, ''), coalesce(c.transition_plan_at, 0),"            \
	" c.transition_plan, c.created_at, cu.username, c.updated_at, uu.username, p.given_name, p.family_name,"       \
	" coalesce(p.dob, ''), p.restricted, coalesce(w.username, ''), coalesce(w.display_name, '')"                    \
	" FROM cases c JOIN persons p ON p.id = c.person_id JOIN users cu ON cu.id = c.created_by"                     \
	" JOIN users uu ON uu.id = c.updated_by LEFT JOIN users w ON w.id = c.worker_id "

/*
 * The list's filters: every one is here (an unused one is '' or 0), and each variant below
 * leads with the equality an index can serve, so the planner does not scan every case.
 */
#define CASE_FILTER                                                                                                 \
	" AND (?1 = '' OR c.status = ?1) AND (?2 = '' OR c.team = ?2) AND (?3 = 0 OR c.worker_id = ?3)"                 \
	" AND (?4 = 0 OR c.person_id = ?4) AND (p.restricted = 0 OR EXISTS (SELECT 1 FROM person_access a"            \
	" WHERE a.person_id = p.id AND a.user_id = ?5))"
#define CASE_ORDER " ORDER BY c.opened_at DESC, c.id DESC LIMIT ?6 OFFSET ?7"
#define CASE_COUNT "SELECT count(*) FROM cases c JOIN persons p ON p.id = c.person_id "

#define W_PERSON "WHERE c.person_id = ?4"
#define W_WORKER "WHERE c.worker_id = ?3"
#define W_STATUS_TEAM "WHERE c.status = ?1 AND c.team = ?2"
#define W_TEAM "WHERE c.status IN ('open', 'closed') AND c.team = ?2"
#define W_STATUS "WHERE c.status = ?1"
#define W_ALL "WHERE 1"

static const char SQL_LIST_PERSON[] = CASE_SELECT W_PERSON CASE_FILTER CASE_ORDER;
static const char SQL_LIST_WORKER[] = CASE_SELECT W_WORKER CASE_FILTER CASE_ORDER;
static const char SQL_LIST_STATUS_TEAM[] = CASE_SELECT W_STATUS_TEAM CASE_FILTER CASE_ORDER;
static const char SQL_LIST_TEAM[] = CASE_SELECT W_TEAM CASE_FILTER CASE_ORDER;
static const char SQL_LIST_STATUS[] = CASE_SELECT W_STATUS CASE_FILTER CASE_ORDER;
static const char SQL_LIST_ALL[] = CASE_SELECT W_ALL CASE_FILTER CASE_ORDER;
static const char SQL_COUNT_PERSON[] = CASE_COUNT W_PERSON CASE_FILTER;
static const char SQL_COUNT_WORKER[] = CASE_COUNT W_WORKER CASE_FILTER;
static const char SQL_COUNT_STATUS_TEAM[] = CASE_COUNT W_STATUS_TEAM CASE_FILTER;
static const char SQL_COUNT_TEAM[] = CASE_COUNT W_TEAM CASE_FILTER;
static const char SQL_COUNT_STATUS[] = CASE_COUNT W_STATUS CASE_FILTER;
static const char SQL_COUNT_ALL[] = CASE_COUNT W_ALL CASE_FILTER;

static const char SQL_CASE_GET[] = CASE_SELECT "WHERE c.id = ?1";
static const char SQL_CASE_INSERT[] =
	"INSERT INTO cases(person_id, referral_id, status, team, worker_id, strands, risk_level, opening_risk, opened_at,"
	" closed_at, closure_reason, closure_risk, transition_plan_at, transition_plan, created_at, created_by,"
	" updated_at, updated_by, version) VALUES (?1, nullif(?2, 0), ?3, ?4, nullif(?5, 0), ?6, nullif(?7, ''),"
	" nullif(?8, ''), ?9, nullif(?10, 0), nullif(?11, ''), nullif(?12, ''), nullif(?13, 0), ?14, ?15, ?16, ?15, ?16, 1)";
static const char SQL_CASE_UPDATE[] =
	"UPDATE cases SET team = ?3, worker_id = nullif(?4, 0), strands = ?5, status = ?6, risk_level = nullif(?7, ''),"
	" opening_risk = nullif(?8, ''), closed_at = nullif(?9, 0), closure_reason = nullif(?10, ''),"
	" closure_risk = nullif(?11, ''), transition_plan_at = nullif(?12, 0), transition_plan = ?13,"
	" updated_at = ?14, updated_by = coalesce(nullif(?15, 0), updated_by), version = version + 1"
	" WHERE id = ?1 AND version = ?2";
static const char SQL_CASE_EXISTS[] = "SELECT 1 FROM cases WHERE id = ?1";
static const char SQL_CASE_OPEN_OF[] =
	"SELECT id FROM cases WHERE person_id = ?1 AND status = 'open' ORDER BY opened_at DESC, id DESC LIMIT 1";
static const char SQL_PERSON_DOB[] = "SELECT coalesce(dob, '') FROM persons WHERE id = ?1";

static const char SQL_ALLOCATION_INSERT[] =
	"INSERT INTO case_allocations(case_id, worker_id, team, from_at, reason, by_id)"
	" VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)";
static const char SQL_CONTACT_INSERT[] =
	"INSERT INTO contacts(case_id, contact_at, kind, seen, seen_alone, location, summary, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_NOTE_INSERT[] =
	"INSERT INTO case_notes(case_id, note, child_voice, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_SUPERVISION_INSERT[] =
	"INSERT INTO supervisions(case_id, held_at, discussion, decisions, next_due, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), ?6, ?7)";
static const char SQL_FLAG_INSERT[] =
	"INSERT INTO flags(case_id, kind, note, set_at, review_date, police_flag, removed_at, created_by, updated_at,"
	" updated_by, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?4, ?7, 1)";
static const char SQL_FLAG_UPDATE[] =
	"UPDATE flags SET review_date = ?3, police_flag = ?4, removed_at = nullif(?5, 0), updated_at = ?6,"
	" updated_by = ?7, version = version + 1 WHERE id = ?1 AND version = ?2";
static const char SQL_FLAG_EXISTS[] = "SELECT 1 FROM flags WHERE id = ?1";
static const char SQL_FEEDBACK_INSERT[] =
	"INSERT INTO feedback(case_id, stage, score, words, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char SQL_ALLOCATIONS[] =
	"SELECT a.id, a.team, coalesce(a.worker_id, 0), coalesce(w.username, ''), coalesce(w.display_name, ''),"
	" a.from_at, a.reason, b.username FROM case_allocations a LEFT JOIN users w ON w.id = a.worker_id"
	" JOIN users b ON b.id = a.by_id WHERE a.case_id = ?1 ORDER BY a.from_at, a.id";
static const char SQL_CONTACTS[] =
	"SELECT k.id, k.contact_at, k.kind, k.seen, k.seen_alone, k.location, k.summary, u.username FROM contacts k"
	" JOIN users u ON u.id = k.created_by WHERE k.case_id = ?1 ORDER BY k.contact_at, k.id";
static const char SQL_NOTES[] =
	"SELECT n.id, n.note, n.child_voice, n.created_at, u.username FROM case_notes n JOIN users u"
	" ON u.id = n.created_by WHERE n.case_id = ?1 ORDER BY n.created_at, n.id";
static const char SQL_SUPERVISIONS[] =
	"SELECT s.id, s.held_at, s.discussion, s.decisions, coalesce(s.next_due, ''), u.username FROM supervisions s"
	" JOIN users u ON u.id = s.created_by WHERE s.case_id = ?1 ORDER BY s.held_at, s.id";
#define FLAG_SELECT                                                                                                 \
	"SELECT f.id, f.version, f.case_id, f.kind, f.note, f.set_at, f.review_date, f.police_flag,"                   \
	" coalesce(f.removed_at, 0), u.username FROM flags f JOIN users u ON u.id = f.created_by "
static const char SQL_FLAGS[] = FLAG_SELECT "WHERE f.case_id = ?1 ORDER BY f.set_at, f.id";
static const char SQL_FLAG_ONE[] = FLAG_SELECT "WHERE f.case_id = ?1 AND f.id = ?2";
static const char SQL_FEEDBACK[] =
	"SELECT f.id, f.stage, f.score, f.words, f.created_at, u.username FROM feedback f JOIN users u"
	" ON u.id = f.created_by WHERE f.case_id = ?1 ORDER BY f.created_at, f.id";

static const char SQL_CLOCK_STARTED[] =
	"SELECT started_at FROM clocks WHERE subject_type = ?2 AND subject_id = ?3 AND standard = ?1"
	" AND status = 'running' ORDER BY started_at DESC LIMIT 1";
static const char SQL_TASKS[] =
	"SELECT k.id, k.standard, s.name, k.subject_type, k.subject_id, coalesce(k.case_id, 0),"
	" coalesce(k.person_id, 0), coalesce(k.worker_id, 0), k.team, k.started_at, k.due_at, k.status,"
	" coalesce(w.username, ''), coalesce(w.display_name, '') FROM clocks k JOIN practice_standards s"
	" ON s.code = k.standard LEFT JOIN users w ON w.id = k.worker_id WHERE k.case_id = ?1"
	" AND k.status = 'running' ORDER BY k.due_at, k.id";

/* Column i as a string that outlives nothing: "" for NULL. */
static const char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? (const char *)v : "";
}

/* The strands column (a JSON array of codes) into c. Bad text reads as no strands. */
static void strands_from_json(const char *text, struct casework_case *c)
{
	c->n_strands = 0;
	json_t *a = json_loads(text, 0, NULL);
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		if (c->n_strands < CASE_STRANDS_MAX && json_is_string(x))
			snprintf(c->strands[c->n_strands++], CASE_CODE_BYTES, "%s", json_string_value(x));
	}
	json_decref(a);
}

/* c's strands as JSON array text (malloc'd, caller frees), or NULL when out of memory. */
static char *strands_to_json(const struct casework_case *c)
{
	json_t *a = json_array();
	for (int i = 0; a && i < c->n_strands; i++)
		json_array_append_new(a, json_string(c->strands[i]));
	char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return text;
}

/* The current row of a CASE_SELECT statement into c. */
static void read_case(sqlite3_stmt *s, struct casework_case *c)
{
	c->id = sqlite3_column_int64(s, 0);
	c->version = sqlite3_column_int64(s, 1);
	c->person_id = sqlite3_column_int64(s, 2);
	c->referral_id = sqlite3_column_int64(s, 3);
	store_col(s, 4, c->status, sizeof c->status);
	store_col(s, 5, c->team, sizeof c->team);
	c->worker_id = sqlite3_column_int64(s, 6);
	strands_from_json(col(s, 7), c);
	store_col(s, 8, c->risk_level, sizeof c->risk_level);
	store_col(s, 9, c->opening_risk, sizeof c->opening_risk);
	c->opened_at = sqlite3_column_int64(s, 10);
	c->closed_at = sqlite3_column_int64(s, 11);
	store_col(s, 12, c->closure_reason, sizeof c->closure_reason);
	store_col(s, 13, c->closure_risk, sizeof c->closure_risk);
	c->transition_plan_at = sqlite3_column_int64(s, 14);
	store_col(s, 15, c->transition_plan, sizeof c->transition_plan);
	c->created_at = sqlite3_column_int64(s, 16);
	store_col(s, 17, c->created_by, sizeof c->created_by);
	c->updated_at = sqlite3_column_int64(s, 18);
	store_col(s, 19, c->updated_by, sizeof c->updated_by);
	store_col(s, 20, c->given_name, sizeof c->given_name);
	store_col(s, 21, c->family_name, sizeof c->family_name);
	store_col(s, 22, c->dob, sizeof c->dob);
	c->restricted = sqlite3_column_int(s, 23) != 0;
	store_col(s, 24, c->worker_username, sizeof c->worker_username);
	store_col(s, 25, c->worker_display_name, sizeof c->worker_display_name);
}

int store_case_insert(struct store *st, struct casework_case *c, int64_t by)
{
	char *strands = strands_to_json(c);
	sqlite3_stmt *s = strands ? store_prepare(st, SQL_CASE_INSERT) : NULL;
	if (!s) {
		free(strands);
		return -1;
	}
	int64_t now = store_now();
	sqlite3_bind_int64(s, 1, c->person_id);
	sqlite3_bind_int64(s, 2, c->referral_id);
	store_text(s, 3, c->status[0] ? c->status : "open");
	store_text(s, 4, c->team);
	sqlite3_bind_int64(s, 5, c->worker_id);
	store_text(s, 6, strands);
	store_text(s, 7, c->risk_level);
	store_text(s, 8, c->opening_risk);
	sqlite3_bind_int64(s, 9, c->opened_at);
	sqlite3_bind_int64(s, 10, c->closed_at);
	store_text(s, 11, c->closure_reason);
	store_text(s, 12, c->closure_risk);
	sqlite3_bind_int64(s, 13, c->transition_plan_at);
	store_text(s, 14, c->transition_plan);
	sqlite3_bind_int64(s, 15, now);
	sqlite3_bind_int64(s, 16, by);
	free(strands);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	c->id = sqlite3_last_insert_rowid(store_db(st));
	c->version = 1;
	c->created_at = c->updated_at = now;
	return 0;
}

int store_case_get(struct store *st, int64_t id, struct casework_case *c)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CASE_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_case(s, c);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

/* 0 when a row answers `sql` bound with id, STORE_NOTFOUND when none, -1 on an error. */
static int exists(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_case_update(struct store *st, struct casework_case *c, int64_t by)
{
	char *strands = strands_to_json(c);
	sqlite3_stmt *s = strands ? store_prepare(st, SQL_CASE_UPDATE) : NULL;
	if (!s) {
		free(strands);
		return -1;
	}
	int64_t now = store_now();
	sqlite3_bind_int64(s, 1, c->id);
	sqlite3_bind_int64(s, 2, c->version);
	store_text(s, 3, c->team);
	sqlite3_bind_int64(s, 4, c->worker_id);
	store_text(s, 5, strands);
	store_text(s, 6, c->status);
	store_text(s, 7, c->risk_level);
	store_text(s, 8, c->opening_risk);
	sqlite3_bind_int64(s, 9, c->closed_at);
	store_text(s, 10, c->closure_reason);
	store_text(s, 11, c->closure_risk);
	sqlite3_bind_int64(s, 12, c->transition_plan_at);
	store_text(s, 13, c->transition_plan);
	sqlite3_bind_int64(s, 14, now);
	sqlite3_bind_int64(s, 15, by);
	free(strands);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	if (sqlite3_changes(store_db(st)) == 0) {
		rc = exists(st, SQL_CASE_EXISTS, c->id);
		return rc == 0 ? STORE_CONFLICT : rc;
	}
	c->version++;
	c->updated_at = now;
	return 0;
}

int store_case_open_of(struct store *st, int64_t person_id, int64_t *case_id)
{
	*case_id = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_CASE_OPEN_OF);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*case_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_case_person_dob(struct store *st, int64_t person_id, char dob[11])
{
	dob[0] = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_PERSON_DOB);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col(s, 0, dob, 11);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

/* Bind a list filter's seven parameters. */
static void bind_filter(sqlite3_stmt *s, const struct store_case_filter *f)
{
	store_text(s, 1, f->status);
	store_text(s, 2, f->team);
	sqlite3_bind_int64(s, 3, f->worker_id);
	sqlite3_bind_int64(s, 4, f->person_id);
	sqlite3_bind_int64(s, 5, f->viewer_id);
	sqlite3_bind_int(s, 6, f->limit);
	sqlite3_bind_int(s, 7, f->offset);
}

int store_case_list(struct store *st, const struct store_case_filter *f,
		    int (*fn)(void *ctx, const struct casework_case *c), void *ctx, int64_t *total)
{
	const char *list, *count;
	if (f->person_id) {
		list = SQL_LIST_PERSON;
		count = SQL_COUNT_PERSON;
	} else if (f->worker_id) {
		list = SQL_LIST_WORKER;
		count = SQL_COUNT_WORKER;
	} else if (f->status[0] && f->team[0]) {
		list = SQL_LIST_STATUS_TEAM;
		count = SQL_COUNT_STATUS_TEAM;
	} else if (f->team[0]) {
		list = SQL_LIST_TEAM;
		count = SQL_COUNT_TEAM;
	} else if (f->status[0]) {
		list = SQL_LIST_STATUS;
		count = SQL_COUNT_STATUS;
	} else {
		list = SQL_LIST_ALL;
		count = SQL_COUNT_ALL;
	}
	*total = 0;
	sqlite3_stmt *s = store_prepare(st, count);
	if (!s)
		return -1;
	bind_filter(s, f);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return -1;
	struct casework_case *c = calloc(1, sizeof *c);
	s = c ? store_prepare(st, list) : NULL;
	if (!s) {
		free(c);
		return -1;
	}
	bind_filter(s, f);
	int stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(c, 0, sizeof *c);
		read_case(s, c);
		stop = fn(ctx, c);
	}
	sqlite3_reset(s);
	free(c);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Step an INSERT and give back its rowid. */
static int insert_done(struct store *st, sqlite3_stmt *s, int64_t *id)
{
	int rc = store_done(st, s);
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return rc;
}

int store_case_allocation_insert(struct store *st, int64_t case_id, const struct casework_allocation *a, int64_t by,
				 int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_ALLOCATION_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, a->worker_id);
	store_text(s, 3, a->team);
	sqlite3_bind_int64(s, 4, a->from_at);
	store_text(s, 5, a->reason ? a->reason : "");
	sqlite3_bind_int64(s, 6, by);
	return insert_done(st, s, id);
}

int store_case_contact_insert(struct store *st, int64_t case_id, const struct casework_contact *k, int64_t by,
			      int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CONTACT_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, k->contact_at);
	store_text(s, 3, k->kind);
	sqlite3_bind_int(s, 4, k->seen);
	sqlite3_bind_int(s, 5, k->seen_alone);
	store_text(s, 6, k->location ? k->location : "");
	store_text(s, 7, k->summary ? k->summary : "");
	sqlite3_bind_int64(s, 8, store_now());
	sqlite3_bind_int64(s, 9, by);
	return insert_done(st, s, id);
}

int store_case_note_insert(struct store *st, int64_t case_id, const struct casework_note *n, int64_t by,
			   int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTE_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	store_text(s, 2, n->note);
	store_text(s, 3, n->child_voice ? n->child_voice : "");
	sqlite3_bind_int64(s, 4, n->at);
	sqlite3_bind_int64(s, 5, by);
	return insert_done(st, s, id);
}

int store_case_supervision_insert(struct store *st, int64_t case_id, const struct casework_supervision *v,
				  int64_t by, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_SUPERVISION_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, v->held_at);
	store_text(s, 3, v->discussion ? v->discussion : "");
	store_text(s, 4, v->decisions);
	store_text(s, 5, v->next_due ? v->next_due : "");
	sqlite3_bind_int64(s, 6, store_now());
	sqlite3_bind_int64(s, 7, by);
	return insert_done(st, s, id);
}

int store_case_flag_insert(struct store *st, int64_t case_id, const struct casework_flag *f, int64_t by,
			   int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAG_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	store_text(s, 2, f->kind);
	store_text(s, 3, f->note ? f->note : "");
	sqlite3_bind_int64(s, 4, f->set_at);
	store_text(s, 5, f->review_date);
	sqlite3_bind_int(s, 6, f->police_flag);
	sqlite3_bind_int64(s, 7, by);
	return insert_done(st, s, id);
}

int store_case_flag_update(struct store *st, int64_t id, int64_t version, const char *review_date, bool police_flag,
			   int64_t removed_at, int64_t by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAG_UPDATE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, version);
	store_text(s, 3, review_date);
	sqlite3_bind_int(s, 4, police_flag);
	sqlite3_bind_int64(s, 5, removed_at);
	sqlite3_bind_int64(s, 6, store_now());
	sqlite3_bind_int64(s, 7, by);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	if (sqlite3_changes(store_db(st)) == 0) {
		rc = exists(st, SQL_FLAG_EXISTS, id);
		return rc == 0 ? STORE_CONFLICT : rc;
	}
	return 0;
}

int store_case_feedback_insert(struct store *st, int64_t case_id, const struct casework_feedback *f, int64_t by,
			       int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FEEDBACK_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	store_text(s, 2, f->stage);
	sqlite3_bind_int(s, 3, f->score);
	store_text(s, 4, f->words ? f->words : "");
	sqlite3_bind_int64(s, 5, f->at);
	sqlite3_bind_int64(s, 6, by);
	return insert_done(st, s, id);
}

/*
 * The readers below share one shape: prepare, bind the case id, call fn per row, reset.
 * WALK_END finishes: the callback's non-zero value, 0 at the end of the rows, -1 on an error.
 */
#define WALK_END(s, rc, stop)                                                                                       \
	do {                                                                                                        \
		sqlite3_reset(s);                                                                                   \
		if (stop)                                                                                           \
			return stop;                                                                                \
		return (rc) == SQLITE_DONE ? 0 : -1;                                                                \
	} while (0)

int store_case_allocations_each(struct store *st, int64_t case_id,
				int (*fn)(void *ctx, const struct casework_allocation *a), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_ALLOCATIONS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct casework_allocation a = {
			.id = sqlite3_column_int64(s, 0),
			.team = col(s, 1),
			.worker_id = sqlite3_column_int64(s, 2),
			.worker_username = col(s, 3),
			.worker_display_name = col(s, 4),
			.from_at = sqlite3_column_int64(s, 5),
			.reason = col(s, 6),
			.by = col(s, 7),
		};
		stop = fn(ctx, &a);
	}
	WALK_END(s, rc, stop);
}

int store_case_contacts_each(struct store *st, int64_t case_id,
			     int (*fn)(void *ctx, const struct casework_contact *k), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CONTACTS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct casework_contact k = {
			.id = sqlite3_column_int64(s, 0),
			.contact_at = sqlite3_column_int64(s, 1),
			.kind = col(s, 2),
			.seen = sqlite3_column_int(s, 3) != 0,
			.seen_alone = sqlite3_column_int(s, 4) != 0,
			.location = col(s, 5),
			.summary = col(s, 6),
			.by = col(s, 7),
		};
		stop = fn(ctx, &k);
	}
	WALK_END(s, rc, stop);
}

int store_case_notes_each(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct casework_note *n),
			  void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_NOTES);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct casework_note n = {
			.id = sqlite3_column_int64(s, 0),
			.note = col(s, 1),
			.child_voice = col(s, 2),
			.at = sqlite3_column_int64(s, 3),
			.by = col(s, 4),
		};
		stop = fn(ctx, &n);
	}
	WALK_END(s, rc, stop);
}

int store_case_supervisions_each(struct store *st, int64_t case_id,
				 int (*fn)(void *ctx, const struct casework_supervision *v), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_SUPERVISIONS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct casework_supervision v = {
			.id = sqlite3_column_int64(s, 0),
			.held_at = sqlite3_column_int64(s, 1),
			.discussion = col(s, 2),
			.decisions = col(s, 3),
			.next_due = col(s, 4),
			.by = col(s, 5),
		};
		stop = fn(ctx, &v);
	}
	WALK_END(s, rc, stop);
}

/* The current row of a FLAG_SELECT statement. */
static struct casework_flag read_flag(sqlite3_stmt *s)
{
	struct casework_flag f = {
		.id = sqlite3_column_int64(s, 0),
		.version = sqlite3_column_int64(s, 1),
		.case_id = sqlite3_column_int64(s, 2),
		.kind = col(s, 3),
		.note = col(s, 4),
		.set_at = sqlite3_column_int64(s, 5),
		.review_date = col(s, 6),
		.police_flag = sqlite3_column_int(s, 7) != 0,
		.removed_at = sqlite3_column_int64(s, 8),
		.by = col(s, 9),
	};
	return f;
}

int store_case_flags_each(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct casework_flag *f),
			  void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAGS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct casework_flag f = read_flag(s);
		stop = fn(ctx, &f);
	}
	WALK_END(s, rc, stop);
}

int store_case_flag_each(struct store *st, int64_t case_id, int64_t flag_id,
			 int (*fn)(void *ctx, const struct casework_flag *f), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAG_ONE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, flag_id);
	int rc = sqlite3_step(s), stop = 0;
	if (rc == SQLITE_ROW) {
		struct casework_flag f = read_flag(s);
		stop = fn(ctx, &f);
	}
	sqlite3_reset(s);
	if (stop)
		return stop;
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_case_feedback_each(struct store *st, int64_t case_id,
			     int (*fn)(void *ctx, const struct casework_feedback *f), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FEEDBACK);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct casework_feedback f = {
			.id = sqlite3_column_int64(s, 0),
			.stage = col(s, 1),
			.score = sqlite3_column_int(s, 2),
			.words = col(s, 3),
			.at = sqlite3_column_int64(s, 4),
			.by = col(s, 5),
		};
		stop = fn(ctx, &f);
	}
	WALK_END(s, rc, stop);
}

int store_case_clock_started(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
			     int64_t *started_at)
{
	*started_at = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_STARTED);
	if (!s)
		return -1;
	store_text(s, 1, standard);
	store_text(s, 2, subject_type);
	sqlite3_bind_int64(s, 3, subject_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*started_at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_case_tasks_each(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct store_case_task *t),
			  void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TASKS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_case_task t;
		memset(&t, 0, sizeof t);
		t.clock.id = sqlite3_column_int64(s, 0);
		store_col(s, 1, t.clock.standard, sizeof t.clock.standard);
		store_col(s, 2, t.clock.standard_name, sizeof t.clock.standard_name);
		store_col(s, 3, t.clock.subject_type, sizeof t.clock.subject_type);
		t.clock.subject_id = sqlite3_column_int64(s, 4);
		t.clock.case_id = sqlite3_column_int64(s, 5);
		t.clock.person_id = sqlite3_column_int64(s, 6);
		t.clock.worker_id = sqlite3_column_int64(s, 7);
		store_col(s, 8, t.clock.team, sizeof t.clock.team);
		t.clock.started_at = sqlite3_column_int64(s, 9);
		t.clock.due_at = sqlite3_column_int64(s, 10);
		store_col(s, 11, t.clock.status, sizeof t.clock.status);
		t.worker_username = col(s, 12);
		t.worker_display_name = col(s, 13);
		stop = fn(ctx, &t);
	}
	WALK_END(s, rc, stop);
}
