/*
 * api_mfh.c - the MFH dashboard and the lists behind its numbers (docs/api-missing.md, "The MFH
 * dashboard"): GET /api/v1/dashboard/missing and GET /api/v1/dashboard/missing/list.
 *
 * Readings of the contract (docs/api-missing.md leaves them open):
 * - months are local (Europe/London) calendar months; `month` (default: the current one) is
 *   "this month", and the last 12 months are the 12 months ending with it;
 * - `returns` counts the returned episodes whose RHI is ours: the denominator of every
 *   percentage, so that each percentage can be checked from the numbers beside it;
 * - `repeat_children` are the children of the period whose (active) repeat_missing flag was set
 *   before the period ended;
 * - missing now, awaiting RHI, out of area and notifications are live, whatever the month:
 *   awaiting RHI covers the returned episodes that started in the current month or the 11
 *   before it whose rhi_status is due, offered or breached (older ones are in the statistics of
 *   their months), the latest due first;
 * - a list behind a number has one item per episode, except `children` and `repeat_children`:
 *   one item per child, their latest episode of the period;
 * - the age band is the age on the local date the episode started.
 * Every answer is audited as a view (dashboard.missing, dashboard.missing_list).
 * The dashboard's statistics and its set of episodes awaiting their RHI are kept in the cache of
 * mfh_cache.h, keyed by the data's generation (read in the request's transaction), the filters,
 * the months and the restricted persons naming the user; everything that depends on the time is
 * computed every time. The lists behind the numbers are always read afresh.
 * The rows come from store_mfh.c, the rules from mfh.c; this file reads the query and writes JSON.
 * Owns: the JSON of these two answers. Must not touch: SQL, the rules of recording an episode.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "json.h"
#include "mfh.h"
#include "mfh_cache.h"
#include "mfh_window.h"
#include "store.h"
#include "store_mfh.h"

/* ---- the query ------------------------------------------------------------------------------ */

/* The query of either answer. */
struct mfh_query {
	struct mfh_filter filter;
	struct mfh_periods periods;      /* this month = periods.months[MFH_MONTHS - 1] */
	struct mfh_periods current;      /* the same for the current month: awaiting RHI's window */
	int64_t now;
};

/*
 * Read the filters and `month` from the query string into *q; false (400 naming every bad
 * parameter sent) when one is bad.
 */
static bool read_query(struct req *rq, struct resp *rs, struct mfh_query *q)
{
	struct mfh_filter *f = &q->filter;
	char looked[8], month[12];
	memset(q, 0, sizeof *q);
	q->now = store_now();
	if (!api_query_text(rq, rs, "team", f->team, sizeof f->team) ||
	    !api_query_text(rq, rs, "locality", f->locality, sizeof f->locality) ||
	    !api_query_text(rq, rs, "looked_after", looked, sizeof looked) ||
	    !api_query_text(rq, rs, "age_band", f->age_band, sizeof f->age_band) ||
	    !api_query_text(rq, rs, "sex", f->sex, sizeof f->sex) ||
	    !api_query_text(rq, rs, "month", month, sizeof month))
		return false;
	struct jv v = { 0 };
	f->looked_after = -1;
	if (strcmp(looked, "true") == 0)
		f->looked_after = 1;
	else if (strcmp(looked, "false") == 0)
		f->looked_after = 0;
	else if (looked[0])
		jv_error(&v, "looked_after", "must be true or false");
	f->age_min = f->age_max = -1;
	if (f->age_band[0] && !mfh_age_band(f->age_band, &f->age_min, &f->age_max))
		jv_error(&v, "age_band", "must be one of 0-9, 10-13, 14-15, 16-17, 18-25");
	int year, mon;
	mfh_month_at(q->now, &year, &mon);
	mfh_periods_for(year, mon, &q->current);
	if (month[0] && !mfh_parse_month(month, &year, &mon))
		jv_error(&v, "month", "must be a month like 2026-11");
	if (jv_failed(&v)) {
		resp_problem(rs, 400, "Bad query", "A filter of the dashboard is not one it knows.", jv_take(&v));
		return false;
	}
	mfh_periods_for(year, mon, &q->periods);
	return true;
}

