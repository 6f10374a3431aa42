/*
 * missing.c - the rules of the Missing From Home hub: episodes, gradings, returns and their
 * return home interviews, notifications to the other authority, repeat missing. See missing.h.
 * Owns: those rules, the rhi and repeat_missing_meeting clocks of an episode and a person, the
 * repeat_missing person flag, and the missing.* / notification.acknowledge audit entries.
 * Must not touch: HTTP, jansson, SQL text (store_missing.c).
 */
#include "missing.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "settings.h"
#include "store.h"
#include "store_missing.h"
#include "valid.h"

#define DAY_SECONDS 86400
#define SKEW_SECONDS 300 /* "not in the future" allows the same clock skew as api_time_field */
#define SUBJECT_EPISODE "missing_episode"
#define STANDARD_RHI "rhi"
#define STANDARD_REPEAT "repeat_missing_meeting"
#define FLAG_REPEAT "repeat_missing"

/* A batch of creates (missing.h: missing_batch_new). */
struct missing_batch {
	int64_t first_id;             /* the id of its first episode: every later id is the batch's
				       * (the write transaction's own inserts, ids ascending) */
	struct settings_mfh settings; /* read once */
	struct clock_standard rhi;    /* the rhi standard, read once */
	bool rhi_known;               /* false: no rhi standard configured (no rhi clocks) */
	int64_t *persons;             /* persons with an episode created, in first-created order */
	size_t n_persons, cap_persons;
	int64_t *seen;                /* open-addressing set of those persons (0 = empty slot) */
	size_t cap_seen;              /* a power of two, at least twice n_persons */
	struct store_missing_pending *pending; /* the created episodes not yet written (missing_batch_flush) */
};

/* Held episodes past this are written at once: it bounds the memory a batch holds (about 200
 * bytes an episode with its grading and clock) and each flush is one statement a table. */
#define BATCH_PENDING_MAX 100000

/* missing_batch_finish walks every episode once, rather than querying each person's, when the
 * batch's persons are at least 1/BATCH_WALK_RATIO of the hub's episodes (batch_repeat_walk): a
 * query costs about what walking 64 entries of the index does. */
#define BATCH_WALK_RATIO 64

/* ---- pure rules ---- */

int missing_grade_rank(const char *grade)
{
	if (!grade)
		return 0;
	if (strcmp(grade, "low") == 0)
		return 1;
	if (strcmp(grade, "medium") == 0)
		return 2;
	if (strcmp(grade, "high") == 0)
		return 3;
	return 0;
}

bool missing_grade_valid(const char *grade)
{
	return grade && (strcmp(grade, "none") == 0 || missing_grade_rank(grade) > 0);
}

