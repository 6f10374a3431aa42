/*
 * api_dashboard.c - GET /api/v1/dashboard/daily (the daily tasking list, the home page after
 * sign-in) and GET /api/v1/persons/{id}/story (the person's whole story on one page): see
 * docs/api-casework.md, "Tasks and the daily tasking list" and "The person's whole story".
 * The rows come from store_dashboard.c, the rules of what is due from dashboard.c; this file
 * turns them into JSON, with a UI link on every line, and audits each answer as a view
 * (dashboard.daily, person.story).
 * Owns: the JSON of these two answers. Must not touch: SQL, the casework rules.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "config.h"
#include "dashboard.h"
#include "json.h"
#include "meeting.h"
#include "person.h"
#include "store.h"
#include "store_dashboard.h"

/* ---- small JSON pieces ---------------------------------------------------------------------- */

/* A JSON string, or "" when s is not valid UTF-8 (jansson refuses it). */
static json_t *jstr(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

/* A text that is "" until set, as a JSON string or null. */
static json_t *jstr_or_null(const char *s)
{
	return s && s[0] ? jstr(s) : json_null();
}

/* An id that is 0 when absent, as a JSON integer or null. */
static json_t *jid(int64_t id)
{
	return id > 0 ? json_integer(id) : json_null();
}

/* A JSON array text (strands), or [] when it does not parse. */
static json_t *jarray_text(const char *text)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL);
	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	return a;
}

/* {"username", "display_name"} or null. */
static json_t *juser(const struct dash_user *u)
{
	if (!u->username || !u->username[0])
		return json_null();
	return json_pack("{s:o, s:o}", "username", jstr(u->username), "display_name", jstr(u->display_name));
}

/* {"id", "given_name", "family_name", "dob", "age", "is_child"} or null. */
static json_t *jperson(const struct dash_person *p, int64_t now)
{
	if (p->id <= 0)
		return json_null();
	json_t *o = json_pack("{s:I, s:o, s:o}", "id", (json_int_t)p->id, "given_name", jstr(p->given_name),
			      "family_name", jstr(p->family_name));
	api_put_age(o, p->dob, now);
	return o;
}

static json_t *jlink(const char *subject_type, int64_t subject_id, int64_t case_id, int64_t person_id)
{
	char link[48];
	dashboard_link(link, sizeof link, subject_type, subject_id, case_id, person_id);
	return json_string(link);
}

/* The Task of docs/api-casework.md for a running clock. */
static json_t *task_json(const struct dash_task *t, int64_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "standard", jstr(t->standard));
	json_object_set_new(o, "name", jstr(t->name));
	json_object_set_new(o, "subject_type", jstr(t->subject_type));
	json_object_set_new(o, "subject_id", json_integer(t->subject_id));
	json_object_set_new(o, "case_id", jid(t->case_id));
	json_object_set_new(o, "person", jperson(&t->person, now));
	json_object_set_new(o, "team", jstr(t->team));
	json_object_set_new(o, "worker", juser(&t->worker));
	json_object_set_new(o, "started_at", jv_time(t->started_at));
	json_object_set_new(o, "due_at", jv_time(t->due_at));
	json_object_set_new(o, "hours_left", json_integer(dashboard_hours_left(t->due_at, now)));
	json_object_set_new(o, "overdue", json_boolean(t->due_at < now));
	json_object_set_new(o, "link", jlink(t->subject_type, t->subject_id, t->case_id, t->person.id));
	return o;
}

/* ---- the daily tasking list ----------------------------------------------------------------- */

#define OVERDUE_TYPES_MAX 64

/* How many tasks of one standard are overdue. */
struct overdue_type {
	char standard[32];
	char name[101];
	int count;
};

/* The daily list being built: one array and one count (every line, shown or not) per section. */
struct daily {
	struct dashboard_day day;
	int limit;                 /* lines shown per section */
	json_t *referrals, *due_today, *overdue, *actions, *not_seen, *flags, *transitions;
	int n_referrals, n_due_today, n_overdue, n_actions, n_not_seen, n_flags, n_transitions;
	struct overdue_type by_type[OVERDUE_TYPES_MAX];
	int n_types;
};

