/*
 * vmsa/scenario.h - scenarios: C code for several simulated CPUs that the
 * explorer runs on the model over every interleaving and choice.
 *
 * A scenario is a set-up function, one function per CPU, an optional final
 * check, optional exception handlers, and a list of configurations (machine
 * features) each with its expected verdict. Scenario code shares data
 * between CPUs only through model memory and model operations, so that
 * every shared access is a step the explorer can interleave. Set-up runs
 * again before every execution and must be deterministic; CPU code must
 * not allocate host memory (an execution can be abandoned at any step).
 *
 *	static void setup(vmsa_run_t *r) { ... vmsa_run_data(r) ... }
 *	static void cpu0(vmsa_run_t *r, vmsa_cpu_t cpu) { ... }
 *	VMSA_SCENARIO(my_remap,
 *		.name = "mine/remap",
 *		.doc = "CPU0 remaps a page while CPU1 reads it",
 *		.setup = setup,
 *		.cpu = {cpu0, cpu1},
 *		.configs = {
 *			{.name = "bbm0", .expect = "bbm"},
 *			{.name = "bbm2", .expect = "safe"},
 *		});
 *
 * See docs/explorer.md for a complete guide.
 */
#ifndef VMSA_SCENARIO_H
#define VMSA_SCENARIO_H

#include "vmsa/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

#define VMSA_MAX_CONFIGS 8
#define VMSA_RUN_DATA_SIZE 4096

/* One execution of a scenario, as scenario code sees it. */
typedef struct vmsa_run vmsa_run_t;

/* The machine of this execution. */
vmsa_machine_t *vmsa_run_machine(vmsa_run_t *r);

/* VMSA_RUN_DATA_SIZE zeroed bytes of host memory for set-up to record
 * what the CPUs need (table addresses, ...). Set-up writes it; CPU code
 * must only read it (shared state belongs in model memory). */
void *vmsa_run_data(vmsa_run_t *r);

/*
 * Declare host memory outside the run data that cpu's code keeps and
 * that its exception handlers change: an interpreter's registers on the
 * CPU's stack, say. [p, p + size) then counts as part of the state the
 * explorer compares to see a faulting access retried with nothing
 * changed since its previous retry, which it reports as a livelock at
 * once (docs/explorer.md, "Livelocks"). Handlers must otherwise keep
 * what they change in model memory (static variables would make the
 * scenario nondeterministic); a handler that changes undeclared host
 * memory, such as a local of a suspended frame through a pointer, could
 * get a livelock reported that it would have left. One region per CPU
 * (a new call replaces it), which must stay readable until size 0
 * removes it or the execution ends (every execution starts with none).
 * Called by cpu's own code (vmsa_run_cpu(r) == cpu). Not a step. Returns
 * 0, or -EINVAL when cpu is not the CPU running or p is NULL with
 * size > 0.
 */
int vmsa_run_state(vmsa_run_t *r, vmsa_cpu_t cpu, const void *p,
		   size_t size);

/* The configuration being explored. */
const vmsa_features_t *vmsa_run_features(const vmsa_run_t *r);

/* The CPU whose code is running: 0 .. ncpus-1 in a CPU function and in
 * the exception handlers it takes, VMSA_SETUP in set-up and in the final
 * check (code that runs while no CPU does), and for r NULL. For code
 * that is called without a CPU number, such as the page-table library
 * through the model backend (vmsa/backend.h): it makes its steps as this
 * CPU. Not a step. */
vmsa_cpu_t vmsa_run_cpu(const vmsa_run_t *r);

typedef void (*vmsa_setup_fn)(vmsa_run_t *r);
typedef void (*vmsa_cpu_fn)(vmsa_run_t *r, vmsa_cpu_t cpu);
typedef void (*vmsa_check_fn)(vmsa_run_t *r);

