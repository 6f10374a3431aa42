/*
 * person.c - the person record's rules: derived age, need-to-know on restricted records, and
 * the create / read / update / search operations with their audit entries. Runs inside the
 * caller's transaction (the dispatcher opens one per request). See person.h.
 */
#include "person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store.h"
#include "valid.h"

const struct person_code person_ethnicities[] = {
	{ "WBRI", "White British" }, { "WIRI", "White Irish" }, { "WIRT", "Traveller of Irish heritage" },
	{ "WOTH", "Any other White background" }, { "WROM", "Gypsy/Roma" },
	{ "MWBC", "White and Black Caribbean" }, { "MWBA", "White and Black African" },
	{ "MWAS", "White and Asian" }, { "MOTH", "Any other mixed background" }, { "AIND", "Indian" },
	{ "APKN", "Pakistani" }, { "ABAN", "Bangladeshi" }, { "AOTH", "Any other Asian background" },
	{ "BCRB", "Black Caribbean" }, { "BAFR", "Black African" }, { "BOTH", "Any other Black background" },
	{ "CHNE", "Chinese" }, { "OOTH", "Any other ethnic group" }, { "REFU", "Refused" },
	{ "NOBT", "Information not yet obtained" }, { NULL, NULL },
};

const struct person_code person_sexes[] = {
	{ "female", "Female" }, { "male", "Male" }, { "unknown", "Not known" }, { NULL, NULL },
};

bool person_code_known(const struct person_code *list, const char *code)
{
	for (int i = 0; list[i].code; i++)
		if (strcmp(list[i].code, code) == 0)
			return true;
	return false;
}

int person_age(const struct person *p, int64_t now)
{
	struct valid_date dob, today;
	if (!p->dob[0] || !valid_parse_date(p->dob, &dob))
		return -1;
	valid_date_from_time(now, &today);
	return valid_age_on(&dob, &today);
}

bool person_may_access(struct store *st, const struct user *by, int64_t person_id, bool restricted)
{
	if (!restricted)
		return true;
	return store_person_access_has(st, person_id, by->id) == 0;
}

/* Add `by` to a restricted record's named users if missing (the creator keeps access). */
static void ensure_named(struct person *p, const struct user *by)
{
	if (!p->restricted)
		return;
	for (int i = 0; i < p->n_restricted_to; i++)
		if (strcmp(p->restricted_to[i], by->username) == 0)
			return;
	if (p->n_restricted_to < PERSON_RESTRICTED_MAX)
		snprintf(p->restricted_to[p->n_restricted_to++], sizeof p->restricted_to[0], "%s", by->username);
}

static enum person_status unknown_user(struct person *p, int bad, char *err, size_t errcap)
{
	snprintf(err, errcap, "restricted_to[%d]", bad);
	(void)p;
	return PERSON_INVALID;
}

enum person_status person_create(struct store *st, const struct user *by, struct person *p, char *err, size_t errcap)
{
	ensure_named(p, by);
	if (!p->restricted)
		p->n_restricted_to = 0;
	int bad = -1;
	int rc = store_person_insert(st, p, by->id, &bad);
	if (rc == STORE_NOTFOUND)
		return unknown_user(p, bad, err, errcap);
	if (rc != 0)
		return PERSON_ERROR;
	snprintf(p->created_by, sizeof p->created_by, "%s", by->username);
	snprintf(p->updated_by, sizeof p->updated_by, "%s", by->username);
	struct audit_entry e;
	audit_fill(&e, by, "person.create", "person", p->id, "ok", p->restricted ? "restricted" : "");
	return audit_record(st, &e) == 0 ? PERSON_OK : PERSON_ERROR;
}

enum person_status person_get(struct store *st, const struct user *by, int64_t id, struct person *p)
{
	int rc = store_person_get(st, id, p);
	if (rc == STORE_NOTFOUND)
		return PERSON_NOT_FOUND;
	if (rc != 0)
		return PERSON_ERROR;
	if (!person_may_access(st, by, id, p->restricted)) {
		memset(p, 0, sizeof *p);
		return PERSON_DENIED;
	}
	return PERSON_OK;
}

enum person_status person_update(struct store *st, const struct user *by, struct person *p, char *err, size_t errcap)
{
	bool was_restricted;
	int rc = store_person_restricted(st, p->id, &was_restricted);
	if (rc == STORE_NOTFOUND)
		return PERSON_NOT_FOUND;
	if (rc != 0)
		return PERSON_ERROR;
	if (!person_may_access(st, by, p->id, was_restricted))
		return PERSON_DENIED;
	ensure_named(p, by);
	if (!p->restricted)
		p->n_restricted_to = 0;
	int bad = -1;
	rc = store_person_update(st, p, by->id, &bad);
	if (rc == STORE_CONFLICT)
		return PERSON_STALE;
	if (rc == STORE_NOTFOUND)
		return unknown_user(p, bad, err, errcap);
	if (rc != 0)
		return PERSON_ERROR;
	struct audit_entry e;
	char detail[64];
	snprintf(detail, sizeof detail, "version %lld", (long long)p->version);
	audit_fill(&e, by, "person.update", "person", p->id, "ok", detail);
	if (audit_record(st, &e) != 0)
		return PERSON_ERROR;
	/* Read back the stored form (names of who created it, the access list). */
	return store_person_get(st, p->id, p) == 0 ? PERSON_OK : PERSON_ERROR;
}

enum person_status person_search(struct store *st, const struct user *by, const struct person_query *q,
				 struct person_summary **out, int *n, int64_t *total)
{
	return store_person_search(st, q, by->id, out, n, total) == 0 ? PERSON_OK : PERSON_ERROR;
}