/* A text filter as JSON: null when not set (or not UTF-8, which jansson refuses). */
static json_t *jfilter_text(const char *s)
{
	json_t *v = s[0] ? json_string(s) : NULL;
	return v ? v : json_null();
}

/* The filters the answer was made with (and the month that is "this month"). */
static json_t *filters_json(const struct mfh_query *q)
{
	const struct mfh_filter *f = &q->filter;
	json_t *o = json_object();
	json_object_set_new(o, "team", jfilter_text(f->team));
	json_object_set_new(o, "locality", jfilter_text(f->locality));
	json_object_set_new(o, "looked_after", f->looked_after < 0 ? json_null() : json_boolean(f->looked_after));
	json_object_set_new(o, "age_band", jfilter_text(f->age_band));
	json_object_set_new(o, "sex", jfilter_text(f->sex));
	json_object_set_new(o, "month", json_string(q->periods.months[MFH_MONTHS - 1].key));
	return o;
}

/* ---- JSON pieces ---------------------------------------------------------------------------- */

/* A JSON string, or "" when s is not valid UTF-8 (jansson refuses it). */
static json_t *jstr(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

/* A time that is 0 when absent, as RFC 3339 or null. */
static json_t *jtime(int64_t t)
{
	return t ? jv_time(t) : json_null();
}

/* {"id", "given_name", "family_name", "dob", "age", "is_child", "sex"} of the episode's person. */
static json_t *jperson(const struct mfh_episode *e, int64_t now)
{
	json_t *o = json_pack("{s:I, s:o, s:o}", "id", (json_int_t)e->person_id, "given_name", jstr(e->given_name),
			      "family_name", jstr(e->family_name));
	api_put_age(o, e->dob, now);
	json_object_set_new(o, "sex", jstr(e->sex));
	return o;
}

static json_t *jlink(int64_t episode_id)
{
	char link[40];
	snprintf(link, sizeof link, "/missing/%" PRId64, episode_id);
	return json_string(link);
}

/* An item of missing now / out of area. */
static json_t *missing_item(const struct mfh_episode *e, int64_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "episode_id", json_integer(e->id));
	json_object_set_new(o, "person", jperson(e, now));
	json_object_set_new(o, "started_at", jv_time(e->started_at));
	json_object_set_new(o, "reported_at", jv_time(e->reported_at));
	json_object_set_new(o, "hours_missing", json_real(mfh_hours(now - e->started_at)));
	json_object_set_new(o, "grade", e->grade[0] ? jstr(e->grade) : json_null());
	json_object_set_new(o, "missing_from", jstr(e->missing_from));
	json_object_set_new(o, "category", jstr(e->category));
	json_object_set_new(o, "looked_after", json_boolean(e->looked_after));
	json_object_set_new(o, "out_of_area", jstr(e->out_of_area));
	json_object_set_new(o, "team", jstr(e->team));
	json_object_set_new(o, "locality", jstr(e->locality));
	json_object_set_new(o, "link", jlink(e->id));
	return o;
}

/* An item of awaiting RHI. */
static json_t *awaiting_item(const struct mfh_episode *e, int64_t now)
{
	int64_t due = mfh_rhi_due(e);
	json_t *o = json_object();
	json_object_set_new(o, "episode_id", json_integer(e->id));
	json_object_set_new(o, "person", jperson(e, now));
	json_object_set_new(o, "started_at", jv_time(e->started_at));
	json_object_set_new(o, "ended_at", jv_time(e->ended_at));
	json_object_set_new(o, "rhi_due_at", jv_time(due));
	json_object_set_new(o, "hours_left", json_real(mfh_hours(due - now)));
	json_object_set_new(o, "breached", json_boolean(now > due));
	const char *status = mfh_rhi_status_name(mfh_rhi_status(e, now));
	json_object_set_new(o, "rhi_status", status ? json_string(status) : json_null());
	json_object_set_new(o, "offered_at", jtime(e->offered_at));
	json_object_set_new(o, "out_of_area", jstr(e->out_of_area));
	json_object_set_new(o, "team", jstr(e->team));
	json_object_set_new(o, "link", jlink(e->id));
	return o;
}

