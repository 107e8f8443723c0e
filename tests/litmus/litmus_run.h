/*
 * tests/litmus/litmus_run.h - what every litmus runner test does: parse
 * a test from a string, run it, and compare the final states exactly.
 * Shared by the test files of tests/litmus/ so that a change to how a
 * test is run is made once.
 */
#ifndef VMSA_TESTS_LITMUS_RUN_H
#define VMSA_TESTS_LITMUS_RUN_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmsa/litmus.h"

/* Parse text as t.litmus and run it with options o; res is filled. A
 * parse error fails the calling test. Returns vmsa_litmus_run's code. */
static inline int lit_run_opts(const char *text, const vmsa_litmus_opts_t *o,
			       vmsa_litmus_result_t *res)
{
	vmsa_litmus_t *t;
	char err[512];
	int rc;

	memset(res, 0, sizeof(*res));
	if (vmsa_litmus_parse("t.litmus", text, &t, err, sizeof(err))) {
		vt_fail(__FILE__, __LINE__, "parse: %s", err);
		return -EINVAL;
	}
	rc = vmsa_litmus_run(t, o, res);
	vmsa_litmus_free(t);
	return rc;
}

/* Run text under variant (NULL: the test's own Variant= line, else
 * vmsa) on Arm's ordering, or on sequentially consistent memory when
 * sc. */
static inline int lit_run(const char *text, const char *variant, bool sc,
			  vmsa_litmus_result_t *res)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();

	if (variant)
		o.variant = variant;
	o.sc = sc;
	return lit_run_opts(text, &o, res);
}

/* Parse the file at path and run it under variant (NULL: its own
 * Variant= line, else vmsa; on sequentially consistent memory when sc);
 * res is filled. A parse error fails the calling test. */
static inline int lit_run_file_v(const char *path, const char *variant,
				 bool sc, vmsa_litmus_result_t *res)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	vmsa_litmus_t *t;
	char err[512];
	int rc;

	memset(res, 0, sizeof(*res));
	if (vmsa_litmus_parse_file(path, &t, err, sizeof(err))) {
		vt_fail(__FILE__, __LINE__, "parse: %s", err);
		return -EINVAL;
	}
	if (variant)
		o.variant = variant;
	o.sc = sc;
	rc = vmsa_litmus_run(t, &o, res);
	vmsa_litmus_free(t);
	return rc;
}

/* lit_run_file_v with the test's own variant. */
static inline int lit_run_file(const char *path, bool sc,
			       vmsa_litmus_result_t *res)
{
	return lit_run_file_v(path, NULL, sc, res);
}

/* Do a and b have the same final states (herd7's lines, in order)? */
static inline bool lit_same_states(const vmsa_litmus_result_t *a,
				   const vmsa_litmus_result_t *b)
{
	if (a->nstates != b->nstates)
		return false;
	for (unsigned i = 0; i < a->nstates; i++)
		if (strcmp(a->states[i], b->states[i]))
			return false;
	return true;
}

/* And the same observation (Never, Sometimes, Always, unsupported)? */
static inline bool lit_same_result(const vmsa_litmus_result_t *a,
				   const vmsa_litmus_result_t *b)
{
	return a->outcome == b->outcome && lit_same_states(a, b);
}

/* The final states of r are exactly want[0..n), in herd7's order. */
static inline void check_states(const vmsa_litmus_result_t *r,
				const char *const *want, unsigned n)
{
	CHECK_EQ(r->nstates, n);
	for (unsigned i = 0; i < n && i < r->nstates; i++)
		CHECK_STR(r->states[i], want[i]);
}

/* Run text under variant and check its observation, its final states
 * want[0 .. n) exactly and how many executions the search made. */
static inline void lit_expect_execs(const char *text, const char *variant,
				    vmsa_litmus_outcome_t obs,
				    const char *const *want, unsigned n,
				    uint64_t execs)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(text, variant, false, &r), 0);
	CHECK_EQ(r.outcome, obs);
	check_states(&r, want, n);
	CHECK_EQ(r.executions, execs);
	vmsa_litmus_result_free(&r);
}

/* Run text under vmsa,fatal with the search rule whose switch is the
 * environment variable var on (rule) or off (var=0), and check its
 * observation, its final states want[0 .. n) and the executions. */
static inline void lit_expect_rule(const char *text, const char *var,
				   bool rule, vmsa_litmus_outcome_t obs,
				   const char *const *want, unsigned n,
				   uint64_t execs)
{
	if (!rule)
		setenv(var, "0", 1);
	lit_expect_execs(text, "vmsa,fatal", obs, want, n, execs);
	unsetenv(var);
}

/* Run text under variant and check its observation, the executions
 * that reach the final condition (pos) and those that do not (neg), and
 * the final states want[0..n) exactly (skipped when want is NULL). */
static inline void lit_expect(const char *text, const char *variant,
			      vmsa_litmus_outcome_t outcome, uint64_t pos,
			      uint64_t neg, const char *const *want,
			      unsigned n)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(text, variant, false, &r), 0);
	CHECK_EQ(r.outcome, outcome);
	CHECK_EQ(r.positive, pos);
	CHECK_EQ(r.negative, neg);
	if (want)
		check_states(&r, want, n);
	vmsa_litmus_result_free(&r);
}

/* Run the file at path under variant (lit_run_file_v) and check its
 * observation, its final states want[0 .. n) exactly, its witnesses
 * (pos, neg) and the executions dropped for a promise left unfulfilled. */
static inline void lit_expect_file_v(const char *path, const char *variant,
				     bool sc, vmsa_litmus_outcome_t obs,
				     const char *const *want, unsigned n,
				     uint64_t pos, uint64_t neg,
				     uint64_t dropped)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run_file_v(path, variant, sc, &r), 0);
	CHECK_EQ(r.outcome, obs);
	check_states(&r, want, n);
	CHECK_EQ(r.positive, pos);
	CHECK_EQ(r.negative, neg);
	CHECK_EQ(r.discarded, dropped);
	CHECK_EQ(r.executions, pos + neg + dropped);
	vmsa_litmus_result_free(&r);
}

/* Was the test in file path cut off by herd7's unrolling in some
 * execution (its "Loop" line; vmsa_litmus_result_t.loop)? */
static inline bool lit_file_cut_off(const char *path)
{
	vmsa_litmus_result_t r;
	bool loop;

	CHECK_EQ(lit_run_file_v(path, NULL, false, &r), 0);
	loop = r.loop;
	vmsa_litmus_result_free(&r);
	return loop;
}

/* lit_expect_file_v for tests/litmus/DIR/NAME.litmus. */
static inline void lit_expect_in(const char *dir, const char *name,
				 const char *variant, bool sc,
				 vmsa_litmus_outcome_t obs,
				 const char *const *want, unsigned n,
				 uint64_t pos, uint64_t neg, uint64_t dropped)
{
	char path[160];

	snprintf(path, sizeof(path), "tests/litmus/%s/%s.litmus", dir, name);
	lit_expect_file_v(path, variant, sc, obs, want, n, pos, neg, dropped);
}

/* lit_expect_file_v with the test's own variant. */
static inline void lit_expect_file(const char *path, bool sc,
				   vmsa_litmus_outcome_t obs,
				   const char *const *want, unsigned n,
				   uint64_t pos, uint64_t neg,
				   uint64_t dropped)
{
	lit_expect_file_v(path, NULL, sc, obs, want, n, pos, neg, dropped);
}

#endif
