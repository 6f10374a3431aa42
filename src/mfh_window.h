/*
 * mfh_window.h - the MFH dashboard's recent episodes, kept in the server's memory.
 *
 * The dashboard's statistics read every episode of the last twelve months (about 100,000 at a
 * million episodes over ten years) on each request its cache (mfh_cache.h) cannot answer: a
 * filter not asked for before, or any request after a write. Read from SQLite that took 60-380 ms
 * at 300,000 persons. The window holds, once per process, every episode that started in the last
 * 24 local months (the dashboard's own twelve and the twelve before, for month=) with what the
 * statistics and every filter need, in about 80 bytes each, and the active repeat flags; a scan
 * of it costs a few milliseconds whatever the filter.
 *
 * It is kept true by reading only what changed (sql/009_mfh_window.sql): every scan first reads
 * the data's state (mfh_generation and the largest episode id) and, when it moved, the episodes
 * added since (by id) and changed since (by mfh_seq), in one read transaction, so that the window
 * is exactly the database as of one moment; the flags are read again when they changed; the
 * whole window is read again only when the state says so (a deletion) or at the first use.
 * Windows are per process; each serves every user (who may see whom is applied per scan).
 *
 * Thread-safe: one mutex; a scan holds it while it calls back.
 * Owns: the window's memory. Must not touch: SQL (store_mfh.h reads), HTTP, JSON.
 */
#ifndef SAFEHUB_MFH_WINDOW_H
#define SAFEHUB_MFH_WINDOW_H

#include <stdint.h>

#include "store_mfh.h"

/*
 * mfh_window_scan - what store_mfh_scan gives (the same rows, filters and user), from the window
 * when it covers [from, to), else from store_mfh_scan. fn must not use the store. 0, or -1 on a
 * store error or out of memory.
 */
int mfh_window_scan(struct store *st, const struct mfh_scope *sc, int64_t from, int64_t to, mfh_episode_fn fn,
		    void *ctx);

/* mfh_window_repeat_flags - what store_mfh_repeat_flags gives, from memory. 0 or -1. */
int mfh_window_repeat_flags(struct store *st, int (*fn)(void *ctx, int64_t person_id, int64_t set_at), void *ctx);

/* How the window has been kept (for tests and the benchmark's understanding). */
struct mfh_window_info {
	int64_t full_reads;    /* the whole window read */
	int64_t change_reads;  /* only what changed read */
	int64_t flag_reads;    /* the flags read */
	int64_t fallbacks;     /* scans the window did not cover, left to SQL */
	int64_t rows;          /* episodes held now */
	int64_t from;          /* the window's start (UTC seconds), 0 before the first read */
};
void mfh_window_info(struct mfh_window_info *out);

/*
 * mfh_window_warm_start - read the window in the background on a connection of its own to db, so
 * that the first dashboard after the server starts does not wait for it (a scan meanwhile waits
 * for the read to finish). mfh_window_warm_join waits for that thread; call it before exiting.
 * 0, or -1 when the thread could not start (the first scan then reads the window itself).
 */
int mfh_window_warm_start(const char *db);
void mfh_window_warm_join(void);

/* mfh_window_reset - forget everything (a test opening another database). */
void mfh_window_reset(void);

#endif
