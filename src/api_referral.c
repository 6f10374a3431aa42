/*
 * api_referral.c - placeholder handlers, replaced as the casework slice lands: each answers 501 so
 * the route table (and its security tests) is complete from the start.
 */
#include "api.h"

void api_referral_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_referral_create(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_referral_get(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_referral_decide(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

