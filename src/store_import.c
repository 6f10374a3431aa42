/*
 * store_import.c - SQL for import runs and the sure-key person look-ups of an import. See
 * store_import.h. Owns: these statements. Must not touch: HTTP, the import's rules, any table
 * but imports (written), persons and match_reviews (read).
 */
#include "store_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

static const char SQL_INSERT[] =
	"INSERT INTO imports(kind, filename, sha256, rows_total, rows_added, rows_updated, rows_unchanged,"
	" rows_review, created_at, created_by) VALUES (?1, ?2, '', 0, 0, 0, 0, 0, ?3, ?4)";
static const char SQL_FINISH[] =
	"UPDATE imports SET rows_total = ?2, rows_added = ?3, rows_updated = ?4, rows_unchanged = ?5,"
	" rows_review = ?6, sha256 = ?7 WHERE id = ?1";
/* Partial indexes persons_nhs and persons_la_id serve these; unmerged holders come first. */
static const char SQL_BY_NHS[] =
	"SELECT id, coalesce(merged_into, 0) FROM persons WHERE nhs_number = ?1 AND nhs_number IS NOT NULL"
	" ORDER BY merged_into IS NOT NULL, id LIMIT 1";
static const char SQL_BY_LA_ID[] =
	"SELECT id, coalesce(merged_into, 0) FROM persons WHERE la_id = ?1 AND la_id IS NOT NULL"
	" ORDER BY merged_into IS NOT NULL, id LIMIT 1";
/* A pending review of the same row key (sql/008: force, U+001F, reference), by match_reviews_pending_key. */
static const char SQL_REVIEW_PENDING[] =
	"SELECT 1 FROM match_reviews WHERE status = 'pending' AND kind = ?1 AND row_key = ?2 || char(31) || ?3 LIMIT 1";
static const char SQL_MERGED_INTO[] = "SELECT coalesce(merged_into, 0) FROM persons WHERE id = ?1";

#define MERGE_HOPS_MAX 16

static const char SQL_EPISODES[] = "SELECT count(*) FROM missing_episodes";
static const char SQL_PERSONS[] = "SELECT coalesce(max(id), 0) FROM persons";
/* Every holder of an identifier, in the order SQL_BY_NHS and SQL_BY_LA_ID prefer them: unmerged
 * ones first (a walk in rowid order, no sort), then merged ones (few: by their own index). */
static const char SQL_IDENTIFIERS[] =
	"SELECT id, 0, nhs_number, la_id FROM persons"
	" WHERE merged_into IS NULL AND (nhs_number IS NOT NULL OR la_id IS NOT NULL) ORDER BY id";
static const char SQL_IDENTIFIERS_MERGED[] =
	"SELECT id, merged_into, nhs_number, la_id FROM persons INDEXED BY persons_merged_into"
	" WHERE merged_into IS NOT NULL AND (nhs_number IS NOT NULL OR la_id IS NOT NULL) ORDER BY id";
static const char SQL_KEYS[] =
	"SELECT police_force, police_ref, id FROM missing_episodes INDEXED BY missing_police_ref WHERE police_ref IS NOT NULL";
static const char SQL_SCHEMA_OBJECT[] =
	"SELECT type, sql FROM sqlite_schema WHERE name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL";
static const char SQL_GENERATION_BUMP[] = "UPDATE mfh_generation SET n = n + 1 WHERE id = 1";

/* What the bulk mode drops (store_import.h says why each may go). */
static const char *const BULK_OBJECTS[] = {
	"missing_person", "missing_mfh", "mfh_gen_episode_insert",
};
#define BULK_N (sizeof BULK_OBJECTS / sizeof BULK_OBJECTS[0])
#define BULK_TRIGGER "mfh_gen_episode_insert"

struct store_import_bulk {
	char *sql[BULK_N];   /* the CREATE text of each object dropped; NULL when it was not there */
};

int store_import_insert(struct store *st, const char *kind, const char *filename, int64_t by, int64_t now,
			int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_INSERT);
	if (!s)
		return -1;
	store_text(s, 1, kind);
	store_text(s, 2, filename ? filename : "");
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, by);
	int rc = store_done(st, s);
	if (rc != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_import_finish(struct store *st, int64_t id, const struct store_import_counts *c)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FINISH);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, c->rows);
	sqlite3_bind_int64(s, 3, c->added);
	sqlite3_bind_int64(s, 4, c->updated);
	sqlite3_bind_int64(s, 5, c->unchanged);
	sqlite3_bind_int64(s, 6, c->review);
	store_text(s, 7, c->sha256 ? c->sha256 : "");
	if (store_done(st, s) != 0)
		return -1;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_NOTFOUND;
}

