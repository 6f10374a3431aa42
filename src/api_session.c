/*
 * api_session.c - sign-in, who-am-I, sign-out; the health check; reference lists for forms.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "json.h"
#include "person.h"
#include "policy.h"
#include "session.h"
#include "store.h"

static json_t *user_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "username", u->username,
			 "display_name", u->display_name, "role", u->role, "team", u->team, "agency", u->agency);
}

static json_t *session_json(const struct session *s)
{
	return json_pack("{s:s, s:o, s:o}", "csrf_token", s->csrf_token, "user", user_json(&s->user), "expires_at",
			 jv_time(s->expires_at));
}

void api_healthz(struct req *rq, struct resp *rs)
{
	(void)rq;
	resp_json(rs, 200, json_pack("{s:s}", "status", "ok"));
}

void api_session_create(struct req *rq, struct resp *rs)
{
	struct jv v = { 0 };
	char username[USER_NAME_MAX + 1], password[USER_PASSWORD_MAX + 1];
	static const char *const known[] = { "username", "password", NULL };
	jv_known(&v, rq->json, "", known);
	json_t *u = json_object_get(rq->json, "username"), *p = json_object_get(rq->json, "password");
	if (!json_is_string(u) || !json_string_length(u))
		jv_error(&v, "username", "is required");
	if (!json_is_string(p) || !json_string_length(p))
		jv_error(&v, "password", "is required");
	if (jv_failed(&v)) {
		resp_problem(rs, 422, "Check the details", "Enter your username and password.", jv_take(&v));
		return;
	}
	/* Over-long values cannot match anyone: treat them like any other failure. */
	bool fits = json_string_length(u) <= USER_NAME_MAX && json_string_length(p) <= USER_PASSWORD_MAX;
	snprintf(username, sizeof username, "%s", fits ? json_string_value(u) : "");
	snprintf(password, sizeof password, "%s", fits ? json_string_value(p) : "");
	struct session s;
	char token[SESSION_TOKEN_LEN + 1];
	enum session_status ss = fits ? session_signin(rq->st, username, password, token, &s) : SESSION_FAILED;
	memset(password, 0, sizeof password);
	if (ss == SESSION_ERROR) {
		resp_problem(rs, 503, "Service unavailable", "Sign-in is not available just now. Try again.", NULL);
		return;
	}
	if (ss != SESSION_OK) {
		/* One answer for every failure: it never says whether the username exists. */
		resp_problem(rs, 401, "Sign-in failed",
			     "The username or password is wrong, or the account is locked. After 5 failed attempts an"
			     " account is locked for 15 minutes.",
			     NULL);
		return;
	}
	snprintf(rs->set_cookie, sizeof rs->set_cookie, "safehub_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
		 token, rq->tls ? "; Secure" : "");
	memset(token, 0, sizeof token);
	resp_json(rs, 201, session_json(&s));
}

void api_session_get(struct req *rq, struct resp *rs)
{
	resp_json(rs, 200, session_json(&rq->session));
}

void api_session_delete(struct req *rq, struct resp *rs)
{
	if (session_signout(rq->st, &rq->session) != 0) {
		resp_problem(rs, 503, "Service unavailable", "Sign-out did not complete. Try again.", NULL);
		return;
	}
	snprintf(rs->set_cookie, sizeof rs->set_cookie,
		 "safehub_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", rq->tls ? "; Secure" : "");
	rs->status = 204;
	rs->content_type = "application/json";
}

static json_t *codes_json(const struct person_code *list)
{
	json_t *a = json_array();
	for (int i = 0; list[i].code; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", list[i].code, "label", list[i].label));
	return a;
}

void api_reference(struct req *rq, struct resp *rs)
{
	(void)rq;
	static const struct person_code ids[] = {
		{ "nhs_number", "NHS number" }, { "upn", "Unique pupil number" },
		{ "police_ref", "Police reference" }, { "la_id", "Local authority person ID" }, { NULL, NULL },
	};
	json_t *roles = json_array();
	for (int i = 0; i < policy_role_count; i++)
		json_array_append_new(roles, json_pack("{s:s, s:s}", "code", policy_roles[i].code, "label",
						       policy_roles[i].label));
	resp_json(rs, 200, json_pack("{s:o, s:o, s:o, s:o}", "sexes", codes_json(person_sexes), "ethnicities",
				     codes_json(person_ethnicities), "roles", roles, "identifier_types", codes_json(ids)));
}
