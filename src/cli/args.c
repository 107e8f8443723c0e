/*
 * src/cli/args.c - reading the command line: option values, numbers,
 * and the usage-error message every command prints the same way.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"

const char cli_prog[] = "vmsa";

/* Print "vmsa: MESSAGE" on stderr; returns the usage-error status. */
int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

/* Parse a whole string as an unsigned 64-bit number (0x for hex). */
int cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Parse a whole string as a hexadecimal 64-bit number, 0x optional. */
int cli_parse_hex(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 16);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}


/* Take the value of option argv[*i] (as "--opt VALUE"). */
const char *cli_opt_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}


/*
 * Is argv[*i] the option `name`? For an option with a value (val not
 * NULL), the value is "--name=VALUE" or the next argument (*i moves on);
 * *val is NULL when it is missing. A flag (val NULL) matches only exactly.
 */
bool cli_is_opt(int argc, char **argv, int *i, const char *name,
		   const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return false;
	if (!val)
		return a[n] == 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return true;
	}
	if (a[n])
		return false;
	*val = cli_opt_value(argc, argv, i);
	return true;
}

/* Parse a whole decimal number in [min, max]. */
int cli_parse_count(const char *s, uint64_t min, uint64_t max,
		       uint64_t *out)
{
	uint64_t v;

	if (!s || !*s || strspn(s, "0123456789") != strlen(s) ||
	    cli_parse_u64(s, &v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The step budget: --steps N with N >= 1. */
int cli_parse_steps(const char *cmd, const char *val, unsigned *out)
{
	uint64_t v;

	if (cli_parse_count(val, 1, 100000000, &v))
		return cli_usage_error("%s: --steps takes a number of steps "
				   "from 1 to 100000000, not '%s'",
				   cmd, val ? val : "");
	*out = (unsigned)v;
	return 0;
}


/* Colour on stdout: only on a terminal, and never when NO_COLOR is set. */
bool cli_want_color(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}
