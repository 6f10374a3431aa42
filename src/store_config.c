/*
 * store_config.c - SQL for the configurable lists. See config.h and store.h.
 */
#include <string.h>

#include "config.h"
#include "store.h"
#include "store_int.h"

static const char SQL_CODE[] = "SELECT extra FROM config_codes WHERE list = ?1 AND code = ?2 AND active = 1";

/* The extra column of an active code into out; 0, STORE_NOTFOUND or -1. */
static int code_extra(struct store *st, const char *list, const char *code, char *out, size_t cap)
{
	sqlite3_stmt *s = store_prepare(st, SQL_CODE);
	if (!s)
		return -1;
	store_text(s, 1, list);
	store_text(s, 2, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col(s, 0, out, cap);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : -1;
}

bool config_code_active(struct store *st, const char *list, const char *code)
{
	char extra[64];
	return code && *code && code_extra(st, list, code, extra, sizeof extra) == 0;
}

bool config_outcome_opens_case(struct store *st, const char *code)
{
	char extra[64];
	return code_extra(st, CONFIG_DECISION_OUTCOME, code, extra, sizeof extra) == 0 &&
	       strcmp(extra, "opens_case") == 0;
}
