/*
 * store_config_admin.h - SQL for reading and changing the configuration (config_admin.h):
 * config_codes, config_version, practice_standards, bank_holidays, risk_tools.
 * Owns: those statements only. Must not touch: the rules (config.c), HTTP, JSON.
 * Return convention of store.h: 0, STORE_NOTFOUND, STORE_CONFLICT, -1 on a database error.
 * Arrays returned through `out` are malloc'd; the caller frees them (free(NULL) when n is 0).
 */
#ifndef SAFEHUB_STORE_CONFIG_ADMIN_H
#define SAFEHUB_STORE_CONFIG_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "config_admin.h"

struct store;

/* store_config_version - the current configuration version into *version. */
int store_config_version(struct store *st, int64_t *version);

/*
 * store_config_version_bump - when the version is `expected`, make it expected + 1 (into
 * *version); STORE_CONFLICT (nothing changed) when it is not.
 */
int store_config_version_bump(struct store *st, int64_t expected, int64_t *version);

/* store_config_codes - every code of `list`, active or not, by sort then code, into *out[*n]. */
int store_config_codes(struct store *st, const char *list, struct config_code **out, size_t *n);

/* store_config_code_put - insert code c of `list` or, when it exists, set its label, extra, sort, active. */
int store_config_code_put(struct store *st, const char *list, const struct config_code *c);

/* store_config_standards - every practice standard by sort then code, into *out[*n]. */
int store_config_standards(struct store *st, struct config_standard **out, size_t *n);

/* store_config_standard_get - one standard by code (STORE_NOTFOUND when none). */
int store_config_standard_get(struct store *st, const char *code, struct config_standard *out);

/* store_config_standard_set - set a standard's limit and active flag (STORE_NOTFOUND when none). */
int store_config_standard_set(struct store *st, const char *code, int limit_value, const char *limit_unit,
			      int active);

/* store_config_holidays - every bank holiday by date, into *out[*n]. */
int store_config_holidays(struct store *st, struct config_holiday **out, size_t *n);

/* store_config_holiday_count - how many bank holidays are configured, into *count. */
int store_config_holiday_count(struct store *st, int64_t *count);

/* store_config_holiday_insert - add one (STORE_CONFLICT when the date is there). */
int store_config_holiday_insert(struct store *st, const char *date, const char *name);

/* store_config_holiday_delete - remove the holiday on date (STORE_NOTFOUND when none). */
int store_config_holiday_delete(struct store *st, const char *date);

/* store_config_risk_tools - every stored tool version by code then version, into *out[*n]. */
int store_config_risk_tools(struct store *st, struct config_risk_tool **out, size_t *n);

/*
 * store_config_risk_tool_get - one tool version by id into *out, and its definition text into
 * *definition (malloc'd, the caller frees; NULL on failure). STORE_NOTFOUND when none.
 */
int store_config_risk_tool_get(struct store *st, int64_t id, struct config_risk_tool *out, char **definition);

/*
 * store_config_risk_tool_versions - for tool `code`: *latest the highest stored version (0 when
 * none) and *has whether `version` itself is stored.
 */
int store_config_risk_tool_versions(struct store *st, const char *code, int version, int *latest, int *has);

/*
 * store_config_risk_tool_insert - insert a new active tool version with its definition text,
 * created now by user `by`; *id gets its id. STORE_CONFLICT when (code, version) exists.
 */
int store_config_risk_tool_insert(struct store *st, const char *code, int version, const char *name,
				  const char *definition, int64_t by, int64_t *id);

/* store_config_risk_tool_retire - make the active versions of `code` below `version` inactive; *n how many. */
int store_config_risk_tool_retire(struct store *st, const char *code, int version, int *n);

#endif
