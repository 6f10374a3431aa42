/*
 * merge.c - the rules of merging and unmerging persons (see merge.h); the moving itself is
 * store_merge.c's. Runs inside the caller's write transaction and audits every change in it.
 */
#include "merge.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "person.h"
#include "store.h"
#include "store_merge.h"

size_t merge_ids_rewrite(const int64_t *in, size_t n, int64_t from, int64_t to, int64_t *out)
{
	size_t k = 0;
	bool have_to = false;
	for (size_t i = 0; i < n; i++) {
		int64_t id = in[i] == from ? to : in[i];
		if (id == to) {
			if (have_to)
				continue;
			have_to = true;
		}
		out[k++] = id;
	}
	return k;
}

static bool ids_have(const int64_t *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

size_t merge_ids_restore(const int64_t *now, size_t n, const int64_t *before, size_t nb, int64_t from, int64_t to,
			 int64_t *out)
{
	/* What the merge made of `before`: when the list is still that, it goes back as it was. */
	int64_t *after = calloc(nb ? nb : 1, sizeof *after);
	if (after) {
		size_t na = merge_ids_rewrite(before, nb, from, to, after);
		bool untouched = na == n && (n == 0 || memcmp(after, now, n * sizeof *now) == 0);
		free(after);
		if (untouched) {
			memcpy(out, before, nb * sizeof *before);
			return nb;
		}
	}
	/* Changed since: keep the change and put back only `from`. */
	if (n)
		memcpy(out, now, n * sizeof *now);
	if (ids_have(now, n, from) || !ids_have(now, n, to))
		return n;
	if (ids_have(before, nb, to)) {
		out[n] = from;
		return n + 1;
	}
	for (size_t i = 0; i < n; i++)
		if (out[i] == to) {
			out[i] = from;
			break;
		}
	return n;
}

/* The total of the counts (rows moved, all tables). */
static int64_t moved_total(const struct merge_record *m)
{
	int64_t t = 0;
	for (int i = 0; i < m->n_counts; i++)
		t += m->counts[i].rows;
	return t;
}

/* Audit `action` on person `id` with detail. Returns 0 or -1. */
static int audit_person(struct store *st, const struct user *by, const char *action, int64_t id, const char *detail)
{
	struct audit_entry e;
	audit_fill(&e, by, action, "person", id, "ok", detail);
	return audit_record(st, &e);
}

/* Load both persons and check that `by` may reach them. */
static enum merge_status load_pair(struct store *st, const struct user *by, int64_t a_id, int64_t b_id,
				   struct merge_person *a, struct merge_person *b, int64_t *denied_id,
				   enum merge_status b_missing)
{
	int rc = store_merge_person(st, a_id, a);
	if (rc == STORE_NOTFOUND)
		return MERGE_NOT_FOUND;
	if (rc != 0)
		return MERGE_ERROR;
	if (!person_may_access(st, by, a_id, a->restricted)) {
		*denied_id = a_id;
		return MERGE_DENIED;
	}
	rc = store_merge_person(st, b_id, b);
	if (rc == STORE_NOTFOUND)
		return b_missing;
	if (rc != 0)
		return MERGE_ERROR;
	if (!person_may_access(st, by, b_id, b->restricted)) {
		*denied_id = b_id;
		return MERGE_DENIED;
	}
	return MERGE_OK;
}

enum merge_status merge_persons(struct store *st, const struct user *by, int64_t survivor_id, int64_t merged_id,
				int64_t version, const char *reason, struct merge_record *out, int64_t *denied_id)
{
	struct merge_person a, b;
	*denied_id = 0;
	enum merge_status ms = load_pair(st, by, survivor_id, merged_id, &a, &b, denied_id, MERGE_NO_MERGED);
	if (ms != MERGE_OK)
		return ms;
	if (survivor_id == merged_id)
		return MERGE_SAME;
	if (a.merged_into)
		return MERGE_SURVIVOR_MERGED;
	if (b.merged_into)
		return MERGE_ALREADY_MERGED;
	if (a.restricted != b.restricted)
		return MERGE_RESTRICTION;
	if (a.version != version)
		return MERGE_STALE;
	char what[160];
	int rc = store_merge_check(st, what, sizeof what);
	if (rc != 0) {
		if (rc == STORE_CONFLICT)
			fprintf(stderr, "safehub: merge refused: %s references persons and merge does not know it\n", what);
		return MERGE_ERROR;
	}
	int64_t now = store_now();
	rc = store_merge_bump(st, survivor_id, version, by->id, now);
	if (rc == STORE_CONFLICT)
		return MERGE_STALE;
	if (rc != 0 || store_merge_set_into(st, merged_id, survivor_id, by->id, now) != 0)
		return MERGE_ERROR;
	memset(out, 0, sizeof *out);
	out->survivor_id = survivor_id;
	out->merged_id = merged_id;
	snprintf(out->reason, sizeof out->reason, "%s", reason);
	out->merged_at = now;
	snprintf(out->merged_by, sizeof out->merged_by, "%s", by->username);
	char *moved = NULL;
	rc = store_merge_move(st, merged_id, survivor_id, a.restricted, &moved, out);
	if (rc == 0)
		rc = store_merge_insert(st, out, moved, by->id);
	free(moved);
	if (rc != 0)
		return MERGE_ERROR;
	char detail[200];
	snprintf(detail, sizeof detail, "merge %" PRId64 ": person %" PRId64 " merged into this one; %" PRId64
		 " records moved", out->id, merged_id, moved_total(out));
	if (audit_person(st, by, "person.merge", survivor_id, detail) != 0)
		return MERGE_ERROR;
	snprintf(detail, sizeof detail, "merge %" PRId64 ": merged into person %" PRId64 "; %" PRId64 " records moved",
		 out->id, survivor_id, moved_total(out));
	if (audit_person(st, by, "person.merge", merged_id, detail) != 0)
		return MERGE_ERROR;
	return MERGE_OK;
}

enum merge_status merge_undo(struct store *st, const struct user *by, int64_t person_id, int64_t merge_id,
			     struct merge_record *out, int64_t *denied_id)
{
	*denied_id = 0;
	struct merge_person p;
	int rc = person_id ? store_merge_person(st, person_id, &p) : 0;
	if (rc == STORE_NOTFOUND)
		return MERGE_NOT_FOUND;
	if (rc != 0)
		return MERGE_ERROR;
	char *moved = NULL;
	rc = merge_id > 0 ? store_merge_get(st, merge_id, out, &moved) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND ||
	    (rc == 0 && person_id && out->survivor_id != person_id && out->merged_id != person_id)) {
		free(moved);
		return MERGE_NO_MERGE;
	}
	if (rc != 0)
		return MERGE_ERROR;
	struct merge_person a, b;
	enum merge_status ms = load_pair(st, by, out->survivor_id, out->merged_id, &a, &b, denied_id, MERGE_ERROR);
	if (ms == MERGE_OK && out->unmerged_at)
		ms = MERGE_UNDONE;
	else if (ms == MERGE_OK && a.merged_into)
		ms = MERGE_DEPENDS;
	else if (ms == MERGE_OK && b.merged_into != a.id)
		ms = MERGE_ERROR; /* in force, yet the merged person is not marked: the store is inconsistent */
	if (ms != MERGE_OK) {
		free(moved);
		return ms;
	}
	rc = store_merge_restore(st, moved, a.id, b.id, out);
	free(moved);
	if (rc == STORE_CONFLICT)
		return MERGE_BLOCKED;
	if (rc != 0)
		return MERGE_ERROR;
	int64_t now = store_now();
	rc = store_merge_set_undone(st, out->id, by->id, now);
	if (rc == STORE_CONFLICT)
		return MERGE_UNDONE;
	if (rc != 0 || store_merge_set_into(st, b.id, 0, by->id, now) != 0 || store_merge_bump(st, a.id, 0, by->id, now) != 0)
		return MERGE_ERROR;
	out->unmerged_at = now;
	snprintf(out->unmerged_by, sizeof out->unmerged_by, "%s", by->username);
	char detail[200];
	snprintf(detail, sizeof detail, "merge %" PRId64 " undone: person %" PRId64 " taken out; %" PRId64
		 " records put back, %" PRId64 " left (changed since)", out->id, b.id, out->restored, out->left);
	if (audit_person(st, by, "person.unmerge", a.id, detail) != 0)
		return MERGE_ERROR;
	snprintf(detail, sizeof detail, "merge %" PRId64 " undone: no longer merged into person %" PRId64 "; %" PRId64
		 " records put back", out->id, a.id, out->restored);
	if (audit_person(st, by, "person.unmerge", b.id, detail) != 0)
		return MERGE_ERROR;
	return MERGE_OK;
}

enum merge_status merge_list(struct store *st, int64_t person_id,
			     int (*fn)(void *ctx, const struct merge_record *m), void *ctx)
{
	return store_merge_list(st, person_id, MERGE_LIST_MAX, fn, ctx) == 0 ? MERGE_OK : MERGE_ERROR;
}
