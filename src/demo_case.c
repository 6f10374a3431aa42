/*
 * demo_case.c - years of fictional casework for the demo population: the plan (who is referred
 * when, what is decided, how each case runs) and its replay through the domain modules in time
 * order with the store's clock pinned to each event. See demo_case.h.
 * Owns: the proportions and timings of the demo casework and its template texts.
 * Must not touch: HTTP, SQL text, the domain's rules (every record is made by a domain function).
 */
#include "demo_case.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assessment.h"
#include "calendar.h"
#include "casework.h"
#include "config_admin.h"
#include "fake.h"
#include "json.h"
#include "meeting.h"
#include "referral.h"
#include "risk.h"
#include "store.h"
#include "store_case.h"
#include "store_config_admin.h"
#include "valid.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 86400
#define BATCH 1000                 /* events per write transaction */
#define MAX_ASSESSMENTS 40         /* assessments one case plans (a case lasts 15 months at most) */
#define ACTIONS_PER_MEETING 4      /* the most actions a demo meeting agrees */
#define BUCKET_DAYS 30             /* referral rates are set per 30 days of the window */
#define MAX_BUCKETS (DEMO_YEARS_MAX * 366 / BUCKET_DAYS + 2)
#define REFERRAL_WEIGHT_CORE 8     /* a 14-17-year-old is this many times as likely to be referred */
#define REFERRAL_CHANCE_MAX 70     /* percent: the most likely any one person is to be referred */

/* ---- the fictional content ---------------------------------------------------------------- */

/* Strands with how often they are referred for girls and for boys (the seeds' cohorts). */
static const struct {
	const char *code;
	unsigned girl, boy;
} strands[] = {
	{"cse", 46, 8},  {"cce", 14, 46}, {"missing", 24, 18}, {"ocg", 2, 10},    {"mst", 3, 5},
	{"da", 6, 3},    {"hba", 3, 1},   {"fgm", 1, 0},       {"prevent", 1, 5},
};
enum { S_CSE, S_CCE, S_MISSING, S_OCG, S_MST, S_DA, S_HBA, S_FGM, S_PREVENT };

/* What is said about each strand in a referral (a young person, never named). */
static const char *const concern_lines[][4] = {
	[S_CSE] = {"Seen getting into cars with older males not known to the family.",
		   "Has an older boyfriend said to be in his twenties, whom the family have never met.",
		   "Has new clothes, a new phone and money that the family cannot explain.",
		   "Told a teacher that images of them were shared online without their consent."},
	[S_CCE] = {"Found with cash and two mobile phones that they could not account for.",
		   "Stopped by police in a town far from home with no explanation of how they got there.",
		   "Spending time with older young people believed to be involved in drug supply.",
		   "Said to owe a drug debt and to have been threatened over it."},
	[S_MISSING] = {"Reported missing three times in the last month, each time returning late at night.",
		       "Missing overnight at the weekend and found in another town.",
		       "Often missing from school during the day; nobody knows where they go.",
		       "Returns from missing episodes tired, hungry and unwilling to say where they were."},
	[S_OCG] = {"Named in police intelligence as linked to a street group involved in violence.",
		   "Injured in an assault and will not say who was involved.",
		   "Seen with a knife in a video shared between pupils.",
		   "Family have been threatened at their door by young men looking for them."},
	[S_MST] = {"Arrived in the area recently; adults appear to control where they live and work.",
		   "Working long hours for an adult without pay.",
		   "Does not hold their own identity documents; an adult speaks for them.",
		   "Moved between addresses by adults who are not family."},
	[S_DA] = {"Police attended a domestic incident at home; the young person was present.",
		  "Reports of controlling and jealous behaviour by a partner.",
		  "Disclosed that a partner checks their phone and decides who they see.",
		  "Has injuries that they say came from a partner."},
	[S_HBA] = {"Told a friend they fear being taken abroad to be married.",
		   "Family are said to restrict contact with friends and to monitor their phone.",
		   "Frightened of what will happen if the family learn about a relationship.",
		   "School is worried about a long absence planned abroad."},
	[S_FGM] = {"The school nurse is worried about a long trip abroad planned for the holidays.",
		   "A younger relative has talked about a special ceremony during a trip abroad.",
		   "Health professionals raised concerns after a hospital visit.",
		   "The family come from a community where the practice is common; a trip is planned."},
	[S_PREVENT] = {"Sharing extremist material on social media and talking about it at school.",
		       "Spending long hours in online groups that promote violence.",
		       "Has expressed support for violence against a minority group.",
		       "Teachers have noticed a sudden change in views and friendships."},
};

static const char *const concern_openers[] = {
	"The referrer is worried about the young person's safety.",
	"Concerns have grown over the last few weeks.",
	"This is the first time the referrer has contacted the hub.",
	"Other agencies share these worries.",
};
static const char *const concern_closers[] = {
	"The family know about this referral.",
	"The young person does not yet know about this referral.",
	"The referrer asks for the hub to screen and advise.",
	"A parent has asked for help.",
};
static const char *const consent_bases[] = {
	"Consent given by the young person",
	"Consent given by a parent",
	"Shared without consent: risk of significant harm",
	"Shared without consent to prevent and detect crime",
};

/* Referral sources (CIN census codes) with the agency and the referrer's role. */
static const struct {
	const char *code, *agency, *referrer;
	unsigned weight;
} sources[] = {
	{"6", "Police", "Detective constable, public protection", 28},
	{"2A", "Secondary school", "Designated safeguarding lead", 16},
	{"5A", "Children's social care", "Social worker, assessment team", 15},
	{"3C", "School nursing service", "School nurse", 4},
	{"3E", "Emergency department", "Safeguarding nurse", 4},
	{"3A", "GP practice", "GP safeguarding lead", 2},
	{"3F", "Sexual health service", "Sexual health nurse", 3},
	{"1B", "", "Parent", 6},
	{"2B", "Education welfare service", "Education welfare officer", 4},
	{"5C", "Youth justice service", "Youth justice worker", 5},
	{"5B", "Voluntary sector youth project", "Youth worker", 4},
	{"5D", "Return interview service", "Return interview worker", 4},
	{"4", "Housing provider", "Housing officer", 2},
	{"7", "Probation service", "Probation officer", 1},
	{"1D", "", "Young person (self-referral)", 1},
	{"9", "", "Anonymous caller", 1},
	{"8", "Children's home", "Registered manager", 2},
};

/* Screening outcomes: the first two open a case. */
static const struct {
	const char *code, *rationale;
} outcomes[] = {
	{"allocate", "Indicators of exploitation are present and escalating. Allocate for a risk assessment and a "
		     "team around the child meeting."},
	{"strategy", "The threshold of significant harm is met. A strategy discussion is convened with police and "
		     "health, and the case is allocated."},
	{"nfa", "The school has addressed the concern and there are no indicators of exploitation at this time."},
	{"advice", "Advice given to the referrer on safety planning and on what to look out for."},
	{"early_help", "Needs can be met by early help: a family support worker will offer to help."},
	{"onward", "Referred to the youth justice service, which already works with the young person."},
};
enum { O_ALLOCATE, O_STRATEGY, O_NFA, O_ADVICE, O_EARLY_HELP, O_ONWARD };

static const char *const closure_reasons[] = {"risk_reduced", "moved_away",  "stepped_down",
					      "transferred",  "declined",    "other"};
enum { C_REDUCED, C_MOVED, C_STEPPED, C_TRANSFERRED, C_DECLINED, C_OTHER };

/* Contact types and where they happen. */
static const char *const contact_kinds[] = {"visit", "visit_school", "visit_other", "phone", "online"};
enum { K_VISIT, K_SCHOOL, K_ELSEWHERE, K_PHONE, K_ONLINE };
static const char *const elsewhere[] = {"Youth centre", "Cafe in the town centre", "Family hub", "Sports centre",
					"Police station after a missing episode", "Library"};
