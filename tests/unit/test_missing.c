/*
 * Unit tests for missing.c and settings.c: the pure rules (the out-of-area / rhi_by rule, the
 * rhi_status, the repeat-missing window at its boundary, out-of-order repeat counting, the
 * grades summary, the episode checks, the settings' ranges, the daily list's links for missing
 * clocks), and on a real store the operations the import and the demo call without HTTP:
 * missing_create (return rules, notification, repeat flag), missing_find_by_ref and
 * missing_update_import (re-importing changes nothing; a new end runs the return rules; a new
 * grade adds a grading), and settings_put's threshold rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <string.h>

#include "dashboard.h"
#include "missing.h"
#include "settings.h"
#include "testchild.h"

#define DAY 86400
#define T0 1735732800 /* 2025-01-01T12:00:00Z */

/* ---- pure rules ---- */

static void out_of_area_rule(void **state)
{
	(void)state;
	char where[20], who[8];
	missing_out_of_area("Northby", "host", "Westshire", "Northby", where, who);
	assert_string_equal(where, "placed_here");
	assert_string_equal(who, "us");
	missing_out_of_area("Northby", "placing", "Westshire", "Northby", where, who);
	assert_string_equal(where, "placed_here");
	assert_string_equal(who, "other");
	missing_out_of_area("Northby", "host", "Northby", "Eastmoor", where, who);
	assert_string_equal(where, "placed_elsewhere");
	assert_string_equal(who, "other");
	missing_out_of_area("Northby", "placing", "Northby", "Eastmoor", where, who);
	assert_string_equal(where, "placed_elsewhere");
	assert_string_equal(who, "us");
	/* Neither is us, the same authority, or one not given: not out of area, ours. */
	missing_out_of_area("Northby", "placing", "Westshire", "Eastmoor", where, who);
	assert_string_equal(where, "");
	assert_string_equal(who, "us");
	missing_out_of_area("Northby", "placing", "Northby", "Northby", where, who);
	assert_string_equal(where, "");
	missing_out_of_area("Northby", "host", "", "Northby", where, who);
	assert_string_equal(where, "");
	assert_string_equal(who, "us");
}

static void rhi_status_rule(void **state)
{
	(void)state;
	struct missing_episode *e = calloc(1, sizeof *e);
	struct missing_rhi *r = calloc(1, sizeof *r);
	assert_non_null(e);
	assert_non_null(r);
	snprintf(e->rhi_by, sizeof e->rhi_by, "us");
	e->started_at = T0;
	assert_null(missing_rhi_status(e, NULL, T0 + DAY)); /* still missing */
	e->ended_at = T0 + DAY;
	e->rhi_due_at = e->ended_at + MISSING_RHI_SECONDS;
	assert_string_equal(missing_rhi_status(e, NULL, e->rhi_due_at), "due"); /* at the due second: not yet */
	assert_string_equal(missing_rhi_status(e, NULL, e->rhi_due_at + 1), "breached");
	r->version = 1;
	r->offered_at = e->ended_at + 3600;
	assert_string_equal(missing_rhi_status(e, r, e->ended_at + 7200), "offered");
	assert_string_equal(missing_rhi_status(e, r, e->rhi_due_at + 1), "breached");
	snprintf(r->response, sizeof r->response, "declined");
	assert_string_equal(missing_rhi_status(e, r, e->rhi_due_at + 1), "declined");
	r->completed_at = e->rhi_due_at + 60;
	assert_string_equal(missing_rhi_status(e, r, e->rhi_due_at + 1), "completed");
	/* Another authority's RHI: nothing to show until something is recorded. */
	snprintf(e->rhi_by, sizeof e->rhi_by, "other");
	assert_null(missing_rhi_status(e, NULL, e->rhi_due_at + 1));
	assert_string_equal(missing_rhi_status(e, r, e->rhi_due_at + 1), "completed");
	free(e);
	free(r);
}

