/*
 * match.h - probabilistic record linkage (Fellegi-Sunter), the engine behind intake search,
 * import matching and `safehub link` / `safehub dedupe`. Records are compared field by field into
 * comparison levels (exact, Jaro-Winkler bands, nickname, names swapped, date of birth one digit
 * off / day-month swapped / within a year, postcode sector / district, identifiers one digit off);
 * each level carries m and u probabilities whose log ratio is its match weight, with u estimated
 * from random pairs, m by expectation-maximisation, and a term-frequency adjustment for common
 * family names. Candidate pairs come from several blocking rules (the union of their pairs).
 * Owns: normalisation, comparisons, the model, training, blocking, scoring, clustering.
 * Must not touch: HTTP, SQL, files (callers read CSV or the store and hand records in).
 * The model and how to tune it: docs/matching.md.
 */
#ifndef SAFEHUB_MATCH_H
#define SAFEHUB_MATCH_H

#include <stddef.h>
#include <stdint.h>

/*
 * One record as callers hand it in: UTF-8 strings, NULL or "" when unknown. dob is YYYY-MM-DD
 * (callers convert other formats with match_parse_dob). address may join several columns.
 */
struct match_input {
	const char *id;
	const char *given_name;
	const char *family_name;
	const char *dob;
	const char *sex;
	const char *postcode;
	const char *address;
	const char *locality;
	const char *nhs_number;
	const char *other_id;
};

/* Why a pair scored as it did: one line per compared field, e.g. "family name similar (0.94)". */
#define MATCH_REASON_MAX 12
struct match_reason {
	char field[24];       /* "given_name", "family_name", "dob", "postcode", ... */
	char level[32];       /* "exact", "jw_high", "nickname", "swapped_day_month", "absent", ... */
	char text[96];        /* for people: "date of birth day/month swapped" */
	double weight;        /* log2 Bayes factor this field contributed */
};
struct match_explain {
	int n;
	struct match_reason r[MATCH_REASON_MAX];
};

struct match_model;

/*
 * match_model_default - a model with fixed, documented m and u values that work without training
 * (intake search, small imports). Static storage; never freed.
 */
const struct match_model *match_model_default(void);

/*
 * match_score - the match probability (0..1) of records a and b under model m; ex (may be NULL)
 * gets the per-field reasons. Pure and thread-safe.
 */
double match_score(const struct match_model *m, const struct match_input *a, const struct match_input *b,
		   struct match_explain *ex);
/*
 * More on match_score: m NULL means the default model. Values are normalised first (names to
 * lower-case letters without accents or punctuation, postcodes and identifiers to letters and
 * digits; dob in any form match_parse_dob reads; sex "m"/"male"/"boy" or "f"/"female"/"girl",
 * anything else unknown). ex lists, in field order, only the fields present on both records;
 * its weights plus the model's prior (1 in 16,384 for the default model) are the log2 odds the
 * probability comes from. The home's fields (postcode, address, locality) count once: only the
 * strongest agreement and the strongest disagreement among them carry weight, the others show 0.
 */

/*
 * match_parse_dob - normalise a date of birth given as YYYYMMDD, YYYY-MM-DD or DD/MM/YYYY (spaces
 * trimmed) into out (YYYY-MM-DD, 11 bytes). Returns 0, or -1 when it is none of those or not a real
 * date (out is then "").
 */
int match_parse_dob(const char *in, char out[11]);

/* ---- Comparison primitives (the tests and the tuning notes use them directly) ----------------- */

/*
 * match_jaro_winkler - the Jaro-Winkler similarity (0..1) of a and b, byte by byte (fold case
 * first if it should not count). Jaro: characters match when equal and no further apart than
 * max(len)/2 - 1, each used once; t is half the matched characters that are out of order;
 * jaro = (m/|a| + m/|b| + (m - t)/m) / 3. Winkler: when jaro > 0.7, add 0.1 * l * (1 - jaro) for
 * the l (at most 4) characters of common prefix. 0 when either is empty or NULL. Only the first 64
 * bytes of each are compared. MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
 */
double match_jaro_winkler(const char *a, const char *b);

/*
 * match_nickname - 1 when given names a and b (any case, accents ignored, first word only) are
 * different forms of one name in the engine's table (match_names.c): spelling variants
 * ("Kayley" ~ "Kayleigh") or a name and its short forms ("Bill" ~ "William"); 0 otherwise,
 * including when they are the same.
 */
int match_nickname(const char *a, const char *b);

/*
 * match_nhs_number_valid - 1 when s (spaces and hyphens ignored) is 10 digits whose tenth is
 * the modulus 11 check digit of the first nine (weights 10..2; 11 - sum mod 11, 11 -> 0, 10 ->
 * no valid number), else 0. A single mistyped digit or two swapped neighbours always fail it,
 * which is why an NHS number one digit off a valid one counts as a typing error.
 */
int match_nhs_number_valid(const char *s);

/* ---- Bulk linkage: safehub link / safehub dedupe ------------------------------------------------ */

/* Records normalised for comparison, owned by the caller (match_set_free). */
struct match_set;

/* match_set_new - an empty set. NULL when out of memory. */
struct match_set *match_set_new(void);

/* match_set_free - free the set and everything it holds. NULL is fine. */
void match_set_free(struct match_set *s);

