/*
 * Unit tests for casework.c on a fresh database: opening a case starts its clocks with the
 * right due times (working days, bank holidays, BST, 17 years 6 months), the risk level drives
 * high_risk_visit, contacts and supervisions move their clocks (not when dated before the
 * running clock), flags run flag_review, versions refuse stale changes, closure cancels clocks
 * and ends changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "calendar.h"
#include "casework.h"
#include "clock.h"
#include "store_case.h"
#include "testdb.h"
#include "valid.h"

/* One test's world: a database, a manager, a practitioner in Phoenix, a person. */
struct world {
	char path[64];
	struct store *st;
	struct user manager, practitioner, other;
	int64_t person_id;
};

static int64_t utc(const char *rfc3339)
{
	int64_t t = 0;
	assert_true(valid_parse_time(rfc3339, &t));
	return t;
}

static int64_t add_person(struct world *w, const char *dob)
{
	struct person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "Test");
	snprintf(p->family_name, sizeof p->family_name, "Person");
	snprintf(p->sex, sizeof p->sex, "female");
	snprintf(p->dob, sizeof p->dob, "%s", dob);
	int bad = -1;
	assert_int_equal(store_person_insert(w->st, p, w->manager.id, &bad), 0);
	int64_t id = p->id;
	free(p);
	return id;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->st = testdb_open(w->path);
	assert_non_null(w->st);
	assert_int_equal(testdb_user(w->st, "boss", "manager", &w->manager), 0);
	assert_int_equal(testdb_user(w->st, "pat", "practitioner", &w->practitioner), 0);
	assert_int_equal(testdb_user(w->st, "sam", "practitioner", &w->other), 0);
	snprintf(w->manager.team, sizeof w->manager.team, "Phoenix");
	snprintf(w->practitioner.team, sizeof w->practitioner.team, "Phoenix");
	snprintf(w->other.team, sizeof w->other.team, "Missing from Home");
	w->person_id = add_person(w, "2010-05-17");
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	store_set_now(0);
	testdb_close(w->st, w->path);
	free(w);
	return 0;
}

/* Open a case for person_id at `at` (RFC 3339) in its own transaction. */
static int64_t open_case(struct world *w, int64_t person_id, const char *at)
{
	struct casework_open o;
	memset(&o, 0, sizeof o);
	o.person_id = person_id;
	snprintf(o.team, sizeof o.team, "Phoenix");
	o.worker_id = w->practitioner.id;
	snprintf(o.strands[o.n_strands++], sizeof o.strands[0], "cse");
	o.opened_at = utc(at);
	int64_t id = 0;
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_open_case(w->st, &w->manager, &o, &id), 0);
	assert_int_equal(store_commit(w->st), 0);
	assert_true(id > 0);
	return id;
}

/* The running clocks of a case, by standard. */
struct tasks {
	int n;
	char standard[16][32];
	int64_t started[16], due[16];
	char subject_type[16][16];
};

static int collect(void *ctx, const struct store_case_task *t)
{
	struct tasks *ts = ctx;
	if (ts->n < 16) {
		snprintf(ts->standard[ts->n], 32, "%s", t->clock.standard);
		snprintf(ts->subject_type[ts->n], 16, "%s", t->clock.subject_type);
		ts->started[ts->n] = t->clock.started_at;
		ts->due[ts->n] = t->clock.due_at;
		ts->n++;
	}
	return 0;
}

static struct tasks tasks_of(struct world *w, int64_t case_id)
{
	struct tasks ts;
	memset(&ts, 0, sizeof ts);
	assert_int_equal(store_case_tasks_each(w->st, case_id, collect, &ts), 0);
	return ts;
}

/* The due time of the running `standard` clock of a case, or 0 when none runs. */
static int64_t due_of(struct world *w, int64_t case_id, const char *standard)
{
	struct tasks ts = tasks_of(w, case_id);
	for (int i = 0; i < ts.n; i++)
		if (strcmp(ts.standard[i], standard) == 0)
			return ts.due[i];
	return 0;
}

static int64_t started_of(struct world *w, int64_t case_id, const char *standard)
{
	struct tasks ts = tasks_of(w, case_id);
	for (int i = 0; i < ts.n; i++)
		if (strcmp(ts.standard[i], standard) == 0)
			return ts.started[i];
	return 0;
}

/* How many clocks of `standard` for the case ended with `status` (read with a second connection). */
static int count_status(struct world *w, int64_t case_id, const char *standard, const char *status)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(w->path, &db), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM clocks WHERE case_id = ?1 AND standard = ?2 AND status = ?3",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_text(s, 2, standard, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, status, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static struct casework_case *load(struct world *w, int64_t id)
{
	struct casework_case *c = calloc(1, sizeof *c);
	assert_non_null(c);
	assert_int_equal(store_case_get(w->st, id, c), 0);
	return c;
}

