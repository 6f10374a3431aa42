/*
 * mfh_window.c - the MFH dashboard's recent episodes in memory. See mfh_window.h.
 *
 * The rows are kept sorted by episode id: new episodes have larger ids, so keeping up appends;
 * a changed episode is found by binary search and replaced, or removed when it now starts before
 * the window. Texts (team, locality, sex) are interned: a row holds small numbers, the filter's
 * text is looked up once per scan.
 * Owns: the window's memory and its mutex. Must not touch: SQL, HTTP, JSON.
 */
#include "mfh_window.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "mfh.h"
#include "store.h"
#include "valid.h"

/* How far back the window reaches: the current month and the 23 before it. */
#define WINDOW_MONTHS 24
#define NO_TEXT UINT16_MAX
/* More new or changed episodes than this since the last read: read the window whole instead. */
#define CHANGES_MAX 100000

struct row {
	int64_t id, person_id, started_at, ended_at, offered_at, completed_at;
	uint16_t team, locality, sex;  /* interned texts */
	uint8_t rhi;                   /* bit 0: rhi_by us; bits 1-2: rhi_state (sql/006) */
	uint8_t looked_after;
	char dob[11];                  /* YYYY-MM-DD or "" */
	int32_t start_ymd;             /* the local date of started_at as YYYYMMDD */
	int32_t dob_ymd;               /* dob as YYYYMMDD, 0 when it is not a date */
};

struct flag {
	int64_t person_id, set_at;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool loaded, flags_loaded;
	int64_t from;                  /* episodes that started at or after this are held */
	struct mfh_window_state at;    /* the data's state the window is true to */
	struct row *v;
	size_t n, cap;
	char **text;                   /* interned texts, by number */
	size_t n_text, cap_text;
	struct flag *flags;
	size_t n_flags, cap_flags;
	struct mfh_window_info info;
	bool failed;                   /* out of memory during a read: read again whole next time */
} w;

/* ---- texts ---- */

/* The number of text s, or NO_TEXT when unknown. */
static uint16_t text_find(const char *s)
{
	for (size_t i = 0; i < w.n_text; i++)
		if (strcmp(w.text[i], s) == 0)
			return (uint16_t)i;
	return NO_TEXT;
}

/* The number of text s, added when new; NO_TEXT when out of memory or too many. */
static uint16_t text_intern(const char *s)
{
	uint16_t i = text_find(s);
	if (i != NO_TEXT)
		return i;
	if (w.n_text >= NO_TEXT)
		return NO_TEXT;
	if (w.n_text == w.cap_text) {
		size_t cap = w.cap_text ? w.cap_text * 2 : 32;
		char **v = realloc(w.text, cap * sizeof *v);
		if (!v)
			return NO_TEXT;
		w.text = v;
		w.cap_text = cap;
	}
	char *copy = strdup(s);
	if (!copy)
		return NO_TEXT;
	w.text[w.n_text] = copy;
	return (uint16_t)w.n_text++;
}

static const char *text_of(uint16_t i)
{
	return i < w.n_text ? w.text[i] : "";
}

/* ---- rows ---- */

static void clear(void)
{
	free(w.v);
	for (size_t i = 0; i < w.n_text; i++)
		free(w.text[i]);
	free(w.text);
	free(w.flags);
	struct mfh_window_info info = w.info;
	memset(&w, 0, sizeof w);
	w.info = info;
}

/* The index of the row with id, or where it would go; *found says which. */
static size_t find(int64_t id, bool *found)
{
	size_t lo = 0, hi = w.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w.v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < w.n && w.v[lo].id == id;
	return lo;
}

static int make_row(const struct mfh_episode *e, struct row *r)
{
	*r = (struct row){
		.id = e->id, .person_id = e->person_id, .started_at = e->started_at, .ended_at = e->ended_at,
		.offered_at = e->offered_at, .completed_at = e->completed_at,
		.team = text_intern(e->team), .locality = text_intern(e->locality), .sex = text_intern(e->sex),
		.rhi = (uint8_t)((strcmp(e->rhi_by, "us") == 0) |
				 ((!e->has_rhi ? 0 : strcmp(e->response, "accepted") == 0 ? 2
						  : strcmp(e->response, "declined") == 0 ? 3 : 1) << 1)),
		.looked_after = e->looked_after,
	};
	if (r->team == NO_TEXT || r->locality == NO_TEXT || r->sex == NO_TEXT)
		return -1;
	size_t len = strlen(e->dob);
	if (len < sizeof r->dob)
		memcpy(r->dob, e->dob, len + 1);
	struct valid_date d;
	calendar_local_date(e->started_at, &d);
	r->start_ymd = d.year * 10000 + d.month * 100 + d.day;
	if (valid_parse_date(e->dob, &d))
		r->dob_ymd = d.year * 10000 + d.month * 100 + d.day;
	return 0;
}

