/*
 * api_import.c - POST /api/v1/imports/missing (docs/api-missing.md "Import",
 * docs/import-missing.md): the body is the CSV text (Content-Type: text/csv, up to 1 MiB; the
 * dispatcher checks both and opens the write transaction, committing on 200 and rolling back on
 * anything else, which makes the import all or nothing). An optional query parameter
 * ?filename= names the file on the imports row.
 * Answers: 200 {"import_id", "rows", "added", "updated", "unchanged", "persons_created",
 * "persons_linked", "review"}; 422 with errors [{"row", "line", "column", "field":
 * "rows[7].started_at", "message"}] and "errors_total" when a row or the header is bad; 400
 * "Malformed CSV" naming the line when the text is not CSV or not UTF-8; 503 when the store fails.
 * Owns: the JSON shape of those answers. Must not touch: SQL, the columns' rules.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_util.h"
#include "import_missing.h"
#include "valid.h"

#define FILENAME_CHARS 200

/* The 422 of a refused import: every listed error as {"row","line","column","field","message"}. */
static void answer_invalid(struct resp *rs, const struct import_errors *errs)
{
	json_t *list = json_array();
	for (int i = 0; i < errs->n; i++) {
		const struct import_error *e = &errs->e[i];
		char field[64];
		if (e->column[0])
			snprintf(field, sizeof field, "rows[%ld].%s", e->row, e->column);
		else
			snprintf(field, sizeof field, "rows[%ld]", e->row);
		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s, s:s}", "row", (json_int_t)e->row, "line",
						      (json_int_t)e->line, "column", e->column, "field", field,
						      "message", e->message));
	}
	char detail[200];
	snprintf(detail, sizeof detail, "%ld error%s in %ld row%s%s. Nothing was imported: correct the file and send it again.",
		 errs->total, errs->total == 1 ? "" : "s", errs->rows_bad, errs->rows_bad == 1 ? "" : "s",
		 errs->total > errs->n ? " (the first ones are listed)" : "");
	resp_problem(rs, 422, "Check the file", detail, list);
	json_object_set_new(rs->json, "errors_total", json_integer(errs->total));
}

void api_import_missing(struct req *rq, struct resp *rs)
{
	char filename[FILENAME_CHARS * 4 + 1];
	if (!api_query_text(rq, rs, "filename", filename, sizeof filename))
		return;
	const char *why = valid_text(filename, 0, FILENAME_CHARS, false);
	if (why) {
		struct jv v = { 0 };
		jv_error(&v, "filename", "%s", why);
		api_invalid(rs, &v);
		return;
	}
	struct import_options opt = { .filename = filename };
	struct import_result res;
	struct import_errors errs = { 0 };
	enum import_status s = import_missing_run(rq->st, &rq->session.user, rq->body, rq->body_len, &opt, &res, &errs);
	switch (s) {
	case IMPORT_OK:
		resp_json(rs, 200,
			  json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "import_id", (json_int_t)res.import_id, "rows",
				    (json_int_t)res.rows, "added", (json_int_t)res.added, "updated", (json_int_t)res.updated,
				    "unchanged", (json_int_t)res.unchanged, "persons_created",
				    (json_int_t)res.persons_created, "persons_linked", (json_int_t)res.persons_linked,
				    "review", (json_int_t)res.review));
		break;
	case IMPORT_INVALID:
		answer_invalid(rs, &errs);
		break;
	case IMPORT_BAD_FILE: {
		const struct import_error *e = errs.n ? &errs.e[0] : NULL;
		resp_problem(rs, 400, "Malformed CSV", e ? e->message : "The file is not CSV.", NULL);
		if (e && e->line > 0)
			json_object_set_new(rs->json, "line", json_integer(e->line));
		break;
	}
	default:
		api_store_failed(rs);
		break;
	}
	import_errors_free(&errs);
}