void missing_errors_add(struct missing_errors *errs, const char *field, const char *fmt, ...)
{
	if (!errs || errs->n >= MISSING_ERRORS_MAX)
		return;
	struct missing_field_error *e = &errs->e[errs->n++];
	snprintf(e->field, sizeof e->field, "%s", field);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

/* One of a NULL-terminated list of codes. */
static bool one_of(const char *s, const char *const codes[])
{
	for (int i = 0; codes[i]; i++)
		if (strcmp(s, codes[i]) == 0)
			return true;
	return false;
}

/* A text member within max characters (valid UTF-8, no control characters unless multiline). */
static void check_text(struct missing_errors *errs, const char *field, const char *s, size_t max, bool multiline)
{
	const char *why = valid_text(s, 0, max, multiline);
	if (why)
		missing_errors_add(errs, field, "%s", why);
}

/* A time not after now (with the allowed skew). */
static bool not_future(struct missing_errors *errs, const char *field, int64_t t, int64_t now)
{
	if (t > now + SKEW_SECONDS) {
		missing_errors_add(errs, field, "must not be in the future");
		return false;
	}
	return true;
}

bool missing_check_time(struct missing_errors *errs, const char *field, int64_t t, int64_t not_before,
			const char *what, int64_t now)
{
	if (!t)
		return true;
	if (!not_future(errs, field, t, now))
		return false;
	if (t < not_before) {
		missing_errors_add(errs, field, "must not be before %s", what);
		return false;
	}
	return true;
}

bool missing_check(const struct missing_episode *e, int64_t now, struct missing_errors *errs)
{
	static const char *const from[] = { "home", "care", "education", "other", NULL };
	static const char *const category[] = { "M", "A", NULL };
	static const char *const placement[] = { "", "foster", "residential", "kinship", "semi_independent",
						 "secure", "other", NULL };
	int before = errs->n;
	if (e->person_id <= 0)
		missing_errors_add(errs, "person_id", "is required: the child who is missing");
	if (!e->started_at)
		missing_errors_add(errs, "started_at", "is required: when the child was last seen");
	else
		not_future(errs, "started_at", e->started_at, now);
	if (!e->reported_at)
		missing_errors_add(errs, "reported_at", "is required: when the child was reported missing");
	else if (not_future(errs, "reported_at", e->reported_at, now) && e->started_at &&
		 e->reported_at < e->started_at)
		missing_errors_add(errs, "reported_at", "must not be before the child was last seen (started_at)");
	if (e->ended_at && not_future(errs, "ended_at", e->ended_at, now) && e->started_at &&
	    e->ended_at < e->started_at)
		missing_errors_add(errs, "ended_at", "must not be before the child was last seen (started_at)");
	if (!one_of(e->missing_from, from))
		missing_errors_add(errs, "missing_from", "must be one of home, care, education, other");
	if (!one_of(e->category, category))
		missing_errors_add(errs, "category", "must be M (missing) or A (away from placement)");
	check_text(errs, "police_force", e->police_force, MISSING_AUTHORITY_CHARS, false);
	check_text(errs, "police_ref", e->police_ref, MISSING_REF_CHARS, false);
	if (!one_of(e->placement_type, placement))
		missing_errors_add(errs, "placement.type",
				   "must be one of foster, residential, kinship, semi_independent, secure, other, or empty");
	check_text(errs, "placement.provider", e->placement_provider, MISSING_AUTHORITY_CHARS, false);
	check_text(errs, "placement.placing_authority", e->placing_authority, MISSING_AUTHORITY_CHARS, false);
	check_text(errs, "placement.host_authority", e->host_authority, MISSING_AUTHORITY_CHARS, false);
	check_text(errs, "team", e->team, MISSING_TEXT_CHARS, false);
	check_text(errs, "locality", e->locality, MISSING_TEXT_CHARS, false);
	check_text(errs, "found_where", e->found_where, MISSING_TEXT_CHARS, false);
	check_text(errs, "notes", e->notes, MISSING_NOTES_CHARS, true);
	if (e->n_found_with < 0 || e->n_found_with > MISSING_FOUND_WITH_MAX)
		missing_errors_add(errs, "found_with", "must list at most %d persons", MISSING_FOUND_WITH_MAX);
	else
		for (int i = 0; i < e->n_found_with; i++)
			if (e->found_with[i] <= 0) {
				missing_errors_add(errs, "found_with", "must list the ids of persons");
				break;
			}
	if (e->grade[0] && !missing_grade_valid(e->grade))
		missing_errors_add(errs, "grade", "must be one of none, low, medium, high");
	check_text(errs, "graded_by", e->graded_by, MISSING_GRADED_BY_CHARS, false);
	if (e->graded_at && not_future(errs, "graded_at", e->graded_at, now) && e->started_at &&
	    e->graded_at < e->started_at)
		missing_errors_add(errs, "graded_at", "must not be before the child was last seen (started_at)");
	return errs->n == before;
}

bool missing_rhi_history(int64_t ended_at, int64_t now)
{
	return ended_at > 0 && ended_at + (int64_t)MISSING_RHI_HISTORY_DAYS * 86400 < now;
}

/* Copy src into dst[cap] as snprintf("%s") would (cut at cap - 1 bytes), without parsing a
 * format: missing_create copies several short codes for each row of an import. */
static void put_text(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = 0;
}

void missing_out_of_area(const char *home_authority, const char *rhi_rule, const char *placing,
			 const char *host, char *out_of_area, char *rhi_by)
{
	const char *where = "";
	if (placing[0] && host[0] && strcmp(placing, host) != 0) {
		if (strcmp(host, home_authority) == 0)
			where = "placed_here";
		else if (strcmp(placing, home_authority) == 0)
			where = "placed_elsewhere";
	}
	const char *who = "us";
	if (where[0]) {
		bool host_does = strcmp(rhi_rule, "placing") != 0;
		bool here = strcmp(where, "placed_here") == 0;
		/* host rule: the host does it (us when the child is placed here); placing rule: the opposite. */
		who = (host_does == here) ? "us" : "other";
	}
	put_text(out_of_area, 20, where);
	put_text(rhi_by, 8, who);
}

const char *missing_rhi_status(const struct missing_episode *e, const struct missing_rhi *r, int64_t now)
{
	if (!e->ended_at)
		return NULL;
	bool recorded = r && r->version > 0;
	if (strcmp(e->rhi_by, "other") == 0 && !recorded)
		return NULL;
	if (recorded && r->completed_at)
		return "completed";
	if (recorded && strcmp(r->response, "declined") == 0)
		return "declined";
	if (e->rhi_due_at && now > e->rhi_due_at)
		return "breached";
	if (recorded && r->offered_at)
		return "offered";
	return "due";
}

int64_t missing_repeat_window(int64_t started_at, int days)
{
	return started_at - (int64_t)days * DAY_SECONDS + 1;
}

void missing_grades_summary(const struct missing_grading *g, int n, char *latest, char *highest)
{
	int li = -1, hi = -1;
	for (int i = 0; i < n; i++) {
		if (li < 0 || g[i].graded_at > g[li].graded_at || (g[i].graded_at == g[li].graded_at && g[i].id > g[li].id))
			li = i;
		if (hi < 0 || missing_grade_rank(g[i].grade) > missing_grade_rank(g[hi].grade))
			hi = i;
	}
	snprintf(latest, 8, "%s", li >= 0 ? g[li].grade : "");
	snprintf(highest, 8, "%s", hi >= 0 ? g[hi].grade : "");
}

bool missing_repeat_crossed(const int64_t *starts, int n, int64_t this_start, int days, int count)
{
	int64_t span = (int64_t)days * DAY_SECONDS;
	for (int i = 0; i < n; i++) {
		int64_t end = starts[i];
		if (end < this_start || end > this_start + span - 1)
			continue;
		int inside = 0;
		for (int k = 0; k < n; k++)
			if (starts[k] >= end - span + 1 && starts[k] <= end)
				inside++;
		if (inside >= count)
			return true;
	}
	return false;
}

/* ---- helpers over the store ---- */

/* Map a store return to a status: 0 OK, STORE_NOTFOUND not found, else error. */
static int from_store(int rc)
{
	return rc == 0 ? MISSING_OK : rc == STORE_NOTFOUND ? MISSING_NOT_FOUND : MISSING_ERROR;
}

/* Append an audit entry unless the episode's caller audits the batch itself. */
static int audit(struct store *st, const struct user *by, const char *action, const char *type, int64_t id,
		 const char *detail)
{
	struct audit_entry e;
	audit_fill(&e, by, action, type, id, "ok", detail);
	return audit_record(st, &e) == 0 ? MISSING_OK : MISSING_ERROR;
}

/* Every found_with id names a person: MISSING_OK, MISSING_NO_FOUND_WITH or MISSING_ERROR. */
static int found_with_exist(struct store *st, const int64_t *ids, int n)
{
	for (int i = 0; i < n; i++) {
		bool restricted;
		int rc = store_person_restricted(st, ids[i], &restricted);
		if (rc == STORE_NOTFOUND)
			return MISSING_NO_FOUND_WITH;
		if (rc != 0)
			return MISSING_ERROR;
	}
	return MISSING_OK;
}

/* Whether (force, ref) belongs to an episode other than `self`: MISSING_OK, MISSING_DUPLICATE, MISSING_ERROR. */
static int ref_free(struct store *st, const char *force, const char *ref, int64_t self)
{
	if (!ref[0])
		return MISSING_OK;
	int64_t other = 0;
	int rc = store_missing_find_ref(st, force, ref, &other);
	if (rc == STORE_NOTFOUND || (rc == 0 && other == self))
		return MISSING_OK;
	return rc == 0 ? MISSING_DUPLICATE : MISSING_ERROR;
}

/* Recompute out_of_area and rhi_by of e from the settings *s (NULL: read them). 0 or -1. */
static int place(struct store *st, const struct settings_mfh *s, struct missing_episode *e)
{
	struct settings_mfh read;
	if (!s) {
		if (settings_mfh(st, &read) != 0)
			return -1;
		s = &read;
	}
	missing_out_of_area(s->home_authority, s->rhi_rule, e->placing_authority, e->host_authority, e->out_of_area,
			    e->rhi_by);
	return 0;
}

/*
 * The notification an out-of-area episode owes the other authority, unless it has one for that
 * reason (fresh: the episode was just created, so it has none).
 */
static int notify(struct store *st, const struct missing_episode *e, int64_t now, bool fresh,
		  struct store_missing_pending *pending)
{
	if (!e->out_of_area[0])
		return MISSING_OK;
	int rc = fresh ? STORE_NOTFOUND : store_missing_notification_has(st, e->id, e->out_of_area);
	if (rc == 0)
		return MISSING_OK;
	if (rc != STORE_NOTFOUND)
		return MISSING_ERROR;
	struct missing_notification *n = calloc(1, sizeof *n);
	if (!n)
		return MISSING_ERROR;
	n->episode_id = e->id;
	bool here = strcmp(e->out_of_area, "placed_here") == 0;
	snprintf(n->to_authority, sizeof n->to_authority, "%s", here ? e->placing_authority : e->host_authority);
	snprintf(n->reason, sizeof n->reason, "%s", e->out_of_area);
	snprintf(n->rhi_by, sizeof n->rhi_by, "%s", e->rhi_by);
	n->created_at = now;
	rc = pending ? store_missing_pending_notification(pending, n) : store_missing_notification_insert(st, n);
	free(n);
	return rc == 0 ? MISSING_OK : MISSING_ERROR;
}

/*
 * Bring the episode's rhi clock in line with the episode and its RHI (r; NULL loads it): none
 * runs while missing or when another authority does the RHI (a running one is cancelled);
 * otherwise one clock started at ended_at, stopped at the RHI's completion, or at its decline.
 * An existing clock is moved rather than a second one started, so a corrected return time
 * leaves one clock.
 */
static int rhi_clock_sync(struct store *st, const struct missing_episode *e, const struct missing_rhi *r,
			  int64_t now)
{
	if (!e->ended_at || strcmp(e->rhi_by, "us") != 0)
		return store_missing_rhi_clock_cancel(st, e->id, now) == 0 ? MISSING_OK : MISSING_ERROR;
	struct missing_rhi *loaded = NULL;
	int ret = MISSING_ERROR;
	if (!r) {
		loaded = calloc(1, sizeof *loaded);
		if (!loaded)
			return MISSING_ERROR;
		int rc = store_missing_rhi_get(st, e->id, loaded);
		if (rc != 0 && rc != STORE_NOTFOUND)
			goto out;
		r = loaded;
	}
	int64_t stop = 0;
	if (r->version > 0 && r->completed_at)
		stop = r->completed_at;
	else if (r->version > 0 && strcmp(r->response, "declined") == 0)
		stop = r->responded_at ? r->responded_at : now;
	int64_t due = 0, clock_id = 0;
	int rc = clock_due(st, STANDARD_RHI, e->ended_at, &due);
	if (rc == STORE_NOTFOUND) { /* the standard is switched off: no clock */
		ret = MISSING_OK;
		goto out;
	}
	if (rc != 0)
		goto out;
	rc = store_missing_rhi_clock(st, e->id, &clock_id);
	if (rc == 0) {
		ret = store_missing_rhi_clock_set(st, clock_id, e->ended_at, due, stop, e->team, e->person_id) == 0
			      ? MISSING_OK
			      : MISSING_ERROR;
	} else if (rc == STORE_NOTFOUND && !stop && e->import_id && missing_rhi_history(e->ended_at, e->created_at)) {
		/* Imported as history (missing_create gave it no clock): nothing to time until an RHI
		 * stops one. A return entered late by hand still starts an overdue clock. */
		ret = MISSING_OK;
	} else if (rc == STORE_NOTFOUND) {
		struct clock_subject subject = {
			.type = SUBJECT_EPISODE, .id = e->id, .person_id = e->person_id, .team = e->team,
		};
		if (clock_start(st, STANDARD_RHI, &subject, e->ended_at, 0) != 0)
			goto out;
		if (stop && clock_stop(st, STANDARD_RHI, SUBJECT_EPISODE, e->id, stop, NULL, NULL) != 0)
			goto out;
		ret = MISSING_OK;
	}
out:
	free(loaded);
	return ret;
}

/* ---- episodes ---- */

static int repeat_check(struct store *st, const struct user *by, const struct settings_mfh *s, int64_t person_id,
			int64_t id, int64_t started_at, const char *team, bool *flagged);

/* The slot of person_id in a set of cap slots (a power of two, never full): the one holding it,
 * or the empty one where it would go. */
static size_t seen_slot(const int64_t *seen, size_t cap, int64_t person_id)
{
	size_t h = (size_t)((uint64_t)person_id * 0x9E3779B97F4A7C15u) & (cap - 1);
	while (seen[h] && seen[h] != person_id)
		h = (h + 1) & (cap - 1);
	return h;
}

/* Remember that the batch created an episode of person_id (its repeat check waits for
 * missing_batch_finish). MISSING_OK or MISSING_ERROR. */
static int batch_defer(struct missing_batch *b, int64_t person_id)
{
	if (b->n_persons * 2 >= b->cap_seen) {
		size_t cap = b->cap_seen ? b->cap_seen * 2 : 1024;
		int64_t *seen = calloc(cap, sizeof *seen);
		if (!seen)
			return MISSING_ERROR;
		for (size_t i = 0; i < b->n_persons; i++)
			seen[seen_slot(seen, cap, b->persons[i])] = b->persons[i];
		free(b->seen);
		b->seen = seen;
		b->cap_seen = cap;
	}
	size_t h = seen_slot(b->seen, b->cap_seen, person_id);
	if (b->seen[h])
		return MISSING_OK;
	if (b->n_persons == b->cap_persons) {
		size_t cap = b->cap_persons ? b->cap_persons * 2 : 1024;
		int64_t *a = realloc(b->persons, cap * sizeof *a);
		if (!a)
			return MISSING_ERROR;
		b->persons = a;
		b->cap_persons = cap;
	}
	b->seen[h] = person_id;
	b->persons[b->n_persons++] = person_id;
	return MISSING_OK;
}

int missing_create(struct store *st, const struct user *by, struct missing_episode *e, int64_t *id)
{
	/* A batch's caller (an import) found or made the person in this transaction and has just
	 * looked the police reference up (a taken one is refused at the flush, missing.h): two reads
	 * a row it need not repeat. */
	int rc;
	if (!e->batch) {
		bool restricted = false;
		rc = e->person_id > 0 ? store_person_restricted(st, e->person_id, &restricted) : STORE_NOTFOUND;
		if (rc == STORE_NOTFOUND)
			return MISSING_NO_PERSON;
		if (rc != 0)
			return MISSING_ERROR;
	}
	int ms = found_with_exist(st, e->found_with, e->n_found_with);
	if (ms == MISSING_OK && !e->batch)
		ms = ref_free(st, e->police_force, e->police_ref, 0);
	if (ms != MISSING_OK)
		return ms;
	if (!e->looked_after_given) {
		e->looked_after = strcmp(e->missing_from, "care") == 0;
		e->looked_after_given = true;
	}
	struct settings_mfh read;
	const struct settings_mfh *s = e->batch ? &e->batch->settings : NULL;
	if (!s) {
		if (settings_mfh(st, &read) != 0)
			return MISSING_ERROR;
		s = &read;
	}
	if (place(st, s, e) != 0)
		return MISSING_ERROR;
	put_text(e->grade_latest, sizeof e->grade_latest, e->grade);
	put_text(e->grade_highest, sizeof e->grade_highest, e->grade);
	e->rhi_due_at = e->ended_at ? e->ended_at + MISSING_RHI_SECONDS : 0;
	e->reopened_count = 0;
	int64_t now = store_now();
	/* A batch holds its episodes and writes them together (missing_batch_flush): its caller looked
	 * the police reference up, and reads nothing back before the flush. */
	rc = e->batch ? store_missing_pending_episode(e->batch->pending, e, by->id, now)
		      : store_missing_insert(st, e, by->id, now);
	if (rc == STORE_CONFLICT)
		return MISSING_DUPLICATE;
	if (rc != 0)
		return MISSING_ERROR;
	put_text(e->created_by, sizeof e->created_by, by->username);
	put_text(e->updated_by, sizeof e->updated_by, by->username);
	if (id)
		*id = e->id;
	if (e->grade[0]) {
		/* ~4 KiB, mostly the note: set member by member, not cleared whole (a row of an import). */
		struct missing_grading *g = malloc(sizeof *g);
		if (!g)
			return MISSING_ERROR;
		g->id = 0;
		g->note[0] = 0;
		put_text(g->grade, sizeof g->grade, e->grade);
		g->graded_at = e->graded_at ? e->graded_at : e->reported_at;
		put_text(g->graded_by, sizeof g->graded_by, e->graded_by);
		rc = e->batch ? store_missing_pending_grading(e->batch->pending, e->id, g, by->id, now)
			      : store_missing_grading_insert(st, e->id, g, by->id, now);
		free(g);
		if (rc != 0)
			return MISSING_ERROR;
	}
	if ((ms = notify(st, e, now, true, e->batch ? e->batch->pending : NULL)) != MISSING_OK)
		return ms;
	if (e->ended_at && strcmp(e->rhi_by, "us") == 0) {
		/* A new episode has no RHI and no clock yet: start it from the return. */
		struct clock_subject subject = {
			.type = SUBJECT_EPISODE, .id = e->id, .person_id = e->person_id, .team = e->team,
		};
		/* History (a police extract of past years): an RHI never recorded weeks after the return
		 * is no longer work to time. The episode still says breached (rhi_status) and the MFH
		 * dashboard counts it as not offered; recording the RHI later starts and stops a clock
		 * (rhi_clock_sync). A batch is an import: a single create keeps its clock, whatever the
		 * return's age, so that a return entered late is still someone's overdue task. */
		if (!e->batch) {
			rc = clock_start(st, STANDARD_RHI, &subject, e->ended_at, 0);
		} else if (e->batch->rhi_known && !missing_rhi_history(e->ended_at, now)) {
			struct clock c;
			rc = clock_new_running(st, &e->batch->rhi, &subject, e->ended_at, &c);
			rc = rc == 0 ? store_missing_pending_clock(e->batch->pending, &c) : rc > 0 ? 0 : -1;
		} else {
			rc = 0;
		}
		if (rc != 0)
			return MISSING_ERROR;
	}
	if (!e->audit_skip) {
		char detail[160];
		snprintf(detail, sizeof detail, "person %" PRId64 "; %s; category %s%s%s%s", e->person_id,
			 e->ended_at ? "returned" : "missing", e->category, e->out_of_area[0] ? "; " : "", e->out_of_area,
			 e->import_id ? "; import" : "");
		if (audit(st, by, "missing.create", SUBJECT_EPISODE, e->id, detail) != MISSING_OK)
			return MISSING_ERROR;
	}
	if (e->batch) {
		if (!e->batch->first_id)
			e->batch->first_id = e->id;
		if (store_missing_pending_count(e->batch->pending) >= BATCH_PENDING_MAX &&
		    missing_batch_flush(st, e->batch) != MISSING_OK)
			return MISSING_ERROR;
		return batch_defer(e->batch, e->person_id);
	}
	return repeat_check(st, by, s, e->person_id, e->id, e->started_at, e->team, NULL);
}

int missing_find_by_ref(struct store *st, const char *force, const char *ref, int64_t *id)
{
	if (!ref || !ref[0])
		return MISSING_NOT_FOUND;
	return from_store(store_missing_find_ref(st, force ? force : "", ref, id));
}

int missing_get(struct store *st, int64_t id, struct missing_episode *e)
{
	return from_store(id > 0 ? store_missing_get(st, id, e) : STORE_NOTFOUND);
}

/* The names of the members that differ between two versions of an episode, for the audit detail. */
static void changed_fields(const struct missing_episode *a, const struct missing_episode *b, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = 0;
#define CHANGED(cond, name)                                                                                         \
	do {                                                                                                        \
		if ((cond) && len < cap)                                                                            \
			len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", name);               \
	} while (0)
	CHANGED(a->started_at != b->started_at, "started_at");
	CHANGED(a->reported_at != b->reported_at, "reported_at");
	CHANGED(a->ended_at != b->ended_at, "ended_at");
	CHANGED(strcmp(a->missing_from, b->missing_from) != 0, "missing_from");
	CHANGED(strcmp(a->category, b->category) != 0, "category");
	CHANGED(strcmp(a->police_force, b->police_force) != 0, "police_force");
	CHANGED(strcmp(a->police_ref, b->police_ref) != 0, "police_ref");
	CHANGED(a->looked_after != b->looked_after, "looked_after");
	CHANGED(strcmp(a->placement_type, b->placement_type) != 0, "placement.type");
	CHANGED(strcmp(a->placement_provider, b->placement_provider) != 0, "placement.provider");
	CHANGED(strcmp(a->placing_authority, b->placing_authority) != 0, "placement.placing_authority");
	CHANGED(strcmp(a->host_authority, b->host_authority) != 0, "placement.host_authority");
	CHANGED(strcmp(a->team, b->team) != 0, "team");
	CHANGED(strcmp(a->locality, b->locality) != 0, "locality");
	CHANGED(strcmp(a->found_where, b->found_where) != 0, "found_where");
	CHANGED(a->n_found_with != b->n_found_with ||
			memcmp(a->found_with, b->found_with, sizeof a->found_with[0] * (size_t)a->n_found_with) != 0,
		"found_with");
	CHANGED(strcmp(a->notes, b->notes) != 0, "notes");
#undef CHANGED
}

/*
 * Store `next` (the stored episode `cur` with caller-settable members changed; next->version
 * is cur's) and apply what follows: a change of placement recomputes out_of_area and rhi_by and
 * owes a notification when newly out of area; rhi_due_at follows ended_at; the rhi clock is
 * brought in line. Computed members the caller does not own are kept from cur. On success next
 * holds the stored episode (version bumped) and *fields names what changed ("" for nothing:
 * then nothing is written).
 */
static int apply(struct store *st, const struct user *by, const struct missing_episode *cur,
		 struct missing_episode *next, char *fields, size_t cap)
{
	next->id = cur->id;
	next->person_id = cur->person_id;
	next->looked_after_given = true;
	snprintf(next->grade_latest, sizeof next->grade_latest, "%s", cur->grade_latest);
	snprintf(next->grade_highest, sizeof next->grade_highest, "%s", cur->grade_highest);
	next->import_id = cur->import_id;
	next->created_at = cur->created_at;
	snprintf(next->created_by, sizeof next->created_by, "%s", cur->created_by);
	changed_fields(cur, next, fields, cap);
	bool reopened = next->reopened_count != cur->reopened_count;
	if (!fields[0] && !reopened)
		return MISSING_OK;
	if (strcmp(cur->placing_authority, next->placing_authority) != 0 ||
	    strcmp(cur->host_authority, next->host_authority) != 0) {
		if (place(st, NULL, next) != 0)
			return MISSING_ERROR;
	} else {
		snprintf(next->out_of_area, sizeof next->out_of_area, "%s", cur->out_of_area);
		snprintf(next->rhi_by, sizeof next->rhi_by, "%s", cur->rhi_by);
	}
	next->rhi_due_at = next->ended_at ? next->ended_at + MISSING_RHI_SECONDS : 0;
	int64_t now = store_now();
	int rc = store_missing_update(st, next, by->id, now);
	if (rc == STORE_CONFLICT)
		return MISSING_STALE;
	if (rc != 0)
		return MISSING_ERROR;
	next->version = cur->version + 1;
	next->updated_at = now;
	snprintf(next->updated_by, sizeof next->updated_by, "%s", by->username);
	int ms = notify(st, next, now, false, NULL);
	if (ms == MISSING_OK && (next->ended_at != cur->ended_at || strcmp(next->rhi_by, cur->rhi_by) != 0 ||
				 strcmp(next->team, cur->team) != 0))
		ms = rhi_clock_sync(st, next, NULL, now);
	return ms;
}

int missing_update(struct store *st, const struct user *by, struct missing_episode *in, struct missing_errors *errs)
{
	struct missing_episode *cur = calloc(1, sizeof *cur);
	if (!cur)
		return MISSING_ERROR;
	int ms = missing_get(st, in->id, cur);
	if (ms != MISSING_OK)
		goto out;
	ms = MISSING_STALE;
	if (in->version != cur->version)
		goto out;
	ms = MISSING_CONFLICT;
	if (cur->ended_at && !in->ended_at)
		goto out;
	if ((ms = ref_free(st, in->police_force, in->police_ref, cur->id)) != MISSING_OK ||
	    (ms = found_with_exist(st, in->found_with, in->n_found_with)) != MISSING_OK)
		goto out;
	in->reopened_count = cur->reopened_count;
	char fields[256];
	ms = apply(st, by, cur, in, fields, sizeof fields);
	if (ms != MISSING_OK)
		goto out;
	if (!fields[0]) { /* nothing changed: answer the episode as it is */
		memcpy(in, cur, sizeof *in);
		goto out;
	}
	if (!cur->ended_at && in->ended_at) {
		char detail[64];
		snprintf(detail, sizeof detail, "person %" PRId64 "; by update", cur->person_id);
		if ((ms = audit(st, by, "missing.return", SUBJECT_EPISODE, cur->id, detail)) != MISSING_OK)
			goto out;
	}
	ms = audit(st, by, "missing.update", SUBJECT_EPISODE, cur->id, fields);
out:
	(void)errs;
	free(cur);
	return ms;
}

int missing_return(struct store *st, const struct user *by, int64_t id, int64_t version, int64_t ended_at,
		   const char *found_where, const int64_t *found_with, int n_found_with,
		   struct missing_errors *errs)
{
	struct missing_episode *cur = calloc(1, sizeof *cur), *next = calloc(1, sizeof *next);
	int ms = MISSING_ERROR;
	if (!cur || !next)
		goto out;
	if ((ms = missing_get(st, id, cur)) != MISSING_OK)
		goto out;
	ms = MISSING_STALE;
	if (version != cur->version)
		goto out;
	ms = MISSING_CONFLICT;
	if (cur->ended_at)
		goto out;
	int before = errs ? errs->n : 0;
	struct missing_errors local = { .n = 0 };
	struct missing_errors *er = errs ? errs : &local;
	if (!ended_at)
		missing_errors_add(er, "ended_at", "is required: when the child was found or came back");
	else if (not_future(er, "ended_at", ended_at, store_now()) && ended_at < cur->started_at)
		missing_errors_add(er, "ended_at", "must not be before the child was last seen (started_at)");
	ms = MISSING_INVALID;
	if (er->n != before)
		goto out;
	if (n_found_with >= 0 && (ms = found_with_exist(st, found_with, n_found_with)) != MISSING_OK)
		goto out;
	memcpy(next, cur, sizeof *next);
	next->ended_at = ended_at;
	if (found_where)
		snprintf(next->found_where, sizeof next->found_where, "%s", found_where);
	if (n_found_with >= 0) {
		next->n_found_with = n_found_with > MISSING_FOUND_WITH_MAX ? MISSING_FOUND_WITH_MAX : n_found_with;
		memcpy(next->found_with, found_with, sizeof next->found_with[0] * (size_t)next->n_found_with);
	}
	char fields[256];
	if ((ms = apply(st, by, cur, next, fields, sizeof fields)) != MISSING_OK)
		goto out;
	char detail[64];
	snprintf(detail, sizeof detail, "person %" PRId64, cur->person_id);
	ms = audit(st, by, "missing.return", SUBJECT_EPISODE, id, detail);
out:
	free(cur);
	free(next);
	return ms;
}

int missing_reopen(struct store *st, const struct user *by, int64_t id, int64_t version, const char *reason)
{
	struct missing_episode *cur = calloc(1, sizeof *cur), *next = calloc(1, sizeof *next);
	int ms = MISSING_ERROR;
	if (!cur || !next)
		goto out;
	if ((ms = missing_get(st, id, cur)) != MISSING_OK)
		goto out;
	ms = MISSING_STALE;
	if (version != cur->version)
		goto out;
	ms = MISSING_CONFLICT;
	if (!cur->ended_at)
		goto out;
	memcpy(next, cur, sizeof *next);
	next->ended_at = 0;
	next->reopened_count = cur->reopened_count + 1;
	char fields[256];
	if ((ms = apply(st, by, cur, next, fields, sizeof fields)) != MISSING_OK)
		goto out;
	/* The reason goes on record (cut to the detail's size at a character boundary). */
	char detail[256];
	int len = snprintf(detail, sizeof detail, "person %" PRId64 "; reason: %s", cur->person_id, reason);
	if (len >= (int)sizeof detail) {
		size_t n = sizeof detail - 1;
		while (n > 0 && ((unsigned char)detail[n] & 0xc0) == 0x80)
			n--; /* detail[n] is the first byte cut off: back up to a character's start */
		detail[n] = 0;
	}
	ms = audit(st, by, "missing.reopen", SUBJECT_EPISODE, id, detail);
out:
	free(cur);
	free(next);
	return ms;
}

/* ---- gradings ---- */

/* Add grading g to episode cur and refresh the episode's grades; audited unless quiet. */
static int grading_add(struct store *st, const struct user *by, const struct missing_episode *cur,
		       struct missing_grading *g, bool quiet)
{
	int ms = MISSING_ERROR, n = 0;
	struct missing_grading *all = calloc(MISSING_GRADINGS_MAX, sizeof *all);
	if (!all)
		return MISSING_ERROR;
	if (store_missing_gradings(st, cur->id, all, MISSING_GRADINGS_MAX, &n) != 0)
		goto out;
	ms = MISSING_CONFLICT;
	if (n >= MISSING_GRADINGS_MAX)
		goto out;
	ms = MISSING_ERROR;
	int64_t now = store_now();
	if (store_missing_grading_insert(st, cur->id, g, by->id, now) != 0)
		goto out;
	all[n++] = *g;
	char latest[8], highest[8];
	missing_grades_summary(all, n, latest, highest);
	if (store_missing_grades_set(st, cur->id, latest, highest, by->id, now) != 0)
		goto out;
	ms = MISSING_OK;
	if (!quiet) {
		char detail[64];
		snprintf(detail, sizeof detail, "grade %s; latest %s; highest %s", g->grade, latest, highest);
		ms = audit(st, by, "missing.grade", SUBJECT_EPISODE, cur->id, detail);
	}
out:
	free(all);
	return ms;
}

int missing_add_grading(struct store *st, const struct user *by, int64_t id, struct missing_grading *g,
			struct missing_errors *errs)
{
	struct missing_episode *cur = calloc(1, sizeof *cur);
	if (!cur)
		return MISSING_ERROR;
	int ms = missing_get(st, id, cur);
	if (ms != MISSING_OK)
		goto out;
	int64_t now = store_now();
	if (!g->graded_at)
		g->graded_at = now < cur->started_at ? cur->started_at : now;
	struct missing_errors local = { .n = 0 };
	struct missing_errors *er = errs ? errs : &local;
	int before = er->n;
	if (not_future(er, "graded_at", g->graded_at, now) && g->graded_at < cur->started_at)
		missing_errors_add(er, "graded_at", "must not be before the child was last seen (started_at)");
	ms = MISSING_INVALID;
	if (er->n != before)
		goto out;
	ms = grading_add(st, by, cur, g, false);
out:
	free(cur);
	return ms;
}

int missing_gradings(struct store *st, int64_t id, struct missing_grading *out, int max, int *n)
{
	return store_missing_gradings(st, id, out, max, n) == 0 ? MISSING_OK : MISSING_ERROR;
}

/* ---- the import's update ---- */

/* Copy src into dst (cap bytes) when src is not empty: an import's empty column keeps what is stored. */
static void take_text(char *dst, const char *src, size_t cap)
{
	if (src[0] && strcmp(dst, src) != 0)
		snprintf(dst, cap, "%s", src);
}

int missing_update_import(struct store *st, const struct user *by, int64_t id, const struct missing_episode *in,
			  bool *changed, struct missing_errors *errs)
{
	struct missing_episode *cur = calloc(1, sizeof *cur), *next = calloc(1, sizeof *next);
	struct missing_grading *g = NULL;
	int ms = MISSING_ERROR;
	*changed = false;
	if (!cur || !next)
		goto out;
	if ((ms = missing_get(st, id, cur)) != MISSING_OK)
		goto out;
	memcpy(next, cur, sizeof *next);
	if (in->started_at)
		next->started_at = in->started_at;
	if (in->reported_at)
		next->reported_at = in->reported_at;
	if (in->ended_at)
		next->ended_at = in->ended_at;
	take_text(next->missing_from, in->missing_from, sizeof next->missing_from);
	take_text(next->category, in->category, sizeof next->category);
	if (in->looked_after_given)
		next->looked_after = in->looked_after;
	take_text(next->placement_type, in->placement_type, sizeof next->placement_type);
	take_text(next->placement_provider, in->placement_provider, sizeof next->placement_provider);
	take_text(next->placing_authority, in->placing_authority, sizeof next->placing_authority);
	take_text(next->host_authority, in->host_authority, sizeof next->host_authority);
	take_text(next->team, in->team, sizeof next->team);
	take_text(next->locality, in->locality, sizeof next->locality);
	take_text(next->found_where, in->found_where, sizeof next->found_where);
	take_text(next->notes, in->notes, sizeof next->notes);
	snprintf(next->grade, sizeof next->grade, "%s", in->grade);
	next->graded_at = in->graded_at;
	snprintf(next->graded_by, sizeof next->graded_by, "%s", in->graded_by);
	struct missing_errors local = { .n = 0 };
	struct missing_errors *er = errs ? errs : &local;
	ms = MISSING_INVALID;
	if (!missing_check(next, store_now(), er))
		goto out;
	char fields[256];
	if ((ms = apply(st, by, cur, next, fields, sizeof fields)) != MISSING_OK)
		goto out;
	if (fields[0]) {
		*changed = true;
		if (!in->audit_skip) {
			char detail[256];
			snprintf(detail, sizeof detail, "import; %.240s", fields);
			if ((ms = audit(st, by, "missing.update", SUBJECT_EPISODE, id, detail)) != MISSING_OK)
				goto out;
		}
	}
	/* A grade adds a grading when it is news: a dated one not yet recorded at that time, an
	 * undated one that differs from the latest. */
	if (!in->grade[0])
		goto out;
	ms = MISSING_ERROR;
	bool news = true;
	if (in->graded_at) {
		/* One indexed look-up, not the episode's gradings read into memory: a re-import asks
		 * this of every graded row. */
		bool exists = false;
		if (store_missing_grading_exists(st, id, in->graded_at, in->grade, &exists) != 0)
			goto out;
		news = !exists;
	} else {
		news = strcmp(cur->grade_latest, in->grade) != 0;
	}
	ms = MISSING_OK;
	if (!news)
		goto out;
	ms = MISSING_ERROR;
	g = calloc(1, sizeof *g);
	if (!g)
		goto out;
	snprintf(g->grade, sizeof g->grade, "%s", in->grade);
	g->graded_at = in->graded_at ? in->graded_at : store_now();
	snprintf(g->graded_by, sizeof g->graded_by, "%s", in->graded_by);
	ms = grading_add(st, by, next, g, in->audit_skip);
	if (ms == MISSING_OK)
		*changed = true;
out:
	free(cur);
	free(next);
	free(g);
	return ms;
}

/* ---- return home interviews ---- */

int missing_rhi_get(struct store *st, int64_t id, struct missing_rhi *r)
{
	int rc = store_missing_rhi_get(st, id, r);
	return rc == 0 || rc == STORE_NOTFOUND ? MISSING_OK : MISSING_ERROR;
}

bool missing_rhi_check(const struct missing_episode *e, const struct missing_rhi *r, int64_t now,
		       struct missing_errors *errs)
{
	static const char returned[] = "the child returned (ended_at)";
	int before = errs->n;
	missing_check_time(errs, "offered_at", r->offered_at, e->ended_at, returned, now);
	missing_check_time(errs, "responded_at", r->responded_at, e->ended_at, returned, now);
	if (missing_check_time(errs, "completed_at", r->completed_at, e->ended_at, returned, now) && r->completed_at &&
	    r->offered_at && r->completed_at < r->offered_at)
		missing_errors_add(errs, "completed_at", "must not be before the interview was offered");
	if (r->completed_at && !r->offered_at)
		missing_errors_add(errs, "offered_at", "is required when the interview was completed");
	if (strcmp(r->response, "declined") == 0 && !r->declined_reason[0])
		missing_errors_add(errs, "declined_reason", "is required when the interview was declined");
	return errs->n == before;
}

int missing_rhi_put(struct store *st, const struct user *by, int64_t id, struct missing_rhi *r,
		    struct missing_errors *errs)
{
	struct missing_episode *cur = calloc(1, sizeof *cur);
	struct missing_rhi *old = calloc(1, sizeof *old);
	int ms = MISSING_ERROR;
	if (!cur || !old)
		goto out;
	if ((ms = missing_get(st, id, cur)) != MISSING_OK)
		goto out;
	ms = MISSING_CONFLICT;
	if (!cur->ended_at)
		goto out;
	ms = MISSING_ERROR;
	int rc = store_missing_rhi_get(st, id, old);
	if (rc != 0 && rc != STORE_NOTFOUND)
		goto out;
	ms = MISSING_STALE;
	if (r->version != old->version)
		goto out;
	int64_t now = store_now();
	/* A response recorded without its time happened now (or at the return, if that is later). */
	if (r->response[0] && !r->responded_at)
		r->responded_at = now < cur->ended_at ? cur->ended_at : now;
	struct missing_errors local = { .n = 0 };
	struct missing_errors *er = errs ? errs : &local;
	ms = MISSING_INVALID;
	if (!missing_rhi_check(cur, r, now, er))
		goto out;
	rc = old->version ? store_missing_rhi_update(st, id, r, by->id, now)
			  : store_missing_rhi_insert(st, id, r, by->id, now);
	ms = rc == STORE_CONFLICT ? MISSING_STALE : MISSING_ERROR;
	if (rc != 0)
		goto out;
	snprintf(r->updated_by, sizeof r->updated_by, "%s", by->username);
	if ((ms = rhi_clock_sync(st, cur, r, now)) != MISSING_OK)
		goto out;
	char detail[128];
	snprintf(detail, sizeof detail, "person %" PRId64 "%s%s%s%s", cur->person_id, r->offered_at ? "; offered" : "",
		 r->response[0] ? "; " : "", r->response, r->completed_at ? "; completed" : "");
	ms = audit(st, by, "missing.rhi", SUBJECT_EPISODE, id, detail);
out:
	free(cur);
	free(old);
	return ms;
}

/* ---- notifications ---- */

int missing_notifications(struct store *st, int64_t episode_id, bool open_only, struct missing_notification *out,
			  int max, int *n)
{
	return store_missing_notifications(st, episode_id, open_only, out, max, n) == 0 ? MISSING_OK : MISSING_ERROR;
}

int missing_notification_ack(struct store *st, const struct user *by, int64_t id, int64_t version, int64_t at,
			     const char *ack_by, struct missing_notification *out, struct missing_errors *errs)
{
	int ms = from_store(id > 0 ? store_missing_notification_get(st, id, out) : STORE_NOTFOUND);
	if (ms != MISSING_OK)
		return ms;
	if (out->acknowledged_at)
		return MISSING_CONFLICT;
	if (version != out->version)
		return MISSING_STALE;
	int64_t now = store_now();
	if (!at)
		at = now;
	struct missing_errors local = { .n = 0 };
	struct missing_errors *er = errs ? errs : &local;
	int before = er->n;
	if (not_future(er, "acknowledged_at", at, now) && at < out->created_at)
		missing_errors_add(er, "acknowledged_at", "must not be before the notification was made");
	if (er->n != before)
		return MISSING_INVALID;
	int rc = store_missing_notification_ack(st, id, version, at, ack_by, by->id);
	if (rc == STORE_CONFLICT)
		return MISSING_STALE;
	if (rc != 0 || store_missing_notification_get(st, id, out) != 0)
		return MISSING_ERROR;
	char detail[64];
	snprintf(detail, sizeof detail, "episode %" PRId64 "; %s", out->episode_id, out->reason);
	return audit(st, by, "notification.acknowledge", "notification", id, detail);
}

/* ---- repeat missing ---- */

/*
 * The repeat-missing rule with the settings s already read, for episode `id` of `person_id`
 * starting at started_at; the task belongs to `team` (the episode's).
 */
static int repeat_flag(struct store *st, const struct user *by, const struct settings_mfh *s, int64_t person_id,
		       int64_t id, const char *team, int64_t now, int64_t due, bool *flagged);

static int repeat_check(struct store *st, const struct user *by, const struct settings_mfh *s, int64_t person_id,
			int64_t id, int64_t started_at, const char *team, bool *flagged)
{
	int64_t *starts = NULL;
	int n = 0, ms = MISSING_ERROR;
	if (flagged)
		*flagged = false;
	int64_t span = (int64_t)s->repeat_days * DAY_SECONDS;
	if (store_missing_starts(st, person_id, started_at - span + 1, started_at + span - 1, &starts, &n) != 0)
		goto out;
	ms = MISSING_OK;
	if (missing_repeat_crossed(starts, n, started_at, s->repeat_days, s->repeat_count))
		ms = repeat_flag(st, by, s, person_id, id, team, store_now(), 0, flagged);
out:
	free(starts);
	return ms;
}

/*
 * Episode `id` of person_id (of team `team`) crossed the repeat threshold: unless the person is
 * flagged already, flag them at `now`, start the intervention-meeting clock (due at `due`; 0:
 * computed from now) and audit missing.repeat.
 */
static int repeat_flag(struct store *st, const struct user *by, const struct settings_mfh *s, int64_t person_id,
		       int64_t id, const char *team, int64_t now, int64_t due, bool *flagged)
{
	int64_t set_at = 0;
	int ms = MISSING_OK;
	int rc = store_person_flag_active(st, person_id, FLAG_REPEAT, &set_at);
	if (rc == 0)
		goto out;
	ms = MISSING_ERROR;
	if (rc != STORE_NOTFOUND)
		goto out;
	char note[96];
	snprintf(note, sizeof note, "%d or more episodes within %d days", s->repeat_count, s->repeat_days);
	if (store_person_flag_insert(st, person_id, FLAG_REPEAT, note, now, by->id) != 0)
		goto out;
	struct clock_subject subject = { .type = "person", .id = person_id, .person_id = person_id, .team = team };
	if (clock_start(st, STANDARD_REPEAT, &subject, now, due) != 0)
		goto out;
	char detail[128];
	snprintf(detail, sizeof detail, "episode %" PRId64 "; %s", id, note);
	if ((ms = audit(st, by, "missing.repeat", "person", person_id, detail)) != MISSING_OK)
		goto out;
	if (flagged)
		*flagged = true;
out:
	return ms;
}

int missing_repeat_check(struct store *st, const struct user *by, int64_t person_id, int64_t id,
			 int64_t started_at, bool *flagged)
{
	struct settings_mfh s;
	struct missing_episode *e = calloc(1, sizeof *e);
	int ms = MISSING_ERROR;
	if (e && settings_mfh(st, &s) == 0 && store_missing_get(st, id, e) == 0)
		ms = repeat_check(st, by, &s, person_id, id, started_at, e->team, flagged);
	free(e);
	return ms;
}

int missing_batch_new(struct store *st, struct missing_batch **out)
{
	struct missing_batch *b = calloc(1, sizeof *b);
	*out = NULL;
	if (!b)
		return MISSING_ERROR;
	int rc = settings_mfh(st, &b->settings) == 0 ? store_standard_get(st, STANDARD_RHI, &b->rhi) : -1;
	if (rc != 0 && rc != STORE_NOTFOUND) {
		free(b);
		return MISSING_ERROR;
	}
	b->rhi_known = rc == 0;
	if (store_missing_pending_new(st, &b->pending) != 0) {
		free(b);
		return MISSING_ERROR;
	}
	*out = b;
	return MISSING_OK;
}

/*
 * The deferred repeat check of one person, e[0..n) their episodes by id: the batch's episodes in
 * id order, each with the starts of the episodes that existed once it was created (ids up to its
 * own) near its start, as repeat_check would have seen them. The id of the first that crosses,
 * or 0. starts has room for n.
 */
static int64_t batch_crossing(const struct missing_batch *b, const struct store_missing_start *e, int n,
			      int64_t *starts)
{
	int64_t span = (int64_t)b->settings.repeat_days * DAY_SECONDS;
	for (int k = 0; k < n; k++) {
		if (e[k].id < b->first_id)
			continue;
		int m = 0;
		for (int j = 0; j <= k; j++) /* e is in id order: these existed when e[k] was created */
			if (e[j].started_at >= e[k].started_at - span + 1 && e[j].started_at <= e[k].started_at + span - 1)
				starts[m++] = e[j].started_at;
		if (missing_repeat_crossed(starts, m, e[k].started_at, b->settings.repeat_days, b->settings.repeat_count))
			return e[k].id;
	}
	return 0;
}

/* Flag person_id for the batch's episode `id`, the first that crossed (unless flagged already):
 * the meeting clock takes that episode's team. */
static int batch_flag(struct store *st, const struct user *by, const struct missing_batch *b, int64_t person_id,
		      int64_t id, int64_t now, int64_t due)
{
	char team[MISSING_TEXT_CHARS * 4 + 1];
	if (store_missing_team(st, id, team, sizeof team) != 0)
		return MISSING_ERROR;
	return repeat_flag(st, by, &b->settings, person_id, id, team, now, due, NULL);
}

/* The deferred repeat check of one person, their episodes read by person_id. */
static int batch_repeat(struct store *st, const struct user *by, const struct missing_batch *b, int64_t person_id,
			int64_t now, int64_t due)
{
	struct store_missing_start *e = NULL;
	int n = 0, ms = MISSING_ERROR;
	int64_t *starts = NULL;
	if (store_missing_person_starts(st, person_id, &e, &n) != 0)
		goto out;
	starts = malloc((size_t)(n ? n : 1) * sizeof *starts);
	if (!starts)
		goto out;
	int64_t id = batch_crossing(b, e, n, starts);
	ms = id ? batch_flag(st, by, b, person_id, id, now, due) : MISSING_OK;
out:
	free(starts);
	free(e);
	return ms;
}

/* Whether the batch created an episode of person_id (batch_defer's set). */
static bool batch_has(const struct missing_batch *b, int64_t person_id)
{
	return b->cap_seen && b->seen[seen_slot(b->seen, b->cap_seen, person_id)];
}

/* The walk's crossings: (person, episode) pairs, flagged once the walk is over (it only reads). */
struct batch_walk {
	const struct missing_batch *b;
	int64_t *starts;       /* batch_crossing's room */
	size_t cap_starts;
	int64_t (*hits)[2];
	size_t n_hits, cap_hits;
};

/* store_missing_starts_all's callback: one person's episodes. */
static int batch_walk_person(void *ctx, int64_t person_id, const struct store_missing_start *e, int n)
{
	struct batch_walk *w = ctx;
	if (!batch_has(w->b, person_id))
		return 0;
	if ((size_t)n > w->cap_starts) {
		int64_t *a = realloc(w->starts, (size_t)n * sizeof *a);
		if (!a)
			return -1;
		w->starts = a;
		w->cap_starts = (size_t)n;
	}
	int64_t id = batch_crossing(w->b, e, n, w->starts);
	if (!id)
		return 0;
	if (w->n_hits == w->cap_hits) {
		size_t cap = w->cap_hits ? w->cap_hits * 2 : 1024;
		int64_t(*a)[2] = realloc(w->hits, cap * sizeof *a);
		if (!a)
			return -1;
		w->hits = a;
		w->cap_hits = cap;
	}
	w->hits[w->n_hits][0] = person_id;
	w->hits[w->n_hits][1] = id;
	w->n_hits++;
	return 0;
}

/* The deferred repeat checks of every person of the batch from one walk of missing_person, for a
 * batch whose persons hold a large share of the hub's episodes: a query per person would read
 * most of them one person at a time. */
static int batch_repeat_walk(struct store *st, const struct user *by, const struct missing_batch *b, int64_t now,
			     int64_t due)
{
	struct batch_walk w = { .b = b };
	int ms = store_missing_starts_all(st, batch_walk_person, &w) == 0 ? MISSING_OK : MISSING_ERROR;
	for (size_t i = 0; ms == MISSING_OK && i < w.n_hits; i++)
		ms = batch_flag(st, by, b, w.hits[i][0], w.hits[i][1], now, due);
	free(w.starts);
	free(w.hits);
	return ms;
}

int missing_batch_flush(struct store *st, struct missing_batch *b)
{
	int rc = store_missing_pending_flush(st, b->pending);
	return rc == 0 ? MISSING_OK : rc == STORE_CONFLICT ? MISSING_DUPLICATE : MISSING_ERROR;
}

int missing_batch_finish(struct store *st, const struct user *by, struct missing_batch *b)
{
	int flushed = missing_batch_flush(st, b);
	if (flushed != MISSING_OK)
		return flushed;
	/* The batch's flags are set at one time, so their meeting clocks share one due time: the
	 * working-day calendar is read once, not once a flag. */
	int64_t now = store_now(), due = 0;
	int rc = clock_due(st, STANDARD_REPEAT, now, &due);
	if (rc != 0 && rc != STORE_NOTFOUND)
		return MISSING_ERROR;
	if (rc != 0)
		due = 0; /* an unknown or inactive standard: clock_start, given 0, finds that out itself */
	if (!b->n_persons)
		return MISSING_OK;
	int64_t episodes = 0;
	if (store_missing_max_id(st, &episodes) != 0)
		return MISSING_ERROR;
	if ((int64_t)b->n_persons * BATCH_WALK_RATIO >= episodes)
		return batch_repeat_walk(st, by, b, now, due);
	for (size_t i = 0; i < b->n_persons; i++) {
		int ms = batch_repeat(st, by, b, b->persons[i], now, due);
		if (ms != MISSING_OK)
			return ms;
	}
	return MISSING_OK;
}

void missing_batch_free(struct missing_batch *b)
{
	if (!b)
		return;
	free(b->persons);
	free(b->seen);
	store_missing_pending_free(b->pending);
	free(b);
}

int missing_meeting_held(struct store *st, int64_t person_id, int64_t held_at)
{
	int64_t started = 0, *starts = NULL;
	int n = 0;
	if (person_id <= 0)
		return 0;
	if (store_missing_clock_started(st, STANDARD_REPEAT, "person", person_id, &started) != 0)
		return -1;
	if (!started)
		return 0;
	if (store_missing_starts(st, person_id, 0, started, &starts, &n) != 0)
		return -1;
	int64_t since = n ? starts[n - 1] : started;
	free(starts);
	if (held_at < since)
		return 0;
	return clock_stop(st, STANDARD_REPEAT, "person", person_id, held_at < started ? started : held_at, NULL, NULL);
}

int missing_list(struct store *st, const struct missing_query *q, int64_t **ids, int *n, int64_t *total)
{
	return store_missing_ids(st, q, ids, n, total) == 0 ? MISSING_OK : MISSING_ERROR;
}

int missing_person_get(struct store *st, int64_t id, struct missing_person *out)
{
	return from_store(id > 0 ? store_missing_person(st, id, out) : STORE_NOTFOUND);
}

int missing_notification_get(struct store *st, int64_t id, struct missing_notification *out)
{
	return from_store(id > 0 ? store_missing_notification_get(st, id, out) : STORE_NOTFOUND);
}

int missing_person_summary(struct store *st, int64_t person_id, int64_t now, struct missing_person_summary *out)
{
	memset(out, 0, sizeof *out);
	int rc = store_missing_count(st, person_id, now - 90 * (int64_t)DAY_SECONDS, now, &out->count_90_days);
	if (rc == 0)
		rc = store_missing_count(st, person_id, now - 365 * (int64_t)DAY_SECONDS, now, &out->count_12_months);
	if (rc == 0) {
		rc = store_person_flag_active(st, person_id, FLAG_REPEAT, &out->repeat_since);
		out->repeat_flagged = rc == 0;
		if (rc == STORE_NOTFOUND)
			rc = 0;
	}
	if (rc == 0)
		rc = store_missing_open_of(st, person_id, &out->open_episode_id);
	return rc == 0 ? MISSING_OK : MISSING_ERROR;
}