static const char *const contact_seen[] = {
	"Talked about school, friends and the week ahead. Calm and engaged.",
	"Went through the safety plan together; agreed who to call if worried.",
	"Reluctant to talk at first; opened up about arguments at home.",
	"Talked about the people they spend time with after school.",
	"Followed up the last missing episode; they would not say where they had been.",
	"Worked on a piece about healthy relationships.",
	"Talked about getting back into education and a college taster day.",
	"In good spirits; proud of their attendance this week.",
};
static const char *const contact_unseen[] = {
	"Phoned to arrange the next visit.",
	"Checked in after the weekend; they said all was fine.",
	"Message exchange about a missed appointment.",
	"Call with a parent about a late return home.",
};
static const char *const note_lines[] = {
	"Spoke with the school: attendance is improving and there are no new concerns.",
	"Police shared that the young person was seen with older peers known to them.",
	"Parent reports better communication at home and fewer late nights.",
	"Return interview completed after the latest missing episode; information passed to police.",
	"Referral made to the substance misuse service with the young person's agreement.",
	"Disruption activity discussed with police for the address of concern.",
	"The young person has started at a youth project two evenings a week.",
	"Health appointment attended; follow-up booked.",
};
static const char *const child_voices[] = {
	"I just want everyone to stop asking me questions.",
	"I feel safer now I am back at school.",
	"He is my friend, he looks after me.",
	"I don't want my mum to find out.",
	"I liked the football session, can I go again?",
	"Nobody listened to me before.",
	"I know some of the people I hang around with are trouble.",
	"I want to go to college next year.",
};
static const char *const supervision_discussions[] = {
	"Reviewed the plan and the latest assessment.",
	"Discussed engagement and the last missing episode.",
	"Discussed information from police and the school.",
	"Reviewed progress against the actions from the last PTAC.",
};
static const char *const supervision_decisions[] = {
	"Continue the plan; visits as agreed.",
	"Increase visits to twice weekly until the next review.",
	"Request a strategy discussion if there is another missing episode.",
	"Prepare to step down at the next PTAC if progress holds.",
	"Share the new intelligence with police today.",
};
static const char *const meeting_decisions[] = {
	"The plan continues. Agencies to share new information within 24 hours.",
	"Risk remains high: increase contact and ask police for disruption of the address of concern.",
	"Good progress: reduce visits and review at the next meeting.",
	"The young person attended and agreed the safety plan.",
};
static const struct {
	const char *what, *owner;
} action_texts[] = {
	{"Share the safety plan with the school", "Pat Practitioner, Children's Social Care"},
	{"Complete a return interview after any missing episode", "Return interview worker, Early Help"},
	{"Check the address of concern and report back", "PC on the Complex Safeguarding Team, Police"},
	{"Arrange a sexual health appointment", "School nurse, Health"},
	{"Refer to the youth project", "Youth worker, voluntary sector"},
	{"Update the chronology", "Allocated worker, the hub"},
	{"Speak to the parent about the safety plan", "Allocated worker, the hub"},
	{"Review the timetable and attendance", "Designated safeguarding lead, Education"},
};
static const struct {
	const char *name, *agency, *role;
} attendees[] = {
	{"Designated safeguarding lead", "Education", "School"},
	{"PC, Complex Safeguarding Team", "Police", "Police"},
	{"School nurse", "Health", "Health"},
	{"Parent or carer", "", "Family"},
	{"The young person", "", "Young person"},
	{"Youth worker", "Voluntary sector", "Support"},
};
static const char *const flag_notes[] = {
	"Known to associate with adults of concern.",
	"Repeat missing episodes; found out of the area.",
	"Intelligence links them to an address of concern.",
	"Risk of harm from others: share with partners.",
};
static const char *const feedback_words[] = {
	"My worker actually listened to me.",
	"It was OK. Too many meetings.",
	"I didn't want help at first but it helped.",
	"Better than I thought it would be.",
	"I felt like I was in trouble.",
	"",
};
static const char *const override_up =
	"Professional judgement: new police intelligence shows the risk is higher than the answers capture.";
static const char *const override_down =
	"Professional judgement: the score reflects past events; the young person has been settled at home and at "
	"school for two months.";

/* ---- the plan ------------------------------------------------------------------------------ */

/* What happens, in the order events of one moment are replayed (a person before its referral,
 * a meeting before its actions are done, anything before the closure). */
enum kind {
	EV_PERSON,
	EV_REFERRAL,
	EV_DECIDE,
	EV_REALLOCATE,
	EV_MEETING,
	EV_ASSESS,
	EV_CONTACT,
	EV_NOTE,
	EV_SUPERVISION,
	EV_FLAG_SET,
	EV_FLAG_REVIEW,
	EV_ACTION_DONE,
	EV_FEEDBACK,
	EV_TRANSITION,
	EV_FLAG_REMOVE,
	EV_CLOSE
};

/* Who records an event. */
enum { W_MANAGER, W_PRACTITIONER, W_PRACTITIONER2 };

/* One planned event. 24 bytes: a 10-year demo of 300,000 persons plans a few million. */
struct event {
	int64_t at;        /* UTC seconds: the store's clock is pinned here when it is replayed */
	uint32_t owner;    /* EV_PERSON: the person's index; otherwise the episode's */
	uint32_t arg;      /* meeting or flag slot, the seconds from receipt to recording, ... */
	uint32_t seq;      /* plan order: breaks the last ties */
	uint8_t kind;      /* enum kind */
	uint8_t who;       /* W_* */
	uint8_t x, y;      /* kind-specific small values (levels, indexes, options) */
};

/* One referral and what follows from it. */
struct episode {
	uint32_t person;      /* index into the persons */
	uint16_t strands;     /* bit i: strands[i] */
	uint8_t source;       /* index into sources */
	uint8_t worker;       /* W_PRACTITIONER or W_PRACTITIONER2: recorder, and worker if allocated */
	int64_t referral_id;  /* set when replayed */
	int64_t case_id;      /* set when the decision opens a case */
};

/* A meeting's ids once recorded, so its actions can be marked done later. */
struct meeting_slot {
	int64_t meeting_id;
	int64_t action_id[ACTIONS_PER_MEETING];
};

/* A flag's id and version once set, so it can be reviewed and removed later. */
struct flag_slot {
	int64_t id, version;
};

/* The plan being built: every event of every person, with what replaying them needs. */
struct plan {
	struct fake_rng rng;     /* the plan's draws (separate from the population's and the texts') */
	struct calendar cal;     /* the configured bank holidays: working days */
	int64_t cutoff;          /* local midnight at the start of today: every event is before it */
	int64_t first_day;       /* the first day of the window (a local day number) */
	int64_t last_day;        /* yesterday */
	int referred;            /* percent */
	int n_buckets;           /* 30-day buckets of the window (plan_rates) */
	double *pool, *target;   /* per bucket: the sum of referral weights, the referrals wanted */
	int64_t *created;        /* per person: when the record is made */
	struct demo_person *persons; /* the caller's population (ids are set as persons are made) */
	struct episode *eps;     /* the referrals planned, n_eps of cap_eps */
	size_t n_eps, cap_eps;
	struct event *ev;        /* the events planned, n_ev of cap_ev (sorted by time to replay) */
	size_t n_ev, cap_ev;
	uint32_t n_meetings, n_flags, seq; /* meeting and flag slots used; the next event's seq */
	bool oom;                /* an allocation failed: the plan is incomplete */
};

/* A uniform integer in [0, n) (0 when n is 0). */
static uint64_t below(struct plan *p, uint64_t n)
{
	return n ? fake_below(&p->rng, n) : 0;
}

/* True with probability pct percent. */
static bool chance(struct plan *p, unsigned pct)
{
	return fake_below(&p->rng, 100) < pct;
}

/* A uniform integer in [lo, hi]. */
static int64_t between(struct plan *p, int64_t lo, int64_t hi)
{
	return hi <= lo ? lo : lo + (int64_t)fake_below(&p->rng, (uint64_t)(hi - lo + 1));
}

/* ---- days and times (Europe/London) ---- */

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

/* Whether local day `day` is a working day (not a weekend or a configured bank holiday). */
static bool working(const struct plan *p, int64_t day)
{
	struct valid_date d;
	valid_civil_from_days(day, &d);
	return calendar_is_working_day(&p->cal, &d);
}

/* The first working day on or after `day`. */
static int64_t work_from(const struct plan *p, int64_t day)
{
	while (!working(p, day))
		day++;
	return day;
}

/* The last working day on or before `day`. */
static int64_t work_until(const struct plan *p, int64_t day)
{
	while (!working(p, day))
		day--;
	return day;
}

/* The n-th working day after `day` (n >= 1). */
static int64_t add_work(const struct plan *p, int64_t day, int n)
{
	while (n > 0) {
		day++;
		if (working(p, day))
			n--;
	}
	return day;
}

/* A time between from_min and to_min minutes after local midnight on `day`. */
static int64_t office(struct plan *p, int64_t day, int from_min, int to_min)
{
	return local_at(day, between(p, from_min, to_min - 1) * 60 + between(p, 0, 59));
}

/* The day number of the birthday at `years` for someone born on day `born` (29 February: 28th). */
static int64_t birthday(int64_t born, int years)
{
	struct valid_date d;
	valid_civil_from_days(born, &d);
	d.year += years;
	if (d.month == 2 && d.day == 29 && !(d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0)))
		d.day = 28;
	return valid_days_from_civil(&d);
}

/* Whole years of age at UTC instant t for someone born on day `born`. */
static int age_at(int64_t born, int64_t t)
{
	struct valid_date b, on;
	valid_civil_from_days(born, &b);
	calendar_local_date(t, &on);
	return valid_age_on(&b, &on);
}

/* ---- building the plan ---- */

/*
 * Add an event to the plan (growing it by doubling; on failure p->oom is set and nothing more is
 * added). An event at or after the cutoff is left out: nothing is recorded today or later (what
 * depends on an event always comes after it, so it is left out too).
 */
static void push(struct plan *p, int64_t at, enum kind kind, uint32_t owner, int who, uint32_t arg, int x, int y)
{
	if (p->oom || at >= p->cutoff)
		return;
	if (p->n_ev == p->cap_ev) {
		size_t cap = p->cap_ev ? p->cap_ev * 2 : 65536;
		struct event *ev = realloc(p->ev, cap * sizeof *ev);
		if (!ev) {
			p->oom = true;
			return;
		}
		p->ev = ev;
		p->cap_ev = cap;
	}
	p->ev[p->n_ev++] = (struct event){
		.at = at, .owner = owner, .arg = arg, .seq = p->seq++, .kind = (uint8_t)kind, .who = (uint8_t)who,
		.x = (uint8_t)x, .y = (uint8_t)y,
	};
}

/* A new, empty episode of person `person`: its index, or UINT32_MAX when out of memory. */
static uint32_t new_episode(struct plan *p, uint32_t person)
{
	if (p->n_eps == p->cap_eps) {
		size_t cap = p->cap_eps ? p->cap_eps * 2 : 4096;
		struct episode *e = realloc(p->eps, cap * sizeof *e);
		if (!e) {
			p->oom = true;
			return UINT32_MAX;
		}
		p->eps = e;
		p->cap_eps = cap;
	}
	struct episode *e = &p->eps[p->n_eps];
	memset(e, 0, sizeof *e);
	e->person = person;
	return (uint32_t)p->n_eps++;
}

