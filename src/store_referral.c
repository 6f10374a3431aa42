/*
 * store_referral.c - SQL for referrals (the referrals table of sql/002_casework.sql, read with
 * their persons, users and referral_decision clocks). See store_referral.h.
 * Owns: these statements and the strands column's JSON text. Must not touch: the rules of
 * referrals (referral.c), clocks (store_clock.c writes them; here they are only read).
 */
#include "store_referral.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "referral.h"
#include "store.h"
#include "store_int.h"

static const char SQL_INSERT[] =
	"INSERT INTO referrals(person_id, subject_type, subject_ref, received_at, source_code, source_agency,"
	" referrer_name, referrer_contact, strands, concerns, consent_basis, status, team, created_at, created_by,"
	" updated_at, updated_by, version)"
	" VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

static const char SQL_DECIDE[] =
	"UPDATE referrals SET status = 'decided', outcome = ?3, rationale = ?4, decided_at = ?5, decided_by = ?6,"
	" case_id = nullif(?7, 0), updated_at = ?8, updated_by = ?9, version = ?10"
	" WHERE id = ?1 AND version = ?2 AND status = 'awaiting_decision'";

/* Every column a struct referral is read from, in the order read_row takes them. */
#define REFERRAL_SELECT                                                                                         \
	"SELECT r.id, r.version, r.subject_type, coalesce(r.person_id, 0), r.subject_ref, r.received_at,"      \
	" r.source_code, r.source_agency, r.referrer_name, r.referrer_contact, r.strands, r.concerns,"            \
	" r.consent_basis, r.status, coalesce(r.outcome, ''), coalesce(r.rationale, ''),"                        \
	" coalesce(r.decided_at, 0), coalesce(r.decided_by, 0), coalesce(r.case_id, 0), r.team, r.created_at,"   \
	" r.created_by, r.updated_at, r.updated_by, coalesce(cu.username, ''), coalesce(uu.username, ''),"       \
	" coalesce(du.username, ''), coalesce(p.given_name, ''), coalesce(p.family_name, ''),"                   \
	" coalesce(p.dob, ''), coalesce(k.due_at, 0), coalesce(k.status, '')"                                     \
	" FROM referrals r"                                                                                       \
	" LEFT JOIN persons p ON p.id = r.person_id"                                                              \
	" LEFT JOIN users cu ON cu.id = r.created_by"                                                             \
	" LEFT JOIN users uu ON uu.id = r.updated_by"                                                             \
	" LEFT JOIN users du ON du.id = r.decided_by"                                                             \
	" LEFT JOIN clocks k ON k.id = (SELECT max(c.id) FROM clocks c WHERE c.subject_type = 'referral'"       \
	" AND c.subject_id = r.id AND c.standard = 'referral_decision')"

/* Restricted persons are shown only to the users named on them (?1 is the reader's users.id). */
#define REFERRAL_VISIBLE                                                                                        \
	" AND (r.person_id IS NULL OR p.restricted = 0 OR EXISTS (SELECT 1 FROM person_access a"                \
	" WHERE a.person_id = r.person_id AND a.user_id = ?1))"

#define REFERRAL_COUNT "SELECT count(*) FROM referrals r LEFT JOIN persons p ON p.id = r.person_id"
#define REFERRAL_PAGE " ORDER BY r.received_at, r.id LIMIT ?4 OFFSET ?5"

/*
 * One statement per filter shape, so each can use its index (person, status, received time).
 * ?1 reader, ?2 person id (0: any), ?3 status ("": any), ?4 limit, ?5 offset.
 */
#define WHERE_PERSON " WHERE r.person_id = ?2 AND (?3 = '' OR r.status = ?3)" REFERRAL_VISIBLE
#define WHERE_STATUS " WHERE ?2 = 0 AND r.status = ?3" REFERRAL_VISIBLE
#define WHERE_ALL " WHERE ?2 = 0 AND ?3 = ''" REFERRAL_VISIBLE

