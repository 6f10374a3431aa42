/*
 * api_config.c - the configuration endpoints (docs/api-casework.md, "Configuration"): the whole
 * configuration for every signed-in user, and for admins the changes to the lists, bank
 * holidays, practice standards and risk tools. Validates each body once into typed values
 * (config_admin.h, risk.h), calls config.c, and answers JSON. The dispatcher has already checked
 * the permission (config.read / config.admin) and opened the request's transaction.
 * Owns: the JSON shapes of the configuration. Must not touch: SQL text, the rules of a change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "config.h"
#include "config_admin.h"
#include "json.h"
#include "risk.h"
#include "store.h"
#include "store_config_admin.h"
#include "valid.h"

/* ---- reading ------------------------------------------------------------------------------- */

/* One code of `list` as JSON: {code, label, active} and the list's own extra member. */
static json_t *code_json(const char *list, const struct config_code *c)
{
	json_t *o = json_pack("{s:s, s:s}", "code", c->code, "label", c->label);
	if (strcmp(list, CONFIG_STRAND) == 0)
		json_object_set_new(o, "cin_code", c->extra[0] ? json_string(c->extra) : json_null());
	else if (strcmp(list, CONFIG_DECISION_OUTCOME) == 0)
		json_object_set_new(o, "opens_case", json_boolean(strcmp(c->extra, CONFIG_OPENS_CASE) == 0));
	json_object_set_new(o, "active", json_boolean(c->active));
	return o;
}

static json_t *standard_json(const struct config_standard *s)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:b, s:b}", "code", s->code, "name", s->name,
			 "start_event", s->start_event, "end_event", s->end_event, "limit_value", s->limit_value,
			 "limit_unit", s->limit_unit, "applies_to", s->applies_to, "repeats", s->repeats, "active",
			 s->active);
}

/* The whole configuration (GET /api/v1/config) as a new object, or NULL when the store fails. */
static json_t *config_json(struct store *st)
{
	int64_t version;
	if (store_config_version(st, &version) != 0)
		return NULL;
	json_t *o = json_pack("{s:I}", "version", (json_int_t)version);
	const char *names[8][2];
	size_t n_lists = config_list_names(names, 8);
	for (size_t l = 0; l < n_lists; l++) {
		struct config_code *codes = NULL;
		size_t n = 0;
		if (store_config_codes(st, names[l][0], &codes, &n) != 0) {
			json_decref(o);
			return NULL;
		}
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, code_json(names[l][0], &codes[i]));
		json_object_set_new(o, names[l][1], arr);
		free(codes);
	}
	struct config_standard *standards = NULL;
	size_t n = 0;
	if (store_config_standards(st, &standards, &n) != 0) {
		json_decref(o);
		return NULL;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, standard_json(&standards[i]));
	free(standards);
	json_object_set_new(o, "practice_standards", arr);
	json_object_set_new(o, "risk_levels", json_pack("[s, s, s]", "low", "medium", "high"));
	return o;
}

void api_config_get(struct req *rq, struct resp *rs)
{
	json_t *o = config_json(rq->st);
	if (!o) {
		api_store_failed(rs);
		return;
	}
	resp_json(rs, 200, o);
}

/* ---- answers to a failed change ------------------------------------------------------------- */

/* Answer a change that did not end in CONFIG_OK (v holds the errors of CONFIG_INVALID). */
static void config_fail(struct resp *rs, enum config_status cs, struct jv *v, const char *not_found)
{
	switch (cs) {
	case CONFIG_INVALID:
		api_invalid(rs, v);
		break;
	case CONFIG_STALE:
		resp_problem(rs, 409, "Conflict",
			     "The configuration was changed after you read it. Reload it and make your change again.",
			     NULL);
		break;
	case CONFIG_NOT_FOUND:
		resp_problem(rs, 404, "Not found", not_found, NULL);
		break;
	case CONFIG_EXISTS:
		resp_problem(rs, 409, "Conflict", "That already exists: nothing was changed.", NULL);
		break;
	case CONFIG_FULL:
		resp_problem(rs, 409, "Conflict", "The calendar is full: remove bank holidays that have passed first.",
			     NULL);
		break;
	default:
		api_store_failed(rs);
		break;
	}
	json_decref(jv_take(v));
}

