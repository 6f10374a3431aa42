/*
 * store_merge.c - SQL for merging persons and undoing it: finding every row that points at a
 * person, moving it, and the person_merges record with its list of what moved. See
 * store_merge.h for the columns and the moved list's format. jansson is used here only to write
 * and read that list and the found_with column.
 * Owns: these statements. Must not touch: HTTP, the merge's rules (merge.c), other slices'
 * tables beyond the one column of each that names a person.
 */
#include "store_merge.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "store.h"
#include "store_int.h"

/*
 * A column that holds a person id and is moved row by row. select_sql: ?1 the person merged
 * (from), ?2 the survivor (to, used by person_flags only): the ids of the rows to move, in id
 * order. move_sql: ?1 the row id, ?2 the person it must still name, ?3 the person it is to name;
 * moves that row only when it still names ?2.
 */
struct merge_ref {
	const char *table;
	const char *column;
	const char *select_sql;
	const char *move_sql;
	bool foreign_key;        /* declared REFERENCES persons(id) (store_merge_check compares) */
};

static const char SQL_REFERRALS_SEL[] = "SELECT id FROM referrals WHERE person_id = ?1 ORDER BY id";
static const char SQL_REFERRALS_MOVE[] = "UPDATE referrals SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";
static const char SQL_CASES_SEL[] = "SELECT id FROM cases WHERE person_id = ?1 ORDER BY id";
static const char SQL_CASES_MOVE[] = "UPDATE cases SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";
static const char SQL_ASSESSMENTS_SEL[] = "SELECT id FROM assessments WHERE person_id = ?1 ORDER BY id";
/* Assessments are never updated (trigger assessments_no_update): the row is replaced by an
 * identical one naming the other person. store_merge_check makes sure no column is left out. */
static const char SQL_ASSESSMENTS_MOVE[] =
	"INSERT OR REPLACE INTO assessments(id, person_id, case_id, tool_id, answers, result, score, computed_level,"
	" final_level, override_level, override_rationale, assessed_at, assessor_id)"
	" SELECT id, ?3, case_id, tool_id, answers, result, score, computed_level, final_level, override_level,"
	" override_rationale, assessed_at, assessor_id FROM assessments WHERE id = ?1 AND person_id = ?2";
#define ASSESSMENT_COLUMNS 13
static const char SQL_MEETINGS_SEL[] = "SELECT id FROM meetings WHERE person_id = ?1 ORDER BY id";
static const char SQL_MEETINGS_MOVE[] = "UPDATE meetings SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";
static const char SQL_CLOCKS_SEL[] = "SELECT id FROM clocks WHERE person_id = ?1 ORDER BY id";
static const char SQL_CLOCKS_MOVE[] = "UPDATE clocks SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";
static const char SQL_CLOCK_SUBJECTS_SEL[] =
	"SELECT id FROM clocks WHERE subject_type = 'person' AND subject_id = ?1 ORDER BY id";
static const char SQL_CLOCK_SUBJECTS_MOVE[] =
	"UPDATE clocks SET subject_id = ?3 WHERE id = ?1 AND subject_type = 'person' AND subject_id = ?2";
static const char SQL_EPISODES_SEL[] = "SELECT id FROM missing_episodes WHERE person_id = ?1 ORDER BY id";
static const char SQL_EPISODES_MOVE[] =
	"UPDATE missing_episodes SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";
/* An active flag moves only when the survivor has no active flag of its kind (person_flags_active). */
static const char SQL_FLAGS_SEL[] =
	"SELECT f.id FROM person_flags f WHERE f.person_id = ?1 AND NOT (f.removed_at IS NULL AND EXISTS"
	" (SELECT 1 FROM person_flags g WHERE g.person_id = ?2 AND g.kind = f.kind AND g.removed_at IS NULL))"
	" ORDER BY f.id";
