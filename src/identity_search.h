/*
 * identity_search.h - the ranking behind identity_resolve (identity.h) exposed for the callers
 * that show candidates to a user (intake search, the review queue): more than
 * IDENTITY_CANDIDATES_MAX candidates, a probability floor, and a filter so that persons the
 * user may not see are left out before the list is cut, not after.
 * Owns: the person fields a candidate is scored on and shown with. Must not touch: HTTP, SQL.
 */
#ifndef SAFEHUB_IDENTITY_SEARCH_H
#define SAFEHUB_IDENTITY_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "identity.h"
#include "match.h"

struct store;

#define IDENTITY_ALIASES_MAX 6       /* aliases a candidate is also scored under */
#define IDENTITY_SEARCH_MAX 50       /* candidates identity_search returns at most */
#define IDENTITY_BLOCK_LIMIT 400     /* persons one blocking rule may bring */

/* A person as the matcher sees it. Strings are "" when not recorded. */
struct identity_person {
	int64_t id;
	int64_t merged_into;        /* 0 unless merged (then never a candidate) */
	bool restricted;
	char given_name[401];
	char family_name[401];
	char aliases[IDENTITY_ALIASES_MAX][801]; /* the first aliases as written ("Kay", "Kayley Smith") */
	int n_aliases;
	char dob[11];               /* YYYY-MM-DD */
	char sex[8];
	char postcode[9];           /* normalised, of the current address */
	char address[1202];         /* the current address's line1 and line2, joined by ", " */
	char locality[401];         /* the current address's town */
	char nhs_number[11];
	char upn[14];
	char police_ref[201];
	char la_id[201];
};

/* One ranked candidate with the person it is. */
struct identity_match {
	struct identity_candidate c;   /* person_id, probability, why */
	struct identity_person p;
};

/* Decides whether a candidate may be kept (e.g. the user may see it): true keeps it. */
typedef bool (*identity_keep_fn)(void *ctx, const struct identity_person *p);

/*
 * identity_search - the candidates for record `in`: every person found by the blocking rules
 * (NHS number exact; date of birth exact, and with day and month swapped; folded family name
 * with the year of birth; postcode with the given name's initial; every name word together in
 * the name index, and each name word that at most IDENTITY_BLOCK_LIMIT persons hold), merged
 * persons left out, each scored with match_score(match_model_default(), ...)
 * under its own names and each of its aliases and (when `in` has other_id) each of its
 * identifiers, keeping the best. Candidates below min_probability or refused by keep (NULL
 * keeps all) are dropped; the best `cap` (at most IDENTITY_SEARCH_MAX) are written to out, best
 * first, ties by person id. *n gets how many. Returns 0, or -1 on a store error.
 */
int identity_search(struct store *st, const struct match_input *in, double min_probability, identity_keep_fn keep,
		    void *ctx, struct identity_match *out, int cap, int *n);

/*
 * identity_thresholds - match.link_threshold into *link and match.review_threshold into *review
 * (settings_match_thresholds). Returns 0, or -1 when they cannot be read.
 */
int identity_thresholds(struct store *st, double *link, double *review);

/* identity_person_get - load person `id` as the matcher sees it: 0, 1 (no such person) or -1. */
int identity_person_get(struct store *st, int64_t id, struct identity_person *out);

#endif
