/*
 * store_config_admin.c - SQL for reading and changing the configuration: the lists
 * (config_codes), the configuration version, practice standards, bank holidays and risk tools.
 * See store_config_admin.h. Reading a single code for casework stays in store_config.c.
 * Must not touch: the rules of a change (config.c), HTTP, JSON.
 */
#include "store_config_admin.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

/* The most rows any read here returns: far above what the configuration holds. */
#define ROWS_MAX 10000

static const char SQL_VERSION[] = "SELECT version FROM config_version WHERE id = 1";
static const char SQL_VERSION_BUMP[] = "UPDATE config_version SET version = version + 1 WHERE id = 1 AND version = ?1";
static const char SQL_CODES[] =
	"SELECT code, label, extra, active, sort FROM config_codes WHERE list = ?1 ORDER BY sort, code";
static const char SQL_CODE_PUT[] =
	"INSERT INTO config_codes(list, code, label, extra, sort, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT(list, code) DO UPDATE SET label = excluded.label, extra = excluded.extra,"
	" sort = excluded.sort, active = excluded.active";
static const char SQL_STANDARDS[] =
	"SELECT code, name, start_event, end_event, limit_value, limit_unit, applies_to, repeats, active, sort"
	" FROM practice_standards ORDER BY sort, code";
static const char SQL_STANDARD_ONE[] =
	"SELECT code, name, start_event, end_event, limit_value, limit_unit, applies_to, repeats, active, sort"
	" FROM practice_standards WHERE code = ?1";
static const char SQL_STANDARD_SET[] =
	"UPDATE practice_standards SET limit_value = ?2, limit_unit = ?3, active = ?4 WHERE code = ?1";
static const char SQL_HOLIDAYS[] = "SELECT date, name FROM bank_holidays ORDER BY date";
static const char SQL_HOLIDAY_COUNT[] = "SELECT count(*) FROM bank_holidays";
static const char SQL_HOLIDAY_INSERT[] = "INSERT INTO bank_holidays(date, name) VALUES (?1, ?2)";
static const char SQL_HOLIDAY_DELETE[] = "DELETE FROM bank_holidays WHERE date = ?1";
static const char SQL_TOOLS[] =
	"SELECT id, code, version, name, coalesce(json_extract(definition, '$.example'), 0), active, created_at,"
	" coalesce(created_by, 0) FROM risk_tools ORDER BY code, version";
static const char SQL_TOOL_ONE[] =
	"SELECT id, code, version, name, coalesce(json_extract(definition, '$.example'), 0), active, created_at,"
	" coalesce(created_by, 0), definition FROM risk_tools WHERE id = ?1";
static const char SQL_TOOL_VERSIONS[] =
	"SELECT coalesce(max(version), 0), coalesce(sum(version = ?2), 0) FROM risk_tools WHERE code = ?1";
static const char SQL_TOOL_INSERT[] =
	"INSERT INTO risk_tools(code, version, name, definition, active, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, 1, ?5, nullif(?6, 0))";
static const char SQL_TOOL_RETIRE[] = "UPDATE risk_tools SET active = 0 WHERE code = ?1 AND version < ?2 AND active = 1";

/*
 * Make room for one more element in *arr (of *cap elements of `size` bytes, *n used), doubling
 * up to ROWS_MAX. Returns a pointer to the new element, or NULL when out of memory or full.
 */
static void *grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n >= ROWS_MAX)
		return NULL;
	if (n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, nc * size);
		if (!p)
			return NULL;
		*arr = p;
		*cap = nc;
	}
	char *slot = (char *)*arr + n * size;
	memset(slot, 0, size);
	return slot;
}

/* Finish a multi-row read: 0 when the statement ran to the end, otherwise free *arr and -1. */
static int finish_rows(sqlite3_stmt *s, int rc, void **arr, size_t *n)
{
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	free(*arr);
	*arr = NULL;
	*n = 0;
	return -1;
}

int store_config_version(struct store *st, int64_t *version)
{
	return store_number(store_prepare(st, SQL_VERSION), version);
}

int store_config_version_bump(struct store *st, int64_t expected, int64_t *version)
{
	sqlite3_stmt *s = store_prepare(st, SQL_VERSION_BUMP);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, expected);
	if (store_done(st, s) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) != 1)
		return STORE_CONFLICT;
	*version = expected + 1;
	return 0;
}

int store_config_codes(struct store *st, const char *list, struct config_code **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_CODES);
	if (!s)
		return -1;
	store_text(s, 1, list);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct config_code *c = grow((void **)out, &cap, *n, sizeof **out);
		if (!c) {
			rc = SQLITE_NOMEM;
			break;
		}
		store_col(s, 0, c->code, sizeof c->code);
		store_col(s, 1, c->label, sizeof c->label);
		store_col(s, 2, c->extra, sizeof c->extra);
		c->active = sqlite3_column_int(s, 3) != 0;
		c->sort = sqlite3_column_int(s, 4);
		(*n)++;
	}
	return finish_rows(s, rc, (void **)out, n);
}

int store_config_code_put(struct store *st, const char *list, const struct config_code *c)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CODE_PUT);
	if (!s)
		return -1;
	store_text(s, 1, list);
	store_text(s, 2, c->code);
	store_text(s, 3, c->label);
	store_text(s, 4, c->extra);
	sqlite3_bind_int(s, 5, c->sort);
	sqlite3_bind_int(s, 6, c->active ? 1 : 0);
	return store_done(st, s);
}