static int daily_referral(void *ctx, const struct dash_referral *r)
{
	struct daily *d = ctx;
	if (d->n_referrals++ >= d->limit)
		return 0;
	int64_t now = d->day.now;
	json_t *ref = json_object();
	json_object_set_new(ref, "id", json_integer(r->id));
	json_object_set_new(ref, "version", json_integer(r->version));
	json_object_set_new(ref, "person_id", jid(r->person.id));
	json_object_set_new(ref, "person", jperson(&r->person, now));
	json_object_set_new(ref, "subject_type", jstr(r->subject_type));
	json_object_set_new(ref, "subject_ref", jstr(r->subject_ref));
	json_object_set_new(ref, "received_at", jv_time(r->received_at));
	json_object_set_new(ref, "source_code", jstr(r->source_code));
	json_object_set_new(ref, "source_label", jstr(r->source_label[0] ? r->source_label : r->source_code));
	json_object_set_new(ref, "source_agency", jstr(r->source_agency));
	json_object_set_new(ref, "strands", jarray_text(r->strands));
	json_object_set_new(ref, "status", json_string("awaiting_decision"));
	json_object_set_new(ref, "team", jstr(r->team));
	json_object_set_new(ref, "decision_due_at", r->due_at ? jv_time(r->due_at) : json_null());
	json_t *line = json_object();
	json_object_set_new(line, "referral", ref);
	json_object_set_new(line, "due_at", r->due_at ? jv_time(r->due_at) : json_null());
	json_object_set_new(line, "hours_left", r->due_at ? json_integer(dashboard_hours_left(r->due_at, now))
							  : json_null());
	json_object_set_new(line, "overdue", json_boolean(r->due_at && r->due_at < now));
	json_object_set_new(line, "link", jlink("referral", r->id, 0, r->person.id));
	json_array_append_new(d->referrals, line);
	return 0;
}

static int daily_task_count(void *ctx, const struct dash_task_count *tc)
{
	struct daily *d = ctx;
	d->n_overdue += tc->overdue;
	d->n_due_today += tc->due_today;
	if (tc->overdue > 0 && d->n_types < OVERDUE_TYPES_MAX) {
		struct overdue_type *t = &d->by_type[d->n_types++];
		snprintf(t->standard, sizeof t->standard, "%s", tc->standard);
		snprintf(t->name, sizeof t->name, "%s", tc->name);
		t->count = tc->overdue;
	}
	return 0;
}

static int daily_overdue(void *ctx, const struct dash_task *t)
{
	struct daily *d = ctx;
	json_array_append_new(d->overdue, task_json(t, d->day.now));
	return 0;
}

static int daily_due_today(void *ctx, const struct dash_task *t)
{
	struct daily *d = ctx;
	json_array_append_new(d->due_today, task_json(t, d->day.now));
	return 0;
}

static int daily_action(void *ctx, const struct dash_action *a)
{
	struct daily *d = ctx;
	struct meeting_action *ma = calloc(1, sizeof *ma);
	if (!ma)
		return -1;
	ma->id = a->id;
	ma->version = a->version;
	ma->meeting_id = a->meeting_id;
	ma->case_id = a->case_id;
	snprintf(ma->what, sizeof ma->what, "%s", a->what);
	snprintf(ma->owner, sizeof ma->owner, "%s", a->owner);
	snprintf(ma->due_date, sizeof ma->due_date, "%s", a->due_date);
	ma->updated_at = a->updated_at;
	snprintf(ma->updated_by, sizeof ma->updated_by, "%s", a->updated_by);
	json_t *line = json_object();
	json_object_set_new(line, "action", api_action_json(ma, d->day.today));
	free(ma);
	json_object_set_new(line, "meeting_id", json_integer(a->meeting_id));
	json_object_set_new(line, "meeting_type", jstr(a->meeting_type));
	json_object_set_new(line, "held_at", jv_time(a->held_at));
	json_object_set_new(line, "case_id", jid(a->case_id));
	json_object_set_new(line, "person", jperson(&a->person, d->day.now));
	json_object_set_new(line, "team", jstr(a->team));
	json_object_set_new(line, "link", jlink("action", a->id, a->case_id, a->person.id));
	json_array_append_new(d->actions, line);
	return 0;
}

static int daily_not_seen(void *ctx, const struct dash_case *c)
{
	struct daily *d = ctx;
	if (d->n_not_seen++ >= d->limit)
		return 0;
	int64_t since = c->last_seen_at ? c->last_seen_at : c->opened_at;
	json_t *line = json_object();
	json_object_set_new(line, "case_id", json_integer(c->case_id));
	json_object_set_new(line, "person", jperson(&c->person, d->day.now));
	json_object_set_new(line, "team", jstr(c->team));
	json_object_set_new(line, "worker", juser(&c->worker));
	json_object_set_new(line, "risk_level", jstr(c->risk_level));
	json_object_set_new(line, "last_seen_at", c->last_seen_at ? jv_time(c->last_seen_at) : json_null());
	json_object_set_new(line, "days_since", json_integer(dashboard_days_since(since, d->day.now)));
	json_object_set_new(line, "link", jlink("case", c->case_id, c->case_id, c->person.id));
	json_array_append_new(d->not_seen, line);
	return 0;
}

