/*
 * src/litmus/run_int.h - what the runner (run.c) and the interpreter
 * (interp.c) share: the per-execution state kept in the run data, the
 * runner's context, and the interpreter's CPU state. Private.
 */
#ifndef VMSA_LITMUS_RUN_INT_H
#define VMSA_LITMUS_RUN_INT_H

#include "litmus_int.h"
#include "vmsa/scenario.h"

/* herd's fault handling (lib/fault.ml, herd/mem.ml add_fault) for a
 * fault that no Pn.F handler takes. */
enum lit_handling {
	LIT_FATAL,	/* "fatal", "precise": the thread ends */
	LIT_HANDLED,	/* "handled", "imprecise": the instruction is run
			   again; a later fault of the thread (herd's
			   re_exec) drops the execution */
	LIT_SKIP,	/* "faultToNext", "skip": go on after it */
};

#define LIT_MAX_FAULTS 8

/* NZCV. */
struct lit_flags {
	bool n, z, c, v;
};

struct lit_fault {
	int16_t insn;		/* index in the thread's code, -1 handler */
	int8_t sym;		/* the location, -1 none */
	uint8_t type;		/* enum lit_fault_type */
};

struct lit_cpu;

/* The runner's context: a dynamic scenario (first, so that the run's
 * scenario pointer leads back here) and what the whole search shares. */
struct lit_rt {
	vmsa_scenario_t scen;
	const struct lit_test *t;
	enum lit_handling handling;
	bool conflict_aborts;	/* offered, taken as faults (run.c) */
	uint64_t tcr_ha_hd[LIT_MAX_THREADS];	/* TCR_EL1.HA/HD bits */
	bool relaxed;		/* Arm's ordering (not --sc) */
	bool setup_entries;	/* the threads enter their translation
				   regime in set-up (run.c), not as their
				   own first steps (VMSA_LITMUS_NOGATE) */
	bool memtag;		/* herd's variant memtag: Tagged memory,
				   TBI0 and synchronous Tag Check Faults
				   (memtag.c) */
	bool dsb_orders_hu;	/* ETS2 or ETS3: a DSB orders later walks
				   and their hardware updates (promise.c) */
	/* SCTLR_EL1 bits of FEAT_ExS per thread (run.c, exc_sync()):
	 * EIS, whether entry to its fault handler synchronises context
	 * (not when the handler runs nothing: its return does), and EOS,
	 * whether the return does (not when the thread ends at its
	 * fault). */
	uint64_t sctlr_exs[LIT_MAX_THREADS];
	bool exs;		/* some thread has one clear: FEAT_ExS */
	/* A dropped execution ends at once (interp.c, drop()); off with
	 * VMSA_LITMUS_NOEND, to compare. */
	bool end_dropped;
	/* Stores each thread may promise (promise.c): 0 for a thread
	 * without a plain store after an unordered read, which then
	 * costs nothing. */
	unsigned promise_sites[LIT_MAX_THREADS];
	/* The path scan lit_promise_cands() asks for at every promise
	 * point of every execution, per thread, without and with its
	 * hardware update sites (promise.c, cand_paths()): kept once made
	 * (the job's storage; NULL: made each time). */
	struct lit_cand_memo *cand_memo;
};

/* Per execution, in the run data (restored before each execution).
 * CPU code writes only its own slots: its final registers, its faults,
 * its interpreter-state pointer; nothing another CPU reads. */
struct lit_exec {
	const struct lit_rt *rt;
	vmsa_pa_t pa[LIT_MAX_SYMS];
	vmsa_pa_t l1, l3;
	struct lit_cpu *cpu[LIT_MAX_THREADS];
	uint64_t regs[LIT_MAX_THREADS][LIT_NREGS];
	struct lit_fault fault[LIT_MAX_THREADS][LIT_MAX_FAULTS];
	uint8_t nfault[LIT_MAX_THREADS];
	bool fault_overflow;
	bool discard;		/* herd drops this execution */
	int unsup_line;		/* an instruction that cannot run here */
	bool unsup_past;	/* ... because it accesses bytes past its
				   location (interp.c, past_location) */
	bool runaway;		/* a thread ran LIT_MAX_INSNS instructions */
	bool cutoff;		/* a loop ran past herd7's unrolling */
	bool captured;		/* the final check ran */
	uint64_t obsv[LIT_MAX_OBS];
};