/* ---- lists ---------------------------------------------------------------------------------- */

static const char *const list_body_fields[] = { "version", "items", NULL };
static const char *const item_fields[] = { "code", "label", "active", NULL };
static const char *const strand_fields[] = { "code", "label", "active", "cin_code", NULL };
static const char *const outcome_fields[] = { "code", "label", "active", "opens_case", NULL };

/* Read items[i] of a list body into *c, adding an error for each bad member. */
static void parse_item(struct jv *v, const char *list, json_t *x, size_t i, struct config_code *c)
{
	char prefix[32], path[48];
	snprintf(prefix, sizeof prefix, "items[%zu]", i);
	if (!json_is_object(x)) {
		jv_error(v, prefix, "must be an object with code, label and active");
		return;
	}
	snprintf(prefix, sizeof prefix, "items[%zu].", i);
	bool strand = strcmp(list, CONFIG_STRAND) == 0, outcome = strcmp(list, CONFIG_DECISION_OUTCOME) == 0;
	jv_known(v, x, prefix, strand ? strand_fields : outcome ? outcome_fields : item_fields);

	snprintf(path, sizeof path, "items[%zu].code", i);
	if (jv_string(v, x, "code", path, 1, CONFIG_CODE_CHARS, false, c->code, sizeof c->code) &&
	    !config_code_syntax(c->code))
		jv_error(v, path, "must be 1 to %d letters, digits or underscores", CONFIG_CODE_CHARS);
	snprintf(path, sizeof path, "items[%zu].label", i);
	jv_string(v, x, "label", path, 1, CONFIG_LABEL_CHARS, false, c->label, sizeof c->label);
	snprintf(path, sizeof path, "items[%zu].active", i);
	json_t *active = json_object_get(x, "active");
	if (!json_is_boolean(active))
		jv_error(v, path, active && !json_is_null(active) ? "must be true or false"
								   : "is required: true, or false to retire the code");
	else
		c->active = json_is_true(active);

	if (strand && json_object_get(x, "cin_code")) {
		char raw[64];
		c->extra_given = true;
		snprintf(path, sizeof path, "items[%zu].cin_code", i);
		if (jv_string(v, x, "cin_code", path, 0, CONFIG_CIN_CODE_CHARS, false, raw, sizeof raw) &&
		    !config_cin_code_normalise(raw, c->extra, sizeof c->extra))
			jv_error(v, path, "must be a CIN census factor code such as 11A: up to %d letters and digits",
				 CONFIG_CIN_CODE_CHARS);
	}
	if (outcome && json_object_get(x, "opens_case")) {
		snprintf(path, sizeof path, "items[%zu].opens_case", i);
		c->extra_given = true;
		bool opens = jv_bool(v, x, "opens_case", path, false);
		snprintf(c->extra, sizeof c->extra, "%s", opens ? CONFIG_OPENS_CASE : "");
	}
}

void api_config_list_put(struct req *rq, struct resp *rs)
{
	const char *list = config_list_from_url(rq->n_params > 0 ? rq->params[0] : NULL);
	if (!list) {
		resp_problem(rs, 404, "Not found",
			     "There is no such list: strands, referral_sources, decision_outcomes, closure_reasons, "
			     "meeting_types, contact_types or flag_types.",
			     NULL);
		return;
	}
	struct jv v = { 0 };
	jv_known(&v, rq->json, "", list_body_fields);
	int64_t version = 0;
	api_version_field(&v, rq->json, &version);
	size_t n = 0;
	json_t *arr = jv_array(&v, rq->json, "items", "items", CONFIG_ITEMS_MAX, &n);
	if (!arr && !json_object_get(rq->json, "items"))
		jv_error(&v, "items", "is required: every code of the list");
	struct config_code *items = calloc(n ? n : 1, sizeof *items);
	if (!items) {
		json_decref(jv_take(&v));
		api_store_failed(rs);
		return;
	}
	for (size_t i = 0; i < n; i++)
		parse_item(&v, list, json_array_get(arr, i), i, &items[i]);
	if (arr)
		config_list_check_items(items, n, &v);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		goto out;
	}
	int64_t new_version = 0;
	enum config_status cs =
		config_list_replace(rq->st, &rq->session.user, list, version, items, n, &v, &new_version);
	if (cs != CONFIG_OK) {
		config_fail(rs, cs, &v, "There is no such list.");
		goto out;
	}
	json_t *o = config_json(rq->st);
	if (!o)
		api_store_failed(rs);
	else
		resp_json(rs, 200, o);
