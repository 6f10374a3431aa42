/*
 * risk.h - risk tools and risk assessments (PRODUCT.md, "The journey a case takes", item 3).
 *
 * A risk tool is data, not code: a versioned JSON definition (loaded by an admin) of domains,
 * indicators with scores, thresholds for low / medium / high, floor rules ("a disclosure of
 * exploitation forces high", "a child aged 13 or under cannot be rated low") and the rules of
 * professional override. This module checks a definition in full, naming every bad field, and
 * turns one set of answers into a result: score, computed level, the floors that applied, the
 * override and its rationale, and the final level. The format is described for hubs in
 * docs/risk-tools.md; the shipped example is config/risk-tools/exploitation-screening-v1.json.
 *
 * Owns: the definition format and its limits, the scoring, the floor and override rules, and the
 * JSON shapes of a tool and of a result.
 * Must not touch: HTTP, SQL and the store (keeping every assessment unchanged, and tool versions
 * immutable once used, is the store's job), files (the caller reads the definition).
 *
 * Pure: no globals, no I/O; safe to call from any thread. The same tool, answers, age and
 * override always give the same result.
 */
#ifndef SAFEHUB_RISK_H
#define SAFEHUB_RISK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "json.h"

/* Limits on a definition. Sizes of text buffers allow 4 bytes per character (UTF-8). */
#define RISK_CODE_CHARS 64            /* tool, domain, indicator and option codes */
#define RISK_NAME_CHARS 200           /* tool name */
#define RISK_LABEL_CHARS 200          /* domain, indicator, option and floor labels */
#define RISK_HINT_CHARS 500           /* an indicator's guidance for practitioners */
#define RISK_DESCRIPTION_CHARS 2000   /* the tool's description */
#define RISK_VERSION_MAX 1000000      /* versions are 1..RISK_VERSION_MAX */
#define RISK_DOMAINS_MAX 30           /* domains in a tool */
#define RISK_INDICATORS_MAX 200       /* indicators in a tool, across all its domains */
#define RISK_OPTIONS_MIN 2            /* options of a choice indicator */
#define RISK_OPTIONS_MAX 10
#define RISK_FLOORS_MAX 20            /* floor rules in a tool */
#define RISK_SCORE_MAX 100            /* the score of one yes or one option is 0..RISK_SCORE_MAX */
#define RISK_THRESHOLD_MAX 100000     /* thresholds are 1..RISK_THRESHOLD_MAX */
#define RISK_FLOOR_AGE_MAX 25         /* the age in an age floor is 0..25 (cases continue to 25) */

/* Limits on an override's rationale, in characters after trimming. */
#define RISK_RATIONALE_MIN 10
#define RISK_RATIONALE_CHARS 4000

/* Where the shipped example tool lives in the source tree, and its asset path once embedded. */
#define RISK_DEFAULT_TOOL_PATH "config/risk-tools/exploitation-screening-v1.json"

/* A level of risk. The values are the ranks: a higher rank is more risk. */
enum risk_level {
	RISK_LEVEL_NONE = 0,   /* no level: no override, no floor */
	RISK_LOW = 1,
	RISK_MEDIUM = 2,
	RISK_HIGH = 3
};

/* Outcomes of parsing a tool and of assessing. */
enum risk_status {
	RISK_OK = 0,
	RISK_INVALID,      /* errors were added to the struct jv naming each bad field */
	RISK_NOMEM         /* an allocation failed; nothing is returned */
};

/* How an indicator is answered. */
enum risk_indicator_type {
	RISK_YESNO = 1,    /* true or false; a yes scores `score`, a no scores 0 */
	RISK_CHOICE        /* one of `options` by its code; scores that option's score */
};

/* What a floor rule looks at. */
enum risk_floor_kind {
	RISK_FLOOR_DISCLOSURE = 1, /* any indicator marked "disclosure" is answered yes */
	RISK_FLOOR_AGE_AT_MOST,    /* the person's age in whole years is known and <= age */
	RISK_FLOOR_INDICATOR       /* one indicator is answered yes (yesno) or with one option (choice) */
};

