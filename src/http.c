/*
 * http.c - libmicrohttpd glue: the daemon (internal thread pool on epoll), per-request
 * context, body collection with a hard cap, static assets, security headers, and suspending a
 * connection while its view is group-committed to the audit trail. See http.h.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "route.h"

/* Headers on every response. The UI has no inline script or style, so CSP can be strict. */
static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
			  " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
			  " frame-ancestors 'none'; form-action 'self'";

/* One request's state, from its first call to its completion. */
struct ctx {
	struct req rq;                 /* what handlers see */
	struct resp rs;                /* the answer being built */
	char *body;                    /* collected body (capped at HTTP_BODY_MAX) */
	size_t body_len;
	size_t body_cap;               /* bytes allocated at body */
	size_t declared;               /* the Content-Length, when one was sent (0 otherwise) */
	bool too_large;                /* the body passed HTTP_BODY_MAX: answer 413, keep nothing */
	bool answered;                 /* a response is already queued (413 on a declared length) */
	bool waiting;                  /* suspended until the view's audit commit */
	bool audit_ok;                 /* the view was recorded */
	bool ready;                    /* resumed: queue rs */
};

static const char *web_dir;        /* --web DIR, or NULL for embedded assets */
static bool serving_tls;

const char *http_query(const struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

void resp_json(struct resp *rs, int status, json_t *body)
{
	json_decref(rs->json);
	rs->status = status;
	rs->json = body;
	rs->content_type = "application/json";
}

void resp_problem(struct resp *rs, int status, const char *title, const char *detail, json_t *errors)
{
	json_t *p = json_pack("{s:s, s:s, s:i}", "type", "about:blank", "title", title, "status", status);
	if (detail)
		json_object_set_new(p, "detail", json_string(detail));
	if (errors)
		json_object_set_new(p, "errors", errors);
	resp_json(rs, status, p);
	rs->content_type = "application/problem+json";
}

static const char *mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" }, { ".json", "application/json" }, { ".txt", "text/plain; charset=utf-8" },
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Read a file under --web DIR; the path must not climb out of it. */
static bool disk_asset(const char *path, struct resp *rs)
{
	if (strstr(path, "..") || strlen(path) > 200)
		return false;
	char full[4400];
	snprintf(full, sizeof full, "%s%s", web_dir, path);
	int fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > 16 * 1024 * 1024) {
		close(fd);
		return false;
	}
	unsigned char *buf = malloc((size_t)sb.st_size + 1);
	ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
	close(fd);
	if (got != sb.st_size) {
		free(buf);
		return false;
	}
	rs->owned = buf;
	rs->data = buf;
	rs->len = (size_t)got;
	rs->status = 200;
	rs->content_type = mime_for(path);
	return true;
}

/*
 * Serve a web asset, or the UI shell (index.html) for any other non-API GET so that every UI
 * path (/persons/42) loads the app. Governed by GOV.UK's assets living under /govuk/.
 */
static void serve_asset(struct req *rq, struct resp *rs)
{
	const char *path = rq->path;
	if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0)
		path = "/index.html";
	bool is_file = strrchr(path, '.') > strrchr(path, '/');
	if (web_dir && strncmp(path, "/govuk/", 7) != 0) {
		if (disk_asset(path, rs))
			return;
		if (!is_file && disk_asset("/index.html", rs))
			return;
	}
	const struct asset *a = strncmp(path, "sql/", 4) == 0 ? NULL : assets_find(path);
	if (!a && !is_file)
		a = assets_find("/index.html");
	if (!a) {
		resp_problem(rs, 404, "Not found", "There is no such file.", NULL);
		return;
	}
	const char *inm = http_header(rq, MHD_HTTP_HEADER_IF_NONE_MATCH);
	rs->etag = a->etag;
	rs->content_type = mime_for(a->path);
	if (inm && strcmp(inm, a->etag) == 0) {
		rs->status = 304;
		return;
	}
	rs->status = 200;
	rs->data = a->data;
	rs->len = a->size;
}