/*
 * A configuration: the features that differ from the defaults
 * (vmsa_features_default(), with ncpus = the number of CPU functions),
 * named by them joined with '+': "bbm0", "bbm1", "bbm2" (level 2 that may
 * abort), "bbm2-noabort", "ets2", "ets3", "s2fwb", "fb" (HCR_EL2.FB),
 * "fgt" (FEAT_FGT), "exs" (FEAT_ExS),
 * "norange" (no FEAT_TLBIRANGE), "cpusN"; "default" for the defaults.
 * There is no "bbm3": ID_AA64MMFR2_EL1.BBM (D24.2.90) defines levels 0
 * to 2 only, so vmsa_config_parse() refuses the name and says so.
 * The name is parsed: it is the configuration. expect is "safe" or a
 * violation kind name ("bbm", "unhandled-abort", ...).
 */
typedef struct vmsa_config {
	const char *name;
	const char *expect;
} vmsa_config_t;

typedef struct vmsa_scenario {
	const char *name;          /* "bbm/ok": topic/name */
	const char *doc;           /* one line */
	vmsa_setup_fn setup;       /* may be NULL */
	vmsa_cpu_fn cpu[VMSA_MAX_CPUS]; /* CPU functions; the first NULL ends */
	vmsa_check_fn check;       /* after every CPU finished; may be NULL */
	/* Exception handlers, by CPU and target EL (1, 2). */
	vmsa_exc_handler_fn handler[VMSA_MAX_CPUS][3];
	vmsa_config_t configs[VMSA_MAX_CONFIGS]; /* the first unnamed ends */
} vmsa_scenario_t;

/* Register a scenario (VMSA_SCENARIO does it before main()). */
void vmsa_scenario_register(const vmsa_scenario_t *s);

/* Registered scenarios, sorted by name. */
unsigned vmsa_scenario_count(void);
const vmsa_scenario_t *vmsa_scenario_get(unsigned i);
const vmsa_scenario_t *vmsa_scenario_find(const char *name);

#define VMSA_SCENARIO(ident, ...)                                          \
	static const vmsa_scenario_t ident = {__VA_ARGS__};                \
	__attribute__((constructor)) static void vmsa_reg_##ident(void)    \
	{                                                                  \
		vmsa_scenario_register(&ident);                            \
	}

/* Parse a configuration name into features (on top of the defaults with
 * ncpus CPUs; 0: the default number). Returns 0, or -EINVAL with *why (a
 * static message) naming the bad part: an empty name, an unknown
 * feature, "bbm3" (a level the manual does not define), or features
 * vmsa_features_check() rejects. */
int vmsa_config_parse(const char *name, unsigned ncpus, vmsa_features_t *f,
		      const char **why);

/* ---------------------------------------------------------------------
 * Synchronisation between scenario CPUs
 * ------------------------------------------------------------------- */

/* Block CPU cpu until the 64-bit word at pa, masked, equals value (or,
 * for vmsa_wait_ne, differs from it). The wait is one read step, which
 * the explorer lets the CPU make only once the condition holds: while it
 * is false the CPU is not runnable (a check that would fail is no step),
 * so a wait is one blocked CPU for the explorer, not an infinite search
 * tree. An interrupt the CPU can take wakes it (WFE): it takes it, then
 * waits again. Returns the value read. When every unfinished CPU is
 * blocked, that is a deadlock. */
uint64_t vmsa_wait_eq(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
		      uint64_t mask, uint64_t value);
uint64_t vmsa_wait_ne(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
		      uint64_t mask, uint64_t value);

/* The start gate of a search with serial_start (vmsa/explore.h): CPU cpu
 * has made its set-up steps. It waits here until every CPU has passed
 * the gate or finished; CPU cpu + 1 may start now. Not a step. Without
 * serial_start it does nothing. Called twice, or for a CPU that is not
 * the one running, it is a bad-call violation. */
void vmsa_start_gate(vmsa_run_t *r, vmsa_cpu_t cpu);

/* A spinlock in model memory at pa (a zeroed 64-bit word): lock waits for
 * 0 and compare-and-swaps cpu + 1 in with acquire; unlock writes 0 with
 * release (what the lock orders matters under the feature relaxed). */
void vmsa_lock(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa);
void vmsa_unlock(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa);

/* A scenario's own property: when cond is false, the execution stops with
 * an "assert" violation carrying message. */
void vmsa_assert(vmsa_run_t *r, vmsa_cpu_t cpu, bool cond, const char *message);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
