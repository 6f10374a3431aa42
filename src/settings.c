/*
 * settings.c - the hub's single-value settings: which keys exist, their types and ranges, typed
 * reads and the audited change. See settings.h.
 * Owns: the key table below and the config.update audit entry of a settings change.
 * Must not touch: HTTP, jansson, SQL text (store_settings.c).
 */
#include "settings.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "store.h"
#include "store_settings.h"
#include "valid.h"

#define KEY_LINK "match.link_threshold"
#define KEY_REVIEW "match.review_threshold"

/* The known settings, in the order GET lists them. */
static const struct {
	const char *key;
	enum settings_type type;
} KEYS[] = {
	{ "mfh.home_authority", SETTINGS_TEXT },
	{ "mfh.rhi_rule", SETTINGS_TEXT },
	{ "mfh.repeat_count", SETTINGS_INT },
	{ "mfh.repeat_days", SETTINGS_INT },
	{ KEY_LINK, SETTINGS_NUMBER },
	{ KEY_REVIEW, SETTINGS_NUMBER },
};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

enum settings_status settings_type_of(const char *key, enum settings_type *type)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(KEYS[i].key, key) == 0) {
			*type = KEYS[i].type;
			return SETTINGS_OK;
		}
	return SETTINGS_UNKNOWN;
}

int settings_get_text(struct store *st, const char *key, char *out, size_t cap)
{
	struct settings_item it;
	if (cap == 0 || store_settings_get(st, key, &it) != 0 || it.type != SETTINGS_TEXT)
		return -1;
	size_t len = strlen(it.text);
	if (len >= cap)
		return -1;
	memcpy(out, it.text, len + 1);
	return 0;
}

int settings_get_int(struct store *st, const char *key, int64_t *out)
{
	struct settings_item it;
	if (store_settings_get(st, key, &it) != 0 || it.type != SETTINGS_INT)
		return -1;
	*out = it.i;
	return 0;
}

int settings_get_double(struct store *st, const char *key, double *out)
{
	struct settings_item it;
	if (store_settings_get(st, key, &it) != 0 || it.type == SETTINGS_TEXT)
		return -1;
	*out = it.d;
	return 0;
}

int settings_mfh(struct store *st, struct settings_mfh *out)
{
	int64_t count = 0, days = 0;
	memset(out, 0, sizeof *out);
	if (settings_get_text(st, "mfh.home_authority", out->home_authority, sizeof out->home_authority) != 0 ||
	    settings_get_text(st, "mfh.rhi_rule", out->rhi_rule, sizeof out->rhi_rule) != 0 ||
	    settings_get_int(st, "mfh.repeat_count", &count) != 0 ||
	    settings_get_int(st, "mfh.repeat_days", &days) != 0)
		return -1;
	out->repeat_count = (int)count;
	out->repeat_days = (int)days;
	return 0;
}

int settings_match_thresholds(struct store *st, double *link, double *review)
{
	return settings_get_double(st, KEY_LINK, link) == 0 && settings_get_double(st, KEY_REVIEW, review) == 0
		       ? 0
		       : -1;
}

/* Write a message into msg (when given) and return s. */
static enum settings_status said(enum settings_status s, char *msg, size_t cap, const char *text)
{
	if (msg && cap)
		snprintf(msg, cap, "%s", text);
	return s;
}

