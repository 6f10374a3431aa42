/*
 * demo_missing.c - years of fictional missing-from-home records for the demo population:
 * episodes with police gradings, returns, return home interviews, notifications to other
 * authorities, rhi clocks and repeat-missing flags (see demo_missing_run in demo.h).
 *
 * How: a plan first, then the rows. Each person of the store is looked at once, in id order:
 * whether they go missing while a child, how often and when (episodes never overlap, each ends
 * before the next starts), whether they are looked after and where placed. Every episode gets
 * a number in plan order; the details of an episode (gradings, where found, the RHI, the
 * notification) are drawn when it is written from a generator seeded by that number, so the
 * plan stays small (40 bytes an episode) and the rows do not depend on the order they are
 * written in. Episodes are written in start order (ids follow time), with rows written directly
 * by store_demo_missing.c: a million episodes take seconds rather than the hour the domain's
 * audited path would.
 *
 * Owns: the proportions, timings and fictional texts of the missing demo (template sentences
 * about nobody; authority, provider and service names are made up).
 * Must not touch: SQL text, HTTP, the casework demo's plan.
 */
#include "demo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "calendar.h"
#include "clock.h"
#include "fake.h"
#include "settings.h"
#include "store.h"
#include "store_demo_missing.h"
#include "valid.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MINUTE 60
#define HOUR 3600
#define DAY 86400
#define BATCH 50000                /* episodes per write transaction */
#define MAX_PER_CHILD 600          /* the most episodes one child is planned */
#define RHI_HOURS 72               /* the RHI is due 72 hours after the return (docs/api-missing.md) */
#define RUNNING_DAYS 10            /* an RHI not done stays a running (overdue) task this long after the return */
#define MEETING_TASK_DAYS 20       /* a flag set this recently has a running intervention-meeting task */
#define RECENT_NOTICE_DAYS 14      /* notifications this recent are less often acknowledged yet */

/* ---- the fictional content ---------------------------------------------------------------- */

/* Other local authorities (made up). One equal to the hub's own name is skipped. */
static const char *const authorities[] = {"Westshire", "Eastmoor", "Southdale", "Kingsmere",
					  "Ashbury",   "Highfold", "Riverton",  "Greyhaven"};

/* Placements of a looked-after child: type, provider, and weights (all children, the most often missing). */
static const struct {
	const char *type, *provider;
	unsigned weight, prolific_weight;
} placements[] = {
	{"foster", "Hearthside Fostering", 20, 10},
	{"foster", "Brightwater Foster Care", 14, 8},
	{"foster", "the local authority's own foster carers", 12, 6},
	{"residential", "Oakfield House children's home", 9, 14},
	{"residential", "The Willows children's home", 8, 12},
	{"residential", "Meadowbank House", 6, 10},
	{"semi_independent", "Riverside supported lodgings", 6, 8},
	{"semi_independent", "Stepping Stones semi-independent living", 5, 7},
	{"kinship", "Family and friends carer", 12, 6},
	{"secure", "Hillcrest secure children's home", 1, 1},
	{"other", "Emergency placement", 3, 4},
};

static const char *const localities[] = {"North", "South", "East", "West", "Central"};

static const char *const found_home[] = {
	"Returned home by themselves",
	"Found by police at a friend's address",
	"Found in the town centre",
	"Found at the railway station",
	"Located in another town and brought back by police",
	"Found at an address of concern known to police",
	"Collected by a parent from a friend's house",
	"Found in a park late at night",
};
static const char *const found_care[] = {
	"Returned to the placement by themselves",
	"Brought back to the placement by police",
	"Collected by staff from the town centre",
	"Found at a family member's address",
	"Found at an address of concern known to police",
	"Located in another town and brought back by staff",
	"Found at the bus station",
	"Returned to the placement by taxi arranged by staff",
};
static const char *const episode_notes[] = {
	"Left after an argument at home.",
	"Did not come back from school at the usual time.",
	"Left the placement after an argument with staff.",
	"Believed to be with older peers known to police.",
	"Phone switched off; last seen getting into a car.",
	"Said on social media that they were staying out.",
	"Went to a party and did not return.",
	"Has been missing several times this month.",
};
static const char *const regrade_notes[] = {
	"Intelligence suggests the young person is with older males.",
	"Seen on CCTV at the railway station.",
	"Not answering their phone; last seen with an adult of concern.",
	"Contact made by phone; says they are safe.",
	"Located at a friend's address, staying the night.",
	"Missing longer than usual; concerns for their health.",
};
static const char *const declined_reasons[] = {
	"Did not want to talk about where they had been.",
	"Said nothing had happened and did not want an interview.",
	"Would only speak to their own social worker.",
	"Said they were tired of being asked questions.",
};
static const char *const push_factors[] = {
	"Arguments at home about rules and curfew.",
	"Unhappy at the placement; does not get on with another young person there.",
	"Feels nobody listens to them.",
	"Bullying at school.",
	"Worries at home about a parent's drinking.",
	"",
};
static const char *const pull_factors[] = {
	"Wants to spend time with older friends.",
	"A boyfriend or girlfriend the family does not know.",
	"Offered money, drink and cannabis by older young people.",
	"Wanted to see family who live in another town.",
	"Parties at a flat in the town centre.",
	"",
};
static const char *const stayed_wheres[] = {
	"A friend's house", "A flat in the town centre", "Outside, in a park", "A relative's house",
	"An address in another town", "Did not say",
};
static const char *const stayed_withs[] = {
	"Friends of the same age", "Older young people", "An adult they met online", "A relative", "Alone",
	"Did not say",
};
static const char *const follow_ups[] = {
	"Information shared with police.",
	"Discussed at the next team around the child meeting.",
	"Referral to the youth project.",
	"Safety plan updated with the carers.",
	"No further action needed.",
};
static const char *const offerers[] = {"Return interview worker", "Independent advocate",
				       "Allocated social worker", "Early help worker"};

