/*
 * demo_extract.c - `safehub demo extract --out DIR [--persons N] [--seed S]` (cmd.h): a noisy
 * multi-agency extract of a FICTIONAL population, for testing and benchmarking record linkage
 * (`safehub link`, `safehub dedupe`, imports) against a known truth.
 *
 * The population is the one `safehub demo --persons N --seed S` makes (fake.c, drawn in the
 * same order with the same draws, ages reckoned from today's UTC date), so the same seed on the
 * same day gives the same files. Each person appears in some of four agency files (a police
 * force, schools, health, children's social care) and now and then twice in one, each
 * appearance written with that agency's habits (its date format, upper-case surnames at the
 * police, which identifiers it holds) and with errors drawn independently per row from a
 * generator of its own, so the population does not depend on them:
 *   nickname          a nickname or short form for the given name ("Kayleigh" -> "Kay")
 *   typo_given        a typing error in the given name (a letter changed, lost, doubled or two swapped)
 *   typo_family       the same in the family name
 *   names_swapped     given and family name written the other way round
 *   family_changed    another family name the person goes by (one of their aliases)
 *   dob_swapped       day and month of the date of birth swapped (07/03 for 03/07)
 *   dob_digit         one digit of the date of birth wrong (still a real date)
 *   dob_missing       no date of birth
 *   sex_missing       no sex recorded
 *   moved             another address, postcode and town (the person moved)
 *   postcode_missing  no postcode
 *   address_missing   no address line
 *   nhs_digit         one digit of the NHS number wrong
 *   other_id_digit    one digit of the other identifier (the LA person id) wrong
 *   nhs_missing       the NHS number left out by an agency that usually holds it
 *   duplicate         a second row for the same person in the same agency file
 *
 * Files in DIR: police.csv, school.csv, health.csv, social_care.csv, all.csv (every agency row,
 * for dedupe) with the columns id, agency, given_name, family_name, dob, sex, postcode, address,
 * locality, nhs_number, other_id, true_id, errors (the kinds above applied to the row, joined
 * by ';'); and truth.csv, the population as generated (true_id and the clean fields). id is
 * unique across all files; true_id is the person's 1-based place in the population.
 *
 * Owns: the agencies' habits and the error model. Must not touch: the store, HTTP, the
 * generator's lists (fake.c owns names and nicknames).
 */
#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fake.h"
#include "valid.h"

#define EXTRACT_PERSONS_DEFAULT 10000L
#define EXTRACT_PERSONS_MAX 5000000L
#define EXTRACT_BUFFER (1 << 20)      /* stdio buffer per output file */

static const char USAGE[] = "usage: safehub demo extract --out DIR [--persons N] [--seed S]\n";

/* The kinds of error, in the order of the summary. */
enum err_kind {
	E_NICKNAME, E_TYPO_GIVEN, E_TYPO_FAMILY, E_NAMES_SWAPPED, E_FAMILY_CHANGED, E_DOB_SWAPPED, E_DOB_DIGIT,
	E_DOB_MISSING, E_SEX_MISSING, E_MOVED, E_POSTCODE_MISSING, E_ADDRESS_MISSING, E_NHS_DIGIT, E_OTHER_ID_DIGIT,
	E_NHS_MISSING, E_DUPLICATE, E_KINDS
};
static const char *const err_names[E_KINDS] = {
	"nickname", "typo_given", "typo_family", "names_swapped", "family_changed", "dob_swapped", "dob_digit",
	"dob_missing", "sex_missing", "moved", "postcode_missing", "address_missing", "nhs_digit", "other_id_digit",
	"nhs_missing", "duplicate",
};

/* Date formats the agencies write. */
enum dob_format { DOB_ISO, DOB_DMY, DOB_COMPACT };

/* An agency: who holds the person, what it records, how carefully (rates per thousand rows). */
struct agency {
	const char *name;          /* file name without .csv, and the agency column */
	const char *prefix;        /* of the row ids: "POL-000001" */
	enum dob_format dob;
	unsigned child_share;      /* chance a child (under 19) is on its books */
	unsigned adult_share;      /* chance an adult is */
	unsigned nhs_held;         /* chance it records the NHS number when there is one */
	unsigned other_held;       /* chance it records the LA person id when there is one */
	unsigned upper_family;     /* chance the family name is written in capitals */
	unsigned duplicate;        /* chance of a second row for the same person */
	unsigned rate[E_KINDS];    /* chance of each error (E_DUPLICATE unused here) */
};

