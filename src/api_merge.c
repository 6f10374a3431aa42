/*
 * api_merge.c - merging and unmerging persons (docs/api-identity.md, "Merge and unmerge"):
 * POST /api/v1/persons/{id}/merge, POST /api/v1/persons/{id}/unmerge and
 * GET /api/v1/persons/{id}/merges. Validates bodies, calls merge.c, answers JSON; the changes
 * are audited by merge.c in the request's transaction, the list as a view.
 * Owns: the JSON shape of a merge. Must not touch: SQL, the merge's rules.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "json.h"
#include "merge.h"
#include "person.h"
#include "store.h"

/* The "moved" object: {"cases": 2, ...} (new reference). */
static json_t *moved_json(const struct merge_record *m)
{
	json_t *o = json_object();
	for (int i = 0; i < m->n_counts; i++)
		json_object_set_new(o, m->counts[i].table, json_integer(m->counts[i].rows));
	return o;
}

/* The full Person object of person `id` (new reference; null when it cannot be read). */
static json_t *person_full(struct store *st, int64_t id)
{
	struct person *p = calloc(1, sizeof *p);
	json_t *o = p && store_person_get(st, id, p) == 0 ? api_person_json(p) : NULL;
	free(p);
	return o ? o : json_null();
}

/*
 * A short form of person `id` for merge lists: names, date of birth, sex, identifiers and
 * merged_into; null when the user may not reach it (new reference).
 */
static json_t *person_brief(struct req *rq, int64_t id)
{
	struct person *p = calloc(1, sizeof *p);
	json_t *o = NULL;
	if (p && store_person_get(rq->st, id, p) == 0 && person_may_access(rq->st, &rq->session.user, id, p->restricted)) {
		json_t *aliases = json_array();
		for (int i = 0; i < p->n_aliases; i++)
			json_array_append_new(aliases, json_string(p->aliases[i]));
		o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:{s:s, s:s, s:s, s:s}, s:b}", "id", (json_int_t)p->id,
			      "given_name", p->given_name, "family_name", p->family_name, "aliases", aliases, "sex",
			      p->sex, "identifiers", "nhs_number", p->nhs_number, "upn", p->upn, "police_ref",
			      p->police_ref, "la_id", p->la_id, "restricted", p->restricted);
		api_put_age(o, p->dob, store_now());
		json_object_set_new(o, "merged_into", p->merged_into ? json_integer(p->merged_into) : json_null());
	}
	free(p);
	return o ? o : json_null();
}

/* Answer a refused or failed merge operation. */
static void merge_fail(struct req *rq, struct resp *rs, enum merge_status ms, int64_t denied_id)
{
	struct jv v = { 0 };
	struct audit_entry e;
	switch (ms) {
	case MERGE_NOT_FOUND:
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		break;
	case MERGE_NO_MERGED:
		jv_error(&v, "merged_id", "is not a known person");
		api_invalid(rs, &v);
		break;
	case MERGE_NO_MERGE:
		jv_error(&v, "merge_id", "is not a merge of this person");
		api_invalid(rs, &v);
		break;
	case MERGE_DENIED:
		/* Recorded by the writer even though this request's transaction is rolled back. */
		audit_fill(&e, &rq->session.user, "person.denied", "person", denied_id, "denied", "restricted record");
		audit_view(rq->st, &e, NULL, NULL);
		resp_problem(rs, 403, "Forbidden", "This record is restricted to named people.", NULL);
		break;
	case MERGE_SAME:
		resp_problem(rs, 409, "Conflict", "A record cannot be merged into itself.", NULL);
		break;
	case MERGE_SURVIVOR_MERGED:
		resp_problem(rs, 409, "Conflict",
			     "This record has itself been merged into another record. Merge into that record instead.", NULL);
		break;
	case MERGE_ALREADY_MERGED:
		resp_problem(rs, 409, "Conflict", "The record to merge in has already been merged into another record.",
			     NULL);
		break;
	case MERGE_RESTRICTION:
		resp_problem(rs, 409, "Conflict",
			     "One record is restricted and the other is not. Restrict both or neither before merging them.",
			     NULL);
		break;
	case MERGE_STALE:
		resp_problem(rs, 409, "Conflict",
			     "Someone else changed this record after you opened it. Reload it and make your change again.",
			     NULL);
		break;
	case MERGE_UNDONE:
		resp_problem(rs, 409, "Conflict", "This merge has already been undone.", NULL);
		break;
	case MERGE_DEPENDS:
		resp_problem(rs, 409, "Conflict",
			     "A later merge folded this record into another one. Undo that merge first.", NULL);
		break;
	case MERGE_BLOCKED:
		resp_problem(rs, 409, "Conflict",
			     "A record cannot be put back: the merged person has an active flag of the same kind again."
			     " Remove that flag first.",
			     NULL);
		break;
	default:
		api_store_failed(rs);
		break;
	}
}

