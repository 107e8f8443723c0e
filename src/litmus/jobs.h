/*
 * src/litmus/jobs.h - litmus tests over worker processes (`vmsa litmus
 * --jobs N`): the tests of a run shared among the workers, and, without
 * a cap on executions, each test's search split between them as `vmsa
 * check --jobs` splits one (explore/parallel.h). Private to libvmsa (the
 * command line uses it). docs/litmus.md, "Tests over worker processes".
 */
#ifndef VMSA_LITMUS_JOBS_H
#define VMSA_LITMUS_JOBS_H

#include "explore/parallel.h"
#include "vmsa/litmus.h"

/* One test's search, made ready by lit_job_prepare() (run.c). */
struct lit_job;

/* Check test t under lo and make its search ready: 1 with *job set, or
 * (*job NULL) what vmsa_litmus_run() returns for a test that cannot
 * run, res filled as it fills it. */
int lit_job_prepare(struct lit_job **job, const vmsa_litmus_t *t,
		    const vmsa_litmus_opts_t *lo, vmsa_litmus_result_t *res);

/* The configuration to give explore_parallel() for job's search (an
 * outcomes search: out, which must live as long as the search), split
 * between workers or run whole in one. */
void lit_job_search(struct lit_job *job, bool split, struct par_config *pc,
		    struct par_outcomes *out);

/* The explorer's options of job's search. */
const vmsa_explore_opts_t *lit_job_opts(const struct lit_job *job);

/* job's result once every unit of its search is merged: rc and err as
 * explore_parallel() gives them, st the explorer's counts and the
 * search's time. Returns as vmsa_litmus_run(). */
int lit_job_conclude(struct lit_job *job, const vmsa_litmus_t *t, int rc,
		     const char *err, const vmsa_explore_stats_t *st,
		     vmsa_litmus_result_t *res);

void lit_job_free(struct lit_job *job);

/* Called for each test, in order, with its status (as vmsa_litmus_run()
 * returns it) and result (the callee's, to free with
 * vmsa_litmus_result_free). */
typedef void lit_done_fn(void *ctx, unsigned i, int rc,
			 vmsa_litmus_result_t *res);

/*
 * Run tests t[0 .. n) with options lo[i] each (the same but for
 * html_file) over `jobs` worker processes (1 .. PAR_MAX_JOBS), calling
 * done() for each test in order. Each test's search runs whole in one
 * worker, or with `split` (which needs lo->max_executions 0: a cap
 * counts the executions of the serial search's order) is split between
 * workers when one is idle, as `vmsa check --jobs` splits a search:
 * the same final states and observation, other counts (docs/litmus.md).
 * A bad --variant (-EINVAL, known before any search) is given to done()
 * for the first test, and nothing runs. Returns 0, -EINVAL after a bad
 * variant or for a split with a cap, or a negative errno when the
 * workers cannot run at all.
 */
int lit_run_jobs(vmsa_litmus_t *const *t, const vmsa_litmus_opts_t *lo,
		 unsigned n, unsigned jobs, bool split, lit_done_fn *done,
		 void *ctx);

#endif
