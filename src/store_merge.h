/*
 * store_merge.h - the SQL side of merging persons (sql/005_identity.sql: persons.merged_into,
 * person_merges). Knows every place a person id is kept:
 *   referrals.person_id, cases.person_id, assessments.person_id, meetings.person_id,
 *   clocks.person_id, clocks.subject_id (subject_type 'person': the repeat-missing meeting clock),
 *   missing_episodes.person_id, missing_episodes.found_with (a JSON array of person ids),
 *   person_flags.person_id, match_reviews.person_id, and person_access (the users named on a
 *   restricted person: copied to the survivor, not moved, so the merged record keeps its own).
 * Not moved: persons.merged_into and person_merges (the merge's own bookkeeping), the audit trail
 * (it records what happened to whom), match_reviews.candidates (the matcher's scores against the
 * record as it was).
 *
 * person_merges.moved is a JSON array with one member per column that had rows to move:
 *   {"table": "cases", "column": "person_id", "ids": [row ids]}
 *   {"table": "clocks", "column": "subject_id", "ids": [...]}          (subject_type 'person')
 *   {"table": "missing_episodes", "column": "found_with", "ids": [...], "before": [[list], ...]}
 *   {"table": "person_flags", "column": "person_id", "ids": [...], "kept": [...]}
 *       (kept: active flags left on the merged person because the survivor has an active flag of
 *        the same kind, which the store allows once per person)
 *   {"table": "person_access", "column": "user_id", "ids": [user ids given access to the survivor]}
 *
 * Follows store.h's return convention: 0, STORE_NOTFOUND, STORE_CONFLICT, -1.
 * Owns: these statements and the moved list's format. Must not touch: HTTP, the merge's rules
 * (merge.c decides; this file only moves and records).
 */
#ifndef SAFEHUB_STORE_MERGE_H
#define SAFEHUB_STORE_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct merge_record;

/* What a merge needs to know of one person. */
struct merge_person {
	int64_t id;
	int64_t version;         /* persons.version */
	bool restricted;         /* persons.restricted */
	int64_t merged_into;     /* persons.merged_into, 0 when not merged */
};

/* store_merge_person - person `id`'s version, restriction and merged_into into *out. */
int store_merge_person(struct store *st, int64_t id, struct merge_person *out);

/*
 * store_merge_check - make sure this file knows every column that references persons(id): reads
 * each table's foreign keys and compares them with the columns it moves (and the ones it leaves
 * on purpose), and checks that assessments still has the 13 columns its copy statement names.
 * Returns 0, STORE_CONFLICT with what[cap] naming the unknown column (a later migration added a
 * reference: teach this file about it), or -1.
 */
int store_merge_check(struct store *st, char *what, size_t cap);

/*
 * store_merge_move - move every record of person `from` to person `to` (the columns above), in
 * one pass per column, rows in id order. Assessments are never updated (a trigger forbids it):
 * each is replaced by an identical row naming `to`. found_with lists are rewritten with
 * merge_ids_rewrite. Active person flags whose kind `to` already has stay with `from`. When
 * `restricted`, the users named on `from` and not on `to` are named on `to` as well.
 * *moved gets the JSON text of the moved list (malloc'd; the caller frees it) and m->counts the
 * rows moved per table. Returns 0 or -1.
 */
int store_merge_move(struct store *st, int64_t from, int64_t to, bool restricted, char **moved,
		     struct merge_record *m);

/*
 * store_merge_restore - put back what store_merge_move recorded in `moved`: each listed row that
 * still points at `survivor` points at `merged` again (found_with with merge_ids_restore; the
 * access given is taken away). m->restored and m->left get the counts of rows put back and of
 * rows no longer on the survivor. Returns 0, STORE_CONFLICT when a row cannot be put back (a
 * person flag of the same kind is active on `merged` again), or -1 (also for a moved list this
 * file did not write).
 */
int store_merge_restore(struct store *st, const char *moved, int64_t survivor, int64_t merged,
			struct merge_record *m);

/*
 * store_merge_bump - bump person `id`'s version (updated by `by` at `now`). With version > 0 only
 * when that is its current version and it is not merged: STORE_CONFLICT otherwise.
 */
int store_merge_bump(struct store *st, int64_t id, int64_t version, int64_t by, int64_t now);

/* store_merge_set_into - set person `id`'s merged_into (0 clears it) and bump its version. */
int store_merge_set_into(struct store *st, int64_t id, int64_t into, int64_t by, int64_t now);

/*
 * store_merge_insert - record merge *m (survivor_id, merged_id, reason, merged_at) with the
 * moved list, made by user `by`. Sets m->id. Returns 0 or -1.
 */
int store_merge_insert(struct store *st, struct merge_record *m, const char *moved, int64_t by);

/*
 * store_merge_get - merge `id` into *m (counts from its moved list). With moved non-NULL, *moved
 * gets the moved list's text (malloc'd; the caller frees it). Returns 0, STORE_NOTFOUND or -1.
 */
int store_merge_get(struct store *st, int64_t id, struct merge_record *m, char **moved);

/*
 * store_merge_set_undone - mark merge `id` undone by `by` at `now`, when it is still in force:
 * STORE_CONFLICT when it was already undone. Returns 0, STORE_CONFLICT or -1.
 */
int store_merge_set_undone(struct store *st, int64_t id, int64_t by, int64_t now);

/*
 * store_merge_list - call fn(ctx, m) for the merges concerning person `person_id` (as
 * merge_list in merge.h says), newest first, at most `max`. Stops when fn returns non-zero.
 * Returns 0 or -1.
 */
int store_merge_list(struct store *st, int64_t person_id, int max,
		     int (*fn)(void *ctx, const struct merge_record *m), void *ctx);

#endif
