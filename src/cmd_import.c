/*
 * cmd_import.c - `safehub import missing --db FILE --user NAME FILE.csv` (cmd.h,
 * docs/import-missing.md): import a police extract of missing episodes in one transaction, all or
 * nothing. The file is mapped into memory (a million-row extract is a few hundred MB at most),
 * imported by import_missing_run as user NAME (an existing, active user whose role may run
 * imports: manager or police_intel; the importer on the imports row and in the audit trail), and
 * committed only when every row is good. Prints the counts on stdout; errors on stderr, one line
 * each ("row 7, column started_at: ..."), exit 1; usage errors exit 2.
 * Owns: the command's arguments and output. Must not touch: the columns' rules, SQL.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_missing.h"
#include "policy.h"
#include "store.h"
#include "store_import.h"
#include "user.h"

#define CMD "safehub import missing"

static void progress(long rows, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: %ld rows read\n", CMD, rows);
}

static int usage(const char *what)
{
	fprintf(stderr, "%s: %s (usage: %s --db FILE --user NAME FILE.csv)\n", CMD, what, CMD);
	return 2;
}

/* Print the errors of a refused import, one a line, and a closing summary. */
static void print_errors(const char *file, enum import_status s, const struct import_errors *errs)
{
	for (int i = 0; i < errs->n; i++) {
		const struct import_error *e = &errs->e[i];
		if (e->row <= 0)
			fprintf(stderr, "%s: %s: %s\n", CMD, file, e->message);
		else if (e->line != e->row && e->column[0])
			fprintf(stderr, "row %ld (line %ld), column %s: %s\n", e->row, e->line, e->column, e->message);
		else if (e->column[0])
			fprintf(stderr, "row %ld, column %s: %s\n", e->row, e->column, e->message);
		else
			fprintf(stderr, "row %ld: %s\n", e->row, e->message);
	}
	if (errs->total > errs->n)
		fprintf(stderr, "... and %ld more errors\n", errs->total - errs->n);
	if (s == IMPORT_INVALID)
		fprintf(stderr, "%s: %s: %ld error%s in %ld row%s; nothing was imported\n", CMD, file, errs->total,
			errs->total == 1 ? "" : "s", errs->rows_bad, errs->rows_bad == 1 ? "" : "s");
	else
		fprintf(stderr, "%s: %s: nothing was imported\n", CMD, file);
}

int cmd_import_missing(int argc, char **argv)
{
	const char *db = NULL, *username = NULL, *file = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0 || strcmp(a, "--user") == 0) {
			if (i + 1 >= argc)
				return usage(strcmp(a, "--db") == 0 ? "--db needs a value" : "--user needs a value");
			*(a[2] == 'd' ? &db : &username) = argv[++i];
		} else if (strncmp(a, "--", 2) == 0) {
			char what[160];
			snprintf(what, sizeof what, "unknown option '%.100s'", a);
			return usage(what);
		} else if (file) {
			return usage("give one CSV file");
		} else {
			file = a;
		}
	}
	if (!db || !*db)
		return usage("--db is required");
	if (!username || !*username)
		return usage("--user is required: the member of staff the import is recorded as");
	if (!file)
		return usage("the CSV file is required");

	int fd = open(file, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", CMD, file, strerror(errno));
		return 1;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "%s: %s: not a regular file\n", CMD, file);
		close(fd);
		return 1;
	}
	size_t len = (size_t)sb.st_size;
	const char *data = "";
	void *map = NULL;
	if (len) {
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			fprintf(stderr, "%s: %s: %s\n", CMD, file, strerror(errno));
			close(fd);
			return 1;
		}
		madvise(map, len, MADV_SEQUENTIAL);
		data = map;
	}
	close(fd);

	int rc = 1;
	struct store *st = NULL;
	struct import_errors errs = { 0 };
	if (access(db, F_OK) != 0) {
		fprintf(stderr, "%s: --db %s: no such database (create it with safehub init)\n", CMD, db);
		goto out;
	}
	char err[512];
	st = store_open(db, false, err, sizeof err);
	if (!st) {
		fprintf(stderr, "%s: --db %s: %s\n", CMD, db, err);
		goto out;
	}
	struct user by;
	int urc = store_user_by_name(st, username, &by, NULL, 0);
	if (urc != 0 || by.disabled) {
		fprintf(stderr, "%s: --user %s: %s\n", CMD, username,
			urc == STORE_NOTFOUND ? "no such user" : urc ? store_errmsg(st) : "the user is disabled");
		goto out;
	}
	if (!policy_allows(by.role, PERM_IMPORT_RUN)) {
		fprintf(stderr, "%s: --user %s: a %s may not run imports (a manager or police_intel user may)\n", CMD,
			username, by.role);
		goto out;
	}
	/* Keep in memory what a large import touches: the database as it is (the matcher reads
	 * persons all over it) and about three times the file for what it adds; 64 MiB to 2 GiB
	 * (only what is used is allocated). */
	struct stat dbs;
	size_t mib = (stat(db, &dbs) == 0 ? (size_t)dbs.st_size : 0) / (1024 * 1024) + len / (1024 * 1024) * 3;
	if (store_import_cache(st, mib < 64 ? 64 : mib > 2048 ? 2048 : (int)mib) != 0) {
		fprintf(stderr, "%s: --db %s: %s\n", CMD, db, store_errmsg(st));
		goto out;
	}
	/* A file large enough for the bulk mode (import_options.bulk_rows: at least IMPORT_BULK_ROWS
	 * lines, and half as many as the hub holds episodes) is written without SQLite's
	 * foreign-key checks: every id the import writes (its person, its user, its episode) it read
	 * or made in this transaction, and the checks cost a look-up per reference. */
	long lines = import_missing_lines(data, len);
	int64_t episodes = 0;
	if (lines >= IMPORT_BULK_ROWS && (store_import_episodes(st, &episodes) != 0 ||
					  (lines >= episodes / 2 && store_import_foreign_keys(st, false) != 0))) {
		fprintf(stderr, "%s: --db %s: %s\n", CMD, db, store_errmsg(st));
		goto out;
	}
	if (store_begin(st, true) != 0) {
		fprintf(stderr, "%s: --db %s: the database is busy: %s\n", CMD, db, store_errmsg(st));
		goto out;
	}
	const char *base = strrchr(file, '/');
	struct import_options opt = { .filename = base ? base + 1 : file, .progress = progress };
	struct import_result res;
	enum import_status s = import_missing_run(st, &by, data, len, &opt, &res, &errs);
	if (s != IMPORT_OK) {
		store_rollback(st);
		if (s == IMPORT_ERROR)
			fprintf(stderr, "%s: the database failed: %s\n", CMD, errs.n ? errs.e[0].message : store_errmsg(st));
		else
			print_errors(file, s, &errs);
		goto out;
	}
	if (store_commit(st) != 0) {
		fprintf(stderr, "%s: the import could not be saved: %s\n", CMD, store_errmsg(st));
		goto out;
	}
	printf("import %lld: %ld rows: added %ld, updated %ld, unchanged %ld; persons created %ld, linked %ld;"
	       " review %ld\n",
	       (long long)res.import_id, res.rows, res.added, res.updated, res.unchanged, res.persons_created,
	       res.persons_linked, res.review);
	rc = 0;
out:
	import_errors_free(&errs);
	store_close(st);
	if (map)
		munmap(map, len);
	return rc;
}
