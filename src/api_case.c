/*
 * api_case.c - /api/v1/cases: the case list, one case with everything recorded on it and its
 * running clocks as tasks, and every change on a case (strands, allocation, contacts, notes,
 * supervision, flags, feedback, transition plan, closure). Validates each body once into typed
 * values (every bad field named in one 422, unknown members refused), applies the reach rules
 * (restricted persons: api_person_gate; the team rule: casework_may_change; a closed case takes
 * no change: 409), calls casework.c, and answers JSON. Contract: docs/api-casework.md, "Cases".
 * Owns: the JSON shapes of Case, its lists and Task-on-a-case. Must not touch: SQL text, clocks
 * directly (casework.c starts and stops them).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "calendar.h"
#include "casework.h"
#include "config.h"
#include "json.h"
#include "store.h"
#include "store_case.h"
#include "valid.h"

/* ---- answers ---------------------------------------------------------------------------- */

static void not_found(struct resp *rs)
{
	resp_problem(rs, 404, "Not found", "There is no case with that id.", NULL);
}

static void out_of_memory(struct resp *rs)
{
	resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
}

/* Answer a change that casework.c refused or that failed. */
static void case_fail(struct resp *rs, enum casework_status cs)
{
	switch (cs) {
	case CASEWORK_CLOSED:
		resp_problem(rs, 409, "Conflict", "Nothing was changed: the case is closed.", NULL);
		break;
	case CASEWORK_STALE:
		resp_problem(rs, 409, "Conflict",
			     "Someone else changed this record after you opened it. Reload it and make your change again.",
			     NULL);
		break;
	case CASEWORK_GONE:
		resp_problem(rs, 409, "Conflict", "Nothing was changed: the flag has been removed.", NULL);
		break;
	case CASEWORK_NOT_FOUND:
		resp_problem(rs, 404, "Not found", "There is no flag with that id on this case.", NULL);
		break;
	default:
		api_store_failed(rs);
		break;
	}
}

/* ---- loading a case and the reach rules ------------------------------------------------- */

/*
 * The case named by path parameter 0, read in this request's transaction, when the user may
 * reach its person (calloc'd: the caller frees). Otherwise answers 404, 403 or 503 and returns NULL.
 */
static struct casework_case *case_load(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	if (!id) {
		not_found(rs);
		return NULL;
	}
	struct casework_case *c = calloc(1, sizeof *c);
	if (!c) {
		out_of_memory(rs);
		return NULL;
	}
	int rc = store_case_get(rq->st, id, c);
	if (rc != 0) {
		if (rc == STORE_NOTFOUND)
			not_found(rs);
		else
			api_store_failed(rs);
		free(c);
		return NULL;
	}
	if (!api_person_gate(rq, rs, c->person_id)) {
		free(c);
		return NULL;
	}
	return c;
}

/*
 * case_load, then the rules for changing it: the team rule (403, audited case.denied) and an
 * open case (409). NULL (answered) when the change may not go ahead.
 */
static struct casework_case *case_for_change(struct req *rq, struct resp *rs)
{
	struct casework_case *c = case_load(rq, rs);
	if (!c)
		return NULL;
	if (!casework_may_change(&rq->session.user, c)) {
		struct audit_entry e;
		audit_fill(&e, &rq->session.user, "case.denied", "case", c->id, "denied", "another team's case");
		audit_view(rq->st, &e, NULL, NULL);
		resp_problem(rs, 403, "Forbidden", "Only the case's own team or a manager may change this case.", NULL);
		free(c);
		return NULL;
	}
	if (strcmp(c->status, "open") != 0) {
		case_fail(rs, CASEWORK_CLOSED);
		free(c);
		return NULL;
	}
	return c;
}

/* ---- JSON shapes ------------------------------------------------------------------------ */

static json_t *text_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *worker_json(const char *username, const char *display_name)
{
	if (!username || !username[0])
		return json_null();
	return json_pack("{s:s, s:s}", "username", username, "display_name", display_name);
}