static void add_headers(struct MHD_Response *r, const struct req *rq, const struct resp *rs)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	if (serving_tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	if (rs->json || !rs->etag) {
		/* Anything that is not a static asset may hold personal data. */
		MHD_add_response_header(r, "Cache-Control", "no-store");
	} else {
		MHD_add_response_header(r, "Cache-Control", "no-cache");
		MHD_add_response_header(r, "ETag", rs->etag);
	}
	if (rs->status != 304)
		MHD_add_response_header(r, "Content-Type", rs->content_type ? rs->content_type : "application/json");
	if (rs->set_cookie[0])
		MHD_add_response_header(r, "Set-Cookie", rs->set_cookie);
	if (rs->location[0])
		MHD_add_response_header(r, "Location", rs->location);
	if (rs->allow[0])
		MHD_add_response_header(r, "Allow", rs->allow);
	if (rs->has_withheld) {
		char n[24];
		snprintf(n, sizeof n, "%ld", rs->withheld);
		MHD_add_response_header(r, "Safehub-Withheld", n);
	}
	(void)rq;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct ctx *c)
{
	struct resp *rs = &c->rs;
	struct MHD_Response *r;
	if (rs->status == 0)
		resp_problem(rs, 500, "Internal error", "The request was not answered.", NULL);
	if (rs->json) {
		char *text = json_dumps(rs->json, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (!text)
			return MHD_NO;
		size_t n = strlen(text);
		r = MHD_create_response_from_buffer_with_free_callback(n, text, free);
	} else if (rs->owned) {
		r = MHD_create_response_from_buffer_with_free_callback(rs->len, rs->owned, free);
		rs->owned = NULL;
	} else {
		r = MHD_create_response_from_buffer(rs->len, (void *)rs->data, MHD_RESPMEM_PERSISTENT);
	}
	if (!r)
		return MHD_NO;
	add_headers(r, &c->rq, rs);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Called by the audit writer once the view is on record: wake the connection. */
static void view_committed(void *arg, bool ok)
{
	struct ctx *c = arg;
	c->audit_ok = ok;
	c->ready = true;
	MHD_resume_connection(c->rq.conn);
}

static void handle(struct MHD_Connection *conn, struct ctx *c)
{
	struct req *rq = &c->rq;
	struct resp *rs = &c->rs;
	rq->body = c->body ? c->body : "";
	rq->body_len = c->body_len;
	if (strncmp(rq->path, "/api/", 5) == 0 || strcmp(rq->path, "/api") == 0 ||
	    strcmp(rq->path, "/healthz") == 0) {
		route_dispatch(rq, rs);
		return;
	}
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		snprintf(rs->allow, sizeof rs->allow, "GET");
		resp_problem(rs, 405, "Method not allowed", NULL, NULL);
		return;
	}
	serve_asset(rq, rs);
	(void)conn;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct ctx *c = *con_cls;
	if (!c) {
		c = calloc(1, sizeof *c);
		if (!c)
			return MHD_NO;
		*con_cls = c;
		c->rq.conn = conn;
		c->rq.method = method;
		c->rq.path = url;
		c->rq.tls = serving_tls;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			char *end = NULL;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || !end || *end || n > HTTP_BODY_MAX) {
				/* Refuse before reading a byte of it; MHD closes the connection after. */
				resp_problem(&c->rs, 413, "Request body too large",
					     "The request body must be 1 MiB or smaller.", NULL);
				c->too_large = true;
				c->answered = true;
				return send_resp(conn, c);
			}
			c->declared = (size_t)n;
		}
		return MHD_YES;
	}
	if (c->ready) {
		/* Resumed after the audit writer committed (or failed to commit) the view. */
		c->ready = false;
		if (!c->audit_ok)
			resp_problem(&c->rs, 503, "Service unavailable",
				     "The audit trail could not record this view, so it is not shown. Try again.", NULL);
		return send_resp(conn, c);
	}
	if (c->answered) {
		*upload_size = 0; /* MHD closes the connection after the 413; nothing more is read */
		return MHD_YES;
	}
	if (*upload_size) {
		if (c->too_large || c->body_len + *upload_size > HTTP_BODY_MAX) {
			/* Chunked and too long: keep nothing and answer 413 now rather than read on.
			 * If MHD cannot queue an answer mid-body it closes the connection instead;
			 * either way no more of the body is read. */
			c->too_large = true;
			c->answered = true;
			free(c->body);
			c->body = NULL;
			c->body_len = 0;
			c->body_cap = 0;
			*upload_size = 0;
			resp_problem(&c->rs, 413, "Request body too large",
				     "The request body must be 1 MiB or smaller.", NULL);
			return send_resp(conn, c);
		} else {
			/* Grow by doubling (to the declared length when there is one): a body arriving in
			 * small pieces is copied O(n) times, not O(n^2), and leaves little freed memory. */
			size_t need = c->body_len + *upload_size + 1;
			if (need > c->body_cap) {
				size_t cap = c->body_cap ? c->body_cap * 2 : (c->declared ? c->declared + 1 : 16384);
				while (cap < need)
					cap *= 2;
				if (cap > HTTP_BODY_MAX + 1)
					cap = HTTP_BODY_MAX + 1;
				char *grown = realloc(c->body, cap);
				if (!grown)
					return MHD_NO;
				c->body = grown;
				c->body_cap = cap;
			}
			memcpy(c->body + c->body_len, upload_data, *upload_size);
			c->body_len += *upload_size;
			c->body[c->body_len] = 0;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->waiting)
		return MHD_YES;
	if (c->too_large) {
		resp_problem(&c->rs, 413, "Request body too large", "The request body must be 1 MiB or smaller.", NULL);
		return send_resp(conn, c);
	}
	handle(conn, c);
	if (c->rs.has_view && c->rs.status < 400) {
		/* Hold the answer until the view is on record; the thread goes on serving others. */
		c->waiting = true;
		MHD_suspend_connection(conn);
		if (audit_view(c->rq.st, &c->rs.view, view_committed, c) != 0) {
			resp_problem(&c->rs, 503, "Service unavailable", "The audit trail is busy. Try again.", NULL);
			c->audit_ok = true;
			c->ready = true;
			MHD_resume_connection(conn);
		}
		return MHD_YES;
	}
	return send_resp(conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct ctx *c = *con_cls;
	if (!c)
		return;
	json_decref(c->rs.json);
	json_decref(c->rq.json);
	free(c->rs.owned);
	free(c->body);
	free(c);
	*con_cls = NULL;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("safehub: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		char *grown = realloc(buf, len + n + 1);
		if (!grown || len + n > 1024 * 1024) {
			free(grown ? grown : buf);
			fclose(f);
			return NULL;
		}
		buf = grown;
		memcpy(buf + len, chunk, n);
		len += n;
		buf[len] = 0;
	}
	fclose(f);
	return buf;
}

int http_serve(const struct http_options *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	char host[64] = "127.0.0.1";
	unsigned port = 8080;
	const char *colon = strrchr(o->listen, ':');
	if (!colon || colon - o->listen >= (long)sizeof host) {
		fprintf(stderr, "safehub: --listen must be ADDRESS:PORT, e.g. 127.0.0.1:8080\n");
		return 1;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - o->listen), o->listen);
	char *end = NULL;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (!end || *end || p > 65535 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "safehub: --listen %s: give an IPv4 address and a port 0-65535\n", o->listen);
		return 1;
	}
	port = (unsigned)p;
	addr.sin_port = htons((uint16_t)port);
	web_dir = o->web_dir;

	char *cert = NULL, *key = NULL;
	if ((o->tls_cert != NULL) != (o->tls_key != NULL)) {
		fprintf(stderr, "safehub: --tls-cert and --tls-key go together\n");
		return 1;
	}
	if (o->tls_cert) {
		cert = slurp(o->tls_cert);
		key = slurp(o->tls_key);
		if (!cert || !key) {
			fprintf(stderr, "safehub: cannot read %s\n", cert ? o->tls_key : o->tls_cert);
			free(cert);
			free(key);
			return 1;
		}
		serving_tls = true;
	}
	unsigned threads = o->threads;
	if (!threads) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 2 ? (unsigned)cores * 2 : 4;
	}

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* every thread started from here on blocks them */
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG | (serving_tls ? MHD_USE_TLS : 0);
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_SOCK_ADDR, 0, &addr },
		{ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, 1000, NULL },
		{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL },
		{ serving_tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert },
		{ serving_tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, NULL,
						 MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL, MHD_OPTION_ARRAY, opts,
						 MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "safehub: cannot listen on %s: %s\n", o->listen, strerror(errno));
		free(cert);
		free(key);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned bound = info ? info->port : port;
	printf("safehub: listening on %s://%s:%u\n", serving_tls ? "https" : "http", host, bound);
	fflush(stdout);

	int sig = 0;
	sigwait(&sigs, &sig);
	fprintf(stderr, "safehub: stopping (signal %d)\n", sig);
	/* Stop accepting, give suspended views a moment to be committed and answered, then stop. */
	MHD_quiesce_daemon(d);
	usleep(300 * 1000);
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	return 0;
}
