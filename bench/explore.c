/*
 * bench/explore.c - explorer throughput: executions and model steps per
 * second for the bundled scenarios bbm/ok and size/split (exhaustive,
 * default bounds), plus the cost of one coroutine switch and of running a
 * search in a child process (opts.isolate, what `vmsa check` does by
 * default), and the speed-up of a search of ten seconds or more split
 * over two worker processes (`vmsa check --jobs 2`) against one, plain
 * and reduced (jobs_choose(): the search is chosen by its time on this
 * host): measured, and the one the split allows on two idle processors
 * (the workers' processor time over the busiest worker's: the measured
 * figure drops when other programs take the processors). Prints one
 * JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Milliseconds per fork() of this process whose child exits at once,
 * waited for: what the host's kernel charges for a process, the floor
 * under any isolated search (it varies by a factor of ten between
 * hosts, so isolation's overhead is only comparable next to it). */
static double bare_fork_ms(int runs)
{
	double t0 = now();

	for (int i = 0; i < runs; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) < 0)
			return -1;
	}
	return (now() - t0) * 1e3 / runs;
}

/* The cost of isolation: the same small search (size/split@bbm0, one
 * execution) in process and in a child process, beside the host's cost
 * of a bare fork and wait. */
static void isolation(void)
{
	double in = search_ms("size/split", "bbm0", false, 200);
	double out = search_ms("size/split", "bbm0", true, 200);
	double fork_ms = bare_fork_ms(200);

	printf(", \"isolation\": {\"search_ms\": %.3f, \"isolated_search_ms\": "
	       "%.3f, \"overhead_ms\": %.3f, \"bare_fork_ms\": %.3f, "
	       "\"overhead_beyond_fork_ms\": %.3f}", in, out, out - in, fork_ms,
	       out - in - fork_ms);
}

/*
 * The searches the jobs benchmark splits must take at least
 * JOBS_MIN_SECONDS in one process (issue 8's "a search of ten seconds or
 * more"), whatever the speed of this build and host: fixed constants
 * drifted to 2 s as the explorer got faster. So each mode has a list of
 * candidate searches, smallest first; each is tried at growing
 * preemption bounds (from its `bound`, up to `max_bound`) in one
 * process until one takes JOBS_MIN_SECONDS or more; a candidate whose
 * bound no longer matters (the same executions as one bound lower) or
 * that runs out of bounds gives way to the next. The chosen search is then run over two
 * workers. VMSA_BENCH_JOBS_MIN sets the threshold (seconds).
 */
#define JOBS_MIN_SECONDS 10.0

struct jobs_cand {
	const char *scenario, *config;
	int bound, max_bound;
};

/* The plain search: the results of --jobs are exactly those of one
 * process, execution counts included. */
static const struct jobs_cand jobs_plain[] = {
	{"pgtable/fault-neighbours", "bbm2", 3, 3},
	{"contpte/fold-no-tlbi", "bbm2-noabort", 3, 4},
	{"pgtable/fault-neighbours", "bbm2", 4, 4},
};

/* The reduced search: at a bound the reduction keeps no sleep sets, so
 * the split search explores the same executions, as a rule. */
static const struct jobs_cand jobs_reduced[] = {
	{"pgtable/fault-neighbours", "bbm2", 3, 5},
	{"contpte/fold-no-tlbi", "bbm2-noabort", 3, 5},
	{"pgtable/fault-same", "bbm2", 4, 6},
};

struct jobs_run {
	int rc;
	uint64_t executions;
	const char *verdict;
	bool complete;
	double seconds;
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

/* Search s@config at `bound` (reduced or not) over `jobs` workers: its
 * wall time and result in *j; -1 on failure. */
static int jobs_search(const char *s, const char *config, int bound,
		       bool reduction, unsigned jobs, struct jobs_run *j)
{
	struct par_config pc = {vmsa_scenario_find(s), config, NULL};
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	double t0 = now(), total = 0, most = 0;

	o.preemptions = bound;
	o.reduction = reduction;
	if (!pc.s || explore_parallel(&pc, 1, &o, jobs, 0, 0, jobs_done, j) ||
	    j->rc)
		return -1;
	j->seconds = now() - t0;
	for (unsigned i = 0; i < jobs; i++) {
		total += par_worker_seconds[i];
		if (par_worker_seconds[i] > most)
			most = par_worker_seconds[i];
	}
	j->balance = most > 0 ? total / most : 0;
	return 0;
}

/* The first candidate search of at least min_seconds in one process
 * (its one-process run in *one, its bound in *bound); NULL if none. */
static const struct jobs_cand *jobs_choose(const struct jobs_cand *c,
					   unsigned n, bool reduction,
					   double min_seconds, int *bound,
					   struct jobs_run *one)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t last = 0;

		for (int b = c[i].bound; b <= c[i].max_bound; b++) {
			*one = (struct jobs_run){0};
			if (jobs_search(c[i].scenario, c[i].config, b,
					reduction, 1, one))
				break;
			if (one->seconds >= min_seconds) {
				*bound = b;
				return &c[i];
			}
			/* The same count as one bound lower: the bound cut
			 * nothing, a larger one explores nothing more. */
			if (one->executions == last)
				break;
			last = one->executions;
		}
	}
	return NULL;
}

/* --jobs 2 against --jobs 1 in one mode: the chosen search, both runs'
 * times and results, the ratio. The plain search must give exactly the
 * same result; the reduced one the same verdict and completeness. */
static void jobs_mode(const char *key, const struct jobs_cand *c, unsigned n,
		      bool reduction, double min_seconds)
{
	struct jobs_run one = {0}, two = {0};
	int bound = 0;
	const struct jobs_cand *ch =
		jobs_choose(c, n, reduction, min_seconds, &bound, &one);
	bool same;

	if (!ch || jobs_search(ch->scenario, ch->config, bound, reduction, 2,
			       &two)) {
		printf("\"%s\": {\"error\": \"no candidate search took %.0f s "
		       "or more in one process\"}", key, min_seconds);
		return;
	}
	same = one.verdict && two.verdict && !strcmp(one.verdict, two.verdict)
	       && one.complete == two.complete &&
	       (reduction || one.executions == two.executions);
	printf("\"%s\": {\"search\": \"%s@%s\", \"preemptions\": %d, "
	       "\"verdict\": \"%s\", \"complete\": %s, "
	       "\"jobs1_executions\": %llu, \"jobs2_executions\": %llu, "
	       "\"same\": %s, \"jobs1_seconds\": %.2f, "
	       "\"jobs2_seconds\": %.2f, \"speedup\": %.2f, "
	       "\"jobs2_cpu_balance\": %.2f}",
	       key, ch->scenario, ch->config, bound, one.verdict,
	       one.complete ? "true" : "false",
	       (unsigned long long)one.executions,
	       (unsigned long long)two.executions, same ? "true" : "false",
	       one.seconds, two.seconds,
	       two.seconds > 0 ? one.seconds / two.seconds : 0.0, two.balance);
}

static void jobs(void)
{
	const char *env = getenv("VMSA_BENCH_JOBS_MIN");
	double min_seconds = env ? atof(env) : JOBS_MIN_SECONDS;

	printf(", \"jobs\": {\"min_seconds\": %.1f, ", min_seconds);
	jobs_mode("plain", jobs_plain,
		  sizeof(jobs_plain) / sizeof(jobs_plain[0]), false,
		  min_seconds);
	printf(", ");
	jobs_mode("reduced", jobs_reduced,
		  sizeof(jobs_reduced) / sizeof(jobs_reduced[0]), true,
		  min_seconds);
	printf("}");
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