out:
	free(items);
}

/* ---- bank holidays -------------------------------------------------------------------------- */

void api_holiday_list(struct req *rq, struct resp *rs)
{
	struct config_holiday *days = NULL;
	size_t n = 0;
	if (store_config_holidays(rq->st, &days, &n) != 0) {
		api_store_failed(rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "date", days[i].date, "name", days[i].name));
	free(days);
	resp_json(rs, 200, json_pack("{s:o}", "items", arr));
}

void api_holiday_add(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "date", "name", NULL };
	struct jv v = { 0 };
	char date[11], name[CONFIG_HOLIDAY_NAME_CHARS * 4 + 1];
	jv_known(&v, rq->json, "", known);
	api_date_field(&v, rq->json, "date", true, date);
	jv_string(&v, rq->json, "name", "name", 1, CONFIG_HOLIDAY_NAME_CHARS, false, name, sizeof name);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	enum config_status cs = config_holiday_add(rq->st, &rq->session.user, date, name);
	if (cs == CONFIG_EXISTS) {
		resp_problem(rs, 409, "Conflict", "That date is already a bank holiday.", NULL);
		return;
	}
	if (cs != CONFIG_OK) {
		config_fail(rs, cs, &v, "");
		return;
	}
	snprintf(rs->location, sizeof rs->location, "/api/v1/config/bank-holidays/%s", date);
	resp_json(rs, 201, json_pack("{s:s, s:s}", "date", date, "name", name));
}

void api_holiday_delete(struct req *rq, struct resp *rs)
{
	const char *raw = rq->n_params > 0 ? rq->params[0] : "";
	struct valid_date d;
	char date[11];
	enum config_status cs = CONFIG_NOT_FOUND;
	if (valid_parse_date(raw, &d)) {
		valid_format_date(&d, date);
		cs = config_holiday_delete(rq->st, &rq->session.user, date);
	}
	if (cs != CONFIG_OK) {
		struct jv v = { 0 };
		config_fail(rs, cs, &v, "That date is not a configured bank holiday.");
		return;
	}
	rs->status = 204;
}

/* ---- practice standards --------------------------------------------------------------------- */

/* The limit units a standard may have (practice_standards.limit_unit). */
static const char *const limit_units[] = { "working_days", "hours", "days", "months", NULL };

void api_standard_put(struct req *rq, struct resp *rs)
{
	static const char *const known[] = { "version", "limit_value", "limit_unit", "active", NULL };
	const char *code = rq->n_params > 0 ? rq->params[0] : "";
	struct config_standard old;
	int rc = store_config_standard_get(rq->st, code, &old);
	if (rc == STORE_NOTFOUND) {
		resp_problem(rs, 404, "Not found", "There is no practice standard with that code.", NULL);
		return;
	}
	if (rc != 0) {
		api_store_failed(rs);
		return;
	}
	struct jv v = { 0 };
	jv_known(&v, rq->json, "", known);
	int64_t version = 0;
	api_version_field(&v, rq->json, &version);
	json_t *x = json_object_get(rq->json, "limit_value");
	int limit_value = 0;
	if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > CONFIG_LIMIT_MAX)
		jv_error(&v, "limit_value", "must be a whole number from 1 to %d", CONFIG_LIMIT_MAX);
	else
		limit_value = (int)json_integer_value(x);
	char unit[16] = "";
	bool unit_ok = false;
	if (jv_string(&v, rq->json, "limit_unit", "limit_unit", 1, 12, false, unit, sizeof unit))
		for (int i = 0; limit_units[i]; i++)
			unit_ok = unit_ok || strcmp(unit, limit_units[i]) == 0;
	if (!unit_ok && unit[0])
		jv_error(&v, "limit_unit", "must be working_days, hours, days or months");
	x = json_object_get(rq->json, "active");
	if (!json_is_boolean(x))
		jv_error(&v, "active", "is required: true or false");
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	int64_t new_version = 0;
	enum config_status cs = config_standard_update(rq->st, &rq->session.user, old.code, version, limit_value, unit,
						       json_is_true(x), &v, &new_version);
	if (cs != CONFIG_OK) {
		config_fail(rs, cs, &v, "There is no practice standard with that code.");
		return;
	}
	json_t *o = config_json(rq->st);
	if (!o)
		api_store_failed(rs);
	else
		resp_json(rs, 200, o);
}