static const char SQL_GET[] = REFERRAL_SELECT " WHERE r.id = ?1";
static const char SQL_LIST_PERSON[] = REFERRAL_SELECT WHERE_PERSON REFERRAL_PAGE;
static const char SQL_LIST_STATUS[] = REFERRAL_SELECT WHERE_STATUS REFERRAL_PAGE;
static const char SQL_LIST_ALL[] = REFERRAL_SELECT WHERE_ALL REFERRAL_PAGE;
static const char SQL_COUNT_PERSON[] = REFERRAL_COUNT WHERE_PERSON;
static const char SQL_COUNT_STATUS[] = REFERRAL_COUNT WHERE_STATUS;
static const char SQL_COUNT_ALL[] = REFERRAL_COUNT WHERE_ALL;

/* The strands as JSON array text (malloc'd; NULL when out of memory). */
static char *strands_text(const struct referral *r)
{
	json_t *a = json_array();
	for (int i = 0; a && i < r->n_strands; i++)
		json_array_append_new(a, json_string(r->strands[i]));
	char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return text;
}

/* Parse the strands column into r (codes that do not fit are left out). */
static void strands_read(const char *text, struct referral *r)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	r->n_strands = 0;
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	for (size_t i = 0; i < n && r->n_strands < REFERRAL_STRANDS_MAX; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (s && strlen(s) <= (size_t)REFERRAL_STRAND_CHARS)
			snprintf(r->strands[r->n_strands++], sizeof r->strands[0], "%s", s);
	}
	json_decref(a);
}

int store_referral_insert(struct store *st, struct referral *r)
{
	char *strands = strands_text(r);
	if (!strands)
		return -1;
	sqlite3_stmt *s = store_prepare(st, SQL_INSERT);
	if (!s) {
		free(strands);
		return -1;
	}
	sqlite3_bind_int64(s, 1, r->person_id);
	store_text(s, 2, r->subject_type);
	store_text(s, 3, r->subject_ref);
	sqlite3_bind_int64(s, 4, r->received_at);
	store_text(s, 5, r->source_code);
	store_text(s, 6, r->source_agency);
	store_text(s, 7, r->referrer_name);
	store_text(s, 8, r->referrer_contact);
	store_text(s, 9, strands);
	store_text(s, 10, r->concerns);
	store_text(s, 11, r->consent_basis);
	store_text(s, 12, r->status);
	store_text(s, 13, r->team);
	sqlite3_bind_int64(s, 14, r->created_at);
	sqlite3_bind_int64(s, 15, r->created_by_id);
	sqlite3_bind_int64(s, 16, r->updated_at);
	sqlite3_bind_int64(s, 17, r->updated_by_id);
	sqlite3_bind_int64(s, 18, r->version);
	int rc = store_done(st, s);
	free(strands);
	if (rc == 0)
		r->id = sqlite3_last_insert_rowid(store_db(st));
	return rc;
}

