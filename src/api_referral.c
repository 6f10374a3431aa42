/*
 * api_referral.c - /api/v1/referrals: recording a referral, reading and listing them, and a
 * manager's screening decision (docs/api-casework.md, "Referrals"). Validates each body once into
 * struct referral / struct referral_decision, naming every bad field in one 422, gates restricted
 * persons, and audits every view. Owns: the HTTP side of referrals. Must not touch: SQL, the
 * rules of recording and deciding (referral.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "casework.h"
#include "config.h"
#include "json.h"
#include "referral.h"
#include "store.h"

static const char *const create_fields[] = {
	"person_id", "subject_type", "subject_ref", "received_at", "source_code", "source_agency", "referrer_name",
	"referrer_contact", "strands", "concerns", "consent_basis", NULL
};
static const char *const decision_fields[] = {
	"version", "outcome", "rationale", "decided_at", "team", "worker", NULL
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

/* The strands array into r: 1..REFERRAL_STRANDS_MAX active strand codes, none twice. */
static void parse_strands(struct store *st, struct jv *v, json_t *in, struct referral *r)
{
	size_t n = 0;
	json_t *arr = jv_array(v, in, "strands", "strands", REFERRAL_STRANDS_MAX, &n);
	json_t *x = json_object_get(in, "strands");
	if (n == 0 && (!x || json_is_null(x) || (json_is_array(x) && json_array_size(x) == 0))) {
		jv_error(v, "strands", "choose at least one strand");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof path, "strands[%zu]", i);
		const char *code = json_string_value(json_array_get(arr, i));
		if (!code || strlen(code) > (size_t)REFERRAL_STRAND_CHARS || !config_code_active(st, CONFIG_STRAND, code)) {
			jv_error(v, path, "must be one of the strands");
			continue;
		}
		bool seen = false;
		for (int k = 0; k < r->n_strands && !seen; k++)
			seen = strcmp(r->strands[k], code) == 0;
		if (seen) {
			jv_error(v, path, "is listed twice");
			continue;
		}
		snprintf(r->strands[r->n_strands++], sizeof r->strands[0], "%s", code);
	}
}

/* Validate a new referral's body into *r; errors go to v. */
static void referral_parse(struct store *st, json_t *in, struct referral *r, struct jv *v)
{
	memset(r, 0, sizeof *r);
	jv_known(v, in, "", create_fields);
	if (jv_string(v, in, "subject_type", "subject_type", 0, 10, false, r->subject_type, sizeof r->subject_type) &&
	    !r->subject_type[0])
		snprintf(r->subject_type, sizeof r->subject_type, "person");
	bool person = strcmp(r->subject_type, "person") == 0;
	if (r->subject_type[0] && !person && strcmp(r->subject_type, "peer_group") != 0 &&
	    strcmp(r->subject_type, "location") != 0)
		jv_error(v, "subject_type", "must be person, peer_group or location");
	if (person) {
		r->person_id = id_field(v, in, "person_id", true);
		if (jv_string(v, in, "subject_ref", "subject_ref", 0, REFERRAL_SHORT_CHARS, false, r->subject_ref,
			      sizeof r->subject_ref) && r->subject_ref[0])
			jv_error(v, "subject_ref", "is only for a peer group or location: a person is named by person_id");
	} else {
		json_t *pid = json_object_get(in, "person_id");
		if (pid && !json_is_null(pid))
			jv_error(v, "person_id", "is only for a referral about a person: a peer group or location takes subject_ref");
		jv_string(v, in, "subject_ref", "subject_ref", 1, REFERRAL_SHORT_CHARS, false, r->subject_ref,
			  sizeof r->subject_ref);
	}
	api_time_field(v, in, "received_at", true, 0, &r->received_at);
	if (jv_string(v, in, "source_code", "source_code", 1, REFERRAL_CODE_CHARS, false, r->source_code,
		      sizeof r->source_code) &&
	    !config_code_active(st, CONFIG_REFERRAL_SOURCE, r->source_code))
		jv_error(v, "source_code", "must be one of the referral sources");
	jv_string(v, in, "source_agency", "source_agency", 0, REFERRAL_SHORT_CHARS, false, r->source_agency,
		  sizeof r->source_agency);
	jv_string(v, in, "referrer_name", "referrer_name", 0, REFERRAL_SHORT_CHARS, false, r->referrer_name,
		  sizeof r->referrer_name);
	jv_string(v, in, "referrer_contact", "referrer_contact", 0, REFERRAL_SHORT_CHARS, false, r->referrer_contact,
		  sizeof r->referrer_contact);
	parse_strands(st, v, in, r);
	jv_string(v, in, "concerns", "concerns", 1, REFERRAL_CONCERNS_CHARS, true, r->concerns, sizeof r->concerns);
	jv_string(v, in, "consent_basis", "consent_basis", 0, REFERRAL_CONSENT_CHARS, true, r->consent_basis,
		  sizeof r->consent_basis);
}

