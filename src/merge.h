/*
 * merge.h - merging two records of the same person, and undoing it (docs/api-identity.md,
 * "Merge and unmerge"; sql/005_identity.sql). A merge folds person B (the merged) into person A
 * (the survivor): every record that points at B is moved to A and the list of exactly which rows
 * moved is kept in person_merges.moved; B's row stays, with merged_into = A and its names and
 * identifiers intact, and is left out of searches and lists. An unmerge puts back exactly the
 * rows that moved (rows added to A since stay with A) and clears merged_into.
 *
 * The rules, in the order they are checked:
 * - both persons exist and the user may reach both (restricted records: named users only);
 * - A and B are different, neither is already merged, and both are restricted or both are not
 *   (folding a restricted record into an open one would show its records to everyone; the other
 *   way round would hide an open record's casework from the staff working it);
 * - the survivor's version is the one the user read;
 * - an unmerge needs the merge to be still in force and its survivor not itself merged since
 *   (a later merge moved the survivor's rows on: that one is undone first).
 * Both persons' versions go up on a merge and on an unmerge (their record sets changed; versions
 * never go back, or a stale edit could pass the version check). The moved rows keep their own
 * versions and times: a merge changes only the column that names the person.
 *
 * Owns: these rules, the person.merge and person.unmerge audit entries (one on each person),
 * and the pure rewriting of person-id lists (missing_episodes.found_with).
 * Runs inside the caller's write transaction. Must not touch: HTTP, jansson, SQL text
 * (store_merge.c does the moving).
 */
#ifndef SAFEHUB_MERGE_H
#define SAFEHUB_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

#define MERGE_REASON_CHARS 1000  /* the reason a merge was made: 1-1,000 characters */
#define MERGE_TABLES_MAX 16      /* tables one merge can move rows of */
#define MERGE_LIST_MAX 500       /* merges one list answer holds */

/* How many rows of one table a merge moved (person_access: users given access to the survivor). */
struct merge_count {
	char table[32];          /* "referrals", "cases", ... */
	int64_t rows;            /* distinct rows moved */
};

/* One merge, as stored in person_merges. */
struct merge_record {
	int64_t id;                                  /* person_merges.id: the merge_id */
	int64_t survivor_id;                         /* the person kept (A) */
	int64_t merged_id;                           /* the person folded in (B) */
	char reason[MERGE_REASON_CHARS * 4 + 1];     /* why, as the user wrote it */
	int64_t merged_at;                           /* UTC seconds */
	char merged_by[USER_NAME_MAX + 1];           /* username */
	int64_t unmerged_at;                         /* UTC seconds, 0 while the merge is in force */
	char unmerged_by[USER_NAME_MAX + 1];         /* username, "" while in force */
	struct merge_count counts[MERGE_TABLES_MAX]; /* what moved, in the order the tables are moved */
	int n_counts;
	int64_t restored;                            /* after an unmerge: rows put back */
	int64_t left;                                /* after an unmerge: moved rows no longer on the
							survivor (changed by hand since), left where they are */
};

/* Outcomes of merge operations. */
enum merge_status {
	MERGE_OK = 0,
	MERGE_NOT_FOUND,         /* the person in the path does not exist */
	MERGE_NO_MERGED,         /* merged_id names no person (a field error on merged_id) */
	MERGE_NO_MERGE,          /* merge_id names no merge of this person (a field error on merge_id) */
	MERGE_DENIED,            /* a person is restricted and the user is not named on it (denied_id says which) */
	MERGE_SAME,              /* merging a person into itself */
	MERGE_SURVIVOR_MERGED,   /* the survivor has itself been merged into another person */
	MERGE_ALREADY_MERGED,    /* the person to merge in is already merged */
	MERGE_RESTRICTION,       /* one is restricted and the other is not */
	MERGE_STALE,             /* the survivor's version is not the one sent */
	MERGE_UNDONE,            /* the merge has already been undone */
	MERGE_DEPENDS,           /* a later merge folded the survivor into another person: undo that first */
	MERGE_BLOCKED,           /* a row cannot be put back without breaking a rule of the store
				    (an active person flag of the same kind was set on the merged person since) */
	MERGE_ERROR              /* the store failed (or the schema has a reference to persons this
				    module does not know: see store_merge_check) */
};

/*
 * merge_persons - fold person `merged_id` into person `survivor_id` on behalf of `by`, after the
 * rules above (`version` is the survivor's version the user read; `reason` validated at the
 * edge, 1-1,000 characters). Bumps both persons' versions (updated by `by` now), sets
 * merged_into on the merged person, moves every record (store_merge_move), records the merge in
 * person_merges and audits person.merge on both persons (ids and counts in the detail, never the
 * reason). Fills *out with the merge as stored and *denied_id with the person refused on
 * MERGE_DENIED (the caller audits the refusal). Returns MERGE_OK or a status above; on any
 * status but MERGE_OK the caller rolls back.
 */
enum merge_status merge_persons(struct store *st, const struct user *by, int64_t survivor_id, int64_t merged_id,
				int64_t version, const char *reason, struct merge_record *out, int64_t *denied_id);

/*
 * merge_undo - undo merge `merge_id`, reached through person `person_id` (its survivor or the
 * person it merged: MERGE_NOT_FOUND when there is no such person, MERGE_NO_MERGE when the merge
 * is not one of this person's; 0 for the command line, which names only the merge), on behalf
 * of `by`: both persons must be reachable (MERGE_DENIED), the merge
 * in force (MERGE_UNDONE) and the survivor not merged since (MERGE_DEPENDS). Puts back every row
 * the merge moved that still points at the survivor, removes the access it gave, clears
 * merged_into, bumps both versions, marks the merge undone and audits person.unmerge on both
 * persons. Fills *out (with restored and left). Returns MERGE_OK or a status above.
 */
enum merge_status merge_undo(struct store *st, const struct user *by, int64_t person_id, int64_t merge_id,
			     struct merge_record *out, int64_t *denied_id);

/*
 * merge_list - call fn(ctx, m) for the merges that concern person `person_id`, newest first, at
 * most MERGE_LIST_MAX: those that merged it into another, those that merged others into it, and
 * those into the persons merged into it (the whole tree of "also known as" records), in force or
 * undone. The caller has checked that the user may reach the person. Stops when fn returns
 * non-zero. Returns MERGE_OK or MERGE_ERROR.
 */
enum merge_status merge_list(struct store *st, int64_t person_id,
			     int (*fn)(void *ctx, const struct merge_record *m), void *ctx);

/*
 * merge_ids_rewrite - a person-id list as a merge leaves it: every `from` becomes `to`, and a
 * `to` that then appears twice is kept once (at its first place). in and out may not overlap;
 * out has room for n. Returns the length of out.
 */
size_t merge_ids_rewrite(const int64_t *in, size_t n, int64_t from, int64_t to, int64_t *out);

/*
 * merge_ids_restore - a person-id list as an unmerge leaves it. `now` is the list as it is,
 * `before` as it was before the merge (the merge moved `from` to `to`). When the list is still
 * what the merge made of `before`, the result is `before`. When it was changed since, the change
 * is kept and only `from` is put back: nothing when `from` is already there or `to` has been
 * removed; else the first `to` becomes `from` when `to` was not in `before`, and `from` is
 * appended when it was (the merge had dropped `from` as a duplicate). out has room for n + 1.
 * Returns the length of out.
 */
size_t merge_ids_restore(const int64_t *now, size_t n, const int64_t *before, size_t nb, int64_t from, int64_t to,
			 int64_t *out);

#endif
