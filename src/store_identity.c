/*
 * store_identity.c - SQL for identity resolution and the review queue. See store_identity.h.
 * jansson is used here only to read the aliases column and to write the candidates column of
 * match_reviews. Every statement is static text with bound values; the FTS5 match expressions
 * are built from folded name words (which hold no quote) and bound, never spliced into SQL.
 * Owns: these statements. Must not touch: HTTP, the matching model, the rules of the queue.
 */
#include "store_identity.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

/* Each rule walks an index: persons_nhs, persons_dob, the FTS index, and persons_postcode (sql/005). */
static const char SQL_BY_NHS[] =
	"SELECT id FROM persons WHERE nhs_number = ?1 AND merged_into IS NULL ORDER BY id LIMIT ?2";
static const char SQL_BY_DOB[] =
	"SELECT id FROM persons WHERE dob = ?1 AND merged_into IS NULL ORDER BY id LIMIT ?2";
static const char SQL_BY_FAMILY_YEAR[] =
	"SELECT p.id FROM person_names n JOIN persons p ON p.id = n.rowid WHERE person_names MATCH ?1"
	" AND p.dob >= ?2 || '-01-01' AND p.dob <= ?2 || '-12-31' AND p.merged_into IS NULL LIMIT ?3";
static const char SQL_BY_POSTCODE_INITIAL[] =
	"SELECT id FROM persons WHERE postcode = ?1 AND upper(substr(given_name, 1, 1)) = ?2"
	" AND merged_into IS NULL ORDER BY id LIMIT ?3";
/* Every word together, best (FTS5 rank) first: few persons hold them all, so ranking is cheap. */
static const char SQL_BY_NAMES[] =
	"SELECT p.id FROM person_names n JOIN persons p ON p.id = n.rowid WHERE person_names MATCH ?1"
	" AND p.merged_into IS NULL ORDER BY n.rank LIMIT ?2";
/* The holders of one word in rowid order (no ranking: the caller takes all of them or none). */
static const char SQL_BY_WORD[] = "SELECT rowid FROM person_names WHERE person_names MATCH ?1 LIMIT ?2";
/* The person's columns; the addresses as stored, read by address_read. */
static const char SQL_PERSON[] =
	"SELECT p.id, coalesce(p.merged_into, 0), p.restricted, p.given_name, p.family_name, p.aliases,"
	" coalesce(p.dob, ''), p.sex, coalesce(p.postcode, ''), coalesce(p.nhs_number, ''), coalesce(p.upn, ''),"
	" coalesce(p.police_ref, ''), coalesce(p.la_id, ''), p.addresses FROM persons p WHERE p.id = ?1";
/* The current address (else the first) gives the address and locality compared: the rule, in SQL,
 * for the addresses address_read does not take on itself. */
static const char SQL_PERSON_ADDRESS[] =
	"SELECT"
	" (SELECT coalesce(json_extract(a.value, '$.line1'), '') || CASE WHEN coalesce(json_extract(a.value,"
	"   '$.line2'), '') <> '' THEN ', ' || json_extract(a.value, '$.line2') ELSE '' END"
	"   FROM json_each(p.addresses) a ORDER BY coalesce(json_extract(a.value, '$.current'), 0) DESC,"
	"   CAST(a.key AS INTEGER) LIMIT 1),"
	" (SELECT coalesce(json_extract(a.value, '$.town'), '') FROM json_each(p.addresses) a"
	"   ORDER BY coalesce(json_extract(a.value, '$.current'), 0) DESC, CAST(a.key AS INTEGER) LIMIT 1)"
	" FROM persons p WHERE p.id = ?1";
static const char SQL_REVIEW_INSERT[] =
	"INSERT INTO match_reviews(import_id, kind, row_number, row_data, candidates, status, created_at, version,"
	" row_key) VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, 'pending', ?6, 1, CASE ?2 WHEN 'missing' THEN"
	" json_extract(?4, '$.police_force') || char(31) || json_extract(?4, '$.police_ref') END)";
static const char SQL_REVIEW_GET[] =
	"SELECT r.id, r.version, coalesce(r.import_id, 0), r.kind, r.row_number, r.row_data, r.candidates, r.status,"
	" coalesce(r.person_id, 0), coalesce(r.decided_at, 0), coalesce(u.username, ''), r.created_at"
	" FROM match_reviews r LEFT JOIN users u ON u.id = r.decided_by WHERE r.id = ?1";
/* Pending reviews walk the partial index match_reviews_pending. */
static const char SQL_REVIEW_LIST[] =
	"SELECT r.id, r.version, coalesce(r.import_id, 0), r.kind, r.row_number, r.row_data, r.candidates, r.status,"
	" coalesce(r.person_id, 0), coalesce(r.decided_at, 0), coalesce(u.username, ''), r.created_at"
	" FROM match_reviews r LEFT JOIN users u ON u.id = r.decided_by WHERE (?1 = '' OR r.status = ?1)"
	" ORDER BY r.created_at, r.id LIMIT ?2 OFFSET ?3";
