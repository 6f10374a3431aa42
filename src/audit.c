/*
 * audit.c - the hash-chained audit trail: encoding, hashing, appending inside a transaction,
 * the group-commit writer for views, and the verifier. See audit.h.
 */
#include "audit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "user.h"

void audit_fill(struct audit_entry *e, const struct user *user, const char *action,
		const char *object_type, int64_t object_id, const char *outcome, const char *detail)
{
	memset(e, 0, sizeof *e);
	e->at = store_now();
	if (user) {
		e->user_id = user->id;
		snprintf(e->username, sizeof e->username, "%s", user->username);
		snprintf(e->role, sizeof e->role, "%s", user->role);
		snprintf(e->agency, sizeof e->agency, "%s", user->agency);
	}
	snprintf(e->action, sizeof e->action, "%s", action);
	snprintf(e->object_type, sizeof e->object_type, "%s", object_type ? object_type : "");
	if (object_id > 0)
		snprintf(e->object_id, sizeof e->object_id, "%lld", (long long)object_id);
	snprintf(e->outcome, sizeof e->outcome, "%s", outcome);
	snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
}

static void field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	int n = snprintf(len, sizeof len, "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)";", 1);
}

static void field_int(crypto_hash_sha256_state *h, int64_t v)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)v);
	field(h, s);
}

