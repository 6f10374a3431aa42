/*
 * json.h - typed getters over jansson objects that collect field errors instead of failing on
 * the first: a handler validates a whole body and answers one 422 naming every bad field.
 * Owns: the error list and the field-path format ("addresses[0].postcode").
 * Must not touch: HTTP, SQL, the domain.
 */
#ifndef SAFEHUB_JSON_H
#define SAFEHUB_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A validation in progress. */
struct jv {
	json_t *errors;   /* array of {"field","message"}; NULL until the first error */
};

/* jv_error - add an error for `field` (printf-style message). */
void jv_error(struct jv *v, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* jv_failed - true when any error was added. */
bool jv_failed(const struct jv *v);

/* jv_take - the error array (the caller owns the reference), leaving v empty. */
json_t *jv_take(struct jv *v);

/*
 * jv_string - read obj[key] as a string into out[cap]: trimmed of leading and trailing spaces,
 * checked with valid_text(min..max characters, multiline). Absent or null reads as "" (an error
 * "is required" when min > 0). A non-string is an error. `path` is the field name for errors.
 * Returns true when valid.
 */
bool jv_string(struct jv *v, json_t *obj, const char *key, const char *path, size_t min, size_t max,
	       bool multiline, char *out, size_t cap);

/* jv_bool - obj[key] as a boolean (absent: def). Non-boolean is an error. */
bool jv_bool(struct jv *v, json_t *obj, const char *key, const char *path, bool def);

/*
 * jv_array - obj[key] as an array of at most max items (absent or null: empty array, returns
 * NULL and *n = 0). A non-array or a longer one is an error. Borrowed reference.
 */
json_t *jv_array(struct jv *v, json_t *obj, const char *key, const char *path, size_t max, size_t *n);

/*
 * jv_known - add "is not a known field" for every member of obj not in known (NULL-terminated),
 * with the field path prefix (e.g. "identifiers.").
 */
void jv_known(struct jv *v, json_t *obj, const char *prefix, const char *const known[]);

/* jv_time_string - a new JSON string with the RFC 3339 form of UTC seconds (null for 0). */
json_t *jv_time(long long utc_seconds);

#endif
