/*
 * tests/model/outcomes.h - the sets of outcomes a scenario reaches,
 * for tests that compare them with herd7's states or between the plain
 * and the reduced search: explore unbounded (the search must complete,
 * safe), while the scenario's check collects outcome strings; then the
 * strings sorted and joined.
 */
#ifndef VMSA_TEST_MODEL_OUTCOMES_H
#define VMSA_TEST_MODEL_OUTCOMES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmsa/explore.h"

/* Explore s in config with every interleaving and choice (reduced or
 * plain): the search must complete with the verdict "safe". */
static inline void outcomes_explore(const vmsa_scenario_t *s,
				    const char *config, bool reduce)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = reduce;
	CHECK_EQ(vmsa_explore(s, config, &o, &res), 0);
	CHECK(res.complete);
	CHECK_STR(res.verdict, "safe");
	vmsa_explore_result_free(&res);
}

static inline int outcomes_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Add outcome s to the *n strings at outs (slots of w bytes, room for
 * max), unless it is there already; one that does not fit is a test
 * failure, not a lost outcome. */
static inline void outcomes_add(char *outs, unsigned *n, unsigned max,
				size_t w, const char *s)
{
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp(outs + i * w, s))
			return;
	CHECK(*n < max && strlen(s) < w);
	if (*n < max && strlen(s) < w)
		strcpy(outs + (*n)++ * w, s);
}

/* The n strings at outs, each in a slot of w bytes, sorted in place and
 * joined by spaces into buf (size bytes): buf. */
static inline const char *outcomes_join(char *outs, unsigned n, size_t w,
					char *buf, size_t size)
{
	size_t k = 0;

	qsort(outs, n, w, outcomes_cmp);
	buf[0] = 0;
	for (unsigned i = 0; i < n && k < size; i++)
		k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? " " : "",
				      outs + i * w);
	return buf;
}

#endif