static const char SQL_REVIEW_COUNT[] = "SELECT count(*) FROM match_reviews WHERE (?1 = '' OR status = ?1)";
static const char SQL_REVIEW_DECIDE[] =
	"UPDATE match_reviews SET status = ?3, person_id = nullif(?4, 0), decided_at = ?5, decided_by = ?6,"
	" version = version + 1 WHERE id = ?1 AND version = ?2 AND status = 'pending'";

/* Step s, calling fn with column 0 of each row; resets s. */
static int walk_ids(sqlite3_stmt *s, store_identity_id_fn fn, void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (fn(ctx, sqlite3_column_int64(s, 0)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_identity_by_nhs(struct store *st, const char *nhs, int limit, store_identity_id_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_BY_NHS);
	if (!s)
		return -1;
	store_text(s, 1, nhs);
	sqlite3_bind_int(s, 2, limit);
	return walk_ids(s, fn, ctx);
}

int store_identity_by_dob(struct store *st, const char *dob, int limit, store_identity_id_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_BY_DOB);
	if (!s)
		return -1;
	store_text(s, 1, dob);
	sqlite3_bind_int(s, 2, limit);
	return walk_ids(s, fn, ctx);
}

/*
 * Append `word` quoted to an FTS5 expression in out (joined by `op`, " " meaning AND). Returns
 * false when it does not fit. Folded words hold no '"' (valid_fold turns punctuation into
 * spaces), and a word with one is skipped, so quoting cannot be escaped.
 */
static bool fts_add(char *out, size_t cap, const char *op, const char *word)
{
	if (!*word || strchr(word, '"'))
		return true;
	size_t len = strlen(out);
	int n = snprintf(out + len, cap - len, "%s\"%s\"", len ? op : "", word);
	return n > 0 && (size_t)n < cap - len;
}

int store_identity_names_optimize(struct store *st)
{
	return sqlite3_exec(store_db(st), "INSERT INTO person_names(person_names) VALUES ('optimize')", NULL, NULL,
			    NULL) == SQLITE_OK
		       ? 0
		       : -1;
}

int store_identity_by_family_year(struct store *st, const char *family, const char *year, int limit,
				  store_identity_id_fn fn, void *ctx)
{
	char expr[512] = "", words[401];
	snprintf(words, sizeof words, "%s", family);
	/* Every word of the family name, as whole words: "van der berg" -> "van" "der" "berg". */
	for (char *w = words; *w;) {
		char *end = strchr(w, ' ');
		if (end)
			*end = 0;
		if (!fts_add(expr, sizeof expr, " ", w))
			break;
		if (!end)
			break;
		w = end + 1;
	}
	if (!expr[0])
		return 0;
	sqlite3_stmt *s = store_prepare(st, SQL_BY_FAMILY_YEAR);
	if (!s)
		return -1;
	store_text(s, 1, expr);
	store_text(s, 2, year);
	sqlite3_bind_int(s, 3, limit);
	return walk_ids(s, fn, ctx);
}

int store_identity_by_postcode_initial(struct store *st, const char *postcode, char initial, int limit,
				       store_identity_id_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_BY_POSTCODE_INITIAL);
	if (!s)
		return -1;
	char letter[2] = { (char)(initial >= 'a' && initial <= 'z' ? initial - 'a' + 'A' : initial), 0 };
	store_text(s, 1, postcode);
	store_text(s, 2, letter);
	sqlite3_bind_int(s, 3, limit);
	return walk_ids(s, fn, ctx);
}

