/*
 * bench/explore.c - explorer throughput: executions and model steps per
 * second for the bundled scenarios bbm/ok and size/split (exhaustive,
 * default bounds), plus the cost of one coroutine switch and of running a
 * search in a child process (opts.isolate, what `vmsa check` does by
 * default), and the speed-up of a search of about ten seconds split over
 * two worker processes (`vmsa check --jobs 2`) against one: measured,
 * and the one the split allows on two idle processors (the workers'
 * processor time over the busiest worker's: the measured figure drops
 * when other programs take the processors). Prints one JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmsa/explore.h"
#include "explore/coro.h"
#include "explore/parallel.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Processor time of this process, for the in-process searches of
 * measure(): their cost, which other programs sharing the processors do
 * not inflate. The coroutine switch, isolation and --jobs figures stay
 * wall time (child processes, parallel speed-up). */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define SWITCHES 2000000

static struct coro *bench_main, *bench_co;

static void bouncer(void *arg)
{
	(void)arg;
	for (;;)
		coro_switch(bench_co, bench_main);
}

/* Nanoseconds per coroutine switch (one way). */
static double switch_ns(void)
{
	double t0;

	bench_main = coro_main();
	bench_co = coro_new(64 << 10);
	if (!bench_main || !bench_co)
		return -1;
	coro_start(bench_co, bouncer, NULL);
	t0 = now();
	for (int i = 0; i < SWITCHES / 2; i++)
		coro_switch(bench_main, bench_co);
	t0 = now() - t0;
	coro_free(bench_co);
	free(bench_main);
	return t0 * 1e9 / SWITCHES;
}


/* Explore s@config repeatedly for at least min_seconds. */
static int measure(const char *name, const char *config, double min_seconds,
		   bool first)
{
	const vmsa_scenario_t *s = vmsa_scenario_find(name);
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	uint64_t execs = 0, steps = 0;
	const char *verdict = "?";
	bool complete = false;
	double t0 = cpu_now(), t;
	int runs = 0;

	if (!s) {
		fprintf(stderr, "bench/explore: no scenario %s\n", name);
		return -1;
	}
	do {
		vmsa_explore_result_t res;

		if (vmsa_explore(s, config, &o, &res)) {
			fprintf(stderr, "bench/explore: %s@%s: %s\n", name,
				config, res.error);
			return -1;
		}
		execs += res.stats.executions;
		steps += res.stats.steps;
		verdict = res.verdict;
		complete = res.complete;
		vmsa_explore_result_free(&res);
		runs++;
		t = cpu_now() - t0;
	} while (t < min_seconds);
	printf("%s\"%s@%s\": {\"verdict\": \"%s\", \"complete\": %s, "
	       "\"executions_per_search\": %llu, \"steps_per_search\": %llu, "
	       "\"executions_per_second\": %.0f, \"steps_per_second\": %.0f}",
	       first ? "" : ", ", name, config, verdict,
	       complete ? "true" : "false",
	       (unsigned long long)(execs / (uint64_t)runs),
	       (unsigned long long)(steps / (uint64_t)runs),
	       (double)execs / t, (double)steps / t);
	return 0;
}

/* Milliseconds per search of s@config, in process or isolated. */
static double search_ms(const char *name, const char *config, bool isolate,
			int runs)
{
	const vmsa_scenario_t *s = vmsa_scenario_find(name);
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	double t0 = now();

	o.isolate = isolate;
	for (int i = 0; i < runs; i++) {
		vmsa_explore_result_t res;

		if (!s || vmsa_explore(s, config, &o, &res) < 0)
			return -1;
		vmsa_explore_result_free(&res);
	}
	return (now() - t0) * 1e3 / runs;
}

/* The cost of isolation: the same small search (size/split@bbm0, one
 * execution) in process and in a child process. */
static void isolation(void)
{
	double in = search_ms("size/split", "bbm0", false, 200);
	double out = search_ms("size/split", "bbm0", true, 200);

	printf(", \"isolation\": {\"search_ms\": %.3f, \"isolated_search_ms\": "
	       "%.3f, \"overhead_ms\": %.3f}", in, out, out - in);
}

/* The search the jobs benchmark splits: about ten seconds in one
 * process on a 2-CPU host when chosen, 2.2 s since (291,669
 * executions). */
#define JOBS_SCENARIO "table/free-with-tlbi"
#define JOBS_CONFIG "bbm0"
#define JOBS_BOUND 10
/* The reduced search it splits: about ten seconds in one process too
 * when chosen (254,036 executions), 4.9 s since (160,844: failed wait
 * checks are no steps). At a bound the reduction keeps no sleep sets,
 * so the split search explores the same executions, as a rule. */
#define JOBS_RED_SCENARIO "pgtable/fault-same"
#define JOBS_RED_CONFIG "bbm2"
#define JOBS_RED_BOUND 3