/* Fill r from the current row of a REFERRAL_SELECT statement. */
static void read_row(sqlite3_stmt *s, struct referral *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->version = sqlite3_column_int64(s, 1);
	store_col(s, 2, r->subject_type, sizeof r->subject_type);
	r->person_id = sqlite3_column_int64(s, 3);
	store_col(s, 4, r->subject_ref, sizeof r->subject_ref);
	r->received_at = sqlite3_column_int64(s, 5);
	store_col(s, 6, r->source_code, sizeof r->source_code);
	store_col(s, 7, r->source_agency, sizeof r->source_agency);
	store_col(s, 8, r->referrer_name, sizeof r->referrer_name);
	store_col(s, 9, r->referrer_contact, sizeof r->referrer_contact);
	strands_read((const char *)sqlite3_column_text(s, 10), r);
	store_col(s, 11, r->concerns, sizeof r->concerns);
	store_col(s, 12, r->consent_basis, sizeof r->consent_basis);
	store_col(s, 13, r->status, sizeof r->status);
	store_col(s, 14, r->outcome, sizeof r->outcome);
	store_col(s, 15, r->rationale, sizeof r->rationale);
	r->decided_at = sqlite3_column_int64(s, 16);
	r->decided_by_id = sqlite3_column_int64(s, 17);
	r->case_id = sqlite3_column_int64(s, 18);
	store_col(s, 19, r->team, sizeof r->team);
	r->created_at = sqlite3_column_int64(s, 20);
	r->created_by_id = sqlite3_column_int64(s, 21);
	r->updated_at = sqlite3_column_int64(s, 22);
	r->updated_by_id = sqlite3_column_int64(s, 23);
	store_col(s, 24, r->created_by, sizeof r->created_by);
	store_col(s, 25, r->updated_by, sizeof r->updated_by);
	store_col(s, 26, r->decided_by, sizeof r->decided_by);
	store_col(s, 27, r->person_given_name, sizeof r->person_given_name);
	store_col(s, 28, r->person_family_name, sizeof r->person_family_name);
	store_col(s, 29, r->person_dob, sizeof r->person_dob);
	r->decision_due_at = sqlite3_column_int64(s, 30);
	store_col(s, 31, r->clock_status, sizeof r->clock_status);
}

int store_referral_get(struct store *st, int64_t id, struct referral *r)
{
	sqlite3_stmt *s = store_prepare(st, SQL_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_row(s, r);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

int store_referral_decide(struct store *st, const struct referral *r, int64_t expected_version)
{
	sqlite3_stmt *s = store_prepare(st, SQL_DECIDE);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, expected_version);
	store_text(s, 3, r->outcome);
	store_text(s, 4, r->rationale);
	sqlite3_bind_int64(s, 5, r->decided_at);
	sqlite3_bind_int64(s, 6, r->decided_by_id);
	sqlite3_bind_int64(s, 7, r->case_id);
	sqlite3_bind_int64(s, 8, r->updated_at);
	sqlite3_bind_int64(s, 9, r->updated_by_id);
	sqlite3_bind_int64(s, 10, r->version);
	int rc = store_done(st, s);
	if (rc != 0)
		return rc;
	return sqlite3_changes(store_db(st)) == 1 ? 0 : STORE_CONFLICT;
}

/* Bind the filter parameters shared by the list and count statements. */
static void bind_filter(sqlite3_stmt *s, const struct referral_filter *f)
{
	sqlite3_bind_int64(s, 1, f->viewer_id);
	sqlite3_bind_int64(s, 2, f->person_id);
	store_text(s, 3, f->status);
}

int store_referral_list(struct store *st, const struct referral_filter *f,
			int (*fn)(void *ctx, const struct referral *r), void *ctx, int64_t *total)
{
	const char *count_sql = f->person_id ? SQL_COUNT_PERSON : f->status[0] ? SQL_COUNT_STATUS : SQL_COUNT_ALL;
	const char *list_sql = f->person_id ? SQL_LIST_PERSON : f->status[0] ? SQL_LIST_STATUS : SQL_LIST_ALL;
	sqlite3_stmt *s = store_prepare(st, count_sql);
	if (!s)
		return -1;
	bind_filter(s, f);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return -1;
	}
	*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);

	struct referral *r = malloc(sizeof *r);
	s = r ? store_prepare(st, list_sql) : NULL;
	if (!s) {
		free(r);
		return -1;
	}
	bind_filter(s, f);
	sqlite3_bind_int(s, 4, f->limit);
	sqlite3_bind_int(s, 5, f->offset);
	int rc, out = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_row(s, r);
		if (fn(ctx, r) != 0) {
			out = -1;
			break;
		}
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = -1;
	sqlite3_reset(s);
	free(r);
	return out;
}
