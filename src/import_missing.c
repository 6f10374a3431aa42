/*
 * import_missing.c - police extracts of missing episodes into the hub (import_missing.h,
 * docs/import-missing.md). One pass over the CSV: each row is checked into a struct
 * missing_episode and the facts of its person, then written at once inside the caller's
 * transaction while no error has been found; after the first error the remaining rows are only
 * checked, so the answer lists every bad row and the caller rolls back. Two threads share the
 * pass: a reader (struct reader) parses and checks rows a few chunks ahead, touching nothing of
 * the store, while the caller's thread resolves and writes them; a third hashes the file.
 * Speed (bench/import.sh: a million rows): one transaction, the store's cached prepared
 * statements, one reused episode and person (both are tens of KiB: they are never cleared whole
 * per row, every input member is set instead), the sure keys first (the episode's police
 * reference, then the person's NHS number or local-authority id, remembered in memory for the
 * file's later rows, then the outcome of an identical person earlier in the same file) so that the
 * matcher, by far the dearest step, sees each person not yet met once; and one audit entry
 * (import.missing) for the episodes the run adds instead of one each. The episodes are created as
 * one batch (missing_batch_new: settings and the rhi standard read once, repeat-missing checks
 * once per child at the end), and once many rows were added the indexes only the hub's reads need
 * are dropped and built again before the commit (store_import_bulk_begin). New persons are audited
 * person.create each, as every new person is; changed episodes as missing_update_import does.
 * Owns: the columns, their formats and the row errors; the per-import key maps.
 * Must not touch: HTTP, SQL text, the episode's rules (missing.c), the matcher (identity.c).
 */
#include "import_missing.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "csv.h"
#include "identity.h"
#include "missing.h"
#include "settings.h"
#include "person.h"
#include "store.h"
#include "store_import.h"
#include "valid.h"

#define PROGRESS_EVERY 100000
#define ARENA_BLOCK (1 << 20)

/* ---- the columns ---- */

enum col {
	C_POLICE_FORCE, C_POLICE_REF, C_GIVEN_NAME, C_FAMILY_NAME, C_DOB, C_SEX, C_ADDRESS, C_POSTCODE,
	C_NHS_NUMBER, C_LA_ID, C_MISSING_FROM, C_CATEGORY, C_STARTED_AT, C_REPORTED_AT, C_ENDED_AT,
	C_FOUND_WHERE, C_GRADE, C_GRADED_AT, C_GRADED_BY, C_LOOKED_AFTER, C_PLACEMENT_TYPE,
	C_PLACEMENT_PROVIDER, C_PLACING_AUTHORITY, C_HOST_AUTHORITY, C_TEAM, C_LOCALITY, C_NOTES,
	C_COUNT
};

/* Each column's name (as in the header, docs/import-missing.md) and whether a value is required. */
static const struct {
	const char *name;
	bool required;
} columns[C_COUNT] = {
	[C_POLICE_FORCE] = { "police_force", true },     [C_POLICE_REF] = { "police_ref", true },
	[C_GIVEN_NAME] = { "given_name", true },         [C_FAMILY_NAME] = { "family_name", true },
	[C_DOB] = { "dob", false },                      [C_SEX] = { "sex", false },
	[C_ADDRESS] = { "address", false },              [C_POSTCODE] = { "postcode", false },
	[C_NHS_NUMBER] = { "nhs_number", false },        [C_LA_ID] = { "la_id", false },
	[C_MISSING_FROM] = { "missing_from", true },     [C_CATEGORY] = { "category", true },
	[C_STARTED_AT] = { "started_at", true },         [C_REPORTED_AT] = { "reported_at", true },
	[C_ENDED_AT] = { "ended_at", false },            [C_FOUND_WHERE] = { "found_where", false },
	[C_GRADE] = { "grade", false },                  [C_GRADED_AT] = { "graded_at", false },
	[C_GRADED_BY] = { "graded_by", false },          [C_LOOKED_AFTER] = { "looked_after", false },
	[C_PLACEMENT_TYPE] = { "placement_type", false }, [C_PLACEMENT_PROVIDER] = { "placement_provider", false },
	[C_PLACING_AUTHORITY] = { "placing_authority", false }, [C_HOST_AUTHORITY] = { "host_authority", false },
	[C_TEAM] = { "team", false },                    [C_LOCALITY] = { "locality", false },
	[C_NOTES] = { "notes", false },
};

/* The column a missing_check field names ("placement.type" -> placement_type), or -1. */
static int column_of_field(const char *field)
{
	static const struct {
		const char *field;
		enum col c;
	} map[] = {
		{ "placement.type", C_PLACEMENT_TYPE },
		{ "placement.provider", C_PLACEMENT_PROVIDER },
		{ "placement.placing_authority", C_PLACING_AUTHORITY },
		{ "placement.host_authority", C_HOST_AUTHORITY },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(field, map[i].field) == 0)
			return (int)map[i].c;
	for (int c = 0; c < C_COUNT; c++)
		if (strcmp(field, columns[c].name) == 0)
			return c;
	return -1;
}

/* ---- a string -> integer map for one import (keys live in an arena freed with the map) ---- */

struct arena_block {
	struct arena_block *next;
	size_t used;
	char data[ARENA_BLOCK];
};

struct keymap {
	struct slot {
		const char *key;   /* NULL: empty */
		uint64_t hash;
		int64_t value;
	} *slots;
	size_t cap, n;          /* cap is a power of two (0 before the first put) */
	struct arena_block *arena;
};

static uint64_t hash_key(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void keymap_free(struct keymap *m)
{
	free(m->slots);
	while (m->arena) {
		struct arena_block *b = m->arena->next;
		free(m->arena);
		m->arena = b;
	}
	memset(m, 0, sizeof *m);
}

/* The slot for key: the one holding it, or the empty one where it would go. */
static struct slot *keymap_find(const struct keymap *m, const char *key, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strncmp(s->key, key, len) == 0 && s->key[len] == 0))
			return s;
	}
}

/* keymap_get - the value of key into *value: true when present. */
static bool keymap_get(const struct keymap *m, const char *key, int64_t *value)
{
	if (!m->cap)
		return false;
	size_t len = strlen(key);
	struct slot *s = keymap_find(m, key, len, hash_key(key, len));
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}

static const char *arena_copy(struct keymap *m, const char *key, size_t len)
{
	if (len + 1 > ARENA_BLOCK)
		return NULL;
	if (!m->arena || m->arena->used + len + 1 > ARENA_BLOCK) {
		struct arena_block *b = malloc(sizeof *b);
		if (!b)
			return NULL;
		b->next = m->arena;
		b->used = 0;
		m->arena = b;
	}
	char *p = m->arena->data + m->arena->used;
	memcpy(p, key, len);
	p[len] = 0;
	m->arena->used += len + 1;
	return p;
}

/* keymap_put - set key to value (adding it or replacing its value). 0, or -1 when out of memory. */
static int keymap_put(struct keymap *m, const char *key, int64_t value)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct slot *old = m->slots;
		size_t old_cap = m->cap;
		m->slots = calloc(cap, sizeof *m->slots);
		if (!m->slots) {
			m->slots = old;
			return -1;
		}
		m->cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key)
				*keymap_find(m, old[i].key, strlen(old[i].key), old[i].hash) = old[i];
		free(old);
	}
	size_t len = strlen(key);
	uint64_t h = hash_key(key, len);
	struct slot *s = keymap_find(m, key, len, h);
	if (!s->key) {
		const char *k = arena_copy(m, key, len);
		if (!k)
			return -1;
		s->key = k;
		s->hash = h;
		m->n++;
	}
	s->value = value;
	return 0;
}

