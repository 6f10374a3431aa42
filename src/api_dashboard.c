/*
 * api_dashboard.c - placeholder handlers, replaced as the casework slice lands: each answers 501 so
 * the route table (and its security tests) is complete from the start.
 */
#include "api.h"

void api_dashboard_daily(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_person_story(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

