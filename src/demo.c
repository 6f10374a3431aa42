/*
 * demo.c - the demo population: users named after their roles, fictional persons made by
 * fake.c, (demo_case.c) years of fictional casework about them and (demo_missing.c) their
 * missing episodes. Everything here is made up; nothing is real personal data.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "demo_case.h"
#include "fake.h"
#include "person.h"
#include "store.h"
#include "store_demo.h"
#include "valid.h"

/* The demo staff: one per role, and a second practitioner in another team. */
static const struct {
	const char *username, *display_name, *role, *team, *agency;
} demo_users[] = {
	{ "admin", "Alex Admin", "admin", "Hub support", "Children's Social Care" },
	{ "manager", "Morgan Manager", "manager", "Phoenix", "Children's Social Care" },
	{ "practitioner", "Pat Practitioner", "practitioner", "Phoenix", "Children's Social Care" },
	{ "practitioner2", "Sam Sharma", "practitioner", "Missing from Home", "Early Help" },
	{ "analyst", "Ash Analyst", "analyst", "Performance", "Children's Social Care" },
	{ "police_intel", "Jo Intelligence", "police_intel", "Complex Safeguarding", "Police" },
	{ "board", "Bea Board", "board", "Safeguarding Partnership", "Safeguarding Partnership" },
};

static void to_person(const struct fake_person *f, struct person *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->given_name, sizeof p->given_name, "%s", f->given_name);
	snprintf(p->family_name, sizeof p->family_name, "%s", f->family_name);
	for (int i = 0; i < f->alias_count && i < PERSON_ALIASES_MAX; i++)
		snprintf(p->aliases[p->n_aliases++], sizeof p->aliases[0], "%s", f->aliases[i]);
	snprintf(p->dob, sizeof p->dob, "%s", f->dob);
	p->dob_estimated = f->dob_estimated;
	snprintf(p->sex, sizeof p->sex, "%s", f->sex);
	snprintf(p->ethnicity, sizeof p->ethnicity, "%s", f->ethnicity);
	snprintf(p->nhs_number, sizeof p->nhs_number, "%s", f->nhs_number);
	snprintf(p->upn, sizeof p->upn, "%s", f->upn);
	snprintf(p->police_ref, sizeof p->police_ref, "%s", f->police_ref);
	snprintf(p->la_id, sizeof p->la_id, "%s", f->la_id);
	struct person_address *a = &p->addresses[p->n_addresses++];
	snprintf(a->line1, sizeof a->line1, "%s", f->line1);
	snprintf(a->town, sizeof a->town, "%s", f->town);
	snprintf(a->postcode, sizeof a->postcode, "%s", f->postcode);
	a->current = true;
	if (f->phone[0])
		snprintf(p->phones[p->n_phones++], sizeof p->phones[0], "%s", f->phone);
}

/* Restricted demo persons are open to their creator (added by person_create) and the manager. */
static void restrict_person(struct person *p)
{
	p->restricted = true;
	snprintf(p->restricted_to[0], sizeof p->restricted_to[0], "manager");
	p->n_restricted_to = 1;
}

/* What make_person needs to draw a person again and store it. */
struct person_maker {
	char today[11];        /* the date ages were reckoned from when the population was drawn */
	struct person *p;      /* a reused buffer */
	struct store *st;
};

/* demo_person_fn: draw person dp again from its generator state and create it as `by`. */
static int make_person(void *ctx, struct demo_person *dp, const struct user *by)
{
	struct person_maker *pm = ctx;
	struct fake_rng rng;
	struct fake_person f;
	memcpy(rng.s, dp->rng, sizeof rng.s);
	fake_person(&rng, pm->today, 75, &f);
	to_person(&f, pm->p);
	if (dp->restricted)
		restrict_person(pm->p);
	char err[256];
	if (person_create(pm->st, by, pm->p, err, sizeof err) != PERSON_OK) {
		fprintf(stderr, "safehub demo: cannot store a person: %s\n", store_errmsg(pm->st));
		return -1;
	}
	dp->id = pm->p->id;
	return 0;
}

/* The population with years of casework about it (demo_case.c). */
static int run_casework(struct store *st, const struct demo_options *o, const struct demo_staff *staff,
			const char *today, struct person *p)
{
	size_t n = (size_t)o->persons;
	struct demo_person *persons = calloc(n ? n : 1, sizeof *persons);
	if (!persons) {
		fprintf(stderr, "safehub demo: out of memory for %zu persons\n", n);
		return -1;
	}
	struct fake_rng rng;
	fake_seed(&rng, o->seed);
	struct fake_person f;
	for (size_t i = 0; i < n; i++) {
		/* The same draws, in the same order, as a demo without casework. */
		memcpy(persons[i].rng, rng.s, sizeof rng.s);
		fake_person(&rng, today, 75, &f);
		persons[i].restricted = fake_below(&rng, 50) == 0;
		struct valid_date dob;
		persons[i].born = valid_parse_date(f.dob, &dob) ? valid_days_from_civil(&dob) : 0;
		persons[i].sex = f.sex[0] == 'f' ? 'f' : f.sex[0] == 'm' ? 'm' : 'u';
	}
	struct demo_case_options co = {.years = o->years, .referred = o->referred, .seed = o->seed};
	struct person_maker pm = {.p = p, .st = st};
	snprintf(pm.today, sizeof pm.today, "%s", today);
	struct demo_case_stats s;
	int rc = demo_case_run(st, &co, staff, persons, n, make_person, &pm, &s);
	free(persons);
	if (rc != 0)
		return -1;
	printf("safehub: casework over %d years: %ld referrals (%ld decided, %ld of them late), %ld cases (%ld open),"
	       " %ld assessments (%ld overridden), %ld contacts, %ld notes, %ld supervisions, %ld meetings with %ld"
	       " actions (%ld done), %ld flags, %ld feedback, %ld transition plans, %ld reallocations, %ld closures\n",
	       o->years, s.referrals, s.decided, s.decided_late, s.cases, s.cases_open, s.assessments, s.overrides,
	       s.contacts, s.notes, s.supervisions, s.meetings, s.actions, s.actions_done, s.flags, s.feedback,
	       s.transition_plans, s.reallocations, s.closures);
	return 0;
}

