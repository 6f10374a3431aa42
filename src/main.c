/*
 * main.c - the command line: init, serve, user, demo, audit, backup, routes, help.
 * Each command parses its own options, says what is wrong on stderr with a non-zero exit, and
 * has --help. Passwords are read from standard input, never from arguments.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cmd.h"
#include "demo.h"
#include "http.h"
#include "mfh_window.h"
#include "policy.h"
#include "route.h"
#include "store.h"
#include "user.h"

#define OPTS_MAX 16

/* Parsed --name value options (and bare --flags, whose value is ""). */
struct opts {
	const char *name[OPTS_MAX];
	const char *value[OPTS_MAX];
	int n;
	bool help;
};

struct command {
	const char *name;
	const char *usage;
	const char *about;
	const char *const *allowed;  /* option names it takes */
	int (*run)(struct opts *o);
	int (*raw)(int argc, char **argv);  /* instead of run: parses its own arguments (cmd.h) */
};

static const char *opt(const struct opts *o, const char *name)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->name[i], name) == 0)
			return o->value[i];
	return NULL;
}

/* Parse argv into o, allowing only `allowed`; flags listed as "name!" take no value. */
static int parse(int argc, char **argv, const char *cmd, const char *const *allowed, struct opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "safehub %s: unexpected argument '%s' (see safehub %s --help)\n", cmd, a, cmd);
			return -1;
		}
		const char *name = a + 2;
		bool known = false, flag = false;
		for (int k = 0; allowed && allowed[k]; k++) {
			size_t len = strlen(allowed[k]);
			bool is_flag = allowed[k][len - 1] == '!';
			if (strncmp(allowed[k], name, is_flag ? len - 1 : len) == 0 &&
			    strlen(name) == (is_flag ? len - 1 : len)) {
				known = true;
				flag = is_flag;
			}
		}
		if (!known) {
			fprintf(stderr, "safehub %s: unknown option '%s' (see safehub %s --help)\n", cmd, a, cmd);
			return -1;
		}
		if (o->n == OPTS_MAX) {
			fprintf(stderr, "safehub %s: too many options\n", cmd);
			return -1;
		}
		o->name[o->n] = name;
		if (flag) {
			o->value[o->n++] = "";
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "safehub %s: option '%s' needs a value\n", cmd, a);
			return -1;
		}
		o->value[o->n++] = argv[++i];
	}
	return 0;
}

static const char *need(const struct opts *o, const char *cmd, const char *name)
{
	const char *v = opt(o, name);
	if (!v || !*v)
		fprintf(stderr, "safehub %s: --%s is required\n", cmd, name);
	return v && *v ? v : NULL;
}

/* Open an existing database (or create it with create). */
static struct store *open_db(const char *cmd, const char *path, bool create)
{
	char err[512];
	if (!create && access(path, F_OK) != 0) {
		fprintf(stderr, "safehub %s: --db %s: no such database (create it with safehub init)\n", cmd, path);
		return NULL;
	}
	struct store *st = store_open(path, create, err, sizeof err);
	if (!st)
		fprintf(stderr, "safehub %s: --db %s: %s\n", cmd, path, err);
	return st;
}

