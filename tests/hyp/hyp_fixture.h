/*
 * tests/hyp/hyp_fixture.h - running a test scenario on the hypervisor
 * core: one search at a preemption bound, its result checked.
 */
#ifndef VMSA_TEST_HYP_FIXTURE_H
#define VMSA_TEST_HYP_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vmsa/explore.h"
#include "vmsa/hyp.h"

/* Explore s in config at `bound` with a step budget; check the verdict
 * and (when executions != 0) the number of executions; return the
 * result's error code. The violation message goes to *msg when msg is
 * not NULL (a static copy). */
static inline int hx_run(const vmsa_scenario_t *s, const char *config,
			 int bound, unsigned budget, const char *verdict,
			 uint64_t executions, const char **msg)
{
	static char last[640];
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	int err;

	o.preemptions = bound;
	if (budget)
		o.step_budget = budget;
	err = vmsa_explore(s, config, &o, &res);
	last[0] = 0;
	if (res.violated)
		snprintf(last, sizeof(last), "%.500s", res.violation.message);
	else if (err)
		snprintf(last, sizeof(last), "%.600s", res.error);
	if (!err) {
		CHECK_MSG(strcmp(res.verdict, verdict) == 0,
			  "%s %s: verdict %s, expected %s (%s)", s->name,
			  config, res.verdict, verdict, last);
		if (executions)
			CHECK_MSG(res.stats.executions == executions,
				  "%s %s: %llu executions, expected %llu",
				  s->name, config,
				  (unsigned long long)res.stats.executions,
				  (unsigned long long)executions);
	}
	if (msg)
		*msg = last;
	vmsa_explore_result_free(&res);
	return err;
}

#endif
