/*
 * route.c - the route table and the dispatcher. Adding an endpoint means adding a line here
 * (and its handler in api_*.c); the permission it names is enforced before the handler runs
 * and the HTTP security tests read this table through `safehub routes`.
 */
#include "route.h"

#include <string.h>

#include "api.h"
#include "audit.h"
#include "store.h"


const struct route routes[] = {
	{ "GET", "/healthz", PERM_PUBLIC, api_healthz, 0 },
	{ "POST", "/api/v1/session", PERM_PUBLIC, api_session_create, ROUTE_BODY | ROUTE_OWN_TXN | ROUTE_NO_CSRF },
	{ "GET", "/api/v1/session", PERM_SIGNED_IN, api_session_get, 0 },
	{ "DELETE", "/api/v1/session", PERM_SIGNED_IN, api_session_delete, ROUTE_OWN_TXN },
	{ "GET", "/api/v1/reference", PERM_SIGNED_IN, api_reference, 0 },
	{ "GET", "/api/v1/persons", PERM_PERSON_READ, api_person_list, 0 },
	{ "POST", "/api/v1/persons", PERM_PERSON_WRITE, api_person_create, ROUTE_BODY },
	{ "POST", "/api/v1/persons/search", PERM_PERSON_READ, api_person_search, ROUTE_BODY | ROUTE_READ },
	/* Intake search (api_identity.c); before persons/{id} so that "matches" is not taken for an id */
	{ "GET", "/api/v1/persons/matches", PERM_PERSON_READ, api_person_matches, 0 },
	{ "POST", "/api/v1/persons/matches", PERM_PERSON_READ, api_person_matches_post, ROUTE_BODY | ROUTE_READ },
	{ "GET", "/api/v1/persons/{id}", PERM_PERSON_READ, api_person_get, 0 },
	{ "PUT", "/api/v1/persons/{id}", PERM_PERSON_WRITE, api_person_update, ROUTE_BODY },
	{ "GET", "/api/v1/persons/{id}/views", PERM_PERSON_READ, api_person_views, 0 },
	{ "GET", "/api/v1/audit", PERM_AUDIT_READ, api_audit_list, 0 },
	{ "GET", "/api/v1/users", PERM_USER_ADMIN, api_user_list, 0 },
	{ "GET", "/api/v1/teams", PERM_CASE_READ, api_team_list, 0 },

	/* Configuration (api_config.c) */
	{ "GET", "/api/v1/config", PERM_CONFIG_READ, api_config_get, 0 },
	{ "PUT", "/api/v1/config/lists/{list}", PERM_CONFIG_ADMIN, api_config_list_put, ROUTE_BODY },
	{ "GET", "/api/v1/config/bank-holidays", PERM_CONFIG_READ, api_holiday_list, 0 },
	{ "POST", "/api/v1/config/bank-holidays", PERM_CONFIG_ADMIN, api_holiday_add, ROUTE_BODY },
	{ "DELETE", "/api/v1/config/bank-holidays/{date}", PERM_CONFIG_ADMIN, api_holiday_delete, 0 },
	{ "PUT", "/api/v1/config/practice-standards/{code}", PERM_CONFIG_ADMIN, api_standard_put, ROUTE_BODY },
	{ "GET", "/api/v1/risk-tools", PERM_CONFIG_READ, api_risk_tool_list, 0 },
	{ "POST", "/api/v1/risk-tools", PERM_CONFIG_ADMIN, api_risk_tool_create, ROUTE_BODY },
	{ "GET", "/api/v1/risk-tools/{id}", PERM_CONFIG_READ, api_risk_tool_get, 0 },

	/* Referrals (api_referral.c) */
	{ "GET", "/api/v1/referrals", PERM_CASE_READ, api_referral_list, 0 },
	{ "POST", "/api/v1/referrals", PERM_REFERRAL_WRITE, api_referral_create, ROUTE_BODY },
	{ "GET", "/api/v1/referrals/{id}", PERM_CASE_READ, api_referral_get, 0 },
	{ "POST", "/api/v1/referrals/{id}/decision", PERM_REFERRAL_DECIDE, api_referral_decide, ROUTE_BODY },

	/* Cases (api_case.c) */
	{ "GET", "/api/v1/cases", PERM_CASE_READ, api_case_list, 0 },
	{ "GET", "/api/v1/cases/{id}", PERM_CASE_READ, api_case_get, 0 },
	{ "PUT", "/api/v1/cases/{id}", PERM_CASE_WRITE, api_case_update, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/allocation", PERM_CASE_MANAGE, api_case_allocate, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/contacts", PERM_CASE_WRITE, api_case_contact_add, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/notes", PERM_CASE_WRITE, api_case_note_add, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/supervisions", PERM_CASE_MANAGE, api_case_supervision_add, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/flags", PERM_CASE_WRITE, api_case_flag_add, ROUTE_BODY },
	{ "PUT", "/api/v1/cases/{id}/flags/{flag}", PERM_CASE_WRITE, api_case_flag_update, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/feedback", PERM_CASE_WRITE, api_case_feedback_add, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/transition-plan", PERM_CASE_WRITE, api_case_transition_plan, ROUTE_BODY },
	{ "POST", "/api/v1/cases/{id}/closure", PERM_CASE_MANAGE, api_case_close, ROUTE_BODY },

	/* Assessments (api_assessment.c) */
	{ "GET", "/api/v1/assessments", PERM_CASE_READ, api_assessment_list, 0 },
	{ "POST", "/api/v1/assessments", PERM_CASE_WRITE, api_assessment_create, ROUTE_BODY },
	{ "GET", "/api/v1/assessments/{id}", PERM_CASE_READ, api_assessment_get, 0 },

	/* Meetings and actions (api_meeting.c) */
	{ "GET", "/api/v1/meetings", PERM_CASE_READ, api_meeting_list, 0 },
	{ "POST", "/api/v1/meetings", PERM_CASE_WRITE, api_meeting_create, ROUTE_BODY },
	{ "GET", "/api/v1/meetings/{id}", PERM_CASE_READ, api_meeting_get, 0 },
	{ "PUT", "/api/v1/meetings/{id}/actions/{action}", PERM_CASE_WRITE, api_action_update, ROUTE_BODY },

	/* The daily tasking list and the person's whole story (api_dashboard.c) */
	{ "GET", "/api/v1/dashboard/daily", PERM_DASHBOARD_DAILY, api_dashboard_daily, 0 },
	{ "GET", "/api/v1/persons/{id}/story", PERM_CASE_READ, api_person_story, 0 },

	/* Settings (api_missing.c) */
	{ "GET", "/api/v1/config/settings", PERM_CONFIG_READ, api_settings_get, 0 },
	{ "PUT", "/api/v1/config/settings", PERM_CONFIG_ADMIN, api_settings_put, ROUTE_BODY },

	/* Missing episodes, return home interviews, notifications (api_missing.c) */
	{ "GET", "/api/v1/missing-episodes", PERM_MISSING_READ, api_missing_list, 0 },
	{ "POST", "/api/v1/missing-episodes", PERM_MISSING_WRITE, api_missing_create, ROUTE_BODY },
	{ "GET", "/api/v1/missing-episodes/{id}", PERM_MISSING_READ, api_missing_get, 0 },
	{ "PUT", "/api/v1/missing-episodes/{id}", PERM_MISSING_WRITE, api_missing_update, ROUTE_BODY },
	{ "POST", "/api/v1/missing-episodes/{id}/gradings", PERM_MISSING_WRITE, api_missing_grade, ROUTE_BODY },
	{ "POST", "/api/v1/missing-episodes/{id}/return", PERM_MISSING_WRITE, api_missing_return, ROUTE_BODY },
	{ "POST", "/api/v1/missing-episodes/{id}/reopen", PERM_MISSING_REOPEN, api_missing_reopen, ROUTE_BODY },
	{ "PUT", "/api/v1/missing-episodes/{id}/rhi", PERM_MISSING_WRITE, api_missing_rhi, ROUTE_BODY },
	{ "GET", "/api/v1/missing-notifications", PERM_MISSING_READ, api_notification_list, 0 },
	{ "POST", "/api/v1/missing-notifications/{id}/acknowledgement", PERM_MISSING_WRITE, api_notification_ack, ROUTE_BODY },
	{ "GET", "/api/v1/persons/{id}/missing", PERM_MISSING_READ, api_person_missing, 0 },

	/* The MFH dashboard (api_mfh.c) */
	{ "GET", "/api/v1/dashboard/missing", PERM_DASHBOARD_MISSING, api_dashboard_missing, 0 },
	{ "GET", "/api/v1/dashboard/missing/list", PERM_DASHBOARD_MISSING, api_dashboard_missing_list, 0 },

	/* Import (api_import.c) and exports (api_export.c) */
	{ "POST", "/api/v1/imports/missing", PERM_IMPORT_RUN, api_import_missing, ROUTE_CSV },
	{ "GET", "/api/v1/exports/ssda903-missing", PERM_EXPORT_RUN, api_export_ssda903, 0 },
	{ "GET", "/api/v1/exports/annex-a-missing", PERM_EXPORT_RUN, api_export_annex_a, 0 },

	/* Merge and unmerge (api_merge.c); the review queue (api_identity.c) */
	{ "POST", "/api/v1/persons/{id}/merge", PERM_PERSON_MERGE, api_person_merge, ROUTE_BODY },
	{ "POST", "/api/v1/persons/{id}/unmerge", PERM_PERSON_MERGE, api_person_unmerge, ROUTE_BODY },
	{ "GET", "/api/v1/persons/{id}/merges", PERM_PERSON_READ, api_person_merges, 0 },
	{ "GET", "/api/v1/match-reviews", PERM_MATCH_REVIEW, api_match_review_list, 0 },
	{ "POST", "/api/v1/match-reviews/{id}/decision", PERM_PERSON_MERGE, api_match_review_decide, ROUTE_BODY },
};
const int route_count = sizeof routes / sizeof routes[0];

/* Match path against pattern, collecting {param} segments into rq. */
static bool match(const char *pattern, const char *path, struct req *rq)
{
	size_t used = 0;
	int n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			size_t len = se ? (size_t)(se - s) : strlen(s);
			if (!pe || len == 0 || n == HTTP_PARAMS_MAX || used + len + 1 > sizeof rq->param_buf)
				return false;
			memcpy(rq->param_buf + used, s, len);
			rq->param_buf[used + len] = 0;
			rq->params[n++] = rq->param_buf + used;
			used += len + 1;
			p = pe + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	rq->n_params = n;
	return true;
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Record a refusal: someone signed in tried a route their role does not allow. */
static void audit_denied(struct req *rq, const struct route *r)
{
	struct audit_entry e;
	char detail[200];
	snprintf(detail, sizeof detail, "%s %s needs %s", r->method, r->pattern, policy_perm_name(r->perm));
	audit_fill(&e, &rq->session.user, "access.denied", "", 0, "denied", detail);
	audit_record_now(rq->st, &e);
}

void route_dispatch(struct req *rq, struct resp *rs)
{
	const struct route *r = NULL;
	char allow[64] = "";
	for (int i = 0; i < route_count; i++) {
		if (!match(routes[i].pattern, rq->path, rq))
			continue;
		if (strcmp(routes[i].method, rq->method) == 0) {
			r = &routes[i];
			break;
		}
		size_t len = strlen(allow);
		snprintf(allow + len, sizeof allow - len, "%s%s", len ? ", " : "", routes[i].method);
	}
	if (!r) {
		if (allow[0]) {
			snprintf(rs->allow, sizeof rs->allow, "%s", allow);
			resp_problem(rs, 405, "Method not allowed", NULL, NULL);
		} else {
			resp_problem(rs, 404, "Not found", "There is no such API path.", NULL);
		}
		return;
	}
	rq->st = store_thread();
	if (!rq->st) {
		resp_problem(rs, 503, "Service unavailable", "The database cannot be opened.", NULL);
		return;
	}

	if (r->perm != PERM_PUBLIC) {
		enum session_status ss = session_lookup(rq->st, http_cookie(rq, "safehub_session"), &rq->session);
		if (ss == SESSION_ERROR) {
			resp_problem(rs, 503, "Service unavailable", "The session store is busy. Try again.", NULL);
			return;
		}
		if (ss != SESSION_OK) {
			resp_problem(rs, 401, "Sign in required",
				     ss == SESSION_EXPIRED ? "Your session has ended. Sign in again." : "Sign in to continue.",
				     NULL);
			return;
		}
		rq->signed_in = true;
		if (is_write(r->method) && !(r->flags & ROUTE_NO_CSRF) &&
		    !session_csrf_ok(&rq->session, http_header(rq, "X-CSRF-Token"))) {
			resp_problem(rs, 403, "Forbidden", "The X-CSRF-Token header is missing or wrong.", NULL);
			return;
		}
		if (!policy_allows(rq->session.user.role, r->perm)) {
			audit_denied(rq, r);
			resp_problem(rs, 403, "Forbidden", "Your role does not allow this.", NULL);
			return;
		}
	}

	if (r->flags & ROUTE_BODY) {
		const char *ct = http_header(rq, "Content-Type");
		if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
			resp_problem(rs, 415, "Unsupported media type", "Send the body as application/json.", NULL);
			return;
		}
		/* A CSV upload's NUL bytes are the CSV reader's to name (a UTF-16 file, with its line). */
		if (rq->body && memchr(rq->body, 0, rq->body_len)) {
			resp_problem(rs, 400, "Bad request", "The body contains a NUL byte.", NULL);
			return;
		}
		json_error_t jerr;
		rq->json = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!rq->json) {
			char detail[300];
			snprintf(detail, sizeof detail, "The body is not valid JSON: %s (line %d, column %d).", jerr.text,
				 jerr.line, jerr.column);
			resp_problem(rs, 400, "Malformed JSON", detail, NULL);
			return;
		}
		if (!json_is_object(rq->json)) {
			resp_problem(rs, 400, "Malformed JSON", "The body must be a JSON object.", NULL);
			return;
		}
	}

	if (r->flags & ROUTE_CSV) {
		const char *ct = http_header(rq, "Content-Type");
		if (!ct || strncasecmp(ct, "text/csv", 8) != 0 || (ct[8] && ct[8] != ';' && ct[8] != ' ')) {
			resp_problem(rs, 415, "Unsupported media type", "Send the file as text/csv.", NULL);
			return;
		}
	}

	if (r->flags & ROUTE_OWN_TXN) {
		r->fn(rq, rs);
		return;
	}
	bool write = (is_write(r->method) && !(r->flags & ROUTE_READ)) || (r->flags & ROUTE_WRITE);
	if (store_begin(rq->st, write) != 0) {
		resp_problem(rs, 503, "Service unavailable", "The database is busy. Try again.", NULL);
		return;
	}
	r->fn(rq, rs);
	if (rs->status >= 200 && rs->status < 400) {
		if (store_commit(rq->st) != 0) {
			rs->has_view = false;
			resp_problem(rs, 503, "Service unavailable", "The change could not be saved. Try again.", NULL);
		}
	} else {
		store_rollback(rq->st);
	}
}

void route_print(FILE *out)
{
	for (int i = 0; i < route_count; i++) {
		const struct route *r = &routes[i];
		fprintf(out, "{\"method\":\"%s\",\"path\":\"%s\",\"permission\":\"%s\",\"roles\":[", r->method, r->pattern,
			policy_perm_name(r->perm));
		int n = 0;
		if (r->perm != PERM_PUBLIC)
			for (int k = 0; k < policy_role_count; k++)
				if (policy_allows(policy_roles[k].code, r->perm))
					fprintf(out, "%s\"%s\"", n++ ? "," : "", policy_roles[k].code);
		fprintf(out, "]}\n");
	}
}
