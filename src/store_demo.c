/*
 * store_demo.c - the bulk-writing settings of `safehub demo`. See store_demo.h.
 */
#include "store_demo.h"

#include <sqlite3.h>

#include "store_int.h"

int store_demo_bulk(struct store *st, bool on)
{
	/* Must match the pragmas store_open sets (store.c) for "off". */
	static const char bulk[] =
		"PRAGMA synchronous = NORMAL; PRAGMA cache_size = -1048576; PRAGMA wal_autocheckpoint = 20000";
	static const char normal[] =
		"PRAGMA synchronous = FULL; PRAGMA cache_size = -16000; PRAGMA wal_autocheckpoint = 1000";
	return sqlite3_exec(store_db(st), on ? bulk : normal, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}
