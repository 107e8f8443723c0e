/*
 * vmsa/backend.h - ops backends for the page-table library (vmsa/pgtable.h):
 * the host backend (plain memory, counted no-op maintenance) for unit
 * tests and benchmarks; the model and AArch64 backends follow in their
 * own sections.
 */
#ifndef VMSA_BACKEND_H
#define VMSA_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/pgtable.h"

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
 * mapped output addresses outside the pool are never dereferenced.
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
} vmsa_host_cfg_t;

/* Counters of everything the library asked for. */
typedef struct vmsa_host_stats {
	uint64_t reads, writes, release_writes, cas, cas_failed;
	uint64_t dsb[4];                     /* by vmsa_pgt_dsb_t */
	uint64_t isb;
	uint64_t tlbi[VMSA_TLBI_N_TYPES];    /* by operation type */
	uint64_t tlbi_local;                 /* of which without IS/OS */
	uint64_t cmo[5];                     /* by vmsa_pgt_cmo_t */
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
	VMSA_HOST_EV_CMO,     /* sub = vmsa_pgt_cmo_t, arg = PA */
	VMSA_HOST_EV_ALLOC,   /* arg = PA (0 when it failed) */
	VMSA_HOST_EV_FREE,    /* arg = PA */
} vmsa_host_ev_kind_t;

typedef struct vmsa_host_event {
	vmsa_host_ev_kind_t kind;
	unsigned sub;
	uint64_t arg;
	uint64_t pa;          /* WRITE, CAS: the entry's PA */
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
 * dsb.ish tlbi.vmalle1is dsb.ish w.rel". Returns the length it wanted,
 * as snprintf. */
int vmsa_host_format(const vmsa_host_t *h, char *buf, size_t size,
		     bool stores);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
