/*
 * store_mfh.c - SQL for the MFH dashboard and its lists. See store_mfh.h.
 *
 * Parameters shared by the statements: ?7 team, ?8 locality, ?9 looked after (1/0), ?10 sex (each
 * bound only when the filter is set: NULL means any), ?11 the user (restricted persons). The scan
 * also has ?1-?2 an id range and ?3-?4 the window of start times.
 *
 * How the scan is fast: the dashboard's statistics need every episode of the last 12 months
 * (about 100,000 at 1M episodes over 10 years) with its return interview. sql/006 keeps a copy of
 * the interview's facts on the episode (rhi_state, rhi_offered_at, rhi_completed_at) and the index
 * missing_mfh holds every column the statistics read and the team, locality and looked-after
 * filters, so the scan is one range of that index: no table row, no second table. Restricted
 * persons are left out in C, from the set of hidden persons (those with a person_access list not
 * naming the user) read once per scan: person_access is small. An age band alone is met the
 * same way, from the persons born in the dates the band can cover (read from persons_dob alone);
 * the sex filter joins the person to every episode (persons has no index on sex).
 * Owns: these statements. Must not touch: HTTP, jansson, writes (read-only here).
 */
#include "store_mfh.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "store.h"
#include "store_int.h"
#include "valid.h"

/* The episode columns 0-13, the person's 14-17 and the RHI's 18-22 of an episode read whole. */
#define EP_COLS                                                                                       \
	"e.id, e.person_id, e.started_at, e.reported_at, coalesce(e.ended_at, 0), coalesce(e.rhi_due_at, 0),"   \
	" e.missing_from, e.category, e.out_of_area, e.rhi_by, e.team, e.locality, coalesce(e.grade_latest, ''),"  \
	" e.looked_after"
#define P_COLS ", p.given_name, p.family_name, coalesce(p.dob, ''), p.sex"
#define RI_COLS                                                                                       \
	", r.episode_id IS NOT NULL, coalesce(r.offered_at, 0), coalesce(r.responded_at, 0),"           \
	" coalesce(r.completed_at, 0), coalesce(r.response, '')"
#define P_JOIN " JOIN persons p ON p.id = e.person_id"
#define RI_JOIN " LEFT JOIN return_interviews r ON r.episode_id = e.id"
#define COL_RI 18

/*
 * The columns of a scan row: only what the statistics and the RHI status need (the items shown
 * are read whole by id), all in the index missing_mfh. 0-3 the episode, 4 its RHI facts packed
 * (bit 0: rhi_by is us; bits 1-2: rhi_state, see sql/006), 5-6 the RHI's offered_at and
 * completed_at, 7-8 the person's dob and sex (read only when the filter needs them).
 */
#define SCAN_COLS                                                                                     \
	"e.id, e.person_id, e.started_at, coalesce(e.ended_at, 0), (e.rhi_by = 'us') | (e.rhi_state << 1),"   \
	" coalesce(e.rhi_offered_at, 0), coalesce(e.rhi_completed_at, 0)"
#define SCAN_P_COLS ", coalesce(p.dob, ''), p.sex"
#define SCAN_NO_P_COLS ", '', ''"
#define SCAN_NCOLS 9

/* The filters of the scope that SQL applies (the person's in C: mfh_filter_person). */
#define FILTER_E " AND (?7 IS NULL OR e.team = ?7) AND (?8 IS NULL OR e.locality = ?8) AND (?9 IS NULL OR e.looked_after = ?9)"
#define FILTER_P " AND (?10 IS NULL OR p.sex = ?10)"

/* A person the user ?11 may reach: no access list, or one naming ?11 (see store_dashboard.c). */
#define NOT_HIDDEN(PID)                                                                               \
	" AND (NOT EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = " PID ")"                 \
	" OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = " PID " AND pa.user_id = ?11))"

/* The persons hidden from user ?1: an access list without them. In person_id order. */
static const char SQL_HIDDEN[] =
	"SELECT person_id FROM person_access GROUP BY person_id HAVING max(user_id = ?1) = 0 ORDER BY person_id";

/* The window's episodes: one range of the covering index missing_mfh. */
#define IN_WINDOW " e.started_at >= ?3 AND e.started_at < ?4"
static const char SQL_SCAN[] =
	"SELECT " SCAN_COLS SCAN_NO_P_COLS " FROM missing_episodes e INDEXED BY missing_mfh WHERE" IN_WINDOW FILTER_E;
