/*
 * config.c - the rules of changing the configuration: lists whose codes never disappear,
 * practice-standard limits the clocks can compute, bank holidays, and risk tool versions that
 * are added, never edited. Each change is checked against the configuration version where it
 * has one and audited in the caller's transaction. See config_admin.h.
 * Must not touch: HTTP, JSON answers (api_config.c), SQL text (store_config_admin.c), config.h
 * and store_config.c (shared: reading codes for casework).
 */
#include "config_admin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "calendar.h"
#include "config.h"
#include "risk.h"
#include "store.h"
#include "store_config_admin.h"

/* The lists in display order: the config_codes name and the plural of URLs and GET /config. */
static const char *const lists[][2] = {
	{ CONFIG_STRAND, "strands" },
	{ CONFIG_REFERRAL_SOURCE, "referral_sources" },
	{ CONFIG_DECISION_OUTCOME, "decision_outcomes" },
	{ CONFIG_CLOSURE_REASON, "closure_reasons" },
	{ CONFIG_MEETING_TYPE, "meeting_types" },
	{ CONFIG_CONTACT_TYPE, "contact_types" },
	{ CONFIG_FLAG_TYPE, "flag_types" },
};
#define N_LISTS (sizeof lists / sizeof lists[0])

const char *config_list_from_url(const char *plural)
{
	for (size_t i = 0; plural && i < N_LISTS; i++)
		if (strcmp(plural, lists[i][1]) == 0)
			return lists[i][0];
	return NULL;
}

size_t config_list_names(const char *names[][2], size_t cap)
{
	for (size_t i = 0; i < N_LISTS && i < cap; i++) {
		names[i][0] = lists[i][0];
		names[i][1] = lists[i][1];
	}
	return N_LISTS;
}

bool config_code_syntax(const char *code)
{
	size_t len = code ? strlen(code) : 0;
	if (len < 1 || len > CONFIG_CODE_CHARS)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

bool config_cin_code_normalise(const char *in, char *out, size_t cap)
{
	size_t len = in ? strlen(in) : 0;
	if (len > CONFIG_CIN_CODE_CHARS || len >= cap)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
		out[i] = (char)toupper(c);
	}
	out[len] = 0;
	return true;
}

/* The index of `code` in existing[0..n) (exact match), or -1. */
static long find_code(const struct config_code *existing, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(existing[i].code, code) == 0)
			return (long)i;
	return -1;
}

void config_list_check_items(struct config_code *items, size_t n, struct jv *errors)
{
	bool any_active = false;
	for (size_t i = 0; i < n; i++) {
		items[i].sort = (int)i + 1;
		any_active = any_active || items[i].active;
		for (size_t k = 0; k < i && items[i].code[0]; k++)
			if (strcasecmp(items[k].code, items[i].code) == 0) {
				char path[48];
				snprintf(path, sizeof path, "items[%zu].code", i);
				jv_error(errors, path, "is given twice (as items[%zu].code): each code once", k);
				break;
			}
	}
	if (!any_active)
		jv_error(errors, "items", "must have at least one active code");
}

void config_list_check_existing(const struct config_code *existing, size_t n_existing, struct config_code *items,
				size_t n, struct jv *errors)
{
	for (size_t i = 0; i < n; i++)
		if (!items[i].extra_given) {
			long at = find_code(existing, n_existing, items[i].code);
			snprintf(items[i].extra, sizeof items[i].extra, "%s", at >= 0 ? existing[at].extra : "");
		}
	/* A code records refer to can never disappear: name the missing ones (up to 10). */
	char missing[400] = "";
	size_t len = 0, count = 0;
	for (size_t e = 0; e < n_existing; e++) {
		bool present = false;
		for (size_t i = 0; i < n && !present; i++)
			present = strcmp(items[i].code, existing[e].code) == 0;
		if (present)
			continue;
		if (count < 10 && len < sizeof missing)
			len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", count ? ", " : "",
						existing[e].code);
		count++;
	}
	if (count)
		jv_error(errors, "items",
			 "must keep every existing code (retire one with \"active\": false instead): missing %s%s",
			 missing, count > 10 ? ", ..." : "");
}

/* Audit a configuration change in the caller's transaction: 0, or -1. */
static int audit_change(struct store *st, const struct user *by, const char *action, const char *object_type,
			int64_t id, const char *detail)
{
	struct audit_entry e;
	audit_fill(&e, by, action, object_type, id, "ok", detail);
	return audit_record(st, &e);
}

enum config_status config_list_replace(struct store *st, const struct user *by, const char *list,
				       int64_t version, struct config_code *items, size_t n, struct jv *errors,
				       int64_t *new_version)
{
	int64_t current;
	if (store_config_version(st, &current) != 0)
		return CONFIG_ERROR;
	if (current != version)
		return CONFIG_STALE;
	struct config_code *existing = NULL;
	size_t n_existing = 0;
	enum config_status out = CONFIG_ERROR;
	if (store_config_codes(st, list, &existing, &n_existing) != 0)
		goto out;
	config_list_check_existing(existing, n_existing, items, n, errors);
	if (jv_failed(errors)) {
		out = CONFIG_INVALID;
		goto out;
	}
	int added = 0, retired = 0, changed = 0;
	for (size_t i = 0; i < n; i++) {
		long at = find_code(existing, n_existing, items[i].code);
		if (at < 0) {
			added++;
		} else {
			const struct config_code *old = &existing[at];
			if (old->active && !items[i].active)
				retired++;
			else if (strcmp(old->label, items[i].label) != 0 || strcmp(old->extra, items[i].extra) != 0 ||
				 old->active != items[i].active || old->sort != items[i].sort)
				changed++;
		}
		if (store_config_code_put(st, list, &items[i]) != 0)
			goto out;
	}
	int rc = store_config_version_bump(st, version, new_version);
	if (rc == STORE_CONFLICT) {
		out = CONFIG_STALE;
		goto out;
	}
	if (rc != 0)
		goto out;
	char detail[160];
	snprintf(detail, sizeof detail, "%s: %d added, %d retired, %d changed", list, added, retired, changed);
	if (audit_change(st, by, "config.update", "config", *new_version, detail) != 0)
		goto out;
	out = CONFIG_OK;
out:
	free(existing);
	return out;
}

