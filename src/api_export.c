/*
 * api_export.c - the SSDA903 missing and Annex A exports (docs/api-missing.md).
 * First version: every handler answers 501 until its slice lands.
 */
#include "api.h"

void api_export_ssda903(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_export_annex_a(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}
