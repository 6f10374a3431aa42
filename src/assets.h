/*
 * assets.h - the files embedded into the binary at build time by tools/embed.c:
 * the web UI (web/ -> "/..."), GOV.UK Frontend's compiled CSS/JS/images ("/govuk/..."),
 * and the SQL migrations ("sql/NNN_name.sql"). The table is generated, never kept by hand.
 */
#ifndef SAFEHUB_ASSETS_H
#define SAFEHUB_ASSETS_H

#include <stddef.h>

/* One embedded file. */
struct asset {
	const char *path;           /* "/app.js", "/govuk/govuk-frontend.min.css", "sql/001_init.sql" */
	const unsigned char *data;  /* the bytes, NUL-terminated (the NUL is not counted in size) */
	size_t size;                /* length in bytes */
	const char *etag;           /* strong ETag: quoted hex of a 64-bit FNV-1a of the bytes */
};

/* The table, sorted by path, and its length. */
extern const struct asset assets[];
extern const size_t assets_count;

/* assets_find - the asset with exactly this path, or NULL. Binary search; no allocation. */
const struct asset *assets_find(const char *path);

#endif