struct jobs_run {
	int rc;
	uint64_t executions;
	const char *verdict;
	bool complete;
	double balance;         /* workers' processor time over the busiest's */
};

static void jobs_done(void *ctx, unsigned i, int rc, vmsa_explore_result_t *res,
		      const struct par_shard *sh)
{
	(void)sh;
	struct jobs_run *j = ctx;

	(void)i;
	j->rc = rc;
	j->executions = res->stats.executions;
	j->verdict = res->verdict;
	j->complete = res->complete;
	vmsa_explore_result_free(res);
}

/* Seconds of search s@config at `bound` (reduced or not) over `jobs`
 * workers (< 0 on failure). */
static double jobs_seconds(const char *s, const char *config, int bound,
			   bool reduction, unsigned jobs, struct jobs_run *j)
{
	struct par_config pc = {vmsa_scenario_find(s), config};
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	double t0 = now(), total = 0, most = 0, t;

	o.preemptions = bound;
	o.reduction = reduction;
	if (!pc.s || explore_parallel(&pc, 1, &o, jobs, 0, 0, jobs_done, j) ||
	    j->rc)
		return -1;
	t = now() - t0;
	for (unsigned i = 0; i < jobs; i++) {
		total += par_worker_seconds[i];
		if (par_worker_seconds[i] > most)
			most = par_worker_seconds[i];
	}
	j->balance = most > 0 ? total / most : 0;
	return t;
}

/* --jobs 2 against --jobs 1: the same search, its time and the ratio;
 * the plain search (exactly the same result) and a reduced one (the
 * same verdict and completeness; the executions of each are shown). */
static void jobs(void)
{
	struct jobs_run one = {0}, two = {0}, rone = {0}, rtwo = {0};
	double t1 = jobs_seconds(JOBS_SCENARIO, JOBS_CONFIG, JOBS_BOUND, false,
				 1, &one);
	double t2 = jobs_seconds(JOBS_SCENARIO, JOBS_CONFIG, JOBS_BOUND, false,
				 2, &two);
	double r1 = jobs_seconds(JOBS_RED_SCENARIO, JOBS_RED_CONFIG,
				 JOBS_RED_BOUND, true, 1, &rone);
	double r2 = jobs_seconds(JOBS_RED_SCENARIO, JOBS_RED_CONFIG,
				 JOBS_RED_BOUND, true, 2, &rtwo);

	printf(", \"jobs\": {\"search\": \"%s@%s\", \"preemptions\": %d, "
	       "\"verdict\": \"%s\", \"executions\": %llu, \"same\": %s, "
	       "\"jobs1_seconds\": %.2f, \"jobs2_seconds\": %.2f, "
	       "\"speedup\": %.2f, \"jobs2_cpu_balance\": %.2f",
	       JOBS_SCENARIO, JOBS_CONFIG, JOBS_BOUND,
	       one.verdict ? one.verdict : "error",
	       (unsigned long long)one.executions,
	       one.executions == two.executions && one.verdict == two.verdict ?
	       "true" : "false", t1, t2, t2 > 0 ? t1 / t2 : 0.0, two.balance);
	printf(", \"reduced\": {\"search\": \"%s@%s\", \"preemptions\": %d, "
	       "\"verdict\": \"%s\", \"jobs1_executions\": %llu, "
	       "\"jobs2_executions\": %llu, \"same_verdict\": %s, "
	       "\"jobs1_seconds\": %.2f, \"jobs2_seconds\": %.2f, "
	       "\"speedup\": %.2f, \"jobs2_cpu_balance\": %.2f}}",
	       JOBS_RED_SCENARIO, JOBS_RED_CONFIG, JOBS_RED_BOUND,
	       rone.verdict ? rone.verdict : "error",
	       (unsigned long long)rone.executions,
	       (unsigned long long)rtwo.executions,
	       rone.verdict && rtwo.verdict &&
	       !strcmp(rone.verdict, rtwo.verdict) &&
	       rone.complete == rtwo.complete ? "true" : "false", r1, r2,
	       r2 > 0 ? r1 / r2 : 0.0, rtwo.balance);
}

int main(void)
{
	printf("{\"benchmark\": \"explore\", \"clock\": \"process-cpu "
	       "(results), wall (the rest)\", \"results\": {");
	if (measure("bbm/ok", "bbm0", 1.0, true) ||
	    measure("size/split", "bbm2-noabort", 1.0, false) ||
	    measure("size/split", "bbm2", 1.0, false)) {
		printf("}}\n");
		return 1;
	}
	printf("}, \"coroutine\": \"%s\", \"switch_ns\": %.1f", coro_kind(),
	       switch_ns());
	isolation();
	jobs();
	printf("}\n");
	return 0;
}
