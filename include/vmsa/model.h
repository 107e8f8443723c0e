/*
 * vmsa/model.h - the machine model: memory, CPUs and their system
 * registers, TLBs that may hold stale entries, barriers, TLB maintenance,
 * break-before-make checking, TLB conflict aborts, ETS2 spurious faults,
 * caches and the Point of Coherency, exceptions.
 *
 * Every operation of a CPU is one atomic step. Every nondeterministic
 * decision the architecture leaves open is asked of a chooser, so that the
 * explorer can enumerate them; with the default chooser (always option 0)
 * the model runs alone in unit tests. See docs/model.md for the semantics
 * rule by rule.
 */
#ifndef VMSA_MODEL_H
#define VMSA_MODEL_H

#include "vmsa/arch.h"
#include "vmsa/exc.h"
#include "vmsa/sysreg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

#define VMSA_MAX_CPUS 8
#define VMSA_PAGE_SIZE 4096u

typedef struct vmsa_machine vmsa_machine_t;

/* A CPU number: 0 .. ncpus-1, or VMSA_SETUP (-1) for set-up code that runs
 * before the CPUs start. One signed type everywhere (operations, CPU
 * functions, handlers, hooks, reports), so scenario code never casts. */
typedef int vmsa_cpu_t;

/* Where a TLB conflict abort goes when the manual leaves it
 * IMPLEMENTATION DEFINED (RQWTKL). */
typedef enum {
	VMSA_CONFLICT_TO_EL2 = 0, /* stage-2-enabled EL1&0 conflicts go to EL2 */
	VMSA_CONFLICT_TO_EL1 = 1, /* ... to EL1 where the manual allows it */
} vmsa_conflict_route_t;

/* Machine features. vmsa_features_default() gives: 2 CPUs, 16 MiB of
 * memory at PA 0x40000000, BBM level 0, no ETS2/ETS3, FEAT_TLBIRANGE,
 * no S2FWB, DIC = IDC = 0, nTLBPA = 0, 40-bit PA, HCR_EL2.FB = 0, no
 * FEAT_FGT, no FEAT_ExS, sequentially consistent memory (relaxed =
 * false). FEAT_SPE is always implemented (docs/model.md). */
typedef struct vmsa_features {
	unsigned ncpus;          /* 1 .. VMSA_MAX_CPUS */
	uint64_t mem_base;       /* PA of the first byte of memory */
	uint64_t mem_size;       /* bytes, a multiple of 64 KiB */
	unsigned bbm_level;      /* FEAT_BBM: 0, 1 or 2 */
	bool bbm_may_abort;      /* levels 1-2 may raise TLB conflict aborts
				    (false: BBML2_NOABORT behaviour) */
	bool ets2, ets3;         /* FEAT_ETS2, FEAT_ETS3 (implies ETS2) */
	bool tlbirange;          /* FEAT_TLBIRANGE */
	bool s2fwb;              /* FEAT_S2FWB (enabled by HCR_EL2.FWB) */
	bool hafdbs;             /* FEAT_HAFDBS: hardware Access flag and
				    dirty state updates, enabled per stage
				    by TCR_ELx.HA/HD and VTCR_EL2.HA/HD
				    (without it those bits are RES0) */
	bool dic, idc;           /* CTR_EL0.DIC, CTR_EL0.IDC */
	bool ntlbpa;             /* FEAT_nTLBPA */
	unsigned pa_bits;        /* PARange: 32 .. 48 */
	bool hcr_fb;             /* initial HCR_EL2.FB of every CPU */
	vmsa_conflict_route_t conflict_route;
	bool fgt;                /* FEAT_FGT: HFGITR_EL2 (its ERET trap) */
	bool exs;                /* FEAT_ExS: SCTLR_ELx.EIS/EOS decide whether
				    exception entry/return synchronise
				    context (without it, they always do) */
	bool relaxed;            /* Arm's ordering of data accesses (B2.3,
				    "Ordering of data accesses" in
				    docs/model.md); false: sequentially
				    consistent memory */
} vmsa_features_t;

vmsa_features_t vmsa_features_default(void);

/* Check a feature set. Returns 0, or -EINVAL with *why pointing at a
 * static message naming the bad field. */
int vmsa_features_check(const vmsa_features_t *f, const char **why);

/* ---------------------------------------------------------------------
 * Choices
 * ------------------------------------------------------------------- */

/* Every nondeterministic decision: pick one of n >= 2 options. `what`
 * names the decision for traces ("walk L3 value", "conflict abort").
 * Must return a value < n. */
typedef struct vmsa_chooser {
	unsigned (*choose)(void *ctx, unsigned n, const char *what);
	void *ctx;
} vmsa_chooser_t;

/* ---------------------------------------------------------------------
 * Machine lifetime
 * ------------------------------------------------------------------- */

/* Create a machine with features f (checked as vmsa_features_check)
 * and the default chooser. Returns NULL with *why set on bad features or
 * no memory. All CPUs start at EL2 with every system register zero
 * (MMUs off) except HCR_EL2.FB = f->hcr_fb. */
vmsa_machine_t *vmsa_machine_new(const vmsa_features_t *f, const char **why);

/* Free the machine and its memory. */
void vmsa_machine_free(vmsa_machine_t *m);

/* Put the machine back in the state vmsa_machine_new() returned, without
 * freeing its memory allocation (for the explorer's re-runs). */
void vmsa_machine_reset(vmsa_machine_t *m);

const vmsa_features_t *vmsa_machine_features(const vmsa_machine_t *m);

/* The state set-up leaves (memory, allocator, cache, descriptor
 * histories), taken before any CPU step, or after CPU steps that were
 * all MSRs and exception returns asking no choice (entering a regime:
 * the CPUs' registers, ELs and contexts and the step count are then
 * part of it): vmsa_snapshot_take() returns NULL after any other CPU
 * step, after a violation, or out of memory.
 * vmsa_snapshot_restore() resets the machine it was taken of to that
 * state: 0, -EINVAL (nothing changed) for a snapshot with CPUs of a
 * machine with another number of CPUs, or -ENOMEM when it could not copy
 * the state back (the machine must then be reset or freed). Handlers,
 * hooks and the chooser are kept as they are. */
typedef struct vmsa_snapshot vmsa_snapshot_t;
vmsa_snapshot_t *vmsa_snapshot_take(const vmsa_machine_t *m);
int vmsa_snapshot_restore(vmsa_machine_t *m, const vmsa_snapshot_t *s);
void vmsa_snapshot_free(vmsa_snapshot_t *s);

/* Replace the chooser (NULL restores the default: always option 0). */
void vmsa_set_chooser(vmsa_machine_t *m, const vmsa_chooser_t *c);

/* Step hook: called at the start of every step, before it takes effect,
 * with the CPU about to step. The explorer switches CPUs here. */
typedef void (*vmsa_step_hook_fn)(void *ctx, vmsa_machine_t *m, vmsa_cpu_t cpu);
void vmsa_set_step_hook(vmsa_machine_t *m, vmsa_step_hook_fn fn, void *ctx);

/* Number of steps taken since creation or reset. */
uint64_t vmsa_steps(const vmsa_machine_t *m);

/* A CPU number, or VMSA_SETUP for set-up code that runs before the CPUs
 * start: set-up accesses are not steps, are never reported as violations
 * and never make anything "may be held" in a TLB. */
#define VMSA_SETUP (-1)

/* ---------------------------------------------------------------------
 * Memory and the page allocator
 * ------------------------------------------------------------------- */

/* Host pointer for a physical address, or NULL outside memory. Writing
 * through it bypasses the model (no step, no checks): page-table code
 * passes such pointers to the vmsa_desc_* operations. Stores through it
 * must stay in pa's page or in the allocation holding pa; that whole
 * allocation is then restored exactly by every snapshot restore and
 * reset (docs/model.md), even when CPU code writes through a pointer
 * that set-up obtained. */