static const char SQL_FLAGS_KEPT[] =
	"SELECT f.id FROM person_flags f WHERE f.person_id = ?1 AND f.removed_at IS NULL AND EXISTS"
	" (SELECT 1 FROM person_flags g WHERE g.person_id = ?2 AND g.kind = f.kind AND g.removed_at IS NULL)"
	" ORDER BY f.id";
static const char SQL_FLAGS_MOVE[] = "UPDATE person_flags SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";
static const char SQL_REVIEWS_SEL[] = "SELECT id FROM match_reviews WHERE person_id = ?1 ORDER BY id";
static const char SQL_REVIEWS_MOVE[] = "UPDATE match_reviews SET person_id = ?3 WHERE id = ?1 AND person_id = ?2";

static const struct merge_ref refs[] = {
	{ "referrals", "person_id", SQL_REFERRALS_SEL, SQL_REFERRALS_MOVE, true },
	{ "cases", "person_id", SQL_CASES_SEL, SQL_CASES_MOVE, true },
	{ "assessments", "person_id", SQL_ASSESSMENTS_SEL, SQL_ASSESSMENTS_MOVE, true },
	{ "meetings", "person_id", SQL_MEETINGS_SEL, SQL_MEETINGS_MOVE, true },
	{ "clocks", "person_id", SQL_CLOCKS_SEL, SQL_CLOCKS_MOVE, true },
	{ "clocks", "subject_id", SQL_CLOCK_SUBJECTS_SEL, SQL_CLOCK_SUBJECTS_MOVE, false },
	{ "missing_episodes", "person_id", SQL_EPISODES_SEL, SQL_EPISODES_MOVE, true },
	{ "person_flags", "person_id", SQL_FLAGS_SEL, SQL_FLAGS_MOVE, true },
	{ "match_reviews", "person_id", SQL_REVIEWS_SEL, SQL_REVIEWS_MOVE, true },
};
#define N_REFS ((int)(sizeof refs / sizeof refs[0]))

/* References to persons(id) that a merge leaves alone on purpose (or handles apart). */
static const char *const refs_left[][2] = {
	{ "persons", "merged_into" },        /* the merge's own mark */
	{ "person_merges", "survivor_id" },  /* the merge's own record */
	{ "person_merges", "merged_id" },
	{ "person_access", "person_id" },    /* copied to the survivor (access_copy) */
};

static const char SQL_FOUND_WITH_SEL[] =
	"SELECT e.id, e.found_with FROM missing_episodes e WHERE CASE WHEN json_valid(e.found_with) THEN"
	" EXISTS (SELECT 1 FROM json_each(e.found_with) j WHERE j.type = 'integer' AND j.value = ?1) ELSE 0 END"
	" ORDER BY e.id";
static const char SQL_FOUND_WITH_GET[] = "SELECT found_with FROM missing_episodes WHERE id = ?1";
static const char SQL_FOUND_WITH_SET[] = "UPDATE missing_episodes SET found_with = ?2 WHERE id = ?1";
static const char SQL_ACCESS_NEW[] =
	"SELECT a.user_id FROM person_access a WHERE a.person_id = ?1 AND NOT EXISTS"
	" (SELECT 1 FROM person_access b WHERE b.person_id = ?2 AND b.user_id = a.user_id) ORDER BY a.user_id";
static const char SQL_ACCESS_ADD[] = "INSERT INTO person_access(person_id, user_id) VALUES (?1, ?2)";
static const char SQL_ACCESS_REMOVE[] = "DELETE FROM person_access WHERE person_id = ?1 AND user_id = ?2";

static const char SQL_FOREIGN_KEYS[] =
	"SELECT m.name, f.\"from\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f"
	" WHERE m.type = 'table' AND f.\"table\" = 'persons' ORDER BY 1, 2";
static const char SQL_ASSESSMENT_COLUMNS[] = "SELECT count(*) FROM pragma_table_info('assessments')";

