/*
 * session.c - sign-in with lockout, session lookup with idle and absolute timeouts, sign-out,
 * CSRF comparison. See session.h.
 */
#include "session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "store.h"

void session_token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

static void random_token(char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SESSION_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

enum session_status session_signin(struct store *st, const char *username, const char *password,
				   char token_out[SESSION_TOKEN_LEN + 1], struct session *s)
{
	struct user u;
	char hash[256] = "";
	int found = store_user_by_name(st, username, &u, hash, sizeof hash);
	if (found < 0)
		return SESSION_ERROR;
	/* The slow hash runs outside any transaction, and runs for unknown users too. */
	bool match = user_verify_password(found == 0 ? hash : NULL, password);
	sodium_memzero(hash, sizeof hash);

	if (store_begin(st, true) != 0)
		return SESSION_ERROR;
	int64_t now = store_now();
	struct audit_entry e;
	if (found != 0) {
		audit_fill(&e, NULL, "session.signin_failed", "", 0, "failed", "unknown username");
		goto failed;
	}
	/* Re-read inside the transaction: failures from parallel attempts must all count. */
	if (store_user_by_name(st, username, &u, NULL, 0) != 0)
		goto error;
	if (u.disabled) {
		audit_fill(&e, &u, "session.signin_failed", "user", u.id, "failed", "account disabled");
		goto failed;
	}
	if (u.locked_until > now) {
		audit_fill(&e, &u, "session.signin_failed", "user", u.id, "failed", "account locked");
		goto failed;
	}
	if (!match) {
		int count = u.failed_count + 1;
		int64_t until = 0;
		if (count >= USER_LOCK_FAILURES) {
			until = now + USER_LOCK_SECONDS;
			count = 0;
		}
		if (store_user_set_failures(st, u.id, count, until) != 0)
			goto error;
		audit_fill(&e, &u, "session.signin_failed", "user", u.id, "failed",
			   until ? "wrong password; account locked for 15 minutes" : "wrong password");
		goto failed;
	}
	memset(s, 0, sizeof *s);
	s->user = u;
	random_token(token_out);
	session_token_hash(token_out, s->token_hash);
	random_token(s->csrf_token);
	s->created_at = s->last_seen = now;
	s->expires_at = now + SESSION_ABSOLUTE_SECONDS;
	struct store_session row = { .user_id = u.id, .created_at = now, .last_seen = now,
				     .expires_at = s->expires_at };
	memcpy(row.csrf_token, s->csrf_token, sizeof row.csrf_token);
	audit_fill(&e, &u, "session.signin", "user", u.id, "ok", "");
	if ((u.failed_count && store_user_set_failures(st, u.id, 0, 0) != 0) ||
	    store_session_insert(st, s->token_hash, &row) != 0 || audit_record(st, &e) != 0 ||
	    store_commit(st) != 0)
		goto error;
	return SESSION_OK;
failed:
	if (audit_record(st, &e) != 0 || store_commit(st) != 0)
		goto error;
	return SESSION_FAILED;
error:
	store_rollback(st);
	return SESSION_ERROR;
}

enum session_status session_lookup(struct store *st, const char *token, struct session *s)
{
	if (!token || strlen(token) != SESSION_TOKEN_LEN)
		return SESSION_NONE;
	memset(s, 0, sizeof *s);
	session_token_hash(token, s->token_hash);
	struct store_session row;
	int rc = store_session_get(st, s->token_hash, &row);
	if (rc != 0)
		return rc == STORE_NOTFOUND ? SESSION_NONE : SESSION_ERROR;
	int64_t now = store_now();
	if (now - row.last_seen > SESSION_IDLE_SECONDS || now >= row.expires_at) {
		store_session_delete(st, s->token_hash);
		return SESSION_EXPIRED;
	}
	rc = store_user_by_id(st, row.user_id, &s->user);
	if (rc != 0)
		return rc == STORE_NOTFOUND ? SESSION_NONE : SESSION_ERROR;
	if (s->user.disabled) {
		store_session_delete_user(st, s->user.id);
		return SESSION_NONE;
	}
	memcpy(s->csrf_token, row.csrf_token, sizeof s->csrf_token);
	s->created_at = row.created_at;
	s->last_seen = row.last_seen;
	s->expires_at = row.expires_at;
	if (now - row.last_seen >= SESSION_TOUCH_SECONDS) {
		/* Another process writing (a large import) skips the touch: the next request touches. */
		int touched = store_session_touch(st, s->token_hash, now);
		if (touched != 0 && touched != STORE_BUSY)
			return SESSION_ERROR;
		if (touched == 0)
			s->last_seen = now;
	}
	return SESSION_OK;
}

int session_signout(struct store *st, const struct session *s)
{
	struct audit_entry e;
	if (store_begin(st, true) != 0)
		return -1;
	audit_fill(&e, &s->user, "session.signout", "user", s->user.id, "ok", "");
	if (store_session_delete(st, s->token_hash) != 0 || audit_record(st, &e) != 0 || store_commit(st) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

bool session_csrf_ok(const struct session *s, const char *header)
{
	if (!header)
		return false;
	size_t n = strlen(s->csrf_token);
	if (n == 0 || strlen(header) != n)
		return false;
	return sodium_memcmp(s->csrf_token, header, n) == 0;
}
