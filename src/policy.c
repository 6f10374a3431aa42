/*
 * policy.c - the role x permission table. Deny by default: a permission not listed for a role
 * is refused. Need-to-know: administrators manage users and read the audit trail but do not
 * read case records; board members see aggregate reports only (later issues); analysts read
 * person records but do not change them.
 */
#include "policy.h"

#include <string.h>

const struct policy_role policy_roles[] = {
	{ "admin", "Administrator" },
	{ "manager", "Team manager" },
	{ "practitioner", "Hub practitioner" },
	{ "analyst", "Analyst" },
	{ "police_intel", "Police intelligence" },
	{ "board", "Board member" },
};
const int policy_role_count = sizeof policy_roles / sizeof policy_roles[0];

/* The table: for each permission, the roles that hold it. */
static const char *const grants[PERM_COUNT][7] = {
	[PERM_PUBLIC] = { "*" },
	[PERM_SIGNED_IN] = { "admin", "manager", "practitioner", "analyst", "police_intel", "board" },
	[PERM_PERSON_READ] = { "manager", "practitioner", "analyst", "police_intel" },
	[PERM_PERSON_WRITE] = { "manager", "practitioner", "police_intel" },
	[PERM_AUDIT_READ] = { "admin" },
	[PERM_USER_ADMIN] = { "admin" },
	[PERM_CONFIG_READ] = { "admin", "manager", "practitioner", "analyst", "police_intel", "board" },
	[PERM_CONFIG_ADMIN] = { "admin" },
	[PERM_REFERRAL_WRITE] = { "manager", "practitioner", "police_intel" },
	[PERM_REFERRAL_DECIDE] = { "manager" },
	[PERM_CASE_READ] = { "manager", "practitioner", "analyst", "police_intel" },
	[PERM_CASE_WRITE] = { "manager", "practitioner" },
	[PERM_CASE_MANAGE] = { "manager" },
	[PERM_DASHBOARD_DAILY] = { "manager", "practitioner", "police_intel" },
	[PERM_MISSING_READ] = { "manager", "practitioner", "analyst", "police_intel" },
	[PERM_MISSING_WRITE] = { "manager", "practitioner", "police_intel" },
	[PERM_MISSING_REOPEN] = { "manager" },
	[PERM_DASHBOARD_MISSING] = { "manager", "practitioner", "analyst", "police_intel" },
	[PERM_IMPORT_RUN] = { "manager", "police_intel" },
	[PERM_EXPORT_RUN] = { "manager", "analyst" },
	[PERM_PERSON_MERGE] = { "manager" },
	[PERM_MATCH_REVIEW] = { "manager", "practitioner", "police_intel" },
};

static const char *const perm_names[PERM_COUNT] = {
	[PERM_PUBLIC] = "public",
	[PERM_SIGNED_IN] = "signed_in",
	[PERM_PERSON_READ] = "person.read",
	[PERM_PERSON_WRITE] = "person.write",
	[PERM_AUDIT_READ] = "audit.read",
	[PERM_USER_ADMIN] = "user.admin",
	[PERM_CONFIG_READ] = "config.read",
	[PERM_CONFIG_ADMIN] = "config.admin",
	[PERM_REFERRAL_WRITE] = "referral.write",
	[PERM_REFERRAL_DECIDE] = "referral.decide",
	[PERM_CASE_READ] = "case.read",
	[PERM_CASE_WRITE] = "case.write",
	[PERM_CASE_MANAGE] = "case.manage",
	[PERM_DASHBOARD_DAILY] = "dashboard.daily",
	[PERM_MISSING_READ] = "missing.read",
	[PERM_MISSING_WRITE] = "missing.write",
	[PERM_MISSING_REOPEN] = "missing.reopen",
	[PERM_DASHBOARD_MISSING] = "dashboard.missing",
	[PERM_IMPORT_RUN] = "import.run",
	[PERM_EXPORT_RUN] = "export.run",
	[PERM_PERSON_MERGE] = "person.merge",
	[PERM_MATCH_REVIEW] = "match.review",
};

bool policy_role_known(const char *role)
{
	for (int i = 0; i < policy_role_count; i++)
		if (strcmp(role, policy_roles[i].code) == 0)
			return true;
	return false;
}

bool policy_allows(const char *role, enum perm perm)
{
	if ((int)perm < 0 || perm >= PERM_COUNT)
		return false;
	if (perm == PERM_PUBLIC)
		return true;
	if (!role || !policy_role_known(role))
		return false;
	for (int i = 0; i < 7 && grants[perm][i]; i++)
		if (strcmp(grants[perm][i], role) == 0)
			return true;
	return false;
}

const char *policy_role_list(void)
{
	return "admin, manager, practitioner, analyst, police_intel, board";
}

const char *policy_perm_name(enum perm perm)
{
	return (int)perm >= 0 && perm < PERM_COUNT ? perm_names[perm] : "unknown";
}