static void repeat_window_boundary(void **state)
{
	(void)state;
	/* Days 1, 30 and 90 (89 days apart) count; day 91 (90 days apart) does not. */
	int64_t day90 = T0 + 89 * (int64_t)DAY, day91 = T0 + 90 * (int64_t)DAY;
	assert_true(missing_repeat_window(day90, 90) <= T0);
	assert_true(missing_repeat_window(day91, 90) > T0);
	assert_int_equal(missing_repeat_window(day91, 90), T0 + 1);
	int64_t a[] = { T0, T0 + 29 * (int64_t)DAY, day90 };
	assert_true(missing_repeat_crossed(a, 3, day90, 90, 3));
	int64_t b[] = { T0, T0 + 29 * (int64_t)DAY, day91 };
	assert_false(missing_repeat_crossed(b, 3, day91, 90, 3));
	int64_t c[] = { T0, T0 + 29 * (int64_t)DAY, day91 - 1 };
	assert_true(missing_repeat_crossed(c, 3, day91 - 1, 90, 3));
	/* Two are never three; a count of 2 is crossed by them. */
	assert_false(missing_repeat_crossed(a, 2, a[1], 90, 3));
	assert_true(missing_repeat_crossed(a, 2, a[1], 90, 2));
	/* An older episode recorded after the later ones counts with them. */
	int64_t d[] = { T0, T0 + 31 * (int64_t)DAY, T0 + 59 * (int64_t)DAY };
	assert_true(missing_repeat_crossed(d, 3, T0 + 31 * (int64_t)DAY, 90, 3));
	/* ... but not with episodes outside every window that holds it. */
	int64_t e[] = { T0, T0 + 100 * (int64_t)DAY, T0 + 150 * (int64_t)DAY };
	assert_false(missing_repeat_crossed(e, 3, T0 + 100 * (int64_t)DAY, 90, 3));
}

static void grades_summary(void **state)
{
	(void)state;
	struct missing_grading *g = calloc(4, sizeof *g);
	assert_non_null(g);
	char latest[8], highest[8];
	missing_grades_summary(g, 0, latest, highest);
	assert_string_equal(latest, "");
	assert_string_equal(highest, "");
	snprintf(g[0].grade, 8, "low");
	g[0].graded_at = 100;
	g[0].id = 1;
	snprintf(g[1].grade, 8, "high");
	g[1].graded_at = 200;
	g[1].id = 2;
	missing_grades_summary(g, 2, latest, highest);
	assert_string_equal(latest, "high");
	assert_string_equal(highest, "high");
	snprintf(g[2].grade, 8, "low");
	g[2].graded_at = 300;
	g[2].id = 3;
	missing_grades_summary(g, 3, latest, highest);
	assert_string_equal(latest, "low");
	assert_string_equal(highest, "high");
	/* A grading backdated before the others is not the latest; a tie goes to the later id. */
	snprintf(g[3].grade, 8, "medium");
	g[3].graded_at = 300;
	g[3].id = 4;
	missing_grades_summary(g, 4, latest, highest);
	assert_string_equal(latest, "medium");
	g[3].graded_at = 50;
	missing_grades_summary(g, 4, latest, highest);
	assert_string_equal(latest, "low");
	assert_int_equal(missing_grade_rank("none"), 0);
	assert_int_equal(missing_grade_rank(""), 0);
	assert_int_equal(missing_grade_rank("high"), 3);
	assert_true(missing_grade_valid("none"));
	assert_false(missing_grade_valid(""));
	assert_false(missing_grade_valid("severe"));
	free(g);
}

/* Whether errs names field. */
static bool names(const struct missing_errors *errs, const char *field)
{
	for (int i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].field, field) == 0)
			return true;
	return false;
}

