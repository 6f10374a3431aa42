/*
 * store.c - SQLite: connections, pragmas, migrations and every statement safehub runs.
 * See store.h for the contract. Statements are prepared once per connection and cached;
 * every value is a bound parameter.
 */
#include "store.h"
#include "store_int.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "calendar.h"
#include "json.h"
#include "risk.h"
#include "valid.h"

#define BUSY_TIMEOUT_MS 10000 /* how long a statement waits for another connection's write lock */

/* Every statement, by name. The SQL is in stmt_sql[] in the same order. */
enum stmt {
	S_USER_INSERT,
	S_USER_BY_NAME,
	S_USER_BY_ID,
	S_USER_SET_FAILURES,
	S_USER_SET_DISABLED,
	S_USER_LIST,
	S_SESSION_INSERT,
	S_SESSION_GET,
	S_SESSION_TOUCH,
	S_SESSION_DELETE,
	S_SESSION_DELETE_USER,
	S_PERSON_INSERT,
	S_PERSON_GET,
	S_PERSON_UPDATE,
	S_PERSON_RESTRICTED,
	S_PERSON_ACCESS_HAS,
	S_PERSON_ACCESS_CLEAR,
	S_PERSON_ACCESS_ADD,
	S_PERSON_ACCESS_LIST,
	S_PERSON_NAMES_DELETE,
	S_PERSON_NAMES_INSERT,
	S_USER_ID_BY_NAME,
	S_AUDIT_HEAD,
	S_AUDIT_INSERT,
	S_AUDIT_SET_HEAD,
	S_AUDIT_WALK,
	S_AUDIT_JOURNAL_GET,
	S_AUDIT_JOURNAL_SET,
	S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_USER_INSERT] = "INSERT INTO users(username, display_name, role, team, agency, password_hash,"
			  " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
	[S_USER_BY_NAME] = "SELECT id, username, display_name, role, team, agency, disabled, failed_count,"
			   " coalesce(locked_until, 0), created_at, password_hash FROM users WHERE username = ?1",
	[S_USER_BY_ID] = "SELECT id, username, display_name, role, team, agency, disabled, failed_count,"
			 " coalesce(locked_until, 0), created_at, password_hash FROM users WHERE id = ?1",
	[S_USER_SET_FAILURES] = "UPDATE users SET failed_count = ?2, locked_until = nullif(?3, 0) WHERE id = ?1",
	[S_USER_SET_DISABLED] = "UPDATE users SET disabled = ?2, version = version + 1 WHERE id = ?1",
	[S_USER_LIST] = "SELECT id, username, display_name, role, team, agency, disabled, failed_count,"
			" coalesce(locked_until, 0), created_at, password_hash FROM users ORDER BY username",
	[S_SESSION_INSERT] = "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, last_seen,"
			     " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_SESSION_GET] = "SELECT user_id, csrf_token, created_at, last_seen, expires_at FROM sessions"
			  " WHERE token_hash = ?1",
	[S_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
	[S_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[S_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[S_PERSON_INSERT] = "INSERT INTO persons(given_name, family_name, aliases, dob, dob_estimated, sex,"
			    " gender, ethnicity, nhs_number, upn, police_ref, la_id, addresses, postcode, phones,"
			    " notes, restricted, created_at, created_by, updated_at, updated_by, version)"
			    " VALUES (?1, ?2, ?3, nullif(?4, ''), ?5, ?6, ?7, nullif(?8, ''), nullif(?9, ''),"
			    " nullif(?10, ''), nullif(?11, ''), nullif(?12, ''), ?13, nullif(?14, ''), ?15, ?16,"
			    " ?17, ?18, ?19, ?18, ?19, 1)",
	[S_PERSON_GET] = "SELECT p.id, p.version, p.given_name, p.family_name, p.aliases, coalesce(p.dob, ''),"
			 " p.dob_estimated, p.sex, p.gender, coalesce(p.ethnicity, ''), coalesce(p.nhs_number, ''),"
			 " coalesce(p.upn, ''), coalesce(p.police_ref, ''), coalesce(p.la_id, ''), p.addresses,"
			 " p.phones, p.notes, p.restricted, p.created_at, cu.username, p.updated_at, uu.username,"
			 " coalesce(p.merged_into, 0)"
			 " FROM persons p JOIN users cu ON cu.id = p.created_by JOIN users uu ON uu.id = p.updated_by"
			 " WHERE p.id = ?1",
	[S_PERSON_UPDATE] = "UPDATE persons SET given_name = ?1, family_name = ?2, aliases = ?3,"
			    " dob = nullif(?4, ''), dob_estimated = ?5, sex = ?6, gender = ?7,"
			    " ethnicity = nullif(?8, ''), nhs_number = nullif(?9, ''), upn = nullif(?10, ''),"
			    " police_ref = nullif(?11, ''), la_id = nullif(?12, ''), addresses = ?13,"
			    " postcode = nullif(?14, ''), phones = ?15, notes = ?16, restricted = ?17,"
			    " updated_at = ?18, updated_by = ?19, version = version + 1"
			    " WHERE id = ?20 AND version = ?21",
	[S_PERSON_RESTRICTED] = "SELECT restricted FROM persons WHERE id = ?1",
	[S_PERSON_ACCESS_HAS] = "SELECT 1 FROM person_access WHERE person_id = ?1 AND user_id = ?2",
	[S_PERSON_ACCESS_CLEAR] = "DELETE FROM person_access WHERE person_id = ?1",
	[S_PERSON_ACCESS_ADD] = "INSERT OR IGNORE INTO person_access(person_id, user_id) VALUES (?1, ?2)",
	[S_PERSON_ACCESS_LIST] = "SELECT u.username FROM person_access a JOIN users u ON u.id = a.user_id"
				 " WHERE a.person_id = ?1 ORDER BY u.username",
	[S_PERSON_NAMES_DELETE] = "DELETE FROM person_names WHERE rowid = ?1",
	[S_PERSON_NAMES_INSERT] = "INSERT INTO person_names(rowid, names) VALUES (?1, ?2)",
	[S_USER_ID_BY_NAME] = "SELECT id FROM users WHERE username = ?1",
	[S_AUDIT_HEAD] = "SELECT seq, hash FROM audit_head WHERE id = 1",
	[S_AUDIT_INSERT] = "INSERT INTO audit(seq, at, user_id, username, role, agency, action, object_type,"
			   " object_id, outcome, detail, prev_hash, hash) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5,"
			   " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[S_AUDIT_SET_HEAD] = "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1",
	[S_AUDIT_WALK] = "SELECT seq, at, coalesce(user_id, 0), username, role, agency, action, object_type,"
			 " object_id, outcome, detail, prev_hash, hash FROM audit ORDER BY seq",
	[S_AUDIT_JOURNAL_GET] = "SELECT replayed FROM audit_journal WHERE id = 1",
	[S_AUDIT_JOURNAL_SET] = "UPDATE audit_journal SET replayed = ?1 WHERE id = 1",
};

/* One connection. */
struct store {
	sqlite3 *db;                   /* the connection */
	sqlite3_stmt *stmt[S_COUNT];   /* prepared on first use */
	struct store *next_all;        /* list of per-thread connections (store_close_all) */
	bool holds_write;              /* this connection holds write_lock (between begin and end) */
	struct {
		const char *sql;       /* the statement's text, by identity (a static string) */
		sqlite3_stmt *s;
	} cache[STORE_CACHE_SLOTS];    /* statements of the other store_*.c files */
};

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % STORE_CACHE_SLOTS;
	for (size_t i = 0; i < STORE_CACHE_SLOTS; i++) {
		size_t k = (h + i) % STORE_CACHE_SLOTS;
		if (st->cache[k].sql == sql) {
			sqlite3_reset(st->cache[k].s);
			sqlite3_clear_bindings(st->cache[k].s);
			return st->cache[k].s;
		}
		if (!st->cache[k].sql) {
			sqlite3_stmt *s = NULL;
			if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
				fprintf(stderr, "safehub: store: cannot prepare: %s\n", sqlite3_errmsg(st->db));
				return NULL;
			}
			st->cache[k].sql = sql;
			st->cache[k].s = s;
			return s;
		}
	}
	fprintf(stderr, "safehub: store: statement cache full\n");
	return NULL;
}