/* One option of a choice indicator. */
struct risk_option {
	char code[RISK_CODE_CHARS + 1];          /* unique within its indicator */
	char label[RISK_LABEL_CHARS * 4 + 1];    /* what the practitioner reads */
	int score;                               /* 0..RISK_SCORE_MAX */
};

/* One indicator (a question). */
struct risk_indicator {
	char code[RISK_CODE_CHARS + 1];          /* unique across the whole tool: answers are keyed by it */
	char label[RISK_LABEL_CHARS * 4 + 1];    /* the question or statement */
	char hint[RISK_HINT_CHARS * 4 + 1];      /* optional guidance; "" when none */
	enum risk_indicator_type type;
	int score;                               /* yesno: the score of a yes; choice: 0 */
	bool disclosure;                         /* yesno only: a yes is a disclosure (see floors) */
	size_t domain;                           /* index of its domain in risk_tool.domains */
	struct risk_option *options;             /* choice: n_options options; yesno: NULL */
	size_t n_options;
	int max_score;                           /* the most it can score: score, or the top option */
};

/* One domain: a group of indicators, e.g. "Missing". */
struct risk_domain {
	char code[RISK_CODE_CHARS + 1];          /* unique within the tool */
	char label[RISK_LABEL_CHARS * 4 + 1];
	size_t first, count;                     /* its indicators: risk_tool.indicators[first .. first+count) */
	int max_score;                           /* sum of its indicators' max_score */
};

/* One floor rule: when it holds, the level cannot be below `level`. */
struct risk_floor {
	enum risk_floor_kind kind;
	enum risk_level level;                   /* RISK_MEDIUM or RISK_HIGH */
	char label[RISK_LABEL_CHARS * 4 + 1];    /* the rule in words, shown with results and errors */
	int age;                                 /* RISK_FLOOR_AGE_AT_MOST: the age; otherwise 0 */
	size_t indicator;                        /* RISK_FLOOR_INDICATOR: index into indicators */
	int option;                              /* RISK_FLOOR_INDICATOR on a choice: option index; else -1 */
};

/* A parsed, valid tool. Allocated by risk_tool_parse, freed by risk_tool_free. */
struct risk_tool {
	char code[RISK_CODE_CHARS + 1];          /* e.g. "exploitation-screening" */
	int version;                             /* 1..RISK_VERSION_MAX; code + version name one tool */
	char name[RISK_NAME_CHARS * 4 + 1];
	char description[RISK_DESCRIPTION_CHARS * 4 + 1]; /* may be "" */
	bool example;                            /* true: an illustrative example a hub should replace */
	int threshold_medium;                    /* score >= this is at least medium; 1..high-1 */
	int threshold_high;                      /* score >= this is high; <= max_score */
	struct risk_domain *domains;             /* n_domains, 1..RISK_DOMAINS_MAX, in definition order */
	size_t n_domains;
	struct risk_indicator *indicators;       /* n_indicators, 1..RISK_INDICATORS_MAX, domain by domain */
	size_t n_indicators;
	struct risk_floor floors[RISK_FLOORS_MAX]; /* n_floors, in definition order */
	size_t n_floors;
	int max_score;                           /* the highest score any answers can reach */
};

/* An answer in a result: not answered, or for yesno 0 (no) / 1 (yes), for choice the option index. */
#define RISK_UNANSWERED (-1)

/* A floor rule that held for an assessment (copied so a result stands on its own). */
struct risk_applied_floor {
	size_t floor;                            /* index into the tool's floors */
	enum risk_level level;                   /* the minimum it sets */
	char label[RISK_LABEL_CHARS * 4 + 1];    /* the rule in words */
};