static const char SQL_PERSON[] = "SELECT version, restricted, coalesce(merged_into, 0) FROM persons WHERE id = ?1";
static const char SQL_BUMP_IF[] =
	"UPDATE persons SET version = version + 1, updated_at = ?3, updated_by = ?4"
	" WHERE id = ?1 AND version = ?2 AND merged_into IS NULL";
static const char SQL_BUMP[] = "UPDATE persons SET version = version + 1, updated_at = ?3, updated_by = ?4 WHERE id = ?1";
static const char SQL_SET_INTO[] =
	"UPDATE persons SET merged_into = nullif(?2, 0), version = version + 1, updated_at = ?3, updated_by = ?4"
	" WHERE id = ?1";
static const char SQL_MERGE_INSERT[] =
	"INSERT INTO person_merges(survivor_id, merged_id, reason, moved, merged_at, merged_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_MERGE_GET[] =
	"SELECT m.id, m.survivor_id, m.merged_id, m.reason, m.moved, m.merged_at, coalesce(mu.username, ''),"
	" coalesce(m.unmerged_at, 0), coalesce(uu.username, '') FROM person_merges m"
	" LEFT JOIN users mu ON mu.id = m.merged_by LEFT JOIN users uu ON uu.id = m.unmerged_by WHERE m.id = ?1";
static const char SQL_MERGE_UNDONE[] =
	"UPDATE person_merges SET unmerged_at = ?2, unmerged_by = ?3 WHERE id = ?1 AND unmerged_at IS NULL";
/* The person, the persons merged into it (and into those, ...): their merges, and the person's own. */
static const char SQL_MERGE_IDS[] =
	"WITH RECURSIVE tree(id) AS (SELECT ?1 UNION SELECT p.id FROM persons p JOIN tree t ON p.merged_into = t.id)"
	" SELECT m.id FROM person_merges m WHERE m.merged_id = ?1 OR m.survivor_id IN (SELECT id FROM tree)"
	" ORDER BY m.id DESC LIMIT ?2";

/* A growing list of ids. */
struct ids {
	int64_t *v;
	size_t n, cap;
};

static int ids_push(struct ids *l, int64_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		int64_t *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return 0;
}

/* Run a select of ids (?1 a, ?2 b when the statement has it) into *out. Returns 0 or -1. */
static int ids_select(struct store *st, const char *sql, int64_t a, int64_t b, struct ids *out)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, b);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (ids_push(out, sqlite3_column_int64(s, 0)) != 0) {
			sqlite3_reset(s);
			return -1;
		}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A JSON array of the ids (new reference). */
static json_t *ids_json(const struct ids *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, json_integer(l->v[i]));
	return a;
}

/* Step a move statement for one row: *changed gets whether it moved. Returns 0, STORE_CONFLICT or -1. */
static int move_row(struct store *st, const char *sql, int64_t id, int64_t from, int64_t to, bool *changed)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	*changed = sqlite3_changes(store_db(st)) > 0;
	return 0;
}

int store_merge_person(struct store *st, int64_t id, struct merge_person *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_PERSON);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = id;
		out->version = sqlite3_column_int64(s, 0);
		out->restricted = sqlite3_column_int(s, 1) != 0;
		out->merged_into = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

static bool ref_known(const char *table, const char *column)
{
	for (int i = 0; i < N_REFS; i++)
		if (refs[i].foreign_key && strcmp(refs[i].table, table) == 0 && strcmp(refs[i].column, column) == 0)
			return true;
	for (size_t i = 0; i < sizeof refs_left / sizeof refs_left[0]; i++)
		if (strcmp(refs_left[i][0], table) == 0 && strcmp(refs_left[i][1], column) == 0)
			return true;
	return false;
}