/* The episode summary of a list behind a number. */
static json_t *summary_item(const struct mfh_episode *e, int64_t now)
{
	json_t *o = json_object();
	int64_t due = mfh_rhi_due(e);
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "person", jperson(e, now));
	json_object_set_new(o, "started_at", jv_time(e->started_at));
	json_object_set_new(o, "reported_at", jv_time(e->reported_at));
	json_object_set_new(o, "ended_at", jtime(e->ended_at));
	json_object_set_new(o, "status", json_string(e->ended_at ? "returned" : "missing"));
	json_object_set_new(o, "duration_hours",
			    json_real(mfh_hours((e->ended_at ? e->ended_at : now) - e->started_at)));
	json_object_set_new(o, "missing_from", jstr(e->missing_from));
	json_object_set_new(o, "category", jstr(e->category));
	json_object_set_new(o, "looked_after", json_boolean(e->looked_after));
	json_object_set_new(o, "out_of_area", jstr(e->out_of_area));
	json_object_set_new(o, "rhi_by", jstr(e->rhi_by));
	json_object_set_new(o, "team", jstr(e->team));
	json_object_set_new(o, "locality", jstr(e->locality));
	json_object_set_new(o, "grade", e->grade[0] ? jstr(e->grade) : json_null());
	json_object_set_new(o, "rhi_due_at", jtime(due));
	json_object_set_new(o, "hours_left", due ? json_real(mfh_hours(due - now)) : json_null());
	const char *status = mfh_rhi_status_name(mfh_rhi_status(e, now));
	json_object_set_new(o, "rhi_status", status ? json_string(status) : json_null());
	if (e->has_rhi)
		json_object_set_new(o, "rhi", json_pack("{s:o, s:o, s:o, s:o, s:b, s:b}", "offered_at", jtime(e->offered_at),
							 "response", e->response[0] ? jstr(e->response) : json_null(),
							 "responded_at", jtime(e->responded_at), "completed_at",
							 jtime(e->completed_at), "offered_within_72h",
							 e->offered_at && e->offered_at <= due, "completed_within_72h",
							 e->completed_at && e->completed_at <= due));
	else
		json_object_set_new(o, "rhi", json_null());
	json_object_set_new(o, "link", jlink(e->id));
	return o;
}

/* The Notification of docs/api-missing.md. */
static json_t *notification_json(const struct mfh_notification *n)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(n->id));
	json_object_set_new(o, "version", json_integer(n->version));
	json_object_set_new(o, "episode_id", json_integer(n->episode.id));
	json_object_set_new(o, "to_authority", jstr(n->to_authority));
	json_object_set_new(o, "reason", jstr(n->reason));
	json_object_set_new(o, "rhi_by", jstr(n->rhi_by));
	json_object_set_new(o, "created_at", jv_time(n->created_at));
	json_object_set_new(o, "acknowledged_at", json_null());
	json_object_set_new(o, "acknowledged_by", json_string(""));
	return o;
}

/* {"count", "pct"} of one measure of a period. */
static json_t *jshare(int64_t count, int64_t of)
{
	double pct = 0;
	return json_pack("{s:I, s:o}", "count", (json_int_t)count, "pct", mfh_pct(count, of, &pct) ? json_real(pct)
											: json_null());
}

/* The Stats of a period. */
static json_t *stats_json(const struct mfh_stats *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "episodes", json_integer(s->episodes));
	json_object_set_new(o, "children", json_integer(s->children));
	json_object_set_new(o, "repeat_children", json_integer(s->repeat_children));
	json_object_set_new(o, "median_duration_hours", s->has_median ? json_real(s->median_duration_hours) : json_null());
	json_object_set_new(o, "returns", json_integer(s->returns));
	json_object_set_new(o, "rhi_offered_72h", jshare(s->rhi_offered_72h, s->returns));
	json_object_set_new(o, "rhi_completed_72h", jshare(s->rhi_completed_72h, s->returns));
	json_object_set_new(o, "rhi_accepted", jshare(s->rhi_accepted, s->returns));
	json_object_set_new(o, "rhi_declined", jshare(s->rhi_declined, s->returns));
	return o;
}

/* ---- episodes kept for sorting -------------------------------------------------------------- */

/* The episodes a list keeps until they are sorted (struct mfh_kept: mfh_cache.h keeps the awaiting ones). */

struct kept_list {
	struct mfh_kept *v;
	size_t n, cap;
	bool failed;        /* out of memory */
};

