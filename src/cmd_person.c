/*
 * cmd_person.c - see cmd.h: `safehub person merge --db FILE --user NAME --reason TEXT A B` folds
 * person B into person A, and `safehub person unmerge --db FILE --user NAME MERGE_ID` undoes a
 * merge, with the same rules and audit entries as the API (merge.h): the user must exist, not be
 * disabled, hold person.merge (a manager) and be able to reach both persons. Each runs in one
 * write transaction on the database (safe while it is being served).
 * Owns: these two commands' arguments and messages. Must not touch: SQL, the merge's rules.
 */
#include "cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "policy.h"
#include "store.h"
#include "user.h"
#include "valid.h"

/* The options and positional arguments of a person command. */
struct person_args {
	const char *db;
	const char *user;
	const char *reason;
	int64_t ids[2];          /* the positional ids, in order */
	int n_ids;
};

/* A positive id (up to 15 digits) from s, or 0. */
static int64_t parse_id(const char *s)
{
	int64_t v = 0;
	if (!*s || strlen(s) > 15)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Parse argv (after the command's words). Returns 0, or 2 after saying what is wrong. */
static int parse_args(const char *cmd, int argc, char **argv, bool with_reason, int want_ids, struct person_args *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot = NULL;
		if (strcmp(arg, "--db") == 0)
			slot = &a->db;
		else if (strcmp(arg, "--user") == 0)
			slot = &a->user;
		else if (with_reason && strcmp(arg, "--reason") == 0)
			slot = &a->reason;
		if (slot) {
			if (i + 1 >= argc) {
				fprintf(stderr, "safehub %s: option '%s' needs a value\n", cmd, arg);
				return 2;
			}
			*slot = argv[++i];
			continue;
		}
		if (strncmp(arg, "--", 2) == 0) {
			fprintf(stderr, "safehub %s: unknown option '%s' (see safehub %s --help)\n", cmd, arg, cmd);
			return 2;
		}
		int64_t id = parse_id(arg);
		if (!id) {
			fprintf(stderr, "safehub %s: '%s' is not an id (a whole number from 1)\n", cmd, arg);
			return 2;
		}
		if (a->n_ids == want_ids) {
			fprintf(stderr, "safehub %s: unexpected argument '%s' (see safehub %s --help)\n", cmd, arg, cmd);
			return 2;
		}
		a->ids[a->n_ids++] = id;
	}
	const char *missing = NULL;
	if (!a->db || !*a->db)
		missing = "--db";
	else if (!a->user || !*a->user)
		missing = "--user";
	else if (with_reason && (!a->reason || !*a->reason))
		missing = "--reason";
	if (missing) {
		fprintf(stderr, "safehub %s: %s is required\n", cmd, missing);
		return 2;
	}
	if (a->n_ids != want_ids) {
		fprintf(stderr, "safehub %s: give %s\n", cmd,
			want_ids == 2 ? "the two person ids: A (kept) and B (merged into A)" : "the merge id");
		return 2;
	}
	if (with_reason) {
		const char *why = valid_text(a->reason, 1, MERGE_REASON_CHARS, true);
		if (why) {
			fprintf(stderr, "safehub %s: --reason %s\n", cmd, why);
			return 2;
		}
	}
	return 0;
}

/* Open the database and find the user, who must be able to merge. Returns the store or NULL. */
static struct store *open_as(const char *cmd, const struct person_args *a, struct user *u)
{
	if (access(a->db, F_OK) != 0) {
		fprintf(stderr, "safehub %s: --db %s: no such database (create it with safehub init)\n", cmd, a->db);
		return NULL;
	}
	char err[512];
	struct store *st = store_open(a->db, false, err, sizeof err);
	if (!st) {
		fprintf(stderr, "safehub %s: --db %s: %s\n", cmd, a->db, err);
		return NULL;
	}
	int rc = store_user_by_name(st, a->user, u, NULL, 0);
	const char *why = NULL;
	if (rc == STORE_NOTFOUND)
		why = "no such user";
	else if (rc != 0)
		why = store_errmsg(st);
	else if (u->disabled)
		why = "the user is disabled";
	else if (!policy_allows(u->role, PERM_PERSON_MERGE))
		why = "the user's role may not merge persons (managers may)";
	if (why) {
		fprintf(stderr, "safehub %s: --user %s: %s\n", cmd, a->user, why);
		store_close(st);
		return NULL;
	}
	return st;
}

/* Say why a merge or an unmerge was refused. */
static void say_refused(const char *cmd, enum merge_status ms, int64_t denied_id)
{
	const char *why;
	switch (ms) {
	case MERGE_NOT_FOUND: why = "there is no such person"; break;
	case MERGE_NO_MERGED: why = "there is no person B with that id"; break;
	case MERGE_NO_MERGE: why = "there is no merge with that id"; break;
	case MERGE_DENIED: why = "a person is restricted and the user is not named on it"; break;
	case MERGE_SAME: why = "a record cannot be merged into itself"; break;
	case MERGE_SURVIVOR_MERGED: why = "person A has itself been merged into another record"; break;
	case MERGE_ALREADY_MERGED: why = "person B has already been merged into another record"; break;
	case MERGE_RESTRICTION: why = "one record is restricted and the other is not"; break;
	case MERGE_STALE: why = "person A changed while the merge ran: try again"; break;
	case MERGE_UNDONE: why = "this merge has already been undone"; break;
	case MERGE_DEPENDS: why = "a later merge folded the kept person into another one: undo that merge first"; break;
	case MERGE_BLOCKED: why = "a record cannot be put back: the merged person has an active flag of the same kind"; break;
	default: why = "the database failed"; break;
	}
	if (ms == MERGE_DENIED)
		fprintf(stderr, "safehub %s: refused: %s (person %" PRId64 ")\n", cmd, why, denied_id);
	else
		fprintf(stderr, "safehub %s: refused: %s\n", cmd, why);
}

/* Print the counts of a merge record ("cases 2, referrals 1"; "nothing" when none). */
static void print_counts(const struct merge_record *m)
{
	if (!m->n_counts)
		printf("nothing");
	for (int i = 0; i < m->n_counts; i++)
		printf("%s%s %" PRId64, i ? ", " : "", m->counts[i].table, m->counts[i].rows);
}

int cmd_person_merge(int argc, char **argv)
{
	const char *cmd = "person merge";
	struct person_args a;
	int rc = parse_args(cmd, argc, argv, true, 2, &a);
	if (rc != 0)
		return rc;
	struct user u;
	struct store *st = open_as(cmd, &a, &u);
	if (!st)
		return 1;
	struct merge_record *m = calloc(1, sizeof *m);
	rc = 1;
	if (!m || store_begin(st, true) != 0) {
		fprintf(stderr, "safehub %s: %s\n", cmd, m ? store_errmsg(st) : "out of memory");
		goto out;
	}
	/* The command line has no version read earlier: the current one is the one merged against. */
	struct person *p = calloc(1, sizeof *p);
	int64_t version = p && store_person_get(st, a.ids[0], p) == 0 ? p->version : 0;
	free(p);
	int64_t denied = 0;
	enum merge_status ms = version ? merge_persons(st, &u, a.ids[0], a.ids[1], version, a.reason, m, &denied)
				       : MERGE_NOT_FOUND;
	if (ms != MERGE_OK) {
		store_rollback(st);
		say_refused(cmd, ms, denied);
		goto out;
	}
	if (store_commit(st) != 0) {
		fprintf(stderr, "safehub %s: the merge could not be saved: %s\n", cmd, store_errmsg(st));
		goto out;
	}
	printf("safehub: merged person %" PRId64 " into person %" PRId64 " (merge %" PRId64 "); moved: ", a.ids[1],
	       a.ids[0], m->id);
	print_counts(m);
	printf("\n");
	rc = 0;
out:
	free(m);
	store_close(st);
	return rc;
}

int cmd_person_unmerge(int argc, char **argv)
{
	const char *cmd = "person unmerge";
	struct person_args a;
	int rc = parse_args(cmd, argc, argv, false, 1, &a);
	if (rc != 0)
		return rc;
	struct user u;
	struct store *st = open_as(cmd, &a, &u);
	if (!st)
		return 1;
	struct merge_record *m = calloc(1, sizeof *m);
	rc = 1;
	if (!m || store_begin(st, true) != 0) {
		fprintf(stderr, "safehub %s: %s\n", cmd, m ? store_errmsg(st) : "out of memory");
		goto out;
	}
	/* The command names the merge, not a person (person 0: reached through the merge itself). */
	int64_t denied = 0;
	enum merge_status ms = merge_undo(st, &u, 0, a.ids[0], m, &denied);
	if (ms != MERGE_OK) {
		store_rollback(st);
		say_refused(cmd, ms, denied);
		goto out;
	}
	if (store_commit(st) != 0) {
		fprintf(stderr, "safehub %s: the unmerge could not be saved: %s\n", cmd, store_errmsg(st));
		goto out;
	}
	printf("safehub: undid merge %" PRId64 ": person %" PRId64 " is a record of its own again; %" PRId64
	       " records put back, %" PRId64 " left (changed since)\n",
	       m->id, m->merged_id, m->restored, m->left);
	rc = 0;
out:
	free(m);
	store_close(st);
	return rc;
}
