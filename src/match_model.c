/*
 * match_model.c - the bulk side of the engine (match.h): the record set, training a model on
 * it, and scoring its candidate pairs.
 * Training (docs/matching.md, "How m and u are estimated"):
 *   1. Term frequencies: each family name's and each full name's share of the set (for the
 *      exact-name adjustment).
 *   2. u, the levels' frequencies among pairs of different people: every field's exact level
 *      (and a swap of given and family name) from value counts, computed over all pairs rather
 *      than sampled; the other levels from a million random pairs.
 *   3. m by expectation-maximisation, in one session per blocking rule (as Splink does): a
 *      rule's pairs all agree on the fields its key is made of, so the session leaves those
 *      out and estimates the others. Each session is a two-class mixture (one person / two),
 *      fields independent given the class except the home's three (postcode, address,
 *      locality), which EM sees as one variable because a move changes them together. A field
 *      missing on either record contributes nothing, so a data set without an identifier
 *      trains as well as one with; a session with fewer than three fields to go on (not
 *      identifiable) is skipped. m starts from the default model's, with a pull of two
 *      pseudo-pairs towards it so that a level the data never shows keeps a sane value.
 *   4. The prior: one more EM over a sample of all candidate pairs with m held gives the share
 *      of matches; times the candidate pairs, over all pairs.
 *   5. u corrected for the true matches that the counts and random pairs contain
 *      (observed = prior * m + (1 - prior) * u, solved for u), and m floored at 0.001 (or u).
 * Owns: match_set_*, match_train, match_pairs. Must not touch: HTTP, SQL, files.
 */
#include "match_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Random pairs for u. */
#define RANDOM_PAIRS 1000000
/* Pairs of each rule's blocks EM runs on at most (a sample of the blocks beyond). */
#define EM_RULE_PAIRS 200000
/* A rule with fewer pairs has no EM session of its own. */
#define EM_MIN_PAIRS   50
#define EM_MAX_ITER    1000
#define EM_TOL         1e-5
#define EM_LL_TOL      1e-7
#define EM_PRIOR_PAIRS 2.0
#define M_FLOOR        0.001
/* The default u counts as this many random pairs next to the data's. */
#define U_PRIOR_PAIRS 10000.0

/* ---- The record set --------------------------------------------------------------------------- */

struct match_set *match_set_new(void)
{
	return calloc(1, sizeof(struct match_set));
}

void match_set_free(struct match_set *s)
{
	if (!s)
		return;
	free(s->rec);
	free(s->id_off);
	free(s->ids);
	match_blocks_free(s->blocks);
	free(s);
}

int match_set_add(struct match_set *s, const struct match_input *in, int side)
{
	if (s->n >= UINT32_MAX - 1)
		return -1;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct match_rec *nr = realloc(s->rec, nc * sizeof *nr);
		if (!nr)
			return -1;
		s->rec = nr;
		uint64_t *no = realloc(s->id_off, nc * sizeof *no);
		if (!no)
			return -1;
		s->id_off = no;
		s->cap = nc;
	}
	const char *id = in->id ? in->id : "";
	size_t len = strlen(id) + 1;
	if (s->ids_len + len > s->ids_cap) {
		size_t nc = s->ids_cap ? s->ids_cap * 2 : 65536;
		while (nc < s->ids_len + len)
			nc *= 2;
		char *ni = realloc(s->ids, nc);
		if (!ni)
			return -1;
		s->ids = ni;
		s->ids_cap = nc;
	}
	memcpy(s->ids + s->ids_len, id, len);
	s->id_off[s->n] = s->ids_len;
	s->ids_len += len;
	struct match_rec *r = &s->rec[s->n];
	match_rec_make(r, in);
	r->side = (uint8_t)(side ? 1 : 0);
	if (r->dob_ok && r->dob_day < 0)
		s->dob_not_date++;
	s->side_n[r->side]++;
	s->n++;
	if (s->blocks) {
		match_blocks_free(s->blocks);
		s->blocks = NULL;
	}
	return 0;
}

size_t match_set_size(const struct match_set *s)
{
	return s->n;
}

const char *match_set_id(const struct match_set *s, size_t i)
{
	return i < s->n ? s->ids + s->id_off[i] : "";
}

