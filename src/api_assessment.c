/*
 * api_assessment.c - /api/v1/assessments: recording a risk assessment, reading one, and a
 * person's risk trajectory (docs/api-casework.md, "Assessments"). Validates the body once into
 * struct assessment_input, naming every bad field in one 422 (with the tool's own errors:
 * answers.<code>, override_level, override_rationale), gates restricted persons and audits every
 * view. Owns: the HTTP side of assessments. Must not touch: SQL, the scoring (risk.c), the rules
 * of recording (assessment.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "assessment.h"
#include "json.h"
#include "store.h"

static const char *const create_fields[] = {
	"person_id", "case_id", "tool_id", "answers", "override_level", "override_rationale", "assessed_at", NULL
};

/* obj[key] as an id (a whole number >= 1) or 0 when absent or null; an error when anything else. */
static int64_t id_field(struct jv *v, json_t *obj, const char *key, bool required)
{
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x)) {
		if (required)
			jv_error(v, key, "is required");
		return 0;
	}
	if (!json_is_integer(x) || json_integer_value(x) < 1) {
		jv_error(v, key, "must be the id of a record, a whole number from 1");
		return 0;
	}
	return json_integer_value(x);
}

/* Validate the body's own shape into *in; errors go to v. */
static void assessment_parse(json_t *body, struct assessment_input *in, struct jv *v)
{
	memset(in, 0, sizeof *in);
	jv_known(v, body, "", create_fields);
	in->person_id = id_field(v, body, "person_id", true);
	in->case_id = id_field(v, body, "case_id", false);
	in->tool_id = id_field(v, body, "tool_id", true);
	json_t *answers = json_object_get(body, "answers");
	if (!answers || json_is_null(answers))
		jv_error(v, "answers", "is required: an object of indicator codes and answers");
	else if (!json_is_object(answers))
		jv_error(v, "answers", "must be an object of indicator codes and answers");
	else
		in->answers = answers;
	jv_string(v, body, "override_level", "override_level", 0, 10, false, in->override_level,
		  sizeof in->override_level);
	jv_string(v, body, "override_rationale", "override_rationale", 0, RISK_RATIONALE_CHARS, true,
		  in->override_rationale, sizeof in->override_rationale);
	int64_t now = store_now();
	if (!api_time_field(v, body, "assessed_at", false, now, &in->assessed_at))
		in->assessed_at = now;
}

/* Answers the assessment read by a get or a create. */
struct one_ctx {
	json_t *json;
	int64_t person_id;
};

static int take_one(void *ctx, const struct assessment *a)
{
	struct one_ctx *c = ctx;
	c->json = assessment_json(a);
	c->person_id = a->person_id;
	return c->json ? 0 : -1;
}

void api_assessment_create(struct req *rq, struct resp *rs)
{
	struct assessment_input *in = calloc(1, sizeof *in);
	struct jv v = { 0 };
	if (!in) {
		api_store_failed(rs);
		return;
	}
	assessment_parse(rq->json, in, &v);
	if (in->person_id) {
		bool restricted = false;
		int rc = store_person_restricted(rq->st, in->person_id, &restricted);
		if (rc == STORE_NOTFOUND) {
			jv_error(&v, "person_id", "is not a known person");
			in->person_id = 0;
		} else if (rc != 0) {
			api_store_failed(rs);
			goto out;
		} else if (!api_person_gate(rq, rs, in->person_id) ||
			   !api_person_not_merged(rq, rs, &v, "person_id", in->person_id)) {
			goto out;
		}
	}
	/* The tool's checks need a person (the age floor) and a tool id; without them the shape errors stand alone. */
	int64_t id = 0;
	enum assessment_status s = ASSESSMENT_INVALID;
	if (in->person_id && in->tool_id)
		s = assessment_create(rq->st, &rq->session.user, in, &v, &id);
	else if (!jv_failed(&v))
		jv_error(&v, "person_id", "is required");
	switch (s) {
	case ASSESSMENT_OK: {
		struct one_ctx c = { 0 };
		if (assessment_get(rq->st, id, take_one, &c) != 0) {
			json_decref(c.json);
			api_store_failed(rs);
			break;
		}
		snprintf(rs->location, sizeof rs->location, "/api/v1/assessments/%" PRId64, id);
		resp_json(rs, 201, c.json);
		break;
	}
	case ASSESSMENT_INVALID:
		api_invalid(rs, &v);
		break;
	case ASSESSMENT_DENIED:
		resp_problem(rs, 403, "Forbidden",
			     "This person's case belongs to another team: only that team or a manager can assess on it.",
			     NULL);
		break;
	case ASSESSMENT_CLOSED:
		resp_problem(rs, 409, "Conflict", "That case is closed: it takes no more changes.", NULL);
		break;
	default:
		api_store_failed(rs);
		break;
	}
out:
	json_decref(jv_take(&v));
	free(in);
}

void api_assessment_get(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	struct one_ctx c = { 0 };
	int rc = id ? assessment_get(rq->st, id, take_one, &c) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		resp_problem(rs, 404, "Not found", "There is no assessment with that id.", NULL);
		return;
	}
	if (rc != 0) {
		json_decref(c.json);
		api_store_failed(rs);
		return;
	}
	if (!api_person_gate(rq, rs, c.person_id)) {
		json_decref(c.json);
		return;
	}
	resp_json(rs, 200, c.json);
	api_audit_view(rq, rs, "assessment.view", "assessment", id, "");
}

/* Collects a person's assessments. */
struct list_ctx {
	json_t *items;
	int n;
};

static int list_add(void *ctx, const struct assessment *a)
{
	struct list_ctx *c = ctx;
	json_t *o = assessment_json(a);
	if (!o || json_array_append_new(c->items, o) != 0)
		return -1;
	c->n++;
	return 0;
}

void api_assessment_list(struct req *rq, struct resp *rs)
{
	char person[24];
	if (!api_query_text(rq, rs, "person_id", person, sizeof person))
		return;
	char *end = NULL;
	long long pid = person[0] ? strtoll(person, &end, 10) : 0;
	if (!person[0] || !end || *end || pid < 1 || strlen(person) > 15) {
		struct jv v = { 0 };
		jv_error(&v, "person_id", person[0] ? "must be the id of a person" : "is required");
		resp_problem(rs, 400, "Bad query", "Give the person whose assessments to list.", jv_take(&v));
		return;
	}
	if (!api_person_gate(rq, rs, pid))
		return;
	struct list_ctx c = { .items = json_array() };
	if (!c.items || assessment_list(rq->st, pid, list_add, &c) != 0) {
		json_decref(c.items);
		api_store_failed(rs);
		return;
	}
	resp_json(rs, 200, json_pack("{s:o}", "items", c.items));
	char detail[48];
	snprintf(detail, sizeof detail, "%d assessments", c.n);
	api_audit_view(rq, rs, "assessment.list", "person", pid, detail);
}