/* The Case object without its lists. */
static json_t *case_json(const struct casework_case *c, int64_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "person_id", json_integer(c->person_id));
	json_t *p = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->person_id, "given_name", c->given_name,
			      "family_name", c->family_name);
	api_put_age(p, c->dob, now);
	json_object_set_new(o, "person", p);
	json_object_set_new(o, "referral_id", c->referral_id ? json_integer(c->referral_id) : json_null());
	json_object_set_new(o, "status", json_string(c->status));
	json_object_set_new(o, "team", json_string(c->team));
	json_object_set_new(o, "worker", worker_json(c->worker_username, c->worker_display_name));
	json_t *strands = json_array();
	for (int i = 0; i < c->n_strands; i++)
		json_array_append_new(strands, json_string(c->strands[i]));
	json_object_set_new(o, "strands", strands);
	json_object_set_new(o, "risk_level", text_or_null(c->risk_level));
	json_object_set_new(o, "opening_risk", text_or_null(c->opening_risk));
	json_object_set_new(o, "opened_at", jv_time(c->opened_at));
	json_object_set_new(o, "closed_at", jv_time(c->closed_at));
	json_object_set_new(o, "closure_reason", text_or_null(c->closure_reason));
	json_object_set_new(o, "closure_risk", text_or_null(c->closure_risk));
	json_object_set_new(o, "transition_plan_at", jv_time(c->transition_plan_at));
	json_object_set_new(o, "transition_plan", text_or_null(c->transition_plan));
	json_object_set_new(o, "created_at", jv_time(c->created_at));
	json_object_set_new(o, "created_by", json_string(c->created_by));
	json_object_set_new(o, "updated_at", jv_time(c->updated_at));
	json_object_set_new(o, "updated_by", json_string(c->updated_by));
	return o;
}

static json_t *contact_json(const struct casework_contact *k)
{
	return json_pack("{s:I, s:o, s:s, s:b, s:b, s:s, s:s, s:s}", "id", (json_int_t)k->id, "contact_at",
			 jv_time(k->contact_at), "kind", k->kind, "seen", k->seen, "seen_alone", k->seen_alone, "location",
			 k->location, "summary", k->summary, "by", k->by);
}

static json_t *note_json(const struct casework_note *n)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)n->id, "note", n->note, "child_voice",
			 n->child_voice, "at", jv_time(n->at), "by", n->by);
}

static json_t *supervision_json(const struct casework_supervision *s)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:o, s:s}", "id", (json_int_t)s->id, "held_at", jv_time(s->held_at),
			 "discussion", s->discussion, "decisions", s->decisions, "next_due", text_or_null(s->next_due),
			 "by", s->by);
}

static json_t *flag_json(const struct casework_flag *f)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:b, s:o, s:s}", "id", (json_int_t)f->id, "version",
			 (json_int_t)f->version, "kind", f->kind, "note", f->note, "set_at", jv_time(f->set_at),
			 "review_date", f->review_date, "police_flag", f->police_flag, "removed_at", jv_time(f->removed_at),
			 "by", f->by);
}

static json_t *feedback_json(const struct casework_feedback *f)
{
	return json_pack("{s:I, s:s, s:i, s:s, s:o, s:s}", "id", (json_int_t)f->id, "stage", f->stage, "score", f->score,
			 "words", f->words, "at", jv_time(f->at), "by", f->by);
}

/* What the list readers' callbacks append to. */
struct list_ctx {
	json_t *items;
	const struct casework_case *c;
	int64_t now;
};

static int add_allocation(void *ctx, const struct casework_allocation *a)
{
	struct list_ctx *l = ctx;
	json_array_append_new(l->items, json_pack("{s:s, s:o, s:o, s:s, s:s}", "team", a->team, "worker",
						  worker_json(a->worker_username, a->worker_display_name), "from_at",
						  jv_time(a->from_at), "reason", a->reason, "by", a->by));
	return 0;
}

static int add_contact(void *ctx, const struct casework_contact *k)
{
	json_array_append_new(((struct list_ctx *)ctx)->items, contact_json(k));
	return 0;
}

static int add_note(void *ctx, const struct casework_note *n)
{
	json_array_append_new(((struct list_ctx *)ctx)->items, note_json(n));
	return 0;
}