static void keep(struct kept_list *l, int64_t key, int64_t id, int64_t person_id)
{
	if (l->failed)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct mfh_kept *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->failed = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct mfh_kept){ key, id, person_id };
}

/* Newest first: key descending, then id descending. */
static int kept_newest_first(const void *a, const void *b)
{
	const struct mfh_kept *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->id < y->id ? 1 : (x->id > y->id ? -1 : 0);
}

/* By person, and each person's newest first. */
static int kept_by_person(const void *a, const void *b)
{
	const struct mfh_kept *x = a, *y = b;
	if (x->person_id != y->person_id)
		return x->person_id < y->person_id ? -1 : 1;
	return kept_newest_first(a, b);
}

/* Sort l's episodes with cmp (qsort must not be given the NULL of an empty list). */
static void sort_kept(struct kept_list *l, int (*cmp)(const void *, const void *))
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp);
}

/* Where fetch_items puts the items it reads, and how it writes them. */
struct fetch {
	json_t *arr;
	json_t *(*item)(const struct mfh_episode *e, int64_t now);
	int64_t now;
};

static int fetch_one(void *ctx, const struct mfh_episode *e)
{
	struct fetch *f = ctx;
	json_array_append_new(f->arr, f->item(e, f->now));
	return 0;
}

/* Read episodes l->v[from..to) whole and append f->item's JSON of each to f->arr; -1 on a store error. */
static int fetch_items(struct store *st, const struct kept_list *l, size_t from, size_t to, struct fetch *f)
{
	for (size_t i = from; i < to && i < l->n; i++)
		if (store_mfh_episode(st, l->v[i].id, fetch_one, f) != 0)
			return -1;
	return 0;
}

/* ---- the dashboard -------------------------------------------------------------------------- */

/* The dashboard being built. */
struct dash {
	const struct mfh_query *q;
	struct mfh_tally *tally;
	struct kept_list awaiting;          /* every episode awaiting its RHI: sorted, the first items fetched */
	int64_t breached;
	json_t *now_items, *here_items, *elsewhere_items, *notes_items;
	int64_t n_now, n_here, n_elsewhere, n_notes;
};

static int dash_open(void *ctx, const struct mfh_episode *e)
{
	struct dash *d = ctx;
	int64_t now = d->q->now;
	if (d->n_now++ < MFH_ITEMS_MAX)
		json_array_append_new(d->now_items, missing_item(e, now));
	if (mfh_measure_counts(MFH_PLACED_HERE_MISSING, e, now) && d->n_here++ < MFH_ITEMS_MAX)
		json_array_append_new(d->here_items, missing_item(e, now));
	if (mfh_measure_counts(MFH_PLACED_ELSEWHERE_MISSING, e, now) && d->n_elsewhere++ < MFH_ITEMS_MAX)
		json_array_append_new(d->elsewhere_items, missing_item(e, now));
	return 0;
}

/* An episode of the scan: of the statistics' months, or of the awaiting window, or both. */
static int dash_episode(void *ctx, const struct mfh_episode *e)
{
	struct dash *d = ctx;
	const struct mfh_periods *cur = &d->q->current;
	if (mfh_tally_add(d->tally, e) != 0)
		return -1;
	if (e->started_at >= cur->from && e->started_at < cur->to && mfh_awaiting_rhi(e, d->q->now))
		keep(&d->awaiting, mfh_rhi_due(e), e->id, e->person_id);
	return d->awaiting.failed ? -1 : 0;
}

static int dash_flag(void *ctx, int64_t person_id, int64_t set_at)
{
	struct dash *d = ctx;
	mfh_tally_flag(d->tally, person_id, set_at);
	return 0;
}

/* A notification's item: its person is added after the walk (complete_notifications). */
static int dash_notification(void *ctx, const struct mfh_notification *n)
{
	struct dash *d = ctx;
	if (d->n_notes++ < MFH_ITEMS_MAX) {
		json_t *o = notification_json(n);
		json_object_set_new(o, "link", jlink(n->episode.id));
		json_array_append_new(d->notes_items, o);
	}
	return 0;
}

/* Episode-read callback: merge the episode's JSON (person, or the whole summary) into an item. */
struct complete {
	json_t *item;
	bool summary;     /* the list's summary with the notification inside; else the person only */
	int64_t now;
};

