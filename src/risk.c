/*
 * risk.c - risk tool definitions and risk assessments. See risk.h for the contract and
 * docs/risk-tools.md for the format as hubs read it.
 *
 * Owns: checking a definition into a struct risk_tool, scoring answers, floors and overrides, and
 * the JSON forms of a tool and a result. Must not touch: HTTP, SQL, files, global state.
 *
 * Every check goes through `fail`, which counts the errors this call added: the caller's struct jv
 * may already hold errors of its own, and a count we keep ourselves cannot be fooled by them.
 */
#include "risk.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valid.h"

/* A check in progress: where errors go and how many this call added. */
struct check {
	struct jv *v;
	size_t n;
};

/* Field paths are at most "domains[29].indicators[199].options[9].score" or "answers." + 100 bytes. */
#define PATH_CAP 160

/* The most unknown answer codes named one by one before a single summary error. */
#define UNKNOWN_ANSWERS_NAMED 20

static const char *const level_names[] = { NULL, "low", "medium", "high" };
static const char *const floor_kind_names[] = { NULL, "disclosure", "age_at_most", "indicator" };

/*
 * utf8_cut - drop an incomplete UTF-8 sequence left at the end of s by a truncating snprintf,
 * so the text stays valid UTF-8 (jansson refuses strings that are not, and the error would be lost).
 */
static void utf8_cut(char *s)
{
	size_t i = strlen(s), k = 0;
	while (i > 0 && k < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		k++;
	}
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
	if (k + 1 < need)
		s[i - 1] = 0;
}

/* fail - add an error on `field` to the caller's list and count it. */
__attribute__((format(printf, 3, 4)))
static void fail(struct check *c, const char *field, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	utf8_cut(msg);
	c->n++;
	jv_error(c->v, field, "%s", msg);
}

/* fmt_path - format a field path ("%s.label" with "domains[2]") into out[PATH_CAP], cut cleanly. */
__attribute__((format(printf, 2, 3)))
static void fmt_path(char out[PATH_CAP], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, PATH_CAP, fmt, ap);
	va_end(ap);
	utf8_cut(out);
}

/* ---- typed getters that count their errors --------------------------------------------------- */

/* check_known - an error "is not a known field" for each member of obj not in known (NULL-terminated). */
static void check_known(struct check *c, json_t *obj, const char *prefix, const char *const names[])
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		bool ok = false;
		for (size_t i = 0; names[i] && !ok; i++)
			ok = strcmp(key, names[i]) == 0;
		if (!ok) {
			char field[PATH_CAP];
			fmt_path(field, "%s%.100s", prefix, key);
			fail(c, field, "is not a known field");
		}
	}
}

/* get_text - jv_string, counting a failure. */
static bool get_text(struct check *c, json_t *obj, const char *key, const char *field, size_t min, size_t max,
		 bool multiline, char *out, size_t cap)
{
	if (jv_string(c->v, obj, key, field, min, max, multiline, out, cap))
		return true;
	c->n++;
	return false;
}

/* code_ok - 1..RISK_CODE_CHARS of a-z 0-9 _ -, starting with a-z. */
static bool code_ok(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	size_t n = 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return n <= RISK_CODE_CHARS;
}

/* get_code - a required code into out[RISK_CODE_CHARS + 1]; "" when invalid. */
static bool get_code(struct check *c, json_t *obj, const char *field, char out[RISK_CODE_CHARS + 1])
{
	if (!get_text(c, obj, "code", field, 1, RISK_CODE_CHARS, false, out, RISK_CODE_CHARS + 1))
		return false;
	if (!code_ok(out)) {
		fail(c, field, "must be lower-case letters a-z, digits, '_' or '-', starting with a letter");
		out[0] = 0;
		return false;
	}
	return true;
}

/* get_int - obj[key] as a whole number in min..max. Absent or null: an error when required. */
static bool get_int(struct check *c, json_t *obj, const char *key, const char *field, int min, int max,
		    bool required, int *out)
{
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x)) {
		if (required)
			fail(c, field, "is required");
		return false;
	}
	if (!json_is_integer(x)) {
		fail(c, field, "must be a whole number");
		return false;
	}
	json_int_t n = json_integer_value(x);
	if (n < min || n > max) {
		fail(c, field, "must be from %d to %d", min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

/* get_bool - obj[key] as true or false; absent or null: false. */
static bool get_bool(struct check *c, json_t *obj, const char *key, const char *field)
{
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x))
		return false;
	if (!json_is_boolean(x)) {
		fail(c, field, "must be true or false");
		return false;
	}
	return json_is_true(x);
}

