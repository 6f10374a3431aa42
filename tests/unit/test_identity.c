/*
 * Unit tests for identity.c and store_identity.c on a real store: each blocking rule finds the
 * person it should (NHS number, date of birth exact and day/month swapped, folded family name with
 * the year of birth, postcode with the given name's initial, name words including aliases);
 * merged persons are never candidates; the keep filter leaves persons out before the list is cut;
 * and the review queue: a row queued through identity_queue_review (audited), listed, then
 * decided: dismissed, linked (the missing episode is written for the person), or a new person
 * created from the row; stale, repeated and refused decisions change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <string.h>

#include "identity.h"
#include "identity_review.h"
#include "identity_search.h"
#include "person.h"
#include "store_identity.h"
#include "testdb.h"
#include "valid.h"

struct fixture {
	char path[64];
	struct store *st;
	struct user manager, practitioner;
	int64_t kayleigh, sophie, dup, secret; /* dup: merged into kayleigh; secret: restricted to the manager */
	char nhs[11];
};

/* A valid NHS number from the 999 range for serial n. */
static void make_nhs(int n, char out[11])
{
	for (unsigned k = (unsigned)n % 1000000;; k = (k + 1) % 1000000) {
		char nine[16];
		snprintf(nine, sizeof nine, "999%06u", k);
		int c = valid_nhs_check_digit(nine);
		if (c >= 0) {
			memcpy(out, nine, 9);
			out[9] = (char)('0' + c);
			out[10] = 0;
			return;
		}
	}
}

static int64_t add_person(struct fixture *f, const char *given, const char *family, const char *dob,
			  const char *postcode, const char *nhs, const char *alias, bool restricted)
{
	struct person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "%s", given);
	snprintf(p->family_name, sizeof p->family_name, "%s", family);
	snprintf(p->dob, sizeof p->dob, "%s", dob);
	snprintf(p->sex, sizeof p->sex, "female");
	if (nhs)
		snprintf(p->nhs_number, sizeof p->nhs_number, "%s", nhs);
	if (alias)
		snprintf(p->aliases[p->n_aliases++], sizeof p->aliases[0], "%s", alias);
	struct person_address *a = &p->addresses[p->n_addresses++];
	snprintf(a->line1, sizeof a->line1, "12 Larch Grove");
	snprintf(a->town, sizeof a->town, "Stockport");
	snprintf(a->postcode, sizeof a->postcode, "%s", postcode);
	a->current = true;
	p->restricted = restricted;
	char err[128];
	assert_int_equal(person_create(f->st, &f->manager, p, err, sizeof err), PERSON_OK);
	int64_t id = p->id;
	free(p);
	return id;
}

/* Run SQL on the test database through a connection of its own. */
static void sql(struct fixture *f, const char *text)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	char *err = NULL;
	int rc = sqlite3_exec(db, text, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "sql: %s\n", err ? err : "?");
	sqlite3_free(err);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
}

/* The first column of the first row of a query, as an integer (-1 when no row). */
static int64_t sql_int(struct fixture *f, const char *text)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, text, -1, &s, NULL), SQLITE_OK);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->st = testdb_open(f->path);
	assert_non_null(f->st);
	assert_int_equal(testdb_user(f->st, "manager", "manager", &f->manager), 0);
	assert_int_equal(testdb_user(f->st, "practitioner", "practitioner", &f->practitioner), 0);
	make_nhs(1, f->nhs);
	assert_int_equal(store_begin(f->st, true), 0);
	f->kayleigh = add_person(f, "Kayleigh", "Smyth", "2010-07-03", "SK4 2QT", f->nhs, "Kay", false);
	f->sophie = add_person(f, "Sophie", "Brown", "2009-01-15", "M1 1AA", NULL, NULL, false);
	f->dup = add_person(f, "Kayleigh", "Smyth", "2010-07-03", "SK4 2QT", f->nhs, "Kay", false);
	f->secret = add_person(f, "Kayleigh", "Smythe", "2010-07-03", "SK4 2QT", NULL, NULL, true);
	assert_int_equal(store_commit(f->st), 0);
	char text[128];
	snprintf(text, sizeof text, "UPDATE persons SET merged_into = %lld WHERE id = %lld", (long long)f->kayleigh,
		 (long long)f->dup);
	sql(f, text);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->st, f->path);
	free(f);
	return 0;
}

