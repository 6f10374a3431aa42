/*
 * api_person.c - /api/v1/persons: JSON in and out, validation into struct person, and the
 * audit of every view and search. See docs/api.md for the contract.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "json.h"
#include "person.h"
#include "store.h"
#include "valid.h"

static const char *const person_fields[] = {
	"id", "version", "given_name", "family_name", "aliases", "dob", "dob_estimated", "age", "is_child",
	"sex", "gender", "ethnicity", "identifiers", "addresses", "phones", "notes", "restricted",
	"restricted_to", "created_at", "created_by", "updated_at", "updated_by", "merged_into", NULL
};
static const char *const identifier_fields[] = { "nhs_number", "upn", "police_ref", "la_id", NULL };
static const char *const address_fields[] = { "line1", "line2", "town", "postcode", "current", NULL };

static void parse_identifiers(struct jv *v, json_t *ids, struct person *p)
{
	if (!ids || json_is_null(ids))
		return;
	if (!json_is_object(ids)) {
		jv_error(v, "identifiers", "must be an object");
		return;
	}
	jv_known(v, ids, "identifiers.", identifier_fields);
	char raw[201];
	if (jv_string(v, ids, "nhs_number", "identifiers.nhs_number", 0, 20, false, raw, sizeof raw) && raw[0] &&
	    !valid_nhs_number(raw, p->nhs_number))
		jv_error(v, "identifiers.nhs_number", "must be a 10-digit NHS number with a valid check digit");
	if (jv_string(v, ids, "upn", "identifiers.upn", 0, 20, false, raw, sizeof raw) && raw[0] &&
	    !valid_upn(raw, p->upn))
		jv_error(v, "identifiers.upn", "must be a 13-character unique pupil number with a valid check letter");
	jv_string(v, ids, "police_ref", "identifiers.police_ref", 0, PERSON_REF_CHARS, false, p->police_ref,
		  sizeof p->police_ref);
	jv_string(v, ids, "la_id", "identifiers.la_id", 0, PERSON_REF_CHARS, false, p->la_id, sizeof p->la_id);
}

static void parse_addresses(struct jv *v, json_t *in, struct person *p)
{
	size_t n;
	json_t *arr = jv_array(v, in, "addresses", "addresses", PERSON_ADDRESSES_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(arr, i);
		char path[64];
		snprintf(path, sizeof path, "addresses[%zu]", i);
		if (!json_is_object(a)) {
			jv_error(v, path, "must be an object");
			continue;
		}
		char prefix[64];
		snprintf(prefix, sizeof prefix, "addresses[%zu].", i);
		jv_known(v, a, prefix, address_fields);
		struct person_address *to = &p->addresses[p->n_addresses++];
		snprintf(path, sizeof path, "addresses[%zu].line1", i);
		jv_string(v, a, "line1", path, 1, 200, false, to->line1, sizeof to->line1);
		snprintf(path, sizeof path, "addresses[%zu].line2", i);
		jv_string(v, a, "line2", path, 0, 100, false, to->line2, sizeof to->line2);
		snprintf(path, sizeof path, "addresses[%zu].town", i);
		jv_string(v, a, "town", path, 0, 100, false, to->town, sizeof to->town);
		snprintf(path, sizeof path, "addresses[%zu].postcode", i);
		char raw[64];
		if (jv_string(v, a, "postcode", path, 0, 12, false, raw, sizeof raw) && raw[0] &&
		    !valid_postcode(raw, to->postcode))
			jv_error(v, path, "must be a valid UK postcode, like SK1 3XE");
		snprintf(path, sizeof path, "addresses[%zu].current", i);
		to->current = jv_bool(v, a, "current", path, false);
	}
}

static void parse_phones(struct jv *v, json_t *in, struct person *p)
{
	size_t n;
	json_t *arr = jv_array(v, in, "phones", "phones", PERSON_PHONES_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(arr, i);
		char path[32];
		snprintf(path, sizeof path, "phones[%zu]", i);
		const char *s = json_string_value(x);
		size_t len = s ? strlen(s) : 0;
		bool ok = s && len >= 6 && len <= 20;
		for (size_t k = 0; ok && k < len; k++)
			ok = (s[k] >= '0' && s[k] <= '9') || strchr(" +()-", s[k]);
		if (!ok) {
			jv_error(v, path, "must be a phone number: 6 to 20 digits, spaces, +, (, ) or -");
			continue;
		}
		snprintf(p->phones[p->n_phones++], sizeof p->phones[0], "%s", s);
	}
}

/* Validate a whole person body into *p. Returns the error list (NULL when valid). */
static json_t *person_parse(json_t *in, struct person *p)
{
	struct jv v = { 0 };
	memset(p, 0, sizeof *p);
	jv_known(&v, in, "", person_fields);
	jv_string(&v, in, "given_name", "given_name", 1, PERSON_NAME_CHARS, false, p->given_name, sizeof p->given_name);
	jv_string(&v, in, "family_name", "family_name", 1, PERSON_NAME_CHARS, false, p->family_name,
		  sizeof p->family_name);
	size_t n;
	json_t *aliases = jv_array(&v, in, "aliases", "aliases", PERSON_ALIASES_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof path, "aliases[%zu]", i);
		json_t *wrap = json_pack("{s:O}", "a", json_array_get(aliases, i));
		if (jv_string(&v, wrap, "a", path, 1, PERSON_ALIAS_CHARS, false, p->aliases[p->n_aliases],
			      sizeof p->aliases[0]))
			p->n_aliases++;
		json_decref(wrap);
	}
	char dob[32];
	if (jv_string(&v, in, "dob", "dob", 0, 10, false, dob, sizeof dob) && dob[0]) {
		struct valid_date d, today;
		valid_date_from_time(store_now(), &today);
		if (!valid_parse_date(dob, &d))
			jv_error(&v, "dob", "must be a real date written YYYY-MM-DD");
		else if (valid_days_from_civil(&d) > valid_days_from_civil(&today))
			jv_error(&v, "dob", "must not be in the future");
		else if (d.year < 1900)
			jv_error(&v, "dob", "must be on or after 1900-01-01");
		else
			snprintf(p->dob, sizeof p->dob, "%.10s", dob);
	}
	p->dob_estimated = jv_bool(&v, in, "dob_estimated", "dob_estimated", false);
	if (jv_string(&v, in, "sex", "sex", 1, 7, false, p->sex, sizeof p->sex) &&
	    !person_code_known(person_sexes, p->sex))
		jv_error(&v, "sex", "must be female, male or unknown");
	jv_string(&v, in, "gender", "gender", 0, 100, false, p->gender, sizeof p->gender);
	if (jv_string(&v, in, "ethnicity", "ethnicity", 0, 4, false, p->ethnicity, sizeof p->ethnicity) &&
	    p->ethnicity[0] && !person_code_known(person_ethnicities, p->ethnicity))
		jv_error(&v, "ethnicity", "must be one of the census ethnicity codes");
	parse_identifiers(&v, json_object_get(in, "identifiers"), p);
	parse_addresses(&v, in, p);
	parse_phones(&v, in, p);
	jv_string(&v, in, "notes", "notes", 0, PERSON_NOTES_CHARS, true, p->notes, sizeof p->notes);
	p->restricted = jv_bool(&v, in, "restricted", "restricted", false);
	json_t *rt = jv_array(&v, in, "restricted_to", "restricted_to", PERSON_RESTRICTED_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		const char *u = json_string_value(json_array_get(rt, i));
		char path[48];
		snprintf(path, sizeof path, "restricted_to[%zu]", i);
		if (!u || user_check_username(u))
			jv_error(&v, path, "must be a username");
		else
			snprintf(p->restricted_to[p->n_restricted_to++], sizeof p->restricted_to[0], "%s", u);
	}
	json_t *ver = json_object_get(in, "version");
	if (ver && !json_is_null(ver)) {
		if (!json_is_integer(ver) || json_integer_value(ver) < 1)
			jv_error(&v, "version", "must be a whole number from 1");
		else
			p->version = json_integer_value(ver);
	}
	return jv_failed(&v) ? jv_take(&v) : NULL;
}

