/*
 * api_missing.c - the hub settings (/api/v1/config/settings) and the Missing From Home hub's
 * episodes, gradings, returns, return home interviews, notifications and a person's missing
 * summary (docs/api-missing.md, "Settings" and "Episodes"). Validates bodies into struct
 * missing_episode / missing_rhi / settings_item, calls missing.c and settings.c, answers JSON.
 * Every read of an episode, list or summary is audited as a view; every change is audited by
 * missing.c / settings.c in the request's transaction. Restricted persons: 403 to a user not
 * named on one, and left out of lists.
 * Owns: the JSON shapes Episode, RHI and Notification. Must not touch: SQL, the hub's rules.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "audit.h"
#include "calendar.h"
#include "json.h"
#include "missing.h"
#include "person.h"
#include "settings.h"
#include "store.h"
#include "valid.h"

#define LIST_DEFAULT 50       /* episodes one list page holds unless asked */
#define LIST_MAX 500          /* ... at most */
#define PERSON_EPISODES_MAX 500 /* episodes a person's summary lists */
#define NOTIFICATIONS_MAX 1000  /* notifications one list answer holds */

static const char STALE_DETAIL[] =
	"Someone else changed this record after you opened it. Reload it and make your change again.";

/* ---- JSON shapes ---- */

/* A time member, null for 0. */
static json_t *time_or_null(int64_t t)
{
	return t ? jv_time(t) : json_null();
}

/* A 1/0/-1 flag as true/false/null. */
static json_t *tristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v != 0);
}

/* Whether `by` may see person `id` (an unknown person is treated as not restricted). */
static bool may_see(struct store *st, const struct user *by, const struct missing_person *p)
{
	return person_may_access(st, by, p->id, p->restricted);
}

/*
 * {"id", "given_name", "family_name", "dob", "sex"} of person `id`; only {"id", "restricted":
 * true} for a restricted person the user may not see (a found_with person), or null when
 * there is no such person.
 */
static json_t *person_json(struct store *st, const struct user *by, int64_t id)
{
	struct missing_person *p = calloc(1, sizeof *p);
	json_t *o = NULL;
	if (p && missing_person_get(st, id, p) == MISSING_OK) {
		if (may_see(st, by, p))
			o = json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)p->id, "given_name", p->given_name,
				      "family_name", p->family_name, "dob", p->dob[0] ? json_string(p->dob) : json_null(),
				      "sex", p->sex);
		else
			o = json_pack("{s:I, s:b}", "id", (json_int_t)p->id, "restricted", 1);
	}
	free(p);
	return o ? o : json_null();
}

static json_t *rhi_json(const struct missing_rhi *r, int64_t due)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "offered_at", time_or_null(r->offered_at));
	json_object_set_new(o, "offered_by", json_string(r->offered_by));
	json_object_set_new(o, "offered_org", json_string(r->offered_org));
	json_object_set_new(o, "independent", tristate(r->independent));
	json_object_set_new(o, "response", r->response[0] ? json_string(r->response) : json_null());
	json_object_set_new(o, "responded_at", time_or_null(r->responded_at));
	json_object_set_new(o, "declined_reason", json_string(r->declined_reason));
	json_object_set_new(o, "completed_at", time_or_null(r->completed_at));
	json_object_set_new(o, "push_factors", json_string(r->push_factors));
	json_object_set_new(o, "pull_factors", json_string(r->pull_factors));
	json_object_set_new(o, "stayed_where", json_string(r->stayed_where));
	json_object_set_new(o, "stayed_with", json_string(r->stayed_with));
	json_object_set_new(o, "exploitation_disclosed", tristate(r->exploitation_disclosed));
	json_object_set_new(o, "follow_up", json_string(r->follow_up));
	json_object_set_new(o, "offered_within_72h", json_boolean(r->offered_at && due && r->offered_at <= due));
	json_object_set_new(o, "completed_within_72h", json_boolean(r->completed_at && due && r->completed_at <= due));
	json_object_set_new(o, "updated_at", time_or_null(r->updated_at));
	json_object_set_new(o, "updated_by", json_string(r->updated_by));
	return o;
}

static json_t *notification_json(const struct missing_notification *n)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(n->id));
	json_object_set_new(o, "version", json_integer(n->version));
	json_object_set_new(o, "episode_id", json_integer(n->episode_id));
	json_object_set_new(o, "to_authority", json_string(n->to_authority));
	json_object_set_new(o, "reason", json_string(n->reason));
	json_object_set_new(o, "rhi_by", json_string(n->rhi_by));
	json_object_set_new(o, "created_at", time_or_null(n->created_at));
	json_object_set_new(o, "acknowledged_at", time_or_null(n->acknowledged_at));
	json_object_set_new(o, "acknowledged_by", json_string(n->acknowledged_by));
	return o;
}

/* Hours from start to end (or to now while missing), to one decimal place. */
static double duration_hours(const struct missing_episode *e, int64_t now)
{
	int64_t end = e->ended_at ? e->ended_at : now;
	int64_t secs = end > e->started_at ? end - e->started_at : 0;
	return round((double)secs / 360.0) / 10.0;
}

/*
 * The Episode object of docs/api-missing.md for e (history: the grading history too). Reads
 * the person, the RHI and the notifications. NULL when the store failed.
 */