void *vmsa_pa_ptr(vmsa_machine_t *m, vmsa_pa_t pa);

/* Store the low size bytes of v (size 1, 2, 4 or 8, pa aligned to it)
 * straight into memory, as a store through vmsa_pa_ptr() would (no step,
 * no check, no cache: for contents that host code wrote and cleaned to
 * the PoC before the CPUs start), but restored by snapshots as a model
 * write: only pa's page, not its whole allocation, which a pointer
 * exposes to host stores (every restore then compares it). Returns 0, or
 * -EINVAL (nothing stored) for m NULL, a bad size or alignment, or a
 * range outside memory. */
int vmsa_pa_store(vmsa_machine_t *m, vmsa_pa_t pa, unsigned size, uint64_t v);

/* The same, read-only: for tools that look at memory without taking a
 * step (the explorer's blocked-wait conditions). */
const void *vmsa_pa_cptr(const vmsa_machine_t *m, vmsa_pa_t pa);

/* Physical address of a host pointer into the machine's memory, or
 * VMSA_BAD_PA when p is not inside it. */
#define VMSA_BAD_PA (~(vmsa_pa_t)0)
vmsa_pa_t vmsa_ptr_pa(const vmsa_machine_t *m, const void *p);

/* Allocate n zeroed, physically contiguous 4 KiB pages aligned to
 * align_pages pages (a power of two). Returns the first page's PA, or
 * VMSA_BAD_PA when memory is exhausted. Deterministic: the lowest fitting
 * free range. A step when cpu >= 0. */
vmsa_pa_t vmsa_page_alloc(vmsa_machine_t *m, vmsa_cpu_t cpu, unsigned n,
			  unsigned align_pages);

/* Declare, from set-up (cpu = VMSA_SETUP), that the npages pages at
 * pa_old and at pa_new hold the same contents and that the scenario keeps
 * them so while an entry mapping either may be in a TLB. Changing the
 * output address of a read-only entry (neither old nor new grants write
 * permission, DBM = 0) from one to the other then needs no
 * break-before-make (RWHZWS, D8.17.1): the model checks that the bytes
 * are equal at the descriptor write (when the output addresses are PAs)
 * and otherwise reports the change as a `bbm` violation as before. A
 * CPU's store that then makes the pages differ while a TLB may still
 * hold an entry moved that way (until a TLBI removes it and, for the
 * issuer's own, its next context synchronisation event) is a `bbm`
 * violation (rule RWHZWS) at that store. The
 * pair is symmetric; declarations last until reset and are kept by a
 * snapshot. Returns false after a bad-call violation (a CPU calling it,
 * npages 0, unaligned or outside memory). */
bool vmsa_same_contents(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa_old,
			vmsa_pa_t pa_new, unsigned npages);

/* Free n pages at pa (allocated earlier, as a whole or in part). Freeing a
 * page that is not allocated is reported as a violation ("double-free"). */
void vmsa_page_free(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa, unsigned n);

bool vmsa_page_is_free(const vmsa_machine_t *m, vmsa_pa_t pa);

/* Number of free pages. */
uint64_t vmsa_pages_free(const vmsa_machine_t *m);

/* ---------------------------------------------------------------------
 * Violations
 * ------------------------------------------------------------------- */

typedef enum {
	VMSA_V_NONE = 0,
	VMSA_V_BBM,                 /* "bbm": a write needed break-before-make */
	VMSA_V_CONFLICT_UNHANDLED,  /* "conflict-abort-unhandled" */
	VMSA_V_UNHANDLED_ABORT,     /* "unhandled-abort" */
	VMSA_V_STALE_UAF,           /* "stale-use-after-free": access to a freed
				       page through a stale TLB entry */
	VMSA_V_UAF,                 /* "use-after-free": a live mapping or a
				       descriptor access to a freed page */
	VMSA_V_FREED_TABLE_WALK,    /* "freed-table-walk" */
	VMSA_V_COHERENCY,           /* "coherency": loss of coherency */
	VMSA_V_UNDEFINED,           /* "undefined-instruction" */
	VMSA_V_DOUBLE_FREE,         /* "double-free" */
	VMSA_V_DEADLOCK,            /* "deadlock" (the explorer's) */
	VMSA_V_LIVELOCK,            /* "livelock" (the explorer's) */
	VMSA_V_ASSERT,              /* "assert": a scenario's own check */
	VMSA_V_BAD_CONFIG,          /* "bad-config": registers select a reserved
				       configuration */
	VMSA_V_MODEL_LIMIT,         /* "model-limit": the model ran out of room */
	VMSA_V_BAD_CALL,            /* "bad-call": a scenario error, an
				       argument no operation accepts (a CPU
				       that does not exist, an enum value out
				       of range, a physical access outside
				       memory ...): "scenario error: FN: ..." */
	VMSA_V_RECURSION,           /* "recursive-exception": a handler took
				       its own exception again, nested as
				       deep as the model allows (without
				       end: on hardware its stack
				       overflows) */
} vmsa_violation_kind_t;

/* Stable short name, as above. */
const char *vmsa_violation_kind_name(vmsa_violation_kind_t k);

/* An entry involved in a violation: which CPU may hold what. */
typedef struct vmsa_violation_entry {
	vmsa_cpu_t cpu;
	vmsa_tlb_tag_t tag;
	uint64_t desc;
	vmsa_pa_t loc;
} vmsa_violation_entry_t;

typedef struct vmsa_violation {
	vmsa_violation_kind_t kind;
	const char *rule;           /* Arm rule ID, or NULL */
	uint64_t step;
	vmsa_cpu_t cpu;
	char message[512];
	/* Every entry involved, n_entries of them (no fixed maximum). The
	 * array belongs to the machine (valid until its next reset, snapshot
	 * restore or free) or, in a vmsa_explore_result_t, to the result
	 * (until vmsa_explore_result_free). Copying the struct copies the
	 * pointer, not the entries. */
	unsigned n_entries;
	const vmsa_violation_entry_t *entries;
} vmsa_violation_t;

/* The violation that stopped the execution, or NULL. */
const vmsa_violation_t *vmsa_violation(const vmsa_machine_t *m);

/* True once a violation stopped the execution: every later operation does
 * nothing (loads return 0). */
bool vmsa_stopped(const vmsa_machine_t *m);

/* Continue after a break-before-make violation (default off: a `bbm`
 * violation stops the execution like any other). On, the first `bbm`
 * violation of an execution is recorded as a warning instead
 * (vmsa_bbm_warning(); the trace gets a "bbm-warning" event; later ones
 * are not recorded) and the store is made: from then on the CPUs may use
 * any of the entries their TLBs may hold (old and new, as choices), and a
 * lookup that may hit two of them that differ in a way that needed the
 * break may take a TLB conflict abort (D8.17.1, CONSTRAINED
 * UNPREDICTABLE behaviour after a break-before-make failure). A setting
 * of the machine: kept by vmsa_machine_reset() and snapshot restores. */
void vmsa_set_bbm_continue(vmsa_machine_t *m, bool on);

/* With vmsa_set_bbm_continue() on: never take a TLB conflict abort after
 * the break-before-make failure (default off: the abort is one of the
 * choices). The machine is then an implementation that generates no TLB
 * conflict abort when a lookup hits several entries, which RZQNWZ makes
 * IMPLEMENTATION DEFINED, and the lookup uses one of the entries
 * (D8.17.1): herd7's VMSA model, whose executions have no TLB conflict
 * abort, and `vmsa litmus` use it. Entries of different sizes under
 * FEAT_BBM levels 1 and 2 may still abort. A setting of the machine: kept
 * by vmsa_machine_reset() and snapshot restores. */
void vmsa_set_bbm_no_conflict_abort(vmsa_machine_t *m, bool on);