/* ---- the plan ------------------------------------------------------------------------------ */

enum profile { P_OCCASIONAL, P_REPEAT, P_PROLIFIC };
enum area { A_HOME, A_PLACED_HERE, A_PLACED_ELSEWHERE }; /* where a looked-after child is placed */
enum { TEAM_MFH, TEAM_PHOENIX };

/* A person with missing episodes. */
struct child {
	int64_t id;              /* persons.id */
	int64_t care_from;       /* episodes starting here or later are while looked after (INT64_MAX: never) */
	int64_t flag_at;         /* when the repeat_missing flag was set (0: never) */
	uint32_t first_ep;       /* the child's planned episodes: p->eps[first_ep .. first_ep + n_ep) */
	uint32_t n_ep;           /*   (an open episode added later for "missing now" is appended after) */
	uint8_t profile;         /* enum profile */
	uint8_t placement;       /* index into placements */
	uint8_t area;            /* enum area */
	uint8_t other;           /* index into the other authorities: the placing or host one */
	uint8_t team;            /* TEAM_* */
	uint8_t locality;        /* index into localities */
	bool restricted;         /* a restricted record: recorded by the named practitioner */
};

/* One planned episode (40 bytes). */
struct ep {
	int64_t start, reported; /* last seen; reported to police */
	int64_t end;             /* found or returned; 0: missing now */
	int64_t created;         /* when the hub recorded it */
	uint32_t child;          /* index into the children; UINT32_MAX: dropped */
	uint32_t seq;            /* plan order: seeds the episode's details */
};

struct plan {
	struct fake_rng rng;     /* the plan's draws */
	uint64_t seed;           /* the run's seed, mixed: details generators derive from it */
	int percent;             /* demo_missing_options.percent */
	int64_t from;            /* the start of the window (local midnight) */
	int64_t cutoff;          /* local midnight at the start of today: everything is before it */
	int repeat_count, repeat_days; /* the repeat-missing rule in force */
	struct child *children;
	size_t n_children, cap_children;
	struct ep *eps;
	size_t n_eps, cap_eps;
	int64_t starts[MAX_PER_CHILD]; /* one child's start times while planning them */
	uint32_t seq;            /* the next episode's number */
	int64_t ref_base;        /* police references are numbered from here (the largest episode id before) */
	uint32_t now_candidate;  /* a child who could be missing now (UINT32_MAX: none yet) */
	long missing_now;        /* planned so far */
	bool oom;                /* an allocation failed */
};

/* A uniform integer in [0, n) (0 when n is 0). */
static uint64_t below(struct fake_rng *r, uint64_t n)
{
	return n ? fake_below(r, n) : 0;
}

/* True with probability pct percent. */
static bool chance(struct fake_rng *r, unsigned pct)
{
	return fake_below(r, 100) < pct;
}

/* A uniform integer in [lo, hi]. */
static int64_t between(struct fake_rng *r, int64_t lo, int64_t hi)
{
	return hi <= lo ? lo : lo + (int64_t)fake_below(r, (uint64_t)(hi - lo + 1));
}

#define PICK(r, list) ((list)[below((r), COUNT(list))])

/* The local day number of UTC instant t. */
static int64_t day_of(int64_t t)
{
	struct valid_date d;
	calendar_local_date(t, &d);
	return valid_days_from_civil(&d);
}

/* The UTC instant of local time `secs` after midnight on local day `day`. */
static int64_t local_at(int64_t day, int64_t secs)
{
	return calendar_utc_from_local(day * DAY + secs);
}

/* Local midnight at the start of the birthday at `years` for a date of birth (29 February: 1 March). */
static int64_t birthday_at(const struct valid_date *born, int years)
{
	struct valid_date d = *born;
	d.year += years;
	if (d.month == 2 && d.day == 29 && !(d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0))) {
		d.month = 3;
		d.day = 1;
	}
	return calendar_local_midnight_utc(&d);
}

/* A start time on local day `day`: mostly afternoons and evenings, some nights, some school hours. */
static int64_t start_on(struct fake_rng *r, int64_t day)
{
	unsigned q = (unsigned)below(r, 100);
	int64_t secs = q < 60 ? between(r, 15 * HOUR, DAY - 1) : q < 75 ? between(r, 0, 6 * HOUR - 1)
									: between(r, 6 * HOUR, 15 * HOUR - 1);
	return local_at(day, secs);
}

/* How long an episode lasts: most under a day, a few a week or more. */
static int64_t duration(struct fake_rng *r, enum profile pr)
{
	unsigned q = (unsigned)below(r, 100);
	if (pr == P_PROLIFIC && q < 10)
		q += 30; /* the most often missing are seldom gone for only an hour or two */
	return q < 40 ? between(r, HOUR, 6 * HOUR) : q < 75 ? between(r, 6 * HOUR, DAY) : q < 92 ? between(r, DAY, 3 * DAY)
		: q < 98 ? between(r, 3 * DAY, 7 * DAY) : between(r, 7 * DAY, 28 * DAY);
}

