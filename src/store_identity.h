/*
 * store_identity.h - the SQL behind identity resolution (identity.c): candidate retrieval from
 * the person index by blocking rule, the fields a candidate is scored on, and the review queue
 * (match_reviews).
 * Every blocking look-up leaves out merged persons (persons.merged_into set); none filters
 * restricted persons (an import must still find a restricted child; callers that show
 * candidates filter them).
 * Owns: these statements. Must not touch: HTTP, the matching model, other slices' tables except
 * to read persons and person_names.
 */
#ifndef SAFEHUB_STORE_IDENTITY_H
#define SAFEHUB_STORE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "identity.h"
#include "identity_review.h"
#include "identity_search.h"

struct store;

/* Called with each person id a blocking look-up finds; a non-zero return ends the look-up early
 * (the look-up still returns 0: the ids given so far stand). */
typedef int (*store_identity_id_fn)(void *ctx, int64_t person_id);

/*
 * The blocking look-ups. Each calls fn for up to `limit` persons that are not merged (but see
 * by_names) and returns 0, or -1 on a store error. Arguments are already normalised by the caller:
 *  - by_nhs: persons.nhs_number = nhs (10 digits).
 *  - by_dob: persons.dob = dob (YYYY-MM-DD).
 *  - by_family_year: persons whose name index holds the folded word `family` (every word of it,
 *    as whole words) and whose dob starts with `year` (4 digits).
 *  - by_postcode_initial: persons.postcode = postcode (normalised "SK1 1AA") whose given name
 *    starts with the letter `initial` (ASCII, either case).
 *  - by_names: persons whose name index holds every one of the folded words (`n` of them, each
 *    a whole word), best (FTS5 rank) first; then, for each word held by at most `limit` persons,
 *    every holder (a word held by more is too common to block on by itself). Up to `limit` from
 *    the first step and `limit` per word after it. The second step's holders may include merged
 *    persons (the matcher reads every candidate and skips merged ones). `crowded` (NULL: none)
 *    has one flag per word: a word flagged true is taken as held by more than `limit` without
 *    counting, and the second step sets the flag of each word it finds so.
 */
int store_identity_by_nhs(struct store *st, const char *nhs, int limit, store_identity_id_fn fn, void *ctx);
int store_identity_by_dob(struct store *st, const char *dob, int limit, store_identity_id_fn fn, void *ctx);
int store_identity_by_family_year(struct store *st, const char *family, const char *year, int limit,
				  store_identity_id_fn fn, void *ctx);
int store_identity_by_postcode_initial(struct store *st, const char *postcode, char initial, int limit,
				       store_identity_id_fn fn, void *ctx);
int store_identity_by_names(struct store *st, const char *const *words, int n, int limit, bool *crowded,
			    store_identity_id_fn fn, void *ctx);

/*
 * store_identity_names_optimize - merge the name index's segments into one (FTS5 'optimize'). A
 * hub's index grows a segment at a time, one person after another, and each word of a search is
 * looked up in every segment: after the merge a search of several words costs a third to a half
 * (docs/benchmarks.md). Rewrites the index (~15 MB for 300,000 persons, a fraction of a second):
 * for the start of a run of many searches (a large import). 0 or -1.
 */
int store_identity_names_optimize(struct store *st);

/*
 * store_identity_person - load person `id` into *out; with `address` false the address and
 * locality are left "" (they are read from the addresses JSON, most of the cost of a read, and
 * a record without either cannot be compared on them). 0, STORE_NOTFOUND or -1.
 */
int store_identity_person(struct store *st, int64_t id, bool address, struct identity_person *out);

/* ---- the review queue ---- */

/*
 * store_match_review_insert - add a pending review of row `row_number` (kind, row_json as
 * given) with candidates r (written as the candidates JSON). *id gets its id. 0 or -1.
 */
int store_match_review_insert(struct store *st, int64_t import_id, const char *kind, int row_number,
			      const char *row_json, const struct identity_result *r, int64_t now, int64_t *id);

/* store_match_review_get - review `id` into *out (texts owned by *out): 0, STORE_NOTFOUND or -1. */
int store_match_review_get(struct store *st, int64_t id, struct identity_review *out);

/*
 * store_match_review_list - the reviews with this status ("" for every status), oldest first,
 * `limit` from `offset`, each passed to fn (which must not keep the texts); *total gets how many
 * there are with that status. 0 or -1 (fn's non-zero return stops and is returned).
 */
int store_match_review_list(struct store *st, const char *status, int limit, int offset,
			    int (*fn)(void *ctx, const struct identity_review *r), void *ctx, int64_t *total);

/*
 * store_match_review_decide - set the decision (status, person_id 0 for none, decided_at/by)
 * of review `id` when it is still at `version` and pending; bumps the version. 0, or
 * STORE_CONFLICT when it was not (nothing changed), -1 on a store error.
 */
int store_match_review_decide(struct store *st, int64_t id, int64_t version, const char *status, int64_t person_id,
			      int64_t by, int64_t now);

#endif
