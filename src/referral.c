/*
 * referral.c - recording referrals and their screening decisions, with the referral_decision
 * clock, the case a decision opens, the audit entries, and the Referral JSON. See referral.h.
 */
#include "referral.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "casework.h"
#include "clock.h"
#include "json.h"
#include "store.h"
#include "store_referral.h"
#include "valid.h"

enum referral_status referral_create(struct store *st, const struct user *by, struct referral *r)
{
	int64_t now = store_now();
	r->version = 1;
	snprintf(r->status, sizeof r->status, "awaiting_decision");
	snprintf(r->team, sizeof r->team, "%s", by->team);
	r->created_at = r->updated_at = now;
	r->created_by_id = r->updated_by_id = by->id;
	if (store_referral_insert(st, r) != 0)
		return REFERRAL_ERROR;
	/* The practice standard runs from when the hub received the referral, not when it was typed in. */
	struct clock_subject subject = {
		.type = REFERRAL_SUBJECT, .id = r->id, .person_id = r->person_id, .team = by->team,
	};
	if (clock_start(st, REFERRAL_STANDARD, &subject, r->received_at, 0) != 0)
		return REFERRAL_ERROR;
	struct audit_entry e;
	audit_fill(&e, by, "referral.create", "referral", r->id, "ok", r->subject_type);
	if (audit_record(st, &e) != 0)
		return REFERRAL_ERROR;
	return referral_get(st, r->id, r) == REFERRAL_OK ? REFERRAL_OK : REFERRAL_ERROR;
}

enum referral_status referral_get(struct store *st, int64_t id, struct referral *r)
{
	int rc = store_referral_get(st, id, r);
	return rc == 0 ? REFERRAL_OK : rc == STORE_NOTFOUND ? REFERRAL_NOT_FOUND : REFERRAL_ERROR;
}

enum referral_status referral_decide(struct store *st, const struct user *by, struct referral *r,
				     const struct referral_decision *d)
{
	if (strcmp(r->status, "awaiting_decision") != 0)
		return REFERRAL_DECIDED;
	if (d->version != r->version)
		return REFERRAL_STALE;
	int stopped = 0, breached = 0;
	if (clock_stop(st, REFERRAL_STANDARD, REFERRAL_SUBJECT, r->id, d->decided_at, &stopped, &breached) != 0)
		return REFERRAL_ERROR;
	int64_t case_id = 0;
	if (d->opens_case) {
		struct casework_open o;
		memset(&o, 0, sizeof o);
		o.person_id = r->person_id;
		o.referral_id = r->id;
		snprintf(o.team, sizeof o.team, "%s", d->team);
		o.worker_id = d->worker_id;
		for (int i = 0; i < r->n_strands && i < (int)(sizeof o.strands / sizeof o.strands[0]); i++)
			snprintf(o.strands[o.n_strands++], sizeof o.strands[0], "%s", r->strands[i]);
		o.opened_at = d->decided_at;
		if (casework_open_case(st, by, &o, &case_id) != 0 || case_id <= 0)
			return REFERRAL_ERROR;
	}
	int64_t expected = r->version;
	int64_t now = store_now();
	snprintf(r->outcome, sizeof r->outcome, "%s", d->outcome);
	snprintf(r->rationale, sizeof r->rationale, "%s", d->rationale);
	r->decided_at = d->decided_at;
	r->decided_by_id = by->id;
	r->case_id = case_id;
	r->updated_at = now;
	r->updated_by_id = by->id;
	r->version = expected + 1;
	int rc = store_referral_decide(st, r, expected);
	if (rc == STORE_CONFLICT)
		return REFERRAL_STALE;
	if (rc != 0)
		return REFERRAL_ERROR;
	/* The detail names the outcome code and the timeliness, never the rationale (personal data). */
	char detail[96];
	snprintf(detail, sizeof detail, "outcome %s; %s", d->outcome,
		 stopped == 0 ? "untimed" : breached > 0 ? "late" : "in time");
	struct audit_entry e;
	audit_fill(&e, by, "referral.decide", "referral", r->id, "ok", detail);
	if (audit_record(st, &e) != 0)
		return REFERRAL_ERROR;
	return referral_get(st, r->id, r) == REFERRAL_OK ? REFERRAL_OK : REFERRAL_ERROR;
}

