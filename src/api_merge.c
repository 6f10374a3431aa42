/*
 * api_merge.c - merge and unmerge persons (docs/api-identity.md).
 * First version: every handler answers 501 until its slice lands.
 */
#include "api.h"

void api_person_merge(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_person_unmerge(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_person_merges(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}
