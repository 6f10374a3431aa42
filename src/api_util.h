/*
 * api_util.h - helpers shared by the JSON endpoints (api_*.c): path ids, query parameters,
 * common field readers, the person gate, and small JSON shapes. Each helper that can fail
 * answers the request itself (problem+json) and returns false, so handlers stay short:
 *     if (!api_person_gate(rq, rs, person_id)) return;
 * Owns: nothing but these helpers. Must not touch: SQL text.
 */
#ifndef SAFEHUB_API_UTIL_H
#define SAFEHUB_API_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "json.h"

struct person;

/* api_param_id - path parameter i as a positive id (up to 15 digits), or 0. */
int64_t api_param_id(const struct req *rq, int i);

/* api_query_text - query parameter `name`, trimmed, into out[cap] ("" when absent); false (400 sent) when too long. */
bool api_query_text(struct req *rq, struct resp *rs, const char *name, char *out, size_t cap);

/* api_query_int - query parameter as a whole number in [min, max], def when absent; false (400 sent) otherwise. */
bool api_query_int(struct req *rq, struct resp *rs, const char *name, int min, int max, int def, int *out);

/*
 * api_person_gate - true when person `person_id` exists and the signed-in user may reach it.
 * Otherwise answers 404, 403 (audited person.denied) or 503 and returns false.
 */
bool api_person_gate(struct req *rq, struct resp *rs, int64_t person_id);

/*
 * api_person_not_merged - for a write that would add a record about person_id: an error on
 * `field` in v when the person was merged into another ("was merged into person N: record this
 * against that person"), so that nothing new lands on a merged record (unmerging could not tell
 * where it belongs). An unknown person is left to the caller. False only when the store failed
 * (503 answered).
 */
bool api_person_not_merged(struct req *rq, struct resp *rs, struct jv *v, const char *field, int64_t person_id);

/* api_store_failed - answer 503: the store failed. */
void api_store_failed(struct resp *rs);

/* api_invalid - answer 422 with v's errors (taken). */
void api_invalid(struct resp *rs, struct jv *v);

/* api_audit_view - mark the answer as a view to audit (group-committed before it is sent). */
void api_audit_view(struct req *rq, struct resp *rs, const char *action, const char *object_type, int64_t id,
		    const char *detail);

/* api_user_ref - {"username", "display_name"} of a user id, or JSON null (new reference). */
json_t *api_user_ref(struct store *st, int64_t user_id);

/* api_person_ref - {"id", "given_name", "family_name", "dob", "age", "is_child"} or null (new reference). */
json_t *api_person_ref(struct store *st, int64_t person_id);

/* api_person_json - the full Person object of docs/api.md (new reference). */
json_t *api_person_json(const struct person *p);

/* api_put_age - set "dob", "age" and "is_child" on o from a YYYY-MM-DD date (nulls when unknown). */
void api_put_age(json_t *o, const char *dob, int64_t now);

/*
 * api_time_field - obj[key] as an RFC 3339 time not in the future (5 minutes of clock skew
 * allowed) into *out; def when absent and not required. False (error added) when bad.
 */
bool api_time_field(struct jv *v, json_t *obj, const char *key, bool required, int64_t def, int64_t *out);

/* api_date_field - obj[key] as YYYY-MM-DD into out ("" when absent and not required). */
bool api_date_field(struct jv *v, json_t *obj, const char *key, bool required, char out[11]);

/* api_version_field - obj.version (>= 1) into *out; an error naming "version" when missing. */
bool api_version_field(struct jv *v, json_t *obj, int64_t *out);

#endif
