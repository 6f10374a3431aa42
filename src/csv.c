/*
 * csv.c - an RFC 4180 reader with line numbers in its errors (csv.h). One pass over the bytes,
 * reading a file through a 64 KiB buffer or a memory block in place; a record's fields are kept
 * in one growing buffer, NUL-separated, with an array of pointers into it.
 * Owns: the CSV syntax and the UTF-8 check. Must not touch: what the columns mean.
 */
#include "csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct csv {
	FILE *file;                /* NULL when reading memory */
	const unsigned char *data; /* the memory block, or ibuf */
	size_t len, pos;
	unsigned char ibuf[65536];
	long line;                 /* the line the next byte is on */
	long rec_line;             /* the line the last record began on */
	long records;              /* records returned */
	int width;                 /* the header's field count; 0 before it */
	bool started, failed;
	char *buf;                 /* the fields, NUL-separated */
	size_t buf_len, buf_cap;
	size_t *offs;              /* where each field starts in buf */
	char **fields;
	int n, cap;
	char err[160];
};

static struct csv *csv_new(void)
{
	struct csv *r = calloc(1, sizeof *r);
	if (r)
		r->line = 1;
	return r;
}

struct csv *csv_open_file(FILE *f)
{
	struct csv *r = csv_new();
	if (r) {
		r->file = f;
		r->data = r->ibuf;
	}
	return r;
}

struct csv *csv_open_mem(const char *buf, size_t len)
{
	struct csv *r = csv_new();
	if (r) {
		r->data = (const unsigned char *)buf;
		r->len = len;
	}
	return r;
}

void csv_close(struct csv *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->offs);
	free(r->fields);
	free(r);
}

long csv_line(const struct csv *r)
{
	return r->rec_line;
}

long csv_record(const struct csv *r)
{
	return r->records;
}

const char *csv_error(const struct csv *r)
{
	return r->err;
}

/* The next byte, or -1 at the end (-2 on a read error). */
static int get(struct csv *r)
{
	if (r->pos < r->len)
		return r->data[r->pos++];
	if (!r->file)
		return -1;
	size_t n = fread(r->ibuf, 1, sizeof r->ibuf, r->file);
	if (n == 0)
		return ferror(r->file) ? -2 : -1;
	r->len = n;
	r->pos = 1;
	return r->ibuf[0];
}

/* Look at the next byte without taking it (-1 at the end). */
static int peek(struct csv *r)
{
	int c = get(r);
	if (c >= 0)
		r->pos--;
	return c;
}

static int fail(struct csv *r, long line, const char *what)
{
	snprintf(r->err, sizeof r->err, "line %ld: %s", line, what);
	r->failed = true;
	return -1;
}

static bool put(struct csv *r, char c)
{
	if (r->buf_len + 1 >= r->buf_cap) {
		size_t cap = r->buf_cap ? r->buf_cap * 2 : 1024;
		char *b = realloc(r->buf, cap);
		if (!b)
			return false;
		r->buf = b;
		r->buf_cap = cap;
	}
	r->buf[r->buf_len++] = c;
	return true;
}

/* Start a new field at the end of buf. */
static bool open_field(struct csv *r)
{
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 16;
		size_t *o = realloc(r->offs, (size_t)cap * sizeof *o);
		if (!o)
			return false;
		r->offs = o;
		char **f = realloc(r->fields, (size_t)cap * sizeof *f);
		if (!f)
			return false;
		r->fields = f;
		r->cap = cap;
	}
	r->offs[r->n++] = r->buf_len;
	return true;
}

