/*
 * api_identity.c - intake search (GET and POST /api/v1/persons/matches) and the match review
 * queue (GET /api/v1/match-reviews, POST /api/v1/match-reviews/{id}/decision), as
 * docs/api-identity.md says. Validates the query or body into struct intake, ranks through
 * identity_search (identity_search.h) leaving out persons the user may not reach, and answers
 * JSON. The search's values are names and dates of birth: they are never logged (the server
 * keeps no access log, and nothing here writes one), and the audit entry person.match records
 * which persons were shown, never what was asked. Decisions go through identity_review_decide.
 * Owns: the JSON shapes of a match candidate and of a review. Must not touch: SQL, the ranking.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "audit.h"
#include "identity_review.h"
#include "identity_search.h"
#include "json.h"
#include "match.h"
#include "person.h"
#include "store.h"
#include "valid.h"

#define INTAKE_LIMIT_DEFAULT 10
#define INTAKE_LIMIT_MAX 20
#define INTAKE_FLOOR 0.05            /* candidates below this probability are not shown */
#define INTAKE_FIELD_CHARS 100       /* characters in a name */
#define INTAKE_SHORT_CHARS 20        /* characters in a dob, sex, postcode or NHS number as typed */
#define REVIEW_LIMIT_DEFAULT 50
#define REVIEW_LIMIT_MAX 200

/* What intake search looks for, as validated. Strings are "" when not given. */
struct intake {
	char given_name[401];
	char family_name[401];
	char dob[11];           /* YYYY-MM-DD */
	char sex[8];            /* female, male, unknown */
	char postcode[17];      /* normalised when it is a whole postcode, else as typed (upper case) */
	char nhs_number[21];    /* digits only */
	int limit;              /* 1..INTAKE_LIMIT_MAX */
};

/*
 * Check one field's raw value (NULL when absent) into q. Errors name the field. Pure apart
 * from v.
 */
static void intake_field(struct jv *v, struct intake *q, const char *field, const char *raw)
{
	char s[INTAKE_FIELD_CHARS * 4 + 1];
	if (!raw)
		return;
	size_t len = strlen(raw);
	while (len && raw[len - 1] == ' ')
		len--;
	while (len && *raw == ' ') {
		raw++;
		len--;
	}
	bool is_name = !strcmp(field, "given_name") || !strcmp(field, "family_name");
	size_t max = is_name ? INTAKE_FIELD_CHARS : INTAKE_SHORT_CHARS;
	if (len >= sizeof s) {
		jv_error(v, field, "must be at most %zu characters", max);
		return;
	}
	memcpy(s, raw, len);
	s[len] = 0;
	if (valid_text(s, 0, max, false)) {
		jv_error(v, field, "must be at most %zu characters of text on one line", max);
		return;
	}
	if (!len)
		return;
	if (!strcmp(field, "given_name")) {
		snprintf(q->given_name, sizeof q->given_name, "%s", s);
	} else if (!strcmp(field, "family_name")) {
		snprintf(q->family_name, sizeof q->family_name, "%s", s);
	} else if (!strcmp(field, "dob")) {
		if (match_parse_dob(s, q->dob) != 0)
			jv_error(v, "dob", "must be a real date written YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY");
	} else if (!strcmp(field, "sex")) {
		if (!person_code_known(person_sexes, s))
			jv_error(v, "sex", "must be female, male or unknown");
		else
			snprintf(q->sex, sizeof q->sex, "%.7s", s);
	} else if (!strcmp(field, "postcode")) {
		char pc[9];
		if (valid_postcode(s, pc)) {
			snprintf(q->postcode, sizeof q->postcode, "%s", pc);
		} else {
			for (size_t i = 0; s[i]; i++)
				s[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
			snprintf(q->postcode, sizeof q->postcode, "%.16s", s);
		}
	} else if (!strcmp(field, "nhs_number")) {
		/* Digits with spaces or hyphens; the check digit is not required (one digit off still matches). */
		size_t n = 0;
		for (const char *c = s; *c; c++) {
			if (*c == ' ' || *c == '-')
				continue;
			if (*c < '0' || *c > '9' || n == 10) {
				n = 99;
				break;
			}
			q->nhs_number[n++] = *c;
		}
		if (n != 10) {
			q->nhs_number[0] = 0;
			jv_error(v, "nhs_number", "must be the 10 digits of an NHS number");
		} else {
			q->nhs_number[n] = 0;
		}
	}
}

static const char *const intake_fields[] = { "given_name", "family_name", "dob", "sex", "postcode", "nhs_number",
					     NULL };

/* The checks on the whole query: something to look for. */
static void intake_finish(struct jv *v, const struct intake *q)
{
	if (jv_failed(v))
		return;
	if (!q->given_name[0] && !q->family_name[0] && !q->dob[0] && !q->nhs_number[0]) {
		static const char msg[] = "give a name, a date of birth or an NHS number to look for";
		jv_error(v, "given_name", "%s", msg);
		jv_error(v, "family_name", "%s", msg);
		jv_error(v, "dob", "%s", msg);
		jv_error(v, "nhs_number", "%s", msg);
	}
}

/* {"id", "given_name", "family_name", "dob", "sex", "postcode", "nhs_number"} of a candidate. */
static json_t *candidate_person_json(const struct identity_person *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "given_name", json_string(p->given_name));
	json_object_set_new(o, "family_name", json_string(p->family_name));
	json_object_set_new(o, "dob", p->dob[0] ? json_string(p->dob) : json_null());
	json_object_set_new(o, "sex", json_string(p->sex));
	json_object_set_new(o, "postcode", p->postcode[0] ? json_string(p->postcode) : json_null());
	json_object_set_new(o, "nhs_number", p->nhs_number[0] ? json_string(p->nhs_number) : json_null());
	return o;
}