/* Add an episode to the plan (doubling; on failure p->oom is set). */
static void push_ep(struct plan *p, uint32_t child, int64_t start, int64_t reported, int64_t end, int64_t created)
{
	if (p->oom)
		return;
	if (p->n_eps == p->cap_eps) {
		size_t cap = p->cap_eps ? p->cap_eps * 2 : 65536;
		struct ep *e = realloc(p->eps, cap * sizeof *e);
		if (!e) {
			p->oom = true;
			return;
		}
		p->eps = e;
		p->cap_eps = cap;
	}
	p->eps[p->n_eps++] = (struct ep){
		.start = start, .reported = reported, .end = end, .created = created, .child = child, .seq = p->seq++,
	};
}

/* qsort order of int64_t values. */
static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Draw n start times in [lo, hi) (local days chosen uniformly) into p->starts after `at`. */
static size_t draw_starts(struct plan *p, size_t at, size_t n, int64_t lo, int64_t hi)
{
	int64_t d0 = day_of(lo), d1 = day_of(hi - 1);
	for (size_t i = 0; i < n && at < MAX_PER_CHILD; i++) {
		int64_t t = start_on(&p->rng, between(&p->rng, d0, d1));
		if (t < lo)
			t = lo + (int64_t)below(&p->rng, HOUR);
		if (t >= hi)
			t = hi - 1 - (int64_t)below(&p->rng, HOUR);
		if (t >= lo && t < hi)
			p->starts[at++] = t;
	}
	return at;
}

/*
 * An open episode for child c (index ci) starting in the last five days before the cutoff,
 * after the child's planned episodes: those that would not have ended two hours before it
 * starts are dropped (they are the child's last ones in the plan).
 */
static void plan_missing_now(struct plan *p, uint32_t ci)
{
	const struct child *c = &p->children[ci];
	int64_t start = p->cutoff - between(&p->rng, 8 * HOUR, 5 * DAY);
	for (size_t i = c->first_ep + c->n_ep; i-- > c->first_ep;) {
		struct ep *e = &p->eps[i];
		if (e->end + 2 * HOUR <= start)
			break;
		e->child = UINT32_MAX;
	}
	int64_t reported = start + between(&p->rng, 30 * MINUTE, 6 * HOUR);
	int64_t created = reported + between(&p->rng, 5 * MINUTE, 60 * MINUTE);
	if (created >= p->cutoff)
		created = p->cutoff - 1;
	push_ep(p, ci, start, reported, 0, created);
	p->missing_now++;
}

