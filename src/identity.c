/*
 * identity.c - who an incoming record is about (identity.h, identity_search.h) and the review
 * queue of rows nobody could decide (identity_review.h).
 *
 * Candidates come from the person index by several blocking rules, whose union is scored:
 *   1. NHS number exact;
 *   2. date of birth exact, and with day and month swapped (03/07 written for 07/03);
 *   3. family name (folded, every word) with the year of birth;
 *   4. postcode with the given name's initial;
 *   5. the names in the full-text name index (given, family and alias names): the persons holding
 *      every word, best first; and each word held by at most IDENTITY_BLOCK_LIMIT persons brings
 *      all its holders (a common word such as "olivia" blocks nothing by itself: ranking its
 *      thousands of holders cost milliseconds per record for an arbitrary few hundred of them).
 * Each rule brings at most IDENTITY_BLOCK_LIMIT persons; merged persons never come. Every
 * candidate is scored by the match engine's default model (match.h) under its own names, each
 * of its aliases and (when the record has another identifier) each of its identifiers (UPN,
 * police reference, LA id), keeping the best: a child known as "Kay" matches a record of "Kay".
 * Owns: the blocking keys, the ranking, the outcome against the thresholds, the queue's rules.
 * Must not touch: HTTP, SQL text (store_identity.c).
 */
#include "identity.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "identity_review.h"
#include "identity_search.h"
#include "import_missing.h"
#include "person.h"
#include "settings.h"
#include "store.h"
#include "store_identity.h"
#include "valid.h"

#define RESOLVE_FLOOR 0.05       /* candidates below this are not worth a reviewer's time */
#define NAME_WORDS_MAX 12        /* name words the full-text rule looks for */
#define CROWDED_WORD_CHARS 64    /* a longer name word is not remembered as crowded */
#define CROWDED_MAX 4096         /* crowded words a cache remembers */

/* ---- blocking ---- */

/* The person ids found so far (duplicates are removed before scoring). */
struct idset {
	int64_t *ids;
	size_t n, cap;
	bool oom;          /* an id could not be kept: the search fails rather than miss someone */
};

static int idset_add(void *ctx, int64_t id)
{
	struct idset *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		int64_t *ids = realloc(s->ids, cap * sizeof *ids);
		if (!ids) {
			s->oom = true;
			return -1;
		}
		s->ids = ids;
		s->cap = cap;
	}
	s->ids[s->n++] = id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Sort and remove duplicates. */
static void idset_unique(struct idset *s)
{
	if (!s->n)
		return;
	qsort(s->ids, s->n, sizeof s->ids[0], cmp_id);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->ids[i] != s->ids[k - 1])
			s->ids[k++] = s->ids[i];
	s->n = k;
}

/* The 10 digits of an NHS number written with spaces or hyphens, or "" (check digit not required:
 * a number one digit off still finds nobody, but does no harm). */
static void nhs_digits(const char *in, char out[11])
{
	size_t n = 0;
	out[0] = 0;
	for (const char *c = in ? in : ""; *c; c++) {
		if (*c == ' ' || *c == '-')
			continue;
		if (*c < '0' || *c > '9' || n == 10)
			return;
		out[n++] = *c;
	}
	out[n] = 0;
	if (n != 10)
		out[0] = 0;
}

/* The date with day and month swapped, when that is another date (day 1-12, not equal to the
 * month: the new day is the old month, 1-12, which every month has); else "". */
static void dob_swapped(const char *dob, char out[11])
{
	struct valid_date d;
	out[0] = 0;
	if (!dob || !valid_parse_date(dob, &d) || d.day == d.month || d.day > 12)
		return;
	struct valid_date s = { d.year, d.day, d.month };
	valid_format_date(&s, out);
}

/* Split folded text into its words (pointers into text, which is modified). */
static int words_of(char *text, const char **words, int max)
{
	int n = 0;
	for (char *w = text; *w && n < max;) {
		while (*w == ' ')
			w++;
		if (!*w)
			break;
		char *end = strchr(w, ' ');
		if (end)
			*end = 0;
		words[n++] = w;
		if (!end)
			break;
		w = end + 1;
	}
	return n;
}

static bool cache_crowded(const struct identity_cache *c, const char *word);
static void cache_crowd(struct identity_cache *c, const char *word);

/* Run every blocking rule for `in`, collecting ids into *s; name words crowded in cache c (NULL:
 * none) are not counted again. 0 or -1. */