static int add_supervision(void *ctx, const struct casework_supervision *s)
{
	json_array_append_new(((struct list_ctx *)ctx)->items, supervision_json(s));
	return 0;
}

static int add_flag(void *ctx, const struct casework_flag *f)
{
	json_array_append_new(((struct list_ctx *)ctx)->items, flag_json(f));
	return 0;
}

static int add_feedback(void *ctx, const struct casework_feedback *f)
{
	json_array_append_new(((struct list_ctx *)ctx)->items, feedback_json(f));
	return 0;
}

/* A running clock of the case as a Task (docs/api-casework.md, "Tasks"). */
static int add_task(void *ctx, const struct store_case_task *t)
{
	struct list_ctx *l = ctx;
	const struct clock *k = &t->clock;
	char link[48];
	snprintf(link, sizeof link, "/cases/%" PRId64, k->case_id);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(k->id));
	json_object_set_new(o, "standard", json_string(k->standard));
	json_object_set_new(o, "name", json_string(k->standard_name));
	json_object_set_new(o, "subject_type", json_string(k->subject_type));
	json_object_set_new(o, "subject_id", json_integer(k->subject_id));
	json_object_set_new(o, "case_id", json_integer(k->case_id));
	json_object_set_new(o, "person", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)l->c->person_id, "given_name",
						   l->c->given_name, "family_name", l->c->family_name));
	json_object_set_new(o, "team", json_string(k->team));
	json_object_set_new(o, "worker", worker_json(t->worker_username, t->worker_display_name));
	json_object_set_new(o, "started_at", jv_time(k->started_at));
	json_object_set_new(o, "due_at", jv_time(k->due_at));
	json_object_set_new(o, "overdue", json_boolean(l->now > k->due_at));
	json_object_set_new(o, "link", json_string(link));
	json_array_append_new(l->items, o);
	return 0;
}