/* Rates per thousand rows: the police record from what they are told, health from the NHS spine. */
static const struct agency agencies[] = {
	{ "police", "POL", DOB_DMY, 350, 300, 100, 80, 600, 25,
	  { [E_NICKNAME] = 120, [E_TYPO_GIVEN] = 50, [E_TYPO_FAMILY] = 70, [E_NAMES_SWAPPED] = 25,
	    [E_FAMILY_CHANGED] = 30, [E_DOB_SWAPPED] = 50, [E_DOB_DIGIT] = 40, [E_DOB_MISSING] = 50,
	    [E_SEX_MISSING] = 30, [E_MOVED] = 120, [E_POSTCODE_MISSING] = 60, [E_ADDRESS_MISSING] = 60,
	    [E_NHS_DIGIT] = 30, [E_OTHER_ID_DIGIT] = 30, [E_NHS_MISSING] = 0 } },
	{ "school", "SCH", DOB_ISO, 850, 20, 200, 500, 0, 15,
	  { [E_NICKNAME] = 80, [E_TYPO_GIVEN] = 25, [E_TYPO_FAMILY] = 30, [E_NAMES_SWAPPED] = 5,
	    [E_FAMILY_CHANGED] = 40, [E_DOB_SWAPPED] = 15, [E_DOB_DIGIT] = 10, [E_DOB_MISSING] = 5,
	    [E_SEX_MISSING] = 10, [E_MOVED] = 80, [E_POSTCODE_MISSING] = 20, [E_ADDRESS_MISSING] = 20,
	    [E_NHS_DIGIT] = 20, [E_OTHER_ID_DIGIT] = 20, [E_NHS_MISSING] = 0 } },
	{ "health", "HLT", DOB_COMPACT, 700, 650, 1000, 0, 0, 20,
	  { [E_NICKNAME] = 20, [E_TYPO_GIVEN] = 15, [E_TYPO_FAMILY] = 25, [E_NAMES_SWAPPED] = 5,
	    [E_FAMILY_CHANGED] = 20, [E_DOB_SWAPPED] = 10, [E_DOB_DIGIT] = 10, [E_DOB_MISSING] = 5,
	    [E_SEX_MISSING] = 5, [E_MOVED] = 100, [E_POSTCODE_MISSING] = 15, [E_ADDRESS_MISSING] = 15,
	    [E_NHS_DIGIT] = 10, [E_OTHER_ID_DIGIT] = 0, [E_NHS_MISSING] = 40 } },
	{ "social_care", "CSC", DOB_ISO, 450, 400, 600, 950, 0, 30,
	  { [E_NICKNAME] = 60, [E_TYPO_GIVEN] = 30, [E_TYPO_FAMILY] = 40, [E_NAMES_SWAPPED] = 10,
	    [E_FAMILY_CHANGED] = 40, [E_DOB_SWAPPED] = 20, [E_DOB_DIGIT] = 15, [E_DOB_MISSING] = 20,
	    [E_SEX_MISSING] = 10, [E_MOVED] = 100, [E_POSTCODE_MISSING] = 30, [E_ADDRESS_MISSING] = 30,
	    [E_NHS_DIGIT] = 20, [E_OTHER_ID_DIGIT] = 15, [E_NHS_MISSING] = 0 } },
};
#define N_AGENCIES (sizeof agencies / sizeof agencies[0])

static const char HEADER[] =
	"id,agency,given_name,family_name,dob,sex,postcode,address,locality,nhs_number,other_id,true_id,errors\n";
static const char TRUTH_HEADER[] =
	"true_id,given_name,family_name,dob,sex,postcode,address,locality,nhs_number,other_id\n";

/* One row as written. Strings are "" when absent. */
struct row {
	char given[80];
	char family[80];
	char dob[11];          /* YYYY-MM-DD until formatted */
	char sex[8];
	char postcode[9];
	char address[64];
	char locality[32];
	char nhs[11];
	char other[16];
	unsigned errors;       /* bit per enum err_kind */
};

static bool chance(struct fake_rng *r, unsigned per_mille)
{
	return per_mille && fake_below(r, 1000) < per_mille;
}