static json_t *aliases_json(const char *text)
{
	json_t *a = json_loads(text, 0, NULL);
	return a ? a : json_array();
}

void api_put_age(json_t *o, const char *dob, int64_t now)
{
	struct valid_date d, today;
	if (dob[0] && valid_parse_date(dob, &d)) {
		valid_date_from_time(now, &today);
		int age = valid_age_on(&d, &today);
		json_object_set_new(o, "dob", json_string(dob));
		json_object_set_new(o, "age", json_integer(age));
		json_object_set_new(o, "is_child", json_boolean(age < 18));
	} else {
		json_object_set_new(o, "dob", json_null());
		json_object_set_new(o, "age", json_null());
		json_object_set_new(o, "is_child", json_null());
	}
}

json_t *api_person_json(const struct person *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "version", json_integer(p->version));
	json_object_set_new(o, "given_name", json_string(p->given_name));
	json_object_set_new(o, "family_name", json_string(p->family_name));
	json_t *al = json_array();
	for (int i = 0; i < p->n_aliases; i++)
		json_array_append_new(al, json_string(p->aliases[i]));
	json_object_set_new(o, "aliases", al);
	api_put_age(o, p->dob, store_now());
	json_object_set_new(o, "dob_estimated", json_boolean(p->dob_estimated));
	json_object_set_new(o, "sex", json_string(p->sex));
	json_object_set_new(o, "gender", json_string(p->gender));
	json_object_set_new(o, "ethnicity", p->ethnicity[0] ? json_string(p->ethnicity) : json_null());
	json_object_set_new(o, "identifiers",
			    json_pack("{s:s, s:s, s:s, s:s}", "nhs_number", p->nhs_number, "upn", p->upn, "police_ref",
				      p->police_ref, "la_id", p->la_id));
	json_t *ads = json_array();
	for (int i = 0; i < p->n_addresses; i++) {
		const struct person_address *a = &p->addresses[i];
		json_array_append_new(ads, json_pack("{s:s, s:s, s:s, s:s, s:b}", "line1", a->line1, "line2", a->line2,
						     "town", a->town, "postcode", a->postcode, "current", a->current));
	}
	json_object_set_new(o, "addresses", ads);
	json_t *ph = json_array();
	for (int i = 0; i < p->n_phones; i++)
		json_array_append_new(ph, json_string(p->phones[i]));
	json_object_set_new(o, "phones", ph);
	json_object_set_new(o, "notes", json_string(p->notes));
	json_object_set_new(o, "restricted", json_boolean(p->restricted));
	json_t *rt = json_array();
	for (int i = 0; i < p->n_restricted_to; i++)
		json_array_append_new(rt, json_string(p->restricted_to[i]));
	json_object_set_new(o, "restricted_to", rt);
	json_object_set_new(o, "created_at", jv_time(p->created_at));
	json_object_set_new(o, "created_by", json_string(p->created_by));
	json_object_set_new(o, "updated_at", jv_time(p->updated_at));
	json_object_set_new(o, "updated_by", json_string(p->updated_by));
	json_object_set_new(o, "merged_into", p->merged_into ? json_integer(p->merged_into) : json_null());
	return o;
}

