/*
 * store_demo.h - the store settings `safehub demo` writes its bulk data under (store_demo.c).
 * Owns: these two calls only. Must not touch: any table (the demo writes through the domain).
 */
#ifndef SAFEHUB_STORE_DEMO_H
#define SAFEHUB_STORE_DEMO_H

#include <stdbool.h>

struct store;

/*
 * store_demo_bulk - on: give this connection a page cache of up to 1 GiB (a 300,000-person
 * demo with ten years of casework is about 1.7 GB, and its busy pages then stay in memory),
 * checkpoint the WAL every 20,000 pages instead of 1,000 (pages changed again and again are
 * copied into the database less often) and commit with synchronous=NORMAL (in WAL mode a crash
 * can lose the last transactions of the demo, never corrupt the database; the demo is
 * regenerated anyway). off: back to the settings store_open gives (synchronous=FULL, a 16 MiB
 * cache) and SQLite's default checkpoint interval. Returns 0 or -1 (store_errmsg says why).
 */
int store_demo_bulk(struct store *st, bool on);

#endif