/* The plan for one person (a store_dm_persons callback). */
static int plan_person(void *ctx, const struct store_dm_person *sp)
{
	struct plan *p = ctx;
	struct fake_rng *r = &p->rng;
	struct valid_date born;
	if (!valid_parse_date(sp->dob, &born))
		return 0;
	/* The time the child may go missing: aged 10-17, in the window, once on record. */
	int64_t lo = p->from, hi = p->cutoff - 6 * HOUR;
	int64_t at10 = birthday_at(&born, 10), at18 = birthday_at(&born, 18);
	if (at10 > lo)
		lo = at10;
	if (sp->created_at + 10 * MINUTE > lo)
		lo = sp->created_at + 10 * MINUTE;
	if (at18 < hi)
		hi = at18;
	if (hi - lo < 14 * DAY || !chance(r, (unsigned)p->percent))
		return 0;

	if (p->n_children == p->cap_children) {
		size_t cap = p->cap_children ? p->cap_children * 2 : 4096;
		struct child *c = realloc(p->children, cap * sizeof *c);
		if (!c) {
			p->oom = true;
			return 1;
		}
		p->children = c;
		p->cap_children = cap;
	}
	uint32_t ci = (uint32_t)p->n_children++;
	struct child *c = &p->children[ci];
	memset(c, 0, sizeof *c);
	c->id = sp->id;
	c->restricted = sp->restricted;
	c->first_ep = (uint32_t)p->n_eps;
	unsigned q = (unsigned)below(r, 100);
	c->profile = q < 55 ? P_OCCASIONAL : q < 85 ? P_REPEAT : P_PROLIFIC;
	c->team = sp->restricted || chance(r, 15) ? TEAM_PHOENIX : TEAM_MFH;
	c->locality = (uint8_t)below(r, COUNT(localities));

	/* When the episodes happen: a spell of repeat missing, or one or two episodes. */
	size_t n = 0;
	int64_t span = hi - lo;
	if (c->profile == P_OCCASIONAL) {
		n = draw_starts(p, 0, chance(r, 70) ? 1 : 2, lo, hi);
	} else {
		bool prolific = c->profile == P_PROLIFIC;
		int64_t len = prolific ? between(r, 180, 900) * DAY : between(r, 90, 365) * DAY;
		if (len > span)
			len = span;
		int64_t s0 = lo + (int64_t)below(r, (uint64_t)(span - len + 1));
		int64_t rate = prolific ? between(r, 30, 110) : between(r, 6, 15); /* episodes a year */
		int64_t k = rate * len / (365 * DAY);
		if (k < 3)
			k = 3;
		if (k > MAX_PER_CHILD - 8)
			k = MAX_PER_CHILD - 8;
		n = draw_starts(p, 0, (size_t)k, s0, s0 + len);
		if (chance(r, 50))
			n = draw_starts(p, n, (size_t)between(r, 1, prolific ? 4 : 2), lo, hi);
	}
	qsort(p->starts, n, sizeof p->starts[0], cmp_i64);

	/* Looked after: more often among the children most often missing; some enter care part way. */
	unsigned lac = c->profile == P_PROLIFIC ? 60 : c->profile == P_REPEAT ? 35 : 15;
	c->care_from = INT64_MAX;
	if (chance(r, lac)) {
		c->care_from = lo;
		if (n > 1 && chance(r, 40))
			c->care_from = p->starts[below(r, n)];
		unsigned total = 0;
		for (size_t i = 0; i < COUNT(placements); i++)
			total += c->profile == P_PROLIFIC ? placements[i].prolific_weight : placements[i].weight;
		unsigned w = (unsigned)below(r, total);
		size_t i = 0;
		for (; i + 1 < COUNT(placements); i++) {
			unsigned x = c->profile == P_PROLIFIC ? placements[i].prolific_weight : placements[i].weight;
			if (w < x)
				break;
			w -= x;
		}
		c->placement = (uint8_t)i;
		unsigned a = (unsigned)below(r, 100);
		c->area = a < 60 ? A_HOME : a < 80 ? A_PLACED_HERE : A_PLACED_ELSEWHERE;
		c->other = (uint8_t)below(r, COUNT(authorities));
	}

	/* The episodes, one after another: each starts at least two hours after the last ended. */
	int64_t last_end = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t start = p->starts[i];
		if (last_end && start < last_end + 2 * HOUR)
			start = last_end + 2 * HOUR + (int64_t)below(r, 6 * HOUR);
		int64_t end = start + duration(r, (enum profile)c->profile);
		if (start >= hi || end > p->cutoff - 4 * HOUR)
			break;
		unsigned d = (unsigned)below(r, 100);
		int64_t reported = start + (d < 60 ? between(r, 30 * MINUTE, 3 * HOUR) : d < 90 ? between(r, 3 * HOUR, 8 * HOUR)
											: between(r, 8 * HOUR, DAY));
		if (reported >= end)
			reported = start + (end - start) / 2;
		int64_t created = reported + between(r, 5 * MINUTE, 90 * MINUTE);
		push_ep(p, ci, start, reported, end, created);
		last_end = end;
	}
	if (!p->oom)
		c->n_ep = (uint32_t)(p->n_eps - c->first_ep);

	/* A few of those who are still children today and were missing lately are missing now. */
	if (hi == p->cutoff - 6 * HOUR) {
		unsigned now = last_end < p->cutoff - 60 * DAY ? 0 : c->profile == P_PROLIFIC ? 10 : c->profile == P_REPEAT ? 3 : 0;
		if (chance(r, now))
			plan_missing_now(p, ci);
		else if (p->now_candidate == UINT32_MAX || (c->profile != P_OCCASIONAL &&
							    p->children[p->now_candidate].profile == P_OCCASIONAL))
			p->now_candidate = ci;
	}
	return p->oom ? 1 : 0;
}

