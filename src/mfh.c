/*
 * mfh.c - the rules of the MFH dashboard: periods, filters that need the person, RHI status,
 * measures and the tally of a period's statistics. See mfh.h.
 * Owns: those rules and the tally's memory. Must not touch: SQL, JSON, HTTP, the store.
 */
#include "mfh.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "valid.h"

/* ---- periods ---------------------------------------------------------------------------------- */

void mfh_month_at(int64_t t, int *year, int *month)
{
	struct valid_date d;
	calendar_local_date(t, &d);
	*year = d.year;
	*month = d.month;
}

bool mfh_parse_month(const char *s, int *year, int *month)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1996 || y > 9998 || m < 1 || m > 12)
		return false;
	*year = y;
	*month = m;
	return true;
}

/* Bring month into 1-12, moving the year. */
static void normalise(int *year, int *month)
{
	int y = *year, m = *month - 1;
	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	m = ((m % 12) + 12) % 12;
	*year = y;
	*month = m + 1;
}

void mfh_month_make(int year, int month, struct mfh_month *m)
{
	normalise(&year, &month);
	int ny = year, nm = month + 1;
	normalise(&ny, &nm);
	struct valid_date first = { year, month, 1 }, next = { ny, nm, 1 };
	m->year = year;
	m->month = month;
	m->from = calendar_local_midnight_utc(&first);
	m->to = calendar_local_midnight_utc(&next);
	snprintf(m->key, sizeof m->key, "%04d-%02d", year % 10000, month);
}

void mfh_periods_for(int year, int month, struct mfh_periods *p)
{
	for (int i = 0; i < MFH_MONTHS; i++)
		mfh_month_make(year, month - (MFH_MONTHS - 1) + i, &p->months[i]);
	p->from = p->months[0].from;
	p->to = p->months[MFH_MONTHS - 1].to;
}

/* ---- filters ---------------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int min, max;
} AGE_BANDS[] = {
	{ "0-9", 0, 9 }, { "10-13", 10, 13 }, { "14-15", 14, 15 }, { "16-17", 16, 17 }, { "18-25", 18, 25 },
};

bool mfh_age_band(const char *name, int *min, int *max)
{
	for (size_t i = 0; i < sizeof AGE_BANDS / sizeof AGE_BANDS[0]; i++)
		if (name && strcmp(name, AGE_BANDS[i].name) == 0) {
			*min = AGE_BANDS[i].min;
			*max = AGE_BANDS[i].max;
			return true;
		}
	return false;
}

int mfh_age_at(const char *dob, int64_t at)
{
	struct valid_date born, on;
	if (!dob || !valid_parse_date(dob, &born))
		return -1;
	calendar_local_date(at, &on);
	int age = valid_age_on(&born, &on);
	return age < 0 ? -1 : age;
}

bool mfh_filter_needs_person(const struct mfh_filter *f)
{
	return f->sex[0] || f->age_min >= 0;
}

bool mfh_filter_person(const struct mfh_filter *f, const struct mfh_episode *e)
{
	if (f->sex[0] && strcmp(f->sex, e->sex) != 0)
		return false;
	if (f->age_min >= 0) {
		int age = mfh_age_at(e->dob, e->started_at);
		if (age < f->age_min || age > f->age_max)
			return false;
	}
	return true;
}

/* ---- episodes --------------------------------------------------------------------------------- */

int64_t mfh_rhi_due(const struct mfh_episode *e)
{
	if (!e->ended_at)
		return 0;
	return e->rhi_due_at ? e->rhi_due_at : e->ended_at + MFH_RHI_SECONDS;
}

enum mfh_rhi_status mfh_rhi_status(const struct mfh_episode *e, int64_t now)
{
	if (!e->ended_at)
		return MFH_STATUS_NONE;
	if (strcmp(e->rhi_by, "other") == 0 && !e->has_rhi)
		return MFH_STATUS_NONE;
	if (e->has_rhi && e->completed_at)
		return MFH_STATUS_COMPLETED;
	if (e->has_rhi && strcmp(e->response, "declined") == 0)
		return MFH_STATUS_DECLINED;
	if (now > mfh_rhi_due(e))
		return MFH_STATUS_BREACHED;
	if (e->has_rhi && e->offered_at)
		return MFH_STATUS_OFFERED;
	return MFH_STATUS_DUE;
}

const char *mfh_rhi_status_name(enum mfh_rhi_status s)
{
	switch (s) {
	case MFH_STATUS_DUE: return "due";
	case MFH_STATUS_OFFERED: return "offered";
	case MFH_STATUS_COMPLETED: return "completed";
	case MFH_STATUS_DECLINED: return "declined";
	case MFH_STATUS_BREACHED: return "breached";
	case MFH_STATUS_NONE: break;
	}
	return NULL;
}