void store_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void store_col(sqlite3_stmt *s, int i, char *out, size_t cap)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	snprintf(out, cap, "%s", v ? (const char *)v : "");
}

int store_number(sqlite3_stmt *s, int64_t *out)
{
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_done(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	(void)st;
	return -1;
}

/*
 * Writers in this process queue on a mutex before BEGIN IMMEDIATE: SQLite's own busy handler
 * sleeps with back-off, which gives long tails under contention; a mutex hands over at once.
 * Other processes (the CLI, a backup) still meet SQLite's lock and its busy timeout.
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- time ---- */

static _Atomic int64_t clock_override; /* 0: the real clock */

void store_set_now(int64_t t)
{
	clock_override = t;
}

int64_t store_now(void)
{
	int64_t t = clock_override;
	return t ? t : (int64_t)time(NULL);
}

/* ---- statements ---- */

static sqlite3_stmt *stmt(struct store *st, enum stmt which)
{
	sqlite3_stmt *s = st->stmt[which];
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[which],
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "safehub: store: cannot prepare statement %d: %s\n", (int)which,
			sqlite3_errmsg(st->db));
		return NULL;
	}
	return st->stmt[which];
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static void col_copy(sqlite3_stmt *s, int i, char *out, size_t cap)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	snprintf(out, cap, "%s", v ? (const char *)v : "");
}

/* step a statement expected to change rows: 0, STORE_CONFLICT on a constraint, -1 otherwise. */
static int step_done(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	(void)st;
	return -1;
}

