/*
 * src/explore/expect.c - the valid expectations: "safe" and the name of
 * every violation kind. The kinds are walked through
 * vmsa_violation_kind_name() until it no longer knows one, so a kind
 * added to the model is valid here without a second list to maintain.
 */
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "vmsa/model.h"

/* The name of kind number k, or NULL past the last kind. */
static const char *kind_name(unsigned k)
{
	const char *name = vmsa_violation_kind_name((vmsa_violation_kind_t)k);

	return strcmp(name, "?") ? name : NULL;
}

bool expect_valid(const char *expect)
{
	const char *name;

	if (!strcmp(expect, "safe"))
		return true;
	for (unsigned k = VMSA_V_NONE + 1; (name = kind_name(k)); k++)
		if (!strcmp(expect, name))
			return true;
	return false;
}

/* Verdicts of a search that could not decide (search.c, isolate.c,
 * report_cmd.c): never valid as an expectation, but shown in the table. */
static const char *const undecided[] = {VERDICT_NONDETERMINISTIC,
					VERDICT_CRASHED, VERDICT_ERROR};

size_t expect_verdict_width(void)
{
	size_t w = strlen("safe");
	const char *name;

	for (unsigned k = VMSA_V_NONE + 1; (name = kind_name(k)); k++)
		if (strlen(name) > w)
			w = strlen(name);
	for (size_t i = 0; i < sizeof(undecided) / sizeof(*undecided); i++)
		if (strlen(undecided[i]) > w)
			w = strlen(undecided[i]);
	return w;
}

void expect_list(char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "safe");
	const char *name;

	for (unsigned k = VMSA_V_NONE + 1; (name = kind_name(k)) && len < size;
	     k++)
		len += (size_t)snprintf(buf + len, size - len, ", %s", name);
}