static json_t *episode_json(struct store *st, const struct user *by, const struct missing_episode *e, bool history)
{
	int64_t now = store_now();
	struct missing_rhi *r = calloc(1, sizeof *r);
	struct missing_notification *notes = calloc(MISSING_NOTIFICATIONS_MAX, sizeof *notes);
	struct missing_grading *grades = history ? calloc(MISSING_GRADINGS_MAX, sizeof *grades) : NULL;
	json_t *o = NULL;
	int n_notes = 0, n_grades = 0;
	if (!r || !notes || (history && !grades) || missing_rhi_get(st, e->id, r) != MISSING_OK ||
	    missing_notifications(st, e->id, false, notes, MISSING_NOTIFICATIONS_MAX, &n_notes) != MISSING_OK ||
	    (history && missing_gradings(st, e->id, grades, MISSING_GRADINGS_MAX, &n_grades) != MISSING_OK))
		goto out;
	o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "version", json_integer(e->version));
	json_object_set_new(o, "person_id", json_integer(e->person_id));
	json_object_set_new(o, "person", person_json(st, by, e->person_id));
	json_object_set_new(o, "started_at", time_or_null(e->started_at));
	json_object_set_new(o, "reported_at", time_or_null(e->reported_at));
	json_object_set_new(o, "ended_at", time_or_null(e->ended_at));
	json_object_set_new(o, "missing_from", json_string(e->missing_from));
	json_object_set_new(o, "category", json_string(e->category));
	json_object_set_new(o, "police_force", json_string(e->police_force));
	json_object_set_new(o, "police_ref", e->police_ref[0] ? json_string(e->police_ref) : json_null());
	json_object_set_new(o, "looked_after", json_boolean(e->looked_after));
	json_object_set_new(o, "placement",
			    json_pack("{s:s, s:s, s:s, s:s}", "type", e->placement_type, "provider", e->placement_provider,
				      "placing_authority", e->placing_authority, "host_authority", e->host_authority));
	json_object_set_new(o, "out_of_area", json_string(e->out_of_area));
	json_object_set_new(o, "rhi_by", json_string(e->rhi_by));
	json_object_set_new(o, "team", json_string(e->team));
	json_object_set_new(o, "locality", json_string(e->locality));
	json_object_set_new(o, "found_where", json_string(e->found_where));
	json_t *with = json_array();
	for (int i = 0; i < e->n_found_with; i++) {
		json_t *p = person_json(st, by, e->found_with[i]);
		json_object_del(p, "dob");
		json_object_del(p, "sex");
		json_array_append_new(with, json_is_null(p) ? json_pack("{s:I}", "id", (json_int_t)e->found_with[i]) : p);
		if (json_is_null(p))
			json_decref(p);
	}
	json_object_set_new(o, "found_with", with);
	json_object_set_new(o, "notes", json_string(e->notes));
	json_object_set_new(o, "status", json_string(e->ended_at ? "returned" : "missing"));
	json_object_set_new(o, "duration_hours", json_real(duration_hours(e, now)));
	json_t *grading = json_pack("{s:o, s:o}", "latest", e->grade_latest[0] ? json_string(e->grade_latest) : json_null(),
				    "highest", e->grade_highest[0] ? json_string(e->grade_highest) : json_null());
	if (history) {
		json_t *h = json_array();
		for (int i = 0; i < n_grades; i++)
			json_array_append_new(h, json_pack("{s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)grades[i].id,
							   "grade", grades[i].grade, "graded_at",
							   jv_time(grades[i].graded_at), "graded_by", grades[i].graded_by,
							   "note", grades[i].note));
		json_object_set_new(grading, "history", h);
	}
	json_object_set_new(o, "grading", grading);
	json_object_set_new(o, "rhi_due_at", time_or_null(e->rhi_due_at));
	json_object_set_new(o, "rhi", r->version ? rhi_json(r, e->rhi_due_at) : json_null());
	const char *rs = missing_rhi_status(e, r, now);
	json_object_set_new(o, "rhi_status", rs ? json_string(rs) : json_null());
	json_t *na = json_array();
	for (int i = 0; i < n_notes; i++)
		json_array_append_new(na, notification_json(&notes[i]));
	json_object_set_new(o, "notifications", na);
	json_object_set_new(o, "reopened_count", json_integer(e->reopened_count));
	char link[48];
	snprintf(link, sizeof link, "/missing/%" PRId64, e->id);
	json_object_set_new(o, "link", json_string(link));
	json_object_set_new(o, "created_at", time_or_null(e->created_at));
	json_object_set_new(o, "created_by", json_string(e->created_by));
	json_object_set_new(o, "updated_at", time_or_null(e->updated_at));
	json_object_set_new(o, "updated_by", json_string(e->updated_by));
out:
	free(r);
	free(notes);
	free(grades);
	return o;
}

/* ---- answers ---- */

/* Whether the field is already named in v's errors (a member that could not be read). */
static bool named(const struct jv *v, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(v->errors, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f && strcmp(f, field) == 0)
			return true;
	}
	return false;
}

/* Add the domain's field errors to v (not those already named: one message per field). */
static void add_errors(struct jv *v, const struct missing_errors *errs)
{
	for (int i = 0; i < errs->n; i++)
		if (!named(v, errs->e[i].field))
			jv_error(v, errs->e[i].field, "%s", errs->e[i].message);
}

/* Answer 403 for a restricted person and put the refusal on record. */
static void denied(struct req *rq, struct resp *rs, int64_t person_id)
{
	struct audit_entry e;
	audit_fill(&e, &rq->session.user, "person.denied", "person", person_id, "denied", "restricted record");
	audit_view(rq->st, &e, NULL, NULL);
	resp_problem(rs, 403, "Forbidden", "This record is restricted to named people.", NULL);
}

/*
 * Answer a refused or failed operation. conflict: the detail of a MISSING_CONFLICT; errs: the
 * field errors of a MISSING_INVALID (may be NULL).
 */
