/*
 * api_mfh.c - the MFH dashboard and the lists behind its numbers (docs/api-missing.md).
 * First version: every handler answers 501 until its slice lands.
 */
#include "api.h"

void api_dashboard_missing(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_dashboard_missing_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}