/* Write one CSV field, quoted when it holds a comma, a quote, a line break or edge spaces. */
static void put_field(FILE *f, const char *s, bool last)
{
	bool quote = s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ') || strpbrk(s, ",\"\r\n");
	if (!quote) {
		fputs(s, f);
	} else {
		putc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				putc('"', f);
			putc(*s, f);
		}
		putc('"', f);
	}
	putc(last ? '\n' : ',', f);
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * A typing error in an ASCII name of 3+ letters: a letter changed, lost, doubled, or two
 * neighbours swapped, never at the first letter (people get that right). Names with other
 * characters at the chosen place are left alone; returns whether s changed.
 */
static bool typo(struct fake_rng *r, char *s, size_t cap)
{
	size_t len = strlen(s);
	if (len < 3 || len + 2 > cap)
		return false;
	size_t at = 1 + (size_t)fake_below(r, len - 1);
	if (!is_letter(s[at]))
		return false;
	char before[80];
	snprintf(before, sizeof before, "%s", s);
	switch (fake_below(r, 4)) {
	case 0: { /* changed */
		char c = (char)('a' + fake_below(r, 26));
		if (c == s[at])
			c = c == 'z' ? 'a' : (char)(c + 1);
		s[at] = c;
		break;
	}
	case 1: /* lost */
		if (len < 4)
			return false;
		memmove(s + at, s + at + 1, len - at);
		break;
	case 2: /* doubled */
		memmove(s + at + 1, s + at, len - at + 1);
		break;
	default: /* swapped with the letter before it */
		if (at < 2 || !is_letter(s[at - 1]) || s[at - 1] == s[at])
			return false;
		char t = s[at];
		s[at] = s[at - 1];
		s[at - 1] = t;
		break;
	}
	return strcmp(before, s) != 0;
}

/* One digit of a digit string changed (ids, NHS numbers). Returns whether it changed. */
static bool digit_off(struct fake_rng *r, char *s)
{
	size_t n = 0, pos[32];
	for (size_t i = 0; s[i] && n < 32; i++)
		if (s[i] >= '0' && s[i] <= '9')
			pos[n++] = i;
	if (!n)
		return false;
	size_t at = pos[fake_below(r, n)];
	s[at] = (char)('0' + (s[at] - '0' + 1 + (int)fake_below(r, 9)) % 10);
	return true;
}

/* One digit of a YYYY-MM-DD date changed so that it is still a real, different date. */
static bool dob_digit(struct fake_rng *r, char dob[11])
{
	static const int places[] = { 2, 3, 5, 6, 8, 9 }; /* decade, year, month, day digits */
	for (int attempt = 0; attempt < 12; attempt++) {
		char t[11];
		memcpy(t, dob, 11);
		int at = places[fake_below(r, sizeof places / sizeof places[0])];
		t[at] = (char)('0' + (t[at] - '0' + 1 + (int)fake_below(r, 9)) % 10);
		struct valid_date d;
		if (valid_parse_date(t, &d) && d.year >= 1900 && strcmp(t, dob) != 0) {
			memcpy(dob, t, 11);
			return true;
		}
	}
	return false;
}

/* Day and month swapped, when that is another real date. */
static bool dob_swap(char dob[11])
{
	struct valid_date d;
	if (!valid_parse_date(dob, &d) || d.day > 12 || d.day == d.month)
		return false;
	struct valid_date s = { d.year, d.day, d.month };
	valid_format_date(&s, dob);
	return true;
}

/* An alias of p with a family name other than p's ("Kayleigh Jones"), or NULL. */
static const char *other_family(const struct fake_person *p)
{
	size_t glen = strlen(p->given_name);
	for (int i = 0; i < p->alias_count; i++) {
		const char *a = p->aliases[i];
		if (strncmp(a, p->given_name, glen) == 0 && a[glen] == ' ' && !strchr(a + glen + 1, ' ') &&
		    strcmp(a + glen + 1, p->family_name) != 0)
			return a + glen + 1;
	}
	return NULL;
}

/* Copy a string, cut to fit. */
static void set(char *out, size_t cap, const char *s)
{
	snprintf(out, cap, "%s", s);
}

