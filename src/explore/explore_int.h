/*
 * src/explore/explore_int.h - the explorer's state, shared by the files
 * of src/explore/. Private.
 */
#ifndef VMSA_EXPLORE_INT_H
#define VMSA_EXPLORE_INT_H

#include "decisions.h"
#include "vmsa/explore.h"

struct explorer;

/* struct vmsa_run: what scenario code gets (vmsa/scenario.h). */
struct vmsa_run {
	vmsa_machine_t *m;
	vmsa_features_t f;
	const vmsa_scenario_t *scenario;
	struct explorer *x;
	_Alignas(16) unsigned char data[VMSA_RUN_DATA_SIZE];
};

/* READY: runnable. BLOCKED: held by the start gate (serial_start).
 * WAITING: at the read of a wait (wait_read()), runnable while the
 * wait's condition holds or an interrupt can wake it, tested afresh at
 * every scheduling point. DONE: its code has finished (an interrupt it
 * can take wakes it). */
enum xcpu_state { XCPU_READY, XCPU_BLOCKED, XCPU_WAITING, XCPU_DONE };

/* How an execution departed from the decisions it replays (the first
 * time it did). */
enum divergence {
	DIV_NONE,
	DIV_WHAT,	/* decision div_at decided div_what_got where the
			   execution that recorded it decided div_what */
	DIV_OPTIONS,	/* decision div_at had div_got options where the
			   execution that recorded it had div_want */
	DIV_RANGE,	/* decision div_at of a string is div_got, out of
			   range for the div_want options there */
	DIV_ENDED,	/* the execution ended after div_at decisions; the
			   prefix had div_got more */
};

/* A wait (wait_read()): its read may be made when (word at pa & mask)
 * == val (eq) or != val. depth: the CPU's exception depth at the wait
 * (the steps of a handler taken while it waits are not its read);
 * pending: until its read is made. */
struct xwait {
	uint64_t pa, mask, val;
	bool eq, pending;
	unsigned depth;
};

struct xcpu {
	struct coro *co;
	unsigned id;
	struct explorer *x;
	enum xcpu_state state;
	uint64_t steps;
	/* The wait in progress (wait_read()), and whether no scheduling
	 * point has tested it yet. */
	struct xwait w;
	bool wait_arrived;
	/* With serial_start: the CPU passed vmsa_start_gate(); blocked
	 * there (state XCPU_BLOCKED) until every CPU has. */
	bool gate_passed, at_gate;
	/* Host memory its code declared (vmsa_run_state()): part of the
	 * state repeat.c compares. */
	const void *state_p;
	size_t state_size;
};

struct explorer {
	struct vmsa_run run;
	const vmsa_scenario_t *scenario;
	vmsa_explore_opts_t opts;
	unsigned ncpus;
	struct coro *main_co;
	struct xcpu cpu[VMSA_MAX_CPUS];
	int cur;			/* CPU running, -1: the main context */
	bool in_outcome;		/* in an outcomes search's callback
					   (a crash there is reported so) */

	struct dec_vec dec;		/* this execution's decisions */
	unsigned n_prefix;		/* decisions to replay */
	unsigned pos;			/* next decision of this execution */
	unsigned preemptions;
	bool random;
	uint64_t rng;
	/* Partial-order reduction of the exhaustive search (NULL: off). */
	struct dpor *dp;
	struct footprint *wait_fp;	/* scratch of wait_checks() */
	/* Retries of faulting accesses (repeat.c; NULL: none) and the
	 * switches of coroutines from one CPU to another so far, which
	 * tells it whether another CPU ran between two retries. */
	struct repeat *rep;
	uint64_t switches;
	bool pruned;			/* this execution was cut short by it */
	/* The write-placement rule is on (dpor_wplace_redundant(): the
	 * feature relaxed, an unbounded reduced search, VMSA_ORDER_WPRUNE
	 * not 0). */
	bool wprune;
	/* The retired-entry rule is on (dpor_retired_redundant(): the same
	 * conditions, VMSA_ORDER_RPRUNE not 0). */
	bool rprune;
	/* The read rule is on (dpor_read_redundant(): the same conditions,
	 * VMSA_ORDER_RDPRUNE not 0). */
	bool rdprune;
	/* This execution was ended by one of them (as explore_end() ends
	 * one: pending events on the step), its outcome dropped. */
	bool wdrop;
	/* Feature relaxed: this execution, which its scenario did not end,
	 * is not one of the architecture's (not_architectural(),
	 * explore.c): dropped at its end, its check not run, its violation
	 * not one (explore_violation). */
	bool mdrop;
	bool ended;			/* ended by its scenario (explore_end) */
	bool stop;			/* the outcomes search stops after this
					   execution (explore_stop) */

