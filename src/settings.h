/*
 * settings.h - the hub-wide single-value settings (the `settings` table of sql/004_missing.sql):
 * mfh.home_authority, mfh.rhi_rule, mfh.repeat_count, mfh.repeat_days, match.link_threshold,
 * match.review_threshold. Values are stored as JSON text (a string or a number).
 * Owns: the list of known keys with their types and ranges, typed reads, and the validated,
 * audited change (config.update). Runs inside the caller's transaction.
 * Must not touch: HTTP, jansson (api_missing.c converts), SQL text (store_settings.c).
 */
#ifndef SAFEHUB_SETTINGS_H
#define SAFEHUB_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

#define SETTINGS_KEY_MAX 64           /* bytes in a key */
#define SETTINGS_TEXT_CHARS 100       /* characters in a text value (an authority's name) */
#define SETTINGS_MAX 16               /* items one change may carry */

/* Outcomes of settings operations. */
enum settings_status {
	SETTINGS_OK = 0,
	SETTINGS_UNKNOWN,    /* no such key (a field error on items.<key>) */
	SETTINGS_INVALID,    /* wrong type or out of range (a field error on items.<key>) */
	SETTINGS_ERROR       /* the store failed, or the stored value is not of the key's type */
};

/* The type of a setting's value. */
enum settings_type {
	SETTINGS_TEXT = 0,   /* a JSON string */
	SETTINGS_INT,        /* a JSON integer */
	SETTINGS_NUMBER      /* a JSON number */
};

/* One setting as read or as a change to make. */
struct settings_item {
	char key[SETTINGS_KEY_MAX + 1];
	enum settings_type type;                 /* the key's type (settings_type_of) */
	char text[SETTINGS_TEXT_CHARS * 4 + 1];  /* SETTINGS_TEXT: the value */
	int64_t i;                               /* SETTINGS_INT: the value */
	double d;                                /* SETTINGS_NUMBER: the value (also set for INT) */
};

/* The Missing From Home settings, read together (settings_mfh). */
struct settings_mfh {
	char home_authority[SETTINGS_TEXT_CHARS * 4 + 1]; /* mfh.home_authority, e.g. "Northby" */
	char rhi_rule[8];                        /* mfh.rhi_rule: "host" or "placing" */
	int repeat_count;                        /* mfh.repeat_count: 2-50 */
	int repeat_days;                         /* mfh.repeat_days: 1-730 */
};

/*
 * settings_type_of - the type of known key `key` into *type: SETTINGS_OK, or SETTINGS_UNKNOWN
 * when the hub has no such setting.
 */
enum settings_status settings_type_of(const char *key, enum settings_type *type);

/*
 * settings_get_text - the text setting `key` (a JSON string in the table) into out (cap bytes;
 * a value longer than cap - 1 is an error). Returns 0, or -1 when the key is missing, not a
 * string, too long, or the store failed.
 */
int settings_get_text(struct store *st, const char *key, char *out, size_t cap);

/* settings_get_int - the integer setting `key` into *out. 0, or -1 (missing, not an integer, store). */
int settings_get_int(struct store *st, const char *key, int64_t *out);

/* settings_get_double - the numeric setting `key` into *out. 0, or -1 (missing, not a number, store). */
int settings_get_double(struct store *st, const char *key, double *out);

/*
 * settings_mfh - the four mfh.* settings into *out. Returns 0, or -1 when one is missing or
 * malformed (the store failed).
 */
int settings_mfh(struct store *st, struct settings_mfh *out);

/*
 * settings_match_thresholds - match.link_threshold into *link and match.review_threshold into
 * *review (both 0-1, review <= link). Returns 0 or -1.
 */
int settings_match_thresholds(struct store *st, double *link, double *review);

/*
 * settings_check - check one change: the key is known (SETTINGS_UNKNOWN), the type matches and
 * the value is in range (SETTINGS_INVALID): mfh.home_authority 1-100 characters; mfh.rhi_rule
 * "host" | "placing"; mfh.repeat_count 2-50; mfh.repeat_days 1-730; thresholds 0-1. When not OK
 * and msg is not NULL, a sentence for the user is written to msg (cap bytes). Pure.
 */
enum settings_status settings_check(const struct settings_item *it, char *msg, size_t cap);

/*
 * settings_list - every known setting with its current value into items (at most max), in the
 * order of the table above; *n gets the count. Returns 0 or -1.
 */
int settings_list(struct store *st, struct settings_item *items, int max, int *n);

/*
 * settings_put - apply the n changes in items on behalf of `by` (each already passed
 * settings_check). The thresholds' rule is checked on the result (the changed values over the
 * stored ones): match.review_threshold <= match.link_threshold, else SETTINGS_INVALID with *bad
 * the index in items of the changed threshold (the review one when both changed). Writes each
 * value with updated_at now and updated_by by->id, and audits one config.update whose detail
 * names the keys and values. Returns SETTINGS_OK, SETTINGS_INVALID or SETTINGS_ERROR (the
 * caller rolls back).
 */
enum settings_status settings_put(struct store *st, const struct user *by, const struct settings_item *items,
				  int n, int *bad);

#endif