/* Collects the ids a store look-up finds. */
struct found {
	int64_t ids[32];
	int n;
};

static int found_add(void *ctx, int64_t id)
{
	struct found *x = ctx;
	if (x->n < 32)
		x->ids[x->n++] = id;
	return 0;
}

static bool has(const struct found *x, int64_t id)
{
	for (int i = 0; i < x->n; i++)
		if (x->ids[i] == id)
			return true;
	return false;
}

static bool in_list(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void test_each_rule_finds_and_merged_never(void **state)
{
	struct fixture *f = *state;
	struct found x;

	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_nhs(f->st, f->nhs, 10, found_add, &x), 0);
	assert_true(has(&x, f->kayleigh));
	assert_false(has(&x, f->dup));

	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_dob(f->st, "2010-07-03", 10, found_add, &x), 0);
	assert_true(has(&x, f->kayleigh));
	assert_true(has(&x, f->secret)); /* restricted persons are still candidates for the store */
	assert_false(has(&x, f->dup));
	assert_false(has(&x, f->sophie));

	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_family_year(f->st, "smyth", "2010", 10, found_add, &x), 0);
	assert_true(has(&x, f->kayleigh));
	assert_false(has(&x, f->dup));
	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_family_year(f->st, "smyth", "2011", 10, found_add, &x), 0);
	assert_int_equal(x.n, 0);

	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_postcode_initial(f->st, "SK4 2QT", 'k', 10, found_add, &x), 0);
	assert_true(has(&x, f->kayleigh));
	assert_false(has(&x, f->dup));
	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_postcode_initial(f->st, "SK4 2QT", 's', 10, found_add, &x), 0);
	assert_int_equal(x.n, 0);

	/* An alias is a name word: "kay" finds Kayleigh, whose alias it is. The word step may bring
	 * a merged holder too (the matcher skips it when it reads it: see below). */
	const char *words[] = { "kay", "nobody" };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_names(f->st, words, 2, 10, NULL, found_add, &x), 0);
	assert_true(has(&x, f->kayleigh));
	assert_false(has(&x, f->sophie));
	/* A word held by more than the limit is flagged crowded; a word flagged is not counted again
	 * (identity_cache remembers such words for a run that only adds persons). */
	bool crowded[2] = { false, false };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_names(f->st, words, 2, 0, crowded, found_add, &x), 0);
	assert_true(crowded[0]);
	assert_false(crowded[1]);
	assert_int_equal(x.n, 0);
	memset(&x, 0, sizeof x);
	assert_int_equal(store_identity_by_names(f->st, words, 2, 10, crowded, found_add, &x), 0);
	assert_false(has(&x, f->kayleigh));
	/* The search over every rule never returns the merged person, "kay" or not. */
	int64_t ids[10];
	struct identity_match *m = calloc(10, sizeof *m);
	assert_non_null(m);
	struct match_input in = { .given_name = "Kay", .family_name = "Nobody" };
	int n = 0;
	assert_int_equal(identity_search(f->st, &in, 0.0, NULL, NULL, m, 10, &n), 0);
	for (int i = 0; i < n; i++)
		ids[i] = m[i].p.id;
	free(m);
	assert_true(in_list(ids, n, f->kayleigh));
	assert_false(in_list(ids, n, f->dup));
}

/* The ids identity_search returns for in (floor 0: every blocked candidate), keep as given. */
static int search(struct fixture *f, const struct match_input *in, identity_keep_fn keep, void *ctx, int64_t *ids,
		  int cap)
{
	struct identity_match *m = calloc((size_t)cap, sizeof *m);
	assert_non_null(m);
	int n = 0;
	assert_int_equal(identity_search(f->st, in, 0.0, keep, ctx, m, cap, &n), 0);
	for (int i = 0; i < n; i++) {
		ids[i] = m[i].p.id;
		assert_int_equal(m[i].c.person_id, m[i].p.id);
		if (i)
			assert_true(m[i - 1].c.probability >= m[i].c.probability);
	}
	free(m);
	return n;
}