static void episode_check(void **state)
{
	(void)state;
	struct missing_episode *e = calloc(1, sizeof *e);
	assert_non_null(e);
	struct missing_errors errs = { .n = 0 };
	int64_t now = T0 + 365 * (int64_t)DAY;
	e->person_id = 1;
	e->started_at = T0;
	e->reported_at = T0 + 3600;
	snprintf(e->missing_from, sizeof e->missing_from, "care");
	snprintf(e->category, sizeof e->category, "A");
	assert_true(missing_check(e, now, &errs));
	e->ended_at = T0 - 1;
	e->reported_at = T0 - 1;
	snprintf(e->missing_from, sizeof e->missing_from, "bus");
	snprintf(e->category, sizeof e->category, "X");
	snprintf(e->placement_type, sizeof e->placement_type, "hotel");
	snprintf(e->grade, sizeof e->grade, "severe");
	e->graded_at = now + 3600;
	assert_false(missing_check(e, now, &errs));
	const char *want[] = { "ended_at", "reported_at", "missing_from", "category", "placement.type", "grade",
			       "graded_at" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_true(names(&errs, want[i]));
	assert_int_equal(errs.n, 7);
	/* In the future: started, reported and ended. Five minutes of clock skew are allowed. */
	memset(&errs, 0, sizeof errs);
	e->started_at = now + 301;
	e->reported_at = now + 301;
	e->ended_at = now + 301;
	snprintf(e->missing_from, sizeof e->missing_from, "home");
	snprintf(e->category, sizeof e->category, "M");
	e->placement_type[0] = e->grade[0] = 0;
	e->graded_at = 0;
	assert_false(missing_check(e, now, &errs));
	assert_int_equal(errs.n, 3);
	memset(&errs, 0, sizeof errs);
	e->started_at = e->reported_at = e->ended_at = now + 300;
	assert_true(missing_check(e, now, &errs));
	free(e);
}

static void settings_ranges(void **state)
{
	(void)state;
	struct settings_item it = { .type = SETTINGS_INT };
	snprintf(it.key, sizeof it.key, "mfh.repeat_count");
	it.i = 2;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_OK);
	it.i = 51;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_INVALID);
	snprintf(it.key, sizeof it.key, "mfh.repeat_days");
	it.i = 730;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_OK);
	it.i = 0;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_INVALID);
	it.type = SETTINGS_NUMBER;
	it.d = 30;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_INVALID); /* a whole number is wanted */
	snprintf(it.key, sizeof it.key, "match.link_threshold");
	it.d = 1.0;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_OK);
	it.d = -0.1;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_INVALID);
	it.type = SETTINGS_INT;
	it.i = 1;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_OK); /* 1 is a number from 0 to 1 */
	it.type = SETTINGS_TEXT;
	snprintf(it.key, sizeof it.key, "mfh.rhi_rule");
	snprintf(it.text, sizeof it.text, "placing");
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_OK);
	char msg[64];
	snprintf(it.text, sizeof it.text, "either");
	assert_int_equal(settings_check(&it, msg, sizeof msg), SETTINGS_INVALID);
	assert_string_equal(msg, "must be host or placing");
	snprintf(it.key, sizeof it.key, "mfh.home_authority");
	it.text[0] = 0;
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_INVALID);
	snprintf(it.key, sizeof it.key, "mfh.colour");
	assert_int_equal(settings_check(&it, NULL, 0), SETTINGS_UNKNOWN);
}

static void daily_links(void **state)
{
	(void)state;
	char link[48];
	dashboard_link(link, sizeof link, "missing_episode", 9, 0, 42);
	assert_string_equal(link, "/missing/9");
	dashboard_link(link, sizeof link, "person", 42, 0, 42);
	assert_string_equal(link, "/persons/42");
}

/* ---- on a store ---- */

/* A valid episode of the fixture's child starting at `start`, ended `ended` (0: missing). */
static struct missing_episode *episode_of(struct fixture *f, int64_t start, int64_t ended, const char *ref)
{
	struct missing_episode *e = calloc(1, sizeof *e);
	assert_non_null(e);
	e->person_id = f->child->id;
	e->started_at = start;
	e->reported_at = start + 3600;
	e->ended_at = ended;
	snprintf(e->missing_from, sizeof e->missing_from, "care");
	snprintf(e->category, sizeof e->category, "M");
	snprintf(e->police_force, sizeof e->police_force, "Northby Police");
	snprintf(e->police_ref, sizeof e->police_ref, "%s", ref);
	snprintf(e->team, sizeof e->team, "Missing from Home");
	return e;
}