static void missing_fail(struct req *rq, struct resp *rs, int ms, const char *conflict,
			 const struct missing_errors *errs, int64_t person_id)
{
	struct jv v = { 0 };
	switch (ms) {
	case MISSING_NOT_FOUND:
		resp_problem(rs, 404, "Not found", "There is no such missing episode or notification.", NULL);
		break;
	case MISSING_NO_PERSON:
		jv_error(&v, "person_id", "is not a known person");
		api_invalid(rs, &v);
		break;
	case MISSING_NO_FOUND_WITH:
		jv_error(&v, "found_with", "names a person who is not known");
		api_invalid(rs, &v);
		break;
	case MISSING_DENIED:
		denied(rq, rs, person_id);
		break;
	case MISSING_DUPLICATE:
		resp_problem(rs, 409, "Conflict",
			     "An episode with this police force and reference is already recorded.", NULL);
		break;
	case MISSING_STALE:
		resp_problem(rs, 409, "Conflict", STALE_DETAIL, NULL);
		break;
	case MISSING_CONFLICT:
		resp_problem(rs, 409, "Conflict", conflict ? conflict : "The record's state does not allow this.", NULL);
		break;
	case MISSING_INVALID:
		if (errs)
			add_errors(&v, errs);
		if (!jv_failed(&v))
			jv_error(&v, "", "is not valid");
		api_invalid(rs, &v);
		break;
	default:
		api_store_failed(rs);
		break;
	}
}

/* Answer with episode `id` as stored now (status 200 or 201). */
static void answer_episode(struct req *rq, struct resp *rs, int64_t id, int status)
{
	struct missing_episode *e = calloc(1, sizeof *e);
	json_t *o = NULL;
	if (e && missing_get(rq->st, id, e) == MISSING_OK)
		o = episode_json(rq->st, &rq->session.user, e, true);
	free(e);
	if (!o) {
		api_store_failed(rs);
		return;
	}
	if (status == 201)
		snprintf(rs->location, sizeof rs->location, "/api/v1/missing-episodes/%" PRId64, id);
	resp_json(rs, status, o);
}

/*
 * Load episode `id` into *e and check the user may reach its person: false (answered 404, 403
 * or 503) otherwise.
 */
static bool episode_gate(struct req *rq, struct resp *rs, int64_t id, struct missing_episode *e)
{
	int ms = missing_get(rq->st, id, e);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms, NULL, NULL, 0);
		return false;
	}
	return api_person_gate(rq, rs, e->person_id);
}

/* ---- reading members ---- */

/* obj[key], when present, as an RFC 3339 time into *out (null: 0). False (error) when bad. */
static bool time_member(struct jv *v, json_t *obj, const char *key, int64_t *out)
{
	json_t *x = json_object_get(obj, key);
	if (!x)
		return true;
	if (json_is_null(x)) {
		*out = 0;
		return true;
	}
	int64_t t;
	if (!json_is_string(x) || !valid_parse_time(json_string_value(x), &t)) {
		jv_error(v, key, "must be a date and time like 2026-11-24T09:30:00Z");
		return false;
	}
	*out = t;
	return true;
}

/* obj[key], when present, as text (null: "") of at most max characters. */
static void text_member(struct jv *v, json_t *obj, const char *key, const char *path, size_t max, bool multiline,
			char *out, size_t cap)
{
	if (json_object_get(obj, key))
		jv_string(v, obj, key, path, 0, max, multiline, out, cap);
}

/*
 * obj[key], when present, as a code (null: ""). A string too long for out becomes "?", so the
 * code check names the field with the codes allowed rather than a length.
 */
static void code_member(struct jv *v, json_t *obj, const char *key, const char *path, char *out, size_t cap)
{
	char tmp[256];
	if (!json_object_get(obj, key) || !jv_string(v, obj, key, path, 0, 60, false, tmp, sizeof tmp))
		return;
	size_t len = strlen(tmp);
	if (len < cap)
		memcpy(out, tmp, len + 1);
	else if (cap >= 2)
		memcpy(out, "?", 2);
}

/* obj[key], when present, as true/false/null into 1/0/-1. */
static void tristate_member(struct jv *v, json_t *obj, const char *key, int *out)
{
	json_t *x = json_object_get(obj, key);
	if (!x)
		return;
	if (json_is_null(x))
		*out = -1;
	else if (json_is_boolean(x))
		*out = json_is_true(x);
	else
		jv_error(v, key, "must be true, false or null");
}

/*
 * obj.found_with, when present, as up to MISSING_FOUND_WITH_MAX person ids that exist and that
 * the user may see; *n gets the count (unchanged when absent). True when present.
 */
static bool found_with_member(struct jv *v, struct req *rq, json_t *obj, int64_t *ids, int *n)
{
	json_t *x = json_object_get(obj, "found_with");
	if (!x)
		return false;
	size_t len = 0;
	json_t *arr = jv_array(v, obj, "found_with", "found_with", MISSING_FOUND_WITH_MAX, &len);
	*n = 0;
	struct missing_person *p = calloc(1, sizeof *p);
	for (size_t i = 0; arr && p && i < len; i++) {
		json_t *item = json_array_get(arr, i);
		char path[48];
		snprintf(path, sizeof path, "found_with[%zu]", i);
		if (!json_is_integer(item) || json_integer_value(item) < 1) {
			jv_error(v, path, "must be the id of a person");
			continue;
		}
		int64_t id = json_integer_value(item);
		if (missing_person_get(rq->st, id, p) != MISSING_OK || !may_see(rq->st, &rq->session.user, p)) {
			jv_error(v, path, "is not a known person");
			continue;
		}
		ids[(*n)++] = id;
	}
	free(p);
	return true;
}