static json_t *reasons_json(const struct match_explain *why)
{
	json_t *arr = json_array();
	for (int i = 0; i < why->n && i < MATCH_REASON_MAX; i++) {
		const struct match_reason *r = &why->r[i];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:f}", "field", r->field, "level", r->level, "text",
						     r->text, "weight", r->weight));
	}
	return arr;
}

/* identity_keep_fn: the signed-in user may reach the person. */
static bool may_see(void *ctx, const struct identity_person *p)
{
	struct req *rq = ctx;
	return person_may_access(rq->st, &rq->session.user, p->id, p->restricted);
}

/* Add " id" to the audit detail while it fits; a cut list ends with "...". */
static void detail_add_id(char *detail, size_t cap, int64_t id)
{
	size_t len = strlen(detail);
	if (len + 24 >= cap) {
		if (len + 4 < cap && strcmp(detail + len - 3, "...") != 0)
			memcpy(detail + len, "...", 4);
		return;
	}
	snprintf(detail + len, cap - len, " %" PRId64, id);
}

/* Rank and answer a validated intake search. */
static void intake_run(struct req *rq, struct resp *rs, const struct intake *q)
{
	struct match_input in = {
		.given_name = q->given_name, .family_name = q->family_name, .dob = q->dob,
		.sex = strcmp(q->sex, "unknown") ? q->sex : "", /* not known is no evidence either way */
		.postcode = q->postcode, .nhs_number = q->nhs_number,
	};
	struct identity_match *m = calloc((size_t)q->limit, sizeof *m);
	int n = 0;
	if (!m || identity_search(rq->st, &in, INTAKE_FLOOR, may_see, rq, m, q->limit, &n) != 0) {
		free(m);
		api_store_failed(rs);
		return;
	}
	json_t *items = json_array();
	char detail[256];
	snprintf(detail, sizeof detail, "%d shown:", n);
	for (int i = 0; i < n; i++) {
		json_array_append_new(items, json_pack("{s:o, s:f, s:o}", "person", candidate_person_json(&m[i].p),
						       "probability", m[i].c.probability, "reasons",
						       reasons_json(&m[i].c.why)));
		detail_add_id(detail, sizeof detail, m[i].p.id);
	}
	free(m);
	resp_json(rs, 200, json_pack("{s:o}", "items", items));
	api_audit_view(rq, rs, "person.match", "person", 0, detail);
}

void api_person_matches(struct req *rq, struct resp *rs)
{
	struct intake q = { .limit = INTAKE_LIMIT_DEFAULT };
	struct jv v = { 0 };
	for (int i = 0; intake_fields[i]; i++)
		intake_field(&v, &q, intake_fields[i], http_query(rq, intake_fields[i]));
	const char *limit = http_query(rq, "limit");
	if (limit && *limit) {
		char *end = NULL;
		long l = strtol(limit, &end, 10);
		if (!end || *end || l < 1 || l > INTAKE_LIMIT_MAX)
			jv_error(&v, "limit", "must be a whole number from 1 to %d", INTAKE_LIMIT_MAX);
		else
			q.limit = (int)l;
	}
	intake_finish(&v, &q);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	intake_run(rq, rs, &q);
}