static int exec(struct store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "safehub: store: %s\n", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

const char *store_errmsg(struct store *st)
{
	return st && st->db ? sqlite3_errmsg(st->db) : "no database";
}

/* ---- opening and migrations ---- */

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM schema_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * Data a migration needs that is better made by code than written out: migration 2 gets the
 * England and Wales bank holidays (calendar.c) and the example risk tool (config/risk-tools).
 * Runs inside the migration's transaction.
 */
static int bump_schema_cookie(struct store *st, char *err, size_t errcap);

static int seed(struct store *st, int version, char *err, size_t errcap)
{
	if (version == 7)
		return bump_schema_cookie(st, err, errcap);
	if (version != 2)
		return 0;
	struct calendar_holiday days[(CALENDAR_DEFAULT_LAST_YEAR - CALENDAR_DEFAULT_FIRST_YEAR + 1) *
				     CALENDAR_DEFAULT_MAX_PER_YEAR];
	int n = calendar_default_holiday_list(CALENDAR_DEFAULT_FIRST_YEAR, CALENDAR_DEFAULT_LAST_YEAR, days,
					      (int)(sizeof days / sizeof days[0]));
	sqlite3_stmt *s = NULL;
	if (n < 0 || sqlite3_prepare_v2(st->db, "INSERT INTO bank_holidays(date, name) VALUES (?1, ?2)", -1, &s,
					NULL) != SQLITE_OK) {
		snprintf(err, errcap, "cannot seed bank holidays");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char date[11];
		valid_format_date(&days[i].date, date);
		sqlite3_reset(s);
		bind_text(s, 1, date);
		bind_text(s, 2, days[i].name);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			snprintf(err, errcap, "cannot seed bank holiday %s: %s", date, sqlite3_errmsg(st->db));
			return -1;
		}
	}
	sqlite3_finalize(s);

	const struct asset *a = assets_find(RISK_DEFAULT_TOOL_PATH);
	struct risk_tool *tool = NULL;
	struct jv jv = { 0 };
	if (!a || risk_tool_parse_text((const char *)a->data, a->size, &tool, &jv) != RISK_OK) {
		json_decref(jv_take(&jv));
		snprintf(err, errcap, "the built-in risk tool %s does not parse", RISK_DEFAULT_TOOL_PATH);
		return -1;
	}
	json_t *def = risk_tool_json(tool);
	char *text = def ? json_dumps(def, JSON_COMPACT) : NULL;
	int rc = -1;
	if (text && sqlite3_prepare_v2(st->db, "INSERT INTO risk_tools(code, version, name, definition, created_at)"
						" VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL) == SQLITE_OK) {
		bind_text(s, 1, tool->code);
		sqlite3_bind_int(s, 2, tool->version);
		bind_text(s, 3, tool->name);
		bind_text(s, 4, text);
		sqlite3_bind_int64(s, 5, store_now());
		rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(s);
	}
	if (rc != 0)
		snprintf(err, errcap, "cannot store the built-in risk tool: %s", sqlite3_errmsg(st->db));
	free(text);
	json_decref(def);
	risk_tool_free(tool);
	return rc;
}

/*
 * After a migration that edits sqlite_schema's text (sql/007), add one to the schema cookie so
 * that this and every other connection reads the schema again. Inside the migration's transaction.
 */
static int bump_schema_cookie(struct store *st, char *err, size_t errcap)
{
	sqlite3_stmt *s = NULL;
	int cookie = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA schema_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		cookie = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	/* A pragma takes no bound parameters: the value is a number written here. */
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA schema_version = %d", cookie + 1);
	if (cookie < 0 || exec(st, sql) != 0) {
		snprintf(err, errcap, "cannot bump the schema cookie: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

/* Apply every embedded sql/NNN_*.sql with NNN above the current version, each in a transaction. */
static int migrate(struct store *st, char *err, size_t errcap)
{
	if (exec(st, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
		     " applied_at INTEGER NOT NULL)") != 0) {
		snprintf(err, errcap, "cannot create schema_version: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	int have = store_schema_version(st);
	if (have < 0)
		have = 0;
	for (size_t i = 0; i < assets_count; i++) {
		const char *p = assets[i].path;
		if (strncmp(p, "sql/", 4) != 0)
			continue;
		int v = (int)strtol(p + 4, NULL, 10);
		if (v <= have)
			continue;
		if (exec(st, "BEGIN IMMEDIATE") != 0) {
			snprintf(err, errcap, "cannot begin migration %d: %s", v, sqlite3_errmsg(st->db));
			return -1;
		}
		/* Another process may have migrated while we waited for the lock. */
		if (store_schema_version(st) >= v) {
			exec(st, "COMMIT");
			continue;
		}
		char *msg = NULL;
		if (sqlite3_exec(st->db, (const char *)assets[i].data, NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errcap, "migration %s failed: %s", p, msg ? msg : "?");
			sqlite3_free(msg);
			exec(st, "ROLLBACK");
			return -1;
		}
		if (seed(st, v, err, errcap) != 0) {
			exec(st, "ROLLBACK");
			return -1;
		}
		sqlite3_stmt *s = NULL;
		sqlite3_prepare_v2(st->db, "INSERT INTO schema_version VALUES (?1, ?2)", -1, &s, NULL);
		sqlite3_bind_int(s, 1, v);
		sqlite3_bind_int64(s, 2, store_now());
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE || exec(st, "COMMIT") != 0) {
			snprintf(err, errcap, "cannot record migration %d: %s", v, sqlite3_errmsg(st->db));
			exec(st, "ROLLBACK");
			return -1;
		}
	}
	return 0;
}

/* Set by store_checkpointer_start: connections leave checkpoints to the checkpointer thread. */
static atomic_bool background_checkpoints;

struct store *store_open(const char *path, bool create, char *err, size_t errcap)
{
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errcap, "cannot open %s: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (store_rows_register(st->db) != 0) {
		snprintf(err, errcap, "cannot configure %s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	/* Durability first: WAL with a full sync at every commit (nothing acknowledged is lost). */
	if (exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
		     " PRAGMA trusted_schema = OFF; PRAGMA cache_size = -16000; PRAGMA temp_store = MEMORY") != 0) {
		snprintf(err, errcap, "cannot configure %s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (atomic_load(&background_checkpoints) && exec(st, "PRAGMA wal_autocheckpoint = 0") != 0) {
		snprintf(err, errcap, "cannot configure %s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (migrate(st, err, errcap) != 0)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (int i = 0; i < STORE_CACHE_SLOTS; i++)
		sqlite3_finalize(st->cache[i].s);
	sqlite3_close(st->db);
	free(st);
}

/* ---- per-thread connections ---- */

static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *all_stores;      /* every connection store_thread opened */
static char thread_path[4096];
static _Thread_local struct store *this_thread;

void store_set_path(const char *path)
{
	snprintf(thread_path, sizeof thread_path, "%s", path);
}

struct store *store_thread(void)
{
	if (this_thread)
		return this_thread;
	char err[512];
	struct store *st = store_open(thread_path, false, err, sizeof err);
	if (!st) {
		fprintf(stderr, "safehub: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&all_lock);
	st->next_all = all_stores;
	all_stores = st;
	pthread_mutex_unlock(&all_lock);
	this_thread = st;
	return st;
}

void store_close_all(void)
{
	pthread_mutex_lock(&all_lock);
	struct store *st = all_stores;
	all_stores = NULL;
	pthread_mutex_unlock(&all_lock);
	while (st) {
		struct store *next = st->next_all;
		store_close(st);
		st = next;
	}
}

/* ---- the background checkpointer ---- */

static struct {
	struct store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, stopping;
} ckpt = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void *checkpointer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&ckpt.lock);
	while (!ckpt.stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ckpt.wake, &ckpt.lock, &until);
		pthread_mutex_unlock(&ckpt.lock);
		/* Passive: copies what no reader still needs, never waits for or blocks anyone. */
		sqlite3_wal_checkpoint_v2(ckpt.st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&ckpt.lock);
	}
	pthread_mutex_unlock(&ckpt.lock);
	return NULL;
}

int store_checkpointer_start(const char *path)
{
	char err[512];
	atomic_store(&background_checkpoints, true);
	ckpt.st = store_open(path, false, err, sizeof err);
	if (!ckpt.st) {
		fprintf(stderr, "safehub: checkpointer: %s\n", err);
		atomic_store(&background_checkpoints, false);
		return -1;
	}
	ckpt.stopping = false;
	if (pthread_create(&ckpt.thread, NULL, checkpointer_main, NULL) != 0) {
		store_close(ckpt.st);
		ckpt.st = NULL;
		atomic_store(&background_checkpoints, false);
		return -1;
	}
	ckpt.running = true;
	return 0;
}

void store_checkpointer_stop(void)
{
	if (!ckpt.running)
		return;
	pthread_mutex_lock(&ckpt.lock);
	ckpt.stopping = true;
	pthread_cond_signal(&ckpt.wake);
	pthread_mutex_unlock(&ckpt.lock);
	pthread_join(ckpt.thread, NULL);
	ckpt.running = false;
	sqlite3_wal_checkpoint_v2(ckpt.st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	store_close(ckpt.st);
	ckpt.st = NULL;
	atomic_store(&background_checkpoints, false);
}

/* ---- transactions ---- */

static void release_write(struct store *st)
{
	if (st->holds_write) {
		st->holds_write = false;
		pthread_mutex_unlock(&write_lock);
	}
}

int store_begin(struct store *st, bool write)
{
	if (!write)
		return exec(st, "BEGIN");
	pthread_mutex_lock(&write_lock);
	st->holds_write = true;
	if (exec(st, "BEGIN IMMEDIATE") != 0) {
		release_write(st);
		return -1;
	}
	return 0;
}

int store_begin_within(struct store *st, int ms)
{
	pthread_mutex_lock(&write_lock);
	st->holds_write = true;
	sqlite3_busy_timeout(st->db, ms);
	int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		return 0;
	release_write(st);
	return (rc & 0xff) == SQLITE_BUSY ? STORE_BUSY : -1;
}

bool store_in_transaction(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}

int store_commit(struct store *st)
{
	if (exec(st, "COMMIT") != 0) {
		store_rollback(st);
		return -1;
	}
	release_write(st);
	return 0;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	release_write(st);
}

int store_backup(struct store *st, const char *to, char *err, size_t errcap)
{
	sqlite3 *dst = NULL;
	int rc = -1;
	if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errcap, "cannot open %s: %s", to, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->db, "main");
	if (!b) {
		snprintf(err, errcap, "cannot start backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int step;
	/* Copy in slices so a serving process is never blocked for long. */
	while ((step = sqlite3_backup_step(b, 1024)) == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED)
		if (step != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		snprintf(err, errcap, "backup failed: %s", sqlite3_errstr(step));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(dst);
	return rc;
}

int store_integrity(struct store *st, char *msg, size_t cap)
{
	sqlite3_stmt *s = NULL;
	int rc = -1;
	snprintf(msg, cap, "integrity_check did not run");
	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		col_copy(s, 0, msg, cap);
		rc = strcmp(msg, "ok") == 0 ? 0 : -1;
	}
	sqlite3_finalize(s);
	if (rc != 0)
		return rc;
	s = NULL;
	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK) {
		snprintf(msg, cap, "foreign_key_check did not run");
		return -1;
	}
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		snprintf(msg, cap, "row %lld of %s refers to a %s row that does not exist",
			 (long long)sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 0),
			 (const char *)sqlite3_column_text(s, 2));
		rc = -1;
	} else if (step != SQLITE_DONE) {
		snprintf(msg, cap, "foreign_key_check failed: %s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	sqlite3_finalize(s);
	return rc;
}

/* ---- users ---- */

static void user_from_row(sqlite3_stmt *s, struct user *u, char *hash, size_t hcap)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	col_copy(s, 1, u->username, sizeof u->username);
	col_copy(s, 2, u->display_name, sizeof u->display_name);
	col_copy(s, 3, u->role, sizeof u->role);
	col_copy(s, 4, u->team, sizeof u->team);
	col_copy(s, 5, u->agency, sizeof u->agency);
	u->disabled = sqlite3_column_int(s, 6) != 0;
	u->failed_count = sqlite3_column_int(s, 7);
	u->locked_until = sqlite3_column_int64(s, 8);
	u->created_at = sqlite3_column_int64(s, 9);
	if (hash)
		col_copy(s, 10, hash, hcap);
}

int store_user_insert(struct store *st, struct user *u, const char *password_hash)
{
	sqlite3_stmt *s = stmt(st, S_USER_INSERT);
	if (!s)
		return -1;
	bind_text(s, 1, u->username);
	bind_text(s, 2, u->display_name);
	bind_text(s, 3, u->role);
	bind_text(s, 4, u->team);
	bind_text(s, 5, u->agency);
	bind_text(s, 6, password_hash);
	sqlite3_bind_int64(s, 7, store_now());
	int rc = step_done(st, s);
	if (rc == 0)
		u->id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

static int user_get(struct store *st, enum stmt which, sqlite3_stmt **out)
{
	*out = stmt(st, which);
	return *out ? 0 : -1;
}

int store_user_by_name(struct store *st, const char *username, struct user *u, char *hash, size_t hcap)
{
	sqlite3_stmt *s;
	if (user_get(st, S_USER_BY_NAME, &s) != 0)
		return -1;
	bind_text(s, 1, username);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		user_from_row(s, u, hash, hcap);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_user_by_id(struct store *st, int64_t id, struct user *u)
{
	sqlite3_stmt *s;
	if (user_get(st, S_USER_BY_ID, &s) != 0)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		user_from_row(s, u, NULL, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_user_set_failures(struct store *st, int64_t id, int failed_count, int64_t locked_until)
{
	sqlite3_stmt *s = stmt(st, S_USER_SET_FAILURES);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, failed_count);
	sqlite3_bind_int64(s, 3, locked_until);
	return step_done(st, s);
}

int store_user_set_disabled(struct store *st, int64_t id, bool disabled)
{
	sqlite3_stmt *s = stmt(st, S_USER_SET_DISABLED);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, disabled);
	return step_done(st, s);
}

int store_user_list(struct store *st, struct user **out, int *n)
{
	sqlite3_stmt *s = stmt(st, S_USER_LIST);
	*out = NULL;
	*n = 0;
	if (!s)
		return -1;
	int cap = 0, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct user *grown = realloc(*out, (size_t)cap * sizeof **out);
			if (!grown) {
				free(*out);
				*out = NULL;
				sqlite3_reset(s);
				return -1;
			}
			*out = grown;
		}
		user_from_row(s, &(*out)[(*n)++], NULL, 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- sessions ---- */

int store_session_insert(struct store *st, const unsigned char token_hash[32], const struct store_session *ss)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_blob(s, 1, token_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, ss->user_id);
	bind_text(s, 3, ss->csrf_token);
	sqlite3_bind_int64(s, 4, ss->created_at);
	sqlite3_bind_int64(s, 5, ss->last_seen);
	sqlite3_bind_int64(s, 6, ss->expires_at);
	return step_done(st, s);
}

int store_session_get(struct store *st, const unsigned char token_hash[32], struct store_session *ss)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_GET);
	if (!s)
		return -1;
	sqlite3_bind_blob(s, 1, token_hash, 32, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ss->user_id = sqlite3_column_int64(s, 0);
		col_copy(s, 1, ss->csrf_token, sizeof ss->csrf_token);
		ss->created_at = sqlite3_column_int64(s, 2);
		ss->last_seen = sqlite3_column_int64(s, 3);
		ss->expires_at = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_session_touch(struct store *st, const unsigned char token_hash[32], int64_t now)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_TOUCH);
	if (!s)
		return -1;
	sqlite3_bind_blob(s, 1, token_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	/* last_seen only moves the idle timeout on: never wait for another process's write for it. */
	sqlite3_busy_timeout(st->db, 0);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	return rc == SQLITE_DONE ? 0 : (rc & 0xff) == SQLITE_BUSY ? STORE_BUSY : -1;
}

int store_audit_journal_get(struct store *st, int64_t *replayed)
{
	return store_number(stmt(st, S_AUDIT_JOURNAL_GET), replayed);
}

int store_audit_journal_set(struct store *st, int64_t replayed)
{
	sqlite3_stmt *s = stmt(st, S_AUDIT_JOURNAL_SET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, replayed);
	return step_done(st, s);
}

int store_session_delete(struct store *st, const unsigned char token_hash[32])
{
	sqlite3_stmt *s = stmt(st, S_SESSION_DELETE);
	if (!s)
		return -1;
	sqlite3_bind_blob(s, 1, token_hash, 32, SQLITE_TRANSIENT);
	return step_done(st, s);
}

int store_session_delete_user(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_DELETE_USER);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	return step_done(st, s);
}

/* ---- persons ---- */

/* JSON text of an array of strings; caller frees with free(). */
static char *strings_json(const char (*items)[801], int n, size_t stride)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string((const char *)items + (size_t)i * stride));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

static char *addresses_json(const struct person *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->n_addresses; i++) {
		const struct person_address *ad = &p->addresses[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b}", "line1", ad->line1, "line2",
						   ad->line2, "town", ad->town, "postcode", ad->postcode,
						   "current", ad->current));
	}
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/* The postcode shown in lists: the current address's, else the first address's. */
static const char *list_postcode(const struct person *p)
{
	for (int i = 0; i < p->n_addresses; i++)
		if (p->addresses[i].current)
			return p->addresses[i].postcode;
	return p->n_addresses ? p->addresses[0].postcode : "";
}

/* Bind the 17 person columns shared by insert and update (parameters 1-17). */
static int bind_person(sqlite3_stmt *s, const struct person *p, char **free1, char **free2, char **free3)
{
	*free1 = strings_json(p->aliases, p->n_aliases, sizeof p->aliases[0]);
	*free2 = addresses_json(p);
	json_t *ph = json_array();
	for (int i = 0; i < p->n_phones; i++)
		json_array_append_new(ph, json_string(p->phones[i]));
	*free3 = json_dumps(ph, JSON_COMPACT);
	json_decref(ph);
	if (!*free1 || !*free2 || !*free3)
		return -1;
	bind_text(s, 1, p->given_name);
	bind_text(s, 2, p->family_name);
	bind_text(s, 3, *free1);
	bind_text(s, 4, p->dob);
	sqlite3_bind_int(s, 5, p->dob_estimated);
	bind_text(s, 6, p->sex);
	bind_text(s, 7, p->gender);
	bind_text(s, 8, p->ethnicity);
	bind_text(s, 9, p->nhs_number);
	bind_text(s, 10, p->upn);
	bind_text(s, 11, p->police_ref);
	bind_text(s, 12, p->la_id);
	bind_text(s, 13, *free2);
	bind_text(s, 14, list_postcode(p));
	bind_text(s, 15, *free3);
	bind_text(s, 16, p->notes);
	sqlite3_bind_int(s, 17, p->restricted);
	return 0;
}

/* Append `s` and its folded form to the search text. */
static void names_add(char *buf, size_t cap, const char *s)
{
	size_t len = strlen(buf);
	char folded[1024];
	valid_fold(s, folded, sizeof folded);
	snprintf(buf + len, cap - len, "%s%s %s", len ? " " : "", s, folded);
}

/* Rewrite the name index row and the access list for p. */
static int person_index(struct store *st, const struct person *p, int *bad)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_NAMES_DELETE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, p->id);
	if (step_done(st, s) != 0)
		return -1;
	size_t cap = 4096 + (size_t)PERSON_ALIASES_MAX * 1700;
	char *names = calloc(1, cap);
	if (!names)
		return -1;
	names_add(names, cap, p->given_name);
	names_add(names, cap, p->family_name);
	for (int i = 0; i < p->n_aliases; i++)
		names_add(names, cap, p->aliases[i]);
	s = stmt(st, S_PERSON_NAMES_INSERT);
	int rc = -1;
	if (s) {
		sqlite3_bind_int64(s, 1, p->id);
		bind_text(s, 2, names);
		rc = step_done(st, s);
	}
	free(names);
	if (rc != 0)
		return -1;
	s = stmt(st, S_PERSON_ACCESS_CLEAR);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, p->id);
	if (step_done(st, s) != 0)
		return -1;
	for (int i = 0; i < p->n_restricted_to; i++) {
		s = stmt(st, S_USER_ID_BY_NAME);
		if (!s)
			return -1;
		bind_text(s, 1, p->restricted_to[i]);
		int step = sqlite3_step(s);
		int64_t uid = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (step == SQLITE_DONE) {
			if (bad)
				*bad = i;
			return STORE_NOTFOUND;
		}
		if (step != SQLITE_ROW)
			return -1;
		s = stmt(st, S_PERSON_ACCESS_ADD);
		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, p->id);
		sqlite3_bind_int64(s, 2, uid);
		if (step_done(st, s) != 0)
			return -1;
	}
	return 0;
}

