/*
 * missing.h - the Missing From Home hub's episodes (docs/api-missing.md): a child's missing
 * episode with its police risk gradings (a re-grade adds, never overwrites), the return and its
 * return home interview (RHI, due 72 hours after the return: the `rhi` practice-standard clock),
 * out-of-area children (placed here by another authority, or ours placed elsewhere: who does the
 * RHI follows the setting mfh.rhi_rule, and each such episode notifies the other authority), and
 * repeat missing (mfh.repeat_count episodes starting within mfh.repeat_days days flag the child
 * and start the `repeat_missing_meeting` clock: the intervention-meeting task).
 * Owns: those rules, pure where they can be (missing_check, missing_out_of_area,
 * missing_rhi_status, missing_repeat_window) and the audit entries missing.create, missing.update,
 * missing.grade, missing.return, missing.reopen, missing.rhi, missing.repeat,
 * notification.acknowledge. Runs inside the caller's transaction (API request, import, demo).
 * Must not touch: HTTP, jansson (api_missing.c converts), SQL text (store_missing.c).
 */
#ifndef SAFEHUB_MISSING_H
#define SAFEHUB_MISSING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;
struct settings_mfh;
struct missing_batch;

#define MISSING_RHI_SECONDS (72 * 3600)  /* the RHI is due this long after the return */
#define MISSING_RHI_HISTORY_DAYS 28      /* an imported return older than this is history: it
					  * gets no rhi clock (missing_rhi_history) */
#define MISSING_AUTHORITY_CHARS 100      /* police_force, provider, placing/host authority */
#define MISSING_REF_CHARS 50             /* police_ref */
#define MISSING_TEXT_CHARS 200           /* team, locality, found_where */
#define MISSING_NOTES_CHARS 10000        /* notes */
#define MISSING_FOUND_WITH_MAX 20        /* persons found with the child */
#define MISSING_GRADED_BY_CHARS 100      /* the officer who graded */
#define MISSING_GRADE_NOTE_CHARS 1000    /* a grading's note */
#define MISSING_REASON_CHARS 1000        /* a reopen's reason */
#define MISSING_RHI_TEXT_CHARS 10000     /* RHI findings: push/pull factors, stayed where/with, follow up */
#define MISSING_RHI_NAME_CHARS 200       /* RHI offered_by, offered_org; notification acknowledged_by */
#define MISSING_GRADINGS_MAX 200         /* gradings one episode keeps (a re-grade past it is refused) */
#define MISSING_NOTIFICATIONS_MAX 8      /* notifications loaded with an episode */

/* Outcomes of missing operations (returned as int by the functions below). */
enum missing_status {
	MISSING_OK = 0,
	MISSING_NOT_FOUND,   /* no such episode / notification */
	MISSING_NO_PERSON,   /* person_id names no person: a field error on person_id */
	MISSING_NO_FOUND_WITH, /* a found_with id names no person: a field error on found_with */
	MISSING_DENIED,      /* the person is restricted and the user is not named on it */
	MISSING_DUPLICATE,   /* (police_force, police_ref) is already another episode's: 409 */
	MISSING_STALE,       /* the version sent is not the current one: 409 */
	MISSING_CONFLICT,    /* the state refuses it (reopen an open episode, clear ended_at, RHI on an
			      * open episode, acknowledge twice): 409 */
	MISSING_INVALID,     /* a rule that needs the stored episode failed (e.g. ended_at before the
			      * stored started_at, RHI time before ended_at): errs say which fields */
	MISSING_ERROR        /* the store failed: the caller rolls back */
};

/* One field error (the api turns these into the 422's errors; the import into row/column). */
struct missing_field_error {
	char field[48];      /* the member's name as in the JSON: "started_at", "placement.type", ... */
	char message[160];   /* a sentence for the user */
};
#define MISSING_ERRORS_MAX 32

/* A set of field errors, filled by the checks below. */
struct missing_errors {
	struct missing_field_error e[MISSING_ERRORS_MAX];
	int n;
};

/* One police risk grading. */
struct missing_grading {
	int64_t id;                                          /* missing_gradings.id; 0 before stored */
	char grade[8];                                       /* none, low, medium, high */
	int64_t graded_at;                                   /* UTC seconds */
	char graded_by[MISSING_GRADED_BY_CHARS * 4 + 1];     /* the officer, as the police record them */
	char note[MISSING_GRADE_NOTE_CHARS * 4 + 1];         /* may be "" */
};