/* The full Case: the row, and every list recorded on it. NULL when the store failed. */
static json_t *case_full_json(struct store *st, const struct casework_case *c)
{
	int64_t now = store_now();
	json_t *o = case_json(c, now);
	struct {
		const char *name;
		int rc;
		json_t *items;
	} lists[] = { { "allocations", 0, json_array() }, { "contacts", 0, json_array() },
		      { "notes", 0, json_array() },       { "supervisions", 0, json_array() },
		      { "flags", 0, json_array() },       { "feedback", 0, json_array() },
		      { "clocks", 0, json_array() } };
	struct list_ctx l[7];
	for (int i = 0; i < 7; i++)
		l[i] = (struct list_ctx){ .items = lists[i].items, .c = c, .now = now };
	lists[0].rc = store_case_allocations_each(st, c->id, add_allocation, &l[0]);
	lists[1].rc = store_case_contacts_each(st, c->id, add_contact, &l[1]);
	lists[2].rc = store_case_notes_each(st, c->id, add_note, &l[2]);
	lists[3].rc = store_case_supervisions_each(st, c->id, add_supervision, &l[3]);
	lists[4].rc = store_case_flags_each(st, c->id, add_flag, &l[4]);
	lists[5].rc = store_case_feedback_each(st, c->id, add_feedback, &l[5]);
	lists[6].rc = store_case_tasks_each(st, c->id, add_task, &l[6]);
	bool ok = true;
	for (int i = 0; i < 7; i++) {
		ok = ok && lists[i].rc == 0;
		json_object_set_new(o, lists[i].name, lists[i].items);
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Read case `id` again (after a change) and answer it whole with `status`. */
static void reply_case(struct req *rq, struct resp *rs, int64_t id, int status)
{
	struct casework_case *c = calloc(1, sizeof *c);
	json_t *o = NULL;
	if (c && store_case_get(rq->st, id, c) == 0)
		o = case_full_json(rq->st, c);
	free(c);
	if (!o) {
		api_store_failed(rs);
		return;
	}
	resp_json(rs, status, o);
}

/* ---- field readers ---------------------------------------------------------------------- */

/* obj[key] as an active code of config list `list` into out[CASE_CODE_BYTES]. */
static bool code_field(struct store *st, struct jv *v, json_t *obj, const char *key, bool required, const char *list,
		       const char *what, char out[CASE_CODE_BYTES])
{
	if (!jv_string(v, obj, key, key, required ? 1 : 0, CASE_CODE_BYTES - 1, false, out, CASE_CODE_BYTES))
		return false;
	if (out[0] && !config_code_active(st, list, out)) {
		jv_error(v, key, "must be one of the %s in the configuration", what);
		out[0] = 0;
		return false;
	}
	return true;
}

/* obj.strands: 1..CASE_STRANDS_MAX distinct active strand codes. */
static void strands_field(struct store *st, struct jv *v, json_t *obj, char out[][CASE_CODE_BYTES], int *n)
{
	size_t len;
	*n = 0;
	json_t *arr = jv_array(v, obj, "strands", "strands", CASE_STRANDS_MAX, &len);
	if (!arr && !jv_failed(v)) {
		jv_error(v, "strands", "is required: give at least one strand");
		return;
	}
	if (arr && len == 0) {
		jv_error(v, "strands", "must have at least one strand");
		return;
	}
	for (size_t i = 0; i < len; i++) {
		char path[32];
		snprintf(path, sizeof path, "strands[%zu]", i);
		const char *s = json_string_value(json_array_get(arr, i));
		if (!s || strlen(s) >= CASE_CODE_BYTES || !config_code_active(st, CONFIG_STRAND, s)) {
			jv_error(v, path, "must be one of the strands in the configuration");
			continue;
		}
		bool repeated = false;
		for (int k = 0; k < *n; k++)
			repeated = repeated || strcmp(out[k], s) == 0;
		if (repeated) {
			jv_error(v, path, "is given twice");
			continue;
		}
		snprintf(out[(*n)++], CASE_CODE_BYTES, "%s", s);
	}
}

/* obj[key] as an optional date (YYYY-MM-DD) that is not before local today into out ("" when absent). */
static void future_date_field(struct jv *v, json_t *obj, const char *key, char out[11])
{
	if (!api_date_field(v, obj, key, false, out) || !out[0])
		return;
	struct valid_date d, today;
	valid_parse_date(out, &d);
	calendar_local_date(store_now(), &today);
	if (valid_days_from_civil(&d) < valid_days_from_civil(&today)) {
		jv_error(v, key, "must be today or later");
		out[0] = 0;
	}
}

/* Heap room for text of up to `chars` characters (4 bytes each in UTF-8), or NULL. */
static char *text_buffer(size_t chars)
{
	return calloc(1, 4 * chars + 1);
}

/* ---- the handlers ----------------------------------------------------------------------- */

/* What the case list callback builds. */
struct case_list_ctx {
	json_t *items;
	int64_t now;
};

static int add_case(void *ctx, const struct casework_case *c)
{
	struct case_list_ctx *l = ctx;
	json_array_append_new(l->items, case_json(c, l->now));
	return 0;
}

void api_case_list(struct req *rq, struct resp *rs)
{
	struct store_case_filter f;
	char worker[USER_NAME_MAX + 1], person[24];
	memset(&f, 0, sizeof f);
	if (!api_query_text(rq, rs, "status", f.status, sizeof f.status) ||
	    !api_query_text(rq, rs, "team", f.team, sizeof f.team) ||
	    !api_query_text(rq, rs, "worker", worker, sizeof worker) ||
	    !api_query_text(rq, rs, "person_id", person, sizeof person) ||
	    !api_query_int(rq, rs, "limit", 1, 100, 20, &f.limit) ||
	    !api_query_int(rq, rs, "offset", 0, 1000000, 0, &f.offset))
		return;
	struct jv v = { 0 };
	if (f.status[0] && strcmp(f.status, "open") != 0 && strcmp(f.status, "closed") != 0)
		jv_error(&v, "status", "must be open or closed");
	if (person[0]) {
		char *end = NULL;
		long long id = strtoll(person, &end, 10);
		if (!end || *end || id < 1 || strlen(person) > 15)
			jv_error(&v, "person_id", "must be a person's id");
		else
			f.person_id = id;
	}
	if (jv_failed(&v)) {
		resp_problem(rs, 400, "Bad query", "A query parameter is not valid.", jv_take(&v));
		return;
	}
	if (worker[0]) {
		struct user u;
		int rc = store_user_by_name(rq->st, worker, &u, NULL, 0);
		if (rc != 0 && rc != STORE_NOTFOUND) {
			api_store_failed(rs);
			return;
		}
		f.worker_id = rc == 0 ? u.id : -1; /* an unknown worker has no cases */
	}
	f.viewer_id = rq->session.user.id;
	struct case_list_ctx l = { .items = json_array(), .now = store_now() };
	int64_t total = 0;
	if (store_case_list(rq->st, &f, add_case, &l, &total) != 0) {
		json_decref(l.items);
		api_store_failed(rs);
		return;
	}
	size_t shown = json_array_size(l.items);
	resp_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", l.items, "total", (json_int_t)total, "limit",
				     f.limit, "offset", f.offset));
	char detail[96];
	snprintf(detail, sizeof detail, "%zu shown of %" PRId64, shown, total);
	api_audit_view(rq, rs, "case.list", "", 0, detail);
}

