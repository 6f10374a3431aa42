/*
 * session.h - sign-in, sessions and CSRF tokens (libsodium).
 * A session token is 32 random bytes (base64url, 43 characters) given to the browser in an
 * HttpOnly cookie; the database keeps only its SHA-256. Sessions end after 30 minutes idle or
 * 12 hours in all, on sign-out, and when the user is disabled. Five failed sign-ins in a row
 * lock an account for 15 minutes. Every sign-in, failure and sign-out is audited in the same
 * transaction. Owns: the session lifecycle. Must not touch: HTTP, SQL text.
 */
#ifndef SAFEHUB_SESSION_H
#define SAFEHUB_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "user.h"

struct store;

#define SESSION_IDLE_SECONDS (30 * 60)
#define SESSION_ABSOLUTE_SECONDS (12 * 60 * 60)
#define SESSION_TOUCH_SECONDS 60   /* last_seen is written at most this often */
#define SESSION_TOKEN_LEN 43       /* base64url characters in a token */

/* A live session. */
struct session {
	struct user user;                /* who is signed in */
	unsigned char token_hash[32];    /* SHA-256 of the token */
	char csrf_token[64];             /* base64url, 43 characters */
	int64_t created_at, last_seen, expires_at; /* UTC seconds; expires_at is the absolute limit */
};

enum session_status {
	SESSION_OK = 0,
	SESSION_NONE,      /* no token, or no such session */
	SESSION_EXPIRED,   /* idle or absolute timeout passed (the session is deleted) */
	SESSION_FAILED,    /* sign-in refused: wrong name or password, locked or disabled */
	SESSION_ERROR      /* the store failed */
};

/*
 * session_signin - check username and password; on success create a session, write its token
 * into token_out[SESSION_TOKEN_LEN + 1] and fill *s. Failures count towards the lockout and
 * are audited. Returns SESSION_OK, SESSION_FAILED or SESSION_ERROR.
 */
enum session_status session_signin(struct store *st, const char *username, const char *password,
				   char token_out[SESSION_TOKEN_LEN + 1], struct session *s);

/*
 * session_lookup - find the session for a token (NULL or "" gives SESSION_NONE), check its
 * timeouts and that the user is still enabled, and record activity (at most once a minute).
 */
enum session_status session_lookup(struct store *st, const char *token, struct session *s);

/* session_signout - end the session and audit it. Returns 0 or -1. */
int session_signout(struct store *st, const struct session *s);

/* session_csrf_ok - constant-time comparison of the header value with the session's token. */
bool session_csrf_ok(const struct session *s, const char *header);

/* session_token_hash - SHA-256 of a token string into out[32]. */
void session_token_hash(const char *token, unsigned char out[32]);

#endif
