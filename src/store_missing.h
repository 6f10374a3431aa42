/*
 * store_missing.h - the SQL side of the Missing From Home hub (sql/004_missing.sql): episodes,
 * gradings, return home interviews, notifications, person flags, and the few facts about the
 * `rhi` and `repeat_missing_meeting` clocks that missing.c needs beyond clock.h.
 * Follows store.h's return convention: 0, STORE_NOTFOUND, STORE_CONFLICT, -1.
 * Owns: the statements over those tables. Must not touch: HTTP, the hub's rules (missing.c).
 */
#ifndef SAFEHUB_STORE_MISSING_H
#define SAFEHUB_STORE_MISSING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct missing_episode;
struct missing_grading;
struct missing_rhi;
struct missing_notification;
struct missing_person;
struct missing_query;

/*
 * A batch of new episodes held in memory and written together (an import: missing.c's batch).
 * Each episode gets its id when it is added (one more than the highest there was, ascending),
 * so its gradings, clock and notifications can name it before it is written;
 * store_missing_pending_flush then writes everything with one INSERT ... SELECT a table
 * (store_rows), instead of a statement a row. Nothing reads the held rows back: the caller
 * flushes before anything that reads episodes, and within the write transaction that read
 * the first id (no other connection can insert meanwhile).
 */
struct store_missing_pending;
struct clock;

/* store_missing_pending_new - an empty batch whose first id follows the highest episode id. *out is
 * malloc'd (store_missing_pending_free). 0 or -1. */
int store_missing_pending_new(struct store *st, struct store_missing_pending **out);

/*
 * store_missing_pending_episode - hold *e as store_missing_insert would insert it (created and
 * updated by `by` at `now`, version 1); sets e->id, version, created_at and updated_at.
 * The episode's texts are copied. 0, or -1 when memory ran out.
 */
int store_missing_pending_episode(struct store_missing_pending *p, struct missing_episode *e, int64_t by,
				  int64_t now);

/* store_missing_pending_grading - hold grading *g of held episode `id` (as
 * store_missing_grading_insert; g->id is not set). 0 or -1. */
int store_missing_pending_grading(struct store_missing_pending *p, int64_t id, const struct missing_grading *g,
				  int64_t by, int64_t now);

/* store_missing_pending_notification - hold *n (as store_missing_notification_insert; n->id is
 * not set). 0 or -1. */
int store_missing_pending_notification(struct store_missing_pending *p, const struct missing_notification *n);

/* store_missing_pending_clock - hold running clock *c (as store_clock_insert). 0 or -1. */
int store_missing_pending_clock(struct store_missing_pending *p, const struct clock *c);

/* store_missing_pending_count - the episodes held, not yet written. */
size_t store_missing_pending_count(const struct store_missing_pending *p);

/*
 * store_missing_pending_flush - write what p holds: the episodes, then their gradings, clocks
 * and notifications, each table with one statement; then p is empty (its next id goes on).
 * 0, STORE_CONFLICT (a constraint refused a row), -1; after a failure the caller rolls back.
 */
int store_missing_pending_flush(struct store *st, struct store_missing_pending *p);

/* store_missing_pending_free - free p (NULL is ignored); what it holds is dropped. */
void store_missing_pending_free(struct store_missing_pending *p);

/*
 * store_missing_insert - insert *e (computed fields as set by missing.c; grade_rank from
 * e->grade_latest) created and updated by `by` at `now`, version 1. Sets e->id, version,
 * created_at and updated_at. STORE_CONFLICT when (police_force, police_ref) is taken. 0, 2, -1.
 */
int store_missing_insert(struct store *st, struct missing_episode *e, int64_t by, int64_t now);

/* store_missing_get - episode `id` into *e (input-only members cleared). 0, STORE_NOTFOUND, -1. */
int store_missing_get(struct store *st, int64_t id, struct missing_episode *e);

/*
 * store_missing_update - replace every stored column of episode e->id from *e when its version
 * is e->version, bumping the version and recording `by` at `now`. STORE_CONFLICT when the version
 * is not current or the police reference is taken. 0, 2, -1.
 */
int store_missing_update(struct store *st, const struct missing_episode *e, int64_t by, int64_t now);

/*
 * store_missing_grades_set - set grade_latest, grade_highest and grade_rank (from latest) of
 * episode `id` and its updated_at/updated_by, without a version change. 0 or -1.
 */
int store_missing_grades_set(struct store *st, int64_t id, const char *latest, const char *highest, int64_t by,
			     int64_t now);

/* store_missing_find_ref - the episode with (force, ref) into *id. 0, STORE_NOTFOUND, -1. */
int store_missing_find_ref(struct store *st, const char *force, const char *ref, int64_t *id);

/*
 * store_missing_ids - the ids of the episodes matching q, newest start first (limit/offset), and
 * the full count into *total. *ids is calloc'd (the caller frees it, also when *n is 0). 0 or -1.
 */
int store_missing_ids(struct store *st, const struct missing_query *q, int64_t **ids, int *n, int64_t *total);

/*
 * store_missing_starts - the start times of person `person_id`'s episodes with from <= start
 * <= to, ascending. *starts is calloc'd (the caller frees it). 0 or -1.
 */
int store_missing_starts(struct store *st, int64_t person_id, int64_t from, int64_t to, int64_t **starts, int *n);

/* One episode of a person as the deferred repeat check reads it (store_missing_person_starts). */
struct store_missing_start {
	int64_t id;          /* missing_episodes.id */
	int64_t started_at;  /* UTC seconds */
};

/*
 * store_missing_person_starts - every episode of person `person_id`, by id, into *out (malloc'd,
 * the caller frees it; NULL when there are none), *n how many. 0 or -1.
 */