int store_person_insert(struct store *st, struct person *p, int64_t by, int *bad)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_INSERT);
	if (!s)
		return -1;
	char *a = NULL, *b = NULL, *c = NULL;
	int rc = -1;
	if (bind_person(s, p, &a, &b, &c) != 0)
		goto out;
	int64_t now = store_now();
	sqlite3_bind_int64(s, 18, now);
	sqlite3_bind_int64(s, 19, by);
	rc = step_done(st, s);
	if (rc != 0)
		goto out;
	p->id = sqlite3_last_insert_rowid(st->db);
	p->version = 1;
	p->created_at = p->updated_at = now;
	rc = person_index(st, p, bad);
out:
	free(a);
	free(b);
	free(c);
	return rc;
}

int store_person_update(struct store *st, struct person *p, int64_t by, int *bad)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_UPDATE);
	if (!s)
		return -1;
	char *a = NULL, *b = NULL, *c = NULL;
	int rc = -1;
	if (bind_person(s, p, &a, &b, &c) != 0)
		goto out;
	int64_t now = store_now();
	sqlite3_bind_int64(s, 18, now);
	sqlite3_bind_int64(s, 19, by);
	sqlite3_bind_int64(s, 20, p->id);
	sqlite3_bind_int64(s, 21, p->version);
	rc = step_done(st, s);
	if (rc != 0)
		goto out;
	if (sqlite3_changes(st->db) != 1) {
		rc = STORE_CONFLICT;
		goto out;
	}
	p->version++;
	p->updated_at = now;
	rc = person_index(st, p, bad);
