/*
 * store_dashboard.c - SQL for the daily tasking list and the person's story. See
 * store_dashboard.h. Parameters of the daily statements: ?1 the team (bound only for one team:
 * IN_TEAM reads NULL as every team; the walks over open cases have a one-team and an every-team
 * form), ?2 the user (for restricted persons), ?3 and on the statement's own bounds (a time, a
 * date, a limit). The choices of index and of the order of joins were measured on a demo of 300k
 * persons with ten years of casework (see the comments at each statement).
 * Owns: these statements. Must not touch: HTTP, jansson, other slices' writes (read-only here).
 */
#include "store_dashboard.h"

#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

/* A line about person alias P is shown when it has no person, the person is not restricted, or
 * the user (?2) is named on them. */
#define VISIBLE(P)                                                                                    \
	" (" P ".id IS NULL OR " P ".restricted = 0 OR EXISTS (SELECT 1 FROM person_access pa"        \
	" WHERE pa.person_id = " P ".id AND pa.user_id = ?2))"
#define IN_TEAM(COL) " (?1 IS NULL OR " COL " = ?1)"
#define LABEL(LIST, CODE) "(SELECT label FROM config_codes WHERE list = '" LIST "' AND code = " CODE ")"

/*
 * A person the user ?2 may reach, judged without reading the person's row: not one of the
 * restricted persons (those with named users in person_access: person.c always names the
 * creator, and clears the list when the restriction is lifted) unless ?2 is named on them. Two
 * probes of person_access's primary key at most. Used where a walk would otherwise read a person
 * for every line it counts; every line shown is also checked against the person's row (VISIBLE).
 */
#define NOT_HIDDEN(PID)                                                                               \
	" (NOT EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = " PID ")"                       \
	" OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = " PID " AND pa.user_id = ?2))"

/*
 * Each walk names the index it must start from (INDEXED BY): the planner has no statistics (the
 * program never runs ANALYZE) and, with some, could prefer a scan of a big table. The daily list
 * must cost the size of today's work, not of the years of casework behind it.
 */
static const char SQL_DASH_REFERRALS[] =
	"SELECT r.id, r.version, coalesce(r.person_id, 0), p.given_name, p.family_name, p.dob, r.subject_type,"
	" r.subject_ref, r.received_at, r.source_code, " LABEL("referral_source", "r.source_code") ", r.source_agency,"
	" r.strands, r.team, coalesce((SELECT min(k.due_at) FROM clocks k INDEXED BY clocks_subject"
	" WHERE k.subject_type = 'referral' AND k.subject_id = r.id AND k.standard = 'referral_decision'"
	" AND k.status = 'running'), 0)"
	" FROM referrals r INDEXED BY referrals_status LEFT JOIN persons p ON p.id = r.person_id"
	" WHERE r.status = 'awaiting_decision' AND" IN_TEAM("r.team") " AND" VISIBLE("p")
	" ORDER BY r.received_at, r.id";

/* The person of a clock: its own, or its case's. */
#define CLOCK_PERSON "coalesce(k.person_id, (SELECT c.person_id FROM cases c WHERE c.id = k.case_id))"

/* The task columns (read by task_row): the daily tasks and a case's running clocks. */
#define TASK_COLUMNS                                                                                  \
	"SELECT k.id, k.standard, coalesce(s.name, k.standard), k.subject_type, k.subject_id,"        \
	" coalesce(k.case_id, 0), coalesce(p.id, 0), p.given_name, p.family_name, p.dob, k.team,"     \
	" u.username, u.display_name, k.started_at, k.due_at"

/* Running clocks due in [?3, ?4], soonest first, at most ?5. */
static const char SQL_DASH_TASKS[] = TASK_COLUMNS
	" FROM clocks k INDEXED BY clocks_running LEFT JOIN persons p ON p.id = " CLOCK_PERSON
	" LEFT JOIN practice_standards s ON s.code = k.standard LEFT JOIN users u ON u.id = k.worker_id"
	" WHERE k.status = 'running' AND k.due_at >= ?3 AND k.due_at <= ?4 AND" IN_TEAM("k.team") " AND" VISIBLE("p")
	" ORDER BY k.due_at, k.id LIMIT ?5";

