/*
 * assessment.c - recording risk assessments with a stored tool, applying them to the case, the
 * cache of parsed tools, and the Assessment JSON. See assessment.h.
 */
#include "assessment.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "casework.h"
#include "clock.h"
#include "store.h"
#include "store_assessment.h"
#include "store_case.h"
#include "valid.h"

/*
 * Parsed tools by id. A stored tool version never changes (code + version name it, and old
 * assessments keep the version they used), so a parsed tool stays valid for the life of the
 * process; the entry also keeps the code and version it was parsed from, so a different
 * database behind the same id (tests that reopen stores) is parsed afresh. Entries are never
 * removed: pointers handed out stay valid, and the tools are read-only (risk_assess is pure).
 */
#define TOOL_CACHE_MAX 32

static struct {
	int64_t id;
	char code[65];
	int version;
	struct risk_tool *tool;
} tool_cache[TOOL_CACHE_MAX];
static int tool_cache_n;
static pthread_mutex_t tool_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The cached tool for (id, code, version), or NULL. Call with the lock held. */
static const struct risk_tool *cache_find(int64_t id, const struct store_tool_meta *m)
{
	for (int i = 0; i < tool_cache_n; i++)
		if (tool_cache[i].id == id && tool_cache[i].version == m->version &&
		    strcmp(tool_cache[i].code, m->code) == 0)
			return tool_cache[i].tool;
	return NULL;
}

/*
 * The parsed tool `id` described by m: from the cache, or parsed from its stored definition and
 * cached. When the cache is full the tool is the caller's to free (*owned set to it).
 * Returns 0 or -1 (a store error, no memory, or a stored definition that does not parse).
 */
static int tool_load(struct store *st, int64_t id, const struct store_tool_meta *m, const struct risk_tool **out,
		     struct risk_tool **owned)
{
	*out = NULL;
	*owned = NULL;
	pthread_mutex_lock(&tool_cache_lock);
	*out = cache_find(id, m);
	pthread_mutex_unlock(&tool_cache_lock);
	if (*out)
		return 0;
	char *text = NULL;
	size_t len = 0;
	if (store_tool_definition(st, id, &text, &len) != 0)
		return -1;
	struct risk_tool *t = NULL;
	struct jv jv = { 0 };
	enum risk_status rs = risk_tool_parse_text(text, len, &t, &jv);
	free(text);
	json_decref(jv_take(&jv));
	if (rs != RISK_OK)
		return -1;
	pthread_mutex_lock(&tool_cache_lock);
	const struct risk_tool *other = cache_find(id, m); /* parsed by another thread meanwhile */
	if (other) {
		*out = other;
	} else if (tool_cache_n < TOOL_CACHE_MAX) {
		tool_cache[tool_cache_n].id = id;
		snprintf(tool_cache[tool_cache_n].code, sizeof tool_cache[0].code, "%s", m->code);
		tool_cache[tool_cache_n].version = m->version;
		tool_cache[tool_cache_n].tool = t;
		tool_cache_n++;
		*out = t;
		t = NULL;
	} else {
		*out = *owned = t;
		t = NULL;
	}
	pthread_mutex_unlock(&tool_cache_lock);
	risk_tool_free(t);
	return 0;
}

/* The person's age in whole years on the local day of `at`: -1 when not known, -2 when `at` is before birth. */
static int age_on(const char *dob, int64_t at)
{
	struct valid_date born, day;
	if (!dob[0] || !valid_parse_date(dob, &born))
		return -1;
	calendar_local_date(at, &day);
	int age = valid_age_on(&born, &day);
	return age < 0 ? -2 : age;
}

/*
 * The case an assessment applies to, into *c (case_id 0: the person's open case, if any;
 * *found false when there is none). Adds an error on case_id for a case that is not this
 * person's. Returns ASSESSMENT_OK, ASSESSMENT_CLOSED or ASSESSMENT_ERROR.
 */
static enum assessment_status find_case(struct store *st, const struct assessment_input *in, struct jv *errors,
					struct casework_case *c, bool *found)
{
	*found = false;
	int64_t case_id = in->case_id;
	if (!case_id) {
		if (casework_open_case_of(st, in->person_id, &case_id) != 0)
			return ASSESSMENT_ERROR;
		if (!case_id)
			return ASSESSMENT_OK;
	}
	int rc = store_case_get(st, case_id, c);
	if (rc == STORE_NOTFOUND && in->case_id) {
		jv_error(errors, "case_id", "is not a known case");
		return ASSESSMENT_OK;
	}
	if (rc != 0)
		return ASSESSMENT_ERROR;
	if (c->person_id != in->person_id) {
		jv_error(errors, "case_id", "is not a case of this person");
		return ASSESSMENT_OK;
	}
	*found = true;
	return strcmp(c->status, "open") == 0 ? ASSESSMENT_OK : ASSESSMENT_CLOSED;
}

