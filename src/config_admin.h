/*
 * config_admin.h - changing the hub's configuration (docs/api-casework.md, "Configuration";
 * docs/configuration.md): the lists (strands, referral sources, decision outcomes, closure
 * reasons, meeting types, contact types, flag types), the practice standards, the bank holidays
 * and the risk tools. Reading a code while recording casework is config.h's job; this module is
 * the admin side.
 *
 * Rules it owns:
 * - a list's codes are stable: a code once added never disappears (it is retired with
 *   active = false), so old records keep meaning what they meant; every list keeps at least one
 *   active code;
 * - lists and practice standards change under one configuration version (config_version):
 *   a change names the version it read, a stale one changes nothing, and each change bumps it;
 * - a practice standard's limit is checked against what the clocks can compute; a change applies
 *   to clocks started afterwards (a running clock keeps the due time it started with);
 * - a bank holiday date is there at most once, and the calendar holds at most
 *   CALENDAR_MAX_HOLIDAYS of them;
 * - a risk tool version, once stored, is never changed: a new version of a code is added (above
 *   every earlier version) and the older versions become inactive;
 * - every change is audited in the caller's transaction.
 *
 * Runs inside the caller's write transaction (the dispatcher opens it). Must not touch: HTTP,
 * JSON shapes of the answers (api_config.c), SQL text (store_config_admin.c), config.h and
 * store_config.c (shared).
 */
#ifndef SAFEHUB_CONFIG_ADMIN_H
#define SAFEHUB_CONFIG_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "user.h"

struct store;
struct risk_tool;

#define CONFIG_CODE_CHARS 32          /* a list code: 1-32 of A-Z a-z 0-9 _ */
#define CONFIG_LABEL_CHARS 200        /* a list label: 1-200 characters, one line */
#define CONFIG_ITEMS_MAX 200          /* codes in one list */
#define CONFIG_CIN_CODE_CHARS 8       /* a strand's CIN census factor code: 0-8 of A-Z 0-9 */
#define CONFIG_LIMIT_MAX 10000        /* a practice standard's limit is 1..CONFIG_LIMIT_MAX units */
#define CONFIG_HOLIDAY_NAME_CHARS 100 /* a bank holiday's name: 1-100 characters */
#define CONFIG_OPENS_CASE "opens_case" /* config_codes.extra of a decision outcome that opens a case */

/* How a configuration change ended. */
enum config_status {
	CONFIG_OK = 0,
	CONFIG_INVALID,    /* errors were added to the caller's struct jv naming each field */
	CONFIG_STALE,      /* the version sent is not the current one: nothing changed */
	CONFIG_NOT_FOUND,  /* no such standard, holiday or list */
	CONFIG_EXISTS,     /* the holiday date or the risk tool code and version is already there */
	CONFIG_FULL,       /* the calendar holds CALENDAR_MAX_HOLIDAYS holidays already */
	CONFIG_ERROR       /* the store failed: the caller rolls back */
};

/* One code of a list, as stored and as sent. */
struct config_code {
	char code[CONFIG_CODE_CHARS + 1];        /* stable key; records refer to it */
	char label[CONFIG_LABEL_CHARS * 4 + 1];  /* what people read (UTF-8) */
	char extra[16];                          /* strand: CIN code ("" none); decision outcome:
	                                            CONFIG_OPENS_CASE or ""; other lists "" */
	bool extra_given;                        /* input only: the request sent cin_code/opens_case;
	                                            when false the stored extra is kept */
	bool active;                             /* false: retired, new records may not use it */
	int sort;                                /* display order, 1..n */
};

/* One practice standard (practice_standards table). */
struct config_standard {
	char code[33];            /* referral_decision, first_assessment, ... */
	char name[101];           /* what people read */
	char start_event[101];    /* the event that starts its clock, in words */
	char end_event[101];      /* the event that stops it, in words */
	int limit_value;          /* 1..CONFIG_LIMIT_MAX */
	char limit_unit[16];      /* working_days, hours, days, months */
	char applies_to[33];      /* "" every subject; "risk:high" only cases rated high */
	bool repeats;             /* restarts at its end event */
	bool active;              /* false: no new clocks start */
	int sort;                 /* display order */
};

/* One configured bank holiday. */
struct config_holiday {
	char date[11];                                   /* YYYY-MM-DD */
	char name[CONFIG_HOLIDAY_NAME_CHARS * 4 + 1];    /* e.g. "Boxing Day" */
};

/* One stored risk tool version (without its definition text). */
struct config_risk_tool {
	int64_t id;               /* risk_tools.id: assessments refer to it */
	char code[65];            /* e.g. "exploitation-screening" */
	int version;              /* 1..RISK_VERSION_MAX */
	char name[801];           /* the tool's name */
	bool example;             /* the definition's "example" flag */
	bool active;              /* false once a newer version of the code is stored */
	int64_t created_at;       /* UTC seconds */
	int64_t created_by;       /* users.id, 0 for the shipped tool */
};

/*
 * config_list_from_url - the list name used in config_codes for its plural URL name:
 * "strands" -> CONFIG_STRAND ("strand"), "referral_sources", "decision_outcomes",
 * "closure_reasons", "meeting_types", "contact_types", "flag_types" likewise. NULL for anything
 * else (including the singular names). Returns a string constant.
 */