/*
 * Read the members of an episode body present in `in` over *e (a create starts from a cleared
 * struct; an update from the stored episode). create: person_id and the initial grading are
 * allowed; update: version is required instead.
 */
static void parse_episode(struct jv *v, struct req *rq, json_t *in, struct missing_episode *e, bool create)
{
	static const char *const known_create[] = { "person_id", "started_at", "reported_at", "ended_at", "missing_from",
						    "category", "police_force", "police_ref", "looked_after", "placement",
						    "team", "locality", "found_where", "found_with", "notes", "grade",
						    "graded_at", "graded_by", NULL };
	static const char *const known_update[] = { "version", "started_at", "reported_at", "ended_at", "missing_from",
						    "category", "police_force", "police_ref", "looked_after", "placement",
						    "team", "locality", "found_where", "found_with", "notes", NULL };
	static const char *const known_placement[] = { "type", "provider", "placing_authority", "host_authority",
						       NULL };
	jv_known(v, in, "", create ? known_create : known_update);
	if (create) {
		json_t *p = json_object_get(in, "person_id");
		if (p && (!json_is_integer(p) || json_integer_value(p) < 1))
			jv_error(v, "person_id", "must be the id of a person");
		else if (p)
			e->person_id = json_integer_value(p);
	} else {
		api_version_field(v, in, &e->version);
	}
	time_member(v, in, "started_at", &e->started_at);
	time_member(v, in, "reported_at", &e->reported_at);
	time_member(v, in, "ended_at", &e->ended_at);
	code_member(v, in, "missing_from", "missing_from", e->missing_from, sizeof e->missing_from);
	code_member(v, in, "category", "category", e->category, sizeof e->category);
	text_member(v, in, "police_force", "police_force", MISSING_AUTHORITY_CHARS, false, e->police_force,
		    sizeof e->police_force);
	text_member(v, in, "police_ref", "police_ref", MISSING_REF_CHARS, false, e->police_ref, sizeof e->police_ref);
	if (json_object_get(in, "looked_after")) {
		e->looked_after = jv_bool(v, in, "looked_after", "looked_after", false);
		e->looked_after_given = !json_is_null(json_object_get(in, "looked_after"));
	}
	json_t *pl = json_object_get(in, "placement");
	if (pl && !json_is_null(pl) && !json_is_object(pl)) {
		jv_error(v, "placement", "must be an object with type, provider, placing_authority and host_authority");
	} else if (pl && json_is_object(pl)) {
		jv_known(v, pl, "placement.", known_placement);
		code_member(v, pl, "type", "placement.type", e->placement_type, sizeof e->placement_type);
		text_member(v, pl, "provider", "placement.provider", MISSING_AUTHORITY_CHARS, false,
			    e->placement_provider, sizeof e->placement_provider);
		text_member(v, pl, "placing_authority", "placement.placing_authority", MISSING_AUTHORITY_CHARS, false,
			    e->placing_authority, sizeof e->placing_authority);
		text_member(v, pl, "host_authority", "placement.host_authority", MISSING_AUTHORITY_CHARS, false,
			    e->host_authority, sizeof e->host_authority);
	} else if (pl) { /* null clears the placement */
		e->placement_type[0] = e->placement_provider[0] = e->placing_authority[0] = e->host_authority[0] = 0;
	}
	text_member(v, in, "team", "team", MISSING_TEXT_CHARS, false, e->team, sizeof e->team);
	text_member(v, in, "locality", "locality", MISSING_TEXT_CHARS, false, e->locality, sizeof e->locality);
	text_member(v, in, "found_where", "found_where", MISSING_TEXT_CHARS, false, e->found_where, sizeof e->found_where);
	found_with_member(v, rq, in, e->found_with, &e->n_found_with);
	text_member(v, in, "notes", "notes", MISSING_NOTES_CHARS, true, e->notes, sizeof e->notes);
	if (create) {
		code_member(v, in, "grade", "grade", e->grade, sizeof e->grade);
		time_member(v, in, "graded_at", &e->graded_at);
		text_member(v, in, "graded_by", "graded_by", MISSING_GRADED_BY_CHARS, false, e->graded_by,
			    sizeof e->graded_by);
		if (e->graded_at && !e->grade[0])
			jv_error(v, "graded_at", "give the grade it refers to");
		if (e->graded_by[0] && !e->grade[0])
			jv_error(v, "graded_by", "give the grade it refers to");
	}
	/* The rules that span members (and the codes), checked on the whole episode. */
	struct missing_errors errs = { .n = 0 };
	missing_check(e, store_now(), &errs);
	add_errors(v, &errs);
}

/* ---- settings ---- */

/* The settings as {"items": {key: value}}. NULL when the store failed. */
static json_t *settings_json(struct store *st)
{
	struct settings_item items[SETTINGS_MAX];
	int n = 0;
	if (settings_list(st, items, SETTINGS_MAX, &n) != 0)
		return NULL;
	json_t *o = json_object();
	for (int i = 0; i < n; i++) {
		const struct settings_item *it = &items[i];
		json_object_set_new(o, it->key, it->type == SETTINGS_TEXT  ? json_string(it->text)
						: it->type == SETTINGS_INT ? json_integer(it->i)
									   : json_real(it->d));
	}
	return json_pack("{s:o}", "items", o);
}

