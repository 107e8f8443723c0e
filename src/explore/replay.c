/*
 * src/explore/replay.c - vmsa_replay: one execution from its decision
 * string, refused when the string's check says it belongs to another
 * scenario, configuration or step budget, and reported as diverged when
 * its decisions do not fit the execution.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore_int.h"

/* Read `decisions` into x's prefix. Returns 0, or a negative errno with
 * err set: -EINVAL for bad syntax, no check, or the check of something
 * else; -ENOMEM. */
static int load_decisions(struct explorer *x, const char *config,
			  const char *decisions, char *err, size_t size)
{
	const char *why = NULL;
	bool has_check;
	unsigned check = 0;
	int rc = decisions_decode(decisions, &has_check, &check, &x->dec,
				  &why);

	if (rc) {
		snprintf(err, size, "bad decision string: %s", why);
		return rc;
	}
	if (!has_check) {
		snprintf(err, size, "the decision string %s: it starts with "
			 "the 4 hexadecimal digits and ':' that 'vmsa check' "
			 "prints (%04x: for %s@%s with %u steps)",
			 *decisions ? "has no check" : "is empty", x->check,
			 x->scenario->name, config, x->opts.step_budget);
		return -EINVAL;
	}
	if (check != x->check) {
		snprintf(err, size, "the decision string belongs to another "
			 "scenario, configuration or step budget: its check is "
			 "%04x, %s@%s with %u steps has %04x", check,
			 x->scenario->name, config, x->opts.step_budget,
			 x->check);
		return -EINVAL;
	}
	x->n_prefix = x->dec.n;
	return 0;
}

/* The first place where the execution did not fit the string. */
static void diverged(const struct explorer *x, char *err, size_t size)
{
	if (x->div == DIV_ENDED)
		snprintf(err, size, "diverged at decision %u (expected the end "
			 "of the execution, got %u more decision%s)", x->div_at,
			 x->div_got, x->div_got == 1 ? "" : "s");
	else
		snprintf(err, size, "diverged at decision %u (expected 0..%u, "
			 "got %u)", x->div_at, x->div_want - 1, x->div_got);
}

int vmsa_replay(const vmsa_scenario_t *s, const char *config,
		const char *decisions, const vmsa_explore_opts_t *o,
		vmsa_explore_result_t *res)
{
	double t0 = now_seconds();
	struct explorer *x;
	int rc;

	memset(res, 0, sizeof(*res));
	x = explorer_new(s, config, o, res->error, sizeof(res->error), &rc);
	if (!x)
		return rc;
	rc = load_decisions(x, config, decisions, res->error,
			    sizeof(res->error));
	if (rc) {
		explorer_free(x);
		return rc;
	}
	run_once(x);
	if (x->setup_failed) {
		snprintf(res->error, sizeof(res->error),
			 "the scenario's set-up stopped the machine");
		explorer_free(x);
		return -ECANCELED;
	}
	finish(x, res, t0);
	if (x->div != DIV_NONE)
		diverged(x, res->error, sizeof(res->error));
	explorer_free(x);
	return 0;
}