/* One to three strands, weighted by sex. */
static uint16_t pick_strands(struct plan *p, char sex)
{
	bool boy = sex == 'm' || (sex == 'u' && chance(p, 50));
	int want = chance(p, 50) ? 1 : chance(p, 70) ? 2 : 3;
	uint16_t mask = 0;
	for (int got = 0, tries = 0; got < want && tries < 50; tries++) {
		unsigned total = 0;
		for (size_t i = 0; i < COUNT(strands); i++)
			total += boy ? strands[i].boy : strands[i].girl;
		unsigned r = (unsigned)below(p, total);
		size_t i = 0;
		for (; i < COUNT(strands); i++) {
			unsigned w = boy ? strands[i].boy : strands[i].girl;
			if (r < w)
				break;
			r -= w;
		}
		if (i < COUNT(strands) && !(mask & (1u << i))) {
			mask |= (uint16_t)(1u << i);
			got++;
		}
	}
	return mask;
}

/* A referral source, weighted roughly as a hub receives them (police and schools first). */
static uint8_t pick_source(struct plan *p)
{
	unsigned total = 0;
	for (size_t i = 0; i < COUNT(sources); i++)
		total += sources[i].weight;
	unsigned r = (unsigned)below(p, total);
	for (size_t i = 0; i < COUNT(sources); i++) {
		if (r < sources[i].weight)
			return (uint8_t)i;
		r -= sources[i].weight;
	}
	return 0;
}

/* A planned risk level over time: levels[k] from at[k] on (0 before the first assessment). */
struct trajectory {
	int64_t at[MAX_ASSESSMENTS];
	int level[MAX_ASSESSMENTS];
	int n;
};

/* The planned level at `when`: that of the latest assessment by then, 0 before the first. */
static int level_at(const struct trajectory *t, int64_t when)
{
	int level = 0;
	for (int k = 0; k < t->n && t->at[k] <= when; k++)
		level = t->level[k];
	return level;
}

/*
 * Plan one assessment at `at` to end at level `level` (after the age floor), sometimes by a
 * professional override of a computed level one step away. x = final level, y = the level the
 * answers are to score (equal when there is no override).
 */
static void plan_assessment(struct plan *p, uint32_t ep, int who, int64_t at, int64_t born, int *level,
			    struct trajectory *t)
{
	int age = age_at(born, at);
	if (age <= 13 && *level < RISK_MEDIUM)
		*level = RISK_MEDIUM; /* the tool's floor: 13 or under cannot be rated low */
	int computed = *level;
	if (chance(p, 6)) {
		if (*level == RISK_HIGH)
			computed = RISK_MEDIUM;
		else if (*level == RISK_LOW)
			computed = RISK_MEDIUM;
		else if (age > 13)
			computed = RISK_LOW;
		else
			computed = RISK_HIGH;
	}
	push(p, at, EV_ASSESS, ep, who, 0, *level, computed);
	if (t->n < MAX_ASSESSMENTS) {
		t->at[t->n] = at;
		t->level[t->n++] = *level;
	}
}

/* A closure reason that fits the final level and the age at closure. */
static int pick_closure(struct plan *p, int level, int age)
{
	if (age >= 18 && chance(p, 40))
		return C_TRANSFERRED;
	unsigned r = (unsigned)below(p, 100);
	if (level <= RISK_LOW)
		return r < 60 ? C_REDUCED : r < 85 ? C_STEPPED : r < 93 ? C_MOVED : C_OTHER;
	if (level == RISK_MEDIUM)
		return r < 35 ? C_STEPPED : r < 65 ? C_REDUCED : r < 80 ? C_DECLINED : r < 92 ? C_MOVED : C_OTHER;
	return r < 30 ? C_MOVED : r < 60 ? C_DECLINED : r < 85 ? C_TRANSFERRED : C_OTHER;
}

/* The life of one case, as the planning of its meetings needs it. */
struct case_span {
	uint32_t ep;            /* the episode */
	int64_t opened, closed; /* closed: the planned closure (on or after the cutoff: still open) */
	int64_t end;            /* nothing is planned at or after this: the closure or the cutoff */
	int64_t behind;         /* no meeting or action is recorded from here (<= end) */
	bool open;              /* still open today */
	int64_t moved;          /* when the case moves to `other` (INT64_MAX: never) */
	int worker, other;      /* W_* */
};

/* Who works the case at time t (W_*): the allocated worker, or the new one after a reallocation. */
static int worker_at(const struct case_span *s, int64_t t)
{
	return t >= s->moved ? s->other : s->worker;
}

/*
 * Plan a meeting of type `type` (0 PTAC, 1 strategy discussion, 2 MACE) at `at` with n_actions
 * actions, most of them done later (on a closed case nearly all, before the closure).
 */
static void plan_meeting(struct plan *p, const struct case_span *s, int64_t at, int type, int n_actions)
{
	if (at >= s->behind)
		return;
	uint32_t slot = p->n_meetings++;
	push(p, at, EV_MEETING, s->ep, worker_at(s, at), slot, type, n_actions);
	for (int i = 0; i < n_actions; i++) {
		if (!chance(p, s->open ? 90 : 95))
			continue;
		int64_t done = office(p, day_of(at) + between(p, 2, 32), 9 * 60, 18 * 60);
		if (!s->open && done >= s->closed)
			done = s->closed - between(p, 600, 7200);
		if (done > at && done < s->behind)
			push(p, done, EV_ACTION_DONE, s->ep, worker_at(s, done), slot, i, 0);
	}
}

/* Days from one flag review to the next: mostly by the 3-month review date, a quarter late. */
static int64_t review_gap(struct plan *p)
{
	return chance(p, 75) ? between(p, 80, 91) : between(p, 93, 130);
}

/* Whether strand s is on episode e. */
static bool has_strand(const struct episode *e, int s)
{
	return (e->strands >> s) & 1u;
}

/*
 * Plan a case opened at `opened` on episode ep: its assessments, contacts, notes, supervision,
 * meetings and actions, flags, feedback, transition plan, perhaps a reallocation, and its
 * closure unless it is still open today. Returns when the episode ends (its closure, or the
 * cutoff for an open case).
 */