/* The missing-from-home records of the casework's years (demo_missing.c), and their summary. */
static int run_missing(struct store *st, const struct demo_options *o, const struct demo_staff *staff)
{
	struct demo_missing_options mo = {
		.years = o->years, .percent = o->missing > 0 ? o->missing : DEMO_MISSING_DEFAULT, .seed = o->seed,
	};
	struct demo_missing_stats s;
	if (demo_missing_run(st, &mo, staff, &s) != 0)
		return -1;
	long completed = s.rhi_completed_72h;
	printf("safehub: missing from home over %d years: %ld episodes of %ld children (%ld looked after at some time),"
	       " %ld missing now, %ld episodes placed here by other authorities and %ld placed elsewhere, %ld gradings"
	       " (%ld episodes re-graded), %ld returns; our RHIs: %ld, %ld completed within 72 hours (%.0f%%), %ld late,"
	       " %ld declined, %ld offered only, %ld not offered; %ld notifications (%ld not acknowledged),"
	       " %ld repeat-missing flags\n",
	       o->years, s.episodes, s.children, s.looked_after_children, s.missing_now, s.placed_here, s.placed_elsewhere,
	       s.gradings, s.regraded, s.returns, s.rhi_ours, completed,
	       s.rhi_ours ? 100.0 * (double)completed / (double)s.rhi_ours : 0.0, s.rhi_completed_late, s.rhi_declined,
	       s.rhi_offered_only, s.rhi_not_offered, s.notifications, s.notifications_open, s.flags);
	return 0;
}

int demo_run(struct store *st, const struct demo_options *o)
{
	char err[256];
	char today[11];
	struct valid_date d;
	valid_date_from_time(store_now(), &d);
	valid_format_date(&d, today);
	if (o->years > 0) {
		/* The staff were there before the casework began: a fortnight before its window. */
		struct valid_date start;
		calendar_local_date(store_now(), &start);
		start.year -= o->years;
		if (start.month == 2 && start.day == 29)
			start.day = 28;
		calendar_add_days(&start, -14, &start);
		store_set_now(calendar_local_midnight_utc(&start) + 9 * 3600);
	}
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		struct user u;
		memset(&u, 0, sizeof u);
		if (store_user_by_name(st, demo_users[i].username, &u, NULL, 0) != 0) {
			snprintf(u.username, sizeof u.username, "%s", demo_users[i].username);
			snprintf(u.display_name, sizeof u.display_name, "%s", demo_users[i].display_name);
			snprintf(u.role, sizeof u.role, "%s", demo_users[i].role);
			snprintf(u.team, sizeof u.team, "%s", demo_users[i].team);
			snprintf(u.agency, sizeof u.agency, "%s", demo_users[i].agency);
			if (user_add(st, &u, o->password, NULL, err, sizeof err) != 0) {
				fprintf(stderr, "safehub demo: user %s: %s\n", demo_users[i].username, err);
				store_set_now(0);
				return -1;
			}
		}
	}
	store_set_now(0);
	struct demo_staff staff;
	if (store_user_by_name(st, "manager", &staff.manager, NULL, 0) != 0 ||
	    store_user_by_name(st, "practitioner", &staff.practitioner, NULL, 0) != 0 ||
	    store_user_by_name(st, "practitioner2", &staff.practitioner2, NULL, 0) != 0) {
		fprintf(stderr, "safehub demo: the demo users manager, practitioner and practitioner2 are missing\n");
		return -1;
	}
	const struct user *creator = &staff.practitioner;

	struct person *p = calloc(1, sizeof *p);
	if (!p || store_demo_bulk(st, true) != 0) {
		free(p);
		return -1;
	}
	if (o->years > 0) {
		int rc = run_casework(st, o, &staff, today, p);
		if (rc == 0 && o->missing != DEMO_MISSING_NONE)
			rc = run_missing(st, o, &staff);
		free(p);
		return store_demo_bulk(st, false) == 0 ? rc : -1;
	}
	struct fake_rng rng;
	fake_seed(&rng, o->seed);
	struct fake_person f;
	time_t started = time(NULL), last = started;
	int rc = 0;
	for (long done = 0; done < o->persons && rc == 0;) {
		long batch = o->persons - done < 1000 ? o->persons - done : 1000;
		if (store_begin(st, true) != 0) {
			rc = -1;
			break;
		}
		for (long i = 0; i < batch; i++) {
			fake_person(&rng, today, 75, &f);
			to_person(&f, p);
			/* About one in fifty records is restricted to the practitioner who made it and the manager. */
			if (fake_below(&rng, 50) == 0)
				restrict_person(p);
			if (person_create(st, creator, p, err, sizeof err) != PERSON_OK) {
				fprintf(stderr, "safehub demo: cannot store person %ld: %s\n", done + i + 1,
					store_errmsg(st));
				rc = -1;
				break;
			}
		}
		if (rc != 0 || store_commit(st) != 0) {
			store_rollback(st);
			rc = -1;
			break;
		}
		done += batch;
		if (time(NULL) - last >= 2) {
			last = time(NULL);
			fprintf(stderr, "safehub demo: %ld of %ld persons\n", done, o->persons);
		}
	}
	free(p);
	return store_demo_bulk(st, false) == 0 ? rc : -1;
}
