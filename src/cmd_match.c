/*
 * cmd_match.c - `safehub link` and `safehub dedupe` (cmd.h): read agency extracts as CSV, hand
 * the records to the match engine (match.h), and write the pairs or the clusters.
 *   safehub link --left A.csv --right B.csv --out pairs.csv [--map FIELD=COLUMN ...] [--threshold P]
 *     writes left_id,right_id,match_probability for every left-right pair at or above P
 *     (default 0.5), sorted by left then right record.
 *   safehub dedupe --in A.csv --out clusters.csv [--map FIELD=COLUMN ...] [--threshold P]
 *     writes id,cluster_id for every input row in input order: the connected components of the
 *     pairs at or above P, each named by the id of its first row.
 * Both also take --threads N (default: the CPUs, at most 8), --no-train (the fixed default
 * model instead of one estimated from the files), --verbose (print the model) and --quiet (no
 * progress). Fields: id, given_name, family_name, dob, sex, postcode, address (may be mapped to
 * several columns, joined with spaces), locality, nhs_number, other_id. Without --map a column
 * named like a field (any case) is used; other columns are ignored; no id column is an error.
 * Values are trimmed. A CSV error (csv.h) stops the run with the file and line.
 * Owns: the options, column mapping, reading and writing files. Must not touch: the store,
 * HTTP, the model (match*.c).
 */
#include "cmd.h"
#include "csv.h"
#include "match.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* The fields a column can be mapped to, in match_input's order. */
enum field { F_ID, F_GIVEN, F_FAMILY, F_DOB, F_SEX, F_POSTCODE, F_ADDRESS, F_LOCALITY, F_NHS, F_OTHER, F_N };

static const char *const field_names[F_N] = { "id",       "given_name", "family_name", "dob",        "sex",
					      "postcode", "address",    "locality",    "nhs_number", "other_id" };

#define MAX_MAPS            32
#define MAX_ADDRESS_COLUMNS 8
#define ADDRESS_MAX         512

/* One --map FIELD=COLUMN. */
struct map {
	int field;          /* enum field */
	const char *column; /* the header's name for it (any case) */
};

/* The command line of either command. */
struct opts {
	const char *cmd;                     /* "link" or "dedupe" (for messages) */
	const char *in, *left, *right, *out; /* the files ("-": standard input or output) */
	struct map maps[MAX_MAPS];           /* --map, in order */
	int n_maps;                          /* how many */
	double threshold;                    /* --threshold, default 0.5 */
	int threads;                         /* --threads, default the CPUs (at most 8) */
	bool no_train, verbose, quiet;       /* --no-train, --verbose, --quiet */
};