int store_missing_person_starts(struct store *st, int64_t person_id, struct store_missing_start **out, int *n);

/*
 * store_missing_starts_all - every person's episodes, one walk of the index missing_person:
 * fn(ctx, person_id, e, n) once per person with an episode, persons ascending, e[0..n) by id (e
 * is the walk's own buffer, valid during the call). fn must not write missing_episodes. A
 * non-zero return from fn stops the walk and is returned. 0 or -1.
 */
int store_missing_starts_all(struct store *st,
			     int (*fn)(void *ctx, int64_t person_id, const struct store_missing_start *e, int n),
			     void *ctx);

/* store_missing_max_id - the largest missing_episodes.id (0 when there are none). 0 or -1. */
int store_missing_max_id(struct store *st, int64_t *out);

/* store_missing_team - the team of episode `id` into team[cap]. 0, STORE_NOTFOUND, -1. */
int store_missing_team(struct store *st, int64_t id, char *team, size_t cap);

/* store_missing_count - how many of the person's episodes start in [from, to]. 0 or -1. */
int store_missing_count(struct store *st, int64_t person_id, int64_t from, int64_t to, int *n);

/* store_missing_open_of - the latest-starting episode of the person with no end (0 when none). 0 or -1. */
int store_missing_open_of(struct store *st, int64_t person_id, int64_t *id);

/* store_missing_person - the person facts of `id`. 0, STORE_NOTFOUND, -1. */
int store_missing_person(struct store *st, int64_t id, struct missing_person *out);

/* store_missing_grading_insert - add *g to episode `id` (sets g->id). 0 or -1. */
int store_missing_grading_insert(struct store *st, int64_t id, struct missing_grading *g, int64_t by, int64_t now);

/* store_missing_grading_exists - whether episode `id` has a grading of `grade` at graded_at. 0 or -1. */
int store_missing_grading_exists(struct store *st, int64_t id, int64_t graded_at, const char *grade, bool *exists);

/* store_missing_gradings - episode `id`'s gradings, oldest graded first (ties by id), at most max. 0 or -1. */
int store_missing_gradings(struct store *st, int64_t id, struct missing_grading *out, int max, int *n);

/* store_missing_rhi_get - episode `id`'s RHI into *r. 0, STORE_NOTFOUND (r cleared to "not recorded"), -1. */
int store_missing_rhi_get(struct store *st, int64_t id, struct missing_rhi *r);

/* store_missing_rhi_insert - store *r as episode `id`'s RHI, version 1 (sets r->version). 0, 2 (exists), -1. */
int store_missing_rhi_insert(struct store *st, int64_t id, struct missing_rhi *r, int64_t by, int64_t now);

/* store_missing_rhi_update - replace episode `id`'s RHI when its version is r->version (bumps it). 0, 2, -1. */
int store_missing_rhi_update(struct store *st, int64_t id, struct missing_rhi *r, int64_t by, int64_t now);

/* store_missing_notification_insert - insert *n (sets n->id, version 1). 0 or -1. */
int store_missing_notification_insert(struct store *st, struct missing_notification *n);

/* store_missing_notification_has - whether episode `id` has a notification for `reason`: 0 yes, STORE_NOTFOUND no, -1. */
int store_missing_notification_has(struct store *st, int64_t id, const char *reason);

/*
 * store_missing_notifications - episode_id > 0: that episode's notifications; else all (open_only:
 * not acknowledged), oldest first, at most max, each with its episode's person_id. 0 or -1.
 */
int store_missing_notifications(struct store *st, int64_t episode_id, bool open_only, struct missing_notification *out,
				int max, int *n);

/* store_missing_notification_get - notification `id` into *out. 0, STORE_NOTFOUND, -1. */
int store_missing_notification_get(struct store *st, int64_t id, struct missing_notification *out);

/*
 * store_missing_notification_ack - set acknowledged_at/by of notification `id` when its version
 * is `version` and it is not acknowledged, bumping the version; recorded_by `by`. 0, 2, -1.
 */
int store_missing_notification_ack(struct store *st, int64_t id, int64_t version, int64_t at, const char *ack_by,
				   int64_t by);

/* store_person_flag_active - the set_at of person's active `kind` flag. 0, STORE_NOTFOUND, -1. */
int store_person_flag_active(struct store *st, int64_t person_id, const char *kind, int64_t *set_at);

/* store_person_flag_insert - set an active `kind` flag on the person. 0, 2 (one is active), -1. */
int store_person_flag_insert(struct store *st, int64_t person_id, const char *kind, const char *note, int64_t at,
			     int64_t by);

/* store_missing_rhi_clock - the latest rhi clock of episode `id` that is not cancelled. 0, STORE_NOTFOUND, -1. */
int store_missing_rhi_clock(struct store *st, int64_t id, int64_t *clock_id);

/*
 * store_missing_rhi_clock_set - move clock `clock_id` to start `start`, due `due`, team and
 * person; stop_at > 0 stops it there (met when stop_at <= due, else breached); stop_at 0 leaves it
 * (or makes it) running. 0 or -1.
 */
int store_missing_rhi_clock_set(struct store *st, int64_t clock_id, int64_t start, int64_t due, int64_t stop_at,
				const char *team, int64_t person_id);

/* store_missing_rhi_clock_cancel - cancel episode `id`'s running rhi clocks at `at`. 0 or -1. */
int store_missing_rhi_clock_cancel(struct store *st, int64_t id, int64_t at);

/*
 * store_missing_clock_started - the latest started_at of the running `standard` clocks of
 * (subject_type, subject_id) into *started (0 when none runs). 0 or -1.
 */
int store_missing_clock_started(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
				int64_t *started);

#endif
