/*
 * store.h - the only place with SQL. A `struct store` is one SQLite connection (WAL,
 * synchronous=FULL, foreign keys on, busy timeout) with its prepared statements cached.
 * Each server thread has its own (store_thread); the schema is migrated by store_open.
 * Owns: connections, transactions, migrations (embedded sql/NNN_*.sql), every statement.
 * Must not touch: HTTP, jansson outside the JSON text columns, the rules of the domain.
 *
 * Return convention: 0 success, STORE_NOTFOUND (1) no such row, STORE_CONFLICT (2) a uniqueness
 * or version conflict, -1 a database error (store_errmsg says which).
 */
#ifndef SAFEHUB_STORE_H
#define SAFEHUB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "person.h"
#include "user.h"

#define STORE_NOTFOUND 1
#define STORE_CONFLICT 2
#define STORE_BUSY 3     /* another connection held the write lock for the whole wait */

struct store;

/*
 * store_open - open (creating if `create`) the database at path, set the pragmas and apply
 * pending migrations. Returns the connection (free with store_close) or NULL with err set.
 */
struct store *store_open(const char *path, bool create, char *err, size_t errcap);

/* store_close - finalize statements and close. NULL is fine. */
void store_close(struct store *st);

/* store_errmsg - the last SQLite error on this connection. */
const char *store_errmsg(struct store *st);

/* store_schema_version - the applied schema version, or -1. */
int store_schema_version(struct store *st);

/*
 * store_set_path / store_thread / store_close_all - per-thread connections for the server:
 * store_thread returns this thread's connection to the path given to store_set_path, opening it
 * on first use (NULL on failure). store_close_all closes every one of them (at shutdown only).
 */
void store_set_path(const char *path);

/*
 * store_checkpointer_start - for the server: connections opened from now on do not checkpoint the
 * WAL themselves (PRAGMA wal_autocheckpoint = 0); a background thread with its own connection runs
 * a passive checkpoint four times a second instead, so that no commit (and no view waiting on
 * its audit entry) stalls behind copying pages into the database file. Durability is unchanged:
 * every commit still syncs the WAL. 0, or -1 when its connection or thread cannot start.
 * store_checkpointer_stop - stop it, with a last passive checkpoint. Safe when not started.
 */
int store_checkpointer_start(const char *path);
void store_checkpointer_stop(void);
struct store *store_thread(void);
void store_close_all(void);

/* Transactions. store_begin(write) is BEGIN IMMEDIATE for writes, BEGIN for reads. */
int store_begin(struct store *st, bool write);

/*
 * store_begin_within - BEGIN IMMEDIATE, waiting at most `ms` milliseconds for another
 * connection's write lock (store_begin waits 10 s). 0, STORE_BUSY, or -1.
 */