/*
 * match_set_add - normalise `in` (dob may be any form match_parse_dob reads; one that has such a
 * shape but is not a real date is compared digit by digit) and append it on side 0 (left, or the
 * only file) or 1 (right). The id is copied. Returns 0, or -1 when out of memory or past
 * 4,294,967,295 records.
 */
int match_set_add(struct match_set *s, const struct match_input *in, int side);

/* match_set_size - how many records. match_set_id - the id of record i (valid until freed). */
size_t match_set_size(const struct match_set *s);
const char *match_set_id(const struct match_set *s, size_t i);

/* match_set_dob_not_date - records whose date of birth had a date's shape but is no real date. */
size_t match_set_dob_not_date(const struct match_set *s);

/* Options of a bulk run (set by the caller) and what happened (filled in by the engine). */
struct match_run {
	int link;                 /* 1: only pairs of a side-0 and a side-1 record; 0: every pair */
	int threads;              /* threads for comparing (1..64) */
	double threshold;         /* pairs scoring at or above this probability are kept */
	uint64_t seed;            /* of the random pairs that estimate u */
	/* Called on the calling thread a few times a second during long stages; may be NULL. */
	void (*progress)(void *arg, const char *stage, uint64_t done, uint64_t total);
	void *progress_arg;

	uint64_t random_pairs;    /* match_train: random pairs compared to estimate u */
	uint64_t em_pairs;        /* match_train: candidate pairs EM was run on */
	double em_compare_cpu_seconds; /* match_train: CPU time comparing them (every field, no early exit) */
	double u_seconds;         /* match_train: wall time of the value counts and random pairs */
	double block_seconds;     /* match_train or match_pairs: wall time building the blocks */
	double em_seconds;        /* match_train: wall time of EM (sampling the pairs and the sessions) */
	int em_sessions;          /* match_train: EM sessions run (0: too few pairs; the default m and prior) */
	int em_iterations;        /* match_train: EM iterations run */
	int em_converged;         /* match_train: 1 when the parameters stopped moving (< 1e-6) */
	double em_match_share;    /* match_train: share of those pairs EM judged one person */
	double expected_matches;  /* match_train: matching pairs expected among all candidate pairs */
	uint64_t candidate_pairs; /* blocking: pairs the rules propose (union) */
	uint64_t blocks_skipped;  /* blocking: blocks over the size cap left to the other rules */
	uint64_t rule_pairs[16];  /* blocking: the pairs each rule proposes (docs/matching.md lists them) */
	int rules;                /* blocking: how many rules there are */
	uint64_t pairs_compared;  /* match_pairs: pairs compared and scored */
	uint64_t pairs_kept;      /* match_pairs: pairs at or above the threshold */
	double compare_seconds;   /* match_pairs: wall time of comparing and scoring */
	double compare_cpu_seconds; /* match_pairs: CPU time the threads spent on it (all cores) */
};

/*
 * match_train - estimate a model from the set: term frequencies of family names (the set's own),
 * u from random pairs and value frequencies, m and the match share by EM over a sample of the
 * candidate pairs (blocking), then u corrected for the true matches the random pairs held.
 * When no blocking rule has enough pairs for EM (a small file), the model keeps the default m,
 * prior and surname frequencies, with u blended from the data and the default (em_sessions 0).
 * Fills run's training fields. The set's records get their name frequencies (so train before
 * match_pairs). Returns a model to free with match_model_free, or NULL when out of memory.
 */
struct match_model *match_train(struct match_set *s, struct match_run *run);

/* match_model_free - free a trained model. NULL and the default model are fine (nothing done). */
void match_model_free(struct match_model *m);

/* One comparison level of a model, for printing it. */
struct match_level_info {
	const char *field;        /* "given_name" */
	const char *level;        /* "jw_high" */
	double m, u;              /* P(level | same person), P(level | different persons) */
	double weight;            /* log2(m / u) */
};

/*
 * match_model_levels - up to cap levels of m into out, field by field; returns how many exist
 * (may exceed cap). *prior_log2 (may be NULL) gets the log2 prior odds.
 */
int match_model_levels(const struct match_model *m, struct match_level_info *out, int cap, double *prior_log2);

/* match_blocking_rule - what blocking rule r's key is made of, in words; NULL past the last. */
const char *match_blocking_rule(int rule);

/* A candidate pair and its match probability: record indexes, a < b (a link run: a is the left one). */
struct match_pair {
	uint32_t a, b; /* the records' indexes in the set */
	float p;       /* the match probability */
};

/*
 * match_pairs - every candidate pair (the union of the blocking rules' pairs; for a link run
 * only left-right pairs) scored under m, keeping those at or above run->threshold, sorted by
 * (a, b). *out is malloc'd (the caller frees it), *n its length. Uses run->threads threads.
 * Fills run's blocking and scoring fields. Returns 0, or -1 when out of memory.
 */
int match_pairs(const struct match_model *m, struct match_set *s, struct match_run *run, struct match_pair **out,
		size_t *n);

/*
 * match_cluster - connected components of n records joined by the np pairs: cluster[i] gets the
 * smallest record index in i's component (so a record alone is its own cluster). cluster has
 * room for n. Returns 0.
 */
int match_cluster(size_t n, const struct match_pair *p, size_t np, uint32_t *cluster);

#endif