/* Read one line (the password) from stdin without its newline. */
static int read_password(char *out, size_t cap)
{
	if (!fgets(out, (int)cap, stdin))
		return -1;
	size_t n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[--n] = 0;
	else if (n == cap - 1)
		return -2;
	if (n && out[n - 1] == '\r')
		out[--n] = 0;
	return 0;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || !end || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* ---- commands ---- */

static int cmd_init(struct opts *o)
{
	const char *db = need(o, "init", "db");
	if (!db)
		return 2;
	struct store *st = open_db("init", db, true);
	if (!st)
		return 1;
	printf("safehub: %s is ready (schema version %d)\n", db, store_schema_version(st));
	store_close(st);
	return 0;
}

static int cmd_serve(struct opts *o)
{
	const char *db = need(o, "serve", "db");
	if (!db)
		return 2;
	struct store *st = open_db("serve", db, false);
	if (!st)
		return 1;
	store_close(st);
	long threads = 0;
	if (opt(o, "threads") && !parse_long(opt(o, "threads"), 1, 256, &threads)) {
		fprintf(stderr, "safehub serve: --threads must be a whole number from 1 to 256\n");
		return 2;
	}
	struct http_options h = {
		.listen = opt(o, "listen") ? opt(o, "listen") : "127.0.0.1:8080",
		.tls_cert = opt(o, "tls-cert"),
		.tls_key = opt(o, "tls-key"),
		.web_dir = opt(o, "web"),
		.threads = (unsigned)threads,
	};
	store_set_path(db);
	if (store_checkpointer_start(db) != 0)
		return 1;
	if (audit_writer_start(db) != 0) {
		store_checkpointer_stop();
		return 1;
	}
	/* The dashboard's window is read while the server starts listening (not required: on failure
	 * the first dashboard reads it). */
	mfh_window_warm_start(db);
	int rc = http_serve(&h);
	mfh_window_warm_join();
	audit_writer_stop();
	store_close_all();
	store_checkpointer_stop();
	return rc;
}

static int cmd_user_add(struct opts *o)
{
	const char *db = need(o, "user add", "db"), *name = need(o, "user add", "username"),
		   *role = need(o, "user add", "role");
	if (!db || !name || !role)
		return 2;
	struct user u;
	memset(&u, 0, sizeof u);
	snprintf(u.username, sizeof u.username, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.team, sizeof u.team, "%s", opt(o, "team") ? opt(o, "team") : "");
	snprintf(u.agency, sizeof u.agency, "%s", opt(o, "agency") ? opt(o, "agency") : "");
	snprintf(u.display_name, sizeof u.display_name, "%s", opt(o, "name") ? opt(o, "name") : name);
	if (strlen(name) > USER_NAME_MAX) {
		fprintf(stderr, "safehub user add: --username must be 2 to 64 characters\n");
		return 2;
	}
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Password for %s (12 or more characters, then Enter): ", name);
	char pw[USER_PASSWORD_MAX + 2];
	int r = read_password(pw, sizeof pw);
	if (r != 0) {
		fprintf(stderr, "safehub user add: password: %s\n",
			r == -2 ? "must be 256 characters or fewer" : "read nothing from standard input");
		return 2;
	}
	struct store *st = open_db("user add", db, false);
	if (!st)
		return 1;
	char err[256];
	int rc = user_add(st, &u, pw, NULL, err, sizeof err);
	sodium_memzero(pw, sizeof pw);
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "safehub user add: %s\n", err);
		return 1;
	}
	printf("safehub: added %s (%s)\n", u.username, u.role);
	return 0;
}

static int cmd_user_list(struct opts *o)
{
	const char *db = need(o, "user list", "db");
	if (!db)
		return 2;
	struct store *st = open_db("user list", db, false);
	if (!st)
		return 1;
	struct user *users = NULL;
	int n = 0;
	int rc = store_user_list(st, &users, &n);
	if (rc == 0) {
		printf("%-20s %-14s %-24s %-24s %s\n", "USERNAME", "ROLE", "TEAM", "AGENCY", "STATE");
		for (int i = 0; i < n; i++)
			printf("%-20s %-14s %-24s %-24s %s\n", users[i].username, users[i].role, users[i].team,
			       users[i].agency, users[i].disabled ? "disabled" : "active");
	} else {
		fprintf(stderr, "safehub user list: %s\n", store_errmsg(st));
	}
	free(users);
	store_close(st);
	return rc == 0 ? 0 : 1;
}

static int cmd_user_disable(struct opts *o)
{
	const char *db = need(o, "user disable", "db"), *name = need(o, "user disable", "username");
	if (!db || !name)
		return 2;
	struct store *st = open_db("user disable", db, false);
	if (!st)
		return 1;
	int rc = user_disable(st, name, NULL);
	if (rc == 1)
		fprintf(stderr, "safehub user disable: --username %s: no such user\n", name);
	else if (rc != 0)
		fprintf(stderr, "safehub user disable: %s\n", store_errmsg(st));
	else
		printf("safehub: %s is disabled and signed out everywhere\n", name);
	store_close(st);
	return rc == 0 ? 0 : 1;
}