void api_person_matches_post(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "given_name", "family_name", "dob", "sex", "postcode", "nhs_number",
					     "limit", NULL };
	struct intake q = { .limit = INTAKE_LIMIT_DEFAULT };
	struct jv v = { 0 };
	if (!json_is_object(rq->json)) {
		jv_error(&v, "", "the body must be a JSON object");
		api_invalid(rs, &v);
		return;
	}
	jv_known(&v, rq->json, "", known);
	for (int i = 0; intake_fields[i]; i++) {
		json_t *x = json_object_get(rq->json, intake_fields[i]);
		if (x && !json_is_null(x) && !json_is_string(x))
			jv_error(&v, intake_fields[i], "must be a string");
		else
			intake_field(&v, &q, intake_fields[i], json_string_value(x));
	}
	json_t *limit = json_object_get(rq->json, "limit");
	if (limit && !json_is_null(limit)) {
		if (!json_is_integer(limit) || json_integer_value(limit) < 1 ||
		    json_integer_value(limit) > INTAKE_LIMIT_MAX)
			jv_error(&v, "limit", "must be a whole number from 1 to %d", INTAKE_LIMIT_MAX);
		else
			q.limit = (int)json_integer_value(limit);
	}
	intake_finish(&v, &q);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	intake_run(rq, rs, &q);
}

/* ---- the review queue ---- */

/* Persons shown while building review answers, for the audit entry. */
struct shown {
	char detail[200];       /* " 12 45 77" */
	int rows, persons;
};

/*
 * The candidates of a review as shown to this user: each stored candidate whose person still
 * exists, is not merged and is reachable by the user, with that person's current details.
 */
static json_t *review_candidates_json(struct req *rq, const char *text, struct shown *sh)
{
	json_t *out = json_array();
	json_t *arr = json_loads(text ? text : "[]", 0, NULL);
	struct identity_person *p = malloc(sizeof *p);
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		json_t *pid = json_object_get(c, "person_id");
		if (!p || !json_is_integer(pid) || identity_person_get(rq->st, json_integer_value(pid), p) != 0)
			continue;
		if (p->merged_into || !may_see(rq, p))
			continue;
		json_t *reasons = json_object_get(c, "reasons");
		json_array_append_new(out, json_pack("{s:o, s:O, s:O}", "person", candidate_person_json(p), "probability",
						     json_object_get(c, "probability") ?: json_real(0), "reasons",
						     json_is_array(reasons) ? reasons : json_array()));
		sh->persons++;
		detail_add_id(sh->detail, sizeof sh->detail, p->id);
	}
	free(p);
	json_decref(arr);
	return out;
}

static json_t *review_json(struct req *rq, const struct identity_review *r, struct shown *sh)
{
	json_t *row = json_loads(r->row_data ? r->row_data : "{}", 0, NULL);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "kind", json_string(r->kind));
	json_object_set_new(o, "import_id", r->import_id ? json_integer(r->import_id) : json_null());
	json_object_set_new(o, "row_number", json_integer(r->row_number));
	json_object_set_new(o, "row", json_is_object(row) ? row : json_object());
	if (row && !json_is_object(row))
		json_decref(row);
	json_object_set_new(o, "candidates", review_candidates_json(rq, r->candidates, sh));
	json_object_set_new(o, "status", json_string(r->status));
	json_object_set_new(o, "person_id", r->person_id ? json_integer(r->person_id) : json_null());
	json_object_set_new(o, "decided_at", jv_time(r->decided_at));
	json_object_set_new(o, "decided_by", r->decided_by[0] ? json_string(r->decided_by) : json_null());
	json_object_set_new(o, "created_at", jv_time(r->created_at));
	sh->rows++;
	return o;
}

/* The list being built. */
struct review_list {
	struct req *rq;
	json_t *items;
	struct shown sh;
};

static int review_list_add(void *ctx, const struct identity_review *r)
{
	struct review_list *l = ctx;
	json_array_append_new(l->items, review_json(l->rq, r, &l->sh));
	return 0;
}

void api_match_review_list(struct req *rq, struct resp *rs)
{
	static const char *const statuses[] = { "pending", "linked", "created", "dismissed", "all", NULL };
	char status[16];
	int limit, offset;
	if (!api_query_text(rq, rs, "status", status, sizeof status) ||
	    !api_query_int(rq, rs, "limit", 1, REVIEW_LIMIT_MAX, REVIEW_LIMIT_DEFAULT, &limit) ||
	    !api_query_int(rq, rs, "offset", 0, INT32_MAX, 0, &offset))
		return;
	if (!status[0])
		snprintf(status, sizeof status, "pending");
	bool known = false;
	for (int i = 0; statuses[i]; i++)
		known = known || !strcmp(status, statuses[i]);
	if (!known) {
		struct jv v = { 0 };
		jv_error(&v, "status", "must be pending, linked, created, dismissed or all");
		resp_problem(rs, 400, "Bad query", "A query parameter is out of range.", jv_take(&v));
		return;
	}
	struct review_list l = { .rq = rq, .items = json_array() };
	int64_t total = 0;
	if (identity_review_list(rq->st, strcmp(status, "all") ? status : "", limit, offset, review_list_add, &l,
				 &total) != 0) {
		json_decref(l.items);
		api_store_failed(rs);
		return;
	}
	resp_json(rs, 200, json_pack("{s:o, s:I}", "items", l.items, "total", (json_int_t)total));
	char detail[256];
	snprintf(detail, sizeof detail, "%s: %d rows, persons shown:%s", status, l.sh.rows, l.sh.detail);
	api_audit_view(rq, rs, "match_review.list", "match_review", 0, detail);
}