enum settings_status settings_check(const struct settings_item *it, char *msg, size_t cap)
{
	enum settings_type type;
	if (settings_type_of(it->key, &type) != SETTINGS_OK)
		return said(SETTINGS_UNKNOWN, msg, cap, "is not a known setting");
	if (type == SETTINGS_TEXT && it->type != SETTINGS_TEXT)
		return said(SETTINGS_INVALID, msg, cap, "must be text");
	if (type == SETTINGS_INT && it->type != SETTINGS_INT)
		return said(SETTINGS_INVALID, msg, cap, "must be a whole number");
	if (type == SETTINGS_NUMBER && it->type == SETTINGS_TEXT)
		return said(SETTINGS_INVALID, msg, cap, "must be a number");
	if (strcmp(it->key, "mfh.home_authority") == 0) {
		const char *why = valid_text(it->text, 1, SETTINGS_TEXT_CHARS, false);
		return why ? said(SETTINGS_INVALID, msg, cap, why) : SETTINGS_OK;
	}
	if (strcmp(it->key, "mfh.rhi_rule") == 0)
		return strcmp(it->text, "host") == 0 || strcmp(it->text, "placing") == 0
			       ? SETTINGS_OK
			       : said(SETTINGS_INVALID, msg, cap, "must be host or placing");
	if (strcmp(it->key, "mfh.repeat_count") == 0)
		return it->i >= 2 && it->i <= 50 ? SETTINGS_OK
						 : said(SETTINGS_INVALID, msg, cap, "must be a whole number from 2 to 50");
	if (strcmp(it->key, "mfh.repeat_days") == 0)
		return it->i >= 1 && it->i <= 730 ? SETTINGS_OK
						  : said(SETTINGS_INVALID, msg, cap, "must be a whole number from 1 to 730");
	/* The thresholds: a probability. */
	double d = it->type == SETTINGS_INT ? (double)it->i : it->d;
	return isfinite(d) && d >= 0 && d <= 1 ? SETTINGS_OK
					       : said(SETTINGS_INVALID, msg, cap, "must be a number from 0 to 1");
}

int settings_list(struct store *st, struct settings_item *items, int max, int *n)
{
	*n = 0;
	for (size_t i = 0; i < N_KEYS && *n < max; i++) {
		if (store_settings_get(st, KEYS[i].key, &items[*n]) != 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/* The value of a threshold after the change: the changed one when in items, else the stored one. */
static int threshold_after(struct store *st, const struct settings_item *items, int n, const char *key, double *out,
			   int *index)
{
	*index = -1;
	for (int i = 0; i < n; i++)
		if (strcmp(items[i].key, key) == 0) {
			*out = items[i].type == SETTINGS_INT ? (double)items[i].i : items[i].d;
			*index = i;
		}
	return *index >= 0 ? 0 : settings_get_double(st, key, out);
}

enum settings_status settings_put(struct store *st, const struct user *by, const struct settings_item *items,
				  int n, int *bad)
{
	double link = 0, review = 0;
	int link_i, review_i;
	*bad = -1;
	if (threshold_after(st, items, n, KEY_LINK, &link, &link_i) != 0 ||
	    threshold_after(st, items, n, KEY_REVIEW, &review, &review_i) != 0)
		return SETTINGS_ERROR;
	if (review > link) {
		*bad = review_i >= 0 ? review_i : link_i;
		return SETTINGS_INVALID;
	}
	int64_t now = store_now();
	char detail[256] = "";
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		struct settings_item it = items[i];
		if (it.type == SETTINGS_INT) {
			enum settings_type want;
			/* A whole number given for a numeric key is stored as that number. */
			if (settings_type_of(it.key, &want) == SETTINGS_OK && want == SETTINGS_NUMBER) {
				it.type = SETTINGS_NUMBER;
				it.d = (double)it.i;
			}
		}
		if (store_settings_put(st, &it, by->id, now) != 0)
			return SETTINGS_ERROR;
		char value[SETTINGS_TEXT_CHARS * 4 + 1];
		if (it.type == SETTINGS_TEXT)
			snprintf(value, sizeof value, "%s", it.text);
		else if (it.type == SETTINGS_INT)
			snprintf(value, sizeof value, "%lld", (long long)it.i);
		else
			snprintf(value, sizeof value, "%g", it.d);
		if (len < sizeof detail)
			len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%s=%s", i ? "; " : "", it.key,
						value);
	}
	/* A value cut by the detail's size must not leave half a UTF-8 character. */
	len = strlen(detail);
	if (len == sizeof detail - 1) {
		while (len > 0 && ((unsigned char)detail[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0 && (unsigned char)detail[len - 1] >= 0xc0)
			len--;
		detail[len] = 0;
	}
	struct audit_entry e;
	audit_fill(&e, by, "config.update", "settings", 0, "ok", detail);
	return audit_record(st, &e) == 0 ? SETTINGS_OK : SETTINGS_ERROR;
}