/*
 * Running clocks due by ?4, counted by standard: overdue (before ?3) and due from ?3. Counting
 * touches every such clock, so restricted persons are left out without reading each clock's
 * person (NOT_HIDDEN).
 */
static const char SQL_DASH_TASK_COUNTS[] =
	"SELECT k.standard, coalesce(s.name, k.standard), coalesce(s.sort, 0), sum(k.due_at < ?3), sum(k.due_at >= ?3)"
	" FROM clocks k INDEXED BY clocks_running LEFT JOIN practice_standards s ON s.code = k.standard"
	" WHERE k.status = 'running' AND k.due_at <= ?4 AND" IN_TEAM("k.team") " AND"
	NOT_HIDDEN("coalesce(k.person_id, (SELECT c.person_id FROM cases c WHERE c.id = k.case_id))")
	" GROUP BY k.standard ORDER BY 3, 1";

static const char SQL_STORY_CLOCKS[] = TASK_COLUMNS
	" FROM clocks k INDEXED BY clocks_case LEFT JOIN persons p ON p.id = k.person_id"
	" LEFT JOIN practice_standards s ON s.code = k.standard LEFT JOIN users u ON u.id = k.worker_id"
	" WHERE k.case_id = ?1 AND k.status = 'running' ORDER BY k.due_at, k.id";

/*
 * The walks over open cases come in two forms: for one team (?1), which reads only that team's
 * open cases through cases_status_team(status, team), and for every team. T_CASE and T_MEETING
 * are the team conditions of the one-team form.
 */
#define T_CASE " AND c.team = ?1"
#define T_MEETING " AND coalesce(cu.team, '') = ?1"

/*
 * Open actions due before ?3: those of open cases' meetings (not every action ever left undone on
 * a closed case), and those of meetings about a person alone (team: the team of who recorded the
 * meeting). The case side walks the open cases in scope (cases_status_team) and, for each, only
 * its actions not done through the partial index actions_case_open (sql/003), in due-date order;
 * the person side walks meetings with no case (meetings_case) and their actions (actions_meeting).
 * The first ?4 by due date are read in full, each line carrying how many there are in all (total).
 */
#define ACTIONS_BY_CASE_INDEX(CASE_TEAM, MEETING_TEAM)                                                \
	"SELECT a.id, a.version, a.meeting_id, coalesce(c.id, 0), m.type, m.held_at, a.what, a.owner, a.due_date," \
	" a.updated_at, uu.username, coalesce(p.id, 0), p.given_name, p.family_name, p.dob,"              \
	" coalesce(c.team, cu.team, ''), x.total FROM (SELECT action_id, due_date, count(*) OVER () AS total" \
	" FROM (SELECT o.id AS action_id, o.due_date AS due_date FROM cases c INDEXED BY cases_status_team" \
	" CROSS JOIN actions o INDEXED BY actions_case_open WHERE c.status = 'open'" CASE_TEAM              \
	" AND o.case_id = c.id AND o.done_at IS NULL AND o.due_date < ?3 AND" NOT_HIDDEN("c.person_id")     \
	" UNION ALL SELECT o.id, o.due_date FROM meetings m INDEXED BY meetings_case CROSS JOIN actions o"  \
	" INDEXED BY actions_meeting LEFT JOIN users cu ON cu.id = m.created_by WHERE m.case_id IS NULL"     \
	" AND o.meeting_id = m.id AND o.done_at IS NULL AND o.due_date < ?3" MEETING_TEAM " AND"            \
	NOT_HIDDEN("m.person_id") ") ORDER BY due_date, action_id LIMIT ?4) x"                             \
	" JOIN actions a ON a.id = x.action_id JOIN meetings m ON m.id = a.meeting_id"                     \
	" LEFT JOIN cases c ON c.id = m.case_id LEFT JOIN persons p ON p.id = coalesce(m.person_id, c.person_id)" \
	" LEFT JOIN users cu ON cu.id = m.created_by LEFT JOIN users uu ON uu.id = a.updated_by"          \
	" WHERE" VISIBLE("p") " ORDER BY a.due_date, a.id"