/* A notification to the other authority about an out-of-area child's episode. */
struct missing_notification {
	int64_t id;                                          /* missing_notifications.id */
	int64_t version;                                     /* from 1 */
	int64_t episode_id;
	char to_authority[MISSING_AUTHORITY_CHARS * 4 + 1];  /* the other authority */
	char reason[20];                                     /* placed_here | placed_elsewhere */
	char rhi_by[8];                                      /* us | other, at the time it was made */
	int64_t created_at;                                  /* UTC seconds */
	int64_t acknowledged_at;                             /* UTC seconds, 0 while not acknowledged */
	char acknowledged_by[MISSING_RHI_NAME_CHARS * 4 + 1];/* who at the other authority */
	int64_t person_id;                                   /* the episode's child (read only) */
};

/* The return home interview of an episode (at most one). 0 times and -1 flags: not recorded. */
struct missing_rhi {
	int64_t version;                                     /* from 1; 0 when none is stored */
	int64_t offered_at;
	char offered_by[MISSING_RHI_NAME_CHARS * 4 + 1];
	char offered_org[MISSING_RHI_NAME_CHARS * 4 + 1];
	int independent;                                     /* 1 yes, 0 no, -1 not recorded */
	char response[12];                                   /* "", accepted, declined */
	int64_t responded_at;
	char declined_reason[MISSING_RHI_TEXT_CHARS * 4 + 1];
	int64_t completed_at;
	char push_factors[MISSING_RHI_TEXT_CHARS * 4 + 1];
	char pull_factors[MISSING_RHI_TEXT_CHARS * 4 + 1];
	char stayed_where[MISSING_RHI_TEXT_CHARS * 4 + 1];
	char stayed_with[MISSING_RHI_TEXT_CHARS * 4 + 1];
	int exploitation_disclosed;                          /* 1 yes, 0 no, -1 not recorded */
	char follow_up[MISSING_RHI_TEXT_CHARS * 4 + 1];
	int64_t updated_at;
	char updated_by[USER_NAME_MAX + 1];                  /* username */
};

/*
 * A missing episode, as validated input or as stored. About 60 KiB: allocate it.
 * Input: the caller sets person_id, started_at, reported_at, ended_at (0 = still missing),
 * missing_from, category, police_force, police_ref ("" = none), looked_after (with
 * looked_after_given false it defaults to true when missing_from is "care"), placement_*,
 * team, locality, found_where, found_with, notes, optionally an initial grading (grade "" =
 * none; graded_at 0 = the episode's reported_at) and import_id (0 when not from an import).
 * The rest is computed by missing_create.
 */
struct missing_episode {
	int64_t id;                                          /* missing_episodes.id; 0 before stored */
	int64_t version;                                     /* optimistic-concurrency version, from 1 */
	int64_t person_id;                                   /* the child */
	int64_t started_at;                                  /* last seen, UTC seconds */
	int64_t reported_at;                                 /* reported to the police, UTC seconds */
	int64_t ended_at;                                    /* found or returned; 0 while missing */
	char missing_from[12];                               /* home, care, education, other */
	char category[2];                                    /* SSDA903: M missing, A away */
	char police_force[MISSING_AUTHORITY_CHARS * 4 + 1];  /* may be "" */
	char police_ref[MISSING_REF_CHARS * 4 + 1];          /* "" = none (NULL in the store) */
	bool looked_after;                                   /* a looked-after child */
	bool looked_after_given;                             /* input only: false = apply the default */
	char placement_type[20];                             /* "", foster, residential, kinship,
							      * semi_independent, secure, other */
	char placement_provider[MISSING_AUTHORITY_CHARS * 4 + 1];
	char placing_authority[MISSING_AUTHORITY_CHARS * 4 + 1];
	char host_authority[MISSING_AUTHORITY_CHARS * 4 + 1];
	char out_of_area[20];                                /* computed: "", placed_here, placed_elsewhere */
	char rhi_by[8];                                      /* computed: us, other */
	char team[MISSING_TEXT_CHARS * 4 + 1];
	char locality[MISSING_TEXT_CHARS * 4 + 1];
	char found_where[MISSING_TEXT_CHARS * 4 + 1];
	int64_t found_with[MISSING_FOUND_WITH_MAX];          /* person ids */
	int n_found_with;
	char notes[MISSING_NOTES_CHARS * 4 + 1];
	/* Input only: an initial grading on create (grade "" = none). */
	char grade[8];                                       /* none, low, medium, high or "" */
	int64_t graded_at;                                   /* 0 = the episode's reported_at */
	char graded_by[MISSING_GRADED_BY_CHARS * 4 + 1];
	/* Computed / stored. */
	char grade_latest[8];                                /* "" when never graded */
	char grade_highest[8];                               /* "" when never graded */
	int64_t rhi_due_at;                                  /* ended_at + 72 h; 0 while missing */
	int reopened_count;
	int64_t import_id;                                   /* input too: the import run, 0 when none */
	bool audit_skip;                                     /* input: the caller audits the batch itself
							      * (an import's import.missing), so no
							      * missing.create/update/grade entry per
							      * episode (missing.repeat is still audited) */
	struct missing_batch *batch;                         /* input: the batch (an import) this create
							      * belongs to (missing_batch_new: settings
							      * read once, repeat checks deferred); NULL:
							      * one episode on its own */
	int64_t created_at, updated_at;                      /* UTC seconds */
	char created_by[USER_NAME_MAX + 1];                  /* usernames */
	char updated_by[USER_NAME_MAX + 1];
};

