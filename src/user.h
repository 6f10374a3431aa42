/*
 * user.h - the hub's staff accounts: who they are, their role, team and agency, and their
 * password (argon2id). Owns: creating, listing and disabling users, checking passwords and the
 * sign-in lockout rule. Must not touch: HTTP, SQL text (that is store.c).
 */
#ifndef SAFEHUB_USER_H
#define SAFEHUB_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define USER_NAME_MAX 64        /* bytes in a username */
#define USER_PASSWORD_MIN 12    /* characters */
#define USER_PASSWORD_MAX 256   /* bytes */
#define USER_LOCK_FAILURES 5    /* consecutive failures that lock an account */
#define USER_LOCK_SECONDS (15 * 60)

/* A member of staff. */
struct user {
	int64_t id;                /* users.id; 0 when not stored */
	char username[USER_NAME_MAX + 1]; /* sign-in name: [a-z0-9._-], 2-64 bytes */
	char display_name[201];    /* the name shown in the header and the audit views */
	char role[16];             /* admin, manager, practitioner, analyst, police_intel, board */
	char team[101];            /* team name, "" when none */
	char agency[101];          /* employing agency, "" when none */
	bool disabled;             /* a disabled user cannot sign in and has no sessions */
	int failed_count;          /* consecutive failed sign-ins */
	int64_t locked_until;      /* UTC seconds; 0 when not locked */
	int64_t created_at;        /* UTC seconds */
};

/*
 * user_check_username - NULL when `s` is a valid username (2-64 bytes of a-z 0-9 . _ -),
 * else the reason.
 */
const char *user_check_username(const char *s);

/*
 * user_check_password - NULL when `pw` is acceptable (valid UTF-8, 12 to 256 characters... at
 * most USER_PASSWORD_MAX bytes, at least USER_PASSWORD_MIN characters), else the reason.
 */
const char *user_check_password(const char *pw);

/*
 * user_hash_password - argon2id (libsodium crypto_pwhash_str, opslimit 2, memlimit 64 MiB:
 * above OWASP's minimum of 19 MiB, t=2) of `pw` into out (crypto_pwhash_STRBYTES bytes).
 * Returns 0, or -1 when out of memory.
 */
int user_hash_password(const char *pw, char *out, size_t cap);

/*
 * user_verify_password - true when `pw` matches `hash`. With hash NULL it verifies against a
 * fixed dummy hash and returns false, so an unknown username costs the same time.
 */
bool user_verify_password(const char *hash, const char *pw);

/*
 * user_add - check and store a new user with the given password (hashed here) in its own
 * transaction, audited as user.create by `actor` (NULL for the command line).
 * Returns 0, or -1 with a message naming the field in err.
 */
int user_add(struct store *st, struct user *u, const char *password, const struct user *actor,
	     char *err, size_t errcap);

/*
 * user_disable - mark a user disabled and end all their sessions, in one audited transaction.
 * Returns 0, 1 when there is no such user, -1 on a store error.
 */
int user_disable(struct store *st, const char *username, const struct user *actor);

#endif
