/*
 * api.h - the JSON endpoint handlers (api_*.c), named by route.c's table.
 * Each validates its input, calls the domain, and fills the response; none sees a request that
 * the dispatcher has not already authenticated, authorised and opened a transaction for.
 */
#ifndef SAFEHUB_API_H
#define SAFEHUB_API_H

#include "http.h"

/* api_session.c */
void api_session_create(struct req *rq, struct resp *rs);
void api_session_get(struct req *rq, struct resp *rs);
void api_session_delete(struct req *rq, struct resp *rs);
void api_healthz(struct req *rq, struct resp *rs);
void api_reference(struct req *rq, struct resp *rs);

/* api_person.c */
void api_person_list(struct req *rq, struct resp *rs);
void api_person_search(struct req *rq, struct resp *rs);
void api_person_create(struct req *rq, struct resp *rs);
void api_person_get(struct req *rq, struct resp *rs);
void api_person_update(struct req *rq, struct resp *rs);
void api_person_views(struct req *rq, struct resp *rs);

/* api_admin.c */
void api_audit_list(struct req *rq, struct resp *rs);
void api_user_list(struct req *rq, struct resp *rs);

#endif
