/*
 * Every bundled scenario in every configuration it lists: the verdict is
 * the expected one, a safe verdict comes from a complete search, and the
 * replay of each violation reproduces it exactly (kind, step, CPU,
 * message, decisions). Scenarios are found through the registry, so a
 * new scenario file is covered without changing this test.
 */
#include <stdio.h>

#include "bundled.h"
#include "harness.h"
#include "explore/expect.h"
#include "vmsa/explore.h"

/* Explore one configuration of s and replay its violation, if any. */
static void check_config(const vmsa_scenario_t *s, const vmsa_config_t *c)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res, again;
	char what[160];

	snprintf(what, sizeof(what), "%s [%s]", s->name, c->name);
	if (vmsa_explore(s, c->name, &o, &res)) {
		vt_fail(__FILE__, __LINE__, "%s: %s", what, res.error);
		return;
	}
	if (strcmp(res.verdict, c->expect))
		vt_fail(__FILE__, __LINE__,
			"%s: verdict %s after %llu executions, expected %s: %s",
			what, res.verdict,
			(unsigned long long)res.stats.executions, c->expect,
			res.violated ? res.violation.message : "");
	CHECK(res.stats.executions > 0);
	if (!res.violated) {
		if (!res.complete)
			vt_fail(__FILE__, __LINE__,
				"%s: safe but the search is incomplete", what);
		vmsa_explore_result_free(&res);
		return;
	}
	CHECK(!res.complete);
	CHECK(res.decisions != NULL);
	if (vmsa_replay(s, c->name, res.decisions, &o, &again)) {
		vt_fail(__FILE__, __LINE__, "%s: replay: %s", what, again.error);
		vmsa_explore_result_free(&res);
		return;
	}
	CHECK_STR(again.error, "");
	CHECK(again.violated);
	CHECK_STR(again.verdict, res.verdict);
	CHECK_EQ(again.violation.kind, res.violation.kind);
	CHECK_EQ(again.violation.step, res.violation.step);
	CHECK_EQ(again.violation.cpu, res.violation.cpu);
	CHECK_STR(again.violation.message, res.violation.message);
	CHECK_STR(again.decisions, res.decisions);
	vmsa_explore_result_free(&again);
	vmsa_explore_result_free(&res);
}

TEST(explore_scenarios_all)
{
	unsigned n = vmsa_scenario_count(), configs = 0;

	CHECK(n > 0);
	for (unsigned i = 0; i < n; i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		CHECK(s != NULL && s->name && s->doc);
		if (!s)
			continue;
		/* Every scenario says what it should give. */
		CHECK(s->configs[0].name != NULL);
		for (unsigned k = 0; k < VMSA_MAX_CONFIGS && s->configs[k].name;
		     k++) {
			CHECK(s->configs[k].expect != NULL);
			/* ... and it is a verdict (vmsa check would refuse
			 * it otherwise). */
			CHECK(!s->configs[k].expect ||
			      expect_valid(s->configs[k].expect));
			/* The library's safe searches take seconds: they are
			 * pinned at their default bound by test_counts.c
			 * (bundled.h); their mutants' violations are quick. */
			if (s->configs[k].expect &&
			    !(vt_pgtable_scenario(s) &&
			      !strcmp(s->configs[k].expect, "safe")))
				check_config(s, &s->configs[k]);
			configs++;
		}
	}
	CHECK(configs >= n);
}
