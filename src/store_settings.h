/*
 * store_settings.h - the SQL side of the hub's single-value settings (the `settings` table of
 * sql/004_missing.sql). Values are JSON text; jansson is used here only to read and write that
 * column. Follows store.h's return convention: 0, STORE_NOTFOUND, -1.
 * Owns: the statements over `settings`. Must not touch: HTTP, the settings' rules (settings.c).
 */
#ifndef SAFEHUB_STORE_SETTINGS_H
#define SAFEHUB_STORE_SETTINGS_H

#include <stdint.h>

struct store;
struct settings_item;

/*
 * store_settings_get - the value of `key` into *out: out->key is set, out->type follows the
 * stored JSON (string: SETTINGS_TEXT into text; integer: SETTINGS_INT into i and d; real:
 * SETTINGS_NUMBER into d). Returns 0, STORE_NOTFOUND (no row), or -1 (store error, or a value
 * that is not a string or number, or a string longer than out->text holds).
 */
int store_settings_get(struct store *st, const char *key, struct settings_item *out);

/*
 * store_settings_put - write it->value (encoded by it->type) under it->key with updated_at `now`
 * and updated_by `by` (inserting the row when absent). Returns 0 or -1.
 */
int store_settings_put(struct store *st, const struct settings_item *it, int64_t by, int64_t now);

#endif