/* Answer a failed person operation. */
static void person_fail(struct req *rq, struct resp *rs, enum person_status ps, int64_t id, const char *err)
{
	struct audit_entry e;
	switch (ps) {
	case PERSON_NOT_FOUND:
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		break;
	case PERSON_DENIED:
		/* Recorded by the writer even though this request's transaction is rolled back. */
		audit_fill(&e, &rq->session.user, "person.denied", "person", id, "denied", "restricted record");
		audit_view(rq->st, &e, NULL, NULL);
		resp_problem(rs, 403, "Forbidden", "This record is restricted to named people.", NULL);
		break;
	case PERSON_STALE:
		resp_problem(rs, 409, "Conflict",
			     "Someone else changed this record after you opened it. Reload it and make your change again.",
			     NULL);
		break;
	case PERSON_INVALID: {
		struct jv v = { 0 };
		jv_error(&v, err, "is not a known user");
		resp_problem(rs, 422, "Check the details", "Some details need correcting.", jv_take(&v));
		break;
	}
	default:
		resp_problem(rs, 503, "Service unavailable", "The record could not be read or saved. Try again.", NULL);
		break;
	}
}

void api_person_create(struct req *rq, struct resp *rs)
{
	struct person *p = calloc(1, sizeof *p);
	char err[64] = "";
	if (!p) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		return;
	}
	json_t *errors = person_parse(rq->json, p);
	if (errors) {
		resp_problem(rs, 422, "Check the details", "Some details need correcting.", errors);
		goto out;
	}
	enum person_status ps = person_create(rq->st, &rq->session.user, p, err, sizeof err);
	if (ps != PERSON_OK) {
		person_fail(rq, rs, ps, 0, err);
		goto out;
	}
	snprintf(rs->location, sizeof rs->location, "/api/v1/persons/%" PRId64, p->id);
	resp_json(rs, 201, api_person_json(p));