_Static_assert(sizeof(struct lit_exec) <= VMSA_RUN_DATA_SIZE,
	       "the per-execution state fits in the run data");

/* The interpreter's state of one CPU (on its coroutine's stack). */
struct lit_cpu {
	uint64_t x[LIT_NREGS];
	/* The view of each register and of the flags: what its value
	 * depends on (the join of its inputs' views; a load's is the view
	 * the model returned), passed as address, data and control
	 * dependencies with the `relaxed` feature (B2.3.2). */
	vmsa_view_t xv[LIT_NREGS];
	vmsa_view_t fv;
	/* The same for pick dependencies (B2.3.6): what a value depends on
	 * only through the condition of a CSEL or CSET. They order writes
	 * (Pick-ordered-before) and, through vCAP, later writes and what
	 * follows an IFB, but not reads nor walks. */
	vmsa_view_t xp[LIT_NREGS];
	vmsa_view_t fp;
	struct lit_flags fl;
	/* herd7's undetermined values: bit n, register n's value comes
	 * from a load (herd's symbolic variables; EOR of a register with
	 * itself is 0 all the same); fund, the flags'. A backward branch
	 * on one counts towards LIT_UNROLL (interp.c, jump()). */
	uint32_t und;
	bool fund;
	int cur;		/* the instruction running */
	bool stop;		/* the thread ends */
	bool resume_set;	/* a handler returned to resume_pc */
	int resume_pc;
	bool reexec;		/* herd's re_exec after a Handled fault */
	bool in_handler;
	bool elr_set;
	uint64_t elr;
	unsigned insns;		/* instructions run, for LIT_MAX_INSNS */
	/* Backward jumps taken to each instruction: [i] of the thread's
	 * code, [LIT_MAX_CODE + i] of its fault handler's (herd7 places
	 * the handler's code after the thread's and counts jumps back
	 * within it too). */
	uint8_t seen[2 * LIT_MAX_CODE];
	uint64_t promised;	/* the sites promised (bit i < 32: site
				   i of lit_promise_sites; 32 + j: hardware
				   update site j of lit_hu_sites) */
};

/* herd7 unrolls loops: a backward jump to the same instruction taken
 * more than LIT_UNROLL times cuts the execution off, and herd7 drops
 * cut-off executions (herd/mem.ml fetch_addr, top_herd.ml: "Loop"). */
#define LIT_UNROLL 2

/* A thread that runs this many instructions is in a loop that does not
 * end (branches are not model steps, so the explorer's step budget
 * would not see it): the test is reported unsupported. */
#define LIT_MAX_INSNS 10000

/* Steps between two states a search saves to resume executions from
 * (vmsa_explore_opts_t.resume_every): measured on the catalogue's long
 * searches (docs/explorer-log.md). */
#define LIT_RESUME_EVERY 1

struct lit_exec *lit_exec_of(vmsa_run_t *r);

/* promise.c: a store a thread may promise (load buffering). */
struct lit_site {
	int insn, line;		/* insn: in the thread's code, or
				   LIT_MAX_CODE + i for instruction i of
				   its fault handler */
	unsigned rep;		/* how many times the same store (insn,
				   address, value...) came before it on
				   one path: a loop that stores the same
				   value twice makes two writes */
	unsigned size;
	bool known;		/* its address and value do not depend on
				   a load (a CAS's compared value may:
				   expect_known) */
	bool addr_known;	/* its address does not */
	uint64_t va, value;	/* an atomic's: its operand (a CAS's new
				   value) */
	/* The instruction that fulfils it: a plain store, an atomic of
	 * op (VMSA_PROMISE_RMW) or a CAS comparing with expect. */
	vmsa_promise_kind_t kind;
	vmsa_rmw_op_t op;
	uint64_t expect;
	bool expect_known;	/* a CAS's compared value does not depend
				   on a load (else the promise compares
				   with what memory holds when it is made:
				   vmsa_promise_t's expect_any) */
	bool pte;		/* to a PTE: a descriptor store */
};