size_t match_set_dob_not_date(const struct match_set *s)
{
	return s->dob_not_date;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ensure_blocks(struct match_set *s, struct match_run *run)
{
	bool link = run->link != 0;
	if (s->blocks && s->blocks_link == link)
		return 0;
	match_blocks_free(s->blocks);
	double t0 = clock_s(CLOCK_MONOTONIC);
	s->blocks = match_blocks_build(s, link, run);
	run->block_seconds = clock_s(CLOCK_MONOTONIC) - t0;
	s->blocks_link = link;
	return s->blocks ? 0 : -1;
}

/* All pairs a run could compare: n(n-1)/2, or left x right for a link. */
static double all_pairs(const struct match_set *s, bool link)
{
	return link ? (double)s->side_n[0] * (double)s->side_n[1] : (double)s->n * ((double)s->n - 1) / 2;
}

/* ---- Value counts: term frequencies and the exact levels' u ------------------------------------------ */

/* The hash of field f's normalised value, 0 when absent. */
static uint64_t field_hash(const struct match_rec *r, int f)
{
	switch (f) {
	case MF_GIVEN:
		return r->given_len ? match_hash(r->given, r->given_len, 1) : 0;
	case MF_FAMILY:
		return r->family_len ? match_hash(r->family, r->family_len, 2) : 0;
	case MF_DOB:
		return r->dob_ok ? match_hash(r->dob, 8, 3) : 0;
	case MF_SEX:
		return r->sex ? match_hash(&r->sex, 1, 4) : 0;
	case MF_POSTCODE:
		return r->postcode_len ? match_hash(r->postcode, r->postcode_len, 5) : 0;
	case MF_ADDRESS:
		return r->address_len ? match_hash(r->address, r->address_len, 6) : 0;
	case MF_LOCALITY:
		return r->locality_len ? match_hash(r->locality, r->locality_len, 7) : 0;
	case MF_NHS:
		return r->nhs_ok ? match_hash(r->nhs, 10, 8) : 0;
	default:
		return r->other_len ? match_hash(r->other, r->other_len, 9) : 0;
	}
}

/*
 * For every field: the share of comparable pairs (both present; left x right for a link) whose
 * values are equal, into exact[f], and the number of comparable pairs into comparable[f]. The
 * family names' shares go into each record's family_lp. Returns -1 when out of memory.
 */
static int value_counts(struct match_set *s, bool link, double exact[MF_N], double comparable[MF_N], double *cross)
{
	struct match_keyed *v = malloc((s->n ? 2 * s->n : 1) * sizeof *v);
	struct match_keyed *tmp = malloc((s->n ? 2 * s->n : 1) * sizeof *tmp);
	if (!v || !tmp) {
		free(v);
		free(tmp);
		return -1;
	}
	for (int f = 0; f < MF_N; f++) {
		size_t m = 0;
		double side[2] = { 0, 0 };
		for (size_t i = 0; i < s->n; i++) {
			uint64_t h = field_hash(&s->rec[i], f);
			if (h) {
				v[m++] = (struct match_keyed){ (h & ~1ull) | (link ? s->rec[i].side : 0), (uint32_t)i };
				side[s->rec[i].side]++;
			}
		}
		match_radix_sort(v, tmp, m);
		double agree = 0;
		for (size_t i = 0; i < m;) {
			size_t j = i;
			double c[2] = { 0, 0 };
			while (j < m && (v[j].key & ~1ull) == (v[i].key & ~1ull))
				c[v[j++].key & 1]++;
			double all = c[0] + c[1];
			agree += link ? c[0] * c[1] : all * (all - 1) / 2;
			if (f == MF_FAMILY)
				for (size_t t = i; t < j; t++)
					s->rec[v[t].idx].family_lp = (float)log2(all / (double)m);
			i = j;
		}
		comparable[f] = link ? side[0] * side[1] : (double)m * ((double)m - 1) / 2;
		exact[f] = comparable[f] > 0 ? agree / comparable[f] : 0;
	}
	/*
	 * How often one record's given name is another's family name: the u of a swap, per name
	 * (both names must cross for the level, so the pair's u is about its square).
	 */
	size_t m = 0;
	double ng = 0, nf = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct match_rec *r = &s->rec[i];
		if (r->given_len) {
			v[m++] = (struct match_keyed){ match_hash(r->given, r->given_len, 1) & ~1ull, (uint32_t)i };
			ng++;
		}
		if (r->family_len) {
			v[m++] = (struct match_keyed){ (match_hash(r->family, r->family_len, 1) & ~1ull) | 1,
						       (uint32_t)i };
			nf++;
		}
	}
	match_radix_sort(v, tmp, m);
	double both = 0;
	for (size_t i = 0; i < m;) {
		size_t j = i;
		double c[2] = { 0, 0 };
		while (j < m && (v[j].key & ~1ull) == (v[i].key & ~1ull))
			c[v[j++].key & 1]++;
		both += c[0] * c[1];
		i = j;
	}
	*cross = ng > 0 && nf > 0 ? both / (ng * nf) : 0;
	/* The shares of full names (given and family together). */
	m = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct match_rec *r = &s->rec[i];
		if (r->given_len && r->family_len) {
			char full[2 * MR_NAME + 1];
			memcpy(full, r->given, r->given_len);
			full[r->given_len] = '|';
			memcpy(full + r->given_len + 1, r->family, r->family_len);
			v[m++] = (struct match_keyed){ match_hash(full, (size_t)r->given_len + 1 + r->family_len, 11),
						       (uint32_t)i };
		}
	}
	match_radix_sort(v, tmp, m);
	for (size_t i = 0; i < m;) {
		size_t j = i;
		while (j < m && v[j].key == v[i].key)
			j++;
		for (size_t t = i; t < j; t++)
			s->rec[v[t].idx].full_lp = (float)log2((double)(j - i) / (double)m);
		i = j;
	}
	free(v);
	free(tmp);
	return 0;
}

/* ---- Random pairs: the other levels' u ----------------------------------------------------------- */

static uint64_t rng_next(uint64_t *st)
{
	*st += 0x9e3779b97f4a7c15ull;
	return match_mix64(*st);
}

/* The random pairs are drawn in this many chunks, each from its own seed, so the counts do not
   depend on how many threads draw them. */
#define RANDOM_CHUNKS 16

/* One thread's share of the random pairs: chunks first, first + step, ... */
struct random_job {
	const struct match_set *s;  /* the records */
	bool link;                  /* pairs of a left and a right record only */
	uint64_t seed;              /* the run's seed (each chunk derives its own) */
	const uint32_t *side[2];    /* link: the records of each side */
	int first, step;            /* the chunks drawn: first, first + step, ... */
	uint64_t cnt[MF_N][ML_MAX]; /* pairs per field and level */
	uint64_t tot[MF_N];         /* pairs where the field was present on both */
	uint64_t k;                 /* pairs drawn */
};