const char *config_list_from_url(const char *plural);

/*
 * config_list_names - the lists in display order as pairs {list, plural}: fills up to cap
 * entries of names[i][0] (the config_codes name) and names[i][1] (the plural used in URLs and
 * in GET /api/v1/config) with string constants and returns how many lists there are (7).
 */
size_t config_list_names(const char *names[][2], size_t cap);

/*
 * config_code_syntax - true when code is 1..CONFIG_CODE_CHARS characters, each an ASCII
 * letter, digit or underscore. (Lower case is the rule for new codes; the CIN census referral
 * source codes such as "1A" are upper case, so both are accepted.)
 */
bool config_code_syntax(const char *code);

/*
 * config_cin_code_normalise - check a CIN census factor code (0..CONFIG_CIN_CODE_CHARS ASCII
 * letters and digits; "" means none) and write it upper-cased into out[cap]. Returns false
 * (out unspecified) when it does not fit those rules or cap is too small.
 */
bool config_cin_code_normalise(const char *in, char *out, size_t cap);

/*
 * config_list_check_items - the rules of a list's new items that need no store, checked at the
 * edge once each item is read: adds to errors
 *   "items[i].code" "is given twice ..." for a code equal, ignoring case, to an earlier item's
 *       (so "1a" cannot sit beside "1A"; items without a code are skipped);
 *   "items" "must have at least one active code" when every item is inactive (or n is 0).
 * Also sets each item's sort to its position (1-based). Pure; no allocation.
 */
void config_list_check_items(struct config_code *items, size_t n, struct jv *errors);

/*
 * config_list_check_existing - the rule against the stored list existing[0..n_existing):
 * adds "items" "must keep every existing code ...: missing <codes>" naming up to 10 stored codes
 * that are not among items[0..n) (exact match). For each item whose extra_given is false, copies
 * the stored extra of the same code ("" for a new code). Pure; no allocation.
 */
void config_list_check_existing(const struct config_code *existing, size_t n_existing, struct config_code *items,
				size_t n, struct jv *errors);

/*
 * config_list_replace - replace list `list` (a config_codes name) with items[0..n), already
 * checked with config_list_check_items: labels, extras, order and active flags of existing codes
 * change, new codes are added. Checks `version` against config_version (CONFIG_STALE when
 * different: nothing is read or written beyond that), then config_list_check_existing against
 * the stored list (CONFIG_INVALID with errors),
 * then writes every item, bumps the version (*new_version gets it) and audits config.update
 * (object "config", the new version as id, detail "<list>: N added, N retired, N changed").
 * Items are modified as config_list_check_existing says. Returns CONFIG_OK or CONFIG_ERROR otherwise.
 */
enum config_status config_list_replace(struct store *st, const struct user *by, const char *list,
				       int64_t version, struct config_code *items, size_t n, struct jv *errors,
				       int64_t *new_version);

/*
 * config_standard_update - set practice standard `code`'s limit_value, limit_unit and active
 * flag (values already checked at the edge: 1..CONFIG_LIMIT_MAX, one of the four units).
 * Order: CONFIG_NOT_FOUND when there is no such standard; CONFIG_STALE when version is not
 * config_version; CONFIG_INVALID (error on "limit_value") when a working-day limit is above
 * CALENDAR_MAX_WORKING_DAYS, the most the calendar computes. Otherwise updates, bumps the
 * version (*new_version), and audits config.update (object "config", detail
 * "standard <code>: <old value> <old unit> -> <new value> <new unit>, active|inactive").
 * Running clocks keep their due times: only clocks started afterwards use the new limit.
 */
enum config_status config_standard_update(struct store *st, const struct user *by, const char *code,
					  int64_t version, int limit_value, const char *limit_unit, bool active,
					  struct jv *errors, int64_t *new_version);

/*
 * config_holiday_add - add bank holiday (date, name); date is YYYY-MM-DD already checked, name
 * already checked. CONFIG_FULL when CALENDAR_MAX_HOLIDAYS are configured already (checked
 * first), CONFIG_EXISTS when the date is, otherwise inserts and audits config.holiday_add
 * (detail the date).
 * Clocks already running keep their due times.
 */
enum config_status config_holiday_add(struct store *st, const struct user *by, const char *date, const char *name);

/*
 * config_holiday_delete - remove the bank holiday on `date` (any text: one that is not a
 * configured date gives CONFIG_NOT_FOUND); audits config.holiday_delete (detail the date).
 */
enum config_status config_holiday_delete(struct store *st, const struct user *by, const char *date);

/*
 * config_risk_tool_create - store a parsed, valid tool `t` as a new version: CONFIG_EXISTS when
 * (code, version) is stored; CONFIG_INVALID (error on "version" naming the latest) when a
 * higher version of the code is stored; otherwise inserts `definition_text` (risk_tool_json of
 * t, compact) as active, makes every older version of the code inactive, sets *id and *retired
 * (how many became inactive), and audits risk_tool.create (object "risk_tool", detail
 * "<code> v<version>; <n> older retired"). Old assessments keep the version they used.
 */
enum config_status config_risk_tool_create(struct store *st, const struct user *by, const struct risk_tool *t,
					   const char *definition_text, struct jv *errors, int64_t *id, int *retired);

#endif
