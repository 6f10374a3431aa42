/*
 * meeting.c - the rules of meetings and actions. See meeting.h.
 * Owns: who may record a meeting on which case, the PTAC clocks, the audit entries
 * meeting.create and action.update. A meeting for a person also stops their repeat-missing
 * intervention task (missing_meeting_held, missing.h). Must not touch: HTTP, jansson, SQL text.
 */
#include "meeting.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "missing.h"
#include "person.h"
#include "store.h"
#include "store_meeting.h"

bool meeting_action_overdue(const struct meeting_action *a, const char *today)
{
	return a->done_at == 0 && a->due_date[0] && strcmp(a->due_date, today) < 0;
}

enum meeting_status meeting_case_of(struct store *st, int64_t case_id, struct meeting_case *out)
{
	int rc = case_id > 0 ? store_meeting_case(st, case_id, out) : STORE_NOTFOUND;
	return rc == 0 ? MEETING_OK : rc == STORE_NOTFOUND ? MEETING_NO_CASE : MEETING_ERROR;
}

/* Whether `by` may reach person `person_id`: MEETING_OK, MEETING_NO_PERSON, MEETING_DENIED, MEETING_ERROR. */
static enum meeting_status person_reach(struct store *st, const struct user *by, int64_t person_id)
{
	bool restricted = false;
	int rc = person_id > 0 ? store_person_restricted(st, person_id, &restricted) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND)
		return MEETING_NO_PERSON;
	if (rc != 0)
		return MEETING_ERROR;
	return person_may_access(st, by, person_id, restricted) ? MEETING_OK : MEETING_DENIED;
}

/* Whether `by` may reach the person a stored meeting is about (one stored without a person, not
 * by this module, hides nobody). */
static enum meeting_status subject_reach(struct store *st, const struct user *by, int64_t person_id)
{
	enum meeting_status ms = person_reach(st, by, person_id);
	return ms == MEETING_NO_PERSON ? MEETING_OK : ms;
}

/* Writes on a case: open, and a practitioner's own team's (managers may write on any). */
static enum meeting_status case_writable(const struct user *by, const struct meeting_case *c)
{
	if (strcmp(by->role, "practitioner") == 0 && strcmp(by->team, c->team) != 0)
		return MEETING_NOT_TEAM;
	return c->open ? MEETING_OK : MEETING_CLOSED;
}

/*
 * A PTAC held on case c at held_at: it meets first_ptac and the running ptac_review, and the
 * next review falls due 6 weeks later. A meeting older than the running review's start changes
 * no clock (it was recorded late; the later PTAC already restarted the review).
 */
static int ptac_clocks(struct store *st, const struct meeting_case *c, int64_t held_at)
{
	int64_t started = 0;
	if (store_ptac_review_started(st, c->id, &started) != 0)
		return -1;
	if (started > held_at)
		return 0;
	if (clock_stop(st, "first_ptac", "case", c->id, held_at, NULL, NULL) != 0 ||
	    clock_stop(st, "ptac_review", "case", c->id, held_at, NULL, NULL) != 0)
		return -1;
	struct clock_subject subject = {
		.type = "case",
		.id = c->id,
		.case_id = c->id,
		.person_id = c->person_id,
		.team = c->team,
		.worker_id = c->worker_id,
	};
	return clock_start(st, "ptac_review", &subject, held_at, 0);
}