static const char SQL_SCAN_P[] =
	"SELECT " SCAN_COLS SCAN_P_COLS " FROM missing_episodes e INDEXED BY missing_mfh" P_JOIN
	" WHERE" IN_WINDOW FILTER_E FILTER_P;

/*
 * The dates of birth of the persons born from ?1 to ?2 (YYYY-MM-DD), read from the covering
 * index persons_dob alone: the candidates of an age band, read in a few thousand index entries
 * where joining the person to each of the window's episodes would read a table page each.
 */
static const char SQL_DOBS[] =
	"SELECT id, dob FROM persons INDEXED BY persons_dob WHERE dob >= ?1 AND dob <= ?2";

/* Open episodes: the partial index missing_now holds only them (a few hundred at most). */
static const char SQL_OPEN[] =
	"SELECT " EP_COLS P_COLS RI_COLS " FROM missing_episodes e INDEXED BY missing_now" P_JOIN RI_JOIN
	" WHERE e.ended_at IS NULL" FILTER_E FILTER_P NOT_HIDDEN("e.person_id")
	" ORDER BY e.grade_rank DESC, e.started_at, e.id";

/*
 * Notifications not acknowledged: the partial index missing_notifications_open, oldest first, as
 * scan rows (SCAN_COLS) followed by the notification's columns. The person is read only when the
 * filter needs it (SQL_NOTIFICATIONS_P): the count needs no names, and the items shown are read
 * by id.
 */
#define NOTIFICATION_COLS ", n.id, n.version, n.to_authority, n.reason, n.rhi_by, n.created_at"
#define NOTIFICATIONS_FROM                                                                            \
	" FROM missing_notifications n INDEXED BY missing_notifications_open"                             \
	" CROSS JOIN missing_episodes e ON e.id = n.episode_id"
static const char SQL_NOTIFICATIONS[] =
	"SELECT " SCAN_COLS SCAN_NO_P_COLS NOTIFICATION_COLS NOTIFICATIONS_FROM
	" WHERE n.acknowledged_at IS NULL" FILTER_E NOT_HIDDEN("e.person_id") " ORDER BY n.created_at, n.id";
static const char SQL_NOTIFICATIONS_P[] =
	"SELECT " SCAN_COLS SCAN_P_COLS NOTIFICATION_COLS NOTIFICATIONS_FROM P_JOIN
	" WHERE n.acknowledged_at IS NULL" FILTER_E FILTER_P NOT_HIDDEN("e.person_id") " ORDER BY n.created_at, n.id";

/* Every active repeat flag, read in table order (NOT INDEXED): all of them are needed, and the
 * partial index person_flags_active would add a table lookup for each set_at. */
static const char SQL_FLAGS[] =
	"SELECT person_id, set_at FROM person_flags NOT INDEXED WHERE kind = 'repeat_missing' AND removed_at IS NULL";

static const char SQL_EPISODE[] =
	"SELECT " EP_COLS P_COLS RI_COLS " FROM missing_episodes e" P_JOIN RI_JOIN " WHERE e.id = ?1";

static const char SQL_GENERATION[] = "SELECT n FROM mfh_generation WHERE id = 1";

/* The persons whose access list names user ?1, ascending. */
static const char SQL_NAMED[] = "SELECT person_id FROM person_access WHERE user_id = ?1 ORDER BY person_id";

/*
 * The window's reads (src/mfh_window.c, sql/009): an episode with what the statistics and every
 * filter need. 0-6 as SCAN_COLS, 7 looked_after, 8 team, 9 locality, 10-11 the person's dob, sex.
 */
#define WINDOW_COLS                                                                                   \
	SCAN_COLS ", e.looked_after, e.team, e.locality, coalesce(p.dob, ''), p.sex"
static const char SQL_WINDOW_STATE[] =
	"SELECT n, flags, reload, (SELECT coalesce(max(id), 0) FROM missing_episodes) FROM mfh_generation WHERE id = 1";
/* Everything from ?1 on: one range of missing_mfh and the person of each. */
static const char SQL_WINDOW_FROM[] =
	"SELECT " WINDOW_COLS " FROM missing_episodes e INDEXED BY missing_mfh" P_JOIN " WHERE e.started_at >= ?1";