/* One practice_standards row (the column order of SQL_STANDARDS) into *o. */
static void standard_row(sqlite3_stmt *s, struct config_standard *o)
{
	memset(o, 0, sizeof *o);
	store_col(s, 0, o->code, sizeof o->code);
	store_col(s, 1, o->name, sizeof o->name);
	store_col(s, 2, o->start_event, sizeof o->start_event);
	store_col(s, 3, o->end_event, sizeof o->end_event);
	o->limit_value = sqlite3_column_int(s, 4);
	store_col(s, 5, o->limit_unit, sizeof o->limit_unit);
	store_col(s, 6, o->applies_to, sizeof o->applies_to);
	o->repeats = sqlite3_column_int(s, 7) != 0;
	o->active = sqlite3_column_int(s, 8) != 0;
	o->sort = sqlite3_column_int(s, 9);
}

int store_config_standards(struct store *st, struct config_standard **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_STANDARDS);
	if (!s)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct config_standard *c = grow((void **)out, &cap, *n, sizeof **out);
		if (!c) {
			rc = SQLITE_NOMEM;
			break;
		}
		standard_row(s, c);
		(*n)++;
	}
	return finish_rows(s, rc, (void **)out, n);
}

int store_config_standard_get(struct store *st, const char *code, struct config_standard *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_STANDARD_ONE);
	if (!s)
		return -1;
	store_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		standard_row(s, out);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_config_standard_set(struct store *st, const char *code, int limit_value, const char *limit_unit,
			      int active)
{
	sqlite3_stmt *s = store_prepare(st, SQL_STANDARD_SET);
	if (!s)
		return -1;
	store_text(s, 1, code);
	sqlite3_bind_int(s, 2, limit_value);
	store_text(s, 3, limit_unit);
	sqlite3_bind_int(s, 4, active ? 1 : 0);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_NOTFOUND;
}

int store_config_holidays(struct store *st, struct config_holiday **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_HOLIDAYS);
	if (!s)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct config_holiday *h = grow((void **)out, &cap, *n, sizeof **out);
		if (!h) {
			rc = SQLITE_NOMEM;
			break;
		}
		store_col(s, 0, h->date, sizeof h->date);
		store_col(s, 1, h->name, sizeof h->name);
		(*n)++;
	}
	return finish_rows(s, rc, (void **)out, n);
}

int store_config_holiday_count(struct store *st, int64_t *count)
{
	sqlite3_stmt *s = store_prepare(st, SQL_HOLIDAY_COUNT);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_config_holiday_insert(struct store *st, const char *date, const char *name)
{
	sqlite3_stmt *s = store_prepare(st, SQL_HOLIDAY_INSERT);
	if (!s)
		return -1;
	store_text(s, 1, date);
	store_text(s, 2, name);
	return store_done(st, s);
}

int store_config_holiday_delete(struct store *st, const char *date)
{
	sqlite3_stmt *s = store_prepare(st, SQL_HOLIDAY_DELETE);
	if (!s)
		return -1;
	store_text(s, 1, date);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_NOTFOUND;
}

/* One risk_tools row (the first eight columns of SQL_TOOLS) into *o. */
static void tool_row(sqlite3_stmt *s, struct config_risk_tool *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	store_col(s, 1, o->code, sizeof o->code);
	o->version = sqlite3_column_int(s, 2);
	store_col(s, 3, o->name, sizeof o->name);
	o->example = sqlite3_column_int(s, 4) != 0;
	o->active = sqlite3_column_int(s, 5) != 0;
	o->created_at = sqlite3_column_int64(s, 6);
	o->created_by = sqlite3_column_int64(s, 7);
}

int store_config_risk_tools(struct store *st, struct config_risk_tool **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_TOOLS);
	if (!s)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct config_risk_tool *t = grow((void **)out, &cap, *n, sizeof **out);
		if (!t) {
			rc = SQLITE_NOMEM;
			break;
		}
		tool_row(s, t);
		(*n)++;
	}
	return finish_rows(s, rc, (void **)out, n);
}

int store_config_risk_tool_get(struct store *st, int64_t id, struct config_risk_tool *out, char **definition)
{
	*definition = NULL;
	sqlite3_stmt *s = store_prepare(st, SQL_TOOL_ONE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	int ret = rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	if (rc == SQLITE_ROW) {
		tool_row(s, out);
		const unsigned char *text = sqlite3_column_text(s, 8);
		*definition = strdup(text ? (const char *)text : "");
		ret = *definition ? 0 : -1;
	}
	sqlite3_reset(s);
	return ret;
}

int store_config_risk_tool_versions(struct store *st, const char *code, int version, int *latest, int *has)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TOOL_VERSIONS);
	if (!s)
		return -1;
	store_text(s, 1, code);
	sqlite3_bind_int(s, 2, version);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*latest = sqlite3_column_int(s, 0);
		*has = sqlite3_column_int(s, 1) > 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_config_risk_tool_insert(struct store *st, const char *code, int version, const char *name,
				  const char *definition, int64_t by, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TOOL_INSERT);
	if (!s)
		return -1;
	store_text(s, 1, code);
	sqlite3_bind_int(s, 2, version);
	store_text(s, 3, name);
	store_text(s, 4, definition);
	sqlite3_bind_int64(s, 5, store_now());
	sqlite3_bind_int64(s, 6, by);
	int rc = store_done(st, s);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return rc;
}

int store_config_risk_tool_retire(struct store *st, const char *code, int version, int *n)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TOOL_RETIRE);
	if (!s)
		return -1;
	store_text(s, 1, code);
	sqlite3_bind_int(s, 2, version);
	int rc = store_done(st, s);
	if (rc == 0)
		*n = sqlite3_changes(store_db(st));
	return rc;
}