/* The break-before-make violation of this execution that did not stop
 * it (vmsa_set_bbm_continue()), with its entries (valid until the next
 * reset or snapshot restore), or NULL. */
const vmsa_violation_t *vmsa_bbm_warning(const vmsa_machine_t *m);

/* Called when a violation is recorded. It may not return (the explorer
 * leaves the execution); if it returns, the machine stays stopped. */
typedef void (*vmsa_violation_fn)(void *ctx, vmsa_machine_t *m,
				  const vmsa_violation_t *v);
void vmsa_set_violation_hook(vmsa_machine_t *m, vmsa_violation_fn fn,
			     void *ctx);

/* Report a scenario's own violation (kind VMSA_V_ASSERT, or another kind
 * for tools built on the model). */
void vmsa_report(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_violation_kind_t kind,
		 const char *message);

/* The argument checks every operation makes, for tools built on the
 * model that take the same arguments (the explorer's waits and lock):
 * true when valid; otherwise a "bad-call" violation ("scenario error:
 * FN: cpu 7 out of range, the machine has 1 CPU") stops the execution
 * and the caller must do nothing. vmsa_check_cpu: 0 .. ncpus-1.
 * vmsa_check_pa: size 1, 2, 4 or 8, naturally aligned, inside memory. */
bool vmsa_check_cpu(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu);
bool vmsa_check_pa(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		   vmsa_pa_t pa, unsigned size);

/* Stale TLB entries CPU cpu may still hold (values memory no longer has:
 * overwritten or unlinked descriptors), for reports: how many, and the
 * i-th (false when i is out of range). Not steps. */
unsigned vmsa_held_count(const vmsa_machine_t *m, vmsa_cpu_t cpu);
bool vmsa_held_get(const vmsa_machine_t *m, vmsa_cpu_t cpu, unsigned i,
		   vmsa_violation_entry_t *out);

/* ---------------------------------------------------------------------
 * Trace
 * ------------------------------------------------------------------- */

typedef struct vmsa_trace_event {
	uint64_t step;
	vmsa_cpu_t cpu;
	const char *op;        /* "store-desc", "tlbi", "dsb", "choice" ... */
	const char *text;      /* operands, values, entries used */
} vmsa_trace_event_t;

typedef void (*vmsa_trace_fn)(void *ctx, const vmsa_trace_event_t *e);

/* Record every step through fn (NULL turns tracing off). */
void vmsa_set_trace(vmsa_machine_t *m, vmsa_trace_fn fn, void *ctx);

/* ---------------------------------------------------------------------
 * CPU operations. Each is one step of CPU `cpu` (0 .. ncpus-1), unless
 * noted. After a violation they do nothing and loads return 0. An
 * argument no operation accepts (a CPU number out of range, VMSA_SETUP
 * where only CPUs may act, an enum value out of range, an EL that does
 * not exist, a size other than 1, 2, 4, 8, a misaligned access, a
 * physical access outside memory) is a "bad-call" violation and the
 * operation does nothing.
 * ------------------------------------------------------------------- */

/* Descriptor accesses by the page-table code: physical, cacheable,
 * single-copy atomic 64-bit. Each write is checked against what every
 * CPU's TLB may hold (break-before-make) and may stay invisible to walks
 * until the writer's next DSB (RSPVBD). Under the feature `relaxed` a
 * write is its word's newest message and may take an earlier place in
 * memory's order than the CPU's other locations' messages, as a store
 * to a PTE does (docs/model.md, "A descriptor store"); a successful CAS
 * is atomic with its read. */
uint64_t vmsa_desc_read(vmsa_machine_t *m, vmsa_cpu_t cpu, const uint64_t *p);
void vmsa_desc_write(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t *p, uint64_t v);
/* Compare-and-swap: writes v when *p == old. Returns the value read. */
uint64_t vmsa_desc_cas(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t *p, uint64_t old,
		       uint64_t v);
/* The same by physical address. */
uint64_t vmsa_desc_read_pa(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa);
void vmsa_desc_write_pa(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa, uint64_t v);

/* Physical data accesses (a hypervisor's linear map): size 1, 2, 4 or 8,
 * naturally aligned; cacheable selects Normal Write-Back, otherwise the
 * access goes to the Point of Coherency. */
uint64_t vmsa_phys_read(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
			unsigned size, bool cacheable);
void vmsa_phys_write(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa, unsigned size,
		     uint64_t v, bool cacheable);
/* Physical data compare-and-swap, one step: reads the size bytes at pa
 * (as vmsa_phys_read) and, when they equal the low size bytes of old,
 * writes the low size bytes of v (as vmsa_phys_write). Returns the value
 * read. Size, alignment and cacheable as above. For data such as locks:
 * unlike vmsa_desc_cas() it keeps no descriptor history (a CAS into a
 * word of a live translation table is still checked as a descriptor
 * store, as vmsa_phys_write is). */
uint64_t vmsa_phys_cas(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
		       unsigned size, uint64_t old, uint64_t v, bool cacheable);
/* Physical data atomic add (LDADD, or STADD when mask is 0), one step:
 * reads the size bytes at pa, writes their sum with the low size bytes
 * of delta (modulo 2^(8 size): subtract with delta = -d), and returns
 * the value read ANDed with mask (and the low size bytes): the caller
 * observes only those bits. Size, alignment and cacheable as
 * vmsa_phys_cas(); plain ordering (under the feature relaxed it reads
 * the newest value, as any atomic).
 *
 * For the explorer's partial-order reduction two such adds to one word
 * by different CPUs commute, and need not be explored in both orders,
 * when neither can change the bits the other returns: when every bit of
 * each one's mask lies below the lowest set bit of each one's delta (an
 * addition never changes the bits below its addend's lowest set bit),
 * both cacheable, not under relaxed, and the word no descriptor. A
 * reader count above a writer bit is the use: readers add and subtract
 * a bias of 2^k observing only the bits below k (docs/explorer.md,
 * "Commuting adds"). Every other access of the word (a read, a wait, a
 * CAS, a store, an add observing bits at or above its own delta's lowest
 * set bit) is ordered with them as with any write. */
uint64_t vmsa_phys_add(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
		       unsigned size, uint64_t delta, uint64_t mask,
		       bool cacheable);

/* Data accesses through the CPU's current translation regime at its
 * current EL. A fault is delivered to the registered handler; when the
 * handler returns, the access is retried (as hardware re-executes the
 * instruction), unless the handler called vmsa_skip_insn(): then the
 * access is not performed and the call returns false with the machine
 * not stopped (vmsa_stopped() tells the two false returns apart). A PA outside memory (MMU on or off) is a synchronous
 * External abort: FSC 0x10 for the access, 0x14 + level for a walk's
 * read (docs/model.md rule 13). Returns true when the access completed,
 * false when the execution stopped. */
bool vmsa_read(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va, unsigned size,
	       uint64_t *val);
bool vmsa_write(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va, unsigned size,
		uint64_t val);
/* Compare-and-swap through translation; *prev gets the value read. */
bool vmsa_cas(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va, unsigned size,
	      uint64_t old, uint64_t val, uint64_t *prev);
/* An instruction fetch from va (execute permission, Instruction Aborts). */
bool vmsa_fetch(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va);

/* ---------------------------------------------------------------------
 * Ordering of data accesses (docs/model.md, "Ordering of data accesses")
 *
 * With the feature `relaxed` (vmsa_features_t.relaxed, configuration part
 * "relaxed") data accesses follow Arm's ordering (B2.3): a read may
 * return an older write than the newest one where the architecture
 * allows it (a choice of the explorer, option 0 the newest), and
 * barriers, acquire/release and dependencies restrict that. Without it
 * memory is sequentially consistent and everything below is accepted and
 * changes nothing (views are then 0).
 * ------------------------------------------------------------------- */

