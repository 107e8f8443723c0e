/*
 * src/model/machine.h - the machine's state, shared by the files of
 * src/model/. Private: scenario code sees only include/vmsa/model.h.
 */
#ifndef VMSA_MODEL_MACHINE_H
#define VMSA_MODEL_MACHINE_H

#include "vmsa/model.h"
#include "arch/geom.h"

#include "cache.h"
#include "exc.h"
#include "hist.h"
#include "mem.h"
#include "order.h"
#include "sysreg.h"
#include "tlb.h"
#include "util/vec.h"

struct footprint;

VEC_DEFINE(ventry_vec, vmsa_violation_entry_t)

/* Two output address ranges whose memory set-up declared to hold the
 * same contents (vmsa_same_contents(), RWHZWS; same.c). */
struct same_pages {
	uint64_t a, b;		/* first byte of each range */
	uint64_t len;		/* bytes */
};

VEC_DEFINE(same_vec, struct same_pages)

/* Tagged memory (FEAT_MTE2, mte.c): [pa, pa + len) holds Tag Granules
 * whose Allocation Tags are the 8-byte words at tags, tags + 8, ...
 * (vmsa_mte_tagged()). */
struct mte_region {
	uint64_t pa, len, tags;
};
VEC_DEFINE(mte_vec, struct mte_region)

/* A table page of a context: where a descriptor at pa sits. */
struct tpage {
	uint64_t pa;		/* first byte of the table (granule aligned) */
	uint64_t ia_base;	/* input address of entry 0 */
	vmsa_stage_t stage;
	int level;
	unsigned tt;		/* stage 1: TTBR0 or TTBR1 */
	unsigned entries;	/* entries in this table */
};

VEC_DEFINE(tpage_vec, struct tpage)

/*
 * A translation context: what a CPU's registers selected for one regime.
 * Two CPUs (or one CPU at two times) with the same registers share one.
 * An execution may activate any number of them (every ASID and VMID it
 * uses with every table root is one).
 */
struct context {
	vmsa_regime_cfg_t cfg;
	/* Table pages reachable from the roots (current memory), rebuilt
	 * when the machine's table generation moves on. */
	struct tpage_vec pages;
	uint64_t pages_gen;
};

VEC_DEFINE(context_vec, struct context)
VEC_DEFINE(word_vec, uint64_t)
VEC_DEFINE(pa_vec, uint64_t)

/* A TLBI issued and not yet completed by a DSB of its CPU. */
struct pending_tlbi {
	vmsa_tlbi_t t;
	vmsa_tlbi_shareability_t sh;	/* after the HCR_EL2.FB upgrade */
	uint64_t step;
	/* Feature relaxed: what the TLBI is ordered after, fixed at its
	 * issue (order_tlbi_view): DSB- and IFB-ordered-before reach a
	 * TLBI only through a DSB or ISB before it in program order
	 * (B2.3.7), not through the DSB that completes it. */
	uint64_t view;
	/* Its place in memory's order once completed (order_tlbi_done),
	 * which the entries it retires keep (barrier.c, retire). */
	uint64_t ts;
	/* Locations with stores pending at issue: their old values are not
	 * removed (RSPVBD). */
	struct pa_vec protect;
	bool local_done;	/* a broadcast TLBI already completed on its
				   own CPU by a DSB NSH (barrier.c) */
};

VEC_DEFINE(tlbi_vec, struct pending_tlbi)

struct handler {
	vmsa_exc_handler_fn fn;
	void *arg;
};

struct xlat_memo;

/*
 * Called by translate_retry() when the access of `cpu` is about to be
 * retried after the handler of its fault f returned: before the retry's
 * step, with nothing of the access's left in the machine but its
 * identity (the call under way). `first`: the first retry of this call.
 * It may report a violation (then the retry is not made).
 */
typedef void (*machine_retry_fn)(void *ctx, vmsa_machine_t *m, int cpu,
				 const vmsa_fault_t *f, bool first);

/* Nested exception handlers: each runs on its CPU's stack (in the
 * explorer, a coroutine stack of fixed size), so the nesting must stop
 * somewhere. Handlers that fault in turn 8 deep are a scenario bug far
 * more often than a design; reaching it is a recursive-exception
 * violation when every level is the same exception, else a model-limit
 * one (cpu.c). */
#define MAX_DEPTH 8

/* How many store-exclusive sites may fail spuriously in a row before
 * one passes (a model limit, reported: VMSA_V_MODEL_LIMIT). */
#define EXCL_SPURIOUS_MAX 16

/*
 * A CPU's Exclusives monitors (atomic.c; B2.12): the local monitor and
 * its state machine in the global monitor, marking one granule. `global`
 * is the shared part (other CPUs' stores clear it); `local` only this
 * CPU changes (LDXR, STXR, CLREX, exception return).
 */
