/*
 * policy.h - who may do what: the one table of roles and permissions, deny by default.
 * Every route names the permission it needs (route.c); a role holds a permission only if the
 * table below says so. Per-record rules (restricted persons) live with the record's module and
 * are asked after the role check.
 * Owns: the role list, the permission list, the role x permission table.
 * Must not touch: HTTP, SQL.
 */
#ifndef SAFEHUB_POLICY_H
#define SAFEHUB_POLICY_H

#include <stdbool.h>

/* What a route needs. */
enum perm {
	PERM_PUBLIC = 0,     /* anyone, signed in or not (health check, sign-in) */
	PERM_SIGNED_IN,      /* any signed-in user (their own session, reference data) */
	PERM_PERSON_READ,    /* read person records */
	PERM_PERSON_WRITE,   /* create and change person records */
	PERM_AUDIT_READ,     /* read the audit trail */
	PERM_USER_ADMIN,     /* list and manage users */
	PERM_CONFIG_READ,    /* read configuration: lists, standards, risk tools */
	PERM_CONFIG_ADMIN,   /* change configuration */
	PERM_REFERRAL_WRITE, /* record referrals */
	PERM_REFERRAL_DECIDE,/* screening decisions on referrals */
	PERM_CASE_READ,      /* read referrals, cases, assessments, meetings, tasks, a person's story */
	PERM_CASE_WRITE,     /* assessments, contacts, notes, flags, feedback, meetings, actions */
	PERM_CASE_MANAGE,    /* allocate, supervise, close cases */
	PERM_DASHBOARD_DAILY,/* the daily tasking list */
	PERM_MISSING_READ,   /* missing episodes, RHIs, notifications */
	PERM_MISSING_WRITE,  /* record and change episodes, gradings, returns, RHIs; acknowledge */
	PERM_MISSING_REOPEN, /* reopen a closed missing episode */
	PERM_DASHBOARD_MISSING, /* the MFH dashboard and the lists behind its numbers */
	PERM_IMPORT_RUN,     /* import extracts (police missing reports) */
	PERM_EXPORT_RUN,     /* statutory exports (SSDA903, Annex A) */
	PERM_PERSON_MERGE,   /* merge and unmerge persons; decide match reviews */
	PERM_MATCH_REVIEW,   /* read the match review queue */
	PERM_COUNT
};

/* policy_allows - true when `role` holds `perm`. Unknown roles hold nothing but PERM_PUBLIC. */
bool policy_allows(const char *role, enum perm perm);

/* policy_role_known - true for the six roles. */
bool policy_role_known(const char *role);

/* policy_role_list - "admin, manager, ..." for messages. Static storage. */
const char *policy_role_list(void);

/* policy_perm_name - "person.read" etc. Static storage. */
const char *policy_perm_name(enum perm perm);

/* The roles, in a fixed order, with labels for the UI. */
struct policy_role {
	const char *code;    /* "police_intel" */
	const char *label;   /* "Police intelligence" */
};
extern const struct policy_role policy_roles[];
extern const int policy_role_count;

#endif
