/*
 * user.c - staff accounts: username and password rules, argon2id hashing, adding and
 * disabling users. See user.h.
 */
#include "user.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "policy.h"
#include "store.h"
#include "valid.h"

const char *user_check_username(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > USER_NAME_MAX)
		return "must be 2 to 64 characters";
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return "may only contain lower-case letters, digits, '.', '_' and '-'";
	}
	return NULL;
}

const char *user_check_password(const char *pw)
{
	if (strlen(pw) > USER_PASSWORD_MAX)
		return "must be 256 bytes or fewer";
	const char *why = valid_text(pw, USER_PASSWORD_MIN, USER_PASSWORD_MAX, false);
	if (why && strstr(why, "fewer"))
		return "must be 256 characters or fewer";
	if (why && (strstr(why, "empty") || strstr(why, "at least")))
		return "must be at least 12 characters";
	return why;
}

int user_hash_password(const char *pw, char *out, size_t cap)
{
	if (cap < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

bool user_verify_password(const char *hash, const char *pw)
{
	static char dummy[crypto_pwhash_STRBYTES];
	static bool have_dummy;
	if (!hash) {
		/* Same work for an unknown user as for a known one. (A race here only costs an extra hash.) */
		if (!have_dummy && user_hash_password("safehub-dummy-password", dummy, sizeof dummy) == 0)
			have_dummy = true;
		if (have_dummy)
			if (crypto_pwhash_str_verify(dummy, pw, strlen(pw)) == 0)
				return false;
		return false;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int user_add(struct store *st, struct user *u, const char *password, const struct user *actor,
	     char *err, size_t errcap)
{
	const char *why;
	if ((why = user_check_username(u->username))) {
		snprintf(err, errcap, "username %s", why);
		return -1;
	}
	if (!policy_role_known(u->role)) {
		snprintf(err, errcap, "role must be one of: %s", policy_role_list());
		return -1;
	}
	if ((why = valid_text(u->display_name, 1, 100, false))) {
		snprintf(err, errcap, "display name %s", why);
		return -1;
	}
	if ((why = valid_text(u->team, 0, 100, false)) || (why = valid_text(u->agency, 0, 100, false))) {
		snprintf(err, errcap, "team and agency: %s", why);
		return -1;
	}
	if ((why = user_check_password(password))) {
		snprintf(err, errcap, "password %s", why);
		return -1;
	}
	char hash[crypto_pwhash_STRBYTES];
	if (user_hash_password(password, hash, sizeof hash) != 0) {
		snprintf(err, errcap, "out of memory while hashing the password");
		return -1;
	}
	if (store_begin(st, true) != 0) {
		snprintf(err, errcap, "database busy: %s", store_errmsg(st));
		return -1;
	}
	int rc = store_user_insert(st, u, hash);
	if (rc == STORE_CONFLICT) {
		snprintf(err, errcap, "username %s is already taken", u->username);
		goto fail;
	}
	if (rc != 0) {
		snprintf(err, errcap, "cannot store the user: %s", store_errmsg(st));
		goto fail;
	}
	struct audit_entry e;
	char detail[64];
	snprintf(detail, sizeof detail, "role=%s", u->role);
	audit_fill(&e, actor, "user.create", "user", u->id, "ok", detail);
	if (audit_record(st, &e) != 0 || store_commit(st) != 0) {
		snprintf(err, errcap, "cannot store the user: %s", store_errmsg(st));
		goto fail;
	}
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int user_disable(struct store *st, const char *username, const struct user *actor)
{
	struct user u;
	if (store_begin(st, true) != 0)
		return -1;
	int rc = store_user_by_name(st, username, &u, NULL, 0);
	if (rc != 0) {
		store_rollback(st);
		return rc == STORE_NOTFOUND ? 1 : -1;
	}
	struct audit_entry e;
	audit_fill(&e, actor, "user.disable", "user", u.id, "ok", "");
	if (store_user_set_disabled(st, u.id, true) != 0 || store_session_delete_user(st, u.id) != 0 ||
	    audit_record(st, &e) != 0 || store_commit(st) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}