out:
	free(a);
	free(b);
	free(c);
	return rc;
}

/* Copy a JSON array of strings (text) into fixed slots; returns the count. */
static int strings_from_json(const char *text, char *slots, size_t stride, int max)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL);
	int n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (n == max)
			break;
		if (json_is_string(v))
			snprintf(slots + (size_t)n++ * stride, stride, "%s", json_string_value(v));
	}
	json_decref(a);
	return n;
}

int store_person_get(struct store *st, int64_t id, struct person *p)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	}
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(s, 0);
	p->version = sqlite3_column_int64(s, 1);
	col_copy(s, 2, p->given_name, sizeof p->given_name);
	col_copy(s, 3, p->family_name, sizeof p->family_name);
	p->n_aliases = strings_from_json((const char *)sqlite3_column_text(s, 4), (char *)p->aliases,
					 sizeof p->aliases[0], PERSON_ALIASES_MAX);
	col_copy(s, 5, p->dob, sizeof p->dob);
	p->dob_estimated = sqlite3_column_int(s, 6) != 0;
	col_copy(s, 7, p->sex, sizeof p->sex);
	col_copy(s, 8, p->gender, sizeof p->gender);
	col_copy(s, 9, p->ethnicity, sizeof p->ethnicity);
	col_copy(s, 10, p->nhs_number, sizeof p->nhs_number);
	col_copy(s, 11, p->upn, sizeof p->upn);
	col_copy(s, 12, p->police_ref, sizeof p->police_ref);
	col_copy(s, 13, p->la_id, sizeof p->la_id);
	json_t *ads = json_loads((const char *)sqlite3_column_text(s, 14), 0, NULL);
	size_t i;
	json_t *ad;
	json_array_foreach(ads, i, ad) {
		if (p->n_addresses == PERSON_ADDRESSES_MAX)
			break;
		struct person_address *to = &p->addresses[p->n_addresses++];
		snprintf(to->line1, sizeof to->line1, "%s", json_string_value(json_object_get(ad, "line1")) ?: "");
		snprintf(to->line2, sizeof to->line2, "%s", json_string_value(json_object_get(ad, "line2")) ?: "");
		snprintf(to->town, sizeof to->town, "%s", json_string_value(json_object_get(ad, "town")) ?: "");
		snprintf(to->postcode, sizeof to->postcode, "%s",
			 json_string_value(json_object_get(ad, "postcode")) ?: "");
		to->current = json_is_true(json_object_get(ad, "current"));
	}
	json_decref(ads);
	p->n_phones = strings_from_json((const char *)sqlite3_column_text(s, 15), (char *)p->phones,
					sizeof p->phones[0], PERSON_PHONES_MAX);
	col_copy(s, 16, p->notes, sizeof p->notes);
	p->restricted = sqlite3_column_int(s, 17) != 0;
	p->created_at = sqlite3_column_int64(s, 18);
	col_copy(s, 19, p->created_by, sizeof p->created_by);
	p->updated_at = sqlite3_column_int64(s, 20);
	col_copy(s, 21, p->updated_by, sizeof p->updated_by);
	p->merged_into = sqlite3_column_int64(s, 22);
	sqlite3_reset(s);
	if (p->restricted) {
		s = stmt(st, S_PERSON_ACCESS_LIST);
		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW && p->n_restricted_to < PERSON_RESTRICTED_MAX)
			col_copy(s, 0, p->restricted_to[p->n_restricted_to++], sizeof p->restricted_to[0]);
		sqlite3_reset(s);
	}
	return 0;
}