static const char SQL_DASH_ACTIONS_ALL[] = ACTIONS_BY_CASE_INDEX("", "");
static const char SQL_DASH_ACTIONS_TEAM[] = ACTIONS_BY_CASE_INDEX(T_CASE, T_MEETING);

/* The open-case columns (read by case_row), and the open cases in scope with their persons. */
#define CASE_COLUMNS                                                                                  \
	"SELECT c.id AS case_id, p.id AS person_id, p.given_name, p.family_name, p.dob, c.team,"      \
	" u.username, u.display_name, c.risk_level, c.opened_at AS opened_at"
#define OPEN_CASES(CASE_TEAM)                                                                         \
	" FROM cases c INDEXED BY cases_status_team JOIN persons p ON p.id = c.person_id"             \
	" LEFT JOIN users u ON u.id = c.worker_id WHERE c.status = 'open'" CASE_TEAM " AND" VISIBLE("p")

/*
 * The open high-risk cases: each one's last contact with the child seen is looked up once, and
 * the person is read only for the cases not seen lately.
 */
#define NOT_SEEN(CASE_TEAM)                                                                           \
	"WITH hr AS MATERIALIZED (SELECT c.id AS case_id, c.person_id AS person_id, c.team AS team,"        \
	" c.worker_id AS worker_id, c.risk_level AS risk_level, c.opened_at AS opened_at,"                  \
	" coalesce((SELECT t.contact_at FROM contacts t INDEXED BY contacts_case WHERE t.case_id = c.id"    \
	" AND t.seen = 1 ORDER BY t.contact_at DESC LIMIT 1), 0) AS last_seen"                              \
	" FROM cases c INDEXED BY cases_status_team WHERE c.status = 'open'" CASE_TEAM                      \
	" AND c.risk_level = 'high')"                                                                       \
	" SELECT hr.case_id, p.id, p.given_name, p.family_name, p.dob, hr.team, u.username, u.display_name," \
	" hr.risk_level, hr.opened_at, hr.last_seen FROM hr CROSS JOIN persons p LEFT JOIN users u ON u.id = hr.worker_id" \
	" WHERE (CASE WHEN hr.last_seen > 0 THEN hr.last_seen ELSE hr.opened_at END) < ?3"                  \
	" AND p.id = hr.person_id AND" VISIBLE("p")                                                         \
	" ORDER BY (CASE WHEN hr.last_seen > 0 THEN hr.last_seen ELSE hr.opened_at END), hr.case_id"
static const char SQL_DASH_NOT_SEEN_ALL[] = NOT_SEEN("");
static const char SQL_DASH_NOT_SEEN_TEAM[] = NOT_SEEN(T_CASE);

/*
 * Young people near 17 1/2 and not yet 18: open cases without a transition plan whose person was
 * born in (?4, ?3]. One team's open cases are few: walk them and read their persons. Every team's
 * are more than the persons born in that window (found in the persons_dob index alone, no rows
 * read): then only the matching cases' persons are read. (Measured at 300k persons.)
 */
static const char SQL_DASH_TRANSITIONS_ALL[] =
	CASE_COLUMNS ", 0 FROM cases c INDEXED BY cases_status_team CROSS JOIN persons p"
	" LEFT JOIN users u ON u.id = c.worker_id WHERE c.status = 'open' AND c.transition_plan_at IS NULL"
	" AND +c.person_id IN (SELECT b.id FROM persons b INDEXED BY persons_dob WHERE b.dob > ?4 AND b.dob <= ?3)"
	" AND p.id = c.person_id AND" VISIBLE("p") " ORDER BY p.dob, c.id";
static const char SQL_DASH_TRANSITIONS_TEAM[] =
	CASE_COLUMNS ", 0" OPEN_CASES(T_CASE) " AND c.transition_plan_at IS NULL AND p.dob > ?4 AND p.dob <= ?3"
	" ORDER BY p.dob, c.id";

