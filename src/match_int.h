/*
 * match_int.h - what the files of the match engine share and nobody else sees: the normalised
 * record, the fields and their comparison levels, the model's layout, the record set, and the
 * helpers each file offers the others (match.c: normalising and comparing; match_names.c: the
 * nickname and common-surname tables; match_model.c: training; match_block.c: blocking and
 * scoring in threads; match_cluster.c: connected components).
 * Owns: the engine's internal types. Must not touch: HTTP, SQL, files. Not included outside
 * src/match*.c.
 */
#ifndef SAFEHUB_MATCH_INT_H
#define SAFEHUB_MATCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match.h"

/* The compared fields, in the order reasons are listed. */
enum mf {
	MF_GIVEN,
	MF_FAMILY,
	MF_DOB,
	MF_SEX,
	MF_POSTCODE,
	MF_ADDRESS,
	MF_LOCALITY,
	MF_NHS,
	MF_OTHER,
	MF_N
};

#define ML_MAX 8      /* comparison levels per field at most */
#define ML_ABSENT 15  /* a field missing on either record: no evidence either way */

/* The levels of each field; the numbers are indexes into the model's m/u tables. */
enum { GIVEN_EXACT, GIVEN_SWAPPED, GIVEN_NICKNAME, GIVEN_JW_HIGH, GIVEN_JW_MID, GIVEN_JW_LOW, GIVEN_INITIAL,
       GIVEN_DIFFERENT, GIVEN_N };
enum { FAMILY_EXACT, FAMILY_SWAPPED, FAMILY_JW_HIGH, FAMILY_JW_MID, FAMILY_JW_LOW, FAMILY_DIFFERENT, FAMILY_N };
enum { DOB_EXACT, DOB_SWAPPED, DOB_ONE_DIGIT, DOB_WITHIN_YEAR, DOB_DIFFERENT, DOB_N };
enum { SEX_EXACT, SEX_DIFFERENT, SEX_N };
enum { PC_EXACT, PC_SECTOR, PC_DISTRICT, PC_ONE_CHAR, PC_DIFFERENT, PC_N };
enum { ADDR_EXACT, ADDR_JW_HIGH, ADDR_JW_MID, ADDR_JW_LOW, ADDR_DIFFERENT, ADDR_N };
enum { LOC_EXACT, LOC_JW_HIGH, LOC_DIFFERENT, LOC_N };
enum { NHS_EXACT, NHS_ONE_DIGIT, NHS_DIFFERENT, NHS_N };
enum { OTHER_EXACT, OTHER_ONE_CHAR, OTHER_DIFFERENT, OTHER_N };

/* Jaro-Winkler bands (inclusive lower bounds). */
#define JW_HIGH 0.92
#define JW_MID 0.88
#define JW_LOW 0.75
#define ADDR_JW_HIGH_MIN 0.95
#define ADDR_JW_MID_MIN 0.88
#define ADDR_JW_LOW_MIN 0.80
#define LOC_JW_HIGH_MIN 0.90

/* Field capacities of the normalised record (longer values are cut; comparisons stay sound). */
#define MR_NAME 24
#define MR_ADDR 56
#define MR_LOC 24
#define MR_PC 8
#define MR_ID 16
#define MR_NICK 6

/*
 * One record normalised for comparison. Names are folded to lower-case ASCII letters (accents
 * dropped, spaces, hyphens and apostrophes removed); address and locality to lower-case letters
 * and digits separated by single spaces; postcode to upper-case letters and digits; identifiers
 * to their letters and digits. A length of 0 means absent.
 */