int store_merge_check(struct store *st, char *what, size_t cap)
{
	what[0] = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_FOREIGN_KEYS);
	if (!s)
		return -1;
	int rc, result = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(s, 0);
		const char *column = (const char *)sqlite3_column_text(s, 1);
		if (!ref_known(table ? table : "", column ? column : "")) {
			snprintf(what, cap, "%s.%s", table ? table : "", column ? column : "");
			result = STORE_CONFLICT;
			break;
		}
	}
	sqlite3_reset(s);
	if (result == 0 && rc != SQLITE_DONE)
		return -1;
	if (result != 0)
		return result;
	s = store_prepare(st, SQL_ASSESSMENT_COLUMNS);
	if (!s)
		return -1;
	rc = sqlite3_step(s);
	int columns = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return -1;
	if (columns != ASSESSMENT_COLUMNS) {
		snprintf(what, cap, "assessments has %d columns, the merge copies %d", columns, ASSESSMENT_COLUMNS);
		return STORE_CONFLICT;
	}
	return 0;
}

/* The ids of a JSON array of integers (non-integers are skipped) into *out. Returns 0 or -1. */
static int ids_from_json(json_t *a, struct ids *out)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		if (json_is_integer(x) && ids_push(out, json_integer_value(x)) != 0)
			return -1;
	}
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/*
 * Fill m->counts from a moved list: per table, the number of distinct rows listed ("kept" flags
 * are not counted: they did not move). Returns 0 or -1.
 */
static int counts_from_moved(json_t *moved, struct merge_record *m)
{
	m->n_counts = 0;
	size_t i;
	json_t *e;
	json_array_foreach(moved, i, e) {
		const char *table = json_string_value(json_object_get(e, "table"));
		if (!table)
			continue;
		bool seen = false;
		for (int k = 0; k < m->n_counts; k++)
			seen = seen || strcmp(m->counts[k].table, table) == 0;
		if (seen || m->n_counts == MERGE_TABLES_MAX)
			continue;
		/* Every entry of this table, from this one on. */
		struct ids all = { 0 };
		size_t j;
		json_t *f;
		json_array_foreach(moved, j, f) {
			if (j < i || !json_string_value(json_object_get(f, "table")) ||
			    strcmp(json_string_value(json_object_get(f, "table")), table) != 0)
				continue;
			if (ids_from_json(json_object_get(f, "ids"), &all) != 0) {
				free(all.v);
				return -1;
			}
		}
		int64_t distinct = 0;
		if (all.n) {
			qsort(all.v, all.n, sizeof *all.v, cmp_id);
			distinct = 1;
			for (size_t k = 1; k < all.n; k++)
				distinct += all.v[k] != all.v[k - 1];
		}
		free(all.v);
		struct merge_count *c = &m->counts[m->n_counts++];
		snprintf(c->table, sizeof c->table, "%s", table);
		c->rows = distinct;
	}
	return 0;
}

/* Move the rows of one column; adds its entry to `moved` when any moved. Returns 0 or -1. */
static int move_ref(struct store *st, const struct merge_ref *r, int64_t from, int64_t to, json_t *moved)
{
	struct ids l = { 0 }, kept = { 0 };
	int rc = ids_select(st, r->select_sql, from, to, &l);
	if (rc == 0 && r->select_sql == SQL_FLAGS_SEL)
		rc = ids_select(st, SQL_FLAGS_KEPT, from, to, &kept);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		bool changed = false;
		rc = move_row(st, r->move_sql, l.v[i], from, to, &changed);
		if (rc == 0 && !changed)
			rc = -1; /* it was just read in this transaction: it must move */
	}
	if (rc == 0 && l.n) {
		json_t *e = json_pack("{s:s, s:s, s:o}", "table", r->table, "column", r->column, "ids", ids_json(&l));
		if (e && kept.n)
			json_object_set_new(e, "kept", ids_json(&kept));
		if (!e || json_array_append_new(moved, e) != 0)
			rc = -1;
	}
	free(l.v);
	free(kept.v);
	return rc == 0 ? 0 : -1;
}

