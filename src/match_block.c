/*
 * match_block.c - blocking: which pairs of a record set are compared at all (match_int.h).
 * Comparing every pair of a million records is half a trillion comparisons; instead each rule
 * (the table `rules` below, listed in docs/matching.md) gives every record a key, and records
 * sharing a key under some rule are candidate pairs. The candidates are the union of the
 * rules' pairs, each visited once: a pair found by rule r is skipped when an earlier rule
 * already put the two records in one block. Each rule tolerates some errors (a date of birth
 * with day and month swapped, a misspelt name, a move, a missing field), so together they find
 * pairs with several. A block larger than its rule's cap is not expanded (its records still
 * meet through the other rules); the run reports how many were left out. Keys are 64-bit
 * hashes, sorted with a radix sort; pairs are visited on several threads, each taking slices
 * of about equal work.
 * Owns: keys, the radix sort, blocks, the threaded visit. Must not touch: HTTP, SQL, files.
 */
#include "match_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RULES MATCH_RULES

uint64_t match_hash(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;
	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	h = match_mix64(h);
	return h ? h : 1;
}

void match_radix_sort(struct match_keyed *v, struct match_keyed *tmp, size_t n)
{
	/* LSD radix on 16-bit digits: four stable passes; an all-equal digit is skipped. */
	struct match_keyed *src = v, *dst = tmp;
	static const int digits = 4;
	size_t *count = malloc(65536 * sizeof *count);
	if (!count) {
		/* Fallback without memory for the counts: insertion sort keeps the contract. */
		for (size_t i = 1; i < n; i++) {
			struct match_keyed x = v[i];
			size_t j = i;
			while (j > 0 && v[j - 1].key > x.key) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
		return;
	}
	for (int d = 0; d < digits; d++) {
		int shift = 16 * d;
		memset(count, 0, 65536 * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[(src[i].key >> shift) & 0xffff]++;
		if (n > 0 && count[(src[0].key >> shift) & 0xffff] == n)
			continue;
		size_t sum = 0;
		for (size_t i = 0; i < 65536; i++) {
			size_t c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
		struct match_keyed *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	free(count);
}

/* ---- Keys ------------------------------------------------------------------------------------- */

/* American Soundex of a folded name into out[4] ("robert" -> "R163"). */
static void soundex(const char *s, int n, char out[4])
{
	static const char code[26] = { 0,   '1', '2', '3', 0,   '1', '2', 0, 0,   '2', '2', '4', '5',
				       '5', 0,   '1', '2', '6', '2', '3', 0, '1', 0,   '2', 0,   '2' };
	memset(out, '0', 4);
	if (n <= 0)
		return;
	out[0] = s[0];
	char last = (s[0] >= 'a' && s[0] <= 'z') ? code[s[0] - 'a'] : 0;
	int k = 1;
	for (int i = 1; i < n && k < 4; i++) {
		char c = s[i];
		if (c < 'a' || c > 'z')
			continue;
		char d = code[c - 'a'];
		if (d && d != last)
			out[k++] = d;
		if (c != 'h' && c != 'w')
			last = d;
	}
}

/* Key bytes are built in a small buffer and hashed; a key of 0 means "no key". */
struct kb {
	unsigned char b[96]; /* the key's parts, each followed by a 0x1f separator */
	size_t n;            /* bytes used */
};

static void kb_put(struct kb *k, const void *p, size_t n)
{
	if (k->n + n + 1 > sizeof k->b)
		n = sizeof k->b - k->n - 1;
	memcpy(k->b + k->n, p, n);
	k->n += n;
	k->b[k->n++] = 0x1f;
}

/* The key of a rule: bit 0 is left for the side (link runs sort left before right). */
static uint64_t kb_key(const struct kb *k, int rule)
{
	uint64_t h = match_hash(k->b, k->n, (uint64_t)rule * 0x9e3779b97f4a7c15ull) & ~1ull;
	return h ? h : 2;
}

/* The date of birth with day and month in order (so a swap keys alike): 8 bytes. */
static void dob_key(const struct match_rec *r, char out[8])
{
	memcpy(out, r->dob, 8);
	if (memcmp(r->dob + 4, r->dob + 6, 2) > 0) {
		memcpy(out + 4, r->dob + 6, 2);
		memcpy(out + 6, r->dob + 4, 2);
	}
}

/*
 * The start of the given name for blocking (up to n letters): of its first nickname group's
 * usual form when it has one ("bill" -> "wi" for William), so a nickname meets its full name.
 */
static int given_start(const struct match_rec *r, char *out, int n)
{
	const char *g = r->n_nick ? match_nick_group_name(r->nick[0]) : r->given;
	int len = r->n_nick ? (int)strcspn(g, " ") : r->given_len;
	if (len > n)
		len = n;
	memcpy(out, g, (size_t)len);
	return len;
}

#define B(f) (1u << (f))
#define HOME (B(MF_POSTCODE) | B(MF_ADDRESS) | B(MF_LOCALITY))

/*
 * The rules: what each key is made of (docs/matching.md), the fields it is made of (an EM
 * session on its pairs leaves them out; one home field stands for the whole home), and the
 * largest block it expands. Loose rules (no date of birth) only expand small blocks, so common
 * names are left to the tighter rules while rare ones still meet without a date of birth.
 */
static const struct rule {
	const char *what; /* the key in words (match_blocking_rule) */
	uint32_t fields;  /* bit f: field f is part of the key */
	size_t cap;       /* blocks with more records are not expanded */
} rules[RULES] = {
	{ "date of birth (day and month either way) + given name's first 2 letters", B(MF_DOB) | B(MF_GIVEN), 1000 },
	{ "date of birth (day and month either way) + family name's first 2 letters", B(MF_DOB) | B(MF_FAMILY), 1000 },
	{ "date of birth (day and month either way) + both initials in either order",
	  B(MF_DOB) | B(MF_GIVEN) | B(MF_FAMILY), 1000 },
	{ "family-name Soundex + given initial + year and month of birth", B(MF_GIVEN) | B(MF_FAMILY) | B(MF_DOB),
	  1000 },
	{ "family-name Soundex + given initial + year and day of birth", B(MF_GIVEN) | B(MF_FAMILY) | B(MF_DOB), 1000 },
	{ "family-name Soundex + given initial + day and month of birth", B(MF_GIVEN) | B(MF_FAMILY) | B(MF_DOB),
	  1000 },
	{ "postcode + given initial", HOME | B(MF_GIVEN), 1000 },
	{ "postcode + family initial", HOME | B(MF_FAMILY), 1000 },
	{ "first 8 characters of the address", HOME, 64 },
	{ "locality + family-name Soundex", HOME | B(MF_FAMILY), 64 },
	{ "family-name Soundex + given initial", B(MF_GIVEN) | B(MF_FAMILY), 64 },
	{ "date of birth (day and month either way) + postcode sector", B(MF_DOB) | HOME, 1000 },
	{ "NHS number", B(MF_NHS), 1000 },
	{ "other identifier", B(MF_OTHER), 1000 },
};

uint32_t match_rule_fields(int rule)
{
	return rule >= 0 && rule < RULES ? rules[rule].fields : 0;
}

const char *match_blocking_rule(int rule)
{
	return rule >= 0 && rule < RULES ? rules[rule].what : NULL;
}

static void rec_keys(const struct match_rec *r, uint64_t key[RULES])
{
	struct kb k;
	char dk[8], fsx[4], g2[2];
	int g2n = 0;
	memset(key, 0, RULES * sizeof key[0]);
	bool g = r->given_len > 0, f = r->family_len > 0, d = r->dob_ok, pc = r->postcode_len > 0;
	if (d)
		dob_key(r, dk);
	if (g)
		g2n = given_start(r, g2, 2);
	if (f)
		soundex(r->family, r->family_len, fsx);
	char two[2] = { 0, 0 };
	if (g && f) {
		bool order = r->given[0] <= r->family[0];
		two[0] = order ? r->given[0] : r->family[0];
		two[1] = order ? r->family[0] : r->given[0];
	}
	size_t f2 = r->family_len < 2 ? r->family_len : 2;
#define KEY(rule, cond, ...)                                                                                           \
	do {                                                                                                           \
		if (cond) {                                                                                            \
			k.n = 0;                                                                                       \
			__VA_ARGS__;                                                                                   \
			key[rule] = kb_key(&k, rule);                                                                  \
		}                                                                                                      \
	} while (0)
	KEY(0, d && g, kb_put(&k, dk, 8); kb_put(&k, g2, (size_t)g2n));
	KEY(1, d && f, kb_put(&k, dk, 8); kb_put(&k, r->family, f2));
	KEY(2, d && g && f, kb_put(&k, dk, 8); kb_put(&k, two, 2));
	KEY(3, d && g && f, kb_put(&k, fsx, 4); kb_put(&k, g2, 1); kb_put(&k, r->dob, 6));
	KEY(4, d && g && f, kb_put(&k, fsx, 4); kb_put(&k, g2, 1); kb_put(&k, r->dob, 4); kb_put(&k, r->dob + 6, 2));
	KEY(5, d && g && f, kb_put(&k, fsx, 4); kb_put(&k, g2, 1); kb_put(&k, dk + 4, 4));
	KEY(6, pc && g, kb_put(&k, r->postcode, r->postcode_len); kb_put(&k, g2, 1));
	KEY(7, pc && f, kb_put(&k, r->postcode, r->postcode_len); kb_put(&k, r->family, 1));
	KEY(8, r->address_len >= 6, kb_put(&k, r->address, 8));
	KEY(9, r->locality_len && f, kb_put(&k, r->locality, r->locality_len); kb_put(&k, fsx, 4));
	KEY(10, g && f, kb_put(&k, fsx, 4); kb_put(&k, g2, 1));
	KEY(11, d && pc, kb_put(&k, dk, 8); kb_put(&k, r->postcode, r->pc_outward ? r->pc_outward + 1u : 2));
	KEY(12, r->nhs_ok, kb_put(&k, r->nhs, 10));
	KEY(13, r->other_len, kb_put(&k, r->other, r->other_len));
#undef KEY
}

/* ---- Blocks ------------------------------------------------------------------------------------- */

/* A block of one rule: order[start .. start+len) share a key; left records come first. */
struct run {
	uint32_t start, len; /* order[rule][start .. start + len) */
	uint32_t left;       /* link: how many of them are on side 0 */
	uint8_t rule;        /* the rule whose block it is */
	uint64_t key;        /* the block's key (side bit cleared); sampling picks blocks by it */
};

struct match_blocks {
	bool link;                  /* blocks pair left with right only */
	size_t n;                   /* records */
	uint64_t *keys;             /* n * RULES: each record's key per rule, 0 for none or an oversized block */
	uint32_t *order[RULES];     /* the records with a key, sorted by key */
	struct run *runs;           /* blocks of two or more records that make at least one pair */
	size_t n_runs;              /* how many */
	uint64_t pairs_upper;       /* sum of the blocks' pairs before removing repeats */
	uint64_t rule_pairs[RULES]; /* the same per rule */
	uint64_t skipped;           /* blocks over the cap */
};

static uint64_t run_pairs(const struct run *r, bool link)
{
	return link ? (uint64_t)r->left * (r->len - r->left) : (uint64_t)r->len * (r->len - 1) / 2;
}

void match_blocks_free(struct match_blocks *b)
{
	if (!b)
		return;
	free(b->keys);
	for (int r = 0; r < RULES; r++)
		free(b->order[r]);
	free(b->runs);
	free(b);
}

uint64_t match_blocks_rule_pairs(const struct match_blocks *b, int rule)
{
	return rule >= 0 && rule < RULES ? b->rule_pairs[rule] : 0;
}

/* The work of building the blocks, shared by the threads that do it. */
struct build {
	const struct match_set *s; /* the records */
	struct match_blocks *b;    /* the blocks being built */
	int threads;               /* threads building */
	atomic_int next_rule;      /* the next rule to sort */
	struct run *runs[RULES];   /* each rule's blocks, merged in rule order at the end */
	size_t n_runs[RULES];      /* how many */
	uint64_t skipped[RULES];   /* each rule's blocks over its cap */
	atomic_bool oom;           /* some allocation failed */
};

struct build_worker {
	struct build *bd; /* the shared work */
	int thread;       /* 0 .. threads - 1 */
};

/* Sort rule r's keys into its blocks: order[r], the rule's runs, oversized blocks' keys zeroed. */
static bool build_rule(struct build *bd, int r, struct match_keyed *v, struct match_keyed *tmp)
{
	const struct match_set *s = bd->s;
	struct match_blocks *b = bd->b;
	bool link = b->link;
	size_t m = 0, cap_runs = 0;
	for (size_t i = 0; i < s->n; i++) {
		uint64_t k = b->keys[i * RULES + r];
		if (k)
			v[m++] = (struct match_keyed){ k | (link ? s->rec[i].side : 0), (uint32_t)i };
	}
	match_radix_sort(v, tmp, m);
	b->order[r] = malloc((m ? m : 1) * sizeof *b->order[r]);
	if (!b->order[r])
		return false;
	for (size_t i = 0; i < m; i++)
		b->order[r][i] = v[i].idx;
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		uint64_t k = v[i].key & ~1ull;
		while (j < m && (v[j].key & ~1ull) == k)
			j++;
		size_t len = j - i;
		uint32_t left = 0;
		if (link)
			while (left < len && (v[i + left].key & 1) == 0)
				left++;
		struct run ru = { (uint32_t)i, (uint32_t)len, left, (uint8_t)r, k };
		if (len > rules[r].cap) {
			bd->skipped[r]++;
			for (size_t t = i; t < j; t++)
				b->keys[(size_t)v[t].idx * RULES + r] = 0;
		} else if (run_pairs(&ru, link) > 0) {
			if (bd->n_runs[r] == cap_runs) {
				size_t nc = cap_runs ? cap_runs * 2 : 1024;
				struct run *nr = realloc(bd->runs[r], nc * sizeof *nr);
				if (!nr)
					return false;
				bd->runs[r] = nr;
				cap_runs = nc;
			}
			bd->runs[r][bd->n_runs[r]++] = ru;
		}
		i = j;
	}
	return true;
}

static void *build_thread(void *arg)
{
	struct build_worker *w = arg;
	struct build *bd = w->bd;
	const struct match_set *s = bd->s;
	/* The keys of this thread's slice of the records. */
	size_t per = s->n / (size_t)bd->threads + 1;
	size_t lo = per * (size_t)w->thread, hi = lo + per < s->n ? lo + per : s->n;
	for (size_t i = lo; i < hi; i++)
		rec_keys(&s->rec[i], &bd->b->keys[i * RULES]);
	return NULL;
}

static void *sort_thread(void *arg)
{
	struct build_worker *w = arg;
	struct build *bd = w->bd;
	size_t n = bd->s->n ? bd->s->n : 1;
	struct match_keyed *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
	if (!v || !tmp) {
		atomic_store(&bd->oom, true);
	} else {
		for (int r; (r = atomic_fetch_add(&bd->next_rule, 1)) < RULES;)
			if (!build_rule(bd, r, v, tmp))
				atomic_store(&bd->oom, true);
	}
	free(v);
	free(tmp);
	return NULL;
}

/* Run fn on `threads` threads (the calling thread being one of them) and wait for them. */
static void on_threads(struct build *bd, void *(*fn)(void *))
{
	struct build_worker w[64];
	pthread_t tid[64];
	bool started[64] = { false };
	for (int t = 0; t < bd->threads; t++) {
		w[t] = (struct build_worker){ bd, t };
		started[t] = t > 0 && pthread_create(&tid[t], NULL, fn, &w[t]) == 0;
	}
	fn(&w[0]);
	for (int t = 1; t < bd->threads; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			fn(&w[t]);
	}
}

struct match_blocks *match_blocks_build(const struct match_set *s, bool link, struct match_run *run)
{
	struct match_blocks *b = calloc(1, sizeof *b);
	struct build *bd = calloc(1, sizeof *bd);
	if (!b || !bd)
		goto fail;
	b->link = link;
	b->n = s->n;
	b->keys = malloc((s->n ? s->n : 1) * RULES * sizeof *b->keys);
	if (!b->keys)
		goto fail;
	bd->s = s;
	bd->b = b;
	bd->threads = run && run->threads > 1 ? (run->threads > 64 ? 64 : run->threads) : 1;
	atomic_init(&bd->next_rule, 0);
	atomic_init(&bd->oom, false);
	on_threads(bd, build_thread);
	on_threads(bd, sort_thread);
	if (atomic_load(&bd->oom))
		goto fail;
	/* The blocks of all rules, in rule order (so the visit's slices do not depend on threads). */
	size_t total = 0;
	for (int r = 0; r < RULES; r++)
		total += bd->n_runs[r];
	b->runs = malloc((total ? total : 1) * sizeof *b->runs);
	if (!b->runs)
		goto fail;
	for (int r = 0; r < RULES; r++) {
		for (size_t i = 0; i < bd->n_runs[r]; i++) {
			uint64_t pairs = run_pairs(&bd->runs[r][i], link);
			b->pairs_upper += pairs;
			b->rule_pairs[r] += pairs;
		}
		if (bd->n_runs[r])
			memcpy(b->runs + b->n_runs, bd->runs[r], bd->n_runs[r] * sizeof *b->runs);
		b->n_runs += bd->n_runs[r];
		b->skipped += bd->skipped[r];
		free(bd->runs[r]);
	}
	free(bd);
	if (run) {
		run->blocks_skipped = b->skipped;
		run->rules = RULES;
		for (int r = 0; r < RULES && r < 16; r++)
			run->rule_pairs[r] = b->rule_pairs[r];
	}
	return b;
fail:
	if (bd)
		for (int r = 0; r < RULES; r++)
			free(bd->runs[r]);
	free(bd);
	match_blocks_free(b);
	return NULL;
}

/* ---- Visiting the pairs on threads ---------------------------------------------------------------- */

/* A slice of the runs for one thread to take. */
struct task {
	size_t first, last; /* runs [first, last) */
};

struct visit {
	const struct match_blocks *b;    /* the blocks */
	const struct match_visit *opt;   /* what to call, sampling */
	struct task *tasks;              /* slices of about equal work */
	size_t n_tasks;                  /* how many */
	atomic_size_t next;              /* the next task to take */
	atomic_uint_fast64_t upper_done; /* block pairs gone through (progress against pairs_upper) */
	atomic_int finished;             /* threads finished */
};

struct worker {
	struct visit *v; /* the shared work */
	int thread;      /* 0 .. threads - 1, passed to the callback */
};

/* True when an earlier rule than `rule` already puts records a and b in one block. */
static inline bool seen_before(const uint64_t *ka, const uint64_t *kb, int rule)
{
	for (int r = 0; r < rule; r++)
		if (ka[r] && ka[r] == kb[r])
			return true;
	return false;
}

static void *visit_thread(void *p)
{
	struct worker *w = p;
	struct visit *v = w->v;
	const struct match_blocks *b = v->b;
	const struct match_visit *o = v->opt;
	for (;;) {
		size_t t = atomic_fetch_add(&v->next, 1);
		if (t >= v->n_tasks)
			break;
		uint64_t upper = 0;
		for (size_t ri = v->tasks[t].first; ri < v->tasks[t].last; ri++) {
			const struct run *ru = &b->runs[ri];
			upper += run_pairs(ru, b->link);
			int rule = ru->rule;
			uint64_t mod = o->sample_mod[rule];
			if (mod > 1 && match_mix64(ru->key) % mod != 0)
				continue;
			const uint32_t *ord = b->order[rule] + ru->start;
			uint32_t i0 = 0, i1 = b->link ? ru->left : ru->len - 1;
			for (uint32_t i = i0; i < i1; i++) {
				const uint64_t *ka = &b->keys[(size_t)ord[i] * RULES];
				for (uint32_t j = b->link ? ru->left : i + 1; j < ru->len; j++) {
					bool first = !rule || !seen_before(ka, &b->keys[(size_t)ord[j] * RULES], rule);
					if (!first && !o->every_rule)
						continue;
					uint32_t x = ord[i], y = ord[j];
					if (!b->link && x > y) {
						uint32_t tmp = x;
						x = y;
						y = tmp;
					}
					o->fn(o->arg, w->thread, x, y, rule, first);
				}
			}
		}
		atomic_fetch_add(&v->upper_done, upper);
	}
	atomic_fetch_add(&v->finished, 1);
	return NULL;
}

int match_blocks_visit(const struct match_blocks *b, int threads, const struct match_visit *o, struct match_run *run,
		       const char *stage)
{
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;
	struct visit v = { .b = b, .opt = o };
	/* Slices of about equal work: the pairs of all blocks over (threads * 64) tasks. */
	uint64_t per = b->pairs_upper / ((uint64_t)threads * 64) + 1;
	v.tasks = malloc((b->n_runs + 1) * sizeof *v.tasks);
	if (!v.tasks)
		return -1;
	uint64_t acc = 0;
	size_t first = 0;
	for (size_t i = 0; i < b->n_runs; i++) {
		acc += run_pairs(&b->runs[i], b->link);
		if (acc >= per || i + 1 == b->n_runs) {
			v.tasks[v.n_tasks++] = (struct task){ first, i + 1 };
			first = i + 1;
			acc = 0;
		}
	}
	atomic_init(&v.next, 0);
	atomic_init(&v.upper_done, 0);
	atomic_init(&v.finished, 0);
	struct worker w[64];
	pthread_t tid[64];
	int started = 0;
	for (int t = 0; t < threads; t++) {
		w[t] = (struct worker){ &v, t };
		if (pthread_create(&tid[t], NULL, visit_thread, &w[t]) != 0)
			break;
		started++;
	}
	if (started == 0) {
		/* No thread could start: visit here. */
		w[0] = (struct worker){ &v, 0 };
		visit_thread(&w[0]);
	} else {
		while (atomic_load(&v.finished) < started) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			if (run && run->progress && stage)
				run->progress(run->progress_arg, stage, atomic_load(&v.upper_done), b->pairs_upper);
		}
		for (int t = 0; t < started; t++)
			pthread_join(tid[t], NULL);
	}
	free(v.tasks);
	return 0;
}
