/*
 * store_mfh.h - the reads behind the MFH dashboard and the lists behind its numbers: walks over
 * the tables of sql/004_missing.sql (missing_episodes with its denormalised latest grading,
 * rhi_due_at and - sql/006 - the copy of its RHI's facts; return_interviews,
 * missing_notifications, person_flags) and persons, within a scope: the dashboard's filters and the user, whose restricted persons (those with named users
 * in person_access that do not name this user) are left out of every walk.
 *
 * Every walk calls fn(ctx, row) for each row; fn returning non-zero stops the walk. A row, and
 * every `const char *` in it, lives only during that call (the texts point into SQLite's row
 * buffers): copy what you keep. fn must not use the store (a walk may have two statements
 * stepping). Texts are never NULL. Each walk applies the whole filter: team, locality and looked
 * after in SQL, sex and age band (mfh_filter_person) where the person is read. Returns 0, or -1
 * on a store error (or when out of memory).
 * Owns: these statements. Must not touch: HTTP, jansson, the dashboard's rules (mfh.h), writes.
 */
#ifndef SAFEHUB_STORE_MFH_H
#define SAFEHUB_STORE_MFH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mfh.h"

struct store;

/* Whose view a walk is for. */
struct mfh_scope {
	const struct mfh_filter *filter;  /* never NULL */
	int64_t user_id;                  /* restricted persons are shown only when this user is named on them */
};

/* A walk's callback: see the header comment. */
typedef int (*mfh_episode_fn)(void *ctx, const struct mfh_episode *e);

/*
 * store_mfh_scan - the episodes in scope that started in [from, to), with their RHI, in no
 * promised order. A scan row carries only what the statistics and the RHI status need: id,
 * person_id, started_at, ended_at, rhi_by, the RHI (but its responded_at), and the person's dob
 * and sex when the filter needs them; its other texts are "" and rhi_due_at is 0 (mfh_rhi_due takes ended_at + 72 h).
 * Read an episode whole with store_mfh_episode. The walk costs the size of the window, not of
 * the years behind it: one range of the covering index missing_mfh (sql/006), with the RHI's
 * facts copied onto the episode.
 */
int store_mfh_scan(struct store *st, const struct mfh_scope *sc, int64_t from, int64_t to, mfh_episode_fn fn,
		   void *ctx);

/*
 * store_mfh_open - the episodes in scope still open (no ended_at), with person and RHI: high risk
 * first (the latest grading's rank, descending), then the longest missing (started_at ascending),
 * then by id.
 */
int store_mfh_open(struct store *st, const struct mfh_scope *sc, mfh_episode_fn fn, void *ctx);

/* A notification to the other authority, with its episode as a scan row (see store_mfh_scan). */
struct mfh_notification {
	int64_t id, version;
	const char *to_authority, *reason, *rhi_by;
	int64_t created_at;
	struct mfh_episode episode;
};

/* store_mfh_notifications - the notifications not yet acknowledged of episodes in scope, oldest first (created_at, id). */
int store_mfh_notifications(struct store *st, const struct mfh_scope *sc,
			    int (*fn)(void *ctx, const struct mfh_notification *n), void *ctx);

/*
 * store_mfh_repeat_flags - every active repeat_missing person flag (removed_at NULL):
 * fn(ctx, person_id, set_at), in no promised order.
 */
int store_mfh_repeat_flags(struct store *st, int (*fn)(void *ctx, int64_t person_id, int64_t set_at), void *ctx);

/*
 * store_mfh_episode - episode `id` with its person and RHI: fn is called once, or not at all when
 * there is no such episode. No scope: the caller found the id through a scoped walk.
 */
int store_mfh_episode(struct store *st, int64_t id, mfh_episode_fn fn, void *ctx);

/*
 * store_mfh_generation - the dashboard data's generation (sql/006_mfh_generation.sql) into *gen,
 * as the current transaction sees it: it changes with every write that can change a dashboard
 * number. -1 on a store error.
 */
int store_mfh_generation(struct store *st, int64_t *gen);

/*
 * store_mfh_named - the ids of the persons whose access list names user `user_id`, ascending,
 * into *ids (allocated, free with free(); NULL when none) and *n: with the data fixed, they
 * decide which restricted persons the user may see. -1 on a store error or out of memory.
 */
int store_mfh_named(struct store *st, int64_t user_id, int64_t **ids, size_t *n);

/* ---- the window of recent episodes (src/mfh_window.c, sql/009_mfh_window.sql) ---- */

/* Where the data stands, as the current transaction sees it. */
struct mfh_window_state {
	int64_t generation;  /* mfh_generation.n: moves with every write the dashboard can show */
	int64_t flags;       /* moves with every change of person_flags */
	int64_t reload;      /* moves when an episode or person is deleted */
	int64_t max_id;      /* the largest episode id (0: none) */
};

/* store_mfh_window_state - *out as above. -1 on a store error. */
int store_mfh_window_state(struct store *st, struct mfh_window_state *out);

/* What store_mfh_window_rows reads. */
enum mfh_window_read {
	MFH_WINDOW_FROM,     /* every episode that started at or after arg */
	MFH_WINDOW_NEW,      /* every episode whose id is above arg and that started at or after from */
	MFH_WINDOW_CHANGED,  /* every episode changed after generation arg (its mfh_seq) */
};

/*
 * store_mfh_window_rows - episodes as `what` says, whoever may see them, with what the
 * statistics and every filter need: the scan's columns (store_mfh_scan) and looked_after, team,
 * locality and the person's dob and sex. Other texts are "". Returns 0, or -1 on a store error.
 */
int store_mfh_window_rows(struct store *st, enum mfh_window_read what, int64_t arg, int64_t from, mfh_episode_fn fn,
			  void *ctx);

/*
 * store_mfh_hidden - the persons hidden from user_id (an access list not naming them), ascending,
 * into a new array *ids (free it) of *n. -1 on a store error or out of memory.
 */
int store_mfh_hidden(struct store *st, int64_t user_id, int64_t **ids, size_t *n);

#endif
