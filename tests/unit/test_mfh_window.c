/*
 * Unit tests for mfh_window.c: the window of recent episodes gives exactly what the SQL scan
 * (store_mfh_scan) gives, for every filter and user, after every kind of write the dashboard can
 * show - and keeps up by reading what changed, not everything again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "calendar.h"
#include "mfh.h"
#include "mfh_window.h"
#include "person.h"
#include "testdb.h"
#include "valid.h"

#define DAY 86400
#define PERSONS 4

struct fixture {
	char path[64];
	struct store *st;
	sqlite3 *db;                /* a second connection: the writes, as another request would make them */
	struct user me, other;
	int64_t person[PERSONS];
	int64_t now;
};

static void sql(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql(sqlite3 *db, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *msg = NULL;
	int rc = sqlite3_exec(db, buf, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", buf, msg);
	sqlite3_free(msg);
	assert_int_equal(rc, SQLITE_OK);
}

/* An episode of person p starting `days` ago, lasting `hours` (0: still missing). */
static void episode(struct fixture *f, int p, double days, int hours, const char *team, const char *locality,
		    int looked_after)
{
	int64_t start = f->now - (int64_t)(days * DAY);
	char end[32] = "NULL";
	if (hours)
		snprintf(end, sizeof end, "%lld", (long long)(start + hours * 3600));
	sql(f->db,
	    "INSERT INTO missing_episodes(person_id, started_at, reported_at, ended_at, missing_from, category, rhi_by,"
	    " team, locality, looked_after, rhi_due_at, created_at, created_by, updated_at, updated_by)"
	    " VALUES (%lld, %lld, %lld, %s, 'home', 'M', '%s', '%s', '%s', %d, %s + 259200, 1, 1, 1, 1)",
	    (long long)f->person[p], (long long)start, (long long)start + 600, end, p == 3 ? "other" : "us", team,
	    locality, looked_after, end);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	mfh_window_reset();
	f->st = testdb_open(f->path);
	assert_non_null(f->st);
	assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
	sqlite3_busy_timeout(f->db, 5000);
	assert_int_equal(testdb_user(f->st, "me", "practitioner", &f->me), 0);
	assert_int_equal(testdb_user(f->st, "other", "practitioner", &f->other), 0);
	f->now = store_now();
	static const char *const dobs[PERSONS] = { "2011-03-04", "2008-12-30", "2012-07-15", "2010-01-01" };
	static const char *const sexes[PERSONS] = { "female", "male", "female", "unknown" };
	assert_int_equal(store_begin(f->st, true), 0);
	for (int i = 0; i < PERSONS; i++) {
		struct person *p = calloc(1, sizeof *p);
		snprintf(p->given_name, sizeof p->given_name, "Window");
		snprintf(p->family_name, sizeof p->family_name, "Child%c", 'A' + i);
		snprintf(p->dob, sizeof p->dob, "%s", dobs[i]);
		snprintf(p->sex, sizeof p->sex, "%s", sexes[i]);
		char err[64];
		assert_int_equal(person_create(f->st, &f->me, p, err, sizeof err), PERSON_OK);
		f->person[i] = p->id;
		free(p);
	}
	assert_int_equal(store_commit(f->st), 0);
	/* Episodes over 30 months: some before the window (24 months), some open, some with an RHI. */
	const char *teams[] = { "Phoenix", "Harbour", "" };
	const char *places[] = { "North", "South" };
	for (int i = 0; i < 40; i++)
		episode(f, i % PERSONS, 3 + i * 23.3, i % 7 ? 5 + i : 0, teams[i % 3], places[i % 2], i % 4 == 0);
	sql(f->db, "INSERT INTO return_interviews(episode_id, offered_at, response, responded_at, completed_at,"
		   " created_at, created_by, updated_at, updated_by)"
		   " SELECT id, ended_at + 3600, CASE id %% 3 WHEN 0 THEN 'declined' ELSE 'accepted' END, ended_at + 7200,"
		   " CASE id %% 3 WHEN 1 THEN ended_at + 80000 END, 1, 1, 1, 1 FROM missing_episodes WHERE id %% 2 = 0"
		   " AND ended_at IS NOT NULL");
	sql(f->db, "INSERT INTO person_flags(person_id, kind, set_at, created_by) VALUES (%lld, 'repeat_missing', %lld, 1)",
	    (long long)f->person[1], (long long)(f->now - 100 * DAY));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sqlite3_close(f->db);
	testdb_close(f->st, f->path);
	mfh_window_reset();
	free(f);
	return 0;
}

/* A scan's rows, comparable field by field. */
struct got {
	int64_t v[64][8];
	int n;
};

static int collect(void *ctx, const struct mfh_episode *e)
{
	struct got *g = ctx;
	assert_true(g->n < 64);
	int64_t *r = g->v[g->n++];
	r[0] = e->id;
	r[1] = e->person_id;
	r[2] = e->started_at;
	r[3] = e->ended_at;
	r[4] = strcmp(e->rhi_by, "us") == 0;
	r[5] = e->has_rhi ? 1 + (strcmp(e->response, "accepted") == 0) + 2 * (strcmp(e->response, "declined") == 0) : 0;
	r[6] = e->offered_at;
	r[7] = e->completed_at;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The filters the dashboard offers, alone and together. */
static void filter(struct mfh_filter *flt, int which)
{
	memset(flt, 0, sizeof *flt);
	flt->looked_after = -1;
	flt->age_min = flt->age_max = -1;
	switch (which) {
	case 1: snprintf(flt->team, sizeof flt->team, "Phoenix"); break;
	case 2: snprintf(flt->locality, sizeof flt->locality, "South"); break;
	case 3: flt->looked_after = 1; break;
	case 4: flt->looked_after = 0; break;
	case 5: snprintf(flt->sex, sizeof flt->sex, "female"); break;
	case 6: snprintf(flt->age_band, sizeof flt->age_band, "14-15"); mfh_age_band("14-15", &flt->age_min, &flt->age_max); break;
	case 7:
		snprintf(flt->team, sizeof flt->team, "Harbour");
		snprintf(flt->age_band, sizeof flt->age_band, "10-13");
		mfh_age_band("10-13", &flt->age_min, &flt->age_max);
		break;
	case 8: snprintf(flt->team, sizeof flt->team, "Nowhere"); break;
	}
}
#define FILTERS 9

/* For every filter and both users, over the dashboard's 24 months and over one month, the window
 * and SQL agree; returns how many rows the unfiltered scan for `me` gave. */
static int agree(struct fixture *f)
{
	int all = -1;
	int64_t windows[][2] = { { f->now - 700 * DAY, f->now + DAY }, { f->now - 60 * DAY, f->now - 30 * DAY } };
	for (int u = 0; u < 2; u++)
		for (int w = 0; w < 2; w++)
			for (int i = 0; i < FILTERS; i++) {
				struct mfh_filter flt;
				filter(&flt, i);
				struct mfh_scope sc = { &flt, u ? f->other.id : f->me.id };
				static struct got a, b;
				a.n = b.n = 0;
				assert_int_equal(mfh_window_scan(f->st, &sc, windows[w][0], windows[w][1], collect, &a), 0);
				assert_int_equal(store_mfh_scan(f->st, &sc, windows[w][0], windows[w][1], collect, &b), 0);
				qsort(a.v, (size_t)a.n, sizeof a.v[0], by_id);
				qsort(b.v, (size_t)b.n, sizeof b.v[0], by_id);
				if (a.n != b.n)
					fprintf(stderr, "user %d window %d filter %d: %d rows, SQL %d\n", u, w, i, a.n, b.n);
				assert_int_equal(a.n, b.n);
				assert_memory_equal(a.v, b.v, (size_t)a.n * sizeof a.v[0]);
				if (!u && !w && !i)
					all = a.n;
			}
	return all;
}

static int collect_flag(void *ctx, int64_t person_id, int64_t set_at)
{
	struct got *g = ctx;
	g->v[g->n][0] = person_id;
	g->v[g->n++][1] = set_at;
	return 0;
}

static void flags_agree(struct fixture *f, int expect)
{
	static struct got a, b;
	a.n = b.n = 0;
	assert_int_equal(mfh_window_repeat_flags(f->st, collect_flag, &a), 0);
	assert_int_equal(store_mfh_repeat_flags(f->st, collect_flag, &b), 0);
	qsort(a.v, (size_t)a.n, sizeof a.v[0], by_id);
	qsort(b.v, (size_t)b.n, sizeof b.v[0], by_id);
	assert_int_equal(a.n, expect);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.v, b.v, (size_t)a.n * sizeof a.v[0]);
}

static void the_window_is_the_sql_scan(void **state)
{
	struct fixture *f = *state;
	int n = agree(f);
	assert_true(n > 20 && n < 40);  /* some episodes are older than the window */
	struct mfh_window_info info;
	mfh_window_info(&info);
	assert_int_equal(info.full_reads, 1);
	assert_true(info.rows >= n);  /* the window reaches a little further back than 700 days */
	flags_agree(f, 1);
}

/* Each kind of write, then the same agreement - read as changes, never the whole window again. */
static void it_keeps_up_with_every_kind_of_write(void **state)
{
	struct fixture *f = *state;
	int n = agree(f);
	struct mfh_window_info before, after;
	mfh_window_info(&before);

	episode(f, 0, 1, 0, "Phoenix", "North", 1);  /* a new episode: missing now */
	assert_int_equal(agree(f), n + 1);
	sql(f->db, "UPDATE missing_episodes SET ended_at = started_at + 7200, team = 'Harbour', looked_after = 0"
		   " WHERE id = (SELECT max(id) FROM missing_episodes)");  /* returned, and moved team */
	agree(f);
	sql(f->db, "INSERT INTO return_interviews(episode_id, offered_at, response, responded_at, created_at, created_by,"
		   " updated_at, updated_by) SELECT max(id), %lld, 'accepted', %lld, 1, 1, 1, 1 FROM missing_episodes",
	    (long long)f->now, (long long)f->now);  /* an RHI offered and accepted */
	agree(f);
	sql(f->db, "UPDATE return_interviews SET completed_at = %lld, version = version + 1"
		   " WHERE episode_id = (SELECT max(id) FROM missing_episodes)", (long long)f->now + 60);
	agree(f);
	sql(f->db, "UPDATE persons SET dob = '2012-01-20' WHERE id = %lld", (long long)f->person[1]);  /* age band */
	agree(f);
	sql(f->db, "UPDATE persons SET sex = 'female' WHERE id = %lld", (long long)f->person[3]);
	agree(f);
	sql(f->db, "UPDATE missing_episodes SET started_at = started_at - 1000 * 86400, ended_at = ended_at - 1000 * 86400"
		   " WHERE id = (SELECT min(id) FROM missing_episodes)");  /* now before the window: out of it */
	assert_int_equal(agree(f), n);
	sql(f->db, "INSERT OR REPLACE INTO person_access(person_id, user_id) VALUES (%lld, %lld)",
	    (long long)f->person[2], (long long)f->other.id);  /* restricted: hidden from me */
	assert_true(agree(f) < n);
	mfh_window_info(&after);
	assert_int_equal(after.full_reads, before.full_reads);
	assert_true(after.change_reads >= before.change_reads + 7);

	sql(f->db, "INSERT INTO person_flags(person_id, kind, set_at, created_by) VALUES (%lld, 'repeat_missing', %lld, 1)",
	    (long long)f->person[0], (long long)f->now);
	flags_agree(f, 2);
	sql(f->db, "UPDATE person_flags SET removed_at = %lld WHERE person_id = %lld", (long long)f->now,
	    (long long)f->person[1]);
	flags_agree(f, 1);
	mfh_window_info(&after);
	assert_int_equal(after.full_reads, before.full_reads);
	assert_int_equal(after.flag_reads, before.flag_reads + 2);
}

/* A scan from before the window's start is SQL's, with the same answer. */
static void before_the_window_is_left_to_sql(void **state)
{
	struct fixture *f = *state;
	agree(f);
	struct mfh_window_info before, after;
	mfh_window_info(&before);
	struct mfh_filter flt;
	filter(&flt, 0);
	struct mfh_scope sc = { &flt, f->me.id };
	static struct got a, b;
	a.n = b.n = 0;
	int64_t from = f->now - 1000 * DAY, to = f->now + DAY;
	assert_int_equal(mfh_window_scan(f->st, &sc, from, to, collect, &a), 0);
	assert_int_equal(store_mfh_scan(f->st, &sc, from, to, collect, &b), 0);
	assert_int_equal(a.n, 40);
	assert_int_equal(a.n, b.n);
	mfh_window_info(&after);
	assert_int_equal(after.fallbacks, before.fallbacks + 1);
}

/* What the window cannot follow row by row (a deletion) makes it read again whole. */
static void a_deletion_reads_the_window_again(void **state)
{
	struct fixture *f = *state;
	int n = agree(f);
	sql(f->db, "DELETE FROM return_interviews WHERE episode_id = (SELECT min(id) FROM missing_episodes)");
	sql(f->db, "DELETE FROM missing_episodes WHERE id = (SELECT min(id) FROM missing_episodes)");
	struct mfh_window_info before, after;
	mfh_window_info(&before);
	assert_int_equal(agree(f), n - 1);
	mfh_window_info(&after);
	assert_int_equal(after.full_reads, before.full_reads + 1);
}

/* The ids the window gives for the ages min-max (any team), sorted, into ids; their number. The
 * window and SQL must agree. */
static int age_ids(struct fixture *f, int min, int max, int64_t from, int64_t to, int64_t *ids)
{
	struct mfh_filter flt;
	filter(&flt, 0);
	snprintf(flt.age_band, sizeof flt.age_band, "test");
	flt.age_min = min;
	flt.age_max = max;
	struct mfh_scope sc = { &flt, f->me.id };
	static struct got a, b;
	a.n = b.n = 0;
	assert_int_equal(mfh_window_scan(f->st, &sc, from, to, collect, &a), 0);
	assert_int_equal(store_mfh_scan(f->st, &sc, from, to, collect, &b), 0);
	qsort(a.v, (size_t)a.n, sizeof a.v[0], by_id);
	qsort(b.v, (size_t)b.n, sizeof b.v[0], by_id);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.v, b.v, (size_t)a.n * sizeof a.v[0]);
	for (int i = 0; i < a.n; i++)
		ids[i] = a.v[i][0];
	return a.n;
}

/*
 * Ages at the edges, from the window's integers as from mfh_age_at: a 29 February birthday is
 * 1 March in other years; the day is the UK date of the start (23:30 UTC in June is the next day).
 * In the last year that is not a leap year and whose June has passed (so within the window).
 */
static void ages_at_the_edges(void **state)
{
	struct fixture *f = *state;
	struct valid_date today;
	calendar_local_date(f->now, &today);
	int y = today.year - 1;
	if (y % 4 == 0)
		y--;
	int leap = (y - 10) / 4 * 4;  /* a leap year of birth (1901-2099) */
	char dobs[2][32];
	snprintf(dobs[0], sizeof dobs[0], "%04d-02-29", leap);
	snprintf(dobs[1], sizeof dobs[1], "%04d-06-15", y - 14);
	int64_t pid[2];
	assert_int_equal(store_begin(f->st, true), 0);
	for (int i = 0; i < 2; i++) {
		struct person *p = calloc(1, sizeof *p);
		snprintf(p->given_name, sizeof p->given_name, "Edge");
		snprintf(p->family_name, sizeof p->family_name, "Case%d", i);
		snprintf(p->dob, sizeof p->dob, "%s", dobs[i]);
		snprintf(p->sex, sizeof p->sex, "female");
		char err[64];
		assert_int_equal(person_create(f->st, &f->me, p, err, sizeof err), PERSON_OK);
		pid[i] = p->id;
		free(p);
	}
	assert_int_equal(store_commit(f->st), 0);
	/* The first child is y - leap - 1 on 28 February and y - leap on 1 March; the second 13 at
	 * 22:30 UTC on 14 June (23:30 in the UK) and 14 at 23:30 UTC (00:30 on the 15th). */
	char starts[4][48];
	snprintf(starts[0], sizeof starts[0], "%04d-02-28T23:30:00Z", y);
	snprintf(starts[1], sizeof starts[1], "%04d-03-01T00:10:00Z", y);
	snprintf(starts[2], sizeof starts[2], "%04d-06-14T22:30:00Z", y);
	snprintf(starts[3], sizeof starts[3], "%04d-06-14T23:30:00Z", y);
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		int64_t t = 0;
		assert_true(valid_parse_time(starts[i], &t));
		sql(f->db,
		    "INSERT INTO missing_episodes(person_id, started_at, reported_at, ended_at, missing_from, category,"
		    " created_at, created_by, updated_at, updated_by) VALUES (%lld, %lld, %lld, %lld, 'home', 'M', 1, 1, 1, 1)",
		    (long long)pid[i / 2], (long long)t, (long long)t, (long long)t + 3600);
		ids[i] = (int64_t)sqlite3_last_insert_rowid(f->db);
	}
	char from_s[48], to_s[48];
	snprintf(from_s, sizeof from_s, "%04d-02-01T00:00:00Z", y);
	snprintf(to_s, sizeof to_s, "%04d-07-01T00:00:00Z", y);
	int64_t from = 0, to = 0, got[64];
	assert_true(valid_parse_time(from_s, &from) && valid_parse_time(to_s, &to));
	/* Which of the four each age holds (the fixture's other children may be there too). */
	int ages[4][2] = { { y - leap - 1, 0x1 }, { y - leap, 0x2 }, { 13, 0x4 }, { 14, 0x8 } };
	for (int a = 0; a < 4; a++) {
		int n = age_ids(f, ages[a][0], ages[a][0], from, to, got);
		int mask = 0;
		for (int i = 0; i < n; i++)
			for (int k = 0; k < 4; k++)
				mask |= (got[i] == ids[k]) << k;
		mask &= a < 2 ? 0x3 : 0xc;  /* this child's two episodes (the other may be the same age) */
		assert_int_equal(mask, ages[a][1]);
	}
	struct mfh_window_info info;
	mfh_window_info(&info);
	assert_int_equal(info.fallbacks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_window_is_the_sql_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(it_keeps_up_with_every_kind_of_write, setup, teardown),
		cmocka_unit_test_setup_teardown(before_the_window_is_left_to_sql, setup, teardown),
		cmocka_unit_test_setup_teardown(a_deletion_reads_the_window_again, setup, teardown),
		cmocka_unit_test_setup_teardown(ages_at_the_edges, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
