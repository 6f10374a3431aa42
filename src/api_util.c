/*
 * api_util.c - small helpers every api_*.c uses: path ids, query parameters, the person gate
 * (exists and not restricted from this user), and the JSON shape of common things.
 */
#include "api_util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "person.h"
#include "store.h"
#include "store_merge.h"
#include "valid.h"

/* A path parameter as a positive id, or 0. */
int64_t api_param_id(const struct req *rq, int i)
{
	if (i >= rq->n_params)
		return 0;
	const char *s = rq->params[i];
	int64_t v = 0;
	if (!*s || strlen(s) > 15)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Copy a query parameter, trimmed, into out; false (with a 400) when too long. */
bool api_query_text(struct req *rq, struct resp *rs, const char *name, char *out, size_t cap)
{
	const char *v = http_query(rq, name);
	out[0] = 0;
	if (!v)
		return true;
	while (*v == ' ')
		v++;
	size_t len = strlen(v);
	while (len && v[len - 1] == ' ')
		len--;
	if (len >= cap) {
		char detail[100];
		snprintf(detail, sizeof detail, "The %s parameter is too long.", name);
		struct jv jv = { 0 };
		jv_error(&jv, name, "is too long");
		resp_problem(rs, 400, "Bad query", detail, jv_take(&jv));
		return false;
	}
	memcpy(out, v, len);
	out[len] = 0;
	return true;
}

/* A whole-number query parameter in [min, max], default def; false (with a 400) otherwise. */
bool api_query_int(struct req *rq, struct resp *rs, const char *name, int min, int max, int def, int *out)
{
	const char *v = http_query(rq, name);
	*out = def;
	if (!v || !*v)
		return true;
	char *end = NULL;
	long n = strtol(v, &end, 10);
	if (!end || *end || n < min || n > max) {
		struct jv jv = { 0 };
		jv_error(&jv, name, "must be a whole number from %d to %d", min, max);
		resp_problem(rs, 400, "Bad query", "A query parameter is out of range.", jv_take(&jv));
		return false;
	}
	*out = (int)n;
	return true;
}

bool api_person_gate(struct req *rq, struct resp *rs, int64_t person_id)
{
	bool restricted = false;
	int rc = person_id > 0 ? store_person_restricted(rq->st, person_id, &restricted) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		return false;
	}
	if (rc != 0) {
		api_store_failed(rs);
		return false;
	}
	if (!person_may_access(rq->st, &rq->session.user, person_id, restricted)) {
		struct audit_entry e;
		audit_fill(&e, &rq->session.user, "person.denied", "person", person_id, "denied", "restricted record");
		audit_view(rq->st, &e, NULL, NULL);
		resp_problem(rs, 403, "Forbidden", "This record is restricted to named people.", NULL);
		return false;
	}
	return true;
}

bool api_person_not_merged(struct req *rq, struct resp *rs, struct jv *v, const char *field, int64_t person_id)
{
	if (person_id <= 0)
		return true;
	struct merge_person p;
	int rc = store_merge_person(rq->st, person_id, &p);
	if (rc == STORE_NOTFOUND)
		return true;
	if (rc != 0) {
		api_store_failed(rs);
		return false;
	}
	if (p.merged_into)
		jv_error(v, field, "was merged into person %" PRId64 ": record this against that person", p.merged_into);
	return true;
}

void api_store_failed(struct resp *rs)
{
	resp_problem(rs, 503, "Service unavailable", "The record could not be read or saved. Try again.", NULL);
}

void api_invalid(struct resp *rs, struct jv *v)
{
	resp_problem(rs, 422, "Check the details", "Some details need correcting.", jv_take(v));
}

void api_audit_view(struct req *rq, struct resp *rs, const char *action, const char *object_type, int64_t id,
		    const char *detail)
{
	rs->has_view = true;
	audit_fill(&rs->view, &rq->session.user, action, object_type, id, "ok", detail);
}

json_t *api_user_ref(struct store *st, int64_t user_id)
{
	struct user u;
	if (user_id <= 0 || store_user_by_id(st, user_id, &u) != 0)
		return json_null();
	return json_pack("{s:s, s:s}", "username", u.username, "display_name", u.display_name);
}

json_t *api_person_ref(struct store *st, int64_t person_id)
{
	struct person *p = calloc(1, sizeof *p);
	json_t *o = NULL;
	if (p && store_person_get(st, person_id, p) == 0) {
		o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->id, "given_name", p->given_name, "family_name",
			      p->family_name);
		api_put_age(o, p->dob, store_now());
	}
	free(p);
	return o ? o : json_null();
}

bool api_time_field(struct jv *v, json_t *obj, const char *key, bool required, int64_t def, int64_t *out)
{
	json_t *x = json_object_get(obj, key);
	*out = def;
	if (!x || json_is_null(x)) {
		if (required) {
			jv_error(v, key, "is required");
			return false;
		}
		return true;
	}
	int64_t t;
	if (!json_is_string(x) || !valid_parse_time(json_string_value(x), &t)) {
		jv_error(v, key, "must be a date and time like 2026-11-24T09:30:00Z");
		return false;
	}
	if (t > store_now() + 300) {
		jv_error(v, key, "must not be in the future");
		return false;
	}
	*out = t;
	return true;
}

bool api_date_field(struct jv *v, json_t *obj, const char *key, bool required, char out[11])
{
	json_t *x = json_object_get(obj, key);
	out[0] = 0;
	if (!x || json_is_null(x) || (json_is_string(x) && !json_string_length(x))) {
		if (required) {
			jv_error(v, key, "is required");
			return false;
		}
		return true;
	}
	struct valid_date d;
	if (!json_is_string(x) || !valid_parse_date(json_string_value(x), &d)) {
		jv_error(v, key, "must be a real date written YYYY-MM-DD");
		return false;
	}
	valid_format_date(&d, out);
	return true;
}

bool api_version_field(struct jv *v, json_t *obj, int64_t *out)
{
	json_t *x = json_object_get(obj, "version");
	*out = 0;
	if (!x || !json_is_integer(x) || json_integer_value(x) < 1) {
		jv_error(v, "version", "is required: send the version you read");
		return false;
	}
	*out = json_integer_value(x);
	return true;
}
