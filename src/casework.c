/*
 * casework.c - the rules of a case: opening it with its first allocation and clocks, the team
 * rule, the current risk level, and every change on a case with the practice-standard clocks it
 * starts or stops and the audit entry it leaves. Runs inside the caller's write transaction (the
 * dispatcher's, or referral.c's and assessment.c's). See casework.h.
 * Owns: those rules. Must not touch: HTTP, jansson, SQL text (store_case.c).
 */
#include "casework.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "clock.h"
#include "policy.h"
#include "store.h"
#include "store_case.h"

/* "17 years 6 months": the transition plan is due on the day a young person reaches it. */
#define TRANSITION_MONTHS 210

/* The months a flag's review date defaults to when the flag_review standard is switched off. */
#define FLAG_REVIEW_MONTHS 3

/* Record a change to case `case_id` in the audit trail of this transaction. */
static int audit_case(struct store *st, const struct user *by, const char *action, int64_t case_id,
		      const char *detail)
{
	struct audit_entry e;
	audit_fill(&e, by, action, "case", case_id, "ok", detail);
	return audit_record(st, &e);
}

/* The clock subject of case c itself. */
static struct clock_subject case_subject(const struct casework_case *c)
{
	struct clock_subject s = {
		.type = "case",
		.id = c->id,
		.case_id = c->id,
		.person_id = c->person_id,
		.team = c->team,
		.worker_id = c->worker_id,
	};
	return s;
}

/* 23:59:59 local on date `ymd` (YYYY-MM-DD), or 0 when it is not a date. */
static int64_t end_of_date(const char *ymd)
{
	struct valid_date d;
	if (!ymd || !valid_parse_date(ymd, &d))
		return 0;
	return calendar_end_of_day_utc(&d);
}

/*
 * The transition plan's due time for a person born on `dob` when a case opens at opened_at:
 * the end of the day they are 17 years 6 months old, or 0 when the date of birth is not known
 * or they are that age already.
 */
static int64_t transition_due(const char *dob, int64_t opened_at)
{
	struct valid_date born, due_day, opened;
	if (!dob[0] || !valid_parse_date(dob, &born) || !calendar_add_months(&born, TRANSITION_MONTHS, &due_day))
		return 0;
	calendar_local_date(opened_at, &opened);
	if (valid_days_from_civil(&opened) >= valid_days_from_civil(&due_day))
		return 0;
	return calendar_end_of_day_utc(&due_day);
}

int casework_open_case(struct store *st, const struct user *by, const struct casework_open *o, int64_t *case_id)
{
	*case_id = 0;
	struct casework_case *c = calloc(1, sizeof *c);
	if (!c)
		return -1;
	int rc = -1;
	c->person_id = o->person_id;
	c->referral_id = o->referral_id;
	snprintf(c->status, sizeof c->status, "open");
	snprintf(c->team, sizeof c->team, "%s", o->team);
	c->worker_id = o->worker_id;
	for (int i = 0; i < o->n_strands && i < CASE_STRANDS_MAX; i++)
		snprintf(c->strands[c->n_strands++], CASE_CODE_BYTES, "%s", o->strands[i]);
	c->opened_at = o->opened_at;
	if (store_case_insert(st, c, by->id) != 0)
		goto out;
	struct casework_allocation a = { .team = c->team, .worker_id = c->worker_id, .from_at = c->opened_at,
					 .reason = "" };
	if (store_case_allocation_insert(st, c->id, &a, by->id, NULL) != 0)
		goto out;
	char detail[200];
	snprintf(detail, sizeof detail, "referral %" PRId64 "; team %.100s", c->referral_id, c->team);
	if (audit_case(st, by, "case.open", c->id, detail) != 0)
		goto out;
	struct clock_subject subject = case_subject(c);
	if (clock_start(st, "first_assessment", &subject, c->opened_at, 0) != 0 ||
	    clock_start(st, "first_ptac", &subject, c->opened_at, 0) != 0 ||
	    clock_start(st, "supervision", &subject, c->opened_at, 0) != 0)
		goto out;
	char dob[11];
	if (store_case_person_dob(st, c->person_id, dob) != 0)
		goto out;
	int64_t due = transition_due(dob, c->opened_at);
	if (due && clock_start(st, "transition_plan", &subject, c->opened_at, due) != 0)
		goto out;
	*case_id = c->id;
	rc = 0;
out:
	free(c);
	return rc;
}

