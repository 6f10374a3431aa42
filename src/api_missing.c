/*
 * api_missing.c - settings, missing episodes, gradings, returns, RHIs, notifications, the person's missing summary (docs/api-missing.md).
 * First version: every handler answers 501 until its slice lands.
 */
#include "api.h"

void api_settings_get(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_settings_put(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_create(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_get(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_update(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_grade(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_return(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_reopen(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_missing_rhi(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_notification_list(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_notification_ack(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}

void api_person_missing(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_problem(rs, 501, "Not implemented", NULL, NULL);
}
