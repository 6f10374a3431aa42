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
void api_team_list(struct req *rq, struct resp *rs);

/* api_config.c */
void api_config_get(struct req *rq, struct resp *rs);
void api_config_list_put(struct req *rq, struct resp *rs);
void api_holiday_list(struct req *rq, struct resp *rs);
void api_holiday_add(struct req *rq, struct resp *rs);
void api_holiday_delete(struct req *rq, struct resp *rs);
void api_standard_put(struct req *rq, struct resp *rs);
void api_risk_tool_list(struct req *rq, struct resp *rs);
void api_risk_tool_create(struct req *rq, struct resp *rs);
void api_risk_tool_get(struct req *rq, struct resp *rs);

/* api_referral.c */
void api_referral_list(struct req *rq, struct resp *rs);
void api_referral_create(struct req *rq, struct resp *rs);
void api_referral_get(struct req *rq, struct resp *rs);
void api_referral_decide(struct req *rq, struct resp *rs);

/* api_case.c */
void api_case_list(struct req *rq, struct resp *rs);
void api_case_get(struct req *rq, struct resp *rs);
void api_case_update(struct req *rq, struct resp *rs);
void api_case_allocate(struct req *rq, struct resp *rs);
void api_case_contact_add(struct req *rq, struct resp *rs);
void api_case_note_add(struct req *rq, struct resp *rs);
void api_case_supervision_add(struct req *rq, struct resp *rs);
void api_case_flag_add(struct req *rq, struct resp *rs);
void api_case_flag_update(struct req *rq, struct resp *rs);
void api_case_feedback_add(struct req *rq, struct resp *rs);
void api_case_transition_plan(struct req *rq, struct resp *rs);
void api_case_close(struct req *rq, struct resp *rs);

/* api_assessment.c */
void api_assessment_list(struct req *rq, struct resp *rs);
void api_assessment_create(struct req *rq, struct resp *rs);
void api_assessment_get(struct req *rq, struct resp *rs);

/* api_meeting.c */
void api_meeting_list(struct req *rq, struct resp *rs);
void api_meeting_create(struct req *rq, struct resp *rs);
void api_meeting_get(struct req *rq, struct resp *rs);
void api_action_update(struct req *rq, struct resp *rs);

/* api_dashboard.c */
void api_dashboard_daily(struct req *rq, struct resp *rs);
void api_person_story(struct req *rq, struct resp *rs);

/* api_missing.c: settings, missing episodes, RHIs, notifications (docs/api-missing.md) */
void api_settings_get(struct req *rq, struct resp *rs);
void api_settings_put(struct req *rq, struct resp *rs);
void api_missing_list(struct req *rq, struct resp *rs);
void api_missing_create(struct req *rq, struct resp *rs);
void api_missing_get(struct req *rq, struct resp *rs);
void api_missing_update(struct req *rq, struct resp *rs);
void api_missing_grade(struct req *rq, struct resp *rs);
void api_missing_return(struct req *rq, struct resp *rs);
void api_missing_reopen(struct req *rq, struct resp *rs);
void api_missing_rhi(struct req *rq, struct resp *rs);
void api_notification_list(struct req *rq, struct resp *rs);
void api_notification_ack(struct req *rq, struct resp *rs);
void api_person_missing(struct req *rq, struct resp *rs);

/* api_mfh.c: the MFH dashboard */
void api_dashboard_missing(struct req *rq, struct resp *rs);
void api_dashboard_missing_list(struct req *rq, struct resp *rs);

/* api_import.c, api_export.c */
void api_import_missing(struct req *rq, struct resp *rs);
void api_export_ssda903(struct req *rq, struct resp *rs);
void api_export_annex_a(struct req *rq, struct resp *rs);

/* api_identity.c: intake search and the review queue (docs/api-identity.md) */
void api_person_matches(struct req *rq, struct resp *rs);
void api_person_matches_post(struct req *rq, struct resp *rs);
void api_match_review_list(struct req *rq, struct resp *rs);
void api_match_review_decide(struct req *rq, struct resp *rs);

/* api_merge.c: merge and unmerge */
void api_person_merge(struct req *rq, struct resp *rs);
void api_person_unmerge(struct req *rq, struct resp *rs);
void api_person_merges(struct req *rq, struct resp *rs);

#endif