int casework_set_risk(struct store *st, int64_t case_id, const char *level, int64_t at)
{
	struct casework_case *c = calloc(1, sizeof *c);
	if (!c)
		return -1;
	int rc = store_case_get(st, case_id, c);
	if (rc == 0 && strcmp(c->status, "open") != 0)
		rc = STORE_NOTFOUND;
	if (rc != 0)
		goto out;
	snprintf(c->risk_level, sizeof c->risk_level, "%s", level);
	if (!c->opening_risk[0])
		snprintf(c->opening_risk, sizeof c->opening_risk, "%s", level);
	/* Nobody's edit is lost: the version read above is the one in this transaction. */
	rc = store_case_update(st, c, 0);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	struct clock_subject subject = case_subject(c);
	if (strcmp(level, "high") == 0)
		rc = clock_start(st, "high_risk_visit", &subject, at, 0);
	else
		rc = clock_stop(st, "high_risk_visit", "case", c->id, at, NULL, NULL);
	rc = rc == 0 ? 0 : -1;
out:
	free(c);
	return rc;
}

int casework_open_case_of(struct store *st, int64_t person_id, int64_t *case_id)
{
	return store_case_open_of(st, person_id, case_id) == 0 ? 0 : -1;
}

bool casework_may_change(const struct user *by, const struct casework_case *c)
{
	if (policy_allows(by->role, PERM_CASE_MANAGE))
		return true;
	return by->team[0] && strcmp(by->team, c->team) == 0;
}

int casework_check_worker(struct store *st, const char *team, const char *username, int64_t *worker_id,
			  char *why, size_t cap)
{
	struct user u;
	*worker_id = 0;
	int rc = store_user_by_name(st, username, &u, NULL, 0);
	if (rc == STORE_NOTFOUND) {
		snprintf(why, cap, "is not a known user");
		return STORE_NOTFOUND;
	}
	if (rc != 0)
		return -1;
	if (u.disabled) {
		snprintf(why, cap, "is a disabled account");
		return STORE_NOTFOUND;
	}
	if (!policy_allows(u.role, PERM_CASE_WRITE)) {
		snprintf(why, cap, "must be a practitioner or a manager");
		return STORE_NOTFOUND;
	}
	if (strcmp(u.team, team) != 0) {
		snprintf(why, cap, "is not in the team %.100s", team);
		return STORE_NOTFOUND;
	}
	*worker_id = u.id;
	return 0;
}

/* The status of a stored update of the case row: STORE_CONFLICT means someone else changed it. */
static enum casework_status update_status(int rc)
{
	return rc == 0 ? CASEWORK_OK : rc == STORE_CONFLICT || rc == STORE_NOTFOUND ? CASEWORK_STALE : CASEWORK_ERROR;
}

/* Whether case c may change now with `version` (0: no version needed). */
static enum casework_status check_case(const struct casework_case *c, int64_t version)
{
	if (strcmp(c->status, "open") != 0)
		return CASEWORK_CLOSED;
	if (version && version != c->version)
		return CASEWORK_STALE;
	return CASEWORK_OK;
}

enum casework_status casework_update_strands(struct store *st, const struct user *by, struct casework_case *c,
					     int64_t version, const char strands[][CASE_CODE_BYTES], int n)
{
	enum casework_status cs = check_case(c, version);
	if (cs != CASEWORK_OK)
		return cs;
	c->n_strands = 0;
	for (int i = 0; i < n && i < CASE_STRANDS_MAX; i++)
		snprintf(c->strands[c->n_strands++], CASE_CODE_BYTES, "%s", strands[i]);
	cs = update_status(store_case_update(st, c, by->id));
	if (cs != CASEWORK_OK)
		return cs;
	char detail[64];
	snprintf(detail, sizeof detail, "strands %d; version %" PRId64, c->n_strands, c->version);
	return audit_case(st, by, "case.update", c->id, detail) == 0 ? CASEWORK_OK : CASEWORK_ERROR;
}