/* The row an agency writes about person p, with its errors drawn from r. */
static void make_row(struct fake_rng *r, const struct agency *a, const struct fake_person *p, const char *today,
		     struct row *w)
{
	memset(w, 0, sizeof *w);
	set(w->given, sizeof w->given, p->given_name);
	set(w->family, sizeof w->family, p->family_name);
	set(w->dob, sizeof w->dob, p->dob);
	set(w->sex, sizeof w->sex, p->sex);
	set(w->postcode, sizeof w->postcode, p->postcode);
	set(w->address, sizeof w->address, p->line1);
	set(w->locality, sizeof w->locality, p->town);
	if (p->nhs_number[0] && chance(r, a->nhs_held))
		set(w->nhs, sizeof w->nhs, p->nhs_number);
	if (p->la_id[0] && chance(r, a->other_held))
		set(w->other, sizeof w->other, p->la_id);
	const unsigned *rate = a->rate;
#define MARK(k) (w->errors |= 1u << (k))
	if (chance(r, rate[E_NICKNAME])) {
		const char *nick = fake_nickname(p->given_name, r);
		if (nick) {
			set(w->given, sizeof w->given, nick);
			MARK(E_NICKNAME);
		}
	}
	if (chance(r, rate[E_TYPO_GIVEN]) && typo(r, w->given, sizeof w->given))
		MARK(E_TYPO_GIVEN);
	if (chance(r, rate[E_FAMILY_CHANGED])) {
		const char *fam = other_family(p);
		if (fam) {
			set(w->family, sizeof w->family, fam);
			MARK(E_FAMILY_CHANGED);
		}
	}
	if (chance(r, rate[E_TYPO_FAMILY]) && typo(r, w->family, sizeof w->family))
		MARK(E_TYPO_FAMILY);
	if (chance(r, rate[E_NAMES_SWAPPED])) {
		char t[80];
		set(t, sizeof t, w->given);
		set(w->given, sizeof w->given, w->family);
		set(w->family, sizeof w->family, t);
		MARK(E_NAMES_SWAPPED);
	}
	if (chance(r, rate[E_DOB_MISSING])) {
		w->dob[0] = 0;
		MARK(E_DOB_MISSING);
	} else {
		if (chance(r, rate[E_DOB_SWAPPED]) && dob_swap(w->dob))
			MARK(E_DOB_SWAPPED);
		if (chance(r, rate[E_DOB_DIGIT]) && dob_digit(r, w->dob))
			MARK(E_DOB_DIGIT);
	}
	if (chance(r, rate[E_SEX_MISSING])) {
		w->sex[0] = 0;
		MARK(E_SEX_MISSING);
	}
	if (chance(r, rate[E_MOVED])) {
		/* Somewhere else: the address of another fictional person drawn from the error stream. */
		struct fake_person elsewhere;
		fake_person(r, today, 0, &elsewhere);
		set(w->address, sizeof w->address, elsewhere.line1);
		set(w->locality, sizeof w->locality, elsewhere.town);
		set(w->postcode, sizeof w->postcode, elsewhere.postcode);
		MARK(E_MOVED);
	}
	if (chance(r, rate[E_POSTCODE_MISSING])) {
		w->postcode[0] = 0;
		MARK(E_POSTCODE_MISSING);
	}
	if (chance(r, rate[E_ADDRESS_MISSING])) {
		w->address[0] = 0;
		MARK(E_ADDRESS_MISSING);
	}
	if (w->nhs[0] && chance(r, rate[E_NHS_MISSING])) {
		w->nhs[0] = 0;
		MARK(E_NHS_MISSING);
	}
	if (w->nhs[0] && chance(r, rate[E_NHS_DIGIT]) && digit_off(r, w->nhs))
		MARK(E_NHS_DIGIT);
	if (w->other[0] && chance(r, rate[E_OTHER_ID_DIGIT]) && digit_off(r, w->other))
		MARK(E_OTHER_ID_DIGIT);
#undef MARK
	if (a->upper_family && chance(r, a->upper_family))
		for (char *c = w->family; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
}

/* An agency's output file and how many rows it holds. */
struct out {
	FILE *f;
	long rows;
};

/* Write row w of agency a to o about person true_id (1-based), counting its errors. */
static void write_row(const struct agency *a, struct out *o, const struct row *w, long true_id,
		      long counts[E_KINDS])
{
	char id[24], dob[11] = "", tid[24], errors[200] = "";
	snprintf(id, sizeof id, "%s-%07ld", a->prefix, ++o->rows);
	snprintf(tid, sizeof tid, "%ld", true_id);
	if (w->dob[0]) {
		if (a->dob == DOB_DMY)
			snprintf(dob, sizeof dob, "%.2s/%.2s/%.4s", w->dob + 8, w->dob + 5, w->dob);
		else if (a->dob == DOB_COMPACT)
			snprintf(dob, sizeof dob, "%.4s%.2s%.2s", w->dob, w->dob + 5, w->dob + 8);
		else
			set(dob, sizeof dob, w->dob);
	}
	size_t len = 0;
	for (int k = 0; k < E_KINDS; k++) {
		if (!(w->errors & (1u << k)))
			continue;
		counts[k]++;
		len += (size_t)snprintf(errors + len, sizeof errors - len, "%s%s", len ? ";" : "", err_names[k]);
	}
	FILE *f = o->f;
	put_field(f, id, false);
	put_field(f, a->name, false);
	put_field(f, w->given, false);
	put_field(f, w->family, false);
	put_field(f, dob, false);
	put_field(f, w->sex, false);
	put_field(f, w->postcode, false);
	put_field(f, w->address, false);
	put_field(f, w->locality, false);
	put_field(f, w->nhs, false);
	put_field(f, w->other, false);
	put_field(f, tid, false);
	put_field(f, errors, true);
}

static void write_truth(FILE *f, const struct fake_person *p, long true_id)
{
	char tid[24];
	snprintf(tid, sizeof tid, "%ld", true_id);
	put_field(f, tid, false);
	put_field(f, p->given_name, false);
	put_field(f, p->family_name, false);
	put_field(f, p->dob, false);
	put_field(f, p->sex, false);
	put_field(f, p->postcode, false);
	put_field(f, p->line1, false);
	put_field(f, p->town, false);
	put_field(f, p->nhs_number, false);
	put_field(f, p->la_id, true);
}

/* Open DIR/name for writing with a large buffer; NULL (message printed) on failure. */
static FILE *open_out(const char *dir, const char *name, char *bufs[], int *nbuf)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "safehub demo extract: cannot write %s: %s\n", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(EXTRACT_BUFFER);
	if (buf) {
		setvbuf(f, buf, _IOFBF, EXTRACT_BUFFER);
		bufs[(*nbuf)++] = buf;
	}
	return f;
}

