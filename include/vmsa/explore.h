/*
 * vmsa/explore.h - the explorer: run a scenario on the model over every
 * interleaving of its CPUs and every choice the architecture leaves open.
 *
 * One execution is one sequence of decisions: at each step boundary with
 * more than one runnable CPU, which CPU goes on; at each choice of the
 * model, which option. The exhaustive search enumerates decision
 * sequences depth first, re-running the scenario from the start for each
 * (stateless), with a bound on preemptions (switching away from a CPU
 * that could have gone on) and a per-CPU step budget. The random search
 * draws decisions from a seeded generator. The first violation ends the
 * search; its decision string replays it exactly.
 */
#ifndef VMSA_EXPLORE_H
#define VMSA_EXPLORE_H

#include "vmsa/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

#define VMSA_UNBOUNDED (-1)

typedef struct vmsa_explore_stats {
	uint64_t executions;
	uint64_t steps;         /* model steps, all executions */
	double seconds;
	/* With continue_after_bbm: executions that went on after a
	 * break-before-make violation (vmsa_bbm_warning()). */
	uint64_t bbm_warnings;
	/* Of `executions`, those cut short before their end, by why (the
	 * rest ran to their end; docs/explorer.md, "Executions by how they
	 * ended"): every CPU that could run was asleep (the reduction's
	 * sleep sets: the executions that follow were explored already);
	 * dropped by one of the reduction's rules for relaxed searches
	 * (another order gives the same: a write's place, an access
	 * through a retired entry, a read of an older message); ended by
	 * the scenario (the litmus front end's executions herd7 drops) or
	 * dropped by the explorer as none of the architecture's (feature
	 * relaxed: vmsa_infeasible(), a promise never fulfilled). */
	uint64_t blocked, ruled, ended;
} vmsa_explore_stats_t;

typedef struct vmsa_explore_opts {
	int preemptions;        /* bound, or VMSA_UNBOUNDED; default 2 */
	unsigned step_budget;   /* per CPU and execution; default 10000 */
	uint64_t random_runs;   /* > 0: random search with that many runs */
	uint64_t seed;
	uint64_t max_executions; /* 0: no limit (the search may then be
				    incomplete when it stops early) */
	/* Called about once a second during a search (NULL: never). */
	void (*progress)(void *ctx, const vmsa_explore_stats_t *s);
	void *progress_ctx;
	/* Every step of every execution (replay uses it; NULL: none). */
	vmsa_trace_fn trace;
	void *trace_ctx;
	/* Called with trace_ctx and the machine of every execution before
	 * its set-up runs, so that a trace function can look at the machine
	 * between steps (held TLB entries for reports; NULL: none). */
	void (*trace_machine)(void *ctx, const vmsa_machine_t *m);
	/* Run the search in a child process (fork): a crash of scenario
	 * code (a signal such as SIGSEGV or SIGABRT, or exit()) then ends it
	 * with the verdict "crashed" (-EFAULT) instead of killing the
	 * caller. progress is called in the child; trace and trace_machine
	 * see the child's executions only. Default false; `vmsa check`
	 * turns it on (docs/explorer.md, Crash isolation). */
	bool isolate;
	/* Partial-order reduction of the exhaustive search: explore one
	 * interleaving of each class of equivalent ones instead of every
	 * one (docs/explorer.md, "Partial-order reduction"). Same verdicts,
	 * far fewer executions. Default false (opt-in: `vmsa check
	 * --reduction`). With --jobs, a reduced search is not split (its
	 * backtrack sets grow from races found anywhere below a
	 * decision): each runs whole in one worker; --shard refuses it. */
	bool reduction;
	/* Report a break-before-make violation as a warning and continue
	 * the execution with the CONSTRAINED UNPREDICTABLE behaviours the
	 * manual allows (vmsa_set_bbm_continue(): any of the entries the
	 * TLBs may hold, or a TLB conflict abort). Executions that did are
	 * counted in stats.bbm_warnings; a `bbm` verdict is then never
	 * reached. Default false (`vmsa check --continue-after-bbm`;
	 * herd7's VMSA model, which warns and goes on, and `vmsa litmus`
	 * turn it on). */
	bool continue_after_bbm;
	/* With continue_after_bbm: the machine takes no TLB conflict abort
	 * after the failure, only one of the entries
	 * (vmsa_set_bbm_no_conflict_abort(): an implementation that
	 * generates none, RZQNWZ). Default false; `vmsa litmus` turns it on
	 * (herd7's executions have no TLB conflict abort; docs/litmus.md). */
	bool bbm_no_conflict_abort;
	/* Start the CPUs one after another: CPU i runs only once CPUs 0 to
	 * i-1 have called vmsa_start_gate() (or finished), alone, up to its
	 * own vmsa_start_gate(); the code after the gate runs once every
	 * CPU passed it or finished, with every interleaving as usual. For
	 * scenarios whose CPUs first set up their own state (enter a
	 * translation regime) in steps no other CPU's code depends on: the
	 * orders of those steps are then not explored. The steps before
	 * the gate are made outside the scheduler (no scheduling point, no
	 * event of the reduction): until the gate opens no interrupt wakes
	 * a CPU that finished, and a wait whose word does not hold is a
	 * deadlock unless an interrupt wakes its CPU (docs/explorer.md,
	 * "Serial start"). Default false (vmsa_start_gate() then does
	 * nothing); `vmsa litmus` turns it on (docs/litmus.md, "Search
	 * size"). */
	bool serial_start;
	/* Leave every livelock to the step budget: no check for a faulting
	 * access retried with the state unchanged since its previous retry
	 * and no other CPU run in between, which reports that livelock at
	 * once (docs/explorer.md, "Livelocks"). Default false (the check is
	 * made); for tests and measurements that compare the two. */
	bool budget_livelocks_only;
	/* Stop the exhaustive search after the execution during which its
	 * processor time (of the process that runs it) reached
	 * max_seconds; the search is then incomplete, as after
	 * max_executions, and like it not split over worker processes.
	 * 0 (the default): no limit. For benchmarks that measure which
	 * searches finish within a time (bench/unbounded). */
	double max_seconds;
	/* Resume executions from states saved during earlier ones instead
	 * of replaying their decisions from set-up: at a scheduling
	 * decision at least resume_every steps after the last state saved
	 * on the way there, the explorer saves the machine, the CPUs'
	 * stacks and the run data; an execution whose decisions start with
	 * that one's up to there starts from it. The same executions, in
	 * the same order, with the same results and statistics; only
	 * faster. The scenario's code must keep what it does in an
	 * execution on its CPUs' stacks, in the run data and in the
	 * machine (no static or heap state of its own: docs/explorer.md,
	 * "Resuming from a decision"). 0 (the default): off. Ignored for
	 * random runs, with a trace, and where the coroutines have no
	 * images (coroutines over ucontext; AddressSanitizer's fake
	 * stacks). */
	unsigned resume_every;
} vmsa_explore_opts_t;