static int64_t plan_case(struct plan *p, uint32_t ep, int64_t opened, bool strategy)
{
	struct episode *e = &p->eps[ep];
	const struct demo_person *dp = &p->persons[e->person];
	int64_t d0 = day_of(opened);
	int r = (int)below(p, 100);
	int64_t length = r < 25 ? between(p, 42, 84) : r < 70 ? between(p, 85, 180) : r < 95 ? between(p, 181, 300)
											: between(p, 301, 420);
	int64_t close_day = work_until(p, d0 + length);
	int64_t closed = office(p, close_day, 10 * 60, 16 * 60 + 30);
	bool open = closed >= p->cutoff;
	int64_t end = open ? p->cutoff : closed;
	int64_t behind = end; /* set below for an open case that is behind */

	/* A few cases move to the other team part way through. */
	int worker = e->worker, other = worker == W_PRACTITIONER ? W_PRACTITIONER2 : W_PRACTITIONER;
	int64_t moved = INT64_MAX;
	if (!dp->restricted && chance(p, 5)) {
		int64_t at = office(p, work_from(p, d0 + length * between(p, 20, 60) / 100), 9 * 60, 17 * 60);
		if (at < end) {
			moved = at;
			push(p, at, EV_REALLOCATE, ep, W_MANAGER, 0, other, 0);
		}
	}
	struct case_span span = {.ep = ep, .opened = opened, .closed = closed, .end = end, .behind = behind,
				 .open = open, .moved = moved, .worker = worker, .other = other};

	/* Assessments: the first within 5 working days mostly, then every 6-10 weeks. */
	struct trajectory t = {.n = 0};
	int start = (int)below(p, 100);
	int level = start < 40 ? RISK_HIGH : start < 85 ? RISK_MEDIUM : RISK_LOW;
	int pattern = (int)below(p, 100); /* < 70 falling, < 85 rising then falling, else flat */
	int64_t at = office(p, add_work(p, d0, chance(p, 85) ? (int)between(p, 1, 5) : (int)between(p, 6, 9)),
			    9 * 60, 17 * 60 + 30);
	int64_t planned_span = (open ? p->cutoff : closed) - opened;
	for (int k = 0; at < end && t.n < MAX_ASSESSMENTS - 1; k++) {
		if (k > 0) {
			bool first_half = at - opened < planned_span / 2;
			if (pattern < 70 || (pattern < 85 && !first_half)) {
				if (chance(p, 45) && level > RISK_LOW)
					level--;
			} else if (pattern < 85) {
				if (chance(p, 40) && level < RISK_HIGH)
					level++;
			} else if (chance(p, 15)) {
				level += level == RISK_HIGH ? -1 : level == RISK_LOW ? 1 : chance(p, 50) ? 1 : -1;
			}
		}
		plan_assessment(p, ep, worker_at(&span, at), at, dp->born, &level, &t);
		at = office(p, work_until(p, day_of(at) + between(p, 42, 70)), 9 * 60, 17 * 60 + 30);
	}
	/* Most closing cases have a closing assessment in their last week. */
	if (!open && t.n > 0 && chance(p, 60)) {
		int64_t last = office(p, work_until(p, close_day - between(p, 1, 7)), 9 * 60, 10 * 60);
		if (last > t.at[t.n - 1] + 14 * DAY) {
			if ((pattern < 85 || chance(p, 50)) && level > RISK_LOW && chance(p, 60))
				level--;
			plan_assessment(p, ep, worker_at(&span, last), last, dp->born, &level, &t);
		}
	}

	/* A third of the open cases (half of those rated high) are behind: nothing recurring has
	 * been recorded for one to six weeks, so today's list has overdue supervision, reviews,
	 * visits and actions. */
	if (open && chance(p, level == RISK_HIGH ? 50 : 35)) {
		behind = p->cutoff - between(p, 7, 45) * DAY;
		if (behind < opened + 7 * DAY)
			behind = opened + 7 * DAY;
		if (behind > end)
			behind = end;
		span.behind = behind;
	}

	/* Contacts: a visit (the child seen) about weekly while high risk, every one to four weeks
	 * otherwise, and a call or message between visits now and then. */
	at = office(p, d0 + between(p, 1, 3), 9 * 60, 19 * 60);
	while (at < behind) {
		int lv = level_at(&t, at);
		int k = (int)below(p, 100);
		int kind = k < 55 ? K_VISIT : k < 80 ? K_SCHOOL : K_ELSEWHERE;
		push(p, at, EV_CONTACT, ep, worker_at(&span, at), 0, kind, 1 | (chance(p, 45) ? 2 : 0));
		int64_t gap = lv == RISK_HIGH	 ? (chance(p, 90) ? between(p, 3, 7) : between(p, 8, 10))
			      : lv == RISK_MEDIUM ? between(p, 7, 16)
			      : lv == RISK_LOW	  ? between(p, 12, 28)
						  : between(p, 4, 10);
		int64_t day = day_of(at) + gap;
		if (!working(p, day) && !chance(p, 15))
			day = lv == RISK_HIGH ? work_until(p, day) : work_from(p, day);
		if (day <= day_of(at))
			day = day_of(at) + gap;
		if (gap >= 3 && chance(p, 35)) {
			int64_t call = office(p, day_of(at) + between(p, 1, gap - 1), 10 * 60, 18 * 60);
			if (call < behind)
				push(p, call, EV_CONTACT, ep, worker_at(&span, call), 0, chance(p, 70) ? K_PHONE : K_ONLINE, 0);
		}
		at = office(p, day, 9 * 60, 19 * 60 + 30);
	}

	/* Notes every one to three weeks, some with the child's own words. */
	for (at = office(p, d0 + between(p, 2, 6), 9 * 60, 18 * 60); at < behind;
	     at = office(p, work_from(p, day_of(at) + between(p, 7, 21)), 9 * 60, 18 * 60))
		push(p, at, EV_NOTE, ep, worker_at(&span, at), 0, chance(p, 40), 0);

	/* Supervision every 4 weeks (2 while high risk, when the manager sets the next date). */
	at = office(p, work_until(p, d0 + (chance(p, 85) ? between(p, 14, 28) : between(p, 29, 35))), 9 * 60,
		    17 * 60);
	while (at < behind) {
		bool fortnight = level_at(&t, at) == RISK_HIGH && chance(p, 50);
		push(p, at, EV_SUPERVISION, ep, W_MANAGER, 0, fortnight, 0);
		int64_t gap = fortnight ? (chance(p, 80) ? between(p, 10, 14) : between(p, 15, 20))
					: (chance(p, 80) ? between(p, 21, 28) : between(p, 29, 40));
		at = office(p, work_until(p, day_of(at) + gap), 9 * 60, 17 * 60);
	}

	/* Meetings: a strategy discussion first when decided so; PTAC within 10 working days
	 * mostly, then every 6 weeks; a MACE now and then while risk is high. */
	int64_t first_ptac =
		office(p, add_work(p, d0, chance(p, 85) ? (int)between(p, 4, 10) : (int)between(p, 11, 15)), 9 * 60 + 30,
		       16 * 60);
	if (strategy) {
		int64_t sat = opened + between(p, 1, 4) * 3600;
		if (sat < first_ptac)
			plan_meeting(p, &span, sat, 1, (int)between(p, 1, 2));
	}
	bool mace = t.n > 0 && t.level[0] == RISK_HIGH && chance(p, 20);
	for (at = first_ptac; at < behind;) {
		plan_meeting(p, &span, at, 0, (int)between(p, 2, ACTIONS_PER_MEETING));
		if (mace && level_at(&t, at) == RISK_HIGH) {
			plan_meeting(p, &span, office(p, work_from(p, day_of(at) + between(p, 7, 14)), 10 * 60, 15 * 60), 2,
				     1);
			mace = false;
		}
		at = office(p, work_until(p, day_of(at) + (chance(p, 80) ? between(p, 35, 42) : between(p, 43, 55))),
			    9 * 60 + 30, 16 * 60);
	}

	/* Flags on almost half the cases, reviewed every 3 months, taken down at closure. */
	int flag_kind = has_strand(e, S_CSE) ? 0 : has_strand(e, S_CCE) || has_strand(e, S_OCG) ? 1
						  : has_strand(e, S_MISSING)			  ? 2
						  : has_strand(e, S_MST)			  ? 3
												  : 4;
	if (chance(p, 45)) {
		int64_t set = office(p, work_from(p, d0 + between(p, 3, 20)), 9 * 60, 17 * 60);
		if (set < behind) {
			uint32_t slot = p->n_flags++;
			push(p, set, EV_FLAG_SET, ep, worker_at(&span, set), slot, flag_kind, chance(p, 50));
			int64_t last = set;
			for (int64_t rv = office(p, work_until(p, day_of(set) + review_gap(p)), 9 * 60, 17 * 60); rv < behind;
			     rv = office(p, work_until(p, day_of(rv) + review_gap(p)), 9 * 60, 17 * 60)) {
				push(p, rv, EV_FLAG_REVIEW, ep, worker_at(&span, rv), slot, 0, 0);
				last = rv;
			}
			if (!open && chance(p, 80)) {
				int64_t off = closed - between(p, 600, 3 * 3600);
				if (off > last)
					push(p, off, EV_FLAG_REMOVE, ep, worker_at(&span, off), slot, 0, 0);
			}
		}
	}

	/* The child's feedback at a review, and at closure. */
	if (chance(p, 40)) {
		int64_t fb = office(p, work_from(p, d0 + length / 2), 10 * 60, 17 * 60);
		if (fb < end)
			push(p, fb, EV_FEEDBACK, ep, worker_at(&span, fb), 0, 0, (int)between(p, 2, 5));
	}
	if (!open && chance(p, 65)) {
		int64_t fb = closed - between(p, 3600, 2 * DAY);
		if (fb > opened)
			push(p, fb, EV_FEEDBACK, ep, worker_at(&span, fb), 0, 1, (int)between(p, 2, 5));
	}

	/* A transition plan for a child who reaches 17 years 6 months on the case. */
	int64_t born = dp->born;
	struct valid_date b, due;
	valid_civil_from_days(born, &b);
	if (calendar_add_months(&b, 210, &due)) {
		int64_t due_day = valid_days_from_civil(&due);
		if (due_day > d0) {
			int q = (int)below(p, 100);
			int64_t day = q < 75 ? due_day - between(p, 0, 45) : q < 90 ? due_day + between(p, 1, 30) : 0;
			if (day > d0) {
				int64_t tp = office(p, work_until(p, day), 10 * 60, 17 * 60);
				if (tp > opened && tp < end)
					push(p, tp, EV_TRANSITION, ep, worker_at(&span, tp), 0, 0, 0);
			}
		}
	}

	if (!open)
		push(p, closed, EV_CLOSE, ep, W_MANAGER, 0, pick_closure(p, level, age_at(born, closed)), 0);
	return end;
}

/*
 * Plan a referral of person `pi` received at `received` (one episode), its decision and any
 * case. Returns when the episode ends (0 when it was not planned: the recording would fall on
 * or after the cutoff).
 */
static int64_t plan_referral(struct plan *p, uint32_t pi, int64_t received, bool first)
{
	const struct demo_person *dp = &p->persons[pi];
	int64_t recorded = received + between(p, 600, 7200);
	if (recorded >= p->cutoff)
		return 0;
	uint32_t ep = new_episode(p, pi);
	if (ep == UINT32_MAX)
		return 0;
	struct episode *e = &p->eps[ep];
	e->strands = pick_strands(p, dp->sex);
	e->source = pick_source(p);
	e->worker = dp->restricted	       ? W_PRACTITIONER
		    : has_strand(e, S_MISSING) ? (chance(p, 60) ? W_PRACTITIONER2 : W_PRACTITIONER)
					       : (chance(p, 25) ? W_PRACTITIONER2 : W_PRACTITIONER);
	if (first) {
		p->created[pi] = recorded - between(p, 60, 300);
		push(p, p->created[pi], EV_PERSON, pi, e->worker, 0, 0, 0);
	}
	push(p, recorded, EV_REFERRAL, ep, e->worker, (uint32_t)(recorded - received), 0, 0);

	/* The decision: mostly by the end of the next working day, about one in ten late. */
	int64_t rday = day_of(received), due_day = add_work(p, rday, 1);
	int64_t decided;
	if (!chance(p, 10)) {
		bool same_day = working(p, rday) && recorded < local_at(rday, 14 * 3600) && chance(p, 30);
		decided = same_day ? recorded + between(p, 1800, 3 * 3600) : office(p, due_day, 9 * 60, 17 * 60 + 30);
	} else {
		decided = office(p, add_work(p, due_day, (int)between(p, 1, 3)), 9 * 60, 17 * 60 + 30);
	}
	if (decided <= recorded)
		decided = recorded + between(p, 1800, 3600);
	if (decided >= p->cutoff)
		return p->cutoff; /* still awaiting a decision today */
	int outcome = chance(p, 40) ? (chance(p, 87) ? O_ALLOCATE : O_STRATEGY) : O_NFA + (int)below(p, 4);
	push(p, decided, EV_DECIDE, ep, W_MANAGER, 0, outcome, 0);
	if (outcome == O_ALLOCATE || outcome == O_STRATEGY)
		return plan_case(p, ep, decided, outcome == O_STRATEGY);
	return decided;
}

/* The days a person turns 9, 14, 18 and 26: the bounds of the ages a referral is made at. */
struct referable {
	int64_t b9, b14, b18, b26;
	unsigned sex_weight;     /* girls 3, boys and unknown 2 */
};