out:
	free(p);
}

void api_person_get(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	if (!id) {
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		return;
	}
	struct person *p = calloc(1, sizeof *p);
	if (!p) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		return;
	}
	enum person_status ps = person_get(rq->st, &rq->session.user, id, p);
	if (ps != PERSON_OK) {
		person_fail(rq, rs, ps, id, "");
	} else {
		resp_json(rs, 200, api_person_json(p));
		rs->has_view = true;
		audit_fill(&rs->view, &rq->session.user, "person.view", "person", id, "ok", "");
	}
	free(p);
}

void api_person_update(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	if (!id) {
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		return;
	}
	struct person *p = calloc(1, sizeof *p);
	char err[64] = "";
	if (!p) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		return;
	}
	json_t *errors = person_parse(rq->json, p);
	if (!errors && p->version == 0) {
		struct jv v = { 0 };
		jv_error(&v, "version", "is required: send the version you read");
		errors = jv_take(&v);
	}
	if (errors) {
		resp_problem(rs, 422, "Check the details", "Some details need correcting.", errors);
		goto out;
	}
	p->id = id;
	enum person_status ps = person_update(rq->st, &rq->session.user, p, err, sizeof err);
	if (ps != PERSON_OK)
		person_fail(rq, rs, ps, id, err);
	else
		resp_json(rs, 200, api_person_json(p));
out:
	free(p);
}

static void search_run(struct req *rq, struct resp *rs, const struct person_query *qq);

/*
 * Check a search's terms and answer it. bad_status is 400 for query strings, 422 for bodies.
 */
static void search_reply(struct req *rq, struct resp *rs, struct person_query *q, int bad_status)
{
	struct valid_date d;
	struct jv jv = { 0 };
	if (q->dob[0] && !valid_parse_date(q->dob, &d))
		jv_error(&jv, "dob", "must be a date written YYYY-MM-DD");
	char folded[sizeof q->q * 2];
	if (q->q[0] && valid_text(q->q, 1, 200, false))
		jv_error(&jv, "q", "%s", valid_text(q->q, 1, 200, false));
	else if (q->q[0] && valid_fold(q->q, folded, sizeof folded) == 0)
		jv_error(&jv, "q", "must contain a letter or a digit");
	else if (!q->q[0] && !q->dob[0] && !q->identifier[0])
		jv_error(&jv, "q", "give a name, a date of birth or an identifier to search for");
	if (jv_failed(&jv)) {
		resp_problem(rs, bad_status, bad_status == 400 ? "Bad query" : "Check the details",
			     "Give a name, a date of birth or an identifier to search for, each written correctly.",
			     jv_take(&jv));
		return;
	}
	search_run(rq, rs, q);
}

void api_person_list(struct req *rq, struct resp *rs)
{
	struct person_query q;
	memset(&q, 0, sizeof q);
	if (!api_query_text(rq, rs, "q", q.q, 201) || !api_query_text(rq, rs, "dob", q.dob, sizeof q.dob) ||
	    !api_query_text(rq, rs, "identifier", q.identifier, 51) ||
	    !api_query_int(rq, rs, "limit", 1, 100, 20, &q.limit) || !api_query_int(rq, rs, "offset", 0, 100000, 0, &q.offset))
		return;
	search_reply(rq, rs, &q, 400);
}