#define FLAGS(CASE_TEAM)                                                                              \
	"SELECT f.id, f.version, f.case_id, f.kind, coalesce(" LABEL("flag_type", "f.kind") ", f.kind),"  \
	" substr(f.note, 1, 200), f.set_at, f.review_date, f.police_flag, p.id, p.given_name, p.family_name," \
	" p.dob, c.team FROM cases c INDEXED BY cases_status_team CROSS JOIN flags f INDEXED BY flags_case" \
	" CROSS JOIN persons p WHERE c.status = 'open'" CASE_TEAM " AND f.case_id = c.id"                  \
	" AND f.removed_at IS NULL AND f.review_date <= ?3 AND p.id = c.person_id AND" VISIBLE("p")        \
	" ORDER BY f.review_date, f.id"
static const char SQL_DASH_FLAGS_ALL[] = FLAGS("");
static const char SQL_DASH_FLAGS_TEAM[] = FLAGS(T_CASE);

static const char SQL_STORY_CASES[] =
	"SELECT c.id, c.version, c.person_id, coalesce(c.referral_id, 0), c.status, c.team, w.username, w.display_name,"
	" c.strands, c.risk_level, c.opening_risk, c.opened_at, coalesce(c.closed_at, 0), c.closure_reason,"
	" " LABEL("closure_reason", "c.closure_reason") ", c.closure_risk, coalesce(c.transition_plan_at, 0),"
	" c.transition_plan, c.created_at, c.updated_at, cu.username, uu.username"
	" FROM cases c LEFT JOIN users w ON w.id = c.worker_id LEFT JOIN users cu ON cu.id = c.created_by"
	" LEFT JOIN users uu ON uu.id = c.updated_by WHERE c.person_id = ?1 ORDER BY c.opened_at DESC, c.id DESC";

static const char SQL_STORY_ALLOCATIONS[] =
	"SELECT a.id, a.case_id, a.team, w.username, w.display_name, a.from_at, a.reason, b.username,"
	" a.id = (SELECT min(x.id) FROM case_allocations x WHERE x.case_id = a.case_id)"
	" FROM cases c JOIN case_allocations a ON a.case_id = c.id LEFT JOIN users w ON w.id = a.worker_id"
	" LEFT JOIN users b ON b.id = a.by_id WHERE c.person_id = ?1 ORDER BY a.from_at, a.id";

static const char SQL_STORY_REFERRALS[] =
	"SELECT r.id, r.version, r.subject_type, r.subject_ref, r.received_at, r.source_code,"
	" " LABEL("referral_source", "r.source_code") ", r.source_agency, r.referrer_name, r.referrer_contact,"
	" r.strands, r.concerns, r.consent_basis, r.status, r.outcome, " LABEL("decision_outcome", "r.outcome") ","
	" r.rationale, coalesce(r.decided_at, 0), d.username, coalesce(r.case_id, 0), r.team, coalesce(k.due_at, 0),"
	" k.status, r.created_at, r.updated_at, cu.username, uu.username"
	" FROM referrals r LEFT JOIN users d ON d.id = r.decided_by LEFT JOIN users cu ON cu.id = r.created_by"
	" LEFT JOIN users uu ON uu.id = r.updated_by"
	" LEFT JOIN clocks k ON k.id = (SELECT max(x.id) FROM clocks x WHERE x.subject_type = 'referral'"
	" AND x.subject_id = r.id AND x.standard = 'referral_decision')"
	" WHERE r.person_id = ?1 ORDER BY r.received_at DESC, r.id DESC";

static const char SQL_STORY_ASSESSMENTS[] =
	"SELECT a.id, coalesce(a.case_id, 0), a.tool_id, coalesce(t.version, 0), t.code, t.name, a.score,"
	" a.computed_level, a.final_level, a.override_level, a.override_rationale, a.assessed_at, u.username"
	" FROM assessments a LEFT JOIN risk_tools t ON t.id = a.tool_id LEFT JOIN users u ON u.id = a.assessor_id"
	" WHERE a.person_id = ?1 ORDER BY a.assessed_at, a.id";