	uint64_t executions, steps;
	uint64_t bbm_warnings;		/* executions that warned (stats) */
	/* Executions cut short, by why (vmsa_explore_stats_t). */
	uint64_t blocked, ruled, ended_by_scenario;
	bool setup_failed, oom;
	enum divergence div;
	unsigned div_at, div_want, div_got;
	const char *div_what, *div_what_got;
	unsigned check;			/* of decision strings (decisions.h) */

	/* A subtree search (parallel.c): decisions [0, floor) are its
	 * prefix and are never backtracked; `between` runs after every
	 * execution that does not end the search, before backtracking
	 * (it may hand work away by raising floor). Both 0 by default. */
	unsigned floor;
	void (*between)(struct explorer *x);
	void *between_ctx;
	/* A probe of one step (par_worker.c): once the execution has made
	 * probe_end decisions, its next scheduling point ends it (pruned),
	 * the step the last of them started being over. 0: no probe. */
	unsigned probe_end;
	/* With serial_start: the CPUs' set-up steps run from the main
	 * context, outside the scheduler (run_setups()), and the CPU that
	 * passed the gate last and goes on (-1: none). */
	bool in_setup;
	int setup_last;

	/* States saved at decisions, which executions resume from
	 * (resume.h; NULL: every execution starts from set-up). */
	struct resume *rs;
	/* The state after set-up, restored before each execution. */
	vmsa_snapshot_t *snap;
	_Alignas(16) unsigned char saved_data[VMSA_RUN_DATA_SIZE];
};

/* The next decision among n options, `what` naming it (explore.c). */
unsigned decide(struct explorer *x, unsigned n, bool free_, const char *what);

/* The read of a wait by cpu, the running CPU, until (word at pa & mask)
 * == val (eq) or != val: one step, which the scheduler lets cpu make
 * only when the condition holds (docs/explorer.md, "Waits"); while it
 * does not, cpu is not runnable, and an interrupt that wakes it is taken
 * first (its handler may wait too). Returns the value read (0 when the
 * execution stopped). */
uint64_t wait_read(struct explorer *x, vmsa_cpu_t cpu, uint64_t pa,
		   uint64_t mask, uint64_t val, bool eq);

/*
 * End the execution of r at its next scheduling point, for a scenario
 * that knows its outcome is dropped whatever the CPUs do next (the
 * litmus front end's discarded executions: docs/litmus.md, "Executions
 * ended when they are dropped"). The event in progress ends as usual;
 * no CPU runs again; the scenario's check does not run; the outcome
 * callback of explore_outcomes() still sees the execution. For the
 * reduction every unfinished CPU's next step is a pending event: the
 * step that ended the execution disabled those steps, so the orders
 * where they come first are explored (explore_end_pending();
 * dpor_add_pending() says what it is dependent with).
 */
void explore_end(vmsa_run_t *r);

/* The violation the execution just run ended with: the machine's, but
 * none when the execution was dropped as not one of the architecture's
 * (x->mdrop). Every verdict of the search reads it here. */
const vmsa_violation_t *explore_violation(const struct explorer *x);