/* Where each field is in one file's records: column indexes, -1 when absent. */
struct columns {
	int col[F_N];                  /* each field's column, -1 when none (address: see addr) */
	int addr[MAX_ADDRESS_COLUMNS]; /* the address's columns, joined in this order */
	int n_addr;                    /* how many */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int field_index(const char *name, size_t len)
{
	for (int f = 0; f < F_N; f++)
		if (strlen(field_names[f]) == len && strncmp(field_names[f], name, len) == 0)
			return f;
	return -1;
}

static void usage(FILE *out, bool link)
{
	if (link)
		fprintf(out, "usage: safehub link --left A.csv --right B.csv --out pairs.csv [--map FIELD=COLUMN ...]"
			     " [--threshold P] [--threads N] [--no-train] [--verbose] [--quiet]\n");
	else
		fprintf(out, "usage: safehub dedupe --in A.csv --out clusters.csv [--map FIELD=COLUMN ...]"
			     " [--threshold P] [--threads N] [--no-train] [--verbose] [--quiet]\n");
	fprintf(out, "fields: id, given_name, family_name, dob, sex, postcode, address (repeatable), locality,"
		     " nhs_number, other_id (docs/matching.md)\n");
}

/* Parse the options into *o. Returns 0, or 2 after writing what is wrong to stderr. */
static int parse(int argc, char **argv, bool link, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->cmd = link ? "link" : "dedupe";
	o->threshold = 0.5;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "safehub %s: unexpected argument '%s'\n", o->cmd, a);
			usage(stderr, link);
			return 2;
		}
		char name[32];
		const char *val = NULL;
		const char *eq = strchr(a, '=');
		size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
		if (nlen >= sizeof name)
			nlen = sizeof name - 1;
		memcpy(name, a, nlen);
		name[nlen] = 0;
		bool flag = strcmp(name, "--no-train") == 0 || strcmp(name, "--verbose") == 0 ||
			    strcmp(name, "--quiet") == 0;
		if (flag) {
			if (eq) {
				fprintf(stderr, "safehub %s: %s takes no value\n", o->cmd, name);
				return 2;
			}
			if (strcmp(name, "--no-train") == 0)
				o->no_train = true;
			else if (strcmp(name, "--verbose") == 0)
				o->verbose = true;
			else
				o->quiet = true;
			continue;
		}
		bool known = strcmp(name, "--out") == 0 || strcmp(name, "--map") == 0 ||
			     strcmp(name, "--threshold") == 0 || strcmp(name, "--threads") == 0 ||
			     (link ? strcmp(name, "--left") == 0 || strcmp(name, "--right") == 0
				   : strcmp(name, "--in") == 0);
		if (!known) {
			fprintf(stderr, "safehub %s: unknown option '%s'\n", o->cmd, a);
			usage(stderr, link);
			return 2;
		}
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			fprintf(stderr, "safehub %s: %s needs a value\n", o->cmd, name);
			return 2;
		}
		if (strcmp(name, "--in") == 0)
			o->in = val;
		else if (strcmp(name, "--left") == 0)
			o->left = val;
		else if (strcmp(name, "--right") == 0)
			o->right = val;
		else if (strcmp(name, "--out") == 0)
			o->out = val;
		else if (strcmp(name, "--threshold") == 0) {
			char *end;
			errno = 0;
			double t = strtod(val, &end);
			if (errno || end == val || *end || !(t >= 0 && t <= 1)) {
				fprintf(stderr, "safehub %s: --threshold must be a probability from 0 to 1, not '%s'\n",
					o->cmd, val);
				return 2;
			}
			o->threshold = t;
		} else if (strcmp(name, "--threads") == 0) {
			char *end;
			errno = 0;
			long t = strtol(val, &end, 10);
			if (errno || end == val || *end || t < 1 || t > 64) {
				fprintf(stderr, "safehub %s: --threads must be 1 to 64, not '%s'\n", o->cmd, val);
				return 2;
			}
			o->threads = (int)t;
		} else {
			const char *e = strchr(val, '=');
			int f = e ? field_index(val, (size_t)(e - val)) : -1;
			if (!e || f < 0 || !e[1]) {
				fprintf(stderr,
					"safehub %s: --map wants FIELD=COLUMN with FIELD one of id, given_name,"
					" family_name, dob, sex, postcode, address, locality, nhs_number, other_id;"
					" not '%s'\n",
					o->cmd, val);
				return 2;
			}
			int addr = 0;
			for (int k = 0; k < o->n_maps; k++) {
				if (o->maps[k].field == f && f != F_ADDRESS) {
					fprintf(stderr,
						"safehub %s: --map %s is given twice (only address may have several"
						" columns)\n",
						o->cmd, field_names[f]);
					return 2;
				}
				addr += o->maps[k].field == F_ADDRESS;
			}
			if (o->n_maps == MAX_MAPS || (f == F_ADDRESS && addr == MAX_ADDRESS_COLUMNS)) {
				fprintf(stderr, "safehub %s: too many --map options\n", o->cmd);
				return 2;
			}
			o->maps[o->n_maps++] = (struct map){ f, e + 1 };
		}
	}
	if (link ? (!o->left || !o->right || !o->out) : (!o->in || !o->out)) {
		fprintf(stderr, "safehub %s: %s\n", o->cmd,
			link ? "--left, --right and --out are required" : "--in and --out are required");
		usage(stderr, link);
		return 2;
	}
	return 0;
}

/* ---- Reading ----------------------------------------------------------------------------------------- */