void audit_hash(const struct audit_entry *e, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	field_int(&h, e->seq);
	field_int(&h, e->at);
	field_int(&h, e->user_id);
	field(&h, e->username);
	field(&h, e->role);
	field(&h, e->agency);
	field(&h, e->action);
	field(&h, e->object_type);
	field(&h, e->object_id);
	field(&h, e->outcome);
	field(&h, e->detail);
	field(&h, e->prev_hash);
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

int audit_record(struct store *st, struct audit_entry *e)
{
	int64_t seq;
	if (store_audit_head(st, &seq, e->prev_hash) != 0)
		return -1;
	e->seq = seq + 1;
	audit_hash(e, e->hash);
	return store_audit_append(st, e);
}

int audit_record_now(struct store *st, struct audit_entry *e)
{
	if (store_begin(st, true) != 0)
		return -1;
	if (audit_record(st, e) != 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st);
}

/* ---- the group-commit writer ---- */

#define QUEUE_MAX 8192 /* entries waiting at most; beyond it audit_view refuses (503) */

struct pending {
	struct audit_entry e;  /* the entry to record */
	audit_done_fn done;    /* called after the commit */
	void *arg;             /* its argument */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct pending *queue;  /* QUEUE_MAX slots; [0, n) waiting */
	int n;
	bool running;           /* the thread is started */
	bool stopping;          /* audit_writer_stop was called */
	pthread_t thread;
	struct store *st;       /* the writer's own connection */
} w = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void *writer_main(void *unused)
{
	(void)unused;
	struct pending *batch = calloc(QUEUE_MAX, sizeof *batch);
	if (!batch)
		abort();
	pthread_mutex_lock(&w.lock);
	for (;;) {
		while (w.n == 0 && !w.stopping)
			pthread_cond_wait(&w.wake, &w.lock);
		if (w.n == 0 && w.stopping)
			break;
		int n = w.n;
		memcpy(batch, w.queue, (size_t)n * sizeof *batch);
		w.n = 0;
		pthread_mutex_unlock(&w.lock);

		/* One transaction, one fsync, for everything that queued while the last batch committed. */
		bool ok = store_begin(w.st, true) == 0;
		for (int i = 0; ok && i < n; i++)
			ok = audit_record(w.st, &batch[i].e) == 0;
		if (ok)
			ok = store_commit(w.st) == 0;
		else
			store_rollback(w.st);
		if (!ok)
			fprintf(stderr, "safehub: audit: a batch of %d views could not be recorded: %s\n", n,
				store_errmsg(w.st));
		for (int i = 0; i < n; i++)
			if (batch[i].done)
				batch[i].done(batch[i].arg, ok);

		pthread_mutex_lock(&w.lock);
	}
	pthread_mutex_unlock(&w.lock);
	free(batch);
	return NULL;
}

int audit_writer_start(const char *path)
{
	char err[512];
	w.st = store_open(path, false, err, sizeof err);
	if (!w.st) {
		fprintf(stderr, "safehub: audit writer: %s\n", err);
		return -1;
	}
	w.queue = calloc(QUEUE_MAX, sizeof *w.queue);
	if (!w.queue)
		return -1;
	w.stopping = false;
	if (pthread_create(&w.thread, NULL, writer_main, NULL) != 0)
		return -1;
	w.running = true;
	return 0;
}

void audit_writer_stop(void)
{
	if (!w.running)
		return;
	pthread_mutex_lock(&w.lock);
	w.stopping = true;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
	pthread_join(w.thread, NULL);
	w.running = false;
	store_close(w.st);
	w.st = NULL;
	free(w.queue);
	w.queue = NULL;
}

int audit_view(struct store *st, const struct audit_entry *e, audit_done_fn done, void *arg)
{
	if (!w.running) {
		struct audit_entry copy = *e;
		bool ok = audit_record_now(st, &copy) == 0;
		if (done)
			done(arg, ok);
		return ok ? 0 : -1;
	}
	pthread_mutex_lock(&w.lock);
	if (w.n == QUEUE_MAX || w.stopping) {
		pthread_mutex_unlock(&w.lock);
		return -1;
	}
	w.queue[w.n].e = *e;
	w.queue[w.n].done = done;
	w.queue[w.n].arg = arg;
	w.n++;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
	return 0;
}

/* ---- verification ---- */

struct walk {
	int64_t expect;      /* the seq the next entry must have */
	char prev[65];       /* the previous entry's hash */
	int64_t bad;         /* first bad seq */
	char *why;
	size_t cap;
};

static int verify_one(void *ctx, const struct audit_entry *e)
{
	struct walk *v = ctx;
	char h[65];
	if (e->seq != v->expect) {
		/* A gap (deleted entry) or a moved one: the first bad number is the one missing here. */
		v->bad = v->expect < e->seq ? v->expect : e->seq;
		snprintf(v->why, v->cap, "expected seq %lld, found seq %lld (an entry is missing or moved)",
			 (long long)v->expect, (long long)e->seq);
		return 1;
	}
	if (strcmp(e->prev_hash, v->prev) != 0) {
		v->bad = e->seq;
		snprintf(v->why, v->cap, "seq %lld does not follow the entry before it (prev_hash differs)",
			 (long long)e->seq);
		return 1;
	}
	audit_hash(e, h);
	if (strcmp(h, e->hash) != 0) {
		v->bad = e->seq;
		snprintf(v->why, v->cap, "seq %lld was changed (its hash does not match its content)",
			 (long long)e->seq);
		return 1;
	}
	memcpy(v->prev, e->hash, sizeof v->prev);
	v->expect++;
	return 0;
}

int64_t audit_verify(struct store *st, int64_t *bad_seq, char *why, size_t cap)
{
	struct walk v = { .expect = 1, .why = why, .cap = cap };
	memset(v.prev, '0', 64);
	v.prev[64] = 0;
	*bad_seq = 0;
	snprintf(why, cap, "ok");
	if (store_begin(st, false) != 0) {
		snprintf(why, cap, "cannot read: %s", store_errmsg(st));
		return -1;
	}
	int rc = store_audit_walk(st, verify_one, &v);
	int64_t head_seq = 0;
	char head_hash[65] = "";
	int hrc = store_audit_head(st, &head_seq, head_hash);
	store_rollback(st);
	if (rc < 0 || hrc != 0) {
		snprintf(why, cap, "cannot read the audit trail: %s", store_errmsg(st));
		return -1;
	}
	if (rc > 0) {
		*bad_seq = v.bad;
		return -1;
	}
	int64_t n = v.expect - 1;
	if (head_seq != n || strcmp(head_hash, v.prev) != 0) {
		/* The table ends before (or differs from) the head kept outside it: the tail was cut. */
		*bad_seq = (head_seq < n ? head_seq : n) + 1;
		snprintf(why, cap, "the trail ends at seq %lld but its head says seq %lld: entries from seq %lld"
			 " were removed or the head was changed", (long long)n, (long long)head_seq,
			 (long long)*bad_seq);
		return -1;
	}
	return n;
}