/* The most stores of one thread that may be promised: a test with more
 * is unsupported (every subset is offered, each promise is a step). */
#define LIT_MAX_PROMISE_SITES 4

/* The most sites the path scan records for one thread, observed or not
 * (struct lit_cpu's `promised` has a bit for each). */
#define LIT_MAX_SCAN_SITES 32

/* The stores of thread `thread` (initial registers x0) that come after
 * a read nothing orders before them, along every path its code and its
 * fault handler can take (branches whose condition the scan knows go
 * one way, others both; loops as far as herd7 unrolls them; a fault at
 * any access, with what follows it under handling h): fills
 * site[0 .. min(n, max) - 1] in the order found and returns n, their
 * number; -1 when the paths are too many to follow, -2 when a handler
 * returns to an address the scan cannot tell (the caller reports the
 * test unsupported: never a promise left out). */
int lit_promise_sites(const struct lit_test *t, enum lit_handling h,
		      int thread, const uint64_t *x0, struct lit_site *site,
		      unsigned max);

/* Is in EOR Rd, Rn, Rn with no shift: 0 whatever Rn holds, and
 * determined for herd7 even when Rn is not (its symbolic xor of a value
 * with itself; SUB and BIC of a register with itself are not). */
bool lit_xor_self(const struct lit_insn *in);

/* The line of the first access of thread's code (or handler), along
 * any path from registers x0, whose size is not its location's (a W
 * register on a 64-bit location, an X one on an int, a PTE not read or
 * written whole), or 0: herd7 rejects such a test ("Illegal mixed-size
 * test") unless asked for mixed-size accesses. */
int lit_mixed_size_line(const struct lit_test *t, int thread,
			const uint64_t *x0);

/* The flags of CMP a, b at the operand size (w: 32 bits), and whether
 * condition cc holds for them (interp.c; the scan's known values use
 * them too). */
struct lit_flags lit_compare(uint64_t a, uint64_t b, bool w);
bool lit_cond_holds(struct lit_flags f, enum lit_cond cc);

/* A thread's initial registers without the run's physical pages (VAs
 * and numbers are right; PA(x) values are 0). */
void lit_static_regs(const struct lit_test *t, int thread, uint64_t *x);

/* Does a thread other than `thread` read the page of va (or a page
 * its code does not say)? Only then can a promise there be read early. */
bool lit_read_elsewhere(const struct lit_test *t, int thread, uint64_t va);
/* Does a thread other than `thread` observe what site s stores: read
 * its location, or for a PTE's store walk the page it maps (an access
 * of that page) or read the PTEs' page? */
bool lit_site_observed(const struct lit_test *t, int thread,
		       const struct lit_site *s);

/* The most hardware updates of one thread that may be promised: one
 * per page the thread accesses, for the first access to it after a read
 * or, without ETS2, after a DSB no ISB follows (more are left out:
 * docs/litmus.md, "Load buffering"). */
#define LIT_MAX_HU_SITES 2
_Static_assert(LIT_MAX_SCAN_SITES + LIT_MAX_HU_SITES <= 64,
	       "a bit of lit_cpu.promised each");

/* A hardware update a thread may promise: the first access to the page
 * of symbol `sym` after an explicit read or (without ETS2) after a DSB
 * with no ISB between, when it sets the Access flag
 * or the dirty state of sym's initial PTE and another thread reads a
 * PTE (promise.c). */
