/*
 * fake.h - a deterministic generator of FICTIONAL people for `safehub demo`, tests and
 * benchmarks. Nobody it makes is real: names are drawn at random from lists of common UK given
 * and family names, addresses are on made-up streets with postcodes in real outward districts
 * of Greater Manchester but not checked against real addresses, NHS numbers come from the
 * 999 000 0000 - 999 999 9999 range that the NHS never issues (and have valid check digits),
 * and phone numbers come from Ofcom's drama ranges (07700 900000 - 07700 900999).
 *
 * Owns: the name lists (with nicknames and spelling variants), the random number generator,
 * the fields of one fictional person. Must not touch: SQL, HTTP, jansson, the store.
 * Nothing here allocates; the same seed always gives the same sequence of people.
 */
#ifndef SAFEHUB_FAKE_H
#define SAFEHUB_FAKE_H

#include <stdbool.h>
#include <stdint.h>

/* The generator state (xoshiro256** or similar; seeded through splitmix64). */
struct fake_rng {
	uint64_t s[4]; /* state words; never all zero */
};

/* fake_seed - seed rng from a 64-bit seed (any value, 0 included). */
void fake_seed(struct fake_rng *rng, uint64_t seed);

/* fake_next - the next 64 random bits. */
uint64_t fake_next(struct fake_rng *rng);

/* fake_below - a uniform integer in [0, n) (n > 0), without modulo bias. */
uint64_t fake_below(struct fake_rng *rng, uint64_t n);

/* One fictional person. Every string is NUL-terminated; "" means absent. */
struct fake_person {
	char given_name[40];    /* e.g. "Kayleigh" */
	char family_name[40];   /* e.g. "Smyth" */
	char aliases[3][80];    /* up to 3: a nickname ("Kay"), a spelling variant ("Kayley Smith"), ... */
	int alias_count;        /* 0..3 */
	char dob[11];           /* "YYYY-MM-DD" */
	bool dob_estimated;     /* true for a few (about 2%) */
	char sex[8];            /* "female", "male" or (rarely) "unknown" */
	char ethnicity[5];      /* a CIN census ethnicity code, weighted roughly like an English city */
	char nhs_number[11];    /* 10 digits from the 999 range with a valid check digit; "" for ~10% */
	char upn[14];           /* a valid UPN for most under-19s; "" otherwise */
	char police_ref[24];    /* "" for most; e.g. "GMP/23/004512" for ~20% */
	char la_id[16];         /* "LA-" + 7 digits, for most */
	char line1[64];         /* "12 Larch Grove" */
	char town[32];          /* "Stockport", "Manchester", ... */
	char postcode[9];       /* normalised, e.g. "SK4 2QT" */
	char phone[16];         /* "07700 900123" or "" */
};

/*
 * fake_person - fill *p with the next fictional person. `today` is the date ages are reckoned
 * from ("YYYY-MM-DD"); `child_share` (0..100) is the percentage to make aged 9-17, the rest
 * being young adults 18-25 and a few older adults at risk. Girls are about two thirds of the
 * children, as in the seeds' cohorts.
 */
void fake_person(struct fake_rng *rng, const char *today, int child_share, struct fake_person *p);

/*
 * fake_nickname - a common nickname or short form for a given name ("Kayleigh" -> "Kay",
 * "William" -> "Billy"), or NULL when the list has none. The pointer is to static storage.
 */
const char *fake_nickname(const char *given_name, struct fake_rng *rng);

#endif
