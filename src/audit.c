/*
 * audit.c - the hash-chained audit trail: encoding, hashing, appending inside a transaction,
 * the group-commit writer for views, and the verifier. See audit.h.
 */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

#define QUEUE_MAX 8192        /* entries waiting at most; beyond it audit_view refuses (503) */
#define JOURNAL_WAIT_MS 1000  /* a batch waits this long for the write lock, then is journaled */
#define JOURNAL_RETRY_MS 250  /* while entries are journaled, how often the writer tries to append them */
#define JOURNAL_SUFFIX "-views"

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
	/* The view journal (the writer thread's alone once started): views answered while another
	 * process held the write lock, on disk in the order they came, until appended. */
	char journal[4200];     /* "<db>-views" */
	int fd;                 /* the journal, open to append; -1 before audit_writer_start */
	int64_t next;           /* the number the next journaled entry gets */
	long journaled;         /* entries in the journal not yet appended to the trail */
} w = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .fd = -1 };

/* Append batch[0..n) to the trail in one transaction already begun; commit. true when committed. */
static bool record_batch(struct pending *batch, int n)
{
	bool ok = true;
	for (int i = 0; ok && i < n; i++)
		ok = audit_record(w.st, &batch[i].e) == 0;
	if (ok)
		ok = store_commit(w.st) == 0;
	else
		store_rollback(w.st);
	return ok;
}

/* Write batch[0..n) to the journal, one JSON object a line, numbered, then fdatasync. 0 or -1. */
static int journal_append(const struct pending *batch, int n)
{
	size_t cap = (size_t)n * 4096 + 1, len = 0; /* an entry's fields, each escaped at worst 6 times over */
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	int64_t next = w.next;
	for (int i = 0; i < n; i++) {
		const struct audit_entry *e = &batch[i].e;
		json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "j", (json_int_t)next++,
				      "at", (json_int_t)e->at, "user_id", (json_int_t)e->user_id, "username", e->username,
				      "role", e->role, "agency", e->agency, "action", e->action, "object_type",
				      e->object_type, "object_id", e->object_id, "outcome", e->outcome, "detail", e->detail);
		char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		size_t l = line ? strlen(line) : 0;
		if (!line || len + l + 2 > cap) {
			free(line);
			free(buf);
			return -1;
		}
		memcpy(buf + len, line, l);
		buf[len + l] = '\n';
		len += l + 1;
		free(line);
	}
	size_t off = 0;
	while (off < len) {
		ssize_t got = write(w.fd, buf + off, len - off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		off += (size_t)got;
	}
	free(buf);
	if (off < len || fdatasync(w.fd) != 0)
		return -1;
	w.next = next;
	w.journaled += n;
	return 0;
}

/* Read journal line `line` (len bytes) into *e and its number *j. false when it is not a whole
 * entry (the torn end of a write the server did not finish: never acknowledged). */
static bool journal_entry(const char *line, size_t len, struct audit_entry *e, int64_t *j)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	bool ok = json_is_object(o) && json_is_integer(json_object_get(o, "j"));
	if (ok) {
		memset(e, 0, sizeof *e);
		*j = json_integer_value(json_object_get(o, "j"));
		e->at = json_integer_value(json_object_get(o, "at"));
		e->user_id = json_integer_value(json_object_get(o, "user_id"));
#define TEXT(name) snprintf(e->name, sizeof e->name, "%s", json_string_value(json_object_get(o, #name)) ? json_string_value(json_object_get(o, #name)) : "")
		TEXT(username);
		TEXT(role);
		TEXT(agency);
		TEXT(action);
		TEXT(object_type);
		TEXT(object_id);
		TEXT(outcome);
		TEXT(detail);
#undef TEXT
	}
	json_decref(o);
	return ok;
}

/* The next whole entry of the journal text at *at, moving *at past it (a line that is not one is
 * passed over): true with *e and its number *j, false at the end. */
static bool journal_next(const char **at, struct audit_entry *e, int64_t *j)
{
	while (**at) {
		const char *line = *at, *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		*at = line + l + (nl ? 1 : 0);
		if (nl && journal_entry(line, l, e, j))
			return true;
	}
	return false;
}