void api_settings_get(struct req *rq, struct resp *rs)
{
	json_t *o = settings_json(rq->st);
	if (!o)
		api_store_failed(rs);
	else
		resp_json(rs, 200, o);
}

void api_settings_put(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "items", NULL };
	struct jv v = { 0 };
	jv_known(&v, rq->json, "", known);
	json_t *items = json_object_get(rq->json, "items");
	struct settings_item list[SETTINGS_MAX];
	int n = 0;
	if (!json_is_object(items) || json_object_size(items) == 0) {
		jv_error(&v, "items", "is required: an object of the settings to change");
	} else if (json_object_size(items) > SETTINGS_MAX) {
		jv_error(&v, "items", "may change at most %d settings", SETTINGS_MAX);
	} else {
		const char *key;
		json_t *x;
		json_object_foreach(items, key, x) {
			char path[SETTINGS_KEY_MAX + 16];
			snprintf(path, sizeof path, "items.%s", key);
			struct settings_item *it = &list[n];
			memset(it, 0, sizeof *it);
			if (strlen(key) > SETTINGS_KEY_MAX) {
				jv_error(&v, path, "is not a known setting");
				continue;
			}
			snprintf(it->key, sizeof it->key, "%s", key);
			if (json_is_string(x)) {
				it->type = SETTINGS_TEXT;
				if (json_string_length(x) >= sizeof it->text) {
					jv_error(&v, path, "is too long");
					continue;
				}
				snprintf(it->text, sizeof it->text, "%s", json_string_value(x));
				/* Trim, as every text member is. */
				size_t b = strspn(it->text, " \t"), len = strlen(it->text);
				memmove(it->text, it->text + b, len - b + 1);
				for (len = strlen(it->text); len && (it->text[len - 1] == ' ' || it->text[len - 1] == '\t');)
					it->text[--len] = 0;
			} else if (json_is_integer(x)) {
				it->type = SETTINGS_INT;
				it->i = json_integer_value(x);
				it->d = (double)it->i;
			} else if (json_is_real(x)) {
				it->type = SETTINGS_NUMBER;
				it->d = json_real_value(x);
			} else {
				/* Neither text nor a number: let the check name the type wanted. */
				it->type = SETTINGS_TEXT;
				enum settings_type want;
				if (settings_type_of(key, &want) == SETTINGS_OK && want == SETTINGS_TEXT)
					it->type = SETTINGS_NUMBER;
			}
			char msg[128];
			if (settings_check(it, msg, sizeof msg) != SETTINGS_OK) {
				jv_error(&v, path, "%s", msg);
				continue;
			}
			n++;
		}
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	int bad = -1;
	enum settings_status ss = settings_put(rq->st, &rq->session.user, list, n, &bad);
	if (ss == SETTINGS_INVALID) {
		char path[SETTINGS_KEY_MAX + 16];
		snprintf(path, sizeof path, "items.%s", bad >= 0 ? list[bad].key : "match.review_threshold");
		jv_error(&v, path, "match.review_threshold must not be above match.link_threshold");
		api_invalid(rs, &v);
		return;
	}
	if (ss != SETTINGS_OK) {
		api_store_failed(rs);
		return;
	}
	api_settings_get(rq, rs);
}

/* ---- episodes ---- */

void api_missing_create(struct req *rq, struct resp *rs)
{
	struct missing_episode *e = calloc(1, sizeof *e);
	struct jv v = { 0 };
	if (!e) {
		api_store_failed(rs);
		return;
	}
	parse_episode(&v, rq, rq->json, e, true);
	/* The person: unknown is a field error; restricted and not named is 403. */
	struct missing_person p;
	bool person_known = false;
	if (e->person_id > 0 && !named(&v, "person_id")) {
		int ms = missing_person_get(rq->st, e->person_id, &p);
		if (ms == MISSING_ERROR) {
			api_store_failed(rs);
			goto out;
		}
		if (ms == MISSING_NOT_FOUND)
			jv_error(&v, "person_id", "is not a known person");
		else
			person_known = true;
	}
	if (person_known && !may_see(rq->st, &rq->session.user, &p)) {
		json_decref(jv_take(&v));
		denied(rq, rs, e->person_id);
		goto out;
	}
	if (person_known && !api_person_not_merged(rq, rs, &v, "person_id", e->person_id)) {
		json_decref(jv_take(&v));
		goto out;
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	int64_t id = 0;
	int ms = missing_create(rq->st, &rq->session.user, e, &id);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms, NULL, NULL, e->person_id);
		goto out;
	}
	answer_episode(rq, rs, id, 201);
out:
	free(e);
}

void api_missing_get(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	struct missing_episode *e = calloc(1, sizeof *e);
	if (!e) {
		api_store_failed(rs);
		return;
	}
	if (episode_gate(rq, rs, id, e)) {
		json_t *o = episode_json(rq->st, &rq->session.user, e, true);
		if (!o) {
			api_store_failed(rs);
		} else {
			resp_json(rs, 200, o);
			char detail[48];
			snprintf(detail, sizeof detail, "person %" PRId64, e->person_id);
			api_audit_view(rq, rs, "missing.view", "missing_episode", id, detail);
		}
	}
	free(e);
}

/* A YYYY-MM-DD query parameter as the UTC start of that local day (plus `days`); 0 when absent. */
static bool date_param(struct req *rq, struct resp *rs, const char *name, int days, int64_t *out)
{
	char text[16];
	*out = 0;
	if (!api_query_text(rq, rs, name, text, sizeof text))
		return false;
	if (!text[0])
		return true;
	struct valid_date d, next;
	if (!valid_parse_date(text, &d) || !calendar_add_days(&d, days, &next)) {
		struct jv v = { 0 };
		jv_error(&v, name, "must be a date written YYYY-MM-DD");
		resp_problem(rs, 400, "Bad query", "A query parameter is not valid.", jv_take(&v));
		return false;
	}
	*out = calendar_local_midnight_utc(&next);
	return true;
}