static int complete_one(void *ctx, const struct mfh_episode *e)
{
	struct complete *c = ctx;
	if (!c->summary) {
		json_object_set_new(c->item, "person", jperson(e, c->now));
		return 0;
	}
	json_t *sum = summary_item(e, c->now);
	json_object_update(c->item, sum);
	json_decref(sum);
	return 0;
}

/*
 * Complete the notification items of arr (each with "episode_id", or "notification" holding
 * it): the person (summary false) or the episode summary (summary true). -1 on a store error.
 */
static int complete_notifications(struct store *st, json_t *arr, bool summary, int64_t now)
{
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item) {
		json_t *n = summary ? json_object_get(item, "notification") : item;
		struct complete c = { item, summary, now };
		if (store_mfh_episode(st, json_integer_value(json_object_get(n, "episode_id")), complete_one, &c) != 0)
			return -1;
	}
	return 0;
}

static json_t *section(int64_t count, json_t *items)
{
	return json_pack("{s:I, s:O}", "count", (json_int_t)count, "items", items);
}

static void dash_free(struct dash *d)
{
	mfh_tally_free(d->tally);
	free(d->awaiting.v);
	json_decref(d->now_items);
	json_decref(d->here_items);
	json_decref(d->elsewhere_items);
	json_decref(d->notes_items);
}

/*
 * The statistics and the episodes awaiting their RHI (sorted, due newest first) of the scope, by
 * scanning the periods' episodes: what mfh_cache.h keeps. False on a store error or out of memory.
 */
static bool dash_compute(struct store *st, struct dash *d, const struct mfh_scope *sc,
			 struct mfh_stats months[MFH_MONTHS], struct mfh_stats *span)
{
	const struct mfh_query *q = d->q;
	/* One scan when the statistics' months and the awaiting window overlap (the usual case: the
	 * same months), else one each; the callback sorts each episode into both. */
	const struct mfh_periods *p = &q->periods, *cur = &q->current;
	bool overlap = p->from < cur->to && cur->from < p->to;
	int64_t from = overlap && cur->from < p->from ? cur->from : p->from;
	int64_t to = overlap && cur->to > p->to ? cur->to : p->to;
	if (mfh_window_scan(st, sc, from, to, dash_episode, d) != 0 ||
	    (!overlap && mfh_window_scan(st, sc, cur->from, cur->to, dash_episode, d) != 0) ||
	    mfh_window_repeat_flags(st, dash_flag, d) != 0 || mfh_tally_result(d->tally, months, span) != 0)
		return false;
	sort_kept(&d->awaiting, kept_newest_first);
	return true;
}

/*
 * Read everything of the dashboard; false on a store error or when out of memory. The statistics
 * and the set of episodes awaiting their RHI come from the cache (mfh_cache.h) when it has them
 * for this generation of the data, scope and months, else they are computed and kept; the live
 * parts - missing now, out of area, notifications, and the awaiting items with their status and
 * the breached count, which depend on the time - are read every time.
 */
static bool dash_read(struct store *st, struct dash *d, const struct mfh_scope *sc, struct mfh_stats months[MFH_MONTHS],
		      struct mfh_stats *span, json_t *awaiting_items)
{
	const struct mfh_query *q = d->q;
	int64_t *named = NULL;
	size_t n_named = 0;
	struct mfh_cache_key key = {
		.filter = sc->filter, .month = q->periods.months[MFH_MONTHS - 1].key,
		.current = q->current.months[MFH_MONTHS - 1].key,
	};
	struct mfh_cached hit;
	bool ok = false;
	if (store_mfh_generation(st, &key.generation) != 0 || store_mfh_named(st, sc->user_id, &named, &n_named) != 0)
		goto out;
	key.named = named;
	key.n_named = n_named;
	if (mfh_cache_get(&key, &hit)) {
		memcpy(months, hit.months, sizeof hit.months);
		*span = hit.span;
		d->awaiting = (struct kept_list){ .v = hit.awaiting, .n = hit.n_awaiting, .cap = hit.n_awaiting };
	} else {
		if (!dash_compute(st, d, sc, months, span))
			goto out;
		struct mfh_cached v = { .span = *span, .awaiting = d->awaiting.v, .n_awaiting = d->awaiting.n };
		memcpy(v.months, months, sizeof v.months);
		mfh_cache_put(&key, &v);
	}
	for (size_t i = 0; i < d->awaiting.n; i++)
		d->breached += q->now > d->awaiting.v[i].key;
	if (store_mfh_open(st, sc, dash_open, d) != 0 || store_mfh_notifications(st, sc, dash_notification, d) != 0 ||
	    complete_notifications(st, d->notes_items, false, q->now) != 0)
		goto out;
	struct fetch f = { awaiting_items, awaiting_item, q->now };
	ok = fetch_items(st, &d->awaiting, 0, MFH_ITEMS_MAX, &f) == 0;
out:
	free(named);
	return ok;
}

