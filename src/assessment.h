/*
 * assessment.h - risk assessments (PRODUCT.md, "The journey a case takes", item 3;
 * docs/api-casework.md, "Assessments").
 *
 * An assessment scores one set of answers with a stored risk tool (risk_tools table, parsed by
 * risk.c) for a person on a day, applies the floor rules with the person's age on that day, and
 * records the professional's override and rationale when there is one. Assessments are never
 * changed (a trigger refuses it): a new one is recorded, and the person's assessments in time
 * order are their risk trajectory. An assessment on a case (named, or the person's open case)
 * sets the case's risk level (casework_set_risk) and stops its first_assessment clock.
 *
 * Owns: the assessment record, the rules of recording one, its audit entry (assessment.create),
 * a per-process cache of parsed tools, and the Assessment JSON shape of the contract (the
 * person's story shows the same object as /api/v1/assessments).
 * Must not touch: HTTP (api_assessment.c), SQL text (store_assessment.c), the scoring rules
 * (risk.c), the case's own rules (casework.c).
 * Every function runs inside the caller's transaction; the tool cache is safe across threads.
 */
#ifndef SAFEHUB_ASSESSMENT_H
#define SAFEHUB_ASSESSMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "risk.h"
#include "user.h"

struct store;

/* A new assessment, as validated at the edge. Large: allocate it. */
struct assessment_input {
	int64_t person_id;             /* the person assessed (exists; reachable by the assessor) */
	int64_t case_id;               /* the case it is for; 0: the person's open case, if any */
	int64_t tool_id;               /* risk_tools.id */
	json_t *answers;               /* borrowed: {indicator code: answer} (see risk_assess) */
	char override_level[16];       /* "" for none, else what the body said (checked by risk_assess) */
	char override_rationale[RISK_RATIONALE_CHARS * 4 + 1]; /* "" for none */
	int64_t assessed_at;           /* UTC seconds, not in the future */
};

/*
 * A stored assessment as read. The strings point into the current row of the store's statement
 * (or into the record that was just written) and are valid only while the callback that receives
 * it runs.
 */
struct assessment {
	int64_t id;
	int64_t person_id;
	int64_t case_id;               /* 0 when it was recorded for no case */
	int64_t tool_id;
	const char *tool_code;         /* the tool and version used */
	int tool_version;
	const char *tool_name;
	const char *answers;           /* JSON object text: the answers given (answered indicators only) */
	const char *result;            /* JSON object text: risk_result_json */
	int score;
	const char *computed_level;    /* from the score alone */
	const char *final_level;       /* what the assessment concluded */
	const char *override_level;    /* "" when not overridden */
	const char *override_rationale;/* "" when not overridden */
	int64_t assessed_at;           /* UTC seconds */
	const char *assessor;          /* username */
};

/* Outcomes of recording an assessment. */
enum assessment_status {
	ASSESSMENT_OK = 0,
	ASSESSMENT_INVALID,    /* errors name the bad fields (tool_id, case_id, answers.<code>, override_*) */
	ASSESSMENT_DENIED,     /* the case belongs to another team and the assessor is not a manager */
	ASSESSMENT_CLOSED,     /* case_id names a closed case */
	ASSESSMENT_ERROR       /* the store failed, or out of memory (the caller rolls back) */
};

/*
 * assessment_create - check and record assessment *in by `by`.
 *
 * Adds to `errors` (which may already hold the caller's errors; nothing is written when it holds
 * any at the end): tool_id not a stored tool ("is not a known risk tool") or an inactive one
 * ("is no longer in use"); case_id not a case of this person; and every error risk_assess
 * names (answers, answers.<code>, override_level, override_rationale). ASSESSMENT_CLOSED when
 * case_id is a closed case; ASSESSMENT_DENIED when the case (named or the person's open case)
 * may not be changed by `by` (casework_may_change: a practitioner only their own team's cases).
 *
 * Scores with the tool (risk_assess) using the person's age in whole years on the local
 * (Europe/London) day of in->assessed_at, or unknown without a date of birth. Then, in the
 * caller's write transaction: inserts the assessment (answers as given, result, score, computed
 * and final level, override and rationale, assessor `by`) with the case it applied to; when
 * there is a case, sets its risk level to the final level at assessed_at (casework_set_risk,
 * which starts or stops high_risk_visit) and stops its first_assessment clock at assessed_at;
 * audits assessment.create with the tool and, when overridden, "override" (never the
 * rationale's words). Sets *id. Returns ASSESSMENT_OK or a status above.
 */
enum assessment_status assessment_create(struct store *st, const struct user *by, const struct assessment_input *in,
					 struct jv *errors, int64_t *id);

/*
 * assessment_get - call fn(ctx, a) once with assessment `id`. Returns 0, STORE_NOTFOUND (1)
 * when there is none, -1 on a store error or when fn returns non-zero.
 */
int assessment_get(struct store *st, int64_t id, int (*fn)(void *ctx, const struct assessment *a), void *ctx);

/*
 * assessment_list - call fn(ctx, a) for each of person_id's assessments, oldest first (the risk
 * trajectory). Returns 0, or -1 on a store error or when fn returns non-zero. It does not check
 * who may see them: the caller gates the person.
 */
int assessment_list(struct store *st, int64_t person_id, int (*fn)(void *ctx, const struct assessment *a),
		    void *ctx);

/*
 * assessment_json - the Assessment object of docs/api-casework.md as a new JSON object (the
 * caller owns the reference; NULL when jansson cannot allocate):
 *   {"id", "person_id", "case_id" (or null), "tool": {"id", "code", "version", "name"},
 *    "answers": {...}, "result": {...risk_result_json}, "score", "computed_level", "final_level",
 *    "override_level" (or null), "override_rationale" (or null), "assessed_at", "assessor"
 *    (a username)}.
 */
json_t *assessment_json(const struct assessment *a);

#endif