static void test_open_starts_clocks_in_working_days(void **state)
{
	struct world *w = *state;
	/* Tuesday 10 November 2026, 10:00 GMT: no bank holiday near. */
	int64_t id = open_case(w, w->person_id, "2026-11-10T10:00:00Z");
	struct casework_case *c = load(w, id);
	assert_string_equal(c->status, "open");
	assert_string_equal(c->team, "Phoenix");
	assert_int_equal(c->worker_id, w->practitioner.id);
	assert_int_equal(c->version, 1);
	assert_int_equal(c->n_strands, 1);
	assert_string_equal(c->strands[0], "cse");
	assert_string_equal(c->worker_username, "pat");
	assert_string_equal(c->dob, "2010-05-17");
	free(c);
	/* 5 working days: Wed 11 .. Tue 17; 10: .. Tue 24; 28 days: Tue 8 December; 17y6m: 17 November 2027. */
	assert_int_equal(due_of(w, id, "first_assessment"), utc("2026-11-17T23:59:59Z"));
	assert_int_equal(due_of(w, id, "first_ptac"), utc("2026-11-24T23:59:59Z"));
	assert_int_equal(due_of(w, id, "supervision"), utc("2026-12-08T23:59:59Z"));
	assert_int_equal(due_of(w, id, "transition_plan"), utc("2027-11-17T23:59:59Z"));
	assert_int_equal(started_of(w, id, "first_assessment"), utc("2026-11-10T10:00:00Z"));
	assert_int_equal(tasks_of(w, id).n, 4);
	int64_t open_id = 0;
	assert_int_equal(casework_open_case_of(w->st, w->person_id, &open_id), 0);
	assert_int_equal(open_id, id);
}

static void test_open_over_christmas_and_in_summer_time(void **state)
{
	struct world *w = *state;
	/* Tuesday 22 December 2026: Friday 25 and Monday 28 (Boxing Day substitute) are holidays. */
	int64_t id = open_case(w, w->person_id, "2026-12-22T10:00:00Z");
	assert_int_equal(due_of(w, id, "first_assessment"), utc("2026-12-31T23:59:59Z"));
	/* Tuesday 9 June 2026, 10:00 BST: due 23:59:59 BST, an hour earlier in UTC. */
	int64_t p2 = add_person(w, "2011-01-31");
	int64_t id2 = open_case(w, p2, "2026-06-09T09:00:00Z");
	assert_int_equal(due_of(w, id2, "first_assessment"), utc("2026-06-16T22:59:59Z"));
	assert_int_equal(due_of(w, id2, "first_ptac"), utc("2026-06-23T22:59:59Z"));
	/* 31 January 2011 + 210 months = 31 July 2028 (BST). */
	assert_int_equal(due_of(w, id2, "transition_plan"), utc("2028-07-31T22:59:59Z"));
}

static void test_transition_plan_only_under_seventeen_and_a_half(void **state)
{
	struct world *w = *state;
	/* 17y6m on the day the case opens: no clock; the day after: a clock; no dob: none. */
	int64_t on_day = add_person(w, "2009-05-10");
	int64_t day_after = add_person(w, "2009-05-11");
	int64_t unknown = add_person(w, "");
	int64_t a = open_case(w, on_day, "2026-11-10T10:00:00Z");
	int64_t b = open_case(w, day_after, "2026-11-10T10:00:00Z");
	int64_t c = open_case(w, unknown, "2026-11-10T10:00:00Z");
	assert_int_equal(due_of(w, a, "transition_plan"), 0);
	assert_int_equal(due_of(w, b, "transition_plan"), utc("2026-11-11T23:59:59Z"));
	assert_int_equal(due_of(w, c, "transition_plan"), 0);
	assert_int_equal(tasks_of(w, c).n, 3);

	/* Recording the plan stops the clock (met: before its due time) and bumps the version. */
	store_set_now(utc("2026-11-11T12:00:00Z"));
	struct casework_case *k = load(w, b);
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_record_transition_plan(w->st, &w->practitioner, k, 7, "plan"), CASEWORK_STALE);
	assert_int_equal(casework_record_transition_plan(w->st, &w->practitioner, k, 1, "Adult services from 18."),
			 CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(k->version, 2);
	free(k);
	k = load(w, b);
	assert_string_equal(k->transition_plan, "Adult services from 18.");
	assert_int_equal(k->transition_plan_at, utc("2026-11-11T12:00:00Z"));
	free(k);
	assert_int_equal(due_of(w, b, "transition_plan"), 0);
	assert_int_equal(count_status(w, b, "transition_plan", "met"), 1);
}