int store_begin_within(struct store *st, int ms);
/* store_in_transaction - whether this connection is inside a transaction (BEGIN without its end). */
bool store_in_transaction(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* store_now - the current UTC time in seconds: the real clock, or the time store_set_now gave. */
int64_t store_now(void);

/* store_set_now - pin the clock (unit tests of timeouts); 0 returns to the real clock. */
void store_set_now(int64_t t);

/* store_backup - online backup of this connection's database to `to` (SQLite backup API). */
int store_backup(struct store *st, const char *to, char *err, size_t errcap);

/*
 * store_integrity - run PRAGMA integrity_check, then PRAGMA foreign_key_check (a reference to a
 * row that is not there: a large import writes without SQLite's checks, cmd_import.c). 0 when
 * both find nothing; else -1 with msg saying the first problem ("row 7 of missing_episodes
 * refers to a persons row that does not exist").
 */
int store_integrity(struct store *st, char *msg, size_t cap);

/* ---- users ---- */
int store_user_insert(struct store *st, struct user *u, const char *password_hash);
/* hash may be NULL; else gets the argon2id string (hcap >= 128). */
int store_user_by_name(struct store *st, const char *username, struct user *u, char *hash, size_t hcap);
int store_user_by_id(struct store *st, int64_t id, struct user *u);
int store_user_set_failures(struct store *st, int64_t id, int failed_count, int64_t locked_until);
int store_user_set_disabled(struct store *st, int64_t id, bool disabled);
/* *out is calloc'd, caller frees. */
int store_user_list(struct store *st, struct user **out, int *n);

/* ---- sessions ---- */
struct store_session {
	int64_t user_id;
	char csrf_token[64];
	int64_t created_at, last_seen, expires_at;
};
int store_session_insert(struct store *st, const unsigned char token_hash[32], const struct store_session *s);
int store_session_get(struct store *st, const unsigned char token_hash[32], struct store_session *s);
/* store_session_touch - set last_seen; never waits for another connection's write lock:
 * STORE_BUSY when it is held (the touch is skipped), else 0 or -1. */
int store_session_touch(struct store *st, const unsigned char token_hash[32], int64_t now);
int store_session_delete(struct store *st, const unsigned char token_hash[32]);
int store_session_delete_user(struct store *st, int64_t user_id);

/* ---- persons ---- */
/* Inserts p (sets p->id), its name index and its access list (user ids resolved by name:
 * STORE_NOTFOUND when a restricted_to username is unknown, *bad gets its index). */
int store_person_insert(struct store *st, struct person *p, int64_t by, int *bad);
int store_person_get(struct store *st, int64_t id, struct person *p);
/* Replaces the row when version matches (STORE_CONFLICT otherwise); bumps p->version. */
int store_person_update(struct store *st, struct person *p, int64_t by, int *bad);
/* restricted flag of person id (STORE_NOTFOUND when none). */
int store_person_restricted(struct store *st, int64_t id, bool *restricted);
/* 0 when user is in the person's access list, STORE_NOTFOUND otherwise. */
int store_person_access_has(struct store *st, int64_t person_id, int64_t user_id);
/* Matches for q visible to user_id; *out calloc'd (caller frees). */
int store_person_search(struct store *st, const struct person_query *q, int64_t user_id,
			struct person_summary **out, int *n, int64_t *total);

/* ---- practice standards and clocks (store_clock.c) ---- */
struct clock_standard;
struct clock;
struct calendar;
/* The standard `code` (active or not). STORE_NOTFOUND when there is none. */
int store_standard_get(struct store *st, const char *code, struct clock_standard *out);
/* Fill c with every configured bank holiday. */
int store_holidays_load(struct store *st, struct calendar *c);
/* Whether a running clock exists for (standard, subject_type, subject_id): 0 yes, STORE_NOTFOUND no. */
int store_clock_running(struct store *st, const char *standard, const char *subject_type, int64_t subject_id);
int store_clock_insert(struct store *st, const struct clock *c);
/* Stop running clocks of (standard, subject); counts into *stopped and *breached. */
int store_clock_stop(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
		     int64_t at, int *stopped, int *breached);
int store_clock_cancel_case(struct store *st, int64_t case_id, int64_t at);
int store_clock_reassign_case(struct store *st, int64_t case_id, const char *team, int64_t worker_id);

/* ---- audit ---- */
int store_audit_head(struct store *st, int64_t *seq, char hash[65]);
int store_audit_append(struct store *st, const struct audit_entry *e);
/* store_audit_journal_get / _set - the number of the last view-journal entry appended to the
 * trail (sql/011); set inside the transaction that appends them. 0 or -1. */
int store_audit_journal_get(struct store *st, int64_t *replayed);
int store_audit_journal_set(struct store *st, int64_t replayed);

/* A filter on the audit trail; zero/empty members are not used. */
struct store_audit_filter {
	char username[65];
	char object_type[24];
	char object_id[24];
	int64_t from, to;          /* at >= from, at < to */
	int64_t before;            /* seq < before */
	int limit;                 /* 1..500 */
};
/* Newest first; *out calloc'd (caller frees). */
int store_audit_query(struct store *st, const struct store_audit_filter *f, struct audit_entry **out, int *n);
/*
 * store_audit_walk - call fn for each entry in seq order from seq 1; stops when fn returns
 * non-zero (returns that value). Returns 0 when all were visited, -1 on a store error.
 */
int store_audit_walk(struct store *st, int (*fn)(void *ctx, const struct audit_entry *e), void *ctx);

#endif