/* Close f, reporting a write error (disk full) for name. 0 or -1. */
static int close_out(FILE *f, const char *dir, const char *name)
{
	if (!f)
		return 0;
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "safehub demo extract: writing %s/%s failed: %s\n", dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

/* Append DIR/name without its header line to out. 0 or -1. */
static int append_body(FILE *out, const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *in = fopen(path, "rb");
	if (!in) {
		fprintf(stderr, "safehub demo extract: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(EXTRACT_BUFFER);
	int rc = buf ? 0 : -1;
	bool header = true;
	size_t n;
	while (rc == 0 && (n = fread(buf, 1, EXTRACT_BUFFER, in)) > 0) {
		size_t from = 0;
		if (header) {
			char *nl = memchr(buf, '\n', n);
			if (!nl)
				continue; /* the header is longer than a buffer: impossible for ours */
			from = (size_t)(nl - buf) + 1;
			header = false;
		}
		if (fwrite(buf + from, 1, n - from, out) != n - from)
			rc = -1;
	}
	if (ferror(in))
		rc = -1;
	free(buf);
	fclose(in);
	return rc;
}

/* Parse a whole number in [min, max] from s. */
static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !end || end == s || *end || v < min || v > max)
		return false;
	*out = (long)v;
	return true;
}

int cmd_demo_extract(int argc, char **argv)
{
	const char *dir = NULL;
	long persons = EXTRACT_PERSONS_DEFAULT;
	uint64_t seed = 1;
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i];
		if (i + 1 >= argc || strncmp(opt, "--", 2) != 0) {
			fprintf(stderr, "safehub demo extract: %s %s\n%s", opt,
				strncmp(opt, "--", 2) ? "is not an option" : "needs a value", USAGE);
			return 2;
		}
		const char *val = argv[++i];
		long v;
		if (!strcmp(opt, "--out")) {
			dir = val;
		} else if (!strcmp(opt, "--persons")) {
			if (!parse_long(val, 1, EXTRACT_PERSONS_MAX, &v)) {
				fprintf(stderr, "safehub demo extract: --persons must be a whole number from 1 to %ld\n",
					EXTRACT_PERSONS_MAX);
				return 2;
			}
			persons = v;
		} else if (!strcmp(opt, "--seed")) {
			char *end = NULL;
			errno = 0;
			unsigned long long s = strtoull(val, &end, 10);
			if (errno || !end || end == val || *end || val[0] == '-') {
				fprintf(stderr, "safehub demo extract: --seed must be a whole number from 0\n");
				return 2;
			}
			seed = s;
		} else {
			fprintf(stderr, "safehub demo extract: unknown option %s\n%s", opt, USAGE);
			return 2;
		}
	}
	if (!dir || !*dir) {
		fprintf(stderr, "safehub demo extract: --out DIR is required\n%s", USAGE);
		return 2;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "safehub demo extract: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}

	char *bufs[N_AGENCIES + 2];
	int nbuf = 0, rc = 0;
	char name[64];
	FILE *truth = open_out(dir, "truth.csv", bufs, &nbuf);
	rc = truth ? 0 : -1;
	struct out outs[N_AGENCIES] = { { 0 } };
	for (size_t k = 0; k < N_AGENCIES && rc == 0; k++) {
		snprintf(name, sizeof name, "%s.csv", agencies[k].name);
		outs[k].f = open_out(dir, name, bufs, &nbuf);
		if (!outs[k].f)
			rc = -1;
		else
			fputs(HEADER, outs[k].f);
	}
	long counts[E_KINDS] = { 0 };
	if (rc == 0) {
		fputs(TRUTH_HEADER, truth);
		char today[11];
		struct valid_date d;
		valid_date_from_time((int64_t)time(NULL), &d);
		valid_format_date(&d, today);
		/* The population: the same draws, in the same order, as `safehub demo`. */
		struct fake_rng pop, noise;
		fake_seed(&pop, seed);
		fake_seed(&noise, seed ^ UINT64_C(0x6578747261637421)); /* "extract!" */
		struct fake_person p;
		struct row w;
		time_t last = time(NULL);
		for (long i = 0; i < persons; i++) {
			fake_person(&pop, today, 75, &p);
			(void)fake_below(&pop, 50); /* the demo's draw of whether the record is restricted */
			write_truth(truth, &p, i + 1);
			struct valid_date dob;
			bool child = valid_parse_date(p.dob, &dob) && valid_age_on(&dob, &d) < 19;
			bool anywhere = false;
			for (size_t k = 0; k < N_AGENCIES; k++) {
				const struct agency *a = &agencies[k];
				/* Social care is where the hub's people come from: nobody is on no one's books. */
				bool last_chance = k == N_AGENCIES - 1 && !anywhere;
				if (!last_chance && !chance(&noise, child ? a->child_share : a->adult_share))
					continue;
				anywhere = true;
				make_row(&noise, a, &p, today, &w);
				write_row(a, &outs[k], &w, i + 1, counts);
				if (chance(&noise, a->duplicate)) {
					make_row(&noise, a, &p, today, &w);
					w.errors |= 1u << E_DUPLICATE;
					write_row(a, &outs[k], &w, i + 1, counts);
				}
			}
			if (time(NULL) - last >= 2) {
				last = time(NULL);
				fprintf(stderr, "safehub demo extract: %ld of %ld persons\n", i + 1, persons);
			}
		}
	}
	long rows = 0;
	if (close_out(truth, dir, "truth.csv") != 0)
		rc = -1;
	for (size_t k = 0; k < N_AGENCIES; k++) {
		snprintf(name, sizeof name, "%s.csv", agencies[k].name);
		if (close_out(outs[k].f, dir, name) != 0)
			rc = -1;
		rows += outs[k].rows;
	}
	if (rc == 0) {
		FILE *all = open_out(dir, "all.csv", bufs, &nbuf);
		rc = all ? 0 : -1;
		if (all) {
			fputs(HEADER, all);
			for (size_t k = 0; rc == 0 && k < N_AGENCIES; k++) {
				snprintf(name, sizeof name, "%s.csv", agencies[k].name);
				rc = append_body(all, dir, name);
			}
			if (close_out(all, dir, "all.csv") != 0)
				rc = -1;
		}
	}
	for (int i = 0; i < nbuf; i++)
		free(bufs[i]);
	if (rc != 0)
		return 1;
	printf("safehub: wrote %s: %ld persons in %ld rows (", dir, persons, rows);
	for (size_t k = 0; k < N_AGENCIES; k++)
		printf("%s%s.csv %ld", k ? ", " : "", agencies[k].name, outs[k].rows);
	printf("), all.csv and truth.csv\nsafehub: errors:");
	for (int k = 0; k < E_KINDS; k++)
		printf(" %s %ld%s", err_names[k], counts[k], k + 1 < E_KINDS ? "," : "\n");
	return 0;
}
