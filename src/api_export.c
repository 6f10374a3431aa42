/*
 * api_export.c - the statutory exports of missing episodes (docs/api-missing.md, "Exports"):
 * GET /api/v1/exports/ssda903-missing?from=&to= and GET /api/v1/exports/annex-a-missing?date=,
 * both text/csv, both audited as views of person-level data (export.ssda903, export.annex_a)
 * with the period, the number of rows and how many rows of restricted persons were left out.
 * Owns: reading the query and answering. Must not touch: SQL (store_export.c), the CSV text
 * (export.c).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "calendar.h"
#include "export.h"
#include "json.h"
#include "store.h"
#include "store_export.h"
#include "valid.h"

/*
 * Read query parameter `name` as a date YYYY-MM-DD into *d. Absent or empty: an error on
 * `name` when required, else *present is false. Anything else that is not a real date in the
 * years 1900-2999: an error on `name`.
 */
static void date_param(struct req *rq, struct jv *v, const char *name, bool required, struct valid_date *d,
		       bool *present)
{
	const char *s = http_query(rq, name);
	*present = false;
	if (!s || !*s) {
		if (required)
			jv_error(v, name, "is required: a date as YYYY-MM-DD");
		return;
	}
	if (strlen(s) > 10 || !valid_parse_date(s, d)) {
		jv_error(v, name, "must be a real date as YYYY-MM-DD");
		return;
	}
	if (d->year < 1900 || d->year > 2999) {
		jv_error(v, name, "must be a date from 1900 to 2999");
		return;
	}
	*present = true;
}

/* Answer 200 with the CSV text in b (taken). */
static void answer_csv(struct resp *rs, struct export_buf *b)
{
	rs->status = 200;
	rs->content_type = "text/csv; charset=utf-8";
	rs->owned = (unsigned char *)b->data;
	rs->len = b->len;
	b->data = NULL;
	export_buf_free(b);
}

/* Answer 422 on `field`: the file would be larger than an export may be. */
static void too_large(struct resp *rs, const char *field)
{
	struct jv v = {0};
	jv_error(&v, field, "the period holds more episodes than one export can carry: choose a shorter one");
	api_invalid(rs, &v);
}

/* What the row callbacks fill: the file, and how many rows it has. */
struct rows_ctx {
	struct export_buf *b;
	long rows;
};

static int add_ssda903(void *ctx, const struct export_ssda903_row *row)
{
	struct rows_ctx *x = ctx;
	export_ssda903_row(x->b, row);
	x->rows++;
	return x->b->failed ? 1 : 0;
}

/*
 * Answer an export from the store's result rc (0 done, > 0 too many rows, < 0 failed): the CSV in
 * b, audited as `action` with the period and counts; or 503, or 422 naming `param` when too large.
 * Frees b unless it becomes the answer.
 */
static void finish(struct req *rq, struct resp *rs, struct export_buf *b, int rc, const char *param,
		   const char *action, const struct valid_date *from, const struct valid_date *to, long rows,
		   long withheld)
{
	if (rc < 0 || (b->failed && rc == 0)) {
		export_buf_free(b);
		api_store_failed(rs);
		return;
	}
	if (rc > 0) {
		export_buf_free(b);
		too_large(rs, param);
		return;
	}
	char detail[128], f[11], t[11];
	valid_format_date(from, f);
	valid_format_date(to, t);
	snprintf(detail, sizeof detail, "from %s to %s: %ld rows, %ld restricted left out", f, t, rows, withheld);
	answer_csv(rs, b);
	rs->withheld = withheld;
	rs->has_withheld = true;
	api_audit_view(rq, rs, action, "", 0, detail);
}

void api_export_ssda903(struct req *rq, struct resp *rs)
{
	struct jv v = {0};
	struct valid_date from, to;
	bool has_from, has_to;
	date_param(rq, &v, "from", true, &from, &has_from);
	date_param(rq, &v, "to", true, &to, &has_to);
	if (has_from && has_to && valid_days_from_civil(&to) < valid_days_from_civil(&from))
		jv_error(&v, "to", "must not be before from");
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	int64_t lo, hi;
	export_range(&from, &to, &lo, &hi);
	struct export_buf b;
	export_buf_init(&b, 0);
	export_ssda903_header(&b);
	struct rows_ctx x = {.b = &b};
	long withheld = 0;
	int rc = store_export_ssda903(rq->st, rq->session.user.id, lo, hi, add_ssda903, &x, &withheld);
	finish(rq, rs, &b, rc, "from", "export.ssda903", &from, &to, x.rows, withheld);
}

static int add_annex_a(void *ctx, const struct export_annex_a_row *row)
{
	struct rows_ctx *x = ctx;
	export_annex_a_row(x->b, row);
	x->rows++;
	return x->b->failed ? 1 : 0;
}

void api_export_annex_a(struct req *rq, struct resp *rs)
{
	struct jv v = {0};
	struct valid_date date, from;
	bool has_date;
	date_param(rq, &v, "date", false, &date, &has_date);
	if (jv_failed(&v)) {
		api_invalid(rs, &v);
		return;
	}
	if (!has_date)
		calendar_local_date(store_now(), &date); /* as at today */
	export_year_to(&date, &from);
	int64_t lo, hi;
	export_range(&from, &date, &lo, &hi);
	struct export_buf b;
	export_buf_init(&b, 0);
	export_annex_a_header(&b);
	struct rows_ctx a = {.b = &b};
	long withheld = 0;
	int rc = store_export_annex_a(rq->st, rq->session.user.id, lo, hi, add_annex_a, &a, &withheld);
	finish(rq, rs, &b, rc, "date", "export.annex_a", &from, &date, a.rows, withheld);
}