static void test_risk_drives_high_risk_visit(void **state)
{
	struct world *w = *state;
	int64_t id = open_case(w, w->person_id, "2026-11-10T10:00:00Z");
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_set_risk(w->st, id, "high", utc("2026-11-12T15:00:00Z")), 0);
	assert_int_equal(store_commit(w->st), 0);
	struct casework_case *c = load(w, id);
	assert_string_equal(c->risk_level, "high");
	assert_string_equal(c->opening_risk, "high");
	assert_int_equal(c->version, 2);
	free(c);
	/* Seen at least every 7 days: by the end of Thursday 19 November. */
	assert_int_equal(due_of(w, id, "high_risk_visit"), utc("2026-11-19T23:59:59Z"));

	/* A child seen on the 16th: the clock stops (met) and restarts from the visit. */
	store_set_now(utc("2026-11-16T18:00:00Z"));
	c = load(w, id);
	struct casework_contact k = { .contact_at = utc("2026-11-16T16:00:00Z"), .kind = "visit", .seen = true,
				      .location = "", .summary = "" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_add_contact(w->st, &w->practitioner, c, &k), CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_true(k.id > 0);
	assert_int_equal(count_status(w, id, "high_risk_visit", "met"), 1);
	assert_int_equal(started_of(w, id, "high_risk_visit"), utc("2026-11-16T16:00:00Z"));
	assert_int_equal(due_of(w, id, "high_risk_visit"), utc("2026-11-23T23:59:59Z"));

	/* A contact recorded late, dated before the running clock started, leaves it alone; so does one not seen. */
	struct casework_contact late = { .contact_at = utc("2026-11-14T10:00:00Z"), .kind = "visit", .seen = true,
					 .location = "", .summary = "" };
	struct casework_contact phone = { .contact_at = utc("2026-11-16T17:00:00Z"), .kind = "phone", .seen = false,
					  .location = "", .summary = "" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_add_contact(w->st, &w->practitioner, c, &late), CASEWORK_OK);
	assert_int_equal(casework_add_contact(w->st, &w->practitioner, c, &phone), CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(started_of(w, id, "high_risk_visit"), utc("2026-11-16T16:00:00Z"));
	assert_int_equal(count_status(w, id, "high_risk_visit", "met"), 1);
	free(c);

	/* Rated medium: the clock stops; the opening risk stays high. */
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_set_risk(w->st, id, "medium", utc("2026-11-17T09:00:00Z")), 0);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(due_of(w, id, "high_risk_visit"), 0);
	c = load(w, id);
	assert_string_equal(c->risk_level, "medium");
	assert_string_equal(c->opening_risk, "high");
	free(c);

	/* A seen contact on a case that is not high starts nothing. */
	c = load(w, id);
	struct casework_contact seen = { .contact_at = utc("2026-11-16T17:30:00Z"), .kind = "visit", .seen = true,
					 .location = "", .summary = "" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_add_contact(w->st, &w->practitioner, c, &seen), CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(due_of(w, id, "high_risk_visit"), 0);
	free(c);
}

static void test_supervision_and_flags(void **state)
{
	struct world *w = *state;
	int64_t id = open_case(w, w->person_id, "2026-11-10T10:00:00Z");
	store_set_now(utc("2026-11-20T12:00:00Z"));
	struct casework_case *c = load(w, id);
	struct casework_supervision s = { .held_at = utc("2026-11-20T11:00:00Z"), .discussion = "", .decisions = "Visit weekly.",
					  .next_due = "2026-12-04" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_add_supervision(w->st, &w->manager, c, &s), CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(count_status(w, id, "supervision", "met"), 1);
	assert_int_equal(started_of(w, id, "supervision"), utc("2026-11-20T11:00:00Z"));
	assert_int_equal(due_of(w, id, "supervision"), utc("2026-12-04T23:59:59Z"));

	/* A flag without a review date is reviewed 3 months after it is set. */
	char def[11];
	struct casework_flag f = { .kind = "cse_risk", .note = "", .review_date = "" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_add_flag(w->st, &w->practitioner, c, &f, def), CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_string_equal(f.review_date, "2027-02-20");
	assert_int_equal(f.version, 1);
	struct tasks ts = tasks_of(w, id);
	int64_t flag_due = 0;
	for (int i = 0; i < ts.n; i++)
		if (strcmp(ts.subject_type[i], "flag") == 0)
			flag_due = ts.due[i];
	assert_int_equal(flag_due, utc("2027-02-20T23:59:59Z"));

	/* A new review date restarts it; a stale version changes nothing; removal stops it. */
	struct casework_flag_change ch = { .version = 1, .set_review_date = true, .review_date = "2027-01-15" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_update_flag(w->st, &w->practitioner, c, f.id, &ch), CASEWORK_OK);
	assert_int_equal(casework_update_flag(w->st, &w->practitioner, c, f.id, &ch), CASEWORK_STALE);
	assert_int_equal(casework_update_flag(w->st, &w->practitioner, c, f.id + 100, &ch), CASEWORK_NOT_FOUND);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(count_status(w, id, "flag_review", "met"), 1);
	assert_int_equal(due_of(w, id, "flag_review"), utc("2027-01-15T23:59:59Z"));
	struct casework_flag_change rm = { .version = 2, .remove = true };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_update_flag(w->st, &w->practitioner, c, f.id, &rm), CASEWORK_OK);
	rm.version = 3;
	assert_int_equal(casework_update_flag(w->st, &w->practitioner, c, f.id, &rm), CASEWORK_GONE);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(due_of(w, id, "flag_review"), 0);
	assert_int_equal(count_status(w, id, "flag_review", "met"), 2);
	free(c);
}

static void test_team_rule_versions_and_closure(void **state)
{
	struct world *w = *state;
	int64_t id = open_case(w, w->person_id, "2026-11-10T10:00:00Z");
	struct casework_case *c = load(w, id);
	assert_true(casework_may_change(&w->manager, c));
	assert_true(casework_may_change(&w->practitioner, c));
	assert_false(casework_may_change(&w->other, c));

	int64_t worker = 0;
	char why[160];
	assert_int_equal(casework_check_worker(w->st, "Phoenix", "nobody", &worker, why, sizeof why), STORE_NOTFOUND);
	assert_int_equal(casework_check_worker(w->st, "Phoenix", "pat", &worker, why, sizeof why), STORE_NOTFOUND);
	/* testdb_user leaves the stored team empty. */
	assert_int_equal(casework_check_worker(w->st, "", "pat", &worker, why, sizeof why), 0);
	assert_int_equal(worker, w->practitioner.id);

	/* Two edits from version 1: the first wins, the second is stale and changes nothing. */
	char one[1][CASE_CODE_BYTES] = { "cce" }, two[2][CASE_CODE_BYTES] = { "missing", "cse" };
	struct casework_case *other = load(w, id);
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_update_strands(w->st, &w->practitioner, c, 1, one, 1), CASEWORK_OK);
	assert_int_equal(casework_update_strands(w->st, &w->manager, other, 1, two, 2), CASEWORK_STALE);
	assert_int_equal(store_commit(w->st), 0);
	free(other);
	other = load(w, id);
	assert_int_equal(other->version, 2);
	assert_int_equal(other->n_strands, 1);
	assert_string_equal(other->strands[0], "cce");
	/* Even with the version check passed in memory, the store refuses a stale row. */
	other->version = 1;
	assert_int_equal(store_case_update(w->st, other, w->manager.id), STORE_CONFLICT);
	free(other);

	/* Reallocation moves the running clocks. */
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_allocate(w->st, &w->manager, c, 2, "Missing from Home", w->other.id, "Moved"),
			 CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	assert_int_equal(c->version, 3);

	/* Closure: risk at closure, clocks cancelled, nothing more changes. */
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_set_risk(w->st, id, "high", utc("2026-11-12T10:00:00Z")), 0);
	assert_int_equal(store_commit(w->st), 0);
	free(c);
	c = load(w, id);
	assert_int_equal(c->version, 4);
	assert_true(tasks_of(w, id).n >= 4);
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_close(w->st, &w->manager, c, 4, "risk_reduced", utc("2026-11-20T10:00:00Z")),
			 CASEWORK_OK);
	assert_int_equal(store_commit(w->st), 0);
	free(c);
	c = load(w, id);
	assert_string_equal(c->status, "closed");
	assert_string_equal(c->closure_reason, "risk_reduced");
	assert_string_equal(c->closure_risk, "high");
	assert_int_equal(c->closed_at, utc("2026-11-20T10:00:00Z"));
	assert_string_equal(c->team, "Missing from Home");
	assert_int_equal(tasks_of(w, id).n, 0);
	assert_true(count_status(w, id, "first_ptac", "cancelled") == 1);
	struct casework_note n = { .note = "after", .child_voice = "" };
	assert_int_equal(store_begin(w->st, true), 0);
	assert_int_equal(casework_add_note(w->st, &w->manager, c, &n), CASEWORK_CLOSED);
	assert_int_equal(casework_close(w->st, &w->manager, c, c->version, "other", utc("2026-11-21T10:00:00Z")),
			 CASEWORK_CLOSED);
	assert_int_equal(casework_set_risk(w->st, id, "low", utc("2026-11-21T10:00:00Z")), STORE_NOTFOUND);
	store_rollback(w->st);
	int64_t open_id = -1;
	assert_int_equal(casework_open_case_of(w->st, w->person_id, &open_id), 0);
	assert_int_equal(open_id, 0);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_starts_clocks_in_working_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_over_christmas_and_in_summer_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transition_plan_only_under_seventeen_and_a_half, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_drives_high_risk_visit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supervision_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team_rule_versions_and_closure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