/* Append the episodes ids[0..n) (without grading history) to items. False when the store failed. */
static bool append_episodes(struct req *rq, const int64_t *ids, int n, json_t *items)
{
	struct missing_episode *e = calloc(1, sizeof *e);
	bool ok = e != NULL;
	for (int i = 0; ok && i < n; i++) {
		json_t *o = NULL;
		if (missing_get(rq->st, ids[i], e) == MISSING_OK)
			o = episode_json(rq->st, &rq->session.user, e, false);
		if (!o)
			ok = false;
		else
			json_array_append_new(items, o);
	}
	free(e);
	return ok;
}

void api_missing_list(struct req *rq, struct resp *rs)
{
	struct missing_query q = { .user_id = rq->session.user.id };
	int person_id = 0;
	if (!api_query_int(rq, rs, "person_id", 1, INT32_MAX, 0, &person_id) ||
	    !api_query_text(rq, rs, "status", q.status, sizeof q.status) ||
	    !date_param(rq, rs, "from", 0, &q.from) || !date_param(rq, rs, "to", 1, &q.to) ||
	    !api_query_int(rq, rs, "limit", 1, LIST_MAX, LIST_DEFAULT, &q.limit) ||
	    !api_query_int(rq, rs, "offset", 0, INT32_MAX, 0, &q.offset))
		return;
	if (q.status[0] && strcmp(q.status, "missing") != 0 && strcmp(q.status, "returned") != 0) {
		struct jv v = { 0 };
		jv_error(&v, "status", "must be missing or returned");
		resp_problem(rs, 400, "Bad query", "A query parameter is not valid.", jv_take(&v));
		return;
	}
	q.person_id = person_id;
	if (person_id && !api_person_gate(rq, rs, person_id))
		return;
	int64_t *ids = NULL, total = 0;
	int n = 0;
	json_t *items = json_array();
	if (missing_list(rq->st, &q, &ids, &n, &total) != MISSING_OK || !append_episodes(rq, ids, n, items)) {
		free(ids);
		json_decref(items);
		api_store_failed(rs);
		return;
	}
	free(ids);
	resp_json(rs, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
	char detail[96];
	snprintf(detail, sizeof detail, "%s%s%s; %d shown of %" PRId64, person_id ? "by person" : "all",
		 q.status[0] ? "; " : "", q.status, n, total);
	api_audit_view(rq, rs, "missing.list", person_id ? "person" : "", person_id, detail);
}

void api_missing_update(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	struct missing_episode *e = calloc(1, sizeof *e);
	if (!e) {
		api_store_failed(rs);
		return;
	}
	if (!episode_gate(rq, rs, id, e))
		goto out;
	struct jv v = { 0 };
	e->version = 0;
	parse_episode(&v, rq, rq->json, e, false);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	struct missing_errors errs = { .n = 0 };
	int ms = missing_update(rq->st, &rq->session.user, e, &errs);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms,
			     "The episode has ended: its end time cannot be cleared here. A manager can reopen it "
			     "(POST /api/v1/missing-episodes/{id}/reopen) with a reason.",
			     &errs, e->person_id);
		goto out;
	}
	answer_episode(rq, rs, id, 200);
out:
	free(e);
}

void api_missing_grade(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "grade", "graded_at", "graded_by", "note", NULL };
	int64_t id = api_param_id(rq, 0);
	struct missing_episode *e = calloc(1, sizeof *e);
	struct missing_grading *g = calloc(1, sizeof *g);
	if (!e || !g) {
		api_store_failed(rs);
		goto out;
	}
	if (!episode_gate(rq, rs, id, e))
		goto out;
	struct jv v = { 0 };
	jv_known(&v, rq->json, "", known);
	code_member(&v, rq->json, "grade", "grade", g->grade, sizeof g->grade);
	if (!named(&v, "grade") && !missing_grade_valid(g->grade))
		jv_error(&v, "grade", "must be one of none, low, medium, high");
	time_member(&v, rq->json, "graded_at", &g->graded_at);
	jv_string(&v, rq->json, "graded_by", "graded_by", 0, MISSING_GRADED_BY_CHARS, false, g->graded_by,
		  sizeof g->graded_by);
	jv_string(&v, rq->json, "note", "note", 0, MISSING_GRADE_NOTE_CHARS, true, g->note, sizeof g->note);
	struct missing_errors edge = { .n = 0 };
	missing_check_time(&edge, "graded_at", g->graded_at, e->started_at, "the child was last seen (started_at)",
			   store_now());
	add_errors(&v, &edge);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	struct missing_errors errs = { .n = 0 };
	int ms = missing_add_grading(rq->st, &rq->session.user, id, g, &errs);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms, "The episode has as many gradings as it can keep.", &errs, e->person_id);
		goto out;
	}
	answer_episode(rq, rs, id, 201);
out:
	free(e);
	free(g);
}