enum casework_status casework_allocate(struct store *st, const struct user *by, struct casework_case *c,
				       int64_t version, const char *team, int64_t worker_id, const char *reason)
{
	enum casework_status cs = check_case(c, version);
	if (cs != CASEWORK_OK)
		return cs;
	snprintf(c->team, sizeof c->team, "%s", team);
	c->worker_id = worker_id;
	cs = update_status(store_case_update(st, c, by->id));
	if (cs != CASEWORK_OK)
		return cs;
	struct casework_allocation a = { .team = team, .worker_id = worker_id, .from_at = store_now(), .reason = reason };
	if (store_case_allocation_insert(st, c->id, &a, by->id, NULL) != 0 ||
	    clock_reassign_case(st, c->id, team, worker_id) != 0)
		return CASEWORK_ERROR;
	char detail[200];
	snprintf(detail, sizeof detail, "team %.100s; worker %s; version %" PRId64, team, worker_id ? "named" : "none",
		 c->version);
	return audit_case(st, by, "case.allocate", c->id, detail) == 0 ? CASEWORK_OK : CASEWORK_ERROR;
}

/*
 * Whether an event at `at` moves the running `standard` clock of the case: not when it is dated
 * before that clock started (a later event already restarted it).
 */
static enum casework_status moves_clock(struct store *st, const char *standard, int64_t case_id, int64_t at,
					bool *moves)
{
	int64_t started;
	int rc = store_case_clock_started(st, standard, "case", case_id, &started);
	if (rc != 0 && rc != STORE_NOTFOUND)
		return CASEWORK_ERROR;
	*moves = rc == STORE_NOTFOUND || at >= started;
	return CASEWORK_OK;
}

enum casework_status casework_add_contact(struct store *st, const struct user *by, struct casework_case *c,
					  struct casework_contact *k)
{
	enum casework_status cs = check_case(c, 0);
	if (cs != CASEWORK_OK)
		return cs;
	if (store_case_contact_insert(st, c->id, k, by->id, &k->id) != 0)
		return CASEWORK_ERROR;
	char detail[120];
	snprintf(detail, sizeof detail, "contact %" PRId64 "; %.32s; %s", k->id, k->kind,
		 k->seen_alone ? "seen alone" : k->seen ? "seen" : "not seen");
	if (audit_case(st, by, "case.contact", c->id, detail) != 0)
		return CASEWORK_ERROR;
	if (!k->seen)
		return CASEWORK_OK;
	bool moves;
	if (moves_clock(st, "high_risk_visit", c->id, k->contact_at, &moves) != CASEWORK_OK)
		return CASEWORK_ERROR;
	if (!moves)
		return CASEWORK_OK;
	if (clock_stop(st, "high_risk_visit", "case", c->id, k->contact_at, NULL, NULL) != 0)
		return CASEWORK_ERROR;
	if (strcmp(c->risk_level, "high") == 0) {
		struct clock_subject subject = case_subject(c);
		if (clock_start(st, "high_risk_visit", &subject, k->contact_at, 0) != 0)
			return CASEWORK_ERROR;
	}
	return CASEWORK_OK;
}

enum casework_status casework_add_note(struct store *st, const struct user *by, struct casework_case *c,
				       struct casework_note *n)
{
	enum casework_status cs = check_case(c, 0);
	if (cs != CASEWORK_OK)
		return cs;
	n->at = store_now();
	if (store_case_note_insert(st, c->id, n, by->id, &n->id) != 0)
		return CASEWORK_ERROR;
	char detail[96];
	snprintf(detail, sizeof detail, "note %" PRId64 "%s", n->id,
		 n->child_voice && n->child_voice[0] ? "; with the child's voice" : "");
	return audit_case(st, by, "case.note", c->id, detail) == 0 ? CASEWORK_OK : CASEWORK_ERROR;
}

