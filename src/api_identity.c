/*
 * api_identity.c - intake search and the match review queue (docs/api-identity.md).
 * First version: every handler answers 501 until its slice lands.
 */
#include "api.h"

void api_person_matches(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_person_matches_post(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_match_review_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_match_review_decide(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}