/* obj[key] as a required id (a whole number from 1) into *out; an error naming key otherwise. */
static void id_field(struct jv *v, json_t *obj, const char *key, int64_t *out)
{
	json_t *x = json_object_get(obj, key);
	*out = 0;
	if (!x || !json_is_integer(x) || json_integer_value(x) < 1)
		jv_error(v, key, "is required: the id of a record (a whole number from 1)");
	else
		*out = json_integer_value(x);
}

/* The answer to a merge or an unmerge (new reference). */
static json_t *merge_answer(struct store *st, const struct merge_record *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "merge_id", json_integer(m->id));
	json_object_set_new(o, "survivor", person_full(st, m->survivor_id));
	json_object_set_new(o, "merged", person_full(st, m->merged_id));
	json_object_set_new(o, "moved", moved_json(m));
	json_object_set_new(o, "merged_at", jv_time(m->merged_at));
	json_object_set_new(o, "unmerged_at", m->unmerged_at ? jv_time(m->unmerged_at) : json_null());
	return o;
}

void api_person_merge(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "merged_id", "version", "reason", NULL };
	int64_t survivor_id = api_param_id(rq, 0);
	if (!survivor_id) {
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		return;
	}
	struct merge_record *m = calloc(1, sizeof *m);
	char *reason = malloc(MERGE_REASON_CHARS * 4 + 1);
	if (!m || !reason) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		goto out;
	}
	struct jv v = { 0 };
	int64_t merged_id = 0, version = 0;
	jv_known(&v, rq->json, "", known);
	id_field(&v, rq->json, "merged_id", &merged_id);
	api_version_field(&v, rq->json, &version);
	jv_string(&v, rq->json, "reason", "reason", 1, MERGE_REASON_CHARS, true, reason, MERGE_REASON_CHARS * 4 + 1);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	int64_t denied = 0;
	enum merge_status ms = merge_persons(rq->st, &rq->session.user, survivor_id, merged_id, version, reason, m, &denied);
	if (ms != MERGE_OK) {
		merge_fail(rq, rs, ms, denied);
		goto out;
	}
	resp_json(rs, 200, merge_answer(rq->st, m));
out:
	free(reason);
	free(m);
}

void api_person_unmerge(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "merge_id", NULL };
	int64_t person_id = api_param_id(rq, 0);
	if (!person_id) {
		resp_problem(rs, 404, "Not found", "There is no person with that id.", NULL);
		return;
	}
	struct jv v = { 0 };
	int64_t merge_id = 0;
	jv_known(&v, rq->json, "", known);
	id_field(&v, rq->json, "merge_id", &merge_id);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	struct merge_record *m = calloc(1, sizeof *m);
	if (!m) {
		resp_problem(rs, 503, "Service unavailable", "Out of memory.", NULL);
		return;
	}
	int64_t denied = 0;
	enum merge_status ms = merge_undo(rq->st, &rq->session.user, person_id, merge_id, m, &denied);
	if (ms != MERGE_OK) {
		merge_fail(rq, rs, ms, denied);
	} else {
		json_t *o = merge_answer(rq->st, m);
		json_object_set_new(o, "restored", json_integer(m->restored));
		json_object_set_new(o, "left", json_integer(m->left));
		resp_json(rs, 200, o);
	}
	free(m);
}

/* The list being built. */
struct list_ctx {
	struct req *rq;
	json_t *items;
};

static int list_add(void *ctx, const struct merge_record *m)
{
	struct list_ctx *c = ctx;
	json_t *o = json_object();
	json_object_set_new(o, "merge_id", json_integer(m->id));
	json_object_set_new(o, "survivor_id", json_integer(m->survivor_id));
	json_object_set_new(o, "merged_id", json_integer(m->merged_id));
	json_object_set_new(o, "reason", json_string(m->reason));
	json_object_set_new(o, "merged_at", jv_time(m->merged_at));
	json_object_set_new(o, "merged_by", json_string(m->merged_by));
	json_object_set_new(o, "unmerged_at", m->unmerged_at ? jv_time(m->unmerged_at) : json_null());
	json_object_set_new(o, "unmerged_by", m->unmerged_at ? json_string(m->unmerged_by) : json_null());
	json_object_set_new(o, "moved", moved_json(m));
	json_object_set_new(o, "survivor", person_brief(c->rq, m->survivor_id));
	json_object_set_new(o, "merged", person_brief(c->rq, m->merged_id));
	json_array_append_new(c->items, o);
	return 0;
}

void api_person_merges(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	if (!api_person_gate(rq, rs, id))
		return;
	struct list_ctx c = { .rq = rq, .items = json_array() };
	if (merge_list(rq->st, id, list_add, &c) != MERGE_OK) {
		json_decref(c.items);
		api_store_failed(rs);
		return;
	}
	size_t n = json_array_size(c.items);
	resp_json(rs, 200, json_pack("{s:o, s:I}", "items", c.items, "total", (json_int_t)n));
	char detail[64];
	snprintf(detail, sizeof detail, "%zu shown", n);
	api_audit_view(rq, rs, "person.merges", "person", id, detail);
}