static const char SQL_STORY_CONTACTS[] =
	"SELECT t.id, t.case_id, t.contact_at, t.kind, coalesce(" LABEL("contact_type", "t.kind") ", t.kind), t.seen,"
	" t.seen_alone, t.location, t.summary, u.username FROM cases c JOIN contacts t ON t.case_id = c.id"
	" LEFT JOIN users u ON u.id = t.created_by WHERE c.person_id = ?1 ORDER BY t.contact_at DESC, t.id DESC";

static const char SQL_STORY_NOTES[] =
	"SELECT n.id, n.case_id, n.created_at, substr(n.note, 1, 200), u.username FROM cases c"
	" JOIN case_notes n ON n.case_id = c.id LEFT JOIN users u ON u.id = n.created_by"
	" WHERE c.person_id = ?1 ORDER BY n.created_at DESC, n.id DESC";

static const char SQL_STORY_SUPERVISIONS[] =
	"SELECT v.id, v.case_id, v.held_at, v.next_due, u.username FROM cases c JOIN supervisions v ON v.case_id = c.id"
	" LEFT JOIN users u ON u.id = v.created_by WHERE c.person_id = ?1 ORDER BY v.held_at DESC, v.id DESC";

static const char SQL_STORY_FLAGS[] =
	"SELECT f.id, f.version, f.case_id, f.kind, coalesce(" LABEL("flag_type", "f.kind") ", f.kind), f.note,"
	" f.set_at, f.review_date, f.police_flag, coalesce(f.removed_at, 0), u.username FROM cases c"
	" JOIN flags f ON f.case_id = c.id LEFT JOIN users u ON u.id = f.created_by WHERE c.person_id = ?1"
	" ORDER BY f.set_at DESC, f.id DESC";

static const char SQL_STORY_FEEDBACK[] =
	"SELECT b.id, b.case_id, b.stage, b.score, b.words, b.created_at, u.username FROM cases c"
	" JOIN feedback b ON b.case_id = c.id LEFT JOIN users u ON u.id = b.created_by WHERE c.person_id = ?1"
	" ORDER BY b.created_at DESC, b.id DESC";

/* Column i as text, "" for NULL; valid until the statement steps or resets. */
static const char *txt(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? (const char *)v : "";
}

static int64_t num(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int64(s, i);
}

/* The person columns at i.. (id, given_name, family_name, dob). */
static void person_cols(sqlite3_stmt *s, int i, struct dash_person *p)
{
	p->id = num(s, i);
	p->given_name = txt(s, i + 1);
	p->family_name = txt(s, i + 2);
	p->dob = txt(s, i + 3);
}

/*
 * Prepare `sql` and bind the daily scope (?1 team, ?2 user) and, when bound3 is not NULL, the
 * text ?3; the caller binds an integer ?3 itself. NULL on a prepare error.
 */
static sqlite3_stmt *scoped(struct store *st, const char *sql, const struct dash_scope *sc, const char *bound3)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return NULL;
	if (sc->team)
		store_text(s, 1, sc->team);
	sqlite3_bind_int64(s, 2, sc->user_id);
	if (bound3)
		store_text(s, 3, bound3);
	return s;
}

/* The one-team or the every-team form of a walk over open cases, for scope sc. */
static const char *form(const struct dash_scope *sc, const char *all, const char *team)
{
	return sc->team ? team : all;
}

/* Prepare `sql` with ?1 bound to id. */
static sqlite3_stmt *by_id(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (s)
		sqlite3_bind_int64(s, 1, id);
	return s;
}