/*
 * The row's age in whole years at the start of the episode, or -1 (no date of birth, or born
 * after it): mfh_age_at's answer from integers. YYYYMMDD of the day less YYYYMMDD of the birth,
 * divided by 10,000, is the years completed; a 29 February birthday then falls on 1 March in
 * other years, as valid_age_on has it.
 */
static int row_age(const struct row *r)
{
	if (!r->dob_ymd || r->start_ymd < r->dob_ymd)
		return -1;
	return (r->start_ymd - r->dob_ymd) / 10000;
}

/* Room for one more row; false (and the window marked failed) when out of memory. */
static bool room_for_a_row(void)
{
	if (w.n < w.cap)
		return true;
	size_t cap = w.cap ? w.cap * 2 : 4096;
	struct row *v = realloc(w.v, cap * sizeof *v);
	if (!v) {
		w.failed = true;
		return false;
	}
	w.v = v;
	w.cap = cap;
	return true;
}

/* Append an episode of a whole read (any order: sorted after). */
static int add_row(void *ctx, const struct mfh_episode *e)
{
	(void)ctx;
	if (!room_for_a_row())
		return -1;
	if (make_row(e, &w.v[w.n]) != 0) {
		w.failed = true;
		return -1;
	}
	w.n++;
	return 0;
}