int store_person_restricted(struct store *st, int64_t id, bool *restricted)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_RESTRICTED);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*restricted = sqlite3_column_int(s, 0) != 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_person_access_has(struct store *st, int64_t person_id, int64_t user_id)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_ACCESS_HAS);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int64(s, 2, user_id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

/*
 * The FTS5 query for name words: each word folded and quoted as a prefix, all required.
 * "Kay O'Brien" -> "kay"* "obrien"*. Returns false when no word is left.
 */
static bool fts_query(const char *q, char *out, size_t cap)
{
	char folded[1024];
	valid_fold(q, folded, sizeof folded);
	size_t len = 0;
	out[0] = 0;
	bool any = false;
	for (char *w = folded; *w;) {
		while (*w == ' ')
			w++;
		if (!*w)
			break;
		char *end = strchr(w, ' ');
		size_t wl = end ? (size_t)(end - w) : strlen(w);
		/* Folded words hold no '"' (punctuation becomes a space), so quoting is safe. */
		int n = snprintf(out + len, cap - len, "%s\"%.*s\"*", any ? " " : "", (int)wl, w);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
		any = true;
		w += wl;
	}
	return any;
}

int store_person_search(struct store *st, const struct person_query *q, int64_t user_id,
			struct person_summary **out, int *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	char fts[1200] = "";
	bool by_name = q->q[0] && fts_query(q->q, fts, sizeof fts);
	char ident[201] = "";
	if (q->identifier[0]) {
		/* NHS numbers are stored without spaces. */
		char nhs[11];
		if (valid_nhs_number(q->identifier, nhs))
			snprintf(ident, sizeof ident, "%s", nhs);
		else
			snprintf(ident, sizeof ident, "%s", q->identifier);
	}
	/* Built from fixed fragments only; every value is bound. */
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "SELECT p.id, p.given_name, p.family_name, p.aliases, coalesce(p.dob, ''), p.sex,"
		 " coalesce(p.postcode, ''), count(*) OVER () FROM %s WHERE p.merged_into IS NULL%s%s%s"
		 " AND (p.restricted = 0 OR EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = p.id"
		 " AND a.user_id = ?4)) ORDER BY %s LIMIT ?5 OFFSET ?6",
		 by_name ? "person_names n JOIN persons p ON p.id = n.rowid" : "persons p",
		 by_name ? " AND person_names MATCH ?1" : "",
		 q->dob[0] ? " AND p.dob = ?2" : "",
		 ident[0] ? " AND (p.nhs_number = ?3 OR p.upn = upper(?3) OR p.police_ref = ?3 OR p.la_id = ?3)" : "",
		 by_name ? "n.rank, p.family_name, p.given_name, p.id" : "p.family_name, p.given_name, p.id");
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (by_name)
		bind_text(s, 1, fts);
	if (q->dob[0])
		bind_text(s, 2, q->dob);
	if (ident[0])
		bind_text(s, 3, ident);
	sqlite3_bind_int64(s, 4, user_id);
	sqlite3_bind_int(s, 5, q->limit);
	sqlite3_bind_int(s, 6, q->offset);
	struct person_summary *items = calloc((size_t)(q->limit > 0 ? q->limit : 1), sizeof *items);
	if (!items) {
		sqlite3_finalize(s);
		return -1;
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < q->limit) {
		struct person_summary *it = &items[(*n)++];
		it->id = sqlite3_column_int64(s, 0);
		col_copy(s, 1, it->given_name, sizeof it->given_name);
		col_copy(s, 2, it->family_name, sizeof it->family_name);
		col_copy(s, 3, it->aliases_json, sizeof it->aliases_json);
		col_copy(s, 4, it->dob, sizeof it->dob);
		col_copy(s, 5, it->sex, sizeof it->sex);
		col_copy(s, 6, it->postcode, sizeof it->postcode);
		*total = sqlite3_column_int64(s, 7);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(items);
		*n = 0;
		return -1;
	}
	*out = items;
	return 0;
}