/* The outcome of one assessment. A plain value: nothing inside needs freeing. */
struct risk_result {
	char tool_code[RISK_CODE_CHARS + 1];     /* the tool and version used */
	int tool_version;
	short answer[RISK_INDICATORS_MAX];       /* per indicator, tool order: RISK_UNANSWERED, 0/1, option */
	size_t answered, unanswered;             /* counts over the tool's indicators */
	int score;                               /* sum of the answered indicators' scores */
	int domain_score[RISK_DOMAINS_MAX];      /* per domain, tool order */
	enum risk_level computed_level;          /* from the score and the thresholds alone */
	struct risk_applied_floor floors[RISK_FLOORS_MAX]; /* the floors whose condition held */
	size_t n_floors;
	enum risk_level floor_level;             /* the highest level they set; RISK_LEVEL_NONE if none */
	enum risk_level floored_level;           /* max(computed_level, floor_level) */
	bool disclosure;                         /* a disclosure indicator was answered yes */
	bool age_unknown;                        /* the tool has an age floor and the age was not known,
	                                            so that floor was not checked */
	enum risk_level override_level;          /* the professional's level; RISK_LEVEL_NONE if none */
	char override_rationale[RISK_RATIONALE_CHARS * 4 + 1]; /* trimmed; "" when no override */
	enum risk_level final_level;             /* override_level if set, else floored_level */
};

/*
 * risk_level_rank - the rank of a level name: "low" 1, "medium" 2, "high" 3 (the enum values);
 * 0 for anything else, including NULL, "" and other cases ("High"). No allocation.
 */
int risk_level_rank(const char *name);

/*
 * risk_level_name - "low", "medium" or "high" for RISK_LOW..RISK_HIGH; NULL for anything else.
 * Returns a string constant.
 */
const char *risk_level_name(enum risk_level level);

/*
 * risk_tool_parse - check a tool definition in full and build the tool.
 *
 * `def` is borrowed. Every problem is added to `errors` with a field path ("version",
 * "thresholds.high", "domains[2].indicators[0].score", "floors[1].indicator"); parsing goes on
 * after an error so one call names all of them. The definition is an object with exactly these
 * members (any other member is an error "is not a known field", at every level):
 *   code         required; 1-64 of a-z 0-9 _ -, starting with a letter
 *   version      required; integer 1..RISK_VERSION_MAX
 *   name         required; 1-200 characters, one line
 *   description  optional; up to 2000 characters, may be multi-line
 *   example      optional boolean (default false)
 *   levels       required; exactly ["low", "medium", "high"]
 *   thresholds   required; {"medium": m, "high": h}, integers with 1 <= m < h <= RISK_THRESHOLD_MAX,
 *                and h no more than the highest score the indicators can reach
 *   domains      required; 1..RISK_DOMAINS_MAX objects {code, label, indicators}; domain codes unique;
 *                each with 1 or more indicators and RISK_INDICATORS_MAX in all; an indicator is
 *                {code, label, hint?, type, score | options, disclosure?}: code unique across the
 *                tool; type "yesno" (needs score 0..RISK_SCORE_MAX, no options) or "choice" (needs
 *                2..RISK_OPTIONS_MAX options {code, label, score}, codes unique within it, no score);
 *                disclosure (boolean) is allowed on yesno indicators only
 *   floors       optional; up to RISK_FLOORS_MAX objects {when, level, label, age?, indicator?, option?}:
 *                when "disclosure" (needs an indicator marked disclosure), "age_at_most" (needs age
 *                0..RISK_FLOOR_AGE_MAX) or "indicator" (needs indicator, an indicator code of this
 *                tool, and option, one of its option codes, exactly when it is a choice); level
 *                "medium" or "high"; label 1-200 characters. Members for another kind are errors.
 *                If any indicator is marked disclosure there must be a disclosure floor.
 * Codes and labels are trimmed of spaces at both ends; labels are checked with valid_text.
 *
 * On success returns RISK_OK and sets *out to a new tool the caller frees with risk_tool_free.
 * Otherwise *out is NULL and the result is RISK_INVALID (errors say why; a definition that is
 * not an object gives one error on field "definition") or RISK_NOMEM.
 */
enum risk_status risk_tool_parse(json_t *def, struct risk_tool **out, struct jv *errors);