static bool not_restricted(void *ctx, const struct identity_person *p)
{
	(void)ctx;
	return !p->restricted;
}

static void test_search_union_swapped_and_keep(void **state)
{
	struct fixture *f = *state;
	int64_t ids[10];
	/* Only a swapped date of birth: found through the swapped-date rule alone. */
	struct match_input in = { .dob = "2010-03-07" };
	int n = search(f, &in, NULL, NULL, ids, 10);
	assert_true(in_list(ids, n, f->kayleigh));
	assert_true(in_list(ids, n, f->secret));
	assert_false(in_list(ids, n, f->dup));
	assert_false(in_list(ids, n, f->sophie));
	/* The keep filter leaves the restricted person out. */
	n = search(f, &in, not_restricted, NULL, ids, 10);
	assert_true(in_list(ids, n, f->kayleigh));
	assert_false(in_list(ids, n, f->secret));
	/* A misspelt name with a postcode: the postcode rule and the name rule. */
	struct match_input by_pc = { .given_name = "Kaylee", .family_name = "Smithh", .postcode = "sk42qt" };
	n = search(f, &by_pc, NULL, NULL, ids, 10);
	assert_true(in_list(ids, n, f->kayleigh));
	assert_false(in_list(ids, n, f->dup));
	/* The cap cuts the list. */
	n = search(f, &in, NULL, NULL, ids, 1);
	assert_int_equal(n, 1);
	/* Nothing to block on: nobody. */
	struct match_input none = { .sex = "female" };
	assert_int_equal(search(f, &none, NULL, NULL, ids, 10), 0);
}

static void test_person_fields(void **state)
{
	struct fixture *f = *state;
	struct identity_person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	assert_int_equal(identity_person_get(f->st, f->kayleigh, p), 0);
	assert_string_equal(p->given_name, "Kayleigh");
	assert_string_equal(p->address, "12 Larch Grove");
	assert_string_equal(p->locality, "Stockport");
	assert_string_equal(p->postcode, "SK4 2QT");
	assert_int_equal(p->n_aliases, 1);
	assert_string_equal(p->aliases[0], "Kay");
	assert_int_equal(identity_person_get(f->st, f->dup, p), 0);
	assert_int_equal(p->merged_into, f->kayleigh);
	assert_int_equal(identity_person_get(f->st, 999999, p), 1);
	free(p);
}

/*
 * A candidate's address and locality: the current address, else the first (the json_each rule of
 * store_identity.c), read without SQL for the usual shapes and by the SQL for the others, each
 * compared with what the SQL rule itself gives.
 */
static void test_person_address(void **state)
{
	struct fixture *f = *state;
	static const char *const cases[][3] = {
		{ "[]", "", "" },
		{ "[{\"line1\":\"1 A St\",\"line2\":\"\",\"town\":\"X\",\"current\":false},"
		  "{\"line1\":\"2 B St\",\"line2\":\"Flat 3\",\"town\":\"Y\",\"current\":true}]", "2 B St, Flat 3", "Y" },
		{ "[{\"line1\":\"1 A St\",\"town\":\"X\"},{\"line1\":\"2 B St\",\"town\":\"Y\"}]", "1 A St", "X" },
		{ "[{\"line1\":null,\"line2\":\"Flat 1\",\"current\":true}]", ", Flat 1", "" },
		{ "[{\"line1\":\"1 A St\",\"current\":1},{\"line1\":\"2 B St\",\"current\":2}]", "2 B St", "" },
		/* Not the usual shapes: the SQL decides. */
		{ "[{\"line1\":\"1 A St\",\"current\":\"no\"},{\"line1\":\"2 B St\",\"current\":true}]", "1 A St", "" },
		{ "[{\"line1\":12,\"town\":\"X\"}]", "12", "X" },
		{ "[{\"line1\":\"1 A St\",\"current\":0.5},{\"line1\":\"2 B St\"}]", "1 A St", "" },
		{ "[5,{\"line1\":\"2 B St\",\"current\":true}]", "2 B St", "" },
	};
	struct identity_person *p = calloc(1, sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = sqlite3_mprintf("UPDATE persons SET addresses = %Q WHERE id = %lld", cases[i][0],
					     (long long)f->sophie);
		sql(f, text);
		sqlite3_free(text);
		assert_int_equal(identity_person_get(f->st, f->sophie, p), 0);
		assert_string_equal(p->address, cases[i][1]);
		assert_string_equal(p->locality, cases[i][2]);
	}
	free(p);
}