bool mfh_awaiting_rhi(const struct mfh_episode *e, int64_t now)
{
	enum mfh_rhi_status s = mfh_rhi_status(e, now);
	return s == MFH_STATUS_DUE || s == MFH_STATUS_OFFERED || s == MFH_STATUS_BREACHED;
}

double mfh_hours(int64_t seconds)
{
	return round((double)seconds / 360.0) / 10.0;
}

bool mfh_pct(int64_t count, int64_t of, double *pct)
{
	if (of <= 0)
		return false;
	*pct = round((double)count * 1000.0 / (double)of) / 10.0;
	return true;
}

static void swap64(int64_t *a, int64_t *b)
{
	int64_t t = *a;
	*a = *b;
	*b = t;
}

/*
 * The k-th smallest of v[0..n) (0-based), left at v[k], with v[0..k) no larger and v(k..n) no
 * smaller: Wirth's selection (Hoare's partition around the value at k, narrowed to k's side).
 */
static int64_t select_kth(int64_t *v, size_t n, size_t k)
{
	ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (l < m) {
		int64_t x = v[kk];
		ptrdiff_t i = l, j = m;
		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				swap64(&v[i], &v[j]);
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return v[kk];
}

int64_t mfh_median_seconds(int64_t *v, size_t n)
{
	int64_t upper = select_kth(v, n, n / 2);
	if (n % 2)
		return upper;
	/* The lower middle is the largest of v[0 .. n/2), which select_kth left no larger than it. */
	int64_t lower = v[0];
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > lower)
			lower = v[i];
	return lower + (upper - lower) / 2;
}

/* ---- measures --------------------------------------------------------------------------------- */

static const char *const MEASURE_NAMES[MFH_MEASURES] = {
	[MFH_EPISODES] = "episodes",
	[MFH_CHILDREN] = "children",
	[MFH_REPEAT_CHILDREN] = "repeat_children",
	[MFH_RETURNS] = "returns",
	[MFH_RHI_OFFERED_72H] = "rhi_offered_72h",
	[MFH_RHI_COMPLETED_72H] = "rhi_completed_72h",
	[MFH_RHI_ACCEPTED] = "rhi_accepted",
	[MFH_RHI_DECLINED] = "rhi_declined",
	[MFH_MISSING_NOW] = "missing_now",
	[MFH_AWAITING_RHI] = "awaiting_rhi",
	[MFH_PLACED_HERE_MISSING] = "placed_here_missing",
	[MFH_PLACED_ELSEWHERE_MISSING] = "placed_elsewhere_missing",
	[MFH_NOTIFICATIONS] = "notifications",
};

bool mfh_measure_parse(const char *s, enum mfh_measure *m)
{
	for (int i = 0; i < MFH_MEASURES; i++)
		if (s && strcmp(s, MEASURE_NAMES[i]) == 0) {
			*m = (enum mfh_measure)i;
			return true;
		}
	return false;
}

const char *mfh_measure_name(enum mfh_measure m)
{
	return m >= 0 && m < MFH_MEASURES ? MEASURE_NAMES[m] : "";
}

bool mfh_measure_has_period(enum mfh_measure m)
{
	return m <= MFH_RHI_DECLINED;
}

/* A returned episode whose RHI is ours: the denominator of the percentages. */
static bool is_return(const struct mfh_episode *e)
{
	return e->ended_at && strcmp(e->rhi_by, "us") == 0;
}

bool mfh_measure_counts(enum mfh_measure m, const struct mfh_episode *e, int64_t now)
{
	switch (m) {
	case MFH_EPISODES:
	case MFH_CHILDREN:
	case MFH_REPEAT_CHILDREN:
		return true;
	case MFH_RETURNS:
		return is_return(e);
	case MFH_RHI_OFFERED_72H:
		return is_return(e) && e->offered_at && e->offered_at <= mfh_rhi_due(e);
	case MFH_RHI_COMPLETED_72H:
		return is_return(e) && e->completed_at && e->completed_at <= mfh_rhi_due(e);
	case MFH_RHI_ACCEPTED:
		return is_return(e) && strcmp(e->response, "accepted") == 0;
	case MFH_RHI_DECLINED:
		return is_return(e) && strcmp(e->response, "declined") == 0;
	case MFH_MISSING_NOW:
		return !e->ended_at;
	case MFH_PLACED_HERE_MISSING:
		return !e->ended_at && strcmp(e->out_of_area, "placed_here") == 0;
	case MFH_PLACED_ELSEWHERE_MISSING:
		return !e->ended_at && strcmp(e->out_of_area, "placed_elsewhere") == 0;
	case MFH_AWAITING_RHI:
		return mfh_awaiting_rhi(e, now);
	case MFH_NOTIFICATIONS:
	case MFH_MEASURES:
		break;
	}
	return false;
}

