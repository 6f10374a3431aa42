/*
 * store_int.h - what the store_*.c files share and nobody else may use: the raw connection,
 * a per-connection cache of prepared statements keyed by their (static) SQL text, and binding
 * helpers. Only store.c and store_*.c include this; the rest of the program sees store.h.
 */
#ifndef SAFEHUB_STORE_INT_H
#define SAFEHUB_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

#define STORE_CACHE_SLOTS 512

/* store_db - the connection's sqlite3 handle. */
sqlite3 *store_db(struct store *st);

/*
 * store_prepare - the prepared statement for `sql`, which must be a string with static storage
 * (it is cached by address). Reset and with bindings cleared; NULL on a prepare error.
 * The store owns it: do not finalize.
 */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* store_text - bind text (copied). */
void store_text(sqlite3_stmt *s, int i, const char *v);

/* store_col - copy column i's text into out (cap bytes, "" for NULL). */
void store_col(sqlite3_stmt *s, int i, char *out, size_t cap);

/* store_number - step s (NULL: -1), a statement of one row, for its first column as a number
 * into *out (0 when no row), and reset it. 0 with a row, -1 otherwise. */
int store_number(sqlite3_stmt *s, int64_t *out);

/* store_done - step a statement that returns no rows: 0, STORE_CONFLICT on a constraint, -1. */
int store_done(struct store *st, sqlite3_stmt *s);

/*
 * Rows held in C memory that one INSERT ... SELECT reads through the table-valued function
 * store_rows (store_rows.c): `SELECT c0, c1, ... FROM store_rows(?1)` with ?1 bound by
 * sqlite3_bind_pointer(s, 1, rows, STORE_ROWS_POINTER, NULL). The caller keeps rows alive until
 * the statement is reset.
 */
#define STORE_ROWS_COLUMNS 40
#define STORE_ROWS_POINTER "safehub_store_rows"
struct store_rows {
	size_t n;   /* rows 0 .. n-1 */
	void *ctx;  /* passed to column */
	/* Give column col (0 .. STORE_ROWS_COLUMNS-1) of row i with sqlite3_result_* (text may be
	 * SQLITE_STATIC: it lives as long as rows). A column it does not set reads NULL. */
	void (*column)(void *ctx, size_t i, int col, sqlite3_context *out);
};

/* store_rows_register - add the module store_rows to connection db (store_open does). 0 or -1. */
int store_rows_register(sqlite3 *db);

#endif