/*
 * Check that the person a body names exists (an error on person_id when not) and that the user
 * may reach them (403 answered, false returned, when not). False with 503 on a store error.
 */
static bool person_field_gate(struct req *rq, struct resp *rs, struct jv *v, int64_t person_id)
{
	bool restricted = false;
	int rc = store_person_restricted(rq->st, person_id, &restricted);
	if (rc == STORE_NOTFOUND) {
		jv_error(v, "person_id", "is not a known person");
		return true;
	}
	if (rc != 0) {
		api_store_failed(rs);
		return false;
	}
	return api_person_gate(rq, rs, person_id);
}

void api_referral_create(struct req *rq, struct resp *rs)
{
	struct referral *r = calloc(1, sizeof *r);
	struct jv v = { 0 };
	if (!r) {
		api_store_failed(rs);
		return;
	}
	referral_parse(rq->st, rq->json, r, &v);
	if (r->person_id && !person_field_gate(rq, rs, &v, r->person_id))
		goto out;
	if (!api_person_not_merged(rq, rs, &v, "person_id", r->person_id))
		goto out;
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	if (referral_create(rq->st, &rq->session.user, r) != REFERRAL_OK) {
		api_store_failed(rs);
		goto out;
	}
	snprintf(rs->location, sizeof rs->location, "/api/v1/referrals/%" PRId64, r->id);
	resp_json(rs, 201, referral_json(r, store_now()));
out:
	json_decref(jv_take(&v));
	free(r);
}

/* Load referral path parameter 0 into r and gate its person; false when answered (404/403/503). */
static bool load_referral(struct req *rq, struct resp *rs, struct referral *r)
{
	int64_t id = api_param_id(rq, 0);
	enum referral_status s = id ? referral_get(rq->st, id, r) : REFERRAL_NOT_FOUND;
	if (s == REFERRAL_NOT_FOUND) {
		resp_problem(rs, 404, "Not found", "There is no referral with that id.", NULL);
		return false;
	}
	if (s != REFERRAL_OK) {
		api_store_failed(rs);
		return false;
	}
	return !r->person_id || api_person_gate(rq, rs, r->person_id);
}

void api_referral_get(struct req *rq, struct resp *rs)
{
	struct referral *r = calloc(1, sizeof *r);
	if (!r) {
		api_store_failed(rs);
		return;
	}
	if (load_referral(rq, rs, r)) {
		resp_json(rs, 200, referral_json(r, store_now()));
		api_audit_view(rq, rs, "referral.view", "referral", r->id, "");
	}
	free(r);
}

/* Validate a decision body on referral r into *d; errors go to v. Returns 0, or -1 on a store error. */
static int decision_parse(struct req *rq, const struct referral *r, struct referral_decision *d, struct jv *v)
{
	json_t *in = rq->json;
	int rc = 0;
	memset(d, 0, sizeof *d);
	jv_known(v, in, "", decision_fields);
	api_version_field(v, in, &d->version);
	bool outcome_ok = false; /* whether the outcome is known, so that team and worker can be judged */
	if (jv_string(v, in, "outcome", "outcome", 1, REFERRAL_CODE_CHARS, false, d->outcome, sizeof d->outcome)) {
		if (!config_code_active(rq->st, CONFIG_DECISION_OUTCOME, d->outcome)) {
			jv_error(v, "outcome", "must be one of the decision outcomes");
		} else {
			outcome_ok = true;
			d->opens_case = config_outcome_opens_case(rq->st, d->outcome);
		}
	}
	if (d->opens_case && !r->person_id)
		jv_error(v, "outcome", "opens a case, and a case can be opened only for a person");
	jv_string(v, in, "rationale", "rationale", 1, REFERRAL_RATIONALE_CHARS, true, d->rationale, sizeof d->rationale);
	if (api_time_field(v, in, "decided_at", false, store_now(), &d->decided_at) && d->decided_at < r->received_at)
		jv_error(v, "decided_at", "must not be before the referral was received");

	jv_string(v, in, "team", "team", 0, REFERRAL_TEAM_CHARS, false, d->team, sizeof d->team);
	if (outcome_ok && d->opens_case && !d->team[0])
		jv_error(v, "team", "is required when the outcome opens a case");
	else if (outcome_ok && !d->opens_case && d->team[0])
		jv_error(v, "team", "is only for an outcome that opens a case");
	char worker[USER_NAME_MAX + 1];
	if (jv_string(v, in, "worker", "worker", 0, USER_NAME_MAX, false, worker, sizeof worker) && worker[0]) {
		char why[160] = "";
		if (outcome_ok && !d->opens_case)
			jv_error(v, "worker", "is only for an outcome that opens a case");
		else if (d->team[0] &&
			 (rc = casework_check_worker(rq->st, d->team, worker, &d->worker_id, why, sizeof why)) == STORE_NOTFOUND)
			jv_error(v, "worker", "%s", why);
	}
	if (!d->opens_case) {
		d->team[0] = 0;
		d->worker_id = 0;
	}
	return rc < 0 ? -1 : 0;
}