struct excl_monitor {
	bool local;		/* local monitor in Exclusive Access state */
	bool global;		/* global monitor in Exclusive Access state */
	uint64_t pa;		/* the marked granule (EXCL_GRANULE aligned) */
	unsigned size;		/* the Load-Exclusive's size */
	/* The STXRs, by granule and call site (vmsa_stxr_at), that failed
	 * spuriously since the CPU's last STXR that could pass and did:
	 * none of them may fail spuriously again (atomic.c,
	 * spurious_allowed). */
	unsigned n_spurious;
	struct excl_site {
		uint64_t pa, site;
	} spurious[EXCL_SPURIOUS_MAX];
	/* feature relaxed: the CPU's promise of a STXR (index + 1 in the
	 * ordering model's promises; 0: none) whose write the LDXR read
	 * just before, and the LDXR's read (index in order.reads), which
	 * the STXR makes atomic (order_ldxr_promise, order_fulfil_stxr) */
	uint32_t prom;
	uint32_t read;
	uint64_t rview;	/* the LDXR's read's view (order_fwd_set) */
};

struct cpu {
	unsigned id;
	unsigned el;
	struct sysregs regs;

	/* The context the CPU translates with at its current EL (-1: none
	 * yet), and every context that may have entries in its TLB. */
	int cur_ctx;
	struct word_vec ctx_mask;	/* bit i: context i (cpu_caches_ctx) */

	struct held_set held;		/* stale entries this TLB may hold */
	struct held_set retiring;	/* removed by this CPU's own completed
					   TLBIs, usable until its next context
					   synchronisation event (RBLDZX);
					   always empty with ETS2 */
	struct held_set retired;	/* stage-1 leaves another CPU's TLBI
					   removed (feature relaxed): a
					   translation not ordered after that
					   TLBI may have been done before it,
					   until the next context
					   synchronisation event */
	struct word_vec fresh;		/* while retired entries exist: (VA
					   word, memory's max timestamp)
					   pairs of translations made without
					   them, which a later access to that
					   VA must not undo (TLBI-ob's
					   same-low-order-bits clause) */

	struct pa_vec pending_st;	/* PAs with stores invisible to walks */
	struct tlbi_vec pending_tlbi;

	uint64_t last_cse;		/* ISB, exception entry or return */
	/* The translation under way retries an access after its fault
	 * was handled (translate_retry in access.c; tlbu_window in
	 * translate.c). Only true during that call. */
	bool xlat_retry;
	uint64_t last_explicit;		/* previous explicit memory access */
	uint64_t last_dsb;

	struct handler handlers[3];	/* exceptions, by target EL */
	unsigned depth;			/* nested exception handlers */
	/* The exception each running handler was taken for, outermost
	 * first (frame[0 .. depth-1]; they live in the callers' frames of
	 * take_exception): a recursion is told from a deep nesting by
	 * them (cpu.c). */
	const struct vmsa_exception *frame[MAX_DEPTH];
	/* vmsa_skip_insn(): the depth of the handler that may skip its
	 * instruction (0: none), and whether it did (call.c). */
	unsigned skip_depth;
	bool skipped;

	/* FP/SIMD registers V0..V31 (fpregs.c): private to the CPU, so
	 * they need no footprint (a CPU's steps keep program order). */
	vmsa_v128_t v[32];
	/* The innermost running handler's exception, when it is a trapped
	 * MSR/MRS or ERET (NULL otherwise), and what vmsa_exc_emulate()
	 * said about it (cpu.c). */
	const struct vmsa_exception *trap;
	bool emulated;
	uint64_t emulated_value;
	uint64_t spe_records;		/* records its profiling unit wrote */
	struct excl_monitor excl;	/* Exclusives monitors (atomic.c) */

	/* Interrupts (irq.c). PSTATE.DAIF and ICC_PMR_EL1 are registers
	 * (regs). */
	unsigned irq_pending;		/* bit k: vmsa_irq_t k is pending */
	uint64_t irq_since[VMSA_IRQ_KINDS]; /* the step that sent it */
	unsigned irq_active;		/* bit k: k is being handled (its
					   priority is the running one) */
	uint64_t irq_cse;		/* step of a context synchronisation
					   event whose next boundary must take
					   what was pending before it (0: none) */

	/* Translations that offered no choice (xlat_cache.c; NULL until
	 * the first), kept across resets: they carry their execution. */
	struct xlat_memo *xc;
	unsigned xc_next;
};