/* get_list - obj[key] as an array of min..max items (absent or null: an error when min > 0). */
static json_t *get_list(struct check *c, json_t *obj, const char *key, const char *field, size_t min, size_t max,
		    size_t *n)
{
	*n = 0;
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x)) {
		if (min > 0)
			fail(c, field, "is required");
		return NULL;
	}
	if (!json_is_array(x)) {
		fail(c, field, "must be a list");
		return NULL;
	}
	size_t k = json_array_size(x);
	if (k < min) {
		fail(c, field, "must have at least %zu item%s", min, min == 1 ? "" : "s");
		return NULL;
	}
	if (k > max) {
		fail(c, field, "must have %zu items or fewer", max);
		return NULL;
	}
	*n = k;
	return x;
}

/* forbid - an error when obj has member key at all (a member that belongs to another kind). */
static void forbid(struct check *c, json_t *obj, const char *key, const char *field, const char *why)
{
	if (json_object_get(obj, key))
		fail(c, field, "%s", why);
}

/* get_word - obj[key] when it is a string, else NULL (an error when present and not a string). */
static const char *get_word(struct check *c, json_t *obj, const char *key, const char *field, const char *what)
{
	json_t *x = json_object_get(obj, key);
	if (!x || json_is_null(x)) {
		fail(c, field, "is required");
		return NULL;
	}
	if (!json_is_string(x)) {
		fail(c, field, "must be %s", what);
		return NULL;
	}
	return json_string_value(x);
}

/* ---- levels ---------------------------------------------------------------------------------- */