static int block(struct store *st, struct identity_cache *c, const struct match_input *in, struct idset *s)
{
	const int lim = IDENTITY_BLOCK_LIMIT;
	char nhs[11], dob[11] = "", swapped[11], pc[9];
	nhs_digits(in->nhs_number, nhs);
	if (nhs[0] && store_identity_by_nhs(st, nhs, lim, idset_add, s) != 0)
		return -1;
	struct valid_date d;
	if (in->dob && valid_parse_date(in->dob, &d))
		snprintf(dob, sizeof dob, "%s", in->dob);
	if (dob[0] && store_identity_by_dob(st, dob, lim, idset_add, s) != 0)
		return -1;
	dob_swapped(dob, swapped);
	if (swapped[0] && store_identity_by_dob(st, swapped, lim, idset_add, s) != 0)
		return -1;

	char family[401] = "", given[401] = "";
	valid_fold(in->family_name ? in->family_name : "", family, sizeof family);
	valid_fold(in->given_name ? in->given_name : "", given, sizeof given);
	if (family[0] && dob[0]) {
		char year[5];
		memcpy(year, dob, 4);
		year[4] = 0;
		if (store_identity_by_family_year(st, family, year, lim, idset_add, s) != 0)
			return -1;
	}
	if (given[0] && in->postcode && valid_postcode(in->postcode, pc) &&
	    store_identity_by_postcode_initial(st, pc, given[0], lim, idset_add, s) != 0)
		return -1;

	/* Names: every folded word of either name, so names swapped between the fields still meet. */
	char both[804];
	snprintf(both, sizeof both, "%s %s", given, family);
	const char *words[NAME_WORDS_MAX];
	int n = words_of(both, words, NAME_WORDS_MAX);
	bool crowded[NAME_WORDS_MAX], known[NAME_WORDS_MAX];
	for (int i = 0; i < n; i++)
		crowded[i] = known[i] = c && cache_crowded(c, words[i]);
	if (n && store_identity_by_names(st, words, n, lim, crowded, idset_add, s) != 0)
		return -1;
	for (int i = 0; c && i < n; i++)
		if (crowded[i] && !known[i])
			cache_crowd(c, words[i]);
	if (s->oom)
		return -1;
	idset_unique(s);
	return 0;
}

/* ---- scoring ---- */

/* Set b's names to person p's own (alias < 0) or to its alias `alias` (given and family in the
 * buffers given). */
static void variant_names(const struct identity_person *p, int alias, struct match_input *b, char *given,
			  size_t given_cap, char *family, size_t family_cap)
{
	if (alias < 0) {
		b->given_name = p->given_name;
		b->family_name = p->family_name;
		return;
	}
	/* "Kayley Smith": given "Kayley", family "Smith"; "Kay": the given name alone. */
	snprintf(given, given_cap, "%s", p->aliases[alias]);
	char *sp = strrchr(given, ' ');
	if (sp) {
		*sp = 0;
		snprintf(family, family_cap, "%s", sp + 1);
	} else {
		snprintf(family, family_cap, "%s", p->family_name);
	}
	b->given_name = given;
	b->family_name = family;
}

/*
 * The best score of record `in` against person p under its names and aliases (and, when `in`
 * has another identifier, each of p's identifiers). When the best reaches `floor`, why gets its
 * reasons (the first best on a tie); below it why is left alone: the reasons cost more than the
 * score, and a candidate below the floor is not shown.
 */
static double score_person(const struct match_input *in, const struct identity_person *p, double floor,
			   struct match_explain *why)
{
	const struct match_model *m = match_model_default();
	struct match_input b = {
		.given_name = p->given_name, .family_name = p->family_name, .dob = p->dob,
		.sex = strcmp(p->sex, "unknown") ? p->sex : "", /* not known is no evidence either way */
		.postcode = p->postcode, .address = p->address, .locality = p->locality, .nhs_number = p->nhs_number,
	};
	const char *ids[3] = { p->upn, p->police_ref, p->la_id };
	int n_ids = 0;
	const char *id_list[3];
	if (in->other_id && in->other_id[0])
		for (int i = 0; i < 3; i++)
			if (ids[i][0])
				id_list[n_ids++] = ids[i];
	double best = -1;
	int best_alias = -1, best_id = 0;
	char given[801], family[801];
	for (int a = -1; a < p->n_aliases; a++) {
		variant_names(p, a, &b, given, sizeof given, family, sizeof family);
		for (int k = 0; k < (n_ids ? n_ids : 1); k++) {
			b.other_id = n_ids ? id_list[k] : NULL;
			double pr = match_score(m, in, &b, NULL);
			if (pr > best) {
				best = pr;
				best_alias = a;
				best_id = k;
			}
		}
	}
	if (best >= floor) {
		variant_names(p, best_alias, &b, given, sizeof given, family, sizeof family);
		b.other_id = n_ids ? id_list[best_id] : NULL;
		match_score(m, in, &b, why);
	}
	return best < 0 ? 0 : best;
}