static void create_runs_the_rules(void **state)
{
	struct fixture *f = *state;
	struct missing_episode *e = episode_of(f, T0, T0 + 5 * 3600, "R/1");
	snprintf(e->placing_authority, sizeof e->placing_authority, "Westshire");
	snprintf(e->host_authority, sizeof e->host_authority, "Northby");
	snprintf(e->grade, sizeof e->grade, "high");
	int64_t id = 0;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_create(f->st, &f->manager, e, &id), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	assert_true(id > 0);
	assert_true(e->looked_after);
	assert_string_equal(e->out_of_area, "placed_here");
	assert_string_equal(e->rhi_by, "us");
	assert_int_equal(e->rhi_due_at, T0 + 5 * 3600 + 72 * 3600);
	struct missing_notification n[4];
	int nn = 0;
	assert_int_equal(missing_notifications(f->st, id, false, n, 4, &nn), MISSING_OK);
	assert_int_equal(nn, 1);
	assert_string_equal(n[0].to_authority, "Westshire");
	assert_string_equal(n[0].reason, "placed_here");
	struct missing_grading g[4];
	assert_int_equal(missing_gradings(f->st, id, g, 4, &nn), MISSING_OK);
	assert_int_equal(nn, 1);
	assert_int_equal(g[0].graded_at, T0 + 3600); /* the report time */
	int64_t found = 0;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "R/1", &found), MISSING_OK);
	assert_int_equal(found, id);
	assert_int_equal(missing_find_by_ref(f->st, "Westshire Police", "R/1", &found), MISSING_NOT_FOUND);
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "", &found), MISSING_NOT_FOUND);
	/* The same reference again is a duplicate; an unknown person is refused. */
	struct missing_episode *dup = episode_of(f, T0 + DAY, 0, "R/1");
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_create(f->st, &f->manager, dup, NULL), MISSING_DUPLICATE);
	store_rollback(f->st);
	dup->person_id = 999999;
	snprintf(dup->police_ref, sizeof dup->police_ref, "R/2");
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_create(f->st, &f->manager, dup, NULL), MISSING_NO_PERSON);
	store_rollback(f->st);
	free(dup);
	free(e);
}

/* Column 0 of the first row of sql (testdb_query_text). */
static void query_text(struct fixture *f, const char *sql, char *out, size_t cap)
{
	testdb_query_text(f->path, sql, out, cap);
}

/*
 * Everything an episode writes, its own id and police_ref aside: each column (quote() tells NULL
 * from ''), its gradings, its clocks and its notifications, as one text.
 */
#define WRITTEN_SQL(ref)                                                                                           \
	"SELECT (SELECT group_concat(quote(v), '|') FROM (SELECT value AS v FROM json_each(json_array("             \
	"e.person_id, e.started_at, e.reported_at, e.ended_at, e.missing_from, e.category, e.police_force,"          \
	" e.police_ref IS NULL, e.looked_after, e.placement_type, e.placement_provider, e.placing_authority,"        \
	" e.host_authority, e.out_of_area, e.rhi_by, e.team, e.locality, e.found_where, e.found_with, e.notes,"      \
	" e.grade_latest, e.grade_highest, e.grade_rank, e.rhi_due_at, e.reopened_count, e.import_id, e.created_at,"  \
	" e.created_by, e.updated_at, e.updated_by, e.version, e.rhi_state, e.rhi_offered_at, e.rhi_completed_at))))" \
	" || ' / ' || coalesce((SELECT group_concat(quote(g.grade) || quote(g.graded_at) || quote(g.graded_by)"        \
	" || quote(g.note) || quote(g.created_at) || quote(g.created_by), ',') FROM missing_gradings g"               \
	" WHERE g.episode_id = e.id), '-')"                                                                           \
	" || ' / ' || coalesce((SELECT group_concat(quote(k.standard) || quote(k.subject_type) || quote(k.case_id)"   \
	" || quote(k.person_id) || quote(k.team) || quote(k.worker_id) || quote(k.started_at) || quote(k.due_at)"     \
	" || quote(k.stopped_at) || quote(k.status), ',') FROM clocks k WHERE k.subject_type = 'missing_episode'"    \
	" AND k.subject_id = e.id), '-')"                                                                             \
	" || ' / ' || coalesce((SELECT group_concat(quote(n.to_authority) || quote(n.reason) || quote(n.rhi_by)"      \
	" || quote(n.created_at) || quote(n.acknowledged_at) || quote(n.version), ',') FROM missing_notifications n"  \
	" WHERE n.episode_id = e.id), '-')"                                                                           \
	" FROM missing_episodes e WHERE " ref

/*
 * A batch (an import) holds its episodes and writes them together (store_missing_pending): what
 * it writes is what missing_create writes for one episode on its own, for a returned, graded,
 * out-of-area episode found with someone (episode, grading, rhi clock, notification) and for one
 * still missing without a grade or a police reference. Held episodes get ascending ids from the
 * highest there was, and nothing is written before the flush.
 */
