/*
 * mfh_cache.h - the MFH dashboard's cache of statistics (docs/api-missing.md, "The MFH
 * dashboard"): the by-month, this-month and 12-month statistics and the set of episodes awaiting
 * their RHI depend only on the data, the filters, the month asked for, the current month and
 * which restricted persons the user may see - never on the time of day - so an answer computed
 * once is kept in process memory and served again while none of those has changed.
 *
 * The data is named by its generation (sql/006_mfh_generation.sql: a number that triggers bump on
 * every write that can change a dashboard number), read in the request's own transaction, so an
 * entry is never served for data other than the data it was computed from. Who may see what is
 * named by the sorted ids of the restricted persons whose access list names the user: with the
 * data fixed, they decide exactly which persons are hidden.
 *
 * Bounded (MFH_CACHE_ENTRIES entries, MFH_CACHE_BYTES bytes of awaiting lists; least recently used
 * out first) and thread-safe (one mutex; the server answers on several threads). Entries of older
 * generations are dropped when one of a newer generation is stored.
 * Owns: the cache's memory. Must not touch: the store, HTTP, JSON, the rules (mfh.h).
 */
#ifndef SAFEHUB_MFH_CACHE_H
#define SAFEHUB_MFH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mfh.h"

#define MFH_CACHE_ENTRIES 256
#define MFH_CACHE_BYTES (32u * 1024u * 1024u)

/* An episode a list keeps for sorting: its sort key, id and person. */
struct mfh_kept {
	int64_t key;        /* sorted descending: started_at (lists), RHI due time (awaiting) */
	int64_t id, person_id;
};

/* What an entry is for. The ids are the caller's (copied by mfh_cache_put). */
struct mfh_cache_key {
	int64_t generation;            /* mfh_generation.n in the request's transaction */
	const struct mfh_filter *filter;
	const char *month;             /* "this month" asked for, YYYY-MM */
	const char *current;           /* the current month (awaiting RHI's window), YYYY-MM */
	const int64_t *named;          /* restricted persons naming the user, ascending */
	size_t n_named;
};

/* What an entry keeps. */
struct mfh_cached {
	struct mfh_stats months[MFH_MONTHS];  /* oldest first */
	struct mfh_stats span;                /* the 12 months together */
	struct mfh_kept *awaiting;            /* every episode awaiting its RHI (key: due time), newest due first */
	size_t n_awaiting;
};

/*
 * mfh_cache_get - the entry for *k into *out (a copy: out->awaiting is allocated, free it with
 * free(); NULL when empty) and marks it the most recently used. False when there is none (or
 * out of memory); *out is then zeroed.
 */
bool mfh_cache_get(const struct mfh_cache_key *k, struct mfh_cached *out);

/*
 * mfh_cache_put - keep a copy of *v for *k, replacing an entry for the same key, dropping every
 * entry of an older generation and then the least recently used until the bounds hold. A value
 * larger than the byte bound alone (or out of memory) is not kept.
 */
void mfh_cache_put(const struct mfh_cache_key *k, const struct mfh_cached *v);

/* mfh_cache_clear - drop every entry (tests). */
void mfh_cache_clear(void);

/* mfh_cache_entries - how many entries are kept (tests). */
size_t mfh_cache_entries(void);

#endif
