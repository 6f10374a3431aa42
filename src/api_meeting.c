/*
 * api_meeting.c - /api/v1/meetings: record a meeting with its attendees, decisions and actions,
 * list and read meetings, and mark an action done (docs/api-casework.md, "Meetings and
 * actions"). Validates bodies into struct meeting, calls meeting.c, answers JSON; every read is
 * audited as a view, every change by meeting.c in the request's transaction.
 * Owns: the JSON shape of Meeting and Action (api_meeting_json, api_action_json, also used by
 * api_dashboard.c). Must not touch: SQL, the meeting's rules.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "calendar.h"
#include "config.h"
#include "dashboard.h"
#include "json.h"
#include "meeting.h"
#include "store.h"
#include "valid.h"

#define MEETING_LIST_MAX 500 /* meetings one list answer holds */

/* Today's local date (the day actions fall overdue against). */
static void local_today(char out[11])
{
	struct valid_date d;
	calendar_local_date(store_now(), &d);
	valid_format_date(&d, out);
}

json_t *api_action_json(const struct meeting_action *a, const char *today)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "version", json_integer(a->version));
	json_object_set_new(o, "meeting_id", json_integer(a->meeting_id));
	json_object_set_new(o, "case_id", a->case_id ? json_integer(a->case_id) : json_null());
	json_object_set_new(o, "what", json_string(a->what));
	json_object_set_new(o, "owner", json_string(a->owner));
	json_object_set_new(o, "due_date", json_string(a->due_date));
	json_object_set_new(o, "done", json_boolean(a->done_at != 0));
	json_object_set_new(o, "done_at", jv_time(a->done_at));
	json_object_set_new(o, "overdue", json_boolean(meeting_action_overdue(a, today)));
	json_object_set_new(o, "updated_at", jv_time(a->updated_at));
	json_object_set_new(o, "updated_by", json_string(a->updated_by));
	return o;
}

json_t *api_meeting_json(const struct meeting *m, const char *today)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "version", json_integer(m->version));
	json_object_set_new(o, "type", json_string(m->type));
	json_object_set_new(o, "held_at", jv_time(m->held_at));
	json_object_set_new(o, "case_id", m->case_id ? json_integer(m->case_id) : json_null());
	json_object_set_new(o, "person_id", m->person_id ? json_integer(m->person_id) : json_null());
	json_t *att = json_array();
	for (int i = 0; i < m->n_attendees; i++) {
		const struct meeting_attendee *a = &m->attendees[i];
		json_array_append_new(att, json_pack("{s:s, s:s, s:s}", "name", a->name, "agency", a->agency, "role",
						     a->role));
	}
	json_object_set_new(o, "attendees", att);
	json_object_set_new(o, "decisions", json_string(m->decisions));
	json_object_set_new(o, "next_review", m->next_review[0] ? json_string(m->next_review) : json_null());
	json_t *acts = json_array();
	for (int i = 0; i < m->n_actions; i++)
		json_array_append_new(acts, api_action_json(&m->actions[i], today));
	json_object_set_new(o, "actions", acts);
	char link[48];
	dashboard_link(link, sizeof link, "meeting", m->id, m->case_id, m->person_id);
	json_object_set_new(o, "link", json_string(link));
	json_object_set_new(o, "created_at", jv_time(m->created_at));
	json_object_set_new(o, "created_by", json_string(m->created_by));
	json_object_set_new(o, "updated_at", jv_time(m->updated_at));
	json_object_set_new(o, "updated_by", json_string(m->updated_by));
	return o;
}

/* obj[key] as an optional positive id into *out (0 when absent or null); false (error naming key) otherwise. */
static bool id_field(struct jv *v, json_t *obj, const char *key, int64_t *out)
{
	json_t *x = json_object_get(obj, key);
	*out = 0;
	if (!x || json_is_null(x))
		return true;
	if (!json_is_integer(x) || json_integer_value(x) < 1) {
		jv_error(v, key, "must be the id of a record (a whole number from 1)");
		return false;
	}
	*out = json_integer_value(x);
	return true;
}

static void parse_attendees(struct jv *v, json_t *in, struct meeting *m)
{
	static const char *const known[] = { "name", "agency", "role", NULL };
	size_t n;
	json_t *arr = jv_array(v, in, "attendees", "attendees", MEETING_ATTENDEES_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(arr, i);
		char path[64], prefix[40];
		snprintf(prefix, sizeof prefix, "attendees[%zu].", i);
		if (!json_is_object(a)) {
			snprintf(path, sizeof path, "attendees[%zu]", i);
			jv_error(v, path, "must be an object with name, agency and role");
			continue;
		}
		jv_known(v, a, prefix, known);
		struct meeting_attendee *to = &m->attendees[m->n_attendees++];
		snprintf(path, sizeof path, "%sname", prefix);
		jv_string(v, a, "name", path, 1, MEETING_NAME_CHARS, false, to->name, sizeof to->name);
		snprintf(path, sizeof path, "%sagency", prefix);
		jv_string(v, a, "agency", path, 0, MEETING_NAME_CHARS, false, to->agency, sizeof to->agency);
		snprintf(path, sizeof path, "%srole", prefix);
		jv_string(v, a, "role", path, 0, MEETING_NAME_CHARS, false, to->role, sizeof to->role);
	}
}