int store_identity_by_names(struct store *st, const char *const *words, int n, int limit, bool *crowded,
			    store_identity_id_fn fn, void *ctx)
{
	/* 1. The persons holding every word, best first. */
	char expr[1024] = "";
	for (int i = 0; i < n; i++)
		if (!fts_add(expr, sizeof expr, " ", words[i]))
			break;
	if (!expr[0])
		return 0;
	sqlite3_stmt *s = store_prepare(st, SQL_BY_NAMES);
	if (!s)
		return -1;
	store_text(s, 1, expr);
	sqlite3_bind_int(s, 2, limit);
	if (walk_ids(s, fn, ctx) != 0)
		return -1;
	/* 2. Each word on its own, when at most `limit` persons hold it: a rare family name finds every
	 * holder; a common word ("olivia" held by thousands) finds nobody by itself, as ranking all its
	 * holders would cost milliseconds for an arbitrary few hundred of them. */
	int64_t *ids = malloc(((size_t)limit + 1) * sizeof *ids);
	if (!ids)
		return -1;
	int ret = 0;
	for (int i = 0; ret == 0 && i < n; i++) {
		char one[256] = "";
		bool repeat = false;
		for (int k = 0; k < i; k++)
			repeat = repeat || strcmp(words[k], words[i]) == 0;
		if (repeat || (crowded && crowded[i]) || !fts_add(one, sizeof one, " ", words[i]) || !one[0])
			continue;
		s = store_prepare(st, SQL_BY_WORD);
		if (!s) {
			ret = -1;
			break;
		}
		store_text(s, 1, one);
		sqlite3_bind_int(s, 2, limit + 1);
		int got = 0, rc;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			ids[got++] = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			ret = -1;
			break;
		}
		if (got > limit) {
			if (crowded)
				crowded[i] = true;
			continue;
		}
		/* Merged holders too: the caller reads every candidate and skips a merged one, so a
		 * look-up each here (hundreds for a rare family name) would only repeat that. */
		for (int k = 0; k < got; k++)
			if (fn(ctx, ids[k]) != 0)
				goto out;
	}
out:
	free(ids);
	return ret;
}

/* Copy the first aliases of a JSON array text into out. */
static void aliases_read(const char *text, struct identity_person *out)
{
	out->n_aliases = 0;
	if (!text || strcmp(text, "[]") == 0)
		return; /* most persons: no parse */
	json_t *arr = json_loads(text, 0, NULL);
	size_t i;
	json_t *a;
	json_array_foreach(arr, i, a) {
		if (out->n_aliases == IDENTITY_ALIASES_MAX)
			break;
		if (json_is_string(a) && json_string_length(a))
			snprintf(out->aliases[out->n_aliases++], sizeof out->aliases[0], "%s", json_string_value(a));
	}
	json_decref(arr);
}

/* A member of address object a that SQL_PERSON_ADDRESS reads as text: missing or null is "", a
 * string is itself; NULL for any other type (the SQL reading is then asked). */
static const char *address_text(json_t *a, const char *key)
{
	json_t *v = json_object_get(a, key);
	return !v || json_is_null(v) ? "" : json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * The address and locality of SQL_PERSON_ADDRESS from the addresses column's text, without its
 * json_each (a candidate's read cost several times more with it, and the matcher reads hundreds
 * per search): of the array's objects, the one with the greatest "current" (true 1, false,
 * null or missing 0), the first on a tie; its line1 and line2 joined by ", " when line2 is not
 * empty, and its town. An empty array gives "". True when done; false when the text is anything
 * else (not an array of objects whose members have those types, or JSON that jansson reads
 * differently from SQLite), left to the SQL.
 */
static bool address_read(const char *text, struct identity_person *out)
{
	json_t *arr = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, NULL);
	bool ok = json_is_array(arr);
	size_t i;
	json_t *a, *best = NULL;
	json_int_t best_rank = 0;
	json_array_foreach(arr, i, a) {
		if (!ok)
			break;
		json_t *cur = json_object_get(a, "current");
		json_int_t rank = 0;
		if (!json_is_object(a) || !address_text(a, "line1") || !address_text(a, "line2") ||
		    !address_text(a, "town"))
			ok = false;
		else if (json_is_integer(cur))
			rank = json_integer_value(cur);
		else if (json_is_true(cur))
			rank = 1;
		else if (cur && !json_is_false(cur) && !json_is_null(cur))
			ok = false;
		if (ok && (!best || rank > best_rank)) {
			best = a;
			best_rank = rank;
		}
	}
	if (ok && best) {
		const char *line2 = address_text(best, "line2");
		snprintf(out->address, sizeof out->address, "%s%s%s", address_text(best, "line1"), line2[0] ? ", " : "",
			 line2);
		snprintf(out->locality, sizeof out->locality, "%s", address_text(best, "town"));
	} else if (ok) {
		out->address[0] = out->locality[0] = 0;
	}
	json_decref(arr);
	return ok;
}

int store_identity_person(struct store *st, int64_t id, bool address, struct identity_person *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_PERSON);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* Every member is set below (~8 KiB: not cleared whole, a read per matcher candidate). */
		out->address[0] = out->locality[0] = 0;
		out->id = sqlite3_column_int64(s, 0);
		out->merged_into = sqlite3_column_int64(s, 1);
		out->restricted = sqlite3_column_int(s, 2) != 0;
		store_col(s, 3, out->given_name, sizeof out->given_name);
		store_col(s, 4, out->family_name, sizeof out->family_name);
		aliases_read((const char *)sqlite3_column_text(s, 5), out);
		store_col(s, 6, out->dob, sizeof out->dob);
		store_col(s, 7, out->sex, sizeof out->sex);
		store_col(s, 8, out->postcode, sizeof out->postcode);
		store_col(s, 9, out->nhs_number, sizeof out->nhs_number);
		store_col(s, 10, out->upn, sizeof out->upn);
		store_col(s, 11, out->police_ref, sizeof out->police_ref);
		store_col(s, 12, out->la_id, sizeof out->la_id);
		bool done = !address || address_read((const char *)sqlite3_column_text(s, 13), out);
		sqlite3_reset(s);
		if (done)
			return 0;
		s = store_prepare(st, SQL_PERSON_ADDRESS);
		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			store_col(s, 0, out->address, sizeof out->address);
			store_col(s, 1, out->locality, sizeof out->locality);
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