/* The ordering of an access: plain, acquire (LDAR, RCsc), acquire-PC
 * (LDAPR, RCpc), release (STLR), both (an RMW such as SWPAL). */
typedef enum vmsa_order {
	VMSA_ORD_PLAIN, VMSA_ORD_ACQ, VMSA_ORD_ACQ_PC, VMSA_ORD_REL,
	VMSA_ORD_ACQ_REL,
} vmsa_order_t;

/* A view: what a value depends on, as a timestamp of the model's memory
 * (0: nothing). A register computed from several values has the join
 * (vmsa_view_join) of their views. */
typedef uint64_t vmsa_view_t;

/* vmsa_phys_cas() and vmsa_phys_add() with an ordering (vmsa_order_t,
 * above): VMSA_ORD_ACQ reads with acquire (CASA, LDADDA), VMSA_ORD_REL
 * writes with release (CASL, STADDL), VMSA_ORD_ACQ_REL both, as the
 * same instructions by VA (vmsa_cas_ord, vmsa_rmw); an add whose mask is
 * 0 returns nothing and so reads with no acquire (STADD: C6.2). Locks
 * need them under the feature relaxed: a lock taken with a plain atomic
 * orders nothing after it (B2.3.7). Without `relaxed` the ordering
 * changes nothing. Another ordering (acquire-PC) is a bad-call. */
uint64_t vmsa_phys_cas_ord(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
			   unsigned size, uint64_t old, uint64_t v,
			   bool cacheable, vmsa_order_t ord);
uint64_t vmsa_phys_add_ord(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
			   unsigned size, uint64_t delta, uint64_t mask,
			   bool cacheable, vmsa_order_t ord);

static inline vmsa_view_t vmsa_view_join(vmsa_view_t a, vmsa_view_t b)
{
	return a > b ? a : b;
}

/* The views an access's address and (for a write) data depend on:
 * an address dependency and a data dependency (B2.3.2, "Dependency
 * definitions"). pick (writes only; 0 if unused) is the view the data
 * depends on only through a pick dependency (B2.3.2: an Intrinsic
 * Control Dependency on the way, such as a CSEL's condition or a CAS's
 * comparison; herd7's pick-data-dep): it orders the write as data does
 * (Pick-ordered-before), but a later read of the CPU that takes this
 * write's value gets it as its pick view (vmsa_read_pick), not as its
 * view. */
typedef struct vmsa_access_deps {
	vmsa_view_t addr, data, pick;
	/* A CAS's compared value (Rs; 0 elsewhere): its view and pick
	 * view (vmsa_cas_v). */
	vmsa_view_t cmp, cmp_pick;
} vmsa_access_deps_t;

/* vmsa_read with an ordering and dependencies (deps may be NULL: none):
 * *view (may be NULL) gets the view of the value read, which a later
 * access that depends on it passes in its deps. Returns as vmsa_read. A
 * bad ord is a bad-call violation. */
bool vmsa_read_v(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		 unsigned size, vmsa_order_t ord,
		 const vmsa_access_deps_t *deps, uint64_t *val,
		 vmsa_view_t *view);
/* vmsa_write with an ordering and dependencies (deps may be NULL). */
bool vmsa_write_v(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		  unsigned size, uint64_t val, vmsa_order_t ord,
		  const vmsa_access_deps_t *deps);
/* ---------------------------------------------------------------------
 * Memory tagging (FEAT_MTE2, Arm ARM D10; docs/model.md, "Allocation
 * Tags and Tag Checked accesses")
 *
 * Each 16-byte Tag Granule of Tagged memory has a 4-bit Allocation Tag
 * (RCWPLY, RXQBST, RCRCLC), a location of its own, separate from the
 * granule's bytes (RFXRDJ): the model holds it in an 8-byte word of
 * ordinary memory that the scenario sets aside (vmsa_mte_tagged), so
 * that under `relaxed` a tag store is a write of that word and a Tag
 * Check an implicit read of it, ordered as B2.3 orders an Implicit Tag
 * Memory Read Effect (herd7's Imp & Tag & R).
 *
 * A load or store made with vmsa_read/vmsa_read_v/vmsa_write/
 * vmsa_write_v is Tag Checked when all of these hold (RDRGYL, D10.7):
 * its PA lies in memory declared Tagged, and SCTLR_EL1.TCF (TCF0 at
 * EL0) is 0b01 (synchronous Tag Check Faults). Its Logical Address Tag
 * is VA[59:56] (RQTQDK; the translation regime needs TBI so that the VA
 * translates). A Tag Check reads the Allocation Tag of the granule and,
 * when it differs, generates a synchronous Data Abort with DFSC 0b010001
 * (vmsa_fault_t kind VMSA_FAULT_TAG_CHECK, FAR the VA with its tag),
 * delivered like a translation fault: the handler may retry or skip the
 * instruction. Not modelled: the Tagged attribute (MAIR 0xF0: declared
 * memory stands for Tagged Normal memory), TCMA, PSTATE.TCO, SP-based
 * addressing being unchecked, asynchronous and asymmetric modes; atomics,
 * exclusives, vmsa_cas and fetches are never Tag Checked.
 * ------------------------------------------------------------------- */

/* Declare from set-up (cpu = VMSA_SETUP) that the npages pages at pa are
 * Tagged memory whose Allocation Tags are held at tags: granule g of the
 * range (PA pa + 16 g) has its tag in bits [3:0] of the 8-byte word at
 * tags + 8 g (bits [63:4] 0). The caller allocates the npages * 2048
 * bytes at tags and maps them nowhere (they are not the granules' data:
 * RFXRDJ). Their initial contents are the initial tags (0 after
 * vmsa_page_alloc). Declarations last until reset and are kept by a
 * snapshot. Returns false after a bad-call violation (a CPU calling it,
 * npages 0, unaligned or outside memory). */
bool vmsa_mte_tagged(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
		     unsigned npages, vmsa_pa_t tags);
/* The PA of the word holding the Allocation Tag of the granule at pa
 * (tags + 8 g), or 0 when pa is not in declared Tagged memory. For
 * set-up and the final check (vmsa_phys_read of it gives the tag). */
vmsa_pa_t vmsa_mte_tag_pa(const vmsa_machine_t *m, vmsa_pa_t pa);
/* STG: store Allocation Tag `tag` (its low 4 bits) for the granule at va
 * (va aligned down to 16, RYSRGL; VA[59:56] is not checked: an
 * instruction that stores an Allocation Tag is Tag Unchecked, RDRGYL).
 * The address is translated for a write (RXTTLW: the same translation as
 * the granule's), faults as a store does; the tag store is an Explicit
 * Memory Write Effect of the granule's tag word, ordered as a plain
 * store (deps: the address's and the tag register's views; may be NULL).
 * A PA outside Tagged memory stores nothing (Untagged memory: RAZ/WI).
 * Returns as vmsa_write. */
bool vmsa_tag_store(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		    unsigned tag, const vmsa_access_deps_t *deps);
/* LDG: load the Allocation Tag of the granule at va into *tag (0 for
 * Untagged memory: RAZ). Translated for a read (RXTTLW), faults as a
 * load does; Tag Unchecked (RDRGYL); an Explicit Memory Read Effect of
 * the granule's tag word, ordered as a plain load (deps may be NULL) and
 * *view (may be NULL) the view of the tag read, as vmsa_read_v's.
 * Returns as vmsa_read. */
bool vmsa_tag_load(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		   const vmsa_access_deps_t *deps, unsigned *tag,
		   vmsa_view_t *view);

/* The pick view of the value the CPU's last read (vmsa_read_v,
 * vmsa_rmw_v, vmsa_cas_v, vmsa_ldxr_v) returned: the pick part of the
 * data of its own write it took the value from (forwarding; deps->pick
 * of that write, and a CAS's read and comparison), else 0; 0 without
 * feature relaxed. A register loaded by that read depends on it through
 * a pick dependency: pass it in deps->pick of a write of that register,
 * or to vmsa_ctrl_dep when it gives an address or a branch. Not a step;
 * a bad cpu gives 0 and a bad-call violation. */
