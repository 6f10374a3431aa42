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
 * match_parse_dob - normalise a date of birth given as YYYYMMDD, YYYY-MM-DD or DD/MM/YYYY (spaces
 * trimmed) into out (YYYY-MM-DD, 11 bytes). Returns 0, or -1 when it is none of those or not a real
 * date (out is then "").
 */
int match_parse_dob(const char *in, char out[11]);

#endif