/* Episodes added since: ids above ?1 that started at or after ?2, as a range of the table itself
 * (NOT INDEXED: the planner would otherwise walk a year of missing_mfh for the start). */
static const char SQL_WINDOW_NEW[] =
	"SELECT " WINDOW_COLS " FROM missing_episodes e NOT INDEXED" P_JOIN " WHERE e.id > ?1 AND e.started_at >= ?2";
/* Episodes changed since generation ?1: all of them (one that left the window must leave it). */
static const char SQL_WINDOW_CHANGED[] =
	"SELECT " WINDOW_COLS " FROM missing_episodes e INDEXED BY missing_mfh_seq" P_JOIN " WHERE e.mfh_seq > ?1";

/* The ids of the persons hidden from the walk's user, ascending. */
struct hidden {
	int64_t *id;
	size_t n;
};

/* A person's date of birth, for the age band (see SQL_DOBS). */
struct dob {
	int64_t id;
	char dob[11];
};

/* The candidates of an age band, by person id. */
struct dobs {
	struct dob *v;
	size_t n, cap;
};

/* Column i as text, "" for NULL; valid until the statement steps or resets. */
static const char *txt(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? (const char *)v : "";
}

static int64_t num(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int64(s, i);
}

/* The end of a walk: reset, and 0 when it ran to its end or was stopped by the caller. */
static int walk_end(sqlite3_stmt *s, int rc)
{
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Bind the scope's filters (?7-?10) and user (?11); a parameter a statement lacks is skipped. */
static void bind_scope(sqlite3_stmt *s, const struct mfh_scope *sc)
{
	const struct mfh_filter *f = sc->filter;
	if (f->team[0])
		store_text(s, 7, f->team);
	if (f->locality[0])
		store_text(s, 8, f->locality);
	if (f->looked_after >= 0)
		sqlite3_bind_int(s, 9, f->looked_after);
	if (f->sex[0])
		store_text(s, 10, f->sex);
	sqlite3_bind_int64(s, 11, sc->user_id);
}

/* The episode columns (and, from COL_RI, the RHI's) of row s into *e. */
static void episode_row(sqlite3_stmt *s, struct mfh_episode *e)
{
	e->id = num(s, 0);
	e->person_id = num(s, 1);
	e->started_at = num(s, 2);
	e->reported_at = num(s, 3);
	e->ended_at = num(s, 4);
	e->rhi_due_at = num(s, 5);
	e->missing_from = txt(s, 6);
	e->category = txt(s, 7);
	e->out_of_area = txt(s, 8);
	e->rhi_by = txt(s, 9);
	e->team = txt(s, 10);
	e->locality = txt(s, 11);
	e->grade = txt(s, 12);
	e->looked_after = num(s, 13) != 0;
	e->given_name = txt(s, 14);
	e->family_name = txt(s, 15);
	e->dob = txt(s, 16);
	e->sex = txt(s, 17);
	e->has_rhi = num(s, COL_RI) != 0;
	e->offered_at = num(s, COL_RI + 1);
	e->responded_at = num(s, COL_RI + 2);
	e->completed_at = num(s, COL_RI + 3);
	e->response = txt(s, COL_RI + 4);
}

/* A scan row (SCAN_COLS and what follows them) into *e: the texts a scan does not read are "". */
static void scan_row(sqlite3_stmt *s, struct mfh_episode *e)
{
	static const char *const responses[] = { "", "", "accepted", "declined" };
	int packed = sqlite3_column_int(s, 4);
	int state = (packed >> 1) & 3;
	*e = (struct mfh_episode){
		.id = num(s, 0), .person_id = num(s, 1), .started_at = num(s, 2), .ended_at = num(s, 3),
		.rhi_by = packed & 1 ? "us" : "other",
		.missing_from = "", .category = "", .out_of_area = "", .team = "", .locality = "", .grade = "",
		.given_name = "", .family_name = "", .dob = txt(s, 7), .sex = txt(s, 8),
		.has_rhi = state != 0, .offered_at = num(s, 5), .completed_at = num(s, 6),
		.response = responses[state],
	};
}

static int hidden_load(struct store *st, int64_t user_id, struct hidden *h)
{
	memset(h, 0, sizeof *h);
	sqlite3_stmt *s = store_prepare(st, SQL_HIDDEN);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (h->n == cap) {
			cap = cap ? cap * 2 : 64;
			int64_t *v = realloc(h->id, cap * sizeof *v);
			if (!v) {
				sqlite3_reset(s);
				return -1;
			}
			h->id = v;
		}
		h->id[h->n++] = num(s, 0);
	}
	return walk_end(s, rc);
}