vmsa_view_t vmsa_read_pick(vmsa_machine_t *m, vmsa_cpu_t cpu);

/* A conditional branch on a value of view v (a control dependency):
 * later writes and TLBIs, and after an ISB later reads, are ordered
 * after the reads v came from (B2.3.7: ctrl; [W | TLBI], ctrl; ISB).
 * Not a step (it changes only the CPU's views). */
void vmsa_ctrl_dep(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_view_t v);

/* An access whose address has a pick dependency of view v (B2.3.2, a
 * CSEL's condition on the way; herd7's pick-addr-dep): later writes,
 * and after an ISB later reads and TLBIs, are ordered after the reads v
 * came from; not a TLBI without the ISB (unlike a branch). The access
 * itself is not ordered: pass v to it in no deps field. Not a step. */
void vmsa_pick_addr_dep(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_view_t v);

/* The operation of an atomic read-modify-write (FEAT_LSE). */
typedef enum {
	VMSA_RMW_SWP = 0,	/* SWP: new = operand */
	VMSA_RMW_ADD,		/* LDADD/STADD: old + operand */
	VMSA_RMW_SET,		/* LDSET/STSET: old | operand */
	VMSA_RMW_CLR,		/* LDCLR/STCLR: old & ~operand */
	VMSA_RMW_EOR,		/* LDEOR/STEOR: old ^ operand */
	VMSA_RMW_SMAX,		/* LDSMAX: signed maximum (of size bytes) */
	VMSA_RMW_SMIN,		/* LDSMIN */
	VMSA_RMW_UMAX,		/* LDUMAX */
	VMSA_RMW_UMIN,		/* LDUMIN */
} vmsa_rmw_op_t;

/*
 * Promises (Promising-ARM; docs/model.md, "How load buffering is
 * covered"): a CPU may make a write of its future visible early, so
 * that other CPUs read it before the CPU's earlier reads are done (load
 * buffering). The caller offers the writes the CPU may make later; the
 * store that fulfils a promise is an ordinary vmsa_write/vmsa_write_v
 * later on the same CPU, of the same size and value, landing on the
 * same PA, whose views allow the promise's place in memory's order; or
 * the write of an atomic (vmsa_rmw, a successful vmsa_cas_ord) that
 * reads the write just before the promise's place, or of a
 * store-exclusive whose load-exclusive read it (B2.3.1: nothing comes
 * between an atomic's or an exclusive pair's read and its write).
 */
/* What fulfils a promise (vmsa_promise_t.kind). */
typedef enum {
	VMSA_PROMISE_STORE = 0,	/* a vmsa_write/vmsa_write_v of `value` */
	VMSA_PROMISE_RMW,	/* a vmsa_rmw of `op` with operand `value`:
				   the promise writes op(memory's value
				   then, value), and the RMW must read the
				   write just before it in memory's order,
				   which must hold that value then */
	VMSA_PROMISE_CAS,	/* a successful vmsa_cas/vmsa_cas_ord that
				   compares with `expect` and writes
				   `value`: memory must hold `expect` when
				   the promise is made, and the CAS must
				   read the write just before it */
	VMSA_PROMISE_STXR,	/* a vmsa_stxr of `value` that passes,
				   whose vmsa_ldxr read the write just
				   before the promise */
} vmsa_promise_kind_t;

typedef struct vmsa_promise {
	vmsa_pa_t pa;		/* where the later store lands (aligned to
				   size) */
	unsigned size;		/* 1, 2, 4 or 8 */
	uint64_t value;		/* the value it stores */
	bool cacheable;		/* its memory type will be Normal
				   Write-Back (false: Non-cacheable or
				   Device, e.g. with the MMU off), as the
				   store's own access will be */
	bool hw_update;		/* not a store: the hardware Access flag /
				   dirty state update a later walk of the
				   CPU makes of the descriptor at pa (size
				   8), value its new value; memory must
				   hold the value it updates then. Its
				   walk fulfils it (docs/model.md) */
	vmsa_promise_kind_t kind; /* the instruction that fulfils it */
	vmsa_rmw_op_t op;	/* VMSA_PROMISE_RMW: its operation */
	uint64_t expect;	/* VMSA_PROMISE_CAS: its compared value */
	bool expect_any;	/* VMSA_PROMISE_CAS whose compared value is
				   not known in advance (it comes from a
				   load): expect is ignored, the promise
				   compares with the value memory holds
				   when it is made, and only a CAS that
				   compares with that value fulfils it */
} vmsa_promise_t;

/*
 * One step of cpu with a choice among "no promise" (option 0) and the
 * n candidates: the chosen write becomes the newest message of memory,
 * which any CPU may read from then on. Returns the candidate's index +
 * 1, or 0 for no promise (also when the feature `relaxed` is off: then
 * it is no step and asks nothing; and for a candidate in a translation
 * table, which is never promised: descriptor stores are only appended;
 * and for a hardware update candidate that is not one of the value
 * memory holds, or without FEAT_HAFDBS).
 * A bad candidate (size, alignment, PA outside memory) is a bad-call.
 */
unsigned vmsa_promise(vmsa_machine_t *m, vmsa_cpu_t cpu,
		      const vmsa_promise_t *cands, unsigned n);
/* How many of cpu's promises are not fulfilled yet. An execution that
 * ends with one is not an execution of the architecture: the caller
 * drops it (vmsa_explore does for a scenario). Not a step. */
unsigned vmsa_promises_pending(const vmsa_machine_t *m, vmsa_cpu_t cpu);
/* True when one of cpu's pending promises can no longer be fulfilled
 * (the CPU's views have reached its place in memory's order: a later
 * store would be ordered after it), so the execution can be dropped at
 * once. Not a step. */
bool vmsa_promises_doomed(const vmsa_machine_t *m, vmsa_cpu_t cpu);
/* True once the execution is known not to be one of the architecture's:
 * with the feature `relaxed`, a walk made after another CPU's TLBI
 * completed read a value that TLBI is ordered after the overwriting of,
 * so the access is ordered before everything after the TLBI's DSB
 * (B2.3.7, TLBI-ordered-before), and a read the issuer made after that
 * DSB missed what the access is ordered after; or an access retried
 * after its fault was handled faulted again through a value or retired
 * entry overwritten before the handler returned (a write completes in
 * finite time, B2.10.1: the model does not go round that loop; herd7
 * drops every execution whose re-executed access faults). The caller drops the
 * execution, as one that ends with a pending promise (vmsa_explore does
 * both for a scenario: its check never sees such an execution, and a
 * violation met in it is no verdict). Never true without `relaxed`. Not
 * a step. */
bool vmsa_infeasible(const vmsa_machine_t *m);

/* ---------------------------------------------------------------------
 * Atomics and exclusives (docs/model.md, "Atomics, exclusives and
 * acquire/release"; LDAR/STLR/LDAPR are vmsa_read_v/vmsa_write_v with
 * an ordering, whose syndrome has AR = 1). Every function below is
 * one instruction: translated like vmsa_read/vmsa_write (a fault goes
 * to the handler and the instruction is retried, so it is performed
 * once, after the handler), a step, a trace line. Sizes 1, 2, 4, 8,
 * naturally aligned (the model makes aligned accesses only: a misaligned
 * atomic or exclusive, an Alignment fault on hardware, is a bad call).
 * Values are the low `size` bytes, zero-extended, as the W/X registers
 * of the B/H/W/X forms hold them. All return true when the instruction
 * completed, false when the execution stopped (out values are then 0).
 * ------------------------------------------------------------------- */

