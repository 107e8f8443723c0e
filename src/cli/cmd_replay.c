/*
 * src/cli/cmd_replay.c - vmsa replay: run one execution from its
 * decision string and print it step by step (text, and HTML on demand).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "explore/decisions.h"

static const char replay_help[] =
	"usage: vmsa replay [--steps N] [--continue-after-bbm] [--html FILE]\n"
	"                   SCENARIO[@CONFIG] --decisions STRING\n"
	"\n"
	"Re-run exactly the execution that STRING describes (the decisions\n"
	"'vmsa check' prints with a violation) and print it step by step:\n"
	"CPU, operation, operands and values, the walks and TLB entries used,\n"
	"each choice, the stale entries each CPU may hold when they change,\n"
	"and, on the last line, 'KIND: MESSAGE' of the violation. @CONFIG may\n"
	"be left out when the scenario has one configuration; it may have\n"
	"features added ('bbm0+relaxed', as 'check --with' prints). --steps\n"
	"must be the step budget the violation was found with (default 10000);\n"
	"--html FILE also writes the execution as an HTML page.\n"
	"--continue-after-bbm: as 'vmsa check --continue-after-bbm' (it is in\n"
	"the command that check prints when the violation was found so).\n"
	"\n"
	"STRING is CHECK:DECISIONS: 4 hex digits that tie it to its scenario,\n"
	"configuration and step budget, then one character per decision\n"
	"(0-9a-zA-Z, (N) beyond 61); decisions past its end are 0.\n"
	"\n"
	"Exit status: 0 when the execution ran as described, 1 when STRING\n"
	"belongs to another scenario, configuration or step budget, when its\n"
	"decisions do not fit the execution (it diverged) or set-up failed,\n"
	"2 on a usage error.\n";

/* Is d a decision string at all? 0, or the usage status after a message.
 * Whether it fits the scenario is the replay's to say (exit 1). */
static int check_syntax(const char *d)
{
	const char *why = NULL;
	unsigned check;
	bool has_check;

	if (decisions_decode(d, &has_check, &check, NULL, &why))
		return cli_usage_error("replay: '%s' is not a decision string: "
				       "%s", d, why);
	return 0;
}

/*
 * Is cpart one of s's configurations with features added ("bbm0+relaxed",
 * what 'check --with relaxed' runs and prints) that fits s
 * (cli_config_fits)?
 */
static bool replay_with(const vmsa_scenario_t *s, const char *cpart)
{
	const char *why;
	unsigned ncpus;

	for (unsigned j = 0; j < cli_n_configs(s); j++) {
		size_t len = strlen(s->configs[j].name);

		if (!strncmp(s->configs[j].name, cpart, len) &&
		    cpart[len] == '+' &&
		    !cli_config_fits(s, cpart, &why, &ncpus))
			return true;
	}
	return false;
}

/*
 * The scenario and configuration of "SCENARIO[@CONFIG]" for replay: an
 * exact name; CONFIG one of its configurations, required when it has
 * more than one. Returns 0, or the usage status after a message.
 */
static int replay_target(const char *arg, const vmsa_scenario_t **s,
			 const char **config)
{
	const char *cpart;
	char *name, list[256];
	unsigned nc;

	cli_split_target(arg, &name, &cpart);
	if (!name)
		return cli_usage_error("replay: out of memory");
	*s = vmsa_scenario_find(name);
	if (!*s) {
		cli_usage_error("replay: unknown scenario '%s' (see 'vmsa list')",
			    name);
		free(name);
		return EXIT_USAGE;
	}
	free(name);
	nc = cli_n_configs(*s);
	cli_config_list(list, sizeof(list), *s);
	if (!cpart) {
		if (nc != 1)
			return cli_usage_error("replay: scenario %s has %u "
					   "configurations (%s): say which, as "
					   "%s@CONFIG", (*s)->name, nc, list,
					   (*s)->name);
		*config = (*s)->configs[0].name;
		return 0;
	}
	for (unsigned j = 0; j < nc; j++) {
		if (!strcmp((*s)->configs[j].name, cpart)) {
			*config = (*s)->configs[j].name;
			return 0;
		}
	}
	if (replay_with(*s, cpart)) {
		*config = cpart;
		return 0;
	}
	return cli_no_config("replay", arg, cpart, *s);
}

/* Write the replayed execution as an HTML page. 0, or 1 after a message. */
static int replay_html(const char *path, const struct report_style *st,
		       const struct report_row *r)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "%s: replay: cannot open '%s': %s\n", cli_prog,
			path, strerror(errno));
		return 1;
	}
	rc = report_html(f, st, r, 1);
	if (fclose(f) || rc) {
		fprintf(stderr, "%s: replay: cannot write %s\n", cli_prog, path);
		return 1;
	}
	return 0;
}

/* vmsa replay: run one execution from its decisions and print it; exit 0
 * when it ran as described, 1 when it diverged, 2 on usage errors. */
int cmd_replay(int argc, char **argv, const char *argv0)
{
	vmsa_explore_opts_t xo = vmsa_explore_defaults();
	const char *target = NULL, *decisions = NULL, *html = NULL, *val;
	struct report_style st = {.prog = argv0, .replay = true};
	struct report_trace t;
	struct report_row r = {0};
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		val = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(replay_help, stdout);
			return 0;
		} else if (cli_is_opt(argc, argv, &i, "--decisions", &val)) {
			if (!val)
				return cli_usage_error("replay: --decisions needs a "
						   "decision string");
			decisions = val;
		} else if (cli_is_opt(argc, argv, &i, "--steps", &val)) {
			if (cli_parse_steps("replay", val, &xo.step_budget))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--continue-after-bbm")) {
			xo.continue_after_bbm = true;
		} else if (cli_is_opt(argc, argv, &i, "--html", &val)) {
			if (!val || !*val)
				return cli_usage_error("replay: --html needs a file name");
			html = val;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("replay: unknown option '%s' (see "
					   "'vmsa replay --help')", a);
		} else if (!target) {
			target = a;
		} else {
			return cli_usage_error("replay: unexpected argument '%s' "
					   "(one SCENARIO[@CONFIG])", a);
		}
	}
	if (!target)
		return cli_usage_error("replay: no scenario given (see 'vmsa "
				   "replay --help')");
	rc = replay_target(target, &r.scenario, &r.config);
	if (rc)
		return rc;
	if (!decisions)
		return cli_usage_error("replay: --decisions STRING is required (the "
				   "string 'vmsa check' prints with a violation)");
	if (check_syntax(decisions))
		return EXIT_USAGE;
	if (report_trace_init(&t, &xo))
		return cli_usage_error("replay: out of memory");
	r.expect = "(replay)";
	r.trace = &t;
	st.color = cli_want_color();
	st.step_budget = xo.step_budget;
	st.continue_after_bbm = xo.continue_after_bbm;
	rc = vmsa_replay(r.scenario, r.config, decisions, &xo, &r.res);
	r.ran = rc == 0;
	if (r.ran) {
		r.as_expected = !r.res.error[0];
		report_replay_text(stdout, &st, &r);
		fflush(stdout);
		if (html && replay_html(html, &st, &r))
			rc = 1;
	}
	if (r.res.error[0]) {
		fprintf(stderr, "%s: replay: %s\n", cli_prog, r.res.error);
		rc = 1;
	}
	vmsa_explore_result_free(&r.res);
	report_trace_free(&t);
	return rc ? 1 : 0;
}