/* The end of a walk: reset, and 0 when it ran to its end or was stopped by the caller. */
static int walk_end(sqlite3_stmt *s, int rc)
{
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int store_dash_referrals(struct store *st, const struct dash_scope *sc,
			 int (*fn)(void *ctx, const struct dash_referral *r), void *ctx)
{
	sqlite3_stmt *s = scoped(st, SQL_DASH_REFERRALS, sc, NULL);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dash_referral r = {
			.id = num(s, 0), .version = num(s, 1),
			.subject_type = txt(s, 6), .subject_ref = txt(s, 7), .received_at = num(s, 8),
			.source_code = txt(s, 9), .source_label = txt(s, 10), .source_agency = txt(s, 11),
			.strands = txt(s, 12), .team = txt(s, 13), .due_at = num(s, 14),
		};
		person_cols(s, 2, &r.person);
		if (fn(ctx, &r) != 0)
			break;
	}
	return walk_end(s, rc);
}

/* A row of TASK_COLUMNS. */
static void task_row(sqlite3_stmt *s, struct dash_task *t)
{
	memset(t, 0, sizeof *t);
	t->id = num(s, 0);
	t->standard = txt(s, 1);
	t->name = txt(s, 2);
	t->subject_type = txt(s, 3);
	t->subject_id = num(s, 4);
	t->case_id = num(s, 5);
	person_cols(s, 6, &t->person);
	t->team = txt(s, 10);
	t->worker.username = txt(s, 11);
	t->worker.display_name = txt(s, 12);
	t->started_at = num(s, 13);
	t->due_at = num(s, 14);
}