/* Trim spaces and tabs at both ends of s, in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

/* Find the columns of the fields in a header. Returns 0, or 1 after saying what is missing. */
static int resolve(const struct opts *o, const char *path, char **head, int n, struct columns *c)
{
	for (int f = 0; f < F_N; f++)
		c->col[f] = -1;
	c->n_addr = 0;
	for (int k = 0; k < o->n_maps; k++) {
		int at = -1;
		for (int i = 0; i < n && at < 0; i++)
			if (strcasecmp(trim(head[i]), o->maps[k].column) == 0)
				at = i;
		if (at < 0) {
			fprintf(stderr, "safehub %s: %s: there is no column '%s' (mapped to %s by --map)\n", o->cmd,
				path, o->maps[k].column, field_names[o->maps[k].field]);
			return 1;
		}
		if (o->maps[k].field == F_ADDRESS)
			c->addr[c->n_addr++] = at;
		else
			c->col[o->maps[k].field] = at;
	}
	bool mapped[F_N] = { false };
	for (int k = 0; k < o->n_maps; k++)
		mapped[o->maps[k].field] = true;
	for (int f = 0; f < F_N; f++) {
		if (mapped[f])
			continue;
		for (int i = 0; i < n; i++)
			if (strcasecmp(trim(head[i]), field_names[f]) == 0) {
				if (f == F_ADDRESS)
					c->addr[c->n_addr++] = i;
				else
					c->col[f] = i;
				break;
			}
	}
	if (c->col[F_ID] < 0) {
		fprintf(stderr,
			"safehub %s: %s: there is no id column (name a column 'id' or map one with --map id=COLUMN)\n",
			o->cmd, path);
		return 1;
	}
	return 0;
}

static void progress(void *arg, const char *stage, uint64_t done, uint64_t total);

/* What the progress printer needs. */
struct prog {
	const struct opts *o; /* for the command's name and --quiet */
	double start, last;   /* when the run began, and when progress was last printed */
};

/*
 * Read one CSV file into the set on `side`. Returns 0, or 1 after writing the error (the file
 * and the line) to stderr.
 */
static int read_file(const struct opts *o, const char *path, int side, struct match_set *set, struct prog *pg)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "safehub %s: %s: %s\n", o->cmd, path, strerror(errno));
		return 1;
	}
	int rc = 1;
	struct csv *r = csv_open_file(f);
	if (!r) {
		fprintf(stderr, "safehub %s: out of memory\n", o->cmd);
		goto out;
	}
	char **fields;
	int n, got = csv_next(r, &fields, &n);
	if (got <= 0) {
		if (got < 0)
			fprintf(stderr, "safehub %s: %s: %s\n", o->cmd, path, csv_error(r));
		else
			fprintf(stderr, "safehub %s: %s: the file is empty (it needs a header line)\n", o->cmd, path);
		goto out;
	}
	struct columns c;
	if (resolve(o, path, fields, n, &c) != 0)
		goto out;
	size_t rows = 0;
	char address[ADDRESS_MAX];
	while ((got = csv_next(r, &fields, &n)) > 0) {
		const char *v[F_N];
		for (int k = 0; k < F_N; k++)
			v[k] = c.col[k] >= 0 ? trim(fields[c.col[k]]) : "";
		size_t al = 0;
		for (int k = 0; k < c.n_addr; k++) {
			const char *part = trim(fields[c.addr[k]]);
			size_t pl = strlen(part);
			if (pl == 0)
				continue;
			if (al > 0 && al + 1 < sizeof address)
				address[al++] = ' ';
			if (al + pl >= sizeof address)
				pl = sizeof address - 1 - al;
			memcpy(address + al, part, pl);
			al += pl;
		}
		address[al] = 0;
		if (!*v[F_ID]) {
			fprintf(stderr, "safehub %s: %s: line %ld: the id is empty\n", o->cmd, path, csv_line(r));
			goto out;
		}
		struct match_input in = { .id = v[F_ID],
					  .given_name = v[F_GIVEN],
					  .family_name = v[F_FAMILY],
					  .dob = v[F_DOB],
					  .sex = v[F_SEX],
					  .postcode = v[F_POSTCODE],
					  .address = address,
					  .locality = v[F_LOCALITY],
					  .nhs_number = v[F_NHS],
					  .other_id = v[F_OTHER] };
		if (match_set_add(set, &in, side) != 0) {
			fprintf(stderr, "safehub %s: %s: line %ld: out of memory (or too many records)\n", o->cmd, path,
				csv_line(r));
			goto out;
		}
		if (++rows % 65536 == 0)
			progress(pg, "reading", rows, 0);
	}
	if (got < 0) {
		fprintf(stderr, "safehub %s: %s: %s\n", o->cmd, path, csv_error(r));
		goto out;
	}
	if (!o->quiet)
		fprintf(stderr, "safehub %s: read %zu records from %s (%.1f s)\n", o->cmd, rows, path,
			now() - pg->start);
	rc = 0;