/* The person ids of a found_with text into a malloc'd array (*n of them; NULL and 0 when none). */
static int64_t *list_parse(const char *text, size_t *n)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL);
	struct ids l = { 0 };
	*n = 0;
	if (json_is_array(a) && ids_from_json(a, &l) != 0) {
		free(l.v);
		l.v = NULL;
		l.n = 0;
	}
	json_decref(a);
	*n = l.n;
	return l.v;
}

/* A JSON array text of n ids (malloc'd; NULL when out of memory). */
static char *list_text(const int64_t *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return s;
}

static int found_with_set(struct store *st, int64_t id, const int64_t *v, size_t n)
{
	char *text = list_text(v, n);
	if (!text)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_FOUND_WITH_SET);
	if (!s) {
		free(text);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	store_text(s, 2, text);
	free(text);
	return store_done(st, s) == 0 ? 0 : -1;
}

/* Rewrite the found_with lists naming `from`; adds the entry with each list as it was. */
static int move_found_with(struct store *st, int64_t from, int64_t to, json_t *moved)
{
	struct ids ids = { 0 };
	json_t *before = json_array();
	int rc = before ? 0 : -1;
	/* Read every list first: the rows are rewritten after the select is done. */
	sqlite3_stmt *s = rc == 0 ? store_prepare(st, SQL_FOUND_WITH_SEL) : NULL;
	if (!s)
		rc = -1;
	if (rc == 0) {
		sqlite3_bind_int64(s, 1, from);
		int step;
		while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(s, 1);
			json_t *list = json_loads(text ? text : "[]", 0, NULL);
			if (!list || ids_push(&ids, sqlite3_column_int64(s, 0)) != 0 ||
			    json_array_append_new(before, list) != 0)
				rc = -1;
		}
		if (rc == 0 && step != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(s);
	}
	for (size_t i = 0; rc == 0 && i < ids.n; i++) {
		struct ids in = { 0 };
		if (ids_from_json(json_array_get(before, i), &in) != 0) {
			rc = -1;
		} else {
			int64_t *out = calloc(in.n ? in.n : 1, sizeof *out);
			if (!out)
				rc = -1;
			else
				rc = found_with_set(st, ids.v[i], out, merge_ids_rewrite(in.v, in.n, from, to, out));
			free(out);
		}
		free(in.v);
	}
	if (rc == 0 && ids.n) {
		json_t *e = json_pack("{s:s, s:s, s:o, s:O}", "table", "missing_episodes", "column", "found_with", "ids",
				      ids_json(&ids), "before", before);
		if (!e || json_array_append_new(moved, e) != 0)
			rc = -1;
	}
	json_decref(before);
	free(ids.v);
	return rc;
}

/* Name the users named on `from` (and not on `to`) on `to` as well; adds the entry. */
static int access_copy(struct store *st, int64_t from, int64_t to, json_t *moved)
{
	struct ids users = { 0 };
	int rc = ids_select(st, SQL_ACCESS_NEW, from, to, &users);
	for (size_t i = 0; rc == 0 && i < users.n; i++) {
		sqlite3_stmt *s = store_prepare(st, SQL_ACCESS_ADD);
		if (!s) {
			rc = -1;
			break;
		}
		sqlite3_bind_int64(s, 1, to);
		sqlite3_bind_int64(s, 2, users.v[i]);
		rc = store_done(st, s) == 0 ? 0 : -1;
	}
	if (rc == 0 && users.n) {
		json_t *e = json_pack("{s:s, s:s, s:o}", "table", "person_access", "column", "user_id", "ids",
				      ids_json(&users));
		if (!e || json_array_append_new(moved, e) != 0)
			rc = -1;
	}
	free(users.v);
	return rc;
}

