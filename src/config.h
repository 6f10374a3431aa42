/*
 * config.h - the hub's configurable lists (strands, referral sources, decision outcomes,
 * closure reasons, meeting types, contact types, flag types), read by every casework module to
 * check codes. Owns: the rules of the lists (codes stable, retired codes inactive, never
 * deleted while in use). Must not touch: HTTP, SQL text (store_config.c).
 */
#ifndef SAFEHUB_CONFIG_H
#define SAFEHUB_CONFIG_H

#include <stdbool.h>

struct store;

/* The lists, by the name used in the config_codes table and in URLs. */
#define CONFIG_STRAND "strand"
#define CONFIG_REFERRAL_SOURCE "referral_source"
#define CONFIG_DECISION_OUTCOME "decision_outcome"
#define CONFIG_CLOSURE_REASON "closure_reason"
#define CONFIG_MEETING_TYPE "meeting_type"
#define CONFIG_CONTACT_TYPE "contact_type"
#define CONFIG_FLAG_TYPE "flag_type"

/*
 * config_code_active - true when `code` is an active code of `list` (new records may use
 * only active codes; old records keep theirs).
 */
bool config_code_active(struct store *st, const char *list, const char *code);

/* config_outcome_opens_case - true when the decision outcome `code` opens a case. */
bool config_outcome_opens_case(struct store *st, const char *code);

#endif
