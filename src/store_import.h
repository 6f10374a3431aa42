/*
 * store_import.h - the SQL side of imports (sql/004_missing.sql `imports`): recording an import
 * run and its counts, and the sure-key person look-ups an import makes before it asks the
 * matcher (a person's NHS number or local-authority id, following merges to the survivor).
 * Follows store.h's return convention: 0, STORE_NOTFOUND, STORE_CONFLICT, -1.
 * Owns: these statements. Must not touch: HTTP, the import's rules (import_missing.c), the
 * persons and match_reviews tables except to read them.
 */
#ifndef SAFEHUB_STORE_IMPORT_H
#define SAFEHUB_STORE_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

struct store;

/* The counts of an import run, as the imports row keeps them. */
struct store_import_counts {
	long rows;       /* data rows read (the header is not one) */
	long added;      /* episodes created */
	long updated;    /* existing episodes changed */
	long unchanged;  /* existing episodes the row did not change */
	long review;     /* rows held in the review queue */
	const char *sha256; /* the file's hex SHA-256 (hashed while the rows were read) */
};

/*
 * store_import_insert - insert an imports row of `kind` ("missing") for file `filename` ("" when
 * not known), all counts 0 and no hash yet (store_import_finish sets them), made by user `by` at
 * `now`; *id gets its id. 0 or -1.
 */
int store_import_insert(struct store *st, const char *kind, const char *filename, int64_t by, int64_t now,
			int64_t *id);

/* store_import_finish - set the counts and hash of import `id`. 0, STORE_NOTFOUND, -1. */
int store_import_finish(struct store *st, int64_t id, const struct store_import_counts *c);

/*
 * store_import_person_by_nhs / store_import_person_by_la_id - the person holding this NHS number
 * (10 digits) or local-authority id: one not merged into another first, lowest id first; a merged
 * one is followed to the person it was merged into (up to 16 hops). *id gets the person.
 * 0, STORE_NOTFOUND (nobody holds it, or "" was given), -1.
 */
int store_import_person_by_nhs(struct store *st, const char *nhs_number, int64_t *id);
int store_import_person_by_la_id(struct store *st, const char *la_id, int64_t *id);

/* store_import_persons - the highest person id (about how many persons the hub holds), into *n.
 * 0 or -1. */
int store_import_persons(struct store *st, int64_t *n);

/*
 * store_import_identifiers - every NHS number and local-authority id the persons hold, for a file
 * large enough that one walk costs less than a look-up per child: fn(ctx, kind, value, id) with
 * kind 'n' (NHS number) or 'l' (LA id), value as stored and id the person it leads to. Each
 * value's holders come in the order store_import_person_by_* prefers them (unmerged first, then
 * lowest id) and a merged holder leads to the person it was merged into, so the first call for
 * a value gives what they would. A non-zero return from fn stops the walk and is returned.
 * 0 or -1.
 */
int store_import_identifiers(struct store *st, int (*fn)(void *ctx, char kind, const char *value, int64_t id),
			     void *ctx);

/* store_import_episodes - how many missing episodes the hub holds, into *n. 0 or -1. */
int store_import_episodes(struct store *st, int64_t *n);

/*
 * store_import_keys - call fn(ctx, police_force, police_ref, id) for every episode that has a
 * police_ref (in key order); a non-zero return from fn stops the walk and is returned. 0 or -1.
 */
int store_import_keys(struct store *st, int (*fn)(void *ctx, const char *force, const char *ref, int64_t id),
		      void *ctx);

/*
 * The bulk mode of a large import (store_import_bulk_begin). What it drops, and why each may go:
 * the index of missing_episodes that only the hub's reads use (missing_mfh) or
 * that the import reads only after its rows (missing_person: missing_batch_finish), and the
 * trigger mfh_gen_episode_insert (the dashboard's data generation, bumped once instead). Rows
 * inserted into a b-tree at random places cost several times what building the index once in
 * order costs (docs/benchmarks.md). Each build reads the whole table, so an index few of the
 * rows enter stays: missing_now (open episodes only), and the clocks' indexes (an import's
 * history starts no clocks: missing.c).
 */
struct store_import_bulk;

/*
 * store_import_bulk_begin - inside the import's transaction, keep the SQL text of the objects
 * listed above (sqlite_schema) and drop them. Other connections see nothing until the commit (a
 * rollback brings them back); this connection's cached statements are prepared again by SQLite.
 * *out is malloc'd: store_import_bulk_end then store_import_bulk_free. 0 or -1.
 */
int store_import_bulk_begin(struct store *st, struct store_import_bulk **out);

/*
 * store_import_bulk_end - create again what store_import_bulk_begin dropped, from the same SQL
 * text, and add one to mfh_generation when its trigger was dropped (rows were inserted). Before
 * the commit, and before anything that reads missing_person. 0 or -1.
 */
int store_import_bulk_end(struct store *st, struct store_import_bulk *b);

/* store_import_bulk_free - free b (NULL is ignored). */
void store_import_bulk_free(struct store_import_bulk *b);

/*
 * store_import_cache - let this connection keep up to `mib` MiB of database pages in memory
 * (PRAGMA cache_size), for a long import whose indexes outgrow the default cache, and sort with
 * a second thread when it builds an index (PRAGMA threads = 2: the bulk mode's index builds take
 * a fifth less time). For a connection of its own (the command line). 0 or -1.
 */
int store_import_cache(struct store *st, int mib);

/*
 * store_import_foreign_keys - switch SQLite's foreign-key checks on or off for this connection
 * (PRAGMA foreign_keys), outside any transaction (inside one SQLite ignores it). For a large
 * command-line import, whose every id it writes it read or made in the same transaction: the
 * checks are a look-up per reference, about 4 s a million episodes (docs/benchmarks.md).
 * 0 or -1 (also when a transaction is open).
 */
int store_import_foreign_keys(struct store *st, bool on);

/*
 * store_import_review_pending - whether the review queue holds a pending row of `kind` whose
 * police_force and police_ref members are these (a re-imported row is not queued twice).
 * *pending gets the answer. 0 or -1.
 */
int store_import_review_pending(struct store *st, const char *kind, const char *force, const char *ref,
				bool *pending);

#endif
