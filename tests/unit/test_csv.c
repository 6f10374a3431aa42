/*
 * test_csv.c - the CSV reader: quoting, doubled quotes, quoted newlines, CRLF, trimming, blank
 * lines, a byte-order mark, and every error naming its line (unterminated quote, wrong field
 * count, UTF-16, invalid UTF-8, text after a closing quote, NUL bytes), from memory and from a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* Read all of text; return the records joined as "a|b;c|d;" or "ERR:<message>". */
static const char *read_all(const char *text, size_t len)
{
	static char out[4096];
	out[0] = 0;
	struct csv *r = csv_open_mem(text, len);
	assert_non_null(r);
	char **f;
	int n, rc;
	while ((rc = csv_next(r, &f, &n)) == 1) {
		for (int i = 0; i < n; i++) {
			strcat(out, f[i]);
			strcat(out, i + 1 < n ? "|" : ";");
		}
	}
	if (rc < 0)
		snprintf(out, sizeof out, "ERR:%s", csv_error(r));
	csv_close(r);
	return out;
}

#define READ(s) read_all((s), sizeof(s) - 1)

static void plain_and_quoted(void **state)
{
	(void)state;
	assert_string_equal(READ("a,b,c\n1,2,3\n"), "a|b|c;1|2|3;");
	assert_string_equal(READ("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"), "a|b;x, y|say \"hi\";");
	assert_string_equal(READ("a,b\n\"two\nlines\",z"), "a|b;two\nlines|z;");
	assert_string_equal(READ("a,b\r\n1,2\r\n"), "a|b;1|2;");
	assert_string_equal(READ("a,b\n,\n"), "a|b;|;");
}

static void trims_and_skips(void **state)
{
	(void)state;
	/* FEBRL separates with ", "; agency extracts pad fields. Quoted blanks are kept. */
	assert_string_equal(READ("rec_id, given_name\nrec-1, mitchell \n"), "rec_id|given_name;rec-1|mitchell;");
	assert_string_equal(READ("a,b\n  \" x \" ,y\n"), "a|b; x |y;");
	assert_string_equal(READ("a,b\n\n1,2\n\n\n3,4"), "a|b;1|2;3|4;");
	assert_string_equal(READ("\xef\xbb\xbf" "a,b\n1,\xc3\xa9\n"), "a|b;1|\xc3\xa9;");
}

static void errors_name_the_line(void **state)
{
	(void)state;
	assert_string_equal(READ("a,b\n1,2\n\"open,3\n4,5\n"),
			    "ERR:line 3: the quoted field opened on this line is never closed");
	assert_string_equal(READ("a,b,c\n1,2,3\n4,5\n"), "ERR:line 3: 2 fields where the header has 3");
	assert_string_equal(READ("\xff\xfe" "a\0,\0"), "ERR:line 1: the file is UTF-16 or UTF-32; save it as UTF-8");
	assert_string_equal(READ("a,b\n1,2\nx,caf\xe9\n"), "ERR:line 3: the text is not UTF-8 (save the file as UTF-8)");
	assert_string_equal(READ("a,b\n\"x\"y,2\n"),
			    "ERR:line 2: text follows a closing quote (a quote inside a quoted field must be doubled)");
	assert_string_equal(READ("a,b\nx\"y,2\n"),
			    "ERR:line 2: a quote inside an unquoted field (quote the whole field and double the quote)");
	assert_string_equal(READ("a,b\n1,2\0\n"), "ERR:line 2: the file contains a NUL byte (is it a text file?)");
	/* Overlong and surrogate encodings are not UTF-8 either. */
	assert_string_equal(READ("a\n\xc0\xaf\n"), "ERR:line 2: the text is not UTF-8 (save the file as UTF-8)");
	assert_string_equal(READ("a\n\xed\xa0\x80\n"), "ERR:line 2: the text is not UTF-8 (save the file as UTF-8)");
}

static void line_numbers_follow_quoted_newlines(void **state)
{
	(void)state;
	static const char text[] = "a,b\n\"1\n2\",x\n3,4\n";
	struct csv *r = csv_open_mem(text, sizeof text - 1);
	char **f;
	int n;
	assert_int_equal(csv_next(r, &f, &n), 1);
	assert_int_equal(csv_line(r), 1);
	assert_int_equal(csv_next(r, &f, &n), 1);
	assert_int_equal(csv_line(r), 2);
	assert_int_equal(csv_next(r, &f, &n), 1);
	assert_int_equal(csv_line(r), 4);
	assert_int_equal(csv_record(r), 3);
	assert_string_equal(f[1], "4");
	assert_int_equal(csv_next(r, &f, &n), 0);
	csv_close(r);
}

static void reads_a_file_across_buffer_refills(void **state)
{
	(void)state;
	FILE *fp = tmpfile();
	assert_non_null(fp);
	fputs("id,name\n", fp);
	for (int i = 0; i < 20000; i++)
		fprintf(fp, "%d,\"name, number %d\"\r\n", i, i);
	rewind(fp);
	struct csv *r = csv_open_file(fp);
	char **f;
	int n, rc, rows = 0;
	assert_int_equal(csv_next(r, &f, &n), 1);
	while ((rc = csv_next(r, &f, &n)) == 1) {
		char want[64];
		snprintf(want, sizeof want, "name, number %d", rows);
		assert_string_equal(f[1], want);
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, 20000);
	assert_int_equal(csv_line(r), 20001);
	csv_close(r);
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_quoted),
		cmocka_unit_test(trims_and_skips),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(line_numbers_follow_quoted_newlines),
		cmocka_unit_test(reads_a_file_across_buffer_refills),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