/* "plain", "acq", "acq-pc", "rel", "acq-rel" (bad values: "?"). */
const char *vmsa_order_name(vmsa_order_t o);

const char *vmsa_rmw_op_name(vmsa_rmw_op_t op); /* "swp", "add", ... */

/*
 * An atomic read-modify-write of the size bytes at va: one step that
 * reads the old value and writes op(old, operand), with no other write
 * to the location in between (single-copy atomic, B2.2.1). It needs
 * read and write permission whatever the values (CreateAccDescAtomicOp:
 * read and write): a read-only page gives a Permission fault with WnR =
 * 1; a stage 2 write-only page (S2AP 0b10) one with WnR = 0 (the read
 * is checked first, AArch64.S2CheckPermissions). ESR ISV = 0. To a word
 * of a live translation table it is a descriptor store (break-before-
 * make check, history) as vmsa_write there is. It clears the other
 * CPUs' exclusive monitors on the granule (ClearExclusiveByAddress).
 * ord: PLAIN, ACQ, REL or ACQ_REL (the ST<op> forms, which discard the
 * old value, are PLAIN or REL with old == NULL). *old (when not NULL)
 * gets the value read.
 */
bool vmsa_rmw(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va, unsigned size,
	      vmsa_rmw_op_t op, uint64_t operand, vmsa_order_t ord,
	      uint64_t *old);

/*
 * CAS/CASA/CASL/CASAL (B, H, W, X forms): compare the size bytes at va
 * with the low size bytes of `expect` and, when equal, write `val`. One
 * step; *prev gets the value read. Permissions and faults as vmsa_rmw,
 * also when the comparison fails (the access descriptor is read and
 * write; herd7 checks "rw" for every outcome). A failing CAS writes
 * nothing; the manual permits its read to clear other CPUs' exclusive
 * monitors on the granule (C6.2.51): when one is set that is a choice
 * ("failed CAS clears monitors", option 0 clears, as the pseudocode's
 * MemAtomic does). A failing CASA/CASAL is an acquire read. ord: PLAIN,
 * ACQ, REL or ACQ_REL. vmsa_cas() is the PLAIN form.
 */
bool vmsa_cas_ord(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		  unsigned size, uint64_t expect, uint64_t val,
		  vmsa_order_t ord, uint64_t *prev);

/*
 * vmsa_rmw and vmsa_cas_ord with dependencies (feature `relaxed`, as
 * vmsa_write_v): deps->addr is the view the address depends on (it
 * orders the walk, the read and the write), deps->data and deps->pick
 * the views the operand (vmsa_rmw_v) or the new value (vmsa_cas_v)
 * depends on, which order the write (B2.3.2); deps may be NULL. *view
 * (may be NULL) gets the view of the value returned, for dependencies
 * on it (0 without the feature), and vmsa_read_pick its pick view.
 *
 * A CAS's comparison is an Intrinsic Control Dependency (herd7's
 * iico_ctrl): deps->cmp and deps->cmp_pick, the compared value's views,
 * order its write as a pick dependency, and a read of the CPU that takes
 * the written value depends through a pick dependency on them and on the
 * CAS's read. The value returned is the value read; when the comparison
 * succeeds that is also the compared value, and the architecture allows
 * either as its source (herd7's aarch64_cas offers both data flows):
 * *view is then the weaker of the two (the compared value's views, its
 * pick view joined with the read's, or the read's view), or a choice
 * ("CAS result: compared value or read") when neither is weaker. A
 * value read by an RMW or CAS, also forwarded from the CPU's own write,
 * is as vmsa_read_v's: an acquire that takes the value of the CPU's own
 * atomic write is ordered after that atomic's read
 * (Atomic-ordered-before). old (vmsa_rmw_v) or prev (vmsa_cas_v) NULL:
 * the instruction returns nothing (its destination register is the
 * zero register): its read is then no acquire (C6.2: "If the
 * destination register is not one of WZR or XZR, LDADDA and LDADDAL
 * load from memory with acquire semantics"; the same for SWP and CAS)
 * and no DMB LD orders it.
 */
bool vmsa_rmw_v(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		unsigned size, vmsa_rmw_op_t op, uint64_t operand,
		vmsa_order_t ord, const vmsa_access_deps_t *deps,
		uint64_t *old, vmsa_view_t *view);
bool vmsa_cas_v(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		unsigned size, uint64_t expect, uint64_t val,
		vmsa_order_t ord, const vmsa_access_deps_t *deps,
		uint64_t *prev, vmsa_view_t *view);

/*
 * Load-Exclusive (LDXR, LDAXR: ord PLAIN or ACQ): read the size bytes at
 * va into *val, and mark the PA for exclusive access in the CPU's local
 * and global monitors (one mark per CPU: an older one is replaced).
 * The Exclusives reservation granule is 16 bytes (4 words, the
 * architecture's minimum, B2.12.3): a store by another CPU to any byte
 * of the granule clears the mark. The CPU's own stores leave it
 * (IMPLEMENTATION DEFINED, B2.12.1; herd7 agrees).
 */
bool vmsa_ldxr(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va, unsigned size,
	       vmsa_order_t ord, uint64_t *val);

/*
 * Store-Exclusive (STXR, STLXR: ord PLAIN or REL): translated as a
 * write first (a fault is taken whatever the monitors say: the model
 * implements the IMPLEMENTATION DEFINED choice of detecting aborts
 * before the local monitor check, AArch64.ExclusiveMonitorsPass), then
 * it writes val and sets *status = 0 when this CPU's monitors are set,
 * on this granule, by a Load-Exclusive of the same size; otherwise
 * *status = 1 and nothing is written. Either way the CPU's monitors are
 * then clear. A STXR that may pass may also fail (a choice, "STXR
 * spurious failure": the local monitor may clear for no architectural
 * reason, B2.12.1.1, and herd7's store-conditional always may fail),
 * not twice at one granule and call site (vmsa_stxr_at; here site 0)
 * before a STXR of the CPU that could pass passes, as the forward
 * progress guarantee of B2.12.5 wants: a retry loop's next STXR with the
 * monitors still set succeeds.
 */
bool vmsa_stxr(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va, unsigned size,
	       uint64_t val, vmsa_order_t ord, unsigned *status);

/*
 * vmsa_ldxr and vmsa_stxr with dependencies (feature `relaxed`, as
 * vmsa_read_v/vmsa_write_v): deps->addr orders the walk and the access;
 * a STXR's deps->data orders nothing (herd7: LB with a data dependency
 * into each store-exclusive is Allowed, with an address dependency
 * Forbidden); deps may be NULL. vmsa_ldxr_v's *view (may be NULL) gets
 * the read's view.
 */
bool vmsa_ldxr_v(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		 unsigned size, vmsa_order_t ord,
		 const vmsa_access_deps_t *deps, uint64_t *val,
		 vmsa_view_t *view);
bool vmsa_stxr_v(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		 unsigned size, uint64_t val, vmsa_order_t ord,
		 const vmsa_access_deps_t *deps, unsigned *status);

/*
 * vmsa_stxr_v for the store-exclusive at call site `site` (any number
 * naming the instruction, e.g. its address; 0 is the site of vmsa_stxr
 * and vmsa_stxr_v). A spurious failure is offered unless this site
 * already failed spuriously at this granule since the CPU's last STXR
 * that could pass passed: a retry loop (one site) ends, and distinct
 * store-exclusives of straight-line code each may fail (herd7: two
 * LDXR/STXR pairs of one location in a row may both fail). Over 16
 * sites failing in a row end the execution with VMSA_V_MODEL_LIMIT.
 */
bool vmsa_stxr_at(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		  unsigned size, uint64_t val, vmsa_order_t ord,
		  const vmsa_access_deps_t *deps, uint64_t site,
		  unsigned *status);