/* ---- risk tools ----------------------------------------------------------------------------- */

/* The summary of a stored tool version: {id, code, version, name, example, active, created_at}. */
static json_t *tool_summary_json(const struct config_risk_tool *t)
{
	return json_pack("{s:I, s:s, s:i, s:s, s:b, s:b, s:o}", "id", (json_int_t)t->id, "code", t->code, "version",
			 t->version, "name", t->name, "example", t->example, "active", t->active, "created_at",
			 jv_time(t->created_at));
}

/* The full answer for one tool version: the summary, created_by and the definition (taken). */
static json_t *tool_json(struct store *st, const struct config_risk_tool *t, json_t *definition)
{
	json_t *o = tool_summary_json(t);
	json_object_set_new(o, "created_by", api_user_ref(st, t->created_by));
	json_object_set_new(o, "definition", definition);
	return o;
}

void api_risk_tool_list(struct req *rq, struct resp *rs)
{
	struct config_risk_tool *tools = NULL;
	size_t n = 0;
	if (store_config_risk_tools(rq->st, &tools, &n) != 0) {
		api_store_failed(rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, tool_summary_json(&tools[i]));
	free(tools);
	resp_json(rs, 200, json_pack("{s:o}", "items", arr));
}

void api_risk_tool_get(struct req *rq, struct resp *rs)
{
	int64_t id = api_param_id(rq, 0);
	struct config_risk_tool t;
	char *text = NULL;
	int rc = id ? store_config_risk_tool_get(rq->st, id, &t, &text) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		resp_problem(rs, 404, "Not found", "There is no risk tool with that id.", NULL);
		return;
	}
	json_t *def = rc == 0 ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (!json_is_object(def)) {
		json_decref(def);
		api_store_failed(rs);
		return;
	}
	resp_json(rs, 200, tool_json(rq->st, &t, def));
}

void api_risk_tool_create(struct req *rq, struct resp *rs)
{
	struct jv v = { 0 };
	struct risk_tool *tool = NULL;
	json_t *def = NULL;
	char *text = NULL;
	enum risk_status ps = risk_tool_parse(rq->json, &tool, &v);
	if (ps == RISK_INVALID) {
		api_invalid(rs, &v);
		goto out;
	}
	if (ps != RISK_OK) {
		json_decref(jv_take(&v));
		api_store_failed(rs);
		goto out;
	}
	/* Stored normalised, so what is read back is exactly what risk_tool_parse accepted. */
	def = risk_tool_json(tool);
	text = def ? json_dumps(def, JSON_COMPACT) : NULL;
	if (!text) {
		api_store_failed(rs);
		goto out;
	}
	int64_t id = 0;
	int retired = 0;
	enum config_status cs =
		config_risk_tool_create(rq->st, &rq->session.user, tool, text, &v, &id, &retired);
	if (cs == CONFIG_EXISTS) {
		char detail[200];
		snprintf(detail, sizeof detail,
			 "Version %d of %s is already stored and is never changed: publish a new version.", tool->version,
			 tool->code);
		resp_problem(rs, 409, "Conflict", detail, NULL);
		goto out;
	}
	if (cs != CONFIG_OK) {
		config_fail(rs, cs, &v, "");
		goto out;
	}
	struct config_risk_tool t;
	char *stored = NULL;
	if (store_config_risk_tool_get(rq->st, id, &t, &stored) != 0) {
		api_store_failed(rs);
		goto out;
	}
	free(stored);
	snprintf(rs->location, sizeof rs->location, "/api/v1/risk-tools/%lld", (long long)id);
	resp_json(rs, 201, tool_json(rq->st, &t, def));
	def = NULL; /* taken by the answer */
out:
	json_decref(def);
	free(text);
	risk_tool_free(tool);
}