/* The referable ages of person dp. */
static struct referable referable_of(const struct demo_person *dp)
{
	struct referable r = {
		.b9 = birthday(dp->born, 9),
		.b14 = birthday(dp->born, 14),
		.b18 = birthday(dp->born, 18),
		.b26 = birthday(dp->born, 26),
		.sex_weight = dp->sex == 'f' ? 3 : 2,
	};
	return r;
}

/*
 * How likely a person is to be referred on `day`, relative to others: only at 9-25, mostly at
 * 14-17, and girls half as likely again as boys (so that about one in three referred is a boy,
 * as in the seeds' cohorts, even from the older cohorts, who are drawn about half boys).
 */
static unsigned referral_weight(const struct referable *r, int64_t day)
{
	if (day < r->b9 || day >= r->b26)
		return 0;
	return (day >= r->b14 && day < r->b18 ? REFERRAL_WEIGHT_CORE : 1) * r->sex_weight;
}

/* The middle day of month-long bucket m of the window. */
static int64_t bucket_mid(const struct plan *p, int m)
{
	int64_t mid = p->first_day + (int64_t)m * BUCKET_DAYS + BUCKET_DAYS / 2;
	return mid > p->last_day ? p->last_day : mid;
}

/*
 * The referral rates. The population is drawn as it is today (mostly children), so years ago
 * fewer of its members were of an age to be referred; a flat chance per person would make the
 * hub's referrals grow many times over the window. Instead each month-long bucket of the window
 * gets an equal share of the referrals, spread over the persons of a referable age then in
 * proportion to referral_weight: the chance of a first referral in bucket m for a person of
 * weight w is w * target[m] / pool[m], pool[m] being the sum of the weights in that bucket.
 */
static int plan_rates(struct plan *p, size_t n)
{
	p->n_buckets = (int)((p->last_day - p->first_day) / BUCKET_DAYS + 1);
	p->pool = calloc((size_t)p->n_buckets, sizeof *p->pool);
	p->target = calloc((size_t)p->n_buckets, sizeof *p->target);
	p->created = calloc(n ? n : 1, sizeof *p->created);
	if (!p->pool || !p->target || !p->created)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct referable r = referable_of(&p->persons[i]);
		for (int m = 0; m < p->n_buckets; m++)
			p->pool[m] += referral_weight(&r, bucket_mid(p, m));
	}
	double days = (double)(p->last_day - p->first_day + 1);
	for (int m = 0; m < p->n_buckets; m++) {
		int64_t from = p->first_day + (int64_t)m * BUCKET_DAYS, to = from + BUCKET_DAYS - 1;
		if (to > p->last_day)
			to = p->last_day;
		p->target[m] = (double)n * p->referred / 100.0 * (double)(to - from + 1) / days;
	}
	return 0;
}

/*
 * The day of person dp's first referral (0: none), drawn with the rates of plan_rates; at most
 * REFERRAL_CHANCE_MAX percent of any one person (so the oldest cohorts are not all referred).
 */
static int64_t first_referral_day(struct plan *p, const struct demo_person *dp)
{
	double h[MAX_BUCKETS], total = 0;
	struct referable r = referable_of(dp);
	for (int m = 0; m < p->n_buckets; m++) {
		unsigned w = referral_weight(&r, bucket_mid(p, m));
		h[m] = w && p->pool[m] > 0 ? w * p->target[m] / p->pool[m] : 0;
		total += h[m];
	}
	double u = (double)(fake_next(&p->rng) >> 11) * 0x1.0p-53;
	double chance_of = total < REFERRAL_CHANCE_MAX / 100.0 ? total : REFERRAL_CHANCE_MAX / 100.0;
	if (u >= chance_of)
		return 0;
	double x = u / chance_of * total;
	int m = 0;
	while (m + 1 < p->n_buckets && x >= h[m])
		x -= h[m++];
	int64_t from = p->first_day + (int64_t)m * BUCKET_DAYS, to = from + BUCKET_DAYS - 1;
	if (from < r.b9)
		from = r.b9;
	if (to >= r.b26)
		to = r.b26 - 1;
	if (to > p->last_day)
		to = p->last_day;
	return from <= to ? between(p, from, to) : 0;
}

/*
 * Plan person pi: when the record is made and, for some, one to three referrals at ages 9-25,
 * most at 14-17. A person referred is recorded just before the first referral; the others at
 * some working day of the window (not before they were 8).
 */
static void plan_person(struct plan *p, uint32_t pi)
{
	const struct demo_person *dp = &p->persons[pi];
	int64_t day = first_referral_day(p, dp);

	int64_t ended = 0;
	if (day) {
		int q = (int)below(p, 100);
		int64_t received = local_at(day, q < 75 ? between(p, 8 * 3600 + 1800, 17 * 3600 + 1800)
						       : between(p, 0, DAY - 1));
		ended = plan_referral(p, pi, received, true);
	}
	if (!ended) {
		int64_t from = birthday(dp->born, 8);
		if (from < p->first_day)
			from = p->first_day;
		int64_t d = work_until(p, between(p, from, p->last_day));
		if (d < from)
			d = work_from(p, from);
		if (d > p->last_day)
			d = p->last_day;
		p->created[pi] = office(p, d, 9 * 60, 17 * 60);
		push(p, p->created[pi], EV_PERSON, pi, W_PRACTITIONER, 0, 0, 0);
		return;
	}
	/* Some come back: a new referral one to twelve months after the last episode ended. */
	for (int again = 0; again < 2 && ended < p->cutoff && chance(p, again == 0 ? 25 : 30); again++) {
		int64_t next_day = day_of(ended) + between(p, 30, 365);
		if (next_day > p->last_day || next_day > birthday(dp->born, 26) - 1)
			break;
		int64_t received = office(p, next_day, 8 * 60 + 30, 18 * 60);
		ended = plan_referral(p, pi, received, false);
		if (!ended)
			break;
	}
}

/*
 * This morning's intake: a few referrals received in the last two working days that await a
 * decision today (some already overdue), about children aged 12-17 already on record, so even
 * a small demo has new referrals on the daily list.
 */
static void plan_intake(struct plan *p, size_t n)
{
	int want = p->referred > 0 ? 3 + (int)(n / 20000) : 0;
	int64_t last = work_until(p, p->last_day), before = work_until(p, last - 1);
	for (int got = 0, tries = 0; got < want && tries < 100 * want && n > 0; tries++) {
		uint32_t pi = (uint32_t)below(p, n);
		const struct demo_person *dp = &p->persons[pi];
		int age = age_at(dp->born, p->cutoff - 1);
		int64_t day = chance(p, 60) ? last : before;
		int64_t received = office(p, day, 8 * 60 + 30, 17 * 60 + 30);
		int64_t recorded = received + between(p, 600, 3600);
		if (age < 12 || age > 17 || dp->restricted || p->created[pi] >= received - DAY || recorded >= p->cutoff)
			continue;
		uint32_t ep = new_episode(p, pi);
		if (ep == UINT32_MAX)
			return;
		struct episode *e = &p->eps[ep];
		e->strands = pick_strands(p, dp->sex);
		e->source = pick_source(p);
		e->worker = chance(p, 70) ? W_PRACTITIONER : W_PRACTITIONER2;
		push(p, recorded, EV_REFERRAL, ep, e->worker, (uint32_t)(recorded - received), 0, 0);
		got++;
	}
}

/* Replay order: by time, then by kind (a person before its referral, a closure last), then plan order. */
static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- replaying the plan ---------------------------------------------------------------------- */

/* Replaying the plan. */
struct replay {
	struct store *st;                  /* the caller's connection, in a write transaction */
	const struct demo_staff *staff;    /* who records what */
	struct plan *plan;                 /* the events, episodes and persons */
	struct fake_rng rng;               /* the texts: drawn in replay order */
	const struct risk_tool *tool;      /* the parsed tool assessments are made with ... */
	int64_t tool_id;                   /* ... and its risk_tools.id */
	demo_person_fn make;               /* the caller's person maker and its context */
	void *make_ctx;
	struct meeting_slot *meetings;     /* plan->n_meetings slots */
	struct flag_slot *flags;           /* plan->n_flags slots */
	struct referral *referral;         /* large buffers, reused from event to event */
	struct referral_decision *decision;
	struct casework_case *c;
	struct meeting *meeting;
	struct assessment_input *assessment;
	struct risk_result *result;
	struct demo_case_stats *stats;     /* the caller's counts */
};

/* The demo user of W_* `who`. */
static const struct user *staff_user(const struct replay *rp, int who)
{
	return who == W_MANAGER ? &rp->staff->manager : who == W_PRACTITIONER ? &rp->staff->practitioner
									      : &rp->staff->practitioner2;
}

/* One of list[0..n), drawn from the texts' generator. */
static const char *pick(struct replay *rp, const char *const *list, size_t n)
{
	return list[fake_below(&rp->rng, n)];
}
#define PICK(rp, list) pick((rp), (list), COUNT(list))

/* Append `s` and a space to out[cap] (cut at cap). */
static void add_sentence(char *out, size_t cap, const char *s)
{
	size_t len = strlen(out);
	if (len + 1 < cap)
		snprintf(out + len, cap - len, "%s%s", len ? " " : "", s);
}

/* Say on stderr which event failed and why (the store's message when why is NULL); returns -1. */
static int fail(const struct replay *rp, const struct event *ev, const char *what, const char *why)
{
	fprintf(stderr, "safehub demo: casework: %s (episode %" PRIu32 ", at %" PRId64 "): %s\n", what, ev->owner,
		ev->at, why ? why : store_errmsg(rp->st));
	return -1;
}