static bool is_hidden(const struct hidden *h, int64_t person_id)
{
	size_t lo = 0, hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->id[mid] < person_id)
			lo = mid + 1;
		else if (h->id[mid] > person_id)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* What a scan delivers to, and whom it leaves out. */
struct pass {
	const struct mfh_scope *sc;
	const struct hidden *h;
	const struct dobs *dobs;     /* the age band's candidates (the person is not joined), or NULL */
	bool check_person;           /* apply mfh_filter_person */
	mfh_episode_fn fn;
	void *ctx;
};

/* The date of birth of person id among the candidates, or NULL. */
static const char *dob_of(const struct dobs *d, int64_t id)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->v[mid].id < id)
			lo = mid + 1;
		else if (d->v[mid].id > id)
			hi = mid;
		else
			return d->v[mid].dob;
	}
	return NULL;
}

/* Deliver row e unless hidden or outside the person filters; false when the callback says stop. */
static bool deliver(const struct pass *p, struct mfh_episode *e)
{
	if (is_hidden(p->h, e->person_id))
		return true;
	if (p->dobs) {
		const char *dob = dob_of(p->dobs, e->person_id);
		if (!dob)
			return true;  /* born outside every age the band can have in the window */
		e->dob = dob;
	}
	if (p->check_person && !mfh_filter_person(p->sc->filter, e))
		return true;
	return p->fn(p->ctx, e) == 0;
}

static int dob_cmp(const void *a, const void *b)
{
	const struct dob *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The candidates of the filter's age band for episodes starting in [from, to): the persons born
 * from (the local date of `from`) - (age_max + 1) years to (the local date of `to`) - age_min
 * years, a day's slack each side; mfh_filter_person then decides exactly. Sorted by id.
 */
static int dobs_load(struct store *st, const struct mfh_filter *f, int64_t from, int64_t to, struct dobs *d)
{
	memset(d, 0, sizeof *d);
	struct valid_date a, b;
	char lo[11], hi[11];
	calendar_local_date(from, &a);
	calendar_local_date(to, &b);
	if (!calendar_add_months(&a, -12 * (f->age_max + 1), &a) || !calendar_add_days(&a, -1, &a) ||
	    !calendar_add_months(&b, -12 * f->age_min, &b) || !calendar_add_days(&b, 1, &b))
		return 0;  /* outside years 1-9999: no candidates */
	valid_format_date(&a, lo);
	valid_format_date(&b, hi);
	sqlite3_stmt *s = store_prepare(st, SQL_DOBS);
	if (!s)
		return -1;
	store_text(s, 1, lo);
	store_text(s, 2, hi);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 1024;
			struct dob *v = realloc(d->v, cap * sizeof *v);
			if (!v) {
				sqlite3_reset(s);
				return -1;
			}
			d->v = v;
			d->cap = cap;
		}
		d->v[d->n].id = num(s, 0);
		store_col(s, 1, d->v[d->n].dob, sizeof d->v[d->n].dob);
		d->n++;
	}
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, dob_cmp);
	return walk_end(s, rc);
}

int store_mfh_scan(struct store *st, const struct mfh_scope *sc, int64_t from, int64_t to, mfh_episode_fn fn,
		   void *ctx)
{
	if (from >= to)
		return 0;
	struct hidden h;
	struct dobs dobs = { 0 };
	const struct mfh_filter *f = sc->filter;
	bool check_person = mfh_filter_needs_person(f);
	/* The person is joined for the sex; an age band alone is met from persons_dob instead. */
	bool person = f->sex[0] != 0;
	bool by_dob = check_person && !person;
	int rc = -1;
	if (hidden_load(st, sc->user_id, &h) != 0 || (by_dob && dobs_load(st, f, from, to, &dobs) != 0))
		goto out;
	struct pass p = {
		.sc = sc, .h = &h, .dobs = by_dob ? &dobs : NULL, .check_person = check_person, .fn = fn, .ctx = ctx,
	};
	sqlite3_stmt *s = store_prepare(st, person ? SQL_SCAN_P : SQL_SCAN);
	if (s) {
		sqlite3_bind_int64(s, 3, from);
		sqlite3_bind_int64(s, 4, to);
		bind_scope(s, sc);
		int step;
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			struct mfh_episode e;
			scan_row(s, &e);
			if (!deliver(&p, &e))
				break;
		}
		rc = walk_end(s, step);
	}
