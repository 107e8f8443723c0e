/*
 * src/litmus/jobs.c - litmus tests over worker processes (jobs.h). Every
 * test that can run is one configuration of one explore_parallel() call:
 * its workers take the tests in order, and when none is left to start
 * an idle worker gets part of a running search (without a cap). Each
 * unit of a search sends what its outcome callback gathered; merged in
 * depth-first order, they give the test's result. The tests that cannot
 * run (unsupported before any search) are reported in their place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"

struct jobs_run {
	vmsa_litmus_t *const *t;
	unsigned n, next;               /* tests reported so far */
	struct lit_job **job;           /* NULL: the test does not search */
	vmsa_litmus_result_t *res;
	int *rc;                        /* lit_job_prepare()'s */
	unsigned *test;                 /* configuration -> test */
	lit_done_fn *done;
	void *ctx;
};

/* Report tests jr->next .. i - 1, none of which searches. */
static void report_upto(struct jobs_run *jr, unsigned i)
{
	for (; jr->next < i; jr->next++) {
		jr->done(jr->ctx, jr->next, jr->rc[jr->next],
			 &jr->res[jr->next]);
		vmsa_litmus_result_free(&jr->res[jr->next]);
	}
}

/* explore_parallel's callback: configuration ci's search is merged. */
static void search_done(void *ctx, unsigned ci, int rc,
			vmsa_explore_result_t *xres,
			const struct par_shard *sh)
{
	struct jobs_run *jr = ctx;
	unsigned i = jr->test[ci];
	vmsa_litmus_result_t *res = &jr->res[i];
	char err[sizeof(xres->error) + 64];

	(void)sh;
	report_upto(jr, i);
	/* A crash's message offers a replay, which `vmsa replay` cannot
	 * make of a litmus test's scenario: without it. */
	if (rc == -EFAULT) {
		char *r = strstr(xres->error, " (a replay runs into it)");

		if (r)
			*r = 0;
		snprintf(err, sizeof(err), "a worker process crashed: %s",
			 xres->error);
	} else {
		snprintf(err, sizeof(err), "%s", xres->error);
	}
	rc = lit_job_conclude(jr->job[i], jr->t[i], rc, err, &xres->stats,
			      res);
	vmsa_explore_result_free(xres);
	lit_job_free(jr->job[i]);
	jr->job[i] = NULL;
	jr->done(jr->ctx, i, rc, res);
	vmsa_litmus_result_free(res);
	jr->next = i + 1;
}

static void jobs_free(struct jobs_run *jr)
{
	for (unsigned i = 0; jr->job && i < jr->n; i++)
		lit_job_free(jr->job[i]);
	for (unsigned i = jr->next; jr->res && i < jr->n; i++)
		vmsa_litmus_result_free(&jr->res[i]);
	free(jr->job);
	free(jr->res);
	free(jr->rc);
	free(jr->test);
}

/* Prepare every test: the configurations of those that search into
 * pc[], *npc of them. -EINVAL after a bad variant (reported). */
static int prepare_all(struct jobs_run *jr, const vmsa_litmus_opts_t *lo,
		       bool split, struct par_config *pc,
		       struct par_outcomes *out, unsigned *npc)
{
	*npc = 0;
	for (unsigned i = 0; i < jr->n; i++) {
		jr->rc[i] = lit_job_prepare(&jr->job[i], jr->t[i], &lo[i],
					    &jr->res[i]);
		if (jr->rc[i] == -EINVAL && strstr(jr->res[i].error,
						   "--variant")) {
			/* The same for every test, and the first check of
			 * all: the first test's, nothing before it ran.
			 * Nothing runs. */
			report_upto(jr, i + 1);
			return -EINVAL;
		}
		if (jr->rc[i] != 1)
			continue;
		lit_job_search(jr->job[i], split, &pc[*npc], &out[*npc]);
		jr->test[(*npc)++] = i;
	}
	return 0;
}

int lit_run_jobs(vmsa_litmus_t *const *t, const vmsa_litmus_opts_t *lo,
		 unsigned n, unsigned jobs, bool split, lit_done_fn *done,
		 void *ctx)
{
	struct jobs_run jr = {.t = t, .n = n, .done = done, .ctx = ctx};
	struct par_config *pc;
	struct par_outcomes *out;
	unsigned npc = 0;
	int rc = -ENOMEM;

	if (split && n && lo[0].max_executions)
		return -EINVAL;
	pc = calloc(n ? n : 1, sizeof(*pc));
	out = calloc(n ? n : 1, sizeof(*out));
	jr.job = calloc(n ? n : 1, sizeof(*jr.job));
	jr.res = calloc(n ? n : 1, sizeof(*jr.res));
	jr.rc = calloc(n ? n : 1, sizeof(*jr.rc));
	jr.test = calloc(n ? n : 1, sizeof(*jr.test));
	if (pc && out && jr.job && jr.res && jr.rc && jr.test)
		rc = prepare_all(&jr, lo, split, pc, out, &npc);
	/* Every search has the same explorer options: the run's. */
	if (!rc && npc)
		rc = explore_parallel(pc, npc, lit_job_opts(jr.job[jr.test[0]]),
				      jobs, 0, 0, search_done, &jr);
	if (!rc)
		report_upto(&jr, n);
	jobs_free(&jr);
	free(pc);
	free(out);
	return rc;
}