/* Insert (c, p) into the best-first list out[0..*n) of at most cap. */
static void rank_insert(struct identity_match *out, int cap, int *n, double pr, const struct identity_person *p,
			const struct match_explain *why)
{
	int at = *n;
	while (at > 0 && (out[at - 1].c.probability < pr ||
			  (out[at - 1].c.probability == pr && out[at - 1].p.id > p->id)))
		at--;
	if (at >= cap)
		return;
	int last = *n < cap ? *n : cap - 1;
	memmove(&out[at + 1], &out[at], (size_t)(last - at) * sizeof out[0]);
	out[at].c.person_id = p->id;
	out[at].c.probability = pr;
	out[at].c.why = *why;
	out[at].p = *p;
	if (*n < cap)
		(*n)++;
}

int identity_optimize(struct store *st)
{
	return store_identity_names_optimize(st);
}

/* ---- the cache of one run's persons ---- */

struct identity_cache {
	int64_t min_id;
	size_t n, cap;                  /* entries; slots (a power of two) */
	struct identity_person **slot;  /* by id, open addressing; NULL: free */
	/* Name words found held by more than IDENTITY_BLOCK_LIMIT persons: the run only adds
	 * persons, so such a word stays crowded and its holders need not be counted again. */
	char (*crowded)[CROWDED_WORD_CHARS];
	size_t n_crowded;
};

struct identity_cache *identity_cache_new(int64_t min_id)
{
	struct identity_cache *c = calloc(1, sizeof *c);
	if (c)
		c->min_id = min_id;
	return c;
}

void identity_cache_free(struct identity_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->slot[i]);
	free(c->slot);
	free(c->crowded);
	free(c);
}

/* Where id's search starts in a table of cap slots (a power of two). */
static size_t cache_home(int64_t id, size_t cap)
{
	return (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u) & (cap - 1);
}

static struct identity_person *cache_find(const struct identity_cache *c, int64_t id)
{
	if (!c->cap)
		return NULL;
	for (size_t h = cache_home(id, c->cap); c->slot[h]; h = (h + 1) & (c->cap - 1))
		if (c->slot[h]->id == id)
			return c->slot[h];
	return NULL;
}

/* Whether word was found crowded (held by more than IDENTITY_BLOCK_LIMIT persons) in this run. */
static bool cache_crowded(const struct identity_cache *c, const char *word)
{
	for (size_t i = 0; i < c->n_crowded; i++)
		if (strcmp(c->crowded[i], word) == 0)
			return true;
	return false;
}

/* Remember word as crowded. Out of memory, a full list or a long word only mean it is counted
 * again next time. */
static void cache_crowd(struct identity_cache *c, const char *word)
{
	if (strlen(word) >= CROWDED_WORD_CHARS || c->n_crowded >= CROWDED_MAX)
		return;
	if (c->n_crowded % 64 == 0) {
		char(*a)[CROWDED_WORD_CHARS] = realloc(c->crowded, (c->n_crowded + 64) * sizeof *a);
		if (!a)
			return;
		c->crowded = a;
	}
	memcpy(c->crowded[c->n_crowded++], word, strlen(word) + 1);
}

/* Keep a copy of p (read with its address). Out of memory only means no copy. */
static void cache_put(struct identity_cache *c, const struct identity_person *p)
{
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct identity_person **slot = calloc(cap, sizeof *slot);
		if (!slot)
			return;
		for (size_t i = 0; i < c->cap; i++)
			if (c->slot[i]) {
				size_t h = cache_home(c->slot[i]->id, cap);
				while (slot[h])
					h = (h + 1) & (cap - 1);
				slot[h] = c->slot[i];
			}
		free(c->slot);
		c->slot = slot;
		c->cap = cap;
	}
	struct identity_person *copy = malloc(sizeof *copy);
	if (!copy)
		return;
	*copy = *p;
	size_t h = cache_home(p->id, c->cap);
	while (c->slot[h])
		h = (h + 1) & (c->cap - 1);
	c->slot[h] = copy;
	c->n++;
}

