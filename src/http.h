/*
 * http.h - the HTTP server (libmicrohttpd): the daemon, one request's context, the response
 * being built, security headers, limits, static assets, and the suspend/resume dance that lets
 * a view wait for its audit entry's group commit without holding a thread.
 * Owns: everything that touches libmicrohttpd. Must not touch: SQL, the domain's rules.
 */
#ifndef SAFEHUB_HTTP_H
#define SAFEHUB_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "session.h"

#define HTTP_BODY_MAX (1024 * 1024)   /* request bodies above this get 413 */
#define HTTP_PARAMS_MAX 4             /* path parameters a route may have */

struct MHD_Connection;
struct store;

/* The request as handlers see it. */
struct req {
	struct MHD_Connection *conn;     /* for header and query look-ups */
	const char *method;              /* "GET", "POST", ... */
	const char *path;                /* without the query string */
	const char *body;                /* NUL-terminated body, "" when none */
	size_t body_len;
	json_t *json;                    /* parsed body for routes that take one (borrowed) */
	const char *params[HTTP_PARAMS_MAX]; /* path parameters, in order; point into param_buf */
	int n_params;
	char param_buf[256];
	bool signed_in;                  /* session is valid */
	struct session session;          /* the session, when signed_in */
	struct store *st;                /* this thread's connection, in the request's transaction */
	bool tls;                        /* served over TLS (the cookie gets Secure) */
};

/* The response being built. */
struct resp {
	int status;                      /* HTTP status; 0 until set */
	json_t *json;                    /* JSON body (owned), or NULL */
	const unsigned char *data;       /* a static body (assets), when json is NULL */
	size_t len;
	unsigned char *owned;            /* a malloc'd body (assets from --web), freed with the response */
	const char *content_type;        /* defaults to application/json */
	const char *etag;                /* for assets */
	char set_cookie[256];            /* a Set-Cookie header value, or "" */
	char location[128];              /* a Location header value, or "" */
	char allow[64];                  /* an Allow header value (405), or "" */
	long withheld;                   /* with has_withheld: an export's rows of restricted persons
					  * left out, sent as the Safehub-Withheld header */
	bool has_withheld;
	bool has_view;                   /* `view` must be committed before the answer goes out */
	struct audit_entry view;         /* the view to audit */
};

/* Options for http_serve. */
struct http_options {
	const char *listen;              /* "127.0.0.1:8080"; port 0 picks a free one */
	const char *tls_cert, *tls_key;  /* PEM files, both or neither */
	const char *web_dir;             /* serve web assets from here instead of the embedded ones */
	unsigned threads;                /* worker threads (0: 2 x cores, at least 4) */
};

/*
 * http_serve - run the server until SIGINT or SIGTERM, printing "safehub: listening on URL"
 * to stdout once it accepts connections. Returns 0 on a clean stop, 1 when it cannot start.
 */
int http_serve(const struct http_options *o);

/* http_query / http_header / http_cookie - a query parameter, request header or cookie value
 * of this request, or NULL. The strings live as long as the request. */
const char *http_query(const struct req *rq, const char *name);
const char *http_header(const struct req *rq, const char *name);
const char *http_cookie(const struct req *rq, const char *name);

/* resp_json - set status and JSON body (takes the reference). */
void resp_json(struct resp *rs, int status, json_t *body);

/*
 * resp_problem - an RFC 9457 problem+json answer: status, title, detail (may be NULL).
 * errors (may be NULL; reference taken) is the list of {"field","message"}.
 */
void resp_problem(struct resp *rs, int status, const char *title, const char *detail, json_t *errors);

#endif
