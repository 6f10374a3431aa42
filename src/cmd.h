/*
 * cmd.h - command-line commands that live outside main.c because they take positional arguments
 * (files, person ids) and parse their own options. main.c finds them by name and hands them the
 * arguments after the command's words; each answers --help itself, writes what is wrong to stderr
 * and returns the exit status (0 done, 1 failed, 2 usage).
 */
#ifndef SAFEHUB_CMD_H
#define SAFEHUB_CMD_H

/* cmd_import.c: safehub import missing --db FILE --user NAME FILE.csv */
int cmd_import_missing(int argc, char **argv);

/* cmd_match.c: safehub link ... and safehub dedupe ... (docs/matching.md) */
int cmd_link(int argc, char **argv);
int cmd_dedupe(int argc, char **argv);

/* cmd_person.c: safehub person merge / unmerge (docs/api-identity.md) */
int cmd_person_merge(int argc, char **argv);
int cmd_person_unmerge(int argc, char **argv);

/* demo_extract.c: safehub demo extract --out DIR [--persons N] [--seed S] (docs/matching.md) */
int cmd_demo_extract(int argc, char **argv);

#endif
