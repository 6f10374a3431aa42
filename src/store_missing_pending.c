/*
 * store_missing_pending.c - a batch of new episodes, with their gradings, rhi clocks and
 * notifications, held in memory and written by one INSERT ... SELECT a table through store_rows
 * (store_rows.c). See store_missing.h. A statement a row cost several times the b-tree work of
 * the row itself (binding copies every text, and each statement begins and ends); one statement
 * a table costs little more than the b-tree work (docs/benchmarks.md).
 * Owns: the held rows and these statements. Must not touch: the rules that make the rows
 * (missing.c, clock.c), any other table.
 */
#include "store_missing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "missing.h"
#include "store.h"
#include "store_int.h"

/* The texts of a held episode, in the order of SQL_EPISODES' c11 .. c27. */
enum episode_text {
	T_MISSING_FROM, T_CATEGORY, T_FORCE, T_REF, T_PLACEMENT_TYPE, T_PROVIDER, T_PLACING, T_HOST, T_OUT_OF_AREA,
	T_RHI_BY, T_TEAM, T_LOCALITY, T_FOUND_WHERE, T_FOUND_WITH, T_NOTES, T_GRADE_LATEST, T_GRADE_HIGHEST,
	T_COUNT
};
#define EPISODE_INTS 11 /* c0 .. c10 */

static const char SQL_EPISODES[] =
	"INSERT INTO missing_episodes(id, person_id, started_at, reported_at, ended_at, rhi_due_at, import_id,"
	" created_at, created_by, updated_at, updated_by, looked_after, grade_rank, reopened_count, version,"
	" missing_from, category, police_force, police_ref, placement_type, placement_provider, placing_authority,"
	" host_authority, out_of_area, rhi_by, team, locality, found_where, found_with, notes, grade_latest,"
	" grade_highest)"
	" SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c7, c8, c9, c10, 0, 1, c11, c12, c13, c14, c15, c16, c17, c18,"
	" c19, c20, c21, c22, c23, c24, c25, c26, c27 FROM store_rows(?1)";
static const char SQL_GRADINGS[] =
	"INSERT INTO missing_gradings(episode_id, grade, graded_at, graded_by, note, created_at, created_by)"
	" SELECT c0, c1, c2, c3, c4, c5, c6 FROM store_rows(?1)";
static const char SQL_CLOCKS[] =
	"INSERT INTO clocks(standard, subject_type, subject_id, case_id, person_id, team, worker_id, started_at, due_at,"
	" status) SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, 'running' FROM store_rows(?1)";
static const char SQL_NOTIFICATIONS[] =
	"INSERT INTO missing_notifications(episode_id, to_authority, reason, rhi_by, created_at, version)"
	" SELECT c0, c1, c2, c3, c4, 1 FROM store_rows(?1)";
static const char SQL_NEXT_ID[] = "SELECT coalesce(max(id), 0) + 1 FROM missing_episodes";

/* A held episode: numbers, and its texts as offsets into the batch's text. */
struct held_episode {
	int64_t v[EPISODE_INTS];  /* id, person_id, started_at, reported_at, ended_at, rhi_due_at, import_id,
				   * created_at, created_by, looked_after, grade_rank (0 reads NULL in
				   * ended_at, rhi_due_at and import_id) */
	size_t text[T_COUNT];     /* offsets into the batch's text; 0 is "" */
};

struct held_grading {
	int64_t episode_id, graded_at, created_at, created_by;
	size_t grade, graded_by, note;
};

struct held_clock {
	int64_t subject_id, case_id, person_id, worker_id, started_at, due_at; /* 0 ids read NULL */
	size_t standard, subject_type, team;
};

struct held_notification {
	int64_t episode_id, created_at;
	size_t to_authority, reason, rhi_by;
};

struct store_missing_pending {
	int64_t next_id;                  /* the id the next held episode gets */
	struct held_episode *ep;          /* held episodes, ids ascending */
	size_t n_ep, cap_ep;
	struct held_grading *gr;
	size_t n_gr, cap_gr;
	struct held_clock *ck;
	size_t n_ck, cap_ck;
	struct held_notification *nt;
	size_t n_nt, cap_nt;
	char *text;                       /* every held text, each ended by a NUL; text[0] is "" */
	size_t text_len, text_cap;
};

/* Make room for one more item in *a (n items of `size` bytes, cap of them). 0 or -1. */
static int grow(void **a, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 1024;
	void *b = realloc(*a, c * size);
	if (!b)
		return -1;
	*a = b;
	*cap = c;
	return 0;
}

/* Copy s into the batch's text: its offset (0 for ""), or (size_t)-1 when memory ran out. */
static size_t hold_text(struct store_missing_pending *p, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (!len)
		return 0;
	if (p->text_len + len + 1 > p->text_cap) {
		size_t c = p->text_cap * 2;
		while (c < p->text_len + len + 1)
			c *= 2;
		char *t = realloc(p->text, c);
		if (!t)
			return (size_t)-1;
		p->text = t;
		p->text_cap = c;
	}
	size_t at = p->text_len;
	memcpy(p->text + at, s, len + 1);
	p->text_len += len + 1;
	return at;
}