enum casework_status casework_add_supervision(struct store *st, const struct user *by, struct casework_case *c,
					      struct casework_supervision *s)
{
	enum casework_status cs = check_case(c, 0);
	if (cs != CASEWORK_OK)
		return cs;
	if (store_case_supervision_insert(st, c->id, s, by->id, &s->id) != 0)
		return CASEWORK_ERROR;
	char detail[64];
	snprintf(detail, sizeof detail, "supervision %" PRId64, s->id);
	if (audit_case(st, by, "case.supervision", c->id, detail) != 0)
		return CASEWORK_ERROR;
	bool moves;
	if (moves_clock(st, "supervision", c->id, s->held_at, &moves) != CASEWORK_OK)
		return CASEWORK_ERROR;
	if (!moves)
		return CASEWORK_OK;
	struct clock_subject subject = case_subject(c);
	if (clock_stop(st, "supervision", "case", c->id, s->held_at, NULL, NULL) != 0 ||
	    clock_start(st, "supervision", &subject, s->held_at, end_of_date(s->next_due)) != 0)
		return CASEWORK_ERROR;
	return CASEWORK_OK;
}

/* The clock subject of flag `flag_id` on case c. */
static struct clock_subject flag_subject(const struct casework_case *c, int64_t flag_id)
{
	struct clock_subject s = case_subject(c);
	s.type = "flag";
	s.id = flag_id;
	return s;
}

enum casework_status casework_add_flag(struct store *st, const struct user *by, struct casework_case *c,
				       struct casework_flag *f, char review_date[11])
{
	enum casework_status cs = check_case(c, 0);
	if (cs != CASEWORK_OK)
		return cs;
	f->set_at = store_now();
	if (!f->review_date || !f->review_date[0]) {
		/* The default follows the configured standard (3 months unless an admin changed it). */
		struct valid_date d;
		int64_t due;
		int rc = clock_due(st, "flag_review", f->set_at, &due);
		if (rc == 0) {
			calendar_local_date(due, &d);
		} else if (rc == STORE_NOTFOUND) {
			struct valid_date today;
			calendar_local_date(f->set_at, &today);
			if (!calendar_add_months(&today, FLAG_REVIEW_MONTHS, &d))
				return CASEWORK_ERROR;
		} else {
			return CASEWORK_ERROR;
		}
		valid_format_date(&d, review_date);
		f->review_date = review_date;
	}
	if (store_case_flag_insert(st, c->id, f, by->id, &f->id) != 0)
		return CASEWORK_ERROR;
	f->version = 1;
	f->case_id = c->id;
	char detail[96];
	snprintf(detail, sizeof detail, "flag %" PRId64 "; %.32s%s", f->id, f->kind,
		 f->police_flag ? "; set on police systems" : "");
	if (audit_case(st, by, "case.flag_set", c->id, detail) != 0)
		return CASEWORK_ERROR;
	struct clock_subject subject = flag_subject(c, f->id);
	return clock_start(st, "flag_review", &subject, f->set_at, end_of_date(f->review_date)) == 0 ? CASEWORK_OK
												     : CASEWORK_ERROR;
}

/* What casework_update_flag needs of the stored flag. */
struct flag_now {
	int64_t version, removed_at;
	char review_date[11];
	bool police_flag;
};

static int copy_flag(void *ctx, const struct casework_flag *f)
{
	struct flag_now *now = ctx;
	now->version = f->version;
	now->removed_at = f->removed_at;
	snprintf(now->review_date, sizeof now->review_date, "%s", f->review_date);
	now->police_flag = f->police_flag;
	return 0;
}

