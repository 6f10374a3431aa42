/*
 * json.c - field-error collecting getters over jansson. See json.h.
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "valid.h"

void jv_error(struct jv *v, const char *field, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!v->errors)
		v->errors = json_array();
	json_array_append_new(v->errors, json_pack("{s:s, s:s}", "field", field, "message", msg));
}

bool jv_failed(const struct jv *v)
{
	return v->errors && json_array_size(v->errors) > 0;
}

json_t *jv_take(struct jv *v)
{
	json_t *e = v->errors ? v->errors : json_array();
	v->errors = NULL;
	return e;
}

bool jv_string(struct jv *v, json_t *obj, const char *key, const char *path, size_t min, size_t max,
	       bool multiline, char *out, size_t cap)
{
	out[0] = 0;
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x)) {
		if (min > 0) {
			jv_error(v, path, "is required");
			return false;
		}
		return true;
	}
	if (!json_is_string(x)) {
		jv_error(v, path, "must be a string");
		return false;
	}
	const char *s = json_string_value(x);
	size_t len = json_string_length(x);
	if (strlen(s) != len) {
		jv_error(v, path, "contains a NUL character");
		return false;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || (multiline && (s[len - 1] == '\n' || s[len - 1] == '\r'))))
		len--;
	if (len >= cap) {
		jv_error(v, path, "must be %zu characters or fewer", max);
		return false;
	}
	memcpy(out, s, len);
	out[len] = 0;
	if (len == 0 && min > 0) {
		jv_error(v, path, "is required");
		return false;
	}
	const char *why = valid_text(out, min, max, multiline);
	if (why) {
		jv_error(v, path, "%s", why);
		out[0] = 0;
		return false;
	}
	return true;
}

bool jv_bool(struct jv *v, json_t *obj, const char *key, const char *path, bool def)
{
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x))
		return def;
	if (!json_is_boolean(x)) {
		jv_error(v, path, "must be true or false");
		return def;
	}
	return json_is_true(x);
}

json_t *jv_array(struct jv *v, json_t *obj, const char *key, const char *path, size_t max, size_t *n)
{
	*n = 0;
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x))
		return NULL;
	if (!json_is_array(x)) {
		jv_error(v, path, "must be a list");
		return NULL;
	}
	if (json_array_size(x) > max) {
		jv_error(v, path, "must have %zu items or fewer", max);
		return NULL;
	}
	*n = json_array_size(x);
	return x;
}

void jv_known(struct jv *v, json_t *obj, const char *prefix, const char *const known[])
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		bool ok = false;
		for (int i = 0; known[i]; i++)
			if (strcmp(key, known[i]) == 0) {
				ok = true;
				break;
			}
		if (!ok) {
			char field[200];
			snprintf(field, sizeof field, "%s%.100s", prefix, key);
			jv_error(v, field, "is not a known field");
		}
	}
}

json_t *jv_time(long long utc_seconds)
{
	if (!utc_seconds)
		return json_null();
	char buf[21];
	valid_format_time(utc_seconds, buf);
	return json_string(buf);
}
