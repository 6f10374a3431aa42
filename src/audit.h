/*
 * audit.h - the tamper-evident audit trail: who did what to which record, and when.
 * Every entry carries the previous entry's hash and its own SHA-256 over a canonical encoding,
 * so editing, deleting, reordering or cutting entries is caught by audit_verify().
 * Changes are audited in the same transaction as the change (audit_record). Views are
 * group-committed by one writer thread (audit_view): the request that caused the view waits for
 * the commit before it answers, so an answered view is always on record. When another process
 * holds the write lock for more than a second (a large import), the writer puts the batch in a
 * journal beside the database ("<db>-views", fsync'd, each entry numbered) instead, answers, and
 * appends the journal to the trail, in order, once the lock is free (and at the next start if
 * the server stops first); audit_journal.replayed (sql/011), moved in the same transaction,
 * keeps an entry from being appended twice.
 * Owns: the entry's encoding and hashing, the writer thread, the verifier.
 * Must not touch: HTTP, SQL text (store.c does the SQL).
 */
#ifndef SAFEHUB_AUDIT_H
#define SAFEHUB_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

/* One audit entry. Strings are NUL-terminated; "" when not applicable. */
struct audit_entry {
	int64_t seq;            /* gap-free sequence number, assigned on append */
	int64_t at;             /* UTC seconds */
	int64_t user_id;        /* 0 when nobody is signed in */
	char username[65];
	char role[16];
	char agency[101];
	char action[48];        /* "person.view", "session.signin", ... */
	char object_type[24];   /* "person", "user", "session", "" */
	char object_id[24];     /* the object's id as text */
	char outcome[16];       /* "ok", "denied", "failed", "error" */
	char detail[256];       /* never personal data: counts, field names, reasons */
	char prev_hash[65];     /* hex SHA-256 of the previous entry, 64 zeros for the first */
	char hash[65];          /* hex SHA-256 of this entry */
};

/*
 * audit_fill - fill the who/what part of *e: at = now, the user's id/name/role/agency (user
 * may be NULL), action, object type and id (id <= 0 gives ""), outcome, and detail ("" allowed).
 */
void audit_fill(struct audit_entry *e, const struct user *user, const char *action,
		const char *object_type, int64_t object_id, const char *outcome, const char *detail);

/*
 * audit_hash - compute the hex SHA-256 of e (all fields but hash, prev_hash included) into
 * out[65]. The encoding is each field as "<decimal byte length>:<bytes>;" in column order:
 * seq, at, user_id, username, role, agency, action, object_type, object_id, outcome, detail,
 * prev_hash. Integers are written in decimal.
 */
void audit_hash(const struct audit_entry *e, char out[65]);

/*
 * audit_record - append e inside the caller's open write transaction: takes the head from
 * audit_head, sets seq and prev_hash, computes hash, inserts, moves the head.
 * Returns 0, -1 on a store error (the caller must roll back).
 */
int audit_record(struct store *st, struct audit_entry *e);

/*
 * audit_record_now - audit_record in a transaction of its own (BEGIN IMMEDIATE .. COMMIT).
 */
int audit_record_now(struct store *st, struct audit_entry *e);

/*
 * Callback run by the writer thread after the batch holding an entry has committed
 * (ok = true) or failed (ok = false).
 */
typedef void (*audit_done_fn)(void *arg, bool ok);

/*
 * audit_writer_start - start the group-commit writer thread on its own connection to `path`.
 * Returns 0 or -1. audit_writer_stop flushes what is queued and joins the thread.
 */
int audit_writer_start(const char *path);
void audit_writer_stop(void);

/*
 * audit_view - queue e for the writer; `done(arg, ok)` is called from the writer thread once
 * the entry's batch is committed. The entry is copied. Without a running writer the entry is
 * recorded at once on `st` and done is called before return. Returns 0, -1 when the queue is
 * full (the caller answers 503 and shows nothing).
 */
int audit_view(struct store *st, const struct audit_entry *e, audit_done_fn done, void *arg);

/*
 * audit_verify - walk the chain from seq 1: every seq present and consecutive, every
 * prev_hash equal to the previous entry's hash, every hash recomputed equal, and the last
 * entry equal to audit_head. Returns the number of entries (>= 0) when the chain is whole, or
 * -1 with *bad_seq set to the first sequence number that fails and why[cap] explaining.
 */
int64_t audit_verify(struct store *st, int64_t *bad_seq, char *why, size_t cap);

#endif