static int daily_flag(void *ctx, const struct dash_flag *f)
{
	struct daily *d = ctx;
	if (d->n_flags++ >= d->limit)
		return 0;
	json_t *flag = json_object();
	json_object_set_new(flag, "id", json_integer(f->id));
	json_object_set_new(flag, "version", json_integer(f->version));
	json_object_set_new(flag, "case_id", json_integer(f->case_id));
	json_object_set_new(flag, "kind", jstr(f->kind));
	json_object_set_new(flag, "kind_label", jstr(f->kind_label));
	json_object_set_new(flag, "note", jstr(f->note));
	json_object_set_new(flag, "set_at", jv_time(f->set_at));
	json_object_set_new(flag, "review_date", jstr(f->review_date));
	json_object_set_new(flag, "police_flag", json_boolean(f->police_flag));
	json_t *line = json_object();
	json_object_set_new(line, "flag", flag);
	json_object_set_new(line, "case_id", json_integer(f->case_id));
	json_object_set_new(line, "person", jperson(&f->person, d->day.now));
	json_object_set_new(line, "team", jstr(f->team));
	json_object_set_new(line, "link", jlink("flag", f->id, f->case_id, f->person.id));
	json_array_append_new(d->flags, line);
	return 0;
}

static int daily_transition(void *ctx, const struct dash_case *c)
{
	struct daily *d = ctx;
	char half[11];
	if (!dashboard_transition_due(c->person.dob, &d->day, half) ||
	    d->n_transitions++ >= d->limit)
		return 0;
	json_t *line = json_pack("{s:I, s:o, s:o, s:o, s:s, s:b, s:o}", "case_id", (json_int_t)c->case_id, "person",
				 jperson(&c->person, d->day.now), "team", jstr(c->team), "worker", juser(&c->worker),
				 "seventeen_and_half", half, "past", strcmp(half, d->day.today) <= 0, "link",
				 jlink("case", c->case_id, c->case_id, c->person.id));
	json_array_append_new(d->transitions, line);
	return 0;
}

/* The overdue counts by standard, in the standards' configured order. */
static json_t *overdue_by_type(const struct daily *d)
{
	json_t *arr = json_array();
	for (int i = 0; i < d->n_types; i++)
		json_array_append_new(arr, json_pack("{s:o, s:o, s:i}", "standard", jstr(d->by_type[i].standard), "name",
						     jstr(d->by_type[i].name), "count", d->by_type[i].count));
	return arr;
}

static void daily_free(struct daily *d)
{
	json_decref(d->referrals);
	json_decref(d->due_today);
	json_decref(d->overdue);
	json_decref(d->actions);
	json_decref(d->not_seen);
	json_decref(d->flags);
	json_decref(d->transitions);
}