/* Defaults: preemptions 2, step budget 10000, exhaustive. */
vmsa_explore_opts_t vmsa_explore_defaults(void);

typedef struct vmsa_explore_result {
	const char *verdict;    /* "safe" or a violation kind name */
	bool complete;          /* every decision sequence within the bounds
				   was explored (false for random search and
				   after a violation, max_executions or
				   max_seconds) */
	vmsa_explore_stats_t stats;
	bool violated;
	vmsa_violation_t violation; /* its entries are the result's own copy */
	char *decisions;        /* the violating execution's decisions
				   (malloc'd, free with vmsa_explore_result_free) */
	char error[640];        /* set when the scenario could not run */
} vmsa_explore_result_t;

/* Explore scenario s in configuration `config` (a name, see scenario.h).
 * Returns 0 with *res filled (a verdict, safe or a violation), or a
 * negative errno with res->error saying why no verdict could be reached:
 *   -EINVAL     the configuration does not parse, has fewer CPUs than the
 *               scenario, or the scenario has no CPU function;
 *   -ENOMEM     out of host memory;
 *   -ECANCELED  the scenario's set-up stopped the machine (a violation
 *               during set-up, such as model memory exhausted);
 *   -EPROTO     the scenario is not deterministic: a re-run with the same
 *               decisions did not make the same decisions (res->verdict
 *               is "nondeterministic", res->error says where);
 *   -EFAULT     with o->isolate, scenario code crashed: res->verdict is
 *               "crashed", res->error names the signal, the CPU and the
 *               execution, res->decisions replays the execution up to
 *               the crash (when the crash handler could run);
 *   other       with o->isolate, fork() or pipe() failed (their errno).
 * *res must be freed with vmsa_explore_result_free() either way. */
int vmsa_explore(const vmsa_scenario_t *s, const char *config,
		 const vmsa_explore_opts_t *o, vmsa_explore_result_t *res);

/* Run exactly the execution `decisions` describes (then option 0 for any
 * decision beyond them), with o->trace seeing every step. Returns 0 with
 * *res filled (res->error is also set, with 0, when the decisions do not
 * fit the scenario: the execution diverged, with the first decision
 * that did not fit), or a negative errno as vmsa_explore(), and -EINVAL
 * for a malformed decision string or one whose check (see
 * docs/explorer.md, Decision strings) is not that of s, config and
 * o->step_budget. */
int vmsa_replay(const vmsa_scenario_t *s, const char *config,
		const char *decisions, const vmsa_explore_opts_t *o,
		vmsa_explore_result_t *res);

/* Free what a result holds (the decision string, the violation's
 * entries) and clear those fields: safe after an error return and on a
 * result already freed. */
void vmsa_explore_result_free(vmsa_explore_result_t *res);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