out:
	csv_close(r);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* ---- Progress ---------------------------------------------------------------------------------------- */

/* At most one line every two seconds per stage, only for runs long enough to need them. */
static void progress(void *arg, const char *stage, uint64_t done, uint64_t total)
{
	struct prog *p = arg;
	if (p->o->quiet)
		return;
	double t = now();
	if (t - p->last < 2.0 || t - p->start < 2.0)
		return;
	p->last = t;
	if (total > 0)
		fprintf(stderr, "safehub %s: %s: %.0f%% (%.0f s)\n", p->o->cmd, stage,
			100.0 * (double)done / (double)total, t - p->start);
	else
		fprintf(stderr, "safehub %s: %s: %llu (%.0f s)\n", p->o->cmd, stage, (unsigned long long)done,
			t - p->start);
}

/* ---- Writing ----------------------------------------------------------------------------------------- */

/* Write s as one CSV field (quoted when it holds a comma, quote, line break or edge space). */
static void put_field(FILE *f, const char *s)
{
	size_t n = strlen(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
	if (!quote) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static FILE *open_out(const struct opts *o)
{
	FILE *f = strcmp(o->out, "-") == 0 ? stdout : fopen(o->out, "w");
	if (!f)
		fprintf(stderr, "safehub %s: %s: %s\n", o->cmd, o->out, strerror(errno));
	return f;
}

static int close_out(const struct opts *o, FILE *f)
{
	int bad = ferror(f);
	if (f == stdout)
		bad = fflush(f) != 0 || bad;
	else
		bad = fclose(f) != 0 || bad;
	if (bad) {
		fprintf(stderr, "safehub %s: %s: could not be written\n", o->cmd, o->out);
		return 1;
	}
	return 0;
}

static void print_model(const struct match_model *m)
{
	struct match_level_info info[96];
	double prior;
	int n = match_model_levels(m, info, 96, &prior);
	fprintf(stderr, "model: prior log2 odds %.2f\n%-12s %-18s %10s %12s %8s\n", prior, "field", "level", "m", "u",
		"weight");
	for (int i = 0; i < n && i < 96; i++)
		fprintf(stderr, "%-12s %-18s %10.6f %12.8f %8.2f\n", info[i].field, info[i].level, info[i].m, info[i].u,
			info[i].weight);
}

/* ---- The commands ------------------------------------------------------------------------------------ */

static int run(int argc, char **argv, bool link)
{
	struct opts o;
	int rc = parse(argc, argv, link, &o);
	if (rc != 0)
		return rc;
	rc = 1;
	struct prog pg = { &o, now(), 0 };
	struct match_set *set = match_set_new();
	struct match_model *model = NULL;
	struct match_pair *pairs = NULL;
	uint32_t *cluster = NULL;
	size_t np = 0;
	if (!set) {
		fprintf(stderr, "safehub %s: out of memory\n", o.cmd);
		return 1;
	}
	if (link ? read_file(&o, o.left, 0, set, &pg) != 0 || read_file(&o, o.right, 1, set, &pg) != 0
		 : read_file(&o, o.in, 0, set, &pg) != 0)
		goto out;
	size_t n = match_set_size(set);
	if (!o.quiet && match_set_dob_not_date(set) > 0)
		fprintf(stderr, "safehub %s: %zu dates of birth are not real dates (compared digit by digit)\n", o.cmd,
			match_set_dob_not_date(set));
	struct match_run mr = { .link = link,
				.threads = o.threads,
				.threshold = o.threshold,
				.seed = 20240607,
				.progress = progress,
				.progress_arg = &pg };
	const struct match_model *use = match_model_default();
	if (o.no_train && !o.quiet)
		fprintf(stderr, "safehub %s: the default model (--no-train)\n", o.cmd);
	if (!o.no_train) {
		model = match_train(set, &mr);
		if (!model) {
			fprintf(stderr, "safehub %s: out of memory while training the model\n", o.cmd);
			goto out;
		}
		use = model;
		if (!o.quiet && mr.em_sessions == 0)
			fprintf(stderr,
				"safehub %s: too few candidate pairs to learn from (EM needs %s): the default model's m"
				" and prior are used\n",
				o.cmd, "a blocking rule with 50 pairs or more");
		else if (!o.quiet)
			fprintf(stderr,
				"safehub %s: model trained: u from %llu random pairs (%.1f s); blocks built (%.1f s);"
				" EM on %llu candidate pairs (compared in full, %.0f pairs/s per core),"
				" %d iterations%s, %.0f matches expected (%.1f s)\n",
				o.cmd, (unsigned long long)mr.random_pairs, mr.u_seconds, mr.block_seconds,
				(unsigned long long)mr.em_pairs,
				mr.em_compare_cpu_seconds > 0 ? (double)mr.em_pairs / mr.em_compare_cpu_seconds : 0,
				mr.em_iterations, mr.em_converged ? "" : " (not converged)", mr.expected_matches,
				mr.em_seconds);
	}
	if (o.verbose)
		print_model(use);
	if (match_pairs(use, set, &mr, &pairs, &np) != 0) {
		fprintf(stderr, "safehub %s: out of memory while comparing\n", o.cmd);
		goto out;
	}
	double per_cpu = mr.compare_cpu_seconds > 0 ? (double)mr.pairs_compared / mr.compare_cpu_seconds : 0;
	if (!o.quiet)
		fprintf(stderr,
			"safehub %s: compared %llu candidate pairs in %.2f s on %d threads (%.2f CPU s: %.0f pairs/s"
			" per core); %llu at or above %.3g\n",
			o.cmd, (unsigned long long)mr.pairs_compared, mr.compare_seconds, o.threads,
			mr.compare_cpu_seconds, per_cpu, (unsigned long long)np, o.threshold);
	if (o.verbose) {
		fprintf(stderr, "blocking rules (pairs each proposes, counting those an earlier rule has too):\n");
		for (int r = 0; r < mr.rules && r < 16; r++)
			fprintf(stderr, "%3d %12llu  %s\n", r, (unsigned long long)mr.rule_pairs[r],
				match_blocking_rule(r));
	}
	if (!o.quiet && mr.blocks_skipped)
		fprintf(stderr,
			"safehub %s: %llu blocks larger than their rule allows were left to the other blocking rules\n",
			o.cmd, (unsigned long long)mr.blocks_skipped);

	double t_write = now();
	FILE *f = open_out(&o);
	if (!f)
		goto out;
	size_t clusters = 0;
	if (link) {
		fputs("left_id,right_id,match_probability\n", f);
		for (size_t i = 0; i < np; i++) {
			put_field(f, match_set_id(set, pairs[i].a));
			fputc(',', f);
			put_field(f, match_set_id(set, pairs[i].b));
			fprintf(f, ",%.4f\n", floor((double)pairs[i].p * 10000) / 10000);
		}
	} else {
		cluster = malloc((n ? n : 1) * sizeof *cluster);
		if (!cluster) {
			fclose(f);
			fprintf(stderr, "safehub %s: out of memory\n", o.cmd);
			goto out;
		}
		match_cluster(n, pairs, np, cluster);
		fputs("id,cluster_id\n", f);
		for (size_t i = 0; i < n; i++) {
			clusters += cluster[i] == i;
			put_field(f, match_set_id(set, i));
			fputc(',', f);
			put_field(f, match_set_id(set, cluster[i]));
			fputc('\n', f);
		}
	}
	if (close_out(&o, f) != 0) {
		if (strcmp(o.out, "-") != 0)
			unlink(o.out); /* not half a file */
		goto out;
	}
	if (!o.quiet) {
		struct rusage ru;
		fprintf(stderr, "safehub %s: %s in %.1f s\n", o.cmd, link ? "written" : "clustered and written",
			now() - t_write);
		getrusage(RUSAGE_SELF, &ru);
		if (link)
			fprintf(stderr, "safehub %s: wrote %zu pairs to %s in %.1f s; peak memory %.0f MB\n", o.cmd, np,
				o.out, now() - pg.start, ru.ru_maxrss / 1024.0);
		else
			fprintf(stderr,
				"safehub %s: wrote %zu records in %zu clusters to %s in %.1f s; peak memory %.0f MB\n",
				o.cmd, n, clusters, o.out, now() - pg.start, ru.ru_maxrss / 1024.0);
	}
	rc = 0;
out:
	free(cluster);
	free(pairs);
	match_model_free(model);
	match_set_free(set);
	return rc;
}

int cmd_link(int argc, char **argv)
{
	return run(argc, argv, true);
}

int cmd_dedupe(int argc, char **argv)
{
	return run(argc, argv, false);
}
