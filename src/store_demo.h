/*
 * store_demo.h - the store settings `safehub demo` writes its bulk data under (store_demo.c).
 * Owns: these two calls only. Must not touch: any table (the demo writes through the domain).
 */
#ifndef SAFEHUB_STORE_DEMO_H
#define SAFEHUB_STORE_DEMO_H

#include <stdbool.h>

struct store;

/*
 * store_demo_bulk - on: give this connection a 256 MiB page cache and commit with
 * synchronous=NORMAL (in WAL mode a crash can lose the last transactions of the demo, never
 * corrupt the database; the demo is regenerated anyway). off: back to the settings store_open
 * gives (synchronous=FULL, 16 MiB cache). Returns 0 or -1 (store_errmsg says why).
 */
int store_demo_bulk(struct store *st, bool on);

#endif
