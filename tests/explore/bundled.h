/*
 * tests/explore/bundled.h - the bundled scenarios, as the explorer's
 * tests see them: the model's own (every topic but pgtable/: a few dozen
 * steps each, searched at every preemption bound and unbounded) and the
 * page-table library's (pgtable/: the library's operations through the
 * model backend, up to three CPUs; their searches take seconds at the
 * default bound of 2 and minutes at 3, so test_counts.c pins them at
 * bounds 0 to 2 only, and the tests that run every configuration at
 * higher bounds or many times over (test_dpor.c, test_parallel.c,
 * tests/cli/test_jobs.sh, test_shard.sh) leave them out). The seed
 * scenarios (scenarios/seeds/, vt_seed_name) are treated the same way.
 */
#ifndef VMSA_TEST_BUNDLED_H
#define VMSA_TEST_BUNDLED_H

#include <stdbool.h>
#include <string.h>

#include "vmsa/scenario.h"

/* The seed discussions' scenarios (scenarios/seeds/, docs/seeds.md) are
 * of the same weight (16 entries rewritten against a reader, a hypervisor
 * and its guest, a livelock found after thousands of retries): treated as
 * the library's everywhere below. */
static inline bool vt_seed_name(const char *name)
{
	static const char *const topics[] = {"contpte/", "kvm-bbml2/",
						     "spe/", "cow/", "fp32/",
						     "pause/", "hvo/"};

	for (unsigned i = 0; i < sizeof(topics) / sizeof(topics[0]); i++)
		if (!strncmp(name, topics[i], strlen(topics[i])))
			return true;
	return false;
}

static inline bool vt_pgtable_name(const char *name)
{
	return strncmp(name, "pgtable/", 8) == 0 || vt_seed_name(name);
}

static inline bool vt_pgtable_scenario(const vmsa_scenario_t *s)
{
	return vt_pgtable_name(s->name);
}

#endif