int store_missing_pending_new(struct store *st, struct store_missing_pending **out)
{
	*out = NULL;
	struct store_missing_pending *p = calloc(1, sizeof *p);
	sqlite3_stmt *s = p ? store_prepare(st, SQL_NEXT_ID) : NULL;
	if (!s || sqlite3_step(s) != SQLITE_ROW) {
		if (s)
			sqlite3_reset(s);
		free(p);
		return -1;
	}
	p->next_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	p->text_cap = 1 << 16;
	p->text = malloc(p->text_cap);
	if (!p->text) {
		free(p);
		return -1;
	}
	p->text[0] = 0;
	p->text_len = 1;
	*out = p;
	return 0;
}

/* The found_with column's text: a JSON array of person ids. */
static size_t hold_found_with(struct store_missing_pending *p, const struct missing_episode *e)
{
	char buf[MISSING_FOUND_WITH_MAX * 21 + 3];
	size_t len = 0;
	buf[len++] = '[';
	for (int i = 0; i < e->n_found_with && i < MISSING_FOUND_WITH_MAX; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld", i ? "," : "", (long long)e->found_with[i]);
	buf[len++] = ']';
	buf[len] = 0;
	return hold_text(p, buf);
}

int store_missing_pending_episode(struct store_missing_pending *p, struct missing_episode *e, int64_t by,
				  int64_t now)
{
	if (grow((void **)&p->ep, p->n_ep, &p->cap_ep, sizeof *p->ep) != 0)
		return -1;
	struct held_episode *h = &p->ep[p->n_ep];
	const char *texts[T_COUNT] = {
		[T_MISSING_FROM] = e->missing_from, [T_CATEGORY] = e->category, [T_FORCE] = e->police_force,
		[T_REF] = e->police_ref, [T_PLACEMENT_TYPE] = e->placement_type, [T_PROVIDER] = e->placement_provider,
		[T_PLACING] = e->placing_authority, [T_HOST] = e->host_authority, [T_OUT_OF_AREA] = e->out_of_area,
		[T_RHI_BY] = e->rhi_by, [T_TEAM] = e->team, [T_LOCALITY] = e->locality, [T_FOUND_WHERE] = e->found_where,
		[T_NOTES] = e->notes, [T_GRADE_LATEST] = e->grade_latest, [T_GRADE_HIGHEST] = e->grade_highest,
	};
	for (int i = 0; i < T_COUNT; i++) {
		h->text[i] = i == T_FOUND_WITH ? hold_found_with(p, e) : hold_text(p, texts[i]);
		if (h->text[i] == (size_t)-1)
			return -1;
	}
	int64_t v[EPISODE_INTS] = {
		p->next_id, e->person_id, e->started_at, e->reported_at, e->ended_at, e->rhi_due_at, e->import_id,
		now, by, e->looked_after ? 1 : 0, missing_grade_rank(e->grade_latest),
	};
	memcpy(h->v, v, sizeof v);
	p->n_ep++;
	e->id = p->next_id++;
	e->version = 1;
	e->created_at = e->updated_at = now;
	return 0;
}

int store_missing_pending_grading(struct store_missing_pending *p, int64_t id, const struct missing_grading *g,
				  int64_t by, int64_t now)
{
	if (grow((void **)&p->gr, p->n_gr, &p->cap_gr, sizeof *p->gr) != 0)
		return -1;
	struct held_grading *h = &p->gr[p->n_gr];
	h->episode_id = id;
	h->graded_at = g->graded_at;
	h->created_at = now;
	h->created_by = by;
	if ((h->grade = hold_text(p, g->grade)) == (size_t)-1 || (h->graded_by = hold_text(p, g->graded_by)) == (size_t)-1 ||
	    (h->note = hold_text(p, g->note)) == (size_t)-1)
		return -1;
	p->n_gr++;
	return 0;
}

int store_missing_pending_notification(struct store_missing_pending *p, const struct missing_notification *n)
{
	if (grow((void **)&p->nt, p->n_nt, &p->cap_nt, sizeof *p->nt) != 0)
		return -1;
	struct held_notification *h = &p->nt[p->n_nt];
	h->episode_id = n->episode_id;
	h->created_at = n->created_at;
	if ((h->to_authority = hold_text(p, n->to_authority)) == (size_t)-1 ||
	    (h->reason = hold_text(p, n->reason)) == (size_t)-1 || (h->rhi_by = hold_text(p, n->rhi_by)) == (size_t)-1)
		return -1;
	p->n_nt++;
	return 0;
}

int store_missing_pending_clock(struct store_missing_pending *p, const struct clock *c)
{
	if (grow((void **)&p->ck, p->n_ck, &p->cap_ck, sizeof *p->ck) != 0)
		return -1;
	struct held_clock *h = &p->ck[p->n_ck];
	h->subject_id = c->subject_id;
	h->case_id = c->case_id;
	h->person_id = c->person_id;
	h->worker_id = c->worker_id;
	h->started_at = c->started_at;
	h->due_at = c->due_at;
	if ((h->standard = hold_text(p, c->standard)) == (size_t)-1 ||
	    (h->subject_type = hold_text(p, c->subject_type)) == (size_t)-1 || (h->team = hold_text(p, c->team)) == (size_t)-1)
		return -1;
	p->n_ck++;
	return 0;
}

size_t store_missing_pending_count(const struct store_missing_pending *p)
{
	return p ? p->n_ep : 0;
}

/* Give a held number; 0 reads NULL when `null0`. */
static void result_int(sqlite3_context *out, int64_t v, bool null0)
{
	if (null0 && v == 0)
		sqlite3_result_null(out);
	else
		sqlite3_result_int64(out, v);
}

/* Give a held text (it lives until the flush ends); "" reads NULL when `null0`. */
static void result_text(sqlite3_context *out, const struct store_missing_pending *p, size_t at, bool null0)
{
	if (null0 && at == 0)
		sqlite3_result_null(out);
	else
		sqlite3_result_text(out, p->text + at, -1, SQLITE_STATIC);
}

static void episode_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
	const struct store_missing_pending *p = ctx;
	const struct held_episode *h = &p->ep[i];
	if (col < EPISODE_INTS) {
		result_int(out, h->v[col], col == 4 || col == 5 || col == 6);
		return;
	}
	int t = col - EPISODE_INTS;
	if (t < T_COUNT)
		result_text(out, p, h->text[t], t == T_REF || t == T_GRADE_LATEST || t == T_GRADE_HIGHEST);
}

