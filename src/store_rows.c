/*
 * store_rows.c - the table-valued function store_rows(?1): rows held in C memory, read by one
 * INSERT ... SELECT, so that many rows cost one statement rather than one bind, step and reset
 * each (store_int.h, struct store_rows). An eponymous virtual table: nothing is stored, and
 * only a struct store_rows bound with sqlite3_bind_pointer (type STORE_ROWS_POINTER) can be
 * read, so SQL text cannot name memory.
 * Owns: the module. Must not touch: any table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* A cursor: the rows bound to this scan, and the one it is on. */
struct rows_cursor {
	sqlite3_vtab_cursor base;    /* SQLite's part; must be first */
	const struct store_rows *rows; /* NULL until xFilter is given them */
	size_t at;                   /* the current row */
};

/* The columns c0 .. c(STORE_ROWS_COLUMNS-1), then the hidden argument `rows`. */
static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err)
{
	(void)aux;
	(void)argc;
	(void)argv;
	(void)err;
	char sql[64 + STORE_ROWS_COLUMNS * 5] = "CREATE TABLE x(";
	size_t len = strlen(sql);
	for (int i = 0; i < STORE_ROWS_COLUMNS; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, "c%d,", i);
	snprintf(sql + len, sizeof sql - len, "rows HIDDEN)");
	int rc = sqlite3_declare_vtab(db, sql);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vtab *v = sqlite3_malloc(sizeof *v);
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	*out = v;
	return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *v)
{
	sqlite3_free(v);
	return SQLITE_OK;
}

/* Only a scan given `rows = ?` is possible: without it there is nothing to read. */
static int rows_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
	(void)v;
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		if (c->iColumn == STORE_ROWS_COLUMNS && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->usable) {
			info->aConstraintUsage[i].argvIndex = 1;
			info->aConstraintUsage[i].omit = 1;
			info->estimatedCost = 1000;
			info->estimatedRows = 1000;
			return SQLITE_OK;
		}
	}
	return SQLITE_CONSTRAINT;
}

static int rows_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
	(void)v;
	struct rows_cursor *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*out = &c->base;
	return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv)
{
	(void)idx;
	(void)idx_str;
	struct rows_cursor *c = (struct rows_cursor *)cur;
	c->rows = argc == 1 ? sqlite3_value_pointer(argv[0], STORE_ROWS_POINTER) : NULL;
	c->at = 0;
	return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cur)
{
	((struct rows_cursor *)cur)->at++;
	return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *cur)
{
	const struct rows_cursor *c = (const struct rows_cursor *)cur;
	return !c->rows || c->at >= c->rows->n;
}

static int rows_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct rows_cursor *c = (const struct rows_cursor *)cur;
	if (col >= 0 && col < STORE_ROWS_COLUMNS)
		c->rows->column(c->rows->ctx, c->at, col, ctx);
	else
		sqlite3_result_null(ctx);
	return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid)
{
	*rowid = (sqlite_int64)((const struct rows_cursor *)cur)->at + 1;
	return SQLITE_OK;
}

static const sqlite3_module rows_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only: store_rows(...) exists in every schema, and cannot be created */
	.xConnect = rows_connect,
	.xBestIndex = rows_best_index,
	.xDisconnect = rows_disconnect,
	.xDestroy = rows_disconnect,
	.xOpen = rows_open,
	.xClose = rows_close,
	.xFilter = rows_filter,
	.xNext = rows_next,
	.xEof = rows_eof,
	.xColumn = rows_column,
	.xRowid = rows_rowid,
};

int store_rows_register(sqlite3 *db)
{
	return sqlite3_create_module_v2(db, "store_rows", &rows_module, NULL, NULL) == SQLITE_OK ? 0 : -1;
}