/* An episode added or changed since the last read: put it in its place, or take it out. */
static int put_row(void *ctx, const struct mfh_episode *e)
{
	(void)ctx;
	bool found;
	size_t i = find(e->id, &found);
	if (e->started_at < w.from) {
		if (found) {
			memmove(&w.v[i], &w.v[i + 1], (w.n - i - 1) * sizeof *w.v);
			w.n--;
		}
		return 0;
	}
	struct row r;
	if (make_row(e, &r) != 0) {
		w.failed = true;
		return -1;
	}
	if (found) {
		w.v[i] = r;
		return 0;
	}
	if (!room_for_a_row())
		return -1;
	memmove(&w.v[i + 1], &w.v[i], (w.n - i) * sizeof *w.v);
	w.v[i] = r;
	w.n++;
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int flag_cmp(const void *a, const void *b)
{
	const struct flag *x = a, *y = b;
	if (x->person_id != y->person_id)
		return x->person_id < y->person_id ? -1 : 1;
	return x->set_at < y->set_at ? -1 : x->set_at > y->set_at;
}

static int add_flag(void *ctx, int64_t person_id, int64_t set_at)
{
	(void)ctx;
	if (w.n_flags == w.cap_flags) {
		size_t cap = w.cap_flags ? w.cap_flags * 2 : 1024;
		struct flag *v = realloc(w.flags, cap * sizeof *v);
		if (!v) {
			w.failed = true;
			return -1;
		}
		w.flags = v;
		w.cap_flags = cap;
	}
	w.flags[w.n_flags++] = (struct flag){ person_id, set_at };
	return 0;
}

/* The window's start for a read at time now: local midnight on the first of the month 23 back. */
static int64_t window_start(int64_t now)
{
	int year, month;
	mfh_month_at(now, &year, &month);
	struct mfh_month m;
	mfh_month_make(year, month - (WINDOW_MONTHS - 1), &m);
	return m.from;
}

/*
 * Bring the window up to the data as this connection's transaction sees it (lock held). 0, or -1
 * on a store error or out of memory (the window is then read whole next time).
 */
static int keep_up(struct store *st)
{
	struct mfh_window_state now;
	if (store_mfh_window_state(st, &now) != 0)
		return -1;
	/* Anything going backwards (a database restored from a backup) is read again whole too. */
	bool whole = !w.loaded || w.failed || now.reload != w.at.reload || now.max_id < w.at.max_id ||
		     now.generation < w.at.generation;
	/* After a large import the changes are more than the window: reading it whole is less work. */
	if (!whole && (now.max_id - w.at.max_id > CHANGES_MAX || now.generation - w.at.generation > CHANGES_MAX))
		whole = true;
	if (whole) {
		clear();
		w.from = window_start(store_now());
		w.info.full_reads++;
		if (store_mfh_window_rows(st, MFH_WINDOW_FROM, w.from, 0, add_row, NULL) != 0 || w.failed)
			goto fail;
		if (w.n > 1)
			qsort(w.v, w.n, sizeof *w.v, row_cmp);
		w.loaded = true;
	} else if (now.generation != w.at.generation || now.max_id != w.at.max_id) {
		w.info.change_reads++;
		if (store_mfh_window_rows(st, MFH_WINDOW_CHANGED, w.at.generation, 0, put_row, NULL) != 0 ||
		    store_mfh_window_rows(st, MFH_WINDOW_NEW, w.at.max_id, w.from, put_row, NULL) != 0 || w.failed)
			goto fail;
	}
	if (!w.flags_loaded || now.flags != w.at.flags) {
		w.info.flag_reads++;
		w.n_flags = 0;
		if (store_mfh_repeat_flags(st, add_flag, NULL) != 0 || w.failed)
			goto fail;
		/* By person, as the tally wants them (it then need not sort them each time). */
		if (w.n_flags > 1)
			qsort(w.flags, w.n_flags, sizeof *w.flags, flag_cmp);
		w.flags_loaded = true;
	}
	w.at = now;
	w.info.rows = (int64_t)w.n;
	w.info.from = w.from;
	return 0;
fail:
	w.failed = true;
	return -1;
}

/* keep_up inside one read transaction (unless the caller is in one), so that every read of it sees
 * the same moment. */
static int keep_up_now(struct store *st)
{
	bool own = !store_in_transaction(st);
	if (own && store_begin(st, false) != 0)
		return -1;
	int rc = keep_up(st);
	if (own) {
		if (rc == 0)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	return rc;
}

/* ---- scans ---- */

/*
 * The persons hidden from the scan's user as a bitmap by person id: one load per row, where a
 * binary search of a few thousand hidden ids was a dozen cache misses for each of 100,000 rows.
 */
struct hidden_bits {
	uint64_t *bits;
	int64_t max;          /* the largest hidden id (0: none) */
	const int64_t *ids;   /* ids beyond HIDDEN_BITS_MAX: searched instead (ascending) */
	size_t n;
};
#define HIDDEN_BITS_MAX ((int64_t)1 << 28)  /* a 32 MiB bitmap at most */

/* h from the hidden ids (ascending), which must outlive h. 0, or -1 when out of memory. */
static int hidden_bits_make(const int64_t *ids, size_t n, struct hidden_bits *h)
{
	*h = (struct hidden_bits){ .max = n ? ids[n - 1] : 0, .ids = ids, .n = n };
	if (!n || h->max > HIDDEN_BITS_MAX)
		return 0;
	h->bits = calloc((size_t)(h->max / 64 + 1), sizeof *h->bits);
	if (!h->bits)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ids[i] > 0)
			h->bits[ids[i] / 64] |= (uint64_t)1 << (ids[i] % 64);
	return 0;
}

static bool is_hidden(const struct hidden_bits *h, int64_t person_id)
{
	if (person_id <= 0 || person_id > h->max)
		return false;
	if (h->bits)
		return h->bits[person_id / 64] >> (person_id % 64) & 1;
	size_t lo = 0, hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->ids[mid] < person_id)
			lo = mid + 1;
		else if (h->ids[mid] > person_id)
			hi = mid;
		else
			return true;
	}
	return false;
}