/* Order by child, then start (for the repeat-missing check). */
static int cmp_child(const void *a, const void *b)
{
	const struct ep *x = a, *y = b;
	if (x->child != y->child)
		return x->child < y->child ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Order by start, then plan order (the order episodes are written in). */
static int cmp_start(const void *a, const void *b)
{
	const struct ep *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The repeat-missing flags: a child is flagged when an episode is recorded whose start has
 * repeat_count - 1 earlier starts within repeat_days days (24-hour days) before it, at that
 * episode's recording time. Expects p->eps ordered by cmp_child with dropped episodes last.
 */
static void plan_flags(struct plan *p)
{
	int64_t window = (int64_t)p->repeat_days * DAY;
	size_t need = (size_t)p->repeat_count;
	for (size_t i = 0; i < p->n_eps && p->eps[i].child != UINT32_MAX;) {
		size_t j = i;
		while (j < p->n_eps && p->eps[j].child == p->eps[i].child)
			j++;
		struct child *c = &p->children[p->eps[i].child];
		for (size_t k = i + need - 1; k < j && !c->flag_at; k++)
			if (p->eps[k].start - p->eps[k - (need - 1)].start < window)
				c->flag_at = p->eps[k].created;
		i = j;
	}
}

/* ---- writing the rows ------------------------------------------------------------------------ */

struct writer {
	struct store *st;
	struct plan *plan;
	const struct demo_staff *staff;
	const struct settings_mfh *mfh;
	bool rhi_clock;                     /* the rhi standard is active */
	bool meeting_clock;                 /* the repeat_missing_meeting standard is active */
	char home_police[SETTINGS_TEXT_CHARS * 4 + 32];   /* the hub's police force */
	char home_services[SETTINGS_TEXT_CHARS * 4 + 32]; /* the hub's children's services */
	struct demo_missing_stats *stats;
};

/* The other authority of child c (never the hub's own). */
static const char *other_authority(const struct writer *w, const struct child *c)
{
	const char *a = authorities[c->other];
	if (strcmp(a, w->mfh->home_authority) == 0)
		a = authorities[(c->other + 1) % COUNT(authorities)];
	return a;
}

static const char *const grades[] = {"none", "low", "medium", "high"};

/* A police officer's collar number as the police record who graded. */
static void officer(struct fake_rng *r, char out[32])
{
	snprintf(out, 32, "%s %04d", chance(r, 75) ? "PS" : "Insp", (int)between(r, 1000, 9999));
}

/* min(t, the cutoff less a second): nothing is recorded today or later. */
static int64_t before_cutoff(const struct writer *w, int64_t t)
{
	return t < w->plan->cutoff ? t : w->plan->cutoff - 1;
}

/*
 * The RHI of a returned episode whose RHI is ours: about 63% completed within 72 hours, 11%
 * completed late, 14% declined, 6% offered and not taken up, 6% not offered. Events that would
 * fall today or later have not happened yet. Writes the row (when anything was recorded) and
 * the rhi clock. *recorded_at is the episode's return-recording time (the RHI comes after it).
 */
static int write_rhi_ours(struct writer *w, struct fake_rng *r, int64_t id, const struct ep *e, const struct child *c,
			  const char *team, int64_t by, int64_t recorded_at)
{
	struct demo_missing_stats *s = w->stats;
	int64_t due = e->end + RHI_HOURS * HOUR, cutoff = w->plan->cutoff;
	int64_t offered = 0, responded = 0, completed = 0;
	const char *response = NULL;
	unsigned q = (unsigned)below(r, 100);
	if (q < 63) {
		offered = e->end + between(r, 2 * HOUR, 40 * HOUR);
		responded = offered + between(r, 0, 2 * HOUR);
		completed = responded + between(r, 2 * HOUR, 30 * HOUR);
		if (completed > due)
			completed = due - between(r, MINUTE, 2 * HOUR);
		if (responded > completed)
			responded = completed;
		if (offered > responded)
			offered = responded;
		response = "accepted";
	} else if (q < 74) {
		offered = e->end + between(r, 12 * HOUR, 96 * HOUR);
		responded = offered + between(r, 0, 12 * HOUR);
		completed = (due > responded ? due : responded) + between(r, HOUR, 7 * DAY);
		response = "accepted";
	} else if (q < 88) {
		offered = e->end + between(r, 2 * HOUR, chance(r, 80) ? 60 * HOUR : 120 * HOUR);
		responded = offered + between(r, 0, 12 * HOUR);
		response = "declined";
	} else if (q < 94) {
		offered = e->end + between(r, 4 * HOUR, 60 * HOUR);
	}
	/* What would happen today or later has not happened yet. */
	if (offered >= cutoff)
		offered = responded = completed = 0;
	if (responded >= cutoff)
		responded = completed = 0;
	if (completed >= cutoff)
		completed = 0;
	if (!responded)
		response = NULL;

	s->rhi_ours++;
	if (completed && completed <= due)
		s->rhi_completed_72h++;
	else if (completed)
		s->rhi_completed_late++;
	else if (response && strcmp(response, "declined") == 0)
		s->rhi_declined++;
	else if (offered)
		s->rhi_offered_only++;
	else
		s->rhi_not_offered++;

	if (offered) {
		bool independent = chance(r, 75);
		const char *org = independent ? "Compass Return Interviews (independent)" : w->home_services;
		bool declined = response && strcmp(response, "declined") == 0;
		int64_t first = offered > recorded_at ? offered : recorded_at;
		int64_t last = completed ? completed : responded ? responded : offered;
		if (last < first)
			last = first;
		struct store_dm_rhi row = {
			.episode_id = id, .offered_at = offered, .offered_by = PICK(r, offerers), .offered_org = org,
			.independent = independent ? 1 : 0, .response = response, .responded_at = responded,
			.declined_reason = declined ? PICK(r, declined_reasons) : "", .completed_at = completed,
			.push_factors = completed ? PICK(r, push_factors) : "", .pull_factors = completed ? PICK(r, pull_factors) : "",
			.stayed_where = completed ? PICK(r, stayed_wheres) : "", .stayed_with = completed ? PICK(r, stayed_withs) : "",
			.exploitation_disclosed = completed ? (chance(r, 90) ? (chance(r, 13) ? 1 : 0) : -1) : -1,
			.follow_up = completed ? PICK(r, follow_ups) : "",
			.created_at = before_cutoff(w, first + between(r, 5 * MINUTE, 60 * MINUTE)), .created_by = by,
			.updated_at = before_cutoff(w, last + between(r, 5 * MINUTE, 60 * MINUTE)), .updated_by = by,
			.version = 1 + (responded && responded != completed ? 1 : 0) + (completed ? 1 : 0),
		};
		if (row.updated_at < row.created_at)
			row.updated_at = row.created_at;
		if (store_dm_rhi_insert(w->st, &row) != 0)
			return -1;
	}
	if (!w->rhi_clock)
		return 0;
	/* The clock: stopped by the completion or a decline; otherwise running while the return is
	 * recent, and closed off as breached ten days after the return when the RHI never happened. */
	bool declined = response && strcmp(response, "declined") == 0;
	int64_t stop = completed ? completed : declined ? responded : 0;
	const char *status;
	if (stop) {
		status = stop <= due ? "met" : "breached";
	} else if (e->end + RUNNING_DAYS * DAY >= cutoff) {
		status = "running";
		s->clocks_running++;
	} else {
		stop = e->end + RUNNING_DAYS * DAY;
		status = "breached";
	}
	return store_dm_clock_insert(w->st, "rhi", "missing_episode", id, c->id, team, e->end, due, stop, status);
}

/* The RHI of a returned episode done by the other authority: sometimes they send it to us. */
static int write_rhi_theirs(struct writer *w, struct fake_rng *r, int64_t id, const struct ep *e, const char *other,
			    int64_t by)
{
	if (!chance(r, 35))
		return 0;
	int64_t offered = e->end + between(r, 4 * HOUR, 48 * HOUR);
	int64_t completed = offered + between(r, 2 * HOUR, chance(r, 70) ? 20 * HOUR : 7 * DAY);
	int64_t received = completed + between(r, DAY, 10 * DAY);
	if (received >= w->plan->cutoff)
		return 0;
	char org[160];
	snprintf(org, sizeof org, "%s return interview service", other);
	struct store_dm_rhi row = {
		.episode_id = id, .offered_at = offered, .offered_by = "Return interview worker", .offered_org = org,
		.independent = 1, .response = "accepted", .responded_at = offered, .declined_reason = "",
		.completed_at = completed, .push_factors = PICK(r, push_factors), .pull_factors = PICK(r, pull_factors),
		.stayed_where = PICK(r, stayed_wheres), .stayed_with = PICK(r, stayed_withs),
		.exploitation_disclosed = chance(r, 12) ? 1 : 0, .follow_up = "Summary received from the other authority.",
		.created_at = received, .created_by = by, .updated_at = received, .updated_by = by, .version = 1,
	};
	return store_dm_rhi_insert(w->st, &row);
}

/* Write episode e with everything that hangs off it. */
static int write_episode(struct writer *w, const struct ep *e)
{
	struct plan *p = w->plan;
	struct demo_missing_stats *s = w->stats;
	const struct child *c = &p->children[e->child];
	struct fake_rng rr, *r = &rr;
	fake_seed(r, p->seed ^ ((uint64_t)e->seq * 0x9e3779b97f4a7c15ULL));
	const struct user *by = c->team == TEAM_PHOENIX ? &w->staff->practitioner : &w->staff->practitioner2;
	const char *team = c->team == TEAM_PHOENIX ? "Phoenix" : "Missing from Home";

	/* Where the child was, and who answers for them. */
	bool lac = e->start >= c->care_from;
	const char *other = other_authority(w, c);
	const char *home = w->mfh->home_authority;
	const char *placing = "", *host = "", *oa = "", *rhi_by = "us";
	const char *force = w->home_police;
	char other_police[128];
	if (lac) {
		placing = host = home;
		if (c->area == A_PLACED_HERE) {
			placing = other;
			oa = "placed_here";
		} else if (c->area == A_PLACED_ELSEWHERE) {
			host = other;
			oa = "placed_elsewhere";
			snprintf(other_police, sizeof other_police, "%s Police", other);
			force = other_police;
		}
		if (oa[0]) {
			bool host_rule = strcmp(w->mfh->rhi_rule, "placing") != 0;
			bool placed_here = c->area == A_PLACED_HERE;
			rhi_by = host_rule == placed_here ? "us" : "other";
		}
	}
	unsigned q = (unsigned)below(r, 100);
	const char *from = lac ? (q < 88 ? "care" : q < 95 ? "education" : "other")
			       : (q < 85 ? "home" : q < 95 ? "education" : "other");
	const char *category = lac ? (chance(r, 75) ? "M" : "A") : (chance(r, 95) ? "M" : "A");
	char ref[32];
	bool has_ref = category[0] == 'M' || chance(r, 50);
	if (has_ref) {
		struct valid_date d;
		calendar_local_date(e->start, &d);
		snprintf(ref, sizeof ref, "MFH/%04d/%06" PRId64, d.year, p->ref_base + e->seq + 1);
	}

	/* Gradings: one on report, some re-graded while the child is missing. */
	int64_t until = e->end ? e->end : p->cutoff - 1;
	int n_grades = 1;
	if (until - e->reported > 6 * HOUR) {
		unsigned g = (unsigned)below(r, 100);
		n_grades += g < 4 ? 2 : g < 20 ? 1 : 0;
	}
	int grade[3];
	int64_t graded_at[3], graded_rec[3];
	unsigned g0 = (unsigned)below(r, 100);
	if (c->profile == P_PROLIFIC && g0 < 20)
		g0 += 20;
	grade[0] = g0 < 5 ? 0 : g0 < 40 ? 1 : g0 < 85 ? 2 : 3;
	graded_at[0] = e->reported + between(r, 5 * MINUTE, 40 * MINUTE);
	if (graded_at[0] > e->created)
		graded_at[0] = e->created;
	if (graded_at[0] > until)
		graded_at[0] = until;
	graded_rec[0] = e->created;
	for (int i = 1; i < n_grades; i++) {
		int prev = grade[i - 1];
		int step = chance(r, 10) ? 2 : 1;
		int g = chance(r, 60) ? prev + step : prev - step;
		grade[i] = g < 0 ? 0 : g > 3 ? 3 : g;
		if (grade[i] == prev)
			grade[i] = prev == 3 ? 2 : prev + 1;
		graded_at[i] = between(r, graded_at[i - 1] + 10 * MINUTE, until - MINUTE);
		if (graded_at[i] > until - MINUTE)
			graded_at[i] = until - MINUTE > graded_at[i - 1] ? until - MINUTE : graded_at[i - 1];
		int64_t rec = graded_at[i] + between(r, 2 * MINUTE, 20 * MINUTE);
		graded_rec[i] = before_cutoff(w, rec > e->created ? rec : e->created);
	}
	int highest = 0;
	for (int i = 0; i < n_grades; i++)
		highest = grade[i] > highest ? grade[i] : highest;

	/* The return, recorded after it (or with the episode when the episode was recorded late). */
	int64_t returned_rec = 0;
	int version = n_grades;
	int64_t updated = graded_rec[n_grades - 1] > e->created ? graded_rec[n_grades - 1] : e->created;
	if (e->end) {
		returned_rec = e->end + between(r, 10 * MINUTE, 3 * HOUR);
		if (returned_rec <= e->created) {
			returned_rec = e->created;
		} else {
			returned_rec = before_cutoff(w, returned_rec);
			version++;
			if (returned_rec > updated)
				updated = returned_rec;
		}
	}

	struct store_dm_episode row = {
		.person_id = c->id, .started_at = e->start, .reported_at = e->reported, .ended_at = e->end,
		.missing_from = from, .category = category, .police_force = has_ref ? force : "",
		.police_ref = has_ref ? ref : NULL, .looked_after = lac,
		.placement_type = lac ? placements[c->placement].type : "",
		.placement_provider = lac ? placements[c->placement].provider : "", .placing_authority = placing,
		.host_authority = host, .out_of_area = oa, .rhi_by = rhi_by, .team = team,
		.locality = localities[c->locality],
		.found_where = !e->end ? "" : lac ? PICK(r, found_care) : PICK(r, found_home),
		.notes = chance(r, 30) ? PICK(r, episode_notes) : "", .grade_latest = grades[grade[n_grades - 1]],
		.grade_highest = grades[highest], .grade_rank = grade[n_grades - 1],
		.rhi_due_at = e->end ? e->end + RHI_HOURS * HOUR : 0, .created_at = e->created, .created_by = by->id,
		.updated_at = updated, .updated_by = by->id, .version = version,
	};
	int64_t id;
	if (store_dm_episode_insert(w->st, &row, &id) != 0)
		return -1;
	s->episodes++;
	if (!e->end)
		s->missing_now++;
	for (int i = 0; i < n_grades; i++) {
		char who[32];
		officer(r, who);
		const char *note = i == 0 ? "" : PICK(r, regrade_notes);
		if (store_dm_grading_insert(w->st, id, grades[grade[i]], graded_at[i], who, note, graded_rec[i], by->id) != 0)
			return -1;
		s->gradings++;
	}
	if (n_grades > 1)
		s->regraded++;

	if (e->end) {
		s->returns++;
		int rc = strcmp(rhi_by, "us") == 0 ? write_rhi_ours(w, r, id, e, c, team, by->id, returned_rec)
						   : write_rhi_theirs(w, r, id, e, other, by->id);
		if (rc != 0)
			return -1;
	}

	/* The notification to the other authority: most acknowledged, the recent ones less often. */
	if (oa[0]) {
		if (c->area == A_PLACED_HERE)
			s->placed_here++;
		else
			s->placed_elsewhere++;
		int64_t created = before_cutoff(w, e->created + between(r, MINUTE, 30 * MINUTE));
		bool recent = created >= p->cutoff - RECENT_NOTICE_DAYS * DAY;
		int64_t ack = 0;
		if (chance(r, recent ? 50 : 96)) {
			ack = created + between(r, 30 * MINUTE, chance(r, 80) ? DAY : 5 * DAY);
			if (ack >= p->cutoff)
				ack = 0;
		}
		char ack_by[160] = "";
		if (ack)
			snprintf(ack_by, sizeof ack_by, "%s, %s Children's Services",
				 chance(r, 70) ? "Duty team" : "Missing from home coordinator", other);
		else
			s->notifications_open++;
		if (store_dm_notification_insert(w->st, id, other, oa, rhi_by, created, ack, ack_by, by->id) != 0)
			return -1;
		s->notifications++;
	}
	return 0;
}

/* The repeat-missing flags and, for the recent ones, the intervention-meeting task. */
static int write_flags(struct writer *w)
{
	struct plan *p = w->plan;
	char note[96];
	snprintf(note, sizeof note, "%d or more missing episodes starting within %d days", p->repeat_count,
		 p->repeat_days);
	for (size_t i = 0; i < p->n_children; i++) {
		const struct child *c = &p->children[i];
		if (!c->flag_at)
			continue;
		const struct user *by = c->team == TEAM_PHOENIX ? &w->staff->practitioner : &w->staff->practitioner2;
		int rc = store_dm_flag_insert(w->st, c->id, "repeat_missing", note, c->flag_at, by->id);
		if (rc == STORE_CONFLICT)
			continue; /* the person was flagged already (a demo run over an existing hub) */
		if (rc != 0)
			return -1;
		w->stats->flags++;
		if (w->meeting_clock && c->flag_at >= p->cutoff - MEETING_TASK_DAYS * DAY) {
			int64_t due;
			if (clock_due(w->st, "repeat_missing_meeting", c->flag_at, &due) != 0)
				return -1;
			const char *team = c->team == TEAM_PHOENIX ? "Phoenix" : "Missing from Home";
			if (store_dm_clock_insert(w->st, "repeat_missing_meeting", "person", c->id, c->id, team, c->flag_at,
						  due, 0, "running") != 0)
				return -1;
			w->stats->clocks_running++;
		}
	}
	return 0;
}

/* Whether practice standard `code` is configured and active. */
static bool standard_active(struct store *st, const char *code)
{
	struct clock_standard s;
	return store_standard_get(st, code, &s) == 0 && s.active;
}

int demo_missing_run(struct store *st, const struct demo_missing_options *o, const struct demo_staff *staff,
		     struct demo_missing_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	int rc = -1;
	struct settings_mfh mfh;
	struct plan *p = calloc(1, sizeof *p);
	if (!p) {
		fprintf(stderr, "safehub demo: missing: out of memory\n");
		return -1;
	}
	if (store_begin(st, false) != 0 || settings_mfh(st, &mfh) != 0 || store_dm_max_episode_id(st, &p->ref_base) != 0) {
		fprintf(stderr, "safehub demo: missing: cannot read the mfh settings: %s\n", store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	struct writer w = {
		.st = st, .plan = p, .staff = staff, .mfh = &mfh, .stats = stats,
		.rhi_clock = standard_active(st, "rhi"), .meeting_clock = standard_active(st, "repeat_missing_meeting"),
	};
	/* Named after the hub's authority when that fits the API's 100 characters (bytes: no cut characters). */
	if (strlen(mfh.home_authority) <= 80) {
		snprintf(w.home_police, sizeof w.home_police, "%s Police", mfh.home_authority);
		snprintf(w.home_services, sizeof w.home_services, "%s Children's Services", mfh.home_authority);
	} else {
		snprintf(w.home_police, sizeof w.home_police, "Local police");
		snprintf(w.home_services, sizeof w.home_services, "Children's Services");
	}

	/* The window: from `years` years before today up to local midnight this morning. */
	struct valid_date today, from;
	calendar_local_date(store_now(), &today);
	from = today;
	from.year -= o->years;
	if (from.month == 2 && from.day == 29)
		from.day = 28;
	p->from = calendar_local_midnight_utc(&from);
	p->cutoff = calendar_local_midnight_utc(&today);
	p->percent = o->percent < 1 ? 1 : o->percent > 100 ? 100 : o->percent;
	p->repeat_count = mfh.repeat_count < 2 ? 2 : mfh.repeat_count;
	p->repeat_days = mfh.repeat_days < 1 ? 1 : mfh.repeat_days;
	p->now_candidate = UINT32_MAX;
	p->seed = o->seed ^ 0x6d697373696e672eULL; /* "missing." */
	fake_seed(&p->rng, p->seed);

	time_t started = time(NULL);
	int prc = store_dm_persons(st, plan_person, p);
	store_rollback(st); /* the read transaction: nothing was written */
	if (prc < 0 || p->oom) {
		fprintf(stderr, "safehub demo: missing: %s\n", p->oom ? "out of memory" : store_errmsg(st));
		goto out;
	}
	/* Even a small demo has someone missing now, when anyone can be. */
	if (p->missing_now == 0 && p->now_candidate != UINT32_MAX)
		plan_missing_now(p, p->now_candidate);
	if (p->oom) {
		fprintf(stderr, "safehub demo: missing: out of memory\n");
		goto out;
	}
	qsort(p->eps, p->n_eps, sizeof *p->eps, cmp_child); /* dropped episodes (UINT32_MAX) sort last */
	while (p->n_eps && p->eps[p->n_eps - 1].child == UINT32_MAX)
		p->n_eps--;
	plan_flags(p);
	qsort(p->eps, p->n_eps, sizeof *p->eps, cmp_start);
	for (size_t i = 0; i < p->n_children; i++) {
		if (p->children[i].care_from != INT64_MAX)
			stats->looked_after_children++;
	}
	stats->children = (long)p->n_children;
	fprintf(stderr, "safehub demo: missing: planned %zu episodes of %zu children in %lds\n", p->n_eps, p->n_children,
		(long)(time(NULL) - started));

	time_t last = time(NULL);
	for (size_t done = 0; done < p->n_eps || done == 0;) {
		size_t batch = p->n_eps - done < BATCH ? p->n_eps - done : BATCH;
		if (store_begin(st, true) != 0) {
			fprintf(stderr, "safehub demo: missing: %s\n", store_errmsg(st));
			goto out;
		}
		int bad = 0;
		for (size_t i = 0; i < batch && !bad; i++)
			bad = write_episode(&w, &p->eps[done + i]);
		done += batch;
		if (!bad && done == p->n_eps) {
			/* The last batch: the flags, and the run on the audit trail. */
			bad = write_flags(&w);
			if (!bad) {
				char detail[160];
				snprintf(detail, sizeof detail, "%ld episodes of %ld children, %ld repeat-missing flags",
					 stats->episodes, stats->children, stats->flags);
				struct audit_entry e;
				audit_fill(&e, NULL, "demo.missing", "", 0, "ok", detail);
				bad = audit_record(st, &e);
			}
		}
		if (bad || store_commit(st) != 0) {
			fprintf(stderr, "safehub demo: missing: %s\n", store_errmsg(st));
			store_rollback(st);
			goto out;
		}
		if (done == p->n_eps)
			break;
		if (time(NULL) - last >= 2) {
			last = time(NULL);
			fprintf(stderr, "safehub demo: missing: %zu of %zu episodes\n", done, p->n_eps);
		}
	}
	rc = 0;
out:
	if (p) {
		free(p->children);
		free(p->eps);
	}
	free(p);
	return rc;
}