void api_case_get(struct req *rq, struct resp *rs)
{
	struct casework_case *c = case_load(rq, rs);
	if (!c)
		return;
	json_t *o = case_full_json(rq->st, c);
	if (!o) {
		api_store_failed(rs);
	} else {
		resp_json(rs, 200, o);
		char detail[48];
		snprintf(detail, sizeof detail, "person %" PRId64, c->person_id);
		api_audit_view(rq, rs, "case.view", "case", c->id, detail);
	}
	free(c);
}

void api_case_update(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "strands", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	int64_t version;
	char strands[CASE_STRANDS_MAX][CASE_CODE_BYTES];
	int n = 0;
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	strands_field(rq->st, &v, rq->json, strands, &n);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_update_strands(rq->st, &rq->session.user, c, version, strands, n);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		reply_case(rq, rs, c->id, 200);
out:
	free(c);
}

void api_case_allocate(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "team", "worker", "reason", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	int64_t version, worker_id = 0;
	char team[4 * CASE_TEAM_CHARS + 1], worker[USER_NAME_MAX + 1];
	char *reason = text_buffer(CASE_REASON_CHARS);
	if (!reason) {
		out_of_memory(rs);
		goto out;
	}
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	bool team_ok = jv_string(&v, rq->json, "team", "team", 1, CASE_TEAM_CHARS, false, team, sizeof team);
	jv_string(&v, rq->json, "reason", "reason", 0, CASE_REASON_CHARS, true, reason, 4 * CASE_REASON_CHARS + 1);
	if (jv_string(&v, rq->json, "worker", "worker", 0, USER_NAME_MAX, false, worker, sizeof worker) && worker[0] &&
	    team_ok) {
		char why[160];
		int rc = casework_check_worker(rq->st, team, worker, &worker_id, why, sizeof why);
		if (rc == STORE_NOTFOUND)
			jv_error(&v, "worker", "%s", why);
		else if (rc != 0) {
			api_store_failed(rs);
			goto out;
		}
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_allocate(rq->st, &rq->session.user, c, version, team, worker_id, reason);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		reply_case(rq, rs, c->id, 200);
out:
	free(reason);
	free(c);
}

void api_case_contact_add(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "contact_at", "kind", "seen", "seen_alone", "location", "summary", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	char kind[CASE_CODE_BYTES], location[4 * CASE_LOCATION_CHARS + 1];
	char *summary = text_buffer(CASE_VOICE_CHARS);
	if (!summary) {
		out_of_memory(rs);
		goto out;
	}
	struct casework_contact k = { .kind = kind, .location = location, .summary = summary,
				      .by = rq->session.user.username };
	jv_known(&v, rq->json, "", known);
	api_time_field(&v, rq->json, "contact_at", true, 0, &k.contact_at);
	code_field(rq->st, &v, rq->json, "kind", true, CONFIG_CONTACT_TYPE, "contact types", kind);
	k.seen = jv_bool(&v, rq->json, "seen", "seen", true);
	k.seen_alone = jv_bool(&v, rq->json, "seen_alone", "seen_alone", false);
	if (k.seen_alone && !k.seen)
		jv_error(&v, "seen_alone", "cannot be true when the child was not seen");
	jv_string(&v, rq->json, "location", "location", 0, CASE_LOCATION_CHARS, false, location, sizeof location);
	jv_string(&v, rq->json, "summary", "summary", 0, CASE_VOICE_CHARS, true, summary, 4 * CASE_VOICE_CHARS + 1);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_add_contact(rq->st, &rq->session.user, c, &k);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		resp_json(rs, 201, contact_json(&k));
out:
	free(summary);
	free(c);
}

void api_case_note_add(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "note", "child_voice", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	char *note = text_buffer(CASE_NOTE_CHARS), *voice = text_buffer(CASE_VOICE_CHARS);
	if (!note || !voice) {
		out_of_memory(rs);
		goto out;
	}
	jv_known(&v, rq->json, "", known);
	jv_string(&v, rq->json, "note", "note", 1, CASE_NOTE_CHARS, true, note, 4 * CASE_NOTE_CHARS + 1);
	jv_string(&v, rq->json, "child_voice", "child_voice", 0, CASE_VOICE_CHARS, true, voice,
		  4 * CASE_VOICE_CHARS + 1);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	struct casework_note n = { .note = note, .child_voice = voice, .by = rq->session.user.username };
	enum casework_status cs = casework_add_note(rq->st, &rq->session.user, c, &n);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		resp_json(rs, 201, note_json(&n));
out:
	free(note);
	free(voice);
	free(c);
}

void api_case_supervision_add(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "held_at", "discussion", "decisions", "next_due", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	char next_due[11];
	char *discussion = text_buffer(CASE_NOTE_CHARS), *decisions = text_buffer(CASE_VOICE_CHARS);
	if (!discussion || !decisions) {
		out_of_memory(rs);
		goto out;
	}
	struct casework_supervision s = { .discussion = discussion, .decisions = decisions, .next_due = next_due,
					  .by = rq->session.user.username };
	jv_known(&v, rq->json, "", known);
	bool held_ok = api_time_field(&v, rq->json, "held_at", true, 0, &s.held_at);
	jv_string(&v, rq->json, "discussion", "discussion", 0, CASE_NOTE_CHARS, true, discussion,
		  4 * CASE_NOTE_CHARS + 1);
	jv_string(&v, rq->json, "decisions", "decisions", 1, CASE_VOICE_CHARS, true, decisions,
		  4 * CASE_VOICE_CHARS + 1);
	if (api_date_field(&v, rq->json, "next_due", false, next_due) && next_due[0] && held_ok) {
		struct valid_date due, held;
		valid_parse_date(next_due, &due);
		calendar_local_date(s.held_at, &held);
		if (valid_days_from_civil(&due) <= valid_days_from_civil(&held))
			jv_error(&v, "next_due", "must be after the day the supervision was held");
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_add_supervision(rq->st, &rq->session.user, c, &s);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		resp_json(rs, 201, supervision_json(&s));
out:
	free(discussion);
	free(decisions);
	free(c);
}

void api_case_flag_add(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "kind", "note", "review_date", "police_flag", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	char kind[CASE_CODE_BYTES], review_date[11], default_date[11];
	char *note = text_buffer(CASE_SHORT_CHARS);
	if (!note) {
		out_of_memory(rs);
		goto out;
	}
	jv_known(&v, rq->json, "", known);
	code_field(rq->st, &v, rq->json, "kind", true, CONFIG_FLAG_TYPE, "flag types", kind);
	jv_string(&v, rq->json, "note", "note", 0, CASE_SHORT_CHARS, true, note, 4 * CASE_SHORT_CHARS + 1);
	future_date_field(&v, rq->json, "review_date", review_date);
	struct casework_flag f = { .kind = kind, .note = note, .review_date = review_date,
				   .by = rq->session.user.username };
	f.police_flag = jv_bool(&v, rq->json, "police_flag", "police_flag", false);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_add_flag(rq->st, &rq->session.user, c, &f, default_date);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		resp_json(rs, 201, flag_json(&f));
out:
	free(note);
	free(c);
}

static int flag_to_json(void *ctx, const struct casework_flag *f)
{
	*(json_t **)ctx = flag_json(f);
	return 0;
}

void api_case_flag_update(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "review_date", "police_flag", "removed", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	int64_t flag_id = api_param_id(rq, 1);
	if (!flag_id) {
		case_fail(rs, CASEWORK_NOT_FOUND);
		goto out;
	}
	struct jv v = { 0 };
	struct casework_flag_change ch;
	memset(&ch, 0, sizeof ch);
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &ch.version);
	future_date_field(&v, rq->json, "review_date", ch.review_date);
	ch.set_review_date = ch.review_date[0] != 0;
	json_t *pf = json_object_get(rq->json, "police_flag");
	ch.set_police_flag = pf && !json_is_null(pf);
	ch.police_flag = jv_bool(&v, rq->json, "police_flag", "police_flag", false);
	ch.remove = jv_bool(&v, rq->json, "removed", "removed", false);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_update_flag(rq->st, &rq->session.user, c, flag_id, &ch);
	if (cs != CASEWORK_OK) {
		case_fail(rs, cs);
		goto out;
	}
	json_t *o = NULL;
	if (store_case_flag_each(rq->st, c->id, flag_id, flag_to_json, &o) != 0 || !o) {
		json_decref(o);
		api_store_failed(rs);
		goto out;
	}
	resp_json(rs, 200, o);
out:
	free(c);
}

void api_case_feedback_add(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "stage", "score", "words", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	char stage[16];
	char *words = text_buffer(CASE_SHORT_CHARS);
	if (!words) {
		out_of_memory(rs);
		goto out;
	}
	struct casework_feedback f = { .stage = stage, .words = words, .by = rq->session.user.username };
	jv_known(&v, rq->json, "", known);
	if (jv_string(&v, rq->json, "stage", "stage", 1, 10, false, stage, sizeof stage) &&
	    strcmp(stage, "review") != 0 && strcmp(stage, "closure") != 0)
		jv_error(&v, "stage", "must be review or closure");
	json_t *score = json_object_get(rq->json, "score");
	if (!score || json_is_null(score))
		jv_error(&v, "score", "is required");
	else if (!json_is_integer(score) || json_integer_value(score) < 1 || json_integer_value(score) > 5)
		jv_error(&v, "score", "must be a whole number from 1 to 5");
	else
		f.score = (int)json_integer_value(score);
	jv_string(&v, rq->json, "words", "words", 0, CASE_SHORT_CHARS, true, words, 4 * CASE_SHORT_CHARS + 1);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_add_feedback(rq->st, &rq->session.user, c, &f);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		resp_json(rs, 201, feedback_json(&f));
out:
	free(words);
	free(c);
}

void api_case_transition_plan(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "plan", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	int64_t version;
	char *plan = text_buffer(CASE_NOTE_CHARS);
	if (!plan) {
		out_of_memory(rs);
		goto out;
	}
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	jv_string(&v, rq->json, "plan", "plan", 1, CASE_NOTE_CHARS, true, plan, 4 * CASE_NOTE_CHARS + 1);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_record_transition_plan(rq->st, &rq->session.user, c, version, plan);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		reply_case(rq, rs, c->id, 200);
out:
	free(plan);
	free(c);
}

void api_case_close(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "reason", "closed_at", NULL };
	struct casework_case *c = case_for_change(rq, rs);
	if (!c)
		return;
	struct jv v = { 0 };
	int64_t version, closed_at;
	char reason[CASE_CODE_BYTES];
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	code_field(rq->st, &v, rq->json, "reason", true, CONFIG_CLOSURE_REASON, "closure reasons", reason);
	if (api_time_field(&v, rq->json, "closed_at", false, store_now(), &closed_at) && closed_at < c->opened_at)
		jv_error(&v, "closed_at", "must not be before the case was opened");
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum casework_status cs = casework_close(rq->st, &rq->session.user, c, version, reason, closed_at);
	if (cs != CASEWORK_OK)
		case_fail(rs, cs);
	else
		reply_case(rq, rs, c->id, 200);
out:
	free(c);
}