/* The person-level summary for GET /persons/{id}/missing (episodes are listed separately). */
struct missing_person_summary {
	int count_90_days;                                   /* episodes starting in the last 90 days */
	int count_12_months;                                 /* ... in the last 365 days */
	bool repeat_flagged;                                 /* an active repeat_missing person flag */
	int64_t repeat_since;                                /* its set_at, 0 when not flagged */
	int64_t open_episode_id;                             /* the latest episode still missing, 0 */
};

/* A filter for the episode list (missing_list). Unused members are 0 or "". */
struct missing_query {
	int64_t person_id;        /* one person's episodes */
	char status[12];          /* "missing" (no end), "returned", or "" for both */
	int64_t from, to;         /* started_at >= from (when > 0) and < to (when > 0), UTC seconds */
	int64_t user_id;          /* restricted persons that do not name this user are left out */
	int limit, offset;        /* a page: limit >= 1 */
};

/* The facts of a person that an episode shows. */
struct missing_person {
	int64_t id;
	char given_name[401];
	char family_name[401];
	char dob[11];             /* YYYY-MM-DD, "" when not known */
	char sex[8];              /* female, male, unknown */
	bool restricted;          /* need-to-know: only the named users may see it */
};

/* ---- pure rules ---- */

/* missing_grade_rank - 0 none/unknown/"" , 1 low, 2 medium, 3 high. */
int missing_grade_rank(const char *grade);

/* missing_grade_valid - true for none, low, medium, high. */
bool missing_grade_valid(const char *grade);

/*
 * missing_check - check the caller-set fields of *e against the contract's rules at time `now`,
 * adding one error per bad field to errs (not cleared first): started_at required (non-zero) and
 * not after now; reported_at required, not before started_at, not after now; ended_at (when
 * non-zero) not before started_at, not after now; missing_from and category in their codes;
 * placement_type in its codes; text lengths (counted in UTF-8 characters, valid UTF-8) within the
 * MISSING_*_CHARS limits (police_ref also); grade "" or a grade, graded_by within its limit,
 * graded_at (when non-zero) not before started_at and not after now. Does not look at the store
 * (person existence, found_with ids, duplicates are missing_create's). Pure. Returns errs->n == 0.
 */
bool missing_check(const struct missing_episode *e, int64_t now, struct missing_errors *errs);

/*
 * missing_check_time - check time `t` (0: nothing to check) is not after now (with 5 minutes of
 * clock skew) and not before not_before, adding an error for `field` to errs when it is:
 * "must not be in the future" or "must not be before <what>". Pure. Returns whether it passed.
 */
bool missing_check_time(struct missing_errors *errs, const char *field, int64_t t, int64_t not_before,
			const char *what, int64_t now);

/*
 * missing_rhi_check - check RHI *r against its returned episode *e at `now`, adding one error per
 * bad field to errs: offered_at, responded_at and completed_at not before e->ended_at and not in
 * the future; completed_at needs offered_at (named offered_at) and is not before it; response
 * "declined" needs declined_reason. Pure. Returns whether it passed.
 */
bool missing_rhi_check(const struct missing_episode *e, const struct missing_rhi *r, int64_t now,
		       struct missing_errors *errs);

