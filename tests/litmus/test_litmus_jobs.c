/*
 * tests/litmus/test_litmus_jobs.c - litmus tests over worker processes
 * (src/litmus/jobs.c, `vmsa litmus --jobs`): each search whole in one
 * worker gives every field of vmsa_litmus_run()'s result, with or
 * without a cap; a search split between workers (par_ask_seconds 0: a
 * worker hands work over after its first execution) gives the same
 * final states, observation and Ok, whatever the counts; a split with a
 * cap is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "litmus/jobs.h"
#include "litmus_run.h"

/* Bundled tests: load buffering (promises), faults, a handled fault
 * with its discarded executions, a test the model does not support. */
static const char *const files[] = {
	"tests/litmus/data/sb.litmus",
	"tests/litmus/lb/LB.litmus",
	"tests/litmus/lb/LB+dmb.sy+po.litmus",
	"tests/litmus/lb/LB+ro.litmus",
	"tests/litmus/data/MP.pte+dsb+po.litmus",
	"tests/litmus/data/fault.litmus",
	"tests/litmus/data/memtag/fault.tag+handled.litmus",
	"tests/litmus/data/stg.litmus",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

struct expect {
	vmsa_litmus_t *t[NFILES];
	vmsa_litmus_opts_t lo[NFILES];
	vmsa_litmus_result_t serial[NFILES];
	int rc[NFILES];
	bool split;             /* compare what a split search keeps */
	unsigned base;          /* files[] index of the run's first test */
	unsigned next;          /* the test done() should see next */
};

static void load(struct expect *e, uint64_t max)
{
	memset(e, 0, sizeof(*e));
	for (unsigned i = 0; i < NFILES; i++) {
		char err[256];

		CHECK_MSG(!vmsa_litmus_parse_file(files[i], &e->t[i], err,
						  sizeof(err)), "%s", err);
		e->lo[i] = vmsa_litmus_defaults();
		e->lo[i].max_executions = max;
		e->rc[i] = vmsa_litmus_run(e->t[i], &e->lo[i], &e->serial[i]);
	}
}

static void unload(struct expect *e)
{
	for (unsigned i = 0; i < NFILES; i++) {
		vmsa_litmus_result_free(&e->serial[i]);
		vmsa_litmus_free(e->t[i]);
	}
}

/* lit_done_fn: test i's result against the serial one. */
static void done(void *ctx, unsigned i, int rc, vmsa_litmus_result_t *r)
{
	struct expect *e = ctx;

	i += e->base;
	const vmsa_litmus_result_t *s = &e->serial[i];

	CHECK_EQ(i, e->next);
	e->next = i + 1;
	CHECK_EQ(rc, e->rc[i]);
	CHECK_EQ(r->outcome, s->outcome);
	CHECK_EQ(r->ok, s->ok);
	CHECK_MSG(lit_same_states(r, s), "%s: states differ", files[i]);
	CHECK_STR(r->error, s->error);
	CHECK_STR(r->config, s->config);
	CHECK_EQ(r->loop, s->loop);
	CHECK_EQ(r->decided_sometimes, s->decided_sometimes);
	if (e->split)
		return;
	CHECK_EQ(r->executions, s->executions);
	CHECK_EQ(r->positive, s->positive);
	CHECK_EQ(r->negative, s->negative);
	CHECK_EQ(r->prop_true, s->prop_true);
	CHECK_EQ(r->prop_false, s->prop_false);
	CHECK_EQ(r->discarded, s->discarded);
	CHECK_EQ(r->blocked, s->blocked);
	CHECK_EQ(r->ruled, s->ruled);
	CHECK_STR(r->witness ? r->witness : "-", s->witness ? s->witness : "-");
}

static void whole(uint64_t max, unsigned jobs)
{
	struct expect *e = malloc(sizeof(*e));

	CHECK(e != NULL);
	if (!e)
		return;
	load(e, max);
	/* Some searches cut executions short, so that the counts compared
	 * in done() are not all 0. */
	if (!max) {
		uint64_t blocked = 0, ruled = 0;

		for (unsigned i = 0; i < NFILES; i++) {
			blocked += e->serial[i].blocked;
			ruled += e->serial[i].ruled;
		}
		CHECK(blocked > 0);
		CHECK(ruled > 0);
	}
	CHECK_EQ(lit_run_jobs(e->t, e->lo, NFILES, jobs, false, done, e), 0);
	CHECK_EQ(e->next, NFILES);
	/* No search was split. */
	CHECK_EQ(par_units_handed, 0);
	/* A worker that ended a test runs the next one: no fork but the
	 * jobs' first (parallel.c, reusable()). */
	CHECK_EQ(par_workers_forked, jobs);
	unload(e);
	free(e);
}

TEST(litmus_jobs_whole_same_as_serial)
{
	par_ask_seconds = 0;
	whole(0, 2);
	whole(0, 3);
	par_ask_seconds = 0.01;
}

/* A cap: each search cut where the serial one is, the early decision
 * (SB: Sometimes after 5) included. */
TEST(litmus_jobs_capped_same_as_serial)
{
	par_ask_seconds = 0;
	whole(5, 2);
	par_ask_seconds = 0.01;
}

TEST(litmus_jobs_split_same_states)
{
	struct expect *e = malloc(sizeof(*e));

	CHECK(e != NULL);
	if (!e)
		return;
	load(e, 0);
	e->split = true;
	par_ask_seconds = 0;
	CHECK_EQ(lit_run_jobs(e->t, e->lo, NFILES, 2, true, done, e), 0);
	CHECK_EQ(e->next, NFILES);
	CHECK(par_units_handed > 0);
	/* Each test alone: every search of more than one execution is
	 * split (its worker hands work over after its first). */
	for (unsigned i = 0; i < NFILES; i++) {
		e->next = e->base = i;
		CHECK_EQ(lit_run_jobs(&e->t[i], &e->lo[i], 1, 2, true, done,
				      e), 0);
		CHECK_EQ(e->next, i + 1);
		if (e->serial[i].executions > 1)
			CHECK_MSG(par_units_handed > 0, "%s: not split",
				  files[i]);
	}
	par_ask_seconds = 0.01;
	unload(e);
	free(e);
}

TEST(litmus_jobs_split_refuses_cap)
{
	vmsa_litmus_opts_t lo = vmsa_litmus_defaults();
	vmsa_litmus_t *t;
	char err[256];

	CHECK(!vmsa_litmus_parse_file(files[0], &t, err, sizeof(err)));
	CHECK_EQ(lit_run_jobs(&t, &lo, 1, 2, true, done, NULL), -EINVAL);
	vmsa_litmus_free(t);
}
