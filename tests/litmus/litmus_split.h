/*
 * tests/litmus/litmus_split.h - a litmus test's reduced search split over
 * two worker processes that hand work over as soon as they can (`vmsa
 * litmus --jobs 2 --split-search`), compared with its serial search.
 * Shared by the tests of the reduction's soundness.
 */
#ifndef VMSA_TESTS_LITMUS_SPLIT_H
#define VMSA_TESTS_LITMUS_SPLIT_H

#include "litmus/jobs.h"
#include "litmus_run.h"

/* lit_run_jobs's callback: is the split search's result the serial
 * one's (observation and final states)? */
struct split_check {
	const vmsa_litmus_result_t *serial;
	int rc;
	bool called, same;
};

static inline void split_done(void *ctx, unsigned i, int rc,
			      vmsa_litmus_result_t *r)
{
	struct split_check *c = ctx;

	(void)i;
	c->called = true;
	c->rc = rc;
	c->same = lit_same_result(r, c->serial);
}

/* The reduced search of text split over two workers (docs/litmus.md,
 * "Tests over worker processes"), which hand work over at once
 * (par_ask_seconds 0, put back after): the serial search's observation
 * and final states? Adds to *handed the units the workers handed over
 * (par_units_handed, which every parallel run starts from 0). */
static inline bool split_same(const char *text,
			      const vmsa_litmus_result_t *serial,
			      unsigned long *handed)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	struct split_check c = {serial, 0, false, false};
	double ask = par_ask_seconds;
	vmsa_litmus_t *t;
	char err[256];

	if (vmsa_litmus_parse("t.litmus", text, &t, err, sizeof(err)))
		return false;
	o.max_executions = 0;
	par_ask_seconds = 0;
	CHECK_EQ(lit_run_jobs(&t, &o, 1, 2, true, split_done, &c), 0);
	par_ask_seconds = ask;
	*handed += par_units_handed;
	vmsa_litmus_free(t);
	CHECK(c.called);
	CHECK_EQ(c.rc, 0);
	return c.same;
}

#endif