struct match_rec {
	char given[MR_NAME];        /* "kayleigh" */
	char family[MR_NAME];       /* "smyth" */
	char address[MR_ADDR];      /* "12 larch grove" */
	char locality[MR_LOC];      /* "stockport" */
	char postcode[MR_PC];       /* "SK42QT" */
	char nhs[12];               /* 10 digits, or "" when not 10 digits */
	char other[MR_ID];          /* upper case letters and digits */
	char dob[8];                /* YYYYMMDD digits (not always a real date); dob_ok says present */
	uint8_t given_len, family_len, address_len, locality_len, postcode_len, other_len;
	uint8_t pc_outward;         /* length of the UK outward code ("SK4" -> 3), 0: not a UK shape */
	uint8_t nhs_ok;             /* 1: nhs holds 10 digits */
	uint8_t nhs_valid;          /* 1: and its check digit is right */
	uint8_t dob_ok;             /* 1: dob holds 8 digits */
	uint8_t side;               /* 0 left (or the only file), 1 right */
	char sex;                   /* 'm', 'f' or 0 */
	uint8_t n_nick;             /* nickname groups the given name belongs to */
	uint16_t nick[MR_NICK];     /* their numbers, ascending */
	int32_t dob_day;            /* days since 0000-03-01 when dob is a real date, else -1 */
	float family_lp;            /* log2 of the family name's frequency, 0 when unknown */
	float full_lp;              /* log2 of the frequency of given + family name together, 0 when unknown */
};

/* The model: m and u per level, their log2 ratios, and the prior. */
struct match_model {
	double m[MF_N][ML_MAX];     /* P(level | same person) */
	double u[MF_N][ML_MAX];     /* P(level | different persons) */
	float w[MF_N][ML_MAX];      /* log2(m / u) */
	float maxw[MF_N];           /* the largest weight of each field (term frequency included) */
	double prior_log2;          /* log2 of the prior odds that a compared pair is one person */
	double family_u_exact_log2; /* log2 u of an exact family name: the term-frequency baseline */
	double names_u_exact_log2;  /* log2 of u(given exact) * u(family exact): the full-name baseline */
	bool tf_raise;              /* a rare name may raise the weight (trained), not only lower it */
	bool is_static;             /* the default model: never freed */
};

struct match_blocks;

/* The record set of the bulk commands (match.h). */
struct match_set {
	struct match_rec *rec;      /* n records */
	size_t n, cap;
	uint64_t *id_off;           /* offset of each id in ids */
	char *ids;                  /* the ids, NUL-terminated, one after another */
	size_t ids_len, ids_cap;
	size_t side_n[2];           /* records per side */
	size_t dob_not_date;        /* dates of birth compared as digits only (not a real date) */
	struct match_blocks *blocks; /* built on first use by match_train or match_pairs */
	bool blocks_link;           /* the blocks were built for a link run */
};

/* match.c */
/* How many levels each field has. */
extern const int match_levels_n[MF_N];
/* The code of a field's level ("exact", "jw_high", ...; "absent" for ML_ABSENT; "" if no such level). */
const char *match_level_code(int field, int level);
/*
 * match_rec_make - normalise `in` into *r (every member set; see struct match_rec): names
 * folded, the given name's nickname groups looked up, the family name's share from the
 * surname table (a trained model replaces it), postcode outward code found, NHS number and its
 * check digit, date of birth read leniently (shape, not calendar), sex read. side is 0.
 */
void match_rec_make(struct match_rec *r, const struct match_input *in);
/*
 * match_compare_recs - the comparison level of every field of a pair into lv (ML_ABSENT when
 * missing on either side); sim (may be NULL) gets the similarity behind a name, address or
 * locality level. Pure; the hot loop of the bulk commands.
 */
void match_compare_recs(const struct match_rec *a, const struct match_rec *b, uint8_t lv[MF_N], float *sim);
/* True for the location fields (postcode, address, locality), whose evidence is counted once. */
bool match_in_location(int f);
/*
 * match_weights - the log2 odds that the pair (levels lv, a the first record) is one person:
 * the prior plus each field's weight (the family name's with its term-frequency adjustment),
 * except that of the location fields only the strongest agreement and the strongest
 * disagreement count. out (may be NULL) gets what each field contributed (0 when not counted).
 */
