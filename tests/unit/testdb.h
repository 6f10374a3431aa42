/*
 * testdb.h - a fresh database file for a unit test, removed afterwards.
 * Header-only so each test program stays one file plus this.
 */
#ifndef SAFEHUB_TESTDB_H
#define SAFEHUB_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store.h"

/* Column 0 of the first row of sql, read on a connection of its own to the database at path, into
 * out ("" when there is no row or it is NULL). Fails the test on a bad statement. */
static inline void testdb_query_text(const char *path, const char *sql, char *out, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	out[0] = 0;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* A new database in a fresh temp file; path gets its name (cap 64). Fails the test on error. */
static inline struct store *testdb_open(char path[64])
{
	snprintf(path, 64, "/tmp/safehub-unit-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	close(fd);
	unlink(path);
	char err[256];
	struct store *st = store_open(path, true, err, sizeof err);
	if (!st)
		fprintf(stderr, "testdb_open: %s\n", err);
	return st;
}

/* Close and remove the database and its WAL files. */
static inline void testdb_close(struct store *st, const char *path)
{
	store_close(st);
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* A user added straight to the store (no password hashing cost). */
static inline int testdb_user(struct store *st, const char *name, const char *role, struct user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->username, sizeof u->username, "%s", name);
	snprintf(u->display_name, sizeof u->display_name, "%s", name);
	snprintf(u->role, sizeof u->role, "%s", role);
	return store_user_insert(st, u, "$argon2id$v=19$m=65536,t=2,p=1$notarealhash$notarealhash");
}

#endif