/* Person id into *p, through cache c when it may hold it: as store_identity_person. */
static int person_read(struct store *st, struct identity_cache *c, int64_t id, bool address, struct identity_person *p)
{
	if (!c || id < c->min_id)
		return store_identity_person(st, id, address, p);
	const struct identity_person *hit = cache_find(c, id);
	if (!hit) {
		int rc = store_identity_person(st, id, true, p);
		if (rc != 0)
			return rc;
		cache_put(c, p);
		hit = p;
	} else {
		*p = *hit;
	}
	if (!address)
		p->address[0] = p->locality[0] = 0; /* as a read without the address leaves them */
	return 0;
}

/* identity_search, reading the candidates' addresses only when `address` (see store_identity_person),
 * through cache c (NULL: none). */
static int search(struct store *st, struct identity_cache *c, const struct match_input *in, double min_probability,
		  identity_keep_fn keep, void *ctx, bool address, struct identity_match *out, int cap, int *n)
{
	*n = 0;
	if (cap > IDENTITY_SEARCH_MAX)
		cap = IDENTITY_SEARCH_MAX;
	if (cap < 1)
		return 0;
	struct idset s = { 0 };
	struct identity_person *p = malloc(sizeof *p);
	int rc = p ? block(st, c, in, &s) : -1;
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		int got = person_read(st, c, s.ids[i], address, p);
		if (got == STORE_NOTFOUND)
			continue;
		if (got != 0) {
			rc = -1;
			break;
		}
		if (p->merged_into || (keep && !keep(ctx, p)))
			continue;
		struct match_explain why = { 0 };
		double pr = score_person(in, p, min_probability, &why);
		if (pr >= min_probability)
			rank_insert(out, cap, n, pr, p, &why);
	}
	free(p);
	free(s.ids);
	if (rc != 0)
		*n = 0;
	return rc;
}

int identity_search(struct store *st, const struct match_input *in, double min_probability, identity_keep_fn keep,
		    void *ctx, struct identity_match *out, int cap, int *n)
{
	return search(st, NULL, in, min_probability, keep, ctx, true, out, cap, n);
}

int identity_thresholds(struct store *st, double *link, double *review)
{
	return settings_match_thresholds(st, link, review);
}

int identity_person_get(struct store *st, int64_t id, struct identity_person *out)
{
	int rc = store_identity_person(st, id, true, out);
	return rc == STORE_NOTFOUND ? 1 : rc;
}

int identity_resolve(struct store *st, const struct match_input *in, struct identity_result *out)
{
	return identity_resolve_cached(st, NULL, in, out);
}

int identity_resolve_cached(struct store *st, struct identity_cache *c, const struct match_input *in,
			    struct identity_result *out)
{
	memset(out, 0, sizeof *out);
	out->outcome = IDENTITY_NEW;
	double link, review;
	if (identity_thresholds(st, &link, &review) != 0)
		return -1;
	struct identity_match *m = calloc(IDENTITY_CANDIDATES_MAX, sizeof *m);
	int n = 0;
	/* A candidate's address counts only against a record's address or locality; the caller sees
	 * the candidates' ids, not their addresses. */
	bool address = (in->address && in->address[0]) || (in->locality && in->locality[0]);
	if (!m || search(st, c, in, RESOLVE_FLOOR, NULL, NULL, address, m, IDENTITY_CANDIDATES_MAX, &n) != 0) {
		free(m);
		return -1;
	}
	for (int i = 0; i < n; i++)
		out->c[i] = m[i].c;
	out->n = n;
	free(m);
	if (n && out->c[0].probability >= link) {
		out->outcome = IDENTITY_LINKED;
		out->person_id = out->c[0].person_id;
	} else if (n && out->c[0].probability >= review) {
		out->outcome = IDENTITY_REVIEW;
	}
	return 0;
}

/* ---- the review queue ---- */

void identity_review_free(struct identity_review *r)
{
	free(r->row_data);
	free(r->candidates);
	r->row_data = r->candidates = NULL;
}

