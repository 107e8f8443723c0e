/*
 * src/cli/cmd_list.c - vmsa list: the selected scenarios, their
 * configurations and expected verdicts, as text or JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "explore/expect.h"

static const char list_help[] =
	"usage: vmsa list [--json] [PATTERN[@CONFIG]...]\n"
	"\n"
	"List the bundled scenarios (all, or those matching the glob\n"
	"patterns, as 'vmsa check' selects them): name, number of CPUs, what\n"
	"the scenario does, and each configuration with its expected verdict.\n"
	"--json prints one JSON object per scenario.\n"
	"\n"
	"Exit status: 0, or 2 on usage errors and when an expectation is not\n"
	"a verdict (as 'vmsa check' refuses it; the list is printed first,\n"
	"with the expectation marked).\n";

/* One scenario of `vmsa list`, as JSON or as text, with the selected
 * configurations among sel[0 .. n). */
static void list_json(const vmsa_scenario_t *s, const struct sel *sel,
		      unsigned n)
{
	bool first = true;

	fputs("{\"scenario\": ", stdout);
	report_json_string(stdout, s->name);
	fputs(", \"doc\": ", stdout);
	report_json_string(stdout, s->doc);
	printf(", \"cpus\": %u, \"configs\": [", cli_n_cpus(s));
	for (unsigned i = 0; i < n; i++) {
		if (sel[i].s != s)
			continue;
		fputs(first ? "{\"config\": " : ", {\"config\": ", stdout);
		report_json_string(stdout, s->configs[sel[i].config].name);
		fputs(", \"expect\": ", stdout);
		report_json_string(stdout, s->configs[sel[i].config].expect);
		fputs("}", stdout);
		first = false;
	}
	fputs("]}\n", stdout);
}

static void list_text(const vmsa_scenario_t *s, const struct sel *sel,
		      unsigned n)
{
	printf("%s (%u CPUs): %s\n", s->name, cli_n_cpus(s), s->doc ? s->doc : "");
	for (unsigned i = 0; i < n; i++) {
		const vmsa_config_t *c = &s->configs[sel[i].config];

		if (sel[i].s == s)
			printf("    %-20s expect %s%s\n", c->name,
			       c->expect ? c->expect : "(none)",
			       c->expect && !expect_valid(c->expect) ?
				       "  (not a verdict)" : "");
	}
}

/* vmsa list: the selected scenarios and configurations. */
int cmd_list(int argc, char **argv)
{
	char **pats = calloc((size_t)argc + 1, sizeof(*pats));
	unsigned n = 0, scenarios = 0;
	struct sel *sel = NULL;
	bool json = false;
	int npats = 0, rc = 0;

	if (!pats)
		return cli_usage_error("list: out of memory");
	for (int i = 1; i < argc && !rc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(list_help, stdout);
			free(pats);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			rc = cli_usage_error("list: unknown option '%s' (see 'vmsa "
					 "list --help')", argv[i]);
		} else {
			pats[npats++] = argv[i];
		}
	}
	if (!rc)
		rc = cli_select_all("list", pats, npats, &sel, &n);
	for (unsigned i = 0; i < n && !rc; i++) {
		if (i && sel[i].s == sel[i - 1].s)
			continue;
		scenarios++;
		if (json)
			list_json(sel[i].s, sel, n);
		else
			list_text(sel[i].s, sel, n);
	}
	if (!rc && !json)
		printf("%u scenario%s, %u configuration%s\n", scenarios,
		       scenarios == 1 ? "" : "s", n, n == 1 ? "" : "s");
	/* After the list, so that it shows the mistake in context. */
	if (!rc) {
		fflush(stdout);
		rc = cli_check_expects("list", sel, n);
	}
	free(sel);
	free(pats);
	return rc;
}