/* ---- audit ---- */

int store_audit_head(struct store *st, int64_t *seq, char hash[65])
{
	sqlite3_stmt *s = stmt(st, S_AUDIT_HEAD);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		col_copy(s, 1, hash, 65);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_audit_append(struct store *st, const struct audit_entry *e)
{
	sqlite3_stmt *s = stmt(st, S_AUDIT_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, e->seq);
	sqlite3_bind_int64(s, 2, e->at);
	sqlite3_bind_int64(s, 3, e->user_id);
	bind_text(s, 4, e->username);
	bind_text(s, 5, e->role);
	bind_text(s, 6, e->agency);
	bind_text(s, 7, e->action);
	bind_text(s, 8, e->object_type);
	bind_text(s, 9, e->object_id);
	bind_text(s, 10, e->outcome);
	bind_text(s, 11, e->detail);
	bind_text(s, 12, e->prev_hash);
	bind_text(s, 13, e->hash);
	if (step_done(st, s) != 0)
		return -1;
	s = stmt(st, S_AUDIT_SET_HEAD);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, e->seq);
	bind_text(s, 2, e->hash);
	return step_done(st, s);
}

static void audit_from_row(sqlite3_stmt *s, struct audit_entry *e)
{
	memset(e, 0, sizeof *e);
	e->seq = sqlite3_column_int64(s, 0);
	e->at = sqlite3_column_int64(s, 1);
	e->user_id = sqlite3_column_int64(s, 2);
	col_copy(s, 3, e->username, sizeof e->username);
	col_copy(s, 4, e->role, sizeof e->role);
	col_copy(s, 5, e->agency, sizeof e->agency);
	col_copy(s, 6, e->action, sizeof e->action);
	col_copy(s, 7, e->object_type, sizeof e->object_type);
	col_copy(s, 8, e->object_id, sizeof e->object_id);
	col_copy(s, 9, e->outcome, sizeof e->outcome);
	col_copy(s, 10, e->detail, sizeof e->detail);
	col_copy(s, 11, e->prev_hash, sizeof e->prev_hash);
	col_copy(s, 12, e->hash, sizeof e->hash);
}