static void *random_thread(void *arg)
{
	struct random_job *j = arg;
	const struct match_set *s = j->s;
	uint8_t lv[MF_N];
	for (int c = j->first; c < RANDOM_CHUNKS; c += j->step) {
		uint64_t st = j->seed ^ 0x5eed5eed5eedull ^ ((uint64_t)c << 40);
		for (uint64_t done = 0; done < RANDOM_PAIRS / RANDOM_CHUNKS;) {
			uint32_t x, y;
			if (j->link) {
				x = j->side[0][rng_next(&st) % s->side_n[0]];
				y = j->side[1][rng_next(&st) % s->side_n[1]];
			} else {
				x = (uint32_t)(rng_next(&st) % s->n);
				y = (uint32_t)(rng_next(&st) % s->n);
				if (x == y)
					continue;
			}
			match_compare_recs(&s->rec[x], &s->rec[y], lv, NULL);
			for (int f = 0; f < MF_N; f++)
				if (lv[f] != ML_ABSENT) {
					j->cnt[f][lv[f]]++;
					j->tot[f]++;
				}
			done++;
			j->k++;
		}
	}
	return NULL;
}

/*
 * Level counts over random pairs (all pairs when there are no more than RANDOM_PAIRS of them),
 * drawn on up to `threads` threads: cnt[f][l] and the pairs where f was present, tot[f].
 * Returns the pairs compared, 0 when out of memory or there is no pair.
 */
static uint64_t random_levels(const struct match_set *s, bool link, uint64_t seed, int threads,
			      double cnt[MF_N][ML_MAX], double tot[MF_N])
{
	uint8_t lv[MF_N];
	uint64_t k = 0;
	memset(cnt, 0, sizeof(double) * MF_N * ML_MAX);
	memset(tot, 0, sizeof(double) * MF_N);
	double total = all_pairs(s, link);
	if (total < 1)
		return 0;
	if (total <= RANDOM_PAIRS) {
		for (size_t i = 0; i < s->n; i++)
			for (size_t j = i + 1; j < s->n; j++) {
				if (link && s->rec[i].side == s->rec[j].side)
					continue;
				match_compare_recs(&s->rec[i], &s->rec[j], lv, NULL);
				for (int f = 0; f < MF_N; f++)
					if (lv[f] != ML_ABSENT) {
						cnt[f][lv[f]]++;
						tot[f]++;
					}
				k++;
			}
		return k;
	}
	uint32_t *side[2] = { NULL, NULL };
	struct random_job *jobs = NULL;
	if (threads < 1)
		threads = 1;
	if (threads > RANDOM_CHUNKS)
		threads = RANDOM_CHUNKS;
	if (link) {
		for (int t = 0; t < 2; t++)
			if (!(side[t] = malloc((s->side_n[t] ? s->side_n[t] : 1) * sizeof *side[t])))
				goto out;
		size_t n0 = 0, n1 = 0;
		for (size_t i = 0; i < s->n; i++) {
			if (s->rec[i].side)
				side[1][n1++] = (uint32_t)i;
			else
				side[0][n0++] = (uint32_t)i;
		}
	}
	jobs = calloc((size_t)threads, sizeof *jobs);
	if (!jobs)
		goto out;
	pthread_t tid[RANDOM_CHUNKS];
	bool started[RANDOM_CHUNKS] = { false };
	for (int t = 0; t < threads; t++) {
		jobs[t] = (struct random_job){
			.s = s, .link = link, .seed = seed, .side = { side[0], side[1] }, .first = t, .step = threads
		};
		started[t] = t > 0 && pthread_create(&tid[t], NULL, random_thread, &jobs[t]) == 0;
	}
	/* This thread draws the first share, and that of any thread that could not start. */
	random_thread(&jobs[0]);
	for (int t = 1; t < threads; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			random_thread(&jobs[t]);
	}
	for (int t = 0; t < threads; t++) {
		for (int f = 0; f < MF_N; f++) {
			for (int l = 0; l < ML_MAX; l++)
				cnt[f][l] += (double)jobs[t].cnt[f][l];
			tot[f] += (double)jobs[t].tot[f];
		}
		k += jobs[t].k;
	}
out:
	free(jobs);
	free(side[0]);
	free(side[1]);
	return k;
}

/* ---- EM over comparison patterns ----------------------------------------------------------------- */

/* A comparison pattern (4 bits per field) and how many candidate pairs showed it (weighted). */
struct pat {
	uint64_t key; /* pattern + 1, so that 0 marks an empty slot */
	double count; /* the pairs that showed it (a sampled pair may stand for several) */
};

/* An open-addressing table of patterns. */
struct pat_map {
	struct pat *slot; /* cap slots, a power of two; key 0 is empty */
	size_t cap, n;    /* slots, and slots in use (kept at most half) */
	bool oom;         /* a growth failed: the counts are incomplete */
};

static void pat_add(struct pat_map *pm, uint64_t key, double count)
{
	if (pm->oom)
		return;
	if ((pm->n + 1) * 2 > pm->cap) {
		size_t nc = pm->cap ? pm->cap * 2 : 256;
		struct pat *ns = calloc(nc, sizeof *ns);
		if (!ns) {
			pm->oom = true;
			return;
		}
		for (size_t i = 0; i < pm->cap; i++)
			if (pm->slot[i].key) {
				size_t h = match_mix64(pm->slot[i].key) & (nc - 1);
				while (ns[h].key)
					h = (h + 1) & (nc - 1);
				ns[h] = pm->slot[i];
			}
		free(pm->slot);
		pm->slot = ns;
		pm->cap = nc;
	}
	size_t h = match_mix64(key) & (pm->cap - 1);
	while (pm->slot[h].key && pm->slot[h].key != key)
		h = (h + 1) & (pm->cap - 1);
	if (!pm->slot[h].key) {
		pm->slot[h].key = key;
		pm->n++;
	}
	pm->slot[h].count += count;
}