void api_dashboard_missing(struct req *rq, struct resp *rs)
{
	struct mfh_query *q = calloc(1, sizeof *q);
	struct dash *d = calloc(1, sizeof *d);
	struct mfh_stats *months = calloc(MFH_MONTHS, sizeof *months);
	json_t *awaiting_items = json_array();
	if (!q || !d || !months) {
		api_store_failed(rs);
		goto out;
	}
	if (!read_query(rq, rs, q))
		goto out;
	struct mfh_scope sc = { .filter = &q->filter, .user_id = rq->session.user.id };
	d->q = q;
	d->tally = mfh_tally_new(&q->periods);
	d->now_items = json_array();
	d->here_items = json_array();
	d->elsewhere_items = json_array();
	d->notes_items = json_array();
	struct mfh_stats span;
	if (!d->tally || !dash_read(rq->st, d, &sc, months, &span, awaiting_items)) {
		api_store_failed(rs);
		goto out;
	}
	json_t *by_month = json_array();
	for (int i = 0; i < MFH_MONTHS; i++) {
		json_t *m = stats_json(&months[i]);
		json_object_set_new(m, "month", json_string(q->periods.months[i].key));
		json_array_append_new(by_month, m);
	}
	json_t *awaiting = json_pack("{s:I, s:I, s:O}", "count", (json_int_t)d->awaiting.n, "breached",
				     (json_int_t)d->breached, "items", awaiting_items);
	json_t *out_of_area = json_pack("{s:o, s:o}", "placed_here_missing", section(d->n_here, d->here_items),
					"placed_elsewhere_missing", section(d->n_elsewhere, d->elsewhere_items));
	json_t *o = json_object();
	json_object_set_new(o, "generated_at", jv_time(q->now));
	json_object_set_new(o, "filters", filters_json(q));
	json_object_set_new(o, "missing_now", section(d->n_now, d->now_items));
	json_object_set_new(o, "awaiting_rhi", awaiting);
	json_object_set_new(o, "this_month", stats_json(&months[MFH_MONTHS - 1]));
	json_object_set_new(o, "last_12_months", stats_json(&span));
	json_object_set_new(o, "by_month", by_month);
	json_object_set_new(o, "out_of_area", out_of_area);
	json_object_set_new(o, "notifications_unacknowledged", section(d->n_notes, d->notes_items));
	resp_json(rs, 200, o);
	char detail[200];
	snprintf(detail, sizeof detail,
		 "month %s; missing now %" PRId64 ", awaiting RHI %zu, episodes this month %" PRId64
		 ", last 12 months %" PRId64 ", notifications %" PRId64,
		 q->periods.months[MFH_MONTHS - 1].key, d->n_now, d->awaiting.n, months[MFH_MONTHS - 1].episodes,
		 span.episodes, d->n_notes);
	api_audit_view(rq, rs, "dashboard.missing", "", 0, detail);
out:
	json_decref(awaiting_items);
	if (d)
		dash_free(d);
	free(d);
	free(months);
	free(q);
}

/* ---- the list behind a number --------------------------------------------------------------- */

/* An active repeat_missing flag. */
struct flag {
	int64_t person_id, set_at;
};

/* The list being built. */
struct list {
	const struct mfh_query *q;
	enum mfh_measure measure;
	char period[20];            /* this_month, last_12_months or YYYY-MM (period measures) */
	int64_t from, to;           /* the window scanned: the period, or awaiting RHI's months */
	int offset, limit;
	int64_t count;
	struct kept_list kept;      /* the period's / awaiting episodes before sorting */
	json_t *items;
	struct flag *flags;         /* repeat_children: active repeat flags by person */
	size_t n_flags, cap_flags;
	bool failed;
};