/* ---- the tally -------------------------------------------------------------------------------- */

/*
 * Children are counted by sorting, not hashing: each episode appends (person_id << 4 | month) to
 * an array, and the result sorts it (radix, linear) and walks each child's run once. At 100,000
 * episodes that is a few milliseconds and two sequential arrays, where a hash table of children
 * was three times slower (a cache miss per episode, and a fresh table to fault in per request).
 */

/* A growable array of 64-bit values. */
struct u64s {
	uint64_t *v;
	size_t n, cap;
};

/* An active repeat flag. */
struct flag {
	uint64_t person_id;
	int64_t set_at;
};

struct mfh_tally {
	struct mfh_periods p;
	struct mfh_stats month[MFH_MONTHS];  /* the counts; children and medians at the end */
	struct u64s dur[MFH_MONTHS];         /* durations of returned episodes, seconds */
	struct u64s child_month;             /* person_id << 4 | month index, one per episode */
	struct flag *flags;                  /* repeat flags of persons (any: filtered at the end) */
	size_t n_flags, cap_flags;
	bool failed;
};

struct mfh_tally *mfh_tally_new(const struct mfh_periods *p)
{
	struct mfh_tally *t = calloc(1, sizeof *t);
	if (t)
		t->p = *p;
	return t;
}

void mfh_tally_free(struct mfh_tally *t)
{
	if (!t)
		return;
	for (int i = 0; i < MFH_MONTHS; i++)
		free(t->dur[i].v);
	free(t->child_month.v);
	free(t->flags);
	free(t);
}

static int push(struct u64s *a, uint64_t x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		uint64_t *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

/*
 * Sort v[0..n) ascending by the 64-bit key key(i) (an element of `size` bytes whose first 8 bytes
 * are the key), LSD radix by bytes, skipping the bytes every key shares. tmp holds n elements.
 */
static void radix_sort(void *v, void *tmp, size_t n, size_t size)
{
	if (n < 2)
		return;
	unsigned char *a = v, *b = tmp;
	uint64_t all_or = 0, all_and = ~(uint64_t)0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k;
		memcpy(&k, a + i * size, sizeof k);
		all_or |= k;
		all_and &= k;
	}
	for (int shift = 0; shift < 64; shift += 8) {
		if (((all_or ^ all_and) >> shift & 0xff) == 0)
			continue;  /* every key has this byte: the pass would change nothing */
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++) {
			uint64_t k;
			memcpy(&k, a + i * size, sizeof k);
			count[(k >> shift & 0xff) + 1]++;
		}
		for (int j = 0; j < 256; j++)
			count[j + 1] += count[j];
		for (size_t i = 0; i < n; i++) {
			uint64_t k;
			memcpy(&k, a + i * size, sizeof k);
			memcpy(b + count[k >> shift & 0xff]++ * size, a + i * size, size);
		}
		unsigned char *t = a;
		a = b;
		b = t;
	}
	if (a != v)
		memcpy(v, a, n * size);
}

