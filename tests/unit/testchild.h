/*
 * testchild.h - the fixture shared by casework unit tests: a fresh database with a manager in
 * team Phoenix and one child (born 2012-06-02) created through person_create.
 * Include after <cmocka.h>; header-only so each test program stays one file plus this.
 */
#ifndef SAFEHUB_TESTCHILD_H
#define SAFEHUB_TESTCHILD_H

#include "person.h"
#include "testdb.h"

struct fixture {
	char path[64];
	struct store *st;
	struct user manager;
	struct person *child;   /* born 2012-06-02 */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->st = testdb_open(f->path);
	assert_non_null(f->st);
	assert_int_equal(testdb_user(f->st, "manager", "manager", &f->manager), 0);
	snprintf(f->manager.team, sizeof f->manager.team, "Phoenix");
	f->child = calloc(1, sizeof *f->child);
	assert_non_null(f->child);
	snprintf(f->child->given_name, sizeof f->child->given_name, "Test");
	snprintf(f->child->family_name, sizeof f->child->family_name, "Child");
	snprintf(f->child->dob, sizeof f->child->dob, "2012-06-02");
	snprintf(f->child->sex, sizeof f->child->sex, "female");
	char err[64];
	assert_int_equal(store_begin(f->st, true), 0);
	assert_int_equal(person_create(f->st, &f->manager, f->child, err, sizeof err), PERSON_OK);
	assert_int_equal(store_commit(f->st), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->st, f->path);
	free(f->child);
	free(f);
	return 0;
}

#endif