/* The journal's text, malloc'd (NUL-terminated), *len its length; NULL on a read error. */
static char *journal_read(size_t *len)
{
	struct stat sb;
	if (fstat(w.fd, &sb) != 0)
		return NULL;
	char *text = malloc((size_t)sb.st_size + 1);
	if (!text)
		return NULL;
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t r = pread(w.fd, text + got, (size_t)sb.st_size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	text[got] = 0;
	*len = got;
	return text;
}

/*
 * Append the journal's entries numbered above audit_journal.replayed to the trail, in order, and
 * move replayed in the same transaction; then empty the journal. Waits at most wait_ms for the
 * write lock. 0 (nothing left), STORE_BUSY or -1 (the entries stay journaled).
 */
static int journal_replay(int wait_ms)
{
	size_t len = 0;
	char *text = journal_read(&len);
	if (!text)
		return -1;
	int rc = store_begin_within(w.st, wait_ms);
	if (rc != 0) {
		free(text);
		return rc;
	}
	int64_t replayed = 0, last = 0;
	bool ok = store_audit_journal_get(w.st, &replayed) == 0;
	last = replayed;
	struct audit_entry e;
	int64_t j;
	for (const char *at = text; ok && journal_next(&at, &e, &j);) {
		if (j <= replayed)
			continue;
		ok = audit_record(w.st, &e) == 0;
		if (j > last)
			last = j;
	}
	free(text);
	if (ok && last > replayed)
		ok = store_audit_journal_set(w.st, last) == 0;
	if (ok)
		ok = store_commit(w.st) == 0;
	else
		store_rollback(w.st);
	if (!ok)
		return -1;
	/* Appended and marked: emptying the journal now may be cut short without harm. */
	if (ftruncate(w.fd, 0) != 0 || fdatasync(w.fd) != 0)
		return -1;
	w.journaled = 0;
	return 0;
}

/* Open the journal beside the database at path, and count what it holds that the trail does not.
 * 0 or -1. */
static int journal_open(const char *path)
{
	snprintf(w.journal, sizeof w.journal, "%s%s", path, JOURNAL_SUFFIX);
	w.fd = open(w.journal, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (w.fd < 0)
		return -1;
	int64_t replayed = 0;
	if (store_audit_journal_get(w.st, &replayed) != 0)
		return -1;
	size_t len = 0;
	char *text = journal_read(&len);
	if (!text)
		return -1;
	/* A line without its newline is the torn end of a write that was never acknowledged: cut it,
	 * or the next entry appended would be joined to it. */
	char *end = strrchr(text, '\n');
	size_t whole = end ? (size_t)(end - text) + 1 : 0;
	if (whole < len && (ftruncate(w.fd, (off_t)whole) != 0 || fdatasync(w.fd) != 0)) {
		free(text);
		return -1;
	}
	text[whole] = 0;
	w.next = replayed + 1;
	w.journaled = 0;
	struct audit_entry e;
	int64_t j;
	for (const char *at = text; journal_next(&at, &e, &j);) {
		if (j >= w.next)
			w.next = j + 1;
		if (j > replayed)
			w.journaled++;
	}
	free(text);
	/* Everything in it is in the trail already (stopped between the two): empty it. */
	if (!w.journaled && whole && (ftruncate(w.fd, 0) != 0 || fdatasync(w.fd) != 0))
		return -1;
	return 0;
}

static void *writer_main(void *unused)
{
	(void)unused;
	struct pending *batch = calloc(QUEUE_MAX, sizeof *batch);
	if (!batch)
		abort();
	pthread_mutex_lock(&w.lock);
	for (;;) {
		if (w.n == 0 && !w.stopping) {
			if (!w.journaled) {
				pthread_cond_wait(&w.wake, &w.lock);
				continue;
			}
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += (long)JOURNAL_RETRY_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&w.wake, &w.lock, &until);
		}
		if (w.n == 0 && w.stopping)
			break;
		int n = w.n;
		memcpy(batch, w.queue, (size_t)n * sizeof *batch);
		w.n = 0;
		pthread_mutex_unlock(&w.lock);

		/* One transaction, one fsync, for everything that queued while the last batch committed.
		 * When another process holds the write lock (a large import) for longer than
		 * JOURNAL_WAIT_MS, the batch goes to the journal (one fsync) and is answered; the
		 * journal is appended to the trail, in order, as soon as the lock is free. While it
		 * holds entries, new batches follow them there, so the trail keeps the order of views. */
		bool ok = true;
		if (n && !w.journaled) {
			int rc = store_begin_within(w.st, JOURNAL_WAIT_MS);
			if (rc == 0)
				ok = record_batch(batch, n);
			else if (rc == STORE_BUSY)
				ok = journal_append(batch, n) == 0;
			else
				ok = false;
		} else if (n) {
			ok = journal_append(batch, n) == 0;
		}
		if (!ok)
			fprintf(stderr, "safehub: audit: a batch of %d views could not be recorded: %s\n", n,
				store_errmsg(w.st));
		for (int i = 0; i < n; i++)
			if (batch[i].done)
				batch[i].done(batch[i].arg, ok);
		if (w.journaled && journal_replay(0) == -1)
			fprintf(stderr, "safehub: audit: journaled views could not be appended yet: %s\n",
				store_errmsg(w.st));

		pthread_mutex_lock(&w.lock);
	}
	pthread_mutex_unlock(&w.lock);
	/* Stopping: one more go at the journal; what it still holds is appended at the next start. */
	if (w.journaled && journal_replay(10000) != 0)
		fprintf(stderr, "safehub: audit: %ld journaled views are left in %s for the next start\n", w.journaled,
			w.journal);
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
	if (journal_open(path) != 0) {
		fprintf(stderr, "safehub: audit writer: cannot open %s: %s\n", w.journal, strerror(errno));
		return -1;
	}
	/* Views a stopped server journaled: into the trail before anything new (the writer keeps
	 * trying if another process holds the lock now). */
	if (w.journaled && journal_replay(10000) == -1) {
		fprintf(stderr, "safehub: audit writer: the journal %s could not be appended\n", w.journal);
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
	if (w.fd >= 0)
		close(w.fd);
	w.fd = -1;
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
