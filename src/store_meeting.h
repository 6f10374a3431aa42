/*
 * store_meeting.h - the SQL side of meetings and actions (meetings and actions tables of
 * sql/002_casework.sql), and the few facts about a case and its clocks that meeting.c needs.
 * Follows store.h's return convention: 0, STORE_NOTFOUND, STORE_CONFLICT, -1.
 * Owns: the statements over meetings and actions. Must not touch: HTTP, the meeting's rules.
 */
#ifndef SAFEHUB_STORE_MEETING_H
#define SAFEHUB_STORE_MEETING_H

#include <stdint.h>

struct store;
struct meeting;
struct meeting_action;
struct meeting_case;

/* store_meeting_case - the case `case_id`'s person, status, team, worker and opening time. */
int store_meeting_case(struct store *st, int64_t case_id, struct meeting_case *out);

/*
 * store_meeting_insert - insert *m (attendees as a JSON array) and its actions, created and
 * updated by user `by` at `now`, version 1. Sets m->id, m->version, the actions' ids, versions,
 * meeting and case ids and updated_at. Returns 0 or -1.
 */
int store_meeting_insert(struct store *st, struct meeting *m, int64_t by, int64_t now);

/* store_meeting_get - meeting `id` with its attendees and actions (in id order) into *m. */
int store_meeting_get(struct store *st, int64_t id, struct meeting *m);

/*
 * store_meeting_ids - the ids of the meetings about a case (case_id > 0), a person
 * (person_id > 0: its own meetings and those on its cases), or both, newest held first, at
 * most `max`. *ids is calloc'd (the caller frees it, also when *n is 0). Returns 0 or -1.
 */
int store_meeting_ids(struct store *st, int64_t case_id, int64_t person_id, int max, int64_t **ids, int *n);

/* store_meeting_subject - the case (0 when none) and person (0 when none) meeting `id` is about. */
int store_meeting_subject(struct store *st, int64_t id, int64_t *case_id, int64_t *person_id);

/* store_action_get - action `action_id` of meeting `meeting_id` into *a (STORE_NOTFOUND otherwise). */
int store_action_get(struct store *st, int64_t meeting_id, int64_t action_id, struct meeting_action *a);

/*
 * store_action_set_done - set done_at (0 clears it) of action a->id when its version is
 * a->version, bumping the version and recording `by` at `now`. STORE_CONFLICT when the version
 * is not current. Returns 0, STORE_CONFLICT or -1.
 */
int store_action_set_done(struct store *st, const struct meeting_action *a, int64_t done_at, int64_t by,
			  int64_t now);

/*
 * store_ptac_review_started - the latest started_at of the case's running ptac_review clocks
 * into *started (0 when none runs). Returns 0 or -1.
 */
int store_ptac_review_started(struct store *st, int64_t case_id, int64_t *started);

#endif
