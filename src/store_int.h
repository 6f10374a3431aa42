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

/* store_done - step a statement that returns no rows: 0, STORE_CONFLICT on a constraint, -1. */
int store_done(struct store *st, sqlite3_stmt *s);

#endif
