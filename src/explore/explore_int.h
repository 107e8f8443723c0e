/*
 * src/explore/explore_int.h - the explorer's state, shared by the files
 * of src/explore/. Private.
 */
#ifndef VMSA_EXPLORE_INT_H
#define VMSA_EXPLORE_INT_H

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

/* One decision of an execution: `chosen` of `n` options; free_ is false
 * when the preemption bound forbids exploring the other options. */
struct dec {
	unsigned chosen;
	unsigned n;
	bool free_;
};

enum xcpu_state { XCPU_READY, XCPU_BLOCKED, XCPU_DONE };

struct xcpu {
	struct coro *co;
	unsigned id;
	struct explorer *x;
	enum xcpu_state state;
	uint64_t steps;
	/* While blocked: runnable again when (word at wait_pa & wait_mask)
	 * == wait_val (wait_eq) or != wait_val. */
	uint64_t wait_pa, wait_mask, wait_val;
	bool wait_eq;
};

struct explorer {
	struct vmsa_run run;
	const vmsa_scenario_t *scenario;
	vmsa_explore_opts_t opts;
	unsigned ncpus;
	struct coro *main_co;
	struct xcpu cpu[VMSA_MAX_CPUS];
	int cur;			/* CPU running, -1: the main context */

	struct dec *dec;		/* this execution's decisions */
	unsigned n_dec, cap_dec;
	unsigned n_prefix;		/* decisions to replay */
	unsigned pos;			/* next decision of this execution */
	unsigned preemptions;
	bool random;
	uint64_t rng;

	uint64_t executions, steps;
	bool setup_failed, oom, diverged;

	/* The state after set-up, restored before each execution. */
	vmsa_snapshot_t *snap;
	_Alignas(16) unsigned char saved_data[VMSA_RUN_DATA_SIZE];
};

/* The next decision among n options (explore.c). */
unsigned decide(struct explorer *x, unsigned n, bool free_);

/* Make cpu wait (its wait_* fields set) and run something else. */
void block_cpu(struct explorer *x, vmsa_cpu_t cpu);

/* Decision strings (decisions.c): one character per decision, 0-9a-zA-Z
 * for 0..61, "(N)" beyond. encode returns a malloc'd string (NULL when
 * out of memory); decode fills a decision array (growing it) and returns
 * 0, or -EINVAL (a malformed string) or -ENOMEM with *why set. */
char *decisions_encode(const struct dec *d, unsigned n);
int decisions_decode(const char *s, struct dec **d, unsigned *n,
		     unsigned *cap, const char **why);

#endif
