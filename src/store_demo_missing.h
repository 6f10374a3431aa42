/*
 * store_demo_missing.h - the SQL `safehub demo` writes its missing-from-home records with
 * (demo_missing.c): the population it draws from, and one plain INSERT per row of
 * missing_episodes, missing_gradings, return_interviews, missing_notifications, clocks and
 * person_flags, with every column given by the caller (the denormalised ones included).
 * Owns: these statements only. Must not touch: the rules of the hub (what the rows say is the
 * caller's business: nothing here checks, derives or audits), any other table.
 */
#ifndef SAFEHUB_STORE_DEMO_MISSING_H
#define SAFEHUB_STORE_DEMO_MISSING_H

#include <stdbool.h>
#include <stdint.h>

struct store;

/* A person of the population as the missing demo needs it. */
struct store_dm_person {
	int64_t id;            /* persons.id */
	char dob[11];          /* "YYYY-MM-DD", "" when unknown */
	int64_t created_at;    /* when the record was made */
	bool restricted;       /* a restricted record */
};

/*
 * store_dm_persons - call fn(ctx, p) for every person not merged into another and without
 * missing episodes (a demo run over a hub that has some leaves those persons alone), in id order,
 * stopping early (and returning that value) when fn returns non-zero. Returns 0, -1 on a store
 * error.
 */
int store_dm_persons(struct store *st, int (*fn)(void *ctx, const struct store_dm_person *p), void *ctx);

/* store_dm_max_episode_id - the largest missing_episodes.id (0 when none) into *out. 0 or -1. */
int store_dm_max_episode_id(struct store *st, int64_t *out);

/* One missing_episodes row (strings are NUL-terminated; "" where the column's default is ""). */
struct store_dm_episode {
	int64_t person_id, started_at, reported_at, ended_at; /* ended_at 0: still missing (NULL) */
	const char *missing_from, *category, *police_force;
	const char *police_ref;                                /* NULL: none */
	bool looked_after;
	const char *placement_type, *placement_provider, *placing_authority, *host_authority;
	const char *out_of_area, *rhi_by, *team, *locality, *found_where, *notes;
	const char *grade_latest, *grade_highest;              /* NULL: not graded */
	int grade_rank;
	int64_t rhi_due_at;                                    /* 0: NULL */
	int64_t created_at, created_by, updated_at, updated_by, version;
};

/* store_dm_episode_insert - insert e; *id gets the new episode's id. 0 or -1. */
int store_dm_episode_insert(struct store *st, const struct store_dm_episode *e, int64_t *id);

/* store_dm_grading_insert - one missing_gradings row. 0 or -1. */
int store_dm_grading_insert(struct store *st, int64_t episode_id, const char *grade, int64_t graded_at,
			    const char *graded_by, const char *note, int64_t created_at, int64_t created_by);

/* One return_interviews row: times 0 are NULL, independent/exploitation -1 are NULL. */
struct store_dm_rhi {
	int64_t episode_id, offered_at;
	const char *offered_by, *offered_org;
	int independent;                 /* 1, 0, or -1 (not recorded) */
	const char *response;            /* "accepted", "declined" or NULL */
	int64_t responded_at;
	const char *declined_reason;
	int64_t completed_at;
	const char *push_factors, *pull_factors, *stayed_where, *stayed_with;
	int exploitation_disclosed;      /* 1, 0, or -1 (not recorded) */
	const char *follow_up;
	int64_t created_at, created_by, updated_at, updated_by, version;
};

/* store_dm_rhi_insert - one return_interviews row. 0 or -1. */
int store_dm_rhi_insert(struct store *st, const struct store_dm_rhi *r);

/*
 * store_dm_notification_insert - one missing_notifications row (acknowledged_at 0: NULL;
 * version 2 when acknowledged, else 1). 0 or -1.
 */
int store_dm_notification_insert(struct store *st, int64_t episode_id, const char *to_authority, const char *reason,
				 const char *rhi_by, int64_t created_at, int64_t acknowledged_at,
				 const char *acknowledged_by, int64_t recorded_by);

/*
 * store_dm_clock_insert - one clocks row with no case and no worker: status "running"
 * (stopped_at 0 is NULL), "met" or "breached". 0 or -1.
 */
int store_dm_clock_insert(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
			  int64_t person_id, const char *team, int64_t started_at, int64_t due_at, int64_t stopped_at,
			  const char *status);

/* store_dm_flag_insert - one active person_flags row. 0, STORE_CONFLICT when one is active already, -1. */
int store_dm_flag_insert(struct store *st, int64_t person_id, const char *kind, const char *note, int64_t set_at,
			 int64_t created_by);

#endif