/* The month of the tally that time s falls in, or -1. */
static int month_of(const struct mfh_tally *t, int64_t s)
{
	if (s < t->p.from || s >= t->p.to)
		return -1;
	int lo = 0, hi = MFH_MONTHS - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (t->p.months[mid].from <= s)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int mfh_tally_add(struct mfh_tally *t, const struct mfh_episode *e)
{
	if (t->failed)
		return -1;
	int i = month_of(t, e->started_at);
	if (i < 0 || e->person_id <= 0)
		return 0;
	struct mfh_stats *s = &t->month[i];
	s->episodes++;
	if (is_return(e)) {
		int64_t due = mfh_rhi_due(e);
		s->returns++;
		s->rhi_offered_72h += e->offered_at && e->offered_at <= due;
		s->rhi_completed_72h += e->completed_at && e->completed_at <= due;
		s->rhi_accepted += strcmp(e->response, "accepted") == 0;
		s->rhi_declined += strcmp(e->response, "declined") == 0;
	}
	if (push(&t->child_month, (uint64_t)e->person_id << 4 | (uint64_t)i) != 0 ||
	    (e->ended_at && push(&t->dur[i], (uint64_t)(e->ended_at - e->started_at)) != 0)) {
		t->failed = true;
		return -1;
	}
	return 0;
}

void mfh_tally_flag(struct mfh_tally *t, int64_t person_id, int64_t set_at)
{
	if (t->failed || person_id <= 0)
		return;
	if (t->n_flags == t->cap_flags) {
		size_t cap = t->cap_flags ? t->cap_flags * 2 : 1024;
		struct flag *v = realloc(t->flags, cap * sizeof *v);
		if (!v) {
			t->failed = true;
			return;
		}
		t->flags = v;
		t->cap_flags = cap;
	}
	t->flags[t->n_flags++] = (struct flag){ (uint64_t)person_id, set_at };
}

/* The median of d (reordered) into s, when d has any. */
static void put_median(struct mfh_stats *s, struct u64s *d)
{
	s->has_median = d->n > 0;
	s->median_duration_hours = d->n ? mfh_hours(mfh_median_seconds((int64_t *)d->v, d->n)) : 0;
}

/* Count each child once per month and once in all (with their repeat flag), from the sorted runs. */
static void count_children(struct mfh_tally *t, struct mfh_stats *span)
{
	const uint64_t *cm = t->child_month.v;
	size_t f = 0;
	for (size_t i = 0; i < t->child_month.n;) {
		uint64_t person = cm[i] >> 4;
		unsigned months = 0;
		for (; i < t->child_month.n && cm[i] >> 4 == person; i++)
			months |= 1u << (cm[i] & 0xf);
		/* The child's earliest active flag (flags are sorted by person, then any order). */
		while (f < t->n_flags && t->flags[f].person_id < person)
			f++;
		int64_t flag_at = 0;
		for (size_t g = f; g < t->n_flags && t->flags[g].person_id == person; g++)
			if (!flag_at || t->flags[g].set_at < flag_at)
				flag_at = t->flags[g].set_at;
		for (int m = 0; m < MFH_MONTHS; m++) {
			if (!(months & (1u << m)))
				continue;
			t->month[m].children++;
			t->month[m].repeat_children += flag_at && flag_at < t->p.months[m].to;
		}
		/* A child of the 12 months is a repeat child when flagged by their end. */
		span->children++;
		span->repeat_children += flag_at && flag_at < t->p.to;
	}
}

int mfh_tally_result(struct mfh_tally *t, struct mfh_stats months[MFH_MONTHS], struct mfh_stats *span)
{
	if (t->failed)
		return -1;
	memset(span, 0, sizeof *span);
	size_t all = 0, most = t->n_flags > t->child_month.n ? t->n_flags : t->child_month.n;
	for (int i = 0; i < MFH_MONTHS; i++)
		all += t->dur[i].n;
	/* One scratch buffer for the sorts and for the span's durations. */
	size_t scratch_bytes = most * sizeof(struct flag);
	if (all * sizeof(uint64_t) > scratch_bytes)
		scratch_bytes = all * sizeof(uint64_t);
	void *scratch = malloc(scratch_bytes ? scratch_bytes : 1);
	if (!scratch)
		return -1;
	radix_sort(t->child_month.v, scratch, t->child_month.n, sizeof(uint64_t));
	/* The flags usually come sorted by person (mfh_window.c keeps them so): then one pass says so. */
	bool sorted = true;
	for (size_t i = 1; sorted && i < t->n_flags; i++)
		sorted = t->flags[i - 1].person_id <= t->flags[i].person_id;
	if (!sorted)
		radix_sort(t->flags, scratch, t->n_flags, sizeof(struct flag));
	count_children(t, span);
	for (int i = 0; i < MFH_MONTHS; i++) {
		const struct mfh_stats *m = &t->month[i];
		span->episodes += m->episodes;
		span->returns += m->returns;
		span->rhi_offered_72h += m->rhi_offered_72h;
		span->rhi_completed_72h += m->rhi_completed_72h;
		span->rhi_accepted += m->rhi_accepted;
		span->rhi_declined += m->rhi_declined;
	}
	/* The span's median over every month's durations, before each month's reorders them. */
	struct u64s every = { .v = scratch };
	for (int i = 0; i < MFH_MONTHS; i++) {
		if (t->dur[i].n)
			memcpy(every.v + every.n, t->dur[i].v, t->dur[i].n * sizeof *every.v);
		every.n += t->dur[i].n;
	}
	put_median(span, &every);
	free(scratch);
	for (int i = 0; i < MFH_MONTHS; i++) {
		put_median(&t->month[i], &t->dur[i]);
		months[i] = t->month[i];
	}
	return 0;
}