enum referral_status referral_list(struct store *st, const struct referral_filter *f,
				   int (*fn)(void *ctx, const struct referral *r), void *ctx, int64_t *total)
{
	return store_referral_list(st, f, fn, ctx, total) == 0 ? REFERRAL_OK : REFERRAL_ERROR;
}

int referral_decision_late(const struct referral *r)
{
	if (strcmp(r->status, "decided") != 0)
		return -1;
	if (strcmp(r->clock_status, "breached") == 0)
		return 1;
	if (strcmp(r->clock_status, "met") == 0)
		return 0;
	return -1;
}

/* A text column that is "" until set, as JSON: null when "". */
static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

/* {"id", "given_name", "family_name", "dob", "age", "is_child"} of the referred person. */
static json_t *person_ref(const struct referral *r, int64_t now)
{
	json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->person_id, "given_name", r->person_given_name,
			      "family_name", r->person_family_name);
	if (!o)
		return NULL;
	struct valid_date dob, today;
	if (r->person_dob[0] && valid_parse_date(r->person_dob, &dob)) {
		valid_date_from_time(now, &today);
		int age = valid_age_on(&dob, &today);
		json_object_set_new(o, "dob", json_string(r->person_dob));
		json_object_set_new(o, "age", json_integer(age));
		json_object_set_new(o, "is_child", json_boolean(age < 18));
	} else {
		json_object_set_new(o, "dob", json_null());
		json_object_set_new(o, "age", json_null());
		json_object_set_new(o, "is_child", json_null());
	}
	return o;
}

json_t *referral_json(const struct referral *r, int64_t now)
{
	json_t *strands = json_array();
	for (int i = 0; strands && i < r->n_strands; i++)
		json_array_append_new(strands, json_string(r->strands[i]));
	bool decided = strcmp(r->status, "decided") == 0;
	int late = referral_decision_late(r);
	json_t *o = json_object();
	if (!o || !strands) {
		json_decref(o);
		json_decref(strands);
		return NULL;
	}
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "person_id", r->person_id ? json_integer(r->person_id) : json_null());
	json_object_set_new(o, "person", r->person_id ? person_ref(r, now) : json_null());
	json_object_set_new(o, "subject_type", json_string(r->subject_type));
	json_object_set_new(o, "subject_ref", json_string(r->subject_ref));
	json_object_set_new(o, "received_at", jv_time(r->received_at));
	json_object_set_new(o, "source_code", json_string(r->source_code));
	json_object_set_new(o, "source_agency", json_string(r->source_agency));
	json_object_set_new(o, "referrer_name", json_string(r->referrer_name));
	json_object_set_new(o, "referrer_contact", json_string(r->referrer_contact));
	json_object_set_new(o, "strands", strands);
	json_object_set_new(o, "concerns", json_string(r->concerns));
	json_object_set_new(o, "consent_basis", json_string(r->consent_basis));
	json_object_set_new(o, "status", json_string(r->status));
	json_object_set_new(o, "decision_due_at", r->decision_due_at ? jv_time(r->decision_due_at) : json_null());
	json_object_set_new(o, "outcome", decided ? text_or_null(r->outcome) : json_null());
	json_object_set_new(o, "rationale", decided ? text_or_null(r->rationale) : json_null());
	json_object_set_new(o, "decided_at", decided ? jv_time(r->decided_at) : json_null());
	json_object_set_new(o, "decided_by", decided ? text_or_null(r->decided_by) : json_null());
	json_object_set_new(o, "decision_late", late < 0 ? json_null() : json_boolean(late == 1));
	json_object_set_new(o, "case_id", r->case_id ? json_integer(r->case_id) : json_null());
	json_object_set_new(o, "created_at", jv_time(r->created_at));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	json_object_set_new(o, "updated_at", jv_time(r->updated_at));
	json_object_set_new(o, "updated_by", json_string(r->updated_by));
	return o;
}