struct vmsa_machine {
	vmsa_features_t f;
	struct vmsa_mem mem;
	struct vmsa_cache cache;
	bool keep_cache;		/* machine_reset_cpus() leaves the cache
					   alone: a snapshot restore is about to
					   restore it (snapshot.c) */
	bool load_cpus;			/* ... and the CPUs, which it is about
					   to load whole (cpu_load) */
	struct hist_table hist;
	struct order ord;		/* messages and views (relaxed) */
	struct cpu cpu[VMSA_MAX_CPUS];

	/* Contexts 0 .. n_ctx-1 are this execution's; ctx.n counts those
	 * ever set up, whose page lists a reset keeps for reuse. */
	struct context_vec ctx;
	unsigned n_ctx;
	uint64_t ctx_epoch;		/* bumped when contexts are reset */
	struct regime_cache *rc;	/* decoded regimes (regime_cache.c) */
	uint64_t table_gen;		/* bumped when table structure changes */
	uint64_t hist_gen;		/* bumped when a descriptor history
					   changes (xlat_cache.c) */
	uint64_t choices;		/* choices asked of the chooser */
	bool chosen;			/* one was asked since the last reset
					   (snapshot.c: set-up's steps are
					   then not saved) */
	uint64_t xlat_hits;		/* translations the fast path gave */
	/* Table pages of contexts as the snapshot last restored has them
	 * (context.c; NULL when no snapshot was restored since the last
	 * reset), and the memory pages the scan under way has read. */
	struct scan_memo *scan_memo;
	struct pa_vec scan_pages;
	bool scan_recording;
	uint64_t scan_memo_hits;	/* scans the memo gave (for tests) */

	/* Per 4K page: the step of its last free (0: never), so that a walk
	 * through a stale table entry sees that its table was freed even
	 * when the page has been allocated again since. */
	uint64_t *freed_at;
	uint32_t *freed_epoch;		/* freed_at[i] counts only when
					   freed_epoch[i] == epoch */
	uint32_t epoch;			/* bumped by every reset */

	uint64_t step;
	/* Of those steps, the ones that changed only a CPU's registers (an
	 * MSR or an exception return that trapped nowhere): while it equals
	 * step, a snapshot takes the CPUs' states too (snapshot.c). */
	uint64_t reg_steps;
	int step_cpu;			/* the CPU of the current step (-1: none
					   yet), for the trace of choices */
	vmsa_chooser_t chooser;
	vmsa_step_hook_fn step_hook;
	void *step_hook_ctx;
	/* The explorer's check for a retry loop that repeats a state
	 * (src/explore/repeat.c; NULL: none). */
	machine_retry_fn retry_hook;
	void *retry_hook_ctx;
	vmsa_trace_fn trace;
	void *trace_ctx;
	/* What the current step touches, for the explorer's reduction
	 * (footprint.h; NULL: not recorded). */
	struct footprint *fp;
	vmsa_violation_fn on_violation;
	void *on_violation_ctx;

	/* Lists of translate.c and write.c that live from step to step, so
	 * that a step allocates nothing once they are large enough (each
	 * file's own type; NULL until first used). */
	struct xlat_scratch *xs;
	struct write_scratch *ws;

	/* What the handler that just returned said with vmsa_exc_emulate()
	 * (cpu.c, read right after it returns). */
	bool last_emulated;
	uint64_t last_emulated_value;

	unsigned excl_mask;		/* bit k: CPU k's global monitor is set
					   (atomic.c: stores test it first) */
	bool stopped;			/* a violation ended the execution */
	vmsa_violation_t violation;
	struct ventry_vec ventries;	/* violation.entries' storage */
	bool ventries_oom;		/* an entry could not be recorded */
	/* The entries of different sizes the last translation could hit
	 * (translate.c): what a TLB conflict abort's report lists. */
	struct ventry_vec conflict;
	/* Ranges declared to hold the same contents (same.c): set-up's,
	 * kept by a snapshot. */
	struct same_vec same;
	/* Tagged memory and its Allocation Tags' words (mte.c): set-up's,
	 * kept by a snapshot. */
	struct mte_vec tagged;
	/* Continue after a break-before-make violation (machine.c): the
	 * setting, and the first one of this execution with its entries. */
	bool bbm_continue;
	/* After such a violation, never take the TLB conflict abort
	 * (vmsa_set_bbm_no_conflict_abort: an implementation that
	 * generates none, RZQNWZ). */
	bool bbm_no_abort;
	/* A walk's older descriptor value that a held entry of the same
	 * translation gives is not offered (translate.c,
	 * drop_held_values(); docs/model.md, "A walk's older value a held
	 * entry gives"): set by the explorer, off for a bare machine. */
	bool held_prune;
	bool warned;
	vmsa_violation_t warning;
	struct ventry_vec wentries;
};