/* Follow merged_into from `merged_into` (0: none) starting at person *id. */
static int follow_merges(struct store *st, int64_t *id, int64_t merged_into)
{
	for (int hop = 0; merged_into > 0; hop++) {
		if (hop == MERGE_HOPS_MAX)
			return -1; /* a cycle would be a corrupt database */
		*id = merged_into;
		sqlite3_stmt *s = store_prepare(st, SQL_MERGED_INTO);
		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, *id);
		int rc = sqlite3_step(s);
		merged_into = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

static int person_by(struct store *st, const char *sql, const char *value, int64_t *id)
{
	if (!value || !value[0])
		return STORE_NOTFOUND;
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	store_text(s, 1, value);
	int rc = sqlite3_step(s);
	int64_t merged_into = 0;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		merged_into = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return -1;
	return follow_merges(st, id, merged_into);
}

int store_import_person_by_nhs(struct store *st, const char *nhs_number, int64_t *id)
{
	return person_by(st, SQL_BY_NHS, nhs_number, id);
}

int store_import_person_by_la_id(struct store *st, const char *la_id, int64_t *id)
{
	return person_by(st, SQL_BY_LA_ID, la_id, id);
}

int store_import_review_pending(struct store *st, const char *kind, const char *force, const char *ref,
				bool *pending)
{
	sqlite3_stmt *s = store_prepare(st, SQL_REVIEW_PENDING);
	if (!s)
		return -1;
	store_text(s, 1, kind);
	store_text(s, 2, force);
	store_text(s, 3, ref);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	*pending = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_import_cache(struct store *st, int mib)
{
	char sql[64];
	/* A pragma takes no bound parameters: the value is a number written here, never text. */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA threads = 2",
		 mib > 0 && mib <= 65536 ? mib * 1024 : 2000);
	return sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int store_import_foreign_keys(struct store *st, bool on)
{
	sqlite3 *db = store_db(st);
	if (!sqlite3_get_autocommit(db))
		return -1;
	/* Outside a transaction (checked above) the pragma always takes effect. */
	return sqlite3_exec(db, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) ==
			       SQLITE_OK
		       ? 0
		       : -1;
}

int store_import_episodes(struct store *st, int64_t *n)
{
	return store_number(store_prepare(st, SQL_EPISODES), n);
}

int store_import_persons(struct store *st, int64_t *n)
{
	return store_number(store_prepare(st, SQL_PERSONS), n);
}

/* One of store_import_identifiers' walks. */
static int identifiers(struct store *st, const char *sql, int (*fn)(void *ctx, char kind, const char *value, int64_t id),
		       void *ctx)
{
	/* Not a cached statement: following a merge prepares another while this one steps. */
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = SQLITE_DONE, ret = 0;
	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		if (follow_merges(st, &id, sqlite3_column_int64(s, 1)) != 0) {
			ret = -1;
			break;
		}
		const char *nhs = (const char *)sqlite3_column_text(s, 2);
		const char *la = (const char *)sqlite3_column_text(s, 3);
		if (nhs && nhs[0])
			ret = fn(ctx, 'n', nhs, id);
		if (ret == 0 && la && la[0])
			ret = fn(ctx, 'l', la, id);
	}
	sqlite3_finalize(s);
	return ret ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int store_import_identifiers(struct store *st, int (*fn)(void *ctx, char kind, const char *value, int64_t id),
			     void *ctx)
{
	int ret = identifiers(st, SQL_IDENTIFIERS, fn, ctx);
	return ret ? ret : identifiers(st, SQL_IDENTIFIERS_MERGED, fn, ctx);
}

int store_import_keys(struct store *st, int (*fn)(void *ctx, const char *force, const char *ref, int64_t id),
		      void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, SQL_KEYS);
	if (!s)
		return -1;
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *force = (const char *)sqlite3_column_text(s, 0);
		const char *ref = (const char *)sqlite3_column_text(s, 1);
		if ((ret = fn(ctx, force ? force : "", ref ? ref : "", sqlite3_column_int64(s, 2))) != 0)
			break;
	}
	sqlite3_reset(s);
	return ret ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int store_import_bulk_begin(struct store *st, struct store_import_bulk **out)
{
	*out = NULL;
	struct store_import_bulk *b = calloc(1, sizeof *b);
	if (!b)
		return -1;
	for (size_t i = 0; i < BULK_N; i++) {
		sqlite3_stmt *s = store_prepare(st, SQL_SCHEMA_OBJECT);
		if (!s)
			goto fail;
		store_text(s, 1, BULK_OBJECTS[i]);
		int rc = sqlite3_step(s);
		char type[16] = "";
		if (rc == SQLITE_ROW) {
			store_col(s, 0, type, sizeof type);
			const char *sql = (const char *)sqlite3_column_text(s, 1);
			b->sql[i] = sql ? strdup(sql) : NULL;
		}
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			continue; /* not in this schema: nothing to drop */
		if (rc != SQLITE_ROW || !b->sql[i])
			goto fail;
		/* DDL takes no bound names: the name is one of BULK_OBJECTS, never data. */
		char drop[96];
		snprintf(drop, sizeof drop, "DROP %s %s", strcmp(type, "trigger") == 0 ? "TRIGGER" : "INDEX", BULK_OBJECTS[i]);
		if (sqlite3_exec(store_db(st), drop, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	*out = b;
	return 0;
fail:
	store_import_bulk_free(b);
	return -1;
}

int store_import_bulk_end(struct store *st, struct store_import_bulk *b)
{
	for (size_t i = 0; i < BULK_N; i++) {
		if (!b->sql[i])
			continue;
		if (sqlite3_exec(store_db(st), b->sql[i], NULL, NULL, NULL) != SQLITE_OK)
			return -1;
		if (strcmp(BULK_OBJECTS[i], BULK_TRIGGER) == 0) {
			sqlite3_stmt *s = store_prepare(st, SQL_GENERATION_BUMP);
			if (!s || store_done(st, s) != 0)
				return -1;
		}
		free(b->sql[i]);
		b->sql[i] = NULL;
	}
	return 0;
}

void store_import_bulk_free(struct store_import_bulk *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < BULK_N; i++)
		free(b->sql[i]);
	free(b);
}
