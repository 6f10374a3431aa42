/*
 * store_settings.c - SQL for the settings table. See store_settings.h.
 * Owns: these statements and the JSON encoding of a value. Must not touch: HTTP, the rules of
 * which keys exist and what they may hold (settings.c).
 */
#include "store_settings.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "store.h"
#include "store_int.h"

static const char SQL_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_PUT[] =
	"INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, nullif(?4, 0))"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,"
	" updated_by = excluded.updated_by";

/* Decode the JSON text of a value into *out (key already set). 0 or -1. */
static int decode(const char *text, struct settings_item *out)
{
	json_t *v = json_loads(text ? text : "", JSON_DECODE_ANY, NULL);
	int rc = 0;
	if (json_is_string(v)) {
		out->type = SETTINGS_TEXT;
		if (json_string_length(v) >= sizeof out->text)
			rc = -1;
		else
			memcpy(out->text, json_string_value(v), json_string_length(v) + 1);
	} else if (json_is_integer(v)) {
		out->type = SETTINGS_INT;
		out->i = json_integer_value(v);
		out->d = (double)out->i;
	} else if (json_is_real(v)) {
		out->type = SETTINGS_NUMBER;
		out->d = json_real_value(v);
	} else {
		rc = -1;
	}
	json_decref(v);
	return rc;
}

int store_settings_get(struct store *st, const char *key, struct settings_item *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GET);
	if (!s)
		return -1;
	memset(out, 0, sizeof *out);
	snprintf(out->key, sizeof out->key, "%s", key);
	store_text(s, 1, key);
	int rc = sqlite3_step(s);
	int ret = rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	if (rc == SQLITE_ROW)
		ret = decode((const char *)sqlite3_column_text(s, 0), out);
	sqlite3_reset(s);
	return ret;
}

int store_settings_put(struct store *st, const struct settings_item *it, int64_t by, int64_t now)
{
	json_t *v = it->type == SETTINGS_TEXT ? json_string(it->text)
		    : it->type == SETTINGS_INT ? json_integer(it->i)
					       : json_real(it->d);
	char *text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_PUT);
	if (!s) {
		free(text);
		return -1;
	}
	store_text(s, 1, it->key);
	store_text(s, 2, text);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, by);
	free(text);
	return store_done(st, s) == 0 ? 0 : -1;
}