/* Load the episode's case into rp->c. */
static int load_case(struct replay *rp, const struct event *ev, const struct episode *e)
{
	if (!e->case_id || store_case_get(rp->st, e->case_id, rp->c) != 0)
		return fail(rp, ev, "loading the case", e->case_id ? NULL : "no case was opened");
	return 0;
}

/*
 * The do_* functions replay one kind of event through its domain function, with the store's
 * clock already pinned to ev->at and the case (for the case events) loaded into rp->c; each
 * returns 0, or -1 after saying what failed (fail).
 */

/* A referral: its recording (received ev->arg seconds before), with template concerns. */
static int do_referral(struct replay *rp, const struct event *ev, struct episode *e)
{
	struct referral *r = rp->referral;
	memset(r, 0, sizeof *r);
	snprintf(r->subject_type, sizeof r->subject_type, "person");
	r->person_id = rp->plan->persons[e->person].id;
	r->received_at = ev->at - ev->arg;
	snprintf(r->source_code, sizeof r->source_code, "%s", sources[e->source].code);
	snprintf(r->source_agency, sizeof r->source_agency, "%s", sources[e->source].agency);
	snprintf(r->referrer_name, sizeof r->referrer_name, "%s", sources[e->source].referrer);
	/* Ofcom's drama range for Manchester numbers: 0161 496 0000 to 0999. */
	snprintf(r->referrer_contact, sizeof r->referrer_contact, "0161 496 0%03u",
		 (unsigned)fake_below(&rp->rng, 1000));
	add_sentence(r->concerns, sizeof r->concerns, PICK(rp, concern_openers));
	for (size_t i = 0; i < COUNT(strands); i++) {
		if (!(e->strands & (1u << i)))
			continue;
		snprintf(r->strands[r->n_strands++], sizeof r->strands[0], "%s", strands[i].code);
		int lines = 1 + (int)fake_below(&rp->rng, 2);
		int first = (int)fake_below(&rp->rng, 4);
		for (int k = 0; k < lines; k++)
			add_sentence(r->concerns, sizeof r->concerns, concern_lines[i][(first + k) % 4]);
	}
	add_sentence(r->concerns, sizeof r->concerns, PICK(rp, concern_closers));
	snprintf(r->consent_basis, sizeof r->consent_basis, "%s", PICK(rp, consent_bases));
	if (referral_create(rp->st, staff_user(rp, ev->who), r) != REFERRAL_OK)
		return fail(rp, ev, "recording a referral", NULL);
	e->referral_id = r->id;
	rp->stats->referrals++;
	return 0;
}

/* The manager's screening decision, outcome ev->x; an outcome that opens a case keeps its id. */
static int do_decide(struct replay *rp, const struct event *ev, struct episode *e)
{
	struct referral *r = rp->referral;
	if (referral_get(rp->st, e->referral_id, r) != REFERRAL_OK)
		return fail(rp, ev, "reading a referral", NULL);
	struct referral_decision *d = rp->decision;
	memset(d, 0, sizeof *d);
	d->version = r->version;
	snprintf(d->outcome, sizeof d->outcome, "%s", outcomes[ev->x].code);
	snprintf(d->rationale, sizeof d->rationale, "%s", outcomes[ev->x].rationale);
	d->decided_at = ev->at;
	d->opens_case = ev->x == O_ALLOCATE || ev->x == O_STRATEGY;
	if (d->opens_case) {
		const struct user *w = staff_user(rp, e->worker);
		snprintf(d->team, sizeof d->team, "%s", w->team);
		d->worker_id = w->id;
	}
	if (referral_decide(rp->st, &rp->staff->manager, r, d) != REFERRAL_OK)
		return fail(rp, ev, "deciding a referral", NULL);
	rp->stats->decided++;
	if (referral_decision_late(r) == 1)
		rp->stats->decided_late++;
	if (d->opens_case) {
		e->case_id = r->case_id;
		rp->stats->cases++;
		rp->stats->cases_open++;
	}
	return 0;
}

/* How much a tool domain matters for the episode's strands (domain codes of the shipped tool;
 * the domains of another tool all weigh the same). */
static unsigned domain_weight(const char *domain, const struct episode *e)
{
	static const struct {
		int strand;
		const char *domain;
		unsigned weight;
	} boost[] = {
		{S_CSE, "sexual_health", 6},	 {S_CSE, "risky_contacts", 6},	 {S_CSE, "online_phones", 5},
		{S_CSE, "emotional_health", 3},	 {S_CSE, "missing", 2},		 {S_CCE, "coercion_gangs", 7},
		{S_CCE, "substance_misuse", 5},	 {S_CCE, "risky_contacts", 3},	 {S_CCE, "missing", 3},
		{S_CCE, "education", 3},	 {S_OCG, "coercion_gangs", 7},	 {S_OCG, "education", 2},
		{S_MISSING, "missing", 7},	 {S_MISSING, "accommodation", 3}, {S_MISSING, "education", 2},
		{S_MST, "accommodation", 4},	 {S_MST, "other", 4},		 {S_MST, "coercion_gangs", 3},
		{S_DA, "family", 6},		 {S_DA, "emotional_health", 3},	 {S_HBA, "family", 6},
		{S_FGM, "family", 5},		 {S_PREVENT, "online_phones", 5}, {S_PREVENT, "engagement", 3},
	};
	unsigned w = 2;
	for (size_t i = 0; i < COUNT(boost); i++)
		if (has_strand(e, boost[i].strand) && strcmp(boost[i].domain, domain) == 0)
			w += boost[i].weight;
	return w;
}

/* Whether indicator i decides a floor rule of the tool (a disclosure, or an indicator floor). */
static bool floor_indicator(const struct risk_tool *t, size_t i)
{
	if (t->indicators[i].disclosure)
		return true;
	for (size_t f = 0; f < t->n_floors; f++)
		if (t->floors[f].kind == RISK_FLOOR_INDICATOR && t->floors[f].indicator == i)
			return true;
	return false;
}

/*
 * Answers to every indicator of the tool that score within the band of `level` (the tool's
 * thresholds), favouring the domains of the episode's strands. A floor indicator is answered
 * yes only now and then, and only when the level is high (disclosure) or at least medium.
 * Returns a new object (the caller owns it) or NULL.
 */
static json_t *make_answers(struct replay *rp, const struct episode *e, int level)
{
	const struct risk_tool *t = rp->tool;
	json_t *a = json_object();
	if (!a)
		return NULL;
	int lo, hi;
	if (level == RISK_HIGH) {
		lo = t->threshold_high;
		hi = t->threshold_high + (t->threshold_high - t->threshold_medium);
		if (hi > t->max_score)
			hi = t->max_score;
	} else if (level == RISK_MEDIUM) {
		lo = t->threshold_medium;
		hi = t->threshold_high - 1;
	} else {
		lo = t->threshold_medium > 3 ? t->threshold_medium / 3 : 0;
		hi = t->threshold_medium - 1;
	}
	int target = lo + (int)fake_below(&rp->rng, (uint64_t)(hi - lo + 1));
	int score = 0;
	int given[RISK_INDICATORS_MAX];
	for (size_t i = 0; i < t->n_indicators; i++) {
		const struct risk_indicator *ind = &t->indicators[i];
		given[i] = 0;
		if (ind->type == RISK_YESNO) {
			json_object_set_new(a, ind->code, json_false());
		} else {
			size_t none = 0;
			for (size_t o = 1; o < ind->n_options; o++)
				if (ind->options[o].score < ind->options[none].score)
					none = o;
			json_object_set_new(a, ind->code, json_string(ind->options[none].code));
			given[i] = ind->options[none].score;
			score += given[i];
		}
	}
	unsigned weights[RISK_DOMAINS_MAX], total = 0;
	for (size_t d = 0; d < t->n_domains; d++)
		total += weights[d] = domain_weight(t->domains[d].code, e);
	for (int tries = 0; score < target && tries < 300; tries++) {
		unsigned r = (unsigned)fake_below(&rp->rng, total);
		size_t d = 0;
		while (d + 1 < t->n_domains && r >= weights[d])
			r -= weights[d++];
		size_t i = t->domains[d].first + fake_below(&rp->rng, t->domains[d].count);
		const struct risk_indicator *ind = &t->indicators[i];
		if (floor_indicator(t, i) && !(level >= RISK_MEDIUM && fake_below(&rp->rng, 8) == 0))
			continue;
		if (ind->disclosure && level < RISK_HIGH)
			continue;
		if (ind->type == RISK_YESNO) {
			if (given[i] || ind->score == 0 || score + ind->score > hi)
				continue;
			json_object_set_new(a, ind->code, json_true());
			given[i] = ind->score;
			score += ind->score;
		} else {
			size_t o = fake_below(&rp->rng, ind->n_options);
			int more = ind->options[o].score - given[i];
			if (more <= 0 || score + more > hi)
				continue;
			json_object_set_new(a, ind->code, json_string(ind->options[o].code));
			given[i] = ind->options[o].score;
			score += more;
		}
	}
	return a;
}

