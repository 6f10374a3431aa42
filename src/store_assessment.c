/*
 * store_assessment.c - SQL for assessments (the assessments table of sql/002_casework.sql) and
 * for reading the risk tool an assessment uses. See store_assessment.h.
 * Owns: these statements. Must not touch: the rules of assessments (assessment.c); risk_tools is
 * only read here (loading tools is the configuration's job).
 */
#include "store_assessment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "store.h"
#include "store_int.h"

static const char SQL_TOOL_META[] = "SELECT code, version, active FROM risk_tools WHERE id = ?1";
static const char SQL_TOOL_DEFINITION[] = "SELECT definition FROM risk_tools WHERE id = ?1";
static const char SQL_PERSON_DOB[] = "SELECT coalesce(dob, '') FROM persons WHERE id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO assessments(person_id, case_id, tool_id, answers, result, score, computed_level, final_level,"
	" override_level, override_rationale, assessed_at, assessor_id)"
	" VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, ''), ?10, ?11, ?12)";

#define ASSESSMENT_SELECT                                                                                       \
	"SELECT a.id, a.person_id, coalesce(a.case_id, 0), a.tool_id, t.code, t.version, t.name, a.answers,"   \
	" a.result, a.score, a.computed_level, a.final_level, coalesce(a.override_level, ''),"                   \
	" a.override_rationale, a.assessed_at, coalesce(u.username, '')"                                          \
	" FROM assessments a JOIN risk_tools t ON t.id = a.tool_id LEFT JOIN users u ON u.id = a.assessor_id"

static const char SQL_GET[] = ASSESSMENT_SELECT " WHERE a.id = ?1";
static const char SQL_OF_PERSON[] = ASSESSMENT_SELECT " WHERE a.person_id = ?1 ORDER BY a.assessed_at, a.id";

int store_tool_meta(struct store *st, int64_t id, struct store_tool_meta *out)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TOOL_META);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		store_col(s, 0, out->code, sizeof out->code);
		out->version = sqlite3_column_int(s, 1);
		out->active = sqlite3_column_int(s, 2) != 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_tool_definition(struct store *st, int64_t id, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	sqlite3_stmt *s = store_prepare(st, SQL_TOOL_DEFINITION);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	int out = rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		char *copy = t ? malloc(n + 1) : NULL;
		if (copy) {
			memcpy(copy, t, n);
			copy[n] = 0;
			*text = copy;
			*len = n;
			out = 0;
		}
	}
	sqlite3_reset(s);
	return out;
}

int store_assessment_person_dob(struct store *st, int64_t person_id, char dob[11])
{
	sqlite3_stmt *s = store_prepare(st, SQL_PERSON_DOB);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	dob[0] = 0;
	if (rc == SQLITE_ROW)
		store_col(s, 0, dob, 11);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_assessment_insert(struct store *st, struct assessment *a, int64_t assessor_id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, a->person_id);
	sqlite3_bind_int64(s, 2, a->case_id);
	sqlite3_bind_int64(s, 3, a->tool_id);
	store_text(s, 4, a->answers);
	store_text(s, 5, a->result);
	sqlite3_bind_int(s, 6, a->score);
	store_text(s, 7, a->computed_level);
	store_text(s, 8, a->final_level);
	store_text(s, 9, a->override_level);
	store_text(s, 10, a->override_rationale);
	sqlite3_bind_int64(s, 11, a->assessed_at);
	sqlite3_bind_int64(s, 12, assessor_id);
	int rc = store_done(st, s);
	if (rc == 0)
		a->id = sqlite3_last_insert_rowid(store_db(st));
	return rc;
}

/* Column i as text, "" for NULL (valid until the statement moves on). */
static const char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

int store_assessment_each(struct store *st, int64_t id, int64_t person_id,
			  int (*fn)(void *ctx, const struct assessment *a), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, id > 0 ? SQL_GET : SQL_OF_PERSON);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id > 0 ? id : person_id);
	int rc, out = 0, n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct assessment a = {
			.id = sqlite3_column_int64(s, 0),
			.person_id = sqlite3_column_int64(s, 1),
			.case_id = sqlite3_column_int64(s, 2),
			.tool_id = sqlite3_column_int64(s, 3),
			.tool_code = col(s, 4),
			.tool_version = sqlite3_column_int(s, 5),
			.tool_name = col(s, 6),
			.answers = col(s, 7),
			.result = col(s, 8),
			.score = sqlite3_column_int(s, 9),
			.computed_level = col(s, 10),
			.final_level = col(s, 11),
			.override_level = col(s, 12),
			.override_rationale = col(s, 13),
			.assessed_at = sqlite3_column_int64(s, 14),
			.assessor = col(s, 15),
		};
		n++;
		if (fn(ctx, &a) != 0) {
			out = -1;
			break;
		}
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = -1;
	sqlite3_reset(s);
	if (out == 0 && id > 0 && n == 0)
		out = STORE_NOTFOUND;
	return out;
}