/* Close the current field: drop trailing blanks of an unquoted one, check UTF-8, terminate. */
static int close_field(struct csv *r, bool quoted, size_t keep, long line)
{
	size_t start = r->offs[r->n - 1];
	if (!quoted)
		while (r->buf_len > start && (r->buf[r->buf_len - 1] == ' ' || r->buf[r->buf_len - 1] == '\t'))
			r->buf_len--;
	else if (r->buf_len > keep)
		r->buf_len = keep; /* blanks after the closing quote */
	const unsigned char *s = (const unsigned char *)r->buf + start;
	size_t len = r->buf_len - start;
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		int more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
		if (more < 0 || (more == 1 && c < 0xc2) || (more == 3 && c > 0xf4) || i + (size_t)more >= len + (more ? 0 : 1))
			return fail(r, line, "the text is not UTF-8 (save the file as UTF-8)");
		for (int k = 1; k <= more; k++)
			if ((s[i + (size_t)k] & 0xc0) != 0x80)
				return fail(r, line, "the text is not UTF-8 (save the file as UTF-8)");
		if ((more == 2 && c == 0xe0 && s[i + 1] < 0xa0) || (more == 2 && c == 0xed && s[i + 1] >= 0xa0) ||
		    (more == 3 && c == 0xf0 && s[i + 1] < 0x90) || (more == 3 && c == 0xf4 && s[i + 1] >= 0x90))
			return fail(r, line, "the text is not UTF-8 (save the file as UTF-8)");
		i += (size_t)more + 1;
	}
	return put(r, 0) ? 0 : fail(r, line, "out of memory");
}

int csv_next(struct csv *r, char ***fields, int *n)
{
	if (r->failed)
		return -1;
	if (!r->started) {
		r->started = true;
		int a = peek(r);
		if (a == 0xef) {
			get(r);
			if (get(r) != 0xbb || get(r) != 0xbf)
				return fail(r, 1, "the text is not UTF-8 (save the file as UTF-8)");
		} else if (a == 0xff || a == 0xfe) {
			return fail(r, 1, "the file is UTF-16 or UTF-32; save it as UTF-8");
		}
	}
	for (;;) {
		r->buf_len = 0;
		r->n = 0;
		long start = r->line;
		int c = get(r);
		if (c == -2)
			return fail(r, r->line, "the file cannot be read");
		if (c == -1)
			return 0;
		/* A line with nothing on it is not a record. */
		if (c == '\n') {
			r->line++;
			continue;
		}
		if (c == '\r' && peek(r) == '\n') {
			get(r);
			r->line++;
			continue;
		}
		bool end = false;
		while (!end) {
			if (!open_field(r))
				return fail(r, r->line, "out of memory");
			long field_line = r->line;
			while (c == ' ' || c == '\t')
				c = get(r);
			bool quoted = c == '"';
			size_t keep = 0;
			if (quoted) {
				long open_line = r->line;
				for (;;) {
					c = get(r);
					if (c < 0)
						return fail(r, open_line, "the quoted field opened on this line is never closed");
					if (c == '"') {
						if (peek(r) == '"') {
							get(r);
						} else {
							break;
						}
					}
					if (c == '\n')
						r->line++;
					if (c == 0)
						return fail(r, r->line, "the file contains a NUL byte (is it a text file?)");
					if (!put(r, (char)c))
						return fail(r, r->line, "out of memory");
				}
				keep = r->buf_len;
				c = get(r);
				while (c == ' ' || c == '\t')
					c = get(r);
				if (c >= 0 && c != ',' && c != '\n' && c != '\r')
					return fail(r, r->line, "text follows a closing quote (a quote inside a quoted field must be doubled)");
			} else {
				while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
					if (c == '"')
						return fail(r, r->line, "a quote inside an unquoted field (quote the whole field and double the quote)");
					if (c == 0)
						return fail(r, r->line, "the file contains a NUL byte (is it a text file?)");
					if (!put(r, (char)c))
						return fail(r, r->line, "out of memory");
					c = get(r);
				}
			}
			if (c == -2)
				return fail(r, r->line, "the file cannot be read");
			if (close_field(r, quoted, keep, field_line) != 0)
				return -1;
			if (c == ',') {
				c = get(r);
				continue;
			}
			if (c == '\r') {
				if (peek(r) != '\n')
					return fail(r, r->line, "a carriage return without a line feed");
				get(r);
			}
			if (c == '\n' || c == '\r')
				r->line++;
			end = true;
		}
		if (r->width == 0) {
			r->width = r->n;
		} else if (r->n != r->width) {
			if (r->n == 1 && r->buf[0] == 0)
				continue; /* a line of blanks */
			char what[96];
			snprintf(what, sizeof what, "%d field%s where the header has %d", r->n, r->n == 1 ? "" : "s", r->width);
			return fail(r, start, what);
		}
		r->rec_line = start;
		for (int i = 0; i < r->n; i++)
			r->fields[i] = r->buf + r->offs[i];
		r->records++;
		*fields = r->fields;
		*n = r->n;
		return 1;
	}
}