static void batch_writes_as_create(void **state)
{
	struct fixture *f = *state;
	store_set_now(T0 + 10 * (int64_t)DAY);
	struct missing_episode *one[2], *held[2];
	for (int k = 0; k < 2; k++) {
		for (int b = 0; b < 2; b++) {
			char ref[16] = "";
			if (k == 0)
				snprintf(ref, sizeof ref, "%s/1", b ? "B" : "D");
			struct missing_episode *e =
				episode_of(f, T0 + k * (int64_t)DAY + b * 60, k == 0 ? T0 + 5 * 3600 + b * 60 : 0, ref);
			if (k == 0) {
				snprintf(e->placing_authority, sizeof e->placing_authority, "Westshire");
				snprintf(e->host_authority, sizeof e->host_authority, "Northby");
				snprintf(e->placement_type, sizeof e->placement_type, "residential");
				snprintf(e->grade, sizeof e->grade, "medium");
				snprintf(e->graded_by, sizeof e->graded_by, "PC 123");
				e->graded_at = T0 + 7200;
				snprintf(e->found_where, sizeof e->found_where, "a park");
				e->found_with[0] = f->child->id;
				e->n_found_with = 1;
				snprintf(e->notes, sizeof e->notes, "fictional: it's \"quoted\"");
				e->import_id = 0;
			} else {
				snprintf(e->missing_from, sizeof e->missing_from, "home");
				snprintf(e->locality, sizeof e->locality, "North");
			}
			e->audit_skip = true;
			(b ? held : one)[k] = e;
		}
	}
	/* Two single creates. */
	int64_t single[2];
	assert_int_equal(store_begin(f->st, true), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(missing_create(f->st, &f->manager, one[k], &single[k]), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);

	/* The same two, a minute later and the first under another police reference, in a batch. */
	struct missing_batch *batch = NULL;
	char count[32];
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_batch_new(f->st, &batch), MISSING_OK);
	for (int k = 0; k < 2; k++) {
		held[k]->batch = batch;
		assert_int_equal(missing_create(f->st, &f->manager, held[k], NULL), MISSING_OK);
		assert_int_equal(held[k]->id, single[1] + 1 + k);
	}
	int64_t found = 0;
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "B/1", &found), MISSING_NOT_FOUND);
	assert_int_equal(missing_batch_finish(f->st, &f->manager, batch), MISSING_OK);
	assert_int_equal(missing_find_by_ref(f->st, "Northby Police", "B/1", &found), MISSING_OK);
	assert_int_equal(found, held[0]->id);
	assert_int_equal(store_commit(f->st), 0);
	missing_batch_free(batch);
	query_text(f, "SELECT count(*) FROM missing_episodes", count, sizeof count);
	assert_string_equal(count, "4");

	/* Equal, once the minute between them is taken out. */
	for (int k = 0; k < 2; k++) {
		char sql[4096], a[4096], b[4096];
		snprintf(sql, sizeof sql, WRITTEN_SQL("e.id = %lld"), (long long)single[k]);
		query_text(f, sql, a, sizeof a);
		snprintf(sql, sizeof sql, WRITTEN_SQL("e.id = %lld"), (long long)held[k]->id);
		query_text(f, sql, b, sizeof b);
		assert_true(strlen(a) > 40);
		/* The batch's start, report, end and rhi due time (with the clock's start and due) are
		 * a minute later: put them back. */
		int64_t times[] = { held[k]->started_at, held[k]->reported_at, held[k]->ended_at, held[k]->rhi_due_at };
		for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
			if (!times[i])
				continue;
			char from[24], to[24];
			snprintf(from, sizeof from, "%lld", (long long)times[i]);
			snprintf(to, sizeof to, "%lld", (long long)(times[i] - 60));
			for (char *at = strstr(b, from); at; at = strstr(at + strlen(to), from))
				memcpy(at, to, strlen(to));
		}
		assert_string_equal(a, b);
	}
	for (int k = 0; k < 2; k++) {
		free(one[k]);
		free(held[k]);
	}
}

static void repeat_flag_on_create(void **state)
{
	struct fixture *f = *state;
	int64_t starts[] = { T0, T0 + 29 * (int64_t)DAY, T0 + 89 * (int64_t)DAY };
	for (int i = 0; i < 3; i++) {
		char ref[16];
		snprintf(ref, sizeof ref, "P/%d", i);
		struct missing_episode *e = episode_of(f, starts[i], starts[i] + 3600, ref);
		e->audit_skip = true;
		assert_int_equal(store_begin(f->st, true), 0);
		assert_int_equal(missing_create(f->st, &f->manager, e, NULL), MISSING_OK);
		assert_int_equal(store_commit(f->st), 0);
		struct missing_person_summary s;
		assert_int_equal(missing_person_summary(f->st, f->child->id, T0 + 100 * (int64_t)DAY, &s), MISSING_OK);
		assert_int_equal(s.repeat_flagged, i == 2);
		free(e);
	}
}