int store_merge_move(struct store *st, int64_t from, int64_t to, bool restricted, char **moved,
		     struct merge_record *m)
{
	*moved = NULL;
	json_t *list = json_array();
	int rc = list ? 0 : -1;
	for (int i = 0; rc == 0 && i < N_REFS; i++)
		rc = move_ref(st, &refs[i], from, to, list);
	if (rc == 0)
		rc = move_found_with(st, from, to, list);
	if (rc == 0 && restricted)
		rc = access_copy(st, from, to, list);
	if (rc == 0)
		rc = counts_from_moved(list, m);
	if (rc == 0) {
		*moved = json_dumps(list, JSON_COMPACT);
		if (!*moved)
			rc = -1;
	}
	json_decref(list);
	return rc;
}

/* Put back one found_with list (episode `id`, `before` as the merge found it). */
static int restore_found_with(struct store *st, int64_t id, json_t *before_json, int64_t survivor, int64_t merged,
			      struct merge_record *m)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FOUND_WITH_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int step = sqlite3_step(s);
	size_t n = 0;
	int64_t *now = step == SQLITE_ROW ? list_parse((const char *)sqlite3_column_text(s, 0), &n) : NULL;
	sqlite3_reset(s);
	if (step == SQLITE_DONE) {
		m->left++;
		return 0;
	}
	if (step != SQLITE_ROW) {
		free(now);
		return -1;
	}
	struct ids before = { 0 };
	int64_t *out = calloc(n + 1, sizeof *out);
	int rc = out && ids_from_json(before_json, &before) == 0 ? 0 : -1;
	if (rc == 0) {
		size_t k = merge_ids_restore(now, n, before.v, before.n, merged, survivor, out);
		bool same = k == n && (n == 0 || memcmp(out, now, n * sizeof *out) == 0);
		if (same) {
			m->left++;
		} else {
			rc = found_with_set(st, id, out, k);
			m->restored++;
		}
	}
	free(before.v);
	free(out);
	free(now);
	return rc;
}

static const struct merge_ref *ref_find(const char *table, const char *column)
{
	for (int i = 0; i < N_REFS; i++)
		if (strcmp(refs[i].table, table) == 0 && strcmp(refs[i].column, column) == 0)
			return &refs[i];
	return NULL;
}

/* Put back one entry of a moved list. Returns 0, STORE_CONFLICT or -1. */
static int restore_entry(struct store *st, json_t *e, int64_t survivor, int64_t merged, struct merge_record *m)
{
	const char *table = json_string_value(json_object_get(e, "table"));
	const char *column = json_string_value(json_object_get(e, "column"));
	json_t *ids = json_object_get(e, "ids");
	if (!table || !column || !json_is_array(ids))
		return -1;
	size_t i;
	json_t *x;
	if (strcmp(table, "missing_episodes") == 0 && strcmp(column, "found_with") == 0) {
		json_t *before = json_object_get(e, "before");
		if (!json_is_array(before) || json_array_size(before) != json_array_size(ids))
			return -1;
		json_array_foreach(ids, i, x) {
			if (!json_is_integer(x) ||
			    restore_found_with(st, json_integer_value(x), json_array_get(before, i), survivor, merged, m) != 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(table, "person_access") == 0 && strcmp(column, "user_id") == 0) {
		json_array_foreach(ids, i, x) {
			sqlite3_stmt *s = store_prepare(st, SQL_ACCESS_REMOVE);
			if (!s || !json_is_integer(x))
				return -1;
			sqlite3_bind_int64(s, 1, survivor);
			sqlite3_bind_int64(s, 2, json_integer_value(x));
			if (store_done(st, s) != 0)
				return -1;
			if (sqlite3_changes(store_db(st)) > 0)
				m->restored++;
			else
				m->left++;
		}
		return 0;
	}
	const struct merge_ref *r = ref_find(table, column);
	if (!r)
		return -1;
	json_array_foreach(ids, i, x) {
		if (!json_is_integer(x))
			return -1;
		bool changed = false;
		int rc = move_row(st, r->move_sql, json_integer_value(x), survivor, merged, &changed);
		if (rc != 0)
			return rc;
		if (changed)
			m->restored++;
		else
			m->left++;
	}
	return 0;
}

int store_merge_restore(struct store *st, const char *moved, int64_t survivor, int64_t merged,
			struct merge_record *m)
{
	m->restored = m->left = 0;
	json_t *list = json_loads(moved ? moved : "", 0, NULL);
	if (!json_is_array(list)) {
		json_decref(list);
		return -1;
	}
	int rc = 0;
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		rc = restore_entry(st, e, survivor, merged, m);
		if (rc != 0)
			break;
	}
	json_decref(list);
	return rc;
}

int store_merge_bump(struct store *st, int64_t id, int64_t version, int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, version > 0 ? SQL_BUMP_IF : SQL_BUMP);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (version > 0)
		sqlite3_bind_int64(s, 2, version);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, by);
	if (store_done(st, s) != 0)
		return -1;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}