/* Answer a refused decision. */
static void decide_fail(struct req *rq, struct resp *rs, enum identity_status s, int64_t person_id, const char *err)
{
	struct jv v = { 0 };
	struct audit_entry e;
	switch (s) {
	case IDENTITY_NOT_FOUND:
		resp_problem(rs, 404, "Not found", "There is no such match review.", NULL);
		break;
	case IDENTITY_STALE:
		resp_problem(rs, 409, "Conflict",
			     "Someone else changed this review after you opened it. Reload it and decide again.", NULL);
		break;
	case IDENTITY_DECIDED:
		resp_problem(rs, 409, "Conflict", "This row has already been decided.", NULL);
		break;
	case IDENTITY_NO_PERSON:
		jv_error(&v, "person_id", "is not a known person");
		api_invalid(rs, &v);
		break;
	case IDENTITY_MERGED:
		jv_error(&v, "person_id", "%s", err);
		api_invalid(rs, &v);
		break;
	case IDENTITY_DENIED:
		/* Recorded by the writer even though this request's transaction is rolled back. */
		audit_fill(&e, &rq->session.user, "person.denied", "person", person_id, "denied", "restricted record");
		audit_view(rq->st, &e, NULL, NULL);
		resp_problem(rs, 403, "Forbidden", "This record is restricted to named people.", NULL);
		break;
	case IDENTITY_UNKNOWN_KIND:
	case IDENTITY_NOT_APPLIED: {
		char detail[320];
		snprintf(detail, sizeof detail, "The row could not be written: %.255s.", err[0] ? err : "the import refused it");
		resp_problem(rs, 409, "Conflict", detail, NULL);
		break;
	}
	default:
		api_store_failed(rs);
		break;
	}
}

void api_match_review_decide(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "decision", "person_id", NULL };
	int64_t id = api_param_id(rq, 0);
	struct jv v = { 0 };
	int64_t version = 0, person_id = 0;
	jv_known(&v, rq->json, "", known);
	api_version_field(&v, rq->json, &version);
	char decision[16];
	enum identity_decision d = IDENTITY_DECIDE_DISMISS;
	if (jv_string(&v, rq->json, "decision", "decision", 1, 10, false, decision, sizeof decision)) {
		if (!strcmp(decision, "link"))
			d = IDENTITY_DECIDE_LINK;
		else if (!strcmp(decision, "new"))
			d = IDENTITY_DECIDE_NEW;
		else if (strcmp(decision, "dismiss") != 0)
			jv_error(&v, "decision", "must be link, new or dismiss");
	}
	json_t *pid = json_object_get(rq->json, "person_id");
	if (pid && !json_is_null(pid)) {
		if (!json_is_integer(pid) || json_integer_value(pid) < 1)
			jv_error(&v, "person_id", "must be the id of a person (a whole number from 1)");
		else if (d != IDENTITY_DECIDE_LINK)
			jv_error(&v, "person_id", "is given only with the decision link");
		else
			person_id = json_integer_value(pid);
	} else if (d == IDENTITY_DECIDE_LINK && !jv_failed(&v)) {
		jv_error(&v, "person_id", "is required: the person the row is about");
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	char err[256] = "";
	int64_t decided_person = 0;
	enum identity_status s =
		identity_review_decide(rq->st, &rq->session.user, id, version, d, person_id, &decided_person, err, sizeof err);
	if (s != IDENTITY_OK) {
		decide_fail(rq, rs, s, person_id, err);
		return;
	}
	struct identity_review r = { 0 };
	if (identity_review_get(rq->st, id, &r) != 0) {
		api_store_failed(rs);
		return;
	}
	struct shown sh = { .detail = "" };
	resp_json(rs, 200, review_json(rq, &r, &sh));
	identity_review_free(&r);
	char detail[256];
	snprintf(detail, sizeof detail, "after the decision; persons shown:%s", sh.detail);
	api_audit_view(rq, rs, "match_review.view", "match_review", id, detail);
}
