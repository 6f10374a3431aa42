/*
 * store_clock.c - SQL for practice standards, bank holidays and clocks. See store.h.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "store.h"
#include "store_int.h"

static const char SQL_STANDARD_GET[] =
	"SELECT code, name, limit_value, limit_unit, applies_to, repeats, active FROM practice_standards WHERE code = ?1";
static const char SQL_HOLIDAYS[] = "SELECT date FROM bank_holidays ORDER BY date";
static const char SQL_CLOCK_RUNNING[] =
	"SELECT 1 FROM clocks WHERE subject_type = ?2 AND subject_id = ?3 AND standard = ?1 AND status = 'running'";
static const char SQL_CLOCK_INSERT[] =
	"INSERT INTO clocks(standard, subject_type, subject_id, case_id, person_id, team, worker_id, started_at, due_at,"
	" status) VALUES (?1, ?2, ?3, nullif(?4, 0), nullif(?5, 0), ?6, nullif(?7, 0), ?8, ?9, 'running')";
static const char SQL_CLOCK_COUNT[] =
	"SELECT count(*), coalesce(sum(?4 > due_at), 0) FROM clocks WHERE subject_type = ?2 AND subject_id = ?3"
	" AND standard = ?1 AND status = 'running'";
static const char SQL_CLOCK_STOP[] =
	"UPDATE clocks SET stopped_at = ?4, status = CASE WHEN ?4 <= due_at THEN 'met' ELSE 'breached' END"
	" WHERE subject_type = ?2 AND subject_id = ?3 AND standard = ?1 AND status = 'running'";
static const char SQL_CLOCK_CANCEL_CASE[] =
	"UPDATE clocks SET stopped_at = ?2, status = CASE WHEN ?2 > due_at THEN 'breached' ELSE 'cancelled' END"
	" WHERE case_id = ?1 AND status = 'running'";
static const char SQL_CLOCK_REASSIGN[] =
	"UPDATE clocks SET team = ?2, worker_id = nullif(?3, 0) WHERE case_id = ?1 AND status = 'running'";

int store_standard_get(struct store *st, const char *code, struct clock_standard *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_STANDARD_GET);
	if (!s)
		return -1;
	store_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		store_col(s, 0, out->code, sizeof out->code);
		store_col(s, 1, out->name, sizeof out->name);
		out->limit_value = sqlite3_column_int(s, 2);
		store_col(s, 3, out->limit_unit, sizeof out->limit_unit);
		store_col(s, 4, out->applies_to, sizeof out->applies_to);
		out->repeats = sqlite3_column_int(s, 5) != 0;
		out->active = sqlite3_column_int(s, 6) != 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_holidays_load(struct store *st, struct calendar *c)
{
	sqlite3_stmt *s = store_prepare(st, SQL_HOLIDAYS);
	if (!s)
		return -1;
	calendar_init(c);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct valid_date d;
		if (valid_parse_date((const char *)sqlite3_column_text(s, 0), &d))
			calendar_add_holiday(c, &d);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_clock_running(struct store *st, const char *standard, const char *subject_type, int64_t subject_id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_RUNNING);
	if (!s)
		return -1;
	store_text(s, 1, standard);
	store_text(s, 2, subject_type);
	sqlite3_bind_int64(s, 3, subject_id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_clock_insert(struct store *st, const struct clock *c)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_INSERT);
	if (!s)
		return -1;
	store_text(s, 1, c->standard);
	store_text(s, 2, c->subject_type);
	sqlite3_bind_int64(s, 3, c->subject_id);
	sqlite3_bind_int64(s, 4, c->case_id);
	sqlite3_bind_int64(s, 5, c->person_id);
	store_text(s, 6, c->team);
	sqlite3_bind_int64(s, 7, c->worker_id);
	sqlite3_bind_int64(s, 8, c->started_at);
	sqlite3_bind_int64(s, 9, c->due_at);
	return store_done(st, s);
}

int store_clock_stop(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
		     int64_t at, int *stopped, int *breached)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_COUNT);
	if (!s)
		return -1;
	store_text(s, 1, standard);
	store_text(s, 2, subject_type);
	sqlite3_bind_int64(s, 3, subject_id);
	sqlite3_bind_int64(s, 4, at);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return -1;
	}
	if (stopped)
		*stopped = sqlite3_column_int(s, 0);
	if (breached)
		*breached = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	s = store_prepare(st, SQL_CLOCK_STOP);
	if (!s)
		return -1;
	store_text(s, 1, standard);
	store_text(s, 2, subject_type);
	sqlite3_bind_int64(s, 3, subject_id);
	sqlite3_bind_int64(s, 4, at);
	return store_done(st, s);
}

int store_clock_cancel_case(struct store *st, int64_t case_id, int64_t at)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_CANCEL_CASE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, at);
	return store_done(st, s);
}

int store_clock_reassign_case(struct store *st, int64_t case_id, const char *team, int64_t worker_id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CLOCK_REASSIGN);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	store_text(s, 2, team);
	sqlite3_bind_int64(s, 3, worker_id);
	return store_done(st, s);
}