/* Actions are due on or after the meeting's local date (held_day "" when held_at was bad). */
static void parse_actions(struct jv *v, json_t *in, const char *held_day, struct meeting *m)
{
	static const char *const known[] = { "what", "owner", "due_date", NULL };
	size_t n;
	json_t *arr = jv_array(v, in, "actions", "actions", MEETING_ACTIONS_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(arr, i);
		char path[64], prefix[40];
		snprintf(prefix, sizeof prefix, "actions[%zu].", i);
		if (!json_is_object(a)) {
			snprintf(path, sizeof path, "actions[%zu]", i);
			jv_error(v, path, "must be an object with what, owner and due_date");
			continue;
		}
		jv_known(v, a, prefix, known);
		struct meeting_action *to = &m->actions[m->n_actions++];
		snprintf(path, sizeof path, "%swhat", prefix);
		jv_string(v, a, "what", path, 1, MEETING_ACTION_CHARS, true, to->what, sizeof to->what);
		snprintf(path, sizeof path, "%sowner", prefix);
		jv_string(v, a, "owner", path, 1, MEETING_NAME_CHARS, false, to->owner, sizeof to->owner);
		snprintf(path, sizeof path, "%sdue_date", prefix);
		/* api_date_field names the field by its key: read it through a one-member wrapper. */
		json_t *wrap = json_pack("{s:O?}", path, json_object_get(a, "due_date"));
		if (api_date_field(v, wrap, path, true, to->due_date) && held_day[0] &&
		    strcmp(to->due_date, held_day) < 0)
			jv_error(v, path, "must not be before the meeting was held");
		json_decref(wrap);
	}
}

/* Validate a whole meeting body into *m. Returns the error list (NULL when valid). */
static json_t *meeting_parse(struct store *st, json_t *in, struct meeting *m)
{
	static const char *const known[] = { "type", "held_at", "case_id", "person_id", "attendees", "decisions",
					     "next_review", "actions", NULL };
	struct jv v = { 0 };
	memset(m, 0, sizeof *m);
	jv_known(&v, in, "", known);
	if (jv_string(&v, in, "type", "type", 1, sizeof m->type - 1, false, m->type, sizeof m->type) &&
	    !config_code_active(st, CONFIG_MEETING_TYPE, m->type))
		jv_error(&v, "type", "must be one of the meeting types");
	char held_day[11] = "";
	if (api_time_field(&v, in, "held_at", true, 0, &m->held_at)) {
		struct valid_date d;
		calendar_local_date(m->held_at, &d);
		valid_format_date(&d, held_day);
	}
	bool ids_ok = id_field(&v, in, "case_id", &m->case_id);
	ids_ok = id_field(&v, in, "person_id", &m->person_id) && ids_ok;
	if (ids_ok && !m->case_id && !m->person_id) {
		jv_error(&v, "case_id", "give the case or the person the meeting was about");
		jv_error(&v, "person_id", "give the case or the person the meeting was about");
	}
	parse_attendees(&v, in, m);
	jv_string(&v, in, "decisions", "decisions", 0, MEETING_DECISIONS_CHARS, true, m->decisions, sizeof m->decisions);
	if (api_date_field(&v, in, "next_review", false, m->next_review) && m->next_review[0] && held_day[0] &&
	    strcmp(m->next_review, held_day) < 0)
		jv_error(&v, "next_review", "must not be before the meeting was held");
	parse_actions(&v, in, held_day, m);
	return jv_failed(&v) ? jv_take(&v) : NULL;
}

/* Answer a refused or failed meeting operation. person_id / meeting_id name the record refused. */
static void meeting_fail(struct req *rq, struct resp *rs, enum meeting_status ms, int64_t person_id,
			 int64_t meeting_id)
{
	struct jv v = { 0 };
	struct audit_entry e;
	switch (ms) {
	case MEETING_NOT_FOUND:
		resp_problem(rs, 404, "Not found", "There is no such meeting or action.", NULL);
		break;
	case MEETING_NO_CASE:
		jv_error(&v, "case_id", "is not a known case");
		api_invalid(rs, &v);
		break;
	case MEETING_NO_PERSON:
		jv_error(&v, "person_id", "is not a known person");
		api_invalid(rs, &v);
		break;
	case MEETING_MISMATCH:
		jv_error(&v, "person_id", "is not the person the case is about");
		api_invalid(rs, &v);
		break;
	case MEETING_BEFORE_CASE:
		jv_error(&v, "held_at", "must not be before the case was opened");
		api_invalid(rs, &v);
		break;
	case MEETING_DENIED:
		/* Recorded by the writer even though this request's transaction is rolled back. */
		if (person_id > 0)
			audit_fill(&e, &rq->session.user, "person.denied", "person", person_id, "denied", "restricted record");
		else
			audit_fill(&e, &rq->session.user, "meeting.denied", "meeting", meeting_id, "denied",
				   "restricted record");
		audit_view(rq->st, &e, NULL, NULL);
		resp_problem(rs, 403, "Forbidden", "This record is restricted to named people.", NULL);
		break;
	case MEETING_NOT_TEAM:
		resp_problem(rs, 403, "Forbidden", "Practitioners may change only their own team's cases.", NULL);
		break;
	case MEETING_CLOSED:
		resp_problem(rs, 409, "Conflict", "The case is closed: it takes no further changes.", NULL);
		break;
	case MEETING_STALE:
		resp_problem(rs, 409, "Conflict",
			     "Someone else changed this record after you opened it. Reload it and make your change again.",
			     NULL);
		break;
	default:
		api_store_failed(rs);
		break;
	}
}