/* CLREX: clear the CPU's local monitor (the global one is IMPLEMENTATION
 * DEFINED, B2.12.2.1: the model leaves it, which changes nothing since a
 * STXR needs both). A step. An exception return clears the local monitor
 * too (B2.12.4, AArch64.ExceptionReturn). */
void vmsa_clrex(vmsa_machine_t *m, vmsa_cpu_t cpu);

/* Barriers. */
typedef enum {
	VMSA_BAR_SY, VMSA_BAR_ST, VMSA_BAR_LD,
	VMSA_BAR_ISH, VMSA_BAR_ISHST, VMSA_BAR_ISHLD,
	VMSA_BAR_NSH, VMSA_BAR_NSHST, VMSA_BAR_NSHLD,
	VMSA_BAR_OSH, VMSA_BAR_OSHST, VMSA_BAR_OSHLD,
} vmsa_barrier_t;

const char *vmsa_barrier_name(vmsa_barrier_t b); /* "ish" */

void vmsa_dsb(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_barrier_t b);
void vmsa_dmb(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_barrier_t b);
void vmsa_isb(vmsa_machine_t *m, vmsa_cpu_t cpu);

/* TLB maintenance: op with register operand xt (ignored by operations
 * without one). UNDEFINED at the CPU's EL is a violation. */
void vmsa_tlbi(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_tlbi_op_t op, uint64_t xt);
/* vmsa_tlbi whose operand xt has view dep (feature `relaxed`; its pick
 * view joined in: B2.3.7 dob's addr and pob's pick-addr-dep reach a
 * TLBI): the TLBI is ordered after the reads xt came from, so a walk
 * after its completion cannot read a value those reads' writes were
 * ordered after the overwriting of (herd7's
 * MP+dmb.st+addr-tlbi-dsb.ish-isb Forbidden). */
void vmsa_tlbi_v(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_tlbi_op_t op,
		 uint64_t xt, vmsa_view_t dep);

/* Cache maintenance by VA (translated like a data read). */
typedef enum {
	VMSA_DC_CVAC, VMSA_DC_CIVAC, VMSA_DC_IVAC, VMSA_DC_CVAU,
} vmsa_dc_op_t;
void vmsa_dc(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_dc_op_t op, uint64_t va);

typedef enum {
	VMSA_IC_IVAU, VMSA_IC_IALLU, VMSA_IC_IALLUIS,
} vmsa_ic_op_t;
void vmsa_ic(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_ic_op_t op, uint64_t va);

/* System registers (enum vmsa_sysreg of vmsa/sysreg.h). Access from an EL
 * where the register is UNDEFINED is a violation. */
void vmsa_msr(vmsa_machine_t *m, vmsa_cpu_t cpu, enum vmsa_sysreg reg, uint64_t v);
uint64_t vmsa_mrs(vmsa_machine_t *m, vmsa_cpu_t cpu, enum vmsa_sysreg reg);

/* Address translation instructions; the result goes to PAR_EL1. */
typedef enum {
	VMSA_AT_S1E1R, VMSA_AT_S1E1W, VMSA_AT_S1E0R, VMSA_AT_S1E0W,
	VMSA_AT_S12E1R, VMSA_AT_S12E1W, VMSA_AT_S12E0R, VMSA_AT_S12E0W,
	VMSA_AT_S1E2R, VMSA_AT_S1E2W,
} vmsa_at_op_t;
void vmsa_at(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_at_op_t op, uint64_t va);

/* ---------------------------------------------------------------------
 * Exception levels and exceptions
 * ------------------------------------------------------------------- */

struct vmsa_exception;

/* A handler for synchronous exceptions taken to one EL of one CPU. It runs
 * on the CPU (its operations are the CPU's steps, at the target EL); when
 * it returns, the model performs the exception return and the faulting
 * instruction is retried. */
typedef void (*vmsa_exc_handler_fn)(vmsa_machine_t *m, vmsa_cpu_t cpu,
				    const struct vmsa_exception *e, void *arg);

/* Register fn for exceptions taken to `el` (1 or 2) on cpu (NULL: none:
 * an exception there is an "unhandled-abort" violation). Not a step. */
void vmsa_set_handler(vmsa_machine_t *m, vmsa_cpu_t cpu, unsigned el,
		      vmsa_exc_handler_fn fn, void *arg);

/* For a handler that does not handle exception e (a kernel's die()):
 * stop the execution with the violation the model reports when no
 * handler is registered (unhandled-abort, conflict-abort-unhandled or
 * undefined-instruction), "CPU1: the handler at EL1 does not handle
 * data abort EL1->EL1 ESR 0x96000007 FAR 0x1000 (...)". Not a step. */
void vmsa_unhandled(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e);

/* The CPU's current EL. */
unsigned vmsa_current_el(const vmsa_machine_t *m, vmsa_cpu_t cpu);

/* An FP/SIMD instruction at the CPU's EL (aarch32: the code runs in
 * AArch32 at EL0/EL1, a 32-bit guest). Traps and UNDEFINED are taken in
 * the manual's priority order (vmsa/exc.h); the instruction is retried
 * after the handler returns. Returns true when it executed. */
bool vmsa_fp_access(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32);

/*
 * FP/SIMD registers. Each CPU has 32 128-bit registers V0..V31 (reset:
 * zero). An AArch32 guest sees V0..V15 as Q0..Q15 (D2n and D2n+1 being
 * the low and high halves of Qn). vmsa_fp_read() and vmsa_fp_write() are
 * FP/SIMD instructions at the CPU's EL, routed as vmsa_fp_access() is
 * (the access is made once the handler removed the trap); `aarch32` as
 * there. reg: 0..31, or 0..15 with aarch32 at EL0/EL1 (otherwise a
 * bad-call violation). Returns true when the access was made, false when
 * the execution stopped (*val is then 0).
 */
typedef struct vmsa_v128 {
	uint64_t lo, hi;
} vmsa_v128_t;

bool vmsa_fp_read(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32,
		  unsigned reg, vmsa_v128_t *val);
bool vmsa_fp_write(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32,
		   unsigned reg, vmsa_v128_t val);

/*
 * VMRS/VMSR FPEXC: a 32-bit guest's own read or write of FPEXC (the
 * AArch64 FPEXC32_EL2) at its current EL (docs/model.md; Arm ARM
 * G8.2.54 "Accessing FPEXC", no EL3, EL2 in AArch64): UNDEFINED at EL0;
 * at EL1 UNDEFINED when CPACR.cp10 disables EL1, then trapped to EL2
 * (EC 0x07) by CPTR_EL2.TFP (E2H = 0) or CPTR_EL2.FPEN = 0bx0 (E2H = 1);
 * FPEXC.EN = 0 does not trap these accesses. Retried after the handler
 * returns, like vmsa_fp_access(). Calling it at EL2 (which uses AArch64)
 * is a bad-call violation. Returns true when the access was made (a read
 * gives FPEXC32_EL2[31:0]; a write stores val, bits [63:32] 0).
 */
bool vmsa_fpexc_read(vmsa_machine_t *m, vmsa_cpu_t cpu, uint32_t *val);
bool vmsa_fpexc_write(vmsa_machine_t *m, vmsa_cpu_t cpu, uint32_t val);