struct lit_hu_site {
	int sym;
	struct lit_desc d;	/* the PTE after the update */
};

/* One thread's path scan from its initial registers (promise.c,
 * cand_paths()): the store sites and hardware update sites found, and
 * whether the scan gave up. A pure function of the test, the run's
 * constants (rt) and x0, which it keeps to check. */
struct lit_cand_memo {
	bool valid;
	uint64_t x0[LIT_NREGS];
	struct lit_site site[LIT_MAX_SCAN_SITES];
	struct lit_hu_site hu[LIT_MAX_HU_SITES];
	unsigned n, nhu;
	bool too_many, unknown_elr, unknown_hu;
};

/* Fills site[0 .. min(n, max) - 1] with thread's hardware update sites
 * (the first write to each page along every path, lit_promise_sites)
 * and returns n, their number; -1 when a write whose page the scan
 * cannot tell may make one. */
int lit_hu_sites(const struct lit_test *t, const struct lit_rt *rt,
		 int thread, const uint64_t *x0, struct lit_hu_site *site,
		 unsigned max);

/* May the thread at instruction `from` still reach instruction insn of
 * its code c: insn is at `from` or later, or a branch leads back to it
 * (a loop)? */
bool lit_site_ahead(const struct lit_code *c, int from, int insn);

/* The candidate promises of a thread: the sites it may still reach from
 * instruction `from` (lit_site_ahead) with their PAs (by the initial
 * mapping), leaving out those
 * in the mask `done` (struct lit_cpu's promised) and the repeats of a
 * store whose earlier one is not promised yet, then, at its start
 * (from 0), its hardware updates; returns how many (out has room for
 * LIT_MAX_PROMISE_SITES + LIT_MAX_HU_SITES). site[k] gets candidate
 * k's bit in `done`. */
unsigned lit_promise_cands(const struct lit_exec *lx, int thread,
			   const uint64_t *x0, int from, uint64_t done,
			   vmsa_promise_t *out, int *site);

/* interp.c: the value of an operand with registers x; an ALU
 * instruction's result from its operands' values. */
/* A DMB or DSB that orders every earlier read before later stores (any
 * kind but ST; a DMB LD or DSB LD not the reads of atomics that return
 * nothing, which promise.c keeps apart). */
bool lit_orders_reads(const struct lit_insn *in);

/* A DMB or DSB that orders every earlier access before every later one
 * (neither the LD kinds nor the ST kinds). */
bool lit_orders_all(const struct lit_insn *in);

/* memtag.c: may the test run with (memtag) or without the variant
 * memtag? 0, or -1 with the reason ("FILE:LINE: unsupported: ...") in
 * why. */
int lit_memtag_check(const struct lit_test *t, bool memtag, char *why,
		     size_t n);
/* Set-up: every location's page is Tagged memory, its Allocation Tags
 * green (vmsa_mte_tagged). */
void lit_memtag_setup(vmsa_machine_t *m, const struct lit_exec *lx,
		      const struct lit_test *t);

uint64_t lit_opnd_value(const uint64_t *x, const struct lit_opnd *o);
uint64_t lit_alu(const struct lit_insn *in, uint64_t a, uint64_t b);
/* A CSEL-family result: n when the condition holds, else m as the
 * instruction's csop makes it (m, m + 1, ~m, -m). */
uint64_t lit_csel_value(const struct lit_insn *in, bool holds, uint64_t n,
			uint64_t m);

/* interp.c */
void lit_cpu_fn(vmsa_run_t *r, vmsa_cpu_t cpu);
/* Thread cpu enters the test's translation regime (root table l1): the
 * MSRs and the ERET of set-up (run.c), saved with its snapshot. */
void lit_enter(vmsa_machine_t *m, vmsa_cpu_t cpu, const struct lit_rt *rt,
	       vmsa_pa_t l1);
void lit_fault_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg);

#endif