void api_meeting_create(struct req *rq, struct resp *rs)
{
	struct meeting *m = calloc(1, sizeof *m);
	if (!m) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		return;
	}
	json_t *errors = meeting_parse(rq->st, rq->json, m);
	if (errors) {
		resp_problem(rs, 422, "Check the details", "Some details need correcting.", errors);
		goto out;
	}
	struct jv v = { 0 };
	if (!api_person_not_merged(rq, rs, &v, "person_id", m->person_id)) {
		json_decref(jv_take(&v));
		goto out;
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	enum meeting_status ms = meeting_create(rq->st, &rq->session.user, m);
	if (ms != MEETING_OK) {
		meeting_fail(rq, rs, ms, m->person_id, 0);
		goto out;
	}
	char today[11];
	local_today(today);
	snprintf(rs->location, sizeof rs->location, "/api/v1/meetings/%" PRId64, m->id);
	resp_json(rs, 201, api_meeting_json(m, today));
out:
	free(m);
}

void api_meeting_get(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	struct meeting *m = calloc(1, sizeof *m);
	if (!m) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		return;
	}
	enum meeting_status ms = meeting_get(rq->st, &rq->session.user, id, m);
	if (ms != MEETING_OK) {
		meeting_fail(rq, rs, ms, 0, id);
	} else {
		char today[11];
		local_today(today);
		resp_json(rs, 200, api_meeting_json(m, today));
		api_audit_view(rq, rs, "meeting.view", "meeting", id, "");
	}
	free(m);
}

/* The list being built. */
struct list_ctx {
	json_t *items;
	char today[11];
};

static int list_add(void *ctx, const struct meeting *m)
{
	struct list_ctx *c = ctx;
	json_array_append_new(c->items, api_meeting_json(m, c->today));
	return 0;
}

void api_meeting_list(struct req *rq, struct resp *rs)
{
	int case_id = 0, person_id = 0;
	if (!api_query_int(rq, rs, "case_id", 1, INT32_MAX, 0, &case_id) ||
	    !api_query_int(rq, rs, "person_id", 1, INT32_MAX, 0, &person_id))
		return;
	if (!case_id && !person_id) {
		struct jv v = { 0 };
		jv_error(&v, "case_id", "give case_id or person_id");
		resp_problem(rs, 400, "Bad query", "Give the case or the person whose meetings to list.", jv_take(&v));
		return;
	}
	int64_t gate_person = person_id;
	if (case_id) {
		struct meeting_case c;
		enum meeting_status ms = meeting_case_of(rq->st, case_id, &c);
		if (ms == MEETING_NO_CASE) {
			resp_problem(rs, 404, "Not found", "There is no case with that id.", NULL);
			return;
		}
		if (ms != MEETING_OK) {
			api_store_failed(rs);
			return;
		}
		gate_person = c.person_id;
	}
	if (!api_person_gate(rq, rs, gate_person))
		return;
	struct list_ctx c = { .items = json_array() };
	local_today(c.today);
	if (meeting_list(rq->st, case_id, person_id, MEETING_LIST_MAX, list_add, &c) != MEETING_OK) {
		json_decref(c.items);
		api_store_failed(rs);
		return;
	}
	size_t n = json_array_size(c.items);
	resp_json(rs, 200, json_pack("{s:o, s:I}", "items", c.items, "total", (json_int_t)n));
	char detail[96];
	snprintf(detail, sizeof detail, "%s; %zu shown", case_id ? "by case" : "by person", n);
	api_audit_view(rq, rs, "meeting.list", "person", gate_person, detail);
}

void api_action_update(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "done", NULL };
	int64_t meeting_id = api_param_id(rq, 0), action_id = api_param_id(rq, 1);
	struct jv v = { 0 };
	int64_t version = 0;
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	json_t *done = json_object_get(rq->json, "done");
	if (!done || json_is_null(done))
		jv_error(&v, "done", "is required: true when the action is done");
	bool is_done = jv_bool(&v, rq->json, "done", "done", true);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	struct meeting_action a;
	enum meeting_status ms =
		meeting_action_set_done(rq->st, &rq->session.user, meeting_id, action_id, version, is_done, &a);
	if (ms != MEETING_OK) {
		meeting_fail(rq, rs, ms, 0, meeting_id);
		return;
	}
	char today[11];
	local_today(today);
	resp_json(rs, 200, api_action_json(&a, today));
}
