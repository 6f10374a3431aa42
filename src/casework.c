/*
 * casework.c - placeholder until the cases slice lands (see casework.h).
 */
#include "casework.h"

#include "store.h"

int casework_open_case(struct store *st, const struct user *by, const struct casework_open *o, int64_t *case_id)
{
	(void)st;
	(void)by;
	(void)o;
	*case_id = 0;
	return -1;
}

int casework_set_risk(struct store *st, int64_t case_id, const char *level, int64_t at)
{
	(void)st;
	(void)case_id;
	(void)level;
	(void)at;
	return STORE_NOTFOUND;
}

int casework_open_case_of(struct store *st, int64_t person_id, int64_t *case_id)
{
	(void)st;
	(void)person_id;
	*case_id = 0;
	return 0;
}
