/*
 * vmsa/backend.h - ops backends for the page-table library (vmsa/pgtable.h):
 * the host backend (plain memory, counted no-op maintenance) for unit
 * tests and benchmarks; the model backend (every operation a model step,
 * so that the explorer checks the library); the AArch64 backend (inline
 * assembly, for EL2 or EL1 code). Each has its own section; docs/pgtable.md,
 * "Backends", says what each does with every operation.
 */
#ifndef VMSA_BACKEND_H
#define VMSA_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/pgtable.h"
#include "vmsa/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

/* =====================================================================
 * Host backend (src/backend/host.c)
 *
 * Table pages come from a pool of granule-sized, granule-aligned pages
 * in one host allocation, each with an exact reference count. Descriptor
 * accesses are C11 atomics. Barriers, TLBIs and cache maintenance do
 * nothing but are counted, and optionally recorded in order, so that a
 * test can assert the exact sequence an operation issued. Physical
 * addresses are host addresses minus an offset that puts the pool's first
 * page at cfg.pool_pa (so descriptors are the same from run to run);
 * mapped output addresses outside the pool are never dereferenced. One
 * thread at a time: counters and reference counts are plain integers
 * (shared walks are checked for concurrency on the model backend).
 *
 *	vmsa_host_cfg_t hc = {.granule = VMSA_GRANULE_4K, .pool_pages = 64,
 *			      .pool_pa = 0x80000000, .trace_cap = 256};
 *	vmsa_host_t *h = vmsa_host_new(&hc);
 *	err = vmsa_pgt_init(&pgt, &cfg, vmsa_host_ops(h));
 * =================================================================== */

typedef struct vmsa_host vmsa_host_t;

typedef struct vmsa_host_cfg {
	vmsa_granule_t granule;
	size_t pool_pages;          /* table pages available (>= 1) */
	uint64_t pool_pa;           /* PA of the pool's first page, aligned
				       to 16 granules; 0: PA = host address */
	vmsa_pgt_features_t features;
	size_t trace_cap;           /* events recorded (0: none) */
	/* Without a trace, and unless count_accesses, the ops are `direct`:
	 * the library loads and stores descriptors itself (no call, no
	 * count: stats.reads and stats.writes stay 0), as the AArch64
	 * backend allows. With a trace or count_accesses, every descriptor
	 * access is a counted read()/write() call. */
	bool count_accesses;
} vmsa_host_cfg_t;

/* Counters of everything the library asked for. */
typedef struct vmsa_host_stats {
	uint64_t reads, writes, release_writes, cas, cas_failed;
	uint64_t dsb[4];                     /* by vmsa_pgt_dsb_t */
	uint64_t isb;
	uint64_t tlbi[VMSA_TLBI_N_TYPES];    /* by operation type */
	uint64_t tlbi_local;                 /* of which without IS/OS */
	uint64_t cmo[5];                     /* granule pages maintained,
						by vmsa_pgt_cmo_t */
	uint64_t allocs, frees, alloc_failures;
	/* Misuse by the library: put_page of a page at 0, free_page of a
	 * page whose count is not 0, a page that is not the pool's. Tests
	 * check it stays 0. */
	uint64_t errors;
} vmsa_host_stats_t;

typedef enum {
	VMSA_HOST_EV_WRITE,   /* arg = value, release in sub */
	VMSA_HOST_EV_CAS,     /* arg = new value, sub = 1 when it failed */
	VMSA_HOST_EV_DSB,     /* sub = vmsa_pgt_dsb_t */
	VMSA_HOST_EV_ISB,
	VMSA_HOST_EV_TLBI,    /* tlbi */
	VMSA_HOST_EV_CMO,     /* sub = vmsa_pgt_cmo_t, arg = PA, size */
	VMSA_HOST_EV_ALLOC,   /* arg = PA (0 when it failed) */
	VMSA_HOST_EV_FREE,    /* arg = PA */
} vmsa_host_ev_kind_t;

typedef struct vmsa_host_event {
	vmsa_host_ev_kind_t kind;
	unsigned sub;
	uint64_t arg;
	uint64_t pa;          /* WRITE, CAS: the entry's PA */
	uint64_t size;        /* CMO: bytes (cmo_range), one granule (cmo) */
	vmsa_pgt_tlbi_t tlbi;
} vmsa_host_event_t;

/* A backend for cfg, or NULL when cfg is NULL or invalid (no pages, a
 * pool_pa not aligned to 16 granules) or out of memory. */
