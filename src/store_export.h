/*
 * store_export.h - SQL for the missing exports (export.h builds the CSV): the SSDA903 rows and
 * the Annex A rows for a span of start times, with restricted persons the viewer is not named
 * on left out and counted.
 * Owns: these two reads. Must not touch: the CSV text (export.c), HTTP, any write.
 */
#ifndef SAFEHUB_STORE_EXPORT_H
#define SAFEHUB_STORE_EXPORT_H

#include <stdint.h>

#include "export.h"

struct store;

/*
 * store_export_ssda903 - call fn(ctx, row) for every episode of a looked-after child
 * (missing_episodes.looked_after = 1) starting in [lo, hi) (UTC), ordered by CHILD (the LA id,
 * or P<id>; byte order), then start, then episode id. Episodes of restricted persons that
 * viewer_id is not named on are not passed to fn: *withheld (may be NULL) gets how many.
 * Stops when fn returns non-zero and returns that value; otherwise 0, or -1 on a store error.
 */
int store_export_ssda903(struct store *st, int64_t viewer_id, int64_t lo, int64_t hi,
			 int (*fn)(void *ctx, const struct export_ssda903_row *row), void *ctx, long *withheld);

/*
 * store_export_annex_a - call fn(ctx, row) for every person with an episode while looked after
 * starting in [lo, hi), ordered by child id (then person id): the counts of those episodes by
 * category, the highest grading among them (grade_highest), and their latest one (by start,
 * then id) with the RHI recorded after it. Restricted persons the viewer is not named on are
 * left out and counted in *withheld (may be NULL). Returns as store_export_ssda903.
 */
int store_export_annex_a(struct store *st, int64_t viewer_id, int64_t lo, int64_t hi,
			 int (*fn)(void *ctx, const struct export_annex_a_row *row), void *ctx, long *withheld);

#endif