/* An episode of the period (or of the awaiting window): kept when the measure counts it. */
static int list_scan(void *ctx, const struct mfh_episode *e)
{
	struct list *l = ctx;
	if (!mfh_measure_counts(l->measure, e, l->q->now))
		return 0;
	keep(&l->kept, mfh_measure_has_period(l->measure) ? e->started_at : mfh_rhi_due(e), e->id, e->person_id);
	return l->kept.failed ? -1 : 0;
}

/* Open episodes come in the dashboard's order: the page is made as they come. */
static int list_open(void *ctx, const struct mfh_episode *e)
{
	struct list *l = ctx;
	if (!mfh_measure_counts(l->measure, e, l->q->now))
		return 0;
	if (l->count >= l->offset && l->count < (int64_t)l->offset + l->limit)
		json_array_append_new(l->items, missing_item(e, l->q->now));
	l->count++;
	return 0;
}

/* A page's notification: the episode summary is added after the walk (complete_notifications). */
static int list_notification(void *ctx, const struct mfh_notification *n)
{
	struct list *l = ctx;
	if (l->count >= l->offset && l->count < (int64_t)l->offset + l->limit)
		json_array_append_new(l->items, json_pack("{s:o}", "notification", notification_json(n)));
	l->count++;
	return 0;
}

static int list_flag(void *ctx, int64_t person_id, int64_t set_at)
{
	struct list *l = ctx;
	if (l->n_flags == l->cap_flags) {
		size_t cap = l->cap_flags ? l->cap_flags * 2 : 1024;
		struct flag *v = realloc(l->flags, cap * sizeof *v);
		if (!v) {
			l->failed = true;
			return -1;
		}
		l->flags = v;
		l->cap_flags = cap;
	}
	l->flags[l->n_flags++] = (struct flag){ person_id, set_at };
	return 0;
}

static int flag_cmp(const void *a, const void *b)
{
	const struct flag *x = a, *y = b;
	if (x->person_id != y->person_id)
		return x->person_id < y->person_id ? -1 : 1;
	return x->set_at < y->set_at ? -1 : (x->set_at > y->set_at);
}

/* The earliest active flag of person_id set before `before`, in l's sorted flags. */
static bool flagged_before(const struct list *l, int64_t person_id, int64_t before)
{
	size_t lo = 0, hi = l->n_flags;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->flags[mid].person_id < person_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n_flags && l->flags[lo].person_id == person_id && l->flags[lo].set_at < before;
}

/* children / repeat_children: keep each child's newest episode (of the flagged ones for repeat). */
static int list_children(struct store *st, struct list *l)
{
	if (l->measure == MFH_REPEAT_CHILDREN) {
		if (mfh_window_repeat_flags(st, list_flag, l) != 0 || l->failed)
			return -1;
		if (l->n_flags > 1)
			qsort(l->flags, l->n_flags, sizeof *l->flags, flag_cmp);
	}
	struct kept_list *k = &l->kept;
	sort_kept(k, kept_by_person);
	size_t n = 0;
	for (size_t i = 0; i < k->n; i++) {
		if (i > 0 && k->v[i].person_id == k->v[i - 1].person_id)
			continue;
		if (l->measure == MFH_REPEAT_CHILDREN && !flagged_before(l, k->v[i].person_id, l->to))
			continue;
		k->v[n++] = k->v[i];
	}
	k->n = n;
	return 0;
}

/* Read the period of the list from `period` (and the query's month); false (400 sent) when bad. */
static bool read_period(struct req *rq, struct resp *rs, struct list *l)
{
	char *period = l->period;
	if (!api_query_text(rq, rs, "period", l->period, sizeof l->period))
		return false;
	const struct mfh_periods *p = &l->q->periods;
	int year, month;
	if (!period[0] || strcmp(period, "this_month") == 0) {
		snprintf(l->period, sizeof l->period, "this_month");
		l->from = p->months[MFH_MONTHS - 1].from;
		l->to = p->months[MFH_MONTHS - 1].to;
	} else if (strcmp(period, "last_12_months") == 0) {
		l->from = p->from;
		l->to = p->to;
	} else if (mfh_parse_month(period, &year, &month)) {
		struct mfh_month m;
		mfh_month_make(year, month, &m);
		l->from = m.from;
		l->to = m.to;
	} else {
		struct jv v = { 0 };
		jv_error(&v, "period", "must be this_month, last_12_months or a month like 2026-11");
		resp_problem(rs, 400, "Bad query", "The period is not one the dashboard knows.", jv_take(&v));
		return false;
	}
	return true;
}