enum config_status config_standard_update(struct store *st, const struct user *by, const char *code,
					  int64_t version, int limit_value, const char *limit_unit, bool active,
					  struct jv *errors, int64_t *new_version)
{
	struct config_standard old;
	int rc = store_config_standard_get(st, code, &old);
	if (rc == STORE_NOTFOUND)
		return CONFIG_NOT_FOUND;
	if (rc != 0)
		return CONFIG_ERROR;
	int64_t current;
	if (store_config_version(st, &current) != 0)
		return CONFIG_ERROR;
	if (current != version)
		return CONFIG_STALE;
	/* calendar_add_working_days_due computes at most this many: a larger limit could start no clock. */
	if (strcmp(limit_unit, "working_days") == 0 && limit_value > CALENDAR_MAX_WORKING_DAYS) {
		jv_error(errors, "limit_value", "must be %d or fewer when the unit is working_days",
			 CALENDAR_MAX_WORKING_DAYS);
		return CONFIG_INVALID;
	}
	rc = store_config_standard_set(st, code, limit_value, limit_unit, active);
	if (rc == STORE_NOTFOUND)
		return CONFIG_NOT_FOUND;
	if (rc != 0)
		return CONFIG_ERROR;
	rc = store_config_version_bump(st, version, new_version);
	if (rc == STORE_CONFLICT)
		return CONFIG_STALE;
	if (rc != 0)
		return CONFIG_ERROR;
	char detail[200];
	snprintf(detail, sizeof detail, "standard %s: %d %s -> %d %s, %s", old.code, old.limit_value, old.limit_unit,
		 limit_value, limit_unit, active ? "active" : "inactive");
	return audit_change(st, by, "config.update", "config", *new_version, detail) == 0 ? CONFIG_OK : CONFIG_ERROR;
}

enum config_status config_holiday_add(struct store *st, const struct user *by, const char *date, const char *name)
{
	int64_t count;
	if (store_config_holiday_count(st, &count) != 0)
		return CONFIG_ERROR;
	/* store_holidays_load fills a struct calendar: more dates than it holds would be ignored. */
	if (count >= CALENDAR_MAX_HOLIDAYS)
		return CONFIG_FULL;
	int rc = store_config_holiday_insert(st, date, name);
	if (rc == STORE_CONFLICT)
		return CONFIG_EXISTS;
	if (rc != 0)
		return CONFIG_ERROR;
	char detail[64];
	snprintf(detail, sizeof detail, "bank holiday %.10s added", date);
	return audit_change(st, by, "config.holiday_add", "bank_holiday", 0, detail) == 0 ? CONFIG_OK : CONFIG_ERROR;
}

enum config_status config_holiday_delete(struct store *st, const struct user *by, const char *date)
{
	int rc = store_config_holiday_delete(st, date);
	if (rc == STORE_NOTFOUND)
		return CONFIG_NOT_FOUND;
	if (rc != 0)
		return CONFIG_ERROR;
	char detail[64];
	snprintf(detail, sizeof detail, "bank holiday %.10s removed", date);
	return audit_change(st, by, "config.holiday_delete", "bank_holiday", 0, detail) == 0 ? CONFIG_OK
												: CONFIG_ERROR;
}

enum config_status config_risk_tool_create(struct store *st, const struct user *by, const struct risk_tool *t,
					   const char *definition_text, struct jv *errors, int64_t *id, int *retired)
{
	int latest = 0, has = 0;
	if (store_config_risk_tool_versions(st, t->code, t->version, &latest, &has) != 0)
		return CONFIG_ERROR;
	if (has)
		return CONFIG_EXISTS;
	if (latest > t->version) {
		jv_error(errors, "version", "must be above %d, the latest version of %s: publish a new version", latest,
			 t->code);
		return CONFIG_INVALID;
	}
	int rc = store_config_risk_tool_insert(st, t->code, t->version, t->name, definition_text, by->id, id);
	if (rc == STORE_CONFLICT)
		return CONFIG_EXISTS;
	if (rc != 0)
		return CONFIG_ERROR;
	*retired = 0;
	if (store_config_risk_tool_retire(st, t->code, t->version, retired) != 0)
		return CONFIG_ERROR;
	char detail[160];
	snprintf(detail, sizeof detail, "%.64s v%d; %d older retired", t->code, t->version, *retired);
	return audit_change(st, by, "risk_tool.create", "risk_tool", *id, detail) == 0 ? CONFIG_OK : CONFIG_ERROR;
}
