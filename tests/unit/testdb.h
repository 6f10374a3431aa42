/*
 * testdb.h - a fresh database file for a unit test, removed afterwards.
 * Header-only so each test program stays one file plus this.
 */
#ifndef SAFEHUB_TESTDB_H
#define SAFEHUB_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

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