/* Walk a statement of TASK_COLUMNS. */
static int task_walk(sqlite3_stmt *s, int (*fn)(void *ctx, const struct dash_task *t), void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dash_task t;
		task_row(s, &t);
		if (fn(ctx, &t) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_dash_tasks(struct store *st, const struct dash_scope *sc, int64_t from, int64_t to, int limit,
		     int (*fn)(void *ctx, const struct dash_task *t), void *ctx)
{
	sqlite3_stmt *s = scoped(st, SQL_DASH_TASKS, sc, NULL);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 3, from);
	sqlite3_bind_int64(s, 4, to);
	sqlite3_bind_int(s, 5, limit);
	return task_walk(s, fn, ctx);
}

int store_dash_task_counts(struct store *st, const struct dash_scope *sc, int64_t now, int64_t end_of_today,
			   int (*fn)(void *ctx, const struct dash_task_count *c), void *ctx)
{
	sqlite3_stmt *s = scoped(st, SQL_DASH_TASK_COUNTS, sc, NULL);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, end_of_today);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dash_task_count c = {
			.standard = txt(s, 0), .name = txt(s, 1), .overdue = sqlite3_column_int(s, 3),
			.due_today = sqlite3_column_int(s, 4),
		};
		if (fn(ctx, &c) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_dash_overdue_actions(struct store *st, const struct dash_scope *sc, const char *today, int limit,
			       int *total, int (*fn)(void *ctx, const struct dash_action *a), void *ctx)
{
	sqlite3_stmt *s = scoped(st, form(sc, SQL_DASH_ACTIONS_ALL, SQL_DASH_ACTIONS_TEAM), sc, today);
	if (!s)
		return -1;
	int rc;
	sqlite3_bind_int(s, 4, limit);
	*total = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dash_action a = {
			.id = num(s, 0), .version = num(s, 1), .meeting_id = num(s, 2), .case_id = num(s, 3),
			.meeting_type = txt(s, 4), .held_at = num(s, 5), .what = txt(s, 6), .owner = txt(s, 7),
			.due_date = txt(s, 8), .updated_at = num(s, 9), .updated_by = txt(s, 10), .team = txt(s, 15),
		};
		person_cols(s, 11, &a.person);
		*total = sqlite3_column_int(s, 16);
		if (fn(ctx, &a) != 0)
			break;
	}
	return walk_end(s, rc);
}

/* Walk a statement of CASE_COLUMNS followed by the last-seen time. */
static int case_walk(sqlite3_stmt *s, int (*fn)(void *ctx, const struct dash_case *c), void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dash_case c = {
			.case_id = num(s, 0), .team = txt(s, 5), .worker = { txt(s, 6), txt(s, 7) },
			.risk_level = txt(s, 8), .opened_at = num(s, 9), .last_seen_at = num(s, 10),
		};
		person_cols(s, 1, &c.person);
		if (fn(ctx, &c) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_dash_not_seen(struct store *st, const struct dash_scope *sc, int64_t seen_before,
			int (*fn)(void *ctx, const struct dash_case *c), void *ctx)
{
	sqlite3_stmt *s = scoped(st, form(sc, SQL_DASH_NOT_SEEN_ALL, SQL_DASH_NOT_SEEN_TEAM), sc, NULL);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 3, seen_before);
	return case_walk(s, fn, ctx);
}

int store_dash_transitions(struct store *st, const struct dash_scope *sc, const char *dob_earliest,
			   const char *dob_latest, int (*fn)(void *ctx, const struct dash_case *c), void *ctx)
{
	sqlite3_stmt *s = scoped(st, form(sc, SQL_DASH_TRANSITIONS_ALL, SQL_DASH_TRANSITIONS_TEAM), sc, dob_latest);
	if (!s)
		return -1;
	store_text(s, 4, dob_earliest);
	return case_walk(s, fn, ctx);
}

int store_dash_flags_due(struct store *st, const struct dash_scope *sc, const char *today,
			 int (*fn)(void *ctx, const struct dash_flag *f), void *ctx)
{
	sqlite3_stmt *s = scoped(st, form(sc, SQL_DASH_FLAGS_ALL, SQL_DASH_FLAGS_TEAM), sc, today);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dash_flag f = {
			.id = num(s, 0), .version = num(s, 1), .case_id = num(s, 2), .kind = txt(s, 3),
			.kind_label = txt(s, 4), .note = txt(s, 5), .set_at = num(s, 6), .review_date = txt(s, 7),
			.police_flag = num(s, 8) != 0, .team = txt(s, 13),
		};
		person_cols(s, 9, &f.person);
		if (fn(ctx, &f) != 0)
			break;
	}
	return walk_end(s, rc);
}

static const char SQL_CODE_LABEL[] = "SELECT label FROM config_codes WHERE list = ?1 AND code = ?2";

int store_dash_code_label(struct store *st, const char *list, const char *code, char *out, size_t cap)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CODE_LABEL);
	if (!s)
		return -1;
	store_text(s, 1, list);
	store_text(s, 2, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col(s, 0, out, cap);
	else
		snprintf(out, cap, "%s", code);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_story_cases(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct story_case *c),
		      void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_CASES, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_case c = {
			.id = num(s, 0), .version = num(s, 1), .person_id = num(s, 2), .referral_id = num(s, 3),
			.status = txt(s, 4), .team = txt(s, 5), .worker = { txt(s, 6), txt(s, 7) },
			.strands = txt(s, 8), .risk_level = txt(s, 9), .opening_risk = txt(s, 10),
			.opened_at = num(s, 11), .closed_at = num(s, 12), .closure_reason = txt(s, 13),
			.closure_reason_label = txt(s, 14), .closure_risk = txt(s, 15),
			.transition_plan_at = num(s, 16), .transition_plan = txt(s, 17), .created_at = num(s, 18),
			.updated_at = num(s, 19), .created_by = txt(s, 20), .updated_by = txt(s, 21),
		};
		if (fn(ctx, &c) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_allocations(struct store *st, int64_t person_id,
			    int (*fn)(void *ctx, const struct story_allocation *a), void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_ALLOCATIONS, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_allocation a = {
			.id = num(s, 0), .case_id = num(s, 1), .team = txt(s, 2), .worker = { txt(s, 3), txt(s, 4) },
			.from_at = num(s, 5), .reason = txt(s, 6), .by = txt(s, 7), .first = num(s, 8) != 0,
		};
		if (fn(ctx, &a) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_clocks(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct dash_task *t),
		       void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_CLOCKS, case_id);
	return s ? task_walk(s, fn, ctx) : -1;
}

int store_story_referrals(struct store *st, int64_t person_id,
			  int (*fn)(void *ctx, const struct story_referral *r), void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_REFERRALS, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_referral r = {
			.id = num(s, 0), .version = num(s, 1), .subject_type = txt(s, 2), .subject_ref = txt(s, 3),
			.received_at = num(s, 4), .source_code = txt(s, 5), .source_label = txt(s, 6),
			.source_agency = txt(s, 7), .referrer_name = txt(s, 8), .referrer_contact = txt(s, 9),
			.strands = txt(s, 10), .concerns = txt(s, 11), .consent_basis = txt(s, 12), .status = txt(s, 13),
			.outcome = txt(s, 14), .outcome_label = txt(s, 15), .rationale = txt(s, 16),
			.decided_at = num(s, 17), .decided_by = txt(s, 18), .case_id = num(s, 19), .team = txt(s, 20),
			.decision_due_at = num(s, 21), .clock_status = txt(s, 22), .created_at = num(s, 23),
			.updated_at = num(s, 24), .created_by = txt(s, 25), .updated_by = txt(s, 26),
		};
		if (fn(ctx, &r) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_assessments(struct store *st, int64_t person_id,
			    int (*fn)(void *ctx, const struct story_assessment *a), void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_ASSESSMENTS, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_assessment a = {
			.id = num(s, 0), .case_id = num(s, 1), .tool_id = num(s, 2), .tool_version = num(s, 3),
			.tool_code = txt(s, 4), .tool_name = txt(s, 5), .score = num(s, 6),
			.computed_level = txt(s, 7), .final_level = txt(s, 8), .override_level = txt(s, 9),
			.override_rationale = txt(s, 10), .assessed_at = num(s, 11), .assessor = txt(s, 12),
		};
		if (fn(ctx, &a) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_contacts(struct store *st, int64_t person_id,
			 int (*fn)(void *ctx, const struct story_contact *c), void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_CONTACTS, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_contact c = {
			.id = num(s, 0), .case_id = num(s, 1), .contact_at = num(s, 2), .kind = txt(s, 3),
			.kind_label = txt(s, 4), .seen = num(s, 5) != 0, .seen_alone = num(s, 6) != 0,
			.location = txt(s, 7), .summary = txt(s, 8), .by = txt(s, 9),
		};
		if (fn(ctx, &c) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_notes(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct story_note *n),
		      void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_NOTES, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_note n = {
			.id = num(s, 0), .case_id = num(s, 1), .at = num(s, 2), .excerpt = txt(s, 3), .by = txt(s, 4),
		};
		if (fn(ctx, &n) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_supervisions(struct store *st, int64_t person_id,
			     int (*fn)(void *ctx, const struct story_supervision *v), void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_SUPERVISIONS, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_supervision v = {
			.id = num(s, 0), .case_id = num(s, 1), .held_at = num(s, 2), .next_due = txt(s, 3), .by = txt(s, 4),
		};
		if (fn(ctx, &v) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_flags(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct story_flag *f),
		      void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_FLAGS, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_flag f = {
			.id = num(s, 0), .version = num(s, 1), .case_id = num(s, 2), .kind = txt(s, 3),
			.kind_label = txt(s, 4), .note = txt(s, 5), .set_at = num(s, 6), .review_date = txt(s, 7),
			.police_flag = num(s, 8) != 0, .removed_at = num(s, 9), .by = txt(s, 10),
		};
		if (fn(ctx, &f) != 0)
			break;
	}
	return walk_end(s, rc);
}

int store_story_feedback(struct store *st, int64_t person_id,
			 int (*fn)(void *ctx, const struct story_feedback *f), void *ctx)
{
	sqlite3_stmt *s = by_id(st, SQL_STORY_FEEDBACK, person_id);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct story_feedback f = {
			.id = num(s, 0), .case_id = num(s, 1), .stage = txt(s, 2), .score = num(s, 3), .words = txt(s, 4),
			.at = num(s, 5), .by = txt(s, 6),
		};
		if (fn(ctx, &f) != 0)
			break;
	}
	return walk_end(s, rc);
}