/* ---- one import's state ---- */

/* The facts of the row's person (what a new person is made of, and what the matcher sees). */
struct row_person {
	char given_name[PERSON_NAME_CHARS * 4 + 1];
	char family_name[PERSON_NAME_CHARS * 4 + 1];
	char dob[11];             /* YYYY-MM-DD or "" */
	char sex[8];              /* female, male, unknown */
	char address[801];        /* one line, up to 200 characters, or "" */
	char postcode[9];         /* normalised, or "" */
	char nhs_number[11];      /* 10 digits or "" */
	char la_id[PERSON_REF_CHARS * 4 + 1];
};

struct import_ctx {
	struct store *st;
	const struct user *by;
	int64_t now;
	int64_t import_id;                 /* 0 for a review decision */
	struct missing_episode *ep;        /* the row's episode (reused) */
	struct person *person;             /* a new person (reused) */
	struct row_person *rp;             /* the row's person */
	struct import_errors *errs;
	long row, line;                    /* where the row is in the file */
	unsigned row_bad;                  /* bit per column with an error in this row */
	unsigned header_missing;           /* bit per required column the header lacks (said once) */
	bool row_failed;                   /* the row has an error */
	struct keymap refs;                /* police_force \x1f police_ref -> row number */
	struct keymap known;               /* police_force \x1f police_ref -> episode id, of every episode
					    * the hub held, when known_all (a file much larger than the
					    * hub's episodes: one walk instead of a look-up a row) */
	bool known_all;
	struct keymap hub_ids;             /* 'n' NHS number / 'l' LA id -> the person holding it, for
					    * every identifier of the hub when ids_all (a large file:
					    * store_import_identifiers). Read by the reader thread too: not
					    * changed once it starts */
	struct keymap ids;                 /* the same for the persons this run creates, and (without
					    * ids_all) the look-ups of the store already made */
	struct identity_cache *matched;    /* the persons this run creates, as the matcher read them */
	bool ids_all;                      /* hub_ids holds every identifier of the hub, so one in
					    * neither map is held by nobody: no look-up */
	int64_t row_known;                 /* with known_all: the hub's episode with the row's key, as the
					    * reader found it in `known` (0: none) */
	int64_t row_nhs, row_la;           /* with ids_all: the hub's holders of the row's NHS number and
					    * LA id, as the reader found them in hub_ids (0: none) */
	struct keymap persons;             /* name/dob/sex key -> person id, or -(i + 1) for reviews[i] */
	struct identity_result **reviews;  /* the matcher's undecided results kept for later rows */
	size_t n_reviews, cap_reviews;
	struct import_result *res;
	const char *const *vals;           /* the row's values by column (NULL: no such column) */
	struct missing_batch *batch;       /* the run's creates (settings read once, repeat checks at the end) */
	struct store_import_bulk *bulk;    /* the bulk mode's dropped indexes, once it has begun; else NULL */
	long bulk_at;                      /* rows added after which the bulk mode begins */
};