void api_missing_return(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "ended_at", "found_where", "found_with", NULL };
	int64_t id = api_param_id(rq, 0);
	struct missing_episode *e = calloc(1, sizeof *e);
	if (!e) {
		api_store_failed(rs);
		return;
	}
	if (!episode_gate(rq, rs, id, e))
		goto out;
	struct jv v = { 0 };
	int64_t version = 0, ended_at = 0;
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	if (time_member(&v, rq->json, "ended_at", &ended_at) && !ended_at)
		jv_error(&v, "ended_at", "is required: when the child was found or came back");
	bool where = json_object_get(rq->json, "found_where") != NULL;
	char found_where[MISSING_TEXT_CHARS * 4 + 1] = "";
	text_member(&v, rq->json, "found_where", "found_where", MISSING_TEXT_CHARS, false, found_where,
		    sizeof found_where);
	int64_t with[MISSING_FOUND_WITH_MAX];
	int n_with = -1;
	if (!found_with_member(&v, rq, rq->json, with, &n_with))
		n_with = -1;
	struct missing_errors edge = { .n = 0 };
	missing_check_time(&edge, "ended_at", ended_at, e->started_at, "the child was last seen (started_at)",
			   store_now());
	add_errors(&v, &edge);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	struct missing_errors errs = { .n = 0 };
	int ms = missing_return(rq->st, &rq->session.user, id, version, ended_at, where ? found_where : NULL, with,
				n_with, &errs);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms,
			     "The episode has already ended. Change its end time with PUT, or ask a manager to reopen it.",
			     &errs, e->person_id);
		goto out;
	}
	answer_episode(rq, rs, id, 200);
out:
	free(e);
}

void api_missing_reopen(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "reason", NULL };
	int64_t id = api_param_id(rq, 0);
	struct missing_episode *e = calloc(1, sizeof *e);
	if (!e) {
		api_store_failed(rs);
		return;
	}
	if (!episode_gate(rq, rs, id, e))
		goto out;
	struct jv v = { 0 };
	int64_t version = 0;
	char reason[MISSING_REASON_CHARS * 4 + 1];
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	jv_string(&v, rq->json, "reason", "reason", 1, MISSING_REASON_CHARS, true, reason, sizeof reason);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	int ms = missing_reopen(rq->st, &rq->session.user, id, version, reason);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms, "The episode is still open: there is nothing to reopen.", NULL, e->person_id);
		goto out;
	}
	answer_episode(rq, rs, id, 200);
out:
	free(e);
}

void api_missing_rhi(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "offered_at", "offered_by", "offered_org", "independent",
					     "response", "responded_at", "declined_reason", "completed_at",
					     "push_factors", "pull_factors", "stayed_where", "stayed_with",
					     "exploitation_disclosed", "follow_up", NULL };
	int64_t id = api_param_id(rq, 0);
	struct missing_episode *e = calloc(1, sizeof *e);
	struct missing_rhi *r = calloc(1, sizeof *r);
	if (!e || !r) {
		api_store_failed(rs);
		goto out;
	}
	if (!episode_gate(rq, rs, id, e))
		goto out;
	if (missing_rhi_get(rq->st, id, r) != MISSING_OK) {
		api_store_failed(rs);
		goto out;
	}
	struct jv v = { 0 };
	jv_known(&v, rq->json, "", known);
	json_t *ver = json_object_get(rq->json, "version");
	if (ver && !json_is_null(ver))
		api_version_field(&v, rq->json, &r->version);
	else
		r->version = 0; /* "none yet": a stored RHI makes this stale */
	time_member(&v, rq->json, "offered_at", &r->offered_at);
	text_member(&v, rq->json, "offered_by", "offered_by", MISSING_RHI_NAME_CHARS, false, r->offered_by,
		    sizeof r->offered_by);
	text_member(&v, rq->json, "offered_org", "offered_org", MISSING_RHI_NAME_CHARS, false, r->offered_org,
		    sizeof r->offered_org);
	tristate_member(&v, rq->json, "independent", &r->independent);
	json_t *resp = json_object_get(rq->json, "response");
	if (resp && json_is_null(resp))
		r->response[0] = 0;
	else if (resp && (!json_is_string(resp) || (strcmp(json_string_value(resp), "accepted") != 0 &&
						    strcmp(json_string_value(resp), "declined") != 0)))
		jv_error(&v, "response", "must be accepted, declined or null");
	else if (resp)
		snprintf(r->response, sizeof r->response, "%s", json_string_value(resp));
	time_member(&v, rq->json, "responded_at", &r->responded_at);
	text_member(&v, rq->json, "declined_reason", "declined_reason", MISSING_RHI_TEXT_CHARS, true,
		    r->declined_reason, sizeof r->declined_reason);
	time_member(&v, rq->json, "completed_at", &r->completed_at);
	text_member(&v, rq->json, "push_factors", "push_factors", MISSING_RHI_TEXT_CHARS, true, r->push_factors,
		    sizeof r->push_factors);
	text_member(&v, rq->json, "pull_factors", "pull_factors", MISSING_RHI_TEXT_CHARS, true, r->pull_factors,
		    sizeof r->pull_factors);
	text_member(&v, rq->json, "stayed_where", "stayed_where", MISSING_RHI_TEXT_CHARS, true, r->stayed_where,
		    sizeof r->stayed_where);
	text_member(&v, rq->json, "stayed_with", "stayed_with", MISSING_RHI_TEXT_CHARS, true, r->stayed_with,
		    sizeof r->stayed_with);
	tristate_member(&v, rq->json, "exploitation_disclosed", &r->exploitation_disclosed);
	text_member(&v, rq->json, "follow_up", "follow_up", MISSING_RHI_TEXT_CHARS, true, r->follow_up,
		    sizeof r->follow_up);
	struct missing_errors edge = { .n = 0 };
	if (e->ended_at)
		missing_rhi_check(e, r, store_now(), &edge);
	add_errors(&v, &edge);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	struct missing_errors errs = { .n = 0 };
	int ms = missing_rhi_put(rq->st, &rq->session.user, id, r, &errs);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms,
			     "The child is still missing: a return home interview is recorded after the return.", &errs,
			     e->person_id);
		goto out;
	}
	answer_episode(rq, rs, id, 200);