void api_dashboard_daily(struct req *rq, struct resp *rs)
{
	char scope[8];
	int limit = 0;
	if (!api_query_text(rq, rs, "scope", scope, sizeof scope) ||
	    !api_query_int(rq, rs, "limit", 1, DASHBOARD_LIST_MAX, DASHBOARD_LIST_DEFAULT, &limit))
		return;
	if (!scope[0])
		snprintf(scope, sizeof scope, "team");
	if (strcmp(scope, "team") != 0 && strcmp(scope, "all") != 0) {
		struct jv v = { 0 };
		jv_error(&v, "scope", "must be team or all");
		resp_problem(rs, 400, "Bad query", "The scope is team (my team) or all (the whole hub).", jv_take(&v));
		return;
	}
	const struct user *me = &rq->session.user;
	bool all = strcmp(scope, "all") == 0;
	struct dash_scope sc = { .team = all ? NULL : me->team, .user_id = me->id };
	struct daily *d = calloc(1, sizeof *d);
	if (!d) {
		api_store_failed(rs);
		return;
	}
	dashboard_day_at(store_now(), &d->day);
	d->limit = limit;
	d->referrals = json_array();
	d->due_today = json_array();
	d->overdue = json_array();
	d->actions = json_array();
	d->not_seen = json_array();
	d->flags = json_array();
	d->transitions = json_array();
	struct store *st = rq->st;
	if (store_dash_referrals(st, &sc, daily_referral, d) != 0 ||
	    store_dash_task_counts(st, &sc, d->day.now, d->day.end_of_today, daily_task_count, d) != 0 ||
	    store_dash_tasks(st, &sc, INT64_MIN, d->day.now - 1, d->limit, daily_overdue, d) != 0 ||
	    store_dash_tasks(st, &sc, d->day.now, d->day.end_of_today, d->limit, daily_due_today, d) != 0 ||
	    store_dash_overdue_actions(st, &sc, d->day.today, d->limit, &d->n_actions, daily_action, d) != 0 ||
	    store_dash_not_seen(st, &sc, d->day.not_seen_before, daily_not_seen, d) != 0 ||
	    store_dash_flags_due(st, &sc, d->day.today, daily_flag, d) != 0 ||
	    store_dash_transitions(st, &sc, d->day.dob_earliest, d->day.dob_latest, daily_transition, d) != 0) {
		daily_free(d);
		free(d);
		api_store_failed(rs);
		return;
	}
	json_t *totals = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "referrals_awaiting_decision", d->n_referrals,
				   "tasks_due_today", d->n_due_today, "tasks_overdue", d->n_overdue, "overdue_actions",
				   d->n_actions, "high_risk_not_seen", d->n_not_seen, "flags_due_for_review", d->n_flags,
				   "transitions_due", d->n_transitions);
	json_t *out = json_object();
	json_object_set_new(out, "generated_at", jv_time(d->day.now));
	json_object_set_new(out, "today", json_string(d->day.today));
	json_object_set_new(out, "scope", json_string(scope));
	json_object_set_new(out, "team", all ? json_null() : jstr(me->team));
	json_object_set_new(out, "referrals_awaiting_decision", d->referrals);
	json_object_set_new(out, "tasks_due_today", d->due_today);
	json_object_set_new(out, "tasks_overdue", d->overdue);
	json_object_set_new(out, "overdue_by_type", overdue_by_type(d));
	json_object_set_new(out, "overdue_actions", d->actions);
	json_object_set_new(out, "high_risk_not_seen", d->not_seen);
	json_object_set_new(out, "flags_due_for_review", d->flags);
	json_object_set_new(out, "transitions_due", d->transitions);
	json_object_set_new(out, "totals", totals);
	json_object_set_new(out, "limit", json_integer(d->limit));
	char detail[200];
	snprintf(detail, sizeof detail,
		 "scope %s; referrals %d, due today %d, overdue %d, actions %d, not seen %d, flags %d, transitions %d",
		 scope, d->n_referrals, d->n_due_today, d->n_overdue, d->n_actions, d->n_not_seen, d->n_flags,
		 d->n_transitions);
	free(d);
	resp_json(rs, 200, out);
	api_audit_view(rq, rs, "dashboard.daily", "", 0, detail);
}

/* ---- the person's whole story --------------------------------------------------------------- */

#define STORY_EVENTS_MAX 50000   /* timeline lines gathered before the newest are kept */
#define STORY_MEETINGS_MAX 500   /* meetings a story shows */

/* Timeline ranks: at equal times the higher rank is shown first (newer in the journey). */
enum story_rank {
	RANK_REFERRAL_RECEIVED,
	RANK_REFERRAL_DECIDED,
	RANK_CASE_OPENED,
	RANK_CASE_ALLOCATED,
	RANK_ASSESSMENT,
	RANK_CONTACT,
	RANK_NOTE,
	RANK_SUPERVISION,
	RANK_MEETING,
	RANK_FLAG_SET,
	RANK_FLAG_REMOVED,
	RANK_FEEDBACK,
	RANK_TRANSITION_PLAN,
	RANK_CASE_CLOSED
};

/* A case of the person, until its opening is put on the timeline. */
struct story_case_seen {
	int64_t id, opened_at;
	bool has_first_allocation;
};

/* The story being built. */
struct story {
	struct store *st;
	int64_t person_id, now;
	char today[11];
	json_t *cases, *referrals, *assessments, *meetings, *contacts, *flags, *feedback;
	json_t *open_case;                 /* the newest open case (owned), or NULL */
	int64_t open_case_id;
	json_t *open_allocations;          /* that case's allocations */
	struct story_case_seen *seen;      /* the person's cases (malloc'd) */
	size_t n_seen, cap_seen;
	struct dashboard_event *events;    /* the timeline (malloc'd; items are owned JSON objects) */
	size_t n_events, cap_events;
	bool failed;                       /* out of memory or a store error in a callback */
};

/* Put a line on the timeline (at 0: not dated, left out). Takes summary's text, copies it. */
static void story_event(struct story *s, int64_t at, enum story_rank rank, int64_t id, const char *kind,
			const char *summary, const char *link_type, int64_t link_id, int64_t case_id)
{
	if (!at)
		return;
	if (s->n_events == s->cap_events) {
		if (s->cap_events >= STORY_EVENTS_MAX)
			return;
		size_t cap = s->cap_events ? s->cap_events * 2 : 64;
		struct dashboard_event *ev = realloc(s->events, cap * sizeof *ev);
		if (!ev) {
			s->failed = true;
			return;
		}
		s->events = ev;
		s->cap_events = cap;
	}
	json_t *o = json_object();
	json_object_set_new(o, "at", jv_time(at));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "summary", jstr(summary));
	json_object_set_new(o, "link", jlink(link_type, link_id, case_id, s->person_id));
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "case_id", jid(case_id));
	s->events[s->n_events++] = (struct dashboard_event){ .at = at, .rank = rank, .id = id, .item = o };
}