static int pat_cmp(const void *x, const void *y)
{
	const struct pat *a = x, *b = y;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* Merge maps[0..n) into a sorted array (*out, *np; the caller frees it) and free them. -1: no memory. */
static int pat_collect(struct pat_map *maps, int n, struct pat **out, size_t *np, double *total)
{
	struct pat_map all = { 0 };
	bool oom = false;
	for (int t = 0; t < n; t++) {
		oom = oom || maps[t].oom;
		for (size_t i = 0; i < maps[t].cap; i++)
			if (maps[t].slot[i].key)
				pat_add(&all, maps[t].slot[i].key, maps[t].slot[i].count);
		free(maps[t].slot);
		maps[t] = (struct pat_map){ 0 };
	}
	*out = NULL;
	*np = 0;
	*total = 0;
	if (oom || all.oom) {
		free(all.slot);
		return -1;
	}
	struct pat *p = malloc((all.n ? all.n : 1) * sizeof *p);
	if (!p) {
		free(all.slot);
		return -1;
	}
	for (size_t i = 0; i < all.cap; i++)
		if (all.slot[i].key) {
			p[(*np)++] = all.slot[i];
			*total += all.slot[i].count;
		}
	free(all.slot);
	qsort(p, *np, sizeof *p, pat_cmp);
	*out = p;
	return 0;
}

/* What the sampling pass collects: each rule's patterns (its EM session) and the union's. */
struct em_collect {
	const struct match_set *s;
	double weight[MATCH_RULES];              /* a sampled union pair stands for this many */
	struct pat_map session[MATCH_RULES][64]; /* per rule, per thread */
	struct pat_map uni[64];                  /* per thread */
};

static void em_pair(void *arg, int thread, uint32_t a, uint32_t b, int rule, bool first)
{
	struct em_collect *c = arg;
	uint8_t lv[MF_N];
	match_compare_recs(&c->s->rec[a], &c->s->rec[b], lv, NULL);
	uint64_t key = 0;
	for (int f = 0; f < MF_N; f++)
		key |= (uint64_t)lv[f] << (4 * f);
	pat_add(&c->session[rule][thread], key + 1, 1);
	if (first)
		pat_add(&c->uni[thread], key + 1, c->weight[rule]);
}

/*
 * The home's three fields (postcode, address, locality) go wrong together (a move changes all
 * three), so EM treats their levels as one variable with a level per combination: the 12 bits
 * of the pattern from the postcode's nibble up. HOME_NONE: all three missing.
 */
#define HOME_SHIFT  (4 * MF_POSTCODE)
#define HOME_COMBOS 4096
#define HOME_NONE   0xfff

static int home_of(uint64_t key)
{
	return (int)(key >> HOME_SHIFT & 0xfff);
}

/* The level of home field f (MF_POSTCODE, MF_ADDRESS or MF_LOCALITY) in combination h. */
static int home_level(int h, int f)
{
	return h >> (4 * (f - MF_POSTCODE)) & 15;
}

/* The tables EM keeps for the home: one probability per combination and class. */
struct em_home {
	double m[HOME_COMBOS];  /* P(combination | match) */
	double ub[HOME_COMBOS]; /* P(combination | non-match) among these pairs */
	double m0[HOME_COMBOS]; /* the pull: the default model's per-field m multiplied */
	double am[HOME_COMBOS]; /* this iteration's expected matches showing the combination */
	double au[HOME_COMBOS]; /* and non-matches */
};

/* A combination's probability from per-field levels (the start of EM and its prior). */
static double home_product(int h, const double t[MF_N][ML_MAX])
{
	double x = 1;
	for (int f = MF_POSTCODE; f <= MF_LOCALITY; f++) {
		int l = home_level(h, f);
		if (l != ML_ABSENT)
			x *= t[f][l];
	}
	return x;
}

/*
 * EM over np patterns for a two-class mixture (one person / two): the fields independent given
 * the class, except the home's, which EM sees as one variable (home_of). Fields in `ignore`
 * (bit f; any home field leaves out the whole home) and absent fields are left out. m (in: the
 * start; out: the estimate, the home fields' as the margins of the home's combinations, unless
 * fix_m), ub (the non-matches' levels among these pairs; in: the start), *lambda (the match
 * share; in: the start). m0 pulls m with EM_PRIOR_PAIRS pseudo-pairs. Returns the iterations
 * run; *converged is set when neither the match share nor any m moved more than EM_TOL in an
 * iteration, or the log-likelihood gained less than EM_LL_TOL of itself.
 */
static int em_run(const struct pat *p, size_t np, uint32_t ignore, bool fix_m, const double m0[MF_N][ML_MAX],
		  double m[MF_N][ML_MAX], double ub[MF_N][ML_MAX], double *lambda, int *converged)
{
	const uint32_t home_bits = (1u << MF_POSTCODE) | (1u << MF_ADDRESS) | (1u << MF_LOCALITY);
	bool use_home = !(ignore & home_bits);
	ignore |= home_bits; /* the home is handled as one variable below */
	struct em_home *H = use_home ? calloc(1, sizeof *H) : NULL;
	if (use_home && !H)
		use_home = false;
	/* The combinations seen, with their start from the per-field tables. */
	int *seen = NULL;
	int n_seen = 0;
	if (use_home) {
		seen = malloc(np * sizeof *seen);
		if (!seen) {
			free(H);
			H = NULL;
			use_home = false;
		} else {
			for (size_t i = 0; i < np; i++) {
				int h = home_of(p[i].key - 1);
				if (h != HOME_NONE && H->m0[h] == 0) {
					H->m0[h] = home_product(h, m0);
					H->m[h] = home_product(h, m);
					H->ub[h] = home_product(h, ub);
					seen[n_seen++] = h;
				}
			}
			/* Normalise over the combinations seen. */
			double s0 = 0, sm = 0, su = 0;
			for (int k = 0; k < n_seen; k++) {
				s0 += H->m0[seen[k]];
				sm += H->m[seen[k]];
				su += H->ub[seen[k]];
			}
			for (int k = 0; k < n_seen; k++) {
				H->m0[seen[k]] /= s0;
				H->m[seen[k]] /= sm;
				H->ub[seen[k]] /= su;
			}
		}
	}
	double lam = *lambda, ll_prev = 0, home_matches = 0;
	*converged = 0;
	int it;
	for (it = 1; it <= EM_MAX_ITER; it++) {
		double d_tab[MF_N][ML_MAX], lu_tab[MF_N][ML_MAX];
		for (int f = 0; f < MF_N; f++)
			for (int l = 0; l < match_levels_n[f]; l++) {
				lu_tab[f][l] = log(ub[f][l] > 1e-300 ? ub[f][l] : 1e-300);
				d_tab[f][l] = log(m[f][l] > 1e-300 ? m[f][l] : 1e-300) - lu_tab[f][l];
			}
		double am[MF_N][ML_MAX] = { { 0 } }, au[MF_N][ML_MAX] = { { 0 } };
		double pm[MF_N] = { 0 }, pu[MF_N] = { 0 }, hm = 0, hu = 0;
		double sm = 0, su = 0, ll = 0, l1 = log(1 - lam);
		double logit = log(lam) - l1;
		for (int k = 0; k < n_seen; k++)
			H->am[seen[k]] = H->au[seen[k]] = 0;
		for (size_t i = 0; i < np; i++) {
			uint64_t key = p[i].key - 1;
			double total = logit, lu = l1;
			for (int f = 0; f < MF_N; f++) {
				int l = (int)(key >> (4 * f) & 15);
				if (l == ML_ABSENT || (ignore >> f & 1))
					continue;
				total += d_tab[f][l];
				lu += lu_tab[f][l];
			}
			int h = use_home ? home_of(key) : HOME_NONE;
			if (h != HOME_NONE) {
				double mh = H->m[h] > 1e-300 ? H->m[h] : 1e-300,
				       uh = H->ub[h] > 1e-300 ? H->ub[h] : 1e-300;
				total += log(mh) - log(uh);
				lu += log(uh);
			}
			double r = total < -700 ? 0 : 1.0 / (1.0 + exp(-total));
			double c = p[i].count, cr = c * r, cu = c - cr;
			/* log(lambda P(pattern | match) + (1 - lambda) P(pattern | non-match)) */
			ll += c * (lu + (total > 0 ? total + log1p(exp(-total)) : log1p(exp(total))));
			sm += cr;
			su += cu;
			for (int f = 0; f < MF_N; f++) {
				int l = (int)(key >> (4 * f) & 15);
				if (l == ML_ABSENT || (ignore >> f & 1))
					continue;
				am[f][l] += cr;
				au[f][l] += cu;
				pm[f] += cr;
				pu[f] += cu;
			}
			if (h != HOME_NONE) {
				H->am[h] += cr;
				H->au[h] += cu;
				hm += cr;
				hu += cu;
			}
		}
		double nl = sm + su > 0 ? sm / (sm + su) : lam;
		if (nl < 1e-9)
			nl = 1e-9;
		if (nl > 1 - 1e-9)
			nl = 1 - 1e-9;
		double delta = fabs(nl - lam);
		lam = nl;
		home_matches = hm;
		for (int f = 0; f < MF_N; f++) {
			if (ignore >> f & 1)
				continue;
			for (int l = 0; l < match_levels_n[f]; l++) {
				ub[f][l] = (au[f][l] + EM_PRIOR_PAIRS * ub[f][l]) / (pu[f] + EM_PRIOR_PAIRS);
				if (fix_m)
					continue;
				double nm = (am[f][l] + EM_PRIOR_PAIRS * m0[f][l]) / (pm[f] + EM_PRIOR_PAIRS);
				if (fabs(nm - m[f][l]) > delta)
					delta = fabs(nm - m[f][l]);
				m[f][l] = nm;
			}
		}
		for (int k = 0; k < n_seen; k++) {
			int h = seen[k];
			H->ub[h] = (H->au[h] + EM_PRIOR_PAIRS * H->ub[h]) / (hu + EM_PRIOR_PAIRS);
			if (fix_m)
				continue;
			double nm = (H->am[h] + EM_PRIOR_PAIRS * H->m0[h]) / (hm + EM_PRIOR_PAIRS);
			if (fabs(nm - H->m[h]) > delta)
				delta = fabs(nm - H->m[h]);
			H->m[h] = nm;
		}
		/* Stop when the parameters, or the log-likelihood, stop moving (EM crawls along flat ridges). */
		if (delta < EM_TOL || (it > 1 && fabs(ll - ll_prev) <= EM_LL_TOL * fabs(ll))) {
			*converged = 1;
			break;
		}
		ll_prev = ll;
	}
	/* The home fields' m and ub: the margins of the combinations (each field where present). */
	if (use_home) {
		for (int f = MF_POSTCODE; f <= MF_LOCALITY; f++) {
			double mm[ML_MAX] = { 0 }, uu[ML_MAX] = { 0 }, ms = 0, us = 0;
			for (int k = 0; k < n_seen; k++) {
				int l = home_level(seen[k], f);
				if (l == ML_ABSENT)
					continue;
				mm[l] += H->m[seen[k]];
				uu[l] += H->ub[seen[k]];
				ms += H->m[seen[k]];
				us += H->ub[seen[k]];
			}
			if (ms <= 0 || us <= 0)
				continue;
			/* Levels no pair showed keep a share of the pull towards m0 (EM_PRIOR_PAIRS). */
			double w = home_matches + EM_PRIOR_PAIRS;
			for (int l = 0; l < match_levels_n[f]; l++) {
				if (!fix_m)
					m[f][l] = (mm[l] / ms * home_matches + EM_PRIOR_PAIRS * m0[f][l]) / w;
				ub[f][l] = uu[l] / us;
			}
		}
	}
	free(H);
	free(seen);
	*lambda = lam;
	return it > EM_MAX_ITER ? EM_MAX_ITER : it;
}

/*
 * A two-class mixture is only identifiable from three or more indicators: true when at least
 * three fields outside `ignore` are present in a tenth of the patterns' pairs or more.
 */
static bool identifiable(const struct pat *p, size_t np, double total, uint32_t ignore)
{
	double present[MF_N] = { 0 };
	for (size_t i = 0; i < np; i++)
		for (int f = 0; f < MF_N; f++)
			if ((int)((p[i].key - 1) >> (4 * f) & 15) != ML_ABSENT)
				present[f] += p[i].count;
	int n = 0;
	for (int f = 0; f < MF_N; f++)
		n += !(ignore >> f & 1) && present[f] >= 0.1 * total;
	return n >= 3;
}

/*
 * m from EM sessions, one per blocking rule (the approach of Splink): a rule's pairs all agree
 * on the fields its key is made of, so there those fields say nothing about who is a match and
 * are left out; every other field's m is estimated from the rule's pairs. A field's m is the
 * average over the sessions that estimated it, weighted by the matches each found. Then one
 * more EM over a sample of all candidate pairs with m held, for the match share.
 * Returns 0, or -1 when out of memory.
 */
static int em_train(struct match_set *s, struct match_run *run, const double obs[MF_N][ML_MAX], double m[MF_N][ML_MAX],
		    double *expected, struct pat **uni, size_t *n_uni)
{
	const struct match_model *def = match_model_default();
	int threads = run->threads < 1 ? 1 : run->threads > 64 ? 64 : run->threads;
	struct em_collect *c = calloc(1, sizeof *c);
	struct match_visit v = { .every_rule = true, .fn = em_pair };
	struct pat *p = NULL;
	int rc = -1;
	if (!c)
		return -1;
	c->s = s;
	v.arg = c;
	for (int r = 0; r < MATCH_RULES; r++) {
		uint64_t pairs = match_blocks_rule_pairs(s->blocks, r);
		v.sample_mod[r] = pairs > EM_RULE_PAIRS ? (pairs + EM_RULE_PAIRS - 1) / EM_RULE_PAIRS : 1;
		c->weight[r] = (double)v.sample_mod[r];
	}
	double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (match_blocks_visit(s->blocks, threads, &v, run, "sampling candidate pairs for EM") != 0)
		goto out;
	run->em_compare_cpu_seconds = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;

	double msum[MF_N][ML_MAX] = { { 0 } }, wsum[MF_N] = { 0 };
	int iters = 0, conv_all = 1, sessions = 0;
	uint64_t em_pairs = 0;
	for (int r = 0; r < MATCH_RULES; r++) {
		size_t np;
		double total;
		if (pat_collect(c->session[r], threads, &p, &np, &total) != 0)
			goto out;
		em_pairs += (uint64_t)total;
		if (total >= EM_MIN_PAIRS && identifiable(p, np, total, match_rule_fields(r))) {
			double mr[MF_N][ML_MAX], ub[MF_N][ML_MAX], lam = 0.1;
			int conv;
			memcpy(mr, def->m, sizeof mr);
			memcpy(ub, obs, sizeof ub);
			uint32_t ignore = match_rule_fields(r);
			iters += em_run(p, np, ignore, false, def->m, mr, ub, &lam, &conv);
			sessions++;
			conv_all = conv_all && conv;
			double found = lam * total;
			for (int f = 0; f < MF_N; f++) {
				if (ignore >> f & 1)
					continue;
				for (int l = 0; l < match_levels_n[f]; l++)
					msum[f][l] += found * mr[f][l];
				wsum[f] += found;
			}
		}
		free(p);
		p = NULL;
	}
	for (int f = 0; f < MF_N; f++)
		for (int l = 0; l < match_levels_n[f]; l++)
			m[f][l] = wsum[f] > 0 ? msum[f][l] / wsum[f] : def->m[f][l];

	/* The match share among all candidate pairs, m held. */
	size_t np;
	double total;
	if (pat_collect(c->uni, threads, &p, &np, &total) != 0)
		goto out;
	double ub[MF_N][ML_MAX], lam = 0.1;
	int conv = 1;
	memcpy(ub, obs, sizeof ub);
	if (np > 0)
		iters += em_run(p, np, 0, true, def->m, m, ub, &lam, &conv);
	else
		lam = 0;
	run->em_pairs = em_pairs;
	run->em_sessions = sessions;
	run->em_iterations = iters;
	run->em_converged = conv_all && conv;
	run->em_match_share = lam;
	*expected = lam * total;
	*uni = p;
	*n_uni = np;
	p = NULL;
	rc = 0;
out:
	free(p);
	for (int r = 0; r < MATCH_RULES; r++)
		for (int t = 0; t < 64; t++)
			free(c->session[r][t].slot);
	for (int t = 0; t < 64; t++)
		free(c->uni[t].slot);
	free(c);
	return rc;
}

/*
 * Fill model mo from m, the observed level shares obs (u before correction) and a share of
 * matches among all pairs lam_all: the prior; u = (obs - lam_all m) / (1 - lam_all), floored
 * at 5% of obs (and at one pair's worth: of the comparable pairs for counted levels, of the k
 * random pairs for sampled ones); m floored at M_FLOOR (or u, when smaller); the weights.
 */
static void model_from(struct match_model *mo, const double m[MF_N][ML_MAX], const double obs[MF_N][ML_MAX],
		       const double comparable[MF_N], uint64_t k, double lam_all)
{
	mo->prior_log2 = log2(lam_all / (1 - lam_all));
	for (int f = 0; f < MF_N; f++) {
		int n = match_levels_n[f];
		double floor_k = k > 0 ? 1.0 / (double)k : 1e-6;
		double sum = 0;
		for (int l = 0; l < n; l++) {
			mo->m[f][l] = m[f][l];
			double u = (obs[f][l] - lam_all * m[f][l]) / (1 - lam_all);
			double fl = obs[f][l] * 0.05;
			bool counted = l == 0 || (f == MF_GIVEN && l == GIVEN_SWAPPED) ||
				       (f == MF_FAMILY && l == FAMILY_SWAPPED);
			double fk = counted ? (comparable[f] >= 1 ? 1 / comparable[f] : 1e-9) : floor_k;
			if (fl < fk)
				fl = fk;
			if (fl > obs[f][l])
				fl = obs[f][l];
			mo->u[f][l] = u > fl ? u : fl;
			sum += mo->u[f][l];
		}
		for (int l = 0; l < n; l++)
			mo->u[f][l] /= sum;
		/*
		 * m is at least M_FLOOR (or u, when u is smaller): data have errors EM never saw, so no
		 * single disagreement may outweigh everything else, and a level seen neither among
		 * matches nor among non-matches weighs about nothing.
		 */
		double msum = 0;
		for (int l = 0; l < n; l++) {
			double fl = mo->u[f][l] < M_FLOOR ? mo->u[f][l] : M_FLOOR;
			if (mo->m[f][l] < fl)
				mo->m[f][l] = fl;
			msum += mo->m[f][l];
		}
		for (int l = 0; l < n; l++)
			mo->m[f][l] /= msum;
	}
	match_model_finish(mo);
}

/* The log2 odds of a comparison pattern under mo (as match_weights, without term frequencies). */
static double pattern_log2_odds(const struct match_model *mo, uint64_t key)
{
	uint8_t lv[MF_N];
	for (int f = 0; f < MF_N; f++)
		lv[f] = (uint8_t)(key >> (4 * f) & 15);
	struct match_rec none;
	memset(&none, 0, sizeof none);
	return match_weights(mo, &none, lv, NULL);
}

/* ---- Training -------------------------------------------------------------------------------------- */

struct match_model *match_train(struct match_set *s, struct match_run *run)
{
	bool link = run->link != 0;
	struct pat *uni = NULL;
	size_t n_uni = 0;
	const struct match_model *def = match_model_default();
	struct match_model *mo = calloc(1, sizeof *mo);
	if (!mo)
		return NULL;
	*mo = *def;
	mo->is_static = false;
	mo->tf_raise = true;

	/* 1 and 2: value counts (exact levels, family-name frequencies) and random pairs. */
	double t0 = clock_s(CLOCK_MONOTONIC);
	double exact[MF_N], comparable[MF_N], cnt[MF_N][ML_MAX], tot[MF_N], cross;
	if (value_counts(s, link, exact, comparable, &cross) != 0)
		goto fail;
	if (run->progress)
		run->progress(run->progress_arg, "estimating u from random pairs", 0, RANDOM_PAIRS);
	int threads = run->threads < 1 ? 1 : run->threads > 64 ? 64 : run->threads;
	uint64_t k = random_levels(s, link, run->seed, threads, cnt, tot);
	run->random_pairs = k;
	double obs[MF_N][ML_MAX];
	for (int f = 0; f < MF_N; f++) {
		int n = match_levels_n[f];
		if (tot[f] < 1 || comparable[f] < 1) {
			for (int l = 0; l < n; l++)
				obs[f][l] = def->u[f][l];
			continue;
		}
		/*
		 * The exact level (and a swap of names) from the counts, the others from the sample
		 * (at least one pair's worth each).
		 */
		double fixed = exact[f] > 0 ? exact[f] : 1 / comparable[f];
		obs[f][0] = fixed;
		int swap = f == MF_GIVEN ? GIVEN_SWAPPED : f == MF_FAMILY ? FAMILY_SWAPPED : -1;
		if (swap > 0) {
			obs[f][swap] = cross > 1 / comparable[f] ? cross : 1 / comparable[f];
			fixed += obs[f][swap];
		}
		double rest = 0;
		for (int l = 1; l < n; l++)
			if (l != swap)
				rest += cnt[f][l] > 0 ? cnt[f][l] : 1;
		for (int l = 1; l < n; l++)
			if (l != swap)
				obs[f][l] = (cnt[f][l] > 0 ? cnt[f][l] : 1) / rest * (1 - fixed);
		/* A small set says little: blend in the default u as U_PRIOR_PAIRS pairs' worth. */
		for (int l = 0; l < n; l++)
			obs[f][l] = (obs[f][l] * tot[f] + U_PRIOR_PAIRS * def->u[f][l]) / (tot[f] + U_PRIOR_PAIRS);
	}

	run->u_seconds = clock_s(CLOCK_MONOTONIC) - t0;

	/* 3: m by EM. */
	if (ensure_blocks(s, run) != 0)
		goto fail;
	double m[MF_N][ML_MAX], expected = 0;
	t0 = clock_s(CLOCK_MONOTONIC);
	if (em_train(s, run, obs, m, &expected, &uni, &n_uni) != 0)
		goto fail;
	run->em_seconds = clock_s(CLOCK_MONOTONIC) - t0;
	if (run->em_sessions == 0) {
		/*
		 * Too few candidate pairs for any EM session: the default model's m, prior and name
		 * frequencies, with u as the data and the default say together.
		 */
		for (size_t i = 0; i < s->n; i++) {
			struct match_rec *r = &s->rec[i];
			r->family_lp = r->family_len ? match_surname_lp(r->family, r->family_len) : 0;
			r->full_lp = 0;
		}
		memcpy(mo->u, obs, sizeof mo->u);
		mo->tf_raise = false;
		match_model_finish(mo);
		free(uni);
		return mo;
	}

	/*
	 * 4 and 5: the prior and u corrected for the matches among the pairs u was counted on. The
	 * expected matches and the model depend on each other: start from EM's count and repeat
	 * (expected = the candidate pairs' probabilities under the model, summed) until it settles.
	 */
	double pairs = all_pairs(s, link);
	for (int round = 0; round < 50; round++) {
		double lam_all = pairs > 0 ? expected / pairs : 0;
		if (lam_all < 1e-12)
			lam_all = 1e-12;
		if (lam_all > 0.5)
			lam_all = 0.5;
		model_from(mo, m, obs, comparable, k, lam_all);
		double e = 0;
		for (size_t i = 0; i < n_uni; i++) {
			double w = pattern_log2_odds(mo, uni[i].key - 1);
			e += uni[i].count / (1.0 + exp2(-w));
		}
		bool settled = fabs(e - expected) <= 1e-4 * expected;
		expected = e;
		if (settled)
			break;
	}
	run->expected_matches = expected;
	free(uni);
	return mo;
fail:
	free(uni);
	free(mo);
	return NULL;
}

/* ---- Scoring the candidate pairs ----------------------------------------------------------------- */

/* What one thread keeps, on its own cache lines. */
struct score_out {
	struct match_pair *p; /* the pairs kept */
	size_t n, cap;        /* how many, and room for */
	uint64_t compared;    /* pairs this thread compared */
	bool oom;             /* a pair could not be kept */
	char pad[64];         /* keeps the threads' counters off each other's cache lines */
};

struct score_ctx {
	const struct match_model *m; /* the model scored under */
	const struct match_set *s;   /* the records */
	double threshold;            /* keep pairs at or above this probability */
	double min_log2;             /* below this weight sum a pair cannot reach the threshold */
	struct score_out out[64];    /* per thread */
};

static void score_pair(void *arg, int thread, uint32_t a, uint32_t b, int rule, bool first)
{
	(void)rule;
	(void)first;
	struct score_ctx *c = arg;
	struct score_out *o = &c->out[thread];
	o->compared++;
	double w;
	if (!match_score_at_least(c->m, &c->s->rec[a], &c->s->rec[b], c->min_log2, &w))
		return;
	double p = 1.0 / (1.0 + exp2(-w));
	if (p < c->threshold)
		return;
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 4096;
		struct match_pair *np = realloc(o->p, nc * sizeof *np);
		if (!np) {
			o->oom = true;
			return;
		}
		o->p = np;
		o->cap = nc;
	}
	o->p[o->n++] = (struct match_pair){ a, b, (float)p };
}

