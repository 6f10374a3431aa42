/*
 * Unit tests for referral.c on a real store: the referral_decision clock's boundary (decided at
 * the due second is met, one second later breached), decided and stale referrals changing nothing,
 * and the Referral JSON before and after a decision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "person.h"
#include "referral.h"
#include "testchild.h"

/* A referral about the fixture's child received at `received`, stored and committed. */
static struct referral *new_referral(struct fixture *f, int64_t received)
{
	struct referral *r = calloc(1, sizeof *r);
	assert_non_null(r);
	snprintf(r->subject_type, sizeof r->subject_type, "person");
	r->person_id = f->child->id;
	r->received_at = received;
	snprintf(r->source_code, sizeof r->source_code, "6");
	snprintf(r->strands[r->n_strands++], sizeof r->strands[0], "cse");
	snprintf(r->concerns, sizeof r->concerns, "Concerns.");
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(referral_create(f->st, &f->manager, r), REFERRAL_OK);
	assert_int_equal(store_commit(f->st), 0);
	return r;
}

static enum referral_status decide_at(struct fixture *f, struct referral *r, int64_t at, int64_t version)
{
	struct referral_decision *d = calloc(1, sizeof *d);
	assert_non_null(d);
	d->version = version;
	snprintf(d->outcome, sizeof d->outcome, "nfa");
	snprintf(d->rationale, sizeof d->rationale, "Reasons.");
	d->decided_at = at;
	assert_int_equal(store_begin(f->st, true), 0);
	enum referral_status s = referral_decide(f->st, &f->manager, r, d);
	if (s == REFERRAL_OK)
		assert_int_equal(store_commit(f->st), 0);
	else
		store_rollback(f->st);
	free(d);
	return s;
}

/* 2025-11-10 10:00 UTC, a Monday: due by the end of Tuesday 11 November (23:59:59 UTC, GMT). */
#define MONDAY_10AM 1762768800
#define TUESDAY_END 1762905599

static void test_clock_boundary(void **state)
{
	struct fixture *f = *state;
	struct referral *met = new_referral(f, MONDAY_10AM);
	assert_int_equal(met->decision_due_at, TUESDAY_END);
	assert_string_equal(met->clock_status, "running");
	assert_int_equal(referral_decision_late(met), -1);
	assert_int_equal(decide_at(f, met, TUESDAY_END, 1), REFERRAL_OK);
	assert_string_equal(met->status, "decided");
	assert_int_equal(met->version, 2);
	assert_int_equal(referral_decision_late(met), 0);

	struct referral *late = new_referral(f, MONDAY_10AM);
	assert_int_equal(decide_at(f, late, TUESDAY_END + 1, 1), REFERRAL_OK);
	assert_string_equal(late->clock_status, "breached");
	assert_int_equal(referral_decision_late(late), 1);
	free(met);
	free(late);
}

static void test_decided_and_stale_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct referral *r = new_referral(f, MONDAY_10AM);
	assert_int_equal(decide_at(f, r, MONDAY_10AM + 60, 2), REFERRAL_STALE);
	struct referral *again = calloc(1, sizeof *again);
	assert_non_null(again);
	assert_int_equal(referral_get(f->st, r->id, again), REFERRAL_OK);
	assert_string_equal(again->status, "awaiting_decision");
	assert_string_equal(again->clock_status, "running");
	assert_int_equal(decide_at(f, r, MONDAY_10AM + 60, 1), REFERRAL_OK);
	assert_int_equal(decide_at(f, r, MONDAY_10AM + 120, 2), REFERRAL_DECIDED);
	assert_int_equal(referral_get(f->st, r->id, again), REFERRAL_OK);
	assert_int_equal(again->decided_at, MONDAY_10AM + 60);
	assert_int_equal(referral_get(f->st, 999999, again), REFERRAL_NOT_FOUND);
	free(again);
	free(r);
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	struct referral *r = new_referral(f, MONDAY_10AM);
	json_t *o = referral_json(r, MONDAY_10AM);
	assert_non_null(o);
	assert_true(json_is_null(json_object_get(o, "outcome")));
	assert_true(json_is_null(json_object_get(o, "decision_late")));
	assert_true(json_is_null(json_object_get(o, "case_id")));
	assert_string_equal(json_string_value(json_object_get(o, "decision_due_at")), "2025-11-11T23:59:59Z");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "person"), "age")), 13);
	assert_string_equal(json_string_value(json_object_get(o, "created_by")), "manager");
	json_decref(o);
	assert_int_equal(decide_at(f, r, TUESDAY_END + 86400, 1), REFERRAL_OK);
	o = referral_json(r, MONDAY_10AM);
	assert_true(json_is_true(json_object_get(o, "decision_late")));
	assert_string_equal(json_string_value(json_object_get(o, "outcome")), "nfa");
	assert_string_equal(json_string_value(json_object_get(o, "decided_by")), "manager");
	json_decref(o);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decided_and_stale_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