/* Store the scored assessment, apply it to the case, and audit it. */
static enum assessment_status record(struct store *st, const struct user *by, const struct assessment_input *in,
				     const struct risk_tool *tool, const struct risk_result *r, int64_t case_id,
				     int64_t *id)
{
	enum assessment_status out = ASSESSMENT_ERROR;
	json_t *result = risk_result_json(tool, r);
	char *result_text = result ? json_dumps(result, JSON_COMPACT) : NULL;
	json_t *answers = result ? json_object_get(result, "answers") : NULL;
	char *answers_text = answers ? json_dumps(answers, JSON_COMPACT) : NULL;
	if (!result_text || !answers_text)
		goto out;
	bool overridden = r->override_level != RISK_LEVEL_NONE;
	struct assessment a = {
		.person_id = in->person_id,
		.case_id = case_id,
		.tool_id = in->tool_id,
		.answers = answers_text,
		.result = result_text,
		.score = r->score,
		.computed_level = risk_level_name(r->computed_level),
		.final_level = risk_level_name(r->final_level),
		.override_level = overridden ? risk_level_name(r->override_level) : "",
		.override_rationale = overridden ? r->override_rationale : "",
		.assessed_at = in->assessed_at,
	};
	if (!a.computed_level || !a.final_level || store_assessment_insert(st, &a, by->id) != 0)
		goto out;
	if (case_id) {
		if (casework_set_risk(st, case_id, a.final_level, in->assessed_at) != 0 ||
		    clock_stop(st, "first_assessment", "case", case_id, in->assessed_at, NULL, NULL) != 0)
			goto out;
	}
	/* The detail names the tool and whether the level was overridden, never the rationale's words. */
	char detail[160];
	snprintf(detail, sizeof detail, "tool %.64s v%d%s", tool->code, tool->version, overridden ? "; override" : "");
	struct audit_entry e;
	audit_fill(&e, by, "assessment.create", "assessment", a.id, "ok", detail);
	if (audit_record(st, &e) != 0)
		goto out;
	*id = a.id;
	out = ASSESSMENT_OK;
out:
	free(answers_text);
	free(result_text);
	json_decref(result);
	return out;
}

enum assessment_status assessment_create(struct store *st, const struct user *by, const struct assessment_input *in,
					 struct jv *errors, int64_t *id)
{
	*id = 0;
	enum assessment_status out = ASSESSMENT_ERROR;
	const struct risk_tool *tool = NULL;
	struct risk_tool *owned = NULL;
	struct casework_case *c = calloc(1, sizeof *c);
	struct risk_result *r = calloc(1, sizeof *r);
	if (!c || !r)
		goto out;

	struct store_tool_meta meta;
	int rc = store_tool_meta(st, in->tool_id, &meta);
	if (rc == STORE_NOTFOUND)
		jv_error(errors, "tool_id", "is not a known risk tool");
	else if (rc != 0)
		goto out;
	else if (!meta.active)
		jv_error(errors, "tool_id", "is no longer in use: assess with the current version of %s", meta.code);
	else if (tool_load(st, in->tool_id, &meta, &tool, &owned) != 0)
		goto out;

	bool has_case = false;
	enum assessment_status case_status = find_case(st, in, errors, c, &has_case);
	if (case_status == ASSESSMENT_ERROR)
		goto out;
	/* Setting a case's risk level is a change to the case: the team rule of case writes holds. */
	if (has_case && !casework_may_change(by, c)) {
		out = ASSESSMENT_DENIED;
		goto out;
	}

	char dob[11];
	rc = store_assessment_person_dob(st, in->person_id, dob);
	if (rc != 0)
		goto out;
	int age = age_on(dob, in->assessed_at);
	if (age == -2) {
		jv_error(errors, "assessed_at", "must not be before the person's date of birth");
		age = -1;
	}
	if (tool && risk_assess(tool, in->answers, age, in->override_level, in->override_rationale, r, errors) ==
			    RISK_NOMEM)
		goto out;
	if (jv_failed(errors)) {
		out = ASSESSMENT_INVALID;
		goto out;
	}
	if (case_status == ASSESSMENT_CLOSED) {
		out = ASSESSMENT_CLOSED;
		goto out;
	}
	out = record(st, by, in, tool, r, has_case ? c->id : 0, id);
out:
	risk_tool_free(owned);
	free(r);
	free(c);
	return out;
}

int assessment_get(struct store *st, int64_t id, int (*fn)(void *ctx, const struct assessment *a), void *ctx)
{
	return id > 0 ? store_assessment_each(st, id, 0, fn, ctx) : STORE_NOTFOUND;
}

int assessment_list(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct assessment *a),
		    void *ctx)
{
	return store_assessment_each(st, 0, person_id, fn, ctx);
}

/* Stored JSON text as a value; an empty object when it does not parse (it always should). */
static json_t *stored_json(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	return v ? v : json_object();
}

json_t *assessment_json(const struct assessment *a)
{
	return json_pack("{s:I, s:I, s:o, s:{s:I, s:s, s:i, s:s}, s:o, s:o, s:i, s:s, s:s, s:o, s:o, s:o, s:s}",
			 "id", (json_int_t)a->id, "person_id", (json_int_t)a->person_id, "case_id",
			 a->case_id ? json_integer(a->case_id) : json_null(), "tool", "id", (json_int_t)a->tool_id,
			 "code", a->tool_code, "version", a->tool_version, "name", a->tool_name, "answers",
			 stored_json(a->answers), "result", stored_json(a->result), "score", a->score,
			 "computed_level", a->computed_level, "final_level", a->final_level, "override_level",
			 a->override_level[0] ? json_string(a->override_level) : json_null(), "override_rationale",
			 a->override_level[0] ? json_string(a->override_rationale) : json_null(), "assessed_at",
			 jv_time(a->assessed_at), "assessor", a->assessor);
}