/* A missing-import row for the queue. */
static const char ROW_FMT[] =
	"{\"police_force\":\"GMP\",\"police_ref\":\"%s\",\"given_name\":\"%s\",\"family_name\":\"%s\","
	"\"dob\":\"07/03/2010\",\"sex\":\"F\",\"postcode\":\"SK4 2QT\",\"missing_from\":\"home\",\"category\":\"M\","
	"\"started_at\":\"2025-11-01T10:00:00Z\",\"reported_at\":\"2025-11-01T12:00:00Z\"}";

/* Queue a row (import 0) with Kayleigh as its one candidate; returns the review id. */
static int64_t queue(struct fixture *f, const char *ref, const char *given, const char *family)
{
	char row[600];
	snprintf(row, sizeof row, ROW_FMT, ref, given, family);
	struct identity_result r = { .outcome = IDENTITY_REVIEW, .n = 1 };
	r.c[0].person_id = f->kayleigh;
	r.c[0].probability = 0.7;
	r.c[0].why.n = 1;
	snprintf(r.c[0].why.r[0].field, sizeof r.c[0].why.r[0].field, "dob");
	snprintf(r.c[0].why.r[0].level, sizeof r.c[0].why.r[0].level, "swapped_day_month");
	snprintf(r.c[0].why.r[0].text, sizeof r.c[0].why.r[0].text, "date of birth day/month swapped");
	r.c[0].why.r[0].weight = 4.2;
	int64_t id = 0;
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(identity_queue_review(f->st, 0, "missing", 7, row, &r, f->manager.id, &id), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_true(id > 0);
	return id;
}

static enum identity_status decide(struct fixture *f, const struct user *by, int64_t id, int64_t version,
				   enum identity_decision d, int64_t person_id, int64_t *person_out)
{
	char err[256];
	assert_int_equal(store_begin(f->st, true), 0);
	enum identity_status s = identity_review_decide(f->st, by, id, version, d, person_id, person_out, err, sizeof err);
	if (s == IDENTITY_OK)
		assert_int_equal(store_commit(f->st), 0);
	else
		store_rollback(f->st);
	return s;
}

/* Counts the reviews listed and remembers the last. */
struct listed {
	int n;
	int64_t id;
	char candidates[512];
};

static int listed_add(void *ctx, const struct identity_review *r)
{
	struct listed *l = ctx;
	l->n++;
	l->id = r->id;
	snprintf(l->candidates, sizeof l->candidates, "%s", r->candidates);
	return 0;
}

static void test_queue_list_dismiss(void **state)
{
	struct fixture *f = *state;
	int64_t id = queue(f, "UT-DISMISS", "Kay", "Smith");
	char q[160];
	snprintf(q, sizeof q, "SELECT count(*) FROM audit WHERE action = 'match.queue' AND object_id = '%lld'",
		 (long long)id);
	assert_int_equal(sql_int(f, q), 1);

	struct listed l = { 0 };
	int64_t total = 0;
	assert_int_equal(identity_review_list(f->st, "pending", 50, 0, listed_add, &l, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id, id);
	char want[64];
	snprintf(want, sizeof want, "\"person_id\":%lld", (long long)f->kayleigh);
	assert_non_null(strstr(l.candidates, want));
	assert_non_null(strstr(l.candidates, "swapped_day_month"));

	int64_t person = -1;
	assert_int_equal(decide(f, &f->manager, id, 2, IDENTITY_DECIDE_DISMISS, 0, &person), IDENTITY_STALE);
	assert_int_equal(decide(f, &f->manager, 999999, 1, IDENTITY_DECIDE_DISMISS, 0, &person), IDENTITY_NOT_FOUND);
	assert_int_equal(decide(f, &f->manager, id, 1, IDENTITY_DECIDE_DISMISS, 0, &person), IDENTITY_OK);
	assert_int_equal(person, 0);
	assert_int_equal(decide(f, &f->manager, id, 2, IDENTITY_DECIDE_DISMISS, 0, &person), IDENTITY_DECIDED);
	struct identity_review r = { 0 };
	assert_int_equal(identity_review_get(f->st, id, &r), 0);
	assert_string_equal(r.status, "dismissed");
	assert_string_equal(r.decided_by, "manager");
	assert_int_equal(r.version, 2);
	identity_review_free(&r);
	memset(&l, 0, sizeof l);
	assert_int_equal(identity_review_list(f->st, "pending", 50, 0, listed_add, &l, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM missing_episodes WHERE police_ref = 'UT-DISMISS'"), 0);
}

static void test_link_writes_episode(void **state)
{
	struct fixture *f = *state;
	int64_t id = queue(f, "UT-LINK", "Kay", "Smith");
	int64_t person = 0;
	/* Refusals change nothing: no such person, a merged one, a restricted one not open to the user. */
	assert_int_equal(decide(f, &f->manager, id, 1, IDENTITY_DECIDE_LINK, 999999, &person), IDENTITY_NO_PERSON);
	assert_int_equal(decide(f, &f->manager, id, 1, IDENTITY_DECIDE_LINK, f->dup, &person), IDENTITY_MERGED);
	assert_int_equal(decide(f, &f->practitioner, id, 1, IDENTITY_DECIDE_LINK, f->secret, &person), IDENTITY_DENIED);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM missing_episodes WHERE police_ref = 'UT-LINK'"), 0);

	assert_int_equal(decide(f, &f->manager, id, 1, IDENTITY_DECIDE_LINK, f->kayleigh, &person), IDENTITY_OK);
	assert_int_equal(person, f->kayleigh);
	assert_int_equal(sql_int(f, "SELECT person_id FROM missing_episodes WHERE police_ref = 'UT-LINK'"), f->kayleigh);
	char q[200];
	snprintf(q, sizeof q,
		 "SELECT count(*) FROM match_reviews WHERE id = %lld AND status = 'linked' AND person_id = %lld",
		 (long long)id, (long long)f->kayleigh);
	assert_int_equal(sql_int(f, q), 1);
	snprintf(q, sizeof q, "SELECT count(*) FROM audit WHERE action = 'match.decide' AND object_id = '%lld'",
		 (long long)id);
	assert_int_equal(sql_int(f, q), 1);
}

static void test_new_creates_person(void **state)
{
	struct fixture *f = *state;
	int64_t id = queue(f, "UT-NEW", "Brand", "Newperson");
	int64_t before = sql_int(f, "SELECT count(*) FROM persons");
	int64_t person = 0;
	assert_int_equal(decide(f, &f->manager, id, 1, IDENTITY_DECIDE_NEW, 0, &person), IDENTITY_OK);
	assert_true(person > 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM persons"), before + 1);
	char q[200];
	snprintf(q, sizeof q,
		 "SELECT count(*) FROM persons WHERE id = %lld AND given_name = 'Brand' AND dob = '2010-03-07'"
		 " AND sex = 'female' AND postcode = 'SK4 2QT'",
		 (long long)person);
	assert_int_equal(sql_int(f, q), 1);
	assert_int_equal(sql_int(f, "SELECT person_id FROM missing_episodes WHERE police_ref = 'UT-NEW'"), person);
	/* The new person is in the name index: intake finds them. */
	struct match_input in = { .given_name = "Brand", .family_name = "Newperson" };
	int64_t ids[10];
	int n = search(f, &in, NULL, NULL, ids, 10);
	assert_true(in_list(ids, n, person));
}

/* The ids and probabilities of r, as text to compare. */
static void result_text(const struct identity_result *r, char *out, size_t cap)
{
	size_t len = (size_t)snprintf(out, cap, "%d:", (int)r->outcome);
	for (int i = 0; i < r->n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, " %lld=%.6f", (long long)r->c[i].person_id,
					r->c[i].probability);
}

/*
 * identity_resolve_cached gives what identity_resolve gives, with and without an address to
 * compare, and reads a person at or above the cache's min_id from the store once: after the
 * person changes in the store (which cannot happen within an import), the cached run still sees
 * the person as first read. Persons below min_id are always read afresh.
 */
static void test_resolve_cached(void **state)
{
	struct fixture *f = *state;
	struct identity_cache *c = identity_cache_new(f->kayleigh);
	assert_non_null(c);
	struct match_input in = { .given_name = "Kayleigh", .family_name = "Smyth", .dob = "2010-07-03" };
	struct match_input with_address = { .given_name = "Kayleigh", .family_name = "Smyth", .dob = "2010-07-03",
					    .address = "1 Lime Grove" };
	struct identity_result *r = calloc(2, sizeof *r);
	assert_non_null(r);
	char plain[512], cached[512];
	const struct match_input *inputs[] = { &in, &with_address };
	for (int k = 0; k < 2; k++)
		for (int again = 0; again < 2; again++) {
			assert_int_equal(identity_resolve(f->st, inputs[k], &r[0]), 0);
			assert_int_equal(identity_resolve_cached(f->st, c, inputs[k], &r[1]), 0);
			result_text(&r[0], plain, sizeof plain);
			result_text(&r[1], cached, sizeof cached);
			assert_string_equal(cached, plain);
			assert_true(r[0].n > 0);
		}
	char text[160];
	snprintf(text, sizeof text, "UPDATE persons SET given_name = 'Zebedee' WHERE id = %lld", (long long)f->kayleigh);
	sql(f, text);
	assert_int_equal(identity_resolve(f->st, &in, &r[0]), 0);
	assert_int_equal(identity_resolve_cached(f->st, c, &in, &r[1]), 0);
	result_text(&r[0], plain, sizeof plain);
	result_text(&r[1], cached, sizeof cached);
	assert_string_not_equal(cached, plain);
	/* A cache from above every person reads them all afresh. */
	identity_cache_free(c);
	c = identity_cache_new(INT64_MAX);
	assert_non_null(c);
	assert_int_equal(identity_resolve_cached(f->st, c, &in, &r[1]), 0);
	result_text(&r[1], cached, sizeof cached);
	assert_string_equal(cached, plain);
	identity_cache_free(c);
	free(r);
}

/* identity_optimize merges the name index into one segment and finds what it found before. */
static void test_optimize(void **state)
{
	struct fixture *f = *state;
	/* A person a transaction, as a hub grows: a segment each. */
	static const char *const given[] = { "Kaylee", "Kayla", "Kay", "Kaye", "Kai" };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(store_begin(f->st, true), 0);
		add_person(f, given[i], "Smyth", "2010-07-03", "SK4 2QT", NULL, NULL, false);
		assert_int_equal(store_commit(f->st), 0);
	}
	assert_true(sql_int(f, "SELECT count(DISTINCT segid) FROM person_names_idx") > 1);
	struct match_input in = { .given_name = "Kayleigh", .family_name = "Smyth", .dob = "2010-07-03" };
	struct identity_result *r = calloc(2, sizeof *r);
	assert_non_null(r);
	char before[512], after[512];
	assert_int_equal(identity_resolve(f->st, &in, &r[0]), 0);
	result_text(&r[0], before, sizeof before);
	assert_true(r[0].n >= 5);
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(identity_optimize(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(sql_int(f, "SELECT count(DISTINCT segid) FROM person_names_idx"), 1);
	assert_int_equal(identity_resolve(f->st, &in, &r[1]), 0);
	result_text(&r[1], after, sizeof after);
	assert_string_equal(after, before);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_each_rule_finds_and_merged_never, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_optimize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_union_swapped_and_keep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_list_dismiss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_writes_episode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_creates_person, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