/* Add an error for column c (or -1: a row-level error) of the current row, once per column. */
static void add_error(struct import_ctx *x, int c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_error(struct import_ctx *x, int c, const char *fmt, ...)
{
	if (c >= 0 && (x->row_bad & (1u << c)))
		return;
	if (c >= 0 && x->row > 1 && (x->header_missing & (1u << c)))
		return; /* the header's error says it once */
	if (c >= 0)
		x->row_bad |= 1u << c;
	if (!x->row_failed)
		x->errs->rows_bad++;
	x->row_failed = true;
	x->errs->total++;
	if (x->errs->n >= IMPORT_ERRORS_MAX)
		return;
	if (!x->errs->e) {
		x->errs->e = calloc(IMPORT_ERRORS_MAX, sizeof *x->errs->e);
		if (!x->errs->e)
			return;
	}
	struct import_error *e = &x->errs->e[x->errs->n++];
	e->row = x->row;
	e->line = x->line;
	snprintf(e->column, sizeof e->column, "%s", c >= 0 ? columns[c].name : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

long import_missing_lines(const char *data, size_t len)
{
	long lines = 0;
	for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		lines++;
	return lines;
}

void import_errors_free(struct import_errors *errs)
{
	free(errs->e);
	memset(errs, 0, sizeof *errs);
}

/* ---- values ---- */

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * A date at the start of s: YYYY-MM-DD or D/M/YYYY (day and month of one or two digits). *end gets
 * where it stopped. True when it is a real date.
 */
static bool parse_date_prefix(const char *s, struct valid_date *d, const char **end)
{
	int y, m, dd;
	if (digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &m) && s[7] == '-' && digits(s + 8, 2, &dd)) {
		*end = s + 10;
	} else {
		const char *p = s;
		int n = 0;
		dd = 0;
		while (*p >= '0' && *p <= '9' && n < 2)
			dd = dd * 10 + (*p++ - '0'), n++;
		if (!n || *p++ != '/')
			return false;
		n = 0;
		m = 0;
		while (*p >= '0' && *p <= '9' && n < 2)
			m = m * 10 + (*p++ - '0'), n++;
		if (!n || *p++ != '/' || !digits(p, 4, &y))
			return false;
		*end = p + 4;
	}
	/* y < 10000, m and dd < 100: written digit by digit, then checked as a real date. */
	char iso[11] = { (char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
			 (char)('0' + y % 10), '-', (char)('0' + m / 10), (char)('0' + m % 10), '-',
			 (char)('0' + dd / 10), (char)('0' + dd % 10), 0 };
	return valid_parse_date(iso, d);
}

/* A date on its own (dob). */
static bool parse_date(const char *s, struct valid_date *d)
{
	const char *end;
	return parse_date_prefix(s, d, &end) && *end == 0;
}

/*
 * A time: a date as above, 'T' or spaces, HH:MM, optional :SS and fraction (dropped), then an
 * optional offset: Z, +HH:MM, -HH:MM, +HHMM or -HHMM. Without an offset the reading is
 * Europe/London local time (calendar_utc_from_local: the autumn's repeated hour is taken as BST).
 */
static bool parse_time(const char *s, int64_t *out)
{
	struct valid_date d;
	const char *p;
	if (!parse_date_prefix(s, &d, &p))
		return false;
	if (*p == 'T' || *p == 't')
		p++;
	else if (*p == ' ')
		while (*p == ' ')
			p++;
	else
		return false;
	int hh, mm, ss = 0;
	if (!digits(p, 2, &hh) || p[2] != ':' || !digits(p + 3, 2, &mm) || hh > 23 || mm > 59)
		return false;
	p += 5;
	if (*p == ':') {
		if (!digits(p + 1, 2, &ss) || ss > 59)
			return false;
		p += 3;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return false;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	int64_t wall = valid_days_from_civil(&d) * 86400 + hh * 3600 + mm * 60 + ss;
	if (*p == 0) {
		*out = calendar_utc_from_local(wall);
		return true;
	}
	int64_t offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		const char *q = p + 1;
		if (!digits(q, 2, &oh))
			return false;
		q += 2;
		if (*q == ':')
			q++;
		if (!digits(q, 2, &om) || oh > 23 || om > 59)
			return false;
		offset = (int64_t)oh * 3600 + om * 60;
		if (*p == '-')
			offset = -offset;
		p = q + 2;
	} else {
		return false;
	}
	if (*p != 0)
		return false;
	*out = wall - offset;
	return true;
}

static const char TIME_FORMS[] =
	"must be a date and time such as 2026-11-20 18:30 (UK time), 20/11/2026 18:30 or 2026-11-20T18:30:00Z";

/* The row's value of column c ("" when the file has no such column). */
static const char *val(const struct import_ctx *x, enum col c)
{
	return x->vals[c] ? x->vals[c] : "";
}

/* Copy text column c (up to max characters, checked) into out[cap]; "" and an error when bad. */
static void take_text(struct import_ctx *x, enum col c, size_t max, bool multiline, char *out, size_t cap)
{
	const char *v = val(x, c);
	out[0] = 0;
	if (columns[c].required && !v[0]) {
		add_error(x, (int)c, "is required");
		return;
	}
	const char *why = valid_text(v, 0, max, multiline);
	if (why) {
		add_error(x, (int)c, "%s", why);
		return;
	}
	size_t len = strlen(v);
	if (len >= cap) { /* cannot happen within max characters; never truncate silently */
		add_error(x, (int)c, "is too long");
		return;
	}
	memcpy(out, v, len + 1);
}

/* A time column into *out (0 when empty and not required). */
static void take_time(struct import_ctx *x, enum col c, int64_t *out)
{
	const char *v = val(x, c);
	*out = 0;
	if (!v[0]) {
		if (columns[c].required)
			add_error(x, (int)c, "is required");
		return;
	}
	if (!parse_time(v, out)) {
		*out = 0;
		add_error(x, (int)c, "%s", TIME_FORMS);
	}
}

/* Lower-case v into out[cap], with spaces and hyphens as underscores; false when it does not fit. */
static bool code_of(const char *v, char *out, size_t cap)
{
	size_t i = 0;
	for (; v[i]; i++) {
		if (i + 1 >= cap)
			return false;
		char ch = v[i];
		out[i] = (ch == ' ' || ch == '-') ? '_' : (char)tolower((unsigned char)ch);
	}
	out[i] = 0;
	return true;
}

static void take_person(struct import_ctx *x)
{
	struct row_person *p = x->rp;
	take_text(x, C_GIVEN_NAME, PERSON_NAME_CHARS, false, p->given_name, sizeof p->given_name);
	take_text(x, C_FAMILY_NAME, PERSON_NAME_CHARS, false, p->family_name, sizeof p->family_name);
	p->dob[0] = 0;
	const char *v = val(x, C_DOB);
	if (v[0]) {
		struct valid_date d, today;
		valid_date_from_time(x->now, &today);
		if (!parse_date(v, &d))
			add_error(x, C_DOB, "must be a date such as 2010-04-01 or 01/04/2010");
		else if (valid_days_from_civil(&d) > valid_days_from_civil(&today))
			add_error(x, C_DOB, "must not be in the future");
		else if (d.year < 1900)
			add_error(x, C_DOB, "must not be before 1900");
		else
			valid_format_date(&d, p->dob);
	}
	v = val(x, C_SEX);
	char code[12];
	if (!v[0])
		snprintf(p->sex, sizeof p->sex, "unknown");
	else if (!code_of(v, code, sizeof code))
		add_error(x, C_SEX, "must be F (female), M (male) or U (not known)");
	else if (strcmp(code, "f") == 0 || strcmp(code, "female") == 0)
		snprintf(p->sex, sizeof p->sex, "female");
	else if (strcmp(code, "m") == 0 || strcmp(code, "male") == 0)
		snprintf(p->sex, sizeof p->sex, "male");
	else if (strcmp(code, "u") == 0 || strcmp(code, "unknown") == 0 || strcmp(code, "not_known") == 0)
		snprintf(p->sex, sizeof p->sex, "unknown");
	else
		add_error(x, C_SEX, "must be F (female), M (male) or U (not known)");
	take_text(x, C_ADDRESS, 200, false, p->address, sizeof p->address);
	p->postcode[0] = 0;
	v = val(x, C_POSTCODE);
	if (v[0] && !valid_postcode(v, p->postcode)) {
		p->postcode[0] = 0;
		add_error(x, C_POSTCODE, "is not a UK postcode");
	}
	p->nhs_number[0] = 0;
	v = val(x, C_NHS_NUMBER);
	if (v[0] && !valid_nhs_number(v, p->nhs_number)) {
		p->nhs_number[0] = 0;
		add_error(x, C_NHS_NUMBER, "is not a valid NHS number (10 digits with a correct check digit)");
	}
	take_text(x, C_LA_ID, PERSON_REF_CHARS, false, p->la_id, sizeof p->la_id);
}

/* Set every input member of the reused episode from the row (missing.h lists them). */
static void take_episode(struct import_ctx *x)
{
	struct missing_episode *e = x->ep;
	e->id = 0;
	e->version = 0;
	e->person_id = 0;
	take_text(x, C_POLICE_FORCE, MISSING_AUTHORITY_CHARS, false, e->police_force, sizeof e->police_force);
	take_text(x, C_POLICE_REF, MISSING_REF_CHARS, false, e->police_ref, sizeof e->police_ref);
	take_time(x, C_STARTED_AT, &e->started_at);
	take_time(x, C_REPORTED_AT, &e->reported_at);
	take_time(x, C_ENDED_AT, &e->ended_at);

	const char *v = val(x, C_MISSING_FROM);
	e->missing_from[0] = 0;
	if (!v[0])
		add_error(x, C_MISSING_FROM, "is required");
	else if (!code_of(v, e->missing_from, sizeof e->missing_from))
		add_error(x, C_MISSING_FROM, "must be one of home, care, education, other");
	v = val(x, C_CATEGORY);
	e->category[0] = 0;
	if (!v[0])
		add_error(x, C_CATEGORY, "is required");
	else if (v[1] || (toupper((unsigned char)v[0]) != 'M' && toupper((unsigned char)v[0]) != 'A'))
		add_error(x, C_CATEGORY, "must be M (missing) or A (away from placement)");
	else
		e->category[0] = (char)toupper((unsigned char)v[0]), e->category[1] = 0;

	e->looked_after = false;
	e->looked_after_given = false;
	v = val(x, C_LOOKED_AFTER);
	char code[12];
	if (v[0]) {
		if (!code_of(v, code, sizeof code))
			code[0] = 0;
		if (!strcmp(code, "yes") || !strcmp(code, "y") || !strcmp(code, "true") || !strcmp(code, "1"))
			e->looked_after = e->looked_after_given = true;
		else if (!strcmp(code, "no") || !strcmp(code, "n") || !strcmp(code, "false") || !strcmp(code, "0"))
			e->looked_after_given = true;
		else
			add_error(x, C_LOOKED_AFTER, "must be yes or no (or empty: yes when missing from care)");
	}
	v = val(x, C_PLACEMENT_TYPE);
	if (!code_of(v, e->placement_type, sizeof e->placement_type)) {
		e->placement_type[0] = 0;
		add_error(x, C_PLACEMENT_TYPE,
			  "must be one of foster, residential, kinship, semi_independent, secure, other, or empty");
	}
	take_text(x, C_PLACEMENT_PROVIDER, MISSING_AUTHORITY_CHARS, false, e->placement_provider,
		  sizeof e->placement_provider);
	take_text(x, C_PLACING_AUTHORITY, MISSING_AUTHORITY_CHARS, false, e->placing_authority,
		  sizeof e->placing_authority);
	take_text(x, C_HOST_AUTHORITY, MISSING_AUTHORITY_CHARS, false, e->host_authority, sizeof e->host_authority);
	take_text(x, C_TEAM, MISSING_TEXT_CHARS, false, e->team, sizeof e->team);
	take_text(x, C_LOCALITY, MISSING_TEXT_CHARS, false, e->locality, sizeof e->locality);
	take_text(x, C_FOUND_WHERE, MISSING_TEXT_CHARS, false, e->found_where, sizeof e->found_where);
	e->n_found_with = 0;
	take_text(x, C_NOTES, MISSING_NOTES_CHARS, true, e->notes, sizeof e->notes);

	v = val(x, C_GRADE);
	e->grade[0] = 0;
	if (v[0]) {
		char g[24];
		if (!code_of(v, g, sizeof g))
			g[0] = 0;
		if (!strcmp(g, "no_apparent_risk") || !strcmp(g, "no_risk"))
			snprintf(g, sizeof g, "none");
		if (missing_grade_valid(g) && strlen(g) < sizeof e->grade)
			memcpy(e->grade, g, strlen(g) + 1);
		else
			add_error(x, C_GRADE, "must be one of none (no apparent risk), low, medium, high");
	}
	take_time(x, C_GRADED_AT, &e->graded_at);
	take_text(x, C_GRADED_BY, MISSING_GRADED_BY_CHARS, false, e->graded_by, sizeof e->graded_by);
	if (!v[0] && (e->graded_at || e->graded_by[0]))
		add_error(x, C_GRADE, "is required when graded_at or graded_by is given");

	e->import_id = x->import_id;
	/* An import's new episodes are covered by its one import.missing entry (update_episode
	 * audits changes one by one); a review decision's episode is audited on its own. */
	e->audit_skip = x->import_id > 0;
	/* Computed by missing_create: start from nothing. */
	e->out_of_area[0] = e->rhi_by[0] = e->grade_latest[0] = e->grade_highest[0] = 0;
	e->rhi_due_at = 0;
	e->reopened_count = 0;
	e->created_at = e->updated_at = 0;
	e->created_by[0] = e->updated_by[0] = 0;
}

/* Check the row: every value, then the episode's own rules (missing_check). */
static void check_row(struct import_ctx *x)
{
	take_episode(x);
	take_person(x);
	struct missing_errors me;
	me.n = 0;
	missing_check(x->ep, x->now, &me);
	for (int i = 0; i < me.n; i++) {
		if (strcmp(me.e[i].field, "person_id") == 0)
			continue; /* the person is resolved after the checks */
		add_error(x, column_of_field(me.e[i].field), "%s", me.e[i].message);
	}
}

/* ---- writing ---- */

/* The row as a JSON object (column -> value) for the review queue; malloc'd text or NULL. */
static char *row_json(const struct import_ctx *x)
{
	json_t *o = json_object();
	for (int c = 0; c < C_COUNT; c++)
		if (x->vals[c])
			json_object_set_new(o, columns[c].name, json_string(x->vals[c]));
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/* The key of an identical person within this file: folded names, dob and sex ("" when no dob). */
static void person_key(const struct row_person *p, char *out, size_t cap)
{
	char g[256], f[256];
	out[0] = 0;
	if (!p->dob[0])
		return;
	valid_fold(p->given_name, g, sizeof g);
	valid_fold(p->family_name, f, sizeof f);
	snprintf(out, cap, "%s\x1f%s\x1f%s\x1f%s", g, f, p->dob, p->sex);
}

/* Create the row's person (audited person.create). 0, or -1 when the store failed. */
static int create_person(struct import_ctx *x, int64_t *id)
{
	struct person *p = x->person;
	const struct row_person *r = x->rp;
	p->id = 0;
	p->version = 0;
	memcpy(p->given_name, r->given_name, strlen(r->given_name) + 1);
	memcpy(p->family_name, r->family_name, strlen(r->family_name) + 1);
	p->n_aliases = 0;
	memcpy(p->dob, r->dob, sizeof p->dob);
	p->dob_estimated = false;
	snprintf(p->sex, sizeof p->sex, "%s", r->sex);
	p->gender[0] = p->ethnicity[0] = p->upn[0] = p->police_ref[0] = 0;
	memcpy(p->nhs_number, r->nhs_number, sizeof p->nhs_number);
	memcpy(p->la_id, r->la_id, strlen(r->la_id) + 1);
	p->n_addresses = 0;
	if (r->address[0] || r->postcode[0]) {
		struct person_address *a = &p->addresses[0];
		memcpy(a->line1, r->address, strlen(r->address) + 1);
		a->line2[0] = a->town[0] = 0;
		memcpy(a->postcode, r->postcode, sizeof a->postcode);
		a->current = true;
		p->n_addresses = 1;
	}
	p->n_phones = 0;
	if (x->import_id)
		snprintf(p->notes, sizeof p->notes, "Created by the import of missing episodes %lld (row %ld).",
			 (long long)x->import_id, x->row);
	else
		snprintf(p->notes, sizeof p->notes, "Created from an imported missing episode held for review.");
	p->restricted = false;
	p->n_restricted_to = 0;
	char err[128];
	if (person_create(x->st, x->by, p, err, sizeof err) != PERSON_OK)
		return -1;
	*id = p->id;
	return 0;
}

/* Turn a missing_update_import / missing_create refusal into row errors. */
static void episode_errors(struct import_ctx *x, const struct missing_errors *me)
{
	for (int i = 0; i < me->n; i++)
		add_error(x, column_of_field(me->e[i].field), "%s", me->e[i].message);
	if (!me->n)
		add_error(x, -1, "the episode could not be written");
}

/* Update the existing episode `id` from the row. IMPORT_OK, IMPORT_INVALID (row errors), IMPORT_ERROR. */
static enum import_status update_episode(struct import_ctx *x, int64_t id)
{
	struct missing_errors me;
	me.n = 0;
	bool changed = false;
	/* Changes are few and each matters (a return, a re-grade): each is audited on its own. */
	x->ep->audit_skip = false;
	int rc = missing_update_import(x->st, x->by, id, x->ep, &changed, &me);
	if (rc == MISSING_INVALID) {
		episode_errors(x, &me);
		return IMPORT_INVALID;
	}
	if (rc != MISSING_OK)
		return IMPORT_ERROR;
	if (changed)
		x->res->updated++;
	else
		x->res->unchanged++;
	return IMPORT_OK;
}

/* Create the row's episode for person_id. */
static enum import_status create_episode(struct import_ctx *x, int64_t person_id)
{
	x->ep->person_id = person_id;
	int rc = missing_create(x->st, x->by, x->ep, NULL);
	if (rc == MISSING_ERROR)
		return IMPORT_ERROR;
	if (rc == MISSING_DUPLICATE) {
		add_error(x, C_POLICE_REF, "an episode with this police_force and police_ref already exists");
		return IMPORT_INVALID;
	}
	if (rc == MISSING_NO_PERSON) {
		add_error(x, -1, "the person the row was matched to no longer exists");
		return IMPORT_INVALID;
	}
	if (rc != MISSING_OK)
		return IMPORT_ERROR;
	x->res->added++;
	return IMPORT_OK;
}

/* key[cap] = a, U+001F, b, cut at cap - 1 bytes as snprintf("%s\x1f%s") would, without parsing a
 * format: each row makes up to three keys. */
static void join_key(char *key, size_t cap, const char *a, const char *b)
{
	size_t n = strnlen(a, cap - 1);
	memcpy(key, a, n);
	if (n < cap - 1)
		key[n++] = 0x1f;
	size_t m = strnlen(b, cap - 1 - n);
	memcpy(key + n, b, m);
	key[n + m] = 0;
}

/* An identifier's key in the maps of identifiers: kind ('n' NHS number, 'l' LA id), U+001F, value. */
#define ID_KEY_CHARS (PERSON_REF_CHARS * 4 + 4)
static void id_key(char key[ID_KEY_CHARS], char kind, const char *value)
{
	join_key(key, ID_KEY_CHARS, (const char[]){ kind, 0 }, value);
}

/* Remember that identifier `value` of kind `kind` ('n' NHS number, 'l' LA id) is person id's. */
static int remember_identifier(struct import_ctx *x, char kind, const char *value, int64_t id)
{
	if (!value[0])
		return 0;
	char key[ID_KEY_CHARS];
	id_key(key, kind, value);
	return keymap_put(&x->ids, key, id);
}

/*
 * The person holding identifier `value`: from this import's memory of identifiers, else from the
 * store (lookup), remembered for the next rows of the same child. 0 with *id, STORE_NOTFOUND ("" or
 * nobody holds it) or -1.
 */
static int by_identifier(struct import_ctx *x, char kind, const char *value, int64_t hub,
			 int (*lookup)(struct store *, const char *, int64_t *), int64_t *id)
{
	if (!value[0])
		return STORE_NOTFOUND;
	if (x->ids_all && hub) {
		*id = hub;
		return 0;
	}
	char key[ID_KEY_CHARS];
	id_key(key, kind, value);
	if (keymap_get(&x->ids, key, id))
		return 0;
	if (x->ids_all)
		return STORE_NOTFOUND;
	int rc = lookup(x->st, value, id);
	if (rc == 0 && keymap_put(&x->ids, key, *id) != 0)
		return -1;
	return rc;
}

/* Queue the row for review with the matcher's candidates r, unless a pending review holds its key. */
static enum import_status queue_review(struct import_ctx *x, const struct identity_result *r)
{
	bool pending = false;
	if (store_import_review_pending(x->st, "missing", x->ep->police_force, x->ep->police_ref, &pending) != 0)
		return IMPORT_ERROR;
	if (pending)
		return IMPORT_OK;
	char *json = row_json(x);
	int64_t review_id = 0;
	int rc = json ? identity_queue_review(x->st, x->import_id, "missing", (int)x->row, json, r, x->by->id, &review_id)
		      : -1;
	free(json);
	return rc == 0 ? IMPORT_OK : IMPORT_ERROR;
}

/* Keep a copy of the matcher's undecided result r for the later rows of the same person; its
 * keymap value is -(index + 1). 0 or -1. */
static int keep_review(struct import_ctx *x, const char *key, const struct identity_result *r)
{
	if (x->n_reviews == x->cap_reviews) {
		size_t cap = x->cap_reviews ? x->cap_reviews * 2 : 16;
		struct identity_result **a = realloc(x->reviews, cap * sizeof *a);
		if (!a)
			return -1;
		x->reviews = a;
		x->cap_reviews = cap;
	}
	struct identity_result *copy = malloc(sizeof *copy);
	if (!copy)
		return -1;
	*copy = *r;
	x->reviews[x->n_reviews++] = copy;
	return keymap_put(&x->persons, key, -(int64_t)x->n_reviews);
}

/*
 * Resolve the row's person: *id the person (0 when the row went to the review queue), *created
 * whether it is new. Rows of the same file with the same names, date of birth and sex share the
 * first one's outcome (the person, or the review with its candidates), so the matcher sees each
 * person once. IMPORT_OK or IMPORT_ERROR.
 */
static enum import_status resolve_person(struct import_ctx *x, int64_t *id, bool *created)
{
	*id = 0;
	*created = false;
	int rc = by_identifier(x, 'n', x->rp->nhs_number, x->row_nhs, store_import_person_by_nhs, id);
	if (rc == STORE_NOTFOUND)
		rc = by_identifier(x, 'l', x->rp->la_id, x->row_la, store_import_person_by_la_id, id);
	if (rc == 0)
		return IMPORT_OK;
	if (rc != STORE_NOTFOUND)
		return IMPORT_ERROR;
	char key[600];
	person_key(x->rp, key, sizeof key);
	int64_t known;
	if (key[0] && keymap_get(&x->persons, key, &known)) {
		if (known > 0) {
			*id = known;
			return IMPORT_OK;
		}
		*id = 0;
		return queue_review(x, x->reviews[-known - 1]);
	}

	struct match_input in = {
		.given_name = x->rp->given_name, .family_name = x->rp->family_name, .dob = x->rp->dob,
		.sex = strcmp(x->rp->sex, "unknown") ? x->rp->sex : "", .postcode = x->rp->postcode,
		.address = x->rp->address, .nhs_number = x->rp->nhs_number, .other_id = x->rp->la_id,
	};
	struct identity_result r;
	if (identity_resolve_cached(x->st, x->matched, &in, &r) != 0)
		return IMPORT_ERROR;
	if (r.outcome == IDENTITY_REVIEW) {
		if (key[0] && keep_review(x, key, &r) != 0)
			return IMPORT_ERROR;
		return queue_review(x, &r);
	}
	if (r.outcome == IDENTITY_LINKED && r.person_id > 0) {
		*id = r.person_id;
	} else {
		if (create_person(x, id) != 0)
			return IMPORT_ERROR;
		*created = true;
		/* The new person holds the row's identifiers: later rows find it by them. */
		if (remember_identifier(x, 'n', x->rp->nhs_number, *id) != 0 ||
		    remember_identifier(x, 'l', x->rp->la_id, *id) != 0)
			return IMPORT_ERROR;
	}
	if (key[0] && keymap_put(&x->persons, key, *id) != 0)
		return IMPORT_ERROR;
	return IMPORT_OK;
}

/* The episode with the row's (police_force, police_ref): MISSING_OK with *id, MISSING_NOT_FOUND, or
 * MISSING_ERROR. */
static int find_episode(struct import_ctx *x, int64_t *id)
{
	if (!x->known_all)
		return missing_find_by_ref(x->st, x->ep->police_force, x->ep->police_ref, id);
	if (!x->row_known)
		return MISSING_NOT_FOUND;
	*id = x->row_known;
	return MISSING_OK;
}

/* store_import_keys' callback: remember one existing episode's key. */
static int know_key(void *ctx, const char *force, const char *ref, int64_t id)
{
	struct import_ctx *x = ctx;
	char key[(MISSING_AUTHORITY_CHARS + MISSING_REF_CHARS) * 4 + 4];
	join_key(key, sizeof key, force, ref);
	return keymap_put(&x->known, key, id) != 0 ? -1 : 0;
}

/* store_import_identifiers' callback: remember the person an identifier leads to (the first
 * holder given is the one a look-up would find). */
static int know_identifier(void *ctx, char kind, const char *value, int64_t id)
{
	struct import_ctx *x = ctx;
	char key[ID_KEY_CHARS];
	id_key(key, kind, value);
	int64_t first;
	if (keymap_get(&x->hub_ids, key, &first))
		return 0;
	return keymap_put(&x->hub_ids, key, id) != 0 ? -1 : 0;
}

/* Write a checked row: update the episode its key names, or resolve the person and create it. */
static enum import_status write_row(struct import_ctx *x)
{
	int64_t id;
	int rc = find_episode(x, &id);
	if (rc == MISSING_OK)
		return update_episode(x, id);
	if (rc != MISSING_NOT_FOUND)
		return IMPORT_ERROR;
	int64_t person_id;
	bool created;
	enum import_status s = resolve_person(x, &person_id, &created);
	if (s != IMPORT_OK)
		return s;
	if (!person_id) {
		x->res->review++;
		return IMPORT_OK;
	}
	s = create_episode(x, person_id);
	if (s == IMPORT_OK) {
		if (created)
			x->res->persons_created++;
		else
			x->res->persons_linked++;
		/* Many rows added compared with the episodes there were: building the indexes once
		 * costs less than inserting every row into them (store_import_bulk_begin). */
		if (x->batch && !x->bulk && x->res->added >= x->bulk_at && store_import_bulk_begin(x->st, &x->bulk) != 0)
			return IMPORT_ERROR;
	}
	return s;
}

/* ---- the file ---- */

/* The column a header name means (case, spaces and hyphens aside), or -1. */
static int column_named(const char *name)
{
	char code[IMPORT_COLUMN_CHARS];
	if (!code_of(name, code, sizeof code))
		return -1;
	for (int c = 0; c < C_COUNT; c++)
		if (strcmp(code, columns[c].name) == 0)
			return c;
	return -1;
}

/* Read the header into col_at[]; errors (row 1) for unknown, repeated and missing columns. */
static void read_header(struct import_ctx *x, char **fields, int n, int *col_at)
{
	int seen[C_COUNT];
	for (int c = 0; c < C_COUNT; c++)
		seen[c] = -1;
	x->row = 1;
	x->line = 1;
	for (int i = 0; i < n; i++) {
		int c = column_named(fields[i]);
		col_at[i] = c;
		if (c < 0) {
			/* Unknown columns are refused: a misspelt ended_at must not be dropped unseen. */
			int before = x->errs->n;
			add_error(x, -1, "column %d, \"%.60s\", is not a known column (see docs/import-missing.md)", i + 1,
				  fields[i]);
			if (x->errs->n > before)
				snprintf(x->errs->e[x->errs->n - 1].column, IMPORT_COLUMN_CHARS, "%.31s", fields[i]);
			continue;
		}
		if (seen[c] >= 0) {
			add_error(x, c, "is in the header twice (columns %d and %d)", seen[c] + 1, i + 1);
			col_at[i] = -1;
			continue;
		}
		seen[c] = i;
	}
	for (int c = 0; c < C_COUNT; c++)
		if (columns[c].required && seen[c] < 0) {
			add_error(x, c, "is a required column and the header does not have it");
			x->header_missing |= 1u << c;
		}
}

/* The file-level error `message` ("line 12: ..." from csv.c names its line; else `line`). */
static void file_error(struct import_errors *errs, long line, const char *message)
{
	if (strncmp(message, "line ", 5) == 0) {
		char *end;
		long n = strtol(message + 5, &end, 10);
		if (end != message + 5 && *end == ':' && n > 0)
			line = n;
	}
	import_errors_free(errs);
	errs->e = calloc(1, sizeof *errs->e);
	errs->total = 1;
	if (!errs->e)
		return;
	errs->n = 1;
	errs->e[0].line = line;
	snprintf(errs->e[0].message, sizeof errs->e[0].message, "%s", message);
}

/* ---- the reader: a second thread that reads and checks rows ahead of the writer ---- */

#define READ_CHUNK 256  /* rows a chunk hands over at once */
#define READ_CHUNKS 4   /* chunks in flight: the reader fills one while the writer writes another */

/* A checked row, as the writer takes it. */
struct read_row {
	long row, line;
	bool failed;                   /* the row has an error (in the reader's list) */
	int64_t known, nhs, la;        /* what the reader found in the writer's maps that do not change
					* (import_ctx row_known, row_nhs, row_la); 0: nothing */
	struct row_person rp;
	struct missing_episode *ep;    /* the chunk's own, reused */
	const char *vals[C_COUNT];     /* into text */
	char *text;                    /* the row's values, each NUL-ended */
	size_t cap;
};

struct read_chunk {
	struct read_row rows[READ_CHUNK];
	int n;
	int end;                       /* 0: more follow; 1: the file ends after these rows; -1: a CSV
					* error (the reader's error, error_line) or no memory follows them */
	bool full;                     /* filled and not yet given back by the writer */
};

/*
 * The reader runs csv_next, check_row and the in-file key check on its own thread with its own
 * import_ctx (px: its own error list and refs map; nothing of the store), so that the writer
 * thread (the caller's, holding the transaction) only resolves and writes. It checks every row
 * whatever the writer does, as the one-thread loop did; the writer stops writing at the first
 * failed row, so its own errors all come from rows before any of the reader's, and
 * import_missing_run appends the reader's list to the writer's.
 */
struct reader {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;                     /* the writer gave up: stop reading */
	struct read_chunk *chunks;     /* READ_CHUNKS */
	struct csv *csv;
	const int *col_at;
	int width;
	struct import_ctx px;
	const struct keymap *known;    /* the writer's, when it holds every key of the hub (known_all) */
	const struct keymap *hub_ids;  /* the writer's, when it holds every identifier (ids_all) */
	struct import_errors errs;
	char error[256];               /* the CSV error that ended the file, or "" for no memory */
	long error_line;
	bool started;                  /* the thread runs (reader_free joins it) */
};

/* Copy the row's fields into rr->text and point rr->vals at them. false when out of memory. */
static bool read_fields(struct reader *rd, struct read_row *rr, char **fields, int n)
{
	size_t need = 0;
	for (int i = 0; i < n && i < rd->width; i++)
		if (rd->col_at[i] >= 0)
			need += strlen(fields[i]) + 1;
	if (need > rr->cap) {
		size_t cap = need < 1024 ? 1024 : need * 2;
		char *t = realloc(rr->text, cap);
		if (!t)
			return false;
		rr->text = t;
		rr->cap = cap;
	}
	for (int c = 0; c < C_COUNT; c++)
		rr->vals[c] = NULL;
	char *at = rr->text;
	for (int i = 0; i < n && i < rd->width; i++) {
		if (rd->col_at[i] < 0)
			continue;
		size_t len = strlen(fields[i]);
		memcpy(at, fields[i], len + 1);
		rr->vals[rd->col_at[i]] = at;
		at += len + 1;
	}
	return true;
}

/* An identifier's holder in map m (0: none). */
static int64_t holder(const struct keymap *m, char kind, const char *value)
{
	if (!value[0])
		return 0;
	char key[ID_KEY_CHARS];
	id_key(key, kind, value);
	int64_t id;
	return keymap_get(m, key, &id) ? id : 0;
}

/* Look a checked row, whose episode key is `key`, up in the writer's maps of the hub (they do
 * not change while the reader runs), so that its thread need not: the episode with that key,
 * the holders of its identifiers. */
static void find_in_hub(struct reader *rd, struct read_row *rr, const char *key)
{
	if (rd->known && rr->ep->police_ref[0] && !keymap_get(rd->known, key, &rr->known))
		rr->known = 0;
	if (rd->hub_ids) {
		rr->nhs = holder(rd->hub_ids, 'n', rr->rp.nhs_number);
		rr->la = holder(rd->hub_ids, 'l', rr->rp.la_id);
	}
}

/* Read and check rows into chunk c until it is full or the file ends. */
static void read_chunk(struct reader *rd, struct read_chunk *c)
{
	struct import_ctx *px = &rd->px;
	c->n = 0;
	c->end = 0;
	while (c->n < READ_CHUNK) {
		char **fields;
		int n;
		int got = csv_next(rd->csv, &fields, &n);
		if (got < 0) {
			snprintf(rd->error, sizeof rd->error, "%s", csv_error(rd->csv));
			rd->error_line = csv_line(rd->csv);
			c->end = -1;
			return;
		}
		if (got == 0) {
			c->end = 1;
			return;
		}
		struct read_row *rr = &c->rows[c->n];
		if (!read_fields(rd, rr, fields, n)) {
			rd->error[0] = 0;
			c->end = -1;
			return;
		}
		c->n++;
		rr->row = px->row = csv_record(rd->csv);
		rr->line = px->line = csv_line(rd->csv);
		px->row_bad = 0;
		px->row_failed = false;
		px->vals = rr->vals;
		px->ep = rr->ep;
		px->rp = &rr->rp;
		check_row(px);
		char key[sizeof px->ep->police_force + sizeof px->ep->police_ref + 2];
		join_key(key, sizeof key, px->ep->police_force, px->ep->police_ref);
		if (!px->row_failed && px->ep->police_force[0] && px->ep->police_ref[0]) {
			int64_t first;
			if (keymap_get(&px->refs, key, &first)) {
				add_error(px, C_POLICE_REF, "row %lld has the same police_force and police_ref",
					  (long long)first);
			} else if (keymap_put(&px->refs, key, px->row) != 0) {
				rd->error[0] = 0;
				c->end = -1;
				return;
			}
		}
		rr->failed = px->row_failed;
		rr->known = rr->nhs = rr->la = 0;
		if (!rr->failed)
			find_in_hub(rd, rr, key);
	}
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	for (int k = 0;; k = (k + 1) % READ_CHUNKS) {
		struct read_chunk *c = &rd->chunks[k];
		pthread_mutex_lock(&rd->mu);
		while (c->full && !rd->stop)
			pthread_cond_wait(&rd->cv, &rd->mu);
		bool stop = rd->stop;
		pthread_mutex_unlock(&rd->mu);
		if (stop)
			return NULL;
		read_chunk(rd, c);
		pthread_mutex_lock(&rd->mu);
		c->full = true;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
		if (c->end)
			return NULL;
	}
}

/* The next filled chunk k, waiting for the reader. */
static struct read_chunk *reader_take(struct reader *rd, int k)
{
	struct read_chunk *c = &rd->chunks[k];
	pthread_mutex_lock(&rd->mu);
	while (!c->full)
		pthread_cond_wait(&rd->cv, &rd->mu);
	pthread_mutex_unlock(&rd->mu);
	return c;
}

/* Give chunk c back to the reader. */
static void reader_give(struct reader *rd, struct read_chunk *c)
{
	pthread_mutex_lock(&rd->mu);
	c->full = false;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
}

/* Set up rd (x: the writer's context, whose settings the reader's copies) and start its thread.
 * 0 or -1 (nothing to free then but what reader_free frees). */
static int reader_start(struct reader *rd, const struct import_ctx *x, struct csv *csv, const int *col_at, int width)
{
	rd->csv = csv;
	rd->col_at = col_at;
	rd->width = width;
	rd->px = (struct import_ctx){ .now = x->now, .import_id = x->import_id, .errs = &rd->errs,
				      .header_missing = x->header_missing };
	rd->known = x->known_all ? &x->known : NULL;
	rd->hub_ids = x->ids_all ? &x->hub_ids : NULL;
	rd->chunks = calloc(READ_CHUNKS, sizeof *rd->chunks);
	if (!rd->chunks)
		return -1;
	for (int k = 0; k < READ_CHUNKS; k++)
		for (int i = 0; i < READ_CHUNK; i++)
			if (!(rd->chunks[k].rows[i].ep = calloc(1, sizeof *rd->chunks[k].rows[i].ep)))
				return -1;
	if (pthread_mutex_init(&rd->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&rd->cv, NULL) != 0) {
		pthread_mutex_destroy(&rd->mu);
		return -1;
	}
	if (pthread_create(&rd->thread, NULL, reader_main, rd) != 0) {
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->mu);
		return -1;
	}
	rd->started = true;
	return 0;
}

/* Stop the reader (when it has not ended by itself), wait for it and free what it holds. */
static void reader_free(struct reader *rd)
{
	if (rd->started) {
		pthread_mutex_lock(&rd->mu);
		rd->stop = true;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
		pthread_join(rd->thread, NULL);
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->mu);
	}
	if (rd->chunks)
		for (int k = 0; k < READ_CHUNKS; k++)
			for (int i = 0; i < READ_CHUNK; i++) {
				free(rd->chunks[k].rows[i].ep);
				free(rd->chunks[k].rows[i].text);
			}
	free(rd->chunks);
	keymap_free(&rd->px.refs);
	import_errors_free(&rd->errs);
}

/* Append the reader's errors (all from rows after the writer's) to errs, up to the cap. */
static void errors_append(struct import_errors *errs, const struct import_errors *more)
{
	errs->total += more->total;
	errs->rows_bad += more->rows_bad;
	if (!more->n)
		return;
	if (!errs->e && !(errs->e = calloc(IMPORT_ERRORS_MAX, sizeof *errs->e)))
		return;
	for (int i = 0; i < more->n && errs->n < IMPORT_ERRORS_MAX; i++)
		errs->e[errs->n++] = more->e[i];
}

/* The SHA-256 of the file, on a thread of its own while the rows are read. */
struct file_hash {
	pthread_t thread;
	bool started;
	const unsigned char *data;
	size_t len;
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
};

static void *hash_main(void *arg)
{
	struct file_hash *h = arg;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, h->data, h->len);
	sodium_bin2hex(h->hex, sizeof h->hex, digest, sizeof digest);
	return NULL;
}

/* Start hashing data[0..len); when no thread can start, hash now. */
static void hash_start(struct file_hash *h, const char *data, size_t len)
{
	h->data = (const unsigned char *)data;
	h->len = len;
	h->started = pthread_create(&h->thread, NULL, hash_main, h) == 0;
	if (!h->started)
		hash_main(h);
}

/* The hex digest, once the hashing thread is done. */
static const char *hash_end(struct file_hash *h)
{
	if (h->started)
		pthread_join(h->thread, NULL);
	h->started = false;
	return h->hex;
}

enum import_status import_missing_run(struct store *st, const struct user *by, const char *data, size_t len,
				      const struct import_options *opt, struct import_result *res,
				      struct import_errors *errs)
{
	memset(res, 0, sizeof *res);
	import_errors_free(errs);
	struct import_ctx x = { .st = st, .by = by, .now = store_now(), .errs = errs, .res = res };
	enum import_status status = IMPORT_ERROR;
	int col_at_buf[64];
	int *col_at = col_at_buf;
	struct reader rd = { 0 };
	struct file_hash hash = { 0 };
	hash_start(&hash, data, len);
	struct csv *r = csv_open_mem(data, len);
	x.person = calloc(1, sizeof *x.person);
	if (!r || !x.person)
		goto out;

	/* The file's hash is set when the run finishes (hashed meanwhile on a thread of its own). */
	if (store_import_insert(st, "missing", opt && opt->filename ? opt->filename : "", by->id, x.now,
				&x.import_id) != 0)
		goto out;
	res->import_id = x.import_id;
	/* Read once for every row (inside the import's transaction, so they cannot change under it). */
	if (missing_batch_new(st, &x.batch) != MISSING_OK)
		goto out;
	int64_t episodes = 0;
	if (store_import_episodes(st, &episodes) != 0)
		goto out;
	x.bulk_at = opt && opt->bulk_rows > 0 ? opt->bulk_rows : IMPORT_BULK_ROWS;
	if (x.bulk_at < episodes / 2)
		x.bulk_at = (long)(episodes / 2);
	/* A file with four times as many lines as the hub has episodes: read every key once. */
	long lines = import_missing_lines(data, len);
	if (lines >= 4 * episodes && lines >= 1000) {
		if (store_import_keys(st, know_key, &x) != 0)
			goto out;
		x.known_all = true;
	}
	/* As many lines as the hub has persons: read every identifier once (into x.hub_ids, where
	 * the reader finds each row's: one in neither map is held by nobody). */
	int64_t persons = 0;
	if (store_import_persons(st, &persons) != 0 ||
	    (lines >= 1000 && lines >= persons && store_import_identifiers(st, know_identifier, &x) != 0))
		goto out;
	x.ids_all = lines >= 1000 && lines >= persons;
	/* So many rows will search for persons: merge the name index first (identity_optimize). */
	if (x.ids_all && identity_optimize(st) != 0)
		goto out;
	/* The persons this run creates are candidates of its later rows: the matcher reads each once. */
	if (!(x.matched = identity_cache_new(persons + 1)))
		goto out;

	char **fields;
	int n;
	int got = csv_next(r, &fields, &n);
	if (got < 0) {
		file_error(errs, csv_line(r), csv_error(r));
		status = IMPORT_BAD_FILE;
		goto out;
	}
	if (got == 0) {
		file_error(errs, 1, "line 1: the file is empty: it needs a header row naming the columns");
		status = IMPORT_BAD_FILE;
		goto out;
	}
	if (n > (int)(sizeof col_at_buf / sizeof col_at_buf[0])) {
		col_at = malloc((size_t)n * sizeof *col_at);
		if (!col_at)
			goto out;
	}
	read_header(&x, fields, n, col_at);
	if (reader_start(&rd, &x, r, col_at, n) != 0) {
		file_error(errs, 0, "the import could not start reading the file (out of memory or threads)");
		goto out;
	}
	bool writing = !errs->total;
	for (int k = 0;; k = (k + 1) % READ_CHUNKS) {
		struct read_chunk *c = reader_take(&rd, k);
		for (int i = 0; i < c->n; i++) {
			struct read_row *rr = &c->rows[i];
			res->rows++;
			x.row = rr->row;
			x.line = rr->line;
			x.vals = rr->vals;
			x.ep = rr->ep;
			x.ep->batch = x.batch;
			x.rp = &rr->rp;
			x.row_known = rr->known;
			x.row_nhs = rr->nhs;
			x.row_la = rr->la;
			x.row_bad = 0;
			x.row_failed = false;
			if (rr->failed)
				writing = false;
			if (writing) {
				enum import_status s = write_row(&x);
				if (s == IMPORT_ERROR) {
					reader_give(&rd, c);
					goto out;
				}
				if (s != IMPORT_OK)
					writing = false;
			}
			if (opt && opt->progress && res->rows % PROGRESS_EVERY == 0)
				opt->progress(res->rows, opt->arg);
		}
		int end = c->end;
		reader_give(&rd, c);
		if (end > 0)
			break;
		if (end < 0 && !rd.error[0]) {
			file_error(errs, 0, "out of memory while reading the file");
			goto out;
		}
		if (end < 0) {
			file_error(errs, rd.error_line, rd.error);
			status = IMPORT_BAD_FILE;
			goto out;
		}
	}
	errors_append(errs, &rd.errs);
	if (errs->total) {
		status = IMPORT_INVALID;
		goto out;
	}
	/* The held episodes, then the indexes (built once over them): the deferred repeat checks read
	 * missing_person. */
	if (missing_batch_flush(st, x.batch) != MISSING_OK)
		goto out;
	if (x.bulk && store_import_bulk_end(st, x.bulk) != 0)
		goto out;
	if (missing_batch_finish(st, by, x.batch) != MISSING_OK)
		goto out;
	struct store_import_counts counts = { .rows = res->rows, .added = res->added, .updated = res->updated,
					      .unchanged = res->unchanged, .review = res->review,
					      .sha256 = hash_end(&hash) };
	if (store_import_finish(st, x.import_id, &counts) != 0)
		goto out;
	struct audit_entry e;
	char detail[256];
	snprintf(detail, sizeof detail,
		 "rows %ld, added %ld, updated %ld, unchanged %ld, persons created %ld, persons linked %ld, review %ld",
		 res->rows, res->added, res->updated, res->unchanged, res->persons_created, res->persons_linked,
		 res->review);
	audit_fill(&e, by, "import.missing", "import", x.import_id, "ok", detail);
	if (audit_record(st, &e) != 0)
		goto out;
	status = IMPORT_OK;
out:
	if (status == IMPORT_ERROR && !errs->total)
		file_error(errs, 0, store_errmsg(st));
	if (col_at != col_at_buf)
		free(col_at);
	reader_free(&rd);
	hash_end(&hash);
	identity_cache_free(x.matched);
	store_import_bulk_free(x.bulk);
	missing_batch_free(x.batch);
	keymap_free(&x.refs);
	keymap_free(&x.known);
	keymap_free(&x.ids);
	keymap_free(&x.hub_ids);
	keymap_free(&x.persons);
	for (size_t i = 0; i < x.n_reviews; i++)
		free(x.reviews[i]);
	free(x.reviews);
	free(x.person);
	csv_close(r);
	return status;
}

/* ---- a row the review queue held ---- */

int import_missing_apply_review(struct store *st, const struct user *by, const char *row_json, int64_t *person_id,
				char *err, size_t errcap)
{
	struct import_errors errs = { 0 };
	struct import_result res = { 0 };
	struct row_person rp;
	struct import_ctx x = { .st = st, .by = by, .now = store_now(), .errs = &errs, .res = &res, .rp = &rp };
	const char *vals[C_COUNT] = { 0 };
	int rc = -1;
	json_error_t jerr;
	json_t *o = json_loads(row_json ? row_json : "", 0, &jerr);
	x.ep = calloc(1, sizeof *x.ep);
	x.person = calloc(1, sizeof *x.person);
	x.vals = vals;
	if (!x.ep || !x.person) {
		snprintf(err, errcap, "out of memory");
		goto out;
	}
	if (!json_is_object(o)) {
		snprintf(err, errcap, "the held row is not a JSON object");
		goto out;
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int c = column_named(k);
		if (c < 0 || !json_is_string(v)) {
			snprintf(err, errcap, "the held row has an unknown or non-text member \"%.40s\"", k);
			goto out;
		}
		vals[c] = json_string_value(v);
	}
	x.row = 0;
	check_row(&x);
	if (errs.n) {
		snprintf(err, errcap, "%s: %s", errs.e[0].column[0] ? errs.e[0].column : "row", errs.e[0].message);
		goto out;
	}
	/* One decided row is one change: audited like an episode recorded by hand (import_id 0
	 * made take_episode leave audit_skip false). */
	int64_t id;
	int frc = missing_find_by_ref(st, x.ep->police_force, x.ep->police_ref, &id);
	enum import_status s;
	if (frc == MISSING_OK) {
		s = update_episode(&x, id);
		if (s == IMPORT_OK && missing_get(st, id, x.ep) == MISSING_OK)
			*person_id = x.ep->person_id;
		else if (s == IMPORT_OK)
			s = IMPORT_ERROR;
	} else if (frc != MISSING_NOT_FOUND) {
		s = IMPORT_ERROR;
	} else {
		if (*person_id > 0) {
			bool restricted;
			int prc = store_person_restricted(st, *person_id, &restricted);
			if (prc == STORE_NOTFOUND) {
				snprintf(err, errcap, "person %lld does not exist", (long long)*person_id);
				goto out;
			}
			if (prc != 0) {
				snprintf(err, errcap, "the store failed");
				goto out;
			}
		} else if (create_person(&x, person_id) != 0) {
			snprintf(err, errcap, "the store failed");
			goto out;
		}
		s = create_episode(&x, *person_id);
	}
	if (s == IMPORT_INVALID && errs.n)
		snprintf(err, errcap, "%s: %s", errs.e[0].column[0] ? errs.e[0].column : "row", errs.e[0].message);
	else if (s != IMPORT_OK)
		snprintf(err, errcap, "the store failed");
	else
		rc = 0;
out:
	json_decref(o);
	free(x.ep);
	free(x.person);
	import_errors_free(&errs);
	return rc;
}