enum meeting_status meeting_create(struct store *st, const struct user *by, struct meeting *m)
{
	enum meeting_status ms;
	struct meeting_case c;
	memset(&c, 0, sizeof c);
	if (m->case_id > 0) {
		ms = meeting_case_of(st, m->case_id, &c);
		if (ms != MEETING_OK)
			return ms;
		if (m->person_id > 0 && m->person_id != c.person_id)
			return MEETING_MISMATCH;
		m->person_id = c.person_id;
	}
	ms = person_reach(st, by, m->person_id);
	if (ms != MEETING_OK)
		return ms;
	if (m->case_id > 0) {
		ms = case_writable(by, &c);
		if (ms != MEETING_OK)
			return ms;
		if (m->held_at < c.opened_at)
			return MEETING_BEFORE_CASE;
	}
	int64_t now = store_now();
	if (store_meeting_insert(st, m, by->id, now) != 0)
		return MEETING_ERROR;
	snprintf(m->created_by, sizeof m->created_by, "%s", by->username);
	snprintf(m->updated_by, sizeof m->updated_by, "%s", by->username);
	for (int i = 0; i < m->n_actions; i++)
		snprintf(m->actions[i].updated_by, sizeof m->actions[i].updated_by, "%s", by->username);
	if (m->case_id > 0 && strcmp(m->type, MEETING_PTAC) == 0 && ptac_clocks(st, &c, m->held_at) != 0)
		return MEETING_ERROR;
	/* Any meeting for the child (or on their case) is the repeat-missing intervention meeting. */
	if (missing_meeting_held(st, m->person_id, m->held_at) != 0)
		return MEETING_ERROR;
	char detail[160];
	snprintf(detail, sizeof detail, "type %s; case %" PRId64 "; person %" PRId64 "; %d attendees; %d actions",
		 m->type, m->case_id, m->person_id, m->n_attendees, m->n_actions);
	struct audit_entry e;
	audit_fill(&e, by, "meeting.create", "meeting", m->id, "ok", detail);
	return audit_record(st, &e) == 0 ? MEETING_OK : MEETING_ERROR;
}

enum meeting_status meeting_get(struct store *st, const struct user *by, int64_t id, struct meeting *m)
{
	int rc = id > 0 ? store_meeting_get(st, id, m) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND)
		return MEETING_NOT_FOUND;
	if (rc != 0)
		return MEETING_ERROR;
	enum meeting_status ms = subject_reach(st, by, m->person_id);
	if (ms != MEETING_OK)
		memset(m, 0, sizeof *m);
	return ms;
}

enum meeting_status meeting_list(struct store *st, int64_t case_id, int64_t person_id, int max,
				 int (*fn)(void *ctx, const struct meeting *m), void *ctx)
{
	int64_t *ids = NULL;
	int n = 0;
	enum meeting_status ms = MEETING_OK;
	struct meeting *m = calloc(1, sizeof *m);
	if (!m || store_meeting_ids(st, case_id, person_id, max, &ids, &n) != 0) {
		ms = MEETING_ERROR;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (store_meeting_get(st, ids[i], m) != 0) {
			ms = MEETING_ERROR;
			goto out;
		}
		if (fn(ctx, m) != 0)
			break;
	}
out:
	free(ids);
	free(m);
	return ms;
}

enum meeting_status meeting_action_set_done(struct store *st, const struct user *by, int64_t meeting_id,
					    int64_t action_id, int64_t version, bool done, struct meeting_action *out)
{
	int rc = meeting_id > 0 && action_id > 0 ? store_action_get(st, meeting_id, action_id, out) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND)
		return MEETING_NOT_FOUND;
	if (rc != 0)
		return MEETING_ERROR;
	/* The person and case come from the meeting. */
	int64_t case_id = 0, person_id = 0;
	rc = store_meeting_subject(st, meeting_id, &case_id, &person_id);
	if (rc != 0)
		return rc == STORE_NOTFOUND ? MEETING_NOT_FOUND : MEETING_ERROR;
	enum meeting_status ms = subject_reach(st, by, person_id);
	struct meeting_case c;
	if (ms == MEETING_OK && case_id > 0) {
		ms = meeting_case_of(st, case_id, &c);
		if (ms == MEETING_OK)
			ms = case_writable(by, &c);
		else if (ms == MEETING_NO_CASE)
			ms = MEETING_ERROR;
	}
	if (ms != MEETING_OK)
		return ms;
	if (out->version != version)
		return MEETING_STALE;
	int64_t now = store_now();
	int64_t done_at = done ? (out->done_at ? out->done_at : now) : 0;
	rc = store_action_set_done(st, out, done_at, by->id, now);
	if (rc == STORE_CONFLICT)
		return MEETING_STALE;
	if (rc != 0)
		return MEETING_ERROR;
	out->done_at = done_at;
	out->version++;
	out->updated_at = now;
	snprintf(out->updated_by, sizeof out->updated_by, "%s", by->username);
	char detail[96];
	snprintf(detail, sizeof detail, "meeting %" PRId64 "; %s", meeting_id, done ? "done" : "not done");
	struct audit_entry e;
	audit_fill(&e, by, "action.update", "action", action_id, "ok", detail);
	return audit_record(st, &e) == 0 ? MEETING_OK : MEETING_ERROR;
}