enum casework_status casework_update_flag(struct store *st, const struct user *by, struct casework_case *c,
					  int64_t flag_id, const struct casework_flag_change *ch)
{
	enum casework_status cs = check_case(c, 0);
	if (cs != CASEWORK_OK)
		return cs;
	struct flag_now f = { 0 };
	int rc = store_case_flag_each(st, c->id, flag_id, copy_flag, &f);
	if (rc == STORE_NOTFOUND)
		return CASEWORK_NOT_FOUND;
	if (rc != 0)
		return CASEWORK_ERROR;
	if (f.removed_at)
		return CASEWORK_GONE;
	if (ch->version != f.version)
		return CASEWORK_STALE;
	int64_t now = store_now();
	bool new_date = ch->set_review_date && strcmp(ch->review_date, f.review_date) != 0;
	const char *review_date = new_date ? ch->review_date : f.review_date;
	bool police_flag = ch->set_police_flag ? ch->police_flag : f.police_flag;
	rc = store_case_flag_update(st, flag_id, f.version, review_date, police_flag, ch->remove ? now : 0, by->id);
	if (rc == STORE_CONFLICT || rc == STORE_NOTFOUND)
		return CASEWORK_STALE;
	if (rc != 0)
		return CASEWORK_ERROR;
	/* A review (a new date) or removal ends this run of flag_review; a new date starts the next. */
	if ((new_date || ch->remove) && clock_stop(st, "flag_review", "flag", flag_id, now, NULL, NULL) != 0)
		return CASEWORK_ERROR;
	if (new_date && !ch->remove) {
		struct clock_subject subject = flag_subject(c, flag_id);
		if (clock_start(st, "flag_review", &subject, now, end_of_date(review_date)) != 0)
			return CASEWORK_ERROR;
	}
	char detail[128];
	snprintf(detail, sizeof detail, "flag %" PRId64 "%s%s", flag_id, new_date ? "; new review date" : "",
		 ch->set_police_flag && police_flag != f.police_flag ? "; police flag changed" : "");
	return audit_case(st, by, ch->remove ? "case.flag_remove" : "case.flag_update", c->id, detail) == 0
		       ? CASEWORK_OK
		       : CASEWORK_ERROR;
}

enum casework_status casework_add_feedback(struct store *st, const struct user *by, struct casework_case *c,
					   struct casework_feedback *f)
{
	enum casework_status cs = check_case(c, 0);
	if (cs != CASEWORK_OK)
		return cs;
	f->at = store_now();
	if (store_case_feedback_insert(st, c->id, f, by->id, &f->id) != 0)
		return CASEWORK_ERROR;
	char detail[96];
	snprintf(detail, sizeof detail, "feedback %" PRId64 "; %.16s; score %d", f->id, f->stage, f->score);
	return audit_case(st, by, "case.feedback", c->id, detail) == 0 ? CASEWORK_OK : CASEWORK_ERROR;
}

enum casework_status casework_record_transition_plan(struct store *st, const struct user *by, struct casework_case *c,
						     int64_t version, const char *plan)
{
	enum casework_status cs = check_case(c, version);
	if (cs != CASEWORK_OK)
		return cs;
	int64_t now = store_now();
	snprintf(c->transition_plan, sizeof c->transition_plan, "%s", plan);
	c->transition_plan_at = now;
	cs = update_status(store_case_update(st, c, by->id));
	if (cs != CASEWORK_OK)
		return cs;
	int stopped = 0, breached = 0;
	if (clock_stop(st, "transition_plan", "case", c->id, now, &stopped, &breached) != 0)
		return CASEWORK_ERROR;
	char detail[96];
	snprintf(detail, sizeof detail, "version %" PRId64 "%s", c->version,
		 !stopped ? "" : breached ? "; recorded late" : "; recorded in time");
	return audit_case(st, by, "case.transition_plan", c->id, detail) == 0 ? CASEWORK_OK : CASEWORK_ERROR;
}

enum casework_status casework_close(struct store *st, const struct user *by, struct casework_case *c, int64_t version,
				    const char *reason, int64_t closed_at)
{
	enum casework_status cs = check_case(c, version);
	if (cs != CASEWORK_OK)
		return cs;
	snprintf(c->status, sizeof c->status, "closed");
	c->closed_at = closed_at;
	snprintf(c->closure_reason, sizeof c->closure_reason, "%s", reason);
	snprintf(c->closure_risk, sizeof c->closure_risk, "%s", c->risk_level);
	cs = update_status(store_case_update(st, c, by->id));
	if (cs != CASEWORK_OK)
		return cs;
	if (clock_cancel_case(st, c->id, closed_at) != 0)
		return CASEWORK_ERROR;
	char detail[96];
	snprintf(detail, sizeof detail, "reason %.32s; risk %s; version %" PRId64, reason,
		 c->closure_risk[0] ? c->closure_risk : "none", c->version);
	return audit_case(st, by, "case.close", c->id, detail) == 0 ? CASEWORK_OK : CASEWORK_ERROR;
}