/* An assessment with tool answers scoring level ev->y, overridden to ev->x when they differ. */
static int do_assess(struct replay *rp, const struct event *ev, struct episode *e)
{
	const struct demo_person *dp = &rp->plan->persons[e->person];
	int final = ev->x, computed = ev->y;
	const char *override = final != computed ? risk_level_name((enum risk_level)final) : "";
	const char *why = final == computed ? "" : final > computed ? override_up : override_down;
	int age = age_at(dp->born, ev->at);
	/* Answers that give the planned level; a few draws in case the floors say otherwise. */
	json_t *answers = NULL;
	for (int attempt = 0; attempt < 8; attempt++) {
		json_decref(answers);
		answers = make_answers(rp, e, computed);
		if (!answers)
			return fail(rp, ev, "an assessment", "out of memory");
		struct jv jv = {0};
		enum risk_status rs = risk_assess(rp->tool, answers, age, override, why, rp->result, &jv);
		json_decref(jv_take(&jv));
		if (rs == RISK_OK && (int)rp->result->final_level == final)
			break;
	}
	struct assessment_input *in = rp->assessment;
	memset(in, 0, sizeof *in);
	in->person_id = dp->id;
	in->case_id = e->case_id;
	in->tool_id = rp->tool_id;
	in->answers = answers;
	snprintf(in->override_level, sizeof in->override_level, "%s", override);
	snprintf(in->override_rationale, sizeof in->override_rationale, "%s", why);
	in->assessed_at = ev->at;
	struct jv errors = {0};
	int64_t id;
	enum assessment_status as = assessment_create(rp->st, staff_user(rp, ev->who), in, &errors, &id);
	json_t *err = jv_take(&errors);
	char *text = err && json_array_size(err) ? json_dumps(err, JSON_COMPACT) : NULL;
	json_decref(err);
	json_decref(answers);
	if (as == ASSESSMENT_INVALID && text) {
		/* A planned override the floors refuse (an age or indicator floor): record it without. */
		free(text);
		text = NULL;
		answers = make_answers(rp, e, final);
		if (!answers)
			return fail(rp, ev, "an assessment", "out of memory");
		in->answers = answers;
		in->override_level[0] = in->override_rationale[0] = 0;
		as = assessment_create(rp->st, staff_user(rp, ev->who), in, &errors, &id);
		json_decref(answers);
		err = jv_take(&errors);
		text = err && json_array_size(err) ? json_dumps(err, JSON_COMPACT) : NULL;
		json_decref(err);
	}
	if (as != ASSESSMENT_OK) {
		fail(rp, ev, "recording an assessment", text ? text : NULL);
		free(text);
		return -1;
	}
	free(text);
	rp->stats->assessments++;
	if (in->override_level[0])
		rp->stats->overrides++;
	return 0;
}

/* A contact of kind ev->x; ev->y bit 1: the child was seen, bit 2: seen alone. */
static int do_contact(struct replay *rp, const struct event *ev)
{
	bool seen = ev->y & 1, alone = ev->y & 2;
	const char *where = ev->x == K_VISIT ? "Home" : ev->x == K_SCHOOL ? "School"
						  : ev->x == K_ELSEWHERE ? PICK(rp, elsewhere)
									 : "";
	struct casework_contact k = {
		.contact_at = ev->at,
		.kind = contact_kinds[ev->x],
		.seen = seen,
		.seen_alone = alone,
		.location = where,
		.summary = seen ? PICK(rp, contact_seen) : PICK(rp, contact_unseen),
	};
	if (casework_add_contact(rp->st, staff_user(rp, ev->who), rp->c, &k) != CASEWORK_OK)
		return fail(rp, ev, "recording a contact", NULL);
	rp->stats->contacts++;
	return 0;
}

/* A case note, with the child's own words when ev->x. */
static int do_note(struct replay *rp, const struct event *ev)
{
	struct casework_note n = {.note = PICK(rp, note_lines), .child_voice = ev->x ? PICK(rp, child_voices) : ""};
	if (casework_add_note(rp->st, staff_user(rp, ev->who), rp->c, &n) != CASEWORK_OK)
		return fail(rp, ev, "recording a note", NULL);
	rp->stats->notes++;
	return 0;
}

/* A supervision by the manager; ev->x: the next one is set for two weeks' time. */
static int do_supervision(struct replay *rp, const struct event *ev)
{
	char next[11] = "";
	if (ev->x) {
		struct valid_date d;
		calendar_local_date(ev->at, &d);
		calendar_add_days(&d, 14, &d);
		valid_format_date(&d, next);
	}
	struct casework_supervision s = {
		.held_at = ev->at,
		.discussion = PICK(rp, supervision_discussions),
		.decisions = PICK(rp, supervision_decisions),
		.next_due = next,
	};
	if (casework_add_supervision(rp->st, &rp->staff->manager, rp->c, &s) != CASEWORK_OK)
		return fail(rp, ev, "recording a supervision", NULL);
	rp->stats->supervisions++;
	return 0;
}

/* Set the fields of the reused meeting buffer that meeting_create reads (not the whole 500 KiB). */
static int do_meeting(struct replay *rp, const struct event *ev, const struct episode *e)
{
	static const char *const types[] = {MEETING_PTAC, "strategy", "mace"};
	struct meeting *m = rp->meeting;
	const struct user *by = staff_user(rp, ev->who);
	m->id = m->version = 0;
	snprintf(m->type, sizeof m->type, "%s", types[ev->x]);
	m->held_at = ev->at;
	m->case_id = e->case_id;
	m->person_id = 0;
	m->n_attendees = 0;
	struct meeting_attendee *a = &m->attendees[m->n_attendees++];
	snprintf(a->name, sizeof a->name, "%s", by->display_name);
	snprintf(a->agency, sizeof a->agency, "%s", by->agency);
	snprintf(a->role, sizeof a->role, "Allocated worker");
	int first = (int)fake_below(&rp->rng, COUNT(attendees)), more = 2 + (int)fake_below(&rp->rng, 3);
	for (int i = 0; i < more; i++) {
		a = &m->attendees[m->n_attendees++];
		int k = (first + i) % (int)COUNT(attendees);
		snprintf(a->name, sizeof a->name, "%s", attendees[k].name);
		snprintf(a->agency, sizeof a->agency, "%s", attendees[k].agency);
		snprintf(a->role, sizeof a->role, "%s", attendees[k].role);
	}
	snprintf(m->decisions, sizeof m->decisions, "%s", PICK(rp, meeting_decisions));
	struct valid_date day, d;
	calendar_local_date(ev->at, &day);
	m->next_review[0] = 0;
	if (ev->x == 0 && calendar_add_days(&day, 42, &d))
		valid_format_date(&d, m->next_review);
	m->n_actions = ev->y > ACTIONS_PER_MEETING ? ACTIONS_PER_MEETING : ev->y;
	int what = (int)fake_below(&rp->rng, COUNT(action_texts));
	for (int i = 0; i < m->n_actions; i++) {
		struct meeting_action *ac = &m->actions[i];
		int k = (what + i) % (int)COUNT(action_texts);
		ac->id = ac->version = ac->meeting_id = ac->case_id = ac->done_at = ac->updated_at = 0;
		ac->updated_by[0] = 0;
		snprintf(ac->what, sizeof ac->what, "%s", action_texts[k].what);
		snprintf(ac->owner, sizeof ac->owner, "%s", action_texts[k].owner);
		calendar_add_days(&day, 7 + (int)fake_below(&rp->rng, 22), &d);
		valid_format_date(&d, ac->due_date);
	}
	enum meeting_status ms = meeting_create(rp->st, by, m);
	if (ms != MEETING_OK) {
		char why[32];
		snprintf(why, sizeof why, "meeting status %d", (int)ms);
		return fail(rp, ev, "recording a meeting", ms == MEETING_ERROR ? NULL : why);
	}
	struct meeting_slot *slot = &rp->meetings[ev->arg];
	slot->meeting_id = m->id;
	for (int i = 0; i < m->n_actions; i++)
		slot->action_id[i] = m->actions[i].id;
	rp->stats->meetings++;
	rp->stats->actions += m->n_actions;
	return 0;
}

/* Action ev->x of the meeting in slot ev->arg is done. */
static int do_action_done(struct replay *rp, const struct event *ev)
{
	const struct meeting_slot *slot = &rp->meetings[ev->arg];
	if (!slot->meeting_id || ev->x >= ACTIONS_PER_MEETING || !slot->action_id[ev->x])
		return 0; /* the meeting agreed fewer actions than planned */
	struct meeting_action out;
	enum meeting_status ms = meeting_action_set_done(rp->st, staff_user(rp, ev->who), slot->meeting_id,
							 slot->action_id[ev->x], 1, true, &out);
	if (ms != MEETING_OK) {
		char why[32];
		snprintf(why, sizeof why, "meeting status %d", (int)ms);
		return fail(rp, ev, "marking an action done", ms == MEETING_ERROR ? NULL : why);
	}
	rp->stats->actions_done++;
	return 0;
}

/* A flag in slot ev->arg is set (kind ev->x, police flag ev->y), reviewed (next review in 3
 * months) or taken down. */
static int do_flag(struct replay *rp, const struct event *ev)
{
	static const char *const kinds[] = {"cse_risk", "cce_risk", "missing_repeat", "trafficking", "other"};
	struct flag_slot *slot = &rp->flags[ev->arg];
	const struct user *by = staff_user(rp, ev->who);
	if (ev->kind == EV_FLAG_SET) {
		char review[11];
		struct casework_flag f = {
			.kind = kinds[ev->x], .note = PICK(rp, flag_notes), .review_date = "", .police_flag = ev->y != 0,
		};
		if (casework_add_flag(rp->st, by, rp->c, &f, review) != CASEWORK_OK)
			return fail(rp, ev, "setting a flag", NULL);
		slot->id = f.id;
		slot->version = f.version;
		rp->stats->flags++;
		return 0;
	}
	struct casework_flag_change ch = {.version = slot->version};
	if (ev->kind == EV_FLAG_REMOVE) {
		ch.remove = true;
	} else {
		struct valid_date d;
		calendar_local_date(ev->at, &d);
		calendar_add_months(&d, 3, &d);
		ch.set_review_date = true;
		valid_format_date(&d, ch.review_date);
	}
	if (casework_update_flag(rp->st, by, rp->c, slot->id, &ch) != CASEWORK_OK)
		return fail(rp, ev, "reviewing a flag", NULL);
	slot->version++;
	return 0;
}