vmsa_host_t *vmsa_host_new(const vmsa_host_cfg_t *cfg);
/* Free the backend and its pool (NULL: nothing). */
void vmsa_host_free(vmsa_host_t *h);

/* The ops to pass to vmsa_pgt_init; its features may be changed before
 * a table is initialised with them. */
vmsa_pgt_ops_t *vmsa_host_ops(vmsa_host_t *h);

const vmsa_host_stats_t *vmsa_host_stats(const vmsa_host_t *h);
/* Zero the counters and forget the recorded events. */
void vmsa_host_reset(vmsa_host_t *h);

/* The n-th allocation from now (1 = the next one) fails, once; 0
 * cancels. */
void vmsa_host_fail_alloc(vmsa_host_t *h, unsigned n);

/* Pages of the pool allocated now. */
size_t vmsa_host_pages_in_use(const vmsa_host_t *h);
/* The reference count of the allocated pool page at pa, or -1 when pa is
 * not an allocated page of the pool. */
int vmsa_host_page_count(const vmsa_host_t *h, vmsa_pgt_pa_t pa);

/* The recorded events (up to trace_cap; later ones are counted in
 * *dropped when it is not NULL). */
size_t vmsa_host_events(const vmsa_host_t *h, const vmsa_host_event_t **ev,
			size_t *dropped);

/* The recorded barrier, TLBI and cache-maintenance events, and with
 * `stores` the descriptor writes and CASes, as one line of words for
 * tests to compare, e.g. "dsb.ishst tlbi.ipas2e1is(0x40000,L3)
 * dsb.ish tlbi.vmalle1is dsb.ish w.rel"; a cache maintenance of more
 * than one granule shows its size: "dc.cvac(0x40000000+0x200000)".
 * Returns the length it wanted, as snprintf. */
int vmsa_host_format(const vmsa_host_t *h, char *buf, size_t size,
		     bool stores);

/* =====================================================================
 * The model backend (src/backend/model.c): every operation is a model
 * step of the CPU running the calling code, so that the explorer checks
 * the library.
 *
 *	struct mine { vmsa_pgt_model_t bk; vmsa_pgt_t pgt; };
 *
 *	static void setup(vmsa_run_t *r)
 *	{
 *		struct mine *d = vmsa_run_data(r);
 *		vmsa_pgt_model_cfg_t mc = {.granule = VMSA_GRANULE_4K};
 *
 *		vmsa_pgt_model_init(&d->bk, vmsa_run_machine(r), r, &mc);
 *		vmsa_pgt_init(&d->pgt, &cfg, &d->bk.ops);   (not steps)
 *	}
 *	static void cpu0(vmsa_run_t *r, vmsa_cpu_t cpu)
 *	{
 *		struct mine *d = vmsa_run_data(r);
 *
 *		vmsa_pgt_map(&d->pgt, ...);   (steps of CPU0)
 *	}
 *
 * The operations make their steps as the CPU vmsa_run_cpu() names: a
 * CPU function's code (or a handler it takes) makes steps of its CPU;
 * set-up code (VMSA_SETUP) makes non-step accesses (descriptors, page
 * allocation) and no maintenance at all (nothing is held in a TLB or
 * dirty in a cache before the CPUs start).
 *
 * Everything that changes while the CPUs run (page reference counts,
 * the mutation wrapper's counters) is kept in model memory, in pages the
 * backend allocates at init, so it is restored with the rest of memory
 * before every execution. The vmsa_pgt_model_t itself is read-only after
 * set-up: keep it (and the vmsa_pgt_t) in the run data
 * (vmsa_run_data()), which the explorer also restores. Do not copy it:
 * its ops.ctx points at it.
 * ================================================================== */

typedef struct vmsa_pgt_model_cfg {
	/* The table page size: one translation granule (1, 4 or 16 model
	 * pages, aligned to its size). */
	vmsa_granule_t granule;
	/* The virtual address cache maintenance uses for the data at PA p
	 * is p + va_offset, translated in the calling CPU's current regime:
	 * 0 for a hypervisor at EL2 with its MMU off (VA = PA, the default),
	 * or the offset of its linear map. */
	uint64_t va_offset;
	/* The library asks for cache maintenance of a whole granule of data
	 * in one call; the model's operations act on one 64-byte line each.
	 * By default the backend issues the operation for the granule's
	 * first line and for every other line the model's cache holds out
	 * of sync with the Point of Coherency at the time of the call (the
	 * others are in sync: their maintenance would change nothing but
	 * add steps to every interleaving). true: every line, one step
	 * each. */
	bool cmo_every_line;
} vmsa_pgt_model_cfg_t;

