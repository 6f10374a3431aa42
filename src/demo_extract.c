/*
 * demo_extract.c - see cmd.h. First version: not yet available; its slice replaces this.
 */
#include "cmd.h"

#include <stdio.h>

int cmd_demo_extract(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "safehub: this command is not available yet\n");
	return 1;
}