/* The child's feedback at a review (ev->x 0) or at closure (1), score ev->y. */
static int do_feedback(struct replay *rp, const struct event *ev)
{
	struct casework_feedback f = {
		.stage = ev->x ? "closure" : "review", .score = ev->y, .words = PICK(rp, feedback_words),
	};
	if (casework_add_feedback(rp->st, staff_user(rp, ev->who), rp->c, &f) != CASEWORK_OK)
		return fail(rp, ev, "recording feedback", NULL);
	rp->stats->feedback++;
	return 0;
}

/* The transition plan to adult services. */
static int do_transition(struct replay *rp, const struct event *ev)
{
	static const char plan[] =
		"Talked with the young person about turning 18. Agreed: a referral to the adult social care transition "
		"team, a named contact at the leaving care service, support with housing and college applications, "
		"and a joint visit with the adult worker before the case closes.";
	if (casework_record_transition_plan(rp->st, staff_user(rp, ev->who), rp->c, rp->c->version, plan) !=
	    CASEWORK_OK)
		return fail(rp, ev, "recording a transition plan", NULL);
	rp->stats->transition_plans++;
	return 0;
}

/* The manager moves the case to worker ev->x and their team. */
static int do_reallocate(struct replay *rp, const struct event *ev)
{
	const struct user *w = staff_user(rp, ev->x);
	if (casework_allocate(rp->st, &rp->staff->manager, rp->c, rp->c->version, w->team, w->id,
			      "Workload balance: moved to the team that knows the young person's area") != CASEWORK_OK)
		return fail(rp, ev, "reallocating a case", NULL);
	rp->stats->reallocations++;
	return 0;
}

/* The manager closes the case with closure reason ev->x. */
static int do_close(struct replay *rp, const struct event *ev)
{
	if (casework_close(rp->st, &rp->staff->manager, rp->c, rp->c->version, closure_reasons[ev->x], ev->at) !=
	    CASEWORK_OK)
		return fail(rp, ev, "closing a case", NULL);
	rp->stats->closures++;
	rp->stats->cases_open--;
	return 0;
}

/* Replay one event with the store's clock at its time. */
static int replay_one(struct replay *rp, const struct event *ev)
{
	store_set_now(ev->at);
	if (ev->kind == EV_PERSON) {
		struct demo_person *dp = &rp->plan->persons[ev->owner];
		if (rp->make(rp->make_ctx, dp, staff_user(rp, ev->who)) != 0)
			return -1;
		rp->stats->persons++;
		return 0;
	}
	struct episode *e = &rp->plan->eps[ev->owner];
	switch ((enum kind)ev->kind) {
	case EV_REFERRAL:
		return do_referral(rp, ev, e);
	case EV_DECIDE:
		return do_decide(rp, ev, e);
	case EV_ASSESS:
		return do_assess(rp, ev, e);
	case EV_MEETING:
		return do_meeting(rp, ev, e);
	case EV_ACTION_DONE:
		return do_action_done(rp, ev);
	default:
		break;
	}
	if (load_case(rp, ev, e) != 0)
		return -1;
	switch ((enum kind)ev->kind) {
	case EV_CONTACT:
		return do_contact(rp, ev);
	case EV_NOTE:
		return do_note(rp, ev);
	case EV_SUPERVISION:
		return do_supervision(rp, ev);
	case EV_FLAG_SET:
	case EV_FLAG_REVIEW:
	case EV_FLAG_REMOVE:
		return do_flag(rp, ev);
	case EV_FEEDBACK:
		return do_feedback(rp, ev);
	case EV_TRANSITION:
		return do_transition(rp, ev);
	case EV_REALLOCATE:
		return do_reallocate(rp, ev);
	case EV_CLOSE:
		return do_close(rp, ev);
	default:
		return fail(rp, ev, "replaying", "unknown event");
	}
}

/* The risk tool to assess with: id 1 when active, else the active version of its code. */
static int load_tool(struct store *st, struct risk_tool **tool, int64_t *tool_id)
{
	struct config_risk_tool meta;
	char *text = NULL;
	*tool = NULL;
	*tool_id = 1;
	if (store_config_risk_tool_get(st, 1, &meta, &text) != 0) {
		fprintf(stderr, "safehub demo: casework: there is no risk tool with id 1\n");
		free(text);
		return -1;
	}
	if (!meta.active) {
		free(text);
		text = NULL;
		struct config_risk_tool *all = NULL;
		size_t n = 0;
		if (store_config_risk_tools(st, &all, &n) != 0) {
			fprintf(stderr, "safehub demo: casework: %s\n", store_errmsg(st));
			return -1;
		}
		int64_t id = 0;
		for (size_t i = 0; i < n && !id; i++)
			if (all[i].active && strcmp(all[i].code, meta.code) == 0)
				id = all[i].id;
		free(all);
		if (!id || store_config_risk_tool_get(st, id, &meta, &text) != 0) {
			fprintf(stderr, "safehub demo: casework: no active version of the risk tool %s\n", meta.code);
			free(text);
			return -1;
		}
		*tool_id = id;
	}
	struct jv jv = {0};
	enum risk_status rs = risk_tool_parse_text(text, strlen(text), tool, &jv);
	json_decref(jv_take(&jv));
	free(text);
	if (rs != RISK_OK) {
		fprintf(stderr, "safehub demo: casework: the risk tool %" PRId64 " does not parse\n", *tool_id);
		return -1;
	}
	return 0;
}

int demo_case_run(struct store *st, const struct demo_case_options *o, const struct demo_staff *staff,
		  struct demo_person *persons, size_t n, demo_person_fn make, void *ctx, struct demo_case_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	int rc = -1;
	struct plan *p = calloc(1, sizeof *p);
	struct replay rp = {.st = st, .staff = staff, .make = make, .make_ctx = ctx, .stats = stats};
	struct risk_tool *tool = NULL;
	if (!p)
		goto out;
	rp.plan = p;
	if (load_tool(st, &tool, &rp.tool_id) != 0)
		goto out;
	rp.tool = tool;
	if (store_holidays_load(st, &p->cal) != 0) {
		fprintf(stderr, "safehub demo: casework: %s\n", store_errmsg(st));
		goto out;
	}

	/* The window: from `years` years before today up to local midnight this morning. */
	int64_t today = day_of(store_now());
	struct valid_date from;
	valid_civil_from_days(today, &from);
	from.year -= o->years;
	if (from.month == 2 && from.day == 29)
		from.day = 28;
	p->first_day = valid_days_from_civil(&from);
	p->last_day = today - 1;
	p->cutoff = local_at(today, 0);
	p->referred = o->referred;
	p->persons = persons;
	fake_seed(&p->rng, o->seed ^ 0x63617365776f726bULL); /* "casework" */
	fake_seed(&rp.rng, o->seed ^ 0x74657874732e2e2eULL); /* "texts..." */

	time_t started = time(NULL);
	if (plan_rates(p, n) != 0) {
		fprintf(stderr, "safehub demo: casework: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < n && !p->oom; i++)
		plan_person(p, (uint32_t)i);
	plan_intake(p, n);
	if (p->oom) {
		fprintf(stderr, "safehub demo: casework: out of memory planning %zu persons\n", n);
		goto out;
	}
	qsort(p->ev, p->n_ev, sizeof *p->ev, event_cmp);
	rp.meetings = calloc(p->n_meetings ? p->n_meetings : 1, sizeof *rp.meetings);
	rp.flags = calloc(p->n_flags ? p->n_flags : 1, sizeof *rp.flags);
	rp.referral = calloc(1, sizeof *rp.referral);
	rp.decision = calloc(1, sizeof *rp.decision);
	rp.c = calloc(1, sizeof *rp.c);
	rp.meeting = calloc(1, sizeof *rp.meeting);
	rp.assessment = calloc(1, sizeof *rp.assessment);
	rp.result = calloc(1, sizeof *rp.result);
	if (!rp.meetings || !rp.flags || !rp.referral || !rp.decision || !rp.c || !rp.meeting || !rp.assessment ||
	    !rp.result) {
		fprintf(stderr, "safehub demo: casework: out of memory\n");
		goto out;
	}
	fprintf(stderr, "safehub demo: planned %zu events (%zu referrals) over %d years in %lds\n", p->n_ev, p->n_eps,
		o->years, (long)(time(NULL) - started));

	time_t last = time(NULL);
	for (size_t done = 0; done < p->n_ev;) {
		size_t batch = p->n_ev - done < BATCH ? p->n_ev - done : BATCH;
		if (store_begin(st, true) != 0) {
			fprintf(stderr, "safehub demo: casework: %s\n", store_errmsg(st));
			goto out;
		}
		for (size_t i = 0; i < batch; i++) {
			if (replay_one(&rp, &p->ev[done + i]) != 0) {
				store_rollback(st);
				goto out;
			}
		}
		store_set_now(0);
		if (store_commit(st) != 0) {
			fprintf(stderr, "safehub demo: casework: %s\n", store_errmsg(st));
			store_rollback(st);
			goto out;
		}
		done += batch;
		stats->events = (long)done;
		if (time(NULL) - last >= 2) {
			last = time(NULL);
			char when[21];
			valid_format_time(p->ev[done - 1].at, when);
			fprintf(stderr, "safehub demo: casework: %zu of %zu events (up to %.10s)\n", done, p->n_ev, when);
		}
	}
	rc = 0;
out:
	store_set_now(0);
	risk_tool_free(tool);
	free(rp.meetings);
	free(rp.flags);
	free(rp.referral);
	free(rp.decision);
	free(rp.c);
	free(rp.meeting);
	free(rp.assessment);
	free(rp.result);
	if (p) {
		free(p->ev);
		free(p->eps);
		free(p->pool);
		free(p->target);
		free(p->created);
	}
	free(p);
	return rc;
}