static int cmd_demo(struct opts *o)
{
	const char *db = need(o, "demo", "db");
	if (!db)
		return 2;
	struct demo_options d = { .persons = 2000, .seed = 1, .years = 3, .referred = DEMO_REFERRED_DEFAULT };
	long v;
	if (opt(o, "persons")) {
		if (!parse_long(opt(o, "persons"), 0, 10000000, &v)) {
			fprintf(stderr, "safehub demo: --persons must be a whole number from 0 to 10000000\n");
			return 2;
		}
		d.persons = v;
	}
	if (opt(o, "seed")) {
		if (!parse_long(opt(o, "seed"), 0, 0x7fffffffL, &v)) {
			fprintf(stderr, "safehub demo: --seed must be a whole number from 0 to 2147483647\n");
			return 2;
		}
		d.seed = (uint64_t)v;
	}
	if (opt(o, "years")) {
		if (!parse_long(opt(o, "years"), 0, DEMO_YEARS_MAX, &v)) {
			fprintf(stderr, "safehub demo: --years must be a whole number from 0 to %d\n", DEMO_YEARS_MAX);
			return 2;
		}
		d.years = (int)v;
	}
	if (opt(o, "referred")) {
		if (!parse_long(opt(o, "referred"), 0, 100, &v)) {
			fprintf(stderr, "safehub demo: --referred must be a whole number from 0 to 100 (a percentage)\n");
			return 2;
		}
		d.referred = (int)v;
	}
	if (opt(o, "missing")) {
		if (!parse_long(opt(o, "missing"), 0, 100, &v)) {
			fprintf(stderr, "safehub demo: --missing must be a whole number from 0 to 100 (a percentage)\n");
			return 2;
		}
		d.missing = v ? (int)v : DEMO_MISSING_NONE;
	}
	char generated[24];
	d.password = opt(o, "password");
	if (d.password) {
		const char *why = user_check_password(d.password);
		if (why) {
			fprintf(stderr, "safehub demo: --password %s\n", why);
			return 2;
		}
	} else {
		/* No password given: make one and say it once. */
		static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
		for (int i = 0; i < 20; i++)
			generated[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		generated[20] = 0;
		d.password = generated;
	}
	struct store *st = open_db("demo", db, true);
	if (!st)
		return 1;
	int rc = demo_run(st, &d);
	store_close(st);
	if (rc != 0)
		return 1;
	printf("safehub: %s has %ld fictional persons (seed %llu) and the demo users admin, manager, practitioner,"
	       " practitioner2, analyst, police_intel and board\n",
	       db, d.persons, (unsigned long long)d.seed);
	if (!opt(o, "password"))
		printf("safehub: the demo users' password is %s\n", generated);
	return 0;
}

static int cmd_audit_verify(struct opts *o)
{
	const char *db = need(o, "audit verify", "db");
	if (!db)
		return 2;
	struct store *st = open_db("audit verify", db, false);
	if (!st)
		return 1;
	int64_t bad = 0;
	char why[512];
	int64_t n = audit_verify(st, &bad, why, sizeof why);
	store_close(st);
	if (n < 0) {
		if (bad > 0)
			fprintf(stderr, "safehub audit verify: FAILED at seq %lld: %s\n", (long long)bad, why);
		else
			fprintf(stderr, "safehub audit verify: %s\n", why);
		return 1;
	}
	printf("ok %lld entries\n", (long long)n);
	return 0;
}

static int cmd_backup(struct opts *o)
{
	const char *db = need(o, "backup", "db"), *to = need(o, "backup", "to");
	if (!db || !to)
		return 2;
	if (access(to, F_OK) == 0) {
		fprintf(stderr, "safehub backup: --to %s already exists; choose a new file\n", to);
		return 1;
	}
	struct store *st = open_db("backup", db, false);
	if (!st)
		return 1;
	char err[512];
	int rc = store_backup(st, to, err, sizeof err);
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "safehub backup: %s\n", err);
		unlink(to);
		return 1;
	}
	struct store *copy = open_db("backup", to, false);
	char msg[256] = "";
	rc = copy ? store_integrity(copy, msg, sizeof msg) : -1;
	store_close(copy);
	if (rc != 0) {
		fprintf(stderr, "safehub backup: the copy failed its integrity check: %s\n", msg);
		return 1;
	}
	printf("safehub: backed up %s to %s (integrity and references ok)\n", db, to);
	return 0;
}

static int cmd_routes(struct opts *o)
{
	(void)o;
	route_print(stdout);
	return 0;
}

static const char *const o_db[] = { "db", NULL };
static const char *const o_serve[] = { "db", "listen", "tls-cert", "tls-key", "web", "threads", NULL };
static const char *const o_user_add[] = { "db", "username", "role", "team", "agency", "name", NULL };
static const char *const o_user[] = { "db", "username", NULL };
static const char *const o_demo[] = { "db", "persons", "seed", "password", "years", "referred", "missing", NULL };
static const char *const o_backup[] = { "db", "to", NULL };
static const char *const o_none[] = { NULL };

