/*
 * route.h - the route table: every API path with its method, the permission it needs, its
 * handler and how it treats bodies and transactions; and the dispatcher that enforces them in
 * order: match (404/405) -> session (401) -> CSRF (403) -> permission (403) -> body (415/400)
 * -> transaction -> handler -> commit or roll back. `safehub routes` prints the table so the
 * security tests are generated from it and no route escapes them.
 * Owns: the table and the dispatch order. Must not touch: SQL, the domain's rules.
 */
#ifndef SAFEHUB_ROUTE_H
#define SAFEHUB_ROUTE_H

#include <stdio.h>

#include "http.h"
#include "policy.h"

typedef void (*route_fn)(struct req *rq, struct resp *rs);

enum route_flags {
	ROUTE_BODY = 1,      /* takes a JSON object body */
	ROUTE_OWN_TXN = 2,   /* the handler runs its own transactions (sign-in, sign-out) */
	ROUTE_NO_CSRF = 4,   /* state-changing but exempt from CSRF (sign-in only) */
	ROUTE_WRITE = 8,     /* runs in a write transaction (implied for POST/PUT/PATCH/DELETE) */
	ROUTE_READ = 16,     /* a POST that only reads (a search with its terms in the body) */
	ROUTE_CSV = 32       /* takes a text/csv body, left as text in rq->body (imports) */
};

/* One route. */
struct route {
	const char *method;   /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern;  /* "/api/v1/persons/{id}"; {name} matches one non-empty segment */
	enum perm perm;       /* what the user must hold */
	route_fn fn;          /* the handler */
	unsigned flags;       /* enum route_flags */
};

extern const struct route routes[];
extern const int route_count;

/*
 * route_dispatch - answer an /api/ request (or /healthz) into *rs, following the order above.
 * rq->body holds the whole body. Sets rq->st, rq->session, rq->params.
 */
void route_dispatch(struct req *rq, struct resp *rs);

/* route_print - the table as JSON lines {"method","path","permission","roles":[...]} on out. */
void route_print(FILE *out);

#endif