int risk_level_rank(const char *name)
{
	if (!name)
		return 0;
	for (int i = RISK_LOW; i <= RISK_HIGH; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return 0;
}

const char *risk_level_name(enum risk_level level)
{
	return level >= RISK_LOW && level <= RISK_HIGH ? level_names[level] : NULL;
}

/* ---- definitions ----------------------------------------------------------------------------- */

/* find_indicator - index of the indicator with this code among the first n, or -1. */
static long find_indicator(const struct risk_indicator *ind, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (ind[i].code[0] && strcmp(ind[i].code, code) == 0)
			return (long)i;
	return -1;
}

/* find_option - index of the option with this code, or -1. */
static int find_option(const struct risk_indicator *ind, const char *code)
{
	for (size_t i = 0; i < ind->n_options; i++)
		if (strcmp(ind->options[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* parse_options - the options of choice indicator `ind` at `base`. Returns false on no memory. */
static bool parse_options(struct check *c, json_t *obj, const char *base, struct risk_indicator *ind)
{
	char field[PATH_CAP], item[PATH_CAP];
	size_t n;
	fmt_path(field, "%s.options", base);
	json_t *arr = get_list(c, obj, "options", field, RISK_OPTIONS_MIN, RISK_OPTIONS_MAX, &n);
	if (!arr)
		return true;
	ind->options = calloc(n, sizeof *ind->options);
	if (!ind->options)
		return false;
	static const char *const names[] = { "code", "label", "score", NULL };
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		struct risk_option *opt = &ind->options[ind->n_options++];
		fmt_path(item, "%s.options[%zu]", base, i);
		if (!json_is_object(o)) {
			fail(c, item, "must be an object");
			continue;
		}
		fmt_path(field, "%s.", item);
		check_known(c, o, field, names);
		fmt_path(field, "%s.code", item);
		if (get_code(c, o, field, opt->code))
			for (size_t j = 0; j < i; j++)
				if (strcmp(ind->options[j].code, opt->code) == 0) {
					fail(c, field, "repeats the code of options[%zu]", j);
					break;
				}
		fmt_path(field, "%s.label", item);
		get_text(c, o, "label", field, 1, RISK_LABEL_CHARS, false, opt->label, sizeof opt->label);
		fmt_path(field, "%s.score", item);
		get_int(c, o, "score", field, 0, RISK_SCORE_MAX, true, &opt->score);
		if (opt->score > ind->max_score)
			ind->max_score = opt->score;
	}
	return true;
}

/*
 * parse_indicator - indicator `ind` (already counted in t->n_indicators) from obj at `base`.
 * Returns false on no memory.
 */
static bool parse_indicator(struct check *c, struct risk_tool *t, json_t *obj, const char *base,
			    struct risk_indicator *ind)
{
	char field[PATH_CAP];
	static const char *const names[] = { "code", "label", "hint", "type", "score", "options", "disclosure", NULL };
	if (!json_is_object(obj)) {
		fail(c, base, "must be an object");
		return true;
	}
	fmt_path(field, "%s.", base);
	check_known(c, obj, field, names);
	fmt_path(field, "%s.code", base);
	if (get_code(c, obj, field, ind->code)) {
		long dup = find_indicator(t->indicators, (size_t)(ind - t->indicators), ind->code);
		if (dup >= 0) {
			const struct risk_indicator *d = &t->indicators[dup];
			fail(c, field, "repeats the code of domains[%zu].indicators[%zu]: indicator codes must be unique in the tool",
			     d->domain, (size_t)dup - t->domains[d->domain].first);
		}
	}
	fmt_path(field, "%s.label", base);
	get_text(c, obj, "label", field, 1, RISK_LABEL_CHARS, false, ind->label, sizeof ind->label);
	fmt_path(field, "%s.hint", base);
	get_text(c, obj, "hint", field, 0, RISK_HINT_CHARS, false, ind->hint, sizeof ind->hint);

	fmt_path(field, "%s.type", base);
	const char *type = get_word(c, obj, "type", field, "\"yesno\" or \"choice\"");
	if (!type)
		return true;
	if (strcmp(type, "yesno") == 0) {
		ind->type = RISK_YESNO;
		fmt_path(field, "%s.score", base);
		get_int(c, obj, "score", field, 0, RISK_SCORE_MAX, true, &ind->score);
		ind->max_score = ind->score;
		fmt_path(field, "%s.options", base);
		forbid(c, obj, "options", field, "is only for a \"choice\" indicator");
		fmt_path(field, "%s.disclosure", base);
		ind->disclosure = get_bool(c, obj, "disclosure", field);
		return true;
	}
	if (strcmp(type, "choice") == 0) {
		ind->type = RISK_CHOICE;
		fmt_path(field, "%s.score", base);
		forbid(c, obj, "score", field, "is only for a \"yesno\" indicator: a choice scores by its options");
		fmt_path(field, "%s.disclosure", base);
		forbid(c, obj, "disclosure", field, "is only for a \"yesno\" indicator");
		return parse_options(c, obj, base, ind);
	}
	fail(c, field, "must be \"yesno\" or \"choice\"");
	return true;
}

/* parse_domains - def.domains into t->domains and t->indicators. Returns false on no memory. */
static bool parse_domains(struct check *c, struct risk_tool *t, json_t *def)
{
	size_t nd;
	json_t *arr = get_list(c, def, "domains", "domains", 1, RISK_DOMAINS_MAX, &nd);
	if (!arr)
		return true;

	/* Count the indicators first: the cap is on the whole tool, and the array is allocated once. */
	size_t total = 0;
	for (size_t i = 0; i < nd; i++) {
		json_t *inds = json_object_get(json_array_get(arr, i), "indicators");
		if (json_is_array(inds))
			total += json_array_size(inds);
	}
	if (total > RISK_INDICATORS_MAX) {
		fail(c, "domains", "must have %d indicators or fewer in all (these have %zu)", RISK_INDICATORS_MAX, total);
		return true;
	}
	t->domains = calloc(nd, sizeof *t->domains);
	t->indicators = calloc(total ? total : 1, sizeof *t->indicators);
	if (!t->domains || !t->indicators)
		return false;

	static const char *const names[] = { "code", "label", "indicators", NULL };
	char base[PATH_CAP], field[PATH_CAP], item[PATH_CAP];
	for (size_t i = 0; i < nd; i++) {
		json_t *d = json_array_get(arr, i);
		struct risk_domain *dom = &t->domains[t->n_domains++];
		dom->first = t->n_indicators;
		fmt_path(base, "domains[%zu]", i);
		if (!json_is_object(d)) {
			fail(c, base, "must be an object");
			continue;
		}
		fmt_path(field, "%s.", base);
		check_known(c, d, field, names);
		fmt_path(field, "%s.code", base);
		if (get_code(c, d, field, dom->code))
			for (size_t j = 0; j < i; j++)
				if (strcmp(t->domains[j].code, dom->code) == 0) {
					fail(c, field, "repeats the code of domains[%zu]", j);
					break;
				}
		fmt_path(field, "%s.label", base);
		get_text(c, d, "label", field, 1, RISK_LABEL_CHARS, false, dom->label, sizeof dom->label);
		size_t ni;
		fmt_path(field, "%s.indicators", base);
		json_t *inds = get_list(c, d, "indicators", field, 1, RISK_INDICATORS_MAX, &ni);
		for (size_t j = 0; j < ni; j++) {
			struct risk_indicator *ind = &t->indicators[t->n_indicators++];
			ind->domain = i;
			fmt_path(item, "%s.indicators[%zu]", base, j);
			if (!parse_indicator(c, t, json_array_get(inds, j), item, ind))
				return false;
			dom->max_score += ind->max_score;
		}
		dom->count = t->n_indicators - dom->first;
		t->max_score += dom->max_score;
	}
	return true;
}

/* parse_floor - floors[i] from obj into *f. */
static void parse_floor(struct check *c, const struct risk_tool *t, json_t *obj, size_t i, struct risk_floor *f)
{
	char base[PATH_CAP], field[PATH_CAP];
	static const char *const names[] = { "when", "level", "label", "age", "indicator", "option", NULL };
	fmt_path(base, "floors[%zu]", i);
	f->option = -1;
	if (!json_is_object(obj)) {
		fail(c, base, "must be an object");
		return;
	}
	fmt_path(field, "%s.", base);
	check_known(c, obj, field, names);

	fmt_path(field, "%s.level", base);
	const char *level = get_word(c, obj, "level", field, "\"medium\" or \"high\"");
	if (level) {
		int rank = risk_level_rank(level);
		if (rank == RISK_LOW)
			fail(c, field, "must be \"medium\" or \"high\": a floor at low would change nothing");
		else if (rank == 0)
			fail(c, field, "must be \"medium\" or \"high\"");
		else
			f->level = (enum risk_level)rank;
	}
	fmt_path(field, "%s.label", base);
	get_text(c, obj, "label", field, 1, RISK_LABEL_CHARS, false, f->label, sizeof f->label);

	fmt_path(field, "%s.when", base);
	const char *when = get_word(c, obj, "when", field, "\"disclosure\", \"age_at_most\" or \"indicator\"");
	if (!when)
		return;
	char age_f[PATH_CAP], ind_f[PATH_CAP], opt_f[PATH_CAP];
	fmt_path(age_f, "%s.age", base);
	fmt_path(ind_f, "%s.indicator", base);
	fmt_path(opt_f, "%s.option", base);
	if (strcmp(when, "disclosure") == 0) {
		f->kind = RISK_FLOOR_DISCLOSURE;
		forbid(c, obj, "age", age_f, "is only for an \"age_at_most\" floor");
		forbid(c, obj, "indicator", ind_f, "is only for an \"indicator\" floor");
		forbid(c, obj, "option", opt_f, "is only for an \"indicator\" floor");
		bool any = false;
		for (size_t k = 0; k < t->n_indicators && !any; k++)
			any = t->indicators[k].disclosure;
		if (!any)
			fail(c, field, "needs an indicator marked \"disclosure\": true, and no indicator is");
	} else if (strcmp(when, "age_at_most") == 0) {
		f->kind = RISK_FLOOR_AGE_AT_MOST;
		get_int(c, obj, "age", age_f, 0, RISK_FLOOR_AGE_MAX, true, &f->age);
		forbid(c, obj, "indicator", ind_f, "is only for an \"indicator\" floor");
		forbid(c, obj, "option", opt_f, "is only for an \"indicator\" floor");
	} else if (strcmp(when, "indicator") == 0) {
		f->kind = RISK_FLOOR_INDICATOR;
		forbid(c, obj, "age", age_f, "is only for an \"age_at_most\" floor");
		const char *ic = get_word(c, obj, "indicator", ind_f, "an indicator code");
		if (!ic)
			return;
		long k = find_indicator(t->indicators, t->n_indicators, ic);
		if (k < 0) {
			fail(c, ind_f, "is not an indicator of this tool");
			return;
		}
		f->indicator = (size_t)k;
		const struct risk_indicator *ind = &t->indicators[k];
		if (ind->type == RISK_CHOICE) {
			const char *oc = get_word(c, obj, "option", opt_f, "an option code");
			if (oc && (f->option = find_option(ind, oc)) < 0)
				fail(c, opt_f, "is not an option of indicator \"%s\"", ind->code);
		} else {
			forbid(c, obj, "option", opt_f, "is only for a \"choice\" indicator: a yes/no floor holds on yes");
		}
	} else {
		fail(c, field, "must be \"disclosure\", \"age_at_most\" or \"indicator\"");
	}
}

/* parse_levels - def.levels must be exactly ["low", "medium", "high"]. */
static void parse_levels(struct check *c, json_t *def)
{
	json_t *x = json_object_get(def, "levels");
	bool ok = json_is_array(x) && json_array_size(x) == 3;
	for (size_t i = 0; ok && i < 3; i++) {
		json_t *s = json_array_get(x, i);
		ok = json_is_string(s) && strcmp(json_string_value(s), level_names[i + 1]) == 0;
	}
	if (!ok)
		fail(c, "levels", "must be [\"low\", \"medium\", \"high\"]");
}

enum risk_status risk_tool_parse(json_t *def, struct risk_tool **out, struct jv *errors)
{
	struct check c = { errors, 0 };
	enum risk_status st = RISK_INVALID;
	*out = NULL;
	if (!json_is_object(def)) {
		fail(&c, "definition", "must be a JSON object");
		return RISK_INVALID;
	}
	struct risk_tool *t = calloc(1, sizeof *t);
	if (!t)
		return RISK_NOMEM;

	static const char *const names[] = { "code", "version", "name", "description", "example", "levels",
					     "thresholds", "domains", "floors", NULL };
	check_known(&c, def, "", names);
	get_code(&c, def, "code", t->code);
	get_int(&c, def, "version", "version", 1, RISK_VERSION_MAX, true, &t->version);
	get_text(&c, def, "name", "name", 1, RISK_NAME_CHARS, false, t->name, sizeof t->name);
	get_text(&c, def, "description", "description", 0, RISK_DESCRIPTION_CHARS, true, t->description,
	     sizeof t->description);
	t->example = get_bool(&c, def, "example", "example");
	parse_levels(&c, def);

	bool thresholds_ok = false;
	json_t *th = json_object_get(def, "thresholds");
	if (!th || json_is_null(th)) {
		fail(&c, "thresholds", "is required");
	} else if (!json_is_object(th)) {
		fail(&c, "thresholds", "must be an object {\"medium\": score, \"high\": score}");
	} else {
		static const char *const tnames[] = { "medium", "high", NULL };
		check_known(&c, th, "thresholds.", tnames);
		bool m = get_int(&c, th, "medium", "thresholds.medium", 1, RISK_THRESHOLD_MAX, true, &t->threshold_medium);
		bool h = get_int(&c, th, "high", "thresholds.high", 1, RISK_THRESHOLD_MAX, true, &t->threshold_high);
		if (m && h && t->threshold_high <= t->threshold_medium)
			fail(&c, "thresholds.high", "must be more than thresholds.medium (%d)", t->threshold_medium);
		else
			thresholds_ok = m && h;
	}

	size_t before = c.n;
	if (!parse_domains(&c, t, def)) {
		st = RISK_NOMEM;
		goto out;
	}
	/* Only a fully valid set of indicators gives a maximum worth comparing with. */
	if (thresholds_ok && c.n == before && t->threshold_high > t->max_score)
		fail(&c, "thresholds.high", "is more than the highest score the indicators can reach (%d)", t->max_score);

	size_t nf;
	json_t *floors = get_list(&c, def, "floors", "floors", 0, RISK_FLOORS_MAX, &nf);
	bool disclosure_floor = false;
	for (size_t i = 0; i < nf; i++) {
		struct risk_floor *f = &t->floors[t->n_floors++];
		parse_floor(&c, t, json_array_get(floors, i), i, f);
		disclosure_floor |= f->kind == RISK_FLOOR_DISCLOSURE;
	}
	if (!disclosure_floor)
		for (size_t k = 0; k < t->n_indicators; k++)
			if (t->indicators[k].disclosure) {
				fail(&c, "floors", "must have a \"disclosure\" floor: indicator \"%s\" is marked as a disclosure",
				     t->indicators[k].code);
				break;
			}

	if (c.n == 0) {
		*out = t;
		t = NULL;
		st = RISK_OK;
	}
out:
	risk_tool_free(t);
	return st;
}

enum risk_status risk_tool_parse_text(const char *text, size_t len, struct risk_tool **out, struct jv *errors)
{
	json_error_t e;
	*out = NULL;
	json_t *def = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!def) {
		if (json_error_code(&e) == json_error_out_of_memory)
			return RISK_NOMEM;
		struct check c = { errors, 0 };
		fail(&c, "definition", "is not valid JSON (line %d, column %d: %s)", e.line, e.column, e.text);
		return RISK_INVALID;
	}
	enum risk_status st = risk_tool_parse(def, out, errors);
	json_decref(def);
	return st;
}

void risk_tool_free(struct risk_tool *t)
{
	if (!t)
		return;
	if (t->indicators)
		for (size_t i = 0; i < t->n_indicators; i++)
			free(t->indicators[i].options);
	free(t->indicators);
	free(t->domains);
	free(t);
}

/* ---- JSON out -------------------------------------------------------------------------------- */

/* put / add - set or append v (stolen), clearing *ok when anything is NULL or fails. */
static void put(bool *ok, json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v) != 0) {
		if (!o)
			json_decref(v);
		*ok = false;
	}
}

static void add(bool *ok, json_t *a, json_t *v)
{
	if (!a || !v || json_array_append_new(a, v) != 0) {
		if (!a)
			json_decref(v);
		*ok = false;
	}
}

/* level_json - a level's name, or null for RISK_LEVEL_NONE. */
static json_t *level_json(enum risk_level level)
{
	const char *s = risk_level_name(level);
	return s ? json_string(s) : json_null();
}

json_t *risk_tool_json(const struct risk_tool *t)
{
	bool ok = true;
	json_t *root = json_object();
	put(&ok, root, "code", json_string(t->code));
	put(&ok, root, "version", json_integer(t->version));
	put(&ok, root, "name", json_string(t->name));
	if (t->description[0])
		put(&ok, root, "description", json_string(t->description));
	put(&ok, root, "example", json_boolean(t->example));
	put(&ok, root, "levels", json_pack("[sss]", "low", "medium", "high"));
	put(&ok, root, "thresholds", json_pack("{s:i, s:i}", "medium", t->threshold_medium, "high", t->threshold_high));

	json_t *domains = json_array();
	put(&ok, root, "domains", domains);
	for (size_t i = 0; ok && i < t->n_domains; i++) {
		const struct risk_domain *d = &t->domains[i];
		json_t *dj = json_object(), *inds = json_array();
		add(&ok, domains, dj);
		put(&ok, dj, "code", json_string(d->code));
		put(&ok, dj, "label", json_string(d->label));
		put(&ok, dj, "indicators", inds);
		for (size_t k = d->first; ok && k < d->first + d->count; k++) {
			const struct risk_indicator *ind = &t->indicators[k];
			json_t *ij = json_object();
			add(&ok, inds, ij);
			put(&ok, ij, "code", json_string(ind->code));
			put(&ok, ij, "label", json_string(ind->label));
			if (ind->hint[0])
				put(&ok, ij, "hint", json_string(ind->hint));
			if (ind->type == RISK_YESNO) {
				put(&ok, ij, "type", json_string("yesno"));
				put(&ok, ij, "score", json_integer(ind->score));
				if (ind->disclosure)
					put(&ok, ij, "disclosure", json_true());
				continue;
			}
			put(&ok, ij, "type", json_string("choice"));
			json_t *opts = json_array();
			put(&ok, ij, "options", opts);
			for (size_t o = 0; ok && o < ind->n_options; o++)
				add(&ok, opts, json_pack("{s:s, s:s, s:i}", "code", ind->options[o].code, "label",
							 ind->options[o].label, "score", ind->options[o].score));
		}
	}

	json_t *floors = json_array();
	put(&ok, root, "floors", floors);
	for (size_t i = 0; ok && i < t->n_floors; i++) {
		const struct risk_floor *f = &t->floors[i];
		json_t *fj = json_object();
		add(&ok, floors, fj);
		put(&ok, fj, "when", json_string(floor_kind_names[f->kind]));
		if (f->kind == RISK_FLOOR_AGE_AT_MOST)
			put(&ok, fj, "age", json_integer(f->age));
		if (f->kind == RISK_FLOOR_INDICATOR) {
			const struct risk_indicator *ind = &t->indicators[f->indicator];
			put(&ok, fj, "indicator", json_string(ind->code));
			if (f->option >= 0)
				put(&ok, fj, "option", json_string(ind->options[f->option].code));
		}
		put(&ok, fj, "level", level_json(f->level));
		put(&ok, fj, "label", json_string(f->label));
	}
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* ---- assessment ------------------------------------------------------------------------------ */

/* trim - the span of s without spaces, tabs, CR and LF at either end; *len its length. */
static const char *trim(const char *s, size_t *len)
{
	if (!s) {
		*len = 0;
		return "";
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	*len = n;
	return s;
}

/* chars - UTF-8 code points in a valid UTF-8 string. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* answer_field - "answers.<code>" for errors, the code cut at 100 bytes on a character boundary. */
static void answer_field(char out[PATH_CAP], const char *code)
{
	fmt_path(out, "answers.%.100s", code);
}

/* read_answers - every answer into r (answer[], counts, score, domain scores, disclosure). */
static void read_answers(struct check *c, const struct risk_tool *t, json_t *answers, struct risk_result *r)
{
	char field[PATH_CAP];
	if (answers && json_is_null(answers))
		answers = NULL;
	if (answers && !json_is_object(answers)) {
		fail(c, "answers", "must be an object of indicator codes and answers");
		answers = NULL;
	}
	if (answers) {
		size_t unknown = 0;
		const char *key;
		json_t *val;
		json_object_foreach(answers, key, val) {
			if (find_indicator(t->indicators, t->n_indicators, key) >= 0)
				continue;
			if (++unknown > UNKNOWN_ANSWERS_NAMED) {
				fail(c, "answers", "has more than %d members that are not indicators of this tool",
				     UNKNOWN_ANSWERS_NAMED);
				break;
			}
			answer_field(field, key);
			fail(c, field, "is not an indicator of this tool");
		}
	}
	for (size_t i = 0; i < t->n_indicators; i++) {
		const struct risk_indicator *ind = &t->indicators[i];
		json_t *x = answers ? json_object_get(answers, ind->code) : NULL;
		if (!x || json_is_null(x)) {
			r->unanswered++;
			continue;
		}
		answer_field(field, ind->code);
		int s;
		if (ind->type == RISK_YESNO) {
			if (!json_is_boolean(x)) {
				fail(c, field, "must be true or false");
				continue;
			}
			bool yes = json_is_true(x);
			r->answer[i] = yes;
			s = yes ? ind->score : 0;
			if (yes && ind->disclosure)
				r->disclosure = true;
		} else {
			int o = json_is_string(x) ? find_option(ind, json_string_value(x)) : -1;
			if (o < 0) {
				char codes[200] = "";
				size_t used = 0;
				for (size_t k = 0; k < ind->n_options && used < sizeof codes; k++) {
					int w = snprintf(codes + used, sizeof codes - used, "%s%s", k ? ", " : "",
							 ind->options[k].code);
					used += w > 0 ? (size_t)w : 0;
				}
				fail(c, field, "must be the code of one of its options: %s", codes);
				continue;
			}
			r->answer[i] = (short)o;
			s = ind->options[o].score;
		}
		r->answered++;
		r->score += s;
		r->domain_score[ind->domain] += s;
	}
}

/* apply_floors - record every floor that holds and the level they set. */
static void apply_floors(const struct risk_tool *t, int age_years, struct risk_result *r)
{
	for (size_t i = 0; i < t->n_floors; i++) {
		const struct risk_floor *f = &t->floors[i];
		bool holds = false;
		switch (f->kind) {
		case RISK_FLOOR_DISCLOSURE:
			holds = r->disclosure;
			break;
		case RISK_FLOOR_AGE_AT_MOST:
			if (age_years < 0)
				r->age_unknown = true;
			else
				holds = age_years <= f->age;
			break;
		case RISK_FLOOR_INDICATOR: {
			short a = r->answer[f->indicator];
			holds = f->option >= 0 ? a == f->option : a == 1;
			break;
		}
		}
		if (!holds)
			continue;
		struct risk_applied_floor *af = &r->floors[r->n_floors++];
		af->floor = i;
		af->level = f->level;
		memcpy(af->label, f->label, sizeof af->label);
		if (f->level > r->floor_level)
			r->floor_level = f->level;
	}
}

/*
 * apply_override - check the override against the floored level and the floors, and record it.
 * Lowering below a floor is refused: a floor is the hub's rule that some facts always mean at
 * least this much risk (PRODUCT.md: "13 or under ... cannot be rated low"), and a rule the
 * assessor can override is no rule. Lowering below the score's level is professional judgement,
 * allowed with a rationale.
 */
static void apply_override(struct check *c, const char *level, const char *rationale, struct risk_result *r)
{
	size_t llen, rlen;
	const char *l = trim(level, &llen);
	const char *why = trim(rationale, &rlen);
	int rank = 0;
	char lv[8];
	if (llen < sizeof lv) {
		memcpy(lv, l, llen);
		lv[llen] = 0;
		rank = risk_level_rank(lv);
	}

	bool rationale_ok = false;
	if (rlen >= sizeof r->override_rationale) {
		fail(c, "override_rationale", "must be %d characters or fewer", RISK_RATIONALE_CHARS);
	} else if (rlen) {
		memcpy(r->override_rationale, why, rlen);
		r->override_rationale[rlen] = 0;
		const char *bad = valid_text(r->override_rationale, 0, RISK_RATIONALE_CHARS, true);
		if (bad)
			fail(c, "override_rationale", "%s", bad);
		else
			rationale_ok = true;
	}

	if (llen == 0) {
		if (rlen)
			fail(c, "override_rationale",
			     "is only recorded with an override level: choose a level or clear the rationale");
		r->override_rationale[0] = 0;
		return;
	}
	if (!rank) {
		fail(c, "override_level", "must be \"low\", \"medium\" or \"high\"");
	} else if (rank == (int)r->floored_level) {
		fail(c, "override_level", "is the same as the calculated level (%s): leave it empty to accept it",
		     risk_level_name(r->floored_level));
	} else if (rank < (int)r->floor_level) {
		const char *rule = "";
		for (size_t i = 0; i < r->n_floors; i++)
			if (r->floors[i].level == r->floor_level) {
				rule = r->floors[i].label;
				break;
			}
		fail(c, "override_level", "cannot be %s: a floor rule sets the minimum level to %s (%s)",
		     risk_level_name((enum risk_level)rank), risk_level_name(r->floor_level), rule);
	}
	if (rlen == 0)
		fail(c, "override_rationale", "is required with an override: explain the professional judgement");
	else if (rationale_ok && chars(r->override_rationale) < RISK_RATIONALE_MIN)
		fail(c, "override_rationale", "must explain the professional judgement in at least %d characters",
		     RISK_RATIONALE_MIN);
	if (rank)
		r->override_level = (enum risk_level)rank;
}

enum risk_status risk_assess(const struct risk_tool *t, json_t *answers, int age_years,
			     const char *override_level, const char *override_rationale,
			     struct risk_result *r, struct jv *errors)
{
	struct check c = { errors, 0 };
	memset(r, 0, sizeof *r);
	memcpy(r->tool_code, t->code, sizeof r->tool_code);
	r->tool_version = t->version;
	for (size_t i = 0; i < RISK_INDICATORS_MAX; i++)
		r->answer[i] = RISK_UNANSWERED;

	read_answers(&c, t, answers, r);
	r->computed_level = r->score >= t->threshold_high ? RISK_HIGH
			  : r->score >= t->threshold_medium ? RISK_MEDIUM : RISK_LOW;
	apply_floors(t, age_years, r);
	r->floored_level = r->floor_level > r->computed_level ? r->floor_level : r->computed_level;
	apply_override(&c, override_level, override_rationale, r);
	r->final_level = r->override_level ? r->override_level : r->floored_level;

	if (c.n) {
		memset(r, 0, sizeof *r);
		return RISK_INVALID;
	}
	return RISK_OK;
}

json_t *risk_result_json(const struct risk_tool *t, const struct risk_result *r)
{
	if (strcmp(t->code, r->tool_code) != 0 || t->version != r->tool_version)
		return NULL;
	bool ok = true;
	json_t *root = json_object();
	put(&ok, root, "tool", json_pack("{s:s, s:i, s:s}", "code", t->code, "version", t->version, "name", t->name));

	json_t *answers = json_object();
	put(&ok, root, "answers", answers);
	for (size_t i = 0; ok && i < t->n_indicators; i++) {
		const struct risk_indicator *ind = &t->indicators[i];
		short a = r->answer[i];
		if (a == RISK_UNANSWERED)
			continue;
		if (ind->type == RISK_YESNO)
			put(&ok, answers, ind->code, json_boolean(a == 1));
		else if (a >= 0 && (size_t)a < ind->n_options)
			put(&ok, answers, ind->code, json_string(ind->options[a].code));
	}
	put(&ok, root, "answered", json_integer((json_int_t)r->answered));
	put(&ok, root, "unanswered", json_integer((json_int_t)r->unanswered));
	put(&ok, root, "score", json_integer(r->score));
	put(&ok, root, "max_score", json_integer(t->max_score));

	json_t *domains = json_object();
	put(&ok, root, "domain_scores", domains);
	for (size_t i = 0; ok && i < t->n_domains; i++)
		put(&ok, domains, t->domains[i].code, json_integer(r->domain_score[i]));

	put(&ok, root, "computed_level", level_json(r->computed_level));
	json_t *floors = json_array();
	put(&ok, root, "floors_applied", floors);
	for (size_t i = 0; ok && i < r->n_floors; i++)
		add(&ok, floors, json_pack("{s:s, s:s}", "label", r->floors[i].label, "level",
					   risk_level_name(r->floors[i].level)));
	put(&ok, root, "floored_level", level_json(r->floored_level));
	put(&ok, root, "disclosure", json_boolean(r->disclosure));
	put(&ok, root, "age_unknown", json_boolean(r->age_unknown));
	put(&ok, root, "override_level", level_json(r->override_level));
	put(&ok, root, "override_rationale", r->override_level ? json_string(r->override_rationale) : json_null());
	put(&ok, root, "final_level", level_json(r->final_level));
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}