/*
 * Exception-generating instructions at the CPU's EL, with immediate imm
 * (aarch32: an A32 instruction of a 32-bit guest at EL0/EL1, ignored as
 * for vmsa_fp_access()). Each is a step and, when it raises its
 * exception, delivers it to the handler of the target EL with the syndrome
 * of D24.2.46 (ISS = imm16, IL = 1); the preferred return address of SVC
 * and HVC is the next instruction: when the handler returns, execution
 * goes on after the instruction (it is not retried, unlike an abort).
 *  - SVC: from EL0 to EL1, or EL2 with HCR_EL2.TGE = 1; from EL1 to
 *    EL1 and from EL2 to EL2. EC 0x15 (0x11 from AArch32). An AArch32
 *    SVC taken to the guest's EL1 goes to AArch32 (no syndrome written).
 *  - HVC: UNDEFINED at EL0, and at EL1 and EL2 when HCR_EL2.HCD = 1
 *    (the model has no EL3, so SCR_EL3.HCE does not exist and HCD is
 *    the control: C6.2.174); otherwise to EL2, EC 0x16 (0x12).
 *  - SMC: UNDEFINED at EL0 and at EL2 (no EL3 to call); at EL1 trapped
 *    to EL2 when HCR_EL2.TSC = 1, EC 0x17 (0x13 from AArch32, ISS 0),
 *    else UNDEFINED. Without EL3 and with HCR_EL2.NV = 0 the manual
 *    makes the trap IMPLEMENTATION DEFINED (HCR_EL2.TSC, D24.2.62;
 *    AArch64.CheckForSMCUndefOrTrap): the model's machine implements it.
 *    A trapped SMC's preferred return address is the SMC itself
 *    (ThisInstrAddr): it is retried unless the handler calls
 *    vmsa_skip_insn().
 * An UNDEFINED one (EC 0x00, to the current EL, from EL0 to EL1 or EL2
 * with TGE = 1; to the guest's EL1 in AArch32) is retried after its
 * handler returns unless the handler skipped it; with no handler it is an
 * "undefined-instruction" violation. Returns true when execution goes
 * on after the instruction, false when the execution stopped.
 */
bool vmsa_svc(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32, uint16_t imm);
bool vmsa_hvc(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32, uint16_t imm);
bool vmsa_smc(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32, uint16_t imm);

/*
 * In the handler of an exception whose preferred return address is the
 * instruction that raised it (a Data or Instruction Abort of vmsa_read,
 * vmsa_write, vmsa_cas, vmsa_fetch, vmsa_dc, vmsa_ic: the access is
 * then not performed; an SMC trapped by HCR_EL2.TSC, an
 * UNDEFINED SVC, HVC or SMC, a trapped MSR, MRS or ERET), advance the return address past that
 * instruction, as software does with ELR_ELx += 4 when it emulates the
 * instruction: after the handler returns, the instruction is not
 * retried. Not a step. Elsewhere (another handler, or no handler
 * running) it is a bad-call violation.
 */
void vmsa_skip_insn(vmsa_machine_t *m, vmsa_cpu_t cpu);

/* Exception return from the current EL to a lower one (ERET): a step and
 * a context synchronisation event (with FEAT_ExS only when SCTLR_ELx.EOS
 * of the current EL is 1). PSTATE.DAIF is restored from SPSR_ELx bits
 * [9:6] of the current EL (so 0, unmasked, unless software wrote it);
 * the EL is `el` (SPSR_ELx.M is not read). At EL1 with FEAT_FGT and
 * HFGITR_EL2.ERET = 1 it traps to EL2 instead (EC 0x1A, e->eret_el =
 * el); see vmsa_exc_emulate(). */
void vmsa_eret(vmsa_machine_t *m, vmsa_cpu_t cpu, unsigned el);

/*
 * Trapped instructions a hypervisor emulates: an MSR or MRS trapped to
 * EL2 (EC 0x18: MDCR_EL2.E2PB, TPMS) and an ERET trapped to EL2 (EC
 * 0x1A: FEAT_FGT, HFGITR_EL2.ERET). Their preferred return address is
 * the instruction itself: when the handler returns, the instruction runs
 * again (and traps again while the trap is set) unless the handler
 * stepped over it, with vmsa_skip_insn() (ELR_EL2 += 4) or with
 * vmsa_exc_emulate(m, cpu, value), which also completes it: a trapped
 * MRS returns `value` (0 after a plain vmsa_skip_insn), and a trapped
 * ERET's exception return goes to e->eret_el, as a hypervisor that
 * copies ELR_EL1/SPSR_EL1 to ELR_EL2/SPSR_EL2 and returns does (a
 * skipped ERET leaves the CPU at EL1). The handler emulates an MSR by
 * writing the register itself (e->sysreg_value is the value written).
 * Not a step. A "bad-call" violation outside the handler of such a trap
 * (in a nested handler too). UNDEFINED MSR/MRS and the FP trap of
 * FPEXC32_EL2 keep their behaviour: not executed again.
 */
void vmsa_exc_emulate(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t value);

/* ---------------------------------------------------------------------
 * Statistical Profiling (FEAT_SPE; docs/model.md, "Statistical
 * Profiling"). One profiling unit per CPU, programmed with PMBLIMITR_EL1,
 * PMBPTR_EL1, PMSCR_EL1/PMSCR_EL2 and MDCR_EL2.E2PB. While profiling is
 * enabled at the CPU's EL, every vmsa_read, vmsa_write and vmsa_cas is
 * sampled and its 64-byte record written at PMBPTR_EL1 in the step that
 * follows it, through the owning translation regime (stage 1 and stage
 * 2); a fault there is a Profiling Buffer management event (PMBSR_EL1),
 * not an exception.
 * ------------------------------------------------------------------- */

/* Is the profiling buffer interrupt PMBIRQ asserted for cpu (PMBSR_EL1.S
 * = 1; no FEAT_SPE_EXC, RTSJRP)? *owner_el (when not NULL) gets the
 * buffer's owning EL (MDCR_EL2.E2PB: 0b00 EL2, else EL1), whose software
 * handles it. Not a step; PMBIRQ is a private interrupt of cpu, for code
 * running on cpu. False for a CPU that does not exist. */
bool vmsa_spe_irq_pending(const vmsa_machine_t *m, vmsa_cpu_t cpu,
			  unsigned *owner_el);

/* Records the profiling unit of cpu has written since reset (for tests
 * and checks; not a step). */
uint64_t vmsa_spe_records(const vmsa_machine_t *m, vmsa_cpu_t cpu);

/* ---------------------------------------------------------------------
 * Interrupts (docs/model.md, "Interrupts")
 *
 * A CPU sends another (or itself) an IPI or a pseudo-NMI; it stays
 * pending at the target until taken. It is deliverable when its priority
 * (VMSA_IRQ_PRIO_*) is below the target's ICC_PMR_EL1 (which resets to
 * 0: everything masked) and below the priority of every interrupt the
 * target is handling, and PSTATE.I and the routing (HCR_EL2.IMO/TGE,
 * D1.4.6.4 Table D1-21) do not mask it. A deliverable interrupt may be
 * taken at any later step boundary of the target (a choice: option 0
 * takes it), must be taken at the first boundary after a context
 * synchronisation event of the target (D1.4.6.5), and is taken when
 * the target waits (vmsa_wait_eq/ne) or has finished its code (the
 * explorer wakes it). Taking it is an exception (type VMSA_EXC_IRQ) to
 * the handler of its target EL: entry masks PSTATE.DAIF, the handler
 * runs, the return restores DAIF; the model acknowledges the interrupt
 * at entry and ends it (priority drop) at return.
 * ------------------------------------------------------------------- */

/* Make interrupt `irq` pending at CPU `target` (an SGI through
 * ICC_SGI1R_EL1): a step of cpu. Sending one that is already pending
 * changes nothing (one pending state per interrupt). */
void vmsa_send_irq(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_cpu_t target,
		   vmsa_irq_t irq);

/* MSR DAIFSet / DAIFClr: set or clear the PSTATE masks `bits`
 * (VMSA_DAIF_*, any other bit is a bad call). A step. */
void vmsa_daif_set(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t bits);
void vmsa_daif_clr(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t bits);

/* Is `irq` pending at cpu (sent and not yet taken)? Not a step; false
 * for a CPU or an interrupt that does not exist. */
bool vmsa_irq_pending(const vmsa_machine_t *m, vmsa_cpu_t cpu,
		      vmsa_irq_t irq);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