/* Mutations: the library's key lines deliberately broken, for the
 * checker-sensitivity scenarios (docs/pgtable.md, "Backends"). Each
 * applies to CPU steps only, never to set-up. */
typedef enum {
	VMSA_PGT_MUT_NONE = 0,
	/* Drop the DSBs whose kind is in dsb_kinds (bits 1u <<
	 * vmsa_pgt_dsb_t). */
	VMSA_PGT_MUT_DROP_DSB,
	/* Issue Inner Shareable TLBIs as their local (no suffix) form. */
	VMSA_PGT_MUT_TLBI_LOCAL,
	/* Skip the cache maintenance whose kind is in cmo_kinds (bits 1u <<
	 * vmsa_pgt_cmo_t): 1u << VMSA_PGT_DC_CVAC skips the clean to PoC. */
	VMSA_PGT_MUT_SKIP_CMO,
	/* Reverse IPAS2E1IS and VMALLE1IS: the library's "TLBI IPAS2E1IS;
	 * DSB; TLBI VMALLE1IS; DSB" is issued as "TLBI VMALLE1IS; DSB; TLBI
	 * IPAS2E1IS; DSB", so that a combined entry may be refilled from
	 * the stale stage-2 entry between the two (D8.17.6.1). */
	VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1,
	/* Skip the break: the write of the invalid (locked) value that
	 * breaks a valid entry before the library replaces it, and the TLBIs
	 * of that break, are dropped; the make then overwrites the valid
	 * entry directly. See docs/pgtable.md for how a break is told from
	 * an unmap. */
	VMSA_PGT_MUT_SKIP_BREAK,
	VMSA_PGT_MUT_N_KINDS
} vmsa_pgt_mut_kind_t;

/* Which CPUs a mutation applies to: a CPU number, or every CPU. */
#define VMSA_PGT_MUT_ALL_CPUS (-2)

typedef struct vmsa_pgt_mutation {
	vmsa_pgt_mut_kind_t kind;
	unsigned dsb_kinds;     /* DROP_DSB */
	unsigned cmo_kinds;     /* SKIP_CMO */
	/* Only the nth (1, 2, ...) operation the mutation matches, counted
	 * per CPU from the start of the execution (a DSB of the kinds, an IS
	 * TLBI, a cache maintenance operation of the kinds, an IPAS2 TLBI
	 * followed by a VMALLE1, a break); 0: every one. */
	unsigned nth;
	vmsa_cpu_t cpu;         /* or VMSA_PGT_MUT_ALL_CPUS */
} vmsa_pgt_mutation_t;

/* The model backend's state. Its fields are the backend's: pass &ops to
 * vmsa_pgt_init; ops.features may be changed before that (to describe a
 * machine with less than the model offers). */
typedef struct vmsa_pgt_model {
	vmsa_pgt_ops_t ops;
	vmsa_machine_t *m;
	vmsa_run_t *run;         /* NULL: the CPU is `cpu` */
	vmsa_cpu_t cpu;          /* without a run (vmsa_pgt_model_set_cpu) */
	vmsa_granule_t granule;
	unsigned granule_pages;  /* model pages per table page */
	uint64_t va_offset;
	bool cmo_every_line;
	vmsa_pa_t mem_base;
	uint64_t n_refs;         /* table pages memory can hold */
	vmsa_pa_t state_pa;      /* per-CPU state, then the reference counts */
	unsigned state_pages;
	vmsa_pgt_mutation_t mut;
} vmsa_pgt_model_t;

/* Set bk up for machine m, with the CPU of run r (vmsa_run_cpu(); NULL:
 * the CPU set with vmsa_pgt_model_set_cpu(), VMSA_SETUP at first), in
 * set-up code (the state pages are allocated without a step). ops.features
 * come from the machine's features: bbm_level, bbm2_noabort (no conflict
 * aborts), tlbirange, s2fwb (the scenario sets HCR_EL2.FWB itself), dic,
 * idc; hw_af and hw_dbm false (the model has no hardware updates).
 * Returns 0; -EINVAL when bk, m or cfg is NULL, r is not m's run or a
 * CPU's code is running (not set-up), the granule is unknown or va_offset
 * makes a VA wrap; -ENOMEM when model memory has no room for the state
 * pages. */