void api_referral_decide(struct req *rq, struct resp *rs)
{
	struct referral *r = calloc(1, sizeof *r);
	struct referral_decision *d = calloc(1, sizeof *d);
	struct jv v = { 0 };
	if (!r || !d) {
		api_store_failed(rs);
		goto out;
	}
	if (!load_referral(rq, rs, r))
		goto out;
	if (strcmp(r->status, "awaiting_decision") != 0) {
		resp_problem(rs, 409, "Conflict", "This referral has already been decided.", NULL);
		goto out;
	}
	if (decision_parse(rq, r, d, &v) != 0) {
		api_store_failed(rs);
		goto out;
	}
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	switch (referral_decide(rq->st, &rq->session.user, r, d)) {
	case REFERRAL_OK:
		resp_json(rs, 200, referral_json(r, store_now()));
		break;
	case REFERRAL_DECIDED:
		resp_problem(rs, 409, "Conflict", "This referral has already been decided.", NULL);
		break;
	case REFERRAL_STALE:
		resp_problem(rs, 409, "Conflict",
			     "Someone else changed this referral after you opened it. Reload it and make your decision again.",
			     NULL);
		break;
	default:
		api_store_failed(rs);
		break;
	}
out:
	json_decref(jv_take(&v));
	free(d);
	free(r);
}

/* Collects the Referral objects of a list. */
struct list_ctx {
	json_t *items;
	int64_t now;
	int n;
};

static int list_add(void *ctx, const struct referral *r)
{
	struct list_ctx *c = ctx;
	json_t *o = referral_json(r, c->now);
	if (!o || json_array_append_new(c->items, o) != 0)
		return -1;
	c->n++;
	return 0;
}

void api_referral_list(struct req *rq, struct resp *rs)
{
	struct referral_filter f;
	char person[24];
	memset(&f, 0, sizeof f);
	if (!api_query_text(rq, rs, "status", f.status, sizeof f.status) ||
	    !api_query_text(rq, rs, "person_id", person, sizeof person) ||
	    !api_query_int(rq, rs, "limit", 1, 100, 50, &f.limit) || !api_query_int(rq, rs, "offset", 0, 1000000, 0, &f.offset))
		return;
	struct jv v = { 0 };
	if (f.status[0] && strcmp(f.status, "awaiting_decision") != 0 && strcmp(f.status, "decided") != 0)
		jv_error(&v, "status", "must be awaiting_decision or decided");
	if (person[0]) {
		char *end = NULL;
		long long pid = strtoll(person, &end, 10);
		if (!end || *end || pid < 1 || strlen(person) > 15)
			jv_error(&v, "person_id", "must be the id of a person");
		else
			f.person_id = pid;
	}
	if (jv_failed(&v)) {
		resp_problem(rs, 400, "Bad query", "A query parameter is not valid.", jv_take(&v));
		return;
	}
	if (f.person_id && !api_person_gate(rq, rs, f.person_id))
		return;
	f.viewer_id = rq->session.user.id;
	struct list_ctx c = { .items = json_array(), .now = store_now() };
	int64_t total = 0;
	if (!c.items || referral_list(rq->st, &f, list_add, &c, &total) != REFERRAL_OK) {
		json_decref(c.items);
		api_store_failed(rs);
		return;
	}
	resp_json(rs, 200, json_pack("{s:o, s:I}", "items", c.items, "total", (json_int_t)total));
	/* Audited as a view of the list: the filter and counts only, never the names shown. */
	char detail[96];
	snprintf(detail, sizeof detail, "%s%s%d shown of %" PRId64, f.status[0] ? f.status : "",
		 f.status[0] ? "; " : "", c.n, total);
	api_audit_view(rq, rs, "referral.list", f.person_id ? "person" : "", f.person_id, detail);
}
