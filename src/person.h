/*
 * person.h - a person the hub works with or about: a child, a young adult, an adult at risk.
 * Owns: the person record's shape and limits, derived facts (age, child or adult), the rules of
 * who may reach a restricted record, and the create / read / update / search operations with
 * their audit entries. Must not touch: HTTP, jansson (api_person.c converts), SQL text (store.c).
 */
#ifndef SAFEHUB_PERSON_H
#define SAFEHUB_PERSON_H

#include <stdbool.h>
#include <stdint.h>

#include "user.h"

struct store;

#define PERSON_NAME_CHARS 100
#define PERSON_ALIASES_MAX 20
#define PERSON_ALIAS_CHARS 200
#define PERSON_ADDRESSES_MAX 10
#define PERSON_PHONES_MAX 10
#define PERSON_NOTES_CHARS 10000
#define PERSON_RESTRICTED_MAX 20
#define PERSON_REF_CHARS 50

/* One address. Sizes allow 4 bytes per character (UTF-8). */
struct person_address {
	char line1[801];     /* required, 1-200 characters */
	char line2[401];     /* optional, up to 100 */
	char town[401];      /* optional, up to 100 */
	char postcode[9];    /* normalised ("SK1 1AA") or "" */
	bool current;        /* the address they live at now */
};

/* A person, as validated input or as stored. Large: allocate it, do not put it on the stack. */
struct person {
	int64_t id;                  /* persons.id; 0 before it is stored */
	int64_t version;             /* optimistic-concurrency version; starts at 1 */
	int64_t merged_into;         /* read only: the person this one was merged into (merge.h), 0 when not merged */
	char given_name[401];
	char family_name[401];
	char aliases[PERSON_ALIASES_MAX][801];
	int n_aliases;
	char dob[11];                /* "YYYY-MM-DD" or "" when not known */
	bool dob_estimated;
	char sex[8];                 /* female, male, unknown */
	char gender[401];            /* free text, "" when not given */
	char ethnicity[5];           /* CIN census code or "" */
	char nhs_number[11];         /* 10 digits or "" */
	char upn[14];                /* 13 characters or "" */
	char police_ref[201];
	char la_id[201];
	struct person_address addresses[PERSON_ADDRESSES_MAX];
	int n_addresses;
	char phones[PERSON_PHONES_MAX][21];
	int n_phones;
	char notes[40001];
	bool restricted;
	char restricted_to[PERSON_RESTRICTED_MAX][USER_NAME_MAX + 1]; /* usernames */
	int n_restricted_to;
	int64_t created_at, updated_at;              /* UTC seconds */
	char created_by[USER_NAME_MAX + 1], updated_by[USER_NAME_MAX + 1]; /* usernames */
};

/* One line of a search result. */
struct person_summary {
	int64_t id;
	char given_name[401];
	char family_name[401];
	char aliases_json[2048];     /* the aliases as a JSON array text (truncated lists are cut) */
	char dob[11];
	char sex[8];
	char postcode[9];
};

/* What to search for; empty strings are not used. At least one must be set. */
struct person_query {
	char q[401];                 /* name words, each a prefix */
	char dob[11];
	char identifier[201];
	int limit, offset;
};

/* Outcomes of person operations. */
enum person_status {
	PERSON_OK = 0,
	PERSON_NOT_FOUND,   /* no such person */
	PERSON_DENIED,      /* restricted and the user is not named */
	PERSON_STALE,       /* version does not match */
	PERSON_INVALID,     /* restricted_to names an unknown user; err says which */
	PERSON_ERROR        /* the store failed */
};

/*
 * person_age - whole years of age today (UTC) from p->dob, or -1 when dob is "".
 */
int person_age(const struct person *p, int64_t now);

/*
 * person_create - store a new person created by `by` (restricted: `by` is added to
 * restricted_to), index its names, audit person.create; all in one transaction.
 * Sets p->id, version, created/updated fields. Returns PERSON_OK or an error status
 * (err gets the field and reason for PERSON_INVALID).
 */
enum person_status person_create(struct store *st, const struct user *by, struct person *p,
				 char *err, size_t errcap);

/*
 * person_get - load person `id` into *p if `by` may see it. Returns PERSON_OK,
 * PERSON_NOT_FOUND, PERSON_DENIED (p is cleared) or PERSON_ERROR. The caller audits the view
 * (api_person.c group-commits it before answering).
 */
enum person_status person_get(struct store *st, const struct user *by, int64_t id, struct person *p);

/*
 * person_update - replace person p->id with *p if p->version is current and `by` may reach it;
 * bumps version, reindexes names and audits person.update in one transaction.
 */
enum person_status person_update(struct store *st, const struct user *by, struct person *p,
				 char *err, size_t errcap);

/*
 * person_search - up to q->limit summaries the user may see, and the total count, matching q.
 * *out is allocated (calloc) by the call and must be freed by the caller; *n its length.
 */
enum person_status person_search(struct store *st, const struct user *by,
				 const struct person_query *q, struct person_summary **out, int *n,
				 int64_t *total);

/*
 * person_may_access - true when `by` may reach a person with this restricted flag, looking up
 * person_access when restricted.
 */
bool person_may_access(struct store *st, const struct user *by, int64_t person_id, bool restricted);

/* A code and its label (reference lists). */
struct person_code {
	const char *code;
	const char *label;
};

/* The CIN census ethnicity codes, and the sexes; each ends with {NULL, NULL}. */
extern const struct person_code person_ethnicities[];
extern const struct person_code person_sexes[];

/* person_code_known - true when code is in list. */
bool person_code_known(const struct person_code *list, const char *code);

#endif