static const struct command commands[] = {
	{ "init", "safehub init --db FILE", "create a database (or bring one up to the current schema)", o_db, cmd_init, NULL },
	{ "serve", "safehub serve --db FILE [--listen 127.0.0.1:8080] [--tls-cert F --tls-key F] [--web DIR] [--threads N]",
	  "serve the web UI and the JSON API", o_serve, cmd_serve, NULL },
	{ "user add", "safehub user add --db FILE --username U --role R [--team T] [--agency A] [--name \"Full Name\"]",
	  "add a user; the password (12+ characters) is read from standard input", o_user_add, cmd_user_add, NULL },
	{ "user list", "safehub user list --db FILE", "list the users", o_db, cmd_user_list, NULL },
	{ "user disable", "safehub user disable --db FILE --username U", "disable a user and end their sessions", o_user,
	  cmd_user_disable, NULL },
	{ "demo extract", "safehub demo extract --out DIR [--persons N] [--seed S]",
	  "write a noisy multi-agency extract of a fictional population (several agency CSV files with"
	  " realistic errors, and the truth) for testing record linkage", NULL, NULL, cmd_demo_extract },
	{ "demo", "safehub demo --db FILE [--persons N] [--seed S] [--password P] [--years 3] [--referred 20] [--missing 21]",
	  "create or extend a database with fictional persons, one demo user per role, and --years years of"
	  " casework for about --referred percent of the persons and missing-from-home episodes for about"
	  " --missing percent of the children (--years 0: persons only; --missing 0: no episodes)", o_demo, cmd_demo, NULL },
	{ "audit verify", "safehub audit verify --db FILE",
	  "check the audit trail's hash chain; prints 'ok N entries' or the first bad sequence number", o_db,
	  cmd_audit_verify, NULL },
	{ "backup", "safehub backup --db FILE --to FILE", "copy the database safely, even while it is being served",
	  o_backup, cmd_backup, NULL },
	{ "routes", "safehub routes", "print the API route table with the roles each route allows (JSON lines)", o_none,
	  cmd_routes, NULL },
	{ "import missing", "safehub import missing --db FILE --user NAME FILE.csv",
	  "import a police extract of missing episodes (columns: docs/import-missing.md); all or nothing", NULL, NULL,
	  cmd_import_missing },
	{ "link", "safehub link --left A.csv --right B.csv --out pairs.csv [--map FIELD=COLUMN ...] [--threshold P]"
	  " [--threads N] [--no-train] [--verbose] [--quiet]",
	  "write the pairs of records of two CSV files that are probably the same person (docs/matching.md)", NULL,
	  NULL, cmd_link },
	{ "dedupe", "safehub dedupe --in A.csv --out clusters.csv [--map FIELD=COLUMN ...] [--threshold P]"
	  " [--threads N] [--no-train] [--verbose] [--quiet]",
	  "group the records of a CSV file that are probably the same person (docs/matching.md)", NULL, NULL,
	  cmd_dedupe },
	{ "person merge", "safehub person merge --db FILE --user NAME --reason TEXT A B",
	  "merge person B into person A, keeping every record and identifier (undo with unmerge)", NULL, NULL,
	  cmd_person_merge },
	{ "person unmerge", "safehub person unmerge --db FILE --user NAME MERGE_ID",
	  "undo a merge exactly", NULL, NULL, cmd_person_unmerge },
};

static void help(FILE *out)
{
	fprintf(out, "safehub - the case and intelligence system of a Complex Safeguarding Hub\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-15s %s\n", commands[i].name, commands[i].about);
	fprintf(out, "\nEach command has --help. Roles: %s.\n", policy_role_list());
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "safehub: libsodium failed to start\n");
		return 1;
	}
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help(stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];
		const char *space = strchr(c->name, ' ');
		int words = space ? 2 : 1;
		if (space) {
			if (argc < 3 || strncmp(argv[1], c->name, (size_t)(space - c->name)) != 0 ||
			    strlen(argv[1]) != (size_t)(space - c->name) || strcmp(argv[2], space + 1) != 0)
				continue;
		} else if (strcmp(argv[1], c->name) != 0) {
			continue;
		}
		if (c->raw) {
			for (int k = 1 + words; k < argc; k++)
				if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
					printf("usage: %s\n\n%s\n", c->usage, c->about);
					return 0;
				}
			return c->raw(argc - 1 - words, argv + 1 + words);
		}
		struct opts o;
		if (parse(argc - 1 - words, argv + 1 + words, c->name, c->allowed, &o) != 0)
			return 2;
		if (o.help) {
			printf("usage: %s\n\n%s\n", c->usage, c->about);
			return 0;
		}
		return c->run(&o);
	}
	if (strcmp(argv[1], "user") == 0 || strcmp(argv[1], "audit") == 0 || strcmp(argv[1], "import") == 0 ||
	    strcmp(argv[1], "person") == 0) {
		fprintf(stderr, "safehub %s: say which: ", argv[1]);
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strncmp(commands[i].name, argv[1], strlen(argv[1])) == 0 && commands[i].name[strlen(argv[1])] == ' ')
				fprintf(stderr, "'%s' ", commands[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	fprintf(stderr, "safehub: unknown command '%s' (see safehub help)\n", argv[1]);
	return 2;
}