static int pair_cmp(const void *x, const void *y)
{
	const struct match_pair *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

int match_pairs(const struct match_model *m, struct match_set *s, struct match_run *run, struct match_pair **out,
		size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!m)
		m = match_model_default();
	if (ensure_blocks(s, run) != 0)
		return -1;
	struct score_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return -1;
	c->m = m;
	c->s = s;
	c->threshold = run->threshold;
	double t = run->threshold;
	c->min_log2 = t <= 0 ? -INFINITY : t >= 1 ? INFINITY : log2(t / (1 - t)) - 1e-6;
	int threads = run->threads < 1 ? 1 : run->threads > 64 ? 64 : run->threads;
	double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	struct match_visit v = { .every_rule = false, .fn = score_pair, .arg = c };
	int rc = match_blocks_visit(s->blocks, threads, &v, run, "comparing candidate pairs");
	run->compare_seconds = clock_s(CLOCK_MONOTONIC) - t0;
	run->compare_cpu_seconds = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	size_t total = 0;
	uint64_t compared = 0;
	bool oom = rc != 0;
	for (int i = 0; i < threads; i++) {
		total += c->out[i].n;
		compared += c->out[i].compared;
		oom = oom || c->out[i].oom;
	}
	run->pairs_compared = compared;
	run->candidate_pairs = compared;
	struct match_pair *all = oom ? NULL : malloc((total ? total : 1) * sizeof *all);
	if (all) {
		size_t k = 0;
		for (int i = 0; i < threads; i++) {
			if (c->out[i].n)
				memcpy(all + k, c->out[i].p, c->out[i].n * sizeof *all);
			k += c->out[i].n;
		}
		qsort(all, total, sizeof *all, pair_cmp);
	}
	for (int i = 0; i < threads; i++)
		free(c->out[i].p);
	free(c);
	if (!all)
		return -1;
	run->pairs_kept = total;
	*out = all;
	*n = total;
	return 0;
}