out:
	free(e);
	free(r);
}

/* ---- notifications ---- */

void api_notification_list(struct req *rq, struct resp *rs)
{
	char open[8];
	if (!api_query_text(rq, rs, "open", open, sizeof open))
		return;
	if (open[0] && strcmp(open, "true") != 0 && strcmp(open, "false") != 0) {
		struct jv v = { 0 };
		jv_error(&v, "open", "must be true or false");
		resp_problem(rs, 400, "Bad query", "A query parameter is not valid.", jv_take(&v));
		return;
	}
	struct missing_notification *list = calloc(NOTIFICATIONS_MAX, sizeof *list);
	struct missing_episode *e = calloc(1, sizeof *e);
	struct missing_person *p = calloc(1, sizeof *p);
	json_t *items = json_array();
	int n = 0, shown = 0;
	if (!list || !e || !p ||
	    missing_notifications(rq->st, 0, strcmp(open, "true") == 0, list, NOTIFICATIONS_MAX, &n) != MISSING_OK)
		goto fail;
	for (int i = 0; i < n; i++) {
		if (missing_person_get(rq->st, list[i].person_id, p) != MISSING_OK ||
		    missing_get(rq->st, list[i].episode_id, e) != MISSING_OK)
			goto fail;
		if (!may_see(rq->st, &rq->session.user, p))
			continue;
		json_t *o = notification_json(&list[i]);
		json_object_set_new(o, "person", person_json(rq->st, &rq->session.user, p->id));
		char link[48];
		snprintf(link, sizeof link, "/missing/%" PRId64, e->id);
		json_object_set_new(o, "episode",
				    json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "started_at",
					      jv_time(e->started_at), "ended_at", time_or_null(e->ended_at), "status",
					      e->ended_at ? "returned" : "missing", "out_of_area", e->out_of_area,
					      "team", e->team, "link", link));
		json_array_append_new(items, o);
		shown++;
	}
	free(list);
	free(e);
	free(p);
	resp_json(rs, 200, json_pack("{s:o}", "items", items));
	char detail[64];
	snprintf(detail, sizeof detail, "%s; %d shown", strcmp(open, "true") == 0 ? "open" : "all", shown);
	api_audit_view(rq, rs, "notification.list", "", 0, detail);
	return;
fail:
	free(list);
	free(e);
	free(p);
	json_decref(items);
	api_store_failed(rs);
}

void api_notification_ack(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "acknowledged_at", "acknowledged_by", NULL };
	int64_t id = api_param_id(rq, 0);
	struct missing_notification *n = calloc(1, sizeof *n);
	if (!n) {
		api_store_failed(rs);
		return;
	}
	int ms = missing_notification_get(rq->st, id, n);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms, NULL, NULL, 0);
		goto out;
	}
	if (!api_person_gate(rq, rs, n->person_id))
		goto out;
	struct jv v = { 0 };
	int64_t version = 0, at = 0;
	char by[MISSING_RHI_NAME_CHARS * 4 + 1];
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	time_member(&v, rq->json, "acknowledged_at", &at);
	jv_string(&v, rq->json, "acknowledged_by", "acknowledged_by", 1, MISSING_RHI_NAME_CHARS, false, by, sizeof by);
	struct missing_errors edge = { .n = 0 };
	missing_check_time(&edge, "acknowledged_at", at, n->created_at, "the notification was made", store_now());
	add_errors(&v, &edge);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	struct missing_errors errs = { .n = 0 };
	ms = missing_notification_ack(rq->st, &rq->session.user, id, version, at, by, n, &errs);
	if (ms != MISSING_OK) {
		missing_fail(rq, rs, ms, "The notification has already been acknowledged.", &errs, n->person_id);
		goto out;
	}
	resp_json(rs, 200, notification_json(n));
out:
	free(n);
}

/* ---- a person's missing summary ---- */

void api_person_missing(struct req *rq, struct resp *rs)
{
	int64_t person_id = api_param_id(rq, 0);
	if (!api_person_gate(rq, rs, person_id))
		return;
	struct missing_query q = { .person_id = person_id, .user_id = rq->session.user.id, .limit = PERSON_EPISODES_MAX };
	struct missing_person_summary sum;
	int64_t *ids = NULL, total = 0;
	int n = 0;
	json_t *items = json_array();
	if (missing_person_summary(rq->st, person_id, store_now(), &sum) != MISSING_OK ||
	    missing_list(rq->st, &q, &ids, &n, &total) != MISSING_OK || !append_episodes(rq, ids, n, items)) {
		free(ids);
		json_decref(items);
		api_store_failed(rs);
		return;
	}
	free(ids);
	json_t *repeat = json_pack("{s:b, s:o}", "flagged", sum.repeat_flagged, "since", time_or_null(sum.repeat_since));
	resp_json(rs, 200,
		  json_pack("{s:o, s:I, s:i, s:i, s:o, s:o}", "episodes", items, "total", (json_int_t)total,
			    "count_90_days", sum.count_90_days, "count_12_months", sum.count_12_months, "repeat_missing",
			    repeat, "open_episode_id",
			    sum.open_episode_id ? json_integer(sum.open_episode_id) : json_null()));
	char detail[64];
	snprintf(detail, sizeof detail, "%d episodes shown", n);
	api_audit_view(rq, rs, "missing.person", "person", person_id, detail);
}