int mfh_window_scan(struct store *st, const struct mfh_scope *sc, int64_t from, int64_t to, mfh_episode_fn fn,
		    void *ctx)
{
	if (from >= to)
		return 0;
	/* A window read now would start here: a scan from before it is SQL's. */
	pthread_mutex_lock(&lock);
	int64_t start = w.loaded ? w.from : window_start(store_now());
	if (from < start) {
		w.info.fallbacks++;
		pthread_mutex_unlock(&lock);
		return store_mfh_scan(st, sc, from, to, fn, ctx);
	}
	pthread_mutex_unlock(&lock);

	int64_t *hidden = NULL;
	size_t n_hidden = 0;
	struct hidden_bits hb;
	if (store_mfh_hidden(st, sc->user_id, &hidden, &n_hidden) != 0)
		return -1;
	if (hidden_bits_make(hidden, n_hidden, &hb) != 0) {
		free(hidden);
		return -1;
	}
	pthread_mutex_lock(&lock);
	int rc = keep_up_now(st);
	if (rc == 0 && from < w.from) {
		/* Read again whole with a later start (a new month): SQL's, as above. */
		w.info.fallbacks++;
		pthread_mutex_unlock(&lock);
		free(hb.bits);
		free(hidden);
		return store_mfh_scan(st, sc, from, to, fn, ctx);
	}
	const struct mfh_filter *f = sc->filter;
	/* The filter as the rows hold it: texts by number, the age band from integers (row_age), which
	 * is mfh_filter_person's rule without a date computed per row. */
	uint16_t team = f->team[0] ? text_find(f->team) : NO_TEXT;
	uint16_t locality = f->locality[0] ? text_find(f->locality) : NO_TEXT;
	uint16_t sex = f->sex[0] ? text_find(f->sex) : NO_TEXT;
	bool none = (f->team[0] && team == NO_TEXT) || (f->locality[0] && locality == NO_TEXT) ||
		    (f->sex[0] && sex == NO_TEXT);
	bool by_age = f->age_min >= 0;
	static const char *const responses[] = { "", "", "accepted", "declined" };
	for (size_t i = 0; rc == 0 && !none && i < w.n; i++) {
		const struct row *r = &w.v[i];
		if (r->started_at < from || r->started_at >= to || (f->team[0] && r->team != team) ||
		    (f->locality[0] && r->locality != locality) ||
		    (f->looked_after >= 0 && r->looked_after != f->looked_after) || (f->sex[0] && r->sex != sex) ||
		    is_hidden(&hb, r->person_id))
			continue;
		if (by_age) {
			int age = row_age(r);
			if (age < f->age_min || age > f->age_max)
				continue;
		}
		int state = r->rhi >> 1 & 3;
		struct mfh_episode e = {
			.id = r->id, .person_id = r->person_id, .started_at = r->started_at, .ended_at = r->ended_at,
			.rhi_by = r->rhi & 1 ? "us" : "other", .missing_from = "", .category = "", .out_of_area = "",
			.team = text_of(r->team), .locality = text_of(r->locality), .grade = "", .given_name = "",
			.family_name = "", .dob = r->dob, .sex = text_of(r->sex), .looked_after = r->looked_after,
			.has_rhi = state != 0, .offered_at = r->offered_at, .completed_at = r->completed_at,
			.response = responses[state],
		};
		if (fn(ctx, &e) != 0)
			break;
	}
	pthread_mutex_unlock(&lock);
	free(hb.bits);
	free(hidden);
	return rc;
}

int mfh_window_repeat_flags(struct store *st, int (*fn)(void *ctx, int64_t person_id, int64_t set_at), void *ctx)
{
	pthread_mutex_lock(&lock);
	int rc = keep_up_now(st);
	for (size_t i = 0; rc == 0 && i < w.n_flags; i++)
		if (fn(ctx, w.flags[i].person_id, w.flags[i].set_at) != 0)
			break;
	pthread_mutex_unlock(&lock);
	return rc;
}

void mfh_window_info(struct mfh_window_info *out)
{
	pthread_mutex_lock(&lock);
	*out = w.info;
	pthread_mutex_unlock(&lock);
}

void mfh_window_reset(void)
{
	pthread_mutex_lock(&lock);
	clear();
	memset(&w.info, 0, sizeof w.info);
	pthread_mutex_unlock(&lock);
}

/* ---- warming up ---- */

static pthread_t warm_thread;
static bool warm_started;

static void *warm(void *arg)
{
	char err[256];
	struct store *st = store_open(arg, false, err, sizeof err);
	free(arg);
	if (!st) {
		fprintf(stderr, "safehub: the MFH dashboard's window: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (keep_up_now(st) != 0)
		fprintf(stderr, "safehub: the MFH dashboard's window: %s (read at the first dashboard instead)\n",
			store_errmsg(st));
	pthread_mutex_unlock(&lock);
	store_close(st);
	return NULL;
}

int mfh_window_warm_start(const char *db)
{
	char *path = strdup(db);
	if (!path)
		return -1;
	if (pthread_create(&warm_thread, NULL, warm, path) != 0) {
		free(path);
		return -1;
	}
	warm_started = true;
	return 0;
}

void mfh_window_warm_join(void)
{
	if (warm_started)
		pthread_join(warm_thread, NULL);
	warm_started = false;
}