/* Walk what the measure counts, filling l->count and l->items (the page). */
static bool list_read(struct store *st, struct list *l, const struct mfh_scope *sc)
{
	const struct mfh_query *q = l->q;
	enum mfh_measure m = l->measure;
	if (m == MFH_MISSING_NOW || m == MFH_PLACED_HERE_MISSING || m == MFH_PLACED_ELSEWHERE_MISSING)
		return store_mfh_open(st, sc, list_open, l) == 0;
	if (m == MFH_NOTIFICATIONS)
		return store_mfh_notifications(st, sc, list_notification, l) == 0 &&
		       complete_notifications(st, l->items, true, q->now) == 0;
	if (m == MFH_AWAITING_RHI) {
		l->from = q->current.from;
		l->to = q->current.to;
	}
	if (mfh_window_scan(st, sc, l->from, l->to, list_scan, l) != 0 || l->kept.failed)
		return false;
	if ((m == MFH_CHILDREN || m == MFH_REPEAT_CHILDREN) && list_children(st, l) != 0)
		return false;
	sort_kept(&l->kept, kept_newest_first);
	l->count = (int64_t)l->kept.n;
	struct fetch f = { l->items, summary_item, q->now };
	return fetch_items(st, &l->kept, (size_t)l->offset, (size_t)l->offset + (size_t)l->limit, &f) == 0;
}

void api_dashboard_missing_list(struct req *rq, struct resp *rs)
{
	struct mfh_query *q = calloc(1, sizeof *q);
	struct list *l = calloc(1, sizeof *l);
	char measure[32];
	if (!q || !l) {
		api_store_failed(rs);
		goto out;
	}
	if (!read_query(rq, rs, q) || !api_query_text(rq, rs, "measure", measure, sizeof measure) ||
	    !api_query_int(rq, rs, "limit", 1, MFH_PAGE_MAX, MFH_PAGE_MAX, &l->limit) ||
	    !api_query_int(rq, rs, "offset", 0, 100000000, 0, &l->offset))
		goto out;
	l->q = q;
	if (!mfh_measure_parse(measure, &l->measure)) {
		struct jv v = { 0 };
		jv_error(&v, "measure", "must be one of the dashboard's measures (episodes, children, ..., notifications)");
		resp_problem(rs, 400, "Bad query", "The measure is not one the dashboard counts.", jv_take(&v));
		goto out;
	}
	if (mfh_measure_has_period(l->measure) && !read_period(rq, rs, l))
		goto out;
	struct mfh_scope sc = { .filter = &q->filter, .user_id = rq->session.user.id };
	l->items = json_array();
	if (!list_read(rq->st, l, &sc)) {
		api_store_failed(rs);
		goto out;
	}
	json_t *o = json_object();
	json_object_set_new(o, "measure", json_string(mfh_measure_name(l->measure)));
	bool has_period = mfh_measure_has_period(l->measure);
	json_object_set_new(o, "period", has_period ? json_string(l->period) : json_null());
	json_object_set_new(o, "period_bounds", has_period ? json_pack("{s:o, s:o}", "from", jv_time(l->from), "to",
								      jv_time(l->to))
							  : json_null());
	json_object_set_new(o, "filters", filters_json(q));
	json_object_set_new(o, "count", json_integer(l->count));
	json_object_set_new(o, "limit", json_integer(l->limit));
	json_object_set_new(o, "offset", json_integer(l->offset));
	json_object_set_new(o, "items", l->items);
	l->items = NULL;
	resp_json(rs, 200, o);
	char detail[160];
	snprintf(detail, sizeof detail, "measure %s; %" PRId64 " episodes", mfh_measure_name(l->measure), l->count);
	api_audit_view(rq, rs, "dashboard.missing_list", "", 0, detail);
out:
	if (l) {
		json_decref(l->items);
		free(l->kept.v);
		free(l->flags);
	}
	free(l);
	free(q);
}