/* A Case without its lists. */
static json_t *case_json(const struct story_case *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "person_id", json_integer(c->person_id));
	json_object_set_new(o, "referral_id", jid(c->referral_id));
	json_object_set_new(o, "status", jstr(c->status));
	json_object_set_new(o, "team", jstr(c->team));
	json_object_set_new(o, "worker", juser(&c->worker));
	json_object_set_new(o, "strands", jarray_text(c->strands));
	json_object_set_new(o, "risk_level", jstr_or_null(c->risk_level));
	json_object_set_new(o, "opening_risk", jstr_or_null(c->opening_risk));
	json_object_set_new(o, "opened_at", jv_time(c->opened_at));
	json_object_set_new(o, "closed_at", jv_time(c->closed_at));
	json_object_set_new(o, "closure_reason", jstr_or_null(c->closure_reason));
	json_object_set_new(o, "closure_risk", jstr_or_null(c->closure_risk));
	json_object_set_new(o, "transition_plan_at", jv_time(c->transition_plan_at));
	json_object_set_new(o, "transition_plan", jstr(c->transition_plan));
	json_object_set_new(o, "link", jlink("case", c->id, c->id, c->person_id));
	json_object_set_new(o, "created_at", jv_time(c->created_at));
	json_object_set_new(o, "created_by", jstr(c->created_by));
	json_object_set_new(o, "updated_at", jv_time(c->updated_at));
	json_object_set_new(o, "updated_by", jstr(c->updated_by));
	return o;
}

static int story_case(void *ctx, const struct story_case *c)
{
	struct story *s = ctx;
	json_array_append_new(s->cases, case_json(c));
	if (!s->open_case && strcmp(c->status, "open") == 0) {
		s->open_case = case_json(c);
		s->open_case_id = c->id;
	}
	if (s->n_seen == s->cap_seen) {
		size_t cap = s->cap_seen ? s->cap_seen * 2 : 8;
		struct story_case_seen *seen = realloc(s->seen, cap * sizeof *seen);
		if (!seen) {
			s->failed = true;
			return 1;
		}
		s->seen = seen;
		s->cap_seen = cap;
	}
	s->seen[s->n_seen++] = (struct story_case_seen){ .id = c->id, .opened_at = c->opened_at };
	char text[1024];
	if (c->closed_at) {
		snprintf(text, sizeof text, "Case closed: %s%s%s", c->closure_reason_label[0] ? c->closure_reason_label
											  : c->closure_reason,
			 c->closure_risk[0] ? "; risk at closure " : "", c->closure_risk);
		story_event(s, c->closed_at, RANK_CASE_CLOSED, c->id, "case_closed", text, "case", c->id, c->id);
	}
	story_event(s, c->transition_plan_at, RANK_TRANSITION_PLAN, c->id, "transition_plan", "Transition plan recorded",
		    "case", c->id, c->id);
	return 0;
}

/* "Phoenix" or "Phoenix (Pat Practitioner)". */
static void team_and_worker(char *out, size_t cap, const char *team, const struct dash_user *w)
{
	if (w->username[0])
		snprintf(out, cap, "%s (%s)", team, w->display_name[0] ? w->display_name : w->username);
	else
		snprintf(out, cap, "%s", team);
}

static int story_allocation(void *ctx, const struct story_allocation *a)
{
	struct story *s = ctx;
	char who[700], text[800];
	team_and_worker(who, sizeof who, a->team, &a->worker);
	if (a->first) {
		for (size_t i = 0; i < s->n_seen; i++)
			if (s->seen[i].id == a->case_id)
				s->seen[i].has_first_allocation = true;
		snprintf(text, sizeof text, "Case opened and allocated to %s", who);
		story_event(s, a->from_at, RANK_CASE_OPENED, a->case_id, "case_opened", text, "case", a->case_id,
			    a->case_id);
	} else {
		snprintf(text, sizeof text, "Case reallocated to %s", who);
		story_event(s, a->from_at, RANK_CASE_ALLOCATED, a->id, "case_allocated", text, "case", a->case_id,
			    a->case_id);
	}
	if (a->case_id == s->open_case_id)
		json_array_append_new(s->open_allocations,
				      json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)a->id, "team",
						jstr(a->team), "worker", juser(&a->worker), "from_at", jv_time(a->from_at),
						"reason", jstr(a->reason), "by", jstr(a->by)));
	return 0;
}

