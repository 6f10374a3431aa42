/*
 * store_assessment.h - the SQL of assessments and of reading risk tools to assess with
 * (store_assessment.c), for assessment.c only.
 * Return convention of store.h: 0 success, STORE_NOTFOUND, STORE_CONFLICT, -1 a database error.
 * Owns: nothing but these declarations. Must not touch: the rules of assessments (assessment.c).
 */
#ifndef SAFEHUB_STORE_ASSESSMENT_H
#define SAFEHUB_STORE_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct assessment;

/* What identifies a stored tool version, and whether new assessments may use it. */
struct store_tool_meta {
	char code[65];      /* risk_tools.code */
	int version;        /* risk_tools.version */
	bool active;        /* false: an older version or retired */
};

/* store_tool_meta - the code, version and active flag of tool `id`; STORE_NOTFOUND when none. */
int store_tool_meta(struct store *st, int64_t id, struct store_tool_meta *out);

/*
 * store_tool_definition - the definition JSON text of tool `id` into *text (malloc'd, the caller
 * frees) and its length into *len. STORE_NOTFOUND when none.
 */
int store_tool_definition(struct store *st, int64_t id, char **text, size_t *len);

/* store_assessment_person_dob - person_id's date of birth into dob[11] ("" when not known); STORE_NOTFOUND when no such person. */
int store_assessment_person_dob(struct store *st, int64_t person_id, char dob[11]);

/*
 * store_assessment_insert - insert *a (person, case (0: none), tool, answers, result, score,
 * levels, override, assessed_at) assessed by user `assessor_id`; sets a->id.
 */
int store_assessment_insert(struct store *st, struct assessment *a, int64_t assessor_id);

/*
 * store_assessment_each - call fn(ctx, a) for assessment `id` (id > 0), or else for every
 * assessment of person_id oldest first; a's strings point into the row (valid during the call).
 * Returns 0 (STORE_NOTFOUND when id > 0 and there is none), -1 on a store error or when fn
 * returns non-zero.
 */
int store_assessment_each(struct store *st, int64_t id, int64_t person_id,
			  int (*fn)(void *ctx, const struct assessment *a), void *ctx);

#endif
