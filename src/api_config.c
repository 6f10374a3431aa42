/*
 * api_config.c - placeholder handlers, replaced as the casework slice lands: each answers 501 so
 * the route table (and its security tests) is complete from the start.
 */
#include "api.h"

void api_config_get(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_config_list_put(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_holiday_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_holiday_add(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_holiday_delete(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_standard_put(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_risk_tool_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_risk_tool_create(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_risk_tool_get(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

