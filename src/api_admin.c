/*
 * api_admin.c - administrators' endpoints: the audit trail and the user list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "json.h"
#include "store.h"
#include "valid.h"

/* A YYYY-MM-DD query parameter as UTC seconds at the start of that day (+ days_after). */
static int date_param(struct req *rq, const char *name, int days_after, int64_t *out, struct jv *v)
{
	const char *s = http_query(rq, name);
	*out = 0;
	if (!s || !*s)
		return 0;
	struct valid_date d;
	if (!valid_parse_date(s, &d)) {
		jv_error(v, name, "must be a date written YYYY-MM-DD");
		return -1;
	}
	*out = (valid_days_from_civil(&d) + days_after) * 86400;
	return 0;
}

void api_audit_list(struct req *rq, struct resp *rs)
{
	struct store_audit_filter f;
	memset(&f, 0, sizeof f);
	struct jv v = { 0 };
	const char *username = http_query(rq, "username");
	const char *person = http_query(rq, "person");
	const char *limit = http_query(rq, "limit");
	const char *before = http_query(rq, "before");
	if (username && *username) {
		if (strlen(username) > USER_NAME_MAX)
			jv_error(&v, "username", "is too long");
		else
			snprintf(f.username, sizeof f.username, "%s", username);
	}
	if (person && *person) {
		char *end = NULL;
		long long id = strtoll(person, &end, 10);
		if (!end || *end || id < 1)
			jv_error(&v, "person", "must be a person id");
		else {
			snprintf(f.object_type, sizeof f.object_type, "person");
			snprintf(f.object_id, sizeof f.object_id, "%lld", id);
		}
	}
	date_param(rq, "from", 0, &f.from, &v);
	date_param(rq, "to", 1, &f.to, &v);
	f.limit = 100;
	if (limit && *limit) {
		char *end = NULL;
		long n = strtol(limit, &end, 10);
		if (!end || *end || n < 1 || n > 500)
			jv_error(&v, "limit", "must be a whole number from 1 to 500");
		else
			f.limit = (int)n;
	}
	if (before && *before) {
		char *end = NULL;
		long long n = strtoll(before, &end, 10);
		if (!end || *end || n < 1)
			jv_error(&v, "before", "must be a sequence number");
		else
			f.before = n;
	}
	if (jv_failed(&v)) {
		resp_problem(rs, 400, "Bad query", "A filter is not valid.", jv_take(&v));
		return;
	}
	struct audit_entry *items = NULL;
	int n = 0;
	if (store_audit_query(rq->st, &f, &items, &n) != 0) {
		resp_problem(rs, 503, "Service unavailable", "The audit trail could not be read.", NULL);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const struct audit_entry *e = &items[i];
		json_array_append_new(arr, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
						     (json_int_t)e->seq, "at", jv_time(e->at), "username", e->username,
						     "role", e->role, "agency", e->agency, "action", e->action,
						     "object_type", e->object_type, "object_id", e->object_id, "outcome",
						     e->outcome, "detail", e->detail, "hash", e->hash));
	}
	json_t *next = n == f.limit && n > 0 ? json_integer(items[n - 1].seq) : json_null();
	free(items);
	resp_json(rs, 200, json_pack("{s:o, s:o}", "items", arr, "next_before", next));
	rs->has_view = true;
	audit_fill(&rs->view, &rq->session.user, "audit.read", "", 0, "ok", "");
}

void api_user_list(struct req *rq, struct resp *rs)
{
	struct user *users = NULL;
	int n = 0;
	if (store_user_list(rq->st, &users, &n) != 0) {
		resp_problem(rs, 503, "Service unavailable", "The users could not be read.", NULL);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const struct user *u = &users[i];
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "id", (json_int_t)u->id,
						     "username", u->username, "display_name", u->display_name, "role",
						     u->role, "team", u->team, "agency", u->agency, "disabled",
						     u->disabled, "locked_until", jv_time(u->locked_until)));
	}
	free(users);
	resp_json(rs, 200, json_pack("{s:o}", "items", arr));
	rs->has_view = true;
	audit_fill(&rs->view, &rq->session.user, "user.list", "", 0, "ok", "");
}

/* Order users by team, then display name, for grouping. */
static int by_team(const void *a, const void *b)
{
	const struct user *x = a, *y = b;
	int c = strcmp(x->team, y->team);
	return c ? c : strcmp(x->display_name, y->display_name);
}

/*
 * GET /api/v1/teams - the teams that cases can be allocated to (every team an active user belongs
 * to) with their active members, for the allocation and decision forms:
 * {"items": [{"team", "members": [{"username", "display_name", "role"}]}]}, teams by name.
 */
void api_team_list(struct req *rq, struct resp *rs)
{
	struct user *users = NULL;
	int n = 0;
	if (store_user_list(rq->st, &users, &n) != 0) {
		resp_problem(rs, 503, "Service unavailable", "The teams could not be read.", NULL);
		return;
	}
	qsort(users, (size_t)n, sizeof *users, by_team);
	json_t *items = json_array();
	json_t *members = NULL;
	const char *team = NULL;
	for (int i = 0; i < n; i++) {
		const struct user *u = &users[i];
		if (u->disabled || !u->team[0])
			continue;
		if (!team || strcmp(team, u->team) != 0) {
			team = u->team;
			members = json_array();
			json_array_append_new(items, json_pack("{s:s, s:o}", "team", team, "members", members));
		}
		json_array_append_new(members, json_pack("{s:s, s:s, s:s}", "username", u->username, "display_name",
							 u->display_name, "role", u->role));
	}
	free(users);
	resp_json(rs, 200, json_pack("{s:o}", "items", items));
}