int vmsa_pgt_model_init(vmsa_pgt_model_t *bk, vmsa_machine_t *m,
			vmsa_run_t *r, const vmsa_pgt_model_cfg_t *cfg);

/* Without a run (a bare machine, in unit tests): the CPU the following
 * operations run as (0 .. ncpus-1, or VMSA_SETUP). Returns 0, or -EINVAL
 * (bk NULL, a run attached, a CPU out of range). */
int vmsa_pgt_model_set_cpu(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu);

/* Break the operations as mu says, from now on (NULL or kind NONE: the
 * plain backend again), in set-up code. Returns 0; -EINVAL for bk NULL,
 * a call from a CPU's code, an unknown kind, an empty or unknown
 * dsb_kinds/cmo_kinds for the kinds that need one, a CPU out of range. */
int vmsa_pgt_model_mutate(vmsa_pgt_model_t *bk, const vmsa_pgt_mutation_t *mu);

/* The reference count of the table page at pa as the backend keeps it
 * (0 for a page it never allocated or has freed), for tests and
 * scenario checks. Not a step. Returns the count, or -EINVAL (bk NULL,
 * pa outside memory or not a table page's start). */
int vmsa_pgt_model_refcount(const vmsa_pgt_model_t *bk, vmsa_pa_t pa);

/* =====================================================================
 * The AArch64 backend (src/backend/aarch64.c): the library in a
 * hypervisor at EL2 or a kernel at EL1, on the CPU itself. Descriptor
 * accesses, barriers, TLB and cache maintenance are inline assembly;
 * memory (table pages, reference counts, the view of physical memory)
 * is the caller's: the backend cannot allocate by itself. Built only for
 * AArch64 (`make aarch64` builds the library freestanding with it into
 * build/aarch64/libvmsa-pgtable.o).
 *
 * TLB maintenance for a VMID: stage-2 and EL1&0 operations act on the
 * VMID in VTTBR_EL2 (RNWYRD). At EL2 the backend reads VTTBR_EL2 and,
 * when its VMID is not the one the library asks for, writes the VMID
 * into it around the TLBI (MSR, ISB, TLBI, MSR back, ISB; with E2H = TGE
 * = 1 it also clears HCR_EL2.TGE there, so that the operation reaches the
 * EL1&0 regime), with IRQ and FIQ masked, as KVM's __tlb_switch_to_guest
 * does. At EL1 the VMID is the one the hypervisor gave the kernel: the
 * library's VMID is not used.
 * ================================================================== */

/* The caller's memory callbacks, each called with ctx (the meanings of
 * vmsa_pgt_ops_t; zalloc_pages may be NULL). */
typedef struct vmsa_pgt_aarch64_mm {
	void *ctx;
	void *(*zalloc_page)(void *ctx);
	void *(*zalloc_pages)(void *ctx, unsigned n);
	void (*free_page)(void *ctx, void *page);
	void (*get_page)(void *ctx, void *page);
	void (*put_page)(void *ctx, void *page);
	int (*page_count)(void *ctx, void *page);
	vmsa_pgt_pa_t (*virt_to_phys)(void *ctx, void *va);
	void *(*phys_to_virt)(void *ctx, vmsa_pgt_pa_t pa);
} vmsa_pgt_aarch64_mm_t;

/* The backend's state: pass &ops to vmsa_pgt_init. Do not copy it (its
 * ops.ctx points at it). */
typedef struct vmsa_pgt_aarch64 {
	vmsa_pgt_ops_t ops;
	vmsa_pgt_aarch64_mm_t mm;
	unsigned granule_shift;   /* the data a cmo() call maintains */
	unsigned dline, iline;    /* cache line sizes (CTR_EL0) */
} vmsa_pgt_aarch64_t;

/* Set a up: the assembly operations, mm's callbacks (copied), features
 * f (copied; the caller knows its CPUs: ID_AA64MMFR2_EL1.BBM, CTR_EL0,
 * HCR_EL2.FWB ...) and the granule of the tables (cache maintenance
 * covers one granule per call, line by line at CTR_EL0's line sizes).
 * Returns 0; -EINVAL when a, mm or f is NULL, a callback other than
 * zalloc_pages is missing, or the granule is unknown. */
int vmsa_pgt_aarch64_init(vmsa_pgt_aarch64_t *a, vmsa_granule_t granule,
			  const vmsa_pgt_aarch64_mm_t *mm,
			  const vmsa_pgt_features_t *f);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