static int story_clock(void *ctx, const struct dash_task *t)
{
	json_array_append_new(ctx, task_json(t, store_now()));
	return 0;
}

static int story_referral(void *ctx, const struct story_referral *r)
{
	struct story *s = ctx;
	bool decided = strcmp(r->status, "decided") == 0;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "person_id", json_integer(s->person_id));
	json_object_set_new(o, "subject_type", jstr(r->subject_type));
	json_object_set_new(o, "subject_ref", jstr(r->subject_ref));
	json_object_set_new(o, "received_at", jv_time(r->received_at));
	json_object_set_new(o, "source_code", jstr(r->source_code));
	json_object_set_new(o, "source_label", jstr(r->source_label[0] ? r->source_label : r->source_code));
	json_object_set_new(o, "source_agency", jstr(r->source_agency));
	json_object_set_new(o, "referrer_name", jstr(r->referrer_name));
	json_object_set_new(o, "referrer_contact", jstr(r->referrer_contact));
	json_object_set_new(o, "strands", jarray_text(r->strands));
	json_object_set_new(o, "concerns", jstr(r->concerns));
	json_object_set_new(o, "consent_basis", jstr(r->consent_basis));
	json_object_set_new(o, "status", jstr(r->status));
	json_object_set_new(o, "decision_due_at", r->decision_due_at ? jv_time(r->decision_due_at) : json_null());
	json_object_set_new(o, "outcome", decided ? jstr_or_null(r->outcome) : json_null());
	json_object_set_new(o, "outcome_label", decided ? jstr_or_null(r->outcome_label) : json_null());
	json_object_set_new(o, "rationale", decided ? jstr_or_null(r->rationale) : json_null());
	json_object_set_new(o, "decided_at", decided ? jv_time(r->decided_at) : json_null());
	json_object_set_new(o, "decided_by", decided ? jstr_or_null(r->decided_by) : json_null());
	json_t *late = json_null();
	if (decided && strcmp(r->clock_status, "breached") == 0)
		late = json_true();
	else if (decided && strcmp(r->clock_status, "met") == 0)
		late = json_false();
	json_object_set_new(o, "decision_late", late);
	json_object_set_new(o, "case_id", jid(r->case_id));
	json_object_set_new(o, "team", jstr(r->team));
	json_object_set_new(o, "link", jlink("referral", r->id, 0, s->person_id));
	json_object_set_new(o, "created_at", jv_time(r->created_at));
	json_object_set_new(o, "created_by", jstr(r->created_by));
	json_object_set_new(o, "updated_at", jv_time(r->updated_at));
	json_object_set_new(o, "updated_by", jstr(r->updated_by));
	json_array_append_new(s->referrals, o);

	char text[1400];
	snprintf(text, sizeof text, "Referral received from %s%s%s%s", r->source_label[0] ? r->source_label : r->source_code,
		 r->source_agency[0] ? " (" : "", r->source_agency, r->source_agency[0] ? ")" : "");
	story_event(s, r->received_at, RANK_REFERRAL_RECEIVED, r->id, "referral_received", text, "referral", r->id, 0);
	if (decided) {
		snprintf(text, sizeof text, "Referral decided: %s%s", r->outcome_label[0] ? r->outcome_label : r->outcome,
			 json_is_true(late) ? " (late)" : "");
		story_event(s, r->decided_at, RANK_REFERRAL_DECIDED, r->id, "referral_decided", text, "referral", r->id, 0);
	}
	return 0;
}

static int story_assessment(void *ctx, const struct story_assessment *a)
{
	struct story *s = ctx;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "person_id", json_integer(s->person_id));
	json_object_set_new(o, "case_id", jid(a->case_id));
	json_object_set_new(o, "tool", json_pack("{s:I, s:o, s:I, s:o}", "id", (json_int_t)a->tool_id, "code",
						 jstr(a->tool_code), "version", (json_int_t)a->tool_version, "name",
						 jstr(a->tool_name)));
	json_object_set_new(o, "assessed_at", jv_time(a->assessed_at));
	json_object_set_new(o, "score", json_integer(a->score));
	json_object_set_new(o, "computed_level", jstr(a->computed_level));
	json_object_set_new(o, "final_level", jstr(a->final_level));
	json_object_set_new(o, "override_level", jstr_or_null(a->override_level));
	json_object_set_new(o, "override_rationale", jstr(a->override_rationale));
	json_object_set_new(o, "assessor", jstr(a->assessor));
	json_array_append_new(s->assessments, o);
	char text[300];
	snprintf(text, sizeof text, "Risk assessment: %s (score %" PRId64 ")%s%s", a->final_level, a->score,
		 a->override_level[0] ? "; professional override from " : "", a->override_level[0] ? a->computed_level : "");
	story_event(s, a->assessed_at, RANK_ASSESSMENT, a->id, "assessment", text, "case", a->case_id, a->case_id);
	return 0;
}