static void grading_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
	const struct store_missing_pending *p = ctx;
	const struct held_grading *h = &p->gr[i];
	switch (col) {
	case 0: result_int(out, h->episode_id, false); break;
	case 1: result_text(out, p, h->grade, false); break;
	case 2: result_int(out, h->graded_at, false); break;
	case 3: result_text(out, p, h->graded_by, false); break;
	case 4: result_text(out, p, h->note, false); break;
	case 5: result_int(out, h->created_at, false); break;
	case 6: result_int(out, h->created_by, false); break;
	default: break;
	}
}

static void clock_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
	const struct store_missing_pending *p = ctx;
	const struct held_clock *h = &p->ck[i];
	switch (col) {
	case 0: result_text(out, p, h->standard, false); break;
	case 1: result_text(out, p, h->subject_type, false); break;
	case 2: result_int(out, h->subject_id, false); break;
	case 3: result_int(out, h->case_id, true); break;
	case 4: result_int(out, h->person_id, true); break;
	case 5: result_text(out, p, h->team, false); break;
	case 6: result_int(out, h->worker_id, true); break;
	case 7: result_int(out, h->started_at, false); break;
	case 8: result_int(out, h->due_at, false); break;
	default: break;
	}
}

static void notification_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
	const struct store_missing_pending *p = ctx;
	const struct held_notification *h = &p->nt[i];
	switch (col) {
	case 0: result_int(out, h->episode_id, false); break;
	case 1: result_text(out, p, h->to_authority, false); break;
	case 2: result_text(out, p, h->reason, false); break;
	case 3: result_text(out, p, h->rhi_by, false); break;
	case 4: result_int(out, h->created_at, false); break;
	default: break;
	}
}

/* Insert n held rows with sql, reading them through column. 0, STORE_CONFLICT, -1. */
static int write_rows(struct store *st, const char *sql, struct store_missing_pending *p, size_t n,
		      void (*column)(void *, size_t, int, sqlite3_context *))
{
	if (!n)
		return 0;
	struct store_rows rows = { .n = n, .ctx = p, .column = column };
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_pointer(s, 1, &rows, STORE_ROWS_POINTER, NULL);
	return store_done(st, s);
}

int store_missing_pending_flush(struct store *st, struct store_missing_pending *p)
{
	int rc = write_rows(st, SQL_EPISODES, p, p->n_ep, episode_column);
	if (rc == 0)
		rc = write_rows(st, SQL_GRADINGS, p, p->n_gr, grading_column);
	if (rc == 0)
		rc = write_rows(st, SQL_CLOCKS, p, p->n_ck, clock_column);
	if (rc == 0)
		rc = write_rows(st, SQL_NOTIFICATIONS, p, p->n_nt, notification_column);
	p->n_ep = p->n_gr = p->n_ck = p->n_nt = 0;
	p->text_len = 1;
	return rc;
}

void store_missing_pending_free(struct store_missing_pending *p)
{
	if (!p)
		return;
	free(p->ep);
	free(p->gr);
	free(p->ck);
	free(p->nt);
	free(p->text);
	free(p);
}