/* ---- the review queue ---- */

/* The candidates column for r: [{"person_id", "probability", "reasons": [...]}] (malloc'd). */
static char *candidates_text(const struct identity_result *r)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < r->n; i++) {
		const struct identity_candidate *c = &r->c[i];
		json_t *reasons = json_array();
		for (int k = 0; k < c->why.n && k < MATCH_REASON_MAX; k++) {
			const struct match_reason *x = &c->why.r[k];
			json_array_append_new(reasons, json_pack("{s:s, s:s, s:s, s:f}", "field", x->field, "level", x->level,
								 "text", x->text, "weight", x->weight));
		}
		json_array_append_new(arr, json_pack("{s:I, s:f, s:o}", "person_id", (json_int_t)c->person_id,
						     "probability", c->probability, "reasons", reasons));
	}
	char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return text;
}

int store_match_review_insert(struct store *st, int64_t import_id, const char *kind, int row_number,
			      const char *row_json, const struct identity_result *r, int64_t now, int64_t *id)
{
	char *cands = candidates_text(r);
	if (!cands)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_REVIEW_INSERT);
	int rc = -1;
	if (s) {
		sqlite3_bind_int64(s, 1, import_id);
		store_text(s, 2, kind);
		sqlite3_bind_int(s, 3, row_number);
		store_text(s, 4, row_json);
		store_text(s, 5, cands);
		sqlite3_bind_int64(s, 6, now);
		rc = store_done(st, s);
		if (rc == 0)
			*id = sqlite3_last_insert_rowid(store_db(st));
	}
	free(cands);
	return rc == 0 ? 0 : -1;
}

/* A copy of column i's text (malloc'd, "" for NULL); NULL when out of memory. */
static char *col_dup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return strdup(t ? t : "");
}

/* Read a review row of SQL_REVIEW_GET / SQL_REVIEW_LIST into *r; -1 when out of memory. */
static int review_read(sqlite3_stmt *s, struct identity_review *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->version = sqlite3_column_int64(s, 1);
	r->import_id = sqlite3_column_int64(s, 2);
	store_col(s, 3, r->kind, sizeof r->kind);
	r->row_number = sqlite3_column_int(s, 4);
	r->row_data = col_dup(s, 5);
	r->candidates = col_dup(s, 6);
	store_col(s, 7, r->status, sizeof r->status);
	r->person_id = sqlite3_column_int64(s, 8);
	r->decided_at = sqlite3_column_int64(s, 9);
	store_col(s, 10, r->decided_by, sizeof r->decided_by);
	r->created_at = sqlite3_column_int64(s, 11);
	if (!r->row_data || !r->candidates) {
		identity_review_free(r);
		return -1;
	}
	return 0;
}

int store_match_review_get(struct store *st, int64_t id, struct identity_review *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_REVIEW_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	int ret = rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	if (rc == SQLITE_ROW)
		ret = review_read(s, out);
	sqlite3_reset(s);
	return ret;
}

int store_match_review_list(struct store *st, const char *status, int limit, int offset,
			    int (*fn)(void *ctx, const struct identity_review *r), void *ctx, int64_t *total)
{
	*total = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_REVIEW_COUNT);
	if (!s)
		return -1;
	store_text(s, 1, status);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return -1;
	s = store_prepare(st, SQL_REVIEW_LIST);
	if (!s)
		return -1;
	store_text(s, 1, status);
	sqlite3_bind_int(s, 2, limit);
	sqlite3_bind_int(s, 3, offset);
	int ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct identity_review r;
		if (review_read(s, &r) != 0) {
			ret = -1;
			break;
		}
		ret = fn(ctx, &r);
		identity_review_free(&r);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = -1;
	sqlite3_reset(s);
	return ret;
}

int store_match_review_decide(struct store *st, int64_t id, int64_t version, const char *status, int64_t person_id,
			      int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_REVIEW_DECIDE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, version);
	store_text(s, 3, status);
	sqlite3_bind_int64(s, 4, person_id);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, by);
	if (store_done(st, s) != 0)
		return -1;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}