static int story_meeting(void *ctx, const struct meeting *m)
{
	struct story *s = ctx;
	json_array_append_new(s->meetings, api_meeting_json(m, s->today));
	char label[801], text[1000];
	if (store_dash_code_label(s->st, CONFIG_MEETING_TYPE, m->type, label, sizeof label) != 0) {
		s->failed = true;
		return 1;
	}
	int open = 0;
	for (int i = 0; i < m->n_actions; i++)
		open += m->actions[i].done_at == 0;
	snprintf(text, sizeof text, "%s: %d attending, %d actions (%d open)", label, m->n_attendees, m->n_actions, open);
	story_event(s, m->held_at, RANK_MEETING, m->id, "meeting", text, "meeting", m->id, m->case_id);
	return 0;
}

static int story_contact(void *ctx, const struct story_contact *c)
{
	struct story *s = ctx;
	json_array_append_new(s->contacts,
			      json_pack("{s:I, s:I, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o}", "id", (json_int_t)c->id,
					"case_id", (json_int_t)c->case_id, "contact_at", jv_time(c->contact_at), "kind",
					jstr(c->kind), "kind_label", jstr(c->kind_label), "seen", c->seen, "seen_alone",
					c->seen_alone, "location", jstr(c->location), "summary", jstr(c->summary), "by",
					jstr(c->by)));
	char text[1000];
	snprintf(text, sizeof text, "%s: %s", c->kind_label,
		 c->seen ? (c->seen_alone ? "child seen alone" : "child seen") : "child not seen");
	story_event(s, c->contact_at, RANK_CONTACT, c->id, "contact", text, "case", c->case_id, c->case_id);
	return 0;
}

static int story_note(void *ctx, const struct story_note *n)
{
	struct story *s = ctx;
	char text[DASHBOARD_EXCERPT_CHARS * 4 + 1];
	dashboard_excerpt(n->excerpt, DASHBOARD_EXCERPT_CHARS, text, sizeof text);
	story_event(s, n->at, RANK_NOTE, n->id, "note", text, "case", n->case_id, n->case_id);
	return 0;
}

static int story_supervision(void *ctx, const struct story_supervision *v)
{
	struct story *s = ctx;
	char text[200];
	snprintf(text, sizeof text, "Supervision recorded%s%s%s%s", v->by[0] ? " by " : "", v->by,
		 v->next_due[0] ? "; next due " : "", v->next_due);
	story_event(s, v->held_at, RANK_SUPERVISION, v->id, "supervision", text, "case", v->case_id, v->case_id);
	return 0;
}

static int story_flag(void *ctx, const struct story_flag *f)
{
	struct story *s = ctx;
	json_array_append_new(
		s->flags, json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "id", (json_int_t)f->id,
				    "version", (json_int_t)f->version, "case_id", (json_int_t)f->case_id, "kind",
				    jstr(f->kind), "kind_label", jstr(f->kind_label), "note", jstr(f->note), "set_at",
				    jv_time(f->set_at), "review_date", jstr(f->review_date), "police_flag",
				    f->police_flag, "removed_at", jv_time(f->removed_at), "by", jstr(f->by)));
	char text[1000];
	snprintf(text, sizeof text, "Flag set: %s%s", f->kind_label, f->police_flag ? " (also on police systems)" : "");
	story_event(s, f->set_at, RANK_FLAG_SET, f->id, "flag_set", text, "case", f->case_id, f->case_id);
	snprintf(text, sizeof text, "Flag removed: %s", f->kind_label);
	story_event(s, f->removed_at, RANK_FLAG_REMOVED, f->id, "flag_removed", text, "case", f->case_id, f->case_id);
	return 0;
}

static int story_feedback(void *ctx, const struct story_feedback *f)
{
	struct story *s = ctx;
	json_array_append_new(s->feedback,
			      json_pack("{s:I, s:I, s:o, s:I, s:o, s:o, s:o}", "id", (json_int_t)f->id, "case_id",
					(json_int_t)f->case_id, "stage", jstr(f->stage), "score", (json_int_t)f->score,
					"words", jstr(f->words), "at", jv_time(f->at), "by", jstr(f->by)));
	char text[100];
	snprintf(text, sizeof text, "Feedback from the young person at %s: %" PRId64 " out of 5", f->stage, f->score);
	story_event(s, f->at, RANK_FEEDBACK, f->id, "feedback", text, "case", f->case_id, f->case_id);
	return 0;
}

