/*
 * api_import.c - POST /api/v1/imports/missing (docs/api-missing.md, docs/import-missing.md).
 * First version: every handler answers 501 until its slice lands.
 */
#include "api.h"

void api_import_missing(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}
