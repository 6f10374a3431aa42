/*
 * csv.h - reading CSV files (RFC 4180) for imports and for `safehub link` / `dedupe`.
 * Fields are separated by commas, may be quoted with double quotes ("" inside quotes is a quote),
 * and may span lines when quoted; records end at LF or CRLF. Spaces around an unquoted field are
 * trimmed (agency extracts pad them; FEBRL separates with ", "). Input must be UTF-8: a UTF-8
 * byte-order mark is skipped, a UTF-16 or UTF-32 one or an invalid UTF-8 sequence is an error
 * that names the line. Every record must have as many fields as the first (the header).
 * Owns: the CSV syntax and encoding check. Must not touch: what the columns mean.
 */
#ifndef SAFEHUB_CSV_H
#define SAFEHUB_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv;

/* csv_open_file - read from f (not closed by csv_close). NULL when out of memory. */
struct csv *csv_open_file(FILE *f);

/* csv_open_mem - read from buf[0..len) (not copied: it must outlive the reader). */
struct csv *csv_open_mem(const char *buf, size_t len);

/*
 * csv_next - read the next record. Returns 1 with *fields (n strings, NUL-terminated, valid until
 * the next call) and *n set; 0 at the end of the input; -1 on an error, whose message (e.g.
 * "line 12: the quoted field opened here is never closed") csv_error gives. After an error the
 * reader stops. Blank lines (no characters at all) are skipped.
 */
int csv_next(struct csv *r, char ***fields, int *n);

/* csv_line - the line (1-based) on which the record last returned began. */
long csv_line(const struct csv *r);

/* csv_record - the number (1-based, header = 1) of the record last returned. */
long csv_record(const struct csv *r);

/* csv_error - the last error message, or "" when none. */
const char *csv_error(const struct csv *r);

/* csv_close - free the reader. NULL is fine. */
void csv_close(struct csv *r);

#endif
