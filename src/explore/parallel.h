/*
 * src/explore/parallel.h - one search split over worker processes
 * (`vmsa check --jobs N`), with the result the serial search gives: the
 * same verdict, execution count and first violation (a reduced search:
 * the same verdict and completeness). Private to libvmsa
 * (the command line uses it).
 *
 * The exhaustive search's executions, in depth-first order, are the
 * decision sequences in lexicographic order; the executions below a
 * decision prefix are a contiguous run of them (a *unit*). Each
 * configuration's search is a list of units in that order, at first one
 * unit (the empty prefix). A worker (a forked child) runs the ordinary
 * search of one unit; when a worker is idle, a running one is asked to
 * hand away the untried options of its shallowest decision that has any,
 * which become new units just after its own. Merging in unit order then
 * gives the serial result exactly: the first unit that stopped (a
 * violation, nondeterminism, a crash, an error) decides the verdict, and
 * the executions are those of every unit before it plus its own.
 * docs/explorer.md, Parallel search, says more.
 */
#ifndef VMSA_EXPLORE_PARALLEL_H
#define VMSA_EXPLORE_PARALLEL_H

#include "vmsa/explore.h"

/*
 * A search that goes on after violations and gathers something from
 * every execution (explore_outcomes(): the litmus front end's final
 * states). Each unit's worker runs explore_outcomes_on() with fn and
 * ctx (its own copy of ctx: the coordinator's is never written by fn),
 * then save() gives the bytes of what fn gathered (malloc'd, *n of them;
 * non-zero: out of memory), which go to the coordinator in a record of
 * their own. There merge() takes the bytes of each unit that ran, in
 * depth-first order, before done() is called for the configuration
 * (non-zero: the bytes are bad or out of memory; the configuration's
 * result is then an error). A unit stops its configuration's search
 * only by an error or a crash, never by a violation. With `whole`, the
 * search is not split: one unit, in one worker, the serial search's
 * executions in its order.
 */
struct par_outcomes {
	void (*fn)(void *ctx, vmsa_run_t *r, const vmsa_violation_t *v);
	int (*save)(void *ctx, char **p, size_t *n);
	int (*merge)(void *ctx, const char *p, size_t n);
	void *ctx;
	bool whole;
};

/* One configuration to explore (out: NULL for vmsa_explore()'s
 * search, else the outcomes search above). */
struct par_config {
	const vmsa_scenario_t *s;
	const char *config;
	const struct par_outcomes *out;
};

/*
 * A shard (`--shard I/N`): a fixed part of each search, the same on any
 * machine at any time, so that N runs can share a search and `vmsa
 * merge` can put their results together. Each configuration's search is
 * first cut into a *plan*: starting from the empty prefix, the unit with
 * the shortest prefix (the first of those) is expanded, one execution
 * run and every untried option after it made a unit of its own, until
 * there are PAR_PLAN_UNITS * N units left to run or nothing to expand.
 * The plan depends only on the scenario, the configuration and the
 * options. Plan unit u (0-based, depth-first order, the expanded
 * executions included) belongs to shard u % N + 1. A shard runs its
 * units and reports, for each one it ran, its executions (and of them
 * those cut short, by why: vmsa_explore_stats_t).
 */
#define PAR_PLAN_UNITS 8
/* The most shards (a plan of PAR_PLAN_UNITS units each is made by every
 * shard: it must stay small against the search). */
#define PAR_MAX_SHARDS 4096

struct par_shard_unit {
	unsigned unit;                  /* index in the plan */
	uint64_t executions;
	uint64_t blocked, ruled, ended; /* of them, cut short */
};

struct par_shard {
	unsigned index, count;          /* shard I of N, 1 <= I <= N */
	unsigned units;                 /* in the plan */
	uint32_t plan;                  /* a hash of the plan's prefixes */
	int preemptions;                /* the options it was made with */
	unsigned steps;
	unsigned n_ran;
	struct par_shard_unit *ran;     /* this shard's units that ran, in
					   order, up to the one that stopped */
	long stop;                      /* the plan unit that stopped this
					   shard's search, or -1; the error of
					   a crash or nondeterminism then
					   numbers executions from its start */
};

/* Called for each configuration, in list order, once its result is
 * known: rc and *res as vmsa_explore() with opts.isolate gives them
 * (res is the callee's, to free with vmsa_explore_result_free); sh is
 * the shard's account (NULL without shards), valid during the call. */
typedef void par_done_fn(void *ctx, unsigned i, int rc,
			 vmsa_explore_result_t *res,
			 const struct par_shard *sh);

/* A message about a crash or nondeterminism that numbers executions
 * from the start of a unit ("... execution N ..."): N made `base`
 * more. */
void par_renumber(char *msg, size_t size, uint64_t base);

/* Seconds a worker runs before it is asked to hand work away, and
 * between two asks (default 0.01). Tests use 0: every worker is asked
 * before it starts, so one that can hands work over right after its
 * first execution. */
extern double par_ask_seconds;
/* Workers started, units handed over, and units made for races found
 * above a worker's floor (reduced searches), by the latest
 * explore_parallel() (for tests: did the search split?). */
extern unsigned long par_units_started, par_units_handed, par_units_raced;
/* Worker processes forked by the latest explore_parallel(): one per
 * unit, but that a worker that ended an outcomes search's unit runs the
 * first unit of another such configuration (parallel.c, reusable()). */
extern unsigned long par_workers_forked;
/* Runs of a sibling's one step that the workers made to know its
 * footprint (an unbounded reduced search's units: docs/explorer.md,
 * "The reduced search in parallel"), by the latest explore_parallel();
 * they are not counted as executions. */
extern unsigned long par_probe_runs;

/* The largest --jobs: more processes than this only add overhead. */
#define PAR_MAX_JOBS 256

/* Processor seconds of the workers of each slot (worker process
 * position, 0 .. jobs - 1) in the latest explore_parallel(): their sum
 * over their largest is the speed-up the split allows with `jobs` idle
 * processors (bench/explore reports it beside the time measured). */
extern double par_worker_seconds[PAR_MAX_JOBS];

/*
 * Explore the n configurations cfg[] with options *o (o->isolate is
 * implied; o->progress is not called; o->max_seconds must be 0, and
 * o->max_executions too unless every configuration is an outcomes
 * search run whole: each then stops after o->max_executions executions
 * as it does in one process)
 * using up to `jobs` worker processes (1..PAR_MAX_JOBS), calling done()
 * for each. With shards > 0, only shard `shard` of `shards` (1-based)
 * of each search. A random search (o->random_runs) is not split: each
 * of its configurations is one unit (and cannot be sharded). A search
 * with o->reduction is split too, with races found above a worker's
 * floor made units of their own: the serial reduced search's verdict
 * and completeness, not its execution count or violation (docs/
 * explorer.md, "The reduced search in parallel"); it cannot be sharded
 * (which races are found where depends on timing). Returns 0,
 * or a negative errno: -EINVAL for bad arguments, or when the workers
 * cannot be coordinated at all (-ENOMEM, mmap's errno).
 */
int explore_parallel(const struct par_config *cfg, unsigned n,
		     const vmsa_explore_opts_t *o, unsigned jobs,
		     unsigned shard, unsigned shards,
		     par_done_fn *done, void *ctx);

#endif
