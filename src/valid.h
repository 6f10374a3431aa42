/*
 * valid.h - validation and normalisation of the values safehub takes in: UK identifiers
 * (NHS number, unique pupil number), postcodes, calendar dates, RFC 3339 times and free text.
 *
 * Owns: pure functions over strings and integers. Must not touch: HTTP, SQL, jansson, the store.
 * Nothing here allocates. Every function is safe on any NUL-terminated input (including "").
 */
#ifndef SAFEHUB_VALID_H
#define SAFEHUB_VALID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A calendar date. */
struct valid_date {
	int year;  /* 1..9999 */
	int month; /* 1..12 */
	int day;   /* 1..31, valid for the month and year */
};

/*
 * valid_nhs_number - check an NHS number and write its normalised form.
 * Accepts 10 digits, optionally grouped with single spaces or hyphens as "999 123 4561" /
 * "999-123-4561" (any single space/hyphen between digits is ignored; leading and trailing
 * spaces are ignored). The check digit is the 10th: weights 10..2 over digits 1..9, sum mod 11,
 * check = 11 - remainder; 11 becomes 0; 10 means the number is invalid.
 * On success writes the 10 digits and a NUL into out[11] and returns true; on failure returns
 * false and leaves out unspecified.
 */
bool valid_nhs_number(const char *s, char out[11]);

/*
 * valid_nhs_check_digit - the check digit (0-9) for the first nine digits in `nine`
 * (exactly 9 ASCII digits), or -1 when no check digit exists (remainder gives 10) or the
 * input is not 9 digits. Used by the demo generator to make valid numbers.
 */
int valid_nhs_check_digit(const char *nine);

/*
 * valid_upn - check a unique pupil number (DfE "Unique Pupil Numbers" guidance) and write it
 * upper-cased into out[14]. A UPN is 13 characters: a check letter, then 11 digits
 * (3-digit LA number, 4-digit establishment number, 2-digit year, 2 digits of the 3-digit serial),
 * then a final character that is a digit (permanent UPN) or a letter (temporary UPN).
 * The check letter: multiply characters 2-13 by weights 2..13, where a letter in position 13
 * counts as its value in the check-letter alphabet (A=0 B=1 C=2 D=3 E=4 F=5 G=6 H=7 J=8 K=9 L=10
 * M=11 N=12 P=13 Q=14 R=15 T=16 U=17 V=18 W=19 X=20 Y=21 Z=22 — no I, O or S), sum them, take
 * the remainder mod 23, and the check letter is that alphabet's letter at the remainder.
 * Lower case is accepted. Returns true when valid.
 */
bool valid_upn(const char *s, char out[14]);

/*
 * valid_upn_check_letter - the check letter for the 12 characters after it (positions 2-13),
 * or 0 when they are not of UPN shape.
 */
char valid_upn_check_letter(const char *twelve);

/*
 * valid_postcode - check a UK postcode and write its normalised form into out[9]:
 * upper case, one space before the 3-character inward code ("sk11aa" -> "SK1 1AA",
 * "  sw1a1aa " -> "SW1A 1AA"). Outward code formats: A9, A99, AA9, AA99, A9A, AA9A; inward
 * code 9AA. Spaces anywhere are ignored on input. Also accepts the special "GIR 0AA".
 * Returns true when valid.
 */
bool valid_postcode(const char *s, char out[9]);

/*
 * valid_postcode_sector / valid_postcode_district - from a normalised postcode ("SK1 1AA"),
 * write the sector ("SK1 1") / district ("SK1") into out (cap bytes including NUL).
 * Return false when the input is not a normalised postcode or out is too small.
 */
bool valid_postcode_sector(const char *pc, char *out, size_t cap);
bool valid_postcode_district(const char *pc, char *out, size_t cap);

/*
 * valid_parse_date - parse exactly "YYYY-MM-DD" (no other characters) into *d; checks the
 * day exists (leap years per the Gregorian calendar). Returns true when valid.
 */
bool valid_parse_date(const char *s, struct valid_date *d);

/* valid_format_date - write "YYYY-MM-DD" into out[11]. */
void valid_format_date(const struct valid_date *d, char out[11]);

/* valid_days_from_civil - days since 1970-01-01 for a date (negative before). */
int64_t valid_days_from_civil(const struct valid_date *d);

/* valid_civil_from_days - the inverse of valid_days_from_civil. */
void valid_civil_from_days(int64_t days, struct valid_date *d);

/* valid_date_from_time - the UTC calendar date of a UTC time in seconds (e.g. today's from time()). */
void valid_date_from_time(int64_t utc_seconds, struct valid_date *d);

/*
 * valid_age_on - whole years of age on `on` for someone born on `dob` (a person born on
 * 29 February has their birthday on 1 March in non-leap years). Negative if on < dob.
 */
int valid_age_on(const struct valid_date *dob, const struct valid_date *on);

/*
 * valid_parse_time - parse an RFC 3339 date-time ("2026-11-24T09:30:00Z",
 * "2026-11-24T09:30:00.123+01:00"; 'T' or 't', 'Z' or 'z' or a numeric offset; fractional
 * seconds are accepted and dropped; a leap second 60 is rejected) into UTC seconds since the
 * epoch. Returns true when valid.
 */
bool valid_parse_time(const char *s, int64_t *utc_seconds);

/* valid_format_time - write UTC seconds as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void valid_format_time(int64_t utc_seconds, char out[21]);

/*
 * valid_text - check free text: valid UTF-8 (no overlongs, no surrogates), no control
 * characters except (when multiline) \n, \r and \t, and a length in characters (code points)
 * between min and max. Returns NULL when valid, otherwise a short English reason suitable
 * for an error message ("must be 100 characters or fewer", "must not be empty",
 * "contains a control character", "is not valid UTF-8"). The reason is a string constant or,
 * when it names a number, a thread-local buffer that the next valid_text call in the same
 * thread overwrites: copy it (e.g. into the error reply) before calling valid_text again.
 */
const char *valid_text(const char *s, size_t min, size_t max, bool multiline);

/*
 * valid_fold - write a search key for a name into out (cap bytes incl. NUL): lower case,
 * Latin accents removed (é -> e, ß -> ss, Ø -> o, Ł -> l, Æ -> ae ... covering Latin-1
 * Supplement and Latin Extended-A), apostrophes and hyphens removed, runs of other non
 * alphanumeric characters turned into one space, trimmed. Non-Latin characters are kept as
 * they are. Returns the length written (truncated at a character boundary when out is small).
 */
size_t valid_fold(const char *s, char *out, size_t cap);

#endif