out:
	free(h.id);
	free(dobs.v);
	return rc;
}

int store_mfh_open(struct store *st, const struct mfh_scope *sc, mfh_episode_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_OPEN);
	if (!s)
		return -1;
	bind_scope(s, sc);
	bool check_person = mfh_filter_needs_person(sc->filter);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mfh_episode e;
		episode_row(s, &e);
		if ((!check_person || mfh_filter_person(sc->filter, &e)) && fn(ctx, &e) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_mfh_notifications(struct store *st, const struct mfh_scope *sc,
			    int (*fn)(void *ctx, const struct mfh_notification *n), void *ctx)
{
	bool check_person = mfh_filter_needs_person(sc->filter);
	sqlite3_stmt *s = store_prepare(st, check_person ? SQL_NOTIFICATIONS_P : SQL_NOTIFICATIONS);
	if (!s)
		return -1;
	bind_scope(s, sc);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mfh_notification n = {
			.id = num(s, SCAN_NCOLS), .version = num(s, SCAN_NCOLS + 1),
			.to_authority = txt(s, SCAN_NCOLS + 2), .reason = txt(s, SCAN_NCOLS + 3),
			.rhi_by = txt(s, SCAN_NCOLS + 4), .created_at = num(s, SCAN_NCOLS + 5),
		};
		scan_row(s, &n.episode);
		if ((!check_person || mfh_filter_person(sc->filter, &n.episode)) && fn(ctx, &n) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_mfh_repeat_flags(struct store *st, int (*fn)(void *ctx, int64_t person_id, int64_t set_at), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FLAGS);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, num(s, 0), num(s, 1)) != 0)
			break;
	return walk_end(s, rc);
}

int store_mfh_episode(struct store *st, int64_t id, mfh_episode_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_EPISODE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		struct mfh_episode e;
		episode_row(s, &e);
		fn(ctx, &e);
	}
	return walk_end(s, rc);
}

int store_mfh_generation(struct store *st, int64_t *gen)
{
	return store_number(store_prepare(st, SQL_GENERATION), gen);
}

int store_mfh_named(struct store *st, int64_t user_id, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_NAMED);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *v = realloc(*ids, cap * sizeof *v);
			if (!v) {
				sqlite3_reset(s);
				free(*ids);
				*ids = NULL;
				*n = 0;
				return -1;
			}
			*ids = v;
		}
		(*ids)[(*n)++] = num(s, 0);
	}
	if (walk_end(s, rc) != 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_mfh_window_state(struct store *st, struct mfh_window_state *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_WINDOW_STATE);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = (struct mfh_window_state){
			.generation = num(s, 0), .flags = num(s, 1), .reload = num(s, 2), .max_id = num(s, 3),
		};
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_mfh_window_rows(struct store *st, enum mfh_window_read what, int64_t arg, int64_t from, mfh_episode_fn fn,
			  void *ctx)
{
	const char *sql = what == MFH_WINDOW_FROM ? SQL_WINDOW_FROM : what == MFH_WINDOW_NEW ? SQL_WINDOW_NEW
											: SQL_WINDOW_CHANGED;
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, arg);
	if (what == MFH_WINDOW_NEW)
		sqlite3_bind_int64(s, 2, from);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mfh_episode e;
		scan_row(s, &e);
		e.looked_after = num(s, 7) != 0;
		e.team = txt(s, 8);
		e.locality = txt(s, 9);
		e.dob = txt(s, 10);
		e.sex = txt(s, 11);
		if (fn(ctx, &e) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_mfh_hidden(struct store *st, int64_t user_id, int64_t **ids, size_t *n)
{
	struct hidden h;
	*ids = NULL;
	*n = 0;
	if (hidden_load(st, user_id, &h) != 0) {
		free(h.id);
		return -1;
	}
	*ids = h.id;
	*n = h.n;
	return 0;
}
