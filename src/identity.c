/*
 * identity.c - who an incoming record is about (identity.h). First version: nobody is matched
 * (every record is new); the identity slice replaces it.
 */
#include "identity.h"

#include <string.h>

int identity_resolve(struct store *st, const struct match_input *in, struct identity_result *out)
{
	(void)st;
	(void)in;
	memset(out, 0, sizeof *out);
	out->outcome = IDENTITY_NEW;
	return 0;
}

int identity_queue_review(struct store *st, int64_t import_id, const char *kind, int row_number,
			  const char *row_json, const struct identity_result *r, int64_t by_user, int64_t *id)
{
	(void)st;
	(void)import_id;
	(void)kind;
	(void)row_number;
	(void)row_json;
	(void)r;
	(void)by_user;
	*id = 0;
	return -1;
}