int store_audit_query(struct store *st, const struct store_audit_filter *f, struct audit_entry **out, int *n)
{
	*out = NULL;
	*n = 0;
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "SELECT seq, at, coalesce(user_id, 0), username, role, agency, action, object_type, object_id,"
		 " outcome, detail, prev_hash, hash FROM audit WHERE 1%s%s%s%s%s ORDER BY seq DESC LIMIT ?7",
		 f->username[0] ? " AND username = ?1" : "",
		 f->object_type[0] ? " AND object_type = ?2 AND object_id = ?3" : "",
		 f->from ? " AND at >= ?4" : "", f->to ? " AND at < ?5" : "", f->before ? " AND seq < ?6" : "");
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (f->username[0])
		bind_text(s, 1, f->username);
	if (f->object_type[0]) {
		bind_text(s, 2, f->object_type);
		bind_text(s, 3, f->object_id);
	}
	if (f->from)
		sqlite3_bind_int64(s, 4, f->from);
	if (f->to)
		sqlite3_bind_int64(s, 5, f->to);
	if (f->before)
		sqlite3_bind_int64(s, 6, f->before);
	sqlite3_bind_int(s, 7, f->limit);
	struct audit_entry *items = calloc((size_t)(f->limit > 0 ? f->limit : 1), sizeof *items);
	if (!items) {
		sqlite3_finalize(s);
		return -1;
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < f->limit)
		audit_from_row(s, &items[(*n)++]);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(items);
		*n = 0;
		return -1;
	}
	*out = items;
	return 0;
}

int store_audit_walk(struct store *st, int (*fn)(void *ctx, const struct audit_entry *e), void *ctx)
{
	sqlite3_stmt *s = stmt(st, S_AUDIT_WALK);
	if (!s)
		return -1;
	int rc;
	struct audit_entry e;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_from_row(s, &e);
		int stop = fn(ctx, &e);
		if (stop) {
			sqlite3_reset(s);
			return stop;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}