/*
 * missing_rhi_history - whether a return at ended_at is history at time `now`: more than
 * MISSING_RHI_HISTORY_DAYS before it. An import gives such a return no rhi clock (the RHI window
 * closed long ago: nothing left to time, and ten years of police extract would otherwise be
 * ~a million dead clocks); the episode's rhi_status still says breached. False for no return. Pure.
 */
bool missing_rhi_history(int64_t ended_at, int64_t now);

/*
 * missing_out_of_area - the out-of-area rule. With H = home_authority: when placing and host are
 * both non-empty and differ, "placed_here" when host = H, "placed_elsewhere" when placing = H,
 * else "". rhi_by: for an out-of-area episode with rule "host", "us" when placed_here and "other"
 * when placed_elsewhere; with rule "placing" the opposite; not out of area: "us". Writes both
 * into out_of_area (>= 20 bytes) and rhi_by (>= 8 bytes). Comparison is exact (case-sensitive
 * after the edge trimmed the values). Pure.
 */
void missing_out_of_area(const char *home_authority, const char *rhi_rule, const char *placing,
			 const char *host, char *out_of_area, char *rhi_by);

/*
 * missing_rhi_status - the episode's rhi_status at time `now`, as a static string or NULL:
 * NULL while missing (ended_at 0), or when rhi_by is "other" and no RHI is recorded (r NULL or
 * r->version 0); "completed" (completed_at set); "declined" (response declined); "breached"
 * (no completion and now > rhi_due_at); "offered" (offered_at set); else "due". Pure.
 */
const char *missing_rhi_status(const struct missing_episode *e, const struct missing_rhi *r, int64_t now);

/*
 * missing_repeat_window - the first second of the repeat-missing window of `days` 24-hour days
 * ending at `started_at`: an episode whose start s satisfies window_start <= s <= started_at
 * counts. The window is the `days` * 86400 seconds up to and including started_at, so
 * window_start = started_at - days * 86400 + 1: starts 89 days apart (days 1 and 90 at the same
 * time of day) are inside a 90-day window; starts exactly 90 days apart (days 1 and 91) are not.
 * Pure.
 */
int64_t missing_repeat_window(int64_t started_at, int days);

/*
 * missing_grades_summary - from gradings g[0..n) (any order) write the latest grade (the one
 * with the latest graded_at; on a tie the one with the larger id) into latest and the highest
 * grade (by missing_grade_rank; on a tie the earliest in g) into highest, both >= 8 bytes; ""
 * when n is 0. Pure.
 */
void missing_grades_summary(const struct missing_grading *g, int n, char *latest, char *highest);

/*
 * missing_repeat_crossed - whether some window of `days` 24-hour days that contains `this_start`
 * holds at least `count` of the episode starts in starts[0..n) (this one included in starts).
 * A window is [E - days*86400 + 1, E] for an end E; the windows checked end at each start E
 * with this_start <= E <= this_start + days*86400 - 1, so an episode recorded out of order (an
 * import of an older one) is counted with the later episodes too. For episodes recorded in
 * order it is the contract's count in the window ending at this episode's start. Pure.
 */
bool missing_repeat_crossed(const int64_t *starts, int n, int64_t this_start, int days, int count);

/* ---- operations (inside the caller's transaction) ---- */

/*
 * missing_create - store episode *e (already passed missing_check) on behalf of `by`. Does
 * everything creating an episode implies:
 * - the person must exist (MISSING_NO_PERSON) and so must every found_with id
 *   (MISSING_NO_FOUND_WITH). Access to a restricted person is the caller's check (the API
 *   gates; an import runs as its user);
 * - a police_ref already used with the same police_force is MISSING_DUPLICATE;
 * - looked_after defaults (looked_after_given false: true when missing_from is care);
 * - out_of_area and rhi_by from the settings (missing_out_of_area);
 * - an initial grading when e->grade is set (graded_at defaulting to reported_at), keeping
 *   grade_latest, grade_highest and grade_rank;
 * - an out-of-area episode creates one notification to the other authority;
 * - with ended_at: rhi_due_at = ended_at + 72 h and, when rhi_by is "us", the running `rhi` clock
 *   (subject missing_episode, person the child, team the episode's team) started at ended_at;
 * - the repeat-missing check (missing_repeat_check);
 * - audit missing.create (unless e->audit_skip) and missing.repeat when the flag is set.
 * Sets e->id, version and the computed fields; *id (may be NULL) gets the id. Returns MISSING_OK,
 * MISSING_NO_PERSON, MISSING_NO_FOUND_WITH, MISSING_DUPLICATE or MISSING_ERROR.
 */
