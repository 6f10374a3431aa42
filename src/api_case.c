/*
 * api_case.c - placeholder handlers, replaced as the casework slice lands: each answers 501 so
 * the route table (and its security tests) is complete from the start.
 */
#include "api.h"

void api_case_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_get(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_update(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_allocate(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_contact_add(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_note_add(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_supervision_add(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_flag_add(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_flag_update(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_feedback_add(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_transition_plan(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

void api_case_close(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", "This endpoint is being built.", NULL);
}

