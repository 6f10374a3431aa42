/*
 * identity.h - who an incoming record is about: the person index searched through the match
 * engine (match.h). Used by intake search (GET /api/v1/persons/matches) and by every import row
 * (issue 4's missing import and any later one): a sure match links to the person, an uncertain
 * one goes to the review queue (match_reviews) for a user to decide, no match means a new person.
 * The thresholds are the settings match.link_threshold and match.review_threshold.
 * Owns: candidate retrieval from the store (blocking), ranking, the review queue.
 * Must not touch: HTTP.
 */
#ifndef SAFEHUB_IDENTITY_H
#define SAFEHUB_IDENTITY_H

#include <stdint.h>

#include "match.h"

struct store;

enum identity_outcome {
	IDENTITY_LINKED = 0,   /* best candidate at or above match.link_threshold */
	IDENTITY_REVIEW = 1,   /* best candidate at or above match.review_threshold, below link */
	IDENTITY_NEW = 2,      /* no candidate at or above match.review_threshold */
};

#define IDENTITY_CANDIDATES_MAX 10
struct identity_candidate {
	int64_t person_id;
	double probability;
	struct match_explain why;
};

struct identity_result {
	enum identity_outcome outcome;
	int64_t person_id;     /* LINKED: the person; otherwise 0 */
	int n;                 /* candidates, best first */
	struct identity_candidate c[IDENTITY_CANDIDATES_MAX];
};

/*
 * identity_resolve - find the persons the record `in` may be (merged persons are never
 * candidates), best first, and decide the outcome against the configured thresholds. Persons the
 * caller may not see are still matched (an import must not duplicate a restricted child); callers
 * that show candidates filter them. Returns 0, or -1 on a store error.
 */
int identity_resolve(struct store *st, const struct match_input *in, struct identity_result *out);

/* identity_optimize - ready the store for many searches (a large import): merges the name
 * index's segments (store_identity_names_optimize). 0 or -1. */
int identity_optimize(struct store *st);

/*
 * An identity_cache keeps the persons with ids from min_id up as one run's searches read them
 * (an import's new persons: candidates of many of its later rows), so that each is read from the
 * store once. Only for a run in which those persons do not change (one import's transaction).
 * identity_cache_new returns NULL when out of memory; identity_cache_free takes NULL.
 */
struct identity_cache;
struct identity_cache *identity_cache_new(int64_t min_id);
void identity_cache_free(struct identity_cache *c);

/* identity_resolve_cached - identity_resolve, reading candidates through cache c (NULL: none). */
int identity_resolve_cached(struct store *st, struct identity_cache *c, const struct match_input *in,
			    struct identity_result *out);

/*
 * identity_queue_review - put an import row in the review queue with its candidates.
 * row_json is the row as a JSON object (column -> value). *id gets the review id. 0 or -1.
 */
int identity_queue_review(struct store *st, int64_t import_id, const char *kind, int row_number,
			  const char *row_json, const struct identity_result *r, int64_t by_user, int64_t *id);

#endif