/* May CPU c's TLB have entries of context i? */
static inline bool cpu_caches_ctx(const struct cpu *c, unsigned i)
{
	return i / 64 < c->ctx_mask.n && (c->ctx_mask.p[i / 64] >> (i % 64)) & 1;
}

/* From now on it may (0, or -ENOMEM). */
static inline int cpu_cache_ctx(struct cpu *c, unsigned i)
{
	while (c->ctx_mask.n <= i / 64)
		if (word_vec_push(&c->ctx_mask, 0))
			return -ENOMEM;
	c->ctx_mask.p[i / 64] |= 1ull << (i % 64);
	return 0;
}

/* Not any more: an invalidation removed all of context i. */
static inline void cpu_uncache_ctx(struct cpu *c, unsigned i)
{
	if (i / 64 < c->ctx_mask.n)
		c->ctx_mask.p[i / 64] &= ~(1ull << (i % 64));
}

/* Does any CPU cache context i? (Stores to its tables are then
 * descriptor stores: write.c, find_slots().) */
static inline bool ctx_cached_by_any(const vmsa_machine_t *m, unsigned i)
{
	for (unsigned c = 0; c < m->f.ncpus; c++)
		if (cpu_caches_ctx(&m->cpu[c], i))
			return true;
	return false;
}

/* Start a step of `cpu`: the explorer's hook runs, the step counter moves
 * on. Returns false when the execution has stopped (the step must do
 * nothing). cpu may be VMSA_SETUP, for which nothing happens. The step
 * starts an instruction: an interrupt may be taken before it
 * (irq_boundary()), its handler's steps coming first. */
bool step_begin(vmsa_machine_t *m, int cpu);

/* step_begin() for steps that do not start an instruction (exception
 * entry: STEP_NO_IRQ) or that follow a decision taken at the same
 * scheduling point (an interrupt's entry: STEP_NO_HOOK too). */
enum { STEP_NO_IRQ = 1, STEP_NO_HOOK = 2 };
bool step_begin_at(vmsa_machine_t *m, int cpu, unsigned how);

/* Set (fn NULL: clear) the retry hook (machine_retry_fn). */
void machine_set_retry_hook(vmsa_machine_t *m, machine_retry_fn fn,
			    void *ctx);

/* Turn the held-entry rule on or off (machine.held_prune). */
void machine_set_held_prune(vmsa_machine_t *m, bool on);

/* Ask the chooser; n < 2 needs no decision and returns 0. */
unsigned choose(vmsa_machine_t *m, unsigned n, const char *what);

/* Add an entry to the violation about to be reported (by the next
 * violation() call), unless the execution has already stopped. Out of
 * memory turns that violation into a model-limit one: an entry is never
 * dropped silently. */
void violation_entry(vmsa_machine_t *m, const vmsa_violation_entry_t *e);

/* Report a violation: fill m->violation (with the entries added since the
 * last one), stop the execution and tell the hook (which may not return:
 * the explorer abandons the execution). */
void violation(vmsa_machine_t *m, int cpu, vmsa_violation_kind_t kind,
	       const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Emit a trace line for the current step when tracing is on. A macro:
 * without a trace (the explorer's case) its arguments (names looked up,
 * suffixes; all without side effects) are not even evaluated. The
 * machine's trace callback is called as (m->trace)(...) for that. */
void trace_emit(vmsa_machine_t *m, int cpu, const char *op,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define trace(m, ...)                                    \
	do {                                             \
		if ((m)->trace)                          \
			trace_emit((m), __VA_ARGS__);    \
	} while (0)

/* vmsa_machine_reset() but for memory and the allocator: the cache,
 * histories, CPUs, contexts, freed pages, steps and violation. */
void machine_reset_cpus(vmsa_machine_t *m);

/* Does CPU c hold nothing but registers and scalars: no TLB entry held,
 * retiring or retired, no pending store or TLBI, no handler running? Its
 * state is then a copy of its struct and of the contexts it may cache
 * (snapshot.c). */
bool cpu_plain(const struct cpu *c);

/* CPU c becomes `saved`, a copy of a plain CPU of this machine, whose
 * ctx_mask words are mask[0 .. nmask): c keeps its own lists' memory
 * (emptied), translation memo and handlers, as cpu_init() does, which it
 * replaces. 0, or -ENOMEM. */
int cpu_load(struct cpu *c, const struct cpu *saved, const uint64_t *mask,
	     unsigned nmask);

/* Record that the page of pa was freed now. */
void page_freed_now(vmsa_machine_t *m, uint64_t pa);

/* Was the page of pa freed at or after step `since` (or is it free)? */
bool page_freed_since(const vmsa_machine_t *m, uint64_t pa, uint64_t since);

/* The step of the last free of pa's page in this execution (0: none). */
uint64_t page_freed_step(const vmsa_machine_t *m, uint64_t pa);

#endif