double match_weights(const struct match_model *m, const struct match_rec *a, const uint8_t lv[MF_N], double out[MF_N]);
/*
 * match_score_at_least - true when the pair's log2 odds (match_weights) reach min_log2, with
 * them in *w; false as soon as the best the remaining fields could add falls short (the cheap
 * fields are compared first, the names next, the address last), so most pairs of different
 * people cost no string comparison at all. Same answer as comparing everything.
 */
bool match_score_at_least(const struct match_model *m, const struct match_rec *a, const struct match_rec *b,
			  double min_log2, double *w);
/* match_jaro_winkler on a[0..la) and b[0..lb) (at most 64 bytes of each are compared). */
double match_jw_len(const char *a, int la, const char *b, int lb);
/*
 * match_model_finish - fill a model's derived members from its m and u: w = log2(m / u) (both
 * floored at 1e-12), maxw per field (plus 6 for the family name when tf_raise), and the
 * term-frequency baselines family_u_exact_log2 and names_u_exact_log2.
 */
void match_model_finish(struct match_model *m);

/* match_names.c */
/* The nickname groups of the folded given name (first word), ascending; returns how many. */
int match_nick_groups(const char *folded, int len, uint16_t out[MR_NICK]);
/* The canonical (display-free) name of a nickname group, for blocking keys. */
const char *match_nick_group_name(uint16_t g);
/* log2 of the share of people with this folded family name in England and Wales, 0 if not listed. */
float match_surname_lp(const char *folded, int len);

/* match_block.c */
/* A deterministic 64-bit mix (splitmix64 finaliser). */
static inline uint64_t match_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}
/* FNV-1a then mixed: the hash of len bytes, never 0 for len > 0. */
uint64_t match_hash(const void *p, size_t len, uint64_t seed);

/* A key and the record it came from, sorted by key (radix sort). */
struct match_keyed {
	uint64_t key; /* the sort key */
	uint32_t idx; /* the record's index in the set */
};
/* Sort v[0..n) by key; tmp has room for n. */
void match_radix_sort(struct match_keyed *v, struct match_keyed *tmp, size_t n);

/* Blocking: the candidate pairs, visited by threads. */
#define MATCH_RULES 14
struct match_blocks;
/* Build the blocks of the set (link: blocks pair left with right only). NULL when out of memory. */
struct match_blocks *match_blocks_build(const struct match_set *s, bool link, struct match_run *run);
/* Free the blocks. NULL is fine. */
void match_blocks_free(struct match_blocks *b);
/* The pairs of rule r's blocks (a pair in the blocks of several rules counts in each). */
uint64_t match_blocks_rule_pairs(const struct match_blocks *b, int rule);
/* The fields rule r's key is made of (bit f for field f): agreement on them is how its pairs were found. */
uint32_t match_rule_fields(int rule);

/* How to visit the candidate pairs. */
struct match_visit {
	bool every_rule;                   /* visit each rule's pairs, also those an earlier rule has */
	uint64_t sample_mod[MATCH_RULES];  /* per rule, > 1: one block in sample_mod (by a hash of its key); else all */
	/* Called for each pair: a < b (link: a is on the left); rule: the rule whose block it is in;
	   first: no earlier rule puts the two in one block (so each candidate pair is first once). */
	void (*fn)(void *arg, int thread, uint32_t a, uint32_t b, int rule, bool first);
	void *arg;                         /* handed to fn */
};
/*
 * match_blocks_visit - call v->fn for the candidate pairs on `threads` threads (the calling
 * thread reports progress through run->progress under `stage`). Without every_rule each
 * candidate pair is visited once (the union of the rules' pairs). Returns 0 or -1 (no memory).
 */
int match_blocks_visit(const struct match_blocks *b, int threads, const struct match_visit *v, struct match_run *run,
		       const char *stage);

/* match_model.c uses these from match_block.c; match_cluster.c stands alone. */

#endif