int identity_queue_review(struct store *st, int64_t import_id, const char *kind, int row_number,
			  const char *row_json, const struct identity_result *r, int64_t by_user, int64_t *id)
{
	*id = 0;
	if (store_match_review_insert(st, import_id, kind, row_number, row_json, r, store_now(), id) != 0)
		return -1;
	struct user u;
	bool known = by_user > 0 && store_user_by_id(st, by_user, &u) == 0;
	char detail[128];
	snprintf(detail, sizeof detail, "%s import %lld row %d: %d candidates", kind, (long long)import_id, row_number,
		 r->n);
	struct audit_entry e;
	audit_fill(&e, known ? &u : NULL, "match.queue", "match_review", *id, "ok", detail);
	return audit_record(st, &e) == 0 ? 0 : -1;
}

int identity_review_list(struct store *st, const char *status, int limit, int offset,
			 int (*fn)(void *ctx, const struct identity_review *r), void *ctx, int64_t *total)
{
	return store_match_review_list(st, status, limit, offset, fn, ctx, total);
}

int identity_review_get(struct store *st, int64_t id, struct identity_review *out)
{
	int rc = store_match_review_get(st, id, out);
	return rc == STORE_NOTFOUND ? 1 : rc;
}

/*
 * Write the row against *person_id through the import it came from; *person_id 0 has the import
 * create the person from the row, the way it creates one on import, and sets it.
 */
static enum identity_status apply_row(struct store *st, const struct user *by, const struct identity_review *r,
				      int64_t *person_id, char *err, size_t errcap)
{
	if (strcmp(r->kind, "missing") == 0)
		return import_missing_apply_review(st, by, r->row_data, person_id, err, errcap) == 0 ? IDENTITY_OK
												  : IDENTITY_NOT_APPLIED;
	snprintf(err, errcap, "rows of kind %s cannot be written", r->kind);
	return IDENTITY_UNKNOWN_KIND;
}

enum identity_status identity_review_decide(struct store *st, const struct user *by, int64_t id, int64_t version,
					    enum identity_decision d, int64_t person_id, int64_t *person_out, char *err,
					    size_t errcap)
{
	struct identity_review r = { 0 };
	struct identity_person *p = NULL;
	enum identity_status ret = IDENTITY_FAILED;
	*person_out = 0;
	err[0] = 0;
	int rc = identity_review_get(st, id, &r);
	if (rc != 0) {
		ret = rc == 1 ? IDENTITY_NOT_FOUND : IDENTITY_FAILED;
		goto out;
	}
	if (strcmp(r.status, "pending") != 0) {
		ret = IDENTITY_DECIDED;
		goto out;
	}
	if (r.version != version) {
		ret = IDENTITY_STALE;
		goto out;
	}
	const char *status = "dismissed";
	if (d == IDENTITY_DECIDE_LINK) {
		p = malloc(sizeof *p);
		if (!p)
			goto out;
		rc = identity_person_get(st, person_id, p);
		if (rc != 0) {
			ret = rc == 1 ? IDENTITY_NO_PERSON : IDENTITY_FAILED;
			goto out;
		}
		if (p->merged_into) {
			snprintf(err, errcap, "was merged into person %lld: choose that person", (long long)p->merged_into);
			ret = IDENTITY_MERGED;
			goto out;
		}
		if (!person_may_access(st, by, person_id, p->restricted)) {
			ret = IDENTITY_DENIED;
			goto out;
		}
		if ((ret = apply_row(st, by, &r, &person_id, err, errcap)) != IDENTITY_OK)
			goto out;
		status = "linked";
	} else if (d == IDENTITY_DECIDE_NEW) {
		if (strcmp(r.kind, "missing") != 0) {
			snprintf(err, errcap, "rows of kind %s cannot be written", r.kind);
			ret = IDENTITY_UNKNOWN_KIND;
			goto out;
		}
		person_id = 0;
		if ((ret = apply_row(st, by, &r, &person_id, err, errcap)) != IDENTITY_OK)
			goto out;
		status = "created";
	} else {
		person_id = 0;
	}
	ret = IDENTITY_FAILED;
	rc = store_match_review_decide(st, id, version, status, person_id, by->id, store_now());
	if (rc != 0) {
		ret = rc == STORE_CONFLICT ? IDENTITY_STALE : IDENTITY_FAILED;
		goto out;
	}
	char detail[96];
	if (person_id)
		snprintf(detail, sizeof detail, "%s: person %lld", status, (long long)person_id);
	else
		snprintf(detail, sizeof detail, "%s", status);
	struct audit_entry e;
	audit_fill(&e, by, "match.decide", "match_review", id, "ok", detail);
	if (audit_record(st, &e) != 0)
		goto out;
	*person_out = person_id;
	ret = IDENTITY_OK;
out:
	identity_review_free(&r);
	free(p);
	return ret;
}