int missing_create(struct store *st, const struct user *by, struct missing_episode *e, int64_t *id);

/*
 * A batch of creates (an import): missing_create with e->batch set uses the MFH settings and the
 * rhi standard read once by missing_batch_new, starts a new episode's rhi clock without asking
 * whether one runs (a new episode has none), and leaves the repeat-missing check to
 * missing_batch_finish, which runs it once per person the batch added episodes to, with the same
 * outcome as running it after each create: for each such person, the batch's episodes in the
 * order they were created (id), each against the person's episodes that existed once it was
 * created (missing_repeat_crossed); at the first that crosses the threshold, the flag, the
 * repeat_missing_meeting clock (team: that episode's) and the missing.repeat entry naming that
 * episode, unless the person was already flagged. Only the order of those entries in the audit
 * trail differs: they follow the batch's other entries (person by person, ascending, when the
 * batch's persons are many enough for one walk of every episode to cost less than a query per
 * person). The person's episodes are read by person_id (index missing_person), so the batch's
 * caller may drop that index while it creates and build it again before missing_batch_finish
 * (store_import_bulk_begin).
 * The batch's episodes, gradings, rhi clocks and notifications are held in memory
 * (store_missing_pending: each episode gets its id at once) and written together by
 * missing_batch_flush, or when 100,000 are held: until then they cannot be read back, so the
 * caller flushes before it reads episodes (missing_batch_finish flushes first). A (police_force,
 * police_ref) already taken is only found by the flush (MISSING_DUPLICATE for the whole
 * flush): the caller looks every key up first (missing_find_by_ref) and keeps a file's keys
 * apart.
 */

/*
 * missing_batch_new - a batch for the episodes one write transaction creates (an import): reads
 * the settings (settings_mfh) and the rhi standard. Episodes with an id at or above the batch's
 * first are taken as the batch's: nothing else may create episodes in that transaction.
 * *out is malloc'd: free it with missing_batch_free. MISSING_OK or MISSING_ERROR.
 */
int missing_batch_new(struct store *st, struct missing_batch **out);

/*
 * missing_batch_flush - write what the batch holds (see above). MISSING_OK, MISSING_DUPLICATE (a
 * held key was taken: the caller rolls back) or MISSING_ERROR.
 */
int missing_batch_flush(struct store *st, struct missing_batch *b);

/*
 * missing_batch_finish - flush the batch (missing_batch_flush), then run the repeat-missing checks
 * it deferred (see above), as `by`, in the order the persons first had an episode created. Call
 * it once, after the last create. MISSING_OK, MISSING_DUPLICATE or MISSING_ERROR.
 */
int missing_batch_finish(struct store *st, const struct user *by, struct missing_batch *b);

/* missing_batch_free - free b (NULL is ignored). */
void missing_batch_free(struct missing_batch *b);

/*
 * missing_find_by_ref - the id of the episode with (police_force, police_ref) into *id.
 * Returns MISSING_OK, MISSING_NOT_FOUND (ref "" never matches) or MISSING_ERROR.
 */
int missing_find_by_ref(struct store *st, const char *force, const char *ref, int64_t *id);

/*
 * missing_update_import - an import row *in (checked like a create: missing_check) for an
 * episode `id` that already exists (found by police reference). Compares and updates what the
 * import carries: reported_at, started_at, ended_at (only when *in has one: a new or changed
 * end runs the return rules; an import never clears an end, that is a reopen), missing_from,
 * category, looked_after (when given), placement type/provider/authorities (out_of_area and
 * rhi_by are recomputed; a newly out-of-area episode gets its notification), team, locality,
 * found_where, notes (when non-empty in the row: an empty column keeps what is stored). A grade
 * adds a grading when it is news: with graded_at, when no grading of that grade at that time
 * exists; without, when it differs from the episode's latest grade (graded now). Person and
 * found_with are not changed. *changed is set when anything was written (the episode's version
 * is bumped when its own fields changed; audited missing.update with "import" in the detail and
 * missing.grade, unless in->audit_skip). Re-importing the same row changes nothing. Returns MISSING_OK, MISSING_NOT_FOUND, MISSING_INVALID (errs say why:
 * e.g. ended_at before started_at) or MISSING_ERROR.
 */
