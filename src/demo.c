/*
 * demo.c - the demo population: users named after their roles and fictional persons made by
 * fake.c. Everything here is made up; nothing is real personal data.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake.h"
#include "person.h"
#include "store.h"
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

int demo_run(struct store *st, const struct demo_options *o)
{
	char err[256];
	struct user creator;
	bool have_creator = false;
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
				return -1;
			}
		}
		if (strcmp(demo_users[i].username, "practitioner") == 0) {
			creator = u;
			have_creator = true;
		}
	}
	if (!have_creator || store_user_by_name(st, "practitioner", &creator, NULL, 0) != 0) {
		fprintf(stderr, "safehub demo: the practitioner user is missing\n");
		return -1;
	}

	struct fake_rng rng;
	fake_seed(&rng, o->seed);
	char today[11];
	struct valid_date d;
	valid_date_from_time(store_now(), &d);
	valid_format_date(&d, today);
	struct person *p = calloc(1, sizeof *p);
	struct fake_person f;
	if (!p)
		return -1;
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
			/* About one in fifty records is restricted to the practitioner who made it. */
			p->restricted = fake_below(&rng, 50) == 0;
			if (person_create(st, &creator, p, err, sizeof err) != PERSON_OK) {
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
	return rc;
}