void api_person_search(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "q", "dob", "identifier", "limit", "offset", NULL };
	struct person_query q;
	struct jv v = { 0 };
	memset(&q, 0, sizeof q);
	jv_known(&v, rq->json, "", known);
	jv_string(&v, rq->json, "q", "q", 0, 200, false, q.q, sizeof q.q);
	jv_string(&v, rq->json, "dob", "dob", 0, 10, false, q.dob, sizeof q.dob);
	jv_string(&v, rq->json, "identifier", "identifier", 0, 50, false, q.identifier, sizeof q.identifier);
	q.limit = 20;
	json_t *x = json_object_get(rq->json, "limit");
	if (x && !(json_is_integer(x) && json_integer_value(x) >= 1 && json_integer_value(x) <= 100))
		jv_error(&v, "limit", "must be a whole number from 1 to 100");
	else if (x)
		q.limit = (int)json_integer_value(x);
	x = json_object_get(rq->json, "offset");
	if (x && !(json_is_integer(x) && json_integer_value(x) >= 0 && json_integer_value(x) <= 100000))
		jv_error(&v, "offset", "must be a whole number from 0 to 100000");
	else if (x)
		q.offset = (int)json_integer_value(x);
	if (jv_failed(&v)) {
		resp_problem(rs, 422, "Check the details", "The search is not valid.", jv_take(&v));
		return;
	}
	search_reply(rq, rs, &q, 422);
}

/* Run a checked search and answer it, audited as person.search. */
static void search_run(struct req *rq, struct resp *rs, const struct person_query *qq)
{
	const struct person_query q = *qq;
	struct person_summary *items = NULL;
	int n = 0;
	int64_t total = 0;
	if (person_search(rq->st, &rq->session.user, &q, &items, &n, &total) != PERSON_OK) {
		resp_problem(rs, 503, "Service unavailable", "The search could not run. Try again.", NULL);
		return;
	}
	json_t *arr = json_array();
	int64_t now = store_now();
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)items[i].id, "given_name",
				      items[i].given_name, "family_name", items[i].family_name, "aliases",
				      aliases_json(items[i].aliases_json), "sex", items[i].sex);
		api_put_age(o, items[i].dob, now);
		json_object_set_new(o, "postcode", items[i].postcode[0] ? json_string(items[i].postcode) : json_null());
		json_array_append_new(arr, o);
	}
	free(items);
	resp_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", arr, "total", (json_int_t)total, "limit", q.limit,
				     "offset", q.offset));
	/* The search itself is audited (not its words: they are personal data), with what it showed. */
	rs->has_view = true;
	char detail[96];
	snprintf(detail, sizeof detail, "by%s%s%s; %d shown of %lld", q.q[0] ? " name" : "", q.dob[0] ? " dob" : "",
		 q.identifier[0] ? " identifier" : "", n, (long long)total);
	audit_fill(&rs->view, &rq->session.user, "person.search", "", 0, "ok", detail);
}

void api_person_views(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	bool restricted = false;
	int rc = id ? store_person_restricted(rq->st, id, &restricted) : STORE_NOTFOUND;
	if (rc != 0) {
		person_fail(rq, rs, rc == STORE_NOTFOUND ? PERSON_NOT_FOUND : PERSON_ERROR, id, "");
		return;
	}
	if (!person_may_access(rq->st, &rq->session.user, id, restricted)) {
		person_fail(rq, rs, PERSON_DENIED, id, "");
		return;
	}
	struct store_audit_filter f = { .limit = 200 };
	snprintf(f.object_type, sizeof f.object_type, "person");
	snprintf(f.object_id, sizeof f.object_id, "%" PRId64, id);
	struct audit_entry *items = NULL;
	int n = 0;
	if (store_audit_query(rq->st, &f, &items, &n) != 0) {
		resp_problem(rs, 503, "Service unavailable", "The audit trail could not be read.", NULL);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}", "at", jv_time(items[i].at),
						     "username", items[i].username, "role", items[i].role, "agency",
						     items[i].agency, "action", items[i].action, "outcome",
						     items[i].outcome));
	free(items);
	resp_json(rs, 200, json_pack("{s:o}", "items", arr));
	rs->has_view = true;
	audit_fill(&rs->view, &rq->session.user, "person.views", "person", id, "ok", "");
}