/*
 * risk_tool_parse_text - risk_tool_parse over JSON text of `len` bytes (e.g. an uploaded file or
 * the embedded asset RISK_DEFAULT_TOOL_PATH). Text that is not JSON, or that repeats a key in an
 * object, gives one error on field "definition" naming the line and column. Same results and
 * ownership as risk_tool_parse.
 */
enum risk_status risk_tool_parse_text(const char *text, size_t len, struct risk_tool **out,
				      struct jv *errors);

/* risk_tool_free - free a tool from risk_tool_parse and everything in it. NULL is allowed. */
void risk_tool_free(struct risk_tool *t);

/*
 * risk_tool_json - the tool as a new JSON definition in the format risk_tool_parse reads
 * (normalised: trimmed text, hint/description/disclosure/option members only when set, "example"
 * always present), so parsing it again gives the same tool. The caller owns the reference.
 * NULL when jansson cannot allocate.
 */
json_t *risk_tool_json(const struct risk_tool *t);

/*
 * risk_assess - score one set of answers with tool `t` and decide the level.
 *
 * answers      borrowed; a JSON object {indicator code: answer}. A yesno indicator takes true or
 *              false, a choice indicator the code of one of its options; null or a missing member
 *              means not answered and scores 0 (counted in r->unanswered). NULL means {}.
 *              A member that is not an indicator code of this tool is an error on "answers.<code>"
 *              ("is not an indicator of this tool"); a wrong type or an unknown option is an error on
 *              "answers.<code>". Anything but an object (or NULL) is an error on "answers".
 * age_years    the person's age in whole years on the day of the assessment, or negative when not
 *              known. Age floors apply only to a known age (applying them to an unknown age would
 *              put a floor no override can lower on, say, a 17-year-old without a recorded date of
 *              birth); when the tool has an age floor and the age is not known, r->age_unknown is
 *              set so the reader can see the age rule was not checked.
 * override_level, override_rationale
 *              NULL or "" (after trimming spaces) mean no override. An override level must be
 *              "low", "medium" or "high" (error on "override_level"). It needs a rationale of
 *              RISK_RATIONALE_MIN..RISK_RATIONALE_CHARS characters after trimming (error on
 *              "override_rationale"); a rationale without an override level is an error too,
 *              so text a practitioner wrote is never silently dropped. An override equal to the
 *              floored level is an error (it is not an override). Professional judgement may
 *              raise the level freely and may lower it below the computed level, but never below
 *              a floor rule that held: that is an error on "override_level" naming the rule.
 *
 * Scoring: score = the sum over answered indicators of a yes's score or the chosen option's score.
 * computed_level = high when score >= threshold_high, else medium when score >= threshold_medium,
 * else low. Then every floor whose condition holds is recorded in r->floors in definition order;
 * floored_level = the highest of computed_level and their levels (floors only ever raise).
 * final_level = override_level when there is one, else floored_level.
 *
 * `r` is filled in full (caller's storage; nothing to free). `errors` may already hold errors
 * from the caller; only errors this call adds decide its status. Returns RISK_OK, or
 * RISK_INVALID when it added errors (then *r is all zeros: no half-made result escapes).
 */
enum risk_status risk_assess(const struct risk_tool *t, json_t *answers, int age_years,
			     const char *override_level, const char *override_rationale,
			     struct risk_result *r, struct jv *errors);

/*
 * risk_result_json - a result as a new JSON object (the caller owns the reference; NULL when
 * jansson cannot allocate), `t` being the tool it was assessed with:
 *   {"tool": {"code", "version", "name"}, "answers": {code: true|false|option code} (answered
 *    only), "answered", "unanswered", "score", "max_score", "domain_scores": {domain code: n},
 *    "computed_level", "floors_applied": [{"label", "level"}], "floored_level", "disclosure",
 *    "age_unknown", "override_level": level|null, "override_rationale": text|null, "final_level"}
 * Levels are their names ("low", "medium", "high"). Feeding "answers" back to risk_assess with
 * the same tool, age and override gives the same result.
 */
json_t *risk_result_json(const struct risk_tool *t, const struct risk_result *r);

#endif