static void import_update(void **state)
{
	struct fixture *f = *state;
	struct missing_episode *e = episode_of(f, T0, 0, "I/1");
	snprintf(e->grade, sizeof e->grade, "low");
	int64_t id = 0;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_create(f->st, &f->manager, e, &id), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);

	/* The same row again: nothing changes. */
	struct missing_episode *row = episode_of(f, T0, 0, "I/1");
	snprintf(row->grade, sizeof row->grade, "low");
	bool changed = true;
	struct missing_errors errs = { .n = 0 };
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_update_import(f->st, &f->manager, id, row, &changed, &errs), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	assert_false(changed);
	struct missing_episode *got = calloc(1, sizeof *got);
	assert_non_null(got);
	assert_int_equal(missing_get(f->st, id, got), MISSING_OK);
	assert_int_equal(got->version, 1);

	/* A new end and a new grade: the return rules run and a grading is added. */
	row->ended_at = T0 + DAY;
	snprintf(row->grade, sizeof row->grade, "high");
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_update_import(f->st, &f->manager, id, row, &changed, &errs), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	assert_true(changed);
	assert_int_equal(missing_get(f->st, id, got), MISSING_OK);
	assert_int_equal(got->version, 2);
	assert_int_equal(got->ended_at, T0 + DAY);
	assert_int_equal(got->rhi_due_at, T0 + DAY + 72 * 3600);
	assert_string_equal(got->grade_latest, "high");
	assert_string_equal(got->grade_highest, "high");

	/* Again the same: unchanged, and an undated grade equal to the latest adds nothing. */
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_update_import(f->st, &f->manager, id, row, &changed, &errs), MISSING_OK);
	assert_int_equal(store_commit(f->st), 0);
	assert_false(changed);
	struct missing_grading g[8];
	int n = 0;
	assert_int_equal(missing_gradings(f->st, id, g, 8, &n), MISSING_OK);
	assert_int_equal(n, 2);

	/* An end before the start is refused, naming ended_at. */
	row->ended_at = T0 - 1;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(missing_update_import(f->st, &f->manager, id, row, &changed, &errs), MISSING_INVALID);
	store_rollback(f->st);
	assert_true(names(&errs, "ended_at"));
	free(got);
	free(row);
	free(e);
}

static void settings_threshold_rule(void **state)
{
	struct fixture *f = *state;
	struct settings_item it = { .type = SETTINGS_NUMBER, .d = 0.97 };
	snprintf(it.key, sizeof it.key, "match.review_threshold");
	int bad = -2;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(settings_put(f->st, &f->manager, &it, 1, &bad), SETTINGS_INVALID);
	assert_int_equal(bad, 0);
	store_rollback(f->st);
	struct settings_item two[2] = { { .type = SETTINGS_NUMBER, .d = 0.99 }, { .type = SETTINGS_NUMBER, .d = 0.97 } };
	snprintf(two[0].key, sizeof two[0].key, "match.link_threshold");
	snprintf(two[1].key, sizeof two[1].key, "match.review_threshold");
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(settings_put(f->st, &f->manager, two, 2, &bad), SETTINGS_OK);
	assert_int_equal(store_commit(f->st), 0);
	double link = 0, review = 0;
	assert_int_equal(settings_match_thresholds(f->st, &link, &review), 0);
	assert_true(link == 0.99 && review == 0.97);
	struct settings_mfh m;
	assert_int_equal(settings_mfh(f->st, &m), 0);
	assert_string_equal(m.home_authority, "Northby");
	assert_string_equal(m.rhi_rule, "host");
	assert_int_equal(m.repeat_count, 3);
	assert_int_equal(m.repeat_days, 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(out_of_area_rule),
		cmocka_unit_test(rhi_status_rule),
		cmocka_unit_test(repeat_window_boundary),
		cmocka_unit_test(grades_summary),
		cmocka_unit_test(episode_check),
		cmocka_unit_test(settings_ranges),
		cmocka_unit_test(daily_links),
		cmocka_unit_test_setup_teardown(create_runs_the_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(repeat_flag_on_create, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_writes_as_create, setup, teardown),
		cmocka_unit_test_setup_teardown(import_update, setup, teardown),
		cmocka_unit_test_setup_teardown(settings_threshold_rule, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