/* From the callback of explore_outcomes(): the search stops after the
 * execution the callback is given, incomplete (as at o->max_executions,
 * but with fewer executions). For a scenario that knows no execution
 * still to come can change its answer: the litmus front end, at the
 * first execution that makes a test unsupported whatever the others
 * give (a thread that ran away, too many faults, an instruction that
 * cannot run). A search split between worker processes stops only the
 * unit that met it. */
void explore_stop(vmsa_run_t *r);

/* After an execution that ended early (a violation other than CPU
 * `except`'s own, or explore_end: except -1), the pending events of the
 * CPUs that did not finish: 0, or -ENOMEM (search.c). */
int explore_end_pending(struct explorer *x, int except);

/* vmsa_start_gate() for cpu, the running CPU (explore.c). */
void gate_pass(struct explorer *x, vmsa_cpu_t cpu);

/* An explorer for scenario s in configuration `config` (NULL with err
 * set and *rc a negative errno when it cannot run), one execution
 * replaying x->dec[0 .. n_prefix), the result of the latest execution
 * into res, the end. */
struct explorer *explorer_new(const vmsa_scenario_t *s, const char *config,
			      const vmsa_explore_opts_t *o, char *err,
			      size_t err_size, int *rc);
void run_once(struct explorer *x);
void finish(struct explorer *x, vmsa_explore_result_t *res, double t0);
/* The search loop of vmsa_explore() on explorer x (which the caller
 * frees): exhaustive from x's prefix (floor, search.c) or random. */
int explore_search(struct explorer *x, vmsa_explore_result_t *res);
void explorer_free(struct explorer *x);
/* A rule's switch (the environment variable name, for tests and
 * measurements): on unless it is "0". */
bool explore_rule_on(const char *name);
/* x's reducer (x->dp) for an exhaustive search with o->reduction: 0, or
 * -ENOMEM. explore_search() makes it when x has none. */
int explore_make_dp(struct explorer *x);
double now_seconds(void);

/* The exhaustive search of vmsa_explore() (o->random_runs must be 0),
 * but going on after violations: fn sees every execution that ran to
 * its end, with its violation or NULL (the scenario's check has run).
 * For tests that compare what searches can reach (the reduction's
 * differential test) and for the litmus front end. With
 * o->max_executions, the search stops after that many executions
 * (incomplete: st->executions reaches the limit). Returns 0 with *st filled, or a negative errno
 * with err set. */
int explore_outcomes(const vmsa_scenario_t *s, const char *config,
		     const vmsa_explore_opts_t *o,
		     void (*fn)(void *ctx, vmsa_run_t *r,
				const vmsa_violation_t *v),
		     void *ctx, vmsa_explore_stats_t *st, char *err,
		     size_t err_size);

/* The loop of explore_outcomes() on explorer x (which the caller
 * frees): from x's prefix (floor), calling x->between between
 * executions as explore_search() does (a worker of a parallel search:
 * par_worker.c), its reducer made unless it has one. *complete: the
 * search ran out of options (not stopped by o->max_executions). Returns
 * 0, or a negative errno with err set. */
int explore_outcomes_on(struct explorer *x,
			void (*fn)(void *ctx, vmsa_run_t *r,
				   const vmsa_violation_t *v),
			void *ctx, bool *complete, char *err, size_t err_size);

/* The explorer of the search running in this process (NULL between
 * searches), for the crash handler of an isolated search. */
extern struct explorer *explore_running;

/* vmsa_explore() in a child process (isolate.c): the same result, or
 * the verdict "crashed" with -EFAULT when scenario code crashed. */
int explore_isolated(const vmsa_scenario_t *s, const char *config,
		     const vmsa_explore_opts_t *o, vmsa_explore_result_t *res);

/* x's effort so far (every field of vmsa_explore_stats_t but seconds,
 * which the caller measures). */
vmsa_explore_stats_t explore_stats(const struct explorer *x, double seconds);

#endif