int missing_update_import(struct store *st, const struct user *by, int64_t id, const struct missing_episode *in,
			  bool *changed, struct missing_errors *errs);

/*
 * missing_get - load episode `id` into *e (computed fields too, input-only fields cleared).
 * Returns MISSING_OK, MISSING_NOT_FOUND or MISSING_ERROR. Does not check access or audit.
 */
int missing_get(struct store *st, int64_t id, struct missing_episode *e);

/*
 * missing_update - apply the changes in *in to episode in->id when in->version is current
 * (MISSING_STALE). Every caller-settable field but person_id and grade is replaced by *in's
 * (the API fills *in from the stored episode first, then overlays the members sent). Clearing
 * ended_at of a returned episode is MISSING_CONFLICT; setting it on an open one is the return
 * (missing_return's rules, audited missing.return too); changing it on a returned one moves
 * rhi_due_at and the episode's rhi clock. A police reference another episode has is
 * MISSING_DUPLICATE; an unknown found_with id MISSING_NO_FOUND_WITH. Changes of placement
 * recompute out_of_area/rhi_by (a newly out-of-area episode gets its notification; an RHI that
 * becomes another authority's cancels the running clock). Audits missing.update naming the
 * members changed; nothing changed writes nothing. Fills *in with the stored result. The caller
 * has run missing_check on *in, so errs gets nothing today (kept for rules that need the store).
 */
int missing_update(struct store *st, const struct user *by, struct missing_episode *in,
		   struct missing_errors *errs);

/*
 * missing_add_grading - add grading *g to episode `id` (graded_at 0 = now; not before
 * started_at, not after now: MISSING_INVALID with field graded_at), updating grade_latest (the
 * grading with the latest graded_at, ties by id), grade_highest and grade_rank, and the episode's
 * updated_at/updated_by. The version is not bumped: a grading never clashes with an edit of the
 * episode's own fields. Past MISSING_GRADINGS_MAX gradings it is MISSING_CONFLICT. Audits
 * missing.grade. Returns MISSING_OK, MISSING_NOT_FOUND, MISSING_INVALID, MISSING_CONFLICT or
 * MISSING_ERROR.
 */
int missing_add_grading(struct store *st, const struct user *by, int64_t id, struct missing_grading *g,
			struct missing_errors *errs);

/*
 * missing_gradings - the gradings of episode `id`, oldest graded first, into out (at most max);
 * *n the count. Returns MISSING_OK or MISSING_ERROR.
 */
int missing_gradings(struct store *st, int64_t id, struct missing_grading *out, int max, int *n);

/*
 * missing_return - record the return of open episode `id` (version current: MISSING_STALE;
 * already returned: MISSING_CONFLICT) at ended_at (not before started_at, not after now:
 * MISSING_INVALID), with found_where (NULL = unchanged) and found_with (n_found_with < 0 =
 * unchanged; ids must exist: MISSING_NO_FOUND_WITH): rhi_due_at = ended_at + 72 h, the rhi clock when
 * rhi_by is us. Audits missing.return.
 */
int missing_return(struct store *st, const struct user *by, int64_t id, int64_t version, int64_t ended_at,
		   const char *found_where, const int64_t *found_with, int n_found_with,
		   struct missing_errors *errs);

/*
 * missing_reopen - reopen returned episode `id` (version current; open: MISSING_CONFLICT): clears
 * ended_at and rhi_due_at, cancels the running rhi clock, keeps the RHI, adds one to
 * reopened_count and audits missing.reopen with the reason (1-1,000 characters, checked at the edge).
 */
int missing_reopen(struct store *st, const struct user *by, int64_t id, int64_t version, const char *reason);

/*
 * missing_rhi_get - the RHI of episode `id` into *r (r->version 0 and the "not recorded" values
 * when there is none). Returns MISSING_OK or MISSING_ERROR.
 */
int missing_rhi_get(struct store *st, int64_t id, struct missing_rhi *r);