/* Cases with no first allocation on record still show their opening. */
static void story_unallocated_openings(struct story *s)
{
	for (size_t i = 0; i < s->n_seen; i++)
		if (!s->seen[i].has_first_allocation)
			story_event(s, s->seen[i].opened_at, RANK_CASE_OPENED, s->seen[i].id, "case_opened", "Case opened",
				    "case", s->seen[i].id, s->seen[i].id);
}

/* The timeline, newest first, at most DASHBOARD_TIMELINE_MAX lines; takes the events' objects. */
static json_t *story_timeline(struct story *s)
{
	dashboard_timeline_sort(s->events, s->n_events);
	json_t *arr = json_array();
	for (size_t i = 0; i < s->n_events; i++) {
		if (i < DASHBOARD_TIMELINE_MAX)
			json_array_append_new(arr, s->events[i].item);
		else
			json_decref(s->events[i].item);
	}
	s->n_events = 0;
	return arr;
}

static void story_free(struct story *s)
{
	json_decref(s->cases);
	json_decref(s->referrals);
	json_decref(s->assessments);
	json_decref(s->meetings);
	json_decref(s->contacts);
	json_decref(s->flags);
	json_decref(s->feedback);
	json_decref(s->open_case);
	json_decref(s->open_allocations);
	for (size_t i = 0; i < s->n_events; i++)
		json_decref(s->events[i].item);
	free(s->events);
	free(s->seen);
}

/* Read every part of the story; false on a store error or when out of memory. */
static bool story_read(struct story *s)
{
	struct store *st = s->st;
	int64_t id = s->person_id;
	if (store_story_cases(st, id, story_case, s) != 0 || s->failed ||
	    store_story_allocations(st, id, story_allocation, s) != 0 || s->failed)
		return false;
	story_unallocated_openings(s);
	if (s->open_case) {
		json_t *clocks = json_array();
		json_object_set_new(s->open_case, "clocks", clocks);
		json_object_set(s->open_case, "allocations", s->open_allocations);
		if (store_story_clocks(st, s->open_case_id, story_clock, clocks) != 0)
			return false;
	}
	return store_story_referrals(st, id, story_referral, s) == 0 &&
	       store_story_assessments(st, id, story_assessment, s) == 0 &&
	       meeting_list(st, 0, id, STORY_MEETINGS_MAX, story_meeting, s) == MEETING_OK &&
	       store_story_contacts(st, id, story_contact, s) == 0 && store_story_notes(st, id, story_note, s) == 0 &&
	       store_story_supervisions(st, id, story_supervision, s) == 0 &&
	       store_story_flags(st, id, story_flag, s) == 0 && store_story_feedback(st, id, story_feedback, s) == 0 &&
	       !s->failed;
}

void api_person_story(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	if (!api_person_gate(rq, rs, id))
		return;
	struct person *p = calloc(1, sizeof *p);
	struct story *s = calloc(1, sizeof *s);
	if (!p || !s || person_get(rq->st, &rq->session.user, id, p) != PERSON_OK) {
		api_store_failed(rs);
		goto out;
	}
	s->st = rq->st;
	s->person_id = id;
	s->now = store_now();
	struct dashboard_day day;
	dashboard_day_at(s->now, &day);
	memcpy(s->today, day.today, sizeof s->today);
	s->cases = json_array();
	s->referrals = json_array();
	s->assessments = json_array();
	s->meetings = json_array();
	s->contacts = json_array();
	s->flags = json_array();
	s->feedback = json_array();
	s->open_allocations = json_array();
	if (!story_read(s)) {
		api_store_failed(rs);
		goto out;
	}
	json_t *o = json_object();
	json_object_set_new(o, "person", api_person_json(p));
	json_object_set(o, "cases", s->cases);
	json_object_set(o, "open_case", s->open_case ? s->open_case : json_null());
	json_object_set(o, "referrals", s->referrals);
	json_object_set(o, "assessments", s->assessments);
	json_object_set(o, "meetings", s->meetings);
	json_object_set(o, "contacts", s->contacts);
	json_object_set(o, "flags", s->flags);
	json_object_set(o, "feedback", s->feedback);
	json_object_set_new(o, "timeline", story_timeline(s));
	resp_json(rs, 200, o);
	char detail[120];
	snprintf(detail, sizeof detail, "%zu cases, %zu referrals, %zu assessments, %zu meetings",
		 json_array_size(s->cases), json_array_size(s->referrals), json_array_size(s->assessments),
		 json_array_size(s->meetings));
	api_audit_view(rq, rs, "person.story", "person", id, detail);
out:
	if (s)
		story_free(s);
	free(s);
	free(p);
}
