/*
 * store_referral.h - the SQL of referrals (store_referral.c), for referral.c only.
 * Return convention of store.h: 0 success, STORE_NOTFOUND, STORE_CONFLICT, -1 a database error.
 * Owns: nothing but these declarations. Must not touch: the rules of referrals (referral.c).
 */
#ifndef SAFEHUB_STORE_REFERRAL_H
#define SAFEHUB_STORE_REFERRAL_H

#include <stdint.h>

struct store;
struct referral;
struct referral_filter;

/*
 * store_referral_insert - insert r's stored columns (subject, received_at, codes, texts, strands
 * as a JSON array, status, team, created/updated at and by, version) and set r->id.
 */
int store_referral_insert(struct store *st, struct referral *r);

/*
 * store_referral_get - load referral `id` into *r (cleared first), with the usernames of its
 * creator, updater and decider, its person's names and date of birth, and the due time and status
 * of its latest referral_decision clock. STORE_NOTFOUND when there is none.
 */
int store_referral_get(struct store *st, int64_t id, struct referral *r);

/*
 * store_referral_decide - write r's decision (outcome, rationale, decided_at, decided_by_id,
 * case_id, status "decided", updated_at/by, version) to referral r->id if it is still
 * awaiting a decision at version `expected_version`. STORE_CONFLICT when it is not (no change).
 */
int store_referral_decide(struct store *st, const struct referral *r, int64_t expected_version);

/*
 * store_referral_list - call fn(ctx, r) for each referral matching f (see referral_list), oldest
 * first; r is a scratch record valid only during the call. *total gets the count of all matches.
 * Stops with -1 when fn returns non-zero. 0 or -1.
 */
int store_referral_list(struct store *st, const struct referral_filter *f,
			int (*fn)(void *ctx, const struct referral *r), void *ctx, int64_t *total);

#endif