/*
 * missing_rhi_put - record RHI *r of returned episode `id` (open: MISSING_CONFLICT). r->version
 * 0 creates it (MISSING_STALE when one already exists), else it must be current. *r holds the
 * whole RHI to store (the API overlays the members sent on the stored one). Checks against the
 * episode (MISSING_INVALID, naming fields): times not before ended_at, not after now;
 * completed_at needs offered_at; response declined needs declined_reason (missing_rhi_check). A
 * response given without responded_at is taken as recorded now. Recording completed_at stops the
 * running rhi clock at completed_at (met when <= rhi_due_at, breached after); a declined response
 * stops it at responded_at, met when the decline was recorded by rhi_due_at. Audits missing.rhi.
 * Fills *r with what is stored.
 */
int missing_rhi_put(struct store *st, const struct user *by, int64_t id, struct missing_rhi *r,
		    struct missing_errors *errs);

/*
 * missing_notifications - the notifications of episode `id` (episode_id > 0, oldest first), or
 * with episode_id 0 every notification (open_only: not acknowledged) oldest first; at most max
 * into out, *n the count. Returns MISSING_OK or MISSING_ERROR. The caller filters restricted
 * persons (person_id is filled).
 */
int missing_notifications(struct store *st, int64_t episode_id, bool open_only, struct missing_notification *out,
			  int max, int *n);

/*
 * missing_notification_ack - acknowledge notification `id` (version current: MISSING_STALE;
 * already acknowledged: MISSING_CONFLICT) at `at` (0 = now; not after now, not before the
 * notification was made: MISSING_INVALID with field acknowledged_at) by `ack_by` (the person at
 * the other authority). Audits notification.acknowledge. Fills *out with the stored notification.
 */
int missing_notification_ack(struct store *st, const struct user *by, int64_t id, int64_t version, int64_t at,
			     const char *ack_by, struct missing_notification *out, struct missing_errors *errs);

/*
 * missing_repeat_check - the repeat-missing rule for episode `id` of `person_id` starting at
 * `started_at`: whether the person's episode starts cross mfh.repeat_count within mfh.repeat_days
 * days in a window holding this one (missing_repeat_crossed: in order, the window
 * [missing_repeat_window(started_at, days), started_at]); when they do and the person has no
 * active repeat_missing flag, set the flag (person_flags), start the repeat_missing_meeting clock
 * (subject person, 10 working days, started now: the task runs from when the hub learns of the
 * crossing, so an import of old episodes does not create a task already overdue) and audit
 * missing.repeat. *flagged (may be NULL) says whether it was set now.
 * Returns MISSING_OK or MISSING_ERROR.
 */
int missing_repeat_check(struct store *st, const struct user *by, int64_t person_id, int64_t id,
			 int64_t started_at, bool *flagged);

/*
 * missing_meeting_held - a meeting for person `person_id` (or one of their cases) was held at
 * `held_at`: stop the person's running repeat_missing_meeting clock (the intervention task) when
 * the meeting was held since the start of the person's latest episode that started by the time
 * the clock started (the episode that crossed the threshold). It stops at held_at, or at the
 * clock's start when the meeting was held between that episode's start and the task's creation.
 * Called by meeting_create. Returns 0 or -1.
 */
int missing_meeting_held(struct store *st, int64_t person_id, int64_t held_at);

/*
 * missing_list - the ids of the episodes matching q, newest start first, one page of at most
 * q->limit into *ids (calloc'd: the caller frees it, also when *n is 0), and the count of all
 * that match into *total. Restricted persons not naming q->user_id are left out of both.
 * Returns MISSING_OK or MISSING_ERROR.
 */
int missing_list(struct store *st, const struct missing_query *q, int64_t **ids, int *n, int64_t *total);

/* missing_person_get - the facts of person `id` an episode shows. MISSING_OK, MISSING_NOT_FOUND, MISSING_ERROR. */
int missing_person_get(struct store *st, int64_t id, struct missing_person *out);

/*
 * missing_notification_get - notification `id` (with its episode's person_id) into *out.
 * MISSING_OK, MISSING_NOT_FOUND or MISSING_ERROR. Does not check access.
 */
int missing_notification_get(struct store *st, int64_t id, struct missing_notification *out);

/*
 * missing_person_summary - the summary of person `person_id` at `now` into *out. MISSING_OK or
 * MISSING_ERROR. The caller checks access and audits the view.
 */
int missing_person_summary(struct store *st, int64_t person_id, int64_t now, struct missing_person_summary *out);

/*
 * missing_errors_add - add a field error (field, printf-style message) to errs when there is
 * room. For callers that collect their own errors alongside missing_check's.
 */
void missing_errors_add(struct missing_errors *errs, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
