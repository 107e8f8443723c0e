/*
 * tests/harness.c - registry and runner for tests/harness.h.
 *
 * Usage: <test-binary> [SUBSTRING...]  runs the tests whose name or file
 * contains one of the substrings (all tests without arguments).
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct vt_test {
	const char *name;
	const char *file;
	vt_fn fn;
};

static struct vt_test *tests;
static size_t n_tests, cap_tests;
static unsigned cur_failures, cur_checks;
static const char *cur_name;

void vt_register(const char *name, const char *file, vt_fn fn)
{
	if (n_tests == cap_tests) {
		cap_tests = cap_tests ? 2 * cap_tests : 64;
		tests = realloc(tests, cap_tests * sizeof(*tests));
		if (!tests) {
			fprintf(stderr, "test registry: out of memory\n");
			exit(2);
		}
	}
	tests[n_tests++] = (struct vt_test){name, file, fn};
}

void vt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: %s: ", file, line, cur_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cur_failures++;
}

unsigned vt_failures(void)
{
	return cur_failures;
}

void vt_checked(void)
{
	cur_checks++;
}

unsigned vt_checks(void)
{
	return cur_checks;
}

static bool selected(const struct vt_test *t, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strstr(t->name, argv[i]) || strstr(t->file, argv[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	for (size_t i = 0; i < n_tests; i++) {
		if (!selected(&tests[i], argc, argv))
			continue;
		cur_name = tests[i].name;
		cur_failures = 0;
		cur_checks = 0;
		tests[i].fn();
		/* A test that ran to its end without checking anything would
		 * pass whatever the code did: count that as a failure. */
		if (!cur_checks)
			vt_fail(tests[i].file, 0, "the test made no check");
		if (cur_failures) {
			failed++;
			fprintf(stderr, "FAIL %s (%s)\n", tests[i].name,
				tests[i].file);
		} else {
			passed++;
		}
	}
	free(tests);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