int store_merge_set_into(struct store *st, int64_t id, int64_t into, int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_SET_INTO);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, into);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, by);
	if (store_done(st, s) != 0)
		return -1;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_NOTFOUND;
}

int store_merge_insert(struct store *st, struct merge_record *m, const char *moved, int64_t by)
{
	sqlite3_stmt *s = store_prepare(st, SQL_MERGE_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, m->survivor_id);
	sqlite3_bind_int64(s, 2, m->merged_id);
	store_text(s, 3, m->reason);
	store_text(s, 4, moved);
	sqlite3_bind_int64(s, 5, m->merged_at);
	sqlite3_bind_int64(s, 6, by);
	if (store_done(st, s) != 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_merge_get(struct store *st, int64_t id, struct merge_record *m, char **moved)
{
	if (moved)
		*moved = NULL;
	sqlite3_stmt *s = store_prepare(st, SQL_MERGE_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	}
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(s, 0);
	m->survivor_id = sqlite3_column_int64(s, 1);
	m->merged_id = sqlite3_column_int64(s, 2);
	store_col(s, 3, m->reason, sizeof m->reason);
	const char *text = (const char *)sqlite3_column_text(s, 4);
	json_t *list = json_loads(text ? text : "[]", 0, NULL);
	if (moved)
		*moved = strdup(text ? text : "[]");
	m->merged_at = sqlite3_column_int64(s, 5);
	store_col(s, 6, m->merged_by, sizeof m->merged_by);
	m->unmerged_at = sqlite3_column_int64(s, 7);
	store_col(s, 8, m->unmerged_by, sizeof m->unmerged_by);
	sqlite3_reset(s);
	rc = json_is_array(list) && (!moved || *moved) ? counts_from_moved(list, m) : -1;
	json_decref(list);
	if (rc != 0 && moved) {
		free(*moved);
		*moved = NULL;
	}
	return rc;
}

int store_merge_set_undone(struct store *st, int64_t id, int64_t by, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SQL_MERGE_UNDONE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, by);
	if (store_done(st, s) != 0)
		return -1;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}

int store_merge_list(struct store *st, int64_t person_id, int max,
		     int (*fn)(void *ctx, const struct merge_record *m), void *ctx)
{
	struct ids l = { 0 };
	sqlite3_stmt *s = store_prepare(st, SQL_MERGE_IDS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int(s, 2, max);
	int step, rc = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if (ids_push(&l, sqlite3_column_int64(s, 0)) != 0) {
			rc = -1;
			break;
		}
	sqlite3_reset(s);
	if (rc == 0 && step != SQLITE_DONE)
		rc = -1;
	struct merge_record *m = rc == 0 ? malloc(sizeof *m) : NULL;
	if (rc == 0 && !m)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		rc = store_merge_get(st, l.v[i], m, NULL);
		if (rc == 0 && fn(ctx, m) != 0)
			break;
	}
	free(m);
	free(l.v);
	return rc == 0 ? 0 : -1;
}
