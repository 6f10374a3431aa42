/*
 * mfh_cache.c - the MFH dashboard's cache of statistics. See mfh_cache.h.
 *
 * A small array of entries searched linearly (a few hundred at most: a lookup compares the
 * generation first, so it costs far less than a microsecond), each with the tick of its last use;
 * the least recently used is the one with the smallest tick.
 * Owns: the cache's memory and its mutex. Must not touch: the store, HTTP, JSON.
 */
#include "mfh_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	int64_t generation;
	struct mfh_filter filter;
	char month[12], current[12];
	int64_t *named;
	size_t n_named;
	struct mfh_cached v;
	uint64_t used;          /* tick of the last get or put */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries[MFH_CACHE_ENTRIES];
static size_t n_entries;
static size_t bytes;        /* of the awaiting lists kept */
static uint64_t tick;

static size_t entry_bytes(const struct entry *e)
{
	return e->v.n_awaiting * sizeof *e->v.awaiting + e->n_named * sizeof *e->named;
}

static bool filter_eq(const struct mfh_filter *a, const struct mfh_filter *b)
{
	return strcmp(a->team, b->team) == 0 && strcmp(a->locality, b->locality) == 0 &&
	       a->looked_after == b->looked_after && strcmp(a->age_band, b->age_band) == 0 &&
	       a->age_min == b->age_min && a->age_max == b->age_max && strcmp(a->sex, b->sex) == 0;
}

static bool matches(const struct entry *e, const struct mfh_cache_key *k)
{
	return e->generation == k->generation && e->n_named == k->n_named && strcmp(e->month, k->month) == 0 &&
	       strcmp(e->current, k->current) == 0 && filter_eq(&e->filter, k->filter) &&
	       (k->n_named == 0 || memcmp(e->named, k->named, k->n_named * sizeof *k->named) == 0);
}

/* Remove entries[i] (lock held). */
static void drop(size_t i)
{
	struct entry *e = entries[i];
	bytes -= entry_bytes(e);
	free(e->named);
	free(e->v.awaiting);
	free(e);
	entries[i] = entries[--n_entries];
	entries[n_entries] = NULL;
}

static bool copy_kept(struct mfh_kept **to, const struct mfh_kept *from, size_t n)
{
	*to = NULL;
	if (!n)
		return true;
	*to = malloc(n * sizeof **to);
	if (!*to)
		return false;
	memcpy(*to, from, n * sizeof **to);
	return true;
}

bool mfh_cache_get(const struct mfh_cache_key *k, struct mfh_cached *out)
{
	bool found = false;
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_entries; i++) {
		struct entry *e = entries[i];
		if (!matches(e, k))
			continue;
		*out = e->v;
		found = copy_kept(&out->awaiting, e->v.awaiting, e->v.n_awaiting);
		if (found)
			e->used = ++tick;
		else
			memset(out, 0, sizeof *out);
		break;
	}
	pthread_mutex_unlock(&lock);
	return found;
}

void mfh_cache_put(const struct mfh_cache_key *k, const struct mfh_cached *v)
{
	if (strlen(k->month) >= sizeof ((struct entry *)0)->month ||
	    strlen(k->current) >= sizeof ((struct entry *)0)->current)
		return;
	struct entry *e = calloc(1, sizeof *e);
	if (!e)
		return;
	e->generation = k->generation;
	e->filter = *k->filter;
	strcpy(e->month, k->month);
	strcpy(e->current, k->current);
	e->v = *v;
	e->n_named = k->n_named;
	e->named = k->n_named ? malloc(k->n_named * sizeof *e->named) : NULL;
	if ((k->n_named && !e->named) || !copy_kept(&e->v.awaiting, v->awaiting, v->n_awaiting)) {
		free(e->named);
		free(e);
		return;
	}
	if (k->n_named)
		memcpy(e->named, k->named, k->n_named * sizeof *e->named);
	size_t need = entry_bytes(e);
	if (need > MFH_CACHE_BYTES) {
		free(e->named);
		free(e->v.awaiting);
		free(e);
		return;
	}
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_entries;) {
		if (entries[i]->generation < k->generation || matches(entries[i], k))
			drop(i);
		else
			i++;
	}
	while (n_entries > 0 && (n_entries == MFH_CACHE_ENTRIES || bytes + need > MFH_CACHE_BYTES)) {
		size_t lru = 0;
		for (size_t i = 1; i < n_entries; i++)
			if (entries[i]->used < entries[lru]->used)
				lru = i;
		drop(lru);
	}
	e->used = ++tick;
	entries[n_entries++] = e;
	bytes += need;
	pthread_mutex_unlock(&lock);
}

void mfh_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	while (n_entries)
		drop(n_entries - 1);
	pthread_mutex_unlock(&lock);
}

size_t mfh_cache_entries(void)
{
	pthread_mutex_lock(&lock);
	size_t n = n_entries;
	pthread_mutex_unlock(&lock);
	return n;
}
